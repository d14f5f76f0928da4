#!/bin/sh
# make bench: a sweep of prefixes with a 5x5x5 grid and 3-fold CV on a
# 1000-trial TaskSet study, by rung fit and by scikit-learn's
# GridSearchCV(NuSVR) on the very rows rung searched (rung fit --dump), in
# the same run, on the same cores. Reports both times, the ratio, and
# whether both chose the same parameters for every prefix.
set -eu
: "${RUNG:?}" "${PEAK:?}"
here=$(cd "$(dirname "$0")" && pwd)
shared=${RUNG_SHARED_DATA:-$here/../../shared/data}
[ -d "$shared" ] || shared=$here/../shared/data
file=$shared/taskset/FixedTextRNNClassification_imdb_patch32_GRU128_bs128.json
prefixes=${BENCH_FIT_PREFIXES:-5,10,15,20,25,30,35,40,45,50}
jobs=${BENCH_JOBS:-2}

if [ ! -f "$file" ]; then
	echo "predict bench: no $file: skipped"
	exit 0
fi
if ! /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
	echo "predict bench: /usr/bin/python3 has no sklearn (python3-sklearn): skipped"
	exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/rung-bench-fit.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

"$RUNG" -q -d "$work/p.db" import -s taskset "$file"
mkdir "$work/dump"
echo "rung fit: prefixes $prefixes of a 1000-trial TaskSet study, 5x5x5 grid, 3 folds, $jobs threads"
"$PEAK" "$RUNG" -d "$work/p.db" fit --prefix "$prefixes" --search grid \
	--folds 3 -j "$jobs" --dump "$work/dump" --json taskset \
	>"$work/rung.json" 2>"$work/rung.err" || { cat "$work/rung.err"; exit 1; }
rung_s=$(tail -n 1 "$work/rung.err" | cut -d' ' -f1)

/usr/bin/python3 - "$work" "$rung_s" "$jobs" <<'PY'
import json, os, sys, time
import numpy as np
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.svm import NuSVR

work, rung_s, jobs = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
rows = {r["prefix"]: r for r in json.load(open(os.path.join(work, "rung.json")))["rows"]}
total = 0.0
same = 0
for k in sorted(rows):
    data = np.loadtxt(os.path.join(work, "dump", "train-%d.csv" % k), delimiter=",", ndmin=2)
    y, X = data[:, 0], data[:, 1:]
    var = X.var()
    scale = 1.0 / (X.shape[1] * var) if var != 0 else 1.0
    grid = {"C": [0.01, 0.1, 1, 10, 100], "nu": [0.1, 0.3, 0.5, 0.7, 0.9],
            "gamma": [scale * m for m in (0.01, 0.1, 1, 10, 100)]}
    t = time.perf_counter()
    gs = GridSearchCV(NuSVR(tol=1e-3), grid, cv=KFold(3), scoring="r2",
                      n_jobs=jobs, refit=False).fit(X, y)
    total += time.perf_counter() - t
    b = gs.best_params_
    p = rows[k]["params"]
    ok = p["C"] == b["C"] and p["nu"] == b["nu"] and abs(p["gamma"] - b["gamma"]) <= 1e-12 * b["gamma"]
    same += ok
    print("  prefix %2d: %4d rows, GridSearchCV chose C=%g nu=%g gamma=%.6g, rung C=%g nu=%g gamma=%.6g %s"
          % (k, len(y), b["C"], b["nu"], b["gamma"], p["C"], p["nu"], p["gamma"], "same" if ok else "DIFFERENT"))
print()
print("%-44s %10s" % ("", "seconds"))
print("%-44s %10.2f" % ("rung fit (search, final fits, test scores)", rung_s))
print("%-44s %10.2f" % ("GridSearchCV(NuSVR), search only, n_jobs=%d" % jobs, total))
print("ratio GridSearchCV/rung: rung is %.2fx as fast; the same choice for %d of %d prefixes"
      % (total / rung_s, same, len(rows)))
PY
