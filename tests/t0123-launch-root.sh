#!/bin/sh
# Runs that fail before any report say why: the lines of the log that name
# the error, not its last line (a trainer whose error is followed by its
# usage, a Python traceback, Open MPI's notice of a run as root); and the
# README's launch example through Open MPI's mpirun as root, without
# OMPI_ALLOW_RUN_AS_ROOT*: rung passes them (and says so) unless the user
# set them.
. "$RUNG_SRCDIR/tests/lib.sh"

launch_env
unset OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM

ex=$RUNG_SRCDIR/share/rung/examples
printf 'x uniform 0 1\n' >s.space

# usage.sh: an error, then lines that do not say what went wrong.
cat >usage.sh <<\EOF
#!/bin/sh
echo "usage.sh: error: cannot read --data /nonexistent: no such file" >&2
echo "usage: usage.sh [--data DIR] [--lr LR]" >&2
echo "  --data DIR   where the digits are" >&2
echo "  --lr LR      the learning rate" >&2
exit 2
EOF
# tb.py: a Python traceback, with an unrelated error word above it.
cat >tb.py <<\EOF
#!/usr/bin/python3
import sys
print("loading the data (no error so far)", file=sys.stderr)
def load(path):
    return open(path).read()
load("/nonexistent/data.npz")
EOF
chmod +x usage.sh tb.py

test_expect_success 'a trainer whose error is not its last line: the error quoted' '
	expect_fail 1 rung launch --space s.space --policy random --configs 4 \
		--max-steps 2 --launcher direct --gpus none --json usage -- ./usage.sh &&
	grep_err "launch: trial 0 failed at step 0: exit status 2: usage.sh: error: cannot read --data /nonexistent: no such file (log: " &&
	grep_err "the first 3 runs failed before any report (.*/usage/2.log says: usage.sh: error: cannot read --data /nonexistent: no such file): is the command right?" &&
	rung show usage 0 >show.out &&
	grep -q "failed at step 0: exit status 2: usage.sh: error: cannot read" show.out
'

test_expect_success 'a Python traceback: its exception quoted' '
	expect_fail 1 rung launch --space s.space --policy random --configs 4 \
		--max-steps 2 --launcher direct --gpus none tb -- ./tb.py &&
	grep_err "launch: trial 0 failed at step 0: exit status 1: FileNotFoundError: \[Errno 2\] No such file or directory: .\/nonexistent\/data.npz. (log: "
'

if ! command -v mpirun >/dev/null 2>&1 ||
    ! mpirun --version 2>&1 | grep -q "Open MPI"; then
	test_skip "Open MPI as root" "Open MPI's mpirun (openmpi-bin) is not installed"
elif [ "$(id -u)" != 0 ]; then
	test_skip "Open MPI as root" "not root"
else

test_expect_success 'refused as root because the user said so: Open MPI'"'"'s notice quoted' '
	expect_fail 1 env OMPI_ALLOW_RUN_AS_ROOT= "$RUNG" launch --space s.space \
		--policy random --configs 4 --max-steps 2 --launcher mpirun --gpus none \
		refused -- ./usage.sh &&
	! grep_err "running as root: the trials get" &&
	grep_err "launch: trial 0 failed at step 0: exit status 1: mpirun has detected an attempt to run as root" &&
	grep_err "says: mpirun has detected an attempt to run as root.*): is the command right?" &&
	! grep -q "^\[rung\] as root" rung-logs/refused/0.log
'

if /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
test_expect_success 'the README'"'"'s launch example as root, without OMPI_ALLOW_RUN_AS_ROOT' '
	test -z "${OMPI_ALLOW_RUN_AS_ROOT+set}${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM+set}" &&
	rung launch digits --space "$ex/digits.space" --policy asha --configs 6 \
		--max-steps 3 --workers 2 --metric val_loss --json -- "$ex/digits.py" \
		>digits.json 2>digits.err &&
	cat digits.err &&
	grep -q "launch: running as root: the trials get OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1" digits.err &&
	test "$(json "j[\"status\"], len(j[\"trials\"])" digits.json)" = "done 6" &&
	test "$(json "sorted(set(t[\"status\"] for t in j[\"trials\"])) <= [\"complete\", \"stopped\"]" digits.json)" = True &&
	grep -q "mpirun --bind-to none -np 1 " rung-logs/digits/0.log &&
	grep -q "^\[rung\] as root: OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 for Open MPI.s mpirun\$" rung-logs/digits/0.log
'
else
	test_skip "the README's launch example as root" "python3-sklearn is not installed"
fi

fi

test_done
