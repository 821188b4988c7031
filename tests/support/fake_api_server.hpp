#pragma once
// A scripted stand-in for the VOXO API in client tests: an in-process HTTP or HTTPS server
// on 127.0.0.1:0, on its own thread and io_context. Each path answers from a queue of
// scripted responses (then a fallback, else 404), and every request is recorded.
//   fake_api_server api;                                   // or fake_api_server api{pki};
//   api.enqueue("/call-reports", {429, "{}", {{"Retry-After", "7"}}});
//   ... client against api.base_url() ...
//   BOOST_TEST(api.requests("/call-reports").at(0).header("authorization") == "Bearer t");

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/self_signed.hpp"

namespace voxo::test {

struct scripted_response {
  scripted_response() = default;
  scripted_response(unsigned status_code, std::string reply_body = {},
                    std::vector<std::pair<std::string, std::string>> reply_headers = {})
      : status(status_code), body(std::move(reply_body)), headers(std::move(reply_headers)) {}

  unsigned status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type defaults to application/json
  std::chrono::milliseconds delay{0};                        // wait this long before answering
  std::size_t chunk_size = 0;                                // > 0: chunked transfer encoding, one write per chunk
  std::optional<std::size_t> truncate_after;                 // send only this many bytes of the response, then close
  bool close_without_answer = false;                         // read the request, then close
  bool close_after = false;                                  // answer with Connection: close, then close
  bool hang_up_after = false;  // answer as keep-alive, then close anyway (a stale idle connection)
};

struct received_request {
  std::string method;
  std::string target;                          // path and query, as sent
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& lower_case_name) const;  // "" if absent
};

class fake_api_server {
 public:
  // With `tls`, serves HTTPS with tls->cert / tls->key.
  explicit fake_api_server(std::optional<util::pem_bundle> tls = std::nullopt);
  ~fake_api_server();
  fake_api_server(const fake_api_server&) = delete;
  fake_api_server& operator=(const fake_api_server&) = delete;

  // `path` is the target without its query, e.g. "/call-reports".
  void enqueue(const std::string& path, scripted_response response);
  void always(const std::string& path, scripted_response response);  // when the queue is empty

  unsigned short port() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT" or "https://..."
  std::vector<received_request> requests() const;
  std::vector<received_request> requests(const std::string& path) const;
  std::size_t connections_accepted() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace voxo::test
