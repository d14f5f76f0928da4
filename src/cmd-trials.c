#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


#include "rung/cmd.h"
#include "rung/forecast.h"
#include "rung/jsonout.h"
#include "rung/store.h"
#include "rung/table.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

enum { OPT_SORT = 256, OPT_REVERSE, OPT_TOP, OPT_STATUS, OPT_RUNNING };

static const struct option trials_longopts[] = {
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "reverse", no_argument, NULL, OPT_REVERSE },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "running", no_argument, NULL, OPT_RUNNING },
	{ "target", required_argument, NULL, RUNG_OPT_TARGET },
	{ NULL, 0, NULL, 0 }
};

enum sort_key { SORT_ID, SORT_STATUS, SORT_STEPS, SORT_FINAL, SORT_BEST,
	SORT_PARAM };

/* Columns of other metrics beside FINAL and BEST, at most. */
#define MAX_OTHERS 32

static struct sorter {
	const struct rung_study	*s;
	enum sort_key		 key;
	int			 param;
	double			*final, *best;
	int			 reverse;
} sorter;	/* qsort has no context argument */

/* NaN and unset values sort last, --reverse or not. */
static int
cmp_num(double a, double b, int better_first, enum rung_direction dir)
{
	int	 c;

	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b);
	if (a == b)
		return 0;
	if (better_first)
		c = rung_better(dir, a, b) ? -1 : 1;
	else
		c = a < b ? -1 : 1;
	return sorter.reverse ? -c : c;
}

static int
cmp_trial(const void *va, const void *vb)
{
	uint32_t	 a = *(const uint32_t *)va, b = *(const uint32_t *)vb;
	const struct rung_study *s = sorter.s;
	const struct rung_param *p;
	int		 c = 0;

	switch (sorter.key) {
	case SORT_ID:
		c = 0;
		break;
	case SORT_STATUS:
		c = (int)s->status[a] - (int)s->status[b];
		if (sorter.reverse)
			c = -c;
		break;
	case SORT_STEPS:
		c = rung_trial_last_step(s, b) - rung_trial_last_step(s, a);
		if (sorter.reverse)
			c = -c;
		break;
	case SORT_FINAL:
	case SORT_BEST:
		/*
		 * Complete trials first, as Optuna's best_trial: a stopped
		 * trial's value is its last one at a smaller budget (a pruned
		 * Optuna trial's objective is its last report), no result.
		 */
		if ((s->status[a] == RUNG_COMPLETE) !=
		    (s->status[b] == RUNG_COMPLETE)) {
			c = s->status[a] == RUNG_COMPLETE ? -1 : 1;
			break;
		}
		if (sorter.key == SORT_FINAL)
			c = cmp_num(sorter.final[a], sorter.final[b], 1,
			    s->direction);
		else
			c = cmp_num(sorter.best[a], sorter.best[b], 1,
			    s->direction);
		break;
	case SORT_PARAM:
		p = &s->params[sorter.param];
		if (p->type == RUNG_PCAT) {
			if (p->cat[a] == UINT32_MAX || p->cat[b] == UINT32_MAX)
				c = (p->cat[a] == UINT32_MAX) -
				    (p->cat[b] == UINT32_MAX);
			else {
				c = rung_level_cmp(p, p->cat[a], p->cat[b]);
				if (sorter.reverse)
					c = -c;
			}
		} else
			c = cmp_num(p->num[a], p->num[b], 0, s->direction);
		break;
	}
	if (c == 0) {
		c = a < b ? -1 : (a > b);
		if (sorter.reverse && sorter.key == SORT_ID)
			c = -c;
	}
	return c;
}

static char *
params_text(const struct rung_study *s, uint32_t t)
{
	struct rung_buf	 b = { 0 };
	uint32_t	 i;
	char		 num[RUNG_DBL_BUFSZ];

	for (i = 0; i < s->nparams; i++) {
		const struct rung_param *p = &s->params[i];

		if (p->type == RUNG_PCAT) {
			if (p->cat[t] == UINT32_MAX)
				continue;
			rung_buf_printf(&b, "%s%s=%s", b.len ? " " : "",
			    p->name, p->levels[p->cat[t]]);
		} else if (!isnan(p->num[t])) {
			rung_buf_printf(&b, "%s%s=%s", b.len ? " " : "",
			    p->name, p->type == RUNG_PINT ?
			    rung_fmt_double(p->num[t], 0, num) :
			    rung_fmt_human(p->num[t], num));
		}
	}
	return rung_buf_cstr(&b);
}

/*
 * The study's other metrics that hold one point per trial at most, such as
 * the other objectives of an Optuna study or a final test score: what a
 * trial ended with, a column each. Metrics with curves stay out: their
 * last point says little, and show lists them.
 */
static int
load_others(struct rung_store *st, const struct rung_study *s,
    struct rung_curves **out, uint32_t *nout, char **cause)
{
	struct rung_curves *c = NULL;
	char		**names;
	size_t		 nnames, k;
	uint32_t	 n = 0, i;
	int		 ret = -1;

	*out = NULL;
	*nout = 0;
	if (rung_store_final_metrics(st, s->id, s->curve.name, &names,
	    &nnames, cause) != 0)
		return -1;
	for (k = 0; k < nnames && n < MAX_OTHERS; k++) {
		c = xreallocarray(c, n + 1, sizeof *c);
		if (rung_store_load_curves(st, s, names[k], 0, &c[n],
		    cause) != 0)
			goto out;
		n++;
	}
	*out = c;
	*nout = n;
	c = NULL;
	ret = 0;
out:
	for (k = 0; k < nnames; k++)
		free(names[k]);
	free(names);
	if (c != NULL) {
		for (i = 0; i < n; i++)
			rung_curves_release(&c[i]);
		free(c);
	}
	return ret;
}

/*
 * The forecast of each listed trial at the study's last step, held to the
 * best final of the trials that reached it.
 */
static struct rung_forecast *
forecasts(const struct rung_study *s, const uint32_t *order, uint32_t n,
    int32_t T)
{
	struct rung_forecaster	 f;
	struct rung_forecast	*fc;
	double			 ystar;
	uint32_t		 i;

	fc = xcalloc(n ? n : 1, sizeof *fc);
	rung_forecaster_init(&f);
	ystar = rung_study_incumbent(s, T, -1);
	for (i = 0; i < n; i++)
		rung_forecast(&f, s, order[i], T, ystar, &fc[i]);
	rung_forecaster_release(&f);
	return fc;
}

static json_object *
forecast_json(const struct rung_forecast *f)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "value", rung_json_double(f->value, 0));
	json_object_object_add(o, "low", rung_json_double(f->low, 0));
	json_object_object_add(o, "high", rung_json_double(f->high, 0));
	json_object_object_add(o, "p_best", rung_json_double(f->p_best, 0));
	json_object_object_add(o, "verdict", f->verdict == RUNG_VERDICT_NONE ?
	    NULL : json_object_new_string(rung_verdict_name(f->verdict)));
	return o;
}

static int
cmd_trials_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	struct rung_study *s;
	struct rung_table *tab;
	struct rung_curves *others = NULL;
	uint32_t	*order, n = 0, t, i, k, nothers = 0;
	const char	*key, *st;
	char		*cause = NULL, *ptext, steps[16], fin[32], best[32];
	char		 oval[MAX_OTHERS][32];
	const char	*row[11 + MAX_OTHERS], *hdr[11 + MAX_OTHERS];
	char		 fv[5][32];
	long		 top = -1, target = 0;
	int		 status = -1, ncols, running, c;
	struct rung_json_array ja;
	json_object	*obj, *m;
	struct rung_forecast *fc = NULL;

	running = rung_args_has(args, OPT_RUNNING);
	if (running && rung_args_has(args, OPT_STATUS)) {
		rung_error("trials: --running lists the running trials: no "
		    "--status with it");
		return RUNG_EXIT_USAGE;
	}
	if (running)
		status = RUNG_RUNNING;
	if (rung_args_has(args, RUNG_OPT_TARGET)) {
		if (rung_args_int_opt(args, "trials", RUNG_OPT_TARGET,
		    "target", 2, INT32_MAX, &target) != 0)
			return RUNG_EXIT_USAGE;
		if (!running) {
			rung_error("trials: --target is the step --running "
			    "forecasts: give it with --running");
			return RUNG_EXIT_USAGE;
		}
	}
	if ((st = rung_args_get(args, OPT_STATUS)) != NULL &&
	    (status = rung_status_parse(st)) < 0) {
		rung_error("trials: --status must be complete, stopped, failed "
		    "or running (or a word such as pruned or error), not '%s'",
		    st);
		return RUNG_EXIT_USAGE;
	}
	if (rung_args_int(args, OPT_TOP, 0, 1L << 30, &top, &cause) != 0) {
		rung_error("trials: --top: %s", cause);
		free(cause);
		return RUNG_EXIT_USAGE;
	}
	if (rung_ctx_load(ctx, args->argv[0], args, 0, &s, &cause) != 0) {
		rung_error("%s", cause);
		free(cause);
		return RUNG_EXIT_ERROR;
	}

	memset(&sorter, 0, sizeof sorter);
	sorter.s = s;
	sorter.reverse = rung_args_has(args, OPT_REVERSE);
	key = rung_args_get(args, OPT_SORT);
	if (key == NULL || strcmp(key, "id") == 0)
		sorter.key = SORT_ID;
	else if (strcmp(key, "status") == 0)
		sorter.key = SORT_STATUS;
	else if (strcmp(key, "steps") == 0)
		sorter.key = SORT_STEPS;
	else if (strcmp(key, "final") == 0)
		sorter.key = SORT_FINAL;
	else if (strcmp(key, "best") == 0)
		sorter.key = SORT_BEST;
	else if ((sorter.param = rung_study_find_param(s, key)) >= 0)
		sorter.key = SORT_PARAM;
	else {
		struct rung_buf	 b = { 0 };
		char		**keys;
		uint32_t	 j;

		keys = xcalloc(s->nparams + 5, sizeof *keys);
		keys[0] = (char *)"id";
		keys[1] = (char *)"status";
		keys[2] = (char *)"steps";
		keys[3] = (char *)"final";
		keys[4] = (char *)"best";
		for (j = 0; j < s->nparams; j++)
			keys[j + 5] = s->params[j].name;
		rung_buf_did_you_mean(&b, key, keys, s->nparams + 5);
		rung_error("trials: cannot sort by '%s': not id, status, "
		    "steps, final, best or a parameter of '%s'%s", key, s->name,
		    rung_buf_cstr(&b));
		rung_buf_release(&b);
		free(keys);
		rung_study_free(s);
		return RUNG_EXIT_USAGE;
	}
	if (load_others(ctx->store, s, &others, &nothers, &cause) != 0) {
		rung_error("%s", cause);
		free(cause);
		rung_study_free(s);
		return RUNG_EXIT_ERROR;
	}
	sorter.final = xreallocarray(NULL, s->ntrials + 1, sizeof(double));
	sorter.best = xreallocarray(NULL, s->ntrials + 1, sizeof(double));
	order = xreallocarray(NULL, s->ntrials + 1, sizeof *order);
	for (t = 0; t < s->ntrials; t++) {
		sorter.final[t] = rung_trial_final(s, t);
		sorter.best[t] = rung_trial_best(s, t);
		if (status < 0 || s->status[t] == status)
			order[n++] = t;
	}
	qsort(order, n, sizeof *order, cmp_trial);
	if (top >= 0 && (uint32_t)top < n)
		n = (uint32_t)top;
	if (running)
		fc = forecasts(s, order, n, target > 0 ? (int32_t)target :
		    s->max_step);

	if ((ctx->format == RUNG_OUT_JSON)) {
		rung_json_array_open(&ja, ctx->out, ctx->tty);
		for (i = 0; i < n; i++) {
			obj = rung_trial_json(s, order[i]);
			m = json_object_new_object();
			for (k = 0; k < nothers; k++)
				json_object_object_add(m, others[k].name,
				    rung_json_double(others[k].final[order[i]],
				    0));
			json_object_object_add(obj, "metrics", m);
			if (fc != NULL)
				json_object_object_add(obj, "forecast",
				    forecast_json(&fc[i]));
			rung_json_array_add(&ja, obj);
		}
		rung_json_array_close(&ja);
	} else {
		ncols = 0;
		hdr[ncols++] = "ID";
		hdr[ncols++] = "STATUS";
		hdr[ncols++] = ">STEPS";
		hdr[ncols++] = ">FINAL";
		hdr[ncols++] = ">BEST";
		for (k = 0; k < nothers; k++) {
			/* Right-aligned: a '>' before the name. */
			snprintf(oval[k], sizeof oval[k], ">%s",
			    others[k].name);
			hdr[ncols++] = oval[k];
		}
		if (fc != NULL) {
			hdr[ncols++] = ">FORECAST";
			hdr[ncols++] = ">LOW";
			hdr[ncols++] = ">HIGH";
			hdr[ncols++] = ">P_BEST";
			hdr[ncols++] = "VERDICT";
		}
		hdr[ncols++] = "PARAMS";
		tab = rung_table_new(hdr, ncols);
		for (i = 0; i < n; i++) {
			t = order[i];
			snprintf(steps, sizeof steps, "%d",
			    rung_trial_last_step(s, t));
			ptext = params_text(s, t);
			row[0] = s->ids[t];
			row[1] = rung_status_name(s->status[t]);
			row[2] = steps;
			row[3] = rung_fmt_human(sorter.final[t], fin);
			row[4] = rung_fmt_human(sorter.best[t], best);
			for (k = 0; k < nothers; k++)
				row[5 + k] = rung_fmt_human(others[k].final[t],
				    oval[k]);
			c = 5 + (int)nothers;
			if (fc != NULL) {
				row[c++] = rung_fmt_human(fc[i].value, fv[0]);
				row[c++] = rung_fmt_human(fc[i].low, fv[1]);
				row[c++] = rung_fmt_human(fc[i].high, fv[2]);
				row[c++] = rung_fmt_human(fc[i].p_best, fv[3]);
				row[c++] = rung_verdict_name(fc[i].verdict);
			}
			row[c] = ptext;
			rung_table_add(tab, row);
			free(ptext);
		}
		rung_ctx_table(ctx, tab);
		rung_table_free(tab);
	}
	for (k = 0; k < nothers; k++)
		rung_curves_release(&others[k]);
	free(others);
	free(fc);
	free(order);
	free(sorter.final);
	free(sorter.best);
	rung_study_free(s);
	return RUNG_EXIT_OK;
}

const struct rung_cmd_entry rung_cmd_trials_entry = {
	.name = "trials",
	.usage = "[--sort key] [--reverse] [--top n] [--status status] "
	    "[--running] [--target step] study",
	.summary = "list the trials of a study",
	.shortopts = "",
	.longopts = trials_longopts,
	.minargs = 1,
	.maxargs = 1,
	.flags = RUNG_CMD_STORE_RO | RUNG_CMD_METRIC | RUNG_CMD_TABLE,
	.exec = cmd_trials_exec,
};
