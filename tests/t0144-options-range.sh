#!/bin/sh
# Every numeric option of every command, from the usages the binary prints
# (a new option is covered as it comes), given 0, -1, 2^32 and 2^64: taken
# as meant, or refused with exit status 2 by a message that names the
# option and its range. Never a crash, never a value wrapped around (a
# count of 2^32 - 1 or 2^64 - 1 where none was given). And the instance
# that showed the class: --gpus-per-trial 0 ran every configuration at once.
. "$RUNG_SRCDIR/tests/lib.sh"

launch_env
rung import -s s "$RUNG_TESTDATA/csv/metaqnn_cifar10_head.csv" >/dev/null 2>&1
printf 'x uniform 0 1\n' >s.space
cat >tr.sh <<\EOF
#!/bin/sh
echo 'rung: {"step": 1, "loss": 0.5}'
EOF
chmod +x tr.sh

# What a value placeholder of a usage is: a number, or not. A placeholder
# that is neither fails the test: say which it is.
numeric=' n steps step k g f d c q nu epsilon gamma seconds jobs id weight '
text=' metric min|max file study name format list path prefix dir key status
	policy stop|promote ray|syne|optuna|determined random|tpe raw|baker
	nu-svr|eps-svr|qsvr step|seconds step|cumulative|absolute partial|full
	mpirun|mpiexec|srun|direct auto|none|list command paths glob param
	mpirun|mpiexec|srun|sbatch|direct options '
# Placeholders with a number inside: the value given for V.
shaped=' none|grid|random:n=random:V WxH=Vx200 lo:hi=V: '

# The operands and options a command needs to run, as words; the option
# under test comes after the options, so it is the one that counts. @ is a
# fresh study name.
base() {
	case $1 in
	import)		echo "-s @" ;;
	launch)		echo "--space s.space --policy random --max-steps 1
			--configs 1 --gpus 0,1 --launcher direct --logs L" ;;
	replay)		echo "--policy asha --no-save" ;;
	fit)		echo "--prefix 5" ;;
	plot)		echo "-o p.txt" ;;
	tui)		echo "--list-keys" ;;
	watch)		echo "--once" ;;
	importance)	echo "--method fanova" ;;
	*)		echo "" ;;
	esac
}
operands() {
	case $1 in
	import)		echo "$RUNG_TESTDATA/csv/metaqnn_cifar10_head.csv" ;;
	trials|export|fit|predict|replay|tui|watch|importance) echo "s" ;;
	show)		echo "s 0" ;;
	replays|studies|models|help) echo "" ;;
	plot)		echo "KIND s" ;;
	launch)		echo "@ -- ./tr.sh" ;;
	*)		echo "UNKNOWN" ;;
	esac
}

rung help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' >commands
for cmd in $(cat commands); do
	rung help "$cmd" | sed -n "s/^usage: rung $cmd //p" |
	grep -o -- '--*[a-zA-Z][a-zA-Z-]* [^] []*' |
	while read -r opt val; do
		case $val in ''|'|'|-*) continue ;; esac
		echo "$cmd $opt $val"
	done
done | sort -u >optvals

test_expect_success 'the usages name numeric options' '
	test $(grep -c " n$" optvals) -ge 10
'

numeric=$(echo $numeric)
text=$(echo $text)
shaped=$(echo $shaped)
numeric=" $numeric " text=" $text " shaped=" $shaped "
# A short option's message may name its long form.
long_of() {
	case $1 in
	-j)	echo --jobs ;;
	*)	echo "$1" ;;
	esac
}

test_expect_success 'every placeholder is known as a number or not' '
	while read -r cmd opt val; do
		case "$numeric $text $shaped" in
		*" $val "*|*" $val="*) ;;
		*) echo "$cmd $opt $val: is $val a number? say so in $0"; exit 1 ;;
		esac
	done <optvals
'

test_expect_success 'every command with options has its operands here' '
	for cmd in $(cat commands); do
		test "$(operands $cmd)" != UNKNOWN ||
		{ echo "$cmd: give its operands in $0"; exit 1; }
	done
'

# try CMD OPT VALUE: run it; status in $rc, output in out and err.
i=0
try() {
	i=$((i + 1))
	_b=$(base "$1" | sed "s/@/st$i/g")
	_o=$(operands "$1" | sed "s/@/st$i/g")
	_x=
	for _kind in curves predictions sweep replay brackets importance slice \
		    parallel contour history edf pareto; do
		while :; do
			set +e
			# shellcheck disable=SC2086
			timeout 60 "$RUNG" "$1" $_b $_x "$2" "$3" \
				$(echo $_o | sed "s/KIND/$_kind/") >out 2>err </dev/null
			rc=$?
			set -e
			# Some options of plot need others, or another kind.
			if grep -q "goes with --policy" err; then
				_x="$_x --policy asha"
			elif grep -q "predictions need --prefix" err; then
				_x="$_x --prefix 5"
			else
				break
			fi
		done
		grep -q "does not go with plot $_kind" err || break
	done
}

: >failures
while read -r cmd opt val; do
	case "$numeric" in *" $val "*) ;; *)
		case "$shaped" in *" $val="*) ;; *) continue ;; esac ;;
	esac
	shape=$(echo "$shaped" | tr ' ' '\n' | sed -n "s/^$val=//p")
	for v in 0 -1 4294967296 18446744073709551616; do
		given=${shape:-V}
		given=$(echo "$given" | sed "s/V/$v/")
		try "$cmd" "$opt" "$given"
		case $rc in
		2)	# Refused: the message names the option and a range.
			{ grep -q -- "$opt\b" err ||
			  grep -q -- "$(long_of $opt)\b" err; } && grep -E -q -- \
			    "between|at least|at most|or more|above|below|positive|from [0-9]|in [[(]|[0-9] (to|and) [0-9]|[<>]" err ||
			echo "$cmd $opt $given: refused without naming $opt and its range: $(cat err)" >>failures ;;
		0|1)	# Taken: no value wrapped around on its way.
			if grep -E -q '4294967295|18446744073709551615|-2147483648|2147483647 at a time' out err; then
				echo "$cmd $opt $given: a wrapped value: $(cat out err | head -5)" >>failures
			fi
			if [ $rc -eq 1 ] && grep -E -q -- "^rung: $cmd: $opt\b" err; then
				echo "$cmd $opt $given: refused with status 1, not 2: $(cat err)" >>failures
			fi ;;
		124)	echo "$cmd $opt $given: still running after 60 s" >>failures ;;
		*)	echo "$cmd $opt $given: exit status $rc (a crash?): $(tail -n 3 err)" >>failures ;;
		esac
	done
done <optvals

test_expect_success 'each numeric option: taken as meant, or refused naming its range' '
	test ! -s failures || { cat failures; false; }
'

test_expect_success 'launch --gpus-per-trial 0 is refused, not every configuration at once' '
	expect_fail 2 rung launch --space s.space --policy random --max-steps 1 \
		--configs 4 --gpus 0,1 --gpus-per-trial 0 --launcher direct g0 -- ./tr.sh &&
	grep_err "launch: --gpus-per-trial: option value .0. is not an integer between 1 and" &&
	rung launch --space s.space --policy random --max-steps 1 --configs 4 \
		--gpus 0,1 --gpus-per-trial 1 --launcher direct --json g1 -- ./tr.sh >out 2>err &&
	grep -q "launching on .g1.: random, max 1 steps, 2 at a time" err
'

sq="'"
test_expect_success 'launch --gpus: a GPU named twice, in any spelling, is refused' '
	for g in 0,0 0,00 1,0,1 0-3,2 1-2,0-1 cuda:1,01 ze:0,0.1 GPU-ab12,gpu-AB12; do
		expect_fail 2 rung launch --space s.space --policy random \
			--max-steps 1 --gpus $g --launcher direct d -- ./tr.sh &&
		grep_err "launch: --gpus $g names a GPU twice" ||
		{ echo "--gpus $g"; exit 1; }
	done &&
	expect_fail 2 rung launch --space s.space --policy random --max-steps 1 \
		--gpus 3-1 --launcher direct d -- ./tr.sh &&
	grep_err "takes auto, none or a list of GPUs" &&
	CUDA_VISIBLE_DEVICES=1,01 expect_fail 1 rung launch --space s.space \
		--policy random --max-steps 1 --launcher direct d -- ./tr.sh &&
	grep_err "CUDA_VISIBLE_DEVICES=1,01 names a GPU twice" &&
	rung launch --space s.space --policy random --max-steps 1 --configs 4 \
		--gpus 0-2,5 --launcher direct --csv r -- ./tr.sh >out 2>err &&
	grep -q "4 at a time" err &&
	test "$(/usr/bin/python3 -c "import csv, sys
print(sorted(r[\"GPU\"] for r in csv.DictReader(open(sys.argv[1]))))" out)" = \
		"[${sq}0${sq}, ${sq}1${sq}, ${sq}2${sq}, ${sq}5${sq}]"
'

test_done
