#!/bin/sh
# make bench: what rung launch costs on top of the launcher it drives. The
# trainer prints N protocol lines and exits (awk, no training at all), so
# that everything measured is overhead: T trials run one at a time by a
# bare shell loop of mpirun (the peer), and by rung launch --policy random
# --workers 1 through the same mpirun, which also reads every report,
# tells it to the scheduler, commits the point, the scheduler's state and
# the trial's row to the database, and waits until no process of the trial
# remains. Start-up is measured with one report a trial, reports with many;
# the same again with --launcher direct against a bare loop of the trainer.
#
# Then the cost of a report against the length of the trial: one trial of
# BENCH_LAUNCH_LONG_FROM reports and one of BENCH_LAUNCH_LONG (1,000 and
# 1,000,000), --launcher direct, each against the bare trainer; the
# overhead a report at both (a trial of one report, rung's start and the
# trial's, taken off), and their ratio, which is 1 when a report costs
# the same at step a million as at step one. BENCH_LAUNCH_LONG=0
# leaves them out; BENCH_LAUNCH_LONG_ONLY=1 runs them alone.
#
# Then Slurm, on a single-node Slurm of the bench's own (tests/lib-slurm.sh;
# the rows are skipped, with the reason, where it cannot start): srun
# inside an allocation (salloc) against a bare loop of srun in the same
# kind of allocation, and sbatch (a job a trial, its output file followed)
# against a bare loop that submits each job and polls scontrol until it
# ended.
set -eu
: "${RUNG:?}"
starts=${BENCH_LAUNCH_TRIALS:-20}
reports=${BENCH_LAUNCH_REPORTS:-2000}
rtrials=${BENCH_LAUNCH_REPORT_TRIALS:-3}

long_from=${BENCH_LAUNCH_LONG_FROM:-1000}
long=${BENCH_LAUNCH_LONG:-1000000}
long_only=${BENCH_LAUNCH_LONG_ONLY:-0}

slurm_starts=${BENCH_LAUNCH_SLURM_TRIALS:-8}
srcdir=$(cd "$(dirname "$0")/.." && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/rung-bench-launch.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work"

# As root and in CI, Open MPI needs these; they change nothing else.
OMPI_ALLOW_RUN_AS_ROOT=${OMPI_ALLOW_RUN_AS_ROOT:-1}
OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}
OMPI_MCA_rmaps_base_oversubscribe=${OMPI_MCA_rmaps_base_oversubscribe:-1}
export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM \
	OMPI_MCA_rmaps_base_oversubscribe

cat >trainer <<\EOF
#!/bin/sh
exec awk -v n="${RUNG_MAX_STEPS:-1}" 'BEGIN {
	for (i = 1; i <= n; i++)
		printf "rung: {\"step\": %d, \"loss\": %.6f}\n", i, 1 + 1 / i
}'
EOF
chmod +x trainer
echo "x uniform 0 1" >s.space

now() { date +%s.%N; }
# elapsed START: seconds since START.
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }

# bare LAUNCHER T N: T runs one after the other, N reports each.
bare() {
	_i=0
	_t0=$(now)
	while [ "$_i" -lt "$2" ]; do
		if [ "$1" = mpirun ]; then
			RUNG_MAX_STEPS=$3 mpirun --bind-to none -np 1 ./trainer
		elif [ "$1" = sbatch ]; then
			bare_job "$3"
		else
			RUNG_MAX_STEPS=$3 ./trainer
		fi >/dev/null
		_i=$((_i + 1))
	done
	elapsed "$_t0"
}

# bare_job N: one job of the trainer, submitted and waited for as a user's
# loop would (scontrol every 0.1 s), then its output file read.
bare_job() {
	_id=$(RUNG_MAX_STEPS=$1 sbatch --parsable -o job.out \
		--wrap 'exec ./trainer')
	until scontrol -o show job "$_id" |
		grep -q -E 'JobState=(COMPLETED|FAILED|CANCELLED|TIMEOUT)'; do
		sleep 0.1
	done
	cat job.out
}

# launched LAUNCHER T N: the same through rung launch.
launched() {
	rm -f l.db l.db-wal l.db-shm
	rm -rf logs
	_t0=$(now)
	# $in: what runs it (salloc for srun).
	${in:-} "$RUNG" -q -d l.db launch --space s.space --policy random \
		--configs "$2" --max-steps "$3" --workers 1 --launcher "$1" \
		--gpus none --logs logs b -- ./trainer >/dev/null
	elapsed "$_t0"
	[ "$(sqlite3 l.db "select sum(n) from curves")" = $(($2 * $3)) ] || {
		echo "launch bench: rung launch did not record every point" >&2
		exit 1
	}
}

row() {
	# row LABEL BARE RUNG UNIT COUNT: the times, their ratio, the overhead.
	awk -v l="$1" -v b="$2" -v r="$3" -v u="$4" -v n="$5" 'BEGIN {
		o = (r - b) / n
		if (u ~ /^ms/) o *= 1e3; else o *= 1e6
		printf "%-34s %9.3f %9.3f %7.2f %9.1f %s\n", l, b, r, r / b,
		    o, u
	}'
}

have_mpirun=0
command -v mpirun >/dev/null 2>&1 && have_mpirun=1
command -v sqlite3 >/dev/null 2>&1 || {
	echo "launch bench: needs the sqlite3 shell: skipped"
	exit 0
}

# long_rows: a report's overhead at a trial of $long_from and of $long
# reports, and their ratio. A trial of one report is timed first, through
# rung and bare, and taken off both: what is left is the reports' own
# cost, not rung's start and the trial's (some 40 ms, which would be 40 us
# a report at 1,000).
long_rows() {
	[ "$long" -gt 0 ] || return 0
	b0=$(bare direct 1 1)
	r0=$(launched direct 1 1)
	row "direct, 1 trial x 1 report" "$b0" "$r0" ms/start 1
	b=$(bare direct 1 "$long_from")
	r=$(launched direct 1 "$long_from")
	o1=$(per_report "$b" "$r" "$long_from")
	row "direct, 1 trial x $long_from reports" "$b" "$r" us/report \
		"$long_from"
	b=$(bare direct 1 "$long")
	r=$(launched direct 1 "$long")
	o2=$(per_report "$b" "$r" "$long")
	row "direct, 1 trial x $long reports" "$b" "$r" us/report "$long"
	awk -v a="$o1" -v b="$o2" -v n1="$long_from" -v n2="$long" 'BEGIN {
		printf "a report, the start taken off: at %d reports %.1f us, " \
		    "at %d %.1f us, ratio %.2f\n", n1, a, n2, b,
		    (a > 0 ? b / a : 0)
	}'
}

# per_report BARE RUNG N: microseconds a report beyond the bare trainer's,
# the one-report trial's times ($b0, $r0) taken off both.
per_report() {
	awk -v b="$1" -v r="$2" -v n="$3" -v b0="$b0" -v r0="$r0" 'BEGIN {
		printf "%.1f", ((r - r0) - (b - b0)) / (n - 1) * 1e6
	}'
}

echo "rung launch: overhead per trial start and per report, one trial at a time"
printf '%-34s %9s %9s %7s %9s\n' "" "bare (s)" "rung (s)" ratio overhead
if [ "$long_only" = 1 ]; then
	long_rows
	exit 0
fi
if [ "$have_mpirun" = 1 ]; then
	# Warm up: the first mpirun pays for loading its components.
	bare mpirun 2 1 >/dev/null
	b=$(bare mpirun "$starts" 1)
	r=$(launched mpirun "$starts" 1)
	row "mpirun, $starts trials x 1 report" "$b" "$r" ms/start "$starts"
	b=$(bare mpirun "$rtrials" "$reports")
	r=$(launched mpirun "$rtrials" "$reports")
	row "mpirun, $rtrials trials x $reports reports" "$b" "$r" us/report \
		$((rtrials * reports))
else
	echo "(no mpirun: the Open MPI rows are skipped)"
fi
b=$(bare direct "$starts" 1)
r=$(launched direct "$starts" 1)
row "direct, $starts trials x 1 report" "$b" "$r" ms/start "$starts"
b=$(bare direct "$rtrials" "$reports")
r=$(launched direct "$rtrials" "$reports")
row "direct, $rtrials trials x $reports reports" "$b" "$r" us/report \
	$((rtrials * reports))
long_rows

# Slurm: a Slurm of the bench's own, stopped (with its jobs) at exit.
. "$srcdir/tests/lib-slurm.sh"
if ! slurm_start; then
	echo "(no Slurm: the srun and sbatch rows are skipped: $slurm_why)"
	exit 0
fi
# set +e: slurm_stop's kill of a daemon already gone must not end it early
# (the daemons, and munged holding the Slurm tests' lock, would be left).
trap 'set +e; slurm_stop; rm -rf "$work"' EXIT
trap 'set +e; slurm_stop; rm -rf "$work"; exit 1' INT TERM
# srun_loop T: T sruns one after the other in one allocation; salloc's own
# time is in both rows, as rung launch --launcher srun runs in one too.
srun_loop() {
	_t0=$(now)
	salloc -Q -n 1 sh -c 'i=0
	while [ "$i" -lt "$0" ]; do
		RUNG_MAX_STEPS=1 srun -n 1 --exact ./trainer >/dev/null
		i=$((i + 1))
	done' "$1"
	elapsed "$_t0"
}
if srun_loop 1 >/dev/null 2>salloc.err; then
	b=$(srun_loop "$slurm_starts")
	r=$(in="salloc -Q -n 1" launched srun "$slurm_starts" 1)
	row "srun in salloc, $slurm_starts trials x 1 report" "$b" "$r" \
		ms/start "$slurm_starts"
else
	echo "(srun in salloc failed, the srun row is skipped: $(tail -n 1 salloc.err))"
fi
bare sbatch 1 1 >/dev/null
b=$(bare sbatch "$slurm_starts" 1)
r=$(launched sbatch "$slurm_starts" 1)
row "sbatch, $slurm_starts jobs x 1 report" "$b" "$r" ms/start \
	"$slurm_starts"
