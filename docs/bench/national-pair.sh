#!/usr/bin/env bash
# Serves a loaded store with one binary and times two answers at national
# shape, each over 5 windows of its own (nothing from the answer cache),
# then one repeat; prints the serve process's CPU time (user + system) for
# the 5 requests. Run it for two binaries in turn to compare them.
# Usage: national-pair.sh LABEL BINARY PORT DATABASE_URL PRIORITIES_FILE [YEAR]
# With WARMUP=1 each answer is first asked once for a sixth window
# (YEAR-06 to YEAR-12, not counted), so that the 5 counted requests leave
# out what a server does once (reading the wards, covering the city with
# cells) and measure one answer's own work.
# (PRIORITIES_FILE defines westfield-asb; docs/benchmarks.md, "PostGIS at
# national shape").
set -u
label=$1 bin=$2 port=$3 url=$4 prios=$5 year=${6:-2024}
"$bin" serve --addr "127.0.0.1:$port" --database-url "$url" --priorities "$prios" --no-demo >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$port/api/v1/priorities"; do sleep 0.3; done
base=http://127.0.0.1:$port
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; } # clock ticks
tick=$(getconf CLK_TCK)
echo "== $label $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
for q in "westfield /api/v1/hotspots/hex?priority=westfield-asb&res=9&k=1" "wards /api/v1/hotspots/wards?priority=asb"; do
  name=${q%% *} path=${q#* }
  if [ "${WARMUP:-0}" = 1 ]; then
    curl -s -o /dev/null "$base$path&from=$year-06&to=$year-12"
  fi
  c0=$(cpu)
  for m in 01 02 03 04 05; do
    curl -s -o /dev/null -w "$label $name from=$year-$m %{http_code} %{time_total}s %{size_download}B\n" "$base$path&from=$year-$m&to=$year-12"
  done
  c1=$(cpu)
  echo "$label $name serve CPU for 5 requests: $(( (c1 - c0) * 1000 / tick )) ms"
  curl -s -o /dev/null -w "$label $name repeat %{http_code} %{time_total}s\n" "$base$path&from=$year-05&to=$year-12"
done
echo "== $label end load $(cut -d' ' -f1-3 /proc/loadavg)"
