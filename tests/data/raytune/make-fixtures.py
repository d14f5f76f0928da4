#!/usr/bin/env python3
# Write the Ray Tune experiment directories of rung's tests.
#
# Ray cannot be installed where rung is built, so the fixtures are written
# by this script with Python's own json and csv modules, called the way
# Ray 2.9 calls them (see README for the Ray files each step mirrors).
# Everything is deterministic: running it again writes the same bytes.
#
# Usage: python3 make-fixtures.py [OUTDIR]   (default: this directory)
#
# Copyright rung's authors; GPL-3.0-or-later, like rung.

import csv
import json
import math
import os
import re
import shutil
import sys
from datetime import datetime, timezone

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
    os.path.abspath(__file__))

# A numpy scalar NaN (np.float32('nan')) is not a Python float: json calls
# SafeFallbackEncoder.default() for it, which returns nan_str, "null" -- a
# JSON *string*. csv writes str() of it: "nan". Python floats (and
# np.float64, a float subclass) go through json's own encoder: bare NaN.


class NumpyNaN:
    def __str__(self):
        return "nan"


class SafeFallbackEncoder(json.JSONEncoder):
    """What ray.air._internal.json.SafeFallbackEncoder writes for the
    values used here."""

    def __init__(self, nan_str="null", **kwargs):
        super().__init__(**kwargs)
        self.nan_str = nan_str

    def default(self, value):
        if isinstance(value, NumpyNaN):
            return self.nan_str
        return str(value)


def cloudpickle_fallback(hexstr):
    # TuneFunctionEncoder._to_cloudpickle: objects json cannot write.
    # The hex here is a short placeholder, not a real pickle.
    return {"_type": "CLOUDPICKLE_FALLBACK", "value": hexstr}


PICKLED_NONE = "80054e2e"  # binary_to_hex(cloudpickle.dumps(None))


class TuneFunctionEncoder(json.JSONEncoder):
    """ray.tune.utils.serialization.TuneFunctionEncoder: what json cannot
    write (a numpy NaN among them) is cloudpickled."""

    def default(self, value):
        return cloudpickle_fallback("8005959f000000000000008c")


def flatten_dict(d, prefix="", delimiter="/"):
    out = {}
    for k, v in d.items():
        if isinstance(v, dict) and v:
            out.update(flatten_dict(v, prefix + k + delimiter, delimiter))
        else:
            out[prefix + k] = v
    return out


def clean_value(value):
    # ray.tune.search.variant_generator._clean_value
    if isinstance(value, float):
        return f"{value:.4f}"
    return re.sub(r"[^a-zA-Z0-9_-]+", "_", str(value)).strip("_")


def format_vars(resolved):
    # {path tuple: value}, sorted by path, "last_key=value" joined by ","
    return ",".join(f"{clean_value(k[-1])}={clean_value(v)}"
                    for k, v in sorted(resolved.items()))


def date_str(ts):
    return datetime.fromtimestamp(ts, timezone.utc).strftime(
        "%Y-%m-%d_%H-%M-%S")


def trial_dirname(trainable, trial_id, tag, ts):
    # Trial._generate_dirname
    name = f"{trainable}_{trial_id}_{tag}"[:130]
    name += f"_{date_str(ts)}"
    return re.sub("[/()]", "_", name)


class Trial:
    def __init__(self, exp, trainable, trial_id, index, config, resolved,
                 start):
        self.exp = exp
        self.trainable = trainable
        self.trial_id = trial_id
        self.config = config
        self.tag = f"{index}_{format_vars(resolved)}" if resolved else \
            str(index)
        self.evaluated = {"/".join(str(p) for p in k[1:]): v
                          for k, v in resolved.items()}
        self.start = start
        self.dirname = trial_dirname(trainable, trial_id, self.tag, start)
        self.results = []       # what result.json and progress.csv hold
        self.last_result = {}
        self.iteration = 0
        self.time_total = 0.0
        self.since_restore = 0.0
        self.iters_since_restore = 0
        self.clock = start
        self.pid = 0
        self.status = "PENDING"
        self.error = None
        self.checkpoints = 0

    def report(self, metrics, secs, pid, done=False):
        """One call of train.report(metrics) going through Ray 2.9:
        _TrainSession adds timestamp and checkpoint_dir_name,
        Trainable.train() adds done, training_iteration (unless the
        trainer set it) and get_auto_filled_metrics(), and the controller
        sets done=True when it decides to stop the trial."""
        self.clock += secs
        self.iteration += 1
        self.iters_since_restore += 1
        self.time_total += secs
        self.since_restore += secs
        r = dict(metrics)
        r["timestamp"] = int(self.clock)
        r["checkpoint_dir_name"] = None
        r.setdefault("done", False)
        r.setdefault("training_iteration", self.iteration)
        r["trial_id"] = self.trial_id
        r["date"] = date_str(self.clock)
        r["time_this_iter_s"] = secs
        r["time_total_s"] = self.time_total
        r["pid"] = pid
        r["hostname"] = "gpu-node-03"
        r["node_ip"] = "10.1.2.13"
        r["config"] = self.config
        r["time_since_restore"] = self.since_restore
        r["iterations_since_restore"] = self.iters_since_restore
        if done:
            r["done"] = True    # TuneController: decision == STOP
        self.results.append(r)
        self.last_result = r

    def restore(self, iteration, time_total, clock):
        """Trainable.restore() from the checkpoint taken at iteration."""
        self.iteration = iteration
        self.time_total = time_total
        self.since_restore = 0.0
        self.iters_since_restore = 0
        self.clock = clock

    def state_json(self):
        # Trial.get_json_state(): __getstate__() less run_metadata,
        # json.dumps(indent=2, cls=TuneFunctionEncoder)
        state = {
            "stub": False,
            "trainable_name": self.trainable,
            "trial_id": self.trial_id,
            "temporary_state": None,
            "storage": cloudpickle_fallback("80059512000000000000008c"),
            "config": self.config,
            "_Trial__unresolved_config": self.config,
            "evaluated_params": self.evaluated,
            "experiment_tag": self.tag,
            "stopping_criterion": {},
            "_setup_default_resource": True,
            "_default_placement_group_factory": PICKLED_NONE,
            "placement_group_factory": "8005953a000000000000008c",
            "log_to_file": [None, None],
            "max_failures": 0,
            "_default_result_or_future": None,
            "export_formats": [],
            "status": self.status,
            "relative_logdir": self.dirname if self.results or
            self.status != "PENDING" else None,
            "trial_name_creator": None,
            "trial_dirname_creator": None,
            "custom_trial_name": None,
            "custom_dirname": None,
            "restore_path": None,
            "_restore_checkpoint_result": None,
            "_state_json": None,
            "results": PICKLED_NONE,
            "extra_arg": PICKLED_NONE,
            "_resources": PICKLED_NONE,
        }
        del state["temporary_state"]    # popped by __getstate__
        return json.dumps(state, indent=2, cls=TuneFunctionEncoder)

    def metadata_json(self):
        # _TrainingRunMetadata.get_json_state()
        last = dict(self.last_result)
        if self.status == "TERMINATED" and last:
            # A function that returned: the controller marks the last
            # result done, in memory only (result.json keeps done=false).
            last["done"] = True
        data = {
            "start_time": float(self.start) + 0.25 if self.results else None,
            "num_failures": 1 if self.error else 0,
            "num_failures_after_restore": 0,
            "error_filename": "error.txt" if self.error else None,
            "pickled_error_filename": "error.pkl" if self.error else None,
            "last_result": last,
            "last_result_time": float(self.clock) + 0.5 if self.results
            else -math.inf,
            "metric_analysis": {},
            "_n_steps": [5, 10],
            "metric_n_steps": {},
            "checkpoint_manager": cloudpickle_fallback(
                "8005958b000000000000008c"),
        }
        return json.dumps(data, indent=2, cls=TuneFunctionEncoder)

    def write(self, result_json=True, progress_csv=True, restarts=()):
        """The trial folder: params.json (JsonLoggerCallback.update_config),
        result.json (log_trial_result, one json.dump and a newline a
        result) and progress.csv (CSVLoggerCallback: flattened, config
        dropped, header from the first result; after a restore the file is
        reopened for appending, and the new DictWriter takes its field
        names from the first new result and writes no header)."""
        path = os.path.join(OUT, self.exp, self.dirname)
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "params.json"), "w") as f:
            json.dump(self.config, f, indent=2, sort_keys=True,
                      cls=SafeFallbackEncoder)
        with open(os.path.join(path, "params.pkl"), "w") as f:
            f.write("placeholder: Ray writes cloudpickle.dump(config) here\n")
        if result_json:
            with open(os.path.join(path, "result.json"), "w") as f:
                for r in self.results:
                    json.dump(r, f, cls=SafeFallbackEncoder)
                    f.write("\n")
        if progress_csv:
            with open(os.path.join(path, "progress.csv"), "w",
                      newline="") as f:
                writer = None
                for i, r in enumerate(self.results):
                    flat = dict(r)
                    flat.pop("config", None)
                    flat = flatten_dict(flat)
                    if writer is None or i in restarts:
                        writer = csv.DictWriter(f, flat.keys())
                        if i == 0:
                            writer.writeheader()
                    writer.writerow({k: v for k, v in flat.items()
                                     if k in writer.fieldnames})
        if self.error:
            with open(os.path.join(path, "error.txt"), "w") as f:
                f.write(self.error)
        for c in range(self.checkpoints):
            cdir = os.path.join(path, f"checkpoint_{c:06d}")
            os.makedirs(cdir, exist_ok=True)
            with open(os.path.join(cdir, "model.pt"), "w") as f:
                f.write("placeholder: the trainer's checkpoint file\n")


def write_state(exp, session_ts, trials, iteration, total_time):
    # TuneController.save_to_dir(): json.dump(runner_state, indent=2,
    # cls=TuneFunctionEncoder) to experiment_state-<session_str>.json
    # where session_str is the controller's start time.
    session = date_str(session_ts)
    state = {
        "trial_data": [[t.state_json(), t.metadata_json()] for t in trials],
        "runner_data": {
            "_max_pending_trials": 16,
            "_metric": None,
            "_total_time": total_time,
            "_iteration": iteration,
            "_has_errored": any(t.status == "ERROR" for t in trials),
            "_fail_fast": False,
            "_print_trial_errors": True,
            "_cached_trial_decisions": {},
            "_queued_trial_decisions": {},
            "_should_stop_experiment": False,
            "_stopper": cloudpickle_fallback("80059521000000000000008c"),
            "_start_time": float(session_ts),
            "_session_str": session,
            "_checkpoint_period": "auto",
            "_trial_checkpoint_config": cloudpickle_fallback(
                "8005957f000000000000008c"),
            "_resumed": False,
        },
        "stats": {
            "start_time": float(session_ts),
            "timestamp": float(max(t.clock for t in trials)) + 1.0,
        },
    }
    with open(os.path.join(OUT, exp, f"experiment_state-{session}.json"),
              "w") as f:
        json.dump(state, f, indent=2, cls=TuneFunctionEncoder)
    # BasicVariantGenerator.save_to_dir: _atomic_save, a cloudpickle under
    # a .json name.
    with open(os.path.join(OUT, exp, f"basic-variant-state-{session}.json"),
              "w") as f:
        f.write("placeholder: Ray writes a cloudpickle of the search "
                "algorithm here\n")


def tuner_pkl(exp):
    with open(os.path.join(OUT, exp, "tuner.pkl"), "w") as f:
        f.write("placeholder: Ray writes a cloudpickle of the Tuner here\n")


def curve(lr, layers, it, shift=0.0):
    """Deterministic, full-precision losses."""
    train = 2.3 * math.exp(-0.55 * it * (1 + lr * 4)) + 0.05 * layers + shift
    val = train * 1.08 + 0.021 * it / (layers + 1) + shift / 2
    return train, val


def secs(i, it):
    return 2.0 + 0.173 * ((i * 7 + it * 3) % 11) + 0.0001 * (i + 1) / 3


def basic():
    """exp-basic: ASHA (metric val_loss, min, max_t 4, grace period 1,
    reduction factor 2), interrupted with Ctrl-C while one trial ran and
    one waited."""
    exp = "exp-basic"
    shutil.rmtree(os.path.join(OUT, exp), ignore_errors=True)
    os.makedirs(os.path.join(OUT, exp))
    start = 1696161600  # 2023-10-01 12:00:00 UTC
    space = [
        (0.001, 2, "relu"),
        (0.0123, 3, "gelu"),
        (0.05, 4, "relu"),
        (0.3, 2, "gelu"),
        (0.0042, 3, "relu"),
        (0.0007, 4, "gelu"),
        (0.02, 2, "relu"),
        (0.1, 3, "gelu"),
    ]
    trials = []
    for i, (lr, layers, act) in enumerate(space):
        config = {"lr": lr, "layers": layers,
                  "model": {"act": act, "dropout": 0.1},
                  "use_bn": True, "hidden": [64, 32], "epochs": 4}
        resolved = {("config", "lr"): lr, ("config", "layers"): layers,
                    ("config", "model", "act"): act}
        trials.append(Trial(exp, "train_fn", f"1a2b3_{i:05d}", i, config,
                            resolved, start + 5 * i))
    pid = 41230
    for i, t in enumerate(trials):
        lr, layers = t.config["lr"], t.config["layers"]
        t.status = "TERMINATED"
        if i == 2:
            # fails in its third iteration: error.txt, no third result
            for it in (1, 2):
                tr, va = curve(lr, layers, it)
                t.report({"train_loss": tr, "val_loss": va}, secs(i, it),
                         pid + i)
            t.status = "ERROR"
            t.error = ("Failure # 1 (occurred at 2023-10-01_12-00-21)\n"
                       "ray::ImplicitFunc.train() (pid=41232, ip=10.1.2.13,"
                       " actor_id=6f1d1c2ad3e4a2b1c0ffee0101000000, "
                       "repr=train_fn)\n  File \"train.py\", line 41, in "
                       "train_fn\n    raise RuntimeError(\"CUDA error: an "
                       "illegal memory access was encountered\")\n"
                       "RuntimeError: CUDA error: an illegal memory access "
                       "was encountered\n")
            continue
        if i == 3:
            # ASHA stops it at the rung of 2 iterations
            for it in (1, 2):
                tr, va = curve(lr, layers, it, shift=0.9)
                t.report({"train_loss": tr, "val_loss": va}, secs(i, it),
                         pid + i, done=(it == 2))
            continue
        if i == 6:
            # still running when the experiment was interrupted
            for it in (1, 2, 3):
                tr, va = curve(lr, layers, it)
                t.report({"train_loss": tr, "val_loss": va}, secs(i, it),
                         pid + i)
            t.status = "RUNNING"
            continue
        if i == 7:
            t.status = "PENDING"
            continue
        for it in (1, 2, 3, 4):
            tr, va = curve(lr, layers, it)
            m = {"train_loss": tr, "val_loss": va}
            if i == 1:
                # diverges: a Python float NaN (bare NaN), then a numpy
                # float32 NaN (the string "null"), then an infinite loss
                if it == 2:
                    m["val_loss"] = float("nan")
                elif it == 3:
                    m["val_loss"] = NumpyNaN()
                elif it == 4:
                    m["train_loss"] = float("inf")
                    m["val_loss"] = NumpyNaN()
            if i == 4 and it >= 2:
                # a metric reported from the second result on: result.json
                # has it, progress.csv (header of the first result) not
                m["val_acc"] = 0.5 + 0.1 * it - lr
            if i == 5:
                # reports its metrics in the other order
                m = {"val_loss": va, "train_loss": tr}
            # ASHA stops every trial that reaches max_t = 4
            t.report(m, secs(i, it), pid + i, done=(it == 4))
    for t in trials:
        if t.status == "PENDING":
            continue
        t.write(result_json=(t.trial_id != "1a2b3_00005"))
    write_state(exp, start, trials, 117, sum(t.time_total for t in trials))
    tuner_pkl(exp)


def resumed():
    """exp-resumed: FIFO, checkpoints every 2 iterations, the driver dies,
    Tuner.restore() resumes: trials go back to their last checkpoint and
    report those iterations again (appended to result.json and
    progress.csv); a second experiment_state file is written."""
    exp = "exp-resumed"
    shutil.rmtree(os.path.join(OUT, exp), ignore_errors=True)
    os.makedirs(os.path.join(OUT, exp))
    start = 1696237200  # 2023-10-02 09:00:00 UTC
    again = 1696242600  # 2023-10-02 10:30:00 UTC
    trials = []
    for i, (lr, layers) in enumerate([(0.01, 2), (0.002, 3), (0.03, 4)]):
        config = {"lr": lr, "layers": layers}
        resolved = {("config", "lr"): lr, ("config", "layers"): layers}
        trials.append(Trial(exp, "train_fn", f"9f8e7_{i:05d}", i, config,
                            resolved, start + 3 * i))
    crash_at = {0: 3, 1: None, 2: 4}
    restarts = {}
    for i, t in enumerate(trials):
        lr, layers = t.config["lr"], t.config["layers"]
        t.status = "RUNNING"
        last = crash_at[i] or 5
        for it in range(1, last + 1):
            tr, va = curve(lr, layers, it)
            t.report({"train_loss": tr, "val_loss": va}, secs(i, it),
                     51000 + i)
            if it == 2:
                t.ckpt_time = t.time_total
                t.checkpoints = 1
        if crash_at[i] is None:
            t.status = "TERMINATED"
    write_state(exp, start, trials, 40, 60.0)
    for i, t in enumerate(trials):
        if crash_at[i] is None:
            continue
        restarts[i] = len(t.results)
        t.restore(2, t.ckpt_time, again + 10 + i)
        for it in range(3, 6):
            # the repeated iterations report other values
            tr, va = curve(t.config["lr"], t.config["layers"], it,
                           shift=-0.01)
            t.report({"train_loss": tr, "val_loss": va}, secs(i, it + 5),
                     52000 + i)
        t.status = "TERMINATED"
    for i, t in enumerate(trials):
        t.write(restarts=(restarts[i],) if i in restarts else ())
    write_state(exp, again, trials, 75, 98.0)
    tuner_pkl(exp)


def mlpf():
    """exp-mlpf: a TorchTrainer trial reporting like MLPF's HPO: loss,
    val_loss, per-task losses, the optimizer step, and training_iteration
    set by the trainer itself (the epoch)."""
    exp = "exp-mlpf"
    shutil.rmtree(os.path.join(OUT, exp), ignore_errors=True)
    os.makedirs(os.path.join(OUT, exp))
    start = 1705305600  # 2024-01-15 08:00:00 UTC
    config = {"train_loop_config": {"lr": 0.0005, "conv_type": "attention",
                                    "num_convs": 3, "width": 256,
                                    "dropout": 0.05}}
    t = Trial(exp, "TorchTrainer", "5c6d7_00000", 0, config,
              {("config", "train_loop_config", "lr"): 0.0005}, start)
    t.status = "TERMINATED"
    for epoch in (1, 2, 3, 4):
        loss = 14.2 * math.exp(-0.31 * epoch) + 3.1
        m = {
            "loss": loss,
            "val_loss": loss * 1.04 + 0.013 * epoch,
            "train_Classification": loss * 0.41,
            "valid_Classification": loss * 0.43,
            "train_Regression_pt": loss * 0.17,
            "valid_Regression_pt": loss * 0.18,
            "step": 1250 * epoch,
            "training_iteration": epoch,
        }
        t.report(m, 811.5 + 3.25 * epoch + 0.001 / 7, 7311)
    t.write()
    write_state(exp, start, [t], 9, 3300.0)
    tuner_pkl(exp)


if __name__ == "__main__":
    basic()
    resumed()
    mlpf()
