/*
 * The learning-curve predictor: support vector regression (libsvm) from a
 * curve prefix, and optionally the hyperparameters, to the value at a target
 * step. It follows Swift-Hyperband's predictor (nu-SVR, RBF, MinMaxScaler on
 * X and y, gamma 'scale') and Baker et al.'s features; scikit-learn's NuSVR
 * and SVR with the same settings give the same predictions. RUNG_QSVR is
 * the authors' quantum-annealer variant (qsvr.h) behind the same functions.
 */
#ifndef RUNG_PREDICT_H
#define RUNG_PREDICT_H

#include <stdint.h>
#include <stddef.h>

#include "rung/rng.h"
#include "rung/study.h"

/* Features. */
enum rung_features {
	RUNG_FEAT_RAW = 0,	/* the K prefix values (Swift-Hyperband) */
	RUNG_FEAT_BAKER,	/* prefix, 1st and 2nd differences, parameters */
};

struct rung_featspec {
	enum rung_features kind;
	/*
	 * K: the values at steps 1..K, each the last point recorded at or
	 * before it (a sparse curve's points up to K, held).
	 */
	int32_t		 prefix;
	int32_t		 target;	/* T: the value to predict */
	/*
	 * Baker: the parameters used, with their encoding fixed when the
	 * model is trained so that another study is encoded the same way:
	 * numbers as they are (log scale ones as log10), categorical ones
	 * one-hot over the levels seen in training.
	 */
	uint32_t	 nparams;
	char		**pnames;
	enum rung_ptype	*ptypes;
	int		*plog;
	uint32_t	*nlevels;
	char		***levels;
};

void		 rung_featspec_release(struct rung_featspec *);
/* Room for n parameters, zeroed; what f held before is not freed. */
void		 rung_featspec_alloc(struct rung_featspec *, uint32_t n);
/* Fix the Baker parameter encoding from a study (every parameter). */
void		 rung_featspec_params(struct rung_featspec *,
		     const struct rung_study *);
/*
 * Keep only the parameters named, in that order; a name that is not one of
 * the spec's is an error.
 */
int		 rung_featspec_keep(struct rung_featspec *,
		     char *const *names, size_t n, char **cause);
/* Number of feature columns. */
uint32_t	 rung_featspec_width(const struct rung_featspec *);

struct rung_dataset {
	uint32_t	 n;		/* rows */
	uint32_t	 d;		/* feature columns */
	double		*x;		/* n * d, row-major */
	double		*y;		/* n targets; NaN where unknown */
	uint32_t	*trial;		/* the study's trial index of each row */
	uint32_t	 skipped_short;	/* no point at or before K, or
					   stopped before K */
	uint32_t	 skipped_nonfinite; /* NaN or inf in the prefix */
	uint32_t	 skipped_notarget; /* need_target and no value at T */
};

/*
 * Rows for the trials of s that reached step K with finite values at steps
 * 1..K: a step's value is that of the last point recorded at or before it
 * (steps before the first point take its value), so that a sparse curve
 * gives its points up to K and a dense one its own values. With
 * need_target, only those with a finite value recorded at step T. A parameter
 * of the spec missing from s is an error; a categorical level unseen in
 * training encodes as all zeros.
 */
int		 rung_dataset_build(const struct rung_study *,
		     const struct rung_featspec *, int need_target,
		     struct rung_dataset *, char **cause);
void		 rung_dataset_release(struct rung_dataset *);

/*
 * MinMaxScaler: x' = x * scale + min; a column whose range is below ten
 * machine epsilons (a constant one) has range 1, as in scikit-learn.
 */
struct rung_scaler {
	uint32_t	 d;
	double		*scale;
	double		*min;
};
void		 rung_scaler_fit(struct rung_scaler *, const double *x,
		     uint32_t n, uint32_t d, uint32_t stride);
void		 rung_scaler_apply(const struct rung_scaler *, double *row);
double		 rung_scaler_inverse1(const struct rung_scaler *, double);
void		 rung_scaler_release(struct rung_scaler *);

enum rung_svr_type {
	RUNG_NU_SVR = 0,
	RUNG_EPS_SVR,
	RUNG_QSVR,	/* the annealer's SVR (qsvr.h): fixed settings */
};
/* "nu-svr", "eps-svr", "qsvr": --svr's words. */
const char	*rung_svr_type_name(enum rung_svr_type);
/* "nu-SVR", "epsilon-SVR", "QSVR": for titles. */
const char	*rung_svr_type_title(enum rung_svr_type);
int		 rung_svr_type_parse(const char *);	/* -1 if unknown */
/* "nu-svr, eps-svr or qsvr", for messages. */
const char	*rung_svr_type_list(void);
/*
 * Whether the type's settings are fixed (QSVR: the authors'): no search,
 * no --C, --nu, --epsilon or --gamma.
 */
int		 rung_svr_type_fixed(enum rung_svr_type);

struct rung_svr_params {
	enum rung_svr_type type;
	double		 C;		/* default 1 */
	double		 nu;		/* nu-SVR, default 0.5 */
	double		 epsilon;	/* epsilon-SVR, default 0.1 */
	double		 gamma;		/* <= 0: scikit-learn's 'scale' */
	double		 tol;		/* default 1e-3 */
	/*
	 * QSVR only (libsvm's fits are deterministic): the seed of its
	 * subset of points and of the annealer, the annealer's threads,
	 * and its files for an annealer outside (qsvr.h), tag naming the
	 * fit's files.
	 */
	uint64_t	 seed;
	int		 threads;
	const char	*qubo_out;
	const char	*samples_in;
	const char	*tag;
};
void		 rung_svr_params_init(struct rung_svr_params *);
/* Set the type, and with a fixed type (QSVR) its settings. */
void		 rung_svr_params_type(struct rung_svr_params *,
		     enum rung_svr_type);

/*
 * A trained model: the scalers of X and y, and libsvm's model together with
 * the training problem its support vectors point into (they live and die
 * together).
 */
struct rung_svr;

/* Fit on n rows of d features (unscaled); scaling is fitted here. */
int		 rung_svr_fit(const struct rung_svr_params *, const double *x,
		     const double *y, uint32_t n, uint32_t d,
		     struct rung_svr **, char **cause);
/* Predict one unscaled row. */
double		 rung_svr_predict(const struct rung_svr *, const double *row);
void		 rung_svr_free(struct rung_svr *);
/* The gamma used (after 'scale' was resolved). */
double		 rung_svr_gamma(const struct rung_svr *);
/* Serialise (scalers and libsvm's model text) and back. */
int		 rung_svr_save(const struct rung_svr *, char **text,
		     size_t *len, char **cause);
int		 rung_svr_load(const char *text, size_t len,
		     struct rung_svr **, char **cause);

/*
 * Scores of predictions against truth: NaN with no row; with one row,
 * R^2 and the rank correlations are NaN.
 */
struct rung_scores {
	double		 r2;		/* scikit-learn's r2_score */
	double		 rmse;
	double		 mae;
	double		 spearman;	/* rho, average ranks for ties */
	double		 kendall;	/* tau-b, as scipy.stats.kendalltau */
};
void		 rung_scores_compute(const double *y, const double *yhat,
		     uint32_t n, struct rung_scores *);

/* Hyperparameter search by k-fold cross-validation scored by R^2. */
enum rung_search_kind {
	RUNG_SEARCH_NONE = 0,
	RUNG_SEARCH_GRID,
	RUNG_SEARCH_RANDOM,
};

struct rung_search {
	enum rung_search_kind kind;
	uint32_t	 nrandom;	/* random:N */
	uint32_t	 folds;		/* default 3; KFold without shuffling */
	int		 threads;	/* candidates and folds in parallel */
	uint64_t	 seed;
	/*
	 * 0: up to about 2000 rows, the RBF kernel of each gamma is computed
	 * once for every candidate and fold that uses it, with libsvm's own
	 * arithmetic, and handed to libsvm as a precomputed kernel; 1: libsvm
	 * computes every kernel value itself, as it must for larger
	 * searches. The scores are the same to the last bit either way.
	 */
	int		 plain_kernel;
	/*
	 * Grid values (NULL: the defaults, documented in rung(1)): C, nu or
	 * epsilon, and gamma as multiples of 'scale'.
	 */
	const double	*c_grid;
	uint32_t	 nc;
	const double	*nu_grid;
	uint32_t	 nnu;
	const double	*gamma_grid;
	uint32_t	 ngamma;
};
void		 rung_search_init(struct rung_search *);

/*
 * Search around base on already-scaled data (rows x, targets y): *best
 * gets the winning parameters (gamma absolute), *score its mean R^2 over
 * the folds. Ties go to the first candidate in grid order, the parameter
 * names sorted as GridSearchCV sorts them (C, gamma, nu; C, epsilon,
 * gamma), the last varying fastest.
 */
int		 rung_svr_search(const struct rung_svr_params *base,
		     const struct rung_search *, const double *x,
		     const double *y, uint32_t n, uint32_t d,
		     struct rung_svr_params *best, double *score,
		     char **cause);

/* How early can the study be predicted: one row per prefix. */
struct rung_fit_opts {
	struct rung_featspec feat;	/* kind, target; prefix set per row */
	struct rung_svr_params svr;
	struct rung_search search;
	uint32_t	 train;		/* training trials per repeat; 0: default */
	uint32_t	 test;		/* test trials per repeat; 0: default */
	uint32_t	 repeats;	/* default 1 */
	uint64_t	 seed;
	int		 threads;	/* all of the evaluation's threads */
	/*
	 * When set, each prefix's first training set, scaled, is written to
	 * DIR/train-K.csv (y, then the features).
	 */
	const char	*dump_dir;
	/*
	 * When set, repeats * ntrials values (NaN-filled by the caller):
	 * repeat r's prediction of each test trial t is written at
	 * [r * ntrials + t], for plots of predicted against actual.
	 */
	double		*predictions;
};

struct rung_fit_row {
	int32_t		 prefix;
	uint32_t	 n_rows;	/* trials that qualify */
	uint32_t	 n_train;
	uint32_t	 n_test;
	uint32_t	 n_skipped;	/* non-finite prefixes left out */
	struct rung_scores mean;
	struct rung_scores sd;
	struct rung_svr_params chosen;	/* of the first repeat */
	/*
	 * The baseline that needs no training set: each test trial's own
	 * learning-curve extrapolation (lce.h, best fit) from its points up
	 * to K to the target, scored on the same test trials and repeats.
	 * Test trials whose fit fails (fewer than three points up to K) are
	 * left out of these scores only; n_lce_skipped counts those of the
	 * first repeat's test set.
	 */
	struct rung_scores lce_mean;
	struct rung_scores lce_sd;
	uint32_t	 n_lce_skipped;
};

/*
 * The sizes a fit takes by default (rung(1)): 80% of the n trials that
 * qualify to train on and the rest to score on, but at most
 * RUNG_FIT_TRAIN_MAX training trials with no search, fewer with one (the
 * work of a search, candidates times folds fits, kept to that of about one
 * fit: libsvm's training grows as the square of its rows or faster), and at
 * most RUNG_FIT_TEST_MAX test trials (scoring costs the rows times the
 * support vectors). Past them a fit takes random subsets and says so,
 * so that it ends in bounded time on a study of any size.
 */
#define RUNG_FIT_TRAIN_MAX	8000
#define RUNG_FIT_TEST_MAX	50000
uint32_t	 rung_fit_train_cap(const struct rung_search *);
uint32_t	 rung_fit_default_train(const struct rung_fit_opts *,
		     uint32_t n);

/*
 * Evaluate one prefix: split the eligible trials at random into train and
 * test (per repeat, seed + repeat), fit the scaler and search on the
 * training set, train, score on the test set; score LCE on the same test
 * sets.
 */
int		 rung_fit_evaluate(const struct rung_study *,
		     const struct rung_fit_opts *, int32_t prefix,
		     struct rung_fit_row *, char **cause);

#endif
