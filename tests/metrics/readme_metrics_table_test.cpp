#include <boost/test/unit_test.hpp>

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "metrics/exporter_metrics.hpp"
#include "support/sample_cdr.hpp"

// The README's "Metrics" table is the user's list of what /metrics serves: every family the
// exporter exposes must have its row, with the family's type and every label its series carry,
// and every row must name a family that exists. Checked against a real exposition in which every
// family has a series, so a new metric (or a renamed one, or a new label) cannot go undocumented.

namespace {
using namespace voxo;

struct family {
  std::string type;
  std::set<std::string> labels;
};

// `# TYPE name type` lines, and the label names on each family's samples (le and quantile are
// the histogram's and summary's own).
std::map<std::string, family> families_of(const std::string& text) {
  std::map<std::string, family> out;
  std::istringstream in(text);
  std::string line, current;
  while (std::getline(in, line)) {
    if (line.starts_with("# TYPE ")) {
      std::istringstream w(line.substr(7));
      w >> current;
      w >> out[current].type;
      continue;
    }
    if (line.empty() || line.starts_with('#') || current.empty()) continue;
    const auto brace = line.find('{');
    if (brace == std::string::npos || line.find(' ') < brace) continue;
    for (std::size_t at = brace + 1; at < line.size() && line[at] != '}';) {
      const auto eq = line.find('=', at);
      const std::string name = line.substr(at, eq - at);
      if (name != "le" && name != "quantile") out[current].labels.insert(name);
      at = eq + 2;  // past ="
      while (at < line.size() && line[at] != '"') at += line[at] == '\\' ? 2 : 1;
      at += 1;  // past the closing quote
      if (at < line.size() && line[at] == ',') ++at;
    }
  }
  return out;
}

// The README row of `name`: "| `name` | type | labels | meaning |", split into its cells.
std::vector<std::string> readme_row(const std::string& readme, const std::string& name) {
  const auto at = readme.find("\n| `" + name + "` |");
  if (at == std::string::npos) return {};
  const auto end = readme.find('\n', at + 1);
  const std::string row = readme.substr(at + 1, end - at - 1);
  std::vector<std::string> cells;
  std::size_t from = 0;
  for (auto bar = row.find('|', from); bar != std::string::npos; bar = row.find('|', from)) {
    std::string cell = row.substr(from, bar - from);
    cell.erase(0, cell.find_first_not_of(' '));
    cell.erase(cell.find_last_not_of(' ') + 1);
    cells.push_back(cell);
    from = bar + 1;
  }
  return cells;
}

std::string read_readme() {
  std::ifstream in(VOXO_SOURCE_DIR "/README.md");
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

metrics::exporter_metrics::options without_process_metrics() {
  metrics::exporter_metrics::options o;
  o.process_metrics = false;  // process_* has its own catch-all row
  return o;
}

// What /metrics serves from `m` once every family has at least one series.
std::string full_exposition(metrics::exporter_metrics& m) {
  const std::chrono::sys_seconds t(std::chrono::seconds(1700000000));
  auto& tenant = m.tenant("37", "Acme");
  metrics::call_deltas calls;  // an answered call with every field: every call family has a series
  calls.add(test::call_with_every_field("x", api::call_direction::in, api::call_disposition::answered));
  tenant.apply(calls);
  tenant.count_request("200", 0.2);
  tenant.count_ingest(1, 1, 1);
  tenant.count_revised(1);
  tenant.count_outside_window(1);
  tenant.count_poll(true);
  tenant.set_up(true);
  tenant.set_last_success(t);
  tenant.set_watermark(t);
  m.set_config_reload(true, t);
  m.set_shard_tenants(1);
  m.add_rate_limit_wait(0.5);
  m.count_unattributed(1);
  m.count_state_save(true, t);
  // Through the exposition cache, as a scrape gets it: the live part then carries the render
  // gauges of the data part it is served with.
  const auto served = m.exposition().current();
  return served->data->plain_text() + served->live;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(readme_metrics_table)

BOOST_AUTO_TEST_CASE(every_exposed_family_has_a_readme_row_with_its_type_and_labels) {
  const std::string readme = read_readme();
  BOOST_REQUIRE(!readme.empty());
  metrics::exporter_metrics m(without_process_metrics());
  const auto families = families_of(full_exposition(m));
  BOOST_REQUIRE(families.size() > 20);
  for (const auto& [name, f] : families) {
    BOOST_TEST_CONTEXT(name) {
      const auto cells = readme_row(readme, name);
      BOOST_TEST_REQUIRE(cells.size() >= 5, "README \"Metrics\" lacks a row for " << name);
      BOOST_TEST(cells[2] == f.type);
      for (const auto& label : f.labels)
        BOOST_TEST(cells[3].find(label) != std::string::npos, "README row of " << name << " lacks label " << label);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_readme_row_names_an_exposed_family) {
  const std::string readme = read_readme();
  metrics::exporter_metrics m(without_process_metrics());
  const auto families = families_of(full_exposition(m));
  const auto table = readme.find("| Name | Type | Labels | Meaning |");
  BOOST_REQUIRE(table != std::string::npos);
  std::istringstream rows(readme.substr(table));
  std::string line;
  std::getline(rows, line);  // header
  std::getline(rows, line);  // |---|
  std::size_t checked = 0;
  while (std::getline(rows, line) && line.starts_with("| `")) {
    const std::string name = line.substr(3, line.find('`', 3) - 3);
    if (name == "process_*") continue;
    BOOST_TEST(families.contains(name), "README row " << name << " is not exposed");
    ++checked;
  }
  BOOST_TEST(checked == families.size());
}

BOOST_AUTO_TEST_SUITE_END()
