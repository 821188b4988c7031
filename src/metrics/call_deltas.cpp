#include "metrics/call_deltas.hpp"

#include <cmath>

namespace voxo::metrics {

std::span<const double> bucket_bounds(call_histogram h) noexcept {
  switch (h) {
    case call_histogram::duration:
    case call_histogram::talk_duration: return duration_buckets;
    case call_histogram::mos: return mos_buckets;
    case call_histogram::jitter:
    case call_histogram::packet_loss: return ratio_buckets;
  }
  return duration_buckets;
}

void histogram_delta::observe(std::span<const double> bounds, double value) noexcept {
  ++buckets[bucket_index(bounds, value)];
  sum += value;
  ++count;
}

void histogram_delta::merge(const histogram_delta& other) noexcept {
  for (std::size_t i = 0; i < buckets.size(); ++i) buckets[i] += other.buckets[i];
  sum += other.sum;
  count += other.count;
}

namespace {
// A value we can observe: present, finite and not negative (a negative duration or
// percentage is a data error we refuse to fold into a sum).
bool usable(const std::optional<double>& v) noexcept { return v && std::isfinite(*v) && *v >= 0; }
}  // namespace

void call_deltas::add(const api::cdr& r) noexcept {
  const auto dir = static_cast<std::size_t>(r.direction);
  ++calls[dir][static_cast<std::size_t>(r.disposition)];
  if (r.recorded.value_or(false)) ++recorded[dir];
  if (r.queue_call.value_or(false)) ++queued[dir];

  auto observe = [&](call_histogram h, double v) {
    histograms[static_cast<std::size_t>(h)][dir].observe(bucket_bounds(h), v);
  };
  if (usable(r.duration)) observe(call_histogram::duration, *r.duration);
  if (r.disposition != api::call_disposition::answered) return;
  // Talk time and voice quality only exist for answered calls.
  if (usable(r.after_answer_duration)) observe(call_histogram::talk_duration, *r.after_answer_duration);
  if (usable(r.mos) && *r.mos > 0) observe(call_histogram::mos, *r.mos);  // 0 = not measured
  if (usable(r.percent_jitter)) observe(call_histogram::jitter, *r.percent_jitter / 100.0);
  if (usable(r.packet_loss)) observe(call_histogram::packet_loss, *r.packet_loss / 100.0);
}

void call_deltas::add(const api::cdr& r, call_labeler* labeler) {
  add(r);
  if (!labeler || !labeler->enabled()) return;
  const auto values = labeler->classify(r);
  auto it = extra_calls.find(values);
  if (it == extra_calls.end())
    it = extra_calls
             .emplace(extra_key{std::string(values[0]), std::string(values[1]), std::string(values[2])}, call_counts{})
             .first;
  ++it->second[static_cast<std::size_t>(r.direction)][static_cast<std::size_t>(r.disposition)];
}

void call_deltas::merge(const call_deltas& o) {
  for (std::size_t d = 0; d < api::direction_count; ++d) {
    for (std::size_t s = 0; s < api::disposition_count; ++s) calls[d][s] += o.calls[d][s];
    recorded[d] += o.recorded[d];
    queued[d] += o.queued[d];
    for (std::size_t h = 0; h < call_histogram_count; ++h) histograms[h][d].merge(o.histograms[h][d]);
  }
  for (const auto& [key, counts] : o.extra_calls) {
    auto& mine = extra_calls[key];
    for (std::size_t d = 0; d < api::direction_count; ++d)
      for (std::size_t s = 0; s < api::disposition_count; ++s) mine[d][s] += counts[d][s];
  }
}

std::uint64_t call_deltas::total_calls() const noexcept {
  std::uint64_t n = 0;
  for (const auto& row : calls)
    for (auto c : row) n += c;
  return n;
}

std::uint64_t call_deltas::answered_calls() const noexcept {
  std::uint64_t n = 0;
  for (const auto& row : calls) n += row[static_cast<std::size_t>(api::call_disposition::answered)];
  return n;
}

std::optional<double> estimate_quantile(std::span<const double> bounds, const histogram_delta& h, double q) noexcept {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bounds.size(); ++i) total += h.buckets[i];
  if (total == 0 || bounds.empty()) return std::nullopt;
  const double rank = q * static_cast<double>(total);
  double below = 0;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    const auto in_bucket = static_cast<double>(h.buckets[i]);
    if (below + in_bucket >= rank && in_bucket > 0) {
      const double lower = i == 0 ? 0.0 : bounds[i - 1];
      return lower + (bounds[i] - lower) * (rank - below) / in_bucket;
    }
    below += in_bucket;
  }
  return bounds.back();  // the rank lies in +Inf
}

}  // namespace voxo::metrics
