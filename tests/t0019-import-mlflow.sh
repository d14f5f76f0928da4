#!/bin/sh
# MLflow's file store (tests/data/mlflow/mlruns, written by make-mlruns.py as
# MLflow's FileStore writes it).
. "$RUNG_SRCDIR/tests/lib.sh"

d=$RUNG_TESTDATA/mlflow/mlruns
sweep=$(basename "$(dirname "$(grep -l "^name: sgd-sweep$" "$d"/*/meta.yaml)")")
mlp=$(basename "$(dirname "$(grep -l "^name: mlp-sweep$" "$d"/*/meta.yaml)")")

# An independent reading of the store, in Python (PyYAML, MLflow's own rules
# for metric lines), against `rung export -f jsonl` of each study.
cat >check.py <<'PY'
import json, math, os, sys
import yaml

root, exports = sys.argv[1], sys.argv[2:]
STATUS = {1: "running", 2: "running", 3: "complete", 4: "failed",
          5: "stopped"}

def files(top):
    for d, subs, names in os.walk(top):
        for n in names:
            p = os.path.join(d, n)
            yield os.path.relpath(p, top), p

def typed(values):
    def isint(s):
        try:
            int(s)
            return True
        except ValueError:
            return False
    def isnum(s):
        try:
            float(s)
            return True
        except ValueError:
            return False
    if all(isint(v) for v in values):
        return int
    if all(isnum(v) for v in values):
        return float
    return str

def experiment(edir):
    runs = []
    for name in sorted(os.listdir(edir)):
        rdir = os.path.join(edir, name)
        meta = os.path.join(rdir, "meta.yaml")
        if name in ("tags", "datasets", "traces") or not os.path.isfile(meta):
            continue
        m = yaml.safe_load(open(meta))
        if m["lifecycle_stage"] == "deleted":
            continue
        tags = dict((k, open(p).read()) for k, p in
                    files(os.path.join(rdir, "tags")))
        runs.append((rdir, m, tags))
    parents = {t.get("mlflow.parentRunId") for _, _, t in runs}
    trials = {}
    names = {}
    for rdir, m, tags in runs:
        if m["run_id"] in parents:
            continue
        n = m.get("run_name") or tags.get("mlflow.runName") or m["run_id"]
        names.setdefault(n, []).append((rdir, m, tags))
    for n, rs in names.items():
        for rdir, m, tags in rs:
            tid = n if len(rs) == 1 else n + ":" + m["run_id"][:8]
            trials[tid] = (rdir, m, tags)
    return trials

def reading(rdir, m):
    pts = {}
    for key, p in files(os.path.join(rdir, "metrics")):
        for line in open(p):
            f = line.strip().split(" ")
            ts, v, step = int(f[0]), float(f[1]), int(f[2]) if len(f) == 3 else 0
            pts.setdefault(key, []).append((step, ts, v))
    curves, latest, times = {}, {}, {}
    multi = {k for k, l in pts.items() if len({s for s, _, _ in l}) > 1}
    for k, l in pts.items():
        for step in {s for s, _, _ in l}:
            # MLflow's latest: max by (step, timestamp, value).
            best = max((x for x in l if x[0] == step),
                       key=lambda x: (x[1], -math.inf if math.isnan(x[2]) else x[2]))
            curves.setdefault(k, {})[step] = best[2]
            if k in multi or not multi:
                t = max(ts for s, ts, _ in l if s == step)
                times[step] = max(times.get(step, t), t)
    start = m.get("start_time")
    secs = {}
    prev = None
    for step in sorted(times):
        cum = (times[step] - start) / 1000.0
        secs[step] = cum - (prev if prev is not None else 0)
        prev = cum
    return curves, secs

def same(a, b):
    return a == b or (isinstance(a, float) and isinstance(b, float) and
                      (math.isnan(a) and math.isnan(b) or abs(a - b) < 1e-9))

studies = {}
for e in sorted(os.listdir(root)):
    meta = os.path.join(root, e, "meta.yaml")
    if e.startswith(".") or not os.path.isfile(meta):
        continue
    m = yaml.safe_load(open(meta))
    if m["lifecycle_stage"] == "active":
        studies[m["name"]] = experiment(os.path.join(root, e))

n = 0
for export in exports:
    got = {}
    for line in open(export):
        j = json.loads(line)
        got[j["id"]] = j
    name = os.path.basename(export)[:-len(".jsonl")]
    want = studies[name]
    assert sorted(got) == sorted(want), (name, sorted(got), sorted(want))
    pvals = {}
    for rdir, m, tags in want.values():
        for k, p in files(os.path.join(rdir, "params")):
            pvals.setdefault(k, []).append(open(p).read())
    types = {k: typed(v) for k, v in pvals.items()}
    for tid, (rdir, m, tags) in want.items():
        g = got[tid]
        assert g["status"] == STATUS[m["status"]], (tid, g["status"])
        params = {k: types[k](open(p).read())
                  for k, p in files(os.path.join(rdir, "params"))}
        assert g["params"] == params, (tid, g["params"], params)
        curves, secs = reading(rdir, m)
        for k in set(curves) | {k for k in g if k not in ("id", "status",
                "params", "steps", "seconds", "metric", "directions")}:
            have = {s: v for s, v in zip(g["steps"], g.get(k, []))
                    if v is not None}
            want_k = curves.get(k, {})
            assert sorted(have) == sorted(want_k), (tid, k, have, want_k)
            for s in have:
                assert same(have[s], want_k[s]), (tid, k, s, have[s])
        have = {s: v for s, v in zip(g["steps"], g.get("seconds", []))
                if v is not None}
        assert sorted(have) == sorted(secs), (tid, have, secs)
        for s in have:
            assert same(have[s], secs[s]), (tid, s, have[s], secs[s])
        n += 1
print(n)
PY

test_expect_success 'an mlruns folder is detected: an experiment a study' '
	rung import --json "$d" >r.json 2>err &&
	test "$(json "sorted(\"%s=%d\" % (s[\"study\"], s[\"trials\"]) for s in j[\"studies\"])" r.json)" = \
		"Default=1 mlp-sweep=3 sgd-sweep=6" &&
	test "$(json "j[\"duplicates\"]" r.json)" = 2 &&
	rung studies --json >s.json &&
	test "$(json "[s[\"name\"] for s in j]" s.json)" = "Default mlp-sweep sgd-sweep"
'

test_expect_success 'what it says: the deleted run, the parent of the sweep' '
	grep -q "experiment .sgd-sweep.: 1 deleted run left out" err &&
	grep -q "experiment .sgd-sweep.: 1 parent run" err
'

test_expect_success 'every run, point, parameter, status and second is what the files say' '
	for s in Default mlp-sweep sgd-sweep; do
		rung export -f jsonl $s >$s.jsonl || exit 1
	done &&
	test "$(/usr/bin/python3 check.py "$d" Default.jsonl mlp-sweep.jsonl sgd-sweep.jsonl)" = 10
'

test_expect_success 'the children of the sweep are the trials; ids from run names' '
	rung trials --json sgd-sweep >t.json &&
	test "$(json "sorted(t[\"id\"] for t in j)" t.json | sed "s/:[0-9a-f]\{8\}/:X/g")" = \
		"trial-0 trial-1 trial-2 trial-3:X trial-3:X trial-5" &&
	for id in $(json "[t[\"id\"] for t in j if \":\" in t[\"id\"]]" t.json); do
		ls -d "$d/$sweep/${id#trial-3:}"* >/dev/null || exit 1
	done &&
	parent=$(for f in "$d/$sweep"/*/tags/mlflow.parentRunId; do
		cat "$f"; echo; done | sort -u) &&
	test "$(echo "$parent" | wc -l)" = 1 &&
	grep -q "^run_name: sweep$" "$d/$sweep/$parent/meta.yaml"
'

test_expect_success 'statuses: FINISHED, FAILED, KILLED, RUNNING' '
	test "$(json "sorted((t[\"id\"][:7], t[\"status\"]) for t in j)" t.json | tr -d "(),'"'"'")" = \
		"trial-0 complete trial-1 complete trial-2 failed trial-3 complete trial-3 stopped trial-5 running"
'

test_expect_success 'a key with / is a folder: train/loss, val/loss, model/penalty' '
	rung show --json sgd-sweep trial-0 >t0.json &&
	test "$(json "sorted(j[\"curves\"])" t0.json)" = "test_acc train/loss val/loss val_acc" &&
	test "$(json "j[\"params\"][\"model/penalty\"], j[\"params\"][\"eta0\"]" t0.json)" = "l2 0.1" &&
	test "$(json "j[\"metric\"]" t0.json)" = val/loss
'

test_expect_success 'a summary logged last at step 0 does not make step 0 last the run' '
	test "$(json "j[\"curves\"][\"test_acc\"][\"steps\"]" t0.json)" = 0 &&
	test "$(json "min(j[\"seconds\"][\"values\"]) > 0" t0.json)" = True &&
	test "$(json "j[\"seconds\"][\"values\"][0] < sum(j[\"seconds\"][\"values\"][1:])" t0.json)" = True
'

test_expect_success 'MLflow 1.x runs: the name from the tag, else the run_id' '
	! grep -q "^run_name:" "$d/$mlp"/*/meta.yaml &&
	rung trials --json mlp-sweep >m.json &&
	test "$(json "sorted(t[\"id\"] for t in j if t[\"id\"].startswith(\"mlp-\"))" m.json)" = "mlp-16 mlp-32" &&
	id=$(json "[t[\"id\"] for t in j if not t[\"id\"].startswith(\"mlp-\")]" m.json) &&
	test -d "$d/$mlp/$id" && test ! -e "$d/$mlp/$id/tags/mlflow.runName"
'

test_expect_success 'the same store again adds nothing; -f mlflow reads the same' '
	before=$(db_digest) &&
	rung import "$d" 2>err &&
	grep -q "nothing added" err &&
	test "$(db_digest)" = "$before" &&
	rung import -f mlflow --experiment sgd-sweep -s forced "$d" &&
	rung export -f jsonl forced >forced.jsonl &&
	cmp forced.jsonl sgd-sweep.jsonl
'

test_expect_success '--experiment takes an id too, and one experiment folder is read alone' '
	rung import --experiment "$mlp" -s by-id "$d" &&
	rung export -f jsonl by-id >by-id.jsonl &&
	cmp by-id.jsonl mlp-sweep.jsonl &&
	rung import -s one "$d/$mlp" 2>err &&
	rung export -f jsonl one >one.jsonl &&
	cmp one.jsonl mlp-sweep.jsonl
'

test_expect_success '--experiment naming none lists them; -s with several experiments fails' '
	before=$(db_digest) &&
	expect_fail 1 rung import --experiment nope "$d" &&
	grep_err "no experiment .nope. (by name or id); it holds .Default. (id 0), .sgd-sweep. (id $sweep)" &&
	expect_fail 1 rung import -s all "$d" &&
	grep_err "3 experiments have runs: -s names one study; choose the experiment with --experiment" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a deleted experiment (in .trash) is not there to choose' '
	expect_fail 1 rung import --experiment old-sweep "$d" &&
	grep_err "no experiment .old-sweep."
'

test_expect_success 'a new line makes a new source; artifacts are not read' '
	cp -r "$d" store &&
	run=$(ls -d store/0/*/ | head -n 1) &&
	echo "model" >"${run}artifacts/model.pkl" &&
	rung import --experiment Default -s copy store 2>err &&
	rung import --experiment Default -s copy store 2>err &&
	grep -q "nothing added" err &&
	echo "1796456199999 0.5 9" >>"${run}metrics/val_acc" &&
	rung import --replace --experiment Default -s copy store 2>err &&
	rung show --json copy baseline >c.json &&
	test "$(json "j[\"curves\"][\"val_acc\"][\"steps\"][-1]" c.json)" = 9
'

# Bad input: file, line and field named, nothing written.
bad() {
	rm -rf bad && cp -r "$d" bad &&
	before=$(db_digest) &&
	run=$(ls -d bad/0/*/ | head -n 1) &&
	run=${run%/}
}

test_expect_success 'a metrics line that is not three numbers' '
	bad &&
	printf "1796456165076 0.5 0\n1796456165077 0.6\nbanana\n" >"$run/metrics/val_acc" &&
	expect_fail 1 rung import -s bad bad &&
	grep_err "^rung: $run/metrics/val_acc:3: expected .TIMESTAMP VALUE STEP., three numbers separated by single spaces, got .banana." &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a value, a timestamp, a step that are not numbers' '
	bad &&
	printf "1796456165076 zero 0\n" >"$run/metrics/val_acc" &&
	expect_fail 1 rung import -s bad bad &&
	grep_err "$run/metrics/val_acc:1: the value .zero. is not a number" &&
	printf "1796456165076 0.5 0\n17964.5 0.5 1\n" >"$run/metrics/val_acc" &&
	expect_fail 1 rung import -s bad bad &&
	grep_err "$run/metrics/val_acc:2: the timestamp .17964.5. is not a whole number" &&
	printf "1796456165076 0.5 9999999999\n" >"$run/metrics/val_acc" &&
	expect_fail 1 rung import -s bad bad &&
	grep_err "$run/metrics/val_acc:1: the step 9999999999 is out of range" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a bad status, start_time, YAML: file, line, field' '
	bad &&
	sed -i "s/^status: 3/status: 7/" "$run/meta.yaml" &&
	expect_fail 1 rung import -s bad bad &&
	grep_err "$run/meta.yaml:[0-9]*: status: expected MLflow.s RunStatus, a number from 1 to 5" &&
	bad &&
	sed -i "s/^start_time: .*/start_time: soon/" "$run/meta.yaml" &&
	expect_fail 1 rung import -s bad bad &&
	grep_err "$run/meta.yaml:[0-9]*: start_time: expected milliseconds" &&
	bad &&
	printf "run_id: [unclosed\n" >"$run/meta.yaml" &&
	expect_fail 1 rung import -s bad bad &&
	grep_err "$run/meta.yaml" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a run without run_id is an error; a folder without meta.yaml is skipped' '
	bad &&
	sed -i "/^run_id:/d; /^run_uuid:/d" "$run/meta.yaml" &&
	expect_fail 1 rung import -s bad bad &&
	grep_err "$run/meta.yaml: no field .run_uuid." &&
	bad &&
	mkdir bad/0/notarun && echo x >bad/0/notarun/file &&
	rung import --experiment Default -s skip bad &&
	test "$(rung trials --json skip | json "len(j)" /dev/stdin)" = 1
'

test_expect_success 'a plain folder is not taken for an mlruns folder' '
	mkdir -p plain/a && cp "$RUNG_TESTDATA/csv/long-basic.csv" plain/a/ &&
	rung import -s plain plain &&
	rung studies --json | json "[s[\"source\"] for s in j if s[\"name\"] == \"plain\"]" /dev/stdin | grep -qv mlflow
'

test_done
