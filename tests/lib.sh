# Shell test library, in the spirit of git's test-lib.sh: each test script
# sources it, runs test_expect_success blocks, and ends with test_done. The
# output is TAP. Every script works in its own scratch directory with its
# own database.

: "${RUNG:?run the tests through make check}"
: "${RUNG_SRCDIR:?}" "${RUNG_BUILDDIR:?}"
RUNG_TESTDATA=${RUNG_TESTDATA:-$RUNG_SRCDIR/tests/data}
SHARED_DATA=${RUNG_SHARED_DATA:-$RUNG_SRCDIR/../shared/data}
export RUNG RUNG_SRCDIR RUNG_BUILDDIR RUNG_TESTDATA SHARED_DATA

test_name=$(basename "$0" .sh)
TRASH=$RUNG_BUILDDIR/tests/trash.$test_name
rm -rf "$TRASH"
mkdir -p "$TRASH"
cd "$TRASH" || exit 1
RUNG_DB=$TRASH/rung.db
export RUNG_DB
unset RUNG_QUIET
LC_ALL=C.UTF-8
export LC_ALL

test_count=0
test_failed=0

rung() {
	"$RUNG" "$@"
}

# test_expect_success DESCRIPTION SCRIPT
test_expect_success() {
	test_count=$((test_count + 1))
	if (set -e; eval "$2") >"$TRASH/.out" 2>&1; then
		echo "ok $test_count - $1"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		sed 's/^/#   /' "$TRASH/.out" | tail -n 40
	fi
}

# test_skip DESCRIPTION REASON
test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $1 # SKIP $2"
}

test_done() {
	echo "1..$test_count"
	[ "$test_failed" -eq 0 ]
}

# sq SQL: a query of the test's database, as sqlite3 prints it.
sq() {
	sqlite3 "$RUNG_DB" "$1"
}

# $CURVE_N: the points of curves row c, those of its tail (curve_tail,
# schema 9) too: while its run goes on, a trial's points after its first
# are rows of curve_tail, folded into c when the run ends.
CURVE_N="(c.n + (select count(*) from curve_tail ct where ct.trial_id = c.trial_id and ct.metric_id = c.metric_id))"

# wait_sql SQL SECONDS: until the query prints something other than 0.
wait_sql() {
	_n=$(($2 * 10))
	while [ "$_n" -gt 0 ]; do
		r=$(sq "$1" 2>/dev/null || echo 0)
		[ -n "$r" ] && [ "$r" != 0 ] && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	echo "timed out waiting for: $1"
	return 1
}

# db_points STUDY [METRIC]: "trial step value" of every recorded point of
# STUDY (of METRIC only, when given), the value to 6 decimals, sorted.
db_points() {
	/usr/bin/python3 - "$RUNG_DB" "$1" "${2-}" <<-\PY
	import sqlite3, struct, sys
	db = sqlite3.connect(sys.argv[1])
	rows = db.execute("select t.ext_id, c.n, c.first_step, c.steps, c.vals"
	    " from curves c join trials t on t.id = c.trial_id"
	    " join studies s on s.id = t.study_id join metrics m"
	    " on m.id = c.metric_id where s.name = ?1 and (?2 = '' or"
	    " m.name = ?2)", (sys.argv[2], sys.argv[3]))
	out = []
	for ext, n, first, steps, vals in rows:
	    st = struct.unpack("<%di" % n, steps) if steps else range(first, first + n)
	    for s, v in zip(st, struct.unpack("<%dd" % n, vals)):
	        out.append("%s %d %.6f" % (ext, s, v))
	# A running trial's points after its first: the tail (schema 9).
	for ext, s, v in db.execute("select t.ext_id, ct.step, ct.value"
	    " from curve_tail ct join trials t on t.id = ct.trial_id"
	    " join studies s on s.id = t.study_id join metrics m"
	    " on m.id = ct.metric_id where s.name = ?1 and (?2 = '' or"
	    " m.name = ?2)", (sys.argv[2], sys.argv[3])):
	    out.append("%s %d %.6f" % (ext, s, float("nan") if v is None else v))
	print("\n".join(sorted(out)))
	PY
}

# summary_bad: the curves rows whose summary (schema 10: n, last_step, lo,
# hi, final) is not what their points give, one a line; nothing when all are.
summary_bad() {
	/usr/bin/python3 - "$RUNG_DB" <<-\PY
	import math, sqlite3, struct, sys
	db = sqlite3.connect(sys.argv[1])
	for cid, n, first, last, steps, vals, lo, hi, final in db.execute(
	    "select id, n, first_step, last_step, steps, vals, lo, hi, final"
	    " from curves"):
	    st = struct.unpack("<%di" % n, steps) if steps else range(first, first + n)
	    v = struct.unpack("<%dd" % n, vals)
	    fin = [x for x in v if math.isfinite(x)]
	    want = (len(v), st[-1] if n else None, min(fin) if fin else None,
	        max(fin) if fin else None,
	        None if not n or math.isnan(v[-1]) else v[-1])
	    if (n, last if n else None, lo, hi, final) != want:
	        print(cid, (n, last, lo, hi, final), "!=", want)
	PY
}

# rung_asan: whether $RUNG is built with AddressSanitizer, whose shadow
# memory no ulimit -v leaves room for and which runs several times slower.
rung_asan() {
	nm "$RUNG" 2>/dev/null | grep -q __asan_init ||
	    ldd "$RUNG" 2>/dev/null | grep -q libasan
}

# launch_env: the environment of the tests that launch trials. Open MPI as
# CI runs it: as root, oversubscribed, shared memory without CMA; and no
# GPU inherited from the caller.
launch_env() {
	OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
	OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_pml=ob1
	OMPI_MCA_btl=self,vader,tcp
	OMPI_MCA_btl_vader_single_copy_mechanism=none
	export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM \
		OMPI_MCA_rmaps_base_oversubscribe OMPI_MCA_pml OMPI_MCA_btl \
		OMPI_MCA_btl_vader_single_copy_mechanism
	unset CUDA_VISIBLE_DEVICES ROCR_VISIBLE_DEVICES ZE_AFFINITY_MASK \
		HABANA_VISIBLE_MODULES
}

# sleeper_init: $SLEEPER, a copy of sleep under a name no other process
# has, for trials' processes to be counted (sleepers) and killed when the
# script ends.
sleeper_init() {
	SLEEPER=$TRASH/zz-rung-$test_name-sleeper
	cp "$(command -v sleep)" "$SLEEPER"
	trap sleeper_cleanup EXIT INT TERM
}
sleepers() {
	pgrep -f "$SLEEPER" | wc -l
}
sleeper_cleanup() {
	for _p in $(pgrep -f "$SLEEPER"); do
		kill -9 "$_p" 2>/dev/null
	done
}

# The explorer in tmux. tmux_server gives the script its own server, its
# socket in the scratch directory ($sock), killed when the script ends; tm
# runs tmux there.
tmux_server() {
	sock=$TRASH/tmux.sock
	trap 'tm kill-server >/dev/null 2>&1' EXIT INT TERM
}

# tui_env [LINE...]: env.sh, read through ENV by the interactive sh in which
# a test runs the explorer: a home, state and database of the test's own, a
# UTF-8 locale, the lines given, and a prompt to wait for.
tui_env() {
	mkdir -p "$TRASH/state"
	{
		echo "HOME='$TRASH' XDG_STATE_HOME='$TRASH/state' LC_ALL=C.UTF-8 RUNG_DB='$RUNG_DB'"
		echo "export HOME XDG_STATE_HOME LC_ALL RUNG_DB"
		for _l in "$@"; do
			echo "$_l"
		done
		echo "PS1='tui-test\$ '"
	} >"$TRASH/env.sh"
}

tm() {
	tmux -S "$sock" -f /dev/null "$@"
}

# screen: what the pane of session $tui_session (else t) shows.
screen() {
	tm capture-pane -p -t "${tui_session:-t}"
}

# wait_gone PATTERN: the screen stops showing PATTERN.
wait_gone() {
	_n=300
	while [ "$_n" -gt 0 ]; do
		screen >screen.txt 2>/dev/null || true
		grep -E -q -- "$1" screen.txt || return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	echo "the screen still shows '$1':"
	cat screen.txt
	return 1
}

# wait_for PATTERN [SECONDS]: the screen shows PATTERN (grep -E) in time
# (30 s, or $TUI_WAIT); it is then in screen.txt.
wait_for() {
	_n=$(( ${2:-${TUI_WAIT:-30}} * 10 ))
	while [ "$_n" -gt 0 ]; do
		screen >screen.txt 2>/dev/null || true
		grep -E -q -- "$1" screen.txt && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	echo "the screen never showed '$1'; it shows:"
	cat screen.txt
	return 1
}

# Helpers for assertions inside test scripts.

# expect_fail STATUS CMD...: CMD exits with STATUS; its stderr is in err.
expect_fail() {
	_ef_want=$1
	shift
	set +e
	"$@" >out 2>err
	_ef_got=$?
	set -e
	if [ "$_ef_got" -ne "$_ef_want" ]; then
		echo "expected exit status $_ef_want, got $_ef_got from: $*"
		cat err
		return 1
	fi
}

# grep_err PATTERN: stderr of the last expect_fail matches PATTERN.
grep_err() {
	if ! grep -q -- "$1" err; then
		echo "stderr does not match '$1':"
		cat err
		return 1
	fi
}

# db_digest: a dump of every table, to prove a database did not change.
db_digest() {
	sqlite3 "$RUNG_DB" .dump | md5sum
}

# json EXPR FILE: evaluate a Python expression on the JSON in FILE (as j);
# a list or tuple prints as its items separated by spaces.
json() {
	/usr/bin/python3 -c '
import json, sys
j = json.load(open(sys.argv[2]))
x = eval(sys.argv[1])
print(" ".join(map(str, x)) if isinstance(x, (list, tuple)) else x)
' "$1" "$2"
}
