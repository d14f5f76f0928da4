/*
 * Features of a study for the predictor: the feature spec (raw prefixes or
 * Baker et al.'s, with the parameter encoding fixed at training), the rows
 * built from a study, and scikit-learn's MinMaxScaler.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rung/predict.h"
#include "rung/study.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "predict-int.h"

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

void
rung_featspec_alloc(struct rung_featspec *f, uint32_t n)
{
	f->nparams = n;
	f->pnames = xcalloc(n ? n : 1, sizeof *f->pnames);
	f->ptypes = xcalloc(n ? n : 1, sizeof *f->ptypes);
	f->plog = xcalloc(n ? n : 1, sizeof *f->plog);
	f->nlevels = xcalloc(n ? n : 1, sizeof *f->nlevels);
	f->levels = xcalloc(n ? n : 1, sizeof *f->levels);
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
	rung_featspec_alloc(f, (uint32_t)n);
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
	rung_featspec_alloc(f, s->nparams);
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
int64_t
rung_find_step(const struct rung_study *s, uint32_t t, int32_t step)
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
 * The values of trial t at steps 1..K into row: each step's is that of the
 * last point recorded at or before it, so that a sparse curve (evaluated
 * every N steps, at budgets 1, 3, 9, at sample-size anchors) gives K values
 * from its points up to K and none after, and a dense one its own values.
 * Steps before the first point take the first point's value. -1 if the
 * trial has no point at or before K or stopped before K (its last point is
 * earlier); else how many values are finite before the first that is not.
 */
static int64_t
prefix_values(const struct rung_study *s, uint32_t t, uint32_t K,
    double *row)
{
	uint32_t	 i = s->curve.off[t], end = s->curve.off[t + 1], k;
	double		 v;

	if (i == end || s->curve.steps[i] > (int32_t)K ||
	    s->curve.steps[end - 1] < (int32_t)K)
		return -1;
	v = s->curve.vals[i];
	for (k = 0; k < K; k++) {
		/* Points at step 0 and below count as before step 1. */
		while (i + 1 < end && s->curve.steps[i + 1] <= (int32_t)k + 1)
			v = s->curve.vals[++i];
		if (!isfinite(v))
			break;
		row[k] = v;
	}
	return k;
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
	int64_t		 got, tat;
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
		row = ds->x + (size_t)n * d;
		if ((got = prefix_values(s, t, K, row)) < 0) {
			ds->skipped_short++;
			continue;
		}
		if (got < K) {
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
		if (f->target >= 1 &&
		    (tat = rung_find_step(s, t, f->target)) >= 0)
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
