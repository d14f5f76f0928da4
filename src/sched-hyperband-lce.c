/*
 * hyperband-lce: Hyperband whose rounds drop a configuration early when
 * LCE says it cannot make the round's cut (src/sched-lce.c).
 *
 * The cut of a round that promotes keep = n_(i+1) configurations is the
 * keep-th best value recorded at the round's resource so far: once keep
 * of the round have reported it can only fall, so a trial whose
 * optimistic bound at the round's resource is worse than it would not be
 * promoted. The last round promotes nothing; its cut is the incumbent,
 * the best value at max_r so far. A dropped trial leaves the round as a
 * lost one does (the worst value at its rung), so the round does not wait
 * for it.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "rung/lce.h"
#include "rung/sched.h"
#include "sched-int.h"
#include "rung/xmalloc.h"

struct hb_lce {
	struct rung_sched_hb hb;	/* first: Hyperband's ops see their own */
	struct rung_sched_lce lce;
};

static int
hb_lce_setup(struct rung_sched *s, char **cause)
{
	struct hb_lce	*p = s->priv;

	if (rung_sched_lce_setup(s, &p->lce, cause) != 0)
		return -1;
	return rung_sched_hb_setup(s, cause);
}

/* The trial's round's cut (NaN: none yet) and the resource it is at. */
static double
round_cut(struct rung_sched *s, uint32_t trial, double *T)
{
	struct hb_lce		*p = s->priv;
	struct rung_sched_trial	*t = &s->t[trial];
	struct rung_sched_rung	*r = &s->b[t->bracket].rungs[t->rung];
	double			*v, x;
	uint32_t		 keep, n = 0, i, j;

	if (t->rung + 1 >= s->b[t->bracket].nrungs) {
		*T = ceil(s->p.max_r);
		return p->lce.best;
	}
	*T = t->target;
	keep = p->hb.hb[t->bracket].round[t->rung + 1].n;
	if (keep == 0 || r->n < keep)
		return NAN;
	if (keep > p->lce.vcap) {
		p->lce.v = xreallocarray(p->lce.v, keep, sizeof *p->lce.v);
		p->lce.vcap = keep;
	}
	v = p->lce.v;
	/* The keep best finite values, by insertion. */
	for (i = 0; i < r->n; i++) {
		x = r->e[i].value;
		if (isnan(x) || (n == keep && x >= v[n - 1]))
			continue;
		if (n < keep)
			n++;
		for (j = n - 1; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	return n == keep ? v[keep - 1] : NAN;
}

static enum rung_decision
hb_lce_report(struct rung_sched *s, uint32_t trial, int32_t step,
    double value)
{
	struct hb_lce		*p = s->priv;
	struct rung_sched_trial	*t = &s->t[trial];
	double			 R = ceil(s->p.max_r), T, cut;
	int32_t			 prev = t->step;
	enum rung_decision	 d;

	d = rung_sched_hb_report(s, trial, step, value);
	if (prev < R && step >= R)
		rung_sched_lce_final(&p->lce, value);
	if (d != RUNG_CONTINUE)
		return d;
	if (isfinite(value)) {
		if (!rung_sched_lce_checkpoint(prev, step))
			return d;
		cut = round_cut(s, trial, &T);
		if (!rung_sched_lce_hopeless(s, &p->lce, trial, T, cut))
			return d;
	}
	rung_sched_hb_lost(s, trial);
	t->state = RUNG_TRIAL_STOPPED;
	return RUNG_STOP;
}

static void
hb_lce_release(struct rung_sched *s)
{
	struct hb_lce	*p = s->priv;

	rung_sched_lce_release(&p->lce);
	rung_sched_hb_release(s);
}

const struct rung_sched_policy rung_policy_hyperband_lce = {
	.name = "hyperband-lce",
	.flags = RUNG_PF_PRED | RUNG_PF_INTEGER,
	.size = sizeof (struct hb_lce),
	.setup = hb_lce_setup,
	.next = rung_sched_hb_next,
	.report = hb_lce_report,
	.lost = rung_sched_hb_lost,
	.release = hb_lce_release,
	.needed = rung_sched_hb_needed,
	.milestones = rung_sched_hb_milestones,
};
