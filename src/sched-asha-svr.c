/*
 * asha-svr: ASHA whose rungs rank trials by a predicted value rather than
 * the value reached. It is ASHA (its state starts with ASHA's, and ASHA's
 * ops run it) with a rank key of its own.
 *
 * By default (--svr-train partial) the model of a rung predicts the value
 * at the next rung from the prefix up to the rung's milestone, and learns
 * from every trial that reached that next rung, stopped there or not: a
 * scheduler built to finish few trials still has a third of them (eta 3)
 * to learn each rung's model from, and it learns from the trials the rung
 * actually judges, not only from the survivors of every rung above. A
 * model is fit once PARTIAL_MIN trials reached its target, and again at
 * twice as many, and so on.
 *
 * With --svr-train full (the behaviour before, and of states saved before
 * the option) every model predicts the value at max_r and is fit on the
 * trials that reached it, after min_curves of them.
 *
 * Either way a rung is keyed by one model at a time: when its model is fit
 * again, every entry of the rung is ranked anew by the new model, so that
 * a rung never compares predictions of two models, or a prediction with a
 * raw value.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/predict.h"
#include "rung/sched.h"
#include "sched-int.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

/*
 * Trials that reached a rung's target before its model is fit: enough
 * for the SVR's scalers and gamma to mean something, few enough that the
 * bottom rungs are keyed early (lce.md section 3, variant A, used 5).
 */
#define PARTIAL_MIN 5

#define NITEMS(a) (sizeof (a) / sizeof *(a))

/* In the order of enum rung_svr_train. */
static const char *train_names[] = { "partial", "full" };

const char *
rung_svr_train_name(enum rung_svr_train t)
{
	return (size_t)t < NITEMS(train_names) ? train_names[t] : "?";
}

int
rung_svr_train_parse(const char *s)
{
	size_t	 i;

	for (i = 0; i < NITEMS(train_names); i++) {
		if (rung_strieq(s, train_names[i]))
			return (int)i;
	}
	return -1;
}

/* Partial: the trials that reported a value at a step, a rung's target. */
struct svr_target {
	int32_t		 step;
	struct rung_sched_list trials;
	uint32_t	 refit_at;	/* refit when trials.n reaches this */
};

struct asha_svr {
	struct rung_sched_asha asha;	/* first: ASHA's ops see their own */
	struct rung_sched_finals fin;	/* full: models (max_r, P) by rung */
	/* Partial: models (next rung's step, P), and who reached each step. */
	struct rung_sched_models models;
	struct svr_target *tg;
	uint32_t	 ntg;
};

static int32_t
rung_prefix(const struct rung_sched *s, uint32_t bracket, uint32_t k)
{
	return (int32_t)ceil(s->b[bracket].rungs[k].milestone);
}

/*
 * What the model of rung k predicts: the value at the next rung's
 * milestone, max_r above the top rung (and at most max_r); 0 when there
 * is nothing to predict (a rung at max_r, or a next rung at the same
 * step).
 */
static int32_t
rung_target(const struct rung_sched *s, uint32_t bracket, uint32_t k)
{
	const struct rung_sched_bracket *b = &s->b[bracket];
	int32_t		 R = (int32_t)ceil(s->p.max_r), T;

	if (s->p.svr_train == RUNG_SVR_TRAIN_FULL)
		T = R;
	else if (k + 1 < b->nrungs)
		T = (int32_t)ceil(b->rungs[k + 1].milestone);
	else
		T = R;
	if (T > R)
		T = R;
	return T > rung_prefix(s, bracket, k) ? T : 0;
}

static struct rung_sched_models *
models(struct rung_sched *s)
{
	struct asha_svr	*p = s->priv;

	if (s->p.svr_train == RUNG_SVR_TRAIN_FULL)
		return &p->fin.models;
	return &p->models;
}

/* ASHA's rank key: the predicted value where the rung has a model. */
static double
svr_key(struct rung_sched *s, uint32_t trial, uint32_t bracket, uint32_t k,
    double value)
{
	struct rung_sched_model	*md;
	int32_t			 P = rung_prefix(s, bracket, k);
	int32_t			 T = rung_target(s, bracket, k);

	if (T == 0)
		return value;
	md = rung_sched_model_find(models(s), T, P);
	if (md == NULL || md->m == NULL)
		return value;
	return rung_sched_predict(s, md->m, trial, P, 0);
}

/*
 * Fit the model (T, P) on the trials again, unless it already learnt
 * from all of them, and rank every rung it keys anew.
 */
static void
refit(struct rung_sched *s, int32_t T, int32_t P,
    const struct rung_sched_list *trials)
{
	struct rung_sched_model	*md;
	struct rung_sched_rung	*r;
	uint32_t		 b, k, j;

	md = rung_sched_model_find(models(s), T, P);
	if (md == NULL)
		md = rung_sched_model_add(models(s), T, P);
	if (md->ntrain == trials->n)
		return;
	rung_svr_free(md->m);
	md->m = rung_sched_fit(s, trials->v, trials->n, P, 0, T, NULL);
	md->ntrain = trials->n;
	for (b = 0; b < s->nb; b++) {
		for (k = 0; k < s->b[b].nrungs; k++) {
			if (rung_prefix(s, b, k) != P ||
			    rung_target(s, b, k) != T)
				continue;
			r = &s->b[b].rungs[k];
			for (j = 0; j < r->n; j++) {
				r->e[j].value = md->m == NULL ?
				    rung_sched_obs_at(s, r->e[j].trial, P) :
				    rung_sched_predict(s, md->m, r->e[j].trial,
				    P, 0);
			}
			/* Its values changed: Optuna's rule sorts them anew. */
			r->nsorted = 0;
			r->hasnan = 0;
		}
	}
}

/* Every model that predicts the value at step T, fit again. */
static void
refit_target(struct rung_sched *s, int32_t T,
    const struct rung_sched_list *trials)
{
	uint32_t	 b, k;

	for (b = 0; b < s->nb; b++) {
		for (k = 0; k < s->b[b].nrungs; k++) {
			if (rung_target(s, b, k) == T)
				refit(s, T, rung_prefix(s, b, k), trials);
		}
	}
}

/*
 * Full: a trial reached max_r, one more full curve. When their number
 * reaches d, 2d, 4d..., the model of every rung is fit again on all of
 * them.
 */
static void
finished(struct rung_sched *s, uint32_t trial)
{
	struct rung_sched_finals *f = &((struct asha_svr *)s->priv)->fin;

	if (rung_sched_finals_add(f, trial))
		refit_target(s, (int32_t)ceil(s->p.max_r), &f->full);
}

/*
 * Partial: the trial reported at step after prev. For each rung's target
 * in (prev, step] it reached with a value, it joins that target's
 * trials; at PARTIAL_MIN, 2 PARTIAL_MIN... the models of the rungs
 * that predict it are fit again.
 */
static void
reached(struct rung_sched *s, uint32_t trial, int32_t prev, int32_t step)
{
	struct asha_svr		*p = s->priv;
	struct svr_target	*g;
	uint32_t		 i;

	for (i = 0; i < p->ntg; i++) {
		g = &p->tg[i];
		if (g->step <= prev || g->step > step ||
		    !isfinite(rung_sched_obs_at(s, trial, g->step)))
			continue;
		rung_sched_list_add(&g->trials, trial);
		if (g->trials.n < g->refit_at)
			continue;
		g->refit_at *= 2;
		refit_target(s, g->step, &g->trials);
	}
}

/* Partial: the distinct targets of the rungs, ascending. */
static void
targets_init(struct rung_sched *s)
{
	struct asha_svr	*p = s->priv;
	struct svr_target tmp;
	uint32_t	 b, k, i, j;
	int32_t		 T;

	for (b = 0; b < s->nb; b++) {
		for (k = 0; k < s->b[b].nrungs; k++) {
			if ((T = rung_target(s, b, k)) == 0)
				continue;
			for (i = 0; i < p->ntg && p->tg[i].step != T; i++)
				;
			if (i < p->ntg)
				continue;
			p->tg = xreallocarray(p->tg, p->ntg + 1,
			    sizeof *p->tg);
			memset(&p->tg[p->ntg], 0, sizeof *p->tg);
			p->tg[p->ntg].step = T;
			p->tg[p->ntg].refit_at = PARTIAL_MIN;
			p->ntg++;
		}
	}
	for (i = 1; i < p->ntg; i++) {
		tmp = p->tg[i];
		for (j = i; j > 0 && p->tg[j - 1].step > tmp.step; j--)
			p->tg[j] = p->tg[j - 1];
		p->tg[j] = tmp;
	}
}

uint32_t
rung_sched_svr_trainset(struct rung_sched *s, uint32_t bracket, uint32_t k,
    const uint32_t **trials)
{
	struct asha_svr		*p = s->priv;
	struct rung_sched_model	*md;
	int32_t			 T;
	uint32_t		 i;

	*trials = NULL;
	if (s->pol != &rung_policy_asha_svr || bracket >= s->nb ||
	    k >= s->b[bracket].nrungs || (T = rung_target(s, bracket, k)) == 0)
		return 0;
	md = rung_sched_model_find(models(s), T, rung_prefix(s, bracket, k));
	if (md == NULL)
		return 0;
	if (s->p.svr_train == RUNG_SVR_TRAIN_FULL) {
		*trials = p->fin.full.v;
		return md->ntrain;
	}
	for (i = 0; i < p->ntg && p->tg[i].step != T; i++)
		;
	*trials = p->tg[i].trials.v;
	return md->ntrain;
}

static int
asha_svr_setup(struct rung_sched *s, char **cause)
{
	struct asha_svr	*p = s->priv;

	if ((size_t)s->p.svr_train >= NITEMS(train_names)) {
		xasprintf(cause, "unknown svr training set %d",
		    (int)s->p.svr_train);
		return -1;
	}
	p->asha.key = svr_key;
	rung_sched_finals_init(s, &p->fin);
	if (rung_sched_asha_setup(s, cause) != 0)
		return -1;
	if (s->p.svr_train == RUNG_SVR_TRAIN_PARTIAL)
		targets_init(s);
	return 0;
}

static enum rung_decision
asha_svr_report(struct rung_sched *s, uint32_t trial, int32_t step,
    double value)
{
	int32_t			 R = (int32_t)ceil(s->p.max_r);
	int32_t			 prev = s->t[trial].step;
	enum rung_decision	 d;

	d = rung_sched_asha_report(s, trial, step, value);
	if (s->p.svr_train == RUNG_SVR_TRAIN_PARTIAL)
		reached(s, trial, prev, step);
	else if (prev < R && step >= R)
		finished(s, trial);
	return d;
}

static void
asha_svr_release(struct rung_sched *s)
{
	struct asha_svr	*p = s->priv;
	uint32_t	 i;

	rung_sched_finals_release(&p->fin);
	rung_sched_models_release(&p->models);
	for (i = 0; i < p->ntg; i++)
		rung_sched_list_free(&p->tg[i].trials);
	free(p->tg);
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
