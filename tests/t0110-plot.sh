#!/bin/sh
# plot: every kind drawn by the real gnuplot into PNG, SVG, PDF and text of
# the size asked, the exported script drawing the same image again, labels
# from data that cannot become gnuplot commands, gnuplot missing or failing,
# and :plot in the explorer.
. "$RUNG_SRCDIR/tests/lib.sh"

if ! command -v gnuplot >/dev/null 2>&1; then
	test_skip 'plots through gnuplot' 'gnuplot is not installed (gnuplot-nox)'
	test_done
	exit
fi
unset DISPLAY RUNG_GNUPLOT

# png_size FILE: "WIDTH HEIGHT" from the IHDR of a PNG; fails on a non-PNG.
png_size() {
	/usr/bin/python3 - "$1" <<-\PY
	import struct, sys
	b = open(sys.argv[1], "rb").read(33)
	assert b[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
	assert b[12:16] == b"IHDR", "no IHDR"
	w, h = struct.unpack(">II", b[16:24])
	print(w, h)
	PY
}

# svg_size FILE: "WIDTH HEIGHT" of the svg element.
svg_size() {
	/usr/bin/python3 - "$1" <<-\PY
	import re, sys
	t = open(sys.argv[1]).read()
	m = re.search(r'<svg\s[^>]*?width="(\d+)"\s+height="(\d+)"', t)
	assert m, "no svg element"
	print(m.group(1), m.group(2))
	PY
}

# pdf_box FILE: the MediaBox of a PDF ("0 0 W H", in points).
pdf_box() {
	head -c 5 "$1" | grep -q '^%PDF-' &&
	sed -n 's/.*MediaBox \[ *\([0-9. ]*[0-9]\) *\].*/\1/p' "$1" | head -n 1
}

# no_pwned: nothing named pwned* anywhere under the scratch directory.
no_pwned() {
	if [ -n "$(find "$TRASH" -name 'pwned*' | head -n 1)" ]; then
		echo "a label ran a command:"
		find "$TRASH" -name 'pwned*'
		return 1
	fi
}

# only_quoted FILE: once every single-quoted string (its quotes doubled
# inside) and every "\n" between title lines is taken out of a script,
# what is left, rung's own text, has no quote, macro, backquote or command
# taken from data.
only_quoted() {
	/usr/bin/python3 - "$1" <<-\PY
	import re, sys
	for line in open(sys.argv[1]):
	    if line.startswith("#"):
	        continue
	    rest = re.sub(r"'(?:[^']|'')*'", "S", line)
	    rest = rest.replace('"\\n"', "N")
	    for bad in ("'", '"', "@", "`", "system", "pwned", "touch"):
	        assert bad not in rest, (bad, line, rest)
	PY
}

# 40 trials x 20 steps with seconds: loss c(t) + 1/k; every fifth trial
# was stopped after 6 steps; steps of trial t take 0.5 + 0.25 (t mod 2) s.
gen_syn() {
	awk 'BEGIN {
		print "trial,step,loss,seconds,lr,status"
		for (t = 0; t < 40; t++) {
			c = ((t * 7 + 3) % 40) / 20
			s = 0.5 + (t % 2) * 0.25
			n = t % 5 == 0 ? 6 : 20
			st = t % 5 == 0 ? "stopped" : "complete"
			for (k = 1; k <= n; k++)
				printf "t%d,%d,%.6f,%g,%g,%s\n", t, k, c + 1 / k, s,
				    0.001 * (t % 3 + 1), st
		}
	}'
}

test_expect_success 'import the bundled study and a synthetic one' '
	rung import -s mq --direction max \
		"$RUNG_SRCDIR/share/rung/metaqnn_cifar10.csv" 2>/dev/null &&
	gen_syn >syn.csv &&
	rung import -s syn syn.csv 2>/dev/null &&
	awk -F, -v OFS=, "NR > 1 { \$3 = -\$3 } 1" syn.csv >neg.csv &&
	rung import -s neg neg.csv 2>/dev/null
'

test_expect_success 'every kind renders to a PNG of the size asked' '
	rung plot curves -o c.png --size 640x400 mq &&
	test "$(png_size c.png)" = "640 400" &&
	rung plot curves --top 5 -o top.png mq &&
	test "$(png_size top.png)" = "800 500" &&
	rung plot predictions --prefix 5 -o p.png --size 700x500 mq &&
	test "$(png_size p.png)" = "700 500" &&
	rung plot sweep -o s.png --size 900x450 mq &&
	test "$(png_size s.png)" = "900 450" &&
	rung plot replay --policy hyperband,asha --seeds 3 -o r.png mq 2>err &&
	grep -q "kept as replay 1" err &&
	test "$(png_size r.png)" = "800 500" &&
	rung plot brackets -o b.png --size 1000x700 mq &&
	test "$(png_size b.png)" = "1000 700" &&
	test ! -e c.png.tmp.* 2>/dev/null
'

test_expect_success 'SVG, PDF and text: the terminal follows the extension' '
	rung plot curves --top 3 -o c.svg --size 640x480 mq &&
	test "$(svg_size c.svg)" = "640 480" &&
	rung plot replay -o r.svg mq &&
	test "$(svg_size r.svg)" = "800 500" &&
	rung plot brackets -o b.pdf --size 960x576 mq &&
	test "$(pdf_box b.pdf)" = "0 0 720 432" &&
	rung plot sweep -o s.PDF mq &&
	test "$(pdf_box s.PDF)" = "0 0 576 360" &&
	rung plot curves -o c.txt --size 90x25 mq &&
	test $(wc -l <c.txt) -eq 25 &&
	test $(awk "length > 90" c.txt | wc -l) -eq 0 &&
	grep -q "mq: acc by step" c.txt &&
	grep -q "the best: trial 363" c.txt
'

test_expect_success 'without -o or DISPLAY: a text plot on stdout' '
	rung plot curves --top 2 mq >out.txt &&
	test $(wc -l <out.txt) -eq 32 &&
	grep -q "trial 363 (best)" out.txt &&
	rung plot brackets --size 80x24 mq >b.txt &&
	test $(wc -l <b.txt) -eq 24 &&
	grep -q "how far hyperband ran each configuration" b.txt
'

test_expect_success 'DISPLAY set, gnuplot without a window terminal: text on stdout' '
	echo "print GPVAL_TERMINALS" | gnuplot 2>terms &&
	if grep -E -q "(^| )(qt|wxt|x11)( |$)" terms; then
		echo "# this gnuplot has windows: not tried"
	else
		DISPLAY=:99 rung plot curves --top 2 mq >out.txt &&
		grep -q "trial 363 (best)" out.txt
	fi
'

test_expect_success '--script writes plot.gp and its data; gnuplot draws the same image' '
	for k in "curves" "curves --top 5" "curves --x seconds syn" \
	    "predictions --prefix 5" "sweep --repeats 2" "replay" \
	    "brackets --policy asha"; do
		set -- $k
		case $k in *syn) study= ;; *) study=mq ;; esac
		rm -rf dir out.png &&
		rung plot "$@" $study -o out.png --script dir &&
		test -f dir/plot.gp &&
		ls dir/*.dat >/dev/null &&
		! grep -q "EOD" dir/plot.gp &&
		(cd dir && gnuplot plot.gp) &&
		cmp out.png dir/out.png ||
		{ echo "plot $k: the script draws another image"; exit 1; }
	done &&
	rm -rf dir && rung plot brackets -o b2.svg --script dir mq &&
	(cd dir && gnuplot plot.gp) && cmp b2.svg dir/b2.svg &&
	rm -rf dir && rung plot sweep -o s2.pdf --script dir mq &&
	(cd dir && gnuplot plot.gp) &&
	grep -av "/CreationDate" s2.pdf >s2.a && grep -av "/CreationDate" dir/s2.pdf >s2.b &&
	cmp s2.a s2.b &&
	rm -rf dir && rung plot curves --top 2 --script dir mq >t1.txt &&
	(cd dir && gnuplot plot.gp) | tr -d "\\f" >t2.txt && cmp t1.txt t2.txt &&
	! grep -q "$(printf "\\f")" t1.txt
'

test_expect_success 'curves: the best highlighted, stopped trials marked where they stopped' '
	rm -rf dir && rung plot curves -o s.png --script dir syn &&
	test $(wc -l <dir/stopped.dat) -eq 8 &&
	test "$(cut -d" " -f1 dir/stopped.dat | sort -u)" = 6 &&
	grep -q "title .stopped (8), where they stopped." dir/plot.gp &&
	best=$(rung trials --sort best --top 1 --json syn | json "j[0][\"id\"]" /dev/stdin) &&
	grep -q "the best: trial $best" dir/plot.gp &&
	test $(wc -l <dir/best.dat) -eq 20 &&
	rm -rf dir && rung plot curves --trials t1,t5,t2 -o s.png --script dir syn &&
	test $(grep -c "index [0-9]" dir/plot.gp) -eq 3 &&
	grep -q "index 0 .*title .trial t1." dir/plot.gp &&
	grep -q "index 1 .*title .trial t5." dir/plot.gp &&
	test $(wc -l <dir/stopped.dat) -eq 1 &&
	rm -rf dir && rung plot curves --log-y --metric loss -o s.png --script dir syn &&
	grep -q "^set logscale y" dir/plot.gp
'

test_expect_success 'curves --x seconds: seconds since each trial started' '
	rm -rf dir && rung plot curves --trials t0,t1 --x seconds -o s.png --script dir syn &&
	/usr/bin/python3 - dir/sel.dat <<-\PY
	import sys
	blocks = [b for b in open(sys.argv[1]).read().split("\n\n\n") if b.strip()]
	xs = [[float(l.split()[0]) for l in b.strip().split("\n")] for b in blocks]
	assert xs[0] == [0.5 * k for k in range(1, 7)], xs[0]
	assert xs[1] == [0.75 * k for k in range(1, 21)], xs[1]
	PY
	grep -q "seconds since the trial started" dir/plot.gp
'

test_expect_success 'predictions: R² in the title is the one fit reports' '
	rung fit --prefix 5 --json mq >fit.json &&
	r2=$(json "\"%.3f\" % j[\"rows\"][0][\"r2\"]" fit.json) &&
	rm -rf dir && rung plot predictions --prefix 5 -o p.png --script dir mq &&
	grep -q "R² $r2, Kendall τ" dir/plot.gp &&
	test $(wc -l <dir/points.dat) -eq 200 &&
	grep -q "x with lines .*title .y = x." dir/plot.gp &&
	rm -rf dir && rung plot predictions --prefix 5 --repeats 3 --features baker -o p.png --script dir mq &&
	test $(wc -l <dir/points.dat) -eq 600 &&
	grep -q "over 3 repeats" dir/plot.gp
'

test_expect_success 'predictions --model: a saved model on a study' '
	rung fit --prefix 5 --save m5 mq >/dev/null 2>&1 &&
	rm -rf dir && rung plot predictions --model m5 -o m.png --script dir mq &&
	test "$(png_size m.png)" = "800 500" &&
	test $(wc -l <dir/points.dat) -eq 1000 &&
	grep -q "by model m5 from steps 1-5" dir/plot.gp &&
	expect_fail 2 rung plot predictions --model m5 --prefix 5 mq &&
	grep_err "does not go with it" &&
	expect_fail 1 rung plot predictions --model nope mq &&
	grep_err "nope"
'

test_expect_success 'sweep: R² and Kendall tau at each tenth of the curve' '
	rm -rf dir && rung plot sweep --repeats 2 -o s.png --script dir mq &&
	test $(wc -l <dir/sweep.dat) -eq 9 &&
	test "$(cut -d" " -f6 dir/sweep.dat | tr "\n" " ")" = "2 4 6 8 10 12 14 16 18 " &&
	grep -q "yerrorlines" dir/plot.gp &&
	grep -q "title .Kendall τ." dir/plot.gp
'

test_expect_success 'replay: the newest kept run, or the one named' '
	rung replay --policy random --seeds 2 --no-save mq >/dev/null &&
	rung replay --policy sha,asha --seeds 2 mq >/dev/null 2>&1 &&
	rm -rf dir && rung plot replay -o r.png --script dir mq &&
	grep -q "replay 2, 2 seeds of sha, asha" dir/plot.gp &&
	test $(grep -c "^[0-9]" dir/mean.dat) -eq 2 &&
	rm -rf dir && rung plot replay --replay 1 -o r.png --script dir mq &&
	grep -q "replay 1, 3 seeds of hyperband, asha" dir/plot.gp &&
	test $(grep -c "^[0-9]" dir/seeds.dat) -eq 6 &&
	test $(grep -c "^[0-9]" dir/best.dat) -eq 402 &&
	before=$(sqlite3 "$RUNG_DB" "select count(*) from replays") &&
	rung plot replay --policy hyperband --seeds 2 --eta 2 -o r.png mq 2>/dev/null &&
	test "$(sqlite3 "$RUNG_DB" "select count(*) from replays")" = $((before + 1)) &&
	expect_fail 1 rung plot replay --replay 99 mq && grep_err "no replay 99" &&
	expect_fail 1 rung plot replay syn && grep_err "no replay of study .syn. is kept" &&
	expect_fail 2 rung plot replay --replay 1 --policy asha mq &&
	expect_fail 2 rung plot replay --seeds 3 mq && grep_err "goes with --policy"
'

test_expect_success 'brackets: how far each trial ran, the milestones as lines' '
	rm -rf dir && rung plot brackets -o b.png --script dir mq &&
	test $(wc -l <dir/bars.dat) -eq 17 &&
	test "$(cut -d" " -f2 dir/bars.dat | sort -n | uniq -c | awk "{print \$1 \":\" \$2}" | tr "\n" " ")" = "6:2 6:7 5:20 " &&
	grep -q "^set x2tics (.2. 2.0, .7. 7.0, .20. 20.0)" dir/plot.gp &&
	test $(grep -c "^set arrow from" dir/plot.gp) -eq 3 &&
	grep -q "title .returned: trial [0-9]*, final " dir/plot.gp &&
	rm -rf dir && rung plot brackets --policy asha --seed 3 --eta 2 -o b.png --script dir mq &&
	grep -q "how far asha ran each configuration (seed 3)" dir/plot.gp &&
	expect_fail 2 rung plot brackets --policy hyperband,asha mq &&
	grep_err "brackets draw one policy"
'

test_expect_success 'replay: tics spaced for the size, titles on two lines' '
	rm -rf dir && rung plot replay --replay 2 --size 480x360 -o r.png --script dir mq &&
	test $(grep -c "^set xtics [0-9.]*$" dir/plot.gp) -eq 3 &&
	small=$(grep "^set xtics" dir/plot.gp | tail -1 | cut -d" " -f3) &&
	grep -q "^set title .best so far against simulated time. \. " dir/plot.gp &&
	grep -q "^set title .regret against compute. \. " dir/plot.gp &&
	test $(grep -c "index [01] using 1:2 with steps lw 2" dir/plot.gp) -eq 4 &&
	grep -q "^set multiplot layout 1,3 title .mq: replay 2, 2 seeds of sha, asha. \. " dir/plot.gp &&
	rm -rf dir && rung plot replay --replay 2 --size 1600x500 -o r.png --script dir mq &&
	large=$(grep "^set xtics" dir/plot.gp | tail -1 | cut -d" " -f3) &&
	awk -v s=$small -v l=$large "BEGIN { exit !(s > l) }" ||
	{ echo "tics every $small at 480 wide, every $large at 1600"; false; }
'

test_expect_success 'brackets: milestones too close for one row take two' '
	rm -rf dir && rung plot brackets --eta 2 --size 320x240 -o b.png --script dir mq &&
	grep -q "^set x2tics (.1. 1.0, .. 2.0, .5. 5.0, .10. 10.0, .20. 20.0)" dir/plot.gp &&
	grep -q "^set label .2. at 2.0, graph 1 center offset 0, char 1.9" dir/plot.gp &&
	grep -q "^set x2label .milestones: where the policy judges (steps). \. " dir/plot.gp &&
	rm -rf dir && rung plot brackets --eta 2 -o b.png --script dir mq &&
	grep -q "^set x2tics (.1. 1.0, .2. 2.0, .5. 5.0, .10. 10.0, .20. 20.0)" dir/plot.gp &&
	! grep -q "^set label" dir/plot.gp
'

# A study, a metric and trials whose names try to escape their quotes.
gen_evil() {
	/usr/bin/python3 - <<-\PY
	import csv, sys
	w = csv.writer(sys.stdout)
	w.writerow(["trial", "step", "acc\x27); system(\x27touch pwned_metric\x27) #", "lr"])
	names = ["t\x27; system(\x27touch pwned_a\x27); \x27",
	         "`touch pwned_b`",
	         "t\"\n! touch pwned_c\nprint \"",
	         "x\x27 . system(\x27touch pwned_d\x27) . \x27",
	         "@m `touch pwned_e` \\\x27"]
	for t in range(40):
	    name = names[t] if t < len(names) else "n%d" % t
	    for k in range(1, 21):
	        w.writerow([name, k, "%.4f" % (0.9 - 0.5 / k - 0.01 * t), 0.01])
	PY
}

test_expect_success 'labels from data cannot run anything, and still render' '
	gen_evil >evil.csv &&
	study="x\"; system(\"touch pwned\") # \`touch pwned_title\`" &&
	rung import -s "$study" --direction max evil.csv 2>/dev/null &&
	rung studies --json >st.json &&
	test "$(json "len(j)" st.json)" = 4 &&
	for k in "curves" "curves --top 5" "predictions --prefix 5" "sweep" \
	    "replay --policy hyperband,asha --seeds 2" "brackets"; do
		rm -rf dir &&
		rung plot $k "$study" -o evil.png --script dir 2>err ||
		{ cat err; exit 1; }
		test "$(png_size evil.png)" = "800 500" &&
		(cd dir && gnuplot plot.gp) &&
		cmp evil.png dir/evil.png &&
		rung plot $k "$study" -o evil.svg 2>/dev/null &&
		grep -q "touch pwned_title" evil.svg &&
		no_pwned || exit 1
	done &&
	rung plot curves --top 5 "$study" -o evil.txt &&
	grep -q "system(.touch pwned_a.)" evil.txt &&
	no_pwned
'

test_expect_success 'what reaches gnuplot: labels quoted, nothing outside them' '
	rm -rf dir &&
	rung plot curves --top 5 "x\"; system(\"touch pwned\") # \`touch pwned_title\`" -o e.png --script dir &&
	! grep -q "\`" dir/plot.gp &&
	grep -q "x\"; system(\"touch pwned\") # touch pwned_title" dir/plot.gp &&
	grep -q "'"'"''"'"'; system(" dir/plot.gp &&
	grep -q "@m touch pwned_e " dir/plot.gp &&
	! grep -q "^! touch" dir/plot.gp &&
	! grep -q "^print" dir/plot.gp &&
	only_quoted dir/plot.gp &&
	no_pwned
'

test_expect_success 'gnuplot missing: exit 1, naming the Debian package' '
	expect_fail 1 env PATH=/nonexistent "$RUNG" plot curves -o x.png mq &&
	grep_err "cannot run .gnuplot.: not found" &&
	grep_err "gnuplot-nox" &&
	test ! -e x.png &&
	expect_fail 1 env RUNG_GNUPLOT=/nonexistent/gnuplot "$RUNG" plot curves mq &&
	grep_err "cannot run ./nonexistent/gnuplot.: No such file" &&
	grep_err "gnuplot-nox" &&
	expect_fail 1 env PATH=/nonexistent DISPLAY=:0 "$RUNG" plot curves mq &&
	grep_err "gnuplot-nox"
'

test_expect_success 'gnuplot failing: its error reaches the user, exit 1, no file' '
	expect_fail 1 rung plot curves --log-y -o n.png neg &&
	grep_err "gnuplot failed (exit status 1)" &&
	grep_err "all points y value undefined" &&
	test ! -e n.png &&
	test -z "$(ls | grep "n.png.tmp")" &&
	cat >fake-gp <<-\EOF &&
	#!/bin/sh
	cat >/dev/null
	echo "warning: something odd" >&2
	printf "fake image\n"
	EOF
	chmod +x fake-gp &&
	RUNG_GNUPLOT=./fake-gp rung plot curves -o f.png mq 2>err &&
	grep -q "rung: warning: gnuplot: warning: something odd" err &&
	test "$(cat f.png)" = "fake image" &&
	cat >fail-gp <<-\EOF &&
	#!/bin/sh
	cat >/dev/null
	echo "cannot do it" >&2
	exit 3
	EOF
	chmod +x fail-gp &&
	expect_fail 1 env RUNG_GNUPLOT=./fail-gp "$RUNG" plot curves -o g.png mq &&
	grep_err "gnuplot failed (exit status 3):" &&
	grep_err "cannot do it" &&
	test ! -e g.png &&
	cat >early-gp <<-\EOF &&
	#!/bin/sh
	echo "gone at once" >&2
	exit 1
	EOF
	chmod +x early-gp &&
	expect_fail 1 env RUNG_GNUPLOT=./early-gp "$RUNG" plot curves mq &&
	grep_err "gone at once"
'

test_expect_success 'bad options exit 2 and say what was expected' '
	expect_fail 2 rung plot lines mq && grep_err "must be curves, predictions, sweep, replay, brackets, importance, slice, parallel, contour, history, edf or pareto, not .lines." &&
	expect_fail 2 rung plot curves -o x.gif mq && grep_err "must end in .png, .svg, .pdf or .txt" &&
	expect_fail 2 rung plot curves -o x.png --size 12 mq && grep_err "WIDTHxHEIGHT" &&
	expect_fail 2 rung plot curves -o x.png --size 50x50 mq && grep_err "out of range" &&
	expect_fail 2 rung plot sweep --top 3 mq && grep_err "does not go with plot sweep" &&
	expect_fail 2 rung plot curves --trials 1 --top 3 mq && grep_err "alternatives" &&
	expect_fail 2 rung plot curves --x epoch mq && grep_err "step or seconds" &&
	expect_fail 2 rung plot predictions mq && grep_err "need --prefix" &&
	expect_fail 2 rung plot predictions --prefix 20 mq && grep_err "prefix" &&
	expect_fail 2 rung plot sweep --svr rbf mq && grep_err "nu-svr, eps-svr or qsvr" &&
	expect_fail 2 rung plot curves mq extra && grep_err "plot curves draws one study, not 2" &&
	expect_fail 2 rung plot curves && grep_err "missing argument"
'

test_expect_success 'bad data exits 1 and says why' '
	expect_fail 1 rung plot curves --trials 1,nope mq && grep_err "no trial .nope. in study .mq." &&
	expect_fail 1 rung plot curves --x seconds mq && grep_err "records no seconds" &&
	expect_fail 1 rung plot curves nope && grep_err "no study .nope." &&
	expect_fail 1 rung plot curves --metric nope syn && grep_err "has no metric .nope." &&
	expect_fail 1 rung plot curves -o nodir/x.png mq && grep_err "cannot open .nodir/x.png." &&
	: >afile && expect_fail 1 rung plot curves -o x.png --script afile mq &&
	grep_err "not a directory"
'

# :plot in the explorer: with no DISPLAY it writes a PNG and says where.
if command -v tmux >/dev/null 2>&1; then
	tmux_server
	tui_env "unset DISPLAY RUNG_GNUPLOT"
	test_expect_success ':plot curves in the explorer writes a PNG and says where' '
		rm -f rung-plot-curves-mq.png &&
		tm new-session -d -s t -x 120 -y 40 "ENV=$TRASH/env.sh sh -i" &&
		wait_for "tui-test" &&
		tm send-keys -t t -- "\"\$RUNG\" tui mq" Enter &&
		wait_for "1000 trials" &&
		tm send-keys -t t -- : &&
		wait_for "^:" &&
		tm send-keys -t t -- "plot curves --top 3" Enter &&
		wait_for "rung plot curves --top 3 mq" &&
		wait_for "plot written to ./rung-plot-curves-mq.png \(800x500\)" &&
		wait_for "\[exit 0, " &&
		test "$(png_size rung-plot-curves-mq.png)" = "800 500" &&
		tm send-keys -t t -- : &&
		wait_for "^:" &&
		tm send-keys -t t -- "plot brackets -o br.svg" Enter &&
		wait_for "plot written to br.svg" &&
		test "$(svg_size br.svg)" = "800 500"
	'
else
	test_skip ':plot in the explorer' 'tmux is not installed'
fi

test_done
