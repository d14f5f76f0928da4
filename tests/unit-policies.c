/*
 * The predictor-driven policies (swift-hyperband, baker, asha-svr) on
 * synthetic studies whose curves cross, so that a prefix predicts the final
 * value but does not simply rank it: what they cost against their plain
 * counterparts, that they reduce to them when no predictor can be trained,
 * that they learn only from what was reported, and that a saved state
 * restores to the same decisions.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/predict.h"
#include "rung/replay.h"
#include "rung/sched.h"
#include "rung/study.h"
#include "rung/xmalloc.h"
#include "tap.h"

/* A fixed hash of (t, salt) to [0, 1). */
static double
h01(uint32_t t, uint32_t salt)
{
	struct rung_rng	 r;

	rung_rng_seed(&r, (uint64_t)t * 7919 + salt);
	return rung_rng_uniform(&r);
}

/*
 * n trials of steps steps: value(t, k) = a + b / sqrt(k), a in [0, 1),
 * b in [0, 2): curves cross, and two points of a prefix give the final.
 */
static struct rung_study *
crossing(uint32_t n, int32_t steps)
{
	struct rung_study	*s;
	uint32_t		 t, at = 0, total = n * (uint32_t)steps;
	int32_t			 k;
	double			 a, b;

	s = xcalloc(1, sizeof *s);
	s->name = xstrdup("crossing");
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
		a = h01(t, 1);
		b = 2 * h01(t, 2);
		for (k = 1; k <= steps; k++) {
			s->curve.steps[at] = k;
			s->curve.vals[at++] = (float)(a + b / sqrt(k));
		}
		s->curve.final[t] = s->curve.vals[at - 1];
		s->curve.best[t] = s->curve.final[t];
	}
	s->curve.off[n] = at;
	s->max_step = steps;
	return s;
}

static int
run(const struct rung_study *s, const struct rung_sched_params *p,
    uint64_t seed, struct rung_replay_result *r)
{
	char	*cause = NULL;

	if (rung_replay_run(s, p, NULL, seed, r, &cause) != 0) {
		printf("# replay: %s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static void
params(struct rung_sched_params *p, enum rung_policy policy)
{
	rung_sched_params_init(p, policy);
	p->eta = 2;
	p->min_r = 1;
	p->max_r = 100;
	p->max_configs = 163;
}

/* The run itself: what it trained, returned and saw. */
static int
same_run(const struct rung_replay_result *a,
    const struct rung_replay_result *b, uint32_t ntrials)
{
	return a->cost_steps == b->cost_steps &&
	    a->cost_seconds == b->cost_seconds &&
	    a->end_time == b->end_time && a->nstarted == b->nstarted &&
	    a->returned == b->returned &&
	    a->returned_step == b->returned_step &&
	    a->steps_to_best == b->steps_to_best &&
	    memcmp(a->reached, b->reached, ntrials * sizeof *a->reached) == 0;
}

static void
test_swift(void)
{
	struct rung_study		*s = crossing(400, 100);
	struct rung_sched_params	 p, h;
	struct rung_replay_result	 rs, rh;
	double				 sum_s = 0, sum_h = 0;
	uint64_t			 seed;
	int				 same = 1, top5 = 0, rc;

	params(&h, RUNG_POLICY_HYPERBAND);
	params(&p, RUNG_POLICY_SWIFT);
	p.min_curves = 1000000;
	rc = run(s, &h, 3, &rh) | run(s, &p, 3, &rs);
	ok(rc == 0 && same_run(&rs, &rh, s->ntrials) &&
	    rs.cost_steps == 3213, "swift-hyperband with no predictor ever "
	    "trained is hyperband: every configuration trained fully, %llu "
	    "steps", (unsigned long long)rs.cost_steps);
	rung_replay_result_release(&rs);
	rung_replay_result_release(&rh);

	p.min_curves = 15;
	for (seed = 0; seed < 10; seed++) {
		if (run(s, &p, seed, &rs) != 0 || run(s, &h, seed, &rh) != 0) {
			same = 0;
			break;
		}
		sum_s += (double)rs.cost_steps;
		sum_h += (double)rh.cost_steps;
		top5 += rs.top5;
		if (rs.returned_final > rh.returned_final + 0.05)
			same = 0;
		rung_replay_result_release(&rs);
		rung_replay_result_release(&rh);
	}
	ok(same && sum_s < 0.97 * sum_h, "swift-hyperband trains less than "
	    "hyperband over 10 seeds (%.0f against %.0f steps) and returns "
	    "as good a configuration", sum_s / 10, sum_h / 10);
	ok(top5 >= 8, "swift-hyperband returns a top-5%% configuration in %d "
	    "of 10 seeds", top5);

	p.known_curve = 0;
	ok(run(s, &p, 0, &rs) != 0, "known_curve 0 is refused");
	rung_study_free(s);
}

static void
test_baker(void)
{
	struct rung_study		*s = crossing(300, 100);
	struct rung_sched_params	 p, r;
	struct rung_replay_result	 rb, rr, rl;
	int				 rc;

	params(&p, RUNG_POLICY_BAKER);
	params(&r, RUNG_POLICY_RANDOM);
	p.max_configs = r.max_configs = 120;
	rc = run(s, &p, 5, &rb) | run(s, &r, 5, &rr);
	ok(rc == 0, "baker and random replay the same 120 configurations");
	ok(rb.cost_steps < rr.cost_steps && rr.cost_steps == 12000,
	    "baker stops trials early: %llu steps against random's %llu",
	    (unsigned long long)rb.cost_steps,
	    (unsigned long long)rr.cost_steps);
	ok(rb.returned_final <= rr.returned_final + 0.02, "and returns about "
	    "as good a configuration (%.4f against %.4f)", rb.returned_final,
	    rr.returned_final);
	p.delta = 0.6;
	rc = run(s, &p, 5, &rl);
	ok(rc == 0 && rl.cost_steps < rb.cost_steps,
	    "a lower delta stops more (%llu steps at 0.6)",
	    (unsigned long long)rl.cost_steps);
	rung_replay_result_release(&rb);
	rung_replay_result_release(&rr);
	rung_replay_result_release(&rl);
	p.delta = 0;
	ok(run(s, &p, 5, &rl) != 0, "delta 0 is refused");
	rung_study_free(s);
}

static void
test_asha_svr(void)
{
	struct rung_study		*s = crossing(300, 100);
	struct rung_sched_params	 p, a;
	struct rung_replay_result	 rs, ra;
	int				 rc;

	params(&a, RUNG_POLICY_ASHA);
	params(&p, RUNG_POLICY_ASHA_SVR);
	/* Trained on full curves only, as before --svr-train. */
	p.svr_train = RUNG_SVR_TRAIN_FULL;
	p.min_curves = 1000000;
	run(s, &a, 2, &ra);
	ok(run(s, &p, 2, &rs) == 0 && same_run(&rs, &ra, s->ntrials),
	    "asha-svr without a predictor is asha");
	rung_replay_result_release(&rs);
	p.min_curves = 5;
	rc = run(s, &p, 2, &rs);
	ok(rc == 0 && !same_run(&rs, &ra, s->ntrials) &&
	    rs.top5, "with one, its rungs rank by prediction: another run, "
	    "a top-5%% configuration returned (%.4f, asha %.4f)",
	    rs.returned_final, ra.returned_final);
	rung_replay_result_release(&rs);
	rung_replay_result_release(&ra);

	a.variant = p.variant = RUNG_ASHA_PROMOTE;
	ok(run(s, &p, 2, &rs) == 0 && run(s, &a, 2, &ra) == 0,
	    "asha-svr, promotion variant, replays");
	rung_replay_result_release(&rs);
	rung_replay_result_release(&ra);
	rung_study_free(s);
}

/*
 * Whatever lies beyond what a replay reported cannot change it: every
 * point past the highest step a trial was seen at becomes garbage (NaN,
 * huge, negative) and the run is the same, bit for bit.
 */
static void
test_garbage(void)
{
	static const enum rung_policy pol[] = { RUNG_POLICY_HYPERBAND,
	    RUNG_POLICY_SWIFT, RUNG_POLICY_BAKER, RUNG_POLICY_ASHA_SVR };
	struct rung_study		*s = crossing(300, 100), *g;
	struct rung_sched_params	 p;
	struct rung_replay_result	 r1, r2;
	uint32_t			 i, t, k, changed;

	for (i = 0; i < sizeof pol / sizeof pol[0]; i++) {
		params(&p, pol[i]);
		p.max_configs = 120;
		p.min_curves = 8;
		if (run(s, &p, 11, &r1) != 0) {
			ok(0, "%s replays", rung_policy_name(pol[i]));
			continue;
		}
		g = crossing(300, 100);
		changed = 0;
		for (t = 0; t < g->ntrials; t++) {
			for (k = g->curve.off[t]; k < g->curve.off[t + 1];
			    k++) {
				if (g->curve.steps[k] <= r1.reached[t])
					continue;
				g->curve.vals[k] = k % 3 == 0 ? NAN :
				    k % 3 == 1 ? 1e30f : -1e30f;
				changed++;
			}
		}
		ok(run(g, &p, 11, &r2) == 0 && same_run(&r1, &r2, s->ntrials) &&
		    changed > 0, "%s: %u points it never saw replaced by "
		    "garbage, the same run to the last bit",
		    rung_policy_name(pol[i]), changed);
		rung_replay_result_release(&r1);
		rung_replay_result_release(&r2);
		rung_study_free(g);
	}
	rung_study_free(s);
}

/*
 * A one-worker simulation by hand: run each action over the study's
 * curves, reporting every step. Returns a digest of every action and
 * decision, so two schedulers can be compared call by call.
 */
struct sim {
	const struct rung_study *s;
	uint32_t	*map;		/* handle -> study trial */
	uint32_t	 nmap;
	uint64_t	 digest;
};

static uint64_t
mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h;
}

/* Run up to ncalls actions; 1 when the scheduler is done. */
static int
sim_run(struct sim *m, struct rung_sched *sc, uint32_t ncalls)
{
	struct rung_sched_action a;
	enum rung_decision	 d;
	uint32_t		 c, tr, k;
	int32_t			 step;
	double			 v;

	for (c = 0; c < ncalls; c++) {
		switch (rung_sched_next(sc, &a)) {
		case RUNG_ACT_DONE:
			return 1;
		case RUNG_ACT_WAIT:
			return 1;	/* one worker: cannot happen */
		case RUNG_ACT_START:
			m->map = xreallocarray(m->map, a.trial + 1,
			    sizeof *m->map);
			m->map[a.trial] = m->nmap++;
			break;
		case RUNG_ACT_RESUME:
			break;
		}
		m->digest = mix(m->digest, ((uint64_t)a.kind << 32) ^ a.trial);
		m->digest = mix(m->digest, (uint64_t)a.resource);
		tr = m->map[a.trial];
		for (k = m->s->curve.off[tr]; k < m->s->curve.off[tr + 1];
		    k++) {
			step = m->s->curve.steps[k];
			if (step <= a.from)
				continue;
			v = m->s->curve.vals[k];
			d = rung_sched_report(sc, a.trial, step, v);
			m->digest = mix(m->digest, (uint64_t)d);
			if (d != RUNG_CONTINUE || step >= a.resource)
				break;
		}
	}
	return 0;
}

static void
test_save_restore(void)
{
	static const enum rung_policy pol[] = { RUNG_POLICY_SWIFT,
	    RUNG_POLICY_BAKER, RUNG_POLICY_ASHA_SVR };
	struct rung_study		*s = crossing(300, 100);
	struct rung_sched_params	 p;
	struct rung_sched		*a, *b;
	struct sim			 ma, mb;
	char				*text, *text2, *cause = NULL;
	uint32_t			 i;
	int				 da, db;

	for (i = 0; i < sizeof pol / sizeof pol[0]; i++) {
		params(&p, pol[i]);
		p.max_configs = 100;
		p.min_curves = 6;
		if (rung_sched_new(&p, &a, &cause) != 0) {
			ok(0, "%s: %s", rung_policy_name(pol[i]), cause);
			free(cause);
			continue;
		}
		memset(&ma, 0, sizeof ma);
		ma.s = s;
		sim_run(&ma, a, 60);
		rung_sched_save(a, &text);
		if (rung_sched_restore(text, &b, &cause) != 0) {
			ok(0, "%s restores: %s", rung_policy_name(pol[i]),
			    cause);
			free(cause);
			rung_sched_free(a);
			free(text);
			continue;
		}
		rung_sched_save(b, &text2);
		mb = ma;
		mb.map = xreallocarray(NULL, ma.nmap ? ma.nmap : 1,
		    sizeof *mb.map);
		memcpy(mb.map, ma.map, ma.nmap * sizeof *mb.map);
		da = sim_run(&ma, a, 100000);
		db = sim_run(&mb, b, 100000);
		ok(strcmp(text, text2) == 0 && da == 1 && db == 1 &&
		    ma.digest == mb.digest, "%s: saved after 60 actions and "
		    "restored, the same decisions to the end",
		    rung_policy_name(pol[i]));
		free(text);
		free(text2);
		free(ma.map);
		free(mb.map);
		rung_sched_free(a);
		rung_sched_free(b);
	}
	rung_study_free(s);
}

int
main(void)
{
	test_swift();
	test_baker();
	test_asha_svr();
	test_garbage();
	test_save_restore();
	return done_testing();
}
