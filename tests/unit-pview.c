/*
 * The parameter views' geometry: Pareto ranks against a brute-force
 * non-dominated sort (ties and equal points included, every pair of
 * directions), the contour's interpolation, axes of log, int, categorical
 * and one-value parameters, the best-so-far history and the EDF.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rung/pview.h"
#include "rung/rng.h"
#include "rung/study.h"
#include "rung/xmalloc.h"

#include "tap.h"

/* Whether i dominates j under the directions: the definition, directly. */
static int
dominates(const double *f1, enum rung_direction d1, const double *f2,
    enum rung_direction d2, uint32_t i, uint32_t j)
{
	int	 ge1, ge2, gt1, gt2;

	ge1 = d1 == RUNG_MIN ? f1[i] <= f1[j] : f1[i] >= f1[j];
	ge2 = d2 == RUNG_MIN ? f2[i] <= f2[j] : f2[i] >= f2[j];
	gt1 = d1 == RUNG_MIN ? f1[i] < f1[j] : f1[i] > f1[j];
	gt2 = d2 == RUNG_MIN ? f2[i] < f2[j] : f2[i] > f2[j];
	return ge1 && ge2 && (gt1 || gt2);
}

/* O(n^2) per front: peel off the points no remaining point dominates. */
static void
brute_rank(const double *f1, enum rung_direction d1, const double *f2,
    enum rung_direction d2, uint32_t n, uint32_t *rank)
{
	uint32_t	 i, j, left = 0, r;
	uint8_t		*done = xcalloc(n + 1, 1), *front = xcalloc(n + 1, 1);

	for (i = 0; i < n; i++) {
		rank[i] = UINT32_MAX;
		if (isfinite(f1[i]) && isfinite(f2[i]))
			left++;
		else
			done[i] = 1;
	}
	for (r = 0; left > 0; r++) {
		for (i = 0; i < n; i++) {
			front[i] = 0;
			if (done[i])
				continue;
			front[i] = 1;
			for (j = 0; j < n; j++) {
				if (!done[j] && dominates(f1, d1, f2, d2, j, i)) {
					front[i] = 0;
					break;
				}
			}
		}
		for (i = 0; i < n; i++) {
			if (front[i]) {
				rank[i] = r;
				done[i] = 1;
				left--;
			}
		}
	}
	free(done);
	free(front);
}

static void
test_pareto(void)
{
	static const enum rung_direction dirs[2] = { RUNG_MIN, RUNG_MAX };
	struct rung_rng	 rng;
	double		*f1, *f2;
	uint32_t	*got, *want, n, i, nfront, wfront, bad, round;
	uint32_t	 nbad[4] = { 0 }, npts[4] = { 0 };
	int		 a, b;

	for (round = 0; round < 4 * 30; round++) {
		a = round % 2;
		b = (round / 2) % 2;
		rung_rng_seed(&rng, round);
		n = 1 + (uint32_t)(rung_rng_uniform(&rng) * 300);
		f1 = xcalloc(n, sizeof *f1);
		f2 = xcalloc(n, sizeof *f2);
		got = xcalloc(n, sizeof *got);
		want = xcalloc(n, sizeof *want);
		for (i = 0; i < n; i++) {
			/* Few distinct values: many ties, many equal points. */
			f1[i] = floor(rung_rng_uniform(&rng) * (round % 7 + 2));
			f2[i] = floor(rung_rng_uniform(&rng) * (round % 5 + 2));
			if (rung_rng_uniform(&rng) < 0.05)
				f1[i] = NAN;
			if (rung_rng_uniform(&rng) < 0.03)
				f2[i] = INFINITY;
			/* Some runs of continuous values as well. */
			if (round % 3 == 0)
				f1[i] += rung_rng_uniform(&rng);
		}
		nfront = rung_pareto_rank(f1, dirs[a], f2, dirs[b], n, got);
		brute_rank(f1, dirs[a], f2, dirs[b], n, want);
		for (i = bad = wfront = 0; i < n; i++) {
			if (got[i] != want[i])
				bad++;
			if (want[i] == 0)
				wfront++;
		}
		if (bad > 0 || nfront != wfront)
			nbad[a * 2 + b]++;
		npts[a * 2 + b] += n;
		free(f1);
		free(f2);
		free(got);
		free(want);
	}

	for (a = 0; a < 2; a++) {
		for (b = 0; b < 2; b++)
			ok(nbad[a * 2 + b] == 0, "pareto %s/%s: ranks and front "
			    "as brute force on 30 sets, %u points (%u sets "
			    "differ)", rung_direction_name(dirs[a]),
			    rung_direction_name(dirs[b]), npts[a * 2 + b],
			    nbad[a * 2 + b]);
	}

	/* Equal points share a rank; a point beaten in one only is behind. */
	{
		double		 x[5] = { 1, 1, 1, 2, 0 };
		double		 y[5] = { 1, 1, 2, 1, 3 };
		uint32_t	 r[5];

		is_int(rung_pareto_rank(x, RUNG_MIN, y, RUNG_MIN, 5, r), 3,
		    "equal points are both on the front");
		ok(r[0] == 0 && r[1] == 0 && r[2] == 1 && r[3] == 1 &&
		    r[4] == 0, "ties: ranks 0 0 1 1 0 (got %u %u %u %u %u)",
		    r[0], r[1], r[2], r[3], r[4]);
	}
	is_int(rung_pareto_rank(NULL, RUNG_MIN, NULL, RUNG_MIN, 0, NULL), 0,
	    "no points, no front");
}

/* A study of n trials and these parameters, for the axes. */
static struct rung_study *
study_new(uint32_t n, uint32_t nparams)
{
	struct rung_study	*s = xcalloc(1, sizeof *s);

	s->ntrials = n;
	s->nparams = nparams;
	s->params = xcalloc(nparams, sizeof *s->params);
	s->ids = xcalloc(n, sizeof *s->ids);
	s->direction = RUNG_MIN;
	return s;
}

static struct rung_param *
param_num(struct rung_study *s, int k, const char *name, enum rung_ptype type,
    int log, const double *v)
{
	struct rung_param	*p = &s->params[k];

	p->name = xstrdup(name);
	p->type = type;
	p->log = log;
	p->num = xcalloc(s->ntrials, sizeof *p->num);
	memcpy(p->num, v, s->ntrials * sizeof *v);
	return p;
}

static void
test_axes(void)
{
	static const double lr[6] = { 1e-4, 1e-2, NAN, 1e-3, 1e-1, 1e-2 };
	static const double units[6] = { 16, 64, 32, 32, 128, NAN };
	static const double one[6] = { 3, 3, 3, NAN, 3, 3 };
	static const double neg[6] = { -1, 0, NAN, NAN, NAN, NAN };
	static const uint32_t opt[6] = { 1, 0, 2, UINT32_MAX, 1, 0 };
	static const char *levels[3] = { "adam", "sgd", "rmsprop" };
	struct rung_study	*s = study_new(6, 6);
	struct rung_param	*p;
	struct rung_pview_axis	 ax;
	double			 c, c2;
	uint32_t		 t;
	int			 far = 0, moved = 0;

	param_num(s, 0, "lr", RUNG_PREAL, 1, lr);
	param_num(s, 1, "units", RUNG_PINT, 0, units);
	param_num(s, 2, "one", RUNG_PREAL, 0, one);
	param_num(s, 3, "neg", RUNG_PREAL, 1, neg);
	p = &s->params[4];
	p->name = xstrdup("opt");
	p->type = RUNG_PCAT;
	p->cat = xcalloc(6, sizeof *p->cat);
	memcpy(p->cat, opt, sizeof opt);
	p->nlevels = 3;
	p->levels = xcalloc(3, sizeof *p->levels);
	for (t = 0; t < 3; t++)
		p->levels[t] = xstrdup(levels[t]);
	p = &s->params[5];
	p->name = xstrdup("only");
	p->type = RUNG_PCAT;
	p->cat = xcalloc(6, sizeof *p->cat);
	p->nlevels = 1;
	p->levels = xcalloc(1, sizeof *p->levels);
	p->levels[0] = xstrdup("x");

	ok(rung_pview_axis(s, 0, &ax) == 0, "log axis");
	ok(ax.log && !ax.cat && ax.lo == -4 && ax.hi == -1 && ax.nset == 5,
	    "log axis: log10 span -4 to -1 of 5 trials (%g %g %u)", ax.lo,
	    ax.hi, ax.nset);
	is_dbl(rung_pview_coord(s, &ax, 3, 0), -3, "log coordinate: log10");
	is_dbl(rung_pview_pos(s, &ax, 3), 1.0 / 3, "log position");
	is_dbl(rung_pview_pos(s, &ax, 2), NAN, "unset: NaN position");
	ok(fabs(rung_pview_value(&ax, 1.0 / 3) - 1e-3) < 1e-15,
	    "log position back to its value");

	ok(rung_pview_axis(s, 1, &ax) == 0 && !ax.log && ax.lo == 16 &&
	    ax.hi == 128 && ax.nset == 5, "int axis: 16 to 128");
	is_dbl(rung_pview_pos(s, &ax, 1), 48.0 / 112, "int position");
	is_dbl(rung_pview_value(&ax, 0.5), 72, "int middle value");

	ok(rung_pview_axis(s, 2, &ax) == 0 && ax.lo == 2.5 && ax.hi == 3.5,
	    "one value: widened by 0.5 either side");
	is_dbl(rung_pview_pos(s, &ax, 0), 0.5, "one value: in the middle");

	ok(rung_pview_axis(s, 3, &ax) == -1, "log with no value > 0: -1");
	ok(rung_pview_axis(s, 99, &ax) == -1, "no such parameter: -1");

	ok(rung_pview_axis(s, 4, &ax) == 0 && ax.cat && ax.lo == 0 &&
	    ax.hi == 2 && ax.nset == 5, "categorical axis: levels 0 to 2");
	is_dbl(rung_pview_coord(s, &ax, 2, 0), 2, "level index");
	is_dbl(rung_pview_pos(s, &ax, 0), 0.5, "level position");
	is_dbl(rung_pview_coord(s, &ax, 3, 1), NAN, "unset level: NaN");
	for (t = 0; t < 6; t++) {
		if (t == 3)
			continue;
		c = rung_pview_coord(s, &ax, t, 1);
		c2 = rung_pview_coord(s, &ax, t, 1);
		if (c != c2 || fabs(c - opt[t]) > 0.3)
			far++;
		if (c != opt[t])
			moved++;
	}
	ok(far == 0 && moved > 0, "jitter: within 0.3, the same twice, moves");

	ok(rung_pview_axis(s, 5, &ax) == 0 && ax.lo == -0.5 && ax.hi == 0.5,
	    "one level: widened");
	is_dbl(rung_pview_pos(s, &ax, 0), 0.5, "one level: in the middle");
	rung_study_free(s);
}

static void
test_contour(void)
{
	static const double xs[4] = { 0, 1, 0, 10 };
	static const double ys[4] = { 0, 1, 1, 10 };
	static const double v[4] = { 2, 6, 5, 100 };
	struct rung_study	*s = study_new(4, 2);
	struct rung_pview_axis	 ax, ay;
	double			 z[5 * 5], y[4];
	char			*cause = NULL;

	param_num(s, 0, "x", RUNG_PREAL, 0, xs);
	param_num(s, 1, "y", RUNG_PREAL, 0, ys);
	rung_pview_axis(s, 0, &ax);
	rung_pview_axis(s, 1, &ay);

	/* Trials 0 and 3 at opposite corners, the others away. */
	memcpy(y, v, sizeof y);
	ok(rung_pview_contour(s, y, &ax, &ay, 5, 5, z, &cause) == 0,
	    "contour of 4 trials");
	is_dbl(z[0], 2, "a grid point on a trial takes its value");
	is_dbl(z[24], 100, "the opposite corner too");

	/*
	 * Two trials only at the corners (the others unset value): three
	 * are needed.
	 */
	y[1] = y[2] = NAN;
	ok(rung_pview_contour(s, y, &ax, &ay, 5, 5, z, &cause) == -1 &&
	    cause != NULL, "two trials: an error");
	if (cause != NULL)
		printf("# %s\n", cause);
	free(cause);
	cause = NULL;

	/*
	 * Trial 1 moved onto the diagonal's far end: (0,0) and (10,10) and
	 * a third far off the middle's row; the middle of a 3x3 grid is
	 * equidistant from the two corners.
	 */
	s->params[0].num[2] = 10;
	s->params[1].num[2] = 0;
	y[0] = 2;
	y[3] = 100;
	y[2] = 51;
	y[1] = NAN;
	ok(rung_pview_contour(s, y, &ax, &ay, 3, 3, z, &cause) == 0,
	    "contour of 3 trials");
	ok(fabs(z[4] - 51) < 1e-12, "IDW midway between two trials: their "
	    "mean (the third, equidistant, holds that mean; got %.17g)", z[4]);
	/* (0, 0.5): d^2 0.25 to trial 0, 1.25 to the others. */
	ok(fabs(z[1 * 3 + 0] - (4 * 2 + 0.8 * 51 + 0.8 * 100) / 5.6) < 1e-12,
	    "IDW weights 1/d^2 (got %.17g)", z[3]);
	free(cause);
	rung_study_free(s);
}

static void
test_history(void)
{
	static const double y[7] = { NAN, 3, 5, NAN, 2, 4, 1 };
	double		 best[7], out[7];
	uint32_t	 n;

	rung_pview_best_so_far(y, 7, RUNG_MIN, best);
	ok(isnan(best[0]) && best[1] == 3 && best[2] == 3 && best[3] == 3 &&
	    best[4] == 2 && best[5] == 2 && best[6] == 1,
	    "best so far, min, NaN ignored");
	rung_pview_best_so_far(y, 7, RUNG_MAX, best);
	ok(isnan(best[0]) && best[1] == 3 && best[2] == 5 && best[3] == 5 &&
	    best[6] == 5, "best so far, max");

	n = rung_pview_edf(y, 7, out);
	ok(n == 5 && out[0] == 1 && out[1] == 2 && out[2] == 3 &&
	    out[3] == 4 && out[4] == 5, "EDF: finite values ascending");
	is_int(rung_pview_edf(y, 1, out), 0, "EDF of only NaN: empty");
}

int
main(void)
{
	test_pareto();
	test_axes();
	test_contour();
	test_history();
	return done_testing();
}
