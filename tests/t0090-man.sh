#!/bin/sh
# The manual: lint-clean, and every command of the table documented with the
# options of its usage string.
. "$RUNG_SRCDIR/tests/lib.sh"

man1=$RUNG_SRCDIR/man/rung.1
man5=$RUNG_SRCDIR/man/rung.5

if command -v mandoc >/dev/null 2>&1; then
	test_expect_success 'mandoc -Tlint is clean on rung.1 and rung.5' '
		mandoc -Tlint -Wwarning "$man1" "$man5" >lint 2>&1 || true
		test ! -s lint || { cat lint; false; }
	'
else
	test_skip 'mandoc -Tlint is clean' 'mandoc is not installed'
fi

# The command names come from the binary, not from a list kept here.
rung help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' >commands

test_expect_success 'the command table is not empty' '
	test $(wc -l <commands) -ge 6
'

while read -r cmd; do
	test_expect_success "rung.1 documents the $cmd command" '
		grep -q "^\.It Xo Ic $cmd\$\|^\.It Ic $cmd\( \|\$\)" "$man1"
	'
	test_expect_success "rung.1 documents every option of $cmd" '
		rung help $cmd | sed -n "s/^usage: rung $cmd //p" |
		grep -o -- "\[--*[a-zA-Z][a-zA-Z-]*" | tr -d "[" | sort -u >opts
		while read -r o; do
			name=${o#-}
			name=${name#-}
			grep -q -- "Fl -*$name\\b" "$man1" ||
			{ echo "$cmd: option $o is not in rung.1"; exit 1; }
		done <opts
	'
done <commands

test_expect_success 'rung.5 documents every table of the schema' '
	rung import -s s "$RUNG_TESTDATA/csv/metaqnn_cifar10_head.csv" &&
	sqlite3 "$RUNG_DB" "select name from sqlite_master where type = \"table\"" >tables &&
	test -s tables &&
	while read -r t; do
		grep -q "$t" "$man5" || { echo "table $t is not in rung.5"; exit 1; }
	done <tables
'

test_expect_success 'rung.1 documents RUNG_DB' '
	grep -q "^\.It Ev RUNG_DB" "$man1"
'

test_done
