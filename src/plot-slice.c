/*
 * plot slice: the value of each trial against each parameter, a panel per
 * parameter on a grid sized to their count, as optuna-dashboard's slice
 * plot: a log axis where the parameter is log-scaled, a categorical one's
 * levels jittered (the same jitter as the explorer's, rung_pview_coord)
 * under their names, the points coloured by trial number so that where
 * the search went late shows.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/pview.h"
#include "rung/xmalloc.h"

#include "plot-int.h"

/* Tics of a numeric axis across a panel: as many as their labels fit. */
static void
numeric_tics(struct plot *pl, const struct rung_study *s,
    const struct rung_pview_axis *ax, double across)
{
	const struct rung_param	*p = &s->params[ax->param];
	double			 step, v, w;
	char			 b[64];
	int			 mt;

	if (ax->cat)
		return;
	if (ax->log) {
		/* A tic every k decades, k as the labels (1e-05) need. */
		mt = (int)ceil((floor(ax->hi) - ceil(ax->lo) + 1) * 8 / across);
		if (mt > 1)
			rung_plot_cmd(pl->p, "set xtics 1e%d\n", mt);
		return;
	}
	/*
	 * The most tics whose labels, as gnuplot writes them (%g), fit
	 * across the panel with a gap of two between them.
	 */
	for (mt = 12; mt > 2; mt--) {
		step = rung_plot_tic_step(ax->hi - ax->lo, mt,
		    p->type == RUNG_PINT);
		w = 0;
		for (v = ceil(ax->lo / step) * step; v <= ax->hi + step * 1e-9;
		    v += step)
			w += snprintf(b, sizeof b, "%g", fabs(v) < step * 1e-9 ?
			    0 : v) + 2;
		if (w <= across)
			break;
	}
	rung_plot_cmd(pl->p, "set xtics ");
	rung_plot_num(pl->p, rung_plot_tic_step(ax->hi - ax->lo, mt,
	    p->type == RUNG_PINT));
	rung_plot_cmd(pl->p, "\n");
}

static int
plot_slice(struct plot *pl, const struct rung_study *s, char **cause)
{
	struct rung_plot *p = pl->p;
	struct rung_pview_axis *axes = NULL, *ax;
	char		*what = NULL, *l1 = NULL, *l2 = NULL, name[32];
	double		*y = NULL, x, across;
	size_t		 n = 0, k;
	uint32_t	 t, npts, ntot = 0;
	int		 ret, cols, rows, named;

	if ((ret = plot_pv_values(pl, s, &y, &what)) != 0)
		return ret;
	if ((ret = plot_pv_axes(pl, s, &axes, &n, cause)) != 0)
		goto out;
	ret = RUNG_EXIT_ERROR;
	for (k = 0; k < n; k++) {
		ax = &axes[k];
		snprintf(name, sizeof name, "p%zu", k);
		rung_plot_data(p, name);
		npts = 0;
		for (t = 0; t < s->ntrials; t++) {
			x = ax->cat ? rung_pview_coord(s, ax, t, 1) :
			    rung_pview_coord(s, ax, t, 0);
			if (isnan(x) || !isfinite(y[t]))
				continue;
			if (ax->log)
				x = pow(10, x);
			/* x, value, trial number */
			rung_plot_row(p, 3, x, y[t], (double)t);
			npts++;
		}
		if (npts == 0)
			/* An empty panel still draws: a row gnuplot skips. */
			rung_plot_row(p, 3, NAN, NAN, NAN);
		ntot += npts;
	}
	if (ntot == 0) {
		xasprintf(cause, "study '%s' has no trial with a %s and a "
		    "parameter set", s->name, what);
		goto out;
	}

	/* A grid as square as the count allows, wider than tall. */
	for (cols = 1; (size_t)cols * (size_t)cols < n; cols++)
		;
	rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
	across = plot_chars_across(pl, pl->tg.width / (double)cols, 10);

	plot_preamble(pl);
	l1 = xprintf("%s: %s against each parameter", s->name, what);
	l2 = xprintf("%u points in %zu panels%s", ntot, n, pl->dumb ? "" : "; colour: the trial's number, dark early, "
	    "yellow late");
	free(what);
	what = xprintf("set multiplot layout %d,%d title", rows, cols);
	plot_title(pl, what, l1, l2);
	rung_plot_cmd(p, "unset key\n");
	if (!pl->dumb) {
		rung_plot_cmd(p, "set palette defined (0 '#440154', 0.25 "
		    "'#3b528b', 0.5 '#21918c', 0.75 '#5ec962', 1 '#fde725')\n");
		rung_plot_cmd(p, "unset colorbox\n");
		rung_plot_cmd(p, "set cbrange [0:%u]\n", s->ntrials > 1 ?
		    s->ntrials - 1 : 1);
	}
	for (k = 0; k < n; k++) {
		ax = &axes[k];
		snprintf(name, sizeof name, "p%zu", k);
		/* Each panel its own axis; a margin keeps points off it. */
		rung_plot_cmd(p, "unset logscale x\nset xtics autofreq\n"
		    "set format x '%%g'\nset autoscale x\n");
		rung_plot_cmd(p, "set autoscale xfix\nset offsets %s, 0, "
		    "0\n", ax->cat ? "0, 0" : "graph 0.04, graph 0.04");
		named = plot_pv_tics(pl, "x", s, ax, across);
		numeric_tics(pl, s, ax, across);
		plot_pv_label(pl, "set xlabel", s, ax, named);
		if (k % (size_t)cols == 0)
			plot_label(pl, "set ylabel", s->curve.name);
		else
			rung_plot_cmd(p, "unset ylabel\n");
		rung_plot_cmd(p, "plot ");
		rung_plot_ref(p, name);
		if (pl->dumb)
			rung_plot_cmd(p, " using 1:2 with points pt '+' "
			    "notitle\n");
		else
			rung_plot_cmd(p, " using 1:2:3 with points pt 7 ps 0.5 "
			    "lc palette notitle\n");
	}
	rung_plot_cmd(p, "unset multiplot\n");
	ret = 0;
out:
	free(y);
	free(what);
	free(axes);
	free(l1);
	free(l2);
	return ret;
}

static const int slice_opts[] = { OPT_PREFIX, RUNG_OPT_PARAMS, 0 };

const struct plot_kind plot_slice_kind = {
	.name = "slice",
	.opts = slice_opts,
	.loads_study = PLOT_LOADS_VALUES,
	.run = plot_slice,
};
