#pragma once
// Content negotiation for /metrics: does the client accept a gzip body?

#include <string_view>

namespace voxo::http {

// Parses an Accept-Encoding value (RFC 9110 12.5.3): "gzip", "deflate, gzip;q=0.5" and "*"
// accept gzip; "gzip;q=0" (or "*;q=0" with no gzip entry) refuses it. Case-insensitive.
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace voxo::http
