#pragma once
// The simulator's call data: deterministic, seeded, produced on demand.
//
// Every call is a pure function of (seed, tenant id, minute, index in that minute) through a
// counter-based hash, so any window can be produced without storing anything, and the same
// call always has the same id and content. The only state is the list of quality switches.
//
// A call exists when its time is in [from, to] (to = none: live, no upper bound; the server
// only serves what is visible, so future calls are never served). It is served by
// GET /call-reports once `now >= visible_at`.
//
// Ground truth for tests: truth() is what an exporter must count eventually: every unique valid
// call with time in the window, whether visible yet or not. Invalid records and the second copy
// of a duplicated record are never part of it.
//
// Thread safety: every const member may be called from any thread while the simulator serves.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/call_reports_query.hpp"
#include "api/cdr.hpp"

namespace voxo::sim {

struct tenant_spec {
  long long id = 0;
  std::string name;          // e.g. "tenant-101"
  std::string billing_code;  // e.g. "B101"; billingCode queries, partner billingId
  double calls_per_hour = 60;
  std::string time_zone = "America/Chicago";  // GET /tenants `timeZone` (informational)
};

enum class quality_profile : unsigned char { good, bad };

// Calls of `tenant_id` with time >= `from` have `profile` (until a later switch).
struct quality_switch {
  long long tenant_id = 0;
  std::chrono::sys_seconds from{};
  quality_profile profile = quality_profile::good;
  friend bool operator==(const quality_switch&, const quality_switch&) = default;
};

struct dataset_options {
  std::uint64_t seed = 1;
  std::vector<tenant_spec> tenants;
  std::chrono::sys_seconds from{};
  std::optional<std::chrono::sys_seconds> to;  // none = live: keeps generating up to now
  double late_fraction = 0.0;                  // share of records visible only after a lag up to max_late
  std::chrono::seconds max_late{600};
  double duplicate_fraction = 0.0;  // share of valid records served twice in the same reply
  double invalid_fraction = 0.0;    // share of records with no id / a bad time / a wrong type
  double unknown_fraction = 0.0;    // share with odd direction/disposition (SIDEWAYS, VOICEMAIL, "in")
  double null_fraction = 0.0;       // chance for each optional metric field to be null
  // Calls before this instant have only the directions IN/OUT and the dispositions
  // ANSWERED/NO ANSWER; later ones all of them: a history that lacks label values the live
  // feed brings (none = every call may have any value). Other values of a call do not move.
  std::optional<std::chrono::sys_seconds> narrow_labels_until;
  std::string record_timezone = "America/Chicago";  // zone of the served `time` field
  quality_profile default_quality = quality_profile::good;
  std::vector<quality_switch> quality_switches;  // initial switches (more at run time)
};

// What is wrong with an invalid record.
enum class record_flaw : unsigned char { none, missing_id, null_id, empty_id, bad_time, wrong_type };

struct generated_record {
  long long tenant_id = 0;
  std::string json;                 // the object exactly as served (no trailing comma)
  std::chrono::sys_seconds time{};  // the call's instant (also for invalid records)
  std::chrono::sys_seconds visible_at{};
  bool valid = true;
  bool duplicate = false;  // served twice, back to back, in every reply with it
  bool late = false;
  record_flaw flaw = record_flaw::none;
  std::optional<api::cdr> call;  // for valid records: the values as a parser must read them
};

class dataset {
 public:
  // `start_time` is when the simulator started: late records of a finite data set become
  // visible relative to it, so tests see them appear while they run.
  explicit dataset(
      dataset_options options,
      std::chrono::sys_seconds start_time = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  ~dataset();
  dataset(const dataset&) = delete;
  dataset& operator=(const dataset&) = delete;

  const dataset_options& options() const noexcept;
  std::chrono::sys_seconds start_time() const noexcept;
  const tenant_spec* find_tenant(long long id) const noexcept;
  const tenant_spec* find_billing_code(std::string_view code) const noexcept;

  // Every record (valid or not, each once; see `duplicate`) of the tenant whose time is in
  // [w.start, w.end] inclusive, regardless of visibility, time descending. The json is the
  // tenant-scoped form (billingId null).
  std::vector<generated_record> records(long long tenant_id, api::time_window w) const;

  // Every unique valid call of the tenant with time in the window, time descending.
  // billing_id is null, as in tenant-scoped replies.
  std::vector<api::cdr> truth(long long tenant_id, api::time_window w) const;
  std::uint64_t invalid_count(long long tenant_id, api::time_window w) const;
  // Extra copies: each duplicated record counts once.
  std::uint64_t duplicate_count(long long tenant_id, api::time_window w) const;

  // Streams what a reply serves: the records of `tenant_ids` with time in the window and
  // visible_at <= now, time descending (ties: tenant order, then generation order), each
  // duplicate twice. `partner_wide` puts the tenant's billing code in `billingId`.
  // `sink` returns false to stop early.
  void for_each_served(const std::vector<long long>& tenant_ids, api::time_window w, std::chrono::sys_seconds now,
                       bool partner_wide, const std::function<bool(const generated_record&)>& sink) const;

  // Calls of the tenant with time >= from get `profile` from now on (GET stays consistent).
  void switch_quality(long long tenant_id, std::chrono::sys_seconds from, quality_profile profile);
  std::vector<quality_switch> quality_switches() const;
  quality_profile quality_at(long long tenant_id, std::chrono::sys_seconds t) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace voxo::sim
