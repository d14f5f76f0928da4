#!/bin/sh
# rung launch through MPICH's hydra (--launcher mpiexec), even where Debian's
# alternatives make mpiexec Open MPI's: the example trainer in a small ASHA
# campaign; two ranks a trial, each seeing its rank and rank 0 alone
# reporting; stop signals reaching every rank and nothing of a trial left
# after it; hydra's exit status 0 after SIGTERM not taken for a trial that
# ended well. Also the reason of runs that fail before any report: the
# lines of the log that say why (Open MPI's refusal of root among them).
. "$RUNG_SRCDIR/tests/lib.sh"

launch_env

ex=$RUNG_SRCDIR/share/rung/examples
hydra=
for p in mpiexec mpiexec.hydra mpiexec.mpich; do
	if command -v $p >/dev/null 2>&1 &&
	    $p --version 2>&1 | grep -q HYDRA; then
		hydra=$(command -v $p)
		break
	fi
done

# The ranks are copies of sleep under a name no other process has.
sleeper_init

# tr.sh MODE [hang]: every rank notes its rank in ranks.txt; rank 0 reports
# loss x + 1/step, a step each 0.2 s (hang: none after step 2), the others
# wait. On SIGUSR1 a rank notes it and ends (ok); term ignores SIGUSR1 and
# dies of SIGTERM; stubborn ignores both.
cat >tr.sh <<EOF
#!/bin/sh
mode=\$1
r=\${PMI_RANK:-none}
echo "trial \$RUNG_TRIAL_ID rank \$r of \${PMI_SIZE:-none}" >>ranks.txt
case \$mode in
ok)	trap 'echo "trial \$RUNG_TRIAL_ID rank \$r: SIGUSR1" >>signals.txt; exit 0' USR1 ;;
term)	trap '' USR1 ;;
stubborn) trap '' USR1 TERM ;;
esac
x=\$(echo "\$RUNG_PARAMS" | sed 's/.*"x":\([0-9.e-]*\).*/\1/')
s=\$((RUNG_RESUME_STEP + 1))
while [ "\$s" -le "\$RUNG_MAX_STEPS" ]; do
	"$SLEEPER" 0.2
	[ "\$2" = hang ] && [ "\$s" -gt 2 ] && { s=3; continue; }
	[ "\$r" = 0 ] && awk -v x="\$x" -v s="\$s" \\
		'BEGIN { printf "rung: {\"step\": %d, \"loss\": %.6f}\n", s, x + 1 / s }'
	s=\$((s + 1))
done
EOF
chmod +x tr.sh
printf 'x uniform 0 1\n' >s.space

# state STUDY: "trial status lt.state" of each trial.
states() {
	sq "select t.ext_id, t.status, lt.state from launch_trials lt
		join trials t on t.id = lt.trial_id join studies s on s.id = t.study_id
		where s.name = '$1' order by t.ext_id + 0"
}

if [ -z "$hydra" ]; then
	test_skip 'MPICH through --launcher mpiexec' 'mpich (mpiexec.hydra) is not installed'
else

test_expect_success '--launcher mpiexec runs hydra, whatever mpiexec is' '
	rung launch --space s.space --policy random --configs 1 --max-steps 2 \
		--launcher mpiexec --gpus none which -- ./tr.sh ok >which.out 2>which.err &&
	cat which.err &&
	grep -q "^\[rung\] .*: run 1 of trial 0, from step 0 to step 2: [^ ]*mpiexec[.a-z]* -n 1 ./tr.sh ok\$" rung-logs/which/0.log &&
	prog=$(sed -n "s/^\[rung\] .*to step 2: \([^ ]*\) -n 1 .*/\1/p" rung-logs/which/0.log) &&
	"$prog" --version | grep -q HYDRA &&
	if ! mpiexec --version 2>&1 | grep -q HYDRA; then
		grep -q "launch: --launcher mpiexec: $prog, hydra.s (MPICH) (.*mpiexec says .*)" which.err
	fi &&
	test "$(states which)" = "0|complete|complete"
'

test_expect_success 'no hydra at all: the error says what each mpiexec was' '
	mkdir -p nohydra &&
	printf "#!/bin/sh\necho \"mpiexec (OpenRTE) 4.1.4\"\n" >nohydra/mpiexec &&
	chmod +x nohydra/mpiexec &&
	expect_fail 1 env PATH="$TRASH/nohydra" "$RUNG" launch --space s.space \
		--policy random --configs 1 --max-steps 2 --launcher mpiexec --gpus none \
		nohydra -- ./tr.sh ok &&
	grep_err "launch: --launcher mpiexec needs hydra.s (MPICH) mpiexec: $TRASH/nohydra/mpiexec says .mpiexec (OpenRTE) 4.1.4.; mpiexec.hydra, mpiexec.mpich not in PATH (Open MPI.s is --launcher mpirun)"
'

test_expect_success 'two ranks a trial: each sees its rank, rank 0 alone reports' '
	rm -f ranks.txt &&
	rung launch --space s.space --policy random --configs 2 --max-steps 3 \
		--launcher mpiexec --ranks 2 --gpus none --workers 2 --json two -- \
		./tr.sh ok >two.json 2>two.err &&
	test "$(json "[t[\"status\"] for t in j[\"trials\"]]" two.json)" = "complete complete" &&
	test "$(sort ranks.txt)" = "trial 0 rank 0 of 2
trial 0 rank 1 of 2
trial 1 rank 0 of 2
trial 1 rank 1 of 2" &&
	grep -q "mpiexec[.a-z]* -n 2 ./tr.sh ok\$" rung-logs/two/0.log &&
	test "$(db_points two | wc -l)" = 6 &&
	! grep -q malformed two.err
'

test_expect_success 'ASHA stops trials: SIGUSR1 reaches both ranks, nothing is left' '
	rm -f signals.txt ranks.txt &&
	rung launch --space s.space --policy asha --eta 3 --configs 6 --max-steps 9 \
		--launcher mpiexec --ranks 2 --gpus none --workers 2 --grace 2 --seed 5 \
		--json stop -- ./tr.sh ok >stop.json 2>stop.err &&
	test "$(json "sorted(set(t[\"status\"] for t in j[\"trials\"]))" stop.json)" = "complete stopped" &&
	stopped=$(json "\" \".join(t[\"id\"] for t in j[\"trials\"] if t[\"status\"] == \"stopped\")" stop.json) &&
	test -n "$stopped" &&
	for t in $stopped; do
		grep -q "^trial $t rank 0: SIGUSR1\$" signals.txt &&
		grep -q "^trial $t rank 1: SIGUSR1\$" signals.txt || exit 1
	done &&
	test "$(sleepers)" = 0
'

test_expect_success 'hydra exits 0 after SIGTERM: a trial stopped so is stopped, not complete' '
	rung launch --space s.space --policy asha --eta 3 --configs 6 --max-steps 9 \
		--launcher mpiexec --ranks 2 --gpus none --workers 2 --grace 0.5 --seed 5 \
		--json term -- ./tr.sh term >term.json 2>term.err &&
	cat term.err &&
	test "$(json "sorted(set(t[\"status\"] for t in j[\"trials\"]))" term.json)" = "complete stopped" &&
	test "$(json "all(t[\"reason\"].startswith(\"stopped by asha at step\") for t in j[\"trials\"] if t[\"status\"] == \"stopped\")" term.json)" = True &&
	test "$(json "all(t[\"steps\"] == 9 for t in j[\"trials\"] if t[\"status\"] == \"complete\")" term.json)" = True &&
	test "$(states term | grep -c "|failed")" = 0 &&
	test "$(sleepers)" = 0
'

test_expect_success 'ranks that ignore SIGUSR1 and SIGTERM: killed at the step timeout, none left' '
	start=$(date +%s) &&
	rung launch --space s.space --policy random --configs 1 --max-steps 50 \
		--launcher mpiexec --ranks 2 --gpus none --step-timeout 1 --grace 0.5 \
		--json stub -- ./tr.sh stubborn hang >stub.json 2>stub.err &&
	cat stub.err &&
	test $(($(date +%s) - start)) -lt 30 &&
	test "$(states stub)" = "0|stopped|stopped" &&
	grep -q "trial 0 stopped: no report for 1 s (--step-timeout): killed" stub.err &&
	test "$(sleepers)" = 0
'

if /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
test_expect_success 'the example trainer through hydra: a small ASHA campaign, two ranks' '
	rung launch --space "$ex/digits.space" --policy asha --eta 3 --configs 4 \
		--max-steps 3 --workers 1 --ranks 2 --launcher mpiexec --seed 2 \
		--metric val_loss --gpus none --json digits -- "$ex/digits.py" \
		>digits.json 2>digits.err &&
	cat digits.err &&
	test "$(json "len(j[\"trials\"]), j[\"status\"]" digits.json)" = "4 done" &&
	test "$(json "all(t[\"status\"] in (\"complete\", \"stopped\") for t in j[\"trials\"])" digits.json)" = True &&
	grep -q "^digits: rank 0 of 2: reports\$" rung-logs/digits/0.log &&
	grep -q "^digits: rank 1 of 2\$" rung-logs/digits/0.log &&
	test "$(json "sum(t[\"steps\"] for t in j[\"trials\"])" digits.json)" = \
		"$(db_points digits val_loss | wc -l)"
'
else
	test_skip 'the example trainer through hydra' 'python3-sklearn is not installed'
fi

fi

test_done
