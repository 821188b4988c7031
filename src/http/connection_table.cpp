#include "http/connection_table.hpp"

#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

namespace voxo::http::detail {

client_key client_key_of(const boost::asio::ip::address& address) {
  client_key key{};
  if (address.is_v6() && !address.to_v6().is_v4_mapped()) {
    auto bytes = address.to_v6().to_bytes();
    key[0] = 6;
    std::copy_n(bytes.begin(), 8, key.begin() + 1);  // the /64 prefix
    return key;
  }
  auto v4 =
      address.is_v4() ? address.to_v4() : boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  auto bytes = v4.to_bytes();
  key[0] = 4;
  std::copy(bytes.begin(), bytes.end(), key.begin() + 1);
  return key;
}

connection_table::id connection_table::add(const client_key& client, std::function<void()> close,
                                           clock::time_point now) {
  id connection = next_id_++;
  entries_.emplace(connection, entry{client, connection_phase::waiting, now, std::move(close)});
  ++per_client_[client];
  return connection;
}

void connection_table::set_phase(id connection, connection_phase phase, clock::time_point now) {
  auto it = entries_.find(connection);
  if (it == entries_.end() || it->second.phase == phase) return;
  it->second.phase = phase;
  it->second.since = now;
}

void connection_table::remove(id connection) {
  auto it = entries_.find(connection);
  if (it == entries_.end()) return;
  auto count = per_client_.find(it->second.client);
  if (--count->second == 0) per_client_.erase(count);
  entries_.erase(it);
}

bool connection_table::evict_one(clock::time_point now) {
  auto best = entries_.end();
  // Smaller is evicted first: (-connections of its client, writing?, since).
  std::tuple<std::ptrdiff_t, bool, clock::time_point> best_rank{};
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    const entry& e = it->second;
    bool writing = e.phase == connection_phase::writing;
    if (e.phase == connection_phase::answering || (writing && now - e.since < stall_)) continue;
    std::tuple rank{-static_cast<std::ptrdiff_t>(per_client_[e.client]), writing, e.since};
    if (best == entries_.end() || rank < best_rank) {
      best = it;
      best_rank = rank;
    }
  }
  if (best == entries_.end()) return false;
  auto close = std::move(best->second.close);
  remove(best->first);
  if (close) close();
  return true;
}

void connection_table::close_all() {
  std::vector<std::function<void()>> closes;
  closes.reserve(entries_.size());
  for (auto& [connection, e] : entries_) closes.push_back(std::move(e.close));
  entries_.clear();
  per_client_.clear();
  for (auto& close : closes)
    if (close) close();
}

}  // namespace voxo::http::detail
