#pragma once
// A scripted in-memory api_client for collector tests: per (tenant key, call number) a reply
// (records, invalid markers, then success or an api_error, after an optional delay); records
// every request it got and how many were in flight at once.

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "api/api_client.hpp"

namespace voxo::test {

struct fake_invalid {
  std::string why = "bad record";
};

struct fake_reply {
  std::vector<std::variant<api::cdr, fake_invalid>> items;  // streamed into the sink in order
  std::optional<api::api_error> error;                      // after the items; none = success
  int http_status = 200;
  std::chrono::milliseconds delay{0};  // before the first item (cancellable)
};

struct fake_call {
  std::string tenant;  // key(): tenant id, billing code, or "partner"
  api::time_window window;
  std::chrono::steady_clock::time_point started;
  std::chrono::steady_clock::time_point finished;  // unset while in flight or when abandoned
  bool finished_ok = false;
};

class fake_api_client : public api::api_client {
 public:
  explicit fake_api_client(boost::asio::any_io_executor ex);

  // The `call`-th (0-based) request for `tenant` gets `reply`.
  void script(const std::string& tenant, std::size_t call, fake_reply reply);
  // Requests without a script: per tenant, else the global default (an empty success).
  void set_default(const std::string& tenant, fake_reply reply);
  void set_default(fake_reply reply);
  // Successive list_tenants() replies; the last one repeats.
  void script_tenants(std::vector<api::api_result<std::vector<api::tenant_info>>> replies);

  const std::vector<fake_call>& calls() const noexcept { return calls_; }
  std::vector<fake_call> calls_of(const std::string& tenant) const;
  std::size_t in_flight() const noexcept { return in_flight_; }
  std::size_t max_in_flight() const noexcept { return max_in_flight_; }
  std::size_t tenant_listings() const noexcept { return listings_; }

  // Called when a request starts (e.g. to move a fake wall clock).
  std::function<void(const fake_call&)> on_call;

  static std::string key(const api::query_scope& scope);

  boost::asio::awaitable<api::api_result<api::fetch_summary>> fetch_call_reports(const api::call_reports_query& query,
                                                                                 api::record_sink& sink) override;
  boost::asio::awaitable<api::api_result<std::vector<api::tenant_info>>> list_tenants() override;

 private:
  fake_reply reply_for(const std::string& tenant, std::size_t call) const;

  boost::asio::any_io_executor ex_;
  std::map<std::pair<std::string, std::size_t>, fake_reply> scripted_;
  std::map<std::string, fake_reply> tenant_defaults_;
  fake_reply default_;
  std::map<std::string, std::size_t> counts_;
  std::vector<api::api_result<std::vector<api::tenant_info>>> tenant_replies_;
  std::size_t listings_ = 0;
  std::vector<fake_call> calls_;
  std::size_t in_flight_ = 0;
  std::size_t max_in_flight_ = 0;
};

// A valid record: the labels given as the API spells them go through api::parse_*.
api::cdr make_cdr(std::string id, std::chrono::sys_seconds time, std::string_view direction = "IN",
                  std::string_view disposition = "ANSWERED");

}  // namespace voxo::test
