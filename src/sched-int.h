/*
 * Internals of the schedulers, shared by src/sched.c, src/sched-hyperband.c
 * and src/sched-asha.c; callers use include/rung/sched.h only.
 */
#ifndef RUNG_SCHED_INT_H
#define RUNG_SCHED_INT_H

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

struct rung_sched {
	struct rung_sched_params p;

	struct rung_sched_trial *t;
	uint32_t	 nt;
	size_t		 tcap;

	struct rung_sched_bracket *b;
	uint32_t	 nb;

	/* sha and hyperband: the table and where the run is in it. */
	struct rung_hb_bracket *hb;
	int		 nhb;
	uint32_t	 cur;		/* bracket */
	uint32_t	 round;
	uint32_t	 want;		/* trials this round runs */
	uint32_t	 issued;	/* started or resumed in this round */
	uint32_t	 done;		/* reported at the round's resource */

	uint64_t	 rng;		/* Ray's bracket choice */

	struct rung_sched_pred *pred;	/* swift, baker, asha-svr */
	/*
	 * The calls a predictor-driven policy has seen, in order: its saved
	 * state, since replaying them rebuilds its models exactly.
	 */
	struct rung_sched_call {
		uint8_t		 kind;	/* 0 next, 1 report, 2 lost */
		uint32_t	 trial;
		int32_t		 step;
		double		 value;
	}		*log;
	size_t		 nlog;
	size_t		 logcap;
	int		 replaying;
};

/* A model kept for (target, prefix); m is NULL when it could not be fit. */
struct rung_sched_model {
	int32_t		 target;
	int32_t		 prefix;
	struct rung_svr	*m;
	double		 sigma;		/* baker: leave-one-out residual sd */
	uint32_t	 ntrain;	/* rows it was fit on */
};

/* Trial handles, as a growable list. */
struct rung_sched_list {
	uint32_t	*v;
	uint32_t	 n;
	size_t		 cap;
};

struct rung_sched_pred {
	struct rung_sched_model *models;
	uint32_t	 nmodels;
	size_t		 mcap;

	/* Trials that reached max_r, in order (baker, asha-svr). */
	struct rung_sched_list full;
	uint32_t	 refit_at;	/* refit when full.n reaches this */
	double		 best;		/* baker: best final so far */

	/* Swift-Hyperband: D[r] and the round in progress. */
	struct rung_sched_list *D;	/* by round r_i: curves[idx of r_i] */
	int32_t		*Dr;		/* the r of each D */
	uint32_t	 nD;
	int		 phase;		/* 0 partials and fulls, 1 selected */
	struct rung_sched_list T;	/* the round's trials, dispatch order */
	uint32_t	 ntarget;	/* trials the round runs */
	uint32_t	 next;		/* next partial to issue */
	int32_t		 r_prev;
	int32_t		 r_i;
	int32_t		 p;
	uint32_t	 n_next;
	struct rung_sched_list pending;	/* partial done, to train fully */
	uint32_t	 pend_at;
	uint32_t	 sent_full;
	uint32_t	 done_full;
	uint32_t	 inflight;
	struct rung_sched_list fullr;	/* FULL: trained fully this round */
	struct rung_sched_list parked;
	struct rung_sched_list selected;
	uint32_t	 sel_at;
	uint8_t		*kind;		/* per trial: 1 partial, 2 full job */
	size_t		 kindcap;
};

void		 rung_sched_list_add(struct rung_sched_list *, uint32_t);
void		 rung_sched_list_free(struct rung_sched_list *);
/* The model for (target, prefix), or NULL if none was made. */
struct rung_sched_model *rung_sched_model_find(struct rung_sched *,
		     int32_t target, int32_t prefix);
struct rung_sched_model *rung_sched_model_add(struct rung_sched *,
		     int32_t target, int32_t prefix);

/* The predictor-driven policies (src/sched-pred.c, src/sched-swift.c). */
int		 rung_sched_is_pred(const struct rung_sched *);
void		 rung_sched_observe(struct rung_sched *, uint32_t trial,
		     int32_t step, double value);
void		 rung_sched_pred_free(struct rung_sched *);
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
 * Fit the policy's SVR on the trials' prefixes of length P against their
 * values at target; rows with a missing or non-finite value are left out.
 * NULL when fewer than two rows remain or libsvm refuses.
 */
struct rung_svr	*rung_sched_fit(const struct rung_sched *, const uint32_t *trials,
		     uint32_t n, int32_t P, int diffs, int32_t target,
		     uint32_t *used);

int		 rung_sched_swift_setup(struct rung_sched *, char **);
enum rung_action_kind rung_sched_swift_next(struct rung_sched *,
		     struct rung_sched_action *);
enum rung_decision rung_sched_swift_report(struct rung_sched *, uint32_t,
		     int32_t, double);
void		 rung_sched_swift_lost(struct rung_sched *, uint32_t);

int		 rung_sched_baker_setup(struct rung_sched *, char **);
enum rung_decision rung_sched_baker_report(struct rung_sched *, uint32_t,
		     int32_t, double);
/* asha-svr: the key a value at rung k is ranked by. */
double		 rung_sched_asha_svr_key(struct rung_sched *, uint32_t trial,
		     uint32_t bracket, uint32_t k, double value);
void		 rung_sched_asha_svr_finished(struct rung_sched *,
		     uint32_t trial);

uint32_t	 rung_sched_add_trial(struct rung_sched *, uint32_t bracket,
		     uint32_t rung, int32_t target);
void		 rung_sched_record(struct rung_sched *, uint32_t bracket,
		     uint32_t rung, uint32_t trial, double value);
void		 rung_sched_rank(const struct rung_sched_rung *, uint32_t *idx);
void		 rung_sched_bracket_init(struct rung_sched_bracket *,
		     uint32_t nrungs);

int		 rung_sched_hb_setup(struct rung_sched *, char **);
enum rung_action_kind rung_sched_hb_next(struct rung_sched *,
		     struct rung_sched_action *);
enum rung_decision rung_sched_hb_report(struct rung_sched *, uint32_t,
		     int32_t, double);
void		 rung_sched_hb_lost(struct rung_sched *, uint32_t);
enum rung_action_kind rung_sched_random_next(struct rung_sched *,
		     struct rung_sched_action *);

int		 rung_sched_asha_setup(struct rung_sched *, char **);
enum rung_action_kind rung_sched_asha_next(struct rung_sched *,
		     struct rung_sched_action *);
enum rung_decision rung_sched_asha_report(struct rung_sched *, uint32_t,
		     int32_t, double);
void		 rung_sched_asha_lost(struct rung_sched *, uint32_t);

#endif
