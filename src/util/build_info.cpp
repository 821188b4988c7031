#include "util/build_info.hpp"

// Set by src/CMakeLists.txt on this file alone; builds without them (fuzzing) say "unknown".
#ifndef VOXO_VERSION
#define VOXO_VERSION "unknown"
#endif
#ifndef VOXO_REVISION
#define VOXO_REVISION "unknown"
#endif

namespace voxo::util {

std::string_view build_version() noexcept { return VOXO_VERSION; }
std::string_view build_revision() noexcept { return VOXO_REVISION; }

}  // namespace voxo::util
