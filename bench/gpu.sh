#!/bin/sh
# make bench: rung launch on every GPU of the machine, one trial a GPU. The
# example trainer (share/rung/examples/digits.py) with torch on the GPU,
# BENCH_GPU_TRIALS_PER_GPU (3) trials a GPU of BENCH_GPU_EPOCHS (5) epochs
# each, --workers as many as the GPUs. Inside each trial the trainer checks
# that the GPU variable rung set names exactly one device and that torch
# sees exactly one (--one-gpu), and says which; from the study's launch
# events, that no GPU started a run before the run it last had was over
# (rung records the end once no process of it remains). Figures: trials per
# GPU-hour, and the launch overhead: start of a trial (its start event) to
# its first report, minus the trainer's own start-up to its first report
# when run bare on one GPU (the median of 3).
#
# Skips, saying why, without a GPU, torch or scikit-learn. BENCH_GPU_POOL
# (e.g. cuda:0,1) with BENCH_GPU_DEVICE=cpu runs the same on torch's CPU
# over a pool of pretended GPUs: everything but the device.
# BENCH_GPU_LAUNCHER (direct) is the launcher, BENCH_PYTHON the Python.
set -eu
: "${RUNG:?}"
here=$(cd "$(dirname "$0")" && pwd)
trainer=$here/../share/rung/examples/digits.py
space=$here/../share/rung/examples/digits.space
python=${BENCH_PYTHON:-/usr/bin/python3}
epochs=${BENCH_GPU_EPOCHS:-5}
per=${BENCH_GPU_TRIALS_PER_GPU:-3}
pool=${BENCH_GPU_POOL:-}
device=${BENCH_GPU_DEVICE:-cuda}
launcher=${BENCH_GPU_LAUNCHER:-direct}

skip() {
	echo "gpu bench: $*: skipped"
	exit 0
}

# items LIST: how many comma-separated items ("" has none).
items() {
	[ -n "$1" ] || { echo 0; return; }
	echo "$1" | awk -F, '{ print NF }'
}

# The GPUs, as rung launch --gpus auto finds them, and the variable that
# hands them out: inherited first, then each vendor's tool.
var=
list=
inherited=
if [ -n "$pool" ]; then
	case $pool in
	cuda:*)		var=CUDA_VISIBLE_DEVICES ;;
	rocr:*)		var=ROCR_VISIBLE_DEVICES ;;
	hip:*)		var=HIP_VISIBLE_DEVICES ;;
	habana:*)	var=HABANA_VISIBLE_MODULES ;;
	*)		var=CUDA_VISIBLE_DEVICES ;;
	esac
	list=${pool#*:}
else
	for v in CUDA_VISIBLE_DEVICES ROCR_VISIBLE_DEVICES HIP_VISIBLE_DEVICES \
	    HABANA_VISIBLE_MODULES; do
		eval "isset=\${$v+x} val=\${$v-}"
		if [ -n "$isset" ]; then
			var=$v
			list=$val
			inherited=1
			break
		fi
	done
	if [ -z "$var" ] && command -v nvidia-smi >/dev/null 2>&1; then
		var=CUDA_VISIBLE_DEVICES
		list=$(nvidia-smi -L 2>/dev/null | sed -n 's/^GPU \([0-9]*\):.*/\1/p' |
			paste -sd, -)
	fi
	if [ -z "$list" ] && command -v rocm-smi >/dev/null 2>&1; then
		var=ROCR_VISIBLE_DEVICES
		list=$(rocm-smi --showid --csv 2>/dev/null | grep -c '^card' |
			awk '{ for (i = 0; i < $1; i++) printf "%s%d", i ? "," : "", i }')
	fi
	if [ -z "$list" ] && command -v hl-smi >/dev/null 2>&1 &&
	    [ -n "$(hl-smi -Q module_id -f csv,noheader 2>/dev/null)" ]; then
		skip "Gaudi modules found, but digits.py trains with torch.cuda (no habana_frameworks path)"
	fi
fi
ngpu=$(items "$list")
[ "$ngpu" -gt 0 ] || skip "no GPU (${var:-no visibility variable, no nvidia-smi or rocm-smi}${list:+=$list})"
"$python" -c 'import torch, sklearn' 2>/dev/null ||
	skip "$python cannot import torch and sklearn (python3-torch, python3-sklearn)"
if [ "$device" = cuda ]; then
	n=$(env "$var=$list" "$python" -c 'import torch; print(torch.cuda.device_count())')
	[ "$n" -ge 1 ] || skip "torch sees no GPU of $var=$list (a CPU build?)"
fi
command -v sqlite3 >/dev/null 2>&1 || skip "needs the sqlite3 shell"

work=$(mktemp -d "${TMPDIR:-/tmp}/rung-bench-gpu.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cd "$work"
first=${list%%,*}
trials=$((ngpu * per))
echo "rung launch on $ngpu GPU$([ "$ngpu" = 1 ] || echo s) ($var=$list, torch on $device, --launcher $launcher):"
echo "  $trials trials of $epochs epochs, $ngpu at a time, one GPU each"

# The trainer's own start-up to its first report, bare, on the first GPU.
bare=$(env "$var=$first" CUDA_DEVICE_ORDER=PCI_BUS_ID RUNG_MAX_STEPS=1 RUNG_CHECKPOINT_DIR="$work/bare" \
    PYTHONUNBUFFERED=1 "$python" - "$python" "$trainer" "$device" <<\PY
import statistics, subprocess, sys, time
times = []
for i in range(3):
    t0 = time.time()
    p = subprocess.Popen([sys.argv[1], sys.argv[2], "--device", sys.argv[3]],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True)
    t1 = None
    for line in p.stdout:
        if line.startswith("rung:") and t1 is None:
            t1 = time.time()
    if p.wait() != 0 or t1 is None:
        sys.exit("gpu bench: the bare trainer failed (exit %d)" % p.returncode)
    times.append(t1 - t0)
print("%.3f" % statistics.median(times))
PY
)
echo "  bare start-up to the first report: $bare s (median of 3)"

# Found by a tool, the GPUs are rung's to find too (numbered in PCI order).
gpus=auto
[ -z "$pool" ] || gpus=$pool
given=
[ -z "$inherited" ] || given="$var=$list"
t0=$(date +%s.%N)
env $given "$RUNG" -q -d g.db launch --space "$space" --policy random \
	--configs "$trials" --max-steps "$epochs" --workers "$ngpu" \
	--launcher "$launcher" --gpus "$gpus" --metric val_loss --seed 1 \
	--logs logs --json g -- "$python" "$trainer" --device "$device" \
	--one-gpu --timing >g.json 2>g.err || {
	echo "gpu bench: rung launch failed:" >&2
	cat g.err >&2
	exit 1
}
wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')

"$python" - g.db logs "$var" "$list" "$bare" "$wall" "$ngpu" "$trials" \
    "$epochs" <<\PY
import calendar, os, re, sqlite3, sys, time

db, logs, var, pool, bare, wall, ngpu, trials, epochs = sys.argv[1:]
bare, wall, ngpu, trials = float(bare), float(wall), int(ngpu), int(trials)
c = sqlite3.connect(db)
bad = []


def when(at):
    """launch_events.at (UTC, ms) as seconds since the epoch."""
    main, ms = at.rstrip("Z").split(".")
    return calendar.timegm(time.strptime(main, "%Y-%m-%dT%H:%M:%S")) + \
        float("0." + ms)


rows = c.execute("""select t.ext_id, lt.state from launch_trials lt
    join trials t on t.id = lt.trial_id""").fetchall()
if len(rows) != trials or any(s != "complete" for _, s in rows):
    bad.append("trials not all complete: %s" % rows)
points = c.execute("select sum(n) from curves c join metrics m"
                   " on m.id = c.metric_id where m.name = 'val_loss'")
if points.fetchone()[0] != trials * int(epochs):
    bad.append("not every epoch recorded")

# Runs: start (gpu, time) and end (the last event of the run).
ev = c.execute("""select t.ext_id, e.event, e.detail, e.at from launch_events e
    join trials t on t.id = e.trial_id order by e.id""").fetchall()
runs = {}
order = []
for ext, event, detail, at in ev:
    if event in ("start", "restart", "resume"):
        g = re.search(r"gpu ([^,]*),", detail or "")
        runs[ext] = {"gpu": g.group(1) if g else None, "start": when(at),
                     "end": None}
        order.append(ext)
    elif ext in runs:
        runs[ext]["end"] = when(at)
tokens = pool.split(",")
busy = {}
for ext in sorted(order, key=lambda e: runs[e]["start"]):
    r = runs[ext]
    if r["gpu"] not in tokens:
        bad.append("trial %s ran on %r, not a GPU of the pool" % (ext, r["gpu"]))
        continue
    prev = busy.get(r["gpu"])
    if prev is not None and (runs[prev]["end"] is None or
                             runs[prev]["end"] > r["start"]):
        bad.append("GPU %s: trial %s started before trial %s was over"
                   % (r["gpu"], ext, prev))
    busy[r["gpu"]] = ext

# Inside each trial: exactly its GPU; and when its first report went out.
over = []
for ext in order:
    text = open(os.path.join(logs, ext + ".log"), errors="replace").read()
    m = re.search(r"^digits: one GPU: ([A-Z_]+)=([^,\n]*)", text, re.M)
    if m is None or m.group(1) != var or m.group(2) != runs[ext]["gpu"]:
        bad.append("trial %s: the trainer saw %s, rung gave %s=%s" % (
            ext, m.group(0) if m else "no GPU line", var, runs[ext]["gpu"]))
    f = re.search(r"^digits: first report at ([0-9.]+)", text, re.M)
    if f is None:
        bad.append("trial %s: no first report time" % ext)
        continue
    over.append(float(f.group(1)) - runs[ext]["start"] - bare)

if bad:
    sys.exit("gpu bench: " + "\n  ".join(bad))
used = len(set(r["gpu"] for r in runs.values()))
print("  every trial saw exactly its GPU; %d of %d GPUs used; no GPU ran a"
      " trial before its last one was gone" % (used, ngpu))
print("%-40s %10s" % ("", "figure"))
print("%-40s %10.1f" % ("wall time (s)", wall))
print("%-40s %10.1f" % ("trials per GPU-hour", trials * 3600 / (wall * ngpu)))
over.sort()
print("%-40s %10.3f" % ("launch overhead, mean (s)", sum(over) / len(over)))
print("%-40s %10.3f" % ("launch overhead, median (s)", over[len(over) // 2]))
print("%-40s %10.3f" % ("launch overhead, max (s)", over[-1]))
PY
