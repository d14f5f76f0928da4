#!/bin/sh
# A long CSV is parsed on a thread of its own, a block of records ahead of
# the thread that makes trials of them, and a study is written from trials
# prepared a block ahead on another: many blocks read end to end give the
# same study as the file read a line at a time; an error stops the import
# where reading it alone would have, the first in the file winning, however
# far apart the two threads are; and the one file of a new study gets its
# digest as it is read, the digest a second read would make (an import of
# the same content is known).
. "$RUNG_SRCDIR/tests/lib.sh"

genlong=$RUNG_BUILDDIR/tests/genlong
trials=3000	# of 100 steps: 300,000 rows, many blocks of each thread

test_expect_success 'a long CSV of many blocks is the study its rows make' '
	"$genlong" "$trials" 100 >long.csv &&
	rung -d a.db import -s s long.csv &&
	rung -d a.db trials --json s >a.json &&
	test "$(json "len(j)" a.json)" = "$trials" &&
	test "$(json "sum(t[\"steps\"] for t in j)" a.json)" = $((trials * 100)) &&
	rung -d a.db export -f jsonl s >a.jsonl &&
	/usr/bin/python3 - long.csv a.jsonl <<-\EOF
	import csv, json, sys
	rows = {}
	for r in csv.DictReader(open(sys.argv[1])):
	    rows.setdefault(r["trial"], []).append(
	        (int(r["step"]), float(r["val_loss"])))
	got = {}
	for line in open(sys.argv[2]):
	    t = json.loads(line)
	    got[t["id"]] = list(zip(t["steps"], t["val_loss"]))
	assert rows.keys() == got.keys(), "trials differ"
	for k, v in rows.items():
	    assert [(s, x) for s, x in v] == [tuple(p) for p in got[k]], k
	EOF
'

test_expect_success 'a CRLF copy, quoted fields and a gzip of it: the same study' '
	sed "s/\$/\r/" long.csv >crlf.csv &&
	rung -d b.db import -s s crlf.csv &&
	sed "1!s/^\([0-9]*\),/\"\1\",/" long.csv >quoted.csv &&
	rung -d c.db import -s s quoted.csv &&
	gzip -c long.csv >long.csv.gz &&
	rung -d d.db import -s s long.csv.gz &&
	for db in b c d; do
		rung -d $db.db export -f jsonl s >$db.jsonl &&
		cmp a.jsonl $db.jsonl || return 1
	done
'

# A bad row after many blocks: the handler finds it.
test_expect_success 'a bad step far into the file names its line, writes nothing' '
	{
		head -n 200001 long.csv &&
		echo "x,not-a-step,1,1,1,1" &&
		sed 1,200001d long.csv
	} >badstep.csv &&
	expect_fail 1 rung -d e.db import -s s badstep.csv &&
	grep_err "badstep.csv:200002: .*expected an integer step" &&
	test "$(sqlite3 e.db "select count(*) from trials")" = 0
'

# Bytes that are not UTF-8: the parser finds them.
test_expect_success 'text that is not UTF-8 far into the file names its line' '
	{
		head -n 250001 long.csv &&
		printf "7,1,\\351t\\351,1,1,1\\n" &&
		sed 1,250001d long.csv
	} >latin.csv &&
	expect_fail 1 rung -d f.db import -s s latin.csv &&
	grep_err "latin.csv:250002: text that is not UTF-8" &&
	test "$(sqlite3 f.db "select count(*) from trials")" = 0
'

# Both: the parser reaches the later one first, and must not win.
test_expect_success 'of a bad row and bad bytes after it, the row is told' '
	{
		head -n 100001 long.csv &&
		echo "x,not-a-step,1,1,1,1" &&
		sed -n 100002,280001p long.csv &&
		printf "7,1,\\351t\\351,1,1,1\\n" &&
		sed 1,280001d long.csv
	} >both.csv &&
	expect_fail 1 rung -d g.db import -s s both.csv &&
	grep_err "both.csv:100002: .*expected an integer step" &&
	! grep "UTF-8" err
'

test_expect_success 'a quote that never ends, far into the file, is told' '
	{
		head -n 250001 long.csv &&
		echo "7,1,\"1,1,1,1" &&
		sed 1,250001d long.csv
	} >quote.csv &&
	expect_fail 1 rung -d h.db import -s s quote.csv &&
	grep_err "quote.csv:250002: a quoted field never ends"
'

test_expect_success 'the digest made while reading is the one a read makes' '
	cp long.csv copy.csv &&
	rung -d a.db import -s s copy.csv 2>copy.err &&
	grep "copy.csv: imported into .s. before (as .long.csv.)" copy.err &&
	sqlite3 a.db "select digest, size from sources" >a.src &&
	test "$(wc -l <a.src)" = 1 &&
	test "$(cut -d"|" -f2 a.src)" = "$(wc -c <long.csv | tr -d " ")"
'

test_expect_success 'so is that of a gzip file (its content) and of JSON Lines' '
	rung -d d.db import -s s long.csv 2>gz.err &&
	grep "imported into .s. before" gz.err &&
	rung -d a.db export -f jsonl s >one.jsonl &&
	rung -d j.db import -s j one.jsonl &&
	cp one.jsonl two.jsonl &&
	rung -d j.db import -s j two.jsonl 2>j.err &&
	grep "two.jsonl: imported into .j. before" j.err
'

test_done
