#!/usr/bin/env bash
# Installs the Debian 12 packages listed in scripts/packages.txt that are missing.
# Idempotent, and quiet when everything is already there. Run as root.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

mapfile -t wanted < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/packages.txt")
missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exec bash "$here/setup-npm.sh"

if [[ $(id -u) -ne 0 ]]; then
  echo "setup: missing packages: ${missing[*]}; run this script as root" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The prometheus package would start a system service on :9090 where systemd runs;
# our tests start their own Prometheus on a free loopback port instead.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
bash "$here/setup-npm.sh"
