#pragma once
// Base64 (RFC 4648): the one codec for Basic auth headers (standard alphabet) and JWT parts
// (URL-safe alphabet, no padding), so the exporter, its HTTP server and the simulator agree.

#include <optional>
#include <string>
#include <string_view>

namespace voxo::util {

enum class base64_alphabet {
  standard,  // section 4: A-Z a-z 0-9 + /
  url,       // section 5: A-Z a-z 0-9 - _
};

// The decoded bytes. Padding is optional (trailing '=' are ignored); nullopt on a character
// outside the alphabet or a length no encoding has (4n+1 characters). Never reallocates while
// decoding, so a decoded password leaves no copy behind in freed memory.
std::optional<std::string> base64_decode(std::string_view text, base64_alphabet alphabet);

// The encoding without padding, as JWTs carry their parts (RFC 7515 section 2).
std::string base64_encode_unpadded(std::string_view bytes, base64_alphabet alphabet);

}  // namespace voxo::util
