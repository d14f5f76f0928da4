/*
 * plot predictions: a predictor's values at the target step against the
 * actual ones, fitted here on a curve prefix (as fit evaluates it) or a
 * saved model's (--model).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/model.h"
#include "rung/xmalloc.h"

#include "plot-int.h"

/* The options of a fit, which --model does not take, then --model. */
static const int predictions_opts[] = {
	OPT_PREFIX,
	RUNG_OPT_TARGET, RUNG_OPT_FEATURES, RUNG_OPT_PARAMS, RUNG_OPT_SVR,
	RUNG_OPT_C, RUNG_OPT_NU, RUNG_OPT_EPSILON, RUNG_OPT_GAMMA,
	RUNG_OPT_SEARCH, RUNG_OPT_FOLDS, RUNG_OPT_TRAIN, RUNG_OPT_TEST,
	RUNG_OPT_REPEATS,
	RUNG_OPT_SEED, RUNG_OPT_JOBS,
	OPT_MODEL, 0
};

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

	rung_plot_cmd(p, "set size square\n");
	/* Above the diagonal, on the left: where a fair predictor has none. */
	rung_plot_cmd(p, "set key inside top left Left reverse box opaque\n");
	rung_plot_cmd(p, "plot ");
	plot_series(p, "points", "using 1:2 with points pt 7 ps 0.6 lc rgb "
	    "'#1f77b4'", "%s (%u)", what, npoints);
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

	for (i = 0; predictions_opts[i] != OPT_MODEL; i++) {
		if (rung_args_has(pl->args, predictions_opts[i])) {
			rung_error("plot: --model predicts with a saved "
			    "model's own settings: %s does not go with it",
			    plot_opt_name(predictions_opts[i]));
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

	plot_preamble(pl);
	l1 = xprintf("%s: %s at step %d predicted by model %s from steps "
	    "1-%d", s->name, s->curve.name, m->feat.target, m->name,
	    m->feat.prefix);
	l2 = xprintf("R² %s, Kendall τ %s on %u trials (%s trained on %s%s)",
	    plot_score(sc.r2, b1), plot_score(sc.kendall, b2), ds.n,
	    plot_svr_name(m->svr.type), m->study,
	    strcmp(m->study, s->name) == 0 ?
	    ", these trials included" : "");
	plot_title(pl, "set title", l1, l2);
	free(l1);
	l1 = xprintf("actual %s at step %d", s->curve.name, m->feat.target);
	plot_label(pl, "set xlabel", l1);
	free(l1);
	l1 = xprintf("predicted %s at step %d", s->curve.name, m->feat.target);
	plot_label(pl, "set ylabel", l1);
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
	if ((ret = plot_fit_options(pl, s, &fo, cause)) != 0)
		goto out;
	ret = RUNG_EXIT_USAGE;
	if (!rung_args_has(pl->args, OPT_PREFIX)) {
		rung_error("plot: predictions need --prefix K (the steps to "
		    "predict from) or --model NAME");
		goto out;
	}
	if (plot_int_opt(pl->args, OPT_PREFIX, 1, fo.feat.target - 1, &k) != 0)
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
			y = plot_value_at(s, t, fo.feat.target);
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

	plot_preamble(pl);
	l1 = xprintf("%s: %s at step %d predicted from steps 1-%ld (%s, %s "
	    "features)", s->name, s->curve.name, fo.feat.target, k,
	    plot_svr_name(fo.svr.type), rung_features_name(fo.feat.kind));
	if (fo.repeats > 1)
		l2 = xprintf("R² %s ± %s, Kendall τ %s over %u repeats of %u "
		    "training and %u test trials", plot_score(row.mean.r2, b1),
		    plot_score(row.sd.r2, b2), plot_score(row.mean.kendall, b3),
		    fo.repeats, row.n_train, row.n_test);
	else
		l2 = xprintf("R² %s, Kendall τ %s on %u test trials (%u "
		    "training trials)", plot_score(row.mean.r2, b1),
		    plot_score(row.mean.kendall, b3), row.n_test, row.n_train);
	plot_title(pl, "set title", l1, l2);
	free(l1);
	l1 = xprintf("actual %s at step %d", s->curve.name, fo.feat.target);
	plot_label(pl, "set xlabel", l1);
	free(l1);
	l1 = xprintf("predicted %s at step %d", s->curve.name, fo.feat.target);
	plot_label(pl, "set ylabel", l1);
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

const struct plot_kind plot_predictions_kind = {
	.name = "predictions",
	.opts = predictions_opts,
	.loads_study = 1,
	.run = plot_predictions,
};
