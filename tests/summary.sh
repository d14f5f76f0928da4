#!/bin/sh
# Count the TAP results of a test run and print "N passed, N failed": of
# each tests folder named (tests alone by default), summed in one line.
[ $# -gt 0 ] || set -- tests
pass=0 fail=0 skip=0
for dir in "$@"; do
	dirfail=0
	for trs in "$dir"/*.trs; do
		[ -f "$trs" ] || continue
		p=$(grep -c '^:test-result: \(PASS\|XFAIL\)' "$trs")
		s=$(grep -c '^:test-result: SKIP' "$trs")
		skip=$((skip + s))
		f=$(grep -c '^:test-result: \(FAIL\|XPASS\|ERROR\)' "$trs")
		pass=$((pass + p))
		dirfail=$((dirfail + f))
	done
	fail=$((fail + dirfail))
	if [ -f "$dir/../test-suite.log" ] && [ "$dirfail" -gt 0 ]; then
		grep -h -B2 -A12 '^not ok\|^ERROR' "$dir"/*.log 2>/dev/null |
			head -n 80
	fi
done
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
