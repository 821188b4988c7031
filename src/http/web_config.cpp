#include "http/web_config.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <initializer_list>
#include <sstream>

namespace voxo::http {
namespace {

namespace fs = std::filesystem;

class loader {
 public:
  loader(const fs::path& base_dir, std::string_view source) : base_dir_(base_dir), source_(source) {}

  [[noreturn]] void fail(std::string_view key, std::string_view what) const {
    std::string msg = "web config " + source_ + ": ";
    if (!key.empty()) msg += std::string(key) + ": ";
    throw web_config_error(msg + std::string(what));
  }

  void check_keys(const YAML::Node& map, std::string_view where,
                  std::initializer_list<std::string_view> allowed) const {
    if (!map.IsMap()) fail(where, "must be a mapping");
    for (const auto& entry : map) {
      std::string key = entry.first.as<std::string>();
      bool known = false;
      for (auto a : allowed) known = known || key == a;
      std::string full = where.empty() ? key : std::string(where) + "." + key;
      if (!known) fail(full, "unknown key");
    }
  }

  std::string scalar(const YAML::Node& node, std::string_view key) const {
    if (!node.IsScalar()) fail(key, "must be a string");
    return node.as<std::string>();
  }

  fs::path file(const YAML::Node& node, std::string_view key) const {
    std::string value = scalar(node, key);
    if (value.empty()) fail(key, "must not be empty");
    fs::path path = fs::path(value).is_absolute() ? fs::path(value) : base_dir_ / value;
    std::ifstream in(path);
    if (!in) fail(key, "cannot read file " + path.string());
    return path;
  }

  tls_server_config tls(const YAML::Node& node) const {
    check_keys(node, "tls_server_config",
               {"cert_file", "key_file", "client_ca_file", "client_auth_type", "min_version"});
    tls_server_config tls;
    if (!node["cert_file"]) fail("tls_server_config.cert_file", "missing");
    if (!node["key_file"]) fail("tls_server_config.key_file", "missing");
    tls.cert_file = file(node["cert_file"], "tls_server_config.cert_file");
    tls.key_file = file(node["key_file"], "tls_server_config.key_file");
    if (node["client_ca_file"]) {
      tls.client_ca_file = file(node["client_ca_file"], "tls_server_config.client_ca_file");
      // A CA file given without an auth type means "verify clients", as in exporter-toolkit.
      tls.client_auth_type = client_auth::require_and_verify;
    }
    if (node["client_auth_type"]) {
      std::string v = scalar(node["client_auth_type"], "tls_server_config.client_auth_type");
      if (v == "NoClientCert") tls.client_auth_type = client_auth::none;
      else if (v == "VerifyClientCertIfGiven") tls.client_auth_type = client_auth::verify_if_given;
      else if (v == "RequireAndVerifyClientCert") tls.client_auth_type = client_auth::require_and_verify;
      else
        fail("tls_server_config.client_auth_type",
             "must be NoClientCert, VerifyClientCertIfGiven or RequireAndVerifyClientCert, not \"" + v + "\"");
    }
    if (tls.client_auth_type != client_auth::none && !tls.client_ca_file)
      fail("tls_server_config.client_ca_file", "required when client certificates are verified");
    if (node["min_version"]) {
      std::string v = scalar(node["min_version"], "tls_server_config.min_version");
      if (v == "TLS12") tls.min_version = tls_version::tls12;
      else if (v == "TLS13") tls.min_version = tls_version::tls13;
      else fail("tls_server_config.min_version", "must be TLS12 or TLS13, not \"" + v + "\"");
    }
    return tls;
  }

  std::map<std::string, std::string> users(const YAML::Node& node) const {
    std::map<std::string, std::string> users;
    if (node.IsNull()) return users;
    if (!node.IsMap()) fail("basic_auth_users", "must be a mapping of user name to bcrypt hash");
    for (const auto& entry : node) {
      std::string user = entry.first.as<std::string>();
      std::string key = "basic_auth_users." + user;
      if (user.empty() || user.find(':') != std::string::npos)
        fail(key, "a user name must be non-empty and contain no ':'");
      std::string hash = scalar(entry.second, key);
      // The hash itself is never echoed: it is as good as a password to an offline attacker.
      if (!is_bcrypt_hash(hash)) fail(key, "not a bcrypt hash (expected $2y$, $2b$ or $2a$, cost, salt and hash)");
      users.emplace(std::move(user), std::move(hash));
    }
    return users;
  }

  web_config load(std::string_view text) const {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
      fail("", "invalid YAML: " + std::string(e.what()));
    }
    web_config config;
    if (root.IsNull()) return config;
    try {
      check_keys(root, "", {"tls_server_config", "basic_auth_users"});
      if (root["tls_server_config"] && !root["tls_server_config"].IsNull()) config.tls = tls(root["tls_server_config"]);
      if (root["basic_auth_users"]) config.basic_auth_users = users(root["basic_auth_users"]);
    } catch (const YAML::Exception& e) {
      fail("", "invalid value: " + std::string(e.what()));
    }
    return config;
  }

 private:
  fs::path base_dir_;
  std::string source_;
};

bool is_bcrypt_char(char c) {
  return c == '.' || c == '/' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

}  // namespace

bool is_bcrypt_hash(std::string_view h) {
  if (h.size() != 60 || h[0] != '$' || h[1] != '2' || h[3] != '$' || h[6] != '$') return false;
  if (h[2] != 'a' && h[2] != 'b' && h[2] != 'y') return false;
  if (h[4] < '0' || h[4] > '9' || h[5] < '0' || h[5] > '9') return false;
  int cost = (h[4] - '0') * 10 + (h[5] - '0');
  if (cost < 4 || cost > 31) return false;
  for (char c : h.substr(7))
    if (!is_bcrypt_char(c)) return false;
  return true;
}

web_config parse_web_config(std::string_view yaml, const fs::path& base_dir, std::string_view source) {
  return loader(base_dir, source).load(yaml);
}

web_config load_web_config(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw web_config_error("web config " + file.string() + ": cannot read file");
  std::ostringstream text;
  text << in.rdbuf();
  fs::path dir = file.parent_path();
  if (dir.empty()) dir = ".";
  return parse_web_config(text.str(), dir, file.string());
}

}  // namespace voxo::http
