#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <date/date.h>
#include <date/tz.h>

#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/cdr_stream_parser.hpp"
#include "api/record_time.hpp"

using namespace voxo::api;

// Lets BOOST_TEST compare and print optional fields.
namespace boost::test_tools::tt_detail {
template <class T>
struct print_log_value<std::optional<T>> {
  void operator()(std::ostream& os, const std::optional<T>& v) {
    if (v) os << *v;
    else os << "nullopt";
  }
};
}  // namespace boost::test_tools::tt_detail

namespace {

struct collecting_sink : record_sink {
  std::vector<cdr> records;
  std::vector<std::string> invalid;
  std::vector<std::string> early_ids;  // on_record_id hints, each with how many records completed before it
  void on_record_id(std::string_view id) override {
    early_ids.push_back(std::to_string(records.size() + invalid.size()) + ":" + std::string(id));
  }
  void on_record(const cdr& r) override { records.push_back(r); }
  void on_invalid(std::string_view why) override { invalid.emplace_back(why); }
};

struct outcome {
  bool ok = false;
  std::string error;
  collecting_sink sink;
  std::uint64_t records = 0;
  std::uint64_t invalid = 0;
};

const date::time_zone* chicago() { return find_zone("America/Chicago"); }

// Parses `body` fed in pieces of `piece` bytes (0 = whole).
outcome parse(std::string_view body, std::size_t piece = 0, const date::time_zone* zone = chicago()) {
  outcome out;
  cdr_stream_parser p{out.sink, zone};
  bool ok = true;
  if (piece == 0) {
    ok = p.write(body);
  } else {
    for (std::size_t i = 0; ok && i < body.size(); i += piece) ok = p.write(body.substr(i, piece));
  }
  out.ok = ok && p.finish();
  out.error = p.error_message();
  out.records = p.records();
  out.invalid = p.invalid();
  return out;
}

std::chrono::sys_seconds utc(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  return date::sys_days{date::year{y} / date::month{mo} / date::day{d}} + std::chrono::hours{h} +
         std::chrono::minutes{mi} + std::chrono::seconds{s};
}

// The example reply of call-reports.md, with its trailing comma ("},]") removed.
const std::string documented_example = R"([
    {
        "id": "2d275d62-706c-42d2-a4d4-e4ef53d83974",
        "time": "10/10/22 23:07:20",
        "callerIdNumber": "5555555555",
        "callerIdName": "BILL CLINTON",
        "dialedNum": "5555555555",
        "direction": "IN",
        "disposition": "ANSWERED",
        "duration": 4,
        "percentJitter": 0,
        "packetLoss": 0,
        "qos": 0,
        "uniqueId": "atl-ast2-1665457640.1430167",
        "prevUniqueId": "",
        "whoAnswered": "",
        "recorded": 0,
        "queueCall": 0,
        "ocn": "8911",
        "ani": "5555555555",
        "lata": "826",
        "city": "KINGSTON",
        "rateCenter": "KINGSTON",
        "state": "JM",
        "jurisdiction": "INTERSTATE",
        "local": 0,
        "lec": "JAMAICA TELEPHONE CO.",
        "lecType": "CLEC",
        "spid": null,
        "isTollFree": null,
        "nextUniqueId": "",
        "isInternational": null,
        "presented": 1,
        "mos": 0,
        "callOutcome": "",
        "afterAnswerDuration": 4,
        "outgoingCidNum": null,
        "billingId": null,
        "partnerId": null,
        "geolocation": null
    },
    {
        "id": "ae8a5f62-7bd3-46a0-84d6-a3d46b35c886",
        "time": "10/10/22 19:49:16",
        "callerIdNumber": "5555555555",
        "callerIdName": "FRED DURST",
        "dialedNum": "5555555555",
        "direction": "IN",
        "disposition": "NO ANSWER",
        "duration": 3,
        "percentJitter": 0,
        "packetLoss": 0,
        "qos": 1,
        "uniqueId": "atl-ast2-1665445756.1422469",
        "prevUniqueId": "",
        "whoAnswered": "",
        "recorded": 0,
        "queueCall": 0,
        "ocn": null,
        "ani": null,
        "lata": null,
        "city": null,
        "rateCenter": null,
        "state": null,
        "jurisdiction": null,
        "local": null,
        "lec": null,
        "lecType": null,
        "spid": null,
        "isTollFree": null,
        "nextUniqueId": "",
        "isInternational": null,
        "presented": 0,
        "mos": 4.4,
        "callOutcome": "",
        "afterAnswerDuration": 0,
        "outgoingCidNum": null,
        "billingId": null,
        "partnerId": null,
        "geolocation": null
    }
])";

// A valid minimal record followed by `fields` in a second record, and a third valid record.
std::string sandwich(const std::string& fields) {
  return R"([{"id":"a","time":"10/10/22 23:07:20"},{"id":"b","time":"10/10/22 23:07:20",)" + fields +
         R"(},{"id":"c","time":"10/10/22 23:07:20"}])";
}

// Expects the middle record of sandwich(fields) to be invalid and the others delivered.
void expect_middle_invalid(const std::string& fields) {
  BOOST_TEST_CONTEXT("fields " << fields) {
    const auto r = parse(sandwich(fields));
    BOOST_TEST(r.ok);
    BOOST_TEST(r.records == 2u);
    BOOST_TEST(r.invalid == 1u);
    BOOST_REQUIRE(r.sink.records.size() == 2u);
    BOOST_TEST(r.sink.records[0].id == "a");
    BOOST_TEST(r.sink.records[1].id == "c");
  }
}

// Expects the middle record of sandwich(fields) to be valid, and returns it.
cdr expect_middle_valid(const std::string& fields) {
  const auto r = parse(sandwich(fields));
  BOOST_TEST(r.ok, "fields " << fields);
  BOOST_TEST(r.invalid == 0u, "fields " << fields << ": " << (r.sink.invalid.empty() ? "" : r.sink.invalid[0]));
  BOOST_REQUIRE(r.sink.records.size() == 3u);
  return r.sink.records[1];
}

void expect_reply_error(std::string_view body, std::string_view message_start) {
  for (std::size_t piece : {std::size_t{0}, std::size_t{1}, std::size_t{7}}) {
    const auto r = parse(body, piece);
    BOOST_TEST(!r.ok);
    BOOST_TEST(r.error.rfind(message_start, 0) == 0u, "piece " << piece << ": " << r.error);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cdr_stream_parser_suite)

BOOST_AUTO_TEST_CASE(documented_example_gives_two_records_with_their_fields) {
  const auto r = parse(documented_example);
  BOOST_TEST(r.ok);
  BOOST_TEST(r.error.empty());
  BOOST_TEST(r.records == 2u);
  BOOST_TEST(r.invalid == 0u);
  BOOST_REQUIRE(r.sink.records.size() == 2u);
  const auto& a = r.sink.records[0];
  BOOST_TEST(a.id == "2d275d62-706c-42d2-a4d4-e4ef53d83974");
  BOOST_TEST((a.time == utc(2022, 10, 11, 4, 7, 20)));  // 23:07:20 CDT
  BOOST_TEST((a.direction == call_direction::in));
  BOOST_TEST((a.disposition == call_disposition::answered));
  BOOST_TEST(a.duration == std::optional<double>{4.0});
  BOOST_TEST(a.after_answer_duration == std::optional<double>{4.0});
  BOOST_TEST(a.percent_jitter == std::optional<double>{0.0});
  BOOST_TEST(a.packet_loss == std::optional<double>{0.0});
  BOOST_TEST(a.mos == std::optional<double>{0.0});
  BOOST_TEST(a.recorded == std::optional<bool>{false});
  BOOST_TEST(a.queue_call == std::optional<bool>{false});
  BOOST_TEST(!a.is_toll_free.has_value());
  BOOST_TEST(!a.is_international.has_value());
  BOOST_TEST(a.jurisdiction == std::optional<std::string>{"INTERSTATE"});
  BOOST_TEST(!a.billing_id.has_value());
  BOOST_TEST(!a.partner_id.has_value());

  const auto& b = r.sink.records[1];
  BOOST_TEST(b.id == "ae8a5f62-7bd3-46a0-84d6-a3d46b35c886");
  BOOST_TEST((b.time == utc(2022, 10, 11, 0, 49, 16)));
  BOOST_TEST((b.disposition == call_disposition::no_answer));
  BOOST_TEST(b.mos == std::optional<double>{4.4});
  BOOST_TEST(b.duration == std::optional<double>{3.0});
  BOOST_TEST(b.after_answer_duration == std::optional<double>{0.0});
  BOOST_TEST(!b.jurisdiction.has_value());
}

BOOST_AUTO_TEST_CASE(documented_example_with_its_trailing_comma_is_rejected) {
  // Decision: the doc's "},]" is a typo; a reply that is not valid JSON is not trusted.
  auto body = documented_example;
  body.insert(body.rfind('}') + 1, ",");
  const auto r = parse(body);
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.error.rfind("invalid JSON at byte ", 0) == 0u, r.error);
}

BOOST_AUTO_TEST_CASE(record_time_converts_with_the_given_zone) {
  const auto body = R"([{"id":"a","time":"03/13/22 01:30:00"},{"id":"b","time":"07/01/22 12:00:00"}])";
  const auto central = parse(body);
  BOOST_REQUIRE(central.sink.records.size() == 2u);
  BOOST_TEST((central.sink.records[0].time == utc(2022, 3, 13, 7, 30, 0)));  // CST, UTC-6
  BOOST_TEST((central.sink.records[1].time == utc(2022, 7, 1, 17, 0, 0)));   // CDT, UTC-5
  const auto in_utc = parse(body, 0, find_zone("UTC"));
  BOOST_REQUIRE(in_utc.sink.records.size() == 2u);
  BOOST_TEST((in_utc.sink.records[1].time == utc(2022, 7, 1, 12, 0, 0)));
}

BOOST_AUTO_TEST_CASE(every_optional_field_null_gives_empty_optionals_and_other_labels) {
  const auto c = expect_middle_valid(
      R"("direction":null,"disposition":null,"duration":null,"afterAnswerDuration":null,)"
      R"("percentJitter":null,"packetLoss":null,"mos":null,"recorded":null,"queueCall":null,)"
      R"("isTollFree":null,"isInternational":null,"jurisdiction":null,"billingId":null,"partnerId":null)");
  BOOST_TEST((c.direction == call_direction::other));
  BOOST_TEST((c.disposition == call_disposition::other));
  BOOST_TEST(!c.duration.has_value());
  BOOST_TEST(!c.after_answer_duration.has_value());
  BOOST_TEST(!c.percent_jitter.has_value());
  BOOST_TEST(!c.packet_loss.has_value());
  BOOST_TEST(!c.mos.has_value());
  BOOST_TEST(!c.recorded.has_value());
  BOOST_TEST(!c.queue_call.has_value());
  BOOST_TEST(!c.is_toll_free.has_value());
  BOOST_TEST(!c.is_international.has_value());
  BOOST_TEST(!c.jurisdiction.has_value());
  BOOST_TEST(!c.billing_id.has_value());
  BOOST_TEST(!c.partner_id.has_value());
}

BOOST_AUTO_TEST_CASE(missing_optional_fields_are_the_same_as_null) {
  const auto c = expect_middle_valid(R"("qos":1)");
  BOOST_TEST((c.direction == call_direction::other));
  BOOST_TEST(!c.duration.has_value());
  BOOST_TEST(!c.recorded.has_value());
  BOOST_TEST(!c.billing_id.has_value());
}

BOOST_AUTO_TEST_CASE(fields_of_one_record_do_not_leak_into_the_next) {
  const auto r =
      parse(R"([{"id":"a","time":"10/10/22 23:07:20","duration":5,"direction":"OUT","billingId":"X1","recorded":1},)"
            R"({"id":"b","time":"10/10/22 23:07:20"}])");
  BOOST_REQUIRE(r.sink.records.size() == 2u);
  const auto& b = r.sink.records[1];
  BOOST_TEST(!b.duration.has_value());
  BOOST_TEST((b.direction == call_direction::other));
  BOOST_TEST(!b.billing_id.has_value());
  BOOST_TEST(!b.recorded.has_value());
}

BOOST_AUTO_TEST_CASE(unknown_fields_of_any_shape_are_ignored) {
  const auto c =
      expect_middle_valid(R"("geolocation":{"lat":1.5,"lon":[1,2,{"id":"nested","time":"x"}],"duration":"x"},)"
                          R"("extra":[[[]],{}],"flag":true,"n":null,"s":"text","i":-5,"d":1e400,"duration":7)");
  BOOST_TEST(c.id == "b");
  BOOST_TEST(c.duration == std::optional<double>{7.0});
}

BOOST_AUTO_TEST_CASE(flags_accept_0_1_and_booleans) {
  const auto c = expect_middle_valid(R"("recorded":1,"queueCall":0,"isTollFree":true,"isInternational":false)");
  BOOST_TEST(c.recorded == std::optional<bool>{true});
  BOOST_TEST(c.queue_call == std::optional<bool>{false});
  BOOST_TEST(c.is_toll_free == std::optional<bool>{true});
  BOOST_TEST(c.is_international == std::optional<bool>{false});
}

BOOST_AUTO_TEST_CASE(text_fields_accept_numbers_as_decimal_text) {
  const auto c = expect_middle_valid(R"("jurisdiction":"LOCAL","billingId":12345,"partnerId":18446744073709551615)");
  BOOST_TEST(c.jurisdiction == std::optional<std::string>{"LOCAL"});
  BOOST_TEST(c.billing_id == std::optional<std::string>{"12345"});
  BOOST_TEST(c.partner_id == std::optional<std::string>{"18446744073709551615"});
  BOOST_TEST(expect_middle_valid(R"("billingId":-7)").billing_id == std::optional<std::string>{"-7"});
  BOOST_TEST(expect_middle_valid(R"("billingId":2.5)").billing_id == std::optional<std::string>{"2.5"});
}

BOOST_AUTO_TEST_CASE(numbers_at_their_limits_are_valid) {
  const auto c =
      expect_middle_valid(R"("duration":2678400,"afterAnswerDuration":0.5,"percentJitter":100,"packetLoss":0,"mos":5)");
  BOOST_TEST(c.duration == std::optional<double>{2678400.0});
  BOOST_TEST(c.after_answer_duration == std::optional<double>{0.5});
  BOOST_TEST(c.percent_jitter == std::optional<double>{100.0});
  BOOST_TEST(c.mos == std::optional<double>{5.0});
}

BOOST_AUTO_TEST_CASE(each_wrong_type_makes_only_its_record_invalid) {
  for (const char* fields : {R"("id":"b2")",  // repeated id (the sandwich already has one)
                             R"("direction":5)",
                             R"("direction":true)",
                             R"("direction":{})",
                             R"("disposition":["ANSWERED"])",
                             R"("duration":"4")",
                             R"("duration":true)",
                             R"("duration":{})",
                             R"("duration":[])",
                             R"("afterAnswerDuration":"0")",
                             R"("percentJitter":false)",
                             R"("packetLoss":"x")",
                             R"("mos":{"v":4})",
                             R"("recorded":2)",
                             R"("recorded":"1")",
                             R"("queueCall":0.5)",
                             R"("isTollFree":-1)",
                             R"("isInternational":[])",
                             R"("jurisdiction":true)",
                             R"("billingId":{})",
                             R"("partnerId":[1])"})
    expect_middle_invalid(fields);
}

BOOST_AUTO_TEST_CASE(out_of_range_numbers_make_the_record_invalid) {
  for (const char* fields : {R"("duration":-1)", R"("afterAnswerDuration":-0.5)", R"("duration":2678401)",
                             R"("afterAnswerDuration":1e12)", R"("percentJitter":100.5)", R"("packetLoss":101)",
                             R"("mos":5.1)", R"("mos":-1)", R"("duration":-9223372036854775808)"})
    expect_middle_invalid(fields);
}

BOOST_AUTO_TEST_CASE(number_too_big_for_a_double_is_infinite_and_makes_the_record_invalid) {
  // Boost.JSON 1.81 reads 1e400 as infinity (not a reply error).
  expect_middle_invalid(R"("duration":1e400)");
  expect_middle_invalid(R"("mos":-1e400)");
}

// A body that is not one complete JSON array fails the whole reply, with the same message
// whatever the pieces it arrives in (whole, byte by byte, 7 bytes at a time).
namespace {

struct reply_error {
  const char* name;
  std::string body;
  const char* message_start;
};
std::ostream& operator<<(std::ostream& os, const reply_error& r) { return os << r.name; }

std::vector<reply_error> reply_errors() {
  const std::string record = R"({"id":"a","time":"10/10/22 23:07:20"})";
  const char* not_array = "reply is not a JSON array";
  const char* cut_short = "reply cut short";
  const char* trailing = "trailing data after the JSON array";
  const char* invalid = "invalid JSON at byte ";
  return {
      {"an_object_is_not_an_array", "{}", not_array},
      {"an_api_error_object_is_not_an_array", R"({"name":"NotAuthenticated","code":401})", not_array},
      {"null_is_not_an_array", "null", not_array},
      {"a_number_is_not_an_array", "42", not_array},
      {"a_string_is_not_an_array", "\"text\"", not_array},
      {"true_is_not_an_array", "true", not_array},
      // Decided on the first significant byte, so the message doesn't depend on the pieces.
      {"a_string_with_a_control_character_is_not_an_array", "\"id\x01\"", not_array},
      {"the_start_of_null_is_not_an_array", " \n nul", not_array},
      {"a_bom_before_the_array_is_not_json", "\xEF\xBB\xBF[]", not_array},
      {"an_empty_body_is_not_an_array", "", not_array},
      {"a_whitespace_only_body_is_not_an_array", " \n\t\r ", not_array},
      {"an_open_bracket_alone_is_cut_short", "[", cut_short},
      {"a_record_cut_after_its_id_is_cut_short", R"([{"id":"a")", cut_short},
      {"a_cut_after_a_comma_is_cut_short", "[" + record + ",", cut_short},
      {"a_cut_inside_a_key_is_cut_short", "[" + record + R"(, {"id":"b", "dur)", cut_short},
      {"a_cut_inside_a_number_is_cut_short", R"([{"id":"a","duration":12)", cut_short},
      {"a_word_after_the_array_is_trailing_data", "[] x", trailing},
      {"a_second_array_is_trailing_data", "[][]", trailing},
      {"an_object_after_the_array_is_trailing_data", "[" + record + R"(] {"more":1})", trailing},
      {"a_block_comment_is_not_json", "[ /* no */ ]", invalid},
      {"a_line_comment_after_the_array_is_trailing_data", "[] // no", trailing},
      {"nesting_10000_deep_is_an_error_not_a_crash", std::string(10000, '['), invalid},
      {"nesting_10000_deep_inside_a_record_is_an_error_not_a_crash",
       R"([{"id":"a","time":"10/10/22 23:07:20","x":)" + std::string(10000, '['), invalid},
      {"an_exponent_beyond_what_the_parser_reads",
       R"([{"id":"a","time":"10/10/22 23:07:20","duration":1e99999999999}])", invalid},
      // A lone surrogate is legal JSON (tests/api/lone_surrogate_test.cpp); a broken \u escape is not.
      {"a_broken_unicode_escape", R"([{"id":"a","time":"10/10/22 23:07:20","x":"\ud800\u12x4"}])", invalid},
  };
}

}  // namespace

BOOST_DATA_TEST_CASE(a_body_that_is_not_one_json_array_is_a_reply_error, boost::unit_test::data::make(reply_errors()),
                     row) {
  expect_reply_error(row.body, row.message_start);
}

BOOST_AUTO_TEST_CASE(missing_null_empty_or_non_string_id_makes_the_record_invalid) {
  for (const char* body : {R"([{"time":"10/10/22 23:07:20"}])", R"([{"id":null,"time":"10/10/22 23:07:20"}])",
                           R"([{"id":"","time":"10/10/22 23:07:20"}])", R"([{"id":42,"time":"10/10/22 23:07:20"}])",
                           R"([{"id":["a"],"time":"10/10/22 23:07:20"}])"}) {
    const auto r = parse(body);
    BOOST_TEST(r.ok, body);
    BOOST_TEST(r.records == 0u, body);
    BOOST_TEST(r.invalid == 1u, body);
  }
}

BOOST_AUTO_TEST_CASE(missing_or_bad_time_makes_the_record_invalid) {
  for (const char* body : {R"([{"id":"a"}])", R"([{"id":"a","time":null}])", R"([{"id":"a","time":1665457640}])",
                           R"([{"id":"a","time":"2022-10-10 23:07:20"}])", R"([{"id":"a","time":"02/30/22 00:00:00"}])",
                           R"([{"id":"a","time":"10/10/22 23:07:20 "}])"}) {
    const auto r = parse(body);
    BOOST_TEST(r.ok, body);
    BOOST_TEST(r.records == 0u, body);
    BOOST_TEST(r.invalid == 1u, body);
  }
}

BOOST_AUTO_TEST_CASE(invalid_reason_names_the_field_but_holds_no_record_data) {
  const auto r = parse(R"([{"id":"secret-id-123","time":"10/10/22 23:07:20","duration":"secret-value"}])");
  BOOST_REQUIRE(r.sink.invalid.size() == 1u);
  BOOST_TEST(r.sink.invalid[0] == "duration: wrong type");
  BOOST_TEST(parse(R"([{"time":"10/10/22 23:07:20"}])").sink.invalid.at(0) == "id: missing");
}

BOOST_AUTO_TEST_CASE(repeated_known_key_makes_the_record_invalid) {
  const auto r = parse(R"([{"id":"a","time":"10/10/22 23:07:20","duration":1,"duration":2}])");
  BOOST_TEST(r.ok);
  BOOST_TEST(r.records == 0u);
  BOOST_REQUIRE(r.sink.invalid.size() == 1u);
  BOOST_TEST(r.sink.invalid[0] == "duration: repeated key");
}

BOOST_AUTO_TEST_CASE(repeated_unknown_key_is_ignored) { expect_middle_valid(R"("qos":1,"qos":2)"); }

BOOST_AUTO_TEST_CASE(elements_that_are_not_objects_are_invalid_and_records_still_count) {
  const auto r =
      parse(R"([1,"x",null,true,[{"id":"n","time":"10/10/22 23:07:20"}],{"id":"a","time":"10/10/22 23:07:20"},-2.5])");
  BOOST_TEST(r.ok);
  BOOST_TEST(r.records == 1u);
  BOOST_TEST(r.invalid == 6u);
  BOOST_REQUIRE(r.sink.records.size() == 1u);
  BOOST_TEST(r.sink.records[0].id == "a");
}

BOOST_AUTO_TEST_CASE(records_reach_the_sink_as_each_one_closes) {
  collecting_sink sink;
  cdr_stream_parser p{sink, chicago()};
  BOOST_TEST(p.write(R"([{"id":"a","time":"10/10/22 23:07:20"})"));
  BOOST_TEST(sink.records.size() == 1u);
  BOOST_TEST(p.write(R"(,{"id":"b","time":"10/10/22 23:07:20"})"));
  BOOST_TEST(sink.records.size() == 2u);
  BOOST_TEST(p.write("]"));
  BOOST_TEST(p.finish());
  BOOST_TEST(p.records() == 2u);
}

BOOST_AUTO_TEST_CASE(body_fed_one_byte_at_a_time_gives_the_same_result) {
  const auto body = documented_example + "  \n";
  const auto whole = parse(body);
  for (std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{13}}) {
    const auto r = parse(body, piece);
    BOOST_TEST(r.ok);
    BOOST_REQUIRE(r.sink.records.size() == whole.sink.records.size());
    for (std::size_t i = 0; i < whole.sink.records.size(); ++i) {
      const auto& a = whole.sink.records[i];
      const auto& b = r.sink.records[i];
      BOOST_TEST(a.id == b.id);
      BOOST_TEST((a.time == b.time));
      BOOST_TEST((a.disposition == b.disposition));
      BOOST_TEST(a.mos == b.mos);
      BOOST_TEST(a.jurisdiction == b.jurisdiction);
      BOOST_TEST(a.recorded == b.recorded);
    }
  }
}

BOOST_AUTO_TEST_CASE(invalid_records_are_the_same_whatever_the_pieces) {
  const auto body = sandwich(R"("duration":"4")");
  for (std::size_t piece : {std::size_t{0}, std::size_t{1}, std::size_t{5}}) {
    const auto r = parse(body, piece);
    BOOST_TEST(r.records == 2u);
    BOOST_TEST(r.invalid == 1u);
    BOOST_TEST(r.sink.invalid.at(0) == "duration: wrong type");
  }
}

BOOST_AUTO_TEST_CASE(empty_array_is_zero_records_and_success) {
  const auto r = parse(" [ ] \r\n");
  BOOST_TEST(r.ok);
  BOOST_TEST(r.records == 0u);
  BOOST_TEST(r.invalid == 0u);
}

BOOST_AUTO_TEST_CASE(empty_pieces_change_nothing) {
  collecting_sink sink;
  cdr_stream_parser p{sink, chicago()};
  BOOST_TEST(p.write(""));
  BOOST_TEST(p.write(R"([{"id":"a","ti)"));
  BOOST_TEST(p.write(""));
  BOOST_TEST(p.write(R"(me":"10/10/22 23:07:20"}])"));
  BOOST_TEST(p.write(""));
  BOOST_TEST(p.finish());
  BOOST_TEST(sink.records.size() == 1u);
}

// The short empty bodies are rows of a_body_that_is_not_one_json_array_is_a_reply_error.
BOOST_AUTO_TEST_CASE(a_10_mib_whitespace_body_is_an_empty_body_error) {
  const auto r = parse(std::string(10 * 1024 * 1024, ' '), 64 * 1024);
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.error == "reply is not a JSON array (empty body)");
}

BOOST_AUTO_TEST_CASE(records_before_the_cut_were_delivered_but_the_reply_fails) {
  // The caller discards them (record_sink.hpp): the parser only reports.
  const auto r = parse(R"([{"id":"a","time":"10/10/22 23:07:20"},{"id":"b")");
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.records == 1u);
}

BOOST_AUTO_TEST_CASE(invalid_json_is_an_error_with_its_byte_offset) {
  const auto r = parse(R"([{"id":"a",,}])");
  BOOST_TEST(!r.ok);
  BOOST_TEST(r.error.rfind("invalid JSON at byte 11: ", 0) == 0u, r.error);
  const auto bytewise = parse(R"([{"id":"a",,}])", 1);
  BOOST_TEST(bytewise.error == r.error);
}

BOOST_AUTO_TEST_CASE(nesting_within_the_depth_limit_is_skipped) {
  const auto deep = std::string(20, '[') + std::string(20, ']');
  const auto c = expect_middle_valid(R"("x":)" + deep);
  BOOST_TEST(c.id == "b");
}

BOOST_AUTO_TEST_CASE(huge_string_in_an_unknown_field_is_skipped) {
  const std::string big(1024 * 1024, 'x');
  for (std::size_t piece : {std::size_t{0}, std::size_t{4096}}) {
    const auto r = parse(sandwich(R"("notes":")" + big + R"(")"), piece);
    BOOST_TEST(r.ok);
    BOOST_TEST(r.records == 3u);
  }
}

BOOST_AUTO_TEST_CASE(huge_string_in_a_known_field_makes_the_record_invalid) {
  const std::string big(1024 * 1024, 'x');
  for (std::size_t piece : {std::size_t{0}, std::size_t{4096}}) {
    const auto r =
        parse(R"([{"id":")" + big + R"(","time":"10/10/22 23:07:20"},{"id":"c","time":"10/10/22 23:07:20"}])", piece);
    BOOST_TEST(r.ok);
    BOOST_TEST(r.records == 1u);
    BOOST_REQUIRE(r.sink.invalid.size() == 1u);
    BOOST_TEST(r.sink.invalid[0] == "id: longer than 4096 bytes");
  }
  expect_middle_invalid(R"("jurisdiction":")" + std::string(4097, 'j') + R"(")");
  expect_middle_valid(R"("jurisdiction":")" + std::string(4096, 'j') + R"(")");
}

// Bad bytes in a string leave the JSON structure intact: only the fields we keep are checked.
BOOST_AUTO_TEST_CASE(invalid_utf8_in_an_ignored_field_or_key_leaves_its_record_valid) {
  const std::string body =
      "[{\"id\":\"a\",\"time\":\"10/10/22 23:07:20\",\"callerIdName\":\"caf\xe9 \xff\xc3\","
      "\"n\xc3\":\"\xed\xa0\x80\",\"x\":[\"\xf8\"],\"jurisdiction\":\"INTERSTATE\"}]";
  for (const std::size_t piece : {std::size_t{0}, std::size_t{1}, std::size_t{7}}) {
    const auto r = parse(body, piece);
    BOOST_TEST(r.ok, "piece " << piece << ": " << r.error);
    BOOST_TEST(r.invalid == 0u);
    BOOST_REQUIRE(r.sink.records.size() == 1u);
    BOOST_TEST(r.sink.records[0].jurisdiction == std::optional<std::string>{"INTERSTATE"});
  }
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_a_kept_field_makes_its_record_invalid_with_the_field_named) {
  for (const std::string name : {"direction", "disposition", "jurisdiction", "billingId", "partnerId"}) {
    const std::string fields = "\"" + name + "\":\"IN\xc3(\"";
    expect_middle_invalid(fields);
    const auto r = parse(sandwich(fields), 1);  // the bytes split across pieces: same verdict
    BOOST_REQUIRE(r.sink.invalid.size() == 1u);
    BOOST_TEST(r.sink.invalid[0] == name + ": invalid UTF-8");
  }
  // A truncated sequence at the end of the value, an overlong form, a surrogate.
  for (const char* bad : {"ab\xe2\x82", "\xc0\xaf", "\xed\xa0\x80"})
    expect_middle_invalid("\"billingId\":\"" + std::string(bad) + "\"");
  const auto r = parse("[{\"id\":\"a\",\"time\":\"10/10/22 23:07:2\xc3\"}]");
  BOOST_TEST(r.ok);
  BOOST_TEST(r.sink.invalid == std::vector<std::string>{"time: invalid UTF-8"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(id_with_invalid_utf8_makes_its_record_invalid_and_is_never_hinted) {
  const std::string body =
      "[{\"id\":\"2d275d62\xff\",\"time\":\"10/10/22 23:07:20\"},"
      "{\"id\":\"ok\",\"time\":\"10/10/22 23:07:20\"}]";
  for (const std::size_t piece : {std::size_t{0}, std::size_t{1}}) {
    const auto r = parse(body, piece);
    BOOST_TEST(r.ok);
    BOOST_TEST(r.records == 1u);
    BOOST_REQUIRE(r.sink.invalid.size() == 1u);
    BOOST_TEST(r.sink.invalid[0] == "id: invalid UTF-8");
    const std::vector<std::string> hinted{"1:ok"};
    BOOST_TEST(r.sink.early_ids == hinted, boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(valid_multibyte_utf8_in_a_kept_field_is_kept_whatever_the_pieces) {
  const std::string text = "Z\xc3\xbcrich \xe6\x9d\xb1\xe4\xba\xac \xf0\x9d\x84\x9e";  // Zürich 東京 𝄞
  for (const std::size_t piece : {std::size_t{0}, std::size_t{1}, std::size_t{7}}) {
    const auto r = parse(sandwich("\"jurisdiction\":\"" + text + "\""), piece);
    BOOST_TEST(r.ok);
    BOOST_REQUIRE(r.sink.records.size() == 3u);
    BOOST_TEST(r.sink.records[1].jurisdiction == std::optional<std::string>{text});
  }
}

BOOST_AUTO_TEST_CASE(escaped_strings_are_decoded) {
  const auto c = expect_middle_valid(R"("jurisdiction":"INTER\u0053TATE","billingId":"a\"b")");
  BOOST_TEST(c.jurisdiction == std::optional<std::string>{"INTERSTATE"});
  BOOST_TEST(c.billing_id == std::optional<std::string>{"a\"b"});
}

BOOST_AUTO_TEST_CASE(error_message_never_holds_record_content) {
  for (const char* body : {R"([{"id":"secret-id-123","time":"x"} garbage])", R"([{"id":"secret-id-123"} secret])",
                           R"({"id":"secret-id-123"})", R"([{"id":"secret-id-123")"}) {
    const auto r = parse(body);
    BOOST_TEST(!r.ok);
    BOOST_TEST(r.error.find("secret") == std::string::npos, r.error);
  }
}

BOOST_AUTO_TEST_CASE(writes_after_an_error_are_refused) {
  collecting_sink sink;
  cdr_stream_parser p{sink, chicago()};
  BOOST_TEST(!p.write("{"));
  const auto message = p.error_message();
  BOOST_TEST(!p.write(R"([{"id":"a","time":"10/10/22 23:07:20"}])"));
  BOOST_TEST(!p.finish());
  BOOST_TEST(p.error_message() == message);
  BOOST_TEST(sink.records.empty());
}

BOOST_AUTO_TEST_CASE(sink_that_throws_fails_the_reply_instead_of_escaping) {
  struct throwing_sink : record_sink {
    void on_record(const cdr&) override { throw std::runtime_error("full"); }
    void on_invalid(std::string_view) override {}
  } sink;
  cdr_stream_parser p{sink, chicago()};
  BOOST_TEST(!p.write(R"([{"id":"a","time":"10/10/22 23:07:20"}])"));
  BOOST_TEST(!p.finish());
  BOOST_TEST(p.error_message() == "record sink failed");
}

BOOST_AUTO_TEST_CASE(whitespace_after_the_array_is_accepted_in_later_writes) {
  collecting_sink sink;
  cdr_stream_parser p{sink, chicago()};
  BOOST_TEST(p.write("[]"));
  BOOST_TEST(p.write("\n\n  "));
  BOOST_TEST(p.finish());
}

// The sink hears each string id before its record completes, even split across pieces.
BOOST_AUTO_TEST_CASE(each_string_id_is_hinted_to_the_sink_before_its_record_completes) {
  const std::string body =
      R"([{"id": "first-id", "time": "10/10/22 23:07:20"}, {"id": 42, "time": "10/10/22 23:07:20"},)"
      R"( {"time": "10/10/22 23:07:20", "id": "third-id-that-is-long"}])";
  for (const std::size_t piece : {std::size_t{0}, std::size_t{1}, std::size_t{7}}) {
    const auto out = parse(body, piece);
    BOOST_REQUIRE(out.ok);
    BOOST_TEST(out.records == 2u);  // a number is no id
    const std::vector<std::string> expected{"0:first-id", "2:third-id-that-is-long"};
    BOOST_TEST(out.sink.early_ids == expected, boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_SUITE_END()
