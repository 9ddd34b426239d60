#!/usr/bin/env bash
# PostGIS ingest of the shared police.uk months, by hand (not CI): the
# 22 months with the Leicester wards into an empty database (extension
# created), against one plain GDAL load of the same folder (the command
# of .ci/bench-ingest), RUNS rounds. With BASE=<git ref> that commit's
# binary runs in each round too, and the two databases' tables are
# compared (their rows' digests must be equal). Prints wall seconds, the
# CPU seconds of the loading process (user + sys) and of the database's
# backends serving it (sampled from /proc every 0.1 s, a lower bound),
# the ratio to GDAL's wall time and the load average before each run.
#
#   bash docs/bench/shared-ingest-pg.sh
#   BASE=4b65a53 RUNS=5 bash docs/bench/shared-ingest-pg.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${HOTSPOT_SHARED_DATA:-$(cd .. && pwd)/shared/data}
folder=${1:-$shared/police_leicestershire_street}
wards=$shared/boundaries_leicester/leicester_wards_WD20_BGC.geojson
runs=${RUNS:-3}
prefix=${DB_PREFIX:-hotspot_bench_shared}
tmp=${TMPDIR:-/tmp}/hotspot-shared-pg-bench
psql=(psql -q -h 127.0.0.1 -U postgres)
url() { echo "postgres://postgres@127.0.0.1:5432/$1?sslmode=disable"; }
rm -rf "$tmp" && mkdir -p "$tmp"
cleanup() {
	for db in "${prefix}_gdal" "${prefix}_base" "${prefix}_new"; do "${psql[@]}" -c "DROP DATABASE IF EXISTS $db" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

. docs/bench/lib.sh
build_bins

fresh() {
	"${psql[@]}" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" 2>/dev/null
	"${psql[@]}" -d "$1" -c "CREATE EXTENSION postgis"
}
# timed NAME DB CMD…: runs CMD, prints its line, leaves wall time in $tmp/wall-NAME.
timed() {
	local name=$1 db=$2; shift 2
	local load; load=$(cut -d' ' -f1-3 /proc/loadavg)
	touch "$tmp/run"; pgcpu "$db" 0.1 2 >"$tmp/pgcpu" & local sampler=$!
	/usr/bin/time -f "%e %U %S" -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
	rm -f "$tmp/run"; wait $sampler
	read -r wall user sys <"$tmp/t"
	echo "$wall" >"$tmp/wall-$name"
	awk -v b="$name" -v w="$wall" -v u="$user" -v s="$sys" -v pg="$(cat "$tmp/pgcpu")" -v l="$load" -v g="$(cat "$tmp/wall-gdal")" 'BEGIN {
		printf "%-4s %6.2f s wall (%.2fx gdal), process %5.2f s CPU, PostgreSQL %5.2f s CPU, load %s\n", b, w, g / w, u + s, pg, l }'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); data: $folder"
for i in $(seq "$runs"); do
	echo "round $i"
	fresh "${prefix}_gdal"
	echo 1 >"$tmp/wall-gdal"
	PG_USE_COPY=YES timed gdal "${prefix}_gdal" ogr2ogr -f PostgreSQL PG:"dbname=${prefix}_gdal host=127.0.0.1 user=postgres" "$folder" \
		-nln crimes -append -oo X_POSSIBLE_NAMES=Longitude -oo Y_POSSIBLE_NAMES=Latitude -a_srs EPSG:4326
	order=("${bins[@]}"); [ $((i % 2)) = 0 ] && [ ${#bins[@]} = 2 ] && order=(new base)
	for b in "${order[@]}"; do
		fresh "${prefix}_$b"
		timed "$b" "${prefix}_$b" "$tmp/hotspot-$b" ingest --no-progress --database-url "$(url "${prefix}_$b")" --boundaries "$wards" "$folder"
	done
	if [ ${#bins[@]} = 2 ]; then
		for t in points agg agg_text agg_ward texts areas months categories; do
			q="SELECT md5(string_agg(x::text, E'\n' ORDER BY x::text)) FROM hotspot.$t x"
			a=$("${psql[@]}" -d "${prefix}_base" -Atc "$q"); n=$("${psql[@]}" -d "${prefix}_new" -Atc "$q")
			[ "$a" = "$n" ] || { echo "table $t differs between base and new"; exit 1; }
		done
		q="SELECT md5(string_agg(x::text, E'\n' ORDER BY x::text)) FROM (SELECT id, month, category, point_id, key FROM hotspot.incidents) x"
		[ "$("${psql[@]}" -d "${prefix}_base" -Atc "$q")" = "$("${psql[@]}" -d "${prefix}_new" -Atc "$q")" ] || { echo "incidents differ"; exit 1; }
		echo "     the two databases' tables are identical"
	fi
done
