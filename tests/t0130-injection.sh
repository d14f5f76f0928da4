#!/bin/sh
# Injection. SQL: names and filters that carry SQL (x'; DROP TABLE trials; --)
# through import -s, trials, show, export, fit --save, predict, replay,
# replays and the explorer's filter and prompt are only ever names: rung
# binds every value and builds no SQL text from what it reads or is told.
# The database keeps every table, passes its integrity check, and the other
# study is unchanged. Shell: what rung launch substitutes into a trainer's
# arguments and environment reaches it as words, never a shell (plot's
# gnuplot quoting is tested in t0110-plot.sh).
. "$RUNG_SRCDIR/tests/lib.sh"

evil="x'; DROP TABLE trials; --"
evil2='y"); DELETE FROM curves; SELECT ("'
genlong=$RUNG_BUILDDIR/tests/genlong

tables() {
	sqlite3 "$RUNG_DB" "SELECT type, name FROM sqlite_master ORDER BY name"
}

test_expect_success 'a study to protect, and the schema' '
	rung import -s keep --direction max \
		"$RUNG_TESTDATA/csv/metaqnn_cifar10_head.csv" &&
	rung export -f jsonl keep >keep.jsonl &&
	tables >tables
'

test_expect_success 'import -s with SQL in the name, and in ids, columns and values' '
	"$genlong" 40 9 >g.csv &&
	# A trial id, a parameter name and a categorical value carrying SQL.
	awk -F, -v OFS=, -v q="'"'"'" "NR == 1 { \$6 = \"opt\" q \"); DROP TABLE params; --\" }
		NR > 1 && \$1 == \"0\" { \$1 = \"0\" q \"; DELETE FROM trials; --\" }
		NR > 1 { \$6 = (\$1 % 2 ? \"a\" : \"b\" q \" OR 1=1; --\") } 1" g.csv >evil.csv &&
	rung import -s "$evil" --metrics val_loss evil.csv &&
	rung import -s "$evil2" --metrics val_loss g.csv &&
	rung studies --json >s.json &&
	test "$(json "sorted(s[\"name\"] for s in j)" s.json)" = "keep $evil $evil2" &&
	test "$(tables)" = "$(cat tables)"
'

test_expect_success 'trials, show and export take the names as names' '
	rung trials --json "$evil" >t.json &&
	test "$(json "len(j)" t.json)" = 40 &&
	rung trials --sort best --top 3 "$evil2" >/dev/null &&
	id="0'"'"'; DELETE FROM trials; --" &&
	rung show --json "$evil" "$id" >o.json &&
	test "$(json "j[\"id\"]" o.json)" = "$id" &&
	test "$(json "sorted(set(j[\"params\"]))" o.json)" = "lr opt'"'"'); DROP TABLE params; --" &&
	expect_fail 1 rung show "$evil" "nope'"'"' OR 1=1; --" &&
	grep_err "no trial" &&
	rung export -f jsonl "$evil" >e.jsonl &&
	test "$(wc -l <e.jsonl)" = 40 &&
	rung export -f long-csv -o e.csv "$evil2" &&
	test "$(tables)" = "$(cat tables)"
'

test_expect_success 'a missing study with SQL in its name is only missing' '
	expect_fail 1 rung trials "keep'"'"' OR '"'"'1'"'"'='"'"'1" &&
	grep_err "no study .keep. OR" &&
	expect_fail 1 rung show "%" 1 &&
	expect_fail 1 rung trials "_eep"
'

test_expect_success 'fit --save, models and predict with SQL in the model name' '
	model="m'"'"'; DROP TABLE models; --" &&
	rung fit --prefix 3 --repeats 1 --save "$model" "$evil" >/dev/null &&
	rung models --json >m.json &&
	test "$(json "[m[\"name\"] for m in j]" m.json)" = "$model" &&
	rung predict --model "$model" "$evil2" >/dev/null &&
	test "$(tables)" = "$(cat tables)"
'

test_expect_success 'replay and replays keep the name as it is' '
	rung replay --policy hyperband,asha --eta 3 --seeds 2 "$evil" >/dev/null &&
	rung replays --json >r.json &&
	test "$(json "[r[\"study\"] for r in j]" r.json)" = "$evil" &&
	rung replays --json "$evil" >r2.json &&
	test "$(json "len(j)" r2.json)" = 1 &&
	rung replays --json "keep'"'"' OR 1=1; --" >r3.json &&
	test "$(json "len(j)" r3.json)" = 0 &&
	test "$(tables)" = "$(cat tables)"
'

test_expect_success 'import --replace of the evil study, and again' '
	rung import -s "$evil" --replace --metrics val_loss evil.csv &&
	rung import -s "$evil" --metrics val_loss evil.csv 2>err &&
	grep "nothing added" err
'

run_tui=
if command -v tmux >/dev/null 2>&1; then
	run_tui=yes
	tmux_server
	keys() {
		tm send-keys -t t -- "$@"
	}
	tui_env
fi

if [ -n "$run_tui" ]; then
	test_expect_success 'the explorer: a filter and a prompt with SQL in them' '
		tm new-session -d -s t -x 120 -y 40 "ENV=$TRASH/env.sh sh -i" &&
		wait_for "tui-test" &&
		printf "%s\n" "$evil" >name &&
		keys "\"\$RUNG\" tui \"\$(cat name)\"; echo status=\$?" Enter &&
		wait_for "row 1/40 " &&
		keys f &&
		wait_for "^filter:" &&
		keys "$evil" Enter &&
		wait_for "filter: " &&
		keys f C-u "id == \"0'"'"'; DELETE FROM trials; --\" or id ~ \"; DROP\"" Enter &&
		wait_for "1 of 40 trials match" &&
		keys F &&
		wait_for "no filter: 40 trials" &&
		keys : &&
		keys "trials --top 2 \"y\\\"); DELETE FROM curves; SELECT (\\\"\"" Enter &&
		wait_for "exit 0" &&
		keys Q &&
		wait_for "status=0"
	'
else
	test_skip 'the explorer: a filter and a prompt with SQL in them' 'no tmux'
fi

# Shell injection: rung launch execs the trainer with the words it was
# given and the values it drew, never through a shell, directly and through
# mpirun (whose -x passes RUNG_PARAMS by name, from the environment).
cat >evil.space <<\EOF
v choice $(touch${IFS}pwned1) ;touch${IFS}pwned2 `touch${IFS}pwned3` |touch${IFS}pwned4 &&touch${IFS}pwned5 x'"y
EOF
cat >v.expected <<\EOF
$(touch${IFS}pwned1)
;touch${IFS}pwned2
`touch${IFS}pwned3`
|touch${IFS}pwned4
&&touch${IFS}pwned5
x'"y
EOF
cat >echo.sh <<\EOF
#!/bin/sh
for a in "$@"; do printf 'arg: %s\n' "$a"; done
printf 'params: %s\nstudy: %s\n' "$RUNG_PARAMS" "$RUNG_STUDY"
echo 'rung: {"step": 1, "loss": 1}'
EOF
chmod +x echo.sh
evil3='z$(touch pwned6); `touch pwned7` | touch pwned8'

# launched LAUNCHER: 40 trials of evil.space, each trial's arguments and
# environment as the trainer saw them, checked; nothing named pwned made.
launched() {
	rung launch --space evil.space --policy random --configs 40 --max-steps 1 \
		--seed 1 --launcher "$1" --gpus none "$evil3 $1" -- \
		./echo.sh --v={v} '$(touch pwned9)' "; touch pwned10" --trial={trial} \
		>launch.out 2>&1 &&
	cat rung-logs/"$evil3 $1"/*.log >args &&
	sed -n 's/^arg: --v=//p' args | LC_ALL=C sort -u >v.used &&
	LC_ALL=C sort v.expected | diff - v.used &&
	test "$(grep -c '^arg: $(touch pwned9)$' args)" = 40 &&
	test "$(grep -c '^arg: ; touch pwned10$' args)" = 40 &&
	test "$(grep -c -F -x "study: $evil3 $1" args)" = 40 &&
	sed -n 's/^params: //p' args | /usr/bin/python3 -c '
import json, sys
vals = {json.loads(l)["v"] for l in sys.stdin}
want = set(open("v.expected").read().splitlines())
sys.exit(0 if vals == want else 1)' &&
	test -z "$(find "$TRASH" /tmp -name 'pwned*' 2>/dev/null | head -n 1)"
}

test_expect_success 'launch: drawn values, the study name and arguments reach no shell' '
	launched direct
'

if command -v mpirun >/dev/null 2>&1; then
	test_expect_success 'launch through mpirun: the same, as words' '
		launch_env &&
		launched mpirun
	'
else
	test_skip 'launch through mpirun: the same, as words' 'no mpirun'
fi

test_expect_success 'after all of it: every table, a sound file, keep as it was' '
	test "$(tables)" = "$(cat tables)" &&
	test "$(sqlite3 "$RUNG_DB" "PRAGMA integrity_check")" = ok &&
	test -z "$(sqlite3 "$RUNG_DB" "PRAGMA foreign_key_check")" &&
	rung export -f jsonl keep | cmp - keep.jsonl &&
	rung trials --json "$evil" >t.json &&
	test "$(json "len(j)" t.json)" = 40
'

test_done
