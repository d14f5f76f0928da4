#!/bin/sh
# rung import --follow: sources that grow while it follows them, written by
# real tools (an Optuna study optimising into a journal, a training loop
# writing run folders); the follower killed with SIGKILL at random moments
# and started again ends as a one-shot import of the finished sources, and
# as Optuna's own API reads the study.
. "$RUNG_SRCDIR/tests/lib.sh"

writers=$RUNG_SRCDIR/tests/follow-writers.py
dump=$RUNG_SRCDIR/tests/optuna-dump.py

# follow_killed DB PID ARGS...: follow ARGS into DB while process PID runs,
# killing the follower (SIGKILL) at random moments and starting it again;
# then once more, stopped by SIGTERM, to catch up. kills: how many.
follow_killed() {
	_db=$1 _pid=$2
	shift 2
	kills=0
	for d in $(/usr/bin/python3 -c 'import random; print(" ".join("%.2f" % random.uniform(0.15, 0.8) for _ in range(200)))'); do
		kill -0 "$_pid" 2>/dev/null || break
		RUNG_DB=$_db "$RUNG" import --follow --interval 0.1 "$@" \
			>>follow.out 2>>follow.err &
		_f=$!
		sleep "$d"
		kill -9 "$_f" 2>/dev/null && kills=$((kills + 1))
		wait "$_f" 2>/dev/null || :
	done
	wait "$_pid"
	RUNG_DB=$_db "$RUNG" import --follow --interval 0.1 "$@" \
		>>follow.out 2>>follow.err &
	_f=$!
	sleep 1.5
	kill -TERM "$_f"
	wait "$_f"
}

test_expect_success 'an Optuna study optimising while followed, the follower killed again and again' '
	/usr/bin/python3 "$writers" optuna live.journal &
	follow_killed f.db $! -s live live.journal &&
	echo "killed $kills times" &&
	test "$kills" -ge 3 &&
	RUNG_DB=f.db rung export -f jsonl live >f.jsonl &&
	/usr/bin/python3 "$dump" live.journal >dump.json &&
	/usr/bin/python3 "$dump" --check dump.json live f.jsonl
'

test_expect_success 'it ends as a one-shot import of the finished journal does' '
	RUNG_DB=one.db rung import -s live live.journal &&
	RUNG_DB=one.db rung export -f jsonl live >one.jsonl &&
	sort f.jsonl >a && sort one.jsonl >b && cmp a b &&
	test "$(sqlite3 f.db "select count(*) from sources")" -eq 1
'

# The journal is one file, read again whole at each increment: the trials
# it held as they were are not written again, and keep their revision.
test_expect_success 'an increment writes only the trials that changed' '
	grep -E ": [0-9]+ new trials?, [0-9]+ updated, [1-9][0-9]* unchanged" follow.err &&
	test "$(sqlite3 f.db "select count(distinct rev) > 1 and min(rev) > 0 from trials")" = 1
'

# A follower replays only the lines a journal gained since its last look
# (as Optuna's JournalStorage does). Fed the finished journal of the first
# test a piece at a time, with a line written in two goes, then a journal
# rewritten in place (same size, another study's lines before the point it
# had read), it ends as one-shot imports of each do.
test_expect_success 'a journal grown piece by piece, a line in two goes, then rewritten' '
	: >grow.journal
	RUNG_DB=g.db "$RUNG" import -s g --follow --interval 0.05 --poll \
		grow.journal >g.out 2>g.err &
	f=$! &&
	/usr/bin/python3 - live.journal grow.journal <<-\PY &&
	import sys, time, sqlite3
	lines = open(sys.argv[1], "rb").read().splitlines(keepends=True)
	out = open(sys.argv[2], "ab")
	n = len(lines)
	cuts = [n // 5, n // 3, n // 2, (3 * n) // 4, n]
	at = 0
	for i, c in enumerate(cuts):
	    chunk = b"".join(lines[at:c])
	    if i == 2:
	        # Half a line, a look, then the rest of it.
	        out.write(chunk[:-7]); out.flush(); time.sleep(0.4)
	        out.write(chunk[-7:]); out.flush()
	    else:
	        out.write(chunk); out.flush()
	    at = c
	    time.sleep(0.4)
	PY
	sleep 1 &&
	RUNG_DB=g.db rung export -f jsonl g | sort >g1 &&
	RUNG_DB=one.db rung export -f jsonl live | sort >g2 &&
	test -s g1 && cmp g1 g2 &&
	sed "s/\"intermediate_value\": 1\./\"intermediate_value\": 2./" grow.journal >re.tmp &&
	! cmp -s re.tmp grow.journal &&
	test "$(wc -c <re.tmp)" = "$(wc -c <grow.journal)" &&
	cat re.tmp >grow.journal &&
	sleep 1.5 &&
	kill -TERM $f && wait $f &&
	RUNG_DB=re.db rung import -s g grow.journal 2>/dev/null &&
	RUNG_DB=g.db rung export -f jsonl g | sort >g3 &&
	RUNG_DB=re.db rung export -f jsonl g | sort >g4 &&
	cmp g3 g4 && ! cmp -s g1 g3
'

test_expect_success 'run folders written by a training loop, followed and killed' '
	rm -f follow.err &&
	/usr/bin/python3 "$writers" runs runs &
	follow_killed r.db $! -s runs runs &&
	echo "killed $kills times" &&
	test "$kills" -ge 3 &&
	RUNG_DB=one.db rung import -s runs runs &&
	RUNG_DB=r.db rung export -f jsonl runs | sort >a &&
	RUNG_DB=one.db rung export -f jsonl runs | sort >b &&
	cmp a b &&
	test "$(wc -l <a)" -eq 4 &&
	test "$(sqlite3 r.db "select count(*) from sources")" -eq 4
'

test_expect_success 'a log rewritten in place is said, and read anew' '
	mkdir -p rw/a && printf "epoch,loss\n1,0.9\n2,0.8\n3,0.7\n4,0.6\n" >rw/a/log.csv
	RUNG_DB=rw.db "$RUNG" import -s rw --follow --interval 0.1 rw \
		>rw.out 2>rw.err &
	f=$!
	sleep 1 &&
	printf "epoch,loss\n1,0.5\n2,0.4\n" >rw/a/log.csv &&
	sleep 1 &&
	kill -TERM $f && wait $f &&
	grep "rw/a/log.csv was rewritten (23 bytes, 35 before): its trials are read anew" rw.err &&
	RUNG_DB=rw.db rung show --json rw a >a.json &&
	test "$(json "j[\"curves\"][\"loss\"][\"values\"]" a.json)" = "0.5 0.4"
'

test_expect_success 'each increment is a line, or a line of JSON' '
	grep "runs: .* new trial" follow.out follow.err >/dev/null &&
	mkdir -p j/a && printf "epoch,loss\n1,0.5\n2,0.4\n" >j/a/log.csv
	RUNG_DB=j.db "$RUNG" import --json --follow --interval 0.1 j >j.out &
	f=$!
	sleep 1 && printf "epoch,loss\n1,0.8\n2,0.3\n" >j/b.csv &&
	mkdir j/c && printf "epoch,loss\n1,0.7\n2,0.6\n" >j/c/log.csv &&
	sleep 1 && kill -TERM $f && wait $f &&
	/usr/bin/python3 -c "
import json, sys
lines = [json.loads(l) for l in open(\"j.out\")]
assert len(lines) >= 2, lines
assert sum(s[\"trials\"] for l in lines for s in l[\"studies\"]) == 3, lines
"
'

test_expect_success 'a run of one step added to a study: its metric stays a metric' '
	printf "epoch,loss\n1,0.9\n2,0.6\n" >ka.csv &&
	rung import -s k ka.csv &&
	printf "epoch,loss\n1,0.8\n" >kb.csv &&
	rung import -s k kb.csv &&
	rung show --json k kb >b.json &&
	test "$(json "j[\"curves\"][\"loss\"][\"values\"]" b.json)" = 0.8
'

test_expect_success 'a path that is not there is refused at once' '
	expect_fail 1 rung import --follow nowhere &&
	grep_err "cannot open .nowhere."
'

test_expect_success '--interval and --poll go with --follow' '
	expect_fail 2 rung import --poll j &&
	grep_err "go with --follow" &&
	expect_fail 2 rung import --follow --interval 0 j &&
	grep_err "interval must be a number of seconds above 0"
'

test_done
