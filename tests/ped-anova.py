#!/usr/bin/python3
"""PED-ANOVA (Watanabe, Bansal and Hutter, IJCAI 2023) written from the
paper, in plain Python, as the reference rung importance is held to.

usage: ped-anova.py EXPORT.jsonl PARAMS.json METRIC min|max QUANTILE AT

EXPORT.jsonl is `rung export -f jsonl STUDY`; PARAMS.json the study's
parameters as `sqlite3 -json` gives them (name, type, log); AT is "final"
or a step. Prints a JSON object: each parameter's share of importance, or
null where it has none (fewer than two distinct values among the trials
with a value, or fewer than two top trials that set it).

The method, as rung's manual gives it: the top is the trials whose loss
(the value, negated when higher is better) is at most the QUANTILE-quantile
of the losses (the ceil(q n)-th smallest) and at most the second smallest;
a numerical parameter is put on a grid of G points over the values taken
(log-scaled when log), G = 50 or, for an integer, its number of values
(ceil(log2 range) + 1 when log) when fewer; each value goes to the nearest
point (ties to the lower); each set's density is a mixture of discretised,
truncated Gaussians at the occupied points, weighted by their counts, with
Scott's bandwidth 1.059 min(IQR / 1.34, sd) n^-1/5 at least 0.5 / 1.64; a
categorical parameter's density is the share of each level; importance is
Pearson's divergence sum p_all (p_top / p_all - 1)^2 (both + 1e-12),
normalised to sum 1.
"""
import json
import math
import struct
import sys

GRID = 50
EPS = 1e-12


def f32(v):
    return struct.unpack("f", struct.pack("f", v))[0]


def value(trial, metric, at):
    steps, vals = trial["steps"], trial.get(metric, [])
    pts = [(s, v) for s, v in zip(steps, vals) if v is not None]
    if not pts:
        return None
    if at == "final":
        return pts[-1][1]
    k = int(at)
    if pts[-1][0] < k or pts[0][0] > k:
        return None
    v = [v for s, v in pts if s <= k][-1]
    return f32(v)


def phi(z):
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def parzen(counts):
    g = len(counts)
    n = float(sum(counts))
    mean = sum(k * (c / n) for k, c in enumerate(counts))
    var = sum((k - mean) ** 2 * c for k, c in enumerate(counts) if c > 0)
    sd = math.sqrt(var / max(1.0, n - 1))
    occupied = [k for k, c in enumerate(counts) if c > 0]
    cum, q25, q75 = 0.0, None, None
    for k in occupied:
        cum += counts[k]
        if q25 is None and cum >= math.floor(n / 4):
            q25 = k
        if q75 is None and cum > math.floor(3 * n / 4):
            q75 = k
    if q75 is None:
        q75 = occupied[-1]
    sigma = 1.059 * min((q75 - q25) / 1.34, sd) * n ** -0.2
    if not sigma >= 0.5 / 1.64:
        sigma = 0.5 / 1.64
    pdf = [0.0] * g
    for j in occupied:
        z = phi((g - 1 + 0.5 - j) / sigma) - phi((-0.5 - j) / sigma)
        for k in range(g):
            pdf[k] += (counts[j] / n) * (phi((k + 0.5 - j) / sigma) -
                                        phi((k - 0.5 - j) / sigma)) / z
    return pdf


def pearson(top, all_):
    d = 0.0
    for t, a in zip(top, all_):
        a, t = a + EPS, t + EPS
        d += a * (t / a - 1) * (t / a - 1)
    return d


def divergence(p, xs, top):
    """xs: the parameter's value per trial with a value (None: unset)."""
    if p["type"] == "categorical":
        keys = sorted({x for x in xs if x is not None})
        cells = [keys.index(x) if x is not None else None for x in xs]
        g = len(keys)
    else:
        logp = p["log"] == 1
        scaled = [None if x is None or (logp and x <= 0)
                  else (math.log(x) if logp else float(x)) for x in xs]
        vals = [v for v in scaled if v is not None]
        raw = [x for x, v in zip(xs, scaled) if v is not None]
        if not vals or min(vals) == max(vals):
            return None
        lo, hi = min(vals), max(vals)
        g = GRID
        if p["type"] == "int":
            n = max(raw) - min(raw) + 1
            if logp:
                n = math.ceil(math.log(n) / math.log(2.0)) + 1
            g = min(g, int(n))
        step = (hi - lo) / (g - 1)
        grid = [k * step + lo for k in range(g - 1)] + [hi]
        h = (1 * step + lo) - lo
        cells = []
        for v in scaled:
            if v is None:
                cells.append(None)
                continue
            k = 0
            while k < g and grid[k] < v - h / 2:
                k += 1
            cells.append(min(k, g - 1))
    call, ctop = [0.0] * g, [0.0] * g
    for c, t in zip(cells, top):
        if c is None:
            continue
        call[c] += 1
        if t:
            ctop[c] += 1
    if len({c for c in cells if c is not None}) < 2 or sum(ctop) < 2:
        return None
    if p["type"] == "categorical":
        pall = [c / sum(call) for c in call]
        ptop = [c / sum(ctop) for c in ctop]
    else:
        pall, ptop = parzen(call), parzen(ctop)
    return pearson(ptop, pall)


def main():
    export, spec, metric, direction, q, at = sys.argv[1:7]
    q = float(q)
    trials = [json.loads(line) for line in open(export)]
    params = json.load(open(spec))
    ys = [value(t, metric, at) for t in trials]
    keep = [(t, y) for t, y in zip(trials, ys)
            if y is not None and math.isfinite(y)]
    loss = [(-y if direction == "max" else y) for _, y in keep]
    s = sorted(loss)
    n = len(s)
    qi = max(int(math.ceil(q * n)) - 1, 0)
    cutoff = max(s[1], s[min(qi, n - 1)])
    top = [l <= cutoff for l in loss]
    div = {}
    for p in params:
        xs = [t["params"].get(p["name"]) for t, _ in keep]
        div[p["name"]] = divergence(p, xs, top)
    have = [d for d in div.values() if d is not None]
    total = sum(have)
    out = {k: (None if d is None else
               (d / total if total > 0 else 1.0 / len(have)))
           for k, d in div.items()}
    print(json.dumps(out))


main()
