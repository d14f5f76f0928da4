/*
 * plot curves: the learning curves of a study, all of them with the best
 * picked out, or the trials chosen (--trials, --top), against steps or
 * recorded seconds, with where stopped trials stopped; in a y range that
 * a diverged trial cannot flatten (curve-style.c), smoothed (--smooth) and
 * coloured by a parameter (--color-by) on request.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/curvestyle.h"
#include "rung/xmalloc.h"

#include "plot-int.h"

/* Series given a legend entry at most; the rest are drawn untitled. */
#define LEGEND_MAX	12

static int
pick_trials(struct plot *pl, const struct rung_study *s, uint32_t **sel,
    uint32_t *nsel, char **cause)
{
	char		**ids;
	size_t		 n, i, j;
	int64_t		 t;
	long		 k;
	uint32_t	 u, m, *v;
	double		 b;

	*sel = NULL;
	*nsel = 0;
	if (rung_args_has(pl->args, OPT_TRIALS)) {
		ids = rung_args_list(pl->args, OPT_TRIALS, &n);
		v = xcalloc(n + 1, sizeof *v);
		for (i = 0; i < n; i++) {
			if ((t = rung_study_find_trial(s, ids[i])) < 0) {
				xasprintf(cause, "no trial '%s' in study '%s'",
				    ids[i], s->name);
				break;
			}
			for (j = 0; j < *nsel && v[j] != (uint32_t)t; j++)
				;
			if (j == *nsel)
				v[(*nsel)++] = (uint32_t)t;
		}
		for (j = 0; j < n; j++)
			free(ids[j]);
		free(ids);
		if (i < n) {
			free(v);
			*nsel = 0;
			return -1;
		}
		if (*nsel == 0) {
			free(v);
			xasprintf(cause, "--trials: no trial given");
			return -1;
		}
		*sel = v;
		return 0;
	}
	if (rung_args_has(pl->args, OPT_TOP)) {
		if (plot_int_opt(pl->args, OPT_TOP, 1, 100000, &k) != 0)
			return RUNG_EXIT_USAGE;
		/* Insertion into a sorted list of the k best so far. */
		v = xcalloc((size_t)k + 1, sizeof *v);
		for (u = 0; u < s->ntrials; u++) {
			b = s->curve.best[u];
			if (isnan(b))
				continue;
			m = *nsel < (uint32_t)k ? (*nsel)++ : *nsel;
			if (m == (uint32_t)k && !rung_better(s->direction, b,
			    s->curve.best[v[m - 1]]))
				continue;
			if (m == (uint32_t)k)
				m--;
			while (m > 0 && rung_better(s->direction, b,
			    s->curve.best[v[m - 1]])) {
				v[m] = v[m - 1];
				m--;
			}
			v[m] = u;
		}
		if (*nsel == 0) {
			free(v);
			xasprintf(cause, "study '%s' has no trial with a finite "
			    "value of '%s'", s->name, s->curve.name);
			return -1;
		}
		*sel = v;
	}
	return 0;
}

/*
 * How the curves are drawn: --smooth, --color-by and the y range. Rows
 * are (x, value), or (x, value, value drawn strong: smoothed, colour
 * value) when smoothing or colouring: the raw curves faint under the
 * smoothed ones, as TensorBoard draws them.
 */
struct style {
	double		 w;		/* the smoothing weight; 0: none */
	int		 cby;		/* the parameter; -1: none */
	struct rung_colorby cb;
	int		 wide;
	int		 logy;
	double		 ulo, uhi;	/* --yrange; NaN: automatic */
	int		 ranged;	/* a set yrange: clipped or asked */
	double		 lo, hi;
	uint32_t	 nclip, nclip_hi;
	double		*xs, *vs, *sm;	/* one trial's points */
};

/* The finite points of trial t, into st->xs and st->vs; how many. */
static size_t
trial_points(const struct rung_study *s, const float *cum, uint32_t t,
    struct style *st)
{
	uint32_t	 i;
	size_t		 n = 0;
	double		 x, v;

	for (i = s->curve.off[t]; i < s->curve.off[t + 1]; i++) {
		v = i + 1 == s->curve.off[t + 1] ? s->curve.final[t] :
		    s->curve.vals[i];
		x = cum != NULL ? cum[i] : s->curve.steps[i];
		if (!isfinite(v) || !isfinite(x))
			continue;
		st->xs[n] = x;
		st->vs[n++] = v;
	}
	return n;
}

/* The colour column of trial t: the parameter's value, or its level. */
static double
colour_value(const struct rung_study *s, const struct style *st, uint32_t t)
{
	const struct rung_param *p;

	if (st->cby < 0)
		return NAN;
	p = &s->params[st->cby];
	if (p->type == RUNG_PCAT)
		return p->cat[t] == UINT32_MAX ? NAN : (double)p->cat[t];
	return p->num[t];
}

/* Rows of trial t into the current data set. */
static size_t
curve_rows(struct plot *pl, const struct rung_study *s, const float *cum,
    uint32_t t, struct style *st)
{
	size_t		 n, i;
	double		 c;

	n = trial_points(s, cum, t, st);
	if (!st->wide) {
		for (i = 0; i < n; i++)
			rung_plot_row(pl->p, 2, st->xs[i], st->vs[i]);
		return n;
	}
	if (st->w > 0)
		rung_smooth_ema(st->vs, st->sm, n, st->w);
	else
		memcpy(st->sm, st->vs, n * sizeof *st->sm);
	c = colour_value(s, st, t);
	for (i = 0; i < n; i++)
		rung_plot_row(pl->p, 4, st->xs[i], st->vs[i], st->sm[i], c);
	return n;
}

/*
 * The y range of the trials shown (rung_yrange_robust over their points,
 * on log10 of them with --log-y, the best value inside), --yrange over
 * it; the points beyond it as data sets clip_hi and clip_lo, at the edge.
 */
static void
y_range(struct plot *pl, const struct rung_study *s, const float *cum,
    const uint32_t *sel, uint32_t nsel, uint32_t best, struct style *st)
{
	double		*all, b = NAN;
	size_t		 n = 0, k, cap;
	uint32_t	 i, t;
	int		 clip;

	cap = s->curve.off[s->ntrials] + 1;
	all = xreallocarray(NULL, cap, sizeof *all);
	for (i = 0; i < nsel; i++) {
		k = trial_points(s, cum, sel[i], st);
		while (k-- > 0) {
			if (!st->logy)
				all[n++] = st->vs[k];
			else if (st->vs[k] > 0)
				all[n++] = log10(st->vs[k]);
		}
	}
	if (best != UINT32_MAX && isfinite(s->curve.best[best]) &&
	    (!st->logy || s->curve.best[best] > 0))
		b = st->logy ? log10(s->curve.best[best]) : s->curve.best[best];
	clip = rung_yrange_robust(all, n, b, &st->lo, &st->hi);
	free(all);
	if (clip < 0)
		return;
	if (st->logy) {
		st->lo = pow(10, st->lo);
		st->hi = pow(10, st->hi);
	}
	st->ranged = clip != 0 || !isnan(st->ulo) || !isnan(st->uhi);
	if (!st->ranged)
		return;
	rung_yrange_merge(st->ulo, st->uhi, &st->lo, &st->hi);
	if (st->logy && !(st->lo > 0))
		st->lo = st->hi / 10;
	for (i = 0; i < nsel; i++) {
		t = sel[i];
		n = trial_points(s, cum, t, st);
		for (k = 0; k < n; k++) {
			if (st->logy && st->vs[k] <= 0)
				continue;
			if (st->vs[k] > st->hi) {
				rung_plot_data(pl->p, "clip_hi");
				rung_plot_row(pl->p, 2, st->xs[k], st->hi);
				st->nclip++;
				st->nclip_hi++;
			} else if (st->vs[k] < st->lo) {
				rung_plot_data(pl->p, "clip_lo");
				rung_plot_row(pl->p, 2, st->xs[k], st->lo);
				st->nclip++;
			}
		}
	}
}

/* The last finite point of trial t: where it stopped. */
static int
last_point(const struct rung_study *s, const float *cum, uint32_t t,
    double *x, double *v)
{
	uint32_t	 i;

	for (i = s->curve.off[t + 1]; i > s->curve.off[t]; i--) {
		*v = i == s->curve.off[t + 1] ? s->curve.final[t] :
		    s->curve.vals[i - 1];
		*x = cum != NULL ? cum[i - 1] : s->curve.steps[i - 1];
		if (isfinite(*v) && isfinite(*x))
			return 1;
	}
	return 0;
}

/* The options of the style; 0, or the exit status. */
static int
style_options(struct plot *pl, const struct rung_study *s, struct style *st)
{
	const char	*v;
	char		*cause = NULL;

	st->cby = -1;
	st->ulo = st->uhi = NAN;
	st->logy = rung_args_has(pl->args, OPT_LOGY);
	if ((v = rung_args_get(pl->args, OPT_YRANGE)) != NULL &&
	    rung_yrange_parse(v, &st->ulo, &st->uhi, &cause) != 0)
		goto bad;
	if (st->logy && ((!isnan(st->ulo) && st->ulo <= 0) ||
	    (!isnan(st->uhi) && st->uhi <= 0))) {
		rung_error("plot: --yrange: with --log-y both sides must be "
		    "above 0, not '%s'", v);
		return RUNG_EXIT_USAGE;
	}
	if ((v = rung_args_get(pl->args, OPT_SMOOTH)) != NULL &&
	    rung_smooth_parse(v, &st->w, &cause) != 0) {
		v = "--smooth";
		goto named;
	}
	if ((v = rung_args_get(pl->args, OPT_COLOR_BY)) != NULL &&
	    (st->cby = rung_colorby_find(s, v, &cause)) < 0) {
		v = "--color-by:";
		goto named;
	}
	if (st->cby >= 0)
		rung_colorby_init(&st->cb, s, st->cby, NULL, 0);
	st->wide = st->w > 0 || st->cby >= 0;
	return 0;
bad:
	v = "--yrange";
named:
	rung_error("plot: %s %s", v, cause);
	free(cause);
	return RUNG_EXIT_USAGE;
}

/* A curve's colour: its parameter's, or the one given. */
static void
lc_of(struct plot *pl, const struct style *st, uint32_t t, const char *dflt)
{
	double	 f;

	if (st->cby < 0) {
		rung_plot_cmd(pl->p, "lc rgb '%s'", dflt);
		return;
	}
	f = rung_colorby_pos(&st->cb, t);
	if (isnan(f))
		rung_plot_cmd(pl->p, "lc rgb '#7f7f7f'");
	else if (st->cb.cat)
		rung_plot_cmd(pl->p, "lc rgb '%s'",
		    plot_colours[(size_t)f % NCOLOURS]);
	else
		rung_plot_cmd(pl->p, "lc palette frac %.4f", f);
}

/* The colour bar of a numeric --color-by: viridis, log where the param is. */
static void
colour_bar(struct plot *pl, const struct style *st)
{
	struct rung_plot *p = pl->p;

	if (st->cby < 0 || st->cb.cat || !(st->cb.hi >= st->cb.lo))
		return;
	rung_plot_cmd(p, "set palette defined (0 '#440154', 0.25 '#3b528b', "
	    "0.5 '#21918c', 0.75 '#5ec962', 1 '#fde725')\n");
	rung_plot_cmd(p, "set colorbox\n");
	if (st->cb.log)
		rung_plot_cmd(p, "set logscale cb\n");
	rung_plot_cmd(p, "set cbrange [");
	rung_plot_num(p, st->cb.lo);
	rung_plot_cmd(p, ":");
	rung_plot_num(p, st->cb.hi > st->cb.lo ? st->cb.hi : st->cb.lo +
	    (st->cb.lo != 0 ? fabs(st->cb.lo) : 1));
	rung_plot_cmd(p, "]\n");
	plot_label(pl, "set cblabel", st->cb.p->name);
}

/* The faint raw curve under a smoothed one: its data set, index, colour. */
static void
raw_under(struct plot *pl, const char *set, int idx, const char *colour)
{
	rung_plot_cmd(pl->p, "%s", "");
	rung_plot_ref(pl->p, set);
	if (idx >= 0)
		rung_plot_cmd(pl->p, " index %d", idx);
	rung_plot_cmd(pl->p, " using 1:2 with lines lw 1 lc rgb '%s' notitle, "
	    "\\\n     ", colour);
}

static int
plot_curves(struct plot *pl, const struct rung_study *s, char **cause)
{
	const char	*xv = rung_args_get(pl->args, OPT_X);
	struct rung_plot *p = pl->p;
	struct style	 st;
	uint32_t	*sel = NULL, nsel = 0, t, i, best = UINT32_MAX, lv;
	uint32_t	 nshown = 0, nstopped = 0, nall = 0, ncby = 0, nlv;
	float		*cum = NULL;
	double		 acc, x, v;
	char		*l1 = NULL, *l2 = NULL, *lab, b1[RUNG_DBL_BUFSZ];
	const char	*ycol;
	int		 secs = 0, all, rc, ret = RUNG_EXIT_ERROR, first = 1;

	memset(&st, 0, sizeof st);
	if (xv != NULL && strcmp(xv, "seconds") == 0)
		secs = 1;
	else if (xv != NULL && strcmp(xv, "step") != 0) {
		rung_error("plot: --x must be step or seconds, not '%s'", xv);
		return RUNG_EXIT_USAGE;
	}
	if (rung_args_has(pl->args, OPT_TRIALS) && rung_args_has(pl->args,
	    OPT_TOP)) {
		rung_error("plot: --trials and --top are alternatives: give "
		    "one");
		return RUNG_EXIT_USAGE;
	}
	if ((rc = style_options(pl, s, &st)) != 0)
		return rc;
	if (secs) {
		if (s->secs == NULL) {
			xasprintf(cause, "study '%s' records no seconds for "
			    "'%s': plot it against steps (--x step)", s->name,
			    s->curve.name);
			return RUNG_EXIT_ERROR;
		}
		/* Seconds since the trial started: the sum of its steps'. */
		cum = xreallocarray(NULL, s->curve.off[s->ntrials] + 1,
		    sizeof *cum);
		for (t = 0; t < s->ntrials; t++) {
			acc = 0;
			for (i = s->curve.off[t]; i < s->curve.off[t + 1];
			    i++) {
				if (isfinite(s->secs[i]))
					acc += s->secs[i];
				cum[i] = (float)acc;
			}
		}
	}
	if ((rc = pick_trials(pl, s, &sel, &nsel, cause)) != 0) {
		free(cum);
		return rc < 0 ? RUNG_EXIT_ERROR : rc;
	}
	all = sel == NULL;
	if (all) {
		sel = xcalloc(s->ntrials + 1, sizeof *sel);
		for (t = 0; t < s->ntrials; t++)
			sel[nsel++] = t;
	}
	for (i = 0; i < nsel; i++) {
		t = sel[i];
		if (!isnan(s->curve.best[t]) && (best == UINT32_MAX ||
		    rung_better(s->direction, s->curve.best[t],
		    s->curve.best[best])))
			best = t;
	}
	st.xs = xreallocarray(NULL, s->curve.off[s->ntrials] + 1,
	    sizeof *st.xs);
	st.vs = xreallocarray(NULL, s->curve.off[s->ntrials] + 1,
	    sizeof *st.vs);
	st.sm = xreallocarray(NULL, s->curve.off[s->ntrials] + 1,
	    sizeof *st.sm);
	if (st.cby >= 0)
		rung_colorby_init(&st.cb, s, st.cby, sel, nsel);

	/* The data: every point is a number. */
	for (i = 0; i < nsel; i++) {
		t = sel[i];
		if (all && t != best && st.cby >= 0 && (st.cb.cat ||
		    isnan(rung_colorby_pos(&st.cb, t))))
			; /* by level below; no value: grey, below */
		else if (all && t != best && st.cby >= 0) {
			rung_plot_data(p, "cby");
			if (curve_rows(pl, s, cum, t, &st) > 0) {
				rung_plot_gap(p, 1);
				ncby++;
				nshown++;
			}
		} else if (all && t != best) {
			rung_plot_data(p, "all");
			if (curve_rows(pl, s, cum, t, &st) > 0) {
				rung_plot_gap(p, 1);
				nall++;
				nshown++;
			}
		} else if (all) {
			rung_plot_data(p, "best");
			if (curve_rows(pl, s, cum, t, &st) > 0)
				nshown++;
		} else {
			rung_plot_data(p, "sel");
			if (curve_rows(pl, s, cum, t, &st) == 0) {
				/* An empty block keeps the index in step. */
				if (st.wide)
					rung_plot_row(p, 4, NAN, NAN, NAN, NAN);
				else
					rung_plot_row(p, 2, NAN, NAN);
			} else
				nshown++;
			rung_plot_gap(p, 2);
		}
		if (s->status[t] == RUNG_STOPPED && last_point(s, cum, t, &x,
		    &v)) {
			rung_plot_data(p, "stopped");
			rung_plot_row(p, 2, x, v);
			nstopped++;
		}
	}
	/* --color-by a categorical parameter: one block per level, in order. */
	nlv = all && st.cby >= 0 ? st.cb.cat ? st.cb.p->nlevels : 0 : 0;
	for (lv = 0; lv <= nlv && all && st.cby >= 0; lv++) {
		for (i = 0, rc = 0; i < nsel; i++) {
			t = sel[i];
			if (t == best)
				continue;
			v = rung_colorby_pos(&st.cb, t);
			if (lv < nlv ? v != (double)lv : !isnan(v))
				continue;
			if (rc > 0)
				rung_plot_gap(p, 1);
			else
				rung_plot_data(p, lv < nlv ? "lvl" : "all");
			if (curve_rows(pl, s, cum, t, &st) > 0) {
				rc++;
				nshown++;
				if (lv == nlv)
					nall++;
			}
		}
		if (lv < nlv) {
			if (rc == 0) {
				rung_plot_data(p, "lvl");
				rung_plot_row(p, 4, NAN, NAN, NAN, NAN);
			}
			rung_plot_gap(p, 2);
		} else if (rc > 0)
			rung_plot_gap(p, 1);
	}
	if (nshown == 0) {
		xasprintf(cause, "study '%s' has no finite value of '%s' to "
		    "plot", s->name, s->curve.name);
		goto out;
	}
	y_range(pl, s, cum, sel, nsel, best, &st);

	plot_preamble(pl);
	l1 = xprintf("%s: %s by %s%s%s%s", s->name, s->curve.name, secs ?
	    "seconds" : "step", st.w > 0 ? ", smoothed " : "", st.w > 0 ?
	    rung_fmt_double(st.w, 0, b1) : "", st.w > 0 ? " (faint: raw)" :
	    "");
	if (best != UINT32_MAX)
		l2 = xprintf("%u trial%s%s; the best, trial %s, reaches %s",
		    nshown, nshown == 1 ? "" : "s", all ? "" :
		    rung_args_has(pl->args, OPT_TOP) ? " (the top by best "
		    "value)" : " (chosen)", s->ids[best],
		    plot_human(s->curve.best[best], b1));
	else
		l2 = xprintf("%u trials", nshown);
	plot_title(pl, "set title", l1, l2);
	plot_label(pl, "set xlabel", secs ? "seconds since the trial started"
	    " (recorded)" : "step");
	plot_label(pl, "set ylabel", s->curve.name);
	if (st.logy)
		rung_plot_cmd(p, "set logscale y\n");
	if (st.ranged) {
		rung_plot_cmd(p, "set yrange [");
		rung_plot_num(p, st.lo);
		rung_plot_cmd(p, ":");
		rung_plot_num(p, st.hi);
		rung_plot_cmd(p, "]\n");
	}
	colour_bar(pl, &st);
	if (all)
		rung_plot_cmd(p, "set key outside below center horizontal\n");
	else
		rung_plot_cmd(p, "set key outside right top vertical Left "
		    "reverse\n");

	/* The strong curves: the smoothed column, when smoothing. */
	ycol = st.wide ? "1:3" : "1:2";
	rung_plot_cmd(p, "plot ");
	if (all) {
		if (nall > 0) {
			if (st.w > 0)
				raw_under(pl, "all", -1, "#ececec");
			rung_plot_ref(p, "all");
			rung_plot_cmd(p, " using %s with lines lw 1 lc rgb "
			    "'#c4c4c4' title ", ycol);
			lab = xprintf("%u other trials%s", nall, st.cby >= 0 ?
			    " (no value)" : "");
			rung_plot_quote(p, lab);
			free(lab);
			first = 0;
		}
		if (ncby > 0) {
			rung_plot_cmd(p, "%s", first ? "" : ", \\\n     ");
			if (st.w > 0)
				raw_under(pl, "cby", -1, "#e0e0e0");
			rung_plot_ref(p, "cby");
			rung_plot_cmd(p, " using %s:4 with lines lw 1.2 lc "
			    "palette title ", ycol);
			lab = xprintf("%u trials by %s", ncby, st.cb.p->name);
			rung_plot_quote(p, lab);
			free(lab);
			first = 0;
		}
		for (lv = 0; lv < nlv; lv++) {
			rung_plot_cmd(p, "%s", first ? "" : ", \\\n     ");
			first = 0;
			if (st.w > 0)
				raw_under(pl, "lvl", (int)lv, "#e0e0e0");
			rung_plot_ref(p, "lvl");
			rung_plot_cmd(p, " index %u using %s with lines lw 1.2 "
			    "lc rgb '%s' ", lv, ycol,
			    plot_colours[lv % NCOLOURS]);
			if (lv < LEGEND_MAX) {
				lab = xprintf("%s = %s", st.cb.p->name,
				    st.cb.p->levels[lv]);
				rung_plot_cmd(p, "title ");
				rung_plot_quote(p, lab);
				free(lab);
			} else
				rung_plot_cmd(p, "notitle");
		}
		rung_plot_cmd(p, "%s", first ? "" : ", \\\n     ");
		if (st.w > 0)
			raw_under(pl, "best", -1, st.cby >= 0 ? "#b0b0b0" :
			    "#f0a8a8");
		rung_plot_ref(p, "best");
		rung_plot_cmd(p, " using %s with lines lw 2.5 lc rgb '%s' "
		    "title ", ycol, st.cby >= 0 ? "#000000" : "#d62728");
		lab = xprintf("the best: trial %s", s->ids[best]);
		rung_plot_quote(p, lab);
		free(lab);
		first = 0;
	} else {
		for (i = 0; i < nsel; i++) {
			t = sel[i];
			rung_plot_cmd(p, "%s", first ? "" : ", \\\n     ");
			first = 0;
			if (st.w > 0)
				raw_under(pl, "sel", (int)i, "#d8d8d8");
			rung_plot_ref(p, "sel");
			rung_plot_cmd(p, " index %u using %s with lines lw %s ",
			    i, ycol, t == best ? "2.5" : "1.2");
			lc_of(pl, &st, t, plot_colours[i % NCOLOURS]);
			if (i < LEGEND_MAX) {
				if (st.cby >= 0) {
					lab = xprintf("trial %s%s (%s = %s)",
					    s->ids[t], t == best ? ", best" :
					    "", st.cb.p->name,
					    rung_colorby_label(&st.cb, t, b1));
				} else
					lab = xprintf("trial %s%s", s->ids[t],
					    t == best ? " (best)" : "");
				rung_plot_cmd(p, " title ");
				rung_plot_quote(p, lab);
				free(lab);
			} else
				rung_plot_cmd(p, " notitle");
		}
	}
	if (nstopped > 0) {
		rung_plot_cmd(p, ", \\\n     ");
		plot_series(p, "stopped", "using 1:2 with points pt 2 ps 0.8 "
		    "lc rgb '#000000'", "stopped (%u), where they stopped",
		    nstopped);
	}
	/* Points beyond the range: triangles at the edge they passed. */
	if (st.nclip > 0) {
		rc = st.nclip_hi > 0;
		if (rc) {
			rung_plot_cmd(p, ", \\\n     ");
			plot_series(p, "clip_hi", "using 1:2 with points pt 9 "
			    "ps 1.2 lc rgb '#9400d3'", "%u point%s beyond the "
			    "range", st.nclip, st.nclip == 1 ? "" : "s");
		}
		if (st.nclip > st.nclip_hi) {
			rung_plot_cmd(p, ", \\\n     ");
			if (rc) {
				rung_plot_ref(p, "clip_lo");
				rung_plot_cmd(p, " using 1:2 with points pt 11 "
				    "ps 1.2 lc rgb '#9400d3' notitle");
			} else
				plot_series(p, "clip_lo", "using 1:2 with "
				    "points pt 11 ps 1.2 lc rgb '#9400d3'",
				    "%u point%s beyond the range", st.nclip,
				    st.nclip == 1 ? "" : "s");
		}
	}
	rung_plot_cmd(p, "\n");
	ret = 0;
out:
	free(l1);
	free(l2);
	free(sel);
	free(cum);
	free(st.xs);
	free(st.vs);
	free(st.sm);
	return ret;
}

static const int curves_opts[] = { OPT_TRIALS, OPT_TOP, OPT_X, OPT_LOGY,
	OPT_YRANGE, OPT_SMOOTH, OPT_COLOR_BY, 0 };

const struct plot_kind plot_curves_kind = {
	.name = "curves",
	.opts = curves_opts,
	.loads_study = 1,
	.run = plot_curves,
};
