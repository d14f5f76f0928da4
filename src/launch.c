/*
 * The engine of rung launch: one event loop over the trials' stdout pipes,
 * SIGCHLD and the timers, driving the scheduler exactly as the replay
 * simulator does (src/replay.c): free slots ask rung_sched_next() for
 * work, each report is told to rung_sched_report() in the order it
 * arrives, a trial that ends on its own is rung_sched_lost().
 *
 * With one trial at a time (--workers 1) and a trainer that is a
 * function of its parameters, the decisions are those of rung replay on
 * the same configurations with the same seed and one worker: the next
 * trial starts only once the last process of the previous one is gone,
 * and nothing else happens in between.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "rung/jsonout.h"
#include "rung/launch.h"
#include "rung/replay.h"
#include "rung/sampler.h"
#include "rung/sched.h"
#include "rung/space.h"
#include "rung/store.h"
#include "rung/store-launch.h"
#include "rung/study.h"
#include "rung/table.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "launch-int.h"

extern char **environ;

/* Signals to end a run: cooperative first, then not. */
static const int stop_stages[] = { SIGUSR1, SIGTERM, SIGKILL, 0 };
static const int kill_stages[] = { SIGTERM, SIGKILL, 0 };
static const int now_stages[] = { SIGKILL, 0 };

#define TAIL_BYTES	4096
#define TAIL_LINES	20
#define LINE_MAX_LEN	(1024 * 1024)
#define MAX_WARNINGS	3

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t nsignals;
static int sig_w = -1;

static void
on_signal(int sig)
{
	int	 saved = errno;

	if (sig != SIGCHLD) {
		got_signal = sig;
		nsignals++;
	}
	if (sig_w >= 0)
		(void)write(sig_w, "", 1);
	errno = saved;
}

void
rung_launch_opts_init(struct rung_launch_opts *o)
{
	memset(o, 0, sizeof *o);
	rung_sched_params_init(&o->sched, RUNG_POLICY_ASHA);
	o->gpus_per_trial = -1;
	o->step_timeout = -1;
	o->grace = -1;
	o->launcher.ranks = 1;
}

static void
note(struct launch *L, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Progress on stderr: starts, decisions, ends. */
static void
note(struct launch *L, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	(void)L;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	rung_info("launch: %s", msg);
	free(msg);
}

/* A line of rung's own in the trial's log. */
static void
log_note(struct launch *L, struct ltrial *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
log_note(struct launch *L, struct ltrial *t, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (t->log < 0)
		return;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	lg_printf(L, t, "[rung] %s\n", msg);
	free(msg);
}

static void
fail(struct launch *L, char *cause)
{
	if (L->fatal == NULL)
		L->fatal = cause;
	else
		free(cause);
	L->stopping = 1;
}

static uint32_t
gpus_free(const struct launch *L)
{
	uint32_t	 i, n = 0;

	for (i = 0; i < L->pool.n; i++)
		n += !L->gpu_busy[i];
	return n;
}

/* Trials that hold a slot: running, ending, or waiting to run. */
static uint32_t
busy_slots(const struct launch *L)
{
	uint32_t	 i, n = 0;

	for (i = 0; i < L->nt; i++)
		n += L->t[i]->active || L->t[i]->restart;
	return n;
}

static struct ltrial *
trial_new(struct launch *L, uint32_t handle)
{
	struct ltrial	*t;

	t = xcalloc(1, sizeof *t);
	t->handle = handle;
	t->out = t->log = -1;
	XGROW(L->t, L->tcap, L->nt + 1);
	L->t[L->nt++] = t;
	return t;
}

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
static void
remove_tmpdir(struct ltrial *t)
{
	if (t->tmpdir == NULL)
		return;
	nftw(t->tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(t->tmpdir);
	t->tmpdir = NULL;
}

static void
trial_free(struct ltrial *t)
{
	uint32_t	 i;

	for (i = 0; i < t->nm; i++)
		series_release(&t->m[i]);
	free(t->m);
	series_release(&t->secs);
	rung_config_release(&t->cfg);
	free(t->ext);
	free(t->params);
	free(t->reason);
	free(t->key);
	if (t->cg != NULL)
		(void)rung_cgroup_remove(t->cg);
	free(t->cg);
	free(t->gpu);
	free(t->gpus);
	remove_tmpdir(t);
	rung_buf_release(&t->part);
	if (t->out >= 0)
		close(t->out);
	if (t->log >= 0)
		close(t->log);
	free(t);
}

/* Settings: what a campaign is, kept to resume it. */

static json_object *
settings_json(const struct launch *L)
{
	const struct rung_launch_opts *o = &L->o;
	const struct rung_sched_params *p = &o->sched;
	json_object	*j = json_object_new_object(), *a;
	size_t		 i;

	json_object_object_add(j, "policy", json_object_new_string(
	    rung_policy_name(p->policy)));
	json_object_object_add(j, "eta", rung_json_double(p->eta, 0));
	json_object_object_add(j, "min_r", rung_json_double(p->min_r, 0));
	json_object_object_add(j, "max_r", rung_json_double(p->max_r, 0));
	json_object_object_add(j, "variant", json_object_new_string(
	    rung_asha_variant_name(p->variant)));
	json_object_object_add(j, "rule", json_object_new_string(
	    rung_asha_rule_name(p->rule)));
	json_object_object_add(j, "max_configs", json_object_new_int64(
	    p->max_configs));
	json_object_object_add(j, "min_curves", json_object_new_int64(
	    p->min_curves));
	json_object_object_add(j, "keep_full", rung_json_double(p->keep_full,
	    0));
	json_object_object_add(j, "known_curve", rung_json_double(
	    p->known_curve, 0));
	json_object_object_add(j, "delta", rung_json_double(p->delta, 0));
	json_object_object_add(j, "budget", json_object_new_int64(
	    (int64_t)o->budget));
	json_object_object_add(j, "seed", json_object_new_int64(
	    (int64_t)o->seed));
	json_object_object_add(j, "space_path", o->space_path ?
	    json_object_new_string(o->space_path) : NULL);
	json_object_object_add(j, "space", L->space_text ?
	    json_object_new_string(L->space_text) : NULL);
	json_object_object_add(j, "from", o->from ?
	    json_object_new_string(o->from) : NULL);
	json_object_object_add(j, "metric", o->metric ?
	    json_object_new_string(o->metric) : NULL);
	json_object_object_add(j, "direction", o->direction ?
	    json_object_new_string(rung_direction_name(o->direction)) : NULL);
	a = json_object_new_array();
	for (i = 0; i < o->ncmd; i++)
		json_object_array_add(a, json_object_new_string(o->cmd[i]));
	json_object_object_add(j, "command", a);
	json_object_object_add(j, "cwd", json_object_new_string(L->cwd));
	json_object_object_add(j, "parallel", json_object_new_int64(
	    o->parallel));
	json_object_object_add(j, "launcher", json_object_new_string(
	    rung_launcher_name(o->launcher.kind)));
	json_object_object_add(j, "ranks", json_object_new_int64(
	    o->launcher.ranks));
	json_object_object_add(j, "hostfile", o->launcher.hostfile ?
	    json_object_new_string(o->launcher.hostfile) : NULL);
	json_object_object_add(j, "gpus", json_object_new_string(o->gpus ?
	    o->gpus : "auto"));
	json_object_object_add(j, "gpus_per_trial", json_object_new_int64(
	    o->gpus_per_trial));
	json_object_object_add(j, "step_timeout", rung_json_double(
	    o->step_timeout, 0));
	json_object_object_add(j, "grace", rung_json_double(o->grace, 0));
	json_object_object_add(j, "logs", json_object_new_string(L->logs));
	return j;
}

/* Strings of the settings live as long as the launch: kept here. */
struct keep {
	json_object	*j;
	char		**cmd;
};

static const char *
jstr(json_object *j, const char *k)
{
	json_object	*v;

	if (!json_object_object_get_ex(j, k, &v) || v == NULL ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static double
jnum(json_object *j, const char *k, double dflt)
{
	json_object	*v;

	if (!json_object_object_get_ex(j, k, &v) || v == NULL)
		return dflt;
	return json_object_get_double(v);
}

/*
 * Read the settings of a campaign being resumed into L->o, keeping what
 * the command line gave for how to run it.
 */
static int
settings_read(struct launch *L, const struct rung_launch_opts *cl,
    struct keep *k, char **cause)
{
	struct rung_launch_opts *o = &L->o;
	json_object	*j, *a;
	const char	*s;
	size_t		 i, n;
	int		 v;

	if (L->settings == NULL ||
	    (j = json_tokener_parse(L->settings)) == NULL) {
		xasprintf(cause, "the launch of '%s' has no readable settings",
		    o->study);
		return -1;
	}
	k->j = j;
	if ((v = rung_policy_parse(jstr(j, "policy") ? jstr(j, "policy") :
	    "")) < 0) {
		xasprintf(cause, "the launch of '%s' names no known policy",
		    o->study);
		return -1;
	}
	rung_sched_params_init(&o->sched, (enum rung_policy)v);
	o->sched.eta = jnum(j, "eta", o->sched.eta);
	o->sched.min_r = jnum(j, "min_r", o->sched.min_r);
	o->sched.max_r = jnum(j, "max_r", o->sched.max_r);
	if ((s = jstr(j, "variant")) != NULL &&
	    (v = rung_asha_variant_parse(s)) >= 0)
		o->sched.variant = (enum rung_asha_variant)v;
	if ((s = jstr(j, "rule")) != NULL &&
	    (v = rung_asha_rule_parse(s)) >= 0)
		o->sched.rule = (enum rung_asha_rule)v;
	o->sched.max_configs = (uint32_t)jnum(j, "max_configs", 0);
	o->sched.min_curves = (uint32_t)jnum(j, "min_curves",
	    o->sched.min_curves);
	o->sched.keep_full = jnum(j, "keep_full", o->sched.keep_full);
	o->sched.known_curve = jnum(j, "known_curve", o->sched.known_curve);
	o->sched.delta = jnum(j, "delta", o->sched.delta);
	o->budget = (uint64_t)jnum(j, "budget", 0);
	o->seed = (uint64_t)jnum(j, "seed", 0);
	o->space_path = jstr(j, "space_path");
	if ((s = jstr(j, "space")) != NULL)
		L->space_text = xstrdup(s);
	o->from = jstr(j, "from");
	o->metric = jstr(j, "metric");
	if ((s = jstr(j, "direction")) != NULL)
		o->direction = (enum rung_direction)rung_direction_parse(s);
	if (json_object_object_get_ex(j, "command", &a) &&
	    json_object_is_type(a, json_type_array)) {
		n = json_object_array_length(a);
		k->cmd = xcalloc(n + 1, sizeof *k->cmd);
		for (i = 0; i < n; i++)
			k->cmd[i] = xstrdup(json_object_get_string(
			    json_object_array_get_idx(a, i)));
		o->cmd = k->cmd;
		o->ncmd = n;
	}
	if (o->ncmd == 0) {
		xasprintf(cause, "the launch of '%s' has no command", o->study);
		return -1;
	}
	free(L->cwd);
	L->cwd = xstrdup(jstr(j, "cwd") ? jstr(j, "cwd") : ".");

	/* How: the command line wins. */
	o->parallel = cl->parallel ? cl->parallel :
	    (uint32_t)jnum(j, "parallel", 0);
	if (cl->launcher_given)
		o->launcher = cl->launcher;
	else {
		v = rung_launcher_parse(jstr(j, "launcher") ?
		    jstr(j, "launcher") : "");
		o->launcher.kind = v < 0 ? RUNG_LAUNCHER_DIRECT :
		    (enum rung_launcher)v;
		o->launcher.ranks = (uint32_t)jnum(j, "ranks", 1);
		o->launcher.hostfile = cl->launcher.hostfile ?
		    cl->launcher.hostfile : jstr(j, "hostfile");
		o->launcher_given = 1;
	}
	o->gpus = cl->gpus ? cl->gpus : jstr(j, "gpus");
	o->gpus_per_trial = cl->gpus_per_trial >= 0 ? cl->gpus_per_trial :
	    (int32_t)jnum(j, "gpus_per_trial", -1);
	o->step_timeout = cl->step_timeout >= 0 ? cl->step_timeout :
	    jnum(j, "step_timeout", 0);
	o->grace = cl->grace >= 0 ? cl->grace : jnum(j, "grace", 10);
	return 0;
}

/* Where programs are. */

/* Is prog runnable (a path, or found in PATH)? The full path, or NULL. */
static char *
find_program(const char *prog)
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

/* Choose and check the launcher's program. */
static int
setup_launcher(struct launch *L, char **prog, char **cause)
{
	struct rung_launcher_opts *lo = &L->o.launcher;
	const char	*name = NULL, *alt = NULL;
	char		*full, *ver;

	*prog = NULL;
	if (!L->o.launcher_given) {
		lo->kind = (full = find_program("mpirun")) != NULL ?
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
		alt = "mpirun.openmpi";
		break;
	case RUNG_LAUNCHER_MPIEXEC:
		name = "mpiexec";
		alt = "mpiexec.mpich";
		break;
	case RUNG_LAUNCHER_SRUN:
		name = "srun";
		break;
	}
	if (lo->kind == RUNG_LAUNCHER_SRUN && getenv("SLURM_JOB_ID") == NULL)
		rung_warn("launch: srun runs job steps inside an allocation, "
		    "and SLURM_JOB_ID is not set (salloc or sbatch first)");
	full = find_program(name);
	if (lo->kind == RUNG_LAUNCHER_MPIRUN && full != NULL) {
		/* -x and --bind-to are Open MPI's: not hydra's mpirun. */
		ver = program_version(full);
		if (ver == NULL || (strstr(ver, "Open MPI") == NULL &&
		    strstr(ver, "OpenRTE") == NULL)) {
			free(full);
			full = find_program(alt);
			if (full == NULL) {
				free(ver);
				xasprintf(cause, "mpirun is not Open MPI's "
				    "(it says '%.40s'): use --launcher mpiexec",
				    ver != NULL ? ver : "nothing");
				return -1;
			}
		}
		free(ver);
	} else if (full == NULL && alt != NULL)
		full = find_program(alt);
	if (full == NULL) {
		xasprintf(cause, "--launcher %s: cannot find '%s' in PATH",
		    rung_launcher_name(lo->kind), name);
		return -1;
	}
	*prog = full;
	lo->program = full;
	return 0;
}

/* Configurations. */

static int
load_from(struct launch *L, char **cause)
{
	struct rung_study	*s = NULL;
	struct rung_sampler_state *sp;
	const struct rung_param	*p;
	struct rung_config	*c;
	uint32_t		*pool = NULL, npool, i, k, pick;

	if ((L->o.metric != NULL && rung_store_check_metric(L->st, L->o.from,
	    L->o.metric, cause) != 0) || rung_store_load(L->st, L->o.from,
	    L->o.metric, L->o.direction, &s, cause) != 0)
		return -1;
	/* Its metric and direction, unless told otherwise. */
	if (L->metric == NULL && s->curve.name != NULL &&
	    *s->curve.name != '\0') {
		L->metric = xstrdup(s->curve.name);
		L->o.metric = L->metric;
		if (L->o.direction == 0)
			L->o.direction = s->direction;
	}
	npool = rung_replay_pool(s, L->o.sched.max_r, &pool);
	if (npool == 0) {
		xasprintf(cause, "--from %s: no trial reaches step %d "
		    "(--max-steps)", L->o.from, (int)ceil(L->o.sched.max_r));
		free(pool);
		rung_study_free(s);
		return -1;
	}
	/* The order rung replay draws them in for the same seed. */
	sp = rung_sampler_new(s, pool, npool, RUNG_SAMPLER_RANDOM, L->o.seed);
	L->from_cfg = xcalloc(npool, sizeof *L->from_cfg);
	L->from_ids = xcalloc(npool, sizeof *L->from_ids);
	for (i = 0; i < npool; i++) {
		if ((pick = rung_sampler_pick(sp)) == UINT32_MAX)
			break;
		k = pool[pick];
		L->from_ids[i] = xstrdup(s->ids[k]);
		c = &L->from_cfg[i];
		c->n = s->nparams;
		c->names = xcalloc(s->nparams + 1, sizeof *c->names);
		c->v = xcalloc(s->nparams + 1, sizeof *c->v);
		for (uint32_t j = 0; j < s->nparams; j++) {
			p = &s->params[j];
			c->names[j] = xstrdup(p->name);
			c->v[j].type = p->type;
			c->v[j].log = p->log;
			if (p->type == RUNG_PCAT)
				c->v[j].s = p->cat[k] == UINT32_MAX ? NULL :
				    xstrdup(p->levels[p->cat[k]]);
			else if (p->type == RUNG_PINT)
				c->v[j].i = (int64_t)p->num[k];
			else
				c->v[j].d = p->num[k];
		}
		L->nfrom++;
	}
	rung_sampler_free(sp);
	free(pool);
	rung_study_free(s);
	return 0;
}

/* Configuration of a new trial; -1 when --from has no more. */
static int
config_for(struct launch *L, struct ltrial *t)
{
	if (L->space != NULL) {
		rung_space_sample(L->space, L->o.seed, t->handle, &t->cfg);
		t->ext = xprintf("%u", t->handle);
	} else {
		if (t->handle >= L->nfrom)
			return -1;
		rung_config_copy(&t->cfg, &L->from_cfg[t->handle]);
		t->ext = xstrdup(L->from_ids[t->handle]);
	}
	t->params = rung_config_json(&t->cfg);
	return 0;
}

/*
 * A resumed trial's configuration as it was drawn. The database keeps it as
 * RUNG_PARAMS, where a choice that reads as a number is that number: 1e-3
 * comes back as 0.001 and 007 as 7, and {name} would change between two
 * runs of one trial. Drawn again (the same space, seed and handle, or the
 * same --from trial), it has the words of the space; it is taken when it
 * gives the same RUNG_PARAMS, which it does unless a file changed.
 */
static void
config_restore(struct launch *L, struct ltrial *t)
{
	struct rung_config	 c;
	char			*json;

	if (t->params == NULL)
		return;
	memset(&c, 0, sizeof c);
	if (L->space != NULL)
		rung_space_sample(L->space, L->o.seed, t->handle, &c);
	else if (t->handle < L->nfrom && t->ext != NULL &&
	    strcmp(L->from_ids[t->handle], t->ext) == 0)
		rung_config_copy(&c, &L->from_cfg[t->handle]);
	else
		return;
	json = rung_config_json(&c);
	if (strcmp(json, t->params) == 0) {
		rung_config_release(&t->cfg);
		t->cfg = c;
	} else
		rung_config_release(&c);
	free(json);
}

/* Running a trial. */

static int
mkdirs(const char *path, char **cause)
{
	char	*copy = xstrdup(path), *p;

	for (p = copy + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
			xasprintf(cause, "cannot create '%s': %s", copy,
			    strerror(errno));
			free(copy);
			return -1;
		}
		*p = '/';
	}
	free(copy);
	if (mkdir(path, 0777) != 0 && errno != EEXIST) {
		xasprintf(cause, "cannot create '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
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

static size_t
trial_procs(struct launch *L, struct ltrial *t, pid_t **pids)
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
static void
setup_tracking(struct launch *L)
{
	char	*why = NULL;

	if (L->cgbase == NULL)
		L->cgbase = rung_cgroup_base(&why);
	if (L->cgbase != NULL) {
		L->cg = xprintf("%s/rung-%s", L->cgbase, L->nonce);
		if (rung_cgroup_make(L->cg, &why) == 0) {
			note(L, "a trial's processes: those of its cgroup "
			    "(in %s)", L->cg);
			return;
		}
		free(L->cg);
		L->cg = NULL;
	}
	note(L, "a trial's processes: its session, RUNG_TRIAL_KEY and rung's "
	    "orphans (no cgroup: %s)", why);
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
timestamp(char buf[32])
{
	time_t		 now = time(NULL);
	struct tm	 tm;

	gmtime_r(&now, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
child_exec(struct launch *L, char **argv, char **envp, int out, int log,
    int cgfd)
{
	sigset_t	 set;
	int		 null, sig;

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

/* Start a run of t: to step target, from step from. */
static int
spawn(struct launch *L, struct ltrial *t, int32_t target, int32_t from,
    const char *event, char **cause)
{
	struct rung_buf	 gb = { 0 };
	char		**argv = NULL, **envp = NULL, **cmd;
	char		*set[16], *vars[16];
	char		*ckpt = NULL, *logpath = NULL, *name, *detail, when[32];
	char		 fromtxt[32];
	size_t		 nset = 0, nvars = 0, i;
	uint32_t	 g;
	pid_t		 pid;
	int		 fd[2] = { -1, -1 }, ret = -1, cgfd = -1;

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
	if (mkdirs(ckpt, cause) != 0)
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
	set[nset++] = xprintf("%s=%s", L->pool.var, t->gpus);
	if (L->pool.pci_order && L->pool.n > 0)
		set[nset++] = xstrdup("CUDA_DEVICE_ORDER=PCI_BUS_ID");
	for (i = 0; i < nset; i++)
		vars[nvars++] = xstrndup(set[i], strcspn(set[i], "="));
	if (L->o.launcher.kind == RUNG_LAUNCHER_MPIRUN) {
		/*
		 * Concurrent mpiruns race to create their session directory
		 * (Open MPI 4.1: "File exists"): each run has its own.
		 */
		remove_tmpdir(t);
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
	}
	envp = rung_env_build(environ, L->strip_mpi, set, nset);

	cmd = xcalloc(L->o.ncmd + 1, sizeof *cmd);
	for (i = 0; i < L->o.ncmd; i++)
		cmd[i] = rung_launch_subst(L->o.cmd[i], &t->cfg, t->ext);
	L->o.launcher.gpus_per_task = L->gpt;
	argv = rung_launch_argv(&L->o.launcher, (const char *const *)vars,
	    nvars, cmd, L->o.ncmd);
	for (i = 0; i < L->o.ncmd; i++)
		free(cmd[i]);
	free(cmd);

	timestamp(when);
	lg_printf(L, t, "[rung] %s: run %u of trial %s, from step %d to step "
	    "%d%s%s:", when, t->runs, t->ext, from, target, *t->gpus ?
	    ", gpu " : "", t->gpus);
	for (i = 0; argv[i] != NULL; i++)
		lg_printf(L, t, " %s", argv[i]);
	lg_printf(L, t, "\n");

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
	detail = xprintf("to step %d, %s%s, pid %ld", t->target,
	    *t->gpus != '\0' ? "gpu " : "no gpu", t->gpus, (long)t->pid);
	lw_event(L, t, t->from, event, detail);
	free(detail);
	if (lw_flush(L, cause) < 0)
		goto out;
	/* "from step 3 to step 9", or "to step 9" for a run from the start. */
	if (from > 0)
		snprintf(fromtxt, sizeof fromtxt, "from step %d ", (int)from);
	else
		*fromtxt = '\0';
	note(L, "trial %s %s (%sto step %d%s%s): %s", t->ext,
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

	if (!t->reaped && kill(-t->pid, sig) != 0 && errno == ESRCH)
		kill(t->pid, sig);
	if (sig == SIGKILL && t->cg != NULL)
		rung_cgroup_kill(t->cg);
	if (sig == SIGKILL || t->reaped) {
		n = trial_procs(L, t, &pids);
		for (i = 0; i < n; i++)
			kill(pids[i], sig);
		free(pids);
	}
}

static void
next_signal(struct launch *L, struct ltrial *t)
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
static void
end_run(struct launch *L, struct ltrial *t, const int *stages)
{
	if (!t->active)
		return;
	if (t->stages == now_stages || (t->stages == kill_stages &&
	    stages == stop_stages))
		return;
	if (t->stages == stop_stages && stages == kill_stages &&
	    t->stage > 1)
		return;		/* SIGTERM is out already */
	t->stages = stages;
	t->stage = 0;
	next_signal(L, t);
}

/*
 * A run at its target ends on its own: signals only if it is still there
 * after the grace period (a trainer may save or evaluate at the end).
 */
static void
end_run_later(struct launch *L, struct ltrial *t)
{
	if (!t->active || t->stages != NULL)
		return;
	t->stages = stop_stages;
	t->stage = 0;
	t->next_signal = rung_now() + L->o.grace;
}

/* The last lines of the trial's log. */
static char *
log_tail(struct launch *L, struct ltrial *t)
{
	char		*path, buf[TAIL_BYTES + 1], *p;
	struct stat	 sb;
	ssize_t		 n;
	off_t		 off;
	int		 fd, lines = 0;

	path = xprintf("%s/%s.log", L->logs, t->ext);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) != 0) {
		close(fd);
		return NULL;
	}
	off = sb.st_size > TAIL_BYTES ? sb.st_size - TAIL_BYTES : 0;
	n = pread(fd, buf, TAIL_BYTES, off);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	for (p = buf + n; p > buf; p--) {
		if (p[-1] == '\n' && ++lines == TAIL_LINES)
			break;
	}
	if (p == buf && off > 0)
		p = strchr(buf, '\n') ? strchr(buf, '\n') + 1 : buf;
	return xstrdup(p);
}

/* The last non-empty line of text, for messages. */
static const char *
last_line(const char *text)
{
	static char	 buf[256];
	const char	*p, *e;

	if (text == NULL)
		return "nothing";
	/* Lines that say something: a rule of dashes says nothing. */
	for (e = text + strlen(text); e > text; e = p > text ? p - 1 : text) {
		for (p = e; p > text && p[-1] != '\n'; p--)
			;
		for (size_t i = 0; p + i < e; i++) {
			if (isalnum((unsigned char)p[i])) {
				snprintf(buf, sizeof buf, "%.*s", (int)(e - p),
				    p);
				return buf;
			}
		}
	}
	return "nothing";
}

/* The run of t is over, every process of it gone. */
static void
finalize(struct launch *L, struct ltrial *t)
{
	char		*cause = NULL, *tail = NULL, *why = NULL, when[32];
	const char	*event;
	uint32_t	 i;
	int		 lost = 0, code = -1, sig = 0;

	for (i = 0; i < t->ngpu; i++)
		L->gpu_busy[t->gpu[i]] = 0;
	t->ngpu = 0;
	t->active = 0;
	L->nactive--;
	remove_tmpdir(t);
	L->idle = 0;
	if (WIFEXITED(t->wstatus))
		code = WEXITSTATUS(t->wstatus);
	else if (WIFSIGNALED(t->wstatus))
		sig = WTERMSIG(t->wstatus);
	if (sig)
		why = xprintf("killed by signal %d (%s)", sig, strsignal(sig));
	else
		why = xprintf("exit status %d", code);

	if (t->decided)
		event = "exit";		/* the decision has its own event */
	else if (t->timed_out) {
		t->state = LT_STOPPED;
		free(t->reason);
		t->reason = xprintf("no report for %g s (--step-timeout): "
		    "killed", L->o.step_timeout);
		event = "timeout";
		lost = 1;
	} else if (L->stopping) {
		/* Interrupted: run again on resume. */
		t->state = LT_RUNNING;
		free(t->reason);
		t->reason = xstrdup("interrupted: runs again on resume");
		event = "interrupted";
	} else if (code == 0) {
		if (t->last >= (int32_t)ceil(L->o.sched.max_r))
			t->state = LT_COMPLETE;
		else {
			t->state = LT_STOPPED;
			free(t->reason);
			t->reason = xprintf("ended on its own at step %d, "
			    "before step %d", t->last, t->target);
		}
		event = "ended";
		lost = 1;
	} else {
		t->state = LT_FAILED;
		free(t->reason);
		t->reason = xprintf("failed at step %d: %s", t->last, why);
		event = "failed";
		lost = 1;
		tail = log_tail(L, t);
		L->nfailed++;
	}
	if (lost)
		rung_sched_lost(L->sc, t->handle);
	timestamp(when);
	log_note(L, t, "%s: run %u %s (%s)", when, t->runs, event, why);
	lg_check(L, t);
	if (t->log >= 0) {
		close(t->log);
		t->log = -1;
	}
	t->unsaved |= U_END;
	free(t->pend_tail);
	t->pend_tail = tail != NULL ? xstrdup(tail) : NULL;
	if (lost)
		L->unsaved_state = 1;
	lw_event(L, t, t->last, event, t->reason && !t->decided ? t->reason :
	    why);
	if (lw_flush(L, &cause) < 0)
		fail(L, cause);
	if (t->state == LT_FAILED)
		note(L, "trial %s failed at step %d: %s (log: %s/%s.log)",
		    t->ext, t->last, why, L->logs, t->ext);
	else if (t->timed_out)
		note(L, "trial %s stopped: %s", t->ext, t->reason);
	else if (!t->decided && !L->stopping)
		note(L, "trial %s %s", t->ext, t->reason ? t->reason :
		    "complete");
	/* A command that cannot work at all: stop before it eats them all. */
	if (t->state == LT_FAILED && L->reports == 0 && L->nfailed >= 3 &&
	    !L->stopping)
		fail(L, xprintf("the first %u runs failed before any report "
		    "(the end of %s/%s.log: %s): is the command right?",
		    L->nfailed, L->logs, t->ext, last_line(tail)));
	free(why);
	free(tail);
}

/* Reports. */

/*
 * What the scheduler is told of a value: lower is better, and rounded to
 * single precision as the replays hold recorded curves (study.h), so that
 * a replay of the recorded points decides as the campaign did. The study
 * keeps the value exactly.
 */
static double
sched_value(const struct launch *L, double v)
{
	double	 f = (double)(float)v;

	return L->o.direction == RUNG_MAX ? -f : f;
}

static void
handle_report(struct launch *L, struct ltrial *t, struct rung_report *r)
{
	enum rung_decision d;
	enum rung_direction dir;
	char		*cause = NULL, *m = NULL, num[RUNG_DBL_BUFSZ];
	const char	*dname = NULL;
	uint32_t	 i, idx;
	double		 v, now = rung_now();
	int32_t		 prev;
	int		 k;

	if (!t->active || t->decided || t->timed_out || L->stopping) {
		log_note(L, t, "step %d reported after rung ended the run: not "
		    "recorded", r->step);
		return;
	}
	if (L->metric == NULL) {
		if (rung_report_metric(r, &m, &cause) != 0) {
			fail(L, xprintf("trial %s: %s", t->ext, cause));
			free(cause);
			return;
		}
		dir = L->o.direction ? L->o.direction :
		    rung_direction_guess(m);
		L->unsaved_metric = 1;
		L->metric = m;
		L->o.direction = dir;
		note(L, "the metric is %s (%s)", m, dir == RUNG_MAX ?
		    "higher is better" : "lower is better");
	}
	if ((k = rung_report_find(r, L->metric)) < 0) {
		log_note(L, t, "the report of step %d has no '%s': ignored",
		    r->step, L->metric);
		if (t->nmalformed++ < MAX_WARNINGS)
			rung_warn("launch: trial %s: the report of step %d has "
			    "no '%s': ignored", t->ext, r->step, L->metric);
		return;
	}
	if (r->step <= t->last) {
		log_note(L, t, "step %d is recorded already (up to %d): ignored",
		    r->step, t->last);
		return;
	}
	v = r->vals[k];
	prev = t->last;
	L->reports++;
	d = rung_sched_report(L->sc, t->handle, r->step, sched_value(L, v));
	L->steps += (uint64_t)(r->step - (prev > t->from ? prev : t->from));
	L->idle = 0;

	for (i = 0; i < r->n; i++) {
		idx = ldb_metric(L, r->keys[i]);
		if (idx >= t->nm) {
			t->m = xreallocarray(t->m, idx + 1, sizeof *t->m);
			memset(t->m + t->nm, 0, (idx + 1 - t->nm) *
			    sizeof *t->m);
			t->nm = idx + 1;
		}
		series_add(&t->m[idx], r->step, r->vals[i]);
	}
	series_add(&t->secs, r->step, now - t->t_report);
	t->t_report = now;
	t->last = t->seen = r->step;
	if (d != RUNG_CONTINUE) {
		t->decided = 1;
		t->decision = d;
		dname = rung_decision_name(d);
		if (d == RUNG_PAUSE) {
			t->state = LT_PAUSED;
			t->reason = xprintf("paused at step %d by %s", r->step,
			    rung_policy_name(L->o.sched.policy));
		} else if (rung_sched_trial_state(L->sc, t->handle) ==
		    RUNG_TRIAL_FINISHED || r->step >=
		    (int32_t)ceil(L->o.sched.max_r)) {
			t->finished = 1;
			t->state = LT_COMPLETE;
		} else {
			t->state = LT_STOPPED;
			t->reason = xprintf("stopped by %s at step %d (%s %s)",
			    rung_policy_name(L->o.sched.policy), r->step,
			    L->metric, rung_fmt_human(v, num));
		}
	}
	/*
	 * Written before rung acts on the decision, unless another process
	 * holds the database: then kept, and acted on at once all the same
	 * (the trainers do not wait). A rung killed before it writes them
	 * leaves the study as it was, which --resume takes up.
	 */
	t->unsaved |= U_POINTS | U_UPDATE;
	if (dname != NULL) {
		t->pend_dname = dname;
		t->pend_dstep = r->step;
		lw_event(L, t, r->step, t->finished ? "complete" : dname,
		    t->reason);
	}
	L->unsaved_state = 1;
	L->nkept++;
	if (lw_flush(L, &cause) < 0) {
		fail(L, cause);
		return;
	}

	if (d != RUNG_CONTINUE) {
		note(L, "trial %s: step %d, %s %s: %s", t->ext, r->step,
		    L->metric, rung_fmt_human(v, num), t->finished ?
		    "complete" : dname);
		if (r->step >= t->target)
			end_run_later(L, t);
		else
			end_run(L, t, stop_stages);
	}
	if (L->o.budget != 0 && L->steps >= L->o.budget &&
	    !L->budget_spent) {
		L->budget_spent = 1;
		note(L, "the budget of %" PRIu64 " steps is spent: stopping "
		    "every trial", L->o.budget);
		for (i = 0; i < L->nt; i++) {
			struct ltrial	*u = L->t[i];

			u->restart = 0;
			if (!u->active || u->decided)
				continue;
			u->decided = 1;
			u->decision = RUNG_STOP;
			u->state = LT_STOPPED;
			free(u->reason);
			u->reason = xprintf("the budget (%" PRIu64 " steps) "
			    "was spent", L->o.budget);
			end_run(L, u, stop_stages);
		}
	}
}

static void
handle_line(struct launch *L, struct ltrial *t, char *line, size_t len)
{
	struct rung_report r;
	char		*cause = NULL;
	int		 rc;

	rc = rung_report_parse(line, len, &r, &cause);
	if (rc == 0) {
		if (t->log >= 0) {
			line[len] = '\n';
			lg_write(L, t, line, len + 1);
			line[len] = '\0';
		}
		return;
	}
	if (rc < 0) {
		log_note(L, t, "malformed report ignored (%s): %s", cause, line);
		if (t->nmalformed++ < MAX_WARNINGS)
			rung_warn("launch: trial %s: malformed report ignored "
			    "(%s): %.200s", t->ext, cause, line);
		free(cause);
		return;
	}
	handle_report(L, t, &r);
	rung_report_release(&r);
}

/* Read what the trial wrote; lines to handle_line. */
static void
read_out(struct launch *L, struct ltrial *t)
{
	char	 buf[65536], *p, *nl;
	ssize_t	 n;
	size_t	 len;

	while (t->out >= 0) {
		n = read(t->out, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;		/* EAGAIN */
		if (n == 0) {
			close(t->out);
			t->out = -1;
			if (t->part.len > 0) {
				len = t->part.len;
				rung_buf_addc(&t->part, '\0');
				rung_buf_addc(&t->part, '\0');
				handle_line(L, t, t->part.data, len);
				t->part.len = 0;
			}
			return;
		}
		rung_buf_add(&t->part, buf, (size_t)n);
		p = t->part.data;
		len = t->part.len;
		while ((nl = memchr(p, '\n', len)) != NULL) {
			*nl = '\0';
			handle_line(L, t, p, (size_t)(nl - p));
			len -= (size_t)(nl - p) + 1;
			p = nl + 1;
		}
		if (len > LINE_MAX_LEN) {
			/* One line that never ends: to the log as it is. */
			if (t->log >= 0)
				lg_write(L, t, p, len);
			len = 0;
		}
		memmove(t->part.data, p, len);
		t->part.len = len;
	}
}

/* Children: reap every one, note the trials' leaders. */
static void
reap(struct launch *L)
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

/* A run whose leader is gone: over once nothing of it remains. */
static void
check_end(struct launch *L, struct ltrial *t)
{
	pid_t	*pids;
	size_t	 n, i;

	if (t->out >= 0)
		read_out(L, t);
	n = trial_procs(L, t, &pids);
	if (n > 0) {
		if (rung_now() >= t->linger) {
			if (t->cg != NULL)
				rung_cgroup_kill(t->cg);
			for (i = 0; i < n; i++)
				kill(pids[i], SIGKILL);
			t->linger = rung_now() + 0.5;
		}
		free(pids);
		return;
	}
	if (t->out >= 0) {
		/*
		 * No process of the trial remains: what is in the pipe is all
		 * there is (a stranger holding it is not waited for).
		 */
		read_out(L, t);
		if (t->out >= 0) {
			close(t->out);
			t->out = -1;
			if (t->part.len > 0) {
				size_t	 len = t->part.len;

				rung_buf_addc(&t->part, '\0');
				rung_buf_addc(&t->part, '\0');
				handle_line(L, t, t->part.data, len);
				t->part.len = 0;
			}
		}
	}
	if (t->cg != NULL) {
		(void)rung_cgroup_remove(t->cg);
		free(t->cg);
		t->cg = NULL;
	}
	finalize(L, t);
}

/* RUNG_MAX_STEPS of a resource: "no limit" is max_r. */
static int32_t
clamp_target(const struct launch *L, int32_t resource)
{
	int32_t	 max = (int32_t)ceil(L->o.sched.max_r);

	return resource == INT32_MAX || resource > max ? max : resource;
}

/* Ask the scheduler for work while a slot and GPUs are free. */
static void
fill_slots(struct launch *L)
{
	struct rung_sched_action a;
	struct ltrial	*t;
	char		*cause = NULL;
	uint32_t	 i;
	int		 rc;

	while (!L->stopping && !L->budget_spent) {
		/* Nothing starts while the study lacks what happened. */
		if (lw_hold(L))
			return;
		/* Runs owed first: restarts, and resumes waiting for a slot. */
		for (i = 0; i < L->nt; i++) {
			t = L->t[i];
			if (!t->restart || t->active)
				continue;
			if (L->nactive >= L->parallel || gpus_free(L) < L->gpt)
				return;
			if ((rc = spawn(L, t, t->target, t->from, t->pending,
			    &cause)) != 0) {
				if (rc < 0)
					fail(L, cause);
				return;
			}
			if (lw_hold(L))
				return;
		}
		if (L->done || L->idle || busy_slots(L) >= L->parallel ||
		    gpus_free(L) < L->gpt)
			return;
		/*
		 * The write lock before the question: the answer changes the
		 * scheduler, which must not get ahead of the study because
		 * another process writes.
		 */
		if (ldb_begin(L, &cause) != 0) {
			if (lw_refused(L, &cause) < 0)
				fail(L, cause);
			return;
		}
		lw_free_again(L);
		switch (rung_sched_next(L->sc, &a)) {
		case RUNG_ACT_START:
			if (a.trial != L->nt) {
				ldb_rollback(L);
				fail(L, xprintf("the scheduler started trial "
				    "%u where %u was next", a.trial, L->nt));
				return;
			}
			t = trial_new(L, a.trial);
			if (config_for(L, t) != 0) {
				/* --from has no more: as the replay does. */
				t->state = LT_STOPPED;
				rung_sched_lost(L->sc, a.trial);
				L->idle = 1;
				if (!L->exhausted)
					note(L, "study '%s' has no "
					    "configuration left", L->o.from);
				L->exhausted = 1;
				if (ldb_save_state(L, &cause) != 0 ||
				    ldb_commit(L, &cause) != 0) {
					ldb_rollback(L);
					fail(L, cause);
				}
				return;
			}
			t->target = clamp_target(L, a.resource);
			if (ldb_trial_new(L, t, &cause) != 0 ||
			    ldb_save_state(L, &cause) != 0 ||
			    ldb_commit(L, &cause) != 0) {
				ldb_rollback(L);
				fail(L, cause);
				return;
			}
			if ((rc = spawn(L, t, a.resource, 0, "start",
			    &cause)) < 0) {
				fail(L, cause);
				return;
			}
			if (rc > 0) {
				/* Its key could not be written: owed. */
				t->restart = 1;
				t->from = 0;
				t->pending = "start";
				return;
			}
			break;
		case RUNG_ACT_RESUME:
			if (a.trial >= L->nt || L->t[a.trial]->rowid == 0) {
				ldb_rollback(L);
				fail(L, xprintf("the scheduler resumed trial "
				    "%u, which never ran", a.trial));
				return;
			}
			t = L->t[a.trial];
			t->target = clamp_target(L, a.resource);
			t->from = t->last;
			t->state = LT_RUNNING;
			t->restart = 1;	/* runs when its last run is over */
			t->pending = "resume";
			/* Resumed in the state, running in the study: both. */
			if (ldb_save_state(L, &cause) != 0 ||
			    ldb_trial_update(L, t, NULL, 0, &cause) != 0 ||
			    ldb_commit(L, &cause) != 0) {
				ldb_rollback(L);
				fail(L, cause);
				return;
			}
			break;
		case RUNG_ACT_WAIT:
			ldb_rollback(L);
			L->idle = 1;
			return;
		case RUNG_ACT_DONE:
			L->done = 1;
			if (ldb_save_state(L, &cause) != 0 ||
			    ldb_commit(L, &cause) != 0) {
				ldb_rollback(L);
				fail(L, cause);
			}
			return;
		}
	}
}

/* Timers: step timeouts, the next signal, leftovers. */
static double
timers(struct launch *L)
{
	struct ltrial	*t;
	double		 now = rung_now(), next = now + 3600, at;
	uint32_t	 i;

	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		if (!t->active)
			continue;
		if (L->o.step_timeout > 0 && !t->decided && !t->timed_out &&
		    !t->reaped) {
			at = t->t_report + L->o.step_timeout;
			if (now >= at) {
				t->timed_out = 1;
				log_note(L, t, "no report for %g s "
				    "(--step-timeout): killing the run",
				    L->o.step_timeout);
				end_run(L, t, kill_stages);
			} else if (at < next)
				next = at;
		}
		if (t->stages != NULL && !t->reaped) {
			if (now >= t->next_signal)
				next_signal(L, t);
			if (t->next_signal < next)
				next = t->next_signal;
		}
		if (t->reaped) {
			check_end(L, t);
			if (t->active && now + 0.05 < next)
				next = now + 0.05;
		}
	}
	return lw_next(L, next);
}

static int
signalled(void)
{
	return got_signal != 0;
}

/*
 * Nothing runs and another process writes: wait for it (a signal ends the
 * wait), then write what was kept.
 */
static void
settle(struct launch *L)
{
	char	*cause = NULL;
	int	 rc;

	if ((rc = lw_lock(L, signalled, &cause)) > 0)
		return;
	if (rc < 0 || lw_write(L, &cause) != 0 || ldb_commit(L, &cause) != 0) {
		if (rc == 0)
			lw_abort(L);
		fail(L, cause);
		return;
	}
	lw_written(L);
}

static void
interrupt(struct launch *L)
{
	uint32_t	 i;
	int		 sig = got_signal;

	got_signal = 0;
	if (!L->stopping) {
		L->stopping = 1;
		note(L, "%s: ending %u running trial%s (again to kill them at "
		    "once)", strsignal(sig), L->nactive, L->nactive == 1 ? "" :
		    "s");
		for (i = 0; i < L->nt; i++)
			end_run(L, L->t[i], stop_stages);
		return;
	}
	if (nsignals > 1) {
		for (i = 0; i < L->nt; i++)
			end_run(L, L->t[i], now_stages);
	}
}

static void
event_loop(struct launch *L, int sig_r)
{
	struct pollfd	*pfd = NULL;
	struct ltrial	**who = NULL;
	size_t		 cap = 0;
	uint32_t	 i, n;
	double		 next, now;
	char		 drain[256], *cause = NULL;
	int		 ms;

	for (;;) {
		if (got_signal)
			interrupt(L);
		/* What another process kept out: again, in time. */
		if (lw_pending(L) && lw_flush(L, &cause) < 0)
			fail(L, cause);
		if (L->stopping) {
			/* Every run ends; restarts and resumes do not start. */
			for (i = 0; i < L->nt; i++) {
				L->t[i]->restart = 0;
				if (L->t[i]->active && L->t[i]->stages == NULL)
					end_run(L, L->t[i], stop_stages);
			}
		} else
			fill_slots(L);
		next = timers(L);
		if (L->nactive == 0) {
			if (L->stopping || L->done || L->budget_spent)
				break;
			/* Runs that just ended freed their slots. */
			fill_slots(L);
			if (L->nactive > 0 || L->stopping)
				continue;
			if (lw_hold(L) || L->wait_since != 0) {
				settle(L);
				continue;
			}
			/* WAIT with nothing running: nothing can come. */
			if (L->idle && !L->done && !L->exhausted)
				note(L, "the scheduler waits and no trial "
				    "runs: ending the campaign");
			break;
		}
		XGROW(pfd, cap, L->nt + 1);
		who = xreallocarray(who, cap, sizeof *who);
		n = 0;
		pfd[n].fd = sig_r;
		pfd[n++].events = POLLIN;
		for (i = 0; i < L->nt; i++) {
			if (L->t[i]->active && L->t[i]->out >= 0) {
				who[n] = L->t[i];
				pfd[n].fd = L->t[i]->out;
				pfd[n++].events = POLLIN;
			}
		}
		now = rung_now();
		ms = next <= now ? 0 : next - now > 3600 ? 3600000 :
		    (int)ceil((next - now) * 1000);
		if (poll(pfd, n, ms) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN) {
			while (read(sig_r, drain, sizeof drain) > 0)
				;
		}
		reap(L);
		for (i = 1; i < n; i++) {
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				read_out(L, who[i]);
		}
		reap(L);
	}
	free(pfd);
	free(who);
}

/*
 * The campaign is over: what is left below rung (orphans that no trial
 * could claim while several ran) and in the campaign's cgroup is killed
 * and waited for.
 */
static void
sweep(struct launch *L)
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
		reap(L);
		if (n == 0 || rung_now() >= until)
			break;
		if (total == 0)
			total = n;
		usleep(20000);
	}
	if (total > 0)
		note(L, "%zu process%s left by trials killed", total,
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

/* Kill what is left of runs of the previous rung; wait until it is gone. */
static void
kill_leftovers(struct launch *L)
{
	struct ltrial	*t;
	pid_t		*pids;
	size_t		 n, j, total = 0;
	uint32_t	 i;
	double		 until;
	char		*cause = NULL, *detail, *cg;

	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		if (t->sid <= 0 && t->key == NULL)
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
			reap(L);
			usleep(20000);
		}
		free(pids);
		forget_cgroup(cg);
		detail = xprintf("%zu process%s of the previous run killed",
		    total, total == 1 ? "" : "es");
		if (ldb_event(L, t->rowid, t->last, "killed", detail,
		    &cause) != 0) {
			rung_warn("launch: %s", cause);
			free(cause);
			cause = NULL;
		}
		note(L, "trial %s: %s", t->ext, detail);
		free(detail);
		total = 0;
	}
}

/*
 * Points the database holds beyond what the saved scheduler saw are told
 * to it now, trial by trial; runs that were going on run again.
 */
static int
reconcile(struct launch *L, char **cause)
{
	struct ltrial	*t;
	struct series	*s;
	enum rung_decision d;
	uint32_t	 i, j, mi = UINT32_MAX;
	double		 v;

	for (i = 0; L->metric != NULL && i < L->nmetrics; i++) {
		if (strcmp(L->metrics[i], L->metric) == 0)
			mi = i;
	}
	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		if (t->rowid == 0)
			continue;
		if (mi != UINT32_MAX && mi < t->nm && t->state == LT_RUNNING) {
			s = &t->m[mi];
			for (j = 0; j < s->n; j++) {
				if (s->steps[j] <= t->seen)
					continue;
				v = s->vals[j];
				d = rung_sched_report(L->sc, t->handle,
				    s->steps[j], sched_value(L, v));
				t->seen = s->steps[j];
				if (d == RUNG_PAUSE)
					t->state = LT_PAUSED;
				else if (d == RUNG_STOP)
					t->state = rung_sched_trial_state(L->sc,
					    t->handle) == RUNG_TRIAL_FINISHED ?
					    LT_COMPLETE : LT_STOPPED;
				if (d != RUNG_CONTINUE) {
					free(t->reason);
					t->reason = xprintf("%s at step %d "
					    "(told on resume)",
					    rung_decision_name(d), t->seen);
					break;
				}
			}
			if (ldb_begin(L, cause) != 0 ||
			    ldb_trial_update(L, t, NULL, 0, cause) != 0 ||
			    ldb_save_state(L, cause) != 0 ||
			    ldb_commit(L, cause) != 0) {
				ldb_rollback(L);
				return -1;
			}
		}
		if (t->state == LT_RUNNING) {
			t->restart = 1;
			t->pending = "restart";
			t->from = t->last;
			if (t->target <= 0)
				t->target = (int32_t)ceil(L->o.sched.max_r);
		}
		t->sid = 0;
		free(t->key);
		t->key = NULL;
	}
	return 0;
}

/* The summary. */

static void
summary(struct launch *L, FILE *out, double secs)
{
	static const char *hdr[] = { "TRIAL", "STATUS", ">STEPS", ">VALUE",
		">RUNS", "GPU", "REASON" };
	struct rung_table *tab;
	struct ltrial	*t, *best = NULL;
	json_object	*j, *a, *o;
	const char	*row[7];
	char		 steps[16], runs[16], val[RUNG_DBL_BUFSZ];
	uint32_t	 i, mi = UINT32_MAX, count[5] = { 0 };
	double		 v, bv = NAN;

	for (i = 0; L->metric != NULL && i < L->nmetrics; i++) {
		if (strcmp(L->metrics[i], L->metric) == 0)
			mi = i;
	}
	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		if (t->rowid == 0)
			continue;
		count[t->state]++;
		v = mi < t->nm && t->m[mi].n ? t->m[mi].vals[t->m[mi].n - 1] :
		    NAN;
		/* The best at the highest step reached, as replay returns. */
		if (!isnan(v) && (best == NULL || t->last > best->last ||
		    (t->last == best->last && rung_better(L->o.direction ?
		    L->o.direction : RUNG_MIN, v, bv)))) {
			best = t;
			bv = v;
		}
	}
	if (L->o.json) {
		j = json_object_new_object();
		json_object_object_add(j, "study", json_object_new_string(
		    L->o.study));
		json_object_object_add(j, "status", json_object_new_string(
		    L->status));
		json_object_object_add(j, "policy", json_object_new_string(
		    rung_policy_name(L->o.sched.policy)));
		json_object_object_add(j, "metric", L->metric ?
		    json_object_new_string(L->metric) : NULL);
		json_object_object_add(j, "steps", json_object_new_int64(
		    (int64_t)L->steps));
		json_object_object_add(j, "seconds", rung_json_double(secs, 0));
		json_object_object_add(j, "best", best ?
		    json_object_new_string(best->ext) : NULL);
		a = json_object_new_array();
		for (i = 0; i < L->nt; i++) {
			t = L->t[i];
			if (t->rowid == 0)
				continue;
			o = json_object_new_object();
			json_object_object_add(o, "id",
			    json_object_new_string(t->ext));
			json_object_object_add(o, "handle",
			    json_object_new_int64(t->handle));
			json_object_object_add(o, "status",
			    json_object_new_string(ldb_state_name(t->state)));
			json_object_object_add(o, "steps",
			    json_object_new_int64(t->last));
			json_object_object_add(o, "value", mi < t->nm &&
			    t->m[mi].n ? rung_json_double(t->m[mi].vals[
			    t->m[mi].n - 1], 0) : NULL);
			json_object_object_add(o, "runs",
			    json_object_new_int64(t->runs));
			json_object_object_add(o, "reason", t->reason ?
			    json_object_new_string(t->reason) : NULL);
			json_object_object_add(o, "params",
			    json_tokener_parse(t->params));
			json_object_array_add(a, o);
		}
		json_object_object_add(j, "trials", a);
		rung_json_print(out, j, 0);
		return;
	}
	tab = rung_table_new(hdr, 7);
	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		if (t->rowid == 0)
			continue;
		snprintf(steps, sizeof steps, "%d", t->last);
		snprintf(runs, sizeof runs, "%u", t->runs);
		row[0] = t->ext;
		row[1] = ldb_state_name(t->state);
		row[2] = steps;
		row[3] = mi < t->nm && t->m[mi].n ? rung_fmt_human(
		    t->m[mi].vals[t->m[mi].n - 1], val) : "";
		row[4] = runs;
		row[5] = t->gpus ? t->gpus : "";
		row[6] = t->reason ? t->reason : "";
		rung_table_add(tab, row);
	}
	if (L->o.csv) {
		rung_table_print_csv(tab, out);
		rung_table_free(tab);
		return;
	}
	rung_table_print(tab, out);
	rung_table_free(tab);
	fprintf(out, "%s: %u complete, %u stopped, %u failed, %u paused, %u "
	    "running; %" PRIu64 " steps in %.1f s", L->o.study,
	    count[LT_COMPLETE], count[LT_STOPPED], count[LT_FAILED],
	    count[LT_PAUSED], count[LT_RUNNING], L->steps, secs);
	if (best != NULL)
		fprintf(out, "; best %s %s (trial %s at step %d)", L->metric,
		    rung_fmt_human(bv, val), best->ext, best->last);
	fputc('\n', out);
}

/* Setting up. */

static int
lock_logs(struct launch *L, char **cause)
{
	char	*path;

	path = xprintf("%s/.%s.lock", L->logs, L->o.study);
	if ((L->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) < 0) {
		xasprintf(cause, "cannot open '%s': %s", path,
		    strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	if (flock(L->lockfd, LOCK_EX | LOCK_NB) != 0) {
		xasprintf(cause, "the campaign of '%s' is running already (its "
		    "rung holds %s/.%s.lock)", L->o.study, L->logs,
		    L->o.study);
		return -1;
	}
	return 0;
}

static char *
absolute(const char *cwd, const char *path)
{
	if (*path == '/')
		return xstrdup(path);
	return rung_path_join(cwd, path);
}

static int
setup_pool(struct launch *L, char **cause)
{
	uint32_t	 slots;

	if (rung_gpu_pool_init(L->o.gpus, environ, &L->pool, cause) != 0)
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

static void
launch_free(struct launch *L)
{
	uint32_t	 i;

	lw_release(L);
	for (i = 0; i < L->nt; i++)
		trial_free(L->t[i]);
	free(L->t);
	for (i = 0; i < L->nmetrics; i++)
		free(L->metrics[i]);
	free(L->metrics);
	free(L->metric_ids);
	for (i = 0; i < L->nparams; i++)
		free(L->pnames[i]);
	free(L->pnames);
	free(L->pids);
	for (i = 0; i < L->nfrom; i++) {
		rung_config_release(&L->from_cfg[i]);
		free(L->from_ids[i]);
	}
	free(L->from_cfg);
	free(L->from_ids);
	rung_sched_free(L->sc);
	rung_space_free(L->space);
	rung_gpu_pool_release(&L->pool);
	free(L->gpu_busy);
	if (L->cg != NULL)
		(void)rung_cgroup_remove(L->cg);
	free(L->cg);
	free(L->cgbase);
	ldb_finalize(L);
	free(L->metric);
	free(L->cwd);
	free(L->logs);
	free(L->space_text);
	free(L->settings);
	free(L->nonce);
	free(L->status);
	free(L->fatal);
	if (L->lockfd >= 0)
		close(L->lockfd);
}

int
rung_launch_run(struct rung_store *st, const struct rung_launch_opts *cl,
    FILE *out, char **cause)
{
	struct launch	 L;
	struct keep	 keep = { NULL, NULL };
	struct sigaction sa, old[5];
	static const int sigs[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP,
	    SIGUSR1 };
	json_object	*j;
	char		*state = NULL, *prog = NULL, *p, *unknown;
	char		 buf[PATH_MAX];
	char		*msg = NULL;
	const char	*status;
	size_t		 len;
	uint32_t	 i;
	int		 sp[2] = { -1, -1 }, ret = -1, installed = 0, rc;
	struct rung_buf	 src = { 0 };

	memset(&L, 0, sizeof L);
	L.st = st;
	ldb_open(&L);
	L.o = *cl;
	L.lockfd = -1;
	L.sig_r = -1;
	L.quiet = rung_quiet;
	if (L.o.procdir == NULL)
		L.o.procdir = "/proc";
	if (getcwd(buf, sizeof buf) == NULL) {
		xasprintf(cause, "getcwd: %s", strerror(errno));
		return -1;
	}
	L.cwd = xstrdup(buf);
	L.nonce = xprintf("%lx%lx", (unsigned long)getpid(),
	    (unsigned long)time(NULL));
	L.started = rung_now();

	if (cl->resume) {
		if (ldb_load(&L, &state, cause) != 0 ||
		    settings_read(&L, cl, &keep, cause) != 0)
			goto out;
		if (mkdirs(L.logs, cause) != 0 || lock_logs(&L, cause) != 0)
			goto out;
		if (strcmp(L.status, "done") == 0) {
			rung_info("launch: the campaign of '%s' is done",
			    L.o.study);
			summary(&L, out, 0);
			ret = 0;
			goto out;
		}
		if (L.space_text != NULL && rung_space_parse(L.o.space_path ?
		    L.o.space_path : "space", L.space_text,
		    strlen(L.space_text), &L.space, cause) != 0)
			goto out;
		if (state != NULL) {
			if (rung_sched_restore(state, &L.sc, cause) != 0)
				goto out;
			L.o.sched = *rung_sched_params(L.sc);
		} else {
			L.o.sched.seed = L.o.seed * 0x9e3779b97f4a7c15ULL;
			if (rung_sched_new(&L.o.sched, &L.sc, cause) != 0)
				goto out;
		}
	} else {
		if (L.o.ncmd == 0) {
			xasprintf(cause, "no command to run: give it after "
			    "the study and --");
			goto out;
		}
		if (L.o.space_path != NULL) {
			if (rung_space_load(L.o.space_path, &L.space,
			    cause) != 0 || rung_read_file(L.o.space_path, &p,
			    &len, cause) != 0)
				goto out;
			L.space_text = p;
		}
		/* The replay's scheduler seed for the same seed. */
		L.o.sched.seed = L.o.seed * 0x9e3779b97f4a7c15ULL;
		if (rung_sched_new(&L.o.sched, &L.sc, cause) != 0)
			goto out;
		p = xprintf("rung-logs/%s", L.o.study);
		L.logs = absolute(L.cwd, L.o.logs ? L.o.logs : p);
		free(p);
		/* --logs runs/, as a shell completes it: no runs//1.log. */
		for (p = L.logs + strlen(L.logs); p > L.logs + 1 &&
		    p[-1] == '/'; p--)
			p[-1] = '\0';
		if (L.o.metric != NULL) {
			L.metric = xstrdup(L.o.metric);
			if (L.o.direction == 0)
				L.o.direction = rung_direction_guess(L.metric);
		}
	}
	if (L.o.grace < 0)
		L.o.grace = 10;
	if (L.o.step_timeout < 0)
		L.o.step_timeout = 0;
	if (L.o.from != NULL && load_from(&L, cause) != 0)
		goto out;
	for (i = 0; cl->resume && i < L.nt; i++)
		config_restore(&L, L.t[i]);
	for (i = 0; i < L.o.ncmd; i++) {
		struct rung_config	 names = { 0 };

		if (L.space != NULL) {
			rung_space_sample(L.space, 0, 0, &names);
		} else if (L.nfrom > 0)
			rung_config_copy(&names, &L.from_cfg[0]);
		if (rung_launch_subst_check(L.o.cmd[i], &names,
		    &unknown) != 0) {
			rung_warn("launch: {%s} in '%s' names no parameter: "
			    "it is passed as it is", unknown, L.o.cmd[i]);
			free(unknown);
		}
		rung_config_release(&names);
	}
	if (setup_launcher(&L, &prog, cause) != 0 || setup_pool(&L, cause) != 0)
		goto out;
	if (L.o.launcher.hostfile == NULL) {
		/* Other hosts may have it where this one does not. */
		if (strchr(L.o.cmd[0], '/') != NULL) {
			p = absolute(L.cwd, L.o.cmd[0]);
			i = access(p, X_OK) == 0;
			free(p);
			p = i ? xstrdup(L.o.cmd[0]) : NULL;
		} else
			p = find_program(L.o.cmd[0]);
		if (p == NULL) {
			xasprintf(cause, "cannot run '%s': %s", L.o.cmd[0],
			    strchr(L.o.cmd[0], '/') ? "no such executable "
			    "file" : "not found in PATH");
			goto out;
		}
		free(p);
	}
	L.strip_mpi = rung_env_under_mpi(environ);
	if (mkdirs(L.logs, cause) != 0)
		goto out;

	if (!cl->resume) {
		if (lock_logs(&L, cause) != 0)
			goto out;
		j = settings_json(&L);
		L.settings = xstrdup(json_object_to_json_string_ext(j,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(j);
		rung_buf_printf(&src, "launch:");
		for (i = 0; i < L.o.ncmd; i++)
			rung_buf_printf(&src, "%s%s", i ? " " : "",
			    L.o.cmd[i]);
		if (ldb_create(&L, rung_buf_cstr(&src), cause) != 0 ||
		    ldb_save_state(&L, cause) != 0)
			goto out;
	} else {
		if (ldb_status(&L, "running", NULL, cause) != 0 ||
		    ldb_event(&L, 0, -1, "resume", NULL, cause) != 0)
			goto out;
		kill_leftovers(&L);
		if (reconcile(&L, cause) != 0)
			goto out;
	}
	note(&L, "%s on '%s': %s, max %g steps, %u at a time, %s%s%s; logs in "
	    "%s", cl->resume ? "resuming" : "launching", L.o.study,
	    rung_policy_name(L.o.sched.policy), L.o.sched.max_r, L.parallel,
	    L.pool.n ? "GPUs from " : "no GPU (", L.pool.source,
	    L.pool.n ? "" : ")", L.logs);

	setup_tracking(&L);
	/* rung stays a plain program: orphans of a trial come back to it. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		rung_warn("launch: cannot become a child subreaper: %s",
		    strerror(errno));
	if (pipe2(sp, O_CLOEXEC | O_NONBLOCK) != 0) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		goto out;
	}
	sig_w = sp[1];
	got_signal = 0;
	nsignals = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 5; i++)
		sigaction(sigs[i], &sa, &old[i]);
	installed = 1;

	/*
	 * While trials run, another writer is not waited for beyond a moment:
	 * what it keeps out is kept and written later (launch-wait.c).
	 */
	L.sig_r = sp[0];
	ldb_busy_timeout(&L, LW_BUSY_MS);
	event_loop(&L, sp[0]);
	sweep(&L);

	/* Paused trials never resumed end stopped. */
	if (!L.stopping) {
		for (i = 0; i < L.nt; i++) {
			struct ltrial	*t = L.t[i];

			if (t->rowid == 0 || t->state != LT_PAUSED)
				continue;
			free(t->reason);
			t->reason = xprintf("paused at step %d and never "
			    "resumed", t->last);
			t->state = LT_STOPPED;
			t->unsaved |= U_UPDATE;
		}
	}
	/* All that was kept, then the end: one transaction, once it can. */
	if (L.fatal != NULL)
		status = "failed";
	else if (L.stopping)
		status = "interrupted";
	else
		status = "done";
	got_signal = 0;
	if ((rc = lw_lock(&L, signalled, &msg)) == 0 &&
	    (lw_write(&L, &msg) != 0 || ldb_status(&L, status, L.fatal ?
	    L.fatal : L.stopping ? "interrupted by a signal" : NULL,
	    &msg) != 0 || (!L.stopping && ldb_event(&L, 0, -1, "done", NULL,
	    &msg) != 0) || ldb_commit(&L, &msg) != 0)) {
		lw_abort(&L);
		rc = -1;
	}
	if (rc == 0)
		lw_written(&L);
	else if (rc > 0) {
		free(msg);
		msg = xprintf("interrupted while another process writes: %u "
		    "report%s and the campaign's end not recorded",
		    L.nkept, L.nkept == 1 ? "" : "s");
	}
	ldb_busy_timeout(&L, 10000);	/* the store's */
	if (L.fatal != NULL) {
		if (rc != 0)
			rung_warn("launch: %s", msg);
		*cause = L.fatal;
		L.fatal = NULL;
	} else if (L.stopping) {
		if (rc != 0)
			rung_warn("launch: %s", msg);
		xasprintf(cause, "interrupted: rung launch --resume %s carries "
		    "on", L.o.study);
	} else if (rc != 0) {
		*cause = msg;
		msg = NULL;
		goto out;
	} else
		ret = 0;
	summary(&L, out, rung_now() - L.started);
out:
	if (installed) {
		for (i = 0; i < 5; i++)
			sigaction(sigs[i], &old[i], NULL);
		sig_w = -1;
	}
	if (sp[0] >= 0)
		close(sp[0]);
	if (sp[1] >= 0)
		close(sp[1]);
	free(state);
	free(prog);
	free(msg);
	rung_buf_release(&src);
	if (keep.j != NULL)
		json_object_put(keep.j);
	rung_free_strv(keep.cmd);
	launch_free(&L);
	return ret;
}

/* rung show: a launched trial's record. */

static void
add_str(json_object *o, const char *k, const char *s)
{
	json_object_object_add(o, k, s != NULL ? json_object_new_string(s) :
	    NULL);
}

static void
add_int(json_object *o, const char *k, int has, int64_t v)
{
	json_object_object_add(o, k, has ? json_object_new_int64(v) : NULL);
}

static json_object *
record_json(const struct rung_launch_record *r)
{
	json_object	*o = json_object_new_object();

	add_str(o, "launch_state", r->state);
	add_int(o, "handle", 1, r->handle);
	add_int(o, "runs", 1, r->runs);
	add_int(o, "target", r->has_target, r->target);
	add_str(o, "gpus", r->gpus);
	add_str(o, "decision", r->decision);
	add_int(o, "decision_step", r->has_decision_step, r->decision_step);
	add_str(o, "reason", r->reason);
	add_int(o, "exit_code", r->has_exit_code, r->exit_code);
	add_int(o, "exit_signal", r->has_exit_signal, r->exit_signal);
	add_str(o, "log", r->log);
	add_str(o, "log_tail", r->log_tail);
	add_str(o, "params", r->params);
	add_str(o, "started", r->started);
	add_str(o, "updated", r->updated);
	add_str(o, "log_incomplete", r->log_incomplete);
	return o;
}

static void
record_print(const struct rung_launch_record *r, FILE *out)
{
	const char	*p, *nl;

	fprintf(out, "\nlaunched: %s after %lld run%s", r->state,
	    (long long)r->runs, r->runs == 1 ? "" : "s");
	if (r->decision != NULL)
		fprintf(out, ", last decision %s at step %d", r->decision,
		    (int)r->decision_step);
	fputc('\n', out);
	if (r->reason != NULL)
		fprintf(out, "  %s\n", r->reason);
	if (r->has_exit_code)
		fprintf(out, "  exit status %d\n", (int)r->exit_code);
	if (r->has_exit_signal)
		fprintf(out, "  killed by signal %d (%s)\n",
		    (int)r->exit_signal, strsignal((int)r->exit_signal));
	if (r->gpus != NULL && *r->gpus != '\0')
		fprintf(out, "  gpus %s\n", r->gpus);
	if (r->log != NULL)
		fprintf(out, "  log %s\n", r->log);
	if (r->log_incomplete != NULL)
		fprintf(out, "  the log is incomplete: writing it failed "
		    "(%s)\n", r->log_incomplete);
	if (r->log_tail != NULL) {
		fprintf(out, "  the end of its log:\n");
		for (p = r->log_tail; *p != '\0'; p = *nl ? nl + 1 : nl) {
			nl = p + strcspn(p, "\n");
			fprintf(out, "  | %.*s\n", (int)(nl - p), p);
		}
	}
}

int
rung_launch_show_trial(struct rung_store *store, int64_t trial_rowid,
    FILE *out, struct json_object *obj)
{
	struct rung_launch_record r;

	if (!rung_store_launch_record(store, trial_rowid, &r))
		return 0;
	if (obj != NULL)
		json_object_object_add(obj, "launch", record_json(&r));
	else
		record_print(&r, out);
	rung_launch_record_release(&r);
	return 1;
}
