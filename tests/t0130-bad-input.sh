#!/bin/sh
# Hostile input in every format (tests/data/bad, and files made here that are
# too big to keep: a 1 GB line, a million fields): each gives a clear message
# naming the file (and the line, column or field where there is one), exits
# 1, and leaves the database exactly as it was, byte for byte. Then hostile
# files that are valid (a BOM, mixed line ends, duplicate ids) import right.
. "$RUNG_SRCDIR/tests/lib.sh"

d=$RUNG_TESTDATA/bad

# The database file itself, with its WAL: a failed import writes nothing.
db_sum() {
	cat "$RUNG_DB" "$RUNG_DB-wal" 2>/dev/null | md5sum
}

test_expect_success 'a database with studies to protect' '
	rung import -s keep --direction max "$RUNG_TESTDATA/csv/metaqnn_cifar10_head.csv" &&
	rung import -s z "$RUNG_TESTDATA/csv/long-basic.csv" &&
	rung import "$RUNG_TESTDATA/optuna/pruned.journal" 2>/dev/null &&
	rung import -s mine "$RUNG_TESTDATA/json/mytrials.jsonl"
'

# file | extra options | what the message must say (a grep pattern). The
# three optuna-*direction.db and optuna-objective.db read freed memory to
# say it before (found by fuzz/fuzz-optuna-rdb; the sanitized suite sees it).
# utf8-quoted-lines.csv: bytes after a line end inside a quoted field went
# unchecked (found by fuzz/fuzz-csv-long). optuna-no-study.db: directions
# without a study made pointer arithmetic on NULL (fuzz-optuna-rdb, UBSan).
# overlong-utf8.json and the other UTF-8 cases of JSON: json-c's own check
# let overlong forms, encoded surrogates and code points past U+10FFFF in.
# steps-detected-*: an array named steps (step, epochs, epoch) that held
# anything but whole numbers was taken for a curve, a metric "steps", and
# the points numbered 1, 2, ...; with --steps it was refused already.
# ids-some.*: a trial without an id was named by its position, which was
# another trial's id: two trials became one, their points merged.
# optuna-*-text.db: SQLite keeps text in a REAL column, and
# sqlite3_column_double() read it as 0.0 (found by fuzz/fuzz-optuna-rdb).
# u0000.json: json-c kept the NUL, and the ids 'a\u0000b' and 'a\u0000c'
# both became 'a'. With -f json, NUL bytes went as far as json-c's "unexpected
# end of data".
# raytune-u0000, raytune-params-u0000, raytune-state-u0000, journal-u0000 and
# journal-choice-u0000: Ray Tune's files and Optuna's journal were read whole
# and parsed without the checks of JSON files: \u0000 was kept, and the two
# metrics 'a\u0000b' and 'a\u0000c' became one, 'a' (the study names
# 's\u0000a', the choices 'a\u0000b' and 'a\u0000c' likewise). They now go
# through the reader of JSON files, whose messages they give.
n=0
while IFS='|' read -r file opts want; do
	[ -n "$file" ] || continue
	n=$((n + 1))
	test_expect_success "$file: $want" '
		before=$(db_digest) && sum=$(db_sum) &&
		expect_fail 1 rung import -s z $opts "$d/$file" &&
		grep_err "$d/$file" &&
		grep_err "$want" &&
		test "$(db_digest)" = "$before" &&
		test "$(db_sum)" = "$sum"
	'
done <<'CASES'
invalid-utf8.csv||:3: text that is not UTF-8 (Latin-1? convert
latin1.csv||:2: text that is not UTF-8
overlong-utf8.csv||:2: text that is not UTF-8
surrogate-utf8.csv||:2: text that is not UTF-8
utf8-quoted-lines.csv||:3: text that is not UTF-8
bom-bad-number.csv|--metrics loss|:3: column .loss.: expected a number, got .zero.
crlf-mixed.csv|--metrics loss|:4: column .loss.: expected a number, got .x.
cr-only.csv|--metrics loss|:3: column .loss.: expected a number, got .bad.
step-nan.csv||:2: column .step.: expected an integer step, got .nan.
step-negative-overflow.csv||:2: column .step.: expected an integer step, got .-99999999999.
step-exponent.csv||:3: column .step.: expected an integer step, got .1e3.
number-trailing-e.csv|--metrics loss|:3: column .loss.: expected a number, got .0.1e.
number-hex.csv|--metrics loss|:2: column .loss.: expected a number, got .0x1p3.
quote-eof.csv||:2: a quoted field never ends
extra-field.csv||:2: expected 3 fields, found 4
bom-only.csv||the file is empty
blank.csv||the file is empty
wide-bad-value.csv||:3: column .loss_1.: expected a number, got .abc.
wide-short-last.csv||:3: expected 4 fields, found 3
wide-dup-column.csv||:1: column .loss_0. appears twice
nul-row.csv||a binary file (it holds NUL bytes)
garbage.bin||a binary file
image.png||a binary file
gz-truncated.csv.gz||the gzip data is truncated
gz-bad-crc.csv.gz||incorrect data check
gz-garbage.csv.gz||cannot read
invalid-utf8.json||:1:44: invalid JSON: text that is not UTF-8
overlong-utf8.json||:2:11: invalid JSON: text that is not UTF-8
surrogate-utf8.jsonl||:2:21: invalid JSON: text that is not UTF-8
beyond-unicode.json||:1:36: invalid JSON: text that is not UTF-8
toplevel-number.json|-f json|expected a list of trials or a trial object, got a number
toplevel-string.json|-f json|expected a list of trials or a trial object, got a string
empty-list.json||no trial found
empty-object.json||no metric found
jsonl-broken-middle.jsonl||:3:26: invalid JSON: unexpected end of input
jsonl-crlf-bad.jsonl||:3:25: invalid JSON
jsonl-not-object.jsonl||:2: expected a trial object, got an array
bom-bad-element.json||trial 1: field .loss. element 1: expected a number, got a string
nul-after.json||a binary file
nul-in-key.json||a binary file
nul-after.json|-f json|:1:34: a NUL byte: not a JSON text file
nul-in-key.json|-f jsonl|:1:17: a NUL byte: not a JSON text file
u0000.json||:1:11: a string holding .u0000 (a NUL character), which rung cannot store
jsonl-truncated.jsonl.gz||the gzip data is truncated
deep-array.json||:1:33: invalid JSON: nesting too deep
deep-object.json||:1:161: invalid JSON: nesting too deep
deep-line.jsonl||:2:161: invalid JSON: nesting too deep
steps-int32.json|--steps steps|field .steps. element 1: expected a whole number, got a number out of range
steps-huge.json|--steps steps|field .steps. element 1: expected a whole number, got a number out of range
steps-nan.json|--steps steps|field .steps. element 1: expected a whole number, got a number that is not one
steps-detected-fraction.json||trial 1: field .steps. element 1: expected a whole number, got a number that is not one
steps-detected-string.jsonl||:2: field .epoch. element 1: expected a whole number, got a string
steps-detected-null.json||trial 0: field .step. element 1: expected a whole number, got null
ids-some.json||trial 2: no id field (id, trial_id, trial, config_id, experiment_id or recepie_id), but trial 0 has one (.id.)
ids-some.jsonl||:2: an id (.trial_id.), but line 1 has none
params-not-object.json|--params-field config|field .config.: expected an object of parameters, got an array
journal-bad-distribution.journal||:3: distribution is not a JSON object
journal-bad-state.journal||:3: "state" is not a TrialState
journal-garbage-line.journal||:2: not a JSON object
journal-huge-step.journal||:3: "step" is not an integer
journal-inter-text.journal||:3: "intermediate_value" is not a number
journal-study-id-text.journal||:2: "study_id" is not an integer
journal-values-text.journal||:3: value 0 is not a number
journal-choice-index.journal||trial 0: parameter .x.: choice 5 of 2
journal-bad-direction.journal||:1: direction 0 is not a StudyDirection
journal-invalid-utf8.journal||:2: not a JSON object: invalid string sequence
journal-overlong-utf8.journal||:2: not a JSON object: text that is not UTF-8
journal-dup-study.journal||no study in the storage has a trial
garbage.db||file is not a database
optuna-bad-step.db||trial 0: step 99999999999 is out of range
optuna-bad-state.db||trial 0: unknown state .WEIRD.
optuna-bad-distribution.db||parameter .lr.: distribution is not a JSON object
optuna-old-direction.db||study .old12.: unknown direction .SIDEWAYS_AND_UP.
optuna-direction.db||study .legacy-multi.: unknown direction .SIDEWAYS_AND_UP.
optuna-objective.db||study .legacy-multi.: objective -7
optuna-study-name.db||study 1: a name that is not UTF-8 text
optuna-no-study.db||the Optuna storage holds no study
optuna-param-name.db||trial 0: a parameter name that is not UTF-8 text
optuna-inter-text.db||study .nanny., trial 1, step 1: trial_intermediate_values.intermediate_value: expected a number, got the text .nan?.
optuna-value-text.db||study .nanny., trial 1: trial_values.value: expected a number, got the text .0.62x.
optuna-param-text.db||study .nanny., trial 1: parameter .bs.: trial_params.param_value: expected a number, got a BLOB of 1 byte
optuna-step-text.db||study .nanny., trial 0: trial_intermediate_values.step: expected an integer, got the text .two.
optuna-old-value-text.db||study .old12., trial 0: trials.value: expected a number, got the text .best.
raytune-utf8||result.json:2:76: invalid JSON: text that is not UTF-8
raytune-overlong||result.json:2:76: invalid JSON: text that is not UTF-8
raytune-params||params.json:1:31: invalid JSON: text that is not UTF-8
raytune-progress||progress.csv:4: text that is not UTF-8
raytune-iter||result.json:2: .training_iteration. must be a whole number (a step), got 99999999999, out of range
raytune-u0000||result.json:2:17: a string holding .u0000 (a NUL character), which rung cannot store
raytune-nul||result.json:2:66: a NUL byte: not a JSON text file
raytune-params-u0000||params.json:3:15: a string holding .u0000 (a NUL character)
raytune-state-u0000||experiment_state-2023-10-01_12-00-00.json: trial_data.0.: invalid JSON at line 1, column 125 of the trial state: a string holding .u0000
journal-u0000.journal||:1:50: a string holding .u0000 (a NUL character), which rung cannot store
journal-nul.journal|-f optuna-journal|:2:48: a NUL byte: not a JSON text file
journal-choice-u0000.journal||:3: distribution is not a JSON object (a string holding .u0000
journal-empty-line.journal||:2: not a JSON object: an empty line
CASES

test_expect_success "at least 50 files of tests/data/bad are refused here ($n)" '
	test "$n" -ge 50
'

# Made on the fly: a 1 GB line streamed to disk, never held in memory.
gigaline() {
	head -c 1073741824 /dev/zero | tr '\0' "$1"
}

test_expect_success 'a long CSV with a 1 GB line: refused early, in little memory' '
	before=$(db_digest) && sum=$(db_sum) &&
	{ printf "trial,step,loss\na,1,"; gigaline 7; echo; } >giga.csv &&
	expect_fail 1 rung import -s z giga.csv &&
	rm -f giga.csv &&
	grep_err "giga.csv:2: a field of more than 64 MiB: not a CSV file of trials" &&
	test "$(db_digest)" = "$before" && test "$(db_sum)" = "$sum"
'

test_expect_success 'a header of 1 GB' '
	before=$(db_digest) &&
	gigaline x >gigahead.csv &&
	expect_fail 1 rung import -s z -f long-csv gigahead.csv &&
	rm -f gigahead.csv &&
	grep_err "gigahead.csv:1: a field of more than 64 MiB" &&
	test "$(db_digest)" = "$before"
'

# A line of blanks: json-c keeps nothing of them, the limit of a line is
# all there is to stop it.
test_expect_success 'JSON Lines with a 1 GB line' '
	before=$(db_digest) &&
	{ echo "{\"id\": \"a\", \"loss\": [1, 2]}"; printf "{\"id\": \"b\", \"note\": "; gigaline " "; echo "null}"; } >giga.jsonl &&
	expect_fail 1 rung import -s z giga.jsonl &&
	rm -f giga.jsonl &&
	grep_err "giga.jsonl:2: a line of more than 256 MiB: not a file of trials" &&
	test "$(db_digest)" = "$before"
'

# Found by a fuzzing pass: a JSON document was read whole, then parsed, and
# a string of any length went into the database. json-c buffers a string, a
# number or a comment whole; it is given the file a chunk at a time and
# stopped at 64 MiB, as a CSV field is.
test_expect_success 'a JSON document with a 1 GB string: refused at 64 MiB' '
	before=$(db_digest) && sum=$(db_sum) &&
	{ printf "[{\"id\": \"a\", \"loss\": [1, 2]},\n {\"id\": \"b\", \"note\": \""; gigaline x; echo "\"}]"; } >giga.json &&
	expect_fail 1 rung import -s z giga.json &&
	rm -f giga.json &&
	grep_err "giga.json:2:22: a string of more than 64 MiB: not a file of trials" &&
	test "$(db_digest)" = "$before" && test "$(db_sum)" = "$sum"
'

test_expect_success 'JSON Lines with a 1 GB string' '
	before=$(db_digest) &&
	{ echo "{\"id\": \"a\", \"loss\": [1, 2]}"; printf "{\"id\": \""; gigaline x; echo "\"}"; } >giga.jsonl &&
	expect_fail 1 rung import -s z giga.jsonl &&
	rm -f giga.jsonl &&
	grep_err "giga.jsonl:2:8: a string of more than 64 MiB: not a file of trials" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a number and a comment of 100 MB in a JSON document' '
	before=$(db_digest) &&
	{ printf "[{\"id\": \"a\", \"loss\": [0.5, 1"; head -c 104857600 /dev/zero | tr "\0" 1; echo "]}]"; } >bignum.json &&
	expect_fail 1 rung import -s z bignum.json &&
	grep_err "bignum.json:1:28: a number of more than 64 MiB: not a file of trials" &&
	{ printf "[/* "; head -c 104857600 /dev/zero | tr "\0" c; echo " */]"; } >bigcomment.json &&
	expect_fail 1 rung import -s z bigcomment.json &&
	rm -f bignum.json bigcomment.json &&
	grep_err "bigcomment.json:1:2: a comment of more than 64 MiB: not a file of trials" &&
	test "$(db_digest)" = "$before"
'

# Ray Tune's result.json was read whole, then parsed a line at a time: a
# string of any length reached the database. It is read as JSON Lines are.
test_expect_success 'a Ray Tune result.json with a string of 100 MB: refused at 64 MiB' '
	before=$(db_digest) && sum=$(db_sum) &&
	t=bigray/train_fn_aaaaa_00000_0_lr=0.1 && mkdir -p $t &&
	echo "{\"lr\": 0.1}" >$t/params.json &&
	{ echo "{\"loss\": 0.5, \"training_iteration\": 1}";
	  printf "{\"loss\": 0.4, \"training_iteration\": 2, \"note\": \"";
	  head -c 104857600 /dev/zero | tr "\0" x; echo "\"}"; } >$t/result.json &&
	expect_fail 1 rung import -s z bigray &&
	rm -rf bigray &&
	grep_err "$t/result.json:2:48: a string of more than 64 MiB: not a file of trials" &&
	test "$(db_digest)" = "$before" && test "$(db_sum)" = "$sum"
'

test_expect_success 'a Ray Tune progress.csv with a field of 100 MB: refused at 64 MiB' '
	before=$(db_digest) &&
	t=bigpc/train_fn_aaaaa_00000_0_lr=0.1 && mkdir -p $t &&
	echo "{\"lr\": 0.1}" >$t/params.json &&
	{ echo "loss,training_iteration,note"; echo "0.5,1,a";
	  printf "0.4,2,"; head -c 104857600 /dev/zero | tr "\0" x; echo; } >$t/progress.csv &&
	expect_fail 1 rung import -s z bigpc &&
	rm -rf bigpc &&
	grep_err "$t/progress.csv:3: a field of more than 64 MiB: not a CSV file of trials" &&
	test "$(db_digest)" = "$before"
'

rm -rf giga.csv gigahead.csv giga.jsonl giga.json bignum.json bigcomment.json \
	bigray bigpc

test_expect_success 'a row of a million fields' '
	before=$(db_digest) &&
	{ echo "trial,step,loss"; head -c 1100000 /dev/zero | tr "\0" ","; echo; } >commas.csv &&
	expect_fail 1 rung import -s z commas.csv &&
	grep_err "commas.csv:2: a record of more than 1000000 fields" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a NUL byte far into a CSV file (after what detection reads)' '
	before=$(db_digest) &&
	{ echo "trial,step,loss"; i=0; while [ $i -lt 8000 ]; do echo "t$i,1,0.5"; i=$((i + 1)); done;
	  printf "x,2,0\0005\n"; } >latenul.csv &&
	expect_fail 1 rung import -s z latenul.csv &&
	grep_err "latenul.csv:8002: a NUL byte" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'random bytes, with and without a gzip header' '
	before=$(db_digest) &&
	head -c 65536 /dev/urandom >random.bin &&
	{ printf "\037\213\010\000"; head -c 4096 /dev/urandom; } >random.csv.gz &&
	expect_fail 1 rung import -s z random.bin &&
	grep_err "random.bin" &&
	expect_fail 1 rung import -s z random.csv.gz &&
	grep_err "random.csv.gz" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'rung'"'"'s own database is no Optuna storage' '
	before=$(db_digest) &&
	cp "$RUNG_DB" copy.db &&
	expect_fail 1 rung import -s z copy.db &&
	grep_err "copy.db: an SQLite database, but not an Optuna storage" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'a directory of files where one is bad: nothing kept' '
	before=$(db_digest) &&
	mkdir mixed &&
	cp "$RUNG_TESTDATA/csv/long-basic.csv" mixed/a.csv &&
	cp "$d/latin1.csv" mixed/b.csv &&
	expect_fail 1 rung import -s mixed mixed &&
	grep_err "mixed/b.csv:2: text that is not UTF-8" &&
	test "$(db_digest)" = "$before" &&
	expect_fail 1 rung trials mixed
'

if [ "$(id -u)" -ne 0 ]; then
	test_expect_success 'a file that cannot be read' '
		before=$(db_digest) &&
		cp "$RUNG_TESTDATA/csv/long-basic.csv" locked.csv &&
		chmod 000 locked.csv &&
		expect_fail 1 rung import -s z locked.csv &&
		grep_err "locked.csv.*Permission denied" &&
		test "$(db_digest)" = "$before"
	'
else
	test_skip 'a file that cannot be read' 'root reads every file'
fi

test_expect_success 'the whole of tests/data/bad at once: nothing kept' '
	before=$(db_digest) &&
	expect_fail 1 rung import -s z "$d" &&
	grep_err "$d/" &&
	test "$(db_digest)" = "$before"
'

# Past the first chunk the reader hands json-c (128 KiB), positions still
# count from the start of the file.
test_expect_success 'an error 10,000 lines into a JSON document' '
	before=$(db_digest) &&
	{ echo "["; i=0; while [ $i -lt 10000 ]; do echo "{\"id\": \"t$i\", \"loss\": [0.5, 0.25]},"; i=$((i + 1)); done;
	  echo "{\"id\": \"x\", \"loss\": [0.5 0.25]}]"; } >late.json &&
	expect_fail 1 rung import -s z late.json &&
	grep_err "late.json:10002:26: invalid JSON: array value separator" &&
	test "$(db_digest)" = "$before"
'

# Hostile but valid: read right.
# The reader hands json-c the text a chunk at a time: a character split
# between two chunks is whole (json-c's own UTF-8 check, which forgets what
# it saw at the end of a chunk, would refuse it).
test_expect_success 'a UTF-8 character across two chunks of the reader' '
	pad=$(head -c 131050 /dev/zero | tr "\0" x) &&
	printf "{\"id\": \"a\", \"note\": \"%s\303\251\", \"loss\": [1, 2]}\n" "$pad" >split.json &&
	test "$(head -c 131073 split.json | tail -c 2)" = "$(printf "\303\251")" &&
	rung import -s split split.json &&
	pad=$(head -c 131012 /dev/zero | tr "\0" x) &&
	{ printf "{\"id\": \"a\", \"loss\": [1]}\n"; printf "{\"id\": \"b\", \"loss\": [1], \"note\": \"%s\303\251\"}\n" "$pad"; } >split.jsonl &&
	test "$(head -c 131073 split.jsonl | tail -c 2)" = "$(printf "\303\251")" &&
	rung import -s splitl split.jsonl &&
	rung show --json splitl b >b.json &&
	test "$(json "j[\"params\"][\"note\"][-1] == \"\u00e9\"" b.json)" = True
'

test_expect_success 'a BOM, CRLF, LF and CR line ends mixed: all read' '
	printf "\357\273\277trial,step,loss\r\na,1,0.5\na,2,0.25\rb,1,0.75\r\n" >mixed-ends.csv &&
	rung import -s ends mixed-ends.csv &&
	rung trials --json ends >t.json &&
	test "$(json "[(t[\"id\"], t[\"points\"]) for t in j]" t.json)" = "('"'"'a'"'"', 2) ('"'"'b'"'"', 1)"
'

# A trial given twice (JSON Lines appended to when a run resumed) is one:
# its points are merged, as rows of a long CSV are.
test_expect_success 'duplicate trial ids: merged, the last value kept, a warning' '
	printf "{\"id\": \"a\", \"loss\": [0.5, 0.4]}\n{\"id\": \"a\", \"loss\": [0.3]}\n" >dup.jsonl &&
	rung import -s dup dup.jsonl 2>err &&
	grep "1 values were given more than once" err &&
	! grep "parameter value" err &&
	rung show --json dup a >a.json &&
	test "$(json "j[\"curves\"][\"loss\"][\"values\"]" a.json)" = "0.3 0.4"
'

# A parameter given another value under the same id was overwritten without
# a word: the last one is still kept, now with a warning that counts them and
# names the first. The same value written otherwise (0.1, 0.10) is none.
test_expect_success 'a parameter given two values under one id: the last kept, a warning' '
	printf "%s\n" "{\"id\": \"a\", \"hp\": {\"lr\": 0.1, \"opt\": \"adam\"}, \"loss\": [0.5]}" \
		"{\"id\": \"b\", \"hp\": {\"lr\": 0.2}, \"loss\": [0.4]}" \
		"{\"id\": \"a\", \"hp\": {\"lr\": 0.10, \"opt\": \"sgd\"}, \"loss\": [0.5, 0.3]}" \
		"{\"id\": \"b\", \"hp\": {\"lr\": 0.3}, \"loss\": [0.4]}" >conflict.jsonl &&
	rung import -s conflict conflict.jsonl 2>err &&
	grep "conflict.jsonl: 2 parameter values were given more than once for the same trial, and differently: the last one read was kept (the first: trial .a., parameter .opt.: .adam., then .sgd.)" err &&
	rung show --json conflict a >a.json &&
	test "$(json "j[\"params\"][\"opt\"], j[\"params\"][\"lr\"]" a.json)" = "sgd 0.1" &&
	rung show --json conflict b >b.json &&
	test "$(json "j[\"params\"][\"lr\"]" b.json)" = 0.3
'

# Wide CSV: a trial's row given twice, in two files.
test_expect_success 'a wide CSV row given twice with another parameter value' '
	printf "id,lr,acc_1,acc_2,acc_3\na,0.1,0.5,0.6,0.7\nb,0.2,0.4,0.5,0.6\n" >w1.csv &&
	printf "id,lr,acc_1,acc_2,acc_3\na,0.5,0.5,0.6,0.7\n" >w2.csv &&
	rung import -s wconflict w1.csv w2.csv 2>err &&
	grep "w2.csv: 1 parameter value was given more than once for the same trial, and differently: the last one read was kept (the first: trial .a., parameter .lr.: 0.1, then 0.5)" err
'

# A journal whose writer was killed in the middle of a line, the file then
# padded with NUL bytes as a file system may leave it: the last line is a
# write in progress, left out with a warning, as Optuna leaves it.
test_expect_success 'an Optuna journal cut short and padded with NUL bytes' '
	head -n 3 "$RUNG_TESTDATA/bad/journal-choice-index.journal" >cut.journal &&
	printf "{\"op_code\": 4, \"worker_id\": \"w\", \"stu" >>cut.journal &&
	head -c 4096 /dev/zero >>cut.journal &&
	rung import -s cut -f optuna-journal cut.journal 2>err &&
	grep "cut.journal:4: an incomplete last line (a write in progress?): left out" err &&
	rung trials --json cut >t.json &&
	test "$(json "len(j)" t.json)" = 2 &&
	{ cat cut.journal; echo; sed -n 2p cut.journal; } >notlast.journal &&
	expect_fail 1 rung import -s cut2 -f optuna-journal notlast.journal &&
	grep_err "notlast.journal:4:38: a NUL byte"
'

# Found by fuzz/fuzz-optuna-journal: an export whose first line held
# "op_code" anywhere read back as an Optuna journal.
test_expect_success 'a field or parameter named op_code: JSON Lines, no journal' '
	printf "%s\n" "{\"id\": \"a\", \"op_code\": [1, 2], \"hp\": {\"op_code\": null}}" \
		"{\"id\": \"b\", \"op_code\": [3], \"hp\": {\"op_code\": 0}}" >opcode.jsonl &&
	rung import -s opcode opcode.jsonl &&
	rung export -f jsonl -o back.jsonl opcode &&
	rung import -s opcode-back back.jsonl &&
	rung export -f jsonl opcode-back | cmp - back.jsonl
'

test_expect_success 'UTF-8 names and values of every width go through' '
	printf "trial,step,loss,opt\n\303\251t\303\251,1,0.5,\342\202\254\360\237\230\200\na,1,0.25,x\n" >utf8.csv &&
	rung import -s utf8 --metrics loss utf8.csv &&
	rung show --json utf8 "$(printf "\303\251t\303\251")" >u.json &&
	test "$(json "j[\"params\"][\"opt\"] == \"\u20ac\U0001F600\"" u.json)" = True
'

test_done
