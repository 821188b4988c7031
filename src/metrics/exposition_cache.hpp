#pragma once
// Caches the rendered exposition: re-rendered only when the data changed (a generation
// number moved) or the cached one is older than max_age (so process metrics stay fresh).
// Concurrent scrapes share one shared_ptr; rendering happens in current(), i.e. on a scrape,
// never inside a collection.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "metrics/exposition.hpp"

namespace voxo::metrics {

class exposition_cache : public exposition_source {
 public:
  using render_fn = std::function<std::string()>;
  using generation_fn = std::function<std::uint64_t()>;

  exposition_cache(render_fn render, generation_fn generation,
                   std::chrono::steady_clock::duration max_age = std::chrono::seconds(1));

  std::shared_ptr<const exposition> current() override;
  std::uint64_t renders() const;  // how many renderings so far (tests, self-checks)

 private:
  render_fn render_;
  generation_fn generation_;
  std::chrono::steady_clock::duration max_age_;
  mutable std::mutex mutex_;  // the HTTP server may one day scrape from another thread
  std::shared_ptr<const exposition> cached_;
  std::uint64_t cached_generation_ = 0;
  std::chrono::steady_clock::time_point rendered_at_{};
  std::uint64_t renders_ = 0;
};

}  // namespace voxo::metrics
