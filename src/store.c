/*
 * The store: rung's SQLite database. This file opens it (paths, URIs,
 * read-only media, the write-ahead log), checks and migrates its schema
 * version, and holds its transactions and the byte order of its blobs.
 * Reading is in store-read.c, writing an import in store-write.c.
 */

#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <pthread.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/store.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "store-int.h"

/*
 * Migrations, in order: migrations[i] takes a database from user_version i
 * to i + 1. Never edit one that has shipped; add the next.
 */
static const char *migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE studies ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  metric TEXT NOT NULL,"
	"  direction TEXT NOT NULL CHECK (direction IN ('min', 'max')),"
	"  source TEXT,"
	"  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
	");"
	"CREATE TABLE sources ("
	"  id INTEGER PRIMARY KEY,"
	"  study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,"
	"  format TEXT NOT NULL,"
	"  path TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  digest TEXT NOT NULL,"
	"  imported TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  UNIQUE (study_id, digest)"
	");"
	"CREATE TABLE metrics ("
	"  id INTEGER PRIMARY KEY,"
	"  study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  UNIQUE (study_id, name)"
	");"
	"CREATE TABLE params ("
	"  id INTEGER PRIMARY KEY,"
	"  study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  type TEXT NOT NULL CHECK (type IN ('real', 'int', 'categorical')),"
	"  log INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (study_id, name)"
	");"
	"CREATE TABLE trials ("
	"  id INTEGER PRIMARY KEY,"
	"  study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,"
	"  ext_id TEXT NOT NULL,"
	"  status TEXT NOT NULL"
	"    CHECK (status IN ('complete', 'stopped', 'failed', 'running')),"
	"  source_id INTEGER REFERENCES sources(id) ON DELETE SET NULL,"
	"  UNIQUE (study_id, ext_id)"
	");"
	"CREATE INDEX trials_source ON trials(source_id);"
	/*
	 * value: INTEGER for int, REAL for real, TEXT for categorical. It has
	 * no declared type on purpose: "ANY" would give it NUMERIC affinity
	 * in an ordinary table, and SQLite would turn the categorical text
	 * "1e-05" into the number 1.0e-05.
	 */
	"CREATE TABLE trial_params ("
	"  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,"
	"  param_id INTEGER NOT NULL REFERENCES params(id) ON DELETE CASCADE,"
	"  value,"
	"  PRIMARY KEY (trial_id, param_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX trial_params_param ON trial_params(param_id);"
	/*
	 * One row per (trial, metric): n points, steps as int32 and values
	 * as float64, little-endian; steps NULL when they run
	 * first_step, first_step + 1, ... without a gap.
	 */
	"CREATE TABLE curves ("
	"  id INTEGER PRIMARY KEY,"
	"  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,"
	"  metric_id INTEGER NOT NULL REFERENCES metrics(id) ON DELETE CASCADE,"
	"  n INTEGER NOT NULL,"
	"  first_step INTEGER NOT NULL,"
	"  last_step INTEGER NOT NULL,"
	"  steps BLOB,"
	"  vals BLOB NOT NULL,"
	"  UNIQUE (trial_id, metric_id)"
	");"
	"CREATE INDEX curves_metric ON curves(metric_id);"
	/* Seconds spent on each step, same encoding; NaN where unknown. */
	"CREATE TABLE step_seconds ("
	"  trial_id INTEGER PRIMARY KEY REFERENCES trials(id) ON DELETE CASCADE,"
	"  n INTEGER NOT NULL,"
	"  first_step INTEGER NOT NULL,"
	"  steps BLOB,"
	"  secs BLOB NOT NULL"
	");",
	/* 1 -> 2: trained predictors, kept by name. */
	"CREATE TABLE models ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  study_id INTEGER REFERENCES studies(id) ON DELETE SET NULL,"
	"  study TEXT NOT NULL,"
	"  metric TEXT NOT NULL,"
	"  direction TEXT NOT NULL CHECK (direction IN ('min', 'max')),"
	"  features TEXT NOT NULL CHECK (features IN ('raw', 'baker')),"
	"  prefix INTEGER NOT NULL,"
	"  target INTEGER NOT NULL,"
	"  spec TEXT NOT NULL,"
	"  svr TEXT NOT NULL,"
	"  model BLOB NOT NULL,"
	"  n_train INTEGER NOT NULL,"
	"  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
	");",
	/*
	 * 2 -> 3: runs of rung replay. report is the JSON rung replay
	 * printed (replays --show prints it again); the other tables hold
	 * the same figures per policy and per seed for queries.
	 */
	"CREATE TABLE replays ("
	"  id INTEGER PRIMARY KEY,"
	"  study_id INTEGER REFERENCES studies(id) ON DELETE SET NULL,"
	"  study TEXT NOT NULL,"
	"  metric TEXT NOT NULL,"
	"  direction TEXT NOT NULL CHECK (direction IN ('min', 'max')),"
	"  policies TEXT NOT NULL,"
	"  baseline TEXT NOT NULL,"
	"  seeds INTEGER NOT NULL,"
	"  seed INTEGER NOT NULL,"
	"  resume INTEGER NOT NULL,"
	"  params TEXT NOT NULL,"
	"  report TEXT NOT NULL,"
	"  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
	");"
	"CREATE INDEX replays_study ON replays(study_id);"
	"CREATE TABLE replay_policies ("
	"  replay_id INTEGER NOT NULL REFERENCES replays(id) ON DELETE CASCADE,"
	"  idx INTEGER NOT NULL,"
	"  policy TEXT NOT NULL,"
	"  seeds INTEGER NOT NULL,"
	"  resume INTEGER NOT NULL,"
	"  cost_steps_mean REAL,"
	"  cost_steps_sd REAL,"
	"  cost_seconds_mean REAL,"
	"  cost_seconds_sd REAL,"
	"  saved_vs_baseline REAL,"
	"  saved_vs_baseline_seconds REAL,"
	"  saved_vs_random REAL,"
	"  saved_vs_random_seconds REAL,"
	"  best_final_mean REAL,"
	"  best_final_worst REAL,"
	"  regret_mean REAL,"
	"  p_top1 REAL,"
	"  p_top5 REAL,"
	"  time_to_best_mean REAL,"
	"  anytime TEXT NOT NULL,"
	"  PRIMARY KEY (replay_id, idx)"
	") WITHOUT ROWID;"
	"CREATE TABLE replay_seeds ("
	"  replay_id INTEGER NOT NULL REFERENCES replays(id) ON DELETE CASCADE,"
	"  policy_idx INTEGER NOT NULL,"
	"  seed INTEGER NOT NULL,"
	"  cost_steps INTEGER NOT NULL,"
	"  cost_seconds REAL,"
	"  end_time REAL,"
	"  started INTEGER NOT NULL,"
	"  returned TEXT,"
	"  returned_final REAL,"
	"  regret REAL,"
	"  top1 INTEGER NOT NULL,"
	"  top5 INTEGER NOT NULL,"
	"  time_to_best REAL,"
	"  steps_to_best INTEGER,"
	"  saved_vs_baseline REAL,"
	"  saved_vs_random REAL,"
	"  trace TEXT NOT NULL,"
	"  PRIMARY KEY (replay_id, policy_idx, seed),"
	"  FOREIGN KEY (replay_id, policy_idx)"
	"    REFERENCES replay_policies(replay_id, idx) ON DELETE CASCADE"
	") WITHOUT ROWID;",
	/*
	 * 3 -> 4: campaigns of rung launch. A launch is a study's campaign:
	 * its settings, the scheduler's state after the last decision
	 * (rung_sched_save) and where it stands; launch_trials is how each
	 * trial was run and ended, launch_events what happened, in order.
	 */
	"CREATE TABLE launches ("
	"  id INTEGER PRIMARY KEY,"
	"  study_id INTEGER NOT NULL UNIQUE"
	"    REFERENCES studies(id) ON DELETE CASCADE,"
	"  policy TEXT NOT NULL,"
	"  settings TEXT NOT NULL,"
	"  sched_state TEXT,"
	"  status TEXT NOT NULL"
	"    CHECK (status IN ('running', 'interrupted', 'done', 'failed')),"
	"  pid INTEGER,"
	"  host TEXT,"
	"  logs TEXT NOT NULL,"
	"  steps INTEGER NOT NULL DEFAULT 0,"
	"  message TEXT,"
	"  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	"  updated TEXT"
	");"
	"CREATE TABLE launch_trials ("
	"  trial_id INTEGER PRIMARY KEY REFERENCES trials(id) ON DELETE CASCADE,"
	"  launch_id INTEGER NOT NULL REFERENCES launches(id) ON DELETE CASCADE,"
	"  handle INTEGER NOT NULL,"
	"  params TEXT NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'stopped',"
	"    'complete', 'failed')),"
	"  target INTEGER,"
	"  seen_step INTEGER NOT NULL DEFAULT 0,"
	"  decision TEXT,"
	"  decision_step INTEGER,"
	"  reason TEXT,"
	"  runs INTEGER NOT NULL DEFAULT 0,"
	"  pid INTEGER,"
	"  sid INTEGER,"
	"  key TEXT,"
	"  gpus TEXT,"
	"  exit_code INTEGER,"
	"  exit_signal INTEGER,"
	"  log TEXT,"
	"  log_tail TEXT,"
	"  started TEXT,"
	"  updated TEXT,"
	"  UNIQUE (launch_id, handle)"
	");"
	"CREATE TABLE launch_events ("
	"  id INTEGER PRIMARY KEY,"
	"  launch_id INTEGER NOT NULL REFERENCES launches(id) ON DELETE CASCADE,"
	"  trial_id INTEGER REFERENCES trials(id) ON DELETE CASCADE,"
	"  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),"
	"  step INTEGER,"
	"  event TEXT NOT NULL,"
	"  detail TEXT"
	");"
	"CREATE INDEX launch_events_launch ON launch_events(launch_id);",
	/*
	 * 4 -> 5: a direction per metric. Until now a study's direction held
	 * for every metric, so val_acc of a val_loss study was minimised. The
	 * metric of interest keeps the study's; another takes what a word of
	 * its name tells (rung_direction_guess, registered on the connection
	 * while migrating), else the study's.
	 */
	"ALTER TABLE metrics ADD COLUMN direction TEXT NOT NULL DEFAULT 'min'"
	"  CHECK (direction IN ('min', 'max'));"
	"UPDATE metrics SET direction = (SELECT CASE"
	"  WHEN s.metric = metrics.name THEN s.direction"
	"  ELSE coalesce(rung_direction_guess(metrics.name), s.direction) END"
	"  FROM studies s WHERE s.id = metrics.study_id);",
	/*
	 * 5 -> 6: the equal-cost view of a replay, per policy: its figures
	 * with the baseline's mean cost in steps as its budget. A run kept
	 * before has NULL there.
	 */
	"ALTER TABLE replay_policies ADD COLUMN equal_budget_steps INTEGER;"
	"ALTER TABLE replay_policies ADD COLUMN equal_cost_steps_mean REAL;"
	"ALTER TABLE replay_policies ADD COLUMN equal_started_mean REAL;"
	"ALTER TABLE replay_policies ADD COLUMN equal_regret_mean REAL;"
	"ALTER TABLE replay_policies ADD COLUMN equal_regret_worst REAL;"
	"ALTER TABLE replay_policies ADD COLUMN equal_p_top1 REAL;"
	"ALTER TABLE replay_policies ADD COLUMN equal_p_top5 REAL;",
	/*
	 * 6 -> 7: revisions, so that a reader holding a study (the live
	 * explorer) reads again only what changed. studies.rev counts the
	 * writes to a study's trials and never goes down; a trial's rev is
	 * the count of the write that last changed its status, parameters
	 * or points. Rows written before have 0.
	 */
	"ALTER TABLE studies ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE trials ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX trials_rev ON trials(study_id, rev);"
	/*
	 * And a digest of what an import wrote of a trial, so that a
	 * follower reading a source again rewrites only the trials that
	 * changed. NULL: written before, or by a campaign.
	 */
	"ALTER TABLE trials ADD COLUMN digest INTEGER;",
	/*
	 * 7 -> 8: a curve's size in an index of its own, so that a study's
	 * counts (points, the last step) read the index, not every curve's
	 * record, blobs and all: a gigabyte at a million trials, read by
	 * the list of studies and the explorer's first screen.
	 */
	"CREATE INDEX curves_size ON curves(metric_id, n, last_step);",
	/*
	 * 8 -> 9: the points a running campaign's trial reports after its
	 * first, a row each, so that recording one costs the same at step a
	 * million as at step one: rewriting the curve's blobs was O(n) a
	 * report, quadratic over a trial. metric_id 0 is the step's seconds
	 * (step_seconds). Keyed by step before metric, a report's rows are
	 * neighbours in one page, the one write a report makes here. They
	 * are folded into curves and step_seconds when the trial's run ends
	 * (and by --resume, for those a killed rung left); until then every
	 * reader of a curve adds its tail after its blob's points. A tail
	 * row's step is above its curve's last_step, and a trial has tail
	 * rows of a metric only when it has that metric's curves row. value
	 * has no declared type, so that SQLite keeps each double as it is
	 * (REAL affinity would store -0.0 as the integer 0); NULL is NaN.
	 */
	"CREATE TABLE curve_tail ("
	"  trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,"
	"  step INTEGER NOT NULL,"
	"  metric_id INTEGER NOT NULL,"
	"  value,"
	"  PRIMARY KEY (trial_id, step, metric_id)"
	") WITHOUT ROWID;",
	/*
	 * 9 -> 10: a curve's summary beside it, what the trial list shows
	 * and sorts by: the lowest and highest finite value (its best,
	 * whichever the direction: --direction may turn it) and its final
	 * value, NULL where none (SQLite stores NaN as NULL). With n and
	 * last_step in an index of their own, the explorer's first frame
	 * reads a million trials' rows from the index (40 MB), not their
	 * curves (a gigabyte). No declared type, as for curve_tail: REAL
	 * affinity would store -0.0 as the integer 0. Every writer of
	 * curves keeps them (store_bind_summary); a running trial's tail is
	 * added by the readers, as its points are. Existing curves get
	 * theirs from their blobs, rung_curve_lo, _hi and _final being
	 * registered while migrating.
	 */
	"ALTER TABLE curves ADD COLUMN lo;"
	"ALTER TABLE curves ADD COLUMN hi;"
	"ALTER TABLE curves ADD COLUMN final;"
	"UPDATE curves SET lo = rung_curve_lo(vals, n),"
	"  hi = rung_curve_hi(vals, n), final = rung_curve_final(vals, n);"
	"CREATE INDEX curves_summary ON curves(metric_id, trial_id, n,"
	"  last_step, lo, hi, final);",
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

const char *
rung_store_default_path(const char *opt)
{
	const char	*env;

	/* -d "" is a mistake to report, not a way to say "the default". */
	if (opt != NULL)
		return opt;
	if ((env = getenv("RUNG_DB")) != NULL && *env != '\0')
		return env;
	return "rung.db";
}

int
store_exec_sql(sqlite3 *db, const char *sql, const char *what, char **cause)
{
	char	*err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", what, err ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/*
 * exec_sql, trying again while another process holds the lock. SQLite
 * answers SQLITE_BUSY without calling the busy handler where waiting could
 * deadlock, and PRAGMA journal_mode = WAL on a database another process
 * is setting up is one such place: that is no error, only a wait.
 */
static int
exec_wait(sqlite3 *db, const char *sql, const char *what, char **cause)
{
	double		 until = rung_now() + BUSY_MS / 1000.0;
	unsigned int	 r = (unsigned int)getpid();
	int		 rc, ms = 1;

	for (;;) {
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			break;
		if (rung_now() > until)
			break;
		/* Jittered, so that processes started together part. */
		r = r * 1103515245 + 12345;
		sqlite3_sleep(ms + (int)((r >> 16) % (unsigned int)(ms + 1)));
		if (ms < 64)
			ms *= 2;
	}
	if (rc != SQLITE_OK) {
		xasprintf(cause, "%s: %s", what, sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static int
user_version(sqlite3 *db, int *v)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/*
 * Is v the version of a rung database? Versions count up from 0, the
 * empty file; a version 0 database that holds tables is another program's
 * (an Optuna storage given as -d, say), which the first migration must not
 * be let loose on. That is known only in the transaction v was read in
 * (intx): outside one, another process may have migrated in between.
 */
static int
check_version(struct rung_store *s, int v, int intx, char **cause)
{
	sqlite3_stmt	*st;
	int		 n = 0;

	if (v < 0) {
		xasprintf(cause, "'%s' is not a rung database (schema version "
		    "%d)", s->path, v);
		return -1;
	}
	if (v > NMIGRATIONS) {
		xasprintf(cause, "'%s' is not a rung database (schema version "
		    "%d): this rung knows versions up to %d; a newer rung's "
		    "database needs that newer rung", s->path, v, NMIGRATIONS);
		return -1;
	}
	if (v != 0 || !intx)
		return 0;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master",
	    -1, &st, NULL) != SQLITE_OK)
		return rung_store_error(s, cause);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	else
		n = -1;
	sqlite3_finalize(st);
	if (n < 0)
		return rung_store_error(s, cause);
	if (n > 0) {
		xasprintf(cause, "'%s' is not a rung database (schema version "
		    "0, and it holds another program's tables; an Optuna "
		    "storage is read with rung import)", s->path);
		return -1;
	}
	return 0;
}

/* rung_direction_guess(name): 'min', 'max', or NULL when no word tells. */
static void
sql_direction_guess(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *name = sqlite3_value_text(argv[0]);
	enum rung_direction d;

	(void)argc;
	if (name != NULL && rung_direction_infer((const char *)name, &d, NULL))
		sqlite3_result_text(ctx, rung_direction_name(d), -1,
		    SQLITE_STATIC);
	else
		sqlite3_result_null(ctx);
}

/*
 * A curve's summary (schema 10): the lowest and highest finite value and
 * the last, NaN where none.
 */
void
store_curve_summary(const double *vals, const void *blob, uint32_t n,
    double *lo, double *hi, double *final)
{
	uint32_t	 i;
	double		 v;

	*lo = *hi = *final = NAN;
	for (i = 0; i < n; i++) {
		v = vals != NULL ? vals[i] : rung_unpack_f64(blob, i);
		if (!isfinite(v))
			continue;
		if (!(v >= *lo))
			*lo = v;
		if (!(v <= *hi))
			*hi = v;
	}
	if (n > 0)
		*final = vals != NULL ? vals[n - 1] : rung_unpack_f64(blob,
		    n - 1);
}

/* The summary of vals bound at a, a + 1, a + 2 (lo, hi, final). */
void
store_bind_summary(sqlite3_stmt *st, int a, const double *vals, uint32_t n)
{
	double	 x[3];

	store_curve_summary(vals, NULL, n, &x[0], &x[1], &x[2]);
	store_bind_sum(st, a, x);
}

/* A summary store_curve_summary made, bound likewise. */
void
store_bind_sum(sqlite3_stmt *st, int a, const double x[3])
{
	int	 i;

	for (i = 0; i < 3; i++) {
		if (isnan(x[i]))
			sqlite3_bind_null(st, a + i);
		else
			sqlite3_bind_double(st, a + i, x[i]);
	}
}

/* rung_curve_lo(vals, n), _hi and _final: the migration to schema 10. */
static void
sql_curve_summary(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const void	*blob = sqlite3_value_blob(argv[0]);
	int64_t		 n = sqlite3_value_int64(argv[1]);
	double		 x[3];
	int		 which = (int)(intptr_t)sqlite3_user_data(ctx);

	(void)argc;
	if (n <= 0 || blob == NULL || sqlite3_value_bytes(argv[0]) != 8 * n) {
		sqlite3_result_null(ctx);
		return;
	}
	store_curve_summary(NULL, blob, (uint32_t)n, &x[0], &x[1], &x[2]);
	if (isnan(x[which]))
		sqlite3_result_null(ctx);
	else
		sqlite3_result_double(ctx, x[which]);
}

/*
 * Bring the schema to NMIGRATIONS. The version read before the write lock
 * is only a hint (a schema never goes back, so a current one needs no
 * lock): processes started together on an old or new database all see
 * the old version, and all but the first would run its migrations again.
 * The version that counts is the one read inside the transaction.
 */
static int
migrate(struct rung_store *s, char **cause)
{
	int	 v, i;
	char	 sql[64];

	if (user_version(s->db, &v) != 0) {
		xasprintf(cause, "'%s' is not a rung database: %s", s->path,
		    sqlite3_errmsg(s->db));
		return -1;
	}
	if (check_version(s, v, 0, cause) != 0)
		return -1;
	if (v == NMIGRATIONS)
		return 0;
	if (sqlite3_create_function_v2(s->db, "rung_direction_guess", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_direction_guess,
	    NULL, NULL, NULL) != SQLITE_OK)
		return rung_store_error(s, cause);
	for (i = 0; i < 3; i++) {
		static const char *const fn[] = { "rung_curve_lo",
		    "rung_curve_hi", "rung_curve_final" };

		if (sqlite3_create_function_v2(s->db, fn[i], 2, SQLITE_UTF8 |
		    SQLITE_DETERMINISTIC, (void *)(intptr_t)i,
		    sql_curve_summary, NULL, NULL, NULL) != SQLITE_OK)
			return rung_store_error(s, cause);
	}
	if (exec_wait(s->db, "BEGIN IMMEDIATE", s->path, cause) != 0)
		return -1;
	if (user_version(s->db, &v) != 0) {
		rung_store_error(s, cause);
		goto fail;
	}
	if (check_version(s, v, 1, cause) != 0)
		goto fail;
	for (i = v; i < NMIGRATIONS; i++) {
		if (store_exec_sql(s->db, migrations[i], "migrating the schema",
		    cause) != 0)
			goto fail;
	}
	if (v != NMIGRATIONS) {
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
		    NMIGRATIONS);
		if (store_exec_sql(s->db, sql, "migrating the schema",
		    cause) != 0)
			goto fail;
	}
	if (store_exec_sql(s->db, "COMMIT", s->path, cause) != 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/*
 * A database is a file. SQLite gives some names another meaning: ":memory:"
 * and "" are databases that vanish when rung exits (an import into one
 * reports success and keeps nothing), and "file:..." is a URI. The first
 * two are refused; every other path is opened through a URI of our own
 * making, every byte but the unreserved ones escaped, so that "file:x" or
 * "a?mode=memory" is the file of that name whatever SQLite's URI setting.
 */
static int
check_path(const char *path, char **cause)
{
	if (*path == '\0') {
		xasprintf(cause, "the database path is empty: -d and RUNG_DB "
		    "name a file");
		return -1;
	}
	if (strcmp(path, ":memory:") == 0) {
		xasprintf(cause, "'%s' is SQLite's name for a database in "
		    "memory, which keeps nothing: -d and RUNG_DB name a file "
		    "(./:memory: if you mean one so named)", path);
		return -1;
	}
	return 0;
}

static char *
path_uri(const char *path, int immutable)
{
	struct rung_buf	 b = { 0 };
	const unsigned char *p;
	char		*uri;

	/* "file://" and an empty authority before an absolute path. */
	rung_buf_addstr(&b, *path == '/' ? "file://" : "file:");
	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-._~", *p) != NULL)
			rung_buf_addc(&b, (char)*p);
		else
			rung_buf_printf(&b, "%%%02X", *p);
	}
	if (immutable)
		rung_buf_addstr(&b, "?immutable=1");
	uri = xstrdup(rung_buf_cstr(&b));
	rung_buf_release(&b);
	return uri;
}

/* The directory of path, for the -wal and -shm files SQLite makes there. */
static char *
path_dir(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, slash - path);
}

/*
 * Can a writer use the database and make its -wal and -shm files beside
 * it? 0, or -1 with *cause saying which cannot be written and why.
 */
static int
writable(const char *path, char **cause)
{
	char	*dir;

	if (access(path, W_OK) != 0 && errno != ENOENT) {
		xasprintf(cause, "cannot write '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	dir = path_dir(path);
	if (access(dir, W_OK) != 0) {
		xasprintf(cause, "cannot write '%s': its directory '%s': %s",
		    path, dir, strerror(errno));
		free(dir);
		return -1;
	}
	free(dir);
	return 0;
}

/*
 * SQLite counts the memory it holds by default, under a global mutex
 * taken at every malloc and free: once a second thread runs (an import's
 * parser), some 4% of an import's time. rung never asks for the count.
 */
static void
sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int
open_db(struct rung_store *s, int oflags, int immutable, char **cause)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	char	*uri;
	int	 rc;

	if (oflags & SQLITE_OPEN_MEMORY)
		uri = xstrdup(":memory:");
	else
		uri = path_uri(s->path, immutable);
	pthread_once(&once, sqlite_setup);
	sqlite3_close(s->db);
	rc = sqlite3_open_v2(uri, &s->db, oflags | SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		xasprintf(cause, "cannot open '%s': %s", s->path,
		    s->db ? sqlite3_errmsg(s->db) : "out of memory");
		return -1;
	}
	sqlite3_busy_timeout(s->db, BUSY_MS);
	sqlite3_extended_result_codes(s->db, 1);
	/*
	 * NORMAL is durable across a crash of rung in WAL mode; only power
	 * loss may drop the last transactions, never corrupt the file.
	 */
	return store_exec_sql(s->db, "PRAGMA foreign_keys = ON;"
	    "PRAGMA synchronous = NORMAL;"
	    "PRAGMA cache_size = -16384", s->path, cause);
}

/*
 * Open for reading only. A reader of a database in WAL mode needs the
 * -shm file, and makes it (and the -wal) when missing; where the directory
 * cannot be written (a read-only mount, a directory of another user) it
 * cannot, and SQLite says "unable to open database file". There, a database
 * without a -wal to read (rung closed it cleanly) is opened immutable: no
 * one writes it, so it needs neither locks nor the -shm. A -wal with
 * transactions in it but no -shm cannot be read there: immutable would
 * ignore the transactions, so it is refused.
 */
static int
open_read(struct rung_store *s, char **cause)
{
	struct stat	 sb;
	char		*dir, *wal, *shm;
	int		 immutable = 0, ret = 0;

	dir = path_dir(s->path);
	xasprintf(&wal, "%s-wal", s->path);
	xasprintf(&shm, "%s-shm", s->path);
	if (access(dir, W_OK) != 0 && access(shm, F_OK) != 0) {
		if (stat(wal, &sb) == 0 && sb.st_size > 0) {
			xasprintf(cause, "cannot read '%s': its write-ahead log "
			    "'%s' holds transactions, which need a '%s' file "
			    "that cannot be made in a directory that cannot be "
			    "written; copy the database and its -wal where "
			    "they can", s->path, wal, shm);
			ret = -1;
		} else
			immutable = 1;
	}
	free(dir);
	free(wal);
	free(shm);
	if (ret == 0)
		ret = open_db(s, SQLITE_OPEN_READONLY, immutable, cause);
	return ret;
}

static int
open_write(struct rung_store *s, char **cause)
{
	char	*why;

	if (writable(s->path, &why) != 0) {
		xasprintf(cause, "%s (commands that only read can read it)",
		    why);
		free(why);
		return -1;
	}
	if (open_db(s, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 0,
	    cause) != 0)
		return -1;
	return exec_wait(s->db, "PRAGMA journal_mode = WAL", s->path, cause);
}

/*
 * A reader where the database cannot be written: an old schema cannot be
 * migrated there, and says so.
 */
static int
read_version(struct rung_store *s, char **cause)
{
	int	 v, rc;

	if (store_exec_sql(s->db, "BEGIN", s->path, cause) != 0)
		return -1;
	if (user_version(s->db, &v) != 0) {
		xasprintf(cause, "'%s' is not a rung database: %s", s->path,
		    sqlite3_errmsg(s->db));
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	rc = check_version(s, v, 1, cause);
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (rc != 0)
		return -1;
	if (v != NMIGRATIONS) {
		xasprintf(cause, "'%s' has schema version %d and this rung "
		    "reads %d: needs migrating: run a write command once "
		    "where it can be written", s->path, v, NMIGRATIONS);
		return -1;
	}
	return 0;
}

int
rung_store_open(const char *path, int flags, struct rung_store **out,
    char **cause)
{
	struct rung_store *s;
	char		*why;

	if (flags & RUNG_STORE_MEMORY) {
		s = xcalloc(1, sizeof *s);
		s->path = xstrdup(path);
		if (open_db(s, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
		    SQLITE_OPEN_MEMORY, 0, cause) != 0 || migrate(s, cause) != 0)
			goto fail;
		*out = s;
		return 0;
	}
	if (check_path(path, cause) != 0)
		return -1;
	if ((flags & (RUNG_STORE_READONLY | RUNG_STORE_MUSTEXIST)) &&
	    access(path, F_OK) != 0) {
		xasprintf(cause, "cannot open '%s': %s (import a study first)",
		    path, strerror(errno));
		return -1;
	}
	s = xcalloc(1, sizeof *s);
	s->path = xstrdup(path);
	s->readonly = (flags & RUNG_STORE_READONLY) != 0;
	/*
	 * A reader opens a database it could write as a writer does, so that
	 * it migrates an old schema, and as the last one out removes the -wal
	 * and -shm files as a read-only connection cannot; query_only keeps
	 * it a reader. Only where it cannot write does it open read-only.
	 */
	if (s->readonly && writable(path, &why) != 0) {
		free(why);
		if (open_read(s, cause) != 0 || read_version(s, cause) != 0)
			goto fail;
	} else {
		if (open_write(s, cause) != 0 || migrate(s, cause) != 0)
			goto fail;
		if (s->readonly && store_exec_sql(s->db,
		    "PRAGMA query_only = 1", path, cause) != 0)
			goto fail;
	}
	*out = s;
	return 0;
fail:
	rung_store_close(s);
	return -1;
}

void
rung_store_close(struct rung_store *s)
{
	if (s == NULL)
		return;
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

sqlite3 *
rung_store_db(struct rung_store *s)
{
	return s->db;
}

const char *
rung_store_path(struct rung_store *s)
{
	return s->path;
}

int
rung_store_readonly(struct rung_store *s)
{
	return s->readonly;
}

int
rung_store_error(struct rung_store *s, char **cause)
{
	xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	return -1;
}

char *
store_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t != NULL ? xstrdup((const char *)t) : NULL;
}
int
store_prepare(struct rung_store *s, const char *sql, sqlite3_stmt **st,
    char **cause)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

/* Blobs are little-endian whatever the host: the file travels. */
void
rung_pack_f64(const double *v, uint32_t n, void *out)
{
	unsigned char	*p = out;
	uint64_t	 u;
	uint32_t	 i;
	int		 k;

	for (i = 0; i < n; i++) {
		memcpy(&u, &v[i], 8);
		for (k = 0; k < 8; k++)
			*p++ = (unsigned char)(u >> (8 * k));
	}
}

void
rung_pack_i32(const int32_t *v, uint32_t n, void *out)
{
	unsigned char	*p = out;
	uint32_t	 i, u;

	for (i = 0; i < n; i++) {
		u = (uint32_t)v[i];
		*p++ = (unsigned char)u;
		*p++ = (unsigned char)(u >> 8);
		*p++ = (unsigned char)(u >> 16);
		*p++ = (unsigned char)(u >> 24);
	}
}

int
rung_store_begin(struct rung_store *s, char **cause)
{
	return store_exec_sql(s->db, "BEGIN IMMEDIATE", s->path, cause);
}

int
rung_store_commit(struct rung_store *s, char **cause)
{
	char	*err = NULL;

	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, &err) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", s->path, err);
		sqlite3_free(err);
		rung_store_rollback(s);
		return -1;
	}
	return 0;
}

void
rung_store_rollback(struct rung_store *s)
{
	/* Nothing of the transaction stays: the database is as it was. */
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

