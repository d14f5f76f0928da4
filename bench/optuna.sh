#!/bin/sh
# make bench: rung's import of an Optuna RDB storage (SQLite) against
# Optuna's own reading of it, optuna.load_study(...).trials, on the same
# file in the same run, reported as a ratio. Needs /usr/bin/python3 with
# optuna (Debian: python3-optuna); skipped without it.
#
# The storage is made with Optuna: a study from optuna.create_study(), and
# trials from optuna.trial.create_trial() (Optuna validates each), written
# through Optuna's own SQLAlchemy models and stored-value conversions in
# bulk. study.add_trials() would write the same rows, but it issues a few
# ORM queries per intermediate value (about 600 values a second here), so
# that a million values would take half an hour.
#
# BENCH_OPTUNA_TRIALS (10000) and BENCH_OPTUNA_STEPS (100) change the size.
set -eu
: "${RUNG:?}" "${PEAK:?}"
py=/usr/bin/python3
if ! [ -x "$py" ] || ! "$py" -c 'import optuna' 2>/dev/null; then
	echo "bench optuna: skipped: $py cannot import optuna" \
	    "(install python3-optuna)"
	exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/rung-bench-optuna.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
trials=${BENCH_OPTUNA_TRIALS:-10000}
steps=${BENCH_OPTUNA_STEPS:-100}
points=$((trials * steps))

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

echo "generating an Optuna storage: $trials trials x $steps intermediate" \
    "values = $points points"
"$py" "$here/optuna-gen.py" "$work/bench.db" "$trials" "$steps"
ls -l "$work/bench.db" | awk '{ printf "  %.1f MB\n", $5 / 1e6 }'

echo "reading it: rung import (into a new rung.db), and Optuna's"
echo "optuna.load_study(...).trials (timed inside Python, and as a process)"
measure rung "$RUNG" -q -d "$work/rung.db" import "$work/bench.db"
got=$(sqlite3 "$work/rung.db" 'select count(*) from trials')
[ "$got" -eq "$trials" ] || { echo "bench optuna: rung imported $got" \
    "trials" >&2; exit 1; }
measure optuna "$py" "$here/optuna-load.py" "$work/bench.db" "$trials" "$steps" \
    "$work/inside"
inside=$(cut -d' ' -f1 "$work/inside")
startup=$(cut -d' ' -f2 "$work/inside")

printf '\n%-40s %10s %10s %10s\n' "Optuna storage, $trials trials" seconds \
    trials/s "peak MiB"
printf '%-40s %10s %10s %10d\n' "rung import" "$(secs rung)" \
    "$(rate "$trials" "$(secs rung)")" $(( $(kib rung) / 1024 ))
printf '%-40s %10s %10s %10s\n' "load_study().trials (inside Python)" \
    "$inside" "$(rate "$trials" "$inside")" "-"
printf '%-40s %10s %10s %10d\n' "python3 load_study().trials (process)" \
    "$(secs optuna)" "$(rate "$trials" "$(secs optuna)")" \
    $(( $(kib optuna) / 1024 ))
echo "  (of the process, $startup s is import optuna)"
printf 'ratio Optuna/rung: rung is %sx faster than load_study().trials' \
    "$(ratio "$inside" "$(secs rung)")"
printf ' inside Python (%sx as processes),\n' \
    "$(ratio "$(secs optuna)" "$(secs rung)")"
printf '  with %sx less peak memory than the Python process\n' \
    "$(ratio "$(kib optuna)" "$(kib rung)")"
