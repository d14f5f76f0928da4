/*
 * Schedulers: the policies that decide which configuration runs, how far,
 * and when it stops. One interface serves the replay simulator (recorded
 * curves) and the live launcher (real workers), so it knows nothing of
 * either: the caller asks what to run next whenever a worker is free, runs
 * it, and reports each (trial, step, value) as it arrives.
 *
 * Lower is better everywhere inside: a caller whose metric is maximised
 * negates every value it reports.
 *
 * Trials are handles 0, 1, 2... in the order the scheduler asked for them
 * to be started; the caller maps a handle to a configuration (a sampled
 * one live, a recorded trial in a replay).
 */
#ifndef RUNG_SCHED_H
#define RUNG_SCHED_H

#include <stdint.h>
#include <stddef.h>

#include "rung/predict.h"

enum rung_policy {
	RUNG_POLICY_RANDOM = 0,	/* every configuration to max_r */
	RUNG_POLICY_SHA,	/* one synchronous successive-halving bracket */
	RUNG_POLICY_HYPERBAND,	/* Li et al.'s brackets s_max ... 0, in turn */
	RUNG_POLICY_ASHA,	/* asynchronous; see enum rung_asha_variant */
	RUNG_POLICY_SWIFT,	/* Swift-Hyperband: hyperband whose rounds
				   park configurations an SVR predicts bad */
	RUNG_POLICY_BAKER,	/* Baker et al.: random search, stopped when
				   P(no better than the best) >= delta */
	RUNG_POLICY_ASHA_SVR,	/* asha ranking by predicted final values */
	RUNG_POLICY_LCE,	/* random search, stopped when an optimistic
				   extrapolation cannot beat the incumbent */
	RUNG_POLICY_ASHA_LCE,	/* asha, plus the stops of lce */
	RUNG_POLICY_HYPERBAND_LCE, /* hyperband whose rounds drop trials that
				   cannot make the round's cut */
};

/*
 * What asha-svr's models learn from: every trial that reached the next
 * rung (its prefix against its value there, the default), or, as before,
 * only trials that reached max_r, after min_curves of them.
 */
enum rung_svr_train {
	RUNG_SVR_TRAIN_PARTIAL = 0,
	RUNG_SVR_TRAIN_FULL,
};

enum rung_asha_variant {
	RUNG_ASHA_STOP = 0,	/* judge at each milestone: continue or stop */
	RUNG_ASHA_PROMOTE,	/* the original ASHA: pause, promote later */
};

/* Whose stopping rule the stop variant follows (algorithms.md 2). */
enum rung_asha_rule {
	RUNG_RULE_RAY = 0,	/* Ray Tune AsyncHyperBandScheduler */
	RUNG_RULE_SYNE,		/* Syne Tune <= 0.13 stopping rung system */
	RUNG_RULE_OPTUNA,	/* Optuna SuccessiveHalvingPruner */
	RUNG_RULE_DETERMINED,	/* Determined's sorted-rung rule */
};

struct rung_sched_params {
	enum rung_policy policy;
	/* Reduction factor; sha, hyperband and asha promote need an integer. */
	double		 eta;
	/*
	 * Smallest resource (asha: grace period; may be fractional for the
	 * stop variant, as Ray allows 2.5) and largest resource max_t, both
	 * in steps. For sha and hyperband R = max_r / min_r must be an
	 * integer and a resource of r units is r * min_r steps.
	 */
	double		 min_r;
	double		 max_r;
	enum rung_asha_variant variant;
	enum rung_asha_rule rule;
	/*
	 * Ray's stop_last_trials: stop a trial that reaches max_r. When 0
	 * (Ray rule only) such a trial runs on and a milestone it already
	 * passed lets it continue without a new judgement.
	 */
	int		 stop_last_trials;
	/* Ray's brackets (asha stop, Ray rule): 1 unless asked. */
	uint32_t	 brackets;
	/*
	 * Budget in configurations: random and asha start at most this
	 * many (0 means unlimited for asha stop, required for random and
	 * asha promote); sha starts this many (0: n of the bracket s_max);
	 * hyperband ignores it (one full iteration of all brackets).
	 */
	uint32_t	 max_configs;
	/* Seeds Ray's random choice of bracket when brackets > 1. */
	uint64_t	 seed;

	/*
	 * Predictor-driven policies (swift, baker, asha-svr, the LCE
	 * ones). The predictor learns only from the curves reported to
	 * this scheduler.
	 */
	uint32_t	 min_curves;	/* d: full curves before a predictor
					   is trained (15) */
	double		 keep_full;	/* swift k: share of the next round's
					   survivors trained fully (0.5) */
	double		 known_curve;	/* swift: the decision point inside a
					   round (0.5) */
	double		 delta;		/* baker, and the LCE policies as
					   z = Phi^-1(delta): the stopping
					   probability (0.99) */
	enum rung_svr_train svr_train;	/* asha-svr (partial) */
	struct rung_svr_params svr;	/* the predictor: Swift-Hyperband's
					   nu-SVR by default */
};

/* Defaults: eta 3, min_r 1, max_r 81, stop_last_trials 1, brackets 1. */
void		 rung_sched_params_init(struct rung_sched_params *,
		     enum rung_policy);

enum rung_action_kind {
	RUNG_ACT_START = 0,	/* start a new configuration as trial */
	RUNG_ACT_RESUME,	/* resume paused trial (from its checkpoint) */
	RUNG_ACT_WAIT,		/* nothing until some report arrives */
	RUNG_ACT_DONE,		/* nothing more, ever; running trials may
				   still report */
};

struct rung_sched_action {
	enum rung_action_kind kind;
	uint32_t	 trial;		/* START: the new handle; RESUME: which */
	/* Run until this step (inclusive) and report; INT32_MAX: no limit. */
	int32_t		 resource;
	/*
	 * Steps the trial has already run (0 for START): with checkpoints
	 * the new work is resource - from, without it is resource.
	 */
	int32_t		 from;
	uint32_t	 bracket;	/* hyperband s; asha stop: Ray's bracket */
	uint32_t	 rung;		/* round or rung the trial works towards */
};

enum rung_decision {
	RUNG_CONTINUE = 0,	/* keep training */
	RUNG_PAUSE,		/* reached its rung: stop and keep the
				   checkpoint, next() may resume it */
	RUNG_STOP,		/* finished or stopped: never resumed */
};

/* What became of a trial, for the caller's accounting. */
enum rung_trial_state {
	RUNG_TRIAL_RUNNING = 0,
	RUNG_TRIAL_PAUSED,
	RUNG_TRIAL_STOPPED,	/* stopped by the policy (or lost) */
	RUNG_TRIAL_FINISHED,	/* reached max_r */
};

struct rung_sched;

/* Check the parameters and make a scheduler; -1 with *cause if invalid. */
int		 rung_sched_new(const struct rung_sched_params *,
		     struct rung_sched **, char **cause);
void		 rung_sched_free(struct rung_sched *);
/*
 * Make s what rung_sched_new would make of p, keeping what it allocated
 * (a replay of many seeds makes a scheduler a thread, not one a seed):
 * for a policy that can, and p the same as s's parameters in all that
 * its set-up reads (the seed may differ). Else -1 and s is as it was:
 * the caller makes a new one.
 */
int		 rung_sched_reset(struct rung_sched *,
		     const struct rung_sched_params *);
/* Can s's policy be reset at all? */
int		 rung_sched_can_reset(const struct rung_sched *);
const struct rung_sched_params *rung_sched_params(const struct rung_sched *);

/* A worker is free: what should it do? Returns action->kind. */
enum rung_action_kind rung_sched_next(struct rung_sched *,
		     struct rung_sched_action *);
/*
 * Trial reached step with value (lower is better; NaN for a diverged
 * run). A trial stopped, finished or paused ignores further reports
 * (STOP, or PAUSE while paused) until it is resumed.
 */
enum rung_decision rung_sched_report(struct rung_sched *, uint32_t trial,
		     int32_t step, double value);
/*
 * The trial ended on its own before the scheduler said so (it failed, or
 * a recorded curve ends early): it counts as the worst value at the rung
 * it was running towards, so a synchronous round does not wait for it.
 */
void		 rung_sched_lost(struct rung_sched *, uint32_t trial);
/*
 * The lowest step at which a report of the running trial may do more
 * than note its step and say CONTINUE; 0 when any report may. A replay
 * with one worker runs a job's points below it without the calls (what
 * the last call notes is all the scheduler keeps of them).
 */
int32_t		 rung_sched_quiet(const struct rung_sched *, uint32_t trial);

uint32_t	 rung_sched_ntrials(const struct rung_sched *);
enum rung_trial_state rung_sched_trial_state(const struct rung_sched *,
		     uint32_t trial);

/*
 * The whole state as JSON text (allocated); restoring it gives a scheduler
 * whose future decisions are identical.
 */
void		 rung_sched_save(const struct rung_sched *, char **text);
int		 rung_sched_restore(const char *text, struct rung_sched **,
		     char **cause);

const char	*rung_policy_name(enum rung_policy);
int		 rung_policy_parse(const char *);	/* -1 if unknown */
/*
 * Does the policy's budget come as a number of configurations (--configs:
 * random, sha, asha, baker, asha-svr), rather than Hyperband's brackets?
 */
int		 rung_policy_takes_configs(enum rung_policy);
/* Policies are numbered 0 ... rung_policy_count() - 1. */
int		 rung_policy_count(void);
/* "random, sha, ... or asha-svr", for messages (allocated). */
char		*rung_policy_names(void);
/* What a policy is (0 for an unknown one). */
#define RUNG_PF_CONFIGS	0x01	/* its budget is a number of configurations
				   (--configs), not Hyperband's brackets */
#define RUNG_PF_SIZED	0x02	/* without --configs it has a size of its
				   own (sha: its bracket's n), not as many
				   as Hyperband starts */
#define RUNG_PF_PRED	0x04	/* a predictor drives it (min_curves, svr) */
#define RUNG_PF_INTEGER	0x08	/* it runs Hyperband's table: integer eta,
				   min_r and max_r, max_r / min_r whole */
int		 rung_policy_flags(enum rung_policy);
/*
 * The configurations a run of the policy starts at most (the trials a
 * replay's pool must hold); -1 with *cause if the parameters give none.
 */
int		 rung_sched_needed(const struct rung_sched_params *,
		     uint64_t *need, char **cause);
/*
 * The steps at which the policy judges trials, ascending, max_r last
 * (allocated); what the brackets plot draws.
 */
double		*rung_sched_milestones(const struct rung_sched_params *,
		     uint32_t *n);
const char	*rung_asha_rule_name(enum rung_asha_rule);
int		 rung_asha_rule_parse(const char *);	/* -1 if unknown */
const char	*rung_asha_variant_name(enum rung_asha_variant);
int		 rung_asha_variant_parse(const char *);	/* -1 if unknown */
const char	*rung_decision_name(enum rung_decision);
const char	*rung_svr_train_name(enum rung_svr_train);
int		 rung_svr_train_parse(const char *);	/* -1 if unknown */

/* Hyperband arithmetic (algorithms.md 1). */
struct rung_hb_round {
	uint32_t	 n;		/* n_i = floor(n * eta^-i) */
	int32_t		 r;		/* r_i = rint(R * eta^-s * eta^i) */
};
struct rung_hb_bracket {
	int		 s;
	int		 nrounds;	/* s + 1 */
	struct rung_hb_round *round;
};
/* Largest s with eta^s <= R, in integers. */
int		 rung_hb_smax(int64_t R, int64_t eta);
/*
 * The brackets s = s_max ... 0 (s_max + 1 of them, allocated, free with
 * rung_hb_free); -1 with *cause unless R >= 1 and eta >= 2.
 */
int		 rung_hb_brackets(int64_t R, int64_t eta,
		     struct rung_hb_bracket **, int *nbrackets, char **cause);
void		 rung_hb_free(struct rung_hb_bracket *, int nbrackets);
/*
 * Total resource of the brackets: with resume a promoted configuration
 * costs only its new steps; without it every round retrains from scratch.
 */
uint64_t	 rung_hb_total(const struct rung_hb_bracket *, int nbrackets,
		     int resume);
uint64_t	 rung_hb_bracket_total(const struct rung_hb_bracket *,
		     int resume);
/* Configurations over all brackets. */
uint64_t	 rung_hb_configs(const struct rung_hb_bracket *, int nbrackets);
/*
 * How many configurations Hyperband starts with p's max_r, min_r and eta:
 * the default budget of random search and ASHA; 0 when those make no
 * Hyperband table (eta not an integer, max_r not a multiple of min_r).
 */
uint32_t	 rung_hb_default_configs(const struct rung_sched_params *p);

/*
 * Ray Tune HyperBandScheduler's bracket sizes, smallest s first:
 * n[s] = ceil(s_max_1/(s+1) * eta^s), r[s] = int(max_t * eta^-s), with
 * s_max_1 = round(log(max_t)/log(eta)) + 1. Returns s_max_1 (the number of
 * brackets), writing at most len of them.
 */
int		 rung_ray_hb_brackets(double max_t, double eta, uint32_t *n,
		     int32_t *r, int len);

/*
 * numpy's default (linear) quantile of v[0..n): a sorted copy, virtual
 * index (n - 1) q and numpy's two-sided interpolation. NaN when n is 0 or
 * any value is NaN, as numpy.
 */
double		 rung_quantile_linear(const double *v, size_t n, double q);

#endif
