/*
 * The store: one SQLite file per workspace (rung.db, -d or RUNG_DB). Schema
 * in man/rung.5. Curves are kept as packed arrays, one row per (trial,
 * metric), so that loading a study is a copy and an import of millions of
 * points is a few thousand inserts.
 */
#ifndef RUNG_STORE_H
#define RUNG_STORE_H

#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "rung/study.h"

struct rung_batch;
struct rung_import_opts;
struct rung_study_report;

#define RUNG_SCHEMA_VERSION 10

struct rung_store;

#define RUNG_STORE_READONLY 0x1
#define RUNG_STORE_MUSTEXIST 0x2
/*
 * A database in memory, for the fuzz targets: path only names it in
 * messages. No path opens one (a database from -d is always a file).
 */
#define RUNG_STORE_MEMORY 0x4

/* The database path: -d, else $RUNG_DB, else ./rung.db. */
const char	*rung_store_default_path(const char *opt);
int		 rung_store_open(const char *path, int flags,
		     struct rung_store **, char **cause);
void		 rung_store_close(struct rung_store *);
const char	*rung_store_path(struct rung_store *);
/* Opened with RUNG_STORE_READONLY: no statement may write. */
int		 rung_store_readonly(struct rung_store *);
/* Sets *cause to "PATH: SQLite's last message"; returns -1. */
int		 rung_store_error(struct rung_store *, char **cause);

struct rung_study_info {
	int64_t		 id;
	char		*name;
	char		*metric;
	char		*source;
	enum rung_direction direction;
	int64_t		 ntrials;
	int64_t		 npoints;
	int32_t		 max_step;
	char		*created;
};
void		 rung_study_info_release(struct rung_study_info *);

int		 rung_store_studies(struct rung_store *,
		     struct rung_study_info **, size_t *, char **cause);
/* 0 found, 1 no such study, -1 error. */
int		 rung_store_study(struct rung_store *, const char *name,
		     struct rung_study_info *, char **cause);
/*
 * Metric names of a study, metric of interest first, and each one's
 * direction (dirs may be NULL; the caller frees both).
 */
int		 rung_store_metrics(struct rung_store *, int64_t study,
		     char ***names, enum rung_direction **dirs, size_t *n,
		     char **cause);
/*
 * The metric whose curves a study's curve commands read by default: the
 * metric of interest when a trial has more than one point of it, else the
 * first metric with such a curve (Optuna's intermediate values), else the
 * metric of interest. *name is NULL for no such study; *other (may be
 * NULL) says whether it is another than the metric of interest.
 */
int		 rung_store_curve_metric(struct rung_store *, const char *study,
		     char **name, int *other, char **cause);
/*
 * The metrics of a study other than except that hold one point a trial at
 * most, and some point (Optuna's other objectives, a final test score), in
 * the order they came; the caller frees names and the array.
 */
int		 rung_store_final_metrics(struct rung_store *, int64_t study,
		     const char *except, char ***names, size_t *n,
		     char **cause);
/* A metric's direction: 0, 1 when the study has no such metric, or -1. */
int		 rung_store_metric_direction(struct rung_store *,
		     int64_t study, const char *metric, enum rung_direction *,
		     char **cause);

/*
 * Load a study into memory; metric NULL loads the metric of interest.
 * Its best values, and study->direction, follow dir, or the metric's own
 * direction when dir is 0. "no such study 'x'" is an error with a cause.
 */
int		 rung_store_load(struct rung_store *, const char *name,
		     const char *metric, enum rung_direction dir,
		     struct rung_study **, char **cause);
/*
 * The study read light, for a first look at a big one: its trials, the
 * parameters of its first params trials (the others' unset), its curves'
 * summaries (schema 10: each trial's points, last step, final and best),
 * and the points of the trials that want marks alone (called once the
 * summaries are read, in the same read transaction, with the study so far
 * and a zeroed mark a trial). The other trials' points are not read: their
 * range of curve.off is allocated, never written, and curve.last holds
 * their last steps. secs is NULL. What needs every curve or parameter
 * reads the study whole (rung_store_load).
 */
int		 rung_store_load_light(struct rung_store *, const char *name,
		     const char *metric, enum rung_direction dir,
		     uint32_t params,
		     void (*want)(const struct rung_study *, uint8_t *mark,
		     void *arg), void *arg, struct rung_study **,
		     char **cause);
/*
 * The trials of a loaded study that changed since it was read (rev above
 * held->rev), read as a study of their own with held's metric and
 * direction: rung_study_patch merges them into held. *out's rev is the
 * study's now, and *ntrials the number of its trials in the store, which
 * tells whether any was deleted.
 */
int		 rung_store_load_changed(struct rung_store *,
		     const struct rung_study *held, struct rung_study **out,
		     uint32_t *ntrials, char **cause);
/*
 * The study's rev (studies.rev, bumped by every write to its trials):
 * 0 with *rev, 1 when the study is gone, -1 on an error.
 */
int		 rung_store_study_rev(struct rung_store *, int64_t study,
		     int64_t *rev, char **cause);
/* Load another metric's curves for the same trials (dir as above). */
int		 rung_store_load_curves(struct rung_store *,
		     const struct rung_study *, const char *metric,
		     enum rung_direction dir, struct rung_curves *,
		     char **cause);
void		 rung_curves_release(struct rung_curves *);

/*
 * Exact reading of one trial at a time, as float64, for exports and
 * details: the in-memory study holds floats.
 */
struct rung_points {
	uint32_t	 n;
	int32_t		*steps;
	double		*vals;
	size_t		 cap;
};

struct rung_exact {
	size_t		 nmetrics;
	char		**metrics;	/* metric of interest first */
	int64_t		*metric_ids;
	struct rung_points *curves;	/* per metric */
	struct rung_points secs;	/* seconds per step */
	uint32_t	 ntail;		/* of those, read from curve_tail */
	/* The store's statements, opaque to the callers. */
	struct sqlite3_stmt *curve_st;
	struct sqlite3_stmt *secs_st;
	struct sqlite3_stmt *tail_st;
};

int		 rung_exact_open(struct rung_store *, int64_t study,
		     struct rung_exact *, char **cause);
int		 rung_exact_read(struct rung_store *, struct rung_exact *,
		     int64_t trial_rowid, char **cause);
void		 rung_exact_release(struct rung_exact *);

/*
 * The paths a study was imported from, each once, in the order first
 * read, with their format (the caller frees both arrays and their items).
 */
int		 rung_store_source_paths(struct rung_store *, const char *study,
		     char ***paths, char ***formats, size_t *n, char **cause);
/* Bumped by each commit of another process: -1 on an error. */
int64_t		 rung_store_data_version(struct rung_store *);
/* Has a source with this digest been imported into the study? */
int		 rung_store_has_source(struct rung_store *, const char *study,
		     const char *digest, char **path, char **cause);

/* Transactions: an import writes every study it read in one. */
int		 rung_store_begin(struct rung_store *, char **cause);
int		 rung_store_commit(struct rung_store *, char **cause);
void		 rung_store_rollback(struct rung_store *);
/*
 * An import's transaction (store-bulk.c): *bulk says it runs with a
 * rollback journal (a database without trials), which
 * rung_store_end_import, after the commit or rollback, turns back to WAL.
 */
int		 rung_store_begin_import(struct rung_store *, int *bulk,
		     char **cause);
void		 rung_store_end_import(struct rung_store *, int bulk);
/* Write a finished batch into the study rep->study (in a transaction). */
int		 rung_store_write(struct rung_store *, struct rung_batch *,
		     const struct rung_import_opts *,
		     struct rung_study_report *, char **cause);
/* The same in a transaction of its own. */
int		 rung_store_import(struct rung_store *, struct rung_batch *,
		     const struct rung_import_opts *,
		     struct rung_study_report *, char **cause);

/* Packed curve blobs: int32 and float64, little-endian. */
void		 rung_pack_f64(const double *, uint32_t n, void *out);
void		 rung_pack_i32(const int32_t *, uint32_t n, void *out);
/*
 * The i-th value of a blob: inline, as the load of a study decodes a
 * hundred million of them; a plain load where the host is little-endian.
 */
static inline double
rung_unpack_f64(const void *blob, uint32_t i)
{
	const unsigned char *p = (const unsigned char *)blob + 8 * (size_t)i;
	uint64_t	 u = 0;
	double		 d;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&u, p, 8);
#else
	int		 k;

	for (k = 7; k >= 0; k--)
		u = (u << 8) | p[k];
#endif
	memcpy(&d, &u, 8);
	return d;
}

static inline int32_t
rung_unpack_i32(const void *blob, uint32_t i)
{
	const unsigned char *p = (const unsigned char *)blob + 4 * (size_t)i;

	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
	    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

/* Does the study have this metric? 0, or -1 with *cause naming those it has. */
/* *cause: no study NAME in the store, and the names nearest to it. */
void		 rung_store_no_study(struct rung_store *, const char *name,
		     char **cause);
int		 rung_store_check_metric(struct rung_store *, const char *study,
		     const char *metric, char **cause);

#endif
