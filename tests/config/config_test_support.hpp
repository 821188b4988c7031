#pragma once
// Helpers shared by the config tests: a clean credential environment and error capture.

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "config/config_loader.hpp"

namespace voxo::test {

// Sets or unsets one environment variable for the life of the object, then restores it.
class scoped_env {
 public:
  scoped_env(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) ::setenv(name, value, 1);
    else ::unsetenv(name);
  }
  ~scoped_env() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// Neither VOXO_TOKEN nor VOXO_PASSWORD, whatever the shell running the tests has.
struct no_credentials_in_env {
  scoped_env token{"VOXO_TOKEN", nullptr};
  scoped_env password{"VOXO_PASSWORD", nullptr};
};

// The config_error message load_config_text throws, or "" when it loads.
inline std::string load_error(std::string_view yaml, std::string_view source = "test.yml") {
  try {
    config::load_config_text(yaml, source);
  } catch (const config::config_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace voxo::test
