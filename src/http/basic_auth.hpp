#pragma once
// HTTP basic authentication against bcrypt hashes (web config `basic_auth_users`).

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
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

// Parses "Basic base64(user:password)" (scheme case-insensitive); nullopt when malformed or
// when user or password holds a NUL byte (bcrypt's C API stops at NUL: "secret\0junk" would
// match "secret").
std::optional<basic_credentials> parse_basic_authorization(std::string_view header);

// One bcrypt computation (libxcrypt crypt_r), compared in constant time; false for a
// password holding a NUL byte.
bool bcrypt_matches(const secret& password, const std::string& hash);

// A fresh "$2b$" hash of `password` at `cost` (4-31); throws std::runtime_error on failure.
std::string bcrypt_hash(const secret& password, unsigned cost);

// Checks credentials with a cache of recent successes, like Prometheus exporter-toolkit's:
// a scraper that keeps its password costs one bcrypt computation, then only a SHA-256 per
// request. Unlike exporter-toolkit, failures are not cached (so wrong guesses cannot evict
// successes) and an entry expires `cache_ttl` after its last use, not its first: a scraper
// that scrapes more often than that never waits for bcrypt again, even while a
// wrong-password flood keeps the bcrypt thread busy. Users and hashes never change for one
// instance (a new web config makes a new server), so a remembered success stays true. The
// default ttl (5 minutes) is above Prometheus' default scrape interval (1 minute). A key is a
// SHA-256 of a random per-process salt and the credentials; no password is kept.
class basic_auth {
 public:
  using clock = std::chrono::steady_clock;
  using now_function = clock::time_point (*)();  // tests substitute a fake clock

  // `users`: user -> bcrypt hash, already validated (see web_config). Empty: everything passes.
  explicit basic_auth(std::map<std::string, std::string> users, clock::duration cache_ttl = std::chrono::minutes{5},
                      std::size_t cache_capacity = 1024, now_function now = clock::now);

  bool enabled() const noexcept { return !users_.empty(); }

  // The full check of an Authorization header value. Thread-safe; costs one bcrypt
  // computation unless these credentials succeeded within cache_ttl of their last use. An
  // unknown user costs one bcrypt computation too (against a dummy hash at the highest
  // configured cost), so timing does not reveal which user names exist.
  bool verify(std::string_view authorization);

  // The cheap part only: true when the header's credentials succeeded recently (and then
  // their entry lives another cache_ttl).
  bool verified_recently(std::string_view authorization);

  // bcrypt computations run by verify so far (for tests and diagnostics).
  std::uint64_t bcrypt_runs() const noexcept { return bcrypt_runs_.load(); }

 private:
  std::string cache_key(const basic_credentials& c) const;

  std::map<std::string, std::string> users_;
  std::string dummy_hash_;  // for unknown users, at the highest configured cost
  std::string key_salt_;    // random per process: cache keys are useless elsewhere
  clock::duration cache_ttl_;
  std::size_t cache_capacity_;
  now_function now_;
  std::atomic<std::uint64_t> bcrypt_runs_{0};
  std::mutex mutex_;
  std::unordered_map<std::string, clock::time_point> cache_;  // sha256(salt, user, password) -> expiry
};

}  // namespace voxo::http
