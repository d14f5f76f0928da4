#!/usr/bin/python3
# An independent reading of a TensorBoard log directory, checked against
# `rung export -f jsonl` of the study rung made of it:
#
#   check-tensorboard.py SRCDIR LOGDIR EXPORT.jsonl
#
# Records are read with python3-crc32c checking both checksums (a torn last
# record ends a file), Events parsed by python3-protobuf from TensorBoard's
# .proto files (SRCDIR/src/proto, compiled with protoc --python_out). The
# rules restated: a run is a folder holding event files; a split folder
# (train, valid...) is a metric prefix of its parent's trial; a folder named
# by a number gives parameters to its parent's; trials are named by the
# part of their paths that differs; files of a run in the order of the time
# in their names, a step logged again taking the later value; a point is a
# simple_value, or a one-element float/double/half tensor of a tag whose
# plugin is "scalars"; parameters from the hparams session, else
# hparams.yaml, config.yaml, params.json; the status from the session end.
import json, math, os, shutil, struct, subprocess, sys, tempfile

import crc32c
import yaml

src, logdir, export = sys.argv[1:4]
gen = tempfile.mkdtemp(prefix="tbcheck.")
protos = ["tensorboard/compat/proto/%s.proto" % n for n in
          ("event", "summary", "histogram", "tensor", "tensor_shape", "types",
           "resource_handle")] + \
         ["tensorboard/plugins/hparams/%s.proto" % n for n in
          ("api", "plugin_data")]
subprocess.check_call(["protoc", "--proto_path=" + os.path.join(src, "src",
                       "proto"), "--python_out=" + gen] + protos)
sys.path.insert(0, gen)
from tensorboard.compat.proto import event_pb2, types_pb2
from tensorboard.plugins.hparams import plugin_data_pb2
shutil.rmtree(gen)

SPLITS = {"train", "training", "valid", "validation", "val", "eval",
          "evaluation", "test", "testing", "dev"}


def masked(b):
    c = crc32c.crc32c(b)
    return (((c >> 15) | (c << 17)) + 0xa282ead8) & 0xffffffff


def records(path):
    data = open(path, "rb").read()
    off = 0
    while len(data) - off >= 12:
        (n,) = struct.unpack_from("<Q", data, off)
        assert masked(data[off:off + 8]) == struct.unpack_from(
            "<I", data, off + 8)[0], (path, off)
        if len(data) - off - 12 < n + 4:
            break   # torn
        body = data[off + 12:off + 12 + n]
        assert masked(body) == struct.unpack_from("<I", data,
                                                  off + 12 + n)[0]
        yield body
        off += 16 + n


def is_number(s):
    try:
        float(s)
        return s[0].isdigit()
    except ValueError:
        return False


runs = {}
for d, dirs, files in os.walk(logdir):
    dirs[:] = sorted(x for x in dirs if not x.startswith("."))
    ev = [f for f in files if "tfevents" in f and not f.startswith(".")]
    if ev:
        rel = os.path.relpath(d, logdir)
        runs["" if rel == "." else rel] = ev
trials = {}     # trial rel -> list of (run rel, prefix, params_only)
for rel in sorted(runs):
    base = rel.rsplit("/", 1)[-1]
    parent = rel.rsplit("/", 1)[0] if "/" in rel else ""
    if rel and base.lower() in SPLITS:
        trials.setdefault(parent, []).append((rel, base + "/", False))
    elif rel and is_number(base):
        trials.setdefault(parent, []).append((rel, "", parent in runs))
    else:
        trials.setdefault(rel, []).append((rel, "", False))

rootname = os.path.basename(os.path.abspath(logdir))
parts = {t: t.split("/") if t else [] for t in trials}
names = {}
if len(trials) == 1:
    names = {t: rootname for t in trials}
else:
    minn = min(len(p) for p in parts.values())
    ps = list(parts.values())
    pre = 0
    while pre + 1 < minn and all(p[pre] == ps[0][pre] for p in ps):
        pre += 1
    suf = 0
    while pre + suf + 1 < minn and all(p[-1 - suf] == ps[0][-1 - suf]
                                       for p in ps):
        suf += 1
    for t, p in parts.items():
        names[t] = "/".join(p[pre:len(p) - suf]) or rootname
    if len(set(names.values())) < len(names):
        names = {t: t or rootname for t in trials}


def tensor_value(t):
    if any(d.size != 1 for d in t.tensor_shape.dim):
        return None
    c = t.tensor_content
    if t.dtype == types_pb2.DT_FLOAT:
        if len(c) == 4:
            return struct.unpack("<f", c)[0]
        return t.float_val[0] if not c and len(t.float_val) == 1 else None
    if t.dtype == types_pb2.DT_DOUBLE:
        if len(c) == 8:
            return struct.unpack("<d", c)[0]
        return t.double_val[0] if not c and len(t.double_val) == 1 else None
    if t.dtype == types_pb2.DT_HALF:
        if len(c) == 2:
            return struct.unpack("<e", c)[0]
        if not c and len(t.half_val) == 1:
            return struct.unpack("<e", struct.pack("<H", t.half_val[0]))[0]
    return None


def file_time(name):
    t = name.split("tfevents.", 1)[1] if "tfevents." in name else ""
    digits = ""
    for ch in t:
        if not ch.isdigit():
            break
        digits += ch
    return (int(digits) if digits else 0, name)


def flatten(obj, pre, out):
    for k, v in obj.items():
        if isinstance(v, dict):
            flatten(v, pre + k + "/", out)
        elif v is not None:
            out[pre + k] = v


expect = {}
npoints = 0
for t, members in trials.items():
    curves, wall, params, status, session = {}, {}, {}, "complete", False
    for rel, prefix, params_only in members:
        d = os.path.join(logdir, rel)
        plugin = {}
        for f in sorted(runs[rel], key=file_time):
            for body in records(os.path.join(d, f)):
                e = event_pb2.Event.FromString(body)
                if not e.HasField("summary"):
                    continue
                for v in e.summary.value:
                    if v.metadata.plugin_data.plugin_name:
                        plugin[v.tag] = v.metadata.plugin_data.plugin_name
                    if plugin.get(v.tag) == "hparams":
                        if v.metadata.plugin_data.plugin_name != "hparams":
                            continue
                        pd = plugin_data_pb2.HParamsPluginData.FromString(
                            v.metadata.plugin_data.content)
                        if pd.HasField("session_start_info"):
                            session = True
                            for k, hv in pd.session_start_info.hparams.items():
                                kind = hv.WhichOneof("kind")
                                if kind == "bool_value":
                                    params[k] = "true" if hv.bool_value else "false"
                                elif kind is not None:
                                    params[k] = getattr(hv, kind)
                        elif pd.HasField("session_end_info"):
                            status = {1: "complete", 2: "failed",
                                      3: "running"}.get(
                                pd.session_end_info.status, status)
                        continue
                    kind = v.WhichOneof("value")
                    if kind == "simple_value":
                        x = v.simple_value
                    elif kind == "tensor" and plugin.get(v.tag) == "scalars":
                        x = tensor_value(v.tensor)
                        if x is None:
                            continue
                    else:
                        continue
                    if params_only:
                        continue
                    tag = v.tag
                    if tag.startswith("ray/tune/") and tag != "ray/tune/":
                        tag = tag[len("ray/tune/"):]
                    curves.setdefault(prefix + tag, {})[e.step] = x
                    wall[e.step] = e.wall_time
    if not session:
        dirs = [os.path.join(logdir, t)] + [os.path.join(logdir, r)
                                            for r, _, _ in members if r]
        for d in dirs:
            found = False
            for fn in ("hparams.yaml", "config.yaml", "params.json"):
                p = os.path.join(d, fn)
                if os.path.isfile(p):
                    obj = (yaml.safe_load(open(p)) if fn.endswith(".yaml")
                           else json.load(open(p)))
                    if isinstance(obj, dict):
                        flatten(obj, "", params)
                        found = True
            if found:
                break
    expect[names[t]] = (curves, wall, params, status)

got = {}
for line in open(export):
    r = json.loads(line)
    got[r["id"]] = r
assert set(got) == set(expect), (sorted(got), sorted(expect))
skip = {"id", "status", "params", "steps", "metric", "directions", "seconds"}
for tid, (curves, wall, params, status) in expect.items():
    r = got[tid]
    steps = sorted(set(s for c in curves.values() for s in c))
    assert r["steps"] == steps, (tid, r["steps"], steps)
    assert r["status"] == status, (tid, r["status"], status)
    for m in set(k for k in r if k not in skip) | set(curves):
        want = [curves.get(m, {}).get(s) for s in steps]
        have = r.get(m, [None] * len(steps))
        for a, b in zip(have, want):
            assert (a is None and b is None) or (
                a is not None and b is not None and
                (a == b or (math.isnan(a) and math.isnan(b)))), \
                (tid, m, have, want)
        npoints += sum(b is not None for b in want)
    if "seconds" in r:
        prev = None
        for s, sec in zip(steps, r["seconds"]):
            w = wall.get(s)
            if prev is None or w is None:
                assert sec is None or math.isnan(sec), (tid, s, sec)
            else:
                assert abs(sec - (w - prev)) < 1e-6, (tid, s, sec, w - prev)
            prev = w if w is not None else prev
    have = {k: v for k, v in r["params"].items() if v is not None}
    norm = lambda v: (json.dumps(v, separators=(",", ":"))
                      if isinstance(v, list) else
                      ("true" if v else "false") if isinstance(v, bool)
                      else v)
    want = {k: norm(v) for k, v in params.items()}
    assert have == want, (tid, have, want)
print(len(expect), "trials,", npoints, "values checked")
