#!/bin/sh
# Tab at the explorer's prompt completes option values, driven in tmux as
# a person would: policies (after a comma too), sort keys, formats, the
# open study's metrics, studies, and trial ids after show's study.
. "$RUNG_SRCDIR/tests/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	test_skip 'completion at the prompt in tmux' 'tmux is not installed'
	test_done
	exit
fi

tmux_server

keys() {
	tm send-keys -t t -- "$@"
}

# prompt LINE: the prompt emptied (C-u), then LINE typed.
prompt() {
	keys C-u &&
	wait_for "^: *$" &&
	keys "$1"
}

tui_env

test_expect_success 'two studies; the explorer on one' '
	rung import -s basic "$RUNG_TESTDATA/csv/long-basic.csv" 2>/dev/null &&
	rung import -s small "$RUNG_TESTDATA/csv/metaqnn_cifar10_head.csv" 2>/dev/null &&
	tm new-session -d -s t -x 120 -y 30 "ENV=$TRASH/env.sh sh -i" &&
	wait_for "tui-test" &&
	keys "\"\$RUNG\" tui basic; echo status=\$?" Enter &&
	wait_for "3 trials" &&
	keys : &&
	wait_for "^: *$"
'

test_expect_success '--policy: a value, and one after a comma' '
	prompt "replay --policy hyp" && keys Tab &&
	wait_for "^:replay --policy hyperband *$" &&
	prompt "replay --policy hyperband,sw" && keys Tab &&
	wait_for "^:replay --policy hyperband,swift-hyperband *$" &&
	prompt "replay --policy hyperband,as" && keys Tab &&
	wait_for "^:replay --policy hyperband,asha$" &&
	keys Tab &&
	wait_for "hyperband,asha +hyperband,asha-lce +hyperband,asha-svr"
'

test_expect_success '--sort keys, -f formats, --metric of the open study' '
	prompt "trials --sort fi" && keys Tab &&
	wait_for "^:trials --sort final *$" &&
	prompt "trials --sort optim" && keys Tab &&
	wait_for "^:trials --sort optimizer *$" &&
	prompt "export -f js" && keys Tab &&
	wait_for "^:export -f jsonl *$" &&
	prompt "replay --metric ac" && keys Tab &&
	wait_for "^:replay --metric acc *$"
'

test_expect_success 'studies, and trial ids after the study of show' '
	prompt "fit --prefix 2 sm" && keys Tab &&
	wait_for "^:fit --prefix 2 small *$" &&
	prompt "show basic " && keys Tab Tab &&
	wait_for "^ *a +b +c *$" &&
	prompt "show small 2" && keys Tab Tab &&
	wait_for "^ *2 +20 +21 +22" &&
	prompt "show small 2" && keys 7 Tab &&
	wait_for "^:show small 27 *$"
'

test_expect_success 'Escape closes the prompt; Q leaves the explorer' '
	keys C-u Escape &&
	n=300 &&
	while screen | grep -q "^:" && [ $n -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done &&
	keys Q &&
	wait_for "status=0"
'

test_done
