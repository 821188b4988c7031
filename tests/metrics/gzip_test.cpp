#include <boost/test/unit_test.hpp>

#include <zlib.h>

#include <cstdio>
#include <string>

#include "metrics/gzip.hpp"
#include "support/temp_dir.hpp"

namespace {
using namespace voxo;

struct inflated {
  std::string text;
  bool complete = false;  // Z_STREAM_END (CRC-32 and ISIZE checked) with no byte left over
};

// zlib's own gzip reader, as a client would use it.
inflated inflate_gzip(const std::string& member) {
  inflated r;
  z_stream z{};
  if (inflateInit2(&z, 31) != Z_OK) return r;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(member.data()));
  z.avail_in = static_cast<uInt>(member.size());
  char chunk[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    r.text.append(chunk, sizeof chunk - z.avail_out);
  }
  r.complete = rc == Z_STREAM_END && z.avail_in == 0;
  inflateEnd(&z);
  return r;
}

std::string spliced(const std::string& data, const std::string& live) {
  const auto open = metrics::deflate_open(data);
  BOOST_REQUIRE(open);
  const auto finish = metrics::gzip_finish(*open, live);
  BOOST_REQUIRE(finish);
  return std::string(metrics::gzip_header()) + open->bytes + *finish;
}

std::string exposition_like(int lines) {
  std::string s = "# HELP voxo_calls_total Calls.\n# TYPE voxo_calls_total counter\n";
  for (int i = 0; i < lines; ++i)
    s += "voxo_calls_total{tenant=\"" + std::to_string(1000 + i) + "\",direction=\"in\"} " + std::to_string(i * 7) +
         "\n";
  return s;
}

// Bytes that do not compress: the deflate data needs more than one output buffer.
std::string noise(std::size_t n) {
  std::string s(n, '\0');
  std::uint32_t x = 2463534242u;
  for (auto& c : s) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x & 0xff);
  }
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gzip)

BOOST_AUTO_TEST_CASE(a_whole_buffer_compresses_and_decompresses) {
  const auto text = exposition_like(100);
  const auto z = metrics::gzip_compress(text);
  BOOST_TEST(z.size() < text.size());
  BOOST_TEST(metrics::gzip_decompress(z) == text);
}

BOOST_AUTO_TEST_CASE(a_spliced_member_inflates_to_both_parts) {
  const auto data = exposition_like(2000);
  const std::string live = "# TYPE process_open_fds gauge\nprocess_open_fds 12\n";
  const auto r = inflate_gzip(spliced(data, live));
  BOOST_TEST(r.complete);
  BOOST_TEST(r.text == data + live);
}

BOOST_AUTO_TEST_CASE(empty_parts_still_make_a_valid_member) {
  for (const auto& [data, live] :
       {std::pair<std::string, std::string>{"", ""}, {"", "process_open_fds 12\n"}, {exposition_like(3), ""}}) {
    const auto r = inflate_gzip(spliced(data, live));
    BOOST_TEST(r.complete);
    BOOST_TEST(r.text == data + live);
  }
}

BOOST_AUTO_TEST_CASE(the_shared_part_is_byte_aligned_and_not_final) {
  // A sync flush ends with an empty stored block: 00 00 ff ff.
  const auto open = metrics::deflate_open(exposition_like(10));
  BOOST_REQUIRE(open);
  BOOST_REQUIRE(open->bytes.size() >= 4u);
  BOOST_TEST(open->bytes.substr(open->bytes.size() - 4) == std::string("\0\0\xff\xff", 4));
  // On its own, with a trailer-less ending, it is not a complete member.
  BOOST_TEST(!inflate_gzip(std::string(metrics::gzip_header()) + open->bytes).complete);
}

BOOST_AUTO_TEST_CASE(incompressible_parts_larger_than_a_buffer_survive) {
  const auto data = noise(300 * 1024);
  const auto live = noise(100 * 1024);
  const auto r = inflate_gzip(spliced(data, live));
  BOOST_TEST(r.complete);
  BOOST_TEST((r.text == data + live));
}

BOOST_AUTO_TEST_CASE(one_shared_part_serves_many_members) {
  const auto open = metrics::deflate_open(exposition_like(50));
  BOOST_REQUIRE(open);
  for (const std::string live : {"a 1\n", "a 2\n", ""}) {
    const auto finish = metrics::gzip_finish(*open, live);
    BOOST_REQUIRE(finish);
    const auto r = inflate_gzip(std::string(metrics::gzip_header()) + open->bytes + *finish);
    BOOST_TEST(r.complete);
    BOOST_TEST(r.text == exposition_like(50) + live);
  }
}

BOOST_AUTO_TEST_CASE(a_wrong_crc_is_rejected_by_the_reader) {
  auto member = spliced(exposition_like(5), "x 1\n");
  member[member.size() - 8] = static_cast<char>(member[member.size() - 8] ^ 0x01);  // first CRC byte
  BOOST_TEST(!inflate_gzip(member).complete);
}

BOOST_AUTO_TEST_CASE(python_gzip_reads_a_spliced_member) {
  const auto data = exposition_like(500);
  const std::string live = "process_open_fds 12\n";
  test::temp_dir dir;
  const auto file = dir.write("body.gz", spliced(data, live));
  const std::string cmd =
      "/usr/bin/python3 -c 'import gzip,sys; "
      "sys.stdout.buffer.write(gzip.decompress(open(sys.argv[1],\"rb\").read()))' " +
      file.string();
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  BOOST_REQUIRE(p);
  char buf[4096];
  while (auto n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  BOOST_TEST(pclose(p) == 0);
  BOOST_TEST(out == data + live);
}

BOOST_AUTO_TEST_CASE(a_shared_part_keeps_no_room_for_the_uncompressed_size) {
  std::string text;
  for (int i = 0; text.size() < 8u * 1024u * 1024u; ++i)
    text += "voxo_calls_total{tenant=\"" + std::to_string(i) + "\"} 1\n";
  const auto p = metrics::deflate_open(text);
  BOOST_REQUIRE(p);
  BOOST_TEST(p->bytes.capacity() < text.size() / 4);
  BOOST_TEST(inflate_gzip(std::string(metrics::gzip_header()) + p->bytes + *metrics::gzip_finish(*p, "")).text == text);
}

BOOST_AUTO_TEST_SUITE_END()
