#pragma once
// A Beast body that sends bytes it shares instead of owning: /metrics hands out the
// current exposition to every scrape without copying megabytes of text per request.

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional/optional.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace voxo::http {

struct shared_body {
  struct value_type {
    std::shared_ptr<const void> owner;  // keeps `data` alive
    std::string_view data;

    // Takes ownership of a freshly rendered string.
    void assign(std::string text) {
      auto held = std::make_shared<const std::string>(std::move(text));
      data = *held;
      owner = std::move(held);
    }
    // Shares bytes owned by `keeper` (e.g. an exposition).
    void share(std::shared_ptr<const void> keeper, std::string_view bytes) {
      owner = std::move(keeper);
      data = bytes;
    }
    void clear() {
      owner.reset();
      data = {};
    }
  };

  static std::uint64_t size(const value_type& body) { return body.data.size(); }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;

    template <bool is_request, class Fields>
    writer(const boost::beast::http::header<is_request, Fields>&, const value_type& body) : body_(body) {}

    void init(boost::beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      ec = {};
      return {{const_buffers_type{body_.data.data(), body_.data.size()}, false}};
    }

   private:
    const value_type& body_;
  };
};

}  // namespace voxo::http
