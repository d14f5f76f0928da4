#!/bin/sh
# rung launch --launcher srun on a Slurm of the test's own: each run a job
# step of the allocation rung runs in (salloc, and an sbatch script), named
# after its key; the stop signals reach the step through scancel (a trainer
# that checkpoints on SIGUSR1, one that does on SIGTERM: neither failed);
# no step is left in squeue when rung ends; rung killed with SIGKILL and
# --resume cancels the steps of the dead rung; with the allocation's GPUs
# (a fake gres of two device files) Slurm binds one to each step and rung
# sets none of its own.
. "$RUNG_SRCDIR/tests/lib.sh"

launch_env

# Two GPUs of gres for Slurm: character devices like /dev/null, made here
# before slurmd starts (it checks them); AutoDetect off, there is no NVML.
gres=
mkdir dev
if mknod dev/gpu0 c 1 3 2>/dev/null && mknod dev/gpu1 c 1 3 2>/dev/null; then
	gres=1
	SLURM_CONF_EXTRA=GresTypes=gpu
	SLURM_NODE_EXTRA=Gres=gpu:2
	SLURM_GRES_CONF="AutoDetect=off
Name=gpu File=$TRASH/dev/gpu[0-1]"
fi

. "$RUNG_SRCDIR/tests/lib-slurm.sh"
if ! slurm_start; then
	test_skip 'rung launch --launcher srun' "$slurm_why"
	test_done
	exit
fi

# tr.sh X: loss X + 1/step, a step each 0.3 s (X the trial's id: each
# worse than those before, which ASHA stops once it has seen three). It says on stderr (its log)
# which step of Slurm runs it and what CUDA_VISIBLE_DEVICES Slurm gave it.
# TR_MODE usr1 (the default): SIGUSR1 writes the step reached to usr1 in
# its checkpoint directory and ends it (exit 0); term: SIGUSR1 is ignored,
# SIGTERM does the same in term (odd trials) or kills it (even ones).
cat >tr.sh <<\EOF
#!/bin/sh
x=$1
s=${RUNG_RESUME_STEP:-0}
echo "tr: trial $RUNG_TRIAL_ID step $SLURM_JOB_ID.$SLURM_STEP_ID cvd=${CUDA_VISIBLE_DEVICES-unset}" >&2
if [ "${TR_MODE:-usr1}" = term ]; then
	trap '' USR1
	# Even trials die of it (srun then exits 143), odd ones save.
	[ $((RUNG_TRIAL_ID % 2)) = 0 ] ||
		trap 'echo $s >"$RUNG_CHECKPOINT_DIR/term"; exit 0' TERM
else
	trap 'echo $s >"$RUNG_CHECKPOINT_DIR/usr1"; exit 0' USR1
fi
while [ "$s" -lt "$RUNG_MAX_STEPS" ]; do
	# A signal ends the sleep (Slurm signals every process of the step).
	sleep 0.3 &
	wait $! || :
	s=$((s + 1))
	echo "rung: {\"step\": $s, \"loss\": $(awk "BEGIN { print $x + 1 / $s }")}"
done
EOF
chmod +x tr.sh
printf 'x uniform 0 1\n' >s.space

# watch_steps FILE: squeue's steps, every 0.1 s, into FILE until killed.
watch_steps() {
	while :; do
		slurm_steps >>"$1"
		sleep 0.1
	done
}

# states STUDY: each trial's state, sorted, on one line.
states() {
	sq "select lt.state from launch_trials lt join trials t on
		t.id = lt.trial_id join studies s on s.id = t.study_id
		where s.name = '$1' order by lt.state" | tr '\n' ' '
}

test_expect_success 'srun outside an allocation is an error that says what to do' '
	expect_fail 1 rung launch --launcher srun --space s.space --policy asha \
		--max-steps 3 --configs 2 out -- ./tr.sh {x} &&
	grep_err "SLURM_JOB_ID is not set: run rung inside one (salloc" &&
	test -z "$(slurm_jobs)"
'

test_expect_success 'rung under srun itself: warned, its trials get the rest' '
	salloc -n 2 srun -n 1 --exact "$RUNG" launch --launcher srun --space s.space \
		--policy random --configs 1 --max-steps 2 --gpus none n -- \
		./tr.sh {x} >n.out 2>n.err &&
	grep -q "rung runs in job step [0-9]*\.0, whose CPUs the trials. steps cannot have" n.err &&
	test "$(sq "select status from launches l join studies s on s.id = l.study_id where s.name = '"'"'n'"'"'")" = done &&
	slurm_wait_empty 20
'

test_expect_success 'an ASHA campaign in salloc: each run a step, decisions by scancel' '
	watch_steps seen.steps &
	w=$! &&
	salloc -n 2 "$RUNG" launch --launcher srun --workers 2 --space s.space \
		--policy asha --eta 3 --configs 6 --max-steps 9 --seed 1 \
		--grace 5 --gpus none --json a -- ./tr.sh {trial} >a.json 2>a.err &&
	kill $w &&
	test "$(json "j[\"status\"]" a.json)" = done &&
	# Every run was a step of the job, named after its key.
	key=$(sed -n "s/.*srun --job-name=rung-\([^ ]*\) -n 1 --exact \/bin\/sh -c .*/\1/p" rung-logs/a/0.log) &&
	test -n "$key" &&
	grep -q "^[0-9]*\.[0-9]* rung-$key\$" seen.steps &&
	grep -q "^\[rung\] .*Slurm step [0-9]*\.[0-9]* on " rung-logs/a/0.log &&
	grep -q "^tr: trial 0 step [0-9]*\.[0-9]* cvd=" rung-logs/a/0.log &&
	test "$(sq "select count(*) from launch_events where event = '"'"'step'"'"'")" -ge 6 &&
	# Decisions went to the step: SIGUSR1 reached the trainer, whose
	# checkpoint says so, and no trial failed (srun exited 0).
	grep -q "scancel --signal=USR1 [0-9]*\.[0-9]*" rung-logs/a/*.log &&
	ls rung-logs/a/ckpt/*/usr1 >usr1.txt &&
	test -s usr1.txt &&
	! states a | grep -q failed &&
	states a | grep -q stopped &&
	test "$(json "len(j[\"trials\"])" a.json)" = 6 &&
	# No step left when rung ended.
	test -z "$(slurm_steps)" &&
	slurm_wait_empty 20
'

test_expect_success 'SIGTERM reaches the step through scancel, not through srun' '
	TR_MODE=term salloc -n 2 "$RUNG" launch --launcher srun --workers 2 \
		--space s.space --policy asha --eta 3 --configs 6 --max-steps 9 \
		--seed 1 --grace 1 --gpus none --json t -- ./tr.sh {trial} >t.json 2>t.err &&
	test "$(json "j[\"status\"]" t.json)" = done &&
	grep -q "scancel --signal=USR1 " rung-logs/t/*.log &&
	grep -q "scancel --signal=TERM " rung-logs/t/*.log &&
	# The trainer saved on SIGTERM: srun would have killed it at once.
	ls rung-logs/t/ckpt/*/term >term.txt &&
	test -s term.txt &&
	# Those killed by it: srun said 143, and they are stopped, not failed.
	grep -q "exit (exit status 143)" rung-logs/t/*.log &&
	! ls rung-logs/t/ckpt/*/usr1 2>/dev/null &&
	! states t | grep -q failed &&
	test -z "$(slurm_steps)" &&
	slurm_wait_empty 20
'

# With the fake GPUs, the batch job has both: its SLURM_JOB_GPUS is the pool.
if [ -n "$gres" ]; then
	sbgres='#SBATCH --gres=gpu:2'
	sbpool='GPUs from the Slurm allocation (SLURM_JOB_GPUS=0,1)'
else
	sbgres=
	sbpool='no GPU (the Slurm allocation [0-9]* has no GPU)'
fi

test_expect_success 'an sbatch script that runs rung' '
	cat >job.sh <<-EOF &&
	#!/bin/sh
	#SBATCH -n 2
	#SBATCH -o $TRASH/job.out
	$sbgres
	"$RUNG" launch --launcher srun --workers 2 --space s.space \\
		--policy asha --eta 3 --configs 4 --max-steps 9 --seed 2 \\
		--grace 5 b -- ./tr.sh {x}
	echo "rung exit \$?"
	EOF
	sbatch -W -Q job.sh &&
	cat job.out &&
	grep -q "^rung exit 0\$" job.out &&
	grep -q "launch: trial 0 started" job.out &&
	grep -q "2 at a time, $sbpool" job.out &&
	{ [ -z "$gres" ] || grep -q "^tr: trial 0 .* cvd=[01]\$" rung-logs/b/0.log; } &&
	test "$(sq "select status from launches l join studies s on s.id = l.study_id where s.name = '"'"'b'"'"'")" = done &&
	grep -q "srun --job-name=rung-" rung-logs/b/0.log &&
	! states b | grep -q failed &&
	slurm_wait_empty 20
'

# interrupt.sh: rung launch, SIGTERM once both trials reported twice (their
# trap is set), its exit status.
cat >interrupt.sh <<EOF
#!/bin/sh
"$RUNG" launch --launcher srun --workers 2 --space s.space --policy random \
	--configs 2 --max-steps 9 --seed 5 --grace 5 --gpus none \
	i -- ./tr.sh {trial} >i1.out 2>i1.err &
pid=\$!
n=0
until [ "\$(sqlite3 "$RUNG_DB" "select count(*) from curves c join trials t on t.id = c.trial_id join studies s on s.id = t.study_id join metrics m on m.id = c.metric_id where s.name = 'i' and m.name = 'loss' and $CURVE_N >= 2")" -ge 2 ]; do
	n=\$((n + 1))
	[ \$n -lt 300 ] || exit 3
	sleep 0.1
done
kill -TERM \$pid
wait \$pid
echo "rung exit \$?"
squeue -h -s -o '%i %j' >after.steps
EOF
chmod +x interrupt.sh

test_expect_success 'rung interrupted: SIGUSR1 reaches both steps, none is left, --resume ends it' '
	salloc -n 2 ./interrupt.sh >interrupt.out 2>&1 &&
	cat interrupt.out i1.err &&
	grep -q "^rung exit 1\$" interrupt.out &&
	grep -q "interrupted: rung launch --resume i carries on" i1.err &&
	test ! -s after.steps &&
	test "$(ls rung-logs/i/ckpt/*/usr1 | wc -l)" = 2 &&
	test "$(sq "select status from launches l join studies s on s.id = l.study_id where s.name = '"'"'i'"'"'")" = interrupted &&
	salloc -n 2 "$RUNG" launch --resume i >i2.out 2>i2.err &&
	test "$(sq "select status from launches l join studies s on s.id = l.study_id where s.name = '"'"'i'"'"'")" = done &&
	! states i | grep -q failed &&
	slurm_wait_empty 20
'

# In one allocation: rung killed with SIGKILL while two steps run, then
# --resume; what squeue shows between.
cat >kill.sh <<EOF
#!/bin/sh
"$RUNG" launch --launcher srun --workers 2 --space s.space --policy asha \
	--eta 3 --configs 5 --max-steps 9 --seed 3 --grace 5 --gpus none \
	k -- ./tr.sh {trial} >k1.out 2>k1.err &
pid=\$!
n=0
until [ "\$(squeue -h -s -o %j | grep -c '^rung-')" -ge 2 ] &&
    [ "\$(sqlite3 "$RUNG_DB" "select count(*) from curves c where $CURVE_N >= 2")" -ge 2 ]; do
	n=\$((n + 1))
	[ \$n -lt 300 ] || exit 3
	sleep 0.1
done
kill -KILL \$pid
wait \$pid
sqlite3 "$RUNG_DB" "select trial_id, metric_id, $CURVE_N from curves c" | tr '|' ' ' >before.points
squeue -h -s -o '%i %j' | grep ' rung-' >old.steps
"$RUNG" launch --resume k >k2.out 2>k2.err
echo "resume exit \$?"
EOF
chmod +x kill.sh

test_expect_success 'rung killed with SIGKILL; --resume cancels the steps it left' '
	salloc -n 2 ./kill.sh >kill.out 2>&1 &&
	cat kill.out &&
	grep -q "^resume exit 0\$" kill.out &&
	# Two steps of the dead rung outlived it ...
	test "$(wc -l <old.steps)" = 2 &&
	# ... and the resumed rung cancelled them by name.
	for id in $(cut -d" " -f1 old.steps); do
		grep -q "Slurm step $id of the previous run cancelled" k2.err ||
			exit 1
	done &&
	test "$(sq "select count(*) from launch_events where event = '"'"'killed'"'"' and detail like '"'"'Slurm step %'"'"'")" -ge 2 &&
	test "$(sq "select status from launches l join studies s on s.id = l.study_id where s.name = '"'"'k'"'"'")" = done &&
	! states k | grep -q failed &&
	# The points of before are kept.
	test -s before.points &&
	while read -r tr m n; do
		test "$(sq "select n from curves where trial_id = $tr and metric_id = $m")" -ge "$n" ||
			exit 1
	done <before.points &&
	test -z "$(slurm_steps)" &&
	slurm_wait_empty 20
'

if [ -z "$gres" ]; then
	test_skip 'GPUs: Slurm binds one to each step' 'cannot mknod fake GPUs'
else
test_expect_success 'GPUs: Slurm binds one to each step, rung sets none' '
	CUDA_VISIBLE_DEVICES=7 salloc -n 2 --gres=gpu:2 "$RUNG" launch \
		--launcher srun --space s.space --policy random --configs 4 \
		--max-steps 3 --seed 4 --grace 5 --json g -- ./tr.sh {x} \
		>g.json 2>g.err &&
	test "$(json "j[\"status\"]" g.json)" = done &&
	grep -q "2 at a time, GPUs from the Slurm allocation" g.err &&
	grep -q -- "--gpus-per-task=1 /bin/sh" rung-logs/g/0.log &&
	# The first two ran at once: one GPU each, a different one, Slurm'"'"'s.
	c0=$(sed -n "s/^tr: trial 0 .* cvd=//p" rung-logs/g/0.log) &&
	c1=$(sed -n "s/^tr: trial 1 .* cvd=//p" rung-logs/g/1.log) &&
	echo "trial 0: $c0, trial 1: $c1" &&
	case "$c0$c1" in 01|10) ;; *) exit 1;; esac &&
	for i in 0 1 2 3; do
		grep -q "^tr: trial $i .* cvd=[01]\$" rung-logs/g/$i.log || exit 1
	done &&
	# What the study says of each run: the GPU Slurm gave it.
	test "$(sq "select lt.gpus from launch_trials lt join trials t on t.id = lt.trial_id where t.ext_id = '"'"'0'"'"' and t.study_id = (select id from studies where name = '"'"'g'"'"')")" = "$c0" &&
	grep -q "CUDA_VISIBLE_DEVICES=$c0" rung-logs/g/0.log &&
	! grep -q "^CUDA_VISIBLE_DEVICES=7" rung-logs/g/*.log &&
	test -z "$(slurm_steps)" &&
	# Two ranks share a trial'"'"'s GPUs: --gpus-per-task must be whole.
	expect_fail 1 salloc -n 2 --gres=gpu:2 "$RUNG" launch --launcher srun \
		--ranks 2 --space s.space --policy random --configs 2 \
		--max-steps 3 g2 -- ./tr.sh {x} &&
	grep_err "ranks 2 takes a multiple of 2 GPUs a trial, not --gpus-per-trial 1"
'
fi


# The example trainer (share/rung/examples/digits.py), as users run it.
if /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
test_expect_success 'the example trainer: ASHA in salloc, two steps at a time' '
	ex=$RUNG_SRCDIR/share/rung/examples &&
	salloc -n 2 "$RUNG" launch --launcher srun --workers 2 \
		--space "$ex/digits.space" --policy asha --eta 3 --configs 6 \
		--max-steps 3 --seed 2 --gpus none --metric val_loss --json \
		digits -- "$ex/digits.py" >d.json 2>d.err &&
	test "$(json "j[\"status\"], len(j[\"trials\"])" d.json)" = "done 6" &&
	test "$(json "all(t[\"status\"] in (\"complete\", \"stopped\") and
		t[\"steps\"] in (1, 3) for t in j[\"trials\"])" d.json)" = True &&
	test "$(json "sum(t[\"status\"] == \"complete\" for t in j[\"trials\"]) >= 1" d.json)" = True &&
	grep -q "srun --job-name=rung-[^ ]* -n 1 --exact /bin/sh -c" rung-logs/digits/0.log &&
	test "$(sq "select count(*) from launch_events e join launches l on l.id = e.launch_id
		join studies s on s.id = l.study_id where s.name = '"'"'digits'"'"' and e.event = '"'"'step'"'"'")" -ge 6 &&
	test -z "$(slurm_steps)"
'
else
	test_skip 'the example trainer through srun' 'needs python3-sklearn'
fi

test_done
