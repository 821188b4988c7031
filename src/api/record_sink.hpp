#pragma once
// Where a streamed reply delivers its records, one at a time, as each completes.
// If the request then fails (cut short, not an array, too large), the caller must
// throw away everything the sink saw: nothing of a failed reply is ever used.

#include <string_view>

#include "api/cdr.hpp"

namespace voxo::api {

class record_sink {
 public:
  virtual ~record_sink() = default;
  virtual void on_record(const cdr& record) = 0;
  // A hint, before the record completes: the text of its `id` (a string value, not yet
  // checked as the rest). A sink may start work on it (e.g. prefetch); the record itself
  // still arrives through on_record or on_invalid, or never when the reply fails.
  virtual void on_record_id(std::string_view) {}
  // A record that cannot be trusted (no id, bad time, wrong type); `why` holds no record data.
  virtual void on_invalid(std::string_view why) = 0;
};

}  // namespace voxo::api
