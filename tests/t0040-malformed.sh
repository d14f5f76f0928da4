#!/bin/sh
# Bad input: each file gives a clear message naming the file (and line,
# column or field where there is one), exits 1, and leaves the database
# exactly as it was.
. "$RUNG_SRCDIR/tests/lib.sh"

d=$RUNG_TESTDATA

test_expect_success 'a database with a study to protect' '
	rung import -s keep --direction max "$d/csv/metaqnn_cifar10_head.csv" &&
	rung import -s z "$d/csv/long-basic.csv"
'

# file | extra options | what the message must say (a grep pattern)
while IFS='|' read -r file opts want; do
	[ -n "$file" ] || continue
	test_expect_success "$file: $want" '
		before=$(db_digest) &&
		expect_fail 1 rung import -s z $opts "$d/$file" &&
		grep_err "$d/$file" &&
		grep_err "$want" &&
		test "$(db_digest)" = "$before"
	'
done <<'CASES'
csv/bad-curve.csv||:4: column .loss_1.: expected a number, got .n/a.
csv/bad-dup.csv||:1: column .loss. appears twice
csv/bad-fields.csv||:3: expected 3 fields, found 4
csv/bad-number.csv||:5: column .loss.: expected a number, got .oops.
csv/bad-quote.csv||:3: a quoted field never ends
csv/bad-status.csv||:3: column .status.: expected a status
csv/bad-step.csv||:5: column .step.: expected an integer step, got .two.
csv/no-layout.csv||cannot tell the CSV layout
json/bad-element.json||trial 1: field .valid.loss. element 2: expected a number, got a string
json/bad-line.jsonl||:2:15: invalid JSON
json/bad-list-element.json||trial 1: expected a trial object, got a number
json/bad-syntax.json||:3:18: invalid JSON
json/bad-toplevel.json|-f json|expected
json/bad-trailing.json||:2:1: invalid JSON: unexpected text after the value
json/bad-truncated.json||invalid JSON: unexpected end of input
json/bad-type.jsonl|--curve loss|:2: field .loss.: expected an array of numbers, got a string
json/single-run.json|--curve nope|field .nope. not found
bad/curve-object.json||trial 1: field .loss. element 1: expected a number, got an object
bad/deep.json||:1:[0-9]*: invalid JSON: nesting too deep
bad/empty.csv||the file is empty
bad/header-only.csv||no trial found
bad/huge-number.csv|--metrics loss|:2: column .loss.: expected a number, got .1e999999x.
bad/jsonl-unclosed.jsonl||:3:25: invalid JSON: unexpected end of input
bad/nul-byte.csv||a binary file
bad/one-step.csv|-s onestep|no metric found
bad/step-fraction.csv||:2: column .step.: expected an integer step, got .1.5.
bad/step-overflow.csv||:3: column .step.: expected an integer step
bad/steps-fraction.jsonl|--steps steps|:1: field .steps. element 1: expected a whole number
bad/steps-short.json||field .steps. has 2 steps but .loss. has 3 points
bad/truncated.jsonl.gz||the gzip data is truncated
bad/unclosed.json||invalid JSON: unexpected end of input
bad/utf16.csv||UTF-16 text
bad/wide-short-row.csv||:2: expected 4 fields, found 3
csv/long-time.csv|-m nope|no metric .nope. in the data; found .val_loss., .train_loss.
CASES

test_expect_success 'a file that does not exist' '
	before=$(db_digest) &&
	expect_fail 1 rung import -s z missing.csv &&
	grep_err "cannot open .missing.csv.: No such file" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'one bad file among good ones: nothing of the import is kept' '
	before=$(db_digest) &&
	expect_fail 1 rung import -s new "$d/csv/lstm_ptb_head.csv" "$d/csv/bad-fields.csv" &&
	test "$(db_digest)" = "$before" &&
	expect_fail 1 rung trials new
'

test_done
