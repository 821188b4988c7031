#include "sim/call_generator.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string_view>
#include <utility>

#include "sim/counter_rng.hpp"
#include "sim/json_object_writer.hpp"

namespace voxo::sim::detail {

quality_table::quality_table(quality_profile fallback, std::vector<quality_switch> switches)
    : fallback_(fallback), switches_(std::move(switches)) {}

quality_profile quality_table::at(long long tenant_id, std::chrono::sys_seconds t) const noexcept {
  const quality_switch* best = nullptr;
  for (const auto& s : switches_)
    if (s.tenant_id == tenant_id && s.from <= t && (!best || s.from >= best->from)) best = &s;
  return best ? best->profile : fallback_;
}

namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr std::uint64_t count_salt = 0xc0c0c0c0c0c0c0c0ULL;

struct lnp_entry {
  std::string_view ocn, lata, city, rate_center, state, lec, lec_type;
};
constexpr std::array<lnp_entry, 6> lnp_table{{
    {"8911", "826", "KINGSTON", "KINGSTON", "JM", "JAMAICA TELEPHONE CO.", "CLEC"},
    {"9206", "358", "CHICAGO", "CHICAGO", "IL", "AMERITECH ILLINOIS", "ILEC"},
    {"6214", "552", "DALLAS", "DALLAS", "TX", "SOUTHWESTERN BELL", "ILEC"},
    {"7219", "438", "ATLANTA", "ATLANTA NE", "GA", "BANDWIDTH.COM CLEC", "CLEC"},
    {"0512", "132", "NEW YORK", "NWYRCYZN01", "NY", "VERIZON NEW YORK", "ILEC"},
    {"4936", "730", "LOS ANGELES", "LSAN DA 01", "CA", "LEVEL 3 COMMUNICATIONS", "CLEC"},
}};
constexpr std::array<std::string_view, 12> first_names{"MARY",  "JAMES", "LINDA", "ROBERT", "MARIA", "DAVID",
                                                       "SUSAN", "JOSE",  "KAREN", "WEI",    "AISHA", "OMAR"};
constexpr std::array<std::string_view, 12> last_names{"SMITH",  "JOHNSON", "GARCIA", "NGUYEN", "BROWN", "PATEL",
                                                      "MILLER", "DAVIS",   "LOPEZ",  "WILSON", "CHEN",  "OKAFOR"};
constexpr std::array<std::string_view, 3> pbx_hosts{"atl-ast2", "dfw-ast1", "ord-ast3"};
constexpr std::array<std::string_view, 3> bad_times{"13/45/22 25:61:00", "2022-10-10 23:07:20", "yesterday"};

std::string phone_number(counter_rng& r) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%03lld%03lld%04lld", r.between(201, 989), r.between(200, 999), r.between(0, 9999));
  return buf;
}

std::string uuid(std::uint64_t key) {
  std::uint64_t a = splitmix64(key ^ 0x1d1d1d1d1d1d1d1dULL);
  std::uint64_t b = splitmix64(a);
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(a >> 32),
                static_cast<unsigned long long>((a >> 16) & 0xffff), static_cast<unsigned long long>(a & 0xffff),
                static_cast<unsigned long long>(b >> 48), static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

// Poisson-distributed count for one minute (inverse transform; plain mean when very busy).
unsigned calls_in_minute(double lambda, double u) {
  if (lambda <= 0) return 0;
  if (lambda > 200) {
    double base = std::floor(lambda);
    return static_cast<unsigned>(base) + (u < lambda - base ? 1U : 0U);
  }
  double p = std::exp(-lambda);
  double cumulative = p;
  unsigned k = 0;
  while (u > cumulative && k < 10000) {
    ++k;
    p *= lambda / k;
    cumulative += p;
  }
  return k;
}

// "MM/DD/YY HH:MM:" of a local minute; the seconds are appended per call.
std::string minute_prefix(date::local_seconds local_minute) {
  const auto day = date::floor<date::days>(local_minute);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<seconds> hms{local_minute - day};
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%02d %02d:%02d:", static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(ymd.year()) % 100,
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
  return buf;
}

struct call_values {
  std::string_view direction;
  std::string_view disposition;
  bool answered = false;
  long long duration = 0, after_answer = 0;  // seconds
  long long mos = 0, jitter = 0, loss = 0;   // hundredths
  bool recorded = false, queue_call = false, toll_free = false, international = false;
  // which optional metric fields are null
  bool null_duration = false, null_after = false, null_jitter = false, null_loss = false, null_mos = false,
       null_recorded = false, null_queue = false, null_toll_free = false, null_international = false,
       null_jurisdiction = false;
};

std::string_view pick_direction(double u) {
  if (u < 0.45) return "IN";
  if (u < 0.80) return "OUT";
  if (u < 0.90) return "LOCAL";
  return "INTERNAL";
}

// The same draws folded onto IN/OUT and ANSWERED/NO ANSWER, keeping their proportions.
std::string_view pick_narrow_direction(double u) { return u < 0.45 / 0.80 ? "IN" : "OUT"; }
std::string_view pick_narrow_disposition(double u) { return u < 0.70 / 0.88 ? "ANSWERED" : "NO ANSWER"; }

std::string_view pick_disposition(double u) {
  if (u < 0.70) return "ANSWERED";
  if (u < 0.88) return "NO ANSWER";
  if (u < 0.94) return "BUSY";
  if (u < 0.98) return "FAILED";
  return "CONGESTION";
}

// The API has been seen in upper case only; clients must not depend on that.
std::string_view lower_case(std::string_view upper) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 9> table{{{"IN", "in"},
                                                                                {"OUT", "out"},
                                                                                {"LOCAL", "local"},
                                                                                {"INTERNAL", "internal"},
                                                                                {"ANSWERED", "answered"},
                                                                                {"NO ANSWER", "no answer"},
                                                                                {"BUSY", "busy"},
                                                                                {"FAILED", "failed"},
                                                                                {"CONGESTION", "congestion"}}};
  for (const auto& [u, l] : table)
    if (u == upper) return l;
  return upper;
}

}  // namespace

void generate_minute(const generator_context& ctx, const tenant_spec& tenant, long long minute, bool partner_wide,
                     std::vector<generated_record>& out) {
  const dataset_options& opt = *ctx.options;
  const auto tenant_key = static_cast<std::uint64_t>(tenant.id);
  const auto minute_key = static_cast<std::uint64_t>(minute);
  counter_rng count_rng(hash_key(opt.seed, tenant_key, minute_key, count_salt));
  const unsigned n = calls_in_minute(tenant.calls_per_hour / 60.0, count_rng.uniform());
  if (n == 0) return;

  const sys_seconds minute_start{seconds{minute * 60}};
  const std::string time_prefix = minute_prefix(ctx.record_zone->to_local(minute_start));
  const bool finite = opt.to.has_value();
  const std::size_t first = out.size();

  for (unsigned i = 0; i < n; ++i) {
    const std::uint64_t key = hash_key(opt.seed, tenant_key, minute_key, i);
    counter_rng r(key);
    const long long second = r.between(0, 59);
    const sys_seconds time = minute_start + seconds{second};
    // Draws happen in a fixed order whatever the outcome, so one option never reshuffles
    // the values of another.
    const bool late = r.chance(opt.late_fraction);
    const double lag_u = r.uniform();
    const bool invalid = r.chance(opt.invalid_fraction);
    const auto flaw_pick = r.between(0, 4);
    const auto bad_time_pick = r.between(0, static_cast<long long>(bad_times.size()) - 1);
    const bool duplicate = r.chance(opt.duplicate_fraction);
    const bool unknown = r.chance(opt.unknown_fraction);
    const auto unknown_pick = r.between(0, 3);
    const double direction_u = r.uniform();
    const double disposition_u = r.uniform();
    const double ring_u = r.uniform();
    const double talk_u1 = 1.0 - r.uniform();
    const double talk_u2 = r.uniform();
    const bool mos_unmeasured = r.chance(0.1);
    const double mos_u = r.uniform();
    const double jitter_u = r.uniform();
    const double loss_u = r.uniform();
    if (time < opt.from || (opt.to && time > *opt.to)) continue;

    call_values v;
    const bool narrow = opt.narrow_labels_until && time < *opt.narrow_labels_until;
    v.direction = narrow ? pick_narrow_direction(direction_u) : pick_direction(direction_u);
    v.disposition = narrow ? pick_narrow_disposition(disposition_u) : pick_disposition(disposition_u);
    v.answered = v.disposition == "ANSWERED";
    if (v.answered) {
      // log-normal talk time around 2.5 min, whole call 10 s .. 1 h
      const double z = std::sqrt(-2.0 * std::log(talk_u1)) * std::cos(2.0 * std::numbers::pi * talk_u2);
      const long long ring = 1 + static_cast<long long>(ring_u * 25);
      const long long talk = std::clamp(static_cast<long long>(std::exp(std::log(150.0) + 1.1 * z)), 9LL, 3600 - ring);
      v.duration = ring + talk;
      v.after_answer = talk;
      if (!mos_unmeasured) {
        const bool bad = ctx.quality->at(tenant.id, time) == quality_profile::bad;
        v.mos = bad ? 250 + static_cast<long long>(mos_u * 101) : 400 + static_cast<long long>(mos_u * 41);
        v.jitter = bad ? 300 + static_cast<long long>(jitter_u * 1201) : static_cast<long long>(jitter_u * 201);
        v.loss = bad ? 200 + static_cast<long long>(loss_u * 801) : static_cast<long long>(loss_u * 51);
      }
    } else {
      v.duration =
          v.disposition == "NO ANSWER" ? 5 + static_cast<long long>(ring_u * 36) : static_cast<long long>(ring_u * 6);
    }
    const bool null_chance = opt.null_fraction > 0;
    auto maybe_null = [&] { return null_chance && r.chance(opt.null_fraction); };
    v.null_duration = maybe_null();
    v.null_after = maybe_null();
    v.null_jitter = maybe_null();
    v.null_loss = maybe_null();
    v.null_mos = maybe_null();
    v.null_recorded = maybe_null();
    v.null_queue = maybe_null();
    v.null_toll_free = maybe_null();
    v.null_international = maybe_null();
    v.null_jurisdiction = maybe_null();
    v.recorded = v.answered && r.chance(0.3);
    v.queue_call = v.direction == "IN" && r.chance(0.2);
    v.toll_free = v.direction == "OUT" && r.chance(0.05);
    v.international = v.direction == "OUT" && r.chance(0.02);
    if (unknown) {
      switch (unknown_pick) {
        case 0: v.direction = "SIDEWAYS"; break;
        case 1: v.disposition = "VOICEMAIL"; break;
        case 2: v.direction = lower_case(v.direction); break;
        default: v.disposition = lower_case(v.disposition); break;
      }
    }

    const bool external = v.direction != "INTERNAL";
    const lnp_entry& lnp = lnp_table[static_cast<std::size_t>(r.between(0, lnp_table.size() - 1))];
    const std::string caller = phone_number(r);
    const std::string dialed = v.direction == "INTERNAL" ? std::to_string(r.between(100, 199)) : phone_number(r);
    std::string caller_name(first_names[static_cast<std::size_t>(r.between(0, first_names.size() - 1))]);
    caller_name += ' ';
    caller_name += last_names[static_cast<std::size_t>(r.between(0, last_names.size() - 1))];
    std::string unique_id(pbx_hosts[static_cast<std::size_t>(r.between(0, pbx_hosts.size() - 1))]);
    unique_id +=
        '-' + std::to_string(time.time_since_epoch().count()) + '.' + std::to_string(r.between(1000000, 1999999));
    const std::string who_answered =
        v.answered && v.direction == "IN" ? std::to_string(r.between(100, 199)) : std::string();
    const bool presented = v.answered || r.chance(0.7);

    generated_record rec;
    rec.tenant_id = tenant.id;
    rec.time = time;
    rec.late = late;
    rec.valid = !invalid;
    rec.flaw = invalid ? static_cast<record_flaw>(1 + flaw_pick) : record_flaw::none;
    rec.duplicate = !invalid && duplicate;
    if (late) {
      const long long low = opt.max_late.count() > 60 ? 61 : 0;
      const long long lag = low + static_cast<long long>(lag_u * static_cast<double>(opt.max_late.count() - low + 1));
      rec.visible_at = (finite ? std::max(time, ctx.start_time) : time) + seconds{lag};
    } else {
      rec.visible_at = time + seconds{static_cast<long long>(lag_u * 61)};
    }

    std::string time_text = time_prefix;
    time_text += static_cast<char>('0' + second / 10);
    time_text += static_cast<char>('0' + second % 10);
    const std::string id = uuid(key);

    std::string& j = rec.json;
    j.reserve(1100);
    object_writer w(j);
    switch (rec.flaw) {
      case record_flaw::missing_id: break;
      case record_flaw::null_id: w.null("id"); break;
      case record_flaw::empty_id: w.str("id", ""); break;
      default: w.str("id", id); break;
    }
    w.str("time", rec.flaw == record_flaw::bad_time ? bad_times[static_cast<std::size_t>(bad_time_pick)]
                                                    : std::string_view(time_text));
    w.str("callerIdNumber", caller);
    w.str("callerIdName", caller_name);
    w.str("dialedNum", dialed);
    w.str("direction", v.direction);
    w.str("disposition", v.disposition);
    if (rec.flaw == record_flaw::wrong_type) w.str("duration", "abc");
    else w.opt_integer("duration", !v.null_duration, v.duration);
    w.opt_hundredths("percentJitter", !v.null_jitter, v.jitter);
    w.opt_hundredths("packetLoss", !v.null_loss, v.loss);
    w.integer("qos", v.mos >= 350 ? 1 : 0);
    w.str("uniqueId", unique_id);
    w.str("prevUniqueId", "");
    w.str("whoAnswered", who_answered);
    w.opt_integer("recorded", !v.null_recorded, v.recorded);
    w.opt_integer("queueCall", !v.null_queue, v.queue_call);
    w.opt_str("ocn", external, lnp.ocn);
    w.opt_str("ani", external, caller);
    w.opt_str("lata", external, lnp.lata);
    w.opt_str("city", external, lnp.city);
    w.opt_str("rateCenter", external, lnp.rate_center);
    w.opt_str("state", external, lnp.state);
    w.opt_str("jurisdiction", external && !v.null_jurisdiction, "INTERSTATE");
    w.opt_integer("local", external, v.direction == "LOCAL");
    w.opt_str("lec", external, lnp.lec);
    w.opt_str("lecType", external, lnp.lec_type);
    w.null("spid");
    w.opt_integer("isTollFree", !v.null_toll_free, v.toll_free);
    w.str("nextUniqueId", "");
    w.opt_integer("isInternational", !v.null_international, v.international);
    w.integer("presented", presented);
    w.opt_hundredths("mos", !v.null_mos, v.mos);
    w.str("callOutcome", "");
    w.opt_integer("afterAnswerDuration", !v.null_after, v.after_answer);
    w.opt_str("outgoingCidNum", v.direction == "OUT", caller);
    w.opt_str("billingId", partner_wide, tenant.billing_code);
    w.null("partnerId");
    w.null("geolocation");
    w.finish();

    if (rec.valid) {
      api::cdr c;
      c.id = id;
      c.time = time;
      c.direction = api::parse_direction(v.direction);
      c.disposition = api::parse_disposition(v.disposition);
      auto num = [](bool present, double x) { return present ? std::optional<double>(x) : std::nullopt; };
      auto flag = [](bool present, bool x) { return present ? std::optional<bool>(x) : std::nullopt; };
      c.duration = num(!v.null_duration, static_cast<double>(v.duration));
      c.after_answer_duration = num(!v.null_after, static_cast<double>(v.after_answer));
      // k / 100.0 is the double nearest to the decimal text, as any correct parser reads it
      c.percent_jitter = num(!v.null_jitter, static_cast<double>(v.jitter) / 100.0);
      c.packet_loss = num(!v.null_loss, static_cast<double>(v.loss) / 100.0);
      c.mos = num(!v.null_mos, static_cast<double>(v.mos) / 100.0);
      c.recorded = flag(!v.null_recorded, v.recorded);
      c.queue_call = flag(!v.null_queue, v.queue_call);
      c.is_toll_free = flag(!v.null_toll_free, v.toll_free);
      c.is_international = flag(!v.null_international, v.international);
      if (external && !v.null_jurisdiction) c.jurisdiction = "INTERSTATE";
      if (partner_wide) c.billing_id = tenant.billing_code;
      rec.call = std::move(c);
    }
    out.push_back(std::move(rec));
  }
  std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                   [](const generated_record& a, const generated_record& b) { return a.time > b.time; });
}

}  // namespace voxo::sim::detail
