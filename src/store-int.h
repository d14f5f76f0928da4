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

/* store-read.c */
int		 store_metric_row(struct rung_store *, int64_t study,
		     const char *metric, int64_t *id, enum rung_direction *,
		     char **cause);

#endif /* RUNG_STORE_INT_H */
