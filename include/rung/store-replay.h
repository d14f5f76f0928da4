/*
 * The kept replays: a run of rung replay (without --no-save) in the tables
 * replays, replay_policies and replay_seeds (rung(5)). The store is their
 * one writer and reader: rung replay saves a run, rung replays lists and
 * prints them, plot replay and the explorer's replay screen read one, all
 * through the rows below, the same going in and coming out.
 *
 * Reals are NaN where the column is NULL: a value that is not finite is
 * kept as NULL.
 */
#ifndef RUNG_STORE_REPLAY_H
#define RUNG_STORE_REPLAY_H

#include <stddef.h>
#include <stdint.h>

struct rung_store;

/* A row of replay_seeds: one seed of one policy. */
struct rung_kept_seed {
	uint64_t	 seed;
	int64_t		 cost_steps;
	double		 cost_seconds;
	double		 end_time;	/* simulated time at the last event */
	int64_t		 started;	/* configurations */
	char		*returned;	/* the trial's id; NULL: none */
	double		 returned_final;
	double		 regret;
	int		 top1, top5;
	double		 time_to_best;
	int64_t		 steps_to_best;	/* -1: nothing returned */
	double		 saved_vs_baseline;
	double		 saved_vs_random;

	/*
	 * The best-so-far series (the trace column): at each new incumbent,
	 * the cumulative steps, the simulated time and its true final value
	 * (NaN: unknown).
	 */
	size_t		 ntrace;
	uint64_t	*trace_steps;
	double		*trace_time;
	double		*trace_final;
};

/* A row of replay_policies, and its seeds' rows. */
struct rung_kept_policy {
	char		*policy;
	int64_t		 seeds;
	int		 resume;
	double		 cost_steps_mean, cost_steps_sd;
	double		 cost_seconds_mean, cost_seconds_sd;
	double		 saved_vs_baseline, saved_vs_baseline_seconds;
	double		 saved_vs_random, saved_vs_random_seconds;
	double		 best_final_mean, best_final_worst;
	double		 regret_mean;
	double		 p_top1, p_top5;
	double		 time_to_best_mean;
	char		*anytime;	/* JSON: the report's anytime entry */
	/*
	 * At the baseline's cost (rung(1), replay): the budget in steps (0:
	 * not run, or a run kept before), the mean cost spent, the
	 * configurations started, the regret (mean, worst) and P(top).
	 */
	int64_t		 equal_budget_steps;
	double		 equal_cost_steps_mean, equal_started_mean;
	double		 equal_regret_mean, equal_regret_worst;
	double		 equal_p_top1, equal_p_top5;

	size_t		 nseed;		/* read with RUNG_KEPT_SEEDS */
	struct rung_kept_seed *seed;
};

/* A row of replays, and its policies' rows in their order. */
struct rung_kept_replay {
	int64_t		 id;		/* save sets it */
	char		*study;
	char		*metric;
	char		*direction;	/* "min" or "max" */
	char		*policies;	/* the rows' names by commas (save
					   joins them) */
	char		*baseline;	/* the policy SAVED is against */
	int64_t		 seeds;
	int64_t		 seed;		/* the first seed */
	int		 resume;
	char		*params;	/* JSON: the report's parameters */
	/* JSON: what replay --json printed, less its id; RUNG_KEPT_REPORT. */
	char		*report;
	char		*created;	/* the database sets it */

	size_t		 npol;		/* read with RUNG_KEPT_POLICIES */
	struct rung_kept_policy *pol;
};

/* What a read fills besides the replays row. */
#define RUNG_KEPT_REPORT	0x1
#define RUNG_KEPT_POLICIES	0x2
#define RUNG_KEPT_SEEDS		0x6	/* the policies too */
#define RUNG_KEPT_TRACES	0xe	/* the seeds' series too */
/*
 * A database without the tables (an older one opened read-only, which the
 * store could not migrate) keeps no replay, rather than failing.
 */
#define RUNG_KEPT_OLD_OK	0x10

/* Keep a run, its rows in one transaction; kr->id is its new id. */
int		 rung_store_replay_save(struct rung_store *,
		     struct rung_kept_replay *kr, char **cause);
/*
 * One kept run: replay id when id > 0, else the newest of the study (on
 * the metric, when not NULL). 1 found (*out, free with
 * rung_kept_replay_free), 0 none, -1 error.
 */
int		 rung_store_replay_load(struct rung_store *, int64_t id,
		     const char *study, const char *metric, int flags,
		     struct rung_kept_replay **out, char **cause);
/*
 * Every kept run, of the study when not NULL, oldest first: *v (free with
 * rung_kept_replay_list_free) and *n.
 */
int		 rung_store_replay_list(struct rung_store *, const char *study,
		     int flags, struct rung_kept_replay **v, size_t *n,
		     char **cause);

void		 rung_kept_seed_release(struct rung_kept_seed *);
void		 rung_kept_policy_release(struct rung_kept_policy *);
void		 rung_kept_replay_release(struct rung_kept_replay *);
void		 rung_kept_replay_free(struct rung_kept_replay *);
void		 rung_kept_replay_list_free(struct rung_kept_replay *, size_t);

#endif
