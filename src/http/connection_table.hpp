#pragma once
// The server's open connections and what each is doing, so that at the connection cap a new
// connection can take the place of one that holds a slot without using it, instead of being
// refused. Without this, 64 idle sockets from anyone lock every scraper out.
//
// The victim is chosen so that the client holding the most connections gives one up first
// (a flooding address loses its own connections before a scraper behind another address
// loses its keep-alive), and within it the connection that has waited longest:
//   1. only connections waiting for a request (idle keep-alive, new and silent, trickling a
//      header, in the TLS handshake) or closing, and connections that have been writing one
//      response for over `stall` (a client that does not read), are ever evicted;
//   2. never one whose request is being answered (authentication included: it is bounded
//      separately, see server_options::max_pending_auth_checks);
//   3. among the candidates: the client address (IPv4, or IPv6 /64) with the most open
//      connections first, then waiting before writing, then the longest in that state.
// A scraper sharing its address with a flood (NAT, or 127.0.0.1 in the tests) is still served:
// its new connection sends its request at once and is then no longer a candidate.
//
// Used on the server's executor only (not thread-safe). A linear scan per eviction: the cap
// is small (64 by default) and evictions happen only at the cap.

#include <boost/asio/ip/address.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>

namespace voxo::http::detail {

enum class connection_phase {
  waiting,    // for (the rest of) a request, or the TLS handshake: evictable
  answering,  // request read, response being made (authentication included): never evicted
  writing,    // sending a response: evictable once it has taken longer than `stall`
  closing,    // lingering after the last response: evictable
};

// Connections from one IPv4 address or one IPv6 /64 (what one client typically owns) count
// together. IPv4-mapped IPv6 addresses (dual-stack listener) count as their IPv4 address.
using client_key = std::array<unsigned char, 9>;  // family byte + address (v4) or /64 prefix (v6)
client_key client_key_of(const boost::asio::ip::address& address);

class connection_table {
 public:
  using clock = std::chrono::steady_clock;
  using id = std::uint64_t;

  explicit connection_table(clock::duration stall = std::chrono::seconds{1}) : stall_(stall) {}

  // Registers a connection in phase `waiting`; `close` must end it (its session then calls
  // remove). Returns its id.
  id add(const client_key& client, std::function<void()> close, clock::time_point now = clock::now());

  // Records a phase change; the time in the phase restarts only when the phase changes.
  void set_phase(id connection, connection_phase phase, clock::time_point now = clock::now());

  // Forgets a connection (no-op when unknown, e.g. evicted).
  void remove(id connection);

  // Closes and forgets the best candidate (see above); false when there is none.
  bool evict_one(clock::time_point now = clock::now());

  // Closes and forgets every connection.
  void close_all();

  std::size_t size() const { return entries_.size(); }

 private:
  struct entry {
    client_key client;
    connection_phase phase;
    clock::time_point since;
    std::function<void()> close;
  };

  clock::duration stall_;
  id next_id_ = 0;
  std::unordered_map<id, entry> entries_;
  std::map<client_key, std::size_t> per_client_;
};

}  // namespace voxo::http::detail
