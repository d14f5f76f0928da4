/*
 * The learning-curve extrapolation (rung/lce.h) of the focused trial on
 * the trials and detail screens: the families fit to its points up to the
 * prefix marker, so that the curve panel can draw where the trial was
 * heading beyond K, with its band, next to where it went. The fit is made
 * again only when the trial, K or the metric changes: a frame evaluates
 * it, it never fits.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "view-trials-int.h"
#include "rung/xmalloc.h"

/*
 * The fit of trial tr on its finite points at steps 1..K; NULL when it has
 * fewer than three of them (nothing to extrapolate).
 * Points that are not finite are left out rather than refusing the trial:
 * the panel skips them too.
 */
const struct rung_lce *
tui_trials_lce(struct tui *t, uint32_t tr)
{
	struct tui_trials *tv = tui_trials(t);
	const struct rung_study *s = t->s;

	if (tv->lce_have && tv->lce_trial == tr &&
	    tv->lce_prefix == tv->prefix && tv->lce_gen == t->gen)
		return tv->lce_ok ? &tv->fc.w : NULL;
	if (tv->fc.w.families == 0)
		rung_forecaster_init(&tv->fc);
	tv->lce_have = 1;
	tv->lce_trial = tr;
	tv->lce_prefix = tv->prefix;
	tv->lce_gen = t->gen;
	tv->lce_ok = 0;
	if (rung_forecaster_fit(&tv->fc, s, tr, tv->prefix) != 0)
		return NULL;
	tv->lce_z = rung_lce_z(RUNG_FORECAST_DELTA);
	tv->lce_ystar = rung_study_incumbent(s, tv->target, tr);
	tv->lce_ok = 1;
	return &tv->fc.w;
}

/*
 * The extrapolation at step T in the metric's own terms: band 0 the best
 * fit's value, -1 and +1 its band's edges (z sigma(T) either side, sigma
 * widened by 1 + ln(T / t), lce.h).
 */
double
tui_lce_value(struct tui *t, double T, int band)
{
	struct tui_trials *tv = tui_trials(t);

	return rung_forecaster_value(&tv->fc, T, band * tv->lce_z);
}

/*
 * "LCE from steps 1-K (family): V at step T, band A to B, P(beats Y) P"
 * for the detail, into buf; 0 when the trial has nothing to extrapolate.
 */
int
tui_lce_line(struct tui *t, uint32_t tr, char *buf, size_t len)
{
	struct tui_trials *tv = tui_trials(t);
	const struct rung_lce *w;
	char		 v[32], lo[32], hi[32], ys[32], p[64] = "";
	double		 T = tv->target, a, b;

	if ((w = tui_trials_lce(t, tr)) == NULL)
		return 0;
	a = tui_lce_value(t, T, -1);
	b = tui_lce_value(t, T, 1);
	if (!isnan(tv->lce_ystar))
		snprintf(p, sizeof p, ", P(beats best %s) %.2f",
		    tui_fmt_num(tv->lce_ystar, ys), rung_lce_prob_beats(w, T,
		    tv->fc.sign * tv->lce_ystar));
	snprintf(buf, len, "LCE from steps 1-%d (%s): %s at step %d, band "
	    "%s to %s%s", tv->prefix, rung_lce_family_name(w->fit[0].family),
	    tui_fmt_num(tui_lce_value(t, T, 0), v), tv->target,
	    tui_fmt_num(fmin(a, b), lo), tui_fmt_num(fmax(a, b), hi), p);
	return 1;
}

void
tui_lce_release(struct tui_trials *tv)
{
	rung_forecaster_release(&tv->fc);
	tv->lce_have = 0;
}
