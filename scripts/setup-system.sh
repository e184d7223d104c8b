#!/usr/bin/env bash
# Make sure the system libraries WeasyPrint needs are present: Pango (text layout) and
# HarfBuzz's subsetter (fast font subsetting; without it WeasyPrint falls back to fontTools
# and renders about twice as slowly). Installs them with apt-get when run as root;
# otherwise prints the exact command to run. Extra Debian packages may be given as arguments.
set -euo pipefail

declare -A wanted=(
  [libpango-1.0.so.0]=libpango-1.0-0
  [libpangoft2-1.0.so.0]=libpangoft2-1.0-0
  [libharfbuzz-subset.so.0]=libharfbuzz-subset0
)
missing=()
for package in "$@"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
for lib in "${!wanted[@]}"; do
  if ! /sbin/ldconfig -p 2>/dev/null | grep -q "$lib"; then
    missing+=("${wanted[$lib]}")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    exit 0
  fi
  echo "setup: missing system packages; run:  sudo apt-get install -y ${missing[*]}" >&2
elif command -v brew >/dev/null 2>&1; then
  echo "setup: missing system libraries; run:  brew install pango harfbuzz" >&2
else
  echo "setup: missing system libraries: ${missing[*]} (Pango and HarfBuzz, see WeasyPrint's install notes)" >&2
fi
exit 1
