#include "support/fake_api_client.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace voxo::test {

namespace asio = boost::asio;

fake_api_client::fake_api_client(asio::any_io_executor ex) : ex_(std::move(ex)) {}

void fake_api_client::script(const std::string& tenant, std::size_t call, fake_reply reply) {
  scripted_[{tenant, call}] = std::move(reply);
}
void fake_api_client::set_default(const std::string& tenant, fake_reply reply) {
  tenant_defaults_[tenant] = std::move(reply);
}
void fake_api_client::set_default(fake_reply reply) { default_ = std::move(reply); }
void fake_api_client::script_tenants(std::vector<api::api_result<std::vector<api::tenant_info>>> replies) {
  tenant_replies_ = std::move(replies);
}

std::vector<fake_call> fake_api_client::calls_of(const std::string& tenant) const {
  std::vector<fake_call> out;
  for (const auto& c : calls_)
    if (c.tenant == tenant) out.push_back(c);
  return out;
}

std::string fake_api_client::key(const api::query_scope& scope) {
  if (auto* t = std::get_if<api::tenant_scope>(&scope)) return std::to_string(t->tenant_id);
  if (auto* b = std::get_if<api::billing_code_scope>(&scope)) return b->billing_code;
  return "partner";
}

fake_reply fake_api_client::reply_for(const std::string& tenant, std::size_t call) const {
  if (auto it = scripted_.find({tenant, call}); it != scripted_.end()) return it->second;
  if (auto it = tenant_defaults_.find(tenant); it != tenant_defaults_.end()) return it->second;
  return default_;
}

asio::awaitable<api::api_result<api::fetch_summary>> fake_api_client::fetch_call_reports(
    const api::call_reports_query& query, api::record_sink& sink) {
  const auto tenant = key(query.scope);
  const auto reply = reply_for(tenant, counts_[tenant]++);
  const auto index = calls_.size();
  calls_.push_back({tenant, query.window, std::chrono::steady_clock::now(), {}, false});
  if (on_call) on_call(calls_.back());
  ++in_flight_;
  max_in_flight_ = std::max(max_in_flight_, in_flight_);
  struct leave {
    std::size_t& n;
    ~leave() { --n; }
  } guard{in_flight_};

  if (reply.delay.count() > 0) {
    asio::steady_timer timer(ex_, reply.delay);
    co_await timer.async_wait(asio::use_awaitable);  // throws when cancelled: the request is abandoned
  }
  api::fetch_summary summary;
  summary.http_status = reply.http_status;
  for (const auto& item : reply.items) {
    if (auto* r = std::get_if<api::cdr>(&item)) {
      sink.on_record(*r);
      ++summary.records;
    } else {
      sink.on_invalid(std::get<fake_invalid>(item).why);
      ++summary.invalid;
    }
  }
  calls_[index].finished = std::chrono::steady_clock::now();
  if (reply.error) co_return api::api_result<api::fetch_summary>(boost::system::in_place_error, *reply.error);
  calls_[index].finished_ok = true;
  co_return summary;
}

asio::awaitable<api::api_result<std::vector<api::tenant_info>>> fake_api_client::list_tenants() {
  const auto i = listings_++;
  if (tenant_replies_.empty()) co_return std::vector<api::tenant_info>{};
  co_return tenant_replies_[std::min(i, tenant_replies_.size() - 1)];
}

api::cdr make_cdr(std::string id, std::chrono::sys_seconds time, std::string_view direction,
                  std::string_view disposition) {
  api::cdr r;
  r.id = std::move(id);
  r.time = time;
  r.direction = api::parse_direction(direction);
  r.disposition = api::parse_disposition(disposition);
  return r;
}

}  // namespace voxo::test
