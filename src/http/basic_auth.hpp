#pragma once
// HTTP basic authentication against bcrypt hashes (web config `basic_auth_users`).

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "util/secret.hpp"

namespace voxo::http {

struct basic_credentials {
  std::string user;
  secret password;
};

// Parses "Basic base64(user:password)" (scheme case-insensitive); nullopt when malformed.
std::optional<basic_credentials> parse_basic_authorization(std::string_view header);

// One bcrypt computation (libxcrypt crypt_r), compared in constant time.
bool bcrypt_matches(const secret& password, const std::string& hash);

// A fresh "$2b$" hash of `password` at `cost` (4-31); throws std::runtime_error on failure.
std::string bcrypt_hash(const secret& password, unsigned cost);

class basic_auth {
 public:
  using clock = std::chrono::steady_clock;

  // `users`: user -> bcrypt hash, already validated (see web_config). Empty: everything passes.
  explicit basic_auth(std::map<std::string, std::string> users, clock::duration cache_ttl = std::chrono::minutes{1},
                      std::size_t cache_capacity = 1024);

  bool enabled() const noexcept { return !users_.empty(); }

  // The full check of an Authorization header value. Thread-safe; costs one bcrypt
  // computation unless these credentials succeeded within cache_ttl. An unknown user costs
  // the same as a known one, so timing does not reveal which user names exist.
  bool verify(std::string_view authorization);

  // The cheap part only: true when the header's credentials succeeded recently.
  bool verified_recently(std::string_view authorization);

 private:
  std::string cache_key(const basic_credentials& c) const;

  std::map<std::string, std::string> users_;
  std::string dummy_hash_;  // for unknown users, at the highest configured cost
  std::string key_salt_;    // random per process: cache keys are useless elsewhere
  clock::duration cache_ttl_;
  std::size_t cache_capacity_;
  std::mutex mutex_;
  std::unordered_map<std::string, clock::time_point> cache_;  // sha256(salt, user, password) -> expiry
};

}  // namespace voxo::http
