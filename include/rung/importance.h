/*
 * Hyperparameter importance: which parameters decide how good a trial is.
 * PED-ANOVA (Watanabe, Bansal and Hutter, "PED-ANOVA: Efficiently
 * Quantifying Hyperparameter Importance in Arbitrary Subspaces", IJCAI
 * 2023), the method optuna-dashboard uses because it needs no model: a
 * parameter matters as much as the density of its values among the top
 * trials differs from their density among all trials (Pearson's
 * divergence of two Parzen estimates on a grid).
 */
#ifndef RUNG_IMPORTANCE_H
#define RUNG_IMPORTANCE_H

#include <stdint.h>

#include "rung/study.h"

/* The defaults: the best 10% make the top, 50 grid points a parameter. */
#define RUNG_PED_QUANTILE	0.1
#define RUNG_PED_GRID		50

struct rung_importance {
	uint32_t	 ntrials;	/* with a value */
	uint32_t	 ntop;		/* of them, the top */
	uint32_t	 nparams;
	/*
	 * Per parameter of the study: its share (they sum to 1 over those
	 * with one), NaN where it has fewer than two distinct values among
	 * the trials with a value, or none at all.
	 */
	double		*share;
	/* Per parameter: how many of the trials with a value set it. */
	uint32_t	*nset;
	/* What the caller should say (a parameter left out), or NULL. */
	char		*note;
};

void	 rung_importance_release(struct rung_importance *);

/*
 * PED-ANOVA of the study's parameters for the values y (one a trial, NaN
 * for a trial left out), lower better when dir is RUNG_MIN. The top is
 * the best quantile of the trials (two at least). A trial that does not
 * set a parameter (a conditional one) is left out of that parameter's
 * densities. use (NULL: all) says which parameters to assess; the others
 * have NaN. -1 with *cause when fewer than three trials have a value.
 */
int	 rung_ped_anova(const struct rung_study *, const double *y,
	     enum rung_direction dir, double quantile, const uint8_t *use,
	     struct rung_importance *, char **cause);

/*
 * fANOVA on a random forest (Hutter et al. 2014) as Optuna's
 * FanovaImportanceEvaluator computes it: 64 trees grown as scikit-learn's
 * RandomForestRegressor grows them, from the trials that set every
 * parameter of two values or more and have a value (of those use says,
 * NULL: all); seeded. A parameter's share is its mean share of the trees'
 * variance, normalised. A parameter whose split points cut its space into
 * more cells than can be gone through (a categorical of hundreds of
 * levels: one-hot columns multiply) has none, and im->note says so. ntop
 * is 0. -1 with *cause when fewer than two trials are left.
 */
int	 rung_fanova(const struct rung_study *, const double *y,
	     uint64_t seed, const uint8_t *use, struct rung_importance *,
	     char **cause);

/*
 * The value of trial t at step k: its value at its last point at or
 * before k, when it reached k (NaN otherwise, or when that is no finite
 * number).
 */
double	 rung_trial_value_at(const struct rung_study *, uint32_t t,
	     int32_t k);

/*
 * Importance as the commands ask for it (importance-args.c), shared by
 * rung importance and rung plot importance so that the two read the same
 * options alike: --method, --quantile and --seed (rung_imp_args, before
 * the study is loaded), --params and the columns of --prefix
 * (rung_imp_setup), then every column computed (rung_imp_compute). Each
 * says its error itself, "CMD: ...", and returns the exit status.
 */
struct rung_args;

/* A column: the final values, or the values at a step. */
struct rung_imp_col {
	char		 label[32];	/* "final", "12", "25%" */
	int32_t		 step;		/* 0: final */
	struct rung_importance im;
};

struct rung_imp_opts {
	int		 fanova;
	const char	*method;	/* "ped-anova" or "fanova" */
	double		 quantile;
	uint64_t	 seed;
	uint8_t		*use;		/* per parameter: --params chose it */
	int		*order;		/* the parameters --params names, */
	size_t		 norder;	/* in its order (all without it) */
	struct rung_imp_col *cols;
	size_t		 ncols;
};

int	 rung_imp_args(const struct rung_args *, const char *cmd,
	     struct rung_imp_opts *);
/* prefix_id: the command's id of --prefix. */
int	 rung_imp_setup(const struct rung_args *, const char *cmd,
	     int prefix_id, const struct rung_study *, struct rung_imp_opts *);
int	 rung_imp_compute(const char *cmd, const struct rung_study *,
	     struct rung_imp_opts *);
void	 rung_imp_release(struct rung_imp_opts *);
/* Parameter indices by their share, the most first, NaN last. */
void	 rung_imp_sort(const double *share, int *params, size_t n);
/*
 * The columns of --prefix (prefix_id): steps, percentages of max_step and
 * "final", separated by commas; "final" alone without it.
 */
int	 rung_args_columns(const struct rung_args *, const char *cmd,
	     int prefix_id, int32_t max_step, struct rung_imp_col **cols,
	     size_t *n);
/*
 * --params of a command: the parameters named, in their order, without
 * one twice (every parameter without --params). RUNG_EXIT_USAGE with the
 * error said, naming the nearest, when one is no parameter of the study.
 */
int	 rung_args_params(const struct rung_args *, const char *cmd,
	     const struct rung_study *, int **order, size_t *n);

#endif
