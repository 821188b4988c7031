#include "metrics/exposition_text.hpp"

#include <prometheus/text_serializer.h>

#include <array>
#include <ostream>
#include <streambuf>

namespace voxo::metrics {

namespace {

// Appends to a std::string through a fixed put area (an ostringstream would copy the whole
// text once more in str()).
class string_appender : public std::streambuf {
 public:
  explicit string_appender(std::string& out) : out_(out) { setp(buf_.data(), buf_.data() + buf_.size()); }
  ~string_appender() override { flush(); }
  string_appender(const string_appender&) = delete;
  string_appender& operator=(const string_appender&) = delete;

 protected:
  int_type overflow(int_type ch) override {
    flush();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override {
    flush();
    return 0;
  }

 private:
  void flush() {
    out_.append(pbase(), static_cast<std::size_t>(pptr() - pbase()));
    setp(buf_.data(), buf_.data() + buf_.size());
  }

  std::string& out_;
  std::array<char, 64 * 1024> buf_{};
};

}  // namespace

std::string family_text::render(std::size_t reserve) const {
  std::string out;
  out.reserve(reserve);
  {
    string_appender sink(out);
    std::ostream stream(&sink);
    const prometheus::TextSerializer serializer;
    for (const auto* kind : {&counters_, &gauges_, &histograms_, &summaries_}) {
      for (const auto* family : *kind) serializer.Serialize(stream, family->Collect());
    }
    stream.flush();
  }
  // A first rendering (nothing reserved) may leave up to half the capacity unused.
  if (out.capacity() > out.size() + out.size() / 8) out.shrink_to_fit();
  return out;
}

}  // namespace voxo::metrics
