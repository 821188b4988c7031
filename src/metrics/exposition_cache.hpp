#pragma once
// Serves the exposition without making a scrape wait for a rendering of the data part.
//
// The data part (megabytes at 1,000 tenants) is rendered and deflated on one background
// thread, owned here, only when the data changed (a generation number moved), and at most
// once per max(min_interval, cost_factor x the CPU time of the last rendering), so a busy
// backfill costs at most about 1/cost_factor of a core. Every scrape shares the latest one and adds
// a live part rendered on the caller's thread. The very first call renders the data part
// synchronously and starts the thread; nothing renders until somebody asks.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "metrics/exposition.hpp"

namespace voxo::metrics {

class exposition_cache : public exposition_source {
 public:
  // Called on the render thread: it must read nothing another thread mutates unlocked.
  using data_fn = std::function<std::string()>;
  // Called by current() on the caller's thread, with the data part it will be served with.
  using live_fn = std::function<std::string(const exposition_data&)>;
  // Called from both threads (an atomic load).
  using generation_fn = std::function<std::uint64_t()>;

  struct timing {
    std::chrono::steady_clock::duration min_interval = std::chrono::seconds(1);
    unsigned cost_factor = 4;
    // How often the idle render thread looks at the generation (a scrape that sees a change
    // wakes it at once).
    std::chrono::steady_clock::duration poll = std::chrono::milliseconds(100);
  };

  exposition_cache(data_fn data, live_fn live, generation_fn generation, timing t);
  exposition_cache(data_fn data, live_fn live, generation_fn generation)
      : exposition_cache(std::move(data), std::move(live), std::move(generation), timing{}) {}
  ~exposition_cache() override;  // stops and joins the render thread
  exposition_cache(const exposition_cache&) = delete;
  exposition_cache& operator=(const exposition_cache&) = delete;

  std::shared_ptr<const exposition> current() override;

  // Blocks until the cached data part was rendered from `generation` or later, or until
  // `timeout` passed; true when it was (tests and tools: a scrape never waits).
  bool wait_rendered(std::uint64_t generation, std::chrono::steady_clock::duration timeout);
  std::uint64_t renders() const;  // renderings of the data part so far

 private:
  std::shared_ptr<const exposition_data> render(std::uint64_t generation) const;
  void start(std::unique_lock<std::mutex>& lock);  // the first rendering, then the thread
  void run();

  data_fn data_fn_;
  live_fn live_fn_;
  generation_fn generation_;
  timing timing_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;      // the render thread: stop, or a scrape saw a change
  std::condition_variable rendered_;  // wait_rendered
  std::shared_ptr<const exposition_data> data_;
  std::uint64_t renders_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace voxo::metrics
