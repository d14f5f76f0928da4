/*
 * plot: learning curves, predictions, sweeps, replays and brackets drawn by
 * gnuplot (plot.c) into an image, a text plot or a window, and written out
 * as a standalone script on request.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rung/cmd.h"
#include "rung/model.h"
#include "rung/plot.h"
#include "rung/predict.h"
#include "rung/replay.h"
#include "rung/sched.h"
#include "rung/store.h"
#include "rung/store-replay.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

enum {
	OPT_TRIALS = 256, OPT_TOP, OPT_X, OPT_LOGY, OPT_PREFIX,
	OPT_TARGET, OPT_FEATURES, OPT_PARAMS, OPT_MODEL, OPT_SVR, OPT_C,
	OPT_NU, OPT_EPSILON, OPT_GAMMA, OPT_SEARCH, OPT_FOLDS, OPT_TRAIN,
	OPT_REPEATS, OPT_SEED, OPT_REPLAY, OPT_POLICY, OPT_ETA, OPT_MIN_R,
	OPT_MAX_R, OPT_WORKERS, OPT_SEEDS, OPT_SIZE, OPT_SCRIPT,
};

static const struct option plot_longopts[] = {
	{ "size", required_argument, NULL, OPT_SIZE },
	{ "script", required_argument, NULL, OPT_SCRIPT },
	{ "trials", required_argument, NULL, OPT_TRIALS },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "x", required_argument, NULL, OPT_X },
	{ "log-y", no_argument, NULL, OPT_LOGY },
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "features", required_argument, NULL, OPT_FEATURES },
	{ "params", required_argument, NULL, OPT_PARAMS },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "svr", required_argument, NULL, OPT_SVR },
	{ "C", required_argument, NULL, OPT_C },
	{ "nu", required_argument, NULL, OPT_NU },
	{ "epsilon", required_argument, NULL, OPT_EPSILON },
	{ "gamma", required_argument, NULL, OPT_GAMMA },
	{ "search", required_argument, NULL, OPT_SEARCH },
	{ "folds", required_argument, NULL, OPT_FOLDS },
	{ "train", required_argument, NULL, OPT_TRAIN },
	{ "repeats", required_argument, NULL, OPT_REPEATS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "eta", required_argument, NULL, OPT_ETA },
	{ "min-steps", required_argument, NULL, OPT_MIN_R },
	{ "max-steps", required_argument, NULL, OPT_MAX_R },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "seeds", required_argument, NULL, OPT_SEEDS },
	{ "jobs", required_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 }
};

enum {
	K_CURVES = 0x1,
	K_PRED = 0x2,
	K_SWEEP = 0x4,
	K_REPLAY = 0x8,
	K_BRACKETS = 0x10,
	K_ALL = 0x1f,
};

static const struct {
	const char	*name;
	int		 kind;
} plot_kinds[] = {
	{ "curves", K_CURVES },
	{ "predictions", K_PRED },
	{ "sweep", K_SWEEP },
	{ "replay", K_REPLAY },
	{ "brackets", K_BRACKETS },
};

#define NKINDS (sizeof plot_kinds / sizeof plot_kinds[0])

/* Which kinds take which option. */
static const struct {
	int		 id;
	const char	*name;
	int		 kinds;
} plot_applies[] = {
	{ 'o', "-o", K_ALL },
	{ OPT_SIZE, "--size", K_ALL },
	{ OPT_SCRIPT, "--script", K_ALL },
	{ RUNG_OPT_METRIC, "--metric", K_ALL },
	{ RUNG_OPT_DIRECTION, "--direction", K_ALL },
	{ OPT_TRIALS, "--trials", K_CURVES },
	{ OPT_TOP, "--top", K_CURVES },
	{ OPT_X, "--x", K_CURVES },
	{ OPT_LOGY, "--log-y", K_CURVES },
	{ OPT_PREFIX, "--prefix", K_PRED },
	{ OPT_MODEL, "--model", K_PRED },
	{ OPT_TARGET, "--target", K_PRED | K_SWEEP },
	{ OPT_FEATURES, "--features", K_PRED | K_SWEEP },
	{ OPT_PARAMS, "--params", K_PRED | K_SWEEP },
	{ OPT_SVR, "--svr", K_PRED | K_SWEEP },
	{ OPT_C, "--C", K_PRED | K_SWEEP },
	{ OPT_NU, "--nu", K_PRED | K_SWEEP },
	{ OPT_EPSILON, "--epsilon", K_PRED | K_SWEEP },
	{ OPT_GAMMA, "--gamma", K_PRED | K_SWEEP },
	{ OPT_SEARCH, "--search", K_PRED | K_SWEEP },
	{ OPT_FOLDS, "--folds", K_PRED | K_SWEEP },
	{ OPT_TRAIN, "--train", K_PRED | K_SWEEP },
	{ OPT_REPEATS, "--repeats", K_PRED | K_SWEEP },
	{ OPT_SEED, "--seed", K_PRED | K_SWEEP | K_REPLAY | K_BRACKETS },
	{ 'j', "-j", K_PRED | K_SWEEP | K_REPLAY },
	{ OPT_REPLAY, "--replay", K_REPLAY },
	{ OPT_POLICY, "--policy", K_REPLAY | K_BRACKETS },
	{ OPT_ETA, "--eta", K_REPLAY | K_BRACKETS },
	{ OPT_MIN_R, "--min-steps", K_REPLAY | K_BRACKETS },
	{ OPT_MAX_R, "--max-steps", K_REPLAY | K_BRACKETS },
	{ OPT_WORKERS, "--workers", K_REPLAY | K_BRACKETS },
	{ OPT_SEEDS, "--seeds", K_REPLAY },
};

#define NAPPLIES (sizeof plot_applies / sizeof plot_applies[0])

/* The options of a fit: with --model, none of them. */
static const int fit_ids[] = {
	OPT_PREFIX, OPT_TARGET, OPT_FEATURES, OPT_PARAMS, OPT_SVR, OPT_C,
	OPT_NU, OPT_EPSILON, OPT_GAMMA, OPT_SEARCH, OPT_FOLDS, OPT_TRAIN,
	OPT_REPEATS, OPT_SEED, 'j',
};

/* Tableau's ten colours: one per series, in turn. */
static const char *const colours[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
	"#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};
#define NCOLOURS (sizeof colours / sizeof colours[0])

/* Series given a legend entry at most; the rest are drawn untitled. */
#define LEGEND_MAX	12

struct plot {
	struct rung_ctx	*ctx;
	struct rung_args *args;
	int		 kind;
	const char	*kname;
	const char	*study;
	struct rung_plot_target tg;
	struct rung_plot *p;
	int		 dumb;
};

static const char *
opt_name(int id)
{
	size_t	 i;

	for (i = 0; i < NAPPLIES; i++) {
		if (plot_applies[i].id == id)
			return plot_applies[i].name;
	}
	return "?";
}

static int
real_opt(const struct rung_args *args, int id, double lo, int lo_open,
    const char *expect, double *out)
{
	const char	*v = rung_args_get(args, id);
	double		 d;

	if (v == NULL)
		return 0;
	if (rung_parse_double(v, strlen(v), &d) != 0 || !isfinite(d) ||
	    d < lo || (lo_open && d == lo)) {
		rung_error("plot: %s must be %s, not '%s'", opt_name(id),
		    expect, v);
		return -1;
	}
	*out = d;
	return 0;
}

static int
int_opt(const struct rung_args *args, int id, long lo, long hi, long *out)
{
	char	*cause = NULL;

	if (rung_args_int(args, id, lo, hi, out, &cause) != 0) {
		rung_error("plot: %s: %s", opt_name(id), cause);
		free(cause);
		return -1;
	}
	return 0;
}

static int
load_study(struct plot *pl, struct rung_study **s, char **cause)
{
	return rung_ctx_load(pl->ctx, pl->study, pl->args, 1, s, cause);
}

/* A number for titles. */
static const char *
human(double v, char buf[RUNG_DBL_BUFSZ])
{
	return rung_fmt_human(v, buf);
}

/* A score (R², tau) for titles: three decimals. */
static const char *
score(double v, char buf[RUNG_DBL_BUFSZ])
{
	if (!isfinite(v))
		return rung_fmt_human(v, buf);
	snprintf(buf, RUNG_DBL_BUFSZ, "%.3f", v);
	return buf;
}

/* set title 'a' . "\n" . 'b': a title of one or two lines. */
static void
set_title(struct plot *pl, const char *cmd, const char *l1, const char *l2)
{
	rung_plot_cmd(pl->p, "%s ", cmd);
	rung_plot_quote(pl->p, l1);
	if (l2 != NULL && *l2 != '\0') {
		rung_plot_cmd(pl->p, " . \"\\n\" . ");
		rung_plot_quote(pl->p, l2);
	}
	rung_plot_cmd(pl->p, "\n");
}

static void
set_label(struct plot *pl, const char *cmd, const char *text)
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
static double
chars_across(const struct plot *pl, double px, double margins)
{
	double	 c = pl->dumb ? px : px / 7.0;

	return c - margins > 10 ? c - margins : 10;
}

/* set xtics STEP: as many tics as labels as wide as v fit across. */
static void
set_xtics(struct plot *pl, double span, double v, double across,
    int integer)
{
	char	 b[RUNG_DBL_BUFSZ];
	int	 lw = (int)strlen(human(v, b)) + 2;

	rung_plot_cmd(pl->p, "set xtics ");
	rung_plot_num(pl->p, rung_plot_tic_step(span, (int)(across / lw),
	    integer));
	rung_plot_cmd(pl->p, "\n");
}

/* What every plot shares. */
static void
preamble(struct plot *pl)
{
	if (!pl->dumb) {
		rung_plot_cmd(pl->p, "set grid lc rgb '#dddddd' lw 1\n");
		rung_plot_cmd(pl->p, "set border lc rgb '#404040'\n");
	}
	rung_plot_cmd(pl->p, "set tics nomirror\n");
}

/* The value of trial t at step k (the last point at or before it). */
static double
value_at(const struct rung_study *s, uint32_t t, int32_t k)
{
	uint32_t	 i, lo = s->curve.off[t], hi = s->curve.off[t + 1];
	double		 v = NAN;

	for (i = lo; i < hi && s->curve.steps[i] <= k; i++)
		v = s->curve.vals[i];
	if (i == hi && hi > lo && s->curve.steps[hi - 1] == k)
		v = s->curve.final[t];
	return v;
}

/* curves */

static int
pick_trials(struct plot *pl, const struct rung_study *s, uint32_t **sel,
    uint32_t *nsel, char **cause)
{
	char		**ids;
	size_t		 n, i, j;
	int64_t		 t;
	long		 k;
	uint32_t	 u, m, *v;
	double		 b;

	*sel = NULL;
	*nsel = 0;
	if (rung_args_has(pl->args, OPT_TRIALS)) {
		ids = rung_args_list(pl->args, OPT_TRIALS, &n);
		v = xcalloc(n + 1, sizeof *v);
		for (i = 0; i < n; i++) {
			if ((t = rung_study_find_trial(s, ids[i])) < 0) {
				xasprintf(cause, "no trial '%s' in study '%s'",
				    ids[i], s->name);
				break;
			}
			for (j = 0; j < *nsel && v[j] != (uint32_t)t; j++)
				;
			if (j == *nsel)
				v[(*nsel)++] = (uint32_t)t;
		}
		for (j = 0; j < n; j++)
			free(ids[j]);
		free(ids);
		if (i < n) {
			free(v);
			*nsel = 0;
			return -1;
		}
		if (*nsel == 0) {
			free(v);
			xasprintf(cause, "--trials: no trial given");
			return -1;
		}
		*sel = v;
		return 0;
	}
	if (rung_args_has(pl->args, OPT_TOP)) {
		if (int_opt(pl->args, OPT_TOP, 1, 100000, &k) != 0)
			return RUNG_EXIT_USAGE;
		/* Insertion into a sorted list of the k best so far. */
		v = xcalloc((size_t)k + 1, sizeof *v);
		for (u = 0; u < s->ntrials; u++) {
			b = s->curve.best[u];
			if (isnan(b))
				continue;
			m = *nsel < (uint32_t)k ? (*nsel)++ : *nsel;
			if (m == (uint32_t)k && !rung_better(s->direction, b,
			    s->curve.best[v[m - 1]]))
				continue;
			if (m == (uint32_t)k)
				m--;
			while (m > 0 && rung_better(s->direction, b,
			    s->curve.best[v[m - 1]])) {
				v[m] = v[m - 1];
				m--;
			}
			v[m] = u;
		}
		if (*nsel == 0) {
			free(v);
			xasprintf(cause, "study '%s' has no trial with a finite "
			    "value of '%s'", s->name, s->curve.name);
			return -1;
		}
		*sel = v;
	}
	return 0;
}

/* Points of trial t: (x, value), finite ones. */
static size_t
curve_rows(struct plot *pl, const struct rung_study *s, const float *cum,
    uint32_t t)
{
	uint32_t	 i;
	size_t		 n = 0;
	double		 x, v;

	for (i = s->curve.off[t]; i < s->curve.off[t + 1]; i++) {
		v = i + 1 == s->curve.off[t + 1] ? s->curve.final[t] :
		    s->curve.vals[i];
		x = cum != NULL ? cum[i] : s->curve.steps[i];
		if (!isfinite(v) || !isfinite(x))
			continue;
		rung_plot_row(pl->p, 2, x, v);
		n++;
	}
	return n;
}

/* The last finite point of trial t: where it stopped. */
static int
last_point(const struct rung_study *s, const float *cum, uint32_t t,
    double *x, double *v)
{
	uint32_t	 i;

	for (i = s->curve.off[t + 1]; i > s->curve.off[t]; i--) {
		*v = i == s->curve.off[t + 1] ? s->curve.final[t] :
		    s->curve.vals[i - 1];
		*x = cum != NULL ? cum[i - 1] : s->curve.steps[i - 1];
		if (isfinite(*v) && isfinite(*x))
			return 1;
	}
	return 0;
}

static int
plot_curves(struct plot *pl, const struct rung_study *s, char **cause)
{
	const char	*xv = rung_args_get(pl->args, OPT_X);
	struct rung_plot *p = pl->p;
	uint32_t	*sel = NULL, nsel = 0, t, i, best = UINT32_MAX;
	uint32_t	 nshown = 0, nstopped = 0, nall = 0;
	float		*cum = NULL;
	double		 acc, x, v;
	char		*l1 = NULL, *l2 = NULL, *lab, b1[RUNG_DBL_BUFSZ];
	int		 secs = 0, all, rc, ret = RUNG_EXIT_ERROR, first = 1;

	if (xv != NULL && strcmp(xv, "seconds") == 0)
		secs = 1;
	else if (xv != NULL && strcmp(xv, "step") != 0) {
		rung_error("plot: --x must be step or seconds, not '%s'", xv);
		return RUNG_EXIT_USAGE;
	}
	if (rung_args_has(pl->args, OPT_TRIALS) && rung_args_has(pl->args,
	    OPT_TOP)) {
		rung_error("plot: --trials and --top are alternatives: give "
		    "one");
		return RUNG_EXIT_USAGE;
	}
	if (secs) {
		if (s->secs == NULL) {
			xasprintf(cause, "study '%s' records no seconds for "
			    "'%s': plot it against steps (--x step)", s->name,
			    s->curve.name);
			return RUNG_EXIT_ERROR;
		}
		/* Seconds since the trial started: the sum of its steps'. */
		cum = xreallocarray(NULL, s->curve.off[s->ntrials] + 1,
		    sizeof *cum);
		for (t = 0; t < s->ntrials; t++) {
			acc = 0;
			for (i = s->curve.off[t]; i < s->curve.off[t + 1];
			    i++) {
				if (isfinite(s->secs[i]))
					acc += s->secs[i];
				cum[i] = (float)acc;
			}
		}
	}
	if ((rc = pick_trials(pl, s, &sel, &nsel, cause)) != 0) {
		free(cum);
		return rc < 0 ? RUNG_EXIT_ERROR : rc;
	}
	all = sel == NULL;
	if (all) {
		sel = xcalloc(s->ntrials + 1, sizeof *sel);
		for (t = 0; t < s->ntrials; t++)
			sel[nsel++] = t;
	}
	for (i = 0; i < nsel; i++) {
		t = sel[i];
		if (!isnan(s->curve.best[t]) && (best == UINT32_MAX ||
		    rung_better(s->direction, s->curve.best[t],
		    s->curve.best[best])))
			best = t;
	}

	/* The data: every point is a number. */
	for (i = 0; i < nsel; i++) {
		t = sel[i];
		if (all && t != best) {
			rung_plot_data(p, "all");
			if (curve_rows(pl, s, cum, t) > 0) {
				rung_plot_gap(p, 1);
				nall++;
				nshown++;
			}
		} else if (all) {
			rung_plot_data(p, "best");
			if (curve_rows(pl, s, cum, t) > 0)
				nshown++;
		} else {
			rung_plot_data(p, "sel");
			if (curve_rows(pl, s, cum, t) == 0)
				/* An empty block keeps the index in step. */
				rung_plot_row(p, 2, NAN, NAN);
			else
				nshown++;
			rung_plot_gap(p, 2);
		}
		if (s->status[t] == RUNG_STOPPED && last_point(s, cum, t, &x,
		    &v)) {
			rung_plot_data(p, "stopped");
			rung_plot_row(p, 2, x, v);
			nstopped++;
		}
	}
	if (nshown == 0) {
		xasprintf(cause, "study '%s' has no finite value of '%s' to "
		    "plot", s->name, s->curve.name);
		goto out;
	}

	preamble(pl);
	l1 = xprintf("%s: %s by %s", s->name, s->curve.name, secs ?
	    "seconds" : "step");
	if (best != UINT32_MAX)
		l2 = xprintf("%u trial%s%s; the best, trial %s, reaches %s",
		    nshown, nshown == 1 ? "" : "s", all ? "" :
		    rung_args_has(pl->args, OPT_TOP) ? " (the top by best "
		    "value)" : " (chosen)", s->ids[best],
		    human(s->curve.best[best], b1));
	else
		l2 = xprintf("%u trials", nshown);
	set_title(pl, "set title", l1, l2);
	set_label(pl, "set xlabel", secs ? "seconds since the trial started"
	    " (recorded)" : "step");
	set_label(pl, "set ylabel", s->curve.name);
	if (rung_args_has(pl->args, OPT_LOGY))
		rung_plot_cmd(p, "set logscale y\n");
	if (all)
		rung_plot_cmd(p, "set key outside below center horizontal\n");
	else
		rung_plot_cmd(p, "set key outside right top vertical Left "
		    "reverse\n");

	rung_plot_cmd(p, "plot ");
	if (all) {
		if (nall > 0) {
			rung_plot_ref(p, "all");
			lab = xprintf("%u other trials", nall);
			rung_plot_cmd(p, " using 1:2 with lines lw 1 lc rgb "
			    "'#c4c4c4' title ");
			rung_plot_quote(p, lab);
			free(lab);
			first = 0;
		}
		rung_plot_cmd(p, "%s", first ? "" : ", \\\n     ");
		rung_plot_ref(p, "best");
		lab = xprintf("the best: trial %s", s->ids[best]);
		rung_plot_cmd(p, " using 1:2 with lines lw 2.5 lc rgb "
		    "'#d62728' title ");
		rung_plot_quote(p, lab);
		free(lab);
		first = 0;
	} else {
		for (i = 0; i < nsel; i++) {
			t = sel[i];
			rung_plot_cmd(p, "%s", first ? "" : ", \\\n     ");
			first = 0;
			rung_plot_ref(p, "sel");
			rung_plot_cmd(p, " index %u using 1:2 with lines lw %s "
			    "lc rgb '%s' ", i, t == best ? "2.5" : "1.2",
			    colours[i % NCOLOURS]);
			if (i < LEGEND_MAX) {
				lab = xprintf("trial %s%s", s->ids[t],
				    t == best ? " (best)" : "");
				rung_plot_cmd(p, "title ");
				rung_plot_quote(p, lab);
				free(lab);
			} else
				rung_plot_cmd(p, "notitle");
		}
	}
	if (nstopped > 0) {
		rung_plot_cmd(p, ", \\\n     ");
		rung_plot_ref(p, "stopped");
		lab = xprintf("stopped (%u), where they stopped", nstopped);
		rung_plot_cmd(p, " using 1:2 with points pt 2 ps 0.8 lc rgb "
		    "'#000000' title ");
		rung_plot_quote(p, lab);
		free(lab);
	}
	rung_plot_cmd(p, "\n");
	ret = 0;
out:
	free(l1);
	free(l2);
	free(sel);
	free(cum);
	return ret;
}

/* fit options: predictions and sweep */

static int
fit_options(struct plot *pl, const struct rung_study *s,
    struct rung_fit_opts *fo, char **cause)
{
	const struct rung_args *args = pl->args;
	const char	*v;
	char		*end, **names, **keep;
	size_t		 n, i, nkeep;
	long		 k;
	int		 f, rc;

	rung_svr_params_init(&fo->svr);
	rung_search_init(&fo->search);
	fo->repeats = 1;
	if ((v = rung_args_get(args, OPT_FEATURES)) != NULL) {
		if ((f = rung_features_parse(v)) < 0) {
			rung_error("plot: --features must be raw or baker, not "
			    "'%s'", v);
			return RUNG_EXIT_USAGE;
		}
		fo->feat.kind = (enum rung_features)f;
	}
	if ((v = rung_args_get(args, OPT_SVR)) != NULL) {
		if (strcmp(v, "nu-svr") == 0)
			fo->svr.type = RUNG_NU_SVR;
		else if (strcmp(v, "eps-svr") == 0)
			fo->svr.type = RUNG_EPS_SVR;
		else {
			rung_error("plot: --svr must be nu-svr or eps-svr, not "
			    "'%s'", v);
			return RUNG_EXIT_USAGE;
		}
	}
	if (real_opt(args, OPT_C, 0, 1, "a positive number",
	    &fo->svr.C) != 0 ||
	    real_opt(args, OPT_NU, 0, 1, "a number in (0, 1]",
	    &fo->svr.nu) != 0 ||
	    real_opt(args, OPT_EPSILON, 0, 1, "a positive number",
	    &fo->svr.epsilon) != 0 ||
	    real_opt(args, OPT_GAMMA, 0, 1, "a positive number",
	    &fo->svr.gamma) != 0)
		return RUNG_EXIT_USAGE;
	if (fo->svr.nu > 1) {
		rung_error("plot: --nu must be a number in (0, 1]");
		return RUNG_EXIT_USAGE;
	}
	if ((v = rung_args_get(args, OPT_SEARCH)) != NULL) {
		if (strcmp(v, "none") == 0)
			fo->search.kind = RUNG_SEARCH_NONE;
		else if (strcmp(v, "grid") == 0)
			fo->search.kind = RUNG_SEARCH_GRID;
		else if (strncmp(v, "random:", 7) == 0 &&
		    (k = strtol(v + 7, &end, 10)) > 0 && *end == '\0' &&
		    k <= 1000000) {
			fo->search.kind = RUNG_SEARCH_RANDOM;
			fo->search.nrandom = (uint32_t)k;
		} else {
			rung_error("plot: --search must be none, grid or "
			    "random:N with N between 1 and 1000000, not '%s'",
			    v);
			return RUNG_EXIT_USAGE;
		}
	}
	k = 3;
	if (int_opt(args, OPT_FOLDS, 2, 100, &k) != 0)
		return RUNG_EXIT_USAGE;
	fo->search.folds = (uint32_t)k;
	k = 0;
	if (int_opt(args, OPT_TRAIN, 2, 100000000, &k) != 0)
		return RUNG_EXIT_USAGE;
	fo->train = (uint32_t)k;
	k = 1;
	if (int_opt(args, OPT_REPEATS, 1, 100000, &k) != 0)
		return RUNG_EXIT_USAGE;
	fo->repeats = (uint32_t)k;
	k = 0;
	if (int_opt(args, OPT_SEED, 0, 2147483647L, &k) != 0)
		return RUNG_EXIT_USAGE;
	fo->seed = fo->search.seed = (uint64_t)k;
	k = 0;
	if (int_opt(args, 'j', 0, 1024, &k) != 0)
		return RUNG_EXIT_USAGE;
	fo->threads = fo->search.threads = (int)k;
	fo->feat.target = s->max_step;
	if (rung_args_has(args, OPT_TARGET)) {
		if (int_opt(args, OPT_TARGET, 2, INT32_MAX, &k) != 0)
			return RUNG_EXIT_USAGE;
		fo->feat.target = (int32_t)k;
	}
	if (fo->feat.target < 2) {
		xasprintf(cause, "study '%s' has no step to predict (its last "
		    "step is %d)", s->name, s->max_step);
		return RUNG_EXIT_ERROR;
	}
	if (fo->feat.kind != RUNG_FEAT_BAKER)
		return 0;

	/*
	 * Baker's features: --params, else every parameter but categorical
	 * ones with a level for nearly every trial, as fit chooses.
	 */
	rung_featspec_params(&fo->feat, s);
	if (rung_args_has(args, OPT_PARAMS)) {
		names = rung_args_list(args, OPT_PARAMS, &n);
		rc = rung_featspec_keep(&fo->feat, names, n, cause);
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return rc != 0 ? RUNG_EXIT_ERROR : 0;
	}
	keep = xcalloc(fo->feat.nparams + 1, sizeof *keep);
	for (i = 0, nkeep = 0; i < fo->feat.nparams; i++) {
		if (fo->feat.ptypes[i] == RUNG_PCAT && fo->feat.nlevels[i] > 10 &&
		    fo->feat.nlevels[i] * 4 > s->ntrials)
			continue;
		keep[nkeep++] = fo->feat.pnames[i];
	}
	rc = rung_featspec_keep(&fo->feat, keep, nkeep, cause);
	free(keep);
	return rc != 0 ? RUNG_EXIT_ERROR : 0;
}

static const char *
svr_name(enum rung_svr_type t)
{
	return t == RUNG_EPS_SVR ? "epsilon-SVR" : "nu-SVR";
}

/* predictions */

static void
square_ranges(struct plot *pl, double lo, double hi)
{
	double	 pad = (hi - lo) * 0.04;

	if (!(pad > 0))
		pad = fabs(hi) * 0.05 + 1e-3;
	rung_plot_cmd(pl->p, "set xrange [");
	rung_plot_num(pl->p, lo - pad);
	rung_plot_cmd(pl->p, ":");
	rung_plot_num(pl->p, hi + pad);
	rung_plot_cmd(pl->p, "]\nset yrange [");
	rung_plot_num(pl->p, lo - pad);
	rung_plot_cmd(pl->p, ":");
	rung_plot_num(pl->p, hi + pad);
	rung_plot_cmd(pl->p, "]\n");
}

static void
scatter(struct plot *pl, const char *what, uint32_t npoints)
{
	struct rung_plot *p = pl->p;
	char		*lab;

	rung_plot_cmd(p, "set size square\n");
	/* Above the diagonal, on the left: where a fair predictor has none. */
	rung_plot_cmd(p, "set key inside top left Left reverse box opaque\n");
	rung_plot_cmd(p, "plot ");
	rung_plot_ref(p, "points");
	lab = xprintf("%s (%u)", what, npoints);
	rung_plot_cmd(p, " using 1:2 with points pt 7 ps 0.6 lc rgb "
	    "'#1f77b4' title ");
	rung_plot_quote(p, lab);
	free(lab);
	rung_plot_cmd(p, ", \\\n     x with lines dt 2 lw 1.5 lc rgb "
	    "'#555555' title 'y = x'\n");
}

static int
plot_model(struct plot *pl, const struct rung_study *s, const char *name,
    char **cause)
{
	struct rung_model *m = NULL;
	struct rung_dataset ds = { 0 };
	struct rung_scores sc;
	double		*yhat = NULL, lo = INFINITY, hi = -INFINITY;
	char		*l1 = NULL, *l2 = NULL, b1[RUNG_DBL_BUFSZ];
	char		 b2[RUNG_DBL_BUFSZ];
	uint32_t	 i, n = 0;
	int		 ret = RUNG_EXIT_ERROR;

	for (i = 0; i < sizeof fit_ids / sizeof fit_ids[0]; i++) {
		if (rung_args_has(pl->args, fit_ids[i])) {
			rung_error("plot: --model predicts with a saved "
			    "model's own settings: %s does not go with it",
			    opt_name(fit_ids[i]));
			return RUNG_EXIT_USAGE;
		}
	}
	if (rung_model_load(pl->ctx->store, name, NULL, &m, cause) != 0)
		return RUNG_EXIT_ERROR;
	if (strcmp(m->metric, s->curve.name) != 0) {
		xasprintf(cause, "model '%s' predicts '%s'; study '%s' is "
		    "plotted on '%s' (--metric %s)", m->name, m->metric,
		    s->name, s->curve.name, m->metric);
		goto out;
	}
	if (rung_dataset_build(s, &m->feat, 1, &ds, cause) != 0)
		goto out;
	if (ds.n < 2) {
		xasprintf(cause, "only %u trials of '%s' have steps 1 to %d "
		    "and a value at step %d: too few to plot", ds.n, s->name,
		    m->feat.prefix, m->feat.target);
		goto out;
	}
	yhat = xreallocarray(NULL, ds.n, sizeof *yhat);
	rung_plot_data(pl->p, "points");
	for (i = 0; i < ds.n; i++) {
		yhat[i] = rung_svr_predict(m->fitted, ds.x + (size_t)i * ds.d);
		if (!isfinite(yhat[i]) || !isfinite(ds.y[i]))
			continue;
		rung_plot_row(pl->p, 2, ds.y[i], yhat[i]);
		lo = fmin(lo, fmin(ds.y[i], yhat[i]));
		hi = fmax(hi, fmax(ds.y[i], yhat[i]));
		n++;
	}
	rung_scores_compute(ds.y, yhat, ds.n, &sc);

	preamble(pl);
	l1 = xprintf("%s: %s at step %d predicted by model %s from steps "
	    "1-%d", s->name, s->curve.name, m->feat.target, m->name,
	    m->feat.prefix);
	l2 = xprintf("R² %s, Kendall τ %s on %u trials (%s trained on %s%s)",
	    score(sc.r2, b1), score(sc.kendall, b2), ds.n,
	    svr_name(m->svr.type), m->study, strcmp(m->study, s->name) == 0 ?
	    ", these trials included" : "");
	set_title(pl, "set title", l1, l2);
	free(l1);
	l1 = xprintf("actual %s at step %d", s->curve.name, m->feat.target);
	set_label(pl, "set xlabel", l1);
	free(l1);
	l1 = xprintf("predicted %s at step %d", s->curve.name, m->feat.target);
	set_label(pl, "set ylabel", l1);
	square_ranges(pl, lo, hi);
	scatter(pl, "trials", n);
	ret = 0;
out:
	free(l1);
	free(l2);
	free(yhat);
	rung_dataset_release(&ds);
	rung_model_free(m);
	return ret;
}

static int
plot_predictions(struct plot *pl, const struct rung_study *s, char **cause)
{
	struct rung_fit_opts fo;
	struct rung_fit_row row;
	const char	*model = rung_args_get(pl->args, OPT_MODEL);
	double		*pred = NULL, y, lo = INFINITY, hi = -INFINITY;
	char		*l1 = NULL, *l2 = NULL, *lab, b1[RUNG_DBL_BUFSZ];
	char		 b2[RUNG_DBL_BUFSZ], b3[RUNG_DBL_BUFSZ];
	size_t		 i, nslots;
	uint32_t	 r, t, n = 0;
	long		 k;
	int		 ret;

	if (model != NULL)
		return plot_model(pl, s, model, cause);
	memset(&fo, 0, sizeof fo);
	if ((ret = fit_options(pl, s, &fo, cause)) != 0)
		goto out;
	ret = RUNG_EXIT_USAGE;
	if (!rung_args_has(pl->args, OPT_PREFIX)) {
		rung_error("plot: predictions need --prefix K (the steps to "
		    "predict from) or --model NAME");
		goto out;
	}
	if (int_opt(pl->args, OPT_PREFIX, 1, fo.feat.target - 1, &k) != 0)
		goto out;
	ret = RUNG_EXIT_ERROR;
	nslots = (size_t)fo.repeats * s->ntrials;
	pred = xreallocarray(NULL, nslots + 1, sizeof *pred);
	for (i = 0; i < nslots; i++)
		pred[i] = NAN;
	fo.predictions = pred;
	if (rung_fit_evaluate(s, &fo, (int32_t)k, &row, cause) != 0)
		goto out;

	rung_plot_data(pl->p, "points");
	for (r = 0; r < fo.repeats; r++) {
		for (t = 0; t < s->ntrials; t++) {
			i = (size_t)r * s->ntrials + t;
			if (!isfinite(pred[i]))
				continue;
			y = value_at(s, t, fo.feat.target);
			if (!isfinite(y))
				continue;
			rung_plot_row(pl->p, 2, y, pred[i]);
			lo = fmin(lo, fmin(y, pred[i]));
			hi = fmax(hi, fmax(y, pred[i]));
			n++;
		}
	}
	if (n == 0) {
		xasprintf(cause, "no prediction to plot");
		goto out;
	}

	preamble(pl);
	l1 = xprintf("%s: %s at step %d predicted from steps 1-%ld (%s, %s "
	    "features)", s->name, s->curve.name, fo.feat.target, k,
	    svr_name(fo.svr.type), rung_features_name(fo.feat.kind));
	if (fo.repeats > 1)
		l2 = xprintf("R² %s ± %s, Kendall τ %s over %u repeats of %u "
		    "training and %u test trials", score(row.mean.r2, b1),
		    score(row.sd.r2, b2), score(row.mean.kendall, b3),
		    fo.repeats, row.n_train, row.n_test);
	else
		l2 = xprintf("R² %s, Kendall τ %s on %u test trials (%u "
		    "training trials)", score(row.mean.r2, b1),
		    score(row.mean.kendall, b3), row.n_test, row.n_train);
	set_title(pl, "set title", l1, l2);
	free(l1);
	l1 = xprintf("actual %s at step %d", s->curve.name, fo.feat.target);
	set_label(pl, "set xlabel", l1);
	free(l1);
	l1 = xprintf("predicted %s at step %d", s->curve.name, fo.feat.target);
	set_label(pl, "set ylabel", l1);
	square_ranges(pl, lo, hi);
	lab = fo.repeats > 1 ? xprintf("test trials of %u repeats",
	    fo.repeats) : xstrdup("test trials");
	scatter(pl, lab, n);
	free(lab);
	ret = 0;
out:
	free(l1);
	free(l2);
	free(pred);
	rung_featspec_release(&fo.feat);
	return ret;
}

/* sweep */

static int
plot_sweep(struct plot *pl, const struct rung_study *s, char **cause)
{
	struct rung_plot *p = pl->p;
	struct rung_fit_opts fo;
	struct rung_fit_row rows[9];
	struct rung_progress prog;
	int32_t		 ks[9], k;
	uint32_t	 nk = 0, i;
	double		 lo = INFINITY;
	char		*l1 = NULL, *l2 = NULL;
	int		 f, ret, bars;

	memset(&fo, 0, sizeof fo);
	if ((ret = fit_options(pl, s, &fo, cause)) != 0)
		goto out;
	ret = RUNG_EXIT_ERROR;
	for (f = 1; f <= 9; f++) {
		k = (int32_t)((int64_t)fo.feat.target * f / 10);
		if (k < 1 || (nk > 0 && ks[nk - 1] == k))
			continue;
		ks[nk++] = k;
	}
	rung_progress_start(&prog, "fitting", nk);
	for (i = 0; i < nk; i++) {
		rung_progress_update(&prog, i);
		if (rung_fit_evaluate(s, &fo, ks[i], &rows[i], cause) != 0)
			break;
	}
	rung_progress_end(&prog);
	if (i < nk)
		goto out;

	rung_plot_data(p, "sweep");
	for (i = 0; i < nk; i++) {
		rung_plot_row(p, 6, 100.0 * ks[i] / fo.feat.target,
		    rows[i].mean.r2, rows[i].sd.r2, rows[i].mean.kendall,
		    rows[i].sd.kendall, (double)ks[i]);
		lo = fmin(lo, fmin(rows[i].mean.r2 - rows[i].sd.r2,
		    rows[i].mean.kendall - rows[i].sd.kendall));
	}
	bars = fo.repeats > 1;

	preamble(pl);
	l1 = xprintf("%s: how early %s at step %d can be predicted", s->name,
	    s->curve.name, fo.feat.target);
	l2 = xprintf("%s on each curve's first steps, %s features, %u "
	    "training trials, %u repeat%s%s", svr_name(fo.svr.type),
	    rung_features_name(fo.feat.kind), rows[0].n_train, fo.repeats,
	    fo.repeats == 1 ? "" : "s", bars ? " (bars: sd)" : "");
	set_title(pl, "set title", l1, l2);
	set_label(pl, "set xlabel", "prefix: share of the curve the "
	    "predictor sees (%)");
	set_label(pl, "set x2label", "prefix (steps)");
	set_label(pl, "set ylabel", "score on the held-out trials");
	rung_plot_cmd(p, "set xrange [0:100]\nset link x2\nset x2tics (");
	for (i = 0; i < nk; i++) {
		rung_plot_cmd(p, "%s'%d' ", i ? ", " : "", ks[i]);
		rung_plot_num(p, 100.0 * ks[i] / fo.feat.target);
	}
	/* From a tenth below the lowest score (-1 at the lowest) to 1. */
	lo = isfinite(lo) ? floor(lo * 10 - 0.5) / 10 : 0;
	rung_plot_cmd(p, ")\nset yrange [");
	rung_plot_num(p, fmin(fmax(lo, -1), 0.9));
	rung_plot_cmd(p, ":1.0]\n");
	rung_plot_cmd(p, "set key outside below center horizontal\n");
	rung_plot_cmd(p, "plot ");
	rung_plot_ref(p, "sweep");
	rung_plot_cmd(p, " using 1:2%s with %s lw 2 pt 7 lc rgb '%s' title "
	    "'R²', \\\n     ", bars ? ":3" : "", bars ? "yerrorlines" :
	    "linespoints", colours[0]);
	rung_plot_ref(p, "sweep");
	rung_plot_cmd(p, " using 1:4%s with %s lw 2 pt 5 lc rgb '%s' title "
	    "'Kendall τ'\n", bars ? ":5" : "", bars ? "yerrorlines" :
	    "linespoints", colours[1]);
	ret = 0;
out:
	free(l1);
	free(l2);
	rung_featspec_release(&fo.feat);
	return ret;
}

/* replay */

/* The options of a new replay: plot replay passes them to rung replay. */
static const int run_ids[] = {
	OPT_ETA, OPT_MIN_R, OPT_MAX_R, OPT_WORKERS, OPT_SEEDS, OPT_SEED, 'j',
	RUNG_OPT_METRIC, RUNG_OPT_DIRECTION,
};

/* Run `rung replay` with the plot's options; its table goes nowhere. */
static int
run_replay(struct plot *pl)
{
	static const int fwd[] = { OPT_POLICY, OPT_ETA, OPT_MIN_R, OPT_MAX_R,
		OPT_WORKERS, OPT_SEEDS, OPT_SEED, 'j', RUNG_OPT_METRIC,
		RUNG_OPT_DIRECTION };
	char		*argv[2 * (sizeof fwd / sizeof fwd[0]) + 3];
	const char	*v;
	FILE		*out = pl->ctx->out, *null;
	size_t		 i;
	int		 argc = 0, ret;

	if ((null = fopen("/dev/null", "w")) == NULL) {
		rung_error("plot: cannot open '/dev/null': %s",
		    strerror(errno));
		return RUNG_EXIT_ERROR;
	}
	argv[argc++] = xstrdup("replay");
	for (i = 0; i < sizeof fwd / sizeof fwd[0]; i++) {
		if ((v = rung_args_get(pl->args, fwd[i])) == NULL)
			continue;
		argv[argc++] = xstrdup(opt_name(fwd[i]));
		argv[argc++] = xstrdup(v);
	}
	argv[argc++] = xstrdup(pl->study);
	argv[argc] = NULL;
	pl->ctx->out = null;
	ret = rung_cmd_run(pl->ctx, argc, argv);
	pl->ctx->out = out;
	fclose(null);
	while (argc > 0)
		free(argv[--argc]);
	return ret;
}

/* A kept replay, and what plot replay reads from its report. */
struct kept {
	struct rung_kept_replay *kr;
	double		 pool_best;
	int		 seconds;
	double		 eta, max_r, workers;
};

static double
jnum(json_object *o, const char *key)
{
	json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int)))
		return NAN;
	return json_object_get_double(v);
}

/* A kept replay: the newest of the study when id is 0. */
static int
kept_load(struct plot *pl, int64_t id, struct kept *k, char **cause)
{
	struct rung_store *st = pl->ctx->store;
	struct rung_kept_replay *kr;
	json_object	*rep = NULL, *par, *v;
	int		 rc;

	memset(k, 0, sizeof *k);
	if ((rc = rung_store_replay_load(st, id, pl->study, NULL,
	    RUNG_KEPT_REPORT | RUNG_KEPT_TRACES, &k->kr, cause)) < 0)
		return -1;
	if (rc == 0) {
		if (id > 0)
			xasprintf(cause, "no replay %" PRId64 " in '%s' (rung "
			    "replays lists them)", id, rung_store_path(st));
		else
			xasprintf(cause, "no replay of study '%s' is kept: "
			    "give --policy (plot replay --policy hyperband,asha "
			    "%s) or run rung replay first", pl->study,
			    pl->study);
		return -1;
	}
	kr = k->kr;
	if (kr->study == NULL || strcmp(kr->study, pl->study) != 0) {
		xasprintf(cause, "replay %" PRId64 " is of study '%s', not "
		    "'%s'", kr->id, kr->study != NULL ? kr->study : "",
		    pl->study);
		return -1;
	}
	rep = kr->report != NULL ? json_tokener_parse(kr->report) : NULL;
	k->pool_best = jnum(rep, "pool_best");
	k->seconds = rep != NULL && json_object_object_get_ex(rep,
	    "time_unit", &v) && json_object_is_type(v, json_type_string) &&
	    strcmp(json_object_get_string(v), "seconds") == 0;
	par = NULL;
	if (rep != NULL)
		json_object_object_get_ex(rep, "parameters", &par);
	k->eta = jnum(par, "eta");
	k->max_r = jnum(par, "max_r");
	k->workers = jnum(par, "workers");
	if (rep != NULL)
		json_object_put(rep);
	if (kr->npol == 0) {
		xasprintf(cause, "replay %" PRId64 " holds no policy", kr->id);
		return -1;
	}
	return 0;
}

/* Best-so-far final value of a seed's trace at simulated time x; NaN if none. */
static double
trace_at(const struct rung_kept_seed *r, double x)
{
	size_t		 i;
	double		 v = NAN;

	for (i = 0; i < r->ntrace; i++) {
		if (r->trace_time[i] > x)
			break;
		if (isnan(r->trace_final[i]))
			continue;
		v = r->trace_final[i];
	}
	return v;
}

#define TIME_POINTS	200

static int
plot_replay(struct plot *pl, char **cause)
{
	struct rung_plot *p = pl->p;
	struct rung_study_info info;
	struct kept	 k;
	const struct rung_kept_policy *kp;
	struct rung_buf	 names = { 0 };
	const char	*v;
	double		 cost, fin, cmin, cmax, fmin_, fmax_, cs, fs, tmax = 0, x, sum;
	double		 gmin = INFINITY, gmax = -INFINITY, across;
	char		*l1 = NULL, *l2 = NULL, *end, b1[RUNG_DBL_BUFSZ];
	char		 b2[RUNG_DBL_BUFSZ];
	uint32_t	 i, j, g, nf, nv;
	int64_t		 id = 0;
	long long	 ll;
	int		 rc, ret;

	memset(&k, 0, sizeof k);
	if (rung_args_has(pl->args, OPT_REPLAY) && rung_args_has(pl->args,
	    OPT_POLICY)) {
		rung_error("plot: --replay plots a kept run and --policy runs "
		    "one: give one of them");
		return RUNG_EXIT_USAGE;
	}
	if ((v = rung_args_get(pl->args, OPT_REPLAY)) != NULL) {
		errno = 0;
		ll = strtoll(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno != 0 || ll < 1) {
			rung_error("plot: --replay takes the id of a kept "
			    "replay, a whole number of at least 1 (rung "
			    "replays lists them), not '%s'", v);
			return RUNG_EXIT_USAGE;
		}
		id = ll;
	}
	if ((rc = rung_store_study(pl->ctx->store, pl->study, &info,
	    cause)) != 0) {
		if (rc == 1)
			rung_store_no_study(pl->ctx->store, pl->study, cause);
		return RUNG_EXIT_ERROR;
	}
	rung_study_info_release(&info);
	if (rung_args_has(pl->args, OPT_POLICY)) {
		if ((ret = run_replay(pl)) != 0)
			return ret;
	} else {
		for (i = 0; i < sizeof run_ids / sizeof run_ids[0]; i++) {
			if (rung_args_has(pl->args, run_ids[i])) {
				rung_error("plot: %s goes with --policy (it "
				    "sets up a new replay)",
				    opt_name(run_ids[i]));
				return RUNG_EXIT_USAGE;
			}
		}
	}
	ret = RUNG_EXIT_ERROR;
	if (kept_load(pl, id, &k, cause) != 0)
		goto out;

	/* Compute against quality: each seed, and the policy's spread. */
	for (i = 0; i < k.kr->npol; i++) {
		kp = &k.kr->pol[i];
		if (i > 0)
			rung_buf_addstr(&names, ", ");
		rung_buf_addstr(&names, kp->policy);
		cmin = fmin_ = INFINITY;
		cmax = fmax_ = -INFINITY;
		cs = fs = 0;
		nf = 0;
		rung_plot_data(p, "seeds");
		for (j = 0; j < kp->nseed; j++) {
			cost = (double)kp->seed[j].cost_steps;
			fin = kp->seed[j].returned_final;
			if (!isfinite(cost) || !isfinite(fin))
				continue;
			rung_plot_row(p, 2, cost, fin);
			cmin = fmin(cmin, cost);
			cmax = fmax(cmax, cost);
			fmin_ = fmin(fmin_, fin);
			fmax_ = fmax(fmax_, fin);
			cs += cost;
			fs += fin;
			nf++;
		}
		if (nf == 0)
			rung_plot_row(p, 2, NAN, NAN);
		else {
			gmin = fmin(gmin, cmin);
			gmax = fmax(gmax, cmax);
		}
		rung_plot_gap(p, 2);
		rung_plot_data(p, "mean");
		if (nf > 0)
			rung_plot_row(p, 6, cs / nf, fs / nf, cmin, cmax,
			    fmin_, fmax_);
		else
			rung_plot_row(p, 6, NAN, NAN, NAN, NAN, NAN, NAN);
		rung_plot_gap(p, 2);
		for (j = 0; j < kp->nseed; j++) {
			if (isfinite(kp->seed[j].end_time))
				tmax = fmax(tmax, kp->seed[j].end_time);
		}
	}
	/* Best so far against simulated time, mean over the seeds. */
	if (!(tmax > 0))
		tmax = 1;
	for (i = 0; i < k.kr->npol; i++) {
		kp = &k.kr->pol[i];
		rung_plot_data(p, "best");
		for (g = 0; g <= TIME_POINTS; g++) {
			x = tmax * g / TIME_POINTS;
			sum = 0;
			nv = 0;
			for (j = 0; j < kp->nseed; j++) {
				double	 b = trace_at(&kp->seed[j], x);

				if (isfinite(b)) {
					sum += b;
					nv++;
				}
			}
			rung_plot_row(p, 2, x, nv > 0 ? sum / nv : NAN);
		}
		rung_plot_gap(p, 2);
	}

	preamble(pl);
	/*
	 * Two lines to each title and tics spaced for half the width: the
	 * titles of the panels met in the middle, and the tic labels ran
	 * together at small sizes.
	 */
	l1 = xprintf("%s: replay %" PRId64 ", %" PRId64 " seed%s of %s",
	    pl->study, k.kr->id, k.kr->seeds, k.kr->seeds == 1 ? "" : "s",
	    rung_buf_cstr(&names));
	free(l2);
	l2 = xprintf("eta %s, max_r %s, %.0f worker%s", human(k.eta, b1),
	    human(k.max_r, b2), k.workers, k.workers == 1 ? "" : "s");
	set_title(pl, "set multiplot layout 1,2 title", l1, l2);
	rung_plot_cmd(p, "set key outside below center horizontal samplen 2\n");
	across = chars_across(pl, pl->tg.width / 2.0, 12);
	set_title(pl, "set title", "compute against the final value returned",
	    "(bars: range over seeds)");
	set_label(pl, "set xlabel", "compute per replay (steps)");
	if (gmax > gmin)
		set_xtics(pl, gmax - gmin, gmax, across, 0);
	free(l2);
	l2 = xprintf("true final %s of the trial returned", k.kr->metric);
	set_label(pl, "set ylabel", l2);
	rung_plot_cmd(p, "plot ");
	for (i = 0; i < k.kr->npol; i++) {
		rung_plot_cmd(p, "%s", i ? ", \\\n     " : "");
		rung_plot_ref(p, "seeds");
		rung_plot_cmd(p, " index %u using 1:2 with points pt 6 ps 0.7 "
		    "lc rgb '%s' notitle, \\\n     ", i, colours[i % NCOLOURS]);
		rung_plot_ref(p, "mean");
		rung_plot_cmd(p, " index %u using 1:2:3:4:5:6 with xyerrorbars "
		    "lw 2 pt 7 ps 1.2 lc rgb '%s' title ", i,
		    colours[i % NCOLOURS]);
		rung_plot_quote(p, k.kr->pol[i].policy);
	}
	if (isfinite(k.pool_best)) {
		rung_plot_cmd(p, ", \\\n     ");
		rung_plot_num(p, k.pool_best);
		rung_plot_cmd(p, " with lines dt 2 lc rgb '#555555' title "
		    "'the pool''s best'");
	}
	rung_plot_cmd(p, "\n");

	set_title(pl, "set title", "best so far against simulated time",
	    "(mean over seeds)");
	set_xtics(pl, tmax, tmax, across, !k.seconds);
	set_label(pl, "set xlabel", k.seconds ? "simulated time (seconds)" :
	    "simulated time (steps)");
	free(l2);
	l2 = xprintf("final %s of the best so far", k.kr->metric);
	set_label(pl, "set ylabel", l2);
	rung_plot_cmd(p, "set xrange [0:");
	rung_plot_num(p, tmax);
	rung_plot_cmd(p, "]\nplot ");
	for (i = 0; i < k.kr->npol; i++) {
		rung_plot_cmd(p, "%s", i ? ", \\\n     " : "");
		rung_plot_ref(p, "best");
		rung_plot_cmd(p, " index %u using 1:2 with steps lw 2 lc rgb "
		    "'%s' title ", i, colours[i % NCOLOURS]);
		rung_plot_quote(p, k.kr->pol[i].policy);
	}
	if (isfinite(k.pool_best)) {
		rung_plot_cmd(p, ", \\\n     ");
		rung_plot_num(p, k.pool_best);
		rung_plot_cmd(p, " with lines dt 2 lc rgb '#555555' title "
		    "'the pool''s best'");
	}
	rung_plot_cmd(p, "\nunset multiplot\n");
	ret = 0;
out:
	free(l1);
	free(l2);
	rung_buf_release(&names);
	rung_kept_replay_free(k.kr);
	return ret;
}

/* brackets */

/* The steps at which the policy judges trials, ascending; allocated. */
static double *
milestones(const struct rung_sched_params *sp, uint32_t *n)
{
	struct rung_hb_bracket *hb;
	double		*v = NULL, r, R;
	char		*cause = NULL;
	size_t		 cap = 0;
	uint32_t	 i, j;
	int		 nb, b, rd;

	*n = 0;
	R = rint(sp->max_r / sp->min_r);
	switch (sp->policy) {
	case RUNG_POLICY_HYPERBAND:
	case RUNG_POLICY_SWIFT:
	case RUNG_POLICY_SHA:
		if (R < 1 || R > INT32_MAX || sp->eta != rint(sp->eta) ||
		    rung_hb_brackets((int64_t)R, (int64_t)sp->eta, &hb, &nb,
		    &cause) != 0)
			break;
		for (b = 0; b < nb; b++) {
			if (sp->policy == RUNG_POLICY_SHA && b > 0)
				break;
			for (rd = 0; rd < hb[b].nrounds; rd++) {
				XGROW(v, cap, *n + 1);
				v[(*n)++] = hb[b].round[rd].r * sp->min_r;
			}
		}
		rung_hb_free(hb, nb);
		break;
	case RUNG_POLICY_ASHA:
	case RUNG_POLICY_ASHA_SVR:
		for (r = sp->min_r; r < sp->max_r && *n < 64; r *= sp->eta) {
			XGROW(v, cap, *n + 1);
			v[(*n)++] = r;
		}
		break;
	default:
		break;
	}
	free(cause);
	XGROW(v, cap, *n + 1);
	v[(*n)++] = sp->max_r;
	/* Sorted, without repeats. */
	for (i = 1; i < *n; i++) {
		r = v[i];
		for (j = i; j > 0 && v[j - 1] > r; j--)
			v[j] = v[j - 1];
		v[j] = r;
	}
	for (i = j = 0; i < *n; i++) {
		if (j == 0 || v[i] != v[j - 1])
			v[j++] = v[i];
	}
	*n = j;
	return v;
}

struct bar {
	uint32_t	 t;
	int32_t		 reached;
	double		 v;
	double		 key;		/* lower is better; NaN last */
};

static int
bar_cmp(const void *a, const void *b)
{
	const struct bar *x = a, *y = b;

	if (x->reached != y->reached)
		return x->reached > y->reached ? -1 : 1;
	if (isnan(x->key) != isnan(y->key))
		return isnan(x->key) ? 1 : -1;
	if (x->key != y->key && !isnan(x->key))
		return x->key < y->key ? -1 : 1;
	return x->t < y->t ? -1 : x->t > y->t;
}

static int
plot_brackets(struct plot *pl, const struct rung_study *s, char **cause)
{
	struct rung_plot *p = pl->p;
	struct rung_sched_params sp;
	struct rung_replay_opts ro;
	struct rung_replay_result res;
	struct rung_hb_bracket *hb;
	struct rung_sched *sc;
	struct bar	*bars = NULL;
	const char	*v;
	double		*ms = NULL, R, *mpos = NULL, *mw = NULL, across;
	char		*l1 = NULL, *l2 = NULL, *lab, b1[RUNG_DBL_BUFSZ];
	char		 b2[RUNG_DBL_BUFSZ], b3[RUNG_DBL_BUFSZ], *c2 = NULL;
	uint32_t	 nb = 0, nms = 0, i, ret_rank = 0;
	long		 n;
	int		 pol = RUNG_POLICY_HYPERBAND, nbr, ret = RUNG_EXIT_USAGE;
	int		*mrow = NULL, rows;

	memset(&res, 0, sizeof res);
	if ((v = rung_args_get(pl->args, OPT_POLICY)) != NULL &&
	    (pol = rung_policy_parse(v)) < 0) {
		rung_error("plot: --policy: brackets draw one policy, and "
		    "'%s' is not one (random, sha, hyperband, asha, "
		    "swift-hyperband, baker or asha-svr)", v);
		return RUNG_EXIT_USAGE;
	}
	rung_sched_params_init(&sp, (enum rung_policy)pol);
	sp.max_r = s->max_step;
	if (real_opt(pl->args, OPT_ETA, 1, 1, "a number above 1",
	    &sp.eta) != 0 ||
	    real_opt(pl->args, OPT_MIN_R, 0, 1, "a positive number of steps",
	    &sp.min_r) != 0 ||
	    real_opt(pl->args, OPT_MAX_R, 0, 1, "a positive number of steps",
	    &sp.max_r) != 0)
		return RUNG_EXIT_USAGE;
	if (sp.max_r < sp.min_r) {
		rung_error("plot: --max-steps (%g) must be at least --min-steps (%g)",
		    sp.max_r, sp.min_r);
		return RUNG_EXIT_USAGE;
	}
	rung_replay_opts_init(&ro);
	n = 1;
	if (int_opt(pl->args, OPT_WORKERS, 1, 1000000, &n) != 0)
		return RUNG_EXIT_USAGE;
	ro.workers = (uint32_t)n;
	n = 0;
	if (int_opt(pl->args, OPT_SEED, 0, 2147483647L, &n) != 0)
		return RUNG_EXIT_USAGE;
	/* As many configurations as Hyperband starts, as replay does. */
	if (sp.policy == RUNG_POLICY_RANDOM || sp.policy == RUNG_POLICY_ASHA ||
	    sp.policy == RUNG_POLICY_BAKER ||
	    sp.policy == RUNG_POLICY_ASHA_SVR) {
		R = rint(sp.max_r / sp.min_r);
		if (sp.eta != rint(sp.eta) || R < 1 || R > INT32_MAX ||
		    rung_hb_brackets((int64_t)R, (int64_t)sp.eta, &hb, &nbr,
		    &c2) != 0) {
			free(c2);
			rung_error("plot: %s starts as many configurations as "
			    "Hyperband: that needs an integer --eta and "
			    "--max-steps a multiple of --min-steps",
			    rung_policy_name(sp.policy));
			return RUNG_EXIT_USAGE;
		}
		sp.max_configs = (uint32_t)rung_hb_configs(hb, nbr);
		rung_hb_free(hb, nbr);
	}
	if (rung_sched_new(&sp, &sc, cause) != 0)
		return RUNG_EXIT_USAGE;
	rung_sched_free(sc);
	ret = RUNG_EXIT_ERROR;
	if (rung_replay_run(s, &sp, &ro, (uint64_t)n, &res, cause) != 0)
		goto out;

	bars = xcalloc(s->ntrials + 1, sizeof *bars);
	for (i = 0; i < s->ntrials; i++) {
		if (res.reached[i] <= 0)
			continue;
		bars[nb].t = i;
		bars[nb].reached = res.reached[i];
		bars[nb].v = value_at(s, i, res.reached[i]);
		bars[nb].key = s->direction == RUNG_MAX ? -bars[nb].v :
		    bars[nb].v;
		nb++;
	}
	if (nb == 0) {
		xasprintf(cause, "the replay ran no trial");
		goto out;
	}
	qsort(bars, nb, sizeof *bars, bar_cmp);
	ms = milestones(&sp, &nms);

	rung_plot_data(p, "bars");
	for (i = 0; i < nb; i++) {
		rung_plot_row(p, 3, (double)(i + 1), (double)bars[i].reached,
		    bars[i].v);
		if (bars[i].t == res.returned)
			ret_rank = i + 1;
	}
	if (ret_rank > 0) {
		rung_plot_data(p, "returned");
		rung_plot_row(p, 2, (double)bars[ret_rank - 1].reached,
		    (double)ret_rank);
	}

	preamble(pl);
	rung_plot_cmd(p, "set grid noytics\n");
	l1 = xprintf("%s: how far %s ran each configuration (seed %ld)",
	    s->name, rung_policy_name(sp.policy), n);
	l2 = xprintf("%u configurations, %" PRIu64 " steps (eta %s, steps "
	    "%s to %s, %u worker%s)", res.nstarted, res.cost_steps,
	    human(sp.eta, b1), human(sp.min_r, b2), human(sp.max_r, b3),
	    ro.workers, ro.workers == 1 ? "" : "s");
	set_title(pl, "set title", l1, l2);
	set_label(pl, "set xlabel", "step reached");
	set_label(pl, "set ylabel", nb <= 60 ? "trial (by step reached, "
	    "then value)" : "configurations (by step reached, then value)");
	free(l1);
	l1 = xprintf("%s at the step reached", s->curve.name);
	set_label(pl, "set cblabel", l1);
	rung_plot_cmd(p, "set xrange [0:");
	rung_plot_num(p, sp.max_r * 1.04);
	rung_plot_cmd(p, "]\nset yrange [");
	rung_plot_num(p, nb + 0.7);
	rung_plot_cmd(p, ":0.3]\n");
	if (nb <= 60) {
		rung_plot_cmd(p, "set ytics (");
		for (i = 0; i < nb; i++) {
			rung_plot_cmd(p, "%s", i ? ", " : "");
			rung_plot_quote(p, s->ids[bars[i].t]);
			rung_plot_cmd(p, " %u", i + 1);
		}
		rung_plot_cmd(p, ")\n");
		if (nb > 30)
			rung_plot_cmd(p, "set ytics font ',7'\n");
	}
	/*
	 * The milestones: dashed lines, their steps on top; where two labels
	 * would overlap (eta 3 from step 1: 1 and 3), the second goes on a
	 * row above, and a third at the same place is left out.
	 */
	mpos = xcalloc(nms, sizeof *mpos);
	mw = xcalloc(nms, sizeof *mw);
	mrow = xcalloc(nms, sizeof *mrow);
	across = chars_across(pl, pl->tg.width, pl->dumb ? 16 : 24);
	for (i = 0; i < nms; i++) {
		mpos[i] = ms[i] / (sp.max_r * 1.04) * across;
		mw[i] = (double)strlen(human(ms[i], b1));
	}
	rows = rung_plot_stagger(mpos, mw, (int)nms, mrow);
	rung_plot_cmd(p, "set link x2\nset x2tics (");
	for (i = 0; i < nms; i++) {
		rung_plot_cmd(p, "%s'%s' ", i ? ", " : "", mrow[i] == 0 ?
		    human(ms[i], b1) : "");
		rung_plot_num(p, ms[i]);
	}
	rung_plot_cmd(p, ")\n");
	for (i = 0; i < nms; i++) {
		if (mrow[i] != 1)
			continue;
		rung_plot_cmd(p, "set label '%s' at ", human(ms[i], b1));
		rung_plot_num(p, ms[i]);
		rung_plot_cmd(p, ", graph 1 center offset 0, char %s front\n",
		    pl->dumb ? "2" : "1.9");
	}
	/* A blank line under the label: room for the second row. */
	set_title(pl, "set x2label", "milestones: where the policy judges "
	    "(steps)", rows > 1 ? " " : NULL);
	for (i = 0; i < nms; i++) {
		rung_plot_cmd(p, "set arrow from ");
		rung_plot_num(p, ms[i]);
		rung_plot_cmd(p, ", graph 0 to ");
		rung_plot_num(p, ms[i]);
		rung_plot_cmd(p, ", graph 1 nohead dt 2 lc rgb '#808080' "
		    "back\n");
	}
	if (s->direction == RUNG_MAX)
		rung_plot_cmd(p, "set palette defined (0 '#d73027', 0.5 "
		    "'#fee08b', 1 '#1a9850')\n");
	else
		rung_plot_cmd(p, "set palette defined (0 '#1a9850', 0.5 "
		    "'#fee08b', 1 '#d73027')\n");
	rung_plot_cmd(p, "set key outside below center horizontal\n");
	rung_plot_cmd(p, "plot ");
	rung_plot_ref(p, "bars");
	rung_plot_cmd(p, " using ($2/2.0):1:($2/2.0):(0.36):3 with boxxyerror "
	    "fs solid 0.9 noborder lc palette notitle");
	if (ret_rank > 0) {
		rung_plot_cmd(p, ", \\\n     ");
		rung_plot_ref(p, "returned");
		lab = xprintf("returned: trial %s, final %s", s->ids[res.returned],
		    human(res.returned_final, b1));
		rung_plot_cmd(p, " using 1:2 with points pt 3 ps 2.5 lw 2 lc rgb "
		    "'#000000' title ");
		rung_plot_quote(p, lab);
		free(lab);
	}
	rung_plot_cmd(p, "\n");
	ret = 0;
out:
	free(l1);
	free(l2);
	free(ms);
	free(mpos);
	free(mw);
	free(mrow);
	free(bars);
	rung_replay_result_release(&res);
	return ret;
}

/* The command. */

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
	for (i = 0; i < NKINDS; i++) {
		if (strcmp(plot_kinds[i].name, pl.kname) == 0)
			pl.kind = plot_kinds[i].kind;
	}
	if (pl.kind == 0) {
		rung_error("plot: what to plot must be curves, predictions, "
		    "sweep, replay or brackets, not '%s'", pl.kname);
		rung_cmd_usage(stderr, &rung_cmd_plot_entry);
		return RUNG_EXIT_USAGE;
	}
	for (i = 0; i < NAPPLIES; i++) {
		if (!(plot_applies[i].kinds & pl.kind) &&
		    rung_args_has(args, plot_applies[i].id)) {
			rung_error("plot: %s does not go with plot %s",
			    plot_applies[i].name, pl.kname);
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
	if (pl.kind != K_REPLAY && load_study(&pl, &s, &cause) != 0)
		goto out;
	switch (pl.kind) {
	case K_CURVES:
		ret = plot_curves(&pl, s, &cause);
		break;
	case K_PRED:
		ret = plot_predictions(&pl, s, &cause);
		break;
	case K_SWEEP:
		ret = plot_sweep(&pl, s, &cause);
		break;
	case K_REPLAY:
		ret = plot_replay(&pl, &cause);
		break;
	case K_BRACKETS:
		ret = plot_brackets(&pl, s, &cause);
		break;
	}
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
	    "[--prefix steps] [--model name] [--target step] "
	    "[--features raw|baker] [--params list] [--svr nu-svr|eps-svr] "
	    "[--C c] [--nu nu] [--epsilon epsilon] [--gamma gamma] "
	    "[--search none|grid|random:n] [--folds n] [--train n] "
	    "[--repeats n] [--replay id] [--policy name] [--eta n] "
	    "[--min-steps steps] [--max-steps steps] [--workers n] [--seeds n] "
	    "[--seed n] [-j jobs] curves|predictions|sweep|replay|brackets "
	    "study",
	.summary = "draw curves, predictions, sweeps, replays or brackets "
	    "with gnuplot: an image, a text plot or a window",
	.shortopts = "j:",
	.longopts = plot_longopts,
	.minargs = 2,
	.maxargs = 2,
	.flags = RUNG_CMD_STORE_RO | RUNG_CMD_METRIC | RUNG_CMD_OUTPUT,
	.exec = cmd_plot_exec,
};
