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

test_expect_success 'rung tui --follow PATH: a folder imported, then followed' '
	mkdir -p pf && printf "epoch,loss\n1,0.9\n2,0.7\n" >pf/r1.csv &&
	keys "clear; \"\$RUNG\" tui --follow pf" Enter &&
	wait_for "pf .*1 trials" &&
	printf "epoch,loss\n1,0.8\n2,0.5\n3,0.4\n" >pf/r2.csv &&
	wait_for "2 trials" &&
	keys q &&
	wait_for "tui-test" &&
	test "$(sqlite3 "$RUNG_DB" "select count(*) from trials t join studies s on s.id = t.study_id where s.name = \"pf\"")" -eq 2
'

# fc.csv: 150 trials of 12 epochs at most, the last 60 running, cut at 4
# to 8 epochs; the others complete.
cat >fc.py <<-\PY
import sys
with open(sys.argv[1], "w") as f:
    f.write("trial,epoch,loss,status\n")
    for t in range(150):
        run = t >= 90
        n = 4 + t % 5 if run else 12
        for e in range(1, n + 1):
            f.write("t%03d,%d,%r,%s\n" % (t, e, 0.5 + 2.0 / e + 0.01 * (t % 7),
                                         "running" if run else "complete"))
PY

test_expect_success 'the running trials'"'"' FORECAST, P_BEST and VERDICT' '
	/usr/bin/python3 fc.py fc.csv &&
	rung import -s fc fc.csv 2>/dev/null &&
	keys "clear; \"\$RUNG\" tui fc" Enter &&
	wait_for "150 trials" &&
	grep -q "FORECAST *P_BEST *VERDICT" screen.txt &&
	keys ":sort forecast" Enter &&
	wait_for "[│|] sort forecast [│|]" &&
	grep -E "^ *t(09|1[0-4])[0-9] +running .*(go on|stop)" screen.txt >run.txt &&
	test -s run.txt &&
	keys ":filter status == complete" Enter &&
	wait_for "90 of 150 trials match" &&
	! grep -E "^ *t0[0-8][0-9] +complete .*(go on|stop)" screen.txt &&
	keys q &&
	wait_for "tui-test"
'

test_expect_success 'a live change makes again the forecasts of the trials it wrote only' '
	cp "$RUNG_DB" fcb.db &&
	RUNG_DB=fcb.db "$RUNG" tui --bench-keys 10 fc </dev/null >/dev/null 2>bench.err &&
	grep "^live refresh" bench.err >live.txt &&
	grep -q "forecasts made again: 100 of 210 running" live.txt
'

test_expect_success 'tui --follow needs a study with sources' '
	expect_fail 2 rung tui --follow </dev/null &&
	grep_err "name it" &&
	expect_fail 1 rung tui --follow nope </dev/null &&
	grep_err "no source to follow"
'

test_done
