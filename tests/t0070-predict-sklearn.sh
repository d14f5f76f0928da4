#!/bin/sh
# The predictor against scikit-learn: NuSVR and SVR predictions (RAW and
# Baker features, two prefixes, two settings each) and GridSearchCV's
# choice, on datasets that rung builds from a committed fixture through its
# importer and store. The references are committed so that this runs
# without Python; where scikit-learn is installed they are also computed
# afresh, so that the committed ones cannot go stale unnoticed.
. "$RUNG_SRCDIR/tests/lib.sh"

unit=$RUNG_BUILDDIR/tests/unit-predict
refs=$RUNG_TESTDATA/predict

test_expect_success 'rung agrees with the committed scikit-learn references' '
	"$unit" --check "$refs" >committed.out &&
	grep -q "; 0 failed$" committed.out &&
	test $(grep -c "max relative difference" committed.out) -eq 16 &&
	test $(grep -c " grid " committed.out) -eq 8
'

test_expect_success 'a reference that disagrees fails the check' '
	mkdir wrong &&
	for f in "$refs"/ref-*.txt; do
		cp "$f" wrong/
	done &&
	sed "2s/^pred nu 1.0 0.5 0.001 \([0-9.]*\)/pred nu 1.0 0.5 0.001 0.5/" \
	    "$refs/ref-raw3.txt" >wrong/ref-raw3.txt &&
	! cmp -s "$refs/ref-raw3.txt" wrong/ref-raw3.txt &&
	! "$unit" --check wrong >wrong.out &&
	grep -q "raw3 nu C=1 nu=0.5: .* FAIL" wrong.out
'

if /usr/bin/python3 -c "import sklearn, numpy" 2>/dev/null; then
	test_expect_success 'rung dumps the datasets of the fixture' '
		mkdir -p dump fresh &&
		"$unit" --dump dump &&
		test $(wc -l <dump/raw3.txt) -eq 201
	'

	test_expect_success 'scikit-learn rebuilds the features, then predicts' '
		/usr/bin/python3 "$RUNG_SRCDIR/tests/sklearn-ref.py" \
		    --csv "$refs/metaqnn_200.csv" dump fresh
	'

	test_expect_success 'rung agrees with the fresh references' '
		"$unit" --check fresh >fresh.out &&
		grep -q "; 0 failed$" fresh.out
	'

	test_expect_success 'the committed references are those of today' '
		/usr/bin/python3 - "$refs" fresh <<-\PY
		import glob, os, sys
		old, new = sys.argv[1], sys.argv[2]
		for path in sorted(glob.glob(os.path.join(new, "ref-*.txt"))):
		    a = [l.split() for l in open(os.path.join(old,
		        os.path.basename(path))) if not l.startswith("#")]
		    b = [l.split() for l in open(path) if not l.startswith("#")]
		    assert len(a) == len(b), path
		    for x, y in zip(a, b):
		        assert x[:2] == y[:2] and len(x) == len(y), (path, x[:4])
		        for u, v in zip(x[2:], y[2:]):
		            u, v = float(u), float(v)
		            assert abs(u - v) <= 1e-6 * max(abs(u), abs(v), 1e-12), \
		                (path, x[:4], u, v)
		PY
	'
else
	test_skip 'rung dumps the datasets of the fixture' 'no scikit-learn'
	test_skip 'scikit-learn rebuilds the features, then predicts' 'no scikit-learn'
	test_skip 'rung agrees with the fresh references' 'no scikit-learn'
	test_skip 'the committed references are those of today' 'no scikit-learn'
fi

test_done
