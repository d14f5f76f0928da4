/*
 * replay: policies replayed over the recorded curves of a study for N
 * seeds, compared on compute and on the quality of what they return; and
 * replays, the runs kept in the database.
 *
 * A run is described by one JSON report (what replay --json prints, less
 * its id). The text table and the CSV are drawn from that report, and the
 * database keeps it verbatim beside per-policy and per-seed rows for
 * queries, so that replays --show prints a kept run exactly as replay did.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/cmd.h"
#include "rung/jsonout.h"
#include "rung/replay.h"
#include "rung/sched.h"
#include "rung/store.h"
#include "rung/store-replay.h"
#include "rung/table.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "replay-run-int.h"

enum {
	OPT_POLICY = 256, OPT_ETA, OPT_MIN_R, OPT_MAX_R, OPT_WORKERS,
	OPT_SEEDS, OPT_SEED, OPT_BUDGET, OPT_BASELINE, OPT_VARIANT, OPT_RULE,
	OPT_SAMPLER, OPT_CONFIGS, OPT_NO_RESUME, OPT_MIN_CURVES, OPT_KEEP_FULL,
	OPT_KNOWN_CURVE, OPT_DELTA, OPT_NO_SAVE, OPT_SHOW, OPT_SVR_TRAIN,
	OPT_NO_EQUAL_COST,
};

static const struct option replay_longopts[] = {
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "eta", required_argument, NULL, OPT_ETA },
	{ "min-steps", required_argument, NULL, OPT_MIN_R },
	{ "max-steps", required_argument, NULL, OPT_MAX_R },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "seeds", required_argument, NULL, OPT_SEEDS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "budget", required_argument, NULL, OPT_BUDGET },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "variant", required_argument, NULL, OPT_VARIANT },
	{ "rule", required_argument, NULL, OPT_RULE },
	{ "sampler", required_argument, NULL, OPT_SAMPLER },
	{ "configs", required_argument, NULL, OPT_CONFIGS },
	{ "no-resume", no_argument, NULL, OPT_NO_RESUME },
	{ "min-curves", required_argument, NULL, OPT_MIN_CURVES },
	{ "keep-full", required_argument, NULL, OPT_KEEP_FULL },
	{ "known-curve", required_argument, NULL, OPT_KNOWN_CURVE },
	{ "delta", required_argument, NULL, OPT_DELTA },
	{ "svr-train", required_argument, NULL, OPT_SVR_TRAIN },
	{ "svr", required_argument, NULL, RUNG_OPT_SVR },
	{ "jobs", required_argument, NULL, 'j' },
	{ "no-save", no_argument, NULL, OPT_NO_SAVE },
	{ "no-equal-cost", no_argument, NULL, OPT_NO_EQUAL_COST },
	{ NULL, 0, NULL, 0 }
};

static const struct option replays_longopts[] = {
	{ "show", required_argument, NULL, OPT_SHOW },
	{ NULL, 0, NULL, 0 }
};

static const struct replay_optids replay_optids = {
	.sched = {
		.eta = OPT_ETA, .min_r = OPT_MIN_R, .variant = OPT_VARIANT,
		.rule = OPT_RULE, .min_curves = OPT_MIN_CURVES,
		.keep_full = OPT_KEEP_FULL, .known_curve = OPT_KNOWN_CURVE,
		.delta = OPT_DELTA, .svr_train = OPT_SVR_TRAIN,
		.svr = RUNG_OPT_SVR,
	},
	.policy = OPT_POLICY, .baseline = OPT_BASELINE, .max_r = OPT_MAX_R,
	.workers = OPT_WORKERS, .seeds = OPT_SEEDS, .seed = OPT_SEED,
	.jobs = 'j', .budget = OPT_BUDGET, .sampler = OPT_SAMPLER,
	.configs = OPT_CONFIGS, .no_resume = OPT_NO_RESUME,
	.no_equal_cost = OPT_NO_EQUAL_COST,
};

/* Reading a report back. */

static json_object *
jget(json_object *o, const char *key)
{
	json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static double
jnum(json_object *o, const char *key)
{
	json_object	*v = jget(o, key);

	if (v == NULL || (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int)))
		return NAN;
	return json_object_get_double(v);
}

static const char *
jstr(json_object *o, const char *key)
{
	json_object	*v = jget(o, key);

	return v != NULL && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : "";
}

static double
jidx(json_object *arr, size_t i)
{
	json_object	*v = arr != NULL ? json_object_array_get_idx(arr, i) :
	    NULL;

	if (v == NULL)
		return NAN;
	if (json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v);
	if (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int))
		return NAN;
	return json_object_get_double(v);
}

static size_t
jlen(json_object *arr)
{
	return arr != NULL && json_object_is_type(arr, json_type_array) ?
	    json_object_array_length(arr) : 0;
}

/* A number for people; "-" when unknown. */
static char *
fmt_num(double v, char buf[RUNG_DBL_BUFSZ])
{
	if (isnan(v))
		return strcpy(buf, "-");
	return rung_fmt_human(v, buf);
}

static char *
fmt_pct(double v, char buf[RUNG_DBL_BUFSZ])
{
	if (isnan(v))
		return strcpy(buf, "-");
	snprintf(buf, RUNG_DBL_BUFSZ, "%.1f%%", 100 * v);
	return buf;
}

/*
 * The equal-cost view: every policy with the baseline's mean cost as its
 * budget. A report of an older rung has none.
 */
static void
print_equal(FILE *f, json_object *rep)
{
	static const char *hdr[] = { "POLICY", ">STEPS", ">SPENT",
		">STARTED", ">FINAL", ">WORST", ">REGRET", ">REGRET_WORST",
		">TOP1", ">TOP5", ">POOL_SPENT" };
	json_object	*eq = jget(rep, "equal_cost"), *pols, *p, *e;
	struct rung_table *tab;
	const char	*row[11];
	char		 c[11][RUNG_DBL_BUFSZ];
	size_t		 i;
	int		 k;

	if (eq == NULL)
		return;
	fprintf(f, "\nat %s's cost: every policy gets a budget of %s steps "
	    "(its mean), what it saves spent on more configurations\n",
	    jstr(eq, "policy"), fmt_num(jnum(eq, "budget_steps"), c[0]));
	tab = rung_table_new(hdr, 11);
	pols = jget(rep, "policies");
	for (i = 0; i < jlen(pols); i++) {
		p = json_object_array_get_idx(pols, i);
		if ((e = jget(p, "equal_cost")) == NULL)
			continue;
		snprintf(c[0], sizeof c[0], "%s", jstr(p, "policy"));
		fmt_num(jnum(e, "cost_steps_mean"), c[1]);
		fmt_pct(jnum(e, "spent"), c[2]);
		fmt_num(jnum(e, "started_mean"), c[3]);
		fmt_num(jnum(e, "best_final_mean"), c[4]);
		fmt_num(jnum(e, "best_final_worst"), c[5]);
		fmt_num(jnum(e, "regret_mean"), c[6]);
		fmt_num(jnum(e, "regret_worst"), c[7]);
		fmt_pct(jnum(e, "p_top1"), c[8]);
		fmt_pct(jnum(e, "p_top5"), c[9]);
		snprintf(c[10], sizeof c[10], "%.0f", jnum(e, "pool_spent"));
		for (k = 0; k < 11; k++)
			row[k] = c[k];
		rung_table_add(tab, row);
	}
	rung_table_print(tab, f);
	rung_table_free(tab);
}

static void
print_table(FILE *f, json_object *rep)
{
	static const char *hdr[] = { "POLICY", ">SEEDS", ">STEPS", ">SD",
		">SECONDS", ">SAVED", ">SAVED_RS", ">FINAL", ">WORST",
		">REGRET", ">TOP1", ">TOP5", ">TIME_TO_BEST" };
	json_object	*par = jget(rep, "parameters"), *pols, *p, *any;
	json_object	*a;
	struct rung_table *tab;
	const char	*row[13], **ahdr;
	char		 c[13][RUNG_DBL_BUFSZ], **cells, *study, *metric;
	size_t		 i, np, j, ng;
	int		 k;
	double		 v;

	/* Names from the data, escaped: a study of an older rung may hold any. */
	study = rung_esc(jstr(rep, "study"));
	metric = rung_esc(jstr(rep, "metric"));
	fprintf(f, "study %s (%s, %s): %.0f of %.0f trials reach step %s, the "
	    "best of them ends at %s\n", study, metric,
	    jstr(rep, "direction"), jnum(rep, "pool"),
	    jnum(rep, "trials"), fmt_num(jnum(par, "max_r"), c[0]),
	    fmt_num(jnum(rep, "pool_best"), c[1]));
	free(study);
	free(metric);
	fprintf(f, "%.0f seeds from %.0f; eta %s, min_r %s, max_r %s, %.0f "
	    "worker%s, %s sampler%s%s; resume %s\n", jnum(par, "seeds"),
	    jnum(par, "seed"), fmt_num(jnum(par, "eta"), c[0]),
	    fmt_num(jnum(par, "min_r"), c[1]), fmt_num(jnum(par, "max_r"),
	    c[2]), jnum(par, "workers"), jnum(par, "workers") == 1 ? "" : "s",
	    jstr(par, "sampler"), isnan(jnum(par, "budget")) ? "" :
	    ", budget ", isnan(jnum(par, "budget")) ? "" :
	    fmt_num(jnum(par, "budget"), c[3]),
	    json_object_get_boolean(jget(rep, "resume")) ?
	    "on (a promoted configuration continues from its checkpoint)" :
	    "off (every promotion retrains from step 1)");
	fprintf(f, "SAVED: compute saved against %s, seed by seed; SAVED_RS: "
	    "against training the same configurations to max_r (random "
	    "search); costs in steps, time in %s\n",
	    jstr(jget(rep, "baseline"), "policy"), jstr(rep, "time_unit"));

	tab = rung_table_new(hdr, 13);
	pols = jget(rep, "policies");
	np = jlen(pols);
	for (i = 0; i < np; i++) {
		p = json_object_array_get_idx(pols, i);
		snprintf(c[0], sizeof c[0], "%s", jstr(p, "policy"));
		snprintf(c[1], sizeof c[1], "%.0f", jnum(p, "seeds"));
		fmt_num(jnum(p, "cost_steps_mean"), c[2]);
		fmt_num(jnum(p, "cost_steps_sd"), c[3]);
		fmt_num(jnum(p, "cost_seconds_mean"), c[4]);
		fmt_pct(jnum(p, "saved_vs_baseline"), c[5]);
		v = jnum(p, "saved_vs_random_seconds");
		fmt_pct(isnan(v) ? jnum(p, "saved_vs_random") : v, c[6]);
		fmt_num(jnum(p, "best_final_mean"), c[7]);
		fmt_num(jnum(p, "best_final_worst"), c[8]);
		fmt_num(jnum(p, "regret_mean"), c[9]);
		fmt_pct(jnum(p, "p_top1"), c[10]);
		fmt_pct(jnum(p, "p_top5"), c[11]);
		fmt_num(jnum(p, "time_to_best_mean"), c[12]);
		for (k = 0; k < 13; k++)
			row[k] = c[k];
		rung_table_add(tab, row);
	}
	rung_table_print(tab, f);
	rung_table_free(tab);
	print_equal(f, rep);

	/* Ten points of the anytime view: the mean best-so-far final. */
	any = jget(rep, "anytime");
	if (jlen(any) == 0)
		return;
	a = json_object_array_get_idx(any, 0);
	ng = jlen(jget(a, "cost_steps"));
	if (ng < 2)
		return;
	fprintf(f, "\nbest-so-far final value (mean over seeds) by "
	    "cumulative steps\n");
	ahdr = xcalloc(jlen(any) + 1, sizeof *ahdr);
	cells = xcalloc(jlen(any) + 1, sizeof *cells);
	ahdr[0] = ">STEPS";
	for (j = 0; j < jlen(any); j++) {
		ahdr[j + 1] = xprintf(">%s", jstr(json_object_array_get_idx(
		    any, j), "policy"));
		cells[j + 1] = xmalloc(RUNG_DBL_BUFSZ);
	}
	cells[0] = xmalloc(RUNG_DBL_BUFSZ);
	tab = rung_table_new(ahdr, (int)jlen(any) + 1);
	for (k = 1; k <= 10; k++) {
		i = (size_t)lround((double)(ng - 1) * k / 10);
		snprintf(cells[0], RUNG_DBL_BUFSZ, "%.0f",
		    jidx(jget(a, "cost_steps"), i));
		for (j = 0; j < jlen(any); j++)
			fmt_num(jidx(jget(json_object_array_get_idx(any, j),
			    "best_final_mean"), i), cells[j + 1]);
		rung_table_add(tab, (const char *const *)cells);
	}
	rung_table_print(tab, f);
	rung_table_free(tab);
	for (j = 0; j <= jlen(any); j++) {
		if (j > 0)
			free((char *)ahdr[j]);
		free(cells[j]);
	}
	free(ahdr);
	free(cells);
}

/* A JSON value as a CSV field: nothing for null. */
static void
csv_value(FILE *f, json_object *v)
{
	char	 buf[RUNG_DBL_BUFSZ];

	if (v == NULL)
		return;
	if (json_object_is_type(v, json_type_string))
		rung_csv_field(f, json_object_get_string(v));
	else if (json_object_is_type(v, json_type_boolean))
		fputc(json_object_get_boolean(v) ? '1' : '0', f);
	else if (json_object_is_type(v, json_type_int))
		fprintf(f, "%" PRId64, json_object_get_int64(v));
	else
		fputs(rung_fmt_double(json_object_get_double(v), 0, buf), f);
}

/*
 * One row per (policy, seed); the equal-cost replay of the same seed in
 * the equal_ columns (empty when the report has none).
 */
static void
print_csv(FILE *f, json_object *rep)
{
	static const char *cols[] = { "seed", "cost_steps", "cost_seconds",
		"started", "returned", "best_final", "regret", "top1", "top5",
		"time_to_best", "steps_to_best", "random_cost_steps",
		"random_cost_seconds", "saved_vs_baseline_seeds",
		"saved_vs_random_seeds" };
	static const char *eqcols[] = { "cost_steps", "started", "regret",
		"top5" };
	json_object	*pols = jget(rep, "policies"), *p, *eq;
	size_t		 i, j, k, n;
	const size_t	 ncols = sizeof cols / sizeof cols[0];
	const size_t	 neq = sizeof eqcols / sizeof eqcols[0];

	fputs("policy,resume", f);
	for (k = 0; k < ncols; k++) {
		fputc(',', f);
		/* Per-seed ratios: named as their aggregate is. */
		if (strncmp(cols[k], "saved_", 6) == 0)
			fprintf(f, "%.*s", (int)(strlen(cols[k]) - 6),
			    cols[k]);
		else
			fputs(cols[k], f);
	}
	for (k = 0; k < neq; k++)
		fprintf(f, ",equal_%s", eqcols[k]);
	fputc('\n', f);
	for (i = 0; i < jlen(pols); i++) {
		p = json_object_array_get_idx(pols, i);
		eq = jget(p, "equal_cost");
		n = jlen(jget(p, "seed"));
		for (j = 0; j < n; j++) {
			rung_csv_field(f, jstr(p, "policy"));
			fputs(json_object_get_boolean(jget(p, "resume")) ?
			    ",1" : ",0", f);
			for (k = 0; k < ncols; k++) {
				fputc(',', f);
				csv_value(f, json_object_array_get_idx(
				    jget(p, cols[k]), j));
			}
			for (k = 0; k < neq; k++) {
				fputc(',', f);
				if (jlen(jget(eq, eqcols[k])) > j)
					csv_value(f, json_object_array_get_idx(
					    jget(eq, eqcols[k]), j));
			}
			fputc('\n', f);
		}
	}
}

/* Print a report with its id first (null when it was not kept). */
static void
print_report(struct rung_ctx *ctx, json_object *rep, int64_t id, int json,
    int csv)
{
	json_object	*o;

	if (csv) {
		print_csv(ctx->out, rep);
		return;
	}
	if (!json) {
		if (id > 0)
			fprintf(ctx->out, "replay %" PRId64 ": ", id);
		print_table(ctx->out, rep);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "id", id > 0 ? json_object_new_int64(id) :
	    NULL);
	json_object_object_foreach(rep, key, val)
		json_object_object_add(o, key, json_object_get(val));
	rung_json_print(ctx->out, o, ctx->tty);
}

/* replay */

static int
cmd_replay_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	json_object	*rep = NULL;
	int64_t		 id;
	int		 ret;

	/* Not in the command table: --no-save only reads, as listings do. */
	ret = replay_run(ctx, args->argv[0], args, &replay_optids,
	    !rung_args_has(args, OPT_NO_SAVE), &rep, &id);
	if (ret != RUNG_EXIT_OK)
		return ret;
	print_report(ctx, rep, id, ctx->format == RUNG_OUT_JSON,
	    ctx->format == RUNG_OUT_CSV);
	json_object_put(rep);
	return RUNG_EXIT_OK;
}

const struct rung_cmd_entry rung_cmd_replay_entry = {
	.name = "replay",
	.usage = "--policy name [--eta n] [--min-steps steps] [--max-steps steps] "
	    "[--workers n] [--seeds n] [--seed n] [--budget steps] "
	    "[--baseline policy] [--variant stop|promote] "
	    "[--rule ray|syne|optuna|determined] [--sampler random|tpe] "
	    "[--configs n] [--no-resume] [--min-curves n] [--keep-full k] "
	    "[--known-curve f] [--delta d] [--svr-train partial|full] [--svr nu-svr|eps-svr|qsvr] "
	    "[-j jobs] [--no-equal-cost] [--no-save] study",
	.summary = "replay HPO policies over a study's curves for many seeds: "
	    "compute saved, quality returned",
	.shortopts = "j:",
	.longopts = replay_longopts,
	.minargs = 1,
	.maxargs = 1,
	/* It opens the store itself: read-only with --no-save. */
	.flags = RUNG_CMD_METRIC | RUNG_CMD_TABLE,
	.exec = cmd_replay_exec,
};

/* replays */

static int
show_replay(struct rung_ctx *ctx, const char *v, int json, int csv)
{
	struct rung_kept_replay *kr = NULL;
	json_object	*rep = NULL;
	char		*end, *cause = NULL;
	long long	 id;
	int		 rc, ret = RUNG_EXIT_ERROR;

	errno = 0;
	id = strtoll(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || id < 1) {
		rung_error("replays: --show takes the id of a replay, a whole "
		    "number of at least 1 (rung replays lists them), not '%s'",
		    v);
		return RUNG_EXIT_USAGE;
	}
	if ((rc = rung_store_replay_load(ctx->store, id, NULL, NULL,
	    RUNG_KEPT_REPORT, &kr, &cause)) < 0)
		goto out;
	if (rc == 0) {
		xasprintf(&cause, "no replay %lld in '%s' (rung replays lists "
		    "them)", id, rung_store_path(ctx->store));
		goto out;
	}
	if ((rep = json_tokener_parse(kr->report)) == NULL) {
		xasprintf(&cause, "replay %lld: its report is not JSON", id);
		goto out;
	}
	print_report(ctx, rep, id, json, csv);
	ret = RUNG_EXIT_OK;
out:
	if (cause != NULL) {
		rung_error("replays: %s", cause);
		free(cause);
	}
	if (rep != NULL)
		json_object_put(rep);
	rung_kept_replay_free(kr);
	return ret;
}

static void
add_double(json_object *o, const char *key, double v)
{
	json_object_object_add(o, key, rung_json_double(v, 0));
}

/* A kept run's line of rung replays --json. */
static json_object *
list_json(const struct rung_kept_replay *kr)
{
	json_object	*o, *sum, *x;
	size_t		 k;

	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(kr->id));
	json_object_object_add(o, "study", json_object_new_string(kr->study));
	json_object_object_add(o, "metric",
	    json_object_new_string(kr->metric));
	json_object_object_add(o, "direction",
	    json_object_new_string(kr->direction));
	json_object_object_add(o, "created",
	    json_object_new_string(kr->created));
	json_object_object_add(o, "baseline",
	    json_object_new_string(kr->baseline));
	json_object_object_add(o, "seeds", json_object_new_int64(kr->seeds));
	json_object_object_add(o, "seed", json_object_new_int64(kr->seed));
	json_object_object_add(o, "resume",
	    json_object_new_boolean(kr->resume));
	json_object_object_add(o, "parameters",
	    json_tokener_parse(kr->params));
	sum = json_object_new_array();
	for (k = 0; k < kr->npol; k++) {
		const struct rung_kept_policy *p = &kr->pol[k];

		x = json_object_new_object();
		json_object_object_add(x, "policy",
		    json_object_new_string(p->policy));
		add_double(x, "cost_steps_mean", p->cost_steps_mean);
		add_double(x, "cost_seconds_mean", p->cost_seconds_mean);
		add_double(x, "saved_vs_baseline", p->saved_vs_baseline);
		add_double(x, "saved_vs_random", p->saved_vs_random);
		add_double(x, "best_final_mean", p->best_final_mean);
		add_double(x, "regret_mean", p->regret_mean);
		add_double(x, "p_top1", p->p_top1);
		add_double(x, "p_top5", p->p_top5);
		add_double(x, "equal_regret_mean", p->equal_regret_mean);
		add_double(x, "equal_p_top5", p->equal_p_top5);
		json_object_array_add(sum, x);
	}
	json_object_object_add(o, "policies", sum);
	return o;
}

static int
cmd_replays_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	static const char *hdr[] = { ">ID", "STUDY", "POLICIES", "BASELINE",
		">SEEDS", ">ETA", ">MAX_STEPS", ">WORKERS", "RESUME", "CREATED" };
	struct rung_kept_replay *v = NULL;
	struct rung_table *tab = NULL;
	json_object	*arr = NULL, *par;
	const char	*study = args->argc > 0 ? args->argv[0] : NULL;
	const char	*row[10], *show = rung_args_get(args, OPT_SHOW);
	char		 c[5][RUNG_DBL_BUFSZ], *cause = NULL;
	int		 json = ctx->format == RUNG_OUT_JSON, ret;
	int		 csv = ctx->format == RUNG_OUT_CSV;
	size_t		 n = 0, i;

	if (show != NULL) {
		if (study != NULL) {
			rung_error("replays: --show takes an id, not a study");
			rung_cmd_usage(stderr, &rung_cmd_replays_entry);
			return RUNG_EXIT_USAGE;
		}
		return show_replay(ctx, show, json, csv);
	}
	ret = RUNG_EXIT_ERROR;
	if (rung_store_replay_list(ctx->store, study, json ?
	    RUNG_KEPT_POLICIES : 0, &v, &n, &cause) != 0)
		goto out;
	if (json)
		arr = json_object_new_array();
	else
		tab = rung_table_new(hdr, 10);
	for (i = 0; i < n; i++) {
		if (json) {
			json_object_array_add(arr, list_json(&v[i]));
			continue;
		}
		par = json_tokener_parse(v[i].params);
		snprintf(c[0], sizeof c[0], "%lld", (long long)v[i].id);
		snprintf(c[1], sizeof c[1], "%lld", (long long)v[i].seeds);
		fmt_num(jnum(par, "eta"), c[2]);
		fmt_num(jnum(par, "max_r"), c[3]);
		fmt_num(jnum(par, "workers"), c[4]);
		row[0] = c[0];
		row[1] = v[i].study;
		row[2] = v[i].policies;
		row[3] = v[i].baseline;
		row[4] = c[1];
		row[5] = c[2];
		row[6] = c[3];
		row[7] = c[4];
		row[8] = v[i].resume ? "on" : "off";
		row[9] = v[i].created;
		rung_table_add(tab, row);
		if (par != NULL)
			json_object_put(par);
	}
	if (json) {
		rung_json_print(ctx->out, arr, ctx->tty);
		arr = NULL;
	} else
		rung_ctx_table(ctx, tab);
	ret = RUNG_EXIT_OK;
out:
	if (cause != NULL) {
		rung_error("replays: %s", cause);
		free(cause);
	}
	if (arr != NULL)
		json_object_put(arr);
	if (tab != NULL)
		rung_table_free(tab);
	rung_kept_replay_list_free(v, n);
	return ret;
}

const struct rung_cmd_entry rung_cmd_replays_entry = {
	.name = "replays",
	.usage = "[--show id] [study]",
	.summary = "list the replays kept by replay, or print one again",
	.shortopts = "",
	.longopts = replays_longopts,
	.minargs = 0,
	.maxargs = 1,
	.flags = RUNG_CMD_STORE_RO | RUNG_CMD_TABLE,
	.exec = cmd_replays_exec,
};
