#pragma once
// A regular expression matched against a whole string (anchored at both ends, like Prometheus
// relabeling), in RE2 syntax, the syntax Prometheus uses. RE2 runs in time linear in the input
// and never recurses on it, so a hostile 10 MB tenant name costs a scan, not the stack
// (std::regex recursed once per character and crashed on a 60 KB name: issue #13).

#include <memory>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace re2 {
class RE2;
}

namespace voxo::util {

class full_match_regex {
 public:
  // The compiled pattern, or RE2's reason it is not one (e.g. "missing ): (unclosed").
  static result<full_match_regex, std::string> compile(const std::string& pattern);

  full_match_regex(full_match_regex&&) noexcept;
  full_match_regex& operator=(full_match_regex&&) noexcept;
  ~full_match_regex();

  bool matches(std::string_view text) const;

 private:
  explicit full_match_regex(std::unique_ptr<re2::RE2> re) noexcept;
  std::unique_ptr<re2::RE2> re_;
};

}  // namespace voxo::util
