#!/bin/sh
# The QSVR through the command line: fit, its QUBO files out and samples
# back in, a kept model, and the predictor of a replay.
. "$RUNG_SRCDIR/tests/lib.sh"

d=$RUNG_TESTDATA

test_expect_success 'import a study to fit' '
	rung import -s mq --direction max "$d/csv/metaqnn_cifar10_head.csv"
'

test_expect_success 'fit --svr qsvr: the authors'\'' fixed settings, and it predicts' '
	rung fit --prefix 5,10 --svr qsvr --json mq >q.json &&
	test "$(json "[j[\"svr\"]] + [r[\"prefix\"] for r in j[\"rows\"]]" q.json)" = "qsvr 5 10" &&
	test "$(json "[j[\"rows\"][0][\"params\"][k] for k in (\"C\", \"epsilon\", \"gamma\")]" q.json)" = "67.61 0.02 0.1" &&
	test "$(json "j[\"rows\"][1][\"r2\"] > 0.5 and j[\"rows\"][1][\"kendall\"] > 0.5" q.json)" = True
'

test_expect_success 'the same seed, the same fit, on 1 and 2 threads' '
	rung fit --prefix 5 --svr qsvr --repeats 2 -j 1 --json mq >a.json &&
	rung fit --prefix 5 --svr qsvr --repeats 2 -j 2 --json mq >b.json &&
	cmp a.json b.json
'

test_expect_success 'fixed settings: --search and --C are refused with it' '
	expect_fail 2 rung fit --prefix 5 --svr qsvr --search grid mq &&
	grep_err "fixed settings" &&
	expect_fail 2 rung fit --prefix 5 --svr qsvr --C 2 mq &&
	grep_err "do not apply" &&
	expect_fail 2 rung fit --prefix 5 --svr quantum mq &&
	grep_err "nu-svr, eps-svr or qsvr" &&
	expect_fail 2 rung fit --prefix 5 --qubo-out qo mq &&
	grep_err "give --svr qsvr"
'

test_expect_success '--qubo-out: a QUBO, its map and samples per fit' '
	rung fit --prefix 5 --svr qsvr --repeats 2 --qubo-out qo --json mq >o.json &&
	test "$(cd qo && echo *)" = "K5-r1.map K5-r1.qubo K5-r1.samples K5-r2.map K5-r2.qubo K5-r2.samples" &&
	test "$(grep -c -v "^#" qo/K5-r1.qubo)" = 7260 &&
	test "$(grep -c -v "^#" qo/K5-r1.map)" = 120 &&
	test "$(grep -c -v "^#" qo/K5-r1.samples)" = 1000 &&
	grep -q "^# vartype=BINARY" qo/K5-r1.qubo &&
	sed -n 2p qo/K5-r1.map | grep -q "^0 0 alpha 0 1.0034717485" &&
	sed -n 62p qo/K5-r1.map | grep -q "^60 0 alpha\* 0 "
'

test_expect_success 'the QUBO reads as dimod reads COO, and gives the samples their energies' '
	/usr/bin/python3 - qo/K5-r1.qubo qo/K5-r1.samples <<-\PY
	import re, sys
	# dimod.serialization.coo: its line pattern, which takes no exponent.
	line = re.compile(r"^\s*(\d+)\s+(\d+)\s+([+-]?\d*(?:\.\d+)?)\s*$")
	q = {}
	for l in open(sys.argv[1]):
	    if l.startswith("#"):
	        continue
	    m = line.match(l)
	    assert m, l
	    q[int(m.group(1)), int(m.group(2))] = float(m.group(3))
	assert len(q) == 120 * 121 // 2
	for l in open(sys.argv[2]):
	    if l.startswith("#"):
	        continue
	    f = l.split()
	    x = [int(v) for v in f[:120]]
	    e = sum(b for (i, j), b in q.items() if x[i] and x[j])
	    assert abs(e - float(f[120])) < 1e-9, (e, f[120])
	PY
'

if /usr/bin/python3 -c "import dimod" 2>/dev/null; then
	test_expect_success 'dimod loads the QUBO' '
		/usr/bin/python3 -c "
from dimod.serialization import coo
bqm = coo.load(open(\"qo/K5-r1.qubo\"))
assert bqm.num_variables == 120 and bqm.num_interactions == 7140
"
	'
else
	test_skip 'dimod loads the QUBO' 'dimod is not installed'
fi

test_expect_success '--samples-in with the samples written: the same fit' '
	rung fit --prefix 5 --svr qsvr --repeats 2 --samples-in qo --json mq >i.json &&
	cmp o.json i.json
'

test_expect_success '--samples-in with a best sample only: a fit of its own' '
	mkdir -p one &&
	for r in 1 2; do
		grep -v "^#" qo/K5-r$r.samples | sort -g -k 121 | head -n 1 |
		cut -d " " -f 1-120 >one/K5-r$r.samples || return 1
	done &&
	rung fit --prefix 5 --svr qsvr --repeats 2 --samples-in one --json mq >one.json &&
	test "$(json "-1 <= j[\"rows\"][0][\"kendall\"] <= 1" one.json)" = True
'

test_expect_success '--samples-in: errors name the file, line and field' '
	mkdir -p bad &&
	cp qo/K5-r1.samples bad/K5-r1.samples &&
	sed "3s/^0 /2 /; 3s/^1 /2 /" qo/K5-r1.samples >bad/K5-r1.samples &&
	expect_fail 1 rung fit --prefix 5 --svr qsvr --samples-in bad mq &&
	grep_err "bad/K5-r1.samples: line 3, field 1: expected 0 or 1, not .2." &&
	printf "0 1 1\n" >bad/K5-r1.samples &&
	expect_fail 1 rung fit --prefix 5 --svr qsvr --samples-in bad mq &&
	grep_err "line 1, field 4: expected 120 variables of 0 or 1, found 3" &&
	grep -v "^#" qo/K5-r1.samples | sed "1s/\$/ x/" >bad/K5-r1.samples &&
	expect_fail 1 rung fit --prefix 5 --svr qsvr --samples-in bad mq &&
	grep_err "line 1, field 122: expected the end of the line" &&
	{ head -n 2 qo/K5-r1.samples; printf "0\0001\n"; } >bad/K5-r1.samples &&
	expect_fail 1 rung fit --prefix 5 --svr qsvr --samples-in bad mq &&
	grep_err "bad/K5-r1.samples: line 3: a NUL byte: not a text file" &&
	expect_fail 1 rung fit --prefix 5 --svr qsvr --samples-in nowhere mq &&
	grep_err "nowhere/K5-r1.samples"
'

test_expect_success 'fit --save keeps a QSVR; predict reads it back exactly' '
	rung fit --prefix 8 --svr qsvr --save q8 mq >/dev/null 2>err &&
	grep -q "saved model .q8.: qsvr" err &&
	rung predict --model q8 --json mq >p.json &&
	rung predict --model q8 --json mq >p2.json &&
	cmp p.json p2.json &&
	test "$(json "len(j[\"trials\"])" p.json)" = 30 &&
	test "$(json "all(0 < r[\"predicted\"] < 1 for r in j[\"trials\"])" p.json)" = True
'

test_expect_success 'replay --policy swift-hyperband --svr qsvr runs, the same on 1 and 2 threads' '
	rung replay --policy swift-hyperband,baker,asha-svr --svr qsvr --seeds 2 --min-curves 5 -j 1 --no-save --json mq >r1.json &&
	rung replay --policy swift-hyperband,baker,asha-svr --svr qsvr --seeds 2 --min-curves 5 -j 2 --no-save --json mq >r2.json &&
	test "$(json "j[\"parameters\"][\"svr\"]" r1.json)" = qsvr &&
	/usr/bin/python3 - r1.json r2.json <<-\PY
	import json, sys
	a, b = (json.load(open(f)) for f in sys.argv[1:])
	for x in (a, b):
	    del x["id"]
	assert a == b
	PY
'

test_expect_success 'replay --svr: an unknown type is refused' '
	expect_fail 2 rung replay --policy swift-hyperband --svr quantum mq &&
	grep_err "svr must be nu-svr, eps-svr or qsvr"
'

test_done
