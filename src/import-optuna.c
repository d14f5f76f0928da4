/*
 * Optuna storages: the RDB storage in an SQLite file, and the JournalStorage
 * file (JournalFileStorage). Either holds any number of studies; each study
 * read becomes a unit of its own, with its own batch.
 *
 * Mapping, the same for both:
 *  - a trial's id is its number within the study ("0", "1", ...);
 *  - COMPLETE is complete, PRUNED stopped, FAIL failed, RUNNING and WAITING
 *    running;
 *  - a parameter keeps the type its distribution declares: Float (and the
 *    legacy Uniform, LogUniform, DiscreteUniform) is real, Int (and
 *    IntUniform, IntLogUniform) is int, both with their log scale;
 *    Categorical is categorical and holds the choice itself, spelled as
 *    Python's str() spells it: strings as they are, None, True, False,
 *    integers in decimal and floats as repr() writes them (0.001, 1e-05,
 *    2.0, nan, inf), so that rung shows what print() printed of the
 *    value;
 *  - the intermediate values (trial.report) are the metric "intermediate"
 *    at their steps, NaN and infinities kept;
 *  - the objective values are the metric "value" (one objective) or
 *    "value_0", "value_1", ... (several), one point each at the trial's
 *    last intermediate step, or at step 0 when it reported none;
 *  - the metric of interest is the objective (--objective picks one of
 *    several), as Optuna's best_trial ranks trials by it, never by an
 *    intermediate value; every objective keeps its own direction, and
 *    "intermediate" the direction of the study's one objective.
 *
 * The SQLite file is opened read-only through a URI (mode=ro), in one read
 * transaction, and each table is read with one query ordered by trial_id:
 * the trials are sorted by trial_id once and every later query walks that
 * list with a cursor, so a trial is found without a lookup of any kind.
 * The schema revision (alembic_version) says which tables and columns there
 * are; values written before value types existed are decoded the way
 * Optuna's own migrations decode them.
 *
 * The journal is replayed as JournalStorageReplayResult.apply_logs() does,
 * seen from a worker that issued none of the operations: an operation on a
 * study or trial that does not exist, on a finished trial, or a parameter
 * whose distribution conflicts with the one the study recorded first, is
 * skipped, never an error.
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/jsonin.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

/* Distributions. */
enum odkind {
	OD_FLOAT,
	OD_INT,
	OD_CAT,
};

/* A categorical choice, typed as Python compares them. */
enum ochtype {
	CH_NONE,
	CH_BOOL,
	CH_INT,
	CH_FLOAT,
	CH_STR,
};

struct ochoice {
	enum ochtype	 type;
	double		 d;		/* bool, int and float */
	char		*text;		/* Python's str() */
};

struct odist {
	char		*cls;		/* its class name */
	enum odkind	 kind;
	int		 log;
	struct ochoice	*choices;
	uint32_t	 nchoices;
};

/* Strings interned to small integers: parameter names, distributions. */
struct intern {
	char		**s;
	uint32_t	 n;
	size_t		 cap;
	uint32_t	*hash;		/* index + 1, 0 free */
	size_t		 hsize;
};

/* One Optuna study being read. */
struct ostudy {
	int64_t		 id;		/* study_id */
	char		*name;
	int		 deleted;	/* journal */
	enum rung_direction *dirs;	/* per objective, 0 for NOT_SET */
	uint32_t	 ndirs;
	int		 selected;

	struct rung_batch *b;
	uint32_t	*vcol;		/* metric of each objective */
	uint32_t	 icol;		/* "intermediate" (has_inter) */
	int		 has_inter;
	uint32_t	 ntrials;
	uint32_t	*pcol;		/* per interned name: param + 1 */
	size_t		 npcol;

	/* Journal: per interned name, the first trial holding it, + 1. */
	uint32_t	*pfirst;
	size_t		 npfirst;
	uint32_t	*jtrials;	/* trial ids, in number order */
	uint32_t	 njtrials;
	size_t		 jtrialcap;
};

struct octx {
	const char	*path;
	const struct rung_import_opts *o;
	char		**cause;

	struct ostudy	*studies;
	size_t		 nstudies;
	size_t		 studycap;

	struct intern	 names;		/* parameter names */
	struct intern	 dtext;		/* distribution texts */
	struct odist	*dists;		/* parallel to dtext */
	size_t		 distcap;

	/* Scratch for one trial's intermediate values. */
	int32_t		*steps;
	double		*ivals;
	size_t		 icap;
};

static int	 oerr(struct octx *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));

/* Set *cause to "FILE: message" and return -1. */
static int
oerr(struct octx *c, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	xasprintf(c->cause, "%s: %s", c->path, msg);
	free(msg);
	return -1;
}

static uint64_t
hash_bytes(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static uint32_t
intern(struct intern *in, const char *s)
{
	size_t		 h, i;
	uint32_t	 k;

	if (in->hsize == 0) {
		in->hsize = 64;
		in->hash = xcalloc(in->hsize, sizeof *in->hash);
	}
	h = hash_bytes(s) & (in->hsize - 1);
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
			h = hash_bytes(in->s[i]) & (in->hsize - 1);
			while (in->hash[h] != 0)
				h = (h + 1) & (in->hsize - 1);
			in->hash[h] = (uint32_t)i + 1;
		}
	}
	return k;
}

static void
intern_free(struct intern *in)
{
	uint32_t	 i;

	for (i = 0; i < in->n; i++)
		free(in->s[i]);
	free(in->s);
	free(in->hash);
}

static void
dist_free(struct odist *d)
{
	uint32_t	 i;

	free(d->cls);
	for (i = 0; i < d->nchoices; i++)
		free(d->choices[i].text);
	free(d->choices);
}

/* A float as Python's repr() and str() write it. */
static char *
py_float(double v, char buf[RUNG_DBL_BUFSZ])
{
	if (isnan(v))
		strcpy(buf, "nan");
	else if (isinf(v))
		strcpy(buf, v < 0 ? "-inf" : "inf");
	else
		rung_fmt_double(v, 1, buf);	/* repr's digits, notation */
	return buf;
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
		dist_free(d);
		memset(d, 0, sizeof *d);
	}
	return ret;
}

/* The distribution of a JSON text, parsed once per distinct text. */
static int
dist_get(struct octx *c, const char *text, uint32_t *out, char **err)
{
	uint32_t	 k, n = c->dtext.n;

	k = intern(&c->dtext, text);
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
static int
dist_compatible(const struct odist *a, const struct odist *b)
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

static struct ostudy *
study_add(struct octx *c, int64_t id, const char *name)
{
	struct ostudy	*s;

	XGROW(c->studies, c->studycap, c->nstudies + 1);
	s = &c->studies[c->nstudies++];
	memset(s, 0, sizeof *s);
	s->id = id;
	s->name = xstrdup(name);
	return s;
}

static void
study_release(struct ostudy *s)
{
	free(s->name);
	free(s->dirs);
	rung_batch_free(s->b);
	free(s->vcol);
	free(s->pcol);
	free(s->pfirst);
	free(s->jtrials);
}

static void
study_add_dir(struct ostudy *s, uint32_t objective, enum rung_direction d)
{
	uint32_t	 i;

	if (objective >= s->ndirs) {
		s->dirs = xreallocarray(s->dirs, objective + 1,
		    sizeof *s->dirs);
		for (i = s->ndirs; i <= objective; i++)
			s->dirs[i] = 0;
		s->ndirs = objective + 1;
	}
	s->dirs[objective] = d;
}

/*
 * Choose the studies --study names (all without it), and fail when it names
 * none of them.
 */
static int
select_studies(struct octx *c)
{
	struct rung_buf	 names = { 0 };
	size_t		 i, n = 0;

	for (i = 0; i < c->nstudies; i++) {
		if (c->studies[i].deleted)
			continue;
		n++;
		if (c->o->optuna_study == NULL ||
		    strcmp(c->o->optuna_study, c->studies[i].name) == 0)
			c->studies[i].selected = 1;
	}
	if (n == 0)
		return oerr(c, "the Optuna storage holds no study");
	for (i = 0; i < c->nstudies; i++) {
		if (c->studies[i].selected)
			return 0;
	}
	for (i = 0; i < c->nstudies; i++) {
		if (!c->studies[i].deleted)
			rung_buf_printf(&names, "%s'%s'", names.len ? ", " : "",
			    c->studies[i].name);
	}
	oerr(c, "no study '%s' in the storage; it holds %s",
	    c->o->optuna_study, rung_buf_cstr(&names));
	rung_buf_release(&names);
	return -1;
}

/*
 * Give a selected study its batch and its objective columns, and check
 * --objective against its number of objectives.
 */
static int
study_begin(struct octx *c, struct ostudy *s, const char *digest,
    uint64_t size, int journal)
{
	uint32_t	 k, want;
	char		*name;

	want = c->o->objective_set ? (uint32_t)c->o->objective : 0;
	if (s->ndirs == 0)
		study_add_dir(s, 0, 0);
	if (c->o->objective_set && (c->o->objective < 0 || want >= s->ndirs)) {
		return oerr(c, "study '%s' has %u objective%s: --objective "
		    "%d is not one of them (0 to %u)", s->name, s->ndirs,
		    s->ndirs == 1 ? "" : "s", c->o->objective, s->ndirs - 1);
	}
	s->b = rung_batch_new();
	rung_batch_source(s->b, c->path, journal ? "optuna-journal" : "optuna",
	    digest, size);
	s->vcol = xcalloc(s->ndirs, sizeof *s->vcol);
	if (s->ndirs == 1)
		s->vcol[0] = rung_batch_metric(s->b, "value");
	else {
		for (k = 0; k < s->ndirs; k++) {
			name = xprintf("value_%u", k);
			s->vcol[k] = rung_batch_metric(s->b, name);
			free(name);
		}
		rung_info("%s: study '%s' has %u objectives: importing "
		    "objective %u as the metric of interest%s", c->path,
		    s->name, s->ndirs, want, c->o->objective_set ? "" :
		    "; --objective chooses another");
	}
	return 0;
}

/*
 * The metric of interest and the directions, once every trial is read. The
 * objective is the metric of interest even where trials reported
 * intermediate values: they are the curve, but Optuna ranks trials by the
 * objective (a pruned trial's is its last report), and so must rung.
 */
static void
study_end(struct octx *c, struct ostudy *s)
{
	uint32_t	 want, k;
	char		*name;

	want = c->o->objective_set ? (uint32_t)c->o->objective : 0;
	for (k = 0; k < s->ndirs; k++) {
		if (s->dirs[k] != 0)
			rung_batch_metric_direction(s->b, s->vcol[k],
			    s->dirs[k]);
	}
	/* Optuna refuses trial.report() in a study of several objectives. */
	if (s->has_inter && s->ndirs == 1 && s->dirs[0] != 0)
		rung_batch_metric_direction(s->b, s->icol, s->dirs[0]);
	if (s->ndirs == 1)
		rung_batch_interest(s->b, "value", s->dirs[0]);
	else {
		name = xprintf("value_%u", want);
		rung_batch_interest(s->b, name, s->dirs[want]);
		free(name);
	}
}

static uint32_t
study_trial(struct ostudy *s, int64_t number, enum rung_status st)
{
	char		 id[32];
	uint32_t	 t;

	snprintf(id, sizeof id, "%" PRId64, number);
	t = rung_batch_trial(s->b, id);
	rung_batch_set_status(s->b, t, st);
	s->ntrials++;
	return t;
}

/* Set a parameter from Optuna's internal representation. */
static int
put_param(struct octx *c, struct ostudy *s, uint32_t t, int64_t number,
    uint32_t name, double internal, uint32_t di)
{
	const struct odist *d = &c->dists[di];
	uint32_t	 p;
	size_t		 old = s->npcol;
	int64_t		 idx;

	if (name >= s->npcol) {
		s->npcol = c->names.n;
		s->pcol = xreallocarray(s->pcol, s->npcol, sizeof *s->pcol);
		memset(s->pcol + old, 0, (s->npcol - old) * sizeof *s->pcol);
	}
	if (s->pcol[name] == 0) {
		p = rung_batch_param(s->b, c->names.s[name]);
		rung_batch_param_decl(s->b, p, d->kind == OD_FLOAT ?
		    RUNG_PREAL : d->kind == OD_INT ? RUNG_PINT : RUNG_PCAT,
		    d->log);
		s->pcol[name] = p + 1;
	}
	p = s->pcol[name] - 1;
	switch (d->kind) {
	case OD_FLOAT:
		rung_batch_param_real(s->b, t, p, internal);
		break;
	case OD_INT:
		/* int(), as IntDistribution.to_external_repr(). */
		if (!(internal > -9.2e18 && internal < 9.2e18)) {
			return oerr(c, "study '%s', trial %" PRId64 ": "
			    "parameter '%s': %g is not an integer", s->name,
			    number, c->names.s[name], internal);
		}
		rung_batch_param_int(s->b, t, p, (int64_t)internal);
		break;
	case OD_CAT:
		/* choices[int(v)], negative indexes counting from the end. */
		idx = internal > -1e9 && internal < 1e9 ? (int64_t)internal :
		    INT64_MAX;
		if (idx < 0)
			idx += d->nchoices;
		if (idx < 0 || idx >= (int64_t)d->nchoices) {
			return oerr(c, "study '%s', trial %" PRId64 ": "
			    "parameter '%s': choice %g of %u", s->name,
			    number, c->names.s[name], internal, d->nchoices);
		}
		rung_batch_param_text(s->b, t, p, d->choices[idx].text);
		break;
	}
	return 0;
}

/*
 * A trial's points: its intermediate values (sorted by step) and, at the
 * last of their steps or at 0, its objective values.
 */
static void
put_points(struct ostudy *s, uint32_t t, const int32_t *steps,
    const double *ivals, uint32_t n, const double *vals,
    const uint8_t *vset)
{
	uint32_t	 i, k, r = 0;
	int		 any = 0;

	if (n > 0 && !s->has_inter) {
		s->icol = rung_batch_metric(s->b, "intermediate");
		s->has_inter = 1;
	}
	for (i = 0; i < n; i++) {
		r = rung_batch_row(s->b, t, steps[i]);
		rung_batch_set(s->b, r, s->icol, ivals[i]);
	}
	for (k = 0; k < s->ndirs; k++)
		any |= vset[k];
	if (!any)
		return;
	if (n == 0)
		r = rung_batch_row(s->b, t, 0);
	for (k = 0; k < s->ndirs; k++) {
		if (vset[k])
			rung_batch_set(s->b, r, s->vcol[k], vals[k]);
	}
}

static void
scratch_grow(struct octx *c, size_t n)
{
	size_t	 cap = c->icap;

	if (n <= cap)
		return;
	XGROW(c->steps, cap, n);
	c->ivals = xreallocarray(c->ivals, cap, sizeof *c->ivals);
	c->icap = cap;
}

static int
trial_state(const char *s, enum rung_status *st)
{
	if (strcmp(s, "COMPLETE") == 0)
		*st = RUNG_COMPLETE;
	else if (strcmp(s, "PRUNED") == 0)
		*st = RUNG_STOPPED;
	else if (strcmp(s, "FAIL") == 0)
		*st = RUNG_FAILED;
	else if (strcmp(s, "RUNNING") == 0 || strcmp(s, "WAITING") == 0)
		*st = RUNG_RUNNING;
	else
		return -1;
	return 0;
}

static int
study_direction(const char *s, enum rung_direction *d)
{
	if (strcmp(s, "MINIMIZE") == 0)
		*d = RUNG_MIN;
	else if (strcmp(s, "MAXIMIZE") == 0)
		*d = RUNG_MAX;
	else if (strcmp(s, "NOT_SET") == 0)
		*d = 0;
	else
		return -1;
	return 0;
}

/*
 * Hand the studies that hold trials over as units. A study without a trial
 * makes no study in rung: it is skipped, unless it is all there is.
 */
static int
make_units(struct octx *c, struct rung_import_unit **units, size_t *nunits)
{
	struct ostudy	*s;
	size_t		 i, n = 0;

	for (i = 0; i < c->nstudies; i++) {
		s = &c->studies[i];
		if (!s->selected)
			continue;
		if (s->ntrials == 0) {
			rung_info("%s: study '%s' has no trial: skipped",
			    c->path, s->name);
			continue;
		}
		n++;
	}
	if (n == 0) {
		if (c->o->optuna_study != NULL)
			return oerr(c, "study '%s' has no trial",
			    c->o->optuna_study);
		return oerr(c, "no study in the storage has a trial");
	}
	*units = xcalloc(n, sizeof **units);
	*nunits = 0;
	for (i = 0; i < c->nstudies; i++) {
		s = &c->studies[i];
		if (s->b == NULL || s->ntrials == 0)
			continue;
		study_end(c, s);
		(*units)[*nunits].study = xstrdup(s->name);
		(*units)[*nunits].batch = s->b;
		(*nunits)++;
		s->b = NULL;
	}
	return 0;
}

/* RDB storage. */

/* What each schema revision holds, from the alembic migrations. */
struct oschema {
	const char	*rev;
	/*
	 * Up to v1.3.0.a: studies.direction, trials.value, and the
	 * intermediate values in trial_values(trial_id, step, value).
	 */
	int		 old;
	int		 number;	/* trials.number (v1.3.0.a) */
	int		 value_type;	/* trial_values (v3.0.0.d) */
	int		 inter_type;	/* intermediates (v3.0.0.c) */
};

static const struct oschema schemas[] = {
	{ "v0.9.0.a", 1, 0, 0, 0 },
	{ "v1.2.0.a", 1, 0, 0, 0 },	/* adds the WAITING state */
	{ "v1.3.0.a", 1, 1, 0, 0 },
	{ "v2.4.0.a", 0, 1, 0, 0 },	/* study_directions, objectives */
	{ "v2.6.0.a", 0, 1, 0, 0 },	/* TEXT for long JSON */
	{ "v3.0.0.a", 0, 1, 0, 0 },	/* Float/IntDistribution */
	{ "v3.0.0.b", 0, 1, 0, 0 },	/* float64; NULL intermediate */
	{ "v3.0.0.c", 0, 1, 0, 1 },
	{ "v3.0.0.d", 0, 1, 1, 1 },
	{ "v3.2.0.a", 0, 1, 1, 1 },	/* an index on trials.study_id */
};

/* A trial of a selected study, in the list sorted by trial_id. */
struct otrial {
	int64_t		 id;
	int64_t		 number;
	uint32_t	 study;
	uint32_t	 t;		/* in the study's batch */
	uint32_t	 voff;		/* its objective values */
};

struct rdb {
	struct octx	*c;
	sqlite3		*db;
	const struct oschema *schema;
	struct otrial	*trials;
	uint32_t	 ntrials;
	size_t		 trialcap;
	double		*vals;
	uint8_t		*vset;
	uint32_t	 nvals;
	size_t		 valcap;
};

static int
rdb_err(struct rdb *r)
{
	return oerr(r->c, "%s", sqlite3_errmsg(r->db));
}

static int
rdb_prepare(struct rdb *r, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(r->db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return rdb_err(r);
	}
	return 0;
}

/* "file:" URI of a path: %, ? and # and odd bytes escaped. */
static char *
file_uri(const char *path)
{
	struct rung_buf	 u = { 0 };
	const unsigned char *p;

	/* An empty authority, so that a path starting "//" stays a path. */
	rung_buf_addstr(&u, path[0] == '/' ? "file://" : "file:");
	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p <= 0x20 ||
		    *p >= 0x7f)
			rung_buf_printf(&u, "%%%02X", *p);
		else
			rung_buf_addc(&u, (char)*p);
	}
	rung_buf_addstr(&u, "?mode=ro");
	return rung_buf_cstr(&u);
}

/* np.isclose(a, b) with its default tolerances. */
static int
isclose(double a, double b)
{
	return fabs(a - b) <= 1e-8 + 1e-5 * fabs(b);
}

/*
 * A value stored before its type column existed: NULL is NaN, and the
 * float32 limits that Optuna 2 wrote for infinities are infinities again,
 * as migrations v3.0.0.c and v3.0.0.d turn them.
 */
static double
legacy_value(double v)
{
	const double	 max32 = 3.4028234663852886e38;

	if (v > 1e16 && isclose(v, max32))
		return INFINITY;
	if (v < -1e16 && isclose(v, -max32))
		return -INFINITY;
	return v;
}

/* No step: the value of a trial, a parameter. */
#define NO_STEP	INT64_MIN

/*
 * A column that holds what its type does not say, such as text in a REAL
 * column: SQLite keeps any value in a column of any type (a table made by
 * hand, a file written by another tool), and sqlite3_column_double() and
 * sqlite3_column_int64() read text as 0. Optuna gives no number for it
 * either. Say where it is.
 */
/* What a column holds, for a message. */
static void
rdb_got(sqlite3_stmt *st, int col, char *got, size_t size)
{
	const char	*text;
	size_t		 len, n, bad;

	switch (sqlite3_column_type(st, col)) {
	case SQLITE_TEXT:
		text = (const char *)sqlite3_column_text(st, col);
		len = text != NULL ? strlen(text) : 0;
		if (text == NULL || !rung_utf8_valid(text, len, &bad)) {
			snprintf(got, size, "text that is not UTF-8");
			break;
		}
		/* Cut long text short, between two characters. */
		for (n = len > 40 ? 40 : len; n < len &&
		    ((unsigned char)text[n] & 0xc0) == 0x80; n--)
			/* nothing */;
		snprintf(got, size, "the text '%.*s%s'", (int)n, text,
		    n < len ? "..." : "");
		break;
	case SQLITE_BLOB:
		snprintf(got, size, "a BLOB of %d byte%s",
		    sqlite3_column_bytes(st, col),
		    sqlite3_column_bytes(st, col) == 1 ? "" : "s");
		break;
	case SQLITE_FLOAT:
		snprintf(got, size, "%.17g", sqlite3_column_double(st, col));
		break;
	case SQLITE_INTEGER:
		snprintf(got, size, "%lld", sqlite3_column_int64(st, col));
		break;
	default:
		snprintf(got, size, "NULL");
		break;
	}
}

/*
 * A column that holds what its type does not say, such as text in a REAL
 * column: SQLite keeps any value in a column of any type (a table made by
 * hand, a file written by another tool), and sqlite3_column_double() and
 * sqlite3_column_int64() read text as 0. Optuna gives no number for it
 * either. Say where it is.
 */
static int
rdb_bad_type(struct rdb *r, sqlite3_stmt *st, int col,
    const struct otrial *ot, int64_t step, const char *param,
    const char *column, const char *want)
{
	char		 got[128], at[64] = "", pname[96] = "";

	rdb_got(st, col, got, sizeof got);
	if (step != NO_STEP)
		snprintf(at, sizeof at, ", step %" PRId64, step);
	if (param != NULL)
		snprintf(pname, sizeof pname, " parameter '%.64s':", param);
	return oerr(r->c, "study '%s', trial %" PRId64 "%s:%s %s: expected %s, "
	    "got %s", r->c->studies[ot->study].name, ot->number, at, pname,
	    column, want, got);
}

/* Is the value of a REAL column a number, or NULL? */
static int
rdb_is_real(sqlite3_stmt *st, int col)
{
	int	 type = sqlite3_column_type(st, col);

	return type == SQLITE_FLOAT || type == SQLITE_INTEGER ||
	    type == SQLITE_NULL;
}

/*
 * A value and its type column (NULL: no type column) as Optuna reads it.
 * column names the value's column, for messages.
 */
static int
rdb_value(struct rdb *r, sqlite3_stmt *st, int col, int typed,
    const struct otrial *ot, int64_t step, const char *column, double *v,
    int *set)
{
	const char	*type;

	*set = 1;
	if (!rdb_is_real(st, col))
		return rdb_bad_type(r, st, col, ot, step, NULL, column,
		    "a number");
	if (!typed) {
		if (sqlite3_column_type(st, col) == SQLITE_NULL) {
			*v = NAN;
			*set = 0;
		} else
			*v = legacy_value(sqlite3_column_double(st, col));
		return 0;
	}
	type = (const char *)sqlite3_column_text(st, col + 1);
	if (type == NULL || strcmp(type, "FINITE") == 0) {
		*v = sqlite3_column_type(st, col) == SQLITE_NULL ? NAN :
		    sqlite3_column_double(st, col);
	} else if (strcmp(type, "INF_POS") == 0)
		*v = INFINITY;
	else if (strcmp(type, "INF_NEG") == 0)
		*v = -INFINITY;
	else if (strcmp(type, "NAN") == 0)
		*v = NAN;
	else {
		return oerr(r->c, "study '%s', trial %" PRId64 ": %s: unknown "
		    "value type '%s'", r->c->studies[ot->study].name,
		    ot->number, column, type);
	}
	return 0;
}

static int
rdb_revision(struct rdb *r)
{
	sqlite3_stmt	*st;
	const char	*rev;
	size_t		 i;
	int		 rc, n;

	/* A damaged or foreign file fails here, with SQLite's words. */
	if (rdb_prepare(r, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'table' AND name = 'alembic_version'", &st) != 0)
		return -1;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		rc = rdb_err(r);	/* the statement's message, before it goes */
		sqlite3_finalize(st);
		return rc;
	}
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (n == 0) {
		return oerr(r->c, "an SQLite database, but not an Optuna "
		    "storage (it has no alembic_version table)");
	}
	if (rdb_prepare(r, "SELECT version_num FROM alembic_version", &st) != 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return rdb_err(r);
		return oerr(r->c, "not an Optuna storage (its "
		    "alembic_version table is empty)");
	}
	rev = (const char *)sqlite3_column_text(st, 0);
	for (i = 0; i < sizeof schemas / sizeof schemas[0]; i++) {
		if (rev != NULL && strcmp(rev, schemas[i].rev) == 0) {
			r->schema = &schemas[i];
			break;
		}
	}
	if (r->schema == NULL) {
		oerr(r->c, "an Optuna storage of schema revision '%s', which "
		    "rung does not know (it reads %s to %s)", rev != NULL ?
		    rev : "NULL", schemas[0].rev,
		    schemas[sizeof schemas / sizeof schemas[0] - 1].rev);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static int
rdb_studies(struct rdb *r)
{
	struct octx	*c = r->c;
	struct ostudy	*s;
	sqlite3_stmt	*st;
	const char	*name, *dir;
	enum rung_direction d;
	size_t		 bad;
	int		 rc, old = r->schema->old;

	if (rdb_prepare(r, old ? "SELECT study_id, study_name, direction "
	    "FROM studies ORDER BY study_id" : "SELECT study_id, study_name "
	    "FROM studies ORDER BY study_id", &st) != 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		name = (const char *)sqlite3_column_text(st, 1);
		if (name != NULL && !rung_utf8_valid(name, strlen(name),
		    &bad)) {
			oerr(c, "study %lld: a name that is not UTF-8 text",
			    (long long)sqlite3_column_int64(st, 0));
			sqlite3_finalize(st);
			return -1;
		}
		s = study_add(c, sqlite3_column_int64(st, 0),
		    name != NULL ? name : "");
		if (old) {
			dir = (const char *)sqlite3_column_text(st, 2);
			if (dir == NULL || study_direction(dir, &d) != 0) {
				/* dir is the statement's: say it first. */
				oerr(c, "study '%s': unknown direction '%s'",
				    s->name, dir != NULL ? dir : "");
				sqlite3_finalize(st);
				return -1;
			}
			study_add_dir(s, 0, d);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rdb_err(r);
	/* No study to give directions to (c->studies is NULL then). */
	if (old || c->nstudies == 0)
		return 0;

	if (rdb_prepare(r, "SELECT d.study_id, d.objective, d.direction FROM "
	    "study_directions d ORDER BY d.study_id, d.objective", &st) != 0)
		return -1;
	s = c->studies;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		while (s < c->studies + c->nstudies &&
		    s->id < sqlite3_column_int64(st, 0))
			s++;
		if (s == c->studies + c->nstudies ||
		    s->id != sqlite3_column_int64(st, 0))
			continue;
		dir = (const char *)sqlite3_column_text(st, 2);
		if (dir == NULL || study_direction(dir, &d) != 0) {
			oerr(c, "study '%s': unknown direction '%s'", s->name,
			    dir != NULL ? dir : "");
			sqlite3_finalize(st);
			return -1;
		}
		if (sqlite3_column_int64(st, 1) < 0 ||
		    sqlite3_column_int64(st, 1) > 1000000) {
			oerr(c, "study '%s': objective %lld", s->name,
			    (long long)sqlite3_column_int64(st, 1));
			sqlite3_finalize(st);
			return -1;
		}
		study_add_dir(s, (uint32_t)sqlite3_column_int64(st, 1), d);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rdb_err(r);
	return 0;
}

static int
cmp_otrial(const void *va, const void *vb)
{
	const struct otrial *a = va, *b = vb;

	return a->id < b->id ? -1 : a->id > b->id;
}

/*
 * The trials of the selected studies, in number order per study (the order
 * rung lists them), then sorted by trial_id for the other tables.
 */
static int
rdb_trials(struct rdb *r, const char *digest, uint64_t size)
{
	struct octx	*c = r->c;
	struct ostudy	*s;
	struct otrial	*ot;
	sqlite3_stmt	*st;
	const char	*sql, *state;
	enum rung_status rs;
	int64_t		 sid, number, last = -1;
	uint32_t	 si = 0, pos = 0, k;
	double		 v;
	char		 got[128];
	int		 rc, set;

	if (r->schema->old && !r->schema->number) {
		/* Before v1.3.0.a the number was a system attribute. */
		sql = "SELECT t.trial_id, t.study_id, (SELECT "
		    "CAST(a.value_json AS INTEGER) FROM "
		    "trial_system_attributes a WHERE "
		    "a.trial_id = t.trial_id AND a.key = '_number') AS n, "
		    "t.state, t.value FROM trials t ORDER BY t.study_id, n, "
		    "t.trial_id";
	} else if (r->schema->old) {
		sql = "SELECT trial_id, study_id, number, state, value FROM "
		    "trials ORDER BY study_id, number, trial_id";
	} else {
		sql = "SELECT trial_id, study_id, number, state FROM trials "
		    "ORDER BY study_id, number, trial_id";
	}
	if (rdb_prepare(r, sql, &st) != 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sid = sqlite3_column_int64(st, 1);
		while (si < c->nstudies && c->studies[si].id < sid)
			si++;
		if (si == c->nstudies || c->studies[si].id != sid ||
		    !c->studies[si].selected)
			continue;
		s = &c->studies[si];
		if (s->b == NULL && study_begin(c, s, digest, size, 0) != 0)
			goto fail;
		if (sid != last) {
			last = sid;
			pos = 0;
		}
		/* A trial without a number takes its place in the study. */
		number = sqlite3_column_type(st, 2) == SQLITE_NULL ? pos :
		    sqlite3_column_int64(st, 2);
		pos++;
		if (sqlite3_column_type(st, 2) != SQLITE_NULL &&
		    sqlite3_column_type(st, 2) != SQLITE_INTEGER) {
			/* No number to name the trial by: its trial_id. */
			rdb_got(st, 2, got, sizeof got);
			oerr(c, "study '%s', trial_id %lld: trials.number: "
			    "expected an integer, got %s", s->name,
			    (long long)sqlite3_column_int64(st, 0), got);
			goto fail;
		}
		state = (const char *)sqlite3_column_text(st, 3);
		if (state == NULL || trial_state(state, &rs) != 0) {
			oerr(c, "study '%s', trial %" PRId64 ": unknown state "
			    "'%s'", s->name, number, state != NULL ? state :
			    "");
			goto fail;
		}
		XGROW(r->trials, r->trialcap, (size_t)r->ntrials + 1);
		ot = &r->trials[r->ntrials++];
		ot->id = sqlite3_column_int64(st, 0);
		ot->number = number;
		ot->study = si;
		ot->t = study_trial(s, number, rs);
		ot->voff = r->nvals;
		r->nvals += s->ndirs;
		if (r->nvals > r->valcap) {
			XGROW(r->vals, r->valcap, r->nvals);
			r->vset = xreallocarray(r->vset, r->valcap, 1);
		}
		memset(r->vset + ot->voff, 0, s->ndirs);
		if (r->schema->old) {
			if (rdb_value(r, st, 4, 0, ot, NO_STEP, "trials.value",
			    &v, &set) != 0)
				goto fail;
			r->vals[ot->voff] = v;
			r->vset[ot->voff] = (uint8_t)set;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rdb_err(r);
	if (r->ntrials > 1)
		qsort(r->trials, r->ntrials, sizeof *r->trials, cmp_otrial);
	for (k = 1; k < r->ntrials; k++) {
		if (r->trials[k].id == r->trials[k - 1].id)
			return oerr(c, "trial_id %" PRId64 " twice",
			    r->trials[k].id);
	}
	return 0;
fail:
	sqlite3_finalize(st);
	return -1;
}

/* Walk the sorted trials to the one with this trial_id; NULL if none. */
static struct otrial *
rdb_find(struct rdb *r, uint32_t *cur, int64_t id)
{
	while (*cur < r->ntrials && r->trials[*cur].id < id)
		(*cur)++;
	if (*cur < r->ntrials && r->trials[*cur].id == id)
		return &r->trials[*cur];
	return NULL;
}

static int
rdb_values(struct rdb *r)
{
	struct otrial	*ot;
	sqlite3_stmt	*st;
	int64_t		 obj;
	uint32_t	 cur = 0;
	double		 v;
	int		 rc, set;

	if (r->schema->old)
		return 0;	/* read with the trials */
	if (rdb_prepare(r, r->schema->value_type ? "SELECT trial_id, "
	    "objective, value, value_type FROM trial_values ORDER BY "
	    "trial_id, objective" : "SELECT trial_id, objective, value FROM "
	    "trial_values ORDER BY trial_id, objective", &st) != 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((ot = rdb_find(r, &cur, sqlite3_column_int64(st, 0))) ==
		    NULL)
			continue;
		if (sqlite3_column_type(st, 1) != SQLITE_INTEGER) {
			rdb_bad_type(r, st, 1, ot, NO_STEP, NULL,
			    "trial_values.objective", "an integer");
			sqlite3_finalize(st);
			return -1;
		}
		obj = sqlite3_column_int64(st, 1);
		if (obj < 0 || obj >= r->c->studies[ot->study].ndirs)
			continue;	/* not an objective of the study */
		if (rdb_value(r, st, 2, r->schema->value_type, ot, NO_STEP,
		    "trial_values.value", &v, &set) != 0) {
			sqlite3_finalize(st);
			return -1;
		}
		r->vals[ot->voff + obj] = v;
		r->vset[ot->voff + obj] = (uint8_t)set;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rdb_err(r);
	return 0;
}

static int
rdb_params(struct rdb *r)
{
	struct octx	*c = r->c;
	struct otrial	*ot;
	sqlite3_stmt	*st;
	const char	*name, *dj;
	char		*err = NULL;
	uint32_t	 cur = 0, di;
	size_t		 bad;
	int		 rc;

	if (rdb_prepare(r, "SELECT trial_id, param_name, param_value, "
	    "distribution_json FROM trial_params ORDER BY trial_id, param_id",
	    &st) != 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((ot = rdb_find(r, &cur, sqlite3_column_int64(st, 0))) ==
		    NULL)
			continue;
		name = (const char *)sqlite3_column_text(st, 1);
		dj = (const char *)sqlite3_column_text(st, 3);
		if (name == NULL || sqlite3_column_type(st, 2) == SQLITE_NULL)
			continue;
		if (!rung_utf8_valid(name, strlen(name), &bad)) {
			oerr(c, "study '%s', trial %" PRId64 ": a parameter "
			    "name that is not UTF-8 text",
			    c->studies[ot->study].name, ot->number);
			goto fail;
		}
		if (!rdb_is_real(st, 2)) {
			rdb_bad_type(r, st, 2, ot, NO_STEP, name,
			    "trial_params.param_value", "a number");
			goto fail;
		}
		if (dist_get(c, dj != NULL ? dj : "", &di, &err) != 0) {
			oerr(c, "study '%s', trial %" PRId64 ": parameter "
			    "'%s': %s", c->studies[ot->study].name, ot->number,
			    name, err);
			free(err);
			goto fail;
		}
		if (put_param(c, &c->studies[ot->study], ot->t, ot->number,
		    intern(&c->names, name), sqlite3_column_double(st, 2),
		    di) != 0)
			goto fail;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rdb_err(r);
	return 0;
fail:
	sqlite3_finalize(st);
	return -1;
}

static void
rdb_put(struct rdb *r, struct otrial *ot, uint32_t n)
{
	put_points(&r->c->studies[ot->study], ot->t, r->c->steps,
	    r->c->ivals, n, r->vals + ot->voff, r->vset + ot->voff);
}

/*
 * The intermediate values, in trial_id and step order, each trial's
 * points put as soon as the next trial begins.
 */
static int
rdb_points(struct rdb *r)
{
	struct octx	*c = r->c;
	struct otrial	*ot;
	sqlite3_stmt	*st;
	const char	*sql;
	int64_t		 id, step;
	uint32_t	 cur = 0, n = 0;
	double		 v;
	int		 rc, set;

	if (r->schema->old)
		sql = "SELECT trial_id, step, value FROM trial_values ORDER BY "
		    "trial_id, step";
	else if (r->schema->inter_type)
		sql = "SELECT trial_id, step, intermediate_value, "
		    "intermediate_value_type FROM trial_intermediate_values "
		    "ORDER BY trial_id, step";
	else
		sql = "SELECT trial_id, step, intermediate_value FROM "
		    "trial_intermediate_values ORDER BY trial_id, step";
	if (rdb_prepare(r, sql, &st) != 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		while (cur < r->ntrials && r->trials[cur].id < id) {
			rdb_put(r, &r->trials[cur++], n);
			n = 0;
		}
		if (cur == r->ntrials || r->trials[cur].id != id)
			continue;
		ot = &r->trials[cur];
		if (sqlite3_column_type(st, 1) != SQLITE_INTEGER) {
			rdb_bad_type(r, st, 1, ot, NO_STEP, NULL, r->schema->old ?
			    "trial_values.step" : "trial_intermediate_values.step",
			    "an integer");
			goto fail;
		}
		step = sqlite3_column_int64(st, 1);
		if (step < INT32_MIN || step > INT32_MAX) {
			oerr(c, "study '%s', trial %" PRId64 ": step %" PRId64
			    " is out of range", c->studies[ot->study].name,
			    ot->number, step);
			goto fail;
		}
		if (rdb_value(r, st, 2, r->schema->inter_type, ot, step,
		    r->schema->old ? "trial_values.value" :
		    "trial_intermediate_values.intermediate_value", &v,
		    &set) != 0)
			goto fail;
		scratch_grow(c, (size_t)n + 1);
		c->steps[n] = (int32_t)step;
		c->ivals[n] = set ? v : NAN;
		n++;
	}
	if (rc != SQLITE_DONE) {
		rdb_err(r);
		goto fail;
	}
	sqlite3_finalize(st);
	while (cur < r->ntrials) {
		rdb_put(r, &r->trials[cur++], n);
		n = 0;
	}
	return 0;
fail:
	sqlite3_finalize(st);
	return -1;
}

static int
read_rdb(struct octx *c, const char *digest, uint64_t size)
{
	struct rdb	 r;
	FILE		*f;
	unsigned char	 magic[2];
	size_t		 n;
	char		*uri;
	int		 rc, ret = -1, intx = 0;

	memset(&r, 0, sizeof r);
	r.c = c;
	/* SQLite reads the file itself, so it cannot be compressed. */
	if ((f = fopen(c->path, "rb")) != NULL) {
		n = fread(magic, 1, sizeof magic, f);
		fclose(f);
		if (n == sizeof magic && magic[0] == 0x1f && magic[1] == 0x8b)
			return oerr(c, "a compressed SQLite file: SQLite reads "
			    "it only uncompressed (gunzip it first)");
	}
	uri = file_uri(c->path);
	rc = sqlite3_open_v2(uri, &r.db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		if (r.db != NULL)
			rdb_err(&r);
		else
			oerr(c, "cannot open: %s", sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_busy_timeout(r.db, 5000);
	/* One snapshot for every query, even while Optuna writes. */
	if (sqlite3_exec(r.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		rdb_err(&r);
		goto out;
	}
	intx = 1;
	if (rdb_revision(&r) != 0 || rdb_studies(&r) != 0 ||
	    select_studies(c) != 0 || rdb_trials(&r, digest, size) != 0 ||
	    rdb_values(&r) != 0 || rdb_params(&r) != 0 ||
	    rdb_points(&r) != 0)
		goto out;
	ret = 0;
out:
	if (intx)
		sqlite3_exec(r.db, "COMMIT", NULL, NULL, NULL);
	if (r.db != NULL)
		sqlite3_close(r.db);
	free(r.trials);
	free(r.vals);
	free(r.vset);
	return ret;
}

/* Journal storage. */

/* Optuna's JournalOperation. */
enum {
	OP_CREATE_STUDY = 0,
	OP_DELETE_STUDY,
	OP_SET_STUDY_USER_ATTR,
	OP_SET_STUDY_SYSTEM_ATTR,
	OP_CREATE_TRIAL,
	OP_SET_TRIAL_PARAM,
	OP_SET_TRIAL_STATE_VALUES,
	OP_SET_TRIAL_INTERMEDIATE_VALUE,
	OP_SET_TRIAL_USER_ATTR,
	OP_SET_TRIAL_SYSTEM_ATTR,
};

/* Optuna's TrialState, as the journal writes it. */
enum {
	TS_RUNNING = 0,
	TS_COMPLETE,
	TS_PRUNED,
	TS_FAIL,
	TS_WAITING,
};

struct jparam {
	uint32_t	 name;
	uint32_t	 dist;
	double		 internal;
};

struct jtrial {
	uint32_t	 study;
	uint32_t	 number;
	int		 state;
	double		*values;	/* NULL: None */
	uint8_t		*vset;
	uint32_t	 nvalues;
	struct jparam	*params;
	uint32_t	 nparams;
	size_t		 pcap;
	int32_t		*steps;		/* as reported */
	double		*ivals;
	uint32_t	 ninter;
	size_t		 icap;
	int32_t		 maxstep;
};

struct journal {
	struct octx	*c;
	size_t		 line;
	struct jtrial	*trials;
	uint32_t	 ntrials;
	size_t		 trialcap;
};

static int	 jerr(struct journal *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));

/* "FILE:LINE: message". */
static int
jerr(struct journal *j, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	xasprintf(j->c->cause, "%s:%zu: %s", j->c->path, j->line, msg);
	free(msg);
	return -1;
}

static void
jtrial_release(struct jtrial *t)
{
	free(t->values);
	free(t->vset);
	free(t->params);
	free(t->steps);
	free(t->ivals);
}

static int
is_num(struct json_object *v)
{
	return json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double);
}

/* A field that must be there. */
static int
jget(struct journal *j, struct json_object *log, const char *key,
    struct json_object **v)
{
	if (!json_object_object_get_ex(log, key, v))
		return jerr(j, "no \"%s\"", key);
	return 0;
}

/* An integer field (an integral float too, as Python would take it). */
static int
jint(struct journal *j, struct json_object *log, const char *key,
    int64_t *out)
{
	struct json_object	*v;
	double			 d;

	if (jget(j, log, key, &v) != 0)
		return -1;
	if (json_object_is_type(v, json_type_int)) {
		*out = json_object_get_int64(v);
		return 0;
	}
	if (json_object_is_type(v, json_type_double)) {
		d = json_object_get_double(v);
		if (d == floor(d) && d > -9e18 && d < 9e18) {
			*out = (int64_t)d;
			return 0;
		}
	}
	return jerr(j, "\"%s\" is not an integer", key);
}

/* The trial a log names, if it exists and is not finished. */
static struct jtrial *
jupdatable(struct journal *j, int64_t id)
{
	struct jtrial	*t;

	if (id < 0 || id >= j->ntrials)
		return NULL;
	t = &j->trials[id];
	if (t->state == TS_COMPLETE || t->state == TS_PRUNED ||
	    t->state == TS_FAIL)
		return NULL;
	return t;
}

static int
jstate(struct journal *j, struct json_object *v, int *state)
{
	int64_t	 s;

	if (!json_object_is_type(v, json_type_int) ||
	    (s = json_object_get_int64(v)) < TS_RUNNING || s > TS_WAITING)
		return jerr(j, "\"state\" is not a TrialState");
	*state = (int)s;
	return 0;
}

/* Values: a list of numbers, or null. */
static int
jvalues(struct journal *j, struct jtrial *t, struct json_object *v)
{
	struct json_object	*x;
	size_t			 i, n;

	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return jerr(j, "\"values\" is not a list");
	n = json_object_array_length(v);
	free(t->values);
	free(t->vset);
	t->values = xcalloc(n ? n : 1, sizeof *t->values);
	t->vset = xcalloc(n ? n : 1, 1);
	t->nvalues = (uint32_t)n;
	for (i = 0; i < n; i++) {
		x = json_object_array_get_idx(v, i);
		if (x == NULL)
			continue;
		if (!is_num(x))
			return jerr(j, "value %zu is not a number", i);
		t->values[i] = json_object_get_double(x);
		t->vset[i] = 1;
	}
	return 0;
}

static void
jset_inter(struct jtrial *t, int64_t step, double v)
{
	uint32_t	 i;
	size_t		 cap;

	/* The usual report comes at a new, higher step: no search. */
	if (t->ninter > 0 && step <= t->maxstep) {
		for (i = 0; i < t->ninter; i++) {
			if (t->steps[i] == step) {
				t->ivals[i] = v;
				return;
			}
		}
	}
	if (t->ninter + 1 > t->icap) {
		cap = t->icap;
		XGROW(t->steps, cap, (size_t)t->ninter + 1);
		t->ivals = xreallocarray(t->ivals, cap, sizeof *t->ivals);
		t->icap = cap;
	}
	t->steps[t->ninter] = (int32_t)step;
	t->ivals[t->ninter++] = v;
	if (t->ninter == 1 || step > t->maxstep)
		t->maxstep = (int32_t)step;
}

static int
jstep(struct journal *j, int64_t step)
{
	if (step < INT32_MIN || step > INT32_MAX)
		return jerr(j, "step %" PRId64 " is out of range", step);
	return 0;
}

/* Set (or replace) a parameter of a trial. */
static void
jset_param(struct journal *j, uint32_t tid, uint32_t name, uint32_t dist,
    double internal)
{
	struct jtrial	*t = &j->trials[tid];
	struct ostudy	*s = &j->c->studies[t->study];
	uint32_t	 i, holder;
	size_t		 old;

	for (i = 0; i < t->nparams; i++) {
		if (t->params[i].name == name)
			break;
	}
	if (i == t->nparams) {
		XGROW(t->params, t->pcap, (size_t)t->nparams + 1);
		t->nparams++;
	}
	t->params[i].name = name;
	t->params[i].dist = dist;
	t->params[i].internal = internal;

	/* Remember the study's first trial with it, for later checks. */
	if (name >= s->npfirst) {
		old = s->npfirst;
		s->npfirst = j->c->names.n;
		s->pfirst = xreallocarray(s->pfirst, s->npfirst,
		    sizeof *s->pfirst);
		memset(s->pfirst + old, 0, (s->npfirst - old) *
		    sizeof *s->pfirst);
	}
	holder = s->pfirst[name];
	if (holder == 0 || j->trials[holder - 1].number > t->number)
		s->pfirst[name] = tid + 1;
}

static int
jdist(struct journal *j, struct json_object *v, uint32_t *di)
{
	char	*err = NULL;

	if (!json_object_is_type(v, json_type_string))
		return jerr(j, "a distribution is not a JSON string");
	if (dist_get(j->c, json_object_get_string(v), di, &err) != 0) {
		jerr(j, "%s", err);
		free(err);
		return -1;
	}
	return 0;
}

static int
op_create_study(struct journal *j, struct json_object *log)
{
	struct octx		*c = j->c;
	struct json_object	*v, *dirs, *x;
	struct ostudy		*s;
	const char		*name;
	enum rung_direction	 d;
	size_t			 i, n;
	int64_t			 dv;

	if (jget(j, log, "study_name", &v) != 0)
		return -1;
	if (!json_object_is_type(v, json_type_string))
		return jerr(j, "\"study_name\" is not a string");
	name = json_object_get_string(v);
	if (jget(j, log, "directions", &dirs) != 0)
		return -1;
	if (!json_object_is_type(dirs, json_type_array))
		return jerr(j, "\"directions\" is not a list");
	n = json_object_array_length(dirs);
	for (i = 0; i < n; i++) {
		x = json_object_array_get_idx(dirs, i);
		if (!json_object_is_type(x, json_type_int) ||
		    (dv = json_object_get_int64(x)) < 0 || dv > 2)
			return jerr(j, "direction %zu is not a StudyDirection",
			    i);
	}
	/* A name already taken: another worker lost the race. */
	for (i = 0; i < c->nstudies; i++) {
		if (!c->studies[i].deleted &&
		    strcmp(c->studies[i].name, name) == 0)
			return 0;
	}
	s = study_add(c, (int64_t)c->nstudies, name);
	for (i = 0; i < n; i++) {
		dv = json_object_get_int64(json_object_array_get_idx(dirs, i));
		d = dv == 1 ? RUNG_MIN : dv == 2 ? RUNG_MAX : 0;
		study_add_dir(s, (uint32_t)i, d);
	}
	return 0;
}

static int
op_create_trial(struct journal *j, struct json_object *log)
{
	struct octx		*c = j->c;
	struct json_object	*v, *value, *values, *dists = NULL, *params;
	struct json_object	*x;
	struct ostudy		*s;
	struct jtrial		*t;
	uint32_t		 tid, name, di;
	int64_t			 sid, step;
	double			 one;
	int			 state = TS_RUNNING;

	if (jint(j, log, "study_id", &sid) != 0)
		return -1;
	if (sid < 0 || (size_t)sid >= c->nstudies || c->studies[sid].deleted)
		return 0;
	s = &c->studies[sid];
	if (json_object_object_get_ex(log, "state", &v) &&
	    jstate(j, v, &state) != 0)
		return -1;

	XGROW(j->trials, j->trialcap, (size_t)j->ntrials + 1);
	tid = j->ntrials++;
	t = &j->trials[tid];
	memset(t, 0, sizeof *t);
	t->study = (uint32_t)sid;
	t->number = s->njtrials;
	t->state = state;
	XGROW(s->jtrials, s->jtrialcap, (size_t)s->njtrials + 1);
	s->jtrials[s->njtrials++] = tid;

	if (!json_object_object_get_ex(log, "value", &value))
		value = NULL;
	if (!json_object_object_get_ex(log, "values", &values))
		values = NULL;
	if (value != NULL && values != NULL)
		return jerr(j, "both \"value\" and \"values\"");
	if (value != NULL) {
		if (!is_num(value))
			return jerr(j, "\"value\" is not a number");
		one = json_object_get_double(value);
		t->values = xcalloc(1, sizeof *t->values);
		t->vset = xcalloc(1, 1);
		t->values[0] = one;
		t->vset[0] = 1;
		t->nvalues = 1;
	} else if (jvalues(j, t, values) != 0)
		return -1;

	if (json_object_object_get_ex(log, "distributions", &dists) &&
	    dists != NULL && !json_object_is_type(dists, json_type_object))
		return jerr(j, "\"distributions\" is not an object");
	if (json_object_object_get_ex(log, "params", &params) &&
	    params != NULL) {
		if (!json_object_is_type(params, json_type_object))
			return jerr(j, "\"params\" is not an object");
		json_object_object_foreach(params, pkey, pv) {
			if (dists == NULL ||
			    !json_object_object_get_ex(dists, pkey, &x))
				return jerr(j, "parameter '%s' has no "
				    "distribution", pkey);
			if (jdist(j, x, &di) != 0)
				return -1;
			if (!is_num(pv))
				return jerr(j, "parameter '%s' is not a "
				    "number", pkey);
			name = intern(&c->names, pkey);
			jset_param(j, tid, name, di,
			    json_object_get_double(pv));
		}
	}
	if (json_object_object_get_ex(log, "intermediate_values", &v) &&
	    v != NULL) {
		if (!json_object_is_type(v, json_type_object))
			return jerr(j, "\"intermediate_values\" is not an "
			    "object");
		json_object_object_foreach(v, skey, iv) {
			if (rung_parse_int64(skey, strlen(skey), &step) != 0)
				return jerr(j, "intermediate step '%s' is not "
				    "an integer", skey);
			if (jstep(j, step) != 0)
				return -1;
			if (!is_num(iv))
				return jerr(j, "intermediate value at step "
				    "%" PRId64 " is not a number", step);
			jset_inter(t, step, json_object_get_double(iv));
		}
	}
	return 0;
}

static int
op_set_param(struct journal *j, struct json_object *log)
{
	struct octx		*c = j->c;
	struct json_object	*v, *dv;
	struct jtrial		*t, *h;
	struct ostudy		*s;
	const char		*pname;
	int64_t			 tid;
	uint32_t		 name, di, i, holder;

	if (jint(j, log, "trial_id", &tid) != 0 ||
	    jget(j, log, "param_name", &v) != 0)
		return -1;
	if (!json_object_is_type(v, json_type_string))
		return jerr(j, "\"param_name\" is not a string");
	pname = json_object_get_string(v);
	if (jget(j, log, "param_value_internal", &v) != 0 ||
	    jget(j, log, "distribution", &dv) != 0)
		return -1;
	if (!is_num(v))
		return jerr(j, "\"param_value_internal\" is not a number");
	if ((t = jupdatable(j, tid)) == NULL)
		return 0;
	if (jdist(j, dv, &di) != 0)
		return -1;
	name = intern(&c->names, pname);
	s = &c->studies[t->study];
	holder = name < s->npfirst ? s->pfirst[name] : 0;
	if (holder != 0) {
		/* Incompatible with what the study has: another worker's. */
		h = &j->trials[holder - 1];
		for (i = 0; i < h->nparams; i++) {
			if (h->params[i].name == name)
				break;
		}
		if (i < h->nparams && dist_compatible(&c->dists[
		    h->params[i].dist], &c->dists[di]) != 0)
			return 0;
	}
	jset_param(j, (uint32_t)tid, name, di, json_object_get_double(v));
	return 0;
}

static int
op_set_state_values(struct journal *j, struct json_object *log)
{
	struct json_object	*v, *values;
	struct jtrial		*t;
	int64_t			 tid;
	int			 state = TS_RUNNING;

	if (jint(j, log, "trial_id", &tid) != 0 ||
	    jget(j, log, "state", &v) != 0 || jstate(j, v, &state) != 0 ||
	    jget(j, log, "values", &values) != 0)
		return -1;
	if ((t = jupdatable(j, tid)) == NULL)
		return 0;
	if (state == TS_RUNNING && t->state == TS_RUNNING)
		return 0;
	t->state = state;
	return jvalues(j, t, values);
}

static int
op_set_intermediate(struct journal *j, struct json_object *log)
{
	struct json_object	*v;
	struct jtrial		*t;
	int64_t			 tid, step;

	if (jint(j, log, "trial_id", &tid) != 0 ||
	    jint(j, log, "step", &step) != 0 ||
	    jget(j, log, "intermediate_value", &v) != 0)
		return -1;
	if (!is_num(v))
		return jerr(j, "\"intermediate_value\" is not a number");
	if (jstep(j, step) != 0)
		return -1;
	if ((t = jupdatable(j, tid)) == NULL)
		return 0;
	jset_inter(t, step, json_object_get_double(v));
	return 0;
}

static int
apply_log(struct journal *j, struct json_object *log)
{
	struct octx	*c = j->c;
	int64_t		 op, sid;

	if (!json_object_is_type(log, json_type_object))
		return jerr(j, "not a JSON object");
	if (jint(j, log, "op_code", &op) != 0)
		return -1;
	switch (op) {
	case OP_CREATE_STUDY:
		return op_create_study(j, log);
	case OP_DELETE_STUDY:
		if (jint(j, log, "study_id", &sid) != 0)
			return -1;
		if (sid >= 0 && (size_t)sid < c->nstudies)
			c->studies[sid].deleted = 1;
		return 0;
	case OP_SET_STUDY_USER_ATTR:
	case OP_SET_STUDY_SYSTEM_ATTR:
	case OP_SET_TRIAL_USER_ATTR:
	case OP_SET_TRIAL_SYSTEM_ATTR:
		return 0;
	case OP_CREATE_TRIAL:
		return op_create_trial(j, log);
	case OP_SET_TRIAL_PARAM:
		return op_set_param(j, log);
	case OP_SET_TRIAL_STATE_VALUES:
		return op_set_state_values(j, log);
	case OP_SET_TRIAL_INTERMEDIATE_VALUE:
		return op_set_intermediate(j, log);
	}
	return jerr(j, "unknown op_code %" PRId64, op);
}

/* An intermediate value's place, to sort a trial's reports by step. */
struct jpos {
	int32_t		 step;
	uint32_t	 i;
};

static int
cmp_jpos(const void *va, const void *vb)
{
	const struct jpos *a = va, *b = vb;

	return a->step < b->step ? -1 : a->step > b->step;
}

/* Put a replayed trial into its study's batch. */
static int
jput(struct journal *j, struct ostudy *s, struct jtrial *t)
{
	struct octx	*c = j->c;
	static const enum rung_status states[] = { RUNG_RUNNING,
		RUNG_COMPLETE, RUNG_STOPPED, RUNG_FAILED, RUNG_RUNNING };
	struct jpos	*order;
	uint32_t	 bt, i, k;
	double		*vals;
	uint8_t		*vset;
	int		 sorted = 1;

	bt = study_trial(s, t->number, states[t->state]);
	for (i = 0; i < t->nparams; i++) {
		if (put_param(c, s, bt, t->number, t->params[i].name,
		    t->params[i].internal, t->params[i].dist) != 0)
			return -1;
	}
	scratch_grow(c, (size_t)t->ninter + 1);
	for (i = 1; i < t->ninter; i++) {
		if (t->steps[i] < t->steps[i - 1])
			sorted = 0;
	}
	if (sorted && t->ninter > 0) {
		memcpy(c->steps, t->steps, t->ninter * sizeof *c->steps);
		memcpy(c->ivals, t->ivals, t->ninter * sizeof *c->ivals);
	} else if (!sorted) {
		/* Steps are unique (a report replaces), so no tie to break. */
		order = xcalloc(t->ninter, sizeof *order);
		for (i = 0; i < t->ninter; i++) {
			order[i].step = t->steps[i];
			order[i].i = i;
		}
		qsort(order, t->ninter, sizeof *order, cmp_jpos);
		for (i = 0; i < t->ninter; i++) {
			c->steps[i] = order[i].step;
			c->ivals[i] = t->ivals[order[i].i];
		}
		free(order);
	}
	vals = xcalloc(s->ndirs, sizeof *vals);
	vset = xcalloc(s->ndirs, 1);
	for (k = 0; k < s->ndirs && k < t->nvalues; k++) {
		vals[k] = t->values[k];
		vset[k] = t->vset[k];
	}
	put_points(s, bt, c->steps, c->ivals, t->ninter, vals, vset);
	free(vals);
	free(vset);
	return 0;
}

/*
 * The journal is read a line at a time (jsonin.c), with the checks of every
 * JSON rung reads: RFC 3629 UTF-8, no NUL byte nor \u0000 (a study or
 * parameter name would end there), tokens of at most 64 MiB.
 */
static int
read_journal(struct octx *c, const char *digest, uint64_t size)
{
	const struct rung_jsonin_fault *f;
	struct journal	 j;
	struct ostudy	*s;
	struct rung_jsonin *in;
	struct json_object *log;
	size_t		 i, k;
	int		 ret = -1, rc;

	memset(&j, 0, sizeof j);
	j.c = c;
	if ((in = rung_jsonin_open(c->path, RUNG_JSONIN_LINES |
	    RUNG_JSONIN_NOBLANK | (c->o != NULL && c->o->progress ?
	    RUNG_JSONIN_PROGRESS : 0), c->cause)) == NULL)
		return -1;
	while ((rc = rung_jsonin_next(in, &log, c->cause)) > 0) {
		j.line = rung_jsonin_line(in);
		rc = apply_log(&j, log);
		json_object_put(log);
		if (rc != 0)
			goto out;
	}
	if (rc < 0) {
		if ((f = rung_jsonin_fault(in)) == NULL)
			goto out;	/* the file could not be read */
		/*
		 * Optuna reads past a bad last line: a writer may be in the
		 * middle of it.
		 */
		if (rung_jsonin_last_line(in)) {
			rung_warn("%s:%zu: an incomplete last line (a write in "
			    "progress?): left out", c->path, f->line);
			free(*c->cause);
			*c->cause = NULL;
		} else if (f->syntax) {
			free(*c->cause);
			j.line = f->line;
			if (f->col != 0)
				jerr(&j, "not a JSON object: %s (column %zu)",
				    f->msg, f->col);
			else
				jerr(&j, "not a JSON object: %s", f->msg);
			goto out;
		} else
			goto out;
	}

	if (select_studies(c) != 0)
		goto out;
	for (i = 0; i < c->nstudies; i++) {
		s = &c->studies[i];
		if (!s->selected)
			continue;
		if (study_begin(c, s, digest, size, 1) != 0)
			goto out;
		for (k = 0; k < s->njtrials; k++) {
			if (jput(&j, s, &j.trials[s->jtrials[k]]) != 0)
				goto out;
		}
	}
	ret = 0;
out:
	rung_jsonin_close(in);
	for (i = 0; i < j.ntrials; i++)
		jtrial_release(&j.trials[i]);
	free(j.trials);
	return ret;
}

int
rung_import_optuna(const char *path, int journal, const char *digest,
    uint64_t size, const struct rung_import_opts *o,
    struct rung_import_unit **units, size_t *nunits, char **cause)
{
	struct octx	 c;
	size_t		 i;
	int		 ret;

	*units = NULL;
	*nunits = 0;
	memset(&c, 0, sizeof c);
	c.path = path;
	c.o = o;
	c.cause = cause;
	if (journal)
		ret = read_journal(&c, digest, size);
	else
		ret = read_rdb(&c, digest, size);
	if (ret == 0)
		ret = make_units(&c, units, nunits);

	for (i = 0; i < c.nstudies; i++)
		study_release(&c.studies[i]);
	free(c.studies);
	intern_free(&c.names);
	for (i = 0; i < c.dtext.n; i++)
		dist_free(&c.dists[i]);
	free(c.dists);
	intern_free(&c.dtext);
	free(c.steps);
	free(c.ivals);
	return ret;
}
