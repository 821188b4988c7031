#pragma once
// Strict, typed access to a parsed YAML tree for the config loader: every value is read
// through a path ("collector.interval", "tenants[2].id") so that any mistake becomes a
// config_error naming the source, the line and the key.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace voxo::config::detail {

using key_list = std::span<const std::string_view>;

// A value and where it sits. key_mark is the position of its key (or item), which is where
// an empty value is reported: yaml-cpp marks a null value at the token after it.
struct located {
  YAML::Node node;
  std::string path;
  YAML::Mark key_mark = YAML::Mark::null_mark();
};

class yaml_reader {
 public:
  explicit yaml_reader(std::string source) : source_(std::move(source)) {}

  const std::string& source() const noexcept { return source_; }

  // Throws config_error "<source>[:line]: [path: ]message"; line from the node's mark.
  [[noreturn]] void fail(const located& at, std::string_view message) const;
  [[noreturn]] void fail(const YAML::Node& at, std::string_view path, std::string_view message) const;
  [[noreturn]] void fail(std::string_view path, std::string_view message) const;
  [[noreturn]] void fail_at_mark(const YAML::Mark& mark, std::string_view path, std::string_view message) const;

  // The entries of a mapping, in file order. Fails on a non-mapping, a non-string or duplicate
  // key, or a key not in `known` (suggesting the closest known key).
  std::vector<std::pair<std::string, located>> entries(const located& map, key_list known) const;
  std::vector<located> items(const located& seq) const;  // fails unless a sequence

  std::string string(const located& v) const;  // a non-empty scalar without control characters
  std::chrono::milliseconds duration(const located& v) const;
  std::uint64_t unsigned_integer(const located& v) const;  // decimal digits only
  std::uint64_t byte_size(const located& v) const;         // 268435456, "256MiB", "1GB"
  bool boolean(const located& v) const;                    // true or false
  std::vector<std::string> string_list(const located& v) const;

 private:
  const std::string& scalar(const located& v, std::string_view expected) const;

  std::string source_;
};

// The first document of a YAML stream, and where a second one (or unparsed text after the
// first) starts, if any. Throws YAML::Exception on a syntax error.
// Not YAML::LoadAll: in yaml-cpp 0.7 it loops forever on some malformed input (fixed upstream
// by jbeder/yaml-cpp#1319); this parses at most two documents.
struct yaml_stream {
  YAML::Node first;
  std::optional<YAML::Mark> more;
};
yaml_stream load_first_document(const std::string& text);

// "a mapping", "a sequence", "nothing", "a string": for "expected X, got Y" messages.
std::string_view kind_of(const YAML::Node& node);

// The text in double quotes, control characters escaped and cut to a readable length,
// so that a message stays on one line.
std::string in_quotes(std::string_view text);

// The candidate closest to `key` if close enough to be a likely typo, else "".
std::string_view closest_key(std::string_view key, key_list candidates);

}  // namespace voxo::config::detail
