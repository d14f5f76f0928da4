#!/bin/sh
# rung launch with the example trainer (share/rung/examples/digits.py, an
# MLP on scikit-learn's digits) through the real mpirun: a 20-trial ASHA
# campaign two at a time, stopped at rung boundaries; asha-lce, whose LCE
# stops fall between them; then ASHA one trial
# at a time over configurations whose full curves were recorded, whose
# decisions are those of rung replay over those curves with the same seed.
. "$RUNG_SRCDIR/tests/lib.sh"

launch_env

ex=$RUNG_SRCDIR/share/rung/examples

if ! command -v mpirun >/dev/null 2>&1 ||
    ! /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
	test_skip 'campaigns of the example trainer' \
		'needs mpirun (openmpi-bin) and python3-sklearn'
	test_done
	exit
fi

test_expect_success 'a 20-trial ASHA campaign, 2 at a time, with the example trainer' '
	rung launch --space "$ex/digits.space" --policy asha --eta 3 --configs 20 \
		--max-steps 9 --workers 2 --seed 11 --metric val_loss --json \
		asha -- "$ex/digits.py" >asha.json 2>asha.err &&
	test "$(json "len(j[\"trials\"]), j[\"status\"], j[\"metric\"]" asha.json)" = "20 done val_loss" &&
	test "$(json "sorted(set(t[\"status\"] for t in j[\"trials\"]))" asha.json)" = "complete stopped" &&
	grep -q "launching on .asha.: asha, max 9 steps, 2 at a time" asha.err &&
	grep -q "mpirun --bind-to none -np 1 " rung-logs/asha/0.log
'

test_expect_success 'stopped trials stopped at a rung (1 or 3), the others at 9' '
	test "$(json "sorted(set(t[\"steps\"] for t in j[\"trials\"] if t[\"status\"] == \"stopped\")) <= [1, 3]" asha.json)" = True &&
	test "$(json "set(t[\"steps\"] for t in j[\"trials\"] if t[\"status\"] == \"complete\")" asha.json)" = "{9}" &&
	test "$(json "all(\"stopped by asha at step %d\" % t[\"steps\"] in t[\"reason\"] for t in j[\"trials\"] if t[\"status\"] == \"stopped\")" asha.json)" = True &&
	test "$(sq "select count(*) from curves c join metrics m on m.id = c.metric_id
		join studies s on s.id = m.study_id where s.name = '"'"'asha'"'"' and m.name = '"'"'val_loss'"'"'
		and c.first_step = 1 and c.n = c.last_step and c.steps is null")" = 20 &&
	test "$(sq "select count(*) from metrics m join studies s on s.id = m.study_id where s.name = '"'"'asha'"'"'")" = 2 &&
	test "$(json "sum(t[\"steps\"] for t in j[\"trials\"]) == j[\"steps\"]" asha.json)" = True &&
	rung trials --json asha >trials.json &&
	test "$(json "sorted(set(t[\"status\"] for t in j))" trials.json)" = "complete stopped"
'

test_expect_success 'never more than two trials ran at once' '
	sq "select e.event from launch_events e join launches l on l.id = e.launch_id
		join studies s on s.id = l.study_id where s.name = '"'"'asha'"'"' order by e.id" |
	awk "/^start\$/ { n++; if (n > max) max = n }
		/^(exit|ended|failed|timeout)\$/ { n-- }
		END { print max; exit !(max == 2 && n == 0) }"
'

test_expect_success 'asha-lce runs live: it finishes and stops a trial between rungs' '
	rung launch --space "$ex/digits.space" --policy asha-lce --eta 3 --configs 12 \
		--max-steps 27 --workers 1 --seed 11 --metric val_loss --json \
		lce -- "$ex/digits.py" >lce.json 2>lce.err &&
	test "$(json "len(j[\"trials\"]), j[\"status\"]" lce.json)" = "12 done" &&
	test "$(json "any(t[\"status\"] == \"complete\" and t[\"steps\"] == 27 for t in j[\"trials\"])" lce.json)" = True &&
	test "$(json "any(t[\"status\"] == \"stopped\" and t[\"steps\"] not in (1, 3, 9, 27) and
		\"stopped by asha-lce at step %d\" % t[\"steps\"] in t[\"reason\"] for t in j[\"trials\"])" lce.json)" = True
'

test_expect_success 'full curves of 12 configurations (random search)' '
	rung launch --space "$ex/digits.space" --policy random --configs 12 \
		--max-steps 9 --workers 2 --seed 5 --metric val_loss --json \
		full -- "$ex/digits.py" >full.json 2>full.err &&
	test "$(json "set(t[\"status\"] for t in j[\"trials\"]), set(t[\"steps\"] for t in j[\"trials\"])" full.json)" = "{'"'"'complete'"'"'} {9}"
'

test_expect_success 'ASHA one at a time over those configurations (--from)' '
	rung launch --from full --policy asha --eta 3 --configs 12 --max-steps 9 \
		--workers 1 --seed 5 --json a1 -- "$ex/digits.py" >a1.json 2>a1.err &&
	test "$(json "len(j[\"trials\"]), j[\"status\"], j[\"metric\"]" a1.json)" = "12 done val_loss" &&
	for id in $(json "[t[\"id\"] for t in j[\"trials\"]]" a1.json); do
		rung show --json full "$id" >f.json &&
		rung show --json a1 "$id" >a.json &&
		/usr/bin/python3 -c "
import json, sys
f = json.load(open(\"f.json\"))[\"curves\"][\"val_loss\"]
a = json.load(open(\"a.json\"))[\"curves\"][\"val_loss\"]
n = len(a[\"steps\"])
assert a[\"steps\"] == f[\"steps\"][:n], (a, f)
assert a[\"values\"] == f[\"values\"][:n], \"trial $id: the trainer is not deterministic\"
" || exit 1
	done
'

# The replay's compute with the first K configurations, K = 1 ... 12: one
# worker runs them in turn, so each difference is the steps of trial K.
test_expect_success 'the decisions are those of rung replay on the recorded curves, same seed' '
	prev=0 &&
	for k in $(seq 1 12); do
		rung replay full --policy asha --baseline asha --eta 3 --max-steps 9 \
			--configs $k --workers 1 --seeds 1 --seed 5 --no-save --json >r.json &&
		cost=$(json "j[\"policies\"][0][\"cost_steps\"][0]" r.json) &&
		echo $((cost - prev)) &&
		prev=$cost || exit 1
	done >replayed &&
	json "[t[\"steps\"] for t in j[\"trials\"]]" a1.json | tr " " "\n" >launched &&
	cat launched | tr "\n" " " &&
	diff replayed launched &&
	test "$(json "j[\"steps\"]" a1.json)" = "$cost" &&
	test "$(json "j[\"policies\"][0][\"returned\"][0]" r.json)" = "$(json "j[\"best\"]" a1.json)" &&
	test "$(json "j[\"policies\"][0][\"started\"][0]" r.json)" = 12
'

test_done
