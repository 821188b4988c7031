// A legitimate scraper under floods: idle, slow-header and kept-alive connections far over
// the connection cap, and wrong-password requests, all reconnecting when they are closed.

#include <boost/test/unit_test.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "flood_clients.hpp"
#include "http/basic_auth.hpp"
#include "test_client.hpp"

using namespace std::chrono_literals;
using voxo::http::server_options;
using voxo::http::test::basic_authorization;
using voxo::http::test::client;
using voxo::http::test::flood;
using voxo::http::test::flooder;
using voxo::http::test::response;
using voxo::http::test::running_server;

namespace {

// Enough descriptors for both ends of every flood connection (this process holds both).
bool enough_descriptors(rlim_t need) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
  if (limit.rlim_cur >= need) return true;
  limit.rlim_cur = std::min(need, limit.rlim_max);
  return setrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur >= need;
}

struct scrape_figures {
  int answered = 0;
  std::vector<double> latencies_ms;  // answered scrapes only, sorted

  double percentile(double p) const {
    if (latencies_ms.empty()) return 0;
    auto i = static_cast<std::size_t>(p * static_cast<double>(latencies_ms.size() - 1) + 0.5);
    return latencies_ms[std::min(i, latencies_ms.size() - 1)];
  }
};

// Scrapes like Prometheus: one kept-alive connection, and when the server closed it, one
// retry on a new connection (Go's transport retries an idempotent request so).
scrape_figures scrape(std::uint16_t port, const std::string& authorization, int scrapes,
                      std::chrono::milliseconds every) {
  scrape_figures out;
  std::optional<client<>> c;
  for (int i = 0; i < scrapes; ++i) {
    auto start = std::chrono::steady_clock::now();
    bool ok = false;
    for (int attempt = 0; attempt < 2 && !ok; ++attempt) {
      if (!c) {
        c.emplace();
        if (c->connect(port)) {
          c.reset();
          continue;
        }
      }
      response res;
      auto ec = c->request("/metrics", res, boost::beast::http::verb::get, authorization);
      ok = !ec && res.result_int() == 200;
      if (!ok) c.reset();
    }
    auto took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (ok) {
      ++out.answered;
      out.latencies_ms.push_back(took);
    }
    std::this_thread::sleep_for(every);
  }
  std::sort(out.latencies_ms.begin(), out.latencies_ms.end());
  return out;
}

}  // namespace

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
constexpr double p99_bound_ms = 2500.0;
#else
constexpr double p99_bound_ms = 250.0;
#endif

BOOST_AUTO_TEST_SUITE(flood_suite)

// 200 clients hold sockets (80 idle, 60 slow headers, 60 kept alive after one request) over a
// cap of 64, and 30 more send wrong passwords (bcrypt cost 10) without pause: every one of 100
// scrapes of a scraper that authenticated before is answered, quickly.
BOOST_AUTO_TEST_CASE(every_scrape_is_answered_while_200_clients_hold_sockets_and_30_send_wrong_passwords) {
  if (!enough_descriptors(1024)) {
    BOOST_TEST_MESSAGE("skipped: fewer than 1024 file descriptors allowed");
    return;
  }
  server_options options;  // the default cap (64 connections) and timeouts
  options.web.basic_auth_users["prometheus"] = voxo::http::bcrypt_hash(voxo::secret{"right"}, 10);
  running_server srv(options);
  const auto authorization = basic_authorization("prometheus", "right");
  auto before = scrape(srv.port(), authorization, 1, 0ms);  // Prometheus was scraping before the attack
  BOOST_REQUIRE(before.answered == 1);

  flood attack(
      srv.port(),
      {{flooder::idle, 80}, {flooder::slow_header, 60}, {flooder::kept_alive, 60}, {flooder::wrong_password, 30}});
  BOOST_REQUIRE(attack.wait_established());
  constexpr int scrapes = 100;
  auto figures = scrape(srv.port(), authorization, scrapes, 20ms);
  std::ostringstream report;
  report << "under flood: " << figures.answered << " of " << scrapes << " scrapes answered, p50 " << std::fixed
         << std::setprecision(1) << figures.percentile(0.5) << " ms, p99 " << figures.percentile(0.99) << " ms, max "
         << figures.percentile(1.0) << " ms; flood connections made: " << attack.connects()
         << ", wrong-password answers: " << attack.wrong_password_answers();
  BOOST_TEST_MESSAGE(report.str());
  BOOST_TEST(figures.answered == scrapes);
  // The target is p99 under 100 ms (bench/flood.py measures it on the binary: ~16 ms). The bound
  // here leaves 10x for a loaded CI machine, more under the sanitizers (ASan: p99 120-160 ms at
  // load average 5, single scrapes up to 0.7 s).
  BOOST_TEST(figures.percentile(0.99) < p99_bound_ms);
}

BOOST_AUTO_TEST_CASE(bcrypt_checks_beyond_the_bound_get_429_at_once) {
  server_options options;
  options.max_pending_auth_checks = 2;
  options.web.basic_auth_users["prometheus"] = voxo::http::bcrypt_hash(voxo::secret{"right"}, 12);  // ~0.25 s each
  running_server srv(options);
  constexpr int clients = 8;
  std::vector<client<>> guessers(clients);
  for (int i = 0; i < clients; ++i) {
    BOOST_REQUIRE(!guessers[i].connect(srv.port()));
    auto req = voxo::http::test::get_request("/metrics");
    req.set(boost::beast::http::field::authorization, basic_authorization("prometheus", "guess" + std::to_string(i)));
    BOOST_REQUIRE(!guessers[i].send(req));
  }
  int unauthorized = 0, too_many = 0;
  for (auto& g : guessers) {
    response res;
    BOOST_REQUIRE(!g.read(res));
    if (res.result_int() == 401) ++unauthorized;
    if (res.result_int() == 429) {
      ++too_many;
      BOOST_TEST(res[boost::beast::http::field::retry_after] == "1");
    }
  }
  BOOST_TEST(unauthorized + too_many == clients);
  BOOST_TEST(unauthorized >= 2);
  BOOST_TEST(too_many >= 3);  // 6 unless the server read the requests over half a second apart
}

BOOST_AUTO_TEST_SUITE_END()
