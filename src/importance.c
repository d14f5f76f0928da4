/*
 * PED-ANOVA (rung/importance.h), as the paper defines it and
 * optuna-dashboard computes it:
 *
 * - the top: the trials whose loss (the value, negated when higher is
 *   better) is at most the q-quantile of all losses (the inverted CDF:
 *   the ceil(q n)-th smallest), and at most the second smallest at least;
 * - a numerical parameter is put on a grid of G points spanning the values
 *   the trials took (log-scaled for a log parameter): 50, or for an integer
 *   its number of values (log2 of its range, + 1, when log-scaled) when
 *   fewer; a value goes to the grid point nearest it (ties to the lower);
 * - each set's density on the grid is a Parzen estimate: a Gaussian kernel
 *   at each occupied point, weighted by its count, discretised to the grid
 *   and truncated to it, of Scott's bandwidth 1.059 min(IQR / 1.34, sd)
 *   n^-1/5, but at least 0.5 / 1.64 of a grid step (1.64 sigma, 90%, in
 *   one step either side); a categorical parameter's density is the share
 *   of each level;
 * - importance is Pearson's divergence of the top's density from all
 *   trials' density, sum over the grid of p_all (p_top / p_all - 1)^2
 *   (both plus 1e-12), and the shares are the divergences over their sum.
 *
 * tests/ped-anova.py computes the same from the same description, in
 * Python, and t0025 holds the two to 1e-9.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/importance.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#define PED_MIN_TOP	2
#define PED_EPS		1e-12

void
rung_importance_release(struct rung_importance *im)
{
	free(im->share);
	free(im->nset);
	free(im->note);
	memset(im, 0, sizeof *im);
}

double
rung_trial_value_at(const struct rung_study *s, uint32_t t, int32_t k)
{
	uint32_t	 lo = s->curve.off[t], hi = s->curve.off[t + 1], mid;

	if (lo == hi || s->curve.steps[hi - 1] < k || s->curve.steps[lo] > k)
		return NAN;
	/* The last point at or before k: steps are sorted. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (s->curve.steps[mid] <= k)
			lo = mid;
		else
			hi = mid;
	}
	return isfinite(s->curve.vals[lo]) ? (double)s->curve.vals[lo] : NAN;
}

static double
phi(double z)
{
	return 0.5 * erfc(-z / sqrt(2.0));
}

/*
 * The Parzen estimate of counts c[0..G) on the grid 0..G-1, into pdf
 * (which sums to 1).
 */
static void
parzen(const double *c, uint32_t G, double *pdf)
{
	double	 n = 0, mean = 0, var = 0, sd, iqr, sigma, cum, z, q25, q75;
	double	 lo25 = -1, hi75 = -1, last = 0;
	uint32_t k, j;

	for (k = 0; k < G; k++)
		n += c[k];
	for (k = 0; k < G; k++)
		mean += k * (c[k] / n);
	for (k = 0; k < G; k++) {
		if (c[k] > 0)
			var += (k - mean) * (k - mean) * c[k];
	}
	sd = sqrt(var / (n - 1 > 1 ? n - 1 : 1));
	/*
	 * The quartiles: the first occupied point whose cumulative count
	 * reaches n // 4, and the first that passes 3n // 4 (the last when
	 * none does).
	 */
	q25 = floor(n / 4);
	q75 = floor(3 * n / 4);
	for (cum = 0, k = 0; k < G; k++) {
		if (c[k] <= 0)
			continue;
		cum += c[k];
		last = k;
		if (lo25 < 0 && cum >= q25)
			lo25 = k;
		if (hi75 < 0 && cum > q75)
			hi75 = k;
	}
	if (hi75 < 0)
		hi75 = last;
	iqr = hi75 - lo25;
	sigma = 1.059 * fmin(iqr / 1.34, sd) * pow(n, -0.2);
	if (!(sigma >= 0.5 / 1.64))
		sigma = 0.5 / 1.64;

	for (k = 0; k < G; k++)
		pdf[k] = 0;
	for (j = 0; j < G; j++) {
		if (c[j] <= 0)
			continue;
		z = phi((G - 1 + 0.5 - j) / sigma) - phi((-0.5 - (double)j) /
		    sigma);
		for (k = 0; k < G; k++)
			pdf[k] += (c[j] / n) * (phi((k + 0.5 - (double)j) /
			    sigma) - phi((k - 0.5 - (double)j) / sigma)) / z;
	}
}

/* Pearson's divergence of top from all, both over G points. */
static double
pearson(const double *top, const double *all, uint32_t G)
{
	double	 d = 0, a, t;
	uint32_t k;

	for (k = 0; k < G; k++) {
		a = all[k] + PED_EPS;
		t = top[k] + PED_EPS;
		d += a * (t / a - 1) * (t / a - 1);
	}
	return d;
}

/* How many grid points a numerical parameter spanning [lo, hi] gets. */
static uint32_t
grid_size(const struct rung_param *p, double lo, double hi)
{
	double	 n;

	if (p->type != RUNG_PINT)
		return RUNG_PED_GRID;
	n = hi - lo + 1;
	if (p->log)
		n = ceil(log(n) / log(2.0)) + 1;
	return n < RUNG_PED_GRID ? (uint32_t)n : RUNG_PED_GRID;
}

/*
 * The divergence of parameter p, over the trials with a value (y finite)
 * that set it; NaN when it has fewer than two distinct values there or
 * fewer than two top trials set it.
 */
static double
divergence(const struct rung_study *s, const struct rung_param *p,
    const double *y, const uint8_t *top, uint32_t *nset)
{
	double	*call, *ctop, *pall, *ptop, *x = NULL, lo = INFINITY;
	double	 hi = -INFINITY, rlo = INFINITY, rhi = -INFINITY, step, h, v;
	double	 d = NAN;
	uint32_t t, k, G, n = 0, ntop = 0, first = UINT32_MAX;
	int	 distinct = 0;

	if (p->type == RUNG_PCAT)
		G = p->nlevels;
	else {
		x = xreallocarray(NULL, s->ntrials ? s->ntrials : 1,
		    sizeof *x);
		for (t = 0; t < s->ntrials; t++) {
			v = p->num[t];
			if (p->log)
				v = v > 0 ? log(v) : NAN;
			x[t] = v;
			if (isnan(y[t]) || !isfinite(v))
				continue;
			lo = fmin(lo, v);
			hi = fmax(hi, v);
			rlo = fmin(rlo, p->num[t]);
			rhi = fmax(rhi, p->num[t]);
		}
		G = lo < hi ? grid_size(p, rlo, rhi) : 0;
	}
	call = xcalloc(G ? G : 1, sizeof *call);
	ctop = xcalloc(G ? G : 1, sizeof *ctop);
	/* numpy's linspace: start + k step, the last point the stop. */
	step = G > 1 ? (hi - lo) / (G - 1) : 0;
	h = G > 1 ? (1 * step + lo) - lo : 0;
	for (t = 0; t < s->ntrials; t++) {
		if (isnan(y[t]))
			continue;
		if (p->type == RUNG_PCAT) {
			if (p->cat[t] == UINT32_MAX)
				continue;
			k = p->cat[t];
		} else {
			if (!isfinite(x[t]) || G < 2)
				continue;
			/* The grid points below x - h / 2: searchsorted. */
			for (k = 0; k < G; k++) {
				v = k == G - 1 ? hi : k * step + lo;
				if (!(v < x[t] - h / 2))
					break;
			}
			if (k == G)
				k = G - 1;
		}
		if (first == UINT32_MAX)
			first = k;
		else if (k != first)
			distinct = 1;
		call[k]++;
		n++;
		if (top[t]) {
			ctop[k]++;
			ntop++;
		}
	}
	*nset = n;
	if (distinct && ntop >= PED_MIN_TOP) {
		pall = xcalloc(G, sizeof *pall);
		ptop = xcalloc(G, sizeof *ptop);
		if (p->type == RUNG_PCAT) {
			for (k = 0; k < G; k++) {
				pall[k] = call[k] / n;
				ptop[k] = ctop[k] / ntop;
			}
		} else {
			parzen(call, G, pall);
			parzen(ctop, G, ptop);
		}
		d = pearson(ptop, pall, G);
		free(pall);
		free(ptop);
	}
	free(call);
	free(ctop);
	free(x);
	return d;
}

int
rung_ped_anova(const struct rung_study *s, const double *y,
    enum rung_direction dir, double quantile, const uint8_t *use,
    struct rung_importance *im, char **cause)
{
	double	*loss, *sorted, cutoff, sum = 0;
	uint8_t	*top;
	uint32_t t, n = 0, i, q, nimp = 0;

	memset(im, 0, sizeof *im);
	loss = xreallocarray(NULL, s->ntrials ? s->ntrials : 1, sizeof *loss);
	sorted = xreallocarray(NULL, s->ntrials ? s->ntrials : 1,
	    sizeof *sorted);
	for (t = 0; t < s->ntrials; t++) {
		loss[t] = isfinite(y[t]) ? (dir == RUNG_MAX ? -y[t] : y[t]) :
		    NAN;
		if (!isnan(loss[t]))
			sorted[n++] = loss[t];
	}
	if (n < PED_MIN_TOP + 1) {
		xasprintf(cause, "%u trial%s with a value: PED-ANOVA needs 3 "
		    "at least", n, n == 1 ? "" : "s");
		free(loss);
		free(sorted);
		return -1;
	}
	qsort(sorted, n, sizeof *sorted, rung_cmp_double);
	q = (uint32_t)ceil(quantile * n);
	q = q > 0 ? q - 1 : 0;
	cutoff = fmax(sorted[PED_MIN_TOP - 1], sorted[q < n ? q : n - 1]);
	top = xcalloc(s->ntrials ? s->ntrials : 1, 1);
	im->ntrials = n;
	for (t = 0; t < s->ntrials; t++) {
		if (!isnan(loss[t]) && loss[t] <= cutoff) {
			top[t] = 1;
			im->ntop++;
		}
	}
	im->nparams = s->nparams;
	im->share = xcalloc(s->nparams ? s->nparams : 1, sizeof *im->share);
	im->nset = xcalloc(s->nparams ? s->nparams : 1, sizeof *im->nset);
	for (i = 0; i < s->nparams; i++) {
		if (use != NULL && !use[i]) {
			im->share[i] = NAN;
			continue;
		}
		im->share[i] = divergence(s, &s->params[i], loss, top,
		    &im->nset[i]);
		if (!isnan(im->share[i])) {
			sum += im->share[i];
			nimp++;
		}
	}
	for (i = 0; i < s->nparams; i++) {
		if (isnan(im->share[i]))
			continue;
		/* All alike (every density the same): equal shares. */
		im->share[i] = sum > 0 ? im->share[i] / sum : 1.0 / nimp;
	}
	free(top);
	free(loss);
	free(sorted);
	return 0;
}
