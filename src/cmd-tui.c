#include "config.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include "rung/cmd.h"
#include "rung/import.h"
#include "rung/store.h"
#include "rung/xmalloc.h"
#include "rung/tui.h"
#include "rung/util.h"

enum { OPT_LOGY = 256, OPT_ASCII, OPT_BENCH_KEYS, OPT_LIST_KEYS, OPT_FOLLOW };

static const struct option tui_longopts[] = {
	{ "log-y", no_argument, NULL, OPT_LOGY },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "bench-keys", required_argument, NULL, OPT_BENCH_KEYS },
	{ "list-keys", no_argument, NULL, OPT_LIST_KEYS },
	{ "follow", no_argument, NULL, OPT_FOLLOW },
	{ NULL, 0, NULL, 0 }
};

/*
 * --follow PATH, where PATH names no study: imported as rung import
 * --follow would (into the study named after it), then followed. *study
 * is the study it went into.
 */
static int
import_path(struct rung_ctx *ctx, const char *path, char **study,
    char **cause)
{
	struct rung_import_opts	 io;
	struct rung_import_report rep;

	rung_import_opts_init(&io);
	io.follow = 1;
	if (rung_import(ctx->store, &path, 1, &io, &rep, cause) != 0)
		return -1;
	*study = rep.nstudies > 0 ? xstrdup(rep.studies[0].study) : NULL;
	rung_import_report_release(&rep);
	if (*study == NULL) {
		xasprintf(cause, "%s: nothing to import", path);
		return -1;
	}
	return 0;
}

/*
 * --follow: the sources the study was imported from followed on a thread
 * while the explorer runs (each read by the format it was imported as,
 * when they share one). An operand that names no study but a file or
 * directory is imported first, then followed.
 */
static int
tui_follow(struct rung_ctx *ctx, struct rung_tui_opts *o)
{
	struct rung_study_info info;
	struct stat	 sb;
	char		**paths = NULL, **formats = NULL, *cause = NULL;
	char		*made = NULL;
	size_t		 n = 0, i;
	int		 ret = RUNG_EXIT_ERROR, fmt = RUNG_FMT_AUTO, rc;

	if (o->study == NULL) {
		rung_error("tui: --follow follows the sources of a study: name "
		    "it, or a file or directory (rung tui --follow STUDY|PATH)");
		return RUNG_EXIT_USAGE;
	}
	if (rung_ctx_store(ctx, 0, &cause) != 0)
		goto fail;
	if ((rc = rung_store_study(ctx->store, o->study, &info, &cause)) < 0)
		goto fail;
	if (rc == 0)
		rung_study_info_release(&info);
	else if (stat(o->study, &sb) == 0) {
		/* The path itself is followed: runs appear in a folder. */
		if (import_path(ctx, o->study, &made, &cause) != 0)
			goto fail;
		paths = xcalloc(1, sizeof *paths);
		formats = xcalloc(1, sizeof *formats);
		paths[0] = xstrdup(o->study);
		formats[0] = xstrdup("auto");
		n = 1;
		o->study = made;
	}
	if (made == NULL && rung_store_source_paths(ctx->store, o->study,
	    &paths, &formats, &n, &cause) != 0) {
fail:
		rung_error("tui: --follow: %s", cause);
		free(cause);
		free(made);
		return RUNG_EXIT_ERROR;
	}
	if (n == 0) {
		rung_error("tui: --follow: study '%s' has no source to follow "
		    "(it was made by rung launch, or does not exist)",
		    o->study);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (i == 0)
			fmt = rung_format_parse(formats[i]);
		else if (rung_format_parse(formats[i]) != fmt)
			fmt = RUNG_FMT_AUTO;
	}
	if (rung_tui_follow_start(rung_store_path(ctx->store), paths, n,
	    o->study, fmt < 0 ? RUNG_FMT_AUTO : (enum rung_format)fmt,
	    &cause) != 0) {
		rung_error("tui: --follow: %s", cause);
		free(cause);
		goto out;
	}
	ret = rung_tui_run(ctx, o);
	rung_tui_follow_stop();
out:
	for (i = 0; i < n; i++) {
		free(paths[i]);
		free(formats[i]);
	}
	free(paths);
	free(formats);
	free(made);
	return ret;
}

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
	if (rung_args_has(args, OPT_FOLLOW))
		return tui_follow(ctx, &o);
	return rung_tui_run(ctx, &o);
}

const struct rung_cmd_entry rung_cmd_tui_entry = {
	.name = "tui",
	.usage = "[--log-y] [--ascii] [--bench-keys n] "
	    "[--list-keys] [--follow] [study]",
	.summary = "explore the studies in a terminal: trials, curves, fits, "
	    "replays",
	.shortopts = "",
	.longopts = tui_longopts,
	.minargs = 0,
	.maxargs = 1,
	.flags = RUNG_CMD_METRIC,
	.exec = cmd_tui_exec,
};
