#!/bin/sh
# The command line: version, help, usage errors and their exit statuses.
. "$RUNG_SRCDIR/tests/lib.sh"

test_expect_success 'rung --version prints the version' '
	rung --version >out &&
	grep -q "^rung [0-9][0-9.]*$" out
'

test_expect_success 'rung help lists every command with a summary' '
	rung help >out &&
	for c in import studies trials show export help; do
		grep -q "^  $c " out || { echo "missing $c"; exit 1; }
	done
'

test_expect_success 'rung help COMMAND prints its usage' '
	rung help trials >out &&
	grep -q "^usage: rung trials .*study$" out
'

test_expect_success 'a unique prefix names a command' '
	rung help stu >out &&
	grep -q "^usage: rung studies" out
'

test_expect_success 'an unknown command exits 2 and says so' '
	expect_fail 2 rung frobnicate &&
	grep_err "unknown command: frobnicate"
'

test_expect_success 'an unknown option exits 2 with the usage' '
	expect_fail 2 rung studies --bogus &&
	grep_err "unknown option" &&
	grep_err "usage: rung studies"
'

test_expect_success 'a missing operand exits 2' '
	expect_fail 2 rung trials &&
	grep_err "missing argument"
'

test_expect_success 'no command exits 2 with the usage' '
	expect_fail 2 rung &&
	grep_err "usage: rung"
'

test_expect_success 'listing a missing database fails clearly, creating nothing' '
	expect_fail 1 rung -d nowhere.db studies &&
	grep_err "cannot open .nowhere.db." &&
	test ! -e nowhere.db
'

test_expect_success 'RUNG_DB and -d choose the database' '
	RUNG_DB=$TRASH/env.db rung import -s a --direction max \
		"$RUNG_TESTDATA/csv/metaqnn_cifar10_head.csv" &&
	test -f env.db &&
	rung -d env.db studies --json >out &&
	grep -q "\"name\":\"a\"" out
'

test_expect_success 'without -d or RUNG_DB the database is ./rung.db' '
	mkdir here && (cd here && unset RUNG_DB &&
	"$RUNG" import -s b "$RUNG_TESTDATA/csv/metaqnn_cifar10_head.csv") &&
	test -f here/rung.db
'

test_expect_success 'a bad option value exits 2' '
	expect_fail 2 rung -d env.db trials --top x a &&
	grep_err "not an integer"
'

test_done
