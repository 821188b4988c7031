#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <string>

#include "config/detail/sections.hpp"
#include "util/full_match_regex.hpp"

namespace voxo::config::detail {
namespace {

constexpr std::size_t max_regex_length = 1024;  // a name filter, not a program
constexpr std::uint64_t max_partner_accounts = 100000;

long long tenant_id(const yaml_reader& r, const located& v) {
  const std::string text = r.string(v);
  long long id = 0;
  const bool digits_only = std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (!digits_only || ec != std::errc{} || end != text.data() + text.size() || id <= 0)
    r.fail(v, "invalid tenant id " + in_quotes(text) + " (expected a positive whole number)");
  return id;
}

void read_tenant_list(const yaml_reader& r, const located& list, std::vector<tenant_config>& tenants) {
  const auto items = r.items(list);
  if (items.empty()) r.fail(list, "no tenants (list at least one, or use {discover: true})");

  std::map<std::string, std::string> label_owner;  // label -> path of the item that has it
  for (const auto& item : items) {
    std::optional<long long> id;
    std::optional<std::string> billing_code;
    tenant_config t;
    for (const auto& [key, v] : r.entries(item, tenant_keys)) {
      if (key == "id") id = tenant_id(r, v);
      else if (key == "billing_code") billing_code = r.string(v);
      else if (key == "name") t.name = r.string(v);
    }
    if (id && billing_code) r.fail(item, "set either id or billing_code, not both");
    if (!id && !billing_code) r.fail(item, "needs an id or a billing_code");
    if (id) {
      t.scope = api::tenant_scope{*id};
      t.label = std::to_string(*id);
    } else {
      t.scope = api::billing_code_scope{*billing_code};
      t.label = *billing_code;
    }
    // Two entries with one label would add up into one series: the same tenant counted twice.
    const auto [it, fresh] = label_owner.emplace(t.label, item.path);
    if (!fresh) r.fail(item, "duplicate tenant " + in_quotes(t.label) + " (already in " + it->second + ")");
    tenants.push_back(std::move(t));
  }
}

// RE2 syntax, as Prometheus uses: RE2 itself refuses what it can't run in linear time
// (backreferences, lookarounds) and repetition counts over 1000.
void check_regexes(const yaml_reader& r, const located& list) {
  for (const auto& item : r.items(list)) {
    const std::string pattern = r.string(item);
    if (pattern.size() > max_regex_length)
      r.fail(item, "regex longer than " + std::to_string(max_regex_length) + " characters");
    const auto compiled = util::full_match_regex::compile(pattern);
    if (!compiled) r.fail(item, "invalid regex " + in_quotes(pattern) + " (RE2 syntax): " + compiled.error());
  }
}

void read_discovery(const yaml_reader& r, const located& map, discovery_config& d) {
  bool discover_given = false;
  for (const auto& [key, v] : r.entries(map, discovery_keys)) {
    if (key == "discover") {
      discover_given = true;
      if (!r.boolean(v)) r.fail(v, "false leaves no tenants to poll (list the tenants instead)");
    } else if (key == "include") {
      d.include = r.string_list(v);
      check_regexes(r, v);
    } else if (key == "exclude") {
      d.exclude = r.string_list(v);
      check_regexes(r, v);
    } else if (key == "refresh") d.refresh = duration_in(r, v, refresh_range);
  }
  if (!discover_given) r.fail(map, "needs discover: true (or a list of tenants)");
  d.enabled = true;
}

// tenants: {partner: true, accounts: [{billing_code, name}], max_accounts: n}
void read_partner(const yaml_reader& r, const located& map, config& c) {
  for (const auto& entry : map.node)
    if (entry.first.IsScalar() && entry.first.Scalar() == "discover")
      r.fail(map, "partner: true already covers every account of the partner; drop discover");
  for (const auto& [key, v] : r.entries(map, partner_keys)) {
    if (key == "partner") {
      if (!r.boolean(v)) r.fail(v, "false: list the tenants instead, or use {discover: true}");
    } else if (key == "max_accounts") {
      const auto n = r.unsigned_integer(v);
      if (n < 1 || n > max_partner_accounts) r.fail(v, "must be between 1 and " + std::to_string(max_partner_accounts));
      c.partner.max_accounts = static_cast<std::size_t>(n);
    } else if (key == "accounts") {
      std::map<std::string, std::string> owner;
      for (const auto& item : r.items(v)) {
        tenant_config a;
        for (const auto& [k, field] : r.entries(item, tenant_keys)) {
          if (k == "id")
            r.fail(field, "partner-wide replies name accounts by billing code (billingId): use billing_code");
          else if (k == "billing_code") a.label = r.string(field);
          else a.name = r.string(field);
        }
        if (a.label.empty()) r.fail(item, "needs a billing_code");
        if (a.label == "partner") r.fail(item, "\"partner\" is the label of records that name no account");
        a.scope = api::billing_code_scope{a.label};
        if (const auto [it, fresh] = owner.emplace(a.label, item.path); !fresh)
          r.fail(item, "duplicate account " + in_quotes(a.label) + " (already in " + it->second + ")");
        c.partner.accounts.push_back(std::move(a));
      }
    }
  }
  c.partner.enabled = true;
  c.tenants = {tenant_config{api::partner_scope{}, "partner", ""}};
}

}  // namespace

void read_tenants(const yaml_reader& r, const located& section, config& c) {
  const bool partner = section.node.IsMap() && std::any_of(section.node.begin(), section.node.end(), [](const auto& e) {
                         return e.first.IsScalar() && e.first.Scalar() == "partner";
                       });
  if (partner) read_partner(r, section, c);
  else if (section.node.IsMap()) read_discovery(r, section, c.discovery);
  else if (section.node.IsSequence()) read_tenant_list(r, section, c.tenants);
  else
    r.fail(section, "expected a list of tenants, {discover: true} or {partner: true}, got " +
                        std::string(kind_of(section.node)));
}

}  // namespace voxo::config::detail
