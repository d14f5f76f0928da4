#!/bin/sh
# rung import --follow on growing sources (issue 19), the follower's CPU
# time (utime + stime) per point set beside a peer's following the same
# pieces, in the same run, as a ratio.
#
# An Optuna journal: a real Optuna study (300 trials of 20 reports, Debian
# 12's python3-optuna) is written once; its journal is then replayed into
# a file in 20 growing pieces while rung follows it, beside Optuna itself
# following the same pieces: one JournalStorage kept open, reading the
# trials after each piece (it replays only the new lines).
#
# A TensorBoard folder: 20 run folders (run-NN/, one event file each, as
# PyTorch's SummaryWriter writes it: an Event per val_loss scalar, 300 a
# run, an hparams session start and end), written with python3-protobuf
# and TensorBoard's .proto files (src/proto) and python3-crc32c, grown in
# the same 20 pieces: each piece appends records to the event files of the
# runs under way, new runs starting in the pieces of the first half (two a
# piece); after each piece the bench waits until rung has every point of
# it, and at the end checks its trials, points and parameters.
# The peer is a python3-protobuf reader following the same pieces as
# TensorBoard's EventFileLoader does: an offset kept per event file, only
# the records after it read after each piece (both CRC-32C checked, the
# Event parsed, the scalars and hparams collected per run), timed with
# time.process_time(). Skipped without protoc, python3-protobuf or
# python3-crc32c.
#
# BENCH_FOLLOW_PIECES (20) changes the pieces of both; BENCH_FOLLOW_TB_RUNS
# (20) and BENCH_FOLLOW_TB_STEPS (300) the size of the TensorBoard folder.
set -eu
: "${RUNG:?}"
pieces=${BENCH_FOLLOW_PIECES:-20}
work=$(mktemp -d "${TMPDIR:-/tmp}/rung-bench-follow.XXXXXX")
fpid=
trap 'if [ -n "$fpid" ]; then kill "$fpid" 2>/dev/null || :; fi
rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

/usr/bin/python3 - "$work/full.journal" <<'PY'
import sys, warnings, optuna
warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.WARNING)
s = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1]))
study = optuna.create_study(study_name="b", storage=s,
                            sampler=optuna.samplers.RandomSampler(seed=1))
def obj(t):
    x = t.suggest_float("x", -3, 3)
    for i in range(1, 21):
        t.report(x * x + 1.0 / i, i)
    return x * x
study.optimize(obj, n_trials=300)
PY
lines=$(wc -l <"$work/full.journal")
points=$((300 * 21))

# The follower, fed piece by piece; caught up when its points are all in.
: >"$work/live.journal"
"$RUNG" -q -d "$work/f.db" import -s b --follow --interval 0.05 \
	"$work/live.journal" 2>/dev/null &
fpid=$!
per=$(( (lines + pieces - 1) / pieces ))
i=0
while [ "$i" -lt "$pieces" ]; do
	sed -n "$((i * per + 1)),$(((i + 1) * per))p" "$work/full.journal" \
		>>"$work/live.journal"
	sleep 0.3
	i=$((i + 1))
done
n=0
while [ "$n" -lt 100 ]; do
	got=$(sqlite3 "$work/f.db" "select coalesce(sum(n), 0) from curves" \
		2>/dev/null || echo 0)
	[ "$got" -ge "$points" ] && break
	sleep 0.1
	n=$((n + 1))
done
ticks=$(awk '{ print $14 + $15 }' "/proc/$fpid/stat")
hz=$(getconf CLK_TCK)
kill -TERM "$fpid"
wait "$fpid" || true
fpid=
rung_s=$(awk -v t="$ticks" -v h="$hz" 'BEGIN { printf "%.3f", t / h }')

peer_s=$(/usr/bin/python3 - "$work/full.journal" "$pieces" <<'PY'
import os, sys, time, warnings, optuna
warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.WARNING)
full = open(sys.argv[1]).readlines()
pieces = int(sys.argv[2])
path = sys.argv[1] + ".peer"
open(path, "w").close()
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(path))
per = (len(full) + pieces - 1) // pieces
cpu = 0.0
for i in range(pieces):
    with open(path, "a") as f:
        f.writelines(full[i * per:(i + 1) * per])
    t0 = time.process_time()
    for s in storage.get_all_studies():
        trials = storage.get_all_trials(s._study_id, deepcopy=False)
        sum(len(t.intermediate_values) for t in trials)
    cpu += time.process_time() - t0
print("%.3f" % cpu)
PY
)
echo "follow a growing Optuna journal: 300 trials, $points points, $pieces pieces"
echo "  rung import --follow   $rung_s s CPU, $(awk -v s="$rung_s" -v p="$points" 'BEGIN { printf "%.1f", s / p * 1e6 }') us a point (every increment one transaction)"
echo "  Optuna's JournalStorage $peer_s s CPU, $(awk -v s="$peer_s" -v p="$points" 'BEGIN { printf "%.1f", s / p * 1e6 }') us a point (reading the new lines)"
echo "  => rung $(awk -v a="$rung_s" -v b="$peer_s" 'BEGIN { printf "%.2f", a / b }')x Optuna's CPU"

# A TensorBoard folder growing in the same pieces.
py=/usr/bin/python3
if ! command -v protoc >/dev/null 2>&1 ||
    ! "$py" -c 'import google.protobuf, crc32c' 2>/dev/null; then
	echo "follow a growing TensorBoard folder: skipped: needs protoc," \
	    "python3-protobuf and python3-crc32c (Debian: protobuf-compiler" \
	    "python3-protobuf python3-crc32c)"
	exit 0
fi
src=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_FOLLOW_TB_RUNS:-20}
steps=${BENCH_FOLLOW_TB_STEPS:-300}
tb=$work/tb
mkdir "$tb" "$tb/pb" "$tb/live"
. "$src/bench/lib.sh"
tb_protos "$tb/pb"

# The pieces: $tb/pieces/P/run-NN/events.out.tfevents.* holds the records
# piece P appends to that run's event file; $tb/expect the points and runs
# there are once piece P is in, a line a piece.
"$py" - "$tb/pb" "$tb" "$pieces" "$runs" "$steps" <<'PY'
import os, random, struct, sys
sys.path.insert(0, sys.argv[1])
import crc32c
from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2
from tensorboard.compat.proto import types_pb2
from tensorboard.plugins.hparams import api_pb2, plugin_data_pb2

def masked(b):
    c = crc32c.crc32c(b)
    return (((c >> 15) | (c << 17)) + 0xa282ead8) & 0xffffffff

def record(ev):
    b = ev.SerializeToString()
    n = struct.pack("<Q", len(b))
    return n + struct.pack("<I", masked(n)) + b + struct.pack("<I", masked(b))

def hparams(t, step, pd):
    # As tensorboard.plugins.hparams.summary writes a session.
    v = summary_pb2.Summary.Value(
        tag="_hparams_/session_start_info" if pd.HasField(
            "session_start_info") else "_hparams_/session_end_info",
        metadata=summary_pb2.SummaryMetadata(
            plugin_data=summary_pb2.SummaryMetadata.PluginData(
                plugin_name="hparams", content=pd.SerializeToString())),
        tensor=tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT,
                                      float_val=[0.0]))
    return event_pb2.Event(wall_time=t, step=step,
                           summary=summary_pb2.Summary(value=[v]))

out, pieces, runs, steps = (sys.argv[2], int(sys.argv[3]), int(sys.argv[4]),
                            int(sys.argv[5]))
rng = random.Random(1)
points = [0] * pieces
started = [0] * pieces
for r in range(runs):
    first = (r * pieces) // (2 * runs)	# runs start over the first half
    span = pieces - first
    t0 = 1700000000.0 + 60.0 * r
    name = "run-%02d/events.out.tfevents.%d.bench.%d.0" % (r, int(t0), r)
    lr = 10 ** rng.uniform(-4, -1)
    units = rng.choice((32, 64, 128))
    a = rng.uniform(0.5, 2.0)
    for k in range(span):
        p = first + k
        recs = []
        if k == 0:
            started[p] += 1
            recs.append(record(event_pb2.Event(
                wall_time=t0, file_version="brain.Event:2")))
            pd = plugin_data_pb2.HParamsPluginData(version=0)
            pd.session_start_info.hparams["lr"].number_value = lr
            pd.session_start_info.hparams["units"].number_value = units
            pd.session_start_info.start_time_secs = t0
            recs.append(record(hparams(t0, 0, pd)))
        for s in range(k * steps // span, (k + 1) * steps // span):
            v = a / (s + 1) + 0.05 * lr * units
            recs.append(record(event_pb2.Event(
                wall_time=t0 + 0.5 * s, step=s,
                summary=summary_pb2.Summary(value=[summary_pb2.Summary.Value(
                    tag="val_loss", simple_value=v)]))))
            points[p] += 1
        if k == span - 1:
            pd = plugin_data_pb2.HParamsPluginData(version=0)
            pd.session_end_info.status = api_pb2.STATUS_SUCCESS
            pd.session_end_info.end_time_secs = t0 + 0.5 * steps
            recs.append(record(hparams(t0 + 0.5 * steps, steps - 1, pd)))
        path = os.path.join(out, "pieces", "%d" % p, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(b"".join(recs))
with open(os.path.join(out, "expect"), "w") as f:
    n = r = 0
    for p in range(pieces):
        n += points[p]
        r += started[p]
        f.write("%d %d\n" % (n, r))
PY
tbpoints=$((runs * steps))

# append P DIR: piece P appended to the folder DIR.
append() {
	for f in "$tb/pieces/$1"/*/*; do
		r=${f#"$tb/pieces/$1/"}
		[ -d "$2/${r%/*}" ] || mkdir "$2/${r%/*}"
		cat "$f" >>"$2/$r"
	done
}

# The follower, fed piece by piece; after each, waited for until it has
# every point of it.
"$RUNG" -d "$work/tb.db" import -s tb --follow --interval 0.05 "$tb/live" \
	>"$work/tb.out" 2>"$work/tb.err" &
fpid=$!
i=0
while [ "$i" -lt "$pieces" ]; do
	append "$i" "$tb/live"
	i=$((i + 1))
	want=$(sed -n "${i}p" "$tb/expect" | cut -d' ' -f1)
	n=0
	while :; do
		got=$(sqlite3 "$work/tb.db" \
			"select coalesce(sum(n), 0) from curves" 2>/dev/null ||
			echo 0)
		[ "$got" -ge "$want" ] && break
		n=$((n + 1))
		if [ "$n" -ge 400 ]; then
			echo "bench follow: after piece $i of $pieces, rung has" \
			    "$got of $want points" >&2
			cat "$work/tb.err" >&2
			exit 1
		fi
		sleep 0.05
	done
done
ticks=$(awk '{ print $14 + $15 }' "/proc/$fpid/stat")
kill -TERM "$fpid"
wait "$fpid" || true
fpid=
incs=$(grep -c '^rung: [0-9:]* tb: ' "$work/tb.err" || :)
rung_s=$(awk -v t="$ticks" -v h="$hz" 'BEGIN { printf "%.3f", t / h }')
got=$(sqlite3 "$work/tb.db" "select count(*) || ' ' ||
    (select sum(n) from curves) || ' ' || (select count(*) from trial_params)
    from trials where status = 'complete'")
[ "$got" = "$runs $tbpoints $((runs * 2))" ] || {
	echo "bench follow: rung has $got complete trials, points and" \
	    "parameters of $runs $tbpoints $((runs * 2))" >&2
	exit 1
}

peer_s=$("$py" - "$tb/pb" "$tb" "$pieces" "$tbpoints" <<'PY'
import os, shutil, struct, sys, time
sys.path.insert(0, sys.argv[1])
import crc32c
from tensorboard.compat.proto import event_pb2
from tensorboard.plugins.hparams import plugin_data_pb2

def masked(b):
    c = crc32c.crc32c(b)
    return (((c >> 15) | (c << 17)) + 0xa282ead8) & 0xffffffff

top, pieces, want = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
logdir = os.path.join(top, "peer")
os.mkdir(logdir)
offsets = {}	# event file: the offset of its first record not read
runs = {}	# run: {"scalars": {tag: {step: (value, wall)}}, "hparams": ...}

def follow():
    # A look: the run folders, their event files, the records after each
    # file's offset, up to its last whole record.
    n = 0
    for d in sorted(os.scandir(logdir), key=lambda e: e.name):
        if not d.is_dir():
            continue
        run = runs.setdefault(d.name, {"scalars": {}, "hparams": {},
                                       "status": None})
        for e in sorted(os.scandir(d.path), key=lambda e: e.name):
            if "tfevents" not in e.name:
                continue
            off = offsets.get(e.path, 0)
            if e.stat().st_size == off:
                continue
            with open(e.path, "rb") as f:
                f.seek(off)
                data = f.read()
            at = 0
            while len(data) - at >= 12:
                (k,) = struct.unpack_from("<Q", data, at)
                if masked(data[at:at + 8]) != struct.unpack_from(
                        "<I", data, at + 8)[0]:
                    raise SystemExit("bad length checksum")
                if len(data) - at - 12 < k + 4:
                    break
                body = data[at + 12:at + 12 + k]
                if masked(body) != struct.unpack_from(
                        "<I", data, at + 12 + k)[0]:
                    raise SystemExit("bad data checksum")
                at += 16 + k
                ev = event_pb2.Event.FromString(body)
                if not ev.HasField("summary"):
                    continue
                for v in ev.summary.value:
                    if v.WhichOneof("value") == "simple_value":
                        run["scalars"].setdefault(v.tag, {})[ev.step] = (
                            v.simple_value, ev.wall_time)
                        n += 1
                    elif v.metadata.plugin_data.plugin_name == "hparams":
                        pd = plugin_data_pb2.HParamsPluginData.FromString(
                            v.metadata.plugin_data.content)
                        if pd.HasField("session_start_info"):
                            for h, x in pd.session_start_info.hparams.items():
                                run["hparams"][h] = x.number_value
                        elif pd.HasField("session_end_info"):
                            run["status"] = pd.session_end_info.status
            offsets[e.path] = off + at
    return n

cpu = 0.0
n = 0
for i in range(pieces):
    d = os.path.join(top, "pieces", "%d" % i)
    for r in os.listdir(d):
        os.makedirs(os.path.join(logdir, r), exist_ok=True)
        for f in os.listdir(os.path.join(d, r)):
            with open(os.path.join(logdir, r, f), "ab") as w, \
                    open(os.path.join(d, r, f), "rb") as p:
                w.write(p.read())
    t0 = time.process_time()
    n += follow()
    cpu += time.process_time() - t0
assert n == want, (n, want)
assert all(r["status"] == 1 and len(r["hparams"]) == 2
           for r in runs.values()), runs.keys()
print("%.3f" % cpu)
PY
)
echo "follow a growing TensorBoard folder: $runs runs, $tbpoints points, $pieces pieces"
echo "  rung import --follow   $rung_s s CPU, $(awk -v s="$rung_s" -v p="$tbpoints" 'BEGIN { printf "%.1f", s / p * 1e6 }') us a point ($incs increments, each reading again the event files that grew)"
echo "  python3-protobuf reader $peer_s s CPU, $(awk -v s="$peer_s" -v p="$tbpoints" 'BEGIN { printf "%.1f", s / p * 1e6 }') us a point (reading the new records)"
echo "  => rung $(awk -v a="$rung_s" -v b="$peer_s" 'BEGIN { printf "%.2f", a / b }')x the reader's CPU"
