/*
 * LCE stopping (lce.md 3), shared by lce, asha-lce and hyperband-lce, and
 * the lce policy itself: random search whose trials stop when even an
 * optimistic extrapolation of their own curve cannot beat the incumbent
 * (Domhan et al.'s predictive termination, with the fit of src/lce.c).
 *
 * A trial is judged at the checkpoints 3, 4, 5, 6, 8, 10, 12, 15, 19, 24,
 * 30, 38, 48, 60, 75, 95 and on by a quarter each time: at the first
 * report at or past each, so that sparse steps are judged too. The margin
 * is --delta read as a probability: z = Phi^-1(delta), and a trial stops
 * when its bound o - z sigma (1 + ln(T / t)) is still worse than the cut.
 * These policies learn from nothing but the trial's own points and the
 * incumbent, and are saved as their calls (RUNG_PF_PRED) like the other
 * predictor-driven policies.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/lce.h"
#include "rung/sched.h"
#include "sched-int.h"
#include "rung/xmalloc.h"

static const int32_t checkpoints[] = {
	3, 4, 5, 6, 8, 10, 12, 15, 19, 24, 30, 38, 48, 60, 75, 95
};

int
rung_sched_lce_setup(struct rung_sched *s, struct rung_sched_lce *l,
    char **cause)
{
	if (!(s->p.delta > 0 && s->p.delta <= 1)) {
		xasprintf(cause, "delta must be in (0, 1]");
		return -1;
	}
	rung_lce_init(&l->w);
	l->z = rung_lce_z(s->p.delta);
	l->best = NAN;
	return 0;
}

void
rung_sched_lce_release(struct rung_sched_lce *l)
{
	rung_lce_release(&l->w);
	free(l->x);
	free(l->y);
	free(l->v);
}

int
rung_sched_lce_checkpoint(int32_t prev, int32_t step)
{
	int64_t	 c;
	size_t	 i;

	for (i = 0; i < sizeof checkpoints / sizeof *checkpoints; i++) {
		if (checkpoints[i] > step)
			return 0;
		if (checkpoints[i] > prev)
			return 1;
	}
	for (c = checkpoints[i - 1]; c <= step; c += c / 4) {
		if (c > prev)
			return 1;
	}
	return 0;
}

void
rung_sched_lce_final(struct rung_sched_lce *l, double value)
{
	if (isfinite(value) && (isnan(l->best) || value < l->best))
		l->best = value;
}

int
rung_sched_lce_hopeless(struct rung_sched *s, struct rung_sched_lce *l,
    uint32_t trial, double T, double cut)
{
	const struct rung_sched_trial *t = &s->t[trial];
	uint32_t	 n = 0;
	int32_t		 i;

	if (isnan(cut) || !(T > t->step))
		return 0;
	if ((uint32_t)t->nobs > l->cap) {
		l->x = xreallocarray(l->x, (size_t)t->nobs, sizeof *l->x);
		l->y = xreallocarray(l->y, (size_t)t->nobs, sizeof *l->y);
		l->cap = (uint32_t)t->nobs;
	}
	/* NaN in obs is a step not reported: a reported one stopped it. */
	for (i = 0; i < t->nobs; i++) {
		if (isfinite(t->obs[i])) {
			l->x[n] = i + 1;
			l->y[n++] = t->obs[i];
		}
	}
	/*
	 * With z >= 0 the bound is never above the last value: a trial as
	 * good as the cut already needs no fit, and fits are most of what an
	 * LCE policy costs a replay.
	 */
	if (l->z >= 0 && n > 0 && l->y[n - 1] <= cut)
		return 0;
	if (rung_lce_fit(&l->w, l->x, l->y, n) != 0)
		return 0;
	return rung_lce_bound(&l->w, T, l->z) > cut;
}

/* The lce policy: random search with these stops. */
struct lce {
	struct rung_sched_lce lce;
};

static int
lce_setup(struct rung_sched *s, char **cause)
{
	struct lce	*p = s->priv;

	if (rung_sched_random_setup(s, cause) != 0)
		return -1;
	return rung_sched_lce_setup(s, &p->lce, cause);
}

static enum rung_decision
lce_report(struct rung_sched *s, uint32_t trial, int32_t step, double value)
{
	struct lce		*p = s->priv;
	struct rung_sched_trial	*t = &s->t[trial];
	int32_t			 prev = t->step;

	t->step = step;
	if (step >= t->target) {
		t->state = RUNG_TRIAL_FINISHED;
		rung_sched_lce_final(&p->lce, value);
		return RUNG_STOP;
	}
	if (!isfinite(value) || (rung_sched_lce_checkpoint(prev, step) &&
	    rung_sched_lce_hopeless(s, &p->lce, trial, s->p.max_r,
	    p->lce.best))) {
		t->state = RUNG_TRIAL_STOPPED;
		return RUNG_STOP;
	}
	return RUNG_CONTINUE;
}

static void
lce_release(struct rung_sched *s)
{
	struct lce	*p = s->priv;

	rung_sched_lce_release(&p->lce);
}

const struct rung_sched_policy rung_policy_lce = {
	.name = "lce",
	.flags = RUNG_PF_CONFIGS | RUNG_PF_PRED,
	.size = sizeof (struct lce),
	.setup = lce_setup,
	.next = rung_sched_random_next,
	.report = lce_report,
	.release = lce_release,
};
