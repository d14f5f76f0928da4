#!/bin/sh
# Build rung's libFuzzer targets (fuzz/fuzz-*.c) with clang and
# -fsanitize=fuzzer,address,undefined, then run each for FUZZ_SECONDS.
# `make fuzz` calls it with librung's sources and flags; fuzz/README says
# more.
#
#   make fuzz                                   build all, run each 60 s
#   make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS='json raytune'
#   make fuzz FUZZ_SECONDS=0                    build only
#
# Environment (make sets the first six):
#   FUZZ_SRCDIR     the source tree
#   FUZZ_BUILDDIR   the build tree (config.h); work goes to its fuzz/ folder
#   FUZZ_SOURCES    librung's sources, relative to FUZZ_SRCDIR
#   FUZZ_GENERATED  librung's generated sources (protoc-c's), relative to
#                   FUZZ_BUILDDIR
#   FUZZ_CPPFLAGS   preprocessor flags (-I, pkg-config's cflags)
#   FUZZ_LIBS       libraries (sqlite3, json-c, zlib, csv, svm, ncurses...)
#   FUZZ_PKGDATADIR where rung's data is installed
#   FUZZ_CC         the compiler (clang, else clang-14)
#   FUZZ_SECONDS    seconds per target (60); 0 builds only
#   FUZZ_TARGETS    names without fuzz- (every fuzz/fuzz-*.c)
#   FUZZ_JOBS       targets fuzzed at once (1)
#   FUZZ_FLAGS      more libFuzzer flags (-max_len=..., -jobs=...)
#
# Everything goes to fuzz/build/ of the build tree: the targets, the seeds
# (made afresh from tests/data and fuzz/seeds each run), the corpus each
# target grows (corpus/NAME, kept for the next run), and the crashes,
# leaks and timeouts (crashes/NAME/), which fail the run. Replay one with
#   fuzz/build/fuzz-NAME fuzz/build/crashes/NAME/crash-...
set -u

src=${FUZZ_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
build=${FUZZ_BUILDDIR:-$src}
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
out=$build/fuzz/build
obj=$out/obj

if [ -z "${FUZZ_SOURCES:-}" ]; then
	echo "fuzz: run it through make fuzz (it passes librung's sources)" >&2
	exit 2
fi

# A clang that links libFuzzer.
cc=${FUZZ_CC:-}
if [ -z "$cc" ]; then
	for c in clang clang-14; do
		command -v "$c" >/dev/null 2>&1 && { cc=$c; break; }
	done
fi
mkdir -p "$out" "$obj"
probe=$out/probe
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	'{ (void)d; (void)n; return 0; }' >"$probe.c"
if [ -z "$cc" ] || ! "$cc" -fsanitize=fuzzer,address,undefined \
    -o "$probe" "$probe.c" >"$probe.log" 2>&1; then
	echo "fuzz: no clang with libFuzzer (-fsanitize=fuzzer)${cc:+: $cc says:}" >&2
	[ -n "$cc" ] && sed 's/^/  /' "$probe.log" | head -n 5 >&2
	echo "fuzz: install the Debian packages clang and libclang-rt-14-dev" \
		"(Debian 12; clang-N and libclang-rt-N-dev elsewhere)," \
		"or set FUZZ_CC" >&2
	exit 1
fi

san="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
cflags="-std=gnu11 -g -O1 -fno-omit-frame-pointer $san"
# No blanks in the path: the quotes reach the compiler as they are.
cppflags="-I$build -I$src/include -I$src/fuzz ${FUZZ_CPPFLAGS:-}
-DRUNG_PKGDATADIR=\"${FUZZ_PKGDATADIR:-/usr/local/share/rung}\""

# compile SRC OBJ: when OBJ is older than SRC or any header.
newest_header=$(ls -t "$src"/include/rung/*.h "$src"/src/*.h "$src"/fuzz/*.h \
	"$build/config.h" 2>/dev/null | head -n 1)
compile() {
	if [ ! -f "$2" ] || [ "$1" -nt "$2" ] || [ "$newest_header" -nt "$2" ]; then
		echo "  CC(fuzz) ${1#"$src"/}"
		# shellcheck disable=SC2086
		"$cc" $cflags $cppflags -c -o "$2" "$1" || return 1
	fi
}

objs=
for s in ${FUZZ_SOURCES}; do
	case $s in *.c) ;; *) continue ;; esac
	o=$obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')
	compile "$src/$s" "$o" || exit 1
	objs="$objs $o"
done
for s in ${FUZZ_GENERATED:-}; do
	case $s in *.c) ;; *) continue ;; esac
	o=$obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')
	compile "$build/$s" "$o" || exit 1
	objs="$objs $o"
done
compile "$src/fuzz/common.c" "$obj/fuzz_common.o" || exit 1

if [ -n "${FUZZ_TARGETS:-}" ]; then
	targets=$FUZZ_TARGETS
else
	targets=$(cd "$src/fuzz" && ls fuzz-*.c | sed 's/^fuzz-//; s/\.c$//')
fi
for t in $targets; do
	[ -f "$src/fuzz/fuzz-$t.c" ] || { echo "fuzz: no target fuzz/fuzz-$t.c" >&2; exit 2; }
	compile "$src/fuzz/fuzz-$t.c" "$obj/fuzz-$t.o" || exit 1
	echo "  CCLD(fuzz) fuzz-$t"
	# shellcheck disable=SC2086
	"$cc" -fsanitize=fuzzer,address,undefined -o "$out/fuzz-$t" \
		"$obj/fuzz-$t.o" "$obj/fuzz_common.o" $objs ${FUZZ_LIBS:-} || exit 1
done
[ "$seconds" -gt 0 ] || exit 0

# Seeds, made afresh from tests/data (and fuzz/seeds) each run.
data=$src/tests/data
seeds=$out/seeds
rm -rf "$seeds"

# seed TARGET NSETS FILE...: each file, once per option set (first byte).
seed() {
	_t=$1 _n=$2
	shift 2
	mkdir -p "$seeds/$_t"
	for _f in "$@"; do
		[ -f "$_f" ] || continue
		[ "$(wc -c <"$_f")" -le 65536 ] || continue
		_k=0
		while [ "$_k" -lt "$_n" ]; do
			{ printf "\\$(printf %03o "$_k")"; cat "$_f"; } \
				>"$seeds/$_t/$(basename "$_f").$_k"
			_k=$((_k + 1))
		done
	done
}
# lines TARGET FILE: one seed per line of FILE.
lines() {
	mkdir -p "$seeds/$1"
	awk -v d="$seeds/$1" 'NF { f = sprintf("%s/line%03d", d, NR); printf "%s", $0 > f; close(f) }' "$2"
}
# experiment DIR: a Ray Tune folder as the sections fuzz-raytune reads.
experiment() {
	(cd "$1" && find . -type f \( -name params.json -o -name result.json \
	    -o -name progress.csv -o -name error.txt \
	    -o -name 'experiment_state-*' \) | sort | while read -r f; do
		printf '=== %s\n' "${f#./}"
		cat "$f"
	done)
}

csvs=$(ls "$data"/csv/*.csv "$data"/csv/*.gz "$data"/bad/*.csv \
	"$data"/predict/*.csv 2>/dev/null)
# shellcheck disable=SC2086
seed csv-long 6 $csvs
# shellcheck disable=SC2086
seed csv-wide 5 $csvs
# shellcheck disable=SC2086
seed csv-array 4 $(ls "$data"/lcdb/*.csv "$src"/fuzz/seeds/*.csv) $csvs
# shellcheck disable=SC2086
seed json 7 $(ls "$data"/json/*.json* "$data"/json/nasbench-nlp/*.json \
	"$data"/bad/*.json* "$data"/optuna/*.jsonl 2>/dev/null)
# shellcheck disable=SC2086
seed optuna-journal 4 $(ls "$data"/optuna/*.journal "$data"/bad/*.jsonl)
# shellcheck disable=SC2086
seed optuna-sql 3 $(ls "$data"/optuna/*.sql)
mkdir -p "$seeds/tmp"
if command -v sqlite3 >/dev/null 2>&1; then
	# Small pages keep the files small for the fuzzer.
	sqlite3 "$data/optuna/pruned.db" .dump >"$seeds/tmp/pruned.sql"
	for f in "$data"/optuna/*.sql "$seeds/tmp/pruned.sql"; do
		db=$seeds/tmp/$(basename "$f" .sql).db
		{ echo 'PRAGMA page_size = 512;'; cat "$f"; } | sqlite3 "$db"
	done
	seed optuna-sql 3 "$seeds/tmp/pruned.sql"
	seed optuna-rdb 4 "$seeds"/tmp/*.db
else
	seed optuna-rdb 4 "$data/optuna/pruned.db"
fi
for e in "$data"/raytune/exp-*; do
	experiment "$e" >"$seeds/tmp/$(basename "$e")"
done
seed raytune 4 "$seeds"/tmp/exp-*
# A folder as one input ("=== PATH" before each file; artifacts left out):
# an mlruns folder, whole and an experiment at a time.
tree() {
	(cd "$1" && find . -type f ! -path '*/artifacts/*' | sort |
	while read -r f; do
		printf '=== %s\n' "${f#./}"
		cat "$f"
	done)
}
tree "$data/mlflow/mlruns" >"$seeds/tmp/mlruns"
for e in "$data"/mlflow/mlruns/*/; do
	(cd "$e" && tree . | sed "s|^=== |=== $(basename "$e")/|") \
		>"$seeds/tmp/mlruns-$(basename "$e")"
done
seed mlflow 4 "$seeds"/tmp/mlruns*
# Run folders: the Lightning and Keras runs of the tests, and a tree of
# Hydra, argparse and odd files.
tree "$data/csv/runs" >"$seeds/tmp/csv-runs"
seed runs 4 "$seeds/tmp/csv-runs" "$src/fuzz/seeds/runs.tree"
# The QSVR's samples and saved models (each tried as both).
seed qsvr 2 "$src/fuzz/seeds/fit.samples" "$src/fuzz/seeds/nu.model" \
	"$src/fuzz/seeds/q.model"
# Event files, each behind a layout byte (fuzz-tensorboard.c): as they
# are, records with their checksums made right, records dealt out.
_i=0
for f in $(find "$data/tensorboard" -name '*tfevents*' -size -64k | sort); do
	_i=$((_i + 1))
	for l in 0 1 2; do
		{ printf "\\$(printf %03o "$l")"; cat "$f"; } \
			>"$seeds/tmp/tb-$_i-$l"
	done
done
seed tensorboard 4 "$seeds"/tmp/tb-*
rm -rf "$seeds/tmp"
lines cmd "$src/fuzz/seeds/cmd.txt"
lines filter "$src/fuzz/seeds/filter.txt"
# Search spaces: a seed per line (good and bad), and whole files.
lines space "$src/fuzz/seeds/space.txt"
cp "$src"/fuzz/seeds/*.space "$src"/share/rung/examples/*.space \
	"$seeds/space/"
# Protocol lines: a seed per line, and whole outputs of a trainer.
lines proto "$src/fuzz/seeds/proto.txt"
cp "$src/fuzz/seeds/proto.txt" "$seeds/proto/stream"
cp "$src/share/rung/examples/digits.py" "$seeds/proto/"

# Run each target; FUZZ_JOBS of them at once. Their scratch files go to
# memory when it can hold them.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi
fuzz_one() {
	_t=$1
	mkdir -p "$out/corpus/$_t" "$out/crashes/$_t"
	_dict=
	[ -f "$src/fuzz/dict/$_t.dict" ] && _dict=-dict=$src/fuzz/dict/$_t.dict
	# shellcheck disable=SC2086
	"$out/fuzz-$_t" -max_total_time="$seconds" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -close_fd_mask=3 \
		-artifact_prefix="$out/crashes/$_t/" $_dict \
		${FUZZ_FLAGS:-} "$out/corpus/$_t" "$seeds/$_t" \
		>"$out/$_t.log" 2>&1
	echo $? >"$out/$_t.rc"
}
# A pool: the next target starts when one ends.
for t in $targets; do
	rm -f "$out/$t.rc"
done
started=
for t in $targets; do
	while :; do
		running=0
		for s in $started; do
			[ -f "$out/$s.rc" ] || running=$((running + 1))
		done
		[ "$running" -lt "$jobs" ] && break
		sleep 1
	done
	echo "fuzz: fuzz-$t for ${seconds} s"
	fuzz_one "$t" &
	started="$started $t"
done
wait

# What each did.
rc=0
printf '%-16s %10s %8s %8s %8s %8s  %s\n' TARGET EXECS EXEC/S COV FT CORPUS RESULT
for t in $targets; do
	log=$out/$t.log
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	found=$(ls "$out/crashes/$t" 2>/dev/null | wc -l)
	if [ "$(cat "$out/$t.rc")" -eq 0 ] && [ "$found" -eq 0 ]; then
		result=ok
	else
		result="FAILED (exit $(cat "$out/$t.rc"), $found in $out/crashes/$t; see $log)"
		rc=1
	fi
	printf '%-16s %10s %8s %8s %8s %8s  %s\n' "$t" "${execs:-?}" \
		"${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
done
exit $rc
