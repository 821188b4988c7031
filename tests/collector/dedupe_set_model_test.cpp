// dedupe_set against a plain std::map model: random inserts, lookups, prunes and absorbs on a
// mix of UUID ids (incl. the all-zero one), near-UUIDs and other ids must agree at every step.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <map>
#include <random>
#include <string>

#include "collector/dedupe_set.hpp"

namespace {
using namespace voxo;
using std::chrono::seconds;
using std::chrono::sys_seconds;
using model = std::map<std::string, sys_seconds>;

std::string id_of(unsigned n) {
  if (n % 11 == 0) return "00000000-0000-0000-0000-000000000000";
  if (n % 13 == 0) return "other-" + std::to_string(n);
  char text[40];
  if (n % 17 == 0) {  // UUID-shaped but uppercase: kept as text, never folded into lowercase
    std::snprintf(text, sizeof text, "%08X-ABCD-4000-8000-%012X", n, n * 3u);
    return text;
  }
  if (n % 19 == 0) {  // a non-hex digit / a misplaced dash
    std::snprintf(text, sizeof text, n % 2 ? "%08x-0000-4000-800g-%012x" : "%08x-00000-400-8000-%012x", n, n);
    return text;
  }
  std::snprintf(text, sizeof text, "%08x-0000-4000-8000-%012x", n % 7 == 0 ? 0u : n, n * 3u);
  return text;
}

void insert(model& m, const std::string& id, sys_seconds t) {
  if (auto [it, added] = m.try_emplace(id, t); !added && it->second < t) it->second = t;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(dedupe_set_model)

BOOST_AUTO_TEST_CASE(random_operations_agree_with_a_map) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 10; ++round) {
    collector::dedupe_set set;
    model m;
    for (int op = 0; op < 20000; ++op) {
      const auto id = id_of(static_cast<unsigned>(rng() % 3000));
      const sys_seconds t{seconds(rng() % 1000)};
      const auto what = rng() % 100;
      if (what < 70) {
        set.insert(id, t);
        insert(m, id, t);
      } else if (what < 98) {
        BOOST_REQUIRE_EQUAL(set.contains(id), m.contains(id));
      } else if (what < 99) {
        const auto dropped = set.prune_before(t);
        BOOST_REQUIRE_EQUAL(dropped, std::erase_if(m, [t](const auto& kv) { return kv.second < t; }));
      } else {
        collector::dedupe_set other;
        model other_model;
        for (int i = 0; i < 200; ++i) {
          const auto oid = id_of(static_cast<unsigned>(rng() % 3000));
          const sys_seconds ot{seconds(rng() % 1000)};
          other.insert(oid, ot);
          insert(other_model, oid, ot);
        }
        set.absorb(std::move(other));
        for (const auto& [oid, ot] : other_model) insert(m, oid, ot);
      }
      BOOST_REQUIRE_EQUAL(set.size(), m.size());
    }
    model dumped;
    set.for_each([&](const std::string& id, sys_seconds t) { dumped[id] = t; });
    BOOST_REQUIRE(dumped == m);
  }
}

BOOST_AUTO_TEST_SUITE_END()
