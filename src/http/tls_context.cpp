#include "http/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/system/system_error.hpp>

namespace voxo::http {
namespace {

namespace ssl = boost::asio::ssl;

[[noreturn]] void fail(const std::filesystem::path& file, std::string_view what) {
  throw web_config_error("TLS: " + std::string(what) + " " + file.string());
}

template <class F>
void load(const std::filesystem::path& file, std::string_view what, F&& f) {
  boost::system::error_code ec;
  f(ec);
  if (ec) fail(file, std::string(what) + " (" + ec.message() + "):");
}

}  // namespace

std::shared_ptr<ssl::context> make_tls_context(const tls_server_config& config) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(ctx->native_handle(),
                                config.min_version == tls_version::tls13 ? TLS1_3_VERSION : TLS1_2_VERSION);
  load(config.cert_file, "cannot load certificate",
       [&](auto& ec) { ctx->use_certificate_chain_file(config.cert_file.string(), ec); });
  load(config.key_file, "cannot load private key",
       [&](auto& ec) { ctx->use_private_key_file(config.key_file.string(), ssl::context::pem, ec); });
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    ERR_clear_error();
    fail(config.key_file, "private key does not match the certificate:");
  }
  if (config.client_ca_file) {
    const auto& ca = *config.client_ca_file;
    load(ca, "cannot load client CA", [&](auto& ec) { ctx->load_verify_file(ca.string(), ec); });
    // Tell clients which CAs we accept, so they pick the right certificate.
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(ca.string().c_str()))
      SSL_CTX_set_client_CA_list(ctx->native_handle(), names);
  }
  switch (config.client_auth_type) {
    case client_auth::none: ctx->set_verify_mode(ssl::verify_none); break;
    case client_auth::verify_if_given: ctx->set_verify_mode(ssl::verify_peer); break;
    case client_auth::require_and_verify:
      ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
      break;
  }
  return ctx;
}

}  // namespace voxo::http
