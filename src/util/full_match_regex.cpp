#include "util/full_match_regex.hpp"

#include <re2/re2.h>

namespace voxo::util {

result<full_match_regex, std::string> full_match_regex::compile(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);  // the caller words the error (RE2 would print to stderr)
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) return fail(re->error());
  return full_match_regex(std::move(re));
}

full_match_regex::full_match_regex(std::unique_ptr<re2::RE2> re) noexcept : re_(std::move(re)) {}
full_match_regex::full_match_regex(full_match_regex&&) noexcept = default;
full_match_regex& full_match_regex::operator=(full_match_regex&&) noexcept = default;
full_match_regex::~full_match_regex() = default;

bool full_match_regex::matches(std::string_view text) const {
  return RE2::FullMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

}  // namespace voxo::util
