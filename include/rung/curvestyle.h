/*
 * How learning curves are drawn, the same in `rung plot curves` and in the
 * explorer's curve panel: the y range that one diverged trial cannot
 * flatten, TensorBoard's smoothing, and a colour for each trial from a
 * hyperparameter's value.
 */
#ifndef RUNG_CURVESTYLE_H
#define RUNG_CURVESTYLE_H

#include <stddef.h>
#include <stdint.h>

#include "rung/study.h"

/*
 * The robust y range of the finite values v[0..n) drawn (sorted in place;
 * non-finite ones are skipped). A value is an outlier (a diverged trial's)
 * when it lies beyond the 5th to 95th percentile by more than twenty
 * times that core's width, or beyond the quartiles by more than two
 * hundred times theirs; the test is made again without the outliers until
 * it finds none more. The range spans the other values, widened by 5% on a side where
 * outliers were left out (they are drawn clipped at that edge). Tame data,
 * with no outlier, keep their full range: [minimum, maximum]. best (NaN:
 * none), the best trial's best value, is always inside: in either
 * direction the range reaches it. Returns RUNG_CLIP_LO | RUNG_CLIP_HI for
 * the sides clipped, 0 when none, -1 when no value is finite.
 */
#define RUNG_CLIP_LO	1
#define RUNG_CLIP_HI	2
int	 rung_yrange_robust(double *v, size_t n, double best, double *lo,
	     double *hi);
/* The p-quantile (0..1) of sorted values, interpolated linearly. */
double	 rung_quantile_sorted(const double *v, size_t n, double p);

/*
 * --yrange "LO:HI": either side may be empty (NaN: automatic). -1 with
 * *cause if not numbers or LO >= HI.
 */
int	 rung_yrange_parse(const char *s, double *lo, double *hi,
	     char **cause);
/*
 * The range drawn: the user's sides (non-NaN) over the automatic ones;
 * where they cross, the automatic side moves to a tenth of the user's
 * value away (one unit at 0).
 */
void	 rung_yrange_merge(double ulo, double uhi, double *lo, double *hi);

/*
 * TensorBoard's smoothing of a scalar series (its scalar dashboard's
 * "classic" smoothing): last = last * w + (1 - w) * value from last = 0,
 * divided by 1 - w^k after the k-th finite value to undo the pull towards
 * 0; non-finite values are kept as they are and left out of the average,
 * and a constant series is kept as it is. w in [0, 1); in and out may be
 * the same array.
 */
void	 rung_smooth_ema(const double *in, double *out, size_t n, double w);
/* --smooth W: a number in [0, 1). -1 with *cause if not. */
int	 rung_smooth_parse(const char *s, double *w, char **cause);

/*
 * Colour by a parameter. rung_colorby_find: the parameter named, or -1
 * with *cause naming the study's parameters (and what was maybe meant).
 */
int	 rung_colorby_find(const struct rung_study *, const char *name,
	     char **cause);
struct rung_colorby {
	const struct rung_param *p;
	int		 cat;		/* one colour per level */
	int		 log;		/* a log scale (log params, all > 0) */
	double		 lo, hi;	/* the values' range, numeric */
};
/* The range of parameter pi over trials t[0..n) (NULL: every trial). */
void	 rung_colorby_init(struct rung_colorby *, const struct rung_study *,
	     int pi, const uint32_t *t, uint32_t n);
/*
 * Where trial tr falls: numeric, 0..1 along the range (log-scaled where
 * the parameter is); categorical, its level's index. NaN when unset.
 */
double	 rung_colorby_pos(const struct rung_colorby *, uint32_t tr);
/* Trial tr's value as text ("" when unset). */
const char *rung_colorby_label(const struct rung_colorby *, uint32_t tr,
	     char buf[32]);

#endif
