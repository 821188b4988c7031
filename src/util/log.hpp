#pragma once
// Structured logging to stderr, logfmt (default) or JSON, as --log.level / --log.format set.
// Usage: log::info("poll failed", {{"tenant", "37"}, {"err", e.describe()}});
// Never pass a token or a password as a field.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace voxo::log {

enum class level { debug, info, warn, error };
enum class format { logfmt, json };

using field = std::pair<std::string_view, std::string_view>;

void configure(level min_level, format fmt);
// nullopt for an unknown name (the caller says which flag was wrong).
std::optional<level> parse_level(std::string_view text);
std::optional<format> parse_format(std::string_view text);
bool enabled(level l);

void write(level l, std::string_view msg, std::initializer_list<field> fields = {});
inline void debug(std::string_view m, std::initializer_list<field> f = {}) { write(level::debug, m, f); }
inline void info(std::string_view m, std::initializer_list<field> f = {}) { write(level::info, m, f); }
inline void warn(std::string_view m, std::initializer_list<field> f = {}) { write(level::warn, m, f); }
inline void error(std::string_view m, std::initializer_list<field> f = {}) { write(level::error, m, f); }

}  // namespace voxo::log
