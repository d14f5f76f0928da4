#!/bin/sh
# A trial's processes are the trial's, whatever they do: a daemon that a
# trainer starts in a new session (setsid) or double-forked with a cleared
# environment (env -i) is killed when its trial ends, and nothing of it
# outlives the campaign: through a cgroup where the system gives rung one,
# else as an orphan that comes back to rung (a child subreaper); directly and
# through the real mpirun.
. "$RUNG_SRCDIR/tests/lib.sh"

launch_env

# The daemons are a copy of sleep under a name no other process has.
sleeper_init

# tr.sh [hang]: counts the sleepers at its start, starts two daemons that
# escape its session (one with its environment cleared and its parent gone
# at once), reports its one step and ends (or, hang, sleeps on).
cat >tr.sh <<EOF
#!/bin/sh
echo "trial \$RUNG_TRIAL_ID: \$(pgrep -f '$SLEEPER' | wc -l)" >>seen.txt
setsid sh -c 'exec "$SLEEPER" 300' </dev/null >/dev/null 2>&1 &
env -i setsid /bin/sh -c '"$SLEEPER" 301 </dev/null >/dev/null 2>&1 & exit 0' \
	</dev/null >/dev/null 2>&1 &
sleep 0.3
s=\$((RUNG_RESUME_STEP + 1))
echo "rung: {\"step\": \$s, \"loss\": 0.5}"
[ "\$1" = hang ] && [ "\$s" = 1 ] && exec sleep 300
exit 0
EOF
chmod +x tr.sh
printf 'x uniform 0 1\n' >s.space
mpirun=$(command -v mpirun || :)

# Whether this system gives rung a cgroup v2 of its own to make trials' in.
cgroup=
rel=$(sed -n 's/^0:://p' /proc/self/cgroup 2>/dev/null)
mnt=$(awk '$0 ~ / - cgroup2 / && $4 == "/" { print $5; exit }' /proc/self/mountinfo)
if [ -n "$rel" ] && [ -n "$mnt" ] && [ -w "$mnt${rel%/}/cgroup.procs" ] &&
   mkdir "$mnt${rel%/}/rung-t0145-probe" 2>/dev/null; then
	rmdir "$mnt${rel%/}/rung-t0145-probe"
	cgroup=$mnt${rel%/}
fi

# Without one: /sys/fs/cgroup hidden under a tmpfs, in a mount namespace.
nocg=
if unshare -m sh -c 'mount -t tmpfs none /sys/fs/cgroup' 2>/dev/null; then
	nocg=1
fi

# campaign MODE LAUNCHER WORKERS STUDY: two trials of tr.sh.
campaign() {
	rm -f seen.txt
	_pre=
	[ "$1" = cgroup ] || _pre='mount -t tmpfs none /sys/fs/cgroup &&'
	unshare -m sh -c "$_pre"' "$RUNG" launch --space s.space \
		--policy random --max-steps 1 --configs 2 --workers "$1" \
		--launcher "$2" --gpus none --grace 0.5 --logs "logs-$3" \
		--json "$3" -- ./tr.sh' sh "$3" "$2" "$4" >out 2>err
}

# campaign_cg: the campaign's cgroup, as its note in err says (other
# campaigns may run beside it).
campaign_cg() {
	sed -n "s/.*a trial.s processes: those of its cgroup (in \(.*\))$/\1/p" err
}

check() {
	cat err
	test "$(json 'sum(t["status"] == "complete" for t in j["trials"])' out)" = 2 &&
	test "$(sleepers)" = 0 || { echo "daemons left:"; pgrep -af "$SLEEPER"; false; }
}

for launcher in direct mpirun; do
	if [ $launcher = mpirun ] && [ -z "$mpirun" ]; then
		test_skip "through mpirun" "mpirun is not installed"
		continue
	fi
	if [ -n "$cgroup" ]; then
		test_expect_success "cgroup, $launcher: a trial's daemons end with it" '
			campaign cgroup $launcher 1 cg-$launcher && check &&
			grep -q "a trial.s processes: those of its cgroup (in $cgroup/rung-" err &&
			grep -q "^trial 1: 0$" seen.txt &&
			cg=$(campaign_cg) && test -n "$cg" && test ! -e "$cg"
		'
	else
		test_skip "cgroup, $launcher: a trial's daemons end with it" \
			"no writable cgroup v2 here"
	fi
	if [ -n "$nocg" ]; then
		test_expect_success "no cgroup, $launcher: the orphans that come back to rung are killed" '
			campaign nocg $launcher 1 nocg-$launcher && check &&
			grep -q "a trial.s processes: its session, RUNG_TRIAL_KEY and rung.s orphans (no cgroup: " err &&
			grep -q "^trial 1: 0$" seen.txt
		'
		test_expect_success "no cgroup, $launcher, two at a time: none outlives the campaign" '
			campaign nocg $launcher 2 nocg2-$launcher && check
		'
	else
		test_skip "no cgroup, $launcher: the orphans are killed" \
			"cannot mount a tmpfs in a mount namespace (unshare -m)"
	fi
done

# rung killed: --resume finds the run's cgroup by its key and empties it.
if [ -n "$cgroup" ]; then
	test_expect_success 'cgroup: rung killed, --resume kills what its run left' '
		rm -f seen.txt
		"$RUNG" launch --space s.space --policy random --max-steps 2 \
			--configs 1 --launcher direct --gpus none --logs logs-r \
			res -- ./tr.sh hang >out 2>err &
		pid=$!
		n=0
		while ! grep -q "step 1, loss" err && [ $n -lt 600 ]; do
			sleep 0.1
			n=$((n + 1))
		done
		grep -q "step 1, loss" err
		{ kill -9 $pid; wait $pid; } || :
		test "$(sleepers)" = 2
		cg=$(campaign_cg)
		ls -d "$cg"/* >cgs
		test "$(wc -l <cgs)" = 1
		"$RUNG" launch --resume --launcher direct --step-timeout 20 \
			--json res >out 2>err
		cat err
		grep -q "trial 0: 2 processes of the previous run killed" err
		test "$(json "j[\"trials\"][0][\"status\"]" out)" = complete
		test "$(sleepers)" = 0
		test ! -d "$(cat cgs)"
		test ! -e "$cg"
	'
fi

test_done
