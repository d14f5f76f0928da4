/*
 * The insides of the predictor, shared by its files: scores.c (numpy's
 * sums, R^2), features.c, svr.c (libsvm), svr-text.c (saved models),
 * search.c and predict.c (evaluation); callers use include/rung/predict.h
 * only.
 */
#ifndef RUNG_PREDICT_INT_H
#define RUNG_PREDICT_INT_H

#include <stddef.h>
#include <stdint.h>

#ifdef HAVE_SVM_H
#include <svm.h>
#else
#include <libsvm/svm.h>
#endif

#include "rung/predict.h"
#include "rung/qsvr.h"
#include "rung/study.h"

/* A trained model: svr.c fits it, svr-text.c saves and loads it. */
struct rung_svr {
	enum rung_svr_type	 type;
	uint32_t		 d;
	struct rung_scaler	 xs;
	struct rung_scaler	 ys;
	/*
	 * libsvm's model keeps pointers into the problem's nodes: one array
	 * for all rows, freed after the model. A loaded model owns its
	 * support vectors itself and has no problem.
	 */
	struct svm_problem	 prob;
	struct svm_node		*nodes;
	struct svm_model	*model;
	/* QSVR: its fit on the scaled rows instead of libsvm's. */
	struct rung_qsvr	*q;
};

/* svr-text.c: a QSVR's text (rung_svr_save and rung_svr_load call). */
int		 rung_qsvr_save_text(const struct rung_svr *, char **text,
		     size_t *len);
int		 rung_qsvr_load_text(const char *text, size_t len,
		     struct rung_svr **, char **cause);

/* scores.c: numpy's sum and var of n values (var's tmp holds n). */
double		 rung_np_sum(const double *, size_t n);
double		 rung_np_var(const double *, size_t n, double *tmp);
/* scikit-learn's r2_score; tmp holds n values. */
double		 rung_r2_score(const double *y, const double *yhat,
		     uint32_t n, double *tmp);

/* features.c: the position of step in trial t's points, or -1. */
int64_t		 rung_find_step(const struct rung_study *, uint32_t t,
		     int32_t step);

/* svr.c: libsvm as scikit-learn sets it up. */
void		 rung_svm_quiet(void);
double		 rung_gamma_scale(const double *x, uint32_t n, uint32_t d);
int		 rung_svr_check_params(const struct rung_svr_params *,
		     char **cause);
void		 rung_svr_libsvm_params(const struct rung_svr_params *,
		     double gamma, struct svm_parameter *);
void		 rung_svr_fill_nodes(struct svm_node *, const double *row,
		     uint32_t d);
int		 rung_svr_check_rows(const double *x, const double *y,
		     uint32_t n, uint32_t d, char **cause);

/*
 * search.c: nsearch searches of n rows each (x[i], y[i], already scaled)
 * around base, their (candidate, fold) jobs on one pool of threads, so
 * that no thread idles while another search has work; best[i] and score[i]
 * as rung_svr_search gives them. base is not checked here.
 */
int		 rung_svr_search_each(const struct rung_svr_params *base,
		     const struct rung_search *, const double *const *x,
		     const double *const *y, uint32_t nsearch, uint32_t n,
		     uint32_t d, int threads, struct rung_svr_params *best,
		     double *score, char **cause);

#endif
