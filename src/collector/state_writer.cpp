// Writes the state file as a stream (see state_file.hpp for the format): ids go straight from
// each tenant's de-dup set into 64 KiB chunks, so a save costs no memory that grows with the ids.

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

#include "collector/detail/state_json.hpp"
#include "collector/state_file.hpp"

namespace voxo::collector {

namespace json = boost::json;
using detail::counts_to_json;
using detail::holds_to_json;
using detail::totals_to_json;

namespace {

constexpr std::size_t chunk_size = 64 * 1024;

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// A JSON string as json::serialize writes it; ids and labels rarely need escaping, so the
// common case is copied as is.
void append_string(std::string& out, std::string_view s) {
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7F && c != '"' && c != '\\';
  });
  if (!plain) {
    out += json::serialize(json::string_view(s.data(), s.size()));
    return;
  }
  out += '"';
  out += s;
  out += '"';
}

}  // namespace

state_writer::state_writer(sink out, std::chrono::sys_seconds saved_at) : out_(std::move(out)) {
  buf_.reserve(chunk_size + 4096);
  buf_ += "{\"format\":";
  append_string(buf_, state_format);
  buf_ += ",\"version\":";
  append_int(buf_, state_version);
  buf_ += ",\"saved_at\":";
  append_int(buf_, saved_at.time_since_epoch().count());
  buf_ += ",\"tenants\":[";
}

void state_writer::put(std::string_view s) {
  buf_ += s;
  if (buf_.size() >= chunk_size) flush();
}

void state_writer::flush() {
  if (ok_ && !buf_.empty()) ok_ = out_(buf_);
  buf_.clear();
}

void state_writer::tenant(std::string_view label, std::optional<std::chrono::sys_seconds> watermark,
                          const dedupe_set& ids, const metrics::call_deltas& totals,
                          const metrics::collector_counts& counts,
                          const std::vector<metrics::held_series_state>& held) {
  if (!ok_) return;
  buf_ += first_ ? "{\"label\":" : ",{\"label\":";
  first_ = false;
  append_string(buf_, label);
  if (watermark) {
    buf_ += ",\"watermark\":";
    append_int(buf_, watermark->time_since_epoch().count());
  }
  buf_ += ",\"ids\":[";
  bool first_id = true;
  ids.for_each_view([&](std::string_view id, std::chrono::sys_seconds time, dedupe_set::fingerprint print) {
    buf_ += first_id ? "[" : ",[";
    first_id = false;
    append_string(buf_, id);
    buf_ += ',';
    append_int(buf_, time.time_since_epoch().count());
    buf_ += ',';
    append_int(buf_, print);
    buf_ += ']';
    if (buf_.size() >= chunk_size) flush();
  });
  buf_ += "],\"totals\":";
  put(json::serialize(totals_to_json(totals)));  // small: a few hundred numbers
  buf_ += ",\"collector\":";
  put(json::serialize(counts_to_json(counts)));
  if (!held.empty()) {
    buf_ += ",\"held\":";
    put(json::serialize(holds_to_json(held)));
  }
  put("}");
}

bool state_writer::finish() {
  buf_ += "]}\n";
  flush();
  return ok_;
}

std::string serialize_state(const std::vector<tenant_snapshot>& tenants, std::chrono::sys_seconds saved_at) {
  std::string out;
  state_writer w(
      [&out](std::string_view s) {
        out += s;
        return true;
      },
      saved_at);
  for (const auto& t : tenants) w.tenant(t);
  w.finish();
  return out;
}

}  // namespace voxo::collector
