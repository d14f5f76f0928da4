/*
 * Forecasts of trials (rung/forecast.h). lce.h works lower is better: a
 * maximised metric is negated into it and back, so that a band's low edge
 * is the worse one in the metric's own terms only for a minimised metric;
 * callers show low and high as numbers, not as better and worse.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/forecast.h"
#include "rung/xmalloc.h"

void
rung_forecaster_init(struct rung_forecaster *f)
{
	memset(f, 0, sizeof *f);
	rung_lce_init(&f->w);
	f->sign = 1;
}

void
rung_forecaster_release(struct rung_forecaster *f)
{
	rung_lce_release(&f->w);
	free(f->x);
	free(f->y);
	memset(f, 0, sizeof *f);
}

int
rung_forecaster_fit(struct rung_forecaster *f, const struct rung_study *s,
    uint32_t t, int32_t upto)
{
	uint32_t	 j, n = 0, len = rung_curve_len(s, t);

	if (len > f->cap) {
		f->x = xreallocarray(f->x, len, sizeof *f->x);
		f->y = xreallocarray(f->y, len, sizeof *f->y);
		f->cap = len;
	}
	f->sign = s->direction == RUNG_MAX ? -1 : 1;
	/* Points that are not finite are left out, as the curves skip them. */
	for (j = s->curve.off[t]; j < s->curve.off[t + 1]; j++) {
		if (s->curve.steps[j] > upto)
			break;
		if (s->curve.steps[j] < 1 || !isfinite(s->curve.vals[j]))
			continue;
		f->x[n] = s->curve.steps[j];
		f->y[n++] = f->sign * s->curve.vals[j];
	}
	f->ok = n >= 3 && rung_lce_fit(&f->w, f->x, f->y, n) == 0;
	return f->ok ? 0 : -1;
}

double
rung_forecaster_value(const struct rung_forecaster *f, double T, double band)
{
	double	 v = rung_lce_predict(&f->w, T);

	if (band != 0)
		v += band * rung_lce_sigma(&f->w, T);
	return f->sign * v;
}

double
rung_study_incumbent(const struct rung_study *s, int32_t T, int64_t skip)
{
	double		 best = NAN, v;
	uint32_t	 i;

	for (i = 0; i < s->ntrials; i++) {
		if ((int64_t)i == skip || rung_trial_last_step(s, i) < T)
			continue;
		v = s->curve.final[i];
		if (isfinite(v) && (isnan(best) ||
		    rung_better(s->direction, v, best)))
			best = v;
	}
	return best;
}

const char *
rung_verdict_name(enum rung_verdict v)
{
	static const char *names[] = { "-", "go on", "stop", "done" };

	return names[v];
}

/*
 * What the residuals of a smooth fit leave out: a curve goes on moving by
 * steps like those it made of late. The spread of the differences between
 * the points of its last third, as a random walk over the steps to T.
 */
static double
walk_sd(const struct rung_forecaster *f, double T)
{
	uint32_t	 n = f->w.n, i, from = n - n / 3, k = 0;
	double		 m = 0, q = 0, d, gap;

	if (n < 4 || from < 1)
		return 0;
	for (i = from; i < n; i++) {
		d = f->y[i] - f->y[i - 1];
		k++;
		m += (d - m) / k;
	}
	for (i = from; i < n; i++) {
		d = f->y[i] - f->y[i - 1] - m;
		q += d * d;
	}
	gap = (f->x[n - 1] - f->x[from - 1]) / (n - from);
	if (k < 2 || !(gap > 0) || T <= f->x[n - 1])
		return 0;
	return sqrt(q / (k - 1) * (T - f->x[n - 1]) / gap);
}

void
rung_forecast(struct rung_forecaster *f, const struct rung_study *s,
    uint32_t t, int32_t T, double ystar, struct rung_forecast *out)
{
	double	 z = rung_lce_z(RUNG_FORECAST_DELTA), mu, sd, lo, hi, v, y;
	uint32_t k;

	out->value = out->low = out->high = out->p_best = NAN;
	out->verdict = RUNG_VERDICT_NONE;
	if (rung_trial_last_step(s, t) >= T) {
		out->value = out->low = out->high = s->curve.final[t];
		out->verdict = RUNG_VERDICT_DONE;
		if (!isnan(ystar) && isfinite(out->value))
			out->p_best = rung_better(s->direction, out->value,
			    ystar) || out->value == ystar ? 1 : 0;
		return;
	}
	if (rung_forecaster_fit(f, s, t, T) != 0)
		return;
	/*
	 * Lower is better from here on (lce.h). The value: half-way from the
	 * last point to where the best three families lead. Extrapolations
	 * overshoot as often as they fall short, and taken whole they rank
	 * trials worse than their last values do (bench/repro-forecast.sh:
	 * Kendall's tau 0.70-0.84 whole against 0.77-0.86 half-way, at half
	 * the steps of mlpf and TaskSet).
	 */
	mu = f->w.last + 0.5 * (rung_lce_ensemble(&f->w, T, 3) - f->w.last);
	/*
	 * The band: the best fit's residuals, and the steps the curve has
	 * been making of late carried on to T, z of their spread either side;
	 * and at least every family's value at T, since they disagree on
	 * where the curve leads more than either says.
	 */
	sd = hypot(rung_lce_sigma(&f->w, T), walk_sd(f, T));
	lo = mu - z * sd;
	hi = mu + z * sd;
	for (k = 0; k < f->w.nfit; k++) {
		v = rung_lce_eval(&f->w.fit[k], T);
		if (isfinite(v) && v < lo)
			lo = v;
		if (isfinite(v) && v > hi)
			hi = v;
	}
	out->value = f->sign * mu;
	out->low = f->sign > 0 ? lo : -hi;
	out->high = f->sign > 0 ? hi : -lo;
	if (isnan(ystar))
		return;
	y = f->sign * ystar;
	/* P(the value at T beats y*), the value normal of sd sd. */
	if (isinf(sd))
		out->p_best = 0.5;
	else if (!(sd > 0))
		out->p_best = mu < y;
	else
		out->p_best = 0.5 * erfc((mu - y) / (sd * M_SQRT2));
	/* The lce policy's rule: even its optimistic bound cannot beat y*. */
	out->verdict = rung_lce_bound(&f->w, T, z) > y ? RUNG_VERDICT_STOP :
	    RUNG_VERDICT_GO;
}
