/*
 * Work off the main thread, so that typing never waits: the refit of the
 * trials screen's predictor, the commands of the prompt, the fit and
 * replay screens. A job owns its inputs while it runs and writes a byte to
 * the wake pipe when it is done; the main loop polls that pipe beside the
 * terminal.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui-int.h"
#include "rung/qsvr.h"
#include "rung/xmalloc.h"

static int	 wake_pipe[2] = { -1, -1 };

int
tui_wake_fd(void)
{
	if (wake_pipe[0] == -1) {
		if (pipe(wake_pipe) != 0)
			return -1;
		fcntl(wake_pipe[0], F_SETFL, O_NONBLOCK);
		fcntl(wake_pipe[1], F_SETFL, O_NONBLOCK);
		fcntl(wake_pipe[0], F_SETFD, FD_CLOEXEC);
		fcntl(wake_pipe[1], F_SETFD, FD_CLOEXEC);
	}
	return wake_pipe[0];
}

/* Async-signal-safe: signal handlers call it too. */
void
tui_wake(void)
{
	int	 saved = errno;
	ssize_t	 n;

	if (wake_pipe[1] != -1)
		n = write(wake_pipe[1], "x", 1);
	(void)n;
	errno = saved;
}

void
tui_drain_wake(void)
{
	char	 buf[64];

	if (wake_pipe[0] == -1)
		return;
	while (read(wake_pipe[0], buf, sizeof buf) > 0)
		;
}

static void *
job_main(void *arg)
{
	struct tui_job	*job = arg;

	job->fn(job->arg);
	atomic_store(&job->state, JOB_DONE);
	tui_wake();
	return NULL;
}

void
tui_job_start(struct tui_job *job, void *(*fn)(void *), void *arg)
{
	job->fn = fn;
	job->arg = arg;
	job->started = rung_now();
	atomic_store(&job->progress, 0);
	atomic_store(&job->total, 0);
	atomic_store(&job->state, JOB_RUNNING);
	if (pthread_create(&job->thread, NULL, job_main, job) != 0) {
		/* No thread: do the work here; the screen waits for it. */
		fn(arg);
		atomic_store(&job->state, JOB_DONE);
		job->thread = pthread_self();
	}
}

int
tui_job_running(struct tui_job *job)
{
	return atomic_load(&job->state) != JOB_IDLE;
}

int
tui_job_done(struct tui_job *job)
{
	if (atomic_load(&job->state) != JOB_DONE)
		return 0;
	if (!pthread_equal(job->thread, pthread_self()))
		pthread_join(job->thread, NULL);
	atomic_store(&job->state, JOB_IDLE);
	return 1;
}

void
tui_job_wait(struct tui_job *job)
{
	if (atomic_load(&job->state) == JOB_IDLE)
		return;
	if (!pthread_equal(job->thread, pthread_self()))
		pthread_join(job->thread, NULL);
	atomic_store(&job->state, JOB_IDLE);
}

/* " what done/total " of a running job, for the status line; 0 if idle. */
size_t
tui_job_progress(struct tui_job *job, const char *spin, const char *what,
    char *buf, size_t len)
{
	if (!tui_job_running(job))
		return 0;
	return (size_t)snprintf(buf, len, " %s %s %u/%u ", spin, what,
	    atomic_load(&job->progress), atomic_load(&job->total));
}

/*
 * Refit: nu-SVR with Swift-Hyperband's defaults (or the SVR :refit named,
 * with fit's defaults for it) on the trials that have
 * the prefix and reach the target (at most a few thousand of them, drawn
 * at random, so that a huge study stays quick), then predict every trial
 * that has the prefix. With a saved model, only predict.
 */
void *
tui_refit_main(void *arg)
{
	struct tui_refit *r = arg;
	struct rung_svr_params p;
	struct rung_qsvr_params qp;
	struct rung_svr	*svr = r->model;
	struct rung_rng	 rng;
	uint32_t	*pick = NULL, i, n, d = r->all.d;
	double		*x = NULL, *y = NULL, t0 = rung_now();
	const uint32_t	 cap = 2000;

	r->pred = xreallocarray(NULL, r->ntrials ? r->ntrials : 1,
	    sizeof *r->pred);
	for (i = 0; i < r->ntrials; i++)
		r->pred[i] = NAN;
	if (svr == NULL) {
		n = r->train.n;
		if (n < 2) {
			xasprintf(&r->cause, "only %u trials have steps 1-%d "
			    "and reach step %d: too few to fit", n, r->prefix,
			    r->target);
			goto out;
		}
		x = r->train.x;
		y = r->train.y;
		if (n > cap) {
			pick = xreallocarray(NULL, n, sizeof *pick);
			for (i = 0; i < n; i++)
				pick[i] = i;
			rung_rng_seed(&rng, 1);
			rung_rng_shuffle(&rng, pick, n);
			x = xreallocarray(NULL, (size_t)cap * d, sizeof *x);
			y = xreallocarray(NULL, cap, sizeof *y);
			for (i = 0; i < cap; i++) {
				memcpy(x + (size_t)i * d, r->train.x +
				    (size_t)pick[i] * d, d * sizeof *x);
				y[i] = r->train.y[pick[i]];
			}
			n = cap;
		}
		rung_svr_params_init(&p);
		rung_svr_params_type(&p, r->svr);
		if (rung_svr_fit(&p, x, y, n, d, &svr, &r->cause) != 0)
			goto out;
		r->ntrain = n;
		if (r->svr == RUNG_QSVR) {
			/* It trains on a random few of them (qsvr.h). */
			rung_qsvr_params_init(&qp);
			if (n > qp.nmax)
				r->ntrain = qp.nmax;
		}
	}
	atomic_store(&r->job.total, r->all.n);
	for (i = 0; i < r->all.n; i++) {
		r->pred[r->all.trial[i]] = rung_svr_predict(svr,
		    r->all.x + (size_t)i * d);
		if (i % 1024 == 0)
			atomic_store(&r->job.progress, i);
	}
out:
	if (svr != r->model)
		rung_svr_free(svr);
	if (x != r->train.x)
		free(x);
	if (y != r->train.y)
		free(y);
	free(pick);
	r->secs = rung_now() - t0;
	return NULL;
}

void
tui_refit_release(struct tui_refit *r)
{
	rung_dataset_release(&r->train);
	rung_dataset_release(&r->all);
	rung_svr_free(r->model);
	r->model = NULL;
	free(r->pred);
	r->pred = NULL;
	free(r->cause);
	r->cause = NULL;
}

/* A command of the prompt: its own context and database connection. */
void *
tui_cmd_main(void *arg)
{
	struct tui_cmd	*c = arg;
	struct rung_ctx	 ctx;

	memset(&ctx, 0, sizeof ctx);
	ctx.db_path = c->db_path;
	ctx.in_tui = 1;
	ctx.tty = 0;
	ctx.progress = isatty(STDERR_FILENO);
	if ((ctx.out = fdopen(c->out_w, "w")) == NULL) {
		close(c->out_w);
		c->status = RUNG_EXIT_ERROR;
		return NULL;
	}
	setvbuf(ctx.out, NULL, _IOLBF, 0);
	c->status = rung_cmd_run(&ctx, c->argc, c->argv);
	rung_ctx_release(&ctx);
	fclose(ctx.out);	/* the main loop reads the end of file */
	return NULL;
}

#define OUTPUT_MAX	20000

static void
add_line(struct tui *t, int kind, const char *s, size_t len)
{
	struct tui_output *o = &t->out;
	size_t		 drop;

	if (o->n == OUTPUT_MAX) {
		drop = OUTPUT_MAX / 10;
		for (size_t i = 0; i < drop; i++)
			free(o->lines[i]);
		memmove(o->lines, o->lines + drop, (o->n - drop) *
		    sizeof *o->lines);
		memmove(o->kind, o->kind + drop, o->n - drop);
		o->n -= drop;
		o->top = o->top > drop ? o->top - drop : 0;
	}
	if (o->n + 1 > o->cap) {
		size_t	 c2 = o->cap;

		XGROW(o->lines, c2, o->n + 1);
		o->kind = xrealloc(o->kind, c2);
		o->cap = c2;
	}
	o->lines[o->n] = xstrndup(s, len);
	o->kind[o->n] = (uint8_t)kind;
	o->n++;
	t->dirty = 1;
}

/*
 * Text from a command or from stderr: whole lines become lines; a line
 * redrawn with \r (progress) is kept aside for the status line; ESC [ K
 * and other escape sequences are dropped.
 */
void
tui_output_add(struct tui *t, int kind, const char *s, size_t len)
{
	struct rung_buf	*part = &t->out.part[kind == 1];
	size_t		 i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			add_line(t, kind, part->data ? part->data : "",
			    part->len);
			part->len = 0;
			free(t->out.progress);
			t->out.progress = NULL;
		} else if (s[i] == '\r') {
			if (part->len > 0) {
				free(t->out.progress);
				t->out.progress = xstrndup(part->data,
				    part->len);
			}
			part->len = 0;
		} else if (s[i] == '\033') {
			/* Skip ESC [ params final. */
			if (i + 1 < len && s[i + 1] == '[') {
				i += 2;
				while (i < len && (s[i] < 0x40 || s[i] > 0x7e))
					i++;
			}
		} else
			rung_buf_addc(part, s[i]);
	}
	if (part->data != NULL)
		part->data[part->len] = '\0';
	t->dirty = 1;
}

void
tui_output_read(struct tui *t, int fd, int kind)
{
	char	 buf[8192];
	ssize_t	 n;

	while ((n = read(fd, buf, sizeof buf)) > 0)
		tui_output_add(t, kind, buf, (size_t)n);
}

void
tui_output_free(struct tui_output *o)
{
	size_t	 i;

	for (i = 0; i < o->n; i++)
		free(o->lines[i]);
	free(o->lines);
	free(o->kind);
	rung_buf_release(&o->part[0]);
	rung_buf_release(&o->part[1]);
	free(o->progress);
	memset(o, 0, sizeof *o);
}
