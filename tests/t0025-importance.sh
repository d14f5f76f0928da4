#!/bin/sh
# rung importance: PED-ANOVA held to a reference written in Python from
# the paper (tests/ped-anova.py) to 1e-9, on MetaQNN's curves (categorical,
# integer and real parameters, a maximised metric) and on a real Optuna
# study (log-scaled real and integer parameters, a conditional one that
# half the trials lack), at the end and at steps on the way.
. "$RUNG_SRCDIR/tests/lib.sh"

ref=$RUNG_SRCDIR/tests/ped-anova.py

# same STUDY METRIC DIR AT [QUANTILE]: rung and the reference agree.
same() {
	_q=${5:-0.1}
	rung export -f jsonl "$1" >"$1.jsonl" &&
	sqlite3 -json "$RUNG_DB" "select p.name, p.type, p.log from params p
	    join studies s on s.id = p.study_id where s.name = '$1'" >"$1.params" &&
	if [ "$4" = final ]; then _at=; else _at="--prefix $4"; fi &&
	# shellcheck disable=SC2086
	rung importance --json -m "$2" --quantile "$_q" $_at "$1" >"$1.rung" &&
	/usr/bin/python3 "$ref" "$1.jsonl" "$1.params" "$2" "$3" "$_q" "$4" \
		>"$1.ref" &&
	/usr/bin/python3 - "$1.rung" "$1.ref" <<-\PY
	import json, sys
	got = json.load(open(sys.argv[1]))["columns"][0]["importance"]
	want = json.load(open(sys.argv[2]))
	assert set(got) == set(want), (got, want)
	for k in want:
	    g, w = got[k], want[k]
	    assert (g is None) == (w is None), (k, g, w)
	    assert g is None or abs(g - w) <= 1e-9, (k, g, w)
	some = [v for v in want.values() if v is not None]
	assert len(some) >= 2 and abs(sum(some) - 1) < 1e-9, want
	print(json.dumps(got))
	PY
}

test_expect_success 'MetaQNN: categorical, integer and real parameters' '
	rung import -s mq --direction max "$RUNG_TESTDATA/csv/metaqnn_cifar10_head.csv" &&
	same mq acc max final &&
	same mq acc max 3 &&
	same mq acc max 12 0.25
'

test_expect_success 'the same, in one table: the end and steps on the way' '
	rung importance --prefix 10%,3,final mq >t.txt &&
	head -n 1 t.txt | grep -E "^PARAM +10% +3 +FINAL$" &&
	test "$(wc -l <t.txt)" -eq 6 &&
	grep -E "^training_dataset +- +- +-$" t.txt &&
	rung importance --csv mq >t.csv &&
	head -n 1 t.csv | grep "^PARAM,FINAL$"
'

test_expect_success 'a real Optuna study: log scales and a conditional parameter' '
	/usr/bin/python3 - <<-\PY &&
	import optuna, warnings
	warnings.simplefilter("ignore")
	optuna.logging.set_verbosity(optuna.logging.WARNING)
	s = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage("o.journal"))
	st = optuna.create_study(study_name="o", storage=s,
	                         sampler=optuna.samplers.RandomSampler(seed=7))
	def obj(t):
	    lr = t.suggest_float("lr", 1e-5, 1e-1, log=True)
	    units = t.suggest_int("units", 8, 512, log=True)
	    opt = t.suggest_categorical("opt", ["adam", "sgd", "rmsprop"])
	    mom = t.suggest_float("momentum", 0.0, 0.99) if opt == "sgd" else 0.0
	    drop = t.suggest_float("dropout", 0.0, 0.5)
	    v = 0.0
	    for step in range(1, 11):
	        v = (abs(__import__("math").log10(lr) + 3) * 0.3 + 0.1 / step +
	             (0.05 if opt == "sgd" else 0.0) - 0.1 * mom + drop * 0.01 +
	             0.02 * (units < 64))
	        t.report(v, step)
	    return v
	st.optimize(obj, n_trials=80)
	PY
	rung import -s o o.journal 2>/dev/null &&
	test "$(sqlite3 "$RUNG_DB" "select group_concat(name || \":\" || type || log, \" \") from (select * from params where study_id = (select id from studies where name = \"o\") order by name)")" = "dropout:real0 lr:real1 momentum:real0 opt:categorical0 units:int1" &&
	same o value min final >out &&
	same o intermediate min 5 &&
	same o value min final 0.3 &&
	/usr/bin/python3 -c "
import json
j = json.loads(open(\"out\").read())
top = max(j, key=lambda k: j[k] or 0)
assert top == \"lr\", j
"
'

# fANOVA's forests are random (rung's and scikit-learn's draw differently):
# the mean over 8 seeds each, the same trials.
fanova_same() {
	rung export -f jsonl "$1" >"$1.jsonl" &&
	sqlite3 -json "$RUNG_DB" "select p.name, p.type, p.log from params p
	    join studies s on s.id = p.study_id where s.name = '$1'" >"$1.params" &&
	: >"$1.rungf" &&
	for seed in 0 1 2 3 4 5 6 7; do
		rung importance --json --method fanova --seed $seed -m "$2" "$1" |
		    json "json.dumps(j[\"columns\"][0][\"importance\"])" /dev/stdin \
		    >>"$1.rungf" || return 1
	done &&
	/usr/bin/python3 "$RUNG_SRCDIR/tests/fanova-optuna.py" "$1.jsonl" \
		"$1.params" "$2" 0 1 2 3 4 5 6 7 >"$1.optf" &&
	/usr/bin/python3 - "$1.rungf" "$1.optf" <<-\PY
	import json, sys
	def mean(path):
	    rows = [json.loads(l) for l in open(path)]
	    keys = [k for k in rows[0] if rows[0][k] is not None]
	    return {k: sum(r[k] for r in rows) / len(rows) for k in keys}
	got, want = mean(sys.argv[1]), mean(sys.argv[2])
	assert set(got) == set(want), (got, want)
	top = lambda m: sorted(m, key=m.get, reverse=True)[:3]
	assert top(got) == top(want), (got, want)
	for k in want:
	    assert abs(got[k] - want[k]) <= 0.05, (k, got, want)
	print(json.dumps(got), json.dumps(want))
	PY
}

test_expect_success 'fANOVA as Optuna computes it: MetaQNN and a real Optuna study' '
	fanova_same mq acc &&
	fanova_same o value
'

test_expect_success 'fANOVA: seeded, and the trials that set every parameter' '
	rung importance --method fanova --seed 5 o >a.txt 2>a.err &&
	rung importance --method fanova --seed 5 o >b.txt &&
	cmp a.txt b.txt &&
	n=$(sqlite3 "$RUNG_DB" "select count(*) from trials t join studies s on s.id = t.study_id where s.name = \"o\" and exists (select 1 from trial_params tp join params p on p.id = tp.param_id where tp.trial_id = t.id and p.name = \"momentum\")") &&
	grep "final values: $n trials set every parameter" a.err
'

test_expect_success '--params: only the parameters named are assessed' '
	rung importance --json --params lr,depth mq >p.json &&
	test "$(json "sorted(k for k, v in j[\"columns\"][0][\"importance\"].items() if v is not None)" p.json)" = "depth lr" &&
	rung importance --json --method fanova --params lr,depth,num_params mq >f.json &&
	test "$(json "sorted(k for k, v in j[\"columns\"][0][\"importance\"].items() if v is not None)" f.json)" = "depth lr num_params" &&
	expect_fail 2 rung importance --params lr,dept mq &&
	grep_err "dept. is no parameter of .mq.*depth"
'

test_expect_success 'what is refused' '
	expect_fail 2 rung importance --method anova mq &&
	grep_err "method must be ped-anova or fanova" &&
	expect_fail 2 rung importance --method fanova --quantile 0.2 mq &&
	expect_fail 2 rung importance --seed 1 mq &&
	expect_fail 2 rung importance --prefix 0 mq &&
	grep_err "prefix: .0. is no step" &&
	expect_fail 2 rung importance --prefix 101% mq &&
	expect_fail 2 rung importance --quantile 0 mq &&
	grep_err "quantile" &&
	expect_fail 1 rung importance --prefix 1000 mq &&
	grep_err "PED-ANOVA needs 3 at least" &&
	expect_fail 1 rung importance nope &&
	grep_err "no study"
'

test_done
