/*
 * --launcher srun: each run a job step of the allocation rung runs in
 * (salloc, or an sbatch script that runs rung).
 *
 * A step's processes are slurmstepd's children, on whatever node Slurm
 * chose, not rung's: what rung does to the srun client does not reach them
 * as it would. SIGTERM to srun kills the step at once, with no time for a
 * checkpoint, and SIGKILL to srun (or rung's death) leaves the step running.
 * So every signal of the stages goes to the step through scancel
 * --signal=SIG JOB.STEP, and leftovers are found and cancelled by the step's
 * name, --job-name=rung-KEY, the run's RUNG_TRIAL_KEY: a resumed rung knows
 * the keys of the runs of the rung it follows, not their steps.
 *
 * The step's id is what its first task says (SLURM_JOB_ID.SLURM_STEP_ID),
 * in a line "rung-slurm: JOB.STEP NODE GPUS" that a /bin/sh before the
 * trainer writes on its stdout; squeue by the name finds it until then.
 * That line also says which GPUs Slurm gave the step: inside an allocation
 * Slurm binds them (CUDA_VISIBLE_DEVICES per step, from --gpus-per-task),
 * so rung sets none of its own, and its pool is only the count of the
 * allocation's GPUs, which makes the slots.
 */
#include "config.h"

#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rung/launch.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "launch-int.h"

#define LSR_PREFIX	"rung-slurm: "

/*
 * Before the trainer, in the step: who the step is and what Slurm gave it.
 * exec keeps the trainer the task Slurm signals.
 */
static const char lsr_script[] =
    "printf 'rung-slurm: %s.%s %s %s\\n' \"${SLURM_JOB_ID:-?}\" "
    "\"${SLURM_STEP_ID:-?}\" \"${SLURMD_NODENAME:-?}\" "
    "\"${CUDA_VISIBLE_DEVICES-}\"; exec \"$@\"";

int
lsr_active(const struct launch *L)
{
	return L->o.launcher.kind == RUNG_LAUNCHER_SRUN;
}

/* Slurm binds the GPUs: rung asks for them and sets no visibility. */
int
lsr_binds(const struct launch *L)
{
	return lsr_active(L) && L->pool.n > 0 && L->gpt > 0;
}

int
lsr_check(struct launch *L, char **cause)
{
	const char	*job = getenv("SLURM_JOB_ID"), *step;

	if (!lsr_active(L))
		return 0;
	/*
	 * Outside an allocation each srun would be a job of its own, queued
	 * on its own: not what a campaign of steps means, and rung could not
	 * tell its slots.
	 */
	if (job == NULL || *job == '\0') {
		xasprintf(cause, "--launcher srun runs trials as job steps of "
		    "an allocation, and SLURM_JOB_ID is not set: run rung "
		    "inside one (salloc -n K rung launch ..., or an sbatch "
		    "script that runs rung; from a login node, --launcher "
		    "sbatch)");
		return -1;
	}
	/*
	 * Under srun itself rung is a step, whose CPUs its trials' steps
	 * cannot have: all of the allocation's on the node unless that srun
	 * had --exact, and then they wait for ever (Slurm 22.05: "step
	 * creation temporarily disabled").
	 */
	if ((step = getenv("SLURM_STEP_ID")) != NULL && *step != '\0')
		rung_warn("launch: rung runs in job step %s.%s, whose CPUs the "
		    "trials' steps cannot have (all of the node's, unless its "
		    "srun had --exact): run rung in salloc's shell or the "
		    "batch script", job, step);
	return 0;
}

/*
 * srun asks GPUs per task: a trial's G GPUs are G/K for each of its K
 * ranks, which must come out whole (else Slurm would give K times more, or
 * with 0 every GPU of the job).
 */
int
lsr_slots(struct launch *L, char **cause)
{
	uint32_t	 k = L->o.launcher.ranks ? L->o.launcher.ranks : 1;

	if (!lsr_active(L) || L->gpt == 0 || L->gpt % k == 0)
		return 0;
	xasprintf(cause, "--launcher srun asks --gpus-per-task: --ranks %u "
	    "takes a multiple of %u GPUs a trial, not --gpus-per-trial %u",
	    k, k, L->gpt);
	return -1;
}

/* Run a Slurm client; its stdout, or NULL when it failed. */
static char *
slurm_cmd(char **argv, int *failed)
{
	char	*out;
	int	 status = 0;

	out = lsl_run(argv, NULL, 0, &status);
	*failed = out == NULL || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0;
	return out;
}

/*
 * The steps squeue shows whose name is name (prefix: starts with it), as
 * "J.S J.S ..."; NULL: none.
 */
static char *
steps_named(const char *name, int prefix)
{
	struct rung_buf	 ids = { 0 };
	char		*argv[] = { "squeue", "-h", "-s", "-o", "%i %j", NULL };
	char		*out, *line, *sp, *save = NULL;
	int		 failed;

	if ((out = slurm_cmd(argv, &failed)) == NULL)
		return NULL;
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if ((sp = strchr(line, ' ')) == NULL)
			continue;
		*sp++ = '\0';
		if (prefix ? strncmp(sp, name, strlen(name)) != 0 :
		    strcmp(sp, name) != 0)
			continue;
		rung_buf_printf(&ids, "%s%s", ids.len ? " " : "", line);
	}
	free(out);
	if (ids.len == 0) {
		rung_buf_release(&ids);
		return NULL;
	}
	return rung_buf_cstr(&ids);
}

/* scancel --signal=SIG on the steps of ids ("J.S J.S"); 0 when it took. */
static int
scancel(const char *ids, int sig)
{
	char		**argv, *copy, *id, *save = NULL, *out, nb[16];
	size_t		 n = 0;
	int		 failed;

	copy = xstrdup(ids);
	argv = xcalloc(strlen(ids) / 2 + 5, sizeof *argv);
	argv[n++] = xstrdup("scancel");
	argv[n++] = xstrdup("--quiet");
	argv[n++] = xprintf("--signal=%s", lsl_sig_name(sig, nb));
	for (id = strtok_r(copy, " ", &save); id != NULL;
	    id = strtok_r(NULL, " ", &save))
		argv[n++] = xstrdup(id);
	out = slurm_cmd(argv, &failed);
	free(out);
	free(copy);
	rung_free_strv(argv);
	return failed ? -1 : 0;
}

static char *
step_name(const char *key)
{
	return xprintf("rung-%s", key);
}

/*
 * The argv of a run: srun named after its key, and the script before the
 * command (the last ncmd of argv). Takes argv.
 */
char **
lsr_argv(struct launch *L, struct ltrial *t, char **argv, size_t ncmd)
{
	char	**v;
	size_t	 n, i, j = 0;

	if (!lsr_active(L))
		return argv;
	for (n = 0; argv[n] != NULL; n++)
		;
	v = xcalloc(n + 6, sizeof *v);
	v[j++] = argv[0];
	v[j++] = xprintf("--job-name=rung-%s", t->key);
	for (i = 1; i < n - ncmd; i++)
		v[j++] = argv[i];
	v[j++] = xstrdup("/bin/sh");
	v[j++] = xstrdup("-c");
	v[j++] = xstrdup(lsr_script);
	v[j++] = xstrdup("rung-slurm");
	for (; i < n; i++)
		v[j++] = argv[i];
	v[j] = NULL;
	free(argv);

	free(t->step);
	t->step = NULL;
	if (lsr_binds(L)) {
		/* Which, Slurm says (the step's line): none of rung's. */
		free(t->gpus);
		t->gpus = xstrdup("(Slurm's)");
	}
	return v;
}

/* Is word one of the space- or comma-separated words of list? */
static int
has_word(const char *list, const char *word, const char *seps)
{
	size_t	 n = strlen(word), m;

	while (list != NULL && *list != '\0') {
		m = strcspn(list, seps);
		if (m == n && strncmp(list, word, n) == 0)
			return 1;
		list += m;
		list += strspn(list, seps);
	}
	return 0;
}

/* A line of the run's stdout that is no report: the step's, perhaps. */
void
lsr_line(struct launch *L, struct ltrial *t, const char *line, size_t len)
{
	char	*copy, *step, *node, *gpus, *save = NULL, *detail, *cause;
	char	*old;
	int	 fresh;

	if (!lsr_active(L) || len <= strlen(LSR_PREFIX) ||
	    strncmp(line, LSR_PREFIX, strlen(LSR_PREFIX)) != 0)
		return;
	copy = xstrndup(line + strlen(LSR_PREFIX), len -
	    strlen(LSR_PREFIX));
	step = strtok_r(copy, " ", &save);
	node = strtok_r(NULL, " ", &save);
	gpus = strtok_r(NULL, " ", &save);
	if (step == NULL || strchr(step, '?') != NULL) {
		free(copy);
		return;
	}
	fresh = t->step == NULL || !has_word(t->step, step, " ");
	if (t->step == NULL)
		t->step = xstrdup(step);
	else if (fresh) {
		old = t->step;
		t->step = xprintf("%s %s", old, step);
		free(old);
	}
	if (gpus != NULL && lsr_binds(L)) {
		if (t->gpus == NULL || *t->gpus == '(' || *t->gpus == '\0') {
			free(t->gpus);
			t->gpus = xstrdup(gpus);
		} else if (!has_word(t->gpus, gpus, ",")) {
			old = t->gpus;
			t->gpus = xprintf("%s,%s", old, gpus);
			free(old);
		}
		t->unsaved |= U_RUN;
	}
	detail = xprintf("Slurm step %s on %s%s%s", step, node ? node : "?",
	    gpus != NULL ? ", CUDA_VISIBLE_DEVICES=" : "", gpus ? gpus : "");
	lg_note(L, t, "%s", detail);
	/* One event a step: its other ranks are in the log and the record. */
	if (fresh)
		lw_event(L, t, t->last, "step", detail);
	cause = NULL;
	if (lw_flush(L, &cause) < 0)
		ln_fail(L, cause);
	free(detail);
	free(copy);
}

/*
 * A signal of the stages to the run's step: 1 when scancel sent it, 0 when
 * there is no step (not started yet, or over) and srun is signalled as for
 * any launcher.
 */
int
lsr_signal(struct launch *L, struct ltrial *t, int sig)
{
	char	*name, nb[16];

	if (!lsr_active(L) || t->key == NULL)
		return 0;
	if (t->step == NULL) {
		name = step_name(t->key);
		t->step = steps_named(name, 0);
		free(name);
		if (t->step == NULL)
			return 0;
	}
	if (scancel(t->step, sig) != 0) {
		lg_note(L, t, "scancel --signal=%s %s failed: signalling srun",
		    lsl_sig_name(sig, nb), t->step);
		return 0;
	}
	lg_note(L, t, "scancel --signal=%s %s", lsl_sig_name(sig, nb), t->step);
	return 1;
}

/* Cancel the steps of ids and wait (up to 30 s) until squeue has none. */
static int
cancel_wait(const char *ids, const char *name, int prefix)
{
	double	 until = rung_now() + 30;
	char	*left;

	(void)scancel(ids, SIGKILL);
	while ((left = steps_named(name, prefix)) != NULL) {
		if (rung_now() >= until) {
			free(left);
			return -1;
		}
		/* A step may be new since: those too. */
		(void)scancel(left, SIGKILL);
		free(left);
		usleep(100000);
	}
	return 0;
}

/*
 * Resume: the steps of the runs of the rung before, found by name (they are
 * no descendants of this rung, and may run on other nodes), cancelled.
 */
void
lsr_cancel_leftovers(struct launch *L)
{
	struct ltrial	*t;
	char		*name, *ids, *detail;
	uint32_t	 i;

	if (!lsr_active(L) && getenv("SLURM_JOB_ID") == NULL)
		return;
	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		if (t->key == NULL)
			continue;
		name = step_name(t->key);
		if ((ids = steps_named(name, 0)) == NULL) {
			free(name);
			continue;
		}
		detail = xprintf("Slurm step %s of the previous run cancelled%s",
		    ids, cancel_wait(ids, name, 0) == 0 ? "" :
		    " (still in squeue after 30 s)");
		lp_killed(L, t, detail);
		free(detail);
		free(ids);
		free(name);
	}
}

/* The campaign is over: no step of this rung's may stay in squeue. */
void
lsr_sweep(struct launch *L)
{
	char	*prefix, *ids;

	if (!lsr_active(L))
		return;
	prefix = xprintf("rung-%s.", L->nonce);
	if ((ids = steps_named(prefix, 1)) != NULL) {
		ln_note(L, "Slurm step%s %s left by trials: cancelled%s",
		    strchr(ids, ' ') ? "s" : "", ids, cancel_wait(ids, prefix,
		    1) == 0 ? "" : ", but still in squeue after 30 s");
		free(ids);
	}
	free(prefix);
}

/* Add the indices of a Slurm range list "0-1,3" to tokens. */
void
lsr_add_range(const char *s, char ***tokens, uint32_t *n)
{
	char		*end;
	long		 a, b;

	for (;;) {
		a = strtol(s, &end, 10);
		if (end == s || a < 0)
			return;
		b = a;
		if (*end == '-') {
			s = end + 1;
			b = strtol(s, &end, 10);
			if (end == s || b < a || b - a > 4096)
				return;
		}
		for (; a <= b; a++) {
			*tokens = xreallocarray(*tokens, *n + 1,
			    sizeof **tokens);
			(*tokens)[(*n)++] = xprintf("%ld", a);
		}
		if (*end != ',')
			return;
		s = end + 1;
	}
}

/*
 * The GPUs in what scontrol -d show job says, all nodes: per node a line
 * " Nodes=n1 CPU_IDs=0-1 Mem=0 GRES=gpu:a100:2(IDX:0-1),nic:1(IDX:0)".
 */
uint32_t
lsr_parse_gpus(const char *text, char ***tokens)
{
	const char	*p, *end;
	size_t		 len;
	uint32_t	 n = 0;

	*tokens = NULL;
	for (p = text; (p = strstr(p, " GRES=")) != NULL;) {
		p += 6;
		end = p + strcspn(p, " \n");
		/* Its items, each NAME[:TYPE]:COUNT(IDX:LIST). */
		while (p < end) {
			len = strcspn(p, "(, \n");
			if (strncmp(p, "gpu", 3) == 0 && (len == 3 ||
			    p[3] == ':') && strncmp(p + len, "(IDX:", 5) == 0)
				lsr_add_range(p + len + 5, tokens, &n);
			/* The next item, past this one's parentheses. */
			p += len;
			if (*p == '(') {
				p += strcspn(p, ")");
				if (*p == ')')
					p++;
			}
			if (*p != ',')
				break;
			p++;
		}
	}
	return n;
}

static uint32_t
scontrol_gpus(const char *job, char ***tokens)
{
	char		*argv[] = { "scontrol", "-d", "show", "job",
	    (char *)job, NULL };
	char		*out;
	uint32_t	 n = 0;
	int		 failed;

	*tokens = NULL;
	if ((out = slurm_cmd(argv, &failed)) == NULL)
		return 0;
	if (!failed)
		n = lsr_parse_gpus(out, tokens);
	free(out);
	return n;
}

/*
 * The pool inside an allocation, with --gpus auto: its GPUs as Slurm gave
 * them (SLURM_JOB_GPUS in a batch script; scontrol where salloc's shell
 * has no such variable, on the login node, whose own GPUs are not the
 * allocation's). 1 when the pool is set, 0 when it is not Slurm's to say.
 */
int
lsr_pool(struct launch *L, char **cause)
{
	struct rung_gpu_pool *p = &L->pool;
	const char	*job = getenv("SLURM_JOB_ID"), *v;
	char		*end;
	unsigned long	 k;

	(void)cause;
	if (!lsr_active(L) || job == NULL || (L->o.gpus != NULL &&
	    strcmp(L->o.gpus, "auto") != 0))
		return 0;
	memset(p, 0, sizeof *p);
	p->var = xstrdup("CUDA_VISIBLE_DEVICES");
	if ((v = getenv("SLURM_JOB_GPUS")) != NULL && *v != '\0') {
		lsr_add_range(v, &p->tokens, &p->n);
		p->source = xprintf("the Slurm allocation (SLURM_JOB_GPUS=%s)",
		    v);
	} else if ((p->n = scontrol_gpus(job, &p->tokens)) > 0) {
		p->source = xprintf("the Slurm allocation (scontrol: %u "
		    "GPU%s of job %s)", p->n, p->n == 1 ? "" : "s", job);
	} else if ((v = getenv("SLURM_GPUS_ON_NODE")) != NULL &&
	    (k = strtoul(v, &end, 10)) > 0 && *end == '\0' && k < 4096) {
		for (; p->n < k;) {
			p->tokens = xreallocarray(p->tokens, p->n + 1,
			    sizeof *p->tokens);
			p->tokens[p->n] = xprintf("%u", p->n);
			p->n++;
		}
		p->source = xprintf("the Slurm allocation "
		    "(SLURM_GPUS_ON_NODE=%s)", v);
	} else
		p->source = xprintf("the Slurm allocation %s has no GPU", job);
	return 1;
}
