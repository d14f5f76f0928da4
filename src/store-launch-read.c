/*
 * The store reads campaigns of rung launch back: the engine's state for
 * --resume (ldb_load), and for others through rung/store-launch.h: the
 * explorer's launch screen (a campaign, its trials, its events) and rung
 * show (a launched trial's record). store-launch.c writes them.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rung/launch.h"
#include "rung/store.h"
#include "rung/store-launch.h"
#include "rung/study.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "store-int.h"

#include "launch-int.h"
#include "store-launch-int.h"

/* Resume: read the launch back. */
int
ldb_load(struct launch *L, char **sched_state, char **cause)
{
	struct rung_exact x;
	sqlite3_stmt	*st = NULL;
	struct ltrial	*t;
	const char	*status;
	char		*metric = NULL;
	size_t		 i, k;
	uint32_t	 m;
	int		 rc, s, have_exact = 0;

	*sched_state = NULL;
	if (sqlite3_prepare_v2(ldb_db(L), "SELECT s.id, s.metric, s.direction,"
	    " l.id, l.settings, l.sched_state, l.status, l.steps, l.logs"
	    " FROM studies s LEFT JOIN launches l ON l.study_id = s.id"
	    " WHERE s.name = ?", -1, &st, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_text(st, 1, L->o.study, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		if (rc != SQLITE_DONE)
			goto dberr;
		xasprintf(cause, "no study '%s' in '%s' to resume", L->o.study,
		    rung_store_path(L->st));
		goto fail;
	}
	if (sqlite3_column_type(st, 3) == SQLITE_NULL) {
		xasprintf(cause, "study '%s' was not made by rung launch: "
		    "there is no campaign to resume", L->o.study);
		goto fail;
	}
	L->study_id = sqlite3_column_int64(st, 0);
	metric = store_col_text(st, 1);
	if (metric != NULL && *metric != '\0') {
		L->metric = metric;
		metric = NULL;
	}
	if (L->metric != NULL)
		L->o.direction = (enum rung_direction)rung_direction_parse(
		    (const char *)sqlite3_column_text(st, 2));
	L->launch_id = sqlite3_column_int64(st, 3);
	L->settings = store_col_text(st, 4);
	*sched_state = store_col_text(st, 5);
	status = (const char *)sqlite3_column_text(st, 6);
	L->status = xstrdup(status != NULL ? status : "running");
	L->steps = (uint64_t)sqlite3_column_int64(st, 7);
	L->logs = store_col_text(st, 8);
	sqlite3_finalize(st);
	st = NULL;

	/* Parameters and metrics. */
	if (sqlite3_prepare_v2(ldb_db(L), "SELECT id, name FROM params"
	    " WHERE study_id = ? ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_int64(st, 1, L->study_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		L->pnames = xreallocarray(L->pnames, L->nparams + 1,
		    sizeof *L->pnames);
		L->pids = xreallocarray(L->pids, L->nparams + 1,
		    sizeof *L->pids);
		L->pids[L->nparams] = sqlite3_column_int64(st, 0);
		L->pnames[L->nparams++] = store_col_text(st, 1);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rung_exact_open(L->st, L->study_id, &x, cause) != 0)
		goto fail;
	have_exact = 1;
	for (i = 0; i < x.nmetrics; i++) {
		L->metrics = xreallocarray(L->metrics, L->nmetrics + 1,
		    sizeof *L->metrics);
		L->metric_ids = xreallocarray(L->metric_ids, L->nmetrics + 1,
		    sizeof *L->metric_ids);
		L->metrics[L->nmetrics] = xstrdup(x.metrics[i]);
		L->metric_ids[L->nmetrics++] = x.metric_ids[i];
	}
	L->mwritten = L->nmetrics;

	/* The trials, by handle, with every point. */
	if (sqlite3_prepare_v2(ldb_db(L), "SELECT lt.handle, t.id, t.ext_id,"
	    " lt.params, lt.state, lt.target, lt.seen_step, lt.runs, lt.sid,"
	    " lt.key, lt.reason, lt.pid FROM launch_trials lt JOIN trials t"
	    " ON t.id = lt.trial_id WHERE lt.launch_id = ? ORDER BY lt.handle",
	    -1, &st, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_int64(st, 1, L->launch_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		t = xcalloc(1, sizeof *t);
		t->out = t->log = -1;
		t->handle = (uint32_t)sqlite3_column_int64(st, 0);
		t->rowid = sqlite3_column_int64(st, 1);
		t->ext = store_col_text(st, 2);
		t->params = store_col_text(st, 3);
		s = ldb_state_parse((const char *)sqlite3_column_text(st, 4));
		t->state = s < 0 ? LT_FAILED : (enum ltstate)s;
		t->target = sqlite3_column_int(st, 5);
		t->seen = sqlite3_column_int(st, 6);
		t->runs = (uint32_t)sqlite3_column_int64(st, 7);
		t->sid = (pid_t)sqlite3_column_int64(st, 8);
		t->key = store_col_text(st, 9);
		t->reason = store_col_text(st, 10);
		if (t->sid == -1) {
			t->job = sqlite3_column_int64(st, 11);
			t->sid = 0;
		}
		/* Handles that never ran (--from had no more) stay empty. */
		while (t->handle > L->nt) {
			struct ltrial	*e = xcalloc(1, sizeof *e);

			e->handle = L->nt;
			e->out = e->log = -1;
			e->state = LT_STOPPED;
			XGROW(L->t, L->tcap, L->nt + 1);
			L->t[L->nt++] = e;
		}
		if (t->handle < L->nt) {
			xasprintf(cause, "launch of '%s': two trials have "
			    "handle %u", L->o.study, t->handle);
			free(t->ext);
			free(t->params);
			free(t->key);
			free(t->reason);
			free(t);
			goto fail;
		}
		if (rung_config_from_json(t->params, &t->cfg, cause) != 0) {
			/* Kept so that it is freed with the rest. */
			XGROW(L->t, L->tcap, L->nt + 1);
			L->t[L->nt++] = t;
			goto fail;
		}
		XGROW(L->t, L->tcap, L->nt + 1);
		L->t[L->nt++] = t;
		if (rung_exact_read(L->st, &x, t->rowid, cause) != 0)
			goto fail;
		t->nm = L->nmetrics;
		t->m = xcalloc(t->nm ? t->nm : 1, sizeof *t->m);
		for (m = 0; m < t->nm; m++) {
			for (k = 0; k < x.curves[m].n; k++) {
				series_add(&t->m[m], x.curves[m].steps[k],
				    x.curves[m].vals[k]);
				if (x.curves[m].steps[k] > t->last)
					t->last = x.curves[m].steps[k];
			}
		}
		for (k = 0; k < x.secs.n; k++)
			series_add(&t->secs, x.secs.steps[k], x.secs.vals[k]);
		/* Points in the tail: a rung killed mid-run (ldb_fold_left). */
		t->tail = x.ntail > 0;
		for (m = 0; m < t->nm; m++)
			t->m[m].saved = t->m[m].n;
		t->secs.saved = t->secs.n;
	}
	if (rc != SQLITE_DONE)
		goto dberr;
	sqlite3_finalize(st);
	rung_exact_release(&x);
	free(metric);
	return 0;
dberr:
	ldb_err(L, cause);
fail:
	sqlite3_finalize(st);
	if (have_exact)
		rung_exact_release(&x);
	free(metric);
	return -1;
}


/* The explorer's launch screen. */

void
rung_launch_campaign_release(struct rung_launch_campaign *c)
{
	free(c->study);
	free(c->policy);
	free(c->status);
	free(c->host);
	free(c->updated);
	free(c->message);
	free(c->metric);
	memset(c, 0, sizeof *c);
}

int
rung_store_launch_campaign(struct rung_store *store, const char *study,
    struct rung_launch_campaign *c, char **cause)
{
	sqlite3		*db = rung_store_db(store);
	sqlite3_stmt	*st;
	int		 rc;

	memset(c, 0, sizeof *c);
	if (sqlite3_prepare_v2(db, "SELECT l.id, s.name, l.policy, l.status,"
	    " l.pid, l.host, l.steps, coalesce(l.updated, l.created),"
	    " l.message, s.metric FROM launches l JOIN studies s"
	    " ON s.id = l.study_id WHERE ?1 IS NULL OR s.name = ?1"
	    " ORDER BY coalesce(l.updated, l.created) DESC, l.id DESC LIMIT 1",
	    -1, &st, NULL) != SQLITE_OK) {
		*cause = xstrdup("the database has no campaign of rung launch");
		return -1;
	}
	if (study != NULL)
		sqlite3_bind_text(st, 1, study, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		if (rc != SQLITE_DONE)
			*cause = xstrdup(sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? 1 : -1;
	}
	c->id = sqlite3_column_int64(st, 0);
	c->study = store_col_text(st, 1);
	c->policy = store_col_text(st, 2);
	c->status = store_col_text(st, 3);
	c->pid = sqlite3_column_type(st, 4) == SQLITE_NULL ? 0 :
	    sqlite3_column_int64(st, 4);
	c->host = store_col_text(st, 5);
	c->steps = sqlite3_column_int64(st, 6);
	c->updated = store_col_text(st, 7);
	c->message = store_col_text(st, 8);
	c->metric = store_col_text(st, 9);
	sqlite3_finalize(st);
	return 0;
}

void
rung_launch_rows_free(struct rung_launch_row *v, uint32_t n)
{
	uint32_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].state);
		free(v[i].gpus);
		free(v[i].decision);
		free(v[i].reason);
		free(v[i].log);
	}
	free(v);
}

/* SQLite's message, taken before the statement is finalized. */
static int
read_err(sqlite3 *db, sqlite3_stmt *st, char **cause)
{
	*cause = xstrdup(sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return -1;
}

int
rung_store_launch_rows(struct rung_store *store, int64_t launch_id,
    struct rung_launch_row **rows, uint32_t *nrows, char **cause)
{
	sqlite3		*db = rung_store_db(store);
	sqlite3_stmt	*st = NULL;
	struct rung_launch_row *r;
	const void	*blob;
	int		 rc, n;

	*rows = NULL;
	*nrows = 0;
	/*
	 * The last value: the tail's last (schema 9, a running trial's
	 * points since its run began), else its curve's. The tail's last
	 * is found walking the trial's rows back from its last step, where
	 * max() would walk them all (the key has the step before the
	 * metric).
	 */
	if (sqlite3_prepare_v2(db, "SELECT t.ext_id, lt.state, lt.seen_step,"
	    " lt.target, lt.runs, lt.gpus, lt.decision, lt.decision_step,"
	    " lt.reason, lt.log, c.n, c.vals, ct.step, ct.value"
	    " FROM launch_trials lt"
	    " JOIN trials t ON t.id = lt.trial_id LEFT JOIN curves c"
	    " ON c.trial_id = t.id AND c.metric_id = (SELECT m.id FROM"
	    " metrics m JOIN studies s ON s.id = m.study_id"
	    " WHERE m.study_id = t.study_id AND m.name = s.metric)"
	    " LEFT JOIN curve_tail ct ON ct.trial_id = t.id"
	    " AND ct.metric_id = c.metric_id AND ct.step = (SELECT x.step"
	    " FROM curve_tail x WHERE x.trial_id = t.id"
	    " AND x.metric_id = c.metric_id ORDER BY x.step DESC LIMIT 1)"
	    " WHERE lt.launch_id = ? ORDER BY lt.handle", -1, &st, NULL) !=
	    SQLITE_OK)
		return read_err(db, st, cause);
	sqlite3_bind_int64(st, 1, launch_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*rows = xreallocarray(*rows, *nrows + 1, sizeof **rows);
		r = &(*rows)[(*nrows)++];
		memset(r, 0, sizeof *r);
		r->id = store_col_text(st, 0);
		r->state = store_col_text(st, 1);
		r->step = sqlite3_column_int(st, 2);
		r->target = sqlite3_column_int(st, 3);
		r->runs = (uint32_t)sqlite3_column_int(st, 4);
		r->gpus = store_col_text(st, 5);
		r->decision = store_col_text(st, 6);
		r->dstep = sqlite3_column_int(st, 7);
		r->reason = store_col_text(st, 8);
		r->log = store_col_text(st, 9);
		n = sqlite3_column_int(st, 10);
		blob = sqlite3_column_blob(st, 11);
		r->value = n > 0 && blob != NULL &&
		    sqlite3_column_bytes(st, 11) >= 8 * n ?
		    rung_unpack_f64(blob, (uint32_t)n - 1) : NAN;
		if (sqlite3_column_type(st, 12) != SQLITE_NULL)
			r->value = sqlite3_column_type(st, 13) ==
			    SQLITE_NULL ? NAN : sqlite3_column_double(st, 13);
	}
	if (rc != SQLITE_DONE)
		return read_err(db, st, cause);
	sqlite3_finalize(st);
	return 0;
}

void
rung_launch_events_free(struct rung_launch_event *v, uint32_t n)
{
	uint32_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].at);
		free(v[i].event);
		free(v[i].trial);
		free(v[i].detail);
	}
	free(v);
}

int
rung_store_launch_events(struct rung_store *store, int64_t launch_id,
    uint32_t max, struct rung_launch_event **events, uint32_t *nevents,
    char **cause)
{
	sqlite3		*db = rung_store_db(store);
	sqlite3_stmt	*st = NULL;
	struct rung_launch_event *e;
	int		 rc;

	*events = NULL;
	*nevents = 0;
	if (sqlite3_prepare_v2(db, "SELECT substr(e.at, 12, 8), e.event,"
	    " coalesce(t.ext_id, ''), e.step, coalesce(e.detail, '')"
	    " FROM launch_events e LEFT JOIN trials t ON t.id = e.trial_id"
	    " WHERE e.launch_id = ? ORDER BY e.id DESC LIMIT ?", -1, &st,
	    NULL) != SQLITE_OK)
		return read_err(db, st, cause);
	sqlite3_bind_int64(st, 1, launch_id);
	sqlite3_bind_int64(st, 2, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*events = xreallocarray(*events, *nevents + 1,
		    sizeof **events);
		e = &(*events)[(*nevents)++];
		e->at = store_col_text(st, 0);
		e->event = store_col_text(st, 1);
		e->trial = store_col_text(st, 2);
		e->has_step = sqlite3_column_type(st, 3) != SQLITE_NULL;
		e->step = sqlite3_column_int64(st, 3);
		e->detail = store_col_text(st, 4);
	}
	if (rc != SQLITE_DONE)
		return read_err(db, st, cause);
	sqlite3_finalize(st);
	return 0;
}

/* rung show: a launched trial's record. */

/* Why its log is incomplete (a full file system), or NULL. */
static char *
log_incomplete(sqlite3 *db, int64_t trial_rowid)
{
	sqlite3_stmt	*st;
	char		*s = NULL;

	if (sqlite3_prepare_v2(db, "SELECT detail FROM launch_events"
	    " WHERE trial_id = ? AND event = 'log-incomplete'"
	    " ORDER BY id LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(st, 1, trial_rowid);
	if (sqlite3_step(st) == SQLITE_ROW)
		s = store_col_text(st, 0);
	sqlite3_finalize(st);
	return s;
}

void
rung_launch_record_release(struct rung_launch_record *r)
{
	free(r->state);
	free(r->gpus);
	free(r->decision);
	free(r->reason);
	free(r->log);
	free(r->log_tail);
	free(r->params);
	free(r->started);
	free(r->updated);
	free(r->log_incomplete);
	memset(r, 0, sizeof *r);
}

/* An integer column that may be NULL. */
static int
col_int(sqlite3_stmt *st, int i, int64_t *v)
{
	*v = sqlite3_column_int64(st, i);
	return sqlite3_column_type(st, i) != SQLITE_NULL;
}

int
rung_store_launch_record(struct rung_store *store, int64_t trial_rowid,
    struct rung_launch_record *r)
{
	sqlite3		*db = rung_store_db(store);
	sqlite3_stmt	*st;

	memset(r, 0, sizeof *r);
	if (sqlite3_prepare_v2(db, "SELECT state, handle, runs, target, gpus,"
	    " decision, decision_step, reason, exit_code, exit_signal, log,"
	    " log_tail, params, started, updated"
	    " FROM launch_trials WHERE trial_id = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return 0;	/* a database without launches */
	sqlite3_bind_int64(st, 1, trial_rowid);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return 0;
	}
	r->state = store_col_text(st, 0);
	r->handle = sqlite3_column_int64(st, 1);
	r->runs = sqlite3_column_int64(st, 2);
	r->has_target = col_int(st, 3, &r->target);
	r->gpus = store_col_text(st, 4);
	r->decision = store_col_text(st, 5);
	r->has_decision_step = col_int(st, 6, &r->decision_step);
	r->reason = store_col_text(st, 7);
	r->has_exit_code = col_int(st, 8, &r->exit_code);
	r->has_exit_signal = col_int(st, 9, &r->exit_signal);
	r->log = store_col_text(st, 10);
	r->log_tail = store_col_text(st, 11);
	r->params = store_col_text(st, 12);
	r->started = store_col_text(st, 13);
	r->updated = store_col_text(st, 14);
	sqlite3_finalize(st);
	r->log_incomplete = log_incomplete(db, trial_rowid);
	return 1;
}
