/*
 * The parameter views' geometry (rung/pview.h): axes, coordinates, the
 * best-so-far history, the EDF, the interpolated contour surface and the
 * Pareto ranks. Nothing here draws; the explorer and rung plot both read
 * it, so that a trial sits at the same place on either.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "rung/pview.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

int
rung_pview_axis(const struct rung_study *s, int param,
    struct rung_pview_axis *ax)
{
	const struct rung_param	*p;
	double			 lo = INFINITY, hi = -INFINITY, v;
	uint32_t		 t, nset = 0;

	if (param < 0 || (uint32_t)param >= s->nparams)
		return -1;
	p = &s->params[param];
	ax->param = param;
	ax->log = 0;
	ax->cat = p->type == RUNG_PCAT;
	if (ax->cat) {
		for (t = 0; t < s->ntrials; t++) {
			if (p->cat[t] < p->nlevels)
				nset++;
		}
		if (nset == 0 || p->nlevels == 0)
			return -1;
		lo = 0;
		hi = p->nlevels - 1;
	} else {
		ax->log = p->log;
		for (t = 0; t < s->ntrials; t++) {
			v = p->num[t];
			if (!isfinite(v) || (ax->log && v <= 0))
				continue;
			if (ax->log)
				v = log10(v);
			if (v < lo)
				lo = v;
			if (v > hi)
				hi = v;
			nset++;
		}
		if (nset == 0)
			return -1;
	}
	/* One value spans nothing: widen it, so that pos stays finite. */
	if (lo == hi) {
		lo -= 0.5;
		hi += 0.5;
	}
	ax->lo = lo;
	ax->hi = hi;
	ax->nset = nset;
	return 0;
}

/*
 * A trial's jitter in [-1, 1): splitmix64's finaliser of its index, so that
 * a trial keeps its place across redraws and between the two front ends.
 */
static double
jitter_of(uint32_t t)
{
	uint64_t	 z = (uint64_t)t + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0 * 2 - 1;
}

double
rung_pview_coord(const struct rung_study *s, const struct rung_pview_axis *ax,
    uint32_t t, int jitter)
{
	const struct rung_param	*p = &s->params[ax->param];
	double			 v;

	if (t >= s->ntrials)
		return NAN;
	if (ax->cat) {
		if (p->cat[t] >= p->nlevels)
			return NAN;
		v = p->cat[t];
		if (jitter)
			v += 0.3 * jitter_of(t);
		return v;
	}
	v = p->num[t];
	if (!isfinite(v))
		return NAN;
	if (ax->log)
		return v > 0 ? log10(v) : NAN;
	return v;
}

double
rung_pview_pos(const struct rung_study *s, const struct rung_pview_axis *ax,
    uint32_t t)
{
	double	 c = rung_pview_coord(s, ax, t, 0);

	if (isnan(c))
		return NAN;
	return (c - ax->lo) / (ax->hi - ax->lo);
}

double
rung_pview_value(const struct rung_pview_axis *ax, double pos)
{
	double	 c = ax->lo + pos * (ax->hi - ax->lo);

	return ax->log ? pow(10, c) : c;
}

void
rung_pview_best_so_far(const double *y, uint32_t n, enum rung_direction dir,
    double *best)
{
	double		 b = NAN;
	uint32_t	 i;

	for (i = 0; i < n; i++) {
		if (!isnan(y[i]) && (isnan(b) || rung_better(dir, y[i], b)))
			b = y[i];
		best[i] = b;
	}
}

uint32_t
rung_pview_edf(const double *y, uint32_t n, double *out)
{
	uint32_t	 i, m = 0;

	for (i = 0; i < n; i++) {
		if (isfinite(y[i]))
			out[m++] = y[i];
	}
	qsort(out, m, sizeof *out, rung_cmp_double);
	return m;
}

int
rung_pview_contour(const struct rung_study *s, const double *y,
    const struct rung_pview_axis *ax, const struct rung_pview_axis *ay,
    int nx, int ny, double *z, char **cause)
{
	double		*px, *py, *pv, gx, gy, dx, dy, d2, w, sw, swv, hit;
	uint32_t	 t, m = 0, k, nhit;
	int		 i, j;

	if (nx < 1 || ny < 1) {
		*cause = xprintf("a contour grid of %d by %d points", nx, ny);
		return -1;
	}
	px = xcalloc(s->ntrials + 1, sizeof *px);
	py = xcalloc(s->ntrials + 1, sizeof *py);
	pv = xcalloc(s->ntrials + 1, sizeof *pv);
	for (t = 0; t < s->ntrials; t++) {
		gx = rung_pview_pos(s, ax, t);
		gy = rung_pview_pos(s, ay, t);
		if (isnan(gx) || isnan(gy) || !isfinite(y[t]))
			continue;
		px[m] = gx;
		py[m] = gy;
		pv[m] = y[t];
		m++;
	}
	if (m < 3) {
		*cause = xprintf("%u trials set both %s and %s with a finite "
		    "value; a contour needs 3", m, s->params[ax->param].name,
		    s->params[ay->param].name);
		free(px);
		free(py);
		free(pv);
		return -1;
	}
	for (j = 0; j < ny; j++) {
		gy = ny == 1 ? 0.5 : (double)j / (ny - 1);
		for (i = 0; i < nx; i++) {
			gx = nx == 1 ? 0.5 : (double)i / (nx - 1);
			sw = swv = hit = 0;
			nhit = 0;
			for (k = 0; k < m; k++) {
				dx = px[k] - gx;
				dy = py[k] - gy;
				d2 = dx * dx + dy * dy;
				/*
				 * On a trial (to rounding): its value, the
				 * mean of them when several share the point,
				 * rather than a weight of 1 / 0.
				 */
				if (d2 < 1e-24) {
					hit += pv[k];
					nhit++;
					continue;
				}
				w = 1 / d2;	/* power 2: 1 / d^2 */
				sw += w;
				swv += w * pv[k];
			}
			z[j * nx + i] = nhit ? hit / nhit : swv / sw;
		}
	}
	free(px);
	free(py);
	free(pv);
	return 0;
}

/* A point as a loss pair: both objectives turned to lower is better. */
struct pareto_pt {
	double		 a, b;
	uint32_t	 i;
};

static int
pareto_cmp(const void *va, const void *vb)
{
	const struct pareto_pt	*x = va, *y = vb;

	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	if (x->b != y->b)
		return x->b < y->b ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Whether x dominates y: no worse in both, better in one. */
static int
pareto_dominates(const struct pareto_pt *x, const struct pareto_pt *y)
{
	return x->a <= y->a && x->b <= y->b && (x->a < y->a || x->b < y->b);
}

/*
 * Jensen's sort for two objectives. Sorted by a (then b), every point that
 * can dominate a point comes before it, and within a front b only falls,
 * so the front's last point has its smallest b and dominates a new point
 * exactly when some point of the front does (an equal point dominates
 * nothing). The last points' b rises with the front's rank, so the fronts
 * that dominate a point are a prefix: the first front that does not is
 * found by binary search, and that is the point's rank.
 */
uint32_t
rung_pareto_rank(const double *f1, enum rung_direction d1, const double *f2,
    enum rung_direction d2, uint32_t n, uint32_t *rank)
{
	struct pareto_pt	*pt, *last;
	uint32_t		 i, m = 0, nfront = 0, lo, hi, mid, nfirst = 0;

	pt = xcalloc(n + 1, sizeof *pt);
	last = xcalloc(n + 1, sizeof *last);
	for (i = 0; i < n; i++) {
		rank[i] = UINT32_MAX;
		if (!isfinite(f1[i]) || !isfinite(f2[i]))
			continue;
		pt[m].a = d1 == RUNG_MAX ? -f1[i] : f1[i];
		pt[m].b = d2 == RUNG_MAX ? -f2[i] : f2[i];
		pt[m].i = i;
		m++;
	}
	qsort(pt, m, sizeof *pt, pareto_cmp);
	for (i = 0; i < m; i++) {
		lo = 0;
		hi = nfront;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (pareto_dominates(&last[mid], &pt[i]))
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == nfront)
			nfront++;
		last[lo] = pt[i];
		rank[pt[i].i] = lo;
		if (lo == 0)
			nfirst++;
	}
	free(pt);
	free(last);
	return nfirst;
}
