#pragma once
// Call metric values as plain numbers: what a window's records add (staged until the reply
// succeeded), and, per tenant, the cumulative totals behind every call series (so a state
// file can restore them, and the status page can read them). Fixed size: bounded by the
// label space, never by the number of records.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>

#include "api/cdr.hpp"
#include "metrics/buckets.hpp"
#include "metrics/call_labels.hpp"

namespace voxo::metrics {

enum class call_histogram : unsigned char { duration, talk_duration, mos, jitter, packet_loss };
inline constexpr std::size_t call_histogram_count = 5;

std::span<const double> bucket_bounds(call_histogram h) noexcept;

struct histogram_delta {
  std::array<std::uint64_t, max_bucket_bounds + 1> buckets{};  // per bucket, not cumulative; last used = +Inf
  double sum = 0;
  std::uint64_t count = 0;

  void observe(std::span<const double> bounds, double value) noexcept;
  void merge(const histogram_delta& other) noexcept;
  friend bool operator==(const histogram_delta&, const histogram_delta&) = default;
};

using call_counts = std::array<std::array<std::uint64_t, api::disposition_count>, api::direction_count>;

// Values of the extra labels of a voxo_calls_total series, in extra_label order; "" for a
// label not enabled. Compares with extra_values, so a record finds its entry without
// building a key.
using extra_key = std::array<std::string, extra_label_count>;
struct extra_key_less {
  using is_transparent = void;
  template <class A, class B>
  bool operator()(const A& a, const B& b) const noexcept {
    for (std::size_t i = 0; i < extra_label_count; ++i) {
      const int c = std::string_view(a[i]).compare(std::string_view(b[i]));
      if (c != 0) return c < 0;
    }
    return false;
  }
};
using extra_call_counts = std::map<extra_key, call_counts, extra_key_less>;

struct call_deltas {
  using per_direction = std::array<std::uint64_t, api::direction_count>;

  call_counts calls{};
  // voxo_calls_total by the extra labels too, filled only when extra labels are on (calls
  // above still holds every call). Bounded by the labeler's cap, not by the records.
  extra_call_counts extra_calls;
  per_direction recorded{};
  per_direction queued{};
  std::array<std::array<histogram_delta, api::direction_count>, call_histogram_count> histograms{};

  // Adds one valid, unique record, following the per-metric rules (answered-only quality
  // metrics, mos 0 = not measured, percentages as ratios, null = not observed).
  void add(const api::cdr& record) noexcept;
  // The same, plus extra_calls by the labeler's values when it has extra labels on.
  void add(const api::cdr& record, call_labeler* labeler);
  void merge(const call_deltas& other);

  std::uint64_t total_calls() const noexcept;
  friend bool operator==(const call_deltas&, const call_deltas&) = default;
  std::uint64_t answered_calls() const noexcept;
  const histogram_delta& histogram(call_histogram h, api::call_direction d) const noexcept {
    return histograms[static_cast<std::size_t>(h)][static_cast<std::size_t>(d)];
  }
};

// histogram_quantile() as PromQL computes it (linear interpolation inside the bucket, the
// first bucket starting at 0, the +Inf bucket answering the highest finite bound).
// nullopt when the histogram is empty.
std::optional<double> estimate_quantile(std::span<const double> bounds, const histogram_delta& h, double q) noexcept;

}  // namespace voxo::metrics
