/*
 * ASHA (Li et al., MLSys 2020) in its two forms: the original promotion
 * variant, where a trial pauses at its rung until it is among the best
 * 1/eta there, and the stopping variant the tuning libraries ship, where a
 * trial is judged once at each milestone and continues or stops at once.
 * The libraries judge differently (algorithms.md 2) and each rule is kept
 * to the letter of its source, since the point is to compare them.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/predict.h"
#include "rung/sched.h"
#include "sched-int.h"
#include "rung/xmalloc.h"

#define MAXRUNGS 64	/* trial->recorded has a bit per rung */

/*
 * rung's one random stream, its state in the scheduler's: the bracket
 * choice must survive a save and restore.
 */
static double
uniform(struct rung_sched *s)
{
	struct rung_sched_asha	*a = s->priv;
	struct rung_rng		 r = { a->rng };
	double			 u = rung_rng_uniform(&r);

	a->rng = r.s;
	return u;
}

static void
add_rungs(struct rung_sched_bracket *b, const double *m, uint32_t n)
{
	uint32_t	 k;

	rung_sched_bracket_init(b, n);
	for (k = 0; k < n; k++)
		b->rungs[k].milestone = m[k];
}

int
rung_sched_asha_setup(struct rung_sched *s, char **cause)
{
	const struct rung_sched_params	*p = &s->p;
	double				 m[MAXRUNGS], v;
	uint32_t			 n, i;
	int				 k, nr;

	((struct rung_sched_asha *)s->priv)->rng = RUNG_SCHED_RNG0(p->seed);
	if (p->variant == RUNG_ASHA_PROMOTE) {
		if (p->max_configs == 0) {
			xasprintf(cause, "asha promote needs a budget in "
			    "configurations");
			return -1;
		}
		if (p->min_r != floor(p->min_r)) {
			xasprintf(cause, "asha promote needs an integer min_r");
			return -1;
		}
		/* min_r eta^k below max_r, then max_r on top. */
		n = 0;
		for (v = p->min_r; v < p->max_r && n < MAXRUNGS - 1; v *= p->eta)
			m[n++] = ceil(v);
		m[n++] = ceil(p->max_r);
		s->nb = 1;
		s->b = xcalloc(1, sizeof *s->b);
		add_rungs(&s->b[0], m, n);
		return 0;
	}

	switch (p->rule) {
	case RUNG_RULE_RAY:
		/*
		 * Ray's _Bracket: int(log(max_t/min_t)/log(rf) - s + 1) rungs
		 * at min_t rf^(k+s), all in doubles as Ray has them.
		 */
		s->nb = p->brackets;
		s->b = xcalloc(s->nb, sizeof *s->b);
		for (i = 0; i < s->nb; i++) {
			nr = (int)(log(p->max_r / p->min_r) / log(p->eta) -
			    (double)i + 1);
			if (nr < 0)
				nr = 0;
			if (nr > MAXRUNGS)
				nr = MAXRUNGS;
			for (k = 0; k < nr; k++)
				m[k] = p->min_r * pow(p->eta, (double)k + i);
			add_rungs(&s->b[i], m, (uint32_t)nr);
		}
		return 0;
	case RUNG_RULE_SYNE:
	case RUNG_RULE_DETERMINED:
	case RUNG_RULE_OPTUNA:
		if (p->brackets != 1) {
			xasprintf(cause, "only the ray rule has brackets");
			return -1;
		}
		/*
		 * Rungs strictly below max_t (Syne Tune's rung levels); Optuna
		 * has no maximum, but a trial at max_r is finished anyway.
		 */
		n = 0;
		for (v = p->min_r; n < MAXRUNGS && (v < p->max_r ||
		    (p->rule == RUNG_RULE_OPTUNA && v == p->max_r)); v *= p->eta)
			m[n++] = v;
		s->nb = 1;
		s->b = xcalloc(1, sizeof *s->b);
		add_rungs(&s->b[0], m, n);
		return 0;
	}
	return 0;
}

static int
any_running(const struct rung_sched *s)
{
	uint32_t	 i;

	for (i = 0; i < s->nt; i++) {
		if (s->t[i].state == RUNG_TRIAL_RUNNING)
			return 1;
	}
	return 0;
}

/*
 * The original ASHA's get_job: scan rungs from the top down; in rung k the
 * candidates are the top floor(|rung k| / eta) entries, and the best of
 * them not yet promoted goes to rung k + 1. Else grow the bottom rung.
 */
static enum rung_action_kind
promote_next(struct rung_sched *s, struct rung_sched_action *a)
{
	struct rung_sched_bracket	*b = &s->b[0];
	struct rung_sched_rung		*r;
	struct rung_sched_trial		*t;
	uint32_t			*idx, ncand, i;
	int				 k;

	for (k = (int)b->nrungs - 2; k >= 0; k--) {
		r = &b->rungs[k];
		ncand = (uint32_t)floor(r->n / s->p.eta);
		if (ncand == 0)
			continue;
		idx = xreallocarray(NULL, r->n, sizeof *idx);
		rung_sched_rank(r, idx);
		for (i = 0; i < ncand; i++) {
			if (r->e[idx[i]].flag != RUNG_SEL_NONE ||
			    s->t[r->e[idx[i]].trial].state !=
			    RUNG_TRIAL_PAUSED)
				continue;
			r->e[idx[i]].flag = RUNG_SEL_DONE;
			a->trial = r->e[idx[i]].trial;
			free(idx);
			t = &s->t[a->trial];
			t->state = RUNG_TRIAL_RUNNING;
			t->rung = (uint32_t)k + 1;
			t->target = (int32_t)b->rungs[k + 1].milestone;
			a->rung = t->rung;
			a->resource = t->target;
			a->from = t->step;
			return RUNG_ACT_RESUME;
		}
		free(idx);
	}
	if (s->nt < s->p.max_configs) {
		a->resource = (int32_t)b->rungs[0].milestone;
		a->trial = rung_sched_add_trial(s, 0, 0, a->resource);
		return RUNG_ACT_START;
	}
	return any_running(s) ? RUNG_ACT_WAIT : RUNG_ACT_DONE;
}

/* Ray's on_trial_add: a bracket by softmax of the bracket sizes. */
static uint32_t
choose_bracket(struct rung_sched *s)
{
	double		 w[MAXRUNGS], sum = 0, u, acc = 0;
	uint32_t	 i, maxn = 0;

	if (s->nb <= 1)
		return 0;
	for (i = 0; i < s->nb; i++) {
		if (s->b[i].nrungs > maxn)
			maxn = s->b[i].nrungs;
	}
	for (i = 0; i < s->nb; i++) {
		w[i] = exp((double)s->b[i].nrungs - (double)maxn);
		sum += w[i];
	}
	u = uniform(s);
	for (i = 0; i < s->nb - 1; i++) {
		acc += w[i] / sum;
		if (u < acc)
			break;
	}
	return i;
}

enum rung_action_kind
rung_sched_asha_next(struct rung_sched *s, struct rung_sched_action *a)
{
	uint32_t	 b;

	if (s->p.variant == RUNG_ASHA_PROMOTE)
		return promote_next(s, a);
	if (s->p.max_configs != 0 && s->nt >= s->p.max_configs)
		return RUNG_ACT_DONE;
	b = choose_bracket(s);
	a->bracket = b;
	a->resource = (int32_t)ceil(s->p.max_r);
	a->trial = rung_sched_add_trial(s, b, 0, a->resource);
	return RUNG_ACT_START;
}

/* Values of a rung, optionally negated and without NaN (Ray). */
static double *
rung_values(const struct rung_sched_rung *r, int ray, size_t *n)
{
	double		*v;
	uint32_t	 i;

	v = xreallocarray(NULL, r->n + 1, sizeof *v);
	*n = 0;
	for (i = 0; i < r->n; i++) {
		if (ray && isnan(r->e[i].value))
			continue;
		v[(*n)++] = ray ? -r->e[i].value : r->e[i].value;
	}
	return v;
}

/*
 * Ray Tune _Bracket.on_result. Ray thinks "higher is better", so it sees
 * -value; negating is exact, so the percentile is Ray's to the last bit.
 */
static int
judge_ray(struct rung_sched *s, struct rung_sched_rung *r, double value)
{
	double	*v, cutoff, q;
	size_t	 n;
	int	 stop = 0;

	if (r->n != 0) {
		v = rung_values(r, 1, &n);
		/* np.nanpercentile(x, (1 - 1/rf) * 100) divides by 100. */
		q = ((1 - 1 / s->p.eta) * 100) / 100;
		cutoff = rung_quantile_linear(v, n, q);
		free(v);
		if (-value < cutoff)
			stop = 1;
	}
	return stop;
}

/* Syne Tune <= 0.13: insert first, quantile r_j / r_(j+1), ties continue. */
static int
judge_syne(struct rung_sched *s, struct rung_sched_rung *r, uint32_t k,
    double value)
{
	struct rung_sched_bracket	*b = &s->b[0];
	double				*v, cutoff, next;
	size_t				 n;

	v = rung_values(r, 0, &n);
	v[n++] = value;
	if (n < 2) {
		free(v);
		return 0;
	}
	next = k + 1 < b->nrungs ? b->rungs[k + 1].milestone : s->p.max_r;
	cutoff = rung_quantile_linear(v, n, r->milestone / next);
	free(v);
	return !(value <= cutoff);
}

/* Determined: bisect_left into the sorted rung, NaN above everything. */
static int
judge_determined(struct rung_sched *s, struct rung_sched_rung *r,
    double value)
{
	uint32_t	 i, idx = 0, n = r->n + 1, keep;

	for (i = 0; i < r->n; i++) {
		double	 x = r->e[i].value;

		if (isnan(x))
			continue;
		if (isnan(value) || x < value)
			idx++;
	}
	keep = (uint32_t)(n / s->p.eta);
	if (keep < 1)
		keep = 1;
	return idx >= keep;
}

/*
 * How many of v[0..n) (ascending, no NaN) are below x: a binary search
 * whose steps are arithmetic, not branches, since which way each goes is
 * a coin toss the processor would mispredict half the time.
 */
static uint32_t
count_below(const double *v, uint32_t n, double x)
{
	const double	*b = v;
	uint32_t	 half;

	if (n == 0)
		return 0;
	while (n > 1) {
		half = n / 2;
		b += (size_t)(b[half] < x) * half;
		n -= half;
	}
	return (uint32_t)(b - v) + (*b < x);
}

/*
 * Bring r->sorted up to r->n values, each put in place by a binary
 * search (or where its judgement found it); 0, or -1 once a NaN is
 * among them.
 */
static int
rung_sorted(struct rung_sched_rung *r)
{
	uint32_t	 lo;
	double		 x;

	for (; !r->hasnan && r->nsorted < r->n; r->nsorted++) {
		x = r->e[r->nsorted].value;
		if (isnan(x)) {
			r->hasnan = 1;
			break;
		}
		XGROW(r->sorted, r->sortcap, (size_t)r->nsorted + 1);
		if (r->nsorted == r->hint_n && x == r->hint_val)
			lo = r->hint_at;
		else
			lo = count_below(r->sorted, r->nsorted, x);
		memmove(r->sorted + lo + 1, r->sorted + lo,
		    (r->nsorted - lo) * sizeof *r->sorted);
		r->sorted[lo] = x;
	}
	r->hint_n = UINT32_MAX;
	return r->hasnan ? -1 : 0;
}

/*
 * Optuna: competing = the rung and this value, sorted; it survives iff
 * value <= competing[idx], idx = len // eta - 1 (at least 0). Without NaN
 * that is: fewer than idx + 1 values of the rung are below it (those sort
 * before it, and the rest at or after it), so a binary search in the
 * rung's sorted values answers without a copy or a sort. With NaN, whose
 * place an insertion sort leaves where it was, the sort itself, as
 * before.
 */
static int
judge_optuna(struct rung_sched *s, struct rung_sched_rung *r, double value)
{
	double	*v, *c;
	size_t	 n, i, j, idx, lo;
	int	 stop;

	idx = (size_t)floor((double)(r->n + 1) / s->p.eta);
	idx = idx > 0 ? idx - 1 : 0;
	if (!isnan(value) && rung_sorted(r) == 0) {
		/* How many values of the rung are below value. */
		lo = count_below(r->sorted, r->nsorted, value);
		r->hint_n = r->nsorted;
		r->hint_at = (uint32_t)lo;
		r->hint_val = value;
		return lo > idx;
	}

	v = rung_values(r, 0, &n);
	v[n++] = value;
	c = v;
	for (i = 1; i < n; i++) {
		double	 x = c[i];

		for (j = i; j > 0 && c[j - 1] > x; j--)
			c[j] = c[j - 1];
		c[j] = x;
	}
	stop = !(value <= c[idx]);
	free(v);
	return stop;
}

/* What a rung ranks the value by: itself, unless a wrapper says else. */
static double
rank_key(struct rung_sched *s, uint32_t trial, uint32_t bracket, uint32_t k,
    double value)
{
	struct rung_sched_asha	*a = s->priv;

	if (a->key == NULL)
		return value;
	return a->key(s, trial, bracket, k, value);
}

static enum rung_decision
stop_report(struct rung_sched *s, uint32_t trial, int32_t step, double value)
{
	struct rung_sched_trial		*t = &s->t[trial];
	struct rung_sched_bracket	*b = &s->b[t->bracket];
	struct rung_sched_rung		*r;
	uint64_t			 bit;
	double				 key;
	int				 k, stop = 0;

	t->step = step;
	if (step >= s->p.max_r && s->p.stop_last_trials) {
		t->state = RUNG_TRIAL_FINISHED;
		return RUNG_STOP;
	}

	if (s->p.rule == RUNG_RULE_OPTUNA) {
		/* Optuna climbs as many rungs as the step allows. */
		while (t->rung < b->nrungs &&
		    step >= b->rungs[t->rung].milestone) {
			if (isnan(value)) {
				stop = 1;
				break;
			}
			r = &b->rungs[t->rung];
			key = rank_key(s, trial, t->bracket, t->rung, value);
			stop = judge_optuna(s, r, key);
			rung_sched_record(s, t->bracket, t->rung, trial, key);
			t->recorded |= 1ULL << t->rung;
			if (stop)
				break;
			t->rung++;
		}
	} else {
		/*
		 * Ray's loop, milestones from the top down: judge the highest
		 * one reached and not yet recorded, one per result. Syne Tune
		 * records only a result exactly at a milestone.
		 */
		for (k = (int)b->nrungs - 1; k >= 0; k--) {
			r = &b->rungs[k];
			bit = 1ULL << k;
			if (s->p.rule == RUNG_RULE_RAY && step >= r->milestone &&
			    (t->recorded & bit) && !s->p.stop_last_trials)
				break;
			if (step < r->milestone || (t->recorded & bit))
				continue;
			if (s->p.rule == RUNG_RULE_SYNE &&
			    (double)step != r->milestone)
				break;
			key = rank_key(s, trial, t->bracket, (uint32_t)k, value);
			switch (s->p.rule) {
			case RUNG_RULE_RAY:
				stop = judge_ray(s, r, key);
				break;
			case RUNG_RULE_SYNE:
				stop = judge_syne(s, r, (uint32_t)k, key);
				break;
			case RUNG_RULE_DETERMINED:
			case RUNG_RULE_OPTUNA:
				stop = judge_determined(s, r, key);
				break;
			}
			/* Recorded even when it stops. */
			rung_sched_record(s, t->bracket, (uint32_t)k, trial,
			    key);
			t->recorded |= bit;
			break;
		}
	}
	if (stop) {
		t->state = RUNG_TRIAL_STOPPED;
		return RUNG_STOP;
	}
	return RUNG_CONTINUE;
}

enum rung_decision
rung_sched_asha_report(struct rung_sched *s, uint32_t trial, int32_t step,
    double value)
{
	struct rung_sched_trial	*t = &s->t[trial];

	if (s->p.variant == RUNG_ASHA_STOP)
		return stop_report(s, trial, step, value);
	t->step = step;
	if (step < t->target)
		return RUNG_CONTINUE;
	rung_sched_record(s, 0, t->rung, trial,
	    rank_key(s, trial, 0, t->rung, value));
	if (t->rung + 1 >= s->b[0].nrungs) {
		t->state = RUNG_TRIAL_FINISHED;
		return RUNG_STOP;
	}
	t->state = RUNG_TRIAL_PAUSED;
	return RUNG_PAUSE;
}

/*
 * The first step at which a report may judge: the promotion variant's
 * target; else the lowest milestone the trial may still be recorded at
 * (Optuna's: the next of its climb), and max_r where it stops there.
 */
static int32_t
asha_quiet(const struct rung_sched *s, uint32_t trial)
{
	const struct rung_sched_trial	*t = &s->t[trial];
	const struct rung_sched_bracket	*b = &s->b[t->bracket];
	double				 q = INFINITY;
	uint32_t			 k;

	if (s->p.variant != RUNG_ASHA_STOP)
		return t->target;
	if (s->p.stop_last_trials)
		q = s->p.max_r;
	if (s->p.rule == RUNG_RULE_OPTUNA) {
		if (t->rung < b->nrungs && b->rungs[t->rung].milestone < q)
			q = b->rungs[t->rung].milestone;
	} else {
		for (k = 0; k < b->nrungs && k < MAXRUNGS; k++) {
			if (!(t->recorded & (1ULL << k)) &&
			    b->rungs[k].milestone < q)
				q = b->rungs[k].milestone;
		}
	}
	/* A step is an integer: step >= q is step >= ceil(q). */
	q = ceil(q);
	if (!(q < (double)INT32_MAX))
		return INT32_MAX;
	return q < 0 ? 0 : (int32_t)q;
}

/* The milestones min_r eta^k below max_r (as the brackets plot has them). */
void
rung_sched_asha_milestones(const struct rung_sched_params *p, double **v,
    size_t *cap, uint32_t *n)
{
	double	 r;

	for (r = p->min_r; r < p->max_r && *n < MAXRUNGS; r *= p->eta) {
		XGROW(*v, *cap, (size_t)*n + 1);
		(*v)[(*n)++] = r;
	}
}

static void
asha_save(const struct rung_sched *s, struct rung_sched_words *w)
{
	const struct rung_sched_asha *a = s->priv;

	w->rng = a->rng;
}

/* Only the stopping variant lets a trial pass its last rung. */
static int
asha_restore(struct rung_sched *s, const struct rung_sched_words *w)
{
	struct rung_sched_asha	*a = s->priv;

	a->rng = w->rng;
	if (s->p.variant != RUNG_ASHA_STOP)
		return rung_sched_trials_below_top(s);
	return 0;
}

/* Setup's one word of state that a run changes: the bracket choice's. */
static void
asha_reset(struct rung_sched *s)
{
	((struct rung_sched_asha *)s->priv)->rng = RUNG_SCHED_RNG0(s->p.seed);
}

/* Nobody waits on a rung in ASHA: a lost trial simply stops (no lost op). */
const struct rung_sched_policy rung_policy_asha = {
	.name = "asha",
	.flags = RUNG_PF_CONFIGS,
	.size = sizeof (struct rung_sched_asha),
	.setup = rung_sched_asha_setup,
	.next = rung_sched_asha_next,
	.report = rung_sched_asha_report,
	.quiet = asha_quiet,
	.reset = asha_reset,
	.milestones = rung_sched_asha_milestones,
	.save = asha_save,
	.restore = asha_restore,
};
