#!/bin/sh
# The GPUs of each vendor as a trial sees them (--launcher direct): AMD's
# ROCR_VISIBLE_DEVICES narrowed with HIP_VISIBLE_DEVICES gone, HIP's alone
# narrowed, Gaudi's HABANA_VISIBLE_MODULES; and auto's detection through
# rocm-smi and hl-smi (fakes in PATH that print what the real ones print).
. "$RUNG_SRCDIR/tests/lib.sh"

launch_env
unset HIP_VISIBLE_DEVICES GPU_DEVICE_ORDINAL

cat >tr.sh <<\EOF
#!/bin/sh
env | grep -E '^(CUDA_VISIBLE_DEVICES|ROCR_VISIBLE_DEVICES|HIP_VISIBLE_DEVICES|HABANA_VISIBLE_MODULES|GPU_DEVICE_ORDINAL)=' | sort
echo "rung: {\"step\": 1, \"loss\": 1}"
EOF
chmod +x tr.sh
printf 'x uniform 0 1\n' >s.space

# The fakes; an nvidia-smi that finds nothing, before any real one.
mkdir bin
printf '#!/bin/sh\necho "No devices were found"\nexit 6\n' >bin/nvidia-smi
cat >bin/rocm-smi.on <<\EOF
#!/bin/sh
[ "$*" = "--showid --csv" ] || exit 2
printf 'device,Device ID\ncard0,0x740c\ncard1,0x740c\n'
EOF
cat >bin/hl-smi.on <<\EOF
#!/bin/sh
[ "$*" = "-Q module_id -f csv,noheader" ] || exit 2
printf '2\n3\n'
EOF
chmod +x bin/*
PATH=$TRASH/bin:$PATH

# run STUDY ENV...: two trials, one GPU each, two at a time.
run() {
	_s=$1
	shift
	env "$@" "$RUNG" launch --space s.space --policy random --configs 2 \
		--max-steps 1 --workers 2 --launcher direct "$_s" -- ./tr.sh \
		>"$_s.out" 2>"$_s.err"
}
# seen STUDY: the GPU variables of both trials, sorted.
seen() {
	cat rung-logs/"$1"/0.log rung-logs/"$1"/1.log | grep -v '^\[rung\]' | sort
}

test_expect_success 'AMD: an inherited ROCR_VISIBLE_DEVICES narrowed, HIP_VISIBLE_DEVICES gone' '
	run rocr ROCR_VISIBLE_DEVICES=GPU-aa,GPU-bb HIP_VISIBLE_DEVICES=0,1 GPU_DEVICE_ORDINAL=0,1 &&
	grep -q "GPUs from inherited ROCR_VISIBLE_DEVICES=GPU-aa,GPU-bb" rocr.err &&
	test "$(seen rocr)" = "ROCR_VISIBLE_DEVICES=GPU-aa
ROCR_VISIBLE_DEVICES=GPU-bb"
'

test_expect_success 'AMD: an inherited HIP_VISIBLE_DEVICES alone is narrowed itself' '
	run hip HIP_VISIBLE_DEVICES=1,2 &&
	test "$(seen hip)" = "HIP_VISIBLE_DEVICES=1
HIP_VISIBLE_DEVICES=2"
'

test_expect_success 'Gaudi: an inherited HABANA_VISIBLE_MODULES narrowed' '
	run habana HABANA_VISIBLE_MODULES=4,6 &&
	test "$(seen habana)" = "HABANA_VISIBLE_MODULES=4
HABANA_VISIBLE_MODULES=6"
'

if [ -e /dev/nvidia0 ] || [ -d /sys/class/kfd/kfd/topology/nodes ]; then
	test_skip 'auto: AMD GPUs from rocm-smi, Gaudi modules from hl-smi' \
		'this machine has GPUs of its own, found before the fakes'
else
test_expect_success 'auto: AMD GPUs from rocm-smi, Gaudi modules from hl-smi' '
	cp bin/rocm-smi.on bin/rocm-smi &&
	run amd &&
	grep -q "GPUs from rocm-smi --showid" amd.err &&
	test "$(seen amd)" = "ROCR_VISIBLE_DEVICES=0
ROCR_VISIBLE_DEVICES=1" &&
	rm bin/rocm-smi &&
	cp bin/hl-smi.on bin/hl-smi &&
	run gaudi &&
	grep -q "GPUs from hl-smi -Q module_id" gaudi.err &&
	test "$(seen gaudi)" = "HABANA_VISIBLE_MODULES=2
HABANA_VISIBLE_MODULES=3" &&
	rm bin/hl-smi &&
	run nogpu &&
	grep -q "no GPU (no GPU found)" nogpu.err &&
	test "$(seen nogpu)" = "CUDA_VISIBLE_DEVICES=
CUDA_VISIBLE_DEVICES="
'
fi

test_done
