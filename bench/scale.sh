#!/bin/sh
# make bench: how rung's costs grow with a study's size (issue 22). Studies
# of 1,000, 10,000, 100,000 and 1,000,000 trials x 100 steps, generated
# (genlong: a long CSV, val_loss and seconds a step, two parameters), each
# measured once, in this order:
#
#   import        rung import of the long CSV (one transaction)
#   listing       rung trials --sort best --top 10 (the study loaded whole)
#   trials --json every trial as JSON
#   fit           rung fit --prefix 50 (the default sizes: past 8000
#                 training trials it trains on a random subset)
#   replay        rung replay --policy asha --seeds 20 -j 1
#   first frame   the explorer's first frame, timed inside rung (tui
#                 --bench-keys; its peak memory at that frame)
#
# with seconds, peak resident memory and the growth factor of each from
# the size before (10x the trials: 10x is linear), and the import's points
# a second and peak at each size (the target: 2 million a second, a peak
# that does not grow with the points). Beside them, where
# python3-optuna is installed, an Optuna storage of the same shape (made by
# optuna-gen.py) at 10,000 and 100,000 trials: optuna.load_study().trials
# against rung import of the same file.
#
#   BENCH_SCALE_SIZES   trials of each study (1000 10000 100000 1000000)
#   BENCH_SCALE_STEPS   steps a trial (100)
#   BENCH_SCALE_OPTUNA  sizes for the Optuna rows (10000 100000); "" for none
set -eu
: "${RUNG:?}" "${GENLONG:?}" "${PEAK:?}"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/rung-bench-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
sizes=${BENCH_SCALE_SIZES:-1000 10000 100000 1000000}
steps=${BENCH_SCALE_STEPS:-100}
osizes=${BENCH_SCALE_OPTUNA-10000 100000}
py=/usr/bin/python3

. "$here/lib.sh"

# row WHAT SIZE SECONDS KIB: one figure, kept for the table.
row() {
	echo "$1 $2 $3 $4" >>"$work/rows"
}

: >"$work/rows"
for n in $sizes; do
	db=$work/s$n.db
	echo "scale: $n trials x $steps steps" >&2
	"$GENLONG" "$n" "$steps" >"$work/s.csv"
	measure imp "$RUNG" -q -d "$db" import -s big "$work/s.csv"
	rm -f "$work/s.csv"
	row import "$n" "$(secs imp)" "$(kib imp)"
	measure list "$RUNG" -q -d "$db" trials --sort best --top 10 big
	row listing "$n" "$(secs list)" "$(kib list)"
	measure json "$RUNG" -q -d "$db" trials --json big
	row trials-json "$n" "$(secs json)" "$(kib json)"
	measure fit "$RUNG" -q -d "$db" fit --prefix $((steps / 2)) big
	row fit "$n" "$(secs fit)" "$(kib fit)"
	measure rep "$RUNG" -q -d "$db" replay --policy asha --seeds 20 -j 1 \
		--no-save big
	row replay "$n" "$(secs rep)" "$(kib rep)"
	# Last: the bench's live refresh writes 100 trials into the study.
	LINES=40 COLUMNS=120 "$RUNG" -d "$db" tui --bench-keys 20 big \
		</dev/null >/dev/null 2>"$work/tui" || {
		echo "bench scale: rung tui failed:" >&2
		cat "$work/tui" >&2
		exit 1
	}
	ms=$(sed -n 's/^first frame *\([0-9.]*\) ms after exec.*/\1/p' \
		"$work/tui")
	mib=$(sed -n 's/^peak memory *\([0-9]*\) MiB.*/\1/p' "$work/tui")
	row first-frame "$n" "$(awk -v m="$ms" 'BEGIN { printf "%.3f", m / 1000 }')" \
		$((mib * 1024))
	rm -f "$db" "$db-wal" "$db-shm"
done

if [ -n "$osizes" ] && [ -x "$py" ] && "$py" -c 'import optuna' 2>/dev/null
then
	for n in $osizes; do
		echo "scale: an Optuna storage of $n trials x $steps values" >&2
		"$py" "$here/optuna-gen.py" "$work/o.db" "$n" "$steps" >&2
		measure oimp "$RUNG" -q -d "$work/r.db" import -s o "$work/o.db"
		row rung-import-optuna "$n" "$(secs oimp)" "$(kib oimp)"
		measure oload "$py" "$here/optuna-load.py" "$work/o.db" "$n" \
			"$steps" "$work/inside"
		row optuna-load_study "$n" "$(cut -d' ' -f1 "$work/inside")" \
			"$(kib oload)"
		rm -f "$work"/o.db* "$work"/r.db*
	done
elif [ -n "$osizes" ]; then
	echo "bench scale: Optuna rows skipped: $py cannot import optuna" >&2
fi

# The table: per figure, seconds and peak MiB at each size, and the growth
# of the seconds from the size before.
echo "scale: $steps steps a trial; seconds, peak MiB, and (growth of the" \
    "seconds from the size before)"
awk -v sizes="$sizes $osizes" -v steps="$steps" '
{
	what[$1] = 1
	if (!($1 in first)) { first[$1] = ++nw; order[nw] = $1 }
	s[$1, $2] = $3
	k[$1, $2] = $4
	has[$2] = 1
}
END {
	ns = split(sizes, sz, " ")
	m = 0
	for (i = 1; i <= ns; i++)
		if (has[sz[i]] && !(sz[i] in seen)) { seen[sz[i]] = 1; col[++m] = sz[i] }
	# sizes in increasing order
	for (i = 1; i <= m; i++)
		for (j = i + 1; j <= m; j++)
			if (col[j] + 0 < col[i] + 0) { t = col[i]; col[i] = col[j]; col[j] = t }
	printf "%-20s", ""
	for (i = 1; i <= m; i++)
		printf " %24s", col[i] " trials"
	printf "\n"
	for (w = 1; w <= nw; w++) {
		f = order[w]
		printf "%-20s", f
		prev = ""
		for (i = 1; i <= m; i++) {
			c = col[i]
			if (!((f, c) in s)) { printf " %24s", "-"; prev = ""; continue }
			g = prev != "" && prev > 0 ? sprintf("(%.1fx)", s[f, c] / prev) : ""
			printf " %24s", sprintf("%.3f s %5d MiB %s", s[f, c],
			    k[f, c] / 1024, g)
			prev = s[f, c]
		}
		printf "\n"
	}
	# The import target (issue 22): points a second, peak bounded.
	for (i = 1; i <= m; i++) {
		c = col[i]
		if (("import", c) in s && s["import", c] > 0)
			printf "import at %d trials x %d steps: %.2f M points/s, " \
			    "%d MiB peak\n", c, steps,
			    c * steps / s["import", c] / 1e6, k["import", c] / 1024
	}
	for (i = 1; i <= m; i++) {
		c = col[i]
		if ((("optuna-load_study", c) in s) &&
		    (("rung-import-optuna", c) in s))
			printf "Optuna at %d trials: load_study().trials %.1f s, " \
			    "rung import %.2f s: rung %.0fx as fast, %.1fx " \
			    "less peak memory\n", c, s["optuna-load_study", c],
			    s["rung-import-optuna", c],
			    s["optuna-load_study", c] / s["rung-import-optuna", c],
			    k["optuna-load_study", c] / k["rung-import-optuna", c]
	}
}' "$work/rows"
