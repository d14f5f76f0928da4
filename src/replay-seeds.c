/*
 * Multi-seed replays: every policy over the same seeds, one replay per
 * (policy, seed) slot on a pool of threads, then the figures of
 * algorithms.md 5 per policy. The threads only fill their own slots and
 * the aggregation runs afterwards in slot order, so the result does not
 * depend on the number of threads or on which thread ran what.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "rung/pool.h"
#include "rung/predict.h"
#include "rung/replay.h"
#include "rung/sampler.h"
#include "rung/sched.h"
#include "rung/study.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

void
rung_replay_seeds_opts_init(struct rung_replay_seeds_opts *o)
{
	memset(o, 0, sizeof *o);
	rung_replay_opts_init(&o->replay);
	o->nseeds = 10;
	o->ngrid = 50;
}

double *
rung_replay_grid(double max, uint32_t ngrid)
{
	double		*g;
	uint32_t	 k;

	if (ngrid < 2)
		ngrid = 2;
	g = xcalloc(ngrid, sizeof *g);
	for (k = 0; k < ngrid; k++)
		g[k] = max * k / (ngrid - 1);
	g[ngrid - 1] = max;
	return g;
}

double
rung_replay_anytime_at(const struct rung_replay_result *r, double steps)
{
	size_t	 lo = 0, hi = r->ntrace, mid;

	/* The last trace point at or below steps (the trace is in order). */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((double)r->trace_steps[mid] <= steps)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? NAN : r->trace_final[lo - 1];
}

/* 1 - cost / base, NaN unless both are known and base is positive. */
static double
saved(double cost, double base)
{
	if (!isfinite(cost) || !isfinite(base) || base <= 0)
		return NAN;
	return 1 - cost / base;
}

/* Mean of the finite values of v[0..n); NaN when none is. */
static double
mean_finite(const double *v, uint32_t n)
{
	double		 sum = 0;
	uint32_t	 i, k = 0;

	for (i = 0; i < n; i++) {
		if (isfinite(v[i])) {
			sum += v[i];
			k++;
		}
	}
	return k ? sum / k : NAN;
}

/* Sample standard deviation of the finite values; NaN below two. */
static double
sd_finite(const double *v, uint32_t n, double mean)
{
	double		 ss = 0;
	uint32_t	 i, k = 0;

	for (i = 0; i < n; i++) {
		if (isfinite(v[i])) {
			ss += (v[i] - mean) * (v[i] - mean);
			k++;
		}
	}
	return k >= 2 ? sqrt(ss / (k - 1)) : NAN;
}

void
rung_replay_aggregate(struct rung_replay_seed *v,
    const struct rung_replay_seed *base, uint32_t n, enum rung_direction dir,
    int has_secs, const double *grid, uint32_t ngrid,
    struct rung_replay_agg *a)
{
	double		*x, f, sum;
	uint32_t	 i, k, m;

	memset(a, 0, sizeof *a);
	a->nseeds = n;
	x = xcalloc(n ? n : 1, sizeof *x);

	for (i = 0; i < n; i++) {
		const struct rung_replay_result *r = &v[i].r;
		const struct rung_replay_result *b = &base[i].r;

		v[i].saved_baseline = saved((double)r->cost_steps,
		    (double)b->cost_steps);
		v[i].saved_random = saved((double)r->cost_steps,
		    (double)v[i].random_steps);
		v[i].saved_random_seconds = has_secs ?
		    saved(r->cost_seconds, v[i].random_seconds) : NAN;
		v[i].saved_baseline_seconds = has_secs ?
		    saved(r->cost_seconds, b->cost_seconds) : NAN;
	}

#define MEAN(field, expr) do {						\
	for (i = 0; i < n; i++)						\
		x[i] = (expr);						\
	a->field = mean_finite(x, n);					\
} while (0)
	MEAN(cost_steps_mean, (double)v[i].r.cost_steps);
	a->cost_steps_sd = sd_finite(x, n, a->cost_steps_mean);
	MEAN(cost_seconds_mean, has_secs ? v[i].r.cost_seconds : NAN);
	a->cost_seconds_sd = sd_finite(x, n, a->cost_seconds_mean);
	MEAN(started_mean, (double)v[i].r.nstarted);
	MEAN(random_steps_mean, (double)v[i].random_steps);
	MEAN(random_seconds_mean, v[i].random_seconds);
	MEAN(saved_baseline, v[i].saved_baseline);
	MEAN(saved_baseline_seconds, v[i].saved_baseline_seconds);
	MEAN(saved_random, v[i].saved_random);
	MEAN(saved_random_seconds, v[i].saved_random_seconds);
	MEAN(final_mean, v[i].r.returned_final);
	MEAN(regret_mean, isfinite(v[i].r.returned_final) ? v[i].r.regret :
	    NAN);
	MEAN(time_to_best_mean, v[i].r.returned != UINT32_MAX ?
	    v[i].r.time_to_best : NAN);
	MEAN(steps_to_best_mean, v[i].r.returned != UINT32_MAX ?
	    (double)v[i].r.steps_to_best : NAN);
#undef MEAN

	a->final_worst = NAN;
	for (i = 0; i < n; i++) {
		f = v[i].r.returned_final;
		if (!isfinite(f))
			continue;
		if (a->nfinal++ == 0 || rung_better(dir, a->final_worst, f))
			a->final_worst = f;
	}
	for (i = 0, k = 0, m = 0; i < n; i++) {
		k += v[i].r.top1 != 0;
		m += v[i].r.top5 != 0;
		a->nexhausted += v[i].r.exhausted != 0;
		a->nbudget += v[i].r.budget_spent != 0;
	}
	a->p_top1 = n ? (double)k / n : NAN;
	a->p_top5 = n ? (double)m / n : NAN;

	/*
	 * Each grid point's sum over the seeds in their order, as a loop
	 * over the points would add them; a seed's trace is walked along
	 * the grid (both ascend) rather than searched at every point.
	 */
	a->anytime = xcalloc(ngrid ? ngrid : 1, sizeof *a->anytime);
	a->anytime_n = xcalloc(ngrid ? ngrid : 1, sizeof *a->anytime_n);
	for (i = 0; i < n; i++) {
		const struct rung_replay_result *r = &v[i].r;
		size_t	 j = 0;

		for (k = 0; k < ngrid; k++) {
			if (k > 0 && grid[k] < grid[k - 1])
				j = 0;	/* not ascending: walk again */
			while (j < r->ntrace &&
			    (double)r->trace_steps[j] <= grid[k])
				j++;
			f = j == 0 ? NAN : r->trace_final[j - 1];
			if (isfinite(f)) {
				a->anytime[k] += f;
				a->anytime_n[k]++;
			}
		}
	}
	for (k = 0; k < ngrid; k++) {
		sum = a->anytime[k];
		m = a->anytime_n[k];
		a->anytime[k] = m ? sum / m : NAN;
	}
	free(x);
}

void
rung_replay_agg_release(struct rung_replay_agg *a)
{
	if (a == NULL)
		return;
	free(a->anytime);
	free(a->anytime_n);
	a->anytime = NULL;
	a->anytime_n = NULL;
}

void
rung_replay_set_release(struct rung_replay_set *set)
{
	uint32_t	 i;

	if (set == NULL)
		return;
	if (set->seeds != NULL) {
		for (i = 0; i < set->npolicies * set->nseeds; i++)
			rung_replay_result_release(&set->seeds[i].r);
	}
	if (set->agg != NULL) {
		for (i = 0; i < set->npolicies; i++)
			rung_replay_agg_release(&set->agg[i]);
	}
	if (set->eq_seeds != NULL) {
		for (i = 0; i < set->npolicies * set->nseeds; i++)
			rung_replay_result_release(&set->eq_seeds[i].r);
	}
	if (set->eq_agg != NULL) {
		for (i = 0; i < set->npolicies; i++)
			rung_replay_agg_release(&set->eq_agg[i]);
	}
	free(set->seeds);
	free(set->agg);
	free(set->eq_seeds);
	free(set->eq_agg);
	free(set->grid);
	memset(set, 0, sizeof *set);
}

/* Recorded seconds of trial t's steps 1 .. R, added to *sum point by point. */
static void
add_seconds(const struct rung_study *s, uint32_t t, int32_t R, double *sum)
{
	uint32_t	 j;
	float		 f;

	for (j = s->curve.off[t]; j < s->curve.off[t + 1]; j++) {
		if (s->curve.steps[j] < 1)
			continue;
		if (s->curve.steps[j] > R)
			break;
		f = s->secs[j];
		*sum += isfinite(f) ? f : 0;	/* unknown costs nothing */
	}
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * The cost of training every configuration the replay started to max_r:
 * R steps each, and with recorded seconds theirs for steps 1 .. R. The
 * configurations started are those the replay saw a point of (reached);
 * when that is not all nstarted of them (one started but cut before its
 * first point) the seconds are not claimed. With the random sampler they
 * are added in the order they were started (the first nstarted of the
 * pool in the seed's order), so that random search's own replay on one
 * worker comes out the same to the last bit; with tpe in the order of
 * the study's trials. Both from the replay's list of what it started, so
 * that the cost is that of the list, not of the pool.
 */
static void
random_cost(const struct rung_study *s, const struct rung_sched_params *p,
    const struct rung_replay_opts *o, struct rung_replay_seed *v)
{
	const struct rung_replay_result *r = &v->r;
	uint32_t	*t, i;
	int32_t		 R = (int32_t)ceil(p->max_r);
	double		 secs = 0;

	v->random_steps = (uint64_t)r->nstarted * (uint64_t)R;
	v->random_seconds = NAN;
	if (s->secs == NULL)
		return;
	for (i = 0; i < r->nstarted; i++) {
		if (r->started_reached[i] <= 0)
			return;
	}
	if (o->sampler == RUNG_SAMPLER_RANDOM) {
		for (i = 0; i < r->nstarted; i++)
			add_seconds(s, r->started[i], R, &secs);
	} else {
		t = xreallocarray(NULL, r->nstarted + 1, sizeof *t);
		memcpy(t, r->started, r->nstarted * sizeof *t);
		qsort(t, r->nstarted, sizeof *t, u32_cmp);
		for (i = 0; i < r->nstarted; i++)
			add_seconds(s, t[i], R, &secs);
		free(t);
	}
	v->random_seconds = secs;
}

void
rung_replay_equal_params(const struct rung_sched_params *p, uint32_t npool,
    struct rung_sched_params *out)
{
	int	 f = rung_policy_flags(p->policy);

	*out = *p;
	if ((f & RUNG_PF_CONFIGS) && !(f & RUNG_PF_SIZED) && npool > 0)
		out->max_configs = npool;
}

/*
 * The seeds' orders of the pool kept from one run to the next up to this
 * many entries (64 MiB): a thousand seeds of a pool of a thousand are 4
 * MiB, and a shuffle saved per seed.
 */
#define ORDERS_MAX	(16u << 20)

/*
 * The replays, in two runs of the pool over the seeds. The first replays
 * the baseline alone, whose mean cost is the equal-cost replays' budget.
 * The second takes a seed at a time and replays the other policies, then
 * every policy at that budget: a seed's replays share its order of the
 * pool (rung_sampler_order), made once rather than by each of them, since
 * it costs a draw per configuration of the pool whatever a replay starts
 * of it, and kept from the first run where the seeds' orders fit in
 * ORDERS_MAX. Each thread keeps its scratch (rung_replay_run_in) over its
 * seeds. A replay is a function of its policy, seed and options alone, so
 * each slot holds what the passes one after the other gave it.
 */
struct work {
	const struct rung_study		*s;
	const struct rung_sched_params	*p;	/* [policy] */
	const struct rung_replay_opts	*ro;
	/* At equal cost: parameters [policy] and options; ep NULL: none. */
	const struct rung_sched_params	*ep;
	const struct rung_replay_opts	*ero;
	uint64_t			 seed;	/* the first */
	uint32_t			 nseeds;
	uint32_t			 np;
	uint32_t			 baseline;
	int				 rest;	/* 0: the baseline's run */
	struct rung_replay_seed		*seeds;	/* [policy * nseeds + i] */
	struct rung_replay_seed		*eq_seeds;
	char				**causes;	/* per slot */
	char				**eq_causes;
	struct rung_replay_scratch	**scratch;	/* per worker */
	/*
	 * Each seed's order of the pool, made by the baseline's run for
	 * the second, where they fit in ORDERS_MAX; else NULL and each run
	 * makes them.
	 */
	uint32_t			*orders;
	uint32_t			 npool;
	atomic_uint			*done;
	pthread_t			 main;
	struct rung_progress		*prog;
};

/*
 * May the equal-cost replay of slot be its first replay? When its
 * parameters did not change and that replay cost less than the budget
 * (the budget never bound) or exactly the budget with nothing after
 * (tail_quiet).
 */
static int
reusable(const struct work *w, uint32_t slot)
{
	const struct rung_replay_result	*r;
	uint32_t			 k = slot / w->nseeds;

	if (w->ero->budget == 0)
		return 0;
	if (w->ep[k].max_configs != w->p[k].max_configs)
		return 0;	/* what equal_params sets */
	r = &w->seeds[slot].r;
	if (r->budget_spent)	/* stopped by --budget: not the whole run */
		return 0;
	return r->cost_steps < w->ero->budget ||
	    (r->cost_steps == w->ero->budget && r->tail_quiet);
}

/* A slot done; only the calling thread draws the progress. */
static void
tick(struct work *w)
{
	uint32_t	 done;

	done = atomic_fetch_add(w->done, 1) + 1;
	if (w->prog != NULL && pthread_equal(pthread_self(), w->main))
		rung_progress_update(w->prog, done);
}

static void
replay_slot(struct work *w, struct rung_replay_scratch *x,
    const struct rung_sched_params *p, const struct rung_replay_opts *ro,
    struct rung_replay_seed *v, char **cause)
{
	if (rung_replay_run_in(x, w->s, p, ro, v->seed, &v->r, cause) == 0)
		random_cost(w->s, p, ro, v);
}

/*
 * Seed i: the baseline, or the rest of its slots, on the worker's scratch
 * (whose order of the pool is then the seed's for all of them).
 */
static void
work_seed(void *arg, uint32_t i, uint32_t worker)
{
	struct work			*w = arg;
	struct rung_replay_scratch	*x;
	struct rung_replay_seed		*v;
	uint32_t			 k, slot;

	if ((x = w->scratch[worker]) == NULL)
		x = w->scratch[worker] = rung_replay_scratch_new();
	if (w->orders != NULL) {
		if (!w->rest)
			rung_sampler_order(w->seed + i, w->orders +
			    (size_t)i * w->npool, w->npool);
		rung_replay_scratch_order(x, w->seed + i, w->orders +
		    (size_t)i * w->npool, w->npool);
	}
	if (!w->rest) {
		slot = w->baseline * w->nseeds + i;
		v = &w->seeds[slot];
		v->seed = w->seed + i;
		replay_slot(w, x, &w->p[w->baseline], w->ro, v,
		    &w->causes[slot]);
		tick(w);
		return;
	}
	for (k = 0; k < w->np; k++) {
		if (k == w->baseline)
			continue;
		slot = k * w->nseeds + i;
		v = &w->seeds[slot];
		v->seed = w->seed + i;
		replay_slot(w, x, &w->p[k], w->ro, v, &w->causes[slot]);
		tick(w);
	}
	for (k = 0; w->ep != NULL && k < w->np; k++) {
		slot = k * w->nseeds + i;
		v = &w->eq_seeds[slot];
		v->seed = w->seed + i;
		if (reusable(w, slot)) {
			rung_replay_result_copy(&v->r, &w->seeds[slot].r);
			v->r.budget_spent = v->r.cost_steps >= w->ero->budget;
			random_cost(w->s, &w->ep[k], w->ero, v);
		} else
			replay_slot(w, x, &w->ep[k], w->ero, v,
			    &w->eq_causes[slot]);
		tick(w);
	}
}

/*
 * The first failing slot's cause, in slot order, as -1 and *cause; the
 * causes are freed.
 */
static int
first_cause(const struct work *w, const struct rung_sched_params *p,
    const struct rung_replay_seed *seeds, char **causes, char **cause)
{
	uint32_t	 i, n = w->np * w->nseeds;
	int		 rc = 0;

	for (i = 0; i < n; i++) {
		if (causes[i] != NULL && rc == 0) {
			xasprintf(cause, "%s, seed %llu: %s",
			    rung_policy_name(p[i / w->nseeds].policy),
			    (unsigned long long)seeds[i].seed, causes[i]);
			rc = -1;
		}
		free(causes[i]);
	}
	return rc;
}

/* The baseline's mean cost in steps, as its aggregate has it. */
static double
mean_cost(const struct rung_replay_seed *v, uint32_t n)
{
	double		*x, m;
	uint32_t	 i;

	x = xcalloc(n ? n : 1, sizeof *x);
	for (i = 0; i < n; i++)
		x[i] = (double)v[i].r.cost_steps;
	m = mean_finite(x, n);
	free(x);
	return m;
}

/*
 * Both runs. The equal-cost replays (with o->equal_cost) take the
 * baseline's mean cost, rounded, as every policy's budget, unless there
 * is nothing to spend; they are aggregated against the baseline's own
 * seeds, so that their ratios say what each policy spent of its cost.
 */
static int
run_all(struct work *w, const struct rung_replay_seeds_opts *o,
    struct rung_replay_set *set, char **cause)
{
	struct rung_sched_params *ep = NULL;
	struct rung_replay_opts	 ero = *w->ro;
	uint32_t		 i, n = w->np * w->nseeds, nx;
	double			 b;
	char			*c;
	int			 rc, failed = 0;

	w->causes = xcalloc(n ? n : 1, sizeof *w->causes);
	w->eq_causes = xcalloc(n ? n : 1, sizeof *w->eq_causes);
	nx = rung_pool_workers(w->nseeds, o->threads);
	w->scratch = xcalloc(nx, sizeof *w->scratch);
	w->npool = w->ro->ctx->npool;
	if ((uint64_t)w->nseeds * w->npool <= ORDERS_MAX)
		w->orders = xreallocarray(NULL, (size_t)w->nseeds * w->npool +
		    1, sizeof *w->orders);
	w->rest = 0;
	rung_pool_run_workers(w->nseeds, o->threads, work_seed, w);
	for (i = 0; i < n; i++)
		failed |= w->causes[i] != NULL;

	b = mean_cost(&set->seeds[(size_t)w->baseline * w->nseeds],
	    w->nseeds);
	if (o->equal_cost && !failed && isfinite(b) && b >= 1) {
		set->eq_budget = (uint64_t)llround(b);
		ero.budget = set->eq_budget;
		ep = xcalloc(w->np, sizeof *ep);
		for (i = 0; i < w->np; i++)
			rung_replay_equal_params(&w->p[i], set->npool, &ep[i]);
		set->eq_seeds = xcalloc(n ? n : 1, sizeof *set->eq_seeds);
		w->ep = ep;
		w->ero = &ero;
		w->eq_seeds = set->eq_seeds;
	}
	w->rest = 1;
	rung_pool_run_workers(w->nseeds, o->threads, work_seed, w);
	for (i = 0; i < nx; i++)
		rung_replay_scratch_free(w->scratch[i]);
	free(w->scratch);
	w->scratch = NULL;
	free(w->orders);
	w->orders = NULL;

	rc = first_cause(w, w->p, set->seeds, w->causes, cause);
	if (ep != NULL && rc == 0 && first_cause(w, ep, set->eq_seeds,
	    w->eq_causes, &c) != 0) {
		xasprintf(cause, "at %s's cost: %s",
		    rung_policy_name(w->p[w->baseline].policy), c);
		free(c);
		rc = -1;
	}
	for (i = 0; i < n; i++)
		free(w->eq_causes[i]);
	free(w->causes);
	free(w->eq_causes);
	free(ep);
	w->ep = NULL;
	return rc;
}

int
rung_replay_seeds(const struct rung_study *s,
    const struct rung_sched_params *p, uint32_t np, uint32_t baseline,
    const struct rung_replay_seeds_opts *o, struct rung_replay_set *set,
    char **cause)
{
	struct work	 w;
	struct rung_replay_opts ro;
	struct rung_replay_ctx ctx;
	struct rung_progress prog;
	atomic_uint	 done;
	uint32_t	 i, n, nseeds = o->nseeds ? o->nseeds : 10;
	uint32_t	 ngrid = o->ngrid ? o->ngrid : 50;
	double		 max = 0;
	int		 rc = -1;

	memset(set, 0, sizeof *set);
	if (np == 0 || baseline >= np) {
		xasprintf(cause, "no policy to replay, or no baseline");
		return -1;
	}
	set->npolicies = np;
	set->nseeds = nseeds;
	set->baseline = baseline;
	set->has_secs = s->secs != NULL;
	set->seeds = xcalloc((size_t)np * nseeds, sizeof *set->seeds);

	/*
	 * The pool and its judging, once for all the replays; only what each
	 * started is kept of a replay, not an array of the study's size.
	 */
	rung_replay_ctx_init(&ctx, s, p[0].max_r);
	/* The pool's size, as every replay at the ctx's max_r reports it. */
	set->npool = ctx.npool;
	ro = o->replay;
	ro.ctx = &ctx;
	ro.reached = 0;
	memset(&w, 0, sizeof w);
	w.s = s;
	w.p = p;
	w.ro = &ro;
	w.seed = o->seed;
	w.nseeds = nseeds;
	w.np = np;
	w.baseline = baseline;
	w.seeds = set->seeds;
	w.main = pthread_self();
	w.done = &done;
	atomic_init(&done, 0);
	n = np * nseeds;
	if (o->progress != NULL) {
		rung_progress_start(&prog, o->progress, o->equal_cost ?
		    2 * n : n);
		w.prog = &prog;
	}

	if (run_all(&w, o, set, cause) != 0)
		goto out;

	set->npool = set->seeds[0].r.npool;
	set->pool_best = set->seeds[0].r.best_final;
	for (i = 0; i < n; i++) {
		if ((double)set->seeds[i].r.cost_steps > max)
			max = (double)set->seeds[i].r.cost_steps;
	}
	set->ngrid = ngrid;
	set->grid = rung_replay_grid(max, ngrid);
	set->agg = xcalloc(np, sizeof *set->agg);
	for (i = 0; i < np; i++) {
		rung_replay_aggregate(&set->seeds[(size_t)i * nseeds],
		    &set->seeds[(size_t)baseline * nseeds], nseeds,
		    s->direction, set->has_secs, set->grid, ngrid,
		    &set->agg[i]);
	}
	if (set->eq_seeds != NULL) {
		set->eq_agg = xcalloc(np, sizeof *set->eq_agg);
		for (i = 0; i < np; i++) {
			rung_replay_aggregate(&set->eq_seeds[(size_t)i *
			    nseeds], &set->seeds[(size_t)baseline * nseeds],
			    nseeds, s->direction, set->has_secs, set->grid,
			    ngrid, &set->eq_agg[i]);
		}
	}
	rc = 0;
out:
	rung_replay_ctx_release(&ctx);
	if (w.prog != NULL)
		rung_progress_end(w.prog);
	if (rc != 0)
		rung_replay_set_release(set);
	return rc;
}
