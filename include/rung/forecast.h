/*
 * Forecasts of trials from their points so far (learning-curve
 * extrapolation, rung/lce.h): the value a trial is heading for at a step
 * T, a band around it, the chance it beats the incumbent, and what the lce
 * policy's stopping rule would decide for it now. Used by `rung trials
 * --running`, `rung watch` and the explorer.
 */
#ifndef RUNG_FORECAST_H
#define RUNG_FORECAST_H

#include <stdint.h>

#include "rung/lce.h"
#include "rung/study.h"

/* The band of a forecast and the rule's margin: one-sided 0.99. */
#define RUNG_FORECAST_DELTA	0.99

/* A fit of one trial at a time; its scratch is reused. */
struct rung_forecaster {
	struct rung_lce	 w;
	double		*x;
	double		*y;
	uint32_t	 cap;
	double		 sign;	/* -1 for a maximised metric: lce.h minimises */
	int		 ok;	/* the last fit has something to extrapolate */
};

void	 rung_forecaster_init(struct rung_forecaster *);
void	 rung_forecaster_release(struct rung_forecaster *);
/*
 * Fit trial t on its finite points at steps 1..upto: 0, or -1 when it has
 * fewer than three (nothing to extrapolate).
 */
int	 rung_forecaster_fit(struct rung_forecaster *, const struct rung_study *,
	     uint32_t t, int32_t upto);
/* After a fit, in the metric's own terms: the value at T, and band k. */
double	 rung_forecaster_value(const struct rung_forecaster *, double T,
	     double band);

/*
 * The best final value at step T of the trials that reached it, trial skip
 * left out (-1: none): the incumbent a stopping rule holds a trial to. NaN
 * when none reached T.
 */
double	 rung_study_incumbent(const struct rung_study *, int32_t T,
	     int64_t skip);

enum rung_verdict {
	RUNG_VERDICT_NONE = 0,	/* nothing to extrapolate, or no incumbent */
	RUNG_VERDICT_GO,	/* it may still beat the incumbent: go on */
	RUNG_VERDICT_STOP,	/* even its optimistic bound does not */
	RUNG_VERDICT_DONE,	/* it reached T */
};
const char *rung_verdict_name(enum rung_verdict);

struct rung_forecast {
	double		 value;		/* at T; NaN when nothing to extrapolate */
	double		 low;		/* the band: z sigma(T) either side */
	double		 high;
	double		 p_best;	/* P(beats the incumbent); NaN if none */
	enum rung_verdict verdict;
};

/* Trial t's forecast at T against ystar (NaN: no incumbent). */
void	 rung_forecast(struct rung_forecaster *, const struct rung_study *,
	     uint32_t t, int32_t T, double ystar, struct rung_forecast *);

#endif
