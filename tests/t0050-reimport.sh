#!/bin/sh
# Importing the same source again adds nothing; --replace replaces; .gz
# files are the same data.
. "$RUNG_SRCDIR/tests/lib.sh"

src=$RUNG_TESTDATA/csv/metaqnn_cifar10_head.csv

test_expect_success 'first import' '
	rung import -s mq --direction max "$src" 2>err &&
	grep -q "imported 30 trials (600 values) into new study .mq." err
'

test_expect_success 'the same file again adds nothing and says so' '
	before=$(db_digest) &&
	rung import -s mq "$src" 2>err &&
	grep -q "imported into .mq. before" err &&
	grep -q "nothing added" err &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'the same data gzip-compressed is the same source' '
	gzip -c "$src" >copy.csv.gz &&
	before=$(db_digest) &&
	rung import -s mq copy.csv.gz 2>err &&
	grep -q "nothing added" err &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'import --json reports what was skipped' '
	rung import --json -s mq "$src" >r.json 2>/dev/null &&
	test "$(json "j[\"skipped_files\"], j[\"trials\"]" r.json)" = "1 0"
'

test_expect_success '--replace imports it again, replacing the trials' '
	rung import --json -s mq --replace "$src" >r.json &&
	test "$(json "j[\"trials\"], j[\"replaced_trials\"]" r.json)" = "30 30" &&
	test "$(sqlite3 "$RUNG_DB" "select count(*) from trials")" = 30 &&
	test "$(sqlite3 "$RUNG_DB" "select count(*) from sources")" = 1
'

test_expect_success 'an edited copy with the same trial ids is refused whole' '
	sed "2s/0.3152/0.9999/" "$src" >edited.csv &&
	before=$(db_digest) &&
	expect_fail 1 rung import -s mq edited.csv &&
	grep_err "trial .0. of .edited.csv. is already in study .mq." &&
	grep_err "use --replace" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a .gz file imports into a new study with the same values' '
	rung import -s gz --direction max copy.csv.gz &&
	rung export -f jsonl mq >a.jsonl &&
	rung export -f jsonl gz >b.jsonl &&
	cmp a.jsonl b.jsonl
'

test_expect_success 'importing with the other direction is refused' '
	expect_fail 1 rung import -s mq --direction min edited.csv &&
	grep_err "study .mq. is to maximize .acc., not to minimize it"
'

test_done
