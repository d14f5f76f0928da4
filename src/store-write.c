/*
 * Writing an imported batch into the store: its study, metrics and
 * parameters found or made, its trials replaced or merged, their points
 * packed as blobs, in the caller's transaction or one of its own.
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/store.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "store-int.h"

struct writer {
	struct rung_store *s;
	sqlite3_stmt	*find_trial, *put_trial, *set_trial, *del_params, *del_curves,
			*del_secs, *ins_param, *ins_curve, *ins_secs;
};

static void
writer_release(struct writer *w)
{
	sqlite3_finalize(w->find_trial);
	sqlite3_finalize(w->put_trial);
	sqlite3_finalize(w->set_trial);
	sqlite3_finalize(w->del_params);
	sqlite3_finalize(w->del_curves);
	sqlite3_finalize(w->del_secs);
	sqlite3_finalize(w->ins_param);
	sqlite3_finalize(w->ins_curve);
	sqlite3_finalize(w->ins_secs);
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

/*
 * Points prepared by store-prep.c bound at columns a (steps, NULL when
 * contiguous) and a + 1 (values); the blob stays until the step.
 */
static void
bind_points(sqlite3_stmt *st, int a, const unsigned char *blob, size_t soff,
    size_t voff, uint32_t n)
{
	if (soff == SIZE_MAX)
		sqlite3_bind_null(st, a);
	else
		sqlite3_bind_blob(st, a, blob + soff, (int)(4 * n),
		    SQLITE_STATIC);
	sqlite3_bind_blob(st, a + 1, blob + voff, (int)(8 * n), SQLITE_STATIC);
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

	if (store_prepare(s, "SELECT id, metric, direction FROM studies"
	    " WHERE name = ?", &st, cause) != 0)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		metric = store_col_text(st, 1);
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
	if (store_prepare(s, "INSERT INTO studies (name, metric, direction,"
	    " source) VALUES (?, ?, ?, ?)", &st, cause) != 0)
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
/*
 * Insert a metric or parameter row: study, name and a word (its direction
 * or type), and log when it is not -1; its id in *id.
 */
static int
insert_named(struct rung_store *s, const char *sql, int64_t study,
    const char *name, const char *word, int log, int64_t *id, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (store_prepare(s, sql, &st, cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, study);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, word, -1, SQLITE_STATIC);
	if (log != -1)
		sqlite3_bind_int(st, 4, log);
	rc = step_done(s, st, cause);
	sqlite3_finalize(st);
	*id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static int
ensure_metric(struct rung_store *s, int64_t study, const char *name,
    enum rung_direction dir, int64_t *id, enum rung_direction *kept,
    char **cause)
{
	int	 rc;

	*kept = 0;
	if ((rc = store_metric_row(s, study, name, id, kept, cause)) != 1)
		return rc;
	return insert_named(s, "INSERT INTO metrics (study_id, name, direction)"
	    " VALUES (?, ?, ?)", study, name, rung_direction_name(dir), -1, id,
	    cause);
}

static int
ensure_param(struct rung_store *s, int64_t study, const char *name,
    enum rung_ptype type, int log, int64_t *id, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;
	const char	*have;
	enum rung_ptype	 old;

	if (store_prepare(s, "SELECT id, type FROM params WHERE study_id = ?"
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
			if (store_prepare(s, "UPDATE params SET type = 'real'"
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
	return insert_named(s, "INSERT INTO params (study_id, name, type, log)"
	    " VALUES (?, ?, ?, ?)", study, name, rung_ptype_name(type), log, id,
	    cause);
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
	if (store_prepare(s, "SELECT status, pid, host FROM launches"
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

	if (store_prepare(s, "SELECT 1 FROM launch_trials WHERE trial_id = ?",
	    &st, cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, tid);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Count one more write to the study's trials: *rev is what the trials it
 * writes carry (the store's schema 7 tells why).
 */
static int
bump_rev(struct rung_store *s, int64_t study, int64_t *rev, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (store_prepare(s, "UPDATE studies SET rev = rev + 1 WHERE id = ?"
	    " RETURNING rev", &st, cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, study);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*rev = sqlite3_column_int64(st, 0);
	else
		xasprintf(cause, "%s: %s", s->path, rc == SQLITE_DONE ?
		    "the study vanished while written" : sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int
rung_store_write(struct rung_store *s, struct rung_batch *b,
    const struct rung_import_opts *o, struct rung_study_report *rep,
    char **cause)
{
	struct rung_batch_view v;
	struct writer	 w = { .s = s };
	int64_t		 study, *mid = NULL, *pid = NULL, *sid = NULL, tid;
	int64_t		 rev = 0;	/* counted at the first trial written */
	uint64_t	 unchanged_points = 0;
	uint32_t	 unchanged0 = rep->unchanged_trials;
	uint32_t	 i, t, m;
	size_t		 k;
	char		*metric = NULL;
	struct store_prep *prep = NULL;
	const struct store_prep_trial *tr;
	const struct store_prep_curve *c, *cs;
	const unsigned char *blob;
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
			if (store_prepare(s, "DELETE FROM sources"
			    " WHERE study_id = ? AND digest = ?", &st,
			    cause) != 0)
				goto out;
			sqlite3_bind_int64(st, 1, study);
			sqlite3_bind_text(st, 2, v.sources[i].digest, -1,
			    SQLITE_STATIC);
			found = step_done(s, st, cause);
			sqlite3_finalize(st);
			if (found != 0)
				goto out;
		}
		/*
		 * Followed, a source grows: its new content supersedes the
		 * old, whose trials this batch replaces, rather than adding a
		 * row each time it is read. The row is kept (its id is the
		 * source of the trials that do not change) where no other
		 * source of the study has that content.
		 */
		sid[i] = 0;
		if (o->follow) {
			if (store_prepare(s, "UPDATE OR IGNORE sources SET"
			    " size = ?, digest = ?, imported = strftime("
			    "'%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = (SELECT"
			    " min(id) FROM sources WHERE study_id = ? AND"
			    " path = ? AND format = ? AND digest != ?)"
			    " RETURNING id", &st, cause) != 0)
				goto out;
			sqlite3_bind_int64(st, 1, (sqlite3_int64)
			    v.sources[i].size);
			sqlite3_bind_text(st, 2, v.sources[i].digest, -1,
			    SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, study);
			sqlite3_bind_text(st, 4, v.sources[i].path, -1,
			    SQLITE_STATIC);
			sqlite3_bind_text(st, 5, v.sources[i].format, -1,
			    SQLITE_STATIC);
			sqlite3_bind_text(st, 6, v.sources[i].digest, -1,
			    SQLITE_STATIC);
			if ((found = sqlite3_step(st)) == SQLITE_ROW)
				sid[i] = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
			if (found != SQLITE_ROW && found != SQLITE_DONE) {
				xasprintf(cause, "%s: %s", s->path,
				    sqlite3_errmsg(s->db));
				goto out;
			}
			if (store_prepare(s, "DELETE FROM sources"
			    " WHERE study_id = ? AND path = ? AND format = ?"
			    " AND digest != ?", &st, cause) != 0)
				goto out;
			sqlite3_bind_int64(st, 1, study);
			sqlite3_bind_text(st, 2, v.sources[i].path, -1,
			    SQLITE_STATIC);
			sqlite3_bind_text(st, 3, v.sources[i].format, -1,
			    SQLITE_STATIC);
			sqlite3_bind_text(st, 4, v.sources[i].digest, -1,
			    SQLITE_STATIC);
			found = step_done(s, st, cause);
			sqlite3_finalize(st);
			if (found != 0)
				goto out;
		}
		if (sid[i] != 0)
			continue;	/* the followed row, updated */
		if (store_prepare(s, "INSERT INTO sources (study_id, format,"
		    " path, size, digest) VALUES (?, ?, ?, ?, ?)"
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

	/*
	 * A trial written again keeps its row (and so its id and place):
	 * its status, source and rev change and its parameters and points
	 * are written anew. Readers that hold the study by row id (the live
	 * explorer) then see it change rather than vanish and reappear.
	 */
	if (store_prepare(s, "SELECT id, digest FROM trials WHERE study_id = ?"
	    " AND ext_id = ?", &w.find_trial, cause) != 0 ||
	    store_prepare(s, "INSERT INTO trials (study_id, ext_id, status,"
	    " source_id, rev, digest) VALUES (?, ?, ?, ?, ?, ?)",
	    &w.put_trial, cause) != 0 ||
	    store_prepare(s, "UPDATE trials SET status = ?3, source_id = ?4,"
	    " rev = ?5, digest = ?6 WHERE id = ?1", &w.set_trial,
	    cause) != 0 ||
	    store_prepare(s, "DELETE FROM trial_params WHERE trial_id = ?",
	    &w.del_params, cause) != 0 ||
	    /*
	     * No curve_tail to clear: only a campaign's trials have one
	     * (schema 9), and they are never written again here.
	     */
	    store_prepare(s, "DELETE FROM curves WHERE trial_id = ?",
	    &w.del_curves, cause) != 0 ||
	    store_prepare(s, "DELETE FROM step_seconds WHERE trial_id = ?",
	    &w.del_secs, cause) != 0 ||

	    store_prepare(s, "INSERT INTO trial_params (trial_id, param_id,"
	    " value) VALUES (?, ?, ?)", &w.ins_param, cause) != 0 ||
	    store_prepare(s, "INSERT INTO curves (trial_id, metric_id, n,"
	    " first_step, last_step, steps, vals, lo, hi, final) VALUES"
	    " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &w.ins_curve, cause) != 0 ||
	    store_prepare(s, "INSERT INTO step_seconds (trial_id, n,"
	    " first_step, steps, secs) VALUES (?, ?, ?, ?, ?)", &w.ins_secs,
	    cause) != 0)
		goto out;

	rung_progress_start(&prog, "writing", v.ntrials);
	prep = store_prep_start(b);
	for (t = 0; t < v.ntrials; t++) {
		const char *ext = rung_batch_trial_id(b, t);
		uint64_t	 h, npts;

		rung_progress_update(&prog, t);
		tr = store_prep_trial(prep, t, &blob, &cs);
		h = tr->digest;
		npts = tr->npoints;
		/* A study this import made has no trial to look up. */
		tid = 0;
		if (!rep->created) {
			sqlite3_bind_int64(w.find_trial, 1, study);
			sqlite3_bind_text(w.find_trial, 2, ext, -1,
			    SQLITE_STATIC);
			if (sqlite3_step(w.find_trial) == SQLITE_ROW)
				tid = sqlite3_column_int64(w.find_trial, 0);
		}
		if (tid != 0) {
			/*
			 * Followed, a source read again holds the trials it
			 * held: those that did not change are left alone
			 * (their rev too, so that the live explorer reads
			 * only the others).
			 */
			if (o->follow && sqlite3_column_type(w.find_trial,
			    1) == SQLITE_INTEGER && (uint64_t)
			    sqlite3_column_int64(w.find_trial, 1) == h) {
				sqlite3_reset(w.find_trial);
				rep->unchanged_trials++;
				unchanged_points += npts;
				continue;
			}
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
			if (!o->replace && !o->follow) {
				xasprintf(cause, "trial '%s' of '%s' is already "
				    "in study '%s': use --replace to replace "
				    "it", ext, i < v.nsources ?
				    v.sources[i].path : "the import",
				    rep->study);
				goto out;
			}
			sqlite3_bind_int64(w.del_params, 1, tid);
			sqlite3_bind_int64(w.del_curves, 1, tid);
			sqlite3_bind_int64(w.del_secs, 1, tid);
			if (step_done(s, w.del_params, cause) != 0 ||
			    step_done(s, w.del_curves, cause) != 0 ||
			    step_done(s, w.del_secs, cause) != 0)
				goto out;
			rep->replaced_trials++;
		} else if (!rep->created)
			sqlite3_reset(w.find_trial);
		if (rev == 0 && bump_rev(s, study, &rev, cause) != 0)
			goto out;
		/*
		 * A new trial is inserted, one written again updated in its
		 * row: not an upsert with RETURNING, whose every run opens
		 * and closes a temporary table (a tenth of the writing).
		 */
		i = rung_batch_trial_source(b, t);
		st = tid != 0 ? w.set_trial : w.put_trial;
		if (tid != 0)
			sqlite3_bind_int64(st, 1, tid);
		else {
			sqlite3_bind_int64(st, 1, study);
			sqlite3_bind_text(st, 2, ext, -1, SQLITE_STATIC);
		}
		sqlite3_bind_text(st, 3, rung_status_name(
		    rung_batch_trial_status(b, t)), -1, SQLITE_STATIC);
		if (i < v.nsources && sid[i] != 0)
			sqlite3_bind_int64(st, 4, sid[i]);
		else
			sqlite3_bind_null(st, 4);
		sqlite3_bind_int64(st, 5, rev);
		sqlite3_bind_int64(st, 6, (int64_t)h);
		if (step_done(s, st, cause) != 0)
			goto out;
		if (tid == 0)
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
		for (k = tr->c0; k < tr->c0 + tr->nc; k++) {
			c = &cs[k];
			sqlite3_bind_int64(w.ins_curve, 1, tid);
			sqlite3_bind_int64(w.ins_curve, 2, mid[c->metric]);
			sqlite3_bind_int(w.ins_curve, 3, (int)c->n);
			sqlite3_bind_int(w.ins_curve, 4, c->first);
			sqlite3_bind_int(w.ins_curve, 5, c->last);
			bind_points(w.ins_curve, 6, blob, c->soff, c->voff,
			    c->n);
			store_bind_sum(w.ins_curve, 8, c->sum);
			if (step_done(s, w.ins_curve, cause) != 0)
				goto out;
		}
		if (tr->secs.n > 0) {
			sqlite3_bind_int64(w.ins_secs, 1, tid);
			sqlite3_bind_int(w.ins_secs, 2, (int)tr->secs.n);
			sqlite3_bind_int(w.ins_secs, 3, tr->secs.first);
			bind_points(w.ins_secs, 4, blob, tr->secs.soff,
			    tr->secs.voff, tr->secs.n);
			if (step_done(s, w.ins_secs, cause) != 0)
				goto out;
		}
	}
	rung_progress_end(&prog);
	/* Joined: what the thread read of the batch is read. */
	store_prep_free(prep);
	prep = NULL;
	/* A spill file that failed to read back gave short curves. */
	if (rung_batch_failed(b) != NULL) {
		*cause = xstrdup(rung_batch_failed(b));
		goto out;
	}
	rep->trials += v.ntrials - (uint32_t)(rep->unchanged_trials -
	    unchanged0);
	rep->points += v.npoints - unchanged_points;
	rep->duplicates += v.nduplicates;
	ret = 0;
out:
	store_prep_free(prep);
	writer_release(&w);
	free(mid);
	free(pid);
	free(sid);
	free(metric);
	return ret;
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

