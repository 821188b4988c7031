#include "collector/state_file.hpp"

#include <boost/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

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
    for (const auto& h : per_dir) dirs.push_back(json::object{{"buckets", u64_array(h.buckets)}, {"sum", h.sum}, {"count", h.count}});
    hs.push_back(std::move(dirs));
  }
  o["histograms"] = std::move(hs);
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
    for (std::size_t k = 0; k < d.histograms[h].size(); ++k) {
      const auto* e = dirs.as_array()[k].if_object();
      if (!e) return false;
      auto& out = d.histograms[h][k];
      const auto* sum = e->if_contains("sum");
      const auto* count = e->if_contains("count");
      if (!read_u64_array(e->if_contains("buckets"), out.buckets) || !sum || !sum->is_number() || !count ||
          !count->is_number())
        return false;
      out.sum = sum->to_number<double>();
      out.count = count->to_number<std::uint64_t>();
    }
  }
  return true;
}

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

}  // namespace

std::string serialize_state(const std::vector<tenant_snapshot>& tenants) {
  json::array ts;
  for (const auto& t : tenants) {
    json::object o;
    o["label"] = t.label;
    if (t.watermark) o["watermark"] = t.watermark->time_since_epoch().count();
    json::array ids;
    for (const auto& [id, time] : t.ids) ids.push_back(json::array{json::string(id), time.time_since_epoch().count()});
    o["ids"] = std::move(ids);
    o["totals"] = totals_to_json(t.totals);
    ts.push_back(std::move(o));
  }
  return json::serialize(json::object{{"version", state_version}, {"tenants", std::move(ts)}});
}

std::optional<std::vector<tenant_snapshot>> parse_state(std::string_view text) {
  boost::system::error_code ec;
  const auto root = json::parse(text, ec);
  if (ec || !root.is_object()) return std::nullopt;
  const auto* version = root.as_object().if_contains("version");
  const auto* tenants = root.as_object().if_contains("tenants");
  if (!version || !version->is_int64() || version->as_int64() != state_version || !tenants || !tenants->is_array())
    return std::nullopt;
  std::vector<tenant_snapshot> out;
  for (const auto& v : tenants->as_array()) {
    const auto* o = v.if_object();
    if (!o) return std::nullopt;
    tenant_snapshot t;
    const auto* label = o->if_contains("label");
    const auto* ids = o->if_contains("ids");
    const auto* totals = o->if_contains("totals");
    if (!label || !label->is_string() || !ids || !ids->is_array() || !totals || !totals->is_object())
      return std::nullopt;
    t.label = std::string(label->as_string());
    if (const auto* wm = o->if_contains("watermark")) {
      if (!wm->is_int64()) return std::nullopt;
      t.watermark = std::chrono::sys_seconds(std::chrono::seconds(wm->as_int64()));
    }
    for (const auto& e : ids->as_array()) {
      const auto* pair = e.if_array();
      if (!pair || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_int64()) return std::nullopt;
      t.ids.emplace_back(std::string((*pair)[0].as_string()),
                         std::chrono::sys_seconds(std::chrono::seconds((*pair)[1].as_int64())));
    }
    if (!totals_from_json(totals->as_object(), t.totals)) return std::nullopt;
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
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    error = errno_text("fsync " + tmp);
    return false;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    error = errno_text("rename " + tmp);
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
  std::ifstream in(path, std::ios::binary);
  if (!in) return state_load::missing;
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (auto parsed = parse_state(text)) {
    out = std::move(*parsed);
    return state_load::loaded;
  }
  const auto aside = path + ".corrupt-" +
                     std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
  std::error_code ec;
  std::filesystem::rename(path, aside, ec);
  error = ec ? "cannot move the corrupt state file aside: " + ec.message() : "moved aside to " + aside;
  return state_load::corrupt;
}

}  // namespace voxo::collector
