#pragma once
// Builds one record from the values of its known keys, whichever parser read them: both
// reply parsers make the same calls in the same order for the same record, so a record is
// valid, or invalid for the same first reason, whichever parser read it.

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "api/cdr.hpp"
#include "api/detail/local_time.hpp"
#include "api/detail/record_fields.hpp"
#include "api/detail/utf8.hpp"
#include "api/record_sink.hpp"

namespace voxo::api::detail {

// A call can't outlast the 31-day query cap; bigger values are garbage that would pollute
// the duration histograms.
constexpr double max_duration_seconds = 31.0 * 24 * 3600;

// The API sends a handful of spellings ("IN", "NO ANSWER", ...) millions of times: each one's
// label is remembered, so the case-insensitive match runs once per spelling, not per record.
template <class Label, Label (*parse)(std::string_view) noexcept>
class label_memo {
 public:
  Label operator()(std::string_view text) {
    for (std::size_t i = 0; i < used_; ++i)
      if (entries_[i].size == text.size() && same(entries_[i].text.data(), text)) return entries_[i].label;
    const Label label = parse(text);
    if (used_ < entries_.size() && text.size() <= max_text) {
      entry& e = entries_[used_++];
      std::copy(text.begin(), text.end(), e.text.begin());
      e.size = text.size();
      e.label = label;
    }
    return label;
  }

 private:
  static constexpr std::size_t max_text = 32;
  struct entry {
    std::array<char, max_text> text{};
    std::size_t size = 0;
    Label label{};
  };
  // Spellings are a few bytes: a plain loop beats a call to memcmp.
  static bool same(const char* a, std::string_view b) noexcept {
    for (std::size_t i = 0; i < b.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  std::array<entry, 8> entries_{};
  std::size_t used_ = 0;
};

// Builds one record from the values of its known keys. Reuses its cdr and buffers across
// records, so a steady stream of records allocates nothing.
class record_builder {
 public:
  explicit record_builder(const date::time_zone* zone) : convert_time_(zone) { reason_.reserve(64); }

  void begin() {
    seen_ = 0;
    bad_ = false;
    rec_.id.clear();
    rec_.time = {};
    rec_.direction = call_direction::other;
    rec_.disposition = call_disposition::other;
    rec_.duration.reset();
    rec_.after_answer_duration.reset();
    rec_.percent_jitter.reset();
    rec_.packet_loss.reset();
    rec_.mos.reset();
    rec_.recorded.reset();
    rec_.queue_call.reset();
    rec_.is_toll_free.reset();
    rec_.is_international.reset();
    rec_.jurisdiction.reset();
    rec_.billing_id.reset();
    rec_.partner_id.reset();
  }

  // A known key; seen twice in one record, the record can't be trusted.
  void key(field f) {
    const auto bit = std::uint32_t{1} << static_cast<unsigned>(f);
    if (seen_ & bit) reject(f, "repeated key");
    seen_ |= bit;
  }

  // False when the value makes the record invalid.
  bool string_value(field f, std::string_view s) {
    if (!is_valid_utf8(s)) return refuse(f, "invalid UTF-8");
    switch (f) {
      case field::id:
        if (s.empty()) return refuse(f, "empty");
        rec_.id.assign(s.data(), s.size());
        return true;
      case field::time:
        if (const auto local = parse_record_local(s)) {
          rec_.time = convert_time_(*local);
          return true;
        }
        return refuse(f, "not MM/DD/YY HH:MM:SS");
      case field::direction: rec_.direction = directions_(s); return true;
      case field::disposition: rec_.disposition = dispositions_(s); return true;
      case field::jurisdiction: set_text(rec_.jurisdiction, s); return true;
      case field::billing_id: set_text(rec_.billing_id, s); return true;
      case field::partner_id: set_text(rec_.partner_id, s); return true;
      default: return refuse(f, "wrong type");
    }
  }

  // Text fields take numbers as their decimal text (the API may send ids as numbers).
  template <class Number>
  void number_value(field f, Number n) {
    const auto v = static_cast<double>(n);
    switch (kind_of(f)) {
      case field_kind::number: return set_number(f, v);
      case field_kind::flag:
        if (v == 0.0 || v == 1.0) return set_flag(f, v == 1.0);
        return reject(f, "not 0/1");
      case field_kind::text: {
        std::array<char, 32> text{};
        const auto r = std::to_chars(text.data(), text.data() + text.size(), n);
        string_value(f, {text.data(), static_cast<std::size_t>(r.ptr - text.data())});
        return;
      }
      default: return reject(f, "wrong type");
    }
  }

  void bool_value(field f, bool b) {
    if (kind_of(f) == field_kind::flag) return set_flag(f, b);
    reject(f, "wrong type");
  }

  void null_value(field f) {
    // Every optional field starts out null; direction/disposition start out `other`.
    if (kind_of(f) == field_kind::required_text) reject(f, "null");
  }

  void reject(field f, std::string_view why) {
    if (bad_) return;  // the first problem is the one reported
    bad_ = true;
    reason_.assign(name_of(f));
    reason_ += ": ";
    reason_ += why;
  }

  bool refuse(field f, std::string_view why) {
    reject(f, why);
    return false;
  }

  // On the record's closing brace: the complete record, or null with reason() set.
  const cdr* end() {
    if (!bad_) {
      if (!(seen_ & bit(field::id))) reject(field::id, "missing");
      else if (!(seen_ & bit(field::time))) reject(field::time, "missing");
    }
    return bad_ ? nullptr : &rec_;
  }

  std::string_view reason() const noexcept { return reason_; }

  // On the record's closing brace: the record to the sink, or why it is invalid. True if valid.
  bool deliver(record_sink& sink) {
    if (const cdr* rec = end()) {
      sink.on_record(*rec);
      return true;
    }
    sink.on_invalid(reason_);
    return false;
  }

 private:
  static constexpr std::uint32_t bit(field f) noexcept { return std::uint32_t{1} << static_cast<unsigned>(f); }

  static void set_text(std::optional<std::string>& out, std::string_view s) {
    if (out) out->assign(s.data(), s.size());
    else out.emplace(s);
  }

  void set_number(field f, double v) {
    if (!std::isfinite(v)) return reject(f, "not finite");
    if (v < 0) return reject(f, "negative");
    switch (f) {
      case field::duration:
        if (v > max_duration_seconds) return reject(f, "over 31 days");
        rec_.duration = v;
        return;
      case field::after_answer_duration:
        if (v > max_duration_seconds) return reject(f, "over 31 days");
        rec_.after_answer_duration = v;
        return;
      case field::percent_jitter:
        if (v > 100) return reject(f, "over 100");
        rec_.percent_jitter = v;
        return;
      case field::packet_loss:
        if (v > 100) return reject(f, "over 100");
        rec_.packet_loss = v;
        return;
      case field::mos:
        if (v > 5) return reject(f, "over 5");
        rec_.mos = v;
        return;
      default: return reject(f, "wrong type");
    }
  }

  void set_flag(field f, bool b) {
    switch (f) {
      case field::recorded: rec_.recorded = b; return;
      case field::queue_call: rec_.queue_call = b; return;
      case field::is_toll_free: rec_.is_toll_free = b; return;
      case field::is_international: rec_.is_international = b; return;
      default: return reject(f, "wrong type");
    }
  }

  cdr rec_;
  zone_converter convert_time_;
  label_memo<call_direction, parse_direction> directions_;
  label_memo<call_disposition, parse_disposition> dispositions_;
  std::uint32_t seen_ = 0;
  bool bad_ = false;
  std::string reason_;
};

}  // namespace voxo::api::detail
