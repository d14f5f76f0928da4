/*
 * The pool samplers of a replay: a seeded random order, and TPE scoring
 * the unused configurations of the pool (include/rung/sampler.h has the
 * choices). Each hyperparameter's pool column is reduced once to its
 * distinct values, so a refit evaluates the kernels at those values only
 * and a pick is a sum of table lookups per configuration.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/predict.h"
#include "rung/sampler.h"
#include "rung/study.h"
#include "rung/xmalloc.h"

#define PRIOR_WEIGHT	1.0
#define FLAT		25	/* default_weights: the newest weigh 1 */
#define MAGIC_CLIP	100.0
#define CUTOFF		10.0	/* kernels are left out beyond, in sigmas */
#define NOSTEP		INT32_MIN
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
	double		*dl;		/* log density below, above */
	double		*dg;
	double		*score;		/* log l - log g per value */
};

struct rank {
	int32_t		 step;
	double		 val;		/* NaN as +inf */
	uint32_t	 seq;
	uint32_t	 p;
};

struct kern {
	double		 v;
	uint32_t	 i;
};

struct rung_sampler_state {
	enum rung_sampler kind;
	uint32_t	 npool;
	uint32_t	*order;		/* pool indices, seeded order */
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
	struct rank	*rk;
	uint8_t		*below;
	double		*mu;
	double		*sg;
	double		*w;
	uint32_t	*cats;
	struct kern	*ks;
};

static int
kern_cmp(const void *a, const void *b)
{
	const struct kern	*x = a, *y = b;

	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

static int
rank_cmp(const void *a, const void *b)
{
	const struct rank	*x = a, *y = b;

	if (x->step != y->step)
		return x->step > y->step ? -1 : 1;
	if (x->val != y->val)
		return x->val < y->val ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Phi(b) - Phi(a), a <= b, keeping precision in either tail. */
static double
gauss_mass(double a, double b)
{
	if (a >= 0)
		return 0.5 * (erfc(a * M_SQRT1_2) - erfc(b * M_SQRT1_2));
	if (b <= 0)
		return 0.5 * (erfc(-b * M_SQRT1_2) - erfc(-a * M_SQRT1_2));
	return 1 - 0.5 * erfc(-a * M_SQRT1_2) - 0.5 * erfc(b * M_SQRT1_2);
}

static int
dbl_cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* d[i] += coef e^(-z^2 / 2), z = (v[i] - mu) inv, for i < n. */
static void
add_gauss(double *restrict d, const double *restrict v, uint32_t n,
    double mu, double inv, double coef)
{
	uint32_t	 i;
	double		 z;

	for (i = 0; i < n; i++) {
		z = (v[i] - mu) * inv;
		d[i] += coef * exp(-0.5 * z * z);
	}
}

/* First index of v[0 .. n) (ascending) with v >= x. */
static uint32_t
lower_bound(const double *v, uint32_t n, double x)
{
	uint32_t	 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* First index of v[0 .. n) (ascending) with v > x. */
static uint32_t
upper_bound(const double *v, uint32_t n, double x)
{
	uint32_t	 lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
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
		c->uidx[i] = lower_bound(raw, u, x);
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

struct rung_sampler_state *
rung_sampler_new(const struct rung_study *s, const uint32_t *pool,
    uint32_t npool, enum rung_sampler kind, uint64_t seed)
{
	struct rung_sampler_state	*sp;
	struct rung_rng			 rng;
	struct column			*c;
	uint32_t			 i, n1 = npool + 1;

	sp = xcalloc(1, sizeof *sp);
	sp->kind = kind;
	sp->npool = npool;
	sp->order = xreallocarray(NULL, n1, sizeof *sp->order);
	for (i = 0; i < npool; i++)
		sp->order[i] = i;
	rung_rng_seed(&rng, seed);
	rung_rng_shuffle(&rng, sp->order, npool);
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
	sp->sg = xreallocarray(NULL, n1, sizeof *sp->sg);
	sp->w = xreallocarray(NULL, n1, sizeof *sp->w);
	sp->cats = xreallocarray(NULL, n1, sizeof *sp->cats);
	for (i = 0; i < 2; i++) {
		sp->set[i] = xreallocarray(NULL, n1, sizeof *sp->set[i]);
		sp->last[i] = xreallocarray(NULL, n1, sizeof *sp->last[i]);
	}
	sp->ks = xreallocarray(NULL, n1, sizeof *sp->ks);

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
		c->dl = xreallocarray(NULL, c->nu, sizeof *c->dl);
		c->dg = xreallocarray(NULL, c->nu, sizeof *c->dg);
		c->score = xcalloc(c->nu, sizeof *c->score);
	}
	return sp;
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
	}
	free(sp->cols);
	free(sp->order);
	free(sp->used);
	free(sp->bytrial);
	free(sp->step);
	free(sp->val);
	free(sp->picked);
	free(sp->rk);
	free(sp->below);
	free(sp->mu);
	free(sp->sg);
	free(sp->w);
	free(sp->cats);
	for (i = 0; i < 2; i++) {
		free(sp->set[i]);
		free(sp->last[i]);
	}
	free(sp->ks);
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

/*
 * default_weights(n) for the i-th oldest of n: flat below FLAT, else a
 * ramp from 1/n to 1 over the oldest n - FLAT (numpy's linspace).
 */
static double
weight(uint32_t i, uint32_t n)
{
	uint32_t	 nr;
	double		 start;

	if (n < FLAT)
		return 1;
	nr = n - FLAT;
	if (i >= nr)
		return 1;
	start = 1.0 / n;
	if (nr == 1)
		return start;
	if (i == nr - 1)
		return 1;
	return start + (double)i * ((1.0 - start) / (nr - 1));
}

/*
 * Density at each distinct value of a numeric column of the mixture of
 * the m kernels at mu[] (weights w[]) and the prior.
 */
static void
density_numeric(struct rung_sampler_state *sp, const struct column *c,
    uint32_t m, double *d)
{
	double		*mu = sp->mu, *sg = sp->sg, *w = sp->w;
	double		 range = c->high - c->low, minsg, W = PRIOR_WEIGHT;
	double		 e0, e1, e2, s, coef, Z, a, b;
	uint32_t	 k, j, u, lo, hi, n1 = m + 1;

	/* Sigmas: neighbour distances among the centres and the prior's. */
	for (k = 0; k < m; k++) {
		sp->ks[k].v = mu[k];
		sp->ks[k].i = k;
		W += w[k];
	}
	sp->ks[m].v = 0.5 * (c->low + c->high);
	sp->ks[m].i = m;
	qsort(sp->ks, n1, sizeof *sp->ks, kern_cmp);
	minsg = range / fmin(MAGIC_CLIP, (double)m + 2);
	for (j = 0; j < n1 && m > 0; j++) {
		e0 = j == 0 ? c->low : sp->ks[j - 1].v;
		e1 = sp->ks[j].v;
		e2 = j == n1 - 1 ? c->high : sp->ks[j + 1].v;
		if (j == 0)
			s = e2 - e1;		/* consider_endpoints off */
		else if (j == n1 - 1)
			s = e1 - e0;
		else
			s = fmax(e1 - e0, e2 - e1);
		if (sp->ks[j].i < m)
			sg[sp->ks[j].i] = fmin(fmax(s, minsg), range);
	}
	mu[m] = 0.5 * (c->low + c->high);
	sg[m] = range;
	w[m] = PRIOR_WEIGHT;

	memset(d, 0, c->nu * sizeof *d);
	for (k = 0; k < n1; k++) {
		Z = gauss_mass((c->low - mu[k]) / sg[k],
		    (c->high - mu[k]) / sg[k]);
		if (!(Z > 0))
			continue;
		lo = lower_bound(c->ub, c->nu, mu[k] - CUTOFF * sg[k]);
		hi = upper_bound(c->ua, c->nu, mu[k] + CUTOFF * sg[k]);
		if (c->kind == COL_REAL) {
			coef = w[k] / (W * sg[k] * Z) * (0.5 * M_2_SQRTPI *
			    M_SQRT1_2);
			if (lo < hi)
				add_gauss(d + lo, c->uv + lo, hi - lo, mu[k],
				    1 / sg[k], coef);
		} else {
			coef = w[k] / (W * Z);
			for (u = lo; u < hi; u++) {
				a = (c->ua[u] - mu[k]) / sg[k];
				b = (c->ub[u] - mu[k]) / sg[k];
				d[u] += coef * gauss_mass(a, b);
			}
		}
	}
}

/* Category probabilities: m kernels of categories cat[] weights w[]. */
static void
density_categorical(struct rung_sampler_state *sp, const struct column *c,
    uint32_t m, const uint32_t *cat, double *d)
{
	double		*w = sp->w, p, norm, W = PRIOR_WEIGHT, sw = 0;
	uint32_t	 k, u, C = c->nu;

	memset(d, 0, C * sizeof *d);
	p = PRIOR_WEIGHT / (m + 1);
	norm = C * p + 1;
	for (k = 0; k < m; k++) {
		d[cat[k]] += w[k] / norm;
		sw += w[k];
	}
	W += sw;
	for (u = 0; u < C; u++)
		d[u] = (d[u] + sw * p / norm + PRIOR_WEIGHT / C) / W;
}

/* Log density of column c's estimator over the configurations list[]. */
static void
fit_set(struct rung_sampler_state *sp, struct column *c,
    const uint32_t *list, uint32_t nlist, double *d)
{
	uint32_t	 i, u, m = 0, n = 0;

	for (i = 0; i < nlist; i++) {
		if (c->uidx[list[i]] != UNSET || c->kind == COL_CAT)
			n++;		/* else left out of this parameter */
	}
	for (i = 0; i < nlist; i++) {
		u = c->uidx[list[i]];
		if (u == UNSET && c->kind != COL_CAT)
			continue;
		sp->w[m] = weight(m, n);
		if (c->kind == COL_CAT)
			sp->cats[m] = u;
		else
			sp->mu[m] = c->uv[u];
		m++;
	}
	if (c->kind == COL_CAT)
		density_categorical(sp, c, m, sp->cats, d);
	else
		density_numeric(sp, c, m, d);
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
		sp->rk[n].p = p;
		n++;
	}
	qsort(sp->rk, n, sizeof *sp->rk, rank_cmp);
	nb = (uint32_t)ceil(0.1 * n);
	if (nb > RUNG_TPE_GAMMA_MAX)
		nb = RUNG_TPE_GAMMA_MAX;
	for (i = 0; i < n; i++)
		sp->below[sp->rk[i].p] = i < nb;

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
