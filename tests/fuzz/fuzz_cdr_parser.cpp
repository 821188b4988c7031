// libFuzzer target: the streaming CDR parser never crashes, every record it hands out meets
// the validity rules, the result does not depend on how the body is split into pieces, and the
// fast path (fast_reply_scanner + fallback) gives exactly what Boost.JSON alone gives: the same
// records field for field (numbers bit for bit), the same invalid ones, the same error.
// Input: byte 0 and 1 choose up to two split points, the rest is the body.
// The same input is also read as two token lists (split at the first '|') that spell the id and
// an ignored field of one record with escapes of every kind (valid \u pairs, lone high and low
// surrogates, \u0000, the short escapes, raw UTF-8 of 1 to 4 bytes, invalid UTF-8, broken
// escapes): both paths agree on it, a reply that is valid JSON never fails (a lone surrogate
// included), the ignored field never changes the outcome, and the record is valid exactly
// when its id is non-empty UTF-8 with no lone surrogate.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "../support/record_transcript.hpp"
#include "api/cdr_stream_parser.hpp"
#include "api/detail/utf8.hpp"
#include "api/record_time.hpp"

namespace {

using namespace voxo::api;

void check(bool ok) {
  if (!ok) std::abort();
}

void check_number(const std::optional<double>& v, double max) {
  if (v) check(std::isfinite(*v) && *v >= 0 && *v <= max);
}

struct checking_sink : record_sink {
  std::vector<std::string> seen;  // ids, then "!" + reason for invalid ones, in order
  void on_record(const cdr& r) override {
    check(!r.id.empty() && r.id.size() <= 4096);
    check(detail::is_valid_utf8(r.id));  // the JSON parser skips UTF-8 checks: kept text is checked by us
    check_number(r.duration, 31.0 * 86400);
    check_number(r.after_answer_duration, 31.0 * 86400);
    check_number(r.percent_jitter, 100);
    check_number(r.packet_loss, 100);
    check_number(r.mos, 5);
    for (const auto* text : {&r.jurisdiction, &r.billing_id, &r.partner_id})
      if (*text) check((*text)->size() <= 4096 && detail::is_valid_utf8(**text));
    seen.push_back(voxo::test::describe(r));
  }
  void on_invalid(std::string_view why) override {
    check(!why.empty());
    seen.push_back("!" + std::string{why});
  }
};

struct result {
  bool ok;
  std::string error;
  std::uint64_t records, invalid;
  std::vector<std::string> seen;
};

result run(const std::vector<std::string_view>& pieces, parse_path path) {
  static const auto* zone = find_zone("America/Chicago");
  checking_sink sink;
  cdr_stream_parser parser{sink, zone, path};
  bool ok = true;
  for (auto piece : pieces) ok = parser.write(piece) && ok;
  ok = parser.finish() && ok;
  check(ok == parser.error_message().empty());
  check(parser.records() + parser.invalid() == sink.seen.size());
  return {ok, parser.error_message(), parser.records(), parser.invalid(), std::move(sink.seen)};
}

struct escape_token {
  std::string_view json;  // as written inside the JSON string
  enum kind { ok, high, low, not_utf8, broken } what;
};

// What a Node API (or a broken one) may put in a string.
constexpr escape_token tokens[] = {
    {"a", escape_token::ok},
    {"\\ud83d\\ude00", escape_token::ok},  // a valid pair
    {"\\uD800", escape_token::high},
    {"\\udbff", escape_token::high},
    {"\\uDC00", escape_token::low},
    {"\\udfff", escape_token::low},
    {"\\u0000", escape_token::ok},
    {"\\u0041", escape_token::ok},
    {"\\u00e9", escape_token::ok},
    {"\\uFFFF", escape_token::ok},
    {"\\\"", escape_token::ok},
    {"\\\\", escape_token::ok},
    {"\\/", escape_token::ok},
    {"\\b", escape_token::ok},
    {"\\f", escape_token::ok},
    {"\\n", escape_token::ok},
    {"\\r", escape_token::ok},
    {"\\t", escape_token::ok},
    {"\xc3\xa9", escape_token::ok},          // raw UTF-8, 2 bytes
    {"\xe2\x82\xac", escape_token::ok},      // 3 bytes
    {"\xf0\x9f\x98\x80", escape_token::ok},  // 4 bytes
    {"\xff", escape_token::not_utf8},
    {"\xc0\x80", escape_token::not_utf8},      // overlong
    {"\xed\xa0\x80", escape_token::not_utf8},  // a surrogate in raw bytes (CESU-8)
    {"\xe2\x82", escape_token::not_utf8},      // cut short
    {"\\u12", escape_token::broken},
    {"\\x", escape_token::broken},
    {"\x01", escape_token::broken},  // a raw control character
};
constexpr std::size_t token_count = sizeof tokens / sizeof tokens[0];

struct spelled {
  std::string json;
  bool broken = false;    // not valid JSON
  bool not_utf8 = false;  // decodes to something that is not UTF-8 (a lone surrogate included)
};

// A high surrogate directly followed by a low one is a valid pair; any other is lone.
spelled spell(std::string_view choices) {
  spelled out;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    const auto& t = tokens[static_cast<unsigned char>(choices[i]) % token_count];
    out.json += t.json;
    if (t.what == escape_token::broken) out.broken = true;
    if (t.what == escape_token::not_utf8 || t.what == escape_token::low) out.not_utf8 = true;
    if (t.what == escape_token::high) {
      const bool paired = i + 1 < choices.size() &&
                          tokens[static_cast<unsigned char>(choices[i + 1]) % token_count].what == escape_token::low;
      if (!paired) {
        out.not_utf8 = true;
        continue;
      }
      out.json += tokens[static_cast<unsigned char>(choices[++i]) % token_count].json;
    }
  }
  return out;
}

std::string one_record(std::string_view id, std::string_view ignored) {
  return R"([{"id":")" + std::string(id) + R"(","callerIdName":")" + std::string(ignored) +
         R"(","time":"10/10/22 23:07:20","direction":"IN"}])";
}

void check_same(const result& a, const result& b) {
  check(a.ok == b.ok && a.records == b.records && a.invalid == b.invalid && a.seen == b.seen);
}

void check_escapes(std::string_view input) {
  const std::size_t bar = input.find('|');
  const std::string_view id_choices = input.substr(0, std::min<std::size_t>(bar, 64));
  const std::string_view ignored_choices =
      bar == std::string_view::npos ? std::string_view{} : input.substr(bar + 1, 64);
  const auto id = spell(id_choices);
  const auto ignored = spell(ignored_choices);
  const std::string body = one_record(id.json, ignored.json);
  const auto reference = run({body}, parse_path::general_only);
  check_same(run({body}, parse_path::fast), reference);
  const std::size_t cut = input.size() % (body.size() + 1);
  const std::string_view b(body);
  check_same(run({b.substr(0, cut), b.substr(cut)}, parse_path::fast), reference);
  check_same(run({b.substr(0, cut), b.substr(cut)}, parse_path::general_only), reference);
  if (id.broken || ignored.broken) return;
  check(reference.ok);  // valid JSON, whatever its strings hold
  check(reference.records + reference.invalid == 1);
  check(reference.records == (!id.not_utf8 && !id.json.empty() ? 1u : 0u));
  check_same(run({one_record(id.json, "x")}, parse_path::general_only), reference);  // ignored: not looked at
}

std::string_view error_kind(std::string_view error) {
  constexpr std::string_view invalid_json = "invalid JSON at byte ";
  return error.starts_with(invalid_json) ? invalid_json : error;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 2, size - 2);
  std::size_t a = body.empty() ? 0 : data[0] % (body.size() + 1);
  std::size_t b = body.empty() ? 0 : data[1] % (body.size() + 1);
  if (a > b) std::swap(a, b);

  const std::vector<std::string_view> pieces{body.substr(0, a), body.substr(a, b - a), body.substr(b)};
  const auto reference = run({body}, parse_path::general_only);
  const auto whole = run({body}, parse_path::fast);
  // One piece: the fast path hands the general parser the same bytes up to the same end, so
  // even the error's byte offset and wording match.
  check(whole.ok == reference.ok && whole.error == reference.error);
  check(whole.records == reference.records && whole.invalid == reference.invalid);
  check(whole.seen == reference.seen);
  for (const auto path : {parse_path::fast, parse_path::general_only}) {
    const auto split = run(pieces, path);
    check(whole.ok == split.ok);
    check(whole.records == split.records && whole.invalid == split.invalid);
    check(whole.seen == split.seen);
    // Same error, except the details of "invalid JSON at byte N: <why>": Boost.JSON reports
    // some errors at the start of the token or at the bad byte, and names an invalid escape
    // differently, depending on where the piece ended.
    check(error_kind(whole.error) == error_kind(split.error));
  }
  check_escapes(body);
  return 0;
}
