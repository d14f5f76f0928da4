/*
 * plot contour: the value over two parameters, interpolated between the
 * trials (rung_pview_contour: inverse-distance weighting on a 60 x 60
 * grid, the explorer's surface) and drawn as a heat map with contour
 * lines, the trials on it and the best starred. The two are --params's,
 * or the two most important by PED-ANOVA.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/importance.h"
#include "rung/pview.h"
#include "rung/xmalloc.h"

#include "plot-int.h"

#define GRID	60

/* The two parameters of the most importance that trials vary. */
static int
most_important(const struct rung_study *s, const double *y, int pick[2],
    char **cause)
{
	struct rung_importance	 im;
	struct rung_pview_axis	 ax;
	char			*why = NULL;
	uint32_t		 k;
	int			 n = 0, i;

	memset(&im, 0, sizeof im);
	if (rung_ped_anova(s, y, s->direction, RUNG_PED_QUANTILE, NULL, &im,
	    &why) != 0) {
		xasprintf(cause, "choosing the two most important parameters: "
		    "%s; name two with --params", why);
		free(why);
		return -1;
	}
	pick[0] = pick[1] = -1;
	for (k = 0; k < s->nparams; k++) {
		if (isnan(im.share[k]) || rung_pview_axis(s, (int)k, &ax) != 0)
			continue;
		for (i = 0; i < 2; i++) {
			if (pick[i] < 0 || im.share[k] > im.share[pick[i]]) {
				if (i == 0)
					pick[1] = pick[0];
				pick[i] = (int)k;
				break;
			}
		}
	}
	rung_importance_release(&im);
	for (i = 0; i < 2; i++)
		n += pick[i] >= 0;
	if (n < 2) {
		xasprintf(cause, "study '%s' has %s parameter that trials set "
		    "to different values: a contour needs two", s->name,
		    n == 0 ? "no" : "one");
		return -1;
	}
	rung_info("%s: the two most important parameters by PED-ANOVA: %s and "
	    "%s (--params chooses)", s->name, s->params[pick[0]].name,
	    s->params[pick[1]].name);
	return 0;
}

/* The grid's i-th of n coordinates, as the axis is drawn. */
static double
grid_at(const struct rung_pview_axis *ax, int i, int n)
{
	double	 pos = (double)i / (n - 1);

	return rung_pview_value(ax, pos);
}

/* A trial's coordinate as drawn: real values, a level's index jittered. */
static double
drawn_at(const struct rung_study *s, const struct rung_pview_axis *ax,
    uint32_t t)
{
	double	 c = rung_pview_coord(s, ax, t, ax->cat);

	return ax->log && !isnan(c) ? pow(10, c) : c;
}

/* A numeric axis spans the grid: the trials' values, no more. */
static void
grid_range(struct plot *pl, const char *axis, const struct rung_pview_axis *a)
{
	if (a->cat)
		return;
	rung_plot_cmd(pl->p, "set %srange [", axis);
	rung_plot_num(pl->p, grid_at(a, 0, GRID));
	rung_plot_cmd(pl->p, ":");
	rung_plot_num(pl->p, grid_at(a, GRID - 1, GRID));
	rung_plot_cmd(pl->p, "]\n");
}

/* --params: the two parameters, x then y; an exit status. */
static int
named_pair(struct plot *pl, const struct rung_study *s, int pick[2])
{
	char	**names;
	int	 *order;
	size_t	 nn = 0, k, no;
	int	 ret;

	names = rung_args_list(pl->args, RUNG_OPT_PARAMS, &nn);
	for (k = 0; k < nn; k++)
		free(names[k]);
	free(names);
	if (nn != 2) {
		rung_error("plot contour: --params names the two parameters of "
		    "the axes, not %zu", nn);
		return RUNG_EXIT_USAGE;
	}
	if ((ret = rung_args_params(pl->args, "plot", s, &order, &no)) != 0)
		return ret;
	if (no != 2) {
		rung_error("plot contour: --params names one parameter twice: "
		    "give two");
		free(order);
		return RUNG_EXIT_USAGE;
	}
	pick[0] = order[0];
	pick[1] = order[1];
	free(order);
	return 0;
}

static int
plot_contour(struct plot *pl, const struct rung_study *s, char **cause)
{
	struct rung_plot *p = pl->p;
	struct rung_pview_axis ax, ay;
	char		*what = NULL, *l1 = NULL, *l2 = NULL;
	char		 b[RUNG_DBL_BUFSZ];
	double		*y = NULL, *z = NULL, x1, y1, zmin = INFINITY;
	double		 zmax = -INFINITY;
	uint32_t	 t, m = 0, best = UINT32_MAX;
	int		 ret, pick[2], i, j, named;

	if ((ret = plot_pv_values(pl, s, &y, &what)) != 0)
		return ret;
	if (rung_args_has(pl->args, RUNG_OPT_PARAMS)) {
		if ((ret = named_pair(pl, s, pick)) != 0)
			goto out;
	} else if (most_important(s, y, pick, cause) != 0) {
		ret = RUNG_EXIT_ERROR;
		goto out;
	}
	ret = RUNG_EXIT_ERROR;
	for (i = 0; i < 2; i++) {
		if (rung_pview_axis(s, pick[i], i == 0 ? &ax : &ay) != 0) {
			xasprintf(cause, "no trial of '%s' sets '%s'%s",
			    s->name, s->params[pick[i]].name,
			    s->params[pick[i]].log ? " to a positive value (it "
			    "is log-scaled)" : "");
			goto out;
		}
	}
	z = xcalloc((size_t)GRID * GRID, sizeof *z);
	if (rung_pview_contour(s, y, &ax, &ay, GRID, GRID, z, cause) != 0)
		goto out;

	/* The surface, a block of GRID points per x, as splot reads it. */
	rung_plot_data(p, "surface");
	for (i = 0; i < GRID; i++) {
		for (j = 0; j < GRID; j++) {
			rung_plot_row(p, 3, grid_at(&ax, i, GRID),
			    grid_at(&ay, j, GRID), z[j * GRID + i]);
			if (z[j * GRID + i] < zmin)
				zmin = z[j * GRID + i];
			if (z[j * GRID + i] > zmax)
				zmax = z[j * GRID + i];
		}
		rung_plot_gap(p, 1);
	}
	rung_plot_data(p, "trials");
	for (t = 0; t < s->ntrials; t++) {
		x1 = drawn_at(s, &ax, t);
		y1 = drawn_at(s, &ay, t);
		if (isnan(x1) || isnan(y1) || !isfinite(y[t]))
			continue;
		rung_plot_row(p, 3, x1, y1, y[t]);
		m++;
		if (best == UINT32_MAX || rung_better(s->direction, y[t],
		    y[best]))
			best = t;
	}
	rung_plot_data(p, "best");
	rung_plot_row(p, 3, drawn_at(s, &ax, best), drawn_at(s, &ay, best),
	    y[best]);

	plot_preamble(pl);
	l1 = xprintf("%s: %s over %s and %s", s->name, what,
	    s->params[ax.param].name, s->params[ay.param].name);
	l2 = xprintf("interpolated between %u trials (%s); the best, trial "
	    "%s (%s): %s", m, pl->dumb ? "o" : "dots", s->ids[best], pl->dumb ?
	    "#" : "star", plot_human(y[best], b));
	if (pl->dumb)
		plot_title(pl, "set title", l1, l2);
	else {
		/*
		 * A map's title goes where its 3-d frame would have it, on
		 * the border at some sizes: two labels, placed.
		 */
		rung_plot_cmd(p, "set label 1 ");
		rung_plot_quote(p, l1);
		rung_plot_cmd(p, " at screen 0.5, screen 0.96 center\n");
		rung_plot_cmd(p, "set label 2 ");
		rung_plot_quote(p, l2);
		rung_plot_cmd(p, " at screen 0.5, screen 0.92 center\n");
	}
	named = plot_pv_tics(pl, "x", s, &ax, plot_chars_across(pl,
	    pl->tg.width, 24));
	plot_pv_label(pl, "set xlabel", s, &ax, named);
	/*
	 * A line of text a tic on y: as many levels fit as lines, whatever
	 * their width (21: the widest a name is cut to, and its gap).
	 */
	named = plot_pv_tics(pl, "y", s, &ay, 21.0 * (pl->dumb ?
	    pl->tg.height - 8 : (pl->tg.height - 120) / 16.0));
	plot_pv_label(pl, "set ylabel", s, &ay, named);
	grid_range(pl, "x", &ax);
	grid_range(pl, "y", &ay);
	/*
	 * A map's title sits low: its second line ran into the border
	 * (onto it in text) without the room made here.
	 */
	if (pl->dumb)
		rung_plot_cmd(p, "set tmargin 4\nset title offset 0,1\n");
	else
		/* A map keeps its 3-d frame's margins, too wide: set here. */
		rung_plot_cmd(p, "set lmargin at screen %g\nset rmargin at "
		    "screen 0.82\nset tmargin at screen 0.88\nset bmargin at "
		    "screen 0.13\n", ay.cat ? 0.2 : 0.1);
	rung_plot_cmd(p, "set view map\nset contour base\n"
	    "set cntrparam levels auto 8\nunset clabel\n");
	if (pl->dumb) {
		/* Text has no colours: the contour lines alone. */
		rung_plot_cmd(p, "unset key\nsplot ");
		rung_plot_ref(p, "surface");
		rung_plot_cmd(p, " using 1:2:3 with lines nosurface notitle, "
		    "\\\n     ");
		rung_plot_ref(p, "trials");
		rung_plot_cmd(p, " using 1:2:3 with points pt 'o' nocontour "
		    "notitle, \\\n     ");
		rung_plot_ref(p, "best");
		rung_plot_cmd(p, " using 1:2:3 with points pt '#' nocontour "
		    "notitle\n");
		ret = 0;
		goto out;
	}
	rung_plot_cmd(p, "set pm3d map interpolate 0,0\n");
	rung_plot_cmd(p, "set palette defined (0 '#440154', 0.25 '#3b528b', "
	    "0.5 '#21918c', 0.75 '#5ec962', 1 '#fde725')\n");
	rung_plot_cmd(p, "set cbrange [");
	rung_plot_num(p, zmin);
	rung_plot_cmd(p, ":");
	rung_plot_num(p, zmax > zmin ? zmax : zmin + 1);
	rung_plot_cmd(p, "]\n");
	plot_label(pl, "set cblabel", what);
	rung_plot_cmd(p, "unset key\n");
	rung_plot_cmd(p, "splot ");
	rung_plot_ref(p, "surface");
	rung_plot_cmd(p, " using 1:2:3 with pm3d nocontour notitle, \\\n     ");
	rung_plot_ref(p, "surface");
	rung_plot_cmd(p, " using 1:2:3 with lines nosurface lw 0.8 lc rgb "
	    "'#ffffff' notitle, \\\n     ");
	rung_plot_ref(p, "trials");
	rung_plot_cmd(p, " using 1:2:3 with points pt 7 ps 0.5 lc rgb "
	    "'#000000' nocontour notitle, \\\n     ");
	rung_plot_ref(p, "best");
	rung_plot_cmd(p, " using 1:2:3 with points pt 3 ps 2.5 lw 2 lc rgb "
	    "'#d62728' nocontour notitle\n");
	ret = 0;
out:
	free(y);
	free(z);
	free(what);
	free(l1);
	free(l2);
	return ret;
}

static const int contour_opts[] = { OPT_PREFIX, RUNG_OPT_PARAMS, 0 };

const struct plot_kind plot_contour_kind = {
	.name = "contour",
	.opts = contour_opts,
	.loads_study = PLOT_LOADS_VALUES,
	.run = plot_contour,
};
