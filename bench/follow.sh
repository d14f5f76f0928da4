#!/bin/sh
# rung import --follow on a growing Optuna journal (issue 19): a real
# Optuna study (300 trials of 20 reports, Debian 12's python3-optuna) is
# written once; its journal is then replayed into a file in 20 growing
# pieces while rung follows it, and the follower's CPU time (utime +
# stime) per point is set beside that of Optuna itself following the
# same pieces: one JournalStorage kept open, reading the trials after
# each piece (it replays only the new lines), in the same run.
set -eu
: "${RUNG:?}"
pieces=${BENCH_FOLLOW_PIECES:-20}
work=$(mktemp -d "${TMPDIR:-/tmp}/rung-bench-follow.XXXXXX")
trap 'kill "$fpid" 2>/dev/null; rm -rf "$work"' EXIT INT TERM
fpid=

/usr/bin/python3 - "$work/full.journal" <<'PY'
import sys, warnings, optuna
warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.WARNING)
s = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1]))
study = optuna.create_study(study_name="b", storage=s,
                            sampler=optuna.samplers.RandomSampler(seed=1))
def obj(t):
    x = t.suggest_float("x", -3, 3)
    for i in range(1, 21):
        t.report(x * x + 1.0 / i, i)
    return x * x
study.optimize(obj, n_trials=300)
PY
lines=$(wc -l <"$work/full.journal")
points=$((300 * 21))

# The follower, fed piece by piece; caught up when its points are all in.
: >"$work/live.journal"
"$RUNG" -q -d "$work/f.db" import -s b --follow --interval 0.05 \
	"$work/live.journal" 2>/dev/null &
fpid=$!
per=$(( (lines + pieces - 1) / pieces ))
i=0
while [ "$i" -lt "$pieces" ]; do
	sed -n "$((i * per + 1)),$(((i + 1) * per))p" "$work/full.journal" \
		>>"$work/live.journal"
	sleep 0.3
	i=$((i + 1))
done
n=0
while [ "$n" -lt 100 ]; do
	got=$(sqlite3 "$work/f.db" "select coalesce(sum(n), 0) from curves" \
		2>/dev/null || echo 0)
	[ "$got" -ge "$points" ] && break
	sleep 0.1
	n=$((n + 1))
done
ticks=$(awk '{ print $14 + $15 }' "/proc/$fpid/stat")
hz=$(getconf CLK_TCK)
kill -TERM "$fpid"
wait "$fpid" || true
fpid=
rung_s=$(awk -v t="$ticks" -v h="$hz" 'BEGIN { printf "%.3f", t / h }')

peer_s=$(/usr/bin/python3 - "$work/full.journal" "$pieces" <<'PY'
import os, sys, time, warnings, optuna
warnings.simplefilter("ignore")
optuna.logging.set_verbosity(optuna.logging.WARNING)
full = open(sys.argv[1]).readlines()
pieces = int(sys.argv[2])
path = sys.argv[1] + ".peer"
open(path, "w").close()
storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(path))
per = (len(full) + pieces - 1) // pieces
cpu = 0.0
for i in range(pieces):
    with open(path, "a") as f:
        f.writelines(full[i * per:(i + 1) * per])
    t0 = time.process_time()
    for s in storage.get_all_studies():
        trials = storage.get_all_trials(s._study_id, deepcopy=False)
        sum(len(t.intermediate_values) for t in trials)
    cpu += time.process_time() - t0
print("%.3f" % cpu)
PY
)
echo "follow a growing Optuna journal: 300 trials, $points points, $pieces pieces"
echo "  rung import --follow   $rung_s s CPU, $(awk -v s="$rung_s" -v p="$points" 'BEGIN { printf "%.1f", s / p * 1e6 }') us a point (every increment one transaction)"
echo "  Optuna's JournalStorage $peer_s s CPU, $(awk -v s="$peer_s" -v p="$points" 'BEGIN { printf "%.1f", s / p * 1e6 }') us a point (reading the new lines)"
echo "  => rung $(awk -v a="$rung_s" -v b="$peer_s" 'BEGIN { printf "%.2f", a / b }')x Optuna's CPU"
