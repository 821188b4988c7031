#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>

#include "util/base64.hpp"

namespace {
using voxo::util::base64_alphabet;
using voxo::util::base64_decode;
using voxo::util::base64_encode_unpadded;
}  // namespace

BOOST_AUTO_TEST_SUITE(base64)

BOOST_AUTO_TEST_CASE(decodes_the_rfc_4648_vectors_with_or_without_padding) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"Zg==", "f"},
                                                         {"Zm8=", "fo"},
                                                         {"Zm9v", "foo"},
                                                         {"Zm9vYg==", "foob"},
                                                         {"Zm9vYmE=", "fooba"},
                                                         {"Zm9vYmFy", "foobar"},
                                                         {"Zm9vYmE", "fooba"}};
  for (const auto& [text, bytes] : vectors) BOOST_TEST_CONTEXT(text) {
      BOOST_TEST((base64_decode(text, base64_alphabet::standard) == std::optional<std::string>(bytes)));
    }
}

BOOST_AUTO_TEST_CASE(each_alphabet_takes_only_its_own_two_last_characters) {
  BOOST_TEST((base64_decode("-_8", base64_alphabet::url) == std::optional<std::string>("\xfb\xff")));
  BOOST_TEST((base64_decode("+/8", base64_alphabet::standard) == std::optional<std::string>("\xfb\xff")));
  BOOST_TEST(!base64_decode("-_8", base64_alphabet::standard).has_value());
  BOOST_TEST(!base64_decode("+/8", base64_alphabet::url).has_value());
}

BOOST_AUTO_TEST_CASE(a_foreign_character_or_a_lone_last_character_is_refused) {
  for (const char* bad : {"Zm9v!", "Zm 9v", "Zm9vY", "Z", "Zm9vY==="}) BOOST_TEST_CONTEXT(bad) {
      BOOST_TEST(!base64_decode(bad, base64_alphabet::standard).has_value());
    }
}

BOOST_AUTO_TEST_CASE(unpadded_encoding_decodes_back_to_the_same_bytes) {
  BOOST_TEST(base64_encode_unpadded("fooba", base64_alphabet::standard) == "Zm9vYmE");
  BOOST_TEST(base64_encode_unpadded("\xfb\xff", base64_alphabet::url) == "-_8");
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  for (std::size_t n : {0u, 1u, 2u, 3u, 255u, 256u}) BOOST_TEST_CONTEXT(n) {
      const std::string bytes = all.substr(0, n);
      BOOST_TEST((base64_decode(base64_encode_unpadded(bytes, base64_alphabet::url), base64_alphabet::url) ==
                  std::optional<std::string>(bytes)));
    }
}

BOOST_AUTO_TEST_SUITE_END()
