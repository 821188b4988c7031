// bench_sim: the VOXO API simulator for bench/run.sh (the memory and scrape runs), and the
// writer of the reply file the Python peer reads.
//   bench_sim --write-reply FILE              the ingest benchmarks' reply, then exit
//   bench_sim --tenants N --calls-per-hour X --hours H --port-file FILE
//       serves tenants 1001..1000+N (live data from H hours ago) on 127.0.0.1 until SIGTERM;
//       accepts the bearer token "bench-token".
//   ... --stats-file FILE    on SIGUSR1, writes "call_reports <requests served so far>" there
//       (bench/scale.sh counts API requests without scraping the exporter).
#include <csignal>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "reply_fixture.hpp"
#include "sim/simulator.hpp"

namespace {

using namespace voxo;

struct args {
  std::string write_reply;
  std::string port_file;
  std::string stats_file;
  int tenants = 1;
  double calls_per_hour = 60;
  double hours = 2;
};

args parse(int argc, char** argv) {
  args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--write-reply") a.write_reply = value;
    else if (flag == "--port-file") a.port_file = value;
    else if (flag == "--stats-file") a.stats_file = value;
    else if (flag == "--tenants") a.tenants = std::stoi(value);
    else if (flag == "--calls-per-hour") a.calls_per_hour = std::stod(value);
    else if (flag == "--hours") a.hours = std::stod(value);
    else throw std::invalid_argument("unknown flag " + std::string(flag));
  }
  return a;
}

int serve(const args& a) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the server thread starts

  sim::simulator_options o;
  o.static_tokens = {"bench-token"};
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  o.data.seed = 6;
  o.data.from = now - std::chrono::seconds(static_cast<long long>(a.hours * 3600));
  for (int i = 0; i < a.tenants; ++i) {
    const long long id = 1001 + i;
    // Appended, not `"literal" + std::string`: g++ 12 -O3 warns falsely (-Wrestrict) on that.
    std::string name = "tenant-", code = "B";
    name += std::to_string(id);
    code += std::to_string(id);
    o.data.tenants.push_back({id, name, code, a.calls_per_hour, "America/Chicago"});
  }
  sim::simulator s{o};
  s.start();
  {
    std::ofstream port{a.port_file};
    port << s.port() << '\n';
  }
  for (;;) {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig != SIGUSR1) break;
    if (a.stats_file.empty()) continue;
    // Written aside and renamed: the reader never sees half a line.
    const std::string tmp = a.stats_file + ".tmp";
    {
      std::ofstream stats{tmp};
      stats << "call_reports " << s.request_count("/call-reports") << '\n';
    }
    std::rename(tmp.c_str(), a.stats_file.c_str());
  }
  s.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto a = parse(argc, argv);
    if (!a.write_reply.empty()) {
      std::ofstream out{a.write_reply, std::ios::binary};
      out << bench::make_reply({});
      return out ? 0 : 1;
    }
    if (a.port_file.empty()) throw std::invalid_argument("--port-file or --write-reply is needed");
    return serve(a);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_sim: %s\n", e.what());
    return 2;
  }
}
