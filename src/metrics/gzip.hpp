#pragma once
// gzip (RFC 1952) compression of a whole buffer, for Content-Encoding: gzip.

#include <string>
#include <string_view>

namespace voxo::metrics {

std::string gzip_compress(std::string_view data);
// The inverse, for tests and tools; empty on a corrupt input.
std::string gzip_decompress(std::string_view data);

}  // namespace voxo::metrics
