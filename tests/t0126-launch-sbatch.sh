#!/bin/sh
# rung launch --launcher sbatch on a Slurm of the test's own: each run a
# job (its name, its output file followed instead of a pipe), an ASHA
# campaign deciding as the direct launcher does, a stop that reaches the
# trainer (USR1 through scancel), and rung killed with SIGKILL while jobs
# run and wait in the queue, then resumed: the jobs are found again, no
# point is recorded twice, and nothing is left in the queue.
. "$RUNG_SRCDIR/tests/lib.sh"
. "$RUNG_SRCDIR/tests/lib-slurm.sh"

slurm_start || {
	test_skip 'rung launch --launcher sbatch' "$slurm_why"
	test_done
	exit
}

# trainer.sh: loss x + 1/step for the parameter x, SLEEP seconds a step,
# from RUNG_RESUME_STEP on; SIGUSR1 is noted in usr1/STUDY.ID and ends it
# well.
mkdir usr1
cat >trainer.sh <<EOF
#!/bin/sh
trap 'echo "\$RUNG_TRIAL_ID" >"$TRASH/usr1/\$RUNG_STUDY.\$RUNG_TRIAL_ID"; exit 0' USR1
x=\$(echo "\$RUNG_PARAMS" | sed 's/.*"x":\([0-9.e-]*\).*/\1/')
s=\$((RUNG_RESUME_STEP + 1))
while [ "\$s" -le "\$RUNG_MAX_STEPS" ]; do
	sleep \${SLEEP:-0.05} &
	wait
	awk -v x="\$x" -v s="\$s" 'BEGIN { printf "rung: {\"step\": %d, \"loss\": %.6f}\n", s, x + 1 / s }'
	s=\$((s + 1))
done
EOF
chmod +x trainer.sh
printf 'x uniform 0 1\nlr loguniform 1e-4 1e-1\n' >s.space

# decisions STUDY: "trial|state|last step" of each trial.
decisions() {
	sq "select t.ext_id, lt.state, lt.seen_step from launch_trials lt
		join trials t on t.id = lt.trial_id join studies s on s.id = t.study_id
		where s.name = '$1' order by lt.handle"
}

points() {
	db_points "$1" loss
}

# status STUDY: its campaign's.
status() {
	sq "select l.status from launches l join studies s on s.id = l.study_id
		where s.name = '$1'"
}

# rung_jobs: the queue's jobs of rung's, "name state".
rung_jobs() {
	slurm_jobs | awk '$2 ~ /^rung-/ { print $2, $3 }'
}

asha='--policy asha --eta 3 --min-steps 1 --max-steps 9 --seed 3'

test_expect_success 'an ASHA campaign through sbatch: a job a run' '
	rung launch sb --space s.space $asha --configs 6 --workers 2 \
		--launcher sbatch -- ./trainer.sh 2>err &&
	test "$(status sb)" = done &&
	grep -q "job [0-9]* submitted" rung-logs/sb/0.log &&
	grep -q "sbatch --parsable --job-name=rung-sb-0 " rung-logs/sb/0.log &&
	sq "select detail from launch_events where event = '"'start'"'" >starts &&
	test "$(grep -c "job [0-9]" starts)" = 6 &&
	grep -q "rung: {\"step\": 1," rung-logs/sb/0.1.out &&
	decisions sb >d &&
	awk -F"|" "\$2 == \"complete\" && \$3 != 9 { exit 1 }
		\$2 == \"stopped\" && \$3 != 1 && \$3 != 3 { exit 1 }
		\$2 != \"complete\" && \$2 != \"stopped\" { exit 1 }" d &&
	grep -q "|complete|9" d &&
	slurm_wait_empty 10 &&
	test -z "$(rung_jobs)"
'

test_expect_success 'with one worker, the decisions of the direct launcher' '
	rung launch sb1 --space s.space $asha --configs 4 --workers 1 \
		--launcher sbatch -- ./trainer.sh 2>/dev/null &&
	rung launch d1 --space s.space $asha --configs 4 --workers 1 \
		--launcher direct -- ./trainer.sh 2>/dev/null &&
	decisions sb1 >a && decisions d1 >b &&
	cmp a b &&
	points sb1 >pa && points d1 >pb && cmp pa pb
'

test_expect_success 'a stop reaches the trainer: USR1 through scancel' '
	SLEEP=0.5 "$RUNG" launch st --space s.space --policy random \
		--configs 1 --max-steps 40 --launcher sbatch -- ./trainer.sh \
		2>err &
	pid=$!
	n=0
	until grep -q "step\": 2," rung-logs/st/0.1.out 2>/dev/null; do
		n=$((n + 1)); test $n -lt 300; sleep 0.1
	done
	kill -TERM $pid
	if wait $pid; then false; fi
	test "$(cat usr1/st.0)" = 0
	test "$(status st)" = interrupted
	slurm_wait_empty 10
	grep -q "scancel --signal=USR1 job" rung-logs/st/0.log
	grep -q "comment=.* --ntasks=1 --wrap=exec ../trainer.sh.$" rung-logs/st/0.log
	grep -q "COMPLETED, exit code 0:0" rung-logs/st/0.log
'

test_expect_success 'rung killed with jobs running and queued, resumed' '
	# Four jobs of all the CPUs fill the node (each core takes four).
	c=$(nproc)
	for i in 1 2 3 4; do
		sbatch -Q -c "$c" -J blocker --wrap "sleep 120" -o /dev/null
	done
	SLEEP=0.3 "$RUNG" launch k --space s.space --policy random \
		--configs 3 --max-steps 12 --workers 2 --launcher sbatch \
		--sbatch-args "-c $c" -- ./trainer.sh 2>err1 &
	pid=$!
	n=0
	until [ "$(rung_jobs | grep -c PENDING)" = 2 ]; do
		n=$((n + 1)); test $n -lt 300; sleep 0.1
	done
	scancel -Q "$(squeue -h -n blocker -o %i | head -n 1)"
	n=0
	until grep -q "step\": 3," rung-logs/k/*.1.out 2>/dev/null; do
		n=$((n + 1)); test $n -lt 300; sleep 0.1
	done
	kill -9 $pid
	wait $pid || :
	rung_jobs >q
	grep -q RUNNING q
	grep -q PENDING q
	sleep 1
	"$RUNG" launch k --resume 2>err2 &
	pid=$!
	sleep 2
	scancel -Q -n blocker
	wait $pid
	test "$(grep -c "found again" err2)" = 2
	test "$(status k)" = done
	decisions k >d
	test "$(grep -c "|complete|12" d)" = 3
	points k >p
	# Each trial once a step, 1 to 12.
	test "$(wc -l <p)" = 36
	test -z "$(awk "{ print \$1, \$2 }" p | uniq -d)"
	slurm_wait_empty 10
	test -z "$(rung_jobs)"
'

test_expect_success 'a job that ended while rung was dead: finished from its file' '
	SLEEP=0.3 "$RUNG" launch e --space s.space --policy random \
		--configs 1 --max-steps 6 --launcher sbatch -- ./trainer.sh \
		2>/dev/null &
	pid=$!
	n=0
	until grep -q "step\": 2," rung-logs/e/0.1.out 2>/dev/null; do
		n=$((n + 1)); test $n -lt 300; sleep 0.1
	done
	kill -9 $pid
	wait $pid || :
	slurm_wait_empty 20
	"$RUNG" launch e --resume 2>err
	grep -q "(COMPLETED) found again" err
	test "$(status e)" = done
	test "$(decisions e)" = "0|complete|6"
	test "$(points e | wc -l)" = 6
'

test_expect_success '--step-timeout counts from the start of a job, not its submission' '
	rung launch q --space s.space --policy random --configs 1 \
		--max-steps 3 --launcher sbatch --step-timeout 2 \
		--sbatch-args "--begin=now+4" -- ./trainer.sh 2>err &&
	test "$(decisions q)" = "0|complete|3"
'


# The example trainer (share/rung/examples/digits.py), as users run it.
if /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
test_expect_success 'the example trainer: ASHA, a job a run, two at once' '
	ex=$RUNG_SRCDIR/share/rung/examples &&
	rung launch --launcher sbatch --workers 2 --space "$ex/digits.space" \
		--policy asha --eta 3 --configs 6 --max-steps 3 --seed 2 \
		--metric val_loss --json digits -- "$ex/digits.py" \
		>d.json 2>d.err &&
	test "$(json "j[\"status\"], len(j[\"trials\"])" d.json)" = "done 6" &&
	test "$(json "all(t[\"status\"] in (\"complete\", \"stopped\") and
		t[\"steps\"] in (1, 3) for t in j[\"trials\"])" d.json)" = True &&
	test "$(json "sum(t[\"status\"] == \"complete\" for t in j[\"trials\"]) >= 1" d.json)" = True &&
	grep -q "sbatch --parsable --job-name=rung-digits-0 " rung-logs/digits/0.log &&
	test -s rung-logs/digits/0.1.out &&
	test -z "$(rung_jobs)"
'
else
	test_skip 'the example trainer through sbatch' 'needs python3-sklearn'
fi

test_done
