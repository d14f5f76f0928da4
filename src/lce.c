/*
 * Learning-curve extrapolation (lce.md 2 and 3): each family's shape on a
 * small grid, its two linear coefficients by least squares, the best grid
 * point per family kept and the families ranked by residual sum of
 * squares.
 *
 * Why grids and not an optimiser: a policy fits a trial at every
 * checkpoint of every replay, thousands of times a second, and must give
 * the same answer on every machine; a grid of a few dozen shapes costs a
 * pass over the points each and has no starting point to depend on.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "rung/lce.h"
#include "rung/xmalloc.h"

/*
 * The prototype's grids (lce.md 2) for pow3 and exp3; the rest span the
 * midpoints and rates of curves of tens to thousands of steps.
 */
static const double pow3_b[] = { 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2 };
static const double exp3_b[] = { 0.02, 0.05, 0.1, 0.2, 0.4 };
static const double logpow_b[] = { 0, 1, 2, 3, 4, 5 };	/* ln midpoint */
static const double logpow_k[] = { 0.5, 1, 2 };
static const double jan_k[] = { 0.01, 0.03, 0.1, 0.3, 1 };
static const double jan_d[] = { 0.5, 1, 1.5 };
static const double wei_k[] = { 0.01, 0.03, 0.1, 0.3 };
static const double wei_d[] = { 0.5, 1, 2 };

#define NITEMS(a) (sizeof (a) / sizeof *(a))

/* The families' grids, in the order of the basis cache. */
static const struct {
	enum rung_lce_family	 fam;
	const double		*g1;
	size_t			 n1;
	const double		*g2;	/* NULL: one shape parameter */
	size_t			 n2;
} grids[] = {
	{ RUNG_LCE_POW3, pow3_b, NITEMS(pow3_b), NULL, 1 },
	{ RUNG_LCE_EXP3, exp3_b, NITEMS(exp3_b), NULL, 1 },
	{ RUNG_LCE_LOGPOWER, logpow_b, NITEMS(logpow_b), logpow_k,
	    NITEMS(logpow_k) },
	{ RUNG_LCE_JANOSCHEK, jan_k, NITEMS(jan_k), jan_d, NITEMS(jan_d) },
	{ RUNG_LCE_WEIBULL, wei_k, NITEMS(wei_k), wei_d, NITEMS(wei_d) },
};

/* Grid points over every family, and the longest step the cache keeps. */
#define NGRID	(NITEMS(pow3_b) + NITEMS(exp3_b) + \
		 NITEMS(logpow_b) * NITEMS(logpow_k) + \
		 NITEMS(jan_k) * NITEMS(jan_d) + NITEMS(wei_k) * NITEMS(wei_d))
#define BCACHE_MAX	4096

static const char *family_names[RUNG_LCE_NFAMILIES] = {
	"flat", "pow3", "exp3", "log-power", "janoschek", "weibull"
};

const char *
rung_lce_family_name(enum rung_lce_family f)
{
	return (unsigned)f < RUNG_LCE_NFAMILIES ? family_names[f] : "?";
}

void
rung_lce_init(struct rung_lce *w)
{
	memset(w, 0, sizeof *w);
	w->families = RUNG_LCE_ALL;
}

void
rung_lce_release(struct rung_lce *w)
{
	free(w->lx);
	free(w->f);
	free(w->yc);
	/* The basis cache is the process's (grow_cache). */
	w->lx = w->f = w->yc = NULL;
	w->bcache = w->bsum = w->bsq = NULL;
	w->cap = w->bsteps = 0;
}

/* The decaying basis of a family at (x, ln x) for shapes s1, s2. */
static double
basis(enum rung_lce_family fam, double x, double lx, double s1, double s2)
{
	switch (fam) {
	case RUNG_LCE_POW3:
		return exp(-s1 * lx);
	case RUNG_LCE_EXP3:
		return exp(-s1 * x);
	case RUNG_LCE_LOGPOWER:
		return 1 / (1 + exp(s2 * (lx - s1)));
	case RUNG_LCE_JANOSCHEK:
		return exp(-s1 * exp(s2 * lx));
	case RUNG_LCE_WEIBULL:
		return exp(-exp(s2 * (log(s1) + lx)));
	case RUNG_LCE_FLAT:
		break;
	}
	return 0;
}

double
rung_lce_eval(const struct rung_lce_fit *f, double T)
{
	double	 g;

	if (f->family == RUNG_LCE_FLAT)
		return f->c;
	g = basis(f->family, T, log(T), f->s1, f->s2);
	if (f->family == RUNG_LCE_JANOSCHEK || f->family == RUNG_LCE_WEIBULL)
		return f->c + (f->a - f->c) * g;
	return f->c + f->a * g;
}

/* A fit better than *best replaces it. */
static void
better(struct rung_lce_fit *best, enum rung_lce_family fam, double s1,
    double s2, double A, double c, double rss)
{
	if (!(rss < best->rss))
		return;
	best->family = fam;
	best->c = c;
	best->a = (fam == RUNG_LCE_JANOSCHEK || fam == RUNG_LCE_WEIBULL) ?
	    A + c : A;
	best->s1 = s1;
	best->s2 = s2;
	best->rss = rss;
}

/*
 * One grid point on the points 1, 2, ..., n: y = c + A f by least squares
 * from the cached sums of f and f^2 and one pass for the centred sum of
 * f y, and the RSS as syy - A sfy, which least squares makes exact
 * algebraically (it loses only what rounding loses against syy).
 */
static void
try_dense(struct rung_lce *w, uint32_t n, double syy,
    enum rung_lce_family fam, double s1, double s2, size_t g,
    struct rung_lce_fit *best)
{
	const double	*b = w->bcache + g * w->bsteps, *yc = w->yc;
	double		 fbar, sff, sfy = 0, A, c, rss, r;
	uint32_t	 i;

	fbar = w->bsum[g * w->bsteps + n - 1] / n;
	sff = w->bsq[g * w->bsteps + n - 1] - fbar * fbar * n;
	/* A basis flat over the points says nothing of its coefficient. */
	if (!(sff > 1e-24 * n))
		return;
	for (i = 0; i < n; i++)
		sfy += b[i] * yc[i];
	A = sfy / sff;
	if (A < 0)
		return;		/* worsening: the flat line's */
	rss = syy - A * sfy;
	c = w->ybar - A * fbar;
	/*
	 * Near a perfect fit the difference is rounding; there the residuals
	 * are summed again, so that noiseless curves rank their fits exactly.
	 */
	if (rss < 1e-6 * syy && rss < best->rss) {
		rss = 0;
		for (i = 0; i < n; i++) {
			r = yc[i] + w->ybar - c - A * b[i];
			rss += r * r;
		}
	}
	better(best, fam, s1, s2, A, c, rss > 0 ? rss : 0);
}

/*
 * One grid point on sparse or fractional steps: y = c + A f by least
 * squares, centred so that nothing cancels, and its residuals summed again
 * from the coefficients for an exact RSS.
 */
static void
try_shape(struct rung_lce *w, const double *x, const double *y, uint32_t n,
    enum rung_lce_family fam, double s1, double s2, size_t g,
    struct rung_lce_fit *best)
{
	double		 fbar = 0, sff = 0, sfy = 0, A, c, rss = 0, r, d;
	const double	*b;
	uint32_t	 i, k;

	b = w->bcache != NULL ? w->bcache + g * w->bsteps : NULL;
	for (i = 0; i < n; i++) {
		k = (uint32_t)x[i];
		if (b != NULL && k == x[i] && k >= 1 && k <= w->bsteps)
			w->f[i] = b[k - 1];
		else
			w->f[i] = basis(fam, x[i], w->lx[i], s1, s2);
		fbar += w->f[i];
	}
	fbar /= n;
	for (i = 0; i < n; i++) {
		d = w->f[i] - fbar;
		sff += d * d;
		sfy += d * w->yc[i];
	}
	if (!(sff > 1e-24 * n))
		return;
	A = sfy / sff;
	if (A < 0)
		return;
	c = w->ybar - A * fbar;
	/* The sum only grows: once it reaches the best, this one lost. */
	for (i = 0; i < n; i++) {
		r = y[i] - c - A * w->f[i];
		rss += r * r;
		if (!(rss < best->rss))
			return;
	}
	better(best, fam, s1, s2, A, c, rss);
}

/* Every grid point of family k of grids[], the cache's from g0 on. */
static void
grid(struct rung_lce *w, const double *x, const double *y, uint32_t n,
    int dense, double syy, size_t k, size_t g0, struct rung_lce_fit *best)
{
	size_t	 i, j, g;
	double	 s1, s2;

	for (i = 0; i < grids[k].n1; i++) {
		for (j = 0; j < grids[k].n2; j++) {
			s1 = grids[k].g1[i];
			s2 = grids[k].g2 != NULL ? grids[k].g2[j] : 0;
			g = g0 + i * grids[k].n2 + j;
			if (dense)
				try_dense(w, n, syy, grids[k].fam, s1, s2, g,
				    best);
			else
				try_shape(w, x, y, n, grids[k].fam, s1, s2, g,
				    best);
		}
	}
}

/*
 * The basis cache is one for the process: it depends on the grids alone,
 * and a replay makes a workspace per seed, which would otherwise compute
 * it again each time. It only grows, by a new copy, and a copy stays as
 * long as the process, since a workspace of another thread may still read
 * it; they add up to less than twice the largest.
 */
struct bcache {
	double		*b;
	double		*sum;
	double		*sq;
	uint32_t	 steps;
	struct bcache	*older;
};
static struct bcache	*bcache_now;
static pthread_mutex_t	 bcache_lock = PTHREAD_MUTEX_INITIALIZER;

static struct bcache *
bcache_new(uint32_t steps)
{
	struct bcache	*c = xcalloc(1, sizeof *c);
	size_t		 f, i, j, g = 0, at;
	uint32_t	 k;
	double		 x, s1, s2, v, sum, sq;

	c->steps = steps;
	c->b = xreallocarray(NULL, NGRID * (size_t)steps, sizeof *c->b);
	c->sum = xreallocarray(NULL, NGRID * (size_t)steps, sizeof *c->sum);
	c->sq = xreallocarray(NULL, NGRID * (size_t)steps, sizeof *c->sq);
	for (f = 0; f < NITEMS(grids); f++) {
		for (i = 0; i < grids[f].n1; i++) {
			for (j = 0; j < grids[f].n2; j++, g++) {
				s1 = grids[f].g1[i];
				s2 = grids[f].g2 != NULL ? grids[f].g2[j] : 0;
				sum = sq = 0;
				for (k = 0; k < steps; k++) {
					x = k + 1;
					v = basis(grids[f].fam, x, log(x), s1,
					    s2);
					at = g * steps + k;
					c->b[at] = v;
					c->sum[at] = sum += v;
					c->sq[at] = sq += v * v;
				}
			}
		}
	}
	return c;
}

/*
 * Point the workspace at a basis cache that reaches the last step of the
 * points (whole steps up to BCACHE_MAX).
 */
static void
grow_cache(struct rung_lce *w, double t)
{
	struct bcache	*c;
	uint32_t	 want;

	if (!(t >= 1) || t > BCACHE_MAX)
		return;
	want = (uint32_t)ceil(t);
	if (want <= w->bsteps)
		return;
	pthread_mutex_lock(&bcache_lock);
	if (bcache_now == NULL || bcache_now->steps < want) {
		/* Room to spare: a curve a step longer does not regrow it. */
		want = want < 64 ? 128 : want < BCACHE_MAX / 2 ? 2 * want :
		    BCACHE_MAX;
		c = bcache_new(want);
		c->older = bcache_now;
		bcache_now = c;
	}
	c = bcache_now;
	pthread_mutex_unlock(&bcache_lock);
	w->bcache = c->b;
	w->bsum = c->sum;
	w->bsq = c->sq;
	w->bsteps = c->steps;
}

/* Keep best if it fit; fits stay ranked by RSS, ties in family order. */
static void
keep(struct rung_lce *w, const struct rung_lce_fit *f)
{
	uint32_t	 j;

	if (isinf(f->rss))
		return;
	for (j = w->nfit; j > 0 && w->fit[j - 1].rss > f->rss; j--)
		w->fit[j] = w->fit[j - 1];
	w->fit[j] = *f;
	w->nfit++;
}

int
rung_lce_fit(struct rung_lce *w, const double *x, const double *y,
    uint32_t n)
{
	struct rung_lce_fit	 f;
	double			 ybar = 0, flat = 0, syy = 0;
	uint32_t		 i, from;
	size_t			 g0, k;
	int			 dense = 1;

	w->n = n;
	w->nfit = 0;
	w->t = n ? x[n - 1] : 0;
	w->last = n ? y[n - 1] : NAN;
	for (i = 0; i < n; i++) {
		if (!isfinite(x[i]) || !isfinite(y[i]))
			return -1;
	}
	if (n == 0)
		return 1;

	/* The flat line: the mean of the last third (a plateau's level). */
	from = n - (n + 2) / 3;
	for (i = from; i < n; i++)
		flat += y[i];
	flat /= n - from;
	memset(&f, 0, sizeof f);
	f.family = RUNG_LCE_FLAT;
	f.c = flat;
	for (i = 0; i < n; i++)
		f.rss += (y[i] - flat) * (y[i] - flat);
	keep(w, &f);
	if (n < 3)
		return 1;

	if (n > w->cap) {
		w->lx = xreallocarray(w->lx, n, sizeof *w->lx);
		w->f = xreallocarray(w->f, n, sizeof *w->f);
		w->yc = xreallocarray(w->yc, n, sizeof *w->yc);
		w->cap = n;
	}
	for (i = 0; i < n; i++)
		ybar += y[i];
	ybar /= n;
	w->ybar = ybar;
	for (i = 0; i < n; i++) {
		w->yc[i] = y[i] - ybar;
		syy += w->yc[i] * w->yc[i];
		if (x[i] != i + 1)
			dense = 0;
	}
	grow_cache(w, x[n - 1]);
	if (dense && n > w->bsteps)
		dense = 0;
	if (!dense) {
		for (i = 0; i < n; i++)
			w->lx[i] = log(x[i]);
	}

	for (k = 0, g0 = 0; k < NITEMS(grids); k++) {
		if (w->families & (1 << grids[k].fam)) {
			memset(&f, 0, sizeof f);
			f.rss = INFINITY;
			grid(w, x, y, n, dense, syy, k, g0, &f);
			keep(w, &f);
		}
		g0 += grids[k].n1 * grids[k].n2;
	}
	/* The flat line competes only where asked for (or nothing fit). */
	if (!(w->families & 1) && w->nfit > 1) {
		for (i = 0; i < w->nfit; i++) {
			if (w->fit[i].family == RUNG_LCE_FLAT)
				break;
		}
		if (i < w->nfit) {
			memmove(&w->fit[i], &w->fit[i + 1],
			    (w->nfit - i - 1) * sizeof *w->fit);
			w->nfit--;
		}
	}
	return 0;
}

double
rung_lce_predict(const struct rung_lce *w, double T)
{
	return w->nfit ? rung_lce_eval(&w->fit[0], T) : NAN;
}

double
rung_lce_ensemble(const struct rung_lce *w, double T, uint32_t k)
{
	double		 sum = 0;
	uint32_t	 i;

	if (k > w->nfit)
		k = w->nfit;
	if (k == 0)
		return NAN;
	for (i = 0; i < k; i++)
		sum += rung_lce_eval(&w->fit[i], T);
	return sum / k;
}

double
rung_lce_sigma(const struct rung_lce *w, double T)
{
	double	 dof;

	if (w->nfit == 0 || w->n < 3)
		return INFINITY;
	dof = w->n > 3 ? (double)w->n - 2 : 1;
	return sqrt(w->fit[0].rss / dof) *
	    (1 + (T > w->t ? log(T / w->t) : 0));
}

double
rung_lce_bound(const struct rung_lce *w, double T, double z)
{
	double		 o = w->last, v, sd;
	uint32_t	 i;

	if (w->nfit == 0)
		return -INFINITY;
	/*
	 * Every family's fit, not the best few: a family that ranks low on
	 * a short prefix can still be the one that is right about a late
	 * plateau or a late drop, and a bound that leaves it out stops trials
	 * too early. Chosen on the tuning studies (README): it held regret
	 * within 5% of the base policy's on more of them for each LCE policy
	 * (asha-lce 10 of 13 against 9 with the best three; hyperband-lce 8
	 * against 5; lce 6 against 4), for a few points of savings.
	 */
	for (i = 0; i < w->nfit; i++) {
		v = rung_lce_eval(&w->fit[i], T);
		if (v < o)
			o = v;
	}
	sd = rung_lce_sigma(w, T);
	if (z == 0)
		return o;
	if (isinf(sd))
		return z > 0 ? -INFINITY : INFINITY;
	return o - z * sd;
}

double
rung_lce_prob_beats(const struct rung_lce *w, double T, double ystar)
{
	double	 mu = rung_lce_predict(w, T), sd = rung_lce_sigma(w, T);

	if (isnan(mu) || isnan(ystar) || isinf(sd))
		return 0.5;
	if (sd == 0)
		return mu < ystar ? 1 : 0;
	return 0.5 * erfc(-((ystar - mu) / sd) / sqrt(2));
}

/*
 * Bisection on erfc: slow next to a rational approximation but exact to
 * the last bit, and a policy asks once, at setup.
 */
double
rung_lce_z(double p)
{
	double	 lo = -40, hi = 40, mid;
	int	 i;

	if (!(p > 0))
		return -INFINITY;
	if (!(p < 1))
		return INFINITY;
	for (i = 0; i < 200; i++) {
		mid = (lo + hi) / 2;
		if (mid == lo || mid == hi)
			break;
		if (0.5 * erfc(-mid / sqrt(2)) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}
