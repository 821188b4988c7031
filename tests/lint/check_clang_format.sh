#!/usr/bin/env bash
# Fails when a C++ file under the given folders differs from what .clang-format makes of it, and
# names the files. Fix with: clang-format -i <file> (every file: see .clang-format).
# tests/lint/ holds the source checks' own bad examples (tests/lint/unformatted/ a file that must
# fail this check): skipped when a folder above them is checked, checked when named themselves.
set -euo pipefail
(($#)) || { echo "usage: check_clang_format.sh <folder>..." >&2; exit 2; }
mapfile -t files < <(find "$@" \( -name '*.cpp' -o -name '*.hpp' \) -not -path 'tests/lint/*' | sort)
((${#files[@]})) || mapfile -t files < <(find "$@" -name '*.cpp' -o -name '*.hpp' | sort)
mapfile -t bad < <(printf '%s\0' "${files[@]}" |
  xargs -0 -n 16 -P "$(nproc)" sh -c 'for f; do clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"; done' sh)
if ((${#bad[@]})); then
  printf '%s\n' "${bad[@]}"
  echo "${#bad[@]} of ${#files[@]} file(s) not formatted as .clang-format says"
  exit 1
fi
echo "${#files[@]} file(s) formatted as .clang-format says"
