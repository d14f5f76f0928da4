# Golden outputs: what rung prints for a fixed set of studies and commands,
# kept in tests/golden/ so that moving code around (issue 16: policies as
# plug-ins, the store owning its SQL, files split by job) is proven not to
# change a byte of behaviour. t0150-golden.sh makes them afresh and compares;
#
#	make golden
#
# writes them into tests/golden/ again, for a change that means to alter
# what rung prints (review the diff before committing it).
#
# Sourced by t0150-golden.sh after lib.sh: it runs in the scratch
# directory, with $RUNG_DB its own. Paths are relative so that no output
# names the machine's directories.

# golden_studies: the studies every golden output reads, imported from
# copies in the scratch directory (a source names its file relatively).
golden_studies() {
	mkdir -p in
	cp "$RUNG_TESTDATA/predict/metaqnn_200.csv" in/mq.csv
	cp "$RUNG_TESTDATA/csv/lstm_ptb_head.csv" in/lstm.csv
	cp "$RUNG_TESTDATA/optuna/pruned.db" in/pruned.db
	cp -R "$RUNG_TESTDATA/raytune/exp-mlpf" in/exp-mlpf
	cp -R "$RUNG_TESTDATA/json/nasbench-nlp" in/nlp
	cp "$RUNG_TESTDATA/json/mytrials.jsonl" in/mytrials.jsonl
	# 200 trials x 100 steps with seconds, as t0080 makes it: curves
	# that never cross, so every policy's choices are exact.
	awk 'BEGIN {
		print "trial,step,loss,seconds,lr"
		for (t = 0; t < 200; t++) {
			c = ((t * 37 + 11) % 200) / 100
			s = 0.5 + (t % 4) * 0.25
			for (k = 1; k <= 100; k++)
				printf "t%d,%d,%.6f,%g,%g\n", t, k, c + 1 / k, s,
				    0.001 * (t % 7 + 1)
		}
	}' >in/syn.csv
	# The same study with noise, so that curves cross and the policies
	# disagree: a seeded LCG, printed to 6 decimals.
	awk 'BEGIN {
		x = 12345
		print "trial,step,loss,lr,width"
		for (t = 0; t < 120; t++) {
			c = ((t * 53 + 7) % 120) / 60
			r = 0.3 + (t % 5) * 0.2
			for (k = 1; k <= 40; k++) {
				x = (x * 1103515245 + 12345) % 2147483648
				printf "n%d,%d,%.6f,%g,%d\n", t, k,
				    c + 2 / (k ^ r) + (x / 2147483648 - 0.5) / 10,
				    0.001 * (t % 7 + 1), 16 * (t % 4 + 1)
			}
		}
	}' >in/noisy.csv
	{
		rung import -s mq --direction max in/mq.csv &&
		rung import -s lstm in/lstm.csv &&
		rung import in/pruned.db &&
		rung import in/exp-mlpf &&
		rung import -s nlp in/nlp &&
		rung import -s mine in/mytrials.jsonl &&
		rung import -s syn in/syn.csv &&
		rung import -s noisy in/noisy.csv
	} 2>import.err
}

GOLDEN_POLICIES="random sha hyperband asha swift-hyperband baker asha-svr lce asha-lce hyperband-lce"

# golden_cli DIR: every command's output into DIR, a file each.
golden_cli() {
	_o=$1
	mkdir -p "$_o"
	cp import.err "$_o/import.err"
	rung studies >"$_o/studies.txt"
	rung studies --json >"$_o/studies.json"
	for s in mq lstm pruned multi exp-mlpf nlp mine noisy; do
		rung trials "$s" >"$_o/trials-$s.txt"
		rung trials --json "$s" >"$_o/trials-$s.json"
		rung trials --csv --sort best "$s" >"$_o/trials-$s-best.csv"
		# (mq's long CSV repeats a long net string on each of its
		# 4000 rows: its wide CSV and JSON Lines say the same.)
		[ $s = mq ] ||
		rung export -f long-csv "$s" >"$_o/export-$s.csv"
		rung export -f wide-csv "$s" >"$_o/export-$s-wide.csv"
		rung export -f jsonl "$s" >"$_o/export-$s.jsonl"
	done
	rung trials --sort final --reverse --top 7 mq >"$_o/trials-mq-final.txt"
	rung trials --status pruned pruned >"$_o/trials-pruned-pruned.txt"
	rung trials -m val_acc nlp >"$_o/trials-nlp-val_acc.txt" 2>&1 || true
	rung show mq 103 >"$_o/show-mq-103.txt"
	rung show --json mq 103 >"$_o/show-mq-103.json"
	rung show pruned 4 >"$_o/show-pruned-4.txt"
	rung show --json exp-mlpf "$(rung trials --csv exp-mlpf | sed -n 2p | cut -d, -f1)" \
		>"$_o/show-exp-mlpf.json"
	rung show --csv syn t17 >"$_o/show-syn-t17.csv"

	# Replays: every policy on three studies, two seed sets.
	for s in mq syn noisy; do
		for p in $GOLDEN_POLICIES; do
			rung replay --policy $p --seeds 4 --no-save --json $s \
				>"$_o/replay-$s-$p.json"
			rung replay --policy $p --seeds 3 --seed 11 --eta 2 \
				--no-save --json $s >"$_o/replay-$s-$p-s11.json"
		done
	done
	# Every policy in one run, against random search, as text and CSV.
	_all=$(echo $GOLDEN_POLICIES | tr ' ' ,)
	rung replay --policy "$_all" --baseline random --seeds 3 --no-save noisy \
		>"$_o/replay-noisy-all.txt"
	rung replay --policy "$_all" --seeds 2 --no-save --csv syn \
		>"$_o/replay-syn-all.csv"
	# The knobs that change a policy's course.
	rung replay --policy asha,hyperband,sha --workers 4 --seeds 3 --no-save \
		--json noisy >"$_o/replay-noisy-workers.json"
	rung replay --policy asha --variant promote --seeds 3 --no-save --json \
		noisy >"$_o/replay-noisy-promote.json"
	for r in ray syne optuna determined; do
		rung replay --policy asha --rule $r --min-steps 2 --seeds 3 \
			--no-save --json syn >"$_o/replay-syn-rule-$r.json"
	done
	rung replay --policy random,asha,hyperband --sampler tpe --seeds 2 \
		--no-save --json noisy >"$_o/replay-noisy-tpe.json"
	rung replay --policy hyperband,swift-hyperband --no-resume --max-steps 27 \
		--seeds 2 --no-save --json syn >"$_o/replay-syn-noresume.json"
	rung replay --policy random,asha,baker --budget 2000 --configs 40 \
		--seeds 2 --no-save --json noisy >"$_o/replay-noisy-budget.json"
	rung replay --policy baker,asha-svr --min-curves 8 --keep-full 0.3 \
		--known-curve 0.4 --delta 0.9 --seeds 2 --no-save --json noisy \
		>"$_o/replay-noisy-pred.json"
	# A kept replay, listed and printed again (no dates in these).
	rung replay --policy asha,hyperband --seeds 2 mq >"$_o/replay-kept.txt" 2>&1
	rung replays --show 1 >"$_o/replays-show-1.txt"

	# Fits and predictions.
	rung fit --json --prefix 5 mq >"$_o/fit-mq-5.json"
	rung fit --prefix 3,8 --features baker --repeats 3 mq >"$_o/fit-mq-baker.txt"
	rung fit --json --sweep --folds 3 syn >"$_o/fit-syn-sweep.json"
	rung fit --json --prefix 10 --search random:6 --folds 3 noisy \
		>"$_o/fit-noisy-search.json"
	rung fit --json --prefix 12 --svr eps-svr --C 2 --epsilon 0.01 \
		--gamma 0.5 noisy >"$_o/fit-noisy-eps.json"
	rung fit --prefix 8 --save m8 noisy >"$_o/fit-noisy-save.txt" 2>&1
	rung predict --json --model m8 noisy >"$_o/predict-noisy.json"

	# Plots, as the gnuplot scripts and data rung writes (no gnuplot
	# needed to make them, and no version of it in the bytes).
	( cd "$_o" &&
	rung plot --script plot-curves -o curves.txt --top 5 curves mq &&
	rung plot --script plot-pred -o pred.txt --prefix 5 predictions mq &&
	rung plot --script plot-sweep -o sweep.txt sweep mq &&
	rung plot --script plot-replay -o replay.txt --policy hyperband,asha \
		--seeds 2 replay noisy &&
	rung plot --script plot-kept -o kept.txt --replay 1 replay mq &&
	rung plot --script plot-brackets -o brackets.txt --policy hyperband \
		brackets syn &&
	rm -f curves.txt pred.txt sweep.txt replay.txt kept.txt brackets.txt
	) >/dev/null 2>&1 || echo "a plot failed" >>"$_o/errors"
}

# golden_screen NAME PATTERN: once the explorer's screen shows PATTERN and
# holds still (two captures a third of a second apart agree), it goes into
# $_o/screen-NAME.txt.
golden_screen() {
	wait_for "$2" || return 1
	_n=60
	while [ "$_n" -gt 0 ]; do
		sleep 0.3
		screen >screen2.txt 2>/dev/null || true
		if cmp -s screen.txt screen2.txt; then
			cp screen.txt "$_o/screen-$1.txt"
			return 0
		fi
		mv screen2.txt screen.txt
		_n=$((_n - 1))
	done
	echo "the screen never held still for $1"
	return 1
}

# golden_screens DIR: the explorer's screens, driven in tmux (lib.sh's
# tmux_server and tui_env must have run), into DIR.
golden_screens() {
	_o=$1
	mkdir -p "$_o"
	tm new-session -d -s t -x 110 -y 32 "ENV=$TRASH/env.sh sh -i" &&
	wait_for "tui-test" &&
	tm send-keys -t t "\"\$RUNG\" tui mq" Enter &&
	golden_screen trials "row 1/200" &&
	tm send-keys -t t s s s &&
	golden_screen trials-sorted "sort best" &&
	tm send-keys -t t Enter &&
	golden_screen detail "STEP +acc" &&
	tm send-keys -t t q 1 &&
	golden_screen studies "noisy" &&
	tm send-keys -t t 3 &&
	golden_screen fit "tau reaches" &&
	tm send-keys -t t 4 &&
	golden_screen replay "asha" &&
	tm send-keys -t t 6 &&
	golden_screen launch "aunch" &&
	tm send-keys -t t "?" &&
	golden_screen help "quit at once" &&
	tm send-keys -t t Q
}
