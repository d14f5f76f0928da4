/*
 * Internals of the schedulers, shared by src/sched.c, the common
 * bookkeeping (src/sched-common.c, src/sched-pred.c) and the policies
 * (src/sched-<policy>.c); callers use include/rung/sched.h only.
 *
 * A policy is a struct rung_sched_policy: its name, what it is (RUNG_PF_*)
 * and its ops. sched.c keeps the table of them and calls them; a policy
 * calls the bookkeeping below and never sched.c.
 */
#ifndef RUNG_SCHED_INT_H
#define RUNG_SCHED_INT_H

#include "rung/lce.h"
#include "rung/sched.h"

struct rung_sched_entry {
	uint32_t	 trial;
	uint8_t		 flag;		/* RUNG_SEL_* */
	double		 value;
};
enum { RUNG_SEL_NONE = 0, RUNG_SEL_CHOSEN, RUNG_SEL_DONE };	/* promoted: chosen, resumed */

struct rung_sched_rung {
	double		 milestone;	/* resource in steps */
	struct rung_sched_entry *e;	/* in arrival order */
	uint32_t	 n;
	size_t		 cap;
	/*
	 * Optuna's rule: the values of e[0 .. nsorted) in ascending order,
	 * brought up to date when it judges, so that a judgement is a
	 * binary search; hasnan: one of them is NaN (it then sorts them
	 * all, as always).
	 */
	double		*sorted;
	size_t		 sortcap;
	uint32_t	 nsorted;
	int		 hasnan;
	/*
	 * The place in sorted of the value judged last, found when sorted
	 * held e[0 .. hint_n): the place of e[hint_n] when that is the
	 * value (it is recorded right after its judgement), so that it is
	 * put in without a second search. hint_n UINT32_MAX: none.
	 */
	uint32_t	 hint_n;
	uint32_t	 hint_at;
	double		 hint_val;
};

struct rung_sched_bracket {
	uint32_t	 nrungs;
	struct rung_sched_rung *rungs;
};

struct rung_sched_trial {
	/*
	 * Predictor-driven policies: every value reported, at index step - 1
	 * (NaN where a step was not reported). It is all a predictor in a
	 * policy ever learns from.
	 */
	double		*obs;
	int32_t		 nobs;
	int32_t		 obscap;
	uint32_t	 bracket;
	uint32_t	 rung;		/* the rung it runs towards */
	uint8_t		 state;		/* enum rung_trial_state */
	int32_t		 target;	/* pause (or finish) at this step */
	int32_t		 step;		/* last step reported */
	uint64_t	 recorded;	/* asha stop: rungs recorded, a bit each */
};

/*
 * The calls a predictor-driven policy has seen, in order: its saved state,
 * since replaying them rebuilds its models exactly.
 */
struct rung_sched_call {
	uint8_t		 kind;		/* 0 next, 1 report, 2 lost */
	uint32_t	 trial;
	int32_t		 step;
	double		 value;
};

struct rung_sched {
	struct rung_sched_params p;
	const struct rung_sched_policy *pol;
	void		*priv;		/* pol->size bytes, zeroed */

	struct rung_sched_trial *t;
	uint32_t	 nt;
	size_t		 tcap;

	struct rung_sched_bracket *b;
	uint32_t	 nb;

	struct rung_sched_call *log;	/* RUNG_PF_PRED only */
	size_t		 nlog;
	size_t		 logcap;
};

/*
 * Version 1 of the saved state keeps, for a policy that is not driven by a
 * predictor, one generator word and five counters beside its trials and
 * rungs. A policy's save fills in those it has; the rest keep what
 * rung_sched_save gives them (the seed's generator start, zeros), as the
 * states saved before the policies had their own files.
 */
struct rung_sched_words {
	uint64_t	 rng;
	uint32_t	 cur;
	uint32_t	 round;
	uint32_t	 want;
	uint32_t	 issued;
	uint32_t	 done;
};

/* Any fixed nonzero start; the seed is mixed in by splitmix. */
#define RUNG_SCHED_RNG0(seed)	((seed) ^ 0x9e3779b97f4a7c15ULL)

/*
 * A policy. Every op but next and report may be NULL: nothing to do (or,
 * for needed, the budget in configurations, at least one).
 */
struct rung_sched_policy {
	const char	*name;
	int		 flags;		/* RUNG_PF_* */
	size_t		 size;		/* of its private state, s->priv */

	/* Check the parameters and set up; -1 with *cause if invalid. */
	int		 (*setup)(struct rung_sched *, char **);
	enum rung_action_kind (*next)(struct rung_sched *,
			     struct rung_sched_action *);
	/* Called for a running trial only, after the bookkeeping. */
	enum rung_decision (*report)(struct rung_sched *, uint32_t trial,
			     int32_t step, double value);
	/* Before the trial is marked stopped. */
	void		 (*lost)(struct rung_sched *, uint32_t trial);
	/*
	 * rung_sched_quiet for a running trial (NULL: 0); never for a
	 * predictor-driven policy, which keeps every call.
	 */
	int32_t		 (*quiet)(const struct rung_sched *, uint32_t trial);
	/* Free what the private state holds (not s->priv itself). */
	void		 (*release)(struct rung_sched *);
	/*
	 * Set the private state back to what setup made of s->p (its seed
	 * already the new one), keeping its allocations; NULL: the policy
	 * cannot be reset (rung_sched_reset says -1). The setup of a policy
	 * with reset reads no parameter but the seed and those that
	 * rung_sched_reset compares (src/sched.c, same_setup).
	 */
	void		 (*reset)(struct rung_sched *);

	/* Configurations a replay's pool must hold (rung_replay_needed). */
	int		 (*needed)(const struct rung_sched_params *,
			     uint64_t *, char **);
	/* Append the steps at which it judges (rung_sched_milestones). */
	void		 (*milestones)(const struct rung_sched_params *,
			     double **v, size_t *cap, uint32_t *n);

	/*
	 * Its words of the saved state (not RUNG_PF_PRED, whose state is
	 * its calls); restore runs after setup and after the trials and
	 * rungs are read, and says -1 when they do not fit together.
	 */
	void		 (*save)(const struct rung_sched *,
			     struct rung_sched_words *);
	int		 (*restore)(struct rung_sched *,
			     const struct rung_sched_words *);
};

/* The policies, each in its own file. */
extern const struct rung_sched_policy rung_policy_random;	/* sched-random.c */
extern const struct rung_sched_policy rung_policy_sha;		/* sched-hyperband.c */
extern const struct rung_sched_policy rung_policy_hyperband;	/* sched-hyperband.c */
extern const struct rung_sched_policy rung_policy_asha;		/* sched-asha.c */
extern const struct rung_sched_policy rung_policy_swift;	/* sched-swift.c */
extern const struct rung_sched_policy rung_policy_baker;	/* sched-baker.c */
extern const struct rung_sched_policy rung_policy_asha_svr;	/* sched-asha-svr.c */
extern const struct rung_sched_policy rung_policy_lce;		/* sched-lce.c */
extern const struct rung_sched_policy rung_policy_asha_lce;	/* sched-asha-lce.c */
extern const struct rung_sched_policy rung_policy_hyperband_lce; /* sched-hyperband-lce.c */

/*
 * Ops one policy lends another: swift-hyperband runs Hyperband's table,
 * asha-svr is ASHA, baker is random search.
 */
int		 rung_sched_random_setup(struct rung_sched *, char **);
enum rung_action_kind rung_sched_random_next(struct rung_sched *,
		     struct rung_sched_action *);
int		 rung_sched_hb_setup(struct rung_sched *, char **);
int		 rung_sched_hb_needed(const struct rung_sched_params *,
		     uint64_t *, char **);
enum rung_action_kind rung_sched_hb_next(struct rung_sched *,
		     struct rung_sched_action *);
enum rung_decision rung_sched_hb_report(struct rung_sched *, uint32_t,
		     int32_t, double);
void		 rung_sched_hb_lost(struct rung_sched *, uint32_t);
void		 rung_sched_hb_release(struct rung_sched *);
void		 rung_sched_hb_milestones(const struct rung_sched_params *,
		     double **, size_t *, uint32_t *);
int		 rung_sched_asha_setup(struct rung_sched *, char **);
enum rung_action_kind rung_sched_asha_next(struct rung_sched *,
		     struct rung_sched_action *);
enum rung_decision rung_sched_asha_report(struct rung_sched *, uint32_t,
		     int32_t, double);
void		 rung_sched_asha_milestones(const struct rung_sched_params *,
		     double **, size_t *, uint32_t *);

/* The bookkeeping every policy shares (src/sched-common.c). */
uint32_t	 rung_sched_add_trial(struct rung_sched *, uint32_t bracket,
		     uint32_t rung, int32_t target);
void		 rung_sched_record(struct rung_sched *, uint32_t bracket,
		     uint32_t rung, uint32_t trial, double value);
void		 rung_sched_rank(const struct rung_sched_rung *, uint32_t *idx);
void		 rung_sched_bracket_init(struct rung_sched_bracket *,
		     uint32_t nrungs);
void		 rung_sched_log(struct rung_sched *, uint8_t kind,
		     uint32_t trial, int32_t step, double value);
/* Free the trials, rungs and call log. */
void		 rung_sched_release_common(struct rung_sched *);
/* Empty them, keeping their allocations. */
void		 rung_sched_reset_common(struct rung_sched *);
/* 0 if no trial has passed the top rung of its bracket, else -1. */
int		 rung_sched_trials_below_top(const struct rung_sched *);

/* Sha and hyperband's state, and the start of swift-hyperband's. */
struct rung_sched_hb {
	struct rung_hb_bracket *hb;	/* the table */
	int		 nhb;
	uint32_t	 cur;		/* bracket */
	uint32_t	 round;
	uint32_t	 want;		/* trials this round runs */
	uint32_t	 issued;	/* started or resumed in this round */
	uint32_t	 done;		/* reported at the round's resource */
	/*
	 * The chosen of the last selection in rank order, resumed from the
	 * front: a selected round's rung no longer changes while its chosen
	 * are resumed, so it is ranked once rather than at every resume.
	 * ordvalid 0 (a new or restored scheduler): rank it again.
	 */
	uint32_t	*ord;
	size_t		 ordcap;
	uint32_t	 nord;
	uint32_t	 nextord;
	int		 ordvalid;
};

/* ASHA's state, and the start of asha-svr's. */
struct rung_sched_asha {
	uint64_t	 rng;		/* Ray's bracket choice */
	/*
	 * What a value at rung k is ranked by; NULL: the value itself
	 * (asha-svr: its predicted final value).
	 */
	double		 (*key)(struct rung_sched *, uint32_t trial,
			     uint32_t bracket, uint32_t k, double value);
};

/* What the predictor-driven policies share (src/sched-pred.c). */

/* A model kept for (target, prefix); m is NULL when it could not be fit. */
struct rung_sched_model {
	int32_t		 target;
	int32_t		 prefix;
	struct rung_svr	*m;
	double		 sigma;		/* baker: leave-one-out residual sd */
	uint32_t	 ntrain;	/* rows it was fit on */
};

struct rung_sched_models {
	struct rung_sched_model *v;
	uint32_t	 n;
	size_t		 cap;
};

/* Trial handles, as a growable list. */
struct rung_sched_list {
	uint32_t	*v;
	uint32_t	 n;
	size_t		 cap;
};

/*
 * Baker and asha-svr: the trials that reached max_r, in order, and the
 * models fit on them, fit again when their number reaches d, 2d, 4d...
 */
struct rung_sched_finals {
	struct rung_sched_models models;
	struct rung_sched_list full;
	uint32_t	 refit_at;	/* refit when full.n reaches this */
};

void		 rung_sched_list_add(struct rung_sched_list *, uint32_t);
void		 rung_sched_list_free(struct rung_sched_list *);
/* The model for (target, prefix), or NULL if none was made. */
struct rung_sched_model *rung_sched_model_find(struct rung_sched_models *,
		     int32_t target, int32_t prefix);
struct rung_sched_model *rung_sched_model_add(struct rung_sched_models *,
		     int32_t target, int32_t prefix);
void		 rung_sched_models_release(struct rung_sched_models *);
void		 rung_sched_finals_init(const struct rung_sched *,
		     struct rung_sched_finals *);
/* One more trial reached max_r: 1 when the models are due a refit. */
int		 rung_sched_finals_add(struct rung_sched_finals *,
		     uint32_t trial);
void		 rung_sched_finals_release(struct rung_sched_finals *);

void		 rung_sched_observe(struct rung_sched *, uint32_t trial,
		     int32_t step, double value);
/* Columns of the features of a prefix of P values. */
uint32_t	 rung_sched_feature_width(int32_t P, int diffs);
/*
 * The first P reported values of trial as features (raw prefix; with
 * diffs, Baker's time-series features: also the first and second
 * differences); 0, or -1 when a value is missing or not finite.
 */
int		 rung_sched_features(const struct rung_sched *, uint32_t trial,
		     int32_t P, int diffs, double *x);
/* The value trial reported at step; NaN if none. */
double		 rung_sched_obs_at(const struct rung_sched *, uint32_t trial,
		     int32_t step);
/*
 * Rows of the trials with a usable prefix and target (allocated); returns
 * how many.
 */
uint32_t	 rung_sched_rows(const struct rung_sched *, const uint32_t *trials,
		     uint32_t n, int32_t P, int diffs, int32_t target,
		     double **xp, double **yp);
/*
 * Fit the policy's SVR on the trials' prefixes of length P against their
 * values at target; rows with a missing or non-finite value are left out.
 * NULL when fewer than two rows remain or libsvm refuses.
 */
struct rung_svr	*rung_sched_fit(const struct rung_sched *, const uint32_t *trials,
		     uint32_t n, int32_t P, int diffs, int32_t target,
		     uint32_t *used);
/* Predict from a trial's prefix; NaN when its prefix is not usable. */
double		 rung_sched_predict(const struct rung_sched *,
		     const struct rung_svr *, uint32_t trial, int32_t P,
		     int diffs);

/*
 * asha-svr: the trials the model that keys rung k of bracket learnt
 * from, in the order they came (*trials points into the policy's
 * state); 0 while the rung has no model. For the tests.
 */
uint32_t	 rung_sched_svr_trainset(struct rung_sched *, uint32_t bracket,
		     uint32_t k, const uint32_t **trials);

/*
 * LCE stopping (src/sched-lce.c), shared by lce, asha-lce and
 * hyperband-lce: the fit's workspace, scratch for a trial's points, the
 * incumbent and the margin.
 */
struct rung_sched_lce {
	struct rung_lce	 w;
	double		*x;
	double		*y;
	uint32_t	 cap;
	double		*v;		/* hyperband-lce: a round's best values */
	uint32_t	 vcap;
	double		 best;		/* y*: best value at max_r; NaN: none */
	double		 z;		/* Phi^-1(delta) */
};

/* Check delta and set up; -1 with *cause. */
int		 rung_sched_lce_setup(struct rung_sched *,
		     struct rung_sched_lce *, char **);
void		 rung_sched_lce_release(struct rung_sched_lce *);
/* Is a checkpoint in (prev, step]? */
int		 rung_sched_lce_checkpoint(int32_t prev, int32_t step);
/* A trial reached max_r with value: the incumbent may improve. */
void		 rung_sched_lce_final(struct rung_sched_lce *, double);
/*
 * 1 when the trial's optimistic bound at step T is worse than cut; 0 when
 * it is not, when cut is NaN, or when its points are too few to fit.
 */
int		 rung_sched_lce_hopeless(struct rung_sched *,
		     struct rung_sched_lce *, uint32_t trial, double T,
		     double cut);

#endif
