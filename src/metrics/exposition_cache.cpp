#include "metrics/exposition_cache.hpp"

#include <time.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <exception>
#include <utility>

#include "util/log.hpp"

namespace voxo::metrics {

exposition_cache::exposition_cache(data_fn data, live_fn live, generation_fn generation, timing t)
    : data_fn_(std::move(data)), live_fn_(std::move(live)), generation_(std::move(generation)), timing_(t) {}

exposition_cache::~exposition_cache() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

namespace {

std::chrono::nanoseconds thread_cpu_time() {
  timespec ts{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return {};
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

// A rendering allocates and frees hundreds of MB of small objects (the collected series, at
// 10,000 tenants); glibc keeps freed heap pages mapped, so without this the process would
// hold on to its largest transient rendering for good. Costs milliseconds per rendering.
void give_back_free_heap() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace

std::shared_ptr<const exposition_data> exposition_cache::render(std::uint64_t generation) const {
  auto d = std::make_shared<exposition_data>();
  d->generation = generation;
  d->started = std::chrono::steady_clock::now();
  const auto cpu_start = thread_cpu_time();
  d->text = data_fn_();
  d->deflated = deflate_open(d->text);
  // Kept compressed only: scrapes ask for gzip, and a plain one is inflated as it is sent.
  if (d->deflated) std::string().swap(d->text);
  d->took = std::chrono::steady_clock::now() - d->started;
  d->cpu = thread_cpu_time() - cpu_start;
  return d;
}

void exposition_cache::start(std::unique_lock<std::mutex>& lock) {
  (void)lock;  // held: concurrent first callers wait for this rendering
  if (data_) return;
  data_ = render(generation_());
  ++renders_;
  thread_ = std::thread([this] { run(); });
}

std::shared_ptr<const exposition> exposition_cache::current() {
  auto e = std::make_shared<exposition>();
  {
    std::unique_lock lock(mutex_);
    start(lock);
    if (generation_() != data_->generation) wake_.notify_one();
    e->data = data_;
  }
  e->live = live_fn_(*e->data);
  return e;
}

bool exposition_cache::wait_rendered(std::uint64_t generation, std::chrono::steady_clock::duration timeout) {
  std::unique_lock lock(mutex_);
  start(lock);
  wake_.notify_one();
  return rendered_.wait_for(lock, timeout, [&] { return data_->generation >= generation; });
}

std::uint64_t exposition_cache::renders() const {
  std::lock_guard lock(mutex_);
  return renders_;
}

void exposition_cache::run() {
  give_back_free_heap();  // after the first rendering (made on a scrape's thread)
  std::unique_lock lock(mutex_);
  while (!stop_) {
    // CPU time, not wall time: on a loaded machine a rendering waits for a core, which is no
    // reason to render less often.
    const auto spacing =
        std::max<std::chrono::steady_clock::duration>(timing_.min_interval, data_->cpu * timing_.cost_factor);
    if (wake_.wait_until(lock, data_->started + spacing, [&] { return stop_; })) break;
    const auto generation = generation_();
    if (generation == data_->generation) {
      wake_.wait_for(lock, timing_.poll, [&] { return stop_ || generation_() != data_->generation; });
      continue;
    }
    lock.unlock();
    std::shared_ptr<const exposition_data> fresh;
    try {
      fresh = render(generation);
    } catch (const std::exception& e) {
      log::warn("rendering the metrics failed; serving the previous rendering", {{"err", e.what()}});
    }
    lock.lock();
    if (!fresh) {  // try again later, not in a loop
      wake_.wait_for(lock, std::max<std::chrono::steady_clock::duration>(timing_.min_interval, std::chrono::seconds(1)),
                     [&] { return stop_; });
      continue;
    }
    auto previous = std::exchange(data_, std::move(fresh));
    ++renders_;
    rendered_.notify_all();
    // Off the lock: freeing the previous rendering (unless a scrape still sends it) and
    // trimming the heap take a while at 10,000 tenants.
    lock.unlock();
    previous.reset();
    give_back_free_heap();
    lock.lock();
  }
}

}  // namespace voxo::metrics
