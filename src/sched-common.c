/*
 * The bookkeeping every policy shares: trials, rungs and their ranking,
 * the call log of the predictor-driven policies, and the linear quantile
 * every stopping rule needs. Policies call it; it calls no policy.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rung/sched.h"
#include "sched-int.h"
#include "rung/xmalloc.h"

void
rung_sched_bracket_init(struct rung_sched_bracket *b, uint32_t nrungs)
{
	uint32_t	 k;

	b->nrungs = nrungs;
	b->rungs = nrungs ? xcalloc(nrungs, sizeof *b->rungs) : NULL;
	for (k = 0; k < nrungs; k++)
		b->rungs[k].hint_n = UINT32_MAX;
}

uint32_t
rung_sched_add_trial(struct rung_sched *s, uint32_t bracket, uint32_t rung,
    int32_t target)
{
	struct rung_sched_trial	*t;

	XGROW(s->t, s->tcap, (size_t)s->nt + 1);
	t = &s->t[s->nt];
	memset(t, 0, sizeof *t);
	t->bracket = bracket;
	t->rung = rung;
	t->state = RUNG_TRIAL_RUNNING;
	t->target = target;
	return s->nt++;
}

void
rung_sched_record(struct rung_sched *s, uint32_t bracket, uint32_t rung,
    uint32_t trial, double value)
{
	struct rung_sched_rung	*r = &s->b[bracket].rungs[rung];

	XGROW(r->e, r->cap, (size_t)r->n + 1);
	r->e[r->n].trial = trial;
	r->e[r->n].flag = RUNG_SEL_NONE;
	r->e[r->n].value = value;
	r->n++;
}

/*
 * Ranking: lower first, NaN last, and ties in arrival order, so that the
 * order is total and every correct sort gives the same one. A sort of our
 * own rather than qsort_r, and of integer keys rather than of the values:
 * a replay ranks a rung at every round (it was half of a Hyperband
 * replay's time), and a comparison of values (NaN, then the values, then
 * the places) through the entries was most of that.
 */
struct rank_item {
	uint64_t	 key;
	uint32_t	 idx;
};

/*
 * A key whose unsigned order is the values' order: a double's bits with
 * the sign flipped, and the other bits too for a negative one; 0 for -0
 * (equal to +0), all ones for NaN (after +infinity, every NaN equal).
 * Equal keys are left in arrival order by a stable sort.
 */
static inline uint64_t
rank_key_of(double x)
{
	uint64_t	 b;

	if (isnan(x))
		return UINT64_MAX;
	x += 0.0;		/* -0 is +0 */
	memcpy(&b, &x, sizeof b);
	return (b >> 63) ? ~b : b | (1ULL << 63);
}

/* Rungs are small: insertion sort up to here, merge sort above. */
#define RANK_SMALL	24

static void
rank_insertion(struct rank_item *v, uint32_t n)
{
	struct rank_item	 x;
	uint32_t		 i, j;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0 && x.key < v[j - 1].key; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/*
 * Bottom-up merge sort of v[0..n) through tmp, runs of RANK_SMALL; the
 * left run wins ties, so the sort is stable. Returns where the sorted
 * items are (v or tmp).
 */
static struct rank_item *
rank_merge(struct rank_item *v, struct rank_item *tmp, uint32_t n)
{
	struct rank_item	*src = v, *dst = tmp, *sw;
	uint32_t		 w, lo, mid, hi, a, b, k;

	for (lo = 0; lo < n; lo += RANK_SMALL)
		rank_insertion(v + lo, n - lo < RANK_SMALL ? n - lo :
		    RANK_SMALL);
	for (w = RANK_SMALL; w < n; w *= 2) {
		for (lo = 0; lo < n; lo += 2 * w) {
			mid = lo + w < n ? lo + w : n;
			hi = lo + 2 * w < n ? lo + 2 * w : n;
			a = lo;
			b = mid;
			for (k = lo; k < hi; k++) {
				if (a < mid && (b >= hi ||
				    src[b].key >= src[a].key))
					dst[k] = src[a++];
				else
					dst[k] = src[b++];
			}
		}
		sw = src;
		src = dst;
		dst = sw;
	}
	return src;
}

void
rung_sched_rank(const struct rung_sched_rung *r, uint32_t *idx)
{
	struct rank_item	 buf[2 * 128], *v, *tmp, *out;
	uint32_t		 i;

	v = r->n <= 128 ? buf : xreallocarray(NULL, 2 * (size_t)r->n,
	    sizeof *v);
	tmp = v + r->n;
	for (i = 0; i < r->n; i++) {
		v[i].key = rank_key_of(r->e[i].value);
		v[i].idx = i;
	}
	if (r->n <= RANK_SMALL) {
		rank_insertion(v, r->n);
		out = v;
	} else
		out = rank_merge(v, tmp, r->n);
	for (i = 0; i < r->n; i++)
		idx[i] = out[i].idx;
	if (v != buf)
		free(v);
}

/* Predictor-driven policies keep every call: their saved state. */
void
rung_sched_log(struct rung_sched *s, uint8_t kind, uint32_t trial,
    int32_t step, double value)
{
	struct rung_sched_call	*c;

	XGROW(s->log, s->logcap, s->nlog + 1);
	c = &s->log[s->nlog++];
	c->kind = kind;
	c->trial = trial;
	c->step = step;
	c->value = value;
}

void
rung_sched_release_common(struct rung_sched *s)
{
	uint32_t	 i, k;

	for (i = 0; i < s->nt; i++)
		free(s->t[i].obs);
	free(s->log);
	for (i = 0; i < s->nb; i++) {
		for (k = 0; k < s->b[i].nrungs; k++) {
			free(s->b[i].rungs[k].e);
			free(s->b[i].rungs[k].sorted);
		}
		free(s->b[i].rungs);
	}
	free(s->b);
	free(s->t);
}

void
rung_sched_reset_common(struct rung_sched *s)
{
	struct rung_sched_rung	*r;
	uint32_t		 i, k;

	for (i = 0; i < s->nt; i++) {
		free(s->t[i].obs);
		s->t[i].obs = NULL;
	}
	s->nt = 0;
	s->nlog = 0;
	for (i = 0; i < s->nb; i++) {
		for (k = 0; k < s->b[i].nrungs; k++) {
			r = &s->b[i].rungs[k];
			r->n = 0;
			r->nsorted = 0;
			r->hasnan = 0;
			r->hint_n = UINT32_MAX;
		}
	}
}

/*
 * Only a trial of ASHA's stopping variant may pass its last rung (Optuna
 * climbs off the top; a bracket of Ray's can have none): the others ask
 * this of a restored state.
 */
int
rung_sched_trials_below_top(const struct rung_sched *s)
{
	uint32_t	 i;

	if (s->nb == 0)
		return 0;
	for (i = 0; i < s->nt; i++) {
		if (s->t[i].rung >= s->b[s->t[i].bracket].nrungs)
			return -1;
	}
	return 0;
}

/* numpy: virtual index (n - 1) q, then _lerp, which is two-sided. */
double
rung_quantile_linear(const double *v, size_t n, double q)
{
	double	*c, h, g, a, b, d, r;
	size_t	 i, lo, hi;

	if (n == 0)
		return NAN;
	for (i = 0; i < n; i++) {
		if (isnan(v[i]))
			return NAN;
	}
	c = xreallocarray(NULL, n, sizeof *c);
	memcpy(c, v, n * sizeof *c);
	for (i = 1; i < n; i++) {	/* insertion sort: rungs are small */
		double	 x = c[i];
		size_t	 j = i;

		while (j > 0 && c[j - 1] > x) {
			c[j] = c[j - 1];
			j--;
		}
		c[j] = x;
	}
	h = (double)(n - 1) * q;
	if (h <= 0)
		lo = hi = 0, h = 0;
	else if (h >= (double)(n - 1))
		lo = hi = n - 1, h = (double)(n - 1);
	else {
		lo = (size_t)floor(h);
		hi = lo + 1;
	}
	g = h - (double)lo;
	a = c[lo];
	b = c[hi];
	free(c);
	d = b - a;
	/* numpy interpolates from the nearer end: b - d (1 - g) past half. */
	if (g >= 0.5)
		r = b - d * (1 - g);
	else
		r = a + d * g;
	return r;
}
