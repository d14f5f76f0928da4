#!/bin/sh
# Reproduce Swift-Hyperband's MLPF table (R=100, eta=2, 10 seeds: Hyperband
# 3213 epochs; Swift 2926 +- 40, 8.9% saved; best losses 442.27 / 442.54 /
# 443.00) with rung replay, then replay every policy of rung on the MLPF,
# TaskSet and NAS-Bench-NLP studies (the last with its recorded seconds).
# Reads ../shared/data; prints the tables README quotes.
#
#   RUNG=./rung sh bench/repro-replay.sh
set -eu
: "${RUNG:?}"
here=$(cd "$(dirname "$0")" && pwd)
shared=${RUNG_SHARED_DATA:-$here/../../shared/data}
[ -d "$shared" ] || shared=$here/../shared/data
seeds=${REPRO_SEEDS:-10}
work=$(mktemp -d "${TMPDIR:-/tmp}/rung-repro-replay.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
db=$work/r.db
all=random,sha,hyperband,asha,swift-hyperband,baker,asha-svr

"$RUNG" -q -d "$db" import -s mlpf --first-step 1 "$shared/mlpf-swift/mlpf.csv"
"$RUNG" -q -d "$db" import -s taskset \
	"$shared/taskset/FixedTextRNNClassification_imdb_patch32_GRU128_bs128.json"
mkdir "$work/nb"
(cd "$work/nb" && unzip -q "$shared/nasbench-nlp-wt2/logs.zip")
"$RUNG" -q -d "$db" import -s nasbench "$work/nb"

echo "== MLPF, the authors' setting: R=100, eta=2, $seeds seeds, per seed"
"$RUNG" -d "$db" replay --no-save --policy hyperband,swift-hyperband \
	--eta 2 --max-steps 100 --seeds "$seeds" --json mlpf >"$work/mlpf.json"
/usr/bin/python3 - "$work/mlpf.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for p in d["policies"]:
    print("%-16s epochs %7.1f +- %5.1f  saved vs hyperband %5.1f%%  best %s"
          % (p["policy"], p["cost_steps_mean"], p["cost_steps_sd"],
             100 * p["saved_vs_baseline"],
             " ".join("%.2f" % v for v in p["best_final"])))
PY

for study in mlpf taskset nasbench; do
	case $study in
	mlpf)	 opts="--eta 2 --max-steps 100" ;;
	taskset) opts="--eta 3" ;;
	nasbench) opts="--eta 3" ;;
	esac
	for w in 1 4; do
		echo
		echo "== $study, every policy, $w worker(s), $seeds seeds ($opts)"
		# shellcheck disable=SC2086
		"$RUNG" -d "$db" replay --no-save --policy "$all" $opts \
			--workers "$w" --seeds "$seeds" "$study"
	done
	echo
	echo "== $study, tpe sampler, 4 workers"
	# shellcheck disable=SC2086
	"$RUNG" -d "$db" replay --no-save --policy hyperband,asha,asha-svr \
		--sampler tpe $opts --workers 4 --seeds "$seeds" "$study"
done
