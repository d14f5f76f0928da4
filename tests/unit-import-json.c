/*
 * The JSON importer against real files (TaskSet, NAS-Bench-NLP, NMTLC
 * subsets) and hand-written ones. Expected values come from a second,
 * independent reading of each fixture: json-c finds the arrays, but every
 * number is converted again from the text the file holds (strtod), so a
 * conversion slip in the importer cannot hide behind the same slip here.
 * A few values are spelled out as Python reads them.
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <zlib.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/jsonin.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "tap.h"

static const char	*datadir;
static struct rung_buf	 warnings;

static void
collect(int is_error, const char *msg)
{
	rung_buf_printf(&warnings, "%s%s\n", is_error ? "error: " : "", msg);
}

static char *
fixture(const char *name)
{
	return xprintf("%s/json/%s", datadir, name);
}

/* Import fixtures into a new batch and finish it; NULL with *cause. */
static struct rung_batch *
load(const char *const *names, size_t n, int lines,
    const struct rung_import_opts *o, char **cause)
{
	struct rung_batch	*b = rung_batch_new();
	char			*path;
	size_t			 i;
	int			 rc = 0;

	*cause = NULL;
	for (i = 0; i < n && rc == 0; i++) {
		path = fixture(names[i]);
		rung_batch_source(b, path, lines ? "jsonl" : "json", "x", 0);
		rc = rung_import_json(b, path, lines, o, cause);
		free(path);
	}
	if (rc == 0)
		rc = rung_batch_finish(b, o, cause);
	if (rc != 0) {
		rung_batch_free(b);
		return NULL;
	}
	return b;
}

static struct rung_batch *
load1(const char *name, int lines, const struct rung_import_opts *o)
{
	struct rung_batch	*b;
	char			*cause;

	b = load(&name, 1, lines, o, &cause);
	if (!ok(b != NULL, "%s imports", name))
		printf("#   %s\n", cause);
	free(cause);
	return b;
}

static int
find_trial(const struct rung_batch *b, const char *id)
{
	uint32_t	 t;

	for (t = 0; t < rung_batch_ntrials(b); t++) {
		if (strcmp(rung_batch_trial_id(b, t), id) == 0)
			return (int)t;
	}
	return -1;
}

static int
find_metric(const struct rung_batch *b, const char *name)
{
	struct rung_batch_view	 v;
	uint32_t		 m;

	rung_batch_view(b, &v);
	for (m = 0; m < v.nmetrics; m++) {
		if (strcmp(rung_batch_metric_name(b, m), name) == 0)
			return (int)m;
	}
	return -1;
}

static int
find_param(const struct rung_batch *b, const char *name)
{
	struct rung_batch_view	 v;
	uint32_t		 p;

	rung_batch_view(b, &v);
	for (p = 0; p < v.nparams; p++) {
		if (strcmp(rung_batch_param_name(b, p), name) == 0)
			return (int)p;
	}
	return -1;
}

static struct json_object *
parse_fixture(const char *name)
{
	struct json_object	*o;
	char			*path = fixture(name);

	o = json_object_from_file(path);
	free(path);
	return o;
}

/* A number from the text the file holds: "NaN", "Infinity" included. */
static double
num(struct json_object *x)
{
	const char	*s;

	s = json_object_to_json_string_ext(x, JSON_C_TO_STRING_PLAIN);
	return strtod(s, NULL);
}

static int
same(double a, double b)
{
	return a == b || (isnan(a) && isnan(b));
}

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object	*v;

	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static uint64_t	 compared;

/*
 * The points of a metric of a trial against an array of the file: null
 * elements missing, the others at step first + index, in order.
 */
static int
same_curve(struct rung_batch *b, int t, int m, struct json_object *arr,
    int32_t first)
{
	const int32_t		*steps;
	const double		*vals;
	struct json_object	*x;
	uint32_t		 n = 0, k = 0;
	size_t			 i, len;

	if (t < 0)
		return 0;
	if (m >= 0) {
		n = rung_batch_curve(b, (uint32_t)t, (uint32_t)m, &steps,
		    &vals);
	}
	len = arr != NULL ? json_object_array_length(arr) : 0;
	for (i = 0; i < len; i++) {
		if ((x = json_object_array_get_idx(arr, i)) == NULL)
			continue;
		if (k >= n || steps[k] != first + (int32_t)i ||
		    !same(vals[k], num(x)))
			return 0;
		k++;
	}
	compared += k;
	return k == n;
}

static int
same_times(struct rung_batch *b, int t, struct json_object *arr)
{
	const int32_t	*steps;
	const double	*secs;
	uint32_t	 n, i;

	if (t < 0)
		return 0;
	n = rung_batch_times(b, (uint32_t)t, &steps, &secs);
	if (n != json_object_array_length(arr))
		return 0;
	for (i = 0; i < n; i++) {
		if (steps[i] != (int32_t)i + 1 ||
		    !same(secs[i], num(json_object_array_get_idx(arr, i))))
			return 0;
	}
	return 1;
}

/* A parameter of a trial against the value the file writes. */
static int
same_param(const struct rung_batch *b, int t, const char *name,
    struct json_object *x)
{
	struct rung_batch_value	 v;
	int			 p;

	if (t < 0 || (p = find_param(b, name)) < 0)
		return 0;
	rung_batch_trial_param(b, (uint32_t)t, (uint32_t)p, &v);
	if (!v.set)
		return 0;
	switch (json_object_get_type(x)) {
	case json_type_int:
		return v.type == RUNG_PINT &&
		    v.i == json_object_get_int64(x);
	case json_type_double:
		return v.type == RUNG_PREAL && same(v.d, num(x));
	case json_type_string:
		return v.type == RUNG_PCAT &&
		    strcmp(v.text, json_object_get_string(x)) == 0;
	case json_type_boolean:
		return v.type == RUNG_PCAT && strcmp(v.text,
		    json_object_get_boolean(x) ? "true" : "false") == 0;
	default:
		return 0;
	}
}

static int
same_params(const struct rung_batch *b, int t, struct json_object *obj)
{
	struct lh_entry	*e;

	for (e = lh_table_head(json_object_get_object(obj)); e != NULL;
	    e = lh_entry_next(e)) {
		if (!same_param(b, t, lh_entry_k(e), lh_entry_v(e))) {
			printf("#   parameter '%s' differs\n",
			    (const char *)lh_entry_k(e));
			return 0;
		}
	}
	return 1;
}

static void
test_taskset(void)
{
	static const char *curves[] = { "train.loss", "valid.loss",
	    "test.loss" };
	static const char *tops[] = { "train", "valid", "test" };
	struct rung_import_opts	 o;
	struct rung_batch	*b;
	struct rung_batch_view	 v;
	struct json_object	*doc, *tr, *arr;
	const int32_t		*steps;
	const double		*vals;
	char			 id[32];
	size_t			 i, k, nan_curves = 0, nan_points = 0;
	uint32_t		 n, j;
	int			 t, all = 1, params = 1, m;

	rung_import_opts_init(&o);
	if ((b = load1("taskset-irnn64-head.json", 0, &o)) == NULL)
		return;
	rung_batch_view(b, &v);
	is_int(v.ntrials, 20, "taskset: 20 trials");
	is_int(v.nmetrics, 3, "taskset: train, valid and test loss");
	is_int(v.nparams, 8, "taskset: the 8 hyperparameters of hp");
	is_int(v.npoints, 20 * 3 * 51, "taskset: every point, NaN included");
	is_str(v.metric, "valid.loss", "taskset: valid.loss is of interest");
	is_int(v.direction, RUNG_MIN, "taskset: loss goes down");
	ok(!v.has_time, "taskset: no time");

	doc = parse_fixture("taskset-irnn64-head.json");
	compared = 0;
	for (i = 0; i < json_object_array_length(doc); i++) {
		tr = json_object_array_get_idx(doc, i);
		snprintf(id, sizeof id, "%zu", i);
		t = find_trial(b, id);
		for (k = 0; k < 3; k++) {
			arr = get(get(tr, tops[k]), "loss");
			if (!same_curve(b, t, find_metric(b, curves[k]), arr,
			    1)) {
				printf("#   trial %zu %s differs\n", i,
				    curves[k]);
				all = 0;
			}
		}
		if (!same_params(b, t, get(tr, "hp")))
			params = 0;
	}
	ok(all, "taskset: every point as the file writes it");
	is_int(compared, 20 * 3 * 51, "taskset: all points compared");
	ok(params, "taskset: every hyperparameter, real");

	/* Diverged curves: NaN kept as values, as Python reads them. */
	m = find_metric(b, "valid.loss");
	for (i = 0; i < 20; i++) {
		snprintf(id, sizeof id, "%zu", i);
		n = rung_batch_curve(b, (uint32_t)find_trial(b, id),
		    (uint32_t)m, &steps, &vals);
		for (j = 0, k = 0; j < n; j++)
			k += isnan(vals[j]) != 0;
		nan_curves += k > 0;
		if (i == 10)
			nan_points = k;
	}
	is_int(nan_curves, 6, "taskset: 6 diverged valid curves "
	    "(trials 4 6 8 10 15 18)");
	is_int(nan_points, 27, "taskset: trial 10 diverges at step 25");
	n = rung_batch_curve(b, (uint32_t)find_trial(b, "0"), (uint32_t)m,
	    &steps, &vals);
	is_int(n, 51, "taskset: 51 points");
	is_int(steps[0], 1, "taskset: default first step is 1");
	is_dbl(vals[0], 2.385217213630676, "taskset: trial 0 first value");
	is_dbl(vals[50], 0.5707459330558777, "taskset: trial 0 last value");
	n = rung_batch_curve(b, (uint32_t)find_trial(b, "10"), (uint32_t)m,
	    &steps, &vals);
	is_dbl(vals[0], 2.6302552461624145, "taskset: trial 10 first value");
	ok(isnan(vals[50]), "taskset: trial 10 ends in NaN");
	json_object_put(doc);
	rung_batch_free(b);

	/* --first-step 0: the untrained model is step 0. */
	o.first_step_set = 1;
	o.first_step = 0;
	if ((b = load1("taskset-irnn64-head.json", 0, &o)) == NULL)
		return;
	n = rung_batch_curve(b, (uint32_t)find_trial(b, "3"),
	    (uint32_t)find_metric(b, "valid.loss"), &steps, &vals);
	ok(n == 51 && steps[0] == 0 && steps[50] == 50,
	    "taskset: --first-step 0 gives steps 0..50");
	rung_batch_free(b);
}

static void
test_nasbench(void)
{
	/* Sorted, as a shell glob gives them. */
	static const char *files[] = {
		"log_stats_model_1005139_2020-05-06_09-25-33_999992862.json",
		"log_stats_model_1007257_2020-05-05_16-57-23_999958405.json",
		"log_stats_model_1009182_2020-05-05_22-47-26_999929401.json",
		"log_stats_model_1010803_2020-05-05_17-42-18_999992862.json",
		"log_stats_model_1012124_2020-05-05_22-12-38_999931177.json",
	};
	static const char *ids[] = {
		"999992862", "999958405", "999929401",
		"log_stats_model_1010803_2020-05-05_17-42-18_999992862",
		"999931177",
	};
	static const char *curves[] = { "train_losses", "val_losses",
	    "test_losses" };
	struct rung_import_opts	 o;
	struct rung_batch	*b;
	struct rung_batch_view	 v;
	struct json_object	*doc;
	struct lh_entry		*e;
	const char		*names[5], *key;
	char			*cause, *name;
	const int32_t		*steps;
	const double		*vals;
	size_t			 i, k;
	uint32_t		 n;
	int			 t, all = 1, times = 1, params = 1, status = 1;
	int			 nparams;

	for (i = 0; i < 5; i++)
		names[i] = xprintf("nasbench-nlp/%s", files[i]);
	rung_import_opts_init(&o);
	rung_buf_release(&warnings);
	b = load(names, 5, 0, &o, &cause);
	if (!ok(b != NULL, "nasbench: 5 runs import")) {
		printf("#   %s\n", cause);
		free(cause);
		goto out;
	}
	rung_batch_view(b, &v);
	is_int(v.ntrials, 5, "nasbench: 5 trials, none merged");
	ok(warnings.len > 0 && strstr(warnings.data, files[3]) != NULL &&
	    strstr(warnings.data, "'999992862'") != NULL &&
	    strstr(warnings.data, "experiment_id") != NULL,
	    "nasbench: the shared experiment_id is reported with the file");
	is_str(v.metric, "val_losses", "nasbench: val_losses is of interest");
	ok(v.has_time, "nasbench: wall_times read");
	is_int(v.nmetrics, 3, "nasbench: train, val and test losses");
	ok(find_metric(b, "wall_times") < 0, "nasbench: time is no metric");

	compared = 0;
	for (i = 0; i < 5; i++) {
		name = fixture(names[i]);
		doc = json_object_from_file(name);
		free(name);
		t = find_trial(b, ids[i]);
		for (k = 0; k < 3; k++) {
			if (!same_curve(b, t, find_metric(b, curves[k]),
			    get(doc, curves[k]), 1))
				all = 0;
		}
		if (!same_times(b, t, get(doc, "wall_times")))
			times = 0;
		/* "OK" is complete; "loss is nan!" is no status word. */
		if (t < 0 || rung_batch_trial_status(b, (uint32_t)t) !=
		    RUNG_COMPLETE)
			status = 0;
		nparams = 0;
		for (e = lh_table_head(json_object_get_object(doc)); e != NULL;
		    e = lh_entry_next(e)) {
			key = lh_entry_k(e);
			if (strcmp(key, "experiment_id") == 0 ||
			    strcmp(key, "status") == 0 ||
			    json_object_is_type(lh_entry_v(e), json_type_array))
				continue;
			nparams++;
			if (!same_param(b, t, key, lh_entry_v(e))) {
				printf("#   %s: parameter %s\n", ids[i], key);
				params = 0;
			}
		}
		if (nparams != (int)v.nparams)
			params = 0;
		json_object_put(doc);
	}
	ok(all, "nasbench: every loss as the files write them");
	is_int(compared, 3 * (50 + 19 + 1 + 50 + 50),
	    "nasbench: all points compared");
	ok(times, "nasbench: wall_times are seconds per epoch");
	ok(status, "nasbench: statuses");
	ok(params, "nasbench: top-level scalars are the parameters, typed");
	is_int(v.nparams, 27, "nasbench: 27 parameters");
	ok(find_param(b, "experiment_id") < 0 && find_param(b, "status") < 0,
	    "nasbench: the id and status fields are no parameters");
	is_int(rung_batch_param_type(b, (uint32_t)find_param(b, "cuda")),
	    RUNG_PCAT, "nasbench: a boolean is text");

	n = rung_batch_curve(b, (uint32_t)find_trial(b, "999929401"),
	    (uint32_t)find_metric(b, "val_losses"), &steps, &vals);
	ok(n == 1 && isnan(vals[0]), "nasbench: a run diverged at epoch 1");
	n = rung_batch_curve(b, (uint32_t)find_trial(b, "999931177"),
	    (uint32_t)find_metric(b, "val_losses"), &steps, &vals);
	ok(n == 50 && steps[49] == 50 && vals[49] == 5.30454299029182,
	    "nasbench: last value of a complete run");
	n = rung_batch_times(b, (uint32_t)find_trial(b, "999931177"), &steps,
	    &vals);
	ok(n == 50 && vals[0] == 509.53058314323425,
	    "nasbench: seconds of the first epoch");
	rung_batch_free(b);

	/* A curve the user names must be there. */
	o.j_curve = "val_loss";
	b = load(&names[0], 1, 0, &o, &cause);
	name = xprintf("%s/json/%s: field 'val_loss' not found", datadir,
	    names[0]);
	ok(b == NULL, "nasbench: a missing --curve fails");
	is_str(cause, name, "nasbench: the message names file and field");
	free(name);
	free(cause);
	rung_batch_free(b);

out:
	for (i = 0; i < 5; i++)
		free((char *)names[i]);
}

static void
test_nmtlc(void)
{
	struct rung_import_opts	 o;
	struct rung_batch	*b;
	struct rung_batch_view	 v;
	struct json_object	*doc, *tr;
	const int32_t		*steps;
	const double		*vals;
	char			 id[32];
	size_t			 i;
	uint32_t		 n;
	int			 t, all = 1, params = 1, bleu = 0;

	rung_import_opts_init(&o);
	if ((b = load1("nmtlc-subset.json", 0, &o)) == NULL)
		return;
	rung_batch_view(b, &v);
	is_int(v.ntrials, 20, "nmtlc: 20 trials");
	is_int(v.nmetrics, 2, "nmtlc: perplexity and BLEU curves");
	is_str(v.metric, "perplexity_curve", "nmtlc: perplexity of interest");
	is_int(v.nparams, 8, "nmtlc: the 8 hyperparams");
	ok(find_param(b, "dataset_name") < 0 &&
	    find_param(b, "perplexity_optimal") < 0,
	    "nmtlc: top-level fields are no parameters beside hyperparams");

	doc = parse_fixture("nmtlc-subset.json");
	compared = 0;
	for (i = 0; i < json_object_array_length(doc); i++) {
		tr = json_object_array_get_idx(doc, i);
		snprintf(id, sizeof id, "%zu", i);
		t = find_trial(b, id);
		if (!same_curve(b, t, find_metric(b, "perplexity_curve"),
		    get(tr, "perplexity_curve"), 1))
			all = 0;
		if (get(tr, "bleu_curve") != NULL)
			bleu++;
		if (!same_curve(b, t, find_metric(b, "bleu_curve"),
		    get(tr, "bleu_curve"), 1))
			all = 0;
		if (!same_params(b, t, get(tr, "hyperparams")))
			params = 0;
	}
	ok(all, "nmtlc: curves of every length as the file writes them");
	is_int(bleu, 5, "nmtlc: 5 records with a BLEU curve");
	is_int(compared, v.npoints, "nmtlc: all points compared");
	ok(params, "nmtlc: hyperparams typed as written");
	is_int(rung_batch_param_type(b, (uint32_t)find_param(b, "bpe")),
	    RUNG_PINT, "nmtlc: an int column");
	is_int(rung_batch_param_type(b, (uint32_t)find_param(b, "initial_lr")),
	    RUNG_PREAL, "nmtlc: a real column");
	n = rung_batch_curve(b, (uint32_t)find_trial(b, "15"),
	    (uint32_t)find_metric(b, "perplexity_curve"), &steps, &vals);
	ok(n == 18 && vals[0] == 4.944881439208984,
	    "nmtlc: record 15 as Python reads it");
	n = rung_batch_curve(b, (uint32_t)find_trial(b, "15"),
	    (uint32_t)find_metric(b, "bleu_curve"), &steps, &vals);
	ok(n == 18 && vals[17] == 0.77, "nmtlc: its BLEU curve");
	json_object_put(doc);
	rung_batch_free(b);
}

/* One expected curve of mytrials.jsonl. */
static int
curve_is(struct rung_batch *b, const char *id, const char *metric,
    uint32_t want_n, const int32_t *want_steps, const double *want_vals)
{
	const int32_t	*steps;
	const double	*vals;
	uint32_t	 n, i;
	int		 t, m;

	if ((t = find_trial(b, id)) < 0 || (m = find_metric(b, metric)) < 0)
		return 0;
	n = rung_batch_curve(b, (uint32_t)t, (uint32_t)m, &steps, &vals);
	if (n != want_n)
		return 0;
	for (i = 0; i < n; i++) {
		if (steps[i] != want_steps[i] || !same(vals[i], want_vals[i]))
			return 0;
	}
	return 1;
}

static void
check_mytrials(struct rung_batch *b, const char *what)
{
	static const int32_t s_a_loss[] = { 0, 4, 6 }, s_a_acc[] = { 0, 2, 6 };
	static const double v_a_loss[] = { 1.5, 0.75, 0.5 };
	static const double v_a_acc[] = { 0.1, 0.2, INFINITY };
	static const int32_t s_b[] = { 0, 2 }, s_7[] = { 1, 2 }, s_d[] = { 0 };
	static const double v_b_loss[] = { 2.0, -INFINITY };
	static const double v_b_acc[] = { NAN, 0.3 };
	static const double v_7_loss[] = { 0.9, 0.8 };
	static const double v_d_loss[] = { NAN }, v_d_acc[] = { 0.0 };
	static const int32_t s_secs[] = { 0, 2, 4, 6 };
	static const double v_secs[] = { 1.0, 1.5, 1.5, 1.5 };
	struct rung_batch_view	 v;
	struct rung_batch_value	 pv;
	const int32_t		*steps;
	const double		*secs;
	uint32_t		 n, i;
	int			 t, p, good;

	rung_batch_view(b, &v);
	is_int(v.ntrials, 4, "%s: 4 trials, blank lines skipped", what);
	is_int(v.nmetrics, 2, "%s: loss and acc; steps and time are not "
	    "metrics", what);
	is_int(v.npoints, 14, "%s: 14 points, nulls missing", what);
	ok(find_trial(b, "7") >= 0, "%s: a numeric id", what);
	ok(curve_is(b, "a", "metrics.loss", 3, s_a_loss, v_a_loss),
	    "%s: null is a missing point, steps from the steps array", what);
	ok(curve_is(b, "a", "metrics.acc", 3, s_a_acc, v_a_acc),
	    "%s: Infinity kept", what);
	ok(curve_is(b, "b", "metrics.loss", 2, s_b, v_b_loss),
	    "%s: -Infinity kept", what);
	ok(curve_is(b, "b", "metrics.acc", 2, s_b, v_b_acc),
	    "%s: NaN kept", what);
	ok(curve_is(b, "7", "metrics.loss", 2, s_7, v_7_loss),
	    "%s: trailing null", what);
	ok(curve_is(b, "7", "metrics.acc", 0, NULL, NULL),
	    "%s: an empty array has no points", what);
	ok(curve_is(b, "d", "metrics.loss", 1, s_d, v_d_loss) &&
	    curve_is(b, "d", "metrics.acc", 1, s_d, v_d_acc),
	    "%s: one-point curves", what);

	is_int(rung_batch_trial_status(b, (uint32_t)find_trial(b, "a")),
	    RUNG_COMPLETE, "%s: COMPLETE", what);
	is_int(rung_batch_trial_status(b, (uint32_t)find_trial(b, "b")),
	    RUNG_STOPPED, "%s: pruned is stopped", what);
	is_int(rung_batch_trial_status(b, (uint32_t)find_trial(b, "7")),
	    RUNG_RUNNING, "%s: running", what);
	is_int(rung_batch_trial_status(b, (uint32_t)find_trial(b, "d")),
	    RUNG_COMPLETE, "%s: an unknown detected status is ignored", what);

	/* time_steps counts from the start: seconds per step are diffs. */
	ok(v.has_time, "%s: time read", what);
	n = rung_batch_times(b, (uint32_t)find_trial(b, "a"), &steps, &secs);
	good = n == 4;
	for (i = 0; good && i < n; i++)
		good = steps[i] == s_secs[i] && secs[i] == v_secs[i];
	ok(good, "%s: time_steps is cumulative", what);

	t = find_trial(b, "a");
	is_int(v.nparams, 6, "%s: 6 parameters (null makes none)", what);
	ok(find_param(b, "note") < 0, "%s: null is unset", what);
	p = find_param(b, "lr");
	rung_batch_trial_param(b, (uint32_t)t, (uint32_t)p, &pv);
	ok(pv.set && pv.type == RUNG_PREAL && pv.d == 0.01, "%s: lr", what);
	p = find_param(b, "opt/name");
	rung_batch_trial_param(b, (uint32_t)t, (uint32_t)p, &pv);
	ok(p >= 0 && pv.set && pv.type == RUNG_PCAT &&
	    strcmp(pv.text, "adam") == 0, "%s: nested names join with /",
	    what);
	p = find_param(b, "opt/beta1");
	ok(p >= 0 && rung_batch_param_type(b, (uint32_t)p) == RUNG_PREAL,
	    "%s: 0 among reals makes a real column", what);
	rung_batch_trial_param(b, (uint32_t)find_trial(b, "b"), (uint32_t)p,
	    &pv);
	ok(pv.set && pv.d == 0.0, "%s: the int 0 in it", what);
	p = find_param(b, "layers");
	rung_batch_trial_param(b, (uint32_t)t, (uint32_t)p, &pv);
	ok(p >= 0 && pv.set && pv.type == RUNG_PCAT &&
	    strcmp(pv.text, "[64,32]") == 0, "%s: a list is its JSON", what);
	rung_batch_trial_param(b, (uint32_t)find_trial(b, "7"), (uint32_t)p,
	    &pv);
	ok(!pv.set, "%s: an absent parameter is unset", what);
	p = find_param(b, "bn");
	rung_batch_trial_param(b, (uint32_t)find_trial(b, "b"), (uint32_t)p,
	    &pv);
	ok(p >= 0 && pv.set && strcmp(pv.text, "false") == 0,
	    "%s: a boolean is text", what);
	p = find_param(b, "depth");
	rung_batch_trial_param(b, (uint32_t)t, (uint32_t)p, &pv);
	ok(p >= 0 && pv.set && pv.type == RUNG_PINT && pv.i == 3,
	    "%s: an int", what);
}

static void
test_mytrials(void)
{
	struct rung_import_opts	 o;
	struct rung_batch	*b;
	struct rung_batch_view	 v;

	rung_import_opts_init(&o);
	if ((b = load1("mytrials.jsonl", 1, &o)) != NULL) {
		check_mytrials(b, "jsonl");
		rung_batch_free(b);
	}
	if ((b = load1("mytrials.jsonl.gz", 1, &o)) != NULL) {
		check_mytrials(b, "jsonl.gz");
		rung_batch_free(b);
	}

	/* The same, every field named. */
	o.j_curve = "metrics.loss, metrics.acc";
	o.j_steps = "steps";
	o.j_time = "time_steps";
	o.j_params = "config";
	o.j_id = "trial_id";
	if ((b = load1("mytrials.jsonl", 1, &o)) != NULL) {
		check_mytrials(b, "mapped");
		is_str(rung_batch_metric_name(b, 0), "metrics.loss",
		    "mapped: metrics in the order named");
		rung_batch_free(b);
	}
	o.j_curve = "metrics.acc";
	if ((b = load1("mytrials.jsonl", 1, &o)) != NULL) {
		rung_batch_view(b, &v);
		ok(v.nmetrics == 1 && strcmp(v.metric, "metrics.acc") == 0,
		    "mapped: only the named curve");
		rung_batch_free(b);
	}
}

static void
test_single(void)
{
	static const int32_t steps3[] = { 1, 2, 3 };
	static const double vals3[] = { 0.5, 0.625, 0.75 };
	struct rung_import_opts	 o;
	struct rung_batch	*b;
	struct rung_batch_value	 pv;
	const int32_t		*steps;
	const double		*secs;
	uint32_t		 n;
	int			 p;

	rung_import_opts_init(&o);
	if ((b = load1("single-run.json", 0, &o)) == NULL)
		return;
	is_int(rung_batch_ntrials(b), 1, "single: one trial");
	is_str(rung_batch_trial_id(b, 0), "single-run",
	    "single: no id field: the file's stem");
	ok(curve_is(b, "single-run", "learning_curve", 3, steps3, vals3),
	    "single: learning_curve");
	n = rung_batch_times(b, 0, &steps, &secs);
	ok(n == 3 && secs[0] == 10 && secs[1] == 10.5 && secs[2] == 9.5,
	    "single: cumulative time_steps");
	p = find_param(b, "schedule/warmup");
	rung_batch_trial_param(b, 0, (uint32_t)p, &pv);
	ok(p >= 0 && pv.set && pv.type == RUNG_PINT && pv.i == 5,
	    "single: nested config");
	rung_batch_free(b);
}

/* An import that must fail with exactly this message (or this start). */
static void
expect_error(const char *name, int lines, const struct rung_import_opts *o,
    const char *want, int whole, const char *what)
{
	struct rung_batch	*b;
	char			*cause, *full;

	full = xprintf("%s/json/%s%s", datadir, name, want);
	b = load(&name, 1, lines, o, &cause);
	ok(b == NULL, "%s: fails", what);
	if (whole)
		is_str(cause, full, "%s: message", what);
	else if (!ok(cause != NULL &&
	    strncmp(cause, full, strlen(full)) == 0, "%s: message", what))
		printf("#   got '%s', want '%s...'\n", cause, full);
	rung_batch_free(b);
	free(cause);
	free(full);
}

static void
test_errors(void)
{
	struct rung_import_opts	 o;
	struct rung_batch	*b;
	struct rung_batch_view	 v;

	rung_import_opts_init(&o);
	expect_error("bad-syntax.json", 0, &o, ":3:18: invalid JSON: ", 0,
	    "syntax error");
	expect_error("bad-line.jsonl", 1, &o, ":2:15: invalid JSON: ", 0,
	    "syntax error in JSON Lines");
	expect_error("bad-truncated.json", 0, &o,
	    ":1:16: invalid JSON: unexpected end of input", 1, "cut short");
	expect_error("bad-trailing.json", 0, &o,
	    ":2:1: invalid JSON: unexpected text after the value", 1,
	    "text after the document");
	expect_error("bad-toplevel.json", 0, &o,
	    ": expected a list of trials or a trial object, got a string", 1,
	    "top level");
	expect_error("bad-list-element.json", 0, &o,
	    ": trial 1: expected a trial object, got a number", 1,
	    "list element");
	expect_error("mytrials.jsonl", 0, &o,
	    ":3:1: invalid JSON: unexpected text after the value", 1,
	    "JSON Lines read as one document");

	o.j_curve = "valid.loss";
	expect_error("bad-element.json", 0, &o,
	    ": trial 1: field 'valid.loss' element 2: expected a number, "
	    "got a string", 1, "a string in a curve");
	o.j_curve = "loss";
	expect_error("bad-type.jsonl", 1, &o,
	    ":2: field 'loss': expected an array of numbers, got a string", 1,
	    "a string for a curve");
	o.j_curve = NULL;

	o.j_time = "elapsed";
	expect_error("mytrials.jsonl", 1, &o, ":1: field 'elapsed' not found",
	    1, "a missing --time");
	o.j_time = NULL;
	o.j_status = "status";
	expect_error("mytrials.jsonl", 1, &o,
	    ":6: field 'status': expected a status (complete, completed", 0,
	    "an unknown word in --status-field");
	o.j_status = NULL;
	o.j_params = "metrics.loss";
	expect_error("mytrials.jsonl", 1, &o,
	    ":1: field 'metrics.loss': expected an object of parameters, "
	    "got an array", 1, "--params-field not an object");
	o.j_params = NULL;
	o.j_id = "config";
	expect_error("mytrials.jsonl", 1, &o,
	    ":1: field 'config': expected a string or a number, got an "
	    "object", 1, "--id not a scalar");
	o.j_id = NULL;
	o.j_steps = "metrics.acc";
	expect_error("mytrials.jsonl", 1, &o,
	    ":1: field 'metrics.acc' element 0: expected a whole number, got "
	    "a number that is not one", 1, "--steps not whole numbers");
	o.j_steps = NULL;

	/*
	 * Detected, an array holding a string is no curve, unless an earlier
	 * trial had a curve at that path: then that trial's curve is damaged.
	 */
	expect_error("bad-element.json", 0, &o,
	    ": trial 1: field 'valid.loss' element 2: expected a number, got "
	    "a string", 1, "a damaged curve at a known curve's path");
	if ((b = load1("mytrials.jsonl", 1, &o)) != NULL) {
		rung_batch_view(b, &v);
		ok(rung_batch_find_metric(b, "config.layers") < 0,
		    "an array of numbers inside the parameters is no curve");
		rung_batch_free(b);
	}
}

/* rung_json_parse: JSON held in memory, with the checks of a file. */
static void
parse_fails(const char *s, size_t len, size_t want_off, const char *want,
    const char *what)
{
	struct json_tokener	*tok = json_tokener_new();
	struct json_object	*v = NULL;
	const char		*msg = NULL;
	size_t			 off = 0;
	int			 rc;

	rc = rung_json_parse(tok, s, len, &v, &off, &msg);
	ok(rc == -1, "%s: refused", what);
	if (rc == 0)
		json_object_put(v);
	else {
		is_int(off, want_off, "%s: where", what);
		ok(strstr(msg, want) != NULL, "%s: what ('%s')", what, msg);
	}
	json_tokener_free(tok);
}

static void
test_parse(void)
{
	struct json_tokener	*tok = json_tokener_new();
	struct json_object	*v = NULL, *x;
	const char		*msg;
	size_t			 off;

	ok(rung_json_parse(tok, " [1, NaN, \"\303\251\"] ", 16, &v, &off,
	    &msg) == 0 && json_object_array_length(v) == 3,
	    "a value, blanks around it, NaN and UTF-8");
	json_object_put(v);
	ok(rung_json_parse(tok, "12", 2, &v, &off, &msg) == 0 &&
	    json_object_get_int(v) == 12, "a number at the very end");
	json_object_put(v);
	ok(rung_json_parse(tok, "{\"a\": \"x\\u0001\"}", 16, &v, &off,
	    &msg) == 0 && json_object_object_get_ex(v, "a", &x) &&
	    json_object_get_string_len(x) == 2, "\\u0001 is a character");
	json_object_put(v);
	json_tokener_free(tok);

	parse_fails("{\"a\": \"x\\u0000y\"}", 17, 8, "\\u0000 (a NUL "
	    "character)", "\\u0000 in a string");
	parse_fails("{\"a\\u0000\": 1}", 14, 3, "\\u0000", "\\u0000 in a key");
	parse_fails("[1, 2]\0", 7, 6, "a NUL byte", "a NUL byte");
	parse_fails("[\"\300\257\"]", 5, 2, "text that is not UTF-8",
	    "an overlong form");
	parse_fails("[\"\355\240\200\"]", 6, 2, "text that is not UTF-8",
	    "a surrogate");
	parse_fails("[\"\303\"]", 4, 2, "text that is not UTF-8",
	    "a sequence cut short");
	parse_fails("[1] [2]", 7, 4, "unexpected text after the value",
	    "two values");
	parse_fails("[1, 2", 5, 5, "unexpected end of input", "cut short");
	/* Of two errors, the first in the text is told. */
	parse_fails("[1 2, \"\\u0000\"]", 15, 3, "array value separator",
	    "a syntax error before \\u0000");
	parse_fails("[\"\\u0000\", 1 2]", 15, 2, "\\u0000",
	    "\\u0000 before a syntax error");
}

static const char *const tmpjson = "unit-jsonin.tmp";

static void
write_file(const char *text, size_t len, int gz)
{
	FILE	*f;
	gzFile	 z;

	if (gz) {
		z = gzopen(tmpjson, "wb");
		gzwrite(z, text, (unsigned)len);
		gzclose(z);
	} else {
		f = fopen(tmpjson, "wb");
		fwrite(text, 1, len, f);
		fclose(f);
	}
}

/* Read every value of the file: their lines, "1 3" say, or the error. */
static char *
read_all(int flags, int *last)
{
	struct rung_jsonin	*in;
	struct json_object	*v;
	struct rung_buf		 out = { 0 };
	char			*cause = NULL;
	int			 rc;

	if ((in = rung_jsonin_open(tmpjson, flags, &cause)) == NULL)
		return cause;
	while ((rc = rung_jsonin_next(in, &v, &cause)) > 0) {
		rung_buf_printf(&out, "%s%zu", out.len ? " " : "",
		    rung_jsonin_line(in));
		json_object_put(v);
	}
	if (rc < 0) {
		rung_buf_release(&out);
		rung_buf_addstr(&out, cause);
		free(cause);
		if (last != NULL)
			*last = rung_jsonin_last_line(in);
	}
	rung_jsonin_close(in);
	return rung_buf_cstr(&out);
}

static void
reads(const char *text, size_t len, int flags, const char *want,
    const char *what)
{
	char	*got, *full = NULL;
	int	 gz;

	if (len == 0)
		len = strlen(text);
	/* The same, plain and compressed. */
	for (gz = 0; gz < 2; gz++) {
		write_file(text, len, gz);
		got = read_all(flags, NULL);
		if (strncmp(want, ":", 1) == 0)
			full = xprintf("%s%s", tmpjson, want);
		is_str(got, full != NULL ? full : want, "%s%s", what,
		    gz ? " (gzip)" : "");
		free(got);
		free(full);
		full = NULL;
	}
}

static void
test_reader(void)
{
	const struct rung_jsonin_fault *f;
	struct rung_jsonin	*in;
	struct json_object	*v;
	char			*cause = NULL, *big, *got;
	size_t			 n;
	int			 last = -1;

	reads("{\"a\": 1}\n\n  \r\n[2]\n3", 0, RUNG_JSONIN_LINES, "1 4 5",
	    "JSON Lines: blank lines skipped, the last without a line end");
	reads("\357\273\277{\"a\": 1}\n", 0, RUNG_JSONIN_LINES, "1",
	    "a byte-order mark");
	reads("\357\273\277 [1,\n 2]\n", 0, 0, "1", "a document");
	reads("{\"a\": 1}\n{\"b\": \"x\\u0000\"}\n", 0, RUNG_JSONIN_LINES,
	    ":2:9: a string holding \\u0000 (a NUL character), which rung "
	    "cannot store", "\\u0000 on line 2");
	reads("{\"a\": 1}\n{\"b\": 2\n", 0, RUNG_JSONIN_LINES,
	    ":2:8: invalid JSON: unexpected end of input",
	    "a line ends inside its value");
	reads("{\"a\": 1}\n\n{}\n", 0, RUNG_JSONIN_LINES |
	    RUNG_JSONIN_NOBLANK, ":2: invalid JSON: an empty line",
	    "an empty line where none may be");
	reads("{}\n", 0, RUNG_JSONIN_LINES | RUNG_JSONIN_NOBLANK, "1",
	    "the end of the file after a line end is no empty line");
	reads("[1]\n[2]\n", 0, 0, ":2:1: invalid JSON: unexpected text "
	    "after the value", "JSON Lines read as a document");

	/* A line longer than a chunk, a character across two. */
	n = (1 << 17) + 1000;
	big = xmalloc(n + 16);
	memset(big, 'x', n + 16);
	memcpy(big, "[\"", 2);
	memcpy(big + (1 << 17) - 1, "\303\251", 2);
	memcpy(big + n, "\"]\n[\"\300\"]\n", 9);
	reads(big, n + 9, RUNG_JSONIN_LINES, ":2:3: invalid JSON: text that "
	    "is not UTF-8", "a long line, then a bad one");
	free(big);

	/* The fault, for a caller that words it otherwise. */
	write_file("{}\n{\"a\": 1 2}\n{}\n", 18, 0);
	in = rung_jsonin_open(tmpjson, RUNG_JSONIN_LINES, &cause);
	ok(rung_jsonin_next(in, &v, &cause) == 1, "a value");
	json_object_put(v);
	ok(rung_jsonin_next(in, &v, &cause) == -1, "then an error");
	free(cause);
	f = rung_jsonin_fault(in);
	ok(f != NULL && f->line == 2 && f->col == 9 && f->syntax &&
	    !f->limit, "its line, column and kind");
	ok(!rung_jsonin_last_line(in), "a line follows the bad one");
	rung_jsonin_close(in);

	/* A write in progress: the bad line is the last. */
	write_file("{}\n{\"a\": 1, \"b\0\0\0\0", 18, 0);
	got = read_all(RUNG_JSONIN_LINES, &last);
	ok(strstr(got, ":2:12: a NUL byte") != NULL && last == 1,
	    "a last line cut short is the last");
	free(got);
	write_file("{}\n{\"a\n", 7, 0);
	got = read_all(RUNG_JSONIN_LINES, &last);
	ok(last == 1, "and so is one whose line end is the file's last byte");
	free(got);

	in = rung_jsonin_open("no/such/file.json", 0, &cause);
	ok(in == NULL && strstr(cause, "cannot open 'no/such/file.json'") !=
	    NULL, "a file that is not there");
	free(cause);
	unlink(tmpjson);
}

int
main(void)
{
	if ((datadir = getenv("RUNG_TESTDATA")) == NULL)
		datadir = "tests/data";
	rung_msg_hook = collect;

	test_taskset();
	test_nasbench();
	test_nmtlc();
	test_mytrials();
	test_single();
	test_errors();
	test_parse();
	test_reader();

	rung_buf_release(&warnings);
	return done_testing();
}
