#include "config.h"

#include <stdlib.h>

#include "rung/cmd.h"
#include "rung/jsonout.h"
#include "rung/model.h"
#include "rung/table.h"
#include "rung/util.h"

static int
cmd_models_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	static const char *hdr[] = { "MODEL", "STUDY", "METRIC", "FEATURES",
		">PREFIX", ">TARGET", "SVR", ">TRAINED_ON", "CREATED" };
	struct rung_model **v;
	struct rung_table *tab;
	size_t		 n, i;
	char		*cause, k[16], t[16], nt[16];
	const char	*row[9];
	json_object	*arr, *o;

	if (rung_model_list(ctx->store, &v, &n, &cause) != 0) {
		rung_error("%s", cause);
		free(cause);
		return RUNG_EXIT_ERROR;
	}
	if ((ctx->format == RUNG_OUT_JSON)) {
		arr = json_object_new_array();
		for (i = 0; i < n; i++) {
			o = json_object_new_object();
			json_object_object_add(o, "name",
			    json_object_new_string(v[i]->name));
			json_object_object_add(o, "study",
			    json_object_new_string(v[i]->study));
			json_object_object_add(o, "metric",
			    json_object_new_string(v[i]->metric));
			json_object_object_add(o, "features",
			    json_object_new_string(rung_features_name(
			    v[i]->feat.kind)));
			json_object_object_add(o, "prefix",
			    json_object_new_int(v[i]->feat.prefix));
			json_object_object_add(o, "target",
			    json_object_new_int(v[i]->feat.target));
			json_object_object_add(o, "svr",
			    json_object_new_string(rung_svr_type_name(
			    v[i]->svr.type)));
			json_object_object_add(o, "C",
			    rung_json_double(v[i]->svr.C, 0));
			json_object_object_add(o, v[i]->svr.type !=
			    RUNG_NU_SVR ? "epsilon" : "nu", rung_json_double(
			    v[i]->svr.type != RUNG_NU_SVR ? v[i]->svr.epsilon :
			    v[i]->svr.nu, 0));
			json_object_object_add(o, "gamma",
			    rung_json_double(v[i]->svr.gamma, 0));
			json_object_object_add(o, "n_train",
			    json_object_new_int64(v[i]->n_train));
			json_object_object_add(o, "created",
			    json_object_new_string(v[i]->created));
			json_object_array_add(arr, o);
		}
		rung_json_print(ctx->out, arr, ctx->tty);
	} else {
		tab = rung_table_new(hdr, 9);
		for (i = 0; i < n; i++) {
			snprintf(k, sizeof k, "%d", v[i]->feat.prefix);
			snprintf(t, sizeof t, "%d", v[i]->feat.target);
			snprintf(nt, sizeof nt, "%u", v[i]->n_train);
			row[0] = v[i]->name;
			row[1] = v[i]->study;
			row[2] = v[i]->metric;
			row[3] = rung_features_name(v[i]->feat.kind);
			row[4] = k;
			row[5] = t;
			row[6] = rung_svr_type_name(v[i]->svr.type);
			row[7] = nt;
			row[8] = v[i]->created;
			rung_table_add(tab, row);
		}
		rung_ctx_table(ctx, tab);
		rung_table_free(tab);
	}
	for (i = 0; i < n; i++)
		rung_model_free(v[i]);
	free(v);
	return RUNG_EXIT_OK;
}

const struct rung_cmd_entry rung_cmd_models_entry = {
	.name = "models",
	.usage = "",
	.summary = "list the predictors kept with fit --save",
	.shortopts = "",
	.longopts = NULL,
	.minargs = 0,
	.maxargs = 0,
	.flags = RUNG_CMD_STORE_RO | RUNG_CMD_TABLE,
	.exec = cmd_models_exec,
};
