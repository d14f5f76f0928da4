#!/bin/sh
# make bench: rung's import of a TensorBoard log directory of a million
# scalars against reading the same files with python3-protobuf (the
# records with both checksums checked by python3-crc32c, each Event parsed
# with TensorBoard's .proto files, the scalars collected per run, tag and
# step), in the same run, reported as a ratio, with rung's peak memory per
# point. Skipped without protoc, python3-protobuf or python3-crc32c.
#
# The log directory is written with python3-protobuf: half of its runs as
# PyTorch's SummaryWriter writes them (an Event per add_scalar, a
# simple_value), half as TF2's tf.summary.scalar does (an Event per step
# holding a rank-0 float tensor per tag, the plugin named in the first).
#
# BENCH_TB_RUNS (200) and BENCH_TB_STEPS (2500) change the size: a run of
# either kind holds 2 x BENCH_TB_STEPS scalars.
set -eu
: "${RUNG:?}" "${PEAK:?}"
py=/usr/bin/python3
src=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v protoc >/dev/null 2>&1 ||
    ! "$py" -c 'import google.protobuf, crc32c' 2>/dev/null; then
	echo "bench tensorboard: skipped: needs protoc, python3-protobuf and" \
	    "python3-crc32c (Debian: protobuf-compiler python3-protobuf" \
	    "python3-crc32c)"
	exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/rung-bench-tb.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
runs=${BENCH_TB_RUNS:-200}
steps=${BENCH_TB_STEPS:-2500}
points=$((runs * steps * 2))

mkdir "$work/pb"
. "$src/bench/lib.sh"
tb_protos "$work/pb"

cat >"$work/gen.py" <<'EOF'
import os, random, struct, sys, time
sys.path.insert(0, sys.argv[1])
import crc32c
from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2
from tensorboard.compat.proto import types_pb2

def masked(b):
    c = crc32c.crc32c(b)
    return (((c >> 15) | (c << 17)) + 0xa282ead8) & 0xffffffff

def record(b):
    n = struct.pack("<Q", len(b))
    return n + struct.pack("<I", masked(n)) + b + struct.pack("<I", masked(b))

out, runs, steps = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
t0 = time.time()
rng = random.Random(1)
for r in range(runs):
    d = os.path.join(out, "run-%03d" % r)
    os.makedirs(d)
    w = open(os.path.join(d, "events.out.tfevents.1700000000.bench.%d.0" % r),
             "wb")
    w.write(record(event_pb2.Event(wall_time=1700000000.0,
                                   file_version="brain.Event:2")
                   .SerializeToString()))
    a = rng.uniform(0.5, 2.0)
    if r % 2 == 0:
        # PyTorch: an Event per add_scalar.
        for s in range(steps):
            t = 1700000000.0 + s * 0.25
            for tag, v in (("loss", a / (s + 1)), ("lr", 0.1 * 0.999 ** s)):
                e = event_pb2.Event(wall_time=t, step=s, summary=summary_pb2.
                                    Summary(value=[summary_pb2.Summary.Value(
                                        tag=tag, simple_value=v)]))
                w.write(record(e.SerializeToString()))
    else:
        # TF2: an Event per step, a float tensor per tag.
        for s in range(steps):
            vals = []
            for tag, v in (("epoch_loss", a / (s + 1)),
                           ("epoch_accuracy", 1 - a / (s + 2))):
                val = summary_pb2.Summary.Value(
                    tag=tag, tensor=tensor_pb2.TensorProto(
                        dtype=types_pb2.DT_FLOAT,
                        tensor_content=struct.pack("<f", v)))
                if s == 0:
                    val.metadata.plugin_data.plugin_name = "scalars"
                vals.append(val)
            e = event_pb2.Event(wall_time=1700000000.0 + s * 0.25, step=s,
                                summary=summary_pb2.Summary(value=vals))
            w.write(record(e.SerializeToString()))
    w.close()
print("  generated %d runs in %.1f s" % (runs, time.time() - t0))
EOF

cat >"$work/read.py" <<'EOF'
import os, struct, sys, time
t0 = time.time()
sys.path.insert(0, sys.argv[1])
import crc32c
from tensorboard.compat.proto import event_pb2, types_pb2
t1 = time.time()

def masked(b):
    c = crc32c.crc32c(b)
    return (((c >> 15) | (c << 17)) + 0xa282ead8) & 0xffffffff

logdir = sys.argv[2]
curves = {}
n = 0
for d, dirs, files in os.walk(logdir):
    for f in sorted(files):
        if "tfevents" not in f:
            continue
        run = curves.setdefault(os.path.relpath(d, logdir), {})
        plugin = {}
        data = open(os.path.join(d, f), "rb").read()
        off = 0
        while len(data) - off >= 12:
            (k,) = struct.unpack_from("<Q", data, off)
            if masked(data[off:off + 8]) != struct.unpack_from(
                    "<I", data, off + 8)[0]:
                raise SystemExit("bad length checksum")
            if len(data) - off - 12 < k + 4:
                break
            body = data[off + 12:off + 12 + k]
            if masked(body) != struct.unpack_from("<I", data,
                                                  off + 12 + k)[0]:
                raise SystemExit("bad data checksum")
            off += 16 + k
            e = event_pb2.Event.FromString(body)
            if not e.HasField("summary"):
                continue
            for v in e.summary.value:
                if v.metadata.plugin_data.plugin_name:
                    plugin[v.tag] = v.metadata.plugin_data.plugin_name
                kind = v.WhichOneof("value")
                if kind == "simple_value":
                    x = v.simple_value
                elif (kind == "tensor" and plugin.get(v.tag) == "scalars"
                      and v.tensor.dtype == types_pb2.DT_FLOAT):
                    c = v.tensor.tensor_content
                    x = (struct.unpack("<f", c)[0] if len(c) == 4
                         else v.tensor.float_val[0])
                else:
                    continue
                run.setdefault(v.tag, {})[e.step] = (x, e.wall_time)
                n += 1
t2 = time.time()
assert n == int(sys.argv[3]), n
with open(sys.argv[4], "w") as f:
    f.write("%.3f %.3f\n" % (t2 - t1, t1 - t0))
EOF

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

echo "generating a TensorBoard log directory: $runs runs x $steps steps x" \
    "2 tags = $points scalars"
"$py" "$work/gen.py" "$work/pb" "$work/logs" "$runs" "$steps"
du -sk "$work/logs" | awk '{ printf "  %.1f MB of event files\n", $1 / 1024 }'

echo "reading it: rung import (into a new rung.db), and python3-protobuf"
echo "(records, checksums, Events, scalars; timed inside Python, and as a"
echo "process)"
measure rung "$RUNG" -q -d "$work/rung.db" import "$work/logs"
got=$(sqlite3 "$work/rung.db" 'select count(*) from trials')
[ "$got" -eq "$runs" ] || { echo "bench tensorboard: rung imported $got" \
    "trials" >&2; exit 1; }
measure python "$py" "$work/read.py" "$work/pb" "$work/logs" "$points" \
    "$work/inside"
inside=$(cut -d' ' -f1 "$work/inside")
startup=$(cut -d' ' -f2 "$work/inside")

printf '\n%-40s %10s %10s %10s\n' "TensorBoard, $points scalars" seconds \
    scalars/s "peak MiB"
printf '%-40s %10s %10s %10d\n' "rung import" "$(secs rung)" \
    "$(rate "$points" "$(secs rung)")" $(( $(kib rung) / 1024 ))
printf '%-40s %10s %10s %10s\n' "python3-protobuf (inside Python)" \
    "$inside" "$(rate "$points" "$inside")" "-"
printf '%-40s %10s %10s %10d\n' "python3-protobuf (process)" \
    "$(secs python)" "$(rate "$points" "$(secs python)")" \
    $(( $(kib python) / 1024 ))
echo "  (of the process, $startup s is importing protobuf and the protos)"
printf 'ratio python/rung: rung is %sx faster than python3-protobuf' \
    "$(ratio "$inside" "$(secs rung)")"
printf ' inside Python (%sx as processes)\n' \
    "$(ratio "$(secs python)" "$(secs rung)")"
printf 'rung peak memory per scalar: %s bytes\n' \
    "$(awk -v k="$(kib rung)" -v n="$points" 'BEGIN { printf "%.0f", k * 1024 / n }')"
