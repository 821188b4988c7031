#pragma once
// The simulator's bearer tokens: JWT-shaped (header.payload.signature, base64url) with
// `sub`, `iat`, `exp` and a unique `jti`, so clients that read `exp` see a real one.
// Thread-safe: the server thread issues and checks, tests revoke from theirs.

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace voxo::sim {

class token_store {
 public:
  explicit token_store(std::vector<std::string> static_tokens = {});

  std::string issue(std::chrono::sys_seconds now, std::chrono::seconds lifetime);
  // Static tokens always; issued ones until `exp` (now >= exp is expired) unless revoked.
  bool valid(std::string_view token, std::chrono::sys_seconds now) const;
  void revoke(std::string_view token);
  void revoke_all();

 private:
  mutable std::mutex mutex_;
  std::set<std::string, std::less<>> static_tokens_;
  std::map<std::string, std::chrono::sys_seconds, std::less<>> issued_;  // token -> exp
  std::uint64_t next_id_ = 1;
};

}  // namespace voxo::sim
