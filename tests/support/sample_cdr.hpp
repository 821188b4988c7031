#pragma once
// A call record with every metric field set, so one call gives every call series and every
// histogram of its direction an observation (metrics tests).

#include <string>

#include "api/cdr.hpp"

namespace voxo::test {

inline api::cdr call_with_every_field(std::string id, api::call_direction direction = api::call_direction::in,
                                      api::call_disposition disposition = api::call_disposition::answered) {
  api::cdr r;
  r.id = std::move(id);
  r.direction = direction;
  r.disposition = disposition;
  r.duration = 30;
  r.after_answer_duration = 25;
  r.mos = 4.3;
  r.percent_jitter = 0.5;
  r.packet_loss = 0.1;
  r.recorded = true;
  r.queue_call = true;
  return r;
}

}  // namespace voxo::test
