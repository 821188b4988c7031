#pragma once
// The one error style below the API boundary. A function that can fail returns
// `result<T, E>`: the value, or the reason there is none.
//   - E = std::string: a message for a person (it ends in a config error or a log line, so it
//     never holds a secret); e.g. read_secret_file, parse_api_url, parse_fault_schedule.
//   - E = a struct the caller acts on, e.g. api::api_error (api_result<T>).
// `std::optional<T>` stays for "no value" with no reason worth telling (parse_duration: the
// caller words the message); Beast/Asio interfaces keep their error_code out-parameters.
// Exceptions only at start-up (config loading), caught in main.
//
//   util::result<api_url, std::string> parse(std::string_view text) {
//     if (text.empty()) return util::fail("empty");  // an error whatever T can be built from
//     ...
//   }
//   if (auto url = parse(text)) use(*url); else log(url.error());

#include <boost/system/result.hpp>

#include <string>
#include <type_traits>
#include <utility>

namespace voxo::util {

template <class T, class E>
using result = boost::system::result<T, E>;

namespace detail {
// An error on its way into a result<T, E>, whatever T is.
template <class E>
struct failure {
  E error;
  template <class T>
  operator result<T, E>() && {  // NOLINT(google-explicit-constructor): the point of it
    return {boost::system::in_place_error, std::move(error)};
  }
};
}  // namespace detail

// A string literal becomes a std::string message.
inline detail::failure<std::string> fail(const char* message) { return {std::string(message)}; }
template <class E>
detail::failure<std::decay_t<E>> fail(E&& error) {
  return {std::forward<E>(error)};
}

}  // namespace voxo::util
