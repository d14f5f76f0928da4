/*
 * plot importance: each parameter's share of importance as a horizontal
 * bar, the most important on top, as rung importance computes it (the same
 * options, read by importance-args.c); with --prefix, a bar for each
 * column side by side in the parameter's row, so that how importance
 * moves on the way to the end shows.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/importance.h"
#include "rung/xmalloc.h"

#include "plot-int.h"

static int
plot_importance(struct plot *pl, const struct rung_study *s, char **cause)
{
	struct rung_plot *p = pl->p;
	struct rung_imp_opts io;
	struct rung_imp_col *c;
	char		*l1 = NULL, *l2 = NULL, *lab, name[32];
	double		 h, y, v, xmax = 0;
	int		*rows = NULL, any;
	size_t		 nrows = 0, i, k, nleft = 0;
	int		 ret;

	if ((ret = rung_imp_args(pl->args, "plot", &io)) != 0)
		return ret;
	if ((ret = rung_imp_setup(pl->args, "plot", OPT_PREFIX, s, &io)) != 0 ||
	    (ret = rung_imp_compute("plot", s, &io)) != 0)
		goto out;

	/* The parameters with a share somewhere, by the last column's. */
	rows = xcalloc(io.norder + 1, sizeof *rows);
	for (i = 0; i < io.norder; i++) {
		for (k = any = 0; k < io.ncols; k++)
			any |= !isnan(io.cols[k].im.share[io.order[i]]);
		if (any)
			rows[nrows++] = io.order[i];
		else
			nleft++;
	}
	if (nrows == 0) {
		xasprintf(cause, "no parameter of '%s' has an importance: each "
		    "takes one value, or none", s->name);
		ret = RUNG_EXIT_ERROR;
		goto out;
	}
	if (nleft > 0)
		rung_info("%s: %zu parameter%s without an importance (one value "
		    "or none) left out", s->name, nleft, nleft == 1 ? "" : "s");
	rung_imp_sort(io.cols[io.ncols - 1].im.share, rows, nrows);

	/*
	 * Row i (the most important first) at y = nrows - 1 - i; a column's
	 * bar takes its slice of 0.8 of the row's height.
	 */
	h = 0.8 / (double)io.ncols;
	for (k = 0; k < io.ncols; k++) {
		c = &io.cols[k];
		snprintf(name, sizeof name, "col%zu", k);
		rung_plot_data(p, name);
		for (i = 0; i < nrows; i++) {
			v = c->im.share[rows[i]];
			y = (double)(nrows - 1 - i) + 0.4 - h * ((double)k +
			    0.5);
			/* share, y, its bar's bottom and top */
			rung_plot_row(p, 4, v, y, y - h / 2 * 0.9,
			    y + h / 2 * 0.9);
			if (isfinite(v) && v > xmax)
				xmax = v;
		}
	}

	plot_preamble(pl);
	l1 = xprintf("%s: the importance of each parameter to %s",
	    s->name, s->curve.name);
	c = &io.cols[0];
	if (io.fanova)
		l2 = io.ncols > 1 ? xprintf("fANOVA, seed %llu",
		    (unsigned long long)io.seed) : xprintf("fANOVA, seed %llu; "
		    "%u trials set every parameter", (unsigned long long)io.seed,
		    c->im.ntrials);
	else
		l2 = io.ncols > 1 ? xprintf("PED-ANOVA: the best %g%% of the "
		    "trials with a value at each step against all",
		    io.quantile * 100) : xprintf("PED-ANOVA: the best %g%% of "
		    "%u trials against all", io.quantile * 100,
		    c->im.ntrials);
	plot_title(pl, "set title", l1, l2);
	plot_label(pl, "set xlabel", "share of importance (the shares of a "
	    "column sum to 1)");
	rung_plot_cmd(p, "unset ylabel\n");
	rung_plot_cmd(p, "set grid noytics\n");
	rung_plot_cmd(p, "set ytics scale 0 (");
	for (i = 0; i < nrows; i++) {
		lab = plot_pv_short(s->params[rows[i]].name, 24);
		rung_plot_cmd(p, "%s", i > 0 ? ", " : "");
		rung_plot_quote(p, lab);
		rung_plot_cmd(p, " %zu", nrows - 1 - i);
		free(lab);
	}
	rung_plot_cmd(p, ")\n");
	rung_plot_cmd(p, "set yrange [-0.6:%g]\n", (double)nrows - 0.4);
	/* Room on the right for the last bar's number. */
	rung_plot_cmd(p, "set xrange [0:");
	rung_plot_num(p, xmax > 0 ? xmax * 1.18 : 1);
	rung_plot_cmd(p, "]\n");
	rung_plot_cmd(p, "set style fill solid 0.85 noborder\n");
	if (io.ncols > 1)
		rung_plot_cmd(p, "set key outside below center horizontal\n");
	else
		rung_plot_cmd(p, "unset key\n");
	rung_plot_cmd(p, "plot ");
	for (k = 0; k < io.ncols; k++) {
		c = &io.cols[k];
		snprintf(name, sizeof name, "col%zu", k);
		rung_plot_cmd(p, "%s", k > 0 ? ", \\\n     " : "");
		rung_plot_ref(p, name);
		rung_plot_cmd(p, " using ($1 / 2):2:(0):1:3:4 with boxxyerror "
		    "lc rgb '%s' ", plot_colours[k % NCOLOURS]);
		if (io.ncols > 1) {
			lab = c->step > 0 ? xprintf("at step %d%s%s%s",
			    c->step, strchr(c->label, '%') ? " (" : "",
			    strchr(c->label, '%') ? c->label : "",
			    strchr(c->label, '%') ? ")" : "") :
			    xstrdup("final");
			rung_plot_cmd(p, "title ");
			rung_plot_quote(p, lab);
			free(lab);
		} else
			rung_plot_cmd(p, "notitle");
		rung_plot_cmd(p, ", \\\n     ");
		rung_plot_ref(p, name);
		rung_plot_cmd(p, " using 1:2:(sprintf('%%.3f', $1)) with labels "
		    "left offset 0.5,0 %snotitle", io.ncols > 2 ? "font ',8' " :
		    "");
	}
	rung_plot_cmd(p, "\n");
	ret = 0;
out:
	free(l1);
	free(l2);
	free(rows);
	rung_imp_release(&io);
	return ret;
}

static const int importance_opts[] = {
	RUNG_OPT_METHOD, OPT_PREFIX, RUNG_OPT_QUANTILE, RUNG_OPT_SEED,
	RUNG_OPT_PARAMS, 0
};

const struct plot_kind plot_importance_kind = {
	.name = "importance",
	.opts = importance_opts,
	.loads_study = PLOT_LOADS_VALUES,
	.run = plot_importance,
};
