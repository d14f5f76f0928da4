#!/usr/bin/python3
"""A trainer for rung launch: a small MLP on scikit-learn's digits.

Trains epoch by epoch (MLPClassifier.partial_fit, or torch on a GPU when
torch is importable and one is visible) and speaks rung's protocol:

    rung: {"step": 3, "val_loss": 0.41, "val_acc": 0.93}

one line per epoch on stdout. It reads what rung sets:

    RUNG_PARAMS          {"lr": ..., "alpha": ..., "hidden": ..., "batch": ...}
    RUNG_MAX_STEPS       train to this epoch, then checkpoint and exit 0
    RUNG_RESUME_STEP     carry on from the checkpoint of this epoch (0: anew)
    RUNG_CHECKPOINT_DIR  where the checkpoint goes (else beside RUNG_LOG,
                         else the current directory)

and on SIGUSR1 ends after the epoch it is in, its checkpoint written. The
run is a function of the parameters: the same configuration gives the
same curve, resumed or not. Run as several ranks (rung launch --ranks K
through mpirun, mpiexec or srun), every rank trains the same model and
rank 0 alone reports and checkpoints; each says on stderr which rank of
how many it is.

    rung launch digits --space share/rung/examples/digits.space \\
        --policy asha --max-steps 27 --trials 20 --parallel 2 \\
        --metric val_loss -- share/rung/examples/digits.py

Options (for tests and demonstrations): --epoch-sleep S sleeps S seconds
an epoch; --crash-at N exits 3 at epoch N; --hang-at N stops reporting at
epoch N and sleeps. For bench/gpu.sh: --device cuda trains with torch on
the GPU and --device cpu with torch on the CPU (by default torch on a GPU
when one is visible, else scikit-learn); --one-gpu exits 4 unless the
GPU variable rung set (CUDA_VISIBLE_DEVICES, ROCR_VISIBLE_DEVICES,
HIP_VISIBLE_DEVICES or HABANA_VISIBLE_MODULES) names exactly one device
and, on the GPU, torch sees exactly one; --timing says on stderr when
the first report went out.
"""
import json
import os
import pickle
import signal
import sys
import time

stop = False


def rank():
    """This process's rank and the number of ranks, as the launcher says."""
    for r, n in (("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"),
                 ("PMI_RANK", "PMI_SIZE"), ("SLURM_PROCID", "SLURM_NTASKS")):
        if r in os.environ:
            return int(os.environ[r]), int(os.environ.get(n, "1"))
    return 0, 1


RANK, NRANKS = rank()


def on_usr1(signum, frame):
    global stop
    stop = True


GPU_VARS = ("CUDA_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES",
            "HIP_VISIBLE_DEVICES", "HABANA_VISIBLE_MODULES")


def word(name, default):
    if name in sys.argv:
        return sys.argv[sys.argv.index(name) + 1]
    return default


def option(name, default):
    if name in sys.argv:
        return float(sys.argv[sys.argv.index(name) + 1])
    return default


def checkpoint_path():
    """Where checkpoints go: PATH % step."""
    d = os.environ.get("RUNG_CHECKPOINT_DIR")
    if not d:
        log = os.environ.get("RUNG_LOG")
        d = os.path.dirname(log) if log else "."
    os.makedirs(d, exist_ok=True)
    trial = os.environ.get("RUNG_TRIAL_ID", "0").replace("%", "%%")
    return os.path.join(d, "digits-%s.%%d.pkl" % trial)


def save(path, state):
    """Write the checkpoint of this step, keep the one before it.

    rung may die between recording a step and the next: a run restarted
    from the step before then finds its checkpoint too.
    """
    if RANK != 0:
        return
    step = state["step"]
    tmp = path % step + ".tmp"
    with open(tmp, "wb") as f:
        pickle.dump(state, f)
    os.replace(tmp, path % step)
    if os.path.exists(path % (step - 2)):
        os.remove(path % (step - 2))


def load(path, resume):
    """The newest checkpoint at epoch resume or before, else None."""
    for step in range(resume, max(resume - 2, 0), -1):
        if os.path.exists(path % step):
            with open(path % step, "rb") as f:
                return pickle.load(f)
    return None


def data():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    x, y = load_digits(return_X_y=True)
    x = x / 16.0
    return train_test_split(x, y, test_size=0.2, random_state=0, stratify=y)


first_report = True


def report(step, loss, acc):
    global first_report
    if RANK != 0:
        return
    if first_report and "--timing" in sys.argv:
        print("digits: first report at %.6f" % time.time(), file=sys.stderr)
    first_report = False
    print("rung: " + json.dumps({"step": step, "val_loss": loss,
                                 "val_acc": acc}), flush=True)


def gpu(device):
    """torch and its device, or (None, None) for scikit-learn."""
    try:
        import torch
    except ImportError:
        if device is not None:
            sys.exit("digits: --device %s needs torch" % device)
        return None, None
    if device == "cpu":
        return torch, "cpu"
    if device is None and (os.environ.get("CUDA_VISIBLE_DEVICES") == "" or
                           not torch.cuda.is_available()):
        return None, None
    if not torch.cuda.is_available():
        sys.exit("digits: --device cuda, but torch sees no GPU")
    return torch, "cuda"


def one_gpu(torch, dev):
    """Exit 4 unless this trial was given exactly one GPU, and say which."""
    given = [(v, os.environ[v]) for v in GPU_VARS if v in os.environ]
    if not given or len(given[0][1].split(",")) != 1 or not given[0][1]:
        print("digits: not exactly one GPU: %s" % (given or "no variable"),
              file=sys.stderr)
        sys.exit(4)
    what = "%s=%s" % given[0]
    if dev == "cuda":
        n = torch.cuda.device_count()
        if n != 1:
            print("digits: %s, but torch sees %d GPUs" % (what, n),
                  file=sys.stderr)
            sys.exit(4)
        what += ", %s" % torch.cuda.get_device_name(0)
    print("digits: one GPU: %s, torch on %s" % (what, dev), file=sys.stderr)


def train_sklearn(p, xt, xv, yt, yv, start, state, max_steps, sleep, crash,
                  hang, path):
    import warnings
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.metrics import log_loss
    from sklearn.neural_network import MLPClassifier
    warnings.filterwarnings("ignore", category=ConvergenceWarning)

    if state is not None:
        model = state["model"]
    else:
        model = MLPClassifier(hidden_layer_sizes=(int(p["hidden"]),),
                              learning_rate_init=float(p["lr"]),
                              alpha=float(p["alpha"]),
                              batch_size=int(p["batch"]),
                              random_state=int(p.get("seed", 0)))
    for step in range(start + 1, max_steps + 1):
        model.partial_fit(xt, yt, classes=list(range(10)))
        if sleep:
            time.sleep(sleep)
        if crash and step >= crash:
            print("digits: crashing at epoch %d as asked" % step,
                  file=sys.stderr)
            sys.exit(3)
        if hang and step >= hang:
            print("digits: hanging at epoch %d as asked" % step,
                  file=sys.stderr)
            while True:
                time.sleep(60)
        proba = model.predict_proba(xv)
        report(step, float(log_loss(yv, proba, labels=list(range(10)))),
               float((proba.argmax(axis=1) == yv).mean()))
        save(path, {"step": step, "model": model})
        if stop:
            break


def train_torch(torch, device, p, xt, xv, yt, yv, start, state, max_steps,
                sleep, crash, hang, path):
    dev = torch.device(device)
    torch.manual_seed(int(p.get("seed", 0)))
    xt = torch.tensor(xt, dtype=torch.float32, device=dev)
    yt = torch.tensor(yt, dtype=torch.long, device=dev)
    xv = torch.tensor(xv, dtype=torch.float32, device=dev)
    yv = torch.tensor(yv, dtype=torch.long, device=dev)
    model = torch.nn.Sequential(torch.nn.Linear(64, int(p["hidden"])),
                                torch.nn.ReLU(),
                                torch.nn.Linear(int(p["hidden"]), 10)).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=float(p["lr"]),
                           weight_decay=float(p["alpha"]))
    gen = torch.Generator(device="cpu")
    gen.manual_seed(int(p.get("seed", 0)))
    if state is not None:
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        gen.set_state(state["gen"])
    batch = int(p["batch"])
    for step in range(start + 1, max_steps + 1):
        model.train()
        order = torch.randperm(len(xt), generator=gen).to(dev)
        for i in range(0, len(xt), batch):
            idx = order[i:i + batch]
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(xt[idx]), yt[idx]).backward()
            opt.step()
        if sleep:
            time.sleep(sleep)
        if crash and step >= crash:
            sys.exit(3)
        if hang and step >= hang:
            while True:
                time.sleep(60)
        model.eval()
        with torch.no_grad():
            out = model(xv)
            loss = float(torch.nn.functional.cross_entropy(out, yv))
            acc = float((out.argmax(dim=1) == yv).float().mean())
        report(step, loss, acc)
        save(path, {"step": step, "gen": gen.get_state(),
                    "model": {k: v.cpu() for k, v in model.state_dict().items()},
                    "opt": opt.state_dict()})
        if stop:
            break


def main():
    signal.signal(signal.SIGUSR1, on_usr1)
    p = {"lr": 0.01, "alpha": 1e-4, "hidden": 32, "batch": 64}
    p.update(json.loads(os.environ.get("RUNG_PARAMS", "{}")))
    max_steps = int(os.environ.get("RUNG_MAX_STEPS", "20"))
    resume = int(os.environ.get("RUNG_RESUME_STEP", "0"))
    sleep = option("--epoch-sleep", 0.0)
    crash = int(option("--crash-at", 0))
    hang = int(option("--hang-at", 0))
    if NRANKS > 1:
        # One write of the whole line: print() writes the text and the
        # newline apart, and the launcher may interleave the ranks'
        # streams between the two.
        sys.stderr.write("digits: rank %d of %d%s\n" % (RANK, NRANKS,
                         ": reports" if RANK == 0 else ""))
        sys.stderr.flush()
    path = checkpoint_path()
    state = load(path, resume)
    start = state["step"] if state is not None else 0
    if resume > 0:
        print("digits: resuming at epoch %d (checkpoint of epoch %d)"
              % (resume, start), file=sys.stderr)
    torch, device = gpu(word("--device", None))
    if "--one-gpu" in sys.argv:
        one_gpu(torch, device)
    xt, xv, yt, yv = data()
    if torch is not None:
        train_torch(torch, device, p, xt, xv, yt, yv, start, state, max_steps,
                    sleep, crash, hang, path)
    else:
        train_sklearn(p, xt, xv, yt, yv, start, state, max_steps, sleep,
                      crash, hang, path)


if __name__ == "__main__":
    main()
