/*
 * The parameter views of a study, computed once for both front ends: the
 * explorer's Params screen (braille) and rung plot's kinds slice,
 * parallel, contour, history, edf and pareto (gnuplot). What is drawn is
 * the front end's; where each trial goes, which surface is interpolated and
 * which trials are on a front is decided here, so that both show the same.
 */
#ifndef RUNG_PVIEW_H
#define RUNG_PVIEW_H

#include <stdint.h>

#include "rung/study.h"

/*
 * A parameter as an axis. A real or int parameter spans its smallest to
 * its largest set value, in log10 units when the parameter is log-scaled
 * (lo and hi are then log10 of them); a categorical one spans its levels,
 * 0 to nlevels - 1. An axis of one value is widened by 0.5 either side (a
 * categorical one of one level too), so that positions stay finite.
 */
struct rung_pview_axis {
	int		 param;		/* index in the study's params */
	int		 log;		/* lo, hi and coordinates in log10 */
	int		 cat;		/* categorical: coordinate = level */
	double		 lo, hi;
	uint32_t	 nset;		/* trials that set it */
};

/* 0, or -1 when no trial sets the parameter (or a log one has none > 0). */
int	 rung_pview_axis(const struct rung_study *, int param,
	     struct rung_pview_axis *);

/*
 * Trial t's coordinate on the axis: the value (log10 of it on a log axis),
 * the level's index on a categorical one; with jitter, a categorical
 * coordinate moves by up to +-0.3 by a hash of t, the same on every call.
 * NaN when t does not set the parameter.
 */
double	 rung_pview_coord(const struct rung_study *,
	     const struct rung_pview_axis *, uint32_t t, int jitter);
/* The coordinate mapped to [0, 1] across the axis (no jitter); NaN unset. */
double	 rung_pview_pos(const struct rung_study *,
	     const struct rung_pview_axis *, uint32_t t);
/* A position in [0, 1] back to a value of the parameter (10^x on log). */
double	 rung_pview_value(const struct rung_pview_axis *, double pos);

/*
 * History: best[i] is the best of y[0..i] by dir, ignoring NaN (NaN until
 * the first finite one).
 */
void	 rung_pview_best_so_far(const double *y, uint32_t n,
	     enum rung_direction dir, double *best);

/*
 * EDF: the finite values of y sorted ascending into out (n at most);
 * returns how many. The EDF at out[i] is (i + 1) / count.
 */
uint32_t rung_pview_edf(const double *y, uint32_t n, double *out);

/*
 * Contour: the value surface over axes ax (x) and ay (y), nx by ny grid
 * points evenly spaced across each axis (z[j * nx + i] at x i, y j),
 * interpolated from the trials that set both parameters and have a finite
 * y by inverse-distance weighting (power 2) in [0, 1] x [0, 1] positions,
 * a grid point on a trial taking its value. -1 with *cause when fewer than
 * three trials qualify.
 */
int	 rung_pview_contour(const struct rung_study *, const double *y,
	     const struct rung_pview_axis *ax, const struct rung_pview_axis *ay,
	     int nx, int ny, double *z, char **cause);

/*
 * Pareto: the non-dominated rank of each of n points of two objectives,
 * each with its direction (0: the front; a point is on rank r + 1 when
 * only points of rank r or lower dominate it), UINT32_MAX for a point
 * without two finite values. O(n log n): a sort and a binary search per
 * point. Returns how many points are on the front.
 */
uint32_t rung_pareto_rank(const double *f1, enum rung_direction d1,
	     const double *f2, enum rung_direction d2, uint32_t n,
	     uint32_t *rank);

#endif
