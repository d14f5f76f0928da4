#!/usr/bin/python3
# Write a small Optuna campaign with Optuna itself, twice: into an RDB
# storage (SQLite file) and into a JournalStorage file. The same seeded
# samplers see the same history in both, so both hold the same trials.
#
#   optuna-make.py OUTDIR [NAME]    writes OUTDIR/NAME.db, OUTDIR/NAME.journal
#
# Study "pruned" (minimize, MedianPruner): float, log-float, int, log-int,
# stepped float, stepped int and a categorical of mixed types; some trials
# report NaN (they are pruned) or +inf, one raises an exception (FAIL), one
# is left RUNNING and one WAITING. Study "multi": two objectives.
#
# tests/data/optuna/pruned.db and pruned.journal were made by this script
# with Optuna 3.1.0 (Debian 12 python3-optuna).
import math
import os
import sys
import warnings

import optuna

CHOICES = ["adam", "sgd", 1, 2.5, False, None]


def objective(trial):
    x = trial.suggest_float("x", -5.0, 5.0)
    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    layers = trial.suggest_int("layers", 1, 8)
    units = trial.suggest_int("units", 4, 256, log=True)
    dropout = trial.suggest_float("dropout", 0.0, 0.5, step=0.1)
    batch = trial.suggest_int("batch", 16, 128, step=16)
    opt = trial.suggest_categorical("optimizer", CHOICES)
    if trial.number == 5:
        raise RuntimeError("a simulated crash")
    base = x * x + abs(math.log10(lr) + 3) + 0.1 * layers + dropout
    v = base
    for step in range(1, 16):
        v = base / step + 1.0 / units + batch / 1000.0
        if opt is None and step >= 5:
            v = float("nan")    # diverged: returning NaN fails it
        elif opt is False and step == 1:
            v = float("inf")
        elif opt == 2.5 and step == 3:
            v = float("-inf")
        trial.report(v, step)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return v


def multi(trial):
    a = trial.suggest_float("a", -2.0, 2.0)
    k = trial.suggest_int("k", 1, 5)
    c = trial.suggest_categorical("c", ["u", "v"])
    if trial.number == 2:
        return float("inf"), -1.0
    return a * a + k, math.sin(a) * k + (0.5 if c == "u" else 0.0)


def campaign(storage):
    study = optuna.create_study(
        study_name="pruned", storage=storage, direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=7, n_startup_trials=8),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=3,
                                           n_warmup_steps=2))
    study.optimize(objective, n_trials=24, catch=(RuntimeError,))
    # One trial left running, with a parameter and a report...
    t = study.ask()
    t.suggest_float("x", -5.0, 5.0)
    t.report(0.25, 1)
    # ...and one waiting in the queue.
    study.enqueue_trial({"x": 0.5})

    m = optuna.create_study(
        study_name="multi", storage=storage,
        directions=["minimize", "maximize"],
        sampler=optuna.samplers.NSGAIISampler(seed=3))
    m.optimize(multi, n_trials=8)


def main():
    out = sys.argv[1]
    name = sys.argv[2] if len(sys.argv) > 2 else "pruned"
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")
    db = os.path.join(out, name + ".db")
    journal = os.path.join(out, name + ".journal")
    for f in (db, journal):
        if os.path.exists(f):
            os.unlink(f)
    campaign("sqlite:///" + os.path.abspath(db))
    campaign(optuna.storages.JournalStorage(
        optuna.storages.JournalFileStorage(journal)))


if __name__ == "__main__":
    main()
