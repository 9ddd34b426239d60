#!/usr/bin/env bash
# PostGIS partner import, by hand (not CI): 1,000,000 generated council
# records (BNG, seed 1) into a copy of a database holding the generated
# city (200,000 police.uk rows, 17 wards, population), timed RUNS times.
# With BASE=<git ref> the same runs of that commit's binary are
# interleaved with this checkout's, and after each pair both databases
# are served (each by its own binary) and must answer the same partner
# requests byte for byte (same_answers). Prints wall and CPU seconds of hotspot (user +
# sys), the CPU seconds of the database's backends serving the run
# (sampled from /proc every 0.2 s, so a lower bound), rows/s, peak RSS
# and the load average before each run, and the import's phases (the
# debug log's "postgis import" line).
#
#   bash docs/bench/partner-import-pg.sh
#   BASE=4b65a53 bash docs/bench/partner-import-pg.sh
#
# Needs the local cluster (127.0.0.1:5432, user postgres, trust) and
# makes and drops databases named $DB_PREFIX* (default
# hotspot_bench_partner).
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${ROWS:-1000000}
runs=${RUNS:-3}
prefix=${DB_PREFIX:-hotspot_bench_partner}
tmp=${TMPDIR:-/tmp}/hotspot-partner-pg-bench
psql=(psql -q -h 127.0.0.1 -U postgres)
url() { echo "postgres://postgres@127.0.0.1:5432/$1?sslmode=disable"; }
rm -rf "$tmp" && mkdir -p "$tmp"
cleanup() {
	for db in "${prefix}_city" "${prefix}_base" "${prefix}_new"; do "${psql[@]}" -c "DROP DATABASE IF EXISTS $db" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

. docs/bench/lib.sh
build_bins
h=$tmp/hotspot-new
d=$tmp/data
$h generate --out "$d" --rows 200000 --months 12 --from 2024-01 >/dev/null
$h generate --out "$d" --rows "$rows" --months 12 --from 2024-01 --source council >/dev/null
city=${prefix}_city
"${psql[@]}" -c "DROP DATABASE IF EXISTS $city" -c "CREATE DATABASE $city"
"${psql[@]}" -d "$city" -c "CREATE EXTENSION postgis"
# The city is made by the oldest binary of the comparison: a newer one
# migrates it on opening (a few seconds on the city's points), an older
# one refuses a schema newer than it knows.
"$tmp/hotspot-${bins[0]}" ingest --no-progress --database-url "$(url "$city")" --boundaries "$d/synthetic-wards.geojson" \
	--population "$d/synthetic-population.csv" "$d"/*-street.csv >/dev/null


# same_answers serves the base database with the base binary and the new
# one with this checkout's, asks both the same partner questions (hex with
# source, flag, days and hours filters, wards, temporal, repeats, premises,
# incident pages, a partner incidents tile, police.uk's map points) and
# requires byte-identical answers. (Tables are not compared: partner
# points moved to a table of their own, migration 0015.)
same_answers() {
	local b q n pid port=$((18400 + RANDOM % 500))
	# One after the other on one port: answers carry links with the host.
	for b in base new; do
		mkdir -p "$tmp/answers-$b"
		"$tmp/hotspot-$b" serve --no-demo --addr "127.0.0.1:$port" --database-url "$(url "${prefix}_$b")" 2>"$tmp/serve-$b.log" &
		pid=$!
		for _ in $(seq 150); do curl -sf -H "$auth" "http://127.0.0.1:$port/api/v1/meta" >/dev/null && break; sleep 0.2; done
		n=0
		for q in "${questions[@]}"; do
			n=$((n + 1))
			# Retried: on a loaded machine a cold answer may pass the
			# serving statement timeout (a 500) once.
			curl -sfS --retry 2 -H "$auth" "http://127.0.0.1:$port$q" >"$tmp/answers-$b/$n" ||
				{ echo "$b: $q failed"; tail -3 "$tmp/serve-$b.log"; kill $pid; exit 1; }
			# The data version's form changed after 1b3307f (a public
			# generation was added): compare the data, not its label.
			perl -0777 -pi -e 's/"version":"[^"]*"/"version":"<v>"/g' "$tmp/answers-$b/$n"
		done
		kill $pid; wait $pid 2>/dev/null || true
	done
	n=0
	for q in "${questions[@]}"; do
		n=$((n + 1))
		cmp -s "$tmp/answers-base/$n" "$tmp/answers-new/$n" || { echo "answers differ: $q"; exit 1; }
	done
	rm -rf "$tmp/answers-base" "$tmp/answers-new"
	echo "     base and new answer the same $n requests byte for byte"
}

# An analyst's key (partner records are not public), made in the city so
# that both copies hold it.
key=$("$tmp/hotspot-${bins[0]}" keys create --database-url "$(url "$city")" --name bench --role analyst --json | sed 's/.*"key":"\([^"]*\)".*/\1/')
auth="Authorization: Bearer $key"
# A zoom-14 tile at the middle of the city's points, for the incidents layer.
read -r tx ty < <("${psql[@]}" -d "$city" -Atc "SELECT avg(lon), avg(lat) FROM hotspot.points" | awk -F'|' '{
	z = 2 ^ 14; pi = atan2(0, -1); lat = $2 * pi / 180
	printf "%d %d\n", ($1 + 180) / 360 * z, (1 - log(sin(lat) / cos(lat) + 1 / cos(lat)) / pi) / 2 * z }')
questions=(
	"/api/v1/hotspots/hex?source=council&from=2024-01&to=2024-12"
	"/api/v1/hotspots/hex?source=council&flag=street_lifestyle&days=fri,sat&hours=20-04"
	"/api/v1/hotspots/hex?source=all&from=2024-06&to=2024-09"
	"/api/v1/hotspots/wards?source=council"
	"/api/v1/hotspots/wards?source=council&days=sat&hours=22-02"
	"/api/v1/temporal?source=council&from=2024-01&to=2024-12"
	"/api/v1/temporal?source=council&flag=street_lifestyle"
	"/api/v1/repeats/locations?source=council&min=3"
	"/api/v1/repeats/locations?source=council&min=3&days=fri,sat&hours=20-04"
	"/api/v1/repeats/premises?source=council"
	"/api/v1/repeats/offenders?source=council&min=3&limit=50"
	"/api/v1/premises?source=council"
	"/api/v1/incidents?source=council&limit=200"
	"/api/v1/incidents?source=council&limit=200&offset=50000"
	"/api/v1/incidents?source=all&from=2024-03&to=2024-03&limit=200&offset=1000"
	"/api/v1/incidents?source=council&limit=100&bbox=-1.9,52.17,-1.85,52.2"
	"/tiles/incidents/14/$tx/$ty.mvt?source=council"
	"/tiles/hex/14/$tx/$ty.mvt?source=council"
	"/api/v1/points"
)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $rows records"
for i in $(seq "$runs"); do
	for b in "${bins[@]}"; do
		db=${prefix}_$b
		"${psql[@]}" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db TEMPLATE $city"
		load=$(cut -d' ' -f1-3 /proc/loadavg)
		touch "$tmp/run"; pgcpu "$db" 0.2 1 >"$tmp/pgcpu" & sampler=$!
		/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$tmp/hotspot-$b" ingest --no-progress --log-level debug \
			--database-url "$(url "$db")" --source council --mapping "$d/synthetic-council-mapping.json" \
			--pseudonym-key-file "$d/synthetic-pseudonym.key" --premises "$d/synthetic-premises.csv" \
			"$d/synthetic-council-records.csv" >/dev/null 2>"$tmp/log"
		rm -f "$tmp/run"; wait $sampler
		read -r wall user sys rss <"$tmp/t"
		awk -v b="$b" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" -v n="$rows" -v l="$load" -v pg="$(cat "$tmp/pgcpu")" 'BEGIN {
			printf "%-4s run: %6.1f s wall, %5.1f s CPU, PostgreSQL %5.1f s CPU, %7.0f rows/s, %.1f GB peak RSS, load %s\n", b, w, u + s, pg, n / w, m / 1048576, l }'
		grep -o 'msg="postgis import".*' "$tmp/log" | sed 's/^/     /' || true
	done
	if [ ${#bins[@]} = 2 ]; then
		same_answers
	fi
done
