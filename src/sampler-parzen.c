/*
 * TPE's Parzen estimator (src/sampler-int.h): the split of the observed
 * configurations into below and above, the weights, the kernels with the
 * magic clip, truncated normals and categorical kernels. Fitting and
 * evaluating are apart so that a pool evaluates once per distinct value
 * and a launch evaluates its drawn candidates.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/rng.h"
#include "rung/sampler.h"
#include "rung/xmalloc.h"

#include "sampler-int.h"

#define PRIOR_WEIGHT	1.0
#define FLAT		25	/* default_weights: the newest weigh 1 */
#define MAGIC_CLIP	100.0
#define CUTOFF		10.0	/* kernels are left out beyond, in sigmas */

static int
kern_cmp(const void *a, const void *b)
{
	const struct pz_kern	*x = a, *y = b;

	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

static int
rank_cmp(const void *a, const void *b)
{
	const struct pz_rank	*x = a, *y = b;

	if (x->step != y->step)
		return x->step > y->step ? -1 : 1;
	if (x->val != y->val)
		return x->val < y->val ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

uint32_t
pz_split(struct pz_rank *rk, uint32_t n)
{
	uint32_t	 nb;

	qsort(rk, n, sizeof *rk, rank_cmp);
	nb = (uint32_t)ceil(0.1 * n);
	if (nb > RUNG_TPE_GAMMA_MAX)
		nb = RUNG_TPE_GAMMA_MAX;
	return nb;
}

double
pz_gauss_mass(double a, double b)
{
	if (a >= 0)
		return 0.5 * (erfc(a * M_SQRT1_2) - erfc(b * M_SQRT1_2));
	if (b <= 0)
		return 0.5 * (erfc(-b * M_SQRT1_2) - erfc(-a * M_SQRT1_2));
	return 1 - 0.5 * erfc(-a * M_SQRT1_2) - 0.5 * erfc(b * M_SQRT1_2);
}

/*
 * The standard normal's quantile: Acklam's rational approximation (1e-9
 * relative) and a Halley step on erfc, which brings it to rounding.
 */
static double
ndtri(double p)
{
	static const double a[] = { -3.969683028665376e+01,
	    2.209460984245205e+02, -2.759285104469687e+02,
	    1.383577518672690e+02, -3.066479806614716e+01,
	    2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01,
	    1.615858368580409e+02, -1.556989798598866e+02,
	    6.680131188771972e+01, -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03,
	    -3.223964580411365e-01, -2.400758277161838e+00,
	    -2.549732539343734e+00, 4.374664141464968e+00,
	    2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03,
	    3.224671290700398e-01, 2.445134137142996e+00,
	    3.754408661907416e+00 };
	double	 q, r, x, e, u;

	if (p <= 0)
		return -INFINITY;
	if (p >= 1)
		return INFINITY;
	if (p < 0.02425) {
		q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q +
		    c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) *
		    q + d[3]) * q + 1);
	} else if (p <= 1 - 0.02425) {
		q = p - 0.5;
		r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r +
		    a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r +
		    b[2]) * r + b[3]) * r + b[4]) * r + 1);
	} else {
		q = sqrt(-2 * log(1 - p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q +
		    c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) *
		    q + d[3]) * q + 1);
	}
	e = 0.5 * erfc(-x * M_SQRT1_2) - p;
	u = e * sqrt(2 * M_PI) * exp(0.5 * x * x);
	return x - u / (1 + 0.5 * x * u);
}

/*
 * By inversion of the CDF on the side of zero that keeps precision: in
 * the upper tail through the survival function (erfc), as Optuna's
 * _truncnorm.ppf does in log space.
 */
double
pz_truncnorm(double a, double b, double u)
{
	double	 pa, pb, x;

	if (a >= 0) {
		pa = 0.5 * erfc(a * M_SQRT1_2);
		pb = 0.5 * erfc(b * M_SQRT1_2);
		if (!(pa > pb))
			return a;
		x = -ndtri(pa - u * (pa - pb));
	} else if (b <= 0) {
		pa = 0.5 * erfc(-a * M_SQRT1_2);
		pb = 0.5 * erfc(-b * M_SQRT1_2);
		if (!(pb > pa))
			return b;
		x = ndtri(pa + u * (pb - pa));
	} else {
		pa = 0.5 * erfc(-a * M_SQRT1_2);
		pb = 1 - 0.5 * erfc(b * M_SQRT1_2);
		x = ndtri(pa + u * (pb - pa));
	}
	if (!(x >= a))
		x = a;
	if (x > b)
		x = b;
	return x;
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
uint32_t
pz_lower_bound(const double *v, uint32_t n, double x)
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

void
pz_init(struct parzen *pz, enum pz_kind kind, double low, double high,
    uint32_t ncat)
{
	memset(pz, 0, sizeof *pz);
	pz->kind = kind;
	pz->low = low;
	pz->high = high;
	pz->ncat = ncat;
	if (kind == PZ_CAT)
		pz->prob = xcalloc(ncat ? ncat : 1, sizeof *pz->prob);
}

void
pz_release(struct parzen *pz)
{
	free(pz->mu);
	free(pz->sg);
	free(pz->w);
	free(pz->coef);
	free(pz->ks);
	free(pz->prob);
	memset(pz, 0, sizeof *pz);
}

static void
grow(struct parzen *pz, uint32_t n1)
{
	if (n1 <= pz->cap)
		return;
	pz->cap = n1 < 2 * pz->cap ? 2 * pz->cap : n1;
	pz->mu = xreallocarray(pz->mu, pz->cap, sizeof *pz->mu);
	pz->sg = xreallocarray(pz->sg, pz->cap, sizeof *pz->sg);
	pz->w = xreallocarray(pz->w, pz->cap, sizeof *pz->w);
	pz->coef = xreallocarray(pz->coef, pz->cap, sizeof *pz->coef);
	pz->ks = xreallocarray(pz->ks, pz->cap, sizeof *pz->ks);
}

/* Sigmas: neighbour distances among the centres and the prior's. */
static void
fit_numeric(struct parzen *pz)
{
	double		*mu = pz->mu, *sg = pz->sg, *w = pz->w, Z;
	double		 range = pz->high - pz->low, minsg, W = PRIOR_WEIGHT;
	double		 e0, e1, e2, s;
	uint32_t	 k, j, m = pz->m, n1 = m + 1;

	for (k = 0; k < m; k++) {
		pz->ks[k].v = mu[k];
		pz->ks[k].i = k;
		W += w[k];
	}
	pz->ks[m].v = 0.5 * (pz->low + pz->high);
	pz->ks[m].i = m;
	qsort(pz->ks, n1, sizeof *pz->ks, kern_cmp);
	minsg = range / fmin(MAGIC_CLIP, (double)m + 2);
	for (j = 0; j < n1 && m > 0; j++) {
		e0 = j == 0 ? pz->low : pz->ks[j - 1].v;
		e1 = pz->ks[j].v;
		e2 = j == n1 - 1 ? pz->high : pz->ks[j + 1].v;
		if (j == 0)
			s = e2 - e1;		/* consider_endpoints off */
		else if (j == n1 - 1)
			s = e1 - e0;
		else
			s = fmax(e1 - e0, e2 - e1);
		if (pz->ks[j].i < m)
			sg[pz->ks[j].i] = fmin(fmax(s, minsg), range);
	}
	mu[m] = 0.5 * (pz->low + pz->high);
	sg[m] = range;
	w[m] = PRIOR_WEIGHT;
	pz->W = W;

	for (k = 0; k < n1; k++) {
		Z = pz_gauss_mass((pz->low - mu[k]) / sg[k],
		    (pz->high - mu[k]) / sg[k]);
		if (!(Z > 0))
			pz->coef[k] = 0;
		else if (pz->kind == PZ_REAL)
			pz->coef[k] = w[k] / (W * sg[k] * Z) *
			    (0.5 * M_2_SQRTPI * M_SQRT1_2);
		else
			pz->coef[k] = w[k] / (W * Z);
	}
}

/* Category probabilities: m kernels of categories cat[], weights w[]. */
static void
fit_categorical(struct parzen *pz, const uint32_t *cat)
{
	double		*w = pz->w, *d = pz->prob, p, norm;
	double		 W = PRIOR_WEIGHT, sw = 0;
	uint32_t	 k, u, C = pz->ncat, m = pz->m;

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
	pz->W = W;
}

void
pz_fit(struct parzen *pz, const double *x, const uint32_t *cat, uint32_t m)
{
	uint32_t	 k;

	grow(pz, m + 1);
	pz->m = m;
	for (k = 0; k < m; k++) {
		pz->w[k] = weight(k, m);
		if (pz->kind != PZ_CAT)
			pz->mu[k] = x[k];
	}
	if (pz->kind == PZ_CAT)
		fit_categorical(pz, cat);
	else
		fit_numeric(pz);
}

void
pz_density(const struct parzen *pz, const double *x, const double *xa,
    const double *xb, uint32_t n, double *d)
{
	const double	*mu = pz->mu, *sg = pz->sg;
	double		 a, b;
	uint32_t	 k, u, lo, hi;

	if (pz->kind == PZ_CAT) {
		memcpy(d, pz->prob, n * sizeof *d);
		return;
	}
	memset(d, 0, n * sizeof *d);
	for (k = 0; k <= pz->m; k++) {
		if (pz->coef[k] == 0)
			continue;
		lo = pz_lower_bound(xb, n, mu[k] - CUTOFF * sg[k]);
		hi = upper_bound(xa, n, mu[k] + CUTOFF * sg[k]);
		if (pz->kind == PZ_REAL) {
			if (lo < hi)
				add_gauss(d + lo, x + lo, hi - lo, mu[k],
				    1 / sg[k], pz->coef[k]);
		} else {
			for (u = lo; u < hi; u++) {
				a = (xa[u] - mu[k]) / sg[k];
				b = (xb[u] - mu[k]) / sg[k];
				d[u] += pz->coef[k] * pz_gauss_mass(a, b);
			}
		}
	}
}

/*
 * A kernel by its weight (the prior's too), then a value from it: as
 * Optuna's _ParzenEstimator.sample, a truncated normal in [low, high];
 * the caller rounds an int. Categorical: the mixture is one categorical
 * distribution, drawn from at once.
 */
double
pz_sample(const struct parzen *pz, struct rung_rng *r)
{
	double		 u = rung_rng_uniform(r), acc = 0, x;
	uint32_t	 k, last;

	if (pz->kind == PZ_CAT) {
		for (k = 0; k + 1 < pz->ncat; k++) {
			acc += pz->prob[k];
			if (u < acc)
				break;
		}
		return k;
	}
	u *= pz->W;
	last = pz->m;
	for (k = 0; k < pz->m; k++) {
		acc += pz->w[k];
		if (u < acc)
			break;
	}
	if (k == pz->m)
		k = last;
	x = pz->mu[k] + pz->sg[k] * pz_truncnorm((pz->low - pz->mu[k]) /
	    pz->sg[k], (pz->high - pz->mu[k]) / pz->sg[k],
	    rung_rng_uniform(r));
	if (x < pz->low)
		x = pz->low;
	if (x > pz->high)
		x = pz->high;
	return x;
}
