#!/usr/bin/env bash
# Installs what is missing, builds the release binaries and runs the exporter in demo mode:
# with no --config.file it polls a built-in simulator of the VOXO API (live, seeded data).
# Extra arguments go to voxo_exporter, e.g. --web.listen-address=127.0.0.1:10368.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target voxo_exporter voxo_sim
echo "demo: starting build/voxo_exporter against the built-in simulator; Ctrl-C stops it"
exec ./build/voxo_exporter "$@"
