#!/usr/bin/python3
# Write the TensorBoard log directories of tests/data/tensorboard with an
# independent writer: Debian's python3-protobuf, TensorBoard's own .proto
# files (src/proto, compiled here with protoc --python_out) and
# python3-crc32c for the TFRecord checksums.
#
#   make-events.py OUTDIR [SRCDIR]
#
# OUTDIR/logs        a log directory of five runs:
#   simple/          TF1 / PyTorch SummaryWriter: simple_value scalars,
#                    hparams.yaml beside them
#   tensor/          TF2: rank-0 tensors of plugin "scalars" (DT_FLOAT in
#                    tensor_content and in float_val, DT_DOUBLE, DT_HALF),
#                    the metadata in the first value of a tag only; an
#                    hparams session (start and end); a histogram, an
#                    image and a text summary (no scalars)
#   restart/         two event files (a restart; the earlier one's name
#                    sorts last) overlapping at steps 5..9; the later one
#                    ends in a torn record and an hparams session end that
#                    says failure
#   split/train/, split/valid/   one trial, params.json in split/
#   ray/             Ray Tune's TBXLogger tags (ray/tune/...)
# OUTDIR/bad/crc     an event file whose fifth record's data checksum is
#                    wrong
# Everything is deterministic: the files are the same at every run.
import os, struct, subprocess, sys, tempfile

import crc32c

out = sys.argv[1]
src = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
protodir = os.path.join(src, "src", "proto")
gen = tempfile.mkdtemp(prefix="tbproto.")
protos = ["tensorboard/compat/proto/%s.proto" % n for n in
          ("event", "summary", "histogram", "tensor", "tensor_shape", "types",
           "resource_handle")] + \
         ["tensorboard/plugins/hparams/%s.proto" % n for n in
          ("api", "plugin_data")]
subprocess.check_call(["protoc", "--proto_path=" + protodir,
                       "--python_out=" + gen] + protos)
sys.path.insert(0, gen)
from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2
from tensorboard.compat.proto import tensor_shape_pb2, types_pb2
from tensorboard.compat.proto import histogram_pb2
from tensorboard.plugins.hparams import plugin_data_pb2, api_pb2
import shutil
shutil.rmtree(gen)


def masked(data):
    c = crc32c.crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xa282ead8) & 0xffffffff


def record(data):
    n = struct.pack("<Q", len(data))
    return n + struct.pack("<I", masked(n)) + data + \
        struct.pack("<I", masked(data))


class Writer:
    def __init__(self, path, t0):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.f = open(path, "wb")
        self.t = t0
        self.event(file_version="brain.Event:2")

    def event(self, **kw):
        ev = event_pb2.Event(wall_time=self.t, **kw)
        self.f.write(record(ev.SerializeToString(deterministic=True)))

    def values(self, step, values, wall=None):
        self.event(step=step, summary=summary_pb2.Summary(value=values))

    def close(self, torn=None):
        if torn is not None:
            self.f.write(torn)
        self.f.close()


def meta(plugin, content=b""):
    return summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(
            plugin_name=plugin, content=content))


def scalar_tensor(dtype, how, v):
    shape = tensor_shape_pb2.TensorShapeProto()
    if dtype == types_pb2.DT_FLOAT:
        if how == "content":
            return tensor_pb2.TensorProto(dtype=dtype, tensor_shape=shape,
                                          tensor_content=struct.pack("<f", v))
        return tensor_pb2.TensorProto(dtype=dtype, tensor_shape=shape,
                                      float_val=[v])
    if dtype == types_pb2.DT_DOUBLE:
        if how == "content":
            return tensor_pb2.TensorProto(dtype=dtype, tensor_shape=shape,
                                          tensor_content=struct.pack("<d", v))
        return tensor_pb2.TensorProto(dtype=dtype, tensor_shape=shape,
                                      double_val=[v])
    bits = struct.unpack("<H", struct.pack("<e", v))[0]
    if how == "content":
        return tensor_pb2.TensorProto(dtype=dtype, tensor_shape=shape,
                                      tensor_content=struct.pack("<H", bits))
    return tensor_pb2.TensorProto(dtype=dtype, tensor_shape=shape,
                                  half_val=[bits])


def hparams_value(tag, pd):
    # As tensorboard.plugins.hparams.summary writes it: the data in the
    # metadata, a placeholder tensor.
    return summary_pb2.Summary.Value(
        tag=tag, metadata=meta("hparams", pd.SerializeToString(
            deterministic=True)),
        tensor=tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT,
                                      float_val=[0.0]))


def session_start(hp):
    pd = plugin_data_pb2.HParamsPluginData(version=0)
    s = pd.session_start_info
    for k, v in hp.items():
        if isinstance(v, bool):
            s.hparams[k].bool_value = v
        elif isinstance(v, (int, float)):
            s.hparams[k].number_value = v
        else:
            s.hparams[k].string_value = v
    s.start_time_secs = 1700000100.0
    return hparams_value("_hparams_/session_start_info", pd)


def session_end(status):
    pd = plugin_data_pb2.HParamsPluginData(version=0)
    pd.session_end_info.status = status
    pd.session_end_info.end_time_secs = 1700000199.0
    return hparams_value("_hparams_/session_end_info", pd)


def sv(tag, v):
    return summary_pb2.Summary.Value(tag=tag, simple_value=v)


logs = os.path.join(out, "logs")

# TF1 / PyTorch: an event per add_scalar call.
w = Writer(os.path.join(logs, "simple", "events.out.tfevents.1700000000."
                        "rung-test.101.0"), 1700000000.0)
for s in range(20):
    w.t = 1700000000.0 + 1.5 * s
    w.values(s, [sv("loss", 2.0 / (s + 1))])
    w.values(s, [sv("accuracy", 0.5 + s / 50.0)])
w.close()
with open(os.path.join(logs, "simple", "hparams.yaml"), "w") as f:
    f.write("lr: 0.01\nmodel:\n  depth: 3\n  act: relu\nbatch_size: 64\n")

# TF2: tensors of plugin "scalars", as tf.summary.scalar writes them.
w = Writer(os.path.join(logs, "tensor", "events.out.tfevents.1700000100."
                        "rung-test.102.0.v2"), 1700000100.0)
w.values(0, [session_start({"lr": 0.001, "units": 32, "optimizer": "adam",
                            "batchnorm": True})])
seen = set()
for s in range(12):
    w.t = 1700000100.0 + 2.0 * s
    vals = []
    for tag, dtype, how, v in (
            ("epoch_loss", types_pb2.DT_FLOAT, "content", 1.0 / (s + 2)),
            ("epoch_acc", types_pb2.DT_FLOAT, "val", 0.25 + s / 40.0),
            ("epoch_lr", types_pb2.DT_DOUBLE,
             "content" if s % 2 else "val", 0.001 * 0.9 ** s),
            ("epoch_gnorm", types_pb2.DT_HALF,
             "content" if s % 2 else "val", 1.5 + s / 8.0)):
        val = summary_pb2.Summary.Value(
            tag=tag, tensor=scalar_tensor(dtype, how, v))
        if tag not in seen:
            val.metadata.CopyFrom(meta("scalars"))
            seen.add(tag)
        vals.append(val)
    w.values(s, vals)
    # A histogram, an image and a text: no scalars.
    w.values(s, [summary_pb2.Summary.Value(
        tag="weights", histo=histogram_pb2.HistogramProto(
            min=0.0, max=1.0, num=3, sum=1.5, bucket_limit=[0.5, 1.0],
            bucket=[1, 2]))])
    if s == 0:
        w.values(s, [summary_pb2.Summary.Value(
            tag="sample", image=summary_pb2.Summary.Image(
                height=1, width=1, colorspace=1,
                encoded_image_string=b"\x89PNG\r\n"))])
        w.values(s, [summary_pb2.Summary.Value(
            tag="notes", metadata=meta("text"),
            tensor=tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING,
                                          string_val=[b"hello"]))])
w.values(11, [session_end(api_pb2.STATUS_SUCCESS)])
w.close()
with open(os.path.join(logs, "tensor", "hparams.yaml"), "w") as f:
    f.write("lr: 0.5\n")	# the session's parameters win

# A restart: the earlier file's name sorts after the later one's.
w = Writer(os.path.join(logs, "restart", "events.out.tfevents.999999999."
                        "rung-test.103.0"), 999999999.0)
for s in range(10):
    w.t = 1700000300.0 + s
    w.values(s, [sv("loss", 10.0 - s)])
w.close()
w = Writer(os.path.join(logs, "restart", "events.out.tfevents.1000000000."
                        "rung-test.104.0"), 1000000000.0)
for s in range(5, 15):
    w.t = 1700000400.0 + s
    w.values(s, [sv("loss", 100.0 - s)])
w.values(14, [session_end(api_pb2.STATUS_FAILURE)])
# A writer that died mid-record: the length and part of the data.
ev = event_pb2.Event(wall_time=1700000500.0, step=15,
                     summary=summary_pb2.Summary(value=[sv("loss", 0.0)]))
rec = record(ev.SerializeToString())
w.close(torn=rec[:len(rec) - 7])

# Keras and MLPF: train/ and valid/ of one run.
for split, off in (("train", 0.0), ("valid", 0.1)):
    w = Writer(os.path.join(logs, "split", split, "events.out.tfevents."
                            "1700000600.rung-test.105.0"), 1700000600.0)
    for s in range(1, 9):
        w.t = 1700000600.0 + 3.0 * s + off
        w.values(s, [sv("loss", 1.0 / s + off), sv("lr", 0.1)])
    w.close()
with open(os.path.join(logs, "split", "params.json"), "w") as f:
    f.write('{"lr": 0.1, "arch": {"layers": [64, 64], "act": "gelu"}}\n')

# Ray Tune's TBXLoggerCallback: ray/tune/ before every metric.
w = Writer(os.path.join(logs, "ray", "events.out.tfevents.1700000700."
                        "rung-test.106.0"), 1700000700.0)
for s in range(1, 6):
    w.t = 1700000700.0 + s
    w.values(s, [sv("ray/tune/loss", 0.5 / s),
                 sv("ray/tune/time_this_iter_s", 1.0)])
w.close()

# A damaged file: the data of the fifth record is changed after its
# checksum was written.
path = os.path.join(out, "bad", "crc", "events.out.tfevents.1700000800."
                    "rung-test.107.0")
w = Writer(path, 1700000800.0)
offsets = []
for s in range(8):
    offsets.append(w.f.tell())
    w.values(s, [sv("loss", float(s))])
w.close()
with open(path, "r+b") as f:
    f.seek(offsets[4] + 12 + 4)
    b = f.read(1)
    f.seek(offsets[4] + 12 + 4)
    f.write(bytes([b[0] ^ 0x40]))
print(offsets[4])
