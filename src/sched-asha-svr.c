/*
 * asha-svr: ASHA whose rungs rank trials by their predicted final value.
 * It is ASHA (its state starts with ASHA's, and ASHA's ops run it) with a
 * rank key of its own and a refit whenever enough trials reach max_r.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/predict.h"
#include "rung/sched.h"
#include "sched-int.h"
#include "rung/xmalloc.h"

struct asha_svr {
	struct rung_sched_asha asha;	/* first: ASHA's ops see their own */
	struct rung_sched_finals fin;	/* models (max_r, P) by rung */
};

static int32_t
rung_prefix(const struct rung_sched *s, uint32_t bracket, uint32_t k)
{
	return (int32_t)ceil(s->b[bracket].rungs[k].milestone);
}

/* ASHA's rank key: the predicted final value where there is a model. */
static double
svr_key(struct rung_sched *s, uint32_t trial, uint32_t bracket, uint32_t k,
    double value)
{
	struct asha_svr		*p = s->priv;
	struct rung_sched_model	*md;
	int32_t			 P = rung_prefix(s, bracket, k);

	md = rung_sched_model_find(&p->fin.models, (int32_t)ceil(s->p.max_r), P);
	if (md == NULL || md->m == NULL)
		return value;
	return rung_sched_predict(s, md->m, trial, P, 0);
}

/*
 * A trial reached max_r: one more full curve. When their number reaches
 * d, 2d, 4d..., the model of every rung is fit again on all of them and
 * the rung's entries are ranked anew by what it predicts, so that a rung
 * never compares a prediction with a raw value.
 */
static void
finished(struct rung_sched *s, uint32_t trial)
{
	struct rung_sched_finals *f = &((struct asha_svr *)s->priv)->fin;
	struct rung_sched_model	*md;
	struct rung_sched_rung	*r;
	int32_t			 R = (int32_t)ceil(s->p.max_r), P;
	uint32_t		 b, k, j;

	if (!rung_sched_finals_add(f, trial))
		return;
	for (b = 0; b < s->nb; b++) {
		for (k = 0; k < s->b[b].nrungs; k++) {
			P = rung_prefix(s, b, k);
			if (P >= R)
				continue;
			md = rung_sched_model_find(&f->models, R, P);
			if (md == NULL)
				md = rung_sched_model_add(&f->models, R, P);
			if (md->ntrain != f->full.n) {
				rung_svr_free(md->m);
				md->m = rung_sched_fit(s, f->full.v,
				    f->full.n, P, 0, R, NULL);
				md->ntrain = f->full.n;
			}
			r = &s->b[b].rungs[k];
			for (j = 0; j < r->n; j++) {
				r->e[j].value = md->m == NULL ?
				    rung_sched_obs_at(s, r->e[j].trial, P) :
				    rung_sched_predict(s, md->m, r->e[j].trial, P,
				    0);
			}
		}
	}
}

static int
asha_svr_setup(struct rung_sched *s, char **cause)
{
	struct asha_svr	*p = s->priv;

	p->asha.key = svr_key;
	rung_sched_finals_init(s, &p->fin);
	return rung_sched_asha_setup(s, cause);
}

static enum rung_decision
asha_svr_report(struct rung_sched *s, uint32_t trial, int32_t step,
    double value)
{
	int32_t			 R = (int32_t)ceil(s->p.max_r);
	int32_t			 prev = s->t[trial].step;
	enum rung_decision	 d;

	d = rung_sched_asha_report(s, trial, step, value);
	if (prev < R && step >= R)
		finished(s, trial);
	return d;
}

static void
asha_svr_release(struct rung_sched *s)
{
	struct asha_svr	*p = s->priv;

	rung_sched_finals_release(&p->fin);
}

const struct rung_sched_policy rung_policy_asha_svr = {
	.name = "asha-svr",
	.flags = RUNG_PF_CONFIGS | RUNG_PF_PRED,
	.size = sizeof (struct asha_svr),
	.setup = asha_svr_setup,
	.next = rung_sched_asha_next,
	.report = asha_svr_report,
	.release = asha_svr_release,
	.milestones = rung_sched_asha_milestones,
};
