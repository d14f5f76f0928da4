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

/*
 * What every replay of a study at one max_r shares, made once so that a
 * replay's own cost does not grow with the pool: the pool, its best final
 * and its finals in order, for judging what a replay returns by a binary
 * search rather than a scan.
 */
struct rung_replay_ctx {
	double		 max_r;
	uint32_t	*pool;		/* trials with a point at max_r, in order */
	uint32_t	 npool;
	double		 best;		/* best final of the pool; NaN if none */
	double		*finals;	/* its finals but NaN, ascending */
	uint32_t	 nfinals;
	/*
	 * Per trial of the study, 1 for a trial of the pool with a point at
	 * every step from its first to its last: its points are found by
	 * index, not by a binary search.
	 */
	uint8_t		*dense;
};
void		 rung_replay_ctx_init(struct rung_replay_ctx *,
		     const struct rung_study *, double max_r);
void		 rung_replay_ctx_release(struct rung_replay_ctx *);

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
	/*
	 * The study's shared set-up at the replay's max_r; NULL: the replay
	 * makes its own (a pass over the study).
	 */
	const struct rung_replay_ctx *ctx;
	/*
	 * 1: fill the result's reached, an array of the study's size; 0:
	 * only started and started_reached, the size of what was started.
	 */
	int		 reached;
};

/* Defaults: 1 worker, resume, no budget, reached. */
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
	 * Work, for tests that show it does not grow with the pool: points
	 * of curves replayed, those run without a report (below the
	 * scheduler's quiet step), and lookups of a step in a curve.
	 */
	uint64_t	 npoints;
	uint64_t	 nquiet;
	uint64_t	 nlookups;
	/*
	 * 1 when nothing the result holds changed once its cost reached
	 * its last value: the same replay with that cost as its budget
	 * ends the same, with budget_spent (rung_replay_seeds' equal-cost
	 * pass takes it rather than run it again).
	 */
	int		 tail_quiet;

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
	 * changed a decision. NULL unless opts.reached.
	 */
	int32_t		*reached;
	/* The same of the configurations started, in the order started. */
	uint32_t	*started;	/* nstarted trials */
	int32_t		*started_reached;
};

/*
 * Replay one seed. Returns 0, or -1 with *cause when the parameters are
 * invalid, the pool is smaller than the scheduler needs, or a job needs a
 * point the study did not record. The result is cleared first; release it
 * with rung_replay_result_release. The scheduler's own seed is p->seed mixed
 * with seed, so that Ray's bracket choice differs between seeds too.
 */
int		 rung_replay_run(const struct rung_study *,
		     const struct rung_sched_params *,
		     const struct rung_replay_opts *, uint64_t seed,
		     struct rung_replay_result *, char **cause);
/*
 * What replays one after the other can reuse rather than make again: the
 * last seed's order of the pool (rung_sampler_order, a draw per
 * configuration of the pool however few a replay starts), schedulers to
 * reset for the next seed, the sampler, the workers and the maps. One a
 * thread: rung_replay_run_in uses it as rung_replay_run would make it,
 * so that the result is the same.
 */
struct rung_replay_scratch;
struct rung_replay_scratch *rung_replay_scratch_new(void);
void		 rung_replay_scratch_free(struct rung_replay_scratch *);
/*
 * Give the scratch the seed's order of a pool of n made already (by
 * rung_sampler_order), for its replays of that seed: read, not copied, so
 * the caller keeps it while they run.
 */
void		 rung_replay_scratch_order(struct rung_replay_scratch *,
		     uint64_t seed, const uint32_t *order, uint32_t n);
int		 rung_replay_run_in(struct rung_replay_scratch *,
		     const struct rung_study *,
		     const struct rung_sched_params *,
		     const struct rung_replay_opts *, uint64_t seed,
		     struct rung_replay_result *, char **cause);
void		 rung_replay_result_release(struct rung_replay_result *);
/* A deep copy, but for reached (NULL: its size is the study's). */
void		 rung_replay_result_copy(struct rung_replay_result *dst,
		     const struct rung_replay_result *src);

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

/*
 * Multi-seed replays (replay-seeds.c): several policies over the same N
 * seeds (seed, seed + 1, ...), one replay per (policy, seed) on threads,
 * each written to its own slot so that the result is the same on any
 * number of threads, then aggregated per policy in a fixed order.
 */
struct rung_replay_seed {
	uint64_t	 seed;
	struct rung_replay_result r;
	/*
	 * Full-budget random search over the configurations this replay
	 * started: each trained to max_r. Steps are exact; seconds are
	 * their recorded seconds (NaN without seconds, or when a started
	 * configuration reported nothing, so that which it was is unknown).
	 */
	uint64_t	 random_steps;
	double		 random_seconds;
	/* 1 - cost / cost of the baseline (same seed) or of random search. */
	double		 saved_baseline;
	double		 saved_baseline_seconds;
	double		 saved_random;
	double		 saved_random_seconds;
};

/* One policy over its seeds; NaN where nothing is known. */
struct rung_replay_agg {
	uint32_t	 nseeds;
	double		 cost_steps_mean;
	double		 cost_steps_sd;		/* sample sd; NaN for 1 seed */
	double		 cost_seconds_mean;	/* NaN without seconds */
	double		 cost_seconds_sd;
	double		 started_mean;
	double		 random_steps_mean;
	double		 random_seconds_mean;
	/* Means over seeds of the per-seed ratios. */
	double		 saved_baseline;
	double		 saved_baseline_seconds;
	double		 saved_random;
	double		 saved_random_seconds;
	/*
	 * True final value of the returned configuration: mean and worst
	 * (study's direction) over the nfinal seeds where it is finite.
	 */
	double		 final_mean;
	double		 final_worst;
	uint32_t	 nfinal;
	double		 regret_mean;		/* over the same seeds */
	double		 p_top1;		/* share of all seeds */
	double		 p_top5;
	double		 time_to_best_mean;	/* seeds that returned one */
	double		 steps_to_best_mean;
	uint32_t	 nexhausted;
	uint32_t	 nbudget;
	/*
	 * Anytime: at each point of the set's grid, the mean over the seeds
	 * that have one of the best-so-far final value (the replay's trace
	 * as a step function of cumulative steps); NaN where none has, and
	 * how many seeds had one.
	 */
	double		*anytime;
	uint32_t	*anytime_n;
};

struct rung_replay_set {
	uint32_t	 npolicies;
	uint32_t	 nseeds;
	uint32_t	 baseline;	/* index of the baseline policy */
	int		 has_secs;	/* the study records seconds */
	uint32_t	 npool;		/* trials reaching max_r (first policy) */
	double		 pool_best;
	uint32_t	 ngrid;
	double		*grid;		/* 0 ... the largest cost, in steps */
	struct rung_replay_seed *seeds;	/* [policy * nseeds + i] */
	struct rung_replay_agg *agg;	/* [policy] */

	/*
	 * The equal-cost view (opts.equal_cost): every policy replayed
	 * again on the same seeds with the baseline's mean cost in steps as
	 * its budget, and a policy whose budget is a number of
	 * configurations allowed the whole pool, so that what it saves
	 * buys more configurations. NULL (and eq_budget 0) when not run.
	 */
	uint64_t	 eq_budget;
	struct rung_replay_seed *eq_seeds; /* as seeds */
	struct rung_replay_agg *eq_agg;
};

struct rung_replay_seeds_opts {
	struct rung_replay_opts replay;
	uint32_t	 nseeds;	/* 0 means 10 */
	uint64_t	 seed;		/* the first seed */
	int		 threads;	/* 0: every processor */
	uint32_t	 ngrid;		/* anytime points; 0 means 50 */
	const char	*progress;	/* label of progress on a terminal,
					   NULL for none */
	int		 equal_cost;	/* also run the equal-cost view */
};

void		 rung_replay_seeds_opts_init(struct rung_replay_seeds_opts *);
/*
 * Replay policies p[0..np) over the seeds and aggregate; p[baseline] is
 * the baseline of saved_baseline. Returns 0, or -1 with *cause (the error
 * of the first failing (policy, seed) in order, prefixed by the policy).
 * Release the set with rung_replay_set_release.
 */
int		 rung_replay_seeds(const struct rung_study *,
		     const struct rung_sched_params *p, uint32_t np,
		     uint32_t baseline, const struct rung_replay_seeds_opts *,
		     struct rung_replay_set *, char **cause);
void		 rung_replay_set_release(struct rung_replay_set *);

/* The pieces, apart for tests. */
/* Best-so-far final value of a trace at cumulative cost steps; NaN if none. */
double		 rung_replay_anytime_at(const struct rung_replay_result *,
		     double steps);
/* ngrid points from 0 to max evenly (allocated); ngrid >= 2. */
double		*rung_replay_grid(double max, uint32_t ngrid);
/*
 * Fill the per-seed ratios of v[0..n) against base[0..n) (the same
 * seeds; base may be v) and aggregate them into a, with the anytime
 * view on grid; has_secs: the study records seconds. a's arrays are
 * allocated (rung_replay_agg_release).
 */
void		 rung_replay_aggregate(struct rung_replay_seed *v,
		     const struct rung_replay_seed *base, uint32_t n,
		     enum rung_direction, int has_secs, const double *grid,
		     uint32_t ngrid, struct rung_replay_agg *a);
void		 rung_replay_agg_release(struct rung_replay_agg *);
/*
 * The parameters of p's equal-cost replay over a pool of npool trials: a
 * policy whose budget is a number of configurations (random, asha, baker,
 * asha-svr) may start every one of them; the others (sha, hyperband,
 * swift) keep their own size, cut at the budget.
 */
void		 rung_replay_equal_params(const struct rung_sched_params *p,
		     uint32_t npool, struct rung_sched_params *out);

#endif
