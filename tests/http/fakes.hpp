#pragma once
// Stand-ins for the sources the HTTP server reads, and gzip helpers, for tests/http.

#include <zlib.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "collector/status.hpp"
#include "metrics/exposition.hpp"

namespace voxo::http::test {

inline std::string gzip_compress(const std::string& in) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&z, in.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate");
  return out;
}

inline std::string gzip_decompress(const std::string& in) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) throw std::runtime_error("inflateInit2");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char chunk[4096];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - z.avail_out);
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("not a complete gzip stream");
  return out;
}

class fake_exposition : public metrics::exposition_source {
 public:
  explicit fake_exposition(std::string text = "# HELP voxo_up Whether the last poll worked.\n"
                                              "# TYPE voxo_up gauge\nvoxo_up 1\n") {
    set(std::move(text));
  }
  void set(std::string text) {
    auto e = std::make_shared<metrics::exposition>();
    e->gzip = gzip_compress(text);
    e->text = std::move(text);
    current_ = std::move(e);
  }
  std::shared_ptr<const metrics::exposition> current() override { return current_; }

 private:
  std::shared_ptr<const metrics::exposition> current_;
};

inline collector::tenant_status tenant(std::string label, std::string name = {}) {
  collector::tenant_status t;
  t.label = std::move(label);
  t.name = std::move(name);
  return t;
}

class fake_status : public collector::status_source {
 public:
  std::vector<collector::tenant_status> rows;
  bool is_ready = false;
  std::vector<collector::tenant_status> tenants() const override { return rows; }
  bool ready() const override { return is_ready; }
};

}  // namespace voxo::http::test
