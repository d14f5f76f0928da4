#!/bin/sh
# Count the TAP results of a test run and print "N passed, N failed".
dir=${1:-tests}
pass=0 fail=0 skip=0
for trs in "$dir"/*.trs; do
	[ -f "$trs" ] || continue
	p=$(grep -c '^:test-result: \(PASS\|XFAIL\)' "$trs")
	s=$(grep -c '^:test-result: SKIP' "$trs")
	skip=$((skip + s))
	f=$(grep -c '^:test-result: \(FAIL\|XPASS\|ERROR\)' "$trs")
	pass=$((pass + p))
	fail=$((fail + f))
done
if [ -f "$dir/../test-suite.log" ] && [ "$fail" -gt 0 ]; then
	grep -h -B2 -A12 '^not ok\|^ERROR' "$dir"/*.log 2>/dev/null | head -n 80
fi
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
