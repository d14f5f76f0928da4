#!/bin/sh
# The explorer's curve panel on a study with a diverged trial: the robust
# y range keeps the tame curves readable and marks the clipped points; w
# smooths, C colours by a parameter, and :smooth, :color-by and :yrange
# set them from the prompt, refusing bad values with what was expected.
. "$RUNG_SRCDIR/tests/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	test_skip 'the explorer in tmux' 'tmux is not installed'
	test_done
	exit
fi

tmux_server

keys() {
	tm send-keys -t t -- "$@"
}

# ylabels: the y axis labels of the curve panel in screen.txt, one a line
# (a number between the panel's two first │).
ylabels() {
	/usr/bin/python3 - screen.txt <<-\PY
	import sys
	for line in open(sys.argv[1], encoding="utf-8"):
	    f = line.split("\u2502")
	    try:
	        if len(f) >= 3:
	            float(f[1])
	            print(f[1].strip())
	    except ValueError:
	        pass
	PY
}

# wait_labels TOP BOTTOM: the panel's first and third y labels become TOP
# and BOTTOM within 10 s. The status line can be captured a moment before
# the panel below it is redrawn, so one capture that shows the new status
# may still show the old labels.
wait_labels() {
	_n=100
	while [ "$_n" -gt 0 ]; do
		screen >screen.txt 2>/dev/null || true
		ylabels >labels
		[ "$(sed -n 1p labels)" = "$1" ] &&
			[ "$(sed -n 3p labels)" = "$2" ] && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	echo "the y labels never became $1 ... $2; they are:"
	cat labels
	return 1
}

# 12 trials x 20 steps of loss 0.5 + t/20 + 2/k; t7 diverges after step 16.
gen_div() {
	awk 'BEGIN {
		print "trial,step,loss,lr,opt"
		for (t = 0; t < 12; t++) {
			for (k = 1; k <= 20; k++) {
				v = sprintf("%.6f", 0.5 + t * 0.05 + 2 / k)
				if (t == 7 && k > 16)
					v = sprintf("%g", 10 ^ (3 * (k - 16) + 2))
				printf "t%d,%d,%s,%g,%s\n", t, k, v, 0.001 * 2 ^ t,
				    t % 3 == 0 ? "adam" : t % 3 == 1 ? "sgd" : "rms"
			}
		}
	}'
}

tui_env

test_expect_success 'open a study with a diverged trial' '
	gen_div >div.csv &&
	rung import -s div div.csv 2>/dev/null &&
	tm new-session -d -s t -x 160 -y 36 "ENV=$TRASH/env.sh sh -i" &&
	wait_for "tui-test" &&
	keys "\"\$RUNG\" tui div" Enter &&
	wait_for "12 trials" &&
	wait_for "loss  x: step  prefix 5"
'

test_expect_success 'a tame trial: its full range, nothing clipped' '
	! grep -q "clipped" screen.txt &&
	ylabels >labels && test $(wc -l <labels) -eq 3 &&
	test "$(sed -n 1p labels)" = "2.5"
'

test_expect_success 'the diverged trial with the top 5: the axis stays in the tame range' '
	keys j j j j j j j t &&
	wait_for "row 8/12" &&
	wait_for "4 clipped" &&
	ylabels >labels && test $(wc -l <labels) -eq 3 &&
	awk "{ if (!(\$1 + 0 < 5 && \$1 + 0 > 0.3)) bad = 1 } END { exit bad }" labels &&
	grep -q "▲" screen.txt
'

test_expect_success 'w smooths: 0.6, 0.9, then off' '
	keys w && wait_for "smooth 0.6" &&
	keys w && wait_for "smooth 0.9" &&
	keys w && wait_for "loss  x: step  prefix 5→20  4 clipped" &&
	! grep -q "smooth" screen.txt
'

test_expect_success 'C colours by each parameter in turn, then as before' '
	keys C && wait_for "colour: lr" && wait_for "lr 0.001 █████ " &&
	keys C && wait_for "colour: opt" && wait_for "opt █ adam █ sgd █ rms" &&
	keys C && wait_for "prefix 5→20  4 clipped" &&
	! grep -q "colour:" screen.txt
'

test_expect_success ':smooth, :color-by and :yrange from the prompt' '
	keys : && wait_for "^:" &&
	keys "smooth 0.33" Enter && wait_for "smooth 0.33" &&
	keys : && wait_for "^:" &&
	keys "color-by opt" Enter && wait_for "colour: opt" &&
	keys : && wait_for "^:" &&
	keys "yrange 0.5:1.5" Enter && wait_for "y 0.5:1.5" &&
	wait_labels 1.5 0.5 &&
	keys : && wait_for "^:" &&
	keys "yrange" Enter && wait_for "smooth 0.33  colour: opt  4 clipped" &&
	keys : && wait_for "^:" && keys "smooth 0" Enter &&
	keys : && wait_for "^:" && keys "color-by" Enter &&
	wait_for "loss  x: step  prefix 5→20  4 clipped"
'

test_expect_success 'bad values are refused, saying what was expected' '
	keys : && wait_for "^:" &&
	keys "smooth 1" Enter && wait_for "smooth: must be a number in \[0, 1\)" &&
	keys : && wait_for "^:" &&
	keys "color-by lrr" Enter &&
	wait_for "color-by: no parameter .lrr. in study .div. \(it has lr or opt\); did you mean .lr.\?" &&
	keys : && wait_for "^:" &&
	keys "yrange 2:1" Enter && wait_for "yrange: LO must be below HI" &&
	keys Q
'

test_done
