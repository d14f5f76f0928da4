# A single-node Slurm of the test's own, for the tests of rung launch
# --launcher srun and sbatch. Sourced after lib.sh:
#
#   . "$RUNG_SRCDIR/tests/lib-slurm.sh"
#   slurm_start || { test_skip ... "$slurm_why"; test_done; exit; }
#
# slurm_start writes a slurm.conf for this host (its real CPUs and memory)
# in a directory of its own, starts munged when no munge daemon answers,
# then slurmctld and slurmd on free ports, and waits until sinfo shows the
# node idle; SLURM_CONF then points the clients (srun, sbatch, squeue,
# scancel, and rung) at it. The daemons, and munged where this script
# started it, are stopped by their pids when the script ends, after every
# job left is cancelled. It fails, with $slurm_why saying why, only where
# the daemons cannot start (no slurm-wlm, not root, no munge key).
#
# slurmd is one per host: the Slurm tests take a lock, so that make -j runs
# them one after the other. The daemons are started without its descriptor:
# one that outlives its test (munged is left to run, a test killed leaves
# the rest) would hold the lock for ever. A lock held for 15 minutes is
# taken for such a leftover, and the test skips saying so.
#
# SLURM_NODE_EXTRA: more of the node's line (Gres=gpu:2); SLURM_CONF_EXTRA:
# more lines of slurm.conf (GresTypes=gpu); SLURM_GRES_CONF: the text of a
# gres.conf beside it.

slurm_dir=
slurm_munged=
slurm_why=

# slurm_free_ports N: N TCP ports of 127.0.0.1 nothing listens on now.
slurm_free_ports() {
	/usr/bin/python3 - "$1" <<\EOF
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# slurm_pid FILE: the pid in a pid file, when that process lives.
slurm_pid() {
	[ -s "$1" ] || return 1
	_p=$(cat "$1")
	kill -0 "$_p" 2>/dev/null && echo "$_p"
}

slurm_start() {
	for _c in slurmctld slurmd sinfo srun sbatch squeue scancel munged \
	    mungekey; do
		if ! command -v "$_c" >/dev/null 2>&1 &&
		    [ ! -x "/usr/sbin/$_c" ]; then
			slurm_why="no $_c (apt-get install slurm-wlm munge)"
			return 1
		fi
	done
	PATH=$PATH:/usr/sbin
	if [ "$(id -u)" -ne 0 ]; then
		slurm_why='a Slurm of its own runs as root (SlurmUser=root)'
		return 1
	fi

	exec 9>"${TMPDIR:-/tmp}/rung-test-slurmd.lock"
	flock -w 900 9 || {
		slurm_why="another Slurm test (or what one left) holds ${TMPDIR:-/tmp}/rung-test-slurmd.lock"
		return 1
	}

	# The spool holds Unix sockets, whose paths must stay short.
	slurm_dir=$(mktemp -d "${TMPDIR:-/tmp}/rung-slurm.XXXXXX") || {
		slurm_why='cannot make a directory for Slurm'
		return 1
	}
	trap 'slurm_stop' EXIT
	trap 'slurm_stop; exit 1' INT TERM

	if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
		if [ ! -s /etc/munge/munge.key ]; then
			mungekey -c >/dev/null 2>&1 || {
				slurm_why='mungekey -c failed: no munge key'
				return 1
			}
			chown munge:munge /etc/munge/munge.key 2>/dev/null
		fi
		mkdir -p /run/munge /var/log/munge /var/lib/munge
		chown munge:munge /run/munge /var/log/munge /var/lib/munge \
			2>/dev/null
		su -s /bin/sh munge -c /usr/sbin/munged >"$slurm_dir/munged.out" 2>&1 9>&- || {
			slurm_why="munged did not start: $(tail -n 1 "$slurm_dir/munged.out")"
			return 1
		}
		slurm_munged=$(slurm_pid /run/munge/munged.pid)
		_n=0
		until munge -n 2>/dev/null | unmunge >/dev/null 2>&1; do
			_n=$((_n + 1))
			if [ "$_n" -gt 50 ]; then
				slurm_why='munged does not answer'
				return 1
			fi
			sleep 0.1
		done
	fi

	_host=$(hostname -s)
	_cpus=$(nproc)
	_mem=$(awk '/^MemTotal:/ { m = int($2 / 1024) - 1024; if (m < 256) m = 256; print m }' /proc/meminfo)
	set -- $(slurm_free_ports 2)
	# Addresses beside the names: a CI machine's own name may not resolve.
	cat >"$slurm_dir/slurm.conf" <<EOF
ClusterName=rungtest
SlurmctldHost=$_host(127.0.0.1)
SlurmctldPort=$1
SlurmdPort=$2
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$slurm_dir/state
SlurmdSpoolDir=$slurm_dir/spool
SlurmctldPidFile=$slurm_dir/slurmctld.pid
SlurmdPidFile=$slurm_dir/slurmd.pid
SlurmctldLogFile=$slurm_dir/slurmctld.log
SlurmdLogFile=$slurm_dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
InactiveLimit=0
KillWait=5
MinJobAge=300
${SLURM_CONF_EXTRA:-}
NodeName=$_host NodeAddr=127.0.0.1 CPUs=$_cpus RealMemory=$_mem ${SLURM_NODE_EXTRA:-} State=UNKNOWN
PartitionName=debug Nodes=$_host Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
EOF
	if [ -n "${SLURM_GRES_CONF:-}" ]; then
		printf '%s\n' "$SLURM_GRES_CONF" >"$slurm_dir/gres.conf"
	fi
	mkdir -p "$slurm_dir/state" "$slurm_dir/spool"
	SLURM_CONF=$slurm_dir/slurm.conf
	export SLURM_CONF
	# What an outer allocation set would send the tests' jobs elsewhere.
	unset SLURM_JOB_ID SLURM_JOBID SLURM_STEP_ID SLURM_NODELIST \
		SLURM_JOB_NODELIST SLURM_NTASKS SLURM_NPROCS SLURM_CPUS_ON_NODE

	slurmctld -f "$SLURM_CONF" >"$slurm_dir/slurmctld.out" 2>&1 9>&- &&
	slurmd -f "$SLURM_CONF" >"$slurm_dir/slurmd.out" 2>&1 9>&- || {
		slurm_why="the Slurm daemons did not start: $(cat "$slurm_dir"/*.out | tail -n 1)"
		return 1
	}
	_n=0
	until [ "$(sinfo -h -o %t 2>/dev/null)" = idle ]; do
		_n=$((_n + 1))
		if [ "$_n" -gt 300 ]; then
			slurm_why="the node is not idle after 30 s: $(sinfo -h -o '%t %E' 2>&1 | head -n 1); $(tail -n 2 "$slurm_dir/slurmctld.log" 2>/dev/null | tr '\n' ' ')"
			return 1
		fi
		sleep 0.1
	done
	return 0
}

# slurm_jobs: the test's jobs that squeue still shows (all states), one a
# line: id, name, state.
slurm_jobs() {
	squeue -h -o '%i %j %T' 2>/dev/null
}

# slurm_steps: the job steps squeue still shows, one a line: id, name.
slurm_steps() {
	squeue -h -s -o '%i %j' 2>/dev/null
}

# slurm_wait_empty SECONDS: until squeue shows no job.
slurm_wait_empty() {
	_n=$(($1 * 10))
	while [ -n "$(slurm_jobs)" ]; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || return 1
		sleep 0.1
	done
}

slurm_stop() {
	[ -n "$slurm_dir" ] || return 0
	if [ -n "${SLURM_CONF:-}" ] && [ -n "$(slurm_pid "$slurm_dir/slurmctld.pid")" ]; then
		scancel --quiet --user=root 2>/dev/null
		slurm_wait_empty 15 || :
	fi
	for _f in slurmd slurmctld; do
		_p=$(slurm_pid "$slurm_dir/$_f.pid") || continue
		kill "$_p" 2>/dev/null || :
		_n=0
		while kill -0 "$_p" 2>/dev/null && [ "$_n" -lt 100 ]; do
			_n=$((_n + 1))
			sleep 0.1
		done
		kill -9 "$_p" 2>/dev/null || :
	done
	if [ -n "$slurm_munged" ]; then
		kill "$slurm_munged" 2>/dev/null || :
		slurm_munged=
	fi
	rm -rf "$slurm_dir"
	slurm_dir=
}
