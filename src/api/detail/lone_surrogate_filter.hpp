#pragma once
// Boost.JSON 1.81 refuses a \u escape of a lone UTF-16 surrogate ("\ud800" not followed by a
// low surrogate, or a low one alone) as a syntax error for the whole text, though the JSON
// grammar allows it and a Node API emits one for a string cut inside a surrogate pair (1.82
// added parse_options::allow_invalid_utf16; Debian 12 has 1.81). This filter sits in front of
// the parser and rewrites each lone surrogate escape into six bytes that are not UTF-8 (0xFF):
// the same length, so every byte offset (and error position) stays what it was. The parsers run
// with UTF-8 checks off, so such a string is skipped like any other where it is ignored, and
// fails the UTF-8 check of a kept value (an invalid record; a /tenants name shown repaired) where
// it is kept; the reply itself stays valid.
//
// Streaming: an escape cut by the end of a piece (or a high surrogate whose next six bytes
// are still to come) is held back until the next piece decides it; at most 11 bytes.

#include <cstddef>
#include <string>
#include <string_view>

namespace voxo::api::detail {

class lone_surrogate_filter {
 public:
  struct output {
    std::string_view text;  // the bytes for the parser now
    std::size_t carried;    // how many of them were held back from earlier pieces
  };

  // Valid until the next call. Only a piece with a lone surrogate (or bytes held back) is copied.
  output filter(std::string_view piece);
  // The bytes held back, once nothing follows them (the end of a text cut inside an escape).
  std::string_view held() const noexcept { return held_; }

 private:
  std::string held_;
  std::string buffer_;
};

// A whole text filtered at once (for replies read whole, like /tenants).
std::string without_lone_surrogates(std::string_view text);

}  // namespace voxo::api::detail
