#include "util/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

#include <date/date.h>

namespace voxo::log {
namespace {

std::atomic<level> g_level{level::info};
std::atomic<format> g_format{format::logfmt};
std::mutex g_mutex;  // the simulator may log from its own thread in tests

const char* name(level l) {
  switch (l) {
    case level::debug: return "debug";
    case level::info: return "info";
    case level::warn: return "warn";
    case level::error: return "error";
  }
  return "info";
}

void append_quoted_logfmt(std::string& out, std::string_view v) {
  bool plain = !v.empty();
  for (char c : v)
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) plain = false;
  if (plain) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\', out += c;
    else if (c == '\n') out += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20) out += ' ';
    else out += c;
  }
  out += '"';
}

void append_json_string(std::string& out, std::string_view v) {
  out += '"';
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\', out += c;
    else if (c == '\n') out += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else out += c;
  }
  out += '"';
}

}  // namespace

void configure(level min_level, format fmt) {
  g_level = min_level;
  g_format = fmt;
}

std::optional<level> parse_level(std::string_view t) {
  if (t == "debug") return level::debug;
  if (t == "info") return level::info;
  if (t == "warn") return level::warn;
  if (t == "error") return level::error;
  return std::nullopt;
}

std::optional<format> parse_format(std::string_view t) {
  if (t == "logfmt") return format::logfmt;
  if (t == "json") return format::json;
  return std::nullopt;
}

bool enabled(level l) { return l >= g_level.load(); }

void write(level l, std::string_view msg, std::initializer_list<field> fields) {
  if (!enabled(l)) return;
  auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  std::string ts = date::format("%FT%TZ", now);
  std::string line;
  if (g_format == format::json) {
    line = "{\"ts\":\"" + ts + "\",\"level\":\"" + name(l) + "\",\"msg\":";
    append_json_string(line, msg);
    for (auto& [k, v] : fields) {
      line += ',';
      append_json_string(line, k);
      line += ':';
      append_json_string(line, v);
    }
    line += "}\n";
  } else {
    line = "ts=" + ts + " level=" + name(l) + " msg=";
    append_quoted_logfmt(line, msg);
    for (auto& [k, v] : fields) {
      line += ' ';
      line += k;
      line += '=';
      append_quoted_logfmt(line, v);
    }
    line += '\n';
  }
  std::lock_guard lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace voxo::log
