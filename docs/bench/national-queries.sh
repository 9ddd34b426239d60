#!/usr/bin/env bash
# Times hotspot API requests against a running serve: each with 5 different
# windows (so none is answered from the cache), then one repeat (cached).
set -u
base=$1
q() { # name path
  for from in 2025-01 2025-02 2025-03 2025-04 2025-05; do
    curl -s -o /tmp/nat-scratch/ans.json -w "$1 from=$from %{http_code} %{time_total}s %{size_download}B\n" "$base$2&from=$from&to=2025-12"
  done
  curl -s -o /dev/null -w "$1 repeat %{http_code} %{time_total}s\n" "$base$2&from=2025-05&to=2025-12"
}
q "hex westfield res9" "/api/v1/hotspots/hex?priority=westfield-asb&res=9&k=1"
q "hex national res7" "/api/v1/hotspots/hex?priority=asb&res=7&k=1"
q "wards national" "/api/v1/hotspots/wards?priority=asb"
