#include "sim/token_store.hpp"

#include <openssl/rand.h>

#include <array>

#include "util/base64.hpp"

namespace voxo::sim {

namespace {
std::string base64url(std::string_view bytes) {
  return util::base64_encode_unpadded(bytes, util::base64_alphabet::url);
}
}  // namespace

token_store::token_store(std::vector<std::string> static_tokens)
    : static_tokens_(static_tokens.begin(), static_tokens.end()) {}

std::string token_store::issue(std::chrono::sys_seconds now, std::chrono::seconds lifetime) {
  const auto exp = now + lifetime;
  std::array<unsigned char, 32> signature{};
  // Random, so a token cannot be guessed from another one's claims.
  if (RAND_bytes(signature.data(), static_cast<int>(signature.size())) != 1) signature.fill(0x5a);
  std::lock_guard lock(mutex_);
  const std::string payload = R"({"sub":"1","iat":)" + std::to_string(now.time_since_epoch().count()) + R"(,"exp":)" +
                              std::to_string(exp.time_since_epoch().count()) + R"(,"aud":"https://voxo.co","jti":")" +
                              std::to_string(next_id_++) + "\"}";
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
