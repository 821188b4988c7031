#pragma once
// Reads the text of a deflate_prefix back, piece by piece. The exposition keeps its data part
// only compressed (at 10,000 tenants the text is about 200 MB, its deflate about 12 MB):
// Prometheus asks for gzip, and the rare plain-text scrape (a person with curl) is inflated as
// the socket takes it, one piece at a time, so it never holds the whole text either.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "metrics/gzip.hpp"

namespace voxo::metrics {

class prefix_inflater {
 public:
  // `deflated` (a deflate_prefix's bytes) must outlive the inflater.
  explicit prefix_inflater(std::string_view deflated);
  ~prefix_inflater();
  prefix_inflater(const prefix_inflater&) = delete;
  prefix_inflater& operator=(const prefix_inflater&) = delete;

  // Writes the next bytes of text into out[0, size): how many, 0 once the text is all read,
  // nullopt when the input is corrupt (or zlib is out of memory).
  std::optional<std::size_t> read(char* out, std::size_t size);

 private:
  struct state;
  std::unique_ptr<state> state_;
};

// The whole text at once (tests and tools); nullopt when corrupt or not of prefix.size bytes.
std::optional<std::string> inflate_prefix(const deflate_prefix& prefix);

}  // namespace voxo::metrics
