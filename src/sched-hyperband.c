/*
 * Hyperband (Li et al., JMLR 2018): the bracket table, its cost, and the
 * sha and hyperband policies that run it; random search lives here too, as
 * the degenerate bracket of one round at the full budget.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/sched.h"
#include "sched-int.h"
#include "rung/xmalloc.h"

/*
 * In integers: floor(log(R)/log(eta)) in double says 4 for R=243, eta=3,
 * because log(243)/log(3) is 4.999999999999999.
 */
int
rung_hb_smax(int64_t R, int64_t eta)
{
	int64_t	 p = 1;
	int	 s = 0;

	if (R < 1 || eta < 2)
		return 0;
	while (p <= R / eta) {
		p *= eta;
		s++;
	}
	return s;
}

static int64_t
ipow(int64_t b, int e)
{
	int64_t	 p = 1;

	while (e-- > 0)
		p *= b;
	return p;
}

int
rung_hb_brackets(int64_t R, int64_t eta, struct rung_hb_bracket **out,
    int *nout, char **cause)
{
	struct rung_hb_bracket	*hb;
	int			 smax, s, i, k;
	int64_t			 n;
	double			 r;

	*out = NULL;
	*nout = 0;
	if (R < 1 || R > INT32_MAX || eta < 2 || eta > INT32_MAX) {
		xasprintf(cause, "hyperband needs R >= 1 and an integer "
		    "eta >= 2");
		return -1;
	}
	smax = rung_hb_smax(R, eta);
	hb = xcalloc((size_t)smax + 1, sizeof *hb);
	for (k = 0; k <= smax; k++) {
		s = smax - k;
		/*
		 * n = ceil((B/R) eta^s / (s+1)) with B = (s_max+1) R: exact in
		 * integers, where a double of 5/3 * 9 need not be 15.
		 */
		n = ((int64_t)(smax + 1) * ipow(eta, s) + s) / (s + 1);
		/* Python's r = R * eta ** (-s), the same double. */
		r = (double)R * pow((double)eta, (double)-s);
		hb[k].s = s;
		hb[k].nrounds = s + 1;
		hb[k].round = xcalloc((size_t)s + 1, sizeof *hb[k].round);
		for (i = 0; i <= s; i++) {
			int64_t	 ni = n / ipow(eta, i);

			hb[k].round[i].n = (uint32_t)(ni < 1 ? 1 : ni);
			/*
			 * Half to even, as Python's round() in the authors'
			 * code: rint() under the default rounding mode.
			 */
			hb[k].round[i].r = (int32_t)rint(r *
			    pow((double)eta, (double)i));
		}
	}
	*out = hb;
	*nout = smax + 1;
	return 0;
}

void
rung_hb_free(struct rung_hb_bracket *hb, int n)
{
	int	 i;

	if (hb == NULL)
		return;
	for (i = 0; i < n; i++)
		free(hb[i].round);
	free(hb);
}

uint64_t
rung_hb_bracket_total(const struct rung_hb_bracket *b, int resume)
{
	uint64_t	 total = 0;
	int32_t		 prev = 0;
	int		 i;

	for (i = 0; i < b->nrounds; i++) {
		total += (uint64_t)b->round[i].n *
		    (uint64_t)(b->round[i].r - (resume ? prev : 0));
		prev = b->round[i].r;
	}
	return total;
}

uint64_t
rung_hb_total(const struct rung_hb_bracket *hb, int n, int resume)
{
	uint64_t	 total = 0;
	int		 i;

	for (i = 0; i < n; i++)
		total += rung_hb_bracket_total(&hb[i], resume);
	return total;
}

uint64_t
rung_hb_configs(const struct rung_hb_bracket *hb, int n)
{
	uint64_t	 total = 0;
	int		 i;

	for (i = 0; i < n; i++)
		total += hb[i].round[0].n;
	return total;
}

/* Ray's arithmetic is in doubles, and we repeat it double for double. */
int
rung_ray_hb_brackets(double max_t, double eta, uint32_t *n, int32_t *r,
    int len)
{
	int	 smax1, s;

	smax1 = (int)rint(log(max_t) / log(eta)) + 1;
	for (s = 0; s < smax1 && s < len; s++) {
		n[s] = (uint32_t)ceil((double)smax1 / (s + 1) * pow(eta, s));
		r[s] = (int32_t)(max_t * pow(eta, -s));
	}
	return smax1;
}

static int
is_int(double v)
{
	return v == floor(v) && v < 2147483648.0;
}

int
rung_sched_hb_setup(struct rung_sched *s, char **cause)
{
	const struct rung_sched_params	*p = &s->p;
	struct rung_hb_bracket		*b;
	int64_t				 R, n;
	int				 i, k;

	if (!is_int(p->eta) || !is_int(p->min_r) || !is_int(p->max_r)) {
		xasprintf(cause, "%s needs integer eta, min_r and max_r",
		    rung_policy_name(p->policy));
		return -1;
	}
	if ((int64_t)p->max_r % (int64_t)p->min_r != 0) {
		xasprintf(cause, "%s needs max_r a multiple of min_r",
		    rung_policy_name(p->policy));
		return -1;
	}
	R = (int64_t)p->max_r / (int64_t)p->min_r;
	if (rung_hb_brackets(R, (int64_t)p->eta, &s->hb, &s->nhb, cause) != 0)
		return -1;
	if (p->policy == RUNG_POLICY_SHA) {
		/* One bracket: the most aggressive, s = s_max. */
		for (k = 1; k < s->nhb; k++)
			free(s->hb[k].round);
		s->nhb = 1;
		b = &s->hb[0];
		if (p->max_configs != 0) {
			n = p->max_configs;
			for (i = 0; i < b->nrounds; i++) {
				int64_t	 ni = n / ipow((int64_t)p->eta, i);

				b->round[i].n = (uint32_t)(ni < 1 ? 1 : ni);
			}
		}
	}
	s->nb = (uint32_t)s->nhb;
	s->b = xcalloc(s->nb, sizeof *s->b);
	for (k = 0; k < s->nhb; k++) {
		rung_sched_bracket_init(&s->b[k], (uint32_t)s->hb[k].nrounds);
		for (i = 0; i < s->hb[k].nrounds; i++)
			s->b[k].rungs[i].milestone =
			    (double)s->hb[k].round[i].r * p->min_r;
	}
	s->want = s->hb[0].round[0].n;
	return 0;
}

static int32_t
hb_steps(struct rung_sched *s, uint32_t bracket, uint32_t round)
{
	return (int32_t)s->b[bracket].rungs[round].milestone;
}

/* Choose the top of the finished round; the rest of it stops. */
static uint32_t
hb_select(struct rung_sched *s)
{
	struct rung_sched_rung	*r = &s->b[s->cur].rungs[s->round];
	uint32_t		*idx, keep, chosen = 0, i;
	struct rung_sched_trial	*t;

	keep = s->hb[s->cur].round[s->round + 1].n;
	idx = xreallocarray(NULL, r->n ? r->n : 1, sizeof *idx);
	rung_sched_rank(r, idx);
	for (i = 0; i < r->n; i++) {
		t = &s->t[r->e[idx[i]].trial];
		if (t->state != RUNG_TRIAL_PAUSED)
			continue;	/* lost */
		if (chosen < keep) {
			r->e[idx[i]].flag = RUNG_SEL_CHOSEN;
			chosen++;
		} else
			t->state = RUNG_TRIAL_STOPPED;
	}
	free(idx);
	return chosen;
}

enum rung_action_kind
rung_sched_hb_next(struct rung_sched *s, struct rung_sched_action *a)
{
	struct rung_sched_rung	*r;
	struct rung_sched_trial	*t;
	uint32_t		*idx, i;

	for (;;) {
		if (s->cur >= (uint32_t)s->nhb)
			return RUNG_ACT_DONE;
		if (s->issued < s->want)
			break;
		if (s->done < s->want)
			return RUNG_ACT_WAIT;
		/* The round is complete: promote, or open the next bracket. */
		if (s->round + 1 >= (uint32_t)s->hb[s->cur].nrounds) {
			s->cur++;
			s->round = 0;
			s->want = s->cur < (uint32_t)s->nhb ?
			    s->hb[s->cur].round[0].n : 0;
		} else {
			s->want = hb_select(s);
			s->round++;
		}
		s->issued = s->done = 0;
	}

	a->bracket = (uint32_t)s->hb[s->cur].s;
	a->rung = s->round;
	a->resource = hb_steps(s, s->cur, s->round);
	s->issued++;
	if (s->round == 0) {
		a->kind = RUNG_ACT_START;
		a->trial = rung_sched_add_trial(s, s->cur, 0, a->resource);
		return RUNG_ACT_START;
	}

	/* Resume the best chosen one not yet resumed. */
	r = &s->b[s->cur].rungs[s->round - 1];
	idx = xreallocarray(NULL, r->n ? r->n : 1, sizeof *idx);
	rung_sched_rank(r, idx);
	for (i = 0; i < r->n; i++) {
		if (r->e[idx[i]].flag == RUNG_SEL_CHOSEN)
			break;
	}
	if (i == r->n) {	/* cannot happen: want counts the chosen */
		free(idx);
		s->issued = s->want;
		return RUNG_ACT_WAIT;
	}
	r->e[idx[i]].flag = RUNG_SEL_DONE;
	a->trial = r->e[idx[i]].trial;
	free(idx);
	t = &s->t[a->trial];
	t->state = RUNG_TRIAL_RUNNING;
	t->rung = s->round;
	t->target = a->resource;
	a->from = t->step;
	a->kind = RUNG_ACT_RESUME;
	return RUNG_ACT_RESUME;
}

enum rung_decision
rung_sched_hb_report(struct rung_sched *s, uint32_t trial, int32_t step,
    double value)
{
	struct rung_sched_trial	*t = &s->t[trial];

	t->step = step;
	if (step < t->target)
		return RUNG_CONTINUE;
	rung_sched_record(s, t->bracket, t->rung, trial, value);
	s->done++;
	if (t->rung + 1 >= s->b[t->bracket].nrungs) {
		t->state = RUNG_TRIAL_FINISHED;
		return RUNG_STOP;
	}
	t->state = RUNG_TRIAL_PAUSED;
	return RUNG_PAUSE;
}

void
rung_sched_hb_lost(struct rung_sched *s, uint32_t trial)
{
	struct rung_sched_trial	*t = &s->t[trial];

	rung_sched_record(s, t->bracket, t->rung, trial, NAN);
	s->done++;
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
