#pragma once
// collector.state_file: what a restart needs to go on without losing or double-counting
// calls — per tenant the watermark, the ids still inside the dedupe horizon, and the
// cumulative value of every call series (restored with Increment/ObserveMultiple).
// Versioned JSON, written atomically (temp file, fsync, rename, fsync of the folder).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/call_deltas.hpp"

namespace voxo::collector {

inline constexpr int state_version = 1;

struct tenant_snapshot {
  std::string label;
  std::optional<std::chrono::sys_seconds> watermark;
  std::vector<std::pair<std::string, std::chrono::sys_seconds>> ids;
  metrics::call_deltas totals;
};

std::string serialize_state(const std::vector<tenant_snapshot>& tenants);
// nullopt when the text is not a state of a version we read.
std::optional<std::vector<tenant_snapshot>> parse_state(std::string_view text);

// false (and `error` set, no secret involved) when the file could not be written.
bool write_state_file(const std::string& path, const std::string& content, std::string& error);

enum class state_load { missing, loaded, corrupt };
// A corrupt file is moved aside to <path>.corrupt-<unix time> so the next save can't lose it.
state_load load_state_file(const std::string& path, std::vector<tenant_snapshot>& out, std::string& error);

}  // namespace voxo::collector
