#include <boost/test/unit_test.hpp>

#include <string>

#include "util/result.hpp"
#include "util/secret.hpp"

namespace {
using voxo::secret;
using voxo::util::result;

// secret can be built from a string too: a bare `return message;` would not say which one.
result<secret, std::string> secret_unless_empty(const std::string& text) {
  if (text.empty()) return voxo::util::fail("empty");
  return secret(text);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(util_result)

BOOST_AUTO_TEST_CASE(fail_makes_an_error_even_when_the_value_can_be_built_from_the_message) {
  const auto bad = secret_unless_empty("");
  BOOST_TEST(!bad.has_value());
  BOOST_TEST(bad.error() == "empty");
  const auto good = secret_unless_empty("x");
  BOOST_TEST_REQUIRE(good.has_value());
  BOOST_TEST(good->reveal() == "x");
}

BOOST_AUTO_TEST_SUITE_END()
