/*
 * The pool samplers of a replay: a seeded random order, and TPE scoring
 * the unused configurations of the pool (include/rung/sampler.h has the
 * choices). Each hyperparameter's pool column is reduced once to its
 * distinct values, so a refit evaluates the kernels at those values only
 * and a pick is a sum of table lookups per configuration. The estimator
 * itself is src/sampler-parzen.c's, shared with the space sampler.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/predict.h"
#include "rung/sampler.h"
#include "rung/study.h"
#include "rung/xmalloc.h"

#include "sampler-int.h"

#define NOSTEP		PZ_NOSTEP
#define UNSET		UINT32_MAX

enum colkind {
	COL_SKIP = 0,
	COL_REAL,
	COL_INT,
	COL_CAT,
};

/* One hyperparameter over the pool. */
struct column {
	enum colkind	 kind;
	uint32_t	*uidx;		/* per pool entry: value, UNSET */
	uint32_t	 nu;		/* distinct values or categories */
	double		*uv;		/* numeric: transformed, ascending */
	double		*ua;		/* cell of each value (real: uv) */
	double		*ub;
	double		 low;		/* transformed bounds */
	double		 high;
	struct parzen	 pz;
	double		*dl;		/* log density below, above */
	double		*dg;
	double		*score;		/* log l - log g per value */
};

struct rung_sampler_state {
	enum rung_sampler kind;
	uint32_t	 npool;
	const uint32_t	*order;		/* pool indices, seeded order */
	uint32_t	*own;		/* order, when it made it */
	uint32_t	 next;		/* order[< next] are all used */
	uint8_t		*used;
	uint32_t	 nused;

	uint32_t	 ntrials;
	uint32_t	*bytrial;	/* study trial -> pool index */

	int32_t		*step;		/* per pool entry, NOSTEP */
	double		*val;
	uint32_t	*picked;	/* pool indices in order of use */
	uint32_t	 nobs;
	int		 dirty;
	int		 fitted;
	/*
	 * The observed configurations above (0) and below (1), in order of
	 * use, and those of the last fit: an estimator is refitted only
	 * when its set changed.
	 */
	uint32_t	*set[2];
	uint32_t	 nset[2];
	uint32_t	*last[2];
	uint32_t	 nlast[2];

	uint32_t	 ncols;
	struct column	*cols;

	/* Refit scratch. */
	struct pz_rank	*rk;
	uint8_t		*below;
	double		*mu;
	uint32_t	*cats;
};

static int
dbl_cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
column_numeric(struct column *c, const struct rung_param *prm,
    const uint32_t *pool, uint32_t npool)
{
	double		*raw, x, lo, hi;
	uint32_t	 i, n = 0, u;
	int		 uselog, isint = prm->type == RUNG_PINT;

	raw = xreallocarray(NULL, npool ? npool : 1, sizeof *raw);
	for (i = 0; i < npool; i++) {
		x = prm->num[pool[i]];
		if (isfinite(x))
			raw[n++] = x;
	}
	qsort(raw, n, sizeof *raw, dbl_cmp);
	for (i = 0, u = 0; i < n; i++) {
		if (u == 0 || raw[i] != raw[u - 1])
			raw[u++] = raw[i];
	}
	if (u < 2) {
		free(raw);
		return;
	}
	lo = isint ? raw[0] - 0.5 : raw[0];
	hi = isint ? raw[u - 1] + 0.5 : raw[u - 1];
	uselog = prm->log && lo > 0;

	/* Optuna 3: a log int is continuous in the logarithm. */
	c->kind = isint && !uselog ? COL_INT : COL_REAL;
	c->nu = u;
	c->uv = xreallocarray(NULL, u, sizeof *c->uv);
	for (i = 0; i < u; i++)
		c->uv[i] = uselog ? log(raw[i]) : raw[i];
	if (c->kind == COL_INT) {
		c->ua = xreallocarray(NULL, u, sizeof *c->ua);
		c->ub = xreallocarray(NULL, u, sizeof *c->ub);
		for (i = 0; i < u; i++) {
			c->ua[i] = raw[i] - 0.5;
			c->ub[i] = raw[i] + 0.5;
		}
	} else
		c->ua = c->ub = c->uv;
	c->low = uselog ? log(lo) : lo;
	c->high = uselog ? log(hi) : hi;

	c->uidx = xreallocarray(NULL, npool, sizeof *c->uidx);
	for (i = 0; i < npool; i++) {
		x = prm->num[pool[i]];
		if (!isfinite(x)) {
			c->uidx[i] = UNSET;
			continue;
		}
		/* raw is sorted and distinct: x is there. */
		c->uidx[i] = pz_lower_bound(raw, u, x);
	}
	free(raw);
}

static void
column_categorical(struct column *c, const struct rung_param *prm,
    const uint32_t *pool, uint32_t npool)
{
	uint32_t	*map, i, lv, nmap = prm->nlevels + 1, u = 0;

	/* Categories in first-seen order over the pool; unset is one. */
	map = xreallocarray(NULL, nmap, sizeof *map);
	for (i = 0; i < nmap; i++)
		map[i] = UNSET;
	c->uidx = xreallocarray(NULL, npool ? npool : 1, sizeof *c->uidx);
	for (i = 0; i < npool; i++) {
		lv = prm->cat[pool[i]];
		if (lv >= prm->nlevels)
			lv = prm->nlevels;
		if (map[lv] == UNSET)
			map[lv] = u++;
		c->uidx[i] = map[lv];
	}
	free(map);
	if (u < 2) {
		free(c->uidx);
		c->uidx = NULL;
		return;
	}
	c->kind = COL_CAT;
	c->nu = u;
}

void
rung_sampler_order(uint64_t seed, uint32_t *order, uint32_t npool)
{
	struct rung_rng	 rng;
	uint32_t	 i;

	for (i = 0; i < npool; i++)
		order[i] = i;
	rung_rng_seed(&rng, seed);
	rung_rng_shuffle(&rng, order, npool);
}

struct rung_sampler_state *
rung_sampler_new(const struct rung_study *s, const uint32_t *pool,
    uint32_t npool, enum rung_sampler kind, uint64_t seed)
{
	struct rung_sampler_state	*sp;
	uint32_t			*order;

	order = xreallocarray(NULL, npool + 1, sizeof *order);
	rung_sampler_order(seed, order, npool);
	sp = rung_sampler_new_order(s, pool, npool, kind, order);
	sp->own = order;
	return sp;
}

struct rung_sampler_state *
rung_sampler_new_order(const struct rung_study *s, const uint32_t *pool,
    uint32_t npool, enum rung_sampler kind, const uint32_t *order)
{
	struct rung_sampler_state	*sp;
	struct column			*c;
	uint32_t			 i, n1 = npool + 1;

	sp = xcalloc(1, sizeof *sp);
	sp->kind = kind;
	sp->npool = npool;
	sp->order = order;
	sp->used = xcalloc(n1, sizeof *sp->used);
	if (kind != RUNG_SAMPLER_TPE)
		return sp;

	sp->ntrials = s->ntrials;
	sp->bytrial = xreallocarray(NULL, s->ntrials ? s->ntrials : 1,
	    sizeof *sp->bytrial);
	for (i = 0; i < s->ntrials; i++)
		sp->bytrial[i] = UNSET;
	for (i = 0; i < npool; i++) {
		if (pool[i] < s->ntrials)
			sp->bytrial[pool[i]] = i;
	}
	sp->step = xreallocarray(NULL, n1, sizeof *sp->step);
	sp->val = xcalloc(n1, sizeof *sp->val);
	for (i = 0; i < npool; i++)
		sp->step[i] = NOSTEP;
	sp->picked = xreallocarray(NULL, n1, sizeof *sp->picked);
	sp->rk = xreallocarray(NULL, n1, sizeof *sp->rk);
	sp->below = xcalloc(n1, sizeof *sp->below);
	sp->mu = xreallocarray(NULL, n1, sizeof *sp->mu);
	sp->cats = xreallocarray(NULL, n1, sizeof *sp->cats);
	for (i = 0; i < 2; i++) {
		sp->set[i] = xreallocarray(NULL, n1, sizeof *sp->set[i]);
		sp->last[i] = xreallocarray(NULL, n1, sizeof *sp->last[i]);
	}

	sp->ncols = s->nparams;
	sp->cols = xcalloc(s->nparams ? s->nparams : 1, sizeof *sp->cols);
	for (i = 0; i < s->nparams; i++) {
		c = &sp->cols[i];
		if (s->params[i].type == RUNG_PCAT)
			column_categorical(c, &s->params[i], pool, npool);
		else
			column_numeric(c, &s->params[i], pool, npool);
		if (c->kind == COL_SKIP)
			continue;
		pz_init(&c->pz, c->kind == COL_CAT ? PZ_CAT : c->kind ==
		    COL_INT ? PZ_INT : PZ_REAL, c->low, c->high, c->nu);
		c->dl = xreallocarray(NULL, c->nu, sizeof *c->dl);
		c->dg = xreallocarray(NULL, c->nu, sizeof *c->dg);
		c->score = xcalloc(c->nu, sizeof *c->score);
	}
	return sp;
}

int
rung_sampler_reset(struct rung_sampler_state *sp, uint32_t npool,
    enum rung_sampler kind, const uint32_t *order)
{
	/* A random sampler is its order, how far it went and what it used. */
	if (kind != RUNG_SAMPLER_RANDOM || sp->kind != RUNG_SAMPLER_RANDOM ||
	    sp->npool != npool)
		return -1;
	free(sp->own);
	sp->own = NULL;
	sp->order = order;
	sp->next = 0;
	sp->nused = 0;
	memset(sp->used, 0, (size_t)npool + 1);
	return 0;
}

void
rung_sampler_free(struct rung_sampler_state *sp)
{
	struct column	*c;
	uint32_t	 i;

	if (sp == NULL)
		return;
	for (i = 0; i < sp->ncols; i++) {
		c = &sp->cols[i];
		free(c->uidx);
		if (c->ua != c->uv) {
			free(c->ua);
			free(c->ub);
		}
		free(c->uv);
		free(c->dl);
		free(c->dg);
		free(c->score);
		pz_release(&c->pz);
	}
	free(sp->cols);
	free(sp->own);
	free(sp->used);
	free(sp->bytrial);
	free(sp->step);
	free(sp->val);
	free(sp->picked);
	free(sp->rk);
	free(sp->below);
	free(sp->mu);
	free(sp->cats);
	for (i = 0; i < 2; i++) {
		free(sp->set[i]);
		free(sp->last[i]);
	}
	free(sp);
}

uint32_t
rung_sampler_observed(const struct rung_sampler_state *sp)
{
	return sp->nobs;
}

static void
use(struct rung_sampler_state *sp, uint32_t p)
{
	sp->used[p] = 1;
	if (sp->picked != NULL)
		sp->picked[sp->nused] = p;
	sp->nused++;
}

void
rung_sampler_observe(struct rung_sampler_state *sp, uint32_t trial,
    int32_t step, double value)
{
	uint32_t	 p;

	if (sp->kind != RUNG_SAMPLER_TPE || trial >= sp->ntrials)
		return;
	p = sp->bytrial[trial];
	if (p == UNSET)
		return;
	if (!sp->used[p])
		use(sp, p);
	if (isnan(value))
		value = INFINITY;
	if (sp->step[p] == NOSTEP)
		sp->nobs++;
	else if (step < sp->step[p] ||
	    (step == sp->step[p] && value == sp->val[p]))
		return;
	sp->step[p] = step;
	sp->val[p] = value;
	sp->dirty = 1;
}

/* Log density of column c's estimator over the configurations list[]. */
static void
fit_set(struct rung_sampler_state *sp, struct column *c,
    const uint32_t *list, uint32_t nlist, double *d)
{
	uint32_t	 i, u, m = 0;

	for (i = 0; i < nlist; i++) {
		u = c->uidx[list[i]];
		if (u == UNSET && c->kind != COL_CAT)
			continue;	/* left out of this parameter */
		if (c->kind == COL_CAT)
			sp->cats[m] = u;
		else
			sp->mu[m] = c->uv[u];
		m++;
	}
	pz_fit(&c->pz, sp->mu, sp->cats, m);
	pz_density(&c->pz, c->uv, c->ua, c->ub, c->nu, d);
	for (u = 0; u < c->nu; u++)
		d[u] = log(d[u]);
}

static void
refit(struct rung_sampler_state *sp)
{
	struct column	*c;
	uint32_t	 i, p, n = 0, nb, *tmp;
	int		 b, changed[2];

	for (i = 0; i < sp->nused; i++) {
		p = sp->picked[i];
		if (sp->step[p] == NOSTEP)
			continue;
		sp->rk[n].step = sp->step[p];
		sp->rk[n].val = sp->val[p];
		sp->rk[n].seq = i;
		sp->rk[n].id = p;
		n++;
	}
	nb = pz_split(sp->rk, n);
	for (i = 0; i < n; i++)
		sp->below[sp->rk[i].id] = i < nb;

	sp->nset[0] = sp->nset[1] = 0;
	for (i = 0; i < sp->nused; i++) {
		p = sp->picked[i];
		if (sp->step[p] == NOSTEP)
			continue;
		b = sp->below[p];
		sp->set[b][sp->nset[b]++] = p;
	}
	for (b = 0; b < 2; b++) {
		changed[b] = !sp->fitted || sp->nset[b] != sp->nlast[b] ||
		    memcmp(sp->set[b], sp->last[b], sp->nset[b] *
		    sizeof *sp->set[b]) != 0;
		tmp = sp->last[b];
		sp->last[b] = sp->set[b];
		sp->set[b] = tmp;
		sp->nlast[b] = sp->nset[b];
	}
	sp->fitted = 1;
	sp->dirty = 0;
	if (!changed[0] && !changed[1])
		return;

	for (i = 0; i < sp->ncols; i++) {
		c = &sp->cols[i];
		if (c->kind == COL_SKIP)
			continue;
		if (changed[1])
			fit_set(sp, c, sp->last[1], sp->nlast[1], c->dl);
		if (changed[0])
			fit_set(sp, c, sp->last[0], sp->nlast[0], c->dg);
		for (p = 0; p < c->nu; p++)
			c->score[p] = c->dl[p] - c->dg[p];
	}
}

static uint32_t
tpe_best(struct rung_sampler_state *sp)
{
	const struct column	*c;
	uint32_t		 i, j, p, u, best = UNSET;
	double			 sc, top = -INFINITY;

	if (sp->dirty)
		refit(sp);
	for (i = sp->next; i < sp->npool; i++) {
		p = sp->order[i];
		if (sp->used[p])
			continue;
		sc = 0;
		for (j = 0; j < sp->ncols; j++) {
			c = &sp->cols[j];
			if (c->kind == COL_SKIP)
				continue;
			u = c->uidx[p];
			if (u != UNSET)
				sc += c->score[u];
		}
		if (isnan(sc))
			sc = -INFINITY;
		if (best == UNSET || sc > top) {
			best = p;
			top = sc;
		}
	}
	return best;
}

int
rung_sampler_use(struct rung_sampler_state *sp, uint32_t p)
{
	if (p >= sp->npool || sp->used[p])
		return -1;
	use(sp, p);
	return 0;
}

uint32_t
rung_sampler_pick(struct rung_sampler_state *sp)
{
	uint32_t	 p;

	while (sp->next < sp->npool && sp->used[sp->order[sp->next]])
		sp->next++;
	if (sp->next == sp->npool)
		return UNSET;
	if (sp->kind == RUNG_SAMPLER_TPE && sp->nobs >= RUNG_TPE_STARTUP)
		p = tpe_best(sp);
	else
		p = sp->order[sp->next];
	use(sp, p);
	return p;
}
