# Helpers of the benchmark scripts: run a command under bench/peak and read
# back its seconds and peak memory. The script sets $work and $PEAK.

# measure NAME CMD...: run CMD under peak, keep "seconds kib" in $work/NAME.
measure() {
	name=$1
	shift
	"$PEAK" "$@" >/dev/null 2>"$work/$name.err" || {
		echo "bench: $name failed:" >&2
		cat "$work/$name.err" >&2
		exit 1
	}
	tail -n 1 "$work/$name.err" >"$work/$name"
}
secs() { cut -d' ' -f1 "$work/$1"; }
kib() { cut -d' ' -f2 "$work/$1"; }
# ratio A B: A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# tb_protos OUT: TensorBoard's Event and hparams messages (src/proto)
# compiled for python3-protobuf into OUT, for the writers and peers that
# read or write event files without TensorBoard.
tb_protos() {
	(cd "$(cd "$(dirname "$0")/.." && pwd)/src/proto" &&
	    protoc --python_out="$1" \
		tensorboard/compat/proto/event.proto \
		tensorboard/compat/proto/summary.proto \
		tensorboard/compat/proto/histogram.proto \
		tensorboard/compat/proto/tensor.proto \
		tensorboard/compat/proto/tensor_shape.proto \
		tensorboard/compat/proto/types.proto \
		tensorboard/compat/proto/resource_handle.proto \
		tensorboard/plugins/hparams/api.proto \
		tensorboard/plugins/hparams/plugin_data.proto)
}
