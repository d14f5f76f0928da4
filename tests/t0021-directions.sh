#!/bin/sh
# Every metric knows its direction: import infers it from the words of its
# name and says so, the store keeps it (and migrates older databases), and
# every command that reads a metric (-m) judges it by its own direction, or
# by --direction for that run.
. "$RUNG_SRCDIR/tests/lib.sh"

# 12 trials x 9 epochs. Trial tK ends at val_loss 2 - K/10 and val_acc
# K/20 + 0.3: the higher K, the better by both; acc_top1 is val_acc again
# under a name with no telling word but acc.
gen() {
	awk 'BEGIN {
		print "trial,epoch,val_loss,val_acc,gradnorm,lr"
		for (t = 1; t <= 12; t++)
			for (k = 1; k <= 9; k++)
				printf "t%d,%d,%.4f,%.4f,%.3f,%g\n", t, k,
				    2 - t / 10 + 1 / k, t / 20 + 0.3 - 0.2 / k,
				    t + k, 0.001 * t
	}'
}

test_expect_success 'import guesses each metric direction from its name and says how' '
	gen >s.csv &&
	rung import s.csv 2>err &&
	grep -q "guessed the direction of 3 metrics" err &&
	grep -q "val_loss min (the word .loss.)" err &&
	grep -q "val_acc max (the word .acc.)" err &&
	grep -q "gradnorm min (no word tells: the study.s)" err &&
	test "$(sqlite3 "$RUNG_DB" "select group_concat(name || \"=\" || direction, \" \") from (select * from metrics order by id)")" = "val_loss=min val_acc=max gradnorm=min"
'

test_expect_success 'the import report in --json names each direction and how' '
	gen | sed "s/^t\([0-9]\)/u\1/" >u.csv &&
	rung import -s u --direction max -m val_acc --json u.csv >u.json &&
	test "$(json "[m[\"name\"] + \"=\" + m[\"direction\"] + \"/\" + m[\"how\"] for m in j[\"studies\"][0][\"metrics\"]]" u.json)" = "val_loss=min/name val_acc=max/told gradnorm=max/study"
'

test_expect_success 'trials -m val_acc ranks by the highest accuracy' '
	rung trials --sort best --top 3 -m val_acc --json s >t.json &&
	test "$(json "[t[\"id\"] for t in j]" t.json)" = "t12 t11 t10" &&
	rung trials --sort best --top 1 s --json >l.json &&
	test "$(json "j[0][\"id\"]" l.json)" = "t12"
'

test_expect_success '--direction overrides for that run only' '
	rung trials --sort best --top 1 -m val_acc --direction min --json s >m.json &&
	test "$(json "j[0][\"id\"]" m.json)" = "t1" &&
	rung trials --sort best --top 1 -m val_acc --json s >m2.json &&
	test "$(json "j[0][\"id\"]" m2.json)" = "t12" &&
	test "$(sqlite3 "$RUNG_DB" "select direction from metrics where name = \"val_acc\" and study_id = 1")" = max
'

test_expect_success 'show -m names the metric and its own direction' '
	rung show -m val_acc s t3 >show.txt &&
	grep -q "^metric val_acc (max)" show.txt &&
	rung show -m val_acc --json s t3 >show.json &&
	test "$(json "j[\"metric\"], j[\"direction\"]" show.json)" = "val_acc max"
'

test_expect_success 'replay -m val_acc returns the most accurate trial, not the worst' '
	rung replay --policy random --baseline random --configs 12 --seeds 2 -m val_acc --no-save --json s >r.json &&
	test "$(json "j[\"direction\"], j[\"metric\"]" r.json)" = "max val_acc" &&
	test "$(json "j[\"policies\"][0][\"best_final_mean\"]" r.json)" = 0.8778 &&
	rung replay --policy random --baseline random --configs 12 --seeds 2 -m val_acc --direction min --no-save --json s >r2.json &&
	test "$(json "j[\"policies\"][0][\"best_final_mean\"]" r2.json)" = 0.3278
'

test_expect_success 'plot curves -m val_acc --top 3 draws the three most accurate' '
	rm -rf pd && rung plot curves -m val_acc --top 3 -o p.png --script pd s &&
	grep -q "the best, trial t12, reaches 0.8778" pd/plot.gp &&
	for t in t12 t11 t10; do grep -q "title .trial $t" pd/plot.gp || { echo "no $t"; exit 1; }; done &&
	! grep -E -q "trial t1([^0-9]|\$)" pd/plot.gp
'

test_expect_success 'fit -m keeps the metric and its direction in the saved model' '
	rung fit --prefix 3 -m val_acc --json s >f.json &&
	test "$(json "j[\"metric\"], j[\"direction\"]" f.json)" = "val_acc max"
'

test_expect_success 'an unknown metric is an error naming those the study has' '
	expect_fail 1 rung trials -m val_accuracy s &&
	grep_err "val_acc" &&
	expect_fail 2 rung trials --direction up s &&
	grep_err "direction must be min or max"
'

test_expect_success 'a schema 4 database gains a direction per metric' '
	rm -f old.db &&
	gen >o.csv &&
	rung -d old.db import -s o o.csv 2>/dev/null &&
	sqlite3 old.db "alter table metrics drop column direction; " &&
	sqlite3 old.db "drop index curves_summary; alter table curves drop column lo; alter table curves drop column hi; alter table curves drop column final; drop table curve_tail; drop index curves_size; drop index trials_rev; alter table trials drop column rev; alter table trials drop column digest; alter table studies drop column rev; alter table replay_policies drop column equal_budget_steps; alter table replay_policies drop column equal_cost_steps_mean; alter table replay_policies drop column equal_started_mean; alter table replay_policies drop column equal_regret_mean; alter table replay_policies drop column equal_regret_worst; alter table replay_policies drop column equal_p_top1; alter table replay_policies drop column equal_p_top5; pragma user_version = 4" &&
	rung -d old.db studies >/dev/null &&
	test "$(sqlite3 old.db "pragma user_version")" = 10 &&
	test "$(sqlite3 old.db "select group_concat(name || \"=\" || direction, \" \") from (select * from metrics order by id)")" = "val_loss=min val_acc=max gradnorm=min"
'

test_expect_success 'JSON Lines export and import keep every direction and the metric of interest' '
	rung export -f jsonl -o u.jsonl u &&
	rung -d rt.db import -s back u.jsonl 2>err &&
	! grep -q "guessed" err &&
	test "$(sqlite3 rt.db "select metric || \" \" || direction from studies")" = "val_acc max" &&
	test "$(sqlite3 rt.db "select group_concat(name || \"=\" || direction, \" \") from (select * from metrics order by name)")" = "gradnorm=max val_acc=max val_loss=min"
'

test_expect_success 'curve commands read the curves when the metric of interest is one value a trial' '
	rung import -s ranked --study ranked "$RUNG_TESTDATA/optuna/ranked.journal" 2>/dev/null &&
	rung fit --prefix 3 --json ranked >of.json 2>err &&
	grep -q "ranked: its metric of interest has one value a trial: reading the curves of .intermediate." err &&
	test "$(json "j[\"metric\"]" of.json)" = intermediate &&
	rung fit --prefix 3 --json -m value ranked >ov.json 2>err2 || :
	! grep -q "reading the curves" err2 &&
	rung trials --sort best --top 1 --json ranked >ot.json 2>err3 &&
	! grep -q "reading the curves" err3 &&
	test "$(json "j[0][\"id\"]" ot.json)" = 7
'

if command -v tmux >/dev/null 2>&1; then
	tmux_server
	test_expect_success 'the explorer m key shows the metric own direction' '
		tm new-session -d -s t -x 120 -y 40 "$RUNG tui s" &&
		wait_for "val_loss \\(min\\)" &&
		tm send-keys m &&
		wait_for "val_acc \\(max\\)" &&
		tm send-keys q
	'
fi

test_done
