/*
 * The command table. One entry per command (cmd-NAME.c), holding its name,
 * usage, options and handler: the shell, the TUI prompt (and its completion)
 * and the man page synopsis all read this table.
 */
#ifndef RUNG_CMD_H
#define RUNG_CMD_H

#include <stdio.h>
#include <getopt.h>

#include "rung/study.h"

struct rung_fit_opts;
struct rung_featspec;
struct rung_store;
struct rung_sched_params;
struct rung_table;

#define RUNG_EXIT_OK	0
#define RUNG_EXIT_ERROR	1	/* bad input, failed work */
#define RUNG_EXIT_USAGE	2	/* bad command line */

/* Options parsed from a command line. */
struct rung_args {
	int		  argc;		/* operands */
	char		**argv;
	size_t		  nopts;
	struct rung_arg_opt {
		int	  id;		/* short letter, or a long option's val */
		char	 *value;	/* NULL for flags */
	}		 *opts;
};

int		 rung_args_has(const struct rung_args *, int id);
/* Last value given for id, or NULL. */
const char	*rung_args_get(const struct rung_args *, int id);
/* Every value of id, comma-separated lists split; caller frees the array. */
char		**rung_args_list(const struct rung_args *, int id, size_t *n);
/* Parse an option value as a number with a message naming the option. */
int		 rung_args_int(const struct rung_args *, int id, long lo,
		     long hi, long *out, char **cause);
/*
 * The same, saying "CMD: --NAME: ..." itself on a bad value; the real one
 * takes [lo, hi], or (lo, hi] with lo_open, and names what it expected.
 */
int		 rung_args_int_opt(const struct rung_args *, const char *cmd,
		     int id, const char *name, long lo, long hi, long *out);
int		 rung_args_real_opt(const struct rung_args *, const char *cmd,
		     int id, const char *name, double lo, double hi,
		     int lo_open, const char *expect, double *out);
/*
 * The options every policy takes, named alike by replay and launch:
 * --eta, --min-steps, --variant, --rule, --min-curves, --keep-full,
 * --known-curve, --delta, --svr-train and --svr (their ids in the command's
 * table) into p.
 * -1 with the error said ("CMD: --eta must be ...").
 */
struct rung_sched_optids {
	int	 eta, min_r, variant, rule, min_curves, keep_full, known_curve,
		 delta, svr_train, svr;
};
int		 rung_args_sched(const struct rung_args *, const char *cmd,
		     const struct rung_sched_optids *,
		     struct rung_sched_params *p);
/* A policy's name, or -1 with "CMD: OPT: unknown policy 'x' (...)" said. */
int		 rung_args_policy(const char *cmd, const char *opt,
		     const char *v);
void		 rung_args_release(struct rung_args *);
/*
 * The fit group's settings into fo, from its defaults: RUNG_EXIT_OK, or
 * RUNG_EXIT_USAGE with the error said ("CMD: --nu must be ..."). The
 * target and the parameters of Baker's features need the study: then
 * rung_args_fit_target and rung_args_fit_params.
 */
int		 rung_args_fit(const struct rung_args *, const char *cmd,
		     struct rung_fit_opts *fo);
/*
 * --svr's word into p's type (a QSVR's fixed settings with it); -1 with
 * "CMD: --svr must be ..." said.
 */
struct rung_svr_params;
int		 rung_args_svr(const char *cmd, const char *v,
		     struct rung_svr_params *p);
/*
 * --target, else the study's last step: an exit status, *cause set for
 * RUNG_EXIT_ERROR (a study with no step to predict).
 */
int		 rung_args_fit_target(const struct rung_args *, const char *cmd,
		     const struct rung_study *, struct rung_fit_opts *fo,
		     char **cause);
/*
 * The parameters of Baker's features (f's from rung_featspec_params):
 * --params, else every one but categorical ones with a level for nearly
 * every trial; verbose says which are left out. 0, or -1 with *cause.
 */
int		 rung_args_fit_params(const struct rung_args *,
		     const struct rung_study *, struct rung_featspec *f,
		     int verbose, char **cause);

/*
 * Options that several commands take are spelt once, here, and a command
 * takes a group of them by a flag of its entry (RUNG_CMD_METRIC...): its own
 * table lists only what is its own. rung.1's vocabulary table lists them
 * all, and tests/t0090-man.sh holds every command to it.
 */
#define RUNG_OPT_METRIC		'm'
#define RUNG_OPT_OUTPUT		'o'
#define RUNG_OPT_DIRECTION	0x1000
#define RUNG_OPT_JSON		0x1001
#define RUNG_OPT_CSV		0x1002
/* The fit group: how a predictor is fitted (fit, plot predictions|sweep). */
#define RUNG_OPT_TARGET		0x1003
#define RUNG_OPT_FEATURES	0x1004
#define RUNG_OPT_PARAMS		0x1005
#define RUNG_OPT_SVR		0x1006
#define RUNG_OPT_C		0x1007
#define RUNG_OPT_NU		0x1008
#define RUNG_OPT_EPSILON	0x1009
#define RUNG_OPT_GAMMA		0x100a
#define RUNG_OPT_SEARCH		0x100b
#define RUNG_OPT_FOLDS		0x100c
#define RUNG_OPT_TRAIN		0x100d
#define RUNG_OPT_REPEATS	0x100e
#define RUNG_OPT_SEED		0x100f
#define RUNG_OPT_TEST		0x1012
/* importance's, shared by plot importance. */
#define RUNG_OPT_METHOD		0x1010
#define RUNG_OPT_QUANTILE	0x1011
#define RUNG_OPT_JOBS		'j'

/* How a command prints its table: --json, --csv, or aligned text. */
enum rung_out_format {
	RUNG_OUT_TEXT = 0,
	RUNG_OUT_JSON,
	RUNG_OUT_CSV,
};

/* Where a command runs: the shell, or the TUI prompt. */
struct rung_ctx {
	const char	*db_path;	/* -d or RUNG_DB or rung.db */
	struct rung_store *store;	/* opened on first use */
	FILE		*out;		/* listings */
	int		 tty;		/* out is a terminal */
	int		 progress;	/* stderr is a terminal: draw progress */
	int		 in_tui;
	enum rung_out_format format;	/* --json, --csv: set per command */
};

#define RUNG_CMD_STORE		0x1	/* opens the database */
#define RUNG_CMD_STORE_RO	0x2	/* ... read-only, must exist */
#define RUNG_CMD_METRIC		0x4	/* reads a metric: -m, --direction */
#define RUNG_CMD_TABLE		0x8	/* prints a table: --json, --csv, -o */
#define RUNG_CMD_JSON		0x10	/* prints a report: --json */
#define RUNG_CMD_OUTPUT		0x20	/* writes a file it names: -o */
/*
 * Fits a predictor: --target, --features, --params, --svr, --C, --nu,
 * --epsilon, --gamma, --search, --folds, --train, --repeats, --seed, -j.
 * Its usage places them among its own, where rung.1 has them.
 */
#define RUNG_CMD_FIT		0x40

struct rung_cmd_entry {
	const char		*name;
	const char		*alias;
	const char		*usage;		/* after "rung NAME " */
	const char		*summary;	/* one line */
	const char		*shortopts;	/* getopt string */
	const struct option	*longopts;
	int			 minargs;
	int			 maxargs;	/* -1: any */
	int			 flags;
	int			(*exec)(struct rung_ctx *, struct rung_args *);
};

extern const struct rung_cmd_entry *const rung_cmd_table[];

const struct rung_cmd_entry *rung_cmd_find(const char *name, char **cause);
/* Parse argv (argv[0] is the command name) and run it; returns exit status. */
int		 rung_cmd_run(struct rung_ctx *, int argc, char **argv);
/*
 * Only parse it: the command and its options into *args (free with
 * rung_args_release), RUNG_EXIT_OK; or RUNG_EXIT_USAGE, the error said.
 * getopt permutes argv.
 */
int		 rung_cmd_parse(int argc, char **argv,
		     const struct rung_cmd_entry **, struct rung_args *args);
/* Open ctx->store if needed. */
int		 rung_ctx_store(struct rung_ctx *, int readonly, char **cause);
void		 rung_ctx_release(struct rung_ctx *);
/* "usage: rung NAME [shared options] USAGE" */
void		 rung_cmd_usage(FILE *, const struct rung_cmd_entry *);
/* The same, after "rung " and without a newline; the caller frees it. */
char		*rung_cmd_synopsis(const struct rung_cmd_entry *);
/*
 * Every long option the command takes, its own and its groups', ended by
 * a zeroed entry; the caller frees the array (not the names).
 */
struct option	*rung_cmd_longopts(const struct rung_cmd_entry *);
/* The getopt string of the same, ':' first; the caller frees it. */
char		*rung_cmd_shortopts(const struct rung_cmd_entry *);

/*
 * The metric a command reads: -m NAME (NULL: the metric of interest) and
 * --direction (0: the metric's own). -1 with the error said.
 */
struct rung_metric_sel {
	const char		*metric;
	enum rung_direction	 direction;
};
int		 rung_args_metric(const struct rung_args *, const char *cmd,
		     struct rung_metric_sel *);
/*
 * Load a study for a command, the metric as -m and --direction say; an
 * unknown metric is an error naming those the study has. Without -m, a
 * command that reads curves (curves set) reads those of
 * rung_store_curve_metric(), and says so when that is not the metric of
 * interest.
 */
int		 rung_ctx_load(struct rung_ctx *, const char *study,
		     const struct rung_args *, int curves,
		     struct rung_study **, char **cause);
/* Print a table as the command was asked: aligned text, or CSV. */
void		 rung_ctx_table(struct rung_ctx *, struct rung_table *);

/* The commands. */
extern const struct rung_cmd_entry rung_cmd_import_entry;
extern const struct rung_cmd_entry rung_cmd_studies_entry;
extern const struct rung_cmd_entry rung_cmd_trials_entry;
extern const struct rung_cmd_entry rung_cmd_watch_entry;
extern const struct rung_cmd_entry rung_cmd_importance_entry;
extern const struct rung_cmd_entry rung_cmd_show_entry;
extern const struct rung_cmd_entry rung_cmd_export_entry;
extern const struct rung_cmd_entry rung_cmd_fit_entry;
extern const struct rung_cmd_entry rung_cmd_models_entry;
extern const struct rung_cmd_entry rung_cmd_predict_entry;
extern const struct rung_cmd_entry rung_cmd_replay_entry;
extern const struct rung_cmd_entry rung_cmd_replays_entry;
extern const struct rung_cmd_entry rung_cmd_plot_entry;
extern const struct rung_cmd_entry rung_cmd_launch_entry;
extern const struct rung_cmd_entry rung_cmd_tui_entry;
extern const struct rung_cmd_entry rung_cmd_help_entry;

#endif
