// The top level of the config file and the file itself; each section is read in
// config/detail/*_section.cpp (see config/detail/sections.hpp).
#include "config/config_loader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

#include <yaml-cpp/yaml.h>

#include "config/detail/sections.hpp"
#include "config/file_checks.hpp"
#include "config/yaml_reader.hpp"

namespace voxo::config {
namespace {

using detail::api_keys;
using detail::collector_keys;
using detail::discovery_keys;
using detail::in_quotes;
using detail::located;
using detail::metrics_keys;
using detail::partner_keys;
using detail::tenant_keys;
using detail::top_keys;
using detail::yaml_reader;

constexpr std::uintmax_t max_file_bytes = 1 << 20;  // a config file, not a data set

bool contains(detail::key_list keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// A section's key written at the top level (a lost indent) gets a better hint than a spelling
// suggestion would. A secret there gets the same refusal as under api:.
void check_misplaced_keys(const yaml_reader& r, const YAML::Node& root) {
  for (const auto& entry : root) {
    const YAML::Node& key_node = entry.first;
    if (!key_node.IsScalar()) continue;
    const std::string& key = key_node.Scalar();
    if (contains(top_keys, key)) continue;
    if (key == "password" || key == "token")
      r.fail(key_node, key,
             "secrets don't belong in config files: use api.token_file or api.password_file, "
             "or VOXO_TOKEN / VOXO_PASSWORD in the environment");
    const char* section = contains(api_keys, key)         ? "api"
                          : contains(collector_keys, key) ? "collector"
                          : contains(metrics_keys, key)   ? "metrics"
                          : contains(tenant_keys, key) || contains(discovery_keys, key) || contains(partner_keys, key)
                              ? "tenants"
                              : nullptr;
    if (section) r.fail(key_node, "", "unknown key " + in_quotes(key) + " (it belongs under \"" + section + ":\")");
  }
}

void resolve_relative(std::optional<std::string>& path, const std::filesystem::path& base) {
  if (path && std::filesystem::path(*path).is_relative()) *path = (base / *path).lexically_normal().string();
}

config load(std::string_view yaml, std::string_view source_name, const std::filesystem::path* base_dir) {
  const yaml_reader r{std::string(source_name)};
  try {
    const detail::yaml_stream stream = detail::load_first_document(std::string(yaml));
    if (stream.more)
      r.fail_at_mark(*stream.more, "", "more than one YAML document, or text after the end of the first");
    const YAML::Node& root = stream.first;
    if (root.IsNull()) r.fail("", "empty configuration (expected a mapping with api, collector and tenants)");
    if (!root.IsMap())
      r.fail(root, "",
             "expected a mapping with api, collector and tenants at the top level, got " +
                 std::string(detail::kind_of(root)));

    check_misplaced_keys(r, root);
    config c;
    c.source = std::string(source_name);
    bool tenants_given = false;
    for (const auto& [key, v] : r.entries(located{root, ""}, top_keys)) {
      if (key == "api") detail::read_api(r, v, c.api);
      else if (key == "collector") detail::read_collector(r, v, c.collector);
      else if (key == "metrics") detail::read_metrics(r, v, c.metrics);
      else if (key == "tenants") {
        tenants_given = true;
        detail::read_tenants(r, v, c);
      }
    }
    if (!tenants_given) r.fail("tenants", "missing (list the tenants to poll, or set tenants: {discover: true})");
    detail::check_credentials(r, c.api);
    c.api.max_connections = c.collector.concurrency;

    if (base_dir) {
      resolve_relative(c.api.token_file, *base_dir);
      resolve_relative(c.api.password_file, *base_dir);
      resolve_relative(c.api.ca_file, *base_dir);
      resolve_relative(c.collector.state_file, *base_dir);
    }
    return c;
  } catch (const YAML::Exception& e) {
    // e.msg without e.what(): what() repeats the position in yaml-cpp's own format.
    r.fail_at_mark(e.mark, "", "invalid YAML: " + e.msg);
  }
}

}  // namespace

config load_config_text(std::string_view yaml, std::string_view source_name) {
  return load(yaml, source_name, nullptr);
}

config load_config_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec) throw config_error(path + ": cannot read: " + ec.message());
  if (fs::is_directory(status)) throw config_error(path + ": is a directory, not a config file");
  if (fs::is_regular_file(status) && fs::file_size(path, ec) > max_file_bytes && !ec)
    throw config_error(path + ": larger than 1 MiB, not a config file");

  std::ifstream in(path, std::ios::binary);
  if (!in) throw config_error(path + ": cannot read: " + std::strerror(errno));
  std::string text;
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_file_bytes) throw config_error(path + ": larger than 1 MiB, not a config file");
  }
  if (in.bad()) throw config_error(path + ": cannot read: " + std::strerror(errno));

  const fs::path base = fs::absolute(fs::path(path), ec).parent_path();
  config c = load(text, path, &base);
  check_files(c);
  return c;
}

}  // namespace voxo::config
