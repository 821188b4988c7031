#pragma once
// What /metrics serves: the text exposition, rendered once per change of the data and
// shared by every scrape (plain and gzip), so a scrape never waits for a collection.

#include <memory>
#include <string>

namespace voxo::metrics {

struct exposition {
  std::string text;   // text/plain; version=0.0.4
  std::string gzip;   // the same bytes, gzip-compressed
};

class exposition_source {
 public:
  virtual ~exposition_source() = default;
  // The latest rendering; cheap to call on every scrape.
  virtual std::shared_ptr<const exposition> current() = 0;
};

}  // namespace voxo::metrics
