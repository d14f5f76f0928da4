#!/bin/sh
# Opening the database: processes started together on a new or an old
# database all succeed and leave the schema whole; every command that only
# reads works where nothing can be written (a read-only tmpfs, a read-only
# bind mount, a read-only file in a read-only directory); a version no rung
# wrote is refused and left as it was; a database is always a file, never
# one of SQLite's special names.
. "$RUNG_SRCDIR/tests/lib.sh"

# 30 trials x 12 epochs: enough for fit --save, predict and replay.
gen() {
	awk 'BEGIN {
		print "trial,epoch,val_loss,lr,width"
		for (t = 1; t <= 30; t++)
			for (k = 1; k <= 12; k++)
				printf "t%d,%d,%.4f,%g,%d\n", t, k,
				    1 / k + t / 40 + 0.1 * sin(t), 0.001 * t,
				    16 * (1 + t % 4)
	}'
}
gen >s.csv

# The schema as sqlite3 prints it, for comparing a raced database with one
# made by one process.
schema() {
	sqlite3 "$1" .schema
}

# at_once N CMD...: N copies of CMD started together (each waits for a
# go file, so that they open the database within a few milliseconds); each
# one's status in rc.I and stderr in err.I; fails unless all exit 0.
at_once() {
	_n=$1
	shift
	rm -f go rc.* err.*
	_i=1
	while [ "$_i" -le "$_n" ]; do
		(
			while [ ! -e go ]; do sleep 0.01; done
			_c=$(echo "$*" | sed "s/@/$_i/g")
			# The test runs under set -e: keep the status.
			_rc=0
			eval "$_c" >/dev/null 2>"err.$_i" || _rc=$?
			echo "$_rc" >"rc.$_i"
		) &
		_i=$((_i + 1))
	done
	sleep 0.3
	touch go
	wait
	_bad=0
	if [ "$(ls rc.* | wc -l)" -ne "$_n" ]; then
		echo "only $(ls rc.* | wc -l) of $_n processes told their status"
		_bad=1
	fi
	for _f in rc.*; do
		if [ "$(cat "$_f")" != 0 ]; then
			_bad=1
			echo "${_f#rc.} exited $(cat "$_f"):"
			cat "err.${_f#rc.}"
		fi
	done
	return $_bad
}

# The curves' summaries schema 10 added, as schema 9 lacks them.
DROP_SUMMARY="drop index curves_summary; alter table curves drop column lo; alter table curves drop column hi; alter table curves drop column final;"

# The index schema 8 added (curves_size), the columns schema 7 added
# (revisions) and schema 6 (the equal-cost view
# of a kept replay): an older schema has none.
DROP_EQUAL="$DROP_SUMMARY drop table curve_tail; drop index curves_size; drop index trials_rev; alter table trials drop column rev; alter table trials drop column digest; alter table studies drop column rev; alter table replay_policies drop column equal_budget_steps; alter table replay_policies drop column equal_cost_steps_mean; alter table replay_policies drop column equal_started_mean; alter table replay_policies drop column equal_regret_mean; alter table replay_policies drop column equal_regret_worst; alter table replay_policies drop column equal_p_top1; alter table replay_policies drop column equal_p_top5;"

# old DB VERSION: DB made by one import and taken back to VERSION, as an
# older rung left it (t0021 and t0080 do the same).
old() {
	rm -f "$1" "$1-wal" "$1-shm"
	rung -d "$1" import -s st s.csv 2>/dev/null
	case $2 in
	4)	sqlite3 "$1" "alter table metrics drop column direction;
		    $DROP_EQUAL pragma user_version = 4" ;;
	9)	sqlite3 "$1" "$DROP_SUMMARY pragma user_version = 9" ;;
	2)	sqlite3 "$1" "$DROP_SUMMARY drop table curve_tail; drop index curves_size;
		    drop index trials_rev;
		    alter table trials drop column rev;
		    alter table trials drop column digest;
		    alter table studies drop column rev;
		    alter table metrics drop column direction;
		    drop table launch_events; drop table launch_trials;
		    drop table launches; drop table replay_seeds;
		    drop table replay_policies; drop table replays;
		    pragma user_version = 2" ;;
	esac
}

test_expect_success 'a reference database made by one process' '
	rung -d ref.db import -s st s.csv 2>/dev/null &&
	schema ref.db >ref.schema &&
	test "$(sqlite3 ref.db "pragma user_version")" = 10
'

# Five rounds each: the race is between a handful of processes, and one
# round may pass by luck where the fix is missing.
test_expect_success '6 imports started at once on a new database all succeed' '
	for round in 1 2 3 4 5; do
		rm -f new.db new.db-wal new.db-shm &&
		at_once 6 rung -d new.db import -s s@ s.csv &&
		schema new.db | cmp - ref.schema &&
		test "$(sqlite3 new.db "select count(*) from studies")" = 6 &&
		test "$(sqlite3 new.db "pragma integrity_check")" = ok ||
		return 1
	done
'

test_expect_success 'a schema 9 database migrates: the curves get their summaries' '
	old o9.db 9 &&
	test "$(sqlite3 o9.db "select count(*) from curves")" -gt 0 &&
	rung -d o9.db trials st >/dev/null &&
	test "$(sqlite3 o9.db "pragma user_version")" = 10 &&
	schema o9.db | cmp - ref.schema &&
	test "$(sqlite3 o9.db "select count(*) from curves where lo is null
		or hi is null or final is null")" = 0 &&
	test -z "$(RUNG_DB=o9.db summary_bad)" &&
	test -z "$(RUNG_DB=ref.db summary_bad)"
'

test_expect_success '6 listings started at once on a schema 4 database all migrate it once' '
	for round in 1 2 3 4 5; do
		old o4.db 4 &&
		at_once 6 rung -d o4.db studies &&
		schema o4.db | cmp - ref.schema &&
		test "$(sqlite3 o4.db "pragma user_version")" = 10 &&
		test "$(sqlite3 o4.db "select group_concat(direction) from metrics")" = min ||
		return 1
	done
'

test_expect_success 'listings and imports at once on a schema 2 database all succeed' '
	for round in 1 2 3; do
		old o2.db 2 &&
		at_once 6 "if [ \$((@ % 2)) = 0 ]; then rung -d o2.db studies; else rung -d o2.db import -s n@ s.csv; fi" &&
		schema o2.db | cmp - ref.schema &&
		test "$(sqlite3 o2.db "select count(*) from studies")" = 4 ||
		return 1
	done
'

# The commands that only read, run on DB; each must exit 0.
read_all() {
	rung -d "$1" studies >out.studies &&
	grep -q "^st " out.studies &&
	rung -d "$1" trials --json st >out.trials &&
	test "$(json "len(j)" out.trials)" = 30 &&
	rung -d "$1" show st t7 >/dev/null &&
	rung -d "$1" export st >out.export &&
	test "$(wc -l <out.export)" -gt 300 &&
	rung -d "$1" replay --policy asha --seeds 2 --no-save st >/dev/null &&
	rung -d "$1" replays >/dev/null &&
	rung -d "$1" models | grep -q "^m " &&
	rung -d "$1" predict st >/dev/null &&
	if command -v gnuplot >/dev/null 2>&1; then
		rung -d "$1" plot curves --size 60x20 -o plot.txt st &&
		test -s plot.txt &&
		rung -d "$1" plot replay --size 60x20 -o replay.txt st &&
		test -s replay.txt
	fi
}

# ro_db DIR: DIR holds r.db, with a study, a model and a kept replay.
ro_db() {
	rung -d "$1/r.db" import -s st s.csv 2>/dev/null &&
	rung -d "$1/r.db" fit --prefix 4 --save m st >/dev/null 2>&1 &&
	rung -d "$1/r.db" replay --policy asha --seeds 2 st >/dev/null 2>&1 &&
	cp "$1/r.db" "$1/o.db" &&
	sqlite3 "$1/o.db" "alter table metrics drop column direction;
	    $DROP_EQUAL pragma user_version = 4"
}

RO=$TRASH/ro
BIND=$TRASH/bind
mounted=
cleanup() {
	if [ -n "${sock:-}" ]; then
		tm kill-server >/dev/null 2>&1
	fi
	# A process of the explorer may hold a file a moment longer.
	for _m in $mounted; do
		for _t in 1 2 3 4 5 6 7 8 9 10; do
			umount "$_m" 2>/dev/null && break
			sleep 0.2
		done
		umount -l "$_m" 2>/dev/null
	done
}
if command -v tmux >/dev/null 2>&1; then
	tmux_server
fi
trap cleanup EXIT INT TERM

mkdir -p "$RO" "$BIND"
if mount -t tmpfs -o size=16m rung-test "$RO" 2>mount.err; then
	mounted="$RO"
	ro_db "$RO" && mount -o remount,ro "$RO" || mounted_ro=no
fi

if [ -z "$mounted" ] || [ "${mounted_ro:-}" = no ]; then
	test_skip 'commands that read work on a read-only tmpfs' \
	    "cannot mount a tmpfs here (root only): $(cat mount.err)"
else
	test_expect_success 'the tmpfs is read-only indeed' '
		! touch "$RO/x" 2>/dev/null
	'

	test_expect_success 'commands that read work on a read-only tmpfs' '
		read_all "$RO/r.db"
	'

	test_expect_success 'a write command there says what cannot be written' '
		expect_fail 1 rung -d "$RO/r.db" import -s x s.csv &&
		grep_err "cannot write .*r.db.*Read-only file system" &&
		expect_fail 1 rung -d "$RO/r.db" replay --policy asha st &&
		grep_err "Read-only file system" &&
		if command -v gnuplot >/dev/null 2>&1; then
			expect_fail 1 rung -d "$RO/r.db" plot replay --policy asha -o r.txt st &&
			grep_err "Read-only file system"
		fi
	'

	test_expect_success 'an old schema there needs migrating, and says so' '
		expect_fail 1 rung -d "$RO/o.db" studies &&
		grep_err "schema version 4 .*needs migrating: run a write command once"
	'

	if command -v tmux >/dev/null 2>&1; then
		test_expect_success 'the explorer lists the studies of a read-only tmpfs' '
			(RUNG_DB=$RO/r.db; tui_env) &&
			tm new-session -d -s t -x 120 -y 30 "ENV=$TRASH/env.sh sh -i" &&
			wait_for "tui-test" &&
			tm send-keys -t t "\"\$RUNG\" tui; echo status=\$?" Enter &&
			wait_for "st .* 30 trials" &&
			! grep -q "readonly\|cannot" screen.txt &&
			tm send-keys -t t 3 &&
			wait_for "Kendall.s tau reaches" &&
			! grep -q "readonly\|cannot" screen.txt &&
			tm send-keys -t t Q &&
			wait_for "status=0"
		'
	fi
fi

# A read-only bind mount of a writable directory: the same files, read
# through a view that cannot write them.
if [ -n "$mounted" ] && mkdir -p "$TRASH/src" && ro_db "$TRASH/src" &&
    mount --bind "$TRASH/src" "$BIND" 2>mount.err; then
	mounted="$BIND $mounted"
	if mount -o remount,bind,ro "$BIND" 2>mount.err; then
		test_expect_success 'commands that read work on a read-only bind mount' '
			read_all "$BIND/r.db" &&
			expect_fail 1 rung -d "$BIND/r.db" import -s x s.csv &&
			grep_err "Read-only file system"
		'

		test_expect_success 'a -wal with transactions is read where the -shm is there, refused where not' '
			/usr/bin/python3 -c "
import shutil, sqlite3
db = \"$TRASH/src/r.db\"
c = sqlite3.connect(db)
c.execute(\"pragma wal_autocheckpoint = 0\")
c.execute(\"update studies set name = '"'"'later'"'"'\")
c.commit()
for suf in (\"\", \"-wal\", \"-shm\"):
    shutil.copy(db + suf, \"$TRASH/src/w.db\" + suf)
for suf in (\"\", \"-wal\"):
    shutil.copy(db + suf, \"$TRASH/src/wo.db\" + suf)
c.close()
" &&
			rung -d "$BIND/w.db" studies >out &&
			grep -q "^later " out &&
			expect_fail 1 rung -d "$BIND/wo.db" studies &&
			grep_err "write-ahead log .*wo.db-wal.* holds transactions"
		'
	else
		test_skip 'commands that read work on a read-only bind mount' \
		    "cannot remount a bind mount read-only: $(cat mount.err)"
	fi
else
	test_skip 'commands that read work on a read-only bind mount' \
	    "cannot bind mount here: $(cat mount.err 2>/dev/null)"
fi

# Root ignores permissions, so as root this shows only that a read-only
# file and directory do not get in the way; as another user it is the case
# where the -wal and -shm cannot be made.
test_expect_success 'commands that read work on a 444 file in a 555 directory' '
	mkdir -p perm &&
	ro_db perm &&
	chmod 444 perm/r.db && chmod 555 perm &&
	read_all perm/r.db &&
	chmod 755 perm
'

test_expect_success 'a schema version no rung wrote is refused and left as it was' '
	for v in -1 99 -2147483648; do
		cp ref.db v.db &&
		sqlite3 v.db "pragma user_version = $v" &&
		before=$(sqlite3 v.db .dump | md5sum) &&
		for cmd in studies "trials st" "import -s x s.csv"; do
			expect_fail 1 rung -d v.db $cmd &&
			grep_err "not a rung database (schema version $v)" ||
			return 1
		done &&
		test "$(sqlite3 v.db .dump | md5sum)" = "$before" &&
		test "$(sqlite3 v.db "pragma user_version")" = "$v" ||
		return 1
	done
'

test_expect_success 'another program'"'"'s SQLite file is not a rung database' '
	sqlite3 other.db "create table studies (study_id integer primary key)" &&
	expect_fail 1 rung -d other.db import -s x s.csv &&
	grep_err "not a rung database (schema version 0" &&
	test "$(sqlite3 other.db "select count(*) from sqlite_master")" = 1
'

test_expect_success ':memory: and an empty path are refused, by -d and RUNG_DB' '
	expect_fail 1 rung -d :memory: import -s x s.csv &&
	grep_err "in memory, which keeps nothing" &&
	expect_fail 1 env RUNG_DB=:memory: "$RUNG" import -s x s.csv &&
	grep_err "in memory, which keeps nothing" &&
	expect_fail 1 rung -d :memory: studies &&
	grep_err "in memory" &&
	expect_fail 1 rung -d "" import -s x s.csv &&
	grep_err "database path is empty" &&
	test ! -e ":memory:"
'

test_expect_success 'file: names are files of that very name' '
	rm -rf uri && mkdir uri && cd uri &&
	rung -d file:x import -s x ../s.csv 2>/dev/null &&
	test -s file:x &&
	rung -d "file:y?mode=memory" import -s y ../s.csv 2>/dev/null &&
	test -s "file:y?mode=memory" &&
	rung -d "a b%20c#d" import -s z ../s.csv 2>/dev/null &&
	test -s "a b%20c#d" &&
	RUNG_DB=file:x "$RUNG" studies | grep -q "^x " &&
	test "$(sqlite3 ./file:x "select name from studies")" = x
'

test_done
