#pragma once
// The one place where record values become label values. Nothing else names directions and
// dispositions as labels or derives the opt-in extra labels; no label ever carries a number,
// name or id. (The record's own classifications, parsed from the API's spelling, are in
// api/call_kind.hpp; config/ reads metrics.extra_labels with the names here.)

#include <array>
#include <cstddef>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "api/call_kind.hpp"

namespace voxo::api {
struct cdr;
}  // namespace voxo::api

namespace voxo::metrics {

std::string_view label(api::call_direction d) noexcept;    // "in", "out", "local", "internal", "other"
std::string_view label(api::call_disposition d) noexcept;  // "answered", "no_answer", ...

// --- Opt-in extra labels of voxo_calls_total (metrics.extra_labels) -------------------------
// jurisdiction: the record's `jurisdiction` (e.g. INTERSTATE), lower-cased, every character
//   outside [a-z0-9] turned into `_`; longer than max_jurisdiction_length: `other`.
// international, toll_free: the record's isInternational / isTollFree flags as "true" or
//   "false". Only the flags count: no number is ever read to guess them (the exporter keeps no
//   phone numbers, and a dial plan guess would be wrong for non-NANP callers).
// A null or empty field is `unknown`. Past max_values distinct values of a label (per
// call_labeler, i.e. per process; `unknown` and `other` not counted) a new value is `other`.
enum class extra_label : unsigned char { jurisdiction, international, toll_free };
inline constexpr std::size_t extra_label_count = 3;
inline constexpr std::size_t max_jurisdiction_length = 32;
inline constexpr std::string_view unknown_value = "unknown";
inline constexpr std::string_view other_value = "other";

std::string_view name(extra_label l) noexcept;  // "jurisdiction", "international", "toll_free"
std::optional<extra_label> parse_extra_label(std::string_view name) noexcept;  // exact names only

struct extra_label_options {
  std::array<bool, extra_label_count> enabled{};
  std::size_t max_values = 20;

  bool any() const noexcept { return enabled[0] || enabled[1] || enabled[2]; }
  bool on(extra_label l) const noexcept { return enabled[static_cast<std::size_t>(l)]; }
  friend bool operator==(const extra_label_options&, const extra_label_options&) = default;
};

// Values of the extra labels of one record in extra_label order, "" for a label not enabled.
// They view static text or the labeler's own storage (valid for the labeler's life).
using extra_values = std::array<std::string_view, extra_label_count>;

// Derives the extra label values and enforces the cap. One per exporter_metrics (per process).
class call_labeler {
 public:
  explicit call_labeler(extra_label_options o = {}) : opts_(o) {}

  const extra_label_options& options() const noexcept { return opts_; }
  bool enabled() const noexcept { return opts_.any(); }

  extra_values classify(const api::cdr& record);
  // A value that was a label value before (a state file): itself when known or under the
  // cap, else `other`. Values a label can never have become `other` too.
  std::string_view admit(extra_label l, std::string_view value);
  // Distinct values admitted so far (`unknown` and `other` not counted).
  std::size_t distinct(extra_label l) const noexcept { return seen_[static_cast<std::size_t>(l)].size(); }

 private:
  std::string_view admit_normalized(extra_label l, std::string_view value);

  extra_label_options opts_;
  std::array<std::set<std::string, std::less<>>, extra_label_count> seen_;  // node-based: views stay valid
  std::array<bool, extra_label_count> warned_{};
};

// The `tenant` label of an account a partner-wide record names by its billingId: trimmed,
// characters outside [A-Za-z0-9._-] become '_'; nullopt when nothing usable is left or the
// value is longer than max_account_label (such a record stays with tenant="partner").
// Both this and the jurisdiction label are normalize_label() below, with their own rule.
inline constexpr std::size_t max_account_label = 64;
std::optional<std::string> account_label(std::string_view billing_id);

// --- The one normalizer of free-text label values (jurisdiction, account labels) ----------
// Trims `blanks` off both ends (nothing left: empty; longer than max_length: too_long),
// lower-cases A-Z when lower_case, turns every character outside [A-Za-z0-9] and `keep` into
// '_'; a result without a letter or digit is unusable when needs_alnum. ASCII only: any other
// byte becomes '_'.
struct label_rule {
  std::string_view blanks;
  std::size_t max_length = 0;
  bool lower_case = false;
  std::string_view keep;
  bool needs_alnum = false;
};
inline constexpr label_rule jurisdiction_rule{" \t\n\v\f\r", max_jurisdiction_length, true, "", false};
inline constexpr label_rule account_rule{" \t\r\n", max_account_label, false, "._-", true};

enum class label_status : unsigned char { ok, empty, too_long, unusable };
struct normalized_label {
  label_status status = label_status::empty;
  std::string_view value;  // when ok: views the caller's buffer
};
// Writes into `buf` (rule.max_length characters; no allocation, for the per-record path).
normalized_label normalize_label(std::string_view raw, const label_rule& rule, std::span<char> buf) noexcept;

}  // namespace voxo::metrics
