// The fast path (detail/fast_reply_scanner + hand-over to Boost.JSON) against the general
// parser alone: same records field for field, same invalid ones, same errors, however the
// body is cut into pieces. tests/fuzz/fuzz_cdr_parser.cpp checks the same on random input.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/cdr_stream_parser.hpp"
#include "api/record_time.hpp"
#include "support/record_transcript.hpp"

using namespace voxo::api;

namespace {

// A sink that writes down every field of every record and every invalid reason, in order.
struct transcript_sink : record_sink {
  std::vector<std::string> lines;
  void on_record(const cdr& r) override { lines.push_back(voxo::test::describe(r)); }
  void on_invalid(std::string_view why) override { lines.push_back("invalid: " + std::string(why)); }
};

struct run_result {
  bool ok = false;
  std::string error;
  std::vector<std::string> lines;
  std::uint64_t records = 0, invalid = 0;
};

run_result run(std::string_view body, parse_path path, std::size_t piece = 0) {
  transcript_sink sink;
  cdr_stream_parser p{sink, find_zone("America/Chicago"), path};
  bool ok = true;
  if (piece == 0) ok = p.write(body);
  for (std::size_t at = 0; piece != 0 && ok && at < body.size(); at += piece) ok = p.write(body.substr(at, piece));
  run_result r;
  r.ok = ok && p.finish();
  r.error = p.error_message();
  r.lines = std::move(sink.lines);
  r.records = p.records();
  r.invalid = p.invalid();
  return r;
}

// The same outcome from both paths, whole and in pieces of several sizes.
void check_paths_agree(std::string_view body) {
  const auto reference = run(body, parse_path::general_only);
  for (const std::size_t piece : {std::size_t{0}, std::size_t{1}, std::size_t{5}, std::size_t{64}, std::size_t{4096}}) {
    BOOST_TEST_CONTEXT("piece " << piece << ", body " << body.substr(0, 120)) {
      const auto fast = run(body, parse_path::fast, piece);
      BOOST_TEST(fast.ok == reference.ok);
      BOOST_TEST(fast.lines == reference.lines, boost::test_tools::per_element());
      BOOST_TEST(fast.records == reference.records);
      BOOST_TEST(fast.invalid == reference.invalid);
      if (piece == 0) BOOST_TEST(fast.error == reference.error);  // in pieces, Boost's own wording may vary
    }
  }
}

std::string record(std::string_view id, std::string_view more = "") {
  std::string r =
      R"({"id":")" + std::string(id) + R"(","time":"10/10/22 23:07:20","direction":"IN","disposition":"ANSWERED")";
  if (!more.empty()) r += "," + std::string(more);
  return r + "}";
}

std::string reply(const std::vector<std::string>& records) {
  std::string body = "[";
  for (std::size_t i = 0; i < records.size(); ++i) body += (i ? "," : "") + records[i];
  return body + "]";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reply_parser_paths_suite)

BOOST_AUTO_TEST_CASE(records_after_a_hand_over_to_the_general_parser_are_read_as_it_reads_them_alone) {
  // An exponent and an escaped kept string are left to Boost.JSON; records before and after count.
  const std::string body = reply({record("a", R"("duration":12)"), record("b", R"("duration":1.5e2)"),
                                  record("c", R"("jurisdiction":"INTER\nSTATE")"), record("d", R"("mos":4.33)")});
  check_paths_agree(body);
  const auto fast = run(body, parse_path::fast);
  BOOST_TEST(fast.ok);
  BOOST_TEST(fast.records == 4u);
}

BOOST_AUTO_TEST_CASE(a_key_spelled_with_an_escape_is_the_key_it_spells) {
  const std::string body = reply({record("a"), R"({"\u0069d":"b","time":"10/10/22 23:07:20"})"});
  check_paths_agree(body);
  BOOST_TEST(run(body, parse_path::fast).records == 2u);
}

BOOST_AUTO_TEST_CASE(records_whose_keys_move_repeat_or_go_missing_are_read_whole) {
  check_paths_agree(reply({
      record("a", R"("duration":10,"mos":4.1,"recorded":1)"),
      R"({"time":"10/10/22 23:07:20","mos":3.9,"id":"b","duration":11})",   // reordered
      R"({"id":"c","time":"10/10/22 23:07:20"})",                           // keys missing
      record("d", R"("extra":{"nested":[1,2,{"x":null}]},"duration":12)"),  // a key never seen
      record("e", R"("duration":12,"duration":13)"),                        // repeated: invalid
      record("f", R"("duration":10,"mos":4.1,"recorded":1)"),
  }));
}

BOOST_AUTO_TEST_CASE(numbers_of_kept_fields_are_the_same_doubles_on_both_paths) {
  std::vector<std::string> records;
  int n = 0;
  for (const char* v : {"0", "-0", "0.1", "4.33", "99.99", "0.000000000000001", "123456789012345", "1234567.891",
                        "-0.0", "5.0000", "0.30000000000000004", "1e2", "12345678901234567890", "3.14159265358979"})
    records.push_back(
        record("n" + std::to_string(n++), std::string(R"("percentJitter":)") + v + R"(,"billingId":)" + v));
  check_paths_agree(reply(records));
}

BOOST_AUTO_TEST_CASE(flags_literals_and_wrong_types_give_the_same_verdicts) {
  check_paths_agree(reply({
      record("a", R"("recorded":true,"queueCall":false,"isTollFree":null,"isInternational":1)"),
      record("b", R"("recorded":2)"),
      record("c", R"("mos":"4.3")"),
      record("d", R"("jurisdiction":[1])"),
      record("e", R"("direction":{"a":1})"),
      R"({"time":"10/10/22 23:07:20"})",
      R"({"id":"","time":"10/10/22 23:07:20"})",
      R"({"id":null,"time":"10/10/22 23:07:20"})",
      "{}",
  }));
}

BOOST_AUTO_TEST_CASE(elements_that_are_not_records_give_the_same_verdicts) {
  check_paths_agree(R"([1,"x",null,true,[{"id":"a","time":"10/10/22 23:07:20"}],)" + record("b") + "]");
  check_paths_agree("[]");
  check_paths_agree(" \n [ \t" + record("a") + " , " + record("b") + " ] \n");
}

BOOST_AUTO_TEST_CASE(invalid_json_gets_the_same_error_at_the_same_byte_on_both_paths) {
  for (const std::string& body : std::vector<std::string>{
           reply({record("a"), record("b")}).insert(1, " ") + ",",  // trailing data after ]
           "[" + record("a") + ",]",                                // trailing comma
           "[" + record("a") + "," + record("b").substr(0, 30),     // cut short
           "[" + record("a", R"("x":01)") + "]",                    // leading zero
           "[" + record("a", R"("x":tru)") + "]",                   // bad literal
           "[" +
               record("a", R"("x":"a)"
                           "\x01"
                           R"(b")") +
               "]",                                           // control character
           "[" + record("a", R"("x":"\q")") + "]",            // bad escape
           "[" + record("a", R"("x":"\uD800\uDC0g")") + "]",  // bad hex after a high surrogate
           "[" + record("a", R"("x" 1)") + "]",               // no colon
           "[" + record("a", R"("x":1e99999999999)") + "]",   // exponent overflow
           "[" + record("a", R"("x":)" + std::string(40, '[') + std::string(40, ']')) + "]",  // too deep
           "[" + record("a") + " " + record("b") + "]",                                       // no comma
           "[" + record("a", R"("x":-)") + "]",
           "[" + record("a", R"("x":1.)") + "]",
       }) {
    check_paths_agree(body);
    BOOST_TEST(!run(body, parse_path::fast).ok);
  }
}

BOOST_AUTO_TEST_CASE(a_record_longer_than_the_carry_limit_is_read_in_small_pieces) {
  // 300 KiB in a field nobody reads: past the fast path's carry, the general parser takes over
  // at the record's start and skips the string without keeping it.
  const std::string notes = R"("notes":")" + std::string(300 * 1024, 'x') + "\"";
  const std::string body = reply({record("a"), record("b", notes), record("c")});
  check_paths_agree(body);
  const auto fast = run(body, parse_path::fast, 4096);
  BOOST_TEST(fast.ok);
  BOOST_TEST(fast.records == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
