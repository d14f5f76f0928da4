#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rung/cmd.h"
#include "rung/util.h"

static const struct option help_longopts[] = {
	{ NULL, 0, NULL, 0 }
};

static int
cmd_help_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	const struct rung_cmd_entry *const *e, *one;
	char		*cause;

	if (args->argc == 1) {
		if ((one = rung_cmd_find(args->argv[0], &cause)) == NULL) {
			rung_error("%s", cause);
			free(cause);
			return RUNG_EXIT_USAGE;
		}
		rung_cmd_usage(ctx->out, one);
		fprintf(ctx->out, "%s\n", one->summary);
		return RUNG_EXIT_OK;
	}
	fprintf(ctx->out, "usage: rung [-hqV] [-d database] command "
	    "[arguments]\n\ncommands:\n");
	for (e = rung_cmd_table; *e != NULL; e++)
		fprintf(ctx->out, "  %-10s %s\n", (*e)->name, (*e)->summary);
	fprintf(ctx->out, "\n'rung help command' shows a command's usage; "
	    "man rung has the rest.\n");
	return RUNG_EXIT_OK;
}

const struct rung_cmd_entry rung_cmd_help_entry = {
	.name = "help",
	.usage = "[command]",
	.summary = "list the commands, or show one command's usage",
	.shortopts = "",
	.longopts = help_longopts,
	.minargs = 0,
	.maxargs = 1,
	.flags = 0,
	.exec = cmd_help_exec,
};
