#!/bin/sh
# Crash safety: rung killed with SIGKILL at random moments of a large import
# (as when a batch job ends) leaves a database that passes SQLite's
# integrity check and holds all of the import or none of it; the other
# studies are untouched, and rung opens it again. A quarter of the runs
# kill an import --replace of a study, which must keep the old trials or the
# new ones, never a mixture; another quarter kill an import into a new
# database, which runs with a rollback journal rather than the WAL
# (store-bulk.c) and must hold nothing or all of it. RUNG_CRASH_RUNS (100) and RUNG_CRASH_SEED
# (random, printed) change the runs.
. "$RUNG_SRCDIR/tests/lib.sh"

genlong=$RUNG_BUILDDIR/tests/genlong
runs=${RUNG_CRASH_RUNS:-100}
seed=${RUNG_CRASH_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "# seed $seed (RUNG_CRASH_SEED=$seed reruns these delays)"

# ms: milliseconds since the epoch.
ms() {
	echo $(($(date +%s%N) / 1000000))
}

# q DB SQL: one value.
q() {
	sqlite3 "$1" "$2"
}

# The study to import: N trials x 100 steps, N = 4000 (400,000 points)
# unless that takes more than 0.6 s here (a sanitized build, a slow
# machine), when N shrinks to take about 0.4 s. The study an import
# --replace replaces has 3/4 N trials of other curves.
make_files() {
	"$genlong" "$1" 100 1 >big.csv &&
	"$genlong" $(($1 * 3 / 4)) 100 2 >old.csv &&
	rm -f replace.db* && cp base.db replace.db &&
	rung -d replace.db import -s big old.csv 2>/dev/null &&
	echo "$1" >trials
}

# ms_import: the quickest of three whole imports, in milliseconds.
ms_import() {
	best=
	for k in 1 2 3; do
		rm -f t.db t.db-wal t.db-shm
		cp base.db t.db
		t0=$(ms)
		rung -d t.db import -s big big.csv 2>/dev/null || return 1
		t1=$(ms)
		if [ -z "$best" ] || [ $((t1 - t0)) -lt "$best" ]; then
			best=$((t1 - t0))
		fi
	done
	echo "$best"
}

test_expect_success 'a database, and a file that takes 0.3-0.5 s to import' '
	rung -d base.db import -s keep --direction max \
		"$RUNG_TESTDATA/csv/metaqnn_cifar10_head.csv" &&
	rung -d base.db import -s z "$RUNG_TESTDATA/json/mytrials.jsonl" &&
	make_files 4000 &&
	w=$(ms_import) &&
	if [ "$w" -gt 600 ]; then
		n=$((4000 * 400 / w)) &&
		if [ "$n" -lt 500 ]; then n=500; fi &&
		make_files "$n" &&
		w=$(ms_import)
	fi &&
	echo "$w" >window &&
	n=$(cat trials) &&
	test "$(q t.db "SELECT count(*) FROM trials t JOIN studies s ON s.id = t.study_id WHERE s.name = '"'"'big'"'"'")" = "$n" &&
	q t.db "SELECT sum(c.n) FROM curves c JOIN trials t ON t.id = c.trial_id JOIN studies s ON s.id = t.study_id WHERE s.name = '"'"'big'"'"'" >points &&
	echo "one import of $n trials: $w ms, $(cat points) values" >timing
'
[ -f timing ] && echo "# $(cat timing)"

# The delays, in ms, drawn in [10, window + 20%].
window=$(cat window 2>/dev/null || echo 400)
awk -v n="$runs" -v w="$window" -v s="$seed" 'BEGIN {
	srand(s)
	for (i = 0; i < n; i++)
		printf "%d\n", 10 + rand() * (w * 1.2 - 10)
}' >delays

# What a database holds, on one line: the integrity check, the broken
# foreign keys, then trials and values of the study big, then the same of
# the other studies with a sum of their bytes.
state_of() {
	sqlite3 -separator " " "$1" "PRAGMA integrity_check;
	SELECT count(*) FROM pragma_foreign_key_check;
	SELECT count(DISTINCT t.id), coalesce(sum(c.n), 0) FROM studies s
	    JOIN trials t ON t.study_id = s.id
	    LEFT JOIN curves c ON c.trial_id = t.id WHERE s.name = 'big';
	SELECT count(DISTINCT t.id), coalesce(sum(c.n), 0),
	    coalesce(sum(length(c.vals) + length(t.ext_id)), 0) FROM studies s
	    JOIN trials t ON t.study_id = s.id
	    LEFT JOIN curves c ON c.trial_id = t.id WHERE s.name <> 'big';" |
	tr '\n' ' '
}

test_expect_success "$runs imports killed at random moments: all or nothing" '
	points=$(cat points) &&
	n=$(cat trials) &&
	others=$(state_of base.db | cut -d" " -f 5-7) &&
	old=$(state_of replace.db | cut -d" " -f 3) &&
	i=0 none=0 all=0 finished=0 bad=0
	while read -r delay; do
		i=$((i + 1))
		want=$others
		if [ $((i % 4)) -eq 0 ]; then
			src=replace.db opts=--replace
		elif [ $((i % 4)) -eq 2 ]; then
			src= opts= want="0 0 0"
		else
			src=base.db opts=
		fi
		rm -f k.db k.db-wal k.db-shm k.db-journal
		[ -z "$src" ] || cp "$src" k.db
		secs=$(awk -v d="$delay" "BEGIN { printf \"%.3f\", d / 1000 }")
		"$RUNG" -d k.db import -s big $opts big.csv >/dev/null 2>&1 &
		pid=$!
		sleep "$secs"
		kill -9 "$pid" 2>/dev/null || :
		rc=0
		wait "$pid" 2>/dev/null || rc=$?
		why=
		# Killed before it made the new database: nothing, as wanted.
		if [ -z "$src" ] && [ ! -e k.db ]; then
			none=$((none + 1))
			continue
		fi
		# rung opens it first, the WAL of the killed one left behind.
		if ! "$RUNG" -d k.db studies >/dev/null 2>err; then
			why="rung cannot open it: $(cat err)"
		fi
		st=$(state_of k.db)
		set -- $st
		if [ -n "$why" ]; then
			:
		elif [ "$1" != ok ] || [ "$2" != 0 ]; then
			why="integrity check: $1, broken foreign keys: $2"
		elif [ "$5 $6 $7" != "$want" ]; then
			why="the other studies changed: $5 $6 $7, not $want"
		elif [ "$3" = "$n" ] && [ "$4" = "$points" ]; then
			all=$((all + 1))
		elif [ -z "$opts" ] && [ "$3" = 0 ]; then
			none=$((none + 1))
		elif [ -n "$opts" ] && [ "$3" = "$old" ]; then
			none=$((none + 1))
		else
			why="a part of the import: $3 trials, $4 values"
		fi
		[ "$rc" -ne 0 ] || finished=$((finished + 1))
		if [ -n "$why" ]; then
			bad=$((bad + 1))
			echo "run $i (import ${opts:-}, killed after $delay ms, exit $rc): $why"
			cp k.db "bad-$i.db"
		fi
	done <delays
	echo "$runs runs: $none killed before the commit, $all with the import whole ($finished of them had exited), $bad broken" >summary
	test "$bad" -eq 0 && test $((none + all)) -eq "$runs" &&
	test "$none" -gt 0
'
[ -f summary ] && echo "# $(cat summary)"

test_done
