// libFuzzer target: discovery.include / exclude against long, hostile tenant names (issue #13:
// std::regex recursed per character and crashed on a 60 KB name). Any pattern RE2 accepts,
// against a name repeated up to ~1 MB, never crashes, and the filter keeps its rules: exclude
// wins, no patterns accept everything, and a name's quoted form selects exactly that name.
// Input: byte 0 sets how often the name repeats; the rest is "pattern\0name".
#include <re2/re2.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "api/detail/utf8.hpp"
#include "collector/tenant_filter.hpp"

namespace {

using voxo::collector::tenant_filter;

void check(bool ok) {
  if (!ok) std::abort();
}

constexpr std::size_t max_name_bytes = 1 << 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t repeats = 1 + data[0] % 64;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t cut = rest.find('\0');
  const std::string pattern(rest.substr(0, cut));
  const std::string_view unit = cut == std::string_view::npos ? std::string_view{} : rest.substr(cut + 1);
  std::string name;
  for (std::size_t i = 0; i < repeats && name.size() + unit.size() <= max_name_bytes; ++i) name.append(unit);

  check(tenant_filter({}, {}).accepts("1", name));
  try {
    const tenant_filter include({pattern}, {});
    const tenant_filter both({pattern}, {pattern});
    const bool selected = include.accepts("1", name);
    check(!both.accepts("1", name));  // exclude wins
    check(tenant_filter({}, {pattern}).accepts("1", name) == !selected);
  } catch (const std::invalid_argument&) {
    // RE2 refused the pattern: the config loader reports it at start-up.
  }
  if (name.size() <= 1024 && voxo::api::detail::is_valid_utf8(name)) {  // as long as a config pattern
    const tenant_filter exact({RE2::QuoteMeta(name)}, {});
    const std::string id = name + "#id";  // an id the quoted name can't match
    check(exact.accepts(id, name));
    check(!exact.accepts(id, name + "x"));
  }
  return 0;
}
