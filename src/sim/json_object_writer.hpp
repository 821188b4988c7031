#pragma once
// Writes the simulator's records as the API sends them: one flat JSON object, key by key, with
// nulls where a field is absent. Values are plain ASCII the generator made; quotes and
// backslashes are escaped anyway, for safety. Appends to the caller's string
// (call_generator.cpp writes the records of a minute one after the other into it).

#include <charconv>
#include <string>
#include <string_view>

namespace voxo::sim::detail {

class object_writer {
 public:
  explicit object_writer(std::string& out) : out_(out) { out_ += '{'; }
  void finish() { out_ += '}'; }

  void str(std::string_view key, std::string_view v) {
    name(key);
    out_ += '"';
    for (char c : v) {
      if (c == '"' || c == '\\') out_ += '\\';
      out_ += c;
    }
    out_ += '"';
  }
  void opt_str(std::string_view key, bool present, std::string_view v) { present ? str(key, v) : null(key); }
  void integer(std::string_view key, long long v) {
    name(key);
    append_int(v);
  }
  void opt_integer(std::string_view key, bool present, long long v) { present ? integer(key, v) : null(key); }
  // hundredths as the shortest decimal: 423 -> 4.23, 420 -> 4.2, 400 -> 4
  void opt_hundredths(std::string_view key, bool present, long long v) {
    if (!present) return null(key);
    name(key);
    append_int(v / 100);
    long long frac = v % 100;
    if (frac == 0) return;
    out_ += '.';
    out_ += static_cast<char>('0' + frac / 10);
    if (frac % 10) out_ += static_cast<char>('0' + frac % 10);
  }
  void null(std::string_view key) {
    name(key);
    out_ += "null";
  }

 private:
  void name(std::string_view key) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += key;
    out_ += "\":";
  }
  void append_int(long long v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
  }
  std::string& out_;
  bool first_ = true;
};

}  // namespace voxo::sim::detail
