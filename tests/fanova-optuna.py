#!/usr/bin/python3
"""Optuna's own fANOVA (FanovaImportanceEvaluator, scikit-learn's forest) on
the trials of a rung study, the peer rung importance --method fanova is
held to.

usage: fanova-optuna.py EXPORT.jsonl PARAMS.json METRIC SEED...

EXPORT.jsonl is `rung export -f jsonl STUDY`, PARAMS.json the study's
parameters as `sqlite3 -json` gives them. The trials go into an Optuna
study in memory, each parameter's distribution spanning the values taken
(as rung's search space does), with their final METRIC values; a
parameter of one value is left out, and so are the trials that do not set
every other (as Optuna's evaluator does). Prints, for each SEED, a line of
JSON: each parameter's importance.
"""
import json
import math
import sys
import warnings

warnings.simplefilter("ignore")
import optuna  # noqa: E402
from optuna.distributions import (  # noqa: E402
    CategoricalDistribution, FloatDistribution, IntDistribution)

optuna.logging.set_verbosity(optuna.logging.WARNING)


def final(trial, metric):
    v = [x for x in trial.get(metric, []) if x is not None]
    return v[-1] if v else None


def main():
    export, spec, metric = sys.argv[1:4]
    seeds = [int(s) for s in sys.argv[4:]]
    rows = [(t, final(t, metric)) for t in map(json.loads, open(export))]
    rows = [(t, y) for t, y in rows if y is not None and math.isfinite(y)]
    dists = {}
    # An unset parameter is null in the export.
    for t, _ in rows:
        t["params"] = {k: v for k, v in t["params"].items() if v is not None}
    for p in json.load(open(spec)):
        xs = [t["params"][p["name"]] for t, _ in rows
              if p["name"] in t["params"]]
        if len(set(xs)) < 2:
            continue
        if p["type"] == "categorical":
            dists[p["name"]] = CategoricalDistribution(sorted(set(xs)))
        elif p["type"] == "int":
            dists[p["name"]] = IntDistribution(min(xs), max(xs))
        else:
            dists[p["name"]] = FloatDistribution(min(xs), max(xs))
    rows = [(t, y) for t, y in rows if all(k in t["params"] for k in dists)]
    study = optuna.create_study()
    for t, y in rows:
        study.add_trial(optuna.trial.create_trial(
            params={k: t["params"][k] for k in dists},
            distributions=dists, value=y))
    for seed in seeds:
        ev = optuna.importance.FanovaImportanceEvaluator(seed=seed)
        print(json.dumps(optuna.importance.get_param_importances(
            study, evaluator=ev)))


main()
