// discovery.include / exclude against what a hostile /tenants may send (issue #13): names far
// longer than any real one are matched in linear time, without recursion.
#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>

#include "collector/tenant_filter.hpp"

using voxo::collector::tenant_filter;

BOOST_AUTO_TEST_SUITE(discovery_filter)

BOOST_AUTO_TEST_CASE(a_60_kb_name_is_matched_without_crashing) {
  // std::regex recursed once per character here and overflowed the stack (SIGSEGV).
  const tenant_filter f({"acme.*"}, {});
  BOOST_TEST(f.accepts("5", "acme" + std::string(60 * 1024, 'x')));
  BOOST_TEST(!f.accepts("5", std::string(60 * 1024, 'x') + "acme"));
}

BOOST_AUTO_TEST_CASE(a_10_mb_name_is_matched_and_excluded_correctly) {
  const tenant_filter f({"acme.*"}, {".*test"});
  const std::string body(10 * 1024 * 1024, 'y');
  BOOST_TEST(f.accepts("5", "acme" + body));
  BOOST_TEST(!f.accepts("5", "acme" + body + "test"));  // exclude wins
  BOOST_TEST(!f.accepts("5", body));
}

BOOST_AUTO_TEST_CASE(patterns_are_re2_syntax_matched_whole) {
  const tenant_filter f({"(?i)acme\\pL*", "3."}, {});
  BOOST_TEST(f.accepts("5", "ACME\xc3\xa9"));  // a case flag and a Unicode class: RE2, not ECMAScript
  BOOST_TEST(f.accepts("37", "x"));
  BOOST_TEST(!f.accepts("137", "x"));  // anchored at both ends
  BOOST_TEST(!f.accepts("5", "my acme"));
}

BOOST_AUTO_TEST_CASE(a_pattern_re2_cannot_run_in_linear_time_is_refused) {
  BOOST_CHECK_THROW(tenant_filter({"(a)\\1"}, {}), std::invalid_argument);  // a backreference
  BOOST_CHECK_THROW(tenant_filter({}, {"a(?=b)"}), std::invalid_argument);  // a lookahead
}

BOOST_AUTO_TEST_SUITE_END()
