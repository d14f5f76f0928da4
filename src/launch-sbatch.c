/*
 * --launcher sbatch: each run of a trial is a Slurm batch job, for a user
 * on a login node with no allocation of their own. rung submits it
 * (sbatch --parsable --wrap, the trial's environment exported), follows
 * the job's output file instead of a pipe (the file appears when the job
 * starts, maybe late on a shared file system), learns of its end from
 * squeue and its exit code from scontrol (accounting may be off: sacct is
 * not asked), signals it with scancel, and on --resume finds the jobs of a
 * killed rung again by the ids the study holds.
 *
 * One job a run rather than a job array: the scheduler decides each next
 * configuration when a slot frees, which an array fixed at submission
 * cannot follow; --workers K is the number of jobs submitted at once,
 * queued or running, which is what an array's %K would be.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rung/launch.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "launch-int.h"

extern char **environ;

#define SB_READ		0.25	/* the output files, this often */
#define SB_STATE	1.0	/* squeue, this often: one call for all */
#define SB_ENDING	0.2	/* ... while a job is about to end */
#define SB_SETTLE	1.0	/* after the end, lines may still arrive */

struct lsb_run {
	char		*path;		/* the job's output file */
	int		 fd;		/* -1 until it appears */
	int		 queued;	/* squeue said PENDING (or not yet) */
	int		 ended;		/* squeue says it is over */
	double		 settle_at;	/* then: the last read at */
	int		 code, sig;	/* its ExitCode a:b */
	char		*slurm_state;
	int		 replay;	/* resumed: lines read before skipped */
	struct rung_buf	 skip;		/* a line cut while replaying */
};

static double sb_next_state;

static const char *const sb_ended[] = { "COMPLETED", "FAILED", "CANCELLED",
    "TIMEOUT", "NODE_FAIL", "PREEMPTED", "OUT_OF_MEMORY", "BOOT_FAIL",
    "DEADLINE", "SPECIAL_EXIT", "REVOKED", NULL };

static int
state_ended(const char *s)
{
	size_t	 i;

	for (i = 0; sb_ended[i] != NULL; i++) {
		if (strncmp(s, sb_ended[i], strlen(sb_ended[i])) == 0)
			return 1;
	}
	return 0;
}

/* A word quoted for sh. */
static void
sh_quote(struct rung_buf *b, const char *s)
{
	rung_buf_addc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			rung_buf_printf(b, "'\\''");
		else
			rung_buf_addc(b, *s);
	}
	rung_buf_addc(b, '\'');
}

char *
lsb_job_name(const struct launch *L, const struct ltrial *t)
{
	return xprintf("rung-%s-%s", L->o.study, t->ext);
}

static void
run_free(struct lsb_run *r)
{
	if (r == NULL)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r->path);
	free(r->slurm_state);
	rung_buf_release(&r->skip);
	free(r);
}

void
lsb_release(struct ltrial *t)
{
	run_free(t->sb);
	t->sb = NULL;
}

static struct lsb_run *
run_new(const struct launch *L, const struct ltrial *t)
{
	struct lsb_run	*r = xcalloc(1, sizeof *r);

	r->fd = -1;
	r->queued = 1;
	r->path = xprintf("%s/%s.%u.out", L->logs, t->ext, t->runs);
	return r;
}

/* --sbatch-args: words split at blanks (no quoting: say so in rung.1). */
static void
add_user_args(char ***argv, size_t *n, size_t *cap, const char *s)
{
	size_t	 len;

	while (s != NULL && *s != '\0') {
		s += strspn(s, " \t\n");
		if ((len = strcspn(s, " \t\n")) == 0)
			break;
		XGROW(*argv, *cap, *n + 2);
		(*argv)[(*n)++] = xstrndup(s, len);
		s += len;
	}
}

/*
 * Submit the run: inner is the command (srun -n K ... for several ranks),
 * envp the trial's environment, exported whole (--export=ALL) because
 * RUNG_PARAMS holds commas that --export=VAR=value would split at.
 */
int
lsb_submit(struct launch *L, struct ltrial *t, char **inner, char **envp,
    char **cause)
{
	struct rung_buf	 wrap = { 0 };
	char		**argv = NULL, *out, *name, *end, *line, *next;
	const char	*last = NULL;
	size_t		 n = 0, cap = 0, i;
	long long	 id;
	int		 status;

	lsb_release(t);
	t->sb = run_new(L, t);
	name = lsb_job_name(L, t);
	rung_buf_printf(&wrap, "exec");
	for (i = 0; inner[i] != NULL; i++) {
		rung_buf_addc(&wrap, ' ');
		sh_quote(&wrap, inner[i]);
	}
	XGROW(argv, cap, 16);
	argv[n++] = xstrdup(L->o.launcher.program ? L->o.launcher.program :
	    "sbatch");
	argv[n++] = xstrdup("--parsable");
	argv[n++] = xprintf("--job-name=%s", name);
	argv[n++] = xprintf("--output=%s", t->sb->path);
	argv[n++] = xstrdup("--open-mode=truncate");
	argv[n++] = xprintf("--chdir=%s", L->cwd);
	argv[n++] = xstrdup("--export=ALL");
	/* The key: a job submitted just before rung died is found by it. */
	argv[n++] = xprintf("--comment=%s", t->key);
	argv[n++] = xprintf("--ntasks=%u", L->o.launcher.ranks ?
	    L->o.launcher.ranks : 1);
	if (L->o.gpus_per_trial > 0)
		argv[n++] = xprintf("--gpus-per-task=%d", L->o.gpus_per_trial);
	argv[n] = NULL;
	add_user_args(&argv, &n, &cap, L->o.launcher.sbatch_args);
	XGROW(argv, cap, n + 3);
	argv[n++] = xprintf("--wrap=%s", rung_buf_cstr(&wrap));
	argv[n] = NULL;
	lg_printf(L, t, "[rung]");
	for (i = 0; argv[i] != NULL; i++)
		lg_printf(L, t, " %s", argv[i]);
	lg_printf(L, t, "\n");
	out = lsl_run(argv, envp, RUNG_CAPTURE_STDERR, &status);
	rung_free_strv(argv);
	rung_buf_release(&wrap);
	free(name);
	/*
	 * --parsable: a line "id" or "id;cluster" on stdout; warnings may
	 * come before it on stderr.
	 */
	id = 0;
	for (line = out; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (*line >= '0' && *line <= '9' &&
		    (id = strtoll(line, &end, 10)) > 0 &&
		    (*end == '\0' || *end == ';'))
			break;
		id = 0;
		/* What it said: its first error, else its last line. */
		if (last == NULL || strstr(last, "error") == NULL)
			last = line;
	}
	if (out == NULL || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    id <= 0) {
		xasprintf(cause, "trial %s: sbatch failed%s%s (its options: "
		    "--sbatch-args; the whole command: %s/%s.log)", t->ext,
		    last != NULL ? ": " : "", last != NULL ? last : "",
		    L->logs, t->ext);
		free(out);
		lsb_release(t);
		return -1;
	}
	free(out);
	t->job = id;
	lg_printf(L, t, "[rung] job %lld submitted\n", id);
	return 0;
}

/*
 * Lines of the output file. Resumed, the file is read again from its
 * start: what the study holds (reports up to t->last, and the lines
 * around them, which the log has) is skipped up to the first report
 * beyond it.
 */
static void
feed(struct launch *L, struct ltrial *t, const char *buf, size_t n)
{
	struct lsb_run	*r = t->sb;
	struct rung_report rep;
	const char	*p, *nl, *line;
	char		*cause = NULL;
	size_t		 len;
	int		 rc;

	if (!r->replay) {
		lrp_feed(L, t, buf, n);
		return;
	}
	rung_buf_add(&r->skip, buf, n);
	p = r->skip.data;
	len = r->skip.len;
	while ((nl = memchr(p, '\n', len)) != NULL) {
		line = p;
		rc = rung_report_parse(line, (size_t)(nl - line), &rep, &cause);
		free(cause);
		cause = NULL;
		if (rc == 1) {
			int32_t	 step = rep.step;

			rung_report_release(&rep);
			if (step > t->last) {
				r->replay = 0;
				break;
			}
		}
		len -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
	if (!r->replay) {
		/* From this report on, as it comes. */
		lrp_feed(L, t, p, len);
		rung_buf_release(&r->skip);
		return;
	}
	memmove(r->skip.data, p, len);
	r->skip.len = len;
}

/* --step-timeout counts from here. */
static void
job_started(struct launch *L, struct ltrial *t)
{
	t->sb->queued = 0;
	t->t_start = t->t_report = rung_now();
	lg_note(L, t, "job %" PRId64 " started", t->job);
}

static void
read_file(struct launch *L, struct ltrial *t)
{
	struct lsb_run	*r = t->sb;
	char		 buf[65536];
	ssize_t		 n;

	if (r->fd < 0) {
		if ((r->fd = open(r->path, O_RDONLY | O_CLOEXEC)) < 0)
			return;		/* not yet: the job has not started */
		/* Slurm makes the file as the job starts: sooner than squeue. */
		if (r->queued)
			job_started(L, t);
	}
	/*
	 * A read at end of file returns 0 and the next one sees what was
	 * appended since, on NFS too once its attributes are refreshed.
	 */
	while (t->sb != NULL && (n = read(r->fd, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		feed(L, t, buf, (size_t)n);
	}
}

/*
 * A job as scontrol shows it: JobState, JobName, Comment, ExitCode=a:b. 0
 * found, 1 Slurm knows no such job (any more), -1 Slurm did not answer.
 */
static int
job_info(int64_t job, char **state, char **name, char **comment, int *code,
    int *sig)
{
	char	*argv[6], *out, *p, id[32];
	int	 status;

	snprintf(id, sizeof id, "%" PRId64, job);
	argv[0] = "scontrol";
	argv[1] = "-o";
	argv[2] = "show";
	argv[3] = "job";
	argv[4] = id;
	argv[5] = NULL;
	out = lsl_run(argv, NULL, RUNG_CAPTURE_STDERR, &status);
	if (out == NULL || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    strstr(out, "JobId=") == NULL) {
		status = out != NULL && strstr(out, "Invalid job id") != NULL;
		free(out);
		return status ? 1 : -1;
	}
	if (state != NULL && (p = strstr(out, " JobState=")) != NULL)
		*state = xstrndup(p + 10, strcspn(p + 10, " \n"));
	if (name != NULL && (p = strstr(out, " JobName=")) != NULL)
		*name = xstrndup(p + 9, strcspn(p + 9, " \n"));
	if (comment != NULL && (p = strstr(out, " Comment=")) != NULL)
		*comment = xstrndup(p + 9, strcspn(p + 9, " \n"));
	*code = *sig = 0;
	if ((p = strstr(out, " ExitCode=")) != NULL)
		sscanf(p + 10, "%d:%d", code, sig);
	free(out);
	return 0;
}

static void
job_ended(struct launch *L, struct ltrial *t, const char *state)
{
	struct lsb_run	*r = t->sb;
	char		*st = NULL;

	r->ended = 1;
	r->queued = 0;
	r->settle_at = rung_now() + SB_SETTLE;
	if (job_info(t->job, &st, NULL, NULL, &r->code, &r->sig) != 0) {
		/* Gone from the controller: what the file says is all. */
		r->code = 0;
		r->sig = 0;
	}
	free(r->slurm_state);
	r->slurm_state = xstrdup(st != NULL ? st : state);
	free(st);
	lg_note(L, t, "job %" PRId64 " ended: %s, exit code %d:%d", t->job,
	    r->slurm_state, r->code, r->sig);
}

/*
 * squeue in every state (an ended job too, while Slurm keeps it) of the
 * jobs that sel ("-j", "-n") and its value choose, as fmt says.
 */
static char *
squeue_all(const char *fmt, const char *sel, const char *val, int *status)
{
	char	*argv[] = { "squeue", "-h", "-t", "all", "-o", (char *)fmt,
		    (char *)sel, (char *)val, NULL };

	return lsl_run(argv, NULL, 0, status);
}

/* One squeue for every job followed: their states. */
static void
poll_states(struct launch *L)
{
	struct rung_buf	 ids = { 0 };
	struct ltrial	*t;
	char		*out, *line, *sp, *next, *jl;
	uint32_t	 i;
	int		 status;
	long long	 id;

	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		if (t->active && t->sb != NULL && !t->sb->ended)
			rung_buf_printf(&ids, "%s%" PRId64, ids.len ? "," : "",
			    t->job);
	}
	if (ids.len == 0)
		return;
	jl = rung_buf_cstr(&ids);
	out = squeue_all("%i %T", "-j", jl, &status);
	free(jl);
	if (out == NULL)
		return;
	/*
	 * squeue fails when none of the ids is known any more (all purged):
	 * then each is asked of scontrol, which says the same or better.
	 */
	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		if (!t->active || t->sb == NULL || t->sb->ended)
			continue;
		for (line = out; line != NULL && *line != '\0'; line = next) {
			next = strchr(line, '\n');
			if (next != NULL)
				next++;
			id = strtoll(line, &sp, 10);
			if (id != t->job || *sp != ' ')
				continue;
			sp++;
			if (state_ended(sp))
				job_ended(L, t, sp);
			else if (strncmp(sp, "PENDING", 7) == 0) {
				/* --step-timeout counts from its start. */
				t->t_start = t->t_report = rung_now();
			} else if (t->sb->queued)
				job_started(L, t);
			break;
		}
		if (line == NULL || *line == '\0') {
			char	*st = NULL;
			int	 c, s, rc;

			/*
			 * Not listed: scontrol tells an ended job from one it
			 * forgot, and both from a controller that does not
			 * answer, which is waited for.
			 */
			rc = job_info(t->job, &st, NULL, NULL, &c, &s);
			if (rc < 0 || (rc == 0 && (st == NULL ||
			    !state_ended(st)))) {
				free(st);
				continue;
			}
			job_ended(L, t, st != NULL ? st : "gone");
			free(st);
		}
	}
	free(out);
}

/* Follow the jobs: their files, and now and then their states. */
double
lsb_follow(struct launch *L, double next)
{
	struct ltrial	*t;
	struct lsb_run	*r;
	double		 now = rung_now(), every = SB_STATE;
	uint32_t	 i, n = 0;

	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		if (!t->active || t->sb == NULL || t->reaped)
			continue;
		n++;
		read_file(L, t);
		/*
		 * At its target or told to stop, a job ends in a moment: its
		 * slot is free sooner if squeue is asked sooner.
		 */
		if (t->sb != NULL && !t->sb->ended && (t->last >= t->target ||
		    t->stages != NULL))
			every = SB_ENDING;
	}
	if (n == 0)
		return next;
	if (sb_next_state - now > every)
		sb_next_state = now + every;
	if (now >= sb_next_state) {
		poll_states(L);
		sb_next_state = now + every;
	}
	if (sb_next_state < next)
		next = sb_next_state;
	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		/* A run that reported its last step has nothing to wait for. */
		if (!t->active || (r = t->sb) == NULL || t->reaped ||
		    !r->ended || (now < r->settle_at && t->last < t->target))
			continue;
		read_file(L, t);
		if (t->sb == NULL)
			continue;
		lrp_end_lines(L, t);
		t->reaped = 1;
		t->wstatus = r->sig > 0 ? (r->sig & 0x7f) : (r->code & 0xff) <<
		    8;
		t->linger = now;
	}
	if (now + SB_READ < next)
		next = now + SB_READ;
	return next;
}

/* Signals reach the job's every step (the batch one runs the trainer). */
void
lsb_signal(struct launch *L, struct ltrial *t, int sig)
{
	char	*argv[6], id[32], sigarg[32] = "", nb[16];
	char	*out;
	size_t	 n = 0;

	(void)L;
	if (t->sb != NULL && t->sb->ended)
		return;
	snprintf(id, sizeof id, "%" PRId64, t->job);
	argv[n++] = "scancel";
	argv[n++] = "-Q";
	/* A queued job has no process to tell: it just goes. */
	if (sig != SIGKILL && (t->sb == NULL || !t->sb->queued)) {
		snprintf(sigarg, sizeof sigarg, "--signal=%s",
		    lsl_sig_name(sig, nb));
		argv[n++] = sigarg;
		argv[n++] = "--full";
	}
	argv[n++] = id;
	argv[n] = NULL;
	out = lsl_run(argv, NULL, 0, NULL);
	free(out);
	lg_note(L, t, "scancel%s%s job %s", n > 4 ? " " : "", n > 4 ?
	    sigarg : "", id);
}

/* sbatch runs nothing here: no GPU pool, Slurm gives each job its own. */
int
lsb_pool(struct launch *L, char **cause)
{
	if (rung_gpu_pool_init("none", environ, &L->pool, cause) != 0)
		return -1;
	free(L->pool.source);
	L->pool.source = xstrdup(L->o.gpus_per_trial > 0 ?
	    "Slurm's, --gpus-per-task" : "Slurm's");
	L->gpu_busy = xcalloc(1, 1);
	L->gpt = 0;
	L->parallel = L->o.parallel ? L->o.parallel : 1;
	return 0;
}

/* A job of an earlier rung's with no id recorded: by its comment. */
static int64_t
find_by_key(struct launch *L, struct ltrial *t)
{
	char	*out, *name, *line, *next, *sp;
	int64_t	 found = 0;
	long long id;

	name = lsb_job_name(L, t);
	out = squeue_all("%i %k", "-n", name, NULL);
	free(name);
	for (line = out; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		id = strtoll(line, &sp, 10);
		if (*sp == ' ' && strcmp(sp + 1, t->key) == 0)
			found = id;
	}
	free(out);
	return found;
}

/*
 * Resume: the job of t's last run, if Slurm still knows it under its
 * name, is followed again (running or queued) or finished from its file
 * (ended). 1 when it is, 0 when t runs again as any run of a killed rung,
 * -1 when Slurm does not answer (a job that may run is not run twice).
 */
int
lsb_adopt(struct launch *L, struct ltrial *t, char **cause)
{
	struct lsb_run	*r;
	char		*st = NULL, *name = NULL, *comment = NULL, *want;
	char		*why = NULL, *detail, *logpath;
	int		 code, sig, ok, rc;

	if (t->job == 0 && (L->o.launcher.kind != RUNG_LAUNCHER_SBATCH ||
	    t->key == NULL || (t->job = find_by_key(L, t)) == 0))
		return 0;
	want = lsb_job_name(L, t);
	if ((rc = job_info(t->job, &st, &name, &comment, &code, &sig)) < 0) {
		xasprintf(cause, "trial %s: Slurm does not say what became of "
		    "job %" PRId64 " (scontrol show job): try again when it "
		    "answers", t->ext, t->job);
		free(want);
		return -1;
	}
	ok = rc == 0 && name != NULL && strcmp(name, want) == 0;
	if (!ok) {
		ln_note(L, "trial %s: job %" PRId64 " is %s: the trial runs "
		    "again", t->ext, t->job, name == NULL ? "gone" :
		    "another's");
		t->job = 0;
		free(st);
		free(name);
		free(comment);
		free(want);
		return 0;
	}
	r = run_new(L, t);
	r->replay = 1;
	t->sb = r;
	t->active = 1;
	L->nactive++;
	t->out = -1;
	t->pid = t->sid = 0;
	t->from = t->last;
	t->decided = t->reaped = t->finished = t->timed_out = 0;
	t->stages = NULL;
	t->stage = 0;
	t->t_start = t->t_report = rung_now();
	logpath = xprintf("%s/%s.log", L->logs, t->ext);
	if (lg_open(L, t, logpath, &why) != 0) {
		rung_warn("launch: %s", why);
		free(why);
		why = NULL;
	}
	free(logpath);
	if (st == NULL)
		st = xstrdup("UNKNOWN");
	if (state_ended(st)) {
		r->ended = 1;
		r->queued = 0;
		r->code = code;
		r->sig = sig;
		r->slurm_state = xstrdup(st);
		r->settle_at = rung_now();
	} else
		r->queued = strncmp(st, "PENDING", 7) == 0;
	detail = xprintf("job %" PRId64 " (%s) found again", t->job, st);
	lg_note(L, t, "%s", detail);
	ln_note(L, "trial %s: %s", t->ext, detail);
	if (ldb_event(L, t->rowid, t->last, "found", detail, &why) != 0) {
		rung_warn("launch: %s", why);
		free(why);
	}
	free(detail);
	if (t->state != LT_RUNNING) {
		/* Decided on resume from points the scheduler had not seen. */
		t->decided = 1;
		t->decision = t->state == LT_PAUSED ? RUNG_PAUSE : RUNG_STOP;
		lp_end_run(L, t, lp_stop_stages);
	}
	free(st);
	free(name);
	free(comment);
	free(want);
	return 1;
}
