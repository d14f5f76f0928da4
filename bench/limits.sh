#!/bin/sh
# make bench: the limits man 5 rung documents (LIMITS), measured and checked.
# Generated long CSVs of 10 million points in two shapes (100,000 trials x
# 100 steps, 1,000,000 trials x 10 steps) are imported, then loaded as the
# listings, fits and the explorer load a study; the same study goes through
# JSON Lines (read whole) once. Each row gives seconds, peak memory and
# bytes per point; a figure above the documented bound fails the run.
#
#   BENCH_LIMITS_SHAPES   "TRIALSxSTEPS ..." (100000x100 1000000x10)
#   BENCH_LIMITS_JSONL    0 leaves the JSON Lines import out
set -eu
: "${RUNG:?}" "${GENLONG:?}" "${PEAK:?}"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/rung-limits.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
shapes=${BENCH_LIMITS_SHAPES:-100000x100 1000000x10}

. "$here/lib.sh"

# The bounds of man 5 rung, in bytes per point of peak resident memory.
import_max=64		# import of a long CSV
load_max=24		# a study loaded (listings, fit, replay, the explorer)
jsonl_max=120		# import of JSON Lines, read whole
fail=0

# per NAME POINTS: bytes of peak memory per point.
per() {
	awk -v k="$(kib "$1")" -v n="$2" 'BEGIN { printf "%.1f", k * 1024 / n }'
}
# check NAME POINTS MAX WHAT
check() {
	if awk -v b="$(per "$1" "$2")" -v m="$3" 'BEGIN { exit !(b > m) }'; then
		echo "limits: $4 took $(per "$1" "$2") bytes a point, more than" \
			"the $3 of man 5 rung" >&2
		fail=1
	fi
}
row() {
	printf '%-44s %8s %9d %9s\n' "$1" "$(secs "$2")" \
		$(( $(kib "$2") / 1024 )) "$(per "$2" "$3")"
}

printf '%-44s %8s %9s %9s\n' "" seconds "peak MiB" "B/point"
for shape in $shapes; do
	trials=${shape%x*}
	steps=${shape#*x}
	points=$((trials * steps))
	base=s$shape
	"$GENLONG" "$trials" "$steps" >"$work/$base.csv"
	measure "imp$shape" "$RUNG" -q -d "$work/$base.db" import -s big \
		"$work/$base.csv"
	rm -f "$work/$base.csv"
	row "import, $trials trials x $steps steps" "imp$shape" "$points"
	check "imp$shape" "$points" "$import_max" "importing $shape"
	dbsize=$(wc -c <"$work/$base.db")
	printf '%-44s %8s %9s %9s\n' "  database file: $((dbsize / 1048576)) MiB" \
		"" "" "$(awk -v s="$dbsize" -v n="$points" 'BEGIN { printf "%.1f", s / n }')"
	measure "load$shape" "$RUNG" -q -d "$work/$base.db" trials --sort best \
		--top 10 big
	row "  load (trials --sort best --top 10)" "load$shape" "$points"
	check "load$shape" "$points" "$load_max" "loading $shape"
	measure "fit$shape" "$RUNG" -q -d "$work/$base.db" fit --prefix 10 \
		--train 1000 --repeats 1 big
	row "  fit --prefix 10 --train 1000" "fit$shape" "$points"
	check "fit$shape" "$points" "$load_max" "fitting $shape"
	if [ "${BENCH_LIMITS_JSONL:-1}" != 0 ] && [ "$shape" = "${shapes%% *}" ]; then
		"$RUNG" -q -d "$work/$base.db" export -f jsonl -o "$work/j.jsonl" big
		jsize=$(wc -c <"$work/j.jsonl")
		measure "jsonl$shape" "$RUNG" -q -d "$work/j.db" import -s big \
			"$work/j.jsonl"
		row "  its export, as JSON Lines ($((jsize / 1048576)) MiB)" \
			"jsonl$shape" "$points"
		check "jsonl$shape" "$points" "$jsonl_max" "importing JSON Lines"
		rm -f "$work/j.jsonl" "$work/j.db"
	fi
	rm -f "$work/$base.db" "$work/$base.db-wal" "$work/$base.db-shm"
done
[ "$fail" -eq 0 ] && echo "within the limits of man 5 rung"
exit "$fail"
