#pragma once
// gzip (RFC 1952) for Content-Encoding: gzip.
//
// Besides whole-buffer compression, a response can be spliced from a large part compressed
// once and shared (deflate_open: a raw deflate stream ended by a sync flush, so it stops on a
// byte boundary without a final block) and a small part compressed per response
// (gzip_finish: its own raw deflate stream ending in the final block, then the trailer with
// the CRC-32 of both parts combined). header + open.bytes + finish is ONE valid gzip member.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace voxo::metrics {

std::string gzip_compress(std::string_view data);
// The inverse, for tests and tools; empty on a corrupt input.
std::string gzip_decompress(std::string_view data);

constexpr int deflate_default_level = -1;  // zlib's Z_DEFAULT_COMPRESSION
constexpr int deflate_fast_level = 1;      // Z_BEST_SPEED

// The start of a gzip member's deflate data, reusable by many members.
struct deflate_prefix {
  std::string bytes;       // raw deflate, no final block, ends byte-aligned (Z_SYNC_FLUSH)
  std::uint32_t crc = 0;   // CRC-32 of the uncompressed text
  std::uint64_t size = 0;  // uncompressed length
};

// nullopt when zlib fails (out of memory): callers then serve the text uncompressed.
std::optional<deflate_prefix> deflate_open(std::string_view text, int level = deflate_default_level);

// The 10 bytes a member starts with (no name, no mtime).
std::string_view gzip_header();

// What completes the member started by gzip_header() + prefix.bytes so that it inflates to
// prefix text + `tail`: `tail` deflated up to the final block, then CRC-32 and ISIZE.
std::optional<std::string> gzip_finish(const deflate_prefix& prefix, std::string_view tail,
                                       int level = deflate_fast_level);

}  // namespace voxo::metrics
