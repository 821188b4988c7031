#include <boost/test/unit_test.hpp>

#include <boost/json.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "collector/state_file.hpp"
#include "metrics/buckets.hpp"
#include "state_harness.hpp"
#include "support/temp_dir.hpp"

namespace {
using namespace voxo;
using namespace voxo::test;
using std::chrono::minutes;

using id_list = std::vector<std::tuple<std::string, std::chrono::sys_seconds, std::uint32_t>>;

// Every id with its time and fingerprint.
id_list entries(const collector::dedupe_set& s) {
  id_list out;
  s.for_each_view([&](std::string_view id, std::chrono::sys_seconds t, std::uint32_t print) {
    out.emplace_back(std::string(id), t, print);
  });
  std::sort(out.begin(), out.end());
  return out;
}

// A UUID made from a number, lowercase like the API's.
std::string uuid_of(unsigned n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-706c-42d2-a4d4-%012x", n * 2654435761u, n);
  return buf;
}

// Several tenants, one with more ids than a write chunk holds, ids that need escaping, labels
// too, with and without a watermark, extra-label totals and collector counters.
std::vector<collector::tenant_snapshot> varied_state() {
  metrics::extra_label_options on;
  on.enabled = {true, false, true};
  metrics::call_labeler labeler(on);
  std::vector<collector::tenant_snapshot> out(3);
  out[0].label = "37";
  out[0].watermark = t0;
  for (unsigned i = 0; i < 5000; ++i) out[0].ids.insert(uuid_of(i), t0 - std::chrono::seconds(i), i * 2654435761u);
  out[0].ids.insert("atl-ast2-1665457640.1430167", t0, 4294967295u);
  out[0].ids.insert("2D275D62-706C-42D2-A4D4-E4EF53D83974", t0);  // an unknown fingerprint
  out[0].ids.insert("00000000-0000-0000-0000-000000000000", t0, 7);
  api::cdr r = make_cdr("a", t0);
  r.jurisdiction = "INTERSTATE";
  r.mos = 4.2;
  out[0].totals.add(r, &labeler);
  out[0].counts.records = 5003;
  out[0].counts.revised = 17;
  out[0].counts.requests = {{"200", 9}, {"error", 2}};
  out[0].counts.request_duration.observe(metrics::request_duration_buckets, 0.30000000000000004);
  out[1].label = "tab\tquote\"\u00e9\x01";
  out[1].ids.insert("a\"b\\c\n\x7f", t0);
  out[2].label = "B101";  // an attributed account: counters only
  out[2].counts.invalid = 1;
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(state_file)

BOOST_AUTO_TEST_CASE(a_state_survives_serialization_unchanged) {
  collector::tenant_snapshot t;
  t.label = "37";
  t.watermark = t0;
  t.ids.insert("a", t0 - minutes(1), 99);
  t.ids.insert("b\"quoted", t0);
  api::cdr r = make_cdr("a", t0);
  r.mos = 4.2;
  r.duration = 61;
  t.totals.add(r);
  const auto parsed = collector::parse_state(collector::serialize_state({t}));
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST_REQUIRE(parsed->size() == 1u);
  const auto& p = (*parsed)[0];
  BOOST_TEST(p.label == "37");
  BOOST_TEST((p.watermark == t0));
  BOOST_TEST((entries(p.ids) == entries(t.ids)));
  BOOST_TEST(p.totals.total_calls() == 1u);
  const auto& mos = p.totals.histogram(metrics::call_histogram::mos, api::call_direction::in);
  BOOST_TEST(mos.count == 1u);
  BOOST_TEST(mos.sum == 4.2);
}

BOOST_AUTO_TEST_CASE(extra_label_totals_survive_serialization_and_are_optional) {
  metrics::extra_label_options on;
  on.enabled = {true, false, true};
  metrics::call_labeler labeler(on);
  collector::tenant_snapshot t;
  t.label = "37";
  api::cdr r = make_cdr("a", t0);
  r.jurisdiction = "INTERSTATE";
  r.is_toll_free = true;
  t.totals.add(r, &labeler);
  t.totals.add(make_cdr("b", t0), &labeler);
  BOOST_TEST_REQUIRE(t.totals.extra_calls.size() == 2u);
  const auto text = collector::serialize_state({t});
  BOOST_TEST(text.find(R"({"labels":{"jurisdiction":"interstate","toll_free":"true"},"calls":)") != std::string::npos,
             text);
  const auto parsed = collector::parse_state(text);
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(((*parsed)[0].totals == t.totals));
  // Without extra labels the key is absent, so files stay as they were.
  collector::tenant_snapshot plain;
  plain.label = "38";
  plain.totals.add(make_cdr("c", t0));
  BOOST_TEST(collector::serialize_state({plain}).find("extra_calls") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(held_series_survive_serialization_are_optional_and_checked) {
  collector::tenant_snapshot t;
  t.label = "37";
  t.totals.add(make_cdr("a", t0));
  metrics::histogram_delta born;
  born.observe(metrics::bucket_bounds(metrics::call_histogram::duration), 12.5);
  t.held = {{"requests/503", 0, std::nullopt}, {"calls/1/2", 3, std::nullopt}, {"histogram/0/1", 0, born}};
  const auto text = collector::serialize_state({t});
  const auto parsed = collector::parse_state(text);
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(((*parsed)[0].held == t.held));
  collector::tenant_snapshot plain = t;
  plain.held.clear();
  BOOST_TEST(collector::serialize_state({plain}).find("held") == std::string::npos);  // files stay as they were
  for (const char* bad :
       {R"("held":[["requests/503",-1]])", R"("held":[["x"]])", R"("held":{"x":1})", R"("held":[[3,1]])"}) {
    auto damaged = collector::serialize_state({plain});
    damaged.insert(damaged.rfind("}]}"), std::string(",") + bad);
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!collector::parse_state(damaged).has_value()); }
  }
}

BOOST_AUTO_TEST_CASE(damaged_extra_label_totals_are_refused) {
  collector::tenant_snapshot t;
  t.label = "37";
  const auto good = collector::serialize_state({t});
  const std::string totals = "\"totals\":{";
  auto with_extra = [&](const std::string& extra) {
    auto text = good;
    text.insert(text.find(totals) + totals.size(), "\"extra_calls\":" + extra + ",");
    return text;
  };
  const std::string row = "[0,0,0,0,0,0]";
  const std::string grid = "[" + row + "," + row + "," + row + "," + row + "," + row + "]";
  BOOST_TEST(
      collector::parse_state(with_extra("[{\"labels\":{\"toll_free\":\"true\"},\"calls\":" + grid + "}]")).has_value());
  for (const std::string& bad : std::vector<std::string>{
           "{}", "[{\"labels\":{\"color\":\"red\"},\"calls\":" + grid + "}]",
           "[{\"labels\":{},\"calls\":" + grid + "}]", "[{\"labels\":{\"toll_free\":\"\"},\"calls\":" + grid + "}]",
           "[{\"labels\":{\"toll_free\":\"true\"},\"calls\":[" + row + "]}]",
           "[{\"labels\":{\"toll_free\":\"true\"},\"calls\":" + grid +
               "},{\"labels\":{\"toll_free\":\"true\"},\"calls\":" + grid + "}]"})
    BOOST_TEST(!collector::parse_state(with_extra(bad)).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(an_unknown_version_or_garbage_is_not_a_state) {
  BOOST_TEST(!collector::parse_state("{\"version\":99,\"tenants\":[]}").has_value());
  BOOST_TEST(!collector::parse_state("not json").has_value());
  BOOST_TEST(!collector::parse_state("{\"version\":1,\"tenants\":[{\"label\":1}]}").has_value());
  BOOST_TEST(!collector::parse_state("{\"format\":\"voxo_exporter state\",\"version\":4,\"tenants\":[]}").has_value());
  BOOST_TEST(!collector::parse_state("{\"format\":\"voxo_exporter state\",\"version\":0,\"tenants\":[]}").has_value());
}

BOOST_AUTO_TEST_CASE(collector_counters_and_sums_survive_serialization_exactly) {
  collector::tenant_snapshot t;
  t.label = "37";
  t.counts.records = 12;
  t.counts.duplicates = 3;
  t.counts.invalid = 1;
  t.counts.revised = 4;
  t.counts.outside_window = 6;
  t.counts.requests = {{"200", 9}, {"error", 2}, {"503", 1}};
  t.counts.polls_success = 8;
  t.counts.polls_failure = 3;
  for (double s : {0.1, 0.2, 0.30000000000000004, 1e-7, 12345.678901234567})
    t.counts.request_duration.observe(metrics::request_duration_buckets, s);
  api::cdr r = make_cdr("a", t0);
  r.duration = 0.1;
  t.totals.add(r);
  r.duration = 0.2;
  t.totals.add(r);
  const auto parsed = collector::parse_state(collector::serialize_state({t}, t0));
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(((*parsed)[0].counts == t.counts));
  BOOST_TEST(((*parsed)[0].totals == t.totals));  // sums equal to the bit
}

BOOST_AUTO_TEST_CASE(a_version_1_file_is_still_read_with_collector_counters_from_zero) {
  std::string totals = R"({"calls":[[1,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,0]],)"
                       R"("recorded":[0,0,0,0,0],"queued":[0,0,0,0,0],"histograms":[)";
  for (std::size_t h = 0; h < metrics::call_histogram_count; ++h) {
    totals += h ? ",[" : "[";
    for (std::size_t d = 0; d < api::direction_count; ++d)
      totals += std::string(d ? "," : "") + R"({"buckets":[0,0,0,0,0,0,0,0,0,0,0,0,0],"sum":0,"count":0})";
    totals += "]";
  }
  totals += "]}";
  const auto parsed = collector::parse_state(
      R"({"version":1,"tenants":[{"label":"37","watermark":1700000000,"ids":[["a",1700000000]],"totals":)" + totals +
      "}]}");
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST((*parsed)[0].totals.total_calls() == 1u);
  BOOST_TEST((*parsed)[0].counts.records == 0u);
}

BOOST_AUTO_TEST_CASE(a_foreign_or_inconsistent_file_is_not_a_state) {
  const auto foreign = collector::parse_state(R"({"version":2,"tenants":[]})");  // no format marker
  BOOST_TEST(!foreign.has_value());
  BOOST_TEST(foreign.error().find("not a voxo_exporter state") != std::string::npos, foreign.error());
  BOOST_TEST(!collector::parse_state(R"(["version", 2])").has_value());
  collector::tenant_snapshot t;
  t.label = "37";
  t.totals.add(make_cdr("a", t0));
  const auto good = collector::serialize_state({t});
  BOOST_TEST(collector::parse_state(good).has_value());
  BOOST_TEST(!collector::parse_state(collector::serialize_state({t, t})).has_value());  // a tenant twice
  // buckets that don't add up to the count: damaged in a way JSON can't see
  t.totals.histograms[0][0].count = 5;
  BOOST_TEST(!collector::parse_state(collector::serialize_state({t})).has_value());
}

BOOST_AUTO_TEST_CASE(a_corrupt_file_is_moved_aside_and_the_start_is_fresh) {
  temp_dir dir;
  const auto path = dir.write("state.json", "{truncated");
  const auto loaded = collector::load_state_file(path.string());
  BOOST_TEST_REQUIRE(!loaded.has_value());
  BOOST_TEST((loaded.error().kind == collector::state_load::corrupt));
  BOOST_TEST(!std::filesystem::exists(path));
  std::size_t aside = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    if (e.path().filename().string().starts_with("state.json.corrupt-")) ++aside;
  BOOST_TEST(aside == 1u);
}

BOOST_AUTO_TEST_CASE(a_directory_in_its_place_is_neither_read_nor_moved) {
  temp_dir dir;
  const auto path = dir.path() / "state.json";
  std::filesystem::create_directory(path);
  const auto loaded = collector::load_state_file(path.string());
  BOOST_TEST_REQUIRE(!loaded.has_value());
  BOOST_TEST((loaded.error().kind == collector::state_load::not_a_file));
  BOOST_TEST(std::filesystem::is_directory(path));  // it was renamed to state.json.corrupt-<time>
  BOOST_TEST(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);
  BOOST_TEST(loaded.error().message.find("not a regular file") != std::string::npos, loaded.error().message);
}

BOOST_AUTO_TEST_CASE(a_fifo_in_its_place_is_refused_at_once_and_left_alone) {
  temp_dir dir;
  const auto path = (dir.path() / "state.json").string();
  BOOST_REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  // A blocking open waited for a writer forever: the start hung.
  const auto loaded = collector::load_state_file(path);
  BOOST_TEST_REQUIRE(!loaded.has_value());
  BOOST_TEST((loaded.error().kind == collector::state_load::not_a_file));
  struct stat st {};
  BOOST_TEST((::lstat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode)));
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_a_fresh_start) {
  temp_dir dir;
  const auto loaded = collector::load_state_file((dir.path() / "none.json").string());
  BOOST_TEST_REQUIRE(!loaded.has_value());
  BOOST_TEST((loaded.error().kind == collector::state_load::missing));
}

BOOST_FIXTURE_TEST_CASE(after_a_restart_counters_go_on_and_no_call_is_counted_twice, state_file_dir) {
  {
    state_harness h(path, {make_cdr("a", t0 - minutes(10)), make_cdr("b", t0 - minutes(5))});
    h.start();
    BOOST_TEST(h.run_until([&] { return polls(h, "37") >= 1; }));
    h.c->stop();  // saves
  }
  BOOST_TEST(std::filesystem::exists(path));
  state_harness h(path, {make_cdr("b", t0 - minutes(5)), make_cdr("c", t0 - minutes(1))});
  h.wall = t0 + minutes(1);
  h.start();
  // (the poll counter is restored too, so wait for this run's own poll)
  BOOST_TEST_REQUIRE(h.run_until([&] { return h.c->find("37")->last_success.has_value() && h.c->published(); }));
  BOOST_TEST(h.value("voxo_calls_total", {{"tenant", "37"}}) == 3);
  BOOST_TEST(h.value("voxo_collector_duplicate_records_total", {{"tenant", "37"}}) == 1);
  // polling resumed from the saved watermark, not from lookback
  BOOST_TEST((h.api.calls_of("37")[0].window.start == t0 - minutes(2) - minutes(15)));
}

namespace {
// The state of the golden files: tests/collector/data/state_v2_golden.json (written by the
// previous serializer, a boost::json tree of the whole state, before fingerprints) and
// state_v3_golden.json (the same with version 3's fingerprints and revision counter).
std::vector<collector::tenant_snapshot> golden_state() {
  collector::tenant_snapshot t;
  t.label = "37 \"main\" \xc3\xa9";
  t.watermark = t0;
  t.ids.insert("2d275d62-706c-42d2-a4d4-e4ef53d83974", t0 - std::chrono::seconds(60), 2914023917u);
  t.ids.insert("b\"quoted\n\x01", t0, 1);
  t.totals.calls[0][1] = 3;
  t.totals.recorded[1] = 2;
  t.counts.records = 12;
  t.counts.revised = 2;
  t.counts.requests = {{"200", 9}, {"error", 2}};
  t.counts.polls_success = 8;
  t.counts.request_duration.observe(metrics::request_duration_buckets, 0.1);
  collector::tenant_snapshot a;
  a.label = "B101";
  a.counts.invalid = 1;
  std::vector<collector::tenant_snapshot> out;
  out.push_back(std::move(t));
  out.push_back(std::move(a));
  return out;
}
}  // namespace

BOOST_AUTO_TEST_CASE(the_streamed_file_is_byte_for_byte_the_version_3_golden_file) {
  const auto golden = read(std::filesystem::path(VOXO_SOURCE_DIR) / "tests/collector/data/state_v3_golden.json");
  BOOST_TEST_REQUIRE(!golden.empty());
  BOOST_TEST(collector::serialize_state(golden_state(), t0 + std::chrono::seconds(5)) == golden);
  // and a JSON tree of it serializes to the same bytes
  BOOST_TEST((boost::json::serialize(boost::json::parse(golden)) + "\n" == golden));
}

BOOST_AUTO_TEST_CASE(a_version_2_file_loads_with_unknown_fingerprints_and_revisions_from_zero) {
  const auto v2 = read(std::filesystem::path(VOXO_SOURCE_DIR) / "tests/collector/data/state_v2_golden.json");
  BOOST_TEST_REQUIRE(!v2.empty());
  const auto parsed = collector::parse_state(v2);
  BOOST_TEST_REQUIRE(parsed.has_value(), parsed.error());
  const auto want = golden_state();
  BOOST_TEST_REQUIRE(parsed->size() == want.size());
  const auto ids = entries((*parsed)[0].ids);
  BOOST_TEST_REQUIRE(ids.size() == 2u);
  for (const auto& [id, time, print] : ids) BOOST_TEST(print == collector::dedupe_set::unknown_fingerprint, id);
  BOOST_TEST((std::get<1>(ids[0]) == t0 - std::chrono::seconds(60)));
  auto counts = want[0].counts;
  counts.revised = 0;
  BOOST_TEST(((*parsed)[0].counts == counts));
  BOOST_TEST(((*parsed)[0].totals == want[0].totals));
  // Written again, it is version 3 with the unknown fingerprint kept as 0.
  const auto again = collector::serialize_state(*parsed, t0);
  BOOST_TEST(again.find(R"("version":3)") != std::string::npos);
  BOOST_TEST(again.find(R"(["2d275d62-706c-42d2-a4d4-e4ef53d83974",1699999940,0])") != std::string::npos, again);
}

BOOST_AUTO_TEST_CASE(a_large_varied_state_is_written_exactly_as_a_json_tree_serializes_it) {
  const auto text = collector::serialize_state(varied_state(), t0);
  BOOST_TEST_REQUIRE(text.size() > 64u * 1024u);  // several write chunks
  BOOST_TEST_REQUIRE(text.back() == '\n');
  // Parsed and serialized again by boost::json, the text is unchanged: the streamed writer
  // produces the same bytes a tree of the same values would.
  BOOST_TEST((boost::json::serialize(boost::json::parse(text)) + "\n" == text));
  const auto parsed = collector::parse_state(text);
  BOOST_TEST_REQUIRE(parsed.has_value());
  const auto state = varied_state();
  BOOST_TEST_REQUIRE(parsed->size() == state.size());
  for (std::size_t i = 0; i < state.size(); ++i) {
    BOOST_TEST((*parsed)[i].label == state[i].label);
    BOOST_TEST(((*parsed)[i].watermark == state[i].watermark));
    BOOST_TEST((entries((*parsed)[i].ids) == entries(state[i].ids)));
    BOOST_TEST(((*parsed)[i].totals == state[i].totals));
    BOOST_TEST(((*parsed)[i].counts == state[i].counts));
  }
}

BOOST_AUTO_TEST_CASE(a_file_read_in_pieces_of_any_size_gives_the_same_state) {
  const auto text = collector::serialize_state(varied_state(), t0);
  const auto whole = collector::parse_state(text);
  BOOST_TEST_REQUIRE(whole.has_value());
  for (std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
    BOOST_TEST_CONTEXT("pieces of " << piece) {
      collector::state_reader reader;
      bool ok = true;
      for (std::size_t at = 0; at < text.size() && ok; at += piece)
        ok = reader.write(std::string_view(text).substr(at, piece));
      BOOST_TEST_REQUIRE(ok);
      const auto parsed = reader.finish();
      BOOST_TEST_REQUIRE(parsed.has_value());
      BOOST_TEST_REQUIRE(parsed->size() == whole->size());
      for (std::size_t i = 0; i < whole->size(); ++i) {
        BOOST_TEST((*parsed)[i].label == (*whole)[i].label);
        BOOST_TEST((entries((*parsed)[i].ids) == entries((*whole)[i].ids)));
        BOOST_TEST(((*parsed)[i].totals == (*whole)[i].totals));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(damaged_id_entries_or_text_after_the_document_are_refused) {
  collector::tenant_snapshot t;
  t.label = "37";
  t.ids.insert("a", t0, 5);
  const auto good = collector::serialize_state({t});
  BOOST_TEST_REQUIRE(collector::parse_state(good).has_value());
  const std::string ids = R"("ids":[["a",1700000000,5]])";
  BOOST_TEST_REQUIRE(good.find(ids) != std::string::npos);
  for (const std::string& bad :
       std::vector<std::string>{R"("ids":[["a"]])", R"("ids":[["a",1,2,3]])", R"("ids":[[1,"a"]])", R"("ids":[["",1]])",
                                R"("ids":[["a",1.5]])", R"("ids":[["a",18446744073709551615]])", R"("ids":[["a",{}]])",
                                R"("ids":[[["a"],1]])", R"("ids":["a"])", R"("ids":[null])", R"("ids":{})",
                                R"("ids":[],"ids":[])", R"("ids":[["a",1,-1]])", R"("ids":[["a",1,4294967296]])",
                                R"("ids":[["a",1,1.5]])", R"("ids":[["a",1,"5"]])", R"("ids":[["a",1,null]])"}) {
    auto text = good;
    text.replace(text.find(ids), ids.size(), bad);
    const auto parsed = collector::parse_state(text);
    BOOST_TEST(!parsed.has_value(), bad);
    BOOST_TEST(!parsed.error().empty());
  }
  BOOST_TEST(!collector::parse_state(good + "x").has_value());
  BOOST_TEST(!collector::parse_state(good + good).has_value());
  BOOST_TEST(collector::parse_state(good + "  \n").has_value());
  auto twice = good;  // the root's tenant list twice
  twice.replace(twice.find("\"tenants\""), 0, R"("tenants":[],)");
  BOOST_TEST(!collector::parse_state(twice).has_value());
}

BOOST_AUTO_TEST_CASE(a_streamed_file_loads_back_and_replaces_the_old_one_atomically) {
  temp_dir dir;
  const auto path = (dir.path() / "state.json").string();
  const auto state = varied_state();
  const auto written = collector::write_state_file(path, t0, [&](collector::state_writer& w) {
    for (const auto& t : state) w.tenant(t);
  });
  BOOST_TEST_REQUIRE(written.has_value(), written.error());
  BOOST_TEST(read(path) == collector::serialize_state(state, t0));
  BOOST_TEST(!std::filesystem::exists(path + ".tmp"));
  const auto loaded = collector::load_state_file(path);
  BOOST_TEST_REQUIRE(loaded.has_value(), loaded.error().message);
  const auto& out = *loaded;
  BOOST_TEST_REQUIRE(out.size() == state.size());
  BOOST_TEST((entries(out[0].ids) == entries(state[0].ids)));
  BOOST_TEST(((out[0].counts == state[0].counts)));
}

BOOST_AUTO_TEST_CASE(a_failing_sink_or_folder_makes_the_write_fail) {
  std::size_t calls = 0;
  collector::state_writer w(
      [&calls](std::string_view) {
        ++calls;
        return false;
      },
      t0);
  w.tenant(varied_state()[0]);  // more than one chunk: the writer stops after the first failure
  BOOST_TEST(!w.finish());
  BOOST_TEST(calls == 1u);
  temp_dir dir;
  const auto written = collector::write_state_file((dir.path() / "no-such-dir" / "state.json").string(), t0,
                                                   [](collector::state_writer&) {});
  BOOST_TEST_REQUIRE(!written.has_value());
  BOOST_TEST(written.error().find("no-such-dir") != std::string::npos, written.error());
}

BOOST_AUTO_TEST_CASE(tenants_are_checked_against_the_version_wherever_it_stands_in_the_file) {
  collector::tenant_snapshot t;
  t.label = "37";
  t.ids.insert("a", t0);
  t.counts.records = 4;
  const auto good = collector::serialize_state({t});
  // The version after the tenants (a hand-edited file): read all the same.
  auto late = good;
  const std::string version = R"("version":3,)";
  late.erase(late.find(version), version.size());
  late.insert(late.rfind("]}"), R"(],"version":3,"x":[)");
  const auto parsed = collector::parse_state(late);
  BOOST_TEST_REQUIRE(parsed.has_value(), late);
  BOOST_TEST((*parsed)[0].counts.records == 4u);
  BOOST_TEST((*parsed)[0].ids.contains("a"));
  // Versions 2 and 3 need the collector counters; version 1 never had them and ignores the key.
  auto damaged = good;
  damaged.replace(damaged.find(R"("records":4)"), 11, R"("records":-4)");
  const auto refused = collector::parse_state(damaged);
  BOOST_TEST(!refused.has_value());
  BOOST_TEST(refused.error() == "collector counters are damaged");
  auto v1 = damaged;
  v1.replace(v1.find(version), version.size(), R"("version":1,)");
  const auto old = collector::parse_state(v1);
  BOOST_TEST_REQUIRE(old.has_value(), old.error());
  BOOST_TEST(old->at(0).counts.records == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
