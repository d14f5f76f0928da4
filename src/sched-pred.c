/*
 * What the predictor-driven policies share: the curves reported to the
 * scheduler, SVR models fit on them, and two of the policies themselves:
 * Baker et al.'s early stopping and asha-svr. (Swift-Hyperband has its own
 * file.)
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
#include "rung/sched.h"
#include "sched-int.h"
#include "rung/xmalloc.h"

/* Baker et al. trained on 100 configurations; so do the models here. */
#define BAKER_MAX_TRAIN 100

int
rung_sched_is_pred(const struct rung_sched *s)
{
	switch (s->p.policy) {
	case RUNG_POLICY_SWIFT:
	case RUNG_POLICY_BAKER:
	case RUNG_POLICY_ASHA_SVR:
		return 1;
	default:
		return 0;
	}
}

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

/* Columns of the features of a prefix of P values. */
static uint32_t
feature_width(int32_t P, int diffs)
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

/* Rows of the trials with a usable prefix and target; returns how many. */
static uint32_t
build_rows(const struct rung_sched *s, const uint32_t *trials, uint32_t n,
    int32_t P, int diffs, int32_t target, double **xp, double **yp)
{
	uint32_t	 d = feature_width(P, diffs), i, k = 0;
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
	struct rung_svr	*m = NULL;
	double		*x, *y;
	char		*cause = NULL;
	uint32_t	 k;

	k = build_rows(s, trials, n, P, diffs, target, &x, &y);
	if (used != NULL)
		*used = k;
	if (k >= 2 && rung_svr_fit(&s->p.svr, x, y, k, feature_width(P, diffs),
	    &m, &cause) != 0) {
		free(cause);
		m = NULL;
	}
	free(x);
	free(y);
	return m;
}

/* Predict from a trial's prefix; NaN when its prefix is not usable. */
static double
predict_trial(const struct rung_sched *s, const struct rung_svr *m,
    uint32_t trial, int32_t P, int diffs)
{
	double	*x, v = NAN;

	if (m == NULL)
		return NAN;
	x = xreallocarray(NULL, feature_width(P, diffs), sizeof *x);
	if (rung_sched_features(s, trial, P, diffs, x) == 0)
		v = rung_svr_predict(m, x);
	free(x);
	return v;
}

struct rung_sched_model *
rung_sched_model_find(struct rung_sched *s, int32_t target, int32_t prefix)
{
	uint32_t	 i;

	for (i = 0; i < s->pred->nmodels; i++) {
		if (s->pred->models[i].target == target &&
		    s->pred->models[i].prefix == prefix)
			return &s->pred->models[i];
	}
	return NULL;
}

struct rung_sched_model *
rung_sched_model_add(struct rung_sched *s, int32_t target, int32_t prefix)
{
	struct rung_sched_pred	*p = s->pred;
	struct rung_sched_model	*m;

	XGROW(p->models, p->mcap, (size_t)p->nmodels + 1);
	m = &p->models[p->nmodels++];
	memset(m, 0, sizeof *m);
	m->target = target;
	m->prefix = prefix;
	return m;
}

void
rung_sched_pred_free(struct rung_sched *s)
{
	struct rung_sched_pred	*p = s->pred;
	uint32_t		 i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nmodels; i++)
		rung_svr_free(p->models[i].m);
	free(p->models);
	rung_sched_list_free(&p->full);
	for (i = 0; i < p->nD; i++)
		rung_sched_list_free(&p->D[i]);
	free(p->D);
	free(p->Dr);
	rung_sched_list_free(&p->T);
	rung_sched_list_free(&p->pending);
	rung_sched_list_free(&p->fullr);
	rung_sched_list_free(&p->parked);
	rung_sched_list_free(&p->selected);
	free(p->kind);
	free(p);
	s->pred = NULL;
}

/* Baker et al.: random search whose trials stop on a confident prediction. */

/*
 * The decision points: the milestones min_r eta^k below max_r, as steps
 * (rounded up), as ASHA's rungs.
 */
static int
baker_decides(const struct rung_sched *s, int32_t step)
{
	double	 m;

	for (m = s->p.min_r; m < s->p.max_r; m *= s->p.eta) {
		if ((int32_t)ceil(m) == step)
			return 1;
	}
	return 0;
}

int
rung_sched_baker_setup(struct rung_sched *s, char **cause)
{
	if (s->p.max_configs == 0) {
		xasprintf(cause, "baker needs a budget in configurations");
		return -1;
	}
	if (!(s->p.delta > 0 && s->p.delta <= 1)) {
		xasprintf(cause, "delta must be in (0, 1]");
		return -1;
	}
	s->pred->refit_at = s->p.min_curves ? s->p.min_curves : 1;
	s->pred->best = NAN;
	return 0;
}

/*
 * Leave-one-out: each row predicted by a model fit on the others; sigma is
 * the root mean square of those residuals.
 */
static double
loo_sigma(const struct rung_sched *s, const double *x, const double *y,
    uint32_t n, uint32_t d)
{
	struct rung_svr	*m;
	double		*xr, *yr, ss = 0, r;
	uint32_t	 i, j, k, used = 0;
	char		*cause = NULL;

	if (n < 3)
		return NAN;
	xr = xreallocarray(NULL, (size_t)(n - 1) * d, sizeof *xr);
	yr = xreallocarray(NULL, n - 1, sizeof *yr);
	for (i = 0; i < n; i++) {
		for (j = 0, k = 0; j < n; j++) {
			if (j == i)
				continue;
			memcpy(xr + (size_t)k * d, x + (size_t)j * d,
			    d * sizeof *xr);
			yr[k++] = y[j];
		}
		if (rung_svr_fit(&s->p.svr, xr, yr, n - 1, d, &m,
		    &cause) != 0) {
			free(cause);
			cause = NULL;
			continue;
		}
		r = rung_svr_predict(m, x + (size_t)i * d) - y[i];
		rung_svr_free(m);
		ss += r * r;
		used++;
	}
	free(xr);
	free(yr);
	return used ? sqrt(ss / used) : NAN;
}

/* Fit one model per decision point on the latest full curves. */
static void
baker_refit(struct rung_sched *s)
{
	struct rung_sched_pred	*p = s->pred;
	struct rung_sched_model	*md;
	const uint32_t		*tr;
	int32_t			 R = (int32_t)ceil(s->p.max_r), P;
	uint32_t		 n, k, d;
	double			 m, *x, *y;
	char			*cause = NULL;

	n = p->full.n < BAKER_MAX_TRAIN ? p->full.n : BAKER_MAX_TRAIN;
	tr = p->full.v + (p->full.n - n);
	for (m = s->p.min_r; m < s->p.max_r; m *= s->p.eta) {
		P = (int32_t)ceil(m);
		if ((md = rung_sched_model_find(s, R, P)) == NULL)
			md = rung_sched_model_add(s, R, P);
		rung_svr_free(md->m);
		md->m = NULL;
		md->sigma = NAN;
		d = feature_width(P, 1);
		k = build_rows(s, tr, n, P, 1, R, &x, &y);
		md->ntrain = k;
		if (k >= 3 && rung_svr_fit(&s->p.svr, x, y, k, d, &md->m,
		    &cause) == 0)
			md->sigma = loo_sigma(s, x, y, k, d);
		else {
			free(cause);
			cause = NULL;
			md->m = NULL;
		}
		free(x);
		free(y);
	}
}

/* Standard normal distribution function. */
static double
phi(double z)
{
	return 0.5 * erfc(-z / sqrt(2));
}

enum rung_decision
rung_sched_baker_report(struct rung_sched *s, uint32_t trial, int32_t step,
    double value)
{
	struct rung_sched_trial	*t = &s->t[trial];
	struct rung_sched_pred	*p = s->pred;
	struct rung_sched_model	*md;
	double			 yhat, prob;

	t->step = step;
	if (step >= t->target) {
		t->state = RUNG_TRIAL_FINISHED;
		if (!isnan(value) && (isnan(p->best) || value < p->best))
			p->best = value;
		rung_sched_list_add(&p->full, trial);
		if (p->full.n == p->refit_at) {
			baker_refit(s);
			p->refit_at *= 2;
		}
		return RUNG_STOP;
	}
	if (isnan(p->best) || !baker_decides(s, step))
		return RUNG_CONTINUE;
	md = rung_sched_model_find(s, (int32_t)ceil(s->p.max_r), step);
	if (md == NULL || md->m == NULL || isnan(md->sigma))
		return RUNG_CONTINUE;
	yhat = predict_trial(s, md->m, trial, step, 1);
	if (isnan(yhat))
		return RUNG_CONTINUE;
	/* Lower is better: P(final >= best) under N(yhat, sigma^2). */
	if (md->sigma > 0)
		prob = phi((yhat - p->best) / md->sigma);
	else
		prob = yhat >= p->best ? 1 : 0;
	if (prob >= s->p.delta) {
		t->state = RUNG_TRIAL_STOPPED;
		return RUNG_STOP;
	}
	return RUNG_CONTINUE;
}

/* asha-svr: ASHA whose rungs rank trials by their predicted final value. */

static int32_t
rung_prefix(const struct rung_sched *s, uint32_t bracket, uint32_t k)
{
	return (int32_t)ceil(s->b[bracket].rungs[k].milestone);
}

double
rung_sched_asha_svr_key(struct rung_sched *s, uint32_t trial,
    uint32_t bracket, uint32_t k, double value)
{
	struct rung_sched_model	*md;
	int32_t			 P = rung_prefix(s, bracket, k);

	md = rung_sched_model_find(s, (int32_t)ceil(s->p.max_r), P);
	if (md == NULL || md->m == NULL)
		return value;
	return predict_trial(s, md->m, trial, P, 0);
}

/*
 * A trial reached max_r: one more full curve. When their number reaches
 * d, 2d, 4d..., the model of every rung is fit again on all of them and
 * the rung's entries are ranked anew by what it predicts, so that a rung
 * never compares a prediction with a raw value.
 */
void
rung_sched_asha_svr_finished(struct rung_sched *s, uint32_t trial)
{
	struct rung_sched_pred	*p = s->pred;
	struct rung_sched_model	*md;
	struct rung_sched_rung	*r;
	int32_t			 R = (int32_t)ceil(s->p.max_r), P;
	uint32_t		 b, k, j;

	rung_sched_list_add(&p->full, trial);
	if (p->full.n < p->refit_at)
		return;
	p->refit_at *= 2;
	for (b = 0; b < s->nb; b++) {
		for (k = 0; k < s->b[b].nrungs; k++) {
			P = rung_prefix(s, b, k);
			if (P >= R)
				continue;
			if ((md = rung_sched_model_find(s, R, P)) == NULL)
				md = rung_sched_model_add(s, R, P);
			if (md->ntrain != p->full.n) {
				rung_svr_free(md->m);
				md->m = rung_sched_fit(s, p->full.v, p->full.n,
				    P, 0, R, NULL);
				md->ntrain = p->full.n;
			}
			r = &s->b[b].rungs[k];
			for (j = 0; j < r->n; j++) {
				r->e[j].value = md->m == NULL ?
				    rung_sched_obs_at(s, r->e[j].trial, P) :
				    predict_trial(s, md->m, r->e[j].trial, P,
				    0);
			}
		}
	}
}
