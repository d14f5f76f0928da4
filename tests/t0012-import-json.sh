#!/bin/sh
# JSON and JSON Lines through the command line.
. "$RUNG_SRCDIR/tests/lib.sh"

d=$RUNG_TESTDATA/json
check=$RUNG_SRCDIR/tests/check-export.py

test_expect_success 'a TaskSet list (bare NaN, hp object) imports exactly' '
	rung import -s ts "$d/taskset-irnn64-head.json" &&
	rung export -f jsonl ts >ts.jsonl &&
	/usr/bin/python3 "$check" json "$d/taskset-irnn64-head.json" ts.jsonl valid.loss hp
'

test_expect_success 'valid.loss is chosen among train, valid and test loss' '
	rung studies --json >s.json &&
	test "$(json "j[0][\"metric\"], j[0][\"direction\"], j[0][\"max_step\"]" s.json)" = "valid.loss min 51"
'

test_expect_success 'NMTLC: variable-length curves, hyperparams object' '
	rung import -s nmt "$d/nmtlc-subset.json" &&
	rung export -f jsonl nmt >nmt.jsonl &&
	/usr/bin/python3 "$check" json "$d/nmtlc-subset.json" nmt.jsonl perplexity_curve hyperparams &&
	rung trials --json nmt >n.json &&
	test "$(json "len(set(t[\"points\"] for t in j)) > 5" n.json)" = True
'

test_expect_success 'a directory of one-run files (NAS-Bench-NLP) with wall_times' '
	rung import -s nb "$d/nasbench-nlp" 2>err &&
	rung trials --json nb >nb.json &&
	test "$(json "len(j)" nb.json)" = 5 &&
	rung show --json nb "$(json "j[0][\"id\"]" nb.json)" >one.json &&
	test "$(json "len(j[\"seconds\"][\"values\"]) == len(j[\"curves\"][\"val_losses\"][\"values\"])" one.json)" = True
'

test_expect_success 'JSON Lines: steps array, null points, nested params, statuses' '
	rung import -s mine -m metrics.loss "$d/mytrials.jsonl" &&
	rung show --json mine a >a.json &&
	test "$(json "j[\"curves\"][\"metrics.loss\"][\"steps\"]" a.json)" = "0 4 6" &&
	test "$(json "j[\"params\"][\"opt/name\"], j[\"status\"]" a.json)" = "adam complete" &&
	rung trials --json mine >m.json &&
	test "$(json "[t[\"status\"] for t in j][:2]" m.json)" = "complete stopped"
'

test_expect_success 'the same JSON Lines gzip-compressed is the same data' '
	rung import -s minegz -m metrics.loss "$d/mytrials.jsonl.gz" &&
	rung export -f jsonl mine >a.jsonl &&
	rung export -f jsonl minegz >b.jsonl &&
	cmp a.jsonl b.jsonl
'

test_expect_success '--curve and --time map a layout detection would not guess' '
	rung import -s one --curve learning_curve --time time_steps \
		--time-kind cumulative "$d/single-run.json" &&
	rung show --json one single-run >o.json &&
	test "$(json "j[\"curves\"][\"learning_curve\"][\"values\"]" o.json)" = "0.5 0.625 0.75" &&
	test "$(json "j[\"seconds\"][\"values\"]" o.json)" = "10 10.5 9.5" &&
	test "$(json "j[\"params\"][\"schedule/kind\"]" o.json)" = cosine
'

test_expect_success 'several list files without ids stay apart' '
	cp "$d/taskset-irnn64-head.json" one.json &&
	/usr/bin/python3 -c "
import json, sys
j = json.load(open(sys.argv[1])); j[0][\"valid\"][\"loss\"][0] = 0.5
json.dump(j, open(\"two.json\", \"w\"))" "$d/taskset-irnn64-head.json" &&
	rung import -s two one.json two.json &&
	rung trials --json two >two.json.out &&
	test "$(json "len(j), j[0][\"id\"], j[20][\"id\"]" two.json.out)" = "40 one:0 two:0"
'

# Found by a fuzzing pass: the export of a study without a single point
# could not be imported back. Arrays as long as the steps array are curves,
# even empty; a CSV export of it would be a header alone, and is refused.
test_expect_success 'a study without a point: JSON Lines read back, CSV refused' '
	printf "%s\n" "{\"id\": \"a\", \"params\": {\"lr\": 0.5}, \"steps\": [], \"loss\": [], \"acc\": []}" \
		"{\"id\": \"b\", \"params\": {\"lr\": 0.25}, \"steps\": [], \"loss\": [], \"acc\": []}" >bare.jsonl &&
	rung import -s bare -m loss bare.jsonl &&
	rung export -f jsonl bare >bare.1.jsonl &&
	grep -q "\"steps\":\[\],\"loss\":\[\],\"acc\":\[\]" bare.1.jsonl &&
	rung import -s bare2 -m loss bare.1.jsonl &&
	rung export -f jsonl bare2 | cmp - bare.1.jsonl &&
	rung studies --json >s.json &&
	test "$(json "[(s[\"trials\"], s[\"points\"]) for s in j if s[\"name\"] == \"bare2\"]" s.json)" = "(2, 0)" &&
	expect_fail 1 rung export -f long-csv bare &&
	grep_err "study .bare. has no point: a long CSV of it would have no row" &&
	expect_fail 1 rung export -f wide-csv -o w.csv bare &&
	grep_err "study .bare. has no point: a wide CSV of it would have no curve column" &&
	test ! -e w.csv
'

test_expect_success 'a metric without a point in any trial is read back' '
	printf "%s\n" "{\"id\": \"a\", \"steps\": [1, 2], \"loss\": [0.5, 0.25], \"acc\": [null, null]}" \
		"{\"id\": \"b\", \"steps\": [1], \"loss\": [0.75], \"acc\": [null]}" >noacc.jsonl &&
	rung import -s noacc -m loss noacc.jsonl &&
	rung export -f jsonl noacc >noacc.1.jsonl &&
	grep -q "\"acc\":\[null,null\]" noacc.1.jsonl &&
	rung import -s noacc2 -m loss noacc.1.jsonl &&
	rung export -f jsonl noacc2 | cmp - noacc.1.jsonl
'

test_done
