#!/bin/sh
# make bench: the limits man 5 rung documents (LIMITS), measured and checked.
# Generated long CSVs of 10 million points in two shapes (100,000 trials x
# 100 steps, 1,000,000 trials x 10 steps) are imported, then loaded as the
# listings, fits and the explorer load a study; the first study goes
# through JSON Lines once. An import of either holds at most its budget of
# rows (RUNG_BATCH_BUDGET, 64 MiB) and spills the rest, and past half
# that of trials on the heap maps them from a file, so its bound is a
# constant, whatever the points and the trials. Each row
# gives seconds, peak memory and the bound man 5 rung gives for it; a
# figure above its bound fails the run.
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

# The bounds of man 5 rung on peak resident memory, in bytes: so much a
# point and so much a trial, over 16 MiB; an import, a constant whatever
# its trials (the budget's rows, half of it of trials on the heap and a
# quarter of their mapped pages, SQLite's cache, the blocks of the parser
# and the writer), a long CSV and JSON Lines alike.
import_fix=$((160 * 1048576 - 16777216)) import_tr=0
load_pt=20 load_tr=128		# a study loaded: listings, the explorer
fit_tr=128			# rung fit: and 10 B a feature, a trial
base=16777216
fail=0

# bound POINTS TRIALS PER_POINT PER_TRIAL [FIXED]: MiB.
bound() {
	echo $(( ($1 * $3 + $2 * $4 + ${5:-0} + base) / 1048576 ))
}
# row WHAT NAME BOUND_MIB
row() {
	_mib=$(( $(kib "$2") / 1024 ))
	printf '%-44s %8s %9d %9d\n' "$1" "$(secs "$2")" "$_mib" "$3"
	if [ "$_mib" -gt "$3" ]; then
		echo "limits: $1: $_mib MiB, over the bound of man 5 rung ($3)" >&2
		fail=1
	fi
}

printf '%-44s %8s %9s %9s\n' "" seconds "peak MiB" "bound"
for shape in $shapes; do
	trials=${shape%x*}
	steps=${shape#*x}
	points=$((trials * steps))
	db=$work/s$shape.db
	"$GENLONG" "$trials" "$steps" >"$work/s$shape.csv"
	measure "imp$shape" "$RUNG" -q -d "$db" import -s big "$work/s$shape.csv"
	rm -f "$work/s$shape.csv"
	row "import, $trials trials x $steps steps" "imp$shape" \
		"$(bound 0 "$trials" 0 "$import_tr" "$import_fix")"
	dbsize=$(wc -c <"$db")
	printf '%-44s %8s %9s %9s\n' \
		"  database file: $((dbsize / 1048576)) MiB, $(awk -v s="$dbsize" \
		-v n="$points" 'BEGIN { printf "%.1f", s / n }') B a point" "" "" ""
	measure "load$shape" "$RUNG" -q -d "$db" trials --sort best --top 10 big
	row "  load (trials --sort best --top 10)" "load$shape" \
		"$(bound "$points" "$trials" "$load_pt" "$load_tr")"
	train=$((trials / 2 < 1000 ? trials / 2 : 1000))
	measure "fit$shape" "$RUNG" -q -d "$db" fit --prefix $((steps / 2)) \
		--train "$train" --repeats 1 big
	# fit: the study, and each trial's features (prefix doubles) besides.
	row "  fit --prefix $((steps / 2)) --train $train" "fit$shape" \
		"$(bound "$points" "$trials" "$load_pt" \
		$((load_tr + fit_tr + steps / 2 * 10)))"
	if [ "${BENCH_LIMITS_JSONL:-1}" != 0 ] && [ "$shape" = "${shapes%% *}" ]; then
		"$RUNG" -q -d "$db" export -f jsonl -o "$work/j.jsonl" big
		jsize=$(wc -c <"$work/j.jsonl")
		measure "jsonl$shape" "$RUNG" -q -d "$work/j.db" import -s big \
			"$work/j.jsonl"
		row "  its export as JSON Lines ($((jsize / 1048576)) MiB), imported" \
			"jsonl$shape" "$(bound 0 "$trials" 0 "$import_tr" \
			"$import_fix")"
		rm -f "$work/j.jsonl" "$work"/j.db*
	fi
	rm -f "$db" "$db-wal" "$db-shm"
done
[ "$fail" -eq 0 ] && echo "within the limits of man 5 rung"
exit "$fail"
