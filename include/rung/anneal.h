/*
 * A general QUBO sampler: simulated annealing as D-Wave's neal does it
 * (Metropolis single-flip sweeps over a geometric schedule of inverse
 * temperatures whose ends come from the problem's biases), for the
 * quantum-annealer variant of the predictor (qsvr.h) and whatever else
 * has a small dense QUBO to minimise.
 */
#ifndef RUNG_ANNEAL_H
#define RUNG_ANNEAL_H

#include <stdint.h>

/*
 * E(x) = offset + sum over i <= j of q[i * n + j] x_i x_j, x in {0, 1}^n:
 * q is upper triangular (the diagonal is the linear part, entries below
 * it are ignored), as dimod's from_qubo and the authors' code write it.
 */
struct rung_qubo {
	uint32_t	 n;
	double		*q;		/* n * n */
	double		 offset;
};

void		 rung_qubo_init(struct rung_qubo *, uint32_t n);
void		 rung_qubo_release(struct rung_qubo *);
double		 rung_qubo_energy(const struct rung_qubo *, const uint8_t *x);

/*
 * neal's default ends of the schedule: the hot end accepts the largest
 * flip the problem can make half the time, the cold end its smallest one
 * once in a hundred.
 */
void		 rung_anneal_beta_range(const struct rung_qubo *,
		     double *hot, double *cold);

struct rung_anneal_params {
	uint32_t	 reads;		/* independent runs (1000) */
	uint32_t	 sweeps;	/* sweeps of every variable a read */
	double		 beta_hot;	/* both 0: rung_anneal_beta_range */
	double		 beta_cold;
	uint64_t	 seed;
	int		 threads;	/* reads in parallel; 0: one a CPU */
};
void		 rung_anneal_params_init(struct rung_anneal_params *);

/*
 * reads samples into x (reads * n bytes, 0 or 1) and their energies into
 * energy (reads values; NULL: not wanted). Read r draws from its own
 * stream, seeded by seed and r alone, so the samples are the same whatever
 * the number of threads.
 */
int		 rung_anneal(const struct rung_qubo *,
		     const struct rung_anneal_params *, uint8_t *x,
		     double *energy, char **cause);

#endif
