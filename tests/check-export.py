#!/usr/bin/python3
"""Check a rung JSON Lines export against the source file, value by value.

The source is parsed here independently of rung (Python's csv and json
modules), and every point and parameter must be the same double: no
tolerance. Exit status 0 when all match; the first mismatches are printed.

  check-export.py wide SRC EXPORT PREFIX [FIRST_STEP]
  check-export.py long SRC EXPORT METRIC [TRIALCOL]
  check-export.py json SRC EXPORT CURVEPATH PARAMSKEY [METRICNAME]
"""
import csv, gzip, json, math, re, sys

def num(text):
    t = text.strip()
    low = t.lower().lstrip('+-')
    if low in ('nan',):
        return float('nan')
    if low in ('inf', 'infinity'):
        return float('-inf') if t.startswith('-') else float('inf')
    return float(t)

def same(a, b):
    if a is None or b is None:
        return a is b
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return a == b

def opener(path):
    return gzip.open(path, 'rt', newline='') if path.endswith('.gz') else open(path, newline='')

def load_export(path):
    out = {}
    with open(path) as f:
        for line in f:
            rec = json.loads(line)
            out[rec['id']] = rec
    return out

def curve_of(rec, metric):
    pts = {}
    for s, v in zip(rec['steps'], rec[metric]):
        if v is not None:
            pts[s] = v
    return pts

errors = []

def expect(cond, what):
    if not cond:
        errors.append(what)

def param_same(text, got):
    try:
        want = num(text)
    except ValueError:
        return got == text
    if isinstance(got, str):
        return False
    return same(float(want), float(got))

def check_wide(src, exp, prefix, first_step=None):
    pat = re.compile(re.escape(prefix) + r'(\d+)$')
    with opener(src) as f:
        rows = list(csv.reader(f))
    header, data = rows[0], [r for r in rows[1:] if r]
    idx = {i: int(m.group(1)) for i, h in enumerate(header) if (m := pat.match(h))}
    base = min(idx.values())
    metric = prefix.rstrip('_.-')
    for n, row in enumerate(data):
        rec = exp.get(str(n))
        expect(rec is not None, 'trial %d missing' % n)
        if rec is None:
            continue
        pts = curve_of(rec, metric)
        want = {}
        for i, k in idx.items():
            if row[i].strip() == '':
                continue
            step = k if first_step is None else k - base + first_step
            want[step] = num(row[i])
        expect(set(pts) == set(want), 'trial %d: steps %s != %s' % (n, sorted(pts), sorted(want)))
        for s in want:
            expect(same(pts.get(s), want[s]), 'trial %d step %d: %r != %r' % (n, s, pts.get(s), want[s]))
        for i, h in enumerate(header):
            if i in idx or row[i] == '':
                continue
            expect(param_same(row[i], rec['params'].get(h)),
                   'trial %d param %s: %r != %r' % (n, h, rec['params'].get(h), row[i]))

def check_long(src, exp, metric, trialcol='trial'):
    want = {}
    with opener(src) as f:
        for row in csv.DictReader(f):
            cell = row[metric]
            if cell is None or cell.strip() == '':
                continue
            want.setdefault(row[trialcol], {})[int(row['step'])] = num(cell)
    expect(set(want) == set(exp), 'trials differ: %s vs %s' % (sorted(want)[:5], sorted(exp)[:5]))
    for t, pts in want.items():
        got = curve_of(exp.get(t, {'steps': [], metric: []}), metric)
        for s, v in pts.items():
            expect(same(got.get(s), v), 'trial %s step %d: %r != %r' % (t, s, got.get(s), v))
        expect(set(got) == set(pts), 'trial %s: steps differ' % t)

def dig(obj, path):
    for part in path.split('.'):
        obj = obj[part]
    return obj

def check_json(src, exp, curvepath, paramskey, metric=None, first_step=1):
    metric = metric or curvepath
    with opener(src) as f:
        doc = json.load(f)
    if isinstance(doc, dict):
        doc = [doc]
    for n, rec in enumerate(doc):
        got = exp.get(str(n))
        expect(got is not None, 'trial %d missing' % n)
        if got is None:
            continue
        pts = curve_of(got, metric)
        want = {first_step + i: v for i, v in enumerate(dig(rec, curvepath)) if v is not None}
        expect(set(pts) == set(want), 'trial %d: steps differ' % n)
        for s, v in want.items():
            expect(same(pts.get(s), float(v)), 'trial %d step %d: %r != %r' % (n, s, pts.get(s), v))
        for k, v in rec.get(paramskey, {}).items():
            g = got['params'].get(k)
            expect(same(float(g) if not isinstance(v, str) else g,
                        float(v) if not isinstance(v, str) else v),
                   'trial %d param %s: %r != %r' % (n, k, g, v))

kind, src, export = sys.argv[1:4]
rest = sys.argv[4:]
exp = load_export(export)
if kind == 'wide':
    check_wide(src, exp, rest[0], int(rest[1]) if len(rest) > 1 else None)
elif kind == 'long':
    check_long(src, exp, *rest)
elif kind == 'json':
    check_json(src, exp, *rest)
else:
    sys.exit('unknown kind ' + kind)
for e in errors[:20]:
    print(e)
if errors:
    print('%d mismatches' % len(errors))
    sys.exit(1)
print('all values match')
