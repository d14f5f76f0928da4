/*
 * Random search: every configuration to max_r, as many as the budget in
 * configurations allows; the degenerate bracket of one round at the full
 * budget. Baker et al.'s policy runs it and stops some trials early.
 */
#include "config.h"

#include <math.h>

#include "rung/sched.h"
#include "sched-int.h"
#include "rung/xmalloc.h"

int
rung_sched_random_setup(struct rung_sched *s, char **cause)
{
	if (s->p.max_configs == 0) {
		xasprintf(cause, "%s needs a budget in configurations",
		    s->pol->name);
		return -1;
	}
	return 0;
}

enum rung_action_kind
rung_sched_random_next(struct rung_sched *s, struct rung_sched_action *a)
{
	if (s->nt >= s->p.max_configs)
		return RUNG_ACT_DONE;
	a->resource = (int32_t)ceil(s->p.max_r);
	a->trial = rung_sched_add_trial(s, 0, 0, a->resource);
	return RUNG_ACT_START;
}

static enum rung_decision
random_report(struct rung_sched *s, uint32_t trial, int32_t step,
    double value)
{
	struct rung_sched_trial	*t = &s->t[trial];

	(void)value;
	t->step = step;
	if (step >= t->target) {
		t->state = RUNG_TRIAL_FINISHED;
		return RUNG_STOP;
	}
	return RUNG_CONTINUE;
}

static int32_t
random_quiet(const struct rung_sched *s, uint32_t trial)
{
	return s->t[trial].target;
}

/* Nothing of its own to set back. */
static void
random_reset(struct rung_sched *s)
{
	(void)s;
}

const struct rung_sched_policy rung_policy_random = {
	.name = "random",
	.flags = RUNG_PF_CONFIGS,
	.setup = rung_sched_random_setup,
	.next = rung_sched_random_next,
	.report = random_report,
	.quiet = random_quiet,
	.reset = random_reset,
};
