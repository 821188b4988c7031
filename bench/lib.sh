# Shared by bench/run.sh and bench/scale.sh (source it after setting `root`, `build` and `python`).
# Provides a scratch folder $work removed on exit with every process listed in pids[], and the
# small helpers both scripts use.

work=$(mktemp -d "/tmp/voxo-${bench_name:-bench}.XXXXXX")
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

say() { printf '== %s\n' "$*" >&2; }
free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# Configures and builds the given targets in $build (Release, benchmarks on), unless
# VOXO_BENCH_NO_BUILD is set; shows the log only when something failed.
build_targets() {
  [[ -n ${VOXO_BENCH_NO_BUILD:-} ]] && return 0
  say "building (Release) in $build"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DVOXO_BENCH=ON >"$work/cmake.log" 2>&1 ||
    { cat "$work/cmake.log"; exit 1; }
  cmake --build "$build" --target "$@" -j2 >"$work/build.log" 2>&1 ||
    { tail -50 "$work/build.log"; exit 1; }
}
