#pragma once
// What /metrics serves, in two parts whose metric families are disjoint, so their
// concatenation is one valid text exposition (version 0.0.4):
//  - the data part (the registry: call and collector series), rendered and compressed in the
//    background only when the data changed, and shared by every scrape;
//  - the live part (process metrics, collector lag, render self-metrics), small and rendered
//    for each scrape, so it is never stale.
// A gzip answer is one gzip member: gzip_header() + data->deflated->bytes + gzip_tail().

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "metrics/gzip.hpp"
#include "metrics/prefix_inflater.hpp"

namespace voxo::metrics {

struct exposition_data {
  // text/plain; version=0.0.4. Kept only while `deflated` is nullopt (compression failed);
  // otherwise empty, and plain text is inflated from `deflated` (see prefix_inflater.hpp).
  std::string text;
  std::optional<deflate_prefix> deflated;           // nullopt: compression failed, serve plain text
  std::uint64_t generation = 0;                     // of the data it was rendered from
  std::chrono::steady_clock::time_point started{};  // the data is as of this time
  std::chrono::steady_clock::duration took{};       // rendering and compressing (wall clock)
  std::chrono::nanoseconds cpu{};                   // the CPU time the thread spent on it

  // The text in one string (tests, tools); the server streams it instead.
  std::string plain_text() const { return deflated ? inflate_prefix(*deflated).value_or(std::string{}) : text; }
};

struct exposition {
  std::shared_ptr<const exposition_data> data;  // never null
  std::string live;

  // The live part deflated to the end of the member and the trailer; nullopt when the data
  // part is not compressed or zlib fails (then serve plain text).
  std::optional<std::string> gzip_tail() const {
    if (!data->deflated) return std::nullopt;
    return gzip_finish(*data->deflated, live);
  }
  // Both parts in one string (tests, tools); the server sends them without joining.
  std::string text() const { return data->plain_text() + live; }
};

class exposition_source {
 public:
  virtual ~exposition_source() = default;
  // What to serve now: the latest data part plus a freshly rendered live part. Never waits
  // for a rendering of the data part, except the very first one.
  virtual std::shared_ptr<const exposition> current() = 0;
};

}  // namespace voxo::metrics
