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

# One vocabulary: every option of every command with the value its usage
# names, from the binary ("trials [--top n]" gives "--top n trials").
while read -r cmd; do
	rung help $cmd | sed -n "s/^usage: rung $cmd //p" |
	/usr/bin/python3 -c '
import re, sys
cmd = sys.argv[1]
u = sys.stdin.read()
# [-x v], [--x v], [--a | --b], and required "--x v" outside brackets.
for grp in re.findall(r"\[([^][]*)\]|(?:^| )(--?[a-zA-Z][\w-]* [a-z][^ []*)", u):
	for part in (grp[0] or grp[1]).split(" | "):
		w = part.split()
		if w and w[0].startswith("-"):
			print(w[0], w[1] if len(w) > 1 and not w[1].startswith("-") else "-", cmd)
' "$cmd"
done <commands | sort -u >optmap

# The vocabulary table of rung.1: option, value (- for none), and the
# spellings it retires.
awk '
/^\.Ss Options shared by the commands/ { on = 1 }
on && /^\.El/ { on = 0 }
on && /^\.It Fl/ {
	n = split($0, f, / Ta /)
	opt = f[1]; sub(/^\.It /, "", opt)
	gsub(/Fl /, "-", opt); gsub(/ /, "", opt)
	val = f[2]; gsub(/(Ar|Li|Cm) /, "", val); gsub(/ /, "", val)
	if (val == "\\&") val = "-"
	print "row", opt, val
}
on && /Pq not Fl Fl/ { r = $0; sub(/.*Pq not Fl Fl /, "--", r); print "retired", r }
' "$man1" >vocab

test_expect_success 'the vocabulary table of rung.1 is not empty' '
	test $(grep -c "^row" vocab) -ge 20 && test $(grep -c "^retired" vocab) -ge 4
'

test_expect_success 'one option, one value: no two commands spell a concept apart' '
	awk "{ print \$1, \$2 }" optmap | sort -u | awk "{ n[\$1]++; v[\$1] = v[\$1] \" \" \$2 }
	    END { bad = 0; for (o in n) if (n[o] > 1) { print o \" takes\" v[o]; bad = 1 } exit bad }"
'

test_expect_success 'every option two commands take is in the vocabulary, with its value' '
	awk "{ print \$1 }" optmap | sort | uniq -c | awk "\$1 > 1 { print \$2 }" >shared &&
	test -s shared &&
	while read -r o; do
		v=$(awk -v o="$o" "\$1 == o { print \$2; exit }" optmap)
		grep -q "^row $o $v\$" vocab ||
		{ echo "$o $v is not in the vocabulary of rung.1"; exit 1; }
	done <shared
'

test_expect_success 'no command takes a spelling the vocabulary retires' '
	for r in $(awk "/^retired/ { print \$2 }" vocab); do
		# A name retired for one concept may name another (--trials).
		grep -q "^row $r " vocab && continue
		if awk -v r="$r" "\$1 == r { f = 1 } END { exit !f }" optmap; then
			echo "$r is retired but taken by: $(awk -v r="$r" "\$1 == r { print \$3 }" optmap)"
			exit 1
		fi
	done
'

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
