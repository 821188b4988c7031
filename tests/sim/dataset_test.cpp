#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <date/date.h>

#include <array>
#include <set>

#include "api/record_time.hpp"
#include "sim/dataset.hpp"

using namespace std::chrono_literals;
using std::chrono::sys_seconds;
using voxo::api::time_window;
using voxo::sim::dataset;
using voxo::sim::dataset_options;
using voxo::sim::generated_record;

namespace {

sys_seconds at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  return date::sys_days{date::year{y} / mo / d} + std::chrono::hours{h} + std::chrono::minutes{mi} +
         std::chrono::seconds{s};
}

const sys_seconds t0 = at(2022, 10, 10);
const sys_seconds sim_start = at(2024, 1, 1);

dataset_options options(std::uint64_t seed = 7) {
  dataset_options o;
  o.seed = seed;
  o.tenants = {{101, "tenant-101", "B101", 60}, {102, "tenant-102", "B102", 30}};
  o.from = t0;
  o.to = t0 + 48h;
  return o;
}

constexpr std::array<const char*, 38> documented_keys{"id",
                                                      "time",
                                                      "callerIdNumber",
                                                      "callerIdName",
                                                      "dialedNum",
                                                      "direction",
                                                      "disposition",
                                                      "duration",
                                                      "percentJitter",
                                                      "packetLoss",
                                                      "qos",
                                                      "uniqueId",
                                                      "prevUniqueId",
                                                      "whoAnswered",
                                                      "recorded",
                                                      "queueCall",
                                                      "ocn",
                                                      "ani",
                                                      "lata",
                                                      "city",
                                                      "rateCenter",
                                                      "state",
                                                      "jurisdiction",
                                                      "local",
                                                      "lec",
                                                      "lecType",
                                                      "spid",
                                                      "isTollFree",
                                                      "nextUniqueId",
                                                      "isInternational",
                                                      "presented",
                                                      "mos",
                                                      "callOutcome",
                                                      "afterAnswerDuration",
                                                      "outgoingCidNum",
                                                      "billingId",
                                                      "partnerId",
                                                      "geolocation"};

std::optional<double> number(const boost::json::object& o, const char* key) {
  const auto& v = o.at(key);
  if (v.is_null()) return std::nullopt;
  return v.to_number<double>();
}

std::optional<bool> flag(const boost::json::object& o, const char* key) {
  const auto& v = o.at(key);
  if (v.is_null()) return std::nullopt;
  return v.to_number<int>() != 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sim_dataset)

BOOST_AUTO_TEST_CASE(same_seed_gives_the_same_records_and_another_seed_different_ones) {
  const time_window w{t0 + 1h, t0 + 3h};
  dataset a(options(7), sim_start), b(options(7), sim_start), c(options(8), sim_start);
  auto ra = a.records(101, w), rb = b.records(101, w), rc = c.records(101, w);
  BOOST_REQUIRE(!ra.empty());
  BOOST_REQUIRE_EQUAL(ra.size(), rb.size());
  for (std::size_t i = 0; i < ra.size(); ++i) BOOST_TEST(ra[i].json == rb[i].json);
  std::set<std::string> ids_a, ids_c;
  for (const auto& r : ra) ids_a.insert(r.call->id);
  for (const auto& r : rc) ids_c.insert(r.call->id);
  for (const auto& id : ids_c) BOOST_TEST(!ids_a.contains(id));
}

BOOST_AUTO_TEST_CASE(a_call_is_the_same_whatever_window_it_is_produced_in) {
  dataset d(options(), sim_start);
  auto wide = d.records(101, {t0, t0 + 6h});
  auto narrow = d.records(101, {t0 + 2h, t0 + 2h + 10min});
  BOOST_REQUIRE(!narrow.empty());
  for (const auto& r : narrow) {
    auto it = std::find_if(wide.begin(), wide.end(), [&](const generated_record& x) { return x.json == r.json; });
    BOOST_TEST((it != wide.end()));
  }
}

BOOST_AUTO_TEST_CASE(a_window_holds_exactly_the_records_inside_it_both_ends_included) {
  dataset d(options(), sim_start);
  auto all = d.records(101, {t0, t0 + 4h});
  BOOST_REQUIRE(all.size() > 100U);
  const auto& pick_hi = all[all.size() / 3];
  const auto& pick_lo = all[2 * all.size() / 3];
  const time_window w{pick_lo.time, pick_hi.time};
  auto inside = d.records(101, w);
  std::size_t expected = 0;
  for (const auto& r : all) expected += (r.time >= w.start && r.time <= w.end) ? 1 : 0;
  BOOST_TEST(inside.size() == expected);
  BOOST_TEST((inside.front().time == pick_hi.time));
  BOOST_TEST((inside.back().time == pick_lo.time));
  auto shrunk = d.records(101, {w.start + 1s, w.end - 1s});
  for (const auto& r : shrunk) BOOST_TEST((r.time > w.start && r.time < w.end));
  BOOST_TEST(shrunk.size() < inside.size());
}

BOOST_AUTO_TEST_CASE(records_are_time_descending_and_inside_the_data_set_span) {
  dataset d(options(), sim_start);
  auto all = d.records(101, {t0 - 1h, t0 + 49h});
  BOOST_REQUIRE(!all.empty());
  for (std::size_t i = 1; i < all.size(); ++i) BOOST_TEST((all[i - 1].time >= all[i].time));
  BOOST_TEST((all.front().time <= t0 + 48h));
  BOOST_TEST((all.back().time >= t0));
  // 48 h at 60 calls/h: about 2880
  BOOST_TEST(all.size() > 2500U);
  BOOST_TEST(all.size() < 3300U);
}

BOOST_AUTO_TEST_CASE(every_record_has_the_38_documented_keys_in_order_with_nulls) {
  auto o = options();
  o.null_fraction = 0.2;
  dataset d(o, sim_start);
  bool saw_null_mos = false;
  for (const auto& r : d.records(101, {t0, t0 + 2h})) {
    auto obj = boost::json::parse(r.json).as_object();
    BOOST_REQUIRE_EQUAL(obj.size(), documented_keys.size());
    std::size_t i = 0;
    for (const auto& kv : obj) BOOST_TEST(kv.key() == documented_keys[i++]);
    BOOST_TEST(obj.at("spid").is_null());
    BOOST_TEST(obj.at("billingId").is_null());
    saw_null_mos = saw_null_mos || obj.at("mos").is_null();
  }
  BOOST_TEST(saw_null_mos);
}

BOOST_AUTO_TEST_CASE(the_truth_is_what_a_parser_reads_from_the_served_json) {
  auto o = options();
  o.null_fraction = 0.1;
  o.unknown_fraction = 0.2;
  dataset d(o, sim_start);
  const auto* zone = voxo::api::find_zone("America/Chicago");
  std::size_t checked = 0;
  for (const auto& r : d.records(101, {t0, t0 + 3h})) {
    BOOST_REQUIRE(r.call.has_value());
    const auto& c = *r.call;
    auto obj = boost::json::parse(r.json).as_object();
    BOOST_TEST(obj.at("id").as_string() == c.id);
    BOOST_TEST((voxo::api::parse_record_time(obj.at("time").as_string(), zone) == c.time));
    BOOST_TEST((voxo::api::parse_direction(obj.at("direction").as_string()) == c.direction));
    BOOST_TEST((voxo::api::parse_disposition(obj.at("disposition").as_string()) == c.disposition));
    BOOST_TEST((number(obj, "duration") == c.duration));
    BOOST_TEST((number(obj, "afterAnswerDuration") == c.after_answer_duration));
    BOOST_TEST((number(obj, "percentJitter") == c.percent_jitter));
    BOOST_TEST((number(obj, "packetLoss") == c.packet_loss));
    BOOST_TEST((number(obj, "mos") == c.mos));
    BOOST_TEST((flag(obj, "recorded") == c.recorded));
    BOOST_TEST((flag(obj, "queueCall") == c.queue_call));
    BOOST_TEST((flag(obj, "isTollFree") == c.is_toll_free));
    BOOST_TEST((flag(obj, "isInternational") == c.is_international));
    ++checked;
  }
  BOOST_TEST(checked > 100U);
}

BOOST_AUTO_TEST_CASE(narrow_labels_until_keeps_earlier_calls_to_in_out_answered_no_answer) {
  using voxo::api::call_direction;
  using voxo::api::call_disposition;
  auto o = options();
  o.narrow_labels_until = t0 + 24h;
  const dataset narrow(o), wide(options());
  const auto before = narrow.truth(101, {t0, t0 + 24h - 1s});
  const auto after = narrow.truth(101, {t0 + 24h, t0 + 48h});
  BOOST_REQUIRE(before.size() > 1000U);
  std::set<call_direction> directions_before, directions_after;
  std::set<call_disposition> dispositions_before, dispositions_after;
  for (const auto& c : before) {
    directions_before.insert(c.direction);
    dispositions_before.insert(c.disposition);
  }
  for (const auto& c : after) {
    directions_after.insert(c.direction);
    dispositions_after.insert(c.disposition);
  }
  BOOST_TEST((directions_before == std::set{call_direction::in, call_direction::out}));
  BOOST_TEST((dispositions_before == std::set{call_disposition::answered, call_disposition::no_answer}));
  BOOST_TEST(directions_after.size() == 4U);    // in, out, local, internal
  BOOST_TEST(dispositions_after.size() == 5U);  // all but `other`
  // The same calls (ids, times), and from the switch on the very same records.
  const auto all_wide = wide.truth(101, {t0, t0 + 48h});
  BOOST_REQUIRE_EQUAL(before.size() + after.size(), all_wide.size());
  for (std::size_t i = 0; i < all_wide.size(); ++i) {
    const auto& n = i < after.size() ? after[i] : before[i - after.size()];
    BOOST_TEST(n.id == all_wide[i].id);
    if (i < after.size())
      BOOST_TEST((n.direction == all_wide[i].direction && n.disposition == all_wide[i].disposition));
  }
}

BOOST_AUTO_TEST_CASE(values_are_realistic) {
  dataset d(options(), sim_start);
  std::size_t answered = 0, total = 0, unmeasured = 0;
  for (const auto& c : d.truth(101, {t0, t0 + 24h})) {
    ++total;
    BOOST_REQUIRE(c.duration && c.after_answer_duration && c.mos && c.percent_jitter && c.packet_loss);
    if (c.disposition == voxo::api::call_disposition::answered) {
      ++answered;
      BOOST_TEST(*c.duration >= 10);
      BOOST_TEST(*c.duration <= 3600);
      BOOST_TEST(*c.after_answer_duration < *c.duration);
      if (*c.mos == 0) {
        ++unmeasured;
      } else {
        BOOST_TEST(*c.mos >= 4.0);
        BOOST_TEST(*c.mos <= 4.4);
        BOOST_TEST(*c.percent_jitter <= 2.0);
        BOOST_TEST(*c.packet_loss <= 0.5);
      }
    } else {
      BOOST_TEST(*c.duration <= 40);
      BOOST_TEST(*c.after_answer_duration == 0);
    }
  }
  BOOST_TEST(answered > total * 6 / 10);
  BOOST_TEST(answered < total * 8 / 10);
  BOOST_TEST(unmeasured > 0U);
}

BOOST_AUTO_TEST_CASE(invalid_records_are_served_but_not_in_the_truth) {
  auto o = options();
  o.invalid_fraction = 0.1;
  dataset d(o, sim_start);
  const time_window w{t0, t0 + 12h};
  auto recs = d.records(101, w);
  std::set<voxo::sim::record_flaw> flaws;
  for (const auto& r : recs)
    if (!r.valid) {
      flaws.insert(r.flaw);
      BOOST_TEST(!r.call.has_value());
      auto obj = boost::json::parse(r.json).as_object();
      if (r.flaw == voxo::sim::record_flaw::missing_id) BOOST_TEST(!obj.contains("id"));
      if (r.flaw == voxo::sim::record_flaw::wrong_type) BOOST_TEST(obj.at("duration").as_string() == "abc");
    }
  BOOST_TEST(flaws.size() == 5U);
  const auto invalid = d.invalid_count(101, w);
  BOOST_TEST(invalid > 0U);
  BOOST_TEST(d.truth(101, w).size() == recs.size() - invalid);
}

BOOST_AUTO_TEST_CASE(duplicates_are_served_twice_in_a_row_and_counted_once_in_the_truth) {
  auto o = options();
  o.duplicate_fraction = 0.1;
  dataset d(o, sim_start);
  const time_window w{t0, t0 + 6h};
  std::vector<std::string> served;
  d.for_each_served({101}, w, sim_start, false, [&](const generated_record& r) {
    served.push_back(r.json);
    return true;
  });
  const auto dups = d.duplicate_count(101, w);
  const auto truth = d.truth(101, w);
  BOOST_TEST(dups > 0U);
  BOOST_TEST(served.size() == truth.size() + dups);
  std::size_t adjacent = 0;
  for (std::size_t i = 1; i < served.size(); ++i) adjacent += served[i] == served[i - 1] ? 1 : 0;
  BOOST_TEST(adjacent == dups);
  std::set<std::string> ids;
  for (const auto& c : truth) ids.insert(c.id);
  BOOST_TEST(ids.size() == truth.size());
}

BOOST_AUTO_TEST_CASE(late_records_of_a_past_data_set_appear_after_the_simulator_starts) {
  auto o = options();
  o.late_fraction = 0.3;
  o.max_late = 300s;
  dataset d(o, sim_start);
  const time_window w{t0, t0 + 2h};
  std::size_t late = 0;
  for (const auto& r : d.records(101, w)) {
    if (!r.late) {
      BOOST_TEST((r.visible_at <= r.time + 60s));
      continue;
    }
    ++late;
    BOOST_TEST((r.visible_at >= sim_start));
    BOOST_TEST((r.visible_at <= sim_start + 300s));
  }
  BOOST_REQUIRE(late > 0U);
  auto served_count = [&](sys_seconds now) {
    std::size_t n = 0;
    d.for_each_served({101}, w, now, false, [&](const generated_record&) { return ++n, true; });
    return n;
  };
  BOOST_TEST(served_count(sim_start) < served_count(sim_start + 300s));
  BOOST_TEST(served_count(sim_start + 300s) == d.truth(101, w).size());
}

BOOST_AUTO_TEST_CASE(a_live_data_set_serves_nothing_from_the_future) {
  auto o = options();
  o.to.reset();
  dataset d(o, sim_start);
  const sys_seconds now = t0 + 5h;
  d.for_each_served({101}, {t0, t0 + 10h}, now, false, [&](const generated_record& r) {
    BOOST_TEST((r.visible_at <= now));
    return true;
  });
  BOOST_TEST(d.truth(101, {t0 + 9h, t0 + 10h}).size() > 0U);
}

BOOST_AUTO_TEST_CASE(a_quality_switch_changes_later_calls_only) {
  dataset d(options(), sim_start);
  const time_window w{t0, t0 + 4h};
  const auto before = d.truth(101, w);
  const sys_seconds cut = t0 + 2h;
  d.switch_quality(101, cut, voxo::sim::quality_profile::bad);
  const auto after = d.truth(101, w);
  BOOST_REQUIRE_EQUAL(before.size(), after.size());
  std::size_t bad = 0;
  for (std::size_t i = 0; i < after.size(); ++i) {
    BOOST_TEST(after[i].id == before[i].id);
    if (after[i].time < cut || *after[i].mos == 0) {
      BOOST_TEST(*after[i].mos == *before[i].mos);
    } else {
      ++bad;
      BOOST_TEST(*after[i].mos >= 2.5);
      BOOST_TEST(*after[i].mos <= 3.5);
      BOOST_TEST(*after[i].packet_loss >= 2.0);
    }
  }
  BOOST_TEST(bad > 0U);
  BOOST_TEST((d.quality_at(102, cut) == voxo::sim::quality_profile::good));
  BOOST_TEST(d.quality_switches().size() == 1U);
}

BOOST_AUTO_TEST_CASE(partner_wide_serving_merges_tenants_and_names_their_billing_code) {
  dataset d(options(), sim_start);
  const time_window w{t0, t0 + 1h};
  std::set<std::string> codes;
  sys_seconds prev = sys_seconds::max();
  std::size_t n = 0;
  d.for_each_served({101, 102}, w, sim_start, true, [&](const generated_record& r) {
    auto obj = boost::json::parse(r.json).as_object();
    codes.insert(std::string(obj.at("billingId").as_string()));
    BOOST_TEST((r.time <= prev));
    prev = r.time;
    return ++n, true;
  });
  BOOST_TEST(codes == (std::set<std::string>{"B101", "B102"}));
  BOOST_TEST(n == d.truth(101, w).size() + d.truth(102, w).size());
}

BOOST_AUTO_TEST_CASE(unknown_labels_are_served_and_normalise_to_other) {
  auto o = options();
  o.unknown_fraction = 0.3;
  dataset d(o, sim_start);
  std::set<std::string> directions;
  for (const auto& r : d.records(101, {t0, t0 + 3h}))
    directions.insert(std::string(boost::json::parse(r.json).as_object().at("direction").as_string()));
  BOOST_TEST(directions.contains("SIDEWAYS"));
  BOOST_TEST(directions.contains("in"));
  std::size_t other = 0;
  for (const auto& c : d.truth(101, {t0, t0 + 3h})) other += c.direction == voxo::api::call_direction::other ? 1 : 0;
  BOOST_TEST(other > 0U);
}

BOOST_AUTO_TEST_SUITE_END()
