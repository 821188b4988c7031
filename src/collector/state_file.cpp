#include "collector/state_file.hpp"

#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
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

// ---- writing

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
                          const metrics::collector_counts& counts) {
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
  ids.for_each_view([&](std::string_view id, std::chrono::sys_seconds time) {
    buf_ += first_id ? "[" : ",[";
    first_id = false;
    append_string(buf_, id);
    buf_ += ',';
    append_int(buf_, time.time_since_epoch().count());
    buf_ += ']';
    if (buf_.size() >= chunk_size) flush();
  });
  buf_ += "],\"totals\":";
  put(json::serialize(totals_to_json(totals)));  // small: a few hundred numbers
  buf_ += ",\"collector\":";
  put(json::serialize(counts_to_json(counts)));
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

// ---- reading

namespace {

// One entry of the root's "tenants" array, read as soon as it ended.
struct tenant_entry {
  tenant_snapshot snap;
  const char* error = nullptr;  // why the entry is refused
  bool counts_ok = false;       // "collector" present and valid (required from version 2)
};

// The checks of one tenant object (its ids are already in e.snap.ids).
void read_tenant(const json::object& o, tenant_entry& e) {
  auto& t = e.snap;
  const auto* label = o.if_contains("label");
  const auto* ids = o.if_contains("ids");
  const auto* totals = o.if_contains("totals");
  if (!label || !label->is_string() || label->as_string().empty() || !ids || !ids->is_array() || !totals ||
      !totals->is_object()) {
    e.error = "a tenant entry lacks its label, ids or totals";
    return;
  }
  t.label = std::string(label->as_string());
  if (const auto* wm = o.if_contains("watermark")) {
    if (!wm->is_int64()) {
      e.error = "a watermark is not a unix time";
      return;
    }
    t.watermark = std::chrono::sys_seconds(std::chrono::seconds(wm->as_int64()));
  }
  if (!totals_from_json(totals->as_object(), t.totals)) {
    e.error = "call totals are damaged";
    return;
  }
  const auto* counts = o.if_contains("collector");
  e.counts_ok = counts && counts->is_object() && counts_from_json(counts->as_object(), t.counts);
}

// A boost::json::basic_parser handler. Each tenant object becomes a small JSON tree of its own
// that is checked and dropped as soon as it ended (the root's tree gets {} in its place), and its
// ids go straight into its dedupe_set (its tree gets an empty array there). So a load holds one
// tenant's tree at a time, never a tree of the whole file.
struct state_handler {
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack st;         // the root
  json::value_stack tenant_st;  // the tenant object being read
  std::vector<tenant_entry> tenants;  // the objects of the root's "tenants" array, in order
  std::string why;              // set when the handler refused the text

  std::size_t depth = 0;        // containers open
  std::string key;              // the key being read
  std::string root_key;         // the last key of the root object
  std::string tenant_key;       // the last key of the current tenant object
  bool tenants_seen = false;
  bool in_tenants = false;      // inside the root's "tenants" array (depth 2)
  bool in_tenant = false;       // inside one of its objects (depth 3)
  bool tenant_has_ids = false;
  int ids_level = 0;            // 1: in a tenant's ids array; 2: in one [id, time] entry
  int field = 0;                // fields of the entry read so far
  std::string id;
  std::int64_t time = 0;

  state_handler() { st.reset(); }

  json::value_stack& stack() { return in_tenant ? tenant_st : st; }
  bool refuse(boost::system::error_code& ec, const char* text) {
    why = text;
    ec = json::error::syntax;
    return false;
  }
  bool bad_entry(boost::system::error_code& ec) { return refuse(ec, "an id entry is not [id, unix time]"); }

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_object_begin(boost::system::error_code& ec) {
    if (ids_level) return bad_entry(ec);
    if (in_tenants && depth == 2) {
      tenants.emplace_back();
      in_tenant = true;
      tenant_has_ids = false;
      tenant_key.clear();
      tenant_st.reset();
    }
    ++depth;
    return true;
  }
  bool on_object_end(std::size_t n, boost::system::error_code&) {
    --depth;
    if (in_tenant && depth == 2) {
      tenant_st.push_object(n);
      const json::value v = tenant_st.release();
      read_tenant(v.as_object(), tenants.back());
      in_tenant = false;
      st.push_object(0);
      return true;
    }
    stack().push_object(n);
    return true;
  }
  bool on_array_begin(boost::system::error_code& ec) {
    if (ids_level == 2) return bad_entry(ec);
    if (ids_level == 1) {
      ids_level = 2;
      field = 0;
      id.clear();
    } else if (depth == 1 && root_key == "tenants") {
      if (tenants_seen) return refuse(ec, "not a voxo_exporter state file");
      tenants_seen = in_tenants = true;
    } else if (in_tenant && depth == 3 && tenant_key == "ids") {
      if (tenant_has_ids) return refuse(ec, "a tenant entry lacks its label, ids or totals");
      tenant_has_ids = true;
      ids_level = 1;
    }
    ++depth;
    return true;
  }
  bool on_array_end(std::size_t n, boost::system::error_code& ec) {
    --depth;
    if (ids_level == 2) {
      if (field != 2) return bad_entry(ec);
      tenants.back().snap.ids.insert(id, std::chrono::sys_seconds(std::chrono::seconds(time)));
      ids_level = 1;
      return true;
    }
    if (ids_level == 1) {
      ids_level = 0;
      tenant_st.push_array(0);
      return true;
    }
    if (in_tenants && depth == 1) in_tenants = false;
    stack().push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, boost::system::error_code&) {
    key.append(s.data(), s.size());
    stack().push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, boost::system::error_code&) {
    key.append(s.data(), s.size());
    if (depth == 1)
      root_key = key;
    else if (in_tenant && depth == 3)
      tenant_key = key;
    key.clear();
    stack().push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, boost::system::error_code& ec) {
    if (!ids_level) {
      stack().push_chars(s);
      return true;
    }
    if (ids_level != 2 || field != 0) return bad_entry(ec);
    id.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, boost::system::error_code& ec) {
    if (!ids_level) {
      stack().push_string(s);
      return true;
    }
    if (ids_level != 2 || field != 0) return bad_entry(ec);
    id.append(s.data(), s.size());
    if (id.empty()) return bad_entry(ec);
    field = 1;
    return true;
  }
  bool on_number_part(json::string_view, boost::system::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, boost::system::error_code& ec) {
    if (!ids_level) {
      stack().push_int64(i);
      return true;
    }
    if (ids_level != 2 || field != 1) return bad_entry(ec);
    time = i;
    field = 2;
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, boost::system::error_code& ec) {
    if (ids_level) return bad_entry(ec);
    stack().push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view, boost::system::error_code& ec) {
    if (ids_level) return bad_entry(ec);
    stack().push_double(d);
    return true;
  }
  bool on_bool(bool b, boost::system::error_code& ec) {
    if (ids_level) return bad_entry(ec);
    stack().push_bool(b);
    return true;
  }
  bool on_null(boost::system::error_code& ec) {
    if (ids_level) return bad_entry(ec);
    stack().push_null();
    return true;
  }
  bool on_comment_part(json::string_view, boost::system::error_code&) { return true; }
  bool on_comment(json::string_view, boost::system::error_code&) { return true; }
};

// The checks of the root (its tenant objects were read into `entries` already, in order).
std::optional<std::vector<tenant_snapshot>> from_tree(const json::value& root, std::vector<tenant_entry>& entries,
                                                      std::string* why) {
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
  std::size_t k = 0;  // the objects seen so far: entries[k] is the next one
  for (const auto& e : tenants->as_array()) {
    if (!e.is_object() || k >= entries.size()) return refuse(why, "a tenant entry is not an object");
    auto& entry = entries[k++];
    if (entry.error) return refuse(why, entry.error);
    if (!labels.insert(entry.snap.label).second) return refuse(why, "a tenant appears twice");
    if (v >= 2 && !entry.counts_ok) return refuse(why, "collector counters are damaged");
    if (v == 1) entry.snap.counts = {};  // version 1 had none: they start from 0
    out.push_back(std::move(entry.snap));
  }
  return out;
}

}  // namespace

struct state_reader::impl {
  json::basic_parser<state_handler> parser{json::parse_options{}};
  bool failed = false;
};

state_reader::state_reader() : impl_(std::make_unique<impl>()) {}
state_reader::~state_reader() = default;

bool state_reader::write(std::string_view chunk) {
  if (impl_->failed) return false;
  boost::system::error_code ec;
  const auto n = impl_->parser.write_some(true, chunk.data(), chunk.size(), ec);
  if (ec || n < chunk.size()) impl_->failed = true;  // short: something after the document
  return !impl_->failed;
}

std::optional<std::vector<tenant_snapshot>> state_reader::finish(std::string* why) {
  auto& p = impl_->parser;
  if (!impl_->failed) {
    boost::system::error_code ec;
    p.write_some(false, "", 0, ec);
    impl_->failed = ec || !p.done();
  }
  if (impl_->failed) {
    const auto& text = p.handler().why;
    if (why) *why = text.empty() ? "not JSON (truncated or damaged)" : text;
    return std::nullopt;
  }
  const json::value root = p.handler().st.release();
  return from_tree(root, p.handler().tenants, why);
}

std::optional<std::vector<tenant_snapshot>> parse_state(std::string_view text, std::string* why) {
  state_reader r;
  r.write(text);
  return r.finish(why);
}

// ---- files

namespace {

bool write_all(int fd, std::string_view data, const std::string& tmp, std::string& error) {
  std::size_t done = 0;
  while (done < data.size()) {
    const auto n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno_text("write " + tmp);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Writes <path>.tmp through `fill` (false: it failed, `error` set), then makes it <path>.
bool replace_file(const std::string& path, const std::function<bool(int fd, const std::string& tmp)>& fill,
                  std::string& error) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = errno_text("open " + tmp);
    return false;
  }
  if (!fill(fd, tmp)) {
    ::close(fd);
    return false;
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

}  // namespace

bool write_state_file(const std::string& path, const std::string& content, std::string& error) {
  return replace_file(
      path, [&](int fd, const std::string& tmp) { return write_all(fd, content, tmp, error); }, error);
}

bool write_state_file(const std::string& path, std::chrono::sys_seconds saved_at,
                      const std::function<void(state_writer&)>& fill, std::string& error) {
  return replace_file(
      path,
      [&](int fd, const std::string& tmp) {
        state_writer w([&](std::string_view s) { return write_all(fd, s, tmp, error); }, saved_at);
        fill(w);
        return w.finish();
      },
      error);
}

state_load load_state_file(const std::string& path, std::vector<tenant_snapshot>& out, std::string& error) {
  std::error_code exists_ec;
  if (!std::filesystem::exists(path, exists_ec) && !exists_ec) return state_load::missing;
  std::string why;
  if (const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
    // Read and parsed piece by piece: the file is never in memory whole.
    state_reader reader;
    std::vector<char> buf(chunk_size);
    bool read_failed = false;
    for (;;) {
      const auto n = ::read(fd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) read_failed = true;
      if (n <= 0 || !reader.write(std::string_view(buf.data(), static_cast<std::size_t>(n)))) break;
    }
    ::close(fd);
    if (read_failed) {
      why = "read error";
    } else if (auto parsed = reader.finish(&why)) {
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
