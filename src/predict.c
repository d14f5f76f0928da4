/*
 * How early can a study be predicted: the evaluation of one prefix, its
 * trials split at random into training and test sets per repeat, the
 * search and the fit on the training set, the scores on the test set.
 *
 * Beside it, each test trial's own learning-curve extrapolation (lce.c)
 * is scored on the same test sets: a baseline that needs no training set,
 * which shows where the SVR's training pays off.
 *
 * The predictor's other parts: features.c (features and the scaler),
 * svr.c (libsvm), svr-text.c (saved models), scores.c, search.c.
 * Everything that scikit-learn computes before libsvm (the scalers, gamma
 * 'scale', r2_score) is done with the same operations in the same order,
 * numpy's pairwise summation included, so that a model trained here and
 * one trained by scikit-learn's Pipeline(MinMaxScaler, NuSVR) on the same
 * rows predict the same values and a grid search picks the same
 * candidate.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/lce.h"
#include "rung/pool.h"
#include "rung/predict.h"
#include "rung/rng.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "predict-int.h"

/* One repeat: its split and its training rows, as given and scaled. */
struct repeat {
	uint32_t	*perm;		/* training rows, then test rows */
	double		*xtr;
	double		*ytr;
	double		*xsc;
	double		*ysc;
	struct rung_svr_params chosen;
	struct rung_scores scores;
	struct rung_scores lce;		/* LCE's, on the same test rows */
	uint32_t	 lce_skipped;	/* test rows with no LCE */
	char		*cause;
};

/*
 * The LCE fits of a prefix, in chunks that each own a workspace: a fit
 * depends on the trial's points alone, so the chunking and the threads
 * change nothing in the predictions.
 */
#define LCE_CHUNKS	16

struct lce_chunk {
	struct rung_lce	 w;
	double		*x;
	double		*y;
	uint32_t	 cap;
};

struct eval_ctx {
	const struct rung_fit_opts *o;
	const struct rung_dataset *ds;
	uint32_t	 ntrain;
	uint32_t	 ntest;		/* the rows after ntrain in perm */
	uint32_t	 ntrials;	/* of the study: predictions' stride */
	struct repeat	*rep;

	const struct rung_study *s;
	int32_t		 prefix;
	uint32_t	 nchunks;
	struct lce_chunk *chunk;
	/*
	 * Per row of the dataset: LCE's prediction of the value at the
	 * target, in the metric's terms; NaN where its fit failed or the row
	 * is in no test set (need[row] 0).
	 */
	double		*lce;
	uint8_t		*need;
};

static void
repeat_split(const struct eval_ctx *e, uint32_t r)
{
	const struct rung_dataset *ds = e->ds;
	struct repeat	*rp = &e->rep[r];
	struct rung_scaler xs, ys;
	struct rung_rng	 rng;
	uint32_t	 i, d = ds->d, n = e->ntrain;

	rp->perm = xreallocarray(NULL, ds->n, sizeof *rp->perm);
	for (i = 0; i < ds->n; i++)
		rp->perm[i] = i;
	rung_rng_seed(&rng, e->o->seed + r);
	rung_rng_shuffle(&rng, rp->perm, ds->n);

	rp->xtr = xreallocarray(NULL, (size_t)n * d, sizeof *rp->xtr);
	rp->ytr = xreallocarray(NULL, n, sizeof *rp->ytr);
	for (i = 0; i < n; i++) {
		memcpy(rp->xtr + (size_t)i * d, ds->x +
		    (size_t)rp->perm[i] * d, d * sizeof *rp->xtr);
		rp->ytr[i] = ds->y[rp->perm[i]];
	}

	/* The search sees the training rows scaled as the model will. */
	rp->xsc = xreallocarray(NULL, (size_t)n * d, sizeof *rp->xsc);
	rp->ysc = xreallocarray(NULL, n, sizeof *rp->ysc);
	memcpy(rp->xsc, rp->xtr, (size_t)n * d * sizeof *rp->xsc);
	memcpy(rp->ysc, rp->ytr, n * sizeof *rp->ysc);
	rung_scaler_fit(&xs, rp->xtr, n, d, d);
	rung_scaler_fit(&ys, rp->ytr, n, 1, 1);
	for (i = 0; i < n; i++) {
		rung_scaler_apply(&xs, rp->xsc + (size_t)i * d);
		rung_scaler_apply(&ys, &rp->ysc[i]);
	}
	rung_scaler_release(&xs);
	rung_scaler_release(&ys);
}

/*
 * LCE's prediction for one trial from its recorded points at steps 1..K:
 * NaN when there is nothing to extrapolate (fewer than three points) or a
 * point is not finite (rung_lce_fit refuses it). lce.h works lower is
 * better: a maximised metric is negated there and back.
 */
static double
lce_predict(struct lce_chunk *c, const struct rung_study *s, uint32_t tr,
    int32_t prefix, int32_t target)
{
	double		 sign = s->direction == RUNG_MAX ? -1 : 1, v;
	uint32_t	 j, n = 0, len = rung_curve_len(s, tr);

	if (len > c->cap) {
		c->x = xreallocarray(c->x, len, sizeof *c->x);
		c->y = xreallocarray(c->y, len, sizeof *c->y);
		c->cap = len;
	}
	for (j = s->curve.off[tr]; j < s->curve.off[tr + 1]; j++) {
		if (s->curve.steps[j] > prefix)
			break;
		if (s->curve.steps[j] < 1)
			continue;
		c->x[n] = s->curve.steps[j];
		c->y[n++] = sign * s->curve.vals[j];
	}
	if (n < 3 || rung_lce_fit(&c->w, c->x, c->y, n) != 0)
		return NAN;
	v = sign * rung_lce_predict(&c->w, target);
	return isfinite(v) ? v : NAN;
}

static void
lce_chunk_run(void *arg, uint32_t k)
{
	struct eval_ctx	*e = arg;
	struct lce_chunk *c = &e->chunk[k];
	uint32_t	 i;

	rung_lce_init(&c->w);
	for (i = k; i < e->ds->n; i += e->nchunks) {
		if (e->need[i])
			e->lce[i] = lce_predict(c, e->s, e->ds->trial[i],
			    e->prefix, e->o->feat.target);
	}
}

/* LCE's predictions of every row that some repeat tests on. */
static void
lce_all(struct eval_ctx *e, uint32_t repeats)
{
	uint32_t	 i, r, n = e->ds->n;

	e->lce = xreallocarray(NULL, n, sizeof *e->lce);
	e->need = xcalloc(n, sizeof *e->need);
	for (i = 0; i < n; i++)
		e->lce[i] = NAN;
	for (r = 0; r < repeats; r++) {
		for (i = e->ntrain; i < e->ntrain + e->ntest; i++)
			e->need[e->rep[r].perm[i]] = 1;
	}
	e->nchunks = n < LCE_CHUNKS ? n : LCE_CHUNKS;
	e->chunk = xcalloc(e->nchunks, sizeof *e->chunk);
	rung_pool_run(e->nchunks, e->o->threads, lce_chunk_run, e);
	for (i = 0; i < e->nchunks; i++) {
		rung_lce_release(&e->chunk[i].w);
		free(e->chunk[i].x);
		free(e->chunk[i].y);
	}
	free(e->chunk);
	e->chunk = NULL;
}

/* LCE's scores on the repeat's test rows that it could predict. */
static void
repeat_lce(const struct eval_ctx *e, struct repeat *rp, double *ytest,
    double *yhat)
{
	uint32_t	 i, m = 0, ntest = e->ntest, row;

	for (i = 0; i < ntest; i++) {
		row = rp->perm[e->ntrain + i];
		if (isnan(e->lce[row]))
			continue;
		ytest[m] = e->ds->y[row];
		yhat[m++] = e->lce[row];
	}
	rp->lce_skipped = ntest - m;
	rung_scores_compute(ytest, yhat, m, &rp->lce);
}

/* Train on the repeat's training rows, score on its test rows. */
static void
repeat_fit(void *arg, uint32_t r)
{
	struct eval_ctx	*e = arg;
	const struct rung_dataset *ds = e->ds;
	struct repeat	*rp = &e->rep[r];
	struct rung_svr_params params;
	struct rung_svr	*m;
	uint32_t	 i, d = ds->d, ntest = e->ntest, row;
	double		*yhat, *ytest;
	char		 tag[64];

	/* With no search gamma stays 'scale', which fit resolves alike. */
	params = e->o->search.kind == RUNG_SEARCH_NONE ? e->o->svr :
	    rp->chosen;
	/*
	 * The QSVR's seed and its files, per prefix and repeat (libsvm
	 * ignores both): KPREFIX-rREPEAT.
	 */
	params.seed = e->o->seed + r;
	snprintf(tag, sizeof tag, "K%d-r%u", (int)e->prefix, r + 1);
	params.tag = tag;
	if (rung_svr_fit(&params, rp->xtr, rp->ytr, e->ntrain, d, &m,
	    &rp->cause) != 0)
		return;
	yhat = xreallocarray(NULL, (size_t)ntest * 2, sizeof *yhat);
	ytest = yhat + ntest;
	for (i = 0; i < ntest; i++) {
		row = rp->perm[e->ntrain + i];
		yhat[i] = rung_svr_predict(m, ds->x + (size_t)row * d);
		ytest[i] = ds->y[row];
		if (e->o->predictions != NULL)
			e->o->predictions[(size_t)r * e->ntrials +
			    ds->trial[row]] = yhat[i];
	}
	rung_scores_compute(ytest, yhat, ntest, &rp->scores);
	repeat_lce(e, rp, ytest, yhat);
	free(yhat);
	rung_svr_free(m);
}

/*
 * Mean and sample standard deviation (n - 1) of one score over the
 * repeats; the spread of one repeat is 0.
 */
static void
mean_sd(const struct repeat *v, size_t off, uint32_t n, double *mean,
    double *sd)
{
	double	 m = 0, ss = 0, x;
	uint32_t i;

	for (i = 0; i < n; i++) {
		memcpy(&x, (const char *)&v[i] + off, sizeof x);
		m += x;
	}
	m /= n;
	for (i = 0; i < n; i++) {
		memcpy(&x, (const char *)&v[i] + off, sizeof x);
		ss += (x - m) * (x - m);
	}
	*mean = m;
	*sd = n > 1 ? sqrt(ss / (n - 1)) : 0;
}

/* The mean and spread of score field of the repeats' which. */
#define MEAN_SD(which, field, mean, sd) mean_sd(e.rep,			\
	offsetof(struct repeat, which) + offsetof(struct rung_scores, field), \
	repeats, &row->mean.field, &row->sd.field)
#define MEAN_SD_ALL(which, mean, sd) do {				\
	MEAN_SD(which, r2, mean, sd);					\
	MEAN_SD(which, rmse, mean, sd);					\
	MEAN_SD(which, mae, mean, sd);					\
	MEAN_SD(which, spearman, mean, sd);				\
	MEAN_SD(which, kendall, mean, sd);				\
} while (0)

/*
 * The scaled training rows of a prefix's first split, as CSV (y, then the
 * features), with exact digits: the very data the search saw, for checking
 * rung against another tool.
 */
static int
dump_train(const char *dir, int32_t prefix, const double *x, const double *y,
    uint32_t n, uint32_t d, char **cause)
{
	char		*path, *name;
	FILE		*f;
	uint32_t	 i, j;
	int		 ret = 0;

	name = xprintf("train-%d.csv", (int)prefix);
	path = rung_path_join(dir, name);
	free(name);
	if ((f = fopen(path, "w")) == NULL) {
		xasprintf(cause, "cannot open '%s': %s", path, strerror(errno));
		free(path);
		return -1;
	}
	for (i = 0; i < n; i++) {
		fprintf(f, "%.17g", y[i]);
		for (j = 0; j < d; j++)
			fprintf(f, ",%.17g", x[(size_t)i * d + j]);
		fputc('\n', f);
	}
	if (fclose(f) != 0) {
		xasprintf(cause, "cannot write '%s': %s", path,
		    strerror(errno));
		ret = -1;
	}
	free(path);
	return ret;
}

/*
 * Why no trial is left to test on, in the study's terms: its steps, how
 * many trials have the prefix and the target, and what to change. A bare
 * count ("0 with steps 1 to 2") leaves the user guessing whether the study,
 * the prefix, the target or --train is at fault.
 */
static void
too_few(const struct rung_study *s, const struct rung_fit_opts *o,
    int32_t prefix, const struct rung_dataset *ds, uint32_t ntrain,
    char **cause)
{
	struct rung_buf	 b;
	uint32_t	 t, nprefix, ntarget = 0, have = 0;
	int32_t		 lo = 0, target = o->feat.target;
	int64_t		 at;

	for (t = 0; t < s->ntrials; t++) {
		if (rung_curve_len(s, t) == 0)
			continue;
		if (have++ == 0 || s->curve.steps[s->curve.off[t]] < lo)
			lo = s->curve.steps[s->curve.off[t]];
		if ((at = rung_find_step(s, t, target)) >= 0 &&
		    isfinite(s->curve.vals[at]))
			ntarget++;
	}
	nprefix = s->ntrials - ds->skipped_short;
	memset(&b, 0, sizeof b);
	rung_buf_printf(&b, "too few trials to test on: study '%s' has %u "
	    "trials", s->name != NULL ? s->name : "", s->ntrials);
	if (have > 0)
		rung_buf_printf(&b, " with steps %d to %d", (int)lo,
		    (int)s->max_step);
	rung_buf_printf(&b, "; %u have points to step %d, %u a value at "
	    "step %d, %u both", nprefix, (int)prefix, ntarget, (int)target,
	    ds->n);
	if (ds->skipped_nonfinite > 0)
		rung_buf_printf(&b, " (%u more have a NaN or infinite value "
		    "in the prefix)", ds->skipped_nonfinite);
	if (o->train != 0 && ds->n > 2) {
		rung_buf_printf(&b, "; --train %u leaves none to test: give "
		    "--train %u or less", ntrain, ds->n - 1);
		goto done;
	}
	rung_buf_printf(&b, "; it takes 3 (2 to train on, 1 to test): ");
	if (nprefix == 0 && have > 0 && lo > 1)
		rung_buf_printf(&b, "a prefix needs a point at or before "
		    "step K, and this study's steps start at %d", (int)lo);
	else if (s->ntrials < 3)
		rung_buf_printf(&b, "import a larger study");
	else if (nprefix < 3 && prefix > 1)
		rung_buf_printf(&b, "give a shorter --prefix, or import a "
		    "larger study");
	else if (ds->n < 3 && target > prefix + 1)
		rung_buf_printf(&b, "give an earlier --target, or import a "
		    "larger study");
	else
		rung_buf_printf(&b, "import a larger study");
done:
	*cause = xstrdup(rung_buf_cstr(&b));
	rung_buf_release(&b);
}

uint32_t
rung_fit_train_cap(const struct rung_search *sr)
{
	double		 fits;

	switch (sr->kind) {
	case RUNG_SEARCH_NONE:
		return RUNG_FIT_TRAIN_MAX;
	case RUNG_SEARCH_GRID:
		fits = (double)(sr->c_grid ? sr->nc : 5) *
		    (sr->nu_grid ? sr->nnu : 5) *
		    (sr->gamma_grid ? sr->ngamma : 5);
		break;
	default:
		fits = sr->nrandom > 0 ? sr->nrandom : 1;
		break;
	}
	fits *= sr->folds > 1 ? sr->folds : 3;
	/* As many fits of n / sqrt(fits) rows cost about one of n rows. */
	return (uint32_t)(RUNG_FIT_TRAIN_MAX / sqrt(fits));
}

uint32_t
rung_fit_default_train(const struct rung_fit_opts *o, uint32_t n)
{
	uint32_t	 k = (uint32_t)((uint64_t)n * 4 / 5), cap;

	cap = rung_fit_train_cap(&o->search);
	if (k > cap)
		k = cap;
	return k < 2 ? 2 : k;
}

/*
 * o->threads runs all of it (the search's own threads are not used here).
 * A random search draws the same candidates (search.seed) in every repeat:
 * the repeats differ by their split only. The spread is the sample
 * standard deviation over the repeats, 0 for one; the parameters reported
 * are the first repeat's.
 */
int
rung_fit_evaluate(const struct rung_study *s, const struct rung_fit_opts *o,
    int32_t prefix, struct rung_fit_row *row, char **cause)
{
	struct rung_featspec f = o->feat;
	struct rung_dataset ds;
	struct eval_ctx	 e;
	struct rung_svr_params *chosen = NULL;
	const double	**xs = NULL, **ys = NULL;
	uint32_t	 repeats = o->repeats ? o->repeats : 1, r;
	double		 score, *scores = NULL;
	int		 ret = -1;

	memset(row, 0, sizeof *row);
	row->prefix = prefix;
	f.prefix = prefix;
	if (rung_dataset_build(s, &f, 1, &ds, cause) != 0)
		return -1;
	row->n_skipped = ds.skipped_nonfinite;

	memset(&e, 0, sizeof e);
	e.o = o;
	e.ds = &ds;
	e.ntrials = s->ntrials;
	e.s = s;
	e.prefix = prefix;
	e.ntrain = o->train != 0 ? o->train : rung_fit_default_train(o, ds.n);
	if (e.ntrain >= ds.n) {
		too_few(s, o, prefix, &ds, e.ntrain, cause);
		goto out;
	}
	e.ntest = ds.n - e.ntrain;
	if (o->test != 0 && o->test < e.ntest)
		e.ntest = o->test;
	else if (o->test == 0 && e.ntest > RUNG_FIT_TEST_MAX)
		e.ntest = RUNG_FIT_TEST_MAX;
	row->n_rows = ds.n;
	row->n_train = e.ntrain;
	row->n_test = e.ntest;

	e.rep = xcalloc(repeats, sizeof *e.rep);
	for (r = 0; r < repeats; r++)
		repeat_split(&e, r);
	if (o->dump_dir != NULL && dump_train(o->dump_dir, prefix,
	    e.rep[0].xsc, e.rep[0].ysc, e.ntrain, ds.d, cause) != 0)
		goto out;

	/*
	 * The searches of every repeat share one pool of (candidate, fold)
	 * jobs, so that no thread idles while another repeat has work; the
	 * final fits of the repeats then run side by side too.
	 */
	if (o->search.kind != RUNG_SEARCH_NONE) {
		xs = xcalloc(repeats, sizeof *xs);
		ys = xcalloc(repeats, sizeof *ys);
		chosen = xcalloc(repeats, sizeof *chosen);
		scores = xcalloc(repeats, sizeof *scores);
		for (r = 0; r < repeats; r++) {
			xs[r] = e.rep[r].xsc;
			ys[r] = e.rep[r].ysc;
		}
		if (rung_svr_search_each(&o->svr, &o->search, xs, ys, repeats,
		    e.ntrain, ds.d, o->threads, chosen, scores, cause) != 0)
			goto out;
		for (r = 0; r < repeats; r++)
			e.rep[r].chosen = chosen[r];
	} else {
		for (r = 0; r < repeats; r++) {
			if (rung_svr_search(&o->svr, &o->search, e.rep[r].xsc,
			    e.rep[r].ysc, e.ntrain, ds.d, &e.rep[r].chosen,
			    &score, cause) != 0)
				goto out;
		}
	}
	lce_all(&e, repeats);
	rung_svm_quiet();
	rung_pool_run(repeats, o->threads, repeat_fit, &e);
	for (r = 0; r < repeats; r++) {
		if (e.rep[r].cause != NULL) {
			*cause = e.rep[r].cause;
			e.rep[r].cause = NULL;
			goto out;
		}
	}

	MEAN_SD_ALL(scores, mean, sd);
	MEAN_SD_ALL(lce, lce_mean, lce_sd);
	row->n_lce_skipped = e.rep[0].lce_skipped;
	row->chosen = e.rep[0].chosen;
	ret = 0;
out:
	free(xs);
	free(ys);
	free(chosen);
	free(scores);
	if (e.rep != NULL) {
		for (r = 0; r < repeats; r++) {
			free(e.rep[r].perm);
			free(e.rep[r].xtr);
			free(e.rep[r].ytr);
			free(e.rep[r].xsc);
			free(e.rep[r].ysc);
			free(e.rep[r].cause);
		}
	}
	free(e.rep);
	free(e.lce);
	free(e.need);
	rung_dataset_release(&ds);
	return ret;
}
