#pragma once
// --web.config.file: TLS and basic auth for the HTTP server, in the Prometheus
// exporter-toolkit format (YAML):
//
//   tls_server_config:
//     cert_file: server.crt            # relative paths: against this file's folder
//     key_file: server.key
//     client_ca_file: ca.crt           # optional; implies RequireAndVerifyClientCert
//     client_auth_type: RequireAndVerifyClientCert   # NoClientCert (default),
//                                      # VerifyClientCertIfGiven, RequireAndVerifyClientCert
//     min_version: TLS12               # TLS12 (default) or TLS13
//   basic_auth_users:
//     alice: $2y$10$...                # bcrypt hash
//
// Loading happens at start-up: every problem throws web_config_error naming file and key.

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace voxo::http {

class web_config_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class client_auth { none, verify_if_given, require_and_verify };
enum class tls_version { tls12, tls13 };

struct tls_server_config {
  std::filesystem::path cert_file;
  std::filesystem::path key_file;
  std::optional<std::filesystem::path> client_ca_file;
  client_auth client_auth_type = client_auth::none;
  tls_version min_version = tls_version::tls12;
};

struct web_config {
  std::optional<tls_server_config> tls;                 // nullopt: plain HTTP
  std::map<std::string, std::string> basic_auth_users;  // user -> bcrypt hash; empty: no auth
};

// Reads and validates the file: strict keys, files present, well-formed bcrypt hashes.
web_config load_web_config(const std::filesystem::path& file);

// The same from text; `source` names it in errors, relative paths resolve against `base_dir`.
web_config parse_web_config(std::string_view yaml, const std::filesystem::path& base_dir, std::string_view source);

// "$2a$", "$2b$" or "$2y$", a two-digit cost 04-31, "$", 53 characters of bcrypt base64.
bool is_bcrypt_hash(std::string_view hash);

}  // namespace voxo::http
