#pragma once
// A Beast body that sends bytes it shares instead of owning: /metrics hands every scrape the
// current exposition's parts (the shared data part, the live part, gzip header and tail)
// without copying megabytes of text per request. A plain-text scrape of a data part kept only
// compressed is inflated as the socket takes it (one 64 KiB piece at a time), then the parts.

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional/optional.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/gzip.hpp"
#include "metrics/prefix_inflater.hpp"

namespace voxo::http {

struct shared_body {
  static constexpr std::size_t max_parts = 4;

  class value_type {
   public:
    // Takes ownership of a freshly rendered string.
    void assign(std::string text) {
      auto held = std::make_shared<const std::string>(std::move(text));
      share(held, std::string_view(*held));
    }
    // Sends `parts` one after the other; `keeper` keeps all of them alive.
    template <class... Parts>
    void share(std::shared_ptr<const void> keeper, Parts... parts) {
      static_assert(sizeof...(Parts) <= max_parts, "shared_body: too many parts");
      owner_ = std::move(keeper);
      parts_ = {std::string_view(parts)...};
      count_ = sizeof...(Parts);
    }
    // Sends the text `compressed` was made from, inflated piece by piece, then `parts`.
    template <class... Parts>
    void share_inflated(std::shared_ptr<const void> keeper, const metrics::deflate_prefix& compressed, Parts... parts) {
      share(std::move(keeper), parts...);
      inflated_ = &compressed;
    }
    void clear() {
      owner_.reset();
      parts_ = {};
      count_ = 0;
      inflated_ = nullptr;
    }

    std::uint64_t size() const noexcept {
      std::uint64_t n = inflated_ ? inflated_->size : 0;
      for (std::size_t i = 0; i < count_; ++i) n += parts_[i].size();
      return n;
    }
    bool empty() const noexcept { return size() == 0; }
    // The whole body in one string (tests, tools).
    std::string str() const {
      std::string out = inflated_ ? metrics::inflate_prefix(*inflated_).value_or(std::string{}) : std::string{};
      for (std::size_t i = 0; i < count_; ++i) out += parts_[i];
      return out;
    }
    const std::array<std::string_view, max_parts>& parts() const noexcept { return parts_; }
    std::size_t part_count() const noexcept { return count_; }
    const metrics::deflate_prefix* inflated() const noexcept { return inflated_; }

   private:
    std::shared_ptr<const void> owner_;  // keeps the parts alive
    std::array<std::string_view, max_parts> parts_{};
    std::size_t count_ = 0;
    const metrics::deflate_prefix* inflated_ = nullptr;  // kept alive by owner_
  };

  static std::uint64_t size(const value_type& body) { return body.size(); }

  class writer {
   public:
    // Unused entries are empty buffers, which a buffer sequence may hold.
    using const_buffers_type = std::array<boost::asio::const_buffer, max_parts>;

    template <bool is_request, class Fields>
    writer(const boost::beast::http::header<is_request, Fields>&, const value_type& body) : body_(body) {}

    void init(boost::beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      ec = {};
      const_buffers_type buffers{};
      if (const auto* compressed = body_.inflated(); compressed && !inflated_all_) {
        if (!inflater_) {
          inflater_ = std::make_unique<metrics::prefix_inflater>(compressed->bytes);
          piece_.resize(piece_bytes);
        }
        const auto n = inflater_->read(piece_.data(), piece_.size());
        if (n && *n > 0 && sent_ + *n <= compressed->size) {
          sent_ += *n;
          buffers[0] = boost::asio::const_buffer(piece_.data(), *n);  // valid until the next get()
          return {{buffers, true}};
        }
        if (!n || *n > 0 || sent_ != compressed->size) {  // corrupt: the Content-Length can't be met
          ec = boost::system::errc::make_error_code(boost::system::errc::illegal_byte_sequence);
          return boost::none;
        }
        inflated_all_ = true;
        inflater_.reset();
        std::vector<char>().swap(piece_);
      }
      for (std::size_t i = 0; i < body_.part_count(); ++i)
        buffers[i] = boost::asio::const_buffer(body_.parts()[i].data(), body_.parts()[i].size());
      return {{buffers, false}};
    }

   private:
    static constexpr std::size_t piece_bytes = 64 * 1024;
    const value_type& body_;
    std::unique_ptr<metrics::prefix_inflater> inflater_;
    std::vector<char> piece_;
    std::uint64_t sent_ = 0;
    bool inflated_all_ = false;
  };
};

}  // namespace voxo::http
