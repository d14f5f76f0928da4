/*
 * Finishing a batch: its rows put in order and merged, candidate columns
 * constant within every trial made parameters, times turned into seconds
 * per step, the statuses told, the metrics' directions and the metric of
 * interest decided.
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "batch-int.h"

/* Sorting rows of one trial by step, stably. */
struct srow {
	int32_t		 step;
	uint32_t	 row;
};

static int
cmp_srow(const void *va, const void *vb)
{
	const struct srow *a = va, *b = vb;

	if (a->step != b->step)
		return a->step < b->step ? -1 : 1;
	return a->row < b->row ? -1 : (a->row > b->row);
}

/*
 * Rows already grouped by trial in order of appearance, steps rising within
 * each: the usual file. Then nothing moves and no column is copied, which
 * halves the peak memory of a large import.
 */
static int
rows_in_order(struct rung_batch *b)
{
	uint32_t	 r, t;

	for (r = 1; r < b->nrows; r++) {
		if (b->rtrial[r] < b->rtrial[r - 1] ||
		    (b->rtrial[r] == b->rtrial[r - 1] &&
		    b->rstep[r] <= b->rstep[r - 1]) ||
		    b->rtrial[r] > b->rtrial[r - 1] + 1)
			return 0;
	}
	b->toff = xcalloc((size_t)b->ntrials + 1, sizeof *b->toff);
	t = 0;
	for (r = 0; r < b->nrows; r++) {
		while (t <= b->rtrial[r])
			b->toff[t++] = r;
	}
	while (t <= b->ntrials)
		b->toff[t++] = b->nrows;
	free(b->rtrial);
	b->rtrial = NULL;
	return 1;
}

/*
 * Group rows by trial (counting sort: stable, linear) and sort each trial's
 * rows by step where they are not already in order. Rows of the same step
 * merged as they came (rung_batch_row): each step is one row here.
 */
static void
merge_rows(struct rung_batch *b)
{
	uint32_t	*count, *order, t, r, i, c, nu, start, end;
	int32_t		*ustep;
	double		**uval, *utime = NULL;
	struct srow	*tmp = NULL;
	size_t		 tmpcap = 0;
	int		 sorted;

	free(b->rhash);
	b->rhash = NULL;
	batch_spans_clear(b);
	for (c = 0; c < b->ncols; c++) {
		free(b->cols[c].stale);
		b->cols[c].stale = NULL;
	}
	if (rows_in_order(b))
		return;
	count = xcalloc((size_t)b->ntrials + 1, sizeof *count);
	for (r = 0; r < b->nrows; r++)
		count[b->rtrial[r] + 1]++;
	for (t = 0; t < b->ntrials; t++)
		count[t + 1] += count[t];
	order = xreallocarray(NULL, b->nrows ? b->nrows : 1, sizeof *order);
	{
		uint32_t *pos = xreallocarray(NULL, b->ntrials + 1,
		    sizeof *pos);

		memcpy(pos, count, (b->ntrials + 1) * sizeof *pos);
		for (r = 0; r < b->nrows; r++)
			order[pos[b->rtrial[r]]++] = r;
		free(pos);
	}

	ustep = xreallocarray(NULL, b->nrows ? b->nrows : 1, sizeof *ustep);
	uval = xcalloc(b->ncols ? b->ncols : 1, sizeof *uval);
	for (c = 0; c < b->ncols; c++)
		uval[c] = xreallocarray(NULL, b->nrows ? b->nrows : 1,
		    sizeof **uval);
	if (b->rtime != NULL)
		utime = xreallocarray(NULL, b->nrows ? b->nrows : 1,
		    sizeof *utime);
	b->toff = xcalloc((size_t)b->ntrials + 1, sizeof *b->toff);

	nu = 0;
	for (t = 0; t < b->ntrials; t++) {
		start = count[t];
		end = count[t + 1];
		b->toff[t] = nu;
		sorted = 1;
		for (i = start + 1; i < end; i++) {
			if (b->rstep[order[i]] < b->rstep[order[i - 1]]) {
				sorted = 0;
				break;
			}
		}
		if (!sorted) {
			XGROW(tmp, tmpcap, end - start);
			for (i = start; i < end; i++) {
				tmp[i - start].step = b->rstep[order[i]];
				tmp[i - start].row = order[i];
			}
			qsort(tmp, end - start, sizeof *tmp, cmp_srow);
			for (i = start; i < end; i++)
				order[i] = tmp[i - start].row;
		}
		for (i = start; i < end; i++) {
			r = order[i];
			ustep[nu] = b->rstep[r];
			for (c = 0; c < b->ncols; c++)
				uval[c][nu] = b->cols[c].v[r];
			if (utime != NULL)
				utime[nu] = b->rtime[r];
			nu++;
		}
	}
	b->toff[b->ntrials] = nu;

	free(tmp);
	free(order);
	free(count);
	free(b->rstep);
	b->rstep = ustep;
	for (c = 0; c < b->ncols; c++) {
		free(b->cols[c].v);
		b->cols[c].v = uval[c];
	}
	free(uval);
	free(b->rtime);
	b->rtime = utime;
	free(b->rtrial);
	b->rtrial = NULL;
	b->nrows = nu;
}

static int
strictly_increasing(const double *v, uint32_t n)
{
	uint32_t	 i;
	double		 prev = -INFINITY;

	for (i = 0; i < n; i++) {
		if (is_missing(v[i]))
			continue;
		if (!(v[i] > prev))
			return 0;
		prev = v[i];
	}
	return 1;
}

/*
 * What finishing learns from the rows, read a trial at a time (from the
 * spill file, when the batch spilled): which candidates vary within a
 * trial, how many points each column has, whether times always grow, and
 * each trial's last step.
 */
struct scan {
	uint64_t	*npts;		/* per column */
	uint32_t	 longest;	/* rows of the longest trial */
	int		 increasing;	/* times grow within every trial */
	double		 mintime;
	/* Trials with rows; the last step any reached, and how many did. */
	uint32_t	 with, at_last;
	int64_t		 last;
};

static void
scan_trial(struct rung_batch *b, uint32_t t, uint32_t base, uint32_t n,
    struct scan *sc)
{
	struct bcolumn	*c;
	const double	*v;
	uint32_t	 ci, r;
	uint64_t	 k;
	double		 first = 0;
	int		 have;

	for (ci = 0; ci < b->ncols; ci++) {
		c = &b->cols[ci];
		v = c->v + base;
		if (c->fval != NULL) {
			have = 0;
			for (r = 0; r < n; r++) {
				if (is_missing(v[r]))
					continue;
				if (!have) {
					first = v[r];
					have = 1;
				} else if (!same_value(first, v[r])) {
					have = 2;
					break;
				}
			}
			if (have == 2 && !c->text) {
				/* A metric: no values to keep. */
				c->varies = 1;
				rung_batch_mem_free(b, c->fval);
				c->fval = NULL;
			} else {
				/* Numbers before text, which differ. */
				if (have == 2)
					c->varies_text = 1;
				if (!have)
					first = missing();
				memcpy(&c->fval[t], &first, sizeof first);
			}
		}
		for (k = 0, r = 0; r < n; r++)
			k += !is_missing(v[r]);
		sc->npts[ci] += k;
	}
	if (b->any_time) {
		if (n > sc->longest)
			sc->longest = n;
		if (sc->increasing && !strictly_increasing(b->rtime + base, n))
			sc->increasing = 0;
		for (r = base; r < base + n; r++) {
			if (!is_missing(b->rtime[r]) && b->rtime[r] < sc->mintime)
				sc->mintime = b->rtime[r];
		}
	}
	if (n > 0) {
		sc->with++;
		if (b->rstep[base + n - 1] > sc->last) {
			sc->last = b->rstep[base + n - 1];
			sc->at_last = 0;
		}
		if (b->rstep[base + n - 1] == sc->last)
			sc->at_last++;
	}
}

static void
scan_rows(struct rung_batch *b, struct scan *sc)
{
	uint32_t	 t, n, c;

	sc->npts = xcalloc(b->ncols ? b->ncols : 1, sizeof *sc->npts);
	sc->longest = 0;
	sc->increasing = 1;
	sc->mintime = INFINITY;
	sc->with = sc->at_last = 0;
	sc->last = INT64_MIN;
	/*
	 * A candidate's value of each trial, until it varies (one that
	 * varied as read may yet be constant once merged). A column that
	 * saw text has numbers in its rows only from before.
	 */
	for (c = 0; c < b->ncols; c++) {
		if (b->cols[c].candidate && !b->cols[c].varies_text)
			b->cols[c].fval = rung_batch_mem_grow(b, NULL,
			    (b->ntrials ? b->ntrials : 1) *
			    sizeof *b->cols[c].fval);
	}
	for (t = 0; t < b->ntrials; t++) {
		batch_mem_tick(b);
		if (b->spill != NULL) {
			n = batch_spill_load(b, t, 1);
			scan_trial(b, t, 0, n, sc);
		} else
			scan_trial(b, t, b->toff[t], b->toff[t + 1] -
			    b->toff[t], sc);
	}
	if (b->spill != NULL)
		batch_spill_reset(b);
}

/* A trial's value of a candidate, from its rows (finish's scan). */
static int
fval_get(const struct bcolumn *c, uint32_t t, double *d)
{
	memcpy(d, &c->fval[t], sizeof *d);
	return !is_missing(*d);
}

struct odd {
	uint32_t	 trial;
	uint32_t	 i;	/* order read */
};

static int
cmp_odd(const void *va, const void *vb)
{
	const struct odd *a = va, *b = vb;

	if (a->trial != b->trial)
		return a->trial < b->trial ? -1 : 1;
	return a->i < b->i ? -1 : (a->i > b->i);
}

/* The column's odd tokens by trial, the first read of each first. */
static struct odd *
odd_sorted(const struct bcolumn *c)
{
	struct odd	*o;
	size_t		 i;

	o = xreallocarray(NULL, c->nodd ? c->nodd : 1, sizeof *o);
	for (i = 0; i < c->nodd; i++) {
		o[i].trial = c->oddtrial[i];
		o[i].i = (uint32_t)i;
	}
	qsort(o, c->nodd, sizeof *o, cmp_odd);
	return o;
}

/* Trial t's odd token, the sorted ones walked at *k in trial order. */
static const char *
odd_at(const struct bcolumn *c, const struct odd *o, size_t *k, uint32_t t)
{
	while (*k < c->nodd && o[*k].trial < t)
		(*k)++;
	if (*k < c->nodd && o[*k].trial == t)
		return c->ftext + c->oddoff[o[*k].i];
	return NULL;
}

/*
 * Numeric candidate c made parameter p (new unless fresh is 0) from the
 * values of its rows: ints where every token is written as one and every
 * value is whole (an int of more than 15 digits from its token, exactly),
 * else reals. A new parameter takes the column's values as they lie.
 */
static void
param_from_values(struct rung_batch *b, uint32_t pi, struct bcolumn *c,
    int fresh)
{
	struct bparam	*p = &b->params[pi];
	struct odd	*o = NULL;
	const char	*tok;
	uint32_t	 t;
	size_t		 k = 0;
	double		 d;
	int64_t		 iv;
	int		 real = c->nonint;

	for (t = 0; !real && t < b->ntrials; t++) {
		batch_mem_tick(b);
		if (fval_get(c, t, &d) && !(d == trunc(d) && fabs(d) < 0x1p63))
			real = 1;
	}
	/* Odd tokens matter to ints only: 16 digits and more, exactly. */
	if (!real)
		o = odd_sorted(c);
	if (fresh) {
		p->cap = b->ntrials ? b->ntrials : 1;
		p->kind = rung_batch_mem_grow(b, NULL,
		    p->cap * sizeof *p->kind);
	}
	for (t = 0; t < b->ntrials; t++) {
		batch_mem_tick(b);
		if (!fval_get(c, t, &d))
			continue;
		/* Whole and within range, every one, when not real. */
		iv = real ? 0 : (int64_t)d;
		if (!real && (tok = odd_at(c, o, &k, t)) != NULL)
			rung_parse_int64(tok, strlen(tok), &iv);
		if (!fresh) {
			if (real)
				rung_batch_param_real(b, t, pi, d);
			else
				rung_batch_param_int(b, t, pi, iv);
			continue;
		}
		p->kind[t] = real ? PV_REAL : PV_INT;
		if (!real)
			memcpy(&c->fval[t], &iv, sizeof iv);
	}
	if (fresh) {
		p->val = c->fval;
		c->fval = NULL;
	}
	free(o);
}

/*
 * The first token of trial t of candidate c, which saw text: for a number
 * read before the text, its token (the odd one kept, else its shortest
 * decimals, in buf); else the one kept from then on, or NULL. With
 * changes, 1 when the trial has both and they differ.
 */
static const char *
text_first(const struct bcolumn *c, const struct odd *o, size_t *k,
    uint32_t t, char *buf, size_t size, int *changes)
{
	const char	*tok, *kept = batch_first(c, t);
	double		 d;

	if (c->fval == NULL || !fval_get(c, t, &d))
		return kept;
	if ((tok = odd_at(c, o, k, t)) == NULL) {
		batch_shortest(d, buf, size);
		tok = buf;
	}
	if (changes != NULL && kept != NULL && strcmp(tok, kept) != 0)
		*changes = 1;
	return tok;
}

/*
 * Candidate c, which saw text, made a parameter of each trial's first
 * token; unless a trial's text changes (a number, then other text), which
 * varies_text tells and a warning says.
 */
static void
param_from_tokens(struct rung_batch *b, struct bcolumn *c)
{
	struct odd	*o = odd_sorted(c);
	char		 buf[512];
	const char	*tok;
	uint32_t	 t, p;
	size_t		 k = 0;

	for (t = 0; !c->varies_text && t < b->ntrials; t++) {
		batch_mem_tick(b);
		text_first(c, o, &k, t, buf, sizeof buf, &c->varies_text);
	}
	if (c->varies_text) {
		rung_warn("column '%s' holds text that changes within a "
		    "trial: left out", c->name);
		free(o);
		return;
	}
	p = rung_batch_param(b, c->name);
	for (k = 0, t = 0; t < b->ntrials; t++) {
		batch_mem_tick(b);
		if ((tok = text_first(c, o, &k, t, buf, sizeof buf,
		    NULL)) != NULL)
			rung_batch_param_token(b, t, p, tok, strlen(tok));
	}
	free(o);
}

/*
 * A candidate column constant within every trial becomes a parameter; what
 * it kept to make one is let go either way.
 */
static void
resolve_candidates(struct rung_batch *b)
{
	struct bcolumn	*c;
	uint32_t	 ci, p, np;
	size_t		 k;

	for (ci = 0; ci < b->ncols; ci++) {
		c = &b->cols[ci];
		if (!c->candidate)
			continue;
		for (k = 0; !c->text && k < b->nknown; k++) {
			if (strcmp(b->known[k], c->name) == 0)
				break;
		}
		if (!c->text && k < b->nknown)
			goto done;	/* a metric of the study */
		if (c->text) {
			c->dropped = 1;
			param_from_tokens(b, c);
		} else {
			if (c->varies)
				goto done;
			c->dropped = 1;
			np = b->nparams;
			p = rung_batch_param(b, c->name);
			param_from_values(b, p, c, p == np);
		}
done:
		batch_first_release(b, c);
		rung_batch_mem_free(b, c->fval);
		c->fval = NULL;
	}
}

static enum rung_time_kind
time_kind_from_name(const char *name)
{
	static const char *step[] = { "time_this_iter_s", "wall_times",
		"seconds", "secs", "duration", "epoch_time", "step_time",
		"time_per_step", "time_per_epoch", "iter_time" };
	static const char *cumul[] = { "time_total_s", "time_steps",
		"elapsed", "cumulative", "time_since_restore", "total_time" };
	static const char *absolute[] = { "timestamp", "wall time",
		"wall_time", "walltime", "datetime" };
	size_t	 i;

	if (name == NULL)
		return RUNG_TIME_AUTO;
	for (i = 0; i < sizeof step / sizeof step[0]; i++)
		if (rung_strieq(name, step[i]))
			return RUNG_TIME_STEP;
	for (i = 0; i < sizeof cumul / sizeof cumul[0]; i++)
		if (rung_strieq(name, cumul[i]))
			return RUNG_TIME_CUMULATIVE;
	for (i = 0; i < sizeof absolute / sizeof absolute[0]; i++)
		if (rung_strieq(name, absolute[i]))
			return RUNG_TIME_ABSOLUTE;
	/* Words that say it in names the lists lack (elapsed_seconds). */
	if (rung_strcasestr_has(name, "total") ||
	    rung_strcasestr_has(name, "elapsed") ||
	    rung_strcasestr_has(name, "cumul") ||
	    rung_strcasestr_has(name, "since"))
		return RUNG_TIME_CUMULATIVE;
	if (rung_strcasestr_has(name, "timestamp") ||
	    rung_strcasestr_has(name, "wall") ||
	    rung_strcasestr_has(name, "clock"))
		return RUNG_TIME_ABSOLUTE;
	if (rung_strcasestr_has(name, "per_") ||
	    rung_strcasestr_has(name, "this_"))
		return RUNG_TIME_STEP;
	/* epoch_seconds, time, duration: the values tell. */
	return RUNG_TIME_AUTO;
}

/* Trial rows base to base + n: their times as seconds a step. */
void
batch_trial_secs(struct rung_batch *b, uint32_t base, uint32_t n)
{
	uint32_t	 r;
	double		 prev = 0;
	int		 have = 0;

	for (r = base; r < base + n; r++) {
		if (is_missing(b->rtime[r])) {
			b->secs[r] = NAN;
			continue;
		}
		switch (b->tkind) {
		case RUNG_TIME_STEP:
		case RUNG_TIME_AUTO:
			b->secs[r] = b->rtime[r];
			break;
		case RUNG_TIME_CUMULATIVE:
			b->secs[r] = b->rtime[r] - (have ? prev : 0);
			break;
		case RUNG_TIME_ABSOLUTE:
			b->secs[r] = have ? b->rtime[r] - prev : NAN;
			break;
		}
		prev = b->rtime[r];
		have = 1;
	}
}

/*
 * Decide how the times count, and turn them into seconds per step (a
 * spilled batch turns each trial's as it reads it).
 */
static void
resolve_time(struct rung_batch *b, const struct scan *sc)
{
	enum rung_time_kind kind = b->time_kind;
	uint32_t	 t;
	int		 increasing = sc->increasing;
	const char	*why = "by its name", *what;

	if (!b->any_time)
		return;
	if (kind == RUNG_TIME_AUTO) {
		/*
		 * Cumulative clocks only move forward; seconds per step
		 * wobble. Decide for the whole import, never per trial.
		 * 2001-09-09 or later: no step lasts 31 years.
		 */
		if (increasing && sc->mintime >= 1e9) {
			kind = RUNG_TIME_ABSOLUTE;
			why = "its values are Unix times";
		} else
			kind = time_kind_from_name(b->time_name);
	}
	if (kind == RUNG_TIME_AUTO) {
		if (!increasing) {
			kind = RUNG_TIME_STEP;
			why = "its values do not always grow within a trial, "
			    "as a running total would";
		} else if (sc->longest < 3) {
			kind = RUNG_TIME_STEP;
			why = "too few steps to tell it from a running total";
		} else {
			kind = RUNG_TIME_CUMULATIVE;
			why = "its values always grow within each trial";
		}
	}
	/* What the name or the values decided is told: it can be wrong. */
	if (b->time_kind == RUNG_TIME_AUTO) {
		switch (kind) {
		case RUNG_TIME_CUMULATIVE:
			what = "seconds since the trial started";
			break;
		case RUNG_TIME_ABSOLUTE:
			what = "a clock, a step lasting from the one before";
			break;
		default:
			what = "seconds per step";
			break;
		}
		rung_info("time %s '%s': %s (%s; --time-kind step, cumulative "
		    "or absolute says otherwise)", b->nsources > 0 &&
		    strstr(b->sources[0].format, "csv") != NULL ? "column" :
		    "field", b->time_name != NULL ? b->time_name : "", what,
		    why);
	}
	b->tkind = kind;
	if (b->spill != NULL)
		return;
	b->secs = xreallocarray(NULL, b->nrows ? b->nrows : 1,
	    sizeof *b->secs);
	for (t = 0; t < b->ntrials; t++)
		batch_trial_secs(b, b->toff[t], b->toff[t + 1] - b->toff[t]);
}

/*
 * Without a status, every trial is listed complete. When trials end at
 * different steps some were probably stopped early (pruned, failed, or
 * still running): say so once, with how to tell.
 */
static void
status_notice(const struct rung_batch *b, const struct scan *sc)
{
	uint32_t	 early = sc->with - sc->at_last, with = sc->with;
	int64_t		 last = sc->last;
	const char	*fmt;

	if (b->status_given || early == 0)
		return;
	fmt = b->nsources > 0 ? b->sources[0].format : "";
	rung_info("%u of %u trials end before step %lld, the last one "
	    "reached, and are listed complete as no status was read; %s",
	    early, with, (long long)last, strstr(fmt, "csv") != NULL ? "name a column "
	    "of statuses (complete, pruned, failed, ...) with --status-col" :
	    strstr(fmt, "json") != NULL ? "name a field of statuses "
	    "(complete, pruned, failed, ...) with --status-field" :
	    "give each trial a status in the data");
}
static int
metric_rank(const char *name)
{
	static const char *best[] = { "val_loss", "valid_loss",
		"validation_loss", "valid.loss", "val_losses", "val/loss",
		"eval_loss", "test_loss" };
	size_t	 i;

	for (i = 0; i < sizeof best / sizeof best[0]; i++)
		if (rung_strieq(name, best[i]))
			return 0;
	if (rung_strcasestr_has(name, "val") &&
	    !rung_strcasestr_has(name, "interval"))
		return 1;
	return 2;
}

void
rung_batch_metric_direction(struct rung_batch *b, uint32_t col,
    enum rung_direction dir)
{
	b->cols[col].dir = dir;
	b->cols[col].how = RUNG_DIR_DECLARED;
}

/*
 * Every metric's direction: the metric of interest's as decided, another's
 * as its source declared it, else as a word of its name tells, else the
 * study's.
 */
static void
resolve_directions(struct rung_batch *b)
{
	struct bcolumn	*c;
	uint32_t	 k;

	for (k = 0; k < b->nmetrics; k++) {
		c = &b->cols[b->metric_idx[k]];
		if (k == b->interest) {
			c->dir = b->direction;
			c->how = b->interest_how;
			continue;
		}
		if (c->how == RUNG_DIR_DECLARED)
			continue;
		if (rung_direction_infer(c->name, &c->dir, &c->word))
			c->how = RUNG_DIR_NAME;
		else {
			c->dir = b->direction;
			c->how = RUNG_DIR_STUDY;
		}
	}
}

enum rung_direction
rung_batch_metric_dir(const struct rung_batch *b, uint32_t m,
    enum rung_dir_how *how, const char **word)
{
	const struct bcolumn *c = &b->cols[b->metric_idx[m]];

	if (how != NULL)
		*how = c->how;
	if (word != NULL)
		*word = c->word;
	return c->dir;
}

const char *
rung_dir_how_name(enum rung_dir_how how)
{
	switch (how) {
	case RUNG_DIR_TOLD:
		return "told";
	case RUNG_DIR_DECLARED:
		return "declared";
	case RUNG_DIR_NAME:
		return "name";
	case RUNG_DIR_STUDY:
		return "study";
	case RUNG_DIR_KEPT:
		return "kept";
	case RUNG_DIR_DEFAULT:
		return "default";
	}
	return "?";
}

void
rung_batch_interest(struct rung_batch *b, const char *metric,
    enum rung_direction dir)
{
	free(b->declared_metric);
	b->declared_metric = metric != NULL ? xstrdup(metric) : NULL;
	b->declared_dir = dir;
}

int
rung_batch_finish(struct rung_batch *b, const struct rung_import_opts *o,
    char **cause)
{
	struct rung_buf	 names = { 0 };
	struct scan	 sc;
	const char	*want, *name;
	uint32_t	 c, k;
	int		 found = -1, rank, bestrank = 99;

	if (b->finished)
		return 0;
	if (b->bad_name != NULL) {
		*cause = xstrdup(b->bad_name);
		return -1;
	}
	if (b->spill != NULL) {
		if (batch_spill_finish(b, cause) != 0)
			return -1;
	} else {
		merge_rows(b);
		b->any_time = b->rtime != NULL;
	}
	scan_rows(b, &sc);
	if (rung_batch_failed(b) != NULL) {
		*cause = xstrdup(rung_batch_failed(b));
		free(sc.npts);
		return -1;
	}
	resolve_candidates(b);
	resolve_time(b, &sc);
	batch_resolve_params(b);
	status_notice(b, &sc);
	b->finished = 1;

	b->metric_idx = xcalloc(b->ncols ? b->ncols : 1,
	    sizeof *b->metric_idx);
	for (c = 0; c < b->ncols; c++) {
		if (b->cols[c].dropped)
			continue;
		b->metric_idx[b->nmetrics++] = c;
		/* Repeats of what became a parameter are no duplicates. */
		b->ndup += b->cols[c].ndup;
		b->npoints += sc.npts[c];
	}
	free(sc.npts);
	if (b->ntrials == 0) {
		xasprintf(cause, "no trial found");
		return -1;
	}
	if (b->nmetrics == 0) {
		xasprintf(cause, "no metric found: every column is constant "
		    "within each trial; name the metrics with --metrics");
		return -1;
	}
	want = o != NULL && o->metric != NULL ? o->metric :
	    b->declared_metric;
	for (k = 0; k < b->nmetrics; k++) {
		c = b->metric_idx[k];
		if (want != NULL) {
			if (strcmp(b->cols[c].name, want) == 0)
				found = (int)k;
			continue;
		}
		rank = metric_rank(b->cols[c].name);
		if (rank < bestrank) {
			bestrank = rank;
			found = (int)k;
		}
	}
	if (found < 0) {
		for (k = 0; k < b->nmetrics; k++) {
			rung_buf_printf(&names, "%s'%s'", k ? ", " : "",
			    b->cols[b->metric_idx[k]].name);
		}
		xasprintf(cause, "no metric '%s' in the data; found %s",
		    want, rung_buf_cstr(&names));
		rung_buf_release(&names);
		return -1;
	}
	b->interest = (uint32_t)found;
	name = b->cols[b->metric_idx[found]].name;
	if (o != NULL && o->direction != 0) {
		b->direction = o->direction;
		b->interest_how = RUNG_DIR_TOLD;
	} else if (b->declared_dir != 0 && (o == NULL || o->metric == NULL ||
	    (b->declared_metric != NULL &&
	    strcmp(o->metric, b->declared_metric) == 0))) {
		b->direction = b->declared_dir;
		b->interest_how = RUNG_DIR_DECLARED;
	} else if (b->cols[b->metric_idx[found]].how == RUNG_DIR_DECLARED) {
		b->direction = b->cols[b->metric_idx[found]].dir;
		b->interest_how = RUNG_DIR_DECLARED;
	} else if (rung_direction_infer(name, &b->direction,
	    &b->cols[b->metric_idx[found]].word))
		b->interest_how = RUNG_DIR_NAME;
	else {
		/* No study to take it from: lower is better, and said so. */
		b->direction = RUNG_MIN;
		b->interest_how = RUNG_DIR_DEFAULT;
	}
	resolve_directions(b);
	if (b->nconflicts > 0) {
		rung_warn("%s%s%llu parameter value%s given more than once "
		    "for the same trial, and differently: the last one read "
		    "was kept (the first: trial '%s', parameter '%s': %s, "
		    "then %s)",
		    b->nsources > 0 ? b->sources[b->conflict_source].path : "",
		    b->nsources > 0 ? ": " : "",
		    (unsigned long long)b->nconflicts,
		    b->nconflicts == 1 ? " was" : "s were",
		    rung_batch_trial_id(b, b->conflict_trial),
		    b->params[b->conflict_param].name, b->conflict_was,
		    b->conflict_now);
	}
	return 0;
}
