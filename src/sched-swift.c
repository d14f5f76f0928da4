/*
 * Swift-Hyperband (García Amboage, Wulff, Girone, Pena; CHEP 2023), as the
 * authors' MPI_swift_hyperband.py runs it (algorithms.md 3): Hyperband's
 * brackets, where each round first trains its configurations to a decision
 * point p inside the round, trains enough of them on to the round's end to
 * feed and check a predictor, and finishes only those the predictor ranks
 * in the best quarter of them (or the best it needs to fill the round).
 *
 * One round, from r_prev to r_i, n_next survivors:
 *   A  every configuration to p = r_prev + ceil((r_i - r_prev) known_curve);
 *      as each one gets there, it goes on to r_i ("full") while fewer than
 *      k n_next were sent full or the full ones in flight cannot yet make
 *      D[r_i] reach d curves; else it is parked.
 *   B  the model M[(r_i, p)] is fit once, on D[r_i], when it has d curves,
 *      and kept for every later round with the same (r_i, p).
 *   C  a parked configuration is selected when its prediction is below the
 *      25% quantile of this round's full curves at r_i; if too few are
 *      selected to fill n_next, the n_next - |FULL| best predicted are.
 *   D  the selected ones train on to r_i.
 *   E  Hyperband's top max(floor(n_i / eta), 1) by the value at r_i (those
 *      that did not get there last) go on to the next round.
 *
 * As in the authors' code, a configuration whose partial run already
 * reached r_i (p = r_i when a round is one step long) costs nothing more
 * to be "trained fully", and its value at r_i counts in E.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/predict.h"
#include "rung/sched.h"
#include "sched-int.h"
#include "rung/xmalloc.h"

enum { JOB_NONE = 0, JOB_PARTIAL, JOB_FULL };

struct swift {
	struct rung_sched_hb hb;	/* first: Hyperband's setup sees its own */
	struct rung_sched_models models; /* M[(r_i, p)], kept for later rounds */

	struct rung_sched_list *D;	/* by round r_i: curves[idx of r_i] */
	int32_t		*Dr;		/* the r of each D */
	uint32_t	 nD;
	int		 phase;		/* 0 partials and fulls, 1 selected */
	struct rung_sched_list T;	/* the round's trials, dispatch order */
	uint32_t	 ntarget;	/* trials the round runs */
	uint32_t	 next;		/* next partial to issue */
	int32_t		 r_prev;
	int32_t		 r_i;
	int32_t		 p;
	uint32_t	 n_next;
	struct rung_sched_list pending;	/* partial done, to train fully */
	uint32_t	 pend_at;
	uint32_t	 sent_full;
	uint32_t	 done_full;
	uint32_t	 inflight;
	struct rung_sched_list fullr;	/* FULL: trained fully this round */
	struct rung_sched_list parked;
	struct rung_sched_list selected;
	uint32_t	 sel_at;
	uint8_t		*kind;		/* per trial: 1 partial, 2 full job */
	size_t		 kindcap;
};

static void
set_kind(struct rung_sched *s, uint32_t trial, uint8_t k)
{
	struct swift		*p = s->priv;
	size_t			 old = p->kindcap;

	if (trial >= p->kindcap) {
		XGROW(p->kind, p->kindcap, (size_t)trial + 1);
		memset(p->kind + old, 0, p->kindcap - old);
	}
	p->kind[trial] = k;
}

/* D[r], made on first use. */
static struct rung_sched_list *
curves(struct rung_sched *s, int32_t r)
{
	struct swift		*p = s->priv;
	uint32_t		 i;

	for (i = 0; i < p->nD; i++) {
		if (p->Dr[i] == r)
			return &p->D[i];
	}
	p->D = xreallocarray(p->D, (size_t)p->nD + 1, sizeof *p->D);
	p->Dr = xreallocarray(p->Dr, (size_t)p->nD + 1, sizeof *p->Dr);
	memset(&p->D[p->nD], 0, sizeof *p->D);
	p->Dr[p->nD] = r;
	return &p->D[p->nD++];
}

/* Set up the round hb.round of bracket hb.cur; T is already in place. */
static void
round_open(struct rung_sched *s)
{
	struct swift			*p = s->priv;
	const struct rung_hb_bracket	*b = &p->hb.hb[p->hb.cur];
	int32_t				 r_i;

	r_i = (int32_t)s->b[p->hb.cur].rungs[p->hb.round].milestone;
	p->r_prev = p->hb.round == 0 ? 0 :
	    (int32_t)s->b[p->hb.cur].rungs[p->hb.round - 1].milestone;
	p->r_i = r_i;
	p->p = p->r_prev + (int32_t)ceil((double)(r_i - p->r_prev) *
	    s->p.known_curve);
	if (p->p > r_i)
		p->p = r_i;
	if (p->p <= p->r_prev)
		p->p = p->r_prev + 1;
	p->ntarget = b->round[p->hb.round].n;
	p->n_next = (int)p->hb.round != b->s ?
	    (uint32_t)floor(b->round[p->hb.round].n / s->p.eta) : 1;
	p->phase = 0;
	p->next = 0;
	p->pending.n = p->pend_at = 0;
	p->sent_full = p->done_full = p->inflight = 0;
	p->fullr.n = p->parked.n = p->selected.n = p->sel_at = 0;
	(void)curves(s, r_i);
}

static int
swift_setup(struct rung_sched *s, char **cause)
{
	struct swift	*p = s->priv;

	if (!(s->p.keep_full >= 0 && s->p.keep_full <= 1) ||
	    !(s->p.known_curve > 0 && s->p.known_curve <= 1)) {
		xasprintf(cause, "swift-hyperband needs 0 <= k <= 1 and "
		    "0 < known_curve <= 1");
		return -1;
	}
	if (rung_sched_hb_setup(s, cause) != 0)
		return -1;
	p->T.n = 0;
	round_open(s);
	return 0;
}

/* A full curve arrived at r_i in phase A. */
static void
full_done(struct rung_sched *s, uint32_t trial)
{
	struct swift		*p = s->priv;

	p->done_full++;
	rung_sched_list_add(&p->fullr, trial);
	rung_sched_list_add(curves(s, p->r_i), trial);
}

/* Phase A's rule, at the moment a partial run reached p. */
static int
goes_full(struct rung_sched *s)
{
	struct swift		*p = s->priv;
	uint32_t		 have = curves(s, p->r_i)->n;
	double			 need = (double)s->p.min_curves - have;

	return p->sent_full < s->p.keep_full * p->n_next ||
	    (double)(p->sent_full - p->done_full) < need;
}

struct ranked {
	double		 key;
	uint32_t	 i;
};

/* Lower first, NaN last, ties in list order. */
static int
cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (isnan(x->key) != isnan(y->key))
		return isnan(x->key) ? 1 : -1;
	if (!isnan(x->key) && x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* Phases B and C: fit the model if it is due, choose whom to finish. */
static void
select_parked(struct rung_sched *s)
{
	struct swift		*p = s->priv;
	struct rung_sched_model	*md;
	struct rung_sched_list	*D = curves(s, p->r_i);
	struct ranked		*rk;
	double			*fin, thr, *x;
	uint32_t		 i, nsel = 0, want;

	md = rung_sched_model_find(&p->models, p->r_i, p->p);
	if (md == NULL && D->n >= s->p.min_curves && p->parked.n > 0) {
		md = rung_sched_model_add(&p->models, p->r_i, p->p);
		md->m = rung_sched_fit(s, D->v, D->n, p->p, 0, p->r_i,
		    &md->ntrain);
	}

	fin = xreallocarray(NULL, p->fullr.n ? p->fullr.n : 1, sizeof *fin);
	for (i = 0; i < p->fullr.n; i++)
		fin[i] = rung_sched_obs_at(s, p->fullr.v[i], p->r_i);
	thr = p->fullr.n ? rung_quantile_linear(fin, p->fullr.n, 0.25) : NAN;
	free(fin);

	/*
	 * A prefix that cannot be predicted (no model, a diverged value)
	 * ranks last: +infinity, never below the threshold.
	 */
	rk = xreallocarray(NULL, p->parked.n ? p->parked.n : 1, sizeof *rk);
	x = xreallocarray(NULL, (size_t)p->p, sizeof *x);
	for (i = 0; i < p->parked.n; i++) {
		rk[i].i = i;
		rk[i].key = INFINITY;
		if (md != NULL && md->m != NULL && rung_sched_features(s,
		    p->parked.v[i], p->p, 0, x) == 0)
			rk[i].key = rung_svr_predict(md->m, x);
		if (rk[i].key < thr) {
			rung_sched_list_add(&p->selected, p->parked.v[i]);
			nsel++;
		}
	}
	free(x);
	if (nsel + p->fullr.n < p->n_next) {
		p->selected.n = 0;
		want = p->n_next - p->fullr.n;
		if (want > p->parked.n)
			want = p->parked.n;
		qsort(rk, p->parked.n, sizeof *rk, cmp_ranked);
		for (i = 0; i < want; i++)
			rung_sched_list_add(&p->selected,
			    p->parked.v[rk[i].i]);
	}
	free(rk);
}

/* Phase E: the top of the round goes on; the rest stops. */
static void
round_close(struct rung_sched *s)
{
	struct swift			*p = s->priv;
	const struct rung_hb_bracket	*b = &p->hb.hb[p->hb.cur];
	struct rung_sched_trial		*t;
	struct ranked			*rk;
	uint32_t			*surv, i, keep, nsurv, n = p->T.n;

	rk = xreallocarray(NULL, n ? n : 1, sizeof *rk);
	for (i = 0; i < n; i++) {
		rk[i].i = i;
		t = &s->t[p->T.v[i]];
		rk[i].key = t->nobs >= p->r_i ?
		    rung_sched_obs_at(s, p->T.v[i], p->r_i) : INFINITY;
	}
	qsort(rk, n, sizeof *rk, cmp_ranked);
	keep = (uint32_t)floor(b->round[p->hb.round].n / s->p.eta);
	if (keep < 1)
		keep = 1;
	if ((int)p->hb.round == b->s)
		keep = 0;		/* the bracket is over */
	surv = xreallocarray(NULL, n ? n : 1, sizeof *surv);
	for (i = 0, nsurv = 0; i < n; i++) {
		t = &s->t[p->T.v[rk[i].i]];
		if (i < keep && isfinite(rk[i].key))
			surv[nsurv++] = p->T.v[rk[i].i];
		else if (t->state != RUNG_TRIAL_FINISHED)
			t->state = RUNG_TRIAL_STOPPED;
	}
	/* Survivors, in rank order, make the next round's T. */
	memcpy(p->T.v, surv, nsurv * sizeof *surv);
	free(surv);
	keep = nsurv;
	p->T.n = keep;
	free(rk);

	if ((int)p->hb.round == b->s || keep == 0) {
		p->hb.cur++;
		p->hb.round = 0;
		p->T.n = 0;
	} else
		p->hb.round++;
	if (p->hb.cur < (uint32_t)p->hb.nhb)
		round_open(s);
}

static enum rung_action_kind
resume_to(struct rung_sched *s, struct rung_sched_action *a, uint32_t trial,
    int32_t target, uint8_t kind)
{
	struct swift		*p = s->priv;
	struct rung_sched_trial	*t = &s->t[trial];

	t->state = RUNG_TRIAL_RUNNING;
	t->target = target;
	t->rung = p->hb.round;
	set_kind(s, trial, kind);
	p->inflight++;
	a->kind = RUNG_ACT_RESUME;
	a->trial = trial;
	a->from = t->step;
	a->resource = target;
	a->bracket = (uint32_t)p->hb.hb[p->hb.cur].s;
	a->rung = p->hb.round;
	return RUNG_ACT_RESUME;
}

static enum rung_action_kind
swift_next(struct rung_sched *s, struct rung_sched_action *a)
{
	struct swift		*p = s->priv;
	uint32_t		 trial;

	for (;;) {
		if (p->hb.cur >= (uint32_t)p->hb.nhb)
			return RUNG_ACT_DONE;
		if (p->phase == 0) {
			/* The worker that got a partial there goes on. */
			if (p->pend_at < p->pending.n) {
				trial = p->pending.v[p->pend_at++];
				return resume_to(s, a, trial, p->r_i,
				    JOB_FULL);
			}
			if (p->next < p->ntarget && (p->hb.round == 0 ||
			    p->next < p->T.n)) {
				p->next++;
				if (p->hb.round != 0)
					return resume_to(s, a,
					    p->T.v[p->next - 1], p->p,
					    JOB_PARTIAL);
				trial = rung_sched_add_trial(s, p->hb.cur, 0,
				    p->p);
				rung_sched_list_add(&p->T, trial);
				set_kind(s, trial, JOB_PARTIAL);
				p->inflight++;
				a->kind = RUNG_ACT_START;
				a->trial = trial;
				a->resource = p->p;
				a->bracket = (uint32_t)p->hb.hb[p->hb.cur].s;
				return RUNG_ACT_START;
			}
			if (p->inflight > 0)
				return RUNG_ACT_WAIT;
			select_parked(s);
			p->phase = 1;
			continue;
		}
		while (p->sel_at < p->selected.n) {
			trial = p->selected.v[p->sel_at++];
			if (s->t[trial].step >= p->r_i)
				continue;	/* already there: free */
			return resume_to(s, a, trial, p->r_i, JOB_FULL);
		}
		if (p->inflight > 0)
			return RUNG_ACT_WAIT;
		round_close(s);
	}
}

static enum rung_decision
swift_report(struct rung_sched *s, uint32_t trial, int32_t step,
    double value)
{
	struct swift		*p = s->priv;
	struct rung_sched_trial	*t = &s->t[trial];
	uint8_t			 kind = trial < p->kindcap ? p->kind[trial] :
				    JOB_NONE;

	(void)value;
	t->step = step;
	if (step < t->target)
		return RUNG_CONTINUE;
	p->inflight--;
	set_kind(s, trial, JOB_NONE);
	if (kind == JOB_PARTIAL && p->phase == 0) {
		if (goes_full(s)) {
			p->sent_full++;
			if (step >= p->r_i)
				full_done(s, trial);	/* nothing to add */
			else
				rung_sched_list_add(&p->pending, trial);
		} else
			rung_sched_list_add(&p->parked, trial);
	} else if (kind == JOB_FULL && p->phase == 0)
		full_done(s, trial);
	if (step >= (int32_t)ceil(s->p.max_r)) {
		t->state = RUNG_TRIAL_FINISHED;
		return RUNG_STOP;
	}
	t->state = RUNG_TRIAL_PAUSED;
	return RUNG_PAUSE;
}

/* A run that ended early: it never reaches r_i, so it loses in E. */
static void
swift_lost(struct rung_sched *s, uint32_t trial)
{
	struct swift		*p = s->priv;
	uint8_t			 kind = trial < p->kindcap ? p->kind[trial] :
				    JOB_NONE;

	if (kind == JOB_NONE)
		return;
	p->inflight--;
	if (kind == JOB_FULL && p->phase == 0)
		p->done_full++;
	set_kind(s, trial, JOB_NONE);
}

static void
swift_release(struct rung_sched *s)
{
	struct swift	*p = s->priv;
	uint32_t	 i;

	rung_hb_free(p->hb.hb, p->hb.nhb);
	rung_sched_models_release(&p->models);
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
}

const struct rung_sched_policy rung_policy_swift = {
	.name = "swift-hyperband",
	.flags = RUNG_PF_PRED | RUNG_PF_INTEGER,
	.size = sizeof (struct swift),
	.setup = swift_setup,
	.next = swift_next,
	.report = swift_report,
	.lost = swift_lost,
	.release = swift_release,
	.needed = rung_sched_hb_needed,
	.milestones = rung_sched_hb_milestones,
};
