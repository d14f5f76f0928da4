#!/bin/sh
# The explorer is live: another process imports into the study it shows
# (rung import --follow of a growing folder of runs), and the trials screen
# shows the new trials and points while it keeps its sort, filter, marks
# and selected trial, and says when the database last changed.
. "$RUNG_SRCDIR/tests/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	test_skip 'the explorer, live, in tmux' 'tmux is not installed'
	test_done
	exit
fi

tmux_server
keys() {
	tm send-keys -t t -- "$@"
}
tui_env

# run NAME LR EPOCHS: a run folder with its log of EPOCHS rows.
run() {
	mkdir -p "runs/$1"
	printf "{\"lr\": %s}\n" "$2" >"runs/$1/params.json"
	/usr/bin/python3 - "runs/$1/log.csv" "$2" "$3" <<-\PY
	import sys
	path, lr, n = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
	with open(path, "w") as f:
	    f.write("epoch,loss\n")
	    for e in range(1, n + 1):
	        f.write("%d,%r\n" % (e, 0.2 / lr / e + lr))
	PY
}

test_expect_success 'a study followed while the explorer shows it' '
	run a 0.1 5 && run b 0.3 5 && run c 0.5 5
	RUNG_DB=$RUNG_DB "$RUNG" import -s live --follow --interval 0.2 runs \
		>follow.out 2>follow.err &
	echo $! >follow.pid &&
	wait_sql "select count(*) = 3 from trials" 10 &&
	tm new-session -d -s t -x 120 -y 40 "ENV=$TRASH/env.sh sh -i" &&
	wait_for "tui-test" &&
	keys "\"\$RUNG\" tui live" Enter &&
	wait_for "3 trials" &&
	wait_for "row 1/3"
'

test_expect_success 'a filter, a mark and a selection on the trials screen' '
	keys f &&
	wait_for "^filter:" &&
	keys "lr >= 0.3" Enter &&
	wait_for "2 of 3 trials match" &&
	keys j Space &&
	wait_for "1 marked" &&
	wait_for "row 2/2 of 3"
'

test_expect_success 'new trials and points appear; the filter, mark and selection stay' '
	run d 0.4 3 && run a 0.1 9 &&
	wait_for "live, changed [0-9][0-9]:[0-9][0-9]:[0-9][0-9]" &&
	wait_for "row [0-9]/3 of 4" &&
	grep -q "1 marked" screen.txt &&
	grep -q "filter: lr >= 0.3" screen.txt &&
	grep -E "^[^ ]* *c +" screen.txt | head -1 >sel.txt &&
	test -s sel.txt
'

test_expect_success 'the selected trial is still c' '
	keys Enter &&
	wait_for "trial c " &&
	keys q &&
	wait_for "row [0-9]/3 of 4"
'

test_expect_success 'q quits; the follower is stopped' '
	keys q &&
	wait_for "tui-test" &&
	kill -TERM "$(cat follow.pid)" &&
	wait "$(cat follow.pid)" || true
'

test_expect_success 'rung tui --follow STUDY: the follower runs inside the explorer' '
	printf "trial,epoch,loss\nx,1,0.9\nx,2,0.7\n" >more.csv &&
	rung import -s more more.csv &&
	keys "clear; \"\$RUNG\" tui --follow more" Enter &&
	wait_for "1 trials" &&
	printf "y,1,0.8\ny,2,0.6\ny,3,0.5\n" >>more.csv &&
	wait_for "2 trials" &&
	wait_for "live, changed" &&
	keys q &&
	wait_for "tui-test" &&
	test "$(sqlite3 "$RUNG_DB" "select count(*) from trials t join studies s on s.id = t.study_id where s.name = \"more\"")" -eq 2
'

test_expect_success 'tui --follow needs a study with sources' '
	expect_fail 2 rung tui --follow </dev/null &&
	grep_err "name it" &&
	expect_fail 1 rung tui --follow nope </dev/null &&
	grep_err "no source to follow"
'

test_done
