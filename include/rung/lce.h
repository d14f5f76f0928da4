/*
 * Learning-curve extrapolation (LCE): fit a few parametric curve families
 * (Domhan et al., IJCAI 2015) to the points one trial has reported so far
 * and say where it ends: its value at a step T, an optimistic bound on it,
 * and the chance that it beats an incumbent.
 *
 * Lower is better: a caller whose metric is maximised negates its values.
 * Each family is linear in two coefficients once its shape parameters are
 * fixed, so a fit is a grid over the shapes and, per grid point, a 2x2
 * least-squares problem: no iterative optimiser, no randomness, the same
 * answer on every machine for the same points. The workspace is the
 * caller's and grows to the longest curve it has seen; after that a fit
 * allocates nothing.
 */
#ifndef RUNG_LCE_H
#define RUNG_LCE_H

#include <stdint.h>

enum rung_lce_family {
	RUNG_LCE_FLAT = 0,	/* y = mean of the last third of the points */
	RUNG_LCE_POW3,		/* y = c + a x^-b */
	RUNG_LCE_EXP3,		/* y = c + a exp(-b x) */
	RUNG_LCE_LOGPOWER,	/* y = c + a / (1 + (x / e^b)^k) */
	RUNG_LCE_JANOSCHEK,	/* y = c + (a - c) exp(-k x^d) */
	RUNG_LCE_WEIBULL,	/* y = c + (a - c) exp(-(k x)^d) */
};
#define RUNG_LCE_NFAMILIES	6
#define RUNG_LCE_ALL		0x3f	/* every family, as a mask */

/*
 * One family's best fit. Shape parameters: pow3 and exp3 b in s1;
 * log-power b in s1, k in s2; Janoschek and Weibull k in s1, d in s2.
 * The decaying term's coefficient (a; a - c for Janoschek and Weibull) is
 * >= 0, lower being better: the curve improves. A grid point whose least
 * squares want it negative is left out, so a worsening curve is left to
 * the flat line.
 */
struct rung_lce_fit {
	enum rung_lce_family family;
	double		 c;
	double		 a;
	double		 s1;
	double		 s2;
	double		 rss;	/* residual sum of squares over the points */
};

/* The caller's workspace: zero it (or rung_lce_init), then fit at will. */
struct rung_lce {
	int		 families;	/* RUNG_LCE_* bits: 1 << family */

	/* Scratch, grown to the longest curve fit so far. */
	double		*lx;		/* ln x */
	double		*f;		/* the basis at the points */
	double		*yc;		/* the values less their mean */
	double		 ybar;		/* their mean */
	uint32_t	 cap;

	/*
	 * The basis of every grid point at the whole steps 1 .. bsteps, and
	 * its running sums and sums of squares: they depend on the step
	 * alone, not on the trial, so a fit of the points 1, 2, ..., n (the
	 * common case: a curve reported at every step) reads sum f and sum
	 * f^2 of each grid point and makes one pass over the points, for
	 * sum f y.
	 */
	const double	*bcache;	/* the process's: never freed here */
	const double	*bsum;		/* sum of the basis over 1 .. k */
	const double	*bsq;		/* sum of its squares */
	uint32_t	 bsteps;

	/* The last fit: the points' span and the fits, best (least RSS) first. */
	uint32_t	 n;		/* finite points used */
	double		 t;		/* last step */
	double		 last;		/* value at the last step */
	struct rung_lce_fit fit[RUNG_LCE_NFAMILIES];
	uint32_t	 nfit;
};

/* Every family. */
void		 rung_lce_init(struct rung_lce *);
void		 rung_lce_release(struct rung_lce *);

/*
 * Fit the families to the points (x[i], y[i]), x the step (>= 1, rising;
 * steps may be sparse). Returns 0; -1 when a point is not finite (NaN or
 * infinite: the trial diverged, and nothing is fit); 1 when fewer than
 * three points leave nothing to extrapolate (only the flat line is kept,
 * and its sigma is infinite).
 */
int		 rung_lce_fit(struct rung_lce *, const double *x,
		     const double *y, uint32_t n);
/* The fit's value at step T. */
double		 rung_lce_eval(const struct rung_lce_fit *, double T);
/* The value at T of the best fit; NaN before a fit. */
double		 rung_lce_predict(const struct rung_lce *, double T);
/* The mean at T of the k best fits (the small ensemble). */
double		 rung_lce_ensemble(const struct rung_lce *, double T, uint32_t k);
/*
 * The spread of the best fit at T: sqrt(RSS / max(1, n - 2)), widened by
 * (1 + ln(T / t)) for the distance extrapolated; infinite with fewer than
 * three points.
 */
double		 rung_lce_sigma(const struct rung_lce *, double T);
/*
 * The optimistic bound at T: the least of every family's fitted value and
 * the last value, less z sigma(T). A trial whose bound is worse than y*
 * is unlikely (one-sided normal tail beyond z) to beat y*.
 */
double		 rung_lce_bound(const struct rung_lce *, double T, double z);
/*
 * P(the value at T beats ystar), the best fit's prediction taken as the
 * mean of a normal of sd sigma(T); 0.5 when sigma is infinite.
 */
double		 rung_lce_prob_beats(const struct rung_lce *, double T,
		     double ystar);
/* z for a one-sided probability p: the normal quantile, Phi^-1(p). */
double		 rung_lce_z(double p);
const char	*rung_lce_family_name(enum rung_lce_family);

#endif
