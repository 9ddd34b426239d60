#!/usr/bin/env bash
# Kept as the command behind docs/benchmarks.md ("Target-area evaluations",
# 10 M on PostGIS): bash docs/bench/evaluation-http.sh DATABASE_URL.
# Needs a hotspot binary at /tmp/hs2 (go build -o /tmp/hs2 ./cmd/hotspot).
# Times target-area evaluations over HTTP against a loaded store.
set -euo pipefail
db="$1"; port=18900
key=$(/tmp/hs2 keys create --database-url "$db" --name bench --role analyst --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
/tmp/hs2 serve --database-url "$db" --addr 127.0.0.1:$port --no-demo --rate-limit 1000 > /tmp/evalserve.log 2>&1 &
pid=$!; trap 'kill $pid' EXIT
for i in $(seq 60); do curl -sf localhost:$port/healthz >/dev/null 2>&1 && break; curl -sf localhost:$port/api/v1/meta >/dev/null 2>&1 && break; sleep 1; done
area='{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[-1.9420,52.1870],[-1.9360,52.1870],[-1.9360,52.1906],[-1.9420,52.1906],[-1.9420,52.1870]]]},"properties":{"name":"bench","priority":"asb","start":"2024-01","actions":"patrols"}}'
id=$(curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/geo+json' -d "$area" localhost:$port/api/v1/target-areas | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "area $id"
curl -s -H "Authorization: Bearer $key" "localhost:$port/api/v1/target-areas/$id/evaluation?control=S05000001&buffer=250" | head -c 600; echo
for buf in 250 2000; do
  ts=()
  for i in $(seq 20); do
    ts+=($(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $key" "localhost:$port/api/v1/target-areas/$id/evaluation?control=S05000001&buffer=$buf&before=$((i % 12 + 1))&after=$((i / 12 + 3))"))
  done
  printf '%s\n' "${ts[@]}" | sort -n | awk -v b=$buf '{a[NR]=$1; s+=$1} END {printf "buffer %s: n=%d mean %.1f ms, median %.1f ms, p95 %.1f ms, max %.1f ms\n", b, NR, s/NR*1000, a[int(NR/2)+1]*1000, a[int(NR*0.95)]*1000, a[NR]*1000}'
done
