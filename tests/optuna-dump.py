#!/usr/bin/python3
# Read an Optuna storage through Optuna's own API, and check what rung
# exported from it.
#
#   optuna-dump.py STORAGE >dump.json
#       every study of an RDB storage (SQLite file) or of a JournalStorage
#       file (named *.journal, or any file that is not SQLite) as JSON:
#       directions, and per trial its number, state, parameters (with their
#       distribution's kind), intermediate values and objective values.
#   optuna-dump.py --upgrade STORAGE
#       upgrade an SQLite storage of an older schema in place with Optuna's
#       own alembic migrations (on a copy!), then dump it as above.
#   optuna-dump.py --best STORAGE STUDY
#       the number of Optuna's study.best_trial (one objective) or the
#       numbers of study.best_trials, the Pareto front (several), one a line.
#   optuna-dump.py --check DUMP STUDY EXPORT
#       compare rung's `export -f jsonl` of STUDY with the dump: every
#       trial, state, parameter and value, doubles compared exactly (NaN
#       equal to NaN). Prints what differs and exits 1 when anything does.
import json
import math
import sys
import warnings


def migrate(path):
    # Alembic alone: RDBStorage() would first create the head's missing
    # tables, which breaks migration v2.4.0.a of a v1 storage.
    import os
    from alembic import command
    from alembic.config import Config
    import optuna.storages._rdb.storage as rdb
    d = os.path.dirname(rdb.__file__)
    config = Config(os.path.join(d, "alembic.ini"))
    config.set_main_option("script_location", os.path.join(d, "alembic"))
    config.set_main_option("sqlalchemy.url", "sqlite:///" + path)
    import logging
    logging.disable(logging.INFO)
    command.upgrade(config, "head")


def open_storage(path, upgrade=False):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")
    with open(path, "rb") as f:
        sqlite = f.read(16) == b"SQLite format 3\0"
    if sqlite:
        if upgrade:
            migrate(path)
        return optuna.storages.RDBStorage("sqlite:///" + path,
                                          skip_compatibility_check=True)
    return optuna.storages.JournalStorage(
        optuna.storages.JournalFileStorage(path))


def best(path, name):
    import optuna
    study = optuna.load_study(study_name=name, storage=open_storage(path))
    if len(study.directions) == 1:
        print(study.best_trial.number)
    else:
        for t in sorted(study.best_trials, key=lambda t: t.number):
            print(t.number)


def dump(path, upgrade=False):
    import optuna
    storage = open_storage(path, upgrade)
    out = []
    for fs in storage.get_all_studies():
        trials = []
        for t in storage.get_all_trials(fs._study_id, deepcopy=False):
            params = {}
            for name, value in t.params.items():
                d = t.distributions[name]
                if isinstance(d, optuna.distributions.CategoricalDistribution):
                    kind = "categorical"
                elif isinstance(d, optuna.distributions.IntDistribution):
                    kind = "int"
                else:
                    kind = "float"
                params[name] = [kind, value]
            trials.append({
                "number": t.number,
                "state": t.state.name,
                "params": params,
                "intermediate": sorted([k, v] for k, v in
                                       t.intermediate_values.items()),
                "values": t.values,
            })
        out.append({
            "name": fs.study_name,
            "directions": [d.name for d in fs.directions],
            "trials": trials,
        })
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


STATES = {"COMPLETE": "complete", "PRUNED": "stopped", "FAIL": "failed",
          "RUNNING": "running", "WAITING": "running"}


def same(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) == type(b) and a == b


def expect_param(kind, value):
    # rung's spelling: a categorical choice as Python's str() writes it.
    if kind == "categorical":
        return str(value)
    if kind == "int":
        return int(value)
    return float(value)


def check(dumpfile, study, exportfile):
    with open(dumpfile) as f:
        studies = {s["name"]: s for s in json.load(f)}
    want = studies[study]
    want["trials"].sort(key=lambda t: t["number"])
    with open(exportfile) as f:
        got = [json.loads(line) for line in f]
    errors = []

    def err(msg):
        errors.append(msg)

    nobj = max(1, len(want["directions"]))
    names = ["value"] if nobj == 1 else ["value_%d" % k for k in range(nobj)]
    if len(got) != len(want["trials"]):
        err("%d trials exported, Optuna has %d" % (len(got),
                                                   len(want["trials"])))
    for w, g in zip(want["trials"], got):
        tid = str(w["number"])
        if g["id"] != tid:
            err("trial %s exported as '%s'" % (tid, g["id"]))
            continue
        if g["status"] != STATES[w["state"]]:
            err("trial %s: status %s, Optuna %s" % (tid, g["status"],
                                                     w["state"]))
        params = {}
        for name, (kind, value) in w["params"].items():
            params[name] = expect_param(kind, value)
        gp = {k: v for k, v in g["params"].items() if v is not None}
        for name in sorted(set(params) | set(gp)):
            if name not in gp or name not in params or \
                    not same(float(gp[name]) if isinstance(params[name],
                             float) and isinstance(gp[name], int)
                             else gp[name], params[name]):
                err("trial %s: parameter %s = %r, Optuna %r" % (
                    tid, name, gp.get(name), params.get(name)))
        # Every exported point, by metric.
        points = {}
        for metric in g:
            if metric in ("id", "status", "params", "steps", "seconds",
                          "metric", "directions"):
                continue
            for step, v in zip(g["steps"], g[metric]):
                if v is not None:
                    points[(metric, step)] = float(v)
        expect = {}
        for step, v in w["intermediate"]:
            expect[("intermediate", step)] = float(v)
        last = w["intermediate"][-1][0] if w["intermediate"] else 0
        if w["values"] is not None:
            for k, v in enumerate(w["values"]):
                if k < nobj and v is not None:
                    expect[(names[k], last)] = float(v)
        for key in sorted(set(points) | set(expect)):
            if key not in points or key not in expect or \
                    not same(points[key], expect[key]):
                err("trial %s: %s at step %d = %r, Optuna %r" % (
                    tid, key[0], key[1], points.get(key), expect.get(key)))
    for e in errors[:40]:
        print(e)
    if errors:
        print("%d differences" % len(errors))
        sys.exit(1)
    print("%d trials of '%s' agree with Optuna" % (len(got), study))


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--check":
        check(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 4 and sys.argv[1] == "--best":
        best(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "--upgrade":
        dump(sys.argv[2], upgrade=True)
    elif len(sys.argv) == 2:
        dump(sys.argv[1])
    else:
        sys.exit("usage: optuna-dump.py [--upgrade] STORAGE | "
                 "--best STORAGE STUDY | --check DUMP STUDY EXPORT")


if __name__ == "__main__":
    main()
