#include "metrics/call_labels.hpp"

#include <array>

#include "api/cdr.hpp"
#include "util/log.hpp"

namespace voxo::metrics {
namespace {

constexpr std::array<std::string_view, api::direction_count> direction_labels{"in", "out", "local", "internal",
                                                                              "other"};
constexpr std::array<std::string_view, api::disposition_count> disposition_labels{"answered", "no_answer",  "busy",
                                                                                  "failed",   "congestion", "other"};

}  // namespace

std::string_view label(api::call_direction d) noexcept { return direction_labels[static_cast<std::size_t>(d)]; }
std::string_view label(api::call_disposition d) noexcept { return disposition_labels[static_cast<std::size_t>(d)]; }

normalized_label normalize_label(std::string_view raw, const label_rule& rule, std::span<char> buf) noexcept {
  const auto first = raw.find_first_not_of(rule.blanks);
  if (first == std::string_view::npos) return {label_status::empty, {}};
  raw = raw.substr(first, raw.find_last_not_of(rule.blanks) - first + 1);
  if (raw.size() > rule.max_length || raw.size() > buf.size()) return {label_status::too_long, {}};
  bool alnum = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (rule.lower_case && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      alnum = true;
    } else if (rule.keep.find(c) == std::string_view::npos) {
      c = '_';
    }
    buf[i] = c;
  }
  if (rule.needs_alnum && !alnum) return {label_status::unusable, {}};
  return {label_status::ok, std::string_view(buf.data(), raw.size())};
}

std::optional<std::string> account_label(std::string_view billing_id) {
  std::array<char, max_account_label> buf;
  const auto n = normalize_label(billing_id, account_rule, buf);
  if (n.status != label_status::ok) return std::nullopt;
  return std::string(n.value);
}

}  // namespace voxo::metrics

// --- extra labels ------------------------------------------------------------------------

namespace voxo::metrics {
namespace {

constexpr std::array<std::string_view, extra_label_count> extra_label_names{"jurisdiction", "international",
                                                                            "toll_free"};

std::string_view flag_value(const std::optional<bool>& f) noexcept {
  if (!f) return unknown_value;
  return *f ? "true" : "false";
}

}  // namespace

std::string_view name(extra_label l) noexcept { return extra_label_names[static_cast<std::size_t>(l)]; }

std::optional<extra_label> parse_extra_label(std::string_view n) noexcept {
  for (std::size_t i = 0; i < extra_label_count; ++i)
    if (n == extra_label_names[i]) return static_cast<extra_label>(i);
  return std::nullopt;
}

extra_values call_labeler::classify(const api::cdr& r) {
  extra_values v{};
  if (opts_.on(extra_label::jurisdiction)) {
    std::array<char, max_jurisdiction_length> buf;  // no allocation unless the value is new
    const auto n = normalize_label(r.jurisdiction ? std::string_view(*r.jurisdiction) : std::string_view{},
                                   jurisdiction_rule, buf);
    if (n.status == label_status::ok) {
      v[0] = admit_normalized(extra_label::jurisdiction, n.value);
    } else {
      v[0] = n.status == label_status::empty ? unknown_value : other_value;
    }
  }
  if (opts_.on(extra_label::international))
    v[1] = admit_normalized(extra_label::international, flag_value(r.is_international));
  if (opts_.on(extra_label::toll_free)) v[2] = admit_normalized(extra_label::toll_free, flag_value(r.is_toll_free));
  return v;
}

std::string_view call_labeler::admit(extra_label l, std::string_view value) {
  if (l == extra_label::jurisdiction) {
    // Only what the normalizer gives back unchanged can have been a label value.
    std::array<char, max_jurisdiction_length> buf;
    const auto n = normalize_label(value, jurisdiction_rule, buf);
    if (n.status != label_status::ok || n.value != value) return other_value;
  } else if (value != "true" && value != "false" && value != unknown_value) {
    return other_value;
  }
  return admit_normalized(l, value);
}

std::string_view call_labeler::admit_normalized(extra_label l, std::string_view value) {
  if (value == unknown_value) return unknown_value;
  if (value == other_value) return other_value;
  auto& seen = seen_[static_cast<std::size_t>(l)];
  if (auto it = seen.find(value); it != seen.end()) return *it;
  if (seen.size() >= opts_.max_values) {
    auto& warned = warned_[static_cast<std::size_t>(l)];
    if (!warned)
      log::warn("extra label past metrics.max_label_values: new values are counted as \"other\"",
                {{"label", std::string(name(l))}, {"max_label_values", std::to_string(opts_.max_values)}});
    warned = true;
    return other_value;
  }
  return *seen.emplace(value).first;
}

}  // namespace voxo::metrics
