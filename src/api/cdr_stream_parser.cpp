// How the two parsers share a reply: the fast scanner reads from the start; each piece is
// scanned where it lies, and only an element cut by the end of a piece is copied (into
// `carry`) until the next piece completes it. When the scanner stops at a boundary with
// "unsupported", or an element outgrows max_carry_bytes, the general parser is put at that
// boundary and reads everything from there on. Errors about invalid JSON come from the general
// parser only, so a reply's error is the same with either path: "invalid JSON at byte N: why",
// N counted from the start of the body, where Boost.JSON stopped (for some errors the start of
// the token rather than the offending byte).
#include "api/cdr_stream_parser.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "api/detail/fast_reply_scanner.hpp"
#include "api/detail/general_reply_parser.hpp"

namespace voxo::api {
namespace {

// An element longer than this is left to the general parser (which never buffers what it
// skips), so the carry stays small whatever a record holds.
constexpr std::size_t max_carry_bytes = 256 * 1024;
// The first bytes of a piece added to the carry when it holds an element cut short.
constexpr std::size_t carry_step_bytes = 4096;

bool is_json_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

using outcome = detail::fast_reply_scanner::outcome;

}  // namespace

struct cdr_stream_parser::impl {
  impl(record_sink& sink, const date::time_zone* zone, parse_path path)
      : fast(sink, zone), general(sink, zone), on_general(path == parse_path::general_only) {}

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

  bool closed(std::string_view rest) {
    complete = true;
    return check_trailing(rest);
  }

  // Feeds the general parser `piece`, which starts at byte `at` of the body.
  bool write_general(std::string_view piece, std::uint64_t at) {
    boost::system::error_code ec;
    const std::size_t used = general.write(piece, ec);
    if (ec) {
      if (general.rejected_not_array()) return fail("reply is not a JSON array");
      return fail("invalid JSON at byte " + std::to_string(at + used) + ": " + ec.message());
    }
    if (general.complete()) return closed(piece.substr(used));
    return true;
  }

  // From the scanner's boundary on (byte `at`), the general parser reads the reply.
  bool hand_over(std::string_view rest, std::uint64_t at) {
    on_general = true;
    general.start_at(fast.boundary());
    return write_general(rest, at);
  }

  bool write_fast(std::string_view piece, std::uint64_t piece_at) {
    std::size_t from = 0;  // where in the piece the scanner goes on
    if (!carry.empty()) {
      std::size_t taken = 0;
      for (;;) {
        const std::size_t step = std::min(piece.size() - taken, std::max(carry.size(), carry_step_bytes));
        carry.append(piece.data() + taken, step);
        taken += step;
        const auto r = fast.scan(carry);
        if (r.what == outcome::more && r.used == 0) {  // the cut element goes on
          if (carry.size() > max_carry_bytes) return hand_over_carry(piece.substr(taken));
          if (taken == piece.size()) return true;
          continue;
        }
        const std::uint64_t stop_at = carry_at + r.used;
        if (r.what != outcome::more || stop_at < piece_at) {
          std::string rest = carry.substr(r.used);
          rest.append(piece.substr(taken));
          carry.clear();
          return r.what == outcome::closed ? closed(rest) : hand_over(rest, stop_at);
        }
        from = static_cast<std::size_t>(stop_at - piece_at);  // the cut element ended in this piece
        carry.clear();
        break;
      }
    }
    const auto r = fast.scan(piece.substr(from));
    const std::size_t stop = from + r.used;
    switch (r.what) {
      case outcome::closed: return closed(piece.substr(stop));
      case outcome::unsupported: return hand_over(piece.substr(stop), piece_at + stop);
      case outcome::more: break;
    }
    carry.assign(piece.substr(stop));
    carry_at = piece_at + stop;
    if (carry.size() > max_carry_bytes) return hand_over_carry({});
    return true;
  }

  // The carried bytes (and `rest`, which follows them) go to the general parser.
  bool hand_over_carry(std::string_view rest) {
    std::string text = std::move(carry);
    carry.clear();
    text.append(rest);
    return hand_over(text, carry_at);
  }

  detail::fast_reply_scanner fast;
  detail::general_reply_parser general;
  bool on_general;
  std::string carry;           // an element cut by the end of a piece, from its boundary
  std::uint64_t carry_at = 0;  // the body offset of carry[0]
  bool failed = false;
  bool complete = false;
  bool started = false;      // a non-whitespace byte was seen
  std::uint64_t offset = 0;  // bytes fed before the current piece
  std::string error;
};

cdr_stream_parser::cdr_stream_parser(record_sink& sink, const date::time_zone* record_zone, parse_path path)
    : impl_(std::make_unique<impl>(sink, record_zone, path)) {}

cdr_stream_parser::~cdr_stream_parser() = default;

bool cdr_stream_parser::write(std::string_view piece) {
  auto& m = *impl_;
  if (m.failed) return false;
  if (m.complete) return m.check_trailing(piece);
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
  const std::uint64_t piece_at = m.offset;
  m.offset += piece.size();
  try {
    return m.on_general ? m.write_general(piece, piece_at) : m.write_fast(piece, piece_at);
  } catch (...) {
    // Only the sink can throw (allocation aside); the reply can't be trusted any more.
    return m.fail("record sink failed");
  }
}

bool cdr_stream_parser::finish() {
  auto& m = *impl_;
  if (m.failed) return false;
  if (m.complete) return true;
  if (!m.started) return m.fail("reply is not a JSON array (empty body)");
  // An element cut short: the general parser says whether it was already invalid JSON.
  if (!m.on_general && !m.carry.empty()) {
    try {
      if (!m.hand_over_carry({})) return false;
    } catch (...) {
      return m.fail("record sink failed");
    }
    if (m.complete) return true;
  }
  return m.fail("reply cut short");
}

const std::string& cdr_stream_parser::error_message() const noexcept { return impl_->error; }
std::uint64_t cdr_stream_parser::records() const noexcept { return impl_->fast.records() + impl_->general.records(); }
std::uint64_t cdr_stream_parser::invalid() const noexcept { return impl_->fast.invalid() + impl_->general.invalid(); }

}  // namespace voxo::api
