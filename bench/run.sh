#!/usr/bin/env bash
# Builds the benchmarks (Release) and runs them all, then prints one table (issue #6):
# ingest vs a tree parse and vs the Python peer, peak RSS for a 1 GB and a 10 MB reply, and
# /metrics latency under 4 gzip scrapers at 1,000 tenants while the collector runs.
# Usage: bench/run.sh [build-folder]   (default: build-bench). Needs wrk, python3-prometheus-client.
# VOXO_BENCH_NO_BUILD=1 runs what the folder already holds; VOXO_BENCH_PARTS picks the parts
# (default "ingest python memory state visibility scrape"), e.g. VOXO_BENCH_PARTS=memory for the RSS
# runs only. The visibility part: a state save of 1,000 and 10,000 tenants, the publish pass after
# it and how late a count reaches /metrics (durable before visible), against one rendering.
# VOXO_BENCH_STATE_FILE=1 runs the memory part with collector.state_file set (its peak then
# includes the state saves); the state part measures a save and a load of 1 M ids alone.
# Part "e2e" (issue #14): the real binary polling bench_reply_server, which serves one prepared
# reply from memory over HTTP and HTTPS (TLS 1.3), 150 MB and 1 GB: the exporter's CPU per million
# records, first/last byte to the records visible in /metrics, peak RSS over idle, three runs each,
# beside the in-process figure and the Python peer fetching from the same server (150 MB).
# VOXO_BENCH_BASELINE_EXPORTER=path adds runs of another binary (e.g. built from an older main),
# alternating with the new one, so both are measured under the same load. About 4 minutes.
# Opt-in part "scale": the sizing benchmark bench/scale.sh (about 15 minutes), after the table.
set -euo pipefail
parts=" ${VOXO_BENCH_PARTS:-ingest python e2e memory state visibility scrape} "
want() { [[ $parts == *" $1 "* ]]; }

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-bench}
python=/usr/bin/python3  # Debian's, where python3-prometheus-client is installed
bench_name=bench
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
build_targets voxo_exporter bench_ingest bench_scrape bench_sim bench_state bench_visibility bench_reply_server
bin=$build/bench

# Starts bench_sim with the given flags; sets sim_pid and sim_port.
start_sim() {
  rm -f "$work/sim.port"
  "$bin/bench_sim" --port-file "$work/sim.port" "$@" 2>>"$work/sim.log" &
  sim_pid=$!
  pids+=("$sim_pid")
  for _ in $(seq 1 100); do [[ -s $work/sim.port ]] && break; sleep 0.1; done
  sim_port=$(cat "$work/sim.port")
}

# Writes an exporter config polling tenants 1001..1000+N of the simulator.
write_config() {  # tenants interval lookback
  {
    echo "api:"
    echo "  url: http://127.0.0.1:$sim_port"
    echo "  token_file: $work/token"
    echo "  max_response_bytes: 2GiB"
    echo "  timeout: 5m"
    echo "collector:"
    echo "  interval: $2"
    echo "  delay: 2m"
    echo "  lookback: $3"
    echo "  concurrency: 4"
    [[ -n ${VOXO_BENCH_STATE_FILE:-} ]] && echo "  state_file: $work/state.json"
    echo "tenants:"
    for i in $(seq 1 "$1"); do echo "  - id: $((1000 + i))"; done
  } >"$work/exporter.yml"
}

start_exporter() {
  exp_port=$(free_port)
  "$build/voxo_exporter" --config.file "$work/exporter.yml" --web.listen-address "127.0.0.1:$exp_port" \
    --log.level warn 2>>"$work/exporter.log" &
  exp_pid=$!
  pids+=("$exp_pid")
}

# Waits until N tenants had a successful poll (or the timeout in seconds).
wait_polled() {  # tenants timeout
  local deadline=$((SECONDS + $2)) n=0
  while ((SECONDS < deadline)); do
    n=$(curl -s "http://127.0.0.1:$exp_port/metrics" |
      grep -c '^voxo_collector_polls_total{.*success.*} [1-9]' || true)
    ((n >= $1)) && return 0
    sleep 0.5
  done
  echo "only $n of $1 tenants polled in $2 s" >&2
  return 1
}

hwm_kib() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

echo bench-token >"$work/token"
chmod 600 "$work/token"

if want ingest; then
say "ingest benchmarks (about a minute)"
"$bin/bench_ingest" --benchmark_format=json >"$work/ingest.json" 2>/dev/null
fi
if want e2e && ! want ingest; then  # the in-process figure the end-to-end rows are compared with
"$bin/bench_ingest" --benchmark_format=json --benchmark_filter='^BM_(ingest|parse_only)/' >"$work/ingest.json" 2>/dev/null
fi
if want e2e; then
say "end to end: the exporter polling a local server, HTTP and HTTPS, 150 MB and 1 GB (about 4 minutes)"
exporters=("$build/voxo_exporter=exporter")
[[ -n ${VOXO_BENCH_BASELINE_EXPORTER:-} ]] && exporters+=("$VOXO_BENCH_BASELINE_EXPORTER=baseline")
"$python" "$root/bench/ingest_e2e.py" "$work" "$bin/bench_reply_server" "${exporters[@]}" \
  --records 200000 --records 1335000 --repeat "${VOXO_BENCH_E2E_REPEAT:-3}" --python >"$work/e2e.jsonl"
fi
if want scrape; then
say "render benchmarks"
"$bin/bench_scrape" --benchmark_format=json >"$work/scrape.json" 2>/dev/null
fi

"$bin/bench_sim" --write-reply "$work/reply.json"
if want python; then
say "python peer on the same reply"
"$python" "$root/bench/baseline/exporter.py" "$work/reply.json" >"$work/python.json"
fi
# The memory runs size their replies in records of the same shape.
records=$("$python" -c "import json; print(len(json.load(open('$work/reply.json'))))")
bytes_per_record=$(($(stat -c %s "$work/reply.json") / records))
rm -f "$work/reply.json"

# Peak RSS: one tenant, a one-hour window holding about the given number of bytes.
memory_run() {  # name bytes
  local cph=$(($2 / bytes_per_record))
  ((cph > 0)) || cph=1
  start_sim --tenants 1 --calls-per-hour "$cph" --hours 2
  write_config 1 1h 62m
  start_exporter
  local t0=$SECONDS
  wait_polled 1 240 || true
  local polled=$((SECONDS - t0))
  if [[ -n ${VOXO_BENCH_STATE_FILE:-} ]]; then  # the first save follows the applied window
    for _ in $(seq 1 100); do [[ -s $work/state.json ]] && break; sleep 0.1; done
    sleep 1
  fi
  local records
  records=$(curl -s "http://127.0.0.1:$exp_port/metrics" | awk '/^voxo_collector_records_total/ {s += $NF} END {print s + 0}')
  echo "{\"name\":\"$1\",\"bytes\":$2,\"hwm_kib\":$(hwm_kib "$exp_pid"),\"records\":$records,\"seconds\":$polled,\"state_file\":$([[ -n ${VOXO_BENCH_STATE_FILE:-} ]] && echo true || echo false)}" >>"$work/memory.jsonl"
  stop "$exp_pid"
  stop "$sim_pid"
  rm -f "$work/state.json"
}
if want memory; then
say "memory: idle, 10 MB and 1 GB replies"
: >"$work/memory.jsonl"
memory_run idle 0
memory_run 10MB 10000000
memory_run 1GB 1000000000
fi

if want state; then
say "state file: save and load of 1 M ids, streamed vs a JSON tree"
: >"$work/state.jsonl"
for mode in save save-tree load load-tree; do
  "$bin/bench_state" --ids 1000000 --mode "$mode" --file "$work/bench-state.json" >>"$work/state.jsonl"
done
rm -f "$work/bench-state.json"
fi

if want visibility; then
say "visibility: state save + publish at 1,000 and 10,000 tenants"
"$bin/bench_visibility" --tenants 1000 --tenants 10000 --file "$work/bench-visibility.json" >"$work/visibility.jsonl"
fi

if want scrape; then
say "scrape: 1,000 tenants, 4 gzip scrapers while collecting"
start_sim --tenants 1000 --calls-per-hour 300 --hours 2
write_config 1000 10s 62m
start_exporter
wait_polled 1000 120 || true
url="http://127.0.0.1:$exp_port/metrics"
plain=$(curl -s "$url" | wc -c)
gzipped=$(curl -s -H 'Accept-Encoding: gzip' "$url" | wc -c)
curl -s -H 'Accept-Encoding: gzip' "$url" | gzip -t || { echo "the gzip body of /metrics is not valid gzip" >&2; exit 1; }
series=$(curl -s "$url" | grep -vc '^#')
wrk -t4 -c4 -d20s --latency -s "$root/bench/scrape.lua" "$url" | grep '^WRK_JSON' | cut -d' ' -f2- >"$work/wrk.json"
curl -s "$url" >"$work/last.txt"
polls=$(awk '/^voxo_collector_polls_total/ {s += $NF} END {print s + 0}' "$work/last.txt")
render_s=$(awk '/^voxo_exporter_exposition_render_seconds / {print $NF}' "$work/last.txt")
age_s=$(awk '/^voxo_exporter_exposition_age_seconds / {print $NF}' "$work/last.txt")
echo "{\"plain_bytes\":$plain,\"gzip_bytes\":$gzipped,\"samples\":$series,\"polls_total\":$polls,\"render_seconds\":${render_s:-null},\"age_seconds\":${age_s:-null}}" >"$work/exposition.json"
stop "$exp_pid"
stop "$sim_pid"
fi

"$python" "$root/bench/report.py" "$work"

if want scale; then
  say "scale: bench/scale.sh (sizing, issue #7)"
  VOXO_BENCH_NO_BUILD=1 "$root/bench/scale.sh" "$build"
fi
