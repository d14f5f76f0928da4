#include "config.h"

#include <stdlib.h>

#include "rung/cmd.h"
#include "rung/jsonout.h"
#include "rung/store.h"
#include "rung/table.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

static int
cmd_studies_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	struct rung_study_info *v;
	struct rung_table *tab;
	size_t		 n, i;
	char		*cause, trials[32], steps[32], points[32];
	const char	*row[7];
	json_object	*arr, *obj;
	static const char *hdr[] = { "STUDY", ">TRIALS", ">POINTS",
		"METRIC", "DIR", ">MAX_STEP", "SOURCE" };

	if (rung_store_studies(ctx->store, &v, &n, &cause) != 0) {
		rung_error("%s", cause);
		free(cause);
		return RUNG_EXIT_ERROR;
	}
	if ((ctx->format == RUNG_OUT_JSON)) {
		arr = json_object_new_array();
		for (i = 0; i < n; i++) {
			obj = json_object_new_object();
			json_object_object_add(obj, "name",
			    json_object_new_string(v[i].name));
			json_object_object_add(obj, "trials",
			    json_object_new_int64(v[i].ntrials));
			json_object_object_add(obj, "points",
			    json_object_new_int64(v[i].npoints));
			json_object_object_add(obj, "metric",
			    json_object_new_string(v[i].metric));
			json_object_object_add(obj, "direction",
			    json_object_new_string(
			    rung_direction_name(v[i].direction)));
			json_object_object_add(obj, "max_step",
			    json_object_new_int(v[i].max_step));
			json_object_object_add(obj, "source", v[i].source ?
			    json_object_new_string(v[i].source) : NULL);
			json_object_object_add(obj, "created",
			    json_object_new_string(v[i].created));
			json_object_array_add(arr, obj);
		}
		rung_json_print(ctx->out, arr, ctx->tty);
	} else {
		tab = rung_table_new(hdr, 7);
		for (i = 0; i < n; i++) {
			snprintf(trials, sizeof trials, "%lld",
			    (long long)v[i].ntrials);
			snprintf(points, sizeof points, "%lld",
			    (long long)v[i].npoints);
			snprintf(steps, sizeof steps, "%d", v[i].max_step);
			row[0] = v[i].name;
			row[1] = trials;
			row[2] = points;
			row[3] = v[i].metric;
			row[4] = rung_direction_name(v[i].direction);
			row[5] = steps;
			row[6] = v[i].source;
			rung_table_add(tab, row);
		}
		rung_ctx_table(ctx, tab);
		rung_table_free(tab);
	}
	for (i = 0; i < n; i++)
		rung_study_info_release(&v[i]);
	free(v);
	return RUNG_EXIT_OK;
}

const struct rung_cmd_entry rung_cmd_studies_entry = {
	.name = "studies",
	.usage = "",
	.summary = "list the studies in the database",
	.shortopts = "",
	.longopts = NULL,
	.minargs = 0,
	.maxargs = 0,
	.flags = RUNG_CMD_STORE_RO | RUNG_CMD_TABLE,
	.exec = cmd_studies_exec,
};
