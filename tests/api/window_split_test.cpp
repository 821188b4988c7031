#include <boost/test/unit_test.hpp>

#include <date/date.h>

#include "api/window_split.hpp"

using namespace voxo::api;
using namespace std::chrono_literals;

namespace {

const std::chrono::sys_seconds t0 = date::sys_days{date::year{2022} / 10 / 10};

// Pieces are consecutive, each within the cap, and cover exactly the window.
void check_cover(const std::vector<time_window>& pieces, const time_window& w, std::chrono::seconds cap) {
  BOOST_REQUIRE(!pieces.empty());
  BOOST_TEST((pieces.front().start == w.start));
  BOOST_TEST((pieces.back().end == w.end));
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    BOOST_TEST((pieces[i].start < pieces[i].end));
    BOOST_TEST((pieces[i].end - pieces[i].start <= cap));
    if (i > 0) BOOST_TEST((pieces[i].start == pieces[i - 1].end));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(window_split)

BOOST_AUTO_TEST_CASE(window_exactly_at_the_cap_is_one_piece) {
  const time_window w{t0, t0 + max_window_scoped};
  const auto pieces = split_window(w, max_window_scoped);
  BOOST_REQUIRE(pieces.size() == 1u);
  BOOST_TEST((pieces[0] == w));
}

BOOST_AUTO_TEST_CASE(window_one_second_over_the_cap_is_two_pieces) {
  const time_window w{t0, t0 + max_window_scoped + 1s};
  const auto pieces = split_window(w, max_window_scoped);
  BOOST_REQUIRE(pieces.size() == 2u);
  BOOST_TEST((pieces[0] == time_window{t0, t0 + max_window_scoped}));
  BOOST_TEST((pieces[1] == time_window{t0 + max_window_scoped, t0 + max_window_scoped + 1s}));
}

BOOST_AUTO_TEST_CASE(sixty_two_days_at_thirty_one_days_is_two_full_pieces) {
  const time_window w{t0, t0 + date::days{62}};
  const auto pieces = split_window(w, max_window_scoped);
  BOOST_REQUIRE(pieces.size() == 2u);
  check_cover(pieces, w, max_window_scoped);
  BOOST_TEST((pieces[0].end - pieces[0].start == max_window_scoped));
}

BOOST_AUTO_TEST_CASE(three_days_partner_wide_is_three_day_pieces) {
  const time_window w{t0, t0 + date::days{3}};
  const auto pieces = split_window(w, max_window(partner_scope{}));
  BOOST_REQUIRE(pieces.size() == 3u);
  check_cover(pieces, w, max_window_partner);
}

BOOST_AUTO_TEST_CASE(uneven_window_ends_with_a_short_piece) {
  const time_window w{t0, t0 + 50h + 7s};
  const auto pieces = split_window(w, 24h);
  BOOST_REQUIRE(pieces.size() == 3u);
  check_cover(pieces, w, 24h);
  BOOST_TEST((pieces[2].end - pieces[2].start == 2h + 7s));
}

BOOST_AUTO_TEST_CASE(empty_or_inverted_window_gives_no_pieces) {
  BOOST_TEST(split_window(time_window{t0, t0}, 24h).empty());
  BOOST_TEST(split_window(time_window{t0 + 1s, t0}, 24h).empty());
}

BOOST_AUTO_TEST_CASE(non_positive_cap_gives_no_pieces_instead_of_looping) {
  BOOST_TEST(split_window(time_window{t0, t0 + 1h}, 0s).empty());
  BOOST_TEST(split_window(time_window{t0, t0 + 1h}, -1s).empty());
}

BOOST_AUTO_TEST_SUITE_END()
