#!/usr/bin/python3
# An independent reading of a CSV whose cells hold lists (LCDB), checked
# against `rung export -f jsonl` of its study, every value:
# check-arrays.py FILE.csv EXPORT.jsonl STEPS_COLUMN
# Cells are parsed with Python's ast.literal_eval. A list column other than
# the steps is a curve: its first axis the steps, deeper axes named by a
# "...types" column (innermost), LCDB's documented train/valid/test (axis
# 1 of m:score_values), else the index.
import ast, csv, json, math, sys

path, export, stepcol = sys.argv[1], sys.argv[2], sys.argv[3]
KNOWN = {("m:score_values", 1): ["train", "valid", "test"]}

def base(col):
    b = col[2:] if col.startswith("m:") else col
    if b.endswith("_values"):
        b = b[:-7]
    elif b.endswith("values") and len(b) > 6:
        b = b[:-6]
    return b

def walk(col, v, name, axis, labels, out, step):
    if v is None:
        return
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        out.setdefault(name, {})[step] = float(v)
        return
    leaves = not any(isinstance(e, (list, tuple)) for e in v)
    for i, e in enumerate(v):
        if leaves and labels is not None and len(labels) == len(v):
            lab = labels[i]
        elif (col, axis) in KNOWN and i < len(KNOWN[col, axis]):
            lab = KNOWN[col, axis][i]
        else:
            lab = str(i)
        walk(col, e, name + "/" + lab, axis + 1, labels, out, step)

rows = list(csv.DictReader(open(path, newline="")))
got = {}
for line in open(export):
    r = json.loads(line)
    got[r["id"]] = r
assert len(got) == len(rows), (len(got), len(rows))
nvalues = 0
for index, row in enumerate(rows):
    rec = got[str(index)]
    want = {}
    steps = ast.literal_eval(row[stepcol]) if row[stepcol] else []
    for col, text in row.items():
        if col == stepcol or not text.lstrip().startswith(("[", "(")):
            continue
        try:
            v = ast.literal_eval(text)
        except Exception:
            continue
        if not isinstance(v, (list, tuple)) or len(v) != len(steps):
            continue
        if all(isinstance(e, str) for e in v):
            continue
        lcol = col[:-6] + "types" if col.endswith("values") else None
        labels = ast.literal_eval(row[lcol]) if lcol in row and row[lcol] else None
        for s, e in zip(steps, v):
            walk(col, e, base(col), 1, labels, want, s)
    for name, pts in want.items():
        have = {s: x for s, x in zip(rec["steps"], rec[name]) if x is not None}
        assert set(have) == set(pts), (index, name)
        for s, x in pts.items():
            y = have[s]
            assert x == y or (math.isnan(x) and math.isnan(y)), (index, name, s, x, y)
            nvalues += 1
    curves = set(k for k in rec if k not in ("id", "status", "params", "steps", "metric", "directions", "seconds"))
    assert curves == set(want) or not want, (index, sorted(curves ^ set(want)))
    for col, text in row.items():
        if col.startswith("p:"):
            p = rec["params"][col[2:]]
            assert str(p) == text or (isinstance(p, float) and p == float(text)), (index, col, p, text)
print(len(rows), "trials,", nvalues, "values checked")
