# An Optuna RDB storage (SQLite) of N trials x STEPS intermediate values,
# made with Optuna, for bench/optuna.sh and bench/scale.sh (see optuna.sh
# for why rows are written in bulk through Optuna's own models).
#
#   python3 optuna-gen.py PATH N STEPS
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
