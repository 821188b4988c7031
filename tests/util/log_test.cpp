#include <boost/test/unit_test.hpp>

#include "util/log.hpp"

BOOST_AUTO_TEST_SUITE(log_levels)

BOOST_AUTO_TEST_CASE(parse_level_accepts_the_four_names_and_rejects_others) {
  BOOST_TEST((voxo::log::parse_level("debug") == voxo::log::level::debug));
  BOOST_TEST((voxo::log::parse_level("error") == voxo::log::level::error));
  BOOST_TEST(!voxo::log::parse_level("verbose").has_value());
}

BOOST_AUTO_TEST_CASE(messages_below_the_configured_level_are_not_enabled) {
  voxo::log::configure(voxo::log::level::warn, voxo::log::format::logfmt);
  BOOST_TEST(!voxo::log::enabled(voxo::log::level::info));
  BOOST_TEST(voxo::log::enabled(voxo::log::level::error));
  voxo::log::configure(voxo::log::level::info, voxo::log::format::logfmt);
}

BOOST_AUTO_TEST_SUITE_END()
