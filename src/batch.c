/*
 * A batch: the trials, metrics and points one import reads, in memory until
 * the store writes them. This file holds its trials, metric columns, rows
 * and cells, and the reading of a finished batch (the view, curves, times).
 * Parameters are in batch-param.c, finishing in batch-finish.c.
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

struct rung_batch *
rung_batch_new(void)
{
	struct rung_batch *b;

	b = xcalloc(1, sizeof *b);
	batch_mem_init(&b->mem);
	b->spantrial = UINT32_MAX;
	b->hashsize = 1024;
	b->hash = rung_batch_mem_grow(b, NULL, b->hashsize * sizeof *b->hash);
	return b;
}

static void
free_column(struct rung_batch *b, struct bcolumn *c)
{
	free(c->name);
	free(c->v);
	free(c->stale);
	batch_first_release(b, c);
	rung_batch_mem_free(b, c->fval);
}

static void
free_param(struct rung_batch *b, struct bparam *p)
{
	free(p->name);
	rung_batch_mem_free(b, p->kind);
	rung_batch_mem_free(b, p->val);
	rung_batch_mem_free(b, p->text);
}

void
rung_batch_free(struct rung_batch *b)
{
	uint32_t	 i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nknown; i++)
		free(b->known[i]);
	free(b->known);
	for (i = 0; i < b->nsources; i++) {
		free(b->sources[i].path);
		free(b->sources[i].format);
		free(b->sources[i].digest);
	}
	free(b->sources);
	free(b->sfirst);
	free(b->bad_name);
	rung_batch_mem_free(b, b->idoff);
	rung_batch_mem_free(b, b->idtext);
	rung_batch_mem_free(b, b->status);
	rung_batch_mem_free(b, b->hash);
	free(b->rtrial);
	free(b->rstep);
	free(b->rtime);
	free(b->spans);
	free(b->rhash);
	for (i = 0; i < b->ncols; i++)
		free_column(b, &b->cols[i]);
	free(b->cols);
	for (i = 0; i < b->nparams; i++)
		free_param(b, &b->params[i]);
	free(b->params);
	free(b->time_name);
	free(b->declared_metric);
	free(b->conflict_was);
	free(b->conflict_now);
	free(b->toff);
	free(b->secs);
	batch_spill_free(b->spill);
	free(b->metric_idx);
	free(b->scratch_steps);
	free(b->scratch_vals);
	batch_mem_release(&b->mem);
	free(b);
}

void
rung_batch_source(struct rung_batch *b, const char *path, const char *format,
    const char *digest, uint64_t size)
{
	struct rung_batch_source *s;
	size_t		 cap = b->sourcecap;

	XGROW(b->sources, b->sourcecap, b->nsources + 1);
	if (b->sourcecap != cap)
		b->sfirst = xreallocarray(b->sfirst, b->sourcecap,
		    sizeof *b->sfirst);
	/* Trials are numbered as made: a source's are a range. */
	b->sfirst[b->nsources] = b->ntrials;
	s = &b->sources[b->nsources++];
	s->path = xstrdup(path);
	s->format = xstrdup(format);
	s->digest = xstrdup(digest != NULL ? digest : "");
	s->size = size;
}

/*
 * The last source was added without its digest (rung_import defers it to
 * the reader, which goes through the file anyway): 1 while it has none.
 */
int
rung_batch_source_pending(const struct rung_batch *b)
{
	return b->nsources > 0 && b->sources[b->nsources - 1].digest[0] == '\0';
}

void
rung_batch_source_digest(struct rung_batch *b, const char *digest,
    uint64_t size)
{
	struct rung_batch_source *s = &b->sources[b->nsources - 1];

	free(s->digest);
	s->digest = xstrdup(digest);
	s->size = size;
}

static void
rehash(struct rung_batch *b)
{
	uint32_t	 t;
	size_t		 h;

	rung_batch_mem_free(b, b->hash);
	b->hashsize *= 2;
	b->hash = rung_batch_mem_grow(b, NULL, b->hashsize * sizeof *b->hash);
	for (t = 0; t < b->ntrials; t++) {
		batch_mem_tick(b);
		h = rung_hash_str(b->idtext + b->idoff[t]) &
		    (b->hashsize - 1);
		while (b->hash[h] != 0)
			h = (h + 1) & (b->hashsize - 1);
		b->hash[h] = t + 1;
	}
}

uint32_t
rung_batch_trial(struct rung_batch *b, const char *id)
{
	size_t		 h, len, cap;
	uint32_t	 t;

	batch_mem_tick(b);
	h = rung_hash_str(id) & (b->hashsize - 1);
	while (b->hash[h] != 0) {
		t = b->hash[h] - 1;
		if (strcmp(b->idtext + b->idoff[t], id) == 0)
			return t;
		h = (h + 1) & (b->hashsize - 1);
	}
	t = b->ntrials;
	if (b->ntrials + 1 > b->trialcap) {
		cap = b->trialcap;
		BGROW(b, b->idoff, cap, b->ntrials + 1);
		b->status = rung_batch_mem_grow(b, b->status, cap);
		b->trialcap = cap;
	}
	len = strlen(id) + 1;
	BGROW(b, b->idtext, b->idcap, b->idlen + len);
	memcpy(b->idtext + b->idlen, id, len);
	b->idoff[t] = b->idlen;
	b->idlen += len;
	b->status[t] = RUNG_COMPLETE;
	b->ntrials++;
	b->hash[h] = t + 1;
	if (b->ntrials * 2 > b->hashsize)
		rehash(b);
	return t;
}

void
rung_batch_set_status(struct rung_batch *b, uint32_t t, enum rung_status s)
{
	b->status[t] = (uint8_t)s;
	b->status_given = 1;
}

uint32_t
rung_batch_ntrials(const struct rung_batch *b)
{
	return b->ntrials;
}

const char *
rung_batch_trial_id(const struct rung_batch *b, uint32_t t)
{
	return b->idtext + b->idoff[t];
}

int
rung_batch_find_metric(const struct rung_batch *b, const char *name)
{
	uint32_t	 i;

	for (i = 0; i < b->ncols; i++) {
		if (strcmp(b->cols[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

/*
 * Names are shown everywhere and typed back at the prompt: the first one
 * empty or holding a control character is kept, with the file it came from
 * when the batch reads several, and refuses the import at finish.
 */
void
batch_check_name(struct rung_batch *b, const char *what, const char *name)
{
	char	*why;

	if (b->bad_name != NULL || rung_name_check(what, name, &why) == 0)
		return;
	if (b->nsources > 1)
		b->bad_name = xprintf("%s: %s", b->sources[b->nsources - 1].path,
		    why);
	else
		b->bad_name = xstrdup(why);
	free(why);
}

/* Words of a stale bitmap for n rows. */
static size_t
stale_words(size_t n)
{
	return n / 64 + 1;
}

static uint32_t
add_column(struct rung_batch *b, const char *name, int candidate)
{
	struct bcolumn	*c;
	size_t		 r;
	int		 found;

	if ((found = rung_batch_find_metric(b, name)) >= 0) {
		/* Named as a metric somewhere: it is one. */
		if (!candidate)
			b->cols[found].candidate = 0;
		return (uint32_t)found;
	}
	/* A candidate becomes a metric or a parameter: a column either way. */
	batch_check_name(b, candidate ? "column" : "metric", name);
	b->cols = xreallocarray(b->cols, b->ncols + 1, sizeof *b->cols);
	c = &b->cols[b->ncols];
	memset(c, 0, sizeof *c);
	c->name = xstrdup(name);
	c->candidate = candidate;
	c->ftrial = UINT32_MAX;
	c->fnum = NAN;
	c->v = xreallocarray(NULL, b->rowcap ? b->rowcap : 1, sizeof *c->v);
	for (r = 0; r < b->nrows; r++)
		c->v[r] = missing();
	if (b->reopened)
		c->stale = xcalloc(stale_words(b->rowcap), sizeof *c->stale);
	return b->ncols++;
}

uint32_t
rung_batch_metric(struct rung_batch *b, const char *name)
{
	return add_column(b, name, 0);
}

uint32_t
rung_batch_candidate(struct rung_batch *b, const char *name)
{
	return add_column(b, name, 1);
}

static uint64_t
hash_row(uint32_t trial, int32_t step)
{
	uint64_t k = (uint64_t)trial << 32 | (uint32_t)step;

	/* MurmurHash3's finalizer: steps 1, 2, 3 spread over the table. */
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

/* The row of (trial, step), or UINT32_MAX and the free slot to add it. */
static uint32_t
find_row(const struct rung_batch *b, uint32_t trial, int32_t step,
    size_t *slot)
{
	size_t		 mask = b->rhashsize - 1, i;
	uint32_t	 r;

	for (i = hash_row(trial, step) & mask; b->rhash[i] != 0;
	    i = (i + 1) & mask) {
		r = b->rhash[i] - 1;
		if (b->rtrial[r] == trial && b->rstep[r] == step)
			return r;
	}
	*slot = i;
	return UINT32_MAX;
}

static void
hash_row_add(struct rung_batch *b, uint32_t r)
{
	size_t		 mask = b->rhashsize - 1, i;

	for (i = hash_row(b->rtrial[r], b->rstep[r]) & mask; b->rhash[i] != 0;
	    i = (i + 1) & mask)
		/* nothing */;
	b->rhash[i] = r + 1;
}

/* A table of every row, at most half full. */
static void
hash_rows(struct rung_batch *b)
{
	uint32_t	 r;
	size_t		 size = 1024;

	while (size < ((size_t)b->nrows + 1) * 2)
		size *= 2;
	free(b->rhash);
	b->rhash = xcalloc(size, sizeof *b->rhash);
	b->rhashsize = size;
	for (r = 0; r < b->nrows; r++)
		hash_row_add(b, r);
}

/*
 * A row comes again. Its values read so far are marked stale: the first
 * value this arrival sets in a column overwrites one of them and is
 * counted, as a second value set in the same arrival (the same field
 * twice in a record) is not.
 */
static void
reopen_row(struct rung_batch *b, uint32_t r)
{
	struct bcolumn	*c;
	uint32_t	 i;

	if (!b->reopened) {
		for (i = 0; i < b->ncols; i++)
			b->cols[i].stale = xcalloc(stale_words(b->rowcap),
			    sizeof *b->cols[i].stale);
		b->reopened = 1;
	}
	for (i = 0; i < b->ncols; i++) {
		c = &b->cols[i];
		if (!is_missing(c->v[r]))
			c->stale[r / 64] |= (uint64_t)1 << (r % 64);
	}
}

static size_t
span_hash(uint32_t trial, size_t mask)
{
	return (size_t)((trial * 0x9e3779b97f4a7c15ULL) >> 32) & mask;
}

/* Trial's span, made empty (every step is outside it) when it had none. */
static struct bspan *
span_of(struct rung_batch *b, uint32_t trial)
{
	struct bspan	*old;
	size_t		 mask, i, oldsize, k;

	if (trial == b->spantrial)
		return &b->spans[b->spanat];
	if (((size_t)b->nspans + 1) * 2 > b->spansize) {
		old = b->spans;
		oldsize = b->spansize;
		b->spansize = oldsize ? oldsize * 2 : 1024;
		b->spans = xcalloc(b->spansize, sizeof *b->spans);
		mask = b->spansize - 1;
		for (k = 0; k < oldsize; k++) {
			if (old[k].trial == 0)
				continue;
			for (i = span_hash(old[k].trial - 1, mask);
			    b->spans[i].trial != 0; i = (i + 1) & mask)
				/* nothing */;
			b->spans[i] = old[k];
		}
		free(old);
	}
	mask = b->spansize - 1;
	for (i = span_hash(trial, mask); b->spans[i].trial != 0 &&
	    b->spans[i].trial != trial + 1; i = (i + 1) & mask)
		/* nothing */;
	if (b->spans[i].trial == 0) {
		b->spans[i].trial = trial + 1;
		b->spans[i].lo = INT32_MAX;
		b->spans[i].hi = INT32_MIN;
		b->nspans++;
	}
	b->spantrial = trial;
	b->spanat = i;
	return &b->spans[i];
}

/*
 * No row held (spilled, or merged at finish): no span, and no table, which
 * grows again with the rows that come.
 */
void
batch_spans_clear(struct rung_batch *b)
{
	free(b->spans);
	b->spans = NULL;
	b->spansize = 0;
	b->nspans = 0;
	b->spantrial = UINT32_MAX;
}

uint32_t
rung_batch_row(struct rung_batch *b, uint32_t trial, int32_t step)
{
	struct bspan	*sp;
	uint32_t	 i, r;
	size_t		 cap, old, slot = SIZE_MAX;

	sp = span_of(b, trial);
	if (step >= sp->lo && step <= sp->hi) {
		if (b->rhash == NULL)
			hash_rows(b);
		if ((r = find_row(b, trial, step, &slot)) != UINT32_MAX) {
			reopen_row(b, r);
			return r;
		}
	}
	if (step < sp->lo)
		sp->lo = step;
	if (step > sp->hi)
		sp->hi = step;

	if (b->nrows + 1 > b->rowcap) {
		cap = old = b->rowcap;
		XGROW(b->rtrial, cap, b->nrows + 1);
		b->rstep = xreallocarray(b->rstep, cap, sizeof *b->rstep);
		if (b->rtime != NULL)
			b->rtime = xreallocarray(b->rtime, cap,
			    sizeof *b->rtime);
		for (i = 0; i < b->ncols; i++) {
			b->cols[i].v = xreallocarray(b->cols[i].v, cap,
			    sizeof *b->cols[i].v);
			if (b->cols[i].stale == NULL)
				continue;
			b->cols[i].stale = xreallocarray(b->cols[i].stale,
			    stale_words(cap), sizeof *b->cols[i].stale);
			memset(b->cols[i].stale + stale_words(old), 0,
			    (stale_words(cap) - stale_words(old)) *
			    sizeof *b->cols[i].stale);
		}
		b->rowcap = cap;
	}
	r = b->nrows++;
	b->rtrial[r] = trial;
	b->rstep[r] = step;
	if (b->rtime != NULL)
		b->rtime[r] = missing();
	for (i = 0; i < b->ncols; i++)
		b->cols[i].v[r] = missing();
	if (b->rhash != NULL) {
		if (slot != SIZE_MAX)
			b->rhash[slot] = r + 1;
		else
			hash_row_add(b, r);
		if ((size_t)b->nrows * 2 > b->rhashsize)
			hash_rows(b);
	}
	return r;
}

void
rung_batch_set(struct rung_batch *b, uint32_t row, uint32_t m, double v)
{
	batch_put(&b->cols[m], row, v);
}

void
rung_batch_set_time(struct rung_batch *b, uint32_t row, double v)
{
	uint32_t	 r;

	if (b->rtime == NULL) {
		b->rtime = xreallocarray(NULL, b->rowcap, sizeof *b->rtime);
		for (r = 0; r < b->nrows; r++)
			b->rtime[r] = missing();
	}
	b->rtime[row] = v;
}

void
rung_batch_time_kind(struct rung_batch *b, enum rung_time_kind kind,
    const char *name)
{
	b->time_kind = kind;
	free(b->time_name);
	b->time_name = name != NULL ? xstrdup(name) : NULL;
}

void
rung_batch_view(const struct rung_batch *b, struct rung_batch_view *v)
{
	memset(v, 0, sizeof *v);
	v->metric = b->nmetrics ? b->cols[b->metric_idx[b->interest]].name :
	    NULL;
	v->direction = b->direction;
	v->nsources = b->nsources;
	v->sources = b->sources;
	v->ntrials = b->ntrials;
	v->nmetrics = b->nmetrics;
	v->nparams = b->nparams;
	v->npoints = b->npoints;
	v->nduplicates = b->ndup;
	v->nparam_conflicts = b->nconflicts;
	v->has_time = b->any_time;
}

const char *
rung_batch_metric_name(const struct rung_batch *b, uint32_t m)
{
	return b->cols[b->metric_idx[m]].name;
}

const char *
rung_batch_param_name(const struct rung_batch *b, uint32_t p)
{
	return b->params[p].name;
}

enum rung_ptype
rung_batch_param_type(const struct rung_batch *b, uint32_t p)
{
	return b->params[p].type;
}

int
rung_batch_param_log(const struct rung_batch *b, uint32_t p)
{
	return b->params[p].log;
}

enum rung_status
rung_batch_trial_status(const struct rung_batch *b, uint32_t t)
{
	return (enum rung_status)b->status[t];
}

uint32_t
rung_batch_trial_source(const struct rung_batch *b, uint32_t t)
{
	uint32_t	 lo = 0, hi = b->nsources, mid;

	/* The last source made before trial t was: its source. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (b->sfirst[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

void
rung_batch_trial_param(const struct rung_batch *b, uint32_t t, uint32_t pi,
    struct rung_batch_value *v)
{
	const struct bparam *p = &b->params[pi];
	struct pvalue	 pv;

	memset(v, 0, sizeof *v);
	v->type = p->type;
	if (t >= p->cap || p->kind[t] == PV_UNSET)
		return;
	batch_param_get(p, t, &pv);
	v->set = 1;
	v->i = pv.i;
	v->d = pv.d;
	v->text = (char *)pv.text;
	if (p->kind[t] == PV_TEXT)
		v->type = RUNG_PCAT;
	else if (p->kind[t] == PV_INT && p->type != RUNG_PREAL)
		v->type = RUNG_PINT;
	else
		v->type = RUNG_PREAL;
}

static void
scratch(struct rung_batch *b, size_t n)
{
	size_t	 cap = b->scratchcap;

	if (n <= cap)
		return;
	XGROW(b->scratch_steps, cap, n);
	b->scratch_vals = xreallocarray(b->scratch_vals, cap,
	    sizeof *b->scratch_vals);
	b->scratchcap = cap;
}

/* Trial t's rows: where they start in the arrays, and their count. */
static uint32_t
trial_rows(struct rung_batch *b, uint32_t t, uint32_t *base)
{
	if (b->spill != NULL) {
		*base = 0;
		return batch_spill_load(b, t, 0);
	}
	*base = b->toff[t];
	return b->toff[t + 1] - b->toff[t];
}

uint32_t
rung_batch_curve(struct rung_batch *b, uint32_t t, uint32_t m,
    const int32_t **steps, const double **vals)
{
	const double	*v;
	uint32_t	 r, base, nr, n = 0;

	/* The prep thread's: no other reads rows, nor ticks, then. */
	batch_mem_tick(b);
	nr = trial_rows(b, t, &base);
	v = b->cols[b->metric_idx[m]].v;
	scratch(b, nr);
	for (r = base; r < base + nr; r++) {
		if (is_missing(v[r]))
			continue;
		b->scratch_steps[n] = b->rstep[r];
		b->scratch_vals[n] = v[r];
		n++;
	}
	*steps = b->scratch_steps;
	*vals = b->scratch_vals;
	return n;
}

uint32_t
rung_batch_times(struct rung_batch *b, uint32_t t, const int32_t **steps,
    const double **secs)
{
	uint32_t	 r, base, nr, n = 0;

	if (!b->any_time)
		return 0;
	nr = trial_rows(b, t, &base);
	scratch(b, nr);
	for (r = base; r < base + nr; r++) {
		if (is_missing(b->rtime[r]))
			continue;
		b->scratch_steps[n] = b->rstep[r];
		b->scratch_vals[n] = b->secs[r];
		n++;
	}
	*steps = b->scratch_steps;
	*secs = b->scratch_vals;
	return n;
}

void
rung_batch_known(struct rung_batch *b, char *const *names, size_t n)
{
	size_t	 i;

	b->known = xreallocarray(b->known, b->nknown + n, sizeof *b->known);
	for (i = 0; i < n; i++)
		b->known[b->nknown++] = xstrdup(names[i]);
}
