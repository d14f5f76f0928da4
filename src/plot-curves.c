/*
 * plot curves: the learning curves of a study, all of them with the best
 * picked out, or the trials chosen (--trials, --top), against steps or
 * recorded seconds, with where stopped trials stopped.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/xmalloc.h"

#include "plot-int.h"

/* Series given a legend entry at most; the rest are drawn untitled. */
#define LEGEND_MAX	12

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
		if (plot_int_opt(pl->args, OPT_TOP, 1, 100000, &k) != 0)
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

	plot_preamble(pl);
	l1 = xprintf("%s: %s by %s", s->name, s->curve.name, secs ?
	    "seconds" : "step");
	if (best != UINT32_MAX)
		l2 = xprintf("%u trial%s%s; the best, trial %s, reaches %s",
		    nshown, nshown == 1 ? "" : "s", all ? "" :
		    rung_args_has(pl->args, OPT_TOP) ? " (the top by best "
		    "value)" : " (chosen)", s->ids[best],
		    plot_human(s->curve.best[best], b1));
	else
		l2 = xprintf("%u trials", nshown);
	plot_title(pl, "set title", l1, l2);
	plot_label(pl, "set xlabel", secs ? "seconds since the trial started"
	    " (recorded)" : "step");
	plot_label(pl, "set ylabel", s->curve.name);
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
			plot_series(p, "all", "using 1:2 with lines lw 1 lc "
			    "rgb '#c4c4c4'", "%u other trials", nall);
			first = 0;
		}
		rung_plot_cmd(p, "%s", first ? "" : ", \\\n     ");
		plot_series(p, "best", "using 1:2 with lines lw 2.5 lc rgb "
		    "'#d62728'", "the best: trial %s", s->ids[best]);
		first = 0;
	} else {
		for (i = 0; i < nsel; i++) {
			t = sel[i];
			rung_plot_cmd(p, "%s", first ? "" : ", \\\n     ");
			first = 0;
			rung_plot_ref(p, "sel");
			rung_plot_cmd(p, " index %u using 1:2 with lines lw %s "
			    "lc rgb '%s' ", i, t == best ? "2.5" : "1.2",
			    plot_colours[i % NCOLOURS]);
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
		plot_series(p, "stopped", "using 1:2 with points pt 2 ps 0.8 "
		    "lc rgb '#000000'", "stopped (%u), where they stopped",
		    nstopped);
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

static const int curves_opts[] = { OPT_TRIALS, OPT_TOP, OPT_X, OPT_LOGY, 0 };

const struct plot_kind plot_curves_kind = {
	.name = "curves",
	.opts = curves_opts,
	.loads_study = 1,
	.run = plot_curves,
};
