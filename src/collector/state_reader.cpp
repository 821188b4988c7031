// Reads the state file as a stream (see state_file.hpp for the format): a basic_parser handler
// puts ids straight into each tenant's de-dup set and checks everything it can't trust.

#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "collector/detail/state_json.hpp"
#include "collector/state_file.hpp"

namespace voxo::collector {

namespace json = boost::json;
using detail::counts_from_json;
using detail::holds_from_json;
using detail::totals_from_json;

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
  if (const auto* held = o.if_contains("held"); held && !holds_from_json(*held, t.held)) {
    e.error = "held series are damaged";
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

  json::value_stack st;               // the root
  json::value_stack tenant_st;        // the tenant object being read
  std::vector<tenant_entry> tenants;  // the objects of the root's "tenants" array, in order
  std::string why;                    // set when the handler refused the text

  std::size_t depth = 0;   // containers open
  std::string key;         // the key being read
  std::string root_key;    // the last key of the root object
  std::string tenant_key;  // the last key of the current tenant object
  bool tenants_seen = false;
  bool in_tenants = false;  // inside the root's "tenants" array (depth 2)
  bool in_tenant = false;   // inside one of its objects (depth 3)
  bool tenant_has_ids = false;
  int ids_level = 0;  // 1: in a tenant's ids array; 2: in one [id, time] entry
  int field = 0;      // fields of the entry read so far
  std::string id;
  std::int64_t time = 0;
  dedupe_set::fingerprint print = dedupe_set::unknown_fingerprint;  // absent (version 2): unknown

  state_handler() { st.reset(); }

  json::value_stack& stack() { return in_tenant ? tenant_st : st; }
  bool refuse(boost::system::error_code& ec, const char* text) {
    why = text;
    ec = json::error::syntax;
    return false;
  }
  bool bad_entry(boost::system::error_code& ec) {
    return refuse(ec, "an id entry is not [id, unix time] or [id, unix time, fingerprint]");
  }

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
      print = dedupe_set::unknown_fingerprint;
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
      if (field != 2 && field != 3) return bad_entry(ec);
      tenants.back().snap.ids.insert(id, std::chrono::sys_seconds(std::chrono::seconds(time)), print);
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
    if (depth == 1) root_key = key;
    else if (in_tenant && depth == 3) tenant_key = key;
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
    if (ids_level != 2 || (field != 1 && field != 2)) return bad_entry(ec);
    if (field == 1) {
      time = i;
    } else {
      if (i < 0 || i > std::int64_t{UINT32_MAX}) return bad_entry(ec);
      print = static_cast<dedupe_set::fingerprint>(i);
    }
    ++field;
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
parsed_state from_tree(const json::value& root, std::vector<tenant_entry>& entries) {
  if (!root.is_object()) return util::fail("not a voxo_exporter state file");
  const auto& r = root.as_object();
  const auto* version = r.if_contains("version");
  const auto* format = r.if_contains("format");
  const auto* tenants = r.if_contains("tenants");
  if (!version || !version->is_int64() || !tenants || !tenants->is_array())
    return util::fail("not a voxo_exporter state file");
  const auto v = version->as_int64();
  if (v < 1 || v > state_version) return util::fail("unknown state file version");
  if (v >= 2 && (!format || !format->is_string() || format->as_string() != state_format))
    return util::fail("not a voxo_exporter state file");
  std::vector<tenant_snapshot> out;
  std::set<std::string, std::less<>> labels;
  std::size_t k = 0;  // the objects seen so far: entries[k] is the next one
  for (const auto& e : tenants->as_array()) {
    if (!e.is_object() || k >= entries.size()) return util::fail("a tenant entry is not an object");
    auto& entry = entries[k++];
    if (entry.error) return util::fail(entry.error);
    if (!labels.insert(entry.snap.label).second) return util::fail("a tenant appears twice");
    if (v >= 2 && !entry.counts_ok) return util::fail("collector counters are damaged");
    if (v == 1) entry.snap.counts = {};        // version 1 had none: they start from 0
    if (v < 3) entry.snap.counts.revised = 0;  // nor had version 2 revisions
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

parsed_state state_reader::finish() {
  auto& p = impl_->parser;
  if (!impl_->failed) {
    boost::system::error_code ec;
    p.write_some(false, "", 0, ec);
    impl_->failed = ec || !p.done();
  }
  if (impl_->failed) {
    const auto& text = p.handler().why;
    return util::fail(text.empty() ? std::string("not JSON (truncated or damaged)") : text);
  }
  const json::value root = p.handler().st.release();
  return from_tree(root, p.handler().tenants);
}

parsed_state parse_state(std::string_view text) {
  state_reader r;
  r.write(text);
  return r.finish();
}

}  // namespace voxo::collector
