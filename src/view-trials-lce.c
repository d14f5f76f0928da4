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

/* The band's z: a one-sided 0.99, the policies' default delta. */
#define LCE_DELTA	0.99

/*
 * The best final value at the study's last step among the other trials
 * that reached it: the incumbent a stopping rule would hold the trial to.
 * Its own final is left out, or the best trial would be held to itself.
 */
static double
incumbent(struct tui *t, uint32_t tr)
{
	const struct rung_study *s = t->s;
	struct tui_trials *tv = tui_trials(t);
	double		 best = NAN, v;
	uint32_t	 i;

	for (i = 0; i < s->ntrials; i++) {
		if (i == tr || rung_trial_last_step(s, i) < tv->target)
			continue;
		v = s->curve.final[i];
		if (isfinite(v) && (isnan(best) ||
		    rung_better(s->direction, v, best)))
			best = v;
	}
	return best;
}

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
	uint32_t	 j, n = 0, len;

	if (s == NULL || tr >= s->ntrials || tv->target < 2)
		return NULL;
	if (tv->lce_have && tv->lce_trial == tr &&
	    tv->lce_prefix == tv->prefix && tv->lce_gen == t->gen)
		return tv->lce_ok ? &tv->lce : NULL;
	if (tv->lce.families == 0)
		rung_lce_init(&tv->lce);
	tv->lce_have = 1;
	tv->lce_trial = tr;
	tv->lce_prefix = tv->prefix;
	tv->lce_gen = t->gen;
	tv->lce_ok = 0;
	len = rung_curve_len(s, tr);
	if (len > tv->lce_cap) {
		tv->lce_x = xreallocarray(tv->lce_x, len, sizeof *tv->lce_x);
		tv->lce_y = xreallocarray(tv->lce_y, len, sizeof *tv->lce_y);
		tv->lce_cap = len;
	}
	/* lce.h works lower is better: a maximised metric is negated. */
	tv->lce_sign = s->direction == RUNG_MAX ? -1 : 1;
	for (j = s->curve.off[tr]; j < s->curve.off[tr + 1]; j++) {
		if (s->curve.steps[j] > tv->prefix)
			break;
		if (s->curve.steps[j] < 1 || !isfinite(s->curve.vals[j]))
			continue;
		tv->lce_x[n] = s->curve.steps[j];
		tv->lce_y[n++] = tv->lce_sign * s->curve.vals[j];
	}
	if (n < 3 || rung_lce_fit(&tv->lce, tv->lce_x, tv->lce_y, n) != 0)
		return NULL;
	tv->lce_z = rung_lce_z(LCE_DELTA);
	tv->lce_ystar = incumbent(t, tr);
	tv->lce_ok = 1;
	return &tv->lce;
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
	double		 v = rung_lce_predict(&tv->lce, T);

	if (band != 0)
		v += band * tv->lce_z * rung_lce_sigma(&tv->lce, T);
	return tv->lce_sign * v;
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
		    tv->lce_sign * tv->lce_ystar));
	snprintf(buf, len, "LCE from steps 1-%d (%s): %s at step %d, band "
	    "%s to %s%s", tv->prefix, rung_lce_family_name(w->fit[0].family),
	    tui_fmt_num(tui_lce_value(t, T, 0), v), tv->target,
	    tui_fmt_num(fmin(a, b), lo), tui_fmt_num(fmax(a, b), hi), p);
	return 1;
}

void
tui_lce_release(struct tui_trials *tv)
{
	rung_lce_release(&tv->lce);
	free(tv->lce_x);
	free(tv->lce_y);
	tv->lce_x = tv->lce_y = NULL;
	tv->lce_cap = 0;
	tv->lce_have = 0;
}
