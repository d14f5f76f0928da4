/*
 * The predictor: random stream, scaler, scores, features, SVR, k-fold
 * search and evaluation.
 *
 * The same program has modes for tests/t0070-predict-sklearn.sh, which
 * compares rung with scikit-learn on datasets built from a committed
 * fixture through the real importer and store:
 *
 *   unit-predict --dump DIR	write each case's rows (y, then X) to DIR
 *   unit-predict --check DIR	compare with DIR/ref-CASE.txt (written
 *				by tests/sklearn-ref.py)
 *   unit-predict --bench CSV K THREADS [REPEATS]
 *				time a 5x5x5 grid with 3 folds on K-step
 *				Baker features of CSV (not a test)
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_SVM_H
#include <svm.h>
#else
#include <libsvm/svm.h>
#endif

#include "rung/import.h"
#include "rung/pool.h"
#include "rung/predict.h"
#include "rung/store.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "tap.h"

/* Random stream. */

static void
test_rng(void)
{
	struct rung_rng	 a, b;
	uint32_t	 v[50], w[50], seen[50], i, same;
	double		 u, lo = 1, hi = 0;
	int		 perm = 1;

	/* splitmix64's published first outputs for seed 0. */
	rung_rng_seed(&a, 0);
	ok(rung_rng_next(&a) == 0xe220a8397b1dcdafULL &&
	    rung_rng_next(&a) == 0x6e789e6aa1b965f4ULL &&
	    rung_rng_next(&a) == 0x06c45d188009454fULL,
	    "splitmix64 from seed 0 gives the reference stream");

	rung_rng_seed(&a, 12345);
	rung_rng_seed(&b, 12345);
	for (i = 0, same = 0; i < 1000; i++)
		same += rung_rng_next(&a) == rung_rng_next(&b);
	is_int(same, 1000, "the same seed gives the same stream");
	for (i = 0; i < 100000; i++) {
		u = rung_rng_uniform(&a);
		if (u < lo)
			lo = u;
		if (u > hi)
			hi = u;
	}
	ok(lo >= 0 && lo < 0.001 && hi < 1 && hi > 0.999,
	    "uniform stays in [0, 1) and covers it: %g %g", lo, hi);

	for (i = 0; i < 50; i++)
		v[i] = w[i] = i;
	rung_rng_seed(&a, 7);
	rung_rng_shuffle(&a, v, 50);
	rung_rng_seed(&a, 7);
	rung_rng_shuffle(&a, w, 50);
	ok(memcmp(v, w, sizeof v) == 0, "shuffle is deterministic");
	memset(seen, 0, sizeof seen);
	for (i = 0; i < 50; i++)
		seen[v[i]]++;
	for (i = 0; i < 50; i++)
		perm = perm && seen[i] == 1;
	ok(perm, "shuffle gives a permutation");
	for (i = 0, same = 0; i < 50; i++)
		same += v[i] == i;
	ok(same < 10, "and moves things (%u fixed points)", same);
	for (i = 0; i < 50; i++)
		w[i] = i;
	rung_rng_seed(&a, 8);
	rung_rng_shuffle(&a, w, 50);
	ok(memcmp(v, w, sizeof v) != 0, "another seed, another order");
	rung_rng_shuffle(&a, w, 0);
	rung_rng_shuffle(&a, w, 1);
	ok(1, "shuffles of 0 and 1 values are fine");

	for (i = 0; i < 1000; i++) {
		u = rung_rng_loguniform(&a, 1e-5, 10);
		if (!(u >= 1e-5 && u <= 10))
			break;
	}
	ok(i == 1000, "loguniform stays within its bounds");
}

/* Pool. */

struct pool_test {
	_Atomic uint32_t runs[1000];
	pthread_t	 caller;
	_Atomic uint32_t by_caller;
};

static void
pool_task(void *arg, uint32_t i)
{
	struct pool_test *pt = arg;

	pt->runs[i]++;
	if (pthread_equal(pthread_self(), pt->caller))
		pt->by_caller++;
}

static void
test_pool(void)
{
	static struct pool_test pt;
	int		 threads[] = { 1, 4, 0, 64 };
	uint32_t	 i, once;
	size_t		 k;

	for (k = 0; k < sizeof threads / sizeof threads[0]; k++) {
		memset(&pt, 0, sizeof pt);
		pt.caller = pthread_self();
		rung_pool_run(1000, threads[k], pool_task, &pt);
		for (i = 0, once = 0; i < 1000; i++)
			once += pt.runs[i] == 1;
		ok(once == 1000, "%d threads: each of 1000 tasks runs once",
		    threads[k]);
		if (threads[k] == 1)
			ok(pt.by_caller == 1000, "one thread is the caller's");
	}
	memset(&pt, 0, sizeof pt);
	rung_pool_run(0, 4, pool_task, &pt);
	ok(pt.runs[0] == 0, "no task, nothing runs");
}

/* Scaler. */

static void
test_scaler(void)
{
	struct rung_scaler sc;
	/* Three rows of (x, constant, tiny range). */
	double	 x[9] = { 2, 5, 1, 4, 5, 1 + 1e-16, 6, 5, 1 };
	double	 row[3] = { 4, 5, 1 };

	rung_scaler_fit(&sc, x, 3, 3, 3);
	is_dbl(sc.scale[0], 0.25, "scale = 1 / range");
	is_dbl(sc.min[0], -0.5, "min = -data_min * scale");
	is_dbl(sc.scale[1], 1, "a constant column has range 1");
	is_dbl(sc.min[1], -5, "and is shifted to 0");
	is_dbl(sc.scale[2], 1,
	    "a range under 10 epsilons counts as constant (scikit-learn)");
	rung_scaler_apply(&sc, row);
	ok(row[0] == 0.5 && row[1] == 0 && row[2] == 0, "apply");
	rung_scaler_release(&sc);

	/* A strided column: every other value of a row-major matrix. */
	rung_scaler_fit(&sc, x + 1, 3, 1, 3);
	is_dbl(rung_scaler_inverse1(&sc, 0.0), 5, "inverse of a 1-column scaler");
	rung_scaler_release(&sc);
	rung_scaler_fit(&sc, x, 3, 1, 3);
	is_dbl(rung_scaler_inverse1(&sc, 1.0), 6, "inverse maps 1 to the max");
	is_dbl(rung_scaler_inverse1(&sc, 0.5), 4, "and 0.5 to the middle");
	rung_scaler_release(&sc);
}

/* Scores. */

static void
near(double got, double want, double tol, const char *what)
{
	if (!ok(fabs(got - want) <= tol, "%s", what))
		printf("#   got %.17g, want %.17g\n", got, want);
}

static void
test_scores(void)
{
	struct rung_scores sc;
	double	 y[8] = { 3, 1, 4, 1, 5, 9, 2, 6 };
	double	 p[8] = { 2.5, 1, 4, 2, 5, 8, 2, 7 };
	double	 y2[5] = { 1, 1, 2, 2, 3 }, p2[5] = { 1, 2, 2, 3, 3 };
	double	 c[3] = { 2, 2, 2 }, c2[3] = { 2, 2, 3 };

	/*
	 * Residuals 0.5 0 0 -1 0 1 0 -1: SS_res = 3.25; mean 3.875,
	 * SS_tot = 52.875; R^2 = 1 - 3.25 / 52.875. Values from
	 * scikit-learn 1.2.1 and scipy 1.10.1.
	 */
	rung_scores_compute(y, p, 8, &sc);
	is_dbl(sc.r2, 0.9385342789598109, "R^2 as r2_score");
	is_dbl(sc.rmse, sqrt(3.25 / 8), "rmse");
	is_dbl(sc.mae, 0.4375, "mae");
	/*
	 * Average ranks: y 4 1.5 5 1.5 6 8 3 7, yhat 4 1 5 2.5 6 8 2.5 7;
	 * rho is their Pearson correlation, 0.9819277108433735 (spearmanr).
	 */
	near(sc.spearman, 0.9819277108433735, 1e-15, "spearman with ties");
	/*
	 * tau-b: 28 pairs, one tied in y, one in yhat, none in both,
	 * 0 discordant: (28 - 1 - 1 - 2 * 0) / sqrt(27) / sqrt(27) = 26/27.
	 */
	near(sc.kendall, 0.962962962962963, 1e-15, "kendall tau-b with ties");

	/*
	 * Ties on both sides: 10 pairs, 2 tied in y, 2 in yhat, 0 in both,
	 * 0 discordant: 6 / sqrt(8) / sqrt(8) = 0.7499999999999999 exactly
	 * as scipy divides; rho 0.8055555555555555.
	 */
	rung_scores_compute(y2, p2, 5, &sc);
	is_dbl(sc.kendall, 0.7499999999999999, "kendall divides as scipy");
	near(sc.spearman, 0.8055555555555555, 1e-15, "spearman, more ties");
	near(sc.r2, 0.2857142857142858, 1e-15, "r2 of the second case");

	rung_scores_compute(c, c, 3, &sc);
	is_dbl(sc.r2, 1.0, "constant truth predicted exactly: R^2 1");
	ok(isnan(sc.kendall) && isnan(sc.spearman),
	    "rank correlations of constants are NaN");
	rung_scores_compute(c, c2, 3, &sc);
	is_dbl(sc.r2, 0.0, "constant truth predicted wrongly: R^2 0");
	rung_scores_compute(y, p, 1, &sc);
	ok(isnan(sc.r2) && isnan(sc.kendall) && sc.mae == 0.5,
	    "one row: no R^2 or ranks, errors still");
	rung_scores_compute(y, p, 0, &sc);
	ok(isnan(sc.rmse) && isnan(sc.mae), "no row: NaN everywhere");
}

/* Features on a study made by hand. */

struct tpoints {
	int	 n;
	int32_t	 steps[6];
	float	 vals[6];
};

static struct rung_study *
hand_study(void)
{
	static const struct tpoints tp[6] = {
		{ 5, { 1, 2, 3, 4, 5 }, { 0.1f, 0.2f, 0.4f, 0.5f, 0.9f } },
		/* Starts at 0; no step 5, so no target. */
		{ 4, { 0, 1, 2, 3 }, { 9, 0.3f, 0.35f, 0.5f } },
		/* Too short. */
		{ 2, { 1, 2 }, { 0.1f, 0.2f } },
		/* A NaN in the prefix. */
		{ 4, { 1, 2, 3, 5 }, { 0.1f, NAN, 0.3f, 0.4f } },
		/* lr unset. */
		{ 5, { 1, 2, 3, 4, 5 }, { 0.3f, 0.3f, 0.6f, 0.7f, 0.8f } },
		/* No step 1: step 2's value stands for it. */
		{ 3, { 2, 3, 4 }, { 0.1f, 0.2f, 0.3f } },
	};
	static const double lr[6] = { 0.01, 0.1, 0.1, 0.1, NAN, 0.1 };
	static const double layers[6] = { 3, 2, 2, 4, 5, 1 };
	static const uint32_t opt[6] = { 0, 1, 1, 0, UINT32_MAX, 0 };
	struct rung_study *s;
	uint32_t	 t, k, at = 0;

	s = xcalloc(1, sizeof *s);
	s->name = xstrdup("hand");
	s->ntrials = 6;
	s->ids = xcalloc(6, sizeof *s->ids);
	s->curve.off = xcalloc(7, sizeof *s->curve.off);
	s->curve.steps = xcalloc(30, sizeof *s->curve.steps);
	s->curve.vals = xcalloc(30, sizeof *s->curve.vals);
	for (t = 0; t < 6; t++) {
		s->ids[t] = xprintf("t%u", t);
		s->curve.off[t] = at;
		for (k = 0; k < (uint32_t)tp[t].n; k++) {
			s->curve.steps[at] = tp[t].steps[k];
			s->curve.vals[at++] = tp[t].vals[k];
		}
	}
	s->curve.off[6] = at;
	s->nparams = 3;
	s->params = xcalloc(3, sizeof *s->params);
	s->params[0].name = xstrdup("lr");
	s->params[0].type = RUNG_PREAL;
	s->params[0].log = 1;
	s->params[0].num = xcalloc(6, sizeof(double));
	memcpy(s->params[0].num, lr, sizeof lr);
	s->params[1].name = xstrdup("layers");
	s->params[1].type = RUNG_PINT;
	s->params[1].num = xcalloc(6, sizeof(double));
	memcpy(s->params[1].num, layers, sizeof layers);
	s->params[2].name = xstrdup("opt");
	s->params[2].type = RUNG_PCAT;
	s->params[2].cat = xcalloc(6, sizeof(uint32_t));
	memcpy(s->params[2].cat, opt, sizeof opt);
	s->params[2].nlevels = 2;
	s->params[2].levels = xcalloc(2, sizeof(char *));
	s->params[2].levels[0] = xstrdup("adam");
	s->params[2].levels[1] = xstrdup("sgd");
	return s;
}

static void
test_features(void)
{
	struct rung_study *s = hand_study();
	struct rung_featspec f;
	struct rung_dataset ds;
	char		*cause = NULL;
	double		 v0 = 0.1f, v1 = 0.2f, v2 = 0.4f, want[10];
	int		 r;

	memset(&f, 0, sizeof f);
	f.kind = RUNG_FEAT_RAW;
	f.prefix = 3;
	f.target = 5;
	is_int(rung_featspec_width(&f), 3, "raw width is K");

	r = rung_dataset_build(s, &f, 1, &ds, &cause);
	ok(r == 0, "raw dataset builds");
	is_int(ds.n, 2, "two rows with a prefix and a target");
	is_int(ds.d, 3, "three columns");
	ok(ds.trial[0] == 0 && ds.trial[1] == 4, "trials 0 and 4");
	ok(ds.x[0] == v0 && ds.x[1] == v1 && ds.x[2] == v2,
	    "values as doubles of the float32 curve");
	is_dbl(ds.y[0], (double)0.9f, "target at step T");
	is_int(ds.skipped_short, 1, "one trial stopped before K");
	is_int(ds.skipped_nonfinite, 1, "one with a NaN in the prefix");
	is_int(ds.skipped_notarget, 2, "two without a value at T");
	rung_dataset_release(&ds);

	r = rung_dataset_build(s, &f, 0, &ds, &cause);
	ok(r == 0 && ds.n == 4 && ds.trial[1] == 1 && isnan(ds.y[1]),
	    "without need_target a trial without T has a NaN target");
	ok(ds.x[3] == (double)0.3f && ds.x[5] == (double)0.5f,
	    "a curve starting at step 0 is read from step 1");
	ok(ds.n == 4 && ds.trial[3] == 5 && ds.x[9] == (double)0.1f &&
	    ds.x[10] == (double)0.1f && ds.x[11] == (double)0.2f,
	    "a curve starting at step 2 holds its first value back to step 1");
	rung_dataset_release(&ds);

	f.kind = RUNG_FEAT_BAKER;
	rung_featspec_params(&f, s);
	ok(f.kind == RUNG_FEAT_BAKER && f.prefix == 3 && f.target == 5,
	    "featspec_params keeps kind, prefix and target");
	ok(f.nparams == 3 && strcmp(f.pnames[2], "opt") == 0 &&
	    f.plog[0] == 1 && f.ptypes[1] == RUNG_PINT && f.nlevels[2] == 2 &&
	    strcmp(f.levels[2][1], "sgd") == 0,
	    "featspec_params copies names, types, log scales and levels");
	is_int(rung_featspec_width(&f), 3 + 2 + 1 + 1 + 1 + 2,
	    "baker width: K, K-1, K-2, then the parameters");
	r = rung_dataset_build(s, &f, 1, &ds, &cause);
	ok(r == 0 && ds.n == 1 && ds.d == 10, "baker dataset builds");
	is_int(ds.skipped_nonfinite, 2,
	    "an unset numeric parameter counts as non-finite");
	want[0] = v0;
	want[1] = v1;
	want[2] = v2;
	want[3] = v1 - v0;
	want[4] = v2 - v1;
	want[5] = (v2 - v1) - (v1 - v0);
	want[6] = log10(0.01);
	want[7] = 3;
	want[8] = 1;
	want[9] = 0;
	ok(ds.n == 1 && memcmp(ds.x, want, sizeof want) == 0,
	    "prefix, differences, second differences, log10, int, one-hot");
	if (ds.n == 1 && memcmp(ds.x, want, sizeof want) != 0) {
		for (r = 0; r < 10; r++)
			printf("#   %d: %.17g %.17g\n", r, ds.x[r], want[r]);
	}
	rung_dataset_release(&ds);

	/* Levels fixed in training: another order, one unknown to the study. */
	free(f.levels[2][0]);
	free(f.levels[2][1]);
	free(f.levels[2]);
	f.nlevels[2] = 3;
	f.levels[2] = xcalloc(3, sizeof(char *));
	f.levels[2][0] = xstrdup("sgd");
	f.levels[2][1] = xstrdup("rmsprop");
	f.levels[2][2] = xstrdup("adam");
	r = rung_dataset_build(s, &f, 0, &ds, &cause);
	ok(r == 0 && ds.d == 11 && ds.n == 3, "built with the spec's levels");
	ok(r == 0 && ds.x[8] == 0 && ds.x[9] == 0 && ds.x[10] == 1 &&
	    ds.x[11 + 8] == 1 && ds.x[11 + 10] == 0,
	    "one-hot follows the spec's level order");
	rung_dataset_release(&ds);
	s->params[2].cat[0] = UINT32_MAX;
	f.nlevels[2] = 1;
	r = rung_dataset_build(s, &f, 1, &ds, &cause);
	ok(r == 0 && ds.n == 1 && ds.x[8] == 0,
	    "an unset or unseen level encodes as zeros");
	rung_dataset_release(&ds);
	f.nlevels[2] = 3;

	free(f.pnames[1]);
	f.pnames[1] = xstrdup("depth");
	r = rung_dataset_build(s, &f, 1, &ds, &cause);
	ok(r != 0 && cause != NULL && strstr(cause, "'depth'") != NULL,
	    "a parameter missing from the study is an error: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	free(f.pnames[1]);
	f.pnames[1] = xstrdup("opt");
	f.ptypes[1] = RUNG_PINT;
	r = rung_dataset_build(s, &f, 1, &ds, &cause);
	ok(r != 0 && cause != NULL && strstr(cause, "categorical") != NULL,
	    "a categorical parameter read as a number is an error: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;

	f.prefix = 0;
	r = rung_dataset_build(s, &f, 1, &ds, &cause);
	ok(r != 0 && cause != NULL, "prefix 0 is an error");
	free(cause);
	cause = NULL;
	f.prefix = 1;
	f.kind = RUNG_FEAT_BAKER;
	is_int(rung_featspec_width(&f), 1 + 1 + 1 + 3,
	    "baker with K = 1 has no differences");

	rung_featspec_release(&f);
	ok(f.nparams == 0 && f.pnames == NULL, "release clears the spec");
	rung_study_free(s);
}

/*
 * A sparse study: points at steps 1, 3, 9 and 27 only (Hyperband's budgets
 * with eta 3); each feature step holds the last point at or before it.
 */
static void
test_features_sparse(void)
{
	static const int32_t steps[] = { 1, 3, 9, 27, 1, 3, 3, 9, 27 };
	static const float vals[] = { 0.8f, 0.6f, 0.4f, 0.3f, 0.9f, 0.7f,
		0.5f, 0.45f, 0.35f };
	struct rung_study *s;
	struct rung_featspec f;
	struct rung_dataset ds;
	char		*cause = NULL;
	double		 want[9];
	uint32_t	 k;
	int		 r;

	s = xcalloc(1, sizeof *s);
	s->name = xstrdup("sparse");
	s->ntrials = 3;
	s->ids = xcalloc(3, sizeof *s->ids);
	s->ids[0] = xstrdup("full");
	s->ids[1] = xstrdup("stopped");
	s->ids[2] = xstrdup("late");
	s->curve.off = xcalloc(4, sizeof *s->curve.off);
	s->curve.off[1] = 4;
	s->curve.off[2] = 6;
	s->curve.off[3] = 9;
	s->curve.steps = xcalloc(9, sizeof *s->curve.steps);
	s->curve.vals = xcalloc(9, sizeof *s->curve.vals);
	memcpy(s->curve.steps, steps, sizeof steps);
	memcpy(s->curve.vals, vals, sizeof vals);

	memset(&f, 0, sizeof f);
	f.kind = RUNG_FEAT_RAW;
	f.prefix = 9;
	f.target = 27;
	r = rung_dataset_build(s, &f, 1, &ds, &cause);
	ok(r == 0 && ds.n == 2 && ds.d == 9 && ds.trial[0] == 0 &&
	    ds.trial[1] == 2, "sparse: the trials that reached step 9");
	is_int(ds.skipped_short, 1, "sparse: one stopped at step 3");
	for (k = 0; k < 9; k++)
		want[k] = k + 1 < 3 ? (double)0.8f : k + 1 < 9 ?
		    (double)0.6f : (double)0.4f;
	ok(ds.n == 2 && memcmp(ds.x, want, sizeof want) == 0,
	    "sparse: steps 1-2 hold step 1, 3-8 step 3, 9 is step 9");
	is_dbl(ds.n == 2 ? ds.y[1] : 0, (double)0.35f,
	    "sparse: the target is the point at step 27");
	rung_dataset_release(&ds);

	/* A prefix between points holds the last one: nothing after K. */
	f.prefix = 5;
	r = rung_dataset_build(s, &f, 0, &ds, &cause);
	ok(r == 0 && ds.n == 2 && ds.x[4] == (double)0.6f &&
	    ds.x[5 + 2] == (double)0.5f, "sparse: prefix 5 ends with step "
	    "3's value, not step 9's");
	rung_dataset_release(&ds);
	rung_study_free(s);
}

/* Synthetic regression data: n rows of d features. */
static void
synth(uint64_t seed, uint32_t n, uint32_t d, double *x, double *y)
{
	struct rung_rng	 r;
	uint32_t	 i, j;

	rung_rng_seed(&r, seed);
	for (i = 0; i < n; i++) {
		for (j = 0; j < d; j++)
			x[i * d + j] = rung_rng_uniform(&r) * (j + 1) * 3;
		y[i] = sin(x[i * d]) + 0.1 * x[i * d + d - 1] +
		    0.05 * rung_rng_uniform(&r);
	}
}

static void
test_svr(void)
{
	struct rung_svr_params p;
	struct rung_svr	*m, *m2;
	double		 x[80 * 4], y[80], q[4] = { 1, 2, 3, 4 };
	double		 tx[6] = { 0, 0, 1, 2, 2, 4 }, ty[3] = { 1, 2, 3 };
	char		*text, *text2, *cause = NULL, *bad, *at;
	size_t		 len, len2;
	uint32_t	 i, same;
	int		 type, r;

	synth(1, 80, 4, x, y);
	for (type = 0; type < 2; type++) {
		rung_svr_params_init(&p);
		p.type = type ? RUNG_EPS_SVR : RUNG_NU_SVR;
		ok(rung_svr_fit(&p, x, y, 80, 4, &m, &cause) == 0,
		    "%s fits", type ? "eps-SVR" : "nu-SVR");
		for (i = 0, same = 0; i < 80; i++)
			same += fabs(rung_svr_predict(m, x + i * 4) - y[i]) < 0.2;
		ok(same > 70, "and predicts its training rows (%u close)", same);
		ok(rung_svr_save(m, &text, &len, &cause) == 0 &&
		    strlen(text) == len, "save");
		ok(strncmp(text, "rung-svr 1\n", 11) == 0 &&
		    strstr(text, "\nlibsvm ") != NULL &&
		    strstr(text, type ? "svm_type epsilon_svr" :
		    "svm_type nu_svr") != NULL, "the text holds libsvm's model");
		r = rung_svr_load(text, len, &m2, &cause);
		ok(r == 0, "load%s%s", cause ? ": " : "", cause ? cause : "");
		for (i = 0, same = 0; i < 80; i++) {
			same += rung_svr_predict(m, x + i * 4) ==
			    rung_svr_predict(m2, x + i * 4);
		}
		same += rung_svr_predict(m, q) == rung_svr_predict(m2, q);
		is_int(same, 81, "the loaded model predicts exactly the same");
		is_dbl(rung_svr_gamma(m2), rung_svr_gamma(m), "same gamma");
		ok(rung_svr_save(m2, &text2, &len2, &cause) == 0 &&
		    len2 == len && memcmp(text, text2, len) == 0,
		    "saving the loaded model gives the same text");
		free(text2);
		rung_svr_free(m2);

		/* Damaged texts fail with a cause and print nothing. */
		bad = xstrdup(text);
		bad[3] = 'X';
		r = rung_svr_load(bad, len, &m2, &cause);
		ok(r != 0 && cause != NULL, "a damaged header is refused: %s",
		    cause ? cause : "");
		free(cause);
		cause = NULL;
		free(bad);
		ok(rung_svr_load(text, len - 10, &m2, &cause) != 0 &&
		    cause != NULL, "a truncated text is refused");
		free(cause);
		cause = NULL;
		bad = xstrdup(text);
		memcpy(strstr(bad, "kernel_type rbf"), "kernel_type xyz", 15);
		ok(rung_svr_load(bad, len, &m2, &cause) != 0 && cause != NULL,
		    "an unknown libsvm kernel is refused before libsvm sees it");
		free(cause);
		cause = NULL;
		free(bad);
		/*
		 * What libsvm would read wrong (found by fuzz/fuzz-qsvr): a
		 * second rho inside a line (libsvm reads tokens, and loses
		 * the first rho's array), a count of support vectors that
		 * is not the lines below SV (it sizes its arrays by them).
		 */
		bad = xstrdup(text);
		at = strstr(bad, "\nrho ") + 5;
		memcpy(at, "1rho", 4);
		ok(rung_svr_load(bad, len, &m2, &cause) != 0 && cause != NULL,
		    "a header line holding a second key is refused");
		free(cause);
		cause = NULL;
		free(bad);
		bad = xstrdup(text);
		at = strstr(bad, "\ntotal_sv ") + 10;
		*at = *at == '9' ? '1' : (char)(*at + 1);
		ok(rung_svr_load(bad, len, &m2, &cause) != 0 && cause != NULL,
		    "total_sv other than the support vectors is refused");
		free(cause);
		cause = NULL;
		free(bad);
		free(text);
		rung_svr_free(m);
	}

	/*
	 * gamma 'scale': the rows scale to (0,0) (.5,.5) (1,1), whose six
	 * entries have variance 1/6: gamma = 1 / (2 * 1/6) = 3.
	 */
	rung_svr_params_init(&p);
	ok(rung_svr_fit(&p, tx, ty, 3, 2, &m, &cause) == 0, "tiny fit");
	near(rung_svr_gamma(m), 3, 1e-15, "gamma 'scale' = 1 / (d Var X)");
	rung_svr_free(m);
	p.gamma = 0.25;
	ok(rung_svr_fit(&p, tx, ty, 3, 2, &m, &cause) == 0 &&
	    rung_svr_gamma(m) == 0.25, "an absolute gamma is kept");
	rung_svr_free(m);
	p.nu = 0;
	r = rung_svr_fit(&p, tx, ty, 3, 2, &m, &cause);
	ok(r != 0 && cause != NULL && m == NULL, "nu 0 is refused: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	rung_svr_params_init(&p);
	ok(rung_svr_fit(&p, tx, ty, 0, 2, &m, &cause) != 0 && cause != NULL,
	    "no rows is refused");
	free(cause);
}

/*
 * r2_score for fewer than 8 values, where numpy's pairwise sum is a plain
 * loop: enough to recompute a fold's score by hand.
 */
static double
small_r2(const double *y, const double *p, uint32_t n)
{
	double	 num = 0, den = 0, mean = 0;
	uint32_t i;

	for (i = 0; i < n; i++)
		num += (y[i] - p[i]) * (y[i] - p[i]);
	for (i = 0; i < n; i++)
		mean += y[i];
	mean /= n;
	for (i = 0; i < n; i++)
		den += (y[i] - mean) * (y[i] - mean);
	return 1 - num / den;
}

static void
test_kfold(void)
{
	struct rung_svr_params base, best;
	struct rung_search s;
	struct svm_parameter lp;
	struct svm_problem prob;
	struct svm_node	 nodes[10][3], *xs[10];
	struct svm_model *m;
	double		 x[20], y[10], ys[10], p[4], one = 1, half = 0.5, score;
	double		 want = 0;
	uint32_t	 f, i, k, lo, hi, size;
	char		*cause = NULL;
	int		 r;

	/* Scaled data, as the search expects. */
	synth(3, 10, 2, x, y);
	for (i = 0; i < 20; i++)
		x[i] /= 6;
	rung_svr_params_init(&base);
	rung_search_init(&s);
	s.kind = RUNG_SEARCH_GRID;
	s.threads = 2;
	s.c_grid = s.nu_grid = &one;
	s.nu_grid = &half;
	s.gamma_grid = &one;
	s.nc = s.nnu = s.ngamma = 1;
	ok(rung_svr_search(&base, &s, x, y, 10, 2, &best, &score, &cause) == 0,
	    "a one-candidate search");

	/* KFold(3) of 10 rows: test blocks of 4, 3 and 3 rows, in order. */
	memset(&lp, 0, sizeof lp);
	lp.svm_type = NU_SVR;
	lp.kernel_type = RBF;
	lp.degree = 3;
	lp.gamma = best.gamma;
	lp.cache_size = 200;
	lp.eps = 1e-3;
	lp.C = 1;
	lp.nu = 0.5;
	lp.p = 0.1;
	lp.shrinking = 1;
	for (i = 0; i < 10; i++) {
		nodes[i][0].index = 1;
		nodes[i][0].value = x[i * 2];
		nodes[i][1].index = 2;
		nodes[i][1].value = x[i * 2 + 1];
		nodes[i][2].index = -1;
	}
	for (f = 0, lo = 0; f < 3; f++, lo = hi) {
		size = f == 0 ? 4 : 3;
		hi = lo + size;
		for (i = 0, k = 0; i < 10; i++) {
			if (i < lo || i >= hi) {
				xs[k] = nodes[i];
				ys[k++] = y[i];
			}
		}
		prob.l = (int)k;
		prob.x = xs;
		prob.y = ys;
		m = svm_train(&prob, &lp);
		for (i = lo; i < hi; i++)
			p[i - lo] = svm_predict(m, nodes[i]);
		svm_free_and_destroy_model(&m);
		want += small_r2(y + lo, p, size);
	}
	want /= 3;
	is_dbl(score, want, "the score is the mean R^2 of KFold's folds "
	    "4, 3, 3");

	s.folds = 11;
	r = rung_svr_search(&base, &s, x, y, 10, 2, &best, &score, &cause);
	ok(r != 0, "more folds than rows is refused: %s", cause ? cause : "");
	free(cause);
}

static void
test_search(void)
{
	struct rung_svr_params base, b1, b4;
	struct rung_search s;
	double		 x[90 * 3], y[90], s1, s4, cg[3] = { 0.1, 1, 10 };
	char		*cause = NULL;
	int		 r;

	synth(5, 90, 3, x, y);
	for (r = 0; r < 90 * 3; r++)
		x[r] /= 9;
	rung_svr_params_init(&base);
	rung_search_init(&s);
	ok(s.folds == 3 && s.kind == RUNG_SEARCH_NONE, "search defaults");
	ok(rung_svr_search(&base, &s, x, y, 90, 3, &b1, &s1, &cause) == 0 &&
	    isnan(s1) && b1.gamma > 0 && b1.C == 1,
	    "no search: the base with gamma resolved");

	s.kind = RUNG_SEARCH_GRID;
	s.c_grid = cg;
	s.nc = 3;
	s.threads = 1;
	ok(rung_svr_search(&base, &s, x, y, 90, 3, &b1, &s1, &cause) == 0,
	    "grid search, one thread");
	s.threads = 4;
	ok(rung_svr_search(&base, &s, x, y, 90, 3, &b4, &s4, &cause) == 0,
	    "grid search, four threads");
	ok(memcmp(&b1, &b4, sizeof b1) == 0 && s1 == s4,
	    "the same choice and score whatever the threads "
	    "(C %g gamma %g nu %g, R^2 %g)", b1.C, b1.gamma, b1.nu, s1);
	ok(s1 > 0.5 && s1 <= 1, "and a sensible score");

	base.type = RUNG_EPS_SVR;
	s.threads = 1;
	rung_svr_search(&base, &s, x, y, 90, 3, &b1, &s1, &cause);
	s.threads = 3;
	rung_svr_search(&base, &s, x, y, 90, 3, &b4, &s4, &cause);
	ok(memcmp(&b1, &b4, sizeof b1) == 0 && s1 == s4 && b1.type ==
	    RUNG_EPS_SVR, "eps-SVR grid: the same whatever the threads "
	    "(epsilon %g)", b1.epsilon);

	base.type = RUNG_NU_SVR;
	s.kind = RUNG_SEARCH_RANDOM;
	s.nrandom = 20;
	s.seed = 99;
	s.threads = 1;
	rung_svr_search(&base, &s, x, y, 90, 3, &b1, &s1, &cause);
	s.threads = 4;
	rung_svr_search(&base, &s, x, y, 90, 3, &b4, &s4, &cause);
	ok(memcmp(&b1, &b4, sizeof b1) == 0 && s1 == s4,
	    "random search: the same whatever the threads");
	ok(b1.C >= 1e-5 && b1.C <= 10 && b1.gamma >= 1e-5 && b1.gamma <= 10 &&
	    b1.nu > 0 && b1.nu <= 1, "random candidates in Baker's ranges");
	s.seed = 100;
	rung_svr_search(&base, &s, x, y, 90, 3, &b4, &s4, &cause);
	ok(b4.C != b1.C, "another seed draws other candidates");

	cg[0] = -1;
	s.kind = RUNG_SEARCH_GRID;
	r = rung_svr_search(&base, &s, x, y, 90, 3, &b1, &s1, &cause);
	ok(r != 0 && cause != NULL, "a negative C in the grid is refused: %s",
	    cause ? cause : "");
	free(cause);
}

/* The fixture through the real importer and store. */

static const char *datadir;

static struct rung_study *
load_fixture(const char *db, const char *csv)
{
	struct rung_store *st;
	struct rung_import_opts o;
	struct rung_import_report rep;
	struct rung_study *s = NULL;
	char		*cause = NULL, *wal, *shm;
	const char	*paths[1] = { csv };

	wal = xprintf("%s-wal", db);
	shm = xprintf("%s-shm", db);
	unlink(db);
	if (rung_store_open(db, 0, &st, &cause) != 0)
		goto fail;
	rung_import_opts_init(&o);
	o.study = "mq";
	o.direction = RUNG_MAX;
	if (rung_import(st, paths, 1, &o, &rep, &cause) != 0) {
		rung_store_close(st);
		goto fail;
	}
	rung_import_report_release(&rep);
	if (rung_store_load(st, "mq", NULL, 0, &s, &cause) != 0)
		s = NULL;
	rung_store_close(st);
fail:
	if (s == NULL) {
		printf("# %s: %s\n", csv, cause ? cause : "?");
		free(cause);
	}
	unlink(db);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
	return s;
}

static struct rung_study *
fixture_study(const char *db)
{
	struct rung_study *s;
	char		*csv;

	csv = xprintf("%s/predict/metaqnn_200.csv", datadir);
	s = load_fixture(db, csv);
	free(csv);
	return s;
}

static int
same_row(const struct rung_fit_row *a, const struct rung_fit_row *b)
{
	return a->n_train == b->n_train && a->n_test == b->n_test &&
	    memcmp(&a->mean, &b->mean, sizeof a->mean) == 0 &&
	    memcmp(&a->sd, &b->sd, sizeof a->sd) == 0 &&
	    memcmp(&a->chosen, &b->chosen, sizeof a->chosen) == 0;
}

static void
test_fixture(void)
{
	struct rung_study *s;
	struct rung_fit_opts o;
	struct rung_fit_row r1, r2;
	struct rung_dataset ds;
	double		 cg[2] = { 1, 10 };
	char		*cause = NULL;
	int		 r;

	if ((s = fixture_study("unit-predict.db")) == NULL) {
		ok(0, "the fixture loads");
		return;
	}
	ok(s->ntrials == 200 && s->nparams == 5, "the fixture loads: 200 "
	    "trials, 5 parameters");

	memset(&o, 0, sizeof o);
	o.feat.kind = RUNG_FEAT_BAKER;
	o.feat.target = 20;
	rung_featspec_params(&o.feat, s);
	o.feat.prefix = 5;
	r = rung_dataset_build(s, &o.feat, 1, &ds, &cause);
	ok(r == 0 && ds.n == 200 && ds.d == 5 + 4 + 3 + 200 + 1 + 3,
	    "Baker features of the fixture: %u rows of %u", ds.n, ds.d);
	rung_dataset_release(&ds);

	rung_svr_params_init(&o.svr);
	rung_search_init(&o.search);
	o.repeats = 3;
	o.seed = 1;
	o.threads = 1;
	o.feat.kind = RUNG_FEAT_RAW;
	ok(rung_fit_evaluate(s, &o, 4, &r1, &cause) == 0, "evaluate");
	ok(r1.prefix == 4 && r1.n_train == 160 && r1.n_test == 40 &&
	    r1.n_rows == 200 && r1.n_skipped == 0,
	    "80%% of 200 train, 40 test");
	ok(r1.mean.r2 > 0.5 && r1.sd.r2 > 0 && r1.mean.kendall > 0.3,
	    "a useful prediction (R^2 %.3f +- %.3f, tau %.3f)", r1.mean.r2,
	    r1.sd.r2, r1.mean.kendall);
	ok(r1.chosen.gamma > 0 && r1.chosen.C == 1,
	    "no search: the defaults, gamma resolved");
	o.threads = 3;
	ok(rung_fit_evaluate(s, &o, 4, &r2, &cause) == 0 && same_row(&r1, &r2),
	    "repeats in parallel give the same row");
	o.seed = 2;
	ok(rung_fit_evaluate(s, &o, 4, &r2, &cause) == 0 &&
	    r2.mean.r2 != r1.mean.r2, "another seed, other splits");

	o.search.kind = RUNG_SEARCH_GRID;
	o.search.c_grid = cg;
	o.search.nc = 2;
	o.repeats = 2;
	o.train = 100;
	o.threads = 1;
	ok(rung_fit_evaluate(s, &o, 3, &r1, &cause) == 0 && r1.n_train == 100,
	    "evaluate with a grid search, one thread");
	o.threads = 4;
	ok(rung_fit_evaluate(s, &o, 3, &r2, &cause) == 0 && same_row(&r1, &r2),
	    "four threads give the same row (C %g gamma %g nu %g)",
	    r1.chosen.C, r1.chosen.gamma, r1.chosen.nu);

	/* The default sizes: bounded whatever the study's size. */
	o.train = 0;
	o.search.kind = RUNG_SEARCH_NONE;
	is_int(rung_fit_train_cap(&o.search), RUNG_FIT_TRAIN_MAX,
	    "no search: at most RUNG_FIT_TRAIN_MAX training trials");
	is_int(rung_fit_default_train(&o, 200), 160, "80%% of 200");
	is_int(rung_fit_default_train(&o, 1000000), 8000, "8000 of a million");
	o.search.kind = RUNG_SEARCH_GRID;
	o.search.c_grid = NULL;
	o.search.folds = 3;
	is_int(rung_fit_train_cap(&o.search), 413,
	    "the default grid, 3 folds: 8000 / sqrt(375)");
	o.search.kind = RUNG_SEARCH_RANDOM;
	o.search.nrandom = 20;
	is_int(rung_fit_train_cap(&o.search), 1032, "random:20, 3 folds");
	o.search.nrandom = 6000;
	is_int(rung_fit_default_train(&o, 200), 59,
	    "a search of 18000 fits trains on 59 of 200 by default");
	o.search.kind = RUNG_SEARCH_NONE;
	o.test = 25;
	o.repeats = 1;
	ok(rung_fit_evaluate(s, &o, 3, &r1, &cause) == 0 && r1.n_train == 160 &&
	    r1.n_test == 25 && r1.n_rows == 200, "--test 25: 25 of the 40 "
	    "left scored (%u)", r1.n_test);
	o.test = 0;

	o.train = 200;
	r = rung_fit_evaluate(s, &o, 3, &r1, &cause);
	ok(r != 0 && cause != NULL && strstr(cause, "too few trials") != NULL,
	    "nothing left to test is an error: %s", cause ? cause : "");
	free(cause);
	rung_featspec_release(&o.feat);
	rung_study_free(s);
}

/*
 * A brute-force grid search with libsvm computing its own kernels: every
 * candidate on every fold, the first best mean. rung's search, which
 * precomputes kernels and cuts candidates that can no longer win, must
 * choose the same.
 */
static void
brute_search(const double *x, const double *y, uint32_t n, uint32_t d,
    double scale, struct rung_svr_params *best, double *score)
{
	static const double cg[] = { 0.01, 0.1, 1, 10, 100 };
	static const double ng[] = { 0.1, 0.3, 0.5, 0.7, 0.9 };
	static const double gg[] = { 0.01, 0.1, 1, 10, 100 };
	struct svm_parameter lp;
	struct svm_problem prob;
	struct svm_node	*nodes, **xs;
	struct svm_model *m;
	double		*ys, *p, mean;
	uint32_t	 a, b, c, f, i, k, lo, hi, size;

	nodes = xcalloc((size_t)n * (d + 1), sizeof *nodes);
	xs = xcalloc(n, sizeof *xs);
	ys = xcalloc(n, sizeof *ys);
	p = xcalloc(n, sizeof *p);
	for (i = 0; i < n; i++) {
		for (k = 0; k < d; k++) {
			nodes[i * (d + 1) + k].index = (int)k + 1;
			nodes[i * (d + 1) + k].value = x[i * d + k];
		}
		nodes[i * (d + 1) + d].index = -1;
	}
	memset(&lp, 0, sizeof lp);
	lp.svm_type = NU_SVR;
	lp.kernel_type = RBF;
	lp.degree = 3;
	lp.cache_size = 200;
	lp.eps = 1e-3;
	lp.p = 0.1;
	lp.shrinking = 1;
	*score = NAN;
	for (a = 0; a < 5; a++) {
		for (b = 0; b < 5; b++) {
			for (c = 0; c < 5; c++) {
				lp.C = cg[a];
				lp.gamma = gg[b] * scale;
				lp.nu = ng[c];
				mean = 0;
				for (f = 0, lo = 0; f < 3; f++, lo = hi) {
					size = n / 3 + (f < n % 3);
					hi = lo + size;
					for (i = 0, k = 0; i < n; i++) {
						if (i < lo || i >= hi) {
							xs[k] = nodes + i * (d + 1);
							ys[k++] = y[i];
						}
					}
					prob.l = (int)k;
					prob.x = xs;
					prob.y = ys;
					m = svm_train(&prob, &lp);
					for (i = lo; i < hi; i++)
						p[i - lo] = svm_predict(m,
						    nodes + i * (d + 1));
					svm_free_and_destroy_model(&m);
					mean += small_r2(y + lo, p, size);
				}
				mean /= 3;
				if (isnan(*score) || mean > *score) {
					*score = mean;
					best->C = lp.C;
					best->gamma = lp.gamma;
					best->nu = lp.nu;
				}
			}
		}
	}
	free(nodes);
	free(xs);
	free(ys);
	free(p);
}

/* The search on real curves: the same choice every way it can run. */
static void
test_search_exact(void)
{
	static const enum rung_features kinds[] = { RUNG_FEAT_RAW,
	    RUNG_FEAT_BAKER };
	struct rung_study *s;
	struct rung_featspec f;
	struct rung_dataset ds;
	struct rung_scaler xs, ys;
	struct rung_svr_params base, want, b[4];
	struct rung_search se;
	double		 wscore, sc[4];
	char		*cause = NULL;
	uint32_t	 i, k, v;

	if ((s = fixture_study("unit-predict-exact.db")) == NULL) {
		ok(0, "the fixture loads");
		return;
	}
	for (k = 0; k < 2; k++) {
		memset(&f, 0, sizeof f);
		f.kind = kinds[k];
		f.prefix = 4;
		f.target = 20;
		if (f.kind == RUNG_FEAT_BAKER)
			rung_featspec_params(&f, s);
		if (rung_dataset_build(s, &f, 1, &ds, &cause) != 0) {
			ok(0, "features: %s", cause);
			free(cause);
			continue;
		}
		rung_scaler_fit(&xs, ds.x, ds.n, ds.d, ds.d);
		rung_scaler_fit(&ys, ds.y, ds.n, 1, 1);
		for (i = 0; i < ds.n; i++) {
			rung_scaler_apply(&xs, ds.x + (size_t)i * ds.d);
			rung_scaler_apply(&ys, &ds.y[i]);
		}
		rung_svr_params_init(&base);
		rung_search_init(&se);
		rung_svr_search(&base, &se, ds.x, ds.y, ds.n, ds.d, &want,
		    &wscore, &cause);
		brute_search(ds.x, ds.y, ds.n, ds.d, want.gamma, &want,
		    &wscore);

		se.kind = RUNG_SEARCH_GRID;
		for (v = 0; v < 4; v++) {
			se.threads = v % 2 + 1;
			se.plain_kernel = v >= 2;
			rung_svr_search(&base, &se, ds.x, ds.y, ds.n, ds.d,
			    &b[v], &sc[v], &cause);
		}
		ok(b[0].C == want.C && b[0].nu == want.nu &&
		    b[0].gamma == want.gamma && fabs(sc[0] - wscore) <=
		    1e-12 * fabs(wscore), "%s features: the grid search "
		    "chooses as a full search with libsvm's own kernels "
		    "(C %g nu %g gamma %g, R^2 %.6f)", k ? "Baker" : "raw",
		    b[0].C, b[0].nu, b[0].gamma, sc[0]);
		for (v = 1; v < 4; v++) {
			if (memcmp(&b[v], &b[0], sizeof b[0]) != 0 ||
			    sc[v] != sc[0])
				break;
		}
		ok(v == 4, "%s features: precomputed and libsvm's kernels, "
		    "one and two threads: the same choice and score to the "
		    "last bit", k ? "Baker" : "raw");

		se.kind = RUNG_SEARCH_RANDOM;
		se.nrandom = 40;
		se.seed = 7;
		for (v = 0; v < 2; v++) {
			se.threads = 2;
			se.plain_kernel = v;
			rung_svr_search(&base, &se, ds.x, ds.y, ds.n, ds.d,
			    &b[v], &sc[v], &cause);
		}
		ok(memcmp(&b[1], &b[0], sizeof b[0]) == 0 && sc[1] == sc[0],
		    "%s features: a random search, the same with either "
		    "kernel", k ? "Baker" : "raw");
		rung_scaler_release(&xs);
		rung_scaler_release(&ys);
		rung_dataset_release(&ds);
		rung_featspec_release(&f);
	}
	rung_study_free(s);
	unlink("unit-predict-exact.db");
}

/*
 * Conformance cases: features of the fixture, the first TRAIN rows to
 * train on (151: KFold(3) then has folds of 51, 50 and 50), the rest to
 * predict.
 */
#define CONF_TRAIN 151

struct conf_case {
	const char	*name;
	enum rung_features kind;
	int32_t		 prefix;
	int		 some_params;	/* lr (log10), num_params, depth, dataset */
};

static const struct conf_case conf_cases[] = {
	{ "raw3", RUNG_FEAT_RAW, 3, 0 },
	{ "raw8", RUNG_FEAT_RAW, 8, 0 },
	{ "baker3", RUNG_FEAT_BAKER, 3, 0 },
	{ "baker8", RUNG_FEAT_BAKER, 8, 1 },
};
#define NCONF (sizeof conf_cases / sizeof conf_cases[0])

/* A Baker spec of four of the parameters, lr on a log scale. */
static void
some_params(struct rung_featspec *f, const struct rung_study *s)
{
	static const char *names[] = { "lr", "num_params", "depth",
		"training_dataset" };
	uint32_t	 i, k;
	int		 p;

	rung_featspec_params(f, s);
	for (i = 0, k = 0; i < f->nparams; i++) {
		for (p = 0; p < 4 && strcmp(f->pnames[i], names[p]) != 0; p++)
			;
		if (p == 4) {
			free(f->pnames[i]);
			if (f->levels[i] != NULL) {
				for (uint32_t l = 0; l < f->nlevels[i]; l++)
					free(f->levels[i][l]);
				free(f->levels[i]);
			}
			continue;
		}
		f->pnames[k] = f->pnames[i];
		f->ptypes[k] = f->ptypes[i];
		f->plog[k] = strcmp(f->pnames[i], "lr") == 0;
		f->nlevels[k] = f->nlevels[i];
		f->levels[k] = f->levels[i];
		k++;
	}
	f->nparams = k;
}

static int
conf_dataset(const struct rung_study *s, const struct conf_case *c,
    struct rung_dataset *ds)
{
	struct rung_featspec f;
	char		*cause = NULL;
	int		 r;

	memset(&f, 0, sizeof f);
	f.kind = c->kind;
	f.prefix = c->prefix;
	f.target = 20;
	if (c->kind == RUNG_FEAT_BAKER) {
		if (c->some_params)
			some_params(&f, s);
		else
			rung_featspec_params(&f, s);
	}
	r = rung_dataset_build(s, &f, 1, ds, &cause);
	if (r != 0) {
		fprintf(stderr, "%s: %s\n", c->name, cause);
		free(cause);
	} else if (ds->n <= CONF_TRAIN) {
		fprintf(stderr, "%s: only %u rows\n", c->name, ds->n);
		rung_dataset_release(ds);
		r = -1;
	}
	rung_featspec_release(&f);
	return r;
}

static int
dump(const char *dir)
{
	struct rung_study *s;
	struct rung_dataset ds;
	FILE		*fp;
	char		*path;
	uint32_t	 c, i, j;

	if ((s = fixture_study("unit-predict-dump.db")) == NULL)
		return 1;
	for (c = 0; c < NCONF; c++) {
		if (conf_dataset(s, &conf_cases[c], &ds) != 0)
			return 1;
		path = xprintf("%s/%s.txt", dir, conf_cases[c].name);
		if ((fp = fopen(path, "w")) == NULL) {
			perror(path);
			return 1;
		}
		fprintf(fp, "# %s: rows %u features %u train %u (y, then X)\n",
		    conf_cases[c].name, ds.n, ds.d, CONF_TRAIN);
		for (i = 0; i < ds.n; i++) {
			fprintf(fp, "%.17g", ds.y[i]);
			for (j = 0; j < ds.d; j++)
				fprintf(fp, " %.17g", ds.x[i * ds.d + j]);
			fputc('\n', fp);
		}
		fclose(fp);
		free(path);
		rung_dataset_release(&ds);
	}
	rung_study_free(s);
	return 0;
}

static double
relerr(double a, double b)
{
	double	 m = fmax(fmax(fabs(a), fabs(b)), 1e-12);

	return fabs(a - b) / m;
}

/*
 * One line of a reference file against rung: "pred nu|eps C nu|epsilon
 * tol v..." (predictions of the test rows) or "grid nu|eps C gamma
 * nu|epsilon score" (GridSearchCV's choice with the default grid).
 */
static int
check_line(const char *cname, char *line, const struct rung_dataset *ds,
    double *worst)
{
	struct rung_svr_params p, best;
	struct rung_search s;
	struct rung_scaler xs, ysc;
	struct rung_svr	*m;
	char		*tok, *save, *cause = NULL, kind[8];
	double		 a, b, tol, want, got, e, max = 0, score, *x, *y;
	double		 wc, wg, wv, ws;
	uint32_t	 i, n = ds->n - CONF_TRAIN, d = ds->d;
	int		 eps, fail = 0;

	tok = strtok_r(line, " \n", &save);
	if (tok == NULL || *tok == '#')
		return 0;
	if (strcmp(tok, "pred") == 0) {
		if (sscanf(save, "%7s %lf %lf %lf", kind, &a, &b, &tol) != 4)
			return -1;
		for (i = 0; i < 4; i++)
			strtok_r(NULL, " \n", &save);
		eps = strcmp(kind, "eps") == 0;
		rung_svr_params_init(&p);
		p.type = eps ? RUNG_EPS_SVR : RUNG_NU_SVR;
		p.C = a;
		if (eps)
			p.epsilon = b;
		else
			p.nu = b;
		p.tol = tol;
		if (rung_svr_fit(&p, ds->x, ds->y, CONF_TRAIN, d, &m,
		    &cause) != 0) {
			fprintf(stderr, "%s: %s\n", cname, cause);
			return -1;
		}
		for (i = 0; i < n; i++) {
			if ((tok = strtok_r(NULL, " \n", &save)) == NULL) {
				fprintf(stderr, "%s: %u predictions, not %u\n",
				    cname, i, n);
				rung_svr_free(m);
				return -1;
			}
			want = strtod(tok, NULL);
			got = rung_svr_predict(m, ds->x +
			    (size_t)(CONF_TRAIN + i) * d);
			if ((e = relerr(got, want)) > max)
				max = e;
		}
		rung_svr_free(m);
		fail = max > 1e-6;
		printf("%s %s C=%g %s=%g: max relative difference %.3g%s\n",
		    cname, kind, a, eps ? "epsilon" : "nu", b, max,
		    fail ? " FAIL" : "");
		if (max > *worst)
			*worst = max;
		return fail ? 1 : 0;
	}
	if (strcmp(tok, "grid") != 0)
		return -1;
	if (sscanf(save, "%7s %lf %lf %lf %lf", kind, &wc, &wg, &wv, &ws) != 5)
		return -1;
	eps = strcmp(kind, "eps") == 0;

	/* Scaled as the reference scaled them, then searched. */
	x = xreallocarray(NULL, (size_t)CONF_TRAIN * d, sizeof *x);
	y = xreallocarray(NULL, CONF_TRAIN, sizeof *y);
	memcpy(x, ds->x, (size_t)CONF_TRAIN * d * sizeof *x);
	memcpy(y, ds->y, CONF_TRAIN * sizeof *y);
	rung_scaler_fit(&xs, x, CONF_TRAIN, d, d);
	rung_scaler_fit(&ysc, y, CONF_TRAIN, 1, 1);
	for (i = 0; i < CONF_TRAIN; i++) {
		rung_scaler_apply(&xs, x + (size_t)i * d);
		rung_scaler_apply(&ysc, y + i);
	}
	rung_scaler_release(&xs);
	rung_scaler_release(&ysc);
	rung_svr_params_init(&p);
	p.type = eps ? RUNG_EPS_SVR : RUNG_NU_SVR;
	rung_search_init(&s);
	s.kind = RUNG_SEARCH_GRID;
	s.folds = 3;
	if (rung_svr_search(&p, &s, x, y, CONF_TRAIN, d, &best, &score,
	    &cause) != 0) {
		fprintf(stderr, "%s: %s\n", cname, cause);
		return -1;
	}
	free(x);
	free(y);
	fail = best.C != wc || relerr(best.gamma, wg) > 1e-12 ||
	    (eps ? best.epsilon : best.nu) != wv || relerr(score, ws) > 1e-6;
	printf("%s grid %s: rung C=%g gamma=%.6g %s=%g R^2=%.9g; "
	    "GridSearchCV C=%g gamma=%.6g %s=%g R^2=%.9g; relative "
	    "differences gamma %.3g R^2 %.3g%s\n", cname, kind, best.C,
	    best.gamma, eps ? "epsilon" : "nu", eps ? best.epsilon : best.nu,
	    score, wc, wg, eps ? "epsilon" : "nu", wv, ws,
	    relerr(best.gamma, wg), relerr(score, ws), fail ? " FAIL" : "");
	return fail ? 1 : 0;
}

static int
check(const char *dir)
{
	struct rung_study *s;
	struct rung_dataset ds;
	FILE		*fp;
	char		*path, *line = NULL;
	size_t		 cap = 0;
	uint32_t	 c, lines;
	double		 worst = 0;
	int		 r, failed = 0;

	if ((s = fixture_study("unit-predict-check.db")) == NULL)
		return 1;
	for (c = 0; c < NCONF; c++) {
		if (conf_dataset(s, &conf_cases[c], &ds) != 0)
			return 1;
		path = xprintf("%s/ref-%s.txt", dir, conf_cases[c].name);
		if ((fp = fopen(path, "r")) == NULL) {
			perror(path);
			return 1;
		}
		lines = 0;
		while (getline(&line, &cap, fp) != -1) {
			r = check_line(conf_cases[c].name, line, &ds, &worst);
			if (r < 0) {
				fprintf(stderr, "%s: a bad line\n", path);
				return 1;
			}
			failed += r;
			lines += line[0] != '#';
		}
		fclose(fp);
		if (lines < 6) {
			fprintf(stderr, "%s: only %u lines\n", path, lines);
			failed++;
		}
		free(path);
		rung_dataset_release(&ds);
	}
	free(line);
	rung_study_free(s);
	printf("worst relative difference %.3g; %d failed\n", worst, failed);
	return failed ? 1 : 0;
}

/* Timing of the benchmark's search, not a test. */
static int
bench(const char *csv, int32_t k, int threads, uint32_t repeats)
{
	struct rung_study *s;
	struct rung_fit_opts o;
	struct rung_fit_row row;
	char		*cause = NULL;
	double		 t0;

	if ((s = load_fixture("unit-predict-bench.db", csv)) == NULL)
		return 1;
	memset(&o, 0, sizeof o);
	o.feat.kind = RUNG_FEAT_RAW;
	o.feat.target = s->max_step;
	rung_svr_params_init(&o.svr);
	rung_search_init(&o.search);
	o.search.kind = RUNG_SEARCH_GRID;
	o.repeats = repeats;
	o.seed = 1;
	o.threads = threads;
	t0 = rung_now();
	if (rung_fit_evaluate(s, &o, k, &row, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	printf("prefix %d: %u train, %u test, R^2 %.4f, C %g gamma %g nu %g, "
	    "%.3f s with %d threads\n", k, row.n_train, row.n_test,
	    row.mean.r2, row.chosen.C, row.chosen.gamma, row.chosen.nu,
	    rung_now() - t0, threads);
	rung_study_free(s);
	return 0;
}

int
main(int argc, char **argv)
{
	if ((datadir = getenv("RUNG_TESTDATA")) == NULL)
		datadir = "tests/data";
	if (argc == 3 && strcmp(argv[1], "--dump") == 0)
		return dump(argv[2]);
	if (argc == 3 && strcmp(argv[1], "--check") == 0)
		return check(argv[2]);
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "--bench") == 0) {
		return bench(argv[2], atoi(argv[3]), atoi(argv[4]),
		    argc == 6 ? (uint32_t)atoi(argv[5]) : 1);
	}

	test_rng();
	test_pool();
	test_scaler();
	test_scores();
	test_features();
	test_features_sparse();
	test_svr();
	test_kfold();
	test_search();
	test_fixture();
	test_search_exact();
	return done_testing();
}
