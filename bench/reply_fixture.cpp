#include "reply_fixture.hpp"

#include "sim/records_body.hpp"

namespace voxo::bench {

namespace {
constexpr long long tenant_id = 101;
}

api::time_window reply_window() {
  using namespace std::chrono;
  const sys_seconds start = sys_days{year{2026} / 10 / 5} + hours{14};
  return {start, start + hours{1} - seconds{1}};
}

api::time_window reply_window(const reply_shape& shape) {
  if (shape.start == std::chrono::sys_seconds{}) return reply_window();
  return {shape.start, shape.start + std::chrono::hours{1} - std::chrono::seconds{1}};
}

sim::dataset_options reply_dataset(const reply_shape& shape) {
  sim::dataset_options o;
  o.seed = shape.seed;
  o.tenants.push_back({tenant_id, "tenant-101", "B101", static_cast<double>(shape.records), "America/Chicago"});
  const auto w = reply_window(shape);
  o.from = w.start;
  o.to = w.end;
  o.duplicate_fraction = shape.duplicate_fraction;
  o.invalid_fraction = shape.invalid_fraction;
  o.record_timezone = "America/Chicago";
  return o;
}

std::string make_reply(const reply_shape& shape) {
  const auto w = reply_window(shape);
  sim::dataset data(reply_dataset(shape), w.end + std::chrono::hours{1});
  sim::records_body body(data, {{tenant_id}, w, w.end + std::chrono::hours{2}, false});
  std::string out;
  out.reserve(shape.records * 900);
  while (body.next(out, std::size_t{1} << 20)) {
  }
  return out;
}

}  // namespace voxo::bench
