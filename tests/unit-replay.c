/*
 * The replay simulator on synthetic studies built by hand: the compute
 * totals of algorithms.md 1 and 5, the quality of what a policy returns,
 * determinism, and the errors.
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

/*
 * n trials; trial t records steps 1 .. len(t), len(t) = steps for all but
 * the last short ones. Trial t's value at step k is c(t) + 1 / k, with c a
 * permutation of 0 .. n-1 scaled by 0.01, so curves never cross and trial
 * t's final rank is known. Every point costs 0.25 * (k % 4 + 1) seconds
 * when secs is set.
 */
static uint32_t
perm(uint32_t t, uint32_t n)
{
	return (t * 37 + 11) % n;	/* n coprime with 37 */
}

static struct rung_study *
synth(uint32_t n, int32_t steps, uint32_t nshort, int secs,
    enum rung_direction dir)
{
	struct rung_study	*s;
	uint32_t		 t, at = 0, total;
	int32_t			 k, len;
	double			 c;

	s = xcalloc(1, sizeof *s);
	s->name = xstrdup("synth");
	s->curve.name = xstrdup("loss");
	s->direction = dir;
	s->ntrials = n;
	total = n * (uint32_t)steps;
	s->ids = xcalloc(n, sizeof *s->ids);
	s->status = xcalloc(n, sizeof *s->status);
	s->curve.off = xcalloc(n + 1, sizeof *s->curve.off);
	s->curve.steps = xcalloc(total, sizeof *s->curve.steps);
	s->curve.vals = xcalloc(total, sizeof *s->curve.vals);
	s->curve.final = xcalloc(n, sizeof *s->curve.final);
	s->curve.best = xcalloc(n, sizeof *s->curve.best);
	if (secs)
		s->secs = xcalloc(total, sizeof *s->secs);
	for (t = 0; t < n; t++) {
		s->ids[t] = xprintf("t%u", t);
		s->curve.off[t] = at;
		len = t >= n - nshort ? steps / 2 : steps;
		c = 0.01 * perm(t, n);
		for (k = 1; k <= len; k++) {
			s->curve.steps[at] = k;
			s->curve.vals[at] = (float)(c + 1.0 / k);
			if (dir == RUNG_MAX)
				s->curve.vals[at] = -s->curve.vals[at];
			if (secs)
				s->secs[at] = 0.25f * (float)(k % 4 + 1);
			at++;
		}
		s->curve.final[t] = s->curve.vals[at - 1];
		s->curve.best[t] = s->curve.final[t];
	}
	s->curve.off[n] = at;
	s->max_step = steps;
	return s;
}

static int
run(const struct rung_study *s, struct rung_sched_params *p, uint32_t workers,
    int resume, uint64_t seed, struct rung_replay_result *r)
{
	struct rung_replay_opts	 o;
	char			*cause = NULL;

	rung_replay_opts_init(&o);
	o.workers = workers;
	o.resume = resume;
	if (rung_replay_run(s, p, &o, seed, r, &cause) != 0) {
		printf("# replay: %s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static void
test_hyperband(void)
{
	struct rung_study		*s = synth(150, 81, 0, 0, RUNG_MIN);
	struct rung_study		*s2 = synth(170, 100, 0, 0, RUNG_MIN);
	struct rung_sched_params	 p;
	struct rung_replay_result	 r, r4;

	rung_sched_params_init(&p, RUNG_POLICY_HYPERBAND);
	ok(run(s, &p, 1, 1, 1, &r) == 0, "hyperband R=81 runs");
	is_int(r.cost_steps, 1581, "hyperband R=81 eta=3 with resume: 1581");
	is_int(r.nstarted, 143, "hyperband R=81: 143 configurations");
	is_int(r.npool, 150, "pool of 150");
	is_dbl(r.end_time, 1581, "1 worker: end time = steps");
	is_dbl(r.cost_seconds, 0, "no seconds recorded: 0");
	is_int(r.returned_step, 81, "returned at step 81");
	ok(!r.exhausted && !r.budget_spent, "neither exhausted nor budget");
	ok(r.ntrace >= 1 && r.trace_final[r.ntrace - 1] ==
	    r.returned_final, "trace ends at the returned final");
	rung_replay_result_release(&r);

	ok(run(s, &p, 1, 0, 1, &r) == 0, "hyperband without resume runs");
	is_int(r.cost_steps, 1902, "hyperband R=81 eta=3 from scratch: 1902");
	rung_replay_result_release(&r);

	ok(run(s, &p, 1, 1, 7, &r) == 0 && run(s, &p, 4, 1, 7, &r4) == 0,
	    "hyperband with 1 and 4 workers");
	is_int(r4.cost_steps, r.cost_steps,
	    "synchronous hyperband: same steps with 4 workers");
	ok(r4.end_time < r.end_time, "4 workers end sooner (%g < %g)",
	    r4.end_time, r.end_time);
	rung_replay_result_release(&r);
	rung_replay_result_release(&r4);

	p.eta = 2;
	p.max_r = 100;
	ok(run(s2, &p, 1, 1, 3, &r) == 0, "hyperband R=100 eta=2 runs");
	is_int(r.cost_steps, 3213, "hyperband R=100 eta=2 with resume: 3213");
	is_int(r.nstarted, 163, "R=100 eta=2: 163 configurations");
	rung_replay_result_release(&r);
	rung_study_free(s);
	rung_study_free(s2);
}

static void
test_random_sha(void)
{
	struct rung_study		*s = synth(27, 27, 0, 0, RUNG_MIN);
	struct rung_study		*m = synth(27, 27, 0, 0, RUNG_MAX);
	struct rung_sched_params	 p;
	struct rung_replay_result	 r;
	uint32_t			 t;

	rung_sched_params_init(&p, RUNG_POLICY_RANDOM);
	p.max_r = 27;
	p.max_configs = 10;
	ok(run(s, &p, 1, 1, 5, &r) == 0, "random runs");
	is_int(r.cost_steps, 10 * 27, "random 10 configurations: 10 * R");
	is_int(r.nstarted, 10, "random: 10 started");
	rung_replay_result_release(&r);

	/* sha n = 27 at r = 1 on a pool of 27: sees every trial. */
	rung_sched_params_init(&p, RUNG_POLICY_SHA);
	p.max_r = 27;
	for (t = 0; t < 2; t++) {
		ok(run(t ? m : s, &p, 1, 1, 9 + t, &r) == 0, "sha runs (%s)",
		    t ? "max" : "min");
		is_int(r.nstarted, 27, "sha: 27 configurations");
		is_int(perm(r.returned, 27), 0, "sha returns the true best");
		ok(r.top1 && r.top5, "sha: top-1 and top 5%%");
		is_dbl(r.regret, 0, "sha: no regret");
		is_dbl(r.returned_final, t ? -(float)(1.0 / 27) :
		    (float)(1.0 / 27), "sha: its final in the original sign");
		rung_replay_result_release(&r);
	}
	rung_study_free(s);
	rung_study_free(m);
}

static void
test_seconds(void)
{
	struct rung_study		*s = synth(12, 9, 0, 1, RUNG_MIN);
	struct rung_sched_params	 p;
	struct rung_replay_result	 r;
	double				 want = 0;
	uint32_t			 i;

	/* All 12 to step 9: every recorded second. */
	for (i = 0; i < s->curve.off[12]; i++)
		want += s->secs[i];
	rung_sched_params_init(&p, RUNG_POLICY_RANDOM);
	p.max_r = 9;
	p.max_configs = 12;
	ok(run(s, &p, 1, 1, 2, &r) == 0, "random with seconds runs");
	is_dbl(r.cost_seconds, want, "seconds cost is their sum");
	is_dbl(r.end_time, want, "1 worker: end time is the seconds");
	is_int(r.cost_steps, 12 * 9, "steps still counted");
	rung_replay_result_release(&r);

	ok(run(s, &p, 3, 1, 2, &r) == 0, "with 3 workers");
	is_dbl(r.cost_seconds, want, "3 workers: same seconds");
	ok(r.end_time < want, "3 workers: sooner");
	rung_replay_result_release(&r);
	rung_study_free(s);
}

static void
test_determinism(void)
{
	struct rung_study		*s = synth(150, 81, 0, 1, RUNG_MIN);
	struct rung_sched_params	 p;
	struct rung_replay_result	 a, b, c;
	uint64_t			 rnd;

	rung_sched_params_init(&p, RUNG_POLICY_ASHA);
	p.max_configs = 60;
	ok(run(s, &p, 4, 1, 42, &a) == 0 && run(s, &p, 4, 1, 42, &b) == 0,
	    "asha stop twice with seed 42");
	ok(a.cost_steps == b.cost_steps && memcmp(&a.cost_seconds,
	    &b.cost_seconds, sizeof a.cost_seconds) == 0 &&
	    memcmp(&a.end_time, &b.end_time, sizeof a.end_time) == 0 &&
	    a.returned == b.returned && a.ntrace == b.ntrace &&
	    memcmp(a.trace_steps, b.trace_steps, a.ntrace *
	    sizeof *a.trace_steps) == 0 && memcmp(a.trace_final,
	    b.trace_final, a.ntrace * sizeof *a.trace_final) == 0 &&
	    memcmp(a.trace_time, b.trace_time, a.ntrace *
	    sizeof *a.trace_time) == 0, "same seed: bit-identical result");
	is_int(a.nstarted, 60, "asha stop (ray): 60 configurations");
	ok(a.cost_steps <= 60 * 81, "asha stop costs <= random (%llu <= %d)",
	    (unsigned long long)a.cost_steps, 60 * 81);
	ok(a.cost_steps < 60 * 81, "asha stop stopped something");
	ok(a.returned != UINT32_MAX && a.regret >= 0, "asha returned one");

	p.policy = RUNG_POLICY_RANDOM;
	ok(run(s, &p, 4, 1, 42, &c) == 0, "random, same configurations");
	rnd = c.cost_steps;
	ok(a.cost_steps <= rnd, "asha stop <= random with 4 workers");
	rung_replay_result_release(&a);
	rung_replay_result_release(&b);
	rung_replay_result_release(&c);

	ok(run(s, &p, 1, 1, 43, &a) == 0, "another seed");
	ok(run(s, &p, 1, 1, 42, &b) == 0, "seed 42");
	ok(a.returned != b.returned || a.trace_steps[0] != b.trace_steps[0] ||
	    a.ntrace != b.ntrace, "another seed draws another order");
	rung_replay_result_release(&a);
	rung_replay_result_release(&b);
	rung_study_free(s);
}

/* Everything a replay's result holds, bit for bit. */
static int
bit_identical(const struct rung_replay_result *a,
    const struct rung_replay_result *b)
{
	return a->cost_steps == b->cost_steps && memcmp(&a->cost_seconds,
	    &b->cost_seconds, sizeof a->cost_seconds) == 0 &&
	    memcmp(&a->end_time, &b->end_time, sizeof a->end_time) == 0 &&
	    a->npool == b->npool && a->nstarted == b->nstarted &&
	    a->exhausted == b->exhausted &&
	    a->budget_spent == b->budget_spent &&
	    a->npoints == b->npoints && a->nquiet == b->nquiet &&
	    a->nlookups == b->nlookups && a->tail_quiet == b->tail_quiet &&
	    a->returned == b->returned &&
	    a->returned_step == b->returned_step &&
	    memcmp(&a->returned_final, &b->returned_final,
	    sizeof a->returned_final) == 0 &&
	    memcmp(&a->time_to_best, &b->time_to_best,
	    sizeof a->time_to_best) == 0 &&
	    a->steps_to_best == b->steps_to_best && a->ntrace == b->ntrace &&
	    memcmp(a->trace_steps, b->trace_steps, a->ntrace *
	    sizeof *a->trace_steps) == 0 && memcmp(a->trace_final,
	    b->trace_final, a->ntrace * sizeof *a->trace_final) == 0 &&
	    memcmp(a->trace_time, b->trace_time, a->ntrace *
	    sizeof *a->trace_time) == 0 && memcmp(a->started, b->started,
	    a->nstarted * sizeof *a->started) == 0 &&
	    memcmp(a->started_reached, b->started_reached, a->nstarted *
	    sizeof *a->started_reached) == 0;
}

/*
 * One scratch over policies and seeds in turn, two replays of a seed
 * after each other (its order kept), schedulers reset, a budget now and
 * then: each result what a replay of its own gives.
 */
static void
test_scratch(void)
{
	struct rung_study		*s = synth(150, 81, 0, 0, RUNG_MIN);
	struct rung_replay_scratch	*x = rung_replay_scratch_new();
	struct rung_sched_params	 p[6];
	struct rung_replay_opts		 o;
	struct rung_replay_result	 a, b;
	char				*cause = NULL;
	uint32_t			 i, k, bad = 0, n = 0;

	rung_sched_params_init(&p[0], RUNG_POLICY_ASHA);
	p[0].rule = RUNG_RULE_OPTUNA;
	p[0].max_configs = 40;
	rung_sched_params_init(&p[1], RUNG_POLICY_ASHA);
	p[1].brackets = 3;
	p[1].max_configs = 50;
	rung_sched_params_init(&p[2], RUNG_POLICY_HYPERBAND);
	rung_sched_params_init(&p[3], RUNG_POLICY_SHA);
	p[3].max_configs = 27;
	rung_sched_params_init(&p[4], RUNG_POLICY_ASHA);
	p[4].variant = RUNG_ASHA_PROMOTE;
	p[4].max_configs = 30;
	rung_sched_params_init(&p[5], RUNG_POLICY_RANDOM);
	p[5].max_configs = 20;
	for (i = 0; i < 6; i++)
		p[i].max_r = 81;
	rung_replay_opts_init(&o);
	for (i = 0; i < 40; i++) {
		for (k = 0; k < 6; k++) {
			o.workers = 1 + (i + k) % 3;
			o.budget = (i + k) % 4 == 0 ? 500 : 0;
			o.resume = (i + k) % 5 != 0;
			if (rung_replay_run_in(x, s, &p[(k + i) % 6], &o,
			    i / 2, &a, &cause) != 0 || rung_replay_run(s,
			    &p[(k + i) % 6], &o, i / 2, &b, &cause) != 0) {
				printf("# replay: %s\n", cause);
				free(cause);
				cause = NULL;
				bad++;
				continue;
			}
			bad += !bit_identical(&a, &b);
			n++;
			rung_replay_result_release(&a);
			rung_replay_result_release(&b);
		}
	}
	is_int(bad, 0, "%u replays on one scratch: each as on its own", n);
	rung_replay_scratch_free(x);
	rung_study_free(s);
}

static void
test_budget_errors(void)
{
	struct rung_study		*s = synth(150, 81, 140, 0, RUNG_MIN);
	struct rung_sched_params	 p;
	struct rung_replay_opts		 o;
	struct rung_replay_result	 r;
	char				*cause = NULL;
	uint32_t			 i;
	int				 rc;

	rung_sched_params_init(&p, RUNG_POLICY_HYPERBAND);
	rc = rung_replay_run(s, &p, NULL, 1, &r, &cause);
	ok(rc == -1, "hyperband on 10 full trials refused");
	ok(cause != NULL && strstr(cause, "10 trials") != NULL &&
	    strstr(cause, "143") != NULL, "names have and need: %s",
	    cause ? cause : "(null)");
	free(cause);
	cause = NULL;
	rung_study_free(s);

	s = synth(20, 81, 0, 0, RUNG_MIN);
	rung_sched_params_init(&p, RUNG_POLICY_RANDOM);
	p.max_configs = 20;
	rung_replay_opts_init(&o);
	o.budget = 200;
	ok(rung_replay_run(s, &p, &o, 1, &r, &cause) == 0, "with a budget");
	ok(r.budget_spent && r.cost_steps >= 200 && r.cost_steps < 200 + 81,
	    "budget stops the run (%llu steps)",
	    (unsigned long long)r.cost_steps);
	rung_replay_result_release(&r);

	p.max_r = 90;
	rc = rung_replay_run(s, &p, NULL, 1, &r, &cause);
	ok(rc == -1 && cause != NULL && strstr(cause, "0 trials") != NULL,
	    "nothing reaches step 90: %s", cause ? cause : "(null)");
	free(cause);
	cause = NULL;

	p.max_r = 81;
	p.max_configs = 0;
	rc = rung_replay_run(s, &p, NULL, 1, &r, &cause);
	ok(rc == -1 && cause != NULL, "invalid parameters refused: %s",
	    cause ? cause : "(null)");
	free(cause);
	cause = NULL;

	/* asha stop, unlimited: runs until the pool is spent. */
	rung_sched_params_init(&p, RUNG_POLICY_ASHA);
	ok(rung_replay_run(s, &p, NULL, 1, &r, &cause) == 0,
	    "asha stop unlimited runs");
	ok(r.nstarted == 20 && r.exhausted, "asha stop unlimited: the whole "
	    "pool, then it ends (%u started)", r.nstarted);
	rung_replay_result_release(&r);

	/* asha promote with 3 workers. */
	p.variant = RUNG_ASHA_PROMOTE;
	p.max_configs = 20;
	p.max_r = 27;
	rung_replay_opts_init(&o);
	o.workers = 3;
	ok(rung_replay_run(s, &p, &o, 1, &r, &cause) == 0,
	    "asha promote with 3 workers runs");
	ok(r.nstarted == 20 && !r.exhausted && r.cost_steps < 20 * 27 &&
	    r.returned_step == 27, "asha promote: 20 started, %llu steps, "
	    "returned at %d", (unsigned long long)r.cost_steps,
	    (int)r.returned_step);
	rung_replay_result_release(&r);
	rung_study_free(s);

	/* Every third step recorded: sha asks for step 1. */
	s = synth(9, 9, 0, 0, RUNG_MIN);
	for (i = 0; i < s->curve.off[9]; i++)
		s->curve.steps[i] = 3 * (int32_t)(i - s->curve.off[i / 9]) + 3;
	rung_sched_params_init(&p, RUNG_POLICY_SHA);
	p.max_r = 27;
	p.max_configs = 9;
	rc = rung_replay_run(s, &p, NULL, 1, &r, &cause);
	ok(rc == -1 && cause != NULL && strstr(cause, "step 1") != NULL,
	    "a step never recorded: %s", cause ? cause : "(null)");
	free(cause);
	rung_study_free(s);
}

static void
test_nan(void)
{
	struct rung_study		*s = synth(9, 9, 0, 0, RUNG_MIN);
	struct rung_sched_params	 p;
	struct rung_replay_result	 r;
	uint32_t			 i, t;

	/* The true best diverges: its NaN is never chosen. */
	for (t = 0; t < 9; t++) {
		if (perm(t, 9) == 0)
			break;
	}
	for (i = s->curve.off[t]; i < s->curve.off[t + 1]; i++)
		s->curve.vals[i] = NAN;
	s->curve.final[t] = NAN;
	rung_sched_params_init(&p, RUNG_POLICY_RANDOM);
	p.max_r = 9;
	p.max_configs = 9;
	ok(run(s, &p, 2, 1, 1, &r) == 0, "random with a NaN trial");
	ok(r.returned != t && perm(r.returned, 9) == 1,
	    "NaN never returned; the next best is");
	ok(r.top1 && r.regret == 0, "best among finite finals");
	rung_replay_result_release(&r);
	rung_study_free(s);
}

/*
 * n trials with hyperparameters x0 .. x3 uniform on [0, 1) and an
 * irrelevant categorical; trial t's value at step k is q(t) + 1 / k,
 * q = sum (x_i - 0.3)^2, over steps 1 .. steps.
 */
static struct rung_study *
synth_hp(uint32_t n, int32_t steps, enum rung_direction dir)
{
	struct rung_study	*s = synth(n, steps, 0, 0, dir);
	struct rung_param	*p;
	struct rung_rng		 rng;
	uint32_t		 t, i, j;
	double			 q;

	s->nparams = 5;
	s->params = xcalloc(5, sizeof *s->params);
	rung_rng_seed(&rng, 1234);
	for (j = 0; j < 5; j++) {
		p = &s->params[j];
		p->name = xprintf("x%u", j);
		p->type = j < 4 ? RUNG_PREAL : RUNG_PCAT;
		if (j < 4)
			p->num = xcalloc(n, sizeof *p->num);
		else {
			p->cat = xcalloc(n, sizeof *p->cat);
			p->nlevels = 3;
			p->levels = xcalloc(3, sizeof *p->levels);
			for (i = 0; i < 3; i++)
				p->levels[i] = xprintf("l%u", i);
		}
		for (t = 0; t < n; t++) {
			if (j < 4)
				p->num[t] = rung_rng_uniform(&rng);
			else
				p->cat[t] = (uint32_t)(3 *
				    rung_rng_uniform(&rng));
		}
	}
	for (t = 0; t < n; t++) {
		for (j = 0, q = 0; j < 4; j++)
			q += (s->params[j].num[t] - 0.3) *
			    (s->params[j].num[t] - 0.3);
		for (i = s->curve.off[t]; i < s->curve.off[t + 1]; i++) {
			s->curve.vals[i] = (float)(q + 1.0 / s->curve.steps[i]);
			if (dir == RUNG_MAX)
				s->curve.vals[i] = -s->curve.vals[i];
		}
		s->curve.final[t] = s->curve.best[t] =
		    s->curve.vals[s->curve.off[t + 1] - 1];
	}
	return s;
}

static int
run_sampler(const struct rung_study *s, const struct rung_sched_params *p,
    enum rung_sampler sampler, uint32_t workers, uint64_t seed,
    struct rung_replay_result *r)
{
	struct rung_replay_opts	 o;
	char			*cause = NULL;

	rung_replay_opts_init(&o);
	o.workers = workers;
	o.sampler = sampler;
	if (rung_replay_run(s, p, &o, seed, r, &cause) != 0) {
		printf("# replay: %s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static int
same_result(const struct rung_replay_result *a,
    const struct rung_replay_result *b)
{
	return a->cost_steps == b->cost_steps && a->end_time == b->end_time &&
	    a->nstarted == b->nstarted && a->returned == b->returned &&
	    a->returned_final == b->returned_final &&
	    a->time_to_best == b->time_to_best && a->ntrace == b->ntrace &&
	    memcmp(a->trace_steps, b->trace_steps, a->ntrace *
	    sizeof *a->trace_steps) == 0 && memcmp(a->trace_final,
	    b->trace_final, a->ntrace * sizeof *a->trace_final) == 0;
}

/*
 * --sampler tpe: hyperband returns better configurations than with random
 * sampling over 20 seeds, maximised metrics alike, and each seed's replay
 * is bit-identical when run again.
 */
static void
test_tpe(void)
{
	struct rung_study		*s;
	struct rung_sched_params	 p;
	struct rung_replay_result	 r, r2;
	enum rung_direction		 dir;
	uint64_t			 seed, nseeds;
	double				 tpe, rnd;
	int				 fails, same, wins, top1;

	rung_sched_params_init(&p, RUNG_POLICY_HYPERBAND);
	for (dir = RUNG_MIN; dir <= RUNG_MAX; dir++) {
		s = synth_hp(600, 81, dir);
		nseeds = dir == RUNG_MIN ? 20 : 5;
		tpe = rnd = 0;
		fails = wins = top1 = 0;
		same = 1;
		for (seed = 1; seed <= nseeds; seed++) {
			fails += run_sampler(s, &p, RUNG_SAMPLER_TPE, 1, seed,
			    &r) != 0;
			if (seed <= 3) {
				fails += run_sampler(s, &p, RUNG_SAMPLER_TPE, 1,
				    seed, &r2) != 0;
				same &= same_result(&r, &r2);
				rung_replay_result_release(&r2);
			}
			fails += run_sampler(s, &p, RUNG_SAMPLER_RANDOM, 1,
			    seed, &r2) != 0;
			tpe += fabs(r.returned_final) / nseeds;
			rnd += fabs(r2.returned_final) / nseeds;
			wins += fabs(r.returned_final) <=
			    fabs(r2.returned_final);
			top1 += r.top1;
			rung_replay_result_release(&r);
			rung_replay_result_release(&r2);
		}
		is_int(fails, 0, "%s: hyperband replays with tpe and random",
		    rung_direction_name(dir));
		ok(same, "%s: tpe bit-identical per seed",
		    rung_direction_name(dir));
		/* Finals are q + 1/81: compare q. */
		ok(tpe - 1.0 / 81 < 0.5 * (rnd - 1.0 / 81) &&
		    wins * 4 >= (int)nseeds * 3, "%s: tpe's mean final q %.5f, "
		    "random's %.5f; tpe as good or better in %d of %d seeds, "
		    "the pool's best in %d", rung_direction_name(dir),
		    tpe - 1.0 / 81, rnd - 1.0 / 81, wins, (int)nseeds, top1);
		rung_study_free(s);
	}

	/* 4 workers: still deterministic. */
	s = synth_hp(600, 81, RUNG_MIN);
	ok(run_sampler(s, &p, RUNG_SAMPLER_TPE, 4, 3, &r) == 0 &&
	    run_sampler(s, &p, RUNG_SAMPLER_TPE, 4, 3, &r2) == 0 &&
	    same_result(&r, &r2), "tpe with 4 workers: bit-identical");
	is_int(r.nstarted, 143, "tpe: 143 configurations, as random");
	rung_replay_result_release(&r);
	rung_replay_result_release(&r2);
	rung_study_free(s);
}

int
main(void)
{
	test_hyperband();
	test_random_sha();
	test_seconds();
	test_determinism();
	test_scratch();
	test_budget_errors();
	test_nan();
	test_tpe();
	return done_testing();
}
