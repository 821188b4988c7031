#include "sim/token_store.hpp"

#include <openssl/rand.h>

#include <array>

namespace voxo::sim {

std::string base64url(std::string_view bytes) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) | static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (rest == 2) out += alphabet[(v >> 6) & 63];
  }
  return out;
}

token_store::token_store(std::vector<std::string> static_tokens)
    : static_tokens_(static_tokens.begin(), static_tokens.end()) {}

std::string token_store::issue(std::chrono::sys_seconds now, std::chrono::seconds lifetime) {
  const auto exp = now + lifetime;
  std::array<unsigned char, 32> signature{};
  // Random, so a token cannot be guessed from another one's claims.
  if (RAND_bytes(signature.data(), static_cast<int>(signature.size())) != 1) signature.fill(0x5a);
  std::lock_guard lock(mutex_);
  const std::string payload = R"({"sub":"1","iat":)" + std::to_string(now.time_since_epoch().count()) +
                              R"(,"exp":)" + std::to_string(exp.time_since_epoch().count()) +
                              R"(,"aud":"https://voxo.co","jti":")" + std::to_string(next_id_++) + "\"}";
  std::string token = base64url(R"({"alg":"HS256","typ":"access"})") + '.' + base64url(payload) + '.' +
                      base64url({reinterpret_cast<const char*>(signature.data()), signature.size()});
  issued_[token] = exp;
  return token;
}

bool token_store::valid(std::string_view token, std::chrono::sys_seconds now) const {
  std::lock_guard lock(mutex_);
  if (static_tokens_.contains(token)) return true;
  auto it = issued_.find(token);
  return it != issued_.end() && now < it->second;
}

void token_store::revoke(std::string_view token) {
  std::lock_guard lock(mutex_);
  if (auto it = issued_.find(token); it != issued_.end()) issued_.erase(it);
}

void token_store::revoke_all() {
  std::lock_guard lock(mutex_);
  issued_.clear();
}

}  // namespace voxo::sim
