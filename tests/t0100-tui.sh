#!/bin/sh
# The explorer, driven in tmux as a person would: open the bundled study,
# sort, filter, mark and compare, move the prefix marker and refit, run
# commands from the prompt, complete one with Tab, resize, quit, and find
# the terminal sane afterwards. Screens are polled, never slept on.
. "$RUNG_SRCDIR/tests/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	test_skip 'the explorer in tmux' 'tmux is not installed'
	test_done
	exit
fi

# A private server whose socket goes away with the scratch directory.
tmux_server

keys() {
	tm send-keys -t t -- "$@"
}

# The shell of the pane: its pid, and the explorer's under it.
rung_pid() {
	ps -o pid= --ppid "$(tm display -p -t t '#{pane_pid}')" | tr -d ' '
}

tui_env "unset NO_COLOR"

test_expect_success 'import the bundled study' '
	rung import -s mq --direction max \
		"$RUNG_SRCDIR/share/rung/metaqnn_cifar10.csv" 2>/dev/null &&
	tm new-session -d -s t -x 120 -y 40 "ENV=$TRASH/env.sh sh -i" &&
	wait_for "tui-test"
'

# The first frame of a study opened light (its summaries and the curves it
# shows, read whole after: RUNG_TUI_LIGHT=0 opens every study so) and of
# one read whole, and the screen after a sort, which waits for the study
# whole: the same, but for the status lines.
test_expect_success 'a study opened light shows what one read whole shows' '
	for l in 0 100000000; do
		keys "RUNG_TUI_LIGHT=$l \"\$RUNG\" tui mq" Enter &&
		wait_for "row 1/1000" &&
		head -n 38 screen.txt >first.$l &&
		keys s s s g &&
		wait_for "row 1/1000 │ sort best" &&
		head -n 38 screen.txt >sorted.$l &&
		keys Q &&
		wait_for "tui-test" || return 1
	done &&
	cmp first.0 first.100000000 &&
	cmp sorted.0 sorted.100000000 &&
	grep -q "^  363 " sorted.0
'

test_expect_success 'rung tui STUDY opens the trials and curves' '
	keys "\"\$RUNG\" tui mq; echo status=\$?" Enter &&
	wait_for "1000 trials" &&
	wait_for "ID. +STATUS +STEPS +BEST +FINAL" &&
	grep -q "K=5" screen.txt &&
	grep -q "acc  x: step  prefix 5" screen.txt &&
	grep -q "row 1/1000" screen.txt &&
	grep -E -q "│ +5 +10 +15 +20 *$" screen.txt &&
	LC_ALL=C grep -q "$(printf "\342[\240-\243]")" screen.txt
'

test_expect_success 's sorts by the next column: best first' '
	keys s s s g &&
	wait_for "BEST▼" &&
	wait_for "row 1/1000 │ sort best" &&
	sed -n 3p screen.txt | grep -q "^  363 "
'

test_expect_success 'S reverses the order' '
	keys S &&
	wait_for "BEST▲" &&
	keys S &&
	wait_for "BEST▼"
'

test_expect_success 'f filters with an expression; F clears it' '
	rung trials --json mq >t.json &&
	n=$(json "len([x for x in j if x[\"params\"][\"depth\"] >= 9 and x[\"best\"] > 0.7])" t.json) &&
	test "$n" -gt 0 && test "$n" -lt 1000 &&
	keys f &&
	wait_for "^filter:" &&
	keys "depth >= 9 and best > 0.7" Enter &&
	wait_for "$n of 1000 trials match" &&
	wait_for "row 1/$n of 1000" &&
	keys f C-u "depth >=" Enter &&
	wait_for "filter: expected a field or a value" &&
	keys F &&
	wait_for "no filter: 1000 trials"
'

test_expect_success 'Space marks, c compares the marked curves' '
	keys g Space Space &&
	wait_for "2 marked" &&
	grep -q "^● 363 " screen.txt &&
	keys c &&
	wait_for "compare 2" &&
	wait_for "━━ 363 +━━ 898" &&
	keys c &&
	wait_gone "compare 2"
'

test_expect_success 't plots the top k, l switches to a log scale' '
	keys t &&
	wait_for "plotting the top 5" &&
	wait_for "━━ top 5" &&
	keys l &&
	wait_for "acc  log-y" &&
	keys l t t t &&
	wait_for "top-k off"
'

test_expect_success '< and > move the prefix marker; r refits: the predicted column' '
	! grep -q "PRED@" screen.txt &&
	keys ">" ">" &&
	wait_for "K=7" &&
	wait_for "prefix marker at step 7 of 20" &&
	keys r &&
	wait_for "PRED@7" &&
	wait_for "predicted final values: nu-SVR on 1000 trials, steps 1-7 to 20" &&
	wait_for "◆ predicted"
'

test_expect_success ':refit names the SVR that r fits from then on' '
	keys : "refit svm" Enter &&
	wait_for "refit: the SVR must be nu-svr, eps-svr or qsvr, not .svm." &&
	keys : "refit qsvr" Enter &&
	wait_for "predicted final values: QSVR on 20 trials, steps 1-7 to 20" &&
	keys "<" &&
	wait_for "K=6" &&
	keys r &&
	wait_for "predicted final values: QSVR on 20 trials, steps 1-6 to 20, [0-9.]+ s" &&
	keys ">" &&
	wait_for "K=7" &&
	keys : "refit nu-svr" Enter &&
	wait_for "predicted final values: nu-SVR on 1000 trials, steps 1-7 to 20"
'

test_expect_success 'the selected trial'"'"'s LCE beyond K: legend and detail follow the marker' '
	tm resize-window -t t -x 160 -y 40 &&
	wait_for "┈ LCE from 7( |$)" &&
	wait_for "LCE from steps 1-7 \((pow3|exp3|log-power|janoschek|weibull|flat)\)" &&
	keys ">" &&
	wait_for "┈ LCE from 8( |$)" &&
	wait_for "LCE from steps 1-8 " &&
	keys "<" "<" "<" "<" "<" "<" &&
	wait_for "K=2" &&
	! grep -q "LCE from" screen.txt &&
	keys "<" &&
	wait_for "K=1" &&
	keys ">" ">" ">" ">" ">" ">" &&
	wait_for "K=7" &&
	wait_for "┈ LCE from 7( |$)" &&
	tm resize-window -t t -x 120 -y 40 &&
	wait_for "PRED@7 +net +training_d│"
'

test_expect_success 'Enter opens a trial, q comes back' '
	keys g Enter &&
	wait_for "trial 363 +complete +20 points" &&
	wait_for "STEP +acc" &&
	keys q &&
	wait_for "PRED@7"
'

test_expect_success 'at 100 columns a parameter column fits beside PRED; p chooses them' '
	tm resize-window -t t -x 100 -y 30 &&
	wait_for "PRED@7 +net +│" &&
	keys p &&
	wait_for "^:params net training_dataset num_params depth lr *$" &&
	keys C-u "params depth lr" Enter &&
	wait_for "2 of 5 parameter columns shown" &&
	grep -E -q "PRED@7 +depth +lr│" screen.txt &&
	grep -E -q "^● 363 .* [0-9]+ +0\.[0-9]+│" screen.txt &&
	keys : "params depth nope" Enter &&
	wait_for "params: .nope. is no parameter of .mq. \(net, training_dataset, num_params, depth, lr\)" &&
	keys : "params" Enter &&
	wait_for "5 of 5 parameter columns shown" &&
	tm resize-window -t t -x 120 -y 40 &&
	wait_for "PRED@7 +net +training_d"
'

test_expect_success 'Tab completes commands and options at the prompt' '
	keys : &&
	wait_for "^:" &&
	keys "tri" Tab &&
	wait_for "^:trials *$" &&
	keys "--so" Tab &&
	wait_for "^:trials --sort *$" &&
	keys "be" Tab &&
	wait_for "^:trials --sort best *$" &&
	keys Escape &&
	wait_gone "^:trials"
'

test_expect_success ':fit runs the fit command on the open study' '
	keys : &&
	wait_for "^:" &&
	keys "fit --prefix 5" Enter &&
	wait_for "rung fit --prefix 5 mq" &&
	wait_for "PREFIX +FRAC +R2" &&
	wait_for "\[exit 0, " &&
	grep -E -q "^ +5 +0.25 +0.9[0-9]+ " screen.txt &&
	keys 2 &&
	wait_for "PRED@5" &&
	grep -q "fit --prefix 5" state/rung/history
'

if rung help replay >/dev/null 2>&1; then
	test_expect_success ':replay runs, then the replay screen shows it kept' '
		keys : &&
		wait_for "^:" &&
		keys "replay --policy hyperband,asha --seeds 2" Enter &&
		wait_for "kept replay 1 of" 60 &&
		grep -q "kept, shown here; 5 shows its output" screen.txt &&
		wait_for "hyperband +2 " &&
		keys 5 &&
		wait_for "\[exit 0, " &&
		keys 4 &&
		wait_for "kept replay 1 of" &&
		keys j Enter &&
		wait_for "seed 1 .*trial " &&
		keys q &&
		wait_for "PRED@5"
	'

	test_expect_success 'the replay screen: SAVED and SAVED_RS as rung replay has them' '
		rung replays --show 1 >cli.txt &&
		grep -q "^POLICY .* SAVED  SAVED_RS " cli.txt &&
		keys 4 &&
		wait_for "POLICY +SEEDS +STEPS +SECONDS +SAVED +SAVED_RS " &&
		# The legend is drawn last: a capture that holds it holds the rows.
		wait_for "R: replay here" &&
		grep -q "SAVED: compute saved against hyperband; SAVED_RS: against random search" screen.txt &&
		grep -q "POLICY .* STARTED EQ_REGRET EQ_TOP5" screen.txt &&
		for p in hyperband asha; do
			cli=$(awk -v p=$p "/^at hyperband.s cost/ { on = 1 } on && \$1 == p { print \$7, \$10 }" cli.txt) &&
			tui=$(awk -v p=$p "\$2 == p { print \$13, \$14 }" screen.txt) &&
			test -n "$cli" && test "$cli" = "$tui" ||
			{ echo "$p at hyperband cost: rung replay says $cli, the screen $tui"; false; }
		done &&
		for p in hyperband asha; do
			cli=$(awk -v p=$p "NF == 0 { exit } \$1 == p { print \$6, \$7 }" cli.txt) &&
			tui=$(awk -v p=$p "\$2 == p { print \$6, \$7 }" screen.txt) &&
			test -n "$cli" && test "$cli" = "$tui" ||
			{ echo "$p: rung replay says $cli, the screen $tui"; false; }
		done &&
		keys q &&
		wait_for "PRED@5"
	'
else
	test_skip ':replay runs from the prompt' 'no replay command'
fi

test_expect_success 'the fit screen: R2 and tau per prefix, and the scatter' '
	keys 3 &&
	wait_for "How early" 60 &&
	wait_for "PREFIX +FRAC +R2 +R2_SD +TAU" 60 &&
	wait_for "^ +18 +0.90 " 60 &&
	grep -q "predicted against actual, K=2" screen.txt &&
	keys q &&
	wait_for "PRED@5"
'

test_expect_success 'v on the fit screen fits again with the next SVR, up to the QSVR' '
	keys 3 &&
	wait_for "fit: nu-SVR" 60 &&
	wait_for "^ +18 +0.90 " 60 &&
	keys v &&
	wait_for "fit: epsilon-SVR" 60 &&
	wait_for "^ +18 +0.90 " 60 &&
	keys v &&
	wait_for "fit: QSVR .the authors. fixed settings" 60 &&
	wait_for "^ +18 +0.90 " 120 &&
	keys v &&
	wait_for "fit: nu-SVR" 60 &&
	wait_for "^ +18 +0.90 " 60 &&
	keys q &&
	wait_for "PRED@5"
'

test_expect_success 'the window resizes; below 80x24 it says so' '
	tm resize-window -t t -x 100 -y 30 &&
	wait_for "row 1/1000" &&
	test "$(wc -l <screen.txt)" -eq 30 &&
	tm resize-window -t t -x 70 -y 20 &&
	wait_for "rung needs 80x24, this terminal is 70x20" &&
	tm resize-window -t t -x 120 -y 40 &&
	wait_for "1000 trials" &&
	wait_for "PRED@5"
'

test_expect_success '? lists the keys of the key table' '
	keys "?" &&
	wait_for "Everywhere" &&
	grep -q "show this help" screen.txt &&
	keys q &&
	wait_for "PRED@5"
'

test_expect_success 'every screen heads its keys on the help screen by its own name' '
	keys "?" &&
	wait_for "Everywhere" &&
	keys / "The launch screen (6)" Enter &&
	wait_for "^ The launch screen \(6\)" &&
	keys / "(null)" Enter &&
	wait_for "/\(null\): not found" &&
	keys / "This help" Enter &&
	wait_for "^ This help" &&
	sed -n "/^ This help/,\$p" screen.txt | sed -n 2p | grep -q "^   /  " &&
	keys q &&
	wait_for "PRED@5"
'

test_expect_success 'q quits; the terminal is sane afterwards' '
	keys q &&
	wait_for "status=0" &&
	keys "stty -a | grep -c \" icanon .* echo \"" Enter &&
	wait_for "^1$" &&
	keys "echo still-alive" Enter &&
	wait_for "^still-alive"
'

test_expect_success 'Ctrl-C quits too, restoring the terminal' '
	keys clear Enter "\"\$RUNG\" tui mq; echo status=\$?" Enter &&
	wait_for "1000 trials" &&
	keys C-c &&
	wait_for "status=130" &&
	keys "stty -a | grep -c \" icanon .* echo \"" Enter &&
	wait_for "^1$"
'

test_expect_success 'SIGTERM quits, restoring the terminal' '
	keys clear Enter "\"\$RUNG\" tui mq; echo status=\$?" Enter &&
	wait_for "1000 trials" &&
	pid=$(rung_pid) && test -n "$pid" &&
	kill -TERM $pid &&
	wait_for "status=143" &&
	keys "stty -a | grep -c \" icanon .* echo \"" Enter &&
	wait_for "^1$"
'

test_expect_success 'TERM=dumb and a C locale draw in ASCII' '
	keys clear Enter "TERM=dumb LC_ALL=C \"\$RUNG\" tui mq; echo status=\$?" Enter &&
	wait_for "1000 trials" &&
	wait_for "IDv STATUS" &&
	! LC_ALL=C grep -q "$(printf "\342")" screen.txt &&
	grep -q "| acc  x: step  prefix 5->20" screen.txt &&
	keys Q &&
	wait_for "status=0"
'

test_expect_success 'rung with no command opens the explorer on a terminal' '
	keys clear Enter "\"\$RUNG\"; echo status=\$?" Enter &&
	wait_for "1 Studies" &&
	wait_for "1000 trials" &&
	keys Q &&
	wait_for "status=0"
'

test_expect_success 'with two studies, the studies screen comes first' '
	rung import -s small "$RUNG_TESTDATA/csv/metaqnn_cifar10_head.csv" \
		2>/dev/null &&
	keys clear Enter "\"\$RUNG\"; echo status=\$?" Enter &&
	wait_for "2 studies in" &&
	wait_for "^ mq +1000 +20000 +acc" &&
	wait_for "^ small +30 " &&
	keys j Enter &&
	wait_for "small │ acc \(max\) │ 30 trials" &&
	keys q &&
	wait_for "2 studies in" &&
	keys q &&
	wait_for "status=0"
'

test_expect_success 'without a terminal, tui refuses and says why' '
	expect_fail 1 rung tui mq </dev/null &&
	grep_err "needs a terminal"
'

test_done
