#include "sim/dataset.hpp"

#include <algorithm>
#include <mutex>

#include "api/record_time.hpp"
#include "sim/call_generator.hpp"

namespace voxo::sim {

using std::chrono::seconds;
using std::chrono::sys_seconds;

namespace {

long long minute_of(sys_seconds t) {
  const long long s = t.time_since_epoch().count();
  return s >= 0 ? s / 60 : -((-s + 59) / 60);
}

}  // namespace

struct dataset::impl {
  dataset_options options;
  sys_seconds start_time;
  const date::time_zone* zone;
  mutable std::mutex mutex;
  std::vector<quality_switch> switches;  // guarded by mutex

  std::vector<quality_switch> snapshot() const {
    std::lock_guard lock(mutex);
    return switches;
  }

  // Visits the records of `tenants` in [w.start, w.end] (and, with `now`, visible by then),
  // time descending, minute by minute so memory stays bounded whatever the window.
  template <typename Sink>
  void walk(const std::vector<const tenant_spec*>& tenants, api::time_window w, std::optional<sys_seconds> now,
            bool partner_wide, Sink&& sink) const {
    sys_seconds lo = std::max(w.start, options.from);
    sys_seconds hi = w.end;
    if (options.to) hi = std::min(hi, *options.to);
    if (now) hi = std::min(hi, *now);
    if (lo > hi || tenants.empty()) return;

    const detail::quality_table quality(options.default_quality, snapshot());
    const detail::generator_context ctx{&options, zone, start_time, &quality};
    std::vector<generated_record> batch;
    for (long long m = minute_of(hi); m >= minute_of(lo); --m) {
      batch.clear();
      for (const tenant_spec* t : tenants) detail::generate_minute(ctx, *t, m, partner_wide, batch);
      if (tenants.size() > 1)
        std::stable_sort(batch.begin(), batch.end(),
                         [](const generated_record& a, const generated_record& b) { return a.time > b.time; });
      for (const auto& rec : batch) {
        if (rec.time < lo || rec.time > hi) continue;
        if (now && rec.visible_at > *now) continue;
        if (!sink(rec)) return;
      }
    }
  }

  std::vector<const tenant_spec*> one(long long tenant_id) const {
    for (const auto& t : options.tenants)
      if (t.id == tenant_id) return {&t};
    return {};
  }
};

dataset::dataset(dataset_options options, sys_seconds start_time) : impl_(std::make_unique<impl>()) {
  impl_->zone = api::find_zone(options.record_timezone);
  impl_->switches = options.quality_switches;
  impl_->options = std::move(options);
  impl_->start_time = start_time;
}

dataset::~dataset() = default;

const dataset_options& dataset::options() const noexcept { return impl_->options; }
sys_seconds dataset::start_time() const noexcept { return impl_->start_time; }

const tenant_spec* dataset::find_tenant(long long id) const noexcept {
  for (const auto& t : impl_->options.tenants)
    if (t.id == id) return &t;
  return nullptr;
}

const tenant_spec* dataset::find_billing_code(std::string_view code) const noexcept {
  for (const auto& t : impl_->options.tenants)
    if (t.billing_code == code) return &t;
  return nullptr;
}

std::vector<generated_record> dataset::records(long long tenant_id, api::time_window w) const {
  std::vector<generated_record> out;
  impl_->walk(impl_->one(tenant_id), w, std::nullopt, false, [&](const generated_record& r) {
    out.push_back(r);
    return true;
  });
  return out;
}

std::vector<api::cdr> dataset::truth(long long tenant_id, api::time_window w) const {
  std::vector<api::cdr> out;
  impl_->walk(impl_->one(tenant_id), w, std::nullopt, false, [&](const generated_record& r) {
    if (r.call) out.push_back(*r.call);
    return true;
  });
  return out;
}

std::uint64_t dataset::invalid_count(long long tenant_id, api::time_window w) const {
  std::uint64_t n = 0;
  impl_->walk(impl_->one(tenant_id), w, std::nullopt, false, [&](const generated_record& r) {
    n += r.valid ? 0 : 1;
    return true;
  });
  return n;
}

std::uint64_t dataset::duplicate_count(long long tenant_id, api::time_window w) const {
  std::uint64_t n = 0;
  impl_->walk(impl_->one(tenant_id), w, std::nullopt, false, [&](const generated_record& r) {
    n += r.duplicate ? 1 : 0;
    return true;
  });
  return n;
}

void dataset::for_each_served(const std::vector<long long>& tenant_ids, api::time_window w, sys_seconds now,
                              bool partner_wide, const std::function<bool(const generated_record&)>& sink) const {
  std::vector<const tenant_spec*> tenants;
  for (long long id : tenant_ids)
    if (const tenant_spec* t = find_tenant(id)) tenants.push_back(t);
  impl_->walk(tenants, w, now, partner_wide, [&](const generated_record& r) {
    if (!sink(r)) return false;
    return !r.duplicate || sink(r);
  });
}

void dataset::switch_quality(long long tenant_id, sys_seconds from, quality_profile profile) {
  std::lock_guard lock(impl_->mutex);
  impl_->switches.push_back({tenant_id, from, profile});
}

std::vector<quality_switch> dataset::quality_switches() const { return impl_->snapshot(); }

quality_profile dataset::quality_at(long long tenant_id, sys_seconds t) const {
  return detail::quality_table(impl_->options.default_quality, impl_->snapshot()).at(tenant_id, t);
}

}  // namespace voxo::sim
