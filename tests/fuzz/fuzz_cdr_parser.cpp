// libFuzzer target: the streaming CDR parser never crashes, every record it hands out meets
// the validity rules, the result does not depend on how the body is split into pieces, and the
// fast path (fast_reply_scanner + fallback) gives exactly what Boost.JSON alone gives: the same
// records field for field (numbers bit for bit), the same invalid ones, the same error.
// Input: byte 0 and 1 choose up to two split points, the rest is the body.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "api/cdr_stream_parser.hpp"
#include "api/detail/utf8.hpp"
#include "api/record_time.hpp"
#include "../support/record_transcript.hpp"

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
  return 0;
}
