#!/bin/sh
# Golden outputs (tests/golden.sh): every command's output and the
# explorer's screens are byte for byte what tests/golden/ keeps. They were
# made before issue 16 moved code between files, so a move that changes
# behaviour fails here. RUNG_GOLDEN_UPDATE=1 (make golden) writes them anew.
. "$RUNG_SRCDIR/tests/lib.sh"
. "$RUNG_SRCDIR/tests/golden.sh"

G=$RUNG_SRCDIR/tests/golden

# golden_norm DIR: what differs from one run to the next is made constant:
# the scratch directory and the moment a replay was kept.
golden_norm() {
	find "$1" -type f | while read -r f; do
		sed -e "s|$TRASH|TRASH|g" \
		    -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9:]\{8\}Z/DATE/g' \
		    "$f" >"$f.n" && mv "$f.n" "$f"
	done
}

# golden_check NAME: out/NAME against tests/golden/NAME, or written there.
golden_check() {
	golden_norm "out/$1"
	if [ "${RUNG_GOLDEN_UPDATE-}" = 1 ]; then
		rm -rf "$G/$1" && mkdir -p "$G" && cp -R "out/$1" "$G/$1"
	fi
	diff -r -u "$G/$1" "out/$1"
}

test_expect_success 'import the golden studies' '
	golden_studies
'

test_expect_success 'every command prints what tests/golden/cli keeps' '
	golden_cli out/cli &&
	golden_check cli
'

# Threads change how fast, never what: a policy's replay and a fit on 1
# and on 3 threads are the golden bytes.
for p in $GOLDEN_POLICIES; do
	test_expect_success "replay $p on -j 1 and -j 3 is the golden replay" "
		rung replay --policy $p --seeds 4 --no-save --json -j 1 noisy >j1.json &&
		rung replay --policy $p --seeds 4 --no-save --json -j 3 noisy >j3.json &&
		cmp out/cli/replay-noisy-$p.json j1.json &&
		cmp out/cli/replay-noisy-$p.json j3.json
	"
done

test_expect_success 'fit on -j 1 and -j 3 is the golden fit' '
	rung fit --json --prefix 10 --search random:6 --folds 3 -j 1 noisy >f1.json &&
	rung fit --json --prefix 10 --search random:6 --folds 3 -j 3 noisy >f3.json &&
	cmp out/cli/fit-noisy-search.json f1.json &&
	cmp out/cli/fit-noisy-search.json f3.json
'

if command -v tmux >/dev/null 2>&1; then
	tmux_server
	tui_env "unset NO_COLOR"
	test_expect_success 'the explorer screens are what tests/golden/screens keeps' '
		golden_screens out/screens &&
		golden_check screens
	'
else
	test_skip 'the explorer screens' 'tmux is not installed'
fi

test_done
