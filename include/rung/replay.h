/*
 * The replay simulator: one seed of a scheduler run against a recorded
 * study. The trials that reached max_r form a pool, drawn without
 * replacement in a seeded random order whenever the scheduler starts a
 * configuration; W simulated workers run jobs whose points arrive in order
 * of simulated time, each point reported to the scheduler as it would be
 * live. Compute is counted as algorithms.md 5 asks: steps always, seconds
 * where the study records them.
 */
#ifndef RUNG_REPLAY_H
#define RUNG_REPLAY_H

#include <stdint.h>
#include <stddef.h>

#include "rung/sched.h"
#include "rung/study.h"

/* How a replay picks the next configuration from the pool. */
enum rung_sampler {
	RUNG_SAMPLER_RANDOM = 0,	/* seeded order, without replacement */
	RUNG_SAMPLER_TPE,		/* Tree-structured Parzen Estimator over
					   the hyperparameters, learning only
					   from what the replay observed */
};

struct rung_replay_opts {
	uint32_t	 workers;	/* simulated workers; 0 means 1 */
	/*
	 * 1: a resumed trial continues from its checkpoint (costs steps
	 * from+1 .. resource); 0: it retrains from step 1 (costs 1 ..
	 * resource, only the new steps are reported).
	 */
	int		 resume;
	uint64_t	 budget;	/* in steps; 0: none */
	enum rung_sampler sampler;
};

/* Defaults: 1 worker, resume, no budget. */
void		 rung_replay_opts_init(struct rung_replay_opts *);

struct rung_replay_result {
	uint64_t	 cost_steps;	/* steps trained, all workers */
	double		 cost_seconds;	/* recorded seconds; 0 without them */
	/* Simulated time at the last event: seconds, or steps without them. */
	double		 end_time;
	uint32_t	 npool;		/* trials that reached max_r */
	uint32_t	 nstarted;	/* configurations started */
	int		 exhausted;	/* the scheduler wanted more than the pool */
	int		 budget_spent;	/* stopped by opts.budget */

	/*
	 * The configuration returned: the trial (index into the study) with
	 * the best value at the highest step any trial reached, the earliest
	 * reported on ties; UINT32_MAX when nothing was reported.
	 */
	uint32_t	 returned;
	int32_t		 returned_step;	/* that highest step */
	double		 returned_final; /* rung_trial_final, original sign */
	double		 best_final;	/* best final value in the pool */
	double		 regret;	/* |best_final - returned_final| */
	int		 top1;		/* returned_final is the pool's best */
	int		 top5;		/* in the pool's top 5% (at least 1) */
	/* When the returned configuration last became the incumbent. */
	double		 time_to_best;
	uint64_t	 steps_to_best;

	/*
	 * Anytime trace: at each change of incumbent that improves on every
	 * earlier incumbent's true final value, the cumulative steps, the
	 * simulated time and that final value (original sign).
	 */
	size_t		 ntrace;
	uint64_t	*trace_steps;
	double		*trace_time;
	double		*trace_final;

	/*
	 * What the run saw: the highest step of each of the study's trials
	 * it reported to the scheduler (0: none). Nothing beyond it can have
	 * changed a decision.
	 */
	int32_t		*reached;
};

/*
 * Replay one seed. Returns 0, or -1 with *cause when the parameters are
 * invalid, the pool is smaller than the scheduler needs, or a job needs a
 * point the study did not record. The result is cleared first; release it
 * with rung_replay_result_free. The scheduler's own seed is p->seed mixed
 * with seed, so that Ray's bracket choice differs between seeds too.
 */
int		 rung_replay_run(const struct rung_study *,
		     const struct rung_sched_params *,
		     const struct rung_replay_opts *, uint64_t seed,
		     struct rung_replay_result *, char **cause);
void		 rung_replay_result_free(struct rung_replay_result *);

/*
 * Configurations the scheduler starts at least (hyperband: one full
 * iteration; sha: max_configs or n of bracket s_max; random and asha:
 * max_configs, or 1 when unlimited). -1 with *cause if invalid.
 */
int		 rung_replay_needed(const struct rung_sched_params *,
		     uint64_t *, char **cause);
/* Trials with a recorded point at step ceil(max_r), in order. */
uint32_t	 rung_replay_pool(const struct rung_study *, double max_r,
		     uint32_t **pool);

#endif
