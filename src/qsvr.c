/*
 * The QSVR: the SVR dual as a QUBO, its samples decoded and combined seven
 * ways, as the authors' QSVR_extended.py and utility.py do (rung's own
 * code, written from reading theirs):
 *
 * - coefficient c is sum_k B^(k - k0) x_{Kc+k}; the alphas come first,
 *   then the alpha*s;
 * - the energy is 1/2 sum_nm (a_n - a*_n)(a_m - a*_m)(k(x_n, x_m) + 2 xi)
 *   + sum_n eps (a_n + a*_n) - y_n (a_n - a*_n): the dual with the
 *   equality constraint sum(a - a*) = 0 as a penalty xi, and no box (the
 *   K bits bound a coefficient by sum_k B^(k - k0), about 1.75);
 * - of the distinct samples, sorted by energy, the lowest
 *   max(0.004 * reads, 2) are combined: weighted means of their
 *   coefficients, the weights from each sample's errors on the training
 *   points (1 / MSE normalised, and its softmax; 1 / log-cosh, and its
 *   softmax; the best by MSE alone; the plain mean; the softmax of R^2);
 * - each set's bias is the mean over its support vectors (a coefficient
 *   neither 0 nor C) of y_n - eps - f(x_n), as their eval_offset_avg
 *   computes it (eps subtracted on both sides, as there).
 *
 * Two departures, both where their code cannot have meant what it does:
 * their loop over the R^2s writes into the MSE array, so that the first
 * two sets are weighted by 1 / R^2 and the R^2 softmax by zeros (the plain
 * mean again); here each weight is what its name says. And where a set
 * has no support vector on one side their bias loop raises C forever (a
 * coefficient is never near C: the zeros are what is missing); here the
 * bias is the mean over the side there is, or over every point when there
 * is neither.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/qsvr.h"
#include "rung/rng.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "predict-int.h"

void
rung_qsvr_params_init(struct rung_qsvr_params *p)
{
	memset(p, 0, sizeof *p);
	p->K = 3;
	p->B = 0.5;
	p->k0 = 0.005;
	p->xi = 0.01;
	p->epsilon = 0.02;
	p->gamma = 0.1;
	p->C = 67.61;
	p->nmax = 20;
	rung_anneal_params_init(&p->anneal);
}

double
rung_qsvr_weight(const struct rung_qsvr_params *p, uint32_t k)
{
	return pow(p->B, (double)k - p->k0);
}

static double
rbf(const double *a, const double *b, uint32_t d, double gamma)
{
	double	 s = 0, t;
	uint32_t j;

	for (j = 0; j < d; j++) {
		t = a[j] - b[j];
		s += t * t;
	}
	return exp(-gamma * s);
}

void
rung_qsvr_qubo(const struct rung_qsvr_params *p, const double *x,
    const double *y, uint32_t n, uint32_t d, struct rung_qubo *qb)
{
	uint32_t	 K = p->K, nv = 2 * K * n, a, b, nn, m, i, j;
	double		*full, kv, v, wi;

	/*
	 * The symmetric matrix first, entry by entry as theirs, then folded
	 * to the upper triangle (q_ab + q_ba above the diagonal).
	 */
	full = xcalloc((size_t)nv * nv + 1, sizeof *full);
	for (nn = 0; nn < n; nn++) {
		for (m = 0; m < n; m++) {
			kv = rbf(x + (size_t)nn * d, x + (size_t)m * d, d,
			    p->gamma);
			for (i = 0; i < K; i++) {
				for (j = 0; j < K; j++) {
					v = rung_qsvr_weight(p, i) *
					    rung_qsvr_weight(p, j) *
					    (0.5 * kv + p->xi);
					full[(size_t)(K * nn + i) * nv +
					    K * m + j] = v;
					full[(size_t)(K * (n + nn) + i) * nv +
					    K * (n + m) + j] = v;
					full[(size_t)(K * nn + i) * nv +
					    K * (n + m) + j] = -v;
					full[(size_t)(K * (n + nn) + i) * nv +
					    K * m + j] = -v;
				}
			}
		}
	}
	for (nn = 0; nn < n; nn++) {
		for (i = 0; i < K; i++) {
			wi = rung_qsvr_weight(p, i);
			a = K * nn + i;
			full[(size_t)a * nv + a] += wi * (p->epsilon - y[nn]);
			a = K * (n + nn) + i;
			full[(size_t)a * nv + a] += wi * (p->epsilon + y[nn]);
		}
	}
	rung_qubo_init(qb, nv);
	for (a = 0; a < nv; a++) {
		qb->q[(size_t)a * nv + a] = full[(size_t)a * nv + a];
		for (b = a + 1; b < nv; b++)
			qb->q[(size_t)a * nv + b] = full[(size_t)a * nv + b] +
			    full[(size_t)b * nv + a];
	}
	free(full);
}

void
rung_qsvr_decode(const struct rung_qsvr_params *p, const uint8_t *bits,
    uint32_t n, double *coef)
{
	uint32_t	 c, k;

	for (c = 0; c < 2 * n; c++) {
		coef[c] = 0;
		for (k = 0; k < p->K; k++) {
			if (bits[p->K * c + k])
				coef[c] += rung_qsvr_weight(p, k);
		}
	}
}

void
rung_qsvr_free(struct rung_qsvr *q)
{
	if (q == NULL)
		return;
	free(q->x);
	free(q->coef);
	free(q);
}

/* sum_j dc_j k(row, x_j) over the training points. */
static double
decision(const double *dc, const double *x, uint32_t n, uint32_t d,
    double gamma, const double *row)
{
	double	 s = 0;
	uint32_t j;

	for (j = 0; j < n; j++)
		s += dc[j] * rbf(row, x + (size_t)j * d, d, gamma);
	return s;
}

/* numpy's isclose(v, 0): |v| <= 1e-8. */
static int
near_zero(double v)
{
	return fabs(v) <= 1e-8;
}

/* The bias of one coefficient set (the comment at the top). */
static double
bias(const struct rung_qsvr_params *p, const double *alpha,
    const double *astar, const double *dc, const double *x, const double *y,
    uint32_t n, uint32_t d)
{
	double	 sum = 0, f;
	uint32_t i, cnt = 0;
	int	 sv;

	for (i = 0; i < n; i++) {
		sv = (!near_zero(alpha[i]) && alpha[i] < p->C) +
		    (!near_zero(astar[i]) && astar[i] < p->C);
		if (sv == 0)
			continue;
		f = y[i] - p->epsilon - decision(dc, x, n, d, p->gamma,
		    x + (size_t)i * d);
		sum += sv * f;
		cnt += sv;
	}
	if (cnt > 0)
		return sum / cnt;
	for (i = 0; i < n; i++)
		sum += y[i] - p->epsilon - decision(dc, x, n, d, p->gamma,
		    x + (size_t)i * d);
	return n ? sum / n : 0;
}

struct ranked {
	double		 e;
	const uint8_t	*x;
	uint32_t	 nv;
};

static int
ranked_cmp(const void *a, const void *b)
{
	const struct ranked *ra = a, *rb = b;

	if (ra->e != rb->e)
		return ra->e < rb->e ? -1 : 1;
	return memcmp(ra->x, rb->x, ra->nv);
}

/* numpy-safe: log2(cosh(t)) as logaddexp2(t, -t) - 1. */
static double
log2cosh(double t)
{
	t = fabs(t);
	return t + log1p(exp2(-2 * t)) / log(2.) - 1;
}

/* w normalised to sum 1 (v / sum v), or as a softmax of v. */
static void
weights(const double *v, uint32_t m, int softmax, double *w)
{
	double	 s = 0, mx = -HUGE_VAL;
	uint32_t i;

	for (i = 0; i < m; i++)
		if (v[i] > mx)
			mx = v[i];
	for (i = 0; i < m; i++) {
		w[i] = softmax ? exp(v[i] - mx) : v[i];
		s += w[i];
	}
	for (i = 0; i < m; i++)
		w[i] /= s;
}

int
rung_qsvr_combine(const struct rung_qsvr_params *p, const double *x,
    const double *y, uint32_t n, uint32_t d, const uint8_t *samples,
    uint32_t nsamples, struct rung_qsvr **out, char **cause)
{
	struct rung_qsvr *q;
	struct rung_qubo qb;
	struct ranked	*rk;
	uint32_t	 nv = 2 * p->K * n, m, keep, i, j, s, best;
	double		*coef, *pred, *tmp, *w, *inv_mse, *inv_lc, *r2;
	double		*alpha, *astar, mse, lc, t;

	*out = NULL;
	if (nsamples == 0 || n == 0) {
		xasprintf(cause, "no samples to combine");
		return -1;
	}
	/* The distinct samples by energy, the lowest first. */
	rung_qsvr_qubo(p, x, y, n, d, &qb);
	rk = xreallocarray(NULL, nsamples, sizeof *rk);
	for (i = 0; i < nsamples; i++) {
		rk[i].x = samples + (size_t)i * nv;
		rk[i].nv = nv;
		rk[i].e = rung_qubo_energy(&qb, rk[i].x);
	}
	rung_qubo_release(&qb);
	qsort(rk, nsamples, sizeof *rk, ranked_cmp);
	for (i = 1, m = 1; i < nsamples; i++) {
		if (memcmp(rk[i].x, rk[m - 1].x, nv) != 0)
			rk[m++] = rk[i];
	}
	keep = (uint32_t)((uint64_t)nsamples * 4 / 1000);
	if (keep < 2)
		keep = 2;
	if (keep > m)
		keep = m;

	/* Each kept sample's coefficients and its errors on the points. */
	coef = xreallocarray(NULL, (size_t)keep * 2 * n, sizeof *coef);
	pred = xreallocarray(NULL, n, sizeof *pred);
	tmp = xreallocarray(NULL, (size_t)n * 4 + keep * 4, sizeof *tmp);
	inv_mse = tmp + (size_t)n * 4;
	inv_lc = inv_mse + keep;
	r2 = inv_lc + keep;
	w = r2 + keep;
	alpha = tmp;
	astar = tmp + n;
	for (s = 0; s < keep; s++) {
		double	*c = coef + (size_t)s * 2 * n;

		rung_qsvr_decode(p, rk[s].x, n, c);
		for (j = 0; j < n; j++)
			pred[j] = c[j] - c[n + j];
		t = bias(p, c, c + n, pred, x, y, n, d);
		memcpy(tmp + 2 * n, pred, n * sizeof *pred);
		for (i = 0; i < n; i++)
			pred[i] = decision(tmp + 2 * n, x, n, d, p->gamma,
			    x + (size_t)i * d) + t;
		mse = lc = 0;
		for (i = 0; i < n; i++) {
			mse += (y[i] - pred[i]) * (y[i] - pred[i]);
			lc += log2cosh(y[i] - pred[i]);
		}
		mse /= n;
		/* A perfect fit weighs as the largest finite weight. */
		inv_mse[s] = mse > 0 ? 1 / mse : 1e300;
		inv_lc[s] = lc > 0 ? 1 / lc : 1e300;
		r2[s] = rung_r2_score(y, pred, n, tmp + 3 * n);
	}
	best = 0;
	for (s = 1; s < keep; s++)
		if (inv_mse[s] > inv_mse[best])
			best = s;

	q = xcalloc(1, sizeof *q);
	q->n = n;
	q->d = d;
	q->gamma = p->gamma;
	q->used = keep;
	q->x = xreallocarray(NULL, (size_t)n * d + 1, sizeof *q->x);
	memcpy(q->x, x, (size_t)n * d * sizeof *q->x);
	q->coef = xcalloc((size_t)RUNG_QSVR_SETS * n, sizeof *q->coef);
	for (i = 0; i < RUNG_QSVR_SETS; i++) {
		/* The authors' order of the sets. */
		switch (i) {
		case 0: weights(inv_mse, keep, 0, w); break;
		case 1: weights(inv_mse, keep, 1, w); break;
		case 2: weights(inv_lc, keep, 0, w); break;
		case 3: weights(inv_lc, keep, 1, w); break;
		case 4:
			for (s = 0; s < keep; s++)
				w[s] = s == best;
			break;
		case 5:
			for (s = 0; s < keep; s++)
				w[s] = 1. / keep;
			break;
		default: weights(r2, keep, 1, w); break;
		}
		for (j = 0; j < 2 * n; j++) {
			t = 0;
			for (s = 0; s < keep; s++)
				t += w[s] * coef[(size_t)s * 2 * n + j];
			(j < n ? alpha : astar)[j % n] = t;
		}
		for (j = 0; j < n; j++)
			q->coef[(size_t)i * n + j] = alpha[j] - astar[j];
		q->b[i] = bias(p, alpha, astar, q->coef + (size_t)i * n, x, y,
		    n, d);
	}
	free(coef);
	free(pred);
	free(tmp);
	free(rk);
	*out = q;
	return 0;
}

double
rung_qsvr_predict(const struct rung_qsvr *q, const double *row)
{
	double	 kv, s = 0;
	uint32_t i, j;

	for (j = 0; j < q->n; j++) {
		kv = rbf(row, q->x + (size_t)j * q->d, q->d, q->gamma);
		for (i = 0; i < RUNG_QSVR_SETS; i++)
			s += q->coef[(size_t)i * q->n + j] * kv;
	}
	for (i = 0; i < RUNG_QSVR_SETS; i++)
		s += q->b[i];
	return s / RUNG_QSVR_SETS;
}
