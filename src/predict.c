/*
 * The learning-curve predictor: features from a study, scikit-learn's
 * MinMaxScaler, libsvm's nu-SVR and epsilon-SVR with an RBF kernel, scores,
 * k-fold search and the evaluation of one prefix.
 *
 * Everything that scikit-learn computes before libsvm (the scalers, gamma
 * 'scale', r2_score) is done here with the same operations in the same
 * order, numpy's pairwise summation included, so that a model trained here
 * and one trained by scikit-learn's Pipeline(MinMaxScaler, NuSVR) on the
 * same rows predict the same values and a grid search picks the same
 * candidate.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_SVM_H
#include <svm.h>
#else
#include <libsvm/svm.h>
#endif

#include "rung/predict.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

/* The default search grid (rung(1)). */
static const double default_c[] = { 0.01, 0.1, 1, 10, 100 };
static const double default_nu[] = { 0.1, 0.3, 0.5, 0.7, 0.9 };
static const double default_eps[] = { 0.01, 0.03, 0.1, 0.3, 1 };
static const double default_gamma[] = { 0.01, 0.1, 1, 10, 100 };
#define NDEFAULT 5

/*
 * libsvm prints progress through one global function pointer; setting it
 * is the only thing in libsvm that is not reentrant, so it is set once,
 * before any thread of ours can be training.
 */
static pthread_once_t svm_quiet_once = PTHREAD_ONCE_INIT;

static void
svm_discard(const char *s)
{
	(void)s;
}

static void
svm_quiet_init(void)
{
	svm_set_print_string_function(svm_discard);
}

static void
svm_quiet(void)
{
	pthread_once(&svm_quiet_once, svm_quiet_init);
}

/* Random numbers. */

void
rung_rng_seed(struct rung_rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t
rung_rng_next(struct rung_rng *r)
{
	uint64_t	 z;

	z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double
rung_rng_uniform(struct rung_rng *r)
{
	return (double)(rung_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform on [0, n) without modulo bias: reject the short last block. */
static uint32_t
rng_below(struct rung_rng *r, uint32_t n)
{
	uint64_t	 x, t;

	t = (0 - (uint64_t)n) % n;	/* 2^64 mod n */
	do
		x = rung_rng_next(r);
	while (x < t);
	return (uint32_t)(x % n);
}

void
rung_rng_shuffle(struct rung_rng *r, uint32_t *v, uint32_t n)
{
	uint32_t	 i, j, tmp;

	for (i = n; i > 1; i--) {
		j = rng_below(r, i);
		tmp = v[i - 1];
		v[i - 1] = v[j];
		v[j] = tmp;
	}
}

/* loguniform(lo, hi) as scipy.stats.loguniform: uniform in the logarithm. */
static double
rng_loguniform(struct rung_rng *r, double lo, double hi)
{
	return exp(log(lo) + rung_rng_uniform(r) * (log(hi) - log(lo)));
}

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

static double
np_sum(const double *a, size_t n)
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
static double
np_var(const double *a, size_t n, double *tmp)
{
	double	 mean;
	size_t	 i;

	mean = np_sum(a, n) / (double)n;
	for (i = 0; i < n; i++) {
		tmp[i] = a[i] - mean;
		tmp[i] = tmp[i] * tmp[i];
	}
	return np_sum(tmp, n) / (double)n;
}

/*
 * gamma 'scale' of scikit-learn's SVR: 1 / (d * X.var()) over every entry
 * of the (scaled) matrix; 1 when the variance is 0.
 */
static double
gamma_scale(const double *x, uint32_t n, uint32_t d)
{
	double	*tmp, var;
	size_t	 nd = (size_t)n * d;

	if (nd == 0)
		return 1.;
	tmp = xreallocarray(NULL, nd, sizeof *tmp);
	var = np_var(x, nd, tmp);
	free(tmp);
	return var != 0 ? 1. / ((double)d * var) : 1.;
}

/* Features. */

void
rung_featspec_release(struct rung_featspec *f)
{
	uint32_t	 i, l;

	for (i = 0; i < f->nparams; i++) {
		free(f->pnames[i]);
		if (f->levels != NULL && f->levels[i] != NULL) {
			for (l = 0; l < f->nlevels[i]; l++)
				free(f->levels[i][l]);
			free(f->levels[i]);
		}
	}
	free(f->pnames);
	free(f->ptypes);
	free(f->plog);
	free(f->nlevels);
	free(f->levels);
	memset(f, 0, sizeof *f);
}

/* The nearest names to a mistyped one, else every name there is. */
static void
no_param(const struct rung_featspec *f, const char *name, char **cause)
{
	struct rung_buf	 b = { 0 };
	uint32_t	 j;

	rung_buf_printf(&b, "no parameter '%s' in the study", name);
	if (!rung_buf_did_you_mean(&b, name, f->pnames, f->nparams)) {
		rung_buf_addstr(&b, " (it has ");
		for (j = 0; j < f->nparams; j++)
			rung_buf_printf(&b, "%s%s", j ? ", " : "",
			    f->pnames[j]);
		rung_buf_addstr(&b, f->nparams ? ")" : "none)");
	}
	*cause = xstrdup(rung_buf_cstr(&b));
	rung_buf_release(&b);
}

int
rung_featspec_keep(struct rung_featspec *f, char *const *names, size_t n,
    char **cause)
{
	struct rung_featspec old = *f;
	uint32_t	 i, j, *from;
	int		*used;

	from = xcalloc(n ? n : 1, sizeof *from);
	for (i = 0; i < n; i++) {
		for (j = 0; j < old.nparams; j++) {
			if (strcmp(old.pnames[j], names[i]) == 0)
				break;
		}
		if (j == old.nparams) {
			no_param(&old, names[i], cause);
			free(from);
			return -1;
		}
		from[i] = j;
	}
	/* Move the kept entries; free the others with the old arrays. */
	f->nparams = (uint32_t)n;
	f->pnames = xcalloc(n ? n : 1, sizeof *f->pnames);
	f->ptypes = xcalloc(n ? n : 1, sizeof *f->ptypes);
	f->plog = xcalloc(n ? n : 1, sizeof *f->plog);
	f->nlevels = xcalloc(n ? n : 1, sizeof *f->nlevels);
	f->levels = xcalloc(n ? n : 1, sizeof *f->levels);
	used = xcalloc(old.nparams ? old.nparams : 1, sizeof *used);
	for (i = 0; i < n; i++) {
		j = from[i];
		if (used[j]) {
			/* Named twice: a copy of its own. */
			f->pnames[i] = xstrdup(old.pnames[j]);
			f->levels[i] = NULL;
			f->nlevels[i] = 0;
			f->ptypes[i] = old.ptypes[j];
			f->plog[i] = old.plog[j];
			if (old.levels != NULL && old.levels[j] != NULL) {
				uint32_t l;

				f->nlevels[i] = old.nlevels[j];
				f->levels[i] = xcalloc(old.nlevels[j] ?
				    old.nlevels[j] : 1, sizeof **f->levels);
				for (l = 0; l < old.nlevels[j]; l++)
					f->levels[i][l] = xstrdup(
					    old.levels[j][l]);
			}
			continue;
		}
		used[j] = 1;
		f->pnames[i] = old.pnames[j];
		f->ptypes[i] = old.ptypes[j];
		f->plog[i] = old.plog[j];
		f->nlevels[i] = old.nlevels != NULL ? old.nlevels[j] : 0;
		f->levels[i] = old.levels != NULL ? old.levels[j] : NULL;
		old.pnames[j] = NULL;
		if (old.levels != NULL)
			old.levels[j] = NULL;
	}
	rung_featspec_release(&old);
	free(used);
	free(from);
	return 0;
}

void
rung_featspec_params(struct rung_featspec *f, const struct rung_study *s)
{
	struct rung_featspec keep = *f;
	const struct rung_param *p;
	uint32_t	 i, l;

	/* Keep kind, prefix and target; replace any earlier encoding. */
	rung_featspec_release(f);
	f->kind = keep.kind;
	f->prefix = keep.prefix;
	f->target = keep.target;

	f->nparams = s->nparams;
	if (s->nparams == 0)
		return;
	f->pnames = xcalloc(s->nparams, sizeof *f->pnames);
	f->ptypes = xcalloc(s->nparams, sizeof *f->ptypes);
	f->plog = xcalloc(s->nparams, sizeof *f->plog);
	f->nlevels = xcalloc(s->nparams, sizeof *f->nlevels);
	f->levels = xcalloc(s->nparams, sizeof *f->levels);
	for (i = 0; i < s->nparams; i++) {
		p = &s->params[i];
		f->pnames[i] = xstrdup(p->name);
		f->ptypes[i] = p->type;
		f->plog[i] = p->log;
		if (p->type != RUNG_PCAT)
			continue;
		f->nlevels[i] = p->nlevels;
		if (p->nlevels == 0)
			continue;
		f->levels[i] = xcalloc(p->nlevels, sizeof *f->levels[i]);
		for (l = 0; l < p->nlevels; l++)
			f->levels[i][l] = xstrdup(p->levels[l]);
	}
}

static uint32_t
diff_width(int32_t k, int32_t by)
{
	return k > by ? (uint32_t)(k - by) : 0;
}

uint32_t
rung_featspec_width(const struct rung_featspec *f)
{
	uint32_t	 w, i;

	if (f->prefix < 1)
		return 0;
	w = (uint32_t)f->prefix;
	if (f->kind != RUNG_FEAT_BAKER)
		return w;
	w += diff_width(f->prefix, 1) + diff_width(f->prefix, 2);
	for (i = 0; i < f->nparams; i++)
		w += f->ptypes[i] == RUNG_PCAT ? f->nlevels[i] : 1;
	return w;
}

void
rung_dataset_release(struct rung_dataset *ds)
{
	free(ds->x);
	free(ds->y);
	free(ds->trial);
	memset(ds, 0, sizeof *ds);
}

/* How each parameter of the spec is read from the study. */
struct pmap {
	const struct rung_param *p;
	uint32_t	 col;		/* first feature column */
	uint32_t	*level;		/* study level -> spec level, or UINT32_MAX */
};

struct named {
	const char	*s;
	uint32_t	 i;
};

static int
cmp_named(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->s,
	    ((const struct named *)b)->s);
}

/*
 * Map the study's levels to the spec's by name: sorted and searched, not
 * compared pairwise, because a parameter such as an architecture string
 * can have a level per trial.
 */
static uint32_t *
map_levels(const struct rung_param *p, char **levels, uint32_t nlevels)
{
	struct named	*sorted;
	uint32_t	*map, i, lo, hi, mid;
	int		 c;

	map = xcalloc(p->nlevels ? p->nlevels : 1, sizeof *map);
	sorted = xcalloc(nlevels ? nlevels : 1, sizeof *sorted);
	for (i = 0; i < nlevels; i++) {
		sorted[i].s = levels[i];
		sorted[i].i = i;
	}
	qsort(sorted, nlevels, sizeof *sorted, cmp_named);
	for (i = 0; i < p->nlevels; i++) {
		map[i] = UINT32_MAX;
		lo = 0;
		hi = nlevels;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			c = strcmp(p->levels[i], sorted[mid].s);
			if (c == 0) {
				map[i] = sorted[mid].i;
				break;
			}
			if (c < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
	}
	free(sorted);
	return map;
}

/* Position of step in trial t's points, or -1. Steps are sorted. */
static int64_t
find_step(const struct rung_study *s, uint32_t t, int32_t step)
{
	uint32_t	 lo = s->curve.off[t], hi = s->curve.off[t + 1], mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->curve.steps[mid] == step)
			return mid;
		if (s->curve.steps[mid] < step)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * Write the parameters of trial t into row; 0 if a numeric one is unset or
 * not finite (after log10), which leaves the trial out: an SVR has no use
 * for a hole, and guessing a value would hide it. An unset categorical
 * parameter encodes as all zeros, like a level unseen in training.
 */
static int
encode_params(const struct rung_featspec *f, const struct pmap *pm,
    uint32_t t, double *row)
{
	uint32_t	 i, lv;
	double		 v;

	for (i = 0; i < f->nparams; i++) {
		if (f->ptypes[i] == RUNG_PCAT) {
			memset(row + pm[i].col, 0, f->nlevels[i] * sizeof *row);
			lv = pm[i].p->cat[t];
			if (lv < pm[i].p->nlevels && pm[i].level[lv] != UINT32_MAX)
				row[pm[i].col + pm[i].level[lv]] = 1;
			continue;
		}
		v = pm[i].p->num[t];
		if (f->plog[i])
			v = log10(v);
		if (!isfinite(v))
			return 0;
		row[pm[i].col] = v;
	}
	return 1;
}

int
rung_dataset_build(const struct rung_study *s, const struct rung_featspec *f,
    int need_target, struct rung_dataset *ds, char **cause)
{
	struct pmap	*pm = NULL;
	uint32_t	 t, i, k, K, d, col, n = 0;
	int64_t		 at, tat;
	double		*row, y;
	int		 idx, ret = -1, baker = f->kind == RUNG_FEAT_BAKER;

	memset(ds, 0, sizeof *ds);
	if (f->prefix < 1) {
		xasprintf(cause, "the prefix must be at least 1 step, not %d",
		    (int)f->prefix);
		return -1;
	}
	if (need_target && f->target < 1) {
		xasprintf(cause, "the target step must be at least 1, not %d",
		    (int)f->target);
		return -1;
	}
	K = (uint32_t)f->prefix;
	d = rung_featspec_width(f);

	if (baker && f->nparams > 0) {
		pm = xcalloc(f->nparams, sizeof *pm);
		col = K + diff_width(f->prefix, 1) + diff_width(f->prefix, 2);
		for (i = 0; i < f->nparams; i++) {
			idx = rung_study_find_param(s, f->pnames[i]);
			if (idx < 0) {
				xasprintf(cause, "no parameter '%s' in study '%s'",
				    f->pnames[i], s->name ? s->name : "");
				goto out;
			}
			pm[i].p = &s->params[idx];
			if ((pm[i].p->type == RUNG_PCAT) !=
			    (f->ptypes[i] == RUNG_PCAT)) {
				xasprintf(cause, "parameter '%s' is %s in study "
				    "'%s' but %s in the model", f->pnames[i],
				    rung_ptype_name(pm[i].p->type),
				    s->name ? s->name : "",
				    rung_ptype_name(f->ptypes[i]));
				goto out;
			}
			pm[i].col = col;
			if (f->ptypes[i] == RUNG_PCAT) {
				pm[i].level = map_levels(pm[i].p, f->levels[i],
				    f->nlevels[i]);
				col += f->nlevels[i];
			} else
				col++;
		}
	}

	ds->d = d;
	if (s->ntrials > 0) {
		ds->x = xreallocarray(NULL, (size_t)s->ntrials * (d ? d : 1),
		    sizeof *ds->x);
		ds->y = xreallocarray(NULL, s->ntrials, sizeof *ds->y);
		ds->trial = xreallocarray(NULL, s->ntrials, sizeof *ds->trial);
	}
	for (t = 0; t < s->ntrials; t++) {
		/* Steps are sorted and unique: 1..K are K points in a row. */
		at = find_step(s, t, 1);
		if (at < 0 || (uint64_t)at + K > s->curve.off[t + 1] ||
		    s->curve.steps[at + K - 1] != (int32_t)K) {
			ds->skipped_short++;
			continue;
		}
		row = ds->x + (size_t)n * d;
		for (k = 0; k < K; k++) {
			row[k] = s->curve.vals[at + k];
			if (!isfinite(row[k]))
				break;
		}
		if (k < K) {
			ds->skipped_nonfinite++;
			continue;
		}
		if (baker) {
			for (k = 0; k + 1 < K; k++)
				row[K + k] = row[k + 1] - row[k];
			for (k = 0; k + 2 < K; k++) {
				row[K + (K - 1) + k] = row[K + k + 1] -
				    row[K + k];
			}
			if (!encode_params(f, pm, t, row)) {
				ds->skipped_nonfinite++;
				continue;
			}
		}
		y = NAN;
		if (f->target >= 1 && (tat = find_step(s, t, f->target)) >= 0)
			y = s->curve.vals[tat];
		if (need_target && !isfinite(y)) {
			ds->skipped_notarget++;
			continue;
		}
		ds->y[n] = isfinite(y) ? y : NAN;
		ds->trial[n] = t;
		n++;
	}
	ds->n = n;
	ret = 0;
out:
	if (pm != NULL) {
		for (i = 0; i < f->nparams; i++)
			free(pm[i].level);
		free(pm);
	}
	if (ret != 0)
		rung_dataset_release(ds);
	return ret;
}

/* Scaling. */

/*
 * MinMaxScaler with feature_range (0, 1): scale = 1 / range, min = -min *
 * scale. A range below 10 machine epsilons counts as 1, as in
 * scikit-learn's _handle_zeros_in_scale (1.2), not only an exact 0.
 */
void
rung_scaler_fit(struct rung_scaler *sc, const double *x, uint32_t n,
    uint32_t d, uint32_t stride)
{
	uint32_t	 i, j;
	double		 lo, hi, v, range;

	sc->d = d;
	sc->scale = xreallocarray(NULL, d ? d : 1, sizeof *sc->scale);
	sc->min = xreallocarray(NULL, d ? d : 1, sizeof *sc->min);
	for (j = 0; j < d; j++) {
		lo = INFINITY;
		hi = -INFINITY;
		for (i = 0; i < n; i++) {
			v = x[(size_t)i * stride + j];
			if (v < lo)
				lo = v;
			if (v > hi)
				hi = v;
		}
		if (n == 0)
			lo = hi = 0;
		range = hi - lo;
		if (range < 10 * 2.220446049250313e-16)
			range = 1;
		sc->scale[j] = 1 / range;
		sc->min[j] = 0 - lo * sc->scale[j];
	}
}

void
rung_scaler_apply(const struct rung_scaler *sc, double *row)
{
	uint32_t	 j;

	/* Two roundings, as numpy's X *= scale_; X += min_. */
	for (j = 0; j < sc->d; j++) {
		row[j] *= sc->scale[j];
		row[j] += sc->min[j];
	}
}

double
rung_scaler_inverse1(const struct rung_scaler *sc, double v)
{
	v -= sc->min[0];
	return v / sc->scale[0];
}

void
rung_scaler_release(struct rung_scaler *sc)
{
	free(sc->scale);
	free(sc->min);
	memset(sc, 0, sizeof *sc);
}

/* Support vector regression. */

void
rung_svr_params_init(struct rung_svr_params *p)
{
	memset(p, 0, sizeof *p);
	p->type = RUNG_NU_SVR;
	p->C = 1;
	p->nu = 0.5;
	p->epsilon = 0.1;
	p->gamma = 0;
	p->tol = 1e-3;
}

struct rung_svr {
	uint32_t		 d;
	struct rung_scaler	 xs;
	struct rung_scaler	 ys;
	/*
	 * libsvm's model keeps pointers into the problem's nodes: one array
	 * for all rows, freed after the model. A loaded model owns its
	 * support vectors itself and has no problem.
	 */
	struct svm_problem	 prob;
	struct svm_node		*nodes;
	struct svm_model	*model;
};

static int
check_params(const struct rung_svr_params *p, char **cause)
{
	if (!(p->C > 0) || !isfinite(p->C)) {
		xasprintf(cause, "C must be positive, not %g", p->C);
		return -1;
	}
	if (p->type == RUNG_NU_SVR && !(p->nu > 0 && p->nu <= 1)) {
		xasprintf(cause, "nu must be in (0, 1], not %g", p->nu);
		return -1;
	}
	if (p->type == RUNG_EPS_SVR && !(p->epsilon >= 0 &&
	    isfinite(p->epsilon))) {
		xasprintf(cause, "epsilon must be 0 or more, not %g",
		    p->epsilon);
		return -1;
	}
	if (!(p->tol > 0) || !isfinite(p->tol)) {
		xasprintf(cause, "tol must be positive, not %g", p->tol);
		return -1;
	}
	if (isnan(p->gamma) || isinf(p->gamma)) {
		xasprintf(cause, "gamma must be a number, not %g", p->gamma);
		return -1;
	}
	return 0;
}

/* scikit-learn's settings of libsvm for NuSVR and SVR. */
static void
libsvm_params(const struct rung_svr_params *p, double gamma,
    struct svm_parameter *lp)
{
	memset(lp, 0, sizeof *lp);
	lp->svm_type = p->type == RUNG_EPS_SVR ? EPSILON_SVR : NU_SVR;
	lp->kernel_type = RBF;
	lp->degree = 3;
	lp->gamma = gamma;
	lp->coef0 = 0;
	lp->cache_size = 200;
	lp->eps = p->tol;
	lp->C = p->C;
	lp->nr_weight = 0;
	lp->weight_label = NULL;
	lp->weight = NULL;
	lp->nu = p->nu;
	lp->p = p->epsilon >= 0 ? p->epsilon : 0;
	lp->shrinking = 1;
	lp->probability = 0;
}

/*
 * A row as libsvm nodes, zeros left out: libsvm's sparse kernels then skip
 * them (one-hot columns are mostly zeros), and since a left-out term adds
 * an exact 0 to its sum, the kernel values are those of scikit-learn's
 * dense libsvm, in the same order. Fills at most d + 1 nodes.
 */
static void
fill_nodes(struct svm_node *nodes, const double *row, uint32_t d)
{
	uint32_t	 j, k = 0;

	for (j = 0; j < d; j++) {
		if (row[j] == 0)
			continue;
		nodes[k].index = (int)j + 1;
		nodes[k++].value = row[j];
	}
	nodes[k].index = -1;
	nodes[k].value = 0;
}

/* libsvm needs numbers: NaN and infinity would train garbage silently. */
static int
check_rows(const double *x, const double *y, uint32_t n, uint32_t d,
    char **cause)
{
	size_t	 i;

	if (n > INT32_MAX / 2 || d > INT32_MAX - 1) {
		xasprintf(cause, "too many rows for libsvm: %u", n);
		return -1;
	}
	for (i = 0; i < (size_t)n * d; i++) {
		if (!isfinite(x[i])) {
			xasprintf(cause, "feature %zu of row %zu is %g",
			    i % d + 1, i / d + 1, x[i]);
			return -1;
		}
	}
	for (i = 0; i < n; i++) {
		if (!isfinite(y[i])) {
			xasprintf(cause, "the target of row %zu is %g", i + 1,
			    y[i]);
			return -1;
		}
	}
	return 0;
}

void
rung_svr_free(struct rung_svr *m)
{
	if (m == NULL)
		return;
	/* The model first: its support vectors point into the nodes. */
	if (m->model != NULL)
		svm_free_and_destroy_model(&m->model);
	free(m->prob.x);
	free(m->prob.y);
	free(m->nodes);
	rung_scaler_release(&m->xs);
	rung_scaler_release(&m->ys);
	free(m);
}

int
rung_svr_fit(const struct rung_svr_params *p, const double *x,
    const double *y, uint32_t n, uint32_t d, struct rung_svr **out,
    char **cause)
{
	struct rung_svr	*m;
	struct svm_parameter lp;
	const char	*err;
	double		*row, *sx, gamma;
	uint32_t	 i;

	*out = NULL;
	if (check_params(p, cause) != 0)
		return -1;
	if (n == 0 || d == 0) {
		xasprintf(cause, "nothing to train on: %u rows of %u features",
		    n, d);
		return -1;
	}
	if (check_rows(x, y, n, d, cause) != 0)
		return -1;
	svm_quiet();

	m = xcalloc(1, sizeof *m);
	m->d = d;
	rung_scaler_fit(&m->xs, x, n, d, d);
	rung_scaler_fit(&m->ys, y, n, 1, 1);

	sx = xreallocarray(NULL, (size_t)n * d, sizeof *sx);
	memcpy(sx, x, (size_t)n * d * sizeof *sx);
	for (i = 0; i < n; i++)
		rung_scaler_apply(&m->xs, sx + (size_t)i * d);
	gamma = p->gamma > 0 ? p->gamma : gamma_scale(sx, n, d);

	m->nodes = xreallocarray(NULL, (size_t)n * (d + 1), sizeof *m->nodes);
	m->prob.l = (int)n;
	m->prob.x = xreallocarray(NULL, n, sizeof *m->prob.x);
	m->prob.y = xreallocarray(NULL, n, sizeof *m->prob.y);
	for (i = 0; i < n; i++) {
		row = sx + (size_t)i * d;
		fill_nodes(m->nodes + (size_t)i * (d + 1), row, d);
		m->prob.x[i] = m->nodes + (size_t)i * (d + 1);
		m->prob.y[i] = y[i];
		rung_scaler_apply(&m->ys, &m->prob.y[i]);
	}
	free(sx);

	libsvm_params(p, gamma, &lp);
	if ((err = svm_check_parameter(&m->prob, &lp)) != NULL) {
		xasprintf(cause, "libsvm: %s", err);
		rung_svr_free(m);
		return -1;
	}
	m->model = svm_train(&m->prob, &lp);
	if (m->model == NULL) {
		xasprintf(cause, "libsvm failed to train");
		rung_svr_free(m);
		return -1;
	}
	*out = m;
	return 0;
}

double
rung_svr_predict(const struct rung_svr *m, const double *row)
{
	struct svm_node	 stackbuf[65], *nodes = stackbuf;
	uint32_t	 j, k;
	double		 v;

	if (m->d + 1 > sizeof stackbuf / sizeof stackbuf[0])
		nodes = xreallocarray(NULL, m->d + 1, sizeof *nodes);
	for (j = 0, k = 0; j < m->d; j++) {
		v = row[j] * m->xs.scale[j];
		v += m->xs.min[j];
		if (v == 0)
			continue;
		nodes[k].index = (int)j + 1;
		nodes[k++].value = v;
	}
	nodes[k].index = -1;
	v = svm_predict(m->model, nodes);
	if (nodes != stackbuf)
		free(nodes);
	return rung_scaler_inverse1(&m->ys, v);
}

double
rung_svr_gamma(const struct rung_svr *m)
{
	return m->model->param.gamma;
}

/*
 * Saving. libsvm writes and reads models only through a file name, so its
 * part goes through a temporary file. svm_save_model prints support vector
 * values with "%.8g", which would make a loaded model predict differently:
 * the exact values follow in a section of our own and replace them on
 * loading. Numbers are printed in the C locale whatever the program's.
 */

static locale_t	 c_loc;
static pthread_once_t c_loc_once = PTHREAD_ONCE_INIT;

static void
c_loc_init(void)
{
	c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* Switch this thread to the C locale; returns what to switch back to. */
static locale_t
c_locale_enter(void)
{
	pthread_once(&c_loc_once, c_loc_init);
	if (c_loc == (locale_t)0)
		return (locale_t)0;
	return uselocale(c_loc);
}

static void
c_locale_leave(locale_t old)
{
	if (old != (locale_t)0)
		uselocale(old);
}

/* A temporary file in $TMPDIR for libsvm, which reads and writes by name. */
static int
temp_file(char **path, int *fd, char **cause)
{
	const char	*dir;

	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	*path = rung_path_join(dir, "rung-svr.XXXXXX");
	if ((*fd = mkstemp(*path)) == -1) {
		xasprintf(cause, "cannot create a temporary file in '%s': %s",
		    dir, strerror(errno));
		free(*path);
		*path = NULL;
		return -1;
	}
	return 0;
}

static void
buf_doubles(struct rung_buf *b, const char *key, const double *v, uint32_t n)
{
	uint32_t	 i;

	rung_buf_addstr(b, key);
	for (i = 0; i < n; i++)
		rung_buf_printf(b, " %.17g", v[i]);
	rung_buf_addc(b, '\n');
}

int
rung_svr_save(const struct rung_svr *m, char **text, size_t *len,
    char **cause)
{
	struct rung_buf	 b = { 0 };
	const struct svm_node *sv;
	locale_t	 old;
	char		*path, *lib = NULL;
	size_t		 liblen, total;
	int		 fd, i, r;

	*text = NULL;
	*len = 0;
	if (temp_file(&path, &fd, cause) != 0)
		return -1;
	old = c_locale_enter();
	r = svm_save_model(path, m->model);
	c_locale_leave(old);
	if (r != 0) {
		xasprintf(cause, "libsvm cannot write the model to '%s'", path);
		goto fail;
	}
	if (rung_read_file(path, &lib, &liblen, cause) != 0)
		goto fail;
	unlink(path);
	close(fd);
	free(path);

	old = c_locale_enter();
	rung_buf_printf(&b, "rung-svr 1\nfeatures %u\n", m->d);
	buf_doubles(&b, "x_scale", m->xs.scale, m->d);
	buf_doubles(&b, "x_min", m->xs.min, m->d);
	buf_doubles(&b, "y_scale", m->ys.scale, 1);
	buf_doubles(&b, "y_min", m->ys.min, 1);
	for (i = 0, total = 0; i < m->model->l; i++) {
		for (sv = m->model->SV[i]; sv->index != -1; sv++)
			total++;
	}
	rung_buf_printf(&b, "sv_values %d %zu\n", m->model->l, total);
	for (i = 0; i < m->model->l; i++) {
		for (sv = m->model->SV[i]; sv->index != -1; sv++) {
			rung_buf_printf(&b, "%s%.17g",
			    sv == m->model->SV[i] ? "" : " ", sv->value);
		}
		rung_buf_addc(&b, '\n');
	}
	rung_buf_printf(&b, "libsvm %zu\n", liblen);
	c_locale_leave(old);
	rung_buf_add(&b, lib, liblen);
	free(lib);
	*len = b.len;
	*text = rung_buf_cstr(&b);
	return 0;

fail:
	unlink(path);
	close(fd);
	free(path);
	free(lib);
	return -1;
}

/* A cursor over the saved text (NUL-terminated, so strtod stops). */
struct cursor {
	const char	*p;
	const char	*end;
};

static void
cur_blank(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
	    *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int
cur_word(struct cursor *c, const char *w)
{
	size_t	 n = strlen(w);

	cur_blank(c);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
		return -1;
	if (c->p + n < c->end && c->p[n] != ' ' && c->p[n] != '\n')
		return -1;
	c->p += n;
	return 0;
}

static int
cur_double(struct cursor *c, double *v)
{
	char	*e;

	cur_blank(c);
	if (c->p >= c->end)
		return -1;
	*v = strtod(c->p, &e);
	if (e == c->p || e > c->end)
		return -1;
	c->p = e;
	return 0;
}

static int
cur_doubles(struct cursor *c, const char *key, double *v, uint32_t n)
{
	uint32_t	 i;

	if (key != NULL && cur_word(c, key) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (cur_double(c, &v[i]) != 0)
			return -1;
	}
	return 0;
}

static int
cur_uint(struct cursor *c, uint64_t *v)
{
	char	*e;

	cur_blank(c);
	if (c->p >= c->end || *c->p < '0' || *c->p > '9')
		return -1;
	errno = 0;
	*v = strtoull(c->p, &e, 10);
	if (errno != 0 || e > c->end)
		return -1;
	c->p = e;
	return 0;
}

/*
 * svm_load_model complains on stderr about what it does not know; look at
 * the header first so that a damaged text is our error, not its message.
 */
static int
check_libsvm_header(const char *p, const char *end)
{
	static const char *keys[] = { "degree", "gamma", "coef0", "nr_class",
		"total_sv", "rho", "label", "probA", "probB", "nr_sv" };
	const char	*eol;
	size_t		 i, n;
	int		 type = 0, kernel = 0;

	while (p < end) {
		if ((eol = memchr(p, '\n', end - p)) == NULL)
			return -1;
		n = strcspn(p, " \n");
		if (n == 2 && memcmp(p, "SV", 2) == 0)
			return type && kernel ? 0 : -1;
		if (n == 8 && memcmp(p, "svm_type", 8) == 0) {
			if (strncmp(p + 8, " nu_svr\n", 8) != 0 &&
			    strncmp(p + 8, " epsilon_svr\n", 13) != 0)
				return -1;
			type = 1;
		} else if (n == 11 && memcmp(p, "kernel_type", 11) == 0) {
			if (strncmp(p + 11, " rbf\n", 5) != 0)
				return -1;
			kernel = 1;
		} else {
			for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
				if (strlen(keys[i]) == n &&
				    memcmp(p, keys[i], n) == 0)
					break;
			}
			if (i == sizeof keys / sizeof keys[0])
				return -1;
		}
		p = eol + 1;
	}
	return -1;
}

int
rung_svr_load(const char *text, size_t len, struct rung_svr **out,
    char **cause)
{
	struct rung_svr	*m = NULL;
	struct cursor	 c;
	struct svm_node	*sv;
	locale_t	 old;
	char		*buf, *path = NULL;
	double		*exact = NULL;
	uint64_t	 v, nsv = 0, total = 0, d = 0, liblen, i, k;
	int		 fd = -1, bad = 1;

	*out = NULL;
	svm_quiet();
	buf = xmalloc(len + 1);
	memcpy(buf, text, len);
	buf[len] = '\0';
	c.p = buf;
	c.end = buf + len;

	old = c_locale_enter();
	m = xcalloc(1, sizeof *m);
	if (cur_word(&c, "rung-svr") != 0 || cur_uint(&c, &v) != 0 || v != 1)
		goto parsed;
	if (cur_word(&c, "features") != 0 || cur_uint(&c, &d) != 0 ||
	    d == 0 || d > len)
		goto parsed;
	m->d = (uint32_t)d;
	m->xs.d = m->d;
	m->xs.scale = xcalloc(d, sizeof *m->xs.scale);
	m->xs.min = xcalloc(d, sizeof *m->xs.min);
	m->ys.d = 1;
	m->ys.scale = xcalloc(1, sizeof *m->ys.scale);
	m->ys.min = xcalloc(1, sizeof *m->ys.min);
	if (cur_doubles(&c, "x_scale", m->xs.scale, m->d) != 0 ||
	    cur_doubles(&c, "x_min", m->xs.min, m->d) != 0 ||
	    cur_doubles(&c, "y_scale", m->ys.scale, 1) != 0 ||
	    cur_doubles(&c, "y_min", m->ys.min, 1) != 0)
		goto parsed;
	if (cur_word(&c, "sv_values") != 0 || cur_uint(&c, &nsv) != 0 ||
	    cur_uint(&c, &total) != 0 || nsv > len || total > len ||
	    total > nsv * d)
		goto parsed;
	exact = xreallocarray(NULL, total + 1, sizeof *exact);
	if (cur_doubles(&c, NULL, exact, (uint32_t)total) != 0)
		goto parsed;
	if (cur_word(&c, "libsvm") != 0 || cur_uint(&c, &liblen) != 0 ||
	    c.p >= c.end || *c.p != '\n' ||
	    liblen != (uint64_t)(c.end - c.p - 1))
		goto parsed;
	c.p++;
	if (check_libsvm_header(c.p, c.end) != 0)
		goto parsed;
	bad = 0;
parsed:
	if (bad) {
		c_locale_leave(old);
		xasprintf(cause, "not a saved model (at byte %zu)",
		    (size_t)(c.p - buf));
		goto fail;
	}

	if (temp_file(&path, &fd, cause) != 0) {
		c_locale_leave(old);
		goto fail;
	}
	if (write(fd, c.p, c.end - c.p) != c.end - c.p) {
		c_locale_leave(old);
		xasprintf(cause, "cannot write '%s': %s", path,
		    strerror(errno));
		goto fail;
	}
	m->model = svm_load_model(path);
	c_locale_leave(old);
	if (m->model == NULL) {
		xasprintf(cause, "libsvm cannot read the saved model");
		goto fail;
	}
	if ((m->model->param.svm_type != NU_SVR &&
	    m->model->param.svm_type != EPSILON_SVR) ||
	    m->model->param.kernel_type != RBF || m->model->nr_class != 2 ||
	    m->model->l < 0 || (uint64_t)m->model->l != nsv) {
		xasprintf(cause, "the saved model is not a regression model "
		    "with %" PRIu64 " support vectors", nsv);
		goto fail;
	}
	/* Put back the exact support vector values that libsvm rounded. */
	for (i = 0, k = 0; i < nsv; i++) {
		for (sv = m->model->SV[i]; sv->index != -1; sv++) {
			if (k == total || sv->index < 1 ||
			    (uint64_t)sv->index > d)
				break;
			sv->value = exact[k++];
		}
		if (sv->index != -1)
			break;
	}
	if (i < nsv || k != total) {
		xasprintf(cause, "the support vectors of the saved model do "
		    "not match its exact values");
		goto fail;
	}
	unlink(path);
	close(fd);
	free(path);
	free(exact);
	free(buf);
	*out = m;
	return 0;

fail:
	if (path != NULL) {
		unlink(path);
		close(fd);
		free(path);
	}
	free(exact);
	free(buf);
	rung_svr_free(m);
	return -1;
}

/* Scores. */

/* scikit-learn's r2_score; tmp holds n values. */
static double
r2_score(const double *y, const double *yhat, uint32_t n, double *tmp)
{
	double	 num, den, mean;
	uint32_t i;

	for (i = 0; i < n; i++) {
		tmp[i] = y[i] - yhat[i];
		tmp[i] = tmp[i] * tmp[i];
	}
	num = np_sum(tmp, n);
	mean = np_sum(y, n) / (double)n;
	for (i = 0; i < n; i++) {
		tmp[i] = y[i] - mean;
		tmp[i] = tmp[i] * tmp[i];
	}
	den = np_sum(tmp, n);
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
	sc->r2 = r2_score(y, yhat, n, tmp);
	avg_ranks(y, n, ra, k);
	avg_ranks(yhat, n, rb, k);
	sc->spearman = pearson(ra, rb, n);
	sc->kendall = kendall_tau_b(y, yhat, n, k, ra, tmp);
	free(k);
	free(rb);
	free(ra);
	free(tmp);
}

/* Threads: n tasks handed out one at a time by an atomic counter. */
struct pool {
	atomic_uint	 next;
	uint32_t	 n;
	void		(*fn)(void *, uint32_t);
	void		*arg;
};

static void *
pool_main(void *arg)
{
	struct pool	*p = arg;
	uint32_t	 i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->n)
		p->fn(p->arg, i);
	return NULL;
}

static int
thread_count(int threads)
{
	long	 n;

	if (threads > 0)
		return threads;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > 1024 ? 1024 : (int)n;
}

/*
 * Run fn(arg, 0..n-1) on up to threads threads, this one included. Tasks
 * write only their own results, so what comes out does not depend on how
 * many threads ran or in which order they took the tasks; a thread that
 * cannot be started only means fewer of them.
 */
static void
pool_run(uint32_t n, int threads, void (*fn)(void *, uint32_t), void *arg)
{
	struct pool	 p;
	pthread_t	*tid = NULL;
	int		 t, i, started = 0;

	atomic_init(&p.next, 0);
	p.n = n;
	p.fn = fn;
	p.arg = arg;
	t = thread_count(threads);
	if ((uint32_t)t > n)
		t = (int)n;
	if (t > 1) {
		tid = xcalloc((size_t)t - 1, sizeof *tid);
		for (i = 0; i < t - 1; i++) {
			if (pthread_create(&tid[i], NULL, pool_main, &p) != 0)
				break;
			started++;
		}
	}
	pool_main(&p);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
}

/* Search. */

void
rung_search_init(struct rung_search *s)
{
	memset(s, 0, sizeof *s);
	s->kind = RUNG_SEARCH_NONE;
	s->nrandom = 100;
	s->folds = 3;
	s->threads = 0;
	s->seed = 0;
}

/* One fold of KFold: the test rows [lo, hi) and the rest to train on. */
struct fold {
	uint32_t	 lo;
	uint32_t	 hi;
	struct svm_problem prob;
};

/*
 * Work that the first thread to need it starts and any thread that needs it
 * before it is done joins, row by row, so that no thread sits idle while
 * another builds a matrix they both need.
 */
struct coop {
	int		 state;		/* 0 not started, 1 started, 2 done */
	atomic_uint	 next;		/* next row to take */
	atomic_uint	 done;		/* rows finished */
};

/*
 * The RBF kernel of one gamma over every row of a search, in the layout of
 * libsvm's precomputed kernel: row i is node 0 = (0, i + 1), then (j + 1,
 * K(i, j)) for every j, then the terminator. The training rows of every
 * fold point into it, so one matrix serves every (C, nu) and every fold of
 * that gamma.
 */
struct kgroup {
	double		 gamma;
	uint32_t	 users;		/* jobs still to finish with it */
	struct coop	 build;
	struct svm_node	*nodes;		/* n rows of n + 2 nodes */
};

/* One search: its rows as libsvm nodes, its folds, candidates and scores. */
struct search_ctx {
	const double	*x;
	const double	*y;
	uint32_t	 n;
	uint32_t	 d;
	uint32_t	 nfolds;
	uint32_t	 ncand;
	struct svm_node	*nodes;		/* every row, d + 1 nodes each */
	struct fold	*folds;
	struct rung_svr_params *params;	/* the candidates */
	struct svm_parameter *cand;	/* the same for libsvm */
	double		*scores;	/* candidate * nfolds + fold */

	/*
	 * Precomputed kernels (when the matrices are small enough): the
	 * squared distances as libsvm's training computes them, |xi|^2 +
	 * |xj|^2 - 2 xi.xj, and as its prediction does, sum (xi - xj)^2;
	 * one kernel matrix per distinct gamma, built when a job first
	 * needs it and freed when its last job is done.
	 */
	int		 pre;
	struct coop	 dist;
	double		*xsq;
	double		*da;
	double		*db;
	struct kgroup	*groups;
	uint32_t	 ngroups;
	uint32_t	*cgroup;	/* candidate -> group */
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	double		 best;		/* best mean score so far, NaN: none */
	int		 locked;	/* lock and cond initialised */
};

/* A (search, candidate) to run. */
struct search_job {
	struct search_ctx *ctx;
	uint32_t	 cand;
};

/*
 * The largest search whose kernel matrices are precomputed: one matrix of
 * n (n + 2) nodes is 64 MiB at this size, and a search holds the two
 * distance matrices and a matrix for each gamma its threads are on.
 */
#define PRE_MAX_ROWS 2046

/*
 * Run c's share of a coop: take rows until none is left, then wait for
 * the rows other threads took. The first caller runs init (allocation)
 * before anyone takes a row.
 */
static void
coop_run(struct search_ctx *c, struct coop *w, uint32_t nrows,
    void (*init)(struct search_ctx *, void *),
    void (*row)(struct search_ctx *, void *, uint32_t), void *arg)
{
	uint32_t	 i;
	int		 state;

	pthread_mutex_lock(&c->lock);
	if (w->state == 0) {
		init(c, arg);
		w->state = 1;
	}
	state = w->state;
	pthread_mutex_unlock(&c->lock);
	if (state == 1) {
		while ((i = atomic_fetch_add(&w->next, 1)) < nrows) {
			row(c, arg, i);
			if (atomic_fetch_add(&w->done, 1) + 1 == nrows) {
				pthread_mutex_lock(&c->lock);
				w->state = 2;
				pthread_cond_broadcast(&c->cond);
				pthread_mutex_unlock(&c->lock);
			}
		}
	}
	pthread_mutex_lock(&c->lock);
	while (w->state != 2)
		pthread_cond_wait(&c->cond, &c->lock);
	pthread_mutex_unlock(&c->lock);
}

static void
dist_init(struct search_ctx *c, void *arg)
{
	size_t	 nn = (size_t)c->n * c->n;
	uint32_t i, k;

	(void)arg;
	c->da = xreallocarray(NULL, nn, sizeof *c->da);
	c->db = xreallocarray(NULL, nn, sizeof *c->db);
	c->xsq = xreallocarray(NULL, c->n, sizeof *c->xsq);
	for (i = 0; i < c->n; i++) {
		const double *a = c->x + (size_t)i * c->d;
		double	 s = 0;

		for (k = 0; k < c->d; k++)
			s += a[k] * a[k];
		c->xsq[i] = s;
	}
}

/*
 * Row i of both distance matrices, j >= i, mirrored: both are symmetric
 * bit for bit (the sums run over the features in the same order either
 * way). A dense sum equals libsvm's sparse one: a left-out zero adds an
 * exact 0 there, and 0 * y or (x - 0)^2 = x * x here.
 */
static void
dist_row(struct search_ctx *c, void *arg, uint32_t i)
{
	const double	*a = c->x + (size_t)i * c->d, *b;
	double		 dot, sq, t;
	uint32_t	 j, k, n = c->n;

	(void)arg;
	for (j = i; j < n; j++) {
		b = c->x + (size_t)j * c->d;
		dot = 0;
		sq = 0;
		for (k = 0; k < c->d; k++) {
			dot += a[k] * b[k];
			t = a[k] - b[k];
			sq += t * t;
		}
		/* As libsvm's kernel_rbf and k_function, to the last bit. */
		c->da[(size_t)i * n + j] = c->da[(size_t)j * n + i] =
		    c->xsq[i] + c->xsq[j] - 2 * dot;
		c->db[(size_t)i * n + j] = c->db[(size_t)j * n + i] = sq;
	}
}

static void
group_init(struct search_ctx *c, void *arg)
{
	struct kgroup	*g = arg;

	g->nodes = xreallocarray(NULL, (size_t)c->n * (c->n + 2),
	    sizeof *g->nodes);
}

static void
group_row(struct search_ctx *c, void *arg, uint32_t i)
{
	struct kgroup	*g = arg;
	struct svm_node	*r = g->nodes + (size_t)i * (c->n + 2);
	const double	*da = c->da + (size_t)i * c->n;
	uint32_t	 j;

	r[0].index = 0;
	r[0].value = i + 1;
	for (j = 0; j < c->n; j++) {
		r[j + 1].index = (int)j + 1;
		r[j + 1].value = exp(-g->gamma * da[j]);
	}
	r[c->n + 1].index = -1;
	r[c->n + 1].value = 0;
}

/*
 * libsvm's svm_predict for a row i of the search from a model trained on
 * precomputed kernel rows: its k_function's RBF distance, the sum over the
 * support vectors in their order, minus rho.
 */
static double
pre_predict(const struct search_ctx *c, const struct svm_model *m,
    double gamma, uint32_t i)
{
	const double	*db = c->db + (size_t)i * c->n;
	double		 sum = 0;
	int		 k;

	for (k = 0; k < m->l; k++) {
		sum += m->sv_coef[0][k] *
		    exp(-gamma * db[(int)m->SV[k][0].value - 1]);
	}
	return sum - m->rho[0];
}

/* Train candidate on the other folds; its R^2 on this one. */
static double
search_fold(struct search_ctx *c, uint32_t cand, uint32_t f,
    struct kgroup *g)
{
	struct fold	*fo = &c->folds[f];
	struct svm_parameter lp = c->cand[cand];
	struct svm_problem prob = fo->prob;
	struct svm_model *m;
	uint32_t	 i, k, nt = fo->hi - fo->lo;
	double		*yhat, score;

	if (g != NULL) {
		prob.x = xreallocarray(NULL, (size_t)prob.l, sizeof *prob.x);
		for (i = 0, k = 0; i < c->n; i++) {
			if (i < fo->lo || i >= fo->hi)
				prob.x[k++] = g->nodes + (size_t)i * (c->n + 2);
		}
		lp.kernel_type = PRECOMPUTED;
	}
	m = svm_train(&prob, &lp);
	yhat = xreallocarray(NULL, (size_t)nt * 2, sizeof *yhat);
	for (i = 0; i < nt; i++) {
		yhat[i] = g != NULL ? pre_predict(c, m, lp.gamma, fo->lo + i) :
		    svm_predict(m, c->nodes + (size_t)(fo->lo + i) *
		    (c->d + 1));
	}
	svm_free_and_destroy_model(&m);
	if (g != NULL)
		free(prob.x);
	/* One test row has no R^2: NaN, ranked last as GridSearchCV does. */
	score = nt < 2 ? NAN : r2_score(c->y + fo->lo, yhat, nt, yhat + nt);
	free(yhat);
	return score;
}

/*
 * Could a candidate with these fold scores still reach best? R^2 is at
 * most 1, so the folds not yet run add at most one each; the margin keeps
 * rounding from ever cutting a candidate that could tie.
 */
static int
search_hopeless(const double *scores, uint32_t done, uint32_t nfolds,
    double best)
{
	double	 bound;

	if (isnan(best))
		return 0;
	bound = (np_sum(scores, done) + (nfolds - done)) / nfolds;
	return bound < best - 1e-9 * (fabs(best) + 1);
}

/*
 * One candidate, fold after fold. Once another candidate has a mean score
 * that this one can no longer reach, its remaining folds are not run: their
 * scores stay NaN, so it cannot be chosen, and the choice is the one a full
 * search makes, whichever thread finished what first.
 */
static void
search_run(void *arg, uint32_t j)
{
	struct search_job *job = (struct search_job *)arg + j;
	struct search_ctx *c = job->ctx;
	struct kgroup	*g = NULL;
	double		*sc = c->scores + (size_t)job->cand * c->nfolds;
	double		 best, mean;
	uint32_t	 f;

	if (c->pre) {
		g = &c->groups[c->cgroup[job->cand]];
		coop_run(c, &c->dist, c->n, dist_init, dist_row, NULL);
		coop_run(c, &g->build, c->n, group_init, group_row, g);
	}
	for (f = 0; f < c->nfolds; f++)
		sc[f] = NAN;
	for (f = 0; f < c->nfolds; f++) {
		pthread_mutex_lock(&c->lock);
		best = c->best;
		pthread_mutex_unlock(&c->lock);
		if (search_hopeless(sc, f, c->nfolds, best))
			break;
		sc[f] = search_fold(c, job->cand, f, g);
		if (isnan(sc[f]))
			break;
	}
	pthread_mutex_lock(&c->lock);
	if (f == c->nfolds) {
		mean = np_sum(sc, c->nfolds) / c->nfolds;
		if (isnan(c->best) || mean > c->best)
			c->best = mean;
	}
	if (g != NULL && --g->users == 0) {
		free(g->nodes);
		g->nodes = NULL;
	}
	pthread_mutex_unlock(&c->lock);
}

/*
 * Candidates with the smallest C first: their fits are the quickest, and
 * the best mean they set lets the slow ones with large C stop after a fold
 * or two. Then by gamma, so that a matrix is done with early.
 */
static int
cmp_job(const void *a, const void *b)
{
	const struct search_job *p = a, *q = b;
	double		 cp = p->ctx->cand[p->cand].C;
	double		 cq = q->ctx->cand[q->cand].C;
	uint32_t	 gp, gq;

	if (cp != cq)
		return cp < cq ? -1 : 1;
	if (p->ctx != q->ctx)
		return p->ctx < q->ctx ? -1 : 1;
	if (p->ctx->pre) {
		gp = p->ctx->cgroup[p->cand];
		gq = q->ctx->cgroup[q->cand];
		if (gp != gq)
			return gp < gq ? -1 : 1;
	}
	return (p->cand > q->cand) - (p->cand < q->cand);
}

/* Run every candidate of the searches on threads. */
static void
search_run_all(struct search_ctx *ctx, uint32_t nctx, int threads)
{
	struct search_job *jobs;
	size_t		 njobs = 0, k = 0;
	uint32_t	 i, a;

	for (i = 0; i < nctx; i++)
		njobs += ctx[i].ncand;
	jobs = xcalloc(njobs ? njobs : 1, sizeof *jobs);
	for (i = 0; i < nctx; i++) {
		for (a = 0; a < ctx[i].ncand; a++) {
			jobs[k].ctx = &ctx[i];
			jobs[k++].cand = a;
		}
	}
	qsort(jobs, njobs, sizeof *jobs, cmp_job);
	pool_run((uint32_t)njobs, threads, search_run, jobs);
	free(jobs);
}

/* The candidates, in ParameterGrid order or as drawn. */
static struct rung_svr_params *
candidates(const struct rung_svr_params *base, const struct rung_search *s,
    double gs, uint32_t *ncand, char **cause)
{
	struct rung_svr_params *v, *p;
	struct rung_rng	 rng;
	const double	*cg = default_c, *ng, *gg = default_gamma;
	uint32_t	 nc = NDEFAULT, nn = NDEFAULT, ngm = NDEFAULT, i, a, b, k;
	int		 eps = base->type == RUNG_EPS_SVR;

	ng = eps ? default_eps : default_nu;
	if (s->kind == RUNG_SEARCH_RANDOM) {
		if (s->nrandom == 0) {
			xasprintf(cause, "a random search needs at least one "
			    "candidate");
			return NULL;
		}
		/*
		 * As the reimplementation of Baker et al.: C and gamma
		 * loguniform on [1e-5, 10], nu uniform on (0, 1], epsilon
		 * loguniform on [1e-3, 1]; drawn in that order per
		 * candidate.
		 */
		v = xcalloc(s->nrandom, sizeof *v);
		rung_rng_seed(&rng, s->seed);
		for (i = 0; i < s->nrandom; i++) {
			v[i] = *base;
			v[i].C = rng_loguniform(&rng, 1e-5, 10);
			v[i].gamma = rng_loguniform(&rng, 1e-5, 10);
			if (eps)
				v[i].epsilon = rng_loguniform(&rng, 1e-3, 1);
			else
				v[i].nu = 1 - rung_rng_uniform(&rng);
		}
		*ncand = s->nrandom;
		return v;
	}

	if (s->c_grid != NULL) {
		cg = s->c_grid;
		nc = s->nc;
	}
	if (s->nu_grid != NULL) {
		ng = s->nu_grid;
		nn = s->nnu;
	}
	if (s->gamma_grid != NULL) {
		gg = s->gamma_grid;
		ngm = s->ngamma;
	}
	if (nc == 0 || nn == 0 || ngm == 0) {
		xasprintf(cause, "an empty search grid");
		return NULL;
	}
	*ncand = nc * nn * ngm;
	v = xcalloc(*ncand, sizeof *v);
	/*
	 * ParameterGrid's order, the last key varying fastest, with the keys
	 * sorted by name: C, gamma, nu for NuSVR but C, epsilon, gamma for
	 * SVR. Ties go to the first candidate, so the order matters.
	 */
	p = v;
	for (a = 0; a < nc; a++) {
		for (b = 0; b < (eps ? nn : ngm); b++) {
			for (k = 0; k < (eps ? ngm : nn); k++) {
				*p = *base;
				p->C = cg[a];
				if (eps) {
					p->epsilon = ng[b];
					p->gamma = gg[k] * gs;
				} else {
					p->gamma = gg[b] * gs;
					p->nu = ng[k];
				}
				p++;
			}
		}
	}
	return v;
}

static void
search_release(struct search_ctx *c)
{
	uint32_t	 f;

	if (c->folds != NULL) {
		for (f = 0; f < c->nfolds; f++) {
			free(c->folds[f].prob.x);
			free(c->folds[f].prob.y);
		}
	}
	free(c->folds);
	free(c->scores);
	free(c->cand);
	free(c->params);
	free(c->nodes);
	if (c->groups != NULL) {
		for (f = 0; f < c->ngroups; f++)
			free(c->groups[f].nodes);
	}
	if (c->locked) {
		pthread_mutex_destroy(&c->lock);
		pthread_cond_destroy(&c->cond);
	}
	free(c->groups);
	free(c->cgroup);
	free(c->xsq);
	free(c->da);
	free(c->db);
	memset(c, 0, sizeof *c);
}

/*
 * Precomputed kernels: one group per distinct gamma, in the order the
 * candidates first use them, each with the number of jobs that need it.
 */
static void
search_groups(struct search_ctx *c)
{
	uint32_t	 i, g;

	c->pre = 1;
	c->cgroup = xcalloc(c->ncand, sizeof *c->cgroup);
	c->groups = xcalloc(c->ncand, sizeof *c->groups);
	for (i = 0; i < c->ncand; i++) {
		for (g = 0; g < c->ngroups; g++) {
			if (c->groups[g].gamma == c->cand[i].gamma)
				break;
		}
		if (g == c->ngroups) {
			c->groups[g].gamma = c->cand[i].gamma;
			atomic_init(&c->groups[g].build.next, 0);
			atomic_init(&c->groups[g].build.done, 0);
			c->ngroups++;
		}
		c->groups[g].users++;
		c->cgroup[i] = g;
	}
	atomic_init(&c->dist.next, 0);
	atomic_init(&c->dist.done, 0);
}

/* Candidates, folds and libsvm's view of the rows of one search. */
static int
search_prepare(const struct rung_svr_params *base,
    const struct rung_search *s, const double *x, const double *y,
    uint32_t n, uint32_t d, struct search_ctx *c, char **cause)
{
	struct fold	*fo;
	uint32_t	 F, f, i, k, at, size;

	memset(c, 0, sizeof *c);
	F = s->folds ? s->folds : 3;
	if (F < 2 || F > n) {
		xasprintf(cause, "cannot split %u rows into %u folds", n, F);
		return -1;
	}
	if (d == 0) {
		xasprintf(cause, "no feature to search on");
		return -1;
	}
	if (check_rows(x, y, n, d, cause) != 0)
		return -1;
	c->params = candidates(base, s, gamma_scale(x, n, d), &c->ncand,
	    cause);
	if (c->params == NULL)
		return -1;
	for (i = 0; i < c->ncand; i++) {
		if (check_params(&c->params[i], cause) != 0) {
			search_release(c);
			return -1;
		}
	}
	c->cand = xcalloc(c->ncand, sizeof *c->cand);
	for (i = 0; i < c->ncand; i++)
		libsvm_params(&c->params[i], c->params[i].gamma, &c->cand[i]);

	c->y = y;
	c->n = n;
	c->d = d;
	c->nfolds = F;
	c->nodes = xreallocarray(NULL, (size_t)n * (d + 1), sizeof *c->nodes);
	for (i = 0; i < n; i++)
		fill_nodes(c->nodes + (size_t)i * (d + 1), x + (size_t)i * d, d);

	/*
	 * KFold(F) without shuffling: contiguous test blocks, the first
	 * n % F one row longer; the training rows keep their order, which
	 * libsvm's result depends on.
	 */
	c->folds = xcalloc(F, sizeof *c->folds);
	for (f = 0, at = 0; f < F; f++) {
		fo = &c->folds[f];
		size = n / F + (f < n % F);
		fo->lo = at;
		fo->hi = at + size;
		at += size;
		fo->prob.l = (int)(n - size);
		fo->prob.x = xreallocarray(NULL, n - size, sizeof *fo->prob.x);
		fo->prob.y = xreallocarray(NULL, n - size, sizeof *fo->prob.y);
		for (i = 0, k = 0; i < n; i++) {
			if (i >= fo->lo && i < fo->hi)
				continue;
			fo->prob.x[k] = c->nodes + (size_t)i * (d + 1);
			fo->prob.y[k++] = y[i];
		}
	}
	c->scores = xcalloc((size_t)c->ncand * F, sizeof *c->scores);
	c->x = x;
	c->best = NAN;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	c->locked = 1;
	if (s->plain_kernel == 0 && n <= PRE_MAX_ROWS)
		search_groups(c);
	return 0;
}

/*
 * The first best mean in candidate order, as GridSearchCV's best_index_
 * (rank_test_score by method 'min'); a NaN mean ranks below every number.
 * The mean is numpy's, over the folds in order.
 */
static void
search_choose(const struct search_ctx *c, struct rung_svr_params *best,
    double *score)
{
	uint32_t	 i, bi = 0;
	double		 mean, bs = NAN;

	for (i = 0; i < c->ncand; i++) {
		mean = np_sum(c->scores + (size_t)i * c->nfolds, c->nfolds) /
		    c->nfolds;
		if (!isnan(mean) && (isnan(bs) || mean > bs)) {
			bs = mean;
			bi = i;
		}
	}
	*best = c->params[bi];
	*score = bs;
}

int
rung_svr_search(const struct rung_svr_params *base,
    const struct rung_search *s, const double *x, const double *y,
    uint32_t n, uint32_t d, struct rung_svr_params *best, double *score,
    char **cause)
{
	struct search_ctx c;

	*score = NAN;
	if (check_params(base, cause) != 0)
		return -1;
	if (s->kind == RUNG_SEARCH_NONE) {
		*best = *base;
		if (best->gamma <= 0)
			best->gamma = gamma_scale(x, n, d);
		return 0;
	}
	if (search_prepare(base, s, x, y, n, d, &c, cause) != 0)
		return -1;
	svm_quiet();
	search_run_all(&c, 1, s->threads);
	search_choose(&c, best, score);
	search_release(&c);
	return 0;
}

/* Evaluation of one prefix. */

/* One repeat: its split and its training rows, as given and scaled. */
struct repeat {
	uint32_t	*perm;		/* training rows, then test rows */
	double		*xtr;
	double		*ytr;
	double		*xsc;
	double		*ysc;
	struct rung_svr_params chosen;
	struct rung_scores scores;
	char		*cause;
};

struct eval_ctx {
	const struct rung_fit_opts *o;
	const struct rung_dataset *ds;
	uint32_t	 ntrain;
	uint32_t	 ntrials;	/* of the study: predictions' stride */
	struct repeat	*rep;
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

/* Train on the repeat's training rows, score on its test rows. */
static void
repeat_fit(void *arg, uint32_t r)
{
	struct eval_ctx	*e = arg;
	const struct rung_dataset *ds = e->ds;
	struct repeat	*rp = &e->rep[r];
	struct rung_svr_params params;
	struct rung_svr	*m;
	uint32_t	 i, d = ds->d, ntest = ds->n - e->ntrain, row;
	double		*yhat, *ytest;

	/* With no search gamma stays 'scale', which fit resolves alike. */
	params = e->o->search.kind == RUNG_SEARCH_NONE ? e->o->svr :
	    rp->chosen;
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
		memcpy(&x, (const char *)&v[i].scores + off, sizeof x);
		m += x;
	}
	m /= n;
	for (i = 0; i < n; i++) {
		memcpy(&x, (const char *)&v[i].scores + off, sizeof x);
		ss += (x - m) * (x - m);
	}
	*mean = m;
	*sd = n > 1 ? sqrt(ss / (n - 1)) : 0;
}

#define MEAN_SD(field) mean_sd(e.rep,				\
	offsetof(struct rung_scores, field), repeats, &row->mean.field,	\
	&row->sd.field)

/*
 * o->threads runs all of it (the search's own threads are not used here).
 * A random search draws the same candidates (search.seed) in every repeat:
 * the repeats differ by their split only. The spread is the sample
 * standard deviation over the repeats, 0 for one; the parameters reported
 * are the first repeat's.
 */
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
		if ((at = find_step(s, t, target)) >= 0 &&
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
	rung_buf_printf(&b, "; %u have every step 1 to %d, %u a value at "
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
		rung_buf_printf(&b, "a prefix is steps 1 to K, and this "
		    "study's steps start at %d", (int)lo);
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

int
rung_fit_evaluate(const struct rung_study *s, const struct rung_fit_opts *o,
    int32_t prefix, struct rung_fit_row *row, char **cause)
{
	struct rung_featspec f = o->feat;
	struct rung_dataset ds;
	struct eval_ctx	 e;
	struct search_ctx *sc = NULL;
	uint32_t	 repeats = o->repeats ? o->repeats : 1, r, prepared = 0;
	double		 score;
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
	if (o->train != 0)
		e.ntrain = o->train;
	else {
		e.ntrain = (uint32_t)((uint64_t)ds.n * 4 / 5);
		if (e.ntrain < 2)
			e.ntrain = 2;
	}
	if (e.ntrain >= ds.n) {
		too_few(s, o, prefix, &ds, e.ntrain, cause);
		goto out;
	}
	row->n_train = e.ntrain;
	row->n_test = ds.n - e.ntrain;

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
		sc = xcalloc(repeats, sizeof *sc);
		for (prepared = 0; prepared < repeats; prepared++) {
			if (search_prepare(&o->svr, &o->search,
			    e.rep[prepared].xsc, e.rep[prepared].ysc, e.ntrain,
			    ds.d, &sc[prepared], cause) != 0)
				goto out;
		}
		svm_quiet();
		search_run_all(sc, repeats, o->threads);
		for (r = 0; r < repeats; r++)
			search_choose(&sc[r], &e.rep[r].chosen, &score);
	} else {
		for (r = 0; r < repeats; r++) {
			if (rung_svr_search(&o->svr, &o->search, e.rep[r].xsc,
			    e.rep[r].ysc, e.ntrain, ds.d, &e.rep[r].chosen,
			    &score, cause) != 0)
				goto out;
		}
	}
	svm_quiet();
	pool_run(repeats, o->threads, repeat_fit, &e);
	for (r = 0; r < repeats; r++) {
		if (e.rep[r].cause != NULL) {
			*cause = e.rep[r].cause;
			e.rep[r].cause = NULL;
			goto out;
		}
	}

	MEAN_SD(r2);
	MEAN_SD(rmse);
	MEAN_SD(mae);
	MEAN_SD(spearman);
	MEAN_SD(kendall);
	row->chosen = e.rep[0].chosen;
	ret = 0;
out:
	for (r = 0; r < prepared; r++)
		search_release(&sc[r]);
	free(sc);
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
	rung_dataset_release(&ds);
	return ret;
}
