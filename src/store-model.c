/*
 * The store's models table: the statements that keep, find and list the
 * trained predictors, with their rows as struct rung_model_row.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rung/model.h"
#include "rung/store.h"
#include "rung/store-model.h"
#include "rung/xmalloc.h"

#include "store-int.h"

void
rung_model_row_release(struct rung_model_row *r)
{
	if (r == NULL)
		return;
	free(r->name);
	free(r->study);
	free(r->metric);
	free(r->spec);
	free(r->svr);
	free(r->model);
	free(r->created);
	memset(r, 0, sizeof *r);
}

int
rung_store_model_put(struct rung_store *s, const struct rung_model_row *r,
    int replace, char **cause)
{
	sqlite3_stmt	*st = NULL;
	int		 rc, ret = -1;

	if (sqlite3_prepare_v2(rung_store_db(s), replace ?
	    "INSERT OR REPLACE INTO models (name, study_id, study, metric,"
	    " direction, features, prefix, target, spec, svr, model, n_train)"
	    " VALUES (?, (SELECT id FROM studies WHERE name = ?), ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?)" :
	    "INSERT INTO models (name, study_id, study, metric,"
	    " direction, features, prefix, target, spec, svr, model, n_train)"
	    " VALUES (?, (SELECT id FROM studies WHERE name = ?), ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_text(st, 1, r->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->study, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->study, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->metric, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, rung_direction_name(r->direction), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 6, rung_features_name(r->features), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(st, 7, r->prefix);
	sqlite3_bind_int(st, 8, r->target);
	sqlite3_bind_text(st, 9, r->spec, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, r->svr, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 11, r->model, (int)r->model_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 12, r->n_train);
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE || (rc == SQLITE_CONSTRAINT &&
	    !replace)) {
		xasprintf(cause, "a model called '%s' exists: choose another "
		    "name, or --replace it", r->name);
		goto out;
	}
	if (rc != SQLITE_DONE)
		goto dberr;
	ret = 0;
	goto out;
dberr:
	rung_store_error(s, cause);
out:
	sqlite3_finalize(st);
	return ret;
}

#define MODEL_COLS "name, study, metric, direction, features, prefix, " \
	"target, spec, svr, n_train, created, model"

static void
read_row(sqlite3_stmt *st, int with_model, struct rung_model_row *r)
{
	const void	*blob;

	memset(r, 0, sizeof *r);
	r->name = xstrdup((const char *)sqlite3_column_text(st, 0));
	r->study = xstrdup((const char *)sqlite3_column_text(st, 1));
	r->metric = xstrdup((const char *)sqlite3_column_text(st, 2));
	r->direction = rung_direction_parse(
	    (const char *)sqlite3_column_text(st, 3));
	r->features = rung_features_parse(
	    (const char *)sqlite3_column_text(st, 4)) == RUNG_FEAT_BAKER ?
	    RUNG_FEAT_BAKER : RUNG_FEAT_RAW;
	r->prefix = sqlite3_column_int(st, 5);
	r->target = sqlite3_column_int(st, 6);
	r->spec = xstrdup((const char *)sqlite3_column_text(st, 7));
	r->svr = xstrdup((const char *)sqlite3_column_text(st, 8));
	r->n_train = (uint32_t)sqlite3_column_int64(st, 9);
	r->created = xstrdup((const char *)sqlite3_column_text(st, 10));
	if (!with_model)
		return;
	blob = sqlite3_column_blob(st, 11);
	r->model_len = (size_t)sqlite3_column_bytes(st, 11);
	r->model = xmalloc(r->model_len + 1);
	if (r->model_len > 0)
		memcpy(r->model, blob, r->model_len);
	r->model[r->model_len] = '\0';
}

int
rung_store_model_get(struct rung_store *s, const char *name,
    const char *study, struct rung_model_row *r, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc, ret;

	memset(r, 0, sizeof *r);
	if (sqlite3_prepare_v2(rung_store_db(s), name != NULL ?
	    "SELECT " MODEL_COLS " FROM models WHERE name = ?" :
	    "SELECT " MODEL_COLS " FROM models WHERE study = ?"
	    " ORDER BY id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return rung_store_error(s, cause);
	sqlite3_bind_text(st, 1, name != NULL ? name : study, -1,
	    SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_row(st, 1, r);
		ret = 0;
	} else if (rc == SQLITE_DONE)
		ret = 1;
	else
		ret = rung_store_error(s, cause);
	sqlite3_finalize(st);
	return ret;
}

int
rung_store_model_list(struct rung_store *s, struct rung_model_row **out,
    size_t *n, char **cause)
{
	sqlite3_stmt	*st;
	struct rung_model_row *v = NULL;
	size_t		 cap = 0, len = 0;

	if (sqlite3_prepare_v2(rung_store_db(s), "SELECT " MODEL_COLS
	    " FROM models ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return rung_store_error(s, cause);
	while (sqlite3_step(st) == SQLITE_ROW) {
		XGROW(v, cap, len + 1);
		read_row(st, 0, &v[len++]);
	}
	sqlite3_finalize(st);
	*out = v;
	*n = len;
	return 0;
}
