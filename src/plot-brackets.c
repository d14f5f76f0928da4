/*
 * plot brackets: how far one seed of a policy ran each configuration of a
 * study, with the milestones where the policy judges them and the trial it
 * returned.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/replay.h"
#include "rung/sched.h"
#include "rung/xmalloc.h"

#include "plot-int.h"

struct bar {
	uint32_t	 t;
	int32_t		 reached;
	double		 v;
	double		 key;		/* lower is better; NaN last */
};

static int
bar_cmp(const void *a, const void *b)
{
	const struct bar *x = a, *y = b;

	if (x->reached != y->reached)
		return x->reached > y->reached ? -1 : 1;
	if (isnan(x->key) != isnan(y->key))
		return isnan(x->key) ? 1 : -1;
	if (x->key != y->key && !isnan(x->key))
		return x->key < y->key ? -1 : 1;
	return x->t < y->t ? -1 : x->t > y->t;
}

static int
plot_brackets(struct plot *pl, const struct rung_study *s, char **cause)
{
	struct rung_plot *p = pl->p;
	struct rung_sched_params sp;
	struct rung_replay_opts ro;
	struct rung_replay_result res;
	struct rung_sched *sc;
	struct bar	*bars = NULL;
	const char	*v;
	char		*names;
	double		*ms = NULL, *mpos = NULL, *mw = NULL, across;
	char		*l1 = NULL, *l2 = NULL, b1[RUNG_DBL_BUFSZ];
	char		 b2[RUNG_DBL_BUFSZ], b3[RUNG_DBL_BUFSZ];
	uint32_t	 nb = 0, nms = 0, i, ret_rank = 0;
	long		 n;
	int		 pol = RUNG_POLICY_HYPERBAND, ret = RUNG_EXIT_USAGE;
	int		*mrow = NULL, rows;

	memset(&res, 0, sizeof res);
	if ((v = rung_args_get(pl->args, OPT_POLICY)) != NULL &&
	    (pol = rung_policy_parse(v)) < 0) {
		names = rung_policy_names();
		rung_error("plot: --policy: brackets draw one policy, and "
		    "'%s' is not one (%s)", v, names);
		free(names);
		return RUNG_EXIT_USAGE;
	}
	rung_sched_params_init(&sp, (enum rung_policy)pol);
	sp.max_r = s->max_step;
	if (plot_real_opt(pl->args, OPT_ETA, 1, 1, "a number above 1",
	    &sp.eta) != 0 ||
	    plot_real_opt(pl->args, OPT_MIN_R, 0, 1,
	    "a positive number of steps", &sp.min_r) != 0 ||
	    plot_real_opt(pl->args, OPT_MAX_R, 0, 1,
	    "a positive number of steps", &sp.max_r) != 0)
		return RUNG_EXIT_USAGE;
	if (sp.max_r < sp.min_r) {
		rung_error("plot: --max-steps (%g) must be at least --min-steps (%g)",
		    sp.max_r, sp.min_r);
		return RUNG_EXIT_USAGE;
	}
	rung_replay_opts_init(&ro);
	n = 1;
	if (plot_int_opt(pl->args, OPT_WORKERS, 1, 1000000, &n) != 0)
		return RUNG_EXIT_USAGE;
	ro.workers = (uint32_t)n;
	n = 0;
	if (plot_int_opt(pl->args, RUNG_OPT_SEED, 0, 2147483647L, &n) != 0)
		return RUNG_EXIT_USAGE;
	/* As many configurations as Hyperband starts, as replay does. */
	if ((rung_policy_flags(sp.policy) & (RUNG_PF_CONFIGS |
	    RUNG_PF_SIZED)) == RUNG_PF_CONFIGS) {
		if ((sp.max_configs = rung_hb_default_configs(&sp)) == 0) {
			rung_error("plot: %s starts as many configurations as "
			    "Hyperband: that needs an integer --eta and "
			    "--max-steps a multiple of --min-steps",
			    rung_policy_name(sp.policy));
			return RUNG_EXIT_USAGE;
		}
	}
	if (rung_sched_new(&sp, &sc, cause) != 0)
		return RUNG_EXIT_USAGE;
	rung_sched_free(sc);
	ret = RUNG_EXIT_ERROR;
	if (rung_replay_run(s, &sp, &ro, (uint64_t)n, &res, cause) != 0)
		goto out;

	bars = xcalloc(s->ntrials + 1, sizeof *bars);
	for (i = 0; i < s->ntrials; i++) {
		if (res.reached[i] <= 0)
			continue;
		bars[nb].t = i;
		bars[nb].reached = res.reached[i];
		bars[nb].v = plot_value_at(s, i, res.reached[i]);
		bars[nb].key = s->direction == RUNG_MAX ? -bars[nb].v :
		    bars[nb].v;
		nb++;
	}
	if (nb == 0) {
		xasprintf(cause, "the replay ran no trial");
		goto out;
	}
	qsort(bars, nb, sizeof *bars, bar_cmp);
	ms = rung_sched_milestones(&sp, &nms);

	rung_plot_data(p, "bars");
	for (i = 0; i < nb; i++) {
		rung_plot_row(p, 3, (double)(i + 1), (double)bars[i].reached,
		    bars[i].v);
		if (bars[i].t == res.returned)
			ret_rank = i + 1;
	}
	if (ret_rank > 0) {
		rung_plot_data(p, "returned");
		rung_plot_row(p, 2, (double)bars[ret_rank - 1].reached,
		    (double)ret_rank);
	}

	plot_preamble(pl);
	rung_plot_cmd(p, "set grid noytics\n");
	l1 = xprintf("%s: how far %s ran each configuration (seed %ld)",
	    s->name, rung_policy_name(sp.policy), n);
	l2 = xprintf("%u configurations, %" PRIu64 " steps (eta %s, steps "
	    "%s to %s, %u worker%s)", res.nstarted, res.cost_steps,
	    plot_human(sp.eta, b1), plot_human(sp.min_r, b2),
	    plot_human(sp.max_r, b3),
	    ro.workers, ro.workers == 1 ? "" : "s");
	plot_title(pl, "set title", l1, l2);
	plot_label(pl, "set xlabel", "step reached");
	plot_label(pl, "set ylabel", nb <= 60 ? "trial (by step reached, "
	    "then value)" : "configurations (by step reached, then value)");
	free(l1);
	l1 = xprintf("%s at the step reached", s->curve.name);
	plot_label(pl, "set cblabel", l1);
	rung_plot_cmd(p, "set xrange [0:");
	rung_plot_num(p, sp.max_r * 1.04);
	rung_plot_cmd(p, "]\nset yrange [");
	rung_plot_num(p, nb + 0.7);
	rung_plot_cmd(p, ":0.3]\n");
	if (nb <= 60) {
		rung_plot_cmd(p, "set ytics (");
		for (i = 0; i < nb; i++) {
			rung_plot_cmd(p, "%s", i ? ", " : "");
			rung_plot_quote(p, s->ids[bars[i].t]);
			rung_plot_cmd(p, " %u", i + 1);
		}
		rung_plot_cmd(p, ")\n");
		if (nb > 30)
			rung_plot_cmd(p, "set ytics font ',7'\n");
	}
	/*
	 * The milestones: dashed lines, their steps on top; where two labels
	 * would overlap (eta 3 from step 1: 1 and 3), the second goes on a
	 * row above, and a third at the same place is left out.
	 */
	mpos = xcalloc(nms, sizeof *mpos);
	mw = xcalloc(nms, sizeof *mw);
	mrow = xcalloc(nms, sizeof *mrow);
	across = plot_chars_across(pl, pl->tg.width, pl->dumb ? 16 : 24);
	for (i = 0; i < nms; i++) {
		mpos[i] = ms[i] / (sp.max_r * 1.04) * across;
		mw[i] = (double)strlen(plot_human(ms[i], b1));
	}
	rows = rung_plot_stagger(mpos, mw, (int)nms, mrow);
	rung_plot_cmd(p, "set link x2\nset x2tics (");
	for (i = 0; i < nms; i++) {
		rung_plot_cmd(p, "%s'%s' ", i ? ", " : "", mrow[i] == 0 ?
		    plot_human(ms[i], b1) : "");
		rung_plot_num(p, ms[i]);
	}
	rung_plot_cmd(p, ")\n");
	for (i = 0; i < nms; i++) {
		if (mrow[i] != 1)
			continue;
		rung_plot_cmd(p, "set label '%s' at ", plot_human(ms[i], b1));
		rung_plot_num(p, ms[i]);
		rung_plot_cmd(p, ", graph 1 center offset 0, char %s front\n",
		    pl->dumb ? "2" : "1.9");
	}
	/* A blank line under the label: room for the second row. */
	plot_title(pl, "set x2label", "milestones: where the policy judges "
	    "(steps)", rows > 1 ? " " : NULL);
	for (i = 0; i < nms; i++) {
		rung_plot_cmd(p, "set arrow from ");
		rung_plot_num(p, ms[i]);
		rung_plot_cmd(p, ", graph 0 to ");
		rung_plot_num(p, ms[i]);
		rung_plot_cmd(p, ", graph 1 nohead dt 2 lc rgb '#808080' "
		    "back\n");
	}
	if (s->direction == RUNG_MAX)
		rung_plot_cmd(p, "set palette defined (0 '#d73027', 0.5 "
		    "'#fee08b', 1 '#1a9850')\n");
	else
		rung_plot_cmd(p, "set palette defined (0 '#1a9850', 0.5 "
		    "'#fee08b', 1 '#d73027')\n");
	rung_plot_cmd(p, "set key outside below center horizontal\n");
	rung_plot_cmd(p, "plot ");
	rung_plot_ref(p, "bars");
	rung_plot_cmd(p, " using ($2/2.0):1:($2/2.0):(0.36):3 with boxxyerror "
	    "fs solid 0.9 noborder lc palette notitle");
	if (ret_rank > 0) {
		rung_plot_cmd(p, ", \\\n     ");
		plot_series(p, "returned", "using 1:2 with points pt 3 ps 2.5 "
		    "lw 2 lc rgb '#000000'", "returned: trial %s, final %s",
		    s->ids[res.returned], plot_human(res.returned_final, b1));
	}
	rung_plot_cmd(p, "\n");
	ret = 0;
out:
	free(l1);
	free(l2);
	free(ms);
	free(mpos);
	free(mw);
	free(mrow);
	free(bars);
	rung_replay_result_release(&res);
	return ret;
}

static const int brackets_opts[] = {
	RUNG_OPT_SEED, OPT_POLICY, OPT_ETA, OPT_MIN_R, OPT_MAX_R, OPT_WORKERS, 0
};

const struct plot_kind plot_brackets_kind = {
	.name = "brackets",
	.opts = brackets_opts,
	.loads_study = 1,
	.run = plot_brackets,
};
