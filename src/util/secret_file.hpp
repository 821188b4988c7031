#pragma once
// Reading a credential (token, password) from a file, e.g. a mounted Kubernetes secret.

#include <boost/system/result.hpp>

#include <string>

#include "util/secret.hpp"

namespace voxo::util {

// The file's content without trailing whitespace/newlines. Error (a message naming the
// path, never the content) if it cannot be read or is empty. Logs a warning, once per
// path, when group or others may read the file.
boost::system::result<secret, std::string> read_secret_file(const std::string& path);

}  // namespace voxo::util
