#!/bin/sh
# plot's parameter views (importance, slice, parallel, contour, history, edf,
# pareto): drawn into every terminal, and their exported data checked
# against what rung's other commands print and against independent
# computations in Python: importance's shares, one panel per parameter,
# positions on [0, 1], a best so far that never gets worse, an EDF that
# reaches 1, the Pareto front of Optuna's multi-objective studies as a
# brute-force non-dominated filter finds it; and bad input refused.
. "$RUNG_SRCDIR/tests/lib.sh"

if ! command -v gnuplot >/dev/null 2>&1; then
	test_skip 'plots through gnuplot' 'gnuplot is not installed (gnuplot-nox)'
	test_done
	exit
fi
unset DISPLAY RUNG_GNUPLOT

kinds='importance slice parallel contour history edf'
optuna=$RUNG_TESTDATA/optuna

test_expect_success 'import the bundled study and Optuna studies of one, two and three objectives' '
	rung import -s mq --direction max \
		"$RUNG_SRCDIR/share/rung/metaqnn_cifar10.csv" 2>/dev/null &&
	rung import --study pruned "$optuna/pruned.journal" 2>/dev/null &&
	rung import --study multi "$optuna/pruned.journal" 2>/dev/null &&
	rung import --study objectives "$optuna/ranked.journal" 2>/dev/null
'

test_expect_success 'every view renders to PNG, SVG, PDF and text of the size asked' '
	for k in $kinds; do
		rung plot $k -o $k.png --size 700x450 mq 2>/dev/null &&
		head -c 8 $k.png | od -c | grep -q "P   N   G" &&
		rung plot $k -o $k.svg pruned 2>/dev/null &&
		grep -q "<svg" $k.svg &&
		rung plot $k -o $k.pdf pruned 2>/dev/null &&
		head -c 5 $k.pdf | grep -q "^%PDF-" &&
		rung plot $k -o $k.txt --size 90x30 pruned 2>/dev/null &&
		test $(wc -l <$k.txt) -eq 30 &&
		test $(awk "length > 90" $k.txt | wc -l) -eq 0 ||
		{ echo "plot $k failed"; exit 1; }
	done &&
	rung plot pareto -o pareto.png multi >/dev/null &&
	rung plot pareto -o pareto.txt multi >/dev/null &&
	grep -q "the Pareto front of value_0 (min) and value_1 (max)" pareto.txt &&
	rung plot history -o h.txt --size 120x30 mq &&
	grep -q "mq: final acc by trial, and the best so far" h.txt
'

test_expect_success 'without -o: the text plot on stdout, the script drawing it again' '
	rung plot parallel pruned >p.txt 2>/dev/null &&
	test $(wc -l <p.txt) -eq 32 &&
	grep -q "pruned: parallel coordinates of 18 trials" p.txt &&
	rung plot slice -o s.png --script sd mq 2>/dev/null &&
	(cd sd && gnuplot plot.gp) && cmp s.png sd/s.png
'

test_expect_success 'importance: the shares rung importance prints, a bar each' '
	rung importance --json mq >imp.json 2>/dev/null &&
	rung plot importance -o i.png --script id mq 2>/dev/null &&
	/usr/bin/python3 - imp.json id/col0.dat <<-\PY
	import json, sys
	j = json.load(open(sys.argv[1]))
	want = sorted(v for v in j["columns"][0]["importance"].values() if v is not None)
	got = sorted(float(l.split()[0]) for l in open(sys.argv[2]) if l.strip())
	assert len(got) == len(want) == 4, (got, want)
	assert all(abs(a - b) < 1e-12 for a, b in zip(got, want)), (got, want)
	PY
	grep -q "set ytics scale 0 (.net. 3, .depth. 2, .num_params. 1, .lr. 0)" id/plot.gp &&
	rung plot importance --prefix 5,25%,final -o i3.png --script i3 mq 2>/dev/null &&
	test -s i3/col0.dat && test -s i3/col1.dat && test -s i3/col2.dat &&
	grep -q "title .at step 5." i3/plot.gp &&
	grep -q "title .at step 5 (25%)." i3/plot.gp &&
	rung plot importance --method fanova --seed 3 --params lr,depth -o f.png \
		--script fd mq 2>/dev/null &&
	test $(grep -c . fd/col0.dat) -eq 2 &&
	grep -q "fANOVA, seed 3" fd/plot.gp
'

test_expect_success 'slice: a panel per parameter, each trial at its value' '
	rung plot slice -o s.png --script s1 mq 2>err &&
	grep -q "1 parameter left out" err &&
	test $(ls s1/p*.dat | wc -l) -eq 4 &&
	grep -q "set multiplot layout 2,2" s1/plot.gp &&
	rung plot slice --params depth,lr,num_params -o s.png --script s2 mq &&
	test $(ls s2/p*.dat | wc -l) -eq 3 &&
	grep -q "set multiplot layout 2,2" s2/plot.gp &&
	test $(grep -c "^plot " s2/plot.gp) -eq 3 &&
	rung trials --json mq >t.json &&
	/usr/bin/python3 - t.json s2/p0.dat s2/p1.dat <<-\PY
	import json, sys
	t = json.load(open(sys.argv[1]))
	for path, name in ((sys.argv[2], "depth"), (sys.argv[3], "lr")):
	    rows = [list(map(float, l.split())) for l in open(path) if l.strip()]
	    assert len(rows) == 1000, len(rows)
	    for x, v, n in rows:
	        tr = t[int(n)]
	        assert x == tr["params"][name] and v == tr["final"], (path, x, v, tr)
	PY
	rung plot slice -o s.png --script s3 pruned 2>/dev/null &&
	test $(grep -c "set logscale x" s3/plot.gp) -eq 2 &&
	grep -q "set xtics (.None. 0," s3/plot.gp ||
	grep -q "optimizer (6 levels, numbered as first seen)" s3/plot.gp
'

test_expect_success 'slice and history: --prefix reads one step' '
	rung plot slice --params depth --prefix 5 -o s.png --script sp mq &&
	grep -q "acc at step 5 against each parameter" sp/plot.gp &&
	expect_fail 2 rung plot slice --prefix 5,10 mq &&
	grep_err "prefix takes one step"
'

test_expect_success 'parallel: a line per trial on [0, 1], the best in black' '
	rung plot parallel -o p.png --script pd mq 2>/dev/null &&
	/usr/bin/python3 - pd/lines.dat pd/best.dat t.json <<-\PY
	import json, sys
	blocks = open(sys.argv[1]).read().strip().split("\n\n")
	assert len(blocks) == 1000, len(blocks)
	for b in blocks:
	    rows = [list(map(float, l.split())) for l in b.split("\n")]
	    assert [r[0] for r in rows] == [0, 1, 2, 3, 4], rows
	    assert all(0 <= r[1] <= 1 for r in rows), rows
	    assert len({r[2] for r in rows}) == 1, rows
	best = [list(map(float, l.split())) for l in open(sys.argv[2]) if l.strip()]
	t = json.load(open(sys.argv[3]))
	assert best[-1][2] == max(x["final"] for x in t), best
	assert best[-1][1] == 1, best
	PY
'

test_expect_success 'contour: a 60 x 60 surface within the trials values' '
	rung plot contour -o c.png --script cd mq 2>err &&
	grep -q "the two most important parameters by PED-ANOVA: net and depth" err &&
	rung plot contour --params depth,lr -o c.png --script c2 mq &&
	/usr/bin/python3 - c2/surface.dat c2/trials.dat <<-\PY
	import sys
	s = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
	t = [list(map(float, l.split())) for l in open(sys.argv[2]) if l.strip()]
	assert len(s) == 3600 and len(t) == 1000, (len(s), len(t))
	lo, hi = min(r[2] for r in t), max(r[2] for r in t)
	assert all(lo - 1e-12 <= r[2] <= hi + 1e-12 for r in s)
	assert min(r[0] for r in s) == min(r[0] for r in t) == 2
	assert max(r[1] for r in s) == max(r[1] for r in t) == 0.001
	PY
	rung plot contour --params lr,units -o c.png --script c3 pruned &&
	grep -q "set logscale x" c3/plot.gp && grep -q "set logscale y" c3/plot.gp
'

test_expect_success 'history: the best so far never gets worse' '
	rung plot history -o h.png --script hd mq &&
	rung plot history -o h.png --script hp pruned &&
	/usr/bin/python3 - hd/history.dat hp/history.dat <<-\PY
	import math, sys
	for path, better in ((sys.argv[1], max), (sys.argv[2], min)):
	    rows = [list(map(float, l.split())) for l in open(path) if l.strip()]
	    best = None
	    for n, (i, v, b) in enumerate(rows):
	        assert i == n
	        if not math.isnan(v):
	            best = v if best is None else better(best, v)
	        assert (best is None and math.isnan(b)) or b == best, (path, n, b, best)
	    assert best is not None
	PY
'

test_expect_success 'edf: a step line per study, rising to 1' '
	rung plot edf -o e.png --script ed mq pruned &&
	grep -q "mq: final acc (1000 trials)" ed/plot.gp &&
	grep -q "pruned: final value (18 trials)" ed/plot.gp &&
	/usr/bin/python3 - ed/edf0.dat ed/edf1.dat <<-\PY
	import sys
	for path, n in ((sys.argv[1], 1000), (sys.argv[2], 18)):
	    rows = [list(map(float, l.split())) for l in open(path) if l.strip()]
	    assert len(rows) == n + 1 and rows[0][1] == 0 and rows[-1][1] == 1
	    assert all(a[0] <= b[0] and a[1] < b[1] for a, b in zip(rows, rows[1:]))
	PY
	expect_fail 2 rung plot slice mq pruned && grep_err "draws one study, not 2" &&
	expect_fail 1 rung plot edf mq mq && grep_err "given twice"
'

# front JOURNAL STUDY DATADIR: the front's trial numbers, brute force over
# every exported point, each objective in the direction of the journal.
front() {
	/usr/bin/python3 - "$@" <<-\PY
	import json, sys
	dirs = None
	for line in open(sys.argv[1]):
	    op = json.loads(line)
	    if op.get("study_name") == sys.argv[2]:
	        dirs = op["directions"]
	assert dirs, "no study"
	s = [1 if d == 1 else -1 for d in dirs[:2]]	# 1: MINIMIZE
	pts = []
	for name in ("trials.dat", "front.dat"):
	    for l in open(sys.argv[3] + "/" + name):
	        if l.strip() and "NaN" not in l:
	            a, b, n = map(float, l.split())
	            pts.append((s[0] * a, s[1] * b, int(n)))
	def dom(p, q):
	    return p[0] <= q[0] and p[1] <= q[1] and (p[0] < q[0] or p[1] < q[1])
	print(" ".join(str(q[2]) for q in sorted(pts, key=lambda q: q[2])
	    if not any(dom(p, q) for p in pts)))
	PY
}

test_expect_success 'pareto: the front of two objectives as brute force finds it, listed' '
	for st in multi objectives; do
		journal=pruned.journal
		test $st = objectives && journal=ranked.journal
		rung plot pareto -o f.png --script $st $st >list.txt &&
		want=$(front "$optuna/$journal" $st $st) &&
		test -n "$want" &&
		got=$(awk "{ print \$3 }" $st/front.dat | sort -n | tr "\n" " " | sed "s/ \$//") &&
		test "$got" = "$want" ||
		{ echo "$st: front $got, brute force $want"; exit 1; }
		head -n 1 list.txt | grep -q "^ID  *value_0  *value_1$" &&
		test $(($(wc -l <list.txt) - 1)) -eq $(echo $want | wc -w) ||
		{ echo "$st: the listing"; cat list.txt; exit 1; }
	done &&
	rung trials --json objectives >o.json &&
	rung plot pareto --json -o f.png objectives >front.json &&
	/usr/bin/python3 - front.json o.json list.txt <<-\PY
	import json, sys
	f = json.load(open(sys.argv[1]))
	t = {x["id"]: x for x in json.load(open(sys.argv[2]))}
	assert f["objectives"] == ["value_0", "value_1"], f
	ids = [l.split()[0] for l in open(sys.argv[3])][1:]
	assert [e["id"] for e in f["front"]] == ids, (f, ids)
	for e in f["front"]:
	    assert e["value_0"] == t[e["id"]]["final"], e
	    assert e["value_1"] == t[e["id"]]["metrics"]["value_1"], e
	v0 = [e["value_0"] for e in f["front"]]
	assert v0 == sorted(v0), v0
	PY
	rung plot pareto --objectives value_2,value_1 -o f.png --script o21 objectives >/dev/null &&
	grep -q "front of value_2 (min) and value_1 (max)" o21/plot.gp &&
	rung plot pareto objectives >p.txt 2>p.err &&
	grep -q "the Pareto front (on the standard output with -o FILE)" p.err &&
	grep -q "^ID  *value_0  *value_1" p.err &&
	grep -q "objectives: the Pareto front of value_0" p.txt
'

test_expect_success 'bad input: exit 2 for the command line, 1 for the data, and what was expected' '
	expect_fail 2 rung plot slice --params lr,dept mq &&
	grep_err "plot: --params: .dept. is no parameter of .mq.*depth" &&
	expect_fail 2 rung plot contour --params depth mq &&
	grep_err "names the two parameters of the axes, not 1" &&
	expect_fail 2 rung plot contour --params depth,depth mq &&
	expect_fail 2 rung plot contour --params depth,nope mq &&
	expect_fail 1 rung plot pareto mq &&
	grep_err "study .mq. has no objective.*--objectives: acc" &&
	expect_fail 2 rung plot pareto --objectives value_0 objectives &&
	grep_err "names two metrics, not 1" &&
	expect_fail 2 rung plot pareto --objectives value_0,nope objectives &&
	grep_err "no metric .nope.; it has value_0, value_1, value_2" &&
	expect_fail 2 rung plot pareto -m value_1 objectives &&
	expect_fail 2 rung plot pareto --json objectives &&
	grep_err "give the plot a file with -o" &&
	expect_fail 2 rung plot slice --json -o x.png mq &&
	grep_err "json does not go with plot slice" &&
	expect_fail 2 rung plot importance --method anova mq &&
	grep_err "method must be ped-anova or fanova" &&
	expect_fail 2 rung plot importance --quantile 0 mq &&
	expect_fail 2 rung plot importance --seed 2 mq &&
	grep_err "give it with --method fanova" &&
	expect_fail 2 rung plot history --objectives a,b mq &&
	expect_fail 1 rung plot history nope && grep_err "no study"
'

test_done
