#!/bin/sh
# rung importance --method fanova held to Optuna's FanovaImportanceEvaluator
# on the studies of ../shared/data the issue names (issue 20): MetaQNN
# (CIFAR-10), mlpf, three TaskSet studies, and a real Optuna study written
# here by Debian's python3-optuna. Each side's importances are the mean over
# 8 seeds of its forest (REPRO_SEEDS); the table gives both and whether
# the top three agree (order too) and every share is within 0.05.
# PED-ANOVA's shares beside them for the record. MetaQNN's net (the
# architecture written out, a string per trial: 1,000 one-hot columns that
# neither side can go through) is left out of both (--params). Not part of
# make bench.
#
#   RUNG=./rung sh bench/repro-importance.sh
set -eu
: "${RUNG:?}"
here=$(cd "$(dirname "$0")" && pwd)
shared=${RUNG_SHARED_DATA:-$here/../../shared/data}
[ -d "$shared" ] || shared=$here/../shared/data
[ -d "$shared" ] || { echo "repro-importance: no ../shared/data" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/rung-repro-importance.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
db=$work/r.db
ts=$shared/taskset/FixedTextRNNClassification_imdb
seeds=${REPRO_SEEDS:-0 1 2 3 4 5 6 7}

imp() {
	"$RUNG" -q -d "$db" import "$@" >/dev/null
}
imp -s metaqnn --direction max "$shared/baker/metaqnn_cifar10.csv"
imp -s mlpf --first-step 1 "$shared/mlpf-swift/mlpf.csv"
imp -s lstm128-avg "${ts}_patch128_LSTM128_avg_bs64.json"
imp -s gru128 "${ts}_patch32_GRU128_bs128.json"
imp -s vrnn64-tanh "${ts}_patch32_VRNN64_tanh_avg_bs128.json"
/usr/bin/python3 - "$work/o.journal" <<'PY'
import math, sys, warnings, optuna
warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.WARNING)
s = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1]))
st = optuna.create_study(study_name="optuna", storage=s,
                         sampler=optuna.samplers.TPESampler(seed=3))
def obj(t):
    lr = t.suggest_float("lr", 1e-5, 1e-1, log=True)
    wd = t.suggest_float("weight_decay", 1e-6, 1e-2, log=True)
    units = t.suggest_int("units", 16, 512, log=True)
    opt = t.suggest_categorical("optimizer", ["adam", "sgd", "rmsprop"])
    drop = t.suggest_float("dropout", 0.0, 0.6)
    return ((math.log10(lr) + 3) ** 2 * 0.2 + 0.3 * drop ** 2 +
            (0.15 if opt == "sgd" else 0.0) + 0.05 * abs(math.log2(units) - 7)
            + 0.01 * abs(math.log10(wd) + 4))
st.optimize(obj, n_trials=300)
PY
imp -s optuna "$work/o.journal"

nseeds=$(echo $seeds | wc -w)
printf '%-12s %6s  %-44s %-44s %s\n' STUDY TRIALS \
	"RUNG FANOVA ($nseeds SEEDS)" "OPTUNA FANOVA ($nseeds SEEDS)" \
	"TOP3 / 0.05"
for study in metaqnn mlpf lstm128-avg gru128 vrnn64-tanh optuna; do
	"$RUNG" -d "$db" export -f jsonl -o "$work/$study.jsonl" "$study"
	sqlite3 -json "$db" "select p.name, p.type, p.log from params p join
	    studies s on s.id = p.study_id where s.name = '$study'" \
	    >"$work/$study.params"
	metric=$(sqlite3 "$db" "select metric from studies where name = '$study'")
	params=
	if [ "$study" = metaqnn ]; then
		params=depth,lr,num_params
		/usr/bin/python3 -c "
import json, sys
p = [q for q in json.load(open(sys.argv[1])) if q['name'] in sys.argv[2].split(',')]
json.dump(p, open(sys.argv[1], 'w'))" "$work/$study.params" "$params"
	fi
	: >"$work/$study.rung"
	for seed in $seeds; do
		"$RUNG" -q -d "$db" importance --json --method fanova \
		    ${params:+--params "$params"} --seed "$seed" "$study" \
		    >>"$work/$study.rung"
		echo >>"$work/$study.rung"
	done
	# shellcheck disable=SC2086
	/usr/bin/python3 "$here/../tests/fanova-optuna.py" "$work/$study.jsonl" \
	    "$work/$study.params" "$metric" $seeds >"$work/$study.opt"
	"$RUNG" -q -d "$db" importance --json ${params:+--params "$params"} \
	    "$study" >"$work/$study.ped"
	/usr/bin/python3 - "$study" "$work/$study.rung" "$work/$study.opt" \
	    "$work/$study.ped" <<'PY'
import json, sys
study = sys.argv[1]
rung = [json.loads(l)["columns"][0] for l in open(sys.argv[2]) if l.strip()]
ntrials = rung[0]["trials"]
rung = [r["importance"] for r in rung]
opt = [json.loads(l) for l in open(sys.argv[3])]
ped = json.load(open(sys.argv[4]))["columns"][0]["importance"]
keys = [k for k in opt[0] if k in rung[0]]
mr = {k: sum(r[k] or 0 for r in rung) / len(rung) for k in keys}
mo = {k: sum(r[k] for r in opt) / len(opt) for k in keys}
top = lambda m: sorted(m, key=m.get, reverse=True)[:3]
same = top(mr) == top(mo)
close = max(abs(mr[k] - mo[k]) for k in keys)
fmt = lambda m: " ".join("%s %.2f" % (k[:10], m[k]) for k in top(m))
print("%-12s %6d  %-44s %-44s %s, max diff %.3f" % (study, ntrials, fmt(mr),
      fmt(mo), "same" if same else "DIFFER", close))
print("%-12s %6s  PED-ANOVA: %s" % ("", "", " ".join(
      "%s %.2f" % (k[:10], v) for k, v in sorted(ped.items(),
      key=lambda kv: -(kv[1] or 0))[:3])))
PY
done
