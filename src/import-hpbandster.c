/*
 * HpBandSter (BOHB, Hyperband) results: the directory that its
 * json_result_logger writes, configs.json and results.json, JSON Lines of
 *
 *	configs.json	[config_id, config, config_info]
 *	results.json	[config_id, budget, timestamps, result, exception]
 *
 * config_id is a triple (iteration, 0, index); result is {"loss": ..., "info":
 * {...}}, or null when the worker raised, exception then holding the
 * traceback. HpBandSter runs a configuration again from scratch at each
 * larger budget, so a trial's points at budgets 1, 3 and 9 are three runs,
 * not one curve: rung keeps them as the steps of one trial (what successive
 * halving looks at), and the seconds each took as the time of its step.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/jsonin.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

/* What is known of a trial while results.json is read. */
struct hbtrial {
	int32_t		 last;		/* the largest budget evaluated */
	int		 failed;	/* its evaluation raised */
	int		 seen;		/* a trial of this source */
};

struct hctx {
	struct rung_batch		*b;
	const struct rung_import_opts	*o;
	const char			*path;	/* the file being read */
	size_t				 line;
	char				**cause;
	struct hbtrial			*t;	/* by batch trial */
	size_t				 nt;
	uint32_t			 loss;	/* the metric column */
	int32_t				 top;	/* the largest budget of all */
	char				*prefix;	/* of trial names */
	struct rung_buf			 name;
};

static int
is_file(const char *dir, const char *name)
{
	struct stat	 sb;
	char		*path = rung_path_join(dir, name);
	int		 ok = stat(path, &sb) == 0 && S_ISREG(sb.st_mode);

	free(path);
	return ok;
}

/*
 * A directory of HpBandSter's: configs.json and results.json side by side,
 * and the first line of results.json an array of five (a file of that name
 * may be anything else).
 */
int
rung_hpbandster_detect(const char *dir)
{
	struct rung_jsonin	*in;
	struct json_object	*v = NULL;
	char			*path, *err = NULL;
	int			 ok = 0;

	if (!is_file(dir, "configs.json") || !is_file(dir, "results.json"))
		return 0;
	path = rung_path_join(dir, "results.json");
	if ((in = rung_jsonin_open(path, RUNG_JSONIN_LINES, &err)) != NULL) {
		if (rung_jsonin_next(in, &v, &err) > 0)
			ok = json_object_is_type(v, json_type_array) &&
			    json_object_array_length(v) == 5;
		json_object_put(v);
		rung_jsonin_close(in);
	}
	free(err);
	free(path);
	return ok;
}

int
rung_hpbandster_file(const char *path)
{
	const char	*base = strrchr(path, '/');

	base = base != NULL ? base + 1 : path;
	return strcmp(base, "configs.json") == 0 ||
	    strcmp(base, "results.json") == 0;
}

static int
herr(struct hctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
herr(struct hctx *c, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	xasprintf(c->cause, "%s:%zu: %s", c->path, c->line, msg);
	free(msg);
	return -1;
}

/*
 * The trial of a config_id: [iteration, 0, index] as "0-0-3" (HpBandSter
 * prints the tuple; a name without blanks and brackets is easier to type).
 */
static int
config_trial(struct hctx *c, struct json_object *id, uint32_t *t)
{
	struct json_object	*e;
	struct rung_buf		 s = { 0 };
	size_t			 i, n;

	/* Two BOHB runs imported together both count from [0, 0, 0]. */
	if (c->prefix != NULL)
		rung_buf_printf(&s, "%s:", c->prefix);
	if (!json_object_is_type(id, json_type_array) ||
	    (n = json_object_array_length(id)) == 0 || n > 8)
		return herr(c, "config_id: expected an array of integers such "
		    "as [0, 0, 3], got %s", rung_json_type_name(id));
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(id, i);
		if (!json_object_is_type(e, json_type_int)) {
			rung_buf_release(&s);
			return herr(c, "config_id: element %zu is %s, expected "
			    "an integer", i + 1, rung_json_type_name(e));
		}
		rung_buf_printf(&s, "%s%" PRId64, i > 0 ? "-" : "",
		    json_object_get_int64(e));
	}
	*t = rung_batch_trial(c->b, rung_buf_cstr(&s));
	rung_buf_release(&s);
	if (*t >= c->nt) {
		c->t = xreallocarray(c->t, *t + 1, sizeof *c->t);
		memset(c->t + c->nt, 0, (*t + 1 - c->nt) * sizeof *c->t);
		while (c->nt <= *t)
			c->t[c->nt++].last = INT32_MIN;
	}
	c->t[*t].seen = 1;
	return 0;
}

static int
take_config(struct hctx *c, struct json_object *v)
{
	struct json_object	*cfg;
	uint32_t		 t;

	if (!json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) < 2)
		return herr(c, "expected [config_id, config, config_info], "
		    "got %s", rung_json_type_name(v));
	if (config_trial(c, json_object_array_get_idx(v, 0), &t) != 0)
		return -1;
	cfg = json_object_array_get_idx(v, 1);
	if (!json_object_is_type(cfg, json_type_object))
		return herr(c, "config: expected an object of parameters, got "
		    "%s", rung_json_type_name(cfg));
	/* config_info (model_based_pick) says how BOHB chose, not what. */
	rung_batch_params_json(c->b, t, &c->name, cfg, NULL);
	return 0;
}

/* A budget is a step: a whole number (BOHB's 1.0, 3.0, 9.0). */
static int
budget_step(struct hctx *c, struct json_object *v, int32_t *step)
{
	char	 buf[RUNG_DBL_BUFSZ];
	double	 d;

	if (!rung_json_is_number(v))
		return herr(c, "budget: expected a number, got %s",
		    rung_json_type_name(v));
	d = json_object_get_double(v);
	if (!(d >= 0 && d <= INT32_MAX) || d != floor(d))
		return herr(c, "budget %s: rung's steps are whole numbers from "
		    "0 to %d (a fractional budget cannot be a step)",
		    rung_fmt_double(d, 0, buf), INT32_MAX);
	*step = (int32_t)d;
	return 0;
}

/* A number of result.info as a metric, or a parameter when constant. */
static void
take_info(struct hctx *c, uint32_t row, struct json_object *info)
{
	char	 buf[RUNG_DBL_BUFSZ];
	uint32_t m;

	json_object_object_foreach(info, key, val) {
		if (!rung_json_is_number(val) ||
		    strcmp(key, "loss") == 0)
			continue;
		/*
		 * A candidate: "number of parameters" is the same at every
		 * budget and becomes a parameter; accuracies vary and stay
		 * metrics.
		 */
		m = rung_batch_candidate(c->b, key);
		if (json_object_is_type(val, json_type_int))
			snprintf(buf, sizeof buf, "%" PRId64,
			    json_object_get_int64(val));
		else
			rung_fmt_double(json_object_get_double(val), 0, buf);
		rung_batch_cell(c->b, row, m, buf, strlen(buf));
	}
}

static int
take_result(struct hctx *c, struct json_object *v)
{
	struct json_object	*ts, *res, *exc, *loss, *info, *a, *z;
	uint32_t		 t, row;
	int32_t			 step = 0;

	if (!json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) != 5)
		return herr(c, "expected [config_id, budget, timestamps, "
		    "result, exception], got %s", rung_json_type_name(v));
	if (config_trial(c, json_object_array_get_idx(v, 0), &t) != 0 ||
	    budget_step(c, json_object_array_get_idx(v, 1), &step) != 0)
		return -1;
	ts = json_object_array_get_idx(v, 2);
	res = json_object_array_get_idx(v, 3);
	exc = json_object_array_get_idx(v, 4);
	if (res != NULL && !json_object_is_type(res, json_type_object))
		return herr(c, "result: expected an object or null, got %s",
		    rung_json_type_name(res));

	row = rung_batch_record(c->b, t, step);
	if (step >= c->t[t].last) {
		c->t[t].last = step;
		c->t[t].failed = exc != NULL || res == NULL;
	}
	if (step > c->top)
		c->top = step;
	/* The seconds of this run: each budget is trained from scratch. */
	if (json_object_is_type(ts, json_type_object) &&
	    json_object_object_get_ex(ts, "started", &a) &&
	    json_object_object_get_ex(ts, "finished", &z) &&
	    rung_json_is_number(a) && rung_json_is_number(z))
		rung_batch_set_time(c->b, row, json_object_get_double(z) -
		    json_object_get_double(a));
	if (res == NULL)
		return 0;
	if (json_object_object_get_ex(res, "loss", &loss) && loss != NULL) {
		if (!rung_json_is_number(loss))
			return herr(c, "result.loss: expected a number, got "
			    "%s", rung_json_type_name(loss));
		rung_batch_set(c->b, row, c->loss,
		    json_object_get_double(loss));
	}
	if (json_object_object_get_ex(res, "info", &info) &&
	    json_object_is_type(info, json_type_object))
		take_info(c, row, info);
	return 0;
}

static int
read_lines(struct hctx *c, const char *dir, const char *file,
    int (*take)(struct hctx *, struct json_object *))
{
	struct rung_jsonin	*in;
	struct json_object	*v;
	char			*path = rung_path_join(dir, file);
	int			 rc;

	c->path = path;
	if ((in = rung_jsonin_open(path, RUNG_JSONIN_LINES |
	    (c->o->progress ? RUNG_JSONIN_PROGRESS : 0), c->cause)) == NULL) {
		free(path);
		return -1;
	}
	while ((rc = rung_jsonin_next(in, &v, c->cause)) > 0) {
		c->line = rung_jsonin_line(in);
		rc = take(c, v);
		json_object_put(v);
		if (rc != 0)
			break;
	}
	rung_jsonin_close(in);
	free(path);
	c->path = NULL;
	return rc;
}

int
rung_import_hpbandster(struct rung_batch *b, const char *dir,
    const struct rung_import_opts *o, char **cause)
{
	struct hctx	 c;
	uint32_t	 t;
	int		 ret = -1;

	memset(&c, 0, sizeof c);
	c.b = b;
	c.o = o;
	c.cause = cause;
	c.top = INT32_MIN;
	if (o->multi_file)
		c.prefix = rung_stem(dir);
	c.loss = rung_batch_metric(b, "loss");
	/* HpBandSter minimises loss, whatever it stands for. */
	rung_batch_metric_direction(b, c.loss, RUNG_MIN);
	rung_batch_interest(b, "loss", RUNG_MIN);
	rung_batch_time_kind(b, RUNG_TIME_STEP, "timestamps");

	if (read_lines(&c, dir, "configs.json", take_config) != 0 ||
	    read_lines(&c, dir, "results.json", take_result) != 0)
		goto out;
	/*
	 * A configuration evaluated at the largest budget completed; one that
	 * successive halving left at a smaller budget was stopped; one whose
	 * last evaluation raised failed; one sampled but never evaluated was
	 * running when the logs ended.
	 */
	for (t = 0; t < c.nt; t++) {
		if (!c.t[t].seen)
			continue;
		if (c.t[t].last == INT32_MIN)
			rung_batch_set_status(b, t, RUNG_RUNNING);
		else if (c.t[t].failed)
			rung_batch_set_status(b, t, RUNG_FAILED);
		else if (c.t[t].last < c.top)
			rung_batch_set_status(b, t, RUNG_STOPPED);
		else
			rung_batch_set_status(b, t, RUNG_COMPLETE);
	}
	ret = 0;
out:
	free(c.t);
	free(c.prefix);
	rung_buf_release(&c.name);
	return ret;
}
