#pragma once
// Reading a credential (token, password) from a file, e.g. a mounted Kubernetes secret.

#include <cstddef>
#include <string>

#include "util/result.hpp"
#include "util/secret.hpp"

namespace voxo::util {

// Tokens and passwords are a few KiB at most; anything bigger is not one.
inline constexpr std::size_t max_secret_file_bytes = 64 * 1024;

// The file's content without trailing whitespace/newlines. Error (a message naming the
// path, never the content) if it cannot be read, is empty, is not a regular file (a
// directory, a device such as /dev/zero, a FIFO: never blocks) or is over
// max_secret_file_bytes. Callers put the config key in front of the message. Logs a warning, once per
// path, when group or others may read the file.
result<secret, std::string> read_secret_file(const std::string& path);

}  // namespace voxo::util
