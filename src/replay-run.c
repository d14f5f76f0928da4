/*
 * rung replay's work, for the command and for plot replay --policy: its
 * options into policies and settings, the policies replayed over the
 * study's curves for N seeds, the report (what replay --json prints) and,
 * unless --no-save, the run kept in the store.
 */
#include "config.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/jsonout.h"
#include "rung/predict.h"
#include "rung/replay.h"
#include "rung/sched.h"
#include "rung/store.h"
#include "rung/store-replay.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "replay-run-int.h"

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
parse_setup(const struct rung_args *args, const struct replay_optids *id,
    const struct rung_study *s, struct setup *su)
{
	struct rung_sched_params *b = &su->base;
	struct rung_sched	*sc;
	const char		*v;
	char			**list = NULL, *cause = NULL, *names;
	size_t			 nlist = 0, i, j;
	enum rung_policy	 pol, bpol = RUNG_POLICY_HYPERBAND;
	long			 n;
	int			 ret = RUNG_EXIT_USAGE;

	rung_sched_params_init(b, RUNG_POLICY_HYPERBAND);
	b->max_r = s->max_step;
	if (rung_args_sched(args, "replay", &id->sched, b) != 0 ||
	    real_opt(args, id->max_r, "max-steps", 0, INT32_MAX, 1, "a positive "
	    "number of steps", &b->max_r) != 0)
		goto out;
	if (b->max_r < b->min_r) {
		rung_error("replay: --max-steps (%g) must be at least --min-steps (%g)",
		    b->max_r, b->min_r);
		goto out;
	}

	rung_replay_seeds_opts_init(&su->so);
	su->so.ngrid = ANYTIME_POINTS;
	if ((v = rung_args_get(args, id->sampler)) != NULL) {
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
	su->so.replay.resume = !rung_args_has(args, id->no_resume);
	su->so.equal_cost = !rung_args_has(args, id->no_equal_cost);
	n = 1;
	if (int_opt(args, id->workers, "workers", 1, 1000000, &n) != 0)
		goto out;
	su->so.replay.workers = (uint32_t)n;
	n = 0;
	if (int_opt(args, id->budget, "budget", 0, LONG_MAX, &n) != 0)
		goto out;
	su->so.replay.budget = (uint64_t)n;
	n = 10;
	if (int_opt(args, id->seeds, "seeds", 1, 1000000, &n) != 0)
		goto out;
	su->so.nseeds = (uint32_t)n;
	n = 0;
	if (int_opt(args, id->seed, "seed", 0, 2147483647L, &n) != 0)
		goto out;
	su->so.seed = (uint64_t)n;
	n = 0;
	if (int_opt(args, id->jobs, "jobs", 0, 1024, &n) != 0)
		goto out;
	su->so.threads = (int)n;
	su->metric = rung_args_get(args, RUNG_OPT_METRIC);

	/*
	 * Configurations of random search and ASHA: by default as many as
	 * Hyperband starts with the same max_r, min_r and eta.
	 */
	if (rung_args_has(args, id->configs)) {
		if (int_opt(args, id->configs, "configs", 1, 100000000,
		    &n) != 0)
			goto out;
		su->configs = (uint32_t)n;
		su->configs_given = 1;
	} else {
		su->configs = rung_hb_default_configs(b);
		cause = NULL;
	}

	if (!rung_args_has(args, id->policy)) {
		names = rung_policy_names();
		rung_error("replay: give --policy with one or more of %s, "
		    "separated by commas", names);
		free(names);
		goto out;
	}
	if ((v = rung_args_get(args, id->baseline)) != NULL &&
	    parse_policy("--baseline", v, &bpol) != 0)
		goto out;
	list = rung_args_list(args, id->policy, &nlist);
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
	json_object_object_add(o, "svr_train", json_object_new_string(
	    rung_svr_train_name(b->svr_train)));
	json_object_object_add(o, "svr", json_object_new_string(
	    rung_svr_type_name(b->svr.type)));
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

/* Seeds of policy k's equal-cost replays that started the whole pool. */
static uint32_t
eq_pool_spent(const struct rung_replay_set *set, uint32_t k)
{
	const struct rung_replay_seed *v = &set->eq_seeds[(size_t)k *
	    set->nseeds];
	uint32_t	 i, n = 0;

	for (i = 0; i < set->nseeds; i++)
		n += v[i].r.nstarted >= set->npool && !v[i].r.budget_spent;
	return n;
}

/*
 * Policy k at the baseline's cost: its figures, and per seed what it
 * spent, started and returned. NULL without the view.
 */
static json_object *
equal_json(const struct rung_replay_set *set, uint32_t k)
{
	const struct rung_replay_agg *a;
	const struct rung_replay_seed *v;
	json_object	*o, *arr[4];
	static const char *keys[4] = { "cost_steps", "started", "regret",
		"top5" };
	uint32_t	 i;
	int		 j;

	if (set->eq_agg == NULL)
		return NULL;
	a = &set->eq_agg[k];
	v = &set->eq_seeds[(size_t)k * set->nseeds];
	o = json_object_new_object();
	json_object_object_add(o, "budget_steps", json_object_new_int64(
	    (int64_t)set->eq_budget));
	add_double(o, "cost_steps_mean", a->cost_steps_mean);
	add_double(o, "spent", a->cost_steps_mean / (double)set->eq_budget);
	add_double(o, "started_mean", a->started_mean);
	add_double(o, "best_final_mean", a->final_mean);
	add_double(o, "best_final_worst", a->final_worst);
	add_double(o, "regret_mean", a->regret_mean);
	add_double(o, "regret_worst", fabs(a->final_worst - set->pool_best));
	add_double(o, "p_top1", a->p_top1);
	add_double(o, "p_top5", a->p_top5);
	json_object_object_add(o, "budget_spent",
	    json_object_new_int64(a->nbudget));
	json_object_object_add(o, "pool_spent",
	    json_object_new_int64(eq_pool_spent(set, k)));
	for (j = 0; j < 4; j++)
		arr[j] = json_object_new_array();
	for (i = 0; i < set->nseeds; i++) {
		json_object_array_add(arr[0], json_object_new_int64(
		    (int64_t)v[i].r.cost_steps));
		json_object_array_add(arr[1], json_object_new_int64(
		    v[i].r.nstarted));
		json_object_array_add(arr[2], rung_json_double(v[i].r.regret,
		    0));
		json_object_array_add(arr[3], json_object_new_boolean(
		    v[i].r.top5));
	}
	for (j = 0; j < 4; j++)
		json_object_object_add(o, keys[j], arr[j]);
	return o;
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
	json_object_object_add(o, "equal_cost", equal_json(set, k));
	return o;
}

/*
 * The anytime curve: at each cost of the grid, the mean best-so-far final
 * value and its regret against the pool's best. Every value of the trace
 * is a final of the pool, on the same side of its best, so the mean
 * regret is the distance of the mean.
 */
static json_object *
anytime_json(const struct setup *su, const struct rung_replay_set *set,
    uint32_t k)
{
	json_object	*o = json_object_new_object(), *g, *m, *n, *rg;
	double		 v;
	uint32_t	 i;

	g = json_object_new_array();
	m = json_object_new_array();
	n = json_object_new_array();
	rg = json_object_new_array();
	for (i = 0; i < set->ngrid; i++) {
		v = set->agg[k].anytime[i];
		json_object_array_add(g, rung_json_double(set->grid[i], 0));
		json_object_array_add(m, rung_json_double(v, 0));
		json_object_array_add(n, json_object_new_int64(
		    set->agg[k].anytime_n[i]));
		json_object_array_add(rg, rung_json_double(fabs(v -
		    set->pool_best), 0));
	}
	json_object_object_add(o, "policy", json_object_new_string(
	    rung_policy_name(su->p[k].policy)));
	json_object_object_add(o, "cost_steps", g);
	json_object_object_add(o, "best_final_mean", m);
	json_object_object_add(o, "regret_mean", rg);
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

	/* What the equal-cost view gave every policy. */
	b = NULL;
	if (set->eq_agg != NULL) {
		b = json_object_new_object();
		json_object_object_add(b, "policy", json_object_new_string(
		    rung_policy_name(su->p[set->baseline].policy)));
		json_object_object_add(b, "budget_steps",
		    json_object_new_int64((int64_t)set->eq_budget));
	}
	json_object_object_add(o, "equal_cost", b);

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

/* The database. */

static char *
json_text(json_object *o)
{
	return xstrdup(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

static void
kept_seed(const struct rung_study *s, const struct rung_replay_set *set,
    const struct rung_replay_seed *v, struct rung_kept_seed *ks)
{
	const struct rung_replay_result *r = &v->r;
	int		 ret = r->returned != UINT32_MAX;

	ks->seed = v->seed;
	ks->cost_steps = (int64_t)r->cost_steps;
	ks->cost_seconds = set->has_secs ? r->cost_seconds : NAN;
	ks->end_time = r->end_time;
	ks->started = r->nstarted;
	ks->returned = ret ? xstrdup(s->ids[r->returned]) : NULL;
	ks->returned_final = r->returned_final;
	ks->regret = r->regret;
	ks->top1 = r->top1 != 0;
	ks->top5 = r->top5 != 0;
	ks->time_to_best = ret ? r->time_to_best : NAN;
	ks->steps_to_best = ret ? (int64_t)r->steps_to_best : -1;
	ks->saved_vs_baseline = v->saved_baseline;
	ks->saved_vs_random = v->saved_random;
	ks->ntrace = r->ntrace;
	ks->trace_steps = xcalloc(r->ntrace + 1, sizeof *ks->trace_steps);
	ks->trace_time = xcalloc(r->ntrace + 1, sizeof *ks->trace_time);
	ks->trace_final = xcalloc(r->ntrace + 1, sizeof *ks->trace_final);
	if (r->ntrace > 0) {
		memcpy(ks->trace_steps, r->trace_steps,
		    r->ntrace * sizeof *ks->trace_steps);
		memcpy(ks->trace_time, r->trace_time,
		    r->ntrace * sizeof *ks->trace_time);
		memcpy(ks->trace_final, r->trace_final,
		    r->ntrace * sizeof *ks->trace_final);
	}
}

/* Policy k's equal-cost figures, as the report gives them. */
static void
kept_equal(const struct rung_replay_set *set, uint32_t k,
    struct rung_kept_policy *p)
{
	const struct rung_replay_agg *a;

	p->equal_cost_steps_mean = p->equal_started_mean = NAN;
	p->equal_regret_mean = p->equal_regret_worst = NAN;
	p->equal_p_top1 = p->equal_p_top5 = NAN;
	if (set->eq_agg == NULL)
		return;
	a = &set->eq_agg[k];
	p->equal_budget_steps = (int64_t)set->eq_budget;
	p->equal_cost_steps_mean = a->cost_steps_mean;
	p->equal_started_mean = a->started_mean;
	p->equal_regret_mean = a->regret_mean;
	p->equal_regret_worst = fabs(a->final_worst - set->pool_best);
	p->equal_p_top1 = a->p_top1;
	p->equal_p_top5 = a->p_top5;
}

/* A run as the store keeps it: the report and its rows. */
static void
kept_of(const struct rung_study *s, const struct setup *su,
    const struct rung_replay_set *set, json_object *rep,
    struct rung_kept_replay *kr)
{
	json_object	*any = NULL, *par = NULL;
	uint32_t	 k, i;

	json_object_object_get_ex(rep, "anytime", &any);
	json_object_object_get_ex(rep, "parameters", &par);
	memset(kr, 0, sizeof *kr);
	kr->study = xstrdup(s->name);
	kr->metric = xstrdup(s->curve.name != NULL ? s->curve.name : "");
	kr->direction = xstrdup(rung_direction_name(s->direction));
	kr->baseline = xstrdup(rung_policy_name(
	    su->p[set->baseline].policy));
	kr->seeds = set->nseeds;
	kr->seed = (int64_t)su->so.seed;
	kr->resume = su->so.replay.resume;
	kr->params = json_text(par);
	kr->report = json_text(rep);
	kr->npol = su->np;
	kr->pol = xcalloc(su->np + 1, sizeof *kr->pol);
	for (k = 0; k < su->np; k++) {
		const struct rung_replay_agg *a = &set->agg[k];
		struct rung_kept_policy *p = &kr->pol[k];

		p->policy = xstrdup(rung_policy_name(su->p[k].policy));
		p->seeds = a->nseeds;
		p->resume = su->so.replay.resume;
		p->cost_steps_mean = a->cost_steps_mean;
		p->cost_steps_sd = a->cost_steps_sd;
		p->cost_seconds_mean = a->cost_seconds_mean;
		p->cost_seconds_sd = a->cost_seconds_sd;
		p->saved_vs_baseline = a->saved_baseline;
		p->saved_vs_baseline_seconds = a->saved_baseline_seconds;
		p->saved_vs_random = a->saved_random;
		p->saved_vs_random_seconds = a->saved_random_seconds;
		p->best_final_mean = a->final_mean;
		p->best_final_worst = a->final_worst;
		p->regret_mean = a->regret_mean;
		p->p_top1 = a->p_top1;
		p->p_top5 = a->p_top5;
		p->time_to_best_mean = a->time_to_best_mean;
		p->anytime = json_text(json_object_array_get_idx(any, k));
		kept_equal(set, k, p);
		p->nseed = set->nseeds;
		p->seed = xcalloc(set->nseeds + 1, sizeof *p->seed);
		for (i = 0; i < set->nseeds; i++)
			kept_seed(s, set, &set->seeds[(size_t)k * set->nseeds +
			    i], &p->seed[i]);
	}
}

/* Keep a run: the report and its rows, in one transaction. */
static int
save_replay(struct rung_store *st, const struct rung_study *s,
    const struct setup *su, const struct rung_replay_set *set,
    json_object *rep, int64_t *id, char **cause)
{
	struct rung_kept_replay kr;
	int		 ret;

	kept_of(s, su, set, rep, &kr);
	ret = rung_store_replay_save(st, &kr, cause);
	*id = kr.id;
	rung_kept_replay_release(&kr);
	return ret;
}

int
replay_run(struct rung_ctx *ctx, const char *study,
    const struct rung_args *args, const struct replay_optids *id, int save,
    json_object **repp, int64_t *kept)
{
	struct rung_study	*s = NULL;
	struct rung_replay_set	 set;
	struct setup		 su;
	json_object		*rep = NULL;
	char			*cause = NULL;
	int			 ret;

	memset(&su, 0, sizeof su);
	memset(&set, 0, sizeof set);
	*kept = 0;
	ret = RUNG_EXIT_ERROR;
	if (rung_ctx_store(ctx, !save, &cause) != 0)
		goto out;
	if (rung_ctx_load(ctx, study, args, 1, &s, &cause) != 0)
		goto out;
	if (s->max_step < 1) {
		xasprintf(&cause, "study '%s' has no point of '%s' after step "
		    "0 to replay", s->name, s->curve.name);
		goto out;
	}
	if ((ret = parse_setup(args, id, s, &su)) != 0)
		goto out;
	ret = RUNG_EXIT_ERROR;
	if (check_pool(s, &su, &cause) != 0)
		goto out;
	su.so.progress = ctx->progress ? "replaying" : NULL;
	if (rung_replay_seeds(s, su.p, su.nrun, su.baseline, &su.so, &set,
	    &cause) != 0)
		goto out;
	rep = report_json(s, &su, &set);
	if (save) {
		if (save_replay(ctx->store, s, &su, &set, rep, kept,
		    &cause) != 0)
			goto out;
		rung_info("kept as replay %" PRId64 " (rung replays --show %"
		    PRId64 ")", *kept, *kept);
	}
	ret = RUNG_EXIT_OK;
out:
	if (cause != NULL) {
		rung_error("replay: %s", cause);
		free(cause);
	}
	if (ret == RUNG_EXIT_OK && repp != NULL)
		*repp = rep;
	else if (rep != NULL)
		json_object_put(rep);
	rung_replay_set_release(&set);
	free(su.p);
	rung_study_free(s);
	return ret;
}
