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

#include <sqlite3.h>

#include "rung/cmd.h"
#include "rung/jsonout.h"
#include "rung/replay.h"
#include "rung/sched.h"
#include "rung/store.h"
#include "rung/table.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

enum {
	OPT_POLICY = 256, OPT_ETA, OPT_MIN_R, OPT_MAX_R, OPT_WORKERS,
	OPT_SEEDS, OPT_SEED, OPT_BUDGET, OPT_BASELINE, OPT_VARIANT, OPT_RULE,
	OPT_SAMPLER, OPT_CONFIGS, OPT_NO_RESUME, OPT_MIN_CURVES, OPT_KEEP_FULL,
	OPT_KNOWN_CURVE, OPT_DELTA, OPT_NO_SAVE, OPT_SHOW,
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
	{ "jobs", required_argument, NULL, 'j' },
	{ "no-save", no_argument, NULL, OPT_NO_SAVE },
	{ NULL, 0, NULL, 0 }
};

static const struct option replays_longopts[] = {
	{ "show", required_argument, NULL, OPT_SHOW },
	{ NULL, 0, NULL, 0 }
};

static const struct rung_sched_optids sched_optids = {
	.eta = OPT_ETA, .min_r = OPT_MIN_R, .variant = OPT_VARIANT,
	.rule = OPT_RULE, .min_curves = OPT_MIN_CURVES,
	.keep_full = OPT_KEEP_FULL, .known_curve = OPT_KNOWN_CURVE,
	.delta = OPT_DELTA,
};

/* Points of the anytime view kept per policy. */
#define ANYTIME_POINTS	50

/* Options. */

/* Option values; a bad one is reported as "replay: --NAME ...". */
static int
real_opt(const struct rung_args *args, int id, const char *name, double lo,
    double hi, int lo_open, const char *expect, double *out)
{
	return rung_args_real_opt(args, "replay", id, name, lo, hi, lo_open,
	    expect, out);
}

static int
int_opt(const struct rung_args *args, int id, const char *name, long lo,
    long hi, long *out)
{
	return rung_args_int_opt(args, "replay", id, name, lo, hi, out);
}

static int
parse_policy(const char *opt, const char *v, enum rung_policy *out)
{
	char	*names;
	int	 p;

	if ((p = rung_policy_parse(v)) < 0) {
		names = rung_policy_names();
		rung_error("replay: %s: unknown policy '%s' (expected %s)", opt,
		    v, names);
		free(names);
		return -1;
	}
	*out = (enum rung_policy)p;
	return 0;
}

/* Everything a run needs besides the study. */
struct setup {
	struct rung_sched_params base;	/* shared settings */
	int		 configs_given;
	uint32_t	 configs;	/* random, asha, baker, asha-svr */
	struct rung_sched_params *p;	/* listed policies, then the
					   baseline when it is not listed */
	uint32_t	 np;		/* listed */
	uint32_t	 nrun;		/* np, or np + 1 */
	uint32_t	 baseline;
	struct rung_replay_seeds_opts so;
	const char	*metric;
};

static void
policy_params(const struct setup *su, enum rung_policy policy,
    struct rung_sched_params *p)
{
	*p = su->base;
	p->policy = policy;
	p->max_configs = 0;
	if (rung_policy_flags(policy) & RUNG_PF_SIZED) {
		if (su->configs_given)
			p->max_configs = su->configs;
	} else if (rung_policy_takes_configs(policy))
		p->max_configs = su->configs;
}

/*
 * Parse the command line into su; the study gives the default max_r.
 * Returns 0 or RUNG_EXIT_USAGE.
 */
static int
parse_setup(const struct rung_args *args, const struct rung_study *s,
    struct setup *su)
{
	struct rung_sched_params *b = &su->base;
	struct rung_hb_bracket	*hb;
	struct rung_sched	*sc;
	const char		*v;
	char			**list = NULL, *cause = NULL, *names;
	size_t			 nlist = 0, i, j;
	enum rung_policy	 pol, bpol = RUNG_POLICY_HYPERBAND;
	double			 R;
	long			 n;
	int			 nb, ret = RUNG_EXIT_USAGE;

	rung_sched_params_init(b, RUNG_POLICY_HYPERBAND);
	b->max_r = s->max_step;
	if (rung_args_sched(args, "replay", &sched_optids, b) != 0 ||
	    real_opt(args, OPT_MAX_R, "max-steps", 0, INT32_MAX, 1, "a positive "
	    "number of steps", &b->max_r) != 0)
		goto out;
	if (b->max_r < b->min_r) {
		rung_error("replay: --max-steps (%g) must be at least --min-steps (%g)",
		    b->max_r, b->min_r);
		goto out;
	}

	rung_replay_seeds_opts_init(&su->so);
	su->so.ngrid = ANYTIME_POINTS;
	if ((v = rung_args_get(args, OPT_SAMPLER)) != NULL) {
		if (strcmp(v, "random") == 0)
			su->so.replay.sampler = RUNG_SAMPLER_RANDOM;
		else if (strcmp(v, "tpe") == 0)
			su->so.replay.sampler = RUNG_SAMPLER_TPE;
		else {
			rung_error("replay: --sampler must be random or tpe, "
			    "not '%s'", v);
			goto out;
		}
	}
	su->so.replay.resume = !rung_args_has(args, OPT_NO_RESUME);
	n = 1;
	if (int_opt(args, OPT_WORKERS, "workers", 1, 1000000, &n) != 0)
		goto out;
	su->so.replay.workers = (uint32_t)n;
	n = 0;
	if (int_opt(args, OPT_BUDGET, "budget", 0, LONG_MAX, &n) != 0)
		goto out;
	su->so.replay.budget = (uint64_t)n;
	n = 10;
	if (int_opt(args, OPT_SEEDS, "seeds", 1, 1000000, &n) != 0)
		goto out;
	su->so.nseeds = (uint32_t)n;
	n = 0;
	if (int_opt(args, OPT_SEED, "seed", 0, 2147483647L, &n) != 0)
		goto out;
	su->so.seed = (uint64_t)n;
	n = 0;
	if (int_opt(args, 'j', "jobs", 0, 1024, &n) != 0)
		goto out;
	su->so.threads = (int)n;
	su->metric = rung_args_get(args, RUNG_OPT_METRIC);

	/*
	 * Configurations of random search and ASHA: by default as many as
	 * Hyperband starts with the same max_r, min_r and eta.
	 */
	if (rung_args_has(args, OPT_CONFIGS)) {
		if (int_opt(args, OPT_CONFIGS, "configs", 1, 100000000,
		    &n) != 0)
			goto out;
		su->configs = (uint32_t)n;
		su->configs_given = 1;
	} else {
		R = rint(b->max_r / b->min_r);
		if (b->eta == rint(b->eta) && R >= 1 && R <= INT32_MAX &&
		    rung_hb_brackets((int64_t)R, (int64_t)b->eta, &hb, &nb,
		    &cause) == 0) {
			su->configs = (uint32_t)rung_hb_configs(hb, nb);
			rung_hb_free(hb, nb);
		}
		free(cause);
		cause = NULL;
	}

	if (!rung_args_has(args, OPT_POLICY)) {
		names = rung_policy_names();
		rung_error("replay: give --policy with one or more of %s, "
		    "separated by commas", names);
		free(names);
		goto out;
	}
	if ((v = rung_args_get(args, OPT_BASELINE)) != NULL &&
	    parse_policy("--baseline", v, &bpol) != 0)
		goto out;
	list = rung_args_list(args, OPT_POLICY, &nlist);
	if (nlist == 0) {
		rung_error("replay: --policy: no policy given");
		goto out;
	}
	su->p = xcalloc(nlist + 1, sizeof *su->p);
	su->baseline = UINT32_MAX;
	for (i = 0; i < nlist; i++) {
		if (parse_policy("--policy", list[i], &pol) != 0)
			goto out;
		for (j = 0; j < i; j++) {
			if (su->p[j].policy == pol) {
				rung_error("replay: --policy: '%s' is listed "
				    "twice", list[i]);
				goto out;
			}
		}
		policy_params(su, pol, &su->p[i]);
		if (pol == bpol)
			su->baseline = (uint32_t)i;
	}
	su->np = su->nrun = (uint32_t)nlist;
	if (su->baseline == UINT32_MAX) {
		policy_params(su, bpol, &su->p[su->nrun]);
		su->baseline = su->nrun++;
	}

	/* Check every policy's settings before any work. */
	for (i = 0; i < su->nrun; i++) {
		if ((rung_policy_flags(su->p[i].policy) & (RUNG_PF_CONFIGS |
		    RUNG_PF_SIZED)) == RUNG_PF_CONFIGS && su->configs == 0) {
			rung_error("replay: %s needs --configs: the default, "
			    "as many configurations as Hyperband starts, needs "
			    "an integer --eta and --max-steps a multiple of "
			    "--min-steps", rung_policy_name(su->p[i].policy));
			goto out;
		}
		if (rung_sched_new(&su->p[i], &sc, &cause) != 0) {
			rung_error("replay: %s%s", i >= su->np ?
			    "--baseline: " : "", cause);
			free(cause);
			cause = NULL;
			goto out;
		}
		rung_sched_free(sc);
	}
	ret = 0;
out:
	for (i = 0; i < nlist; i++)
		free(list[i]);
	free(list);
	return ret;
}

/* Enough trials reach max_r for every policy? 0, or -1 with *cause. */
static int
check_pool(const struct rung_study *s, const struct setup *su, char **cause)
{
	uint32_t	*pool, npool, i;
	uint64_t	 need;
	int32_t		 R = (int32_t)ceil(su->base.max_r);

	npool = rung_replay_pool(s, su->base.max_r, &pool);
	free(pool);
	if (npool == 0) {
		xasprintf(cause, "no trial of study '%s' reaches step %d "
		    "(--max-steps); its last step is %d", s->name, R, s->max_step);
		return -1;
	}
	for (i = 0; i < su->nrun; i++) {
		if (rung_replay_needed(&su->p[i], &need, cause) != 0)
			return -1;
		if (npool < need) {
			xasprintf(cause, "study '%s' has %u trials that reach "
			    "step %d, and %s%s needs %" PRIu64 ": lower --max-steps%s",
			    s->name, npool, R, i >= su->np ? "the baseline " :
			    "", rung_policy_name(su->p[i].policy), need,
			    rung_policy_takes_configs(su->p[i].policy) ? " or --configs" :
			    " or raise --eta");
			return -1;
		}
	}
	return 0;
}

/* The report. */

static void
add_double(json_object *o, const char *key, double v)
{
	json_object_object_add(o, key, rung_json_double(v, 0));
}

static json_object *
params_json(const struct setup *su, const struct rung_study *s)
{
	const struct rung_sched_params *b = &su->base;
	const struct rung_replay_opts *ro = &su->so.replay;
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "metric", json_object_new_string(
	    s->curve.name != NULL ? s->curve.name : ""));
	add_double(o, "eta", b->eta);
	add_double(o, "min_r", b->min_r);
	add_double(o, "max_r", b->max_r);
	json_object_object_add(o, "workers", json_object_new_int64(
	    ro->workers));
	json_object_object_add(o, "seeds", json_object_new_int64(
	    su->so.nseeds));
	json_object_object_add(o, "seed", json_object_new_int64(
	    (int64_t)su->so.seed));
	json_object_object_add(o, "budget", ro->budget ?
	    json_object_new_int64((int64_t)ro->budget) : NULL);
	json_object_object_add(o, "configs", su->configs ?
	    json_object_new_int64(su->configs) : NULL);
	json_object_object_add(o, "resume", json_object_new_boolean(
	    ro->resume));
	json_object_object_add(o, "sampler", json_object_new_string(
	    ro->sampler == RUNG_SAMPLER_TPE ? "tpe" : "random"));
	json_object_object_add(o, "variant", json_object_new_string(
	    rung_asha_variant_name(b->variant)));
	json_object_object_add(o, "rule", json_object_new_string(
	    rung_asha_rule_name(b->rule)));
	json_object_object_add(o, "min_curves", json_object_new_int64(
	    b->min_curves));
	add_double(o, "keep_full", b->keep_full);
	add_double(o, "known_curve", b->known_curve);
	add_double(o, "delta", b->delta);
	json_object_object_add(o, "anytime_points", json_object_new_int64(
	    su->so.ngrid));
	return o;
}

/* Aggregates of one policy, without the per-seed arrays. */
static void
agg_json(json_object *o, const struct rung_replay_agg *a, int resume)
{
	json_object_object_add(o, "seeds", json_object_new_int64(a->nseeds));
	json_object_object_add(o, "resume", json_object_new_boolean(resume));
	add_double(o, "started_mean", a->started_mean);
	add_double(o, "cost_steps_mean", a->cost_steps_mean);
	add_double(o, "cost_steps_sd", a->cost_steps_sd);
	add_double(o, "cost_seconds_mean", a->cost_seconds_mean);
	add_double(o, "cost_seconds_sd", a->cost_seconds_sd);
	add_double(o, "saved_vs_baseline", a->saved_baseline);
	add_double(o, "saved_vs_baseline_seconds", a->saved_baseline_seconds);
	add_double(o, "random_cost_steps_mean", a->random_steps_mean);
	add_double(o, "random_cost_seconds_mean", a->random_seconds_mean);
	add_double(o, "saved_vs_random", a->saved_random);
	add_double(o, "saved_vs_random_seconds", a->saved_random_seconds);
	add_double(o, "best_final_mean", a->final_mean);
	add_double(o, "best_final_worst", a->final_worst);
	json_object_object_add(o, "best_final_seeds",
	    json_object_new_int64(a->nfinal));
	add_double(o, "regret_mean", a->regret_mean);
	add_double(o, "p_top1", a->p_top1);
	add_double(o, "p_top5", a->p_top5);
	add_double(o, "time_to_best_mean", a->time_to_best_mean);
	add_double(o, "steps_to_best_mean", a->steps_to_best_mean);
	json_object_object_add(o, "exhausted",
	    json_object_new_int64(a->nexhausted));
	json_object_object_add(o, "budget_spent",
	    json_object_new_int64(a->nbudget));
}

static json_object *
policy_json(const struct rung_study *s, const struct setup *su,
    const struct rung_replay_set *set, uint32_t k)
{
	const struct rung_sched_params *p = &su->p[k];
	const struct rung_replay_seed *v = &set->seeds[(size_t)k *
	    set->nseeds];
	json_object	*o = json_object_new_object(), *a[15];
	static const char *keys[15] = { "seed", "cost_steps", "cost_seconds",
		"started", "returned", "best_final", "regret", "top1", "top5",
		"time_to_best", "steps_to_best", "random_cost_steps",
		"random_cost_seconds", "saved_vs_baseline_seeds",
		"saved_vs_random_seeds" };
	uint32_t	 i;
	int		 j;

	json_object_object_add(o, "policy", json_object_new_string(
	    rung_policy_name(p->policy)));
	json_object_object_add(o, "configs", rung_policy_takes_configs(p->policy) &&
	    p->max_configs ? json_object_new_int64(p->max_configs) : NULL);
	agg_json(o, &set->agg[k], su->so.replay.resume);
	for (j = 0; j < 15; j++)
		a[j] = json_object_new_array();
	for (i = 0; i < set->nseeds; i++) {
		const struct rung_replay_result *r = &v[i].r;

		json_object_array_add(a[0], json_object_new_int64(
		    (int64_t)v[i].seed));
		json_object_array_add(a[1], json_object_new_int64(
		    (int64_t)r->cost_steps));
		json_object_array_add(a[2], set->has_secs ?
		    rung_json_double(r->cost_seconds, 0) : NULL);
		json_object_array_add(a[3], json_object_new_int64(
		    r->nstarted));
		json_object_array_add(a[4], r->returned != UINT32_MAX &&
		    s->ids != NULL ? json_object_new_string(
		    s->ids[r->returned]) : NULL);
		json_object_array_add(a[5], rung_json_double(
		    r->returned_final, 0));
		json_object_array_add(a[6], rung_json_double(r->regret, 0));
		json_object_array_add(a[7], json_object_new_boolean(r->top1));
		json_object_array_add(a[8], json_object_new_boolean(r->top5));
		json_object_array_add(a[9], r->returned != UINT32_MAX ?
		    rung_json_double(r->time_to_best, 0) : NULL);
		json_object_array_add(a[10], r->returned != UINT32_MAX ?
		    json_object_new_int64((int64_t)r->steps_to_best) : NULL);
		json_object_array_add(a[11], json_object_new_int64(
		    (int64_t)v[i].random_steps));
		json_object_array_add(a[12], rung_json_double(
		    v[i].random_seconds, 0));
		json_object_array_add(a[13], rung_json_double(
		    v[i].saved_baseline, 0));
		json_object_array_add(a[14], rung_json_double(
		    v[i].saved_random, 0));
	}
	for (j = 0; j < 15; j++)
		json_object_object_add(o, keys[j], a[j]);
	return o;
}

static json_object *
anytime_json(const struct setup *su, const struct rung_replay_set *set,
    uint32_t k)
{
	json_object	*o = json_object_new_object(), *g, *m, *n;
	uint32_t	 i;

	g = json_object_new_array();
	m = json_object_new_array();
	n = json_object_new_array();
	for (i = 0; i < set->ngrid; i++) {
		json_object_array_add(g, rung_json_double(set->grid[i], 0));
		json_object_array_add(m, rung_json_double(
		    set->agg[k].anytime[i], 0));
		json_object_array_add(n, json_object_new_int64(
		    set->agg[k].anytime_n[i]));
	}
	json_object_object_add(o, "policy", json_object_new_string(
	    rung_policy_name(su->p[k].policy)));
	json_object_object_add(o, "cost_steps", g);
	json_object_object_add(o, "best_final_mean", m);
	json_object_object_add(o, "seeds", n);
	return o;
}

static json_object *
report_json(const struct rung_study *s, const struct setup *su,
    const struct rung_replay_set *set)
{
	json_object	*o = json_object_new_object(), *arr, *b;
	uint32_t	 k;

	json_object_object_add(o, "study", json_object_new_string(s->name));
	json_object_object_add(o, "metric", json_object_new_string(
	    s->curve.name != NULL ? s->curve.name : ""));
	json_object_object_add(o, "direction", json_object_new_string(
	    rung_direction_name(s->direction)));
	json_object_object_add(o, "trials", json_object_new_int64(
	    s->ntrials));
	json_object_object_add(o, "pool", json_object_new_int64(set->npool));
	add_double(o, "pool_best", set->pool_best);
	json_object_object_add(o, "time_unit", json_object_new_string(
	    set->has_secs ? "seconds" : "steps"));
	json_object_object_add(o, "resume", json_object_new_boolean(
	    su->so.replay.resume));
	json_object_object_add(o, "parameters", params_json(su, s));

	b = json_object_new_object();
	json_object_object_add(b, "policy", json_object_new_string(
	    rung_policy_name(su->p[set->baseline].policy)));
	json_object_object_add(b, "listed", json_object_new_boolean(
	    set->baseline < su->np));
	add_double(b, "cost_steps_mean",
	    set->agg[set->baseline].cost_steps_mean);
	add_double(b, "cost_seconds_mean",
	    set->agg[set->baseline].cost_seconds_mean);
	add_double(b, "best_final_mean",
	    set->agg[set->baseline].final_mean);
	json_object_object_add(o, "baseline", b);

	arr = json_object_new_array();
	for (k = 0; k < su->np; k++)
		json_object_array_add(arr, policy_json(s, su, set, k));
	json_object_object_add(o, "policies", arr);
	arr = json_object_new_array();
	for (k = 0; k < su->np; k++)
		json_object_array_add(arr, anytime_json(su, set, k));
	json_object_object_add(o, "anytime", arr);
	return o;
}

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

/* One row per (policy, seed). */
static void
print_csv(FILE *f, json_object *rep)
{
	static const char *cols[] = { "seed", "cost_steps", "cost_seconds",
		"started", "returned", "best_final", "regret", "top1", "top5",
		"time_to_best", "steps_to_best", "random_cost_steps",
		"random_cost_seconds", "saved_vs_baseline_seeds",
		"saved_vs_random_seeds" };
	json_object	*pols = jget(rep, "policies"), *p, *v;
	char		 buf[RUNG_DBL_BUFSZ];
	size_t		 i, j, k, n;
	const size_t	 ncols = sizeof cols / sizeof cols[0];
	double		 d;

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
	fputc('\n', f);
	for (i = 0; i < jlen(pols); i++) {
		p = json_object_array_get_idx(pols, i);
		n = jlen(jget(p, "seed"));
		for (j = 0; j < n; j++) {
			rung_csv_field(f, jstr(p, "policy"));
			fputs(json_object_get_boolean(jget(p, "resume")) ?
			    ",1" : ",0", f);
			for (k = 0; k < ncols; k++) {
				fputc(',', f);
				v = json_object_array_get_idx(jget(p, cols[k]),
				    j);
				if (v == NULL)
					continue;
				if (json_object_is_type(v, json_type_string))
					rung_csv_field(f, json_object_get_string(v));
				else if (json_object_is_type(v,
				    json_type_boolean))
					fputc(json_object_get_boolean(v) ?
					    '1' : '0', f);
				else if (json_object_is_type(v,
				    json_type_int))
					fprintf(f, "%" PRId64,
					    json_object_get_int64(v));
				else {
					d = json_object_get_double(v);
					fputs(rung_fmt_double(d, 0, buf), f);
				}
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

/* The database. */


static void
bind_num(sqlite3_stmt *st, int i, double v)
{
	if (isfinite(v))
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static char *
trace_text(const struct rung_replay_result *r)
{
	struct rung_buf	 b = { 0 };
	char		 t[RUNG_DBL_BUFSZ], f[RUNG_DBL_BUFSZ];
	size_t		 i;

	rung_buf_addc(&b, '[');
	for (i = 0; i < r->ntrace; i++) {
		if (isfinite(r->trace_final[i]))
			rung_fmt_double(r->trace_final[i], 0, f);
		else
			strcpy(f, "null");
		rung_buf_printf(&b, "%s[%" PRIu64 ",%s,%s]", i ? "," : "",
		    r->trace_steps[i], rung_fmt_double(r->trace_time[i], 0, t),
		    f);
	}
	rung_buf_addc(&b, ']');
	return rung_buf_cstr(&b);
}

static char *
json_text(json_object *o)
{
	return xstrdup(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

static int
save_rows(struct rung_store *st, int64_t id, const struct rung_study *s,
    const struct setup *su, const struct rung_replay_set *set,
    json_object *rep, char **cause)
{
	sqlite3		*db = rung_store_db(st);
	sqlite3_stmt	*pp = NULL, *sp = NULL;
	json_object	*any = jget(rep, "anytime");
	char		*text;
	uint32_t	 k, i;
	int		 ret = -1;

	if (sqlite3_prepare_v2(db, "INSERT INTO replay_policies (replay_id,"
	    " idx, policy, seeds, resume, cost_steps_mean, cost_steps_sd,"
	    " cost_seconds_mean, cost_seconds_sd, saved_vs_baseline,"
	    " saved_vs_baseline_seconds, saved_vs_random,"
	    " saved_vs_random_seconds, best_final_mean, best_final_worst,"
	    " regret_mean, p_top1, p_top5, time_to_best_mean, anytime)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?)", -1, &pp, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO replay_seeds (replay_id,"
	    " policy_idx, seed, cost_steps, cost_seconds, end_time, started,"
	    " returned, returned_final, regret, top1, top5, time_to_best,"
	    " steps_to_best, saved_vs_baseline, saved_vs_random, trace)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1,
	    &sp, NULL) != SQLITE_OK) {
		rung_store_error(st, cause);
		goto out;
	}
	for (k = 0; k < su->np; k++) {
		const struct rung_replay_agg *a = &set->agg[k];

		sqlite3_reset(pp);
		sqlite3_bind_int64(pp, 1, id);
		sqlite3_bind_int(pp, 2, (int)k);
		sqlite3_bind_text(pp, 3, rung_policy_name(su->p[k].policy), -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(pp, 4, a->nseeds);
		sqlite3_bind_int(pp, 5, su->so.replay.resume);
		bind_num(pp, 6, a->cost_steps_mean);
		bind_num(pp, 7, a->cost_steps_sd);
		bind_num(pp, 8, a->cost_seconds_mean);
		bind_num(pp, 9, a->cost_seconds_sd);
		bind_num(pp, 10, a->saved_baseline);
		bind_num(pp, 11, a->saved_baseline_seconds);
		bind_num(pp, 12, a->saved_random);
		bind_num(pp, 13, a->saved_random_seconds);
		bind_num(pp, 14, a->final_mean);
		bind_num(pp, 15, a->final_worst);
		bind_num(pp, 16, a->regret_mean);
		bind_num(pp, 17, a->p_top1);
		bind_num(pp, 18, a->p_top5);
		bind_num(pp, 19, a->time_to_best_mean);
		text = json_text(json_object_array_get_idx(any, k));
		sqlite3_bind_text(pp, 20, text, -1, SQLITE_TRANSIENT);
		free(text);
		if (sqlite3_step(pp) != SQLITE_DONE) {
			rung_store_error(st, cause);
			goto out;
		}
		for (i = 0; i < set->nseeds; i++) {
			const struct rung_replay_seed *v =
			    &set->seeds[(size_t)k * set->nseeds + i];
			const struct rung_replay_result *r = &v->r;

			sqlite3_reset(sp);
			sqlite3_bind_int64(sp, 1, id);
			sqlite3_bind_int(sp, 2, (int)k);
			sqlite3_bind_int64(sp, 3, (int64_t)v->seed);
			sqlite3_bind_int64(sp, 4, (int64_t)r->cost_steps);
			bind_num(sp, 5, set->has_secs ? r->cost_seconds : NAN);
			bind_num(sp, 6, r->end_time);
			sqlite3_bind_int64(sp, 7, r->nstarted);
			if (r->returned != UINT32_MAX)
				sqlite3_bind_text(sp, 8, s->ids[r->returned],
				    -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(sp, 8);
			bind_num(sp, 9, r->returned_final);
			bind_num(sp, 10, r->regret);
			sqlite3_bind_int(sp, 11, r->top1 != 0);
			sqlite3_bind_int(sp, 12, r->top5 != 0);
			bind_num(sp, 13, r->returned != UINT32_MAX ?
			    r->time_to_best : NAN);
			if (r->returned != UINT32_MAX)
				sqlite3_bind_int64(sp, 14,
				    (int64_t)r->steps_to_best);
			else
				sqlite3_bind_null(sp, 14);
			bind_num(sp, 15, v->saved_baseline);
			bind_num(sp, 16, v->saved_random);
			text = trace_text(r);
			sqlite3_bind_text(sp, 17, text, -1, SQLITE_TRANSIENT);
			free(text);
			if (sqlite3_step(sp) != SQLITE_DONE) {
				rung_store_error(st, cause);
				goto out;
			}
		}
	}
	ret = 0;
out:
	sqlite3_finalize(pp);
	sqlite3_finalize(sp);
	return ret;
}

/* Keep a run: the report and its rows, in one transaction. */
static int
save_replay(struct rung_store *st, const struct rung_study *s,
    const struct setup *su, const struct rung_replay_set *set,
    json_object *rep, int64_t *id, char **cause)
{
	sqlite3		*db = rung_store_db(st);
	sqlite3_stmt	*q = NULL;
	struct rung_buf	 names = { 0 };
	char		*params, *report;
	uint32_t	 k;
	int		 ret = -1;

	for (k = 0; k < su->np; k++) {
		if (k > 0)
			rung_buf_addc(&names, ',');
		rung_buf_addstr(&names, rung_policy_name(su->p[k].policy));
	}
	params = json_text(jget(rep, "parameters"));
	report = json_text(rep);
	if (rung_store_begin(st, cause) != 0)
		goto out;
	if (sqlite3_prepare_v2(db, "INSERT INTO replays (study_id, study,"
	    " metric, direction, policies, baseline, seeds, seed, resume,"
	    " params, report) VALUES ((SELECT id FROM studies WHERE"
	    " name = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &q,
	    NULL) != SQLITE_OK) {
		rung_store_error(st, cause);
		goto fail;
	}
	sqlite3_bind_text(q, 1, s->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, s->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, jstr(rep, "metric"), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, rung_direction_name(s->direction), -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(q, 5, rung_buf_cstr(&names), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, rung_policy_name(su->p[set->baseline].policy),
	    -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 7, set->nseeds);
	sqlite3_bind_int64(q, 8, (int64_t)su->so.seed);
	sqlite3_bind_int(q, 9, su->so.replay.resume);
	sqlite3_bind_text(q, 10, params, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 11, report, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE) {
		rung_store_error(st, cause);
		goto fail;
	}
	*id = sqlite3_last_insert_rowid(db);
	if (save_rows(st, *id, s, su, set, rep, cause) != 0)
		goto fail;
	if (rung_store_commit(st, cause) != 0)
		goto out;
	ret = 0;
	goto out;
fail:
	rung_store_rollback(st);
out:
	sqlite3_finalize(q);
	rung_buf_release(&names);
	free(params);
	free(report);
	return ret;
}

/* replay */

static int
cmd_replay_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	struct rung_study	*s = NULL;
	struct rung_replay_set	 set;
	struct setup		 su;
	json_object		*rep = NULL;
	char			*cause = NULL;
	int64_t			 id = 0;
	int			 ret = RUNG_EXIT_USAGE, json, csv;

	memset(&su, 0, sizeof su);
	memset(&set, 0, sizeof set);
	json = ctx->format == RUNG_OUT_JSON;
	csv = ctx->format == RUNG_OUT_CSV;
	ret = RUNG_EXIT_ERROR;
	/* Not in the command table: --no-save only reads, as listings do. */
	if (rung_ctx_store(ctx, rung_args_has(args, OPT_NO_SAVE), &cause) != 0)
		goto out;
	if (rung_ctx_load(ctx, args->argv[0], args, 1, &s, &cause) != 0)
		goto out;
	if (s->max_step < 1) {
		xasprintf(&cause, "study '%s' has no point of '%s' after step "
		    "0 to replay", s->name, s->curve.name);
		goto out;
	}
	if ((ret = parse_setup(args, s, &su)) != 0)
		goto out;
	ret = RUNG_EXIT_ERROR;
	if (check_pool(s, &su, &cause) != 0)
		goto out;
	su.so.progress = ctx->progress ? "replaying" : NULL;
	if (rung_replay_seeds(s, su.p, su.nrun, su.baseline, &su.so, &set,
	    &cause) != 0)
		goto out;
	rep = report_json(s, &su, &set);
	if (!rung_args_has(args, OPT_NO_SAVE)) {
		if (save_replay(ctx->store, s, &su, &set, rep, &id,
		    &cause) != 0)
			goto out;
		rung_info("kept as replay %" PRId64 " (rung replays --show %"
		    PRId64 ")", id, id);
	}
	print_report(ctx, rep, id, json, csv);
	ret = RUNG_EXIT_OK;
out:
	if (cause != NULL) {
		rung_error("replay: %s", cause);
		free(cause);
	}
	if (rep != NULL)
		json_object_put(rep);
	rung_replay_set_release(&set);
	free(su.p);
	rung_study_free(s);
	return ret;
}

const struct rung_cmd_entry rung_cmd_replay_entry = {
	.name = "replay",
	.usage = "--policy name [--eta n] [--min-steps steps] [--max-steps steps] "
	    "[--workers n] [--seeds n] [--seed n] [--budget steps] "
	    "[--baseline policy] [--variant stop|promote] "
	    "[--rule ray|syne|optuna|determined] [--sampler random|tpe] "
	    "[--configs n] [--no-resume] [--min-curves n] [--keep-full k] "
	    "[--known-curve f] [--delta d] [-j jobs] [--no-save] study",
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
	sqlite3		*db = rung_store_db(ctx->store);
	sqlite3_stmt	*q = NULL;
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
	if (sqlite3_prepare_v2(db, "SELECT report FROM replays WHERE id = ?",
	    -1, &q, NULL) != SQLITE_OK) {
		rung_store_error(ctx->store, &cause);
		goto out;
	}
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_DONE) {
		xasprintf(&cause, "no replay %lld in '%s' (rung replays lists "
		    "them)", id, rung_store_path(ctx->store));
		goto out;
	}
	if (rc != SQLITE_ROW) {
		rung_store_error(ctx->store, &cause);
		goto out;
	}
	if ((rep = json_tokener_parse((const char *)sqlite3_column_text(q,
	    0))) == NULL) {
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
	sqlite3_finalize(q);
	return ret;
}

static int
cmd_replays_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	static const char *hdr[] = { ">ID", "STUDY", "POLICIES", "BASELINE",
		">SEEDS", ">ETA", ">MAX_STEPS", ">WORKERS", "RESUME", "CREATED" };
	sqlite3		*db = rung_store_db(ctx->store);
	sqlite3_stmt	*q = NULL, *pq = NULL;
	struct rung_table *tab = NULL;
	json_object	*arr = NULL, *o, *par, *sum, *x;
	const char	*study = args->argc > 0 ? args->argv[0] : NULL;
	const char	*row[10], *show = rung_args_get(args, OPT_SHOW);
	char		 c[5][RUNG_DBL_BUFSZ], *cause = NULL;
	int		 json = ctx->format == RUNG_OUT_JSON, ret;
	int		 csv = ctx->format == RUNG_OUT_CSV, k;

	if (show != NULL) {
		if (study != NULL) {
			rung_error("replays: --show takes an id, not a study");
			rung_cmd_usage(stderr, &rung_cmd_replays_entry);
			return RUNG_EXIT_USAGE;
		}
		return show_replay(ctx, show, json, csv);
	}
	ret = RUNG_EXIT_ERROR;
	if (sqlite3_prepare_v2(db, "SELECT id, study, metric, direction,"
	    " policies, baseline, seeds, seed, resume, params, created"
	    " FROM replays WHERE ?1 IS NULL OR study = ?1 ORDER BY id", -1, &q,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT policy, cost_steps_mean,"
	    " cost_seconds_mean, saved_vs_baseline, saved_vs_random,"
	    " best_final_mean, regret_mean, p_top1, p_top5"
	    " FROM replay_policies WHERE replay_id = ? ORDER BY idx", -1, &pq,
	    NULL) != SQLITE_OK) {
		rung_store_error(ctx->store, &cause);
		goto out;
	}
	if (study != NULL)
		sqlite3_bind_text(q, 1, study, -1, SQLITE_STATIC);
	if (json)
		arr = json_object_new_array();
	else
		tab = rung_table_new(hdr, 10);
	while (sqlite3_step(q) == SQLITE_ROW) {
		par = json_tokener_parse((const char *)sqlite3_column_text(q,
		    9));
		if (!json) {
			snprintf(c[0], sizeof c[0], "%lld",
			    (long long)sqlite3_column_int64(q, 0));
			snprintf(c[1], sizeof c[1], "%lld",
			    (long long)sqlite3_column_int64(q, 6));
			fmt_num(jnum(par, "eta"), c[2]);
			fmt_num(jnum(par, "max_r"), c[3]);
			fmt_num(jnum(par, "workers"), c[4]);
			row[0] = c[0];
			row[1] = (const char *)sqlite3_column_text(q, 1);
			row[2] = (const char *)sqlite3_column_text(q, 4);
			row[3] = (const char *)sqlite3_column_text(q, 5);
			row[4] = c[1];
			row[5] = c[2];
			row[6] = c[3];
			row[7] = c[4];
			row[8] = sqlite3_column_int(q, 8) ? "on" : "off";
			row[9] = (const char *)sqlite3_column_text(q, 10);
			rung_table_add(tab, row);
			if (par != NULL)
				json_object_put(par);
			continue;
		}
		o = json_object_new_object();
		json_object_object_add(o, "id",
		    json_object_new_int64(sqlite3_column_int64(q, 0)));
		for (k = 1; k <= 3; k++)
			json_object_object_add(o, sqlite3_column_name(q, k),
			    json_object_new_string((const char *)
			    sqlite3_column_text(q, k)));
		json_object_object_add(o, "created", json_object_new_string(
		    (const char *)sqlite3_column_text(q, 10)));
		json_object_object_add(o, "baseline", json_object_new_string(
		    (const char *)sqlite3_column_text(q, 5)));
		json_object_object_add(o, "seeds",
		    json_object_new_int64(sqlite3_column_int64(q, 6)));
		json_object_object_add(o, "seed",
		    json_object_new_int64(sqlite3_column_int64(q, 7)));
		json_object_object_add(o, "resume",
		    json_object_new_boolean(sqlite3_column_int(q, 8)));
		json_object_object_add(o, "parameters", par);
		sum = json_object_new_array();
		sqlite3_reset(pq);
		sqlite3_bind_int64(pq, 1, sqlite3_column_int64(q, 0));
		while (sqlite3_step(pq) == SQLITE_ROW) {
			x = json_object_new_object();
			json_object_object_add(x, "policy",
			    json_object_new_string((const char *)
			    sqlite3_column_text(pq, 0)));
			for (k = 1; k <= 8; k++)
				json_object_object_add(x,
				    sqlite3_column_name(pq, k),
				    sqlite3_column_type(pq, k) == SQLITE_NULL ?
				    NULL : rung_json_double(
				    sqlite3_column_double(pq, k), 0));
			json_object_array_add(sum, x);
		}
		json_object_object_add(o, "policies", sum);
		json_object_array_add(arr, o);
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
	sqlite3_finalize(q);
	sqlite3_finalize(pq);
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
