#pragma once
// Golden files: a test's whole output compared byte for byte with a file checked in under
// tests/fixtures/ (see tests/fixtures/README.md). The expected file is the spec: review every
// change to it like code.
//
// With VOXO_UPDATE_GOLDEN=1 in the environment, a mismatching (or missing) expected file is
// rewritten with the actual text instead, and the comparison passes; run the test once that
// way, then read `git diff tests/fixtures` before committing.

#include <filesystem>
#include <string>

namespace voxo::test {

// "" when `actual` equals the file at `expected` byte for byte (or the file was just
// rewritten, see above); else a unified diff, expected -> actual, to print.
std::string golden_mismatch(const std::string& actual, const std::filesystem::path& expected);

// The contents of a file (throws std::runtime_error naming it when it cannot be read).
std::string read_file(const std::filesystem::path& path);

// tests/fixtures/<name> in the source tree.
std::filesystem::path fixture_path(const std::string& name);

}  // namespace voxo::test
