#include "support/exposition_parser.hpp"

#include <sstream>
#include <stdexcept>

namespace voxo::test {
namespace {

// Parses `{a="x",b="y"}` starting at text[pos] == '{'; returns the labels, pos past '}'.
std::map<std::string, std::string> parse_labels(const std::string& line, std::size_t& pos) {
  std::map<std::string, std::string> labels;
  ++pos;  // '{'
  while (pos < line.size() && line[pos] != '}') {
    auto eq = line.find('=', pos);
    std::string name = line.substr(pos, eq - pos);
    pos = eq + 2;  // skip ="
    std::string value;
    while (pos < line.size() && line[pos] != '"') {
      if (line[pos] == '\\' && pos + 1 < line.size()) {
        char n = line[++pos];
        value += n == 'n' ? '\n' : n;
      } else {
        value += line[pos];
      }
      ++pos;
    }
    ++pos;  // closing quote
    if (pos < line.size() && line[pos] == ',') ++pos;
    labels[name] = value;
  }
  ++pos;  // '}'
  return labels;
}

std::string escape_label_value(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

bool labels_match(const std::string& key, const std::map<std::string, std::string>& match) {
  for (auto& [k, v] : match) {
    std::string needle = k + "=\"" + escape_label_value(v) + "\"";
    if (key.find("{" + needle) == std::string::npos && key.find("," + needle) == std::string::npos) return false;
  }
  return true;
}

}  // namespace

std::string series_key(const std::string& name, const std::map<std::string, std::string>& labels) {
  std::string key = name;
  if (labels.empty()) return key;
  key += '{';
  bool first = true;
  for (auto& [k, v] : labels) {
    if (!first) key += ',';
    first = false;
    key += k + "=\"" + escape_label_value(v) + '"';
  }
  key += '}';
  return key;
}

series_map parse_exposition(const std::string& text) {
  series_map out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::size_t pos = line.find_first_of("{ ");
    std::string name = line.substr(0, pos);
    std::map<std::string, std::string> labels;
    if (pos != std::string::npos && line[pos] == '{') labels = parse_labels(line, pos);
    std::string value = line.substr(line.find_first_not_of(' ', pos));
    value = value.substr(0, value.find(' '));  // drop a timestamp if any
    out[series_key(name, labels)] = std::stod(value);
  }
  return out;
}

double sum_series(const series_map& m, const std::string& name, const std::map<std::string, std::string>& match) {
  double sum = 0;
  for (auto& [key, value] : m) {
    auto brace = key.find('{');
    if (key.substr(0, brace) != name) continue;
    if (labels_match(key, match)) sum += value;
  }
  return sum;
}

}  // namespace voxo::test
