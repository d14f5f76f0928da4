#!/bin/sh
# rung launch killed with SIGKILL at random moments, again and again, and
# resumed each time: the database stays intact, no step a trainer reported
# is lost, no process of a killed run survives the next one, and a
# one-at-a-time campaign ends exactly as one that nothing interrupted (the
# scheduler's state is saved with every report it saw).
#
# RUNG_CRASH_SEED picks the moments (the seed is printed); RUNG_CRASH_KILLS
# is how many kills each campaign may take at most (default 50).
. "$RUNG_SRCDIR/tests/lib.sh"

launch_env

seed=${RUNG_CRASH_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
kills=${RUNG_CRASH_KILLS:-50}
echo "# RUNG_CRASH_SEED=$seed RUNG_CRASH_KILLS=$kills"

# trainer.sh: loss x + 1/step for the parameter x, a few milliseconds a
# step, from RUNG_RESUME_STEP on. Each step is noted in reported/ID only
# once its line is written to rung's pipe; after rung's death the next
# write ends the trainer (SIGPIPE), if the next run's rung does not first.
cat >trainer.sh <<EOF
#!/bin/sh
trap 'exit 0' USR1
x=\$(echo "\$RUNG_PARAMS" | sed 's/.*"x":\([0-9.e-]*\).*/\1/')
s=\$((RUNG_RESUME_STEP + 1))
while [ "\$s" -le "\$RUNG_MAX_STEPS" ]; do
	sleep 0.02
	l=\$(awk -v x="\$x" -v s="\$s" 'BEGIN { printf "%.6f", x + 1 / s }')
	echo "rung: {\"step\": \$s, \"loss\": \$l}" || exit 1
	echo "\$s \$l" >>"$TRASH/reported/\$RUNG_STUDY.\$RUNG_TRIAL_ID"
	s=\$((s + 1))
done
EOF
chmod +x trainer.sh
mkdir reported
printf 'x uniform 0 1\nlr loguniform 1e-4 1e-1\n' >s.space

# points STUDY: "trial step value" of every recorded point, sorted.
points() {
	db_points "$1"
}

# delays: the moments of the kills, in seconds after each start.
awk -v seed="$seed" -v n="$((2 * kills))" 'BEGIN {
	srand(seed)
	for (i = 0; i < n; i++)
		printf "%.3f\n", 0.01 + 0.3 * rand() * rand()
}' >delays

# killed STUDY OPTION...: launches STUDY, kills it after the next delay,
# resumes it and kills it again, until the campaign ends by itself or has
# taken $kills kills; then resumes it to the end. After each kill the
# database passes integrity_check and holds every point it held before.
# Prints the number of kills to kills.STUDY.
killed() {
	_s=$1
	shift
	_k=0
	: >"snap.$_s"
	while [ "$_k" -lt "$kills" ]; do
		_d=$(sed -n "$((_k + 1 + ${_off:-0}))p" delays)
		if [ "$(sq "select count(*) from launches l join studies s
		    on s.id = l.study_id where s.name = '$_s'" 2>/dev/null)" = 1 ]; then
			"$RUNG" launch --resume "$_s" >"run.$_s" 2>&1 &
		else
			# Killed before the campaign was written: nothing of it is.
			test -z "$(sq "select 1 from studies where name = '$_s'")" || {
				echo "a study '$_s' without its campaign"
				return 1
			}
			"$RUNG" launch "$@" "$_s" -- ./trainer.sh marker-$$ >"run.$_s" 2>&1 &
		fi
		_pid=$!
		sleep "$_d"
		kill -KILL "$_pid" 2>/dev/null
		if wait "$_pid" 2>/dev/null; then
			break	# it ended before the kill
		fi
		_k=$((_k + 1))
		test "$(sq "pragma integrity_check")" = ok || {
			echo "kill $_k: integrity_check: $(sq "pragma integrity_check")"
			return 1
		}
		points "$_s" >"now.$_s"
		test -z "$(comm -23 "snap.$_s" "now.$_s")" || {
			echo "kill $_k lost points:"
			comm -23 "snap.$_s" "now.$_s"
			return 1
		}
		mv "now.$_s" "snap.$_s"
	done
	echo "$_k" >"kills.$_s"
	if [ "$(sq "select l.status from launches l join studies s
	    on s.id = l.study_id where s.name = '$_s'")" != done ]; then
		"$RUNG" launch --resume "$_s" >"run.$_s" 2>&1 || {
			cat "run.$_s"
			return 1
		}
	fi
}

# reported STUDY: every step a trainer of STUDY wrote to rung, as points,
# but those after rung had decided to end the run (a trainer can print a
# step or two before SIGUSR1 reaches it), which the trial's log lists.
reported() {
	for _f in reported/"$1".*; do
		_id=${_f#reported/"$1".}
		_late=$(sed -n "s/^\[rung\] step \([0-9]*\) reported after rung ended the run: not recorded\$/\1/p" \
			"rung-logs/$1/$_id.log")
		awk -v id="$_id" -v late=" $(echo $_late) " \
			'index(late, " " $1 " ") == 0 { print id, $0 }' "$_f"
	done | sort -u
}

# trials STUDY: what the campaign ended with, trial by trial.
trials() {
	sq "select t.ext_id, lt.params, lt.state, lt.seen_step, lt.decision,
		lt.decision_step from launch_trials lt join trials t on t.id = lt.trial_id
		join studies s on s.id = t.study_id where s.name = '$1'
		order by lt.handle"
}

hb="--space s.space --policy hyperband --eta 3 --max-steps 27 --workers 1
	--seed 7 --launcher direct --gpus none --grace 1"

test_expect_success 'an uninterrupted Hyperband campaign, one trial at a time' '
	rung launch $hb calm -- ./trainer.sh marker-$$ >calm.out 2>&1 &&
	test "$(sq "select status from launches")" = done &&
	test "$(trials calm | wc -l)" -ge 10
'

test_expect_success 'the same campaign killed with SIGKILL at random moments' '
	_off=0 &&
	killed hb $hb &&
	test "$(cat kills.hb)" -ge 10 &&
	grep -q "^hb: " run.hb &&
	test "$(sq "select l.status from launches l join studies s
		on s.id = l.study_id where s.name = '"'"'hb'"'"'")" = done
'

echo "# Hyperband: $(cat kills.hb 2>/dev/null) kills"

test_expect_success 'no recorded point was lost, none is doubled, none is missing' '
	points hb >final.hb &&
	test -z "$(comm -23 snap.hb final.hb)" &&
	test "$(cut -d" " -f1,2 final.hb | sort | uniq -d)" = "" &&
	test "$(sq "select count(*) from curves c join trials t on t.id = c.trial_id
		join studies s on s.id = t.study_id where s.name = '"'"'hb'"'"' and
		not (c.first_step = 1 and c.n = c.last_step and c.steps is null)")" = 0
'

test_expect_success 'every step a trainer reported before a kill is recorded' '
	reported hb >reported.hb &&
	test -s reported.hb &&
	test -z "$(comm -23 reported.hb final.hb)"
'

test_expect_success 'killed and resumed, it ends as the uninterrupted campaign' '
	trials calm >calm.trials &&
	trials hb >hb.trials &&
	diff calm.trials hb.trials &&
	points calm >final.calm &&
	diff final.calm final.hb
'

test_expect_success 'ASHA, three trials at a time, killed at random moments' '
	_off=$kills &&
	killed asha --space s.space --policy asha --eta 3 --max-steps 27 --configs 120 \
		--workers 3 --seed 3 --launcher direct --gpus none --grace 1 &&
	test "$(cat kills.asha)" -ge 10 &&
	points asha >final.asha &&
	test -z "$(comm -23 snap.asha final.asha)" &&
	reported asha >reported.asha &&
	test -z "$(comm -23 reported.asha final.asha)" &&
	test "$(sq "select count(*) from curves c join trials t on t.id = c.trial_id
		join studies s on s.id = t.study_id where s.name = '"'"'asha'"'"' and
		not (c.first_step = 1 and c.n = c.last_step and c.steps is null)")" = 0 &&
	test "$(sq "select count(*) from launch_trials lt join trials t on t.id = lt.trial_id
		join studies s on s.id = t.study_id where s.name = '"'"'asha'"'"'")" = 120 &&
	test "$(sq "select count(*) from launch_trials where state in
		('"'"'running'"'"', '"'"'paused'"'"')")" = 0
'

echo "# ASHA: $(cat kills.asha 2>/dev/null) kills"

test_expect_success 'no process of a killed run remains' '
	sleep 0.2 &&
	! pgrep -f "trainer.sh marker-$$"
'

test_done
