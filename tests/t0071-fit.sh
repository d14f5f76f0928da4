#!/bin/sh
# fit, models and predict through the command line.
. "$RUNG_SRCDIR/tests/lib.sh"

d=$RUNG_TESTDATA

test_expect_success 'import studies to fit' '
	rung import -s mq --direction max "$d/csv/metaqnn_cifar10_head.csv" &&
	rung import -s ts "$d/json/taskset-irnn64-head.json"
'

test_expect_success 'fit --prefix --json: one row per prefix with the scores' '
	rung fit --prefix 5,10 --json mq >f.json &&
	test "$(json "j[\"study\"], j[\"target\"], j[\"features\"], j[\"svr\"]" f.json)" = "mq 20 raw nu-svr" &&
	test "$(json "[r[\"prefix\"] for r in j[\"rows\"]]" f.json)" = "5 10" &&
	test "$(json "[r[\"n_train\"] + r[\"n_test\"] for r in j[\"rows\"]]" f.json)" = "30 30" &&
	test "$(json "[r[\"n_train\"] for r in j[\"rows\"]]" f.json)" = "24 24" &&
	test "$(json "all(-10 < r[\"r2\"] <= 1 and 0 <= r[\"rmse\"] and -1 <= r[\"kendall\"] <= 1 for r in j[\"rows\"])" f.json)" = True &&
	test "$(json "sorted(j[\"rows\"][0][\"params\"])" f.json)" = "C gamma nu"
'

test_expect_success 'the default parameters are the Swift-Hyperband predictor' '
	test "$(json "j[\"rows\"][0][\"params\"][\"C\"], j[\"rows\"][0][\"params\"][\"nu\"]" f.json)" = "1 0.5"
'

test_expect_success 'a longer prefix predicts at least as well here' '
	test "$(json "j[\"rows\"][1][\"r2\"] >= j[\"rows\"][0][\"r2\"] - 0.05" f.json)" = True
'

test_expect_success 'fit --sweep: 10% to 90% of the target' '
	rung fit --sweep --json mq >s.json &&
	test "$(json "[r[\"prefix\"] for r in j[\"rows\"]]" s.json)" = "2 4 6 8 10 12 14 16 18"
'

test_expect_success 'fit prints a table on request without --json' '
	rung fit --prefix 5 mq >out &&
	head -n 1 out | grep -q "PREFIX.*R2.*RMSE.*RHO.*TAU.*LCE_R2.*LCE_TAU.*TRAIN" &&
	test $(wc -l <out) -eq 2
'

test_expect_success 'fit --csv: the same columns as CSV' '
	rung fit --prefix 2,5 --csv mq >out.csv &&
	head -n 1 out.csv | grep -q "^PREFIX,FRAC,R2,R2_SD,RMSE,MAE,RHO,TAU,LCE_R2,LCE_TAU,TRAIN,TEST,C,NU,GAMMA\$" &&
	test "$(awk -F, "NR > 1 { print NF \":\" \$9 }" out.csv | tr "\n" " ")" != "" &&
	awk -F, "NR == 2 && \$9 != \"\" { exit 1 } NR == 3 && \$9 !~ /^-?[0-9.]+\$/ { exit 1 } END { exit NR != 3 }" out.csv
'

# Curves that are exactly pow3 (c + a x^-b), b on LCE's grid: its fit from
# any three points is the curve itself, whatever the SVR makes of them.
test_expect_success 'LCE on exact pow3 curves: R2 about 1 at every prefix from 3' '
	awk "BEGIN {
		print \"trial,step,loss\"; split(\"0.2 0.5 1 1.5 2\", B, \" \")
		for (t = 0; t < 40; t++) {
			a = 0.5 + (t * 7 % 13) / 10; b = B[t % 5 + 1]; c = (t * 11 % 17) / 10
			for (k = 1; k <= 30; k++)
				printf \"t%d,%d,%.12g\\n\", t, k, c + a * k ^ (-b)
		}
	}" >pow3.csv &&
	rung import -s pow3 pow3.csv &&
	rung fit --sweep --prefix 2 --repeats 2 --json pow3 >p3.json &&
	test "$(json "[r[\"prefix\"] for r in j[\"rows\"] if r[\"prefix\"] >= 3 and not r[\"lce\"][\"r2\"] > 0.9999]" p3.json)" = "" &&
	test "$(json "[r[\"prefix\"] for r in j[\"rows\"] if r[\"prefix\"] >= 3 and not (r[\"lce\"][\"kendall\"] > 0.9999 and r[\"lce\"][\"n_skipped\"] == 0)]" p3.json)" = "" &&
	test "$(json "j[\"rows\"][-1][\"prefix\"], j[\"rows\"][-1][\"lce\"][\"r2\"], j[\"rows\"][-1][\"lce\"][\"n_skipped\"] == j[\"rows\"][-1][\"n_test\"]" p3.json)" = "2 None True" &&
	test "$(json "sorted(j[\"rows\"][0][\"lce\"])" p3.json)" = "kendall kendall_sd mae mae_sd n_skipped r2 r2_sd rmse rmse_sd spearman spearman_sd" &&
	test "$(json "all(r[\"lce\"][\"r2_sd\"] is not None for r in j[\"rows\"][:-1])" p3.json)" = True
'

test_expect_success 'LCE scores maximised metrics the right way up, the same on any -j' '
	rung fit --prefix 10 --json -j 1 mq >l1.json &&
	rung fit --prefix 10 --json -j 3 mq >l3.json &&
	cmp l1.json l3.json &&
	test "$(json "j[\"rows\"][0][\"lce\"][\"kendall\"] > 0.5 and j[\"rows\"][0][\"lce\"][\"r2\"] > 0.5" l1.json)" = True
'

test_expect_success 'baker features and eps-SVR' '
	rung fit --prefix 5 --features baker --svr eps-svr --json mq >b.json &&
	test "$(json "j[\"features\"], j[\"svr\"]" b.json)" = "baker eps-svr" &&
	test "$(json "sorted(j[\"rows\"][0][\"params\"])" b.json)" = "C epsilon gamma"
'

test_expect_success 'baker features leave out an architecture string; --params chooses' '
	rung import -s mq200 --direction max "$d/predict/metaqnn_200.csv" &&
	rung fit --prefix 5 --features baker --json mq200 >b1.json 2>err &&
	grep -q "parameter .net. has 200 values among 200 trials: left out" err &&
	rung fit --prefix 5 --features baker --params lr,depth --json mq200 >b2.json 2>err &&
	! grep -q "left out" err &&
	! cmp b1.json b2.json &&
	expect_fail 1 rung fit --prefix 5 --features baker --params nope mq200 &&
	grep_err "no parameter .nope. in the study (it has net, training_dataset, num_params, depth, lr)" &&
	expect_fail 1 rung fit --prefix 5 --features baker --params lr,dpeth mq200 &&
	grep_err "no parameter .dpeth. in the study; did you mean .depth.?"
'

test_expect_success 'repeats give a spread; the same seed gives the same answer' '
	rung fit --prefix 5 --repeats 4 --seed 7 --json mq >r1.json &&
	rung fit --prefix 5 --repeats 4 --seed 7 --json mq >r2.json &&
	cmp r1.json r2.json &&
	test "$(json "j[\"rows\"][0][\"r2_sd\"] > 0" r1.json)" = True
'

test_expect_success 'grid search: the same choice on 1 and 2 threads' '
	rung fit --prefix 5 --search grid -j 1 --json mq >g1.json &&
	rung fit --prefix 5 --search grid -j 2 --json mq >g2.json &&
	cmp g1.json g2.json
'

test_expect_success 'random search runs and is reproducible' '
	rung fit --prefix 5 --search random:20 --seed 3 --json mq >x1.json &&
	rung fit --prefix 5 --search random:20 --seed 3 -j 1 --json mq >x2.json &&
	cmp x1.json x2.json
'

test_expect_success 'trials with NaN in the prefix are left out and counted' '
	rung fit --prefix 20 --json ts >n.json 2>err &&
	test "$(json "j[\"rows\"][0][\"n_skipped\"] > 0" n.json)" = True &&
	grep -q "with a NaN or infinite value in steps 1-20 were left out" err
'

test_expect_success 'fit --save keeps the model; models lists it' '
	rung fit --prefix 8 --save mq8 mq >/dev/null 2>err &&
	grep -q "saved model .mq8." err &&
	rung models --json >m.json &&
	test "$(json "\" \".join(str(x) for m in j for x in (m[\"name\"], m[\"study\"], m[\"prefix\"], m[\"target\"], m[\"n_train\"]))" m.json)" = "mq8 mq 8 20 30"
'

test_expect_success 'predict: every trial with the prefix, beside its actual value' '
	rung predict --json mq >p.json &&
	test "$(json "j[\"model\"], j[\"prefix\"], j[\"target\"], len(j[\"trials\"])" p.json)" = "mq8 8 20 30" &&
	rung trials --json mq >t.json &&
	/usr/bin/python3 - p.json t.json <<-\PY
	import json, sys
	p = json.load(open(sys.argv[1])); t = {x["id"]: x for x in json.load(open(sys.argv[2]))}
	for r in p["trials"]:
	    assert abs(r["actual"] - t[r["id"]]["final"]) < 1e-6, r
	    assert 0 < r["predicted"] < 1, r
	PY
'

test_expect_success 'predict is the same each time (the model is stored exactly)' '
	rung predict --json mq >p2.json &&
	cmp p.json p2.json
'

test_expect_success 'a model trained on one study predicts another' '
	/usr/bin/python3 - "$d/csv/metaqnn_cifar10_head.csv" <<-\PY &&
	import csv, sys
	rows = list(csv.reader(open(sys.argv[1])))
	keep = [i for i, h in enumerate(rows[0]) if not h.startswith("acc_") or int(h[4:]) <= 10]
	with open("short.csv", "w", newline="") as f:
	    csv.writer(f).writerows([[r[i] for i in keep] for r in rows[:11]])
	PY
	rung import -s other --direction max short.csv &&
	rung predict --model mq8 --json other >o.json &&
	test "$(json "len(j[\"trials\"]), j[\"trials\"][0][\"actual\"]" o.json)" = "10 None"
'

test_expect_success 'predict covers trials that ended before the target step' '
	rung predict --model mq8 other >out &&
	test $(wc -l <out) -eq 11
'

test_expect_success 'a kept name is not overwritten without --replace' '
	expect_fail 1 rung fit --prefix 8 --save mq8 mq &&
	grep_err "a model called .mq8. exists" &&
	rung fit --prefix 6 --save mq8 --replace mq >/dev/null 2>&1 &&
	rung models --json >m2.json &&
	test "$(json "[m[\"prefix\"] for m in j]" m2.json)" = 6
'

test_expect_success 'bad requests exit 2 with a reason' '
	expect_fail 2 rung fit mq && grep_err "give --prefix K or --sweep" &&
	expect_fail 2 rung fit --prefix 0 mq && grep_err "between 1 and 19" &&
	expect_fail 2 rung fit --prefix 20 mq &&
	expect_fail 2 rung fit --prefix 3,4 --save two mq && grep_err "one --prefix" &&
	expect_fail 2 rung fit --prefix 3 --search bogus mq &&
	expect_fail 2 rung fit --prefix 3 --features x mq &&
	expect_fail 2 rung fit --prefix 3 --nu 2 mq
'

test_expect_success 'predict without a model for the study exits 1' '
	expect_fail 1 rung predict ts && grep_err "no model trained on study .ts." &&
	expect_fail 1 rung predict --model nope mq && grep_err "no model .nope."
'

test_expect_success 'one repeat has no spread: R2_SD is -, the _sd fields null' '
	rung fit --prefix 5 mq >out &&
	test "$(awk "NR == 2 { print \$4 }" out)" = - &&
	test "$(json "[r[k] for r in j[\"rows\"] for k in r if k.endswith(\"_sd\")]" f.json)" = "None None None None None None None None None None" &&
	test "$(json "[r[\"lce\"][k] for r in j[\"rows\"] for k in r[\"lce\"] if k.endswith(\"_sd\")]" f.json)" = "None None None None None None None None None None" &&
	rung fit --prefix 5 --repeats 2 mq >out &&
	awk "NR == 2 { exit !(\$4 ~ /^[0-9.]+\$/) }" out
'

test_expect_success 'a test set under 10 trials is warned about, with the way to more' '
	rung fit --prefix 5 mq >/dev/null 2>err &&
	grep -q "prefix 5: only 6 trials to test on, too few for steady scores; a smaller --train (now 24 of 30)" err &&
	rung fit --prefix 5 --train 20 mq >/dev/null 2>err &&
	! grep -q "to test on" err
'

test_expect_success 'too few trials: the study'"'"'s steps, who has the prefix and the target, what to change' '
	printf "trial,step,loss\n" >tiny.csv &&
	for t in a b; do for s in 1 2 3; do echo "$t,$s,$s.$t" | tr ab 12 >>tiny.csv; done; done &&
	rung import -s tiny tiny.csv &&
	expect_fail 1 rung fit --prefix 2 tiny &&
	grep_err "study .tiny. has 2 trials with steps 1 to 3; 2 have points to step 2, 2 a value at step 3, 2 both; it takes 3 (2 to train on, 1 to test): import a larger study" &&
	printf "trial,step,loss\n" >late.csv &&
	for t in a b c d; do for s in 5 10 15; do echo "$t,$s,$s" >>late.csv; done; done &&
	rung import -s late late.csv &&
	expect_fail 1 rung fit --prefix 2 late &&
	grep_err "has 4 trials with steps 5 to 15; 0 have points to step 2, 4 a value at step 15, 0 both" &&
	grep_err "a prefix needs a point at or before step K, and this study.s steps start at 5" &&
	printf "trial,step,loss\na,5,1\nb,5,2\n" >short.csv &&
	for t in a b c d e; do for s in 1 2 3 4; do echo "$t,$s,$s" >>short.csv; done; done &&
	rung import -s short short.csv &&
	expect_fail 1 rung fit --prefix 2 short &&
	grep_err "5 have points to step 2, 2 a value at step 5, 2 both; .*: give an earlier --target" &&
	expect_fail 1 rung fit --prefix 2 --target 4 --train 5 short &&
	grep_err "5 both; --train 5 leaves none to test: give --train 4 or less"
'

test_expect_success 'a mistyped study or metric gets the nearest names' '
	expect_fail 1 rung fit --prefix 5 qm && grep_err "no study .qm. in .*; did you mean .mq.?" &&
	expect_fail 1 rung fit --prefix 5 mq20 &&
	grep_err "no study .mq20. in .*; did you mean .mq200.?" &&
	expect_fail 1 rung fit --prefix 5 zzzzzz && grep_err "no study .zzzzzz. in .[^;]*$" &&
	expect_fail 1 rung replay --policy hyperband --metric lss tiny &&
	grep_err "study .tiny. has no metric .lss.; did you mean .loss.?" &&
	expect_fail 1 rung replay --policy hyperband --metric acc tiny &&
	grep_err "study .tiny. has no metric .acc. (it has loss)"
'

# A sparse study: 40 trials evaluated at steps 1, 3, 9 and 27 only (every
# fifth stopped at step 3), and its dense copy, each step holding the last
# evaluation at or before it. Fit's features are the recorded points held.
gen_sparse() {
	awk -v dense="$1" 'BEGIN {
		print "trial,step,loss,lr"
		for (t = 0; t < 40; t++) {
			a = ((t * 13 + 5) % 40) / 40; b = 1 + (t % 7) / 3
			last = t % 5 == 0 ? 3 : 27; v = 0
			for (k = 1; k <= last; k++) {
				if (k == 1 || k == 3 || k == 9 || k == 27)
					v = a + b / (k + t % 3)
				else if (!dense)
					continue
				printf "t%d,%d,%.6f,%g\n", t, k, v, 0.001 * (t % 9 + 1)
			}
		}
	}'
}

# The SVR's part of a fit's JSON: LCE fits the recorded points alone, so a
# sparse study and its held copy differ there.
svr_part() {
	/usr/bin/python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
j["study"] = "-"
for r in j["rows"]:
    del r["lce"]
print(json.dumps(j, sort_keys=True))
' "$1"
}

test_expect_success 'fit on a sparse study: the points up to the prefix, held' '
	gen_sparse 0 >sparse.csv && gen_sparse 1 >held.csv &&
	test $(wc -l <sparse.csv) -eq 145 &&
	rung import -s sparse sparse.csv 2>/dev/null &&
	rung import -s held held.csv 2>/dev/null &&
	rung fit --prefix 3,5,9 --json sparse >sp.json &&
	test "$(json "[j[\"target\"]] + [r[\"n_train\"] + r[\"n_test\"] for r in j[\"rows\"]]" sp.json)" = "27 32 32 32" &&
	rung fit --prefix 3,5,9 --json held >he.json &&
	test "$(svr_part he.json)" = "$(svr_part sp.json)" &&
	rung fit --prefix 5 --features baker --json sparse >spb.json &&
	rung fit --prefix 5 --features baker --json held >heb.json &&
	test "$(svr_part heb.json)" = "$(svr_part spb.json)"
'

test_expect_success 'LCE on a sparse study fits the recorded points: 1 and 3 are too few' '
	test "$(json "[(r[\"lce\"][\"n_skipped\"], r[\"n_test\"]) for r in j[\"rows\"]]" sp.json)" = "(7, 7) (7, 7) (0, 7)" &&
	test "$(json "j[\"rows\"][0][\"lce\"][\"r2\"], j[\"rows\"][2][\"lce\"][\"r2\"] is not None" sp.json)" = "None True" &&
	test "$(json "[r[\"lce\"][\"n_skipped\"] for r in j[\"rows\"]]" he.json)" = "0 0 0"
'

test_expect_success 'a sparse prefix holds step 3 to step 8 and uses nothing after it' '
	mkdir -p dump && rung fit --prefix 9 --dump dump sparse >/dev/null &&
	awk -F, "NF != 10 || \$2 != \$3 || \$4 != \$5 || \$5 != \$9 { bad++ } \$10 != \$9 { nine++ } END { exit bad > 0 || nine < 20 || NR != 25 }" dump/train-9.csv &&
	rung fit --prefix 5 --dump dump sparse >/dev/null &&
	awk -F, "NF != 6 || \$4 != \$5 || \$5 != \$6 { bad++ } END { exit bad > 0 || NR != 25 }" dump/train-5.csv
'

test_expect_success 'fit --save and predict on a sparse study' '
	rung fit --prefix 9 --save sp9 sparse >/dev/null 2>&1 &&
	rung predict --json sparse >spp.json &&
	test "$(json "j[\"model\"], len(j[\"trials\"]), sum(1 for r in j[\"trials\"] if r[\"actual\"] is None)" spp.json)" = "sp9 32 0"
'

test_done
