/* The store: schema, migrations, import transactions, loading. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/store.h"
#include "rung/util.h"

/* rung_store_db: what the store wrote, checked behind its back. */
#include "../src/store-int.h"
#include "tap.h"

static const char *dbpath = "unit-store.db";

/* The curves' summaries schema 10 added: schema 9 has none. */
#define DROP_SUMMARY \
	"DROP INDEX curves_summary;" \
	"ALTER TABLE curves DROP COLUMN lo;" \
	"ALTER TABLE curves DROP COLUMN hi;" \
	"ALTER TABLE curves DROP COLUMN final;"

/* The tail table schema 9 added: schema 8 has none. */
#define DROP_TAIL DROP_SUMMARY \
	"DROP TABLE curve_tail;"

/* The index schema 8 added: schema 7 has none. */
#define DROP_SIZE DROP_TAIL \
	"DROP INDEX curves_size;"

/* The revisions schema 7 added: schema 6 has none. */
#define DROP_REV DROP_SIZE \
	"DROP INDEX trials_rev;" \
	"ALTER TABLE trials DROP COLUMN rev;" \
	"ALTER TABLE trials DROP COLUMN digest;" \
	"ALTER TABLE studies DROP COLUMN rev;"

/* The columns schema 6 added to replay_policies: schema 5 has none. */
#define DROP_EQUAL DROP_REV \
	"ALTER TABLE replay_policies DROP COLUMN equal_budget_steps;" \
	"ALTER TABLE replay_policies DROP COLUMN equal_cost_steps_mean;" \
	"ALTER TABLE replay_policies DROP COLUMN equal_started_mean;" \
	"ALTER TABLE replay_policies DROP COLUMN equal_regret_mean;" \
	"ALTER TABLE replay_policies DROP COLUMN equal_regret_worst;" \
	"ALTER TABLE replay_policies DROP COLUMN equal_p_top1;" \
	"ALTER TABLE replay_policies DROP COLUMN equal_p_top5;"

static void
cleanup(void)
{
	unlink(dbpath);
	unlink("unit-store.db-wal");
	unlink("unit-store.db-shm");
}

/* Every table's rows, summed: a cheap fingerprint of the database. */
static unsigned long long
rows(struct rung_store *s)
{
	static const char *tables[] = { "studies", "sources", "metrics",
		"params", "trials", "trial_params", "curves", "step_seconds" };
	sqlite3_stmt	*st;
	unsigned long long n = 0;
	size_t		 i;
	char		 sql[64];

	for (i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
		sqlite3_prepare_v2(rung_store_db(s), sql, -1, &st, NULL);
		sqlite3_step(st);
		n = n * 1000003 + (unsigned long long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return n;
}

static struct rung_batch *
make_batch(const char *digest, const char *first_id, int ntrials)
{
	struct rung_batch *b = rung_batch_new();
	uint32_t	 m, acc, t, r, p, q, c;
	int		 i, k;
	char		 id[32];

	rung_batch_source(b, "mem.csv", "long-csv", digest, 123);
	m = rung_batch_metric(b, "val_loss");
	acc = rung_batch_metric(b, "acc");
	p = rung_batch_param(b, "lr");
	q = rung_batch_param(b, "layers");
	c = rung_batch_param(b, "opt");
	rung_batch_time_kind(b, RUNG_TIME_STEP, "seconds");
	for (i = 0; i < ntrials; i++) {
		snprintf(id, sizeof id, "%s%d", first_id, i);
		t = rung_batch_trial(b, id);
		if (i == 1)
			rung_batch_set_status(b, t, RUNG_STOPPED);
		rung_batch_param_real(b, t, p, 0.1 * (i + 1));
		rung_batch_param_int(b, t, q, i + 2);
		rung_batch_param_text(b, t, c, i % 2 ? "sgd" : "adam");
		for (k = 1; k <= 5 + i; k++) {
			/* Steps 1..n, then a gap: both blob encodings. */
			r = rung_batch_row(b, t, k + (k > 3 ? 10 : 0));
			rung_batch_set(b, r, m, 1.0 / (k + i) + 1e-10);
			if (k % 2)
				rung_batch_set(b, r, acc, k * 0.1);
			rung_batch_set_time(b, r, 2.5 + k);
		}
	}
	return b;
}

static void
set_version(const char *path, const char *sql)
{
	sqlite3	*db;

	sqlite3_open(path, &db);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
}

static int
version_of(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int		 v = -999;

	sqlite3_open(path, &db);
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st,
	    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* The CREATE statement of an index, NULL when there is none. */
static const char *
index_sql(sqlite3 *db, const char *name)
{
	static char	 sql[256];
	sqlite3_stmt	*st;
	const char	*r = NULL;

	if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_schema WHERE"
	    " type = 'index' AND name = ?", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(sql, sizeof sql, "%s", sqlite3_column_text(st, 0));
		r = sql;
	}
	sqlite3_finalize(st);
	return r;
}

/* The schema as text, hashed: whether an open changed it. */
static unsigned long long
digest(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	const unsigned char *t;
	unsigned long long h = 5381;

	sqlite3_open(path, &db);
	sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master ORDER BY name",
	    -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if ((t = sqlite3_column_text(st, 0)) == NULL)
			continue;
		for (; *t != '\0'; t++)
			h = h * 33 + *t;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return h;
}

/* Set the database up with sql; an open with flags fails, saying want. */
static void
refused(const char *path, const char *sql, int flags, const char *want)
{
	struct rung_store *s;
	char		*cause = NULL;
	int		 rc;

	set_version(path, sql);
	/* Apart: the order in which ok()'s arguments are read is open. */
	rc = rung_store_open(path, flags, &s, &cause);
	ok(rc != 0 && cause != NULL && strstr(cause, want) != NULL,
	    "%s: refused (%s)", sql, cause ? cause : "opened");
	if (rc == 0)
		rung_store_close(s);
	free(cause);
}

int
main(void)
{
	struct rung_store *s;
	struct rung_batch *b;
	struct rung_import_opts o;
	struct rung_study_report rep;
	struct rung_study *study;
	struct rung_exact x;
	char		*cause = NULL, *path = NULL;
	unsigned long long before;
	int		 p;

	cleanup();
	ok(rung_store_open(dbpath, RUNG_STORE_READONLY, &s, &cause) != 0,
	    "read-only open of a missing database fails");
	ok(cause && strstr(cause, dbpath), "and names it: %s", cause);
	free(cause);
	cause = NULL;

	ok(rung_store_open(dbpath, 0, &s, &cause) == 0, "create");
	{
		sqlite3_stmt *st;

		sqlite3_prepare_v2(rung_store_db(s), "PRAGMA user_version", -1,
		    &st, NULL);
		sqlite3_step(st);
		is_int(sqlite3_column_int(st, 0), RUNG_SCHEMA_VERSION,
		    "schema version recorded");
		sqlite3_finalize(st);
	}

	rung_import_opts_init(&o);
	memset(&rep, 0, sizeof rep);
	rep.study = strdup("s1");
	b = make_batch("digest-1", "t", 3);
	ok(rung_batch_finish(b, &o, &cause) == 0, "finish batch");
	ok(rung_store_import(s, b, &o, &rep, &cause) == 0, "import");
	is_int(rep.trials, 3, "three trials imported");
	ok(rep.created, "the study was created");
	rung_batch_free(b);
	rung_study_report_release(&rep);

	ok(rung_store_has_source(s, "s1", "digest-1", &path, &cause) == 1,
	    "the source is known by its digest");
	is_str(path, "mem.csv", "with its path");
	free(path);
	ok(rung_store_has_source(s, "s1", "other", NULL, &cause) == 0,
	    "another digest is not");

	ok(rung_store_load(s, "s1", NULL, 0, &study, &cause) == 0, "load");
	is_int(study->ntrials, 3, "three trials in memory");
	is_str(study->curve.name, "val_loss", "val_loss chosen as the metric");
	is_int(rung_curve_len(study, 2), 7, "trial t2 has seven points");
	is_int(study->curve.steps[study->curve.off[2] + 3], 14,
	    "the gap in steps survives");
	is_dbl(study->curve.vals[study->curve.off[1]], (float)(1.0 / 2 + 1e-10),
	    "values load as float");
	is_int(study->status[1], RUNG_STOPPED, "status kept");
	ok(study->secs != NULL && study->secs[0] == 3.5f,
	    "seconds per step aligned with the curve");
	p = rung_study_find_param(study, "opt");
	ok(p >= 0 && study->params[p].type == RUNG_PCAT &&
	    strcmp(study->params[p].levels[study->params[p].cat[1]], "sgd") == 0,
	    "categorical parameter");
	p = rung_study_find_param(study, "layers");
	ok(p >= 0 && study->params[p].type == RUNG_PINT &&
	    study->params[p].num[2] == 4, "int parameter");
	is_int(study->max_step, 17, "max step is the last step of the longest trial");

	ok(rung_exact_open(s, study->id, &x, &cause) == 0 &&
	    rung_exact_read(s, &x, study->trial_rowid[1], &cause) == 0,
	    "exact read");
	is_str(x.metrics[0], "val_loss", "metric of interest first");
	is_dbl(x.curves[0].vals[0], 1.0 / 2 + 1e-10, "exact float64 value");
	is_int(x.curves[1].n, 3, "acc has points only where set");
	is_int(x.secs.n, 6, "six seconds");
	rung_exact_release(&x);
	rung_study_free(study);

	/* A conflicting import changes nothing. */
	before = rows(s);
	memset(&rep, 0, sizeof rep);
	rep.study = strdup("s1");
	b = make_batch("digest-2", "t", 2);
	rung_batch_finish(b, &o, &cause);
	ok(rung_store_import(s, b, &o, &rep, &cause) != 0,
	    "importing trials that exist fails");
	ok(cause && strstr(cause, "'t0'") && strstr(cause, "--replace"),
	    "naming the trial and the way out: %s", cause);
	free(cause);
	cause = NULL;
	ok(rows(s) == before, "and leaves the database as it was");
	rung_study_report_release(&rep);

	/* --replace replaces. */
	o.replace = 1;
	memset(&rep, 0, sizeof rep);
	rep.study = strdup("s1");
	ok(rung_store_import(s, b, &o, &rep, &cause) == 0, "--replace works");
	is_int(rep.replaced_trials, 2, "two trials replaced");
	rung_batch_free(b);
	rung_study_report_release(&rep);
	o.replace = 0;

	/* A different metric of interest for an existing study is refused. */
	memset(&rep, 0, sizeof rep);
	rep.study = strdup("s1");
	b = make_batch("digest-3", "u", 1);
	o.metric = "acc";
	rung_batch_finish(b, &o, &cause);
	ok(rung_store_import(s, b, &o, &rep, &cause) != 0,
	    "another metric of interest is refused");
	ok(cause && strstr(cause, "measures 'val_loss'"), "%s", cause);
	free(cause);
	cause = NULL;
	rung_batch_free(b);
	rung_study_report_release(&rep);
	rung_store_close(s);

	/* A reader reads, and cannot write even where the file can be. */
	ok(rung_store_open(dbpath, RUNG_STORE_READONLY, &s, &cause) == 0,
	    "read-only open");
	ok(sqlite3_exec(rung_store_db(s), "DELETE FROM studies", NULL, NULL,
	    NULL) != SQLITE_OK, "a reader cannot write");
	rung_store_close(s);

	/* A reader of an older schema migrates it where it can write. */
	set_version(dbpath, "ALTER TABLE metrics DROP COLUMN direction;"
	    DROP_EQUAL "PRAGMA user_version = 4");
	ok(rung_store_open(dbpath, RUNG_STORE_READONLY | RUNG_STORE_MUSTEXIST,
	    &s, &cause) == 0, "a reader of schema 4 opens it");
	rung_store_close(s);
	is_int(version_of(dbpath), RUNG_SCHEMA_VERSION, "and migrates it");

	/* Schema 5 -> 6: the equal-cost columns of a kept replay's policies. */
	set_version(dbpath, DROP_EQUAL "PRAGMA user_version = 5");
	ok(rung_store_open(dbpath, 0, &s, &cause) == 0, "schema 5 opens");
	ok(sqlite3_exec(rung_store_db(s), "SELECT equal_budget_steps,"
	    " equal_cost_steps_mean, equal_started_mean, equal_regret_mean,"
	    " equal_regret_worst, equal_p_top1, equal_p_top5"
	    " FROM replay_policies", NULL, NULL, NULL) == SQLITE_OK,
	    "and gains the equal-cost columns");
	rung_store_close(s);
	is_int(version_of(dbpath), RUNG_SCHEMA_VERSION, "schema 10");

	/* Schema 6 -> 7: revisions, 0 for what was written before. */
	set_version(dbpath, DROP_REV "PRAGMA user_version = 6");
	ok(rung_store_open(dbpath, 0, &s, &cause) == 0, "schema 6 opens");
	ok(sqlite3_exec(rung_store_db(s), "SELECT s.rev, t.rev FROM studies s"
	    " JOIN trials t ON t.study_id = s.id WHERE s.rev = 0 AND"
	    " t.rev = 0", NULL, NULL, NULL) == SQLITE_OK,
	    "and gains the rev columns");
	rung_store_close(s);
	is_int(version_of(dbpath), RUNG_SCHEMA_VERSION, "schema 10");

	/* Schema 7 -> 8: the curves' sizes indexed. */
	set_version(dbpath, DROP_SIZE "PRAGMA user_version = 7");
	ok(rung_store_open(dbpath, 0, &s, &cause) == 0, "schema 7 opens");
	ok(index_sql(rung_store_db(s), "curves_size") != NULL &&
	    strstr(index_sql(rung_store_db(s), "curves_size"),
	    "(metric_id, n, last_step)") != NULL,
	    "and gains the curves_size index");
	rung_store_close(s);
	is_int(version_of(dbpath), RUNG_SCHEMA_VERSION, "schema 10");

	/* Schema 8 -> 9: the tail of a running campaign's curves. */
	set_version(dbpath, DROP_TAIL "PRAGMA user_version = 8");
	ok(rung_store_open(dbpath, 0, &s, &cause) == 0, "schema 8 opens");
	ok(sqlite3_exec(rung_store_db(s), "SELECT trial_id, step, metric_id,"
	    " value FROM curve_tail", NULL, NULL, NULL) == SQLITE_OK,
	    "and gains the curve_tail table");
	rung_store_close(s);
	is_int(version_of(dbpath), RUNG_SCHEMA_VERSION, "schema 10");

	/* Schema 9 -> 10: the curves' summaries, from their points. */
	set_version(dbpath, DROP_SUMMARY "PRAGMA user_version = 9");
	ok(rung_store_open(dbpath, 0, &s, &cause) == 0, "schema 9 opens");
	ok(index_sql(rung_store_db(s), "curves_summary") != NULL,
	    "and gains the curves_summary index");
	ok(sqlite3_exec(rung_store_db(s), "SELECT lo, hi, final FROM curves",
	    NULL, NULL, NULL) == SQLITE_OK, "and the summary columns");
	rung_store_close(s);
	is_int(version_of(dbpath), RUNG_SCHEMA_VERSION, "schema 10");

	/* A version no rung wrote is refused, never migrated from. */
	before = digest(dbpath);
	refused(dbpath, "PRAGMA user_version = 99", 0,
	    "not a rung database (schema version 99)");
	refused(dbpath, "PRAGMA user_version = -1", 0,
	    "not a rung database (schema version -1)");
	refused(dbpath, "PRAGMA user_version = -1", RUNG_STORE_READONLY,
	    "not a rung database (schema version -1)");
	refused(dbpath, "PRAGMA user_version = -2147483648", 0,
	    "(schema version -2147483648)");
	set_version(dbpath, "PRAGMA user_version = 7");
	ok(digest(dbpath) == before, "and none of them is changed");
	cleanup();
	/* Version 0 with tables: another program's database (Optuna's). */
	refused(dbpath, "CREATE TABLE studies (study_id INTEGER)", 0,
	    "not a rung database (schema version 0");
	ok(version_of(dbpath) == 0, "left as it was");
	cleanup();

	/* A database is a file: SQLite's special names are not. */
	p = rung_store_open(":memory:", 0, &s, &cause);
	ok(p != 0 && strstr(cause, "':memory:'") != NULL,
	    ":memory: is refused: %s", cause);
	free(cause);
	cause = NULL;
	p = rung_store_open("", 0, &s, &cause);
	ok(p != 0 && strstr(cause, "empty") != NULL, "\"\" is refused: %s",
	    cause);
	free(cause);
	cause = NULL;
	/* Memory only when asked for by flag, as the fuzz targets do. */
	p = rung_store_open("unit-store-mem", RUNG_STORE_MEMORY, &s, &cause);
	ok(p == 0 && access("unit-store-mem", F_OK) != 0,
	    "RUNG_STORE_MEMORY opens a database in memory, no file");
	if (p == 0)
		rung_store_close(s);
	unlink("file:unit-store.db");
	ok(rung_store_open("file:unit-store.db?mode=memory", 0, &s,
	    &cause) == 0, "a file: name opens");
	rung_store_close(s);
	ok(access("file:unit-store.db?mode=memory", F_OK) == 0,
	    "as the file of that very name");
	unlink("file:unit-store.db?mode=memory");
	unlink("file:unit-store.db?mode=memory-wal");
	unlink("file:unit-store.db?mode=memory-shm");
	cleanup();
	return done_testing();
}
