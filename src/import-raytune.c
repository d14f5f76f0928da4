/*
 * Ray Tune experiment directories, laid out as Ray 2.9 writes them:
 *
 *	EXP/experiment_state-DATE.json	the trials, their status and config
 *	EXP/basic-variant-state-DATE.json, EXP/tuner.pkl	(pickles: ignored)
 *	EXP/TRAINABLE_ID_TAG_DATE/	one folder per trial, holding
 *	    params.json			the config (json.dump, indent=2)
 *	    result.json			one result a line (JSON Lines)
 *	    progress.csv		the same results, flattened
 *	    error.txt			when the trial failed
 *
 * A trial is a folder with params.json, result.json or progress.csv. Its id
 * is Ray's trial_id: the "trial_id" of its results, else the id of the
 * state entry naming the folder, else the id in the folder name ("5hex_
 * 5digit" from the basic variant generator, 8 hex digits from a search
 * algorithm), else the folder name.
 *
 * The curve comes from result.json. Every number in a result is a metric,
 * nested results named with '/' as progress.csv names them, except what
 * Ray adds itself (bookkeeping[] below) and the config. A numpy NaN is
 * written by Ray's SafeFallbackEncoder as the string "null"; a Python NaN
 * as a bare NaN token: both are NaN here. progress.csv is read only when
 * result.json is missing or empty: its header was fixed by the first
 * result, so a metric reported later is not in it, and columns are found
 * by name because a resumed run appends rows without a header.
 *
 * Status comes from the newest experiment_state file (several exist after
 * a restore; the date in the name orders them, as Ray itself picks one).
 * ERROR is failed, RUNNING and PENDING running, PAUSED stopped. TERMINATED
 * needs a closer look, because Ray 2.9 writes "done" backwards from what
 * one would guess: when a function trainable returns, Tune marks its last
 * result done in memory only (the result is a __duplicate__ and is not
 * logged), so result.json ends with done=false; when Tune itself stops a
 * trial (a scheduler such as ASHA, or a stop criterion) it sets done=true
 * on the result that made it stop, and that one is logged. So a TERMINATED
 * trial is stopped when its last result says done=true and it ended at an
 * earlier x than the longest trial of the experiment; otherwise it is
 * complete (it ran the whole budget, or its own code returned). The one
 * case this misses: trials cut short when the whole experiment stops
 * (time_budget_s, a stopper's stop_all) log no done=true and read as
 * complete. Without a state file: error.txt means failed, no result at all
 * stopped, else the same rule as TERMINATED (a run killed mid-way cannot
 * be told from one that returned; the state file would say RUNNING).
 *
 * progress.csv is read in import-raytune-progress.c. A folder without
 * result.json (or with an empty one) has its TensorBoard event files read
 * instead, when it has any (import-tensorboard.c): Ray's TBXLogger writes
 * them, and trainables write their own (runs/train, runs/valid).
 */

#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
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

#include "import-raytune-int.h"

#define STATE_PREFIX	"experiment_state-"
#define STATE_SUFFIX	".json"
#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

/*
 * What Ray puts in every result besides the user's metrics (ray.tune.result
 * and Trainable.get_auto_filled_metrics). training_iteration is not here:
 * it is the x axis unless --step-col names another key, and then it is a number
 * like any other.
 */
static const char *const bookkeeping[] = {
	"time_this_iter_s", "time_total_s", "timestamp", "date", "done",
	"trial_id", "pid", "hostname", "node_ip", "time_since_restore",
	"iterations_since_restore", "timesteps_since_restore",
	"checkpoint_dir_name", "experiment_id", "experiment_tag",
	"should_checkpoint", "episodes_total", "timesteps_total",
	"warmup_time", "config"
};

static int
has_suffix(const char *s, const char *suffix)
{
	size_t	 n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
is_state_name(const char *name)
{
	return strncmp(name, STATE_PREFIX, strlen(STATE_PREFIX)) == 0 &&
	    strlen(name) > strlen(STATE_PREFIX) + strlen(STATE_SUFFIX) &&
	    has_suffix(name, STATE_SUFFIX);
}

static int
is_file_in(const char *dir, const char *name)
{
	struct stat	 sb;
	char		*path;
	int		 ret;

	path = rung_path_join(dir, name);
	ret = stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
	free(path);
	return ret;
}

/*
 * A trial folder: params.json, result.json or progress.csv. Detection asks
 * for params.json with one of the others, which a plain directory of CSV
 * files is unlikely to have.
 */
static int
is_trial_folder(const char *path, int strict)
{
	int	 params, results;

	params = is_file_in(path, "params.json");
	results = is_file_in(path, "result.json") ||
	    is_file_in(path, "progress.csv");
	return strict ? params && results : params || results;
}

/*
 * The files of a Ray Tune experiment that rung reads; checkpoints, which
 * can weigh gigabytes, are left out of the digest.
 */
int
rung_raytune_file(const char *path)
{
	const char	*base = strrchr(path, '/');
	static const char *names[] = { "params.json", "result.json",
		"progress.csv", "error.txt" };
	size_t		 i;

	base = base != NULL ? base + 1 : path;
	if (strncmp(base, "experiment_state-", 17) == 0 ||
	    strstr(base, "tfevents") != NULL)
		return 1;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(base, names[i]) == 0)
			return 1;
	}
	return 0;
}

int
rung_raytune_detect(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	char		*path;
	int		 found = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = rung_path_join(dir, de->d_name);
		if (stat(path, &sb) == 0) {
			if (S_ISREG(sb.st_mode) && is_state_name(de->d_name))
				found = 1;
			else if (S_ISDIR(sb.st_mode) &&
			    is_trial_folder(path, 1))
				found = 1;
		}
		free(path);
	}
	closedir(d);
	return found;
}

/*
 * A file as one JSON document, read as a stream (jsonin.c); errors name
 * file, line and column.
 */
static int
read_document(struct rctx *c, const char *path, struct json_object **out)
{
	struct rung_jsonin	*in;
	int			 rc;

	if ((in = rung_jsonin_open(path, 0, c->cause)) == NULL)
		return -1;
	rc = rung_jsonin_next(in, out, c->cause);
	rung_jsonin_close(in);
	return rc > 0 ? 0 : -1;
}

static const char *
jstring(struct json_object *obj, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static const char *
base_name(const char *path)
{
	const char	*slash;
	size_t		 n = strlen(path);

	/* "a/b/" is b: relative_logdir never ends so, but be kind. */
	while (n > 1 && path[n - 1] == '/')
		n--;
	for (slash = path + n; slash > path && slash[-1] != '/'; slash--)
		/* nothing */;
	return slash;
}

/*
 * The trials of the state file: "trial_data" in Ray 2.5 and later, a list
 * of [trial state, run metadata] pairs of JSON text; "checkpoints" before,
 * a list of trial states. A trial state is Trial.__getstate__() as JSON.
 */
static int
read_state(struct rctx *c)
{
	struct json_object	*root = NULL, *list, *el, *v, *cfg;
	struct rstate		*s;
	const char		*key = "trial_data", *text, *id, *word, *dir;
	const char		*msg;
	size_t			 i, n, off, line, col;
	int			 ret = -1;

	if (read_document(c, c->statepath, &root) != 0)
		return -1;
	if (!json_object_is_type(root, json_type_object)) {
		xasprintf(c->cause, "%s: expected a Ray Tune experiment state "
		    "(an object), got %s", c->statepath, rung_json_type_name(root));
		goto out;
	}
	if (!json_object_object_get_ex(root, key, &list)) {
		key = "checkpoints";
		json_object_object_get_ex(root, key, &list);
	}
	if (!json_object_is_type(list, json_type_array)) {
		xasprintf(c->cause, "%s: not a Ray Tune experiment state: no "
		    "\"trial_data\" or \"checkpoints\" list", c->statepath);
		goto out;
	}
	n = json_object_array_length(list);
	c->st = xcalloc(n ? n : 1, sizeof *c->st);
	for (i = 0; i < n; i++) {
		el = json_object_array_get_idx(list, i);
		if (json_object_is_type(el, json_type_array) &&
		    json_object_array_length(el) > 0)
			el = json_object_array_get_idx(el, 0);
		if (!json_object_is_type(el, json_type_string)) {
			xasprintf(c->cause, "%s: %s[%zu]: expected a trial "
			    "state (JSON text), got %s", c->statepath, key, i,
			    rung_json_type_name(el));
			goto out;
		}
		text = json_object_get_string(el);
		if (rung_json_parse(c->tok, text, (size_t)json_object_get_string_len(
		    el), &v, &off, &msg) != 0) {
			rung_json_line_col(text, off, &line, &col);
			xasprintf(c->cause, "%s: %s[%zu]: invalid JSON at line "
			    "%zu, column %zu of the trial state: %s",
			    c->statepath, key, i, line, col, msg);
			goto out;
		}
		if (!json_object_is_type(v, json_type_object) ||
		    (id = jstring(v, "trial_id")) == NULL) {
			xasprintf(c->cause, "%s: %s[%zu]: expected a trial "
			    "state with a \"trial_id\"", c->statepath, key, i);
			json_object_put(v);
			goto out;
		}
		s = &c->st[c->nst++];
		s->id = xstrdup(id);
		if ((word = jstring(v, "status")) != NULL)
			s->status = xstrdup(word);
		/* Ray 2.4 and later: relative_logdir; before: logdir. */
		if ((dir = jstring(v, "relative_logdir")) != NULL ||
		    (dir = jstring(v, "logdir")) != NULL)
			s->folder = xstrdup(base_name(dir));
		if (json_object_object_get_ex(v, "config", &cfg) &&
		    json_object_is_type(cfg, json_type_object))
			s->config = json_object_get(cfg);
		json_object_put(v);
	}
	ret = 0;
out:
	json_object_put(root);
	return ret;
}

static int
is_hex(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	}
	return 1;
}

static size_t
count_digits(const char *s)
{
	size_t	 n = 0;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

/*
 * Ray's trial id in a folder name TRAINABLE_ID_TAG_DATE: "1a2b3_00000"
 * (5 hex digits of a uuid and a counter, the basic variant generator) or
 * "a1b2c3d4" followed by "_N" (a searcher's Trial.generate_id()). The
 * trainable's name may hold '_' itself, so the id is looked for after
 * every '_'. Returns its length, 0 if none.
 */
static size_t
id_in_name(const char *name, const char **start)
{
	const char	*p;
	size_t		 nd;

	for (p = strchr(name, '_'); p != NULL; p = strchr(p + 1, '_')) {
		p++;
		if (is_hex(p, 5) && p[5] == '_' && count_digits(p + 6) == 5 &&
		    (p[11] == '_' || p[11] == '\0')) {
			*start = p;
			return 11;
		}
		if (is_hex(p, 8) && p[8] == '_' &&
		    (nd = count_digits(p + 9)) > 0 &&
		    (p[9 + nd] == '_' || p[9 + nd] == '\0')) {
			*start = p;
			return 8;
		}
		p--;
	}
	return 0;
}

/* The column of a metric, created the first time the name is met. */
uint32_t
rt_metric_col(struct rctx *c, const char *name)
{
	size_t	 i, cap;

	for (i = 0; i < c->nm; i++) {
		if (strcmp(c->mname[i], name) == 0)
			return c->mcol[i];
	}
	cap = c->mcap;
	XGROW(c->mname, cap, c->nm + 1);
	c->mcol = xreallocarray(c->mcol, cap, sizeof *c->mcol);
	c->mcap = cap;
	c->mname[c->nm] = xstrdup(name);
	c->mcol[c->nm] = rung_batch_metric(c->b, name);
	return c->mcol[c->nm++];
}

/*
 * The trial of the folder being read, created at its first result (whose
 * trial_id names it) or, without results, once the folder is read.
 */
void
rt_need_trial(struct rctx *c, const char *rowid)
{
	struct rtrial	*r;
	const char	*id = rowid, *p;
	char		*made = NULL;
	size_t		 n, i;

	if (c->cur != NULL)
		return;
	if (id == NULL && c->curstate >= 0)
		id = c->st[c->curstate].id;
	if (id == NULL && (n = id_in_name(c->folder, &p)) > 0)
		id = made = xstrndup(p, n);
	if (id == NULL)
		id = c->folder;
	if (c->curstate < 0) {
		/* No state entry names the folder: one may have its id. */
		for (i = 0; i < c->nst; i++) {
			if (!c->st[i].used && strcmp(c->st[i].id, id) == 0) {
				c->curstate = (int)i;
				break;
			}
		}
	}
	if (c->curstate >= 0)
		c->st[c->curstate].used = 1;

	XGROW(c->tr, c->trcap, c->ntr + 1);
	r = &c->tr[c->ntr++];
	memset(r, 0, sizeof *r);
	r->t = rung_batch_trial(c->b, id);
	r->state = c->curstate;
	r->done = -1;
	c->cur = r;
	free(made);
}

/* The row of the result being read: made when it first holds a value. */
uint32_t
rt_need_row(struct rctx *c)
{
	if (!c->haverow) {
		c->row = rung_batch_record(c->b, c->cur->t, c->x);
		c->haverow = 1;
	}
	return c->row;
}

void
rt_set_time(struct rctx *c, double secs)
{
	enum rung_time_kind	 kind = c->o->time_kind;

	if (!c->time_told) {
		/* Seconds of this iteration, unless told otherwise. */
		rung_batch_time_kind(c->b, kind != RUNG_TIME_AUTO ? kind :
		    RUNG_TIME_STEP, "time_this_iter_s");
		c->time_told = 1;
	}
	rung_batch_set_time(c->b, rt_need_row(c), secs);
}

/* After a result: what the status rule needs. */
void
rt_result_done(struct rctx *c, int done)
{
	struct rtrial	*r = c->cur;

	if (r->nrows == 0 || c->x > r->last)
		r->last = c->x;
	r->nrows++;
	r->done = done;
}

int
rt_is_bookkeeping(const char *key)
{
	size_t	 i;

	for (i = 0; i < NITEMS(bookkeeping); i++) {
		if (strcmp(key, bookkeeping[i]) == 0)
			return 1;
	}
	return 0;
}

static void
name_set(struct rung_buf *name, size_t len)
{
	rung_buf_cstr(name);
	name->len = len;
	name->data[len] = '\0';
}

/*
 * The metrics of a result object: numbers, and the string "null" that
 * SafeFallbackEncoder writes for a numpy NaN. Nested objects are walked
 * and their keys joined with '/', as in progress.csv.
 */
static void
take_metrics(struct rctx *c, struct json_object *obj, int top)
{
	struct lh_entry		*e;
	struct json_object	*v;
	const char		*key;
	size_t			 len = c->name.len;
	double			 d;

	for (e = lh_table_head(json_object_get_object(obj)); e != NULL;
	    e = lh_entry_next(e)) {
		key = lh_entry_k(e);
		v = lh_entry_v(e);
		if (top && rt_is_bookkeeping(key))
			continue;
		name_set(&c->name, len);
		rung_buf_addstr(&c->name, key);
		switch (json_object_get_type(v)) {
		case json_type_object:
			rung_buf_addc(&c->name, '/');
			take_metrics(c, v, 0);
			continue;
		case json_type_int:
		case json_type_double:
			d = json_object_get_double(v);
			break;
		case json_type_string:
			if (strcmp(json_object_get_string(v), "null") != 0)
				continue;
			d = NAN;
			break;
		default:
			/* Booleans, lists, text, null: not a curve. */
			continue;
		}
		if (strcmp(c->name.data, c->xkey) == 0)
			continue;
		rung_batch_set(c->b, rt_need_row(c),
		    rt_metric_col(c, c->name.data), d);
	}
	name_set(&c->name, len);
}

/* A whole number within int32, from a JSON value; -1 if it is not one. */
static int
json_step(struct json_object *v, int32_t *x)
{
	int64_t	 iv;
	double	 d;

	switch (json_object_get_type(v)) {
	case json_type_int:
		iv = json_object_get_int64(v);
		if (iv < INT32_MIN || iv > INT32_MAX)
			return -1;
		*x = (int32_t)iv;
		return 0;
	case json_type_double:
		/* A step written by numpy as 3.0 is step 3. */
		d = json_object_get_double(v);
		if (!(d >= INT32_MIN && d <= INT32_MAX) || d != floor(d))
			return -1;
		*x = (int32_t)d;
		return 0;
	default:
		return -1;
	}
}

static int
take_result(struct rctx *c, struct json_object *obj, size_t lineno)
{
	struct json_object	*v;
	const char		*id;
	char			 buf[RUNG_DBL_BUFSZ];
	int			 done = -1;

	if (!json_object_is_type(obj, json_type_object)) {
		xasprintf(c->cause, "%s:%zu: expected a result (an object), "
		    "got %s", c->path, lineno, rung_json_type_name(obj));
		return -1;
	}
	/* A top-level key, else a path through nested results, as progress.csv
	 * names them. */
	if (!rung_json_find(obj, c->xkey, '/', &v) || v == NULL) {
		xasprintf(c->cause, "%s:%zu: no '%s' in this result: it is "
		    "the x axis (name another key with --x)", c->path, lineno,
		    c->xkey);
		return -1;
	}
	if (json_step(v, &c->x) != 0) {
		if (json_object_is_type(v, json_type_double))
			rung_fmt_double(json_object_get_double(v), 0, buf);
		else if (json_object_is_type(v, json_type_int))
			snprintf(buf, sizeof buf, "%" PRId64,
			    json_object_get_int64(v));
		xasprintf(c->cause, "%s:%zu: '%s' must be a whole number "
		    "(a step), got %s%s", c->path, lineno, c->xkey,
		    rung_json_is_number(v) ? buf : rung_json_type_name(v),
		    json_object_is_type(v, json_type_int) ? ", out of range" :
		    "");
		return -1;
	}
	id = jstring(obj, "trial_id");
	rt_need_trial(c, id);
	if (c->rowconfig == NULL && json_object_object_get_ex(obj, "config",
	    &v) && json_object_is_type(v, json_type_object))
		c->rowconfig = json_object_get(v);

	c->haverow = 0;
	if (json_object_object_get_ex(obj, "time_this_iter_s", &v) &&
	    (json_object_is_type(v, json_type_double) ||
	    json_object_is_type(v, json_type_int)))
		rt_set_time(c, json_object_get_double(v));
	if (json_object_object_get_ex(obj, "done", &v) &&
	    json_object_is_type(v, json_type_boolean))
		done = json_object_get_boolean(v);
	name_set(&c->name, 0);
	take_metrics(c, obj, 1);
	rt_result_done(c, done);
	return 0;
}

/*
 * result.json: one result a line, read a line at a time: a trial that ran
 * long holds no more than the result being read. Sets *nresults.
 */
static int
read_results(struct rctx *c, size_t *nresults)
{
	struct rung_jsonin	*in;
	struct json_object	*v;
	int			 rc;

	*nresults = 0;
	if ((in = rung_jsonin_open(c->path, RUNG_JSONIN_LINES,
	    c->cause)) == NULL)
		return -1;
	while ((rc = rung_jsonin_next(in, &v, c->cause)) > 0) {
		rc = take_result(c, v, rung_jsonin_line(in));
		json_object_put(v);
		if (rc != 0)
			break;
		(*nresults)++;
	}
	rung_jsonin_close(in);
	return rc;
}

static int
is_cloudpickle(struct json_object *v)
{
	const char	*type;

	/* TuneFunctionEncoder's stand-in for what JSON cannot hold. */
	return (type = jstring(v, "_type")) != NULL &&
	    strcmp(type, "CLOUDPICKLE_FALLBACK") == 0;
}

/*
 * The parameters of a config; nested objects join their names with '/',
 * and a pickle's stand-in has nothing to show.
 */
static void
add_params(struct rctx *c, uint32_t t, struct json_object *obj)
{
	rung_batch_params_json(c->b, t, &c->name, obj, is_cloudpickle);
}

static int
read_folder(struct rctx *c, const char *name)
{
	struct json_object	*params = NULL;
	char			*folder, *path = NULL;
	size_t			 i, n = 0;
	uint64_t		 ev;
	int32_t			 last;
	int			 ret = -1, have_results = 0;

	folder = rung_path_join(c->dir, name);
	c->folder = name;
	c->cur = NULL;
	c->curstate = -1;
	c->rowconfig = NULL;
	for (i = 0; i < c->nst; i++) {
		if (!c->st[i].used && c->st[i].folder != NULL &&
		    strcmp(c->st[i].folder, name) == 0) {
			c->curstate = (int)i;
			break;
		}
	}

	if (is_file_in(folder, "params.json")) {
		path = xprintf("%s/params.json", folder);
		if (read_document(c, path, &params) != 0)
			goto out;
		if (!json_object_is_type(params, json_type_object)) {
			xasprintf(c->cause, "%s: expected an object of "
			    "parameters, got %s", path, rung_json_type_name(params));
			goto out;
		}
		free(path);
		path = NULL;
	}

	if (is_file_in(folder, "result.json")) {
		path = xprintf("%s/result.json", folder);
		c->path = path;
		if (read_results(c, &n) != 0)
			goto out;
		have_results = n > 0;
		free(path);
		path = NULL;
	}
	/*
	 * Without results, the trial's TensorBoard event files (Ray's
	 * TBXLogger, or the trainable's own runs/train and runs/valid).
	 */
	if (!have_results && rung_tensorboard_detect(folder)) {
		rt_need_trial(c, NULL);
		if (rung_tensorboard_trial(c->b, c->cur->t, folder, c->o, &ev,
		    &last, c->cause) != 0)
			goto out;
		c->cur->nrows = ev > UINT32_MAX ? UINT32_MAX : (uint32_t)ev;
		c->cur->last = last;
		have_results = ev > 0;
	}
	/* Ray's progress.csv lacks what was first reported later. */
	if (!have_results && is_file_in(folder, "progress.csv")) {
		path = xprintf("%s/progress.csv", folder);
		c->path = path;
		if (rt_read_progress(c, &n) != 0)
			goto out;
	}

	rt_need_trial(c, NULL);
	c->cur->has_error = is_file_in(folder, "error.txt");
	name_set(&c->name, 0);
	if (params != NULL)
		add_params(c, c->cur->t, params);
	else if (c->curstate >= 0 && c->st[c->curstate].config != NULL)
		add_params(c, c->cur->t, c->st[c->curstate].config);
	else if (c->rowconfig != NULL)
		add_params(c, c->cur->t, c->rowconfig);
	ret = 0;
out:
	json_object_put(params);
	json_object_put(c->rowconfig);
	c->rowconfig = NULL;
	free(path);
	free(folder);
	c->path = NULL;
	return ret;
}

/* A trial that ended: complete, unless Tune cut it short. */
static enum rung_status
ended(const struct rtrial *r, int32_t longest)
{
	if (r->nrows > 0 && r->done == 1 && r->last < longest)
		return RUNG_STOPPED;
	return RUNG_COMPLETE;
}

static void
set_statuses(struct rctx *c)
{
	struct rtrial		*r;
	const char		*word;
	enum rung_status	 s;
	int32_t			 longest = INT32_MIN;
	size_t			 i;

	for (i = 0; i < c->ntr; i++) {
		if (c->tr[i].nrows > 0 && c->tr[i].last > longest)
			longest = c->tr[i].last;
	}
	for (i = 0; i < c->ntr; i++) {
		r = &c->tr[i];
		word = r->state >= 0 ? c->st[r->state].status : NULL;
		if (word != NULL && strcmp(word, "TERMINATED") == 0)
			s = ended(r, longest);
		else if (word != NULL && strcmp(word, "ERROR") == 0)
			s = RUNG_FAILED;
		else if (word != NULL && (strcmp(word, "RUNNING") == 0 ||
		    strcmp(word, "PENDING") == 0))
			s = RUNG_RUNNING;
		else if (word != NULL && strcmp(word, "PAUSED") == 0)
			s = RUNG_STOPPED;
		else {
			if (word != NULL)
				rung_warn("%s: trial '%s': unknown status "
				    "'%s': judged from its folder",
				    c->statepath, c->st[r->state].id, word);
			if (r->has_error)
				s = RUNG_FAILED;
			else if (r->nrows == 0)
				s = RUNG_STOPPED;
			else
				s = ended(r, longest);
		}
		rung_batch_set_status(c->b, r->t, s);
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
rung_import_raytune(struct rung_batch *b, const char *dir,
    const struct rung_import_opts *o, char **cause)
{
	static const struct rung_import_opts none;
	struct rctx	 c;
	struct rtrial	*r;
	struct rung_progress pg;
	struct stat	 sb;
	DIR		*d;
	struct dirent	*de;
	char		**folders = NULL, *path, *newest = NULL;
	size_t		 nfolders = 0, cap = 0, i;
	int		 ret = -1, rc;

	memset(&c, 0, sizeof c);
	c.b = b;
	c.o = o != NULL ? o : &none;
	c.dir = dir;
	c.cause = cause;
	c.xkey = c.o->x_key != NULL ? c.o->x_key : "training_iteration";

	if ((d = opendir(dir)) == NULL) {
		xasprintf(cause, "cannot open '%s': %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = rung_path_join(dir, de->d_name);
		if (stat(path, &sb) == 0) {
			if (S_ISREG(sb.st_mode) && is_state_name(de->d_name)) {
				/* The date in the name orders them. */
				if (newest == NULL ||
				    strcmp(de->d_name, newest) > 0) {
					free(newest);
					newest = xstrdup(de->d_name);
				}
			} else if (S_ISDIR(sb.st_mode) &&
			    is_trial_folder(path, 0)) {
				XGROW(folders, cap, nfolders + 1);
				folders[nfolders++] = xstrdup(de->d_name);
			}
		}
		free(path);
	}
	closedir(d);
	if (nfolders == 0) {
		xasprintf(cause, "%s: no trial folder found (a folder with "
		    "params.json and result.json or progress.csv)", dir);
		goto out;
	}
	qsort(folders, nfolders, sizeof *folders, cmp_str);

	if ((c.tok = json_tokener_new()) == NULL) {
		xasprintf(cause, "%s: out of memory", dir);
		goto out;
	}
	if (newest != NULL) {
		c.statepath = rung_path_join(dir, newest);
		if (read_state(&c) != 0)
			goto out;
	}
	/* A folder at a time: an experiment is many small files. */
	if (c.o->progress)
		rung_progress_start(&pg, dir, nfolders);
	for (i = 0; i < nfolders; i++) {
		rc = read_folder(&c, folders[i]);
		if (c.o->progress)
			rung_progress_update(&pg, i + 1);
		if (rc != 0)
			break;
	}
	if (c.o->progress)
		rung_progress_end(&pg);
	if (i < nfolders)
		goto out;
	/* Trials of the state without a folder: never started, say. */
	for (i = 0; i < c.nst; i++) {
		if (c.st[i].used)
			continue;
		XGROW(c.tr, c.trcap, c.ntr + 1);
		r = &c.tr[c.ntr++];
		memset(r, 0, sizeof *r);
		r->t = rung_batch_trial(b, c.st[i].id);
		r->state = (int)i;
		r->done = -1;
		if (c.st[i].config != NULL) {
			name_set(&c.name, 0);
			add_params(&c, r->t, c.st[i].config);
		}
	}
	set_statuses(&c);
	ret = 0;
out:
	if (c.tok != NULL)
		json_tokener_free(c.tok);
	for (i = 0; i < nfolders; i++)
		free(folders[i]);
	free(folders);
	free(newest);
	free(c.statepath);
	for (i = 0; i < c.nst; i++) {
		free(c.st[i].id);
		free(c.st[i].status);
		free(c.st[i].folder);
		json_object_put(c.st[i].config);
	}
	free(c.st);
	free(c.tr);
	for (i = 0; i < c.nm; i++)
		free(c.mname[i]);
	free(c.mname);
	free(c.mcol);
	rung_buf_release(&c.name);
	return ret;
}
