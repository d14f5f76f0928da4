/*
 * The replay's pool samplers on synthetic studies built by hand: random's
 * seeded order, TPE's startup, determinism, exhaustion, that it learns on
 * real, log, int and categorical parameters and on unset values, and that
 * only what was reported to it counts. Then the shared estimator's
 * truncated normal, and TPE over a search space (rung launch --space):
 * draws within the space, the space's own draws at startup, determinism,
 * learning on each kind of parameter, and taking back recorded values.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rung/predict.h"
#include "rung/sampler.h"
#include "rung/space.h"
#include "rung/study.h"
#include "rung/xmalloc.h"
#include "../src/sampler-int.h"
#include "tap.h"

#define MAXPARAMS	16

typedef double (*objective)(const struct rung_study *, uint32_t);

/* n trials, each recording steps 1 .. steps of value 0; no parameter. */
static struct rung_study *
study_new(uint32_t n, int32_t steps)
{
	struct rung_study	*s;
	uint32_t		 t, at = 0, total = n * (uint32_t)steps;
	int32_t			 k;

	s = xcalloc(1, sizeof *s);
	s->name = xstrdup("synth");
	s->curve.name = xstrdup("loss");
	s->direction = RUNG_MIN;
	s->ntrials = n;
	s->ids = xcalloc(n, sizeof *s->ids);
	s->status = xcalloc(n, sizeof *s->status);
	s->curve.off = xcalloc(n + 1, sizeof *s->curve.off);
	s->curve.steps = xcalloc(total, sizeof *s->curve.steps);
	s->curve.vals = xcalloc(total, sizeof *s->curve.vals);
	s->curve.final = xcalloc(n, sizeof *s->curve.final);
	s->curve.best = xcalloc(n, sizeof *s->curve.best);
	for (t = 0; t < n; t++) {
		s->ids[t] = xprintf("t%u", t);
		s->curve.off[t] = at;
		for (k = 1; k <= steps; k++)
			s->curve.steps[at++] = k;
	}
	s->curve.off[n] = at;
	s->max_step = steps;
	return s;
}

static struct rung_param *
param_add(struct rung_study *s, const char *name, enum rung_ptype type,
    int log, uint32_t nlevels)
{
	struct rung_param	*p;
	uint32_t		 l;

	/* Room for all at once: the pointers returned stay valid. */
	if (s->params == NULL)
		s->params = xcalloc(MAXPARAMS, sizeof *s->params);
	if (s->nparams == MAXPARAMS)
		abort();
	p = &s->params[s->nparams++];
	memset(p, 0, sizeof *p);
	p->name = xstrdup(name);
	p->type = type;
	p->log = log;
	if (type == RUNG_PCAT) {
		p->cat = xcalloc(s->ntrials, sizeof *p->cat);
		p->nlevels = nlevels;
		p->levels = xcalloc(nlevels, sizeof *p->levels);
		for (l = 0; l < nlevels; l++)
			p->levels[l] = xprintf("l%u", l);
	} else
		p->num = xcalloc(s->ntrials, sizeof *p->num);
	return p;
}

static uint32_t *
iota(uint32_t n)
{
	uint32_t	*v = xcalloc(n, sizeof *v), i;

	for (i = 0; i < n; i++)
		v[i] = i;
	return v;
}

/*
 * npicks picks (pool indices into out), each reported at step 1 with
 * f(trial) when f is set. Returns how many picks were made.
 */
static uint32_t
drive(const struct rung_study *s, const uint32_t *pool, uint32_t npool,
    enum rung_sampler kind, uint64_t seed, uint32_t npicks, objective f,
    uint32_t *out)
{
	struct rung_sampler_state	*sp;
	uint32_t			 i, p;

	sp = rung_sampler_new(s, pool, npool, kind, seed);
	for (i = 0; i < npicks; i++) {
		p = rung_sampler_pick(sp);
		if (p == UINT32_MAX)
			break;
		out[i] = p;
		if (f != NULL)
			rung_sampler_observe(sp, pool[p], 1, f(s, pool[p]));
	}
	rung_sampler_free(sp);
	return i;
}

static double
f_quad(const struct rung_study *s, uint32_t t)
{
	double	 x = s->params[0].num[t];

	return (x - 0.3) * (x - 0.3);
}

static double
f_index(const struct rung_study *s, uint32_t t)
{
	return (double)((t * 37) % s->ntrials);
}

/* One real x in [0, 1) and an irrelevant categorical of 3 levels. */
static struct rung_study *
study_quad(uint32_t n, uint64_t seed)
{
	struct rung_study	*s = study_new(n, 1);
	struct rung_param	*x, *c;
	struct rung_rng		 rng;
	uint32_t		 t;

	x = param_add(s, "x", RUNG_PREAL, 0, 0);
	c = param_add(s, "opt", RUNG_PCAT, 0, 3);
	rung_rng_seed(&rng, seed);
	for (t = 0; t < n; t++) {
		x->num[t] = rung_rng_uniform(&rng);
		c->cat[t] = (uint32_t)(rung_rng_uniform(&rng) * 3);
	}
	return s;
}

static void
test_random(void)
{
	struct rung_sampler_state *sp;
	struct rung_study	*s = study_quad(50, 1);
	struct rung_rng		 rng;
	uint32_t		*pool = iota(50), *want = iota(50), got[60];
	uint32_t		 i, n, same;

	rung_rng_seed(&rng, 9);
	rung_rng_shuffle(&rng, want, 50);
	n = drive(s, pool, 50, RUNG_SAMPLER_RANDOM, 9, 60, NULL, got);
	is_int(n, 50, "random: 50 picks, then the pool is exhausted");
	for (i = 0, same = 0; i < 50; i++)
		same += got[i] == want[i];
	is_int(same, 50, "random: the seeded shuffle of the pool, in order");

	n = drive(s, pool, 50, RUNG_SAMPLER_TPE, 9, 60, f_quad, got);
	is_int(n, 50, "tpe: 50 picks, then the pool is exhausted");
	for (i = 0, same = 0; i < RUNG_TPE_STARTUP; i++)
		same += got[i] == want[i];
	is_int(same, RUNG_TPE_STARTUP,
	    "tpe: the first 10 picks are random's");
	for (i = RUNG_TPE_STARTUP, same = 0; i < 50; i++)
		same += got[i] == want[i];
	ok(same < 40, "tpe: later picks leave random's order (%u of 40 "
	    "equal)", same);

	/* No parameter: every score ties, random's order. */
	rung_study_free(s);
	s = study_new(30, 1);
	n = drive(s, pool, 30, RUNG_SAMPLER_RANDOM, 4, 30, NULL, want);
	n = drive(s, pool, 30, RUNG_SAMPLER_TPE, 4, 30, f_index, got);
	for (i = 0, same = 0; i < 30; i++)
		same += got[i] == want[i];
	is_int(same, 30, "tpe without parameters: random's order");

	n = drive(s, pool, 0, RUNG_SAMPLER_TPE, 4, 1, NULL, got);
	is_int(n, 0, "an empty pool: nothing to pick");

	/* A configuration reported before it was picked is used. */
	sp = rung_sampler_new(s, pool, 30, RUNG_SAMPLER_TPE, 4);
	rung_sampler_observe(sp, pool[want[0]], 1, 0.5);
	for (i = 0, same = 0; i < 30; i++)
		same += rung_sampler_pick(sp) == want[0];
	ok(same == 0 && rung_sampler_observed(sp) == 1, "observed before "
	    "a pick: never picked");
	rung_sampler_free(sp);
	free(pool);
	free(want);
	rung_study_free(s);
}

static double
f_mixed(const struct rung_study *s, uint32_t t)
{
	const struct rung_param	*p = s->params;
	double			 v = 0;

	if (!isnan(p[0].num[t]))
		v += fabs(p[0].num[t] - 0.6);
	v += fabs(log10(p[1].num[t]) + 2);
	v += fabs(p[2].num[t] - 5) / 8;
	v += fabs(log2(p[3].num[t]) - 3) / 8;
	v += p[4].cat[t] == UINT32_MAX ? 0 : 0.5;
	return v;
}

/* Every kind of parameter, with unset values. */
static struct rung_study *
study_mixed(uint32_t n, uint64_t seed)
{
	struct rung_study	*s = study_new(n, 1);
	struct rung_param	*p[5];
	struct rung_rng		 rng;
	uint32_t		 t;

	p[0] = param_add(s, "x", RUNG_PREAL, 0, 0);
	p[1] = param_add(s, "lr", RUNG_PREAL, 1, 0);
	p[2] = param_add(s, "layers", RUNG_PINT, 0, 0);
	p[3] = param_add(s, "batch", RUNG_PINT, 1, 0);
	p[4] = param_add(s, "act", RUNG_PCAT, 0, 4);
	rung_rng_seed(&rng, seed);
	for (t = 0; t < n; t++) {
		p[0]->num[t] = rung_rng_uniform(&rng) < 0.3 ? NAN :
		    rung_rng_uniform(&rng);
		p[1]->num[t] = pow(10, -5 + 4 * rung_rng_uniform(&rng));
		p[2]->num[t] = 1 + floor(8 * rung_rng_uniform(&rng));
		p[3]->num[t] = ldexp(1, (int)(8 * rung_rng_uniform(&rng)));
		p[4]->cat[t] = rung_rng_uniform(&rng) < 0.25 ? UINT32_MAX :
		    (uint32_t)(4 * rung_rng_uniform(&rng));
	}
	return s;
}

static void
test_determinism(void)
{
	struct rung_study	*s = study_mixed(300, 2);
	uint32_t		*pool = iota(300), a[310], b[310], c[310];
	uint32_t		 i, n, same, dup = 0;
	uint8_t			 seen[300];

	n = drive(s, pool, 300, RUNG_SAMPLER_TPE, 5, 310, f_mixed, a);
	is_int(n, 300, "mixed tpe: every configuration once");
	memset(seen, 0, sizeof seen);
	for (i = 0; i < n; i++) {
		dup += a[i] >= 300 || seen[a[i]];
		if (a[i] < 300)
			seen[a[i]] = 1;
	}
	is_int(dup, 0, "never a used configuration");
	drive(s, pool, 300, RUNG_SAMPLER_TPE, 5, 310, f_mixed, b);
	for (i = 0, same = 0; i < 300; i++)
		same += a[i] == b[i];
	is_int(same, 300, "same seed, same picks");
	drive(s, pool, 300, RUNG_SAMPLER_TPE, 6, 310, f_mixed, c);
	for (i = 0, same = 0; i < 300; i++)
		same += a[i] == c[i];
	ok(same < 300, "another seed, other picks");
	free(pool);
	rung_study_free(s);
}

/* Mean of g over picks [from, to) of the pool. */
static double
mean_of(const struct rung_study *s, const uint32_t *pool, const uint32_t *pk,
    uint32_t from, uint32_t to, objective g)
{
	double		 sum = 0;
	uint32_t	 i;

	for (i = from; i < to; i++)
		sum += g(s, pool[pk[i]]);
	return sum / (to - from);
}

static double
g_dist(const struct rung_study *s, uint32_t t)
{
	return fabs(s->params[0].num[t] - 0.3);
}

static void
test_quadratic(void)
{
	struct rung_study	*s = study_quad(1000, 3);
	uint32_t		*pool = iota(1000), pk[50];
	uint64_t		 seed;
	double			 tpe = 0, rnd = 0;

	/* 30 observations, then the next 20 picks, over 5 seeds. */
	for (seed = 1; seed <= 5; seed++) {
		drive(s, pool, 1000, RUNG_SAMPLER_TPE, seed, 50, f_quad, pk);
		tpe += mean_of(s, pool, pk, 30, 50, g_dist) / 5;
		drive(s, pool, 1000, RUNG_SAMPLER_RANDOM, seed, 50, NULL, pk);
		rnd += mean_of(s, pool, pk, 30, 50, g_dist) / 5;
	}
	ok(rnd > 0.2, "random picks: mean |x - 0.3| %.4f, near 0.29", rnd);
	ok(tpe < 0.2 && tpe < rnd / 2, "tpe picks: mean |x - 0.3| %.4f, "
	    "under half random's", tpe);
	free(pool);
	rung_study_free(s);
}

static double
f_lr(const struct rung_study *s, uint32_t t)
{
	double	 e = log10(s->params[0].num[t]) + 3;

	return e * e;
}

static double
g_lr(const struct rung_study *s, uint32_t t)
{
	return fabs(log10(s->params[0].num[t]) + 3);
}

static void
test_log(void)
{
	struct rung_study	*s = study_new(1000, 1);
	struct rung_param	*lr;
	struct rung_rng		 rng;
	uint32_t		*pool = iota(1000), pk[50], t;
	uint64_t		 seed;
	double			 tpe = 0, lin = 0, rnd = 0;

	/* Log-uniform on [1e-5, 1e-1], best at 1e-3. */
	lr = param_add(s, "lr", RUNG_PREAL, 1, 0);
	rung_rng_seed(&rng, 11);
	for (t = 0; t < 1000; t++)
		lr->num[t] = pow(10, -5 + 4 * rung_rng_uniform(&rng));
	for (seed = 1; seed <= 5; seed++) {
		lr->log = 1;
		drive(s, pool, 1000, RUNG_SAMPLER_TPE, seed, 50, f_lr, pk);
		tpe += mean_of(s, pool, pk, 30, 50, g_lr) / 5;
		lr->log = 0;
		drive(s, pool, 1000, RUNG_SAMPLER_TPE, seed, 50, f_lr, pk);
		lin += mean_of(s, pool, pk, 30, 50, g_lr) / 5;
		drive(s, pool, 1000, RUNG_SAMPLER_RANDOM, seed, 50, NULL, pk);
		rnd += mean_of(s, pool, pk, 30, 50, g_lr) / 5;
	}
	ok(tpe < rnd / 1.5, "log lr: tpe's mean decades from 1e-3 %.3f, random "
	    "%.3f", tpe, rnd);
	ok(tpe < lin, "the log flag helps: %.3f in log space, %.3f linear",
	    tpe, lin);
	free(pool);
	rung_study_free(s);
}

static double
f_cat(const struct rung_study *s, uint32_t t)
{
	const struct rung_param	*p = s->params;

	return (p[0].cat[t] != 2) + (p[1].cat[t] != 0) +
	    0.5 * (p[2].cat[t] != 1) + 0.001 * p[3].num[t];
}

static void
test_categorical(void)
{
	struct rung_study	*s = study_new(500, 1);
	struct rung_param	*p[4];
	struct rung_rng		 rng;
	uint32_t		*pool = iota(500), pk[50], t, i, good;
	uint32_t		 ngood_tpe = 0, ngood_rnd = 0;
	uint64_t		 seed;

	p[0] = param_add(s, "a", RUNG_PCAT, 0, 4);
	p[1] = param_add(s, "b", RUNG_PCAT, 0, 4);
	p[2] = param_add(s, "c", RUNG_PCAT, 0, 4);
	p[3] = param_add(s, "k", RUNG_PINT, 0, 0);	/* all the same */
	rung_rng_seed(&rng, 21);
	for (t = 0; t < 500; t++) {
		for (i = 0; i < 3; i++)
			p[i]->cat[t] = (uint32_t)(4 * rung_rng_uniform(&rng));
		p[3]->num[t] = 7;
	}
	for (seed = 1; seed <= 5; seed++) {
		drive(s, pool, 500, RUNG_SAMPLER_TPE, seed, 50, f_cat, pk);
		for (i = 30; i < 50; i++) {
			t = pk[i];
			good = p[0]->cat[t] == 2 && p[1]->cat[t] == 0;
			ngood_tpe += good;
		}
		drive(s, pool, 500, RUNG_SAMPLER_RANDOM, seed, 50, NULL, pk);
		for (i = 30; i < 50; i++) {
			t = pk[i];
			ngood_rnd += p[0]->cat[t] == 2 && p[1]->cat[t] == 0;
		}
	}
	ok(ngood_tpe >= 25 && ngood_tpe > 4 * ngood_rnd, "categorical: "
	    "a = 2 and b = 0 in %u of tpe's 100 later picks, %u of random's",
	    ngood_tpe, ngood_rnd);
	free(pool);
	rung_study_free(s);
}

static double
f_unset(const struct rung_study *s, uint32_t t)
{
	const struct rung_param	*p = s->params;

	/* Best when the categorical is unset; x only matters when set. */
	return (p[1].cat[t] == UINT32_MAX ? 0 : 1) +
	    (isnan(p[0].num[t]) ? 0.5 : fabs(p[0].num[t] - 0.8));
}

static void
test_unset(void)
{
	struct rung_study	*s = study_new(400, 1);
	struct rung_param	*x, *c;
	struct rung_rng		 rng;
	uint32_t		*pool = iota(400), pk[400], t, i, n;
	uint32_t		 unset_tpe = 0, unset_rnd = 0;
	uint64_t		 seed;

	x = param_add(s, "x", RUNG_PREAL, 0, 0);
	c = param_add(s, "c", RUNG_PCAT, 0, 3);
	rung_rng_seed(&rng, 31);
	for (t = 0; t < 400; t++) {
		x->num[t] = rung_rng_uniform(&rng) < 0.4 ? NAN :
		    rung_rng_uniform(&rng);
		c->cat[t] = rung_rng_uniform(&rng) < 0.2 ? UINT32_MAX :
		    (uint32_t)(3 * rung_rng_uniform(&rng));
	}
	for (seed = 1; seed <= 5; seed++) {
		n = drive(s, pool, 400, RUNG_SAMPLER_TPE, seed, 50, f_unset,
		    pk);
		for (i = 30; i < n; i++)
			unset_tpe += c->cat[pk[i]] == UINT32_MAX;
		drive(s, pool, 400, RUNG_SAMPLER_RANDOM, seed, 50, NULL, pk);
		for (i = 30; i < 50; i++)
			unset_rnd += c->cat[pk[i]] == UINT32_MAX;
	}
	ok(unset_tpe > 2 * unset_rnd, "unset is a category of its own: "
	    "%u of tpe's 100 later picks, %u of random's", unset_tpe,
	    unset_rnd);
	n = drive(s, pool, 400, RUNG_SAMPLER_TPE, 1, 400, f_unset, pk);
	is_int(n, 400, "unset values: the pool is exhausted all the same");

	/* Nothing set at all: the parameters are left out. */
	for (t = 0; t < 400; t++) {
		x->num[t] = NAN;
		c->cat[t] = UINT32_MAX;
	}
	drive(s, pool, 400, RUNG_SAMPLER_RANDOM, 3, 60, NULL, pk);
	memcpy(pk + 200, pk, 60 * sizeof *pk);
	drive(s, pool, 400, RUNG_SAMPLER_TPE, 3, 60, f_unset, pk);
	ok(memcmp(pk, pk + 200, 60 * sizeof *pk) == 0,
	    "nothing set: random's order");
	free(pool);
	rung_study_free(s);
}

static double
f_int(const struct rung_study *s, uint32_t t)
{
	return fabs(s->params[0].num[t] - 13) + fabs(log2(s->params[1].num[t])
	    - 2);
}

static void
test_int(void)
{
	struct rung_study	*s = study_new(600, 1);
	struct rung_param	*k, *b;
	struct rung_rng		 rng;
	uint32_t		*pool = iota(600), pk[50], t, i;
	uint32_t		 hit_tpe = 0, hit_rnd = 0;
	uint64_t		 seed;

	k = param_add(s, "units", RUNG_PINT, 0, 0);
	b = param_add(s, "batch", RUNG_PINT, 1, 0);
	rung_rng_seed(&rng, 41);
	for (t = 0; t < 600; t++) {
		k->num[t] = 1 + floor(40 * rung_rng_uniform(&rng));
		b->num[t] = ldexp(1, (int)(10 * rung_rng_uniform(&rng)));
	}
	for (seed = 1; seed <= 5; seed++) {
		drive(s, pool, 600, RUNG_SAMPLER_TPE, seed, 50, f_int, pk);
		for (i = 30; i < 50; i++)
			hit_tpe += f_int(s, pk[i]) <= 6;
		drive(s, pool, 600, RUNG_SAMPLER_RANDOM, seed, 50, NULL, pk);
		for (i = 30; i < 50; i++)
			hit_rnd += f_int(s, pk[i]) <= 6;
	}
	ok(hit_tpe > 2 * hit_rnd, "int and log int: %u of tpe's 100 later "
	    "picks within 6 of the best, %u of random's", hit_tpe, hit_rnd);
	free(pool);
	rung_study_free(s);
}

/*
 * Only what was reported counts: the sampler reads the study's
 * hyperparameters, never its curves, and a value at a lower step than one
 * already reported changes nothing.
 */
static uint32_t
run_reported(struct rung_study *s, const uint32_t *pool, uint32_t npool,
    uint32_t *pk, uint32_t npicks)
{
	struct rung_sampler_state	*sp;
	uint32_t			 i, t, p, n;

	sp = rung_sampler_new(s, pool, npool, RUNG_SAMPLER_TPE, 8);
	for (i = 0; i < npicks; i++) {
		pk[i] = p = rung_sampler_pick(sp);
		t = pool[p];
		/* Steps 1 and 2 of the recorded curve, never 3 or 4. */
		rung_sampler_observe(sp, t, 1, s->curve.vals[s->curve.off[t]]);
		rung_sampler_observe(sp, t, 2,
		    s->curve.vals[s->curve.off[t] + 1]);
		rung_sampler_observe(sp, t, 1, -1000);	/* stale */
	}
	rung_sampler_observe(sp, s->ntrials - 1, 4, -1000); /* not in pool */
	pk[npicks] = rung_sampler_pick(sp);
	n = rung_sampler_observed(sp);
	rung_sampler_free(sp);
	return n;
}

static void
test_observed_only(void)
{
	struct rung_study	*s = study_quad(300, 5);
	uint32_t		*pool = iota(299), a[41], b[41], t, i, best;
	uint8_t			 seen[300];
	int32_t			 k;

	/* 4 steps: value f(x) + 1 / k. */
	free(s->curve.steps);
	free(s->curve.vals);
	s->curve.steps = xcalloc(1200, sizeof *s->curve.steps);
	s->curve.vals = xcalloc(1200, sizeof *s->curve.vals);
	for (t = 0; t <= 300; t++)
		s->curve.off[t] = 4 * t;
	for (t = 0; t < 300; t++) {
		for (k = 1; k <= 4; k++) {
			s->curve.steps[4 * t + k - 1] = k;
			s->curve.vals[4 * t + k - 1] =
			    (float)(f_quad(s, t) + 1.0 / k);
		}
	}
	is_int(run_reported(s, pool, 299, a, 40), 40,
	    "40 configurations observed; one outside the pool ignored");

	/* Change what was never reported: later steps, unpicked trials. */
	memset(seen, 0, sizeof seen);
	for (i = 0; i < 40; i++)
		seen[pool[a[i]]] = 1;
	for (t = 0; t < 300; t++) {
		for (k = 1; k <= 4; k++) {
			if (!seen[t] || k > 2)
				s->curve.vals[4 * t + k - 1] = -(float)t;
		}
	}
	run_reported(s, pool, 299, b, 40);
	ok(memcmp(a, b, sizeof a) == 0, "values never reported change no "
	    "pick");

	/* A reported value does: make the best of picks 10 .. 29 bad. */
	for (i = 10, best = 10; i < 30; i++) {
		if (f_quad(s, pool[a[i]]) < f_quad(s, pool[a[best]]))
			best = i;
	}
	t = pool[a[best]];
	s->curve.vals[4 * t + 1] = 5;
	run_reported(s, pool, 299, b, 40);
	ok(memcmp(a, b, (best + 1) * sizeof *a) == 0 &&
	    memcmp(a, b, sizeof a) != 0, "a reported value changes the "
	    "picks after it (pick %u)", best);
	free(pool);
	rung_study_free(s);
}

/* Not a check: how long a hyperband-sized run takes, for the log. */
static void
test_speed(void)
{
	struct rung_study	*s = study_new(1000, 1);
	struct rung_param	*p;
	struct rung_rng		 rng;
	uint32_t		*pool = iota(1000), pk[150], t, j;
	clock_t			 c0;
	char			 name[8];

	rung_rng_seed(&rng, 51);
	for (j = 0; j < 10; j++) {
		snprintf(name, sizeof name, "p%u", j);
		p = param_add(s, name, j < 7 ? RUNG_PREAL : (j < 9 ?
		    RUNG_PINT : RUNG_PCAT), j == 1, 5);
		for (t = 0; t < 1000; t++) {
			if (p->type == RUNG_PCAT)
				p->cat[t] = t % 5;
			else if (p->type == RUNG_PINT)
				p->num[t] = 1 + t % 64;
			else
				p->num[t] = 1e-4 + rung_rng_uniform(&rng);
		}
	}
	c0 = clock();
	drive(s, pool, 1000, RUNG_SAMPLER_TPE, 1, 150, f_quad, pk);
	printf("# 1000 configurations, 10 parameters, 150 picks: %.1f ms\n",
	    1000.0 * (double)(clock() - c0) / CLOCKS_PER_SEC);
	free(pool);
	rung_study_free(s);
}

/* The truncated normal by inversion: bounds, tails, its mean. */
static void
test_truncnorm(void)
{
	static const double ab[][2] = { { -1, 2 }, { 5, 6 }, { -40, -38 },
	    { 0.5, 30 }, { -3, -2.5 }, { -0.1, 0.1 } };
	double		 a, b, x, sum, mean, Z;
	uint32_t	 i, k, n = 20000, bad;

	for (i = 0; i < sizeof ab / sizeof ab[0]; i++) {
		a = ab[i][0];
		b = ab[i][1];
		bad = 0;
		sum = 0;
		for (k = 0; k < n; k++) {
			x = pz_truncnorm(a, b, (k + 0.5) / n);
			bad += !(x >= a && x <= b);
			sum += x;
		}
		is_int(bad, 0, "truncnorm [%g, %g]: every draw within", a, b);
		Z = pz_gauss_mass(a, b);
		if (Z > 1e-300) {
			mean = (exp(-0.5 * a * a) - exp(-0.5 * b * b)) /
			    (sqrt(2 * M_PI) * Z);
			ok(fabs(sum / n - mean) < 2e-3 * (1 + fabs(mean)),
			    "truncnorm [%g, %g]: mean %.6f, want %.6f", a, b,
			    sum / n, mean);
		}
	}
	/* The quantile by its inverse: Phi(x) = p over the whole range. */
	ok(fabs(pz_truncnorm(-INFINITY, INFINITY, 0.975) - 1.959963984540054)
	    < 1e-12, "the normal's 97.5%% quantile");
	ok(fabs(pz_truncnorm(-INFINITY, INFINITY, 1e-10) + 6.361340902404056)
	    < 1e-9, "the normal's 1e-10 quantile");
}

static const char space_text[] =
    "lr loguniform 1e-4 1\n"
    "x uniform -1 1\n"
    "width int 1 64\n"
    "depth logint 1 32\n"
    "act choice relu tanh sigmoid 1e-3\n"
    "one choice only\n";

/* Lower is better: lr 1e-2, x 0.3, width 40, depth 8, act tanh. */
static double
f_space(const struct rung_config *c)
{
	double	 lr = c->v[0].d, x = c->v[1].d, w = (double)c->v[2].i;
	double	 d = (double)c->v[3].i;

	return pow(log10(lr) + 2, 2) + pow(x - 0.3, 2) * 4 +
	    pow((w - 40) / 20, 2) + pow(log2(d) - 3, 2) / 4 +
	    (strcmp(c->v[4].s, "tanh") != 0);
}

/* n configurations, each reported at step 1 with f_space. */
static void
drive_space(const struct rung_space *sp, enum rung_sampler kind,
    uint64_t seed, uint32_t n, struct rung_config *out)
{
	struct rung_space_sampler	*ss;
	uint32_t			 h;

	ss = rung_space_sampler_new(sp, kind, seed);
	for (h = 0; h < n; h++) {
		rung_space_sampler_draw(ss, h, &out[h]);
		rung_space_sampler_observe(ss, h, 1, f_space(&out[h]));
	}
	is_int(rung_space_sampler_observed(ss), kind == RUNG_SAMPLER_TPE ? n :
	    0, "%s: every configuration observed", kind == RUNG_SAMPLER_TPE ?
	    "tpe" : "random");
	rung_space_sampler_free(ss);
}

static int
config_valid(const struct rung_config *c)
{
	const char	*s = c->v[4].s;

	return c->n == 6 && c->v[0].d >= 1e-4 && c->v[0].d < 1 &&
	    c->v[1].d >= -1 && c->v[1].d < 1 && c->v[2].type == RUNG_PINT &&
	    c->v[2].i >= 1 && c->v[2].i <= 64 && c->v[3].i >= 1 &&
	    c->v[3].i <= 32 && s != NULL && (strcmp(s, "relu") == 0 ||
	    strcmp(s, "tanh") == 0 || strcmp(s, "sigmoid") == 0 ||
	    strcmp(s, "1e-3") == 0) && strcmp(c->v[5].s, "only") == 0;
}

static int
config_same(const struct rung_config *a, const struct rung_config *b)
{
	char	*ja = rung_config_json(a), *jb = rung_config_json(b);
	int	 same = strcmp(ja, jb) == 0;

	free(ja);
	free(jb);
	return same;
}

static void
test_space(void)
{
	struct rung_space	*sp;
	struct rung_config	 t[80], t2[80], r[80], o[80], c;
	struct rung_space_sampler *ss;
	char			*cause = NULL;
	uint32_t		 h, n = 80, bad = 0, same = 0, tanh = 0, rt = 0;
	uint32_t		 rbad = 0;
	double			 ft = 0, fr = 0;

	if (rung_space_parse("t.space", space_text, strlen(space_text), &sp,
	    &cause) != 0) {
		ok(0, "the space parses: %s", cause);
		return;
	}
	drive_space(sp, RUNG_SAMPLER_TPE, 7, n, t);
	drive_space(sp, RUNG_SAMPLER_TPE, 7, n, t2);
	drive_space(sp, RUNG_SAMPLER_RANDOM, 7, n, r);
	drive_space(sp, RUNG_SAMPLER_TPE, 8, n, o);
	for (h = 0; h < n; h++) {
		bad += !config_valid(&t[h]);
		rung_space_sample(sp, 7, h, &c);
		rbad += !config_same(&r[h], &c);
		if (h < RUNG_TPE_STARTUP && !config_same(&t[h], &c))
			ok(0, "tpe: startup draw %u is the space's", h);
		if (h >= RUNG_TPE_STARTUP)
			same += config_same(&t[h], &c);
		rung_config_release(&c);
		if (!config_same(&t[h], &t2[h]))
			ok(0, "tpe: draw %u the same for the same seed", h);
		if (h >= n / 2) {
			ft += f_space(&t[h]);
			fr += f_space(&r[h]);
			tanh += strcmp(t[h].v[4].s, "tanh") == 0;
			rt += strcmp(r[h].v[4].s, "tanh") == 0;
		}
	}
	is_int(bad, 0, "tpe: every draw within the space, ints integral, "
	    "choices of the space");
	is_int(rbad, 0, "random: the space's own draws");
	is_int(same, 0, "tpe: no draw after the startup is the space's");
	for (h = RUNG_TPE_STARTUP, same = 0; h < n; h++)
		same += config_same(&t[h], &o[h]);
	ok(same < 5, "tpe: another seed, other draws (%u the same)", same);
	ok(ft < 0.5 * fr, "tpe learns: the last 40 average %.3f, random's "
	    "%.3f", ft / 40, fr / 40);
	ok(tanh > 2 * rt && tanh > 20, "tpe learns the choice: tanh %u of "
	    "the last 40, random %u", tanh, rt);

	/* A resumed campaign's trials taken back: the draws go on the same. */
	ss = rung_space_sampler_new(sp, RUNG_SAMPLER_TPE, 7);
	for (h = 0, bad = 0; h < 30; h++) {
		bad += rung_space_sampler_take(ss, h, &t[h], &c) != 0 ||
		    !config_same(&c, &t[h]);
		rung_config_release(&c);
		rung_space_sampler_observe(ss, h, 1, f_space(&t[h]));
	}
	is_int(bad, 0, "30 configurations taken back as they were drawn");
	for (h = 30, bad = 0; h < 40; h++) {
		rung_space_sampler_draw(ss, h, &c);
		bad += !config_same(&c, &t[h]);
		rung_space_sampler_observe(ss, h, 1, f_space(&c));
		rung_config_release(&c);
	}
	is_int(bad, 0, "after them, 10 draws as the uninterrupted ones");
	/* RUNG_PARAMS has the choice 1e-3 as the number 0.001. */
	rung_config_release(&r[0]);
	memset(&c, 0, sizeof c);
	ok(rung_config_from_json("{\"lr\":0.01,\"x\":0,\"width\":3,"
	    "\"depth\":2,\"act\":0.001,\"one\":\"only\"}", &c, &cause) == 0 &&
	    rung_space_sampler_take(ss, 40, &c, &r[0]) == 0 &&
	    strcmp(r[0].v[4].s, "1e-3") == 0,
	    "a choice that reads as a number is taken back as its word");
	rung_config_release(&c);
	memset(&c, 0, sizeof c);
	ok(rung_config_from_json("{\"lr\":0.01,\"x\":0,\"width\":3.5,"
	    "\"depth\":2,\"act\":\"relu\",\"one\":\"only\"}", &c, &cause) ==
	    0 && rung_space_sampler_take(ss, 41, &c, NULL) != 0,
	    "a value outside the space is not taken");
	rung_config_release(&c);
	rung_space_sampler_free(ss);

	for (h = 0; h < n; h++) {
		rung_config_release(&t[h]);
		rung_config_release(&t2[h]);
		if (h != 0)
			rung_config_release(&r[h]);
		rung_config_release(&o[h]);
	}
	rung_config_release(&r[0]);
	rung_space_free(sp);
}

int
main(void)
{
	test_random();
	test_determinism();
	test_quadratic();
	test_log();
	test_categorical();
	test_unset();
	test_int();
	test_observed_only();
	test_speed();
	test_truncnorm();
	test_space();
	return done_testing();
}
