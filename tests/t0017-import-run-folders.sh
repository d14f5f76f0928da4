#!/bin/sh
# A folder per run, as PyTorch training writes them through Lightning's
# CSVLogger, Hydra's multirun and an argparse script: each log read by its
# format, its parameters from the files beside and above it, the files of
# no known layout named once; checked value by value against an independent
# reading of the folders (csv, json, PyYAML). --include, --exclude, -f runs.
. "$RUNG_SRCDIR/tests/lib.sh"

if ! /usr/bin/python3 -c 'import torch, yaml, sklearn' 2>/dev/null; then
	test_skip 'run folders written by PyTorch training' 'no python3-torch'
	test_done
	exit 0
fi

cat >expect.py <<'PY'
import csv, json, os, sys, yaml
root, export = sys.argv[1], sys.argv[2]
only = sys.argv[3] if len(sys.argv) > 3 else ""

def flat(d, pre=""):
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(flat(v, pre + k + "/"))
        else:
            out[pre + k] = v
    return out

want = {}
for dirpath, dirs, files in os.walk(root):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    rel = os.path.relpath(dirpath, root)
    if only and not rel.startswith(only):
        continue
    params, curves = {}, {}
    if "metrics.csv" in files:          # Lightning: epoch is the step
        for row in csv.DictReader(open(os.path.join(dirpath, "metrics.csv"))):
            for k, v in row.items():
                if k not in ("epoch", "step") and v != "":
                    curves.setdefault(k, {})[int(row["epoch"])] = float(v)
        params = flat(yaml.safe_load(open(os.path.join(dirpath, "hparams.yaml"))))
    elif "log.jsonl" in files:          # Hydra: constant keys are parameters
        recs = [json.loads(l) for l in open(os.path.join(dirpath, "log.jsonl"))]
        for r in recs:
            for k, v in r.items():
                if k != "epoch":
                    curves.setdefault(k, {})[r["epoch"]] = v
        for k in list(curves):
            if len(set(curves[k].values())) == 1:
                params[k] = curves.pop(k)[recs[0]["epoch"]]
        cfg = yaml.safe_load(open(os.path.join(dirpath, ".hydra", "config.yaml")))
        params.update(flat(cfg))
        for o in yaml.safe_load(open(os.path.join(dirpath, ".hydra", "overrides.yaml"))):
            k, v = o.lstrip("+").split("=", 1)
            node = cfg
            for part in k.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if node is None:
                params[k.replace(".", "/")] = yaml.safe_load(v)
    elif "metrics.jsonl" in files:      # a script: nested keys with /
        for line in open(os.path.join(dirpath, "metrics.jsonl")):
            r = json.loads(line)
            for k, v in flat(r).items():
                if k != "step":
                    curves.setdefault(k, {})[r["step"]] = v
        params = json.load(open(os.path.join(dirpath, "args.json")))
    else:
        continue
    want[rel] = (params, curves)

# Each run is named by its folder below the folder imported.
got = {json.loads(l)["id"]: json.loads(l) for l in open(export)}
assert set(got) == set(want), (sorted(got), sorted(want))
n = 0
for t, (params, curves) in want.items():
    r = got[t]
    for k, v in params.items():
        assert r["params"][k] == v, (t, k, r["params"][k], v)
    for k, pts in curves.items():
        have = {s: x for s, x in zip(r["steps"], r[k]) if x is not None}
        assert have == pts, (t, k, have, pts)
        n += len(pts)
print(len(want), "runs,", n, "values checked")
PY

test_expect_success 'PyTorch writes the runs' '
	/usr/bin/python3 "$RUNG_SRCDIR/tests/make-torch-runs.py" runs &&
	test -f runs/lightning_logs/version_2/metrics.csv &&
	test -f runs/multirun/2026-12-05/10-00-00/1/.hydra/overrides.yaml
'

test_expect_success 'a folder of run folders imports exactly, each run named by its folder below it' '
	rung import -s all runs 2>err &&
	rung export -f jsonl all >all.jsonl &&
	/usr/bin/python3 expect.py runs all.jsonl >out &&
	grep "^7 runs," out
'

test_expect_success 'what no importer reads is named once, and left out' '
	grep -c "of no layout rung knows" err >n && test "$(cat n)" -eq 1 &&
	grep "5 files of no layout rung knows, left out: .runs/LICENSE., .runs/README.md., .runs/lightning_logs/version_0/model.pt., .runs/lightning_logs/version_1/model.pt., .runs/lightning_logs/version_2/model.pt." err
'

test_expect_success 'Hydra: the composed config, and the overrides it lacks' '
	rung show --json all multirun/2026-12-05/10-00-00/1 >h.json &&
	test "$(json "j[\"params\"][\"optim/lr\"]" h.json)" = 0.2 &&
	test "$(json "j[\"params\"][\"model/act\"]" h.json)" = relu &&
	test "$(json "j[\"params\"][\"seed\"]" h.json)" = 1
'

test_expect_success '-f runs reads each log by its own format, as detection does' '
	rung import -s forced -f runs runs 2>/dev/null &&
	rung export -f jsonl forced >forced.jsonl &&
	/usr/bin/python3 expect.py runs forced.jsonl >out &&
	grep "^7 runs," out
'

test_expect_success '--include chooses the logs, by name or by path' '
	rung import -s inc --include "*.csv" runs 2>err &&
	rung export -f jsonl inc >inc.jsonl &&
	/usr/bin/python3 expect.py runs inc.jsonl lightning_logs >out &&
	grep "^3 runs," out && ! grep "no layout" err &&
	rung import -s incpath --include "scripts/*/*.jsonl" runs &&
	test "$(rung trials --json incpath | /usr/bin/python3 -c "import json,sys; print(len(json.load(sys.stdin)))")" -eq 2
'

test_expect_success '--exclude leaves out files and whole folders' '
	rung import -s exc --exclude lightning_logs,scripts --exclude "*.md" --exclude LICENSE runs 2>err &&
	rung export -f jsonl exc >exc.jsonl &&
	/usr/bin/python3 expect.py runs exc.jsonl multirun >out &&
	grep "^2 runs," out && ! grep "no layout" err
'

test_expect_success 'a folder of nothing rung knows is refused, saying so' '
	mkdir empty && cp runs/LICENSE runs/README.md empty/ &&
	expect_fail 1 rung import -s none empty &&
	grep_err "no file to import in .empty.: none of a layout rung knows"
'

test_expect_success 'a broken log under a folder is an error, not a skip' '
	mkdir broken && cp -r runs/scripts broken/ &&
	printf "{\"step\": 1, \"val\": {\"loss\": 0.5}}\n{\"step\": \"two\"}\n" >broken/scripts/run_lr0.1/metrics.jsonl &&
	expect_fail 1 rung import -s broken broken &&
	grep_err "broken/scripts/run_lr0.1/metrics.jsonl:2: field .step.: expected a whole number (the step), got a string"
'

test_expect_success 'a log of a known layout that cannot be read fails the import' '
	mkdir utf16 && cp -r runs/scripts utf16/ && cp runs/LICENSE utf16/ &&
	printf "\377\376e\000p\000" >utf16/scripts/zz.csv &&
	before=$(db_digest) &&
	expect_fail 1 rung import -s utf16 utf16 &&
	grep_err "utf16/scripts/zz.csv: UTF-16 text" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a bad parameter file names itself' '
	mkdir badp && cp -r runs/lightning_logs/version_0 badp/ &&
	printf "lr: [0.1\n" >badp/version_0/hparams.yaml &&
	expect_fail 1 rung import -s badp badp &&
	grep_err "badp/version_0/hparams.yaml"
'

test_done
