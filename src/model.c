#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "rung/jsonout.h"
#include "rung/model.h"
#include "rung/store.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

const char *
rung_features_name(enum rung_features f)
{
	return f == RUNG_FEAT_BAKER ? "baker" : "raw";
}

int
rung_features_parse(const char *s)
{
	if (strcmp(s, "raw") == 0)
		return RUNG_FEAT_RAW;
	if (strcmp(s, "baker") == 0)
		return RUNG_FEAT_BAKER;
	return -1;
}

const char *
rung_svr_type_name(enum rung_svr_type t)
{
	return t == RUNG_EPS_SVR ? "eps-svr" : "nu-svr";
}

void
rung_model_free(struct rung_model *m)
{
	if (m == NULL)
		return;
	free(m->name);
	free(m->study);
	free(m->metric);
	free(m->created);
	rung_featspec_release(&m->feat);
	rung_svr_free(m->fitted);
	free(m);
}

/* The parameter encoding of a Baker feature spec, as JSON. */
static char *
spec_json(const struct rung_featspec *f)
{
	json_object	*obj, *arr, *p, *lv;
	uint32_t	 i, l;
	char		*s;

	obj = json_object_new_object();
	arr = json_object_new_array();
	for (i = 0; i < f->nparams; i++) {
		p = json_object_new_object();
		json_object_object_add(p, "name",
		    json_object_new_string(f->pnames[i]));
		json_object_object_add(p, "type",
		    json_object_new_string(rung_ptype_name(f->ptypes[i])));
		json_object_object_add(p, "log",
		    json_object_new_boolean(f->plog[i]));
		if (f->ptypes[i] == RUNG_PCAT) {
			lv = json_object_new_array();
			for (l = 0; l < f->nlevels[i]; l++)
				json_object_array_add(lv,
				    json_object_new_string(f->levels[i][l]));
			json_object_object_add(p, "levels", lv);
		}
		json_object_array_add(arr, p);
	}
	json_object_object_add(obj, "params", arr);
	s = xstrdup(json_object_to_json_string_ext(obj,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(obj);
	return s;
}

static int
spec_parse(const char *text, struct rung_featspec *f, char **cause)
{
	json_object	*obj, *arr, *p, *v, *lv;
	uint32_t	 i, l, n;
	const char	*type;

	if ((obj = json_tokener_parse(text)) == NULL ||
	    !json_object_object_get_ex(obj, "params", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		json_object_put(obj);
		xasprintf(cause, "a stored model's feature spec is damaged");
		return -1;
	}
	n = (uint32_t)json_object_array_length(arr);
	f->nparams = n;
	f->pnames = xcalloc(n ? n : 1, sizeof *f->pnames);
	f->ptypes = xcalloc(n ? n : 1, sizeof *f->ptypes);
	f->plog = xcalloc(n ? n : 1, sizeof *f->plog);
	f->nlevels = xcalloc(n ? n : 1, sizeof *f->nlevels);
	f->levels = xcalloc(n ? n : 1, sizeof *f->levels);
	for (i = 0; i < n; i++) {
		p = json_object_array_get_idx(arr, i);
		json_object_object_get_ex(p, "name", &v);
		f->pnames[i] = xstrdup(v ? json_object_get_string(v) : "");
		json_object_object_get_ex(p, "type", &v);
		type = v ? json_object_get_string(v) : "real";
		f->ptypes[i] = strcmp(type, "int") == 0 ? RUNG_PINT :
		    strcmp(type, "categorical") == 0 ? RUNG_PCAT : RUNG_PREAL;
		f->plog[i] = json_object_object_get_ex(p, "log", &v) &&
		    json_object_get_boolean(v);
		if (json_object_object_get_ex(p, "levels", &lv)) {
			f->nlevels[i] = (uint32_t)json_object_array_length(lv);
			f->levels[i] = xcalloc(f->nlevels[i] ? f->nlevels[i] :
			    1, sizeof **f->levels);
			for (l = 0; l < f->nlevels[i]; l++)
				f->levels[i][l] = xstrdup(json_object_get_string(
				    json_object_array_get_idx(lv, l)));
		}
	}
	json_object_put(obj);
	return 0;
}

static char *
svr_json(const struct rung_svr_params *p)
{
	char	 c[RUNG_DBL_BUFSZ], nu[RUNG_DBL_BUFSZ], e[RUNG_DBL_BUFSZ];
	char	 g[RUNG_DBL_BUFSZ], t[RUNG_DBL_BUFSZ];

	return xprintf("{\"type\":\"%s\",\"C\":%s,\"nu\":%s,\"epsilon\":%s,"
	    "\"gamma\":%s,\"tol\":%s}", rung_svr_type_name(p->type),
	    rung_fmt_double(p->C, 0, c), rung_fmt_double(p->nu, 0, nu),
	    rung_fmt_double(p->epsilon, 0, e), rung_fmt_double(p->gamma, 0, g),
	    rung_fmt_double(p->tol, 0, t));
}

static double
jnum(json_object *obj, const char *key, double def)
{
	json_object	*v;

	if (!json_object_object_get_ex(obj, key, &v))
		return def;
	return json_object_get_double(v);
}

static void
svr_parse(const char *text, struct rung_svr_params *p)
{
	json_object	*obj, *v;

	rung_svr_params_init(p);
	if ((obj = json_tokener_parse(text)) == NULL)
		return;
	if (json_object_object_get_ex(obj, "type", &v) &&
	    strcmp(json_object_get_string(v), "eps-svr") == 0)
		p->type = RUNG_EPS_SVR;
	p->C = jnum(obj, "C", p->C);
	p->nu = jnum(obj, "nu", p->nu);
	p->epsilon = jnum(obj, "epsilon", p->epsilon);
	p->gamma = jnum(obj, "gamma", p->gamma);
	p->tol = jnum(obj, "tol", p->tol);
	json_object_put(obj);
}

int
rung_model_save(struct rung_store *s, const struct rung_model *m,
    int replace, char **cause)
{
	sqlite3		*db = rung_store_db(s);
	sqlite3_stmt	*st = NULL;
	char		*spec = NULL, *svr = NULL, *text = NULL;
	size_t		 len;
	int		 rc, ret = -1;

	if (rung_svr_save(m->fitted, &text, &len, cause) != 0)
		return -1;
	spec = spec_json(&m->feat);
	svr = svr_json(&m->svr);
	if (sqlite3_prepare_v2(db, replace ?
	    "INSERT OR REPLACE INTO models (name, study_id, study, metric,"
	    " direction, features, prefix, target, spec, svr, model, n_train)"
	    " VALUES (?, (SELECT id FROM studies WHERE name = ?), ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?)" :
	    "INSERT INTO models (name, study_id, study, metric,"
	    " direction, features, prefix, target, spec, svr, model, n_train)"
	    " VALUES (?, (SELECT id FROM studies WHERE name = ?), ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		goto dberr;
	sqlite3_bind_text(st, 1, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, m->study, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->study, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m->metric, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, rung_direction_name(m->direction), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(st, 6, rung_features_name(m->feat.kind), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(st, 7, m->feat.prefix);
	sqlite3_bind_int(st, 8, m->feat.target);
	sqlite3_bind_text(st, 9, spec, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, svr, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 11, text, (int)len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 12, m->n_train);
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE || (rc == SQLITE_CONSTRAINT &&
	    !replace)) {
		xasprintf(cause, "a model called '%s' exists: choose another "
		    "name, or --replace it", m->name);
		goto out;
	}
	if (rc != SQLITE_DONE)
		goto dberr;
	ret = 0;
	goto out;
dberr:
	xasprintf(cause, "%s: %s", rung_store_path(s), sqlite3_errmsg(db));
out:
	sqlite3_finalize(st);
	free(spec);
	free(svr);
	free(text);
	return ret;
}

#define MODEL_COLS "name, study, metric, direction, features, prefix, " \
	"target, spec, svr, n_train, created, model"

static struct rung_model *
read_model(sqlite3_stmt *st, int with_fitted, char **cause)
{
	struct rung_model *m;

	m = xcalloc(1, sizeof *m);
	m->name = xstrdup((const char *)sqlite3_column_text(st, 0));
	m->study = xstrdup((const char *)sqlite3_column_text(st, 1));
	m->metric = xstrdup((const char *)sqlite3_column_text(st, 2));
	m->direction = rung_direction_parse(
	    (const char *)sqlite3_column_text(st, 3));
	m->feat.kind = rung_features_parse(
	    (const char *)sqlite3_column_text(st, 4)) == RUNG_FEAT_BAKER ?
	    RUNG_FEAT_BAKER : RUNG_FEAT_RAW;
	m->feat.prefix = sqlite3_column_int(st, 5);
	m->feat.target = sqlite3_column_int(st, 6);
	if (spec_parse((const char *)sqlite3_column_text(st, 7), &m->feat,
	    cause) != 0)
		goto fail;
	svr_parse((const char *)sqlite3_column_text(st, 8), &m->svr);
	m->n_train = (uint32_t)sqlite3_column_int64(st, 9);
	m->created = xstrdup((const char *)sqlite3_column_text(st, 10));
	if (with_fitted && rung_svr_load(sqlite3_column_blob(st, 11),
	    (size_t)sqlite3_column_bytes(st, 11), &m->fitted, cause) != 0)
		goto fail;
	return m;
fail:
	rung_model_free(m);
	return NULL;
}

int
rung_model_load(struct rung_store *s, const char *name, const char *study,
    struct rung_model **out, char **cause)
{
	sqlite3		*db = rung_store_db(s);
	sqlite3_stmt	*st;
	int		 rc;

	if (sqlite3_prepare_v2(db, name != NULL ?
	    "SELECT " MODEL_COLS " FROM models WHERE name = ?" :
	    "SELECT " MODEL_COLS " FROM models WHERE study = ?"
	    " ORDER BY id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return rung_store_error(s, cause);
	sqlite3_bind_text(st, 1, name != NULL ? name : study, -1,
	    SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = read_model(st, 1, cause);
	else if (rc == SQLITE_DONE) {
		*out = NULL;
		if (name != NULL)
			xasprintf(cause, "no model '%s' (rung models lists "
			    "them)", name);
		else
			xasprintf(cause, "no model trained on study '%s': "
			    "train one with rung fit %s --prefix K --save NAME",
			    study, study);
	} else {
		*out = NULL;
		rung_store_error(s, cause);
	}
	sqlite3_finalize(st);
	return *out != NULL ? 0 : -1;
}

int
rung_model_list(struct rung_store *s, struct rung_model ***out, size_t *n,
    char **cause)
{
	sqlite3		*db = rung_store_db(s);
	sqlite3_stmt	*st;
	struct rung_model **v = NULL, *m;
	size_t		 cap = 0, len = 0;

	if (sqlite3_prepare_v2(db, "SELECT " MODEL_COLS " FROM models"
	    " ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return rung_store_error(s, cause);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if ((m = read_model(st, 0, cause)) == NULL) {
			sqlite3_finalize(st);
			while (len > 0)
				rung_model_free(v[--len]);
			free(v);
			return -1;
		}
		XGROW(v, cap, len + 1);
		v[len++] = m;
	}
	sqlite3_finalize(st);
	*out = v;
	*n = len;
	return 0;
}
