#!/bin/sh
# rung launch --sampler tpe: ASHA + TPE live. Over a search space with a
# quick trainer: ASHA and Hyperband campaigns draw valid values, the first
# 10 configurations the space's own draws and the later ones TPE's, and a
# campaign killed and resumed draws what an uninterrupted one drew. Then
# with the example trainer (share/rung/examples/digits.py): ASHA + TPE one
# trial at a time over configurations whose full curves were recorded
# makes the decisions of rung replay --sampler tpe on those curves.
. "$RUNG_SRCDIR/tests/lib.sh"

launch_env

ex=$RUNG_SRCDIR/share/rung/examples

# One trial at a time: the 11th starts once 10 have reported, the first
# that TPE draws.
# quick.py [SLEEP]: loss from the parameters plus 1/step, SLEEP s a step.
cat >quick.py <<\EOF
#!/usr/bin/python3
import json, math, os, sys, time
p = json.loads(os.environ["RUNG_PARAMS"])
top = int(os.environ["RUNG_MAX_STEPS"])
first = int(os.environ.get("RUNG_RESUME_STEP", "0")) + 1
pause = float(sys.argv[1]) if len(sys.argv) > 1 else 0
base = ((math.log10(p["lr"]) + 2) ** 2 + ((p["width"] - 40) / 20) ** 2 +
        4 * (p["x"] - 0.3) ** 2 + (math.log2(p["depth"]) - 3) ** 2 / 4 +
        (0 if p["act"] == "tanh" else 1))
for s in range(first, top + 1):
    time.sleep(pause)
    print("rung: " + json.dumps({"step": s, "loss": round(base + 1 / s, 6)}),
          flush=True)
EOF
chmod +x quick.py
cat >q.space <<\EOF
lr	loguniform 1e-4 1
x	uniform -1 1
width	int 1 64
depth	logint 1 32
act	choice relu tanh sigmoid
EOF

# valid FILE: every trial's values within q.space.
valid() {
	json "all(1e-4 <= t[\"params\"][\"lr\"] < 1 and -1 <= t[\"params\"][\"x\"] < 1
		and type(t[\"params\"][\"width\"]) is int and 1 <= t[\"params\"][\"width\"] <= 64
		and type(t[\"params\"][\"depth\"]) is int and 1 <= t[\"params\"][\"depth\"] <= 32
		and t[\"params\"][\"act\"] in (\"relu\", \"tanh\", \"sigmoid\")
		for t in j[\"trials\"])" "$1"
}

# same A B FROM TO: how many trials of handles FROM .. TO-1 have the
# same parameters in the summaries A and B.
same() {
	/usr/bin/python3 -c "
import json, sys
a = {t['handle']: t['params'] for t in json.load(open('$1'))['trials']}
b = {t['handle']: t['params'] for t in json.load(open('$2'))['trials']}
print(sum(a[h] == b[h] for h in range($3, $4)))"
}

test_expect_success '--sampler: its spelling, and fixed on resume' '
	expect_fail 2 rung launch --space q.space --policy asha --max-steps 3 \
		--sampler grid bad -- ./quick.py &&
	grep_err "sampler must be random or tpe, not .grid." &&
	rung launch --space q.space --policy random --configs 2 --max-steps 1 \
		--sampler tpe --launcher direct --json two -- ./quick.py >two.json 2>two.err &&
	grep -q "launching on .two.: random with tpe, max 1 steps" two.err &&
	test "$(sq "select json_extract(settings, '"'"'$.sampler'"'"') from launches l
		join studies s on s.id = l.study_id where s.name = '"'"'two'"'"'")" = tpe &&
	expect_fail 2 rung launch --resume --sampler random two &&
	grep_err "sampler cannot change it"
'

test_expect_success 'ASHA + TPE over a space: 24 configurations, valid values' '
	rung launch --space q.space --policy asha --eta 3 --configs 24 --max-steps 9 \
		--workers 1 --seed 3 --sampler tpe --launcher direct --json \
		tpe -- ./quick.py >tpe.json 2>tpe.err &&
	test "$(json "len(j[\"trials\"]), j[\"status\"]" tpe.json)" = "24 done" &&
	test "$(valid tpe.json)" = True
'

test_expect_success 'the first 10 are the space s own draws, the later ones TPE s' '
	rung launch --space q.space --policy asha --eta 3 --configs 24 --max-steps 9 \
		--workers 1 --seed 3 --launcher direct --json \
		rnd -- ./quick.py >rnd.json 2>rnd.err &&
	test "$(same tpe.json rnd.json 0 10)" = 10 &&
	test "$(same tpe.json rnd.json 10 24)" = 0 &&
	test "$(json "sum(t[\"params\"][\"act\"] == \"tanh\" for t in j[\"trials\"][12:])" tpe.json)" -gt \
		"$(json "sum(t[\"params\"][\"act\"] == \"tanh\" for t in j[\"trials\"][12:])" rnd.json)"
'

test_expect_success 'Hyperband + TPE (BOHB-like) over a space finishes with TPE s draws' '
	rung launch --space q.space --policy hyperband --eta 3 --max-steps 9 \
		--workers 1 --seed 4 --sampler tpe --launcher direct --json \
		hb -- ./quick.py >hb.json 2>hb.err &&
	rung launch --space q.space --policy hyperband --eta 3 --max-steps 9 \
		--workers 1 --seed 4 --launcher direct --json \
		hbr -- ./quick.py >hbr.json 2>hbr.err &&
	test "$(json "j[\"status\"]" hb.json)" = done &&
	n=$(json "len(j[\"trials\"])" hb.json) &&
	test "$n" -gt 12 &&
	test "$(valid hb.json)" = True &&
	test "$(same hb.json hbr.json 0 10)" = 10 &&
	test "$(same hb.json hbr.json 10 $n)" = 0
'

test_expect_success 'an uninterrupted ASHA + TPE campaign, one at a time' '
	rung launch --space q.space --policy asha --eta 3 --configs 16 --max-steps 9 \
		--workers 1 --seed 6 --sampler tpe --launcher direct --json \
		ref -- ./quick.py 0.02 >ref.json 2>ref.err &&
	test "$(json "len(j[\"trials\"]), j[\"status\"]" ref.json)" = "16 done"
'

test_expect_success 'the same killed and resumed draws what the uninterrupted one drew' '
	"$RUNG" launch --space q.space --policy asha --eta 3 --configs 16 --max-steps 9 \
		--workers 1 --seed 6 --sampler tpe --launcher direct \
		kr -- ./quick.py 0.02 >kr1.out 2>kr1.err &
	pid=$! &&
	wait_sql "select count(*) >= 13 from trials t join studies s on s.id = t.study_id
		where s.name = '"'"'kr'"'"'" 60 &&
	kill -KILL $pid &&
	{ wait $pid || :; } &&
	test "$(sq "select count(*) from trials t join studies s on s.id = t.study_id
		where s.name = '"'"'kr'"'"'")" -lt 16 &&
	rung launch --resume --json kr >kr.json 2>kr.err &&
	test "$(json "len(j[\"trials\"]), j[\"status\"]" kr.json)" = "16 done" &&
	test "$(same ref.json kr.json 0 16)" = 16 &&
	test "$(json "[t[\"steps\"] for t in j[\"trials\"]]" kr.json)" = \
		"$(json "[t[\"steps\"] for t in j[\"trials\"]]" ref.json)"
'

if ! command -v mpirun >/dev/null 2>&1 ||
    ! /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
	test_skip 'ASHA + TPE with the example trainer' \
		'needs mpirun (openmpi-bin) and python3-sklearn'
	test_done
	exit
fi

test_expect_success 'full curves of 18 configurations (random search)' '
	rung launch --space "$ex/digits.space" --policy random --configs 18 \
		--max-steps 9 --workers 2 --seed 5 --metric val_loss --json \
		full -- "$ex/digits.py" >full.json 2>full.err &&
	test "$(json "set(t[\"status\"] for t in j[\"trials\"]), set(t[\"steps\"] for t in j[\"trials\"])" full.json)" = "{'"'"'complete'"'"'} {9}"
'

test_expect_success 'ASHA + TPE one at a time over those configurations (--from)' '
	rung launch --from full --policy asha --sampler tpe --eta 3 --configs 18 \
		--max-steps 9 --workers 1 --seed 5 --json a1 -- "$ex/digits.py" \
		>a1.json 2>a1.err &&
	test "$(json "len(j[\"trials\"]), j[\"status\"], j[\"metric\"]" a1.json)" = "18 done val_loss" &&
	test "$(json "len(set(t[\"id\"] for t in j[\"trials\"]))" a1.json)" = 18
'

# The replay's compute with the first K configurations, K = 1 ... 18: one
# worker runs them in turn, so each difference is the steps of trial K.
replayed() {
	prev=0
	for k in $(seq 1 18); do
		rung replay full --policy asha --baseline asha --sampler "$1" --eta 3 \
			--max-steps 9 --configs $k --workers 1 --seeds 1 --seed 5 \
			--no-save --json >r.json &&
		cost=$(json "j[\"policies\"][0][\"cost_steps\"][0]" r.json) &&
		echo $((cost - prev)) &&
		prev=$cost || return 1
	done
}

test_expect_success 'its decisions are those of rung replay --sampler tpe, not random s' '
	replayed tpe >tpe-steps &&
	replayed random >random-steps &&
	json "[t[\"steps\"] for t in j[\"trials\"]]" a1.json | tr " " "\n" >launched &&
	cat launched | tr "\n" " " &&
	diff tpe-steps launched &&
	! diff random-steps launched >/dev/null &&
	rung replay full --policy asha --baseline asha --sampler tpe --eta 3 \
		--max-steps 9 --configs 18 --workers 1 --seeds 1 --seed 5 \
		--no-save --json >r.json &&
	test "$(json "j[\"steps\"]" a1.json)" = "$(json "j[\"policies\"][0][\"cost_steps\"][0]" r.json)" &&
	test "$(json "j[\"policies\"][0][\"returned\"][0]" r.json)" = "$(json "j[\"best\"]" a1.json)"
'

test_done
