#pragma once
// A credential held in memory. It has no stream operator and no implicit conversion,
// so it cannot end up in a log line or a page by accident: use reveal() where the
// wire needs it, and nowhere else.

#include <string>
#include <utility>

namespace voxo {

class secret {
 public:
  secret() = default;
  explicit secret(std::string value) : value_(std::move(value)) {}
  const std::string& reveal() const noexcept { return value_; }
  bool empty() const noexcept { return value_.empty(); }
  friend bool operator==(const secret&, const secret&) = default;

 private:
  std::string value_;
};

}  // namespace voxo
