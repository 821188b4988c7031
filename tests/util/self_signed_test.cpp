#include <boost/test/unit_test.hpp>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "util/self_signed.hpp"

namespace {
X509* read_cert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return cert;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(self_signed)

BOOST_AUTO_TEST_CASE(server_certificate_verifies_against_its_ca_and_names_its_hosts) {
  auto pki = voxo::util::make_self_signed_pki({"127.0.0.1", "localhost"});
  X509* ca = read_cert(pki.ca_cert);
  X509* leaf = read_cert(pki.cert);
  BOOST_REQUIRE(ca && leaf);
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, leaf, nullptr);
  BOOST_TEST(X509_verify_cert(ctx) == 1);
  BOOST_TEST(X509_check_host(leaf, "localhost", 0, 0, nullptr) == 1);
  BOOST_TEST(X509_check_ip_asc(leaf, "127.0.0.1", 0) == 1);
  BOOST_TEST(X509_check_host(leaf, "example.com", 0, 0, nullptr) != 1);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  X509_free(ca);
  X509_free(leaf);
}

BOOST_AUTO_TEST_CASE(two_calls_make_two_unrelated_authorities) {
  auto a = voxo::util::make_self_signed_pki({"localhost"});
  auto b = voxo::util::make_self_signed_pki({"localhost"});
  BOOST_TEST(a.ca_cert != b.ca_cert);
  BOOST_TEST(a.key != b.key);
}

BOOST_AUTO_TEST_SUITE_END()
