#include <boost/test/unit_test.hpp>

#include <string>

#include "api/detail/utf8.hpp"

using voxo::api::detail::is_valid_utf8;

BOOST_AUTO_TEST_SUITE(utf8_suite)

BOOST_AUTO_TEST_CASE(ascii_and_well_formed_sequences_are_valid) {
  BOOST_TEST(is_valid_utf8(""));
  BOOST_TEST(is_valid_utf8("2d275d62-706c-42d2-a4d4-e4ef53d83974"));
  BOOST_TEST(is_valid_utf8("\xc2\x80 \xdf\xbf"));                       // U+0080, U+07FF
  BOOST_TEST(is_valid_utf8("\xe0\xa0\x80 \xef\xbf\xbf \xee\x80\x80"));  // U+0800, U+FFFF, U+E000
  BOOST_TEST(is_valid_utf8("\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf"));       // U+10000, U+10FFFF
}

BOOST_AUTO_TEST_CASE(overlong_forms_surrogates_and_out_of_range_are_invalid) {
  for (const char* bad : {"\xc0\xaf", "\xc1\xbf", "\xe0\x9f\xbf", "\xf0\x8f\xbf\xbf",  // overlong
                          "\xed\xa0\x80", "\xed\xbf\xbf",                              // surrogates
                          "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xfe"})     // past U+10FFFF
    BOOST_TEST(!is_valid_utf8(bad), "bytes " << bad);
}

BOOST_AUTO_TEST_CASE(truncated_sequences_and_stray_continuation_bytes_are_invalid) {
  for (const char* bad : {"\xc3", "a\xe2\x82", "\xf0\x9d\x84", "\x80", "a\xbf", "\xe2\x28\xa1", "\xc3\x28"})
    BOOST_TEST(!is_valid_utf8(bad), "bytes " << bad);
}

// The 8-byte ASCII steps must not skip a bad byte at any position of a long value.
BOOST_AUTO_TEST_CASE(a_bad_byte_anywhere_in_a_long_value_is_found) {
  for (std::size_t at = 0; at < 40; ++at) {
    std::string s(40, 'a');
    s[at] = '\xff';
    BOOST_TEST(!is_valid_utf8(s), "at " << at);
    s[at] = '\xc3';  // truncated when last, followed by ASCII otherwise
    BOOST_TEST(!is_valid_utf8(s), "at " << at);
  }
  std::string ok(37, 'a');
  ok += "\xc3\xa9";
  BOOST_TEST(is_valid_utf8(ok));
}

BOOST_AUTO_TEST_SUITE_END()
