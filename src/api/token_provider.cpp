#include "api/token_provider.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>

#include "util/asio.hpp"
#include "util/base64.hpp"
#include "util/log.hpp"
#include "util/secret_file.hpp"

namespace voxo::api {
namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

}  // namespace

std::optional<std::chrono::sys_seconds> jwt_expiry(std::string_view token) {
  auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  if (first == 0 || second == first + 1 || second + 1 == token.size()) return std::nullopt;
  auto payload = util::base64_decode(token.substr(first + 1, second - first - 1), util::base64_alphabet::url);
  if (!payload) return std::nullopt;
  boost::system::error_code ec;
  boost::json::value claims = boost::json::parse(*payload, ec);
  if (ec || !claims.is_object()) return std::nullopt;
  const boost::json::value* exp = claims.as_object().if_contains("exp");
  if (!exp) return std::nullopt;
  double seconds = 0;
  if (exp->is_int64()) seconds = static_cast<double>(exp->get_int64());
  else if (exp->is_uint64()) seconds = static_cast<double>(exp->get_uint64());
  else if (exp->is_double()) seconds = exp->get_double();
  else return std::nullopt;
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e12) return std::nullopt;
  return std::chrono::sys_seconds{std::chrono::seconds{static_cast<long long>(seconds)}};
}

token_provider::token_provider(boost::asio::any_io_executor executor, credential_options options, login_function login)
    : options_(std::move(options)), login_(std::move(login)), wake_(executor) {
  wake_.expires_at(boost::asio::steady_timer::time_point::max());
  if (options_.token) {
    source_ = source::given;
  } else if (options_.token_file) {
    source_ = source::token_file;
  } else if (env("VOXO_TOKEN")) {
    source_ = source::env_token;
  } else if (options_.email) {
    source_ = source::password;
    if (!options_.password_file && !env("VOXO_PASSWORD"))
      throw std::runtime_error("api.email is set but there is no password: set api.password_file or VOXO_PASSWORD");
  } else {
    throw std::runtime_error(
        "no API credentials: set api.token_file, or VOXO_TOKEN, or api.email with api.password_file or VOXO_PASSWORD");
  }
  // Configured files must be readable from the start: fail at start-up, not at the first poll.
  if (source_ == source::password) {
    if (auto pw = read_password(); !pw) throw std::runtime_error(pw.error().message);
  } else {
    auto tok = read_static();
    if (!tok) throw std::runtime_error(tok.error().message);
    current_ = std::move(*tok);
    expiry_ = jwt_expiry(current_->reveal());
  }
}

bool token_provider::usable(std::chrono::system_clock::time_point now) const {
  return current_ && (!expiry_ || now + renew_before < *expiry_);
}

boost::asio::awaitable<api_result<secret>> token_provider::token() {
  if (usable(std::chrono::system_clock::now())) co_return *current_;
  co_return co_await fetch();
}

boost::asio::awaitable<api_result<secret>> token_provider::renew(const secret& refused) {
  // Someone already replaced the refused token: use theirs. (A refresh still running is
  // joined by fetch().)
  if (!busy_ && current_ && *current_ != refused && usable(std::chrono::system_clock::now())) co_return *current_;
  co_return co_await fetch();
}

boost::asio::awaitable<api_result<secret>> token_provider::fetch() {
  if (busy_) {
    auto generation = generation_;
    while (generation_ == generation) co_await wake_.async_wait(util::nothrow_awaitable);
    co_return *last_outcome_;
  }
  busy_ = true;
  api_result<secret> outcome = api_error{api_errc::auth, 0, {}, "no token"};
  if (source_ == source::password) {
    auto password = read_password();
    if (!password) {
      outcome = password.error();
    } else {
      ++logins_;
      try {
        outcome = co_await login_(*options_.email, *password);
      } catch (const std::exception&) {
        outcome = api_error{api_errc::auth, 0, {}, "login failed unexpectedly"};
      }
    }
  } else {
    outcome = read_static();
  }
  if (outcome) {
    current_ = *outcome;
    expiry_ = jwt_expiry(current_->reveal());
  } else if (source_ == source::password) {
    current_.reset();
    expiry_.reset();
  }
  busy_ = false;
  ++generation_;
  last_outcome_ = outcome;
  wake_.cancel();
  co_return outcome;
}

api_result<secret> token_provider::read_static() {
  if (source_ == source::given) return *options_.token;
  if (source_ == source::token_file) {
    auto tok = util::read_secret_file(*options_.token_file);
    if (!tok) return api_error{api_errc::auth, 0, {}, "api.token_file: " + tok.error()};
    return *tok;
  }
  if (auto value = env("VOXO_TOKEN")) return secret(std::move(*value));
  return api_error{api_errc::auth, 0, {}, "VOXO_TOKEN is not set"};
}

api_result<secret> token_provider::read_password() const {
  if (options_.password_file) {
    auto pw = util::read_secret_file(*options_.password_file);
    if (!pw) return api_error{api_errc::auth, 0, {}, "api.password_file: " + pw.error()};
    return *pw;
  }
  if (auto value = env("VOXO_PASSWORD")) return secret(std::move(*value));
  return api_error{api_errc::auth, 0, {}, "VOXO_PASSWORD is not set"};
}

}  // namespace voxo::api
