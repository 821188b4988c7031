#include "metrics/gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace voxo::metrics {
namespace {
constexpr int gzip_window_bits = 15 + 16;  // 15-bit window, +16 = gzip wrapper instead of zlib
constexpr int raw_window_bits = -15;       // negative: raw deflate, no wrapper at all
constexpr std::size_t chunk = 64 * 1024;

Bytef* in_ptr(std::string_view s) { return reinterpret_cast<Bytef*>(const_cast<char*>(s.data())); }

// Deflates all of `text` as a raw stream ended by `flush` (Z_SYNC_FLUSH or Z_FINISH),
// appending to `out`; false if zlib fails.
bool raw_deflate(std::string_view text, int level, int flush, std::string& out) {
  if (text.size() > std::numeric_limits<uInt>::max()) return false;
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, raw_window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
  const std::size_t start = out.size();
  // deflateBound covers Z_FINISH of the whole input; a sync flush adds at most a few bytes.
  // Not all of it up front for a large input: resize() writes every byte, and the exposition
  // (about 200 MB at 10,000 tenants, ~17x smaller deflated) would commit that much memory and
  // keep it as the string's capacity. Start from a guess and grow.
  const std::size_t bound = deflateBound(&zs, static_cast<uLong>(text.size())) + 16;
  out.resize(start + std::min(bound, text.size() / 8 + chunk));
  zs.next_in = in_ptr(text);
  zs.avail_in = static_cast<uInt>(text.size());
  int rc = Z_OK;
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + start + zs.total_out);
    zs.avail_out = static_cast<uInt>(out.size() - start - zs.total_out);
    rc = deflate(&zs, flush);
    if (rc == Z_STREAM_ERROR || (rc == Z_BUF_ERROR && zs.avail_out > 0)) break;  // no progress possible
    const bool done = flush == Z_FINISH ? rc == Z_STREAM_END : zs.avail_in == 0 && zs.avail_out > 0;
    if (done) break;
    out.resize(out.size() + chunk);  // out of room: grow and go on
  }
  // Z_BUF_ERROR after a sync flush: a repeated call had nothing left to write (not an error).
  const bool ok = flush == Z_FINISH ? rc == Z_STREAM_END : rc == Z_OK || rc == Z_BUF_ERROR;
  out.resize(start + zs.total_out);
  if (out.capacity() - out.size() > 16 * chunk) out.shrink_to_fit();  // growth left much unused
  deflateEnd(&zs);
  return ok;
}

void put_le32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint32_t crc_of(std::string_view s) {
  return static_cast<std::uint32_t>(crc32_z(crc32(0L, Z_NULL, 0), in_ptr(s), s.size()));
}

}  // namespace

std::string gzip_compress(std::string_view data) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, gzip_window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = in_ptr(data);
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);  // deflateBound guarantees one call suffices
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

std::string gzip_decompress(std::string_view data) {
  z_stream zs{};
  if (inflateInit2(&zs, gzip_window_bits) != Z_OK) return {};
  zs.next_in = in_ptr(data);
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    const auto old = out.size();
    out.resize(old + chunk);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + old);
    zs.avail_out = static_cast<uInt>(chunk);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.resize(old + chunk - zs.avail_out);
  }
  inflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string{};
}

std::optional<deflate_prefix> deflate_open(std::string_view text, int level) {
  deflate_prefix p;
  if (!raw_deflate(text, level, Z_SYNC_FLUSH, p.bytes)) return std::nullopt;
  p.crc = crc_of(text);
  p.size = text.size();
  return p;
}

std::string_view gzip_header() {
  // ID1 ID2, CM=deflate, FLG=0, MTIME=0 (none), XFL=0, OS=3 (Unix).
  static constexpr char header[10] = {'\x1f', '\x8b', '\x08', 0, 0, 0, 0, 0, 0, '\x03'};
  return {header, sizeof header};
}

std::optional<std::string> gzip_finish(const deflate_prefix& prefix, std::string_view tail, int level) {
  std::string out;
  if (!raw_deflate(tail, level, Z_FINISH, out)) return std::nullopt;
  const auto crc = crc32_combine(prefix.crc, crc_of(tail), static_cast<z_off_t>(tail.size()));
  put_le32(out, static_cast<std::uint32_t>(crc));
  put_le32(out, static_cast<std::uint32_t>((prefix.size + tail.size()) & 0xffffffffu));  // ISIZE: mod 2^32
  return out;
}

}  // namespace voxo::metrics
