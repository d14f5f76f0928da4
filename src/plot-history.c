/*
 * plot history: the value of each trial against its number in the study's
 * order, and the best so far as a step line (rung_pview_best_so_far), as
 * optuna-dashboard's history plot: how fast the search found what it found.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/pview.h"
#include "rung/xmalloc.h"

#include "plot-int.h"

static int
plot_history(struct plot *pl, const struct rung_study *s, char **cause)
{
	struct rung_plot *p = pl->p;
	char		*what = NULL, *l1 = NULL, *l2 = NULL, b[RUNG_DBL_BUFSZ];
	char		 b2[16];
	double		*y = NULL, *best = NULL;
	uint32_t	 t, n = 0, at = UINT32_MAX;
	int		 ret;

	if ((ret = plot_pv_values(pl, s, &y, &what)) != 0)
		return ret;
	ret = RUNG_EXIT_ERROR;
	best = xcalloc(s->ntrials + 1, sizeof *best);
	rung_pview_best_so_far(y, s->ntrials, s->direction, best);
	/* trial number, value, best so far */
	rung_plot_data(p, "history");
	for (t = 0; t < s->ntrials; t++) {
		rung_plot_row(p, 3, (double)t, isfinite(y[t]) ? y[t] : NAN,
		    best[t]);
		if (isfinite(y[t])) {
			n++;
			if (at == UINT32_MAX || rung_better(s->direction, y[t],
			    y[at]))
				at = t;
		}
	}
	if (n == 0) {
		xasprintf(cause, "study '%s' has no trial with a %s", s->name,
		    what);
		goto out;
	}

	plot_preamble(pl);
	l1 = xprintf("%s: %s by trial, and the best so far", s->name, what);
	l2 = xprintf("%u trials with a value; the best, trial %s (number %u), "
	    "reaches %s", n, s->ids[at], at, plot_human(y[at], b));
	/* An id that is its number says it once. */
	snprintf(b2, sizeof b2, "%u", at);
	if (strcmp(b2, s->ids[at]) == 0) {
		free(l2);
		l2 = xprintf("%u trials with a value; the best, trial %s, "
		    "reaches %s", n, s->ids[at], plot_human(y[at], b));
	}
	plot_title(pl, "set title", l1, l2);
	plot_label(pl, "set xlabel", "trial number (the study's order)");
	plot_label(pl, "set ylabel", s->curve.name);
	plot_xtics(pl, s->ntrials > 1 ? s->ntrials - 1 : 1, s->ntrials,
	    plot_chars_across(pl, pl->tg.width, 12), 1);
	if (rung_args_has(pl->args, OPT_LOGY))
		rung_plot_cmd(p, "set logscale y\n");
	rung_plot_cmd(p, "set key outside below center horizontal\n");
	rung_plot_cmd(p, "plot ");
	plot_series(p, "history", pl->dumb ? "using 1:2 with points pt '+'" :
	    "using 1:2 with points pt 7 ps 0.45 lc rgb '#1f77b4'", "%s",
	    what);
	rung_plot_cmd(p, ", \\\n     ");
	plot_series(p, "history", "using 1:3 with steps lw 2.5 lc rgb "
	    "'#d62728'", "the best so far (%s)", rung_direction_name(
	    s->direction));
	rung_plot_cmd(p, "\n");
	ret = 0;
out:
	free(y);
	free(best);
	free(what);
	free(l1);
	free(l2);
	return ret;
}

static const int history_opts[] = { OPT_PREFIX, OPT_LOGY, 0 };

const struct plot_kind plot_history_kind = {
	.name = "history",
	.opts = history_opts,
	.loads_study = PLOT_LOADS_VALUES,
	.run = plot_history,
};
