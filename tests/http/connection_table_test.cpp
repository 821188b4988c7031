#include <boost/test/unit_test.hpp>

#include <boost/asio/ip/address.hpp>

#include <string>
#include <vector>

#include "http/connection_table.hpp"

using namespace std::chrono_literals;
using voxo::http::detail::client_key_of;
using voxo::http::detail::connection_phase;
using voxo::http::detail::connection_table;

namespace {

auto key(const char* address) { return client_key_of(boost::asio::ip::make_address(address)); }

const connection_table::clock::time_point t0{};

// A table whose close functions record which connection was closed.
struct recorded_table {
  connection_table table;
  std::vector<std::string> closed;

  connection_table::id add(const std::string& name, const char* address, connection_table::clock::time_point at) {
    return table.add(
        key(address), [this, name] { closed.push_back(name); }, at);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(connection_table_suite)

BOOST_AUTO_TEST_CASE(the_connection_waiting_longest_is_evicted_first) {
  recorded_table t;
  t.add("old", "10.0.0.1", t0);
  t.add("new", "10.0.0.1", t0 + 5s);
  auto served = t.add("served", "10.0.0.1", t0);
  t.table.set_phase(served, connection_phase::writing, t0 + 1s);
  t.table.set_phase(served, connection_phase::waiting, t0 + 9s);  // idle again since 9 s: the newest wait
  BOOST_REQUIRE(t.table.evict_one(t0 + 10s));
  BOOST_REQUIRE(t.table.evict_one(t0 + 10s));
  BOOST_TEST(t.closed == (std::vector<std::string>{"old", "new"}));
  BOOST_TEST(t.table.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_connection_being_answered_is_never_evicted) {
  recorded_table t;
  auto a = t.add("a", "10.0.0.1", t0);
  t.table.set_phase(a, connection_phase::answering, t0);
  BOOST_TEST(!t.table.evict_one(t0 + 1h));
  BOOST_TEST(t.closed.empty());
}

BOOST_AUTO_TEST_CASE(a_write_is_evicted_only_once_it_stalls_and_after_waiting_ones) {
  recorded_table t;
  auto writer = t.add("writer", "10.0.0.1", t0);
  t.table.set_phase(writer, connection_phase::writing, t0);
  BOOST_TEST(!t.table.evict_one(t0 + 500ms));  // within the 1 s stall allowance
  t.add("idle", "10.0.0.1", t0 + 2s);
  BOOST_REQUIRE(t.table.evict_one(t0 + 3s));
  BOOST_REQUIRE(t.table.evict_one(t0 + 3s));
  BOOST_TEST(t.closed == (std::vector<std::string>{"idle", "writer"}));
}

BOOST_AUTO_TEST_CASE(the_client_holding_most_connections_gives_one_up_first) {
  recorded_table t;
  t.add("scraper", "192.0.2.7", t0);  // idle longest, but its client holds one connection
  t.add("flood-1", "10.0.0.1", t0 + 1s);
  t.add("flood-2", "10.0.0.1", t0 + 2s);
  BOOST_REQUIRE(t.table.evict_one(t0 + 3s));
  BOOST_TEST(t.closed == (std::vector<std::string>{"flood-1"}));
}

BOOST_AUTO_TEST_CASE(a_removed_connection_is_not_closed_and_counts_no_more) {
  recorded_table t;
  auto gone = t.add("gone", "10.0.0.1", t0);
  t.add("stays", "192.0.2.7", t0 + 1s);
  t.table.remove(gone);
  t.table.remove(gone);  // twice: no-op
  BOOST_REQUIRE(t.table.evict_one(t0 + 2s));
  BOOST_TEST(t.closed == (std::vector<std::string>{"stays"}));
  BOOST_TEST(!t.table.evict_one(t0 + 2s));
}

BOOST_AUTO_TEST_CASE(close_all_closes_every_connection) {
  recorded_table t;
  t.add("a", "10.0.0.1", t0);
  auto b = t.add("b", "10.0.0.2", t0);
  t.table.set_phase(b, connection_phase::answering, t0);
  t.table.close_all();
  BOOST_TEST(t.closed.size() == 2u);
  BOOST_TEST(t.table.size() == 0u);
}

BOOST_AUTO_TEST_CASE(client_keys_group_v4_mapped_addresses_and_ipv6_by_64) {
  BOOST_TEST((key("::ffff:10.0.0.1") == key("10.0.0.1")));
  BOOST_TEST((key("10.0.0.1") != key("10.0.0.2")));
  BOOST_TEST((key("2001:db8:1:2::1") == key("2001:db8:1:2:ffff::9")));
  BOOST_TEST((key("2001:db8:1:2::1") != key("2001:db8:1:3::1")));
  BOOST_TEST((key("::a00:1") != key("10.0.0.1")));  // IPv4-compatible is not IPv4-mapped
}

BOOST_AUTO_TEST_SUITE_END()
