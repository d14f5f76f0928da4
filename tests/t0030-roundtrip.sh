#!/bin/sh
# Export then import reproduces a study exactly, in each layout.
. "$RUNG_SRCDIR/tests/lib.sh"

d=$RUNG_TESTDATA

# A study with several metrics, seconds, every parameter type, statuses,
# NaN and infinities, gaps in steps.
test_expect_success 'build a varied study' '
	rung import -s src -m metrics.loss "$d/json/mytrials.jsonl" &&
	rung import -s mq --direction max "$d/csv/metaqnn_cifar10_head.csv" &&
	rung import -s ts "$d/json/taskset-irnn64-head.json" &&
	rung import -s timed "$d/csv/long-time.csv"
'

rung studies --json >studies.json
for study in src mq ts timed; do
	# CSV and JSON Lines carry no metric of interest: say it on import.
	m=$(json "[s[\"metric\"] for s in j if s[\"name\"] == \"$study\"][0]" studies.json)
	dir=$(json "[s[\"direction\"] for s in j if s[\"name\"] == \"$study\"][0]" studies.json)
	test_expect_success "$study: jsonl export, import, export is the same file" '
		rung export -f jsonl -o $study.1.jsonl $study &&
		rung import -s $study.j -m "$m" --direction $dir $study.1.jsonl &&
		rung export -f jsonl -o $study.2.jsonl $study.j &&
		cmp $study.1.jsonl $study.2.jsonl
	'
	test_expect_success "$study: long-csv round trip" '
		rung export -f long-csv -o $study.1.csv $study &&
		rung import -s $study.l -m "$m" --direction $dir $study.1.csv &&
		rung export -f long-csv -o $study.2.csv $study.l &&
		cmp $study.1.csv $study.2.csv
	'
	test_expect_success "$study: the listings of the copy equal the original" '
		rung trials --json $study >a.json &&
		rung trials --json $study.j >b.json &&
		cmp a.json b.json
	'
done

test_expect_success 'wide-csv round trip (MetaQNN)' '
	rung export -f wide-csv -o mq.1.csv mq &&
	rung import -s mq.w --direction max mq.1.csv &&
	rung export -f wide-csv -o mq.2.csv mq.w &&
	cmp mq.1.csv mq.2.csv &&
	rung export -f jsonl mq >a.jsonl &&
	rung export -f jsonl mq.w >b.jsonl &&
	cmp a.jsonl b.jsonl
'

# An Optuna study of three objectives (value_0, value_1, value_2: one point
# per trial at step 0) and one whose objective is one point beside the
# curve of intermediate values. Every objective comes back a metric in
# every layout, wide CSV included, where each is a column of its own.
test_expect_success 'Optuna objectives: import the study of three and the ranked one' '
	rung import -s obj --study objectives "$d/optuna/ranked.journal" &&
	rung import -s rk --study ranked "$d/optuna/ranked.journal" &&
	rung trials --json obj >obj.json &&
	test "$(json "sorted(j[0][\"metrics\"])" obj.json)" = "value_1 value_2"
'

# metrics_of JSON: each trial's id, status, final and other metrics, and
# parameters as text (CSV reads a categorical of numbers back as int).
metrics_of() {
	/usr/bin/python3 -c "
import json, sys
for t in json.load(open(sys.argv[1])):
    print(t[\"id\"], t[\"status\"], t[\"steps\"], t[\"final\"], t[\"best\"],
          sorted(t[\"metrics\"].items()),
          sorted((k, str(v)) for k, v in t[\"params\"].items()))
" "$1"
}

for layout in jsonl long-csv wide-csv; do
	test_expect_success "Optuna objectives: $layout round trip keeps every objective a metric" '
		rung export -f $layout -o obj.1.$layout obj &&
		rung import -s obj.$layout -f $layout -m value_0 --direction min obj.1.$layout &&
		test "$(rung studies --json | json "[s[\"metric\"] for s in j if s[\"name\"] == \"obj.$layout\"][0]" /dev/stdin)" = value_0 &&
		rung export -f $layout -o obj.2.$layout obj.$layout &&
		cmp obj.1.$layout obj.2.$layout &&
		rung trials --json obj.$layout >copy.json &&
		metrics_of obj.json >want && metrics_of copy.json >got &&
		cmp want got &&
		rung export -f $layout -o rk.1.$layout rk &&
		rung import -s rk.$layout -f $layout -m value --direction min rk.1.$layout &&
		rung export -f $layout -o rk.2.$layout rk.$layout &&
		cmp rk.1.$layout rk.2.$layout &&
		test "$(rung trials --sort best --top 1 --json rk.$layout | json "j[0][\"id\"]" /dev/stdin)" = 7
	'
done

test_expect_success 'JSON Lines keeps a categorical of numbers categorical' '
	rung trials --json obj.jsonl >cj.json &&
	cmp obj.json cj.json
'

test_expect_success 'parameter types survive: int, real (even when whole), categorical' '
	printf "trial,step,loss,lr,layers,act\na,1,1,1.0,2,relu\na,2,0.5,1.0,2,relu\nb,1,2,0.5,3,tanh\nb,2,1,0.5,3,tanh\n" >types.csv &&
	rung import -s types types.csv &&
	rung export -f long-csv types >types.out.csv &&
	rung import -s types2 types.out.csv &&
	sqlite3 "$RUNG_DB" "select p.name, p.type from params p join studies s on s.id = p.study_id where s.name = \"types2\" order by p.name" >got &&
	printf "act|categorical\nlayers|int\nlr|real\n" >want &&
	cmp got want
'

test_expect_success 'categorical values that look like numbers keep their exact text' '
	printf "trial,step,loss,opt\na,1,1,1e-05\na,2,0.5,1e-05\nb,1,2,1.50\nb,2,1,1.50\nc,1,2,adam\nc,2,1,adam\n" >aff.csv &&
	rung import -s aff aff.csv &&
	rung trials --json aff >aff.json &&
	test "$(json "[t[\"params\"][\"opt\"] for t in j]" aff.json)" = "1e-05 1.50 adam" &&
	test "$(sqlite3 "$RUNG_DB" "select group_concat(typeof(value)) from trial_params tp join params p on p.id = tp.param_id where p.name = \"opt\"")" = "text,text,text"
'

test_expect_success 'export -o never leaves a half-written file' '
	expect_fail 1 rung export -o nodir/x.csv mq &&
	test ! -e nodir
'

test_expect_success 'export of an unknown format exits 2' '
	expect_fail 2 rung export -f xml mq &&
	grep_err "long-csv, wide-csv or jsonl"
'

test_done
