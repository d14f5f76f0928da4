/*
 * A replay's work does not grow with the pool it draws from: the same
 * policies replayed on a pool of 1,000 and of 1,000,000 trials, whose
 * curves are all alike so that which trials are drawn cannot change a
 * decision, read the same points and look up the same steps, and keep
 * only what they started. The pool itself (which trials reach max_r, and
 * their finals in order) is set up once per study, as rung_replay_seeds
 * does, and not counted: that is loading the study.
 *
 * What still grows is the draw: to keep every seed's order of the pool
 * as it always was (a Fisher-Yates shuffle of the whole pool, read from
 * its front, whose first element depends on every swap), each replay
 * still shuffles the whole pool. bench/replay.sh times it.
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

#define NSTEPS	3	/* points at steps 1, 3 and 9 */

/* n trials with points at steps 1, 3, 9 of the same values. */
static struct rung_study *
alike(uint32_t n)
{
	static const int32_t	 step[NSTEPS] = { 1, 3, 9 };
	struct rung_study	*s;
	uint32_t		 t, at = 0, total = n * NSTEPS;
	int			 k;

	s = xcalloc(1, sizeof *s);
	s->name = xstrdup("alike");
	s->curve.name = xstrdup("loss");
	s->direction = RUNG_MIN;
	s->ntrials = n;
	s->ids = xcalloc(n, sizeof *s->ids);	/* unnamed */
	s->curve.off = xcalloc(n + 1, sizeof *s->curve.off);
	s->curve.steps = xcalloc(total, sizeof *s->curve.steps);
	s->curve.vals = xcalloc(total, sizeof *s->curve.vals);
	s->curve.final = xcalloc(n, sizeof *s->curve.final);
	s->curve.best = xcalloc(n, sizeof *s->curve.best);
	for (t = 0; t < n; t++) {
		s->curve.off[t] = at;
		for (k = 0; k < NSTEPS; k++) {
			s->curve.steps[at] = step[k];
			s->curve.vals[at] = (float)(1.0 / step[k]);
			at++;
		}
		s->curve.final[t] = s->curve.best[t] = s->curve.vals[at - 1];
	}
	s->curve.off[n] = at;
	s->max_step = 9;
	return s;
}

struct work {
	uint64_t	 points, quiet, lookups, cost;
	uint32_t	 started;
	int		 small;		/* no array of the study's size */
};

static int
replay(const struct rung_study *s, const struct rung_replay_ctx *c,
    enum rung_policy pol, uint32_t workers, struct work *w)
{
	struct rung_sched_params p;
	struct rung_replay_opts	 o;
	struct rung_replay_result r;
	char			*cause = NULL;
	uint64_t		 seed;

	rung_sched_params_init(&p, pol);
	p.max_r = 9;
	if (pol == RUNG_POLICY_RANDOM || pol == RUNG_POLICY_ASHA)
		p.max_configs = 100;
	if (pol == RUNG_POLICY_ASHA && workers == 1)
		p.rule = RUNG_RULE_OPTUNA;
	rung_replay_opts_init(&o);
	o.workers = workers;
	o.ctx = c;
	o.reached = 0;
	memset(w, 0, sizeof *w);
	w->small = 1;
	for (seed = 1; seed <= 3; seed++) {
		if (rung_replay_run(s, &p, &o, seed, &r, &cause) != 0) {
			printf("# replay: %s\n", cause);
			free(cause);
			return -1;
		}
		w->points += r.npoints;
		w->quiet += r.nquiet;
		w->lookups += r.nlookups;
		w->cost += r.cost_steps;
		w->started += r.nstarted;
		w->small &= r.reached == NULL && r.npool == c->npool;
		rung_replay_result_release(&r);
	}
	return 0;
}

int
main(void)
{
	static const struct {
		enum rung_policy pol;
		uint32_t	 workers;
		const char	*name;
	} runs[] = {
		{ RUNG_POLICY_HYPERBAND, 1, "hyperband" },
		{ RUNG_POLICY_HYPERBAND, 4, "hyperband, 4 workers" },
		{ RUNG_POLICY_ASHA, 1, "asha, Optuna's rule" },
		{ RUNG_POLICY_ASHA, 4, "asha, Ray's rule, 4 workers" },
		{ RUNG_POLICY_RANDOM, 1, "random" },
	};
	struct rung_study	*small = alike(1000), *big = alike(1000000);
	struct rung_replay_ctx	 cs, cb;
	struct work		 a, b;
	size_t			 i;

	rung_replay_ctx_init(&cs, small, 9);
	rung_replay_ctx_init(&cb, big, 9);
	is_int(cs.npool, 1000, "a pool of 1,000");
	is_int(cb.npool, 1000000, "and one of 1,000,000");
	for (i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		ok(replay(small, &cs, runs[i].pol, runs[i].workers, &a) == 0 &&
		    replay(big, &cb, runs[i].pol, runs[i].workers, &b) == 0,
		    "%s replays on both", runs[i].name);
		ok(a.points > 0 && a.points == b.points && a.quiet ==
		    b.quiet && a.cost == b.cost && a.started == b.started,
		    "%s: the same %llu points (%llu without a report), %u "
		    "started, on either pool", runs[i].name,
		    (unsigned long long)a.points,
		    (unsigned long long)a.quiet, a.started);
		ok(a.lookups > 0 && a.lookups == b.lookups,
		    "%s: the same %llu lookups of a step in a curve",
		    runs[i].name, (unsigned long long)a.lookups);
		ok(a.small && b.small, "%s: nothing kept per trial of the "
		    "study", runs[i].name);
	}
	rung_replay_ctx_release(&cs);
	rung_replay_ctx_release(&cb);
	rung_study_free(small);
	rung_study_free(big);
	return done_testing();
}
