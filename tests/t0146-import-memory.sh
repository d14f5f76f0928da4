#!/bin/sh
# An import holds a bounded amount whatever the size of its file: past its
# budget (RUNG_BATCH_BUDGET) the rows go to a spill file, read back a trial
# at a time at the end, and the study is still written in one transaction.
# A long CSV of two million points imports under a 100 MB limit of virtual
# memory with an 8 MiB budget, where holding every row (about 48 bytes a
# point) runs out; it holds the same trials and points as the import that
# held every row; so do 700,000 trials of two steps, what an import holds
# a trial (id, status, parameters) being small; so does JSON Lines, a step a line and a trial a line; a
# bad last line, read after the rows spilled, changes nothing. A file of
# the trials' rows apart (by step) makes the same study, trial digests
# included, as the file sorted by trial. Every other importer (wide CSV,
# LCDB's lists, BOHB, MLflow, Optuna, Ray Tune, TensorBoard) spills too:
# with a budget of one byte, a spill at every record, each makes the study
# it makes holding every row. The spill file is unlinked at once: none is
# left in TMPDIR. Built with
# AddressSanitizer (whose shadow memory alone is terabytes of address
# space) rung runs without the limit, on fewer points.
. "$RUNG_SRCDIR/tests/lib.sh"

limit=100000	# KiB of virtual memory
trials=20000	# of 100 steps
jtrials=3000	# JSON Lines, a step a line, are read slower
short=700000	# trials of two steps
if rung_asan; then
	asan=1
	trials=$((trials / 10))
	jtrials=$((jtrials / 10))
	short=$((short / 10))
	echo "# built with AddressSanitizer: no memory limit, fewer points"
else
	asan=
fi
genlong=$RUNG_BUILDDIR/tests/genlong
mkdir spill
TMPDIR=$TRASH/spill
export TMPDIR

# limited CMD...: CMD under the memory limit and a small budget.
limited() {
	(
		[ -n "$asan" ] || ulimit -v "$limit" || exit 99
		RUNG_BATCH_BUDGET=8M "$@"
	)
}

# whole CMD...: CMD with a budget that holds every row.
whole() {
	RUNG_BATCH_BUDGET=4G "$@"
}

# same DB1 DB2 STUDY: the two studies list the same trials, points and
# parameters, and export the same curves.
same() {
	rung -d "$1" trials --json "$3" >"$1.trials" &&
	rung -d "$2" trials --json "$3" >"$2.trials" &&
	cmp "$1.trials" "$2.trials" &&
	rung -d "$1" export -f jsonl "$3" >"$1.jsonl" &&
	rung -d "$2" export -f jsonl "$3" >"$2.jsonl" &&
	cmp "$1.jsonl" "$2.jsonl"
}

test_expect_success 'a long CSV imports within the limit, as it does whole' '
	"$genlong" "$trials" 100 >long.csv &&
	limited "$RUNG" -q -d lim.db import -s s long.csv &&
	whole "$RUNG" -q -d whole.db import -s s long.csv &&
	test "$(sqlite3 lim.db "select sum(n) from curves c join metrics m
	    on m.id = c.metric_id where m.name = '\''val_loss'\''")" = \
		$((trials * 100)) &&
	same lim.db whole.db s &&
	test -z "$(ls spill)"
'

# Beside its rows an import holds so much a trial: 700,000 trials of two
# steps fit the limit (rung 0.1 before the parameters and first tokens were
# made compact, about 110 bytes a trial, ran out at once).
test_expect_success 'many short trials import within the limit' '
	"$genlong" "$short" 2 >short.csv &&
	limited "$RUNG" -q -d short.db import -s s short.csv &&
	test "$(sqlite3 short.db "select count(*) from trials")" = "$short" &&
	test "$(sqlite3 short.db "select count(*) from trial_params")" = \
		$((short * 2)) &&
	test "$(sqlite3 short.db "select count(*) from curves")" = "$short" &&
	rm -f short.csv
'

if [ -z "$asan" ]; then
	test_expect_success 'holding every row, the same import runs out' '
		! (ulimit -v "$limit" && whole "$RUNG" -q -d out.db import \
			-s s long.csv) 2>/dev/null
	'
fi

test_expect_success 'a long CSV interleaved and read again is the same' '
	{
		head -n 1 long.csv &&
		sed 1d long.csv | head -n 300000 | awk "NR % 3 == 0" &&
		sed 1d long.csv | head -n 300000 | awk "NR % 3 != 0" &&
		sed 1d long.csv | head -n 20000 |
			awk -F, -v OFS=, "{ \$3 = \$3 + 1; print }"
	} >mixed.csv &&
	limited "$RUNG" -d lim.db import -s mixed mixed.csv 2>lim.err &&
	whole "$RUNG" -d whole.db import -s mixed mixed.csv 2>whole.err &&
	grep "20000 values were given more than once" lim.err &&
	cmp lim.err whole.err &&
	same lim.db whole.db mixed
'

# A trial's rows apart: every trial's first step, then every trial's second,
# and so on, as a study logged live by many workers is written.
test_expect_success 'a long CSV by step rather than by trial is the same study' '
	{
		head -n 1 long.csv &&
		sed 1d long.csv | sort -t, -k2,2n -k1,1n -s
	} >bystep.csv &&
	limited "$RUNG" -q -d sorted.db import -s s long.csv &&
	limited "$RUNG" -q -d bystep.db import -s s bystep.csv &&
	same sorted.db bystep.db s &&
	sqlite3 sorted.db "select ext_id, status, digest from trials
	    order by id" >sorted.digests &&
	sqlite3 bystep.db "select ext_id, status, digest from trials
	    order by id" >bystep.digests &&
	test -s sorted.digests &&
	cmp sorted.digests bystep.digests
'

test_expect_success 'a bad line amid the rows of a new database leaves nothing' '
	{
		head -n 150001 long.csv &&
		echo "x,not-a-step,1,1,1,1" &&
		sed 1,150001d long.csv
	} >badmid.csv &&
	expect_fail 1 limited "$RUNG" -d new.db import -s bad badmid.csv &&
	grep_err "expected an integer step" &&
	if [ -e new.db ]; then
		test "$(sqlite3 new.db "select count(*) from trials")" = 0
	fi &&
	test -z "$(ls spill)"
'

# The long CSV of genlong as JSON Lines, a step a line.
cat >steps.awk <<'EOF'
NR > 1 {
	printf "{\"trial\": \"%s\", \"step\": %s, \"val_loss\": %s, ", $1, $2, $3
	printf "\"seconds\": %s, \"lr\": %s, \"layers\": %s}\n", $4, $5, $6
}
EOF

test_expect_success 'JSON Lines, a step a line, within the limit' '
	"$genlong" "$jtrials" 100 | awk -F, -f steps.awk >steps.jsonl &&
	limited "$RUNG" -q -d lim.db import -s j steps.jsonl &&
	whole "$RUNG" -q -d whole.db import -s j steps.jsonl &&
	same lim.db whole.db j
'

test_expect_success 'JSON Lines, a trial a line (rung export), within the limit' '
	rung -d whole.db export -f jsonl s >trials.jsonl &&
	limited "$RUNG" -q -d lim.db import -s t trials.jsonl &&
	whole "$RUNG" -q -d whole.db import -s t trials.jsonl &&
	same lim.db whole.db t &&
	rung -d lim.db export -f jsonl t | cmp - trials.jsonl &&
	test -z "$(ls spill)"
'

test_expect_success 'a bad last line, read after rows spilled, changes nothing' '
	cp long.csv bad.csv &&
	echo "x,not-a-step,1,1,1,1" >>bad.csv &&
	before=$(sqlite3 lim.db .dump | md5sum) &&
	expect_fail 1 limited "$RUNG" -d lim.db import -s bad bad.csv &&
	grep_err "expected an integer step" &&
	test "$(sqlite3 lim.db .dump | md5sum)" = "$before" &&
	test -z "$(ls spill)"
'

# Every importer starts its records with rung_batch_record (or
# rung_batch_checkpoint): with a budget of one byte each record spills the
# rows before it, which the finish merges back into the same study.
cat >sources <<EOF
csv/lstm_ptb_head.csv
csv/metaqnn_cifar10_head.csv
csv/wide-short.csv -m acc --direction max
csv/long-time.csv
lcdb/results-head.csv
hpbandster/bohb-mnist
mlflow/mlruns --experiment sgd-sweep
optuna/pruned.db --study pruned
optuna/pruned.journal --study pruned
raytune/exp-basic
raytune/exp-mlpf
tensorboard/logs
json/mytrials.jsonl
EOF

test_expect_success 'every importer spills its rows and makes the same study' '
	n=0 &&
	while read -r src opts; do
		n=$((n + 1)) &&
		RUNG_BATCH_BUDGET=1 "$RUNG" -q -d one$n.db import -s s$n \
			$opts "$RUNG_TESTDATA/$src" 2>one$n.err &&
		"$RUNG" -q -d all$n.db import -s s$n $opts \
			"$RUNG_TESTDATA/$src" 2>all$n.err &&
		cmp one$n.err all$n.err &&
		same one$n.db all$n.db s$n &&
		test -s one$n.db.jsonl || return 1
	done <sources &&
	test $n = 13 &&
	test -z "$(ls spill)"
'

# Beside its rows, an import holds a trial's id, status and parameters,
# and what candidate columns keep of it: a few tens of bytes. Past the
# budget these move to a file mapped into memory whose pages the batch lets
# go as it goes, so that eight times the trials hold no more memory: the
# peak resident memory (tests/peak) of 800,000 trials of one step is within
# 6 MiB of 100,000's, where holding them (about 40 bytes a trial, and the
# importer's own) would take 30 MiB more. Read by step, each trial comes
# again, and its id is found in the mapped pages.
test_expect_success 'what an import holds of its trials is bounded too' '
	"$genlong" "$((short / 7))" 1 >few.csv &&
	"$genlong" "$((short * 8 / 7))" 1 >many.csv &&
	peak=$RUNG_BUILDDIR/tests/peak &&
	RUNG_BATCH_BUDGET=2M "$peak" "$RUNG" -q -d few.db import -s s \
		-m val_loss --metrics val_loss few.csv 2>few.peak &&
	RUNG_BATCH_BUDGET=2M "$peak" "$RUNG" -q -d many.db import -s s \
		-m val_loss --metrics val_loss many.csv 2>many.peak &&
	whole "$RUNG" -q -d many-whole.db import -s s -m val_loss \
		--metrics val_loss many.csv &&
	same many.db many-whole.db s &&
	read -r secs few <few.peak &&
	read -r secs many <many.peak &&
	echo "# peak: $few KiB for $((short / 7)) trials," \
		"$many KiB for $((short * 8 / 7))" &&
	{ test -n "$asan" || test "$many" -lt $((few + 6144)); } &&
	head -n $((short * 2 / 7 + 1)) many.csv >steps.csv &&
	{
		head -n 1 steps.csv &&
		sed 1d steps.csv | awk -F, -v OFS=, "{ \$2 = 2; print }" &&
		sed 1d steps.csv
	} >again.csv &&
	RUNG_BATCH_BUDGET=64K "$RUNG" -q -d again.db import -s a \
		-m val_loss again.csv &&
	whole "$RUNG" -q -d again-whole.db import -s a -m val_loss again.csv &&
	same again.db again-whole.db a &&
	test "$(sqlite3 again.db "select count(*) from trials")" = \
		$((short * 2 / 7)) &&
	test -z "$(ls spill)" &&
	rm -f few.csv many.csv steps.csv again.csv
'

test_expect_success 'a spill file that cannot be made fails the import' '
	before=$(sqlite3 lim.db .dump | md5sum) &&
	(
		TMPDIR=$TRASH/no/such/dir &&
		expect_fail 1 limited "$RUNG" -d lim.db import -s nodir long.csv
	) &&
	grep_err "spill file" &&
	test "$(sqlite3 lim.db .dump | md5sum)" = "$before"
'

test_done
