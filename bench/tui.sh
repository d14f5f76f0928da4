#!/bin/sh
# make bench: the explorer on a generated study of 100,000 trials x 100
# steps. rung tui --bench-keys times, inside the binary, the first frame
# (from the start of the process) and the redraw after each of 1000 keys;
# it runs without a terminal (drawn into /dev/null) and, with tmux, in a
# real terminal emulator. The peer is rung trials listing the same study:
# the same load, then the first 40 rows, or all of them.
#
# Targets: the first frame under 1 s, a keypress redraw under 16 ms
# (median over the keys).
set -eu
: "${RUNG:?}" "${GENSTUDY:?}"
trials=${BENCH_TUI_TRIALS:-100000}
steps=${BENCH_TUI_STEPS:-100}
nkeys=${BENCH_TUI_KEYS:-1000}
runs=${BENCH_TUI_RUNS:-3}

work=$(mktemp -d "${TMPDIR:-/tmp}/rung-bench-tui.XXXXXX")
cleanup() {
	command -v tmux >/dev/null 2>&1 &&
		tmux -S "$work/tmux.sock" kill-server >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

now() { date +%s.%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }

echo "tui bench: $trials trials x $steps steps (genstudy), $nkeys keys, best of $runs runs"
"$GENSTUDY" "$trials" "$steps" >"$work/big.csv"
t0=$(now)
"$RUNG" -q -d "$work/big.db" import -s big "$work/big.csv"
t1=$(now)
rm -f "$work/big.csv"
echo "  (set-up: import in $(ms "$t0" "$t1") ms, not measured below)"

# The best of the runs: the machine is shared, the minimum is the signal.
best_of() {
	sort -n | head -n 1
}

: >"$work/first"
: >"$work/median"
i=0
while [ "$i" -lt "$runs" ]; do
	LINES=40 COLUMNS=120 "$RUNG" -d "$work/big.db" tui \
		--bench-keys "$nkeys" big </dev/null >/dev/null 2>"$work/r$i"
	sed -n 's/^first frame *\([0-9.]*\) ms after exec.*/\1/p' "$work/r$i" \
		>>"$work/first"
	sed -n 's/^redraw per key *median \([0-9.]*\) ms.*/\1/p' "$work/r$i" \
		>>"$work/median"
	i=$((i + 1))
done
first=$(best_of <"$work/first")
median=$(best_of <"$work/median")
echo
echo "rung tui --bench-keys, no terminal (120x40 drawn into /dev/null):"
sed 's/^/  /' "$work/r0" | sed -n '3,$p'
echo "  best of $runs: first frame $first ms, median redraw $median ms"

tfirst=
if command -v tmux >/dev/null 2>&1; then
	tmux -S "$work/tmux.sock" -f /dev/null new-session -d -x 120 -y 40 \
		"LC_ALL=C.UTF-8 '$RUNG' -d '$work/big.db' tui --bench-keys $nkeys big 2>'$work/tmux'; touch '$work/tmux.done'"
	n=0
	while [ ! -f "$work/tmux.done" ] && [ "$n" -lt 1200 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	if [ -s "$work/tmux" ]; then
		echo
		echo "rung tui --bench-keys in tmux, 120x40, UTF-8 (a terminal emulator parses every frame):"
		sed -n '3,$p' "$work/tmux" | sed 's/^/  /'
		tfirst=$(sed -n 's/^first frame *\([0-9.]*\) ms after exec.*/\1/p' "$work/tmux")
	fi
fi

# The peer: rung trials on the same study.
t0=$(now)
"$RUNG" -d "$work/big.db" trials --sort best --top 40 big >/dev/null
t1=$(now)
"$RUNG" -d "$work/big.db" trials --sort best big >/dev/null
t2=$(now)
echo
printf '%-56s %10s\n' "" "ms"
printf '%-56s %10s\n' "rung tui: first frame, best of $runs (no terminal)" "$first"
[ -n "$tfirst" ] && printf '%-56s %10s\n' "rung tui: first frame in tmux" "$tfirst"
printf '%-56s %10s\n' "rung trials --sort best --top 40 (load, sort, 40 rows)" "$(ms "$t0" "$t1")"
printf '%-56s %10s\n' "rung trials --sort best (load, sort, $trials rows)" "$(ms "$t1" "$t2")"
printf '%-56s %10s\n' "rung tui: median redraw after a key" "$median"
awk -v f="$first" -v m="$median" 'BEGIN {
	printf "targets: first frame < 1000 ms: %s; median redraw < 16 ms: %s\n",
	    f < 1000 ? "met" : "MISSED", m < 16 ? "met" : "MISSED" }'
