#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "config/cli.hpp"
#include "config/shard.hpp"

using namespace voxo::config;

namespace {
cli_result parse(std::vector<std::string> args) {
  args.insert(args.begin(), "voxo_exporter");
  std::vector<const char*> argv;
  for (auto& a : args) argv.push_back(a.c_str());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}
}  // namespace

BOOST_AUTO_TEST_SUITE(sharding)

BOOST_AUTO_TEST_CASE(every_tenant_belongs_to_exactly_one_of_n_replicas) {
  for (unsigned n : {1u, 2u, 3u, 7u}) {
    for (int id = 1; id <= 500; ++id) {
      int owners = 0;
      for (unsigned i = 0; i < n; ++i) owners += owns({i, n}, std::to_string(id)) ? 1 : 0;
      BOOST_TEST(owners == 1);
    }
  }
}

BOOST_AUTO_TEST_CASE(replicas_get_about_the_same_number_of_tenants) {
  std::map<unsigned, int> per_replica;
  for (int id = 1; id <= 3000; ++id) per_replica[jump_consistent_hash(tenant_hash(std::to_string(id)), 3)]++;
  for (auto& [replica, count] : per_replica) BOOST_TEST((count > 850 && count < 1150), replica << ": " << count);
}

BOOST_AUTO_TEST_CASE(going_from_three_to_four_replicas_moves_about_a_quarter_and_only_to_the_new_one) {
  int moved = 0;
  const int tenants = 3000;
  for (int id = 1; id <= tenants; ++id) {
    auto h = tenant_hash(std::to_string(id));
    auto before = jump_consistent_hash(h, 3), after = jump_consistent_hash(h, 4);
    if (before != after) {
      ++moved;
      BOOST_TEST(after == 3u);  // a tenant only ever moves to the new replica
    }
  }
  BOOST_TEST((moved > tenants / 4 - 150 && moved < tenants / 4 + 150), moved);
}

BOOST_AUTO_TEST_CASE(the_hash_is_stable_across_builds) {
  // Pinned values: changing the hash would reshuffle every deployed fleet.
  // (Values computed independently with a Python transcription of the algorithm.)
  BOOST_TEST(tenant_hash("") == 17665956581633026203ull);
  BOOST_TEST(tenant_hash("37") == 1910419685749479528ull);
  BOOST_TEST(jump_consistent_hash(tenant_hash("37"), 3) == 1u);
  BOOST_TEST(jump_consistent_hash(tenant_hash("42"), 3) == 1u);
  BOOST_TEST(jump_consistent_hash(tenant_hash("101"), 3) == 2u);
  BOOST_TEST(jump_consistent_hash(tenant_hash("1000"), 3) == 1u);
}

BOOST_AUTO_TEST_CASE(pod_ordinal_is_the_number_after_the_last_dash) {
  BOOST_TEST(pod_ordinal("voxo-exporter-2").value() == 2u);
  BOOST_TEST(pod_ordinal("voxo-exporter-10").value() == 10u);
  BOOST_TEST(!pod_ordinal("voxo-exporter").has_value());
  BOOST_TEST(!pod_ordinal("voxo-exporter-").has_value());
  BOOST_TEST(!pod_ordinal("voxo-exporter-2a").has_value());
}

BOOST_AUTO_TEST_CASE(shard_flags_are_parsed_and_checked) {
  auto ok = parse({"--shard.count=3", "--shard.index=2"});
  BOOST_TEST(!ok.exit);
  BOOST_TEST(ok.options.shard.count == 3u);
  BOOST_TEST(ok.options.shard.index == 2u);
  BOOST_TEST(parse({"--shard.count=3", "--shard.index=3"}).exit_code == 2);
  BOOST_TEST(parse({"--shard.count=0"}).exit_code == 2);
  BOOST_TEST(parse({"--shard.count=2", "--shard.index=-1"}).exit_code == 2);
}

BOOST_AUTO_TEST_CASE(shard_index_defaults_to_the_statefulset_ordinal_of_the_pod_name) {
  ::setenv("POD_NAME", "voxo-exporter-1", 1);
  auto r = parse({"--shard.count=3"});
  ::unsetenv("POD_NAME");
  BOOST_TEST(!r.exit);
  BOOST_TEST(r.options.shard.index == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
