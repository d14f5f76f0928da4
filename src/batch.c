#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

/*
 * A missing cell is a NaN with a payload no parser produces, so that a NaN
 * read from a file (divergence) and "no value here" stay distinct without
 * a bitmap beside every column.
 */
static const uint64_t MISSING_BITS = 0x7ff4dead0000beefULL;

static inline double
missing(void)
{
	double	 d;

	memcpy(&d, &MISSING_BITS, sizeof d);
	return d;
}

static inline int
is_missing(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof u);
	return u == MISSING_BITS;
}

static inline int
same_value(double a, double b)
{
	return a == b || (isnan(a) && isnan(b));
}

struct bcolumn {
	char		*name;
	int		 candidate;
	int		 dropped;	/* candidate that became a parameter */
	int		 text;		/* candidate that saw text */
	int		 varies;	/* differs within some trial */
	int		 varies_text;
	int		 nonint;	/* some token not written as an int */
	uint64_t	 ndup;		/* values overwritten by a later one */
	enum rung_direction dir;	/* declared, else decided at finish */
	enum rung_dir_how how;
	const char	*word;		/* RUNG_DIR_NAME: the word that told */
	double		*v;		/* per row */
	uint64_t	*stale;		/* per row, a bit: v read before the
					   row came again (see reopen_row) */
	char		**first;	/* candidate: first token per trial */
	size_t		 firstcap;
};

enum { PV_UNSET = 0, PV_INT, PV_REAL, PV_TEXT, PV_TOKEN };

struct bparam {
	char		*name;
	int		 declared;
	enum rung_ptype	 type;
	int		 log;
	uint8_t		*kind;		/* per trial */
	int64_t		*i;
	double		*d;
	char		**text;
	size_t		 cap;
};

struct rung_batch {
	struct rung_batch_source *sources;
	uint32_t	 nsources;
	size_t		 sourcecap;

	char		**ids;
	uint8_t		*status;
	uint32_t	*tsource;
	uint32_t	 ntrials;
	size_t		 trialcap;
	uint32_t	*hash;		/* open addressing, trial + 1, 0 free */
	size_t		 hashsize;

	/*
	 * Rows, one per (trial, step): a step read again merges into the
	 * row it has as it arrives, so that what an import holds follows
	 * the points it keeps, not the rows it reads (a file of one row
	 * repeated a billion times is one point). A step outside the span
	 * a trial has seen is new without looking: the usual file, in
	 * order or reversed, never looks a row up. The first step inside
	 * it makes a table of every row by (trial, step), kept from then on.
	 */
	uint32_t	*rtrial;
	int32_t		*rstep;
	double		*rtime;
	uint32_t	 nrows;
	size_t		 rowcap;
	int32_t		*tlo;		/* per trial: lowest step, highest */
	int32_t		*thi;
	size_t		 spancap;
	uint32_t	*rhash;		/* row + 1, 0 free; NULL until needed */
	size_t		 rhashsize;
	int		 reopened;	/* some row came again: stale bits */

	struct bcolumn	*cols;
	uint32_t	 ncols;

	struct bparam	*params;
	uint32_t	 nparams;

	enum rung_time_kind time_kind;
	char		*time_name;
	int		 status_given;	/* some source says a status */

	char		*declared_metric;
	enum rung_direction declared_dir;

	/* The first name refused (rung_name_check), told at finish. */
	char		*bad_name;

	/*
	 * Parameter values given again for a trial, and differently: the
	 * first, told with their count at finish.
	 */
	uint64_t	 nconflicts;
	uint32_t	 conflict_trial;
	uint32_t	 conflict_param;
	uint32_t	 conflict_source;
	char		*conflict_was;
	char		*conflict_now;

	/* After finish. */
	int		 finished;
	uint32_t	*toff;		/* ntrials + 1 into unique rows */
	double		*secs;		/* per unique row, converted */
	uint32_t	*metric_idx;	/* kept columns */
	uint32_t	 nmetrics;
	uint32_t	 interest;
	enum rung_direction direction;
	enum rung_dir_how interest_how;
	uint64_t	 npoints;
	uint64_t	 ndup;
	int32_t		*scratch_steps;
	double		*scratch_vals;
	size_t		 scratchcap;
};

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

struct rung_batch *
rung_batch_new(void)
{
	struct rung_batch *b;

	b = xcalloc(1, sizeof *b);
	b->hashsize = 1024;
	b->hash = xcalloc(b->hashsize, sizeof *b->hash);
	return b;
}

static void
free_column(struct bcolumn *c)
{
	size_t	 t;

	free(c->name);
	free(c->v);
	free(c->stale);
	for (t = 0; t < c->firstcap; t++)
		free(c->first[t]);
	free(c->first);
}

static void
free_param(struct bparam *p)
{
	size_t	 t;

	free(p->name);
	if (p->text != NULL) {
		for (t = 0; t < p->cap; t++)
			free(p->text[t]);
	}
	free(p->text);
	free(p->kind);
	free(p->i);
	free(p->d);
}

void
rung_batch_free(struct rung_batch *b)
{
	uint32_t	 i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nsources; i++) {
		free(b->sources[i].path);
		free(b->sources[i].format);
		free(b->sources[i].digest);
	}
	free(b->sources);
	free(b->bad_name);
	for (i = 0; i < b->ntrials; i++)
		free(b->ids[i]);
	free(b->ids);
	free(b->status);
	free(b->tsource);
	free(b->hash);
	free(b->rtrial);
	free(b->rstep);
	free(b->rtime);
	free(b->tlo);
	free(b->thi);
	free(b->rhash);
	for (i = 0; i < b->ncols; i++)
		free_column(&b->cols[i]);
	free(b->cols);
	for (i = 0; i < b->nparams; i++)
		free_param(&b->params[i]);
	free(b->params);
	free(b->time_name);
	free(b->declared_metric);
	free(b->conflict_was);
	free(b->conflict_now);
	free(b->toff);
	free(b->secs);
	free(b->metric_idx);
	free(b->scratch_steps);
	free(b->scratch_vals);
	free(b);
}

void
rung_batch_source(struct rung_batch *b, const char *path, const char *format,
    const char *digest, uint64_t size)
{
	struct rung_batch_source *s;

	XGROW(b->sources, b->sourcecap, b->nsources + 1);
	s = &b->sources[b->nsources++];
	s->path = xstrdup(path);
	s->format = xstrdup(format);
	s->digest = xstrdup(digest != NULL ? digest : "");
	s->size = size;
}

static void
rehash(struct rung_batch *b)
{
	uint32_t	 t;
	size_t		 h;

	free(b->hash);
	b->hashsize *= 2;
	b->hash = xcalloc(b->hashsize, sizeof *b->hash);
	for (t = 0; t < b->ntrials; t++) {
		h = hash_str(b->ids[t]) & (b->hashsize - 1);
		while (b->hash[h] != 0)
			h = (h + 1) & (b->hashsize - 1);
		b->hash[h] = t + 1;
	}
}

uint32_t
rung_batch_trial(struct rung_batch *b, const char *id)
{
	size_t		 h;
	uint32_t	 t;

	h = hash_str(id) & (b->hashsize - 1);
	while (b->hash[h] != 0) {
		t = b->hash[h] - 1;
		if (strcmp(b->ids[t], id) == 0)
			return t;
		h = (h + 1) & (b->hashsize - 1);
	}
	t = b->ntrials;
	if (b->ntrials + 1 > b->trialcap) {
		XGROW(b->ids, b->trialcap, b->ntrials + 1);
		b->status = xreallocarray(b->status, b->trialcap, 1);
		b->tsource = xreallocarray(b->tsource, b->trialcap,
		    sizeof *b->tsource);
	}
	b->ids[t] = xstrdup(id);
	b->status[t] = RUNG_COMPLETE;
	b->tsource[t] = b->nsources > 0 ? b->nsources - 1 : 0;
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
	return b->ids[t];
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
static void
check_name(struct rung_batch *b, const char *what, const char *name)
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
	check_name(b, candidate ? "column" : "metric", name);
	b->cols = xreallocarray(b->cols, b->ncols + 1, sizeof *b->cols);
	c = &b->cols[b->ncols];
	memset(c, 0, sizeof *c);
	c->name = xstrdup(name);
	c->candidate = candidate;
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

static void
put(struct bcolumn *c, uint32_t r, double v)
{
	uint64_t	 bit = (uint64_t)1 << (r % 64);

	if (c->stale != NULL && (c->stale[r / 64] & bit) != 0) {
		c->stale[r / 64] &= ~bit;
		c->ndup++;
	}
	c->v[r] = v;
}

static void
span_slot(struct rung_batch *b, uint32_t trial)
{
	size_t	 old = b->spancap, t;

	if (trial < b->spancap)
		return;
	XGROW(b->tlo, b->spancap, (size_t)trial + 1);
	b->thi = xreallocarray(b->thi, b->spancap, sizeof *b->thi);
	/* An empty span: every step is outside it. */
	for (t = old; t < b->spancap; t++) {
		b->tlo[t] = INT32_MAX;
		b->thi[t] = INT32_MIN;
	}
}

uint32_t
rung_batch_row(struct rung_batch *b, uint32_t trial, int32_t step)
{
	uint32_t	 i, r;
	size_t		 cap, old, slot = SIZE_MAX;

	span_slot(b, trial);
	if (step >= b->tlo[trial] && step <= b->thi[trial]) {
		if (b->rhash == NULL)
			hash_rows(b);
		if ((r = find_row(b, trial, step, &slot)) != UINT32_MAX) {
			reopen_row(b, r);
			return r;
		}
	}
	if (step < b->tlo[trial])
		b->tlo[trial] = step;
	if (step > b->thi[trial])
		b->thi[trial] = step;

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
	put(&b->cols[m], row, v);
}

static char **
first_slot(struct bcolumn *c, uint32_t t)
{
	size_t	 old = c->firstcap;

	if (t >= c->firstcap) {
		XGROW(c->first, c->firstcap, (size_t)t + 1);
		memset(c->first + old, 0,
		    (c->firstcap - old) * sizeof *c->first);
	}
	return &c->first[t];
}

void
rung_batch_cell(struct rung_batch *b, uint32_t row, uint32_t m,
    const char *tok, size_t len)
{
	struct bcolumn	*c = &b->cols[m];
	char		**first;
	double		 v;
	uint32_t	 t = b->rtrial[row];

	first = first_slot(c, t);
	if (*first == NULL)
		*first = xstrndup(tok, len);
	else if (c->text && (strlen(*first) != len ||
	    memcmp(*first, tok, len) != 0))
		c->varies_text = 1;
	if (c->text)
		return;
	if (rung_parse_double(tok, len, &v) != 0) {
		c->text = 1;
		if (strlen(*first) != len || memcmp(*first, tok, len) != 0)
			c->varies_text = 1;
		return;
	}
	if (!rung_is_int_text(tok, len))
		c->nonint = 1;
	put(c, row, v);
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

uint32_t
rung_batch_param(struct rung_batch *b, const char *name)
{
	uint32_t	 i;
	struct bparam	*p;

	for (i = 0; i < b->nparams; i++) {
		if (strcmp(b->params[i].name, name) == 0)
			return i;
	}
	check_name(b, "parameter", name);
	b->params = xreallocarray(b->params, b->nparams + 1,
	    sizeof *b->params);
	p = &b->params[b->nparams];
	memset(p, 0, sizeof *p);
	p->name = xstrdup(name);
	return b->nparams++;
}

void
rung_batch_param_decl(struct rung_batch *b, uint32_t param,
    enum rung_ptype type, int log)
{
	struct bparam	*p = &b->params[param];

	p->declared = 1;
	p->type = type;
	p->log = log;
}

static void
param_slot(struct bparam *p, uint32_t t)
{
	size_t	 old = p->cap, n;

	if (t < p->cap)
		return;
	n = old ? old : 64;
	while (n <= t)
		n *= 2;
	p->kind = xreallocarray(p->kind, n, sizeof *p->kind);
	p->i = xreallocarray(p->i, n, sizeof *p->i);
	p->d = xreallocarray(p->d, n, sizeof *p->d);
	p->text = xreallocarray(p->text, n, sizeof *p->text);
	memset(p->kind + old, 0, (n - old) * sizeof *p->kind);
	memset(p->text + old, 0, (n - old) * sizeof *p->text);
	p->cap = n;
}

static void
param_clear(struct bparam *p, uint32_t t)
{
	param_slot(p, t);
	free(p->text[t]);
	p->text[t] = NULL;
}

/* A parameter value, for comparing two and for messages. */
struct pvalue {
	int		 kind;
	int64_t		 i;
	double		 d;
	const char	*text;
};

/* A number, if the value is one (a token is when it reads as one). */
static int
pvalue_number(const struct pvalue *v, double *d)
{
	switch (v->kind) {
	case PV_INT:
	case PV_REAL:
		*d = v->d;
		return 1;
	case PV_TOKEN:
		return rung_parse_double(v->text, strlen(v->text), d) == 0;
	default:
		return 0;
	}
}

/*
 * Are two values of a parameter the same? Numbers by value (1 and 1.0 are
 * the same, and so are two NaNs), whether read as numbers or as tokens;
 * text by its characters.
 */
static int
pvalue_same(const struct pvalue *a, const struct pvalue *b)
{
	double	 x, y;

	if (a->kind == PV_INT && b->kind == PV_INT)
		return a->i == b->i;
	if (pvalue_number(a, &x) && pvalue_number(b, &y))
		return same_value(x, y);
	if ((a->kind == PV_TEXT || a->kind == PV_TOKEN) &&
	    (b->kind == PV_TEXT || b->kind == PV_TOKEN))
		return strcmp(a->text, b->text) == 0;
	return 0;
}

/*
 * The value as a message shows it: numbers as written, text quoted, at
 * most 40 bytes of it.
 */
static char *
pvalue_show(const struct pvalue *v)
{
	char	 buf[RUNG_DBL_BUFSZ];
	size_t	 n;
	double	 d;

	switch (v->kind) {
	case PV_INT:
		return xprintf("%lld", (long long)v->i);
	case PV_REAL:
		return xstrdup(rung_fmt_double(v->d, 0, buf));
	default:
		if (v->kind == PV_TOKEN && strlen(v->text) <= 40 &&
		    pvalue_number(v, &d))
			return xstrdup(v->text);
		if ((n = strlen(v->text)) <= 40)
			return xprintf("'%s'", v->text);
		/* Cut between two characters of UTF-8. */
		for (n = 40; n > 0 && ((unsigned char)v->text[n] & 0xc0) ==
		    0x80; n--)
			/* nothing */;
		return xprintf("'%.*s...'", (int)n, v->text);
	}
}

/*
 * Set parameter param of trial t to v, whose text is copied, or taken when
 * it is owned. When the trial has a value already (a trial given twice,
 * whose rows are merged) and it is another, count it. The last one read is
 * kept, as for a metric.
 */
static void
param_set(struct rung_batch *b, uint32_t t, uint32_t param,
    const struct pvalue *v, char *owned)
{
	struct bparam	*p = &b->params[param];
	struct pvalue	 old;

	param_slot(p, t);
	if (p->kind[t] != PV_UNSET) {
		old.kind = p->kind[t];
		old.i = p->i[t];
		old.d = p->d[t];
		old.text = p->text[t];
		if (!pvalue_same(&old, v) && b->nconflicts++ == 0) {
			b->conflict_trial = t;
			b->conflict_param = param;
			b->conflict_source = b->nsources > 0 ?
			    b->nsources - 1 : 0;
			b->conflict_was = pvalue_show(&old);
			b->conflict_now = pvalue_show(v);
		}
	}
	param_clear(p, t);
	p->kind[t] = (uint8_t)v->kind;
	p->i[t] = v->i;
	p->d[t] = v->d;
	if (owned != NULL)
		p->text[t] = owned;
	else if (v->text != NULL)
		p->text[t] = xstrdup(v->text);
}

void
rung_batch_param_int(struct rung_batch *b, uint32_t t, uint32_t param,
    int64_t v)
{
	struct pvalue	 pv = { PV_INT, v, (double)v, NULL };

	param_set(b, t, param, &pv, NULL);
}

void
rung_batch_param_real(struct rung_batch *b, uint32_t t, uint32_t param,
    double v)
{
	struct pvalue	 pv = { PV_REAL, 0, v, NULL };

	param_set(b, t, param, &pv, NULL);
}

void
rung_batch_param_text(struct rung_batch *b, uint32_t t, uint32_t param,
    const char *v)
{
	struct pvalue	 pv = { PV_TEXT, 0, 0, v };

	param_set(b, t, param, &pv, NULL);
}

void
rung_batch_param_token(struct rung_batch *b, uint32_t t, uint32_t param,
    const char *tok, size_t len)
{
	struct pvalue	 pv = { PV_TOKEN, 0, 0, NULL };
	char		*text;

	/*
	 * An empty cell: no value, which leaves the one a trial given
	 * twice had (as a missing point leaves a metric's).
	 */
	if (len == 0) {
		param_slot(&b->params[param], t);
		return;
	}
	pv.text = text = xstrndup(tok, len);
	param_set(b, t, param, &pv, text);
}

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
	free(b->tlo);
	b->tlo = NULL;
	free(b->thi);
	b->thi = NULL;
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

/* A candidate column constant within every trial becomes a parameter. */
static void
resolve_candidates(struct rung_batch *b)
{
	struct bcolumn	*c;
	uint32_t	 ci, t, r, p;
	double		 first;
	int		 have;

	for (ci = 0; ci < b->ncols; ci++) {
		c = &b->cols[ci];
		if (!c->candidate)
			continue;
		if (c->text) {
			c->dropped = 1;
			if (c->varies_text) {
				rung_warn("column '%s' holds text that changes "
				    "within a trial: left out", c->name);
				continue;
			}
		} else {
			for (t = 0; t < b->ntrials && !c->varies; t++) {
				have = 0;
				first = 0;
				for (r = b->toff[t]; r < b->toff[t + 1]; r++) {
					if (is_missing(c->v[r]))
						continue;
					if (!have) {
						first = c->v[r];
						have = 1;
					} else if (!same_value(first, c->v[r])) {
						c->varies = 1;
						break;
					}
				}
			}
			if (c->varies)
				continue;
			c->dropped = 1;
		}
		p = rung_batch_param(b, c->name);
		for (t = 0; t < b->ntrials && t < c->firstcap; t++) {
			if (c->first[t] != NULL)
				rung_batch_param_token(b, t, p, c->first[t],
				    strlen(c->first[t]));
		}
	}
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

/* The smallest time read, to tell a clock (Unix time) from a total. */
static double
min_time(const struct rung_batch *b)
{
	uint32_t	 r;
	double		 m = INFINITY;

	for (r = 0; r < b->nrows; r++) {
		if (!is_missing(b->rtime[r]) && b->rtime[r] < m)
			m = b->rtime[r];
	}
	return m;
}

/* Turn raw times into seconds per step. */
static void
resolve_time(struct rung_batch *b)
{
	enum rung_time_kind kind = b->time_kind;
	uint32_t	 t, r, n, longest = 0;
	double		 prev;
	int		 increasing = 1, have;
	const char	*why = "by its name", *what;

	if (b->rtime == NULL)
		return;
	if (kind == RUNG_TIME_AUTO) {
		/*
		 * Cumulative clocks only move forward; seconds per step
		 * wobble. Decide for the whole import, never per trial.
		 */
		for (t = 0; t < b->ntrials; t++) {
			n = b->toff[t + 1] - b->toff[t];
			if (n > longest)
				longest = n;
			if (!strictly_increasing(b->rtime + b->toff[t], n))
				increasing = 0;
		}
		/* 2001-09-09 or later: no step lasts 31 years. */
		if (increasing && min_time(b) >= 1e9) {
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
		} else if (longest < 3) {
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
	b->secs = xreallocarray(NULL, b->nrows ? b->nrows : 1,
	    sizeof *b->secs);
	for (t = 0; t < b->ntrials; t++) {
		have = 0;
		prev = 0;
		for (r = b->toff[t]; r < b->toff[t + 1]; r++) {
			if (is_missing(b->rtime[r])) {
				b->secs[r] = NAN;
				continue;
			}
			switch (kind) {
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
}

/*
 * Without a status, every trial is listed complete. When trials end at
 * different steps some were probably stopped early (pruned, failed, or
 * still running): say so once, with how to tell.
 */
static void
status_notice(const struct rung_batch *b)
{
	uint32_t	 t, early = 0, with = 0;
	int32_t		 last = INT32_MIN;
	const char	*fmt;

	if (b->status_given)
		return;
	for (t = 0; t < b->ntrials; t++) {
		if (b->toff[t + 1] > b->toff[t] &&
		    b->rstep[b->toff[t + 1] - 1] > last)
			last = b->rstep[b->toff[t + 1] - 1];
	}
	for (t = 0; t < b->ntrials; t++) {
		if (b->toff[t + 1] == b->toff[t])
			continue;
		with++;
		if (b->rstep[b->toff[t + 1] - 1] < last)
			early++;
	}
	if (early == 0)
		return;
	fmt = b->nsources > 0 ? b->sources[0].format : "";
	rung_info("%u of %u trials end before step %d, the last one "
	    "reached, and are listed complete as no status was read; %s",
	    early, with, last, strstr(fmt, "csv") != NULL ? "name a column "
	    "of statuses (complete, pruned, failed, ...) with --status-col" :
	    strstr(fmt, "json") != NULL ? "name a field of statuses "
	    "(complete, pruned, failed, ...) with --status-field" :
	    "give each trial a status in the data");
}

static void
resolve_params(struct rung_batch *b)
{
	struct bparam	*p;
	uint32_t	 i, t;
	int		 any_real, any_text, any;
	char		 buf[RUNG_DBL_BUFSZ];
	double		 d;
	int64_t		 iv;

	for (i = 0; i < b->nparams; i++) {
		p = &b->params[i];
		param_slot(p, b->ntrials ? b->ntrials - 1 : 0);
		any_real = any_text = any = 0;
		for (t = 0; t < b->ntrials; t++) {
			switch (p->kind[t]) {
			case PV_REAL:
				any_real = 1;
				break;
			case PV_TEXT:
				any_text = 1;
				break;
			case PV_TOKEN:
				if (rung_parse_double(p->text[t],
				    strlen(p->text[t]), &d) != 0)
					any_text = 1;
				else if (!rung_is_int_text(p->text[t],
				    strlen(p->text[t])) ||
				    rung_parse_int64(p->text[t],
				    strlen(p->text[t]), &iv) != 0)
					any_real = 1;
				break;
			}
			if (p->kind[t] != PV_UNSET)
				any = 1;
		}
		if (!p->declared)
			p->type = any_text ? RUNG_PCAT : any_real ? RUNG_PREAL :
			    RUNG_PINT;
		(void)any;
		/* Bring every value to the column's type. */
		for (t = 0; t < b->ntrials; t++) {
			switch (p->kind[t]) {
			case PV_TOKEN:
				if (p->type == RUNG_PCAT) {
					p->kind[t] = PV_TEXT;
					break;
				}
				if (p->type == RUNG_PINT && rung_parse_int64(
				    p->text[t], strlen(p->text[t]), &iv) == 0) {
					p->kind[t] = PV_INT;
					p->i[t] = iv;
					p->d[t] = (double)iv;
				} else {
					rung_parse_double(p->text[t],
					    strlen(p->text[t]), &d);
					p->kind[t] = PV_REAL;
					p->d[t] = d;
				}
				free(p->text[t]);
				p->text[t] = NULL;
				break;
			case PV_INT:
				if (p->type == RUNG_PCAT) {
					p->text[t] = xprintf("%lld",
					    (long long)p->i[t]);
					p->kind[t] = PV_TEXT;
				} else if (p->type == RUNG_PREAL)
					p->kind[t] = PV_REAL;
				break;
			case PV_REAL:
				if (p->type == RUNG_PCAT) {
					p->text[t] = xstrdup(rung_fmt_double(
					    p->d[t], 0, buf));
					p->kind[t] = PV_TEXT;
				}
				break;
			}
		}
	}
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
	const char	*want, *name;
	uint32_t	 c, r, k;
	int		 found = -1, rank, bestrank = 99;

	if (b->finished)
		return 0;
	if (b->bad_name != NULL) {
		*cause = xstrdup(b->bad_name);
		return -1;
	}
	merge_rows(b);
	resolve_candidates(b);
	resolve_time(b);
	resolve_params(b);
	status_notice(b);
	b->finished = 1;

	b->metric_idx = xcalloc(b->ncols ? b->ncols : 1,
	    sizeof *b->metric_idx);
	for (c = 0; c < b->ncols; c++) {
		if (b->cols[c].dropped)
			continue;
		b->metric_idx[b->nmetrics++] = c;
		/* Repeats of what became a parameter are no duplicates. */
		b->ndup += b->cols[c].ndup;
		for (r = 0; r < b->nrows; r++) {
			if (!is_missing(b->cols[c].v[r]))
				b->npoints++;
		}
	}
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
		    b->ids[b->conflict_trial],
		    b->params[b->conflict_param].name, b->conflict_was,
		    b->conflict_now);
	}
	return 0;
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
	v->has_time = b->secs != NULL;
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
	return b->tsource[t];
}

void
rung_batch_trial_param(const struct rung_batch *b, uint32_t t, uint32_t pi,
    struct rung_batch_value *v)
{
	const struct bparam *p = &b->params[pi];

	memset(v, 0, sizeof *v);
	v->type = p->type;
	if (t >= p->cap || p->kind[t] == PV_UNSET)
		return;
	v->set = 1;
	v->i = p->i[t];
	v->d = p->d[t];
	v->text = p->text[t];
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

uint32_t
rung_batch_curve(struct rung_batch *b, uint32_t t, uint32_t m,
    const int32_t **steps, const double **vals)
{
	const double	*v = b->cols[b->metric_idx[m]].v;
	uint32_t	 r, n = 0;

	scratch(b, b->toff[t + 1] - b->toff[t]);
	for (r = b->toff[t]; r < b->toff[t + 1]; r++) {
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
	uint32_t	 r, n = 0;

	if (b->secs == NULL)
		return 0;
	scratch(b, b->toff[t + 1] - b->toff[t]);
	for (r = b->toff[t]; r < b->toff[t + 1]; r++) {
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
