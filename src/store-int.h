/*
 * The insides of the store, shared by its files: store.c (opening, paths,
 * versions, migrations, transactions, the blobs' byte order),
 * store-read.c (studies, metrics, curves, parameters, exact reads),
 * store-write.c (the writer of imported batches), store-model.c (kept
 * predictors), store-replay.c (kept replays) and store-launch*.c
 * (campaigns). Nothing outside the store's files includes this header,
 * but for the tests and fuzz targets that check what the store wrote.
 */
#ifndef RUNG_STORE_INT_H
#define RUNG_STORE_INT_H

#include <stdint.h>

#include <sqlite3.h>

#include "rung/store.h"

struct rung_store {
	sqlite3		*db;
	char		*path;
	int		 readonly;
};

/* store.c */
/* The SQLite connection: only the store's files run statements on it. */
sqlite3		*rung_store_db(struct rung_store *);
int		 store_exec_sql(sqlite3 *, const char *sql, const char *what,
		     char **cause);
char		*store_col_text(sqlite3_stmt *, int i);
int		 store_prepare(struct rung_store *, const char *sql,
		     sqlite3_stmt **, char **cause);

/* How long a process waits for another's write lock: the busy timeout. */
#define BUSY_MS 10000

/*
 * The study's row alone, its counts left 0: what a load needs, without
 * the sums over every curve of STUDY_INFO_SQL, a walk of the whole table
 * (a gigabyte at a million trials).
 */
#define STUDY_HEAD_SQL \
	"SELECT s.id, s.name, s.metric, s.direction, s.source, s.created," \
	" 0, 0, 0 FROM studies s"

/*
 * store-prep.c: each trial of a batch to write, prepared a block ahead on
 * a thread: its digest, and its curves' and seconds' blobs in the slot's
 * blob (soff SIZE_MAX: contiguous steps, bound as NULL).
 */
struct store_prep_curve {
	uint32_t	 metric;
	uint32_t	 n;
	int32_t		 first, last;
	size_t		 soff, voff;
	double		 sum[3];	/* lo, hi, final (store_curve_summary) */
};
struct store_prep_trial {
	uint64_t	 digest;
	uint64_t	 npoints;
	size_t		 c0, nc;	/* its curves */
	struct {
		uint32_t	 n;	/* 0: no seconds */
		int32_t		 first;
		size_t		 soff, voff;
	}		 secs;
};
struct rung_batch;
struct store_prep;
struct store_prep *store_prep_start(struct rung_batch *);
const struct store_prep_trial *store_prep_trial(struct store_prep *,
		     uint32_t, const unsigned char **blob,
		     const struct store_prep_curve **);
void		 store_prep_free(struct store_prep *);

/*
 * A curve's summary (schema 10): its lowest and highest finite value and
 * its last, NaN where none, from vals or else from a blob of doubles;
 * bound at a, a + 1, a + 2 of st, NULL for NaN.
 */
void		 store_curve_summary(const double *vals, const void *blob,
		     uint32_t n, double *lo, double *hi, double *final);
void		 store_bind_summary(sqlite3_stmt *st, int a,
		     const double *vals, uint32_t n);
void		 store_bind_sum(sqlite3_stmt *st, int a, const double x[3]);

/* store-study.c */
int		 store_metric_row(struct rung_store *, int64_t study,
		     const char *metric, int64_t *id, enum rung_direction *,
		     char **cause);
/* The study named by ?1 of sql into info: 0, 1 where none, -1. */
int		 study_row(struct rung_store *, const char *sql,
		     const char *name, struct rung_study_info *info,
		     char **cause);

/* store-read.c */
int		 store_read_begin(struct rung_store *, int *began,
		     char **cause);
void		 store_read_end(struct rung_store *, int began);
double		 tail_value(sqlite3_stmt *, int col);

#endif /* RUNG_STORE_INT_H */
