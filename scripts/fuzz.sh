#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, clang with ASan + UBSan) and runs each for
# the given number of seconds (default 45) from a copy of its committed seed corpus.
# Prints the number of targets run on stdout; logs go to build-fuzz/logs/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-45}
out=build-fuzz
cmake -S tests/fuzz -B "$out" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$out" -j "$(nproc)" >&2
mkdir -p "$out/logs"
count=0
for bin in "$out"/fuzz_*; do
  [[ -x "$bin" && -f "$bin" ]] || continue
  name=$(basename "$bin"); name=${name#fuzz_}
  work="$out/corpus-$name"
  rm -rf "$work"; mkdir -p "$work"
  [[ -d tests/fuzz/corpus/$name ]] && cp -r tests/fuzz/corpus/"$name"/. "$work"/
  echo "fuzz: $name for ${seconds}s" >&2
  if ! "$bin" "$work" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -print_final_stats=1 >"$out/logs/$name.log" 2>&1; then
    echo "fuzz: $name FAILED; the end of its log:" >&2
    tail -n 60 "$out/logs/$name.log" >&2
    exit 1
  fi
  count=$((count + 1))
done
echo "$count"
