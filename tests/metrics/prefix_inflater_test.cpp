#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <random>
#include <string>

#include "metrics/gzip.hpp"
#include "metrics/prefix_inflater.hpp"

using namespace voxo::metrics;

namespace {

// About 3 MB of exposition-like lines that compress but not trivially.
std::string sample_text() {
  std::mt19937 rng(7);
  std::string text;
  for (int i = 0; i < 60000; ++i)
    text += "voxo_calls_total{tenant=\"" + std::to_string(rng() % 5000) + "\",direction=\"in\"} " +
            std::to_string(rng()) + "\n";
  return text;
}

std::string read_all(prefix_inflater& in, std::size_t piece) {
  std::string out;
  std::string buffer(piece, '\0');
  for (;;) {
    const auto n = in.read(buffer.data(), buffer.size());
    BOOST_REQUIRE(n);
    if (*n == 0) return out;
    out.append(buffer, 0, *n);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(prefix_inflater_suite)

BOOST_AUTO_TEST_CASE(reading_in_pieces_of_any_size_gives_back_the_text) {
  const auto text = sample_text();
  const auto prefix = deflate_open(text);
  BOOST_REQUIRE(prefix);
  for (const std::size_t piece : {std::size_t{7}, std::size_t{4096}, std::size_t{64 * 1024}}) {
    prefix_inflater in(prefix->bytes);
    BOOST_TEST((read_all(in, piece) == text));
  }
}

BOOST_AUTO_TEST_CASE(reading_byte_by_byte_gives_back_the_text) {
  const auto text = sample_text().substr(0, 20000);
  const auto prefix = deflate_open(text);
  BOOST_REQUIRE(prefix);
  prefix_inflater in(prefix->bytes);
  BOOST_TEST((read_all(in, 1) == text));
}

BOOST_AUTO_TEST_CASE(an_empty_text_reads_as_nothing) {
  const auto prefix = deflate_open("");
  BOOST_REQUIRE(prefix);
  prefix_inflater in(prefix->bytes);
  BOOST_TEST(read_all(in, 16).empty());
  BOOST_TEST((inflate_prefix(*prefix) == std::string{}));
}

BOOST_AUTO_TEST_CASE(inflate_prefix_gives_the_whole_text) {
  const auto text = sample_text();
  const auto prefix = deflate_open(text);
  BOOST_REQUIRE(prefix);
  BOOST_TEST((inflate_prefix(*prefix) == std::optional<std::string>(text)));
}

BOOST_AUTO_TEST_CASE(corrupt_input_is_an_error_not_a_crash) {
  auto prefix = deflate_open(sample_text());
  BOOST_REQUIRE(prefix);
  for (std::size_t i = 0; i < 64; ++i) prefix->bytes[i] = static_cast<char>(0xFF);
  prefix_inflater in(prefix->bytes);
  std::string buffer(4096, '\0');
  bool failed = false;
  for (int i = 0; i < 10000 && !failed; ++i) {
    const auto n = in.read(buffer.data(), buffer.size());
    if (!n) failed = true;
    else if (*n == 0) break;
  }
  BOOST_TEST(failed);
  BOOST_TEST(!inflate_prefix(*prefix));
}

BOOST_AUTO_TEST_CASE(a_size_that_does_not_match_the_text_is_refused) {
  auto prefix = deflate_open("some text\n");
  BOOST_REQUIRE(prefix);
  auto longer = *prefix;
  longer.size += 1;
  BOOST_TEST(!inflate_prefix(longer));
  auto shorter = *prefix;
  shorter.size -= 1;
  BOOST_TEST(!inflate_prefix(shorter));
}

BOOST_AUTO_TEST_SUITE_END()
