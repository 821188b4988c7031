#pragma once
// What the simulator answers, without any I/O: routing, auth, query checks, faults.
// The session turns a `reply` into bytes (and applies slow/truncate/reset).
//
// Routes:
//   POST /authentication            {"strategy":"local","email","password"} -> 201 + token
//                                   {"strategy":"jwt","accessToken"}        -> 201 if valid
//   GET  /tenants                   bearer -> [{"id","name","timeZone","tenantCode"}]
//   GET  /call-reports              bearer; tenantId | billingCode | neither; start, end, timezone
//   POST /_sim/quality?tenantId=N&profile=bad|good   test control: quality of calls from now on
//   POST /_sim/expire-tokens                         test control: revoke every issued token
//   GET  /_sim/truth?tenantId=N[&start=UNIX&end=UNIX] test ground truth: every unique valid call
//        of the tenant in [start, end] (default: the whole data set up to now), visible yet or
//        not, as {"tenantId","billingCode","start","end","calls":[{"time" (unix), "direction",
//        "disposition" (label values), "duration", "afterAnswerDuration", "mos", "percentJitter",
//        "packetLoss" (numbers or null), "recorded", "queueCall" (booleans or null)}]}
// Errors are Feathers-style JSON: {"name","message","code","className","errors":{}}.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "sim/dataset.hpp"
#include "sim/fault_schedule.hpp"
#include "sim/records_body.hpp"
#include "sim/token_store.hpp"

namespace voxo::sim {

struct request_view {
  std::string_view method;         // "GET", "POST", ...
  std::string_view target;         // path + query, as received
  std::string_view authorization;  // the Authorization header, may be empty
  std::string_view body;
};

struct reply {
  unsigned status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::optional<std::chrono::seconds> retry_after;
  std::optional<call_reports_plan> records;  // body comes from the data set instead of `body`
  std::optional<fault> injected;             // slow / truncate / reset are the session's job
};

using sim_clock = std::function<std::chrono::sys_seconds()>;

class request_handler {
 public:
  struct settings {
    std::string email;
    std::string password;
    std::chrono::seconds token_lifetime{86400};
  };

  request_handler(settings s, dataset& data, token_store& tokens, fault_schedule faults, sim_clock clock);

  reply handle(const request_view& req);

  void set_faults(fault_schedule faults);
  std::uint64_t request_count(std::string_view path) const;

 private:
  reply authenticate(const request_view& req);
  reply tenants();
  reply call_reports(std::string_view query);
  reply control_quality(std::string_view query);
  reply control_truth(std::string_view query);
  std::optional<reply> check_bearer(const request_view& req);

  settings settings_;
  dataset& data_;
  token_store& tokens_;
  sim_clock clock_;
  mutable std::mutex mutex_;  // guards faults_ and counts_
  fault_schedule faults_;
  std::map<std::string, std::uint64_t, std::less<>> counts_;
};

// Feathers' error object, e.g. feathers_error(401, "Invalid login").
std::string feathers_error(unsigned status, std::string_view message);

// Percent-decoding of a query component; '+' is a space (HTML forms). nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace voxo::sim
