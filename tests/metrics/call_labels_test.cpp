#include <boost/test/unit_test.hpp>

#include "api/cdr.hpp"
#include "metrics/call_labels.hpp"

#include <string>

using namespace voxo::api;
using namespace voxo::metrics;

BOOST_AUTO_TEST_SUITE(call_labels)

BOOST_AUTO_TEST_CASE(directions_map_case_insensitively_and_unknown_is_other) {
  BOOST_TEST(label(parse_direction("IN")) == "in");
  BOOST_TEST(label(parse_direction("out")) == "out");
  BOOST_TEST(label(parse_direction("Local")) == "local");
  BOOST_TEST(label(parse_direction("INTERNAL")) == "internal");
  BOOST_TEST(label(parse_direction("SIDEWAYS")) == "other");
  BOOST_TEST(label(parse_direction("")) == "other");
  BOOST_TEST(label(parse_direction("other")) == "other");
}

BOOST_AUTO_TEST_CASE(dispositions_use_the_api_spelling_and_unknown_is_other) {
  BOOST_TEST(label(parse_disposition("ANSWERED")) == "answered");
  BOOST_TEST(label(parse_disposition("NO ANSWER")) == "no_answer");
  BOOST_TEST(label(parse_disposition("no answer")) == "no_answer");
  BOOST_TEST(label(parse_disposition("BUSY")) == "busy");
  BOOST_TEST(label(parse_disposition("Failed")) == "failed");
  BOOST_TEST(label(parse_disposition("CONGESTION")) == "congestion");
  BOOST_TEST(label(parse_disposition("no_answer")) == "other");
  BOOST_TEST(label(parse_disposition("5555555555")) == "other");
}

namespace {
extra_label_options only(extra_label l, std::size_t max_values = 20) {
  extra_label_options o;
  o.enabled[static_cast<std::size_t>(l)] = true;
  o.max_values = max_values;
  return o;
}
std::string_view jurisdiction_of(call_labeler& l, std::optional<std::string> raw) {
  cdr r;
  r.jurisdiction = std::move(raw);
  return l.classify(r)[0];
}
}  // namespace

BOOST_AUTO_TEST_CASE(extra_label_names_are_exact) {
  BOOST_TEST((parse_extra_label("jurisdiction") == std::optional<extra_label>{extra_label::jurisdiction}));
  BOOST_TEST((parse_extra_label("international") == std::optional<extra_label>{extra_label::international}));
  BOOST_TEST((parse_extra_label("toll_free") == std::optional<extra_label>{extra_label::toll_free}));
  BOOST_TEST(!parse_extra_label("tollfree").has_value());
  BOOST_TEST(!parse_extra_label("Jurisdiction").has_value());
  BOOST_TEST(name(extra_label::toll_free) == "toll_free");
}

BOOST_AUTO_TEST_CASE(jurisdiction_is_lower_cased_with_other_characters_as_underscores) {
  call_labeler l(only(extra_label::jurisdiction));
  BOOST_TEST(jurisdiction_of(l, "INTERSTATE") == "interstate");
  BOOST_TEST(jurisdiction_of(l, "  Intra-State ") == "intra_state");
  BOOST_TEST(jurisdiction_of(l, "LOCAL") == "local");
  BOOST_TEST(jurisdiction_of(l, "Zürich") == "z__rich");  // UTF-8 bytes are not [a-z0-9]
}

BOOST_AUTO_TEST_CASE(a_null_or_blank_jurisdiction_is_unknown_and_a_long_one_other) {
  call_labeler l(only(extra_label::jurisdiction));
  BOOST_TEST(jurisdiction_of(l, std::nullopt) == "unknown");
  BOOST_TEST(jurisdiction_of(l, "") == "unknown");
  BOOST_TEST(jurisdiction_of(l, "   ") == "unknown");
  BOOST_TEST(jurisdiction_of(l, std::string(max_jurisdiction_length + 1, 'a')) == "other");
  BOOST_TEST(jurisdiction_of(l, std::string(max_jurisdiction_length, 'a')) ==
             std::string(max_jurisdiction_length, 'a'));
  BOOST_TEST(l.distinct(extra_label::jurisdiction) == 1);
}

BOOST_AUTO_TEST_CASE(the_flags_come_from_the_record_fields_only) {
  extra_label_options o;
  o.enabled = {false, true, true};
  call_labeler l(o);
  cdr r;
  BOOST_TEST(l.classify(r)[1] == "unknown");
  BOOST_TEST(l.classify(r)[2] == "unknown");
  r.is_international = true;
  r.is_toll_free = false;
  const auto v = l.classify(r);
  BOOST_TEST(v[0] == "");  // not enabled
  BOOST_TEST(v[1] == "true");
  BOOST_TEST(v[2] == "false");
}

BOOST_AUTO_TEST_CASE(no_extra_label_is_derived_when_none_is_enabled) {
  call_labeler l;
  cdr r;
  r.jurisdiction = "INTERSTATE";
  r.is_toll_free = true;
  BOOST_TEST(!l.enabled());
  const auto v = l.classify(r);
  BOOST_TEST((v[0].empty() && v[1].empty() && v[2].empty()));
}

BOOST_AUTO_TEST_CASE(past_the_cap_new_values_are_other_and_known_ones_keep_their_own) {
  call_labeler l(only(extra_label::jurisdiction, 2));
  BOOST_TEST(jurisdiction_of(l, "A") == "a");
  BOOST_TEST(jurisdiction_of(l, std::nullopt) == "unknown");  // not counted
  BOOST_TEST(jurisdiction_of(l, "OTHER") == "other");         // not counted
  BOOST_TEST(jurisdiction_of(l, "B") == "b");
  BOOST_TEST(jurisdiction_of(l, "C") == "other");
  BOOST_TEST(jurisdiction_of(l, "a") == "a");
  BOOST_TEST(jurisdiction_of(l, "D") == "other");
  BOOST_TEST(jurisdiction_of(l, "") == "unknown");
  BOOST_TEST(l.distinct(extra_label::jurisdiction) == 2);
}

BOOST_AUTO_TEST_CASE(the_cap_counts_each_label_separately) {
  extra_label_options o;
  o.enabled = {true, true, false};
  o.max_values = 1;
  call_labeler l(o);
  cdr r;
  r.jurisdiction = "A";
  r.is_international = false;
  BOOST_TEST(l.classify(r)[0] == "a");
  BOOST_TEST(l.classify(r)[1] == "false");
  r.jurisdiction = "B";
  r.is_international = true;
  BOOST_TEST(l.classify(r)[0] == "other");
  BOOST_TEST(l.classify(r)[1] == "other");
}

BOOST_AUTO_TEST_CASE(admit_takes_saved_values_under_the_cap_and_refuses_impossible_ones) {
  call_labeler l(only(extra_label::jurisdiction, 1));
  BOOST_TEST(l.admit(extra_label::jurisdiction, "interstate") == "interstate");
  BOOST_TEST(l.admit(extra_label::jurisdiction, "local") == "other");
  BOOST_TEST(l.admit(extra_label::jurisdiction, "INTERSTATE") == "other");  // never a label value
  BOOST_TEST(l.admit(extra_label::jurisdiction, "unknown") == "unknown");
  BOOST_TEST(l.admit(extra_label::international, "maybe") == "other");
  BOOST_TEST(l.admit(extra_label::international, "true") == "true");
}

// The rules of the one normalizer that jurisdiction and account labels share, each as its
// caller sees it.
BOOST_AUTO_TEST_SUITE(label_normalization)

namespace {
std::string account_of(std::string_view billing_id) { return account_label(billing_id).value_or("(none)"); }
}  // namespace

BOOST_AUTO_TEST_CASE(a_jurisdiction_is_trimmed_of_any_white_space_and_needs_no_letter) {
  call_labeler l(only(extra_label::jurisdiction));
  BOOST_TEST(jurisdiction_of(l, "\t\v\fLOCAL\r\n") == "local");
  BOOST_TEST(jurisdiction_of(l, "%%%") == "___");
  BOOST_TEST(jurisdiction_of(l, "a_1.B") == "a_1_b");
  BOOST_TEST(jurisdiction_of(l, "  " + std::string(max_jurisdiction_length, 'A') + "  ") ==
             std::string(max_jurisdiction_length, 'a'));  // the length counts after trimming
}

BOOST_AUTO_TEST_CASE(a_saved_jurisdiction_is_admitted_only_as_the_normalizer_would_give_it) {
  call_labeler l(only(extra_label::jurisdiction));
  BOOST_TEST(l.admit(extra_label::jurisdiction, "a_1") == "a_1");
  BOOST_TEST(l.admit(extra_label::jurisdiction, "___") == "___");
  BOOST_TEST(l.admit(extra_label::jurisdiction, " a_1") == "other");
  BOOST_TEST(l.admit(extra_label::jurisdiction, "a.1") == "other");
  BOOST_TEST(l.admit(extra_label::jurisdiction, "") == "other");
  BOOST_TEST(l.admit(extra_label::jurisdiction, std::string(max_jurisdiction_length + 1, 'a')) == "other");
  BOOST_TEST(l.distinct(extra_label::jurisdiction) == 2);
}

BOOST_AUTO_TEST_CASE(an_account_label_keeps_case_dots_and_dashes) {
  BOOST_TEST(account_of("Acme.EU-2_x") == "Acme.EU-2_x");
  BOOST_TEST(account_of("a b/c:d") == "a_b_c_d");
  BOOST_TEST(account_of("Zürich") == "Z__rich");
}

BOOST_AUTO_TEST_CASE(an_account_label_needs_a_letter_or_digit_and_at_most_64_characters) {
  BOOST_TEST(!account_label("._-").has_value());
  BOOST_TEST(!account_label("   ").has_value());
  BOOST_TEST(account_of(std::string(max_account_label, 'x')) == std::string(max_account_label, 'x'));
  BOOST_TEST(!account_label(std::string(max_account_label + 1, 'x')).has_value());
  BOOST_TEST(account_of(" \t" + std::string(max_account_label, 'x') + "\r\n") ==
             std::string(max_account_label, 'x'));  // the length counts after trimming
}

BOOST_AUTO_TEST_CASE(an_account_label_is_trimmed_of_spaces_tabs_and_line_breaks_only) {
  BOOST_TEST(account_of("\t B1 \r\n") == "B1");
  BOOST_TEST(account_of("\vB1\f") == "_B1_");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()
