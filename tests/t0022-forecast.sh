#!/bin/sh
# rung trials --running: the forecast of each running trial (its value at
# the study's last step, a band, P(beats the best final), the lce
# policy's verdict), on curves of a known shape and on real ones cut
# half-way (MetaQNN, accuracy: a maximised metric).
. "$RUNG_SRCDIR/tests/lib.sh"

# Eight finished trials and three running ones, loss = c + x^-0.8.
/usr/bin/python3 - <<'PY'
import csv
w = csv.writer(open("live.csv", "w"))
w.writerow(["trial", "step", "loss", "status"])
for i in range(8):
    for x in range(1, 21):
        w.writerow([f"done{i}", x, 0.2 + 0.05 * i + x ** -0.8, "complete"])
for name, c, n in (("good", 0.1, 8), ("bad", 0.9, 8), ("young", 0.3, 2)):
    for x in range(1, n + 1):
        w.writerow([name, x, c + x ** -0.8, "running"])
PY

test_expect_success 'running trials, each with its forecast' '
	rung import -s live live.csv &&
	rung trials --running live >t.txt &&
	head -n 1 t.txt | grep "FORECAST *LOW *HIGH *P_BEST *VERDICT" &&
	test "$(grep -c running t.txt)" -eq 3 &&
	! grep done t.txt
'

test_expect_success 'a trial heading below the best goes on, one that cannot stops' '
	rung trials --running --json live >t.json &&
	/usr/bin/python3 - t.json <<-\PY
	import json, sys
	f = {t["id"]: t["forecast"] for t in json.load(open(sys.argv[1]))}
	good, bad, young = f["good"], f["bad"], f["young"]
	assert good["verdict"] == "go on" and good["p_best"] > 0.5, good
	assert bad["verdict"] == "stop" and bad["p_best"] < 0.05, bad
	# Both still improve: the forecast is below the last value, and the
	# band holds where each curve really goes.
	for t, c in ((good, 0.1), (bad, 0.9)):
	    final = c + 20 ** -0.8
	    assert t["low"] <= final <= t["high"], (t, final)
	    assert final < t["value"] < c + 8 ** -0.8, (t, final)
	# Two points: nothing to extrapolate.
	assert young["value"] is None and young["verdict"] is None, young
	PY
'

test_expect_success '--target: the step forecast' '
	rung trials --running --target 40 --json live >t40.json &&
	/usr/bin/python3 -c "
import json
a = {t[\"id\"]: t[\"forecast\"] for t in json.load(open(\"t.json\"))}
b = {t[\"id\"]: t[\"forecast\"] for t in json.load(open(\"t40.json\"))}
assert b[\"good\"][\"value\"] < a[\"good\"][\"value\"], (a, b)
# No trial reached step 40: no incumbent, no verdict.
assert b[\"good\"][\"verdict\"] is None and b[\"good\"][\"p_best\"] is None, b
"
'

test_expect_success '--running and --status, --target alone, are refused' '
	expect_fail 2 rung trials --running --status complete live &&
	grep_err "no --status with it" &&
	expect_fail 2 rung trials --target 10 live &&
	grep_err "give it with --running" &&
	expect_fail 2 rung trials --running --target 1 live &&
	grep_err "target"
'

# MetaQNN's curves (accuracy, higher is better) cut at epoch 10 of 20.
test_expect_success 'real curves cut half-way rank as their finals do' '
	/usr/bin/python3 - "$RUNG_TESTDATA/predict/metaqnn_200.csv" <<-\PY &&
	import csv, sys
	rows = list(csv.DictReader(open(sys.argv[1])))
	w = csv.writer(open("mq.csv", "w"))
	w.writerow(["trial", "step", "acc", "status"])
	f = csv.writer(open("finals.csv", "w"))
	for i, r in enumerate(rows):
	    for x in range(1, 11):
	        w.writerow([i, x, r["acc_%d" % x], "running"])
	    f.writerow([i, r["acc_20"]])
	PY
	rung import -s mq --direction max mq.csv &&
	rung trials --running --target 20 --json mq >mq.json &&
	/usr/bin/python3 - <<-\PY
	import csv, json
	final = {r[0]: float(r[1]) for r in csv.reader(open("finals.csv"))}
	got = json.load(open("mq.json"))
	p = [(t["forecast"]["value"], final[t["id"]]) for t in got
	     if t["forecast"]["value"] is not None]
	c = d = 0
	for i in range(len(p)):
	    for j in range(i + 1, len(p)):
	        s = (p[i][0] - p[j][0]) * (p[i][1] - p[j][1])
	        c += s > 0
	        d += s < 0
	tau = (c - d) / (c + d)
	inside = sum(t["forecast"]["low"] <= final[t["id"]] <= t["forecast"]["high"]
	             for t in got if t["forecast"]["value"] is not None) / len(p)
	print("tau", tau, "in band", inside, "of", len(p))
	assert len(p) == 200 and tau > 0.7 and inside > 0.8, (tau, inside)
	# Accuracy rises: forecasts lie above the last value seen.
	assert sum(t["forecast"]["value"] > t["final"] for t in got) > 150
	PY
'

test_done
