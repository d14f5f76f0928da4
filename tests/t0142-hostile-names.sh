#!/bin/sh
# Text from data never reaches a terminal raw: trial ids and values holding
# ESC sequences (set the title, clear the screen), newlines, tabs, DEL and C1
# controls are shown escaped by every listing, by show, by messages, by the
# explorer and in gnuplot labels, with tables aligned; --json and --csv keep
# the exact bytes. Study, metric and parameter names are refused when empty
# or holding a control character, and the database is left as it was.
. "$RUNG_SRCDIR/tests/lib.sh"

# The hostile trials: ids and a categorical value of each kind, with a
# second, numeric parameter so that PARAMS holds two.
cat >make.py <<'EOF'
import csv, json, sys
ids = ["t\x1b]0;pwned\x07", "c\x1b[2J", "n\nl", "tab\there", "del\x7f",
       "c1\u009b1m", "cr\rx", "plain"]
with open("hostile.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["trial", "step", "loss", "opt", "lr"])
    for i, t in enumerate(ids):
        for step in (1, 2):
            w.writerow([t, step, 1.0 / (i + step), "v" + t, 0.1 * (i + 1)])
json.dump(ids, open("ids.json", "w"))
EOF

# no_raw FILE: FILE holds no C0 control but the newline, no DEL, no C1.
no_raw() {
	/usr/bin/python3 - "$1" <<'EOF'
import re, sys
t = open(sys.argv[1], "rb").read().decode("utf-8")
bad = [c for c in t if c != "\n" and (ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0)]
if bad:
    sys.exit("raw control characters: %r" % sorted(set(bad)))
EOF
}

# aligned FILE COLUMN: every line of the table in FILE has COLUMN where the
# header has it (two blanks before it, text at it), and one line per row.
aligned() {
	/usr/bin/python3 - "$1" "$2" "${3:-9}" <<'EOF'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
col = lines[0].index(sys.argv[2])
if len(lines) != int(sys.argv[3]):
    sys.exit("%d lines, not %s: %r" % (len(lines), sys.argv[3], lines))
for l in lines[1:]:
    if l[col - 2:col] != "  " or l[col] == " ":
        sys.exit("%s does not start at column %d in %r" % (sys.argv[2], col, l))
EOF
}

test_expect_success 'import trials whose ids and values hold control characters' '
	/usr/bin/python3 make.py &&
	rung import -s h hostile.csv 2>err &&
	test "$(json "len(j)" ids.json)" = 8
'

test_expect_success 'trials: escaped, one line a trial, PARAMS aligned' '
	rung trials h >out &&
	no_raw out &&
	grep -F "t\\x1b]0;pwned\\x07" out &&
	grep -F "n\\nl" out &&
	grep -F "tab\\there" out &&
	grep -F "del\\x7f" out &&
	grep -F "c1\\xc2\\x9b1m" out &&
	grep -F "opt=vc\\x1b[2J" out &&
	aligned out PARAMS &&
	aligned out STATUS
'

test_expect_success 'trials --json and --csv keep the exact bytes' '
	rung trials --json h >t.json &&
	rung trials --csv h >t.csv &&
	/usr/bin/python3 - <<-EOF
	import csv, json, sys
	ids = json.load(open("ids.json"))
	got = json.load(open("t.json"))
	assert sorted(x["id"] for x in got) == sorted(ids), got
	assert all(x["params"]["opt"] == "v" + x["id"] for x in got), got
	rows = list(csv.DictReader(open("t.csv", newline="", encoding="utf-8")))
	assert sorted(r["ID"] for r in rows) == sorted(ids), rows
	assert all(("opt=v" + r["ID"]) in r["PARAMS"] for r in rows), rows
	EOF
'

test_expect_success 'show: the id, the value and the header escaped' '
	id=$(printf "t\\033]0;pwned\\007") &&
	rung show h "$id" >out &&
	no_raw out &&
	grep -F "trial t\\x1b]0;pwned\\x07 of study h" out &&
	grep -F "  opt = vt\\x1b]0;pwned\\x07" out &&
	rung show --json h "$id" >s.json &&
	test "$(json "j[\"id\"] == \"$id\"" s.json)" = True &&
	rung show --csv h "$id" >s.csv &&
	test "$(wc -l <s.csv)" = 3
'

test_expect_success 'messages quoting data are escaped' '
	expect_fail 1 rung show h "$(printf "zz\\033]0;x\\007\\nyy")" &&
	no_raw err &&
	grep_err "no trial .zz\\\\x1b]0;x\\\\x07\\\\nyy. in study" &&
	test "$(wc -l <err)" = 1
'

test_expect_success 'studies: a source path with controls is escaped, aligned' '
	cp hostile.csv "$(printf "src\\033[2J.csv")" &&
	rung import -s s2 src*.csv 2>err &&
	rung studies >out &&
	no_raw out &&
	grep -F "src\\x1b[2J.csv" out &&
	aligned out METRIC 3 &&
	aligned out SOURCE 3 &&
	rung studies --json >st.json &&
	test "$(json "[s[\"source\"] for s in j if s[\"name\"] == \"s2\"][0]" \
		st.json | od -c | grep -c "033")" = 1
'

test_expect_success 'a gnuplot label shows the escapes and stays one line' '
	rung plot curves --top 8 h -o out.png --script dir >/dev/null &&
	no_raw dir/plot.gp &&
	grep -F "t\\x1b]0;pwned\\x07" dir/plot.gp &&
	grep -F "n\\nl" dir/plot.gp &&
	(cd dir && gnuplot plot.gp)
'

test_expect_success 'a study name with a control character, or empty, is refused' '
	before=$(db_digest) &&
	for s in "a$(printf "\\nb")" "a$(printf "\\tb")" \
	    "a$(printf "\\033[2J")" "$(printf "a\\302\\233")" ""; do
		expect_fail 1 rung import -s "$s" hostile.csv &&
		grep_err "study name" && no_raw err || return 1
	done &&
	grep_err "study name is empty" &&
	cp hostile.csv "$(printf "e\\033]0;x\\007.csv")" &&
	expect_fail 1 rung import e*.csv &&
	grep_err "e\\\\x1b]0;x\\\\x07.csv: the study would be named after the file" &&
	grep_err "name it with -s" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'metric and parameter names likewise, naming the file' '
	before=$(db_digest) &&
	printf "trial,step,lo\\033]0;x\\007ss,opt\\n1,1,0.5,a\\n1,2,0.4,a\\n" >m.csv &&
	expect_fail 1 rung import -s m m.csv &&
	grep_err "m.csv: column name .lo\\\\x1b]0;x\\\\x07ss. holds a control character" &&
	printf "trial,step,loss,o\\tpt\\n1,1,0.5,a\\n1,2,0.4,a\\n" >p.csv &&
	expect_fail 1 rung import -s p p.csv &&
	grep_err "p.csv: column name .o\\\\tpt." &&
	/usr/bin/python3 -c "import json; print(json.dumps({\"trial_id\": \"1\",
		\"config\": {\"a\x1bb\": 1}, \"steps\": [1, 2],
		\"metrics\": {\"loss\": [1, 0.5]}}))" >p.jsonl &&
	expect_fail 1 rung import -s p p.jsonl &&
	grep_err "parameter name .a\\\\x1bb." &&
	expect_fail 1 rung import -s m -m "$(printf "l\\033")" hostile.csv &&
	no_raw err &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'rung launch refuses such a study or metric name' '
	launch_env &&
	before=$(db_digest) &&
	printf "lr real 0.001 0.1 log\\n" >space &&
	for s in "$(printf "a\\tb")" "$(printf "a\\033")" ""; do
		expect_fail 1 rung launch "$s" --space space --policy random \
			--max-steps 2 -- true &&
		grep_err "launch: study name" || return 1
	done &&
	expect_fail 1 rung launch ok --space space --policy random -m \
		"$(printf "l\\nx")" --max-steps 2 -- true &&
	grep_err "launch: metric name .l\\\\nx." &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'show: the end of a launched trial'"'"'s log is escaped' '
	launch_env &&
	cat >tr.sh <<-\EOF &&
	printf "\033]0;pwned\007\033[31mred\033[0m\r50%%\n"
	echo "rung: {\"step\": 1, \"loss\": 0.5}"
	exit 3
	EOF
	printf "x uniform 0 1\n" >s.space &&
	rung launch L --space s.space --policy random --max-steps 2 \
		--configs 1 --launcher direct --logs logs -- sh "$PWD/tr.sh" \
		>/dev/null 2>err &&
	no_raw err &&
	rung show L 0 >out &&
	no_raw out &&
	grep -F "  | \x1b]0;pwned\x07\x1b[31mred\x1b[0m\r50%" out
'

if ! command -v tmux >/dev/null 2>&1; then
	test_skip 'the terminal in tmux' 'tmux is not installed'
	test_done
	exit
fi
tmux_server
tui_env

test_expect_success 'in a terminal: trials sets no title, the explorer escapes' '
	tm new-session -d -s t -x 150 -y 30 "ENV=$TRASH/env.sh sh -i" &&
	wait_for "tui-test" &&
	tm send-keys -t t "\"\$RUNG\" trials h; echo done=\$?" Enter &&
	wait_for "done=0" &&
	test "$(tm display -p -t t "#{pane_title}")" != pwned &&
	grep -F "t\\x1b]0;pwned\\x07" screen.txt &&
	tm send-keys -t t "\"\$RUNG\" tui h" Enter &&
	wait_for "8 trials" &&
	wait_for "t\\\\x1b]0;pwned\\\\x07" &&
	grep -F "tab\\there" screen.txt &&
	grep -F "n\\nl" screen.txt &&
	test "$(tm display -p -t t "#{pane_title}")" != pwned &&
	tm send-keys -t t q &&
	wait_for "tui-test"
'

test_done
