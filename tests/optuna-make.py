#!/usr/bin/python3
# Write a small Optuna campaign with Optuna itself, twice: into an RDB
# storage (SQLite file) and into a JournalStorage file. The same seeded
# samplers see the same history in both, so both hold the same trials.
#
#   optuna-make.py OUTDIR [NAME]    writes OUTDIR/NAME.db, OUTDIR/NAME.journal
#   optuna-make.py --ranked OUTDIR  writes OUTDIR/ranked.db, ranked.journal
#
# Study "pruned" (minimize, MedianPruner): float, log-float, int, log-int,
# stepped float, stepped int and a categorical of mixed types; some trials
# report NaN (they are pruned) or +inf, one raises an exception (FAIL), one
# is left RUNNING and one WAITING. Study "multi": two objectives.
#
# --ranked: study "ranked" (minimize, MedianPruner) whose objective is not
# its last intermediate value, so that the best trial (study.best_trial) is
# not the one with the best report; trial 4 is pruned with the lowest value
# of all, which best_trial passes over as it is no COMPLETE trial; and
# categorical choices that are numbers, listed out of order. Study
# "objectives": three objectives (min, max, min), choices of numbers too.
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


def ranked(trial):
    x = trial.suggest_float("x", -3.0, 3.0)
    units = trial.suggest_categorical("units", [128, 16, 256, 32, 64])
    for step in range(1, 11):
        if trial.number == 4 and step == 3:
            trial.report(-100.0, step)
            raise optuna.TrialPruned()
        # The curve is best near x = 0, the objective near x = 1.5.
        trial.report((x * x + 1.0) / step + units / 10000.0, step)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return (x - 1.5) ** 2 + units / 1000.0


def objectives(trial):
    a = trial.suggest_float("a", 0.0, 1.0)
    w = trial.suggest_categorical("width", [1024, 8, 512, 64])
    return a + w / 1000.0, a * a, (1.0 - a) * w / 100.0


def ranked_campaign(storage):
    study = optuna.create_study(
        study_name="ranked", storage=storage, direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=11, n_startup_trials=6),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=4,
                                           n_warmup_steps=3))
    study.optimize(ranked, n_trials=30)
    m = optuna.create_study(
        study_name="objectives", storage=storage,
        directions=["minimize", "maximize", "minimize"],
        sampler=optuna.samplers.RandomSampler(seed=5))
    m.optimize(objectives, n_trials=12)


def main():
    args = sys.argv[1:]
    make = campaign
    if args and args[0] == "--ranked":
        args = [args[1], "ranked"]
        make = ranked_campaign
    out = args[0]
    name = args[1] if len(args) > 1 else "pruned"
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")
    db = os.path.join(out, name + ".db")
    journal = os.path.join(out, name + ".journal")
    for f in (db, journal):
        if os.path.exists(f):
            os.unlink(f)
    make("sqlite:///" + os.path.abspath(db))
    make(optuna.storages.JournalStorage(
        optuna.storages.JournalFileStorage(journal)))


if __name__ == "__main__":
    main()
