#!/bin/sh
# Wide CSV through the command line: Baker's files, indexed groups, early
# ends, quoted cells, --first-step.
. "$RUNG_SRCDIR/tests/lib.sh"

d=$RUNG_TESTDATA/csv
check=$RUNG_SRCDIR/tests/check-export.py

test_expect_success 'MetaQNN (acc_1..acc_20, quoted net column) imports exactly' '
	rung import -s mq --direction max "$d/metaqnn_cifar10_head.csv" &&
	rung export -f jsonl mq >mq.jsonl &&
	/usr/bin/python3 "$check" wide "$d/metaqnn_cifar10_head.csv" mq.jsonl acc_
'

test_expect_success 'acc_1 is step 1: the index is the step' '
	rung trials --json mq >t.json &&
	test "$(json "j[0][\"steps\"], j[0][\"points\"]" t.json)" = "20 20"
'

test_expect_success 'LSTM PTB (ep_0..): perplexity, lower is better' '
	rung import -s ptb "$d/lstm_ptb_head.csv" &&
	rung studies --json >s.json &&
	test "$(json "[(s[\"metric\"], s[\"direction\"]) for s in j if s[\"name\"] == \"ptb\"][0]" s.json)" = "ep min" &&
	rung export -f jsonl ptb >ptb.jsonl &&
	/usr/bin/python3 "$check" wide "$d/lstm_ptb_head.csv" ptb.jsonl ep_
'

test_expect_success '--first-step renumbers the indexed columns' '
	rung import -s ptb1 --first-step 1 "$d/lstm_ptb_head.csv" &&
	rung export -f jsonl ptb1 >ptb1.jsonl &&
	/usr/bin/python3 "$check" wide "$d/lstm_ptb_head.csv" ptb1.jsonl ep_ 1
'

test_expect_success 'several groups are several metrics; ids and statuses from columns' '
	rung import -s short -m acc --direction max "$d/wide-short.csv" &&
	rung trials --json short >w.json &&
	test "$(json "[t[\"id\"] for t in j]" w.json)" = "m0 m1 m2 m3" &&
	test "$(json "[t[\"status\"] for t in j]" w.json)" = "complete stopped failed complete" &&
	rung show --json short m0 >m0.json &&
	test "$(json "sorted(j[\"curves\"])" m0.json)" = "acc loss"
'

test_expect_success 'a curve that ends early has only its points; an empty row none' '
	test "$(json "[t[\"points\"] for t in j]" w.json)" = "4 2 0 4"
'

test_expect_success 'NaN and inf cells are kept' '
	rung show --json short m3 >m3.json &&
	test "$(json "j[\"curves\"][\"acc\"][\"values\"]" m3.json)" = "0.1 None 0.15 None" &&
	rung export -f jsonl short | grep "\"id\":\"m3\"" | grep -q "NaN,0.15,Infinity"
'

test_expect_success 'an unset parameter cell stays unset' '
	rung show --json short m2 >m2.json &&
	test "$(json "j[\"params\"][\"lr\"]" m2.json)" = None
'

test_done
