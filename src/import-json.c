/*
 * JSON trial histories: a document holding a list of trial objects or one
 * trial object (one file per run), or JSON Lines with one trial object per
 * line. Curves are arrays of numbers; what they are called, where the time
 * and the hyperparameters are, and what identifies a trial are either named
 * by the user (dotted paths, --curve and friends) or detected from the
 * layouts real tools write (TaskSet, NAS-Bench-NLP, NMTLC, Klein et al.).
 *
 * Detection, field by field, when the user names none:
 *  - id: the first of id, trial_id, trial, config_id, experiment_id,
 *    recepie_id holding a string or a number; else the position in the
 *    list (or among the lines), or the file's stem for a one-trial file;
 *  - status: a "status" or "state" string, when it is a word we know;
 *  - parameters: the first object among hp, hyperparams, hyperparameters,
 *    config, params, configuration, flattened with '/'; without one, the
 *    top-level scalars other than the id and the status;
 *  - time: the first of wall_times, time_steps, times, time, seconds that
 *    is an array of numbers;
 *  - steps: the first of steps, step, epochs, epoch that is an array of
 *    whole numbers; else 1, 2, 3, ... (or from --first-step);
 *  - curves: every other array of numbers (null for a missing point)
 *    anywhere outside the parameters, named by its dotted path.
 * A field the user names must be in every trial (null counts as empty).
 *
 * json-c's tokener reads the bare NaN, Infinity and -Infinity that Python's
 * json module writes by default; they are kept as values, since a diverged
 * run is data, not a malformed file.
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

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/jsonin.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "import-json-int.h"

/* Fields looked for when the user names none, in order of preference. */
static const char *const id_fields[] = {
	"id", "trial_id", "trial", "config_id", "experiment_id", "recepie_id"
};
static const char *const status_fields[] = { "status", "state" };
static const char *const params_fields[] = {
	"hp", "hyperparams", "hyperparameters", "config", "params",
	"configuration"
};
static const char *const time_fields[] = {
	"wall_times", "time_steps", "times", "time", "seconds"
};
static const char *const steps_fields[] = {
	"steps", "step", "epochs", "epoch"
};
#define NITEMS(a) (sizeof (a) / sizeof (a)[0])

struct jctx;
static void	 declared_directions(struct jctx *, struct json_object *);

/* Where the trial being read sits, for messages. */
enum jwhere {
	AT_FILE,	/* the document is the trial: "FILE: " */
	AT_INDEX,	/* element of a list: "FILE: trial N: " */
	AT_LINE,	/* JSON Lines: "FILE:LINE: " */
};

/* A metric column, by its dotted path. */
struct jmetric {
	char		*name;
	uint32_t	 col;
};

/* One curve of the trial being read. */
struct jcurve {
	const char		*name;	/* the path, for messages */
	uint32_t		 col;
	struct json_object	*arr;	/* NULL: no points */
	size_t			 len;
};

struct jctx {
	struct rung_batch	*b;
	const struct rung_import_opts *o;
	const char		*path;
	char			*stem;		/* see file_trial() */
	char			**cause;

	enum jwhere		 at;
	size_t			 where;

	char			**curves;	/* --curve, split at commas */
	size_t			*curvemetric;	/* their metrics */
	size_t			 ncurves;

	struct jmetric		*metrics;	/* columns met so far */
	size_t			 nmetrics;
	size_t			 metriccap;

	struct jcurve		*cur;		/* curves of this trial */
	size_t			 ncur;
	size_t			 curcap;

	int32_t			*steps;		/* steps of this trial */
	size_t			 stepcap;

	struct rung_buf		 name;		/* dotted path being walked */
	struct json_object	*skip[3];	/* params, time, steps */
	size_t			 nsteps;	/* of the steps array, or */
	int			 have_steps;	/* none */

	int			 time_told;
	/*
	 * The first trial of a list or of JSON Lines, with or without an id,
	 * where it is, and the field of its id.
	 */
	int			 idknown;
	int			 idhad;
	size_t			 idwhere;
	const char		*idfield;
	uint32_t		 n0;		/* trials before this file */
	uint32_t		 merged;	/* of them, met again here */
};

static int
jerr(struct jctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Set *cause to the message prefixed by the file and the trial, and return
 * -1. A trial of a list is named by its 0-based position, which is also its
 * id when it has no id field; a trial of JSON Lines by its line number.
 */
static int
jerr(struct jctx *c, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	switch (c->at) {
	case AT_FILE:
		xasprintf(c->cause, "%s: %s", c->path, msg);
		break;
	case AT_INDEX:
		xasprintf(c->cause, "%s: trial %zu: %s", c->path, c->where,
		    msg);
		break;
	case AT_LINE:
		xasprintf(c->cause, "%s:%zu: %s", c->path, c->where, msg);
		break;
	}
	free(msg);
	return -1;
}

/*
 * The name of a trial without an id: the file's, given by rung_import. Asked
 * for only when a trial needs it, since a file that shares its name with
 * another is refused only when that name would merge their trials.
 */
static const char *
file_trial(struct jctx *c)
{
	if (c->stem == NULL)
		c->stem = rung_import_file_trial(c->o, c->path, "no id field",
		    c->cause);
	return c->stem;
}

/* Find a path the user named: its absence is an error. */
static int
jneed(struct jctx *c, struct json_object *obj, const char *path,
    struct json_object **out)
{
	if (!rung_json_find(obj, path, '.', out))
		return jerr(c, "field '%s' not found", path);
	return 0;
}

/*
 * Are all elements numbers or null? *bad is the first that is not, *nnum
 * how many are numbers.
 */
static int
numeric_array(struct json_object *a, size_t *bad, size_t *nnum)
{
	struct json_object	*x;
	size_t			 i, n = json_object_array_length(a);

	*nnum = 0;
	for (i = 0; i < n; i++) {
		x = json_object_array_get_idx(a, i);
		if (x == NULL)
			continue;
		if (!rung_json_is_number(x)) {
			*bad = i;
			return 0;
		}
		(*nnum)++;
	}
	return 1;
}

/* Check a curve or time array the user named. */
static int
check_mapped_array(struct jctx *c, struct json_object *v, const char *path,
    size_t *nnum)
{
	size_t	 bad;

	if (!json_object_is_type(v, json_type_array)) {
		return jerr(c, "field '%s': expected an array of numbers, "
		    "got %s", path, rung_json_type_name(v));
	}
	if (!numeric_array(v, &bad, nnum)) {
		return jerr(c, "field '%s' element %zu: expected a number, "
		    "got %s", path, bad,
		    rung_json_type_name(json_object_array_get_idx(v, bad)));
	}
	return 0;
}

/*
 * Read an array of steps into c->steps; *bad is the first element that is
 * not a whole number within int32.
 */
static int
read_steps(struct jctx *c, struct json_object *a, size_t *bad)
{
	struct json_object	*x;
	size_t			 i, n = json_object_array_length(a);
	int64_t			 iv;
	double			 d;

	XGROW(c->steps, c->stepcap, n);
	for (i = 0; i < n; i++) {
		x = json_object_array_get_idx(a, i);
		*bad = i;
		switch (json_object_get_type(x)) {
		case json_type_int:
			iv = json_object_get_int64(x);
			if (iv < INT32_MIN || iv > INT32_MAX)
				return -1;
			c->steps[i] = (int32_t)iv;
			break;
		case json_type_double:
			/* numpy often writes steps as floats: 3.0 is 3. */
			d = json_object_get_double(x);
			if (!(d >= INT32_MIN && d <= INT32_MAX) ||
			    d != floor(d))
				return -1;
			c->steps[i] = (int32_t)d;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

/*
 * Do all trials of the list or the lines have an id, or none? A trial
 * without one is named by its position, which can be the id of another:
 * [{"id": 1, ...}, {...}] made one trial "1" of the two, its points merged.
 */
static int
id_mixed(struct jctx *c, const char *field)
{
	const char	*what = c->at == AT_LINE ? "line" : "trial";

	if (!c->idknown) {
		c->idknown = 1;
		c->idhad = field != NULL;
		c->idwhere = c->where;
		c->idfield = field;
		return 0;
	}
	if (c->idhad && field == NULL) {
		return jerr(c, "no id field (id, trial_id, trial, config_id, "
		    "experiment_id or recepie_id), but %s %zu has one ('%s'): "
		    "give every trial an id, or none", what, c->idwhere,
		    c->idfield);
	}
	if (!c->idhad && field != NULL) {
		return jerr(c, "an id ('%s'), but %s %zu has none: give every "
		    "trial an id, or none (one without is named by its "
		    "position)", field, what, c->idwhere);
	}
	return 0;
}

/* Element bad of the steps array a is no step. */
static int
steps_error(struct jctx *c, struct json_object *a, const char *name,
    size_t bad)
{
	struct json_object	*x = json_object_array_get_idx(a, bad);
	double			 d;

	d = rung_json_is_number(x) ? json_object_get_double(x) : NAN;
	return jerr(c, "field '%s' element %zu: expected a whole number, got "
	    "%s%s", name, bad, rung_json_type_name(x),
	    isfinite(d) && d == floor(d) ?
	    " out of range (steps are 32-bit integers)" :
	    rung_json_is_number(x) ? " that is not one" : "");
}

/* Text of an id: strings as they are, numbers as written. NULL if neither. */
static const char *
id_text(struct json_object *v, char *buf, size_t size)
{
	char	 dbl[RUNG_DBL_BUFSZ];
	int64_t	 iv;

	switch (json_object_get_type(v)) {
	case json_type_string:
		return json_object_get_string(v);
	case json_type_int:
		iv = json_object_get_int64(v);
		if (iv == INT64_MAX && json_object_get_uint64(v) > INT64_MAX)
			snprintf(buf, size, "%" PRIu64,
			    json_object_get_uint64(v));
		else
			snprintf(buf, size, "%" PRId64, iv);
		return buf;
	case json_type_double:
		snprintf(buf, size, "%s",
		    rung_fmt_double(json_object_get_double(v), 0, dbl));
		return buf;
	default:
		return NULL;
	}
}

static void
name_set(struct jctx *c, size_t len)
{
	rung_buf_cstr(&c->name);
	c->name.len = len;
	c->name.data[len] = '\0';
}

/*
 * The metric column of a name, created the first time it is met. Looked up
 * once per curve and trial, never per point; a file has a few metrics.
 */
static size_t
metric_find(struct jctx *c, const char *name)
{
	struct jmetric	*m;
	size_t		 i;

	for (i = 0; i < c->nmetrics; i++) {
		if (strcmp(c->metrics[i].name, name) == 0)
			return i;
	}
	XGROW(c->metrics, c->metriccap, c->nmetrics + 1);
	m = &c->metrics[c->nmetrics];
	m->name = xstrdup(name);
	m->col = rung_batch_metric(c->b, name);
	return c->nmetrics++;
}

static void
add_curve(struct jctx *c, size_t metric, struct json_object *arr)
{
	struct jcurve	*k;

	XGROW(c->cur, c->curcap, c->ncur + 1);
	k = &c->cur[c->ncur++];
	/* The name lives in its own allocation: growing metrics keeps it. */
	k->name = c->metrics[metric].name;
	k->col = c->metrics[metric].col;
	k->arr = arr;
	k->len = arr != NULL ? json_object_array_length(arr) : 0;
}

static int
skipped(struct jctx *c, struct json_object *v)
{
	size_t	 i;

	for (i = 0; i < NITEMS(c->skip); i++) {
		if (c->skip[i] != NULL && c->skip[i] == v)
			return 1;
	}
	return 0;
}

/*
 * Detect curves: every array of numbers (or nulls) anywhere in the trial,
 * named by its dotted path. Arrays inside arrays are not walked: a list of
 * lists is a table, not a curve. An array without a single number makes no
 * column, so that empty lists ("tags": []) do not turn into metrics. But
 * at the path of a curve that an earlier trial had, anything but numbers
 * is an error: that trial's curve is damaged, not absent.
 */
static int
find_curves(struct jctx *c, struct json_object *obj)
{
	struct lh_entry		*e;
	struct json_object	*v;
	const char		*key;
	size_t			 len = c->name.len, bad, nnum;

	for (e = lh_table_head(json_object_get_object(obj)); e != NULL;
	    e = lh_entry_next(e)) {
		key = lh_entry_k(e);
		v = lh_entry_v(e);
		if (v == NULL || skipped(c, v))
			continue;
		switch (json_object_get_type(v)) {
		case json_type_object:
			name_set(c, len);
			rung_buf_addstr(&c->name, key);
			rung_buf_addc(&c->name, '.');
			if (find_curves(c, v) != 0)
				return -1;
			break;
		case json_type_array:
			name_set(c, len);
			rung_buf_addstr(&c->name, key);
			if (!numeric_array(v, &bad, &nnum)) {
				if (rung_batch_find_metric(c->b,
				    c->name.data) < 0)
					break;
				return check_mapped_array(c, v, c->name.data,
				    &nnum);
			}
			/*
			 * An array as long as the steps array is aligned with
			 * it, a curve even without a number: rung's export
			 * writes [] or nulls for a metric with no point in
			 * the trial, and a study without a single point must
			 * read back with its metrics.
			 */
			if (nnum == 0 && !(c->have_steps &&
			    json_object_array_length(v) == c->nsteps))
				break;
			name_set(c, len);
			rung_buf_addstr(&c->name, key);
			add_curve(c, metric_find(c, c->name.data), v);
			break;
		default:
			break;
		}
	}
	name_set(c, len);
	return 0;
}

/* The last name of a dotted path. */
static const char *
last_name(const char *path)
{
	const char	*dot = strrchr(path, '.');

	return dot != NULL ? dot + 1 : path;
}

static int
import_trial(struct jctx *c, struct json_object *obj, size_t index)
{
	const struct rung_import_opts *o = c->o;
	struct rung_batch	*b = c->b;
	struct json_object	*idv = NULL, *stv = NULL, *params = NULL;
	struct json_object	*timev = NULL, *stepsv = NULL, *v, *x;
	const char		*id = NULL, *idfield = NULL, *timename = NULL;
	const char		*stepsname = NULL, *word;
	char			 idbuf[4096];
	struct lh_entry		*e;
	size_t			 i, k, bad, nnum, maxlen, timelen = 0;
	size_t			 nsteps = 0;
	int64_t			 first;
	uint32_t		 t, row;
	int32_t			 step;
	int			 status = -1, have_steps = 0;

	/* The id. */
	if (o->j_id != NULL) {
		if (jneed(c, obj, o->j_id, &idv) != 0)
			return -1;
		if ((id = id_text(idv, idbuf, sizeof idbuf)) == NULL) {
			return jerr(c, "field '%s': expected a string or a "
			    "number, got %s", o->j_id, rung_json_type_name(idv));
		}
	} else {
		for (i = 0; i < NITEMS(id_fields) && id == NULL; i++) {
			if (!json_object_object_get_ex(obj, id_fields[i], &v))
				continue;
			if ((id = id_text(v, idbuf, sizeof idbuf)) != NULL) {
				idv = v;
				idfield = id_fields[i];
			}
		}
	}
	if (o->j_id == NULL && c->at != AT_FILE && id_mixed(c, idfield) != 0)
		return -1;
	if (id == NULL) {
		/*
		 * No id: the position in the file, or the file itself when
		 * it holds one trial. When one import reads several files,
		 * positions are prefixed with the file's stem so that the
		 * lists stay apart (12 TaskSet files are 12,000 trials).
		 */
		if (c->at == AT_FILE) {
			if ((id = file_trial(c)) == NULL)
				return -1;
		} else if (o->multi_file) {
			if (file_trial(c) == NULL)
				return -1;
			snprintf(idbuf, sizeof idbuf, "%s:%zu", c->stem, index);
			id = idbuf;
		} else {
			snprintf(idbuf, sizeof idbuf, "%zu", index);
			id = idbuf;
		}
	}

	/* The status. */
	if (o->j_status != NULL) {
		if (jneed(c, obj, o->j_status, &stv) != 0)
			return -1;
		if (!json_object_is_type(stv, json_type_string)) {
			return jerr(c, "field '%s': expected a status word, "
			    "got %s", o->j_status, rung_json_type_name(stv));
		}
		word = json_object_get_string(stv);
		if ((status = rung_status_parse(word)) < 0) {
			return jerr(c, "field '%s': expected %s, got '%s'",
			    o->j_status, rung_status_expected(), word);
		}
	} else {
		for (i = 0; i < NITEMS(status_fields); i++) {
			if (json_object_object_get_ex(obj, status_fields[i],
			    &v) && json_object_is_type(v, json_type_string)) {
				stv = v;
				break;
			}
		}
		/*
		 * A detected word we do not know is left alone: NAS-Bench-NLP
		 * writes "OK" or a sentence ("loss is nan!"), and the curve
		 * itself already shows the divergence.
		 */
		if (stv != NULL)
			status = rung_status_parse(json_object_get_string(stv));
	}

	/* The parameters. */
	if (o->j_params != NULL) {
		if (jneed(c, obj, o->j_params, &params) != 0)
			return -1;
		if (params != NULL &&
		    !json_object_is_type(params, json_type_object)) {
			return jerr(c, "field '%s': expected an object of "
			    "parameters, got %s", o->j_params, rung_json_type_name(params));
		}
	} else {
		for (i = 0; i < NITEMS(params_fields); i++) {
			if (json_object_object_get_ex(obj, params_fields[i],
			    &v) && json_object_is_type(v, json_type_object)) {
				params = v;
				break;
			}
		}
	}

	/* The time. */
	if (o->j_time != NULL) {
		if (jneed(c, obj, o->j_time, &timev) != 0)
			return -1;
		if (timev != NULL &&
		    check_mapped_array(c, timev, o->j_time, &nnum) != 0)
			return -1;
		timename = last_name(o->j_time);
	} else {
		for (i = 0; i < NITEMS(time_fields); i++) {
			if (json_object_object_get_ex(obj, time_fields[i],
			    &v) && json_object_is_type(v, json_type_array) &&
			    numeric_array(v, &bad, &nnum)) {
				timev = v;
				timename = time_fields[i];
				break;
			}
		}
	}
	if (timev != NULL)
		timelen = json_object_array_length(timev);

	/* The steps. */
	if (o->j_steps != NULL) {
		if (jneed(c, obj, o->j_steps, &stepsv) != 0)
			return -1;
		if (!json_object_is_type(stepsv, json_type_array)) {
			return jerr(c, "field '%s': expected an array of "
			    "steps, got %s", o->j_steps, rung_json_type_name(stepsv));
		}
		if (read_steps(c, stepsv, &bad) != 0)
			return steps_error(c, stepsv, o->j_steps, bad);
		stepsname = o->j_steps;
		have_steps = 1;
	} else {
		/*
		 * The first array of these names holds the steps. One that
		 * holds anything but whole numbers is refused: taken for a
		 * curve, a steps array [1, 1.5] became a metric named
		 * "steps" and the points were numbered 1, 2.
		 */
		for (i = 0; i < NITEMS(steps_fields); i++) {
			if (!json_object_object_get_ex(obj, steps_fields[i],
			    &v) || !json_object_is_type(v, json_type_array))
				continue;
			if (read_steps(c, v, &bad) != 0)
				return steps_error(c, v, steps_fields[i], bad);
			stepsv = v;
			stepsname = steps_fields[i];
			have_steps = 1;
			break;
		}
	}
	if (have_steps)
		nsteps = json_object_array_length(stepsv);

	/* The curves. */
	c->ncur = 0;
	if (c->ncurves > 0) {
		for (k = 0; k < c->ncurves; k++) {
			if (jneed(c, obj, c->curves[k], &v) != 0)
				return -1;
			if (v != NULL && check_mapped_array(c, v, c->curves[k],
			    &nnum) != 0)
				return -1;
			add_curve(c, c->curvemetric[k], v);
		}
	} else {
		c->skip[0] = params;
		c->skip[1] = timev;
		c->skip[2] = stepsv;
		c->have_steps = have_steps;
		c->nsteps = nsteps;
		name_set(c, 0);
		if (find_curves(c, obj) != 0)
			return -1;
	}

	maxlen = timelen;
	for (k = 0; k < c->ncur; k++) {
		if (c->cur[k].len > maxlen)
			maxlen = c->cur[k].len;
	}
	if (have_steps && nsteps < maxlen) {
		for (k = 0; k < c->ncur; k++) {
			if (c->cur[k].len == maxlen)
				break;
		}
		return jerr(c, "field '%s' has %zu steps but '%s' has %zu "
		    "points", stepsname, nsteps, k < c->ncur ?
		    c->cur[k].name : o->j_time != NULL ? o->j_time : timename,
		    maxlen);
	}
	/*
	 * Without a steps array the first point is step 1: a per-epoch curve
	 * starts after one epoch of training, and 1 matches the epoch
	 * numbers people print and Ray Tune's training_iteration. A curve
	 * that starts with the untrained model says so with --first-step 0.
	 * A steps array is taken as written: --first-step only moves the
	 * default numbering.
	 */
	first = o->first_step_set ? o->first_step : 1;
	if (!have_steps && maxlen > 0 &&
	    first + (int64_t)maxlen - 1 > INT32_MAX)
		return jerr(c, "too many points for a step number");

	/* Everything is known to be readable: add it. */
	t = rung_batch_trial(b, id);
	if (t < c->n0) {
		if (c->at == AT_FILE && idfield != NULL) {
			/*
			 * One trial per file, and another file already used
			 * this id: NAS-Bench-NLP has two runs sharing an
			 * experiment_id (and two sharing a recepie_id).
			 * Merging two runs would be wrong; the file name is
			 * what tells them apart.
			 */
			if (file_trial(c) == NULL)
				return -1;
			rung_warn("%s: trial id '%s' (field '%s') is already "
			    "used by another file: this trial is named '%s'",
			    c->path, id, idfield, c->stem);
			t = rung_batch_trial(b, c->stem);
			if (t < c->n0)
				c->merged++;
		} else if (o->j_id == NULL)
			c->merged++;
	}
	if (status >= 0)
		rung_batch_set_status(b, t, (enum rung_status)status);

	if (params != NULL) {
		name_set(c, 0);
		rung_batch_params_json(c->b, t, &c->name, params, NULL);
	} else if (o->j_params == NULL) {
		/* No parameter object: the top-level scalars are the ones. */
		for (e = lh_table_head(json_object_get_object(obj));
		    e != NULL; e = lh_entry_next(e)) {
			v = lh_entry_v(e);
			if (v == NULL || v == idv || v == stv)
				continue;
			switch (json_object_get_type(v)) {
			case json_type_int:
			case json_type_double:
			case json_type_string:
			case json_type_boolean:
				rung_batch_param_json(c->b, t, lh_entry_k(e), v);
				break;
			default:
				break;
			}
		}
	}

	if (timev != NULL && !c->time_told) {
		rung_batch_time_kind(b, o->time_kind, timename);
		c->time_told = 1;
	}
	/*
	 * A step's values are set before the next step's row is asked for:
	 * each row starts a record, and the batch may spill before it.
	 */
	for (i = 0; i < maxlen; i++) {
		step = have_steps ? c->steps[i] : (int32_t)(first + (int64_t)i);
		row = UINT32_MAX;
		for (k = 0; k < c->ncur; k++) {
			if (i >= c->cur[k].len)
				continue;
			if ((x = json_object_array_get_idx(c->cur[k].arr, i)) ==
			    NULL)
				continue;	/* null: no point here */
			if (row == UINT32_MAX)
				row = rung_batch_record(b, t, step);
			rung_batch_set(b, row, c->cur[k].col,
			    json_object_get_double(x));
		}
		if (i < timelen &&
		    (x = json_object_array_get_idx(timev, i)) != NULL) {
			if (row == UINT32_MAX)
				row = rung_batch_record(b, t, step);
			rung_batch_set_time(b, row, json_object_get_double(x));
		}
	}
	declared_directions(c, obj);
	return 0;
}

/*
 * rung's JSON Lines (rung export -f jsonl) name each metric's direction
 * ("directions") and the metric of interest ("metric"), so that a study
 * comes back judged as it was.
 */
static void
declared_directions(struct jctx *c, struct json_object *obj)
{
	struct json_object *d, *v, *m;
	struct lh_entry	*e;
	const char	*name;
	int		 dir, k;

	if (!json_object_object_get_ex(obj, "directions", &d) ||
	    !json_object_is_type(d, json_type_object))
		return;
	for (e = lh_table_head(json_object_get_object(d)); e != NULL;
	    e = lh_entry_next(e)) {
		v = lh_entry_v(e);
		if (v == NULL || !json_object_is_type(v, json_type_string) ||
		    (dir = rung_direction_parse(json_object_get_string(v))) ==
		    0)
			continue;
		if ((k = rung_batch_find_metric(c->b, lh_entry_k(e))) >= 0)
			rung_batch_metric_direction(c->b, (uint32_t)k,
			    (enum rung_direction)dir);
	}
	if (json_object_object_get_ex(obj, "metric", &m) &&
	    json_object_is_type(m, json_type_string) &&
	    json_object_object_get_ex(d, name = json_object_get_string(m),
	    &v) && v != NULL && json_object_is_type(v, json_type_string) &&
	    (dir = rung_direction_parse(json_object_get_string(v))) != 0 &&
	    rung_batch_find_metric(c->b, name) >= 0)
		rung_batch_interest(c->b, name, (enum rung_direction)dir);
}

/* The document read whole: a list of trials, or one. */
static int
import_root(struct jctx *c, struct json_object *root)
{
	struct json_object	*v;
	size_t			 i, n;
	int			 rc = 0;

	switch (json_object_get_type(root)) {
	case json_type_array:
		c->at = AT_INDEX;
		n = json_object_array_length(root);
		for (i = 0; i < n && rc == 0; i++) {
			c->where = i;
			v = json_object_array_get_idx(root, i);
			if (!json_object_is_type(v, json_type_object)) {
				rc = jerr(c, "expected a trial object, got %s",
				    rung_json_type_name(v));
			} else
				rc = import_trial(c, v, i);
		}
		break;
	case json_type_object:
		c->at = AT_FILE;
		rc = import_trial(c, root, 0);
		break;
	default:
		c->at = AT_FILE;
		rc = jerr(c, "expected a list of trials or a trial object, "
		    "got %s", rung_json_type_name(root));
		break;
	}
	return rc;
}

/*
 * The file is read as a stream (jsonin.c): JSON Lines a line at a time,
 * a document as it comes, so that only the trial being read, or the
 * document's parse, is held.
 */
static int
read_json(struct jctx *c, int lines)
{
	struct rung_jsonin	*in;
	struct json_object	*v;
	struct jlong		*jl = NULL;
	size_t			 ntrials = 0;
	int			 rc;

	c->at = lines ? AT_LINE : AT_FILE;
	if ((in = rung_jsonin_open(c->path, (lines ? RUNG_JSONIN_LINES : 0) |
	    (c->o->progress ? RUNG_JSONIN_PROGRESS : 0), c->cause)) == NULL)
		return -1;
	while ((rc = rung_jsonin_next(in, &v, c->cause)) > 0) {
		/* A log of steps ({"epoch": 3, "loss": 0.4}), not of runs. */
		if (lines && ntrials == 0 && jl == NULL &&
		    json_long_detect(v, c->o))
			jl = json_long_new(c->b, c->path, c->o, c->cause);
		if (jl != NULL) {
			rc = json_long_line(jl, v, rung_jsonin_line(in));
			ntrials++;
		} else if (lines) {
			c->where = rung_jsonin_line(in);
			if (json_object_is_type(v, json_type_object))
				rc = import_trial(c, v, ntrials++);
			else
				rc = jerr(c, "expected a trial object, got %s",
				    rung_json_type_name(v));
		} else
			rc = import_root(c, v);
		json_object_put(v);
		if (rc != 0)
			break;
	}
	rung_jsonin_close(in);
	json_long_free(jl);
	return rc;
}

/* Split --curve at commas, trimming blanks. */
static int
split_curves(struct jctx *c, const char *spec)
{
	const char	*p = spec, *q, *s, *e;

	for (;;) {
		q = strchr(p, ',');
		e = q != NULL ? q : p + strlen(p);
		for (s = p; s < e && rung_json_blank(*s); s++)
			/* nothing */;
		while (e > s && rung_json_blank(e[-1]))
			e--;
		if (e > s) {
			c->curves = xreallocarray(c->curves, c->ncurves + 1,
			    sizeof *c->curves);
			c->curves[c->ncurves++] = xstrndup(s, (size_t)(e - s));
		}
		if (q == NULL)
			break;
		p = q + 1;
	}
	if (c->ncurves == 0) {
		xasprintf(c->cause, "--curve '%s' names no field", spec);
		return -1;
	}
	return 0;
}

int
rung_import_json(struct rung_batch *b, const char *path, int lines,
    const struct rung_import_opts *o, char **cause)
{
	static const struct rung_import_opts none;
	struct jctx		 c;
	size_t			 i;
	int			 rc = -1;

	memset(&c, 0, sizeof c);
	c.b = b;
	c.o = o != NULL ? o : &none;
	c.path = path;
	c.cause = cause;
	c.n0 = rung_batch_ntrials(b);

	if (c.o->j_curve != NULL) {
		if (split_curves(&c, c.o->j_curve) != 0)
			goto out;
		/* Named curves are columns in the order given. */
		c.curvemetric = xreallocarray(NULL, c.ncurves,
		    sizeof *c.curvemetric);
		for (i = 0; i < c.ncurves; i++)
			c.curvemetric[i] = metric_find(&c, c.curves[i]);
	}
	rc = read_json(&c, lines);
	if (rc == 0 && c.merged > 0) {
		rung_warn("%s: %u trial id%s already read from another file: "
		    "their points are merged (name a unique id with --id, or "
		    "import the files into separate studies)", path, c.merged,
		    c.merged == 1 ? " was" : "s were");
	}

out:
	free(c.stem);
	for (i = 0; i < c.ncurves; i++)
		free(c.curves[i]);
	free(c.curves);
	free(c.curvemetric);
	for (i = 0; i < c.nmetrics; i++)
		free(c.metrics[i].name);
	free(c.metrics);
	free(c.cur);
	free(c.steps);
	rung_buf_release(&c.name);
	return rc;
}
