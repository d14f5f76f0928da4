/*
 * The replay simulator: a discrete-event run of one scheduler over the
 * recorded curves of a study, one seed at a time.
 *
 * Every point of a running job is an event at the simulated time it would
 * arrive: the job's start plus the cost of its steps so far (recorded
 * seconds when the study has them, else one unit a step). The earliest
 * event is handled first, ties by the order the jobs started, so a run is
 * a function of the study, the parameters, the options and the seed.
 *
 * A sparse curve (points every N steps, at budgets 1, 3, 9) runs the same
 * way: a job to a step with no point runs to that step, costs its steps,
 * and reports there the last point recorded at or before it, as a trainer
 * evaluated every N steps would have it to show; a point's seconds are
 * spread evenly over the steps since the point before it.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/predict.h"
#include "rung/replay.h"
#include "rung/sampler.h"
#include "rung/sched.h"
#include "rung/study.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

struct worker {
	int		 busy;
	uint32_t	 handle;	/* the scheduler's trial */
	uint32_t	 trial;		/* the study's trial */
	uint32_t	 started;	/* its index in result.started */
	uint32_t	 pt;		/* next point (global index) */
	uint32_t	 end;		/* one past the job's last point */
	/*
	 * A job to a step without a point: the step (reported after the
	 * last point before it, with held's value), else 0.
	 */
	int32_t		 upto;
	uint32_t	 held;
	int32_t		 prev;		/* step before pt */
	uint64_t	 pre_steps;	/* retraining before pt (no resume) */
	double		 pre_secs;
	double		 at;		/* time point pt arrives */
	uint64_t	 seq;		/* job order, for ties */
	/*
	 * WAIT or nothing to start: until the next event. Not beside busy:
	 * the two written apart and read as one word wait on both stores.
	 */
	int		 idle;
};

struct replay {
	const struct rung_study *s;
	struct rung_replay_result *r;
	const uint8_t	*dense;		/* the context's */
	int		 secs;		/* the study records seconds */
	double		 now;

	/* Incumbent: best reported value at the highest step reached. */
	int32_t		 top;
	double		 topval;	/* lower is better */
	uint32_t	 inc;
	double		 trace_best;	/* best incumbent final so far */
	size_t		 tracecap;
};

void
rung_replay_opts_init(struct rung_replay_opts *o)
{
	memset(o, 0, sizeof *o);
	o->workers = 1;
	o->resume = 1;
	o->reached = 1;
}

void
rung_replay_result_release(struct rung_replay_result *r)
{
	if (r == NULL)
		return;
	free(r->trace_steps);
	free(r->trace_time);
	free(r->trace_final);
	free(r->reached);
	free(r->started);
	free(r->started_reached);
	r->reached = NULL;
	r->started = NULL;
	r->started_reached = NULL;
	r->trace_steps = NULL;
	r->trace_time = NULL;
	r->trace_final = NULL;
	r->ntrace = 0;
}

static void *
dup_array(const void *p, size_t n, size_t size)
{
	void	*q;

	if (p == NULL)
		return NULL;
	q = xreallocarray(NULL, n ? n : 1, size);
	memcpy(q, p, n * size);
	return q;
}

void
rung_replay_result_copy(struct rung_replay_result *dst,
    const struct rung_replay_result *src)
{
	*dst = *src;
	dst->trace_steps = dup_array(src->trace_steps, src->ntrace,
	    sizeof *src->trace_steps);
	dst->trace_time = dup_array(src->trace_time, src->ntrace,
	    sizeof *src->trace_time);
	dst->trace_final = dup_array(src->trace_final, src->ntrace,
	    sizeof *src->trace_final);
	dst->started = dup_array(src->started, src->nstarted,
	    sizeof *src->started);
	dst->started_reached = dup_array(src->started_reached, src->nstarted,
	    sizeof *src->started_reached);
	dst->reached = NULL;		/* its size is the study's */
}

int
rung_replay_needed(const struct rung_sched_params *p, uint64_t *need,
    char **cause)
{
	return rung_sched_needed(p, need, cause);
}

/*
 * First point of trial t with a step above step. A curve with a point at
 * every step from its first to its last (dense[t], see rung_replay_ctx)
 * is indexed directly; others by a binary search.
 */
static uint32_t
point_after(const struct rung_study *s, const uint8_t *dense, uint32_t t,
    int32_t step)
{
	uint32_t	 lo = s->curve.off[t], hi = s->curve.off[t + 1], mid;
	int64_t		 k;

	if (dense != NULL && dense[t]) {
		k = (int64_t)step - s->curve.steps[lo] + 1;
		return k <= 0 ? lo : k >= hi - lo ? hi : lo + (uint32_t)k;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->curve.steps[mid] <= step)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint32_t
rung_replay_pool(const struct rung_study *s, double max_r, uint32_t **pool)
{
	uint32_t	 t, i, n = 0;
	int32_t		 R = (int32_t)ceil(max_r);

	*pool = xreallocarray(NULL, s->ntrials ? s->ntrials : 1,
	    sizeof **pool);
	for (t = 0; t < s->ntrials; t++) {
		i = point_after(s, NULL, t, R - 1);
		if (i < s->curve.off[t + 1] && s->curve.steps[i] == R)
			(*pool)[n++] = t;
	}
	return n;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void
rung_replay_ctx_init(struct rung_replay_ctx *c, const struct rung_study *s,
    double max_r)
{
	uint32_t	 i, j, t;
	double		 f;

	memset(c, 0, sizeof *c);
	c->max_r = max_r;
	c->npool = rung_replay_pool(s, max_r, &c->pool);
	c->finals = xreallocarray(NULL, c->npool + 1, sizeof *c->finals);
	c->best = NAN;
	/* The best as judge() always found it: the first of equals. */
	for (i = 0; i < c->npool; i++) {
		f = rung_trial_final(s, c->pool[i]);
		if (i == 0 || rung_better(s->direction, f, c->best))
			c->best = f;
		if (!isnan(f))
			c->finals[c->nfinals++] = f;
	}
	qsort(c->finals, c->nfinals, sizeof *c->finals, dbl_cmp);

	/* Which of the pool's curves have a point at every step. */
	c->dense = xcalloc(s->ntrials ? s->ntrials : 1, sizeof *c->dense);
	for (i = 0; i < c->npool; i++) {
		t = c->pool[i];
		for (j = s->curve.off[t] + 1; j < s->curve.off[t + 1]; j++) {
			if (s->curve.steps[j] != s->curve.steps[j - 1] + 1)
				break;
		}
		c->dense[t] = j >= s->curve.off[t + 1];
	}
}

void
rung_replay_ctx_release(struct rung_replay_ctx *c)
{
	if (c == NULL)
		return;
	free(c->pool);
	free(c->finals);
	free(c->dense);
	memset(c, 0, sizeof *c);
}

static double
point_secs(const struct replay *rp, uint32_t i)
{
	float	 v;

	if (!rp->secs)
		return 0;
	v = rp->s->secs[i];
	return isfinite(v) ? v : 0;	/* unknown costs nothing */
}

/* Simulated duration of a stretch of steps and seconds. */
static double
duration(const struct replay *rp, uint64_t steps, double secs)
{
	return rp->secs ? secs : (double)steps;
}

/*
 * Seconds of steps (a, b] of trial t, inside the stretch that its point i
 * ends: all of the point's seconds when (a, b] covers the stretch, else
 * its share by steps. Past the last point nothing was recorded: 0.
 */
static double
stretch_secs(const struct replay *rp, uint32_t t, uint32_t i, int32_t a,
    int32_t b)
{
	const struct rung_study	*s = rp->s;
	int32_t			 lo;

	if (!rp->secs || i >= s->curve.off[t + 1])
		return 0;
	lo = i > s->curve.off[t] ? s->curve.steps[i - 1] : 0;
	if ((a <= lo && b == s->curve.steps[i]) || s->curve.steps[i] <= lo)
		return point_secs(rp, i);
	if (a < lo)
		a = lo;
	return point_secs(rp, i) * (double)(b - a) /
	    (double)(s->curve.steps[i] - lo);
}

/* The next event of a busy job: its step and the seconds since prev. */
static int32_t
next_step(const struct replay *rp, const struct worker *w, double *secs)
{
	int32_t	 step;

	step = w->pt < w->end ? rp->s->curve.steps[w->pt] : w->upto;
	*secs = stretch_secs(rp, w->trial, w->pt, w->prev, step);
	return step;
}

/* "1, 3, 9, 27" or "1, 2, 3, ... 100": the steps of trial t, for errors. */
static void
trial_steps(const struct rung_study *s, uint32_t t, struct rung_buf *b)
{
	uint32_t	 i, lo = s->curve.off[t], hi = s->curve.off[t + 1];

	for (i = lo; i < hi; i++) {
		if (i - lo == 6 && hi - lo > 8) {
			rung_buf_printf(b, ", ... %d", (int)s->curve.steps[hi - 1]);
			break;
		}
		rung_buf_printf(b, "%s%d", i > lo ? ", " : "",
		    (int)s->curve.steps[i]);
	}
}

/*
 * Set up a job; -1 with *cause if the trial has no point at or before the
 * step it is asked for, or its curve ends before it.
 */
static int
job(struct replay *rp, struct worker *w, const struct rung_sched_action *a,
    uint32_t trial, int resume, uint64_t seq, char **cause)
{
	const struct rung_study	*s = rp->s;
	uint32_t		 i, first, end;

	struct rung_buf		 b;
	double			 secs;
	int32_t			 step;

	first = point_after(s, rp->dense, trial, a->from);
	end = a->resource == INT32_MAX ? s->curve.off[trial + 1] :
	    point_after(s, rp->dense, trial, a->resource);
	rp->r->nlookups += a->resource == INT32_MAX ? 1 : 2;
	memset(w, 0, sizeof *w);
	if (a->resource != INT32_MAX && (end == s->curve.off[trial] ||
	    s->curve.steps[end - 1] != a->resource)) {
		if (end == s->curve.off[trial] ||
		    end == s->curve.off[trial + 1]) {
			memset(&b, 0, sizeof b);
			rung_buf_printf(&b, "trial %s has no point %s step %d "
			    "(its steps: ", s->ids != NULL &&
			    s->ids[trial] != NULL ? s->ids[trial] : "?",
			    end == s->curve.off[trial] ? "at or before" :
			    "at or after", (int)a->resource);
			trial_steps(s, trial, &b);
			rung_buf_addstr(&b, "): give --min-steps, --eta and "
			    "--max-steps whose milestones it has");
			*cause = xstrdup(rung_buf_cstr(&b));
			rung_buf_release(&b);
			return -1;
		}
		w->upto = a->resource;
		w->held = end - 1;
	}
	w->busy = 1;
	w->handle = a->trial;
	w->trial = trial;
	w->pt = first;
	w->end = end;
	w->prev = a->from;
	w->seq = seq;
	if (!resume && a->from > 0) {
		w->pre_steps = (uint64_t)a->from;
		for (i = s->curve.off[trial]; i < first; i++) {
			if (s->curve.steps[i] >= 1)
				w->pre_secs += point_secs(rp, i);
		}
		/* From a step without a point: the share of the next one. */
		if (first > s->curve.off[trial] &&
		    s->curve.steps[first - 1] < a->from)
			w->pre_secs += stretch_secs(rp, trial, first,
			    s->curve.steps[first - 1], a->from);
	}
	if (first == end && w->upto == 0) {	/* nothing recorded to run */
		w->at = rp->now + duration(rp, w->pre_steps, w->pre_secs);
		return 0;
	}
	step = next_step(rp, w, &secs);
	w->at = rp->now + duration(rp, w->pre_steps + (uint64_t)
	    (step - a->from), w->pre_secs + secs);
	return 0;
}

static void
trace_add(struct replay *rp)
{
	struct rung_replay_result	*r = rp->r;
	double				 f;

	f = rung_trial_final(rp->s, rp->inc);
	if (r->ntrace != 0 && !rung_better(rp->s->direction, f,
	    rp->trace_best))
		return;
	if (r->ntrace == rp->tracecap) {
		rp->tracecap = rp->tracecap ? rp->tracecap * 2 : 16;
		r->trace_steps = xreallocarray(r->trace_steps, rp->tracecap,
		    sizeof *r->trace_steps);
		r->trace_time = xreallocarray(r->trace_time, rp->tracecap,
		    sizeof *r->trace_time);
		r->trace_final = xreallocarray(r->trace_final, rp->tracecap,
		    sizeof *r->trace_final);
	}
	r->trace_steps[r->ntrace] = r->cost_steps;
	r->trace_time[r->ntrace] = rp->now;
	r->trace_final[r->ntrace] = f;
	r->ntrace++;
	rp->trace_best = f;
}

/* Would a point change the incumbent? */
static inline int
changes(const struct replay *rp, int32_t step, double v)
{
	if (rp->r->returned == UINT32_MAX || step > rp->top)
		return 1;
	return step == rp->top && !isnan(v) &&
	    (isnan(rp->topval) || v < rp->topval);
}

/* A point arrived: does it change the incumbent? */
static void
observe(struct replay *rp, uint32_t trial, int32_t step, double v)
{
	if (!changes(rp, step, v))
		return;
	rp->top = step;
	rp->topval = v;
	if (rp->r->returned == trial && rp->inc == trial)
		return;
	rp->inc = trial;
	rp->r->returned = trial;
	rp->r->time_to_best = rp->now;
	rp->r->steps_to_best = rp->r->cost_steps;
	trace_add(rp);
}

/*
 * The first of trial t's points lo .. hi - 1 with a step at or above x,
 * else hi: by index on a dense curve, else by a binary search.
 */
static uint32_t
step_at_least(const struct replay *rp, uint32_t t, uint32_t lo, uint32_t hi,
    int64_t x)
{
	const int32_t	*steps = rp->s->curve.steps;
	uint32_t	 mid;
	int64_t		 k;

	if (lo >= hi || steps[lo] >= x)
		return lo;
	if (rp->dense != NULL && rp->dense[t]) {
		k = x - steps[lo];
		return k >= (int64_t)(hi - lo) ? hi : lo + (uint32_t)k;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (steps[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * One worker, after a report that said CONTINUE: run the job's points
 * below the scheduler's quiet step q without reporting them, as the main
 * loop would have (nothing else can happen in between with one worker,
 * and below q a report only notes the step, which the next one does).
 * The job's last point, and any point once the budget is spent, are left
 * to the main loop.
 */
/*
 * run_quiet without seconds and without a sampler to tell: time is steps,
 * a whole number in a double, so that the time and the cost at any point
 * are the first's plus the steps since, exactly as the sums step by step
 * would have them; only a point that changes the incumbent needs them.
 * Nor need the points be walked: those run are the job's up to its quiet
 * step q and, with a budget, the one whose cost first reaches it (it is
 * checked before each point, on the cost so far); of them only those at
 * or above the incumbent's step can change it, the first of them that
 * does makes the trial the incumbent, and each after (a higher step)
 * then only moves its step and value along.
 */
static void
run_quiet_steps(struct replay *rp, struct worker *w, int32_t q,
    uint32_t last, uint64_t budget)
{
	const struct rung_study		*s = rp->s;
	struct rung_replay_result	*r = rp->r;
	const int32_t			*steps = s->curve.steps;
	const float			*vals = s->curve.vals;
	uint32_t			 pt0 = w->pt, end, f, b;
	uint64_t			 cost0 = r->cost_steps;
	int32_t				 prev0 = w->prev, prev;
	double				 v, now0 = rp->now;
	int				 neg = s->direction == RUNG_MAX;

	end = step_at_least(rp, w->trial, pt0, last, q);
	if (budget != 0) {
		if (cost0 >= budget)
			end = pt0;
		else if (budget - cost0 <= (uint64_t)INT32_MAX) {
			/* Run while the step before is below prev0 + left. */
			b = step_at_least(rp, w->trial, pt0, end,
			    (int64_t)prev0 + (int64_t)(budget - cost0));
			if (b < end)
				end = b + 1;
		}
	}
	if (end == pt0)
		return;

	/* The first point that changes the incumbent, if any. */
	f = r->returned == UINT32_MAX ? pt0 :
	    step_at_least(rp, w->trial, pt0, end, rp->top);
	if (f < end && steps[f] == rp->top) {
		v = neg ? -vals[f] : vals[f];
		if (!changes(rp, steps[f], v))
			f++;
	}
	if (f < end) {
		v = neg ? -vals[f] : vals[f];
		rp->now = now0 + (double)(uint64_t)(steps[f] - prev0);
		r->cost_steps = cost0 + (uint64_t)(steps[f] - prev0);
		observe(rp, w->trial, steps[f], v);
		if (end - 1 > f) {
			rp->top = steps[end - 1];
			rp->topval = neg ? -vals[end - 1] : vals[end - 1];
		}
	}

	prev = steps[end - 1];
	w->pt = end;
	w->prev = prev;
	rp->now = now0 + (double)(uint64_t)(prev - prev0);
	r->cost_steps = cost0 + (uint64_t)(prev - prev0);
	r->nquiet += end - pt0;
	r->npoints += end - pt0;
	if (prev > r->started_reached[w->started])
		r->started_reached[w->started] = prev;
	if (r->reached != NULL && prev > r->reached[w->trial])
		r->reached[w->trial] = prev;
}

static void
run_quiet(struct replay *rp, struct worker *w, int32_t q,
    struct rung_sampler_state *sp, int observes, uint64_t budget)
{
	const struct rung_study		*s = rp->s;
	struct rung_replay_result	*r = rp->r;
	const int32_t			*steps = s->curve.steps;
	const float			*vals = s->curve.vals;
	uint32_t			 pt = w->pt, last;
	uint64_t			 cost = r->cost_steps;
	int32_t				 step, prev = w->prev;
	int32_t				 reached;
	double				 v, secs, now = rp->now;
	double				 csecs = r->cost_seconds;
	int				 neg = s->direction == RUNG_MAX;

	/*
	 * The same arithmetic as the main loop, in locals: each point's
	 * sums depend on the last, and through the structures every one
	 * would wait on a store. They go back before anything reads them.
	 */
	reached = r->started_reached[w->started];
	last = w->upto != 0 ? w->end : w->end - 1;
	if (!rp->secs && !observes) {
		run_quiet_steps(rp, w, q, last, budget);
		return;
	}
	while (pt < last && steps[pt] < q && (budget == 0 || cost < budget)) {
		step = steps[pt];
		secs = stretch_secs(rp, w->trial, pt, prev, step);
		now = now + duration(rp, (uint64_t)(step - prev), secs);
		cost += w->pre_steps + (uint64_t)(step - prev);
		csecs += w->pre_secs + secs;
		v = vals[pt++];
		if (neg)
			v = -v;
		if (step > reached)
			reached = step;
		if (changes(rp, step, v)) {
			rp->now = now;
			r->cost_steps = cost;
			observe(rp, w->trial, step, v);
		}
		if (observes)
			rung_sampler_observe(sp, w->trial, step, v);
		prev = step;
		r->nquiet++;
		r->npoints++;
	}
	w->pt = pt;
	w->prev = prev;
	rp->now = now;
	r->cost_steps = cost;
	r->cost_seconds = csecs;
	r->started_reached[w->started] = reached;
	if (r->reached != NULL && reached > r->reached[w->trial])
		r->reached[w->trial] = reached;
}

/*
 * Quality of the returned configuration against the pool: how many of
 * the pool's finals are better (rung_better: NaN is never better, and
 * everything is better than NaN) is a binary search in the sorted finals.
 */
static void
judge(const struct rung_study *s, const struct rung_replay_ctx *c,
    struct rung_replay_result *r)
{
	uint32_t	 better, n5, lo, hi, mid;
	double		 x;

	r->best_final = c->best;
	if (r->returned == UINT32_MAX) {
		r->returned_final = r->regret = NAN;
		return;
	}
	x = r->returned_final = rung_trial_final(s, r->returned);
	r->regret = fabs(c->best - x);
	if (isnan(x))
		better = c->nfinals;
	else {
		/* Minimising: those below x; maximising: those above. */
		lo = 0;
		hi = c->nfinals;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (s->direction == RUNG_MAX ? c->finals[mid] <= x :
			    c->finals[mid] < x)
				lo = mid + 1;
			else
				hi = mid;
		}
		better = s->direction == RUNG_MAX ? c->nfinals - lo : lo;
	}
	n5 = (uint32_t)ceil(0.05 * c->npool);
	if (n5 < 1)
		n5 = 1;
	r->top1 = !isnan(x) && better == 0;
	r->top5 = !isnan(x) && better < n5;
}

/* Schedulers a scratch keeps, the last made first. */
#define KEPT_SCHEDS	4

struct rung_replay_scratch {
	/*
	 * The current seed's order of a pool of norder (have: there is
	 * one): its own, made last, or the caller's.
	 */
	const uint32_t	*cur;
	uint32_t	 norder;
	uint64_t	 seed;
	int		 have;
	uint32_t	*order;		/* its own */
	size_t		 ordercap;

	/* Schedulers that can be reset, and what their pool must hold. */
	struct rung_sched *sc[KEPT_SCHEDS];
	uint64_t	 need[KEPT_SCHEDS];

	struct rung_sampler_state *sp;	/* a random one */
	struct worker	*ws;
	size_t		 wscap;
	uint32_t	*map;		/* scheduler's trial -> study's */
	size_t		 mapcap;
	uint32_t	*sidx;		/* scheduler's trial -> started */
	size_t		 sidxcap;
};

struct rung_replay_scratch *
rung_replay_scratch_new(void)
{
	return xcalloc(1, sizeof (struct rung_replay_scratch));
}

void
rung_replay_scratch_free(struct rung_replay_scratch *x)
{
	int	 i;

	if (x == NULL)
		return;
	for (i = 0; i < KEPT_SCHEDS; i++)
		rung_sched_free(x->sc[i]);
	rung_sampler_free(x->sp);
	free(x->order);
	free(x->ws);
	free(x->map);
	free(x->sidx);
	free(x);
}

/*
 * A scheduler for p and what the pool must hold for it: one kept, reset,
 * else a new one, kept when it can be reset (*kept then 1). -1 with
 * *cause when p is invalid.
 */
static int
scratch_sched(struct rung_replay_scratch *x, const struct rung_sched_params *p,
    struct rung_sched **out, uint64_t *need, int *kept, char **cause)
{
	struct rung_sched	*sc;
	int			 i;

	for (i = 0; i < KEPT_SCHEDS && x->sc[i] != NULL; i++) {
		if (rung_sched_reset(x->sc[i], p) == 0) {
			*out = x->sc[i];
			*need = x->need[i];
			*kept = 1;
			return 0;
		}
	}
	*kept = 0;
	if (rung_sched_new(p, &sc, cause) != 0)
		return -1;
	if (rung_replay_needed(p, need, cause) != 0) {
		rung_sched_free(sc);
		return -1;
	}
	*out = sc;
	if (!rung_sched_can_reset(sc))
		return 0;
	rung_sched_free(x->sc[KEPT_SCHEDS - 1]);
	memmove(x->sc + 1, x->sc, (KEPT_SCHEDS - 1) * sizeof *x->sc);
	memmove(x->need + 1, x->need, (KEPT_SCHEDS - 1) * sizeof *x->need);
	x->sc[0] = sc;
	x->need[0] = *need;
	*kept = 1;
	return 0;
}

void
rung_replay_scratch_order(struct rung_replay_scratch *x, uint64_t seed,
    const uint32_t *order, uint32_t n)
{
	x->cur = order;
	x->seed = seed;
	x->norder = n;
	x->have = 1;
}

/* The seed's order of a pool of n: the current one, or made now. */
static const uint32_t *
scratch_order(struct rung_replay_scratch *x, uint64_t seed, uint32_t n)
{
	if (!x->have || x->seed != seed || x->norder != n) {
		XGROW(x->order, x->ordercap, (size_t)n + 1);
		rung_sampler_order(seed, x->order, n);
		rung_replay_scratch_order(x, seed, x->order, n);
	}
	return x->cur;
}

int
rung_replay_run(const struct rung_study *s,
    const struct rung_sched_params *p, const struct rung_replay_opts *o,
    uint64_t seed, struct rung_replay_result *r, char **cause)
{
	struct rung_replay_scratch	*x;
	int				 rc;

	x = rung_replay_scratch_new();
	rc = rung_replay_run_in(x, s, p, o, seed, r, cause);
	rung_replay_scratch_free(x);
	return rc;
}

int
rung_replay_run_in(struct rung_replay_scratch *x, const struct rung_study *s,
    const struct rung_sched_params *p, const struct rung_replay_opts *o,
    uint64_t seed, struct rung_replay_result *r, char **cause)
{
	struct rung_replay_opts	 dflt;
	struct rung_replay_ctx	 own;
	const struct rung_replay_ctx *c;
	struct rung_sched_params pp;
	struct rung_sched	*sc = NULL;
	struct rung_sched_action a;
	struct rung_sampler_state *sp = NULL;
	const uint32_t		*order;
	struct replay		 rp;
	struct worker		*ws, *w;
	uint32_t		 nw, i;
	uint32_t		 scap = 0;
	uint64_t		 need, seq = 0;
	enum rung_decision	 d;
	int			 done = 0, rc = -1, more, kept = 0;
	int32_t			 step, q;
	double			 v, secs;
	/* The result at the first loop top at each cost (tail_quiet). */
	uint64_t		 topcost = UINT64_MAX;
	uint32_t		 tailstarted = 0;
	int			 tailexh = 0;
	double			 tailnow = 0, tailsecs = 0;

	memset(r, 0, sizeof *r);
	r->returned = UINT32_MAX;
	r->returned_final = r->best_final = r->regret = NAN;
	if (o == NULL) {
		rung_replay_opts_init(&dflt);
		o = &dflt;
	}
	nw = o->workers ? o->workers : 1;
	memset(&own, 0, sizeof own);
	c = o->ctx;

	pp = *p;
	pp.seed = p->seed ^ (seed * RUNG_RNG_GOLDEN);
	if (scratch_sched(x, &pp, &sc, &need, &kept, cause) != 0)
		return -1;
	if (c == NULL || c->max_r != p->max_r) {
		rung_replay_ctx_init(&own, s, p->max_r);
		c = &own;
	}
	r->npool = c->npool;
	if (c->npool < need) {
		xasprintf(cause, "study %s has %u trials reaching step %d, "
		    "%s needs %" PRIu64, s->name != NULL ? s->name : "?",
		    c->npool, (int)ceil(p->max_r), rung_policy_name(p->policy),
		    need);
		goto out;
	}
	/*
	 * Random: the pool in a seeded order; tpe: see sampler.h. The
	 * scratch's random sampler is taken again; tpe's is the run's own.
	 */
	order = scratch_order(x, seed, c->npool);
	if (x->sp != NULL && rung_sampler_reset(x->sp, c->npool, o->sampler,
	    order) == 0)
		sp = x->sp;
	else {
		sp = rung_sampler_new_order(s, c->pool, c->npool, o->sampler,
		    order);
		if (o->sampler == RUNG_SAMPLER_RANDOM) {
			rung_sampler_free(x->sp);
			x->sp = sp;
		}
	}

	memset(&rp, 0, sizeof rp);
	rp.s = s;
	rp.r = r;
	rp.dense = c->dense;
	rp.secs = s->secs != NULL;
	rp.trace_best = NAN;
	XGROW(x->ws, x->wscap, nw);
	ws = x->ws;
	memset(ws, 0, nw * sizeof *ws);
	if (o->reached)
		r->reached = xcalloc(s->ntrials ? s->ntrials : 1,
		    sizeof *r->reached);

	for (;;) {
		/*
		 * Where a budget of the cost so far would stop the run: what
		 * changes after, at the same cost, the result of such a run
		 * would not have.
		 */
		if (r->cost_steps != topcost) {
			topcost = r->cost_steps;
			tailstarted = r->nstarted;
			tailexh = r->exhausted;
			tailnow = rp.now;
			tailsecs = r->cost_seconds;
		}
		/* Free workers ask for work, in order. */
		for (i = 0; i < nw && !done; i++) {
			w = &ws[i];
			if (w->busy || w->idle)
				continue;
			if (o->budget != 0 && r->cost_steps >= o->budget)
				break;
			switch (rung_sched_next(sc, &a)) {
			case RUNG_ACT_START:
				if (r->nstarted == c->npool) {
					r->exhausted = 1;
					rung_sched_lost(sc, a.trial);
					w->idle = 1;
					continue;
				}
				XGROW(x->map, x->mapcap, (size_t)a.trial + 1);
				XGROW(x->sidx, x->sidxcap, (size_t)a.trial + 1);
				x->map[a.trial] = c->pool[rung_sampler_pick(sp)];
				x->sidx[a.trial] = r->nstarted;
				if (r->nstarted == scap) {
					scap = scap ? 2 * scap : 64;
					r->started = xreallocarray(r->started,
					    scap, sizeof *r->started);
					r->started_reached = xreallocarray(
					    r->started_reached, scap,
					    sizeof *r->started_reached);
				}
				r->started[r->nstarted] = x->map[a.trial];
				r->started_reached[r->nstarted] = 0;
				r->nstarted++;
				/* FALLTHROUGH */
			case RUNG_ACT_RESUME:
				if (a.trial >= r->nstarted) {
					xasprintf(cause, "resume of unknown "
					    "trial %u", a.trial);
					goto out;
				}
				if (job(&rp, w, &a, x->map[a.trial],
				    a.kind == RUNG_ACT_START || o->resume,
				    seq++, cause) != 0)
					goto out;
				w->started = x->sidx[a.trial];
				break;
			case RUNG_ACT_WAIT:
				w->idle = 1;
				break;
			case RUNG_ACT_DONE:
				done = 1;
				break;
			}
		}
		if (o->budget != 0 && r->cost_steps >= o->budget) {
			r->budget_spent = 1;
			break;
		}

		/* The earliest event, ties by job order. */
		w = NULL;
		for (i = 0; i < nw; i++) {
			if (!ws[i].busy)
				continue;
			if (w == NULL || ws[i].at < w->at ||
			    (ws[i].at == w->at && ws[i].seq < w->seq))
				w = &ws[i];
		}
		if (w == NULL)
			break;		/* DONE, or nothing can happen */
		rp.now = w->at;
		for (i = 0; i < nw; i++)
			ws[i].idle = 0;

		if (w->pt == w->end && w->upto == 0) {
			/* A job with nothing to report. */
			r->cost_steps += w->pre_steps;
			r->cost_seconds += w->pre_secs;
			rung_sched_lost(sc, w->handle);
			w->busy = 0;
			continue;
		}
		step = next_step(&rp, w, &secs);
		r->cost_steps += w->pre_steps + (uint64_t)(step - w->prev);
		r->cost_seconds += w->pre_secs + secs;
		w->pre_steps = 0;
		w->pre_secs = 0;
		if (w->pt < w->end)
			v = s->curve.vals[w->pt++];
		else {
			v = s->curve.vals[w->held];
			w->upto = 0;
		}
		if (s->direction == RUNG_MAX)
			v = -v;
		if (step > r->started_reached[w->started])
			r->started_reached[w->started] = step;
		if (r->reached != NULL && step > r->reached[w->trial])
			r->reached[w->trial] = step;
		r->npoints++;
		observe(&rp, w->trial, step, v);
		rung_sampler_observe(sp, w->trial, step, v);
		d = rung_sched_report(sc, w->handle, step, v);
		w->prev = step;
		more = d == RUNG_CONTINUE && (w->pt < w->end || w->upto != 0);
		if (more) {
			if (nw == 1 &&
			    (q = rung_sched_quiet(sc, w->handle)) > 0)
				run_quiet(&rp, w, q, sp, o->sampler ==
				    RUNG_SAMPLER_TPE, o->budget);
			step = next_step(&rp, w, &secs);
			w->at = rp.now + duration(&rp, (uint64_t)
			    (step - w->prev), secs);
			continue;
		}
		if (d == RUNG_CONTINUE)	/* ran out of its job or curve */
			rung_sched_lost(sc, w->handle);
		w->busy = 0;
	}
	r->end_time = rp.now;
	/*
	 * Everything else a result holds changes only with a point, which
	 * costs a step; its scheduler's state is not part of it.
	 */
	r->tail_quiet = r->cost_steps == topcost && r->nstarted ==
	    tailstarted && r->exhausted == tailexh && rp.now == tailnow &&
	    r->cost_seconds == tailsecs && !r->budget_spent;
	judge(s, c, r);
	if (r->returned != UINT32_MAX)
		r->returned_step = rp.top;
	rc = 0;

out:
	if (rc != 0)
		rung_replay_result_release(r);
	rung_replay_ctx_release(&own);
	if (sp != x->sp)
		rung_sampler_free(sp);
	if (!kept)
		rung_sched_free(sc);
	return rc;
}
