/*
 * Drawing the trials and curves screen: a table of the trials (sortable,
 * filtered, marked), beside a curve panel that plots the selected trial,
 * the marked ones and the top k in braille, with the prefix marker and the
 * predicted endpoints, over a detail panel; and the detail screen of one
 * trial (Enter). The state is view-trials.c's.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "view-trials-int.h"
#include "rung/curvestyle.h"
#include "rung/xmalloc.h"

#define NUMW	9
#define MAXSERIES 40

struct series {
	uint32_t	 t;
	int		 attr;
	int		 pri;
	char		 label[40];
};

static int
mark_attr(struct tui *t, uint32_t k)
{
	return t->attrs[C_MARK1 + k % TUI_NMARKCOLORS];
}

/* The colour of a marked trial: its place among the marked ones. */
static int
marked_index(struct tui *t, uint32_t tr)
{
	struct tui_trials *tv = tui_trials(t);
	uint32_t	 i, k = 0;

	for (i = 0; i < tr; i++)
		k += tv->marked[i];
	return (int)k;
}

const char *
tui_param_text(const struct rung_study *s, uint32_t p, uint32_t tr, char buf[32])
{
	const struct rung_param *pp = &s->params[p];

	if (pp->type == RUNG_PCAT)
		return pp->cat[tr] == UINT32_MAX ? "" :
		    pp->levels[pp->cat[tr]];
	if (isnan(pp->num[tr]))
		return "";
	if (pp->type == RUNG_PINT)
		snprintf(buf, 32, "%.0f", pp->num[tr]);
	else
		snprintf(buf, 32, "%.4g", pp->num[tr]);
	return buf;
}

/* The forecast columns: P_BEST "0.93", VERDICT "go on". */
#define PBESTW		6
#define VERDICTW	7

/* Where the parameter columns start: after ID, STATUS ... VERDICT. */
static int
fixed_width(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);

	return 2 + tv->idw + 1 + 9 + 6 + 2 * (NUMW + 1) +
	    (tv->pred != NULL ? NUMW + 1 : 0) +
	    (tv->fcast != NULL ? NUMW + 1 + PBESTW + 1 + VERDICTW + 1 : 0);
}

/*
 * Half the screen, or what the parameter columns shown need up to two
 * thirds of it (at 100 columns PRED left no room for one): the curves keep
 * 36 columns at least.
 */
static int
table_width(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);
	int		 w = t->cols * 52 / 100, need;
	uint32_t	 i;

	if (t->s != NULL) {
		need = fixed_width(t) - 1;
		for (i = (uint32_t)tv->hscroll; i < tv->npshow; i++)
			need += 1 + tv->pwidth[tv->pshow[i]];
		if (need > t->cols * 2 / 3)
			need = t->cols * 2 / 3;
		if (w < need)
			w = need;
	}
	if (w < 40)
		w = 40;
	if (w > t->cols - 36)
		w = t->cols - 36;
	return w;
}

/* Put s right-aligned in w columns. */
static void
put_right(int y, int x, int w, int attr, const char *s)
{
	int	 sw = tui_width(s);

	if (sw > w)
		sw = w;
	tui_put(y, x + w - sw, sw, attr, s);
}

static void
draw_table(struct tui *t, int y, int x, int h, int w)
{
	struct tui_trials *tv = tui_trials(t);
	const struct rung_study *s = t->s;
	const char	*arrow = tv->sort_rev ? t->g->up : t->g->down;
	char		 buf[64], num[32];
	uint32_t	 r, tr, p, i, vis[64];
	int		 cx, row, a, hdr = t->attrs[C_HEAD], cw, right = x + w;
	int		 fixed, vw[64], nvis = 0;

	tv->table_h = h - 1;
	if (tv->sel >= tv->norder && tv->norder > 0)
		tv->sel = tv->norder - 1;
	if (tv->sel < tv->top)
		tv->top = tv->sel;
	if (tv->table_h > 0 && tv->sel >= tv->top + (uint32_t)tv->table_h)
		tv->top = tv->sel - (uint32_t)tv->table_h + 1;

	/* The header: the sort column carries an arrow. */
	tui_fill(y, x, w, hdr);
	cx = x + 2;
#define HEAD(col, width, name, rightal) do {				\
	snprintf(buf, sizeof buf, "%s%s", (name),			\
	    tv->sort == (col) ? arrow : "");				\
	if (rightal)							\
		put_right(y, cx, (width) < right - cx ? (width) :	\
		    right - cx, hdr | A_BOLD, buf);			\
	else								\
		tui_put(y, cx, right - cx, hdr | A_BOLD, buf);		\
	cx += (width) + 1;						\
} while (0)
	HEAD(COL_ID, tv->idw, "ID", 0);
	HEAD(COL_STATUS, 8, "STATUS", 0);
	HEAD(COL_STEPS, 5, "STEPS", 1);
	HEAD(COL_BEST, NUMW, "BEST", 1);
	HEAD(COL_FINAL, NUMW, "FINAL", 1);
	if (tv->pred != NULL) {
		snprintf(num, sizeof num, "PRED@%d", tv->pred_prefix);
		HEAD(COL_PRED, NUMW, num, 1);
	}
	if (tv->fcast != NULL) {
		HEAD(COL_FORECAST, NUMW, "FORECAST", 1);
		HEAD(COL_PBEST, PBESTW, "P_BEST", 1);
		HEAD(COL_VERDICT, VERDICTW, "VERDICT", 0);
	}
	fixed = cx;
	if (tv->hscroll > (int)tv->npshow - 1)
		tv->hscroll = tv->npshow > 0 ? (int)tv->npshow - 1 : 0;
	if (tv->hscroll > 0)
		tui_put(y, fixed - 1, 1, hdr, t->g->ellipsis);
	/*
	 * The parameter columns that fit whole; a categorical one may be cut
	 * (with an ellipsis) where six cells are left, a number never.
	 */
	for (i = (uint32_t)tv->hscroll; i < tv->npshow && nvis < 64; i++) {
		p = tv->pshow[i];
		cw = tv->pwidth[p];
		if (cx + cw > right) {
			if (s->params[p].type != RUNG_PCAT || right - cx < 6)
				break;
			cw = right - cx;
		}
		vis[nvis] = p;
		vw[nvis++] = cw;
		snprintf(buf, sizeof buf, "%s%s", s->params[p].name,
		    tv->sort == (int)(COL_PARAM0 + p) ? arrow : "");
		if (s->params[p].type != RUNG_PCAT)
			put_right(y, cx, cw, hdr | A_BOLD, buf);
		else
			tui_put(y, cx, cw, hdr | A_BOLD, buf);
		cx += cw + 1;
	}
	/* More to the right: Right scrolls to them, p chooses. */
	if (i < tv->npshow && cx <= right)
		tui_put(y, right - 1, 1, hdr, t->g->ellipsis);
#undef HEAD

	if (tv->norder == 0) {
		tui_put(y + 2, x + 2, w - 4, A_BOLD, tv->filter != NULL ?
		    "No trial matches the filter (F clears it)." :
		    "The study has no trial.");
		return;
	}
	for (row = 0; row < h - 1; row++) {
		r = tv->top + (uint32_t)row;
		if (r >= tv->norder)
			break;
		tr = tv->order[r];
		a = A_NORMAL;
		if (r == tv->sel)
			a = tv->focus == 0 ? A_REVERSE : A_REVERSE | A_DIM;
		if (a != A_NORMAL)
			tui_fill(y + 1 + row, x, w, a);
		if (tv->marked[tr])
			tui_put(y + 1 + row, x, 1, a | mark_attr(t,
			    (uint32_t)marked_index(t, tr)) | A_BOLD,
			    t->g->mark);
		cx = x + 2;
		tui_put(y + 1 + row, cx, tv->idw, a | A_BOLD, s->ids[tr]);
		cx += tv->idw + 1;
		tui_put(y + 1 + row, cx, right - cx, a | (s->status[tr] ==
		    RUNG_FAILED ? t->attrs[C_ERR] : 0),
		    rung_status_name(s->status[tr]));
		cx += 9;
		if (rung_curve_len(s, tr) > 0)
			snprintf(buf, sizeof buf, "%d",
			    rung_trial_last_step(s, tr));
		else
			buf[0] = '\0';
		put_right(y + 1 + row, cx, 5, a, buf);
		cx += 6;
		put_right(y + 1 + row, cx, NUMW, a, tui_fmt_num(
		    s->curve.best[tr], num));
		cx += NUMW + 1;
		put_right(y + 1 + row, cx, NUMW, a, tui_fmt_num(
		    s->curve.final[tr], num));
		cx += NUMW + 1;
		if (tv->pred != NULL) {
			put_right(y + 1 + row, cx, NUMW, a | (a == A_NORMAL ?
			    t->attrs[C_PRED] : 0), tui_fmt_num(tv->pred[tr],
			    num));
			cx += NUMW + 1;
		}
		if (tv->fcast != NULL) {
			const struct rung_forecast *f = &tv->fcast[tr];
			int	 live = s->status[tr] == RUNG_RUNNING;

			put_right(y + 1 + row, cx, NUMW, a, live ?
			    tui_fmt_num(f->value, num) : "");
			cx += NUMW + 1;
			if (live && !isnan(f->p_best))
				snprintf(buf, sizeof buf, "%.2f", f->p_best);
			else
				snprintf(buf, sizeof buf, "%s", live ? "-" : "");
			put_right(y + 1 + row, cx, PBESTW, a, buf);
			cx += PBESTW + 1;
			tui_put(y + 1 + row, cx, VERDICTW, a | (live &&
			    f->verdict == RUNG_VERDICT_STOP ?
			    t->attrs[C_ERR] : 0), live ?
			    rung_verdict_name(f->verdict) : "");
			cx += VERDICTW + 1;
		}
		for (i = 0; i < (uint32_t)nvis; i++) {
			const char *v = tui_param_text(s, vis[i], tr, num);

			cw = vw[i];
			if (s->params[vis[i]].type != RUNG_PCAT)
				put_right(y + 1 + row, cx, cw, a, v);
			else if (tui_width(v) > cw && cw > 1) {
				tui_put(y + 1 + row, cx, cw - 1, a, v);
				tui_put(y + 1 + row, cx + cw - 1, 1, a,
				    t->g->ellipsis);
			} else
				tui_put(y + 1 + row, cx, cw, a, v);
			cx += cw + 1;
		}
	}
}

/* Series to plot: top k, marked, the selected trial (drawn last). */
static int
collect_series(struct tui *t, struct series *sv, int detail)
{
	struct tui_trials *tv = tui_trials(t);
	const struct rung_study *s = t->s;
	uint32_t	 i, k = 0, sel = UINT32_MAX;
	int		 n = 0;

	if (tv->sel < tv->norder)
		sel = tv->order[tv->sel];
	if (!detail && !tv->compare) {
		for (i = 0; i < tv->ntopk && n < MAXSERIES; i++) {
			if (tv->topk_list[i] == sel || tv->marked[tv->topk_list[i]])
				continue;
			sv[n].t = tv->topk_list[i];
			sv[n].attr = t->attrs[C_TOPK];
			sv[n].pri = 1;
			snprintf(sv[n].label, sizeof sv[n].label, "%s",
			    s->ids[sv[n].t]);
			n++;
		}
	}
	if (!detail && tv->nmarked > 0) {
		for (i = 0; i < s->ntrials && n < MAXSERIES - 1; i++) {
			if (!tv->marked[i])
				continue;
			if (i != sel || tv->compare) {
				sv[n].t = i;
				sv[n].attr = mark_attr(t, k);
				sv[n].pri = 2;
				snprintf(sv[n].label, sizeof sv[n].label, "%s",
				    s->ids[i]);
				n++;
			}
			k++;
		}
	}
	if (sel != UINT32_MAX && (!tv->compare || detail)) {
		sv[n].t = sel;
		sv[n].attr = t->attrs[C_SEL];
		sv[n].pri = 3;
		snprintf(sv[n].label, sizeof sv[n].label, "%s", s->ids[sel]);
		n++;
	}
	return n;
}

static void
ensure_cumsecs(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);
	const struct rung_study *s = t->s;
	uint32_t	 tr, i;
	double		 acc;

	if (tv->cumsecs != NULL || s->secs == NULL || t->metric != 0)
		return;
	tv->cumsecs = xreallocarray(NULL, s->curve.off[s->ntrials] ?
	    s->curve.off[s->ntrials] : 1, sizeof *tv->cumsecs);
	for (tr = 0; tr < s->ntrials; tr++) {
		acc = 0;
		for (i = s->curve.off[tr]; i < s->curve.off[tr + 1]; i++) {
			if (isfinite(s->secs[i]))
				acc += s->secs[i];
			tv->cumsecs[i] = (float)acc;
		}
	}
}

/* Whether trial tr's forecast is drawn: running, with a value. */
static int
forecast_shown(struct tui *t, uint32_t tr)
{
	struct tui_trials *tv = tui_trials(t);

	return tv->fcast != NULL && t->s->status[tr] == RUNG_RUNNING &&
	    tv->fcast[tr].verdict != RUNG_VERDICT_DONE &&
	    tui_yok(t, tv->fcast[tr].value);
}

/*
 * The labels of the x axis at row y, under a plot of pw cells (X + 1 dots
 * across, dx a cell): round numbers where they fall, whole ones on an
 * axis of steps, as many as fit with a space between them.
 */
static void
draw_xticks(struct tui *t, int y, int x, int pw, int dx, double xmin,
    double xmax, int X, int integer)
{
	double		 tk[6];
	char		 l[32];
	int		 n, i, c, lw, next = 0;

	/* Room for the widest label and three spaces, six at most. */
	snprintf(l, sizeof l, "%.6g", fabs(xmin) > fabs(xmax) ? xmin : xmax);
	n = pw / (tui_width(l) + 3);
	n = rung_tui_ticks(xmin, xmax, integer, n < 2 ? 2 : n > 6 ? 6 : n,
	    tk);
	for (i = 0; i < n; i++) {
		snprintf(l, sizeof l, "%.6g", tk[i]);
		lw = tui_width(l);
		c = (int)lround((tk[i] - xmin) / (xmax - xmin) * X) / dx -
		    lw / 2;
		if (c + lw > pw)
			c = pw - lw;
		if (c < next)
			continue;
		tui_put(y, x + c, lw, t->attrs[C_AXIS], l);
		next = c + lw + 1;
	}
}

/* Where the plot puts a step and a value, in dots. */
struct plotmap {
	double		 xmin, xmax, ymin, ymax;
	int		 X, Y;
};

/* The dot row of v; -1 off the plot, or not finite, or not > 0 on log-y. */
static int
map_y(struct tui *t, const struct plotmap *m, double v)
{
	double	 f;

	if (!tui_yok(t, v))
		return -1;
	f = (1 - (tui_ymap(t, v) - m->ymin) / (m->ymax - m->ymin)) * m->Y;
	if (!(f >= 0 && f <= m->Y))
		return -1;
	return (int)lround(f);
}

/*
 * The focused trial's LCE from its last fitted step to the study's last:
 * band 0 the best fit, dashed; -1 and 1 the band's edges, dotted. Dots off
 * the plot are left out, not pinned to its edge: a wide band would draw
 * the frame.
 */
static void
draw_lce(struct tui *t, struct tui_canvas *cv, const struct plotmap *m,
    int band, int attr)
{
	struct tui_trials *tv = tui_trials(t);
	double		 span = m->xmax - m->xmin, step, t0 = tv->fc.w.t;
	int		 x, x0, x1, y, px = 0, py = -1;

	x0 = (int)lround((t0 - m->xmin) / span * m->X);
	x1 = (int)lround(((double)tv->target - m->xmin) / span * m->X);
	for (x = x0; x <= x1; x++) {
		step = fmax(t0, m->xmin + (double)x / m->X * span);
		y = map_y(t, m, tui_lce_value(t, step, band));
		if (band != 0) {
			if (y >= 0 && (x - x0) % 3 == 0)
				tui_canvas_dot(cv, x, y, 1, attr);
			continue;
		}
		/* Two dots on, two off. */
		if (y >= 0 && py >= 0 && (x - x0) / 2 % 2 == 0)
			tui_canvas_line(cv, px, py, x, y, 1, attr);
		px = x;
		py = y;
	}
}

/* "┈ LCE from K" at (y, x) in w columns; the columns it took. */
static int
draw_lce_legend(struct tui *t, int y, int x, int w)
{
	char	 buf[32];
	int	 n;

	snprintf(buf, sizeof buf, "LCE from %d", tui_trials(t)->prefix);
	n = tui_put(y, x, w, t->attrs[C_SEL] | A_DIM, t->g->braille ?
	    "\xe2\x94\x88" : "~");
	return n + 1 + tui_put(y, x + n + 1, w - n - 1, A_NORMAL, buf);
}

/*
 * The curve panel at (y, x), h x w: a title line, the plot with its y
 * labels, the x labels and a legend.
 */
static void
draw_curves(struct tui *t, int y, int x, int h, int w, int detail)
{
	struct tui_trials *tv = tui_trials(t);
	const struct rung_study *s = t->s;
	struct series	 sv[MAXSERIES];
	struct tui_canvas cv, lc, bc;
	struct plotmap	 m;
	struct rung_colorby cb, *cbp = NULL;
	const struct rung_lce *lce = NULL;
	char		 buf[256], st[128], l1[32], l2[32], l3[32];
	const int	 yw = 9;
	int		 n, i, pw, ph, X, Y, have, cx, lx;
	int		 xsecs, marker_col = -1, title_a;
	uint32_t	 j, tr, sel[MAXSERIES];
	double		 xmin = INFINITY, xmax = -INFINITY, best = NAN;
	double		 ymin = INFINITY, ymax = -INFINITY, xv, yv;
	double		*yall, *cvals;
	size_t		 cell, ny = 0, cap;
	uint8_t		*clipcol;

	title_a = tv->focus == 1 && !detail ? A_REVERSE | A_BOLD : A_BOLD;
	/*
	 * Seconds summed along every curve, only for an x axis in seconds:
	 * a float a point, 400 MB and a pass over a million trials' points
	 * that the first frame need not pay.
	 */
	if (tv->xsecs)
		ensure_cumsecs(t);
	xsecs = tv->xsecs && tv->cumsecs != NULL;
	n = collect_series(t, sv, detail);
	/* Colour by a parameter: its range over the curves drawn. */
	if (tv->cby >= 0 && (uint32_t)tv->cby < s->nparams && n > 0) {
		for (i = 0; i < n; i++)
			sel[i] = sv[i].t;
		rung_colorby_init(&cb, s, tv->cby, sel, (uint32_t)n);
		cbp = &cb;
		for (i = 0; i < n; i++)
			sv[i].attr = tui_curve_attr(t, cbp, sv[i].t,
			    sv[i].attr) | (sv[i].pri == 3 ? A_BOLD : 0);
	}
	tv->nclipped = 0;
	tui_style_title(t, st, sizeof st);
	snprintf(buf, sizeof buf, " %s%s  x: %s  prefix %d%s%d%s ",
	    s->curve.name, tv->logy ? "  log-y" : "", xsecs ? "seconds" :
	    "step", tv->prefix, t->unicode ? "\xe2\x86\x92" : "->", tv->target,
	    st);
	tui_put(y, x, w, title_a, buf);
	if (tv->compare && !detail) {
		snprintf(buf, sizeof buf, " compare %u ", tv->nmarked);
		tui_put(y, x + w - tui_width(buf), tui_width(buf),
		    t->attrs[C_TITLE], buf);
	}
	ph = h - 3;
	pw = w - yw - 1;
	if (ph < 2 || pw < 4)
		return;
	if (n == 0) {
		tui_put(y + 1 + ph / 2, x + 2, w - 4, A_NORMAL, tv->compare ?
		    "Mark trials with Space to compare them (c: back)" :
		    "No trial to plot.");
		return;
	}
	/*
	 * The selected trial's extrapolation beyond K, on steps only (seconds
	 * are not known ahead). The line is in the y range, the band not: a
	 * wide one would flatten the curves.
	 */
	for (i = 0; i < n && !xsecs; i++) {
		if (sv[i].pri == 3)
			lce = tui_trials_lce(t, sv[i].t);
	}
	/*
	 * The ranges: x over every point, y the robust range of the values
	 * drawn (curve-style.c), so that a diverged trial does not flatten
	 * the others; the best of them always in it.
	 */
	have = 0;
	for (i = 0, cap = 8; i < n; i++)
		cap += s->curve.off[sv[i].t + 1] - s->curve.off[sv[i].t] + 2;
	yall = xreallocarray(NULL, cap, sizeof *yall);
	if (lce != NULL) {
		for (j = 0; j < 2; j++) {
			yv = tui_lce_value(t, j ? tv->target : lce->t, 0);
			if (tui_yok(t, yv))
				yall[ny++] = tui_ymap(t, yv);
		}
	}
	for (i = 0; i < n; i++) {
		tr = sv[i].t;
		for (j = s->curve.off[tr]; j < s->curve.off[tr + 1]; j++) {
			if (!tui_yok(t, s->curve.vals[j]))
				continue;
			xv = xsecs ? tv->cumsecs[j] : s->curve.steps[j];
			xmin = fmin(xmin, xv);
			xmax = fmax(xmax, xv);
			yall[ny++] = tui_ymap(t, s->curve.vals[j]);
			have = 1;
		}
		if (tui_yok(t, s->curve.best[tr]) && (isnan(best) ||
		    rung_better(s->direction, s->curve.best[tr], best)))
			best = s->curve.best[tr];
		if (tv->pred != NULL && tui_yok(t, tv->pred[tr]) && !xsecs)
			yall[ny++] = tui_ymap(t, tv->pred[tr]);
		if (forecast_shown(t, tr) && !xsecs) {
			yall[ny++] = tui_ymap(t, tv->fcast[tr].value);
			xmax = fmax(xmax, tv->fcast_T);
		}
	}
	if (!have || tui_curve_yrange(t, yall, ny, tui_yok(t, best) ?
	    tui_ymap(t, best) : NAN, &ymin, &ymax) != 0) {
		free(yall);
		tui_put(y + 1 + ph / 2, x + 2, w - 4, A_NORMAL, tv->logy ?
		    "No positive finite value to plot on a log scale." :
		    "No finite value to plot.");
		return;
	}
	free(yall);
	if (!xsecs) {
		xmin = fmin(xmin, 1);
		xmax = fmax(xmax, (double)tv->target);
	} else
		xmin = 0;
	if (xmax <= xmin)
		xmax = xmin + 1;
	if (ymax <= ymin) {
		ymax += fabs(ymax) * 0.05 + 0.5;
		ymin -= fabs(ymin) * 0.05 + 0.5;
	}
	tui_canvas_init(&cv, pw, ph, t->g->braille ? 2 : 1,
	    t->g->braille ? 4 : 1);
	X = pw * cv.dx - 1;
	Y = ph * cv.dy - 1;
#define PX(v)	((int)lround(((v) - xmin) / (xmax - xmin) * X))
#define PY(v)	((int)lround((1 - ((v) - ymin) / (ymax - ymin)) * Y))
	/*
	 * The curves: smoothed when asked, the raw ones faint beneath (in
	 * braille; in ASCII they would crowd the cells); values beyond the
	 * range are drawn on its edge, and their columns marked there.
	 */
	clipcol = xcalloc((size_t)pw, 1);
	cvals = xreallocarray(NULL, cap, sizeof *cvals);
	for (i = 0; i < n; i++) {
		tr = sv[i].t;
		if (tv->smooth > 0 && t->g->braille) {
			for (j = s->curve.off[tr]; j < s->curve.off[tr + 1];
			    j++)
				cvals[j - s->curve.off[tr]] =
				    tui_yok(t, s->curve.vals[j]) ?
				    s->curve.vals[j] : NAN;
			tui_draw_series(t, &cv, tr, cvals, xmin, xmax, ymin,
			    ymax, 0, sv[i].attr | A_DIM, NULL);
		}
		tui_curve_values(t, tr, cvals);
		tui_draw_series(t, &cv, tr, cvals, xmin, xmax, ymin, ymax,
		    sv[i].pri, sv[i].attr, clipcol);
		/* The clipped points are the raw ones beyond. */
		for (j = s->curve.off[tr]; j < s->curve.off[tr + 1]; j++) {
			if (!tui_yok(t, s->curve.vals[j]))
				continue;
			yv = tui_ymap(t, s->curve.vals[j]);
			if (yv > ymax || yv < ymin)
				tv->nclipped++;
		}
	}
	free(cvals);
	/* The extrapolation under the curves: where they cross, the data. */
	tui_canvas_init(&lc, pw, ph, cv.dx, cv.dy);
	tui_canvas_init(&bc, pw, ph, cv.dx, cv.dy);
	if (lce != NULL) {
		m.xmin = xmin;
		m.xmax = xmax;
		m.ymin = ymin;
		m.ymax = ymax;
		m.X = X;
		m.Y = Y;
		draw_lce(t, &bc, &m, -1, t->attrs[C_SEL] | A_DIM);
		draw_lce(t, &bc, &m, 1, t->attrs[C_SEL] | A_DIM);
		draw_lce(t, &lc, &m, 0, t->attrs[C_SEL] | A_DIM);
		tui_canvas_draw(t, &bc, y + 1, x + yw + 1, ".");
		tui_canvas_draw(t, &lc, y + 1, x + yw + 1, "~");
	}
	tui_canvas_draw(t, &cv, y + 1, x + yw + 1, NULL);
	tui_clip_arrows(t, clipcol, y + 1, x + yw + 1, pw, ph);
	free(clipcol);
	/* The prefix marker, where no curve is. */
	if (!xsecs && tv->prefix >= xmin && tv->prefix <= xmax) {
		marker_col = PX((double)tv->prefix) / cv.dx;
		for (i = 0; i < ph; i++) {
			cell = (size_t)i * pw + marker_col;
			if (cv.dots[cell] == 0 && lc.dots[cell] == 0 &&
			    bc.dots[cell] == 0)
				tui_put(y + 1 + i, x + yw + 1 + marker_col, 1,
				    t->attrs[C_MARKER], t->g->marker);
		}
		snprintf(buf, sizeof buf, "K=%d", tv->prefix);
		lx = x + yw + 1 + marker_col + 1;
		if (lx + tui_width(buf) > x + w)
			lx = x + yw + 1 + marker_col - tui_width(buf);
		tui_put(y + 1, lx, tui_width(buf), t->attrs[C_MARKER] | A_BOLD,
		    buf);
	}
	/* Predicted endpoints. */
	if (tv->pred != NULL && !xsecs) {
		for (i = 0; i < n; i++) {
			tr = sv[i].t;
			if (!tui_yok(t, tv->pred[tr]))
				continue;
			cx = PX((double)tv->target) / cv.dx;
			lx = PY(tui_ymap(t, tv->pred[tr])) / cv.dy;
			if (lx < 0 || lx >= ph)
				continue;
			tui_put(y + 1 + lx, x + yw + 1 + cx, 1, sv[i].attr |
			    A_BOLD, t->g->pred);
		}
	}
	/* The running trials' forecasts, at the target. */
	for (i = 0; i < n && !xsecs; i++) {
		tr = sv[i].t;
		if (!forecast_shown(t, tr))
			continue;
		cx = PX((double)tv->fcast_T) / cv.dx;
		lx = PY(tui_ymap(t, tv->fcast[tr].value)) / cv.dy;
		if (lx < 0 || lx >= ph)
			continue;
		tui_put(y + 1 + lx, x + yw + 1 + cx, 1, sv[i].attr | A_BOLD,
		    t->g->forecast);
	}
#undef PX
#undef PY
	tui_canvas_free(&cv);
	tui_canvas_free(&lc);
	tui_canvas_free(&bc);
	/* Axes. */
	tui_vline(t, y + 1, x + yw, ph, t->attrs[C_AXIS]);
	put_right(y + 1, x, yw - 1, t->attrs[C_AXIS], tui_fmt_axis(ymax,
	    tv->logy, l1));
	put_right(y + ph / 2, x, yw - 1, t->attrs[C_AXIS], tui_fmt_axis(
	    (ymin + ymax) / 2, tv->logy, l2));
	put_right(y + ph, x, yw - 1, t->attrs[C_AXIS], tui_fmt_axis(ymin,
	    tv->logy, l3));
	draw_xticks(t, y + ph + 1, x + yw + 1, pw, t->g->braille ? 2 : 1,
	    xmin, xmax, X, !xsecs);
	/* The legend: the selected trial, the marked ones, the top k. */
	lx = x + 1;
	for (cx = 3; cx >= 1; cx--) {
		for (i = 0; i < n && lx < x + w - 4; i++) {
			if (sv[i].pri != cx)
				continue;
			if (cx == 1)
				snprintf(buf, sizeof buf, "top %u", tv->ntopk);
			lx += tui_put(y + h - 1, lx, x + w - lx, sv[i].attr,
			    t->g->braille ? "\xe2\x94\x81\xe2\x94\x81" :
			    cx == 3 ? "**" : cx == 2 ? "++" : "..");
			lx += tui_put(y + h - 1, lx + 1, x + w - lx - 1,
			    cx == 3 ? A_BOLD : A_NORMAL, cx == 1 ? buf :
			    sv[i].label) + 3;
			if (cx == 1)
				break;
		}
	}
	if (tv->pred != NULL && !xsecs && lx < x + w - 12) {
		lx += tui_put(y + h - 1, lx, 1, t->attrs[C_PRED], t->g->pred);
		lx += tui_put(y + h - 1, lx + 1, x + w - lx - 1, A_NORMAL,
		    "predicted") + 3;
	}
	for (i = 0; i < n && !xsecs; i++) {
		if (!forecast_shown(t, sv[i].t) || lx >= x + w - 11)
			continue;
		lx += tui_put(y + h - 1, lx, 1, A_BOLD, t->g->forecast);
		lx += tui_put(y + h - 1, lx + 1, x + w - lx - 1, A_NORMAL,
		    "forecast") + 3;
		break;
	}
	/* Last: where marks crowd the legend, the detail still says it. */
	if (lce != NULL && lx < x + w - 14)
		lx += draw_lce_legend(t, y + h - 1, lx, x + w - lx) + 3;
	if (cbp != NULL && lx < x + w - 10)
		tui_colour_legend(t, cbp, y + h - 1, lx, x + w - lx);
	/* The title again, now that it knows what was clipped. */
	if (tv->nclipped > 0) {
		tui_style_title(t, st, sizeof st);
		snprintf(buf, sizeof buf, " %s%s  x: %s  prefix %d%s%d%s ",
		    s->curve.name, tv->logy ? "  log-y" : "", xsecs ?
		    "seconds" : "step", tv->prefix, t->unicode ?
		    "\xe2\x86\x92" : "->", tv->target, st);
		tui_put(y, x, w, title_a, buf);
	}
}

/* Lines of the detail of a trial, for the panel and the detail screen. */
static char **
detail_lines(struct tui *t, uint32_t tr, int points, size_t *nl)
{
	struct tui_trials *tv = tui_trials(t);
	const struct rung_study *s = t->s;
	struct rung_buf	 b = { 0 };
	char		**v = NULL, num[32], n2[32], n3[32], lcel[160];
	size_t		 cap = 0, n = 0;
	uint32_t	 i, rank = 1, off;
	int32_t		 bstep = 0;
	double		 best = s->curve.best[tr];

#define LINE(...) do {							\
	rung_buf_printf(&b, __VA_ARGS__);				\
	XGROW(v, cap, n + 1);						\
	v[n++] = xstrdup(rung_buf_cstr(&b));				\
	b.len = 0;							\
} while (0)
	for (i = s->curve.off[tr]; i < s->curve.off[tr + 1]; i++) {
		if ((double)s->curve.vals[i] == (double)(float)best &&
		    bstep == 0)
			bstep = s->curve.steps[i];
	}
	if (!isnan(best)) {
		for (i = 0; i < s->ntrials; i++) {
			if (rung_better(s->direction, s->curve.best[i], best))
				rank++;
		}
	}
	LINE("trial %s   %s   %u points, last step %d", s->ids[tr],
	    rung_status_name(s->status[tr]), rung_curve_len(s, tr),
	    rung_curve_len(s, tr) ? rung_trial_last_step(s, tr) : 0);
	rung_fmt_human(best, num);
	rung_fmt_human(s->curve.final[tr], n2);
	if (isnan(best))
		LINE("best -   final %s", n2);
	else
		LINE("best %s (step %d, rank %u of %u)   final %s", num, bstep,
		    rank, s->ntrials, n2);
	if (tv->pred != NULL) {
		if (isnan(tv->pred[tr]))
			LINE("predicted -: no steps 1-%d", tv->pred_prefix);
		else
			LINE("predicted %s from steps 1-%d",
			    rung_fmt_human(tv->pred[tr], n3), tv->pred_prefix);
	}
	if (tui_lce_line(t, tr, lcel, sizeof lcel))
		LINE("%s", lcel);
	LINE("%s", "");
	for (i = 0; i < s->nparams; i++)
		LINE("%s = %s", s->params[i].name, tui_param_text(s, i, tr, num));
	if (points) {
		LINE("%s", "");
		LINE("%8s  %-12s %s", "STEP", s->curve.name,
		    s->secs != NULL && t->metric == 0 ? "SECONDS" : "");
		for (off = s->curve.off[tr]; off < s->curve.off[tr + 1];
		    off++) {
			snprintf(num, sizeof num, "%.7g",
			    (double)s->curve.vals[off]);
			if (s->secs != NULL && t->metric == 0 &&
			    !isnan(s->secs[off]))
				LINE("%8d  %-12s %.4g", s->curve.steps[off],
				    num, (double)s->secs[off]);
			else
				LINE("%8d  %s", s->curve.steps[off], num);
		}
	}
#undef LINE
	rung_buf_release(&b);
	*nl = n;
	return v;
}

static void
free_lines(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Bytes of s that fill cols columns. */
static size_t
bytes_of(const char *s, int cols)
{
	char	 buf[8];
	size_t	 n = 0;
	int	 len;

	while (s[n] != '\0' && cols > 0) {
		len = 1;
		while ((s[n + (size_t)len] & 0xc0) == 0x80)
			len++;
		memcpy(buf, s + n, (size_t)len < sizeof buf ? (size_t)len :
		    sizeof buf - 1);
		buf[(size_t)len < sizeof buf ? (size_t)len : sizeof buf - 1] =
		    '\0';
		cols -= tui_width(buf);
		if (cols < 0)
			break;
		n += (size_t)len;
	}
	return n;
}

static void
draw_detail(struct tui *t, int y, int x, int h, int w, int points)
{
	struct tui_trials *tv = tui_trials(t);
	char	**lines;
	size_t	  n, i;
	int	  row;

	if (tv->sel >= tv->norder)
		return;
	lines = detail_lines(t, tv->order[tv->sel], points, &n);
	if (tv->detail_top > (int)n - 1)
		tv->detail_top = n > 0 ? (int)n - 1 : 0;
	if (tv->detail_top < 0)
		tv->detail_top = 0;
	/* Long values (an architecture written out) wrap. */
	for (row = 0, i = (size_t)tv->detail_top; row < h && i < n; i++) {
		const char *p = lines[i];
		int	 a = i == 0 ? A_BOLD : A_NORMAL, k = 0, used;

		do {
			int	 cw = w - (k ? 2 : 0);
			size_t	 fit = bytes_of(p, cw), cut = fit;
			char	*part;

			/* Break at a space when there is one late enough. */
			if (p[fit] != '\0') {
				while (cut > fit / 2 && p[cut] != ' ')
					cut--;
				if (cut <= fit / 2)
					cut = fit;
			}
			part = xstrndup(p, cut);
			used = tui_put(y + row, x + (k ? 2 : 0), cw, a, part);
			free(part);
			p += cut;
			while (*p == ' ')
				p++;
			row++;
			k++;
		} while (*p != '\0' && row < h && used > 0);
	}
	free_lines(lines, n);
}

void
view_trials_draw(struct tui *t, int y, int h)
{
	struct tui_trials *tv = tui_trials(t);
	int	 tw = table_width(t), rx = tw + 1, rw = t->cols - rx, ch;

	draw_table(t, y, 0, h, tw);
	tui_vline(t, y, tw, h, t->attrs[C_AXIS]);
	ch = h * 62 / 100;
	if (ch < 10)
		ch = h - 4;
	draw_curves(t, y, rx, ch, rw, 0);
	tui_hline(t, y + ch, rx, rw, t->attrs[C_AXIS]);
	if (tv->focus == 2)
		tui_put(y + ch, rx + 1, 8, A_REVERSE | A_BOLD, " detail ");
	draw_detail(t, y + ch + 1, rx + 1, h - ch - 1, rw - 1, 0);
}

void
view_detail_draw(struct tui *t, int y, int h)
{
	int	 lw = t->cols * 45 / 100;

	draw_detail(t, y, 1, h, lw - 2, 1);
	tui_vline(t, y, lw, h, t->attrs[C_AXIS]);
	draw_curves(t, y, lw + 1, h, t->cols - lw - 1, 1);
}
