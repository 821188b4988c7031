#pragma once
// One call detail record from GET /call-reports, as the exporter uses it.
// Only the fields that feed metrics (or may, see the scale-out issue) are kept;
// everything else in the reply is ignored. `null` in the reply = std::nullopt here.

#include <chrono>
#include <optional>
#include <string>

#include "api/call_kind.hpp"

namespace voxo::api {

struct cdr {
  std::string id;                   // required, non-empty
  std::chrono::sys_seconds time{};  // required: `time` converted with record_timezone
  call_direction direction = call_direction::other;
  call_disposition disposition = call_disposition::other;
  std::optional<double> duration;               // seconds
  std::optional<double> after_answer_duration;  // seconds
  std::optional<double> percent_jitter;         // percent (0..100)
  std::optional<double> packet_loss;            // percent (0..100)
  std::optional<double> mos;                    // 1..5, 0 = not measured
  std::optional<bool> recorded;                 // 0/1 flag
  std::optional<bool> queue_call;               // 0/1 flag
  std::optional<bool> is_toll_free;             // 0/1 flag
  std::optional<bool> is_international;         // 0/1 flag
  std::optional<std::string> jurisdiction;      // e.g. INTERSTATE
  std::optional<std::string> billing_id;        // partner-wide replies: which account
  std::optional<std::string> partner_id;
};

}  // namespace voxo::api
