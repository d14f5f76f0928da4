/*
 * Reading a study whole: its trials, one metric's curves and the
 * parameters, in one pass each, and again for the trials changed since.
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

void
rung_curves_release(struct rung_curves *c)
{
	free(c->name);
	free(c->off);
	free(c->steps);
	free(c->vals);
	free(c->final);
	free(c->best);
	free(c->last);
	memset(c, 0, sizeof *c);
}

/*
 * The rows of table (aliased; its trial column named after the alias) for
 * the trials of study ?1 whose rev is above ?3, in row id order: the
 * query starts from the rev index, a handful of rows, and looks each
 * trial's row up (CROSS JOIN keeps SQLite from starting elsewhere).
 */
#define CHANGED(cols, table, x, and) \
	"SELECT " cols " FROM trials t CROSS JOIN " table " " x \
	" WHERE t.study_id = ?1 AND t.rev > ?3 AND " x ".trial_id = t.id" \
	and " ORDER BY t.id"

/*
 * Number a categorical parameter's levels in the order of the first trial
 * that has each: the rows come in the index's order, not the trials'.
 */
static void
first_seen_levels(struct rung_param *p, uint32_t ntrials)
{
	uint32_t	*map, next = 0, t, l;
	char		**levels;

	if (p->type != RUNG_PCAT || p->nlevels < 2)
		return;
	map = xreallocarray(NULL, p->nlevels, sizeof *map);
	for (l = 0; l < p->nlevels; l++)
		map[l] = UINT32_MAX;
	for (t = 0; t < ntrials && next < p->nlevels; t++) {
		if (p->cat[t] != UINT32_MAX && map[p->cat[t]] == UINT32_MAX)
			map[p->cat[t]] = next++;
	}
	for (l = 0; l < p->nlevels; l++) {
		if (map[l] == UINT32_MAX)
			map[l] = next++;	/* a level no loaded trial has */
	}
	levels = xreallocarray(NULL, p->nlevels, sizeof *levels);
	for (l = 0; l < p->nlevels; l++)
		levels[map[l]] = p->levels[l];
	free(p->levels);
	p->levels = levels;
	for (t = 0; t < ntrials; t++) {
		if (p->cat[t] != UINT32_MAX)
			p->cat[t] = map[p->cat[t]];
	}
	free(map);
}

/*
 * The index of the trial whose row id is tid in the sorted rowid[], or n
 * when none. Curves come in the order the curves_metric index holds them,
 * which is nearly always the trials' order: the trial after the last one
 * found is tried first, then a binary search.
 */
static uint32_t
trial_index(const int64_t *rowid, uint32_t n, uint32_t last, int64_t tid)
{
	uint32_t	 lo = 0, hi = n, mid;

	if (last < n && rowid[last] == tid)
		return last;
	if (last + 1 < n && rowid[last + 1] == tid)
		return last + 1;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (rowid[mid] < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && rowid[lo] == tid ? lo : n;
}

/*
 * Read one metric's curves for every trial of the study into one pool. The
 * trials' row ids are sorted, so a binary search maps a curve to its trial.
 * The whole-study queries have no ORDER BY on purpose: SQLite would walk
 * the curves_metric index and sort every row, blobs and all, in a temporary
 * B-tree (a gigabyte spilled to disk at a million trials) for an order the
 * search above does not need.
 */
/*
 * A pool of points grown by doubling, from 8 M points (32 MB an array,
 * above malloc's largest mmap threshold): a mapped block grows by mremap,
 * with no copy and no second peak, where one from the heap would be copied
 * at each doubling. Pages never written cost nothing.
 */
struct pool {
	int32_t		*steps;
	float		*vals;
	uint64_t	 n, cap;
};

static int
pool_reserve(struct pool *p, uint64_t all, uint32_t more, char **cause)
{
	if (all + more > UINT32_MAX) {
		xasprintf(cause, "study has more than %u points, more than rung "
		    "holds in memory", UINT32_MAX);
		return -1;
	}
	if (p->n + more <= p->cap)
		return 0;
	p->cap = p->cap == 0 ? (uint64_t)1 << 23 : p->cap * 2;
	if (p->cap < p->n + more)
		p->cap = p->n + more;
	p->steps = xreallocarray(p->steps, p->cap, sizeof *p->steps);
	p->vals = xreallocarray(p->vals, p->cap, sizeof *p->vals);
	return 0;
}

/*
 * The tail rows (cols of curve_tail ct) of a study's trials, a trial's
 * together in the order of their steps: the walk starts from the tail,
 * empty but while a campaign runs, in its key's order, and looks each
 * row's trial up (CROSS JOIN), never through a big study's every trial.
 */
#define TAIL_ALL(and) \
	"SELECT ct.trial_id, ct.step, ct.value FROM curve_tail ct" \
	" CROSS JOIN trials t WHERE t.id = ct.trial_id AND t.study_id = ?1" \
	and

/*
 * The same of the trials whose rev is above ?3: from the rev index to each
 * one's tail, whose rows the lookup by the key's trial_id gives in the
 * order of their steps (no ORDER BY: sorting a running trial's whole tail
 * again at each read of the live explorer is what it avoids). The trials
 * themselves come in any order.
 */
#define TAIL_CHANGED(and) \
	"SELECT ct.trial_id, ct.step, ct.value FROM trials t" \
	" CROSS JOIN curve_tail ct WHERE t.study_id = ?1 AND t.rev > ?3" \
	" AND ct.trial_id = t.id" and

/*
 * A running campaign's trial has its points after the first in
 * curve_tail (schema 9), a row each, until its run ends and folds them
 * into its curve. The readers take a curve as its blob's points and then its
 * tail's, read in one transaction: a fold committed between the two reads
 * would otherwise be read as neither. This opens a read transaction
 * unless one is open; store_read_end ends it.
 */
int
store_read_begin(struct rung_store *s, int *began, char **cause)
{
	*began = 0;
	if (!sqlite3_get_autocommit(s->db))
		return 0;
	if (store_exec_sql(s->db, "BEGIN", s->path, cause) != 0)
		return -1;
	*began = 1;
	return 0;
}

void
store_read_end(struct rung_store *s, int began)
{
	if (began)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

/* A tail's value: NULL is a NaN, which SQLite does not store. */
double
tail_value(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? NAN :
	    sqlite3_column_double(st, col);
}

/*
 * The tail points of the seconds of the trials loaded: trial t's are
 * len[t] points from from[t].
 */
struct secs_tail {
	int32_t		*steps;
	double		*vals;
	uint64_t	 n, cap;
	uint64_t	*from;
	uint32_t	*len;
	uint32_t	 last;		/* the trial of the last row */
};

static void
secs_tail_release(struct secs_tail *x)
{
	free(x->steps);
	free(x->vals);
	free(x->from);
	free(x->len);
}

/*
 * The start of reading a metric's curves into c, for ntrials trials: its
 * direction (the metric's own, unless the command's *dir overrides it; set
 * in *dir), its name, and the per-trial arrays every reader fills (*len,
 * the points read of each trial, is the caller's to free).
 */
static int
curves_init(struct rung_store *s, int64_t study_id, const char *metric,
    enum rung_direction *dir, uint32_t ntrials, struct rung_curves *c,
    uint32_t **len, char **cause)
{
	memset(c, 0, sizeof *c);
	if (*dir == 0 && rung_store_metric_direction(s, study_id, metric, dir,
	    cause) < 0)
		return -1;
	if (*dir == 0)
		*dir = RUNG_MIN;
	c->direction = *dir;
	c->name = xstrdup(metric);
	c->off = xcalloc((size_t)ntrials + 1, sizeof *c->off);
	*len = xcalloc(ntrials ? ntrials : 1, sizeof **len);
	c->final = xreallocarray(NULL, ntrials ? ntrials : 1,
	    sizeof *c->final);
	c->best = xreallocarray(NULL, ntrials ? ntrials : 1, sizeof *c->best);
	return 0;
}

/*
 * Whether the curve row of trial tid at st, its steps blob in column col
 * (none: steps from the first) and its values in the next, holds other
 * than n points: *cause says so.
 */
static int
curve_damaged(struct rung_store *s, sqlite3_stmt *st, int col, uint32_t n,
    int64_t tid, char **cause)
{
	if (sqlite3_column_bytes(st, col + 1) == (int)(8 * n) &&
	    (sqlite3_column_bytes(st, col) == 0 ||
	    sqlite3_column_bytes(st, col) == (int)(4 * n)))
		return 0;
	xasprintf(cause, "%s: curve of trial %lld is damaged (size does not "
	    "match n = %u)", s->path, (long long)tid, n);
	return 1;
}

/*
 * Read one metric's curves for every trial of the study into one pool, in
 * one pass over the rows: a first pass for the sizes alone would read
 * every record twice, the blobs being nearly all of the study's bytes and
 * stored inline. The trials' row ids are sorted, so a binary search maps
 * a curve to its trial.
 *
 * The whole-study query has no ORDER BY on purpose: SQLite would walk the
 * curves_metric index and sort every row, blobs and all, in a temporary
 * B-tree (a gigabyte spilled to disk at a million trials). Rows come in
 * the index's order, which is the trials' but for curves written again
 * later (a launch, a live writer). So a row whose trial comes after every
 * trial read so far goes on the main pool, already in place; the others
 * (few) go on a side pool, merged in at the end from the back, the main
 * pool's blocks moved right into their places.
 *
 * A curve with points in the tail (a trial running now, schema 9) is
 * moved to the end of the side pool, its tail read after it: a trial's
 * tail rows come together, so each such curve is moved once, and only
 * those of running trials are.
 */
static int
load_curves(struct rung_store *s, int64_t study_id, const char *metric,
    enum rung_direction dir, int64_t since, uint32_t ntrials,
    const int64_t *rowid, struct rung_curves *c, float **secs_out,
    char **cause)
{
	sqlite3_stmt	*st = NULL;
	struct pool	 main = { 0 }, side = { 0 }, *p;
	struct secs_tail tl = { 0 };
	uint32_t	*len = NULL, t, i, n, last = UINT32_MAX, cur;
	uint64_t	*start = NULL, w, stale = 0, ta;
	uint8_t		*aside = NULL;
	const void	*steps, *vals;
	int32_t		 first;
	double		 best;
	int		 rc, ret = -1, began = 0;

	if (curves_init(s, study_id, metric, &dir, ntrials, c, &len, cause) != 0)
		return -1;
	aside = xcalloc(ntrials ? ntrials : 1, 1);
	start = xreallocarray(NULL, ntrials ? ntrials : 1, sizeof *start);
	for (t = 0; t < ntrials; t++) {
		c->final[t] = c->best[t] = NAN;
		start[t] = UINT64_MAX;
	}
	if (store_read_begin(s, &began, cause) != 0)
		goto out;
	if (store_prepare(s, since < 0 ?
	    "SELECT c.trial_id, c.n, c.first_step, c.steps, c.vals"
	    " FROM curves c JOIN metrics m ON m.id = c.metric_id"
	    " WHERE m.study_id = ?1 AND m.name = ?2" :
	    /*
	     * The changed trials alone: from the rev index to each one's
	     * curve, never through the metric's every curve.
	     */
	    CHANGED("c.trial_id, c.n, c.first_step, c.steps, c.vals",
	    "curves", "c", " AND c.metric_id = (SELECT id FROM metrics"
	    " WHERE study_id = ?1 AND name = ?2)"), &st, cause) != 0)
		goto out;
	sqlite3_bind_int64(st, 1, study_id);
	sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
	if (since >= 0)
		sqlite3_bind_int64(st, 3, since);
	t = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t tid = sqlite3_column_int64(st, 0);

		if ((t = trial_index(rowid, ntrials, t, tid)) == ntrials ||
		    start[t] != UINT64_MAX)
			continue;
		n = (uint32_t)sqlite3_column_int(st, 1);
		first = sqlite3_column_int(st, 2);
		steps = sqlite3_column_blob(st, 3);
		vals = sqlite3_column_blob(st, 4);
		if (curve_damaged(s, st, 3, n, tid, cause))
			goto out;
		if (last == UINT32_MAX || t > last) {
			p = &main;
			last = t;
		} else {
			p = &side;
			aside[t] = 1;
		}
		if (pool_reserve(p, main.n + side.n, n, cause) != 0)
			goto out;
		start[t] = p->n;
		len[t] = n;
		for (i = 0; i < n; i++) {
			p->steps[p->n + i] = steps != NULL ?
			    rung_unpack_i32(steps, i) : first + (int32_t)i;
		}
		/* rung_better written out: NaN best is beaten by any. */
		best = NAN;
		for (i = 0; i < n; i++) {
			double	 v = rung_unpack_f64(vals, i);

			p->vals[p->n + i] = (float)v;
			if (isfinite(v) && (dir == RUNG_MAX ? !(v <= best) :
			    !(v >= best)))
				best = v;
		}
		c->best[t] = best;
		if (n > 0)
			c->final[t] = rung_unpack_f64(vals, n - 1);
		p->n += n;
	}
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
		goto out;
	}

	/* The tails, after their curves' points. */
	sqlite3_finalize(st);
	st = NULL;
	if (store_prepare(s, since < 0 ? TAIL_ALL(" AND ct.metric_id ="
	    " (SELECT id FROM metrics WHERE study_id = ?1 AND name = ?2)") :
	    TAIL_CHANGED(" AND ct.metric_id = (SELECT id FROM metrics"
	    " WHERE study_id = ?1 AND name = ?2)"), &st, cause) != 0)
		goto out;
	sqlite3_bind_int64(st, 1, study_id);
	sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
	if (since >= 0)
		sqlite3_bind_int64(st, 3, since);
	t = 0;
	cur = UINT32_MAX;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t	 tid = sqlite3_column_int64(st, 0);
		int32_t	 step = sqlite3_column_int(st, 1);
		double	 v = tail_value(st, 2);

		if ((t = trial_index(rowid, ntrials, t, tid)) == ntrials)
			continue;
		if (t != cur) {
			/* Its curve to the end of the side pool, once. */
			cur = t;
			if (start[t] == UINT64_MAX) {
				start[t] = side.n;
				len[t] = 0;
			} else if (!aside[t] || start[t] + len[t] != side.n) {
				p = aside[t] ? &side : &main;
				if (pool_reserve(&side, main.n + side.n,
				    len[t], cause) != 0)
					goto out;
				memcpy(side.steps + side.n, p->steps +
				    start[t], (size_t)len[t] *
				    sizeof *side.steps);
				memcpy(side.vals + side.n, p->vals +
				    start[t], (size_t)len[t] *
				    sizeof *side.vals);
				stale += len[t];
				start[t] = side.n;
				side.n += len[t];
			}
			aside[t] = 1;
		}
		/* A tail step is above its curve's: anything else is not. */
		if (len[t] > 0 && side.steps[start[t] + len[t] - 1] >= step)
			continue;
		if (pool_reserve(&side, main.n + side.n, 1, cause) != 0)
			goto out;
		side.steps[side.n] = step;
		side.vals[side.n++] = (float)v;
		len[t]++;
		best = c->best[t];
		if (isfinite(v) && (dir == RUNG_MAX ? !(v <= best) :
		    !(v >= best)))
			c->best[t] = v;
		c->final[t] = v;
	}
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
		goto out;
	}

	/* Curves moved aside leave their old places (stale) behind. */
	w = main.n + side.n - stale;
	c->steps = xreallocarray(main.steps, w ? w : 1, sizeof *c->steps);
	c->vals = xreallocarray(main.vals, w ? w : 1, sizeof *c->vals);
	main.steps = NULL;
	main.vals = NULL;
	if (side.n > 0) {
		for (t = ntrials; t-- > 0; ) {
			if (len[t] == 0)
				continue;
			w -= len[t];
			if (aside[t]) {
				memcpy(c->steps + w, side.steps + start[t],
				    (size_t)len[t] * sizeof *c->steps);
				memcpy(c->vals + w, side.vals + start[t],
				    (size_t)len[t] * sizeof *c->vals);
			} else {
				memmove(c->steps + w, c->steps + start[t],
				    (size_t)len[t] * sizeof *c->steps);
				memmove(c->vals + w, c->vals + start[t],
				    (size_t)len[t] * sizeof *c->vals);
			}
		}
	}
	for (w = 0, t = 0; t < ntrials; t++) {
		c->off[t] = (uint32_t)w;
		w += len[t];
	}
	c->off[ntrials] = (uint32_t)w;
	ret = 0;
	if (secs_out == NULL)
		goto out;

	/* Seconds per step, aligned with the curve's points. */
	sqlite3_finalize(st);
	st = NULL;
	*secs_out = NULL;
	if (store_prepare(s, since < 0 ? TAIL_ALL(" AND ct.metric_id = 0") :
	    TAIL_CHANGED(" AND ct.metric_id = 0"), &st, cause) != 0) {
		ret = -1;
		goto out;
	}
	sqlite3_bind_int64(st, 1, study_id);
	if (since >= 0)
		sqlite3_bind_int64(st, 3, since);
	/* The tails first, a handful of trials' (the running ones). */
	tl.from = xcalloc(ntrials ? ntrials : 1, sizeof *tl.from);
	tl.len = xcalloc(ntrials ? ntrials : 1, sizeof *tl.len);
	tl.last = UINT32_MAX;
	t = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((t = trial_index(rowid, ntrials, t,
		    sqlite3_column_int64(st, 0))) == ntrials)
			continue;
		if (t != tl.last) {
			/* A trial's rows come together (TAIL_ALL). */
			if (tl.len[t] > 0)
				continue;
			tl.from[t] = tl.n;
			tl.last = t;
		}
		tl.len[t]++;
		if (tl.n + 1 > tl.cap) {
			size_t	 c2 = tl.cap;

			XGROW(tl.steps, c2, tl.n + 1);
			tl.vals = xreallocarray(tl.vals, c2, sizeof *tl.vals);
			tl.cap = c2;
		}
		tl.steps[tl.n] = sqlite3_column_int(st, 1);
		tl.vals[tl.n++] = tail_value(st, 2);
	}
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
		ret = -1;
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (store_prepare(s, since < 0 ? "SELECT x.trial_id, x.n,"
	    " x.first_step, x.steps, x.secs FROM step_seconds x JOIN trials t"
	    " ON t.id = x.trial_id WHERE t.study_id = ?1" :
	    CHANGED("x.trial_id, x.n, x.first_step, x.steps, x.secs",
	    "step_seconds", "x", ""), &st, cause) != 0) {
		ret = -1;
		goto out;
	}
	sqlite3_bind_int64(st, 1, study_id);
	if (since >= 0)
		sqlite3_bind_int64(st, 3, since);
	t = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t	 tid = sqlite3_column_int64(st, 0);
		uint32_t j = 0, k, all;
		int32_t	 step;

		if ((t = trial_index(rowid, ntrials, t, tid)) == ntrials)
			continue;
		n = (uint32_t)sqlite3_column_int(st, 1);
		first = sqlite3_column_int(st, 2);
		steps = sqlite3_column_blob(st, 3);
		vals = sqlite3_column_blob(st, 4);
		if (sqlite3_column_bytes(st, 4) != (int)(8 * n) ||
		    (steps != NULL && sqlite3_column_bytes(st, 3) !=
		    (int)(4 * n)))
			continue;
		if (*secs_out == NULL) {
			*secs_out = xreallocarray(NULL,
			    c->off[ntrials] ? c->off[ntrials] : 1,
			    sizeof **secs_out);
			for (k = 0; k < c->off[ntrials]; k++)
				(*secs_out)[k] = NAN;
		}
		/* Its tail's points after the blob's. */
		ta = tl.from[t];
		all = n + tl.len[t];
#define SECS_STEP(j) ((j) >= n ? tl.steps[ta + (j) - n] : steps != NULL ? \
	rung_unpack_i32(steps, (j)) : first + (int32_t)(j))
		/* Both lists are sorted by step: walk them together. */
		for (k = c->off[t]; k < c->off[t + 1]; k++) {
			while (j < all) {
				step = SECS_STEP(j);
				if (step >= c->steps[k])
					break;
				j++;
			}
			if (j < all && SECS_STEP(j) == c->steps[k])
				(*secs_out)[k] = (float)(j >= n ?
				    tl.vals[ta + j - n] :
				    rung_unpack_f64(vals, j));
		}
#undef SECS_STEP
	}
out:
	sqlite3_finalize(st);
	secs_tail_release(&tl);
	store_read_end(s, began);
	free(len);
	free(start);
	free(aside);
	free(main.steps);
	free(main.vals);
	free(side.steps);
	free(side.vals);
	if (ret != 0)
		rung_curves_release(c);
	return ret;
}

/*
 * A study read light: the curves' summaries (schema 10) from their index,
 * a handful of bytes a trial where the curves are a kilobyte, and the
 * tails of running trials added on top, as load_curves adds their points;
 * then the points of the trials that want marks, a lookup each, in the
 * same read transaction, so that they agree with the summaries.
 */
struct light_want {
	void		(*fn)(const struct rung_study *, uint8_t *, void *);
	void		*arg;
	uint32_t	 params;	/* the first trials with parameters */
};

static int
fill_curve(struct rung_store *s, sqlite3_stmt *cq, sqlite3_stmt *tq,
    struct rung_curves *c, uint32_t t, int64_t tid, char **cause)
{
	uint32_t	 o = c->off[t], len = c->off[t + 1] - o, n, i, k = 0;
	const void	*steps, *vals;
	int32_t		 first, step;
	int		 rc;

	sqlite3_bind_int64(cq, 1, tid);
	if ((rc = sqlite3_step(cq)) == SQLITE_ROW) {
		n = (uint32_t)sqlite3_column_int(cq, 0);
		first = sqlite3_column_int(cq, 1);
		steps = sqlite3_column_blob(cq, 2);
		vals = sqlite3_column_blob(cq, 3);
		if (curve_damaged(s, cq, 2, n, tid, cause)) {
			sqlite3_reset(cq);
			return -1;
		}
		for (i = 0; i < n && k < len; i++, k++) {
			c->steps[o + k] = steps != NULL ?
			    rung_unpack_i32(steps, i) : first + (int32_t)i;
			c->vals[o + k] = (float)rung_unpack_f64(vals, i);
		}
	} else if (rc != SQLITE_DONE) {
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
		sqlite3_reset(cq);
		return -1;
	}
	sqlite3_reset(cq);
	sqlite3_bind_int64(tq, 1, tid);
	while ((rc = sqlite3_step(tq)) == SQLITE_ROW && k < len) {
		step = sqlite3_column_int(tq, 0);
		/* A tail step is above its curve's, as load_curves takes it. */
		if (k > 0 && c->steps[o + k - 1] >= step)
			continue;
		c->steps[o + k] = step;
		c->vals[o + k++] = (float)tail_value(tq, 1);
	}
	sqlite3_reset(tq);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	/* Summaries and points read in one transaction agree; else NaN. */
	for (; k < len; k++) {
		c->steps[o + k] = c->last[t];
		c->vals[o + k] = NAN;
	}
	return 0;
}

static int
load_summary(struct rung_store *s, struct rung_study *study,
    const char *metric, enum rung_direction dir, struct light_want *lw,
    char **cause)
{
	struct rung_curves *c = &study->curve;
	sqlite3_stmt	*st = NULL, *tq = NULL;
	uint32_t	 ntrials = study->ntrials, t, *len = NULL;
	const int64_t	*rowid = study->trial_rowid;
	double		*lo = NULL, *hi = NULL, v;
	int64_t		 mid = 0;
	uint64_t	 w;
	uint8_t		*mark = NULL;
	int		 rc, ret = -1, began = 0;

	if (curves_init(s, study->id, metric, &dir, ntrials, c, &len,
	    cause) != 0)
		return -1;
	c->last = xcalloc(ntrials ? ntrials : 1, sizeof *c->last);
	lo = xreallocarray(NULL, ntrials ? ntrials : 1, sizeof *lo);
	hi = xreallocarray(NULL, ntrials ? ntrials : 1, sizeof *hi);
	for (t = 0; t < ntrials; t++)
		c->final[t] = lo[t] = hi[t] = NAN;
	if (store_read_begin(s, &began, cause) != 0)
		goto out;
	if (store_prepare(s, "SELECT id FROM metrics WHERE study_id = ?1 AND"
	    " name = ?2", &st, cause) != 0)
		goto out;
	sqlite3_bind_int64(st, 1, study->id);
	sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		mid = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	/* The covering index: the curves' records are never read. */
	if (store_prepare(s, "SELECT trial_id, n, last_step, lo, hi, final"
	    " FROM curves INDEXED BY curves_summary WHERE metric_id = ?",
	    &st, cause) != 0)
		goto out;
	sqlite3_bind_int64(st, 1, mid);
	t = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((t = trial_index(rowid, ntrials, t,
		    sqlite3_column_int64(st, 0))) == ntrials)
			continue;
		len[t] = (uint32_t)sqlite3_column_int(st, 1);
		c->last[t] = sqlite3_column_int(st, 2);
		lo[t] = tail_value(st, 3);
		hi[t] = tail_value(st, 4);
		c->final[t] = tail_value(st, 5);
	}
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;

	/* The running trials' tails on top, as load_curves reads them. */
	if (store_prepare(s, TAIL_ALL(" AND ct.metric_id = ?2"), &st,
	    cause) != 0)
		goto out;
	sqlite3_bind_int64(st, 1, study->id);
	sqlite3_bind_int64(st, 2, mid);
	t = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int32_t	 step = sqlite3_column_int(st, 1);

		if ((t = trial_index(rowid, ntrials, t,
		    sqlite3_column_int64(st, 0))) == ntrials)
			continue;
		if (len[t] > 0 && c->last[t] >= step)
			continue;
		v = tail_value(st, 2);
		len[t]++;
		c->last[t] = step;
		c->final[t] = v;
		if (isfinite(v)) {
			if (!(v >= lo[t]))
				lo[t] = v;
			if (!(v <= hi[t]))
				hi[t] = v;
		}
	}
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	for (w = 0, t = 0; t < ntrials; t++) {
		c->best[t] = dir == RUNG_MAX ? hi[t] : lo[t];
		c->off[t] = (uint32_t)w;
		w += len[t];
		if (w > UINT32_MAX) {
			xasprintf(cause, "study has more than %u points, more "
			    "than rung holds in memory", UINT32_MAX);
			goto out;
		}
	}
	c->off[ntrials] = (uint32_t)w;
	/* Never written but for the trials asked for: pages never touched. */
	c->steps = xreallocarray(NULL, w ? w : 1, sizeof *c->steps);
	c->vals = xreallocarray(NULL, w ? w : 1, sizeof *c->vals);
	/* What the caller's marks may go by; load() sets them again. */
	study->direction = dir;
	study->max_step = 0;
	for (t = 0; t < ntrials; t++) {
		if (len[t] > 0 && c->last[t] > study->max_step)
			study->max_step = c->last[t];
	}

	mark = xcalloc(ntrials ? ntrials : 1, 1);
	if (lw->fn != NULL)
		lw->fn(study, mark, lw->arg);
	if (store_prepare(s, "SELECT n, first_step, steps, vals FROM curves"
	    " WHERE trial_id = ?1 AND metric_id = ?2", &st, cause) != 0 ||
	    store_prepare(s, "SELECT step, value FROM curve_tail WHERE"
	    " trial_id = ?1 AND metric_id = ?2 ORDER BY step", &tq,
	    cause) != 0)
		goto out;
	sqlite3_bind_int64(st, 2, mid);
	sqlite3_bind_int64(tq, 2, mid);
	for (t = 0; t < ntrials; t++) {
		if (mark[t] && len[t] > 0 && fill_curve(s, st, tq, c, t,
		    rowid[t], cause) != 0)
			goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(tq);
	store_read_end(s, began);
	free(len);
	free(lo);
	free(hi);
	free(mark);
	if (ret != 0)
		rung_curves_release(c);
	return ret;
}

/*
 * The study's parameters: of its trials whose rev is above since (-1:
 * every trial), or of its first upto trials alone (below ntrials: a study
 * read light), the others' unset.
 */
static int
load_params(struct rung_store *s, struct rung_study *study, int64_t since,
    uint32_t upto, char **cause)
{
	sqlite3_stmt	*st = NULL;
	struct rung_param *p;
	uint32_t	 i, t, l;
	int64_t		*pid = NULL, tid;
	int		 rc, ret = -1;
	const char	*txt;

	if (store_prepare(s, "SELECT id, name, type, log FROM params"
	    " WHERE study_id = ? ORDER BY id", &st, cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, study->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		study->params = xreallocarray(study->params,
		    study->nparams + 1, sizeof *study->params);
		pid = xreallocarray(pid, study->nparams + 1, sizeof *pid);
		p = &study->params[study->nparams];
		memset(p, 0, sizeof *p);
		pid[study->nparams] = sqlite3_column_int64(st, 0);
		p->name = store_col_text(st, 1);
		txt = (const char *)sqlite3_column_text(st, 2);
		p->type = strcmp(txt, "int") == 0 ? RUNG_PINT :
		    strcmp(txt, "categorical") == 0 ? RUNG_PCAT : RUNG_PREAL;
		p->log = sqlite3_column_int(st, 3);
		if (p->type == RUNG_PCAT) {
			p->cat = xreallocarray(NULL, study->ntrials ?
			    study->ntrials : 1, sizeof *p->cat);
			for (t = 0; t < study->ntrials; t++)
				p->cat[t] = UINT32_MAX;
		} else {
			p->num = xreallocarray(NULL, study->ntrials ?
			    study->ntrials : 1, sizeof *p->num);
			for (t = 0; t < study->ntrials; t++)
				p->num[t] = NAN;
		}
		study->nparams++;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (study->nparams == 0)
		return 0;

	/*
	 * No ORDER BY, as for the curves: the rows come in the trials_rev
	 * index's order, and the levels are numbered in the trials' order
	 * afterwards (first_seen_levels).
	 */
	if (upto < study->ntrials) {
		/*
		 * A range of the key: the trials' rows in row order, another
		 * study's between them passed over below.
		 */
		if (upto == 0)
			goto levels;
		if (store_prepare(s, "SELECT trial_id, param_id, value FROM"
		    " trial_params WHERE trial_id BETWEEN ?1 AND ?2", &st,
		    cause) != 0)
			goto out;
		sqlite3_bind_int64(st, 1, study->trial_rowid[0]);
		sqlite3_bind_int64(st, 2, study->trial_rowid[upto - 1]);
	} else if (store_prepare(s, since < 0 ? "SELECT tp.trial_id,"
	    " tp.param_id, tp.value FROM trial_params tp JOIN trials t ON"
	    " t.id = tp.trial_id WHERE t.study_id = ?1" :
	    CHANGED("tp.trial_id, tp.param_id, tp.value", "trial_params",
	    "tp", ""), &st, cause) != 0)
		goto out;
	if (upto >= study->ntrials)
		sqlite3_bind_int64(st, 1, study->id);
	if (since >= 0)
		sqlite3_bind_int64(st, 3, since);
	t = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tid = sqlite3_column_int64(st, 0);
		if ((t = trial_index(study->trial_rowid, study->ntrials, t,
		    tid)) == study->ntrials)
			continue;
		for (i = 0; i < study->nparams; i++) {
			if (pid[i] == sqlite3_column_int64(st, 1))
				break;
		}
		if (i == study->nparams ||
		    sqlite3_column_type(st, 2) == SQLITE_NULL)
			continue;
		p = &study->params[i];
		if (p->type != RUNG_PCAT) {
			p->num[t] = sqlite3_column_double(st, 2);
			continue;
		}
		txt = (const char *)sqlite3_column_text(st, 2);
		for (l = 0; l < p->nlevels; l++) {
			if (strcmp(p->levels[l], txt) == 0)
				break;
		}
		if (l == p->nlevels) {
			p->levels = xreallocarray(p->levels, p->nlevels + 1,
			    sizeof *p->levels);
			p->levels[p->nlevels++] = xstrdup(txt);
		}
		p->cat[t] = l;
	}
levels:
	for (i = 0; i < study->nparams; i++) {
		first_seen_levels(&study->params[i], study->ntrials);
		rung_param_order_levels(&study->params[i], study->ntrials);
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	free(pid);
	return ret;
}

int
rung_store_study_rev(struct rung_store *s, int64_t study, int64_t *rev,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (store_prepare(s, "SELECT rev FROM studies WHERE id = ?", &st,
	    cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, study);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*rev = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

struct rowid_ix {
	int64_t		 rowid;
	uint32_t	 ix;
};

static int
cmp_rowid(const void *a, const void *b)
{
	int64_t	 x = ((const struct rowid_ix *)a)->rowid;
	int64_t	 y = ((const struct rowid_ix *)b)->rowid;

	return x < y ? -1 : x > y;
}

/* The trials in row id order, if they are not. */
static void
sort_trials(struct rung_study *study)
{
	struct rowid_ix	*ix;
	uint32_t	 n = study->ntrials, t;
	char		**ids;
	uint8_t		*status;

	for (t = 1; t < n; t++) {
		if (study->trial_rowid[t - 1] > study->trial_rowid[t])
			break;
	}
	if (t >= n)
		return;
	ix = xreallocarray(NULL, n, sizeof *ix);
	for (t = 0; t < n; t++) {
		ix[t].rowid = study->trial_rowid[t];
		ix[t].ix = t;
	}
	qsort(ix, n, sizeof *ix, cmp_rowid);
	ids = xreallocarray(NULL, n, sizeof *ids);
	status = xreallocarray(NULL, n, 1);
	for (t = 0; t < n; t++) {
		study->trial_rowid[t] = ix[t].rowid;
		ids[t] = study->ids[ix[t].ix];
		status[t] = study->status[ix[t].ix];
	}
	free(study->ids);
	free(study->status);
	study->ids = ids;
	study->status = status;
	free(ix);
}

/*
 * A big study's parameters are read on a second connection, in a thread,
 * while this one reads the curves: on two cores the load then takes about
 * what its curves take (a million trials: a second saved of three). The
 * two fill different fields of the study and only read its trials. A write
 * committed between the two reads is no worse than one committed between
 * two statements on one connection: the trial's rev, above the study's rev
 * read first, has it read again next time.
 */
#define PARAMS_APART	20000	/* trials, and more */

struct params_job {
	pthread_t	 thread;
	struct rung_store *s;
	struct rung_study *study;
	int64_t		 since;
	char		*cause;
	int		 rc;
};

static void *
params_main(void *arg)
{
	struct params_job *j = arg;

	j->rc = load_params(j->s, j->study, j->since, UINT32_MAX, &j->cause);
	return NULL;
}

/* 0 with the thread started, -1 where it cannot be (then read in line). */
static int
params_apart(struct rung_store *s, struct rung_study *study, int64_t since,
    struct params_job *j)
{
	struct stat	 sb;
	char		*cause = NULL;

	/* Only a file: another connection to ":memory:" is another database. */
	if (stat(s->path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return -1;
	if (rung_store_open(s->path, RUNG_STORE_READONLY |
	    RUNG_STORE_MUSTEXIST, &j->s, &cause) != 0) {
		free(cause);
		return -1;
	}
	j->study = study;
	j->since = since;
	if (pthread_create(&j->thread, NULL, params_main, j) != 0) {
		rung_store_close(j->s);
		j->s = NULL;
		return -1;
	}
	return 0;
}

/*
 * The study's trials, or those of held's study whose rev is above
 * held->rev. The rev is read first: a write committed while the rest is
 * read is then read again next time rather than missed.
 */
static int
load(struct rung_store *s, const char *name, const char *metric,
    enum rung_direction dir, const struct rung_study *held,
    struct light_want *lw, struct rung_study **out, char **cause)
{
	struct rung_study_info info = { 0 };
	struct rung_study *study;
	sqlite3_stmt	*st = NULL;
	size_t		 cap = 0;
	int64_t		 since = held != NULL ? held->rev : -1;
	struct params_job pj = { 0 };
	int		 rc, threaded = 0;

	study = xcalloc(1, sizeof *study);
	if (held != NULL) {
		/* Not rung_store_study, whose counts read every curve. */
		study->id = held->id;
		study->name = xstrdup(held->name);
		study->source = held->source != NULL ?
		    xstrdup(held->source) : NULL;
		study->direction = held->direction;
	} else {
		if ((rc = study_row(s, STUDY_HEAD_SQL " WHERE s.name = ?",
		    name, &info, cause)) != 0) {
			if (rc == 1)
				rung_store_no_study(s, name, cause);
			free(study);
			return -1;
		}
		study->id = info.id;
		study->name = info.name;
		study->source = info.source;
		study->direction = info.direction;
		info.name = info.source = NULL;
	}
	if ((rc = rung_store_study_rev(s, study->id, &study->rev,
	    cause)) != 0) {
		if (rc == 1)
			rung_store_no_study(s, name, cause);
		goto fail;
	}

	/*
	 * No ORDER BY: the rows come in the trials_rev index's order, which
	 * is the trials' where they share a rev (an import), and are put in
	 * row id order below when not; a sort in SQLite costs ten times the
	 * reading.
	 */
	if (store_prepare(s, since < 0 ? "SELECT id, ext_id, status FROM"
	    " trials WHERE study_id = ?1" : "SELECT id, ext_id, status FROM"
	    " trials WHERE study_id = ?1 AND rev > ?2", &st, cause) != 0)
		goto fail;
	sqlite3_bind_int64(st, 1, study->id);
	if (since >= 0)
		sqlite3_bind_int64(st, 2, since);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (study->ntrials + 1 > cap) {
			size_t	 c2 = cap;

			XGROW(study->ids, c2, study->ntrials + 1);
			study->trial_rowid = xreallocarray(study->trial_rowid,
			    c2, sizeof *study->trial_rowid);
			study->status = xreallocarray(study->status, c2, 1);
			cap = c2;
		}
		study->trial_rowid[study->ntrials] = sqlite3_column_int64(st, 0);
		study->ids[study->ntrials] = store_col_text(st, 1);
		rc = rung_status_parse((const char *)sqlite3_column_text(st, 2));
		study->status[study->ntrials] = rc < 0 ? RUNG_COMPLETE :
		    (uint8_t)rc;
		study->ntrials++;
	}
	sqlite3_finalize(st);
	st = NULL;
	sort_trials(study);

	if (metric == NULL)
		metric = info.metric;
	if (metric == NULL) {
		xasprintf(cause, "%s: study '%s' has no metric", s->path,
		    study->name);
		goto fail;
	}
	pj.rc = -1;
	if (lw == NULL && study->ntrials >= PARAMS_APART && params_apart(s,
	    study, since,
	    &pj) == 0)
		threaded = 1;
	if (lw != NULL)
		rc = load_summary(s, study, metric, dir, lw, cause);
	else
		rc = load_curves(s, study->id, metric, dir, since,
		    study->ntrials, study->trial_rowid, &study->curve,
		    &study->secs, cause);
	if (threaded) {
		pthread_join(pj.thread, NULL);
		rung_store_close(pj.s);
	}
	if (rc != 0) {
		free(pj.cause);
		goto fail;
	}
	/* What the study's best means is what the loaded metric's does. */
	study->direction = study->curve.direction;
	if (threaded && pj.rc != 0) {
		*cause = pj.cause;
		goto fail;
	}
	if (!threaded && load_params(s, study, since, lw != NULL ?
	    lw->params : UINT32_MAX, cause) != 0)
		goto fail;
	study->max_step = 0;
	for (uint32_t t = 0; t < study->ntrials; t++) {
		int32_t	 last = rung_trial_last_step(study, t);

		if (rung_curve_len(study, t) > 0 && last > study->max_step)
			study->max_step = last;
	}
	rung_study_info_release(&info);
	*out = study;
	return 0;
fail:
	sqlite3_finalize(st);
	rung_study_info_release(&info);
	rung_study_free(study);
	return -1;
}

int
rung_store_load(struct rung_store *s, const char *name, const char *metric,
    enum rung_direction dir, struct rung_study **out, char **cause)
{
	return load(s, name, metric, dir, NULL, NULL, out, cause);
}

int
rung_store_load_light(struct rung_store *s, const char *name,
    const char *metric, enum rung_direction dir,
    uint32_t params, void (*want)(const struct rung_study *, uint8_t *,
    void *), void *arg, struct rung_study **out, char **cause)
{
	struct light_want lw = { want, arg, params };

	return load(s, name, metric, dir, NULL, &lw, out, cause);
}

int
rung_store_load_changed(struct rung_store *s, const struct rung_study *held,
    struct rung_study **out, uint32_t *ntrials, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (load(s, held->name, held->curve.name, held->curve.direction,
	    held, NULL, out, cause) != 0)
		return -1;
	if (store_prepare(s, "SELECT count(*) FROM trials WHERE study_id = ?",
	    &st, cause) != 0)
		goto fail;
	sqlite3_bind_int64(st, 1, held->id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*ntrials = (uint32_t)sqlite3_column_int64(st, 0);
	else
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
fail:
	rung_study_free(*out);
	*out = NULL;
	return -1;
}

int
rung_store_load_curves(struct rung_store *s, const struct rung_study *study,
    const char *metric, enum rung_direction dir, struct rung_curves *c,
    char **cause)
{
	return load_curves(s, study->id, metric, dir, -1, study->ntrials,
	    study->trial_rowid, c, NULL, cause);
}
