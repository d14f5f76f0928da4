/*
 * plot sweep: how early the final value can be predicted, the scores of a
 * fit on prefixes of 10% to 90% of the curve.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/model.h"
#include "rung/xmalloc.h"

#include "plot-int.h"

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
	if ((ret = plot_fit_options(pl, s, &fo, cause)) != 0)
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

	plot_preamble(pl);
	l1 = xprintf("%s: how early %s at step %d can be predicted", s->name,
	    s->curve.name, fo.feat.target);
	l2 = xprintf("%s on each curve's first steps, %s features, %u "
	    "training trials, %u repeat%s%s", plot_svr_name(fo.svr.type),
	    rung_features_name(fo.feat.kind), rows[0].n_train, fo.repeats,
	    fo.repeats == 1 ? "" : "s", bars ? " (bars: sd)" : "");
	plot_title(pl, "set title", l1, l2);
	plot_label(pl, "set xlabel", "prefix: share of the curve the "
	    "predictor sees (%)");
	plot_label(pl, "set x2label", "prefix (steps)");
	plot_label(pl, "set ylabel", "score on the held-out trials");
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
	    "linespoints", plot_colours[0]);
	rung_plot_ref(p, "sweep");
	rung_plot_cmd(p, " using 1:4%s with %s lw 2 pt 5 lc rgb '%s' title "
	    "'Kendall τ'\n", bars ? ":5" : "", bars ? "yerrorlines" :
	    "linespoints", plot_colours[1]);
	ret = 0;
out:
	free(l1);
	free(l2);
	rung_featspec_release(&fo.feat);
	return ret;
}

static const int sweep_opts[] = {
	RUNG_OPT_TARGET, RUNG_OPT_FEATURES, RUNG_OPT_PARAMS, RUNG_OPT_SVR,
	RUNG_OPT_C, RUNG_OPT_NU, RUNG_OPT_EPSILON, RUNG_OPT_GAMMA,
	RUNG_OPT_SEARCH, RUNG_OPT_FOLDS, RUNG_OPT_TRAIN, RUNG_OPT_TEST,
	RUNG_OPT_REPEATS,
	RUNG_OPT_SEED, RUNG_OPT_JOBS,
	0
};

const struct plot_kind plot_sweep_kind = {
	.name = "sweep",
	.opts = sweep_opts,
	.loads_study = 1,
	.run = plot_sweep,
};
