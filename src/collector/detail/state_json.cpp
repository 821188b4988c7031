#include "collector/detail/state_json.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace voxo::collector::detail {

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
    if (e.is_uint64()) out[i] = e.as_uint64();
    else if (e.is_int64() && e.as_int64() >= 0) out[i] = static_cast<std::uint64_t>(e.as_int64());
    else return false;
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
      const auto which = metrics::parse_extra_label(kv.key());
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

}  // namespace

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
        if (!key[l].empty()) labels[metrics::name(static_cast<metrics::extra_label>(l))] = key[l];
      json::array rows;
      for (const auto& row : counts) rows.push_back(u64_array(row));
      extra.push_back(json::object{{"labels", std::move(labels)}, {"calls", std::move(rows)}});
    }
    o["extra_calls"] = std::move(extra);
  }
  return o;
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
  json::object o{{"records", c.records}, {"duplicates", c.duplicates}, {"invalid", c.invalid}, {"revised", c.revised}};
  // Optional, only when non-zero: a file without it reads as 0 (and stays the version 3 file).
  if (c.outside_window > 0) o["outside_window"] = c.outside_window;
  o["requests"] = std::move(requests);
  o["polls"] = json::object{{"success", c.polls_success}, {"failure", c.polls_failure}};
  o["request_duration"] = histogram_to_json(c.request_duration);
  return o;
}

bool counts_from_json(const json::object& o, metrics::collector_counts& c) {
  if (!read_u64(o.if_contains("records"), c.records) || !read_u64(o.if_contains("duplicates"), c.duplicates) ||
      !read_u64(o.if_contains("invalid"), c.invalid))
    return false;
  // Since version 3; absent in a version 2 file: revisions then start from 0.
  if (const auto* revised = o.if_contains("revised"); revised && !read_u64(revised, c.revised)) return false;
  // Optional (added without a version bump): absent, the counter starts from 0.
  if (const auto* outside = o.if_contains("outside_window"); outside && !read_u64(outside, c.outside_window))
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

json::array holds_to_json(const std::vector<metrics::held_series_state>& held) {
  json::array a;
  for (const auto& h : held) {
    json::array entry{json::string(h.key)};
    if (h.born_histogram) entry.push_back(histogram_to_json(*h.born_histogram));
    else entry.push_back(h.born);
    a.push_back(std::move(entry));
  }
  return a;
}

bool holds_from_json(const json::value& v, std::vector<metrics::held_series_state>& held) {
  if (!v.is_array()) return false;
  for (const auto& e : v.as_array()) {
    if (!e.is_array() || e.as_array().size() != 2 || !e.as_array()[0].is_string()) return false;
    metrics::held_series_state h;
    h.key = std::string(e.as_array()[0].as_string());
    const auto& born = e.as_array()[1];
    if (born.is_object()) {
      metrics::histogram_delta d;
      if (!histogram_from_json(born, d)) return false;
      h.born_histogram = d;
    } else if (born.is_uint64() || (born.is_int64() && born.as_int64() >= 0)) {
      h.born = born.is_uint64() ? born.as_uint64() : static_cast<std::uint64_t>(born.as_int64());
    } else {
      return false;
    }
    held.push_back(std::move(h));
  }
  return true;
}

}  // namespace voxo::collector::detail
