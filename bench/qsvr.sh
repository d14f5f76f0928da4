#!/bin/sh
# make bench: one QSVR fit (20 training points, 120 binaries, 1000 reads of
# the simulated annealer), timed in milliseconds on 1 and 2 threads by
# tests/unit-qsvr --time, beside the annealer round trips the authors
# report: the time column of their mlpf_swift_qsvr.csv (a D-Wave Advantage
# run of Swift-Hyperband, 1324 s for the first with its embedding, then
# 40-55 s), quoted, not measured here. With ../shared/data, also the whole
# MLPF replay of swift-hyperband --svr qsvr, 10 seeds.
set -eu
: "${RUNG:?}" "${UNIT_QSVR:?}"
here=$(cd "$(dirname "$0")" && pwd)
shared=${RUNG_SHARED_DATA:-$here/../../shared/data}
[ -d "$shared" ] || shared=$here/../shared/data

echo "== QSVR: one fit, 120 binaries, 1000 reads x 100 sweeps"
"$UNIT_QSVR" --time 1
"$UNIT_QSVR" --time 2
qsvr=$shared/mlpf-swift/mlpf_swift_qsvr.csv
if [ -f "$qsvr" ]; then
	/usr/bin/python3 - "$qsvr" <<-'PY'
	import csv, sys
	t = [float(r["time"]) for r in csv.DictReader(open(sys.argv[1]), skipinitialspace=True)]
	print("the authors' D-Wave runs (mlpf_swift_qsvr.csv, their figure): "
	      "first %.0f s (embedding), then %.1f-%.1f s a run" % (t[0], min(t[1:]), max(t[1:])))
	PY
else
	echo "the authors' D-Wave runs (their figure): 1324 s the first, then 40-55 s a run"
fi

mlpf=$shared/mlpf-swift/mlpf.csv
if [ ! -f "$mlpf" ]; then
	echo "qsvr bench: no $mlpf: the replay is skipped"
	exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/rung-bench-qsvr.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
"$RUNG" -q -d "$work/q.db" import -s mlpf --first-step 1 "$mlpf"
"$RUNG" -q -d "$work/q.db" import -s metaqnn --direction max \
	"$shared/baker/metaqnn_cifar10.csv"
jobs=${BENCH_JOBS:-2}

# The same 20 training trials for both (fit draws them from --seed and the
# repeat, whatever the SVR), scored on the rest, 10 repeats.
echo "== QSVR against nu-SVR on the same 20-point training sets, 10 repeats"
echo "study    prefix   nu-SVR R2        QSVR R2          nu-SVR tau       QSVR tau"
for spec in "mlpf 10 25 50" "metaqnn 3 5 10"; do
	set -- $spec
	study=$1
	shift
	for k in "$@"; do
		for svr in nu-svr qsvr; do
			"$RUNG" -d "$work/q.db" fit --prefix "$k" --train 20 \
				--repeats 10 --seed 1 --svr "$svr" -j "$jobs" \
				--json "$study" >"$work/f-$svr.json"
		done
		/usr/bin/python3 - "$study" "$k" "$work/f-nu-svr.json" \
		    "$work/f-qsvr.json" <<-'PY'
		import json, sys
		a, b = (json.load(open(f))["rows"][0] for f in sys.argv[3:5])
		print("%-8s %6s   %5.3f +- %5.3f  %5.3f +- %5.3f  %5.3f +- %5.3f  %5.3f +- %5.3f"
		      % (sys.argv[1], sys.argv[2], a["r2"], a["r2_sd"], b["r2"],
		         b["r2_sd"], a["kendall"], a["kendall_sd"], b["kendall"],
		         b["kendall_sd"]))
		PY
	done
done

echo "== MLPF: swift-hyperband --svr qsvr, R=100, eta=2, 10 seeds, $jobs threads"
start=$(date +%s.%N)
"$RUNG" -d "$work/q.db" replay --no-save --policy hyperband,swift-hyperband \
	--svr qsvr --eta 2 --max-steps 100 --seeds 10 -j "$jobs" --json mlpf \
	>"$work/r.json"
end=$(date +%s.%N)
/usr/bin/python3 - "$work/r.json" "$start" "$end" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
hb, p = j["policies"]
s = float(sys.argv[3]) - float(sys.argv[2])
print("%.1f s for 10 seeds of both (%.2f s a seed); epochs %.1f +- %.1f, %.1f%% "
      "saved against hyperband's %.0f" % (s, s / 10, p["cost_steps_mean"],
      p["cost_steps_sd"], 100 * p["saved_vs_baseline"], hb["cost_steps_mean"]))
print("best final loss per seed: %s (%s hyperband's, seed by seed)"
      % (" ".join("%.2f" % v for v in p["best_final"]),
         "identical to" if p["best_final"] == hb["best_final"] else "NOT"))
PY
