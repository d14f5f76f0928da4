#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/cmd.h"
#include "rung/jsonout.h"
#include "rung/model.h"
#include "rung/predict.h"
#include "rung/store.h"
#include "rung/table.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

enum { OPT_MODEL = 256 };

static const struct option predict_longopts[] = {
	{ "model", required_argument, NULL, OPT_MODEL },
	{ NULL, 0, NULL, 0 }
};

/* The value of trial t at step, NaN when it has none. */
static double
value_at(const struct rung_study *s, uint32_t t, int32_t step)
{
	uint32_t	 i;

	for (i = s->curve.off[t]; i < s->curve.off[t + 1]; i++) {
		if (s->curve.steps[i] == step)
			return s->curve.vals[i];
	}
	return NAN;
}

static int
cmd_predict_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	static const char *hdr[] = { "ID", "STATUS", ">STEPS", ">PREDICTED",
		">ACTUAL", ">ERROR" };
	struct rung_study *s = NULL;
	struct rung_model *m = NULL;
	struct rung_metric_sel sel;
	struct rung_dataset ds = { 0 };
	struct rung_table *tab;
	char		*cause = NULL, st[16], p[RUNG_DBL_BUFSZ];
	char		 a[RUNG_DBL_BUFSZ], e[RUNG_DBL_BUFSZ];
	const char	*row[6];
	double		 yhat, actual;
	uint32_t	 i, t;
	int		 ret = RUNG_EXIT_ERROR;
	json_object	*obj, *arr, *o;

	if (rung_args_metric(args, "predict", &sel) != 0)
		return RUNG_EXIT_USAGE;
	if (rung_model_load(ctx->store, rung_args_get(args, OPT_MODEL),
	    args->argv[0], &m, &cause) != 0)
		goto out;
	/* The model predicts the metric it was fitted on, and no other. */
	if (sel.metric != NULL && strcmp(sel.metric, m->metric) != 0) {
		cause = xprintf("model '%s' predicts '%s', not '%s' (-m): fit "
		    "one on '%s' with rung fit -m %s --save NAME", m->name,
		    m->metric, sel.metric, sel.metric, sel.metric);
		goto out;
	}
	if (rung_store_check_metric(ctx->store, args->argv[0], m->metric,
	    &cause) != 0 || rung_store_load(ctx->store, args->argv[0],
	    m->metric, sel.direction, &s, &cause) != 0)
		goto out;
	/* Every trial that has the prefix: stopped and running ones too. */
	if (rung_dataset_build(s, &m->feat, 0, &ds, &cause) != 0)
		goto out;
	if (ds.skipped_nonfinite > 0)
		rung_warn("%u trials with a NaN or infinite value in steps "
		    "1-%d cannot be predicted", ds.skipped_nonfinite,
		    m->feat.prefix);

	if ((ctx->format == RUNG_OUT_JSON)) {
		obj = json_object_new_object();
		json_object_object_add(obj, "study",
		    json_object_new_string(s->name));
		json_object_object_add(obj, "model",
		    json_object_new_string(m->name));
		json_object_object_add(obj, "metric",
		    json_object_new_string(m->metric));
		json_object_object_add(obj, "prefix",
		    json_object_new_int(m->feat.prefix));
		json_object_object_add(obj, "target",
		    json_object_new_int(m->feat.target));
		arr = json_object_new_array();
		for (i = 0; i < ds.n; i++) {
			t = ds.trial[i];
			yhat = rung_svr_predict(m->fitted,
			    ds.x + (size_t)i * ds.d);
			actual = value_at(s, t, m->feat.target);
			o = json_object_new_object();
			json_object_object_add(o, "id",
			    json_object_new_string(s->ids[t]));
			json_object_object_add(o, "status",
			    json_object_new_string(rung_status_name(
			    s->status[t])));
			json_object_object_add(o, "steps", json_object_new_int(
			    rung_trial_last_step(s, t)));
			json_object_object_add(o, "predicted",
			    rung_json_double(yhat, 0));
			json_object_object_add(o, "actual",
			    rung_json_double(actual, 0));
			json_object_array_add(arr, o);
		}
		json_object_object_add(obj, "trials", arr);
		rung_json_print(ctx->out, obj, ctx->tty);
	} else {
		tab = rung_table_new(hdr, 6);
		for (i = 0; i < ds.n; i++) {
			t = ds.trial[i];
			yhat = rung_svr_predict(m->fitted,
			    ds.x + (size_t)i * ds.d);
			actual = value_at(s, t, m->feat.target);
			snprintf(st, sizeof st, "%d", rung_trial_last_step(s,
			    t));
			row[0] = s->ids[t];
			row[1] = rung_status_name(s->status[t]);
			row[2] = st;
			row[3] = rung_fmt_human(yhat, p);
			row[4] = isnan(actual) ? "" : rung_fmt_human(actual, a);
			row[5] = isnan(actual) ? "" :
			    rung_fmt_human(yhat - actual, e);
			rung_table_add(tab, row);
		}
		rung_ctx_table(ctx, tab);
		rung_table_free(tab);
	}
	ret = RUNG_EXIT_OK;
out:
	if (cause != NULL) {
		rung_error("predict: %s", cause);
		free(cause);
	}
	rung_dataset_release(&ds);
	rung_model_free(m);
	rung_study_free(s);
	return ret;
}

const struct rung_cmd_entry rung_cmd_predict_entry = {
	.name = "predict",
	.usage = "[--model name] study",
	.summary = "predict the final value of every trial with a kept model",
	.shortopts = "",
	.longopts = predict_longopts,
	.minargs = 1,
	.maxargs = 1,
	.flags = RUNG_CMD_STORE_RO | RUNG_CMD_METRIC | RUNG_CMD_TABLE,
	.exec = cmd_predict_exec,
};
