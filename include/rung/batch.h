/*
 * A batch collects what one import read, from any importer, before the store
 * writes it in a single transaction. Importers only call the functions below;
 * they never see SQL.
 *
 * Points arrive as rows (trial, step) carrying a value for any number of
 * metric columns, in any order, possibly repeated. A step read again is
 * merged into its row as it arrives (for each column the last value read
 * wins; every overwritten value is counted and reported), so that a batch
 * holds its distinct points, however many rows it reads; rung_batch_finish()
 * groups them by trial and sorts them by step.
 *
 * Parameters arrive per trial as typed values or as raw text tokens whose type
 * is inferred over the whole column (int if every token is written as an
 * integer, real if every token is a number, categorical otherwise). A trial
 * given a parameter again keeps the last value read; when it differs from
 * the one before, it is counted, and rung_batch_finish() warns.
 */
#ifndef RUNG_BATCH_H
#define RUNG_BATCH_H

#include <stdint.h>
#include <stddef.h>

#include "rung/study.h"

struct rung_batch;
struct rung_import_opts;

/* How a time column counts: seconds of each step, or since the start. */
enum rung_time_kind {
	RUNG_TIME_AUTO = 0,	/* decide from name, then from the values */
	RUNG_TIME_STEP,		/* seconds spent on this step */
	RUNG_TIME_CUMULATIVE,	/* seconds since the trial started */
	RUNG_TIME_ABSOLUTE,	/* a clock (Unix time): differences only */
};

struct rung_batch *rung_batch_new(void);
void		 rung_batch_free(struct rung_batch *);

/*
 * Sources: every file read. Trials created afterwards belong to the current
 * source (the first one that named them).
 */
void		 rung_batch_source(struct rung_batch *, const char *path,
		     const char *format, const char *digest, uint64_t size);
int		 rung_batch_source_pending(const struct rung_batch *);
void		 rung_batch_source_digest(struct rung_batch *,
		     const char *digest, uint64_t size);

/* Find or create a trial by external id. */
uint32_t	 rung_batch_trial(struct rung_batch *, const char *id);
void		 rung_batch_set_status(struct rung_batch *, uint32_t trial,
		     enum rung_status);
uint32_t	 rung_batch_ntrials(const struct rung_batch *);
const char	*rung_batch_trial_id(const struct rung_batch *, uint32_t trial);

/*
 * Metric columns. A candidate is a numeric column that may be a metric or a
 * hyperparameter: rung_batch_finish() keeps it as a metric when it varies
 * within some trial and turns it into a parameter otherwise (long CSV).
 */
uint32_t	 rung_batch_metric(struct rung_batch *, const char *name);
uint32_t	 rung_batch_candidate(struct rung_batch *, const char *name);
int		 rung_batch_find_metric(const struct rung_batch *, const char *);

/*
 * A row: one step of one trial, the one it has when the step was read
 * before. Values are then set per column; the first value an arrival sets
 * in a column that held one is a duplicate.
 */
uint32_t	 rung_batch_row(struct rung_batch *, uint32_t trial, int32_t step);

/*
 * The row of a record that starts: the importer uses no row it had before
 * from then on. The batch may first move the rows it holds to a spill file
 * (a temporary file, unlinked at once) when they pass its budget in bytes:
 * what rung_batch_budget set, else RUNG_BATCH_BUDGET in the environment,
 * else 64 MiB. Every importer calls it (or rung_batch_checkpoint, where a
 * record makes several rows: a line of a wide CSV), so that the rows it
 * holds stay bounded whatever the size of what it reads.
 */
uint32_t	 rung_batch_record(struct rung_batch *, uint32_t trial,
		     int32_t step);
/* The same spill, where no row made before is used again. */
void		 rung_batch_checkpoint(struct rung_batch *);
void		 rung_batch_budget(struct rung_batch *, size_t bytes);
/*
 * Memory that grows with the trials (a bit a trial, say): the batch keeps
 * its own so, and an importer that needs some asks for it here. On the
 * heap while the batch's trial memory fits half its budget, past it in a
 * temporary file mapped into memory, whose pages the batch lets go as it
 * goes. Grows block p (NULL: a new one) to bytes, its bytes kept and the
 * new ones zero; freed with rung_batch_mem_free, before the batch is.
 */
void		*rung_batch_mem_grow(struct rung_batch *, void *p, size_t bytes);
/*
 * Block p of *cap elements of size bytes grown, as XGROW grows an array,
 * to hold need at least: *cap doubled from 16 until it does.
 */
void		*rung_batch_mem_reserve(struct rung_batch *, void *p, size_t *cap,
		    size_t need, size_t size);
void		 rung_batch_mem_free(struct rung_batch *, void *p);
/*
 * Why reading a finished batch's spill file failed (a curve then came back
 * short), or NULL: the store checks it before it commits.
 */
const char	*rung_batch_failed(const struct rung_batch *);

void		 rung_batch_set(struct rung_batch *, uint32_t row,
		     uint32_t metric, double value);
/*
 * A cell of a candidate column, as text: numbers are kept as values, from
 * which a column that turns out to be a parameter takes each trial's value
 * (of the same type and, where it is text, the same text as its first
 * token). Text that is not a number makes the column categorical.
 */
void		 rung_batch_cell(struct rung_batch *, uint32_t row,
		     uint32_t metric, const char *, size_t);
/*
 * A cell of a candidate column, past the trial's first, as the number the
 * importer parsed (it saw no text in the column).
 */
void		 rung_batch_cand_set(struct rung_batch *, uint32_t row,
		     uint32_t metric, double);
/* Raw time value of a row, converted at finish by the time kind. */
void		 rung_batch_set_time(struct rung_batch *, uint32_t row, double);
void		 rung_batch_time_kind(struct rung_batch *, enum rung_time_kind,
		     const char *column_name);

/* Parameters. */
uint32_t	 rung_batch_param(struct rung_batch *, const char *name);
/* Declared type and scale (Optuna distributions); otherwise inferred. */
void		 rung_batch_param_decl(struct rung_batch *, uint32_t param,
		     enum rung_ptype, int log);
void		 rung_batch_param_int(struct rung_batch *, uint32_t trial,
		     uint32_t param, int64_t);
void		 rung_batch_param_real(struct rung_batch *, uint32_t trial,
		     uint32_t param, double);
void		 rung_batch_param_text(struct rung_batch *, uint32_t trial,
		     uint32_t param, const char *);
/* A token read from text (CSV): typed by inference over the column. */
void		 rung_batch_param_token(struct rung_batch *, uint32_t trial,
		     uint32_t param, const char *, size_t);

/*
 * How a metric's direction was decided: told by --direction, declared by the
 * source (Optuna's directions), told by a word of its name (val_acc), the
 * study's (no word tells), kept from the study the metric was in before, or
 * lower is better for a metric of interest that nothing tells.
 */
enum rung_dir_how {
	RUNG_DIR_STUDY = 0,
	RUNG_DIR_TOLD,
	RUNG_DIR_DECLARED,
	RUNG_DIR_NAME,
	RUNG_DIR_KEPT,
	RUNG_DIR_DEFAULT,	/* the metric of interest, no word tells: min */
};
const char	*rung_dir_how_name(enum rung_dir_how);

/* A metric column's direction as the source declares it. */
void		 rung_batch_metric_direction(struct rung_batch *,
		     uint32_t metric, enum rung_direction);
/*
 * The metric of interest and its direction as the source declares them
 * (Optuna's objective): used when the options name none.
 */
void		 rung_batch_interest(struct rung_batch *, const char *metric,
		     enum rung_direction);

/*
 * The metrics of the study the batch goes into: a candidate of one of
 * these names stays a metric even where it is constant in every trial read
 * (a run's first point, followed; a one-step trial added to a study).
 */
void		 rung_batch_known(struct rung_batch *, char *const *names,
		     size_t n);
/*
 * Finish: group, sort and merge rows, resolve candidates and time, choose
 * the metric of interest and its direction (opts, else guessed). Returns -1
 * with *cause when the batch cannot make a study (no metric, say).
 */
int		 rung_batch_finish(struct rung_batch *,
		     const struct rung_import_opts *, char **cause);

/*
 * After finish: the read-only view the store writes from.
 */
struct rung_batch_source {
	char		*path;
	char		*format;
	char		*digest;
	uint64_t	 size;
};

struct rung_batch_value {
	enum rung_ptype	 type;	/* RUNG_PCAT for text */
	int		 set;
	int64_t		 i;
	double		 d;
	char		*text;
};

struct rung_batch_view {
	const char	*metric;		/* metric of interest */
	enum rung_direction direction;
	uint32_t	 nsources;
	const struct rung_batch_source *sources;
	uint32_t	 ntrials;
	uint32_t	 nmetrics;
	uint32_t	 nparams;
	uint64_t	 npoints;		/* non-missing metric values */
	uint64_t	 nduplicates;		/* values overwritten by a later one */
	uint64_t	 nparam_conflicts;	/* parameter values, likewise */
	int		 has_time;
};

void		 rung_batch_view(const struct rung_batch *,
		     struct rung_batch_view *);
const char	*rung_batch_metric_name(const struct rung_batch *, uint32_t);
/* Metric m's direction, how it was decided, and the word that told. */
enum rung_direction rung_batch_metric_dir(const struct rung_batch *,
		     uint32_t m, enum rung_dir_how *, const char **word);
const char	*rung_batch_param_name(const struct rung_batch *, uint32_t);
enum rung_ptype	 rung_batch_param_type(const struct rung_batch *, uint32_t);
int		 rung_batch_param_log(const struct rung_batch *, uint32_t);
enum rung_status rung_batch_trial_status(const struct rung_batch *, uint32_t);
uint32_t	 rung_batch_trial_source(const struct rung_batch *, uint32_t);
/* Value of a parameter for a trial, typed by the column's final type. */
void		 rung_batch_trial_param(const struct rung_batch *, uint32_t trial,
		     uint32_t param, struct rung_batch_value *);
/*
 * The points of one metric of one trial, sorted by step, missing ones left
 * out. Returns the count; steps and vals point into a scratch area that the
 * next call overwrites.
 */
uint32_t	 rung_batch_curve(struct rung_batch *, uint32_t trial,
		     uint32_t metric, const int32_t **steps,
		     const double **vals);
/* Seconds per step of a trial, aligned with its sorted rows. */
uint32_t	 rung_batch_times(struct rung_batch *, uint32_t trial,
		     const int32_t **steps, const double **secs);

#endif
