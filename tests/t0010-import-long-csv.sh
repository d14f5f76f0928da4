#!/bin/sh
# Long CSV through the command line: detection, values, time, statuses.
. "$RUNG_SRCDIR/tests/lib.sh"

d=$RUNG_TESTDATA/csv
check=$RUNG_SRCDIR/tests/check-export.py

test_expect_success 'a long CSV with interleaved trials imports exactly' '
	rung import -s basic "$d/long-basic.csv" 2>err &&
	rung export -f jsonl basic >basic.jsonl &&
	/usr/bin/python3 "$check" long "$d/long-basic.csv" basic.jsonl loss
'

test_expect_success 'varying columns are metrics, constant ones parameters' '
	rung show --json basic a >a.json &&
	test "$(json "sorted(j[\"curves\"])" a.json)" = "acc loss" &&
	test "$(json "j[\"params\"][\"lr\"], j[\"params\"][\"optimizer\"], j[\"params\"][\"seed\"]" a.json)" = "0.01 adam 1"
'

test_expect_success 'the status column sets each trial status' '
	rung trials --json basic >t.json &&
	test "$(json "[t[\"status\"] for t in j]" t.json)" = "complete failed stopped"
'

test_expect_success 'NaN in a curve is kept as a value' '
	rung show --json basic b >b.json &&
	test "$(json "j[\"curves\"][\"loss\"][\"values\"][1]" b.json)" = None
'

test_expect_success '--metrics and --params say what detection cannot' '
	rung import -s told --metrics loss,acc --params lr,optimizer \
		--ignore seed "$d/long-basic.csv" &&
	rung show --json told a >told.json &&
	test "$(json "sorted(j[\"params\"])" told.json)" = "lr optimizer"
'

test_expect_success 'config/ columns are parameters, the rest metrics' '
	rung import -s ray -m loss "$d/long-config.csv" &&
	rung show --json ray t_00000 >r.json &&
	test "$(json "sorted(j[\"params\"])" r.json)" = "act layers lr" &&
	test "$(json "j[\"params\"][\"lr\"]" r.json)" = 0.001
'

test_expect_success 'time_this_iter_s is seconds per step' '
	rung import -s timed "$d/long-time.csv" &&
	rung show --json timed r1 >r1.json &&
	test "$(json "j[\"seconds\"][\"values\"]" r1.json)" = "10.5 9.25"
'

test_expect_success 'a cumulative time column becomes seconds per step' '
	rung import -s cumul --time-col time_total_s --ignore time_this_iter_s \
		"$d/long-time.csv" &&
	rung show --json cumul r1 >c1.json &&
	test "$(json "j[\"seconds\"][\"values\"]" c1.json)" = "10.5 9.25 9.25"
'

test_expect_success 'a TensorBoard scalars export is one trial named after the file' '
	rung import -s tb -m Value "$d/tensorboard.csv" &&
	rung trials --json tb >tb.json &&
	test "$(json "j[0][\"id\"], j[0][\"steps\"], j[0][\"points\"]" tb.json)" = "tensorboard 300 4"
'

test_expect_success 'CRLF line ends and gzip are read' '
	rung import -s crlf "$d/long-crlf.csv" &&
	rung import -s gz "$d/long-basic.csv.gz" &&
	rung export -f jsonl gz >gz.jsonl &&
	cmp basic.jsonl gz.jsonl
'

test_expect_success 'duplicate (trial, step) rows: the last wins, with a warning' '
	printf "trial,step,loss\na,1,0.5\na,2,0.4\na,1,0.45\n" >dup.csv &&
	rung import -s dup dup.csv 2>err &&
	grep -q "dup: 1 values were given more than once" err &&
	rung show --json dup a >dup.json &&
	test "$(json "j[\"curves\"][\"loss\"][\"values\"]" dup.json)" = "0.45 0.4"
'

# lr and layers differ within trial a as read, but not once the step read
# again replaced its values: parameters, of the last values read.
test_expect_success 'a column constant once a step read again is merged is a parameter' '
	printf "%s\n" trial,step,loss,lr,layers a,1,1.0,0.1,4 a,1,0.9,0.2,8 \
	    a,2,0.8,0.2,8 b,1,1.1,0.3,2 b,2,1.0,0.3,2 >again.csv &&
	rung import -s again again.csv 2>err &&
	grep -q "again: 1 values were given more than once" err &&
	rung trials --json again >again.json &&
	test "$(json "[j[t][\"params\"][p] for t in (0, 1)
	    for p in (\"lr\", \"layers\")]" again.json)" = "0.2 8 0.3 2" &&
	rung show --json again a >a.json &&
	test "$(json "\",\".join(j[\"curves\"])" a.json)" = loss
'

# Numbers, then text: a categorical parameter whose values are the first
# tokens as written, though the numbers were kept as numbers until the text
# came (shortest decimals, 17 digits as Python writes them, or not, other
# spellings, an integer a double cannot hold).
test_expect_success 'a column that turns text keeps each first token as written' '
	i=0 &&
	for tok in 0.1 1e-3 0.50 1.0 0.30000000000000004 0.10000000000000001 \
	    123456789012345678 -0.0 7 0.062290169488970204 relu; do
		i=$((i + 1)) &&
		printf "t%s,1,0.5,%s\nt%s,2,0.4,%s\n" $i $tok $i $tok || return 1
	done >toks.body &&
	{ echo trial,step,loss,act && cat toks.body; } >toks.csv &&
	rung import -s toks toks.csv &&
	sqlite3 "$RUNG_DB" "select v.value from trial_params v join trials t
	    on t.id = v.trial_id join studies s on s.id = t.study_id
	    where s.name = '\''toks'\'' order by t.id" >toks.got &&
	printf "%s\n" 0.1 1e-3 0.50 1.0 0.30000000000000004 \
	    0.10000000000000001 123456789012345678 -0.0 7 \
	    0.062290169488970204 relu >toks.want &&
	diff -u toks.want toks.got
'

# Found by fuzz/fuzz-csv-long: a whole-number test cast infinity to an
# integer (undefined; UBSan stopped rung).
test_expect_success 'an infinite value in a constant column makes it real' '
	printf "%s\n" trial,step,loss,x a,1,1,1e999999 a,2,2,1e999999 \
	    b,1,1,5 b,2,2,5 >inf.csv &&
	rung import -s inf inf.csv &&
	sqlite3 "$RUNG_DB" "select type from params p join studies s
	    on s.id = p.study_id where s.name = '\''inf'\''" >inf.type &&
	test "$(cat inf.type)" = real
'

test_expect_success '--step-col names a step column detection does not know' '
	printf "run,tick,loss\nx,1,3\nx,2,2\n" >tick.csv &&
	rung import -s tick --step-col tick --trial-col run tick.csv &&
	rung trials --json tick >tick.json &&
	test "$(json "j[0][\"id\"], j[0][\"steps\"]" tick.json)" = "x 2"
'

test_expect_success 'progress stays off the output when piped' '
	rung import -s quiet "$d/long-basic.csv" >out 2>err &&
	test ! -s out &&
	! grep -q "$(printf "\r")" err
'

test_done
