#!/bin/sh
# Optuna studies of several objectives: every objective a metric, a column
# of trials each, and plotted; categorical choices that are all numbers in
# numeric order. The storage is tests/data/optuna/ranked.journal (made by
# tests/optuna-make.py --ranked); where /usr/bin/python3 has optuna, the
# values are compared with Optuna's own reading of it.
. "$RUNG_SRCDIR/tests/lib.sh"

j=$RUNG_TESTDATA/optuna/ranked.journal
dump=$RUNG_SRCDIR/tests/optuna-dump.py

test_expect_success 'three objectives: value_0 the metric of interest, the others columns' '
	rung import --study objectives "$j" 2>err &&
	grep -q "study .objectives. has 3 objectives" err &&
	rung trials objectives >t.txt &&
	head -n 1 t.txt | grep -q "^ID  *STATUS  *STEPS  *FINAL  *BEST  *value_1  *value_2  *PARAMS$" &&
	test $(wc -l <t.txt) -eq 13 &&
	rung trials --json objectives >t.json &&
	test "$(json "[sorted(t[\"metrics\"]) for t in j] == [[\"value_1\", \"value_2\"]] * 12" t.json)" = True
'

test_expect_success 'each column holds its objective, as the export has it' '
	rung export -f jsonl objectives >o.jsonl &&
	/usr/bin/python3 - t.json o.jsonl <<-\PY
	import json, sys
	trials = {t["id"]: t for t in json.load(open(sys.argv[1]))}
	for line in open(sys.argv[2]):
	    e = json.loads(line)
	    t = trials[e["id"]]
	    assert t["final"] == e["value_0"][0], (t, e)
	    assert t["metrics"]["value_1"] == e["value_1"][0], (t, e)
	    assert t["metrics"]["value_2"] == e["value_2"][0], (t, e)
	PY
'

if /usr/bin/python3 -c 'import optuna' 2>/dev/null; then
	test_expect_success 'the objectives agree with Optuna (values and directions)' '
		/usr/bin/python3 "$dump" "$j" >d.json &&
		/usr/bin/python3 "$dump" --check d.json objectives o.jsonl &&
		test "$(json "[s[\"directions\"] for s in j if s[\"name\"] == \"objectives\"][0]" d.json)" = "MINIMIZE MAXIMIZE MINIMIZE" &&
		/usr/bin/python3 - d.json t.json <<-\PY
		import json, sys
		study = [s for s in json.load(open(sys.argv[1])) if s["name"] == "objectives"][0]
		trials = {t["id"]: t for t in json.load(open(sys.argv[2]))}
		for w in study["trials"]:
		    t = trials[str(w["number"])]
		    assert [t["final"], t["metrics"]["value_1"], t["metrics"]["value_2"]] == w["values"], (t, w)
		PY
	'
else
	test_skip 'the objectives agree with Optuna (values and directions)' 'no optuna'
fi

test_expect_success '--objective 1: value_1 is the metric of interest, value_0 a column' '
	rung import -s obj1 --study objectives --objective 1 "$j" &&
	rung trials obj1 | head -n 1 | grep -q "BEST  *value_0  *value_2  *PARAMS$" &&
	rung trials --json obj1 >t1.json &&
	/usr/bin/python3 - t.json t1.json <<-\PY
	import json, sys
	a = {t["id"]: t for t in json.load(open(sys.argv[1]))}
	for t in json.load(open(sys.argv[2])):
	    assert t["final"] == a[t["id"]]["metrics"]["value_1"], t
	    assert t["metrics"]["value_0"] == a[t["id"]]["final"], t
	PY
'

test_expect_success 'a study of one objective has no other column; curves stay out' '
	rung import --study ranked "$j" &&
	rung trials ranked | head -n 1 | grep -q "^ID  *STATUS  *STEPS  *FINAL  *BEST  *PARAMS$" &&
	rung trials --json ranked >r.json &&
	test "$(json "all(t[\"metrics\"] == {} for t in j)" r.json)" = True
'

if command -v gnuplot >/dev/null 2>&1; then
	test_expect_success 'plot curves draws a study of several objectives' '
		unset DISPLAY RUNG_GNUPLOT &&
		rung plot curves -o c.txt --size 80x24 objectives &&
		test $(wc -l <c.txt) -eq 24 &&
		grep -q "objectives: value_0 by step" c.txt &&
		grep -q "the best, trial 2," c.txt &&
		rung plot curves --metric value_2 -o c2.png objectives &&
		head -c 8 c2.png | grep -q PNG
	'
else
	test_skip 'plot curves draws a study of several objectives' 'no gnuplot'
fi

# Choices [128, 16, 256, 32, 64] and [1024, 8, 512, 64]: byte order would
# put 128 before 16.
test_expect_success 'categorical choices that are numbers sort as numbers' '
	rung trials --sort units --json ranked >u.json &&
	test "$(json "[t[\"params\"][\"units\"] for t in j]" u.json | tr " " "\\n" | uniq | tr "\\n" " ")" = "16 32 64 128 256 " &&
	rung trials --sort units --reverse --json ranked >ur.json &&
	test "$(json "[t[\"params\"][\"units\"] for t in j]" ur.json | tr " " "\\n" | uniq | tr "\\n" " ")" = "256 128 64 32 16 " &&
	rung trials --sort width --json objectives >w.json &&
	test "$(json "[t[\"params\"][\"width\"] for t in j]" w.json | tr " " "\\n" | uniq | tr "\\n" " ")" = "8 64 512 1024 " &&
	test "$(json "set(type(t[\"params\"][\"width\"]).__name__ for t in j)" w.json)" = "{'"'"'str'"'"'}"
'

test_expect_success 'mixed choices keep byte order; numbers order as numbers, NaN after them' '
	printf "trial,step,loss,opt\na,1,1,adam\nb,1,2,10\nc,1,3,9\nd,1,4,sgd\n" >mix.csv &&
	rung import -s mix -m loss mix.csv &&
	test "$(rung trials --sort opt --json mix | json "[t[\"params\"][\"opt\"] for t in j]" /dev/stdin)" = "10 9 adam sgd" &&
	for k in 10 1.0 nan 1 -2 9; do
		printf "{\"id\":\"t%s\",\"params\":{\"k\":\"%s\"},\"loss\":[1]}\n" "$k" "$k"
	done >num.jsonl &&
	rung import -s num -m loss num.jsonl &&
	test "$(rung trials --sort k --json num | json "[t[\"params\"][\"k\"] for t in j]" /dev/stdin)" = "-2 1 1.0 9 10 nan" &&
	test "$(rung trials --sort k --reverse --json num | json "[t[\"params\"][\"k\"] for t in j]" /dev/stdin)" = "nan 10 9 1.0 1 -2" &&
	# The levels keep their text and their trials.
	rung export -f jsonl num >num.out &&
	test "$(sed "s/.*\"id\":\"t\([^\"]*\)\".*\"k\":\"\([^\"]*\)\".*/\1=\2/" num.out | tr "\n" " ")" = "10=10 1.0=1.0 nan=nan 1=1 -2=-2 9=9 "
'

test_done
