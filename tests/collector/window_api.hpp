#pragma once
// A window-aware fake API for the reliability tests: each tenant has a fixed set of records,
// a request returns those whose time is in the window asked (inclusive, like the API), and
// faults can be switched per tenant. A reply with more than `max_records` records streams
// that many into the sink and then fails with too_large, as the HTTP client does when a
// reply passes api.max_response_bytes.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/api_client.hpp"
#include "collector_harness.hpp"
#include "support/fake_api_client.hpp"

namespace voxo::test {

struct window_request {
  std::string tenant;
  api::time_window window;
  bool ok = false;
  std::optional<api::api_errc> error;
};

class window_api : public api::api_client {
 public:
  explicit window_api(boost::asio::any_io_executor ex) : ex_(std::move(ex)) {}

  std::map<std::string, std::vector<api::cdr>> records;  // by tenant key
  std::size_t max_records = std::numeric_limits<std::size_t>::max();
  // When set and returning an error, the request fails with it (after `delay`).
  std::function<std::optional<api::api_error>(const std::string& tenant, const api::time_window&)> fault;
  std::map<std::string, std::chrono::milliseconds> delay;  // by tenant key
  std::vector<window_request> requests;

  std::vector<window_request> requests_of(const std::string& tenant) const {
    std::vector<window_request> out;
    for (const auto& r : requests)
      if (r.tenant == tenant) out.push_back(r);
    return out;
  }

  boost::asio::awaitable<api::api_result<api::fetch_summary>> fetch_call_reports(const api::call_reports_query& q,
                                                                                 api::record_sink& sink) override {
    const auto tenant = fake_api_client::key(q.scope);
    const auto index = requests.size();
    requests.push_back({tenant, q.window, false, std::nullopt});
    if (auto it = delay.find(tenant); it != delay.end()) {
      boost::asio::steady_timer timer(ex_, it->second);
      co_await timer.async_wait(boost::asio::use_awaitable);
    } else {
      co_await boost::asio::post(ex_, boost::asio::use_awaitable);  // never complete inline
    }
    if (fault) {
      if (auto err = fault(tenant, q.window)) {
        requests[index].error = err->code;
        co_return api::api_result<api::fetch_summary>(boost::system::in_place_error, *err);
      }
    }
    api::fetch_summary summary;
    for (const auto& r : records[tenant]) {
      if (r.time < q.window.start || r.time > q.window.end) continue;
      if (summary.records == max_records) {
        requests[index].error = api::api_errc::too_large;
        co_return api::api_result<api::fetch_summary>(
            boost::system::in_place_error,
            api::api_error{api::api_errc::too_large, 0, std::nullopt, "reply passed api.max_response_bytes"});
      }
      sink.on_record(r);
      ++summary.records;
      summary.bytes += 1000;
    }
    requests[index].ok = true;
    co_return summary;
  }

  boost::asio::awaitable<api::api_result<std::vector<api::tenant_info>>> list_tenants() override {
    co_return std::vector<api::tenant_info>{};
  }

 private:
  boost::asio::any_io_executor ex_;
};

// A collector_harness whose collector polls a window_api; stops the collector while the fake
// API still exists.
struct window_rig {
  collector_harness h;
  window_api api{h.ioc.get_executor()};
  window_rig() { h.client = &api; }
  ~window_rig() {
    if (h.c) {
      h.c->stop();
      h.ioc.restart();
      h.ioc.run_for(std::chrono::seconds(2));
    }
  }
  double polls(const std::string& tenant, const std::string& result) {
    return h.value("voxo_collector_polls_total", {{"tenant", tenant}, {"result", result}});
  }
};

}  // namespace voxo::test
