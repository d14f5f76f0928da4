/*
 * Random numbers: the splitmix64 stream of include/rung/rng.h and what is
 * drawn from it (bounded integers, shuffles, loguniform values), so that
 * the same seed gives the same run wherever rung draws.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>

#include "rung/rng.h"

void
rung_rng_seed(struct rung_rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t
rung_rng_next(struct rung_rng *r)
{
	uint64_t	 z;

	z = (r->s += RUNG_RNG_GOLDEN);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double
rung_rng_uniform(struct rung_rng *r)
{
	return (double)(rung_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform on [0, n) without modulo bias: reject the short last block. */
static uint32_t
rng_below(struct rung_rng *r, uint32_t n)
{
	uint64_t	 x, t;

	t = (0 - (uint64_t)n) % n;	/* 2^64 mod n */
	do
		x = rung_rng_next(r);
	while (x < t);
	return (uint32_t)(x % n);
}

void
rung_rng_shuffle(struct rung_rng *r, uint32_t *v, uint32_t n)
{
	uint32_t	 i, j, tmp;

	for (i = n; i > 1; i--) {
		j = rng_below(r, i);
		tmp = v[i - 1];
		v[i - 1] = v[j];
		v[j] = tmp;
	}
}

/* loguniform(lo, hi) as scipy.stats.loguniform: uniform in the logarithm. */
double
rung_rng_loguniform(struct rung_rng *r, double lo, double hi)
{
	return exp(log(lo) + rung_rng_uniform(r) * (log(hi) - log(lo)));
}
