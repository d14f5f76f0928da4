#!/usr/bin/python3
# Per-run folders as users have them, written by real PyTorch training
# (Debian 12's python3-torch): a small MLP on scikit-learn's bundled digits,
# trained with torch.optim.SGD, seeded, one thread. Three layouts, each as
# its tool writes it (the writers' calls restated; no code of Lightning or
# Hydra is included):
#
#   lightning_logs/version_N/metrics.csv, hparams.yaml   Lightning CSVLogger
#   multirun/2026-12-05/10-00-00/N/.hydra/{config,overrides}.yaml
#       and N/log.jsonl                                   Hydra multirun
#   scripts/run_lrX/args.json and metrics.jsonl            argparse dump
#
# beside a LICENSE, a README.md and each run's model.pt (torch.save), which
# are no logs. Usage: make-torch-runs.py DIR
import csv
import json
import os
import sys

import numpy as np
import torch
import yaml
from sklearn.datasets import load_digits

out = sys.argv[1]
torch.set_num_threads(1)
X, y = load_digits(return_X_y=True)
X = torch.tensor(X / 16.0, dtype=torch.float32)
y = torch.tensor(y)
Xtr, ytr, Xva, yva = X[:1300], y[:1300], X[1300:], y[1300:]


def train(lr, hidden, epochs, seed, on_step, on_epoch):
    torch.manual_seed(seed)
    net = torch.nn.Sequential(torch.nn.Linear(64, hidden), torch.nn.ReLU(),
                              torch.nn.Linear(hidden, 10))
    opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
    lossf = torch.nn.CrossEntropyLoss()
    step = 0
    for epoch in range(epochs):
        perm = torch.randperm(len(Xtr))
        for i in range(0, len(perm), 100):
            idx = perm[i:i + 100]
            opt.zero_grad()
            loss = lossf(net(Xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            on_step(epoch, step, loss.item())
            step += 1
        with torch.no_grad():
            out_va = net(Xva)
            vl = lossf(out_va, yva).item()
            va = (out_va.argmax(1) == yva).float().mean().item()
        on_epoch(epoch, step - 1, vl, va)
    return net


def lightning(version, lr, hidden):
    d = os.path.join(out, "lightning_logs", f"version_{version}")
    os.makedirs(d)
    rows = []
    # save_hyperparameters(): save_hparams_to_yaml, yaml.dump of the dict.
    with open(os.path.join(d, "hparams.yaml"), "w") as f:
        yaml.dump({"lr": lr, "hidden": hidden,
                   "optimizer": {"name": "sgd", "momentum": 0.9}}, f)

    def on_step(epoch, step, loss):
        if (step + 1) % 5 == 0:     # log_every_n_steps=5
            rows.append({"train_loss_step": loss, "epoch": epoch,
                         "step": step})

    def on_epoch(epoch, step, vl, va):
        rows.append({"val_loss": vl, "val_acc": va, "epoch": epoch,
                     "step": step})

    net = train(lr, hidden, 4, version, on_step, on_epoch)
    # _ExperimentWriter.save(): sorted keys, blanks where a row has none.
    keys = sorted(set().union(*rows))
    with open(os.path.join(d, "metrics.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys)
        w.writeheader()
        w.writerows(rows)
    torch.save(net.state_dict(), os.path.join(d, "model.pt"))


def hydra(job, lr, hidden):
    d = os.path.join(out, "multirun", "2026-12-05", "10-00-00", str(job))
    os.makedirs(os.path.join(d, ".hydra"))
    config = {"model": {"hidden": hidden, "act": "relu"},
              "optim": {"lr": lr, "momentum": 0.9}, "epochs": 3}
    # OmegaConf.to_yaml and the overrides list, as Hydra saves them.
    with open(os.path.join(d, ".hydra", "config.yaml"), "w") as f:
        yaml.dump(config, f, sort_keys=False)
    with open(os.path.join(d, ".hydra", "overrides.yaml"), "w") as f:
        yaml.dump([f"optim.lr={lr}", f"model.hidden={hidden}",
                   f"+seed={job}"], f)
    log = open(os.path.join(d, "log.jsonl"), "w")

    def on_epoch(epoch, step, vl, va):
        log.write(json.dumps({"epoch": epoch + 1, "val_loss": vl,
                              "val_acc": va, "lr": lr}) + "\n")

    train(lr, hidden, 3, 10 + job, lambda *a: None, on_epoch)
    log.close()


def script(lr):
    d = os.path.join(out, "scripts", f"run_lr{lr}")
    os.makedirs(d)
    with open(os.path.join(d, "args.json"), "w") as f:
        json.dump({"lr": lr, "hidden": 24, "batch_size": 100}, f)
    log = open(os.path.join(d, "metrics.jsonl"), "w")

    def on_epoch(epoch, step, vl, va):
        log.write(json.dumps({"step": step, "val": {"loss": vl, "acc": va}})
                  + "\n")

    train(lr, 24, 3, 99, lambda *a: None, on_epoch)
    log.close()


os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "LICENSE"), "w") as f:
    f.write("Written by tests/make-torch-runs.py; GPL-3.0-or-later.\n")
with open(os.path.join(out, "README.md"), "w") as f:
    f.write("# runs\n\nA sweep of a small MLP on digits.\n")
for v, (lr, h) in enumerate([(0.1, 16), (0.03, 32), (0.3, 8)]):
    lightning(v, lr, h)
for job, (lr, h) in enumerate([(0.05, 16), (0.2, 32)]):
    hydra(job, lr, h)
for lr in (0.01, 0.1):
    script(lr)
