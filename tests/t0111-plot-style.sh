#!/bin/sh
# plot curves on real data's troubles: a diverged trial that must not
# flatten the others (the robust y range, its clipped points marked),
# --yrange, --smooth (TensorBoard's debiased EMA, checked against a Python
# copy of its formula) and --color-by (a colour bar, or a legend by level).
. "$RUNG_SRCDIR/tests/lib.sh"

if ! command -v gnuplot >/dev/null 2>&1; then
	test_skip 'plot styles through gnuplot' 'gnuplot is not installed (gnuplot-nox)'
	test_done
	exit
fi
unset DISPLAY RUNG_GNUPLOT

# 12 trials x 20 steps of loss 0.5 + t/20 + 2/k with lr and an optimiser;
# trial t7 diverges after step 16 (1e5, 1e8, 1e11, 1e14) and trial t4 has
# a NaN at step 5.
gen_div() {
	awk 'BEGIN {
		print "trial,step,loss,lr,opt"
		for (t = 0; t < 12; t++) {
			for (k = 1; k <= 20; k++) {
				v = sprintf("%.6f", 0.5 + t * 0.05 + 2 / k)
				if (t == 7 && k > 16)
					v = sprintf("%g", 10 ^ (3 * (k - 16) + 2))
				if (t == 4 && k == 5)
					v = "nan"
				printf "t%d,%d,%s,%g,%s\n", t, k, v, 0.001 * 2 ^ t,
				    t % 3 == 0 ? "adam" : t % 3 == 1 ? "sgd" : "rms"
			}
		}
	}'
}

# yrange FILE: "LO HI" of the set yrange line of a plot.gp.
yrange() {
	sed -n 's/^set yrange \[\(.*\):\(.*\)\]$/\1 \2/p' "$1"
}

test_expect_success 'import a study with a diverged trial' '
	gen_div >div.csv &&
	rung import -s div div.csv 2>/dev/null &&
	gen_div | awk -F, -v OFS=, "NR == 1 || \$1 != \"t7\"" >tame.csv &&
	rung import -s tame tame.csv 2>/dev/null
'

test_expect_success 'a diverged trial does not flatten the others; its points are marked' '
	rm -rf dir && rung plot curves --script dir -o x.txt div &&
	set -- $(yrange dir/plot.gp) &&
	test $# -eq 2 &&
	# The tame curves reach 3.05 (t11 at step 1) and 0.6 (t0, the best).
	awk -v lo="$1" -v hi="$2" "BEGIN { exit !(lo <= 0.6 && lo > 0.4 && hi >= 3.05 && hi < 3.5) }" &&
	test $(wc -l <dir/clip_hi.dat) -eq 4 &&
	test "$(cut -d" " -f1 dir/clip_hi.dat | tr "\\n" " ")" = "17 18 19 20 " &&
	test "$(cut -d" " -f2 dir/clip_hi.dat | sort -u)" = "$2" &&
	grep -q "clip_hi.dat. using 1:2 with points pt 9 .*title .4 points beyond the range." dir/plot.gp &&
	grep -q "4 points beyond the range" x.txt &&
	! grep -q "e+07\\|e+13" x.txt &&
	# The diverged trial alone, chosen: the same.
	rm -rf dir && rung plot curves --trials t7 --script dir -o x.txt div &&
	set -- $(yrange dir/plot.gp) &&
	awk -v hi="$2" "BEGIN { exit !(hi >= 2.85 && hi < 3.5) }" &&
	test $(wc -l <dir/clip_hi.dat) -eq 4
'

test_expect_success 'tame data keep their full range: no yrange, no clipping' '
	rm -rf dir && rung plot curves --script dir -o x.txt tame &&
	! grep -q "yrange" dir/plot.gp && test ! -e dir/clip_hi.dat &&
	! grep -q "beyond the range" dir/plot.gp &&
	rm -rf dir && rung plot curves --top 3 --script dir -o x.txt tame &&
	! grep -q "yrange" dir/plot.gp
'

test_expect_success '--yrange: either side, or both, over the automatic one' '
	rm -rf dir && rung plot curves --yrange 0.2:1.5 --script dir -o x.txt div &&
	test "$(yrange dir/plot.gp)" = "0.2 1.5" &&
	# Every point above 1.5 is marked: 4 diverged and the tame ones early.
	n=$(cat div.csv | awk -F, "NR > 1 && \$3 != \"nan\" && \$3 + 0 > 1.5" | wc -l) &&
	test $(wc -l <dir/clip_hi.dat) -eq $n &&
	rm -rf dir && rung plot curves --yrange :1.5 --script dir -o x.txt div &&
	set -- $(yrange dir/plot.gp) && test "$2" = 1.5 && test "$1" = 0.6 &&
	rm -rf dir && rung plot curves --yrange 0.7: --script dir -o x.txt tame &&
	set -- $(yrange dir/plot.gp) && test "$1" = 0.7 &&
	test -e dir/clip_lo.dat &&
	grep -q "clip_lo.dat. using 1:2 with points pt 11" dir/plot.gp
'

test_expect_success '--smooth W is TensorBoard'\''s debiased EMA, the raw curves faint under it' '
	for w in 0.6 0.9 0.33; do
		rm -rf dir &&
		rung plot curves --smooth $w --trials t4,t1,t7 --script dir -o x.txt div &&
		grep -q "index 0 using 1:2 with lines lw 1 lc rgb .#d8d8d8. notitle" dir/plot.gp &&
		grep -q "index 0 using 1:3 with lines" dir/plot.gp &&
		grep -q "smoothed $w (faint: raw)" dir/plot.gp &&
		/usr/bin/python3 - div.csv dir/sel.dat $w <<-\PY || return 1
		import csv, math, sys
		# TensorBoard'\''s scalar dashboard, as its line chart smooths.
		def tensorboard(ys, w):
		    out, last, num = [], 0.0, 0
		    const = all(y == ys[0] for y in ys)
		    for y in ys:
		        if const or not math.isfinite(y):
		            out.append(y)
		            continue
		        last = last * w + (1 - w) * y
		        num += 1
		        out.append(last / (1 - w ** num))
		    return out
		w = float(sys.argv[3])
		src = {}
		for r in csv.DictReader(open(sys.argv[1])):
		    src.setdefault(r["trial"], []).append(float(r["loss"]))
		blocks = [b for b in open(sys.argv[2]).read().split("\n\n\n") if b.strip()]
		assert len(blocks) == 3, len(blocks)
		for tid, b in zip(("t4", "t1", "t7"), blocks):
		    rows = [list(map(float, l.split())) for l in b.strip().split("\n")]
		    want = [v for v in tensorboard(src[tid], w) if math.isfinite(v)]
		    assert len(rows) == len(want), (tid, len(rows), len(want))
		    for r, v in zip(rows, want):
		        assert abs(r[2] - v) <= 1e-6 * max(1, abs(v)), (tid, r, v)
		PY
		:
	done &&
	rm -rf dir && rung plot curves --smooth 0 --trials t1 --script dir -o x.txt div &&
	! grep -q "smoothed" dir/plot.gp
'

test_expect_success '--color-by: a colour bar for a number, a legend for levels' '
	rm -rf dir && rung plot curves --color-by lr --script dir -o x.png div &&
	grep -q "^set colorbox" dir/plot.gp &&
	grep -q "^set cblabel .lr." dir/plot.gp &&
	grep -q "^set cbrange \\[0.001:2.048\\]" dir/plot.gp &&
	grep -q "cby.dat. using 1:3:4 with lines .*lc palette title .11 trials by lr." dir/plot.gp &&
	test "$(awk "NF { print \$4 }" dir/cby.dat | sort -u | wc -l)" -eq 11 &&
	rm -rf dir && rung plot curves --color-by opt --script dir -o x.png div &&
	grep -q "title .opt = adam." dir/plot.gp &&
	grep -q "title .opt = sgd." dir/plot.gp &&
	grep -q "title .opt = rms." dir/plot.gp &&
	! grep -q "colorbox" dir/plot.gp &&
	rm -rf dir && rung plot curves --color-by lr --trials t0,t5 --script dir -o x.png div &&
	grep -q "index 0 .*lc palette frac 0.0000 title .trial t0, best (lr = 0.001)." dir/plot.gp &&
	grep -q "index 1 .*lc palette frac" dir/plot.gp &&
	(cd dir && gnuplot plot.gp) && test -s dir/x.png
'

test_expect_success '--color-by a parameter sampled on a log scale: a log colour bar' '
	rung import "$RUNG_TESTDATA/optuna/pruned.db" 2>/dev/null &&
	rm -rf dir && rung plot curves --color-by lr --script dir -o x.png pruned 2>/dev/null &&
	grep -q "^set logscale cb" dir/plot.gp &&
	rm -rf dir && rung plot curves --color-by x --script dir -o x.png pruned 2>/dev/null &&
	grep -q "^set cblabel .x." dir/plot.gp &&
	! grep -q "logscale cb" dir/plot.gp
'

test_expect_success 'bad values exit 2 and name the option' '
	expect_fail 2 rung plot curves --yrange 3:1 div && grep_err "plot: --yrange" &&
	grep_err "below HI" &&
	expect_fail 2 rung plot curves --yrange 1 div && grep_err "plot: --yrange must be LO:HI" &&
	expect_fail 2 rung plot curves --yrange a:b div && grep_err "plot: --yrange" &&
	expect_fail 2 rung plot curves --yrange 1:2:3 div && grep_err "plot: --yrange" &&
	expect_fail 2 rung plot curves --log-y --yrange -1:2 div && grep_err "plot: --yrange" &&
	expect_fail 2 rung plot curves --smooth 1 div && grep_err "plot: --smooth must be a number in \\[0, 1)" &&
	expect_fail 2 rung plot curves --smooth -0.1 div && grep_err "plot: --smooth" &&
	expect_fail 2 rung plot curves --smooth x div && grep_err "plot: --smooth" &&
	expect_fail 2 rung plot curves --color-by lrr div &&
	grep_err "plot: --color-by: no parameter .lrr. in study .div. (it has lr or opt); did you mean .lr." &&
	expect_fail 2 rung plot sweep --smooth 0.5 div && grep_err "does not go with plot sweep"
'

test_done
