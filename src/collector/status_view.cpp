#include "collector/status_view.hpp"

#include <algorithm>
#include <cstddef>

#include "metrics/buckets.hpp"
#include "metrics/call_deltas.hpp"

namespace voxo::collector {

namespace {

double median_mos(const metrics::call_deltas& totals) {
  metrics::histogram_delta all;
  for (std::size_t d = 0; d < api::direction_count; ++d)
    all.merge(totals.histogram(metrics::call_histogram::mos, static_cast<api::call_direction>(d)));
  return metrics::estimate_quantile(metrics::mos_buckets, all, 0.5).value_or(-1);
}

tenant_status counted(const std::string& label, const std::string& name, const metrics::call_deltas& totals) {
  tenant_status s;
  s.label = label;
  s.name = name;
  s.calls = totals.total_calls();
  s.answered = totals.answered_calls();
  if (const double m = median_mos(totals); m >= 0) s.median_mos = m;
  return s;
}

}  // namespace

std::vector<tenant_status> tenant_statuses(const tenant_book& book) {
  std::vector<tenant_status> out;
  for (const auto& [label, t] : book.tenants()) {
    if (!t->active) continue;
    auto s = counted(label, t->cfg.name, t->metrics->totals());
    s.last_success = t->last_success;
    s.watermark = t->watermark;
    s.errors = t->errors;
    s.last_error = t->last_error;
    out.push_back(std::move(s));
  }
  const auto& accounts = book.accounts();
  const tenant_state* partner = accounts.series().empty() ? nullptr : book.find(accounts.accounts().partner_label());
  for (const auto& [label, m] : accounts.series()) {
    auto s = counted(label, accounts.name_of(label), m->totals());
    if (partner) {
      s.last_success = partner->last_success;
      s.watermark = partner->watermark;
    }
    out.push_back(std::move(s));
  }
  return out;
}

bool all_polled_once(const tenant_book& book) {
  return std::all_of(book.tenants().begin(), book.tenants().end(),
                     [](const auto& kv) { return !kv.second->active || kv.second->succeeded_once; });
}

}  // namespace voxo::collector
