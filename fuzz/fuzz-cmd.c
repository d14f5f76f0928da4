/*
 * The command line, as the explorer's prompt reads it: the input is one
 * line, split as sh would (rung_split_line), then parsed against the
 * command table (rung_cmd_find and getopt_long through rung_cmd_parse)
 * without running the command; every option value then goes through the
 * readers the commands use (lists, integers, reals).
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/cmd.h"
#include "rung/tui.h"
#include "rung/xmalloc.h"

#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct rung_cmd_entry *e;
	struct rung_args args;
	char		*line, *cause = NULL, **argv, **copy, **list;
	int		 argc, i;
	size_t		 k, n;
	long		 l;
	double		 d;

	line = xstrndup((const char *)data, size);
	argv = rung_split_line(line, &argc, &cause);
	free(line);
	if (argv == NULL) {
		if (cause == NULL)
			abort();
		free(cause);
		return 0;
	}
	if (argc == 0) {
		rung_free_argv(argv);
		return 0;
	}
	/* getopt permutes argv: keep the pointers to free them. */
	copy = xcalloc((size_t)argc + 1, sizeof *copy);
	memcpy(copy, argv, (size_t)argc * sizeof *copy);
	if (rung_cmd_parse(argc, argv, &e, &args) == RUNG_EXIT_OK) {
		if (e == NULL || args.argc < e->minargs)
			abort();
		for (k = 0; k < args.nopts; k++) {
			if (!rung_args_has(&args, args.opts[k].id))
				abort();
			(void)rung_args_get(&args, args.opts[k].id);
			list = rung_args_list(&args, args.opts[k].id, &n);
			for (i = 0; list != NULL && list[i] != NULL; i++)
				free(list[i]);
			if ((size_t)i != n)
				abort();
			free(list);
			if (rung_args_int(&args, args.opts[k].id, LONG_MIN,
			    LONG_MAX, &l, &cause) != 0)
				free(cause);
			cause = NULL;
			(void)rung_args_int_opt(&args, e->name,
			    args.opts[k].id, "x", -1000, 1000, &l);
			(void)rung_args_real_opt(&args, e->name,
			    args.opts[k].id, "x", -INFINITY, INFINITY, 1,
			    "a number", &d);
		}
		for (i = 0; i < args.argc; i++) {
			if (args.argv[i] == NULL)
				abort();
		}
		rung_args_release(&args);
	}
	for (i = 0; i < argc; i++)
		free(copy[i]);
	free(copy);
	free(argv);
	return 0;
}
