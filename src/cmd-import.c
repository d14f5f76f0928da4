#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "rung/cmd.h"
#include "rung/follow.h"
#include "rung/import.h"
#include "rung/jsonout.h"
#include "rung/store.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

enum {
	OPT_REPLACE = 256, OPT_TRIAL_COL, OPT_STEP_COL,
	OPT_TIME_COL, OPT_TIME_KIND, OPT_STATUS_COL, OPT_METRICS, OPT_PARAMS,
	OPT_IGNORE, OPT_CURVE_PREFIX, OPT_FIRST_STEP, OPT_CURVE, OPT_TIME,
	OPT_STEPS, OPT_PARAMS_FIELD, OPT_ID, OPT_STATUS_FIELD,
	OPT_STUDY, OPT_OBJECTIVE, OPT_STEPS_COL, OPT_PARAMS_FILE, OPT_JOIN,
	OPT_INCLUDE, OPT_EXCLUDE, OPT_EXPERIMENT, OPT_FOLLOW, OPT_INTERVAL,
	OPT_POLL,
};

static const struct option import_longopts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "replace", no_argument, NULL, OPT_REPLACE },
	{ "trial-col", required_argument, NULL, OPT_TRIAL_COL },
	{ "step-col", required_argument, NULL, OPT_STEP_COL },
	{ "time-col", required_argument, NULL, OPT_TIME_COL },
	{ "time-kind", required_argument, NULL, OPT_TIME_KIND },
	{ "status-col", required_argument, NULL, OPT_STATUS_COL },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "params", required_argument, NULL, OPT_PARAMS },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "curve-prefix", required_argument, NULL, OPT_CURVE_PREFIX },
	{ "first-step", required_argument, NULL, OPT_FIRST_STEP },
	{ "curve", required_argument, NULL, OPT_CURVE },
	{ "time", required_argument, NULL, OPT_TIME },
	{ "steps", required_argument, NULL, OPT_STEPS },
	{ "params-field", required_argument, NULL, OPT_PARAMS_FIELD },
	{ "id", required_argument, NULL, OPT_ID },
	{ "status-field", required_argument, NULL, OPT_STATUS_FIELD },
	{ "study", required_argument, NULL, OPT_STUDY },
	{ "objective", required_argument, NULL, OPT_OBJECTIVE },
	{ "steps-col", required_argument, NULL, OPT_STEPS_COL },
	{ "params-file", required_argument, NULL, OPT_PARAMS_FILE },
	{ "join", required_argument, NULL, OPT_JOIN },
	{ "include", required_argument, NULL, OPT_INCLUDE },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "experiment", required_argument, NULL, OPT_EXPERIMENT },
	{ "follow", no_argument, NULL, OPT_FOLLOW },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "poll", no_argument, NULL, OPT_POLL },
	{ NULL, 0, NULL, 0 }
};

/* Each metric written, its direction, and how that was decided. */
static json_object *
metrics_json(const struct rung_study_report *sr)
{
	json_object	*arr = json_object_new_array(), *m;
	size_t		 i;

	for (i = 0; i < sr->nmetrics; i++) {
		m = json_object_new_object();
		json_object_object_add(m, "name",
		    json_object_new_string(sr->metrics[i].name));
		json_object_object_add(m, "direction", json_object_new_string(
		    rung_direction_name(sr->metrics[i].direction)));
		json_object_object_add(m, "how", json_object_new_string(
		    rung_dir_how_name(sr->metrics[i].how)));
		json_object_object_add(m, "word", sr->metrics[i].word ?
		    json_object_new_string(sr->metrics[i].word) : NULL);
		json_object_array_add(arr, m);
	}
	return arr;
}

/*
 * The directions import guessed, one line a study: from a word of the name
 * ("val_acc max (acc)"), else the study's. Told, declared and kept ones
 * are not guesses.
 */
static void
say_directions(const struct rung_study_report *sr)
{
	struct rung_buf	 b = { 0 };
	const struct rung_metric_report *m;
	size_t		 i, n = 0;

	for (i = 0; i < sr->nmetrics; i++) {
		m = &sr->metrics[i];
		if (m->how == RUNG_DIR_NAME)
			rung_buf_printf(&b, "%s%s %s (the word '%s')",
			    n++ ? ", " : "", m->name,
			    rung_direction_name(m->direction), m->word);
		else if (m->how == RUNG_DIR_STUDY)
			rung_buf_printf(&b, "%s%s %s (no word tells: the "
			    "study's)", n++ ? ", " : "", m->name,
			    rung_direction_name(m->direction));
		else if (m->how == RUNG_DIR_DEFAULT)
			rung_buf_printf(&b, "%s%s min (no word tells: "
			    "--direction max says otherwise)", n++ ? ", " : "",
			    m->name);
	}
	if (n > 0)
		rung_info("%s: guessed the direction of %zu metric%s from "
		    "%s: %s", sr->study, n, n == 1 ? "" : "s",
		    n == 1 ? "its name" : "their names", rung_buf_cstr(&b));
	rung_buf_release(&b);
}

/*
 * The report as JSON: totals at the top (study, trials, ... of the first
 * study, as most imports have one), every study under "studies".
 */
static json_object *
report_json(const struct rung_import_report *rep)
{
	json_object	*obj, *arr, *one;
	const struct rung_study_report *sr;
	uint64_t	 trials = 0, replaced = 0, unchanged = 0, points = 0, dup = 0;
	size_t		 i;

	obj = json_object_new_object();
	arr = json_object_new_array();
	for (i = 0; i < rep->nstudies; i++) {
		sr = &rep->studies[i];
		one = json_object_new_object();
		json_object_object_add(one, "study",
		    json_object_new_string(sr->study));
		json_object_object_add(one, "created",
		    json_object_new_boolean(sr->created));
		json_object_object_add(one, "trials",
		    json_object_new_int64(sr->trials));
		json_object_object_add(one, "replaced_trials",
		    json_object_new_int64(sr->replaced_trials));
		json_object_object_add(one, "unchanged_trials",
		    json_object_new_int64(sr->unchanged_trials));
		json_object_object_add(one, "points",
		    json_object_new_int64((int64_t)sr->points));
		json_object_object_add(one, "duplicates",
		    json_object_new_int64((int64_t)sr->duplicates));
		json_object_object_add(one, "metrics", metrics_json(sr));
		json_object_array_add(arr, one);
		trials += sr->trials;
		replaced += sr->replaced_trials;
		unchanged += sr->unchanged_trials;
		points += sr->points;
		dup += sr->duplicates;
	}
	json_object_object_add(obj, "study", rep->nstudies ?
	    json_object_new_string(rep->studies[0].study) : NULL);
	json_object_object_add(obj, "created", json_object_new_boolean(
	    rep->nstudies && rep->studies[0].created));
	json_object_object_add(obj, "files",
	    json_object_new_int64(rep->files));
	json_object_object_add(obj, "skipped_files",
	    json_object_new_int64(rep->skipped_files));
	json_object_object_add(obj, "trials", json_object_new_int64(
	    (int64_t)trials));
	json_object_object_add(obj, "replaced_trials", json_object_new_int64(
	    (int64_t)replaced));
	json_object_object_add(obj, "unchanged_trials", json_object_new_int64(
	    (int64_t)unchanged));
	json_object_object_add(obj, "points", json_object_new_int64(
	    (int64_t)points));
	json_object_object_add(obj, "duplicates", json_object_new_int64(
	    (int64_t)dup));
	json_object_object_add(obj, "studies", arr);
	return obj;
}

/*
 * What an import did, said on stderr: with --json (json), only the
 * warning, the report being on stdout.
 */
static void
say_report(const struct rung_import_report *rep, int json)
{
	const struct rung_study_report *sr;
	size_t			 i;

	for (i = 0; i < rep->nstudies; i++) {
		sr = &rep->studies[i];
		if (sr->trials > 0 && !json)
			rung_info("imported %u trial%s (%llu values) into %s "
			    "study '%s'%s", sr->trials, sr->trials == 1 ? "" :
			    "s", (unsigned long long)sr->points, sr->created ?
			    "new" : "existing", sr->study,
			    sr->replaced_trials ? " (some replaced)" : "");
		if (!json)
			say_directions(sr);
		if (sr->duplicates > 0)
			rung_warn("%s: %llu values were given more than once "
			    "for the same trial and step: the last one read "
			    "was kept", sr->study,
			    (unsigned long long)sr->duplicates);
	}
}

static volatile sig_atomic_t follow_stop;

static void
follow_signal(int sig)
{
	(void)sig;
	follow_stop = 1;
}

/* An increment of --follow: a line of JSON, or a line of text, a study. */
static void
follow_report(const struct rung_import_report *rep, void *arg)
{
	struct rung_ctx			*ctx = arg;
	const struct rung_study_report	*sr;
	char				 when[16];
	time_t				 now = time(NULL);
	size_t				 i;

	if (ctx->format == RUNG_OUT_JSON) {
		rung_json_print(ctx->out, report_json(rep), 0);
		fflush(ctx->out);
		return;
	}
	strftime(when, sizeof when, "%H:%M:%S", localtime(&now));
	for (i = 0; i < rep->nstudies; i++) {
		sr = &rep->studies[i];
		rung_info("%s %s: %u new trial%s, %u updated, %u unchanged, "
		    "%llu values", when, sr->study, sr->trials -
		    sr->replaced_trials, sr->trials - sr->replaced_trials ==
		    1 ? "" : "s", sr->replaced_trials, sr->unchanged_trials,
		    (unsigned long long)sr->points);
	}
}

/* --follow: import, then again as the sources grow, until a signal. */
static int
import_follow(struct rung_ctx *ctx, struct rung_args *args,
    const struct rung_import_opts *o)
{
	struct rung_follow_opts	 fo;
	struct sigaction	 sa, oldint, oldterm;
	char			*cause = NULL;
	int			 rc;

	if (ctx->in_tui) {
		rung_error("import: --follow runs until stopped: give it from "
		    "a shell, not at the explorer's prompt");
		return RUNG_EXIT_USAGE;
	}
	memset(&fo, 0, sizeof fo);
	fo.interval = 2;
	if (rung_args_real_opt(args, "import", OPT_INTERVAL, "interval",
	    0, 86400, 1, "a number of seconds above 0 and at most 86400",
	    &fo.interval) != 0)
		return RUNG_EXIT_USAGE;
	fo.how = rung_args_has(args, OPT_POLL) ? RUNG_FOLLOW_POLL :
	    RUNG_FOLLOW_AUTO;
	fo.stop = &follow_stop;
	fo.report = follow_report;
	fo.arg = ctx;
	follow_stop = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = follow_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &oldint);
	sigaction(SIGTERM, &sa, &oldterm);
	rc = rung_follow(ctx->store, (const char *const *)args->argv,
	    (size_t)args->argc, o, &fo, &cause);
	sigaction(SIGINT, &oldint, NULL);
	sigaction(SIGTERM, &oldterm, NULL);
	if (rc != 0) {
		rung_error("%s", cause);
		free(cause);
		return RUNG_EXIT_ERROR;
	}
	return RUNG_EXIT_OK;
}

static int
cmd_import_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	struct rung_import_opts	 o;
	struct rung_import_report rep;
	const char		*v;
	char			*cause = NULL;
	long			 n;
	int			 ret = RUNG_EXIT_ERROR, f;
	double			 interval;
	size_t			 i;

	memset(&rep, 0, sizeof rep);
	rung_import_opts_init(&o);
	o.study = rung_args_get(args, 's');
	o.metric = rung_args_get(args, RUNG_OPT_METRIC);
	o.replace = rung_args_has(args, OPT_REPLACE);
	o.progress = ctx->progress;
	if ((v = rung_args_get(args, 'f')) != NULL) {
		if ((f = rung_format_parse(v)) < 0) {
			rung_error("import: unknown format '%s' (formats: %s)",
			    v, rung_format_names());
			return RUNG_EXIT_USAGE;
		}
		o.format = (enum rung_format)f;
	}
	if ((v = rung_args_get(args, RUNG_OPT_DIRECTION)) != NULL &&
	    (o.direction = rung_direction_parse(v)) == 0) {
		rung_error("import: --direction must be min or max, not '%s'",
		    v);
		return RUNG_EXIT_USAGE;
	}
	if ((v = rung_args_get(args, OPT_TIME_KIND)) != NULL) {
		if (strcmp(v, "step") == 0)
			o.time_kind = RUNG_TIME_STEP;
		else if (strcmp(v, "cumulative") == 0)
			o.time_kind = RUNG_TIME_CUMULATIVE;
		else if (strcmp(v, "absolute") == 0)
			o.time_kind = RUNG_TIME_ABSOLUTE;
		else {
			rung_error("import: --time-kind must be step, "
			    "cumulative or absolute, not '%s'", v);
			return RUNG_EXIT_USAGE;
		}
	}
	if (rung_args_has(args, OPT_FIRST_STEP)) {
		if (rung_args_int(args, OPT_FIRST_STEP, -1000000000L,
		    1000000000L, &n, &cause) != 0) {
			rung_error("import: --first-step: %s", cause);
			free(cause);
			return RUNG_EXIT_USAGE;
		}
		o.first_step = (int)n;
		o.first_step_set = 1;
	}
	o.trial_col = rung_args_get(args, OPT_TRIAL_COL);
	o.step_col = rung_args_get(args, OPT_STEP_COL);
	o.time_col = rung_args_get(args, OPT_TIME_COL);
	o.status_col = rung_args_get(args, OPT_STATUS_COL);
	o.metrics = rung_args_list(args, OPT_METRICS, &o.nmetrics);
	o.params = rung_args_list(args, OPT_PARAMS, &o.nparams);
	o.ignore = rung_args_list(args, OPT_IGNORE, &o.nignore);
	o.curve_prefix = rung_args_get(args, OPT_CURVE_PREFIX);
	o.j_curve = rung_args_get(args, OPT_CURVE);
	o.j_time = rung_args_get(args, OPT_TIME);
	o.j_steps = rung_args_get(args, OPT_STEPS);
	o.j_params = rung_args_get(args, OPT_PARAMS_FIELD);
	o.j_id = rung_args_get(args, OPT_ID);
	o.j_status = rung_args_get(args, OPT_STATUS_FIELD);
	o.optuna_study = rung_args_get(args, OPT_STUDY);
	o.steps_col = rung_args_get(args, OPT_STEPS_COL);
	o.params_file = rung_args_get(args, OPT_PARAMS_FILE);
	o.join = rung_args_get(args, OPT_JOIN);
	o.include = rung_args_list(args, OPT_INCLUDE, &o.ninclude);
	o.exclude = rung_args_list(args, OPT_EXCLUDE, &o.nexclude);
	o.experiment = rung_args_get(args, OPT_EXPERIMENT);
	/* One concept: the column, or Ray Tune's result key, that is the step. */
	o.x_key = o.step_col;
	if (rung_args_has(args, OPT_OBJECTIVE)) {
		if (rung_args_int(args, OPT_OBJECTIVE, 0, 1000, &n,
		    &cause) != 0) {
			rung_error("import: --objective: %s", cause);
			free(cause);
			return RUNG_EXIT_USAGE;
		}
		o.objective = (int)n;
		o.objective_set = 1;
	}

	if (rung_args_has(args, OPT_FOLLOW)) {
		ret = import_follow(ctx, args, &o);
		goto out;
	}
	if (rung_args_real_opt(args, "import", OPT_INTERVAL, "interval", 0,
	    86400, 1, "a number of seconds above 0 and at most 86400",
	    &interval) != 0) {
		ret = RUNG_EXIT_USAGE;
		goto out;
	}
	if ((rung_args_has(args, OPT_INTERVAL) ||
	    rung_args_has(args, OPT_POLL))) {
		rung_error("import: --interval and --poll go with --follow");
		ret = RUNG_EXIT_USAGE;
		goto out;
	}
	if (rung_import(ctx->store, (const char *const *)args->argv,
	    (size_t)args->argc, &o, &rep, &cause) != 0) {
		rung_error("%s", cause);
		free(cause);
		goto out;
	}
	if ((ctx->format == RUNG_OUT_JSON))
		rung_json_print(ctx->out, report_json(&rep), ctx->tty);
	say_report(&rep, ctx->format == RUNG_OUT_JSON);
	if (rep.nstudies == 0 && !(ctx->format == RUNG_OUT_JSON))
		rung_info("nothing added: every file was imported before");
	ret = RUNG_EXIT_OK;
out:
	rung_import_report_release(&rep);
	for (i = 0; i < o.nmetrics; i++)
		free(o.metrics[i]);
	for (i = 0; i < o.nparams; i++)
		free(o.params[i]);
	for (i = 0; i < o.nignore; i++)
		free(o.ignore[i]);
	for (i = 0; i < o.ninclude; i++)
		free(o.include[i]);
	for (i = 0; i < o.nexclude; i++)
		free(o.exclude[i]);
	free(o.include);
	free(o.exclude);
	free(o.metrics);
	free(o.params);
	free(o.ignore);
	return ret;
}

const struct rung_cmd_entry rung_cmd_import_entry = {
	.name = "import",
	.usage = "[-s study] [-f format] "
	    "[--replace] [--study name] [--objective n] "
	    "[--experiment name] "
	    "[--trial-col name] [--step-col name] "
	    "[--time-col name] [--time-kind step|cumulative|absolute] "
	    "[--status-col name] [--metrics list] [--params list] "
	    "[--ignore list] [--curve-prefix prefix] [--first-step n] "
	    "[--curve paths] [--time path] [--steps path] "
	    "[--params-field path] [--id path] [--status-field path] "
	    "[--steps-col name] [--params-file file] [--join name] "
	    "[--include glob] [--exclude glob] "
	    "[--follow] [--interval seconds] [--poll] "
	    "path ...",
	.summary = "import trial histories (CSV, JSON, Optuna, Ray Tune, MLflow, "
	    "HpBandSter, run folders) into studies",
	.shortopts = "s:f:",
	.longopts = import_longopts,
	.minargs = 1,
	.maxargs = -1,
	.flags = RUNG_CMD_STORE | RUNG_CMD_METRIC | RUNG_CMD_JSON,
	.exec = cmd_import_exec,
};
