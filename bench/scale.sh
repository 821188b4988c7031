#!/usr/bin/env bash
# The sizing benchmark (issue #7): one exporter against bench_sim with 1,000 and then 10,000
# tenants, with the default metrics and then with `per_tenant_histograms: false`. For each run it
# measures
#   - RSS: just started, once every tenant was polled once (/-/ready), and in steady state after
#     the scrapes (the background-rendered data part and its deflate included), the peak (VmHWM),
#     plus the state file's size;
#   - CPU seconds per 1,000 polls in steady state, over a window before the first scrape (the
#     background renderer starts with the first scrape, so this is the collector alone) (/proc);
#   - API requests per minute, counted by the simulator (chunked windows included);
#   - the first scrape (it renders the data part synchronously), then SCALE_SCRAPES gzip scrapes
#     SCALE_SCRAPE_GAP seconds apart while collecting: served latency p50/p99/max, the average CPU
#     of the whole process over that window (collector + background renderer + scrapes), and from
#     each scrape voxo_exporter_exposition_render_seconds and voxo_exporter_exposition_age_seconds;
#     one plain-text scrape at the end;
#   - the exposition: samples, series per tenant, plain and gzip bytes;
#   - the load average of the machine (it is shared) at the start and end of each run;
# then prints the "Sizing" tables of deploy/SIZING.md (measured rows, slopes, and projections per setting).
#
# Usage: bench/scale.sh [build-folder]      (default: build-bench, a Release build with VOXO_BENCH)
# Environment (defaults in brackets):
#   SCALE_TENANTS ["1000 10000"]   runs per setting, smallest first (the first one is the baseline)
#   SCALE_INTERVAL [60s]  collector.interval     SCALE_LOOKBACK [1h]  collector.lookback
#   SCALE_CALLS_PER_HOUR [30]  per tenant        SCALE_STEADY [90]   seconds of the CPU window
#   SCALE_SCRAPES [30]  scrapes, SCALE_SCRAPE_GAP [1] seconds apart
#   SCALE_SIM_HOURS [3]  hours of data the simulator holds (more than the lookback)
#   SCALE_METRICS  lines for a `metrics:` section, e.g. "per_tenant_histograms: false"; when set
#     (even empty), only that setting runs; unset: the defaults, then per_tenant_histograms: false
#   VOXO_BENCH_NO_BUILD=1  use what the build folder holds
# Results also go to bench/results/scale-<time>.jsonl (git-ignored); bench/scale_report.py
# prints the tables again from one or more such files.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-bench}
python=/usr/bin/python3
tenant_runs=${SCALE_TENANTS:-1000 10000}
interval=${SCALE_INTERVAL:-60s}
lookback=${SCALE_LOOKBACK:-1h}
cph=${SCALE_CALLS_PER_HOUR:-30}
sim_hours=${SCALE_SIM_HOURS:-3}
steady=${SCALE_STEADY:-90}
scrapes=${SCALE_SCRAPES:-30}
scrape_gap=${SCALE_SCRAPE_GAP:-1}
if [[ -n ${SCALE_METRICS+set} ]]; then
  variants=("$SCALE_METRICS")
else
  variants=("" "per_tenant_histograms: false")
fi
bench_name=scale
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
build_targets voxo_exporter bench_sim

status_kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime
sim_requests() {  # asks bench_sim for its count of GET /call-reports
  rm -f "$work/sim.stats"
  kill -USR1 "$sim_pid"
  for _ in $(seq 1 100); do [[ -s $work/sim.stats ]] && break; sleep 0.05; done
  awk '{print $2}' "$work/sim.stats"
}
ready_waiting() {  # tenants still waiting for their first poll (0 = ready)
  local body
  body=$(curl -s --max-time 10 "http://127.0.0.1:$exp_port/-/ready" || true)
  if [[ $body == Ready* ]]; then echo 0; else echo "$body" | grep -o '[0-9]\+' | head -1; fi
}

echo bench-token >"$work/token"
chmod 600 "$work/token"
ticks=$(getconf CLK_TCK)
results=$work/runs.jsonl
: >"$results"

for metrics_yaml in "${variants[@]}"; do
for n in $tenant_runs; do
  say "$n tenants, metrics: ${metrics_yaml:-defaults}: interval $interval, lookback $lookback, $cph calls/hour per tenant"
  load_start=$(cut -d' ' -f1-3 /proc/loadavg)
  rm -f "$work/sim.port" "$work/state.json"
  "$build/bench/bench_sim" --tenants "$n" --calls-per-hour "$cph" --hours "$sim_hours" \
    --port-file "$work/sim.port" --stats-file "$work/sim.stats" 2>>"$work/sim.log" &
  sim_pid=$!
  pids+=("$sim_pid")
  for _ in $(seq 1 200); do [[ -s $work/sim.port ]] && break; sleep 0.1; done
  sim_port=$(cat "$work/sim.port")
  {
    echo "api:"
    echo "  url: http://127.0.0.1:$sim_port"
    echo "  token_file: $work/token"
    echo "collector:"
    echo "  interval: $interval"
    echo "  lookback: $lookback"
    echo "  state_file: $work/state.json"
    if [[ -n $metrics_yaml ]]; then
      echo "metrics:"
      while IFS= read -r line; do echo "  $line"; done <<<"$metrics_yaml"
    fi
    echo "tenants:"
    for i in $(seq 1 "$n"); do echo "  - id: $((1000 + i))"; done
  } >"$work/exporter.yml"
  "$build/voxo_exporter" --config.file "$work/exporter.yml" --config.check >/dev/null
  exp_port=$(free_port)
  t_start=$SECONDS
  "$build/voxo_exporter" --config.file "$work/exporter.yml" --web.listen-address "127.0.0.1:$exp_port" \
    --log.level warn 2>>"$work/exporter.log" &
  exp_pid=$!
  pids+=("$exp_pid")
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$exp_port/-/healthy" >/dev/null && break; sleep 0.1; done
  rss_start=$(status_kib "$exp_pid" VmRSS)

  # First polls are spread over the first interval; allow several intervals for a slow machine.
  deadline=$((SECONDS + 900))
  waiting=$(ready_waiting)
  while [[ $waiting != 0 ]] && ((SECONDS < deadline)); do sleep 2; waiting=$(ready_waiting); done
  [[ $waiting == 0 ]] || { echo "only $((n - waiting)) of $n tenants polled after 900 s" >&2; exit 1; }
  ready_seconds=$((SECONDS - t_start))
  rss_ready=$(status_kib "$exp_pid" VmRSS)

  # Steady state, no scrapes: CPU per poll and API requests per minute.
  cpu0=$(cpu_ticks "$exp_pid"); req0=$(sim_requests); t0=$(date +%s.%N)
  sleep "$steady"
  cpu1=$(cpu_ticks "$exp_pid"); req1=$(sim_requests); t1=$(date +%s.%N)

  # The first scrape renders the data part on the spot and starts the background renderer.
  url="http://127.0.0.1:$exp_port/metrics"
  first_scrape=$(curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w '%{time_total}' "$url")
  sleep "$scrape_gap"
  # Then scrapes as Prometheus does them (gzip), while collecting and rendering in the background:
  # served latency and size; CPU of the whole process over the window.
  : >"$work/scrapes.txt"
  rm -f "$work"/scrape-*.gz
  cpu2=$(cpu_ticks "$exp_pid"); t2=$(date +%s.%N)
  for i in $(seq 1 "$scrapes"); do
    curl -s -o "$work/scrape-$i.gz" -H 'Accept-Encoding: gzip' -w '%{time_total} %{size_download}\n' "$url" \
      >>"$work/scrapes.txt"
    sleep "$scrape_gap"
  done
  cpu3=$(cpu_ticks "$exp_pid"); t3=$(date +%s.%N)
  # One plain scrape (a scraper without gzip): served from the kept text.
  plain_scrape=$(curl -s -o /dev/null -w '%{time_total} %{size_download}' "$url")
  rss_steady=$(status_kib "$exp_pid" VmRSS)
  hwm=$(status_kib "$exp_pid" VmHWM)
  stop "$exp_pid"  # a clean stop writes the state file
  state_bytes=$(stat -c %s "$work/state.json" 2>/dev/null || echo 0)
  stop "$sim_pid"
  load_end=$(cut -d' ' -f1-3 /proc/loadavg)

  "$python" - "$work" "$scrapes" >>"$results" <<EOF
import gzip, json, sys
work, count = sys.argv[1], int(sys.argv[2])
def gauge(text, name):
    for l in text.splitlines():
        if l.startswith(name + " "):
            return float(l.rsplit(" ", 1)[1])
    return None
render, age = [], []
for i in range(1, count + 1):
    text = gzip.open(f"{work}/scrape-{i}.gz", "rt", encoding="utf-8").read()
    tail = text[-4096:]  # the live part ends with the render gauges
    render.append(gauge(tail, "voxo_exporter_exposition_render_seconds"))
    age.append(gauge(tail, "voxo_exporter_exposition_age_seconds"))
    if i == count:
        metrics = text
    del text
samples = [l for l in metrics.splitlines() if l and not l.startswith("#")]
def total(name):
    return sum(float(l.rsplit(" ", 1)[1]) for l in samples if l.startswith(name + "{") or l.startswith(name + " "))
scrapes = [l.split() for l in open(f"{work}/scrapes.txt") if l.strip()]
per_tenant = {}
for l in samples:
    at = l.find('tenant="')
    if at >= 0:
        t = l[at + 8:l.index('"', at + 8)]
        per_tenant[t] = per_tenant.get(t, 0) + 1
print(json.dumps({
    "tenants": $n, "interval": "$interval", "lookback": "$lookback", "calls_per_hour": $cph,
    "metrics": """$metrics_yaml""",
    "rss_start_kib": $rss_start, "rss_ready_kib": $rss_ready, "rss_steady_kib": $rss_steady,
    "hwm_kib": $hwm, "ready_seconds": $ready_seconds, "state_bytes": $state_bytes,
    "steady_seconds": $t1 - $t0, "steady_cpu_seconds": ($cpu1 - $cpu0) / $ticks,
    "steady_requests": $req1 - $req0,
    "load_start": "$load_start", "load_end": "$load_end", "first_scrape_seconds": $first_scrape,
    "plain_scrape_seconds": float("$plain_scrape".split()[0]), "render_seconds": render, "age_seconds": age,
    "scrape_window_seconds": $t3 - $t2, "scrape_cpu_seconds": ($cpu3 - $cpu2) / $ticks,
    "scrape_seconds": [float(s[0]) for s in scrapes], "gzip_bytes": [int(s[1]) for s in scrapes],
    "plain_bytes": len(metrics.encode()), "samples": len(samples),
    "tenant_series_mean": sum(per_tenant.values()) / max(len(per_tenant), 1),
    "tenant_series_max": max(per_tenant.values(), default=0),
    "polls_total": total("voxo_collector_polls_total"),
    "requests_total": total("voxo_collector_requests_total"),
}))
EOF
  say "$n tenants done (ready after ${ready_seconds}s, load average $load_start -> $load_end)"
done
done

mkdir -p "$root/bench/results"
out=$root/bench/results/scale-$(date +%Y%m%d-%H%M%S).jsonl
cp "$results" "$out"
"$python" "$root/bench/scale_report.py" "$results"
say "raw figures: $out"
