/*
 * rung: explore, predict and replay hyperparameter-optimization studies.
 */
#include "config.h"

#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rung/cmd.h"
#include "rung/util.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: rung [-hqV] [-d database] command [arguments]\n"
	    "       rung help [command]\n");
}

int
main(int argc, char **argv)
{
	struct rung_ctx	 ctx;
	int		 c, ret;
	static const struct option longopts[] = {
		{ "database", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};

	setlocale(LC_ALL, "");
	/* A closed pipe (rung trials | head) ends rung quietly. */
	signal(SIGPIPE, SIG_DFL);
	memset(&ctx, 0, sizeof ctx);
	ctx.out = stdout;
	ctx.tty = isatty(STDOUT_FILENO);
	ctx.progress = isatty(STDERR_FILENO);

	/* "+": options after the command name belong to the command. */
	while ((c = getopt_long(argc, argv, "+d:qVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			ctx.db_path = optarg;
			break;
		case 'q':
			rung_quiet = 1;
			ctx.progress = 0;
			break;
		case 'V':
			printf("rung %s\n", PACKAGE_VERSION);
			return RUNG_EXIT_OK;
		case 'h':
			usage(stdout);
			return RUNG_EXIT_OK;
		default:
			usage(stderr);
			return RUNG_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		/* On a terminal, no command opens the explorer. */
		static char *tui_argv[] = { "tui", NULL };

		ret = rung_cmd_run(&ctx, 1, tui_argv);
		rung_ctx_release(&ctx);
		return ret;
	}
	if (argc == 0) {
		usage(stderr);
		fprintf(stderr, "'rung help' lists the commands.\n");
		return RUNG_EXIT_USAGE;
	}
	ret = rung_cmd_run(&ctx, argc, argv);
	rung_ctx_release(&ctx);
	if (fflush(stdout) != 0 && ret == RUNG_EXIT_OK) {
		rung_error("cannot write the output");
		ret = RUNG_EXIT_ERROR;
	}
	return ret;
}
