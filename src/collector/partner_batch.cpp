#include "collector/partner_batch.hpp"

#include "metrics/call_labels.hpp"

namespace voxo::collector {

account_map::account_map(const config::partner_config& cfg, std::string partner_label)
    : partner_label_(std::move(partner_label)), max_accounts_(cfg.max_accounts) {
  for (const auto& a : cfg.accounts) {
    configured_.emplace(a.label, a.label);  // a configured account's label is its billing code
    names_.emplace(a.label, a.name);
  }
}

const std::string& account_map::name_of(std::string_view label) const {
  static const std::string none;
  auto it = names_.find(label);
  return it == names_.end() ? none : it->second;
}

std::string account_map::label_for(std::string_view billing_id) const {
  if (auto it = configured_.find(billing_id); it != configured_.end()) return it->second;
  auto label = metrics::account_label(billing_id);
  if (!label || *label == partner_label_) return {};
  return std::move(*label);
}

bool account_map::known(std::string_view label) const { return names_.count(label) > 0 || admitted_.count(label) > 0; }

void account_map::admit(const std::string& label) {
  if (!names_.count(label)) admitted_.insert(label);
}

partner_batch::partner_batch(const dedupe_set& known, api::time_window window, const account_map& accounts,
                             metrics::call_labeler* labeler)
    : whole_(known, window, nullptr, window_batch::staging::ids_only), accounts_(accounts), labeler_(labeler) {}

partner_batch::part& partner_batch::part_for(std::string_view label) {
  auto it = parts_.find(label);
  if (it == parts_.end()) it = parts_.emplace(std::string(label), part{}).first;
  return it->second;
}

void partner_batch::on_record(const api::cdr& record) {
  const auto records = whole_.records();
  const auto duplicates = whole_.duplicates();
  const auto revised = whole_.revised();
  whole_.on_record(record);
  const bool counted = whole_.records() > records;
  const bool revision = whole_.revised() > revised;
  if (!counted && !revision && whole_.duplicates() == duplicates) return;  // invalid: counted by whole_

  std::string label = record.billing_id ? accounts_.label_for(*record.billing_id) : std::string();
  bool over = false;
  if (!label.empty() && !accounts_.known(label) && !parts_.count(label)) {
    if (!counted) {
      label.clear();  // a duplicate or a revision alone admits no account
    } else if (accounts_.admitted() + new_accounts_.size() < accounts_.max_accounts()) {
      new_accounts_.push_back(label);
    } else {
      over = true;
      label.clear();
    }
  }
  auto& p = part_for(label.empty() ? std::string_view(accounts_.partner_label()) : std::string_view(label));
  if (counted) {
    p.deltas.add(record, labeler_);
    ++p.records;
    if (over) ++overflow_;
  } else if (revision) {
    ++p.revised;
  } else {
    ++p.duplicates;
  }
}

void partner_batch::on_invalid(std::string_view why) { whole_.on_invalid(why); }

}  // namespace voxo::collector
