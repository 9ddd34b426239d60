#!/usr/bin/env bash
# Starts `hotspot serve` on a loaded embedded store, times it until /readyz
# answers, and reports its memory then and after a hex, a wards and an
# incident-page request. Usage:
#   docs/bench/serve-start.sh HOTSPOT_BINARY DATA_DIR [PORT]
# Prints one line: ready seconds, CPU seconds (user+sys) at ready, VmRSS
# and RssAnon/RssFile (kB) at ready and after each request in turn.
set -eu
bin=$1 dir=$2 port=${3:-18690}
base=http://127.0.0.1:$port
rss() { awk '/^(VmRSS|RssAnon|RssFile):/ {printf "%s%s ", $1, $2}' "/proc/$1/status"; }
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14+$15)/hz}' "/proc/$1/stat"; }
start=$(date +%s.%N)
"$bin" serve --addr "127.0.0.1:$port" --data-dir "$dir" --no-demo >/dev/null 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null' EXIT
for _ in $(seq 1 1200); do # at most 120 s
  if curl -sf -o /dev/null "$base/readyz"; then break; fi
  kill -0 "$pid" || { echo "serve exited"; exit 1; }
  sleep 0.1
done
ready=$(echo "$(date +%s.%N) - $start" | bc)
at_ready="ready ${ready}s cpu $(cpu "$pid")s $(rss "$pid")"
after=""
for q in "hex /api/v1/hotspots/hex?priority=asb&res=9&k=1" "wards /api/v1/hotspots/wards?priority=asb" \
  "incidents /api/v1/incidents?priority=asb&limit=1000"; do
  curl -sf -o /dev/null "$base${q#* }" || echo "failed: $q"
  after="$after| after ${q%% *}: $(rss "$pid")"
done
echo "$at_ready$after"
