#!/usr/bin/python3
# An independent reading of an HpBandSter results directory (configs.json,
# results.json), checked against `rung export -f jsonl` of its study:
# check-hpbandster.py DIR EXPORT.jsonl [PREFIX]
# A trial per config_id ("i-j-k", PREFIX: before it when given), a step per
# budget, result.loss as loss, the numbers of result.info as metrics unless
# constant over the trial (then parameters), finished - started as seconds,
# the status from the largest budget and the exception.
import json, os, sys

d, export = sys.argv[1], sys.argv[2]
prefix = sys.argv[3] + ":" if len(sys.argv) > 3 else ""
tid = lambda c: prefix + "-".join(str(x) for x in c)
params, runs = {}, {}
for line in open(os.path.join(d, "configs.json")):
    cid, cfg, _ = json.loads(line)
    params[tid(cid)] = cfg
for line in open(os.path.join(d, "results.json")):
    cid, budget, ts, res, exc = json.loads(line)
    runs.setdefault(tid(cid), {})[int(budget)] = (ts, res, exc)
top = max(b for r in runs.values() for b in r)
got = {}
for line in open(export):
    r = json.loads(line)
    got[r["id"]] = r
assert set(got) == set(params) | set(runs), sorted(set(got) ^ set(params))
infos = set(k for r in runs.values() for (_, res, _) in r.values() if res
            for k, v in res["info"].items() if isinstance(v, (int, float)))
nvalues = 0
for t, rec in got.items():
    r = runs.get(t, {})
    steps = sorted(r)
    assert rec["steps"] == steps, (t, rec["steps"], steps)
    if not r:
        assert rec["status"] == "running", (t, rec["status"])
        continue
    last = r[steps[-1]]
    want = ("failed" if last[2] is not None or last[1] is None else
            "complete" if steps[-1] == top else "stopped")
    assert rec["status"] == want, (t, rec["status"], want)
    loss = [r[s][1]["loss"] if r[s][1] else None for s in steps]
    assert rec["loss"] == loss, (t, rec["loss"], loss)
    nvalues += sum(v is not None for v in loss)
    secs = [r[s][0]["finished"] - r[s][0]["started"] for s in steps]
    assert all(abs(a - b) <= 1e-9 * abs(b) for a, b in zip(rec["seconds"], secs)), t
    for k in infos:
        vals = [r[s][1]["info"].get(k) if r[s][1] else None for s in steps]
        if k in rec:
            assert rec[k] == vals, (t, k, rec[k], vals)
            nvalues += sum(v is not None for v in vals)
        else:
            # A parameter: the same at every budget of every trial.
            assert rec["params"][k] == vals[0] and len(set(vals)) == 1, (t, k)
    for k, v in params.get(t, {}).items():
        assert rec["params"][k] == v, (t, k, rec["params"][k], v)
    for k, v in rec["params"].items():
        assert k in params.get(t, {}) or k in infos or v is None, (t, k)
print(len(got), "trials,", nvalues, "values checked")
