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
	OPT_OBJECTIVES,
};

struct plot;

/*
 * A kind of plot: its name, the options it takes besides those every kind
 * takes (-o, --size, --script, -m, --direction; 0 ends the list), and what
 * draws it. run gets the study as -m and --direction load it, or NULL for
 * a kind that does not load one. A kind of several studies takes more than
 * one operand (pl->studies) and loads them itself.
 */
/*
 * loads_study: PLOT_LOADS_CURVES, the curves' metric (the intermediate
 * values of an Optuna study); PLOT_LOADS_VALUES, the metric of interest,
 * its curves only with --prefix (the parameter views: a trial's value is
 * the objective's, not its last report's).
 */
#define PLOT_LOADS_CURVES	1
#define PLOT_LOADS_VALUES	2

struct plot_kind {
	const char	*name;
	const int	*opts;
	int		 loads_study;
	int		 studies;
	int		(*run)(struct plot *, const struct rung_study *,
			     char **cause);
};

extern const struct plot_kind plot_curves_kind;
extern const struct plot_kind plot_predictions_kind;
extern const struct plot_kind plot_sweep_kind;
extern const struct plot_kind plot_replay_kind;
extern const struct plot_kind plot_brackets_kind;
extern const struct plot_kind plot_importance_kind;
extern const struct plot_kind plot_slice_kind;
extern const struct plot_kind plot_parallel_kind;
extern const struct plot_kind plot_contour_kind;
extern const struct plot_kind plot_history_kind;
extern const struct plot_kind plot_edf_kind;
extern const struct plot_kind plot_pareto_kind;

/* One plot being made. */
struct plot {
	struct rung_ctx	*ctx;
	struct rung_args *args;
	const struct plot_kind *kind;
	const char	*kname;
	const char	*study;
	char		**studies;	/* every operand after the kind */
	int		 nstudies;
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

/*
 * The parameter views' shares (plot-pview.c). plot_pv_values: the value of
 * each trial, its final one or at the one step --prefix names, and a
 * description of it for titles ("final acc", "acc at step 5"); an exit
 * status, the error said. plot_pv_axes: the axes of the parameters
 * --params names (every one that some trial sets without it); an exit
 * status, the error in *cause. plot_pv_tics: the tics of one axis
 * ("x", "y", ...) across characters wide: the levels' names of a
 * categorical one (0 when too many to name: their numbers then), real
 * values on a log one. plot_pv_label: the axis' label, saying how the
 * levels are numbered when they are not named.
 */
struct rung_pview_axis;
int		 plot_pv_values(struct plot *, const struct rung_study *,
		     double **y, char **what);
int		 plot_pv_axes(struct plot *, const struct rung_study *,
		     struct rung_pview_axis **, size_t *n, char **cause);
int		 plot_pv_tics(struct plot *, const char *axis,
		     const struct rung_study *, const struct rung_pview_axis *,
		     double across);
void		 plot_pv_label(struct plot *, const char *cmd,
		     const struct rung_study *, const struct rung_pview_axis *,
		     int named);
/* A label of at most max characters (UTF-8), "..." ending one cut. */
char		*plot_pv_short(const char *, size_t max);

#endif
