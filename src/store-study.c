/*
 * The studies and their summaries, their metrics and the metrics'
 * directions, and the errors that name a study or a metric that is not
 * there.
 */

#include "config.h"

#include <sys/stat.h>

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/store.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "store-int.h"

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
	i->name = store_col_text(st, 1);
	i->metric = store_col_text(st, 2);
	i->direction = rung_direction_parse(
	    (const char *)sqlite3_column_text(st, 3));
	i->source = store_col_text(st, 4);
	i->created = store_col_text(st, 5);
	i->ntrials = sqlite3_column_int64(st, 6);
	i->npoints = sqlite3_column_int64(st, 7);
	i->max_step = sqlite3_column_int(st, 8);
}

/*
 * The points in the tail (schema 9: a running campaign's, not folded into
 * its curves yet) added to the counts of STUDY_INFO_SQL. There is no index
 * of the tail by metric, which would cost each report a second page: one
 * walk of the tail for every study listed, where a subquery of
 * STUDY_INFO_SQL would walk it once a study. Empty but while a campaign
 * runs, it is then as long as its running trials' points since their
 * runs began.
 */
static int
add_tails(struct rung_store *s, struct rung_study_info *v, size_t n,
    int one, char **cause)
{
	sqlite3_stmt	*st;
	size_t		 i;
	int64_t		 id;
	int32_t		 step;
	int		 rc;

	if (n == 0)
		return 0;
	if (store_prepare(s, one ? "SELECT m.study_id, count(*), max(ct.step)"
	    " FROM curve_tail ct JOIN metrics m ON m.id = ct.metric_id"
	    " JOIN studies s ON s.id = m.study_id WHERE m.name = s.metric"
	    " AND s.id = ?1 GROUP BY m.study_id" :
	    "SELECT m.study_id, count(*), max(ct.step)"
	    " FROM curve_tail ct JOIN metrics m ON m.id = ct.metric_id"
	    " JOIN studies s ON s.id = m.study_id WHERE m.name = s.metric"
	    " GROUP BY m.study_id", &st, cause) != 0)
		return -1;
	if (one)
		sqlite3_bind_int64(st, 1, v[0].id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		step = sqlite3_column_int(st, 2);
		for (i = 0; i < n; i++) {
			if (v[i].id != id)
				continue;
			v[i].npoints += sqlite3_column_int64(st, 1);
			if (step > v[i].max_step)
				v[i].max_step = step;
		}
	}
	if (rc != SQLITE_DONE)
		xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
rung_store_studies(struct rung_store *s, struct rung_study_info **out,
    size_t *n, char **cause)
{
	sqlite3_stmt	*st;
	struct rung_study_info *v = NULL;
	size_t		 cap = 0, len = 0;
	int		 rc;

	if (store_prepare(s, STUDY_INFO_SQL " ORDER BY s.name", &st,
	    cause) != 0)
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
	if (rc != SQLITE_DONE || add_tails(s, v, len, 0, cause) != 0) {
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
study_row(struct rung_store *s, const char *sql, const char *name,
    struct rung_study_info *info, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (store_prepare(s, sql, &st, cause) != 0)
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
rung_store_study(struct rung_store *s, const char *name,
    struct rung_study_info *info, char **cause)
{
	int	 rc;

	if ((rc = study_row(s, STUDY_INFO_SQL " WHERE s.name = ?", name, info,
	    cause)) != 0)
		return rc;
	if (add_tails(s, info, 1, 1, cause) != 0) {
		rung_study_info_release(info);
		return -1;
	}
	return 0;
}

int
rung_store_metrics(struct rung_store *s, int64_t study, char ***names,
    enum rung_direction **dirs, size_t *n, char **cause)
{
	sqlite3_stmt	*st;
	char		**v = NULL;
	enum rung_direction *d = NULL;
	size_t		 cap = 0, len = 0;

	if (store_prepare(s, "SELECT m.name, m.direction FROM metrics m JOIN"
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
		v[len] = store_col_text(st, 0);
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

/*
 * Has metric m a curve of more than one point? A tail row (schema 9) says
 * so: the first point of a trial's series is always its curves row's.
 */
#define LONG_CURVE \
	"(EXISTS (SELECT 1 FROM curves c WHERE c.metric_id = m.id" \
	" AND c.n > 1) OR EXISTS (SELECT 1 FROM curve_tail ct" \
	" WHERE ct.metric_id = m.id))"

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
	if (store_prepare(s, "SELECT m.name, m.name <> s.metric FROM metrics m"
	    " JOIN studies s"
	    " ON s.id = m.study_id WHERE s.name = ?1 AND (m.name = s.metric"
	    " OR " LONG_CURVE ") ORDER BY " LONG_CURVE " DESC,"
	    " m.name = s.metric DESC, m.id LIMIT 1", &st, cause) != 0)
		return -1;
	sqlite3_bind_text(st, 1, study, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*name = rc == SQLITE_ROW ? store_col_text(st, 0) : NULL;
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

	if (store_prepare(s, "SELECT m.name FROM metrics m WHERE m.study_id = ?"
	    " AND m.name <> ?"
	    " AND EXISTS (SELECT 1 FROM curves c WHERE c.metric_id = m.id)"
	    " AND NOT " LONG_CURVE
	    " ORDER BY m.id", &st, cause) != 0)
		return -1;
	sqlite3_bind_int64(st, 1, study);
	sqlite3_bind_text(st, 2, except, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(v, cap, len + 1);
		v[len++] = store_col_text(st, 0);
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
int
store_metric_row(struct rung_store *s, int64_t study, const char *metric,
    int64_t *id, enum rung_direction *dir, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (store_prepare(s, "SELECT id, direction FROM metrics"
	    " WHERE study_id = ? AND name = ?", &st, cause) != 0)
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

	return store_metric_row(s, study, metric, &id, dir, cause);
}

int
rung_store_has_source(struct rung_store *s, const char *study,
    const char *digest, char **path, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (store_prepare(s, "SELECT so.path FROM sources so JOIN studies st"
	    " ON st.id = so.study_id WHERE st.name = ? AND so.digest = ?",
	    &st, cause) != 0)
		return -1;
	sqlite3_bind_text(st, 1, study, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, digest, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && path != NULL)
		*path = store_col_text(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	return -1;
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
	if (store_prepare(st, "SELECT name FROM studies ORDER BY name", &q,
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

/*
 * SQLite's count of the commits other connections made to the database
 * since this one opened: a change to look for that costs no query of the
 * tables. -1 on an error.
 */
int64_t
rung_store_data_version(struct rung_store *s)
{
	sqlite3_stmt	*st;
	int64_t		 v = -1;
	char		*cause = NULL;

	if (store_prepare(s, "PRAGMA data_version", &st, &cause) != 0) {
		free(cause);
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
rung_store_source_paths(struct rung_store *s, const char *study,
    char ***paths, char ***formats, size_t *n, char **cause)
{
	sqlite3_stmt	*st;
	size_t		 cap = 0, cap2 = 0;
	int		 rc;

	*paths = *formats = NULL;
	*n = 0;
	if (store_prepare(s, "SELECT so.path, min(so.format) FROM sources so"
	    " JOIN studies st ON st.id = so.study_id WHERE st.name = ?"
	    " GROUP BY so.path ORDER BY min(so.id)", &st, cause) != 0)
		return -1;
	sqlite3_bind_text(st, 1, study, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(*paths, cap, *n + 1);
		XGROW(*formats, cap2, *n + 1);
		(*paths)[*n] = store_col_text(st, 0);
		(*formats)[(*n)++] = store_col_text(st, 1);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	xasprintf(cause, "%s: %s", s->path, sqlite3_errmsg(s->db));
	return -1;
}
