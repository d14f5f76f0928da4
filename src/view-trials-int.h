/*
 * The trials and detail screens' state, shared by view-trials.c (the open
 * study, keys), view-trials-rows.c (filtering, sorting, the top k) and
 * view-trials-draw.c (the table, the curves and the detail).
 */
#ifndef RUNG_VIEW_TRIALS_INT_H
#define RUNG_VIEW_TRIALS_INT_H

#include "tui-int.h"
#include "rung/forecast.h"
#include "rung/lce.h"

enum { COL_ID = 0, COL_STATUS, COL_STEPS, COL_BEST, COL_FINAL, COL_PRED,
	COL_FORECAST, COL_PBEST, COL_VERDICT, COL_PARAM0 };

struct tui_trials {
	/* --direction: for the metric it opened with (-m), that run only. */
	enum rung_direction dir_override;
	char		*dir_metric;
	uint32_t	*order;		/* rows: filtered, sorted */
	uint32_t	 norder;
	uint8_t		*marked;
	uint32_t	 nmarked;
	uint32_t	 sel, top;
	int		 hscroll;
	int		 sort, sort_rev;
	struct rung_filter *filter;
	char		*filter_text;
	int		 logy, xsecs, topk, compare, focus;
	uint32_t	 topk_list[20];
	uint32_t	 ntopk;
	int32_t		 prefix, target;
	double		*pred;
	int32_t		 pred_prefix;
	char		*pred_desc;
	int		 refit_pending;
	enum rung_svr_type svr;		/* what r fits (:refit names it) */
	int		*pwidth;
	uint32_t	*pshow;		/* the parameter columns, in order */
	uint32_t	 npshow;
	int		 idw;
	float		*cumsecs;
	int		 detail_top;
	int		 table_h;
	struct tui_refit refit;

	/*
	 * The focused trial's LCE (view-trials-lce.c), fit again when the
	 * trial, K or the metric (t->gen) changes.
	 */
	struct rung_forecaster fc;
	uint32_t	 lce_trial;
	int32_t		 lce_prefix;
	uint64_t	 lce_gen;
	int		 lce_have, lce_ok;
	double		 lce_z;
	double		 lce_ystar;	/* the other trials' best final */

	/*
	 * The running trials' forecasts at the target (view-trials-
	 * forecast.c), one per trial; NULL, and their columns hidden, when
	 * no trial runs. fcast_made counts the fits, for the tests.
	 */
	struct rung_forecast *fcast;
	int32_t		 fcast_T;
	double		 fcast_ystar;
	uint64_t	 fcast_made;

	/*
	 * How the curves are drawn (view-trials-style.c): the smoothing
	 * weight (0: none), the parameter colouring them (-1: none), the
	 * sides of :yrange (NaN: automatic), and the points the last
	 * drawing clipped.
	 */
	double		 smooth;
	int		 cby;
	double		 ylo, yhi;
	uint32_t	 nclipped;

	/*
	 * A big study is opened light (view-trials.c): its first frame drawn
	 * from its summaries and the few curves it shows, while this job
	 * reads it whole on a connection of its own. Whatever needs every
	 * curve (a key, a live refresh) waits for it; the study read whole
	 * then takes the light one's place.
	 */
	struct tui_whole {
		struct tui_job	 job;
		char		*path, *name, *metric;
		enum rung_direction dir;
		struct rung_study *s;
		char		*cause;
		uint32_t	 nrunning;	/* the light study's running */
		int		 pending;	/* to start after the frame */
	} whole;
};

static inline struct tui_trials *
tui_trials(struct tui *t)
{
	return t->view[SCR_TRIALS];
}

/* view-trials.c */
uint32_t	 tui_ncols(struct tui *);
const char	*tui_col_name(struct tui *, uint32_t);

/* view-trials-rows.c */
void		 tui_resort(struct tui *);
void		 tui_compute_topk(struct tui *);
/*
 * The k (at most 20) best trials of s among order[0..n) (NULL: every
 * trial, in row order) into list, best first: their number.
 */
uint32_t	 tui_topk(const struct rung_study *s, const uint32_t *order,
		     uint32_t n, uint32_t k, uint32_t *list);
void		 tui_rebuild_rows(struct tui *);

/* view-trials-lce.c */
const struct rung_lce *tui_trials_lce(struct tui *, uint32_t);
double		 tui_lce_value(struct tui *, double T, int band);
int		 tui_lce_line(struct tui *, uint32_t, char *, size_t);
void		 tui_lce_release(struct tui_trials *);

/* view-trials-forecast.c */
/* Forecasts again: every running trial's, or (changed) those with news. */
void		 tui_trials_forecast(struct tui *, const uint8_t *changed);
/* After a live merge: moved to the trials' new places, then made again. */
void		 tui_trials_forecast_follow(struct tui *, const uint32_t *map,
		     uint32_t oldn, const uint8_t *changed);
/* The sort key of a forecast column for trial tr: lower first. */
double		 tui_forecast_key(struct tui *, int col, uint32_t tr);
/* Whether column c is one that is not shown (PRED, the forecasts). */
int		 tui_col_hidden(struct tui *, int c);

/* view-trials-style.c */
struct rung_colorby;
void		 tui_style_init(struct tui_trials *);
void		 tui_smooth_cycle(struct tui *);
void		 tui_colorby_cycle(struct tui *);
int		 tui_curve_attr(struct tui *, const struct rung_colorby *,
		     uint32_t tr, int dflt);
void		 tui_curve_values(struct tui *, uint32_t tr, double *out);
int		 tui_curve_yrange(struct tui *, double *v, size_t n,
		     double best, double *lo, double *hi);
void		 tui_style_title(struct tui *, char *, size_t);
int		 tui_colour_legend(struct tui *, const struct rung_colorby *,
		     int y, int x, int w);
int		 tui_yok(struct tui *, double);
double		 tui_ymap(struct tui *, double);
void		 tui_draw_series(struct tui *, struct tui_canvas *, uint32_t tr,
		     const double *v, double xmin, double xmax, double ymin,
		     double ymax, int pri, int attr, uint8_t *clipcol);
void		 tui_clip_arrows(struct tui *, const uint8_t *clipcol, int y,
		     int x, int pw, int ph);

/* view-trials-draw.c */
const char	*tui_param_text(const struct rung_study *, uint32_t p,
		     uint32_t tr, char buf[32]);
void		 view_trials_draw(struct tui *, int y, int h);
void		 view_detail_draw(struct tui *, int y, int h);

#endif
