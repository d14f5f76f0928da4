/*
 * The replay screen: per policy, the compute it spent, what it saved
 * against the baseline policy and against random search over the same
 * configurations (SAVED and SAVED_RS, as rung replay prints them), and the
 * quality of what it returned, and at the baseline's cost (EQ_REGRET,
 * EQ_TOP5: the equal-cost view); Enter shows each seed. The rows come from the newest
 * run of `rung replay` kept in the database for the study (replays,
 * replay_policies and replay_seeds, rung(5)); without one, or on R, a
 * thread replays Hyperband and ASHA over five seeds itself.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui-int.h"
#include "rung/store-replay.h"
#include "rung/xmalloc.h"

/*
 * saved: against the replay's baseline policy; saved_rs: against random
 * search training the same configurations fully (SAVED and SAVED_RS of
 * rung replay).
 */
struct tui_seedrow {
	uint64_t	 seed;
	double		 cost, seconds, saved, saved_rs, final, regret;
	uint32_t	 started;
	int		 top1, top5;
	char		*returned;
};

struct tui_policyrun {
	char		*name;
	uint32_t	 nseeds;
	struct tui_seedrow *seeds;
	double		 cost, seconds, saved, saved_rs, final, regret;
	double		 top1, top5, started;
	double		 eq_regret, eq_top5;	/* at the baseline's cost */
	int		 open;		/* seeds shown */
};

/* The replay screen: cost, saved, quality per policy. */
struct tui_replayview {
	struct tui_job	 job;
	uint64_t	 gen;
	char		*db_path;
	char		*study;
	char		*metric;
	char		*baseline;	/* the policy of SAVED */
	uint32_t	 npol;
	struct tui_policyrun *pol;
	uint32_t	 npool;
	int32_t		 max_r;
	char		*source;	/* where the rows came from */
	char		*cause;
	int		 ready;
	int		 sel, top;
	int		 fresh;		/* R: replay here, not the kept one */
};

static struct tui_replayview *
replay_of(struct tui *t)
{
	return t->view[SCR_REPLAY];
}

#define REPLAY_SEEDS	5

/*
 * The newest kept replay of the study on this metric: 1 found, 0 none
 * (or a database without the tables), -1 error.
 */
static int
load_kept(struct rung_store *store, struct tui_replayview *rv, char **cause)
{
	struct rung_kept_replay *kr;
	struct rung_kept_policy *kp;
	struct rung_kept_seed *ks;
	struct tui_policyrun *p;
	struct tui_seedrow *sr;
	char		*why = NULL;
	uint32_t	 i, k;
	int		 rc;

	if ((rc = rung_store_replay_load(store, 0, rv->study, rv->metric,
	    RUNG_KEPT_SEEDS | RUNG_KEPT_OLD_OK, &kr, &why)) <= 0) {
		if (rc < 0)
			xasprintf(cause, "reading the kept replays: %s", why);
		free(why);
		return rc;
	}
	xasprintf(&rv->source, "kept replay %lld of %s (rung replays --show "
	    "%lld)", (long long)kr->id, kr->created, (long long)kr->id);
	rv->baseline = kr->baseline;
	kr->baseline = NULL;
	rv->npol = (uint32_t)kr->npol;
	rv->pol = xcalloc(kr->npol + 1, sizeof *rv->pol);
	for (i = 0; i < rv->npol; i++) {
		kp = &kr->pol[i];
		p = &rv->pol[i];
		p->name = kp->policy;
		kp->policy = NULL;
		p->cost = kp->cost_steps_mean;
		p->seconds = kp->cost_seconds_mean;
		p->saved = kp->saved_vs_baseline;
		/* In seconds where the study records them, as rung replay. */
		p->saved_rs = !isnan(kp->saved_vs_random_seconds) ?
		    kp->saved_vs_random_seconds : kp->saved_vs_random;
		p->final = kp->best_final_mean;
		p->regret = kp->regret_mean;
		p->top1 = kp->p_top1;
		p->top5 = kp->p_top5;
		p->eq_regret = kp->equal_regret_mean;
		p->eq_top5 = kp->equal_p_top5;
		p->nseeds = (uint32_t)kp->nseed;
		p->seeds = xcalloc(kp->nseed + 1, sizeof *p->seeds);
		for (k = 0; k < p->nseeds; k++) {
			ks = &kp->seed[k];
			sr = &p->seeds[k];
			sr->seed = ks->seed;
			sr->cost = (double)ks->cost_steps;
			sr->seconds = ks->cost_seconds;
			sr->saved = ks->saved_vs_baseline;
			sr->returned = ks->returned;
			ks->returned = NULL;
			sr->final = ks->returned_final;
			sr->regret = ks->regret;
			sr->top1 = ks->top1;
			sr->top5 = ks->top5;
			sr->started = (uint32_t)ks->started;
			sr->saved_rs = ks->saved_vs_random;
		}
	}
	for (i = 0; i < rv->npol; i++) {
		double	 sum = 0;

		p = &rv->pol[i];
		for (k = 0; k < p->nseeds; k++)
			sum += p->seeds[k].started;
		p->started = p->nseeds ? sum / p->nseeds : NAN;
	}
	rung_kept_replay_free(kr);
	return 1;
}

/* No kept replay: Hyperband and ASHA over a few seeds, here. */
static int
replay_here(const struct rung_study *s, struct tui_replayview *rv,
    char **cause)
{
	struct rung_sched_params p[2];
	struct rung_replay_seeds_opts o;
	struct rung_replay_set set;
	struct tui_policyrun *pr;
	struct tui_seedrow *sr;
	uint64_t	 need;
	uint32_t	 i, k;
	int		 ret = -1;

	memset(&set, 0, sizeof set);
	rv->max_r = s->max_step;
	rung_sched_params_init(&p[0], RUNG_POLICY_HYPERBAND);
	rung_sched_params_init(&p[1], RUNG_POLICY_ASHA);
	for (i = 0; i < 2; i++) {
		p[i].min_r = 1;
		p[i].max_r = s->max_step;
	}
	if (rung_replay_needed(&p[0], &need, cause) != 0)
		return -1;
	/* ASHA starts as many configurations as one Hyperband iteration. */
	p[1].max_configs = (uint32_t)need;
	rung_replay_seeds_opts_init(&o);
	o.nseeds = REPLAY_SEEDS;
	o.seed = 1;
	o.threads = 2;
	o.progress = NULL;
	o.equal_cost = 1;
	atomic_store(&rv->job.total, 2 * REPLAY_SEEDS);
	if (rung_replay_seeds(s, p, 2, 0, &o, &set, cause) != 0)
		goto out;
	rv->npool = set.npool;
	rv->baseline = xstrdup(rung_policy_name(p[set.baseline].policy));
	xasprintf(&rv->source, "replayed here: eta 3, steps 1 to %d, %u "
	    "seeds (':replay --policy ...' keeps others)", s->max_step,
	    REPLAY_SEEDS);
	rv->pol = xcalloc(2, sizeof *rv->pol);
	rv->npol = 2;
	for (i = 0; i < 2; i++) {
		const struct rung_replay_agg *a = &set.agg[i];

		pr = &rv->pol[i];
		pr->name = xstrdup(rung_policy_name(p[i].policy));
		pr->cost = a->cost_steps_mean;
		pr->seconds = a->cost_seconds_mean;
		pr->saved = a->saved_baseline;
		pr->saved_rs = set.has_secs &&
		    !isnan(a->saved_random_seconds) ?
		    a->saved_random_seconds : a->saved_random;
		pr->final = a->final_mean;
		pr->regret = a->regret_mean;
		pr->top1 = a->p_top1;
		pr->top5 = a->p_top5;
		pr->started = a->started_mean;
		pr->eq_regret = set.eq_agg != NULL ?
		    set.eq_agg[i].regret_mean : NAN;
		pr->eq_top5 = set.eq_agg != NULL ? set.eq_agg[i].p_top5 : NAN;
		pr->nseeds = set.nseeds;
		pr->seeds = xcalloc(set.nseeds, sizeof *pr->seeds);
		for (k = 0; k < set.nseeds; k++) {
			const struct rung_replay_seed *rs =
			    &set.seeds[i * set.nseeds + k];

			sr = &pr->seeds[k];
			sr->seed = rs->seed;
			sr->cost = (double)rs->r.cost_steps;
			sr->seconds = set.has_secs ? rs->r.cost_seconds : NAN;
			sr->saved = rs->saved_baseline;
			sr->saved_rs = set.has_secs &&
			    !isnan(rs->saved_random_seconds) ?
			    rs->saved_random_seconds : rs->saved_random;
			sr->final = rs->r.returned_final;
			sr->regret = rs->r.regret;
			sr->top1 = rs->r.top1;
			sr->top5 = rs->r.top5;
			sr->started = rs->r.nstarted;
			if (rs->r.returned != UINT32_MAX)
				sr->returned = xstrdup(s->ids[rs->r.returned]);
		}
	}
	ret = 0;
out:
	rung_replay_set_release(&set);
	return ret;
}

static void *
replay_main(void *arg)
{
	struct tui_replayview *rv = arg;
	struct rung_store *st = NULL;
	struct rung_study *s = NULL;

	if (rung_store_open(rung_store_default_path(rv->db_path),
	    RUNG_STORE_READONLY | RUNG_STORE_MUSTEXIST, &st, &rv->cause) != 0)
		goto out;
	if (!rv->fresh && load_kept(st, rv, &rv->cause) != 0)
		goto out;
	if (rung_store_load(st, rv->study, rv->metric, 0, &s, &rv->cause) != 0)
		goto out;
	if (s->max_step < 2) {
		xasprintf(&rv->cause, "the study's last step is %d: nothing "
		    "to replay", s->max_step);
		goto out;
	}
	replay_here(s, rv, &rv->cause);
out:
	rung_study_free(s);
	rung_store_close(st);
	return NULL;
}

static void
replay_clear(struct tui_replayview *rv)
{
	uint32_t	 i, k;

	for (i = 0; i < rv->npol; i++) {
		for (k = 0; k < rv->pol[i].nseeds; k++)
			free(rv->pol[i].seeds[k].returned);
		free(rv->pol[i].seeds);
		free(rv->pol[i].name);
	}
	free(rv->pol);
	rv->pol = NULL;
	rv->npol = 0;
	free(rv->source);
	rv->source = NULL;
	free(rv->cause);
	rv->cause = NULL;
	free(rv->study);
	rv->study = NULL;
	free(rv->metric);
	rv->metric = NULL;
	free(rv->baseline);
	rv->baseline = NULL;
	rv->ready = 0;
}

static void
view_replay_free(struct tui_replayview *rv)
{
	replay_clear(rv);
}

static void
view_replay_start(struct tui *t, int force)
{
	struct tui_replayview *rv = replay_of(t);

	if (t->s == NULL || tui_job_running(&rv->job))
		return;
	if (!force && rv->study != NULL && rv->gen == t->gen)
		return;
	replay_clear(rv);
	rv->gen = t->gen;
	rv->db_path = (char *)t->db_path;
	rv->study = xstrdup(t->s->name);
	rv->metric = xstrdup(t->s->curve.name);
	rv->fresh = force;
	rv->sel = rv->top = 0;
	tui_job_start(&rv->job, replay_main, rv);
}

static void
view_replay_poll(struct tui *t)
{
	struct tui_replayview *rv = replay_of(t);

	if (!tui_job_done(&rv->job))
		return;
	rv->ready = 1;
	if (rv->cause != NULL)
		tui_message(t, 1, "replay: %s", rv->cause);
	if (t->screen == SCR_REPLAY && t->s != NULL && rv->gen != t->gen)
		view_replay_start(t, 0);
	t->dirty = 1;
}

static char *
pct(double v, char buf[32])
{
	if (isnan(v))
		snprintf(buf, 32, "-");
	else
		snprintf(buf, 32, "%.1f%%", 100 * v);
	return buf;
}

static char *
num(double v, char buf[32])
{
	if (isnan(v))
		snprintf(buf, 32, "-");
	else
		snprintf(buf, 32, "%.5g", v);
	return buf;
}

/*
 * The columns of rung replay's table that the screen shows, STARTED, and
 * the equal-cost view's regret and P(top 5%) (EQ_), after the policy (15
 * columns; its glyph is apart, printf counting bytes).
 */
#define SEEDFMT	"%5s %9s %9s %7s %8s %9s %9s %6s %6s %7s"
#define ROWFMT	SEEDFMT " %9s %7s"

/* Rows on screen: each policy, then its seeds when open. */
static int
nrows(const struct tui_replayview *rv)
{
	uint32_t	 i;
	int		 n = 0;

	for (i = 0; i < rv->npol; i++)
		n += 1 + (rv->pol[i].open ? (int)rv->pol[i].nseeds : 0);
	return n;
}

/* Row r: the policy, and the seed or -1. */
static int
row_at(const struct tui_replayview *rv, int r, int *seed)
{
	uint32_t	 i;

	for (i = 0; i < rv->npol; i++) {
		if (r == 0) {
			*seed = -1;
			return (int)i;
		}
		r--;
		if (rv->pol[i].open) {
			if (r < (int)rv->pol[i].nseeds) {
				*seed = r;
				return (int)i;
			}
			r -= (int)rv->pol[i].nseeds;
		}
	}
	return -1;
}

static void
view_replay_draw(struct tui *t, int y, int h)
{
	struct tui_replayview *rv = replay_of(t);
	const struct tui_policyrun *p;
	const struct tui_seedrow *sr;
	char		 c[13][32];
	int		 n, row, r, pi, si, a;

	if (!rv->ready) {
		tui_putf(y + 1, 2, t->cols - 4, A_BOLD, "Replaying the policies "
		    "over '%s'...", rv->study ? rv->study : "");
		return;
	}
	if (rv->npol == 0) {
		tui_putf(y + 1, 2, t->cols - 4, t->attrs[C_ERR], "replay: %s",
		    rv->cause ? rv->cause : "nothing to show");
		return;
	}
	tui_putf(y, 1, t->cols - 2, A_BOLD, "%s", rv->source);
	tui_fill(y + 1, 0, t->cols, t->attrs[C_HEAD]);
	tui_putf(y + 1, 0, t->cols, t->attrs[C_HEAD] | A_BOLD,
	    " %-15s " ROWFMT, "POLICY", "SEEDS", "STEPS", "SECONDS", "SAVED",
	    "SAVED_RS", "FINAL", "REGRET", "TOP1", "TOP5", "STARTED",
	    "EQ_REGRET", "EQ_TOP5");
	n = nrows(rv);
	if (rv->sel >= n)
		rv->sel = n - 1;
	if (rv->sel < rv->top)
		rv->top = rv->sel;
	/* Rows between the header and the two lines of the legend. */
	if (rv->sel >= rv->top + h - 4)
		rv->top = rv->sel - (h - 5);
	for (row = 0; row < h - 4; row++) {
		r = rv->top + row;
		if (r >= n || (pi = row_at(rv, r, &si)) < 0)
			break;
		p = &rv->pol[pi];
		a = r == rv->sel ? A_REVERSE : A_NORMAL;
		if (a != A_NORMAL)
			tui_fill(y + 2 + row, 0, t->cols, a);
		if (si < 0) {
			snprintf(c[10], sizeof c[10], "%u", p->nseeds);
			tui_putf(y + 2 + row, 0, t->cols, a | A_BOLD,
			    " %s %-13s " ROWFMT, p->open ? t->g->down : ">",
			    p->name, c[10], num(p->cost, c[0]),
			    num(p->seconds, c[1]), pct(p->saved, c[2]),
			    pct(p->saved_rs, c[3]), num(p->final, c[4]),
			    num(p->regret, c[5]), pct(p->top1, c[6]),
			    pct(p->top5, c[7]), num(p->started, c[8]),
			    num(p->eq_regret, c[11]), pct(p->eq_top5, c[12]));
			continue;
		}
		sr = &p->seeds[si];
		snprintf(c[9], sizeof c[9], "    seed %llu",
		    (unsigned long long)sr->seed);
		snprintf(c[10], sizeof c[10], "%u", sr->started);
		/* A seed's row names its trial where EQ_ stands. */
		tui_putf(y + 2 + row, 0, t->cols, a, " %-15s " SEEDFMT
		    "  trial %s",
		    c[9], "", num(sr->cost, c[0]), num(sr->seconds, c[1]),
		    pct(sr->saved, c[2]), pct(sr->saved_rs, c[3]),
		    num(sr->final, c[4]), num(sr->regret, c[5]),
		    sr->top1 ? "yes" : "no", sr->top5 ? "yes" : "no",
		    c[10], sr->returned ? sr->returned : "-");
	}
	tui_putf(y + h - 2, 1, t->cols - 2, t->attrs[C_AXIS], "SAVED: compute "
	    "saved against %s; SAVED_RS: against random search training the "
	    "same configurations fully; EQ_: at its cost, savings spent on "
	    "more configurations", rv->baseline != NULL ?
	    rv->baseline : "the baseline");
	tui_put(y + h - 1, 1, t->cols - 2, t->attrs[C_AXIS], "Enter: seeds   "
	    "R: replay here");
}

static void
view_replay_key(struct tui *t, enum tui_action a)
{
	struct tui_replayview *rv = replay_of(t);
	int		 n = nrows(rv), pi, si;

	switch (a) {
	case ACT_DOWN:
		rv->sel++;
		break;
	case ACT_UP:
		rv->sel--;
		break;
	case ACT_PGDN:
		rv->sel += t->rows - 6;
		break;
	case ACT_PGUP:
		rv->sel -= t->rows - 6;
		break;
	case ACT_TOP:
		rv->sel = 0;
		break;
	case ACT_BOTTOM:
		rv->sel = n - 1;
		break;
	case ACT_ENTER:
		if ((pi = row_at(rv, rv->sel, &si)) >= 0) {
			rv->pol[pi].open = !rv->pol[pi].open;
			if (si >= 0)
				rv->sel -= si + 1;
		}
		break;
	case ACT_RERUN:
		view_replay_start(t, 1);
		return;
	default:
		return;
	}
	n = nrows(rv);
	if (rv->sel >= n)
		rv->sel = n - 1;
	if (rv->sel < 0)
		rv->sel = 0;
}

static void
replay_release(struct tui *t)
{
	tui_job_wait(&replay_of(t)->job);
	view_replay_free(replay_of(t));
}

static void
replay_open(struct tui *t)
{
	view_replay_start(t, 0);
}

/* Kept replays may be new: look again, now if shown. */
static void
replay_reload(struct tui *t)
{
	replay_of(t)->gen = UINT64_MAX;
	if (t->screen == SCR_REPLAY)
		view_replay_start(t, 0);
}

static void
replay_status(struct tui *t, char *buf, size_t len)
{
	struct tui_replayview *rv = replay_of(t);

	snprintf(buf, len, " replay: %s", rv->source ? rv->source : "");
}

static size_t
replay_progress(struct tui *t, const char *spin, char *buf, size_t len)
{
	return tui_job_progress(&replay_of(t)->job, spin, "replay", buf, len);
}

static int
replay_busy(struct tui *t)
{
	return tui_job_running(&replay_of(t)->job);
}

const struct rung_view_ops tui_view_replay = {
	.name = "replay",
	.tab = "4 Replay",
	.heading = "The replay screen (4)",
	.show = ACT_REPLAY,
	.flags = VIEW_STUDY,
	.size = sizeof (struct tui_replayview),
	.open = replay_open,
	.draw = view_replay_draw,
	.key = view_replay_key,
	.status = replay_status,
	.progress = replay_progress,
	.busy = replay_busy,
	.poll = view_replay_poll,
	.reload = replay_reload,
	.release = replay_release,
};
