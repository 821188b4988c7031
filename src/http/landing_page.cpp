#include "http/landing_page.hpp"
#include "util/build_info.hpp"

#include <cstdio>

namespace voxo::http {
namespace {

constexpr std::string_view dash = "&mdash;";

std::string time_cell(const std::optional<std::chrono::sys_seconds>& t, std::chrono::system_clock::time_point now) {
  if (!t) return std::string(dash);
  auto age = std::chrono::floor<std::chrono::seconds>(now) - *t;
  return "<time datetime=\"" + format_utc(*t) + "\">" + format_utc(*t) + "</time> (" + format_age(age) + ")";
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return std::string(dash);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

std::string mos(const std::optional<double>& value) {
  if (!value) return std::string(dash);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", *value);
  return buf;
}

void append_row(std::string& out, const tenant_view& t, std::chrono::system_clock::time_point now) {
  std::string label = html_escape(t.label);
  out += "<tr data-tenant=\"" + label + "\">";
  out += "<td>" + label + "</td>";
  out += "<td>" + html_escape(t.name) + "</td>";
  out += "<td class=\"num\">" + std::to_string(t.calls) + "</td>";
  out += "<td class=\"num\">" + percent(t.answered, t.calls) + "</td>";
  out += "<td class=\"num\">" + mos(t.median_mos) + "</td>";
  out += "<td>" + time_cell(t.watermark, now) + "</td>";
  out += "<td>" + time_cell(t.last_success, now) + "</td>";
  out += "<td class=\"num\">" + std::to_string(t.errors) + "</td>";
  out += "<td>" + (t.last_error.empty() ? std::string(dash) : html_escape(t.last_error)) + "</td>";
  out += "</tr>\n";
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string format_utc(std::chrono::sys_seconds t) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss hms{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string format_age(std::chrono::seconds age) {
  if (age.count() < 0) return "in the future";
  long long s = age.count();
  long long d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60, sec = s % 60;
  char buf[64];
  if (d > 0) std::snprintf(buf, sizeof buf, "%lldd %lldh ago", d, h);
  else if (h > 0) std::snprintf(buf, sizeof buf, "%lldh %lldm ago", h, m);
  else if (m > 0) std::snprintf(buf, sizeof buf, "%lldm %llds ago", m, sec);
  else std::snprintf(buf, sizeof buf, "%llds ago", sec);
  return buf;
}

std::string render_landing_page(const std::vector<tenant_view>& tenants, const landing_info& info) {
  std::string path = html_escape(info.telemetry_path);
  std::string out;
  out.reserve(2048 + tenants.size() * 512);
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"refresh\" content=\"30\">\n"  // a live table without any script
      "<title>VOXO Exporter</title>\n<style>\n"
      "body{font-family:sans-serif;margin:2em;color:#222}\n"
      "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}\n"
      "td.num{text-align:right}th{background:#f3f3f3}\n"
      "</style>\n</head>\n<body>\n";
  out += "<h1>VOXO Exporter</h1>\n<p>Version " + html_escape(util::build_version()) + " (revision " +
         html_escape(util::build_revision()) + ")</p>\n";
  out += "<ul>\n<li><a href=\"" + path + "\">Metrics</a> (" + path +
         ")</li>\n"
         "<li><a href=\"/-/healthy\">Health</a></li>\n<li><a href=\"/-/ready\">Readiness</a> (" +
         std::string(info.ready ? "ready" : "not ready") + ")</li>\n</ul>\n";
  out +=
      "<h2>Tenants</h2>\n<table id=\"tenants\">\n<thead><tr><th>Tenant</th><th>Name</th><th>Calls</th>"
      "<th>ASR</th><th>Median MOS</th><th>Watermark (UTC)</th><th>Last success (UTC)</th>"
      "<th>Errors</th><th>Last error</th></tr></thead>\n<tbody>\n";
  for (const auto& t : tenants) append_row(out, t, info.now);
  out += "</tbody>\n</table>\n";
  if (tenants.empty()) out += "<p>No tenants configured.</p>\n";
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace voxo::http
