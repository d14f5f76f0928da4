#!/bin/sh
# Lists in CSV cells (LCDB): a row per trial, each list a curve over the
# steps of another list, nested lists named by a labels column, checked
# value by value against Python's ast.literal_eval; parameters joined from
# a second file; errors.
. "$RUNG_SRCDIR/tests/lib.sh"

check=$RUNG_SRCDIR/tests/check-arrays.py
lcdb=$RUNG_TESTDATA/lcdb/results-head.csv

test_expect_success 'LCDB rows import exactly, detected from content' '
	rung import -s lcdb "$lcdb" 2>err &&
	rung export -f jsonl lcdb >lcdb.jsonl &&
	/usr/bin/python3 "$check" "$lcdb" lcdb.jsonl m:fidelity_values >out &&
	grep "^8 trials, 1024 values checked" out
'

test_expect_success 'steps are the anchors, curves named by split and score' '
	rung show --json lcdb 0 >show.json &&
	test "$(json "j[\"curves\"][\"score/valid/accuracy\"][\"steps\"][:3]" show.json)" = "16 23 32" &&
	test "$(json "\",\".join(sorted(j[\"curves\"]))" show.json)" = "score/test/accuracy,score/test/loss,score/train/accuracy,score/train/loss,score/valid/accuracy,score/valid/loss,time/fit,time/predict" &&
	test "$(json "j[\"params\"][\"C\"]" show.json)" = 4.07743842500966e-06 &&
	test "$(json "j[\"params\"][\"m:workflow\"]" show.json)" = lcdb.workflow.sklearn.LibLinearWorkflow
'

# JSON lists, a nested list without labels, no steps column (0, 1, ...),
# an empty cell and a None.
cat >json.csv <<'CSV'
id,lr,loss,acc
a,0.1,"[0.9, 0.5, 0.4]","[[0.1, 0.2], [0.3, null], [0.5, 0.6]]"
b,0.01,"[1.2, None]",
c,0.5,,"[[0.7, 0.8]]"
CSV

test_expect_success 'JSON lists, steps from 0, nested lists by index' '
	rung import -s js json.csv &&
	rung export -f jsonl js >js.jsonl &&
	/usr/bin/python3 - js.jsonl <<-\PY
	import json, sys
	r = {x["id"]: x for x in map(json.loads, open(sys.argv[1]))}
	assert r["a"]["steps"] == [0, 1, 2], r["a"]
	assert r["a"]["loss"] == [0.9, 0.5, 0.4]
	assert r["a"]["acc/0"] == [0.1, 0.3, 0.5] and r["a"]["acc/1"] == [0.2, None, 0.6], r["a"]
	assert r["b"]["steps"] == [0] and r["b"]["loss"] == [1.2], r["b"]
	assert r["c"]["steps"] == [0] and r["c"]["acc/1"] == [0.8], r["c"]
	assert r["a"]["params"]["lr"] == 0.1
	PY
'

test_expect_success '--steps-col names the steps; --first-step shifts them without' '
	sed "1s/loss/epochs_list/" json.csv >named.csv &&
	expect_fail 1 rung import -s named --steps-col lr named.csv &&
	grep_err "named.csv:2: column .lr. (named by --steps-col): expected a list of steps" &&
	rung import -s shifted --first-step 1 json.csv &&
	rung show --json shifted a >a.json &&
	test "$(json "j[\"curves\"][\"loss\"][\"steps\"]" a.json)" = "1 2 3"
'

test_expect_success 'a list as long as the steps is a curve, another one a parameter' '
	printf "%s\n" "id,steps,loss,layers" "x,\"[1, 2, 4]\",\"[3.0, 2.0, 1.5]\",\"(64, 32)\"" >len.csv &&
	rung import -s len len.csv &&
	rung show --json len x >x.json &&
	test "$(json "j[\"curves\"][\"loss\"][\"steps\"]" x.json)" = "1 2 4" &&
	test "$(json "j[\"params\"][\"layers\"]" x.json)" = "(64, 32)"
'

test_expect_success 'a list of the wrong length names file, line and columns' '
	printf "%s\n" "id,steps,loss" "x,\"[1, 2, 4]\",\"[3.0, 2.0, 1.5]\"" "y,\"[1, 2]\",\"[3.0, 2.0, 1.0]\"" >bad.csv &&
	before=$(db_digest) &&
	expect_fail 1 rung import -s bad bad.csv &&
	grep_err "bad.csv:3: column .loss.: 3 values for the 2 steps of column .steps." &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'steps that are not whole and increasing' '
	printf "%s\n" "id,steps,loss" "x,\"[1, 2, 4]\",\"[3.0, 2.0, 1.5]\"" "y,\"[1, 2.5, 3]\",\"[3.0, 2.0, 1.0]\"" >steps.csv &&
	expect_fail 1 rung import -s steps steps.csv &&
	grep_err "steps.csv:3: column .steps.: element 2: expected a step"
'

test_expect_success 'a cell that is no list names the byte' '
	printf "%s\n" "id,loss" "x,\"[3.0, 2.0]\"" "y,\"[3.0, 2.0\"" >lit.csv &&
	expect_fail 1 rung import -s lit lit.csv &&
	grep_err "lit.csv:3: column .loss.: not a list as Python or JSON writes it: at byte 10, expected .,. or .\]."
'

test_expect_success 'text where a number belongs' '
	printf "%s\n" "id,loss" "x,\"[3.0, 2.0]\"" "y,\"[3.0, '"'"'two'"'"']\"" >txt.csv &&
	expect_fail 1 rung import -s txt txt.csv &&
	grep_err "txt.csv:3: column .loss.: at step 1: expected a number or a list, got a string"
'

test_expect_success '--params-file FILE --join COL: parameters from a second file' '
	printf "%s\n" "job_id,p:C,p:penalty" "1,0.5,l1" "2,0.25,l2" "9,1,l2" >configs.csv &&
	printf "%s\n" "job_id,steps,loss" "1,\"[1, 2]\",\"[0.5, 0.4]\"" "2,\"[1, 2]\",\"[0.6, 0.3]\"" "3,\"[1]\",\"[0.9]\"" >runs.csv &&
	rung import -s joined --params-file configs.csv --join job_id runs.csv 2>err &&
	grep "1 trial has no row in configs.csv" err &&
	rung export -f jsonl joined >j.jsonl &&
	/usr/bin/python3 - j.jsonl <<-\PY
	import json, sys
	r = {x["id"]: x for x in map(json.loads, open(sys.argv[1]))}
	assert r["0"]["params"]["C"] == 0.5 and r["0"]["params"]["penalty"] == "l1", r["0"]
	assert r["1"]["params"]["C"] == 0.25 and r["1"]["params"]["penalty"] == "l2", r["1"]
	assert r["2"]["params"]["C"] is None, r["2"]
	PY
'

test_expect_success '--join needs --params-file, and a column both files have' '
	expect_fail 1 rung import -s j2 --join job_id runs.csv &&
	grep_err "runs.csv: --join names the column of a join with --params-file FILE" &&
	expect_fail 1 rung import -s j3 --params-file configs.csv --join nope runs.csv &&
	grep_err "runs.csv:1: no column .nope. (named by --join)" &&
	printf "%s\n" "job_id,p:C" "1,0.5" "1,0.7" >dup.csv &&
	expect_fail 1 rung import -s j4 --params-file dup.csv --join job_id runs.csv &&
	grep_err "dup.csv:3: column .job_id.: .1. again (first on line 2)"
'

if [ -d "$SHARED_DATA/lcdb-pilot" ]; then
	test_expect_success 'the LCDB pilot of ../shared/data imports exactly' '
		rung import -s pilot "$SHARED_DATA/lcdb-pilot/results.csv" &&
		rung export -f jsonl pilot >pilot.jsonl &&
		/usr/bin/python3 "$check" "$SHARED_DATA/lcdb-pilot/results.csv" pilot.jsonl m:fidelity_values >out &&
		grep "^100 trials, 12800 values checked" out
	'
else
	test_skip 'the LCDB pilot of ../shared/data imports exactly' "no $SHARED_DATA"
fi

test_done
