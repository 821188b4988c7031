// Issue #13: the collector, through the real HTTP client, against an API that misbehaves on
// the wire (tests/support/hostile_api_server). Two tenants share one keep-alive connection.
// Whatever the API does to a reply, each tenant ends at exactly the simulator's truth: a
// broken reply is a failed poll (or an invalid record), and once the API behaves again the
// next polls recover every call, none counted twice or under the wrong tenant.

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <ostream>
#include <string>
#include <vector>

#include "api/http_api_client.hpp"
#include "collector_harness.hpp"
#include "support/hostile_api_server.hpp"
#include "support/temp_dir.hpp"

namespace voxo::test {
std::ostream& operator<<(std::ostream& os, hostile_mode m) { return os << name(m); }
}  // namespace voxo::test

namespace {
using namespace voxo;
using namespace voxo::test;
using std::chrono::minutes;
namespace data = boost::unit_test::data;

constexpr long long first_id = 101;
constexpr long long second_id = 102;

hostile_api_options api_options() {
  hostile_api_options o;
  o.data.seed = 13;
  o.data.tenants = {{first_id, "acme-first", "B101", 60}, {second_id, "acme-second", "B102", 60}};
  o.data.from = t0 - minutes(50);
  o.data.to = t0 - minutes(10);
  return o;
}

// The collector harness polling the hostile server through api::http_api_client, with one
// connection for both tenants (a stray byte left on it would reach the other tenant's reply).
struct rig {
  temp_dir dir;
  hostile_api_server api;
  collector_harness h;
  std::unique_ptr<api::api_client> client;
  const std::vector<long long> ids{first_id, second_id};

  explicit rig(std::chrono::milliseconds request_deadline = std::chrono::seconds(20)) : api(api_options()) {
    api::client_options o;
    o.url = api.base_url();
    o.email = "ops@example.com";
    o.password_file = dir.write("password", "s3cret-pa55word\n").string();
    o.timeout = std::chrono::seconds(5);
    o.max_connections = 1;
    h.cfg.collector.concurrency = 1;
    h.opts.request_deadline = request_deadline;
    client = api::make_http_api_client(h.ioc.get_executor(), o);
    h.client = client.get();
    for (auto id : ids) h.add_tenant(id);
  }
  ~rig() {
    if (h.c) {
      h.c->stop();
      h.ioc.restart();
      h.ioc.run_for(std::chrono::seconds(2));
      h.c.reset();
    }
  }

  std::chrono::sys_seconds window_end() const {
    return std::chrono::floor<std::chrono::seconds>(t0 - h.cfg.collector.delay);
  }
  bool recovered() {
    for (auto id : ids) {
      const auto label = std::to_string(id);
      const auto* t = h.c->find(label);
      if (!t || !t->watermark || *t->watermark != window_end() || h.value("voxo_up", {{"tenant", label}}) != 1)
        return false;
    }
    return true;
  }
  double total(const std::string& name, const std::map<std::string, std::string>& labels = {}) {
    return h.value(name, labels);
  }
  double truth(long long id) const {
    const api::time_window all{std::chrono::floor<std::chrono::seconds>(t0 - h.cfg.collector.lookback), window_end()};
    return static_cast<double>(api.data().truth(id, all).size());
  }
  // Recovered, then two more successful polls per tenant (re-reading the overlap).
  void run_to_the_end() {
    BOOST_TEST_REQUIRE(h.run_until([&] { return recovered(); }, std::chrono::seconds(20)));
    const double successes = total("voxo_collector_polls_total", {{"result", "success"}});
    BOOST_TEST_REQUIRE(h.run_until([&] {
      return total("voxo_collector_polls_total", {{"result", "success"}}) >= successes + 2 * ids.size();
    }));
  }
  void check_exact_totals() {
    for (auto id : ids) {
      const auto label = std::to_string(id);
      BOOST_TEST_CONTEXT("tenant " << label) {
        BOOST_TEST(truth(id) > 0);
        BOOST_TEST(total("voxo_calls_total", {{"tenant", label}}) == truth(id));
        BOOST_TEST(total("voxo_collector_records_total", {{"tenant", label}}) == truth(id));
        BOOST_TEST(total("voxo_collector_records_outside_window_total", {{"tenant", label}}) == 0);
      }
    }
  }
};

// Replies broken on the wire: each is a failed poll, and nothing is lost afterwards.
const std::vector<hostile_mode> failing_modes = {hostile_mode::long_content_length, hostile_mode::short_content_length,
                                                 hostile_mode::reset_mid_body};

}  // namespace

BOOST_AUTO_TEST_SUITE(collector_hostile_api)

BOOST_AUTO_TEST_CASE(a_second_response_after_each_body_never_moves_calls_to_the_other_tenant) {
  rig r;
  r.api.misbehave(hostile_mode::extra_response, 4);
  r.h.start();
  r.run_to_the_end();
  BOOST_TEST(r.api.misbehaved() == 4u);
  BOOST_TEST(r.total("voxo_collector_polls_total", {{"result", "failure"}}) == 0);
  r.check_exact_totals();
}

BOOST_DATA_TEST_CASE(a_reply_broken_on_the_wire_fails_its_poll_and_the_next_polls_recover_every_call,
                     data::make(failing_modes), mode) {
  rig r;
  r.api.misbehave(mode, 2);
  r.h.start();
  r.run_to_the_end();
  BOOST_TEST(r.api.misbehaved() == 2u);
  BOOST_TEST(r.total("voxo_collector_polls_total", {{"result", "failure"}}) >= 1);
  r.check_exact_totals();
}

BOOST_AUTO_TEST_CASE(a_reply_trickling_past_the_request_deadline_fails_its_poll_and_nothing_is_lost) {
  rig r(std::chrono::milliseconds(500));  // a reply of a few KB at a byte per 20 ms takes a minute
  r.api.misbehave(hostile_mode::trickle, 1);
  r.h.start();
  r.run_to_the_end();
  BOOST_TEST(r.api.misbehaved() == 1u);
  BOOST_TEST(r.total("voxo_collector_polls_total", {{"result", "failure"}}) >= 1);
  r.check_exact_totals();
}

// Before issue #13 a lone surrogate failed the whole reply as a syntax error (the tenant was
// stuck), and a 60 KB name against `acme.*` overflowed std::regex's recursion (SIGSEGV).

BOOST_AUTO_TEST_CASE(a_lone_surrogate_in_an_ignored_field_changes_nothing) {
  rig r;
  r.api.misbehave(hostile_mode::lone_surrogate_ignored, 1000);  // every reply, to the end
  r.h.start();
  r.run_to_the_end();
  BOOST_TEST(r.api.misbehaved() >= 2u);
  BOOST_TEST(r.total("voxo_collector_polls_total", {{"result", "failure"}}) == 0);
  BOOST_TEST(r.total("voxo_collector_invalid_records_total") == 0);
  r.check_exact_totals();
}

BOOST_AUTO_TEST_CASE(a_lone_surrogate_in_a_kept_field_makes_that_record_invalid_not_the_reply) {
  rig r;
  r.api.misbehave(hostile_mode::lone_surrogate_kept, 2);  // the first record of the first replies
  r.h.start();
  r.run_to_the_end();
  BOOST_TEST(r.api.misbehaved() == 2u);
  BOOST_TEST(r.total("voxo_collector_polls_total", {{"result", "failure"}}) == 0);
  BOOST_TEST(r.total("voxo_collector_invalid_records_total") == 2);
  // The newest record is in the overlap: the next polls read it whole and count it once.
  r.check_exact_totals();
}

BOOST_AUTO_TEST_CASE(huge_tenant_names_with_an_include_pattern_are_matched_without_a_crash) {
  rig r;
  r.h.cfg.tenants.clear();
  r.h.cfg.discovery.enabled = true;
  r.h.cfg.discovery.include = {"acme.*"};
  r.api.misbehave(hostile_mode::huge_tenant_names, 1000);
  r.h.start();
  r.run_to_the_end();
  BOOST_TEST(r.api.misbehaved() >= 1u);
  r.check_exact_totals();
}

BOOST_AUTO_TEST_SUITE_END()
