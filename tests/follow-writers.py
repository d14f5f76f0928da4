#!/usr/bin/python3
# Sources that grow while rung follows them (tests/t0018-import-follow.sh):
#
#   follow-writers.py optuna JOURNAL
#       a real Optuna study (Optuna 3.1, Debian 12 python3-optuna) that
#       optimises into a JournalStorage file, a trial at a time, reporting
#       each step (MedianPruner prunes some; one trial raises), paced so
#       that a follower sees it run.
#   follow-writers.py runs DIR
#       run folders written by a real training loop (scikit-learn's
#       MLPClassifier on its bundled digits, one partial_fit an epoch), a
#       CSV row an epoch, flushed as a training script's logger does;
#       runs start one after another, and the last one is restarted in
#       place (its log truncated and written anew).
import csv
import json
import math
import os
import sys
import time
import warnings

PACE = 0.01


def optuna_study(path):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.simplefilter("ignore")
    storage = optuna.storages.JournalStorage(
        optuna.storages.JournalFileStorage(path))
    study = optuna.create_study(
        study_name="live", storage=storage, direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=11, n_startup_trials=6),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=3,
                                           n_warmup_steps=2))

    def objective(trial):
        x = trial.suggest_float("x", -4.0, 4.0)
        lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
        width = trial.suggest_int("width", 8, 128, log=True)
        if trial.number == 7:
            raise RuntimeError("a simulated crash")
        v = 0.0
        for step in range(1, 13):
            v = (x * x + abs(math.log10(lr) + 2)) / step + 1.0 / width
            trial.report(v, step)
            time.sleep(PACE)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return v

    study.optimize(objective, n_trials=30, catch=(RuntimeError,))


def runs(out):
    import numpy as np
    from sklearn.datasets import load_digits
    from sklearn.neural_network import MLPClassifier
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    tr, va = slice(0, 1300), slice(1300, None)

    def train(name, lr, epochs):
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "params.json"), "w") as f:
            json.dump({"lr": lr, "hidden": 16}, f)
        net = MLPClassifier(hidden_layer_sizes=(16,), solver="sgd",
                            learning_rate_init=lr, random_state=0)
        with open(os.path.join(d, "log.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["epoch", "val_loss", "val_acc"])
            f.flush()
            for epoch in range(1, epochs + 1):
                net.partial_fit(X[tr], y[tr], classes=np.arange(10))
                p = net.predict_proba(X[va])
                loss = float(-np.mean(np.log(p[np.arange(len(p)),
                                                 y[va]] + 1e-12)))
                acc = float(np.mean(np.argmax(p, 1) == y[va]))
                w.writerow([epoch, repr(loss), repr(acc)])
                f.flush()
                time.sleep(PACE * 10)

    warnings.simplefilter("ignore")
    for i, lr in enumerate([0.3, 0.1, 0.03, 0.01]):
        train(f"run{i}", lr, 8)
    # Restarted in place: the same folder, its log written anew.
    train("run3", 0.05, 6)


if __name__ == "__main__":
    {"optuna": optuna_study, "runs": runs}[sys.argv[1]](sys.argv[2])
