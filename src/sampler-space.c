/*
 * The space sampler of rung launch --space: the space's seeded draws
 * (random), or TPE drawing candidates from the Parzen estimators of
 * src/sampler-parzen.c over the space's distributions (include/rung/
 * sampler.h says what is computed). Trials are known by the scheduler's
 * handle; a handle's values are kept transformed (log parameters in the
 * logarithm, a choice as its index) for the estimators.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rung/rng.h"
#include "rung/sampler.h"
#include "rung/space.h"
#include "rung/xmalloc.h"

#include "sampler-int.h"

/* A stream per draw apart from rung_space_sample's. */
#define TPE_SALT	0x7470652d6c697665ULL

struct sparam {
	enum pz_kind	 kind;
	int		 skip;		/* a single value: nothing to learn */
	struct parzen	 l;
	struct parzen	 g;
};

struct strial {
	int		 known;		/* drawn or taken */
	int32_t		 step;		/* PZ_NOSTEP: nothing reported */
	double		 val;
	double		*x;		/* per parameter, transformed */
};

struct rung_space_sampler {
	const struct rung_space *space;
	enum rung_sampler kind;
	uint64_t	 seed;
	struct sparam	*ps;
	struct strial	*t;		/* by handle */
	uint32_t	 nt;
	uint32_t	 nobs;

	/* Fit and draw scratch. */
	struct pz_rank	*rk;
	uint32_t	*set[2];
	double		*xs;
	uint32_t	*cats;
	uint32_t	 cap;
};

/* Transformed bounds of a parameter. */
static void
bounds(const struct rung_space_param *p, double *lo, double *hi)
{
	*lo = *hi = 0;
	switch (p->kind) {
	case RUNG_SPACE_UNIFORM:
		*lo = p->low;
		*hi = p->high;
		break;
	case RUNG_SPACE_LOGUNIFORM:
		*lo = log(p->low);
		*hi = log(p->high);
		break;
	case RUNG_SPACE_INT:
		*lo = (double)p->ilow - 0.5;
		*hi = (double)p->ihigh + 0.5;
		break;
	case RUNG_SPACE_LOGINT:
		*lo = log((double)p->ilow - 0.5);
		*hi = log((double)p->ihigh + 0.5);
		break;
	case RUNG_SPACE_CHOICE:
		*lo = 0;
		*hi = p->nchoices;
		break;
	}
}

struct rung_space_sampler *
rung_space_sampler_new(const struct rung_space *space, enum rung_sampler kind,
    uint64_t seed)
{
	struct rung_space_sampler *ss;
	const struct rung_space_param *p;
	struct sparam	*q;
	uint32_t	 i;
	double		 lo, hi;

	ss = xcalloc(1, sizeof *ss);
	ss->space = space;
	ss->kind = kind;
	ss->seed = seed;
	ss->ps = xcalloc(space->nparams ? space->nparams : 1, sizeof *ss->ps);
	for (i = 0; i < space->nparams; i++) {
		p = &space->params[i];
		q = &ss->ps[i];
		bounds(p, &lo, &hi);
		if (p->kind == RUNG_SPACE_CHOICE)
			q->kind = PZ_CAT;
		else if (p->kind == RUNG_SPACE_INT)
			q->kind = PZ_INT;
		else
			q->kind = PZ_REAL;
		q->skip = q->kind == PZ_CAT ? p->nchoices < 2 : !(hi > lo) ||
		    !isfinite(hi - lo) || (p->kind != RUNG_SPACE_UNIFORM &&
		    p->kind != RUNG_SPACE_LOGUNIFORM && p->ilow == p->ihigh);
		pz_init(&q->l, q->kind, lo, hi, p->nchoices);
		pz_init(&q->g, q->kind, lo, hi, p->nchoices);
	}
	return ss;
}

void
rung_space_sampler_free(struct rung_space_sampler *ss)
{
	uint32_t	 i;

	if (ss == NULL)
		return;
	for (i = 0; i < ss->space->nparams; i++) {
		pz_release(&ss->ps[i].l);
		pz_release(&ss->ps[i].g);
	}
	for (i = 0; i < ss->nt; i++)
		free(ss->t[i].x);
	free(ss->ps);
	free(ss->t);
	free(ss->rk);
	free(ss->set[0]);
	free(ss->set[1]);
	free(ss->xs);
	free(ss->cats);
	free(ss);
}

uint32_t
rung_space_sampler_observed(const struct rung_space_sampler *ss)
{
	return ss->nobs;
}

static struct strial *
trial_at(struct rung_space_sampler *ss, uint32_t h)
{
	uint32_t	 n, i;

	if (h >= ss->nt) {
		n = h + 1 < 2 * ss->nt ? 2 * ss->nt : h + 1;
		ss->t = xreallocarray(ss->t, n, sizeof *ss->t);
		for (i = ss->nt; i < n; i++) {
			memset(&ss->t[i], 0, sizeof ss->t[i]);
			ss->t[i].step = PZ_NOSTEP;
		}
		ss->nt = n;
	}
	if (ss->t[h].x == NULL)
		ss->t[h].x = xcalloc(ss->space->nparams ?
		    ss->space->nparams : 1, sizeof *ss->t[h].x);
	return &ss->t[h];
}

/* A configuration's values, transformed; -1 when one does not fit. */
static int
transform(const struct rung_space *space, const struct rung_config *c,
    double *x)
{
	const struct rung_space_param *p;
	const struct rung_pvalue *v;
	struct rung_pvalue w;
	json_object	*a, *b;
	uint32_t	 i, j, k;
	double		 d;
	int		 same;

	for (i = 0; i < space->nparams; i++) {
		p = &space->params[i];
		for (j = 0; j < c->n; j++) {
			if (strcmp(c->names[j], p->name) == 0)
				break;
		}
		if (j == c->n)
			return -1;
		v = &c->v[j];
		if (p->kind == RUNG_SPACE_CHOICE) {
			/* As RUNG_PARAMS has it: 1e-3 may be 0.001. */
			a = rung_pvalue_json(v);
			memset(&w, 0, sizeof w);
			w.type = RUNG_PCAT;
			for (k = 0; k < p->nchoices; k++) {
				w.s = p->choices[k];
				b = rung_pvalue_json(&w);
				same = strcmp(json_object_to_json_string(a),
				    json_object_to_json_string(b)) == 0;
				json_object_put(b);
				if (same)
					break;
			}
			json_object_put(a);
			if (k == p->nchoices)
				return -1;
			x[i] = k;
			continue;
		}
		if (v->type == RUNG_PINT)
			d = (double)v->i;
		else if (v->type == RUNG_PREAL)
			d = v->d;
		else
			return -1;
		switch (p->kind) {
		case RUNG_SPACE_UNIFORM:
		case RUNG_SPACE_LOGUNIFORM:
			if (!(d >= p->low && d <= p->high))
				return -1;
			x[i] = p->kind == RUNG_SPACE_UNIFORM ? d : log(d);
			break;
		case RUNG_SPACE_INT:
		case RUNG_SPACE_LOGINT:
			if (d != rint(d) || d < (double)p->ilow ||
			    d > (double)p->ihigh)
				return -1;
			x[i] = p->kind == RUNG_SPACE_INT ? d : log(d);
			break;
		case RUNG_SPACE_CHOICE:
			break;
		}
	}
	return 0;
}

/* Write parameter i's value from its transformed x into c. */
static void
untransform(const struct rung_space_param *p, double x, struct rung_pvalue *v)
{
	double	 d;

	switch (p->kind) {
	case RUNG_SPACE_UNIFORM:
	case RUNG_SPACE_LOGUNIFORM:
		d = p->kind == RUNG_SPACE_UNIFORM ? x : exp(x);
		/* The space's draws are in [LOW, HIGH). */
		if (d < p->low)
			d = p->low;
		if (d >= p->high)
			d = nextafter(p->high, p->low);
		v->d = d;
		break;
	case RUNG_SPACE_INT:
	case RUNG_SPACE_LOGINT:
		v->i = (int64_t)x;
		break;
	case RUNG_SPACE_CHOICE:
		free(v->s);
		v->s = xstrdup(p->choices[(uint32_t)x]);
		break;
	}
}

int
rung_space_sampler_take(struct rung_space_sampler *ss, uint32_t handle,
    const struct rung_config *c, struct rung_config *out)
{
	const struct rung_space_param *p;
	const struct rung_pvalue *v;
	double		*x;
	struct strial	*t;
	uint32_t	 i, j;

	x = xcalloc(ss->space->nparams ? ss->space->nparams : 1, sizeof *x);
	if (transform(ss->space, c, x) != 0) {
		free(x);
		return -1;
	}
	if (out != NULL) {
		/* The types of a draw; the values as they were, choices' words. */
		rung_space_sample(ss->space, ss->seed, handle, out);
		for (i = 0; i < ss->space->nparams; i++) {
			p = &ss->space->params[i];
			for (j = 0; strcmp(c->names[j], p->name) != 0; j++)
				;
			v = &c->v[j];
			if (p->kind == RUNG_SPACE_CHOICE)
				untransform(p, x[i], &out->v[i]);
			else if (out->v[i].type == RUNG_PINT)
				out->v[i].i = v->type == RUNG_PINT ? v->i :
				    (int64_t)v->d;
			else
				out->v[i].d = v->type == RUNG_PINT ?
				    (double)v->i : v->d;
		}
	}
	t = trial_at(ss, handle);
	free(t->x);
	t->x = x;
	t->known = 1;
	return 0;
}

void
rung_space_sampler_observe(struct rung_space_sampler *ss, uint32_t handle,
    int32_t step, double value)
{
	struct strial	*t;

	if (ss->kind != RUNG_SAMPLER_TPE || handle >= ss->nt ||
	    !ss->t[handle].known)
		return;
	t = &ss->t[handle];
	if (isnan(value))
		value = INFINITY;
	if (t->step == PZ_NOSTEP)
		ss->nobs++;
	else if (step < t->step)
		return;
	t->step = step;
	t->val = value;
}

static void
scratch(struct rung_space_sampler *ss, uint32_t n)
{
	if (n <= ss->cap)
		return;
	ss->cap = n < 2 * ss->cap ? 2 * ss->cap : n;
	ss->rk = xreallocarray(ss->rk, ss->cap, sizeof *ss->rk);
	ss->set[0] = xreallocarray(ss->set[0], ss->cap, sizeof *ss->set[0]);
	ss->set[1] = xreallocarray(ss->set[1], ss->cap, sizeof *ss->set[1]);
	ss->xs = xreallocarray(ss->xs, ss->cap, sizeof *ss->xs);
	ss->cats = xreallocarray(ss->cats, ss->cap, sizeof *ss->cats);
}

/* Split the observed trials and fit l (below) and g (above). */
static void
fit(struct rung_space_sampler *ss)
{
	struct sparam	*q;
	uint32_t	 h, i, j, n = 0, nb, ns[2] = { 0, 0 };
	uint8_t		*below;
	int		 b;

	scratch(ss, ss->nt + 1);
	for (h = 0; h < ss->nt; h++) {
		if (!ss->t[h].known || ss->t[h].step == PZ_NOSTEP)
			continue;
		ss->rk[n].step = ss->t[h].step;
		ss->rk[n].val = ss->t[h].val;
		ss->rk[n].seq = h;
		ss->rk[n].id = h;
		n++;
	}
	nb = pz_split(ss->rk, n);
	below = xcalloc(ss->nt + 1, sizeof *below);
	for (i = 0; i < nb; i++)
		below[ss->rk[i].id] = 1;
	/* Oldest first, as the weights expect. */
	for (h = 0; h < ss->nt; h++) {
		if (!ss->t[h].known || ss->t[h].step == PZ_NOSTEP)
			continue;
		b = below[h];
		ss->set[b][ns[b]++] = h;
	}
	free(below);
	for (i = 0; i < ss->space->nparams; i++) {
		q = &ss->ps[i];
		if (q->skip)
			continue;
		for (b = 0; b < 2; b++) {
			for (j = 0; j < ns[b]; j++) {
				ss->xs[j] = ss->t[ss->set[b][j]].x[i];
				ss->cats[j] = (uint32_t)ss->xs[j];
			}
			pz_fit(b ? &q->l : &q->g, ss->xs, ss->cats, ns[b]);
		}
	}
}

struct cand {
	double		 x;		/* transformed, rounded for an int */
	double		 a, b;		/* its cell */
	uint32_t	 i;		/* order drawn */
};

static int
cand_cmp(const void *a, const void *b)
{
	const struct cand	*x = a, *y = b;

	if (x->x != y->x)
		return x->x < y->x ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* Parameter i's best of RUNG_TPE_CANDIDATES draws from l, transformed. */
static double
best_candidate(struct rung_space_sampler *ss, uint32_t i, struct rung_rng *r)
{
	const struct rung_space_param *p = &ss->space->params[i];
	struct sparam	*q = &ss->ps[i];
	struct cand	 c[RUNG_TPE_CANDIDATES];
	double		 x[RUNG_TPE_CANDIDATES], xa[RUNG_TPE_CANDIDATES];
	double		 xb[RUNG_TPE_CANDIDATES], dl[RUNG_TPE_CANDIDATES];
	double		 dg[RUNG_TPE_CANDIDATES], sc[RUNG_TPE_CANDIDATES];
	double		 v, best;
	uint32_t	 k, n = RUNG_TPE_CANDIDATES, top;

	for (k = 0; k < n; k++) {
		v = pz_sample(&q->l, r);
		switch (p->kind) {
		case RUNG_SPACE_INT:
			v = rint(v);
			break;
		case RUNG_SPACE_LOGINT:
			v = log(fmin(fmax(rint(exp(v)), (double)p->ilow),
			    (double)p->ihigh));
			break;
		default:
			break;
		}
		if (p->kind == RUNG_SPACE_INT)
			v = fmin(fmax(v, (double)p->ilow), (double)p->ihigh);
		c[k].x = v;
		c[k].a = v - 0.5;
		c[k].b = v + 0.5;
		c[k].i = k;
	}
	if (q->kind == PZ_CAT) {
		/* The categorical estimators are their probabilities. */
		for (k = 0; k < n; k++)
			sc[k] = log(q->l.prob[(uint32_t)c[k].x]) -
			    log(q->g.prob[(uint32_t)c[k].x]);
	} else {
		qsort(c, n, sizeof *c, cand_cmp);
		for (k = 0; k < n; k++) {
			x[k] = c[k].x;
			xa[k] = q->kind == PZ_INT ? c[k].a : c[k].x;
			xb[k] = q->kind == PZ_INT ? c[k].b : c[k].x;
		}
		pz_density(&q->l, x, xa, xb, n, dl);
		pz_density(&q->g, x, xa, xb, n, dg);
		for (k = 0; k < n; k++)
			sc[c[k].i] = log(dl[k]) - log(dg[k]);
		/* Back in the order drawn. */
		for (k = 0; k < n; k++)
			x[c[k].i] = c[k].x;
		for (k = 0; k < n; k++)
			c[k].x = x[k];
	}
	top = 0;
	best = isnan(sc[0]) ? -INFINITY : sc[0];
	for (k = 1; k < n; k++) {
		if (sc[k] > best) {
			best = sc[k];
			top = k;
		}
	}
	return c[top].x;
}

void
rung_space_sampler_draw(struct rung_space_sampler *ss, uint32_t handle,
    struct rung_config *c)
{
	const struct rung_space *space = ss->space;
	const struct rung_space_param *p;
	struct strial	*t;
	struct rung_rng	 r;
	uint32_t	 i;
	double		 x;

	rung_space_sample(space, ss->seed, handle, c);
	if (ss->kind == RUNG_SAMPLER_TPE && ss->nobs >= RUNG_TPE_STARTUP) {
		fit(ss);
		rung_rng_seed(&r, ss->seed * RUNG_RNG_GOLDEN ^ ((uint64_t)
		    handle + 1) * 0x94d049bb133111ebULL ^ TPE_SALT);
		rung_rng_next(&r);
		for (i = 0; i < space->nparams; i++) {
			p = &space->params[i];
			if (ss->ps[i].skip)
				continue;
			x = best_candidate(ss, i, &r);
			if (p->kind == RUNG_SPACE_LOGINT)
				x = rint(exp(x));
			untransform(p, x, &c->v[i]);
		}
	}
	t = trial_at(ss, handle);
	if (transform(space, c, t->x) == 0)
		t->known = 1;
}
