#!/bin/sh
# rung launch killed and resumed, with the example trainer: SIGKILL while
# one trial runs and another hangs silently (an orphan that outlives rung),
# then --resume kills what is left, loses no recorded step and carries on
# from the saved scheduler state; SIGTERM ends the trials gracefully; ASHA
# promote pauses trials at their rungs and resumes them from checkpoints,
# giving the curves of an uninterrupted run.
. "$RUNG_SRCDIR/tests/lib.sh"

launch_env

ex=$RUNG_SRCDIR/share/rung/examples

if ! command -v mpirun >/dev/null 2>&1 ||
    ! /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
	test_skip 'rung launch killed and resumed' \
		'needs mpirun (openmpi-bin) and python3-sklearn'
	test_done
	exit
fi

# points STUDY: every recorded point, "trial metric step value", sorted.
points() {
	/usr/bin/python3 - "$RUNG_DB" "$1" <<-\PY
	import sqlite3, struct, sys
	db = sqlite3.connect(sys.argv[1])
	rows = db.execute("select t.ext_id, m.name, c.n, c.first_step, c.steps,"
	    " c.vals from curves c join trials t on t.id = c.trial_id"
	    " join metrics m on m.id = c.metric_id join studies s"
	    " on s.id = t.study_id where s.name = ?", (sys.argv[2],))
	out = []
	for ext, metric, n, first, steps, vals in rows:
	    st = struct.unpack("<%di" % n, steps) if steps else range(first, first + n)
	    for s, v in zip(st, struct.unpack("<%dd" % n, vals)):
	        out.append("%s %s %d %r" % (ext, metric, s, v))
	# A running trial's points after its first: the tail (schema 9).
	for ext, metric, s, v in db.execute("select t.ext_id, m.name, ct.step,"
	    " ct.value from curve_tail ct join trials t on t.id = ct.trial_id"
	    " join metrics m on m.id = ct.metric_id join studies s"
	    " on s.id = t.study_id where s.name = ?", (sys.argv[2],)):
	    out.append("%s %s %d %r" % (ext, metric, s,
	        float("nan") if v is None else v))
	print("\n".join(sorted(out)))
	PY
}

# uninterrupted PARAMS: the val_loss curve of a run that nothing stopped.
uninterrupted() {
	mkdir -p alone &&
	RUNG_PARAMS=$1 RUNG_MAX_STEPS=9 RUNG_RESUME_STEP=0 \
	RUNG_CHECKPOINT_DIR=$TRASH/alone RUNG_TRIAL_ID=alone \
	"$ex/digits.py" | sed 's/^rung: //' | /usr/bin/python3 -c "
import json, sys
for line in sys.stdin:
    print(repr(json.loads(line)[\"val_loss\"]))"
}

# Trial 0 hangs before its first report; the others sleep 0.2 s an epoch.
cat >train.sh <<EOF
#!/bin/sh
if [ "\$RUNG_TRIAL_ID" = 0 ]; then set -- --hang-at 1; else set --; fi
exec "$ex/digits.py" --epoch-sleep 0.2 --tag marker-$$ "\$@"
EOF
chmod +x train.sh

test_expect_success 'rung killed with SIGKILL in the middle of a campaign' '
	"$RUNG" launch --space "$ex/digits.space" --policy asha --eta 3 --configs 5 \
		--max-steps 9 --workers 2 --seed 2 --metric val_loss \
		--step-timeout 60 --grace 1 k -- ./train.sh >k1.out 2>k1.err &
	pid=$! &&
	wait_sql "select count(*) from curves c join trials t on t.id = c.trial_id
		join metrics m on m.id = c.metric_id
		where t.ext_id = '"'"'1'"'"' and m.name = '"'"'val_loss'"'"' and $CURVE_N >= 4" 60 &&
	expect_fail 1 rung launch --resume k &&
	grep_err "the campaign of .k. is running already" &&
	kill -KILL $pid &&
	{ wait $pid || :; } &&
	# Trial 1 outlives rung too and would train on, dropping the
	# checkpoints of the steps rung recorded (digits.py keeps two):
	# frozen, so that what is tested is its resume from a checkpoint,
	# not how soon this machine gets to run --resume.
	sid1=$(sq "select lt.sid from launch_trials lt join trials t on t.id = lt.trial_id where t.ext_id = '"'"'1'"'"'") &&
	test -n "$sid1" &&
	pkill -STOP -s "$sid1" &&
	points k >before &&
	test $(wc -l <before) -ge 8 &&
	sq "select sid from launch_trials where sid is not null" >sids &&
	test $(wc -l <sids) = 2 &&
	test "$(sq "select status from launches")" = running
'

test_expect_success 'the hanging trial outlived rung: an orphan' '
	ps -eo sid=,stat= | awk "\$2 !~ /^Z/ { print \$1 }" | sort -u >live &&
	test -n "$(sort sids | comm -12 - live)" &&
	pgrep -f "marker-$$" >/dev/null
'

test_expect_success '--resume kills what is left and carries on to the end' '
	rung launch --resume --step-timeout 4 --grace 1 k >k2.out 2>k2.err &&
	grep -q "launch: resuming on .k.: asha" k2.err &&
	grep -q "launch: trial 0: [0-9]* process.* of the previous run killed" k2.err &&
	test "$(sq "select status from launches")" = done &&
	test "$(sq "select count(*) from launch_events where event = '"'"'restart'"'"'")" = 2 &&
	test "$(sq "select count(*) from launch_events where event = '"'"'killed'"'"'")" -ge 1 &&
	grep -q "^0 .*stopped .*no report for 4 s (--step-timeout)" k2.out &&
	grep -q "^k: " k2.out
'

test_expect_success 'no process of the old runs remains' '
	ps -eo sid=,stat= | awk "\$2 !~ /^Z/ { print \$1 }" | sort -u >live &&
	test -z "$(sort sids | comm -12 - live)" &&
	! pgrep -f "marker-$$"
'

test_expect_success 'no recorded step was lost, and every curve runs from step 1 without a gap' '
	points k >after &&
	test -z "$(comm -23 before after)" &&
	test "$(sq "select count(*) from curves c join trials t on t.id = c.trial_id
		where not (c.first_step = 1 and c.n = c.last_step and c.steps is null)")" = 0 &&
	test "$(sq "select count(*) from launch_trials where state in ('"'"'running'"'"', '"'"'paused'"'"')")" = 0
'

test_expect_success 'the restarted trial resumed from its checkpoint: its curve is an uninterrupted one' '
	grep -q "digits: resuming at epoch [1-9] (checkpoint of epoch [1-9])" rung-logs/k/1.log &&
	test "$(sq "select runs from launch_trials lt join trials t on t.id = lt.trial_id where t.ext_id = '"'"'1'"'"'")" = 2 &&
	uninterrupted "$(sq "select params from launch_trials lt join trials t on t.id = lt.trial_id where t.ext_id = '"'"'1'"'"'")" >alone.txt &&
	grep "^1 val_loss " after | sort -k3,3n | cut -d" " -f4 >resumed.txt &&
	head -n $(wc -l <resumed.txt) alone.txt | diff - resumed.txt
'

test_expect_success 'ASHA promote: trials paused at their rungs, SIGTERM, resumed' '
	"$RUNG" launch --space "$ex/digits.space" --policy asha --variant promote \
		--eta 3 --configs 7 --max-steps 9 --workers 2 --seed 4 --metric val_loss \
		--launcher direct --grace 5 p -- "$ex/digits.py" >p1.out 2>p1.err &
	pid=$! &&
	wait_sql "select count(*) from launch_events where event = '"'"'pause'"'"'" 60 &&
	kill -TERM $pid &&
	{ wait $pid; test $? = 1; } &&
	grep -q "interrupted: rung launch --resume p carries on" p1.err &&
	test "$(sq "select l.status from launches l join studies s on s.id = l.study_id where s.name = '"'"'p'"'"'")" = interrupted &&
	rung launch --resume p >p2.out 2>p2.err &&
	test "$(sq "select l.status from launches l join studies s on s.id = l.study_id where s.name = '"'"'p'"'"'")" = done &&
	test "$(sq "select count(*) from launch_events where event = '"'"'resume'"'"' and trial_id is not null")" -ge 1 &&
	points p >p.points &&
	test "$(sq "select count(*) from curves c join trials t on t.id = c.trial_id join studies s on s.id = t.study_id
		where s.name = '"'"'p'"'"' and not (c.first_step = 1 and c.n = c.last_step and c.steps is null)")" = 0
'

test_expect_success 'a promoted trial: resumed from its checkpoint, the curve of an uninterrupted run' '
	id=$(sq "select t.ext_id from launch_trials lt join trials t on t.id = lt.trial_id
		join studies s on s.id = t.study_id where s.name = '"'"'p'"'"'
		order by lt.seen_step desc, lt.runs desc limit 1") &&
	test "$(sq "select runs > 1 from launch_trials lt join trials t on t.id = lt.trial_id join studies s on s.id = t.study_id where s.name = '"'"'p'"'"' and t.ext_id = '"'"'$id'"'"'")" = 1 &&
	grep -q "digits: resuming at epoch 1 (checkpoint of epoch 1)" rung-logs/p/$id.log &&
	uninterrupted "$(sq "select params from launch_trials lt join trials t on t.id = lt.trial_id join studies s on s.id = t.study_id where s.name = '"'"'p'"'"' and t.ext_id = '"'"'$id'"'"'")" >alone.txt &&
	grep "^$id val_loss " p.points | sort -k3,3n | cut -d" " -f4 >promoted.txt &&
	head -n $(wc -l <promoted.txt) alone.txt | diff - promoted.txt
'

test_done
