#!/bin/sh
# make bench: rung's import of an Optuna RDB storage (SQLite) against
# Optuna's own reading of it, optuna.load_study(...).trials, on the same
# file in the same run, reported as a ratio. Needs /usr/bin/python3 with
# optuna (Debian: python3-optuna); skipped without it.
#
# The storage is made with Optuna: a study from optuna.create_study(), and
# trials from optuna.trial.create_trial() (Optuna validates each), written
# through Optuna's own SQLAlchemy models and stored-value conversions in
# bulk. study.add_trials() would write the same rows, but it issues a few
# ORM queries per intermediate value (about 600 values a second here), so
# that a million values would take half an hour.
#
# BENCH_OPTUNA_TRIALS (10000) and BENCH_OPTUNA_STEPS (100) change the size.
set -eu
: "${RUNG:?}" "${PEAK:?}"
py=/usr/bin/python3
if ! [ -x "$py" ] || ! "$py" -c 'import optuna' 2>/dev/null; then
	echo "bench optuna: skipped: $py cannot import optuna" \
	    "(install python3-optuna)"
	exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/rung-bench-optuna.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
trials=${BENCH_OPTUNA_TRIALS:-10000}
steps=${BENCH_OPTUNA_STEPS:-100}
points=$((trials * steps))

cat >"$work/gen.py" <<'EOF'
import datetime
import random
import sys
import time
import warnings

import optuna
from optuna.distributions import CategoricalDistribution
from optuna.distributions import FloatDistribution
from optuna.distributions import IntDistribution
from optuna.distributions import distribution_to_json
from optuna.storages._rdb import models

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.simplefilter("ignore")
path, n, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t0 = time.time()
rng = random.Random(1)
dists = {
    "lr": FloatDistribution(1e-5, 1e-1, log=True),
    "layers": IntDistribution(1, 8),
    "units": IntDistribution(4, 256, log=True),
    "dropout": FloatDistribution(0.0, 0.5, step=0.1),
    "optimizer": CategoricalDistribution(["adam", "sgd", "rmsprop"]),
}
storage = optuna.storages.RDBStorage("sqlite:///" + path)
study = optuna.create_study(study_name="bench", storage=storage,
                            direction="minimize")
sid = study._study_id
start = datetime.datetime(2024, 1, 1)
T, P, V, I = [], [], [], []
IV = models.TrialIntermediateValueModel
TV = models.TrialValueModel
for i in range(n):
    params = {
        "lr": 10 ** rng.uniform(-5, -1),
        "layers": rng.randint(1, 8),
        "units": rng.randint(4, 256),
        "dropout": rng.choice([0.0, 0.1, 0.2, 0.3, 0.4, 0.5]),
        "optimizer": rng.choice(["adam", "sgd", "rmsprop"]),
    }
    a = rng.uniform(0.5, 2.0)
    iv = {s: a / (s + 1) + rng.uniform(0, 0.01) for s in range(steps)}
    if i % 97 == 5:
        iv[steps // 2] = float("nan")
    ft = optuna.trial.create_trial(
        params=params, distributions=dists, value=iv[steps - 1],
        intermediate_values=iv)
    tid = i + 1
    T.append({"trial_id": tid, "number": i, "study_id": sid,
              "state": ft.state, "datetime_start": start,
              "datetime_complete": start})
    for name, value in ft.params.items():
        d = ft.distributions[name]
        P.append({"trial_id": tid, "param_name": name,
                  "param_value": d.to_internal_repr(value),
                  "distribution_json": distribution_to_json(d)})
    v, vt = TV.value_to_stored_repr(ft.value)
    V.append({"trial_id": tid, "objective": 0, "value": v, "value_type": vt})
    for s, x in ft.intermediate_values.items():
        v, vt = IV.intermediate_value_to_stored_repr(x)
        I.append({"trial_id": tid, "step": s, "intermediate_value": v,
                  "intermediate_value_type": vt})
with storage.engine.begin() as conn:
    for model, rows in ((models.TrialModel, T), (models.TrialParamModel, P),
                        (TV, V), (IV, I)):
        conn.execute(model.__table__.insert(), rows)
print("  generated %d trials x %d intermediate values in %.1f s" %
      (n, steps, time.time() - t0))
EOF

cat >"$work/load.py" <<'EOF'
import sys
import time
import warnings

t0 = time.time()
import optuna
optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.simplefilter("ignore")
t1 = time.time()
trials = optuna.load_study(study_name="bench",
                           storage="sqlite:///" + sys.argv[1]).trials
t2 = time.time()
n = sum(len(t.intermediate_values) for t in trials)
assert len(trials) == int(sys.argv[2]), len(trials)
assert n == int(sys.argv[2]) * int(sys.argv[3]), n
with open(sys.argv[4], "w") as f:
    f.write("%.3f %.3f\n" % (t2 - t1, t1 - t0))
EOF

. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

echo "generating an Optuna storage: $trials trials x $steps intermediate" \
    "values = $points points"
"$py" "$work/gen.py" "$work/bench.db" "$trials" "$steps"
ls -l "$work/bench.db" | awk '{ printf "  %.1f MB\n", $5 / 1e6 }'

echo "reading it: rung import (into a new rung.db), and Optuna's"
echo "optuna.load_study(...).trials (timed inside Python, and as a process)"
measure rung "$RUNG" -q -d "$work/rung.db" import "$work/bench.db"
got=$(sqlite3 "$work/rung.db" 'select count(*) from trials')
[ "$got" -eq "$trials" ] || { echo "bench optuna: rung imported $got" \
    "trials" >&2; exit 1; }
measure optuna "$py" "$work/load.py" "$work/bench.db" "$trials" "$steps" \
    "$work/inside"
inside=$(cut -d' ' -f1 "$work/inside")
startup=$(cut -d' ' -f2 "$work/inside")

printf '\n%-40s %10s %10s %10s\n' "Optuna storage, $trials trials" seconds \
    trials/s "peak MiB"
printf '%-40s %10s %10s %10d\n' "rung import" "$(secs rung)" \
    "$(rate "$trials" "$(secs rung)")" $(( $(kib rung) / 1024 ))
printf '%-40s %10s %10s %10s\n' "load_study().trials (inside Python)" \
    "$inside" "$(rate "$trials" "$inside")" "-"
printf '%-40s %10s %10s %10d\n' "python3 load_study().trials (process)" \
    "$(secs optuna)" "$(rate "$trials" "$(secs optuna)")" \
    $(( $(kib optuna) / 1024 ))
echo "  (of the process, $startup s is import optuna)"
printf 'ratio Optuna/rung: rung is %sx faster than load_study().trials' \
    "$(ratio "$inside" "$(secs rung)")"
printf ' inside Python (%sx as processes),\n' \
    "$(ratio "$(secs optuna)" "$(secs rung)")"
printf '  with %sx less peak memory than the Python process\n' \
    "$(ratio "$(kib optuna)" "$(kib rung)")"
