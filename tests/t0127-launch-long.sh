#!/bin/sh
# A long trial through --launcher direct (issue 22): each report appends its
# points to the study's tail (curve_tail, schema 9), folded into the curve
# when the run ends, so that a report costs the same at any step. Its curve
# reads back as the trainer printed it, while it runs and after; rung
# killed with SIGKILL in the middle of it loses no committed point, and
# --resume folds what it left and carries the curve on without a gap.
#
# 200,000 steps, and a quarter of that for the kill (a million takes a
# minute and a half on a loaded two-core machine: bench/launch.sh measures
# that, not this test); fewer built with AddressSanitizer. RUNG_LONG_STEPS
# says how many.
. "$RUNG_SRCDIR/tests/lib.sh"

launch_env

steps=${RUNG_LONG_STEPS:-200000}
if rung_asan; then
	steps=${RUNG_LONG_STEPS:-40000}
	echo "# built with AddressSanitizer: $steps steps"
fi
crash=$((steps / 4))

# trainer.sh: every step from RUNG_RESUME_STEP + 1 to RUNG_MAX_STEPS as
# fast as awk prints, the loss a function of the step alone.
cat >trainer.sh <<\EOF2
#!/bin/sh
exec awk -v a="$((RUNG_RESUME_STEP + 1))" -v n="$RUNG_MAX_STEPS" 'BEGIN {
	for (i = a; i <= n; i++)
		printf "rung: {\"step\": %d, \"loss\": %.6f}\n", i, 1 + 1 / i
}'
EOF2
chmod +x trainer.sh
echo "x uniform 0 1" >s.space

# expected N: "step loss" of steps 1 to N, as the trainer prints them.
expected() {
	awk -v n="$1" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf "%d %.6f\n", i, 1 + 1 / i
	}'
}

# curve STUDY: "step loss" of trial 0 as rung reads it (rung show, which
# adds a running trial's tail to its curve), the loss to 6 decimals.
curve() {
	rung show --csv "$1" 0 | awk -F, 'NR > 1 { printf "%d %.6f\n", $1, $2 }'
}

# folded STUDY N: the campaign's curve is one curves row of N points from
# step 1 without a gap, its seconds too, and the tail is empty.
folded() {
	test "$(sq "select c.n, c.first_step, c.last_step, c.steps is null,
		x.n from curves c join trials t on t.id = c.trial_id
		join studies s on s.id = t.study_id join metrics m
		on m.id = c.metric_id join step_seconds x on x.trial_id = t.id
		where s.name = '$1' and m.name = 'loss'")" = "$2|1|$2|1|$2" &&
	test "$(sq "select count(*) from curve_tail")" = 0
}

test_expect_success "a trial of $steps reports: its curve reads back as printed" '
	rung launch --space s.space --policy random --configs 1 \
		--max-steps $steps --launcher direct --gpus none long \
		-- ./trainer.sh >long.out 2>long.err &&
	grep -q "^long: 1 complete" long.out &&
	expected $steps | cksum >want &&
	curve long | cksum >got &&
	cmp want got &&
	folded long $steps &&
	test -z "$(summary_bad)" &&
	rung studies | awk "\$1 == \"long\" && \$3 == $steps && \$6 == $steps" |
		grep -q long
'

test_expect_success 'rung killed with SIGKILL mid-trial: every committed point is kept' '
	"$RUNG" launch --space s.space --policy random --configs 1 \
		--max-steps $crash --launcher direct --gpus none crash \
		-- ./trainer.sh >crash1.out 2>crash1.err &
	pid=$! &&
	wait_sql "select count(*) >= $((crash / 4)) from curve_tail where metric_id <> 0" 60 &&
	kill -KILL $pid &&
	{ wait $pid || :; } &&
	test "$(sq "pragma integrity_check")" = ok &&
	test "$(sq "select status from launches l join studies s
		on s.id = l.study_id where s.name = '"'"'crash'"'"'")" = running &&
	# Points in the tail, read as the curve they continue, from step 1
	# without a gap, as the trainer printed them.
	test "$(sq "select count(*) from curve_tail")" -gt 0 &&
	curve crash >before &&
	k=$(wc -l <before) &&
	test "$k" -ge $((crash / 4)) && test "$k" -lt $crash &&
	expected $k | diff -u - before &&
	test "$(rung studies | awk "\$1 == \"crash\" { print \$3, \$6 }")" = "$k $k"
'

test_expect_success '--resume folds the tail and carries the curve on to the end' '
	rung launch --resume crash >crash2.out 2>crash2.err &&
	test "$(sq "select status from launches l join studies s
		on s.id = l.study_id where s.name = '"'"'crash'"'"'")" = done &&
	curve crash >after &&
	expected $crash | diff -u - after &&
	head -n $(wc -l <before) after | cmp - before &&
	folded crash $crash &&
	test -z "$(summary_bad)"
'

test_done
