/*
 * plot: learning curves, predictions, sweeps, replays, brackets and the
 * parameter views (importance, slice, parallel, contour, history, edf,
 * pareto) drawn by gnuplot (plot.c) into an image, a text plot or a
 * window, and written out as a standalone script on request. This file holds the command: its
 * options, the table of kinds (each drawn by its plot-KIND.c) and what the
 * kinds share.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rung/cmd.h"
#include "rung/model.h"
#include "rung/plot.h"
#include "rung/predict.h"
#include "rung/store.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "plot-int.h"

/* plot's own; the fit group (RUNG_CMD_FIT) adds a fit's, --seed and -j. */
static const struct option plot_longopts[] = {
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "script", required_argument, NULL, OPT_SCRIPT },
	{ "trials", required_argument, NULL, OPT_TRIALS },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "x", required_argument, NULL, OPT_X },
	{ "log-y", no_argument, NULL, OPT_LOGY },
	{ "yrange", required_argument, NULL, OPT_YRANGE },
	{ "smooth", required_argument, NULL, OPT_SMOOTH },
	{ "color-by", required_argument, NULL, OPT_COLOR_BY },
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "eta", required_argument, NULL, OPT_ETA },
	{ "min-steps", required_argument, NULL, OPT_MIN_R },
	{ "max-steps", required_argument, NULL, OPT_MAX_R },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "seeds", required_argument, NULL, OPT_SEEDS },
	{ "method", required_argument, NULL, RUNG_OPT_METHOD },
	{ "quantile", required_argument, NULL, RUNG_OPT_QUANTILE },
	{ "objectives", required_argument, NULL, OPT_OBJECTIVES },
	{ NULL, 0, NULL, 0 }
};

/* The kinds, by the name plot takes. */
static const struct plot_kind *const plot_kinds[] = {
	&plot_curves_kind,
	&plot_predictions_kind,
	&plot_sweep_kind,
	&plot_replay_kind,
	&plot_brackets_kind,
	&plot_importance_kind,
	&plot_slice_kind,
	&plot_parallel_kind,
	&plot_contour_kind,
	&plot_history_kind,
	&plot_edf_kind,
	&plot_pareto_kind,
};

#define NKINDS (sizeof plot_kinds / sizeof plot_kinds[0])

/*
 * Every option of plot by its name, in the order a misplaced one is said;
 * every kind takes the first five, a kind its list of the others.
 */
static const struct plot_option {
	int		 id;
	const char	*name;
	int		 every;
} plot_options[] = {
	{ 'o', "-o", 1 },
	{ OPT_SIZE, "--size", 1 },
	{ OPT_SCRIPT, "--script", 1 },
	{ RUNG_OPT_METRIC, "--metric", 1 },
	{ RUNG_OPT_DIRECTION, "--direction", 1 },
	{ OPT_TRIALS, "--trials", 0 },
	{ OPT_TOP, "--top", 0 },
	{ OPT_X, "--x", 0 },
	{ OPT_LOGY, "--log-y", 0 },
	{ OPT_YRANGE, "--yrange", 0 },
	{ OPT_SMOOTH, "--smooth", 0 },
	{ OPT_COLOR_BY, "--color-by", 0 },
	{ OPT_PREFIX, "--prefix", 0 },
	{ OPT_MODEL, "--model", 0 },
	{ RUNG_OPT_TARGET, "--target", 0 },
	{ RUNG_OPT_FEATURES, "--features", 0 },
	{ RUNG_OPT_PARAMS, "--params", 0 },
	{ RUNG_OPT_SVR, "--svr", 0 },
	{ RUNG_OPT_C, "--C", 0 },
	{ RUNG_OPT_NU, "--nu", 0 },
	{ RUNG_OPT_EPSILON, "--epsilon", 0 },
	{ RUNG_OPT_GAMMA, "--gamma", 0 },
	{ RUNG_OPT_SEARCH, "--search", 0 },
	{ RUNG_OPT_FOLDS, "--folds", 0 },
	{ RUNG_OPT_TRAIN, "--train", 0 },
	{ RUNG_OPT_TEST, "--test", 0 },
	{ RUNG_OPT_REPEATS, "--repeats", 0 },
	{ RUNG_OPT_SEED, "--seed", 0 },
	{ RUNG_OPT_JOBS, "-j", 0 },
	{ OPT_REPLAY, "--replay", 0 },
	{ OPT_POLICY, "--policy", 0 },
	{ OPT_ETA, "--eta", 0 },
	{ OPT_MIN_R, "--min-steps", 0 },
	{ OPT_MAX_R, "--max-steps", 0 },
	{ OPT_WORKERS, "--workers", 0 },
	{ OPT_SEEDS, "--seeds", 0 },
	{ RUNG_OPT_METHOD, "--method", 0 },
	{ RUNG_OPT_QUANTILE, "--quantile", 0 },
	{ OPT_OBJECTIVES, "--objectives", 0 },
	{ RUNG_OPT_JSON, "--json", 0 },
};

#define NOPTIONS (sizeof plot_options / sizeof plot_options[0])

const char *const plot_colours[NCOLOURS] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
	"#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};

static int
takes(const struct plot_kind *k, const struct plot_option *o)
{
	const int	*id;

	if (o->every)
		return 1;
	for (id = k->opts; *id != 0; id++) {
		if (*id == o->id)
			return 1;
	}
	return 0;
}

const char *
plot_opt_name(int id)
{
	size_t	 i;

	for (i = 0; i < NOPTIONS; i++) {
		if (plot_options[i].id == id)
			return plot_options[i].name;
	}
	return "?";
}

int
plot_real_opt(const struct rung_args *args, int id, double lo, int lo_open,
    const char *expect, double *out)
{
	const char	*v = rung_args_get(args, id);
	double		 d;

	if (v == NULL)
		return 0;
	if (rung_parse_double(v, strlen(v), &d) != 0 || !isfinite(d) ||
	    d < lo || (lo_open && d == lo)) {
		rung_error("plot: %s must be %s, not '%s'", plot_opt_name(id),
		    expect, v);
		return -1;
	}
	*out = d;
	return 0;
}

int
plot_int_opt(const struct rung_args *args, int id, long lo, long hi, long *out)
{
	char	*cause = NULL;

	if (rung_args_int(args, id, lo, hi, out, &cause) != 0) {
		rung_error("plot: %s: %s", plot_opt_name(id), cause);
		free(cause);
		return -1;
	}
	return 0;
}

static int
plot_load_study(struct plot *pl, struct rung_study **s, char **cause)
{
	return rung_ctx_load(pl->ctx, pl->study, pl->args,
	    pl->kind->loads_study == PLOT_LOADS_CURVES ||
	    rung_args_has(pl->args, OPT_PREFIX), s, cause);
}

void
plot_series(struct rung_plot *p, const char *name, const char *style,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*lab;

	va_start(ap, fmt);
	xvasprintf(&lab, fmt, ap);
	va_end(ap);
	rung_plot_ref(p, name);
	rung_plot_cmd(p, " %s title ", style);
	rung_plot_quote(p, lab);
	free(lab);
}

/* A number for titles. */
const char *
plot_human(double v, char buf[RUNG_DBL_BUFSZ])
{
	return rung_fmt_human(v, buf);
}

/* A score (R², tau) for titles: three decimals. */
const char *
plot_score(double v, char buf[RUNG_DBL_BUFSZ])
{
	if (!isfinite(v))
		return rung_fmt_human(v, buf);
	snprintf(buf, RUNG_DBL_BUFSZ, "%.3f", v);
	return buf;
}

/* set title 'a' . "\n" . 'b': a title of one or two lines. */
void
plot_title(struct plot *pl, const char *cmd, const char *l1, const char *l2)
{
	rung_plot_cmd(pl->p, "%s ", cmd);
	rung_plot_quote(pl->p, l1);
	if (l2 != NULL && *l2 != '\0') {
		rung_plot_cmd(pl->p, " . \"\\n\" . ");
		rung_plot_quote(pl->p, l2);
	}
	rung_plot_cmd(pl->p, "\n");
}

void
plot_label(struct plot *pl, const char *cmd, const char *text)
{
	rung_plot_cmd(pl->p, "%s ", cmd);
	rung_plot_quote(pl->p, text);
	rung_plot_cmd(pl->p, "\n");
}

/*
 * Characters of the target's font across px pixels (about 7 a character
 * at Sans 10; a text plot counts characters), less what the margins take:
 * to space labels out before gnuplot draws them on top of each other.
 */
double
plot_chars_across(const struct plot *pl, double px, double margins)
{
	double	 c = pl->dumb ? px : px / 7.0;

	return c - margins > 10 ? c - margins : 10;
}

/* set xtics STEP: as many tics as labels as wide as v fit across. */
void
plot_xtics(struct plot *pl, double span, double v, double across,
    int integer)
{
	char	 b[RUNG_DBL_BUFSZ];
	int	 lw = (int)strlen(plot_human(v, b)) + 2;

	rung_plot_cmd(pl->p, "set xtics ");
	rung_plot_num(pl->p, rung_plot_tic_step(span, (int)(across / lw),
	    integer));
	rung_plot_cmd(pl->p, "\n");
}

/* What every plot shares. */
void
plot_preamble(struct plot *pl)
{
	if (!pl->dumb) {
		rung_plot_cmd(pl->p, "set grid lc rgb '#dddddd' lw 1\n");
		rung_plot_cmd(pl->p, "set border lc rgb '#404040'\n");
	}
	rung_plot_cmd(pl->p, "set tics nomirror\n");
}

/* The value of trial t at step k (the last point at or before it). */
double
plot_value_at(const struct rung_study *s, uint32_t t, int32_t k)
{
	uint32_t	 i, lo = s->curve.off[t], hi = s->curve.off[t + 1];
	double		 v = NAN;

	for (i = lo; i < hi && s->curve.steps[i] <= k; i++)
		v = s->curve.vals[i];
	if (i == hi && hi > lo && s->curve.steps[hi - 1] == k)
		v = s->curve.final[t];
	return v;
}

/* fit options: predictions and sweep */

int
plot_fit_options(struct plot *pl, const struct rung_study *s,
    struct rung_fit_opts *fo, char **cause)
{
	int	 ret;

	if ((ret = rung_args_fit(pl->args, "plot", fo)) != 0 ||
	    (ret = rung_args_fit_target(pl->args, "plot", s, fo,
	    cause)) != 0)
		return ret;
	if (fo->feat.kind != RUNG_FEAT_BAKER)
		return 0;
	/* As fit chooses them, without saying so. */
	rung_featspec_params(&fo->feat, s);
	if (rung_args_fit_params(pl->args, s, &fo->feat, 0, cause) != 0)
		return RUNG_EXIT_ERROR;
	return 0;
}

const char *
plot_svr_name(enum rung_svr_type t)
{
	return rung_svr_type_title(t);
}

/* The command. */

/* "curves, predictions, ... or pareto", from the table. */
static const char *
kind_names(void)
{
	static char	 names[256];
	size_t		 i;

	if (names[0] != '\0')
		return names;
	for (i = 0; i < NKINDS; i++)
		snprintf(names + strlen(names), sizeof names - strlen(names),
		    "%s%s", i == 0 ? "" : i + 1 == NKINDS ? " or " : ", ",
		    plot_kinds[i]->name);
	return names;
}

/* ./rung-plot-KIND-STUDY.png, the study's name made safe for a file. */
static char *
default_path(const char *kind, const char *study)
{
	struct rung_buf	 b = { 0 };
	const char	*c;
	size_t		 n = 0;

	rung_buf_printf(&b, "./rung-plot-%s-", kind);
	for (c = study; *c != '\0' && n < 60; c++, n++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' ||
		    *c == '_')
			rung_buf_addc(&b, *c);
		else
			rung_buf_addc(&b, '_');
	}
	rung_buf_addstr(&b, ".png");
	return rung_buf_cstr(&b);
}

static int
cmd_plot_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	struct plot	 pl;
	struct rung_study *s = NULL;
	const char	*out = rung_args_get(args, 'o');
	const char	*size = rung_args_get(args, OPT_SIZE);
	const char	*dir = rung_args_get(args, OPT_SCRIPT);
	const char	*display = getenv("DISPLAY"), *win = NULL;
	char		*cause = NULL, *path = NULL;
	size_t		 i;
	int		 ret = RUNG_EXIT_USAGE, t;

	memset(&pl, 0, sizeof pl);
	pl.ctx = ctx;
	pl.args = args;
	pl.kname = args->argv[0];
	pl.study = args->argv[1];
	pl.studies = args->argv + 1;
	pl.nstudies = args->argc - 1;
	for (i = 0; i < NKINDS; i++) {
		if (strcmp(plot_kinds[i]->name, pl.kname) == 0)
			pl.kind = plot_kinds[i];
	}
	if (pl.kind == NULL) {
		rung_error("plot: what to plot must be %s, not '%s'",
		    kind_names(), pl.kname);
		rung_cmd_usage(stderr, &rung_cmd_plot_entry);
		return RUNG_EXIT_USAGE;
	}
	if (pl.nstudies > 1 && !pl.kind->studies) {
		rung_error("plot: plot %s draws one study, not %d", pl.kname,
		    pl.nstudies);
		return RUNG_EXIT_USAGE;
	}
	for (i = 0; i < NOPTIONS; i++) {
		if (!takes(pl.kind, &plot_options[i]) &&
		    rung_args_has(args, plot_options[i].id)) {
			rung_error("plot: %s does not go with plot %s",
			    plot_options[i].name, pl.kname);
			return RUNG_EXIT_USAGE;
		}
	}

	/* Where it goes. */
	if (out != NULL) {
		if ((t = rung_plot_term_of(out)) < 0) {
			rung_error("plot: -o: the file name must end in .png, "
			    ".svg, .pdf or .txt (the format), not '%s'", out);
			return RUNG_EXIT_USAGE;
		}
		pl.tg.term = (enum rung_plot_term)t;
		pl.tg.path = out;
	} else if (display != NULL && *display != '\0') {
		if (rung_plot_window(&win, &cause) != 0) {
			ret = RUNG_EXIT_ERROR;
			goto out;
		}
		if (win != NULL) {
			pl.tg.term = RUNG_PLOT_WINDOW;
			pl.tg.window = win;
		}
	}
	if (out == NULL && win == NULL) {
		if (ctx->in_tui) {
			path = default_path(pl.kname, pl.study);
			pl.tg.term = RUNG_PLOT_PNG;
			pl.tg.path = path;
		} else
			pl.tg.term = RUNG_PLOT_DUMB;
	}
	rung_plot_default_size(pl.tg.term, &pl.tg.width, &pl.tg.height);
	if (size != NULL && rung_plot_size_parse(size, pl.tg.term,
	    &pl.tg.width, &pl.tg.height, &cause) != 0)
		goto out;
	pl.dumb = pl.tg.term == RUNG_PLOT_DUMB;
	pl.p = rung_plot_new();

	ret = RUNG_EXIT_ERROR;
	if (pl.kind->loads_study && plot_load_study(&pl, &s, &cause) != 0)
		goto out;
	ret = pl.kind->run(&pl, s, &cause);
	if (ret != 0)
		goto out;
	ret = RUNG_EXIT_ERROR;
	if (dir != NULL && rung_plot_export(pl.p, &pl.tg, dir, &cause) != 0)
		goto out;
	if (rung_plot_render(pl.p, &pl.tg, ctx->out, &cause) != 0)
		goto out;
	if (ctx->in_tui && pl.tg.path != NULL)
		fprintf(ctx->out, "plot written to %s (%dx%d)\n", pl.tg.path,
		    pl.tg.width, pl.tg.height);
	else if (ctx->in_tui && pl.tg.term == RUNG_PLOT_WINDOW)
		fprintf(ctx->out, "plot opened in a %s window\n", win);
	ret = RUNG_EXIT_OK;
out:
	if (cause != NULL) {
		rung_error("plot: %s", cause);
		free(cause);
	}
	rung_plot_free(pl.p);
	rung_study_free(s);
	free(path);
	return ret;
}

const struct rung_cmd_entry rung_cmd_plot_entry = {
	.name = "plot",
	.usage = "[--size WxH] [--script dir] "
	    "[--trials list] [--top n] [--x step|seconds] [--log-y] "
	    "[--yrange lo:hi] [--smooth weight] [--color-by param] "
	    "[--prefix steps] [--model name] [--target step] "
	    "[--features raw|baker] [--params list] [--svr nu-svr|eps-svr|qsvr] "
	    "[--C c] [--nu nu] [--epsilon epsilon] [--gamma gamma] "
	    "[--search none|grid|random:n] [--folds n] [--train n] [--test n] "
	    "[--repeats n] [--replay id] [--policy name] [--eta n] "
	    "[--min-steps steps] [--max-steps steps] [--workers n] [--seeds n] "
	    "[--seed n] [-j jobs] [--method name] [--quantile q] "
	    "[--objectives list] "
	    "curves|predictions|sweep|replay|brackets|importance|slice|"
	    "parallel|contour|history|edf|pareto study ...",
	.summary = "draw curves, predictions, sweeps, replays, brackets and "
	    "parameter views with gnuplot: an image, a text plot or a window",
	.shortopts = "j:",
	.longopts = plot_longopts,
	.minargs = 2,
	.maxargs = -1,
	.flags = RUNG_CMD_STORE_RO | RUNG_CMD_METRIC | RUNG_CMD_OUTPUT |
	    RUNG_CMD_FIT | RUNG_CMD_JSON,
	.exec = cmd_plot_exec,
};

