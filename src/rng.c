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

/*
 * Uniform on [0, n) without modulo bias: reject the short last block,
 * x < 2^64 mod n. That bound is below n <= 2^32, so a draw at or above
 * 2^32 (all but one in four billion) is kept without the division that
 * finds it.
 */
static uint32_t
rng_below(struct rung_rng *r, uint32_t n)
{
	uint64_t	 x, t;

	x = rung_rng_next(r);
	if (x >> 32 == 0) {
		t = (0 - (uint64_t)n) % n;	/* 2^64 mod n */
		while (x < t)
			x = rung_rng_next(r);
	}
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
