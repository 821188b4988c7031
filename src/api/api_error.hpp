#pragma once
// Errors of the API client as values the caller can act on.
// A message never contains the token or the password.

#include <chrono>
#include <optional>
#include <string>

#include "util/result.hpp"

namespace voxo::api {

enum class api_errc {
  transport,    // DNS, connect, reset, TLS handshake (incl. an untrusted certificate)
  timeout,      // connect, write or read took longer than api.timeout
  http_status,  // the API answered with a non-success status (see http_status)
  bad_payload,  // the reply is not a JSON array of records, or was cut short
  too_large,    // the reply passed api.max_response_bytes
  auth,         // login refused, or no usable credentials
  bad_request,  // we could not build the request (bad URL, window over the caps)
  cancelled,    // shutdown
};

struct api_error {
  api_errc code = api_errc::transport;
  int http_status = 0;                              // set when code == http_status (and 401s under auth)
  std::optional<std::chrono::seconds> retry_after;  // from Retry-After on 429/503
  std::string message;                              // for logs; never holds a secret

  // The `code` label of voxo_collector_requests_total: the HTTP status, or "error".
  std::string code_label() const;
  std::string describe() const;  // "http_status 503: ..." for logs
};

template <class T>
using api_result = util::result<T, api_error>;

// Lets result<T, api_error>::value() throw on error (used only in tests).
[[noreturn]] void throw_exception_from_error(api_error const& e, boost::source_location const& loc);

}  // namespace voxo::api
