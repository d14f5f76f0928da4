/*
 * Setting a campaign up: the launcher's program (found in PATH, Open MPI's
 * mpirun told from hydra's), the GPU pool and the slots it makes, the lock
 * on the campaign's logs.
 */
#include "config.h"

#include <sys/file.h>

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rung/launch.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "launch-int.h"

extern char **environ;

/* Is prog runnable (a path, or found in PATH)? The full path, or NULL. */
char *
lsu_find_program(const char *prog)
{
	const char	*path, *p, *q;
	char		*full, *dir;

	if (strchr(prog, '/') != NULL)
		return access(prog, X_OK) == 0 ? xstrdup(prog) : NULL;
	if ((path = getenv("PATH")) == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = q + 1) {
		q = p + strcspn(p, ":");
		dir = q == p ? xstrdup(".") : xstrndup(p, (size_t)(q - p));
		full = rung_path_join(dir, prog);
		free(dir);
		if (access(full, X_OK) == 0)
			return full;
		free(full);
		if (*q == '\0')
			return NULL;
	}
}

/* What prog --version says (its first 511 bytes), or NULL. */
static char *
program_version(const char *prog)
{
	struct rung_buf	 b = { 0 };
	char		*argv[] = { (char *)prog, "--version", NULL };
	int		 status;

	if (rung_capture(argv, RUNG_CAPTURE_STDERR, 511, &b, &status) != 0 ||
	    b.len == 0) {
		rung_buf_release(&b);
		return NULL;
	}
	return rung_buf_cstr(&b);
}

/*
 * The MPI launchers by what --version says: Debian installs Open MPI and
 * MPICH side by side and points mpirun and mpiexec at either, so the name
 * alone tells nothing. mpirun must be Open MPI's (-x, --bind-to), mpiexec
 * hydra's (MPICH, Intel MPI, MVAPICH: it forwards the environment and
 * takes -n and -f).
 */
static const struct {
	enum rung_launcher	 kind;
	const char		*names[4];	/* tried in this order */
	const char		*marks[3];	/* in --version: the right one */
	const char		*what;
} lsu_mpis[] = {
	{ RUNG_LAUNCHER_MPIRUN, { "mpirun", "mpirun.openmpi", NULL },
	  { "Open MPI", "OpenRTE", NULL }, "Open MPI's" },
	{ RUNG_LAUNCHER_MPIEXEC, { "mpiexec", "mpiexec.hydra",
	  "mpiexec.mpich", NULL }, { "HYDRA", "Intel(R) MPI", NULL },
	  "hydra's (MPICH)" },
};

/* What --version said, on one line and short, for messages. */
static void
version_gist(struct rung_buf *b, const char *name, const char *ver)
{
	size_t	 n;

	if (ver == NULL) {
		rung_buf_printf(b, "%s says nothing to --version", name);
		return;
	}
	ver += strspn(ver, " \t\r\n");
	n = strcspn(ver, "\r\n");
	rung_buf_printf(b, "%s says '%.*s'", name, (int)(n > 60 ? 60 : n),
	    ver);
}

/*
 * The first of the MPI launcher's names that is found and whose --version
 * says it is the right one; NULL with *cause saying what each was.
 */
static char *
lsu_mpi(struct launch *L, enum rung_launcher kind, char **cause)
{
	struct rung_buf	 why = { 0 };
	const char	*name;
	char		*full, *ver;
	size_t		 i, j, m, nfound = 0;

	for (m = 0; lsu_mpis[m].kind != kind; m++)
		;
	for (i = 0; (name = lsu_mpis[m].names[i]) != NULL; i++) {
		if ((full = lsu_find_program(name)) == NULL)
			continue;
		ver = program_version(full);
		for (j = 0; ver != NULL && lsu_mpis[m].marks[j] != NULL; j++) {
			if (strstr(ver, lsu_mpis[m].marks[j]) != NULL)
				break;
		}
		if (ver != NULL && lsu_mpis[m].marks[j] != NULL) {
			if (nfound > 0 || i > 0)
				ln_note(L, "--launcher %s: %s, %s (%s)",
				    rung_launcher_name(lsu_mpis[m].kind),
				    full, lsu_mpis[m].what,
				    nfound > 0 ? rung_buf_cstr(&why) :
				    "no other in PATH");
			free(ver);
			rung_buf_release(&why);
			return full;
		}
		rung_buf_printf(&why, "%s", nfound++ ? ", " : "");
		version_gist(&why, full, ver);
		free(ver);
		free(full);
	}
	rung_buf_printf(&why, "%s", nfound ? "; " : "");
	for (i = 0, j = 0; (name = lsu_mpis[m].names[i]) != NULL; i++) {
		if ((full = lsu_find_program(name)) != NULL) {
			free(full);
			continue;
		}
		rung_buf_printf(&why, "%s%s", j++ ? ", " : "", name);
	}
	if (j > 0)
		rung_buf_printf(&why, " not in PATH");
	xasprintf(cause, "--launcher %s needs %s %s: %s%s",
	    rung_launcher_name(lsu_mpis[m].kind), lsu_mpis[m].what,
	    lsu_mpis[m].names[0], rung_buf_cstr(&why),
	    lsu_mpis[m].kind == RUNG_LAUNCHER_MPIRUN ?
	    " (MPICH's is --launcher mpiexec)" :
	    " (Open MPI's is --launcher mpirun)");
	rung_buf_release(&why);
	return NULL;
}

/* Choose and check the launcher's program. */
int
lsu_launcher(struct launch *L, char **prog, char **cause)
{
	struct rung_launcher_opts *lo = &L->o.launcher;
	const char	*name = NULL;
	char		*full;

	*prog = NULL;
	if (!L->o.launcher_given) {
		lo->kind = (full = lsu_find_program("mpirun")) != NULL ?
		    RUNG_LAUNCHER_MPIRUN : RUNG_LAUNCHER_DIRECT;
		free(full);
	}
	switch (lo->kind) {
	case RUNG_LAUNCHER_DIRECT:
		if (lo->ranks > 1) {
			xasprintf(cause, "--launcher direct runs one process "
			    "a trial: --ranks %u needs mpirun, mpiexec or srun",
			    lo->ranks);
			return -1;
		}
		return 0;
	case RUNG_LAUNCHER_MPIRUN:
		name = "mpirun";
		break;
	case RUNG_LAUNCHER_MPIEXEC:
		name = "mpiexec";
		break;
	case RUNG_LAUNCHER_SRUN:
		name = "srun";
		break;
	case RUNG_LAUNCHER_SBATCH:
		name = "sbatch";
		break;
	}
	if (lsr_check(L, cause) != 0)
		return -1;
	if (lo->kind == RUNG_LAUNCHER_MPIRUN ||
	    lo->kind == RUNG_LAUNCHER_MPIEXEC) {
		full = lsu_mpi(L, lo->kind, cause);
		/* Not asked for: MPICH alone is installed, or no MPI. */
		if (full == NULL && !L->o.launcher_given) {
			ln_note(L, "%s: hydra's mpiexec then", *cause);
			free(*cause);
			*cause = NULL;
			lo->kind = RUNG_LAUNCHER_MPIEXEC;
			full = lsu_mpi(L, lo->kind, cause);
		}
		if (full == NULL)
			return -1;
	} else
		full = lsu_find_program(name);
	if (full == NULL) {
		xasprintf(cause, "--launcher %s: cannot find '%s' in PATH",
		    rung_launcher_name(lo->kind), name);
		return -1;
	}
	if (lo->kind == RUNG_LAUNCHER_MPIRUN && geteuid() == 0 &&
	    lp_ompi_root(NULL, NULL))
		ln_note(L, "running as root: the trials get "
		    "OMPI_ALLOW_RUN_AS_ROOT=1 and "
		    "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 (Open MPI refuses root "
		    "without them; set them yourself to decide otherwise)");
	*prog = full;
	lo->program = full;
	return 0;
}

/* Whether the rung whose pid the lock file FD holds still runs. */
static int
lock_owner_alive(int fd)
{
	char	 buf[32];
	ssize_t	 n;
	long	 pid;

	if ((n = pread(fd, buf, sizeof buf - 1, 0)) <= 0)
		return 1;
	buf[n] = '\0';
	if ((pid = strtol(buf, NULL, 10)) <= 0)
		return 1;
	return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

int
lsu_lock_logs(struct launch *L, char **cause)
{
	char	*path, pid[32];
	int	 tries;

	path = xprintf("%s/.%s.lock", L->logs, L->o.study);
	if ((L->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) < 0) {
		xasprintf(cause, "cannot open '%s': %s", path,
		    strerror(errno));
		free(path);
		return -1;
	}
	/*
	 * The lock file holds the pid of the rung that locked it. A rung
	 * killed a moment ago may have left a trainer's child between fork
	 * and exec, holding the lock it inherited until the exec closes it:
	 * while that pid is gone, give such a child a few seconds rather
	 * than refuse a --resume run straight after the kill.
	 */
	for (tries = 0; flock(L->lockfd, LOCK_EX | LOCK_NB) != 0; tries++) {
		if (errno != EWOULDBLOCK || tries == 60 ||
		    lock_owner_alive(L->lockfd)) {
			xasprintf(cause, "the campaign of '%s' is running "
			    "already (its rung holds %s/.%s.lock)", L->o.study,
			    L->logs, L->o.study);
			free(path);
			return -1;
		}
		usleep(50000);
	}
	snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(L->lockfd, 0) != 0 ||
	    pwrite(L->lockfd, pid, strlen(pid), 0) < 0)
		rung_warn("launch: cannot write '%s': %s", path,
		    strerror(errno));
	free(path);
	return 0;
}

char *
lsu_absolute(const char *cwd, const char *path)
{
	if (*path == '/')
		return xstrdup(path);
	return rung_path_join(cwd, path);
}

int
lsu_pool(struct launch *L, char **cause)
{
	uint32_t	 slots;
	int		 rc;

	if (L->o.launcher.kind == RUNG_LAUNCHER_SBATCH)
		return lsb_pool(L, cause);
	/* Under srun in an allocation, the allocation's GPUs. */
	if ((rc = lsr_pool(L, cause)) < 0 || (rc == 0 &&
	    rung_gpu_pool_init(L->o.gpus, environ, &L->pool, cause) != 0))
		return -1;
	L->gpu_busy = xcalloc(L->pool.n + 1, 1);
	if (L->pool.n == 0) {
		if (L->o.gpus_per_trial > 0) {
			xasprintf(cause, "--gpus-per-trial %d, but no GPU: %s",
			    L->o.gpus_per_trial, L->pool.source);
			return -1;
		}
		L->gpt = 0;
		L->parallel = L->o.parallel ? L->o.parallel : 1;
		return 0;
	}
	/*
	 * 0 would make the slots pool.n / 0: every configuration at once
	 * (a campaign of an older rung may hold it).
	 */
	if (L->o.gpus_per_trial == 0) {
		xasprintf(cause, "--gpus-per-trial 0: a trial takes from 1 to "
		    "%u GPUs of the pool (%s); --gpus none runs trials "
		    "without one", L->pool.n, L->pool.source);
		return -1;
	}
	L->gpt = L->o.gpus_per_trial < 0 ? 1 : (uint32_t)L->o.gpus_per_trial;
	if (L->gpt > L->pool.n) {
		xasprintf(cause, "--gpus-per-trial %u, but the pool has %u "
		    "GPU%s (%s)", L->gpt, L->pool.n, L->pool.n == 1 ? "" : "s",
		    L->pool.source);
		return -1;
	}
	slots = L->pool.n / L->gpt;
	L->parallel = L->o.parallel ? L->o.parallel : slots;
	if (L->parallel > slots) {
		rung_warn("launch: --workers %u, but %u GPU%s make %u slot%s: "
		    "%u trials at a time", L->parallel, L->pool.n,
		    L->pool.n == 1 ? "" : "s", slots, slots == 1 ? "" : "s",
		    slots);
		L->parallel = slots;
	}
	return 0;
}

