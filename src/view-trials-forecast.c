/*
 * The forecasts of the running trials on the trials screen (the FORECAST,
 * P_BEST and VERDICT columns, and a mark at the target on the curves): what
 * rung trials --running says, kept per trial. A forecast is a fit of the
 * trial's curve (rung/forecast.h), a millisecond or so: it is made again
 * only for a trial with new points, or for every running trial when the
 * incumbent it is held to or the target moves.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/xmalloc.h"

#include "view-trials-int.h"

static void
fc_clear(struct rung_forecast *f)
{
	f->value = f->low = f->high = f->p_best = NAN;
	f->verdict = RUNG_VERDICT_NONE;
}

static int
same(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

void
tui_trials_forecast(struct tui *t, const uint8_t *changed)
{
	struct tui_trials *tv = tui_trials(t);
	const struct rung_study *s = t->s;
	struct rung_forecaster f;
	uint32_t	 i, running = 0;
	double		 ystar;
	int		 all;

	if (s == NULL)
		return;
	for (i = 0; i < s->ntrials; i++)
		running += s->status[i] == RUNG_RUNNING;
	if (running == 0) {
		free(tv->fcast);
		tv->fcast = NULL;
		return;
	}
	ystar = rung_study_incumbent(s, tv->target, -1);
	all = changed == NULL || tv->fcast == NULL ||
	    tv->fcast_T != tv->target || !same(ystar, tv->fcast_ystar);
	if (tv->fcast == NULL) {
		tv->fcast = xreallocarray(NULL, s->ntrials, sizeof *tv->fcast);
		for (i = 0; i < s->ntrials; i++)
			fc_clear(&tv->fcast[i]);
	}
	rung_forecaster_init(&f);
	for (i = 0; i < s->ntrials; i++) {
		if (s->status[i] != RUNG_RUNNING)
			fc_clear(&tv->fcast[i]);
		else if (all || changed[i]) {
			rung_forecast(&f, s, i, tv->target, ystar,
			    &tv->fcast[i]);
			tv->fcast_made++;
		}
	}
	rung_forecaster_release(&f);
	tv->fcast_T = tv->target;
	tv->fcast_ystar = ystar;
}

void
tui_trials_forecast_follow(struct tui *t, const uint32_t *map,
    uint32_t oldn, const uint8_t *changed)
{
	struct tui_trials *tv = tui_trials(t);
	struct rung_forecast *fc;
	uint32_t	 i, n = t->s->ntrials;

	if (tv->fcast != NULL) {
		fc = xreallocarray(NULL, n ? n : 1, sizeof *fc);
		for (i = 0; i < n; i++)
			fc_clear(&fc[i]);
		for (i = 0; i < oldn; i++)
			fc[map[i]] = tv->fcast[i];
		free(tv->fcast);
		tv->fcast = fc;
	}
	tui_trials_forecast(t, changed);
}

double
tui_forecast_key(struct tui *t, int col, uint32_t tr)
{
	const struct rung_forecast *f = &tui_trials(t)->fcast[tr];

	switch (col) {
	case COL_FORECAST:
		return t->s->direction == RUNG_MAX ? -f->value : f->value;
	case COL_PBEST:
		return -f->p_best;	/* likeliest first */
	default:
		/* Go on, stop, done; then those with nothing to say. */
		return f->verdict == RUNG_VERDICT_NONE ? NAN :
		    (double)f->verdict;
	}
}

uint64_t
tui_trials_forecasts(struct tui *t, uint64_t *running)
{
	uint32_t	 i;

	if (running != NULL) {
		*running = 0;
		for (i = 0; t->s != NULL && i < t->s->ntrials; i++)
			*running += t->s->status[i] == RUNG_RUNNING;
	}
	return tui_trials(t)->fcast_made;
}
