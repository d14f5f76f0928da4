/*
 * A campaign against another writer. SQLite lets one process write at a
 * time; an import or a long transaction of another rung can hold the lock
 * for longer than any busy timeout. The trainers do not wait for it, and
 * what they report must not be lost, so rung launch does not write as it
 * goes but marks what the study lacks (a trial's new points, its state,
 * the run's row and end, the scheduler's state, events in order) and
 * writes it all in one transaction: at once when it can, else kept in
 * memory and retried every LW_RETRY seconds while the trials run on, and
 * said so on the terminal. Every row but the events is rewritten whole
 * from memory, so what is written late is what would have been written in
 * steps; the events keep their order.
 *
 * While a wait lasts no run starts (its key must be in the study before its
 * process exists), and the campaign ends only once all is written. Killed
 * while it waits, rung leaves the study as it was before the wait, which
 * rung launch --resume takes up as after any kill.
 */
#include "config.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rung/util.h"
#include "rung/xmalloc.h"

#include "launch-int.h"

#define LW_RETRY	0.25	/* seconds between tries */
#define LW_TELL_AFTER	1.0	/* a wait shorter than this is not told */
#define LW_TELL_EVERY	10.0

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
lw_event(struct launch *L, const struct ltrial *t, int32_t step,
    const char *event, const char *detail)
{
	struct lev	*e;

	XGROW(L->ev, L->evcap, L->nev + 1);
	e = &L->ev[L->nev++];
	e->trial = t != NULL ? t->rowid : 0;
	e->step = step;
	e->event = xstrdup(event);
	e->detail = dup_or_null(detail);
}

int
lw_pending(const struct launch *L)
{
	uint32_t	 i;

	if (L->nev > 0 || L->unsaved_state || L->unsaved_metric)
		return 1;
	for (i = 0; i < L->nmetrics; i++) {
		if (L->metric_ids[i] == 0)
			return 1;
	}
	for (i = 0; i < L->nt; i++) {
		if (L->t[i]->unsaved != 0)
			return 1;
	}
	return 0;
}

/* A write was refused: the wait begins, or goes on; told now and then. */
static void
waiting(struct launch *L)
{
	double	 now = rung_now();

	if (L->wait_since == 0)
		L->wait_since = now;
	L->retry_at = now + LW_RETRY;
	if (now - L->wait_since >= LW_TELL_AFTER && (L->noted_at == 0 ||
	    now - L->noted_at >= LW_TELL_EVERY)) {
		rung_info("launch: waiting for the database: another process "
		    "writes (%u report%s kept)", L->nkept, L->nkept == 1 ?
		    "" : "s");
		L->noted_at = now;
	}
}

/* The wait is over (nothing kept, or all of it written). */
static void
wait_over(struct launch *L, uint32_t written)
{
	if (L->wait_since != 0 && L->noted_at != 0)
		rung_info("launch: the database is free again after %.0f s: "
		    "%u kept report%s written", rung_now() - L->wait_since,
		    written, written == 1 ? "" : "s");
	L->wait_since = L->noted_at = L->retry_at = 0;
}

int
lw_refused(struct launch *L, char **cause)
{
	if (!L->busy)
		return -1;
	free(*cause);
	*cause = NULL;
	waiting(L);
	return 1;
}

int
lw_lock(struct launch *L, int (*stop)(void), char **cause)
{
	struct pollfd	 pfd;
	char		 drain[256];

	for (;;) {
		if (ldb_begin(L, cause) == 0)
			return 0;
		if (lw_refused(L, cause) < 0)
			return -1;
		if (stop == NULL || stop())
			return 1;
		/* A signal ends the sleep; stop() says whether it counts. */
		pfd.fd = L->sig_r;
		pfd.events = POLLIN;
		if (L->sig_r >= 0 && poll(&pfd, 1, (int)(LW_RETRY * 1000)) > 0)
			while (read(L->sig_r, drain, sizeof drain) > 0)
				;
		if (stop())
			return 1;
	}
}

int
lw_write(struct launch *L, char **cause)
{
	struct ltrial	*t;
	struct lev	*e;
	uint32_t	 i;
	size_t		 k;

	if (ldb_metric_rows(L, cause) != 0)
		return -1;
	if (L->unsaved_metric && ldb_set_metric(L, L->metric, L->o.direction,
	    cause) != 0)
		return -1;
	/* In the order they happen to a run: it starts, reports, ends. */
	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		if (t->unsaved == 0)
			continue;
		if ((t->unsaved & U_RUN) && ldb_trial_run(L, t, cause) != 0)
			return -1;
		if ((t->unsaved & U_POINTS) && ldb_points(L, t, cause) != 0)
			return -1;
		if ((t->unsaved & U_UPDATE) && ldb_trial_update(L, t,
		    t->pend_dname, t->pend_dstep, cause) != 0)
			return -1;
		if ((t->unsaved & U_END) && ldb_trial_end(L, t, t->pend_tail,
		    cause) != 0)
			return -1;
	}
	if (L->unsaved_state && ldb_save_state(L, cause) != 0)
		return -1;
	for (k = 0; k < L->nev; k++) {
		e = &L->ev[k];
		if (ldb_event(L, e->trial, e->step, e->event, e->detail,
		    cause) != 0)
			return -1;
	}
	return 0;
}

void
lw_written(struct launch *L)
{
	struct ltrial	*t;
	uint32_t	 i, m, kept = L->nkept;
	size_t		 k;

	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		if (t->unsaved == 0)
			continue;
		for (m = 0; m < t->nm; m++)
			t->m[m].saved = t->m[m].n;
		t->secs.saved = t->secs.n;
		if (t->folding)
			t->tail = t->folding = 0;
		t->unsaved = 0;
		t->pend_dname = NULL;
		free(t->pend_tail);
		t->pend_tail = NULL;
	}
	for (k = 0; k < L->nev; k++) {
		free(L->ev[k].event);
		free(L->ev[k].detail);
	}
	L->nev = 0;
	L->unsaved_state = L->unsaved_metric = 0;
	L->nkept = 0;
	L->mwritten = L->nmetrics;
	wait_over(L, kept);
}

void
lw_abort(struct launch *L)
{
	uint32_t	 i;

	ldb_rollback(L);
	/* A fold rolled back left the tail as it was. */
	for (i = 0; i < L->nt; i++)
		L->t[i]->folding = 0;
	/* Ids the rolled back transaction gave are nobody's. */
	for (i = L->mwritten; i < L->nmetrics; i++)
		L->metric_ids[i] = 0;
}

int
lw_flush(struct launch *L, char **cause)
{
	int	 rc;

	if (!lw_pending(L))
		return 0;
	if (L->wait_since != 0 && rung_now() < L->retry_at)
		return 1;
	if ((rc = lw_lock(L, NULL, cause)) != 0)
		return rc;
	if (lw_write(L, cause) != 0 || ldb_commit(L, cause) != 0) {
		lw_abort(L);
		return lw_refused(L, cause);
	}
	lw_written(L);
	return 0;
}

int
lw_hold(const struct launch *L)
{
	return lw_pending(L) || (L->wait_since != 0 &&
	    rung_now() < L->retry_at);
}

void
lw_free_again(struct launch *L)
{
	if (L->wait_since != 0 && !lw_pending(L))
		wait_over(L, 0);
}

double
lw_next(const struct launch *L, double next)
{
	return L->wait_since != 0 && L->retry_at < next ? L->retry_at : next;
}

void
lw_release(struct launch *L)
{
	uint32_t	 i;
	size_t		 k;

	for (k = 0; k < L->nev; k++) {
		free(L->ev[k].event);
		free(L->ev[k].detail);
	}
	free(L->ev);
	L->ev = NULL;
	L->nev = L->evcap = 0;
	for (i = 0; i < L->nt; i++) {
		free(L->t[i]->pend_tail);
		L->t[i]->pend_tail = NULL;
	}
}
