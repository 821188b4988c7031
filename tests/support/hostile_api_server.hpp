#pragma once
// A misbehaving VOXO API for the hostile-world tests (issue #13): an in-process HTTP or HTTPS
// server on 127.0.0.1:0 (own thread and io_context) that answers like the simulator (login,
// /tenants, /call-reports from a sim::dataset, whose truth() is what a client must count), and
// on demand breaks its replies in one scripted way:
//   hostile_api_server api(options);
//   api.misbehave(hostile_mode::extra_response, 2);  // the next 2 replies to /call-reports
//   ... client or collector against api.base_url() ...
// The misbehaviour hits the path its mode concerns (/tenants for huge_tenant_names, else
// /call-reports); other requests are answered normally.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sim/dataset.hpp"
#include "util/self_signed.hpp"

namespace voxo::test {

enum class hostile_mode {
  none,
  extra_response,          // a complete second HTTP response (this reply again) right after the body
  lone_surrogate_ignored,  // "callerIdName":"\ud800" (legal JSON, not Unicode) in every record
  lone_surrogate_kept,     // the first record's id starts with "\ud800"
  huge_tenant_names,       // GET /tenants: every name 60 KB long (its spec name, then 'x's)
  trickle,                 // the reply a byte at a time, `trickle_gap` apart
  long_content_length,     // Content-Length 100 bytes longer than the body, then close
  short_content_length,    // Content-Length half the body; the whole body is sent anyway
  reset_mid_body,          // half the body, then a TCP reset
};

std::string_view name(hostile_mode m) noexcept;

struct hostile_api_options {
  sim::dataset_options data;  // the calls served
  std::string email = "ops@example.com";
  std::string password = "s3cret-pa55word";
  std::optional<util::pem_bundle> tls;  // serve HTTPS with tls->cert / tls->key
  std::chrono::milliseconds trickle_gap{20};
  // extra_response: > 0 sends the second response this long after the first (it then reaches
  // a connection idle in the client's pool), else in the same write.
  std::chrono::milliseconds extra_response_delay{0};
};

class hostile_api_server {
 public:
  explicit hostile_api_server(hostile_api_options options);
  ~hostile_api_server();
  hostile_api_server(const hostile_api_server&) = delete;
  hostile_api_server& operator=(const hostile_api_server&) = delete;

  // The next `replies` replies to the mode's path misbehave; then the server behaves again.
  void misbehave(hostile_mode mode, std::size_t replies = 1);
  void behave();  // from now on

  std::string base_url() const;  // "http://127.0.0.1:PORT" or "https://..."
  const sim::dataset& data() const;
  std::size_t connections_accepted() const;
  std::size_t requests(std::string_view path) const;  // answered or not
  std::size_t misbehaved() const;                     // replies broken so far

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace voxo::test
