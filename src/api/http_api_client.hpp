#pragma once
// The real VOXO API client: HTTPS (or plain HTTP) with Boost.Beast, a keep-alive pool per
// host, a timeout on every operation, login/token handling, streamed reply parsing.

#include <boost/asio/any_io_executor.hpp>

#include <memory>

#include "api/api_client.hpp"
#include "api/client_options.hpp"

namespace voxo::api {

// Throws std::runtime_error at start-up for what can never work: a malformed url, an
// unreadable CA file, an unknown zone, no credentials at all. Errors after that are values.
std::unique_ptr<api_client> make_http_api_client(boost::asio::any_io_executor executor, const client_options& options);

}  // namespace voxo::api
