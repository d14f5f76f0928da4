#!/bin/sh
# rung importance (PED-ANOVA) on a generated study of 100,000 trials x 100
# steps (genstudy.c: a real, an integer and a categorical parameter), at
# the end and at two steps on the way, against tests/ped-anova.py (the
# reference written in Python from the paper, which the test suite holds
# rung to) on the same trials, in the same run. Target: under 1 s, the
# study's loading included. Then fANOVA on 1,000 such trials against
# Optuna's FanovaImportanceEvaluator (tests/fanova-optuna.py) on the same
# trials. Target: 10x faster.
set -eu
: "${RUNG:?}" "${GENSTUDY:?}"
trials=${BENCH_IMPORTANCE_TRIALS:-100000}
steps=${BENCH_IMPORTANCE_STEPS:-100}
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/rung-bench-importance.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

"$GENSTUDY" "$trials" "$steps" >"$work/big.csv"
"$RUNG" -q -d "$work/b.db" import -s big "$work/big.csv"
rm -f "$work/big.csv"
"$RUNG" -d "$work/b.db" export -f jsonl -o "$work/big.jsonl" big
sqlite3 -json "$work/b.db" "select name, type, log from params" \
	>"$work/params.json"

echo "importance bench: $trials trials x $steps steps (genstudy), PED-ANOVA"
best=
for i in 1 2 3; do
	t0=$(now)
	"$RUNG" -q -d "$work/b.db" importance --json big >"$work/rung.json"
	t1=$(now)
	s=$(secs "$t0" "$t1")
	if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then
		best=$s
	fi
done
t0=$(now)
"$RUNG" -q -d "$work/b.db" importance --prefix 10%,50%,final big >/dev/null
t1=$(now)
three=$(secs "$t0" "$t1")
t0=$(now)
/usr/bin/python3 "$src/tests/ped-anova.py" "$work/big.jsonl" \
	"$work/params.json" loss min 0.1 final >"$work/ref.json"
t1=$(now)
ref=$(secs "$t0" "$t1")
/usr/bin/python3 - "$work/rung.json" "$work/ref.json" <<'PY'
import json, sys
got = json.load(open(sys.argv[1]))["columns"][0]["importance"]
want = json.load(open(sys.argv[2]))
for k in want:
    assert (got[k] is None) == (want[k] is None), (k, got, want)
    assert got[k] is None or abs(got[k] - want[k]) <= 1e-9, (k, got, want)
PY
echo "  rung importance (final), the study loaded:  $best s (best of 3)"
echo "  rung importance --prefix 10%,50%,final:     $three s"
echo "  tests/ped-anova.py (final, Python):          $ref s (the same shares to 1e-9)"
echo "  => rung $(awk -v a="$ref" -v b="$best" 'BEGIN { printf "%.1f", a / b }')x faster than the Python reference"

# fANOVA on 1,000 trials of the same kind, against Optuna's own evaluator
# (scikit-learn's forest of 64 trees) on the same trials, seed 0 each.
n=${BENCH_FANOVA_TRIALS:-1000}
"$GENSTUDY" "$n" "$steps" >"$work/f.csv"
"$RUNG" -q -d "$work/f.db" import -s f "$work/f.csv"
"$RUNG" -d "$work/f.db" export -f jsonl -o "$work/f.jsonl" f
sqlite3 -json "$work/f.db" "select name, type, log from params" \
	>"$work/fparams.json"
t0=$(now)
"$RUNG" -q -d "$work/f.db" importance --json --method fanova --seed 0 f \
	>"$work/frung.json"
t1=$(now)
fr=$(secs "$t0" "$t1")
t0=$(now)
/usr/bin/python3 "$src/tests/fanova-optuna.py" "$work/f.jsonl" \
	"$work/fparams.json" loss 0 >"$work/fopt.json"
t1=$(now)
fo=$(secs "$t0" "$t1")
echo "fANOVA on $n trials x $steps steps (64 trees):"
echo "  rung importance --method fanova:  $fr s, the study loaded"
echo "  Optuna FanovaImportanceEvaluator: $fo s, Python started"
echo "  => rung $(awk -v a="$fo" -v b="$fr" 'BEGIN { printf "%.1f", a / b }')x faster"
/usr/bin/python3 - "$work/frung.json" "$work/fopt.json" <<'PY'
import json, sys
got = json.load(open(sys.argv[1]))["columns"][0]["importance"]
want = json.loads(open(sys.argv[2]).readline())
print("  rung:  " + ", ".join("%s %.3f" % (k, got[k]) for k in sorted(got) if got[k] is not None))
print("  Optuna: " + ", ".join("%s %.3f" % (k, want[k]) for k in sorted(want)))
PY
