#!/bin/sh
# Ray Tune experiment directories (Ray 2.9 layout, tests/data/raytune).
. "$RUNG_SRCDIR/tests/lib.sh"

d=$RUNG_TESTDATA/raytune

# An independent reading of an experiment, in Python: every trial folder's
# result.json (or progress.csv when result.json is missing or empty), the
# last report of a repeated step winning, against `rung export -f jsonl`.
cat >check.py <<'EOF'
import csv, json, math, os, sys

exp, export, xkey = sys.argv[1], sys.argv[2], sys.argv[3]
BOOK = {"time_this_iter_s", "time_total_s", "timestamp", "date", "done",
        "trial_id", "pid", "hostname", "node_ip", "time_since_restore",
        "iterations_since_restore", "timesteps_since_restore",
        "checkpoint_dir_name", "experiment_id", "experiment_tag",
        "should_checkpoint", "episodes_total", "timesteps_total",
        "warmup_time", "config"}

def flat(d, prefix=""):
    for k, v in d.items():
        if isinstance(v, dict):
            yield from flat(v, prefix + k + "/")
        else:
            yield prefix + k, v

def num(v):
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if v == "null":
        return math.nan
    try:
        return float(v)
    except ValueError:
        return None

def param(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return json.dumps(v, separators=(",", ":"))
    return v

def same(a, b):
    return a == b or (math.isnan(a) and math.isnan(b))

want = {}
for name in sorted(os.listdir(exp)):
    folder = os.path.join(exp, name)
    if not os.path.isdir(folder):
        continue
    rj, pc = (os.path.join(folder, f) for f in ("result.json", "progress.csv"))
    if os.path.exists(rj) and open(rj).read().strip():
        rows = [dict(flat(json.loads(l))) for l in open(rj) if l.strip()]
        rows = [{k: v for k, v in r.items() if not k.startswith("config/")}
                for r in rows]
    elif os.path.exists(pc):
        rows = list(csv.DictReader(open(pc, newline="")))
    else:
        continue
    t = want.setdefault(rows[0]["trial_id"], {"curves": {}, "secs": {}})
    t["params"] = {k: param(v) for k, v in
                   flat(json.load(open(os.path.join(folder, "params.json"))))}
    for r in rows:
        x = int(float(r[xkey]))
        for k, v in r.items():
            if k in BOOK or k == xkey or num(v) is None:
                continue
            t["curves"].setdefault(k, {})[x] = num(v)
        if num(r.get("time_this_iter_s")) is not None:
            t["secs"][x] = num(r["time_this_iter_s"])

got = {}
for line in open(export):
    j = json.loads(line)
    got[j["id"]] = j
for tid, t in want.items():
    g = got[tid]
    assert g["params"] == t["params"], (tid, g["params"], t["params"])
    for m in set(t["curves"]) | {k for k in g if k not in
                                 ("id", "status", "params", "steps",
                                  "seconds", "metric", "directions")}:
        have = {s: v for s, v in zip(g["steps"], g.get(m, []))
                if v is not None}
        exp_m = t["curves"].get(m, {})
        assert sorted(have) == sorted(exp_m), (tid, m, have, exp_m)
        for s in have:
            assert same(have[s], exp_m[s]), (tid, m, s, have[s], exp_m[s])
    secs = {s: v for s, v in zip(g["steps"], g.get("seconds", []))
            if v is not None}
    assert secs == t["secs"], (tid, secs, t["secs"])
print(len(want))
EOF

test_expect_success 'an experiment directory is detected and read whole' '
	rung import -s basic "$d/exp-basic" 2>err &&
	grep -q "imported 8 trials (49 values) into new study .basic." err &&
	rung studies --json >s.json &&
	test "$(json "j[0][\"metric\"], j[0][\"direction\"], j[0][\"max_step\"]" s.json)" = "val_loss min 4"
'

test_expect_success 'the trial ids are Ray'"'"'s' '
	rung trials --json basic >t.json &&
	test "$(json "[t[\"id\"] for t in j]" t.json)" = \
		"1a2b3_00000 1a2b3_00001 1a2b3_00002 1a2b3_00003 1a2b3_00004 1a2b3_00005 1a2b3_00006 1a2b3_00007"
'

test_expect_success 'statuses: TERMINATED, ERROR, stopped by ASHA, RUNNING, PENDING' '
	test "$(json "[t[\"status\"] for t in j]" t.json)" = \
		"complete complete failed stopped complete complete running running" &&
	test "$(json "[t[\"points\"] for t in j]" t.json)" = "4 4 2 2 4 4 3 0"
'

test_expect_success 'every point, parameter and second is what the files say' '
	rung export -f jsonl basic >basic.jsonl &&
	test "$(/usr/bin/python3 check.py "$d/exp-basic" basic.jsonl training_iteration)" = 7
'

test_expect_success 'parameters are typed as written; nested ones joined with /' '
	rung show --json basic 1a2b3_00000 >t0.json &&
	test "$(json "[\"%s=%s:%s\" % (k, v, type(v).__name__) for k, v in sorted(j[\"params\"].items())]" t0.json)" = \
		"epochs=4:int hidden=[64,32]:str layers=2:int lr=0.001:float model/act=relu:str model/dropout=0.1:float use_bn=true:str"
'

test_expect_success 'the curve: training_iteration is x, time_this_iter_s the seconds' '
	test "$(json "j[\"curves\"][\"val_loss\"][\"steps\"]" t0.json)" = "1 2 3 4" &&
	test "$(json "j[\"curves\"][\"val_loss\"][\"values\"][0]" t0.json)" = 1.5449938793262643 &&
	test "$(json "j[\"seconds\"][\"values\"]" t0.json)" = \
		"2.5190333333333337 3.0380333333333334 3.5570333333333335 2.1730333333333336" &&
	test "$(json "sorted(j[\"curves\"])" t0.json)" = "train_loss val_acc val_loss"
'

test_expect_success 'NaN: a bare NaN and the string "null" of a numpy NaN; Infinity' '
	grep "\"id\":\"1a2b3_00001\"" basic.jsonl >t1.json &&
	test "$(json "[str(v) for v in j[\"val_loss\"]]" t1.json)" = \
		"1.562132474523976 nan nan nan" &&
	test "$(json "j[\"train_loss\"][3]" t1.json)" = inf &&
	grep -q "\"val_loss\": NaN" "$d"/exp-basic/train_fn_1a2b3_00001_*/result.json &&
	grep -q "\"val_loss\": \"null\"" "$d"/exp-basic/train_fn_1a2b3_00001_*/result.json
'

test_expect_success 'a metric first reported later is read from result.json' '
	rung show --json basic 1a2b3_00004 >t4.json &&
	test "$(json "j[\"curves\"][\"val_acc\"][\"steps\"]" t4.json)" = "2 3 4" &&
	! head -n 1 "$d"/exp-basic/train_fn_1a2b3_00004_*/progress.csv | grep -q val_acc
'

test_expect_success 'a trial with only progress.csv: its columns are found by name' '
	test ! -e "$d"/exp-basic/train_fn_1a2b3_00005_*/result.json &&
	head -n 1 "$d"/exp-basic/train_fn_1a2b3_00005_*/progress.csv | grep -q "^val_loss,train_loss," &&
	rung show --json basic 1a2b3_00005 >t5.json &&
	test "$(json "j[\"curves\"][\"val_loss\"][\"values\"]" t5.json)" = \
		"1.6511379868078175 1.0487089863484742 0.7034530762613038 0.5063448087660423" &&
	test "$(json "j[\"seconds\"][\"values\"]" t5.json)" = "2.8652 3.3842 2.0002 2.5192"
'

test_expect_success 'a trial of the state file without a folder keeps its config' '
	rung show --json basic 1a2b3_00007 >t7.json &&
	test "$(json "j[\"status\"], j[\"points\"], j[\"params\"][\"lr\"], j[\"params\"][\"model/act\"]" t7.json)" = \
		"running 0 0.1 gelu"
'

test_expect_success '-f raytune reads the same' '
	rung import -s named -f raytune "$d/exp-basic" &&
	rung export -f jsonl named >named.jsonl &&
	cmp basic.jsonl named.jsonl
'

test_expect_success '--metric picks the metric of interest' '
	rung import -s tl -m train_loss "$d/exp-basic" &&
	rung studies --json >s.json &&
	test "$(json "[s[\"metric\"] for s in j if s[\"name\"] == \"tl\"]" s.json)" = train_loss
'

test_expect_success '--metric naming no metric fails and adds nothing' '
	before=$(db_digest) &&
	expect_fail 1 rung import -s nope -m accuracy "$d/exp-basic" &&
	grep_err "no metric .accuracy. in the data" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'the same experiment again adds nothing' '
	before=$(db_digest) &&
	rung import -s basic "$d/exp-basic" 2>err &&
	grep -q "nothing added" err &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a resumed experiment: the newest state file, appended results' '
	rung import --json -s res "$d/exp-resumed" >r.json 2>err &&
	test "$(json "j[\"trials\"], j[\"points\"], j[\"duplicates\"]" r.json)" = "3 30 6" &&
	grep -q "res: 6 values were given more than once for the same trial and step" err &&
	rung trials --json res >rt.json &&
	test "$(json "[t[\"status\"] for t in j]" rt.json)" = "complete complete complete" &&
	test "$(json "[t[\"steps\"] for t in j]" rt.json)" = "5 5 5"
'

test_expect_success 'a resumed experiment: the last report of a step wins' '
	rung export -f jsonl res >res.jsonl &&
	test "$(/usr/bin/python3 check.py "$d/exp-resumed" res.jsonl training_iteration)" = 3 &&
	rung show --json res 9f8e7_00002 >r2.json &&
	test "$(json "j[\"curves\"][\"val_loss\"][\"values\"][2:4]" r2.json)" = \
		"0.6041590570405692 0.4283732320319376" &&
	grep -c "\"training_iteration\": 3," "$d"/exp-resumed/train_fn_9f8e7_00002_*/result.json >n &&
	test "$(cat n)" = 2
'

test_expect_success 'without the newest state file, the older one says running' '
	cp -r "$d/exp-resumed" old &&
	rm old/experiment_state-2023-10-02_10-30-00.json &&
	rung import -s old old 2>/dev/null &&
	rung trials --json old >o.json &&
	test "$(json "[t[\"status\"] for t in j]" o.json)" = "running complete running"
'

test_expect_success 'MLPF-style results with --step-col step' '
	rung import -s mlpf --step-col step "$d/exp-mlpf" &&
	rung export -f jsonl mlpf >mlpf.jsonl &&
	test "$(/usr/bin/python3 check.py "$d/exp-mlpf" mlpf.jsonl step)" = 1 &&
	rung show --json mlpf 5c6d7_00000 >m.json &&
	test "$(json "j[\"status\"]" m.json)" = complete &&
	test "$(json "j[\"curves\"][\"val_loss\"][\"steps\"]" m.json)" = "1250 2500 3750 5000" &&
	test "$(json "j[\"params\"][\"train_loop_config/lr\"], j[\"metric\"]" m.json)" = "0.0005 val_loss" &&
	test "$(json "\"step\" in j[\"curves\"]" m.json)" = False
'

test_expect_success 'MLPF-style results: the trainer'"'"'s training_iteration by default' '
	rung import -s mlpf-it -m loss "$d/exp-mlpf" &&
	rung show --json mlpf-it 5c6d7_00000 >mi.json &&
	test "$(json "j[\"metric\"]" mi.json)" = loss &&
	test "$(json "j[\"curves\"][\"loss\"][\"steps\"]" mi.json)" = "1 2 3 4"
'

test_expect_success '--step-col naming a key the results lack fails at the first result' '
	before=$(db_digest) &&
	expect_fail 1 rung import -s nox --step-col epoch "$d/exp-mlpf" &&
	grep_err "TorchTrainer_5c6d7_00000_.*/result.json:1: no .epoch. in this result" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'an empty result.json: progress.csv is read instead' '
	mkdir -p empty &&
	cp -r "$d"/exp-basic/train_fn_1a2b3_00000_* empty/ &&
	: >empty/train_fn_1a2b3_00000_*/result.json &&
	rung import -s empty empty &&
	rung show --json empty 1a2b3_00000 >e.json &&
	for k in "[\"curves\"][\"val_loss\"]" "[\"curves\"][\"train_loss\"]" \
	    "[\"seconds\"]" "[\"params\"]" "[\"status\"]"; do
		test "$(json "j$k" e.json)" = "$(json "j$k" t0.json)" || return 1
	done
'

test_expect_success 'without a state file: error.txt, done and the longest trial' '
	cp -r "$d/exp-basic" nostate &&
	rm nostate/experiment_state-*.json &&
	rung import -s nostate nostate &&
	rung trials --json nostate >n.json &&
	test "$(json "[t[\"status\"] for t in j]" n.json)" = \
		"complete complete failed stopped complete complete complete"
'

test_expect_success 'PAUSED is stopped' '
	cp -r "$d/exp-basic" paused &&
	sed "s/\\\\\"status\\\\\": \\\\\"RUNNING\\\\\"/\\\\\"status\\\\\": \\\\\"PAUSED\\\\\"/" \
		"$d"/exp-basic/experiment_state-*.json >paused/experiment_state-2023-10-01_12-00-00.json &&
	! cmp -s paused/experiment_state-*.json "$d"/exp-basic/experiment_state-*.json &&
	rung import -s paused paused &&
	rung show --json paused 1a2b3_00006 >p.json &&
	test "$(json "j[\"status\"]" p.json)" = stopped
'

test_expect_success 'TERMINATED short of the longest but not done: its code returned' '
	cp -r "$d/exp-basic" returned &&
	sed "s/\\\\\"status\\\\\": \\\\\"RUNNING\\\\\"/\\\\\"status\\\\\": \\\\\"TERMINATED\\\\\"/" \
		"$d"/exp-basic/experiment_state-*.json >returned/experiment_state-2023-10-01_12-00-00.json &&
	rung import -s returned returned &&
	rung trials --json returned >rr.json &&
	test "$(json "[t[\"status\"] for t in j]" rr.json)" = \
		"complete complete failed stopped complete complete complete running"
'

test_expect_success 'ids from folder names when the results carry none' '
	mkdir -p names &&
	for t in 00000 00003; do
		cp -r "$d"/exp-basic/train_fn_1a2b3_${t}_* names/ || return 1
	done &&
	mv names/train_fn_1a2b3_00003_* "names/train_fn_a1b2c3d4_3_lr=0.3000_2023-10-01_12-00-15" &&
	cp -r names/train_fn_1a2b3_00000_* names/my-own-run &&
	for f in names/*/result.json; do
		sed "s/\"trial_id\": \"[0-9a-f_]*\", //" "$f" >x && mv x "$f" || return 1
	done &&
	! grep -q trial_id names/*/result.json &&
	rung import -s names names &&
	rung trials --json names >nm.json &&
	test "$(json "sorted(t[\"id\"] for t in j)" nm.json)" = "1a2b3_00000 a1b2c3d4 my-own-run"
'

# A trial's folder copied (a restore that made a second folder), its
# params.json changed: the trial is one, its results merged, and the
# parameter given two values is told rather than overwritten in silence.
test_expect_success 'two folders of one trial with different parameters: a warning' '
	cp -r "$d/exp-basic" twice &&
	rm twice/experiment_state-*.json &&
	cp -r twice/train_fn_1a2b3_00000_* twice/train_fn_again &&
	sed "s/\"lr\": 0.001/\"lr\": 0.5/" twice/train_fn_again/params.json >x &&
	mv x twice/train_fn_again/params.json &&
	rung import -s twice twice 2>err &&
	grep "twice: 1 parameter value was given more than once for the same trial, and differently: the last one read was kept (the first: trial .1a2b3_00000., parameter .lr.: 0.001, then 0.5)" err &&
	grep "values were given more than once for the same trial and step" err &&
	rung show --json twice 1a2b3_00000 >tw.json &&
	test "$(json "j[\"params\"][\"lr\"]" tw.json)" = 0.5
'

test_expect_success 'a result.json line that is not JSON: file, line and column' '
	cp -r "$d/exp-basic" bad1 &&
	f=$(echo bad1/train_fn_1a2b3_00000_*/result.json) &&
	sed "3s/.*/{\"train_loss\": 0.5, \"val_loss\": }/" "$f" >x && mv x "$f" &&
	before=$(db_digest) &&
	expect_fail 1 rung import -s bad1 bad1 &&
	grep_err "bad1/train_fn_1a2b3_00000_.*/result.json:3:33: invalid JSON" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'params.json that is not an object' '
	cp -r "$d/exp-basic" bad2 &&
	echo "[0.001, 2]" >bad2/train_fn_1a2b3_00003_*/params.json &&
	before=$(db_digest) &&
	expect_fail 1 rung import -s bad2 bad2 &&
	grep_err "bad2/train_fn_1a2b3_00003_.*/params.json: expected an object of parameters, got an array" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a result without training_iteration: file and line' '
	cp -r "$d/exp-basic" bad3 &&
	f=$(echo bad3/train_fn_1a2b3_00004_*/result.json) &&
	sed "2s/\"training_iteration\": 2, //" "$f" >x && mv x "$f" &&
	before=$(db_digest) &&
	expect_fail 1 rung import -s bad3 bad3 &&
	grep_err "bad3/train_fn_1a2b3_00004_.*/result.json:2: no .training_iteration. in this result" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a step that is not a whole number' '
	cp -r "$d/exp-basic" bad4 &&
	f=$(echo bad4/train_fn_1a2b3_00000_*/result.json) &&
	sed "4s/\"training_iteration\": 4,/\"training_iteration\": 3.5,/" "$f" >x && mv x "$f" &&
	expect_fail 1 rung import -s bad4 bad4 &&
	grep_err "result.json:4: .training_iteration. must be a whole number (a step), got 3.5"
'

test_expect_success 'a progress.csv row without the step: file and line' '
	cp -r "$d/exp-basic" bad5 &&
	f=$(echo bad5/train_fn_1a2b3_00005_*/progress.csv) &&
	/usr/bin/python3 -c "
import sys
lines = open(sys.argv[1], newline=\"\").read().split(\"\r\n\")
cells = lines[2].split(\",\"); cells[5] = \"\"; lines[2] = \",\".join(cells)
open(sys.argv[1], \"w\", newline=\"\").write(\"\r\n\".join(lines))" "$f" &&
	before=$(db_digest) &&
	expect_fail 1 rung import -s bad5 bad5 &&
	grep_err "bad5/train_fn_1a2b3_00005_.*/progress.csv:3: no .training_iteration. in this result" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'an unreadable state file is named' '
	cp -r "$d/exp-basic" bad6 &&
	printf "{\"trial_data\": [\n" >bad6/experiment_state-2023-10-01_12-00-00.json &&
	before=$(db_digest) &&
	expect_fail 1 rung import -s bad6 bad6 &&
	grep_err "bad6/experiment_state-2023-10-01_12-00-00.json:2:1: invalid JSON" &&
	echo "{\"runner_data\": {}}" >bad6/experiment_state-2023-10-01_12-00-00.json &&
	expect_fail 1 rung import -s bad6 bad6 &&
	grep_err "bad6/experiment_state-2023-10-01_12-00-00.json: not a Ray Tune experiment state" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a newer state file is the one read' '
	cp -r "$d/exp-basic" bad7 &&
	echo "[]" >bad7/experiment_state-2023-10-01_13-00-00.json &&
	expect_fail 1 rung import -s bad7 bad7 &&
	grep_err "bad7/experiment_state-2023-10-01_13-00-00.json: expected a Ray Tune experiment state (an object), got an array"
'

test_expect_success 'an experiment without a trial folder' '
	mkdir -p noexp/not-a-trial &&
	echo "notes" >noexp/not-a-trial/notes.txt &&
	cp "$d"/exp-basic/experiment_state-*.json noexp/ &&
	before=$(db_digest) &&
	expect_fail 1 rung import -s noexp noexp &&
	grep_err "noexp: no trial folder found (a folder with params.json and result.json or progress.csv)" &&
	expect_fail 1 rung import -s noexp -f raytune noexp/not-a-trial &&
	grep_err "not-a-trial: no trial folder found" &&
	test "$(db_digest)" = "$before"
'

test_done
