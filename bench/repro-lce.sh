#!/bin/sh
# What predictor-driven stopping saves on real studies (issue 17): every
# policy of rung replayed for 20 seeds on one worker over the eight studies
# of ../shared/data the issue names, and over the other TaskSet and Baker
# files (the ones the LCE policies' defaults were chosen on). Prints, per
# study and policy: cost in steps, saved against hyperband and against
# asha, regret (mean and worst), P(top 5%), and the equal-cost view (every
# policy with hyperband's mean cost as its budget: regret and P(top 5%)).
# Reads ../shared/data; not part of make bench (it takes minutes).
#
#   RUNG=./rung sh bench/repro-lce.sh            # the eight studies
#   REPRO_SET=tuning RUNG=./rung sh bench/repro-lce.sh
#   REPRO_SEEDS=5 REPRO_POLICIES=asha,asha-lce ... # quicker
#   REPRO_OPTS='--delta 0.999' ...                 # other settings
set -eu
: "${RUNG:?}"
here=$(cd "$(dirname "$0")" && pwd)
shared=${RUNG_SHARED_DATA:-$here/../../shared/data}
[ -d "$shared" ] || shared=$here/../shared/data
[ -d "$shared" ] || { echo "repro-lce: no ../shared/data" >&2; exit 1; }
seeds=${REPRO_SEEDS:-20}
set=${REPRO_SET:-eight}
policies=${REPRO_POLICIES:-random,hyperband,asha,swift-hyperband,baker,asha-svr,lce,asha-lce,hyperband-lce}
work=$(mktemp -d "${TMPDIR:-/tmp}/rung-repro-lce.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
db=$work/r.db
ts=$shared/taskset/FixedTextRNNClassification_imdb

imp() {
	"$RUNG" -q -d "$db" import "$@" >/dev/null
}

# study "replay options" per line, in the order of the tables.
if [ "$set" = eight ]; then
	imp -s mlpf --first-step 1 "$shared/mlpf-swift/mlpf.csv"
	imp -s lstm128-avg "${ts}_patch128_LSTM128_avg_bs64.json"
	imp -s gru128 "${ts}_patch32_GRU128_bs128.json"
	imp -s vrnn64-tanh "${ts}_patch32_VRNN64_tanh_avg_bs128.json"
	mkdir "$work/nb"
	(cd "$work/nb" && unzip -q "$shared/nasbench-nlp-wt2/logs.zip")
	imp -s nasbench "$work/nb"
	imp -s nmtlc "$shared/nmtlc/nmtlc.json"
	imp -s metaqnn --direction max "$shared/baker/metaqnn_cifar10.csv"
	imp -s lstm-ptb "$shared/baker/lstm_ptb.csv"
	cat >"$work/studies" <<-EOF
	mlpf --eta 3
	lstm128-avg --eta 3
	gru128 --eta 3
	vrnn64-tanh --eta 3
	nasbench --eta 3
	nmtlc --eta 3 --max-steps 27
	metaqnn --eta 3
	lstm-ptb --eta 3
	EOF
else
	: >"$work/studies"
	for f in "$shared"/taskset/*.json; do
		case $f in
		*patch128_LSTM128_avg_bs64*|*patch32_GRU128_bs128*|*VRNN64_tanh_avg*)
			continue ;;
		esac
		s=$(basename "$f" .json | sed 's/FixedTextRNNClassification_imdb_//; s/_/-/g' |
		    tr 'A-Z' 'a-z')
		imp -s "$s" "$f"
		echo "$s --eta 3" >>"$work/studies"
	done
	for s in metaqnn_svhn deep_resnets_cifar10 deep_resnets_tinyimagenet \
	    alexnet_imagenet; do
		imp -s "$s" --direction max "$shared/baker/$s.csv"
		echo "$s --eta 3" >>"$work/studies"
	done
fi

while read -r study opts; do
	# shellcheck disable=SC2086
	"$RUNG" -d "$db" replay --no-save --policy "$policies" \
		--baseline hyperband --seeds "$seeds" -j 2 $opts ${REPRO_OPTS:-} \
		--json "$study" \
		>"$work/$study.json"
done <"$work/studies"

/usr/bin/python3 - "$work" "$work/studies" <<'PY'
import json, statistics, sys
work, studies = sys.argv[1], [l.split()[0] for l in open(sys.argv[2])]
print("%-14s %-15s %8s %8s %8s %8s %8s %6s | %8s %6s %6s" % (
    "STUDY", "POLICY", "STEPS", "SAVED_HB", "SAVED_A", "REGRET", "WORST",
    "TOP5", "EQ_REGR", "EQ_TOP5", "SPENT"))
rows = {}
for s in studies:
    d = json.load(open("%s/%s.json" % (work, s)))
    by = {p["policy"]: p for p in d["policies"]}
    asha = by.get("asha")
    for name, p in by.items():
        saved_a = (1 - p["cost_steps_mean"] / asha["cost_steps_mean"]
                   if asha else float("nan"))
        eq = p.get("equal_cost") or {}
        worst = max(p["regret"]) if p["regret"] else float("nan")
        rows[(s, name)] = (p["cost_steps_mean"], p["saved_vs_baseline"],
                           saved_a, p["regret_mean"], worst, p["p_top5"],
                           eq.get("regret_mean"), eq.get("p_top5"))
        print("%-14s %-15s %8.0f %7.1f%% %7.1f%% %8.4g %8.4g %5.0f%% | %8s %5s%% %5s%%" % (
            s, name, p["cost_steps_mean"], 100 * p["saved_vs_baseline"],
            100 * saved_a, p["regret_mean"], worst, 100 * p["p_top5"],
            "%.4g" % eq["regret_mean"] if eq.get("regret_mean") is not None else "-",
            "%.0f" % (100 * eq["p_top5"]) if eq.get("p_top5") is not None else "-",
            "%.0f" % (100 * eq["spent"]) if eq.get("spent") is not None else "-"))
    print()

# The issue's targets, for asha-lce (asha's regret 0: within 5% means 0).
def within(a, b, rel):
    return a <= b * (1 + rel) + 1e-12
if all((s, "asha-lce") in rows and (s, "asha") in rows for s in studies):
    sa = [rows[(s, "asha-lce")][2] for s in studies]
    shb = [rows[(s, "asha-lce")][1] for s in studies]
    print("asha-lce: median saved against asha %.1f%% (target 15%%)"
          % (100 * statistics.median(sa)))
    print("asha-lce: saves >= 45%% against hyperband on %d of %d (target 6 of 8)"
          % (sum(x >= 0.45 for x in shb), len(studies)))
    print("asha-lce: regret within +5%% of asha's on %d of %d (target 7 of 8)"
          % (sum(within(rows[(s, "asha-lce")][3], rows[(s, "asha")][3], 0.05)
                 for s in studies), len(studies)))
    print("asha-lce: saves >= 20%% against asha at regret <= asha's on %d of %d"
          " (stretch: 5 of 8)" % (sum(rows[(s, "asha-lce")][2] >= 0.20 and
              within(rows[(s, "asha-lce")][3], rows[(s, "asha")][3], 0)
              for s in studies), len(studies)))
    if all(rows[(s, "asha-lce")][6] is not None for s in studies):
        print("asha-lce at hyperband's cost: regret <= hyperband's on %d of %d"
              " (stretch: 5 of 8)" % (sum(within(rows[(s, "asha-lce")][6],
                  rows[(s, "hyperband")][3], 0) for s in studies),
                  len(studies)))
PY
