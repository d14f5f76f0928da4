/*
 * Kept predictors (include/rung/model.h): a struct rung_model as a row of
 * the store's models table and back, its feature spec and SVR settings as
 * JSON; the statements are in store-model.c.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rung/jsonout.h"
#include "rung/model.h"
#include "rung/store-model.h"
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
	rung_featspec_alloc(f, n);
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
	    rung_svr_type_parse(json_object_get_string(v)) >= 0)
		p->type = (enum rung_svr_type)rung_svr_type_parse(
		    json_object_get_string(v));
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
	struct rung_model_row r;
	int		 ret;

	memset(&r, 0, sizeof r);
	if (rung_svr_save(m->fitted, &r.model, &r.model_len, cause) != 0)
		return -1;
	r.name = m->name;
	r.study = m->study;
	r.metric = m->metric;
	r.direction = m->direction;
	r.features = m->feat.kind;
	r.prefix = m->feat.prefix;
	r.target = m->feat.target;
	r.spec = spec_json(&m->feat);
	r.svr = svr_json(&m->svr);
	r.n_train = m->n_train;
	ret = rung_store_model_put(s, &r, replace, cause);
	free(r.spec);
	free(r.svr);
	free(r.model);
	return ret;
}

/* A model from a row of the store, whose strings it takes. */
static struct rung_model *
from_row(struct rung_model_row *r, int with_fitted, char **cause)
{
	struct rung_model *m;

	m = xcalloc(1, sizeof *m);
	m->name = r->name;
	m->study = r->study;
	m->metric = r->metric;
	m->created = r->created;
	r->name = r->study = r->metric = r->created = NULL;
	m->direction = r->direction;
	m->feat.kind = r->features;
	m->feat.prefix = r->prefix;
	m->feat.target = r->target;
	m->n_train = r->n_train;
	if (spec_parse(r->spec, &m->feat, cause) != 0)
		goto fail;
	svr_parse(r->svr, &m->svr);
	if (with_fitted && rung_svr_load(r->model, r->model_len, &m->fitted,
	    cause) != 0)
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
	struct rung_model_row r;
	int		 rc;

	*out = NULL;
	rc = rung_store_model_get(s, name, study, &r, cause);
	if (rc == 0)
		*out = from_row(&r, 1, cause);
	else if (rc == 1) {
		if (name != NULL)
			xasprintf(cause, "no model '%s' (rung models lists "
			    "them)", name);
		else
			xasprintf(cause, "no model trained on study '%s': "
			    "train one with rung fit %s --prefix K --save NAME",
			    study, study);
	}
	rung_model_row_release(&r);
	return *out != NULL ? 0 : -1;
}

int
rung_model_list(struct rung_store *s, struct rung_model ***out, size_t *n,
    char **cause)
{
	struct rung_model_row *rows;
	struct rung_model **v;
	size_t		 nrows, i, len = 0;
	int		 ret = 0;

	if (rung_store_model_list(s, &rows, &nrows, cause) != 0)
		return -1;
	v = xcalloc(nrows ? nrows : 1, sizeof *v);
	for (i = 0; i < nrows && ret == 0; i++) {
		if ((v[len] = from_row(&rows[i], 0, cause)) == NULL)
			ret = -1;
		else
			len++;
	}
	for (i = 0; i < nrows; i++)
		rung_model_row_release(&rows[i]);
	free(rows);
	if (ret != 0) {
		while (len > 0)
			rung_model_free(v[--len]);
		free(v);
		return -1;
	}
	*out = v;
	*n = len;
	return 0;
}
