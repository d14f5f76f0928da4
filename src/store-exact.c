/*
 * The exact reads of one trial's points: its curves, its seconds and its
 * tail, as doubles, for show and for resuming a launch.
 */

#include "config.h"

#include <sys/stat.h>

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/store.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "store-int.h"

int
rung_exact_open(struct rung_store *s, int64_t study, struct rung_exact *x,
    char **cause)
{
	sqlite3_stmt	*st;
	size_t		 cap = 0;

	memset(x, 0, sizeof *x);
	if (store_prepare(s, "SELECT m.id, m.name FROM metrics m"
	    " JOIN studies s ON s.id = m.study_id WHERE m.study_id = ?"
	    " ORDER BY m.name <> s.metric, m.id", &st, cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, study);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (x->nmetrics + 1 > cap) {
			size_t	 c2 = cap;

			XGROW(x->metrics, c2, x->nmetrics + 1);
			x->metric_ids = xreallocarray(x->metric_ids, c2,
			    sizeof *x->metric_ids);
			cap = c2;
		}
		x->metric_ids[x->nmetrics] = sqlite3_column_int64(st, 0);
		x->metrics[x->nmetrics++] = store_col_text(st, 1);
	}
	sqlite3_finalize(st);
	x->curves = xcalloc(x->nmetrics ? x->nmetrics : 1, sizeof *x->curves);
	if (store_prepare(s, "SELECT metric_id, n, first_step, steps, vals"
	    " FROM curves WHERE trial_id = ?", &x->curve_st, cause) != 0 ||
	    store_prepare(s, "SELECT n, first_step, steps, secs"
	    " FROM step_seconds WHERE trial_id = ?", &x->secs_st, cause) != 0 ||
	    store_prepare(s, "SELECT metric_id, step, value FROM curve_tail"
	    " WHERE trial_id = ? ORDER BY step, metric_id", &x->tail_st,
	    cause) != 0) {
		rung_exact_release(x);
		return -1;
	}
	return 0;
}

static int
unpack_points(struct rung_store *s, sqlite3_stmt *st, int col,
    struct rung_points *p, char **cause)
{
	uint32_t	 n = (uint32_t)sqlite3_column_int(st, col), i;
	int32_t		 first = sqlite3_column_int(st, col + 1);
	const void	*steps = sqlite3_column_blob(st, col + 2);
	const void	*vals = sqlite3_column_blob(st, col + 3);
	size_t		 cap = p->cap;

	if (sqlite3_column_bytes(st, col + 3) != (int)(8 * n) ||
	    (steps != NULL && sqlite3_column_bytes(st, col + 2) !=
	    (int)(4 * n))) {
		xasprintf(cause, "%s: a stored curve is damaged (its size does "
		    "not match n = %u)", s->path, n);
		return -1;
	}
	XGROW(p->steps, cap, n ? n : 1);
	p->vals = xreallocarray(p->vals, cap, sizeof *p->vals);
	p->cap = cap;
	for (i = 0; i < n; i++) {
		p->steps[i] = steps != NULL ? rung_unpack_i32(steps, i) :
		    first + (int32_t)i;
		p->vals[i] = rung_unpack_f64(vals, i);
	}
	p->n = n;
	return 0;
}

/* A tail point after p's; a step not above the last is not one. */
static void
tail_add(struct rung_points *p, int32_t step, double v, uint32_t *ntail)
{
	size_t	 cap = p->cap;

	if (p->n > 0 && p->steps[p->n - 1] >= step)
		return;
	XGROW(p->steps, cap, p->n + 1);
	p->vals = xreallocarray(p->vals, cap, sizeof *p->vals);
	p->cap = cap;
	p->steps[p->n] = step;
	p->vals[p->n++] = v;
	(*ntail)++;
}

int
rung_exact_read(struct rung_store *s, struct rung_exact *x, int64_t trial,
    char **cause)
{
	size_t		 m;
	int64_t		 mid;
	int		 rc, ret = -1, began;

	for (m = 0; m < x->nmetrics; m++)
		x->curves[m].n = 0;
	x->secs.n = 0;
	x->ntail = 0;
	/* The blobs and the tails in one snapshot (store_read_begin). */
	if (store_read_begin(s, &began, cause) != 0)
		return -1;
	sqlite3_bind_int64(x->curve_st, 1, trial);
	while ((rc = sqlite3_step(x->curve_st)) == SQLITE_ROW) {
		mid = sqlite3_column_int64(x->curve_st, 0);
		for (m = 0; m < x->nmetrics; m++) {
			if (x->metric_ids[m] == mid)
				break;
		}
		if (m < x->nmetrics && unpack_points(s, x->curve_st, 1,
		    &x->curves[m], cause) != 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
		goto out;
	}
	sqlite3_bind_int64(x->secs_st, 1, trial);
	if (sqlite3_step(x->secs_st) == SQLITE_ROW &&
	    unpack_points(s, x->secs_st, 0, &x->secs, cause) != 0)
		goto out;

	/* The points of a running trial after its blobs' (schema 9). */
	sqlite3_bind_int64(x->tail_st, 1, trial);
	while ((rc = sqlite3_step(x->tail_st)) == SQLITE_ROW) {
		struct rung_points *p = NULL;

		if ((mid = sqlite3_column_int64(x->tail_st, 0)) == 0)
			p = &x->secs;	/* the step's seconds */
		for (m = 0; p == NULL && m < x->nmetrics; m++) {
			if (x->metric_ids[m] == mid)
				p = &x->curves[m];
		}
		if (p != NULL)
			tail_add(p, sqlite3_column_int(x->tail_st, 1),
			    tail_value(x->tail_st, 2), &x->ntail);
	}
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
		goto out;
	}
	ret = 0;
out:
	sqlite3_reset(x->curve_st);
	sqlite3_reset(x->secs_st);
	sqlite3_reset(x->tail_st);
	store_read_end(s, began);
	return ret;
}

void
rung_exact_release(struct rung_exact *x)
{
	size_t	 m;

	for (m = 0; m < x->nmetrics; m++) {
		free(x->metrics[m]);
		free(x->curves[m].steps);
		free(x->curves[m].vals);
	}
	free(x->metrics);
	free(x->metric_ids);
	free(x->curves);
	free(x->secs.steps);
	free(x->secs.vals);
	sqlite3_finalize(x->curve_st);
	sqlite3_finalize(x->secs_st);
	sqlite3_finalize(x->tail_st);
	memset(x, 0, sizeof *x);
}
