/*
 * The quantum-annealer variant of the predictor (QSVR): Swift-Hyperband's
 * authors trained its SVR on a D-Wave annealer (Wulff, García Amboage et
 * al., Quantum Machine Intelligence 6:59, 2024, after Willsch et al.'s
 * QSVM). The SVR's dual, each coefficient alpha_n and alpha*_n written in
 * K bits, is a QUBO; an annealer (here simulated, anneal.h, or a real one
 * through the files of rung(5)) samples it; the lowest samples are
 * combined seven ways, and a prediction is the mean of the seven SVRs.
 *
 * This file works on rows already scaled (MinMax, predict.h); rung_svr_fit
 * with RUNG_QSVR does the scaling and is what callers use.
 */
#ifndef RUNG_QSVR_H
#define RUNG_QSVR_H

#include <stdint.h>

#include "rung/anneal.h"

#define RUNG_QSVR_SETS	7	/* the combinations of the samples */

/*
 * The authors' settings (qpredictor.py), fixed: not searched.
 */
struct rung_qsvr_params {
	uint32_t	 K;		/* bits a coefficient (3) */
	double		 B;		/* base of the encoding (0.5) */
	double		 k0;		/* exponent offset (0.005) */
	double		 xi;		/* weight of the sum(alpha - alpha*)^2
					   penalty (0.01) */
	double		 epsilon;	/* the tube (0.02) */
	double		 gamma;		/* RBF (0.1) */
	double		 C;		/* bound of a support vector, for the
					   bias only (67.61) */
	uint32_t	 nmax;		/* training points at most (20) */
	/* share of the reads combined: max(reads * 0.004, 2) (as theirs) */
	struct rung_anneal_params anneal;
	/*
	 * Files for an annealer outside (rung(5)): with qubo_out, the QUBO
	 * of each fit is written to QUBO_OUT/TAG.qubo and TAG.map, and the
	 * simulated annealer's samples to TAG.samples; with samples_in,
	 * SAMPLES_IN/TAG.samples is read instead of annealing.
	 */
	const char	*qubo_out;
	const char	*samples_in;
	const char	*tag;
};
void		 rung_qsvr_params_init(struct rung_qsvr_params *);

/* The coefficient weight of bit k: B^(k - k0). */
double		 rung_qsvr_weight(const struct rung_qsvr_params *, uint32_t k);

/*
 * The QUBO of n rows (scaled): variable K * c + k is bit k of coefficient
 * c, coefficients 0..n-1 the alphas and n..2n-1 the alpha*s, in the
 * authors' order. qb is initialised here.
 */
void		 rung_qsvr_qubo(const struct rung_qsvr_params *,
		     const double *x, const double *y, uint32_t n, uint32_t d,
		     struct rung_qubo *qb);
/* The 2n coefficients a sample of 2Kn bits encodes. */
void		 rung_qsvr_decode(const struct rung_qsvr_params *,
		     const uint8_t *bits, uint32_t n, double *coef);

/* A fitted QSVR: its training rows and the seven coefficient sets. */
struct rung_qsvr {
	uint32_t	 n;		/* training points */
	uint32_t	 d;
	double		 gamma;
	double		*x;		/* n * d, scaled */
	double		*coef;		/* SETS * n: alpha - alpha* */
	double		 b[RUNG_QSVR_SETS];
	uint32_t	 used;		/* samples combined */
};

/*
 * Fit on n scaled rows: more than nmax are cut to a random nmax (seeded
 * by the anneal seed); anneal (or read samples_in), combine, compute the
 * biases. 0, or -1 with *cause naming the file, line and field of bad
 * samples.
 */
int		 rung_qsvr_fit(const struct rung_qsvr_params *,
		     const double *x, const double *y, uint32_t n,
		     uint32_t d, struct rung_qsvr **, char **cause);
/*
 * Finish a fit from nsamples samples of the QUBO of these (already cut)
 * rows, as rung_qsvr_fit does after annealing.
 */
int		 rung_qsvr_combine(const struct rung_qsvr_params *,
		     const double *x, const double *y, uint32_t n,
		     uint32_t d, const uint8_t *samples, uint32_t nsamples,
		     struct rung_qsvr **, char **cause);
/* The mean of the seven sets' predictions of one scaled row. */
double		 rung_qsvr_predict(const struct rung_qsvr *, const double *row);
void		 rung_qsvr_free(struct rung_qsvr *);

#endif
