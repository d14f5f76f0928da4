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
