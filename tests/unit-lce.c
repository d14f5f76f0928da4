/*
 * Learning-curve extrapolation (src/lce.c): each family recovers its own
 * parameters from noiseless points, sparse steps included; non-finite
 * points, plateaus, worsening and improving curves, one and two points;
 * the bound and P(beats y*) move the way they must with z and with more
 * points; and the normal quantile behind --delta.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/lce.h"
#include "tap.h"

static int
near(double got, double want, double tol)
{
	return fabs(got - want) <= tol * (1 + fabs(want));
}

/* Truth on the grid for each family, and points at x. */
static void
make(const struct rung_lce_fit *f, const double *x, double *y, uint32_t n)
{
	uint32_t	 i;

	for (i = 0; i < n; i++)
		y[i] = rung_lce_eval(f, x[i]);
}

static void
test_recover(void)
{
	static const struct rung_lce_fit truth[] = {
		{ RUNG_LCE_POW3, 0.3, 2.0, 0.5, 0, 0 },
		{ RUNG_LCE_EXP3, 1.5, 4.0, 0.1, 0, 0 },
		{ RUNG_LCE_LOGPOWER, 0.2, 3.0, 2, 1, 0 },
		{ RUNG_LCE_JANOSCHEK, 0.4, 2.5, 0.1, 1.5, 0 },
		{ RUNG_LCE_WEIBULL, 0.25, 0.9, 0.1, 2, 0 },
	};
	/* Sparse steps: every third, then a gap. */
	static const double sx[] = { 1, 4, 7, 10, 13, 20, 30, 45 };
	struct rung_lce	 w;
	double		 x[40], y[40];
	uint32_t	 i, n, k;
	const struct rung_lce_fit *t, *g;

	for (i = 0; i < 40; i++)
		x[i] = i + 1;
	rung_lce_init(&w);
	for (k = 0; k < sizeof truth / sizeof *truth; k++) {
		t = &truth[k];
		for (n = 0; n < 2; n++) {
			const double	*xs = n ? sx : x;
			uint32_t	 m = n ? 8 : 40;

			make(t, xs, y, m);
			w.families = 1 << t->family;
			ok(rung_lce_fit(&w, xs, y, m) == 0 && w.nfit == 1,
			    "%s%s: one fit", rung_lce_family_name(t->family),
			    n ? " (sparse)" : "");
			g = &w.fit[0];
			ok(g->family == t->family && near(g->c, t->c, 1e-9) &&
			    near(g->a, t->a, 1e-9) && g->s1 == t->s1 &&
			    g->s2 == t->s2 && g->rss < 1e-18,
			    "%s%s recovers c %g a %g shape %g %g: got %.12g "
			    "%.12g %g %g rss %g", rung_lce_family_name(t->family),
			    n ? " (sparse)" : "", t->c, t->a, t->s1, t->s2,
			    g->c, g->a, g->s1, g->s2, g->rss);
			ok(near(rung_lce_predict(&w, 200),
			    rung_lce_eval(t, 200), 1e-9), "%s%s: its value "
			    "at 200", rung_lce_family_name(t->family),
			    n ? " (sparse)" : "");
		}
	}

	/* All the families together still find pow3 best. */
	w.families = RUNG_LCE_ALL;
	make(&truth[0], x, y, 30);
	ok(rung_lce_fit(&w, x, y, 30) == 0 && w.fit[0].family ==
	    RUNG_LCE_POW3 && w.nfit >= 4, "pow3 data: pow3 ranks first of "
	    "%u fits", w.nfit);
	for (i = 1; i < w.nfit; i++) {
		if (w.fit[i].rss < w.fit[i - 1].rss)
			break;
	}
	ok(i == w.nfit, "fits ranked by RSS");
	rung_lce_release(&w);
}

static void
test_shapes(void)
{
	struct rung_lce	 w;
	double		 x[30], y[30];
	uint32_t	 i;

	rung_lce_init(&w);
	for (i = 0; i < 30; i++)
		x[i] = i + 1;

	/* A non-finite point: said at once, nothing fit. */
	for (i = 0; i < 10; i++)
		y[i] = 1.0 / (i + 1);
	y[6] = NAN;
	is_int(rung_lce_fit(&w, x, y, 10), -1, "a NaN point: -1");
	is_int(w.nfit, 0, "a NaN point: no fit");
	y[6] = INFINITY;
	is_int(rung_lce_fit(&w, x, y, 10), -1, "an infinite point: -1");
	ok(isinf(rung_lce_bound(&w, 100, 2)) && rung_lce_bound(&w, 100, 2) < 0,
	    "no fit: the bound rules nothing out");

	/* A plateau: the flat line, at its level, with no spread. */
	for (i = 0; i < 12; i++)
		y[i] = 0.75;
	is_int(rung_lce_fit(&w, x, y, 12), 0, "plateau: fits");
	is_int(w.fit[0].family, RUNG_LCE_FLAT, "plateau: the flat line first");
	is_dbl(rung_lce_predict(&w, 100), 0.75, "plateau: stays at 0.75");
	is_dbl(rung_lce_bound(&w, 100, 3), 0.75, "plateau: bound 0.75 "
	    "whatever z");

	/* Getting worse (lower is better): no decaying fit, flat at the end. */
	for (i = 0; i < 12; i++)
		y[i] = 1 + 0.1 * i;
	is_int(rung_lce_fit(&w, x, y, 12), 0, "worsening: fits");
	is_int(w.nfit, 1, "worsening: only the flat line");
	ok(near(rung_lce_predict(&w, 100), (1.8 + 1.9 + 2.0 + 2.1) / 4,
	    1e-12), "worsening: the mean of the last third, %g",
	    rung_lce_predict(&w, 100));
	ok(rung_lce_bound(&w, 100, 0) <= y[11], "worsening: the bound is "
	    "at most the last value");

	/* Improving: predicted below the last value, above the asymptote. */
	for (i = 0; i < 12; i++)
		y[i] = 0.5 + 2 * pow(x[i], -0.5);
	is_int(rung_lce_fit(&w, x, y, 12), 0, "improving: fits");
	ok(rung_lce_predict(&w, 100) < y[11] && rung_lce_predict(&w, 100) >
	    0.5, "improving: %g between 0.5 and the last value %g",
	    rung_lce_predict(&w, 100), y[11]);

	/* A maximised metric, negated by the caller, is the same problem. */
	for (i = 0; i < 12; i++)
		y[i] = -(0.9 - 0.5 * exp(-0.2 * x[i]));
	is_int(rung_lce_fit(&w, x, y, 12), 0, "negated accuracy: fits");
	ok(near(rung_lce_predict(&w, 100), -0.9, 1e-6), "negated accuracy: "
	    "-0.9 at 100, got %g", rung_lce_predict(&w, 100));

	/* One and two points: the flat line, infinite spread. */
	y[0] = 3;
	y[1] = 2;
	is_int(rung_lce_fit(&w, x, y, 1), 1, "one point: 1");
	is_dbl(rung_lce_predict(&w, 50), 3, "one point: flat at it");
	is_int(rung_lce_fit(&w, x, y, 2), 1, "two points: 1");
	is_dbl(rung_lce_predict(&w, 50), 2, "two points: flat at the last");
	ok(isinf(rung_lce_sigma(&w, 50)), "two points: sigma infinite");
	is_dbl(rung_lce_prob_beats(&w, 50, 1), 0.5, "two points: P 0.5");
	is_int(rung_lce_fit(&w, x, y, 0), 1, "no point: 1");
	ok(isnan(rung_lce_predict(&w, 50)), "no point: NaN");
	rung_lce_release(&w);
}

/* A noisy pow3 curve, the same noise every run. */
static double
noisy(uint32_t i)
{
	static const double e[] = { 0.02, -0.015, 0.01, -0.02, 0.005,
	    0.015, -0.01, -0.005, 0.02, -0.02 };

	return 0.3 + 2 * pow(i + 1, -0.5) + e[i % 10];
}

static void
test_bound(void)
{
	struct rung_lce	 w;
	double		 x[60], y[60], b[4], z, p0, p1, width[2];
	uint32_t	 i, n;

	rung_lce_init(&w);
	for (i = 0; i < 60; i++) {
		x[i] = i + 1;
		y[i] = noisy(i);
	}
	is_int(rung_lce_fit(&w, x, y, 10), 0, "noisy: fits");
	for (i = 0; i < 4; i++)
		b[i] = rung_lce_bound(&w, 100, (double)i);
	ok(b[0] > b[1] && b[1] > b[2] && b[2] > b[3],
	    "the bound falls as z grows: %g %g %g %g", b[0], b[1], b[2], b[3]);
	ok(b[0] <= y[9], "z 0: at most the last value");
	ok(rung_lce_sigma(&w, 100) > rung_lce_sigma(&w, 10),
	    "sigma widens with the distance extrapolated");
	p0 = rung_lce_prob_beats(&w, 100, rung_lce_predict(&w, 100) + 0.1);
	p1 = rung_lce_prob_beats(&w, 100, rung_lce_predict(&w, 100) - 0.1);
	ok(p0 > 0.5 && p1 < 0.5 && p0 <= 1 && p1 >= 0, "P(beats y*): %g "
	    "above the prediction, %g below", p0, p1);
	is_dbl(rung_lce_prob_beats(&w, 100, rung_lce_predict(&w, 100)), 0.5,
	    "P(beats its own prediction) is 0.5");

	/* More points: a tighter band around the value at 100. */
	for (n = 0; n < 2; n++) {
		rung_lce_fit(&w, x, y, n ? 50 : 10);
		width[n] = rung_lce_predict(&w, 100) - rung_lce_bound(&w, 100, 2);
	}
	ok(width[1] < width[0], "50 points: a narrower band (%g) than 10 "
	    "(%g)", width[1], width[0]);

	/* Deterministic: the same points, the same bits. */
	rung_lce_fit(&w, x, y, 20);
	b[0] = rung_lce_bound(&w, 100, 2);
	rung_lce_fit(&w, x, y, 40);
	rung_lce_fit(&w, x, y, 20);
	is_dbl(rung_lce_bound(&w, 100, 2), b[0], "refit: bit-identical");
	ok(near(rung_lce_ensemble(&w, 100, 1), rung_lce_predict(&w, 100), 0),
	    "ensemble of one is the best fit");
	rung_lce_release(&w);

	z = rung_lce_z(0.5);
	ok(fabs(z) < 1e-15, "z(0.5) is 0: %g", z);
	ok(near(rung_lce_z(0.975), 1.959963984540054, 1e-12),
	    "z(0.975) %.15g", rung_lce_z(0.975));
	ok(near(rung_lce_z(0.99), 2.326347874040841, 1e-12),
	    "z(0.99) %.15g", rung_lce_z(0.99));
	ok(isinf(rung_lce_z(1)) && rung_lce_z(1) > 0, "z(1) is infinite");
}

int
main(void)
{
	test_recover();
	test_shapes();
	test_bound();
	return done_testing();
}
