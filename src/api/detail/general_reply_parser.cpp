// Rules this parser applies (decisions the header leaves open):
//  - The reply must be one JSON array. Strict JSON: no comments, no trailing commas (the "},]"
//    in the documentation is a typo), nesting deeper than 32 is an error.
//  - UTF-8: the JSON parser does not check it (that check cost 3-5% of ingest, spent on the many
//    strings nobody reads: names, numbers, URLs). Invalid bytes inside a string leave the JSON
//    structure intact (a byte >= 0x80 is never a quote, a backslash or a control), so a reply
//    with bad bytes in a field we ignore still parses exactly as it would with good ones: its
//    record counts. Every string value of a field we keep is checked by the record builder
//    instead. Escapes (\uXXXX) are still decoded strictly, except that a lone UTF-16 surrogate
//    (legal JSON, refused by Boost.JSON 1.81) is first rewritten into bytes that are not UTF-8
//    (see lone_surrogate_filter.hpp): skipped where ignored, an invalid record where kept.
//  - A number too big for a double (1e400) reads as infinity and makes its record invalid;
//    an exponent too big for the parser (1e99999999999) is an error for the whole reply.
#include "api/detail/general_reply_parser.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <string>

#include "api/detail/lone_surrogate_filter.hpp"
#include "api/detail/record_builder.hpp"
#include "api/detail/record_fields.hpp"

namespace voxo::api::detail {
namespace {

namespace json = boost::json;

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
    if (depth_ == 1 && skip_primer_null_) {  // the made-up element of start_at(next_element)
      skip_primer_null_ = false;
      return true;
    }
    if (depth_ < 2) return scalar_element(ec);
    if (at_record_known_value()) builder_.null_value(field_);
    return true;
  }

  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

  void skip_next_null() noexcept { skip_primer_null_ = true; }
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
    ++(builder_.deliver(sink_) ? records_ : invalid_);
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
  bool skip_primer_null_ = false;
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

}  // namespace

struct general_reply_parser::impl {
  impl(record_sink& sink, const date::time_zone* zone) : parser(strict_options(), sink, zone) {}
  json::basic_parser<handler> parser;
  lone_surrogate_filter surrogates;
};

general_reply_parser::general_reply_parser(record_sink& sink, const date::time_zone* record_zone)
    : impl_(std::make_unique<impl>(sink, record_zone)) {}

general_reply_parser::~general_reply_parser() = default;

void general_reply_parser::start_at(reply_boundary b) {
  // Made-up bytes that leave the parser in the state the real reply had at `b`: inside the
  // array, before its first element or after one.
  std::string_view primer;
  if (b == reply_boundary::first_element) primer = "[";
  if (b == reply_boundary::next_element) {
    primer = "[null";
    impl_->parser.handler().skip_next_null();
  }
  json::error_code ec;
  impl_->parser.write_some(true, primer.data(), primer.size(), ec);
}

std::size_t general_reply_parser::write(std::string_view piece, boost::system::error_code& ec) {
  const auto out = impl_->surrogates.filter(piece);
  const std::size_t used = impl_->parser.write_some(true, out.text.data(), out.text.size(), ec);
  // The filter keeps offsets; bytes it holds back count as used (they are in its hands). An
  // error never lies in bytes carried from the last piece (they are a valid escape's prefix),
  // but should one, it is reported at the start of this piece.
  if (ec || impl_->parser.done()) return used > out.carried ? used - out.carried : 0;
  return piece.size();
}

bool general_reply_parser::complete() const noexcept { return impl_->parser.handler().complete(); }
bool general_reply_parser::rejected_not_array() const noexcept { return impl_->parser.handler().rejected_not_array(); }
std::uint64_t general_reply_parser::records() const noexcept { return impl_->parser.handler().records(); }
std::uint64_t general_reply_parser::invalid() const noexcept { return impl_->parser.handler().invalid(); }

}  // namespace voxo::api::detail
