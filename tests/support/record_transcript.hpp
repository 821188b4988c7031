#pragma once
// Every field of a record as one line of text (numbers by their bits), so the records two
// parsers deliver can be compared whole. Header-only: the fuzz targets include it too.

#include <bit>
#include <cstdint>
#include <optional>
#include <string>

#include "api/cdr.hpp"

namespace voxo::test {

inline std::string describe(const std::optional<double>& v) {
  return v ? std::to_string(std::bit_cast<std::uint64_t>(*v)) : "-";
}
inline std::string describe(const std::optional<bool>& v) { return v ? (*v ? "1" : "0") : "-"; }
inline std::string describe(const std::optional<std::string>& v) { return v ? "'" + *v + "'" : "-"; }

inline std::string describe(const api::cdr& r) {
  std::string out = r.id + " " + std::to_string(r.time.time_since_epoch().count()) + " " +
                    std::to_string(static_cast<int>(r.direction)) + " " +
                    std::to_string(static_cast<int>(r.disposition));
  for (const auto* v : {&r.duration, &r.after_answer_duration, &r.percent_jitter, &r.packet_loss, &r.mos})
    out += " " + describe(*v);
  for (const auto* v : {&r.recorded, &r.queue_call, &r.is_toll_free, &r.is_international}) out += " " + describe(*v);
  for (const auto* v : {&r.jurisdiction, &r.billing_id, &r.partner_id}) out += " " + describe(*v);
  return out;
}

}  // namespace voxo::test
