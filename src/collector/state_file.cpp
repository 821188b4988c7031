#include "collector/state_file.hpp"

#include <boost/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

namespace voxo::collector {

namespace json = boost::json;

namespace {

json::array u64_array(const auto& values) {
  json::array a;
  for (auto v : values) a.push_back(v);
  return a;
}

template <std::size_t N>
bool read_u64_array(const json::value* v, std::array<std::uint64_t, N>& out) {
  if (!v || !v->is_array() || v->as_array().size() != N) return false;
  for (std::size_t i = 0; i < N; ++i) {
    const auto& e = v->as_array()[i];
    if (e.is_uint64())
      out[i] = e.as_uint64();
    else if (e.is_int64() && e.as_int64() >= 0)
      out[i] = static_cast<std::uint64_t>(e.as_int64());
    else
      return false;
  }
  return true;
}

// The shortest text that reads back as the same double (JSON numbers may lose the last bit).
json::string exact_double(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return json::string(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

bool read_double(const json::value* v, double& out) {
  if (!v) return false;
  if (v->is_string()) {  // version 2
    const auto& s = v->as_string();
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc{} && r.ptr == s.data() + s.size() && std::isfinite(out);
  }
  if (!v->is_number()) return false;  // version 1
  out = v->to_number<double>();
  return std::isfinite(out);
}

bool read_u64(const json::value* v, std::uint64_t& out) {
  if (!v) return false;
  if (v->is_uint64()) {
    out = v->as_uint64();
    return true;
  }
  if (v->is_int64() && v->as_int64() >= 0) {
    out = static_cast<std::uint64_t>(v->as_int64());
    return true;
  }
  return false;
}

json::object histogram_to_json(const metrics::histogram_delta& h) {
  return json::object{{"buckets", u64_array(h.buckets)}, {"sum", exact_double(h.sum)}, {"count", h.count}};
}

// Also checks that the buckets add up to the count: a file edited by hand or damaged in a
// way JSON can't see is refused rather than restored into counters that disagree.
bool histogram_from_json(const json::value& v, metrics::histogram_delta& out) {
  const auto* e = v.if_object();
  if (!e || !read_u64_array(e->if_contains("buckets"), out.buckets) || !read_double(e->if_contains("sum"), out.sum) ||
      !read_u64(e->if_contains("count"), out.count))
    return false;
  std::uint64_t n = 0;
  for (auto b : out.buckets) n += b;
  return n == out.count;
}

json::object totals_to_json(const metrics::call_deltas& d) {
  json::object o;
  json::array calls;
  for (const auto& row : d.calls) calls.push_back(u64_array(row));
  o["calls"] = std::move(calls);
  o["recorded"] = u64_array(d.recorded);
  o["queued"] = u64_array(d.queued);
  json::array hs;
  for (const auto& per_dir : d.histograms) {
    json::array dirs;
    for (const auto& h : per_dir) dirs.push_back(histogram_to_json(h));
    hs.push_back(std::move(dirs));
  }
  o["histograms"] = std::move(hs);
  if (!d.extra_calls.empty()) {
    json::array extra;
    for (const auto& [key, counts] : d.extra_calls) {
      json::object labels;
      for (std::size_t l = 0; l < key.size(); ++l)
        if (!key[l].empty()) labels[api::name(static_cast<api::extra_label>(l))] = key[l];
      json::array rows;
      for (const auto& row : counts) rows.push_back(u64_array(row));
      extra.push_back(json::object{{"labels", std::move(labels)}, {"calls", std::move(rows)}});
    }
    o["extra_calls"] = std::move(extra);
  }
  return o;
}

// Optional: absent in files written without extra labels (and by older versions).
bool extra_calls_from_json(const json::value* v, metrics::extra_call_counts& out) {
  if (!v) return true;
  if (!v->is_array()) return false;
  for (const auto& e : v->as_array()) {
    const auto* o = e.if_object();
    const auto* labels = o ? o->if_contains("labels") : nullptr;
    const auto* calls = o ? o->if_contains("calls") : nullptr;
    if (!labels || !labels->is_object() || labels->as_object().empty() || !calls || !calls->is_array()) return false;
    metrics::extra_key key;
    for (const auto& kv : labels->as_object()) {
      const auto which = api::parse_extra_label(kv.key());
      if (!which || !kv.value().is_string() || kv.value().as_string().empty()) return false;
      key[static_cast<std::size_t>(*which)] = std::string(kv.value().as_string());
    }
    metrics::call_counts counts{};
    if (calls->as_array().size() != counts.size()) return false;
    for (std::size_t i = 0; i < counts.size(); ++i)
      if (!read_u64_array(&calls->as_array()[i], counts[i])) return false;
    if (!out.emplace(std::move(key), counts).second) return false;  // the same series twice
  }
  return true;
}

bool totals_from_json(const json::object& o, metrics::call_deltas& d) {
  const auto* calls = o.if_contains("calls");
  if (!calls || !calls->is_array() || calls->as_array().size() != d.calls.size()) return false;
  for (std::size_t i = 0; i < d.calls.size(); ++i)
    if (!read_u64_array(&calls->as_array()[i], d.calls[i])) return false;
  if (!read_u64_array(o.if_contains("recorded"), d.recorded) || !read_u64_array(o.if_contains("queued"), d.queued))
    return false;
  const auto* hs = o.if_contains("histograms");
  if (!hs || !hs->is_array() || hs->as_array().size() != d.histograms.size()) return false;
  for (std::size_t h = 0; h < d.histograms.size(); ++h) {
    const auto& dirs = hs->as_array()[h];
    if (!dirs.is_array() || dirs.as_array().size() != d.histograms[h].size()) return false;
    for (std::size_t k = 0; k < d.histograms[h].size(); ++k)
      if (!histogram_from_json(dirs.as_array()[k], d.histograms[h][k])) return false;
  }
  return extra_calls_from_json(o.if_contains("extra_calls"), d.extra_calls);
}

json::object counts_to_json(const metrics::collector_counts& c) {
  json::object requests;
  for (const auto& [code, n] : c.requests) requests[code] = n;
  return json::object{{"records", c.records},
                      {"duplicates", c.duplicates},
                      {"invalid", c.invalid},
                      {"requests", std::move(requests)},
                      {"polls", json::object{{"success", c.polls_success}, {"failure", c.polls_failure}}},
                      {"request_duration", histogram_to_json(c.request_duration)}};
}

bool counts_from_json(const json::object& o, metrics::collector_counts& c) {
  if (!read_u64(o.if_contains("records"), c.records) || !read_u64(o.if_contains("duplicates"), c.duplicates) ||
      !read_u64(o.if_contains("invalid"), c.invalid))
    return false;
  const auto* requests = o.if_contains("requests");
  const auto* polls = o.if_contains("polls");
  const auto* duration = o.if_contains("request_duration");
  if (!requests || !requests->is_object() || !polls || !polls->is_object() || !duration) return false;
  for (const auto& kv : requests->as_object()) {
    std::uint64_t n = 0;
    if (kv.key().empty() || !read_u64(&kv.value(), n)) return false;
    c.requests[std::string(kv.key())] = n;
  }
  return read_u64(polls->as_object().if_contains("success"), c.polls_success) &&
         read_u64(polls->as_object().if_contains("failure"), c.polls_failure) &&
         histogram_from_json(*duration, c.request_duration);
}

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

std::optional<std::vector<tenant_snapshot>> refuse(std::string* why, const char* text) {
  if (why) *why = text;
  return std::nullopt;
}

}  // namespace

std::string serialize_state(const std::vector<tenant_snapshot>& tenants, std::chrono::sys_seconds saved_at) {
  json::array ts;
  for (const auto& t : tenants) {
    json::object o;
    o["label"] = t.label;
    if (t.watermark) o["watermark"] = t.watermark->time_since_epoch().count();
    json::array ids;
    ids.reserve(t.ids.size());
    for (const auto& [id, time] : t.ids) ids.push_back(json::array{json::string(id), time.time_since_epoch().count()});
    o["ids"] = std::move(ids);
    o["totals"] = totals_to_json(t.totals);
    o["collector"] = counts_to_json(t.counts);
    ts.push_back(std::move(o));
  }
  return json::serialize(json::object{{"format", state_format},
                                      {"version", state_version},
                                      {"saved_at", saved_at.time_since_epoch().count()},
                                      {"tenants", std::move(ts)}}) +
         "\n";
}

std::optional<std::vector<tenant_snapshot>> parse_state(std::string_view text, std::string* why) {
  boost::system::error_code ec;
  const auto root = json::parse(text, ec);
  if (ec) return refuse(why, "not JSON (truncated or damaged)");
  if (!root.is_object()) return refuse(why, "not a voxo_exporter state file");
  const auto& r = root.as_object();
  const auto* version = r.if_contains("version");
  const auto* format = r.if_contains("format");
  const auto* tenants = r.if_contains("tenants");
  if (!version || !version->is_int64() || !tenants || !tenants->is_array())
    return refuse(why, "not a voxo_exporter state file");
  const auto v = version->as_int64();
  if (v != 1 && v != state_version) return refuse(why, "unknown state file version");
  if (v >= 2 && (!format || !format->is_string() || format->as_string() != state_format))
    return refuse(why, "not a voxo_exporter state file");
  std::vector<tenant_snapshot> out;
  std::set<std::string, std::less<>> labels;
  for (const auto& tv : tenants->as_array()) {
    const auto* o = tv.if_object();
    if (!o) return refuse(why, "a tenant entry is not an object");
    tenant_snapshot t;
    const auto* label = o->if_contains("label");
    const auto* ids = o->if_contains("ids");
    const auto* totals = o->if_contains("totals");
    if (!label || !label->is_string() || label->as_string().empty() || !ids || !ids->is_array() || !totals ||
        !totals->is_object())
      return refuse(why, "a tenant entry lacks its label, ids or totals");
    t.label = std::string(label->as_string());
    if (!labels.insert(t.label).second) return refuse(why, "a tenant appears twice");
    if (const auto* wm = o->if_contains("watermark")) {
      if (!wm->is_int64()) return refuse(why, "a watermark is not a unix time");
      t.watermark = std::chrono::sys_seconds(std::chrono::seconds(wm->as_int64()));
    }
    t.ids.reserve(ids->as_array().size());
    for (const auto& e : ids->as_array()) {
      const auto* pair = e.if_array();
      if (!pair || pair->size() != 2 || !(*pair)[0].is_string() || (*pair)[0].as_string().empty() ||
          !(*pair)[1].is_int64())
        return refuse(why, "an id entry is not [id, unix time]");
      t.ids.emplace_back(std::string((*pair)[0].as_string()),
                         std::chrono::sys_seconds(std::chrono::seconds((*pair)[1].as_int64())));
    }
    if (!totals_from_json(totals->as_object(), t.totals)) return refuse(why, "call totals are damaged");
    if (v >= 2) {
      const auto* counts = o->if_contains("collector");
      if (!counts || !counts->is_object() || !counts_from_json(counts->as_object(), t.counts))
        return refuse(why, "collector counters are damaged");
    }
    out.push_back(std::move(t));
  }
  return out;
}

bool write_state_file(const std::string& path, const std::string& content, std::string& error) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = errno_text("open " + tmp);
    return false;
  }
  std::size_t done = 0;
  while (done < content.size()) {
    const auto n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno_text("write " + tmp);
      ::close(fd);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  // fsync before rename: after a crash the name points at complete content or the old file.
  if (::fsync(fd) != 0) {
    error = errno_text("fsync " + tmp);
    ::close(fd);
    return false;
  }
  if (::close(fd) != 0) {
    error = errno_text("close " + tmp);
    return false;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    error = errno_text("rename " + tmp);
    ::unlink(tmp.c_str());
    return false;
  }
  auto dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);  // makes the rename itself durable
    ::close(dfd);
  }
  return true;
}

state_load load_state_file(const std::string& path, std::vector<tenant_snapshot>& out, std::string& error) {
  std::error_code exists_ec;
  if (!std::filesystem::exists(path, exists_ec) && !exists_ec) return state_load::missing;
  std::string why;
  std::ifstream in(path, std::ios::binary);
  if (in) {
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) {
      why = "read error";
    } else if (auto parsed = parse_state(text, &why)) {
      out = std::move(*parsed);
      return state_load::loaded;
    }
  } else {
    why = errno_text("cannot open");
  }
  const auto aside = path + ".corrupt-" +
                     std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
  std::error_code ec;
  std::filesystem::rename(path, aside, ec);
  error = why + (ec ? "; cannot move it aside: " + ec.message() : "; moved aside to " + aside);
  return state_load::corrupt;
}

}  // namespace voxo::collector
