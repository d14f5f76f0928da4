/*
 * Simulated annealing of a QUBO, after dwave-neal: each read starts from
 * random bits and sweeps the variables in order, flipping each with the
 * Metropolis rule, while beta rises geometrically from the hot end to the
 * cold one. A flip's change of energy is read from the variable's local
 * field, and a taken flip updates every field in one pass of the dense
 * symmetric matrix (n is at most a few hundred here), so a sweep costs n
 * comparisons plus n additions per flip taken.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rung/anneal.h"
#include "rung/pool.h"
#include "rung/rng.h"
#include "rung/xmalloc.h"

void
rung_qubo_init(struct rung_qubo *qb, uint32_t n)
{
	qb->n = n;
	qb->q = xcalloc((size_t)n * n + 1, sizeof *qb->q);
	qb->offset = 0;
}

void
rung_qubo_release(struct rung_qubo *qb)
{
	free(qb->q);
	memset(qb, 0, sizeof *qb);
}

double
rung_qubo_energy(const struct rung_qubo *qb, const uint8_t *x)
{
	uint32_t	 i, j, n = qb->n;
	double		 e = 0;

	for (i = 0; i < n; i++) {
		if (!x[i])
			continue;
		for (j = i; j < n; j++) {
			if (x[j])
				e += qb->q[(size_t)i * n + j];
		}
	}
	return e + qb->offset;
}

void
rung_anneal_beta_range(const struct rung_qubo *qb, double *hot, double *cold)
{
	uint32_t	 i, j, n = qb->n;
	double		 w, span, maxspan = 0, minw = HUGE_VAL;

	/*
	 * A flip of x_i changes the energy by its diagonal plus any subset
	 * of its couplings: at most the sum of their sizes, at least (for a
	 * flip that changes it at all) about the smallest of them.
	 */
	for (i = 0; i < n; i++) {
		span = 0;
		for (j = 0; j < n; j++) {
			w = fabs(i <= j ? qb->q[(size_t)i * n + j] :
			    qb->q[(size_t)j * n + i]);
			span += w;
			if (w > 0 && w < minw)
				minw = w;
		}
		if (span > maxspan)
			maxspan = span;
	}
	if (maxspan == 0) {
		*hot = *cold = 1;
		return;
	}
	*hot = log(2.) / maxspan;
	*cold = log(100.) / minw;
	if (*cold < *hot)
		*cold = *hot;
}

/*
 * 1000 sweeps is neal's default; 1000 reads of the QSVR's 120 variables
 * then cost some 3.5 s of one core, too slow for a replay that fits a
 * predictor many times a seed. 100 sweeps cost a tenth of that. Their
 * samples are less low (on one such QUBO the reads' mean energy is 0.27
 * against 0.07 with 1000 sweeps, the lowest -0.02 against -0.18), as a
 * real annealer's are noisy too: the QSVR combines only the lowest few,
 * and with it the MLPF replay of swift-hyperband saves as the authors'
 * annealer did (README). On problems of up to 20 variables 100 sweeps
 * find the minimum (tests/unit-qsvr.c checks it by brute force).
 */
void
rung_anneal_params_init(struct rung_anneal_params *p)
{
	memset(p, 0, sizeof *p);
	p->reads = 1000;
	p->sweeps = 100;
	p->threads = 1;
}

struct anneal_ctx {
	const struct rung_qubo *qb;
	const struct rung_anneal_params *p;
	uint32_t	 np;		/* n rounded up to a multiple of 8 */
	float		*w;		/* n * np symmetric couplings, 0 diagonal
					   and padding */
	double		*beta;		/* sweeps */
	uint8_t		*x;
	double		*energy;
};

/*
 * h += row or h -= row over np entries, np a multiple of 8 (the rows are
 * padded with zeros): in vectors of four floats, which every x86-64 and
 * arm64 has, since this is where the time goes (half the flips of a read
 * are taken). Floats: a field drifts by some 1e-7 of its size a flip, far
 * below the gaps the cold end resolves, and halves the time of doubles.
 * The energies reported are computed again in double from the samples.
 */
typedef float v4f __attribute__((vector_size(16)));

static void
field_add(float *h, const float *row, uint32_t np, int up)
{
	v4f		 a, b;
	uint32_t	 j;

	if (up) {
		for (j = 0; j < np; j += 4) {
			memcpy(&a, h + j, sizeof a);
			memcpy(&b, row + j, sizeof b);
			a += b;
			memcpy(h + j, &a, sizeof a);
		}
	} else {
		for (j = 0; j < np; j += 4) {
			memcpy(&a, h + j, sizeof a);
			memcpy(&b, row + j, sizeof b);
			a -= b;
			memcpy(h + j, &a, sizeof a);
		}
	}
}

static void
anneal_read(void *arg, uint32_t r)
{
	struct anneal_ctx *c = arg;
	const struct rung_qubo *qb = c->qb;
	struct rung_rng	 rng;
	uint32_t	 n = qb->n, np = c->np, i, j, s;
	uint8_t		*x = c->x + (size_t)r * n;
	float		*h, *row;
	double		 b, d, v;

	/* The read's own stream: its samples do not depend on who runs it. */
	rung_rng_seed(&rng, (c->p->seed + 1) * RUNG_RNG_GOLDEN ^
	    ((uint64_t)r + 1) * 0xbf58476d1ce4e5b9ULL);
	for (i = 0; i < n; i++)
		x[i] = rung_rng_next(&rng) >> 63;

	/* h_i: the energy a flip of x_i from 0 to 1 adds. */
	h = xcalloc(np, sizeof *h);
	for (i = 0; i < n; i++) {
		v = qb->q[(size_t)i * n + i];
		row = c->w + (size_t)i * np;
		for (j = 0; j < n; j++)
			v += (double)row[j] * x[j];
		h[i] = (float)v;
	}
	for (s = 0; s < c->p->sweeps; s++) {
		b = c->beta[s];
		for (i = 0; i < n; i++) {
			d = x[i] ? -h[i] : h[i];
			/* exp(-36) is below the uniform's resolution. */
			if (d > 0 && (b * d > 36 ||
			    rung_rng_uniform(&rng) >= exp(-b * d)))
				continue;
			x[i] ^= 1;
			field_add(h, c->w + (size_t)i * np, np, x[i]);
		}
	}
	free(h);
	if (c->energy != NULL)
		c->energy[r] = rung_qubo_energy(qb, x);
}

int
rung_anneal(const struct rung_qubo *qb, const struct rung_anneal_params *p,
    uint8_t *x, double *energy, char **cause)
{
	struct anneal_ctx c;
	uint32_t	 n = qb->n, i, j, s;
	double		 hot = p->beta_hot, cold = p->beta_cold, v;

	if (p->reads == 0 || p->sweeps == 0) {
		xasprintf(cause, "annealing needs reads and sweeps, not %u and "
		    "%u", p->reads, p->sweeps);
		return -1;
	}
	for (i = 0; i < (size_t)n * n; i++) {
		if (!isfinite(qb->q[i])) {
			xasprintf(cause, "QUBO entry (%zu, %zu) is %g",
			    (size_t)i / n, (size_t)i % n, qb->q[i]);
			return -1;
		}
	}
	if (hot == 0 && cold == 0)
		rung_anneal_beta_range(qb, &hot, &cold);
	if (!(hot > 0) || !(cold >= hot) || !isfinite(cold)) {
		xasprintf(cause, "the inverse temperatures must rise from a "
		    "positive one: %g to %g", hot, cold);
		return -1;
	}

	memset(&c, 0, sizeof c);
	c.qb = qb;
	c.p = p;
	c.x = x;
	c.energy = energy;
	c.np = (n + 7) / 8 * 8;
	c.w = xcalloc((size_t)n * c.np + 1, sizeof *c.w);
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			v = qb->q[(size_t)i * n + j];
			c.w[(size_t)i * c.np + j] = (float)v;
			c.w[(size_t)j * c.np + i] = (float)v;
		}
	}
	c.beta = xreallocarray(NULL, p->sweeps, sizeof *c.beta);
	for (s = 0; s < p->sweeps; s++) {
		c.beta[s] = p->sweeps == 1 ? cold : hot * pow(cold / hot,
		    (double)s / (p->sweeps - 1));
	}
	rung_pool_run(p->reads, p->threads, anneal_read, &c);
	free(c.w);
	free(c.beta);
	return 0;
}
