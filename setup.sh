#!/bin/sh
# Set up rung on a Debian 12 machine and run it, or its test suite.
#
#   ./setup.sh run     install what is missing, build, run the main job:
#                      import the bundled study and, on a terminal, open
#                      the explorer on it; in a pipe, list it, fit a
#                      sweep and replay the HPO policies on it
#   ./setup.sh check   install what is missing, build, run every test
#
# Root runs apt-get itself; anyone else goes through sudo.
set -eu

cd "$(dirname "$0")"
what=${1:-run}

packages="build-essential autoconf automake pkg-config libncurses-dev
libreadline-dev libsqlite3-dev libsvm-dev libjson-c-dev libcsv-dev zlib1g-dev
gnuplot-nox openmpi-bin mandoc tmux sqlite3 python3-sklearn python3-optuna
libyaml-dev libprotobuf-c-dev protobuf-c-compiler python3-protobuf python3-crc32c
python3-torch protobuf-compiler python3-yaml slurm-wlm munge mpich"

missing=
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing$missing"
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -q
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing
fi

[ -x configure ] && [ configure -nt configure.ac ] && [ Makefile.in -nt Makefile.am ] ||
	autoreconf -fi
[ -f Makefile ] && [ Makefile -nt configure ] || ./configure -q
jobs=$(nproc 2>/dev/null || echo 2)
make -s -j"$jobs"

case "$what" in
run)
	db=${RUNG_DB:-demo.db}
	rm -f "$db" "$db-wal" "$db-shm"
	./rung -d "$db" import -s metaqnn_cifar10 --direction max \
		share/rung/metaqnn_cifar10.csv
	# On a terminal, the explorer; in a pipe or a log, the listings.
	if [ -t 0 ] && [ -t 1 ]; then
		exec ./rung -d "$db" tui metaqnn_cifar10
	fi
	./rung -d "$db" studies
	./rung -d "$db" trials --sort best --top 20 metaqnn_cifar10
	echo
	echo "How early can the final accuracy be predicted? (rung fit --sweep)"
	./rung -d "$db" fit --sweep --repeats 3 metaqnn_cifar10
	echo
	echo "What would each HPO policy have cost and found? (rung replay)"
	./rung -d "$db" replay --policy random,hyperband,asha,swift-hyperband,asha-svr \
		--eta 2 --seeds 10 metaqnn_cifar10
	;;
check)
	rc=0
	make -s -j"$jobs" check || rc=$?
	# The same tests again, built with AddressSanitizer, UBSan and LSan
	# (./configure --enable-asan) in a copy of the tree: this one is
	# configured in place, which rules out a build folder of its own.
	# RUNG_NO_ASAN=1 leaves them out.
	asan=
	if [ -z "${RUNG_NO_ASAN:-}" ]; then
		echo "setup: the test suite again, sanitized, in build-asan/"
		asan=build-asan/tests
		rm -rf build-asan
		mkdir build-asan
		tar -cf - --exclude=./build-asan --exclude=./.git \
		    --exclude=./fuzz/build --exclude='./tests/trash.*' \
		    --exclude='./rung-*' . | tar -xf - -C build-asan
		# The data sets next to this tree, not next to the copy.
		RUNG_SHARED_DATA=${RUNG_SHARED_DATA:-$(pwd)/../shared/data}
		export RUNG_SHARED_DATA
		(cd build-asan && { make -s distclean >/dev/null 2>&1 || :; } &&
		    ./configure -q --enable-asan && make -s -j"$jobs" &&
		    make -s -j"$jobs" check) || rc=$?
		# A build that failed before any test counts as one failure.
		if ! ls build-asan/tests/*.trs >/dev/null 2>&1; then
			mkdir -p build-asan/tests
			echo ":test-result: FAIL" >build-asan/tests/build.trs
		fi
	fi
	sh tests/summary.sh tests $asan
	exit $rc
	;;
*)
	echo "usage: ./setup.sh run|check" >&2
	exit 2
	;;
esac
