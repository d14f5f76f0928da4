#!/bin/sh
# A small compressed file of repeated rows (a decompression bomb, or a log
# that appended the same step for days) imports in memory of the distinct
# points it keeps, not of the rows it reads: each file here is a few hundred
# KiB of gzip holding millions of rows of the same steps, and imports under
# a 100 MB limit of virtual memory, where holding a row for each row read
# (16 bytes and more) runs out. The last value read is kept and every
# overwritten value counted, in a long CSV as in JSON Lines. A bomb whose
# only column is constant is no study, said so, within the same limit.
# Built with AddressSanitizer (whose shadow memory alone is terabytes of
# address space) rung runs without the limit, on smaller bombs.
. "$RUNG_SRCDIR/tests/lib.sh"

limit=100000	# KiB of virtual memory
rows=10000000	# CSV rows of one step
lines=100000	# JSON Lines of 50 steps each
if rung_asan; then
	asan=1
	rows=$((rows / 10))
	lines=$((lines / 10))
	echo "# built with AddressSanitizer: no memory limit, smaller bombs"
else
	asan=
fi

# limited CMD...: CMD under the memory limit, in a subshell.
limited() {
	(
		[ -n "$asan" ] || ulimit -v "$limit" || exit 99
		"$@"
	)
}

test_expect_success 'a bomb of one repeated step imports within the limit' '
	{
		echo trial,step,loss
		echo a,1,0.9
		yes a,2,0.5 | head -n "$rows"
		echo a,2,0.25
		echo a,3,0.1
		echo b,1,1.0
		echo b,2,0.7
	} | gzip -9 >bomb.csv.gz &&
	test "$(wc -c <bomb.csv.gz)" -lt 1000000 &&
	expect_fail 0 limited "$RUNG" -d b.db import --json -s bomb bomb.csv.gz &&
	test "$(json "j[\"points\"]" out)" = 5 &&
	test "$(json "j[\"duplicates\"]" out)" = "$rows" &&
	grep_err "$rows values were given more than once" &&
	rung -d b.db show --json bomb a >a.json &&
	test "$(json "j[\"curves\"][\"loss\"][\"steps\"]" a.json)" = "1 2 3" &&
	test "$(json "j[\"curves\"][\"loss\"][\"values\"]" a.json)" = \
		"0.9 0.25 0.1"
'

test_expect_success 'a bomb of JSON Lines, steps read again, within the limit' '
	steps=$(seq -s, 1 50) &&
	vals=$(yes 0.5 | head -n 50 | paste -sd, -) &&
	{
		yes "{\"trial_id\": \"a\", \"steps\": [$steps], \"metrics\": {\"loss\": [$vals]}}" |
			head -n "$lines"
		echo "{\"trial_id\": \"a\", \"steps\": [7], \"metrics\": {\"loss\": [0.25]}}"
	} | gzip -9 >bomb.jsonl.gz &&
	test "$(wc -c <bomb.jsonl.gz)" -lt 1000000 &&
	expect_fail 0 limited "$RUNG" -d j.db import --json -s j bomb.jsonl.gz &&
	test "$(json "j[\"points\"]" out)" = 50 &&
	test "$(json "j[\"duplicates\"]" out)" = $((lines * 50 - 50 + 1)) &&
	rung -d j.db show --json j a >a.json &&
	test "$(json "j[\"curves\"][\"metrics.loss\"][\"values\"][6]" a.json)" = 0.25 &&
	test "$(json "j[\"curves\"][\"metrics.loss\"][\"values\"][7]" a.json)" = 0.5
'

test_expect_success 'a bomb of a constant column is no metric, said within the limit' '
	{
		echo trial,step,loss
		yes a,1,0.5 | head -n "$rows"
	} | gzip -9 >flat.csv.gz &&
	expect_fail 1 limited "$RUNG" -d f.db import -s flat flat.csv.gz &&
	grep_err "flat.csv.gz: no metric found: every column is constant within each trial" &&
	! grep -q "out of memory" err
'

test_done
