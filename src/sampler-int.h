/*
 * TPE's Parzen estimator, one piece shared by the pool sampler of a
 * replay (sampler.c: it scores the configurations of a pool) and the
 * space sampler of a launch (sampler-space.c: it draws candidates and
 * scores them). include/rung/sampler.h says what is computed and how it
 * matches Optuna's TPESampler; this is the arithmetic, kept in the order
 * the replay's results were checked with.
 */
#ifndef RUNG_SAMPLER_INT_H
#define RUNG_SAMPLER_INT_H

#include <stdint.h>

#include "rung/rng.h"

#define PZ_NOSTEP	INT32_MIN

enum pz_kind {
	PZ_REAL = 1,		/* a density in [low, high] */
	PZ_INT,			/* the mass of a value's cell [v - 1/2, v + 1/2] */
	PZ_CAT,			/* ncat categories */
};

struct pz_kern {
	double		 v;
	uint32_t	 i;
};

/* One hyperparameter's estimator: m kernels and the prior (kernel m). */
struct parzen {
	enum pz_kind	 kind;
	double		 low;		/* transformed bounds */
	double		 high;
	uint32_t	 ncat;

	uint32_t	 m;
	uint32_t	 cap;
	double		*mu;
	double		*sg;
	double		*w;
	double		*coef;		/* numeric: 0 for an empty kernel */
	double		 W;		/* the weights' sum, the prior's too */
	struct pz_kern	*ks;
	double		*prob;		/* categorical: per category */
};

void		 pz_init(struct parzen *, enum pz_kind, double low,
		     double high, uint32_t ncat);
void		 pz_release(struct parzen *);
/*
 * Fit to m observations, oldest first: values x[] (numeric, transformed)
 * or categories cat[] (categorical); weights are default_weights(m).
 */
void		 pz_fit(struct parzen *, const double *x, const uint32_t *cat,
		     uint32_t m);
/*
 * Numeric: the density at x[0 .. n), ascending (real), or the mass of
 * the cells [xa, xb] (int; real passes x for both). Categorical: the
 * probabilities of the ncat categories (x, xa, xb unused, n = ncat).
 */
void		 pz_density(const struct parzen *, const double *x,
		     const double *xa, const double *xb, uint32_t n, double *d);
/*
 * A draw from the mixture: a transformed value in [low, high] (numeric)
 * or a category's index (categorical).
 */
double		 pz_sample(const struct parzen *, struct rung_rng *);

/* An observed configuration as TPE ranks it. */
struct pz_rank {
	int32_t		 step;		/* the highest reported */
	double		 val;		/* there; NaN as +inf */
	uint32_t	 seq;		/* order of use */
	uint32_t	 id;
};
/* Sort best first; the number of them below, gamma(n). */
uint32_t	 pz_split(struct pz_rank *, uint32_t n);

/* A standard normal truncated to [a, b], a < b, drawn by inversion. */
double		 pz_truncnorm(double a, double b, double u);
/* First index of v[0 .. n) (ascending) with v >= x. */
uint32_t	 pz_lower_bound(const double *v, uint32_t n, double x);
/* Phi(b) - Phi(a), a <= b, keeping precision in either tail. */
double		 pz_gauss_mass(double a, double b);

#endif
