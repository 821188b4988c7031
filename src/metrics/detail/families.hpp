#pragma once
// The metric families every tenant's series live in, registered once per exporter_metrics.
// Internal to metrics/: exporter_metrics owns them, tenant_metrics adds its series to them.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

#include "metrics/call_deltas.hpp"
#include "metrics/call_labels.hpp"
#include "metrics/exposition_text.hpp"

namespace voxo::metrics::detail {

struct families {
  prometheus::Family<prometheus::Counter>& calls;
  prometheus::Family<prometheus::Histogram>& duration;
  prometheus::Family<prometheus::Histogram>& talk_duration;
  prometheus::Family<prometheus::Histogram>& mos;
  prometheus::Family<prometheus::Histogram>& jitter;
  prometheus::Family<prometheus::Histogram>& packet_loss;
  prometheus::Family<prometheus::Counter>& recorded;
  prometheus::Family<prometheus::Counter>& queued;
  prometheus::Family<prometheus::Gauge>& tenant_info;
  prometheus::Family<prometheus::Gauge>& build_info;
  prometheus::Family<prometheus::Gauge>& up;
  prometheus::Family<prometheus::Counter>& requests;
  prometheus::Family<prometheus::Histogram>& request_duration;
  prometheus::Family<prometheus::Counter>& records;
  prometheus::Family<prometheus::Counter>& duplicates;
  prometheus::Family<prometheus::Counter>& invalid;
  prometheus::Family<prometheus::Gauge>& last_success;
  prometheus::Family<prometheus::Gauge>& watermark;
  prometheus::Family<prometheus::Counter>& polls;
  prometheus::Family<prometheus::Counter>& revised;
  prometheus::Family<prometheus::Counter>& outside_window;
  call_labeler& labeler;              // extra labels of voxo_calls_total, and their cap
  bool per_tenant_histograms = true;  // false: the call histograms are summed over tenants

  prometheus::Family<prometheus::Histogram>& call_histogram_family(call_histogram h) {
    switch (h) {
      case call_histogram::duration: return duration;
      case call_histogram::talk_duration: return talk_duration;
      case call_histogram::mos: return mos;
      case call_histogram::jitter: return jitter;
      case call_histogram::packet_loss: return packet_loss;
    }
    return duration;
  }
};

// Registers a family and adds it to the data part's text (a family not added is not served).
struct registrar {
  prometheus::Registry& registry;
  family_text& text;
};

template <class Builder>
auto& build(Builder b, const registrar& r, const std::string& name, const std::string& help) {
  auto& f = b.Name(name).Help(help).Register(r.registry);
  r.text.add(f);
  return f;
}

// `every` names the collection interval in HELP texts (e.g. "60s").
std::unique_ptr<families> make_families(const registrar& r, const std::string& every, call_labeler& labeler,
                                        bool per_tenant_histograms);

}  // namespace voxo::metrics::detail
