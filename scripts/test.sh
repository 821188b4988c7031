#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls this):
#   1. installs what is missing (scripts/setup.sh),
#   2. release build (warnings as errors, benchmarks compiled) and every test (ctest),
#   3. the same tests again under AddressSanitizer + UndefinedBehaviorSanitizer,
#   4. each libFuzzer target briefly from its committed seed corpus.
# The ops_ tests (Python + promtool + a real Prometheus, browser) run once, in the release pass:
# their C++ side is the same binary the e2e tests already run under the sanitizers; the
# Prometheus truth test runs in the sanitizer pass too.
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jobs=$(nproc)
fuzz_seconds=${VOXO_FUZZ_SECONDS:-30}
start=$(date +%s)
stamp() { echo "== [$(( $(date +%s) - start ))s] $*"; }

stamp "setup"
bash scripts/setup.sh

count_tests() { ctest --preset "$@" -N | sed -n 's/^Total Tests: //p'; }

stamp "release build"
cmake --preset ci >/dev/null
cmake --build --preset ci -j "$jobs"
stamp "release tests"
ctest --preset ci --timeout 900
release_tests=$(count_tests ci)

if [[ "${VOXO_SKIP_SANITIZERS:-0}" != 1 ]]; then
  stamp "sanitizer build (ASan + UBSan)"
  cmake --preset dev >/dev/null
  cmake --build --preset dev -j "$jobs"
  stamp "sanitizer tests"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --preset dev --timeout 1200 -E "^ops_"
  sanitizer_tests=$(count_tests dev -E "^ops_")
  # The one ops test whose C++ side is not covered above: samples a real Prometheus stored from
  # the sanitized exporter across faults and kill -9 (an ASan or UBSan report kills the exporter,
  # which the test counts as a crash).
  stamp "sanitizer: Prometheus truth test"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --preset dev --timeout 900 -R "^ops_prometheus_truth"
  sanitizer_tests=$((sanitizer_tests + 1))
else
  sanitizer_tests=0
fi

stamp "fuzzing (${fuzz_seconds}s per target)"
fuzz_targets=$(bash scripts/fuzz.sh "$fuzz_seconds")

stamp "done"
echo "tests: $((release_tests + sanitizer_tests + fuzz_targets)) passed, 0 failed"
