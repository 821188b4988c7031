#pragma once
// The version and git revision the binary was built from. Defined in one source file only, so
// a new commit recompiles that file and nothing else.

#include <string_view>

namespace voxo::util {

std::string_view build_version() noexcept;
std::string_view build_revision() noexcept;

}  // namespace voxo::util
