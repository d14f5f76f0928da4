#!/bin/sh
# How well rung forecasts running trials (issue 19): each study's trials
# that reached its last step, replayed as if live, cut at 25%, 50% and 75%
# of that step and imported as running; `rung trials --running --json`
# forecasts them, and the forecasts are held to the values the trials
# really ended with: Kendall's tau of forecasts and finals (rank
# agreement) beside that of the last value seen and the finals (what a
# forecast must beat), the share of finals inside the band, and the median
# absolute error relative to the spread of the finals (10th to 90th
# percentile). Studies: mlpf and
# the TaskSet files of ../shared/data. Not part of make bench.
#
#   RUNG=./rung sh bench/repro-forecast.sh
set -eu
: "${RUNG:?}"
here=$(cd "$(dirname "$0")" && pwd)
shared=${RUNG_SHARED_DATA:-$here/../../shared/data}
[ -d "$shared" ] || shared=$here/../shared/data
[ -d "$shared" ] || { echo "repro-forecast: no ../shared/data" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/rung-repro-forecast.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

one() {	# name, import options...
	name=$1
	shift
	"$RUNG" -q -d "$work/src.db" import -s "$name" "$@" >/dev/null
	"$RUNG" -d "$work/src.db" export -f jsonl "$name" >"$work/$name.jsonl"
	for f in 25 50 75; do
		/usr/bin/python3 "$work/cut.py" "$work/$name.jsonl" "$f" \
		    "$work/T" >"$work/$name-$f.csv"
		rm -f "$work/f.db"
		"$RUNG" -q -d "$work/f.db" import -s live -m value \
		    "$work/$name-$f.csv" >/dev/null 2>&1
		"$RUNG" -d "$work/f.db" trials --running --target "$(cat "$work/T")" --json live \
		    >"$work/$name-$f.json"
		/usr/bin/python3 "$work/score.py" "$work/$name.jsonl" \
		    "$work/$name-$f.json" "$name" "$f"
	done
}

cat >"$work/cut.py" <<'PY'
import csv, json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
m = recs[0]["metric"]
T = max(r["steps"][-1] for r in recs if r["steps"])
cut = max(1, round(T * int(sys.argv[2]) / 100))
open(sys.argv[3], "w").write("%d\n" % T)
w = csv.writer(sys.stdout)
w.writerow(["trial", "step", "value", "status"])
# The trials that reached T run, cut at the fraction; the others are done,
# as they were (the incumbent comes from none of them: no trial reached T).
for r in recs:
    full = r["steps"] and r["steps"][-1] == T
    for s, v in zip(r["steps"], r[m]):
        if v is None or (full and s > cut):
            continue
        w.writerow([r["id"], s, repr(v), "running" if full else "stopped"])
PY
cat >"$work/score.py" <<'PY'
import json, math, sys
recs = {r["id"]: r for r in map(json.loads, open(sys.argv[1]))}
m = next(iter(recs.values()))["metric"]
got = json.load(open(sys.argv[2]))
pairs, last, inside, n = [], [], 0, 0
for t in got:
    f = t["forecast"]
    true = recs[t["id"]][m][-1]
    if f["value"] is None or true is None or not math.isfinite(true):
        continue
    pairs.append((f["value"], true))
    last.append((t["final"], true))
    inside += f["low"] <= true <= f["high"]
    n += 1
def tau(p):
    c = d = 0
    for i in range(len(p)):
        for j in range(i + 1, len(p)):
            s = (p[i][0] - p[j][0]) * (p[i][1] - p[j][1])
            c += s > 0
            d += s < 0
    return (c - d) / (c + d) if c + d else float("nan")
finals = sorted(t for _, t in pairs)
spread = (finals[int(0.9 * (len(finals) - 1))] - finals[int(0.1 * (len(finals) - 1))]) or 1
err = sorted(abs(a - b) / spread for a, b in pairs)
lerr = sorted(abs(a - b) / spread for a, b in last)
print("%-16s %3s%%  %5d  %6.3f  %6.3f  %6.2f  %6.3f  %6.3f" % (sys.argv[3],
      sys.argv[4], n, tau(pairs), tau(last), inside / n if n else float("nan"),
      err[len(err) // 2] if err else float("nan"),
      lerr[len(lerr) // 2] if lerr else float("nan")))
PY

echo "study cut trials tau tau(last) in-band err err(last)"
one mlpf --first-step 1 "$shared/mlpf-swift/mlpf.csv"
for f in "$shared"/taskset/*.json; do
	n=$(basename "$f" .json | sed 's/FixedTextRNNClassification_imdb_//')
	one "$n" "$f"
done
