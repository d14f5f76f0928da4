/*
 * The plot command's kinds (plot-KIND.c) and what they share with it
 * (cmd-plot.c): the options, the state of one plot, and the helpers that
 * write titles, labels and tics alike for every kind.
 */
#ifndef PLOT_INT_H
#define PLOT_INT_H

#include <stdint.h>

#include "rung/cmd.h"
#include "rung/plot.h"
#include "rung/predict.h"
#include "rung/study.h"
#include "rung/util.h"

/*
 * plot's own options; those of a fit are the fit group's (RUNG_OPT_TARGET
 * ... RUNG_OPT_SEED, and -j).
 */
enum {
	OPT_TRIALS = 256, OPT_TOP, OPT_X, OPT_LOGY, OPT_PREFIX, OPT_MODEL,
	OPT_REPLAY, OPT_POLICY, OPT_ETA, OPT_MIN_R, OPT_MAX_R, OPT_WORKERS,
	OPT_SEEDS, OPT_SIZE, OPT_SCRIPT, OPT_YRANGE, OPT_SMOOTH, OPT_COLOR_BY,
};

struct plot;

/*
 * A kind of plot: its name, the options it takes besides those every kind
 * takes (-o, --size, --script, -m, --direction; 0 ends the list), and what
 * draws it. run gets the study as -m and --direction load it, or NULL for
 * a kind that does not load one.
 */
struct plot_kind {
	const char	*name;
	const int	*opts;
	int		 loads_study;
	int		(*run)(struct plot *, const struct rung_study *,
			     char **cause);
};

extern const struct plot_kind plot_curves_kind;
extern const struct plot_kind plot_predictions_kind;
extern const struct plot_kind plot_sweep_kind;
extern const struct plot_kind plot_replay_kind;
extern const struct plot_kind plot_brackets_kind;

/* One plot being made. */
struct plot {
	struct rung_ctx	*ctx;
	struct rung_args *args;
	const struct plot_kind *kind;
	const char	*kname;
	const char	*study;
	struct rung_plot_target tg;
	struct rung_plot *p;
	int		 dumb;
};

/* Tableau's ten colours: one per series, in turn. */
extern const char *const plot_colours[];
#define NCOLOURS	10

/* "--name" of an option of plot. */
const char	*plot_opt_name(int id);
/* Option values; a bad one is reported as "plot: --NAME ...". */
int		 plot_real_opt(const struct rung_args *, int id, double lo,
		     int lo_open, const char *expect, double *out);
int		 plot_int_opt(const struct rung_args *, int id, long lo,
		     long hi, long *out);
/* The fit group's settings, the target and features' parameters. */
int		 plot_fit_options(struct plot *, const struct rung_study *,
		     struct rung_fit_opts *, char **cause);
const char	*plot_svr_name(enum rung_svr_type);

const char	*plot_human(double, char buf[RUNG_DBL_BUFSZ]);
/* A series of the plot command: data set name drawn with style, titled. */
void		 plot_series(struct rung_plot *, const char *name,
		     const char *style, const char *fmt, ...)
		     __attribute__((format(printf, 4, 5)));
const char	*plot_score(double, char buf[RUNG_DBL_BUFSZ]);
void		 plot_title(struct plot *, const char *cmd, const char *l1,
		     const char *l2);
void		 plot_label(struct plot *, const char *cmd, const char *text);
double		 plot_chars_across(const struct plot *, double px,
		     double margins);
void		 plot_xtics(struct plot *, double span, double v,
		     double across, int integer);
void		 plot_preamble(struct plot *);
double		 plot_value_at(const struct rung_study *, uint32_t t,
		     int32_t k);

#endif
