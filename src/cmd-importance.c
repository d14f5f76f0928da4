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

enum { OPT_METHOD = 256, OPT_PREFIX, OPT_QUANTILE };

static const struct option importance_longopts[] = {
	{ "method", required_argument, NULL, OPT_METHOD },
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ "quantile", required_argument, NULL, OPT_QUANTILE },
	{ "seed", required_argument, NULL, RUNG_OPT_SEED },
	{ "params", required_argument, NULL, RUNG_OPT_PARAMS },
	{ NULL, 0, NULL, 0 }
};

/* A column: the final values, or the values at a step. */
struct column {
	char		 label[32];	/* "final", "12", "25%" */
	int32_t		 step;		/* 0: final */
	struct rung_importance im;
};

/*
 * The columns --prefix names: steps, percentages of the study's last step,
 * and "final", separated by commas. -1 with the error said.
 */
static int
parse_columns(const struct rung_args *args, int32_t max_step,
    struct column **out, size_t *n)
{
	char		**items, *end;
	size_t		 nitems = 0, i, len;
	struct column	*c;
	double		 v;
	int		 pct, ret = -1;

	if (!rung_args_has(args, OPT_PREFIX)) {
		*out = xcalloc(1, sizeof **out);
		snprintf((*out)[0].label, sizeof (*out)[0].label, "final");
		*n = 1;
		return 0;
	}
	items = rung_args_list(args, OPT_PREFIX, &nitems);
	*out = c = xcalloc(nitems ? nitems : 1, sizeof *c);
	*n = 0;
	for (i = 0; i < nitems; i++) {
		if (strcmp(items[i], "final") == 0) {
			snprintf(c[*n].label, sizeof c[*n].label, "final");
			(*n)++;
			continue;
		}
		len = strlen(items[i]);
		pct = len > 0 && items[i][len - 1] == '%';
		errno = 0;
		v = strtod(items[i], &end);
		if (end == items[i] || *end != (pct ? '%' : '\0') ||
		    (pct && end[1] != '\0') || errno != 0 || !(v > 0) ||
		    (pct ? v > 100 : v > INT32_MAX || v != floor(v))) {
			rung_error("importance: --prefix: '%s' is no step (1 "
			    "to %d), percentage of the last step (above 0%% "
			    "to 100%%) or 'final'", items[i], INT32_MAX);
			goto out;
		}
		c[*n].step = pct ? (int32_t)ceil(v / 100 * max_step) :
		    (int32_t)v;
		if (c[*n].step < 1)
			c[*n].step = 1;
		snprintf(c[*n].label, sizeof c[*n].label, "%s", items[i]);
		(*n)++;
	}
	ret = 0;
out:
	for (i = 0; i < nitems; i++)
		free(items[i]);
	free(items);
	return ret;
}

static json_object *
column_json(const struct rung_study *s, const struct column *c, int fanova)
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

/*
 * --params: the parameters to assess (all without it). NULL, with the
 * error said, when one is no parameter of the study.
 */
static uint8_t *
chosen_params(const struct rung_args *args, const struct rung_study *s)
{
	struct rung_buf	 b = { 0 };
	char		**names, **all;
	size_t		 n = 0, i;
	uint8_t		*use;
	uint32_t	 j;
	int		 p, bad = 0;

	use = xcalloc(s->nparams ? s->nparams : 1, 1);
	if (!rung_args_has(args, RUNG_OPT_PARAMS)) {
		memset(use, 1, s->nparams);
		return use;
	}
	names = rung_args_list(args, RUNG_OPT_PARAMS, &n);
	for (i = 0; i < n; i++) {
		if ((p = rung_study_find_param(s, names[i])) >= 0) {
			use[p] = 1;
			continue;
		}
		if (!bad) {
			all = xcalloc(s->nparams + 1, sizeof *all);
			for (j = 0; j < s->nparams; j++)
				all[j] = s->params[j].name;
			rung_buf_did_you_mean(&b, names[i], all, s->nparams);
			rung_error("importance: --params: '%s' is no parameter "
			    "of '%s'%s", names[i], s->name, rung_buf_cstr(&b));
			rung_buf_release(&b);
			free(all);
		}
		bad = 1;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (bad) {
		free(use);
		return NULL;
	}
	return use;
}

/* Rows by the last column's importance, the most first, NaN last. */
static const double *sort_share;

static int
cmp_share(const void *va, const void *vb)
{
	uint32_t	 a = *(const uint32_t *)va, b = *(const uint32_t *)vb;
	double		 x = sort_share[a], y = sort_share[b];

	if (isnan(x) || isnan(y))
		return isnan(x) - isnan(y);
	return x > y ? -1 : x < y ? 1 : (a > b) - (a < b);
}

static int
cmd_importance_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	struct rung_study *s = NULL;
	struct column	*cols = NULL;
	struct rung_table *tab;
	const char	*method, **hdr = NULL, **row = NULL;
	char		*cause = NULL, (*cells)[16] = NULL;
	double		 quantile = RUNG_PED_QUANTILE, *y = NULL;
	size_t		 ncols = 0, k;
	uint32_t	 t, i, *order = NULL;
	uint8_t		*use = NULL;
	int		 ret = RUNG_EXIT_ERROR, curves, fanova;
	long		 seed = 0;
	json_object	*o, *arr;

	if ((method = rung_args_get(args, OPT_METHOD)) == NULL)
		method = "ped-anova";
	if (strcmp(method, "ped-anova") == 0)
		fanova = 0;
	else if (strcmp(method, "fanova") == 0)
		fanova = 1;
	else {
		rung_error("importance: --method must be ped-anova or fanova, "
		    "not '%s'", method);
		return RUNG_EXIT_USAGE;
	}
	if (rung_args_has(args, OPT_QUANTILE) && rung_args_real_opt(args,
	    "importance", OPT_QUANTILE, "quantile", 0, 1, 1,
	    "a share of the trials above 0 and at most 1", &quantile) != 0)
		return RUNG_EXIT_USAGE;
	if (rung_args_has(args, OPT_QUANTILE) && fanova) {
		rung_error("importance: --quantile is PED-ANOVA's: not with "
		    "--method fanova");
		return RUNG_EXIT_USAGE;
	}
	if (rung_args_has(args, RUNG_OPT_SEED)) {
		if (rung_args_int_opt(args, "importance", RUNG_OPT_SEED, "seed",
		    0, LONG_MAX, &seed) != 0)
			return RUNG_EXIT_USAGE;
		if (!fanova) {
			rung_error("importance: --seed seeds fANOVA's forest: "
			    "give it with --method fanova");
			return RUNG_EXIT_USAGE;
		}
	}
	/* Steps need the curves; the final values, the metric of interest. */
	curves = rung_args_has(args, OPT_PREFIX);
	if (rung_ctx_load(ctx, args->argv[0], args, curves, &s,
	    &cause) != 0) {
		rung_error("%s", cause);
		free(cause);
		return RUNG_EXIT_ERROR;
	}
	if ((use = chosen_params(args, s)) == NULL ||
	    parse_columns(args, s->max_step, &cols, &ncols) != 0) {
		free(use);
		free(cols);
		rung_study_free(s);
		return RUNG_EXIT_USAGE;
	}
	y = xreallocarray(NULL, s->ntrials ? s->ntrials : 1, sizeof *y);
	for (k = 0; k < ncols; k++) {
		for (t = 0; t < s->ntrials; t++)
			y[t] = cols[k].step > 0 ? rung_trial_value_at(s, t,
			    cols[k].step) : rung_trial_final(s, t);
		if ((fanova ? rung_fanova(s, y, (uint64_t)seed, use,
		    &cols[k].im, &cause) : rung_ped_anova(s, y, s->direction,
		    quantile, use, &cols[k].im, &cause)) != 0) {
			rung_error("importance: %s: %s%s: %s", s->name,
			    cols[k].step > 0 ? "at step " : "at the end",
			    cols[k].step > 0 ? cols[k].label : "", cause);
			free(cause);
			goto out;
		}
		if (cols[k].im.note != NULL)
			rung_warn("%s", cols[k].im.note);
		if (fanova)
			rung_info("%s: %u trials set every parameter and have "
			    "a value", cols[k].step > 0 ? cols[k].label :
			    "final values", cols[k].im.ntrials);
		else if (cols[k].step > 0)
			rung_info("%s at step %d: %u trials, the best %u make the "
			    "top", cols[k].label, cols[k].step,
			    cols[k].im.ntrials, cols[k].im.ntop);
		else
			rung_info("final values: %u trials, the best %u make the "
			    "top", cols[k].im.ntrials, cols[k].im.ntop);
	}

	if (ctx->format == RUNG_OUT_JSON) {
		o = json_object_new_object();
		json_object_object_add(o, "study",
		    json_object_new_string(s->name));
		json_object_object_add(o, "metric",
		    json_object_new_string(s->curve.name));
		json_object_object_add(o, "direction",
		    json_object_new_string(rung_direction_name(s->direction)));
		json_object_object_add(o, "method",
		    json_object_new_string(method));
		json_object_object_add(o, "quantile", fanova ? NULL :
		    rung_json_double(quantile, 0));
		json_object_object_add(o, "seed", fanova ?
		    json_object_new_int64(seed) : NULL);
		arr = json_object_new_array();
		for (k = 0; k < ncols; k++)
			json_object_array_add(arr, column_json(s, &cols[k],
			    fanova));
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
		order[i] = i;
	sort_share = cols[ncols - 1].im.share;
	qsort(order, s->nparams, sizeof *order, cmp_share);
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
	for (k = 0; k < ncols; k++)
		rung_importance_release(&cols[k].im);
	free(cols);
	free(hdr);
	free(row);
	free(cells);
	free(order);
	free(y);
	free(use);
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
