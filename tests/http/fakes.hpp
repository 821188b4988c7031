#pragma once
// Stand-ins for the sources the HTTP server reads, and a gzip reader, for tests/http.

#include <zlib.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "http/status_source.hpp"
#include "metrics/exposition.hpp"
#include "metrics/gzip.hpp"

namespace voxo::http::test {

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
  // One member that ends exactly where the body does (zlib checks CRC-32 and ISIZE).
  if (rc != Z_STREAM_END || z.avail_in != 0) throw std::runtime_error("not one complete gzip member");
  return out;
}

// Serves `data` as the shared data part and `live` as the per-scrape part, as the exporter does.
class fake_exposition : public metrics::exposition_source {
 public:
  explicit fake_exposition(std::string data =
                               "# HELP voxo_up Whether the last poll worked.\n"
                               "# TYPE voxo_up gauge\nvoxo_up 1\n",
                           std::string live = "# TYPE process_open_fds gauge\nprocess_open_fds 7\n") {
    set(std::move(data), std::move(live));
  }
  void set(std::string data, std::string live = {}) {
    auto d = std::make_shared<metrics::exposition_data>();
    d->deflated = metrics::deflate_open(data);
    if (!d->deflated) d->text = std::move(data);  // as the exporter keeps it: text only if not compressed
    auto e = std::make_shared<metrics::exposition>();
    e->data = std::move(d);
    e->live = std::move(live);
    current_ = std::move(e);
  }
  std::shared_ptr<const metrics::exposition> current() override { return current_; }

 private:
  std::shared_ptr<const metrics::exposition> current_;
};

inline tenant_view tenant(std::string label, std::string name = {}) {
  tenant_view t;
  t.label = std::move(label);
  t.name = std::move(name);
  return t;
}

class fake_status : public status_source {
 public:
  std::vector<tenant_view> rows;
  bool is_ready = false;
  std::vector<tenant_view> tenants() const override { return rows; }
  bool ready() const override { return is_ready; }
};

}  // namespace voxo::http::test
