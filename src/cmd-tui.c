#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rung/cmd.h"
#include "rung/tui.h"
#include "rung/util.h"

enum { OPT_LOGY = 256, OPT_ASCII, OPT_BENCH_KEYS, OPT_LIST_KEYS };

static const struct option tui_longopts[] = {
	{ "log-y", no_argument, NULL, OPT_LOGY },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "bench-keys", required_argument, NULL, OPT_BENCH_KEYS },
	{ "list-keys", no_argument, NULL, OPT_LIST_KEYS },
	{ NULL, 0, NULL, 0 }
};

static int
cmd_tui_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	struct rung_tui_opts o;
	struct rung_metric_sel sel;
	char		*cause = NULL;

	if (rung_args_has(args, OPT_LIST_KEYS)) {
		rung_tui_list_keys(ctx->out);
		return RUNG_EXIT_OK;
	}
	if (ctx->in_tui) {
		rung_error("tui: this is the explorer already");
		return RUNG_EXIT_USAGE;
	}
	memset(&o, 0, sizeof o);
	o.study = args->argc > 0 ? args->argv[0] : NULL;
	if (rung_args_metric(args, "tui", &sel) != 0)
		return RUNG_EXIT_USAGE;
	o.metric = sel.metric;
	o.direction = sel.direction;
	o.logy = rung_args_has(args, OPT_LOGY);
	o.ascii = rung_args_has(args, OPT_ASCII);
	if (rung_args_int(args, OPT_BENCH_KEYS, 1, 100000000, &o.bench_keys,
	    &cause) != 0) {
		rung_error("tui: --bench-keys: %s", cause);
		free(cause);
		return RUNG_EXIT_USAGE;
	}
	return rung_tui_run(ctx, &o);
}

const struct rung_cmd_entry rung_cmd_tui_entry = {
	.name = "tui",
	.usage = "[--log-y] [--ascii] [--bench-keys n] "
	    "[--list-keys] [study]",
	.summary = "explore the studies in a terminal: trials, curves, fits, "
	    "replays",
	.shortopts = "",
	.longopts = tui_longopts,
	.minargs = 0,
	.maxargs = 1,
	.flags = RUNG_CMD_METRIC,
	.exec = cmd_tui_exec,
};
