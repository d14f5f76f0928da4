/*
 * Optuna's values as Python holds them: categorical choices typed and
 * spelled as str() spells them, compared as == compares them, and the
 * distributions (distribution_json) parsed once per distinct text, with
 * check_distribution_compatibility()'s rule. The strings of both storages,
 * parameter names and distribution texts, are interned here.
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rung/jsonin.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "import-optuna-int.h"

uint32_t
opt_intern(struct intern *in, const char *s)
{
	size_t		 h, i;
	uint32_t	 k;

	if (in->hsize == 0) {
		in->hsize = 64;
		in->hash = xcalloc(in->hsize, sizeof *in->hash);
	}
	h = rung_hash_str(s) & (in->hsize - 1);
	while (in->hash[h] != 0) {
		k = in->hash[h] - 1;
		if (strcmp(in->s[k], s) == 0)
			return k;
		h = (h + 1) & (in->hsize - 1);
	}
	XGROW(in->s, in->cap, in->n + 1);
	k = in->n++;
	in->s[k] = xstrdup(s);
	in->hash[h] = k + 1;
	if (in->n * 2 > in->hsize) {
		free(in->hash);
		in->hsize *= 2;
		in->hash = xcalloc(in->hsize, sizeof *in->hash);
		for (i = 0; i < in->n; i++) {
			h = rung_hash_str(in->s[i]) & (in->hsize - 1);
			while (in->hash[h] != 0)
				h = (h + 1) & (in->hsize - 1);
			in->hash[h] = (uint32_t)i + 1;
		}
	}
	return k;
}

void
opt_intern_free(struct intern *in)
{
	uint32_t	 i;

	for (i = 0; i < in->n; i++)
		free(in->s[i]);
	free(in->s);
	free(in->hash);
}

void
opt_dist_free(struct odist *d)
{
	uint32_t	 i;

	free(d->cls);
	for (i = 0; i < d->nchoices; i++)
		free(d->choices[i].text);
	free(d->choices);
}

/*
 * A float as Python's repr() and str() write it: nan, inf and -inf as
 * rung_fmt_human writes them.
 */
static char *
py_float(double v, char buf[RUNG_DBL_BUFSZ])
{
	if (!isfinite(v))
		return rung_fmt_human(v, buf);
	return rung_fmt_double(v, 1, buf);	/* repr's digits, notation */
}

static int
read_choice(struct json_object *v, struct ochoice *ch)
{
	char	 buf[RUNG_DBL_BUFSZ];

	memset(ch, 0, sizeof *ch);
	switch (json_object_get_type(v)) {
	case json_type_null:
		ch->type = CH_NONE;
		ch->text = xstrdup("None");
		break;
	case json_type_boolean:
		ch->type = CH_BOOL;
		ch->d = json_object_get_boolean(v) ? 1 : 0;
		ch->text = xstrdup(ch->d != 0 ? "True" : "False");
		break;
	case json_type_int:
		ch->type = CH_INT;
		ch->d = (double)json_object_get_int64(v);
		ch->text = xprintf("%" PRId64, json_object_get_int64(v));
		break;
	case json_type_double:
		ch->type = CH_FLOAT;
		ch->d = json_object_get_double(v);
		ch->text = xstrdup(py_float(ch->d, buf));
		break;
	case json_type_string:
		ch->type = CH_STR;
		ch->text = xstrdup(json_object_get_string(v));
		break;
	default:
		return -1;
	}
	return 0;
}

static int
get_bool(struct json_object *attrs, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(attrs, key, &v))
		return 0;
	return json_object_get_boolean(v);
}

/*
 * Read a distribution_json: {"name": CLASS, "attributes": {...}} as
 * distribution_to_json() writes it, or the abbreviated {"type": ...} form
 * that json_to_distribution() also accepts.
 */
static int
dist_parse(const char *text, struct odist *d, char **err)
{
	static const struct {
		const char	*cls;
		enum odkind	 kind;
		int		 log;	/* -1: the "log" attribute */
	} classes[] = {
		{ "FloatDistribution", OD_FLOAT, -1 },
		{ "UniformDistribution", OD_FLOAT, 0 },
		{ "LogUniformDistribution", OD_FLOAT, 1 },
		{ "DiscreteUniformDistribution", OD_FLOAT, 0 },
		{ "IntDistribution", OD_INT, -1 },
		{ "IntUniformDistribution", OD_INT, 0 },
		{ "IntLogUniformDistribution", OD_INT, 1 },
		{ "CategoricalDistribution", OD_CAT, 0 },
	};
	struct json_tokener	*tok;
	struct json_object	*obj, *v, *attrs = NULL, *choices;
	const char		*name = NULL, *type, *msg;
	size_t			 i, n, off;
	int			 ret = -1, rc;

	memset(d, 0, sizeof *d);
	/* Choices become text in the database: UTF-8 only (an RDB's). */
	if (!rung_utf8_valid(text, strlen(text), &i)) {
		xasprintf(err, "distribution is not UTF-8 text");
		return -1;
	}
	/*
	 * With the checks of every JSON rung reads: a choice holding \u0000
	 * would end there, and two choices could become one.
	 */
	if ((tok = json_tokener_new()) == NULL) {
		xasprintf(err, "out of memory");
		return -1;
	}
	rc = rung_json_parse(tok, text, strlen(text), &obj, &off, &msg);
	json_tokener_free(tok);
	if (rc != 0) {
		obj = NULL;
		xasprintf(err, "distribution is not a JSON object (%s, at "
		    "character %zu): %.80s", msg, off + 1, text);
		goto out;
	}
	if (!json_object_is_type(obj, json_type_object)) {
		xasprintf(err, "distribution is not a JSON object: %.80s",
		    text);
		goto out;
	}
	if (json_object_object_get_ex(obj, "name", &v)) {
		name = json_object_get_string(v);
		if (!json_object_object_get_ex(obj, "attributes", &attrs) ||
		    !json_object_is_type(attrs, json_type_object)) {
			xasprintf(err, "distribution %s without attributes",
			    name);
			goto out;
		}
		for (i = 0; i < sizeof classes / sizeof classes[0]; i++) {
			if (strcmp(classes[i].cls, name) == 0)
				break;
		}
		if (i == sizeof classes / sizeof classes[0]) {
			xasprintf(err, "unknown distribution class '%s'", name);
			goto out;
		}
		d->cls = xstrdup(name);
		d->kind = classes[i].kind;
		d->log = classes[i].log >= 0 ? classes[i].log :
		    get_bool(attrs, "log");
	} else if (json_object_object_get_ex(obj, "type", &v)) {
		attrs = obj;
		type = json_object_get_string(v);
		if (strcmp(type, "float") == 0) {
			d->cls = xstrdup("FloatDistribution");
			d->kind = OD_FLOAT;
		} else if (strcmp(type, "int") == 0) {
			d->cls = xstrdup("IntDistribution");
			d->kind = OD_INT;
		} else if (strcmp(type, "categorical") == 0) {
			d->cls = xstrdup("CategoricalDistribution");
			d->kind = OD_CAT;
		} else {
			xasprintf(err, "unknown distribution type '%s'", type);
			goto out;
		}
		d->log = d->kind != OD_CAT && get_bool(attrs, "log");
	} else {
		xasprintf(err, "not a distribution: %.80s", text);
		goto out;
	}
	if (d->kind == OD_CAT) {
		if (!json_object_object_get_ex(attrs, "choices", &choices) ||
		    !json_object_is_type(choices, json_type_array)) {
			xasprintf(err, "categorical distribution without "
			    "choices");
			goto out;
		}
		n = json_object_array_length(choices);
		d->choices = xcalloc(n ? n : 1, sizeof *d->choices);
		for (i = 0; i < n; i++) {
			if (read_choice(json_object_array_get_idx(choices, i),
			    &d->choices[i]) != 0) {
				xasprintf(err, "categorical choice %zu is not "
				    "None, a boolean, a number or a string", i);
				goto out;
			}
			d->nchoices++;
		}
	}
	ret = 0;
out:
	json_object_put(obj);
	if (ret != 0) {
		opt_dist_free(d);
		memset(d, 0, sizeof *d);
	}
	return ret;
}

/* The distribution of a JSON text, parsed once per distinct text. */
int
opt_dist_get(struct octx *c, const char *text, uint32_t *out, char **err)
{
	uint32_t	 k, n = c->dtext.n;

	k = opt_intern(&c->dtext, text);
	if (k == n) {
		XGROW(c->dists, c->distcap, (size_t)k + 1);
		if (dist_parse(text, &c->dists[k], err) != 0) {
			/* Forget it so that nothing points to a bad one. */
			c->dists[k].cls = NULL;
			*out = k;
			return -1;
		}
	} else if (c->dists[k].cls == NULL) {
		xasprintf(err, "bad distribution: %.80s", text);
		return -1;
	}
	*out = k;
	return 0;
}

/* Python's == on two choices (1 == 1.0 == True; NaN is never equal). */
static int
choice_eq(const struct ochoice *a, const struct ochoice *b)
{
	if (a->type == CH_NONE || b->type == CH_NONE)
		return a->type == b->type;
	if (a->type == CH_STR || b->type == CH_STR)
		return a->type == b->type && strcmp(a->text, b->text) == 0;
	return a->d == b->d;
}

/* check_distribution_compatibility(): 0 when compatible. */
int
opt_dist_compatible(const struct odist *a, const struct odist *b)
{
	uint32_t	 i;

	if (strcmp(a->cls, b->cls) != 0)
		return -1;
	if (a->kind != OD_CAT)
		return a->log == b->log ? 0 : -1;
	if (a->nchoices != b->nchoices)
		return -1;
	for (i = 0; i < a->nchoices; i++) {
		if (!choice_eq(&a->choices[i], &b->choices[i]))
			return -1;
	}
	return 0;
}
