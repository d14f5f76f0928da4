/*
 * What the predictor-driven policies (swift-hyperband, baker, asha-svr)
 * share: the curves reported to the scheduler, and SVR models fit on them.
 *
 * A model here learns from the values reported to this scheduler and from
 * nothing else, so a replay's predictor knows only what the simulated run
 * has seen, and a live campaign's only what its trainers printed.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/predict.h"
#include "rung/rng.h"
#include "rung/sched.h"
#include "sched-int.h"
#include "rung/xmalloc.h"

void
rung_sched_list_add(struct rung_sched_list *l, uint32_t v)
{
	XGROW(l->v, l->cap, (size_t)l->n + 1);
	l->v[l->n++] = v;
}

void
rung_sched_list_free(struct rung_sched_list *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

void
rung_sched_observe(struct rung_sched *s, uint32_t trial, int32_t step,
    double value)
{
	struct rung_sched_trial	*t = &s->t[trial];
	size_t			 cap = (size_t)t->obscap;

	if (step < 1 || step > (1 << 24))
		return;
	if (step > t->obscap) {
		XGROW(t->obs, cap, (size_t)step);
		t->obscap = (int32_t)(cap > (1u << 24) ? 1u << 24 : cap);
	}
	while (t->nobs < step - 1)
		t->obs[t->nobs++] = NAN;
	t->obs[step - 1] = value;
	if (t->nobs < step)
		t->nobs = step;
}

double
rung_sched_obs_at(const struct rung_sched *s, uint32_t trial, int32_t step)
{
	const struct rung_sched_trial *t = &s->t[trial];

	if (step < 1 || step > t->nobs)
		return NAN;
	return t->obs[step - 1];
}

uint32_t
rung_sched_feature_width(int32_t P, int diffs)
{
	if (!diffs)
		return (uint32_t)P;
	return (uint32_t)P + (P > 1 ? (uint32_t)P - 1 : 0) +
	    (P > 2 ? (uint32_t)P - 2 : 0);
}

int
rung_sched_features(const struct rung_sched *s, uint32_t trial, int32_t P,
    int diffs, double *x)
{
	const struct rung_sched_trial *t = &s->t[trial];
	int32_t		 i;
	uint32_t	 k;

	if (P < 1 || t->nobs < P)
		return -1;
	for (i = 0; i < P; i++) {
		if (!isfinite(t->obs[i]))
			return -1;
		x[i] = t->obs[i];
	}
	if (!diffs)
		return 0;
	k = (uint32_t)P;
	for (i = 1; i < P; i++)
		x[k++] = t->obs[i] - t->obs[i - 1];
	for (i = 2; i < P; i++)
		x[k++] = t->obs[i] - 2 * t->obs[i - 1] + t->obs[i - 2];
	return 0;
}

uint32_t
rung_sched_rows(const struct rung_sched *s, const uint32_t *trials, uint32_t n,
    int32_t P, int diffs, int32_t target, double **xp, double **yp)
{
	uint32_t	 d = rung_sched_feature_width(P, diffs), i, k = 0;
	double		*x, *y, v;

	x = xreallocarray(NULL, (size_t)(n ? n : 1) * d, sizeof *x);
	y = xreallocarray(NULL, n ? n : 1, sizeof *y);
	for (i = 0; i < n; i++) {
		v = rung_sched_obs_at(s, trials[i], target);
		if (!isfinite(v) || rung_sched_features(s, trials[i], P, diffs,
		    x + (size_t)k * d) != 0)
			continue;
		y[k++] = v;
	}
	*xp = x;
	*yp = y;
	return k;
}

struct rung_svr *
rung_sched_fit(const struct rung_sched *s, const uint32_t *trials,
    uint32_t n, int32_t P, int diffs, int32_t target, uint32_t *used)
{
	struct rung_svr_params p = s->p.svr;
	struct rung_svr	*m = NULL;
	double		*x, *y;
	char		*cause = NULL;
	uint32_t	 k;

	k = rung_sched_rows(s, trials, n, P, diffs, target, &x, &y);
	if (used != NULL)
		*used = k;
	/*
	 * The QSVR draws (its points, its annealer): from the run's seed and
	 * what this fit is, so that a replay is the same on any thread and
	 * a resumed campaign fits as the first run did.
	 */
	p.seed = s->p.seed * RUNG_RNG_GOLDEN ^ (uint64_t)(uint32_t)P << 40 ^
	    (uint64_t)(uint32_t)target << 8 ^ k;
	if (k >= 2 && rung_svr_fit(&p, x, y, k, rung_sched_feature_width(P, diffs),
	    &m, &cause) != 0) {
		free(cause);
		m = NULL;
	}
	free(x);
	free(y);
	return m;
}

double
rung_sched_predict(const struct rung_sched *s, const struct rung_svr *m,
    uint32_t trial, int32_t P, int diffs)
{
	double	*x, v = NAN;

	if (m == NULL)
		return NAN;
	x = xreallocarray(NULL, rung_sched_feature_width(P, diffs), sizeof *x);
	if (rung_sched_features(s, trial, P, diffs, x) == 0)
		v = rung_svr_predict(m, x);
	free(x);
	return v;
}

struct rung_sched_model *
rung_sched_model_find(struct rung_sched_models *ms, int32_t target,
    int32_t prefix)
{
	uint32_t	 i;

	for (i = 0; i < ms->n; i++) {
		if (ms->v[i].target == target && ms->v[i].prefix == prefix)
			return &ms->v[i];
	}
	return NULL;
}

struct rung_sched_model *
rung_sched_model_add(struct rung_sched_models *ms, int32_t target,
    int32_t prefix)
{
	struct rung_sched_model	*m;

	XGROW(ms->v, ms->cap, (size_t)ms->n + 1);
	m = &ms->v[ms->n++];
	memset(m, 0, sizeof *m);
	m->target = target;
	m->prefix = prefix;
	return m;
}

void
rung_sched_models_release(struct rung_sched_models *ms)
{
	uint32_t	 i;

	for (i = 0; i < ms->n; i++)
		rung_svr_free(ms->v[i].m);
	free(ms->v);
	memset(ms, 0, sizeof *ms);
}

void
rung_sched_finals_init(const struct rung_sched *s,
    struct rung_sched_finals *f)
{
	f->refit_at = s->p.min_curves ? s->p.min_curves : 1;
}

int
rung_sched_finals_add(struct rung_sched_finals *f, uint32_t trial)
{
	rung_sched_list_add(&f->full, trial);
	if (f->full.n < f->refit_at)
		return 0;
	f->refit_at *= 2;
	return 1;
}

void
rung_sched_finals_release(struct rung_sched_finals *f)
{
	rung_sched_models_release(&f->models);
	rung_sched_list_free(&f->full);
}
