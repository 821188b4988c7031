// collector.state_file across restarts and config reloads: every counter goes on from where
// it was, a window applied after the last save is fetched again and counted once, a bad file
// means a fresh start, and tenants added to or removed from the config are handled.

#include <boost/test/unit_test.hpp>

#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "collector/state_file.hpp"
#include "state_harness.hpp"
#include "support/capture_stderr.hpp"

namespace {
using namespace voxo;
using namespace voxo::test;
using std::chrono::hours;
using std::chrono::minutes;

std::vector<collector::tenant_snapshot> saved(const std::string& path) {
  auto parsed = collector::parse_state(read(path));
  BOOST_REQUIRE(parsed.has_value());
  return *parsed;
}

const collector::tenant_snapshot* find(const std::vector<collector::tenant_snapshot>& s, const std::string& label) {
  for (const auto& t : s)
    if (t.label == label) return &t;
  return nullptr;
}

// Every voxo_calls_total and voxo_collector_* counter series of the scrape.
// The tenants' counters (the process-wide state file write counter starts again at 0).
series_map counters(collector_harness& h) {
  series_map out;
  for (const auto& [k, v] : h.series())
    if (k.starts_with("voxo_calls_total") ||
        (k.starts_with("voxo_collector_") && k.find("_total") != std::string::npos &&
         k.find("tenant=") != std::string::npos) ||
        k.starts_with("voxo_collector_request_duration_seconds"))
      out[k] = v;
  return out;
}

// The collector before a reload: tenant 37, every request answered with calls a and b,
// stopped after `n` polls.
void poll_then_stop(collector_harness& h, double n) {
  h.add_tenant(37);
  fake_reply r;
  r.items = {make_cdr("a", t0 - minutes(10)), make_cdr("b", t0 - minutes(5))};
  h.api.set_default(r);
  h.start();
  BOOST_TEST_REQUIRE(h.run_until([&] { return polls(h, "37") >= n; }));
  h.c->stop();
}

// Lets the cancelled coroutines of `c` (not the harness's own) finish before it goes.
void stop_and_drain(collector_harness& h, collector::collector& c) {
  c.stop();
  h.ioc.restart();
  h.ioc.run_for(std::chrono::milliseconds(200));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(state_restore)

BOOST_FIXTURE_TEST_CASE(the_collectors_own_counters_go_on_from_their_saved_values_after_a_restart, state_file_dir) {
  series_map before;
  {
    state_harness h(path);
    fake_reply failing;
    failing.error = api::api_error{api::api_errc::http_status, 500, std::nullopt, "boom"};
    fake_reply good;
    good.items = {make_cdr("a", t0 - minutes(10)), make_cdr("a", t0 - minutes(10)), fake_invalid{},
                  make_cdr("b", t0 - minutes(5))};
    h.api.script("37", 0, failing);
    h.api.script("37", 1, good);
    h.start();
    BOOST_TEST_REQUIRE(h.run_until([&] { return polls(h, "37") >= 2; }));
    h.c->stop();  // saves
    before = counters(h);
  }
  BOOST_TEST(sum_series(before, "voxo_collector_records_total", {{"tenant", "37"}}) == 2);
  BOOST_TEST(sum_series(before, "voxo_collector_requests_total", {{"tenant", "37"}, {"code", "500"}}) == 1);

  state_harness h(path);
  fake_reply stuck;  // nothing new happens after the restart
  stuck.delay = hours(1);
  h.api.set_default(stuck);
  h.start();
  const auto after = counters(h);
  for (const auto& [key, value] : before) {
    BOOST_TEST_CONTEXT(key) {
      BOOST_TEST_REQUIRE(after.count(key) == 1u);
      BOOST_TEST(after.at(key) == value);
    }
  }
}

BOOST_FIXTURE_TEST_CASE(a_window_applied_after_the_last_save_is_not_shown_and_after_a_crash_is_counted_once,
                        state_file_dir) {
  std::string crash_image;
  {
    state_harness h(path, {make_cdr("a", t0 - minutes(10))});
    h.opts.state_save_every = hours(1);  // after the first save, nothing is written again
    fake_reply second;
    second.items = {make_cdr("a", t0 - minutes(10)), make_cdr("b", t0 - minutes(5))};
    h.api.script("37", 1, second);
    h.start();
    // Counted...
    BOOST_TEST_REQUIRE(h.run_until([&] { return h.c->find("37")->metrics->totals().total_calls() == 2u; }));
    BOOST_TEST(h.value("voxo_calls_total", {{"tenant", "37"}}) == 1);  // ...but shown only once saved
    crash_image = read(path);  // what a kill -9 now would leave: the state after poll 1 only
  }
  const auto image = collector::parse_state(crash_image);
  BOOST_TEST_REQUIRE(image.has_value());
  BOOST_TEST((*image)[0].totals.total_calls() == 1u);
  std::filesystem::remove(path);
  std::ofstream(path, std::ios::binary) << crash_image;

  // poll 2's window again, plus a new call
  state_harness h(path, {make_cdr("a", t0 - minutes(10)), make_cdr("b", t0 - minutes(5)), make_cdr("c", t0)});
  h.wall = t0 + minutes(3);
  h.start();
  BOOST_TEST_REQUIRE(h.run_until([&] { return polls(h, "37") >= 2; }));  // 1 restored + 1 new
  BOOST_TEST(h.value("voxo_calls_total", {{"tenant", "37"}}) == 3);
  BOOST_TEST(h.value("voxo_collector_records_total", {{"tenant", "37"}}) == 3);
}

BOOST_FIXTURE_TEST_CASE(the_state_is_written_after_applied_windows_without_waiting_for_a_stop, state_file_dir) {
  state_harness h(path, {make_cdr("a", t0 - minutes(10))});
  h.start();
  BOOST_TEST_REQUIRE(h.run_until([&] { return std::filesystem::exists(path); }));
  const auto s = saved(path);
  BOOST_TEST_REQUIRE(find(s, "37") != nullptr);
  BOOST_TEST((find(s, "37")->watermark == t0 - minutes(2)));
  BOOST_TEST(find(s, "37")->counts.records == 1u);
  BOOST_TEST(((std::filesystem::status(path).permissions() & std::filesystem::perms::others_read) ==
              std::filesystem::perms::none));
}

BOOST_AUTO_TEST_CASE(a_corrupt_truncated_or_foreign_file_gives_one_log_line_and_a_fresh_start_from_lookback) {
  collector::tenant_snapshot snap;
  snap.label = "37";
  snap.watermark = t0 - hours(5);
  const auto valid = collector::serialize_state({snap});
  for (const auto& content : {std::string("\x01\x02garbage"), valid.substr(0, valid.size() / 2),
                              std::string(R"({"groups":[{"name":"voxo","rules":[]}]})"), std::string()}) {
    BOOST_TEST_CONTEXT("content: " << content) {
      temp_dir dir;
      const auto path = dir.write("state.json", content).string();
      capture_stderr err;
      {
        state_harness h(path);
        h.start();
        BOOST_TEST_REQUIRE(h.run_until([&] { return polls(h, "37") >= 1; }));
        BOOST_TEST((h.api.calls_of("37")[0].window.start == t0 - hours(1)));  // lookback, not the old watermark
      }
      const auto log = err.text();
      std::size_t lines = 0;
      for (std::size_t at = log.find("state file refused"); at != std::string::npos;
           at = log.find("state file refused", at + 1))
        ++lines;
      BOOST_TEST(lines == 1u, log);
      std::size_t aside = 0;
      for (const auto& e : std::filesystem::directory_iterator(dir.path()))
        aside += e.path().filename().string().starts_with("state.json.corrupt-");
      BOOST_TEST(aside == 1u);
      BOOST_TEST(saved(path).size() == 1u);  // a fresh, valid state replaced it
    }
  }
}

BOOST_FIXTURE_TEST_CASE(tenants_added_to_or_removed_from_the_config_are_handled, state_file_dir) {
  auto run = [&](std::vector<long long> tenants, const std::function<void(collector_harness&)>& check) {
    collector_harness h;
    h.cfg.collector.state_file = path;
    for (auto id : tenants) h.add_tenant(id);
    fake_reply r;
    r.items = {make_cdr("x", t0 - minutes(10))};
    h.api.set_default(r);
    h.start();
    BOOST_TEST_REQUIRE(h.run_until([&] {  // (restored poll counters say nothing about this run)
      for (auto id : tenants)
        if (!h.c->find(std::to_string(id))->last_success) return false;
      return h.c->published();
    }));
    check(h);
    h.c->stop();
  };
  run({37, 42}, [](collector_harness&) {});
  run({42, 99}, [](collector_harness& h) {
    BOOST_TEST((h.api.calls_of("42")[0].window.start == t0 - minutes(2) - minutes(15)));  // resumed
    BOOST_TEST((h.api.calls_of("99")[0].window.start == t0 - hours(1)));                  // new: lookback
    BOOST_TEST(h.value("voxo_calls_total", {{"tenant", "42"}}) == 1);
    BOOST_TEST(h.value("voxo_calls_total", {{"tenant", "99"}}) == 1);
    BOOST_TEST(h.series().count(series_key("voxo_up", {{"tenant", "37"}})) == 0u);  // not polled
  });
  BOOST_TEST(find(saved(path), "37") != nullptr);  // kept for when it comes back
  run({37}, [](collector_harness& h) {
    BOOST_TEST((h.api.calls_of("37")[0].window.start == t0 - minutes(2) - minutes(15)));
    BOOST_TEST(h.value("voxo_calls_total", {{"tenant", "37"}}) == 1);  // its call is not counted again
    BOOST_TEST(h.value("voxo_collector_duplicate_records_total", {{"tenant", "37"}}) == 1);
  });
}

BOOST_FIXTURE_TEST_CASE(the_state_of_a_tenant_another_shard_owns_now_is_dropped_so_it_never_resumes_from_it,
                        state_file_dir) {
  const config::shard_config two{0, 2};
  // One tenant this shard keeps and one another shard takes over.
  std::string kept, moved;
  for (int id = 1; kept.empty() || moved.empty(); ++id) {
    auto label = std::to_string(id);
    (config::owns(two, label) ? kept : moved) = label;
  }
  auto run = [&](config::shard_config shard, std::vector<std::string> tenants,
                 const std::function<void(collector_harness&)>& check) {
    collector_harness h;
    h.cfg.collector.state_file = path;
    h.cfg.shard = shard;
    for (const auto& id : tenants) h.add_tenant(std::stoll(id));
    fake_reply r;
    r.items = {make_cdr("x", t0 - minutes(10))};
    h.api.set_default(r);
    h.start();
    BOOST_TEST_REQUIRE(h.run_until([&] {
      for (const auto& id : tenants)
        if (!h.c->find(id)->last_success) return false;
      return true;
    }));
    check(h);
    h.c->stop();
  };
  run({}, {kept, moved}, [](collector_harness&) {});  // unsharded: both saved
  run(two, {kept}, [&](collector_harness& h) {        // 2 replicas: `moved` is elsewhere
    BOOST_TEST((h.api.calls_of(kept)[0].window.start == t0 - minutes(2) - minutes(15)));  // resumed
  });
  BOOST_TEST(find(saved(path), kept) != nullptr);
  BOOST_TEST(find(saved(path), moved) == nullptr);    // dropped: the other replica counted it since
  run({}, {kept, moved}, [&](collector_harness& h) {  // back to one replica
    BOOST_TEST((h.api.calls_of(moved)[0].window.start == t0 - hours(1)));  // lookback, not the old watermark
  });
}

// One tenant with one call, its state saved to `path` every 10 ms (the save-failure tests).
void start_saving_to(collector_harness& h, const std::filesystem::path& path) {
  h.cfg.collector.state_file = path.string();
  h.opts.state_save_every = std::chrono::milliseconds(10);
  h.add_tenant(37);
  fake_reply r;
  r.items = {make_cdr("a", t0 - minutes(10))};
  h.api.set_default(r);
  h.start();
}

BOOST_AUTO_TEST_CASE(a_state_file_that_cannot_be_written_is_logged_once_counted_and_withholds_the_counts) {
  temp_dir dir;
  capture_stderr err;
  {
    collector_harness h;
    start_saving_to(h, dir.path() / "missing-folder" / "state.json");
    BOOST_TEST(h.run_until([&] { return h.api.calls_of("37").size() >= 5; }));
    // Collection goes on, but nothing unsaved is shown: a restart would resume below it.
    BOOST_TEST(h.c->find("37")->metrics->totals().total_calls() == 1u);
    BOOST_TEST(h.value("voxo_calls_total", {{"tenant", "37"}}) == 0);
    BOOST_TEST(polls(h, "37") == 0);
    BOOST_TEST(h.value("voxo_exporter_state_save_failures_total", {}) >= 1);
    BOOST_TEST(h.value("voxo_exporter_state_saves_total", {}) ==
               h.value("voxo_exporter_state_save_failures_total", {}));
    BOOST_TEST(h.value("voxo_exporter_state_last_save_success_timestamp_seconds", {}) == 0);
  }
  const auto log = err.text();
  std::size_t errors = 0;  // at level error; the repeats go to debug
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);)
    errors +=
        line.find("level=error") != std::string::npos && line.find("cannot write the state file") != std::string::npos;
  BOOST_TEST(errors == 1u, log);
}

// A small tmpfs, mounted for the life of the object when the test runs as root (CI does).
class small_tmpfs {
 public:
  explicit small_tmpfs(const std::filesystem::path& at) : at_(at) {
    std::filesystem::create_directory(at_);
    mounted_ = ::geteuid() == 0 && ::mount("tmpfs", at_.c_str(), "tmpfs", 0, "size=256k") == 0;
  }
  ~small_tmpfs() {
    if (mounted_) ::umount2(at_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  void make_read_only() const {
    BOOST_REQUIRE(::mount("tmpfs", at_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, "size=256k") == 0);
  }
  // Writes a file until the disk is full.
  void fill(const std::string& name) const {
    std::ofstream out(at_ / name, std::ios::binary);
    const std::string block(4096, 'x');
    while (out.write(block.data(), static_cast<std::streamsize>(block.size())) && out.flush()) {
    }
  }

 private:
  std::filesystem::path at_;
  bool mounted_ = false;
};

BOOST_AUTO_TEST_CASE(a_full_disk_fails_saves_visibly_withholds_counts_and_recovers_when_space_returns) {
  temp_dir dir;
  small_tmpfs disk(dir.path() / "disk");
  if (!disk.mounted()) {
    BOOST_TEST_MESSAGE("skipped: mounting a tmpfs needs root");
    return;
  }
  disk.fill("filler");
  collector_harness h;
  start_saving_to(h, dir.path() / "disk" / "state.json");
  BOOST_TEST_REQUIRE(h.run_until([&] { return h.value("voxo_exporter_state_save_failures_total", {}) >= 2; }));
  BOOST_TEST(h.value("voxo_calls_total", {{"tenant", "37"}}) == 0);  // counted, not yet durable: not shown
  BOOST_TEST(h.value("voxo_exporter_state_last_save_success_timestamp_seconds", {}) == 0);

  std::filesystem::remove(dir.path() / "disk" / "filler");
  BOOST_TEST_REQUIRE(h.run_until([&] { return h.value("voxo_calls_total", {{"tenant", "37"}}) == 1; }));
  BOOST_TEST(h.value("voxo_exporter_state_last_save_success_timestamp_seconds", {}) > 0);
  BOOST_TEST(h.value("voxo_exporter_state_saves_total", {}) > h.value("voxo_exporter_state_save_failures_total", {}));
  h.c->stop();
}

BOOST_AUTO_TEST_CASE(a_disk_remounted_read_only_fails_saves_visibly_and_keeps_what_was_shown) {
  temp_dir dir;
  small_tmpfs disk(dir.path() / "disk");
  if (!disk.mounted()) {
    BOOST_TEST_MESSAGE("skipped: mounting a tmpfs needs root");
    return;
  }
  collector_harness h;
  start_saving_to(h, dir.path() / "disk" / "state.json");
  BOOST_TEST_REQUIRE(h.run_until([&] { return h.value("voxo_calls_total", {{"tenant", "37"}}) == 1; }));
  disk.make_read_only();
  fake_reply more;
  more.items = {make_cdr("a", t0 - minutes(10)), make_cdr("b", t0 - minutes(9))};
  h.api.set_default(more);
  BOOST_TEST_REQUIRE(h.run_until([&] { return h.value("voxo_exporter_state_save_failures_total", {}) >= 2; }));
  BOOST_TEST(h.c->find("37")->metrics->totals().total_calls() == 2u);  // collected ...
  BOOST_TEST(h.value("voxo_calls_total", {{"tenant", "37"}}) == 1);    // ... but not shown unsaved
  BOOST_TEST(h.value("voxo_exporter_state_last_save_success_timestamp_seconds", {}) > 0);
  h.c->stop();
}

BOOST_AUTO_TEST_CASE(a_reload_carries_the_state_over_without_moving_any_counter_or_readiness) {
  collector_harness h;
  poll_then_stop(h, 2);
  const auto before = counters(h);
  auto state = h.c->snapshot();
  h.ioc.restart();
  h.ioc.run_for(std::chrono::milliseconds(200));
  BOOST_TEST_REQUIRE(h.c->running() == 0u);

  auto opts = h.opts;
  opts.spread_first_polls = false;
  auto next_cfg = h.cfg;
  next_cfg.tenants.push_back({api::tenant_scope{42}, "42", ""});
  collector::collector next(h.ioc.get_executor(), h.api, h.metrics, next_cfg, opts);
  next.start(std::move(state));
  h.ioc.restart();
  const auto after = counters(h);
  for (const auto& [key, value] : before) BOOST_TEST((after.count(key) == 1u && after.at(key) == value), key);
  BOOST_TEST(h.value("voxo_up", {{"tenant", "37"}}) == 1);
  BOOST_TEST(next.find("37")->succeeded_once);
  const auto asked = h.api.calls_of("37").size();
  const auto polled = polls(h, "37");
  BOOST_TEST_REQUIRE(h.run_until([&] { return polls(h, "37") > polled && polls(h, "42") >= 1; }));
  BOOST_TEST(h.value("voxo_calls_total", {{"tenant", "37"}}) == 2);  // same calls again: duplicates
  BOOST_TEST(h.value("voxo_calls_total", {{"tenant", "42"}}) == 2);  // the added tenant
  BOOST_TEST((h.api.calls_of("37")[asked].window.start == t0 - minutes(2) - minutes(15)));
  stop_and_drain(h, next);
}

BOOST_AUTO_TEST_CASE(a_reload_moves_the_ids_over_and_the_new_collector_still_knows_every_call) {
  collector_harness h;
  poll_then_stop(h, 1);
  BOOST_TEST(h.c->snapshot()[0].ids.size() == 2u);  // a copy: the collector keeps its own
  BOOST_TEST(h.c->find("37")->seen.size() == 2u);
  auto state = h.c->take_state();
  BOOST_TEST_REQUIRE(state.size() == 1u);
  BOOST_TEST(state[0].ids.contains(make_cdr("a", t0).id));
  BOOST_TEST(state[0].ids.size() == 2u);
  BOOST_TEST(h.c->find("37")->seen.size() == 0u);  // moved out, not copied
  h.ioc.restart();
  h.ioc.run_for(std::chrono::milliseconds(200));
  BOOST_TEST_REQUIRE(h.c->running() == 0u);

  auto opts = h.opts;
  opts.spread_first_polls = false;
  collector::collector next(h.ioc.get_executor(), h.api, h.metrics, h.cfg, opts);
  next.start(std::move(state));
  BOOST_TEST(next.find("37")->seen.size() == 2u);
  const auto polled = polls(h, "37");
  h.ioc.restart();
  BOOST_TEST_REQUIRE(h.run_until([&] { return polls(h, "37") > polled; }));
  BOOST_TEST(h.value("voxo_calls_total", {{"tenant", "37"}}) == 2);  // the same calls: duplicates
  stop_and_drain(h, next);
}

BOOST_FIXTURE_TEST_CASE(a_save_writes_the_live_ids_and_pending_tenants_and_they_load_back, state_file_dir) {
  {
    collector::tenant_snapshot gone;  // in the file, not in the config: kept
    gone.label = "99";
    gone.watermark = t0 - hours(1);
    gone.ids.insert("kept-id", t0);
    const auto written = collector::write_state_file(path, collector::serialize_state({gone}));
    BOOST_TEST_REQUIRE(written.has_value(), written.error());
  }
  state_harness h(path, {make_cdr("a", t0 - minutes(10)), make_cdr("b", t0 - minutes(5))});
  h.start();
  BOOST_TEST_REQUIRE(h.run_until([&] { return polls(h, "37") >= 1; }));
  h.c->stop();
  const auto s = saved(path);
  BOOST_TEST_REQUIRE(find(s, "37") != nullptr);
  BOOST_TEST(find(s, "37")->ids.size() == 2u);
  BOOST_TEST(find(s, "37")->ids.contains(make_cdr("b", t0).id));
  BOOST_TEST_REQUIRE(find(s, "99") != nullptr);
  BOOST_TEST(find(s, "99")->ids.contains("kept-id"));
  BOOST_TEST((find(s, "99")->watermark == t0 - hours(1)));
}

BOOST_FIXTURE_TEST_CASE(once_the_state_was_taken_for_a_reload_a_save_leaves_the_file_alone, state_file_dir) {
  state_harness h(path, {make_cdr("a", t0 - minutes(10))});
  h.start();
  BOOST_TEST_REQUIRE(h.run_until([&] { return polls(h, "37") >= 1; }));
  h.c->stop();
  const auto before = read(path);
  BOOST_TEST_REQUIRE(find(saved(path), "37")->ids.size() == 1u);
  const auto state = h.c->take_state();
  BOOST_TEST(h.c->save_state());
  BOOST_TEST(read(path) == before);  // not overwritten by a collector whose ids are gone
}

BOOST_AUTO_TEST_SUITE_END()
