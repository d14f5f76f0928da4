#include "config.h"

#include <sys/stat.h>

#include <errno.h>
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

struct rung_store {
	sqlite3		*db;
	char		*path;
	int		 readonly;
};

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
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

/* How long a process waits for another's write lock: the busy timeout. */
#define BUSY_MS 10000

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

static int
exec_sql(sqlite3 *db, const char *sql, const char *what, char **cause)
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
	if (exec_wait(s->db, "BEGIN IMMEDIATE", s->path, cause) != 0)
		return -1;
	if (user_version(s->db, &v) != 0) {
		rung_store_error(s, cause);
		goto fail;
	}
	if (check_version(s, v, 1, cause) != 0)
		goto fail;
	for (i = v; i < NMIGRATIONS; i++) {
		if (exec_sql(s->db, migrations[i], "migrating the schema",
		    cause) != 0)
			goto fail;
	}
	if (v != NMIGRATIONS) {
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
		    NMIGRATIONS);
		if (exec_sql(s->db, sql, "migrating the schema", cause) != 0)
			goto fail;
	}
	if (exec_sql(s->db, "COMMIT", s->path, cause) != 0)
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

static int
open_db(struct rung_store *s, int oflags, int immutable, char **cause)
{
	char	*uri;
	int	 rc;

	if (oflags & SQLITE_OPEN_MEMORY)
		uri = xstrdup(":memory:");
	else
		uri = path_uri(s->path, immutable);
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
	return exec_sql(s->db, "PRAGMA foreign_keys = ON;"
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

	if (exec_sql(s->db, "BEGIN", s->path, cause) != 0)
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
		if (s->readonly && exec_sql(s->db, "PRAGMA query_only = 1",
		    path, cause) != 0)
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

static char *
col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t != NULL ? xstrdup((const char *)t) : NULL;
}

void
rung_study_info_release(struct rung_study_info *i)
{
	free(i->name);
	free(i->metric);
	free(i->source);
	free(i->created);
	memset(i, 0, sizeof *i);
}

#define STUDY_INFO_SQL \
	"SELECT s.id, s.name, s.metric, s.direction, s.source, s.created," \
	" (SELECT count(*) FROM trials t WHERE t.study_id = s.id)," \
	" (SELECT coalesce(sum(c.n), 0) FROM curves c JOIN metrics m" \
	"   ON c.metric_id = m.id WHERE m.study_id = s.id AND m.name = s.metric)," \
	" (SELECT coalesce(max(c.last_step), 0) FROM curves c JOIN metrics m" \
	"   ON c.metric_id = m.id WHERE m.study_id = s.id AND m.name = s.metric)" \
	" FROM studies s"

static void
read_info(sqlite3_stmt *st, struct rung_study_info *i)
{
	i->id = sqlite3_column_int64(st, 0);
	i->name = col_text(st, 1);
	i->metric = col_text(st, 2);
	i->direction = rung_direction_parse(
	    (const char *)sqlite3_column_text(st, 3));
	i->source = col_text(st, 4);
	i->created = col_text(st, 5);
	i->ntrials = sqlite3_column_int64(st, 6);
	i->npoints = sqlite3_column_int64(st, 7);
	i->max_step = sqlite3_column_int(st, 8);
}

static int
prepare(struct rung_store *s, const char *sql, sqlite3_stmt **st,
    char **cause)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

int
rung_store_studies(struct rung_store *s, struct rung_study_info **out,
    size_t *n, char **cause)
{
	sqlite3_stmt	*st;
	struct rung_study_info *v = NULL;
	size_t		 cap = 0, len = 0;
	int		 rc;

	if (prepare(s, STUDY_INFO_SQL " ORDER BY s.name", &st, cause) != 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(v, cap, len + 1);
		memset(&v[len], 0, sizeof v[len]);
		read_info(st, &v[len++]);
	}
	/* The message before finalize, which would answer for itself. */
	if (rc != SQLITE_DONE)
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		while (len > 0)
			rung_study_info_release(&v[--len]);
		free(v);
		return -1;
	}
	*out = v;
	*n = len;
	return 0;
}

int
rung_store_study(struct rung_store *s, const char *name,
    struct rung_study_info *info, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (prepare(s, STUDY_INFO_SQL " WHERE s.name = ?", &st, cause) != 0)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	memset(info, 0, sizeof *info);
	if (rc == SQLITE_ROW)
		read_info(st, info);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return 1;
	xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	return -1;
}

int
rung_store_metrics(struct rung_store *s, int64_t study, char ***names,
    enum rung_direction **dirs, size_t *n, char **cause)
{
	sqlite3_stmt	*st;
	char		**v = NULL;
	enum rung_direction *d = NULL;
	size_t		 cap = 0, len = 0;

	if (prepare(s, "SELECT m.name, m.direction FROM metrics m JOIN"
	    " studies s ON s.id = m.study_id WHERE m.study_id = ?"
	    " ORDER BY m.name <> s.metric, m.id", &st, cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, study);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (len + 1 > cap) {
			size_t	 c2 = cap;

			XGROW(v, c2, len + 1);
			d = xreallocarray(d, c2, sizeof *d);
			cap = c2;
		}
		v[len] = col_text(st, 0);
		d[len++] = rung_direction_parse(
		    (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	*names = v;
	if (dirs != NULL)
		*dirs = d;
	else
		free(d);
	*n = len;
	return 0;
}

int
rung_store_curve_metric(struct rung_store *s, const char *study,
    char **name, int *other, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	/*
	 * The metric of interest when some trial has a curve of it, else the
	 * first metric that has one: Optuna's objective is one value a trial,
	 * its curve the intermediate values.
	 */
	if (prepare(s, "SELECT m.name, m.name <> s.metric FROM metrics m"
	    " JOIN studies s"
	    " ON s.id = m.study_id WHERE s.name = ?1 AND (m.name = s.metric"
	    " OR EXISTS (SELECT 1 FROM curves c WHERE c.metric_id = m.id"
	    " AND c.n > 1)) ORDER BY EXISTS (SELECT 1 FROM curves c"
	    " WHERE c.metric_id = m.id AND c.n > 1) DESC, m.name = s.metric"
	    " DESC, m.id LIMIT 1", &st, cause) != 0)
		return -1;
	sqlite3_bind_text(st, 1, study, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*name = rc == SQLITE_ROW ? col_text(st, 0) : NULL;
	if (other != NULL)
		*other = rc == SQLITE_ROW && sqlite3_column_int(st, 1);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int
rung_store_final_metrics(struct rung_store *s, int64_t study,
    const char *except, char ***names, size_t *n, char **cause)
{
	sqlite3_stmt	*st;
	char		**v = NULL;
	size_t		 cap = 0, len = 0;
	int		 rc;

	if (prepare(s, "SELECT m.name FROM metrics m WHERE m.study_id = ?"
	    " AND m.name <> ?"
	    " AND EXISTS (SELECT 1 FROM curves c WHERE c.metric_id = m.id)"
	    " AND NOT EXISTS (SELECT 1 FROM curves c"
	    "  WHERE c.metric_id = m.id AND c.n > 1)"
	    " ORDER BY m.id", &st, cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, study);
	sqlite3_bind_text(st, 2, except, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(v, cap, len + 1);
		v[len++] = col_text(st, 0);
	}
	if (rc != SQLITE_DONE)
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		while (len > 0)
			free(v[--len]);
		free(v);
		return -1;
	}
	*names = v;
	*n = len;
	return 0;
}

/* A metric's row: 0 with its id and direction, 1 when there is none, or -1. */
static int
metric_row(struct rung_store *s, int64_t study, const char *metric,
    int64_t *id, enum rung_direction *dir, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (prepare(s, "SELECT id, direction FROM metrics WHERE study_id = ?"
	    " AND name = ?", &st, cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, study);
	sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*dir = rung_direction_parse(
		    (const char *)sqlite3_column_text(st, 1));
	} else if (rc != SQLITE_DONE)
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1;
}

int
rung_store_metric_direction(struct rung_store *s, int64_t study,
    const char *metric, enum rung_direction *dir, char **cause)
{
	int64_t	 id;

	return metric_row(s, study, metric, &id, dir, cause);
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

double
rung_unpack_f64(const void *blob, uint32_t i)
{
	const unsigned char *p = (const unsigned char *)blob + 8 * (size_t)i;
	uint64_t	 u = 0;
	double		 d;
	int		 k;

	for (k = 7; k >= 0; k--)
		u = (u << 8) | p[k];
	memcpy(&d, &u, 8);
	return d;
}

int32_t
rung_unpack_i32(const void *blob, uint32_t i)
{
	const unsigned char *p = (const unsigned char *)blob + 4 * (size_t)i;

	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
	    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

void
rung_curves_release(struct rung_curves *c)
{
	free(c->name);
	free(c->off);
	free(c->steps);
	free(c->vals);
	free(c->final);
	free(c->best);
	memset(c, 0, sizeof *c);
}

/*
 * Read one metric's curves for every trial of the study into one pool. The
 * trials' row ids are sorted, so a binary search maps a curve to its trial.
 */
static int
load_curves(struct rung_store *s, int64_t study_id, const char *metric,
    enum rung_direction dir, uint32_t ntrials, const int64_t *rowid,
    struct rung_curves *c, float **secs_out, char **cause)
{
	sqlite3_stmt	*st = NULL;
	uint32_t	*len = NULL, t, i, n;
	const void	*steps, *vals;
	int32_t		 first;
	int		 rc, pass, ret = -1, bytes_ok;
	uint64_t	 total;

	memset(c, 0, sizeof *c);
	/* The metric's own direction, unless the command overrides it. */
	if (dir == 0 && rung_store_metric_direction(s, study_id, metric, &dir,
	    cause) < 0)
		return -1;
	if (dir == 0)
		dir = RUNG_MIN;
	c->direction = dir;
	c->name = xstrdup(metric);
	c->off = xcalloc((size_t)ntrials + 1, sizeof *c->off);
	len = xcalloc(ntrials ? ntrials : 1, sizeof *len);
	c->final = xreallocarray(NULL, ntrials ? ntrials : 1,
	    sizeof *c->final);
	c->best = xreallocarray(NULL, ntrials ? ntrials : 1, sizeof *c->best);
	for (t = 0; t < ntrials; t++)
		c->final[t] = c->best[t] = NAN;
	/*
	 * Two passes: sizes, then one allocation and the copy. The first
	 * asks for the sizes alone: a column in the result is read from the
	 * record even if nobody looks at it, and the blobs are nearly all of
	 * the study's bytes.
	 */
	for (pass = 0; pass < 2; pass++) {
		sqlite3_finalize(st);
		st = NULL;
		if (prepare(s, pass == 0 ? "SELECT c.trial_id, c.n"
		    " FROM curves c JOIN metrics m ON m.id = c.metric_id"
		    " WHERE m.study_id = ? AND m.name = ? ORDER BY c.trial_id" :
		    "SELECT c.trial_id, c.n, c.first_step, c.steps, c.vals"
		    " FROM curves c JOIN metrics m ON m.id = c.metric_id"
		    " WHERE m.study_id = ? AND m.name = ? ORDER BY c.trial_id",
		    &st, cause) != 0)
			goto out;
		sqlite3_bind_int64(st, 1, study_id);
		sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
		t = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			int64_t tid = sqlite3_column_int64(st, 0);

			while (t < ntrials && rowid[t] < tid)
				t++;
			if (t == ntrials || rowid[t] != tid)
				continue;
			n = (uint32_t)sqlite3_column_int(st, 1);
			if (pass == 0) {
				len[t] = n;
				continue;
			}
			first = sqlite3_column_int(st, 2);
			steps = sqlite3_column_blob(st, 3);
			bytes_ok = sqlite3_column_bytes(st, 3) == (int)(4 * n);
			vals = sqlite3_column_blob(st, 4);
			if (sqlite3_column_bytes(st, 4) != (int)(8 * n) ||
			    (steps != NULL && !bytes_ok)) {
				xasprintf(cause, "%s: curve of trial %lld is "
				    "damaged (size does not match n = %u)",
				    s->path, (long long)tid, n);
				goto out;
			}
			for (i = 0; i < n; i++) {
				double	 v = rung_unpack_f64(vals, i);

				c->steps[c->off[t] + i] = steps != NULL ?
				    rung_unpack_i32(steps, i) : first +
				    (int32_t)i;
				c->vals[c->off[t] + i] = (float)v;
				if (isfinite(v) && rung_better(dir, v,
				    c->best[t]))
					c->best[t] = v;
				c->final[t] = v;
			}
		}
		if (rc != SQLITE_DONE) {
			xasprintf(cause, "%s: %s", s->path,
			    sqlite3_errmsg(s->db));
			goto out;
		}
		if (pass == 0) {
			total = 0;
			for (t = 0; t < ntrials; t++) {
				c->off[t] = (uint32_t)total;
				total += len[t];
			}
			if (total > UINT32_MAX) {
				xasprintf(cause, "study has %llu points, more "
				    "than rung holds in memory (%u)",
				    (unsigned long long)total, UINT32_MAX);
				goto out;
			}
			c->off[ntrials] = (uint32_t)total;
			c->steps = xreallocarray(NULL, total ? total : 1,
			    sizeof *c->steps);
			c->vals = xreallocarray(NULL, total ? total : 1,
			    sizeof *c->vals);
		}
	}
	ret = 0;
	if (secs_out == NULL)
		goto out;

	/* Seconds per step, aligned with the curve's points. */
	sqlite3_finalize(st);
	st = NULL;
	*secs_out = NULL;
	if (prepare(s, "SELECT x.trial_id, x.n, x.first_step, x.steps, x.secs"
	    " FROM step_seconds x JOIN trials t ON t.id = x.trial_id"
	    " WHERE t.study_id = ? ORDER BY x.trial_id", &st, cause) != 0) {
		ret = -1;
		goto out;
	}
	sqlite3_bind_int64(st, 1, study_id);
	t = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t	 tid = sqlite3_column_int64(st, 0);
		uint32_t j = 0, k;
		int32_t	 step;

		while (t < ntrials && rowid[t] < tid)
			t++;
		if (t == ntrials || rowid[t] != tid)
			continue;
		n = (uint32_t)sqlite3_column_int(st, 1);
		first = sqlite3_column_int(st, 2);
		steps = sqlite3_column_blob(st, 3);
		vals = sqlite3_column_blob(st, 4);
		if (sqlite3_column_bytes(st, 4) != (int)(8 * n) ||
		    (steps != NULL && sqlite3_column_bytes(st, 3) !=
		    (int)(4 * n)))
			continue;
		if (*secs_out == NULL) {
			*secs_out = xreallocarray(NULL,
			    c->off[ntrials] ? c->off[ntrials] : 1,
			    sizeof **secs_out);
			for (k = 0; k < c->off[ntrials]; k++)
				(*secs_out)[k] = NAN;
		}
		/* Both lists are sorted by step: walk them together. */
		for (k = c->off[t]; k < c->off[t + 1]; k++) {
			while (j < n) {
				step = steps != NULL ? rung_unpack_i32(steps,
				    j) : first + (int32_t)j;
				if (step >= c->steps[k])
					break;
				j++;
			}
			if (j < n && (steps != NULL ? rung_unpack_i32(steps,
			    j) : first + (int32_t)j) == c->steps[k])
				(*secs_out)[k] = (float)rung_unpack_f64(vals,
				    j);
		}
	}
out:
	sqlite3_finalize(st);
	free(len);
	if (ret != 0)
		rung_curves_release(c);
	return ret;
}

static int
load_params(struct rung_store *s, struct rung_study *study, char **cause)
{
	sqlite3_stmt	*st = NULL;
	struct rung_param *p;
	uint32_t	 i, t, l;
	int64_t		*pid = NULL, tid;
	int		 rc, ret = -1;
	const char	*txt;

	if (prepare(s, "SELECT id, name, type, log FROM params"
	    " WHERE study_id = ? ORDER BY id", &st, cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, study->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		study->params = xreallocarray(study->params,
		    study->nparams + 1, sizeof *study->params);
		pid = xreallocarray(pid, study->nparams + 1, sizeof *pid);
		p = &study->params[study->nparams];
		memset(p, 0, sizeof *p);
		pid[study->nparams] = sqlite3_column_int64(st, 0);
		p->name = col_text(st, 1);
		txt = (const char *)sqlite3_column_text(st, 2);
		p->type = strcmp(txt, "int") == 0 ? RUNG_PINT :
		    strcmp(txt, "categorical") == 0 ? RUNG_PCAT : RUNG_PREAL;
		p->log = sqlite3_column_int(st, 3);
		if (p->type == RUNG_PCAT) {
			p->cat = xreallocarray(NULL, study->ntrials ?
			    study->ntrials : 1, sizeof *p->cat);
			for (t = 0; t < study->ntrials; t++)
				p->cat[t] = UINT32_MAX;
		} else {
			p->num = xreallocarray(NULL, study->ntrials ?
			    study->ntrials : 1, sizeof *p->num);
			for (t = 0; t < study->ntrials; t++)
				p->num[t] = NAN;
		}
		study->nparams++;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (study->nparams == 0)
		return 0;

	if (prepare(s, "SELECT tp.trial_id, tp.param_id, tp.value"
	    " FROM trial_params tp JOIN trials t ON t.id = tp.trial_id"
	    " WHERE t.study_id = ? ORDER BY tp.trial_id", &st, cause) != 0)
		goto out;
	sqlite3_bind_int64(st, 1, study->id);
	t = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		tid = sqlite3_column_int64(st, 0);
		while (t < study->ntrials && study->trial_rowid[t] < tid)
			t++;
		if (t == study->ntrials)
			break;
		if (study->trial_rowid[t] != tid)
			continue;
		for (i = 0; i < study->nparams; i++) {
			if (pid[i] == sqlite3_column_int64(st, 1))
				break;
		}
		if (i == study->nparams ||
		    sqlite3_column_type(st, 2) == SQLITE_NULL)
			continue;
		p = &study->params[i];
		if (p->type != RUNG_PCAT) {
			p->num[t] = sqlite3_column_double(st, 2);
			continue;
		}
		txt = (const char *)sqlite3_column_text(st, 2);
		for (l = 0; l < p->nlevels; l++) {
			if (strcmp(p->levels[l], txt) == 0)
				break;
		}
		if (l == p->nlevels) {
			p->levels = xreallocarray(p->levels, p->nlevels + 1,
			    sizeof *p->levels);
			p->levels[p->nlevels++] = xstrdup(txt);
		}
		p->cat[t] = l;
	}
	for (i = 0; i < study->nparams; i++)
		rung_param_order_levels(&study->params[i], study->ntrials);
	ret = 0;
out:
	sqlite3_finalize(st);
	free(pid);
	return ret;
}

int
rung_store_load(struct rung_store *s, const char *name, const char *metric,
    enum rung_direction dir, struct rung_study **out, char **cause)
{
	struct rung_study_info info;
	struct rung_study *study;
	sqlite3_stmt	*st = NULL;
	size_t		 cap = 0;
	int		 rc;

	if ((rc = rung_store_study(s, name, &info, cause)) != 0) {
		if (rc == 1)
			rung_store_no_study(s, name, cause);
		return -1;
	}
	study = xcalloc(1, sizeof *study);
	study->id = info.id;
	study->name = info.name;
	study->source = info.source;
	study->direction = info.direction;
	info.name = info.source = NULL;

	if (prepare(s, "SELECT id, ext_id, status FROM trials"
	    " WHERE study_id = ? ORDER BY id", &st, cause) != 0)
		goto fail;
	sqlite3_bind_int64(st, 1, study->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (study->ntrials + 1 > cap) {
			size_t	 c2 = cap;

			XGROW(study->ids, c2, study->ntrials + 1);
			study->trial_rowid = xreallocarray(study->trial_rowid,
			    c2, sizeof *study->trial_rowid);
			study->status = xreallocarray(study->status, c2, 1);
			cap = c2;
		}
		study->trial_rowid[study->ntrials] = sqlite3_column_int64(st, 0);
		study->ids[study->ntrials] = col_text(st, 1);
		rc = rung_status_parse((const char *)sqlite3_column_text(st, 2));
		study->status[study->ntrials] = rc < 0 ? RUNG_COMPLETE :
		    (uint8_t)rc;
		study->ntrials++;
	}
	sqlite3_finalize(st);
	st = NULL;

	if (metric == NULL)
		metric = info.metric;
	if (load_curves(s, study->id, metric, dir, study->ntrials,
	    study->trial_rowid, &study->curve, &study->secs, cause) != 0)
		goto fail;
	/* What the study's best means is what the loaded metric's does. */
	study->direction = study->curve.direction;
	if (load_params(s, study, cause) != 0)
		goto fail;
	study->max_step = 0;
	for (uint32_t t = 0; t < study->ntrials; t++) {
		int32_t	 last = rung_trial_last_step(study, t);

		if (rung_curve_len(study, t) > 0 && last > study->max_step)
			study->max_step = last;
	}
	rung_study_info_release(&info);
	*out = study;
	return 0;
fail:
	sqlite3_finalize(st);
	rung_study_info_release(&info);
	rung_study_free(study);
	return -1;
}

int
rung_store_load_curves(struct rung_store *s, const struct rung_study *study,
    const char *metric, enum rung_direction dir, struct rung_curves *c,
    char **cause)
{
	return load_curves(s, study->id, metric, dir, study->ntrials,
	    study->trial_rowid, c, NULL, cause);
}

int
rung_store_has_source(struct rung_store *s, const char *study,
    const char *digest, char **path, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (prepare(s, "SELECT so.path FROM sources so JOIN studies st"
	    " ON st.id = so.study_id WHERE st.name = ? AND so.digest = ?",
	    &st, cause) != 0)
		return -1;
	sqlite3_bind_text(st, 1, study, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, digest, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && path != NULL)
		*path = col_text(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	return -1;
}

/* Writing an import. */

struct writer {
	struct rung_store *s;
	sqlite3_stmt	*find_trial, *del_trial, *ins_trial, *ins_param,
			*ins_curve, *ins_secs;
	unsigned char	*blob;
	size_t		 blobcap;
};

static void
writer_release(struct writer *w)
{
	sqlite3_finalize(w->find_trial);
	sqlite3_finalize(w->del_trial);
	sqlite3_finalize(w->ins_trial);
	sqlite3_finalize(w->ins_param);
	sqlite3_finalize(w->ins_curve);
	sqlite3_finalize(w->ins_secs);
	free(w->blob);
}

static int
step_done(struct rung_store *s, sqlite3_stmt *st, char **cause)
{
	int	 rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	return -1;
}

static int
contiguous(const int32_t *steps, uint32_t n)
{
	uint32_t	 i;

	for (i = 1; i < n; i++) {
		if (steps[i] != steps[0] + (int32_t)i)
			return 0;
	}
	return 1;
}

/* Bind steps (NULL when contiguous) and values as blobs at columns a, a+1. */
static void
bind_points(struct writer *w, sqlite3_stmt *st, int a, const int32_t *steps,
    const double *vals, uint32_t n)
{
	size_t	 need = (size_t)n * 12;

	XGROW(w->blob, w->blobcap, need ? need : 1);
	if (contiguous(steps, n))
		sqlite3_bind_null(st, a);
	else {
		rung_pack_i32(steps, n, w->blob);
		sqlite3_bind_blob(st, a, w->blob, (int)(4 * n), SQLITE_STATIC);
	}
	rung_pack_f64(vals, n, w->blob + 4 * (size_t)n);
	sqlite3_bind_blob(st, a + 1, w->blob + 4 * (size_t)n, (int)(8 * n),
	    SQLITE_STATIC);
}

static int
ensure_study(struct rung_store *s, const struct rung_batch_view *v,
    const char *name, const struct rung_import_opts *o, int64_t *id,
    int *created, char **metric_out, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;
	char		*metric = NULL, *src;
	int		 dir;

	if (prepare(s, "SELECT id, metric, direction FROM studies"
	    " WHERE name = ?", &st, cause) != 0)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		metric = col_text(st, 1);
		dir = rung_direction_parse(
		    (const char *)sqlite3_column_text(st, 2));
		sqlite3_finalize(st);
		*created = 0;
		if (o->metric != NULL && strcmp(o->metric, metric) != 0) {
			xasprintf(cause, "study '%s' measures '%s', not '%s': "
			    "import into another study (-s)", name, metric,
			    o->metric);
			free(metric);
			return -1;
		}
		if (o->direction != 0 && (int)o->direction != dir) {
			xasprintf(cause, "study '%s' is to %s '%s', not to %s "
			    "it", name, dir == RUNG_MAX ? "maximize" :
			    "minimize", metric, o->direction == RUNG_MAX ?
			    "maximize" : "minimize");
			free(metric);
			return -1;
		}
		*metric_out = metric;
		return 0;
	}
	/* The message before finalize, which would answer for itself. */
	if (rc != SQLITE_DONE)
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		return -1;
	}
	if (prepare(s, "INSERT INTO studies (name, metric, direction, source)"
	    " VALUES (?, ?, ?, ?)", &st, cause) != 0)
		return -1;
	src = xprintf("%s:%s", v->nsources ? v->sources[0].format : "",
	    v->nsources ? v->sources[0].path : "");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, v->metric, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rung_direction_name(v->direction), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 4, src, -1, SQLITE_STATIC);
	rc = step_done(s, st, cause);
	sqlite3_finalize(st);
	free(src);
	if (rc != 0)
		return -1;
	*id = sqlite3_last_insert_rowid(s->db);
	*created = 1;
	*metric_out = xstrdup(v->metric);
	return 0;
}

/*
 * The metric's id; a new metric gets dir, one the study has keeps its own
 * (*kept set to it), so that importing more trials never flips a direction.
 */
static int
ensure_metric(struct rung_store *s, int64_t study, const char *name,
    enum rung_direction dir, int64_t *id, enum rung_direction *kept,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	*kept = 0;
	if ((rc = metric_row(s, study, name, id, kept, cause)) != 1)
		return rc;
	if (prepare(s, "INSERT INTO metrics (study_id, name, direction)"
	    " VALUES (?, ?, ?)", &st, cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, study);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rung_direction_name(dir), -1, SQLITE_STATIC);
	rc = step_done(s, st, cause);
	sqlite3_finalize(st);
	*id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static int
ensure_param(struct rung_store *s, int64_t study, const char *name,
    enum rung_ptype type, int log, int64_t *id, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;
	const char	*have;
	enum rung_ptype	 old;

	if (prepare(s, "SELECT id, type FROM params WHERE study_id = ?"
	    " AND name = ?", &st, cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, study);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		have = (const char *)sqlite3_column_text(st, 1);
		old = strcmp(have, "int") == 0 ? RUNG_PINT :
		    strcmp(have, "real") == 0 ? RUNG_PREAL : RUNG_PCAT;
		sqlite3_finalize(st);
		if (old == type)
			return 0;
		/* int widens to real exactly; nothing else is safe. */
		if (old == RUNG_PINT && type == RUNG_PREAL) {
			if (prepare(s, "UPDATE params SET type = 'real'"
			    " WHERE id = ?", &st, cause) != 0)
				return -1;
			sqlite3_bind_int64(st, 1, *id);
			rc = step_done(s, st, cause);
			sqlite3_finalize(st);
			return rc;
		}
		if (old == RUNG_PREAL && type == RUNG_PINT)
			return 0;
		xasprintf(cause, "parameter '%s' is %s in the study but %s in "
		    "this import", name, rung_ptype_name(old),
		    rung_ptype_name(type));
		return -1;
	}
	sqlite3_finalize(st);
	if (prepare(s, "INSERT INTO params (study_id, name, type, log)"
	    " VALUES (?, ?, ?, ?)", &st, cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, study);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rung_ptype_name(type), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, log);
	rc = step_done(s, st, cause);
	sqlite3_finalize(st);
	*id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

/*
 * The campaign of rung launch that owns a study, if any. Its trials are
 * written as they are reported, by handle, for as long as the campaign is
 * not done (running, or interrupted or failed and waiting for --resume): an
 * import then would take an ext_id the campaign is about to use, or with
 * --replace delete a trial under it. So an import into the study of an
 * unfinished campaign is refused, --replace or not; the study of a done one
 * takes new trials (a done campaign starts none), but never in place of the
 * campaign's own. Checked inside the import's write transaction, so that
 * neither order of an import and a launch can slip between check and write.
 * 1 and *launched when a done campaign owns the study, 0 when none does.
 */
static int
check_campaign(struct rung_store *s, int64_t study, const char *name,
    int *launched, char **cause)
{
	sqlite3_stmt	*st;
	const char	*status, *host;
	int64_t		 pid;
	int		 rc;

	*launched = 0;
	if (prepare(s, "SELECT status, pid, host FROM launches"
	    " WHERE study_id = ?", &st, cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, study);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		if (rc != SQLITE_DONE)
			xasprintf(cause, "%s: %s", s->path,
			    sqlite3_errmsg(s->db));
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	status = (const char *)sqlite3_column_text(st, 0);
	pid = sqlite3_column_int64(st, 1);
	host = (const char *)sqlite3_column_text(st, 2);
	if (status != NULL && strcmp(status, "done") == 0) {
		sqlite3_finalize(st);
		*launched = 1;
		return 1;
	}
	if (status != NULL && strcmp(status, "running") == 0)
		xasprintf(cause, "study '%s' is the campaign of rung launch, "
		    "which is running (pid %lld on %s): no import into it "
		    "until it is done; wait for it to end (or, if its rung was "
		    "killed, run rung launch --resume %s to finish it), or "
		    "import into another study (-s)", name, (long long)pid,
		    host != NULL ? host : "?", name);
	else
		xasprintf(cause, "study '%s' is the campaign of rung launch, "
		    "which is %s: no import into it until it is done; rung "
		    "launch --resume %s finishes it, or import into another "
		    "study (-s)", name, status != NULL ? status : "unfinished",
		    name);
	sqlite3_finalize(st);
	return -1;
}

/* Whether trial tid was made by rung launch. */
static int
launch_trial(struct rung_store *s, int64_t tid, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (prepare(s, "SELECT 1 FROM launch_trials WHERE trial_id = ?", &st,
	    cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, tid);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
rung_store_write(struct rung_store *s, struct rung_batch *b,
    const struct rung_import_opts *o, struct rung_study_report *rep,
    char **cause)
{
	struct rung_batch_view v;
	struct writer	 w = { .s = s };
	int64_t		 study, *mid = NULL, *pid = NULL, *sid = NULL, tid;
	uint32_t	 i, t, n, m;
	char		*metric = NULL;
	const int32_t	*steps;
	const double	*vals;
	struct rung_batch_value pv;
	struct rung_progress prog;
	sqlite3_stmt	*st;
	int		 ret = -1, found, launched = 0;

	rung_batch_view(b, &v);
	if (ensure_study(s, &v, rep->study, o, &study, &rep->created, &metric,
	    cause) != 0)
		return -1;
	if (!rep->created) {
		if (check_campaign(s, study, rep->study, &launched,
		    cause) < 0)
			goto out;
		for (found = 0, m = 0; m < v.nmetrics; m++)
			if (strcmp(rung_batch_metric_name(b, m), metric) == 0)
				found = 1;
		if (!found) {
			xasprintf(cause, "study '%s' measures '%s', which this "
			    "import does not hold", rep->study, metric);
			goto out;
		}
	}

	mid = xcalloc(v.nmetrics ? v.nmetrics : 1, sizeof *mid);
	rep->metrics = xcalloc(v.nmetrics ? v.nmetrics : 1,
	    sizeof *rep->metrics);
	for (m = 0; m < v.nmetrics; m++) {
		struct rung_metric_report *mr = &rep->metrics[m];
		enum rung_direction kept;

		mr->name = xstrdup(rung_batch_metric_name(b, m));
		mr->direction = rung_batch_metric_dir(b, m, &mr->how,
		    &mr->word);
		rep->nmetrics++;
		if (ensure_metric(s, study, mr->name, mr->direction, &mid[m],
		    &kept, cause) != 0)
			goto out;
		if (kept != 0) {
			mr->direction = kept;
			mr->how = RUNG_DIR_KEPT;
		}
	}
	pid = xcalloc(v.nparams ? v.nparams : 1, sizeof *pid);
	for (i = 0; i < v.nparams; i++) {
		if (ensure_param(s, study, rung_batch_param_name(b, i),
		    rung_batch_param_type(b, i), rung_batch_param_log(b, i),
		    &pid[i], cause) != 0)
			goto out;
	}
	sid = xcalloc(v.nsources ? v.nsources : 1, sizeof *sid);
	for (i = 0; i < v.nsources; i++) {
		if (o->replace) {
			if (prepare(s, "DELETE FROM sources WHERE study_id = ?"
			    " AND digest = ?", &st, cause) != 0)
				goto out;
			sqlite3_bind_int64(st, 1, study);
			sqlite3_bind_text(st, 2, v.sources[i].digest, -1,
			    SQLITE_STATIC);
			found = step_done(s, st, cause);
			sqlite3_finalize(st);
			if (found != 0)
				goto out;
		}
		if (prepare(s, "INSERT INTO sources (study_id, format, path,"
		    " size, digest) VALUES (?, ?, ?, ?, ?)"
		    " ON CONFLICT DO NOTHING", &st, cause) != 0)
			goto out;
		sqlite3_bind_int64(st, 1, study);
		sqlite3_bind_text(st, 2, v.sources[i].format, -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(st, 3, v.sources[i].path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)v.sources[i].size);
		sqlite3_bind_text(st, 5, v.sources[i].digest, -1,
		    SQLITE_STATIC);
		found = step_done(s, st, cause);
		sqlite3_finalize(st);
		if (found != 0)
			goto out;
		sid[i] = sqlite3_changes(s->db) ?
		    sqlite3_last_insert_rowid(s->db) : 0;
	}

	if (prepare(s, "SELECT id FROM trials WHERE study_id = ? AND"
	    " ext_id = ?", &w.find_trial, cause) != 0 ||
	    prepare(s, "DELETE FROM trials WHERE id = ?", &w.del_trial,
	    cause) != 0 ||
	    prepare(s, "INSERT INTO trials (study_id, ext_id, status,"
	    " source_id) VALUES (?, ?, ?, ?)", &w.ins_trial, cause) != 0 ||
	    prepare(s, "INSERT INTO trial_params (trial_id, param_id, value)"
	    " VALUES (?, ?, ?)", &w.ins_param, cause) != 0 ||
	    prepare(s, "INSERT INTO curves (trial_id, metric_id, n,"
	    " first_step, last_step, steps, vals) VALUES (?, ?, ?, ?, ?, ?, ?)",
	    &w.ins_curve, cause) != 0 ||
	    prepare(s, "INSERT INTO step_seconds (trial_id, n, first_step,"
	    " steps, secs) VALUES (?, ?, ?, ?, ?)", &w.ins_secs, cause) != 0)
		goto out;

	rung_progress_start(&prog, "writing", v.ntrials);
	for (t = 0; t < v.ntrials; t++) {
		const char *ext = rung_batch_trial_id(b, t);

		rung_progress_update(&prog, t);
		sqlite3_bind_int64(w.find_trial, 1, study);
		sqlite3_bind_text(w.find_trial, 2, ext, -1, SQLITE_STATIC);
		if (sqlite3_step(w.find_trial) == SQLITE_ROW) {
			tid = sqlite3_column_int64(w.find_trial, 0);
			sqlite3_reset(w.find_trial);
			i = rung_batch_trial_source(b, t);
			if (launched && (found = launch_trial(s, tid,
			    cause)) != 0) {
				if (found > 0)
					xasprintf(cause, "trial '%s' of '%s' is "
					    "one that rung launch ran in study "
					    "'%s': a campaign's trials are not "
					    "replaced; import it into another "
					    "study (-s)", ext, i < v.nsources ?
					    v.sources[i].path : "the import",
					    rep->study);
				goto out;
			}
			if (!o->replace) {
				xasprintf(cause, "trial '%s' of '%s' is already "
				    "in study '%s': use --replace to replace "
				    "it", ext, i < v.nsources ?
				    v.sources[i].path : "the import",
				    rep->study);
				goto out;
			}
			sqlite3_bind_int64(w.del_trial, 1, tid);
			if (step_done(s, w.del_trial, cause) != 0)
				goto out;
			rep->replaced_trials++;
		} else
			sqlite3_reset(w.find_trial);

		i = rung_batch_trial_source(b, t);
		sqlite3_bind_int64(w.ins_trial, 1, study);
		sqlite3_bind_text(w.ins_trial, 2, ext, -1, SQLITE_STATIC);
		sqlite3_bind_text(w.ins_trial, 3, rung_status_name(
		    rung_batch_trial_status(b, t)), -1, SQLITE_STATIC);
		if (i < v.nsources && sid[i] != 0)
			sqlite3_bind_int64(w.ins_trial, 4, sid[i]);
		else
			sqlite3_bind_null(w.ins_trial, 4);
		if (step_done(s, w.ins_trial, cause) != 0)
			goto out;
		tid = sqlite3_last_insert_rowid(s->db);

		for (i = 0; i < v.nparams; i++) {
			rung_batch_trial_param(b, t, i, &pv);
			if (!pv.set)
				continue;
			sqlite3_bind_int64(w.ins_param, 1, tid);
			sqlite3_bind_int64(w.ins_param, 2, pid[i]);
			if (pv.type == RUNG_PCAT)
				sqlite3_bind_text(w.ins_param, 3, pv.text, -1,
				    SQLITE_STATIC);
			else if (pv.type == RUNG_PINT)
				sqlite3_bind_int64(w.ins_param, 3, pv.i);
			else if (isnan(pv.d))
				sqlite3_bind_null(w.ins_param, 3);
			else
				sqlite3_bind_double(w.ins_param, 3, pv.d);
			if (step_done(s, w.ins_param, cause) != 0)
				goto out;
		}
		for (m = 0; m < v.nmetrics; m++) {
			n = rung_batch_curve(b, t, m, &steps, &vals);
			if (n == 0)
				continue;
			sqlite3_bind_int64(w.ins_curve, 1, tid);
			sqlite3_bind_int64(w.ins_curve, 2, mid[m]);
			sqlite3_bind_int(w.ins_curve, 3, (int)n);
			sqlite3_bind_int(w.ins_curve, 4, steps[0]);
			sqlite3_bind_int(w.ins_curve, 5, steps[n - 1]);
			bind_points(&w, w.ins_curve, 6, steps, vals, n);
			if (step_done(s, w.ins_curve, cause) != 0)
				goto out;
		}
		if ((n = rung_batch_times(b, t, &steps, &vals)) > 0) {
			sqlite3_bind_int64(w.ins_secs, 1, tid);
			sqlite3_bind_int(w.ins_secs, 2, (int)n);
			sqlite3_bind_int(w.ins_secs, 3, steps[0]);
			bind_points(&w, w.ins_secs, 4, steps, vals, n);
			if (step_done(s, w.ins_secs, cause) != 0)
				goto out;
		}
	}
	rung_progress_end(&prog);
	rep->trials += v.ntrials;
	rep->points += v.npoints;
	rep->duplicates += v.nduplicates;
	ret = 0;
out:
	writer_release(&w);
	free(mid);
	free(pid);
	free(sid);
	free(metric);
	return ret;
}

int
rung_store_begin(struct rung_store *s, char **cause)
{
	return exec_sql(s->db, "BEGIN IMMEDIATE", s->path, cause);
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

int
rung_store_import(struct rung_store *s, struct rung_batch *b,
    const struct rung_import_opts *o, struct rung_study_report *rep,
    char **cause)
{
	if (rung_store_begin(s, cause) != 0)
		return -1;
	if (rung_store_write(s, b, o, rep, cause) != 0) {
		rung_store_rollback(s);
		return -1;
	}
	return rung_store_commit(s, cause);
}

int
rung_exact_open(struct rung_store *s, int64_t study, struct rung_exact *x,
    char **cause)
{
	sqlite3_stmt	*st;
	size_t		 cap = 0;

	memset(x, 0, sizeof *x);
	if (prepare(s, "SELECT m.id, m.name FROM metrics m JOIN studies s ON"
	    " s.id = m.study_id WHERE m.study_id = ?"
	    " ORDER BY m.name <> s.metric, m.id", &st, cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, study);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (x->nmetrics + 1 > cap) {
			size_t	 c2 = cap;

			XGROW(x->metrics, c2, x->nmetrics + 1);
			x->metric_ids = xreallocarray(x->metric_ids, c2,
			    sizeof *x->metric_ids);
			cap = c2;
		}
		x->metric_ids[x->nmetrics] = sqlite3_column_int64(st, 0);
		x->metrics[x->nmetrics++] = col_text(st, 1);
	}
	sqlite3_finalize(st);
	x->curves = xcalloc(x->nmetrics ? x->nmetrics : 1, sizeof *x->curves);
	if (prepare(s, "SELECT metric_id, n, first_step, steps, vals"
	    " FROM curves WHERE trial_id = ?", &x->curve_st, cause) != 0 ||
	    prepare(s, "SELECT n, first_step, steps, secs FROM step_seconds"
	    " WHERE trial_id = ?", &x->secs_st, cause) != 0) {
		rung_exact_release(x);
		return -1;
	}
	return 0;
}

static int
unpack_points(struct rung_store *s, sqlite3_stmt *st, int col,
    struct rung_points *p, char **cause)
{
	uint32_t	 n = (uint32_t)sqlite3_column_int(st, col), i;
	int32_t		 first = sqlite3_column_int(st, col + 1);
	const void	*steps = sqlite3_column_blob(st, col + 2);
	const void	*vals = sqlite3_column_blob(st, col + 3);
	size_t		 cap = p->cap;

	if (sqlite3_column_bytes(st, col + 3) != (int)(8 * n) ||
	    (steps != NULL && sqlite3_column_bytes(st, col + 2) !=
	    (int)(4 * n))) {
		xasprintf(cause, "%s: a stored curve is damaged (its size does "
		    "not match n = %u)", s->path, n);
		return -1;
	}
	XGROW(p->steps, cap, n ? n : 1);
	p->vals = xreallocarray(p->vals, cap, sizeof *p->vals);
	p->cap = cap;
	for (i = 0; i < n; i++) {
		p->steps[i] = steps != NULL ? rung_unpack_i32(steps, i) :
		    first + (int32_t)i;
		p->vals[i] = rung_unpack_f64(vals, i);
	}
	p->n = n;
	return 0;
}

int
rung_exact_read(struct rung_store *s, struct rung_exact *x, int64_t trial,
    char **cause)
{
	size_t		 m;
	int64_t		 mid;
	int		 rc, ret = -1;

	for (m = 0; m < x->nmetrics; m++)
		x->curves[m].n = 0;
	x->secs.n = 0;
	sqlite3_bind_int64(x->curve_st, 1, trial);
	while ((rc = sqlite3_step(x->curve_st)) == SQLITE_ROW) {
		mid = sqlite3_column_int64(x->curve_st, 0);
		for (m = 0; m < x->nmetrics; m++) {
			if (x->metric_ids[m] == mid)
				break;
		}
		if (m < x->nmetrics && unpack_points(s, x->curve_st, 1,
		    &x->curves[m], cause) != 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
		goto out;
	}
	sqlite3_bind_int64(x->secs_st, 1, trial);
	if (sqlite3_step(x->secs_st) == SQLITE_ROW &&
	    unpack_points(s, x->secs_st, 0, &x->secs, cause) != 0)
		goto out;
	ret = 0;
out:
	sqlite3_reset(x->curve_st);
	sqlite3_reset(x->secs_st);
	return ret;
}

void
rung_exact_release(struct rung_exact *x)
{
	size_t	 m;

	for (m = 0; m < x->nmetrics; m++) {
		free(x->metrics[m]);
		free(x->curves[m].steps);
		free(x->curves[m].vals);
	}
	free(x->metrics);
	free(x->metric_ids);
	free(x->curves);
	free(x->secs.steps);
	free(x->secs.vals);
	sqlite3_finalize(x->curve_st);
	sqlite3_finalize(x->secs_st);
	memset(x, 0, sizeof *x);
}

/*
 * "no study 'NAME' in 'PATH'", with the nearest names when some are within
 * a slip of the keyboard: a mistyped name is the usual cause.
 */
void
rung_store_no_study(struct rung_store *st, const char *name, char **cause)
{
	struct rung_buf	 b = { 0 };
	sqlite3_stmt	*q;
	char		**names = NULL, *dummy = NULL;
	size_t		 n = 0, cap = 0;

	rung_buf_printf(&b, "no study '%s' in '%s'", name, st->path);
	if (prepare(st, "SELECT name FROM studies ORDER BY name", &q,
	    &dummy) == 0) {
		while (sqlite3_step(q) == SQLITE_ROW) {
			XGROW(names, cap, n + 1);
			names[n++] = xstrdup((const char *)
			    sqlite3_column_text(q, 0));
		}
		sqlite3_finalize(q);
	}
	free(dummy);
	rung_buf_did_you_mean(&b, name, names, n);
	while (n > 0)
		free(names[--n]);
	free(names);
	*cause = xstrdup(rung_buf_cstr(&b));
	rung_buf_release(&b);
}

/* Does the study have this metric? 0, or -1 with *cause naming those it has. */
int
rung_store_check_metric(struct rung_store *st, const char *study, const char *metric,
    char **cause)
{
	struct rung_study_info	 info;
	struct rung_buf		 b = { 0 };
	char			**names;
	size_t			 n, i;
	int			 rc, found = 0;

	if ((rc = rung_store_study(st, study, &info, cause)) != 0) {
		if (rc == 1)
			rung_store_no_study(st, study, cause);
		return -1;
	}
	rc = rung_store_metrics(st, info.id, &names, NULL, &n, cause);
	rung_study_info_release(&info);
	if (rc != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (strcmp(names[i], metric) == 0)
			found = 1;
	}
	if (!found) {
		rung_buf_printf(&b, "study '%s' has no metric '%s'", study,
		    metric);
		if (!rung_buf_did_you_mean(&b, metric, names, n)) {
			rung_buf_addstr(&b, " (it has ");
			for (i = 0; i < n; i++)
				rung_buf_printf(&b, "%s%s", i ? ", " : "",
				    names[i]);
			rung_buf_addstr(&b, n ? ")" : "none)");
		}
		*cause = xstrdup(rung_buf_cstr(&b));
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	rung_buf_release(&b);
	return found ? 0 : -1;
}
