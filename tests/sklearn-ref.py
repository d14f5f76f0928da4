#!/usr/bin/python3
# Reference predictions of scikit-learn for tests/t0070-predict-sklearn.sh.
#
#   sklearn-ref.py [--csv FIXTURE] DUMPDIR OUTDIR
#
# DUMPDIR holds the datasets that `tests/unit-predict --dump` built from the
# fixture through rung's importer and store (one file per case: y, then X,
# one row per line; the first TRAIN rows train, the rest are predicted).
# For each case this writes OUTDIR/ref-CASE.txt:
#
#   pred nu|eps C nu|epsilon tol  predictions of the test rows
#   grid nu|eps C gamma nu|epsilon score
#
# "pred": Pipeline(MinMaxScaler on X, NuSVR or SVR with gamma='scale'),
# the target scaled by its own MinMaxScaler and the predictions
# transformed back, as Swift-Hyperband's predictor does. "grid":
# GridSearchCV(NuSVR() or SVR(), cv=KFold(3), scoring='r2') on the
# training rows scaled beforehand, over rung's default grid (gamma as
# multiples of 'scale' of the scaled rows), and the mean R^2 it chose by.
#
# With --csv, the features are first rebuilt here from the fixture itself
# (float32 curve values, differences, parameters one-hot in first-seen
# order, lr as log10 where the case says so) and must equal rung's bit for
# bit.
#
# This file is part of rung (GPL-3.0-or-later).

import csv
import math
import os
import sys

import numpy as np
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.preprocessing import MinMaxScaler
from sklearn.svm import SVR, NuSVR

SETTINGS = [
    ("nu", 1.0, 0.5, 1e-3),
    ("nu", 10.0, 0.3, 1e-3),
    ("eps", 1.0, 0.1, 1e-3),
    ("eps", 10.0, 0.03, 1e-3),
]
GRID_C = [0.01, 0.1, 1, 10, 100]
GRID_NU = [0.1, 0.3, 0.5, 0.7, 0.9]
GRID_EPS = [0.01, 0.03, 0.1, 0.3, 1]
GRID_GAMMA = [0.01, 0.1, 1, 10, 100]

# Case name: (Baker features?, prefix K, parameters or None for all).
CASES = {
    "raw3": (False, 3, None),
    "raw8": (False, 8, None),
    "baker3": (True, 3, None),
    "baker8": (True, 8, ["training_dataset", "num_params", "depth", "lr"]),
}
TARGET = 20


def read_case(path):
    with open(path) as f:
        head = f.readline().split()
        train = int(head[head.index("train") + 1])
        rows = [list(map(float, line.split())) for line in f]
    a = np.array(rows, dtype=np.float64)
    return a[:, 1:], a[:, 0], train


def model(kind, c, v, tol, gamma="scale"):
    if kind == "nu":
        return NuSVR(C=c, nu=v, tol=tol, gamma=gamma)
    return SVR(C=c, epsilon=v, tol=tol, gamma=gamma)


def predictions(x, y, train, kind, c, v, tol):
    xs = MinMaxScaler().fit(x[:train])
    ys = MinMaxScaler().fit(y[:train].reshape(-1, 1))
    m = model(kind, c, v, tol)
    m.fit(xs.transform(x[:train]), ys.transform(y[:train].reshape(-1, 1)).ravel())
    p = m.predict(xs.transform(x[train:]))
    return ys.inverse_transform(p.reshape(-1, 1)).ravel()


def grid(x, y, train, kind):
    xs = MinMaxScaler().fit_transform(x[:train])
    ys = MinMaxScaler().fit_transform(y[:train].reshape(-1, 1)).ravel()
    var = xs.var()
    scale = 1.0 / (xs.shape[1] * var) if var != 0 else 1.0
    key = "nu" if kind == "nu" else "epsilon"
    params = {
        "C": GRID_C,
        "gamma": [g * scale for g in GRID_GAMMA],
        key: GRID_NU if kind == "nu" else GRID_EPS,
    }
    base = NuSVR() if kind == "nu" else SVR()
    gs = GridSearchCV(base, params, cv=KFold(3), scoring="r2")
    gs.fit(xs, ys)
    b = gs.best_params_
    return b["C"], b["gamma"], b[key], gs.best_score_


def features(rows, baker, k, names):
    """Rung's features, rebuilt from the CSV."""
    params = [c for c in rows[0].keys() if not c.startswith("acc_")]
    if names is not None:
        params = [p for p in params if p in names]
    levels = {}
    for p in params:
        try:
            for r in rows:
                float(r[p])
        except ValueError:
            levels[p] = []
            for r in rows:
                if r[p] not in levels[p]:
                    levels[p].append(r[p])
    out = []
    for r in rows:
        v = [float(np.float32(r["acc_%d" % i])) for i in range(1, k + 1)]
        f = list(v)
        if baker:
            d1 = [v[i + 1] - v[i] for i in range(k - 1)]
            d2 = [d1[i + 1] - d1[i] for i in range(k - 2)]
            f += d1 + d2
            for p in params:
                if p in levels:
                    f += [1.0 if r[p] == lv else 0.0 for lv in levels[p]]
                elif p == "lr" and names is not None:
                    f.append(math.log10(float(r[p])))  # libm, as rung
                else:
                    f.append(float(r[p]))
        out.append(f)
    return np.array(out, dtype=np.float64)


def main():
    args = sys.argv[1:]
    fixture = None
    if len(args) >= 2 and args[0] == "--csv":
        fixture = args[1]
        args = args[2:]
    if len(args) != 2:
        sys.exit("usage: sklearn-ref.py [--csv FIXTURE] DUMPDIR OUTDIR")
    dump, out = args
    rows = None
    if fixture is not None:
        with open(fixture, newline="") as f:
            rows = list(csv.DictReader(f))
    for name, (baker, k, names) in CASES.items():
        x, y, train = read_case(os.path.join(dump, name + ".txt"))
        if rows is not None:
            want = features(rows, baker, k, names)
            wy = np.array([float(np.float32(r["acc_%d" % TARGET])) for r in rows])
            if want.shape != x.shape or not np.array_equal(want, x) \
                    or not np.array_equal(wy, y):
                sys.exit("%s: rung's features differ from the fixture's" % name)
        with open(os.path.join(out, "ref-%s.txt" % name), "w") as f:
            f.write("# scikit-learn %s: %d rows of %d features, %d to train\n"
                    % (__import__("sklearn").__version__, x.shape[0],
                       x.shape[1], train))
            for kind, c, v, tol in SETTINGS:
                p = predictions(x, y, train, kind, c, v, tol)
                f.write("pred %s %r %r %r %s\n" % (kind, c, v, tol,
                        " ".join(repr(float(t)) for t in p)))
            for kind in ("nu", "eps"):
                f.write("grid %s %r %r %r %r\n" % ((kind,) + tuple(
                        float(t) for t in grid(x, y, train, kind))))


if __name__ == "__main__":
    main()
