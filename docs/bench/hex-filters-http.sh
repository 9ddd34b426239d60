#!/usr/bin/env bash
# The command behind docs/benchmarks.md ("Hex with source, flag, days and
# hours"): bash docs/bench/hex-filters-http.sh BINARY --data-dir DIR
# (or --database-url URL) [QUERY]. Serves the store with BINARY (a built
# cmd/hotspot), makes an analyst key, warms up with one request, then
# times 24 hex requests, each with its own hours window so that none is
# answered from the cache, and prints p50, p95, the server's CPU time
# (user + sys) over the 24, and the load average before and after.
set -euo pipefail
bin="$1"; flag="$2"; store="$3"
query="${4:-source=council&flag=street_lifestyle&days=fri,sat}"
port=$((18000 + RANDOM % 1000))
key=$("$bin" keys create "$flag" "$store" --name bench --role analyst --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
"$bin" serve "$flag" "$store" --addr 127.0.0.1:$port --no-demo --rate-limit 0 > /tmp/hexfilters-serve.$port.log 2>&1 &
pid=$!; trap 'kill $pid' EXIT
for _ in $(seq 120); do curl -sf localhost:$port/api/v1/meta >/dev/null 2>&1 && break; sleep 0.5; done
get() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $key" "localhost:$port/api/v1/hotspots/hex?$query&hours=$1"; }
get 20-04 >/dev/null
cpu() { awk '{print $14 + $15}' /proc/$pid/stat; }
load0=$(cut -d' ' -f1-3 /proc/loadavg); c0=$(cpu)
ts=()
for h in $(seq 0 23); do
  read -r code t < <(get "$(printf '%02d-%02d' "$h" $(((h + 5) % 24)))")
  [ "$code" = 200 ] || { echo "HTTP $code" >&2; exit 1; }
  ts+=("$t")
done
c1=$(cpu); load1=$(cut -d' ' -f1-3 /proc/loadavg)
tick=$(getconf CLK_TCK)
printf '%s\n' "${ts[@]}" | sort -n | awk -v cpu="$(( (c1 - c0) ))" -v tick="$tick" -v l0="$load0" -v l1="$load1" \
  '{a[NR]=$1} END {printf "n=%d p50 %.1f ms, p95 %.1f ms, max %.1f ms; server CPU %.0f ms per request; load %s -> %s\n", NR, a[int(NR/2)+1]*1000, a[int(NR*0.95)+1]*1000, a[NR]*1000, cpu/tick/NR*1000, l0, l1}'
