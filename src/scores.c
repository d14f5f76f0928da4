/*
 * Scores of predictions against truth (R^2, RMSE, MAE, Spearman's rho,
 * Kendall's tau-b) and numpy's summation, which R^2, gamma 'scale' and the
 * search's mean scores use so that they come out bit for bit as
 * scikit-learn and scipy compute them.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rung/predict.h"
#include "rung/xmalloc.h"

#include "predict-int.h"

/*
 * numpy's sum of a contiguous float64 array: pairwise summation with eight
 * accumulators (umath's pairwise_sum), applied to blocks of 8192 elements
 * (the reduction's buffer) that are added in turn. gamma 'scale' and R^2
 * come out bit for bit as scikit-learn computes them.
 */
static double
pairwise_sum(const double *a, size_t n)
{
	double	 r[8], res;
	size_t	 i, j, n2;

	if (n < 8) {
		res = 0.;
		for (i = 0; i < n; i++)
			res += a[i];
		return res;
	}
	if (n <= 128) {
		for (j = 0; j < 8; j++)
			r[j] = a[j];
		for (i = 8; i < n - (n % 8); i += 8) {
			for (j = 0; j < 8; j++)
				r[j] += a[i + j];
		}
		res = ((r[0] + r[1]) + (r[2] + r[3])) +
		    ((r[4] + r[5]) + (r[6] + r[7]));
		for (; i < n; i++)
			res += a[i];
		return res;
	}
	n2 = n / 2;
	n2 -= n2 % 8;
	return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

double
rung_np_sum(const double *a, size_t n)
{
	double	 acc = 0.;
	size_t	 i, k;

	for (i = 0; i < n; i += k) {
		k = n - i < 8192 ? n - i : 8192;
		acc += pairwise_sum(a + i, k);
	}
	return acc;
}

/*
 * numpy's var() of n values (population variance): the mean, then the mean
 * of the squared deviations, both summed as numpy sums. tmp holds n values.
 */
double
rung_np_var(const double *a, size_t n, double *tmp)
{
	double	 mean;
	size_t	 i;

	mean = rung_np_sum(a, n) / (double)n;
	for (i = 0; i < n; i++) {
		tmp[i] = a[i] - mean;
		tmp[i] = tmp[i] * tmp[i];
	}
	return rung_np_sum(tmp, n) / (double)n;
}

/* scikit-learn's r2_score; tmp holds n values. */
double
rung_r2_score(const double *y, const double *yhat, uint32_t n,
    double *tmp)
{
	double	 num, den, mean;
	uint32_t i;

	for (i = 0; i < n; i++) {
		tmp[i] = y[i] - yhat[i];
		tmp[i] = tmp[i] * tmp[i];
	}
	num = rung_np_sum(tmp, n);
	mean = rung_np_sum(y, n) / (double)n;
	for (i = 0; i < n; i++) {
		tmp[i] = y[i] - mean;
		tmp[i] = tmp[i] * tmp[i];
	}
	den = rung_np_sum(tmp, n);
	if (den == 0)
		return num == 0 ? 1. : 0.;
	return 1 - num / den;
}

/* A value and where it came from, or a pair: sorted without a context. */
struct keyed {
	double		 x;
	double		 y;
	uint32_t	 i;
};

static int
cmp_keyed(const void *a, const void *b)
{
	const struct keyed *p = a, *q = b;

	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	if (p->y != q->y)
		return p->y < q->y ? -1 : 1;
	return (p->i > q->i) - (p->i < q->i);
}

/* Average ranks (1-based), ties sharing the mean of their places. */
static void
avg_ranks(const double *v, uint32_t n, double *rank, struct keyed *k)
{
	uint32_t	 i, j, l;

	for (i = 0; i < n; i++) {
		k[i].x = v[i];
		k[i].y = 0;
		k[i].i = i;
	}
	qsort(k, n, sizeof *k, cmp_keyed);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && k[j].x == k[i].x; j++)
			;
		for (l = i; l < j; l++)
			rank[k[l].i] = (i + 1 + j) / 2.;
	}
}

static double
pearson(const double *a, const double *b, uint32_t n)
{
	double	 ma = 0, mb = 0, saa = 0, sbb = 0, sab = 0, r;
	uint32_t i;

	for (i = 0; i < n; i++) {
		ma += a[i];
		mb += b[i];
	}
	ma /= n;
	mb /= n;
	for (i = 0; i < n; i++) {
		saa += (a[i] - ma) * (a[i] - ma);
		sbb += (b[i] - mb) * (b[i] - mb);
		sab += (a[i] - ma) * (b[i] - mb);
	}
	if (saa == 0 || sbb == 0)
		return NAN;
	r = sab / sqrt(saa * sbb);
	return r > 1 ? 1 : r < -1 ? -1 : r;
}

/* Sort v[lo..hi) by value, counting pairs i < j with v[i] > v[j]. */
static uint64_t
merge_count(double *v, double *tmp, size_t lo, size_t hi)
{
	size_t	 mid, i, j, k;
	uint64_t inv;

	if (hi - lo < 2)
		return 0;
	mid = lo + (hi - lo) / 2;
	inv = merge_count(v, tmp, lo, mid) + merge_count(v, tmp, mid, hi);
	i = lo;
	j = mid;
	k = lo;
	while (i < mid && j < hi) {
		if (v[j] < v[i]) {
			inv += mid - i;
			tmp[k++] = v[j++];
		} else
			tmp[k++] = v[i++];
	}
	while (i < mid)
		tmp[k++] = v[i++];
	while (j < hi)
		tmp[k++] = v[j++];
	memcpy(v + lo, tmp + lo, (hi - lo) * sizeof *v);
	return inv;
}

static uint64_t
tied_pairs(uint64_t run)
{
	return run * (run - 1) / 2;
}

/*
 * Kendall's tau-b as scipy.stats.kendalltau (1.10) computes it, in
 * O(n log n) (Knight): sort by (x, y), count ties in x and in both, count
 * discordant pairs as the inversions of y in that order, then ties in y.
 */
static double
kendall_tau_b(const double *x, const double *y, uint32_t n, struct keyed *k,
    double *v, double *tmp)
{
	uint64_t tot, xtie = 0, ytie = 0, ntie = 0, dis;
	uint32_t i, j;
	double	 tau;

	for (i = 0; i < n; i++) {
		k[i].x = x[i];
		k[i].y = y[i];
		k[i].i = i;
	}
	qsort(k, n, sizeof *k, cmp_keyed);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && k[j].x == k[i].x; j++)
			;
		xtie += tied_pairs(j - i);
	}
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && k[j].x == k[i].x &&
		    k[j].y == k[i].y; j++)
			;
		ntie += tied_pairs(j - i);
	}
	for (i = 0; i < n; i++)
		v[i] = k[i].y;
	dis = merge_count(v, tmp, 0, n);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && v[j] == v[i]; j++)
			;
		ytie += tied_pairs(j - i);
	}
	tot = (uint64_t)n * (n - 1) / 2;
	if (xtie == tot || ytie == tot)
		return NAN;
	/* scipy's expression, two square roots and all. */
	tau = ((double)tot - (double)xtie - (double)ytie + (double)ntie -
	    2 * (double)dis) / sqrt((double)(tot - xtie)) /
	    sqrt((double)(tot - ytie));
	return tau > 1 ? 1 : tau < -1 ? -1 : tau;
}

/*
 * Scores of finite predictions. With no row every score is NaN; with one,
 * R^2 and the rank correlations are NaN (scikit-learn's r2_score is too)
 * but the errors are still defined.
 */
void
rung_scores_compute(const double *y, const double *yhat, uint32_t n,
    struct rung_scores *sc)
{
	struct keyed	*k;
	double		*tmp, *ra, *rb, se = 0, ae = 0, e;
	uint32_t	 i;

	sc->r2 = sc->rmse = sc->mae = sc->spearman = sc->kendall = NAN;
	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		e = y[i] - yhat[i];
		se += e * e;
		ae += fabs(e);
	}
	sc->rmse = sqrt(se / n);
	sc->mae = ae / n;
	if (n < 2)
		return;

	tmp = xreallocarray(NULL, n, sizeof *tmp);
	ra = xreallocarray(NULL, n, sizeof *ra);
	rb = xreallocarray(NULL, n, sizeof *rb);
	k = xreallocarray(NULL, n, sizeof *k);
	sc->r2 = rung_r2_score(y, yhat, n, tmp);
	avg_ranks(y, n, ra, k);
	avg_ranks(yhat, n, rb, k);
	sc->spearman = pearson(ra, rb, n);
	sc->kendall = kendall_tau_b(y, yhat, n, k, ra, tmp);
	free(k);
	free(rb);
	free(ra);
	free(tmp);
}
