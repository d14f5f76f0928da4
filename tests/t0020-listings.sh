#!/bin/sh
# studies, trials and show: tables and --json.
. "$RUNG_SRCDIR/tests/lib.sh"

src=$RUNG_TESTDATA/csv/metaqnn_cifar10_head.csv

test_expect_success 'import the MetaQNN subset' '
	rung import -s mq --direction max "$src"
'

test_expect_success 'studies --json has the documented fields' '
	rung studies --json >s.json &&
	test "$(json "j[0][\"name\"], j[0][\"trials\"], j[0][\"metric\"], j[0][\"direction\"], j[0][\"max_step\"]" s.json)" = "mq 30 acc max 20"
'

test_expect_success 'studies prints a table' '
	rung studies >out &&
	grep -q "^STUDY" out && grep -q "^mq  *30 " out
'

test_expect_success 'trials --json: id, status, steps, final, best, params' '
	rung trials --json mq >t.json &&
	test "$(json "len(j)" t.json)" = 30 &&
	test "$(json "all(k in j[0] for k in (\"id\", \"status\", \"steps\", \"points\", \"final\", \"best\", \"params\"))" t.json)" = True &&
	test "$(json "j[0][\"steps\"], j[0][\"status\"]" t.json)" = "20 complete"
'

test_expect_success 'final and best agree with the source row' '
	/usr/bin/python3 - "$src" t.json <<-\PY
	import csv, json, sys
	rows = list(csv.DictReader(open(sys.argv[1])))
	trials = {t["id"]: t for t in json.load(open(sys.argv[2]))}
	for i, r in enumerate(rows):
	    curve = [float(r["acc_%d" % k]) for k in range(1, 21)]
	    t = trials[str(i)]
	    assert t["final"] == curve[-1], (i, t["final"], curve[-1])
	    assert t["best"] == max(curve), (i, t["best"], max(curve))
	    assert t["params"]["lr"] == float(r["lr"]), i
	    assert t["params"]["num_params"] == int(r["num_params"]), i
	    assert t["params"]["net"] == r["net"], i
	PY
'

test_expect_success 'trials --sort best puts the best first, --top cuts' '
	rung trials --sort best --top 5 --json mq >top.json &&
	/usr/bin/python3 - t.json top.json <<-\PY
	import json, sys
	allt = json.load(open(sys.argv[1])); top = json.load(open(sys.argv[2]))
	assert len(top) == 5
	want = sorted(allt, key=lambda t: -t["best"])[:5]
	assert [t["best"] for t in top] == [t["best"] for t in want], top
	PY
'

test_expect_success 'trials --sort PARAM --reverse' '
	rung trials --sort lr --reverse --json mq >lr.json &&
	/usr/bin/python3 -c "
import json; t = json.load(open(\"lr.json\"))
v = [x[\"params\"][\"lr\"] for x in t]
assert v == sorted(v, reverse=True), v"
'

test_expect_success 'trials --sort with an unknown key exits 2' '
	expect_fail 2 rung trials --sort nope mq &&
	grep_err "cannot sort by .nope." &&
	! grep -q "did you mean" err &&
	expect_fail 2 rung trials --sort fnial mq &&
	grep_err "did you mean .final.?"
'

test_expect_success 'trials --status filters' '
	rung trials --status complete --json mq >c.json &&
	test "$(json "len(j)" c.json)" = 30 &&
	rung trials --status stopped --json mq >s.json &&
	test "$(json "len(j)" s.json)" = 0
'

test_expect_success 'trials prints a table with the parameters' '
	rung trials --top 3 mq >out &&
	head -n 1 out | grep -q "^ID *STATUS *STEPS *FINAL *BEST *PARAMS" &&
	test $(wc -l <out) -eq 4 &&
	grep -q "lr=" out
'

test_expect_success 'show prints parameters and every step' '
	rung show mq 3 >out &&
	grep -q "^trial 3 of study mq: complete" out &&
	grep -q "net = \[C(" out &&
	test $(grep -c "^ *[0-9][0-9]*  " out) -eq 20
'

test_expect_success 'show --json has the exact curve' '
	rung show --json mq 3 >one.json &&
	/usr/bin/python3 - "$src" one.json <<-\PY
	import csv, json, sys
	r = list(csv.DictReader(open(sys.argv[1])))[3]
	j = json.load(open(sys.argv[2]))
	c = j["curves"]["acc"]
	assert c["steps"] == list(range(1, 21)), c["steps"]
	assert c["values"] == [float(r["acc_%d" % k]) for k in range(1, 21)]
	assert j["metric"] == "acc"
	PY
'

test_expect_success 'show of a missing trial exits 1' '
	expect_fail 1 rung show mq 999 &&
	grep_err "no trial .999. in study .mq."
'

test_expect_success 'a missing study exits 1' '
	expect_fail 1 rung trials nope &&
	grep_err "no study .nope."
'

# 20,000 trials and more: the parameters are read on a second connection
# while the curves are read on the first (store-read.c, PARAMS_APART).
test_expect_success 'a study of 25,000 trials lists every trial with the parameters and final value of its file' '
	"$RUNG_BUILDDIR/tests/genlong" 25000 3 7 >many.csv &&
	rung -q -d many.db import -s many many.csv &&
	rung -d many.db trials --json many >many.json &&
	/usr/bin/python3 - <<-\PY
	import csv, json
	rows = {}
	for r in csv.DictReader(open("many.csv")):
	    rows[r["trial"]] = r
	j = json.load(open("many.json"))
	assert len(j) == 25000 == len(rows), len(j)
	for t in j:
	    r = rows[t["id"]]
	    assert abs(t["params"]["lr"] - float(r["lr"])) <= 1e-12 * float(r["lr"]), t
	    assert t["params"]["layers"] == int(r["layers"]), t
	    assert abs(t["final"] - float(r["val_loss"])) < 1e-9, t
	    assert t["steps"] == 3, t
	PY
'

test_expect_success 'a listing into a closed pipe ends quietly' '
	rung trials mq | head -n 1 >out &&
	test $(wc -l <out) -eq 1
'

test_done
