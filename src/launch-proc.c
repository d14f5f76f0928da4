/*
 * The processes of rung launch's trials: a run started (its environment,
 * cgroup, session and log), signalled to its end in stages, its processes
 * found by session, key, cgroup and ancestry, reaped, and what a killed
 * rung left behind killed on resume.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rung/launch.h"
#include "rung/space.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "launch-int.h"

extern char **environ;

/* Signals to end a run: cooperative first, then not. */
const int lp_stop_stages[] = { SIGUSR1, SIGTERM, SIGKILL, 0 };
const int lp_kill_stages[] = { SIGTERM, SIGKILL, 0 };
const int lp_now_stages[] = { SIGKILL, 0 };

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* Remove the run's Open MPI session directory. */
void
lp_remove_tmpdir(struct ltrial *t)
{
	if (t->tmpdir == NULL)
		return;
	nftw(t->tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(t->tmpdir);
	t->tmpdir = NULL;
}
/*
 * A trial's processes. Its session and RUNG_TRIAL_KEY find most of them,
 * but a daemon can leave both (setsid, env -i). What it cannot leave: the
 * run's cgroup, where rung may make one; and, rung being a child subreaper,
 * its ancestry: an orphan comes back to rung, not to init. An orphan tells
 * no trial, so it is the trial's when that is the only run (else it is
 * killed when the campaign ends).
 */

/* Add the m pids of w to the n of *v, w freed. */
static size_t
pids_merge(pid_t **v, size_t n, pid_t *w, size_t m)
{
	if (m > 0) {
		*v = xreallocarray(*v, n + m, sizeof **v);
		memcpy(*v + n, w, m * sizeof *w);
		n += m;
	}
	free(w);
	return n;
}

static int
cmp_pid(const void *a, const void *b)
{
	pid_t	 x = *(const pid_t *)a, y = *(const pid_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorted, each once, rung itself left out. */
static size_t
pids_unique(pid_t *v, size_t n)
{
	pid_t	 self = getpid();
	size_t	 i, m = 0;

	if (n > 1)
		qsort(v, n, sizeof *v, cmp_pid);
	for (i = 0; i < n; i++) {
		if (v[i] == self || (m > 0 && v[m - 1] == v[i]))
			continue;
		v[m++] = v[i];
	}
	return m;
}

/* A run's processes by its session and key, and by its cgroup cg if any. */
static size_t
keyed_procs(struct launch *L, struct ltrial *t, const char *cg, pid_t **pids)
{
	pid_t	*w;
	size_t	 n, m;

	n = rung_proc_find(L->o.procdir, t->sid, t->key, pids);
	if (cg != NULL) {
		m = rung_cgroup_procs(cg, &w);
		n = pids_merge(pids, n, w, m);
	}
	return n;
}

size_t
lp_trial_procs(struct launch *L, struct ltrial *t, pid_t **pids)
{
	struct rung_proc *snap;
	pid_t		*v, *w;
	size_t		 n, m, nsnap;

	n = keyed_procs(L, t, t->cg, &v);
	if (t->active && (L->nactive == 1 || !t->reaped)) {
		nsnap = rung_proc_snapshot(L->o.procdir, &snap);
		m = rung_proc_below(snap, nsnap, L->nactive == 1 ? getpid() :
		    t->pid, NULL, 0, &w);
		n = pids_merge(&v, n, w, m);
		free(snap);
	}
	n = pids_unique(v, n);
	if (n == 0) {
		free(v);
		v = NULL;
	}
	*pids = v;
	return n;
}

/* The cgroup a run of an earlier rung had by its key, if it is there. */
static char *
old_cgroup(struct launch *L, const char *key)
{
	struct stat	 sb;
	char		*dir, *why = NULL;

	if (L->cgbase == NULL)
		L->cgbase = rung_cgroup_base(&why);
	free(why);
	if (L->cgbase == NULL || key == NULL || strchr(key, '/') != NULL)
		return NULL;
	dir = xprintf("%s/rung-%.*s/%s", L->cgbase, (int)strcspn(key, "."),
	    key, key);
	if (stat(dir, &sb) != 0) {
		/*
		 * The run's is gone; the campaign's may be left empty by a
		 * rung killed between runs (only one rung runs a campaign).
		 */
		*strrchr(dir, '/') = '\0';
		(void)rung_cgroup_remove(dir);
		free(dir);
		return NULL;
	}
	return dir;
}

/* Remove a run's cgroup, and the campaign's once it is empty. */
static void
forget_cgroup(char *cg)
{
	char	*slash;

	if (cg == NULL)
		return;
	if (rung_cgroup_remove(cg) == 0 && (slash = strrchr(cg, '/')) !=
	    NULL) {
		*slash = '\0';
		(void)rung_cgroup_remove(cg);
	}
	free(cg);
}

static size_t
leftover_procs(struct launch *L, struct ltrial *t, const char *cg,
    pid_t **pids)
{
	size_t	 n = keyed_procs(L, t, cg, pids);

	return pids_unique(*pids, n);
}

/* A cgroup for each run where the system gives rung one; said once. */
void
lp_setup_tracking(struct launch *L)
{
	char	*why = NULL;

	if (L->cgbase == NULL)
		L->cgbase = rung_cgroup_base(&why);
	if (L->cgbase != NULL) {
		L->cg = xprintf("%s/rung-%s", L->cgbase, L->nonce);
		if (rung_cgroup_make(L->cg, &why) == 0) {
			ln_note(L, "a trial's processes: those of its cgroup "
			    "(in %s)", L->cg);
			return;
		}
		free(L->cg);
		L->cg = NULL;
	}
	ln_note(L, "a trial's processes: its session, RUNG_TRIAL_KEY and "
	    "rung's orphans (no cgroup: %s)", why);
	free(why);
}

/* The run's cgroup, its cgroup.procs open for the child; -1: none. */
static int
run_cgroup(struct launch *L, struct ltrial *t)
{
	char	*cause = NULL;
	int	 fd = -1;

	if (t->cg != NULL) {
		(void)rung_cgroup_remove(t->cg);
		free(t->cg);
		t->cg = NULL;
	}
	if (L->cg == NULL)
		return -1;
	t->cg = xprintf("%s/%s", L->cg, t->key);
	if (rung_cgroup_make(t->cg, &cause) == 0 &&
	    (fd = rung_cgroup_open(t->cg)) < 0)
		xasprintf(&cause, "cannot open '%s/cgroup.procs': %s", t->cg,
		    strerror(errno));
	if (fd < 0) {
		rung_warn("launch: trial %s: %s: its processes are found by "
		    "session, key and ancestry only", t->ext, cause);
		free(cause);
		(void)rung_cgroup_remove(t->cg);
		free(t->cg);
		t->cg = NULL;
	}
	return fd;
}

static void
child_exec(struct launch *L, char **argv, char **envp, int out, int log,
    int cgfd)
{
	sigset_t	 set;
	int		 null, sig;

	/* The campaign's lock is the parent's alone (see lsu_lock_logs). */
	if (L->lockfd >= 0)
		close(L->lockfd);
	(void)setsid();
	/* Into the run's cgroup before anything of it can fork. */
	if (cgfd >= 0 && write(cgfd, "0", 1) != 1)
		dprintf(log, "rung: cannot enter the run's cgroup: %s\n",
		    strerror(errno));
	if (chdir(L->cwd) != 0) {
		dprintf(log, "rung: cannot enter '%s': %s\n", L->cwd,
		    strerror(errno));
		_exit(127);
	}
	if ((null = open("/dev/null", O_RDONLY)) >= 0 && null != 0) {
		dup2(null, STDIN_FILENO);
		close(null);
	}
	dup2(out, STDOUT_FILENO);
	dup2(log, STDERR_FILENO);
	for (sig = 1; sig < NSIG; sig++) {
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	}
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	closefrom(3);
	environ = envp;
	execvp(argv[0], argv);
	dprintf(STDERR_FILENO, "rung: cannot run '%s': %s\n", argv[0],
	    strerror(errno));
	_exit(127);
}

/*
 * Allow Open MPI to run as root where the user said nothing of it (set
 * neither variable): 1 if so.
 */
int
lp_ompi_root(char **set, size_t *nset)
{
	if (getenv("OMPI_ALLOW_RUN_AS_ROOT") != NULL ||
	    getenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM") != NULL)
		return 0;
	if (set != NULL) {
		set[(*nset)++] = xstrdup("OMPI_ALLOW_RUN_AS_ROOT=1");
		set[(*nset)++] = xstrdup("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1");
	}
	return 1;
}

/* Start a run of t: to step target, from step from. */
int
lp_spawn(struct launch *L, struct ltrial *t, int32_t target, int32_t from,
    const char *event, char **cause)
{
	struct rung_buf	 gb = { 0 };
	char		**argv = NULL, **envp = NULL, **cmd;
	char		*set[24], *vars[24];
	char		*ckpt = NULL, *logpath = NULL, *name, *detail, when[32];
	char		 fromtxt[32];
	size_t		 nset = 0, nvars = 0, i;
	uint32_t	 g;
	pid_t		 pid;
	int		 fd[2] = { -1, -1 }, ret = -1, cgfd = -1, root = 0;

	if (target == INT32_MAX || target > (int32_t)ceil(L->o.sched.max_r))
		target = (int32_t)ceil(L->o.sched.max_r);
	t->target = target;
	t->from = from;
	t->runs++;
	free(t->key);
	t->key = xprintf("%s.%u.%u", L->nonce, t->handle, t->runs);
	/*
	 * The key first: a run is found by it even if rung dies now. Another
	 * process writing, the run waits (1) until the study is free.
	 */
	if (ldb_trial_key(L, t, cause) != 0) {
		t->runs--;
		return lw_refused(L, cause);
	}

	/* GPUs: the first free ones. */
	free(t->gpu);
	t->gpu = xcalloc(L->gpt ? L->gpt : 1, sizeof *t->gpu);
	t->ngpu = 0;
	for (g = 0; g < L->pool.n && t->ngpu < L->gpt; g++) {
		if (L->gpu_busy[g])
			continue;
		L->gpu_busy[g] = 1;
		t->gpu[t->ngpu++] = g;
		rung_buf_printf(&gb, "%s%s", t->ngpu > 1 ? "," : "",
		    L->pool.tokens[g]);
	}
	free(t->gpus);
	t->gpus = xstrdup(gb.len ? rung_buf_cstr(&gb) : "");
	rung_buf_release(&gb);

	logpath = xprintf("%s/%s.log", L->logs, t->ext);
	ckpt = xprintf("%s/ckpt/%s", L->logs, t->ext);
	if (lg_mkdirs(ckpt, cause) != 0)
		goto out;
	if (lg_open(L, t, logpath, cause) != 0)
		goto out;

	set[nset++] = xprintf("RUNG_STUDY=%s", L->o.study);
	set[nset++] = xprintf("RUNG_TRIAL_ID=%s", t->ext);
	set[nset++] = xprintf("RUNG_TRIAL_KEY=%s", t->key);
	set[nset++] = xprintf("RUNG_PARAMS=%s", t->params);
	set[nset++] = xprintf("RUNG_MAX_STEPS=%d", target);
	set[nset++] = xprintf("RUNG_RESUME_STEP=%d", from);
	set[nset++] = xprintf("RUNG_CHECKPOINT_DIR=%s", ckpt);
	set[nset++] = xprintf("RUNG_LOG=%s", logpath);
	set[nset++] = xstrdup("PYTHONUNBUFFERED=1");
	/* Slurm binds the GPUs of a step and of a job: none of rung's. */
	if (L->o.launcher.kind != RUNG_LAUNCHER_SBATCH && !lsr_binds(L))
		set[nset++] = xprintf("%s=%s", L->pool.var, t->gpus);
	if (L->pool.pci_order && L->pool.n > 0 &&
	    L->o.launcher.kind != RUNG_LAUNCHER_SBATCH && !lsr_binds(L))
		set[nset++] = xstrdup("CUDA_DEVICE_ORDER=PCI_BUS_ID");
	for (i = 0; i < nset; i++)
		vars[nvars++] = xstrndup(set[i], strcspn(set[i], "="));
	/* What would narrow the trial's GPUs a second time (AMD's HIP). */
	for (i = 0; L->pool.unset != NULL && L->pool.unset[i] != NULL; i++)
		set[nset++] = xstrdup(L->pool.unset[i]);
	if (L->o.launcher.kind == RUNG_LAUNCHER_MPIRUN) {
		/*
		 * Concurrent mpiruns race to create their session directory
		 * (Open MPI 4.1: "File exists"): each run has its own.
		 */
		lp_remove_tmpdir(t);
		name = xprintf("rung-%s-%u-%u", L->nonce, t->handle,
		    t->runs);
		t->tmpdir = rung_path_join(getenv("TMPDIR") &&
		    *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name);
		free(name);
		if (mkdir(t->tmpdir, 0700) != 0 && errno != EEXIST) {
			xasprintf(cause, "cannot create '%s': %s", t->tmpdir,
			    strerror(errno));
			goto out;
		}
		set[nset++] = xprintf("OMPI_MCA_orte_tmpdir_base=%s",
		    t->tmpdir);
		/*
		 * Open MPI refuses root unless both are 1 (exit 1, its
		 * notice far up the log); a value the user set is theirs.
		 */
		root = geteuid() == 0 && lp_ompi_root(set, &nset);
	}
	envp = rung_env_build(environ, L->strip_mpi, set, nset);

	cmd = xcalloc(L->o.ncmd + 1, sizeof *cmd);
	for (i = 0; i < L->o.ncmd; i++)
		cmd[i] = rung_launch_subst(L->o.cmd[i], &t->cfg, t->ext);
	/* The trial's GPUs, shared by its ranks (lsr_slots checks). */
	L->o.launcher.gpus_per_task = L->gpt / (L->o.launcher.ranks ?
	    L->o.launcher.ranks : 1);
	argv = rung_launch_argv(&L->o.launcher, (const char *const *)vars,
	    nvars, cmd, L->o.ncmd);
	argv = lsr_argv(L, t, argv, L->o.ncmd);
	for (i = 0; i < L->o.ncmd; i++)
		free(cmd[i]);
	free(cmd);

	lg_timestamp(when);
	lg_printf(L, t, "[rung] %s: run %u of trial %s, from step %d to step "
	    "%d%s%s:", when, t->runs, t->ext, from, target, *t->gpus ?
	    ", gpu " : "", t->gpus);
	for (i = 0; argv[i] != NULL; i++)
		lg_printf(L, t, " %s", argv[i]);
	lg_printf(L, t, "\n");
	if (root)
		lg_note(L, t, "as root: OMPI_ALLOW_RUN_AS_ROOT=1 and "
		    "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 for Open MPI's mpirun");

	if (L->o.launcher.kind == RUNG_LAUNCHER_SBATCH) {
		if (lsb_submit(L, t, argv, envp, cause) != 0)
			goto out;
		pid = 0;
		goto started;
	}
	t->job = 0;
	cgfd = run_cgroup(L, t);
	if (pipe2(fd, O_CLOEXEC) != 0) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		goto out;
	}
	if ((pid = fork()) < 0) {
		xasprintf(cause, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		child_exec(L, argv, envp, fd[1], t->log, cgfd);
	close(fd[1]);
	fd[1] = -1;
	fcntl(fd[0], F_SETFL, fcntl(fd[0], F_GETFL) | O_NONBLOCK);
	t->out = fd[0];
	fd[0] = -1;
started:
	t->pid = t->sid = pid;
	t->active = 1;
	t->restart = 0;
	t->reaped = 0;
	t->decided = 0;
	t->finished = 0;
	t->timed_out = 0;
	t->stage = 0;
	t->stages = NULL;
	t->linger = 0;
	t->nmalformed = 0;
	t->state = LT_RUNNING;
	free(t->reason);
	t->reason = NULL;
	t->t_start = t->t_report = rung_now();
	L->nactive++;

	t->unsaved |= U_RUN;
	if (t->job != 0)
		detail = xprintf("to step %d, job %lld", t->target,
		    (long long)t->job);
	else
		detail = xprintf("to step %d, %s%s, pid %ld", t->target,
		    *t->gpus != '\0' ? "gpu " : "no gpu", t->gpus,
		    (long)t->pid);
	lw_event(L, t, t->from, event, detail);
	free(detail);
	if (lw_flush(L, cause) < 0)
		goto out;
	/* "from step 3 to step 9", or "to step 9" for a run from the start. */
	if (from > 0)
		snprintf(fromtxt, sizeof fromtxt, "from step %d ", (int)from);
	else
		*fromtxt = '\0';
	ln_note(L, "trial %s %s (%sto step %d%s%s): %s", t->ext,
	    strcmp(event, "start") == 0 ? "started" : strcmp(event,
	    "resume") == 0 ? "resumed" : "restarted", fromtxt, target,
	    *t->gpus ? ", gpu " : "", t->gpus, t->params);
	ret = 0;
out:
	if (ret != 0 && !t->active) {
		for (i = 0; i < t->ngpu; i++)
			L->gpu_busy[t->gpu[i]] = 0;
		t->ngpu = 0;
	}
	if (fd[0] >= 0)
		close(fd[0]);
	if (fd[1] >= 0)
		close(fd[1]);
	if (cgfd >= 0)
		close(cgfd);
	for (i = 0; i < nset; i++)
		free(set[i]);
	for (i = 0; i < nvars; i++)
		free(vars[i]);
	rung_free_strv(argv);
	rung_free_strv(envp);
	free(ckpt);
	free(logpath);
	return ret;
}

/* Signals to a trial: its process group, and with SIGKILL every process. */
static void
signal_trial(struct launch *L, struct ltrial *t, int sig)
{
	pid_t	*pids;
	size_t	 n, i;

	if (t->job != 0) {
		lsb_signal(L, t, sig);
		return;
	}
	/* A step's tasks are Slurm's: through scancel (SIGTERM kills srun). */
	if (!t->reaped && lsr_signal(L, t, sig) && sig != SIGKILL)
		return;
	if (!t->reaped && kill(-t->pid, sig) != 0 && errno == ESRCH)
		kill(t->pid, sig);
	if (sig == SIGKILL && t->cg != NULL)
		rung_cgroup_kill(t->cg);
	if (sig == SIGKILL || t->reaped) {
		n = lp_trial_procs(L, t, &pids);
		for (i = 0; i < n; i++)
			kill(pids[i], sig);
		free(pids);
	}
}

void
lp_next_signal(struct launch *L, struct ltrial *t)
{
	int	 sig = t->stages[t->stage];

	if (sig == 0) {
		/* All sent: kill what is left, every second. */
		signal_trial(L, t, SIGKILL);
		t->next_signal = rung_now() + 1;
		return;
	}
	signal_trial(L, t, sig);
	t->stage++;
	t->next_signal = rung_now() + (sig == SIGKILL ? 1 : L->o.grace);
}

/* End a run with these signals, unless a harder sequence runs already. */
void
lp_end_run(struct launch *L, struct ltrial *t, const int *stages)
{
	if (!t->active)
		return;
	if (t->stages == lp_now_stages || (t->stages == lp_kill_stages &&
	    stages == lp_stop_stages))
		return;
	if (t->stages == lp_stop_stages && stages == lp_kill_stages &&
	    t->stage > 1)
		return;		/* SIGTERM is out already */
	t->stages = stages;
	t->stage = 0;
	lp_next_signal(L, t);
}

/*
 * A run at its target ends on its own: signals only if it is still there
 * after the grace period (a trainer may save or evaluate at the end).
 */
void
lp_end_run_later(struct launch *L, struct ltrial *t)
{
	if (!t->active || t->stages != NULL)
		return;
	t->stages = lp_stop_stages;
	t->stage = 0;
	t->next_signal = rung_now() + L->o.grace;
}

/* Children: reap every one, note the trials' leaders. */
void
lp_reap(struct launch *L)
{
	pid_t	 pid;
	uint32_t i;
	int	 status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < L->nt; i++) {
			struct ltrial	*t = L->t[i];

			if (t->active && !t->reaped && t->pid == pid) {
				t->reaped = 1;
				t->wstatus = status;
				t->linger = rung_now() + L->o.grace;
				break;
			}
		}
		/* Otherwise an orphan of a trial came back to us. */
	}
}

/*
 * The campaign is over: what is left below rung (orphans that no trial
 * could claim while several ran) and in the campaign's cgroup is killed
 * and waited for.
 */
void
lp_sweep(struct launch *L)
{
	struct rung_proc *snap;
	pid_t		*pids;
	size_t		 n, nsnap, i, total = 0;
	double		 until = rung_now() + 10;

	for (;;) {
		/* Counted before the cgroup's kill takes them, as on resume. */
		nsnap = rung_proc_snapshot(L->o.procdir, &snap);
		n = rung_proc_below(snap, nsnap, getpid(), NULL, 0, &pids);
		free(snap);
		if (L->cg != NULL)
			rung_cgroup_kill(L->cg);
		for (i = 0; i < n; i++)
			kill(pids[i], SIGKILL);
		free(pids);
		lp_reap(L);
		if (n == 0 || rung_now() >= until)
			break;
		if (total == 0)
			total = n;
		usleep(20000);
	}
	if (total > 0)
		ln_note(L, "%zu process%s left by trials killed", total,
		    total == 1 ? "" : "es");
	for (i = 0; i < L->nt; i++) {
		if (L->t[i]->cg != NULL) {
			(void)rung_cgroup_remove(L->t[i]->cg);
			free(L->t[i]->cg);
			L->t[i]->cg = NULL;
		}
	}
	if (L->cg != NULL)
		(void)rung_cgroup_remove(L->cg);
}

/* Resume: what the previous rung left behind. */

/* What the previous run left, and resume killed: an event and a note. */
void
lp_killed(struct launch *L, struct ltrial *t, const char *detail)
{
	char	*cause = NULL;

	if (ldb_event(L, t->rowid, t->last, "killed", detail, &cause) != 0) {
		rung_warn("launch: %s", cause);
		free(cause);
	}
	ln_note(L, "trial %s: %s", t->ext, detail);
}

/* Kill what is left of runs of the previous rung; wait until it is gone. */
void
lp_kill_leftovers(struct launch *L)
{
	struct ltrial	*t;
	pid_t		*pids;
	size_t		 n, j, total = 0;
	uint32_t	 i;
	double		 until;
	char		*detail, *cg;

	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		if (t->sid <= 0 && t->key == NULL)
			continue;
		/* Jobs are not left over: --resume follows them again. */
		if (t->job != 0 || L->o.launcher.kind == RUNG_LAUNCHER_SBATCH)
			continue;
		/*
		 * Counted before the cgroup's kill, which may have taken them
		 * all by the time they would be counted: what was left is
		 * said even so.
		 */
		cg = old_cgroup(L, t->key);
		n = leftover_procs(L, t, cg, &pids);
		if (cg != NULL)
			rung_cgroup_kill(cg);
		for (j = 0; j < n; j++)
			kill(pids[j], SIGKILL);
		free(pids);
		if (n == 0) {
			forget_cgroup(cg);
			continue;
		}
		total += n;
		until = rung_now() + 10;
		while ((n = leftover_procs(L, t, cg, &pids)) > 0 &&
		    rung_now() < until) {
			for (j = 0; j < n; j++)
				kill(pids[j], SIGKILL);
			free(pids);
			lp_reap(L);
			usleep(20000);
		}
		free(pids);
		forget_cgroup(cg);
		detail = xprintf("%zu process%s of the previous run killed",
		    total, total == 1 ? "" : "es");
		lp_killed(L, t, detail);
		free(detail);
		total = 0;
	}
}

