/*
 * The multi-seed replay driver: the anytime step function and grid, the
 * aggregation of hand-made per-seed results, and whole runs on a synthetic
 * study (exact compute totals, the random-search counterfactual, the same
 * result on any number of threads, errors).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/replay.h"
#include "rung/sched.h"
#include "rung/study.h"
#include "rung/xmalloc.h"
#include "tap.h"

/* A result with a trace of n points (steps, final) and the other fields. */
static void
mkres(struct rung_replay_result *r, uint64_t cost, double secs,
    const uint64_t *ts, const double *tf, size_t n, double final,
    double best, int top1, int top5)
{
	size_t	 i;

	memset(r, 0, sizeof *r);
	r->cost_steps = cost;
	r->cost_seconds = secs;
	r->nstarted = 10;
	r->returned = isnan(final) ? UINT32_MAX : 3;
	r->returned_final = final;
	r->best_final = best;
	r->regret = fabs(best - final);
	r->top1 = top1;
	r->top5 = top5;
	r->time_to_best = (double)cost / 2;
	r->steps_to_best = cost / 2;
	r->ntrace = n;
	r->trace_steps = xcalloc(n ? n : 1, sizeof *r->trace_steps);
	r->trace_time = xcalloc(n ? n : 1, sizeof *r->trace_time);
	r->trace_final = xcalloc(n ? n : 1, sizeof *r->trace_final);
	for (i = 0; i < n; i++) {
		r->trace_steps[i] = ts[i];
		r->trace_time[i] = (double)ts[i];
		r->trace_final[i] = tf[i];
	}
}

static void
test_anytime(void)
{
	struct rung_replay_result	 r;
	static const uint64_t		 ts[] = { 5, 12, 30 };
	static const double		 tf[] = { 0.9, 0.5, 0.25 };
	double				*g;

	mkres(&r, 40, 0, ts, tf, 3, 0.25, 0.25, 1, 1);
	is_dbl(rung_replay_anytime_at(&r, 0), NAN, "nothing before the first");
	is_dbl(rung_replay_anytime_at(&r, 4.9), NAN, "still nothing at 4.9");
	is_dbl(rung_replay_anytime_at(&r, 5), 0.9, "first point at its cost");
	is_dbl(rung_replay_anytime_at(&r, 11.99), 0.9, "held until the next");
	is_dbl(rung_replay_anytime_at(&r, 12), 0.5, "second");
	is_dbl(rung_replay_anytime_at(&r, 1e9), 0.25, "last holds for ever");
	rung_replay_result_release(&r);

	g = rung_replay_grid(98, 50);
	is_dbl(g[0], 0, "grid starts at 0");
	is_dbl(g[1], 2, "grid step max/49");
	is_dbl(g[49], 98, "grid ends at the largest cost");
	free(g);
	g = rung_replay_grid(10, 1);
	is_dbl(g[1], 10, "a grid has at least two points");
	free(g);
}

static void
test_aggregate(void)
{
	struct rung_replay_seed	 v[3], b[3];
	struct rung_replay_agg	 a;
	static const uint64_t	 t0[] = { 10, 20 }, t1[] = { 30 }, tb[] = { 1 };
	static const double	 f0[] = { 0.5, 0.3 }, f1[] = { 0.4 };
	static const double	 fb[] = { 0.1 };
	double			 grid[] = { 0, 10, 25, 40 };
	uint32_t		 i;

	memset(v, 0, sizeof v);
	memset(b, 0, sizeof b);
	/* Three seeds of a policy, minimising; seed 2 returned nothing. */
	mkres(&v[0].r, 40, 4, t0, f0, 2, 0.3, 0.1, 0, 1);
	mkres(&v[1].r, 60, 8, t1, f1, 1, 0.4, 0.1, 0, 0);
	mkres(&v[2].r, 50, 6, NULL, NULL, 0, NAN, 0.1, 0, 0);
	for (i = 0; i < 3; i++) {
		v[i].random_steps = 200;
		v[i].random_seconds = 20;
		mkres(&b[i].r, 100, 10, tb, fb, 1, 0.1, 0.1, 1, 1);
	}
	v[2].random_seconds = NAN;

	rung_replay_aggregate(v, b, 3, RUNG_MIN, 1, grid, 4, &a);
	is_int(a.nseeds, 3, "three seeds");
	is_dbl(a.cost_steps_mean, 50, "mean cost");
	is_dbl(a.cost_steps_sd, 10, "sample sd of 40, 60, 50");
	is_dbl(a.cost_seconds_mean, 6, "mean seconds");
	is_dbl(a.cost_seconds_sd, 2, "sd of seconds");
	is_dbl(v[0].saved_baseline, 0.6, "seed 0 saves 1 - 40/100");
	is_dbl(v[1].saved_baseline, 1 - 60.0 / 100, "seed 1 against seed 1");
	ok(fabs(a.saved_baseline - 0.5) < 1e-15,
	    "saved vs baseline: mean of the per-seed ratios");
	is_dbl(v[0].saved_random, 0.8, "seed 0 saves 1 - 40/200 vs random");
	ok(fabs(a.saved_random - 0.75) < 1e-15, "mean saved vs random");
	is_dbl(v[2].saved_random_seconds, NAN, "unknown random seconds");
	ok(fabs(a.saved_random_seconds - (0.8 + 0.6) / 2) < 1e-15,
	    "saved seconds vs random over the seeds where known");
	ok(fabs(a.saved_baseline_seconds - 0.4) < 1e-15,
	    "saved seconds vs baseline: (0.6 + 0.2 + 0.4) / 3");
	is_int(a.nfinal, 2, "two seeds returned a configuration");
	ok(fabs(a.final_mean - 0.35) < 1e-15, "mean final over them");
	is_dbl(a.final_worst, 0.4, "worst final, minimising");
	ok(fabs(a.regret_mean - 0.25) < 1e-15, "mean regret");
	is_dbl(a.p_top1, 0, "never the best");
	ok(fabs(a.p_top5 - 1.0 / 3) < 1e-15, "top 5%% once in three");
	is_dbl(a.time_to_best_mean, 25, "time to best over seeds returning");
	is_dbl(a.anytime[0], NAN, "anytime: nothing at cost 0");
	is_int(a.anytime_n[0], 0, "no seed there");
	is_dbl(a.anytime[1], 0.5, "at 10: seed 0 alone");
	is_int(a.anytime_n[2], 1, "at 25: still seed 0 alone");
	is_dbl(a.anytime[2], 0.3, "at 25: 0.3");
	ok(fabs(a.anytime[3] - 0.35) < 1e-15, "at 40: mean of 0.3, 0.4");
	is_int(a.anytime_n[3], 2, "two seeds at 40");
	rung_replay_agg_release(&a);

	/* Against itself: nothing saved. Maximising: the worst is lowest. */
	rung_replay_aggregate(v, v, 3, RUNG_MAX, 0, grid, 4, &a);
	is_dbl(a.saved_baseline, 0, "a policy against itself saves 0");
	is_dbl(a.cost_seconds_mean, NAN, "no seconds: none reported");
	is_dbl(a.saved_baseline_seconds, NAN, "nor their ratio");
	is_dbl(a.final_worst, 0.3, "worst final, maximising");
	rung_replay_agg_release(&a);

	/* One seed: no sample sd. */
	rung_replay_aggregate(v, b, 1, RUNG_MIN, 1, grid, 4, &a);
	is_dbl(a.cost_steps_sd, NAN, "one seed has no sd");
	is_dbl(a.cost_steps_mean, 40, "its cost is the mean");
	rung_replay_agg_release(&a);

	for (i = 0; i < 3; i++) {
		rung_replay_result_release(&v[i].r);
		rung_replay_result_release(&b[i].r);
	}
}

/*
 * n trials of steps 1 .. len, value c(t) + 1/k with c a permutation of
 * 0 .. n-1 scaled by 0.01; each point of trial t costs 0.25 (t % 4 + 1)
 * seconds when secs is set.
 */
static struct rung_study *
synth(uint32_t n, int32_t len, int secs)
{
	struct rung_study	*s;
	uint32_t		 t, at = 0;
	int32_t			 k;

	s = xcalloc(1, sizeof *s);
	s->name = xstrdup("synth");
	s->curve.name = xstrdup("loss");
	s->direction = RUNG_MIN;
	s->ntrials = n;
	s->ids = xcalloc(n, sizeof *s->ids);
	s->status = xcalloc(n, sizeof *s->status);
	s->curve.off = xcalloc(n + 1, sizeof *s->curve.off);
	s->curve.steps = xcalloc((size_t)n * len, sizeof *s->curve.steps);
	s->curve.vals = xcalloc((size_t)n * len, sizeof *s->curve.vals);
	s->curve.final = xcalloc(n, sizeof *s->curve.final);
	s->curve.best = xcalloc(n, sizeof *s->curve.best);
	if (secs)
		s->secs = xcalloc((size_t)n * len, sizeof *s->secs);
	for (t = 0; t < n; t++) {
		s->ids[t] = xprintf("t%u", t);
		s->curve.off[t] = at;
		for (k = 1; k <= len; k++) {
			s->curve.steps[at] = k;
			s->curve.vals[at] = (float)(0.01 * ((t * 37 + 11) % n) +
			    1.0 / k);
			if (secs)
				s->secs[at] = 0.25f * (float)(t % 4 + 1);
			at++;
		}
		s->curve.final[t] = s->curve.vals[at - 1];
		s->curve.best[t] = s->curve.final[t];
	}
	s->curve.off[n] = at;
	s->max_step = len;
	return s;
}

static int
same_set(const struct rung_replay_set *a, const struct rung_replay_set *b)
{
	uint32_t	 i, k;

	if (a->npolicies != b->npolicies || a->nseeds != b->nseeds ||
	    a->ngrid != b->ngrid)
		return 0;
	for (i = 0; i < a->npolicies * a->nseeds; i++) {
		const struct rung_replay_seed *x = &a->seeds[i], *y = &b->seeds[i];

		if (x->seed != y->seed || x->r.cost_steps != y->r.cost_steps ||
		    x->r.cost_seconds != y->r.cost_seconds ||
		    x->r.returned != y->r.returned ||
		    x->r.end_time != y->r.end_time ||
		    x->random_steps != y->random_steps ||
		    memcmp(&x->random_seconds, &y->random_seconds,
		    sizeof x->random_seconds) != 0)
			return 0;
	}
	for (k = 0; k < a->npolicies; k++) {
		if (memcmp(&a->agg[k].cost_steps_mean,
		    &b->agg[k].cost_steps_mean, sizeof(double)) != 0 ||
		    memcmp(a->agg[k].anytime, b->agg[k].anytime,
		    a->ngrid * sizeof(double)) != 0)
			return 0;
	}
	return 1;
}

static void
test_runs(void)
{
	struct rung_study		*s = synth(150, 81, 1);
	struct rung_sched_params	 p[4];
	struct rung_replay_seeds_opts	 o;
	struct rung_replay_set		 set, set3;
	char				*cause = NULL;
	uint32_t			 i;
	int				 allsame = 1, anydiff = 0;

	rung_sched_params_init(&p[0], RUNG_POLICY_HYPERBAND);
	rung_sched_params_init(&p[1], RUNG_POLICY_RANDOM);
	p[1].max_configs = 143;
	rung_sched_params_init(&p[2], RUNG_POLICY_ASHA);
	p[2].max_configs = 143;
	rung_sched_params_init(&p[3], RUNG_POLICY_ASHA);
	p[3].variant = RUNG_ASHA_PROMOTE;
	p[3].max_configs = 143;
	rung_replay_seeds_opts_init(&o);
	o.nseeds = 5;
	o.seed = 42;
	o.threads = 1;

	ok(rung_replay_seeds(s, p, 4, 0, &o, &set, &cause) == 0,
	    "four policies over five seeds");
	is_int(set.npool, 150, "pool of 150");
	is_int(set.ngrid, 50, "50 anytime points");
	for (i = 0; i < 5; i++) {
		allsame &= set.seeds[i].r.cost_steps == 1581;
		allsame &= set.seeds[i].seed == 42 + i;
		allsame &= set.seeds[5 + i].seed == 42 + i;
	}
	ok(allsame, "hyperband costs 1581 on every seed; seeds 42 .. 46");
	is_dbl(set.agg[0].saved_baseline, 0, "the baseline saves 0");
	is_dbl(set.agg[0].cost_steps_sd, 0, "and has no spread");
	is_dbl(set.agg[1].saved_random, 0, "random search saves nothing "
	    "against itself in steps");
	is_dbl(set.agg[1].saved_random_seconds, 0, "nor in seconds (the "
	    "same configurations)");
	is_int(set.seeds[5].random_steps, 143 * 81, "143 x 81 steps");
	is_dbl(set.agg[0].saved_random, 1 - 1581.0 / (143 * 81),
	    "hyperband against random search");
	ok(set.agg[0].saved_random_seconds > 0 &&
	    set.agg[0].saved_random_seconds < 1,
	    "hyperband saves seconds too: %g",
	    set.agg[0].saved_random_seconds);
	is_dbl(set.grid[49], (double)set.seeds[5].r.cost_steps,
	    "the grid ends at the largest cost (random search)");
	for (i = 1; i < 5; i++)
		anydiff |= set.seeds[10 + i].r.cost_steps !=
		    set.seeds[10].r.cost_steps;
	ok(anydiff, "asha's cost differs between seeds");

	o.threads = 3;
	ok(rung_replay_seeds(s, p, 4, 0, &o, &set3, &cause) == 0,
	    "again on three threads");
	ok(same_set(&set, &set3), "the same result, bit for bit");
	rung_replay_set_release(&set3);
	rung_replay_set_release(&set);

	o.replay.resume = 0;
	o.nseeds = 2;
	ok(rung_replay_seeds(s, p, 1, 0, &o, &set, &cause) == 0,
	    "hyperband without resume");
	is_int(set.seeds[0].r.cost_steps, 1902, "costs 1902");
	rung_replay_set_release(&set);

	p[1].max_configs = 151;
	ok(rung_replay_seeds(s, p, 2, 0, &o, &set, &cause) != 0,
	    "a pool too small fails");
	ok(cause != NULL && strstr(cause, "random, seed 42") != NULL,
	    "naming the policy and the first seed: %s", cause);
	ok(set.seeds == NULL && set.agg == NULL, "and leaves nothing");
	free(cause);
	cause = NULL;
	ok(rung_replay_seeds(s, p, 2, 2, &o, &set, &cause) != 0 &&
	    cause != NULL, "a baseline out of range is refused");
	free(cause);
	rung_study_free(s);
}

int
main(void)
{
	test_anytime();
	test_aggregate();
	test_runs();
	return done_testing();
}
