#!/usr/bin/python3
# Write the per-run CSV files of tests/t0015-import-runs.sh: small networks
# really trained (scikit-learn's MLPClassifier on its bundled digits, one
# partial_fit per mini-batch), logged as PyTorch Lightning's CSVLogger and
# Keras' CSVLogger write their files. Neither library is needed: their
# writers are restated below, call for call, from Lightning 2.x
# (lightning/fabric/loggers/csv_logs.py, _ExperimentWriter) and Keras 3
# (keras/src/callbacks/csv_logger.py, CSVLogger.on_epoch_end).
#
#   lightning_logs/version_N/metrics.csv, hparams.yaml   one folder per run
#   keras/RUN/training.log                                one folder per run
#
# Run from this directory: /usr/bin/python3 make-runs.py
import collections
import csv
import os
import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

X, y = load_digits(return_X_y=True)
X = X / 16.0
Xtr, Xva, ytr, yva = train_test_split(X, y, test_size=0.25, random_state=0)
CLASSES = np.arange(10)
BATCH = 128


def train(lr, hidden, seed, max_epochs, patience, on_batch, on_epoch,
          validation_freq=1):
    """Mini-batch SGD with early stopping on the validation loss."""
    rng = np.random.RandomState(seed)
    net = MLPClassifier(hidden_layer_sizes=(hidden,), solver="sgd",
                        learning_rate_init=lr, momentum=0.9,
                        random_state=seed)
    best, bad = np.inf, 0
    for epoch in range(max_epochs):
        t0 = time.perf_counter()
        order = rng.permutation(len(Xtr))
        losses = []
        for i in range(0, len(order), BATCH):
            idx = order[i:i + BATCH]
            net.partial_fit(Xtr[idx], ytr[idx], classes=CLASSES)
            losses.append(net.loss_)
            on_batch(epoch, net.loss_)
        secs = time.perf_counter() - t0
        p = net.predict_proba(Xva)
        val_loss = log_loss(yva, p, labels=CLASSES)
        val_acc = float(np.mean(np.argmax(p, axis=1) == yva))
        acc = float(np.mean(net.predict(Xtr) == ytr))
        on_epoch(epoch, float(np.mean(losses)), acc, val_loss, val_acc,
                 secs)
        if (epoch + 1) % validation_freq != 0:
            continue
        if val_loss < best - 1e-4:
            best, bad = val_loss, 0
        else:
            bad += 1
            if bad > patience:
                break


class LightningCSV:
    """_ExperimentWriter of Lightning's CSVLogger (save() once, at the end)."""

    def __init__(self, log_dir):
        os.makedirs(log_dir, exist_ok=True)
        self.log_dir = log_dir
        self.metrics = []
        self.metrics_keys = []

    def log_hparams(self, params):
        # save_hparams_to_yaml writes yaml.dump of the dict.
        with open(os.path.join(self.log_dir, "hparams.yaml"), "w") as f:
            for k, v in params.items():
                f.write(f"{k}: {v}\n")

    def log_metrics(self, metrics_dict, step):
        metrics = {k: v for k, v in metrics_dict.items()}
        metrics["step"] = step
        self.metrics.append(metrics)

    def save(self):
        current_keys = set().union(*self.metrics)
        new_keys = current_keys - set(self.metrics_keys)
        self.metrics_keys.extend(new_keys)
        self.metrics_keys.sort()
        path = os.path.join(self.log_dir, "metrics.csv")
        with open(path, "w", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=self.metrics_keys)
            writer.writeheader()
            writer.writerows(self.metrics)


def f32(v):
    # Lightning logs tensor.item() of float32 tensors.
    return float(np.float32(v))


def lightning_run(version, lr, hidden, seed):
    log = LightningCSV(f"lightning_logs/version_{version}")
    log.log_hparams({"hidden": hidden, "lr": lr})
    nb = (len(Xtr) + BATCH - 1) // BATCH
    gs = [0]
    log_every_n_steps = 50

    def on_batch(epoch, loss):
        # self.log("train_loss", loss, on_step=True, on_epoch=True)
        if (gs[0] + 1) % log_every_n_steps == 0:
            log.log_metrics({"train_loss_step": f32(loss), "epoch": epoch},
                            gs[0])
        gs[0] += 1

    def on_epoch(epoch, loss, acc, val_loss, val_acc, secs):
        step = (epoch + 1) * nb - 1
        # validation_epoch_end, then on_train_epoch_end
        log.log_metrics({"val_loss": f32(val_loss), "val_acc": f32(val_acc),
                         "epoch": epoch}, step)
        log.log_metrics({"train_loss_epoch": f32(loss), "epoch": epoch},
                        step)

    train(lr, hidden, seed, max_epochs=12, patience=1, on_batch=on_batch,
          on_epoch=on_epoch)
    log.save()


class KerasCSV:
    """Keras 3's CSVLogger.on_epoch_end, sep=',' and append=False."""

    def __init__(self, filename):
        os.makedirs(os.path.dirname(filename), exist_ok=True)
        self.csv_file = open(filename, "w")
        self.keys = None
        self.writer = None
        self.sep = ","

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}

        def handle_value(k):
            is_zero_dim_ndarray = isinstance(k, np.ndarray) and k.ndim == 0
            if isinstance(k, str):
                return k
            elif (isinstance(k, collections.abc.Iterable)
                  and not is_zero_dim_ndarray):
                return f"\"[{', '.join(map(str, k))}]\""
            else:
                return k

        if self.keys is None:
            self.keys = sorted(logs.keys())
            val_keys_found = False
            for key in self.keys:
                if key.startswith("val_"):
                    val_keys_found = True
                    break
            if not val_keys_found:
                self.keys.extend(["val_" + k for k in self.keys])

        if not self.writer:
            sep = self.sep

            class CustomDialect(csv.excel):
                delimiter = sep

            fieldnames = ["epoch"] + self.keys
            self.writer = csv.DictWriter(self.csv_file, fieldnames=fieldnames,
                                         dialect=CustomDialect)
            self.writer.writeheader()

        row_dict = collections.OrderedDict({"epoch": epoch})
        row_dict.update((key, handle_value(logs.get(key, "NA")))
                        for key in self.keys)
        self.writer.writerow(row_dict)
        self.csv_file.flush()

    def close(self):
        self.csv_file.close()


def keras_run(name, lr, hidden, seed, validation_freq, patience):
    log = KerasCSV(f"keras/{name}/training.log")

    def on_epoch(epoch, loss, acc, val_loss, val_acc, secs):
        # A timing callback ahead of CSVLogger adds epoch_seconds to logs.
        logs = {"accuracy": acc, "loss": loss, "epoch_seconds": secs}
        if (epoch + 1) % validation_freq == 0:
            logs["val_accuracy"] = val_acc
            logs["val_loss"] = val_loss
        log.on_epoch_end(epoch, logs)

    train(lr, hidden, seed, max_epochs=10, patience=patience,
          on_batch=lambda e, l: None, on_epoch=on_epoch,
          validation_freq=validation_freq)
    log.close()


if __name__ == "__main__":
    for v, (lr, hidden) in enumerate([(0.1, 16), (0.01, 16), (0.3, 8),
                                      (0.03, 32)]):
        lightning_run(v, lr, hidden, seed=v)
    keras_run("lr0.3-h16", 0.3, 16, seed=10, validation_freq=1, patience=0)
    keras_run("lr0.01-h32", 0.01, 32, seed=11, validation_freq=1,
              patience=2)
    keras_run("lr0.05-h8-every2", 0.05, 8, seed=12, validation_freq=2,
              patience=2)
