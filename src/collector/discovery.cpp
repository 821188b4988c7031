#include "collector/discovery.hpp"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <exception>
#include <optional>
#include <set>
#include <string>

#include "collector/backoff.hpp"
#include "util/asio.hpp"
#include "util/log.hpp"

namespace voxo::collector {

namespace asio = boost::asio;

tenant_discovery::tenant_discovery(const config::config& cfg, const collector_options& opts, api::api_client& client,
                                   request_gate& gate, tenant_book& book, poll_loop& polls, const task_group& tasks)
    : cfg_(cfg.discovery),
      shard_(cfg.shard),
      opts_(opts),
      client_(client),
      gate_(gate),
      book_(book),
      polls_(polls),
      tasks_(tasks),
      filter_(cfg.discovery.include, cfg.discovery.exclude) {}

asio::awaitable<void> tenant_discovery::run() {
  asio::steady_timer timer(tasks_.executor());
  unsigned failures = 0;
  std::string last_error;
  for (;;) {
    std::optional<api::api_result<std::vector<api::tenant_info>>> reply;
    {
      auto permit = co_await gate_.permits.acquire();
      co_await gate_.take_token();
      try {
        auto listed = co_await client_.list_tenants();  // a named result (see "Coroutines")
        reply.emplace(std::move(listed));
      } catch (const std::exception& e) {
        if (tasks_.stopped()) throw;
        reply.emplace(detail::transport_failure<std::vector<api::tenant_info>>(e.what()));
      }
    }
    if (tasks_.stopped()) co_return;
    std::chrono::milliseconds wait = cfg_.refresh;
    if (*reply) {
      failures = 0;
      last_error.clear();
      apply(**reply);
      listed_once_ = true;
    } else {
      ++failures;
      auto text = reply->error().describe();
      if (text != last_error) log::warn("tenant discovery failed", {{"err", text}});
      last_error = std::move(text);
      backoff_policy p = opts_.backoff;
      p.cap = std::min(opts_.backoff.cap, cfg_.refresh);
      wait = std::min(cfg_.refresh, backoff_delay(p, failures, reply->error().retry_after, 0.5));
    }
    timer.expires_after(std::max(wait, std::chrono::milliseconds(1)));
    auto [ec] = co_await timer.async_wait(util::nothrow_awaitable);
    if (ec || tasks_.stopped()) co_return;
  }
}

void tenant_discovery::apply(const std::vector<api::tenant_info>& listed) {
  std::set<std::string> seen;
  std::vector<std::shared_ptr<tenant_state>> fresh;
  for (const auto& info : listed) {
    const auto label = std::to_string(info.id);
    if (!filter_.accepts(label, info.match_name()) || !config::owns(shard_, label)) continue;
    seen.insert(label);
    auto it = book_.tenants().find(label);
    if (it == book_.tenants().end()) {
      log::info("tenant discovered", {{"tenant", label}});
      fresh.push_back(book_.add({api::tenant_scope{info.id}, label, info.name}, true));
      continue;
    }
    auto& t = *it->second;
    if (!t.discovered) continue;  // configured by hand: the config file wins
    if (t.cfg.name != info.name) {
      t.cfg.name = info.name;
      book_.rename(label, info.name);
    }
    if (!t.active) {
      // Back again: resume from its old watermark and ids, so nothing is counted twice.
      log::info("tenant listed again", {{"tenant", label}});
      t.active = true;
      if (!t.loop_running) fresh.push_back(it->second);
    }
  }
  // Vanished tenants stop being polled, but keep their series: counters must not vanish
  // mid-life (a reset would look like a drop to rate()); voxo_up shows their last state.
  for (auto& [label, t] : book_.tenants()) {
    if (t->discovered && t->active && !seen.count(label)) {
      log::info("tenant no longer listed; polling stops", {{"tenant", label}});
      t->active = false;
    }
  }
  polls_.start(fresh);
  book_.publish_owned();
}

}  // namespace voxo::collector
