#!/usr/bin/env bash
# Times hotspot API requests against a running serve: each with 5 different
# windows (so none is answered from the cache), then one repeat (cached).
# Usage: national-queries.sh BASE [YEAR]: the windows are YEAR-01 … YEAR-05
# to YEAR-12 (default 2025, the last year of the 36 months from 2023-01).
set -u
base=$1
year=${2:-2025}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
q() { # name path
  for m in 01 02 03 04 05; do
    curl -s -o "$scratch/ans.json" -w "$1 from=$year-$m %{http_code} %{time_total}s %{size_download}B\n" "$base$2&from=$year-$m&to=$year-12"
  done
  curl -s -o /dev/null -w "$1 repeat %{http_code} %{time_total}s\n" "$base$2&from=$year-05&to=$year-12"
}
q "hex westfield res9" "/api/v1/hotspots/hex?priority=westfield-asb&res=9&k=1"
q "hex national res7" "/api/v1/hotspots/hex?priority=asb&res=7&k=1"
q "wards national" "/api/v1/hotspots/wards?priority=asb"
