#include "metrics/process_collector.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace voxo::metrics {
namespace {

prometheus::MetricFamily single(std::string name, std::string help, prometheus::MetricType type, double value) {
  prometheus::MetricFamily f;
  f.name = std::move(name);
  f.help = std::move(help);
  f.type = type;
  prometheus::ClientMetric m;
  if (type == prometheus::MetricType::Counter) m.counter.value = value;
  else m.gauge.value = value;
  f.metric.push_back(std::move(m));
  return f;
}

std::string slurp(const char* path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

double boot_time_seconds() {
  std::istringstream in(slurp("/proc/stat"));
  std::string key;
  while (in >> key) {
    if (key == "btime") {
      double v = 0;
      in >> v;
      return v;
    }
  }
  return 0;
}

}  // namespace

std::vector<prometheus::MetricFamily> process_collector::Collect() const {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> out;

  // /proc/self/stat: the command name may hold spaces, so fields are counted after the last ')'.
  const std::string stat = slurp("/proc/self/stat");
  const auto paren = stat.rfind(')');
  if (paren != std::string::npos) {
    std::istringstream in(stat.substr(paren + 2));
    std::string field;
    double utime = 0, stime = 0, starttime = 0, vsize = 0, rss = 0;
    // After ')' the fields start at 3 (state); utime=14, stime=15, starttime=22, vsize=23, rss=24.
    for (int i = 3; i <= 24 && in >> field; ++i) {
      if (i == 14) utime = std::stod(field);
      if (i == 15) stime = std::stod(field);
      if (i == 22) starttime = std::stod(field);
      if (i == 23) vsize = std::stod(field);
      if (i == 24) rss = std::stod(field);
    }
    const auto ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    const auto page = static_cast<double>(sysconf(_SC_PAGESIZE));
    out.push_back(single("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                         MetricType::Counter, (utime + stime) / ticks));
    out.push_back(
        single("process_resident_memory_bytes", "Resident memory size in bytes.", MetricType::Gauge, rss * page));
    out.push_back(single("process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType::Gauge, vsize));
    out.push_back(single("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                         MetricType::Gauge, boot_time_seconds() + starttime / ticks));
  }

  std::error_code ec;
  double fds = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++fds;
  if (!ec) out.push_back(single("process_open_fds", "Number of open file descriptors.", MetricType::Gauge, fds));

  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0)
    out.push_back(single("process_max_fds", "Maximum number of open file descriptors.", MetricType::Gauge,
                         static_cast<double>(lim.rlim_cur)));
  return out;
}

}  // namespace voxo::metrics
