/*
 * The QSVR's files for an annealer outside rung (rung(5), "QUBO files"):
 * each fit's QUBO as a BQM in the "i j bias" lines that dimod's COO reader
 * takes, the map from its variables to the coefficients they encode, and
 * samples, one a line, written from the simulated annealer or read back
 * from another. A fit then runs as rung_qsvr_fit with samples_in set, the
 * same pipeline from the samples on.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/qsvr.h"
#include "rung/rng.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

/* Write text to DIR/TAG.EXT whole, or say why not. */
static int
put_file(const char *dir, const char *tag, const char *ext,
    const struct rung_buf *b, char **cause)
{
	char	*path = xprintf("%s/%s.%s", dir, tag, ext);
	int	 ret;

	ret = rung_write_file(path, b->len ? b->data : "", b->len, cause);
	free(path);
	return ret;
}

static int
write_files(const struct rung_qsvr_params *p, const struct rung_qubo *qb,
    uint32_t n, const uint8_t *samples, uint32_t nsamples, char **cause)
{
	struct rung_buf	 b = { 0 };
	uint32_t	 nv = qb->n, i, j, c;
	double		 v;
	int		 ret = -1;

	rung_buf_printf(&b, "# rung QSVR QUBO %s: %u variables, %u training "
	    "points, K %u\n# vartype=BINARY\n# offset=%.20f\n", p->tag, nv, n,
	    p->K, qb->offset);
	for (i = 0; i < nv; i++) {
		for (j = i; j < nv; j++) {
			/*
			 * Every pair, zeros too: the problem is a clique.
			 * Fixed-point, for dimod's COO reader takes no
			 * exponent (and skips, silently, a line with one);
			 * 20 decimals keep 17 digits of any bias above 1e-3.
			 */
			v = qb->q[(size_t)i * nv + j];
			rung_buf_printf(&b, "%u %u %.20f\n", i, j, v);
		}
	}
	if (put_file(p->qubo_out, p->tag, "qubo", &b, cause) != 0)
		goto out;
	b.len = 0;
	rung_buf_printf(&b, "# variable point side bit weight: coefficient "
	    "= sum of weight * bit\n");
	for (i = 0; i < nv; i++) {
		c = i / p->K;
		rung_buf_printf(&b, "%u %u %s %u %.17g\n", i, c % n,
		    c < n ? "alpha" : "alpha*", i % p->K,
		    rung_qsvr_weight(p, i % p->K));
	}
	if (put_file(p->qubo_out, p->tag, "map", &b, cause) != 0)
		goto out;
	b.len = 0;
	rung_buf_printf(&b, "# %u samples of %u variables, then the energy\n",
	    nsamples, nv);
	for (i = 0; i < nsamples; i++) {
		for (j = 0; j < nv; j++)
			rung_buf_addstr(&b, samples[(size_t)i * nv + j] ?
			    "1 " : "0 ");
		rung_buf_printf(&b, "%.17g\n", rung_qubo_energy(qb,
		    samples + (size_t)i * nv));
	}
	if (put_file(p->qubo_out, p->tag, "samples", &b, cause) != 0)
		goto out;
	ret = 0;
out:
	rung_buf_release(&b);
	return ret;
}

/*
 * DIR/TAG.samples: a sample a line, nv fields of 0 or 1, then optionally
 * its energy (a number; not used: the energy is computed again from the
 * QUBO, so that a file of bits alone is enough); '#' lines and blank
 * lines are skipped.
 */
static int
read_samples(const struct rung_qsvr_params *p, uint32_t nv, uint8_t **out,
    uint32_t *nout, char **cause)
{
	char		*path = xprintf("%s/%s.samples", p->samples_in, p->tag);
	char		*data = NULL, *line, *next, *tok, *save, *e, *nul;
	size_t		 len, cap = 0;
	uint8_t		*v = NULL;
	uint32_t	 n = 0, field, lineno = 0;
	double		 energy;
	int		 ret = -1;

	*out = NULL;
	*nout = 0;
	if (rung_read_file(path, &data, &len, cause) != 0)
		goto out;
	if ((nul = memchr(data, '\0', len)) != NULL) {
		for (line = data; line < nul; line++)
			lineno += *line == '\n';
		xasprintf(cause, "%s: line %u: a NUL byte: not a text file",
		    path, lineno + 1);
		goto out;
	}
	for (line = data; line != NULL && *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		if (line[strspn(line, " \t")] == '\0' ||
		    line[strspn(line, " \t")] == '#')
			continue;
		XGROW(v, cap, ((size_t)n + 1) * nv);
		field = 0;
		for (tok = strtok_r(line, " \t", &save); tok != NULL;
		    tok = strtok_r(NULL, " \t", &save)) {
			field++;
			if (field <= nv) {
				if (strcmp(tok, "0") != 0 &&
				    strcmp(tok, "1") != 0) {
					xasprintf(cause, "%s: line %u, field "
					    "%u: expected 0 or 1, not '%s'",
					    path, lineno, field, tok);
					goto out;
				}
				v[(size_t)n * nv + field - 1] = tok[0] == '1';
				continue;
			}
			errno = 0;
			energy = strtod(tok, &e);
			if (field > nv + 1 || *e != '\0' || e == tok ||
			    !isfinite(energy)) {
				xasprintf(cause, "%s: line %u, field %u: "
				    "expected %s, not '%s'", path, lineno,
				    field, field > nv + 1 ? "the end of the "
				    "line" : "the sample's energy", tok);
				goto out;
			}
		}
		if (field < nv) {
			xasprintf(cause, "%s: line %u, field %u: expected %u "
			    "variables of 0 or 1, found %u", path, lineno,
			    field + 1, nv, field);
			goto out;
		}
		n++;
	}
	if (n == 0) {
		xasprintf(cause, "%s: no samples", path);
		goto out;
	}
	*out = v;
	*nout = n;
	v = NULL;
	ret = 0;
out:
	free(v);
	free(data);
	free(path);
	return ret;
}

int
rung_qsvr_fit(const struct rung_qsvr_params *p, const double *x,
    const double *y, uint32_t n, uint32_t d, struct rung_qsvr **out,
    char **cause)
{
	struct rung_qubo qb;
	struct rung_rng	 rng;
	uint32_t	*idx = NULL, i, nv, ns;
	double		*sx = NULL, *sy = NULL;
	uint8_t		*samples = NULL;
	int		 ret = -1;

	*out = NULL;
	if (n == 0 || d == 0) {
		xasprintf(cause, "nothing to train on: %u rows of %u features",
		    n, d);
		return -1;
	}
	/* A random nmax of the rows, in their order (seeded, as theirs). */
	if (n > p->nmax) {
		idx = xreallocarray(NULL, n, sizeof *idx);
		for (i = 0; i < n; i++)
			idx[i] = i;
		rung_rng_seed(&rng, p->anneal.seed ^ 0x51535652ULL);
		rung_rng_shuffle(&rng, idx, n);
		qsort(idx, p->nmax, sizeof *idx, rung_cmp_u32);
		sx = xreallocarray(NULL, (size_t)p->nmax * d, sizeof *sx);
		sy = xreallocarray(NULL, p->nmax, sizeof *sy);
		for (i = 0; i < p->nmax; i++) {
			memcpy(sx + (size_t)i * d, x + (size_t)idx[i] * d,
			    d * sizeof *sx);
			sy[i] = y[idx[i]];
		}
		x = sx;
		y = sy;
		n = p->nmax;
	}
	nv = 2 * p->K * n;
	rung_qsvr_qubo(p, x, y, n, d, &qb);
	if (p->samples_in != NULL) {
		if (read_samples(p, nv, &samples, &ns, cause) != 0)
			goto out;
	} else {
		ns = p->anneal.reads;
		samples = xreallocarray(NULL, (size_t)ns * nv + 1, 1);
		if (rung_anneal(&qb, &p->anneal, samples, NULL, cause) != 0)
			goto out;
	}
	if (p->qubo_out != NULL && write_files(p, &qb, n, samples, ns,
	    cause) != 0)
		goto out;
	ret = rung_qsvr_combine(p, x, y, n, d, samples, ns, out, cause);
out:
	rung_qubo_release(&qb);
	free(samples);
	free(idx);
	free(sx);
	free(sy);
	return ret;
}
