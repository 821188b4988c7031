#include <boost/test/unit_test.hpp>

#include <vector>

#include "sim/command_line.hpp"

using namespace std::chrono_literals;
using voxo::sim::parse_sim_command_line;

namespace {

const std::chrono::sys_seconds now{std::chrono::seconds{1700000000}};

voxo::sim::sim_command parse(std::vector<const char*> args) {
  args.insert(args.begin(), "voxo_sim");
  return parse_sim_command_line(static_cast<int>(args.size()), args.data(), now);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sim_command_line)

BOOST_AUTO_TEST_CASE(defaults_are_a_live_day_of_three_tenants_on_loopback) {
  auto c = parse({});
  BOOST_REQUIRE(!c.exit);
  BOOST_TEST(c.options.listen_address == "127.0.0.1");
  BOOST_TEST(c.options.port == 0);
  BOOST_TEST(!c.options.tls);
  BOOST_REQUIRE_EQUAL(c.options.data.tenants.size(), 3U);
  BOOST_TEST(c.options.data.tenants[0].id == 101);
  BOOST_TEST(c.options.data.tenants[0].name == "tenant-101");
  BOOST_TEST(c.options.data.tenants[2].billing_code == "B103");
  BOOST_TEST((c.options.data.from == now - 24h));
  BOOST_TEST(!c.options.data.to.has_value());
  BOOST_TEST(c.options.token_lifetime.count() == 86400);
}

BOOST_AUTO_TEST_CASE(every_flag_reaches_the_options) {
  auto c = parse({"--listen-address",
                  "[::1]:8080",
                  "--tls",
                  "--ca-out",
                  "/tmp/ca.pem",
                  "--seed",
                  "9",
                  "--tenant-ids",
                  "37,42",
                  "--calls-per-hour",
                  "120",
                  "--from",
                  "2h",
                  "--to",
                  "1h",
                  "--late-fraction",
                  "0.1",
                  "--max-late",
                  "5m",
                  "--duplicate-fraction",
                  "0.2",
                  "--invalid-fraction",
                  "0.3",
                  "--unknown-fraction",
                  "0.4",
                  "--null-fraction",
                  "0.5",
                  "--faults",
                  "2:500",
                  "--email",
                  "a@b.c",
                  "--password",
                  "pw",
                  "--token",
                  "t1",
                  "--token",
                  "t2",
                  "--token-lifetime",
                  "90s",
                  "--record-timezone",
                  "UTC"});
  BOOST_REQUIRE_MESSAGE(!c.exit, c.output);
  const auto& o = c.options;
  BOOST_TEST(o.listen_address == "::1");
  BOOST_TEST(o.port == 8080);
  BOOST_TEST(o.tls);
  BOOST_TEST(c.ca_out == "/tmp/ca.pem");
  BOOST_TEST(o.data.seed == 9U);
  BOOST_REQUIRE_EQUAL(o.data.tenants.size(), 2U);
  BOOST_TEST(o.data.tenants[1].id == 42);
  BOOST_TEST(o.data.tenants[1].calls_per_hour == 120.0);
  BOOST_TEST((o.data.from == now - 2h));
  BOOST_TEST((*o.data.to == now - 1h));
  BOOST_TEST(o.data.late_fraction == 0.1);
  BOOST_TEST(o.data.max_late.count() == 300);
  BOOST_TEST(o.data.duplicate_fraction == 0.2);
  BOOST_TEST(o.data.invalid_fraction == 0.3);
  BOOST_TEST(o.data.unknown_fraction == 0.4);
  BOOST_TEST(o.data.null_fraction == 0.5);
  BOOST_TEST(o.faults.for_request(2).has_value());
  BOOST_TEST(o.email == "a@b.c");
  BOOST_TEST(o.password == "pw");
  BOOST_TEST(o.static_tokens == (std::vector<std::string>{"t1", "t2"}));
  BOOST_TEST(o.token_lifetime.count() == 90);
  BOOST_TEST(o.data.record_timezone == "UTC");
}

BOOST_AUTO_TEST_CASE(from_and_to_also_take_absolute_unix_seconds) {
  auto c = parse({"--from", "@1665378000", "--to", "@1665464400"});
  BOOST_REQUIRE_MESSAGE(!c.exit, c.output);
  BOOST_TEST(c.options.data.from.time_since_epoch().count() == 1665378000);
  BOOST_TEST(c.options.data.to->time_since_epoch().count() == 1665464400);
  BOOST_TEST(parse({"--from", "@"}).exit);
  BOOST_TEST(parse({"--from", "@12x"}).exit);
}

BOOST_AUTO_TEST_CASE(narrow_labels_until_takes_a_duration_ago_or_unix_seconds) {
  BOOST_TEST(!parse({}).options.data.narrow_labels_until.has_value());
  auto ago = parse({"--narrow-labels-until", "10m"});
  BOOST_REQUIRE_MESSAGE(!ago.exit, ago.output);
  BOOST_TEST((*ago.options.data.narrow_labels_until == now - 10min));
  auto at = parse({"--narrow-labels-until", "@1700000060"});
  BOOST_REQUIRE_MESSAGE(!at.exit, at.output);
  BOOST_TEST(at.options.data.narrow_labels_until->time_since_epoch().count() == 1700000060);
  auto bad = parse({"--narrow-labels-until", "soon"});
  BOOST_TEST(bad.exit);
  BOOST_TEST(bad.exit_code == 2);
  BOOST_TEST(bad.output.find("--narrow-labels-until") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(help_exits_0_and_documents_the_control_endpoints) {
  auto c = parse({"--help"});
  BOOST_TEST(c.exit);
  BOOST_TEST(c.exit_code == 0);
  BOOST_TEST(c.output.find("/_sim/quality") != std::string::npos);
  BOOST_TEST(c.output.find("/_sim/truth") != std::string::npos);
  BOOST_TEST(c.output.find("--faults") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_values_exit_2_with_a_message) {
  for (std::vector<const char*> bad : {std::vector<const char*>{"--faults", "3:teapot"},
                                       {"--from", "yesterday"},
                                       {"--listen-address", "nowhere"},
                                       {"--tenant-ids", "1,x"},
                                       {"--late-fraction", "1.5"},
                                       {"--ca-out", "x.pem"},
                                       {"--no-such-flag"},
                                       {"--from", "1h", "--to", "2h"}}) {
    auto c = parse(bad);
    BOOST_TEST_CONTEXT(bad[0]) {
      BOOST_TEST(c.exit);
      BOOST_TEST(c.exit_code == 2);
      BOOST_TEST(!c.output.empty());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
