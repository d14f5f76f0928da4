/*
 * plot replay: a kept run of rung replay (the newest of the study, --replay
 * ID, or one it runs and keeps with --policy), compute against the final
 * value returned beside the best so far against simulated time, and the
 * anytime curve: regret against compute.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rung/store.h"
#include "rung/store-replay.h"
#include "rung/xmalloc.h"

#include "plot-int.h"
#include "replay-run-int.h"

/* The options of a new replay: plot replay --policy runs one with them. */
static const int run_ids[] = {
	OPT_ETA, OPT_MIN_R, OPT_MAX_R, OPT_WORKERS, OPT_SEEDS, RUNG_OPT_SEED,
	RUNG_OPT_JOBS, RUNG_OPT_METRIC, RUNG_OPT_DIRECTION,
};

/* The same for replay_run; the others of rung replay are not plot's. */
static const struct replay_optids run_optids = {
	.sched = {
		.eta = OPT_ETA, .min_r = OPT_MIN_R, .variant = -1, .rule = -1,
		.min_curves = -1, .keep_full = -1, .known_curve = -1,
		.delta = -1, .svr_train = -1,
	},
	.policy = OPT_POLICY, .baseline = -1, .max_r = OPT_MAX_R,
	.workers = OPT_WORKERS, .seeds = OPT_SEEDS, .seed = RUNG_OPT_SEED,
	.jobs = RUNG_OPT_JOBS, .budget = -1, .sampler = -1, .configs = -1,
	.no_resume = -1, .no_equal_cost = -1,
};

/* A kept replay, and what plot replay reads from its report. */
struct kept {
	struct rung_kept_replay *kr;
	double		 pool_best;
	int		 seconds;
	double		 eta, max_r, workers;
};

static double
jnum(json_object *o, const char *key)
{
	json_object	*v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int)))
		return NAN;
	return json_object_get_double(v);
}

/* A kept replay: the newest of the study when id is 0. */
static int
kept_load(struct plot *pl, int64_t id, struct kept *k, char **cause)
{
	struct rung_store *st = pl->ctx->store;
	struct rung_kept_replay *kr;
	json_object	*rep = NULL, *par, *v;
	int		 rc;

	memset(k, 0, sizeof *k);
	if ((rc = rung_store_replay_load(st, id, pl->study, NULL,
	    RUNG_KEPT_REPORT | RUNG_KEPT_TRACES, &k->kr, cause)) < 0)
		return -1;
	if (rc == 0) {
		if (id > 0)
			xasprintf(cause, "no replay %" PRId64 " in '%s' (rung "
			    "replays lists them)", id, rung_store_path(st));
		else
			xasprintf(cause, "no replay of study '%s' is kept: "
			    "give --policy (plot replay --policy hyperband,asha "
			    "%s) or run rung replay first", pl->study,
			    pl->study);
		return -1;
	}
	kr = k->kr;
	if (kr->study == NULL || strcmp(kr->study, pl->study) != 0) {
		xasprintf(cause, "replay %" PRId64 " is of study '%s', not "
		    "'%s'", kr->id, kr->study != NULL ? kr->study : "",
		    pl->study);
		return -1;
	}
	rep = kr->report != NULL ? json_tokener_parse(kr->report) : NULL;
	k->pool_best = jnum(rep, "pool_best");
	k->seconds = rep != NULL && json_object_object_get_ex(rep,
	    "time_unit", &v) && json_object_is_type(v, json_type_string) &&
	    strcmp(json_object_get_string(v), "seconds") == 0;
	par = NULL;
	if (rep != NULL)
		json_object_object_get_ex(rep, "parameters", &par);
	k->eta = jnum(par, "eta");
	k->max_r = jnum(par, "max_r");
	k->workers = jnum(par, "workers");
	if (rep != NULL)
		json_object_put(rep);
	if (kr->npol == 0) {
		xasprintf(cause, "replay %" PRId64 " holds no policy", kr->id);
		return -1;
	}
	return 0;
}

/* Best-so-far final value of a seed's trace at simulated time x; NaN if none. */
static double
trace_at(const struct rung_kept_seed *r, double x)
{
	size_t		 i;
	double		 v = NAN;

	for (i = 0; i < r->ntrace; i++) {
		if (r->trace_time[i] > x)
			break;
		if (isnan(r->trace_final[i]))
			continue;
		v = r->trace_final[i];
	}
	return v;
}

/* The pool's best final value, a dashed line after a panel's series. */
static void
pool_best(struct rung_plot *p, double best)
{
	if (!isfinite(best))
		return;
	rung_plot_cmd(p, ", \\\n     ");
	rung_plot_num(p, best);
	rung_plot_cmd(p, " with lines dt 2 lc rgb '#555555' title "
	    "'the pool''s best'");
}

#define TIME_POINTS	200

/*
 * The anytime curve of a policy: its kept anytime entry's mean best-so-far
 * final value at each cost in steps, as regret against the pool's best (a
 * run kept by an older rung has the finals, not the regret). One row per
 * point; a row of NaN when there is none. Returns the largest cost.
 */
static double
regret_rows(struct rung_plot *p, const char *anytime, double best)
{
	json_object	*a, *c = NULL, *m = NULL;
	size_t		 i, n = 0;
	double		 x, y, max = 0;

	a = anytime != NULL ? json_tokener_parse(anytime) : NULL;
	if (a != NULL && json_object_object_get_ex(a, "cost_steps", &c) &&
	    json_object_object_get_ex(a, "best_final_mean", &m) &&
	    json_object_is_type(c, json_type_array) &&
	    json_object_is_type(m, json_type_array))
		n = json_object_array_length(c);
	for (i = 0; i < n; i++) {
		x = json_object_get_double(json_object_array_get_idx(c, i));
		y = json_object_get_double(json_object_array_get_idx(m, i));
		if (json_object_array_get_idx(m, i) == NULL)
			y = NAN;	/* null: no seed had one yet */
		rung_plot_row(p, 2, x, fabs(y - best));
		if (isfinite(x))
			max = fmax(max, x);
	}
	if (n == 0)
		rung_plot_row(p, 2, NAN, NAN);
	if (a != NULL)
		json_object_put(a);
	return max;
}

/* A line per policy, in steps, from the data set name's blocks. */
static void
policy_steps(struct rung_plot *p, const struct rung_kept_replay *kr,
    const char *name)
{
	size_t	 i;

	for (i = 0; i < kr->npol; i++) {
		rung_plot_cmd(p, "%s", i ? ", \\\n     " : "");
		rung_plot_ref(p, name);
		rung_plot_cmd(p, " index %zu using 1:2 with steps lw 2 lc rgb "
		    "'%s' title ", i, plot_colours[i % NCOLOURS]);
		rung_plot_quote(p, kr->pol[i].policy);
	}
}

static int
plot_replay(struct plot *pl, const struct rung_study *unused,
    char **cause)
{
	struct rung_plot *p = pl->p;
	struct rung_study_info info;
	struct kept	 k;
	const struct rung_kept_policy *kp;
	struct rung_buf	 names = { 0 };
	const char	*v;
	double		 cost, fin, cmin, cmax, fmin_, fmax_, cs, fs, tmax = 0, x, sum;
	double		 gmin = INFINITY, gmax = -INFINITY, across, rmax = 0;
	char		*l1 = NULL, *l2 = NULL, *end, b1[RUNG_DBL_BUFSZ];
	char		 b2[RUNG_DBL_BUFSZ];
	uint32_t	 i, j, g, nf, nv;
	int64_t		 id = 0;
	long long	 ll;
	int		 rc, ret;

	(void)unused;	/* it loads the study as rung replay does */
	memset(&k, 0, sizeof k);
	if (rung_args_has(pl->args, OPT_REPLAY) && rung_args_has(pl->args,
	    OPT_POLICY)) {
		rung_error("plot: --replay plots a kept run and --policy runs "
		    "one: give one of them");
		return RUNG_EXIT_USAGE;
	}
	if ((v = rung_args_get(pl->args, OPT_REPLAY)) != NULL) {
		errno = 0;
		ll = strtoll(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno != 0 || ll < 1) {
			rung_error("plot: --replay takes the id of a kept "
			    "replay, a whole number of at least 1 (rung "
			    "replays lists them), not '%s'", v);
			return RUNG_EXIT_USAGE;
		}
		id = ll;
	}
	if ((rc = rung_store_study(pl->ctx->store, pl->study, &info,
	    cause)) != 0) {
		if (rc == 1)
			rung_store_no_study(pl->ctx->store, pl->study, cause);
		return RUNG_EXIT_ERROR;
	}
	rung_study_info_release(&info);
	if (rung_args_has(pl->args, OPT_POLICY)) {
		/* Run and kept as rung replay does; its table unprinted. */
		if ((ret = replay_run(pl->ctx, pl->study, pl->args, &run_optids,
		    1, NULL, &id)) != 0)
			return ret;
	} else {
		for (i = 0; i < sizeof run_ids / sizeof run_ids[0]; i++) {
			if (rung_args_has(pl->args, run_ids[i])) {
				rung_error("plot: %s goes with --policy (it "
				    "sets up a new replay)",
				    plot_opt_name(run_ids[i]));
				return RUNG_EXIT_USAGE;
			}
		}
	}
	ret = RUNG_EXIT_ERROR;
	if (kept_load(pl, id, &k, cause) != 0)
		goto out;

	/* Compute against quality: each seed, and the policy's spread. */
	for (i = 0; i < k.kr->npol; i++) {
		kp = &k.kr->pol[i];
		if (i > 0)
			rung_buf_addstr(&names, ", ");
		rung_buf_addstr(&names, kp->policy);
		cmin = fmin_ = INFINITY;
		cmax = fmax_ = -INFINITY;
		cs = fs = 0;
		nf = 0;
		rung_plot_data(p, "seeds");
		for (j = 0; j < kp->nseed; j++) {
			cost = (double)kp->seed[j].cost_steps;
			fin = kp->seed[j].returned_final;
			if (!isfinite(cost) || !isfinite(fin))
				continue;
			rung_plot_row(p, 2, cost, fin);
			cmin = fmin(cmin, cost);
			cmax = fmax(cmax, cost);
			fmin_ = fmin(fmin_, fin);
			fmax_ = fmax(fmax_, fin);
			cs += cost;
			fs += fin;
			nf++;
		}
		if (nf == 0)
			rung_plot_row(p, 2, NAN, NAN);
		else {
			gmin = fmin(gmin, cmin);
			gmax = fmax(gmax, cmax);
		}
		rung_plot_gap(p, 2);
		rung_plot_data(p, "mean");
		if (nf > 0)
			rung_plot_row(p, 6, cs / nf, fs / nf, cmin, cmax,
			    fmin_, fmax_);
		else
			rung_plot_row(p, 6, NAN, NAN, NAN, NAN, NAN, NAN);
		rung_plot_gap(p, 2);
		for (j = 0; j < kp->nseed; j++) {
			if (isfinite(kp->seed[j].end_time))
				tmax = fmax(tmax, kp->seed[j].end_time);
		}
	}
	/* Best so far against simulated time, mean over the seeds. */
	if (!(tmax > 0))
		tmax = 1;
	for (i = 0; i < k.kr->npol; i++) {
		kp = &k.kr->pol[i];
		rung_plot_data(p, "best");
		for (g = 0; g <= TIME_POINTS; g++) {
			x = tmax * g / TIME_POINTS;
			sum = 0;
			nv = 0;
			for (j = 0; j < kp->nseed; j++) {
				double	 b = trace_at(&kp->seed[j], x);

				if (isfinite(b)) {
					sum += b;
					nv++;
				}
			}
			rung_plot_row(p, 2, x, nv > 0 ? sum / nv : NAN);
		}
		rung_plot_gap(p, 2);
	}
	/* Regret against compute: the anytime curve. */
	for (i = 0; i < k.kr->npol; i++) {
		rung_plot_data(p, "regret");
		rmax = fmax(rmax, regret_rows(p, k.kr->pol[i].anytime,
		    k.pool_best));
		rung_plot_gap(p, 2);
	}
	if (!(rmax > 0))
		rmax = 1;

	plot_preamble(pl);
	/*
	 * Two lines to each title and tics spaced for half the width: the
	 * titles of the panels met in the middle, and the tic labels ran
	 * together at small sizes.
	 */
	l1 = xprintf("%s: replay %" PRId64 ", %" PRId64 " seed%s of %s",
	    pl->study, k.kr->id, k.kr->seeds, k.kr->seeds == 1 ? "" : "s",
	    rung_buf_cstr(&names));
	free(l2);
	l2 = xprintf("eta %s, max_r %s, %.0f worker%s", plot_human(k.eta, b1),
	    plot_human(k.max_r, b2), k.workers, k.workers == 1 ? "" : "s");
	plot_title(pl, "set multiplot layout 1,3 title", l1, l2);
	rung_plot_cmd(p, "set key outside below center horizontal samplen 2\n");
	across = plot_chars_across(pl, pl->tg.width / 3.0, 12);
	plot_title(pl, "set title", "compute against the final value returned",
	    "(bars: range over seeds)");
	plot_label(pl, "set xlabel", "compute per replay (steps)");
	if (gmax > gmin)
		plot_xtics(pl, gmax - gmin, gmax, across, 0);
	free(l2);
	l2 = xprintf("true final %s of the trial returned", k.kr->metric);
	plot_label(pl, "set ylabel", l2);
	rung_plot_cmd(p, "plot ");
	for (i = 0; i < k.kr->npol; i++) {
		rung_plot_cmd(p, "%s", i ? ", \\\n     " : "");
		rung_plot_ref(p, "seeds");
		rung_plot_cmd(p, " index %u using 1:2 with points pt 6 ps 0.7 "
		    "lc rgb '%s' notitle, \\\n     ", i,
		    plot_colours[i % NCOLOURS]);
		rung_plot_ref(p, "mean");
		rung_plot_cmd(p, " index %u using 1:2:3:4:5:6 with xyerrorbars "
		    "lw 2 pt 7 ps 1.2 lc rgb '%s' title ", i,
		    plot_colours[i % NCOLOURS]);
		rung_plot_quote(p, k.kr->pol[i].policy);
	}
	pool_best(p, k.pool_best);
	rung_plot_cmd(p, "\n");

	plot_title(pl, "set title", "best so far against simulated time",
	    "(mean over seeds)");
	plot_xtics(pl, tmax, tmax, across, !k.seconds);
	plot_label(pl, "set xlabel", k.seconds ? "simulated time (seconds)" :
	    "simulated time (steps)");
	free(l2);
	l2 = xprintf("final %s of the best so far", k.kr->metric);
	plot_label(pl, "set ylabel", l2);
	rung_plot_cmd(p, "set xrange [0:");
	rung_plot_num(p, tmax);
	rung_plot_cmd(p, "]\nplot ");
	policy_steps(p, k.kr, "best");
	pool_best(p, k.pool_best);
	rung_plot_cmd(p, "\n");

	plot_title(pl, "set title", "regret against compute",
	    "(mean over seeds; 0: the pool's best)");
	plot_xtics(pl, rmax, rmax, across, 1);
	plot_label(pl, "set xlabel", "compute (steps)");
	free(l2);
	l2 = xprintf("regret of the best so far (%s)", k.kr->metric);
	plot_label(pl, "set ylabel", l2);
	rung_plot_cmd(p, "set xrange [0:");
	rung_plot_num(p, rmax);
	rung_plot_cmd(p, "]\nplot ");
	policy_steps(p, k.kr, "regret");
	rung_plot_cmd(p, "\nunset multiplot\n");
	ret = 0;
out:
	free(l1);
	free(l2);
	rung_buf_release(&names);
	rung_kept_replay_free(k.kr);
	return ret;
}

static const int replay_opts[] = {
	RUNG_OPT_SEED, RUNG_OPT_JOBS, OPT_REPLAY, OPT_POLICY, OPT_ETA,
	OPT_MIN_R, OPT_MAX_R, OPT_WORKERS, OPT_SEEDS, 0
};

const struct plot_kind plot_replay_kind = {
	.name = "replay",
	.opts = replay_opts,
	.loads_study = 0,
	.run = plot_replay,
};
