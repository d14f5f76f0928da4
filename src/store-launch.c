/*
 * The store's part of rung launch: what it writes to the study as it
 * happens: the study and its launch row, trials and their parameters, each
 * point as it is reported (a row of curve_tail, folded into the
 * curve, packed as imports pack it, when the run ends), the scheduler's
 * state after each decision, and the events.
 * Every write is a transaction of its own, committed before rung acts on
 * it, so that a rung killed at any moment leaves a study it can resume
 * (store-launch-read.c reads it back).
 */
#include "config.h"

#include <sys/wait.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "rung/launch.h"
#include "rung/sched.h"
#include "rung/store.h"
#include "rung/study.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "store-int.h"

#include "launch-int.h"
#include "store-launch-int.h"

enum {
	Q_CURVE = 0, Q_SECS, Q_EVENT, Q_STATE, Q_LT_UPDATE, Q_TRIAL_STATUS,
	Q_LT_RUN, Q_LT_END, Q_STUDY_REV, Q_TRIAL_REV, Q_TAIL, Q_TAIL_DEL,
};

static const char *const queries[] = {
	[Q_CURVE] = "INSERT INTO curves (trial_id, metric_id, n, first_step,"
	    " last_step, steps, vals, lo, hi, final) VALUES (?, ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?)"
	    " ON CONFLICT (trial_id, metric_id) DO UPDATE SET n = excluded.n,"
	    " first_step = excluded.first_step, last_step = excluded.last_step,"
	    " steps = excluded.steps, vals = excluded.vals, lo = excluded.lo,"
	    " hi = excluded.hi, final = excluded.final",
	[Q_SECS] = "INSERT INTO step_seconds (trial_id, n, first_step, steps,"
	    " secs) VALUES (?, ?, ?, ?, ?) ON CONFLICT (trial_id) DO UPDATE"
	    " SET n = excluded.n, first_step = excluded.first_step,"
	    " steps = excluded.steps, secs = excluded.secs",
	[Q_EVENT] = "INSERT INTO launch_events (launch_id, trial_id, step,"
	    " event, detail) VALUES (?, ?, ?, ?, ?)",
	[Q_STATE] = "UPDATE launches SET sched_state = ?, steps = ?,"
	    " updated = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
	[Q_LT_UPDATE] = "UPDATE launch_trials SET seen_step = ?, state = ?,"
	    " decision = coalesce(?, decision), decision_step ="
	    " coalesce(?, decision_step), reason = ?, target = ?,"
	    " updated = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
	    " WHERE trial_id = ?",
	[Q_TRIAL_STATUS] = "UPDATE trials SET status = ? WHERE id = ?",
	[Q_LT_RUN] = "UPDATE launch_trials SET state = 'running', target = ?,"
	    " runs = ?, pid = ?, sid = ?, key = ?, gpus = ?, log = ?,"
	    " exit_code = NULL, exit_signal = NULL, reason = NULL,"
	    " started = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
	    " updated = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
	    " WHERE trial_id = ?",
	[Q_LT_END] = "UPDATE launch_trials SET state = ?, seen_step = ?,"
	    " reason = ?, exit_code = ?, exit_signal = ?,"
	    " log_tail = coalesce(?, log_tail), pid = NULL, sid = NULL,"
	    " key = NULL,"
	    " updated = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
	    " WHERE trial_id = ?",
	/* What a write to a trial does to the revisions (schema 7). */
	[Q_STUDY_REV] = "UPDATE studies SET rev = rev + 1 WHERE id = ?",
	[Q_TRIAL_REV] = "UPDATE trials SET rev = (SELECT rev FROM studies"
	    " WHERE id = ?) WHERE id = ?",
	/* A point a row, after the first write of a series (schema 9). */
	[Q_TAIL] = "INSERT INTO curve_tail (trial_id, step, metric_id, value)"
	    " VALUES (?, ?, ?, ?)",
	[Q_TAIL_DEL] = "DELETE FROM curve_tail WHERE trial_id = ?",
};

static const char *const state_names[] = { "running", "paused", "stopped",
    "complete", "failed" };

const char *
ldb_state_name(enum ltstate s)
{
	return (size_t)s < sizeof state_names / sizeof *state_names ?
	    state_names[s] : "?";
}

int
ldb_state_parse(const char *s)
{
	size_t	 i;

	for (i = 0; s != NULL && i < sizeof state_names /
	    sizeof *state_names; i++) {
		if (strcmp(s, state_names[i]) == 0)
			return (int)i;
	}
	return -1;
}

/* The study's status of a trial in this state. */
static const char *
trial_status(enum ltstate s)
{
	switch (s) {
	case LT_RUNNING:
	case LT_PAUSED:
		return "running";
	case LT_STOPPED:
		return "stopped";
	case LT_COMPLETE:
		return "complete";
	case LT_FAILED:
		return "failed";
	}
	return "running";
}

/* Another process writes: the caller may keep what it wrote, and retry. */
static int
is_busy(struct launch *L)
{
	int	 rc = sqlite3_errcode(ldb_db(L));

	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

/* -1 in sight of the callers, which the compiler then knows fail. */
int
ldb_err(struct launch *L, char **cause)
{
	L->busy = is_busy(L);
	rung_store_error(L->st, cause);
	return -1;
}

static sqlite3_stmt *
q(struct launch *L, int i, char **cause)
{
	sqlite3_stmt	**st = &L->db->q[i];

	if (*st == NULL && sqlite3_prepare_v3(ldb_db(L), queries[i], -1,
	    SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
		ldb_err(L, cause);
		return NULL;
	}
	sqlite3_reset(*st);
	sqlite3_clear_bindings(*st);
	return *st;
}

static int
run(struct launch *L, sqlite3_stmt *st, char **cause)
{
	int	 rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	return ldb_err(L, cause);
}

/*
 * Trial rowid changed (status, parameters or points): the study counts a
 * write and the trial carries its count, for readers that follow the
 * study (rung_store_load_changed).
 */
static int
touch(struct launch *L, int64_t rowid, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = q(L, Q_STUDY_REV, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, L->study_id);
	if (run(L, st, cause) != 0 || (st = q(L, Q_TRIAL_REV, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, L->study_id);
	sqlite3_bind_int64(st, 2, rowid);
	return run(L, st, cause);
}

static int
exec(struct launch *L, const char *sql, char **cause)
{
	char	*err = NULL;

	if (sqlite3_exec(ldb_db(L), sql, NULL, NULL, &err) != SQLITE_OK) {
		L->busy = is_busy(L);
		xasprintf(cause, "%s: %s", rung_store_path(L->st), err ? err :
		    sqlite3_errmsg(ldb_db(L)));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

void
ldb_open(struct launch *L)
{
	L->db = xcalloc(1, sizeof *L->db);
	L->db->db = rung_store_db(L->st);
	/*
	 * A report writes a handful of pages, so SQLite's default automatic
	 * checkpoint (every 1000 pages of WAL) ran every 150 reports or so,
	 * each with two fsyncs even under synchronous = NORMAL: most of a
	 * report's wall time on a disk that syncs in milliseconds. Every
	 * 16384 pages (64 MiB of WAL at most) takes it to one in 2500.
	 */
	sqlite3_exec(L->db->db, "PRAGMA wal_autocheckpoint = 16384", NULL,
	    NULL, NULL);
}

void
ldb_busy_timeout(struct launch *L, int ms)
{
	sqlite3_busy_timeout(ldb_db(L), ms);
}

void
ldb_finalize(struct launch *L)
{
	size_t	 i;

	if (L->db == NULL)
		return;
	for (i = 0; i < sizeof L->db->q / sizeof *L->db->q; i++)
		sqlite3_finalize(L->db->q[i]);
	free(L->db);
	L->db = NULL;
}

int
ldb_begin(struct launch *L, char **cause)
{
	L->busy = 0;
	return exec(L, "BEGIN IMMEDIATE", cause);
}

int
ldb_commit(struct launch *L, char **cause)
{
	if (exec(L, "COMMIT", cause) != 0) {
		ldb_rollback(L);
		return -1;
	}
	return 0;
}

void
ldb_rollback(struct launch *L)
{
	sqlite3_exec(ldb_db(L), "ROLLBACK", NULL, NULL, NULL);
}

static void
bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

int
ldb_create(struct launch *L, const char *source, char **cause)
{
	sqlite3_stmt	*st = NULL;
	char		 host[256];
	int		 rc;

	if (gethostname(host, sizeof host) != 0)
		strcpy(host, "?");
	host[sizeof host - 1] = '\0';
	if (ldb_begin(L, cause) != 0)
		return -1;
	if (sqlite3_prepare_v2(ldb_db(L), "SELECT 1 FROM studies"
	    " WHERE name = ?", -1, &st, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_text(st, 1, L->o.study, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (rc == SQLITE_ROW) {
		xasprintf(cause, "study '%s' exists already: rung launch "
		    "--resume %s carries on its campaign; name a new one to "
		    "start another", L->o.study, L->o.study);
		goto fail;
	}
	if (sqlite3_prepare_v2(ldb_db(L), "INSERT INTO studies (name, metric,"
	    " direction, source) VALUES (?, ?, ?, ?)", -1, &st, NULL) !=
	    SQLITE_OK)
		goto dberr;
	sqlite3_bind_text(st, 1, L->o.study, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, L->metric != NULL ? L->metric : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rung_direction_name(L->o.direction ?
	    L->o.direction : RUNG_MIN), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, source, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto dberr;
	sqlite3_finalize(st);
	L->study_id = sqlite3_last_insert_rowid(ldb_db(L));
	if (sqlite3_prepare_v2(ldb_db(L), "INSERT INTO launches (study_id,"
	    " policy, settings, status, pid, host, logs) VALUES (?, ?, ?,"
	    " 'running', ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_int64(st, 1, L->study_id);
	sqlite3_bind_text(st, 2, rung_policy_name(L->o.sched.policy), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 3, L->settings, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)getpid());
	sqlite3_bind_text(st, 5, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, L->logs, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto dberr;
	sqlite3_finalize(st);
	st = NULL;
	L->launch_id = sqlite3_last_insert_rowid(ldb_db(L));
	L->status = xstrdup("running");
	if (ldb_event(L, 0, -1, "begin", L->o.study, cause) != 0)
		goto fail;
	return ldb_commit(L, cause);
dberr:
	ldb_err(L, cause);
fail:
	sqlite3_finalize(st);
	ldb_rollback(L);
	return -1;
}

int
ldb_set_metric(struct launch *L, const char *metric, enum rung_direction d,
    char **cause)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(ldb_db(L), "UPDATE studies SET metric = ?,"
	    " direction = ? WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return ldb_err(L, cause);
	sqlite3_bind_text(st, 1, metric, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rung_direction_name(d), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, L->study_id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		ldb_err(L, cause);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	/* The metric of interest's own row says the same. */
	if (sqlite3_prepare_v2(ldb_db(L), "UPDATE metrics SET direction = ?"
	    " WHERE study_id = ? AND name = ?", -1, &st, NULL) != SQLITE_OK)
		return ldb_err(L, cause);
	sqlite3_bind_text(st, 1, rung_direction_name(d), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, L->study_id);
	sqlite3_bind_text(st, 3, metric, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		ldb_err(L, cause);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

uint32_t
ldb_metric(struct launch *L, const char *name)
{
	uint32_t	 i;

	for (i = 0; i < L->nmetrics; i++) {
		if (strcmp(L->metrics[i], name) == 0)
			return i;
	}
	L->metrics = xreallocarray(L->metrics, L->nmetrics + 1,
	    sizeof *L->metrics);
	L->metric_ids = xreallocarray(L->metric_ids, L->nmetrics + 1,
	    sizeof *L->metric_ids);
	L->metrics[L->nmetrics] = xstrdup(name);
	L->metric_ids[L->nmetrics] = 0;		/* not in the study yet */
	return L->nmetrics++;
}

/* The rows of metrics first reported since the last write. */
int
ldb_metric_rows(struct launch *L, char **cause)
{
	sqlite3_stmt	*st;
	uint32_t	 i;
	enum rung_direction d;
	const char	*name;

	for (i = 0; i < L->nmetrics; i++) {
		if (L->metric_ids[i] != 0)
			continue;
		name = L->metrics[i];
		/*
		 * A new metric's direction: the campaign's for its metric of
		 * interest, else what a word of its name tells, else the
		 * campaign's. One the study has keeps its own.
		 */
		if ((L->metric == NULL || strcmp(name, L->metric) != 0 ||
		    L->o.direction == 0) && rung_direction_infer(name, &d,
		    NULL))
			;
		else
			d = L->o.direction ? L->o.direction : RUNG_MIN;
		if (sqlite3_prepare_v2(ldb_db(L), "INSERT INTO metrics"
		    " (study_id, name, direction) VALUES (?, ?, ?)"
		    " ON CONFLICT DO UPDATE SET name = excluded.name"
		    " RETURNING id", -1, &st, NULL) != SQLITE_OK)
			return ldb_err(L, cause);
		sqlite3_bind_int64(st, 1, L->study_id);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, rung_direction_name(d), -1,
		    SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW) {
			ldb_err(L, cause);
			sqlite3_finalize(st);
			return -1;
		}
		/* Back to 0 if the transaction rolls back (lw_write). */
		L->metric_ids[i] = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return 0;
}

static int
param_id(struct launch *L, const char *name, const struct rung_pvalue *v,
    int64_t *id, char **cause)
{
	sqlite3_stmt	*st;
	uint32_t	 i;

	for (i = 0; i < L->nparams; i++) {
		if (strcmp(L->pnames[i], name) == 0) {
			*id = L->pids[i];
			return 0;
		}
	}
	if (sqlite3_prepare_v2(ldb_db(L), "INSERT INTO params (study_id, name,"
	    " type, log) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET"
	    " name = excluded.name RETURNING id", -1, &st, NULL) != SQLITE_OK)
		return ldb_err(L, cause);
	sqlite3_bind_int64(st, 1, L->study_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rung_ptype_name(v->type), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, v->log);
	if (sqlite3_step(st) != SQLITE_ROW) {
		ldb_err(L, cause);
		sqlite3_finalize(st);
		return -1;
	}
	*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	L->pnames = xreallocarray(L->pnames, L->nparams + 1,
	    sizeof *L->pnames);
	L->pids = xreallocarray(L->pids, L->nparams + 1, sizeof *L->pids);
	L->pnames[L->nparams] = xstrdup(name);
	L->pids[L->nparams++] = *id;
	return 0;
}

int
ldb_trial_new(struct launch *L, struct ltrial *t, char **cause)
{
	sqlite3_stmt	*st = NULL, *pv = NULL;
	const struct rung_pvalue *v;
	int64_t		 pid;
	uint32_t	 i;

	if (sqlite3_prepare_v2(ldb_db(L), "INSERT INTO trials (study_id,"
	    " ext_id, status) VALUES (?, ?, 'running')", -1, &st, NULL) !=
	    SQLITE_OK)
		goto dberr;
	sqlite3_bind_int64(st, 1, L->study_id);
	sqlite3_bind_text(st, 2, t->ext, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		/*
		 * Not from an import: rung_store_write keeps imports out of
		 * the study of a campaign that is not done.
		 */
		if (sqlite3_extended_errcode(ldb_db(L)) ==
		    SQLITE_CONSTRAINT_UNIQUE) {
			xasprintf(cause, "study '%s' has a trial '%s' that "
			    "its campaign did not make", L->o.study, t->ext);
			goto fail;
		}
		goto dberr;
	}
	sqlite3_finalize(st);
	st = NULL;
	t->rowid = sqlite3_last_insert_rowid(ldb_db(L));
	if (sqlite3_prepare_v2(ldb_db(L), "INSERT INTO trial_params (trial_id,"
	    " param_id, value) VALUES (?, ?, ?)", -1, &pv, NULL) != SQLITE_OK)
		goto dberr;
	for (i = 0; i < t->cfg.n; i++) {
		v = &t->cfg.v[i];
		if ((v->type == RUNG_PCAT && v->s == NULL) ||
		    (v->type == RUNG_PREAL && isnan(v->d)))
			continue;
		if (param_id(L, t->cfg.names[i], v, &pid, cause) != 0)
			goto fail;
		sqlite3_reset(pv);
		sqlite3_bind_int64(pv, 1, t->rowid);
		sqlite3_bind_int64(pv, 2, pid);
		if (v->type == RUNG_PCAT)
			sqlite3_bind_text(pv, 3, v->s, -1, SQLITE_STATIC);
		else if (v->type == RUNG_PINT)
			sqlite3_bind_int64(pv, 3, v->i);
		else
			sqlite3_bind_double(pv, 3, v->d);
		if (sqlite3_step(pv) != SQLITE_DONE)
			goto dberr;
	}
	sqlite3_finalize(pv);
	pv = NULL;
	if (touch(L, t->rowid, cause) != 0)
		goto fail;
	if (sqlite3_prepare_v2(ldb_db(L), "INSERT INTO launch_trials (trial_id,"
	    " launch_id, handle, params, state, target) VALUES (?, ?, ?, ?,"
	    " 'running', ?)", -1, &st, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_int64(st, 1, t->rowid);
	sqlite3_bind_int64(st, 2, L->launch_id);
	sqlite3_bind_int64(st, 3, t->handle);
	sqlite3_bind_text(st, 4, t->params, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, t->target);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto dberr;
	sqlite3_finalize(st);
	return 0;
dberr:
	ldb_err(L, cause);
fail:
	sqlite3_finalize(st);
	sqlite3_finalize(pv);
	return -1;
}

int
ldb_event(struct launch *L, int64_t trial, int32_t step,
    const char *event, const char *detail, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = q(L, Q_EVENT, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, L->launch_id);
	if (trial != 0)
		sqlite3_bind_int64(st, 2, trial);
	if (step >= 0)
		sqlite3_bind_int(st, 3, step);
	sqlite3_bind_text(st, 4, event, -1, SQLITE_STATIC);
	bind_text_or_null(st, 5, detail);
	return run(L, st, cause);
}

int
ldb_trial_run(struct launch *L, struct ltrial *t, char **cause)
{
	sqlite3_stmt	*st;
	char		*log;
	int		 rc;

	if ((st = q(L, Q_LT_RUN, cause)) == NULL)
		return -1;
	log = xprintf("%s/%s.log", L->logs, t->ext);
	sqlite3_bind_int(st, 1, t->target);
	sqlite3_bind_int64(st, 2, t->runs);
	/* A Slurm job: its id as the pid, sid -1 saying so. */
	sqlite3_bind_int64(st, 3, t->job != 0 ? t->job : (int64_t)t->pid);
	sqlite3_bind_int64(st, 4, t->job != 0 ? -1 : (int64_t)t->sid);
	sqlite3_bind_text(st, 5, t->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, t->gpus, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, log, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, t->rowid);
	rc = run(L, st, cause);
	free(log);
	if (rc != 0)
		return -1;
	if ((st = q(L, Q_TRIAL_STATUS, cause)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, "running", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t->rowid);
	if (run(L, st, cause) != 0)
		return -1;
	return touch(L, t->rowid, cause);
}

/* Bind a series' steps (NULL when contiguous) and values at a, a + 1. */
static void
bind_series(sqlite3_stmt *st, int a, const int32_t *steps,
    const double *vals, uint32_t n)
{
	unsigned char	*blob;
	uint32_t	 i;
	int		 contiguous = 1;

	for (i = 1; i < n; i++) {
		if (steps[i] != steps[0] + (int32_t)i)
			contiguous = 0;
	}
	if (contiguous)
		sqlite3_bind_null(st, a);
	else {
		blob = xmalloc(4 * (size_t)n);
		rung_pack_i32(steps, n, blob);
		sqlite3_bind_blob(st, a, blob, (int)(4 * n), free);
	}
	blob = xmalloc(8 * (size_t)(n ? n : 1));
	rung_pack_f64(vals, n, blob);
	sqlite3_bind_blob(st, a + 1, blob, (int)(8 * n), free);
}

/* A series written whole: its curves (or step_seconds) row. */
static int
write_blob(struct launch *L, struct ltrial *t, uint32_t m, char **cause)
{
	sqlite3_stmt	*st;
	struct series	*s = m == UINT32_MAX ? &t->secs : &t->m[m];

	if (s->n == 0)
		return 0;
	if (m == UINT32_MAX) {
		if ((st = q(L, Q_SECS, cause)) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, t->rowid);
		sqlite3_bind_int64(st, 2, s->n);
		sqlite3_bind_int(st, 3, s->steps[0]);
		bind_series(st, 4, s->steps, s->vals, s->n);
		return run(L, st, cause);
	}
	if ((st = q(L, Q_CURVE, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, t->rowid);
	sqlite3_bind_int64(st, 2, L->metric_ids[m]);
	sqlite3_bind_int64(st, 3, s->n);
	sqlite3_bind_int(st, 4, s->steps[0]);
	sqlite3_bind_int(st, 5, s->steps[s->n - 1]);
	bind_series(st, 6, s->steps, s->vals, s->n);
	store_bind_summary(st, 8, s->vals, s->n);
	return run(L, st, cause);
}

/* A series' points not written yet, a tail row each. */
static int
write_tail(struct launch *L, struct ltrial *t, uint32_t m, char **cause)
{
	sqlite3_stmt	*st;
	struct series	*s = m == UINT32_MAX ? &t->secs : &t->m[m];
	uint32_t	 i;

	if ((st = q(L, Q_TAIL, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, t->rowid);
	sqlite3_bind_int64(st, 3, m == UINT32_MAX ? 0 : L->metric_ids[m]);
	/* Bindings outlive run()'s reset: only the point changes. */
	for (i = s->saved; i < s->n; i++) {
		sqlite3_bind_int(st, 2, s->steps[i]);
		/* SQLite stores a NaN as NULL, which the readers take back. */
		sqlite3_bind_double(st, 4, s->vals[i]);
		if (run(L, st, cause) != 0)
			return -1;
	}
	t->tail = 1;
	return 0;
}

/*
 * A trial's new points. The first write of a series makes its curves row,
 * so that the row is there from the trial's first point for whatever
 * counts rows or asks which metrics have curves; every later point is a
 * row of curve_tail, the same cost at step a million as at step one
 * where rewriting the row's blobs cost O(n) a report. The tail is folded
 * into the row when the run ends (ldb_fold), once.
 */
int
ldb_points(struct launch *L, struct ltrial *t, char **cause)
{
	struct series	*s;
	uint32_t	 m;
	int		 changed = 0, rc;

	for (m = 0; m < t->nm && m < L->nmetrics; m++) {
		s = &t->m[m];
		if (s->n == s->saved)
			continue;	/* no new point */
		changed = 1;
		rc = s->saved == 0 ? write_blob(L, t, m, cause) :
		    write_tail(L, t, m, cause);
		if (rc != 0)
			return -1;
	}
	s = &t->secs;
	if (s->n != s->saved) {
		rc = s->saved == 0 ? write_blob(L, t, UINT32_MAX, cause) :
		    write_tail(L, t, UINT32_MAX, cause);
		if (rc != 0)
			return -1;
		changed = 1;
	}
	return changed ? touch(L, t->rowid, cause) : 0;
}

/*
 * The tail into the curves: every series written whole from memory (which
 * holds every point, ldb_load's read having merged the tail), then the
 * tail rows gone. O(n) once a run, where it was O(n) a report. What the
 * study holds reads the same before and after, so no revision is counted.
 */
int
ldb_fold(struct launch *L, struct ltrial *t, char **cause)
{
	sqlite3_stmt	*st;
	uint32_t	 m;

	if (!t->tail)
		return 0;
	for (m = 0; m < t->nm && m < L->nmetrics; m++) {
		if (write_blob(L, t, m, cause) != 0)
			return -1;
	}
	if (write_blob(L, t, UINT32_MAX, cause) != 0)
		return -1;
	if ((st = q(L, Q_TAIL_DEL, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, t->rowid);
	if (run(L, st, cause) != 0)
		return -1;
	/* t->tail is cleared once this commits (lw_written). */
	t->folding = 1;
	return 0;
}

/*
 * On resume: the tails a killed rung left, folded in a transaction of
 * their own. Another process holding the database is no failure: the
 * readers merge a tail, and the trial's next run end folds it.
 */
int
ldb_fold_left(struct launch *L, char **cause)
{
	uint32_t	 i;

	for (i = 0; i < L->nt; i++) {
		if (L->t[i]->tail)
			break;
	}
	if (i == L->nt)
		return 0;
	if (ldb_begin(L, cause) != 0)
		goto fail;
	for (i = 0; i < L->nt; i++) {
		if (ldb_fold(L, L->t[i], cause) != 0) {
			ldb_rollback(L);
			goto fail;
		}
	}
	if (ldb_commit(L, cause) != 0)
		goto fail;
	for (i = 0; i < L->nt; i++)
		L->t[i]->tail = L->t[i]->folding = 0;
	return 0;
fail:
	for (i = 0; i < L->nt; i++)
		L->t[i]->folding = 0;
	if (!L->busy)
		return -1;
	free(*cause);
	*cause = NULL;
	return 0;
}

static int
set_trial_status(struct launch *L, const struct ltrial *t, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = q(L, Q_TRIAL_STATUS, cause)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, trial_status(t->state), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t->rowid);
	if (run(L, st, cause) != 0)
		return -1;
	return touch(L, t->rowid, cause);
}

int
ldb_trial_update(struct launch *L, struct ltrial *t, const char *decision,
    int32_t decision_step, char **cause)
{
	sqlite3_stmt	*st;

	if ((st = q(L, Q_LT_UPDATE, cause)) == NULL)
		return -1;
	sqlite3_bind_int(st, 1, t->seen);
	sqlite3_bind_text(st, 2, ldb_state_name(t->state), -1, SQLITE_STATIC);
	bind_text_or_null(st, 3, decision);
	if (decision != NULL)
		sqlite3_bind_int(st, 4, decision_step);
	bind_text_or_null(st, 5, t->reason);
	sqlite3_bind_int(st, 6, t->target);
	sqlite3_bind_int64(st, 7, t->rowid);
	if (run(L, st, cause) != 0)
		return -1;
	return set_trial_status(L, t, cause);
}

int
ldb_trial_key(struct launch *L, struct ltrial *t, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(ldb_db(L), "UPDATE launch_trials SET key = ?,"
	    " runs = ? WHERE trial_id = ?", -1, &st, NULL) != SQLITE_OK)
		return ldb_err(L, cause);
	sqlite3_bind_text(st, 1, t->key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t->runs);
	sqlite3_bind_int64(st, 3, t->rowid);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : ldb_err(L, cause);
	sqlite3_finalize(st);
	return rc;
}

int
ldb_trial_end(struct launch *L, struct ltrial *t, const char *tail,
    char **cause)
{
	sqlite3_stmt	*st;

	if ((st = q(L, Q_LT_END, cause)) == NULL)
		return -1;
	sqlite3_bind_text(st, 1, ldb_state_name(t->state), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, t->seen);
	bind_text_or_null(st, 3, t->reason);
	if (t->reaped && WIFEXITED(t->wstatus))
		sqlite3_bind_int(st, 4, WEXITSTATUS(t->wstatus));
	if (t->reaped && WIFSIGNALED(t->wstatus))
		sqlite3_bind_int(st, 5, WTERMSIG(t->wstatus));
	bind_text_or_null(st, 6, tail);
	sqlite3_bind_int64(st, 7, t->rowid);
	if (run(L, st, cause) != 0 || ldb_fold(L, t, cause) != 0)
		return -1;
	return set_trial_status(L, t, cause);
}

int
ldb_save_state(struct launch *L, char **cause)
{
	sqlite3_stmt	*st;
	char		*text;
	int		 rc;

	if ((st = q(L, Q_STATE, cause)) == NULL)
		return -1;
	rung_sched_save(L->sc, &text);
	sqlite3_bind_text(st, 1, text, -1, free);
	sqlite3_bind_int64(st, 2, (int64_t)L->steps);
	sqlite3_bind_int64(st, 3, L->launch_id);
	rc = run(L, st, cause);
	return rc;
}

int
ldb_status(struct launch *L, const char *status, const char *message,
    char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(ldb_db(L), "UPDATE launches SET status = ?,"
	    " message = ?, pid = CASE WHEN ?1 = 'running' THEN ? ELSE NULL"
	    " END, updated = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
	    " WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return ldb_err(L, cause);
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	bind_text_or_null(st, 2, message);
	sqlite3_bind_int64(st, 3, (int64_t)getpid());
	sqlite3_bind_int64(st, 4, L->launch_id);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : ldb_err(L, cause);
	sqlite3_finalize(st);
	if (rc == 0) {
		free(L->status);
		L->status = xstrdup(status);
	}
	return rc;
}
