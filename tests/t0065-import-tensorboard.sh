#!/bin/sh
# TensorBoard log directories: event files written by an independent writer
# (tests/data/tensorboard/make-events.py: python3-protobuf with
# TensorBoard's .proto files, python3-crc32c) and by real tools (Keras
# through TensorFlow 1.x, Guild AI), checked value by value against an
# independent reading (tests/check-tensorboard.py); checksums, torn tails,
# detection, -f tensorboard, Ray Tune folders without result.json.
. "$RUNG_SRCDIR/tests/lib.sh"

d=$RUNG_TESTDATA/tensorboard
check() {
	/usr/bin/python3 "$RUNG_SRCDIR/tests/check-tensorboard.py" \
		"$RUNG_SRCDIR" "$@"
}

test_expect_success 'the writer makes the files in tests/data again' '
	/usr/bin/python3 "$d/make-events.py" gen "$RUNG_SRCDIR" >offset &&
	diff -r "$d/logs" gen/logs &&
	diff -r "$d/bad" gen/bad
'

test_expect_success 'a log directory imports exactly, detected from content' '
	rung import "$d/logs" 2>err &&
	grep "restart/events.out.tfevents.1000000000.rung-test.104.0: the last record (offset [0-9]*) is cut short" err &&
	! grep -i "error" err &&
	rung export -f jsonl logs >logs.jsonl &&
	check "$d/logs" logs.jsonl >out &&
	grep "^5 trials, 145 values checked" out
'

test_expect_success 'trials, splits as prefixes, statuses and parameters' '
	rung trials --json logs >t.json &&
	test "$(json "\" \".join(\"%s:%s\" % (t[\"id\"], t[\"status\"]) for t in sorted(j, key=lambda t: t[\"id\"]))" t.json)" = "ray:complete restart:failed simple:complete split:complete tensor:complete" &&
	rung show --json logs split >show.json &&
	test "$(json "\",\".join(sorted(k for k, v in j[\"curves\"].items() if v[\"values\"]))" show.json)" = "train/loss,train/lr,valid/loss,valid/lr" &&
	rung show --json logs tensor >show.json &&
	test "$(json "\",\".join(sorted(k for k, v in j[\"curves\"].items() if v[\"values\"]))" show.json)" = "epoch_acc,epoch_gnorm,epoch_loss,epoch_lr" &&
	test "$(json "j[\"params\"][\"lr\"]" show.json)" = 0.001 &&
	test "$(json "j[\"params\"][\"units\"]" show.json)" = 32 &&
	rung show --json logs ray >show.json &&
	test "$(json "\",\".join(sorted(k for k, v in j[\"curves\"].items() if v[\"values\"]))" show.json)" = "loss,time_this_iter_s"
'

# A session started and not ended (Keras writes the end when training
# ends): the tensor run with its session_end_info record left out, the
# other records as they were (each keeps its own checksums).
test_expect_success 'a session that has not ended is running' '
	mkdir -p unended/tensor &&
	cp "$d"/logs/tensor/hparams.yaml unended/tensor &&
	for f in "$d"/logs/tensor/events.out.tfevents.*; do
		/usr/bin/python3 - "$f" "unended/tensor/${f##*/}" <<-\PY || return 1
		import struct, sys
		data = open(sys.argv[1], "rb").read()
		out, i, dropped = [], 0, 0
		while i + 12 <= len(data):
		    n = struct.unpack("<Q", data[i:i + 8])[0]
		    rec = data[i:i + 12 + n + 4]
		    if b"_hparams_/session_end_info" in rec:
		        dropped += 1
		    else:
		        out.append(rec)
		    i += 12 + n + 4
		assert dropped == 1 and i == len(data), (dropped, i)
		open(sys.argv[2], "wb").write(b"".join(out))
		PY
	done &&
	rung import -s unended unended 2>/dev/null &&
	rung trials --json unended >u.json &&
	test "$(json "[t[\"status\"] for t in j]" u.json)" = running
'

test_expect_success 'a restart: the later file (by the time in its name) wins' '
	rung export -f jsonl logs >logs.jsonl &&
	/usr/bin/python3 -c "
import json
r = [json.loads(l) for l in open(\"logs.jsonl\") if json.loads(l)[\"id\"] == \"restart\"][0]
assert r[\"loss\"][4:7] == [6, 95, 94], r[\"loss\"]
assert r[\"steps\"][-1] == 14, r[\"steps\"]
"
'

test_expect_success 'importing it again adds nothing' '
	rung import "$d/logs" 2>err &&
	grep "imported into .logs. before" err
'

test_expect_success '-f tensorboard: one run with train and valid, one trial' '
	rung import -s split -f tensorboard "$d/logs/split" &&
	rung export -f jsonl split >split.jsonl &&
	check "$d/logs/split" split.jsonl >out &&
	grep "^1 trials, 32 values checked" out
'

test_expect_success 'one event file, detected from its first record' '
	rung import -s one "$d/logs/simple/events.out.tfevents.1700000000.rung-test.101.0" &&
	rung trials --json one >t.json &&
	test "$(json "[t[\"id\"] for t in j]" t.json)" = simple
'

test_expect_success 'a wrong checksum names the file and the offset' '
	before=$(db_digest) &&
	expect_fail 1 rung import -s bad "$d/bad/crc" &&
	grep_err "bad/crc/events.out.tfevents.1700000800.rung-test.107.0: offset $(cat offset): the checksum of the record.s data is wrong" &&
	test "$(db_digest)" = "$before" &&
	expect_fail 1 rung import -s bad -f tensorboard "$d/bad/crc/events.out.tfevents.1700000800.rung-test.107.0" &&
	grep_err "offset $(cat offset): the checksum"
'

test_expect_success 'a wrong length checksum too' '
	mkdir -p lenbad &&
	f=lenbad/events.out.tfevents.1.x &&
	cp "$d/logs/simple/events.out.tfevents.1700000000.rung-test.101.0" $f &&
	printf "\\377" | dd of=$f bs=1 seek=8 conv=notrunc 2>/dev/null &&
	expect_fail 1 rung import -s lenbad -f tensorboard lenbad &&
	grep_err "lenbad/events.out.tfevents.1.x: offset 0: the checksum of the record.s length is wrong"
'

test_expect_success 'a file cut anywhere reads up to its last whole record' '
	src="$d/logs/simple/events.out.tfevents.1700000000.rung-test.101.0" &&
	size=$(wc -c <"$src") &&
	for n in 3 11 12 20 45 46 100 500 $((size - 1)); do
		rm -rf cut && mkdir -p cut/run &&
		head -c $n "$src" >cut/run/events.out.tfevents.5.x &&
		cp "$src" cut/run/events.out.tfevents.4.x &&
		rung import -s cut$n -f tensorboard cut/run 2>err &&
		rung export -f jsonl cut$n >cut.jsonl &&
		check cut/run cut.jsonl >/dev/null || { echo "cut at $n"; exit 1; }
	done
'

test_expect_success 'a length near 2^64, its checksum right, is a torn tail' '
	mkdir -p huge/run &&
	cp "$d/logs/simple/events.out.tfevents.1700000000.rung-test.101.0" huge/run/events.out.tfevents.1.x &&
	/usr/bin/python3 -c "
import crc32c, struct, sys
def masked(b):
    c = crc32c.crc32c(b)
    return (((c >> 15) | (c << 17)) + 0xa282ead8) & 0xffffffff
for n in (2**64 - 10, 2**64 - 17, 2**63, 2**40):
    h = struct.pack(\"<Q\", n)
    open(\"huge/run/events.out.tfevents.%d.x\" % (n % 1000 + 2), \"wb\").write(
        open(\"huge/run/events.out.tfevents.1.x\", \"rb\").read() +
        h + struct.pack(\"<I\", masked(h)) + b\"abc\")
" &&
	rung import -s huge -f tensorboard huge/run 2>err &&
	test "$(grep -c "is cut short" err)" -eq 4 &&
	rung export -f jsonl huge >huge.jsonl &&
	check huge/run huge.jsonl >out &&
	grep "^1 trials, 40 values checked" out
'

test_expect_success 'a file named as an event file but holding none is not one' '
	mkdir -p fake &&
	printf "step,loss\\n1,0.5\\n2,0.4\\n" >fake/events.out.tfevents.1.x &&
	rung import -s fake fake 2>err &&
	! grep -i tensorboard err
'

test_expect_success 'real files: Keras through TensorFlow 1.x, Guild AI' '
	rung import -s real "$d/real" &&
	rung export -f jsonl real >real.jsonl &&
	check "$d/real" real.jsonl >out &&
	grep "^2 trials, 81 values checked" out &&
	rung show --json real keras >show.json &&
	test "$(json "\",\".join(sorted(k for k, v in j[\"curves\"].items() if v[\"values\"]))" show.json)" = "acc,loss,val_acc,val_loss" &&
	test "$(json "len(j[\"curves\"][\"val_loss\"][\"values\"])" show.json)" = 20
'

test_expect_success 'a Ray Tune folder without result.json: its event files' '
	t=exp/train_fn_1a2b3_00000_0_lr=0.1_2023-10-01_12-00-00 &&
	mkdir -p $t/runs &&
	cp -r "$d/logs/split/train" "$d/logs/split/valid" $t/runs/ &&
	printf "{\"lr\": 0.1}\\n" >$t/params.json &&
	rung import -s ray -f raytune exp &&
	rung show --json ray 1a2b3_00000 >show.json &&
	test "$(json "\",\".join(sorted(k for k, v in j[\"curves\"].items() if v[\"values\"]))" show.json)" = "train/loss,train/lr,valid/loss,valid/lr" &&
	test "$(json "j[\"params\"][\"lr\"]" show.json)" = 0.1 &&
	test "$(json "len(j[\"curves\"][\"valid/loss\"][\"values\"])" show.json)" = 8
'

test_done
