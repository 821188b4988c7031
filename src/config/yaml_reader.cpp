#include "config/yaml_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <sstream>

#include <yaml-cpp/eventhandler.h>

#include "config/byte_size.hpp"
#include "config/config_loader.hpp"
#include "util/duration.hpp"

namespace voxo::config::detail {
namespace {

constexpr std::size_t max_quoted = 80;

bool has_control_char(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

void append_escaped(std::string& out, char c) {
  const auto u = static_cast<unsigned char>(c);
  if (c == '"' || c == '\\') {
    out += '\\';
    out += c;
  } else if (c == '\n') {
    out += "\\n";
  } else if (c == '\t') {
    out += "\\t";
  } else if (u < 0x20 || u == 0x7f) {
    static constexpr char hex[] = "0123456789abcdef";
    out += "\\x";
    out += hex[u >> 4];
    out += hex[u & 0xf];
  } else {
    out += c;
  }
}

// Remembers where the last document started; builds nothing.
class document_marks final : public YAML::EventHandler {
 public:
  YAML::Mark last_start = YAML::Mark::null_mark();
  void OnDocumentStart(const YAML::Mark& mark) override { last_start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

yaml_stream load_first_document(const std::string& text) {
  yaml_stream out;
  out.first = YAML::Load(text);
  std::istringstream in(text);
  YAML::Parser parser(in);
  document_marks marks;
  if (parser.HandleNextDocument(marks) && parser.HandleNextDocument(marks)) out.more = marks.last_start;
  return out;
}

std::string_view kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a sequence";
    case YAML::NodeType::Scalar: return "a string";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return "nothing";
  }
  return "nothing";
}

std::string in_quotes(std::string_view text) {
  std::string out = "\"";
  std::size_t shown = 0;
  for (char c : text) {
    const bool continuation = (static_cast<unsigned char>(c) & 0xc0) == 0x80;  // never cut inside a UTF-8 character
    if (shown >= max_quoted && !continuation) {
      out += "...";
      break;
    }
    append_escaped(out, c);
    ++shown;
  }
  out += '"';
  return out;
}

std::string_view closest_key(std::string_view key, key_list candidates) {
  const std::string wanted = lower(key);
  std::string_view best;
  std::size_t best_distance = std::max<std::size_t>(2, key.size() / 3) + 1;  // a likely typo only
  for (auto candidate : candidates) {
    const std::size_t d = edit_distance(wanted, candidate);
    if (d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

void yaml_reader::fail_at_mark(const YAML::Mark& mark, std::string_view path, std::string_view message) const {
  std::string text = source_;
  if (!mark.is_null() && mark.line >= 0) text += ':' + std::to_string(mark.line + 1);
  text += ": ";
  if (!path.empty()) {
    text += path;
    text += ": ";
  }
  text += message;
  // yaml-cpp's own messages may quote raw input: keep the message on one line, whatever it holds.
  std::string one_line;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) append_escaped(one_line, c);
    else one_line += c;
  }
  throw config_error(one_line);
}

void yaml_reader::fail(const YAML::Node& at, std::string_view path, std::string_view message) const {
  fail_at_mark(at.IsDefined() ? at.Mark() : YAML::Mark::null_mark(), path, message);
}

void yaml_reader::fail(const located& at, std::string_view message) const {
  const bool has_own_mark = at.node.IsDefined() && !at.node.IsNull() && !at.node.Mark().is_null();
  fail_at_mark(has_own_mark ? at.node.Mark() : at.key_mark, at.path, message);
}

void yaml_reader::fail(std::string_view path, std::string_view message) const {
  fail_at_mark(YAML::Mark::null_mark(), path, message);
}

std::vector<std::pair<std::string, located>> yaml_reader::entries(const located& map, key_list known) const {
  if (!map.node.IsMap()) fail(map, "expected a mapping, got " + std::string(kind_of(map.node)));

  std::vector<std::pair<std::string, located>> out;
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : map.node) {
    const YAML::Node& key_node = entry.first;
    if (!key_node.IsScalar())
      fail(key_node, map.path, "keys must be plain names, got " + std::string(kind_of(key_node)));
    const std::string& key = key_node.Scalar();
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string message = "unknown key " + in_quotes(key);
      if (auto suggestion = closest_key(key, known); !suggestion.empty())
        message += " (did you mean " + in_quotes(suggestion) + "?)";
      fail(key_node, map.path, message);
    }
    if (!seen.insert(key).second) fail(key_node, map.path, "duplicate key " + in_quotes(key));
    std::string path = map.path.empty() ? key : map.path + '.' + key;
    out.emplace_back(key, located{entry.second, std::move(path), key_node.Mark()});
  }
  return out;
}

std::vector<located> yaml_reader::items(const located& seq) const {
  if (!seq.node.IsSequence()) fail(seq, "expected a sequence, got " + std::string(kind_of(seq.node)));
  std::vector<located> out;
  std::size_t index = 0;
  for (const auto& item : seq.node) out.push_back({item, seq.path + '[' + std::to_string(index++) + ']', item.Mark()});
  return out;
}

const std::string& yaml_reader::scalar(const located& v, std::string_view expected) const {
  if (v.node.IsNull()) fail(v, "no value (expected " + std::string(expected) + ")");
  if (!v.node.IsScalar()) fail(v, "expected " + std::string(expected) + ", got " + std::string(kind_of(v.node)));
  return v.node.Scalar();
}

std::string yaml_reader::string(const located& v) const {
  const std::string& s = scalar(v, "a string");
  if (s.empty()) fail(v, "empty string");
  if (has_control_char(s)) fail(v, "control characters in " + in_quotes(s));
  return s;
}

std::chrono::milliseconds yaml_reader::duration(const located& v) const {
  const std::string& s = scalar(v, "a duration such as 30s");
  const auto parsed = parse_duration(s);
  if (!parsed) fail(v, "invalid duration " + in_quotes(s) + " (use e.g. 30s, 5m, 1h)");
  return *parsed;
}

std::uint64_t yaml_reader::unsigned_integer(const located& v) const {
  const std::string& s = scalar(v, "a whole number");
  std::uint64_t value = 0;
  const bool digits_only = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (!digits_only || ec != std::errc{} || end != s.data() + s.size())
    fail(v, "invalid number " + in_quotes(s) + " (expected a whole number such as 4)");
  return value;
}

std::uint64_t yaml_reader::byte_size(const located& v) const {
  const std::string& s = scalar(v, "a size such as 256MiB");
  const auto parsed = parse_byte_size(s);
  if (!parsed) fail(v, "invalid size " + in_quotes(s) + " (use e.g. 268435456, 256MiB, 1GiB)");
  return *parsed;
}

bool yaml_reader::boolean(const located& v) const {
  const std::string& s = scalar(v, "true or false");
  if (s == "true") return true;
  if (s == "false") return false;
  fail(v, "invalid value " + in_quotes(s) + " (expected true or false)");
}

std::vector<std::string> yaml_reader::string_list(const located& v) const {
  std::vector<std::string> out;
  for (const auto& item : items(v)) out.push_back(string(item));
  return out;
}

}  // namespace voxo::config::detail
