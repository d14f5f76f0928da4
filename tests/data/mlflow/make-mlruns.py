#!/usr/bin/python3
# Writes tests/data/mlflow/mlruns: an MLflow file store holding a real small
# sweep (scikit-learn's SGDClassifier and MLPClassifier trained an epoch at
# a time on its bundled digits), laid out byte for byte as MLflow's
# FileStore (mlflow/store/tracking/file_store.py, mlflow/utils/file_utils.py)
# writes it. MLflow is not in Debian: the few writes FileStore makes are
# restated below, with the same calls (yaml.dump of a sorted dict with
# default_flow_style=False, metric lines f"{timestamp} {value} {step}\n",
# params and tags written as text without a newline).
#
#   0/            Default, one run
#   <id>/         sgd-sweep: a parent run and its nested children, one
#                 FAILED, one KILLED and retried under the same name, one
#                 RUNNING, one deleted; keys with '/' (train/loss, val/loss,
#                 model/penalty); experiment tags
#   <id>/         mlp-sweep: runs as MLflow 1.x wrote them (no run_name or
#                 deleted_time in meta.yaml: the name is a tag), one without
#                 any name
#   .trash/<id>/  old-sweep, a deleted experiment
#
# Usage: make-mlruns.py [DIR]   (default: mlruns beside this script)
import os
import random
import shutil
import sys
import time
import uuid

import numpy as np
import yaml
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "mlruns")
rng = random.Random(18)
# Where the store was when it was written, as MLflow records it.
URI = "file:///home/rung/mlruns"
RUNNING, SCHEDULED, FINISHED, FAILED, KILLED = 1, 2, 3, 4, 5


def now_ms():
    return int(time.time() * 1000)


def write_yaml(path, data):
    # file_utils.write_yaml
    with open(path, "w", encoding="utf-8") as f:
        yaml.dump(data, f, default_flow_style=False, allow_unicode=True,
                  sort_keys=True, Dumper=yaml.SafeDumper)


def write_to(path, text):
    # file_utils.write_to, after make_containing_dirs
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class Store:
    """The writes of FileStore, for the parts of a run this test needs."""

    def __init__(self, root):
        self.root = root
        os.makedirs(os.path.join(root, ".trash"), exist_ok=True)
        self.exps = {}

    def create_experiment(self, name, exp_id=None, tags=None):
        exp_id = exp_id or str(rng.randrange(10**17, 10**18))
        d = os.path.join(self.root, exp_id)
        os.makedirs(d)
        t = now_ms()
        write_yaml(os.path.join(d, "meta.yaml"), {
            "artifact_location": URI + "/" + exp_id,
            "creation_time": t, "experiment_id": exp_id,
            "last_update_time": t, "lifecycle_stage": "active",
            "name": name})
        for k, v in (tags or {}).items():
            write_to(os.path.join(d, "tags", k), v)
        self.exps[exp_id] = d
        return exp_id

    def create_run(self, exp_id, run_name, tags=None, legacy=False):
        run_id = uuid.UUID(int=rng.getrandbits(128), version=4).hex
        d = os.path.join(self.exps[exp_id], run_id)
        os.makedirs(d)
        info = {"artifact_uri": f"{URI}/{exp_id}/{run_id}/artifacts",
                "end_time": None, "entry_point_name": "",
                "experiment_id": exp_id, "lifecycle_stage": "active",
                "run_id": run_id, "run_uuid": run_id, "source_name": "",
                "source_type": 4, "source_version": "",
                "start_time": now_ms(), "status": RUNNING, "tags": [],
                "user_id": "rung"}
        if not legacy:
            # MLflow 2: the name in meta.yaml, deleted_time kept.
            info["run_name"] = run_name
            info["deleted_time"] = None
        write_yaml(os.path.join(d, "meta.yaml"), info)
        for sub in ("metrics", "params", "artifacts"):
            os.makedirs(os.path.join(d, sub))
        tags = dict(tags or {})
        if run_name is not None:
            tags["mlflow.runName"] = run_name
        tags.setdefault("mlflow.user", "rung")
        tags.setdefault("mlflow.source.type", "LOCAL")
        tags.setdefault("mlflow.source.name", "make-mlruns.py")
        for k, v in tags.items():
            write_to(os.path.join(d, "tags", k), v)
        return Run(self, d, info)


class Run:
    def __init__(self, store, d, info):
        self.store, self.dir, self.info = store, d, info
        self.id = info["run_id"]

    def log_param(self, key, value):
        write_to(os.path.join(self.dir, "params", key), str(value))

    def log_metric(self, key, value, step=0):
        path = os.path.join(self.dir, "metrics", key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"{now_ms()} {float(value)} {step}\n")

    def end(self, status=FINISHED):
        self.info["status"] = status
        self.info["end_time"] = now_ms()
        write_yaml(os.path.join(self.dir, "meta.yaml"), self.info)

    def delete(self):
        self.info["lifecycle_stage"] = "deleted"
        self.info["deleted_time"] = now_ms()
        write_yaml(os.path.join(self.dir, "meta.yaml"), self.info)


X, y = load_digits(return_X_y=True)
X = X / 16.0
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.3, random_state=0)
Xva, Xte, yva, yte = train_test_split(Xva, yva, test_size=0.5,
                                      random_state=0)
classes = np.unique(y)


def train(run, model, epochs, stop_after=None, loss_key="val/loss"):
    """An epoch a step: the curves logged at their epoch."""
    for epoch in range(epochs):
        if stop_after is not None and epoch == stop_after:
            return "stopped"
        model.partial_fit(Xtr, ytr, classes=classes)
        time.sleep(0.01)
        run.log_metric("val_acc", model.score(Xva, yva), epoch)
        run.log_metric("train/loss", log_loss(ytr, model.predict_proba(Xtr),
                                              labels=classes), epoch)
        run.log_metric(loss_key, log_loss(yva, model.predict_proba(Xva),
                                          labels=classes), epoch)
    return "done"


if os.path.exists(ROOT):
    shutil.rmtree(ROOT)
store = Store(ROOT)

# Default: FileStore makes it with the store; one plain run.
store.create_experiment("Default", exp_id="0")
run = store.create_run("0", "baseline")
run.log_param("alpha", 0.0001)
run.log_param("eta0", 0.01)
train(run, SGDClassifier(loss="log_loss", learning_rate="constant",
                         eta0=0.01, random_state=0), 4)
run.end()

# sgd-sweep: a parent and its nested children.
sweep = store.create_experiment("sgd-sweep",
                                tags={"team": "rung", "mlflow.note.content":
                                      "SGD on digits"})
parent = store.create_run(sweep, "sweep")
parent.log_param("n_trials", 7)
configs = [
    ("trial-0", dict(eta0=0.1, alpha=1e-4, loss="log_loss", penalty="l2")),
    ("trial-1", dict(eta0=0.01, alpha=1e-3, loss="log_loss", penalty="l1")),
    ("trial-2", dict(eta0=0.5, alpha=1e-5, loss="hinge", penalty="l2")),
    ("trial-3", dict(eta0=0.05, alpha=1e-4, loss="modified_huber",
                     penalty="elasticnet")),
    ("trial-4", dict(eta0=1e-5, alpha=1e-2, loss="log_loss", penalty="l2")),
    ("trial-5", dict(eta0=0.02, alpha=1e-4, loss="log_loss", penalty="l2")),
]
best = None
for name, cfg in configs:
    kind = {"trial-3": "killed", "trial-4": "deleted",
            "trial-5": "running"}.get(name)
    run = store.create_run(sweep, name,
                           tags={"mlflow.parentRunId": parent.id})
    run.log_param("eta0", cfg["eta0"])
    run.log_param("alpha", cfg["alpha"])
    run.log_param("loss", cfg["loss"])
    run.log_param("model/penalty", cfg["penalty"])
    model = SGDClassifier(loss=cfg["loss"], penalty=cfg["penalty"],
                          learning_rate="constant", eta0=cfg["eta0"],
                          alpha=cfg["alpha"], random_state=1)
    try:
        got = train(run, model, 6, stop_after=3 if kind == "killed" else
                    2 if kind == "running" else None)
    except AttributeError:
        # hinge has no predict_proba: the run fails at its first loss.
        run.end(FAILED)
        continue
    if kind == "running":
        continue            # left RUNNING, as a crashed process leaves it
    if kind == "killed":
        run.end(KILLED)
        # Retried under the same name: two runs named trial-3.
        run = store.create_run(sweep, name,
                               tags={"mlflow.parentRunId": parent.id})
        for k, v in cfg.items():
            run.log_param("model/penalty" if k == "penalty" else k, v)
        model = SGDClassifier(loss=cfg["loss"], penalty=cfg["penalty"],
                              learning_rate="constant", eta0=cfg["eta0"],
                              alpha=cfg["alpha"], random_state=2)
        train(run, model, 6)
    # A summary at step 0, logged last (MLflow's default step).
    acc = model.score(Xte, yte)
    run.log_metric("test_acc", acc)
    run.end()
    if kind == "deleted":
        run.delete()
    elif best is None or acc > best:
        best = acc
parent.log_metric("best_test_acc", best)
parent.end()

# mlp-sweep: runs as MLflow 1.x wrote them.
mlp = store.create_experiment("mlp-sweep")
for i, (hidden, lr) in enumerate([(16, 1e-2), (32, 3e-3), (64, 1e-3)]):
    run = store.create_run(mlp, None if i == 2 else f"mlp-{hidden}",
                           legacy=True)
    run.log_param("hidden", hidden)
    run.log_param("learning_rate_init", lr)
    run.log_param("activation", "relu")
    model = MLPClassifier(hidden_layer_sizes=(hidden,),
                          learning_rate_init=lr, random_state=0)
    train(run, model, 5, loss_key="val_loss")
    if i == 1:
        # A value logged twice at one step: the latest wins.
        time.sleep(0.01)
        run.log_metric("val_loss", float("nan"), 4)
        time.sleep(0.01)
        run.log_metric("val_loss", 0.25, 4)
    run.end()

# old-sweep: deleted, so moved to .trash with its runs marked deleted.
old = store.create_experiment("old-sweep")
run = store.create_run(old, "old-0")
run.log_param("eta0", 0.1)
run.log_metric("val_loss", 1.0, 0)
run.end()
run.delete()
meta = os.path.join(store.exps[old], "meta.yaml")
with open(meta) as f:
    m = yaml.safe_load(f)
m["lifecycle_stage"] = "deleted"
m["last_update_time"] = now_ms()
write_yaml(meta, m)
shutil.move(store.exps[old], os.path.join(ROOT, ".trash"))

# git keeps no empty folder: a placeholder in each empty artifacts/.
for d, subs, files in os.walk(ROOT):
    if not subs and not files:
        write_to(os.path.join(d, "README"), "placeholder\n")
