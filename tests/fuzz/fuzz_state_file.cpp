// libFuzzer target: a state file, whole or fed in pieces of any size, never crashes the reader;
// both ways agree, and whatever is accepted is written back to text that reads the same again.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "collector/state_file.hpp"

namespace {
using voxo::collector::tenant_snapshot;

// Ids compared as sets, each with its time and fingerprint: the order of ids that are not
// UUIDs follows a hash table's history.
std::vector<std::tuple<std::string, std::chrono::sys_seconds, std::uint32_t>> ids(const tenant_snapshot& t) {
  std::vector<std::tuple<std::string, std::chrono::sys_seconds, std::uint32_t>> out;
  t.ids.for_each_view([&](std::string_view id, std::chrono::sys_seconds s, std::uint32_t print) {
    out.emplace_back(std::string(id), s, print);
  });
  std::sort(out.begin(), out.end());
  return out;
}

bool same(const std::vector<tenant_snapshot>& a, const std::vector<tenant_snapshot>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].label != b[i].label || a[i].watermark != b[i].watermark || !(a[i].totals == b[i].totals) ||
        !(a[i].counts == b[i].counts) || ids(a[i]) != ids(b[i]))
      return false;
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + data[0] % 64;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto whole = voxo::collector::parse_state(text);
  voxo::collector::state_reader reader;
  for (std::size_t at = 0; at < text.size(); at += piece)
    if (!reader.write(text.substr(at, piece))) break;
  const auto pieces = reader.finish();
  if (whole.has_value() != pieces.has_value()) std::abort();
  if (!whole) return 0;
  if (!same(*whole, *pieces)) std::abort();
  const auto again = voxo::collector::parse_state(voxo::collector::serialize_state(*whole));
  if (!again || !same(*again, *whole)) std::abort();
  return 0;
}
