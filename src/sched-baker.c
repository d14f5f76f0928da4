/*
 * Baker et al. (ICLR workshop 2018): random search whose trials stop on a
 * confident prediction. At each milestone min_r eta^k below max_r a
 * trial's prefix predicts its final value; it stops when the chance that
 * it ends no better than the best final so far reaches delta.
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

struct baker {
	struct rung_sched_finals fin;	/* models (max_r, P) by decision point */
	double		 best;		/* best final so far */
};

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

/* Random search's setup, and delta. */
static int
baker_setup(struct rung_sched *s, char **cause)
{
	struct baker	*bk = s->priv;

	if (rung_sched_random_setup(s, cause) != 0)
		return -1;
	if (!(s->p.delta > 0 && s->p.delta <= 1)) {
		xasprintf(cause, "delta must be in (0, 1]");
		return -1;
	}
	rung_sched_finals_init(s, &bk->fin);
	bk->best = NAN;
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
	struct baker		*p = s->priv;
	struct rung_sched_model	*md;
	const uint32_t		*tr;
	int32_t			 R = (int32_t)ceil(s->p.max_r), P;
	uint32_t		 n, k, d;
	double			 m, *x, *y;
	char			*cause = NULL;

	n = p->fin.full.n < BAKER_MAX_TRAIN ? p->fin.full.n :
	    BAKER_MAX_TRAIN;
	tr = p->fin.full.v + (p->fin.full.n - n);
	for (m = s->p.min_r; m < s->p.max_r; m *= s->p.eta) {
		P = (int32_t)ceil(m);
		if ((md = rung_sched_model_find(&p->fin.models, R, P)) == NULL)
			md = rung_sched_model_add(&p->fin.models, R, P);
		rung_svr_free(md->m);
		md->m = NULL;
		md->sigma = NAN;
		d = rung_sched_feature_width(P, 1);
		k = rung_sched_rows(s, tr, n, P, 1, R, &x, &y);
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

static enum rung_decision
baker_report(struct rung_sched *s, uint32_t trial, int32_t step, double value)
{
	struct rung_sched_trial	*t = &s->t[trial];
	struct baker		*p = s->priv;
	struct rung_sched_model	*md;
	double			 yhat, prob;

	t->step = step;
	if (step >= t->target) {
		t->state = RUNG_TRIAL_FINISHED;
		if (!isnan(value) && (isnan(p->best) || value < p->best))
			p->best = value;
		if (rung_sched_finals_add(&p->fin, trial))
			baker_refit(s);
		return RUNG_STOP;
	}
	if (isnan(p->best) || !baker_decides(s, step))
		return RUNG_CONTINUE;
	md = rung_sched_model_find(&p->fin.models, (int32_t)ceil(s->p.max_r),
	    step);
	if (md == NULL || md->m == NULL || isnan(md->sigma))
		return RUNG_CONTINUE;
	yhat = rung_sched_predict(s, md->m, trial, step, 1);
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

static void
baker_release(struct rung_sched *s)
{
	struct baker	*bk = s->priv;

	rung_sched_finals_release(&bk->fin);
}

const struct rung_sched_policy rung_policy_baker = {
	.name = "baker",
	.flags = RUNG_PF_CONFIGS | RUNG_PF_PRED,
	.size = sizeof (struct baker),
	.setup = baker_setup,
	.next = rung_sched_random_next,
	.report = baker_report,
	.release = baker_release,
};
