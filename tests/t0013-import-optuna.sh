#!/bin/sh
# Optuna storages: the RDB storage (SQLite file) of every schema revision,
# and the JournalStorage file. Committed fixtures are compared byte for byte
# with exports checked once against Optuna; where /usr/bin/python3 has
# optuna, fresh storages are written and read back through Optuna's own API.
. "$RUNG_SRCDIR/tests/lib.sh"

d=$RUNG_TESTDATA/optuna
make=$RUNG_SRCDIR/tests/optuna-make.py
dump=$RUNG_SRCDIR/tests/optuna-dump.py
if /usr/bin/python3 -c 'import optuna' 2>/dev/null; then
	have_optuna=1
else
	have_optuna=
fi

# studies_of DB: the study names in rung database DB, one a line.
studies_of() {
	rung -d "$1" studies | awk 'NR > 1 { print $1 }' | sort | tr '\n' ' '
}

# study_line DB STUDY: "trials metric dir" of a study.
study_line() {
	rung -d "$1" studies | awk -v s="$2" '$1 == s { print $2, $4, $5 }'
}

test_expect_success 'an Optuna 3.1 SQLite storage imports each study' '
	rung import "$d/pruned.db" 2>err &&
	test "$(studies_of "$RUNG_DB")" = "multi pruned " &&
	rung export -f jsonl pruned >pruned.jsonl &&
	cmp "$d/expected.jsonl" pruned.jsonl &&
	rung export -f jsonl multi >multi.jsonl &&
	cmp "$d/expected-multi.jsonl" multi.jsonl
'

test_expect_success 'the objective is the metric of interest, intermediate values a metric' '
	test "$(study_line "$RUNG_DB" pruned)" = "26 value min" &&
	test "$(grep -c "\"intermediate\":\[" pruned.jsonl)" = 26 &&
	grep -q "\"status\":\"failed\"" pruned.jsonl &&
	grep -q "\"status\":\"stopped\"" pruned.jsonl &&
	grep -q "\"status\":\"running\"" pruned.jsonl &&
	grep -q "NaN" pruned.jsonl && grep -q "Infinity" pruned.jsonl &&
	grep -q "\"optimizer\":\"None\"" pruned.jsonl &&
	grep -q "\"optimizer\":\"False\"" pruned.jsonl &&
	grep -q "\"optimizer\":\"2.5\"" pruned.jsonl
'

test_expect_success 'a second import of the same storage adds nothing' '
	before=$(db_digest) &&
	rung import "$d/pruned.db" 2>err &&
	grep -q "nothing added" err &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'the storage is read, never written (bytes, mtime, no journal)' '
	cp "$d/pruned.db" ro.db &&
	touch -d "2020-01-02 03:04:05" ro.db &&
	cp -p ro.db ro.orig &&
	stamp=$(stat -c %y ro.db) &&
	chmod a-w ro.db &&
	rung -d ro-rung.db import ro.db &&
	cmp ro.db ro.orig &&
	test "$(stat -c %y ro.db)" = "$stamp" &&
	! test -e ro.db-journal && ! test -e ro.db-wal &&
	test "$(studies_of ro-rung.db)" = "multi pruned "
'

test_expect_success 'a path with characters a URI escapes' '
	cp "$d/pruned.db" "odd #1?%20.db" &&
	rung -d odd.db import --study pruned "odd #1?%20.db" &&
	test "$(studies_of odd.db)" = "pruned "
'

test_expect_success 'the same campaign as a JournalStorage file' '
	rung -d j.db import "$d/pruned.journal" 2>err &&
	grep -q "study .multi. has 2 objectives" err &&
	rung -d j.db export -f jsonl pruned >jp.jsonl &&
	cmp "$d/expected.jsonl" jp.jsonl &&
	rung -d j.db export -f jsonl multi >jm.jsonl &&
	cmp "$d/expected-multi.jsonl" jm.jsonl &&
	rung -d j.db studies | grep -q "optuna-journal:.*pruned.journal"
'

test_expect_success 'a gzip-compressed journal is read, a compressed SQLite file not' '
	gzip -c -n "$d/pruned.journal" >pj.journal.gz &&
	rung -d gz.db import --study pruned pj.journal.gz &&
	rung -d gz.db export -f jsonl pruned | cmp "$d/expected.jsonl" - &&
	before=$(db_digest) &&
	gzip -c -n "$d/pruned.db" >p.db.gz &&
	expect_fail 1 rung import p.db.gz &&
	grep_err "p.db.gz: a compressed SQLite file" &&
	test "$(db_digest)" = "$before"
'

test_expect_success '--study selects one study' '
	rung -d s.db import --study multi "$d/pruned.db" &&
	test "$(studies_of s.db)" = "multi " &&
	rung -d sj.db import --study pruned "$d/pruned.journal" &&
	test "$(studies_of sj.db)" = "pruned "
'

test_expect_success '--study naming no study fails and names those there are' '
	before=$(db_digest) &&
	expect_fail 1 rung import --study nope "$d/pruned.db" &&
	grep_err "pruned.db: no study .nope. in the storage" &&
	grep_err "it holds .pruned., .multi." &&
	expect_fail 1 rung import --study nope "$d/pruned.journal" &&
	grep_err "pruned.journal: no study .nope." &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'several objectives: objective 0 unless --objective, said so' '
	rung -d m0.db import --study multi "$d/pruned.db" 2>err &&
	grep -q "study .multi. has 2 objectives: importing objective 0 as the metric of interest; --objective chooses another" err &&
	test "$(study_line m0.db multi)" = "8 value_0 min" &&
	rung -d m1.db import --study multi --objective 1 "$d/pruned.db" 2>err &&
	grep -q "importing objective 1 as the metric of interest" err &&
	! grep -q "chooses another" err &&
	test "$(study_line m1.db multi)" = "8 value_1 max" &&
	rung -d m1.db export -f jsonl multi >m1.jsonl &&
	test "$(grep -c "\"steps\":\[0\],\"value_1\":\[[^]]*\],\"value_0\"" m1.jsonl)" = 8
'

test_expect_success '--objective beyond the objectives is an error' '
	before=$(db_digest) &&
	expect_fail 1 rung import --study multi --objective 2 "$d/pruned.db" &&
	grep_err "study .multi. has 2 objectives: --objective 2 is not one of them" &&
	expect_fail 1 rung import --study pruned --objective 1 "$d/pruned.journal" &&
	grep_err "study .pruned. has 1 objective: --objective 1" &&
	test "$(db_digest)" = "$before"
'

# The objective ranks, as in Optuna: study 'ranked' reports a curve that is
# best near x = 0 and returns an objective best near x = 1.5, and its trial 4
# is pruned with the lowest value of all. Optuna's best_trial is trial 7.
test_expect_success 'trials --sort best puts first the trial best_trial names' '
	rung -d rk.db import --study ranked "$d/ranked.journal" &&
	test "$(study_line rk.db ranked)" = "30 value min" &&
	rung -d rk.db trials --sort best --json ranked >rk.json &&
	test "$(json "j[0][\"id\"]" rk.json)" = 7 &&
	rung -d rk.db trials --sort final --top 1 --json ranked >rkf.json &&
	test "$(json "j[0][\"id\"]" rkf.json)" = 7 &&
	rung -d rk.db trials --sort best ranked | sed -n 2p | grep -q "^7  *complete " &&
	# The pruned trial with the lowest value comes after every complete one.
	test "$(json "[t[\"status\"] for t in j].index(\"stopped\") > [t[\"status\"] for t in j].count(\"complete\") - 1" rk.json)" = True &&
	test "$(json "[t[\"id\"] for t in j if t[\"status\"] != \"complete\"][0]" rk.json)" = 4 &&
	test "$(json "min(t[\"best\"] for t in j)" rk.json)" = -100 &&
	# --reverse: the worst complete trial first, the others still last.
	rung -d rk.db trials --sort best --reverse --json ranked >rkr.json &&
	test "$(json "j[-1][\"status\"]" rkr.json)" != complete &&
	test "$(json "[t[\"id\"] for t in j if t[\"status\"] == \"complete\"][-1]" rkr.json)" = 7
'

if [ -n "$have_optuna" ]; then
	test_expect_success 'the first trial is best_trial, by Optuna itself (SQLite and journal)' '
		mkdir rfresh &&
		/usr/bin/python3 "$make" --ranked rfresh &&
		for f in rfresh/ranked.db rfresh/ranked.journal "$d/ranked.journal"; do
			want=$(/usr/bin/python3 "$dump" --best "$f" ranked) &&
			rm -f rf.db && rung -d rf.db import --study ranked "$f" &&
			got=$(rung -d rf.db trials --sort best --top 1 --json ranked | json "j[0][\"id\"]" /dev/stdin) &&
			test "$got" = "$want" &&
			# Not the trial with the best intermediate value: the test
			# tells the objective from the curve.
			rung -d rf.db export -f jsonl ranked >rf.jsonl &&
			/usr/bin/python3 - rf.jsonl "$want" <<-\PY || return 1
			import json, sys
			trials = [json.loads(l) for l in open(sys.argv[1])]
			done = [t for t in trials if t["status"] == "complete"]
			inter = min(done, key=lambda t: min(v for v in t["intermediate"] if v is not None))
			assert inter["id"] != sys.argv[2], inter["id"]
			PY
		done
	'
else
	test_skip 'the first trial is best_trial, by Optuna itself (SQLite and journal)' 'no optuna'
fi

# Older schemas, written by hand from the alembic migrations.
names_of() {
	case $1 in
	v1.2)	echo old12 ;;
	v1.3)	echo old13 ;;
	v2.6)	echo legacy legacy-multi ;;
	v3.0b)	echo nanny ;;
	esac
}

for v in v1.2 v1.3 v2.6 v3.0b; do
	test_expect_success "schema $v (hand-made per the migrations)" "
		sqlite3 $v.db <'$d/$v.sql' &&
		rung -d old-$v.db import $v.db &&
		: >old-$v.jsonl &&
		for s in $(names_of $v); do
			rung -d old-$v.db export -f jsonl \$s >>old-$v.jsonl
		done &&
		cmp '$d/$v.jsonl' old-$v.jsonl
	"
done

test_expect_success 'v1.2: numbers from _number, a study without trials skipped' '
	rung -d n12.db import v1.2.db 2>err &&
	grep -q "study .old12-empty. has no trial: skipped" err &&
	test "$(studies_of n12.db)" = "old12 " &&
	head -n 1 "$d/v1.2.jsonl" | grep -q "^{\"id\":\"0\",\"status\":\"stopped\"" &&
	expect_fail 1 rung -d n12.db import --study old12-empty v1.2.db &&
	grep_err "study .old12-empty. has no trial"
'

test_expect_success 'v2.6: float32 limits are infinities, legacy distributions' '
	grep -q "\"value\":\\[Infinity\\]" "$d/v2.6.jsonl" &&
	grep -q "\"intermediate\":\\[-Infinity,0.9\\]" "$d/v2.6.jsonl" &&
	grep -q "\"n\":3,\"m\":10,\"c\":\"None\"" "$d/v2.6.jsonl"
'

test_expect_success 'a replayed journal: races, deletions, finished trials' '
	rung -d r.db import "$d/replay.journal" 2>err &&
	grep -q "replay.journal:35: an incomplete last line" err &&
	rung -d r.db export -f jsonl replay >r.jsonl &&
	rung -d r.db export -f jsonl gone >>r.jsonl &&
	cmp "$d/replay.jsonl" r.jsonl
'

if [ -n "$have_optuna" ]; then
	test_expect_success 'the committed storages agree with Optuna' '
		/usr/bin/python3 "$dump" "$d/pruned.db" >cd.json &&
		/usr/bin/python3 "$dump" --check cd.json pruned "$d/expected.jsonl" &&
		/usr/bin/python3 "$dump" --check cd.json multi "$d/expected-multi.jsonl" &&
		/usr/bin/python3 "$dump" "$d/pruned.journal" >cj.json &&
		/usr/bin/python3 "$dump" --check cj.json pruned "$d/expected.jsonl" &&
		/usr/bin/python3 "$dump" "$d/replay.journal" >cr.json &&
		rung -d r.db export -f jsonl replay >rr.jsonl &&
		/usr/bin/python3 "$dump" --check cr.json replay rr.jsonl &&
		rung -d r.db export -f jsonl gone >rg.jsonl &&
		/usr/bin/python3 "$dump" --check cr.json gone rg.jsonl
	'

	test_expect_success 'older schemas agree with Optuna after its migrations' '
		for v in v1.2 v1.3 v2.6 v3.0b; do
			sqlite3 up-$v.db <"$d/$v.sql" &&
			/usr/bin/python3 "$dump" --upgrade up-$v.db >up-$v.json &&
			for s in $(names_of $v); do
				rung -d old-$v.db export -f jsonl $s >up-$s.jsonl &&
				/usr/bin/python3 "$dump" --check up-$v.json $s up-$s.jsonl ||
				return 1
			done
		done
	'

	test_expect_success 'a fresh campaign by Optuna (SQLite and journal)' '
		mkdir fresh &&
		/usr/bin/python3 "$make" fresh &&
		rung -d fresh-db.db import fresh/pruned.db &&
		rung -d fresh-j.db import fresh/pruned.journal &&
		/usr/bin/python3 "$dump" fresh/pruned.db >fd.json &&
		/usr/bin/python3 "$dump" fresh/pruned.journal >fj.json &&
		for s in pruned multi; do
			rung -d fresh-db.db export -f jsonl $s >fd-$s.jsonl &&
			/usr/bin/python3 "$dump" --check fd.json $s fd-$s.jsonl &&
			rung -d fresh-j.db export -f jsonl $s >fj-$s.jsonl &&
			/usr/bin/python3 "$dump" --check fj.json $s fj-$s.jsonl ||
			return 1
		done
	'
else
	test_skip 'the committed storages agree with Optuna' 'no optuna'
	test_skip 'older schemas agree with Optuna after its migrations' 'no optuna'
	test_skip 'a fresh campaign by Optuna (SQLite and journal)' 'no optuna'
fi

# Malformed inputs: exit 1, the file named, rung's database unchanged.
test_expect_success 'a truncated storage' '
	before=$(db_digest) &&
	head -c 40000 "$d/pruned.db" >trunc.db &&
	expect_fail 1 rung import trunc.db &&
	grep_err "trunc.db: database disk image is malformed" &&
	head -c 100 "$d/pruned.db" >tiny.db &&
	expect_fail 1 rung import tiny.db &&
	grep_err "tiny.db: " &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'an SQLite file that is not an Optuna storage' '
	before=$(db_digest) &&
	sqlite3 other.db "CREATE TABLE t (a); INSERT INTO t VALUES (1);" &&
	expect_fail 1 rung import other.db &&
	grep_err "other.db: an SQLite database, but not an Optuna storage" &&
	sqlite3 rev.db <"$d/v2.6.sql" &&
	sqlite3 rev.db "UPDATE alembic_version SET version_num = '"'"'v9.9.9.z'"'"'" &&
	expect_fail 1 rung import rev.db &&
	grep_err "rev.db: an Optuna storage of schema revision .v9.9.9.z., which rung does not know" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a journal with a broken line' '
	before=$(db_digest) &&
	sed "3s/.*/{\"op_code\": 5, broken/" "$d/pruned.journal" >broken.journal &&
	expect_fail 1 rung import broken.journal &&
	grep_err "broken.journal:3: not a JSON object" &&
	printf "%s\n" "{\"op_code\": 0, \"worker_id\": \"w\", \"study_name\": \"s\", \"directions\": [1]}" \
		"{\"op_code\": 4, \"worker_id\": \"w\"}" "{\"op_code\": 4}" >field.journal &&
	expect_fail 1 rung import field.journal &&
	grep_err "field.journal:2: no \"study_id\"" &&
	printf "%s\n" "{\"op_code\": 0, \"worker_id\": \"w\", \"study_name\": \"s\", \"directions\": [1]}" \
		"{\"op_code\": 42, \"worker_id\": \"w\"}" >op.journal &&
	expect_fail 1 rung import op.journal &&
	grep_err "op.journal:2: unknown op_code 42" &&
	test "$(db_digest)" = "$before"
'

# Found by a fuzzing pass: a study whose trials reported nothing exported as
# JSON Lines with empty arrays, which import refused ("no metric found").
test_expect_success 'a study without a single point: exported, read back the same' '
	cp "$d/pruned.db" bare.db && chmod u+w bare.db &&
	sqlite3 bare.db "DELETE FROM trial_intermediate_values; DELETE FROM trial_values" &&
	rung import -s bare --study pruned bare.db &&
	test "$(study_line "$RUNG_DB" bare)" = "26 value min" &&
	rung export -f jsonl -o bare.1.jsonl bare &&
	rung import -s bare.j bare.1.jsonl &&
	test "$(study_line "$RUNG_DB" bare.j)" = "26 value min" &&
	rung export -f jsonl -o bare.2.jsonl bare.j &&
	cmp bare.1.jsonl bare.2.jsonl &&
	rung trials --json bare >a.json && rung trials --json bare.j >b.json &&
	cmp a.json b.json
'

test_expect_success '-s with a storage of several studies asks for --study' '
	before=$(db_digest) &&
	expect_fail 1 rung import -s one "$RUNG_TESTDATA/optuna/pruned.db" &&
	grep_err "holds 2 studies" && grep_err "choose which with --study" &&
	test "$(db_digest)" = "$before"
'

test_done
