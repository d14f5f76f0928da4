#!/bin/sh
# HpBandSter's results directory (configs.json, results.json): a trial per
# config_id, a step per budget, checked value by value against an
# independent reading; statuses, errors and a second run beside the first.
. "$RUNG_SRCDIR/tests/lib.sh"

d=$RUNG_TESTDATA/hpbandster/bohb-mnist
check=$RUNG_SRCDIR/tests/check-hpbandster.py

test_expect_success 'a BOHB run imports exactly, detected from content' '
	rung import -s bohb "$d" 2>err &&
	rung studies --json >s.json &&
	test "$(json "\" \".join(str(x) for s in j if s[\"name\"] == \"bohb\" for x in (s[\"trials\"], s[\"max_step\"], s[\"metric\"], s[\"direction\"]))" s.json)" = "12 9 loss min" &&
	rung export -f jsonl bohb >bohb.jsonl &&
	/usr/bin/python3 "$check" "$d" bohb.jsonl &&
	grep "hpbandster:" s.json
'

test_expect_success 'the budgets at which successive halving stopped a config' '
	rung trials --json bohb >t.json &&
	test "$(json "\" \".join(\"%s:%s\" % (t[\"id\"], t[\"status\"]) for t in j if t[\"id\"] in (\"0-0-0\", \"0-0-1\", \"0-0-2\"))" t.json)" = "0-0-0:stopped 0-0-1:complete 0-0-2:stopped"
'

test_expect_success 'a number of result.info that never changes is a parameter' '
	rung show --json bohb 0-0-1 >show.json &&
	test "$(json "j[\"params\"][\"number of parameters\"]" show.json)" = 250170 &&
	test "$(json "\",\".join(sorted(j[\"curves\"]))" show.json)" = "loss,test accuracy,train accuracy,validation accuracy"
'

test_expect_success 'importing it again adds nothing' '
	rung import -s bohb "$d" 2>err &&
	grep "imported into .bohb. before" err
'

# A run whose worker raised, and a config sampled but never evaluated, as
# HpBandSter's json_result_logger writes them (result null, the traceback
# in exception).
mkdir -p failed
cat >failed/configs.json <<'JSON'
[[0, 0, 0], {"lr": 0.1, "opt": "SGD"}, {"model_based_pick": false}]
[[0, 0, 1], {"lr": 0.01, "opt": "Adam"}, {"model_based_pick": false}]
[[0, 0, 2], {"lr": 0.5, "opt": "Adam"}, {"model_based_pick": true}]
JSON
cat >failed/results.json <<'JSON'
[[0, 0, 0], 1.0, {"submitted": 10.0, "started": 10.5, "finished": 12.0}, {"loss": 0.5, "info": {}}, null]
[[0, 0, 1], 1.0, {"submitted": 12.0, "started": 12.0, "finished": 14.0}, {"loss": 0.4, "info": {}}, null]
[[0, 0, 0], 3.0, {"submitted": 14.0, "started": 14.0, "finished": 15.0}, null, "Traceback (most recent call last):\n  ...\nRuntimeError: CUDA out of memory\n"]
[[0, 0, 1], 3.0, {"submitted": 15.0, "started": 15.0, "finished": 21.0}, {"loss": 0.3, "info": {}}, null]
JSON

test_expect_success 'an exception fails the config, one never run is running' '
	rung import -f hpbandster -s failed failed &&
	rung export -f jsonl failed >failed.jsonl &&
	/usr/bin/python3 "$check" failed failed.jsonl &&
	rung trials --json failed >t.json &&
	test "$(json "\" \".join(t[\"status\"] for t in sorted(j, key=lambda t: t[\"id\"]))" t.json)" = "failed complete running"
'

test_expect_success 'two runs imported together keep their configs apart' '
	mkdir two && cp -r "$d" two/a && cp -r failed two/b &&
	rung import -s two two/a two/b &&
	rung export -f jsonl two >two.jsonl &&
	grep -c . two.jsonl >n && test "$(cat n)" -eq 15 &&
	grep "\"id\":\"a:0-0-1\"" two.jsonl && grep "\"id\":\"b:0-0-1\"" two.jsonl
'

test_expect_success 'a fractional budget is refused with its file and line' '
	mkdir frac && cp failed/configs.json frac/ &&
	sed "2s/1\\.0,/0.333,/" failed/results.json >frac/results.json &&
	before=$(db_digest) &&
	expect_fail 1 rung import -s frac -f hpbandster frac &&
	grep_err "frac/results.json:2: budget 0.333: rung.s steps are whole numbers" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a config_id that is not an array of integers' '
	mkdir badid && cp failed/results.json badid/ &&
	sed "3s/\\[0, 0, 2\\]/[0, \"x\", 2]/" failed/configs.json >badid/configs.json &&
	expect_fail 1 rung import -s badid -f hpbandster badid &&
	grep_err "badid/configs.json:3: config_id: element 2 is a string, expected an integer"
'

test_expect_success 'without results.json a folder is no HpBandSter run' '
	mkdir half && cp failed/configs.json half/ &&
	expect_fail 1 rung import -s half -f hpbandster half &&
	grep_err "half/results.json"
'

if [ -d "$SHARED_DATA/hpbandster-bohb-mnist" ]; then
	test_expect_success 'the whole BOHB run of ../shared/data imports exactly' '
		rung import -s mnist "$SHARED_DATA/hpbandster-bohb-mnist" &&
		rung export -f jsonl mnist >mnist.jsonl &&
		/usr/bin/python3 "$check" "$SHARED_DATA/hpbandster-bohb-mnist" mnist.jsonl >out &&
		grep "^84 trials, 452 values checked" out
	'
else
	test_skip 'the whole BOHB run of ../shared/data imports exactly' "no $SHARED_DATA"
fi

test_done
