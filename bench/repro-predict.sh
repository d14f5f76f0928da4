#!/bin/sh
# Reproduce Baker et al.'s R^2 at 25% of the curve (100 training
# configurations, 10 repeats, nu-SVR RBF, random search with 3-fold CV) on
# their data, and sweep the prefixes of the MLPF study, with rung fit.
# Reads ../shared/data; prints the tables README quotes.
set -eu
: "${RUNG:?}"
here=$(cd "$(dirname "$0")" && pwd)
shared=${RUNG_SHARED_DATA:-$here/../../shared/data}
[ -d "$shared" ] || shared=$here/../shared/data
draws=${REPRO_DRAWS:-1000}
work=$(mktemp -d "${TMPDIR:-/tmp}/rung-repro.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
db=$work/r.db
r2() {
	/usr/bin/python3 -c 'import json,sys; r=json.load(sys.stdin)["rows"][0]; print("%.2f +- %.2f (tau %.3f)" % (100*r["r2"], 100*r["r2_sd"], r["kendall"]))'
}

# name, file, direction, first step, prefix (25% of the last step)
while read -r name file dir first k; do
	if [ "$first" = - ]; then
		"$RUNG" -q -d "$db" import -s "$name" --direction "$dir" "$shared/baker/$file"
	else
		"$RUNG" -q -d "$db" import -s "$name" --direction "$dir" --first-step "$first" "$shared/baker/$file"
	fi
	for feat in "TS+AP+HP" "TS"; do
		if [ "$feat" = TS ]; then p=--params=; else p=; fi
		res=$("$RUNG" -q -d "$db" fit --prefix "$k" --features baker $p \
			--train 100 --repeats 10 --search "random:$draws" --folds 3 \
			--seed 1 --json "$name" | r2)
		printf '%-28s %-9s K=%-3s %s\n' "$name" "$feat" "$k" "$res"
	done
done <<'DATA'
metaqnn_cifar10 metaqnn_cifar10.csv max - 5
resnets_tinyimagenet deep_resnets_tinyimagenet.csv max - 35
lstm_ptb lstm_ptb.csv min 1 15
DATA

echo
echo "MLPF (mlpf.csv, 296 trials, loss at epoch 100), Swift-Hyperband's predictor,"
echo "80% train / 20% test, 10 repeats:"
"$RUNG" -q -d "$db" import -s mlpf --first-step 1 "$shared/mlpf-swift/mlpf.csv"
"$RUNG" -q -d "$db" fit --sweep --repeats 10 --seed 1 mlpf
echo
echo "MLPF, Baker features (prefix, differences, hyperparameters):"
"$RUNG" -q -d "$db" fit --sweep --repeats 10 --seed 1 --features baker mlpf
