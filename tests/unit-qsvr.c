/*
 * The QSVR (qsvr.h) and its sampler (anneal.h): the annealer against brute
 * force, the QUBO of a tiny problem against one derived by hand, decoding,
 * thread-count independence, and saved models.
 *
 *   unit-qsvr --time	time one fit of 120 binaries and 1000 reads
 *			(bench/qsvr.sh; not a test)
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rung/anneal.h"
#include "rung/predict.h"
#include "rung/qsvr.h"
#include "rung/rng.h"
#include "rung/xmalloc.h"

#include "tap.h"

static double
brute_min(const struct rung_qubo *qb)
{
	uint8_t		 x[32];
	uint64_t	 s;
	uint32_t	 i;
	double		 e, best = HUGE_VAL;

	for (s = 0; s < (1ULL << qb->n); s++) {
		for (i = 0; i < qb->n; i++)
			x[i] = (s >> i) & 1;
		if ((e = rung_qubo_energy(qb, x)) < best)
			best = e;
	}
	return best;
}

static void
test_anneal_brute(void)
{
	struct rung_qubo qb;
	struct rung_anneal_params ap;
	struct rung_rng	 rng;
	uint8_t		*x;
	double		*en, lo, want;
	uint32_t	 n, i, j, r, trial, found = 0, total = 0;
	char		*cause = NULL;

	rung_rng_seed(&rng, 42);
	rung_anneal_params_init(&ap);
	ap.reads = 100;
	for (trial = 0; trial < 12; trial++) {
		n = 4 + trial * 16 / 11;	/* 4 to 20 variables */
		rung_qubo_init(&qb, n);
		for (i = 0; i < n; i++) {
			for (j = i; j < n; j++)
				qb.q[(size_t)i * n + j] = 2 *
				    rung_rng_uniform(&rng) - 1;
		}
		qb.offset = 0.25;
		ap.seed = trial;
		x = xmalloc((size_t)ap.reads * n);
		en = xmalloc(ap.reads * sizeof *en);
		if (rung_anneal(&qb, &ap, x, en, &cause) != 0) {
			ok(0, "anneal: %s", cause);
			free(cause);
			return;
		}
		lo = HUGE_VAL;
		for (r = 0; r < ap.reads; r++) {
			if (en[r] < lo)
				lo = en[r];
		}
		want = brute_min(&qb);
		total++;
		if (fabs(lo - want) < 1e-9)
			found++;
		else
			printf("# %u variables: annealed %.17g, minimum "
			    "%.17g\n", n, lo, want);
		free(x);
		free(en);
		rung_qubo_release(&qb);
	}
	is_int(found, total, "the annealer finds the brute-force minimum of "
	    "random QUBOs of 4 to 20 variables");
}

/*
 * N = 2 points, K = 2 bits, k0 = 0 (weights w_0 = 1, w_1 = 1/2), xi 0.01,
 * epsilon 0.02, gamma 0.1; x_1 = 0, x_2 = 1 (one feature), y = (0.25, 1);
 * k = k(x_1, x_2) = exp(-0.1), k(x_n, x_n) = 1.
 *
 * Variables: 0, 1 the bits of alpha_1; 2, 3 of alpha_2; 4, 5 of alpha*_1;
 * 6, 7 of alpha*_2. With a_n = sum_i w_i x_(2n+i) and likewise a*_n, the
 * energy is
 *	1/2 sum_nm (a_n - a*_n)(a_m - a*_m)(k_nm + 2 xi)
 *	+ sum_n eps (a_n + a*_n) - y_n (a_n - a*_n).
 * Expanding, with x^2 = x for bits, variable u (coefficient n, bit i,
 * side s = +1 for alpha, -1 for alpha*) and v (m, j, s') above it:
 *	Q_uu = w_i^2 (1/2 + xi) + w_i (eps - s y_n)
 *	Q_uv = s s' w_i w_j (k_nm + 2 xi)
 * so, for instance,
 *	Q_00 = 1 (0.51) + 1 (0.02 - 0.25) = 0.28
 *	Q_11 = 1/4 (0.51) + 1/2 (0.02 - 0.25) = 0.0125
 *	Q_22 = 0.51 + 0.02 - 1 = -0.47
 *	Q_44 = 0.51 + 0.02 + 0.25 = 0.78
 *	Q_77 = 0.1275 + 0.5 (1.02) = 0.6375
 *	Q_01 = 1/2 (1.02) = 0.51		(same point, same side)
 *	Q_02 = 1 (k + 0.02)			(other point, same side)
 *	Q_04 = -1.02				(same point, other side)
 *	Q_07 = -1/2 (k + 0.02)
 *	Q_37 = -1/4 (1.02) = -0.255
 * and every other entry follows the same two lines.
 */
static void
test_qubo_by_hand(void)
{
	struct rung_qsvr_params p;
	struct rung_qubo qb;
	double		 x[2] = { 0, 1 }, y[2] = { 0.25, 1 };
	double		 k = exp(-0.1), w[2] = { 1, 0.5 };
	double		 want, got, worst = 0;
	uint32_t	 u, v, nu, nv_, iu, iv;
	int		 su, sv;

	rung_qsvr_params_init(&p);
	p.K = 2;
	p.k0 = 0;
	rung_qsvr_qubo(&p, x, y, 2, 1, &qb);
	is_int(qb.n, 8, "2 points, 2 bits: 8 variables");
	ok(fabs(qb.q[0 * 8 + 0] - 0.28) < 1e-12 &&
	    fabs(qb.q[1 * 8 + 1] - 0.0125) < 1e-12 &&
	    fabs(qb.q[2 * 8 + 2] + 0.47) < 1e-12 &&
	    fabs(qb.q[4 * 8 + 4] - 0.78) < 1e-12 &&
	    fabs(qb.q[7 * 8 + 7] - 0.6375) < 1e-12,
	    "the diagonal is as derived");
	ok(fabs(qb.q[0 * 8 + 1] - 0.51) < 1e-12 &&
	    fabs(qb.q[0 * 8 + 2] - (k + 0.02)) < 1e-12 &&
	    fabs(qb.q[0 * 8 + 4] + 1.02) < 1e-12 &&
	    fabs(qb.q[0 * 8 + 7] + 0.5 * (k + 0.02)) < 1e-12 &&
	    fabs(qb.q[3 * 8 + 7] + 0.255) < 1e-12,
	    "the couplings are as derived");
	/* Every entry, from the two lines of the derivation. */
	for (u = 0; u < 8; u++) {
		nu = (u / 2) % 2;
		iu = u % 2;
		su = u < 4 ? 1 : -1;
		for (v = 0; v < 8; v++) {
			nv_ = (v / 2) % 2;
			iv = v % 2;
			sv = v < 4 ? 1 : -1;
			if (v < u)
				want = 0;
			else if (u == v)
				want = w[iu] * w[iu] * (0.5 + 0.01) + w[iu] *
				    (0.02 - su * y[nu]);
			else
				want = su * sv * w[iu] * w[iv] *
				    ((nu == nv_ ? 1 : k) + 0.02);
			got = qb.q[u * 8 + v];
			if (fabs(got - want) > worst)
				worst = fabs(got - want);
		}
	}
	ok(worst < 1e-12, "all 64 entries as derived (worst %g)", worst);
	rung_qubo_release(&qb);
}

static void
test_decode(void)
{
	struct rung_qsvr_params p;
	uint8_t		 bits[12] = { 1, 0, 0,  0, 1, 1,  1, 1, 1,  0, 0, 0 };
	double		 c[4], w0, w1, w2;

	rung_qsvr_params_init(&p);
	w0 = pow(0.5, -0.005);
	w1 = pow(0.5, 1 - 0.005);
	w2 = pow(0.5, 2 - 0.005);
	is_dbl(rung_qsvr_weight(&p, 1), w1, "bit 1 weighs B^(1 - k0)");
	rung_qsvr_decode(&p, bits, 2, c);
	ok(c[0] == w0 && c[1] == w1 + w2 && c[2] == w0 + w1 + w2 &&
	    c[3] == 0, "decoding gives alpha_1, alpha_2, alpha*_1, alpha*_2 "
	    "as encoded: %g %g %g %g", c[0], c[1], c[2], c[3]);
}

/* Rows of a smooth function with noise: d features, the target last. */
static void
make_rows(uint32_t n, uint32_t d, uint64_t seed, double *x, double *y)
{
	struct rung_rng	 rng;
	uint32_t	 i, j;

	rung_rng_seed(&rng, seed);
	for (i = 0; i < n; i++) {
		y[i] = 0;
		for (j = 0; j < d; j++) {
			x[(size_t)i * d + j] = rung_rng_uniform(&rng);
			y[i] += (j + 1) * x[(size_t)i * d + j];
		}
		y[i] = 10 + y[i] * y[i] + 0.05 * rung_rng_uniform(&rng);
	}
}

static void
test_fit(void)
{
	struct rung_svr_params p;
	struct rung_svr	*m1 = NULL, *m4 = NULL, *ml = NULL;
	double		 x[60 * 3], y[60], a, b, c, yhat[60];
	char		*cause = NULL, *text = NULL;
	size_t		 len;
	uint32_t	 i, same = 0, loaded = 0;
	struct rung_scores sc;

	make_rows(60, 3, 5, x, y);
	rung_svr_params_init(&p);
	p.type = RUNG_QSVR;
	p.seed = 11;
	p.threads = 1;
	if (rung_svr_fit(&p, x, y, 60, 3, &m1, &cause) != 0) {
		ok(0, "fit: %s", cause);
		free(cause);
		return;
	}
	p.threads = 4;
	if (rung_svr_fit(&p, x, y, 60, 3, &m4, &cause) != 0) {
		ok(0, "fit: %s", cause);
		free(cause);
		return;
	}
	is_dbl(rung_svr_gamma(m1), 0.1, "QSVR's gamma is the authors' 0.1");
	ok(rung_svr_save(m1, &text, &len, &cause) == 0 &&
	    rung_svr_load(text, len, &ml, &cause) == 0, "save and load: %s",
	    cause ? cause : "ok");
	for (i = 0; i < 60; i++) {
		a = rung_svr_predict(m1, x + i * 3);
		b = rung_svr_predict(m4, x + i * 3);
		c = ml != NULL ? rung_svr_predict(ml, x + i * 3) : NAN;
		same += a == b;
		loaded += a == c;
		yhat[i] = a;
	}
	is_int(same, 60, "the same seed fits the same with 1 and 4 threads");
	is_int(loaded, 60, "a loaded QSVR predicts as the one saved");
	rung_scores_compute(y, yhat, 60, &sc);
	ok(sc.spearman > 0.8, "it learns: rank correlation %.3f on 60 rows "
	    "(20 trained on)", sc.spearman);
	rung_svr_free(ml);
	free(cause);
	cause = NULL;
	i = rung_svr_load("rung-qsvr 1\nfeatures 2\n", 22, &ml, &cause) != 0;
	ok(i && ml == NULL && strstr(cause, "not a saved QSVR") != NULL,
	    "a damaged QSVR text is refused: %s", cause);
	free(cause);
	free(text);
	rung_svr_free(m1);
	rung_svr_free(m4);
}

static void
test_names(void)
{
	is_int(rung_svr_type_parse("qsvr"), RUNG_QSVR, "qsvr is a type");
	is_str(rung_svr_type_name(RUNG_QSVR), "qsvr", "and is named so");
	is_str(rung_svr_type_name(RUNG_EPS_SVR), "eps-svr",
	    "eps-svr is still eps-svr");
	ok(rung_svr_type_fixed(RUNG_QSVR) && !rung_svr_type_fixed(
	    RUNG_NU_SVR), "QSVR's settings are fixed, nu-SVR's are not");
}

/* One fit of 20 points (120 binaries), 1000 reads: milliseconds. */
static int
time_fit(int threads)
{
	struct rung_svr_params p;
	struct rung_svr	*m;
	struct timespec	 t0, t1;
	double		 x[200 * 15], y[200], ms, best = HUGE_VAL;
	char		*cause = NULL;
	int		 r;

	make_rows(200, 15, 3, x, y);
	rung_svr_params_init(&p);
	p.type = RUNG_QSVR;
	p.threads = threads;
	for (r = 0; r < 5; r++) {
		p.seed = r;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (rung_svr_fit(&p, x, y, 200, 15, &m, &cause) != 0) {
			fprintf(stderr, "%s\n", cause);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		rung_svr_free(m);
		ms = (t1.tv_sec - t0.tv_sec) * 1e3 +
		    (t1.tv_nsec - t0.tv_nsec) / 1e6;
		if (ms < best)
			best = ms;
	}
	printf("qsvr fit, 120 binaries, 1000 reads, %d thread%s: %.1f ms "
	    "(best of 5)\n", threads, threads == 1 ? "" : "s", best);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--time") == 0)
		return time_fit(argc >= 3 ? atoi(argv[2]) : 1);
	test_names();
	test_anneal_brute();
	test_qubo_by_hand();
	test_decode();
	test_fit();
	return done_testing();
}
