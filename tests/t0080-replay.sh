#!/bin/sh
# replay and replays through the command line: the compute totals of
# algorithms.md 1 exactly, the figures of algorithms.md 5, determinism on
# any number of threads, the kept runs, and the errors.
. "$RUNG_SRCDIR/tests/lib.sh"

d=$RUNG_TESTDATA

# 200 trials x 100 steps whose curves never cross: trial t's loss at step k
# is c(t) + 1/k, c a permutation of 0 .. 1.99; each step of trial t takes
# 0.5 + 0.25 (t mod 4) seconds (exact in binary, so sums are exact).
gen_synth() {
	awk 'BEGIN {
		print "trial,step,loss,seconds,lr"
		for (t = 0; t < 200; t++) {
			c = ((t * 37 + 11) % 200) / 100
			s = 0.5 + (t % 4) * 0.25
			for (k = 1; k <= 100; k++)
				printf "t%d,%d,%.6f,%g,%g\n", t, k, c + 1 / k, s,
				    0.001 * (t % 7 + 1)
		}
	}'
}

test_expect_success 'import a synthetic study with seconds and a real one' '
	gen_synth >syn.csv &&
	rung import -s syn syn.csv 2>/dev/null &&
	rung import -s mq --direction max "$d/predict/metaqnn_200.csv" 2>/dev/null &&
	rung import -s head --direction max "$d/csv/metaqnn_cifar10_head.csv" 2>/dev/null
'

test_expect_success 'hyperband R=81 eta=3 costs 1581 steps with resume' '
	rung replay --policy hyperband --max-steps 81 --eta 3 --seeds 3 --no-save --json syn >hb.json &&
	test "$(json "j[\"policies\"][0][\"cost_steps\"]" hb.json)" = "1581 1581 1581" &&
	test "$(json "j[\"policies\"][0][\"cost_steps_mean\"], j[\"policies\"][0][\"cost_steps_sd\"]" hb.json)" = "1581 0" &&
	test "$(json "j[\"policies\"][0][\"started\"]" hb.json)" = "143 143 143" &&
	test "$(json "j[\"resume\"], j[\"policies\"][0][\"resume\"], j[\"pool\"]" hb.json)" = "True True 200"
'

test_expect_success 'and 1902 steps with --no-resume' '
	rung replay --policy hyperband --max-steps 81 --eta 3 --seeds 2 --no-resume --no-save --json syn >hb0.json &&
	test "$(json "j[\"policies\"][0][\"cost_steps\"]" hb0.json)" = "1902 1902" &&
	test "$(json "j[\"resume\"], j[\"policies\"][0][\"resume\"]" hb0.json)" = "False False"
'

test_expect_success 'hyperband R=100 eta=2 costs 3213 steps' '
	rung replay --policy hyperband --eta 2 --seeds 2 --no-save --json syn >hb2.json &&
	test "$(json "j[\"parameters\"][\"max_r\"], j[\"parameters\"][\"eta\"]" hb2.json)" = "100 2" &&
	test "$(json "j[\"policies\"][0][\"cost_steps\"]" hb2.json)" = "3213 3213"
'

test_expect_success 'hyperband against itself saves 0; against random search 1 - 1581/(143*81)' '
	test "$(json "j[\"policies\"][0][\"saved_vs_baseline\"]" hb.json)" = 0 &&
	test "$(json "j[\"policies\"][0][\"saved_vs_baseline_seeds\"]" hb.json)" = "0 0 0" &&
	test "$(json "j[\"baseline\"][\"policy\"], j[\"baseline\"][\"listed\"]" hb.json)" = "hyperband True" &&
	test "$(json "j[\"policies\"][0][\"random_cost_steps\"]" hb.json)" = "11583 11583 11583" &&
	test "$(json "j[\"policies\"][0][\"saved_vs_random\"] == 1 - 1581 / 11583" hb.json)" = True
'

test_expect_success 'seconds: recorded, and random search saves nothing against itself' '
	rung replay --policy random,hyperband --max-steps 81 --seeds 3 --no-save --json syn >sec.json &&
	test "$(json "j[\"time_unit\"]" sec.json)" = seconds &&
	test "$(json "[p[\"saved_vs_random\"] for p in j[\"policies\"]][0]" sec.json)" = 0 &&
	test "$(json "j[\"policies\"][0][\"saved_vs_random_seconds\"]" sec.json)" = 0 &&
	test "$(json "j[\"policies\"][0][\"cost_seconds\"] == j[\"policies\"][0][\"random_cost_seconds\"]" sec.json)" = True &&
	test "$(json "all(0 < x for x in j[\"policies\"][1][\"cost_seconds\"])" sec.json)" = True &&
	test "$(json "0 < j[\"policies\"][1][\"saved_vs_random_seconds\"] < 1" sec.json)" = True &&
	test "$(json "j[\"policies\"][0][\"configs\"], j[\"policies\"][1][\"configs\"]" sec.json)" = "143 None" &&
	test "$(json "j[\"baseline\"][\"listed\"], j[\"policies\"][0][\"saved_vs_baseline\"] < 0" sec.json)" = "True True"
'

test_expect_success 'the random-search comparison holds with the tpe sampler too' '
	rung replay --policy random,asha --sampler tpe --max-steps 81 --seeds 2 --no-save --json syn >tpe.json &&
	test "$(json "j[\"parameters\"][\"sampler\"]" tpe.json)" = tpe &&
	test "$(json "j[\"policies\"][0][\"saved_vs_random_seconds\"]" tpe.json)" = 0 &&
	test "$(json "0 < j[\"policies\"][1][\"saved_vs_random_seconds\"] < 1" tpe.json)" = True
'

test_expect_success 'on never-crossing curves the LCE policies cost less than their bases and return the same best' '
	rung replay --policy asha,asha-lce,hyperband,hyperband-lce,random,lce --max-steps 81 --configs 60 --seeds 5 --no-save --json syn >lce.json &&
	for i in 0 2 4; do
		test "$(json "all(a > b for a, b in zip(j[\"policies\"][$i][\"cost_steps\"], j[\"policies\"][$i + 1][\"cost_steps\"]))" lce.json)" = True &&
		test "$(json "j[\"policies\"][$i][\"returned\"] == j[\"policies\"][$i + 1][\"returned\"]" lce.json)" = True || return 1
	done
'

test_expect_success '--delta is the LCE margin: a lower one stops more' '
	rung replay --policy lce --seeds 3 --delta 0.6 --no-save --json mq >lce6.json &&
	rung replay --policy lce --seeds 3 --delta 0.999 --no-save --json mq >lce9.json &&
	test "$(json "j[\"parameters\"][\"delta\"]" lce6.json)" = 0.6 &&
	a=$(json "j[\"policies\"][0][\"cost_steps_mean\"]" lce6.json) &&
	b=$(json "j[\"policies\"][0][\"cost_steps_mean\"]" lce9.json) &&
	test "$(echo "$a < $b" | bc)" = 1
'

test_expect_success 'the returned configuration is judged against the pool' '
	test "$(json "abs(j[\"pool_best\"] - 0.01) < 1e-9" sec.json)" = True &&
	test "$(json "all(abs(r - (f - j[\"pool_best\"])) < 1e-9 for p in j[\"policies\"] for r, f in zip(p[\"regret\"], p[\"best_final\"]))" sec.json)" = True &&
	test "$(json "all(p[\"best_final_worst\"] >= max(p[\"best_final\"]) for p in j[\"policies\"])" sec.json)" = True &&
	test "$(json "all(p[\"p_top1\"] == sum(p[\"top1\"]) / len(p[\"top1\"]) for p in j[\"policies\"])" sec.json)" = True
'

test_expect_success 'the same seeds give the same JSON on 1 and 2 threads' '
	rung replay --policy hyperband,asha,random,sha --workers 4 --seeds 6 --seed 11 -j 1 --no-save --json mq >j1.json &&
	rung replay --policy hyperband,asha,random,sha --workers 4 --seeds 6 --seed 11 -j 2 --no-save --json mq >j2.json &&
	cmp j1.json j2.json &&
	rung replay --policy asha --variant promote --seeds 4 -j 2 --no-save --json syn >p2.json &&
	rung replay --policy asha --variant promote --seeds 4 -j 1 --no-save --json syn >p1.json &&
	cmp p1.json p2.json
'

test_expect_success 'different seeds give different asha runs' '
	rung replay --policy asha --seeds 10 --workers 4 --no-save --json mq >a.json &&
	test "$(json "len(set(j[\"policies\"][0][\"cost_steps\"])) > 1" a.json)" = True &&
	test "$(json "len(set(j[\"policies\"][0][\"returned\"])) > 1" a.json)" = True &&
	test "$(json "j[\"policies\"][0][\"seed\"]" a.json)" = "0 1 2 3 4 5 6 7 8 9" &&
	rung replay --policy asha --seeds 3 --seed 100 --workers 4 --no-save --json mq >a100.json &&
	test "$(json "j[\"policies\"][0][\"seed\"]" a100.json)" = "100 101 102" &&
	! cmp a.json a100.json
'

test_expect_success '--json has the documented keys' '
	test "$(json "sorted(k for k in j if k in (\"id\", \"study\", \"metric\", \"direction\", \"pool\", \"pool_best\", \"parameters\", \"baseline\", \"policies\", \"anytime\", \"resume\", \"time_unit\", \"trials\"))" a.json)" = "anytime baseline direction id metric parameters policies pool pool_best resume study time_unit trials" &&
	/usr/bin/python3 - a.json <<-\PY
	import json, sys
	j = json.load(open(sys.argv[1]))
	need = ["policy", "seeds", "cost_steps_mean", "cost_steps_sd", "cost_seconds_mean",
	        "saved_vs_baseline", "saved_vs_random", "best_final_mean", "best_final_worst",
	        "regret_mean", "p_top1", "p_top5", "time_to_best_mean", "resume",
	        "cost_steps", "best_final", "returned", "seed", "regret", "top1", "top5"]
	for p in j["policies"]:
	    missing = [k for k in need if k not in p]
	    assert not missing, missing
	    for k in ("cost_steps", "best_final", "returned", "seed"):
	        assert len(p[k]) == p["seeds"], k
	for k in ("eta", "min_r", "max_r", "workers", "seeds", "seed", "budget", "configs",
	          "resume", "sampler", "variant", "rule"):
	    assert k in j["parameters"], k
	assert j["id"] is None
	assert j["parameters"]["configs"] == 17  # hyperband R=20 eta=3
	PY
'

test_expect_success 'anytime: 50 cost points up to the largest cost, per policy' '
	/usr/bin/python3 - j1.json <<-\PY
	import json, sys
	j = json.load(open(sys.argv[1]))
	assert [a["policy"] for a in j["anytime"]] == [p["policy"] for p in j["policies"]]
	top = max(c for p in j["policies"] for c in p["cost_steps"])
	for a, p in zip(j["anytime"], j["policies"]):
	    g = a["cost_steps"]
	    assert len(g) == 50 and g[0] == 0 and g[-1] == top, g
	    assert len(a["best_final_mean"]) == 50 and a["seeds"][-1] == p["seeds"]
	    assert a["seeds"] == sorted(a["seeds"])
	    assert a["best_final_mean"][0] is None
	PY
'

test_expect_success '--csv: one row per policy and seed' '
	rung replay --policy hyperband,asha,random --seeds 4 --no-save --csv mq >r.csv &&
	test $(wc -l <r.csv) -eq 13 &&
	head -n 1 r.csv | grep -q "^policy,resume,seed,cost_steps,cost_seconds,started,returned,best_final," &&
	test $(grep -c "^asha,1," r.csv) -eq 4 &&
	expect_fail 2 rung replay --policy hyperband --json --csv mq &&
	grep_err "alternatives"
'

test_expect_success 'the table on a pipe, with its conventions' '
	rung replay --policy hyperband,asha --seeds 2 --no-save mq >t.out &&
	grep -q "^POLICY .*STEPS .*SAVED .*SAVED_RS .*FINAL .*TOP1" t.out &&
	grep -q "resume on" t.out &&
	grep -q "^asha " t.out &&
	rung replay --policy hyperband --seeds 2 --no-resume --no-save mq >t0.out &&
	grep -q "resume off" t0.out
'

test_expect_success 'a baseline that is not listed is replayed beside' '
	rung replay --policy asha --baseline sha --seeds 3 --no-save --json mq >b.json &&
	test "$(json "j[\"baseline\"][\"policy\"], j[\"baseline\"][\"listed\"], len(j[\"policies\"])" b.json)" = "sha False 1" &&
	rung replay --policy sha --seeds 3 --no-save --json mq >s.json &&
	test "$(json "j[\"policies\"][0][\"cost_steps_mean\"]" s.json)" = "$(json "j[\"baseline\"][\"cost_steps_mean\"]" b.json)"
'

test_expect_success '--budget stops a replay' '
	rung replay --policy random --budget 100 --seeds 2 --no-save --json mq >bu.json &&
	test "$(json "j[\"policies\"][0][\"budget_spent\"], j[\"parameters\"][\"budget\"]" bu.json)" = "2 100" &&
	test "$(json "all(c <= 120 for c in j[\"policies\"][0][\"cost_steps\"])" bu.json)" = True
'

test_expect_success 'replay keeps each run; replays lists them' '
	rung replay --policy hyperband,asha --seeds 3 --json mq >k1.json 2>err &&
	grep -q "kept as replay 1" err &&
	rung replay --policy random --seeds 2 --max-steps 81 syn >k2.out 2>/dev/null &&
	rung replays --json >l.json &&
	test "$(json "[(r[\"id\"], r[\"study\"]) for r in j]" l.json)" = "(1, '"'"'mq'"'"') (2, '"'"'syn'"'"')" &&
	test "$(json "[p[\"policy\"] for p in j[0][\"policies\"]]" l.json)" = "hyperband asha" &&
	test "$(json "j[0][\"seeds\"], j[0][\"baseline\"], j[0][\"resume\"], j[0][\"parameters\"][\"max_r\"]" l.json)" = "3 hyperband True 20" &&
	rung replays --json syn >l2.json &&
	test "$(json "[r[\"id\"] for r in j]" l2.json)" = 2 &&
	rung replays >l.out &&
	test $(wc -l <l.out) -eq 3 &&
	grep -q "hyperband,asha" l.out
'

test_expect_success 'replays --show prints a run as replay did' '
	test "$(json "j[\"id\"]" k1.json)" = 1 &&
	rung replays --show 1 --json >s1.json &&
	cmp k1.json s1.json &&
	rung replays --show 2 >s2.out &&
	cmp k2.out s2.out &&
	rung replays --show 1 --csv >s1.csv &&
	test $(wc -l <s1.csv) -eq 7
'

test_expect_success 'the tables hold the figures per policy and per seed' '
	test "$(sqlite3 "$RUNG_DB" "select group_concat(policy || \":\" || seeds) from replay_policies where replay_id = 1")" = "hyperband:3,asha:3" &&
	test "$(sqlite3 "$RUNG_DB" "select cost_steps_mean, saved_vs_baseline from replay_policies where replay_id = 1 and idx = 0")" = "154.0|0.0" &&
	test "$(sqlite3 "$RUNG_DB" "select count(*) from replay_seeds where replay_id = 1")" = 6 &&
	test "$(sqlite3 "$RUNG_DB" "select group_concat(cost_steps) from replay_seeds where replay_id = 1 and policy_idx = 0")" = "154,154,154" &&
	test "$(sqlite3 "$RUNG_DB" "select count(*) from replay_seeds where trace like '"'"'[[%'"'"'")" = 8
'

test_expect_success '--no-save keeps nothing' '
	before=$(sqlite3 "$RUNG_DB" "select count(*) from replays") &&
	rung replay --policy hyperband --seeds 1 --no-save mq >/dev/null 2>err &&
	! grep -q kept err &&
	test "$(sqlite3 "$RUNG_DB" "select count(*) from replays")" = "$before"
'

test_expect_success 'a database of schema 2 gains the replay tables' '
	rm -f old.db &&
	rung -d old.db import -s mq --direction max "$d/csv/metaqnn_cifar10_head.csv" 2>/dev/null &&
	sqlite3 old.db "drop index curves_summary; alter table curves drop column lo; alter table curves drop column hi; alter table curves drop column final; drop table curve_tail; drop index curves_size; drop index trials_rev; alter table trials drop column rev; alter table trials drop column digest; alter table studies drop column rev; alter table metrics drop column direction; drop table launch_events; drop table launch_trials; drop table launches; drop table replay_seeds; drop table replay_policies; drop table replays; pragma user_version = 2" &&
	rung -d old.db replays --json >o.json &&
	test "$(cat o.json)" = "[]" &&
	test "$(sqlite3 old.db "pragma user_version")" -ge 3 &&
	rung -d old.db replay --policy hyperband --seeds 1 mq >/dev/null 2>&1 &&
	rung -d old.db replays --json >o2.json &&
	test "$(json "len(j)" o2.json)" = 1
'

test_expect_success '--metric replays another metric of the study' '
	rung import -s ts "$d/json/taskset-irnn64-head.json" 2>/dev/null &&
	rung replay --policy random,asha --configs 10 --baseline random --seeds 3 --metric train.loss --no-save --json ts >m.json &&
	test "$(json "j[\"metric\"], j[\"parameters\"][\"metric\"], j[\"pool\"]" m.json)" = "train.loss train.loss 20" &&
	test "$(json "j[\"policies\"][0][\"cost_steps\"]" m.json)" = "510 510 510" &&
	expect_fail 1 rung replay --policy random --metric nope ts &&
	grep_err "study .ts. has no metric .nope. (it has valid.loss, "
'

test_expect_success 'bad options exit 2 and say what was expected' '
	expect_fail 2 rung replay mq && grep_err "give --policy" &&
	expect_fail 2 rung replay --policy nope mq &&
	grep_err "unknown policy .nope. (expected random, sha, hyperband, asha" &&
	expect_fail 2 rung replay --policy hyperband,hyperband mq && grep_err "listed twice" &&
	expect_fail 2 rung replay --policy hyperband --eta 1 mq && grep_err "eta must be a number above 1" &&
	expect_fail 2 rung replay --policy hyperband --eta x mq && grep_err "eta must be" &&
	expect_fail 2 rung replay --policy hyperband --eta 2.5 mq && grep_err "hyperband" &&
	expect_fail 2 rung replay --policy hyperband --seeds 0 mq && grep_err "seeds" &&
	expect_fail 2 rung replay --policy hyperband --max-steps -3 mq && grep_err "max-steps must be a positive number" &&
	expect_fail 2 rung replay --policy asha --variant sideways mq && grep_err "variant must be stop or promote" &&
	expect_fail 2 rung replay --policy asha --rule nope mq && grep_err "rule must be ray, syne, optuna or determined" &&
	expect_fail 2 rung replay --policy asha --sampler grid mq && grep_err "sampler must be random or tpe" &&
	expect_fail 2 rung replay --policy asha --baseline nope mq && grep_err "baseline: unknown policy" &&
	expect_fail 2 rung replay --policy random --configs 0 mq && grep_err "configs" &&
	expect_fail 2 rung replay --policy random -j x mq && grep_err "jobs" &&
	expect_fail 2 rung replay --policy random --bogus mq && grep_err "unknown option" &&
	expect_fail 2 rung replays --show x && grep_err "takes the id of a replay" &&
	expect_fail 2 rung replays --show 1 mq &&
	expect_fail 2 rung replays --json --csv
'

test_expect_success 'replays --csv lists the kept replays as CSV, -o writes it to a file' '
	rung replays --csv >list.csv &&
	head -1 list.csv | grep -q "^ID,STUDY,POLICIES,BASELINE,SEEDS,ETA,MAX_STEPS,WORKERS,RESUME,CREATED$" &&
	test "$(sed 1d list.csv | wc -l)" = "$(sqlite3 "$RUNG_DB" "select count(*) from replays")" &&
	rung replays --csv -o list2.csv >out2 &&
	test ! -s out2 && cmp list.csv list2.csv
'

test_expect_success 'a study without enough trials at max_r exits 1 and says why' '
	expect_fail 1 rung replay --policy hyperband --eta 2 head &&
	grep_err "study .head. has 30 trials that reach step 20, and hyperband needs 43" &&
	expect_fail 1 rung replay --policy hyperband --max-steps 200 head &&
	grep_err "no trial of study .head. reaches step 200" &&
	expect_fail 1 rung replay --policy asha --baseline random --configs 31 head &&
	grep_err "needs 31" &&
	expect_fail 1 rung replay --policy hyperband nope && grep_err "no study .nope." &&
	expect_fail 1 rung replays --show 99 && grep_err "no replay 99"
'

test_expect_success 'equal cost: hyperband at its own cost returns what it returned' '
	rung replay --policy hyperband,asha --max-steps 81 --seeds 4 --no-save --json syn >eq.json &&
	test "$(json "j[\"equal_cost\"][\"policy\"], j[\"equal_cost\"][\"budget_steps\"]" eq.json)" = "hyperband 1581" &&
	test "$(json "j[\"policies\"][0][\"equal_cost\"][\"regret\"] == j[\"policies\"][0][\"regret\"]" eq.json)" = True &&
	test "$(json "j[\"policies\"][0][\"equal_cost\"][\"regret_mean\"] == j[\"policies\"][0][\"regret_mean\"]" eq.json)" = True &&
	test "$(json "j[\"policies\"][0][\"equal_cost\"][\"p_top5\"] == j[\"policies\"][0][\"p_top5\"]" eq.json)" = True &&
	test "$(json "j[\"policies\"][0][\"equal_cost\"][\"cost_steps\"]" eq.json)" = "1581 1581 1581 1581"
'

test_expect_success 'equal cost: asha given hyperband'"'"'s cost starts more configurations, within it' '
	rung replay --policy asha --max-steps 81 --seeds 4 --no-save --json syn >eqa.json &&
	test "$(json "j[\"baseline\"][\"listed\"]" eqa.json)" = False &&
	test "$(json "j[\"policies\"][0][\"equal_cost\"][\"started_mean\"] > j[\"policies\"][0][\"started_mean\"]" eqa.json)" = True &&
	test "$(json "all(c <= 1581 + 81 for c in j[\"policies\"][0][\"equal_cost\"][\"cost_steps\"])" eqa.json)" = True &&
	test "$(json "(lambda e: (0 < e[\"spent\"] <= 1.06, 0 <= e[\"regret_mean\"] <= e[\"regret_worst\"], 0 <= e[\"p_top5\"] <= 1, e[\"budget_spent\"] + e[\"pool_spent\"] <= 4))(j[\"policies\"][0][\"equal_cost\"])" eqa.json)" = "True True True True" &&
	test "$(json "len(j[\"policies\"][0][\"equal_cost\"][\"regret\"])" eqa.json)" = 4
'

test_expect_success 'the anytime curve: regret per cost point, falling to the returned regret' '
	test "$(json "(lambda a: len(a[\"regret_mean\"]) == len(a[\"cost_steps\"]) == 50)(j[\"anytime\"][0])" eq.json)" = True &&
	test "$(json "(lambda r: all(a >= b - 1e-12 for a, b in zip(r, r[1:])))([x for x in j[\"anytime\"][0][\"regret_mean\"] if x is not None])" eq.json)" = True &&
	test "$(json "abs(j[\"anytime\"][0][\"regret_mean\"][-1] - j[\"policies\"][0][\"regret_mean\"]) < 1e-9" eq.json)" = True
'

test_expect_success 'equal cost in the text, the CSV and the kept rows; --no-equal-cost leaves it out' '
	rung replay --policy hyperband,asha --max-steps 81 --seeds 2 syn >eq.txt 2>/dev/null &&
	grep -q "^at hyperband.s cost: every policy gets a budget of 1581 steps" eq.txt &&
	grep -q "^POLICY .*STARTED .*REGRET_WORST .*TOP5" eq.txt &&
	id=$(sqlite3 "$RUNG_DB" "select max(id) from replays") &&
	test "$(sqlite3 "$RUNG_DB" "select equal_budget_steps from replay_policies where replay_id = $id order by idx")" = "1581
1581" &&
	rung replays --show $id --csv >eq.csv &&
	head -1 eq.csv | grep -q ",equal_cost_steps,equal_started,equal_regret,equal_top5$" &&
	test "$(sed -n 2p eq.csv | cut -d, -f18)" = 1581 &&
	rung replay --policy asha --max-steps 81 --seeds 2 --no-equal-cost --json syn >noeq.json 2>/dev/null &&
	test "$(json "j[\"equal_cost\"], j[\"policies\"][0][\"equal_cost\"]" noeq.json)" = "None None" &&
	id=$(sqlite3 "$RUNG_DB" "select max(id) from replays") &&
	test -z "$(sqlite3 "$RUNG_DB" "select equal_budget_steps from replay_policies where replay_id = $id")"
'

# The synthetic study evaluated at steps 1, 3, 9, 27, 81 and 100 only, each
# point's seconds those of the steps since the one before: a replay on it
# costs what one on every step costs, milestones recorded or not.
gen_sparse() {
	gen_synth | awk -F, -v OFS=, -v from="$1" 'NR == 1 { print; next }
	$1 != tr { tr = $1; prev = 0 }
	$2 == 1 || $2 == 3 || $2 == 9 || $2 == 27 || $2 == 81 || $2 == 100 {
		if ($2 < from)
			next
		$4 = $4 * ($2 - prev); prev = $2; print
	}'
}

test_expect_success 'sparse steps: hyperband and asha cost what every step costs' '
	gen_sparse 1 >sparse.csv &&
	test $(wc -l <sparse.csv) -eq 1201 &&
	rung import -s sparse sparse.csv 2>/dev/null &&
	rung replay --policy hyperband --min-steps 1 --eta 3 --max-steps 27 --seeds 2 --no-save --json sparse >sp27.json &&
	test "$(json "j[\"policies\"][0][\"cost_steps\"]" sp27.json)" = "357 357" &&
	for p in hyperband "asha --variant promote" asha; do
		rung replay --policy $p --min-steps 1 --eta 3 --max-steps 81 --seeds 3 --no-save --json sparse >sp.json &&
		rung replay --policy $p --min-steps 1 --eta 3 --max-steps 81 --seeds 3 --no-save --json syn >de.json &&
		/usr/bin/python3 - sp.json de.json <<-\PY || return 1
		import json, sys
		a, b = (json.load(open(f))["policies"][0] for f in sys.argv[1:])
		for k in ("cost_steps", "cost_seconds", "started", "regret"):
		    assert a[k] == b[k], (k, a[k], b[k])
		PY
	done
'

test_expect_success 'sparse steps: a milestone without a point reports the last one before it' '
	rung replay --policy hyperband --eta 2 --seeds 2 --no-save --json sparse >sp2.json &&
	test "$(json "j[\"policies\"][0][\"cost_steps\"]" sp2.json)" = "3213 3213" &&
	/usr/bin/python3 - sp2.json hb2.json <<-\PY
	import json, sys
	a, b = (json.load(open(f))["policies"][0] for f in sys.argv[1:])
	for k in ("cost_steps", "cost_seconds", "started", "regret"):
	    assert a[k] == b[k], (k, a[k], b[k])
	PY
'

test_expect_success 'sparse steps: a step before a trial'"'"'s first point is refused with its steps' '
	gen_sparse 3 >late.csv &&
	rung import -s late late.csv 2>/dev/null &&
	expect_fail 1 rung replay --policy hyperband --min-steps 1 --eta 3 --max-steps 81 --no-save late &&
	grep_err "trial t[0-9]* has no point at or before step 1 (its steps: 3, 9, 27, 81, 100): give --min-steps, --eta and --max-steps whose milestones it has" &&
	rung replay --policy hyperband --min-steps 3 --eta 3 --max-steps 81 --seeds 1 --no-save --json late >l.json &&
	test "$(json "j[\"policies\"][0][\"cost_steps\"]" l.json)" = 1071
'

test_done
