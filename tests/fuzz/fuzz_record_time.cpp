// libFuzzer target: the API's two time formats never crash, and whatever they accept formats
// back to text that parses to the same instant (in a DST zone, and exactly the same text in UTC).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/record_time.hpp"

namespace {

using namespace voxo::api;

void check(bool ok) {
  if (!ok) std::abort();
}

template <class Parse, class Format>
void round_trip(std::string_view text, const date::time_zone* zone, bool exact, Parse parse, Format format) {
  const auto parsed = parse(text, zone);
  if (!parsed) return;
  const auto formatted = format(*parsed, zone);
  if (exact) check(formatted == text);
  const auto again = parse(formatted, zone);
  check(again && *again == *parsed);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto* utc = find_zone("UTC");
  static const auto* chicago = find_zone("America/Chicago");
  static const auto* dublin = find_zone("Europe/Dublin");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto* zone : {utc, chicago, dublin}) {
    const bool exact = zone == utc;  // no gaps or repeats: the text itself must come back
    round_trip(text, zone, exact, parse_query_time, format_query_time);
    round_trip(text, zone, exact, parse_record_time, format_record_time);
  }
  return 0;
}
