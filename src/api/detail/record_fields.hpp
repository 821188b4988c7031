#pragma once
// The record fields the exporter reads from a /call-reports reply, shared by both reply
// parsers (detail/general_reply_parser, detail/fast_reply_scanner): names, kinds, limits and
// the key lookup that runs for every key of every record.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace voxo::api::detail {

// Bounded memory: a known field's string longer than this makes the record invalid; unknown
// keys' strings are never buffered at all.
constexpr std::size_t max_field_bytes = 4096;
// Longer keys can't be one we know: they are skipped without buffering.
constexpr std::size_t max_key_bytes = 32;
// Deeper input is an error for the reply (the parser's stack is bounded by this).
constexpr std::size_t max_json_depth = 32;

enum class field : unsigned char {
  id,
  time,
  direction,
  disposition,
  duration,
  after_answer_duration,
  percent_jitter,
  packet_loss,
  mos,
  recorded,
  queue_call,
  is_toll_free,
  is_international,
  jurisdiction,
  billing_id,
  partner_id,
  unknown,
};

struct field_name {
  std::string_view key;
  field f;
};

constexpr std::array<field_name, 16> known_fields{{
    {"id", field::id},
    {"time", field::time},
    {"direction", field::direction},
    {"disposition", field::disposition},
    {"duration", field::duration},
    {"afterAnswerDuration", field::after_answer_duration},
    {"percentJitter", field::percent_jitter},
    {"packetLoss", field::packet_loss},
    {"mos", field::mos},
    {"recorded", field::recorded},
    {"queueCall", field::queue_call},
    {"isTollFree", field::is_toll_free},
    {"isInternational", field::is_international},
    {"jurisdiction", field::jurisdiction},
    {"billingId", field::billing_id},
    {"partnerId", field::partner_id},
}};

// 8 bytes of a literal from `from`, as one word (native order, like load8).
template <std::size_t N>
constexpr std::uint64_t word8(const char (&literal)[N], std::size_t from) noexcept {
  std::array<char, 8> b{};
  for (std::size_t i = 0; i < 8; ++i) b[i] = literal[from + i];
  return std::bit_cast<std::uint64_t>(b);
}

inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// `key` (of the literal's length, checked by the caller) equals the literal: short ones
// with an inlined memcmp, longer ones as 2 or 3 overlapping 8-byte words, so a key that
// only shares the length fails on its first word.
template <std::size_t N>
[[gnu::always_inline]] inline bool is(std::string_view key, const char (&literal)[N]) noexcept {
  constexpr std::size_t n = N - 1;
  if constexpr (n < 8) {
    return std::memcmp(key.data(), literal, n) == 0;
  } else {
    static_assert(n <= 24);
    const char* p = key.data();
    if (load8(p) != word8(literal, 0) || load8(p + n - 8) != word8(literal, n - 8)) return false;
    if constexpr (n > 16) return load8(p + 8) == word8(literal, 8);
    return true;
  }
}

// Called for every key of every record (~40 per record): dispatch on length first.
[[gnu::always_inline]] inline field lookup(std::string_view key) noexcept {
  switch (key.size()) {
    case 2: return is(key, "id") ? field::id : field::unknown;
    case 3: return is(key, "mos") ? field::mos : field::unknown;
    case 4: return is(key, "time") ? field::time : field::unknown;
    case 8:
      if (is(key, "duration")) return field::duration;
      return is(key, "recorded") ? field::recorded : field::unknown;
    case 9:
      if (is(key, "direction")) return field::direction;
      if (is(key, "queueCall")) return field::queue_call;
      if (is(key, "billingId")) return field::billing_id;
      return is(key, "partnerId") ? field::partner_id : field::unknown;
    case 10:
      if (is(key, "packetLoss")) return field::packet_loss;
      return is(key, "isTollFree") ? field::is_toll_free : field::unknown;
    case 11: return is(key, "disposition") ? field::disposition : field::unknown;
    case 12: return is(key, "jurisdiction") ? field::jurisdiction : field::unknown;
    case 13: return is(key, "percentJitter") ? field::percent_jitter : field::unknown;
    case 15: return is(key, "isInternational") ? field::is_international : field::unknown;
    case 19: return is(key, "afterAnswerDuration") ? field::after_answer_duration : field::unknown;
    default: return field::unknown;
  }
}

inline std::string_view name_of(field f) noexcept {
  for (const auto& k : known_fields)
    if (k.f == f) return k.key;
  return "unknown";
}

enum class field_kind { required_text, label, number, flag, text };

constexpr field_kind kind_of(field f) noexcept {
  switch (f) {
    case field::id:
    case field::time: return field_kind::required_text;
    case field::direction:
    case field::disposition: return field_kind::label;
    case field::duration:
    case field::after_answer_duration:
    case field::percent_jitter:
    case field::packet_loss:
    case field::mos: return field_kind::number;
    case field::recorded:
    case field::queue_call:
    case field::is_toll_free:
    case field::is_international: return field_kind::flag;
    default: return field_kind::text;
  }
}

}  // namespace voxo::api::detail
