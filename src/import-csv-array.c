/*
 * Lists in the cells of a wide CSV: one row per trial whose curves are
 * written as lists, as LCDB (and pandas' to_csv of a list column) writes
 * them:
 *
 *	m:fidelity_values	"[16, 23, 32, ...]"		the steps
 *	m:score_types		"['accuracy', 'loss']"		labels
 *	m:score_values		"[[[0.5, 0.5], [..], [..]], ...]"	per step
 *
 * The first axis of a list is its steps; a deeper list makes a curve of
 * each of its elements, named after the column, then a label per axis:
 * score/valid/accuracy. Labels come from a list of strings in a column
 * named like the list with "types" or "names" for "values", else from what
 * rung knows of a source's layout, else the index. The roles are decided
 * on the first row of data, when the header alone cannot tell.
 *
 * Parameters may also come from a second file (--params-file FILE --join
 * COL):
 * each trial takes the row of FILE whose COL matches its own.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/jsonin.h"
#include "rung/pylit.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "import-csv-int.h"

/* Column names that hold the steps of the lists, "m:" left off. */
static const char *steps_names[] = { "fidelity_values", "steps", "anchors",
	"epochs", "budgets", NULL };

/*
 * Axes whose labels a source documents but does not write: LCDB's scores
 * are [train, valid, test] at each anchor (lcdb/README, "score_values").
 */
static const struct {
	const char	*column;
	int		 axis;		/* 1: the first axis below the steps */
	const char	*labels[4];
} known_axes[] = {
	{ "m:score_values", 1, { "train", "valid", "test", NULL } },
};

/* A column name without the metadata prefix LCDB and DeepHyper write. */
static const char *
unprefixed(const char *name)
{
	if (strncmp(name, "m:", 2) == 0 && name[2] != '\0')
		return name + 2;
	return name;
}

static int
is_list_text(const char *s, size_t len)
{
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	return len > 0 && (*s == '[' || *s == '(');
}

/* The value of a cell, or -1 with *cause naming file, line and column. */
static int
parse_cell(struct csvimp *ci, struct reader *r, size_t col,
    json_object **out)
{
	const struct field *f = &r->f[col];
	const char	*msg;
	size_t		 off;

	if (rung_pylit_parse(fld(r, col), f->len, out, &off, &msg) == 0)
		return 0;
	xasprintf(ci->cause, "%s:%ld: column '%s': not a list as Python or "
	    "JSON writes it: at byte %zu, expected %s", ci->path, f->line,
	    ci->h.names[col], off + 1, msg);
	return -1;
}

/* 1 if every leaf of v is a number or null (nested lists allowed). */
static int
numeric_tree(json_object *v, size_t *n)
{
	size_t	 i, len;

	if (v == NULL)
		return 1;
	if (json_object_is_type(v, json_type_array)) {
		len = json_object_array_length(v);
		for (i = 0; i < len; i++) {
			if (!numeric_tree(json_object_array_get_idx(v, i), n))
				return 0;
		}
		return 1;
	}
	if (rung_json_is_number(v)) {
		(*n)++;
		return 1;
	}
	return 0;
}

static int
string_list(json_object *v)
{
	size_t	 i, len;

	if (!json_object_is_type(v, json_type_array))
		return 0;
	len = json_object_array_length(v);
	for (i = 0; i < len; i++) {
		if (!json_object_is_type(json_object_array_get_idx(v, i),
		    json_type_string))
			return 0;
	}
	return len > 0;
}

/* The labels column of list column i: "<x>types" or "<x>names". */
static int
find_labels(const struct csvimp *ci, size_t i, const uint8_t *islabels)
{
	const char	*name = ci->h.names[i], *alt[] = { "types", "names" };
	size_t		 len = strlen(name), j, k;
	char		*want;

	if (len <= 6 || strcmp(name + len - 6, "values") != 0)
		return -1;
	for (k = 0; k < 2; k++) {
		want = xprintf("%.*s%s", (int)(len - 6), name, alt[k]);
		for (j = 0; j < ci->h.n; j++) {
			if (islabels[j] && strcmp(ci->h.names[j], want) == 0)
				break;
		}
		free(want);
		if (j < ci->h.n)
			return (int)j;
	}
	return -1;
}

static int
find_join(struct csvimp *ci)
{
	const struct rung_import_opts *o = ci->o;

	if (o->params_file == NULL && o->join == NULL)
		return 0;
	if (o->params_file == NULL || o->join == NULL) {
		xasprintf(ci->cause, "%s: %s", ci->path, o->params_file == NULL ?
		    "--join names the column of a join with --params-file FILE, "
		    "which is missing" : "--params-file FILE needs --join COL, the "
		    "column that both files hold");
		return -1;
	}
	return csv_pick_column(&ci->h, o->join, "--join", NULL, 0, NULL,
	    ci->path, &ci->arr.join_col, ci->cause);
}

int
csv_array_roles(struct csvimp *ci, struct reader *r)
{
	const struct rung_import_opts *o = ci->o;
	struct header	*h = &ci->h;
	json_object	*v;
	uint8_t		*islist, *islabels;
	int32_t		*len;
	const char	*msg;
	size_t		 i, n, off;
	int		 sc = -1, lab, narrays = 0, ret = -1;

	if (find_join(ci) != 0)
		return -1;
	islist = xcalloc(h->n ? h->n : 1, 1);
	islabels = xcalloc(h->n ? h->n : 1, 1);
	len = xcalloc(h->n ? h->n : 1, sizeof *len);
	for (i = 0; i < h->n; i++) {
		if (ci->cols[i].role != R_SKIP || ci->skip[i] != 0 ||
		    (int)i == ci->trial_col || (int)i == ci->status_col ||
		    !is_list_text(fld(r, i), r->f[i].len))
			continue;
		/* MetaQNN's "[C(64,1,1), ...]" is text that looks like a list. */
		if (rung_pylit_parse(fld(r, i), r->f[i].len, &v, &off,
		    &msg) != 0)
			continue;
		n = 0;
		if (json_object_is_type(v, json_type_array) &&
		    numeric_tree(v, &n) && n > 0) {
			islist[i] = 1;
			len[i] = (int32_t)json_object_array_length(v);
		} else if (string_list(v))
			islabels[i] = 1;
		json_object_put(v);
	}

	if (o->steps_col != NULL) {
		if (csv_pick_column(h, o->steps_col, "--steps-col", NULL, 0,
		    NULL, ci->path, &sc, ci->cause) != 0)
			goto out;
		if (!islist[sc]) {
			xasprintf(ci->cause, "%s:%ld: column '%s' (named by "
			    "--steps-col): expected a list of steps, got "
			    "'%.*s'", ci->path, r->f[sc].line, h->names[sc],
			    r->f[sc].len > SHOW_MAX ? SHOW_MAX :
			    (int)r->f[sc].len, fld(r, sc));
			goto out;
		}
	} else {
		for (i = 0; i < h->n && sc < 0; i++) {
			if (islist[i] && csv_in_list(unprefixed(h->names[i]),
			    steps_names))
				sc = (int)i;
		}
	}
	/*
	 * With indexed curve columns as well, only lists as long as the steps
	 * are curves: a list without steps is a parameter (layers "(64,
	 * 32)"), as it was before lists were read.
	 */
	if (sc < 0 && ci->ngroups > 0)
		goto done;
	if (sc >= 0) {
		ci->cols[sc].role = R_STEPS;
		ci->arr.steps_col = sc;
	}
	for (i = 0; i < h->n; i++) {
		if (!islist[i] || (int)i == sc || (sc >= 0 && len[i] != len[sc]))
			continue;
		ci->cols[i].role = R_ARRAY;
		ci->cols[i].slot = UINT32_MAX;
		if ((lab = find_labels(ci, i, islabels)) >= 0) {
			ci->cols[i].slot = (uint32_t)lab;
			ci->cols[lab].role = R_LABELS;
		}
		narrays++;
	}
	ci->arr.any = narrays > 0;
done:
	ret = narrays;
out:
	free(islist);
	free(islabels);
	free(len);
	return ret;
}

static int
arr_err(struct csvimp *ci, const struct field *f, const char *col,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
arr_err(struct csvimp *ci, const struct field *f, const char *col,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	xasprintf(ci->cause, "%s:%ld: column '%s': %s", ci->path, f->line, col,
	    msg);
	free(msg);
	return -1;
}

/* The steps of the row: whole numbers, increasing. */
static int
row_steps(struct csvimp *ci, struct reader *r, size_t col)
{
	const struct field *f = &r->f[col];
	json_object	*v, *e;
	size_t		 i, n;
	int64_t		 s;
	double		 d;
	int		 ret = -1;

	if (parse_cell(ci, r, col, &v) != 0)
		return -1;
	if (!json_object_is_type(v, json_type_array)) {
		arr_err(ci, f, ci->h.names[col], "expected a list of steps, "
		    "got %s", rung_json_type_name(v));
		goto out;
	}
	n = json_object_array_length(v);
	XGROW(ci->arr.steps, ci->arr.stepcap, n);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(v, i);
		d = rung_json_is_number(e) ? json_object_get_double(e) : -1.0;
		s = json_object_is_type(e, json_type_int) ?
		    json_object_get_int64(e) : (int64_t)d;
		if (!rung_json_is_number(e) || (double)s != d || s < 0 ||
		    s > INT32_MAX || (i > 0 && s <= ci->arr.steps[i - 1])) {
			arr_err(ci, f, ci->h.names[col], "element %zu: "
			    "expected a step (a whole number from 0, larger "
			    "than the one before), got %s", i + 1,
			    e == NULL ? "null" : json_object_to_json_string(e));
			goto out;
		}
		ci->arr.steps[i] = (int32_t)s;
	}
	ci->arr.nsteps = n;
	ret = 0;
out:
	json_object_put(v);
	return ret;
}

struct emit {
	struct csvimp	*ci;
	const struct field *f;
	const char	*col;
	uint32_t	 trial;
	int32_t		 step;
	uint32_t	 row;		/* UINT32_MAX until a value needs it */
	json_object	*labels;	/* of the innermost axis, or NULL */
	int		 known;		/* known_axes index, or -1 */
};

/* The values below a step into curves named after their place. */
static int
emit(struct emit *e, json_object *v, int axis)
{
	struct rung_buf	*name = &e->ci->arr.name;
	json_object	*el;
	size_t		 i, n, keep = name->len;
	int		 leaves;
	const char	*label;

	if (v == NULL)
		return 0;	/* None: no value at this step */
	if (rung_json_is_number(v)) {
		if (e->row == UINT32_MAX)
			e->row = rung_batch_row(e->ci->b, e->trial, e->step);
		rung_batch_set(e->ci->b, e->row, rung_batch_metric(e->ci->b,
		    rung_buf_cstr(name)), json_object_get_double(v));
		return 0;
	}
	if (!json_object_is_type(v, json_type_array))
		return arr_err(e->ci, e->f, e->col, "at step %" PRId32 ": "
		    "expected a number or a list, got %s", e->step,
		    rung_json_type_name(v));
	n = json_object_array_length(v);
	for (leaves = 1, i = 0; i < n; i++) {
		if (json_object_is_type(json_object_array_get_idx(v, i),
		    json_type_array))
			leaves = 0;
	}
	for (i = 0; i < n; i++) {
		el = json_object_array_get_idx(v, i);
		label = NULL;
		if (leaves && e->labels != NULL &&
		    json_object_array_length(e->labels) == n)
			label = json_object_get_string(
			    json_object_array_get_idx(e->labels, i));
		else if (e->known >= 0 && known_axes[e->known].axis == axis &&
		    i < 4)
			label = known_axes[e->known].labels[i];
		name->len = keep;
		if (label != NULL)
			rung_buf_printf(name, "/%s", label);
		else
			rung_buf_printf(name, "/%zu", i);
		if (emit(e, el, axis + 1) != 0)
			return -1;
	}
	name->len = keep;
	return 0;
}

/* A list column's curves for the row. */
static int
row_array(struct csvimp *ci, struct reader *r, size_t col, uint32_t trial)
{
	const struct field *f = &r->f[col];
	const struct col *c = &ci->cols[col];
	const char	*base = unprefixed(ci->h.names[col]);
	struct emit	 e;
	json_object	*v = NULL, *labels = NULL;
	size_t		 i, n, blen = strlen(base);
	int64_t		 step;
	int		 ret = -1;

	if (parse_cell(ci, r, col, &v) != 0)
		return -1;
	if (c->slot != UINT32_MAX && r->f[c->slot].len > 0) {
		if (parse_cell(ci, r, c->slot, &labels) != 0)
			goto out;
		if (!string_list(labels)) {
			arr_err(ci, &r->f[c->slot], ci->h.names[c->slot],
			    "expected a list of names, got %s",
			    rung_json_type_name(labels));
			goto out;
		}
	}
	if (!json_object_is_type(v, json_type_array)) {
		arr_err(ci, f, ci->h.names[col], "expected a list, got %s",
		    rung_json_type_name(v));
		goto out;
	}
	n = json_object_array_length(v);
	if (ci->arr.steps_col >= 0 && n != ci->arr.nsteps) {
		arr_err(ci, f, ci->h.names[col], "%zu values for the %zu steps "
		    "of column '%s'", n, ci->arr.nsteps,
		    ci->h.names[ci->arr.steps_col]);
		goto out;
	}
	/* score_values is the curve "score", loss the curve "loss". */
	if (blen > 6 && strcmp(base + blen - 6, "values") == 0)
		blen -= blen > 7 && (base[blen - 7] == '_' ||
		    base[blen - 7] == '-' || base[blen - 7] == '.') ? 7 : 6;
	memset(&e, 0, sizeof e);
	e.ci = ci;
	e.f = f;
	e.col = ci->h.names[col];
	e.trial = trial;
	e.labels = labels;
	e.known = -1;
	for (i = 0; i < sizeof known_axes / sizeof known_axes[0]; i++) {
		if (strcmp(known_axes[i].column, ci->h.names[col]) == 0)
			e.known = (int)i;
	}
	for (i = 0; i < n; i++) {
		if (ci->arr.steps_col >= 0)
			step = ci->arr.steps[i];
		else
			step = (int64_t)i + (ci->o->first_step_set ?
			    ci->o->first_step : 0);
		if (step < INT32_MIN || step > INT32_MAX) {
			arr_err(ci, f, ci->h.names[col], "step out of range");
			goto out;
		}
		e.step = (int32_t)step;
		e.row = UINT32_MAX;
		ci->arr.name.len = 0;
		rung_buf_add(&ci->arr.name, base, blen);
		if (emit(&e, json_object_array_get_idx(v, i), 1) != 0)
			goto out;
	}
	ret = 0;
out:
	json_object_put(v);
	json_object_put(labels);
	return ret;
}

int
csv_array_record(struct csvimp *ci, struct reader *r, uint32_t trial)
{
	size_t	 i;

	if (ci->arr.join_col >= 0 && r->f[ci->arr.join_col].len > 0) {
		XGROW(ci->arr.keys, ci->arr.keycap, ci->arr.nkeys + 1);
		ci->arr.keys[ci->arr.nkeys].trial = trial;
		ci->arr.keys[ci->arr.nkeys++].key =
		    xstrndup(fld(r, ci->arr.join_col),
		    r->f[ci->arr.join_col].len);
	}
	if (!ci->arr.any)
		return 0;
	/* A row without steps (a failed run) has no curves. */
	if (ci->arr.steps_col >= 0) {
		if (r->f[ci->arr.steps_col].len == 0)
			return 0;
		if (row_steps(ci, r, (size_t)ci->arr.steps_col) != 0)
			return -1;
	}
	for (i = 0; i < r->nf; i++) {
		if (ci->cols[i].role == R_ARRAY && r->f[i].len > 0 &&
		    row_array(ci, r, i, trial) != 0)
			return -1;
	}
	return 0;
}

/* The second file of a join, held whole: configurations are few. */
struct configs {
	struct header	 h;
	int		 have;
	int		 key;		/* the --join column */
	struct crow {
		char	**cells;
		long	  line;
	}		*rows;
	size_t		 n;
	size_t		 cap;
	const char	*path;
	char		**cause;
};

static int
configs_record(struct reader *r, void *arg)
{
	struct configs	*c = arg;
	struct crow	*row;
	size_t		 i;

	if (record_blank(r))
		return 0;
	if (!c->have) {
		c->have = 1;
		c->h.n = r->nf;
		c->h.line = r->recline;
		c->h.names = xcalloc(r->nf ? r->nf : 1, sizeof *c->h.names);
		for (i = 0; i < r->nf; i++)
			c->h.names[i] = xstrdup(fld(r, i));
		return 0;
	}
	if (r->nf != c->h.n) {
		xasprintf(c->cause, "%s:%ld: expected %zu fields, found %zu",
		    c->path, r->recline, c->h.n, r->nf);
		return -1;
	}
	XGROW(c->rows, c->cap, c->n + 1);
	row = &c->rows[c->n++];
	row->line = r->recline;
	row->cells = xcalloc(r->nf ? r->nf : 1, sizeof *row->cells);
	for (i = 0; i < r->nf; i++)
		row->cells[i] = xstrndup(fld(r, i), r->f[i].len);
	return 0;
}

static int	 sort_key;

static int
cmp_crow(const void *va, const void *vb)
{
	const struct crow *a = va, *b = vb;
	int		 c = strcmp(a->cells[sort_key], b->cells[sort_key]);

	return c != 0 ? c : (a->line > b->line) - (a->line < b->line);
}

static int
cmp_crow_key(const void *key, const void *elem)
{
	return strcmp(key, ((const struct crow *)elem)->cells[sort_key]);
}

static void
configs_release(struct configs *c)
{
	size_t	 i, j;

	for (i = 0; i < c->n; i++) {
		for (j = 0; j < c->h.n; j++)
			free(c->rows[i].cells[j]);
		free(c->rows[i].cells);
	}
	free(c->rows);
	for (i = 0; i < c->h.n; i++)
		free(c->h.names[i]);
	free(c->h.names);
}

/* The parameters of --params-file FILE, each trial by its --join value. */
int
csv_join_configs(struct csvimp *ci)
{
	const struct rung_import_opts *o = ci->o;
	struct configs	 c;
	struct reader	 r;
	struct crow	*hit;
	uint32_t	*param;
	const char	*name;
	size_t		 i, j, missing = 0;
	int		 ret = -1;

	if (o->params_file == NULL || ci->arr.join_col < 0)
		return 0;
	memset(&c, 0, sizeof c);
	memset(&r, 0, sizeof r);
	c.path = o->params_file;
	c.cause = ci->cause;
	r.path = o->params_file;
	r.cause = ci->cause;
	r.record = configs_record;
	r.arg = &c;
	if (csv_read(&r, 0) != 0)
		goto out;
	if (!c.have) {
		xasprintf(ci->cause, "%s: the file is empty: expected a header "
		    "row (--params-file)", o->params_file);
		goto out;
	}
	if (csv_pick_column(&c.h, o->join, "--join", NULL, 0, NULL,
	    o->params_file, &c.key, ci->cause) != 0)
		goto out;
	sort_key = c.key;
	qsort(c.rows, c.n, sizeof *c.rows, cmp_crow);
	for (i = 1; i < c.n; i++) {
		if (strcmp(c.rows[i].cells[c.key],
		    c.rows[i - 1].cells[c.key]) == 0) {
			xasprintf(ci->cause, "%s:%ld: column '%s': '%s' again "
			    "(first on line %ld): the join needs one row a "
			    "value", o->params_file, c.rows[i].line,
			    c.h.names[c.key], c.rows[i].cells[c.key],
			    c.rows[i - 1].line);
			goto out;
		}
	}
	param = xcalloc(c.h.n ? c.h.n : 1, sizeof *param);
	for (j = 0; j < c.h.n; j++) {
		name = c.h.names[j];
		if (strncmp(name, "p:", 2) == 0 && name[2] != '\0')
			name += 2;
		else if (strncmp(name, "config/", 7) == 0 && name[7] != '\0')
			name += 7;
		if ((int)j != c.key && name[0] != '\0')
			param[j] = rung_batch_param(ci->b, name);
	}
	for (i = 0; i < ci->arr.nkeys; i++) {
		hit = bsearch(ci->arr.keys[i].key, c.rows, c.n, sizeof *c.rows,
		    cmp_crow_key);
		if (hit == NULL) {
			missing++;
			continue;
		}
		for (j = 0; j < c.h.n; j++) {
			if ((int)j == c.key || c.h.names[j][0] == '\0' ||
			    hit->cells[j][0] == '\0')
				continue;
			rung_batch_param_token(ci->b, ci->arr.keys[i].trial,
			    param[j], hit->cells[j], strlen(hit->cells[j]));
		}
	}
	free(param);
	if (missing > 0)
		rung_warn("%s: %zu trial%s no row in %s with the same '%s': "
		    "%s parameters are those of the file alone", ci->path,
		    missing, missing == 1 ? " has" : "s have", o->params_file,
		    o->join, missing == 1 ? "its" : "their");
	ret = 0;
out:
	csv_reader_release(&r);
	configs_release(&c);
	return ret;
}

void
csv_array_release(struct csvimp *ci)
{
	size_t	 i;

	for (i = 0; i < ci->arr.nkeys; i++)
		free(ci->arr.keys[i].key);
	free(ci->arr.keys);
	free(ci->arr.steps);
	rung_buf_release(&ci->arr.name);
}
