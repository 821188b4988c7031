#include "api/api_error.hpp"

#include <boost/throw_exception.hpp>

#include <stdexcept>

namespace voxo::api {
namespace {
const char* name(api_errc c) {
  switch (c) {
    case api_errc::transport: return "transport";
    case api_errc::timeout: return "timeout";
    case api_errc::http_status: return "http_status";
    case api_errc::bad_payload: return "bad_payload";
    case api_errc::too_large: return "too_large";
    case api_errc::auth: return "auth";
    case api_errc::bad_request: return "bad_request";
    case api_errc::cancelled: return "cancelled";
  }
  return "unknown";
}
}  // namespace

std::string api_error::code_label() const {
  return http_status > 0 ? std::to_string(http_status) : std::string("error");
}

std::string api_error::describe() const {
  std::string out = name(code);
  if (http_status > 0) out += " " + std::to_string(http_status);
  if (!message.empty()) out += ": " + message;
  return out;
}

void throw_exception_from_error(api_error const& e, boost::source_location const& loc) {
  boost::throw_exception(std::runtime_error(e.describe()), loc);
}

}  // namespace voxo::api
