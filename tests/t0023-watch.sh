#!/bin/sh
# rung watch: a study in one line, again when another process changes the
# database; piped, a line per change and nothing while nothing changes.
. "$RUNG_SRCDIR/tests/lib.sh"

# Trials of loss = c + x^-0.8: two done, two running.
/usr/bin/python3 - <<'PY'
import csv
w = csv.writer(open("a.csv", "w"))
w.writerow(["trial", "step", "loss", "status"])
for name, c, n, st in (("d0", 0.3, 20, "complete"), ("d1", 0.4, 20, "complete"),
                       ("r0", 0.1, 8, "running"), ("r1", 0.6, 8, "running")):
    for x in range(1, n + 1):
        w.writerow([name, x, c + x ** -0.8, st])
w = csv.writer(open("b.csv", "w"))
w.writerow(["trial", "step", "loss", "status"])
for x in range(1, 21):
    w.writerow(["r0", x, 0.1 + x ** -0.8, "complete"])
w = csv.writer(open("c.csv", "w"))
w.writerow(["trial", "step", "loss", "status"])
for x in range(1, 5):
    w.writerow(["n0", x, 0.5 + x ** -0.8, "running"])
PY

test_expect_success 'once: the counts, the best so far and the forecast leader' '
	rung import -s s a.csv &&
	rung watch --once s >w.txt &&
	cat w.txt &&
	grep "^s: 4 trials (2 complete, 0 stopped, 0 failed, 2 running), 56 points; best 0.289[0-9]* (r0); forecast leader r0, 0.2[0-9]* at step 20 (P best [01].[0-9][0-9])$" w.txt &&
	rung watch --once --json s >w.json &&
	test "$(json "j[\"trials\"][\"running\"], j[\"forecast_leader\"], j[\"target\"]" w.json)" = "2 r0 20"
'

test_expect_success 'piped: a line for each change another process makes, none between' '
	RUNG_DB=$RUNG_DB "$RUNG" watch --interval 0.1 s >live.txt 2>live.err &
	w=$!
	sleep 1 &&
	test "$(wc -l <live.txt)" -eq 1 &&
	rung import -s s --replace b.csv 2>/dev/null &&
	sleep 1 &&
	rung import -s s c.csv 2>/dev/null &&
	sleep 1 &&
	kill -TERM $w && wait $w &&
	cat live.txt &&
	test "$(wc -l <live.txt)" -eq 3 &&
	sed -n 2p live.txt | grep "(3 complete, 0 stopped, 0 failed, 1 running)" &&
	sed -n 3p live.txt | grep "^s: 5 trials"
'

test_expect_success 'a forecast is made again only for a trial with new points' '
	rung import -s g a.csv 2>/dev/null &&
	printf "trial,step,loss,status\nr2,1,0.9,running\nr2,2,0.8,running\nr2,3,0.75,running\nr2,4,0.72,running\n" >r2.csv
	RUNG_DB=$RUNG_DB "$RUNG" watch --json --interval 0.1 g >g.json 2>g.err &
	w=$!
	sleep 1 &&
	rung import -s g r2.csv 2>/dev/null &&
	sleep 1 &&
	printf "trial,step,loss,status\nr2,1,0.9,running\nr2,2,0.8,running\nr2,3,0.75,running\nr2,4,0.72,running\nr2,5,0.70,running\n" >r2b.csv &&
	rung import -s g --replace r2b.csv 2>/dev/null &&
	sleep 1 &&
	kill -TERM $w && wait $w &&
	cat g.json &&
	test "$(/usr/bin/python3 -c "import json; print([json.loads(l)[\"forecasts_made\"] for l in open(\"g.json\")])")" = "[2, 3, 4]"
'

test_expect_success 'a study that is not there' '
	expect_fail 1 rung watch --once nope &&
	grep_err "nope"
'

test_done
