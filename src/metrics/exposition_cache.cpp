#include "metrics/exposition_cache.hpp"

#include "metrics/gzip.hpp"

namespace voxo::metrics {

exposition_cache::exposition_cache(render_fn render, generation_fn generation,
                                   std::chrono::steady_clock::duration max_age)
    : render_(std::move(render)), generation_(std::move(generation)), max_age_(max_age) {}

std::shared_ptr<const exposition> exposition_cache::current() {
  std::lock_guard lock(mutex_);
  const auto gen = generation_();
  const auto now = std::chrono::steady_clock::now();
  if (cached_ && gen == cached_generation_ && now - rendered_at_ < max_age_) return cached_;
  auto fresh = std::make_shared<exposition>();
  fresh->text = render_();
  fresh->gzip = gzip_compress(fresh->text);
  cached_ = std::move(fresh);
  cached_generation_ = gen;
  rendered_at_ = now;
  ++renders_;
  return cached_;
}

std::uint64_t exposition_cache::renders() const {
  std::lock_guard lock(mutex_);
  return renders_;
}

}  // namespace voxo::metrics
