/*
 * rung's one source of random numbers: a splitmix64 stream that every
 * seeded choice (splits, shuffles, samplers, random searches) draws from.
 */
#ifndef RUNG_RNG_H
#define RUNG_RNG_H

#include <stdint.h>

/*
 * splitmix64's increment, 2^64 over the golden ratio: also what spreads a
 * seed (a seed times it, xor another) so that seeds 0, 1, 2 ... start
 * streams far apart.
 */
#define RUNG_RNG_GOLDEN	0x9e3779b97f4a7c15ULL

/* A deterministic random stream (splitmix64): the same seed, the same run. */
struct rung_rng {
	uint64_t	 s;
};
void		 rung_rng_seed(struct rung_rng *, uint64_t seed);
uint64_t	 rung_rng_next(struct rung_rng *);
double		 rung_rng_uniform(struct rung_rng *);	/* [0, 1) */
/* Fisher-Yates shuffle of v[0..n). */
void		 rung_rng_shuffle(struct rung_rng *, uint32_t *v, uint32_t n);
/* loguniform(lo, hi) as scipy.stats.loguniform. */
double		 rung_rng_loguniform(struct rung_rng *, double lo, double hi);

#endif
