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

/*
 * The stream's next number and a uniform on [0, 1) from it, inline: a
 * replay shuffles its pool with them, a call per element.
 */
static inline uint64_t
rung_rng_next(struct rung_rng *r)
{
	uint64_t	 z;

	z = (r->s += RUNG_RNG_GOLDEN);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline double
rung_rng_uniform(struct rung_rng *r)
{
	return (double)(rung_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Fisher-Yates shuffle of v[0..n). */
void		 rung_rng_shuffle(struct rung_rng *, uint32_t *v, uint32_t n);
/* loguniform(lo, hi) as scipy.stats.loguniform. */
double		 rung_rng_loguniform(struct rung_rng *, double lo, double hi);

#endif
