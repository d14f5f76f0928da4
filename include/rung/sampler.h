/*
 * Which configuration of the pool a replay (or rung launch --from) starts
 * next, and, at the end, which one rung launch --space draws.
 *
 * random: the pool in a seeded order (rung_rng_shuffle of the pool with the
 * replay's seed), each drawn once. Observations are ignored.
 *
 * tpe: a Tree-structured Parzen Estimator (Bergstra et al., NeurIPS 2011)
 * as Optuna's TPESampler computes it with its defaults, made tabular: it
 * does not sample new values but scores every configuration of the pool
 * not yet started and starts the best. It learns only from the values the
 * caller reports with rung_sampler_observe, never from the study's curves:
 * the study is read for the hyperparameters alone.
 *
 *  - n_startup_trials 10: while fewer than 10 configurations have a
 *    reported value, the next unused one in the seeded random order is
 *    taken, so the first 10 picks are always random's.
 *  - Ranking of the observed configurations as Optuna ranks pruned trials
 *    (the key (-step, value) of _get_pruned_trial_score): by the highest
 *    step reported, higher first, then by the value at that step, lower
 *    first (NaN as +inf), then by the order they were started. Those that
 *    reached the largest step, Optuna's complete trials, thus come first
 *    by their value; those stopped earlier follow. A configuration still
 *    running or paused counts as it stands (Optuna would wait for it).
 *  - gamma(n) = min(ceil(0.1 n), 25) of the n observed configurations are
 *    "below" (good), the others "above".
 *  - Weights (default_weights), for below and above apart, in the order
 *    the configurations were started: all 1 for fewer than 25; else the
 *    oldest n - 25 ramp from 1/n to 1 (numpy's linspace) and the newest 25
 *    weigh 1. prior_weight 1.
 *  - Independent (univariate) estimators, one a hyperparameter, bounded
 *    by the pool's values:
 *    real, and int with the log flag: a mixture of normals truncated to
 *    [min, max] of the pool (log int: [min - 1/2, max + 1/2]), in the
 *    logarithm for log parameters (unless that lower bound is not
 *    positive), a value scored by its density.
 *    int: the same in [min - 1/2, max + 1/2], a value scored by the mass
 *    of [v - 1/2, v + 1/2].
 *    One kernel per observation at its value; sigma the larger distance
 *    to its sorted neighbours, the prior's centre among them and the
 *    bounds as outer neighbours (equal centres in order of use);
 *    consider_endpoints off (the outermost kernels take their inner
 *    distance); consider_magic_clip on (sigma clipped to [range /
 *    min(100, n + 2), range]); the prior: the range's centre, sigma the
 *    range.
 *    categorical: each observation a kernel (1/(n+1) on every category
 *    plus 1 on its own, normalised) and the uniform prior, over the
 *    categories the pool holds.
 *  - A configuration's score is the sum over hyperparameters of
 *    log l(x) - log g(x); the highest wins, ties to the seeded order.
 *    Optuna instead draws 24 candidates from l and keeps the best; over a
 *    whole pool the argmax is greedier, and with few observations it
 *    also probes regions that no observation covers.
 *  - Unset values (NaN, UINT32_MAX): categorical, "unset" is a category of
 *    its own; real and int, the configuration is left out of that
 *    hyperparameter's estimators (Optuna skips trials without the
 *    parameter) and an unset candidate scores 0 for it.
 *  - A hyperparameter with a single value in the pool is left out.
 *
 * Checked against Optuna 3.1's _ParzenEstimator and observation split to
 * 1e-14 per hyperparameter, with two corrections Optuna made later: the
 * truncated normal's density divides by sigma (3.1's logpdf omits it) and
 * equal centres are sorted stably (numpy's default sort is not). Kernels
 * further than 10 sigma are left out of the sums (they weigh under 1e-17
 * of the prior's floor). Cost: a refit, at a pick after an observation
 * changed the below or the above set, is about 30 kernel evaluations per
 * distinct pool value per numeric hyperparameter; a pick is one sum per
 * unused configuration.
 *
 * Everything is a function of the study, the pool, the seed and the
 * observations in the order given.
 *
 * Over a search space (rung launch --space, rung_space_sampler below) TPE
 * draws new values as Optuna's TPESampler does: the first 10
 * configurations with a reported value aside, each trial's configuration
 * is the space's own seeded draw (rung_space_sample); after, for each
 * parameter apart (univariate), 24 candidates (n_ei_candidates) are drawn
 * from l(x): a kernel chosen by its weight (the prior's too), then a value
 * from its truncated normal by inversion of the CDF, or a category from
 * the categorical mixture; the candidate with the highest log l(x) - log
 * g(x) is kept (ties to the first drawn). The observations are ranked,
 * split and weighted as above; the estimators are the same code
 * (src/sampler-parzen.c) over the space's bounds instead of the pool's:
 * uniform [low, high]; loguniform in the logarithm; int in [low - 1/2,
 * high + 1/2], a drawn value rounded to the nearest integer and scored by
 * its cell's mass; logint in the logarithm of [low - 1/2, high + 1/2], a
 * drawn value rounded back and scored by the density at its logarithm;
 * choice over the space's words. The draws are a function of the seed,
 * the trial's handle and the observations told before the draw.
 */
#ifndef RUNG_SAMPLER_H
#define RUNG_SAMPLER_H

#include <stdint.h>

#include "rung/replay.h"	/* enum rung_sampler */
#include "rung/study.h"

#define RUNG_TPE_STARTUP	10	/* n_startup_trials */
#define RUNG_TPE_GAMMA_MAX	25	/* gamma's cap */

struct rung_sampler_state;

/*
 * A sampler over pool[0 .. npool), trials of the study. What it needs of
 * both is copied: neither is read after the call. The seeded order is the
 * one rung_rng_shuffle gives the pool with seed.
 */
struct rung_sampler_state *rung_sampler_new(const struct rung_study *,
		     const uint32_t *pool, uint32_t npool, enum rung_sampler,
		     uint64_t seed);
/*
 * The seeded order of a pool of npool: 0 .. npool - 1 shuffled with seed.
 * It depends on nothing else, so replays of one seed over pools of one
 * size can make it once (a shuffle is a draw per configuration, whatever
 * a replay starts of them) and share it through rung_sampler_new_order.
 */
void		 rung_sampler_order(uint64_t seed, uint32_t *order,
		     uint32_t npool);
/*
 * rung_sampler_new with the seed's order already made: the sampler only
 * reads order[0 .. npool), which the caller keeps until it is freed.
 */
struct rung_sampler_state *rung_sampler_new_order(const struct rung_study *,
		     const uint32_t *pool, uint32_t npool, enum rung_sampler,
		     const uint32_t *order);
/*
 * Make sp what rung_sampler_new_order would make of order, keeping its
 * allocations: for a random sampler of a pool of npool made again as one;
 * -1 otherwise (tpe learns too much to set back), and the caller makes a
 * new one.
 */
int		 rung_sampler_reset(struct rung_sampler_state *,
		     uint32_t npool, enum rung_sampler, const uint32_t *order);
/*
 * The next configuration: an index into the pool, now used; UINT32_MAX
 * when every configuration is used.
 */
uint32_t	 rung_sampler_pick(struct rung_sampler_state *);
/*
 * The run reported value (lower is better; NaN is worst) at step for the
 * study's trial. tpe: only the value at the highest step reported counts;
 * a trial outside the pool is ignored, one not picked yet becomes used;
 * the estimators are refitted at the next pick after a change. random:
 * ignored.
 */
void		 rung_sampler_observe(struct rung_sampler_state *,
		     uint32_t trial, int32_t step, double value);
/*
 * Mark pool[p] used as if picked now: a resumed campaign tells the
 * configurations its trials ran in the order they were started. -1 when
 * p is out of the pool or used already.
 */
int		 rung_sampler_use(struct rung_sampler_state *, uint32_t p);
/* Configurations with a reported value (tpe; 0 for random). */
uint32_t	 rung_sampler_observed(const struct rung_sampler_state *);
void		 rung_sampler_free(struct rung_sampler_state *);

/* TPE over a search space (rung launch --space); see above. */
#define RUNG_TPE_CANDIDATES	24	/* n_ei_candidates */

struct rung_space;
struct rung_config;
struct rung_space_sampler;

/* The space is read, not copied: it must outlive the sampler. */
struct rung_space_sampler *rung_space_sampler_new(const struct rung_space *,
		     enum rung_sampler, uint64_t seed);
/*
 * The configuration of trial handle, drawn now and remembered as its:
 * random, or tpe before RUNG_TPE_STARTUP observed configurations, is
 * rung_space_sample(space, seed, handle); tpe after that draws from the
 * estimators. Release it with rung_config_release.
 */
void		 rung_space_sampler_draw(struct rung_space_sampler *,
		     uint32_t handle, struct rung_config *);
/*
 * Trial handle ran configuration c (a resumed campaign's, as recorded):
 * remembered as its, and written to out (when not NULL) in the space's
 * words, as it was drawn. -1 when c does not fit the space (a parameter
 * missing, out of bounds, not a choice of it): out is left empty.
 */
int		 rung_space_sampler_take(struct rung_space_sampler *,
		     uint32_t handle, const struct rung_config *c,
		     struct rung_config *out);
/* As rung_sampler_observe, for the trial of a handle drawn or taken. */
void		 rung_space_sampler_observe(struct rung_space_sampler *,
		     uint32_t handle, int32_t step, double value);
uint32_t	 rung_space_sampler_observed(const struct rung_space_sampler *);
void		 rung_space_sampler_free(struct rung_space_sampler *);

#endif
