#!/bin/sh
# make bench: rung's import against the sqlite3 shell's .import of the same
# long CSV, side by side in one run, reported as ratios. Reads the TaskSet
# files from ../shared/data when they are there.
set -eu
: "${RUNG:?}" "${GENLONG:?}" "${PEAK:?}"
here=$(cd "$(dirname "$0")" && pwd)
shared=${RUNG_SHARED_DATA:-$here/../../shared/data}
[ -d "$shared" ] || shared=$here/../shared/data
work=$(mktemp -d "${TMPDIR:-/tmp}/rung-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
trials=${BENCH_TRIALS:-50000}
steps=${BENCH_STEPS:-100}
points=$((trials * steps))

. "$here/lib.sh"
rate() { awk -v n="$1" -v s="$(secs "$2")" 'BEGIN { printf "%.0f", n / s }'; }

echo "generating a long CSV: $trials trials x $steps steps = $points points"
"$GENLONG" "$trials" "$steps" >"$work/long.csv"
ls -l "$work/long.csv" | awk '{ printf "  %.1f MB\n", $5 / 1e6 }'

echo "importing it: rung (detecting metrics and parameters), rung (told them),"
echo "and the sqlite3 shell's .import into a plain table (the reference)"
measure rung_auto "$RUNG" -q -d "$work/a.db" import -s long "$work/long.csv"
measure rung_told "$RUNG" -q -d "$work/b.db" import -s long -m val_loss \
	--metrics val_loss --params lr,layers "$work/long.csv"
printf '.mode csv\n.import %s t\n' "$work/long.csv" >"$work/import.sql"
measure sqlite sh -c "sqlite3 '$work/c.db' <'$work/import.sql'"
got=$(sqlite3 "$work/c.db" 'select count(*) from t')
[ "$got" -eq "$points" ] || { echo "bench: sqlite3 imported $got rows" >&2; exit 1; }

printf '\n%-34s %10s %14s %10s\n' "long CSV, $points points" seconds points/s "peak MiB"
for n in rung_auto rung_told sqlite; do
	printf '%-34s %10s %14s %10d\n' "$n" "$(secs $n)" "$(rate $points $n)" \
		$(( $(kib $n) / 1024 ))
done
printf 'ratio rung_auto/sqlite3: speed %sx, peak memory %sx\n' \
	"$(ratio "$(rate $points rung_auto)" "$(rate $points sqlite)")" \
	"$(ratio "$(kib rung_auto)" "$(kib sqlite)")"
printf 'ratio rung_told/sqlite3: speed %sx, peak memory %sx\n' \
	"$(ratio "$(rate $points rung_told)" "$(rate $points sqlite)")" \
	"$(ratio "$(kib rung_told)" "$(kib sqlite)")"

if [ -d "$shared/taskset" ]; then
	echo
	echo "importing the 12 TaskSet files (12 x 1000 trials x 51 steps)"
	measure taskset "$RUNG" -q -d "$work/t.db" import -s taskset \
		"$shared"/taskset/*.json
	tp=$("$RUNG" -d "$work/t.db" studies --json | /usr/bin/python3 -c \
		'import json,sys; print(json.load(sys.stdin)[0]["points"])')
	tv=$(sqlite3 "$work/t.db" 'select sum(n) from curves')
	printf '%-34s %10s %14s %10d\n' "TaskSet, $tp points ($tv values)" \
		"$(secs taskset)" "$(rate "$tv" taskset)" $(( $(kib taskset) / 1024 ))
else
	echo "(no $shared/taskset: TaskSet import skipped)"
fi
