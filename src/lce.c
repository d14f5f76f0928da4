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
	free(w->bcache);
	w->lx = w->f = w->bcache = NULL;
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

/*
 * One grid point: y = c + A f by least squares, centred so that nothing
 * cancels, and its residuals summed again from the coefficients for an
 * exact RSS. Better than *best: replace it.
 */
static void
try_shape(struct rung_lce *w, const double *x, const double *y, uint32_t n,
    double ybar, enum rung_lce_family fam, double s1, double s2, size_t g,
    struct rung_lce_fit *best)
{
	double		 fbar = 0, sff = 0, sfy = 0, A, c, rss = 0, r, d, *b;
	uint32_t	 i, k;

	b = w->bcache != NULL ? w->bcache + g * w->bsteps : NULL;
	for (i = 0; i < n; i++) {
		k = (uint32_t)x[i];
		if (b != NULL && k == x[i] && k >= 1 && k <= w->bsteps) {
			if (isnan(b[k - 1]))
				b[k - 1] = basis(fam, x[i], w->lx[i], s1, s2);
			w->f[i] = b[k - 1];
		} else
			w->f[i] = basis(fam, x[i], w->lx[i], s1, s2);
		fbar += w->f[i];
	}
	fbar /= n;
	for (i = 0; i < n; i++) {
		d = w->f[i] - fbar;
		sff += d * d;
		sfy += d * (y[i] - ybar);
	}
	/* A basis flat over the points says nothing of its coefficient. */
	if (!(sff > 1e-24 * n))
		return;
	A = sfy / sff;
	if (A < 0)
		return;		/* worsening: the flat line's */
	c = ybar - A * fbar;
	/* The sum only grows: once it reaches the best, this one lost. */
	for (i = 0; i < n; i++) {
		r = y[i] - c - A * w->f[i];
		rss += r * r;
		if (!(rss < best->rss))
			return;
	}
	best->family = fam;
	best->c = c;
	best->a = (fam == RUNG_LCE_JANOSCHEK || fam == RUNG_LCE_WEIBULL) ?
	    A + c : A;
	best->s1 = s1;
	best->s2 = s2;
	best->rss = rss;
}

static void
grid(struct rung_lce *w, const double *x, const double *y, uint32_t n,
    double ybar, enum rung_lce_family fam, const double *g1, size_t n1,
    const double *g2, size_t n2, size_t g0, struct rung_lce_fit *best)
{
	size_t	 i, j;

	for (i = 0; i < n1; i++) {
		for (j = 0; j < n2; j++)
			try_shape(w, x, y, n, ybar, fam, g1[i],
			    g2 != NULL ? g2[j] : 0, g0 + i * n2 + j, best);
	}
}

/*
 * Grow the basis cache to the last step of the points (whole steps up to
 * BCACHE_MAX): a replay fits the same steps for every trial.
 */
static void
grow_cache(struct rung_lce *w, double t)
{
	uint32_t	 want, g, k;
	double		*nb;

	if (!(t >= 1) || t > BCACHE_MAX)
		return;
	want = (uint32_t)ceil(t);
	if (want <= w->bsteps)
		return;
	/* Room to spare, so that a curve a step longer does not regrow it. */
	want = want < BCACHE_MAX / 2 ? 2 * want : BCACHE_MAX;
	nb = xreallocarray(NULL, NGRID * (size_t)want, sizeof *nb);
	for (g = 0; g < NGRID; g++) {
		for (k = 0; k < want; k++)
			nb[(size_t)g * want + k] = k < w->bsteps ?
			    w->bcache[(size_t)g * w->bsteps + k] : NAN;
	}
	free(w->bcache);
	w->bcache = nb;
	w->bsteps = want;
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
	double			 ybar = 0, flat = 0;
	uint32_t		 i, from;
	size_t			 g0;

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
		w->cap = n;
	}
	for (i = 0; i < n; i++) {
		w->lx[i] = log(x[i]);
		ybar += y[i];
	}
	ybar /= n;
	grow_cache(w, x[n - 1]);

	g0 = 0;
#define FAMILY(fam, g1, g2, n2) do {					\
	if (w->families & (1 << (fam))) {				\
		memset(&f, 0, sizeof f);				\
		f.rss = INFINITY;					\
		grid(w, x, y, n, ybar, fam, g1, NITEMS(g1), g2, n2, g0,	\
		    &f);						\
		keep(w, &f);						\
	}								\
	g0 += NITEMS(g1) * (n2);					\
} while (0)
	FAMILY(RUNG_LCE_POW3, pow3_b, NULL, 1);
	FAMILY(RUNG_LCE_EXP3, exp3_b, NULL, 1);
	FAMILY(RUNG_LCE_LOGPOWER, logpow_b, logpow_k, NITEMS(logpow_k));
	FAMILY(RUNG_LCE_JANOSCHEK, jan_k, jan_d, NITEMS(jan_d));
	FAMILY(RUNG_LCE_WEIBULL, wei_k, wei_d, NITEMS(wei_d));
#undef FAMILY
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
	for (i = 0; i < w->nfit && i < 3; i++) {
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
