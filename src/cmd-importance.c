/*
 * rung importance: which parameters decide how good a trial is, at the end
 * and at chosen steps of the way (the value a trial had at 10% of the
 * steps is decided by other parameters than its final value, often).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/cmd.h"
#include "rung/importance.h"
#include "rung/jsonout.h"
#include "rung/table.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

enum { OPT_PREFIX = 256 };

static const struct option importance_longopts[] = {
	{ "method", required_argument, NULL, RUNG_OPT_METHOD },
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ "quantile", required_argument, NULL, RUNG_OPT_QUANTILE },
	{ "seed", required_argument, NULL, RUNG_OPT_SEED },
	{ "params", required_argument, NULL, RUNG_OPT_PARAMS },
	{ NULL, 0, NULL, 0 }
};

static json_object *
column_json(const struct rung_study *s, const struct rung_imp_col *c,
    int fanova)
{
	json_object	*o, *imp;
	uint32_t	 i;

	o = json_object_new_object();
	json_object_object_add(o, "at", json_object_new_string(c->label));
	json_object_object_add(o, "step", c->step > 0 ?
	    json_object_new_int(c->step) : NULL);
	json_object_object_add(o, "trials",
	    json_object_new_int64(c->im.ntrials));
	json_object_object_add(o, "top", fanova ? NULL :
	    json_object_new_int64(c->im.ntop));
	imp = json_object_new_object();
	for (i = 0; i < s->nparams; i++)
		json_object_object_add(imp, s->params[i].name,
		    isnan(c->im.share[i]) ? NULL :
		    rung_json_double(c->im.share[i], 0));
	json_object_object_add(o, "importance", imp);
	return o;
}

static int
cmd_importance_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	struct rung_study *s = NULL;
	struct rung_imp_opts io;
	struct rung_imp_col *cols;
	struct rung_table *tab;
	const char	**hdr = NULL, **row = NULL;
	char		*cause = NULL, (*cells)[16] = NULL;
	size_t		 ncols, k;
	uint32_t	 i;
	int		*order = NULL;
	int		 ret;
	json_object	*o, *arr;

	if ((ret = rung_imp_args(args, "importance", &io)) != 0)
		return ret;
	/* Steps need the curves; the final values, the metric of interest. */
	if (rung_ctx_load(ctx, args->argv[0], args, rung_args_has(args,
	    OPT_PREFIX), &s, &cause) != 0) {
		rung_error("%s", cause);
		free(cause);
		return RUNG_EXIT_ERROR;
	}
	if ((ret = rung_imp_setup(args, "importance", OPT_PREFIX, s,
	    &io)) != 0 || (ret = rung_imp_compute("importance", s, &io)) != 0)
		goto out;
	ret = RUNG_EXIT_ERROR;
	cols = io.cols;
	ncols = io.ncols;

	if (ctx->format == RUNG_OUT_JSON) {
		o = json_object_new_object();
		json_object_object_add(o, "study",
		    json_object_new_string(s->name));
		json_object_object_add(o, "metric",
		    json_object_new_string(s->curve.name));
		json_object_object_add(o, "direction",
		    json_object_new_string(rung_direction_name(s->direction)));
		json_object_object_add(o, "method",
		    json_object_new_string(io.method));
		json_object_object_add(o, "quantile", io.fanova ? NULL :
		    rung_json_double(io.quantile, 0));
		json_object_object_add(o, "seed", io.fanova ?
		    json_object_new_int64((int64_t)io.seed) : NULL);
		arr = json_object_new_array();
		for (k = 0; k < ncols; k++)
			json_object_array_add(arr, column_json(s, &cols[k],
			    io.fanova));
		json_object_object_add(o, "columns", arr);
		rung_json_print(ctx->out, o, ctx->tty);
		ret = RUNG_EXIT_OK;
		goto out;
	}
	hdr = xcalloc(ncols + 1, sizeof *hdr);
	row = xcalloc(ncols + 1, sizeof *row);
	cells = xcalloc(ncols + 1, sizeof *cells);
	hdr[0] = "PARAM";
	for (k = 0; k < ncols; k++) {
		snprintf(cells[k], sizeof cells[k], ">%s", cols[k].step > 0 ?
		    cols[k].label : "FINAL");
		hdr[k + 1] = cells[k];
	}
	tab = rung_table_new(hdr, (int)ncols + 1);
	free(cells);
	cells = xcalloc(ncols + 1, sizeof *cells);
	order = xreallocarray(NULL, s->nparams ? s->nparams : 1,
	    sizeof *order);
	for (i = 0; i < s->nparams; i++)
		order[i] = (int)i;
	/* Rows by the last column's importance. */
	rung_imp_sort(cols[ncols - 1].im.share, order, s->nparams);
	for (i = 0; i < s->nparams; i++) {
		row[0] = s->params[order[i]].name;
		for (k = 0; k < ncols; k++) {
			if (isnan(cols[k].im.share[order[i]]))
				snprintf(cells[k], sizeof cells[k], "-");
			else
				snprintf(cells[k], sizeof cells[k], "%.3f",
				    cols[k].im.share[order[i]]);
			row[k + 1] = cells[k];
		}
		rung_table_add(tab, row);
	}
	rung_ctx_table(ctx, tab);
	rung_table_free(tab);
	ret = RUNG_EXIT_OK;
out:
	rung_imp_release(&io);
	free(hdr);
	free(row);
	free(cells);
	free(order);
	rung_study_free(s);
	return ret;
}

const struct rung_cmd_entry rung_cmd_importance_entry = {
	.name = "importance",
	.usage = "[--method name] [--params list] [--prefix steps] "
	    "[--quantile q] [--seed n] study",
	.summary = "which parameters decide the value, at the end and on the "
	    "way (PED-ANOVA, fANOVA)",
	.shortopts = "",
	.longopts = importance_longopts,
	.minargs = 1,
	.maxargs = 1,
	.flags = RUNG_CMD_STORE_RO | RUNG_CMD_METRIC | RUNG_CMD_TABLE,
	.exec = cmd_importance_exec,
};
