#!/usr/bin/env bash
# Embedded partner import, by hand (not CI): 1,000,000 generated council
# records (BNG, seed 1) into a copy of a store holding the generated city
# (200,000 police.uk rows, 17 wards), timed RUNS times. With BASE=<git ref>
# the same runs of that commit's binary are interleaved with this
# checkout's, and the two stores' new segment and points files are
# compared byte for byte (the answers after import must not change).
# Prints wall and CPU (user + sys) seconds, rows/s, peak RSS and the load
# average before each run.
#
#   bash docs/bench/partner-import.sh            # this checkout
#   BASE=beb0035 bash docs/bench/partner-import.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${ROWS:-1000000}
runs=${RUNS:-3}
tmp=${TMPDIR:-/tmp}/hotspot-partner-bench
rm -rf "$tmp" && mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

. docs/bench/lib.sh
build_bins
h=$tmp/hotspot-new
d=$tmp/data
$h generate --out "$d" --rows 200000 --months 12 --from 2024-01 >/dev/null
$h generate --out "$d" --rows "$rows" --months 12 --from 2024-01 --source council >/dev/null
$h ingest --no-progress --data-dir "$tmp/city" --boundaries "$d/synthetic-wards.geojson" \
	--population "$d/synthetic-population.csv" "$d"/*-street.csv >/dev/null

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $rows records"
for i in $(seq "$runs"); do
	for b in "${bins[@]}"; do
		rm -rf "$tmp/store-$b" && cp -r "$tmp/city" "$tmp/store-$b"
		load=$(cut -d' ' -f1-3 /proc/loadavg)
		/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$tmp/hotspot-$b" ingest --no-progress \
			--data-dir "$tmp/store-$b" --source council --mapping "$d/synthetic-council-mapping.json" \
			--pseudonym-key-file "$d/synthetic-pseudonym.key" --premises "$d/synthetic-premises.csv" \
			"$d/synthetic-council-records.csv" >/dev/null
		read -r wall user sys rss <"$tmp/t"
		awk -v b="$b" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" -v n="$rows" -v l="$load" 'BEGIN {
			printf "%-4s run: %6.1f s wall, %5.1f s CPU, %7.0f rows/s, %.1f GB peak RSS, load %s\n", b, w, u + s, n / w, m / 1048576, l }'
	done
	if [ ${#bins[@]} = 2 ]; then
		for f in seg-00000002.bin points-00000002.bin; do
			cmp -s "$tmp/store-base/$f" "$tmp/store-new/$f" || { echo "$f differs between base and new"; exit 1; }
		done
		echo "     the new segment and points files are identical"
	fi
done
