// dedupe_set against a plain std::map model: random inserts, lookups, prunes and absorbs on a
// mix of UUID ids (incl. the all-zero one), near-UUIDs and other ids must agree at every step,
// times and fingerprints included (the later time wins; a known fingerprint replaces).
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "collector/dedupe_set.hpp"

namespace {
using namespace voxo;
using std::chrono::seconds;
using std::chrono::sys_seconds;
using entry = collector::dedupe_set::entry;
using model = std::map<std::string, entry>;

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

// Fingerprints from a small space, 0 (unknown) among them.
collector::dedupe_set::fingerprint print_of(std::uint64_t r) { return static_cast<std::uint32_t>(r % 5); }

std::optional<entry> insert(model& m, const std::string& id, sys_seconds t, collector::dedupe_set::fingerprint p) {
  auto [it, added] = m.try_emplace(id, entry{t, p});
  if (added) return std::nullopt;
  const entry before = it->second;
  if (it->second.time < t) it->second.time = t;
  if (p != collector::dedupe_set::unknown_fingerprint) it->second.print = p;
  return before;
}
struct workload {
  int rounds;
  int ops;
  unsigned id_space;
  unsigned prune_per_10000;   // prune_before with a random cutoff
  unsigned absorb_per_10000;  // absorb a set of 200 random ids
};

void agree_with_a_map(const workload& w) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < w.rounds; ++round) {
    collector::dedupe_set set;
    model m;
    for (int op = 0; op < w.ops; ++op) {
      const auto id = id_of(static_cast<unsigned>(rng() % w.id_space));
      const sys_seconds t{seconds(rng() % 1000)};
      const auto what = rng() % 10000;
      if (what < w.prune_per_10000) {
        const auto dropped = set.prune_before(t);
        BOOST_REQUIRE_EQUAL(dropped, std::erase_if(m, [t](const auto& kv) { return kv.second.time < t; }));
      } else if (what < w.prune_per_10000 + w.absorb_per_10000) {
        collector::dedupe_set other;
        model other_model;
        for (int i = 0; i < 200; ++i) {
          const auto oid = id_of(static_cast<unsigned>(rng() % w.id_space));
          const sys_seconds ot{seconds(rng() % 1000)};
          const auto op = print_of(rng());
          other.insert(oid, ot, op);
          insert(other_model, oid, ot, op);
        }
        set.absorb(std::move(other));
        for (const auto& [oid, oe] : other_model) insert(m, oid, oe.time, oe.print);
      } else if (what < 6000) {
        const auto p = print_of(rng());
        set.insert(id, t, p);
        insert(m, id, t, p);
      } else if (what < 7000) {
        const auto p = print_of(rng());
        const auto before = set.upsert(collector::dedupe_set::make_key(id), {t, p});
        BOOST_REQUIRE(before == insert(m, id, t, p));
      } else if (what < 8000) {
        const auto p = print_of(rng());
        const bool added = set.insert_new(collector::dedupe_set::make_key(id), t, p);
        BOOST_REQUIRE_EQUAL(added, !m.contains(id));
        m.try_emplace(id, entry{t, p});
      } else {
        const auto key = collector::dedupe_set::make_key(id);
        BOOST_REQUIRE_EQUAL(set.contains(key), m.contains(id));
        const auto found = set.find(key);
        BOOST_REQUIRE(found.has_value() == m.contains(id));
        if (found) BOOST_REQUIRE(*found == m.at(id));
      }
      BOOST_REQUIRE_EQUAL(set.size(), m.size());
    }
    model dumped;
    set.for_each_view([&](std::string_view id, sys_seconds t, collector::dedupe_set::fingerprint p) {
      dumped[std::string(id)] = entry{t, p};
    });
    BOOST_REQUIRE(dumped == m);
  }
}
}  // namespace

BOOST_AUTO_TEST_SUITE(dedupe_set_model)

BOOST_AUTO_TEST_CASE(random_operations_agree_with_a_map) {
  agree_with_a_map({.rounds = 10, .ops = 20000, .id_space = 3000, .prune_per_10000 = 100, .absorb_per_10000 = 100});
}

// Past a few thousand UUIDs the table splits into segments that grow (and shrink after a
// prune) one by one: the same operations must still agree, across the split and back.
BOOST_AUTO_TEST_CASE(a_set_large_enough_to_split_into_segments_agrees_with_a_map) {
  agree_with_a_map({.rounds = 2, .ops = 120000, .id_space = 100000, .prune_per_10000 = 2, .absorb_per_10000 = 20});
}

// Times are kept in 32 bits: whatever is cut off, an id is never forgotten before its time.
BOOST_AUTO_TEST_CASE(an_id_is_never_forgotten_before_its_time_even_far_outside_1970_to_2106) {
  const std::string id = "2d275d62-0000-4000-8000-000000000001";
  for (const long long t : {-1'000'000'000LL, -1LL, 0LL, 4'294'967'295LL, 5'000'000'000LL}) {
    collector::dedupe_set set;
    set.insert(id, sys_seconds{seconds{t}});
    for (const long long cutoff : {-2'000'000'000LL, t - 1, t})
      if (cutoff <= t) {
        set.prune_before(sys_seconds{seconds{cutoff}});
        BOOST_TEST(set.contains(id), "time " << t << ", cutoff " << cutoff);
      }
  }
}

BOOST_AUTO_TEST_SUITE_END()
