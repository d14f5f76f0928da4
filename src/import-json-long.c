/*
 * Long JSON Lines: a line per step, as a training script's own log writes
 * it ({"epoch": 3, "loss": 0.41, "val_acc": 0.87}), the JSON twin of a long
 * CSV. Every number of a line is a value at the line's step; a key that is
 * constant within every trial turns out a parameter, as a long CSV's
 * column does (the batch decides at finish). Lines without a trial field
 * belong to the trial named after the file, one run a file.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/jsonin.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "import-json-int.h"

static const char *step_keys[] = { "step", "epoch", "iteration",
	"training_iteration", "iter", "global_step", NULL };
static const char *trial_keys[] = { "trial_id", "trial", "run_id", NULL };
static const char *time_keys[] = { "time_this_iter_s", "seconds",
	"elapsed", "wall_time", "timestamp", "time", NULL };

static int
in_list(const char *name, const char **list)
{
	for (; *list != NULL; list++) {
		if (rung_strieq(name, *list))
			return 1;
	}
	return 0;
}

struct jlong {
	struct rung_batch		*b;
	const struct rung_import_opts	*o;
	const char			*path;
	char				**cause;
	const char			*stepkey;
	char				*filetrial;	/* the trial without a field */
	struct rung_buf			 name;
	size_t				 line;
	uint32_t			 row;
};

static const char *
find_key(struct json_object *obj, const char *told, const char **keys)
{
	size_t	 i;

	if (told != NULL)
		return json_object_object_get_ex(obj, told, NULL) ? told : NULL;
	for (i = 0; keys[i] != NULL; i++) {
		if (json_object_object_get_ex(obj, keys[i], NULL))
			return keys[i];
	}
	return NULL;
}

/* A line with a numeric step and no array of numbers: a step, not a run. */
int
json_long_detect(struct json_object *first, const struct rung_import_opts *o)
{
	struct json_object	*v;
	const char		*key;

	if (!json_object_is_type(first, json_type_object) ||
	    (key = find_key(first, o->step_col, step_keys)) == NULL ||
	    !json_object_object_get_ex(first, key, &v) ||
	    !rung_json_is_number(v))
		return 0;
	json_object_object_foreach(first, k, val) {
		(void)k;
		if (json_object_is_type(val, json_type_array))
			return 0;
	}
	return 1;
}

struct jlong *
json_long_new(struct rung_batch *b, const char *path,
    const struct rung_import_opts *o, char **cause)
{
	struct jlong	*j = xcalloc(1, sizeof *j);

	j->b = b;
	j->o = o;
	j->path = path;
	j->cause = cause;
	return j;
}

void
json_long_free(struct jlong *j)
{
	if (j == NULL)
		return;
	free(j->filetrial);
	rung_buf_release(&j->name);
	free(j);
}

/* The values of an object, nested ones named with '/'. */
static void
take(struct jlong *j, struct json_object *obj, int top)
{
	char	 buf[RUNG_DBL_BUFSZ];
	size_t	 keep = j->name.len;
	uint32_t col;

	json_object_object_foreach(obj, key, v) {
		if (top && (strcmp(key, j->stepkey) == 0 ||
		    in_list(key, trial_keys)))
			continue;
		j->name.len = keep;
		rung_buf_printf(&j->name, "%s%s", keep ? "/" : "", key);
		if (top && in_list(key, time_keys) &&
		    rung_json_is_number(v)) {
			rung_batch_time_kind(j->b, j->o->time_kind, key);
			rung_batch_set_time(j->b, j->row,
			    json_object_get_double(v));
			continue;
		}
		switch (json_object_get_type(v)) {
		case json_type_object:
			take(j, v, 0);
			break;
		case json_type_int:
			col = rung_batch_candidate(j->b,
			    rung_buf_cstr(&j->name));
			snprintf(buf, sizeof buf, "%" PRId64,
			    json_object_get_int64(v));
			rung_batch_cell(j->b, j->row, col, buf, strlen(buf));
			break;
		case json_type_double:
			col = rung_batch_candidate(j->b,
			    rung_buf_cstr(&j->name));
			rung_fmt_double(json_object_get_double(v), 0, buf);
			rung_batch_cell(j->b, j->row, col, buf, strlen(buf));
			break;
		case json_type_string:
		case json_type_boolean:
			col = rung_batch_candidate(j->b,
			    rung_buf_cstr(&j->name));
			rung_batch_cell(j->b, j->row, col,
			    json_object_get_string(v),
			    strlen(json_object_get_string(v)));
			break;
		default:
			break;	/* null: no value; arrays: not a step's */
		}
	}
	j->name.len = keep;
}

int
json_long_line(struct jlong *j, struct json_object *obj, size_t line)
{
	struct json_object	*v;
	const char		*tkey, *id;
	char			 buf[RUNG_DBL_BUFSZ];
	uint32_t		 t;
	double			 d;

	j->line = line;
	if (!json_object_is_type(obj, json_type_object)) {
		xasprintf(j->cause, "%s:%zu: expected an object (a step), got "
		    "%s", j->path, line, rung_json_type_name(obj));
		return -1;
	}
	if (j->stepkey == NULL)
		j->stepkey = find_key(obj, j->o->step_col, step_keys);
	v = NULL;
	if (j->stepkey != NULL)
		json_object_object_get_ex(obj, j->stepkey, &v);
	d = rung_json_is_number(v) ? json_object_get_double(v) : NAN;
	if (!(d == floor(d) && d >= INT32_MIN && d <= INT32_MAX)) {
		xasprintf(j->cause, "%s:%zu: field '%s': expected a whole number "
		    "(the step), got %s", j->path, line, j->stepkey != NULL ?
		    j->stepkey : step_keys[0], rung_json_is_number(v) ?
		    rung_fmt_double(d, 0, buf) : v != NULL ?
		    rung_json_type_name(v) : "nothing");
		return -1;
	}
	if ((tkey = find_key(obj, j->o->trial_col, trial_keys)) != NULL &&
	    json_object_object_get_ex(obj, tkey, &v) &&
	    (json_object_is_type(v, json_type_string) ||
	    json_object_is_type(v, json_type_int)))
		id = json_object_get_string(v);
	else {
		if (j->filetrial == NULL && (j->filetrial =
		    rung_import_file_trial(j->o, j->path, "no trial field",
		    j->cause)) == NULL)
			return -1;
		id = j->filetrial;
	}
	t = rung_batch_trial(j->b, id);
	j->row = rung_batch_record(j->b, t, (int32_t)d);
	rung_buf_release(&j->name);
	take(j, obj, 1);
	return 0;
}
