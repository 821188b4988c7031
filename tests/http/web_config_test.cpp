#include <boost/test/unit_test.hpp>

#include <string>

#include "http/basic_auth.hpp"
#include "http/tls_context.hpp"
#include "http/web_config.hpp"
#include "support/temp_dir.hpp"
#include "util/self_signed.hpp"

using voxo::http::load_web_config;
using voxo::http::web_config_error;

namespace {

struct pki_dir {
  voxo::test::temp_dir dir;
  voxo::util::pem_bundle pki = voxo::util::make_self_signed_pki({"127.0.0.1", "localhost"});
  pki_dir() {
    dir.write("server.crt", pki.cert);
    dir.write("server.key", pki.key);
    dir.write("ca.crt", pki.ca_cert);
  }
  std::filesystem::path config(const std::string& yaml) const { return dir.write("web.yml", yaml); }
};

// The error message load_web_config throws, or "" when it loads.
std::string load_error(const std::filesystem::path& file) {
  try {
    load_web_config(file);
  } catch (const web_config_error& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const std::string good_hash = "$2y$10$" + std::string(53, 'a');

}  // namespace

BOOST_FIXTURE_TEST_SUITE(web_config, pki_dir)

BOOST_AUTO_TEST_CASE(an_empty_file_means_plain_http_without_auth) {
  auto c = load_web_config(config(""));
  BOOST_TEST(!c.tls);
  BOOST_TEST(c.basic_auth_users.empty());
}

BOOST_AUTO_TEST_CASE(tls_paths_resolve_against_the_config_folder) {
  auto c = load_web_config(config("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"));
  BOOST_REQUIRE(c.tls);
  BOOST_TEST(c.tls->cert_file == dir.path() / "server.crt");
  BOOST_TEST(c.tls->key_file == dir.path() / "server.key");
  BOOST_TEST((c.tls->client_auth_type == voxo::http::client_auth::none));
  BOOST_TEST((c.tls->min_version == voxo::http::tls_version::tls12));
  BOOST_CHECK_NO_THROW(voxo::http::make_tls_context(*c.tls));
}

BOOST_AUTO_TEST_CASE(a_client_ca_requires_verified_client_certificates) {
  auto c = load_web_config(
      config("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_ca_file: ca.crt\n"
             "  min_version: TLS13\n"));
  BOOST_REQUIRE(c.tls);
  BOOST_TEST((c.tls->client_auth_type == voxo::http::client_auth::require_and_verify));
  BOOST_TEST((c.tls->min_version == voxo::http::tls_version::tls13));
}

BOOST_AUTO_TEST_CASE(users_map_to_their_hashes) {
  auto c = load_web_config(config("basic_auth_users:\n  alice: " + good_hash + "\n"));
  BOOST_TEST(c.basic_auth_users.at("alice") == good_hash);
}

BOOST_AUTO_TEST_CASE(an_unknown_key_is_an_error_naming_file_and_key) {
  auto file = config("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  cipher: x\n");
  auto err = load_error(file);
  BOOST_TEST(contains(err, file.string()));
  BOOST_TEST(contains(err, "tls_server_config.cipher: unknown key"));
  BOOST_TEST(contains(load_error(config("basic_auth_user:\n  a: b\n")), "basic_auth_user: unknown key"));
}

BOOST_AUTO_TEST_CASE(a_missing_cert_file_is_an_error_naming_the_path) {
  auto err = load_error(config("tls_server_config:\n  cert_file: nope.crt\n  key_file: server.key\n"));
  BOOST_TEST(contains(err, "tls_server_config.cert_file"));
  BOOST_TEST(contains(err, (dir.path() / "nope.crt").string()));
  BOOST_TEST(contains(load_error(config("tls_server_config:\n  key_file: server.key\n")), "cert_file: missing"));
}

BOOST_AUTO_TEST_CASE(a_bad_hash_is_an_error_that_does_not_echo_it) {
  auto err = load_error(config("basic_auth_users:\n  alice: s3cret-in-clear\n"));
  BOOST_TEST(contains(err, "basic_auth_users.alice: not a bcrypt hash"));
  BOOST_TEST(!contains(err, "s3cret-in-clear"));
  BOOST_TEST(!load_error(config("basic_auth_users:\n  bob: $1$abc$def\n")).empty());
}

BOOST_AUTO_TEST_CASE(bad_enum_values_and_bad_yaml_are_errors) {
  std::string tls = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n";
  BOOST_TEST(contains(load_error(config(tls + "  min_version: TLS10\n")), "min_version"));
  BOOST_TEST(contains(load_error(config(tls + "  client_auth_type: Maybe\n")), "client_auth_type"));
  BOOST_TEST(contains(load_error(config(tls + "  client_auth_type: RequireAndVerifyClientCert\n")), "client_ca_file"));
  BOOST_TEST(contains(load_error(config("tls_server_config: [\n")), "invalid YAML"));
  BOOST_TEST(contains(load_error(dir.path() / "absent.yml"), "cannot read file"));
}

BOOST_AUTO_TEST_CASE(a_key_that_does_not_match_the_certificate_fails_at_tls_setup) {
  auto other = voxo::util::make_self_signed_pki({"localhost"});
  dir.write("other.key", other.key);
  auto c = load_web_config(config("tls_server_config:\n  cert_file: server.crt\n  key_file: other.key\n"));
  BOOST_CHECK_THROW(voxo::http::make_tls_context(*c.tls), web_config_error);
}

BOOST_AUTO_TEST_CASE(bcrypt_hash_format_check) {
  BOOST_TEST(voxo::http::is_bcrypt_hash(voxo::http::bcrypt_hash(voxo::secret{"pw"}, 4)));
  BOOST_TEST(voxo::http::is_bcrypt_hash("$2a$04$" + std::string(53, '/')));
  BOOST_TEST(!voxo::http::is_bcrypt_hash("$2x$04$" + std::string(53, 'a')));
  BOOST_TEST(!voxo::http::is_bcrypt_hash("$2b$03$" + std::string(53, 'a')));
  BOOST_TEST(!voxo::http::is_bcrypt_hash("$2b$04$" + std::string(52, 'a')));
  BOOST_TEST(!voxo::http::is_bcrypt_hash("$2b$04$" + std::string(52, 'a') + "!"));
}

BOOST_AUTO_TEST_SUITE_END()
