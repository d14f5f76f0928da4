/*
 * Hyperband (Li et al., JMLR 2018): the bracket table, its cost, and the
 * sha and hyperband policies that run it (swift-hyperband runs it too).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/sched.h"
#include "sched-int.h"
#include "rung/util.h"
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

uint32_t
rung_hb_default_configs(const struct rung_sched_params *p)
{
	struct rung_hb_bracket *hb;
	char		*cause = NULL;
	double		 R = rint(p->max_r / p->min_r);
	uint32_t	 n;
	int		 nb;

	if (p->eta != rint(p->eta) || R < 1 || R > INT32_MAX ||
	    rung_hb_brackets((int64_t)R, (int64_t)p->eta, &hb, &nb,
	    &cause) != 0) {
		free(cause);
		return 0;
	}
	n = (uint32_t)rung_hb_configs(hb, nb);
	rung_hb_free(hb, nb);
	return n;
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
	struct rung_sched_hb		*h = s->priv;
	int64_t				 R;
	int				 i, k;

	if (!is_int(p->eta) || !is_int(p->min_r) || !is_int(p->max_r)) {
		xasprintf(cause, "%s needs integer eta, min_r and max_r",
		    s->pol->name);
		return -1;
	}
	if ((int64_t)p->max_r % (int64_t)p->min_r != 0) {
		xasprintf(cause, "%s needs max_r a multiple of min_r",
		    s->pol->name);
		return -1;
	}
	R = (int64_t)p->max_r / (int64_t)p->min_r;
	if (rung_hb_brackets(R, (int64_t)p->eta, &h->hb, &h->nhb, cause) != 0)
		return -1;
	s->nb = (uint32_t)h->nhb;
	s->b = xcalloc(s->nb, sizeof *s->b);
	for (k = 0; k < h->nhb; k++) {
		rung_sched_bracket_init(&s->b[k], (uint32_t)h->hb[k].nrounds);
		for (i = 0; i < h->hb[k].nrounds; i++)
			s->b[k].rungs[i].milestone =
			    (double)h->hb[k].round[i].r * p->min_r;
	}
	h->want = h->hb[0].round[0].n;
	return 0;
}

/* One bracket: the most aggressive, s = s_max, of max_configs if given. */
static int
sha_setup(struct rung_sched *s, char **cause)
{
	const struct rung_sched_params	*p = &s->p;
	struct rung_sched_hb		*h = s->priv;
	struct rung_hb_bracket		*b;
	int64_t				 n;
	uint32_t			 k;
	int				 i;

	if (rung_sched_hb_setup(s, cause) != 0)
		return -1;
	for (k = 1; k < s->nb; k++) {
		free(h->hb[k].round);
		free(s->b[k].rungs);
	}
	h->nhb = 1;
	s->nb = 1;
	b = &h->hb[0];
	if (p->max_configs != 0) {
		n = p->max_configs;
		for (i = 0; i < b->nrounds; i++) {
			int64_t	 ni = n / ipow((int64_t)p->eta, i);

			b->round[i].n = (uint32_t)(ni < 1 ? 1 : ni);
		}
		h->want = b->round[0].n;
	}
	return 0;
}
static int32_t
hb_steps(struct rung_sched *s, uint32_t bracket, uint32_t round)
{
	return (int32_t)s->b[bracket].rungs[round].milestone;
}

/* Rank rung r into h->ord, to be read from its front. */
static void
hb_rank(struct rung_sched_hb *h, const struct rung_sched_rung *r)
{
	XGROW(h->ord, h->ordcap, (size_t)r->n + 1);
	rung_sched_rank(r, h->ord);
	h->nord = r->n;
	h->nextord = 0;
	h->ordvalid = 1;
}

/* Choose the top of the finished round; the rest of it stops. */
static uint32_t
hb_select(struct rung_sched *s)
{
	struct rung_sched_hb	*h = s->priv;
	struct rung_sched_rung	*r = &s->b[h->cur].rungs[h->round];
	uint32_t		 keep, chosen = 0, i, e;
	struct rung_sched_trial	*t;

	keep = h->hb[h->cur].round[h->round + 1].n;
	hb_rank(h, r);
	for (i = 0; i < h->nord; i++) {
		e = h->ord[i];
		t = &s->t[r->e[e].trial];
		if (t->state != RUNG_TRIAL_PAUSED)
			continue;	/* lost */
		if (chosen < keep) {
			r->e[e].flag = RUNG_SEL_CHOSEN;
			h->ord[chosen++] = e;	/* chosen <= i */
		} else
			t->state = RUNG_TRIAL_STOPPED;
	}
	h->nord = chosen;
	return chosen;
}

enum rung_action_kind
rung_sched_hb_next(struct rung_sched *s, struct rung_sched_action *a)
{
	struct rung_sched_hb	*h = s->priv;
	struct rung_sched_rung	*r;
	struct rung_sched_trial	*t;
	uint32_t		 e;

	for (;;) {
		if (h->cur >= (uint32_t)h->nhb)
			return RUNG_ACT_DONE;
		if (h->issued < h->want)
			break;
		if (h->done < h->want)
			return RUNG_ACT_WAIT;
		/* The round is complete: promote, or open the next bracket. */
		if (h->round + 1 >= (uint32_t)h->hb[h->cur].nrounds) {
			h->cur++;
			h->round = 0;
			h->want = h->cur < (uint32_t)h->nhb ?
			    h->hb[h->cur].round[0].n : 0;
		} else {
			h->want = hb_select(s);
			h->round++;
		}
		h->issued = h->done = 0;
	}

	a->bracket = (uint32_t)h->hb[h->cur].s;
	a->rung = h->round;
	a->resource = hb_steps(s, h->cur, h->round);
	h->issued++;
	if (h->round == 0) {
		a->kind = RUNG_ACT_START;
		a->trial = rung_sched_add_trial(s, h->cur, 0, a->resource);
		return RUNG_ACT_START;
	}

	/*
	 * Resume the best chosen one not yet resumed: the next of the
	 * selection's order (a restored scheduler ranks the rung again).
	 */
	r = &s->b[h->cur].rungs[h->round - 1];
	if (!h->ordvalid)
		hb_rank(h, r);
	while (h->nextord < h->nord &&
	    r->e[h->ord[h->nextord]].flag != RUNG_SEL_CHOSEN)
		h->nextord++;
	if (h->nextord == h->nord) {	/* cannot happen: want counts them */
		h->issued = h->want;
		return RUNG_ACT_WAIT;
	}
	e = h->ord[h->nextord++];
	r->e[e].flag = RUNG_SEL_DONE;
	a->trial = r->e[e].trial;
	t = &s->t[a->trial];
	t->state = RUNG_TRIAL_RUNNING;
	t->rung = h->round;
	t->target = a->resource;
	a->from = t->step;
	a->kind = RUNG_ACT_RESUME;
	return RUNG_ACT_RESUME;
}

enum rung_decision
rung_sched_hb_report(struct rung_sched *s, uint32_t trial, int32_t step, double value)
{
	struct rung_sched_hb	*h = s->priv;
	struct rung_sched_trial	*t = &s->t[trial];

	t->step = step;
	if (step < t->target)
		return RUNG_CONTINUE;
	rung_sched_record(s, t->bracket, t->rung, trial, value);
	h->done++;
	if (t->rung + 1 >= s->b[t->bracket].nrungs) {
		t->state = RUNG_TRIAL_FINISHED;
		return RUNG_STOP;
	}
	t->state = RUNG_TRIAL_PAUSED;
	return RUNG_PAUSE;
}

/* Below its round's resource a report only notes the step. */
static int32_t
hb_quiet(const struct rung_sched *s, uint32_t trial)
{
	return s->t[trial].target;
}

void
rung_sched_hb_lost(struct rung_sched *s, uint32_t trial)
{
	struct rung_sched_hb	*h = s->priv;
	struct rung_sched_trial	*t = &s->t[trial];

	rung_sched_record(s, t->bracket, t->rung, trial, NAN);
	h->done++;
}

void
rung_sched_hb_release(struct rung_sched *s)
{
	struct rung_sched_hb	*h = s->priv;

	rung_hb_free(h->hb, h->nhb);
	free(h->ord);
}

/* Hyperband's table for the parameters, or -1 with *cause. */
static int
hb_table(const struct rung_sched_params *p, struct rung_hb_bracket **hb,
    int *nb, char **cause)
{
	double	 R = rint(p->max_r / p->min_r);

	if (!(R >= 1 && R <= INT32_MAX) || !(p->eta >= 2 &&
	    p->eta <= INT32_MAX)) {
		xasprintf(cause, "need max_r / min_r >= 1 and eta >= 2");
		return -1;
	}
	return rung_hb_brackets((int64_t)R, (int64_t)p->eta, hb, nb, cause);
}

/* Every configuration the brackets start. */
int
rung_sched_hb_needed(const struct rung_sched_params *p, uint64_t *need,
    char **cause)
{
	struct rung_hb_bracket	*hb;
	int			 nb;

	if (hb_table(p, &hb, &nb, cause) != 0)
		return -1;
	*need = rung_hb_configs(hb, nb);
	rung_hb_free(hb, nb);
	return 0;
}

/* Its budget in configurations, else the first round of bracket s_max. */
static int
sha_needed(const struct rung_sched_params *p, uint64_t *need, char **cause)
{
	struct rung_hb_bracket	*hb;
	int			 nb;

	if (p->max_configs != 0) {
		*need = p->max_configs;
		return 0;
	}
	if (hb_table(p, &hb, &nb, cause) != 0)
		return -1;
	*need = hb[0].round[0].n;
	rung_hb_free(hb, nb);
	return 0;
}

/* The resources of the rounds of the first nmax brackets. */
static void
hb_milestones_of(const struct rung_sched_params *p, int nmax, double **v,
    size_t *cap, uint32_t *n)
{
	struct rung_hb_bracket	*hb;
	char			*cause = NULL;
	double			 R = rint(p->max_r / p->min_r);
	int			 nb, b, rd;

	if (R < 1 || R > INT32_MAX || p->eta != rint(p->eta) ||
	    rung_hb_brackets((int64_t)R, (int64_t)p->eta, &hb, &nb,
	    &cause) != 0) {
		free(cause);
		return;
	}
	for (b = 0; b < nb && b < nmax; b++) {
		for (rd = 0; rd < hb[b].nrounds; rd++) {
			XGROW(*v, *cap, (size_t)*n + 1);
			(*v)[(*n)++] = hb[b].round[rd].r * p->min_r;
		}
	}
	rung_hb_free(hb, nb);
}

void
rung_sched_hb_milestones(const struct rung_sched_params *p, double **v,
    size_t *cap, uint32_t *n)
{
	hb_milestones_of(p, INT32_MAX, v, cap, n);
}

static void
sha_milestones(const struct rung_sched_params *p, double **v, size_t *cap,
    uint32_t *n)
{
	hb_milestones_of(p, 1, v, cap, n);
}

/* The counters as setup left them; the table and the rungs stay. */
static void
hb_reset(struct rung_sched *s)
{
	struct rung_sched_hb	*h = s->priv;

	h->cur = 0;
	h->round = 0;
	h->want = h->hb[0].round[0].n;
	h->issued = 0;
	h->done = 0;
	h->nord = 0;
	h->nextord = 0;
	h->ordvalid = 0;
}

static void
hb_save(const struct rung_sched *s, struct rung_sched_words *w)
{
	const struct rung_sched_hb *h = s->priv;

	w->cur = h->cur;
	w->round = h->round;
	w->want = h->want;
	w->issued = h->issued;
	w->done = h->done;
}

static int
hb_restore(struct rung_sched *s, const struct rung_sched_words *w)
{
	struct rung_sched_hb	*h = s->priv;

	if (w->cur > (uint32_t)h->nhb || (w->cur < (uint32_t)h->nhb &&
	    w->round >= (uint32_t)h->hb[w->cur].nrounds))
		return -1;
	h->cur = w->cur;
	h->round = w->round;
	h->want = w->want;
	h->issued = w->issued;
	h->done = w->done;
	h->ordvalid = 0;
	return rung_sched_trials_below_top(s);
}

const struct rung_sched_policy rung_policy_sha = {
	.name = "sha",
	.flags = RUNG_PF_CONFIGS | RUNG_PF_SIZED | RUNG_PF_INTEGER,
	.size = sizeof (struct rung_sched_hb),
	.setup = sha_setup,
	.next = rung_sched_hb_next,
	.report = rung_sched_hb_report,
	.lost = rung_sched_hb_lost,
	.quiet = hb_quiet,
	.release = rung_sched_hb_release,
	.reset = hb_reset,
	.needed = sha_needed,
	.milestones = sha_milestones,
	.save = hb_save,
	.restore = hb_restore,
};

const struct rung_sched_policy rung_policy_hyperband = {
	.name = "hyperband",
	.flags = RUNG_PF_INTEGER,
	.size = sizeof (struct rung_sched_hb),
	.setup = rung_sched_hb_setup,
	.next = rung_sched_hb_next,
	.report = rung_sched_hb_report,
	.lost = rung_sched_hb_lost,
	.quiet = hb_quiet,
	.release = rung_sched_hb_release,
	.reset = hb_reset,
	.needed = rung_sched_hb_needed,
	.milestones = rung_sched_hb_milestones,
	.save = hb_save,
	.restore = hb_restore,
};
