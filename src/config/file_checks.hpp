#pragma once
// What the config names on disk, checked when it is loaded (start-up, SIGHUP, --config.check),
// so a wrong path stops the start with a message naming the key instead of failing later:
// - collector.state_file must be a regular file or absent, in an existing, writable folder.
//   Anything else (a directory, FIFO, device) is refused and never moved or opened. A symlink is
//   followed: the path becomes its target, so saves replace the target, not the link.
// - api.token_file, api.password_file and api.ca_file, when they exist, must be regular files of
//   sane size (a directory or /dev/zero is refused). A missing one is left to the first use, which
//   names the key too (a Kubernetes secret may be mounted a moment later).

#include "config/config.hpp"

namespace voxo::config {

// Throws config_error("<source>: <key>: ..."). May rewrite c.collector.state_file (symlinks).
void check_files(config& c);

}  // namespace voxo::config
