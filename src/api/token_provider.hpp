#pragma once
// Where the bearer token comes from, and when to get a new one.
// Sources, first that is configured wins: a token given in memory (demo mode), api.token_file
// (re-read when the token is refused or about to expire), env VOXO_TOKEN, password login (api.email + api.password_file
// or env VOXO_PASSWORD). A JWT-shaped token is renewed when less than 5 minutes of its `exp` remain. Logins are
// serialized: coroutines that need a token while one login runs wait for its result.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/api_error.hpp"
#include "util/secret.hpp"

namespace voxo::api {

// `exp` of a JWT-shaped token (three base64url parts, payload JSON with a numeric exp).
std::optional<std::chrono::sys_seconds> jwt_expiry(std::string_view token);

struct credential_options {
  std::optional<std::string> token_file;
  std::optional<std::string> email;
  std::optional<std::string> password_file;
  std::optional<secret> token = std::nullopt;  // client_options::token
};

// POST /authentication with these credentials: the accessToken, or an error.
using login_function =
    std::function<boost::asio::awaitable<api_result<secret>>(const std::string& email, const secret& password)>;

class token_provider {
 public:
  static constexpr std::chrono::minutes renew_before{5};

  // Throws std::runtime_error when no source is configured, or a configured file cannot be read.
  token_provider(boost::asio::any_io_executor executor, credential_options options, login_function login);

  // A token believed valid (logs in or re-reads first when needed).
  boost::asio::awaitable<api_result<secret>> token();
  // `refused` got a 401: get a different one (new login, re-read file or env). If another
  // coroutine already replaced it, that replacement is returned without a new login.
  boost::asio::awaitable<api_result<secret>> renew(const secret& refused);

  std::uint64_t logins() const noexcept { return logins_; }  // password logins attempted

 private:
  enum class source { given, token_file, env_token, password };
  bool usable(std::chrono::system_clock::time_point now) const;
  boost::asio::awaitable<api_result<secret>> fetch();  // one serialized refresh
  api_result<secret> read_static();                    // given, token file or env
  api_result<secret> read_password() const;

  credential_options options_;
  login_function login_;
  source source_;
  std::optional<secret> current_;
  std::optional<std::chrono::sys_seconds> expiry_;
  bool busy_ = false;
  std::uint64_t generation_ = 0;                    // finished refreshes
  std::optional<api_result<secret>> last_outcome_;  // of the last refresh, for its waiters
  boost::asio::steady_timer wake_;                  // cancelled when a refresh finishes
  std::uint64_t logins_ = 0;
};

}  // namespace voxo::api
