#include "http/basic_auth.hpp"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "util/base64.hpp"

namespace voxo::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  return true;
}

// Zeroes a string's bytes before it goes away (decoded "user:password").
struct wipe_on_exit {
  std::string& s;
  ~wipe_on_exit() { OPENSSL_cleanse(s.data(), s.size()); }
};

unsigned cost_of(const std::string& hash) { return static_cast<unsigned>((hash[4] - '0') * 10 + (hash[5] - '0')); }

}  // namespace

std::optional<basic_credentials> parse_basic_authorization(std::string_view header) {
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  auto space = header.find(' ');
  if (space == std::string_view::npos || !iequals(header.substr(0, space), "basic")) return std::nullopt;
  std::string_view token = header.substr(space + 1);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  auto decoded = util::base64_decode(token, util::base64_alphabet::standard);
  if (!decoded) return std::nullopt;
  wipe_on_exit wipe{*decoded};
  auto colon = decoded->find(':');
  if (colon == std::string::npos || decoded->find('\0') != std::string::npos) return std::nullopt;
  return basic_credentials{decoded->substr(0, colon), secret{decoded->substr(colon + 1)}};
}

bool bcrypt_matches(const secret& password, const std::string& hash) {
  if (password.reveal().find('\0') != std::string::npos) return false;
  auto data = std::make_unique<crypt_data>();  // ~32 KiB: not for the stack
  const char* out = crypt_r(password.reveal().c_str(), hash.c_str(), data.get());
  bool ok = out != nullptr && out[0] != '*' && std::string_view(out).size() == hash.size() &&
            CRYPTO_memcmp(out, hash.data(), hash.size()) == 0;
  OPENSSL_cleanse(data.get(), sizeof(crypt_data));
  return ok;
}

std::string bcrypt_hash(const secret& password, unsigned cost) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2b$", cost, nullptr, 0, setting, sizeof setting) == nullptr)
    throw std::runtime_error("bcrypt: cannot make a salt");
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_r(password.reveal().c_str(), setting, data.get());
  if (out == nullptr || out[0] == '*') throw std::runtime_error("bcrypt: hashing failed");
  std::string hash(out);
  OPENSSL_cleanse(data.get(), sizeof(crypt_data));
  return hash;
}

basic_auth::basic_auth(std::map<std::string, std::string> users, clock::duration cache_ttl, std::size_t cache_capacity,
                       now_function now)
    : users_(std::move(users)),
      cache_ttl_(cache_ttl),
      cache_capacity_(std::max<std::size_t>(cache_capacity, 1)),
      now_(now) {
  if (users_.empty()) return;
  unsigned cost = 4;
  for (const auto& [user, hash] : users_)
    if (hash.size() > 6) cost = std::max(cost, cost_of(hash));
  unsigned char random[32];
  if (RAND_bytes(random, sizeof random) != 1) throw std::runtime_error("basic auth: no randomness");
  key_salt_.assign(reinterpret_cast<const char*>(random), sizeof random);
  dummy_hash_ = bcrypt_hash(secret{key_salt_}, cost);
}

std::string basic_auth::cache_key(const basic_credentials& c) const {
  std::string input = key_salt_ + c.user + '\0' + c.password.reveal();
  wipe_on_exit wipe{input};
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(input.data(), input.size(), digest, &len, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), len);
}

bool basic_auth::verified_recently(std::string_view authorization) {
  if (!enabled()) return true;
  auto creds = parse_basic_authorization(authorization);
  if (!creds) return false;
  std::string key = cache_key(*creds);
  std::lock_guard lock(mutex_);
  auto it = cache_.find(key);
  if (it == cache_.end()) return false;
  auto now = now_();
  if (it->second <= now) {
    cache_.erase(it);
    return false;
  }
  it->second = now + cache_ttl_;
  return true;
}

bool basic_auth::verify(std::string_view authorization) {
  if (!enabled()) return true;
  if (verified_recently(authorization)) return true;
  auto creds = parse_basic_authorization(authorization);
  if (!creds) return false;
  auto user = users_.find(creds->user);
  bool known = user != users_.end();
  ++bcrypt_runs_;
  bool ok = bcrypt_matches(creds->password, known ? user->second : dummy_hash_) && known;
  if (!ok) return false;
  std::string key = cache_key(*creds);
  auto now = now_();
  std::lock_guard lock(mutex_);
  if (cache_.size() >= cache_capacity_ && !cache_.contains(key)) {
    // Only right passwords get here, so this is rare: drop the expired, else the least recently used.
    std::erase_if(cache_, [now](const auto& entry) { return entry.second <= now; });
    if (cache_.size() >= cache_capacity_)
      cache_.erase(std::min_element(cache_.begin(), cache_.end(),
                                    [](const auto& a, const auto& b) { return a.second < b.second; }));
  }
  cache_[key] = now + cache_ttl_;
  return true;
}

}  // namespace voxo::http
