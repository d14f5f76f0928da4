/*
 * plot parallel: parallel coordinates, one line per trial across an axis
 * per parameter (its place on each from rung_pview_pos, the explorer's) and
 * a last axis for the value, coloured by the value, the best trial drawn
 * over the others in black. Each axis is labelled with the real values at
 * its ends, and a categorical one with its levels where they fit.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/pview.h"
#include "rung/xmalloc.h"

#include "plot-int.h"

/* Levels named on a categorical axis at most; past it, its ends only. */
#define LEVELS_NAMED	12

static const double *sort_y;
static enum rung_direction sort_dir;

/* The worst first: the best are drawn last, over the others. */
static int
cmp_worst(const void *va, const void *vb)
{
	uint32_t	 a = *(const uint32_t *)va, b = *(const uint32_t *)vb;

	if (rung_better(sort_dir, sort_y[a], sort_y[b]))
		return 1;
	if (rung_better(sort_dir, sort_y[b], sort_y[a]))
		return -1;
	return (a > b) - (a < b);
}

/* A label at (x, y) of the graph's coordinates, small, in front. */
static void
axis_label(struct plot *pl, const char *text, double x, double y,
    const char *align, double dx, double dy)
{
	rung_plot_cmd(pl->p, "set label ");
	rung_plot_quote(pl->p, text);
	rung_plot_cmd(pl->p, " at ");
	rung_plot_num(pl->p, x);
	rung_plot_cmd(pl->p, ", ");
	rung_plot_num(pl->p, y);
	rung_plot_cmd(pl->p, " %s offset %g,%g front%s\n", align, dx, dy,
	    pl->dumb ? "" : " font ',8' textcolor rgb '#303030'");
}

static void
axis_ends(struct plot *pl, const struct rung_study *s,
    const struct rung_pview_axis *ax, double x)
{
	const struct rung_param	*p = &s->params[ax->param];
	char			 b[RUNG_DBL_BUFSZ], *lab;
	uint32_t		 l;
	double			 pos;

	if (ax->cat) {
		for (l = 0; l < p->nlevels; l++) {
			if (p->nlevels > LEVELS_NAMED && l != 0 &&
			    l + 1 != p->nlevels)
				continue;
			pos = (l - ax->lo) / (ax->hi - ax->lo);
			lab = plot_pv_short(p->levels[l], 12);
			axis_label(pl, lab, x, pos, "left", 0.6, 0);
			free(lab);
		}
		return;
	}
	axis_label(pl, plot_human(rung_pview_value(ax, 0), b), x, 0, "center",
	    0, -1);
	axis_label(pl, plot_human(rung_pview_value(ax, 1), b), x, 1, "center",
	    0, 1);
}

static int
plot_parallel(struct plot *pl, const struct rung_study *s, char **cause)
{
	struct rung_plot *p = pl->p;
	struct rung_pview_axis *axes = NULL;
	char		*what = NULL, *l1 = NULL, *l2 = NULL, *lab, b[RUNG_DBL_BUFSZ];
	double		*y = NULL, ymin = INFINITY, ymax = -INFINITY, pos, yp;
	double		 across;
	size_t		 n = 0, k, width = 0;
	uint32_t	 t, i, m = 0, *order = NULL, best = UINT32_MAX;
	int		 ret;

	if ((ret = plot_pv_values(pl, s, &y, &what)) != 0)
		return ret;
	if ((ret = plot_pv_axes(pl, s, &axes, &n, cause)) != 0)
		goto out;
	ret = RUNG_EXIT_ERROR;
	order = xcalloc(s->ntrials + 1, sizeof *order);
	for (t = 0; t < s->ntrials; t++) {
		if (!isfinite(y[t]))
			continue;
		order[m++] = t;
		if (y[t] < ymin)
			ymin = y[t];
		if (y[t] > ymax)
			ymax = y[t];
		if (best == UINT32_MAX || rung_better(s->direction, y[t],
		    y[best]))
			best = t;
	}
	if (m == 0) {
		xasprintf(cause, "study '%s' has no trial with a %s", s->name,
		    what);
		goto out;
	}
	sort_y = y;
	sort_dir = s->direction;
	qsort(order, m, sizeof *order, cmp_worst);

	/* A line per trial: (axis, place on it, value), a break between. */
	rung_plot_data(p, "lines");
	for (i = 0; i < m; i++) {
		t = order[i];
		yp = ymax > ymin ? (y[t] - ymin) / (ymax - ymin) : 0.5;
		for (k = 0; k < n; k++) {
			pos = rung_pview_pos(s, &axes[k], t);
			rung_plot_row(p, 3, (double)k, pos, y[t]);
		}
		rung_plot_row(p, 3, (double)n, yp, y[t]);
		rung_plot_gap(p, 1);
	}
	rung_plot_data(p, "best");
	for (k = 0; k < n; k++)
		rung_plot_row(p, 3, (double)k, rung_pview_pos(s, &axes[k],
		    best), y[best]);
	rung_plot_row(p, 3, (double)n, ymax > ymin ? (y[best] - ymin) /
	    (ymax - ymin) : 0.5, y[best]);

	plot_preamble(pl);
	rung_plot_cmd(p, "unset grid\n");
	l1 = xprintf("%s: parallel coordinates of %u trials", s->name, m);
	l2 = xprintf("colour: %s; black: the best, trial %s (%s)", what,
	    s->ids[best], plot_human(y[best], b));
	plot_title(pl, "set title", l1, l2);
	rung_plot_cmd(p, "unset ytics\nunset ylabel\nunset border\n");
	rung_plot_cmd(p, "set yrange [-0.08:1.08]\n");
	rung_plot_cmd(p, "set xrange [-0.3:%g]\n", (double)n + 0.7);
	/* The names under their axes, slanted when they would run together. */
	for (k = 0; k < n; k++) {
		lab = plot_pv_short(s->params[axes[k].param].name, 20);
		if (strlen(lab) > width)
			width = strlen(lab);
		free(lab);
	}
	if (strlen(s->curve.name) > width)
		width = strlen(s->curve.name);
	across = plot_chars_across(pl, pl->tg.width, 6);
	rung_plot_cmd(p, "set xtics scale 0 nomirror%s (",
	    (double)(width + 2) * (double)(n + 1) > across && !pl->dumb ?
	    " rotate by -20 left" : "");
	for (k = 0; k <= n; k++) {
		lab = plot_pv_short(k < n ? s->params[axes[k].param].name :
		    s->curve.name, 20);
		rung_plot_cmd(p, "%s", k > 0 ? ", " : "");
		rung_plot_quote(p, lab);
		rung_plot_cmd(p, " %zu", k);
		free(lab);
	}
	rung_plot_cmd(p, ")\n");
	for (k = 0; k <= n; k++) {
		rung_plot_cmd(p, "set arrow from %zu, 0 to %zu, 1 nohead front "
		    "lw 1.5 lc rgb '#404040'\n", k, k);
		if (k < n)
			axis_ends(pl, s, &axes[k], (double)k);
	}
	axis_label(pl, plot_human(ymin, b), (double)n, 0, "center", 0, -1);
	axis_label(pl, plot_human(ymax, b), (double)n, 1, "center", 0, 1);
	if (!pl->dumb) {
		rung_plot_cmd(p, "set palette defined (0 '#440154', 0.25 "
		    "'#3b528b', 0.5 '#21918c', 0.75 '#5ec962', 1 "
		    "'#fde725')\n");
		rung_plot_cmd(p, "set cbrange [");
		rung_plot_num(p, ymin);
		rung_plot_cmd(p, ":");
		rung_plot_num(p, ymax > ymin ? ymax : ymin + 1);
		rung_plot_cmd(p, "]\n");
		plot_label(pl, "set cblabel", what);
	}
	rung_plot_cmd(p, "unset key\nplot ");
	rung_plot_ref(p, "lines");
	if (pl->dumb)
		rung_plot_cmd(p, " using 1:2 with lines notitle");
	else
		rung_plot_cmd(p, " using 1:2:3 with lines lw 0.8 lc palette "
		    "notitle");
	rung_plot_cmd(p, ", \\\n     ");
	rung_plot_ref(p, "best");
	rung_plot_cmd(p, " using 1:2 with linespoints lw 3 pt 7 ps 0.9 lc rgb "
	    "'#000000' notitle\n");
	ret = 0;
out:
	free(y);
	free(what);
	free(axes);
	free(order);
	free(l1);
	free(l2);
	return ret;
}

static const int parallel_opts[] = { OPT_PREFIX, RUNG_OPT_PARAMS, 0 };

const struct plot_kind plot_parallel_kind = {
	.name = "parallel",
	.opts = parallel_opts,
	.loads_study = PLOT_LOADS_VALUES,
	.run = plot_parallel,
};
