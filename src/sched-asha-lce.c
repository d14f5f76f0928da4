/*
 * asha-lce: ASHA whose trials also stop, between its milestones, when an
 * extrapolation of their own curve cannot beat the incumbent (the best
 * value at max_r so far; src/sched-lce.c). ASHA's rung rule is untouched,
 * so the LCE stops only add to ASHA's: it costs at most what ASHA costs.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "rung/lce.h"
#include "rung/sched.h"
#include "sched-int.h"

struct asha_lce {
	struct rung_sched_asha asha;	/* first: ASHA's ops see their own */
	struct rung_sched_lce lce;
};

static int
asha_lce_setup(struct rung_sched *s, char **cause)
{
	struct asha_lce	*p = s->priv;

	if (rung_sched_lce_setup(s, &p->lce, cause) != 0)
		return -1;
	return rung_sched_asha_setup(s, cause);
}

static enum rung_decision
asha_lce_report(struct rung_sched *s, uint32_t trial, int32_t step,
    double value)
{
	struct asha_lce		*p = s->priv;
	struct rung_sched_trial	*t = &s->t[trial];
	double			 R = ceil(s->p.max_r);
	int32_t			 prev = t->step;
	enum rung_decision	 d;

	d = rung_sched_asha_report(s, trial, step, value);
	if (prev < R && step >= R)
		rung_sched_lce_final(&p->lce, value);
	if (d != RUNG_CONTINUE || step >= R)
		return d;
	if (!isfinite(value) || (rung_sched_lce_checkpoint(prev, step) &&
	    rung_sched_lce_hopeless(s, &p->lce, trial, R, p->lce.best))) {
		t->state = RUNG_TRIAL_STOPPED;
		return RUNG_STOP;
	}
	return d;
}

static void
asha_lce_release(struct rung_sched *s)
{
	struct asha_lce	*p = s->priv;

	rung_sched_lce_release(&p->lce);
}

const struct rung_sched_policy rung_policy_asha_lce = {
	.name = "asha-lce",
	.flags = RUNG_PF_CONFIGS | RUNG_PF_PRED,
	.size = sizeof (struct asha_lce),
	.setup = asha_lce_setup,
	.next = rung_sched_asha_next,
	.report = asha_lce_report,
	.release = asha_lce_release,
	.milestones = rung_sched_asha_milestones,
};
