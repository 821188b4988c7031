// Rules this parser applies (decisions the header leaves open):
//  - The reply must be one JSON array: the first significant byte must be '['; after the
//    closing ']' only whitespace. Strict JSON: no comments, no trailing commas (the "},]" in
//    the documentation is a typo), nesting deeper than 32 is an error.
//  - UTF-8: the JSON parser does not check it (that check cost 3-5% of ingest, spent on the many
//    strings nobody reads: names, numbers, URLs). Invalid bytes inside a string leave the JSON
//    structure intact (a byte >= 0x80 is never a quote, a backslash or a control), so a reply
//    with bad bytes in a field we ignore still parses exactly as it would with good ones: its
//    record counts. Every string value of a field we keep is checked here instead: invalid
//    UTF-8 there makes the record invalid ("<field>: invalid UTF-8"), so such bytes never
//    reach a label value, the de-dup set, a state file or a log line. Keys are only compared
//    with our ASCII field names, never kept. Escapes (\uXXXX) are still decoded strictly.
//  - A number too big for a double (1e400) reads as infinity and makes its record invalid;
//    an exponent too big for the parser (1e99999999999) is an error for the whole reply.
//  - "invalid JSON at byte N": N is where Boost.JSON stopped, which for some errors is the
//    start of the token rather than the offending byte.
#include "api/cdr_stream_parser.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "api/detail/local_time.hpp"
#include "api/detail/utf8.hpp"

namespace voxo::api {
namespace {

namespace json = boost::json;

// Bounded memory: a known field's string longer than this makes the record invalid; unknown
// keys' strings are never buffered at all.
constexpr std::size_t max_field_bytes = 4096;
// Longer keys can't be one we know: they are skipped without buffering.
constexpr std::size_t max_key_bytes = 32;
// Deeper input is an error for the reply (the parser's stack is bounded by this).
constexpr std::size_t max_json_depth = 32;
// A call can't outlast the 31-day query cap; bigger values are garbage that would pollute
// the duration histograms.
constexpr double max_duration_seconds = 31.0 * 24 * 3600;

enum class field : unsigned char {
  id, time, direction, disposition,
  duration, after_answer_duration, percent_jitter, packet_loss, mos,
  recorded, queue_call, is_toll_free, is_international,
  jurisdiction, billing_id, partner_id,
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

std::string_view name_of(field f) noexcept {
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

// The API sends a handful of spellings ("IN", "NO ANSWER", ...) millions of times: each one's
// label is remembered, so the case-insensitive match runs once per spelling, not per record.
template <class Label, Label (*parse)(std::string_view) noexcept>
class label_memo {
 public:
  Label operator()(std::string_view text) {
    for (std::size_t i = 0; i < used_; ++i)
      if (entries_[i].first == text) return entries_[i].second;
    const Label label = parse(text);
    if (used_ < entries_.size() && text.size() <= max_text) entries_[used_++] = {std::string(text), label};
    return label;
  }

 private:
  static constexpr std::size_t max_text = 32;
  std::array<std::pair<std::string, Label>, 8> entries_{};
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
    if (!detail::is_valid_utf8(s)) return refuse(f, "invalid UTF-8");
    switch (f) {
      case field::id:
        if (s.empty()) return refuse(f, "empty");
        rec_.id.assign(s.data(), s.size());
        return true;
      case field::time:
        if (const auto local = detail::parse_record_local(s)) {
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
  detail::zone_converter convert_time_;
  label_memo<call_direction, parse_direction> directions_;
  label_memo<call_disposition, parse_disposition> dispositions_;
  std::uint32_t seen_ = 0;
  bool bad_ = false;
  std::string reason_;
};

// Events of boost::json::basic_parser routed by nesting depth:
//   depth 0: the reply itself, must be an array
//   depth 1: elements of the reply; an object is a record, anything else is invalid
//   depth 2: values of a record's keys (when the element is an object)
//   deeper:  inside a value that is an object/array: skipped
class handler {
 public:
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);

  handler(record_sink& sink, const date::time_zone* zone) : sink_(sink), builder_(zone) {
    key_.reserve(max_key_bytes);
    value_.reserve(256);
  }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }

  bool on_array_begin(json::error_code& ec) {
    if (depth_ == 0) {
      ++depth_;
      return true;
    }
    return container_begin(false, ec);
  }

  bool on_array_end(std::size_t, json::error_code&) {
    if (--depth_ == 0) complete_ = true;
    return true;
  }

  bool on_object_begin(json::error_code& ec) {
    if (depth_ == 0) return not_an_array(ec);
    return container_begin(true, ec);
  }

  bool on_object_end(std::size_t, json::error_code&) {
    if (--depth_ == 1 && element_is_record_) finish_record();
    return true;
  }

  bool on_string_part(json::string_view s, std::size_t n, json::error_code& ec) {
    if (depth_ == 0) return not_an_array(ec);
    if (!at_record_value() || field_ == field::unknown) return true;  // never buffered
    if (n > max_field_bytes) {
      builder_.reject(field_, "longer than 4096 bytes");
      field_ = field::unknown;  // skip the rest of it
      return true;
    }
    value_.append(s.data(), s.size());
    return true;
  }

  bool on_string(json::string_view s, std::size_t n, json::error_code& ec) {
    if (depth_ == 0) return not_an_array(ec);
    if (depth_ == 1) return element_not_an_object();
    if (at_record_value() && field_ != field::unknown) {
      if (n > max_field_bytes) {
        builder_.reject(field_, "longer than 4096 bytes");
      } else if (value_.empty()) {  // arrived in one piece: no copy
        if (builder_.string_value(field_, {s.data(), s.size()}) && field_ == field::id)
          sink_.on_record_id({s.data(), s.size()});
      } else {
        value_.append(s.data(), s.size());
        if (builder_.string_value(field_, value_) && field_ == field::id) sink_.on_record_id(value_);
      }
    }
    value_.clear();
    return true;
  }

  bool on_key_part(json::string_view s, std::size_t n, json::error_code&) {
    if (depth_ == 2 && element_is_record_ && n <= max_key_bytes) key_.append(s.data(), s.size());
    return true;
  }

  bool on_key(json::string_view s, std::size_t n, json::error_code&) {
    if (depth_ == 2 && element_is_record_) {
      if (n > max_key_bytes) {
        field_ = field::unknown;
      } else if (key_.empty()) {
        field_ = lookup({s.data(), s.size()});
      } else {
        key_.append(s.data(), s.size());
        field_ = lookup(key_);
      }
      if (field_ != field::unknown) builder_.key(field_);
    }
    key_.clear();
    return true;
  }

  bool on_number_part(json::string_view, json::error_code& ec) {
    if (depth_ == 0) return not_an_array(ec);
    return true;
  }

  bool on_int64(std::int64_t v, json::string_view, json::error_code& ec) {
    if (depth_ < 2) return scalar_element(ec);
    if (at_record_known_value()) builder_.number_value(field_, v);
    return true;
  }

  bool on_uint64(std::uint64_t v, json::string_view, json::error_code& ec) {
    if (depth_ < 2) return scalar_element(ec);
    if (at_record_known_value()) builder_.number_value(field_, v);
    return true;
  }

  bool on_double(double v, json::string_view, json::error_code& ec) {
    if (depth_ < 2) return scalar_element(ec);
    if (at_record_known_value()) builder_.number_value(field_, v);
    return true;
  }

  bool on_bool(bool b, json::error_code& ec) {
    if (depth_ < 2) return scalar_element(ec);
    if (at_record_known_value()) builder_.bool_value(field_, b);
    return true;
  }

  bool on_null(json::error_code& ec) {
    if (depth_ < 2) return scalar_element(ec);
    if (at_record_known_value()) builder_.null_value(field_);
    return true;
  }

  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

  bool complete() const noexcept { return complete_; }
  bool rejected_not_array() const noexcept { return not_array_; }
  std::uint64_t records() const noexcept { return records_; }
  std::uint64_t invalid() const noexcept { return invalid_; }

 private:
  bool at_record_value() const noexcept { return depth_ == 2 && element_is_record_; }
  bool at_record_known_value() const noexcept { return at_record_value() && field_ != field::unknown; }

  bool not_an_array(json::error_code& ec) {
    not_array_ = true;
    ec = json::error::syntax;  // the message comes from not_array_
    return false;
  }

  // A scalar that is the reply itself (an error) or an element of it (not a record).
  bool scalar_element(json::error_code& ec) {
    if (depth_ == 0) return not_an_array(ec);
    return element_not_an_object();
  }

  bool element_not_an_object() {
    ++invalid_;
    sink_.on_invalid("element is not an object");
    return true;
  }

  bool container_begin(bool is_object, json::error_code&) {
    if (depth_ == 1) {
      element_is_record_ = is_object;
      if (is_object) {
        builder_.begin();
        field_ = field::unknown;
      } else {
        element_not_an_object();
      }
    } else if (at_record_known_value()) {
      builder_.reject(field_, "wrong type");
    }
    ++depth_;
    return true;
  }

  void finish_record() {
    element_is_record_ = false;
    if (const cdr* rec = builder_.end()) {
      ++records_;
      sink_.on_record(*rec);
    } else {
      ++invalid_;
      sink_.on_invalid(builder_.reason());
    }
  }

  record_sink& sink_;
  record_builder builder_;
  std::size_t depth_ = 0;
  bool element_is_record_ = false;
  field field_ = field::unknown;
  std::string key_;    // a key that arrived in pieces
  std::string value_;  // a known field's string that arrived in pieces
  bool complete_ = false;
  bool not_array_ = false;
  std::uint64_t records_ = 0;
  std::uint64_t invalid_ = 0;
};

json::parse_options strict_options() {
  json::parse_options opt;
  opt.max_depth = max_json_depth;
  opt.allow_comments = false;
  // The documented example ends in "},]": a typo in the docs, real replies are valid JSON.
  opt.allow_trailing_commas = false;
  opt.allow_invalid_utf8 = true;  // checked per kept field instead (see the top)
  return opt;
}

bool is_json_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

struct cdr_stream_parser::impl {
  impl(record_sink& sink, const date::time_zone* zone) : parser(strict_options(), sink, zone) {}

  bool fail(std::string message) {
    failed = true;
    error = std::move(message);
    return false;
  }

  // After the array closed, only whitespace may follow.
  bool check_trailing(std::string_view rest) {
    for (const char c : rest)
      if (!is_json_space(c)) return fail("trailing data after the JSON array");
    return true;
  }

  json::basic_parser<handler> parser;
  bool failed = false;
  bool started = false;  // a non-whitespace byte was seen
  std::uint64_t offset = 0;  // bytes fed before the current piece
  std::string error;
};

cdr_stream_parser::cdr_stream_parser(record_sink& sink, const date::time_zone* record_zone)
    : impl_(std::make_unique<impl>(sink, record_zone)) {}

cdr_stream_parser::~cdr_stream_parser() = default;

bool cdr_stream_parser::write(std::string_view piece) {
  auto& m = *impl_;
  if (m.failed) return false;
  if (m.parser.handler().complete()) return m.check_trailing(piece);
  if (!m.started) {
    // Decided on the first significant byte, so the verdict doesn't depend on how much of
    // a scalar or an object the parser saw before it stopped.
    for (const char c : piece)
      if (!is_json_space(c)) {
        if (c != '[') return m.fail("reply is not a JSON array");
        m.started = true;
        break;
      }
  }
  json::error_code ec;
  std::size_t used = 0;
  try {
    used = m.parser.write_some(true, piece.data(), piece.size(), ec);
  } catch (...) {
    // Only the sink can throw (allocation aside); the reply can't be trusted any more.
    return m.fail("record sink failed");
  }
  if (ec) {
    if (m.parser.handler().rejected_not_array()) return m.fail("reply is not a JSON array");
    return m.fail("invalid JSON at byte " + std::to_string(m.offset + used) + ": " + ec.message());
  }
  m.offset += piece.size();
  if (m.parser.handler().complete()) return m.check_trailing(piece.substr(used));
  return true;
}

bool cdr_stream_parser::finish() {
  auto& m = *impl_;
  if (m.failed) return false;
  if (m.parser.handler().complete()) return true;
  if (!m.started) return m.fail("reply is not a JSON array (empty body)");
  return m.fail("reply cut short");
}

const std::string& cdr_stream_parser::error_message() const noexcept { return impl_->error; }
std::uint64_t cdr_stream_parser::records() const noexcept { return impl_->parser.handler().records(); }
std::uint64_t cdr_stream_parser::invalid() const noexcept { return impl_->parser.handler().invalid(); }

}  // namespace voxo::api
