#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "metrics/exporter_metrics.hpp"
#include "support/exposition_parser.hpp"
#include "support/sample_cdr.hpp"

// metrics.per_tenant_histograms and metrics.extra_labels: what series they produce, that the
// numbers stay the same, and that a restore brings them back. The series counts the README
// states are checked here against a real exposition (series_table below is the one place).

namespace {
using namespace voxo;
using test::parse_exposition;
using test::series_map;
using test::sum_series;

metrics::exporter_metrics::options settings(bool per_tenant_histograms, metrics::extra_label_options extra = {}) {
  metrics::exporter_metrics::options o;
  o.process_metrics = false;
  o.per_tenant_histograms = per_tenant_histograms;
  o.extra_labels = extra;
  return o;
}

metrics::extra_label_options labels(const std::vector<metrics::extra_label>& on, std::size_t max_values = 20) {
  metrics::extra_label_options o;
  for (auto l : on) o.enabled[static_cast<std::size_t>(l)] = true;
  o.max_values = max_values;
  return o;
}

api::cdr call(api::call_direction dir, api::call_disposition disp) {
  return test::call_with_every_field("x", dir, disp);
}

// Every direction x disposition, each with every value the variants give (one call each).
template <class Vary>
metrics::call_deltas every_kind_of_call(metrics::call_labeler& labeler, std::size_t variants, Vary vary) {
  metrics::call_deltas d;
  for (std::size_t dir = 0; dir < api::direction_count; ++dir)
    for (std::size_t disp = 0; disp < api::disposition_count; ++disp)
      for (std::size_t v = 0; v < variants; ++v) {
        auto r = call(static_cast<api::call_direction>(dir), static_cast<api::call_disposition>(disp));
        vary(r, v);
        d.add(r, &labeler);
      }
  return d;
}

// The worst case of each extra label: jurisdiction 25 distinct values (past the cap of 20) and
// null; the flags true, false and null.
constexpr std::size_t all_variants = 26 * 3 * 3;
void vary_all(api::cdr& r, std::size_t v) {
  const std::size_t j = v % 26, i = (v / 26) % 3, t = v / 78;
  if (j < 25) r.jurisdiction = "J" + std::to_string(j);
  if (i < 2) r.is_international = i == 0;
  if (t < 2) r.is_toll_free = t == 0;
}

// What the collector does for one tenant in a poll with one status code and one result.
void poll_once(metrics::tenant_metrics& t) {
  t.count_request("200", 0.2);
  t.count_ingest(1, 0, 0);
  t.count_poll(true);
  t.set_up(true);
  t.set_last_success(std::chrono::sys_seconds(std::chrono::seconds(1700000000)));
  t.set_watermark(std::chrono::sys_seconds(std::chrono::seconds(1700000000)));
}

bool has_tenant(const std::string& key, const std::string& tenant) {
  return key.find("tenant=\"" + tenant + "\"") != std::string::npos;
}
bool is_call_histogram(const std::string& key) {
  for (const char* n : {"voxo_call_duration_seconds_", "voxo_call_talk_duration_seconds_", "voxo_call_mos_",
                        "voxo_call_jitter_ratio_", "voxo_call_packet_loss_ratio_"})
    if (key.starts_with(n)) return true;
  return false;
}

// ---- The README's "Series per tenant" table: ONE place for its numbers ------------------
struct series_row {
  const char* setting;  // as written in the README's first column
  bool per_tenant_histograms;
  std::vector<metrics::extra_label> extra;
  std::size_t calls;        // voxo_calls_total
  std::size_t histograms;   // the five call histograms, with a tenant label
  std::size_t counters;     // voxo_calls_recorded_total, voxo_queue_calls_total
  std::size_t own;          // voxo_up, voxo_collector_*, voxo_tenant_info
  std::size_t per_tenant;   // the sum
  std::size_t per_replica;  // call histograms without a tenant label (once per replica)
};
using L = metrics::extra_label;
const std::vector<series_row> series_table{
    {"default", true, {}, 30, 310, 10, 26, 376, 0},
    {"`per_tenant_histograms: false`", false, {}, 30, 0, 10, 26, 66, 310},
    {"`extra_labels: [international]`", true, {L::international}, 90, 310, 10, 26, 436, 0},
    {"`extra_labels: [toll_free]`", true, {L::toll_free}, 90, 310, 10, 26, 436, 0},
    {"`extra_labels: [jurisdiction]`", true, {L::jurisdiction}, 660, 310, 10, 26, 1006, 0},
    {"all three extra labels, `per_tenant_histograms: false`",
     false,
     {L::jurisdiction, L::international, L::toll_free},
     5940,
     0,
     10,
     26,
     5976,
     310},
};

std::string readme_line(const series_row& r) {
  std::ostringstream s;
  s << "| " << r.setting << " | " << r.calls << " | " << r.histograms << " | " << r.counters << " | " << r.own << " | "
    << r.per_tenant << " | " << r.per_replica << " |";
  return s.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cardinality)

BOOST_AUTO_TEST_CASE(series_per_tenant_are_what_the_readme_states) {
  std::ifstream in(VOXO_SOURCE_DIR "/README.md");
  const std::string readme((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_REQUIRE(!readme.empty());
  for (const auto& row : series_table) {
    BOOST_TEST_CONTEXT(row.setting) {
      BOOST_TEST(row.per_tenant == row.calls + row.histograms + row.counters + row.own);
      metrics::exporter_metrics m(settings(row.per_tenant_histograms, labels(row.extra)));
      auto& t = m.tenant("37", "Acme");
      t.apply(every_kind_of_call(m.labeler(), row.extra.empty() ? 1 : all_variants, vary_all));
      poll_once(t);
      const auto series = parse_exposition(m.render());
      std::size_t calls = 0, histograms = 0, counters = 0, own = 0, per_replica = 0, tenant = 0;
      for (const auto& [key, value] : series) {
        if (!has_tenant(key, "37")) {
          per_replica += is_call_histogram(key);
          continue;
        }
        ++tenant;
        if (key.starts_with("voxo_calls_total{")) ++calls;
        else if (is_call_histogram(key)) ++histograms;
        else if (key.starts_with("voxo_calls_recorded_total") || key.starts_with("voxo_queue_calls_total")) ++counters;
        else ++own;
      }
      BOOST_TEST(calls == row.calls);
      BOOST_TEST(histograms == row.histograms);
      BOOST_TEST(counters == row.counters);
      BOOST_TEST(own == row.own);
      BOOST_TEST(tenant == row.per_tenant);
      BOOST_TEST(per_replica == row.per_replica);
      BOOST_TEST(readme.find(readme_line(row)) != std::string::npos, "README lacks the row: " << readme_line(row));
    }
  }
}

BOOST_AUTO_TEST_CASE(without_per_tenant_histograms_histograms_sum_over_tenants_and_counters_keep_the_tenant) {
  metrics::exporter_metrics m(settings(false));
  metrics::call_deltas a, b;
  a.add(call(api::call_direction::in, api::call_disposition::answered));
  b.add(call(api::call_direction::in, api::call_disposition::answered));
  b.add(call(api::call_direction::in, api::call_disposition::no_answer));
  m.tenant("1").apply(a);
  m.tenant("2").apply(b);
  const auto s = parse_exposition(m.render());
  BOOST_TEST(s.at("voxo_call_duration_seconds_count{direction=\"in\"}") == 3);
  BOOST_TEST(s.at("voxo_call_mos_count{direction=\"in\"}") == 2);
  for (const auto& [key, v] : s)
    if (is_call_histogram(key)) BOOST_TEST(!has_tenant(key, "1"), key);
  BOOST_TEST(sum_series(s, "voxo_calls_total", {{"tenant", "1"}}) == 1);
  BOOST_TEST(sum_series(s, "voxo_calls_total", {{"tenant", "2"}}) == 2);
  BOOST_TEST(sum_series(s, "voxo_calls_recorded_total", {{"tenant", "2"}, {"direction", "in"}}) == 2);
}

BOOST_AUTO_TEST_CASE(extra_labels_split_voxo_calls_total_and_add_up_to_the_plain_count) {
  metrics::exporter_metrics m(settings(true, labels({L::jurisdiction, L::toll_free})));
  auto d = every_kind_of_call(m.labeler(), all_variants, vary_all);
  m.tenant("37").apply(d);
  const auto s = parse_exposition(m.render());
  BOOST_TEST(sum_series(s, "voxo_calls_total") == d.total_calls());
  BOOST_TEST(sum_series(s, "voxo_calls_total", {{"direction", "in"}, {"disposition", "busy"}}) == all_variants);
  BOOST_TEST(sum_series(s, "voxo_calls_total", {{"jurisdiction", "j3"}, {"toll_free", "true"}}) == 30 * 3);
  BOOST_TEST(sum_series(s, "voxo_calls_total", {{"jurisdiction", "other"}}) == 30 * 5 * 9);  // J20..J24
  BOOST_TEST(sum_series(s, "voxo_calls_total", {{"jurisdiction", "unknown"}}) == 30 * 9);
  BOOST_TEST(sum_series(s, "voxo_calls_total", {{"international", "true"}}) == 0);  // not enabled
  BOOST_TEST(s.count(test::series_key("voxo_calls_total",
                                      {{"tenant", "37"}, {"direction", "in"}, {"disposition", "busy"}})) == 0);
  BOOST_TEST(m.tenant("37").totals().total_calls() == d.total_calls());
}

BOOST_AUTO_TEST_CASE(a_restore_raises_aggregated_histograms_by_each_tenant_once) {
  metrics::exporter_metrics before(settings(false));
  metrics::call_deltas a, b;
  a.add(call(api::call_direction::out, api::call_disposition::answered));
  b.add(call(api::call_direction::out, api::call_disposition::answered));
  b.add(call(api::call_direction::out, api::call_disposition::answered));
  before.tenant("1").apply(a);
  before.tenant("2").apply(b);

  metrics::exporter_metrics after(settings(false));  // a restart: every tenant restored
  for (const char* t : {"1", "2"}) after.tenant(t).restore(before.tenant(t).totals(), before.tenant(t).counts());
  const auto key = "voxo_call_mos_count{direction=\"out\"}";
  BOOST_TEST(parse_exposition(after.render()).at(key) == 3);
  // A config reload restores what the series already show: nothing moves.
  for (const char* t : {"1", "2"}) after.tenant(t).restore(after.tenant(t).totals(), after.tenant(t).counts());
  BOOST_TEST(parse_exposition(after.render()).at(key) == 3);
  BOOST_TEST((parse_exposition(after.render()) == parse_exposition(before.render())));
}

BOOST_AUTO_TEST_CASE(a_restore_brings_extra_label_series_back_to_their_saved_values) {
  const auto on = labels({L::jurisdiction, L::international});
  metrics::exporter_metrics before(settings(true, on));
  before.tenant("37").apply(every_kind_of_call(before.labeler(), all_variants, vary_all));
  metrics::exporter_metrics after(settings(true, on));
  after.tenant("37").restore(before.tenant("37").totals(), before.tenant("37").counts());
  BOOST_TEST((parse_exposition(after.render()) == parse_exposition(before.render())));
  after.tenant("37").restore(after.tenant("37").totals(), after.tenant("37").counts());
  BOOST_TEST((parse_exposition(after.render()) == parse_exposition(before.render())));
  BOOST_TEST((after.tenant("37").totals() == before.tenant("37").totals()));
}

BOOST_AUTO_TEST_CASE(a_restore_under_a_lower_cap_folds_saved_values_into_other) {
  metrics::exporter_metrics before(settings(true, labels({L::jurisdiction}, 20)));
  before.tenant("37").apply(every_kind_of_call(before.labeler(), 26, vary_all));
  metrics::exporter_metrics after(settings(true, labels({L::jurisdiction}, 2)));
  after.tenant("37").restore(before.tenant("37").totals(), before.tenant("37").counts());
  const auto s = parse_exposition(after.render());
  BOOST_TEST(sum_series(s, "voxo_calls_total") == 30 * 26);
  BOOST_TEST(sum_series(s, "voxo_calls_total", {{"jurisdiction", "unknown"}}) == 30);
  BOOST_TEST(sum_series(s, "voxo_calls_total", {{"jurisdiction", "other"}}) == 30 * 23);
  BOOST_TEST(after.labeler().distinct(L::jurisdiction) == 2);
  // Restoring the same file again (a reload) adds nothing.
  after.tenant("37").restore(before.tenant("37").totals(), before.tenant("37").counts());
  BOOST_TEST(sum_series(parse_exposition(after.render()), "voxo_calls_total") == 30 * 26);
}

BOOST_AUTO_TEST_CASE(a_restore_after_the_extra_labels_changed_keeps_plain_totals_and_drops_the_old_split) {
  metrics::exporter_metrics before(settings(true, labels({L::jurisdiction})));
  before.tenant("37").apply(every_kind_of_call(before.labeler(), 26, vary_all));
  metrics::exporter_metrics other_labels(settings(true, labels({L::toll_free})));
  other_labels.tenant("37").restore(before.tenant("37").totals(), before.tenant("37").counts());
  BOOST_TEST(sum_series(parse_exposition(other_labels.render()), "voxo_calls_total") == 0);  // new series
  BOOST_TEST(other_labels.tenant("37").totals().total_calls() == 30 * 26);
  BOOST_TEST(other_labels.tenant("37").totals().extra_calls.empty());

  metrics::exporter_metrics plain(settings(true));  // extra labels off: plain series restored
  plain.tenant("37").restore(before.tenant("37").totals(), before.tenant("37").counts());
  BOOST_TEST(sum_series(parse_exposition(plain.render()), "voxo_calls_total") == 30 * 26);
}

BOOST_AUTO_TEST_SUITE_END()
