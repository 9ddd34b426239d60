# Shared by the bench scripts (sourced, not run): each sets $tmp first.

# build_bins builds this checkout's binary as $tmp/hotspot-new and, with
# BASE=<git ref>, that commit's as $tmp/hotspot-base; bins lists them,
# oldest first.
build_bins() {
	go build -o "$tmp/hotspot-new" ./cmd/hotspot
	bins=(new)
	if [ -n "${BASE:-}" ]; then
		mkdir "$tmp/base-src"
		git archive "$BASE" | tar -x -C "$tmp/base-src"
		(cd "$tmp/base-src" && go build -o "$tmp/hotspot-base" ./cmd/hotspot)
		bins=(base new)
	fi
}

# pgcpu DB INTERVAL DECIMALS: CPU seconds (utime + stime) of the backends
# serving DB, summed over the processes seen (sampled every INTERVAL
# seconds, so a lower bound) while the file $tmp/run exists.
pgcpu() {
	local tck; tck=$(getconf CLK_TCK)
	declare -A last=()
	while [ -e "$tmp/run" ]; do
		for p in $(pgrep -f "postgres: (.*: )?postgres $1 " || true); do
			{ read -r -a st <"/proc/$p/stat"; } 2>/dev/null || continue
			last[$p]=$((st[13] + st[14]))
		done
		sleep "$2"
	done
	local sum=0; for v in "${last[@]}"; do sum=$((sum + v)); done
	awk -v s=$sum -v t=$tck -v d="$3" 'BEGIN {printf "%.*f", d, s / t}'
}
