#!/bin/sh
# The real files of ../shared/data import exactly: every value is checked
# against an independent parse of the source. Skipped where ../shared is
# not beside the checkout (the project builds and tests without it).
. "$RUNG_SRCDIR/tests/lib.sh"

check=$RUNG_SRCDIR/tests/check-export.py

if [ ! -d "$SHARED_DATA" ]; then
	test_skip 'real data imports exactly' "no $SHARED_DATA"
	test_done
	exit 0
fi

for f in "$SHARED_DATA"/baker/*.csv; do
	name=$(basename "$f" .csv)
	case $name in lstm_ptb) prefix=ep_ dir=min ;; *) prefix=acc_ dir=max ;; esac
	test_expect_success "baker/$name.csv imports exactly" '
		rung -q import -s "$name" --direction $dir "$f" &&
		rung export -f jsonl "$name" >"$name.jsonl" &&
		test "$(wc -l <"$name.jsonl")" -eq "$(($(wc -l <"$f") - 1))" &&
		/usr/bin/python3 "$check" wide "$f" "$name.jsonl" $prefix
	'
done

mlpf=$SHARED_DATA/mlpf-swift/mlpf.csv
test_expect_success 'mlpf.csv imports exactly, loss_0 as epoch 1' '
	rung import -s mlpf --first-step 1 "$mlpf" &&
	rung studies --json >s.json &&
	test "$(json "\" \".join(str(x) for s in j if s[\"name\"] == \"mlpf\" for x in (s[\"trials\"], s[\"max_step\"], s[\"metric\"], s[\"direction\"]))" s.json)" = "296 100 loss min" &&
	rung export -f jsonl mlpf >mlpf.jsonl &&
	/usr/bin/python3 "$check" wide "$mlpf" mlpf.jsonl loss_ 1
'

nan_total=0
for f in "$SHARED_DATA"/taskset/*.json; do
	name=$(basename "$f" .json)
	test_expect_success "taskset/$name imports exactly" '
		rung -q import -s "$name" "$f" &&
		rung export -f jsonl "$name" >"$name.jsonl" &&
		test "$(wc -l <"$name.jsonl")" -eq 1000 &&
		/usr/bin/python3 "$check" json "$f" "$name.jsonl" valid.loss hp
	'
done

test_expect_success 'TaskSet: 917 curves with NaN, kept as NaN' '
	for f in "$SHARED_DATA"/taskset/*.json; do
		name=$(basename "$f" .json)
		rung trials --json "$name"
	done >all.json &&
	/usr/bin/python3 - "$SHARED_DATA"/taskset/*.json <<-\PY
	import json, math, sys
	want = 0
	for path in sys.argv[1:]:
	    for rec in json.load(open(path)):
	        if any(isinstance(v, float) and math.isnan(v) for v in rec["valid"]["loss"]):
	            want += 1
	got = 0
	import subprocess, os
	for path in sys.argv[1:]:
	    name = os.path.basename(path)[:-5]
	    out = subprocess.run([os.environ["RUNG"], "export", "-f", "jsonl", name],
	                         capture_output=True, text=True, check=True).stdout
	    for line in out.splitlines():
	        rec = json.loads(line)
	        if any(isinstance(v, float) and math.isnan(v) for v in rec["valid.loss"] if v is not None):
	            got += 1
	print(want, got)
	assert want == got == 917, (want, got)
	PY
'

test_expect_success 'NAS-Bench-NLP logs (one JSON per run) import exactly' '
	mkdir nb && (cd nb && unzip -q "$SHARED_DATA/nasbench-nlp-wt2/logs.zip") &&
	rung import -s nb nb &&
	rung export -f jsonl nb >nb.jsonl &&
	test "$(wc -l <nb.jsonl)" -eq 345 &&
	/usr/bin/python3 - nb nb.jsonl <<-\PY
	import glob, json, math, os, sys
	exp = {}
	for line in open(sys.argv[2]):
	    r = json.loads(line); exp[r["id"]] = r
	def same(a, b):
	    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))
	checked = 0
	for path in glob.glob(os.path.join(sys.argv[1], "**", "*.json"), recursive=True):
	    src = json.load(open(path))
	    stem = os.path.basename(path)[:-5]
	    matches = [r for r in (exp.get(str(src["experiment_id"])), exp.get(stem)) if r is not None and r["params"].get("recepie_id") == src["recepie_id"]]
	    assert matches, path
	    r = matches[0]
	    got = [v for v in r["val_losses"] if v is not None]
	    assert len(got) == len(src["val_losses"]) and all(same(a, b) for a, b in zip(got, src["val_losses"])), path
	    secs = [v for v in r["seconds"] if v is not None]
	    assert all(same(a, b) for a, b in zip(secs, src["wall_times"])), path
	    checked += 1
	assert checked == 345, checked
	PY
'

test_expect_success 'NMTLC: 2483 variable-length curves import exactly' '
	rung import -s nmt "$SHARED_DATA/nmtlc/nmtlc.json" &&
	rung export -f jsonl nmt >nmt.jsonl &&
	test "$(wc -l <nmt.jsonl)" -eq 2483 &&
	/usr/bin/python3 "$check" json "$SHARED_DATA/nmtlc/nmtlc.json" nmt.jsonl perplexity_curve hyperparams
'

test_done
