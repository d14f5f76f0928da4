#!/bin/sh
# rung launch with small shell trainers: the command line and its errors,
# the trial's environment and {name} in its arguments, the protocol read
# robustly, GPUs from the pool, a trainer that crashes and one that hangs
# (through the real mpirun), and rung itself under mpirun.
. "$RUNG_SRCDIR/tests/lib.sh"

launch_env

# trainer.sh MODE ARG...: loss x + 1/step for the parameter x; MODE crash
# exits 3 at step 3, hang sleeps at step 2, bad writes malformed reports,
# two reports two numbers, slow sleeps a little each step.
cat >trainer.sh <<\EOF
#!/bin/sh
trap 'echo "trainer: SIGUSR1, ending" >&2; exit 0' USR1
mode=$1
shift
echo "args: $*"
env | grep -E '^(RUNG_|PYTHONUNBUFFERED=|CUDA_|ROCR_|OMPI_COMM_WORLD_SIZE=)' | sort
x=$(echo "$RUNG_PARAMS" | sed 's/.*"x":\([0-9.e-]*\).*/\1/')
s=$((RUNG_RESUME_STEP + 1))
while [ "$s" -le "$RUNG_MAX_STEPS" ]; do
	case $mode in
	crash)	if [ "$s" -eq 3 ]; then
			echo "trainer: out of memory at step 3" >&2
			exit 3
		fi ;;
	hang)	[ "$s" -eq 2 ] && sleep 300 ;;
	bad)	echo 'rung: {"step": '"$s"', "loss": }'
		echo 'rung: {"loss": 1}' ;;
	two)	echo 'rung: {"step": '"$s"', "loss": 1, "acc": 0.5}'
		s=$((s + 1))
		continue ;;
	slow)	sleep 0.2 ;;
	esac
	awk -v x="$x" -v s="$s" \
		'BEGIN { printf "rung: {\"step\": %d, \"loss\": %.6f}\n", s, x + 1 / s }'
	s=$((s + 1))
done
EOF
chmod +x trainer.sh
printf '# two parameters\nx uniform 0 1\nopt choice adam sgd\n' >s.space
mpirun=$(command -v mpirun || :)
via=direct
[ -z "$mpirun" ] || via=mpirun

# sid_of STUDY TRIAL: the session of the trial's first run (its start event).
sid_of() {
	sqlite3 "$RUNG_DB" "select e.detail from launch_events e
		join trials t on t.id = e.trial_id join studies s on s.id = t.study_id
		where s.name = '$1' and t.ext_id = '$2' and e.event = 'start'" |
		sed 's/.*pid //'
}

# alive SID: processes of session SID (zombies left out).
alive() {
	ps -eo sid=,stat= | awk -v s="$1" '$1 == s && $2 !~ /^Z/' | wc -l
}

test_expect_success 'the command line: what is missing, what is wrong' '
	expect_fail 2 rung launch s -- ./trainer.sh ok &&
	grep_err "give --policy" &&
	expect_fail 2 rung launch --policy asha s -- ./trainer.sh ok &&
	grep_err "give --max-steps" &&
	expect_fail 2 rung launch --policy asha --max-steps 4 s -- ./trainer.sh ok &&
	grep_err "give the configurations with --space FILE or --from STUDY" &&
	expect_fail 2 rung launch --space s.space --from x --policy asha --max-steps 4 s -- ./trainer.sh &&
	grep_err "one of them" &&
	expect_fail 2 rung launch --space s.space --policy asha --max-steps 4 s &&
	grep_err "give the command to run after the study and --" &&
	expect_fail 2 rung launch --space s.space --policy nope --max-steps 4 s -- ./trainer.sh &&
	grep_err "unknown policy .nope. (expected random, sha, hyperband, asha, swift-hyperband, baker, asha-svr, lce, asha-lce, hyperband-lce)" &&
	expect_fail 2 rung launch --space s.space --policy asha --max-steps 4 --eta 1 s -- ./trainer.sh &&
	grep_err "launch: --eta must be a number above 1, not .1." &&
	expect_fail 2 rung launch --space s.space --policy asha --max-steps 2.5 s -- ./trainer.sh &&
	grep_err "whole number of steps" &&
	expect_fail 2 rung launch --space s.space --policy asha --max-steps 4 --launcher ssh s -- ./trainer.sh &&
	grep_err "mpirun, mpiexec, srun, sbatch or direct" &&
	expect_fail 2 rung launch --resume --policy asha s &&
	grep_err "cannot change it" &&
	expect_fail 1 rung launch --resume nothing &&
	grep_err "no study .nothing."
'

test_expect_success 'a bad space file names its line and field' '
	printf "x uniform 0 1\nlr loguniform 0 1\n" >bad.space &&
	expect_fail 1 rung launch --space bad.space --policy random --configs 2 --max-steps 4 s -- ./trainer.sh ok &&
	grep_err "launch: bad.space:2: field 3 (.0.): loguniform needs LOW > 0" &&
	expect_fail 1 rung launch --space missing.space --policy random --configs 2 --max-steps 4 s -- ./trainer.sh ok &&
	grep_err "cannot open .missing.space." &&
	expect_fail 1 rung launch --space s.space --policy random --configs 2 --max-steps 4 s -- ./no-such-trainer &&
	grep_err "cannot run .\./no-such-trainer.: no such executable file" &&
	expect_fail 1 rung launch --space s.space --policy random --configs 2 --max-steps 4 --launcher direct --ranks 2 s -- ./trainer.sh &&
	grep_err "needs mpirun, mpiexec or srun" &&
	expect_fail 1 rung launch --space s.space --policy random --configs 2 --max-steps 4 --gpus none --gpus-per-trial 1 s -- ./trainer.sh &&
	grep_err "no GPU" &&
	test "$(sqlite3 "$RUNG_DB" "select count(*) from studies")" = 0
'

test_expect_success 'a campaign: the environment and {name} of each trial' '
	rung launch --space s.space --policy random --configs 3 --max-steps 4 \
		--launcher direct --gpus none --seed 3 --json env -- \
		./trainer.sh ok --x={x} --opt={opt} --id={trial} >env.json 2>env.err &&
	test "$(json "[t[\"status\"] for t in j[\"trials\"]]" env.json)" = "complete complete complete" &&
	test "$(json "[t[\"steps\"] for t in j[\"trials\"]]" env.json)" = "4 4 4" &&
	test "$(json "j[\"status\"], j[\"metric\"], j[\"steps\"]" env.json)" = "done loss 12" &&
	log=rung-logs/env/1.log &&
	x=$(json "j[\"trials\"][1][\"params\"][\"x\"]" env.json) &&
	opt=$(json "j[\"trials\"][1][\"params\"][\"opt\"]" env.json) &&
	grep -q "^args: --x=$x --opt=$opt --id=1\$" $log &&
	grep -q "^RUNG_TRIAL_ID=1\$" $log &&
	grep -q "^RUNG_PARAMS={\"x\":$x,\"opt\":\"$opt\"}\$" $log &&
	grep -q "^RUNG_MAX_STEPS=4\$" $log &&
	grep -q "^RUNG_RESUME_STEP=0\$" $log &&
	grep -q "^RUNG_STUDY=env\$" $log &&
	grep -q "^RUNG_CHECKPOINT_DIR=$TRASH/rung-logs/env/ckpt/1\$" $log &&
	grep -q "^PYTHONUNBUFFERED=1\$" $log &&
	grep -q "^CUDA_VISIBLE_DEVICES=\$" $log &&
	! grep -q "^rung:" $log &&
	test -d rung-logs/env/ckpt/1 &&
	grep -q "launch: trial 1 started" env.err
'

test_expect_success 'what the study holds: points, parameters, the launch' '
	rung trials --json env >t.json &&
	test "$(json "[t[\"status\"] for t in j]" t.json)" = "complete complete complete" &&
	test "$(json "sorted(j[0][\"params\"])" t.json)" = "opt x" &&
	test "$(sqlite3 "$RUNG_DB" "select type || log from params order by name")" = "categorical0
real0" &&
	test "$(sqlite3 "$RUNG_DB" "select status, steps, policy from launches")" = "done|12|random" &&
	test "$(sqlite3 "$RUNG_DB" "select count(*) from launch_trials where state = '"'"'complete'"'"' and runs = 1")" = 3 &&
	# Each write to a trial counted, for the live explorer: every point
	# and status (4 points and 3 statuses a trial at least).
	test "$(sqlite3 "$RUNG_DB" "select count(*) from trials where rev = 0")" = 0 &&
	test "$(sqlite3 "$RUNG_DB" "select s.rev >= 3 * 7 and max(t.rev) = s.rev from studies s join trials t on t.study_id = s.id where s.name = '"'"'env'"'"'")" = 1 &&
	sqlite3 "$RUNG_DB" "select settings from launches" >settings.json &&
	test "$(json "j[\"command\"][0], j[\"policy\"], j[\"max_r\"], j[\"max_configs\"], j[\"seed\"]" settings.json)" = "./trainer.sh random 4 3 3" &&
	rung show --json env 0 >s.json &&
	test "$(json "j[\"curves\"][\"loss\"][\"steps\"]" s.json)" = "1 2 3 4" &&
	test "$(json "len(j[\"seconds\"][\"steps\"]), j[\"launch\"][\"launch_state\"]" s.json)" = "4 complete" &&
	rung launch --resume env >again.out 2>again.err &&
	grep -q "the campaign of .env. is done" again.err &&
	grep -q "^env: 3 complete" again.out
'

test_expect_success 'a study that exists is not launched again' '
	expect_fail 1 rung launch --space s.space --policy random --configs 2 --max-steps 4 --launcher direct env -- ./trainer.sh ok &&
	grep_err "study .env. exists already: rung launch --resume env carries on"
'

test_expect_success 'malformed reports are logged with a warning, not fatal' '
	rung launch --space s.space --policy random --configs 2 --max-steps 5 \
		--launcher direct --gpus none bad -- ./trainer.sh bad >bad.out 2>bad.err &&
	grep -q "^bad: 2 complete" bad.out &&
	test "$(grep -c "trial 0: malformed report ignored" bad.err)" = 3 &&
	grep -q "trial 0: malformed report ignored (not JSON at character" bad.err &&
	grep -q "the report has no \"step\"" rung-logs/bad/0.log &&
	test "$(grep -c "malformed report ignored" rung-logs/bad/0.log)" = 10 &&
	test "$(sqlite3 "$RUNG_DB" "select group_concat(c.n) from curves c join trials t on t.id = c.trial_id join studies s on s.id = t.study_id where s.name = '"'"'bad'"'"'")" = "5,5"
'

test_expect_success 'two numbers and no --metric: the campaign fails and says why' '
	expect_fail 1 rung launch --space s.space --policy random --configs 2 --max-steps 3 --launcher direct two -- ./trainer.sh two &&
	grep_err "the first report has several numbers (loss, acc): choose the metric with --metric" &&
	test "$(sqlite3 "$RUNG_DB" "select l.status from launches l join studies s on s.id = l.study_id where s.name = '"'"'two'"'"'")" = failed &&
	rung launch --space s.space --policy random --configs 2 --max-steps 3 --launcher direct --metric acc --direction max two2 -- ./trainer.sh two >two.out 2>&1 &&
	grep -q "^two2: 2 complete" two.out &&
	test "$(sqlite3 "$RUNG_DB" "select metric, direction from studies where name = '"'"'two2'"'"'")" = "acc|max" &&
	test "$(sqlite3 "$RUNG_DB" "select count(*) from metrics m join studies s on s.id = m.study_id where s.name = '"'"'two2'"'"'")" = 2
'

test_expect_success 'GPUs: one each from the pool, literally, never shared' '
	rung launch --space s.space --policy random --configs 4 --max-steps 3 \
		--launcher direct --gpus 0,1 --json g -- ./trainer.sh slow >g.json 2>g.err &&
	test "$(json "[t[\"status\"] for t in j[\"trials\"]]" g.json)" = "complete complete complete complete" &&
	grep -q "^CUDA_VISIBLE_DEVICES=0\$" rung-logs/g/0.log &&
	grep -q "^CUDA_VISIBLE_DEVICES=1\$" rung-logs/g/1.log &&
	for t in 0 1 2 3; do
		grep -q "^CUDA_VISIBLE_DEVICES=[01]\$" rung-logs/g/$t.log || exit 1
	done &&
	CUDA_VISIBLE_DEVICES=5,7 rung launch --space s.space --policy random --configs 2 \
		--max-steps 2 --launcher direct g2 -- ./trainer.sh ok >/dev/null 2>g2.err &&
	grep -q "GPUs from inherited CUDA_VISIBLE_DEVICES=5,7" g2.err &&
	grep -q "^CUDA_VISIBLE_DEVICES=5\$" rung-logs/g2/0.log &&
	grep -q "^CUDA_VISIBLE_DEVICES=7\$" rung-logs/g2/1.log &&
	rung launch --space s.space --policy random --configs 2 --max-steps 2 \
		--launcher direct --gpus rocr:0,1 --gpus-per-trial 2 --workers 2 g3 -- ./trainer.sh ok >/dev/null 2>g3.err &&
	grep -q "workers 2, but 2 GPUs make 1 slot" g3.err &&
	grep -q "^ROCR_VISIBLE_DEVICES=0,1\$" rung-logs/g3/0.log &&
	grep -q "^ROCR_VISIBLE_DEVICES=0,1\$" rung-logs/g3/1.log
'

test_expect_success 'a crashing trainer (through mpirun): failed, its exit status and log tail' '
	rung launch --space s.space --policy random --configs 1 --max-steps 5 \
		--launcher $via crash -- ./trainer.sh crash >crash.out 2>crash.err &&
	grep -q "launch: trial 0 failed at step 2: exit status 3" crash.err &&
	grep -q "^0 .*failed .*failed at step 2: exit status 3" crash.out &&
	{ test -z "$mpirun" ||
	  grep -q "mpirun --bind-to none -np 1 .*-x RUNG_PARAMS" rung-logs/crash/0.log; } &&
	test "$(sqlite3 "$RUNG_DB" "select lt.state, lt.exit_code from launch_trials lt join trials t on t.id = lt.trial_id join studies s on s.id = t.study_id where s.name = '"'"'crash'"'"'")" = "failed|3" &&
	rung show crash 0 >show.out &&
	grep -q "^crash\|trial 0 of study crash: failed" show.out &&
	grep -q "exit status 3" show.out &&
	grep -q "| trainer: out of memory at step 3" show.out &&
	rung show --json crash 0 >show.json &&
	test "$(json "j[\"launch\"][\"exit_code\"], j[\"status\"]" show.json)" = "3 failed" &&
	test "$(json "\"out of memory at step 3\" in j[\"launch\"][\"log_tail\"]" show.json)" = True &&
	test "$(json "j[\"curves\"][\"loss\"][\"steps\"]" show.json)" = "1 2"
'

if [ -n "$mpirun" ]; then
test_expect_success 'a hanging trainer: stopped by --step-timeout, nothing of it left' '
	start=$(date +%s) &&
	rung launch --space s.space --policy random --configs 1 --max-steps 5 \
		--launcher mpirun --step-timeout 1 --grace 0.5 hang -- \
		./trainer.sh hang marker-$$ >hang.out 2>hang.err &&
	test $(($(date +%s) - start)) -lt 20 &&
	grep -q "trial 0 stopped: no report for 1 s (--step-timeout): killed" hang.err &&
	test "$(sqlite3 "$RUNG_DB" "select t.status, lt.state from launch_trials lt join trials t on t.id = lt.trial_id join studies s on s.id = t.study_id where s.name = '"'"'hang'"'"'")" = "stopped|stopped" &&
	grep -q "no report for 1 s (--step-timeout): killing the run" rung-logs/hang/0.log &&
	sid=$(sid_of hang 0) &&
	test -n "$sid" &&
	test "$(alive "$sid")" = 0 &&
	! pgrep -f "marker-$$" &&
	test "$(sqlite3 "$RUNG_DB" "select e.event from launch_events e join trials t on t.id = e.trial_id join studies s on s.id = t.study_id where s.name = '"'"'hang'"'"' order by e.id")" = "start
timeout"
'
else
	test_skip 'a hanging trainer: stopped by --step-timeout, nothing of it left' 'mpirun is not installed'
fi

# RUNG_PARAMS makes a choice that reads as a number that number (1e-3 is
# 0.001 there); a restarted run still gets the words of the space.
printf 'x uniform 0 1\nw choice 1e-3 007 1.50 2.0\n' >words.space

test_expect_success '--resume: a restarted trial gets the words of its first run' '
	"$RUNG" launch --space words.space --policy random --configs 4 --max-steps 10 \
		--workers 4 --launcher direct --gpus none words -- \
		./trainer.sh slow --w={w} --x={x} >words1.out 2>&1 &
	pid=$! &&
	_n=100 &&
	until [ "$(sqlite3 "$RUNG_DB" "select count(*) from launch_trials lt
		join launches l on l.id = lt.launch_id join studies s on s.id = l.study_id
		where s.name = '"'"'words'"'"' and lt.seen_step >= 2")" = 4 ]; do
		_n=$((_n - 1)) && test "$_n" -gt 0 && sleep 0.1
	done &&
	kill -KILL $pid &&
	{ wait $pid || :; } &&
	rung launch --resume words >words2.out 2>&1 &&
	grep -h "^args: " rung-logs/words/*.log | sort | uniq -c >args.count &&
	test "$(awk "\$1 != 2" args.count)" = "" &&
	test "$(wc -l <args.count)" = 4 &&
	grep -h "^args: " rung-logs/words/*.log | sed "s/^args: --w=//; s/ .*//" |
		sort -u >words.used &&
	test -s words.used &&
	test -z "$(grep -v -x -e 1e-3 -e 007 -e 1.50 -e 2.0 words.used)" &&
	test "$(sqlite3 "$RUNG_DB" "select count(*) from launch_events e
		join trials t on t.id = e.trial_id join studies s on s.id = t.study_id
		where s.name = '"'"'words'"'"' and e.event = '"'"'restart'"'"'")" = 4
'

if [ -n "$mpirun" ]; then
test_expect_success 'rung under mpirun: the MPI variables do not reach the trials' '
	mpirun --bind-to none -np 1 "$RUNG" launch --space s.space --policy random --configs 2 \
		--max-steps 2 --launcher direct --gpus none nested -- ./trainer.sh ok >nested.out 2>&1 &&
	grep -q "^nested: 2 complete" nested.out &&
	! grep -q "^OMPI_COMM_WORLD_SIZE" rung-logs/nested/0.log &&
	mpirun --bind-to none -np 1 "$RUNG" launch --space s.space --policy random --configs 2 \
		--max-steps 2 --launcher mpirun --gpus none nested2 -- ./trainer.sh ok >nested2.out 2>&1 &&
	grep -q "^nested2: 2 complete" nested2.out &&
	grep -q "^OMPI_COMM_WORLD_SIZE=1\$" rung-logs/nested2/0.log
'
else
	test_skip 'rung under mpirun: the MPI variables do not reach the trials' 'mpirun is not installed'
fi

test_expect_success 'a run from the start is "to step N"; a directory with a slash joins with one' '
	rung launch --space s.space --policy random --configs 2 --max-steps 3 \
		--launcher direct --gpus none --seed 1 --logs lg/ slash -- \
		./trainer.sh crash >slash.out 2>slash.err &&
	grep -q "launch: trial 0 started (to step 3): " slash.err &&
	! grep -q "( to" slash.err &&
	grep -q "trial 0 failed at step 2: .* (log: $TRASH/lg/0.log)" slash.err &&
	! grep -q "//" slash.err &&
	test -s lg/0.log &&
	mkdir -p csvs &&
	printf "trial,step,loss\na,1,3\na,2,2\nb,1,4\nb,2,1\n" >csvs/one.csv &&
	rung import -s dirsrc csvs/ &&
	rung studies --json >st.json &&
	test "$(json "[s[\"source\"] for s in j if s[\"name\"] == \"dirsrc\"]" st.json)" = "long-csv:csvs/one.csv"
'

if command -v tmux >/dev/null 2>&1; then
	tmux_server
	# Each test has its own server: when a test's explorer quits, its
	# session and then its server end, and a new session on the same
	# socket could race that exit.
	trap 'tmux -S "$TRASH/tmux.sock" kill-server >/dev/null 2>&1
		tmux -S "$TRASH/tmux-live.sock" kill-server >/dev/null 2>&1' EXIT INT TERM
	# quit SESSION: Q quits the explorer, which ends the session and the
	# server, often before send-keys hears back ("server exited
	# unexpectedly"), so what counts is that the session is gone.
	quit() {
		tm send-keys -t "$1" Q 2>/dev/null
		_n=100
		while tm has-session -t "$1" 2>/dev/null; do
			_n=$((_n - 1))
			test "$_n" -gt 0 || return 1
			sleep 0.1
		done
	}
	test_expect_success 'the launch screen (6): a campaign, its trials, log and events' '
		tm new-session -d -s t -x 100 -y 30 \
			"LC_ALL=C.UTF-8 RUNG_DB=$RUNG_DB $RUNG tui crash" &&
		wait_for "1 Studies" &&
		tm send-keys -t t 6 &&
		wait_for "campaign crash: random, done" &&
		wait_for "^ 0 +failed +2/5 +1 +- +0.95907 +failed at step 2: exit status 3" &&
		wait_for "\[rung\] .*: run 1 failed \(exit status 3\)" &&
		tm send-keys -t t Enter &&
		wait_for "events, newest first" &&
		wait_for "failed +trial 0 step 2" &&
		quit t
	'
	test_expect_success 'the launch screen follows a running campaign' '
		"$RUNG" launch --space s.space --policy random --configs 3 --max-steps 40 \
			--launcher direct --gpus none live -- ./trainer.sh slow >live.out 2>&1 &
		pid=$! &&
		sock=$TRASH/tmux-live.sock &&
		tm new-session -d -s u -x 100 -y 30 \
			"LC_ALL=C.UTF-8 RUNG_DB=$RUNG_DB $RUNG tui" &&
		tui_session=u &&
		wait_for "1 Studies" &&
		tm send-keys -t u 6 &&
		wait_for "campaign live: random, running" &&
		wait_for "^ 0 +running +[0-9]+/40" &&
		s1=$(sed -n "s/^ 0 *running *\([0-9]*\)\/40.*/\1/p" screen.txt) &&
		sleep 1.5 &&
		wait_for "^ 0 +running +[0-9]+/40" &&
		s2=$(sed -n "s/^ 0 *running *\([0-9]*\)\/40.*/\1/p" screen.txt) &&
		test "$s2" -gt "$s1" &&
		kill -INT $pid &&
		{ wait $pid || :; } &&
		wait_for "campaign live: random, interrupted" &&
		quit u
	'
else
	test_skip 'the launch screen' 'tmux is not installed'
fi

test_expect_success 'the summary as CSV, written to a file with -o' '
	rung launch --space s.space --policy random --configs 2 --max-steps 2 \
		--launcher direct --gpus none --csv -o sum.csv csv2 -- ./trainer.sh ok >sum.out 2>sum.err &&
	test ! -s sum.out &&
	head -1 sum.csv | grep -q "^TRIAL,STATUS,STEPS,VALUE,RUNS,GPU,REASON\$" &&
	test "$(sed 1d sum.csv | grep -c ",complete,2,")" = 2 &&
	! ls sum.csv.* 2>/dev/null
'

test_done
