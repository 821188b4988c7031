#pragma once
// The OpenSSL server context for `tls_server_config`.

#include <boost/asio/ssl/context.hpp>

#include <memory>

#include "http/web_config.hpp"

namespace voxo::http {

// Loads certificate chain, key (checked against the certificate) and client CA; throws
// web_config_error naming the file that failed.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const tls_server_config& config);

}  // namespace voxo::http
