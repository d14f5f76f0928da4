#!/bin/sh
# One file per run: the layouts of Lightning's and Keras' CSV loggers (a
# folder per run, the same file name in each), time columns, and trials
# that end early without a status. The files are real training runs, made
# by tests/data/csv/runs/make-runs.py.
. "$RUNG_SRCDIR/tests/lib.sh"

d=$RUNG_TESTDATA/csv/runs

# The curves of a per-run CSV as rung should read them: every non-blank
# cell of a metric column at the step of its row (epoch), NA for none.
cat >expect.py <<'EOF'
import csv, json, sys
path, show, stepcol = sys.argv[1], sys.argv[2], sys.argv[3]
skip = set(sys.argv[4].split(",")) if len(sys.argv) > 4 else set()
want = {}
for row in csv.DictReader(open(path)):
    for k, v in row.items():
        if k == stepcol or k in skip or v in ("", "NA"):
            continue
        want.setdefault(k, {})[int(row[stepcol])] = float(v)
got = json.load(open(show))
curves = {k: dict(zip(c["steps"], c["values"]))
          for k, c in got["curves"].items()}
if "epoch_seconds" in want:
    # A time column: seconds, not a curve.
    secs = want.pop("epoch_seconds")
    have = dict(zip(got["seconds"]["steps"], got["seconds"]["values"]))
    assert have == secs, (have, secs)
assert curves == want, (sorted(curves), sorted(want))
EOF

test_expect_success 'Lightning: one trial per version_N folder, the study lightning_logs' '
	(cd "$d" && rung import lightning_logs/version_*/metrics.csv) 2>err &&
	rung trials --json lightning_logs >t.json &&
	test "$(json "[t[\"id\"] for t in j]" t.json)" = "version_0 version_1 version_2 version_3"
'

test_expect_success 'Lightning: each trial has its own file values, epoch the step, step left out' '
	for v in 0 1 2 3; do
		rung show --json lightning_logs version_$v >v$v.json &&
		/usr/bin/python3 expect.py "$d/lightning_logs/version_$v/metrics.csv" v$v.json epoch step || return 1
	done &&
	test "$(json "sorted(j[\"curves\"])" v0.json)" = "train_loss_epoch train_loss_step val_acc val_loss" &&
	test "$(json "j[\"seconds\"]" v0.json)" = None &&
	! grep "more than once" err
'

test_expect_success 'the same files again: nothing added, the names are stable' '
	(cd "$d" && rung import -s lightning_logs lightning_logs/version_*/metrics.csv) 2>err &&
	test "$(grep -c "imported into .lightning_logs. before" err)" = 4 &&
	rung trials --json lightning_logs >t2.json &&
	cmp t.json t2.json
'

test_expect_success 'Keras: one trial per folder, NA is no value, epoch_seconds is time' '
	(cd "$d" && rung import keras/*/training.log) 2>err &&
	rung trials --json keras >k.json &&
	test "$(json "[t[\"id\"] for t in j]" k.json)" = "lr0.01-h32 lr0.05-h8-every2 lr0.3-h16" &&
	for r in lr0.01-h32 lr0.05-h8-every2 lr0.3-h16; do
		rung show --json keras $r >$r.json &&
		/usr/bin/python3 expect.py "$d/keras/$r/training.log" $r.json epoch val_epoch_seconds || return 1
	done &&
	test "$(json "sorted(j[\"curves\"])" lr0.05-h8-every2.json)" = "accuracy loss val_accuracy val_loss" &&
	test "$(json "j[\"curves\"][\"val_loss\"][\"steps\"]" lr0.05-h8-every2.json)" = "1 3 5 7 9"
'

test_expect_success 'the time column: its kind and the reason are told' '
	grep -x "rung: time column .epoch_seconds.: seconds per step (its values do not always grow within a trial, as a running total would; --time-kind step, cumulative or absolute says otherwise)" err
'

test_expect_success 'trials ending early without a status: one notice with the count' '
	test "$(grep -c "end before step" err)" = 1 &&
	grep "rung: 1 of 3 trials end before step 9, the last one reached, and are listed complete as no status was read; name a column of statuses (complete, pruned, failed, ...) with --status-col" err &&
	rung trials --json keras >k.json &&
	test "$(json "[t[\"status\"] for t in j]" k.json)" = "complete complete complete"
'

test_expect_success 'with a status column, or trials of one length: no notice' '
	printf "trial,step,loss,status\na,1,0.5,complete\na,2,0.4,complete\nb,1,0.6,pruned\n" >st.csv &&
	rung import -s st st.csv 2>err &&
	! grep "end before" err &&
	printf "trial,step,loss\na,1,0.5\na,2,0.4\nb,1,0.6\nb,2,0.3\n" >same.csv &&
	rung import -s same same.csv 2>err &&
	! grep "end before" err
'

test_expect_success 'files in different folders under one name: named by the folder' '
	mkdir -p a b x &&
	printf "step,loss\n1,0.5\n2,0.4\n" >a/run1.csv &&
	printf "step,loss\n1,0.7\n2,0.6\n" >b/run1.csv &&
	rung import -s ab a/run1.csv b/run1.csv &&
	rung trials --json ab >ab.json &&
	test "$(json "[(t[\"id\"], t[\"final\"]) for t in j]" ab.json)" = "('"'"'a'"'"', 0.4) ('"'"'b'"'"', 0.6)"
'

test_expect_success 'files of one folder: named by their stems' '
	printf "step,loss\n1,0.5\n2,0.4\n" >x/r1.csv &&
	printf "step,loss\n1,0.7\n2,0.6\n" >x/r2.csv &&
	rung import -s x x/r1.csv x/r2.csv &&
	rung trials --json x >x.json &&
	test "$(json "[t[\"id\"] for t in j]" x.json)" = "r1 r2"
'

test_expect_success 'two files that cannot be told apart: refused, naming both, nothing written' '
	printf "step,loss\n1,0.9\n" >x/r3.csv &&
	printf "step,loss\n1,0.8\n" | gzip -n >x/r3.csv.gz &&
	before=$(db_digest) &&
	expect_fail 1 rung import -s tw x/r3.csv x/r3.csv.gz &&
	grep_err "x/r3.csv: its trials have no id (no trial column)" &&
	grep_err "and x/r3.csv.gz, read with it, would give the same name (.r3.)" &&
	test "$(db_digest)" = "$before"
'

test_expect_success 'files with a trial column need no file name' '
	mkdir -p c d &&
	printf "trial,step,loss\nt1,1,0.5\nt1,2,0.4\n" >c/runs.csv &&
	printf "trial,step,loss\nt2,1,0.7\nt2,2,0.6\n" >d/runs.csv &&
	rung import -s cd c/runs.csv d/runs.csv &&
	rung trials --json cd >cd.json &&
	test "$(json "[t[\"id\"] for t in j]" cd.json)" = "t1 t2"
'

test_expect_success 'JSON: one trial per file, and lists without ids, named by the folder' '
	printf "{\"loss\": [0.5, 0.4]}" >a/m.json &&
	printf "{\"loss\": [0.7, 0.6]}" >b/m.json &&
	rung import -s jm a/m.json b/m.json 2>err &&
	! grep merged err &&
	rung trials --json jm >jm.json &&
	test "$(json "[(t[\"id\"], t[\"final\"]) for t in j]" jm.json)" = "('"'"'a'"'"', 0.4) ('"'"'b'"'"', 0.6)" &&
	printf "[{\"loss\": [0.5]}, {\"loss\": [0.4]}]" >a/l.json &&
	printf "[{\"loss\": [0.7]}]" >b/l.json &&
	rung import -s jl a/l.json b/l.json &&
	rung trials --json jl >jl.json &&
	test "$(json "[t[\"id\"] for t in j]" jl.json)" = "a:0 a:1 b:0"
'

test_expect_success 'wide CSVs without ids in several files stay apart' '
	printf "lr,acc_1,acc_2,acc_3\n0.1,0.5,0.6,0.7\n" >a/w.csv &&
	printf "lr,acc_1,acc_2,acc_3\n0.2,0.4,0.5,0.6\n" >b/w.csv &&
	rung import -s w a/w.csv b/w.csv 2>err &&
	! grep "more than once" err &&
	rung trials --json w >w.json &&
	test "$(json "[t[\"id\"] for t in j]" w.json)" = "a:0 b:0"
'

test_expect_success 'time columns by name: a total, a clock, and no metric of them' '
	printf "trial,step,loss,total_seconds\na,1,0.5,10\na,2,0.4,21\n" >tot.csv &&
	rung import -s tot tot.csv 2>err &&
	grep "time column .total_seconds.: seconds since the trial started (by its name" err &&
	rung show --json tot a >tot.json &&
	test "$(json "j[\"seconds\"][\"values\"]" tot.json)" = "10 11" &&
	test "$(json "sorted(j[\"curves\"])" tot.json)" = loss &&
	printf "trial,step,loss,epoch_time\na,1,0.5,1700000000\na,2,0.4,1700000030\na,3,0.3,1700000070\n" >clock.csv &&
	rung import -s clock clock.csv 2>err &&
	grep "time column .epoch_time.: a clock, a step lasting from the one before (its values are Unix times" err &&
	printf "trial,step,loss,train_secs\na,1,0.5,1700000000\na,2,0.4,1700000030\na,3,0.3,1700000070\n" >unix.csv &&
	rung import -s unix unix.csv 2>err &&
	grep "time column .train_secs.: a clock, a step lasting from the one before (its values are Unix times" err &&
	rung show --json unix a >unix.json &&
	test "$(json "j[\"seconds\"][\"values\"]" unix.json)" = "None 30 40" &&
	test "$(json "sorted(j[\"curves\"])" unix.json)" = loss
'

test_expect_success '--time-kind chosen by the user is not told' '
	rung import -s told --time-kind cumulative tot.csv 2>err &&
	! grep "time column" err
'

test_done
