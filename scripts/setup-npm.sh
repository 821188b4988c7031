#!/usr/bin/env bash
# Installs the npm packages of the browser checks (tests/ops/browser: playwright-core, which
# drives Debian's /usr/bin/chromium; it never downloads a browser). Runs `npm ci` only when
# node_modules is missing or package-lock.json changed since the last install; quiet otherwise.
# Called by scripts/setup.sh after the Debian packages.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir="$here/../tests/ops/browser"
stamp="$dir/node_modules/.voxo-lock.sha256"

want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
[[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && exit 0

if ! command -v npm >/dev/null; then
  echo "setup: npm not found; install Node.js with npm (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
echo "setup: npm ci in tests/ops/browser"
# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core has no install step today; keep it so.
(cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
echo "$want" > "$stamp"
