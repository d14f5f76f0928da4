#!/bin/sh
# The explorer's Params screen, driven in tmux: the parameters ranked as
# rung importance ranks them, the slice, parallel coordinates and contour
# views, and brushing an axis, which filters the trials table to exactly
# the trials inside the range.
. "$RUNG_SRCDIR/tests/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	test_skip 'the Params screen in tmux' 'tmux is not installed'
	test_done
	exit
fi

tmux_server

keys() {
	tm send-keys -t t -- "$@"
}

tui_env "unset NO_COLOR"

test_expect_success 'import the bundled study and open its Params screen' '
	rung import -s mq --direction max \
		"$RUNG_SRCDIR/share/rung/metaqnn_cifar10.csv" 2>/dev/null &&
	rung importance --json mq >imp.json &&
	tm new-session -d -s t -x 120 -y 40 "ENV=$TRASH/env.sh sh -i" &&
	wait_for "tui-test" &&
	keys "\"\$RUNG\" tui mq; echo status=\$?" Enter &&
	wait_for "1000 trials" &&
	keys 7 &&
	wait_for "PED-ANOVA: the best 10[0-9] of 1000 against all" &&
	wait_for "7 Params" &&
	wait_for "slice: final acc against"
'

# The ranking, the shares to three decimals, as the command computes them.
test_expect_success 'the parameters are ranked as rung importance ranks them' '
	/usr/bin/python3 - imp.json >want <<-\PY &&
	import json, sys
	j = json.load(open(sys.argv[1]))
	imp = j["columns"][0]["importance"]
	r = sorted((k for k in imp if imp[k] is not None), key=lambda k: -imp[k])
	for k in r:
	    print(k, "%.3f" % imp[k])
	PY
	test -s want &&
	sed -n "/PARAMETER/,/^$/p" screen.txt | sed "s/│.*//" |
		awk "NR > 1 && NF >= 3 && \$3 ~ /^[0-9.]+\$/ { print \$1, \$3 }" >got &&
	head -n $(wc -l <got) want >want.top &&
	diff -u want.top got
'

test_expect_success 'v shows the parallel coordinates, then the contour' '
	keys v &&
	wait_for "parallel coordinates: [0-9]+ of 5 parameters and final acc" &&
	keys v &&
	wait_for "contour: final acc over [a-z_]+ and [a-z_]+ \(c: another\)" &&
	keys c &&
	wait_for "contour of [a-z_]+ against [a-z_]+" &&
	keys v &&
	wait_for "slice: final acc against"
'

# Select depth: its row in the ranking.
test_expect_success 'brushing depth keeps exactly the trials in its range' '
	row=$(grep -n "^depth " got | cut -d: -f1) &&
	test -n "$row" &&
	keys g &&
	i=1 && while [ "$i" -lt "$row" ]; do keys j; i=$((i + 1)); done &&
	wait_for "slice: final acc against depth" &&
	keys "]" "]" "]" &&
	wait_for "trials in the brushed ranges" &&
	range=$(sed -n "s/.*brush.*depth \([0-9]*\.\.[0-9]*\).*/\1/p" screen.txt | head -1) &&
	lo=${range%..*} && hi=${range#*..} &&
	test -n "$lo" && test -n "$hi" &&
	rung trials --json mq >t.json &&
	n=$(json "len([x for x in j if $lo <= x[\"params\"][\"depth\"] <= $hi])" t.json) &&
	low=$(json "min(x[\"params\"][\"depth\"] for x in j)" t.json) &&
	test "$lo" -gt "$low" &&
	test "$n" -gt 0 && test "$n" -lt 1000 &&
	grep -q "$n of 1000 trials in the brushed ranges" screen.txt &&
	echo "$n" >n && echo "$lo $hi" >range
'

test_expect_success 'Enter shows the trials table filtered by the brush' '
	n=$(cat n) &&
	keys Enter &&
	wait_for "row 1/$n of 1000" &&
	wait_for "brushed: depth [0-9]+\.\.[0-9]+"
'

test_expect_success 'a filter and a brush together; F clears both' '
	n=$(cat n) &&
	read lo hi <range &&
	m=$(json "len([x for x in j if $lo <= x[\"params\"][\"depth\"] <= $hi and x[\"best\"] > 0.7])" t.json) &&
	test "$m" -gt 0 && test "$m" -lt "$n" &&
	keys f &&
	wait_for "^filter:" &&
	keys "best > 0.7" Enter &&
	wait_for "row 1/$m of 1000" &&
	keys F &&
	wait_for "no filter: 1000 trials" &&
	wait_gone "brushed:"
'

test_expect_success 'b removes the brush of the selected parameter' '
	keys 7 &&
	wait_for "no brush" &&
	keys "{" &&
	wait_for "trials in the brushed ranges" &&
	keys b &&
	wait_for "no brush: 1000 trials" &&
	keys Q &&
	wait_for "status=0"
'

test_done
