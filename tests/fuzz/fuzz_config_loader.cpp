// libFuzzer target: load_config_text on arbitrary bytes either returns a config or throws
// config_error with a one-line message; any other exception (a yaml-cpp one that slipped
// through, std::regex_error, ...) escapes and is reported as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto c = voxo::config::load_config_text(text, "fuzz.yml");
    if (c.tenants.empty() && !c.discovery.enabled) std::abort();  // a loaded config always polls someone
  } catch (const voxo::config::config_error& e) {
    if (std::string_view(e.what()).find('\n') != std::string_view::npos) std::abort();
  }
  return 0;
}
