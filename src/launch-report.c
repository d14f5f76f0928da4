/*
 * What the trials report: their standard output read line by line, each
 * report's points kept and told to the scheduler, its decision acted on
 * (a run paused or stopped), and the budget counted.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rung/launch.h"
#include "rung/sched.h"
#include "rung/study.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "launch-int.h"

#define LINE_MAX_LEN	(1024 * 1024)
#define MAX_WARNINGS	3
/* Points of a series, as they come. */
void
series_add(struct series *s, int32_t step, double v)
{
	if (s->n + 1 > s->cap) {
		size_t	 c = s->cap;

		XGROW(s->steps, c, s->n + 1);
		s->vals = xreallocarray(s->vals, c, sizeof *s->vals);
		s->cap = (uint32_t)c;
	}
	s->steps[s->n] = step;
	s->vals[s->n++] = v;
}

void
series_release(struct series *s)
{
	free(s->steps);
	free(s->vals);
	memset(s, 0, sizeof *s);
}

/* The index of the metric of interest in L->metrics, or UINT32_MAX. */
uint32_t
lrp_metric_index(const struct launch *L)
{
	uint32_t	 i, mi = UINT32_MAX;

	for (i = 0; L->metric != NULL && i < L->nmetrics; i++) {
		if (strcmp(L->metrics[i], L->metric) == 0)
			mi = i;
	}
	return mi;
}

/*
 * What the scheduler is told of a value: lower is better, and rounded to
 * single precision as the replays hold recorded curves (study.h), so that
 * a replay of the recorded points decides as the campaign did. The study
 * keeps the value exactly.
 */
double
lrp_sched_value(const struct launch *L, double v)
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
		lg_note(L, t, "step %d reported after rung ended the run: not "
		    "recorded", r->step);
		return;
	}
	if (L->metric == NULL) {
		if (rung_report_metric(r, &m, &cause) != 0) {
			ln_fail(L, xprintf("trial %s: %s", t->ext, cause));
			free(cause);
			return;
		}
		dir = L->o.direction ? L->o.direction :
		    rung_direction_guess(m);
		L->unsaved_metric = 1;
		L->metric = m;
		L->o.direction = dir;
		ln_note(L, "the metric is %s (%s)", m, dir == RUNG_MAX ?
		    "higher is better" : "lower is better");
	}
	if ((k = rung_report_find(r, L->metric)) < 0) {
		lg_note(L, t, "the report of step %d has no '%s': ignored",
		    r->step, L->metric);
		if (t->nmalformed++ < MAX_WARNINGS)
			rung_warn("launch: trial %s: the report of step %d has "
			    "no '%s': ignored", t->ext, r->step, L->metric);
		return;
	}
	if (r->step <= t->last) {
		lg_note(L, t, "step %d is recorded already (up to %d): ignored",
		    r->step, t->last);
		return;
	}
	v = r->vals[k];
	prev = t->last;
	L->reports++;
	/* The sampler learns of it first, as the replay's does. */
	lrs_observe(L, t, r->step, lrp_sched_value(L, v));
	d = rung_sched_report(L->sc, t->handle, r->step, lrp_sched_value(L, v));
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
		ln_fail(L, cause);
		return;
	}

	if (d != RUNG_CONTINUE) {
		ln_note(L, "trial %s: step %d, %s %s: %s", t->ext, r->step,
		    L->metric, rung_fmt_human(v, num), t->finished ?
		    "complete" : dname);
		if (r->step >= t->target)
			lp_end_run_later(L, t);
		else
			lp_end_run(L, t, lp_stop_stages);
	}
	if (L->o.budget != 0 && L->steps >= L->o.budget &&
	    !L->budget_spent) {
		L->budget_spent = 1;
		ln_note(L, "the budget of %" PRIu64 " steps is spent: stopping "
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
			lp_end_run(L, u, lp_stop_stages);
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
		lsr_line(L, t, line, len);
		return;
	}
	if (rc < 0) {
		lg_note(L, t, "malformed report ignored (%s): %s", cause, line);
		if (t->nmalformed++ < MAX_WARNINGS)
			rung_warn("launch: trial %s: malformed report ignored "
			    "(%s): %.200s", t->ext, cause, line);
		free(cause);
		return;
	}
	handle_report(L, t, &r);
	rung_report_release(&r);
}

/* The end of t's output: its last line, unfinished, is handled too. */
void
lrp_close_out(struct launch *L, struct ltrial *t)
{
	close(t->out);
	t->out = -1;
	lrp_end_lines(L, t);
}

void
lrp_end_lines(struct launch *L, struct ltrial *t)
{
	size_t	 len;

	if (t->part.len > 0) {
		len = t->part.len;
		rung_buf_addc(&t->part, '\0');
		rung_buf_addc(&t->part, '\0');
		handle_line(L, t, t->part.data, len);
		t->part.len = 0;
	}
}

/* Bytes of the trial's output; lines to handle_line. */
void
lrp_feed(struct launch *L, struct ltrial *t, const char *buf, size_t n)
{
	char	*p, *nl;
	size_t	 len;

	rung_buf_add(&t->part, buf, n);
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

/* Read what the trial wrote. */
void
lrp_read_out(struct launch *L, struct ltrial *t)
{
	char	 buf[65536];
	ssize_t	 n;

	while (t->out >= 0) {
		n = read(t->out, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;		/* EAGAIN */
		if (n == 0) {
			lrp_close_out(L, t);
			return;
		}
		lrp_feed(L, t, buf, (size_t)n);
	}
}
