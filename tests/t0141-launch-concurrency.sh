#!/bin/sh
# A live campaign against other writers and the disk: an import into the
# study of a running, killed or done campaign (both orders, and a SIGKILL
# of the launch in between), another process holding the write lock for
# longer than the busy timeout, and a full file system under --logs. No
# step a trainer reported is lost, and the campaign ends done.
. "$RUNG_SRCDIR/tests/lib.sh"

launch_env

# trainer.sh [noisy]: loss x + 1/step, a step every 0.1 s, each step noted
# in reported/STUDY.ID once its line is written to rung's pipe; noisy, it
# also prints 4 KB of chatter on stdout and stderr a step.
cat >trainer.sh <<EOF
#!/bin/sh
trap 'exit 0' USR1
x=\$(echo "\$RUNG_PARAMS" | sed 's/.*"x":\([0-9.e-]*\).*/\1/')
s=\$((RUNG_RESUME_STEP + 1))
while [ "\$s" -le "\$RUNG_MAX_STEPS" ]; do
	sleep 0.1
	if [ "\$1" = noisy ]; then
		awk 'BEGIN { for (i = 0; i < 64; i++) printf "chatter %058d\n", i }'
		awk 'BEGIN { for (i = 0; i < 64; i++) printf "noise %060d\n", i }' >&2
	fi
	l=\$(awk -v x="\$x" -v s="\$s" 'BEGIN { printf "%.6f", x + 1 / s }')
	echo "rung: {\"step\": \$s, \"loss\": \$l}" || exit 1
	echo "\$s \$l" >>"$TRASH/reported/\$RUNG_STUDY.\$RUNG_TRIAL_ID"
	s=\$((s + 1))
done
EOF
chmod +x trainer.sh
mkdir reported
printf 'x uniform 0 1\n' >s.space

# points STUDY: "trial step value" of every recorded point, sorted.
points() {
	db_points "$1" loss
}

# reported STUDY: what the trainers of STUDY wrote to rung, as points prints
# it (the last run of a step counts, as the study keeps it).
reported() {
	for _f in reported/"$1".*; do
		_id=${_f#reported/$1.}
		awk -v id="$_id" '{ v[$1] = $2 } END {
			for (s in v) printf "%s %d %s\n", id, s, v[s] }' "$_f"
	done | sort
}

# test_cmp_sorted GOT WANT: the same points.
test_cmp_sorted() {
	if ! cmp -s "$1" "$2"; then
		echo "the study holds:"; cat "$1"
		echo "the trainers reported:"; cat "$2"
		return 1
	fi
}

# campaign STUDY [TRAINER-ARG]: a short campaign in the background, $pid
# the pid of rung itself.
campaign() {
	"$RUNG" launch --space s.space --policy random --configs 3 --max-steps 8 \
		--launcher direct --gpus none "$1" -- ./trainer.sh $2 \
		>"$1.out" 2>"$1.err" &
	pid=$!
}

# imp.csv: a trial of the name rung launch gives its first one, and another.
printf 'trial_id,step,loss,x\n0,1,0.5,0.1\n0,2,0.4,0.1\nimp,1,0.7,0.2\n' >imp.csv
printf 'trial_id,step,loss,x\nimp,1,0.7,0.2\nimp,2,0.6,0.2\n' >new.csv

test_expect_success 'launch first, import second: refused while the campaign runs, --replace too' '
	campaign live &&
	wait_sql "select count(*) from curves c join trials t on t.id = c.trial_id join studies s on s.id = t.study_id where s.name = '\''live'\''" 20 &&
	expect_fail 1 rung import -s live imp.csv &&
	grep_err "study .live. is the campaign of rung launch, which is running (pid $pid on" &&
	grep_err "rung launch --resume live" &&
	expect_fail 1 rung import -s live --replace imp.csv &&
	grep_err "which is running" &&
	expect_fail 1 rung import -s live new.csv &&
	wait $pid &&
	test "$(sq "select status from launches")" = done &&
	test "$(sq "select count(*) from trials t join studies s on s.id = t.study_id where s.name = '\''live'\''")" = 3 &&
	points live >got && reported live >want && test_cmp_sorted got want
'

test_expect_success 'a campaign done: new trials may come in, its own are never replaced' '
	before=$(points live) &&
	expect_fail 1 rung import -s live --replace imp.csv &&
	grep_err "trial .0. of .imp.csv. is one that rung launch ran in study .live." &&
	test "$(points live)" = "$before" &&
	rung import -s live new.csv &&
	test "$(sq "select count(*) from trials t join studies s on s.id = t.study_id where s.name = '\''live'\''")" = 4 &&
	rung import -s live --replace new.csv &&
	test "$(points live | grep -c "^imp ")" = 2 &&
	rung launch --resume live 2>err &&
	grep "is done" err
'

test_expect_success 'import first, launch second: the study is not taken over' '
	rung import -s first imp.csv &&
	expect_fail 1 rung launch --space s.space --policy random --configs 2 --max-steps 3 --launcher direct --gpus none first -- ./trainer.sh &&
	grep_err "study .first. exists already" &&
	test "$(sq "select count(*) from launches l join studies s on s.id = l.study_id where s.name = '\''first'\''")" = 0
'

test_expect_success 'SIGKILL of the launch in between: import refused until --resume finishes it' '
	campaign killed &&
	wait_sql "select count(*) from curves c join trials t on t.id = c.trial_id join studies s on s.id = t.study_id where s.name = '\''killed'\'' and $CURVE_N >= 2" 20 &&
	kill -9 $pid && { wait $pid || true; } &&
	test "$(sq "select l.status from launches l join studies s on s.id = l.study_id where s.name = '\''killed'\''")" = running &&
	expect_fail 1 rung import -s killed --replace imp.csv &&
	grep_err "if its rung was killed, run rung launch --resume killed to finish it" &&
	expect_fail 1 rung import -s killed new.csv &&
	rung launch --resume killed 2>err &&
	test "$(sq "select l.status from launches l join studies s on s.id = l.study_id where s.name = '\''killed'\''")" = done &&
	test "$(sq "select count(*) from trials t join studies s on s.id = t.study_id where s.name = '\''killed'\''")" = 3 &&
	points killed >got && reported killed >want && test_cmp_sorted got want &&
	rung import -s killed new.csv &&
	expect_fail 1 rung import -s killed --replace imp.csv &&
	grep_err "is one that rung launch ran"
'

test_expect_success 'another process holds the write lock for 12 s: the campaign rides it out' '
	campaign held &&
	wait_sql "select count(*) from curves c join trials t on t.id = c.trial_id join studies s on s.id = t.study_id where s.name = '\''held'\''" 20
	/usr/bin/python3 -c "
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute(\"BEGIN IMMEDIATE\")
open(\"locked\", \"w\").close()
time.sleep(12)
db.execute(\"COMMIT\")
" "$RUNG_DB" &
	holder=$!
	wait $pid &&
	wait $holder &&
	test -f locked &&
	grep "waiting for the database: another process writes ([0-9]* reports* kept)" held.err &&
	grep "the database is free again after" held.err &&
	test "$(sq "select l.status from launches l join studies s on s.id = l.study_id where s.name = '\''held'\''")" = done &&
	test "$(sq "select count(*) from trials t join studies s on s.id = t.study_id where s.name = '\''held'\''")" = 3 &&
	points held >got && reported held >want && test_cmp_sorted got want &&
	test "$(sq "select count(*) from launch_events e join launches l on l.id = e.launch_id join studies s on s.id = l.study_id where s.name = '\''held'\'' and e.event = '\''complete'\''")" = 3
'

if mkdir logs && mount -t tmpfs -o size=64k tmpfs logs 2>mount.err; then
	trap 'umount "$TRASH/logs" 2>/dev/null' EXIT INT TERM
	test_expect_success 'a full file system under --logs: said once, in rung show, and the campaign goes on' '
		rung launch --space s.space --policy random --configs 3 --max-steps 8 \
			--launcher direct --gpus none --logs logs full -- ./trainer.sh noisy \
			>full.out 2>full.err &&
		test "$(grep -c "logs are incomplete from here on" full.err)" = 1 &&
		grep "No space left on device" full.err &&
		test "$(sq "select status from launches l join studies s on s.id = l.study_id where s.name = '\''full'\''")" = done &&
		points full >got && reported full >want && test_cmp_sorted got want &&
		n=$(sq "select count(distinct trial_id) from launch_events where event = '\''log-incomplete'\''") &&
		test "$n" -ge 1 &&
		t=$(sq "select t.ext_id from launch_events e join trials t on t.id = e.trial_id where e.event = '\''log-incomplete'\'' limit 1") &&
		rung show full "$t" >show.out &&
		grep "the log is incomplete" show.out &&
		rung show --json full "$t" >show.json &&
		json "j[\"launch\"][\"log_incomplete\"] is not None" show.json | grep True
	'
	umount logs
	trap - EXIT INT TERM
else
	test_skip 'a full file system under --logs' \
		"cannot mount a tmpfs: $(head -n 1 mount.err)"
fi

test_done
