/*
 * fANOVA on a random forest (Hutter, Hoos and Leyton-Brown, "An Efficient
 * Approach for Assessing Hyperparameter Importance", ICML 2014), as
 * Optuna's FanovaImportanceEvaluator (its default) computes it:
 *
 * - the trials that set every parameter and have a value; a categorical
 *   parameter is one-hot columns in [0, 1], a numerical one its values as
 *   they are (log-scaled ones too) in [min, max] of the values taken;
 * - a forest of 64 regression trees as scikit-learn grows them: each on a
 *   bootstrap sample, split after split on the column and threshold (the
 *   midpoint of two neighbouring values) that most lower the squared
 *   error, every column tried at each node in a random order, down to
 *   nodes of one sample or one value, 64 levels at most;
 * - in each tree, the variance of its prediction over the search space
 *   (the leaves' values weighted by their boxes' volumes), and a
 *   parameter's share of it: the variance, over the cells its columns'
 *   split points cut the space into, of the prediction averaged over the
 *   other columns;
 * - a parameter's importance is its mean share over the trees whose
 *   variance is not 0, normalised so that the parameters' sum to 1.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/importance.h"
#include "rung/rng.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#define FOREST_TREES	64
#define FOREST_DEPTH	64
/*
 * scikit-learn's trees hold the data as float32 and do not split between
 * two values closer than this (FEATURE_THRESHOLD): a learning rate of
 * 1e-8 to 1e-5 is one value to them. So here, or the shares differ from
 * Optuna's where values are that small.
 */
#define FEATURE_EPS	1e-7
/*
 * A parameter's cells in a tree are a product of split points (a
 * categorical parameter's one-hot columns split on, k of them, make 2^k),
 * and each is a walk of the tree: cells times nodes is bounded, so that a
 * categorical of hundreds of levels costs seconds, not hours.
 */
#define FANOVA_WORK	(1ull << 25)

struct node {
	int32_t		 col;		/* -1: a leaf */
	double		 thr;
	uint32_t	 left, right;
	double		 value;		/* the mean of its samples */
	double		 stat_v, stat_w;	/* fANOVA: value, volume */
	uint8_t		*active;	/* columns split below it */
};

struct tree {
	struct node	*n;
	uint32_t	 nn, cap;
	double		 variance;
};

/* The data: n rows of ncol columns, and the bounds of each column. */
struct data {
	uint32_t	 n, ncol;
	double		*x;		/* n x ncol */
	double		*y;
	double		*lo, *hi;
};

struct grow {
	const struct data *d;
	struct rung_rng	*rng;
	double		*w;		/* bootstrap counts */
	uint32_t	*idx;		/* the rows in play, by node ranges */
	uint32_t	*tmp;
	uint32_t	*cols;
	double		*key;
};

static uint32_t
node_new(struct tree *t)
{
	if (t->nn == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->n = xreallocarray(t->n, t->cap, sizeof *t->n);
	}
	memset(&t->n[t->nn], 0, sizeof t->n[t->nn]);
	t->n[t->nn].col = -1;
	return t->nn++;
}

static const double *sort_key;

static int
cmp_key(const void *a, const void *b)
{
	double	 x = sort_key[*(const uint32_t *)a];
	double	 y = sort_key[*(const uint32_t *)b];

	return x < y ? -1 : x > y;
}

/* The best split of a node so far. */
struct split {
	double		 proxy;		/* -INFINITY: none yet */
	double		 thr;
	uint32_t	 col;
};

/*
 * The split of column c between values a < b, with lw, ly the weight and
 * weighted sum of y at or below a, of sw, sy in all: kept if it lowers
 * the squared error most so far (the first of equals kept). The threshold
 * is scikit-learn's midpoint, never b itself.
 */
static void
consider(struct split *sp, uint32_t c, double a, double b, double lw,
    double ly, double sw, double sy)
{
	double	 proxy = ly * ly / lw + (sy - ly) * (sy - ly) / (sw - lw);

	if (proxy > sp->proxy) {
		sp->proxy = proxy;
		sp->col = c;
		sp->thr = a / 2.0 + b / 2.0;
		if (sp->thr == b || isinf(sp->thr))
			sp->thr = a;
	}
}

/* Grow the node of rows idx[lo..hi) at depth; its index. */
static uint32_t
grow(struct grow *g, struct tree *t, uint32_t lo, uint32_t hi, int depth)
{
	const struct data *d = g->d;
	struct split	 best = { -INFINITY, 0, 0 };
	uint32_t	 me = node_new(t), i, k, c, nrows = hi - lo, best_at, r;
	double		 sw = 0, sy = 0, lw, ly, a, b;
	int		 same = 1;

	for (i = lo; i < hi; i++) {
		r = g->idx[i];
		sw += g->w[r];
		sy += g->w[r] * d->y[r];
		same &= d->y[r] == d->y[g->idx[lo]];
	}
	t->n[me].value = sy / sw;
	/* A node of one row, or of one value, is a leaf. */
	if (nrows < 2 || depth >= FOREST_DEPTH || same)
		return me;

	/* Every column, in a random order; the first best kept. */
	for (c = 0; c < d->ncol; c++)
		g->cols[c] = c;
	rung_rng_shuffle(g->rng, g->cols, d->ncol);
	for (k = 0; k < d->ncol; k++) {
		double	 vmin = INFINITY, vmax = -INFINITY, v;
		int	 two = 1;

		c = g->cols[k];
		for (i = lo; i < hi; i++) {
			v = d->x[(size_t)g->idx[i] * d->ncol + c];
			g->key[g->idx[i]] = v;
			vmin = fmin(vmin, v);
			vmax = fmax(vmax, v);
		}
		if (vmax <= vmin + FEATURE_EPS)
			continue;	/* one value: no split */
		/*
		 * Two values (a one-hot column always): the one split,
		 * without sorting; a categorical parameter of many levels is
		 * many such columns.
		 */
		for (i = lo; i < hi && two; i++) {
			v = g->key[g->idx[i]];
			two = v == vmin || v == vmax;
		}
		if (two) {
			lw = ly = 0;
			for (i = lo; i < hi; i++) {
				r = g->idx[i];
				if (g->key[r] == vmin) {
					lw += g->w[r];
					ly += g->w[r] * d->y[r];
				}
			}
			consider(&best, c, vmin, vmax, lw, ly, sw, sy);
			continue;
		}
		memcpy(g->tmp, g->idx + lo, nrows * sizeof *g->tmp);
		sort_key = g->key;
		qsort(g->tmp, nrows, sizeof *g->tmp, cmp_key);
		lw = ly = 0;
		for (i = 0; i + 1 < nrows; i++) {
			r = g->tmp[i];
			lw += g->w[r];
			ly += g->w[r] * d->y[r];
			a = g->key[r];
			b = g->key[g->tmp[i + 1]];
			if (b > a + FEATURE_EPS)
				consider(&best, c, a, b, lw, ly, sw, sy);
		}
	}
	if (best.proxy == -INFINITY)
		return me;
	/* Partition the rows: those at or below the threshold first. */
	for (i = lo, k = 0; i < hi; i++) {
		r = g->idx[i];
		if (d->x[(size_t)r * d->ncol + best.col] <= best.thr)
			g->tmp[k++] = r;
	}
	best_at = k;
	for (i = lo; i < hi; i++) {
		r = g->idx[i];
		if (d->x[(size_t)r * d->ncol + best.col] > best.thr)
			g->tmp[k++] = r;
	}
	memcpy(g->idx + lo, g->tmp, nrows * sizeof *g->idx);
	t->n[me].col = (int32_t)best.col;
	t->n[me].thr = best.thr;
	k = grow(g, t, lo, lo + best_at, depth + 1);
	t->n[me].left = k;
	k = grow(g, t, lo + best_at, hi, depth + 1);
	t->n[me].right = k;
	return me;
}

/* The volume of a box. */
static double
volume(const double *lo, const double *hi, uint32_t ncol)
{
	double	 v = 1;
	uint32_t c;

	for (c = 0; c < ncol; c++)
		v *= hi[c] - lo[c];
	return v;
}

/*
 * Each node's value and volume over the whole space (a leaf's: its value
 * and its box's volume; an inner node's: its children's, volume-weighted),
 * and the columns split below it.
 */
static void
precompute(struct tree *t, uint32_t me, const struct data *d, double *lo,
    double *hi)
{
	struct node	*n = &t->n[me];
	uint32_t	 c = (uint32_t)n->col, l, r;
	double		 save;

	n->active = xcalloc(d->ncol, 1);
	if (n->col < 0) {
		n->stat_v = n->value;
		n->stat_w = volume(lo, hi, d->ncol);
		return;
	}
	l = n->left;
	r = n->right;
	save = hi[c];
	hi[c] = n->thr;
	precompute(t, l, d, lo, hi);
	hi[c] = save;
	save = lo[c];
	lo[c] = t->n[me].thr;
	precompute(t, r, d, lo, hi);
	lo[c] = save;
	n = &t->n[me];
	n->stat_w = t->n[l].stat_w + t->n[r].stat_w;
	n->stat_v = n->stat_w > 0 ? (t->n[l].stat_v * t->n[l].stat_w +
	    t->n[r].stat_v * t->n[r].stat_w) / n->stat_w :
	    0.5 * (t->n[l].stat_v + t->n[r].stat_v);
	for (c = 0; c < d->ncol; c++)
		n->active[c] = t->n[l].active[c] | t->n[r].active[c];
	n->active[n->col] = 1;
}

static void
tree_variance(struct tree *t)
{
	double	 sw = 0, sv = 0, var = 0;
	uint32_t i;

	for (i = 0; i < t->nn; i++) {
		if (t->n[i].col >= 0)
			continue;
		sw += t->n[i].stat_w;
		sv += t->n[i].stat_w * t->n[i].stat_v;
	}
	for (i = 0; i < t->nn && sw > 0; i++) {
		if (t->n[i].col >= 0)
			continue;
		var += t->n[i].stat_w * (t->n[i].stat_v - sv / sw) *
		    (t->n[i].stat_v - sv / sw);
	}
	t->variance = sw > 0 ? var / sw : 0;
}

/*
 * The prediction at point x (NaN: averaged over that column), and the
 * weight of the nodes it reaches: their volume over the columns averaged
 * over. lo/hi: the box so far, over the columns given only.
 */
/*
 * What the walk of a tree for one parameter's columns needs: the columns
 * (given[c] set for them), and for each node whether one of them is split
 * below it.
 */
struct walk {
	const struct tree *t;
	const uint32_t	*cols;
	uint32_t	 k;
	const uint8_t	*given;
	uint8_t		*hot;
	const double	*x;
	double		*lo, *hi;
	double		 sv, sw;
};

static void
marginal(struct walk *m, uint32_t me)
{
	const struct node *n = &m->t->n[me];
	double	 save, card, w;
	uint32_t c, j;

	if (n->col >= 0) {
		c = (uint32_t)n->col;
		if (m->given[c]) {
			if (m->x[c] <= n->thr) {
				save = m->hi[c];
				m->hi[c] = n->thr;
				marginal(m, n->left);
				m->hi[c] = save;
			} else {
				save = m->lo[c];
				m->lo[c] = n->thr;
				marginal(m, n->right);
				m->lo[c] = save;
			}
			return;
		}
		if (m->hot[me]) {
			marginal(m, n->left);
			marginal(m, n->right);
			return;
		}
	}
	card = 1;
	for (j = 0; j < m->k; j++) {
		c = m->cols[j];
		card *= m->hi[c] - m->lo[c];
	}
	w = n->stat_w / card;
	m->sv += w * n->stat_v;
	m->sw += w;
}

/* The split points of column c in the tree, sorted, unique. */
static uint32_t
splits(const struct tree *t, uint32_t c, double **out)
{
	double	*v = NULL;
	uint32_t i, n = 0, k;

	for (i = 0; i < t->nn; i++) {
		if (t->n[i].col == (int32_t)c) {
			v = xreallocarray(v, n + 1, sizeof *v);
			v[n++] = t->n[i].thr;
		}
	}
	if (n > 1)
		qsort(v, n, sizeof *v, rung_cmp_double);
	for (i = k = 0; i < n; i++) {
		if (k == 0 || v[i] != v[k - 1])
			v[k++] = v[i];
	}
	*out = v;
	return k;
}

/*
 * The variance, over the cells the split points of columns cols[0..k) cut
 * their space into, of the prediction averaged over the other columns.
 * -1 when the cells are too many.
 */
static double
marginal_variance(const struct tree *t, const struct data *d,
    const uint32_t *cols, uint32_t k)
{
	struct walk	 m;
	double	**sp, *x, *lo, *hi, w, sumw = 0, sumv = 0, sumvv = 0;
	double	 a, b;
	uint32_t *ns, *at, i, j;
	uint8_t	*given, *hot;
	uint64_t ncells = 1;

	sp = xcalloc(k, sizeof *sp);
	ns = xcalloc(k, sizeof *ns);
	at = xcalloc(k, sizeof *at);
	x = xcalloc(d->ncol, sizeof *x);
	lo = xcalloc(d->ncol, sizeof *lo);
	hi = xcalloc(d->ncol, sizeof *hi);
	given = xcalloc(d->ncol, 1);
	hot = xcalloc(t->nn ? t->nn : 1, 1);
	for (i = 0; i < t->nn; i++) {
		for (j = 0; j < k && !hot[i]; j++)
			hot[i] = t->n[i].active[cols[j]];
	}
	m = (struct walk){ .t = t, .cols = cols, .k = k, .given = given,
	    .hot = hot, .x = x, .lo = lo, .hi = hi };
	for (i = 0; i < k; i++) {
		ns[i] = splits(t, cols[i], &sp[i]) + 1;	/* cells */
		/* Saturated: 2^k cells of a wide one-hot overflow. */
		if (ncells <= FANOVA_WORK)
			ncells *= ns[i];
		given[cols[i]] = 1;
	}
	if (ncells > FANOVA_WORK || ncells * (t->nn ? t->nn : 1) >
	    FANOVA_WORK) {
		sumw = -1;
		goto out;
	}
	for (;;) {
		w = 1;
		for (i = 0; i < k; i++) {
			j = at[i];
			a = j == 0 ? d->lo[cols[i]] : sp[i][j - 1];
			b = j == ns[i] - 1 ? d->hi[cols[i]] : sp[i][j];
			x[cols[i]] = 0.5 * (a + b);
			w *= b - a;
		}
		for (i = 0; i < k; i++) {
			lo[cols[i]] = d->lo[cols[i]];
			hi[cols[i]] = d->hi[cols[i]];
		}
		m.sv = m.sw = 0;
		marginal(&m, 0);
		if (m.sw > 0) {
			w *= m.sw;
			sumw += w;
			sumv += w * (m.sv / m.sw);
			sumvv += w * (m.sv / m.sw) * (m.sv / m.sw);
		}
		/* The next cell: a counter in mixed radix. */
		for (i = 0; i < k && ++at[i] == ns[i]; i++)
			at[i] = 0;
		if (i == k)
			break;
	}
out:
	for (i = 0; i < k; i++)
		free(sp[i]);
	free(sp);
	free(ns);
	free(at);
	free(x);
	free(lo);
	free(hi);
	free(given);
	free(hot);
	if (sumw < 0)
		return -1;
	if (!(sumw > 0))
		return 0;
	a = sumvv / sumw - (sumv / sumw) * (sumv / sumw);
	return a > 0 ? a : 0;
}

static void
tree_release(struct tree *t)
{
	uint32_t i;

	for (i = 0; i < t->nn; i++)
		free(t->n[i].active);
	free(t->n);
}

int
rung_fanova(const struct rung_study *s, const double *y, uint64_t seed,
    const uint8_t *use, struct rung_importance *im, char **cause)
{
	struct data	 d = { 0 };
	struct grow	 g = { 0 };
	struct rung_rng	 rng;
	struct tree	 t;
	const struct rung_param *p;
	uint32_t	*used, *col0, *ncols, *pcols, nused = 0, t_, i, c, r, k;
	uint32_t	 ntrees = 0, np = 0;
	double		*lo, *hi, *sum, v, *lob = NULL, *hib = NULL;
	uint8_t		*toomany;
	double		*blo = NULL, *bhi = NULL;
	int		 ret = -1, ok;

	memset(im, 0, sizeof *im);
	im->nparams = s->nparams;
	im->share = xcalloc(s->nparams ? s->nparams : 1, sizeof *im->share);
	im->nset = xcalloc(s->nparams ? s->nparams : 1, sizeof *im->nset);
	lo = xcalloc(s->nparams ? s->nparams : 1, sizeof *lo);
	hi = xcalloc(s->nparams ? s->nparams : 1, sizeof *hi);
	col0 = xcalloc(s->nparams ? s->nparams : 1, sizeof *col0);
	ncols = xcalloc(s->nparams ? s->nparams : 1, sizeof *ncols);
	sum = xcalloc(s->nparams ? s->nparams : 1, sizeof *sum);
	used = xcalloc(s->ntrials ? s->ntrials : 1, sizeof *used);
	toomany = xcalloc(s->nparams ? s->nparams : 1, 1);

	/*
	 * The parameters with two values or more among the trials with a
	 * value; then the trials that set all of them (as Optuna keeps).
	 */
	for (i = 0; i < s->nparams; i++) {
		p = &s->params[i];
		lo[i] = INFINITY;
		hi[i] = -INFINITY;
		for (t_ = 0; t_ < s->ntrials; t_++) {
			if (!isfinite(y[t_]))
				continue;
			v = p->type == RUNG_PCAT ? (p->cat[t_] == UINT32_MAX ?
			    NAN : (double)p->cat[t_]) : p->num[t_];
			if (!isfinite(v))
				continue;
			im->nset[i]++;
			lo[i] = fmin(lo[i], v);
			hi[i] = fmax(hi[i], v);
		}
		im->share[i] = lo[i] < hi[i] && (use == NULL || use[i]) ? 0 :
		    NAN;
		if (!isnan(im->share[i])) {
			col0[i] = d.ncol;
			ncols[i] = p->type == RUNG_PCAT ? p->nlevels : 1;
			d.ncol += ncols[i];
			np++;
		}
	}
	for (t_ = 0; t_ < s->ntrials; t_++) {
		if (!isfinite(y[t_]))
			continue;
		for (ok = 1, i = 0; i < s->nparams && ok; i++) {
			p = &s->params[i];
			if (isnan(im->share[i]))
				continue;
			ok = p->type == RUNG_PCAT ? p->cat[t_] != UINT32_MAX :
			    isfinite(p->num[t_]);
		}
		if (ok)
			used[nused++] = t_;
	}
	im->ntrials = nused;
	if (np == 0 || nused < 2) {
		xasprintf(cause, "%u trial%s set every parameter and have a "
		    "value: fANOVA needs 2 at least, and a parameter of two "
		    "values", nused, nused == 1 ? "" : "s");
		goto out;
	}

	d.n = nused;
	d.x = xcalloc((size_t)nused * d.ncol, sizeof *d.x);
	d.y = xcalloc(nused, sizeof *d.y);
	d.lo = lob = xcalloc(d.ncol, sizeof *d.lo);
	d.hi = hib = xcalloc(d.ncol, sizeof *d.hi);
	for (i = 0; i < s->nparams; i++) {
		if (isnan(im->share[i]))
			continue;
		for (c = 0; c < ncols[i]; c++) {
			lob[col0[i] + c] = s->params[i].type == RUNG_PCAT ? 0 :
			    (double)(float)lo[i];
			hib[col0[i] + c] = s->params[i].type == RUNG_PCAT ? 1 :
			    (double)(float)hi[i];
		}
	}
	for (r = 0; r < nused; r++) {
		t_ = used[r];
		d.y[r] = y[t_];
		for (i = 0; i < s->nparams; i++) {
			p = &s->params[i];
			if (isnan(im->share[i]))
				continue;
			if (p->type == RUNG_PCAT)
				d.x[(size_t)r * d.ncol + col0[i] + p->cat[t_]] = 1;
			else	/* as scikit-learn holds it */
				d.x[(size_t)r * d.ncol + col0[i]] =
				    (double)(float)p->num[t_];
		}
	}

	rung_rng_seed(&rng, seed);
	g.d = &d;
	g.rng = &rng;
	g.w = xcalloc(nused, sizeof *g.w);
	g.idx = xcalloc(nused, sizeof *g.idx);
	g.tmp = xcalloc(nused, sizeof *g.tmp);
	g.cols = xcalloc(d.ncol, sizeof *g.cols);
	g.key = xcalloc(nused, sizeof *g.key);
	pcols = xcalloc(d.ncol, sizeof *pcols);
	blo = xcalloc(d.ncol, sizeof *blo);
	bhi = xcalloc(d.ncol, sizeof *bhi);
	for (k = 0; k < FOREST_TREES; k++) {
		/* A bootstrap sample: counts as weights, drawn rows in play. */
		memset(g.w, 0, nused * sizeof *g.w);
		for (r = 0; r < nused; r++)
			g.w[rung_rng_next(&rng) % nused] += 1;
		for (r = c = 0; r < nused; r++) {
			if (g.w[r] > 0)
				g.idx[c++] = r;
		}
		memset(&t, 0, sizeof t);
		grow(&g, &t, 0, c, 0);
		memcpy(blo, d.lo, d.ncol * sizeof *blo);
		memcpy(bhi, d.hi, d.ncol * sizeof *bhi);
		precompute(&t, 0, &d, blo, bhi);
		tree_variance(&t);
		if (t.variance > 0) {
			ntrees++;
			for (i = 0; i < s->nparams; i++) {
				if (isnan(im->share[i]))
					continue;
				for (c = 0; c < ncols[i]; c++)
					pcols[c] = col0[i] + c;
				if (toomany[i])
					continue;
				v = marginal_variance(&t, &d, pcols, ncols[i]);
				if (v < 0) {
					toomany[i] = 1;
					continue;
				}
				sum[i] += v / t.variance;
			}
		}
		tree_release(&t);
	}
	free(pcols);
	for (i = 0; i < s->nparams; i++) {
		if (!toomany[i] || isnan(im->share[i]))
			continue;
		im->share[i] = NAN;
		np--;
		free(im->note);
		xasprintf(&im->note, "parameter '%s': its %u levels cut the "
		    "space into more cells than fANOVA can go through: no "
		    "share (--params leaves it out of the forest)",
		    s->params[i].name, ncols[i]);
	}
	if (ntrees == 0) {
		xasprintf(cause, "the values of the %u trials do not vary: "
		    "fANOVA has nothing to share out", nused);
		goto out_forest;
	}
	for (v = 0, i = 0; i < s->nparams; i++) {
		if (!isnan(im->share[i]))
			v += sum[i] / ntrees;
	}
	for (i = 0; i < s->nparams; i++) {
		if (!isnan(im->share[i]))
			im->share[i] = v > 0 ? sum[i] / ntrees / v :
			    np > 0 ? 1.0 / np : NAN;
	}
	ret = 0;
out_forest:
	free(blo);
	free(bhi);
	free(g.w);
	free(g.idx);
	free(g.tmp);
	free(g.cols);
	free(g.key);
	free(d.x);
	free(d.y);
	free(lob);
	free(hib);
out:
	free(lo);
	free(hi);
	free(col0);
	free(ncols);
	free(sum);
	free(used);
	free(toomany);
	if (ret != 0) {
		free(im->share);
		free(im->nset);
		free(im->note);
		memset(im, 0, sizeof *im);
	}
	return ret;
}
