#!/bin/sh
# The explorer's key table is the one truth: rung.1's KEYS section lists
# every key of it and no other, and the tui command documents its options.
. "$RUNG_SRCDIR/tests/lib.sh"

man1=$RUNG_SRCDIR/man/rung.1

test_expect_success 'tui --list-keys prints the key table' '
	rung tui --list-keys >keys &&
	test $(wc -l <keys) -ge 30 &&
	grep -q "^s	trials	sort by the next column" keys &&
	grep -q "^:	all	" keys &&
	! grep -v "^[^	]*	[a-z,]*	[A-Za-z]" keys
'

test_expect_success 'the key table binds each key once per screen' '
	awk -F "	" "{ n = split(\$1, k, \" \"); m = split(\$2, s, \",\");
		for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) {
			x = k[i] \" \" s[j]; if (x in seen) { print x; bad = 1 }
			seen[x] = 1; if (s[j] == \"all\") all[k[i]] = 1 } }
		END { exit bad }" keys
'

sed -n "/^\.Sh KEYS/,/^\.Sh /p" "$man1" >man-keys

test_expect_success 'rung.1 has a KEYS section' '
	test $(grep -c "^\.It " man-keys) -ge 30
'

test_expect_success 'rung.1 documents every key of the table, and no other' '
	cut -f1 keys | tr " " "\n" | sort -u >names &&
	grep "^\.It " man-keys | sed "s/^\.It //; s/ , /\n/g" |
		sed "s/^Ic //; s/^\\\\&//" | sort -u >man-names &&
	comm -23 names man-names >missing &&
	comm -13 names man-names >extra &&
	test ! -s missing || { echo "not in rung.1:"; cat missing; false; } &&
	test ! -s extra || { echo "not in the key table:"; cat extra; false; }
'

test_expect_success 'the same help text, screen by screen' '
	while IFS="	" read -r k s h; do
		first=$(printf "%s" "$h" | cut -c1 | tr a-z A-Z)
		rest=$(printf "%s" "$h" | cut -c2-)
		grep -q -F -e "$first$rest" man-keys ||
		{ echo "the help of $k is not in rung.1: $h"; exit 1; }
	done <keys
'

test_expect_success 'tui refuses to run inside the explorer and without a terminal' '
	expect_fail 1 rung tui </dev/null &&
	grep_err "needs a terminal" &&
	expect_fail 2 rung tui --bench-keys 0 &&
	grep_err "bench-keys"
'

test_done
