#pragma once
// The YAML configuration file (--config.file), loaded strictly: unknown keys, wrong types,
// bad values and missing credentials all stop the start-up with ONE line naming the file,
// the line where known, and the key, e.g.
//   config.yml:7: collector.interval: invalid duration "5 minutes" (use e.g. 30s, 5m, 1h)
//   config.yml:12: unknown key "colector" (did you mean "collector"?)
// Keys are documented, every one of them, in deploy/config/voxo_exporter.yml.

#include <stdexcept>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace voxo::config {

// The only exception the loaders throw (bar std::bad_alloc). what() is one line and never
// holds a secret.
class config_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads and validates `path`. Relative paths in the file (token_file, password_file, ca_file,
// state_file) are resolved against the file's directory, as Prometheus does.
// Sets config.source = path. Credentials are checked for presence only (the files named,
// or VOXO_TOKEN / VOXO_PASSWORD in the environment); no secret is read here.
config load_config_file(const std::string& path);

// Same, from text; `source_name` prefixes every message and becomes config.source.
// Relative paths stay as written.
config load_config_text(std::string_view yaml, std::string_view source_name);

}  // namespace voxo::config
