# Helpers of the benchmark scripts: run a command under bench/peak and read
# back its seconds and peak memory. The script sets $work and $PEAK.

# measure NAME CMD...: run CMD under peak, keep "seconds kib" in $work/NAME.
measure() {
	name=$1
	shift
	"$PEAK" "$@" >/dev/null 2>"$work/$name.err" || {
		echo "bench: $name failed:" >&2
		cat "$work/$name.err" >&2
		exit 1
	}
	tail -n 1 "$work/$name.err" >"$work/$name"
}
secs() { cut -d' ' -f1 "$work/$1"; }
kib() { cut -d' ' -f2 "$work/$1"; }
# ratio A B: A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
