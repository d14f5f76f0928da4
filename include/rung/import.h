/*
 * Importers: read trial histories from files into a batch. Each format has
 * one function; rung_import() detects the format, skips files imported
 * before, and hands the batch to the store in one transaction.
 */
#ifndef RUNG_IMPORT_H
#define RUNG_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "rung/batch.h"

struct rung_store;

enum rung_format {
	RUNG_FMT_AUTO = 0,
	RUNG_FMT_LONG_CSV,
	RUNG_FMT_WIDE_CSV,
	RUNG_FMT_JSON,		/* one document: a list of trials, or one trial */
	RUNG_FMT_JSONL,		/* one trial per line */
	RUNG_FMT_OPTUNA,
	RUNG_FMT_OPTUNA_JOURNAL,
	RUNG_FMT_RAYTUNE,
	RUNG_FMT_RUNS,		/* a folder per run, each holding a log */
	RUNG_FMT_TENSORBOARD,	/* a log directory of event files */
	RUNG_FMT_MLFLOW,	/* an mlruns directory (file store) */
	RUNG_FMT_HPBANDSTER,	/* configs.json + results.json */
};

const char	*rung_format_name(enum rung_format);
int		 rung_format_parse(const char *);	/* -1 if unknown */
/* Every name -f takes, comma-separated, in a static buffer. */
const char	*rung_format_names(void);

struct rung_import_opts {
	const char	*study;		/* -s; default: stem of the first path */
	enum rung_format format;	/* -f */
	const char	*metric;	/* -m: metric of interest */
	enum rung_direction direction;	/* 0: keep the study's, else guess */
	int		 replace;	/* --replace */
	/*
	 * --follow: a source read before is skipped without a word, and one
	 * that changed replaces its trials and its old row of sources.
	 */
	int		 follow;

	/* CSV columns; NULL: detect by name. */
	const char	*trial_col;	/* --trial-col */
	const char	*step_col;	/* --step-col */
	const char	*time_col;	/* --time-col */
	enum rung_time_kind time_kind;	/* --time-kind */
	const char	*status_col;	/* --status-col */
	const char	*steps_col;	/* --steps-col: a list of steps (wide) */
	char		**metrics;	/* --metrics a,b: columns that are metrics */
	size_t		 nmetrics;
	char		**params;	/* --params a,b: columns that are parameters */
	size_t		 nparams;
	char		**ignore;	/* --ignore a,b: columns left out */
	size_t		 nignore;
	const char	*curve_prefix;	/* --curve-prefix (wide CSV) */
	int		 first_step;	/* --first-step */
	int		 first_step_set;

	/* JSON field mapping, dotted paths; NULL: detect. */
	const char	*j_curve;	/* --curve: array, or several a,b */
	const char	*j_time;	/* --time */
	const char	*j_steps;	/* --steps: array of step numbers */
	const char	*j_params;	/* --params-field: object of parameters */
	const char	*j_id;		/* --id */
	const char	*j_status;	/* --status-field */

	/* Optuna and Ray Tune. */
	const char	*optuna_study;	/* --study */
	int		 objective;	/* --objective */
	int		 objective_set;
	const char	*x_key;		/* --x */

	/* Directories, MLflow, array cells. */
	char		**include;	/* --include GLOB (repeatable) */
	size_t		 ninclude;
	char		**exclude;	/* --exclude GLOB (repeatable) */
	size_t		 nexclude;
	const char	*experiment;	/* --experiment (MLflow) */
	const char	*params_file;	/* --params-file: parameters to join */
	const char	*join;		/* --join COL: the key of that join */

	int		 progress;	/* draw progress (a terminal) */
	/*
	 * Set by rung_import when it reads several files: ids made from a
	 * position in a file (no id column or field) get the file's stem as
	 * a prefix, "stem:index", so that files do not merge.
	 */
	int		 multi_file;
	/*
	 * Set by rung_import for each file: the name of the trials the file
	 * holds without an id (its stem, or the part of its path that tells
	 * it from the other files: version_3 of
	 * lightning_logs/version_3/metrics.csv), and another file of the
	 * import that has the same name, if any. Importers get the name
	 * through rung_import_file_trial().
	 */
	const char	*file_name;
	const char	*file_twin;
};

void		 rung_import_opts_init(struct rung_import_opts *);

/* A metric an import wrote, and how its direction was decided. */
struct rung_metric_report {
	char		*name;
	enum rung_direction direction;
	enum rung_dir_how how;
	const char	*word;		/* RUNG_DIR_NAME: the word that told */
};

/* What an import did to one study. */
struct rung_study_report {
	char		*study;
	size_t		 nmetrics;
	struct rung_metric_report *metrics;
	int		 created;	/* the study was new */
	uint32_t	 trials;		/* written */
	uint32_t	 replaced_trials;
	/* --follow: read again as they were, so not written. */
	uint32_t	 unchanged_trials;
	uint64_t	 points;	/* values of every metric written */
	uint64_t	 duplicates;
};
void		 rung_study_report_release(struct rung_study_report *);

/* What an import did. */
struct rung_import_report {
	uint32_t	 files;
	uint32_t	 skipped_files;	/* imported before, nothing added */
	size_t		 nstudies;
	struct rung_study_report *studies;
};
void		 rung_import_report_release(struct rung_import_report *);

/*
 * Some sources hold several studies (an Optuna storage): their reader gives
 * one unit per study, each with its own batch.
 */
struct rung_import_unit {
	char		*study;
	struct rung_batch *batch;
};

/*
 * The name of the trials a file holds without an id (why says what is
 * missing: "no trial column"): the name rung_import gave the file, else its
 * stem. NULL with *cause when another file of the import has the same name:
 * their trials would merge.
 */
char		*rung_import_file_trial(const struct rung_import_opts *,
		     const char *path, const char *why, char **cause);

/*
 * Detect a file's format from its content (first bytes, CSV header). -1
 * with *cause for a file that cannot be read, RUNG_DETECT_UNKNOWN for one
 * of no layout rung knows (a LICENSE beside the logs, a binary file).
 */
#define RUNG_DETECT_UNKNOWN	(-2)
int		 rung_detect_format(const char *path,
		     const struct rung_import_opts *, enum rung_format *,
		     char **cause);

/*
 * A follower's end: what the importers kept between its increments (the
 * replay of a journal) is let go.
 */
void		 rung_import_follow_end(void);
/*
 * Import paths into the store (one transaction). On error the store is left
 * exactly as it was, and *cause names the file, line and field.
 */
int		 rung_import(struct rung_store *, const char *const *paths,
		     size_t npaths, const struct rung_import_opts *,
		     struct rung_import_report *, char **cause);

/*
 * The layout of a CSV file from its header (and first row): RUNG_FMT_LONG_CSV
 * when it has a step column (or --step-col), RUNG_FMT_WIDE_CSV when it has
 * indexed curve columns (loss_0, loss_1, ...) or lists in its cells;
 * RUNG_DETECT_UNKNOWN with *cause when it has none, -1 when it cannot be
 * read.
 */
int		 rung_csv_layout(const char *path,
		     const struct rung_import_opts *, enum rung_format *,
		     char **cause);

/* Per-format readers: add what path holds to the batch. */
int		 rung_import_long_csv(struct rung_batch *, const char *path,
		     const struct rung_import_opts *, char **cause);
int		 rung_import_wide_csv(struct rung_batch *, const char *path,
		     const struct rung_import_opts *, char **cause);
int		 rung_import_json(struct rung_batch *, const char *path,
		     int lines, const struct rung_import_opts *, char **cause);
/*
 * An Optuna storage (SQLite file, or JournalStorage file when journal is
 * set): one unit per study read, each batch with its source registered.
 */
int		 rung_import_optuna(const char *path, int journal,
		     const char *digest, uint64_t size,
		     const struct rung_import_opts *,
		     struct rung_import_unit **units, size_t *nunits,
		     char **cause);
/* Is dir a Ray Tune experiment directory? */
int		 rung_raytune_detect(const char *dir);
/* Is path a file of a Ray Tune experiment that its digest covers? */
int		 rung_raytune_file(const char *path);
/* A Ray Tune experiment directory into the batch (source registered). */
int		 rung_import_raytune(struct rung_batch *, const char *dir,
		     const struct rung_import_opts *, char **cause);
/* Is path a parameter file of a run folder (hparams.yaml, params.json)? */
int		 rung_runs_param_file(const char *path);
/*
 * The parameters of the run whose log is log, from the parameter files of
 * its folder and the folders above it, down to the first rootlen bytes of
 * its path, onto trials t0 to t1 - 1.
 */
int		 rung_runs_params(struct rung_batch *, uint32_t t0, uint32_t t1,
		     const char *log, size_t rootlen, char **cause);
/* The same from folder dir up: how many files were read, or -1. */
int		 rung_runs_dir_params(struct rung_batch *, uint32_t t0,
		     uint32_t t1, const char *dir, size_t rootlen,
		     char **cause);
/* Is dir an HpBandSter results directory (configs.json, results.json)? */
int		 rung_hpbandster_detect(const char *dir);
int		 rung_hpbandster_file(const char *path);
/* Its runs into the batch: a trial per config_id, a step per budget. */
int		 rung_import_hpbandster(struct rung_batch *, const char *dir,
		     const struct rung_import_opts *, char **cause);
/* Is dir an MLflow file store (mlruns), or one experiment folder of one? */
int		 rung_mlflow_detect(const char *dir);
/* Is path a file of an mlruns folder that its digest covers? */
int		 rung_mlflow_file(const char *path);
/* An mlruns folder: one unit per experiment read (source registered). */
int		 rung_import_mlflow(const char *path, const char *digest,
		     uint64_t size, const struct rung_import_opts *,
		     struct rung_import_unit **units, size_t *nunits,
		     char **cause);
/*
 * TensorBoard log directories (import-tensorboard.c): is there an event
 * file under dir; is path an event file or a parameter file beside one;
 * are buf's first bytes an event file's.
 */
int		 rung_tensorboard_detect(const char *dir);
int		 rung_tensorboard_file(const char *path);
int		 rung_tensorboard_sniff(const void *buf, size_t len);
/* A log directory, or one event file, into the batch: a trial per run. */
int		 rung_import_tensorboard(struct rung_batch *, const char *path,
		     const struct rung_import_opts *, char **cause);
/*
 * Every event file under dir into one trial (a Ray Tune trial folder
 * without result.json): *nevents, the events that held a point, and
 * *last, their largest step.
 */
int		 rung_tensorboard_trial(struct rung_batch *, uint32_t trial,
		     const char *dir, const struct rung_import_opts *,
		     uint64_t *nevents, int32_t *last, char **cause);

#endif
