/*
 * The trials and curves screen: a table of the trials (sortable, filtered,
 * marked), beside a curve panel that plots the selected trial, the marked
 * ones and the top k in braille, with the prefix marker and the predicted
 * endpoints, over a detail panel. Enter opens the detail screen of one
 * trial, also here.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tui-int.h"
#include "rung/xmalloc.h"

enum { COL_ID = 0, COL_STATUS, COL_STEPS, COL_BEST, COL_FINAL, COL_PRED,
	COL_PARAM0 };

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
	uint32_t	 i, k = 0;

	for (i = 0; i < tr; i++)
		k += t->marked[i];
	return (int)k;
}

static const char *
param_text(const struct rung_study *s, uint32_t p, uint32_t tr, char buf[32])
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

/* Where the parameter columns start: after ID, STATUS ... PRED. */
static int
fixed_width(const struct tui *t)
{
	return 2 + t->idw + 1 + 9 + 6 + 2 * (NUMW + 1) +
	    (t->pred != NULL ? NUMW + 1 : 0);
}

/*
 * Half the screen, or what the parameter columns shown need up to two
 * thirds of it (at 100 columns PRED left no room for one): the curves keep
 * 36 columns at least.
 */
static int
table_width(struct tui *t)
{
	int		 w = t->cols * 52 / 100, need;
	uint32_t	 i;

	if (t->s != NULL) {
		need = fixed_width(t) - 1;
		for (i = (uint32_t)t->hscroll; i < t->npshow; i++)
			need += 1 + t->pwidth[t->pshow[i]];
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
	const struct rung_study *s = t->s;
	const char	*arrow = t->sort_rev ? t->g->up : t->g->down;
	char		 buf[64], num[32];
	uint32_t	 r, tr, p, i, vis[64];
	int		 cx, row, a, hdr = t->attrs[C_HEAD], cw, right = x + w;
	int		 fixed, vw[64], nvis = 0;

	t->table_h = h - 1;
	if (t->sel >= t->norder && t->norder > 0)
		t->sel = t->norder - 1;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->table_h > 0 && t->sel >= t->top + (uint32_t)t->table_h)
		t->top = t->sel - (uint32_t)t->table_h + 1;

	/* The header: the sort column carries an arrow. */
	tui_fill(y, x, w, hdr);
	cx = x + 2;
#define HEAD(col, width, name, rightal) do {				\
	snprintf(buf, sizeof buf, "%s%s", (name),			\
	    t->sort == (col) ? arrow : "");				\
	if (rightal)							\
		put_right(y, cx, (width) < right - cx ? (width) :	\
		    right - cx, hdr | A_BOLD, buf);			\
	else								\
		tui_put(y, cx, right - cx, hdr | A_BOLD, buf);		\
	cx += (width) + 1;						\
} while (0)
	HEAD(COL_ID, t->idw, "ID", 0);
	HEAD(COL_STATUS, 8, "STATUS", 0);
	HEAD(COL_STEPS, 5, "STEPS", 1);
	HEAD(COL_BEST, NUMW, "BEST", 1);
	HEAD(COL_FINAL, NUMW, "FINAL", 1);
	if (t->pred != NULL) {
		snprintf(num, sizeof num, "PRED@%d", t->pred_prefix);
		HEAD(COL_PRED, NUMW, num, 1);
	}
	fixed = cx;
	if (t->hscroll > (int)t->npshow - 1)
		t->hscroll = t->npshow > 0 ? (int)t->npshow - 1 : 0;
	if (t->hscroll > 0)
		tui_put(y, fixed - 1, 1, hdr, t->g->ellipsis);
	/*
	 * The parameter columns that fit whole; a categorical one may be cut
	 * (with an ellipsis) where six cells are left, a number never.
	 */
	for (i = (uint32_t)t->hscroll; i < t->npshow && nvis < 64; i++) {
		p = t->pshow[i];
		cw = t->pwidth[p];
		if (cx + cw > right) {
			if (s->params[p].type != RUNG_PCAT || right - cx < 6)
				break;
			cw = right - cx;
		}
		vis[nvis] = p;
		vw[nvis++] = cw;
		snprintf(buf, sizeof buf, "%s%s", s->params[p].name,
		    t->sort == (int)(COL_PARAM0 + p) ? arrow : "");
		if (s->params[p].type != RUNG_PCAT)
			put_right(y, cx, cw, hdr | A_BOLD, buf);
		else
			tui_put(y, cx, cw, hdr | A_BOLD, buf);
		cx += cw + 1;
	}
	/* More to the right: Right scrolls to them, p chooses. */
	if (i < t->npshow && cx <= right)
		tui_put(y, right - 1, 1, hdr, t->g->ellipsis);
#undef HEAD

	if (t->norder == 0) {
		tui_put(y + 2, x + 2, w - 4, A_BOLD, t->filter != NULL ?
		    "No trial matches the filter (F clears it)." :
		    "The study has no trial.");
		return;
	}
	for (row = 0; row < h - 1; row++) {
		r = t->top + (uint32_t)row;
		if (r >= t->norder)
			break;
		tr = t->order[r];
		a = A_NORMAL;
		if (r == t->sel)
			a = t->focus == 0 ? A_REVERSE : A_REVERSE | A_DIM;
		if (a != A_NORMAL)
			tui_fill(y + 1 + row, x, w, a);
		if (t->marked[tr])
			tui_put(y + 1 + row, x, 1, a | mark_attr(t,
			    (uint32_t)marked_index(t, tr)) | A_BOLD,
			    t->g->mark);
		cx = x + 2;
		tui_put(y + 1 + row, cx, t->idw, a | A_BOLD, s->ids[tr]);
		cx += t->idw + 1;
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
		if (t->pred != NULL) {
			put_right(y + 1 + row, cx, NUMW, a | (a == A_NORMAL ?
			    t->attrs[C_PRED] : 0), tui_fmt_num(t->pred[tr],
			    num));
			cx += NUMW + 1;
		}
		for (i = 0; i < (uint32_t)nvis; i++) {
			const char *v = param_text(s, vis[i], tr, num);

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
	const struct rung_study *s = t->s;
	uint32_t	 i, k = 0, sel = UINT32_MAX;
	int		 n = 0;

	if (t->sel < t->norder)
		sel = t->order[t->sel];
	if (!detail && !t->compare) {
		for (i = 0; i < t->ntopk && n < MAXSERIES; i++) {
			if (t->topk_list[i] == sel || t->marked[t->topk_list[i]])
				continue;
			sv[n].t = t->topk_list[i];
			sv[n].attr = t->attrs[C_TOPK];
			sv[n].pri = 1;
			snprintf(sv[n].label, sizeof sv[n].label, "%s",
			    s->ids[sv[n].t]);
			n++;
		}
	}
	if (!detail && t->nmarked > 0) {
		for (i = 0; i < s->ntrials && n < MAXSERIES - 1; i++) {
			if (!t->marked[i])
				continue;
			if (i != sel || t->compare) {
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
	if (sel != UINT32_MAX && (!t->compare || detail)) {
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
	const struct rung_study *s = t->s;
	uint32_t	 tr, i;
	double		 acc;

	if (t->cumsecs != NULL || s->secs == NULL || t->metric != 0)
		return;
	t->cumsecs = xreallocarray(NULL, s->curve.off[s->ntrials] ?
	    s->curve.off[s->ntrials] : 1, sizeof *t->cumsecs);
	for (tr = 0; tr < s->ntrials; tr++) {
		acc = 0;
		for (i = s->curve.off[tr]; i < s->curve.off[tr + 1]; i++) {
			if (isfinite(s->secs[i]))
				acc += s->secs[i];
			t->cumsecs[i] = (float)acc;
		}
	}
}

static int
yok(struct tui *t, double v)
{
	return isfinite(v) && (!t->logy || v > 0);
}

static double
ymap(struct tui *t, double v)
{
	return t->logy ? log10(v) : v;
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

/*
 * The curve panel at (y, x), h x w: a title line, the plot with its y
 * labels, the x labels and a legend.
 */
static void
draw_curves(struct tui *t, int y, int x, int h, int w, int detail)
{
	const struct rung_study *s = t->s;
	struct series	 sv[MAXSERIES];
	struct tui_canvas cv;
	char		 buf[256], l1[32], l2[32], l3[32];
	const int	 yw = 9;
	int		 n, i, pw, ph, X, Y, px0 = 0, py0 = 0, have, cx, lx;
	int		 xsecs, marker_col = -1, title_a;
	uint32_t	 j, tr;
	double		 xmin = INFINITY, xmax = -INFINITY;
	double		 ymin = INFINITY, ymax = -INFINITY, xv, yv;
	size_t		 cell;

	title_a = t->focus == 1 && !detail ? A_REVERSE | A_BOLD : A_BOLD;
	ensure_cumsecs(t);
	xsecs = t->xsecs && t->cumsecs != NULL;
	n = collect_series(t, sv, detail);
	snprintf(buf, sizeof buf, " %s%s  x: %s  prefix %d%s%d ",
	    s->curve.name, t->logy ? "  log-y" : "", xsecs ? "seconds" :
	    "step", t->prefix, t->unicode ? "\xe2\x86\x92" : "->", t->target);
	tui_put(y, x, w, title_a, buf);
	if (t->compare && !detail) {
		snprintf(buf, sizeof buf, " compare %u ", t->nmarked);
		tui_put(y, x + w - tui_width(buf), tui_width(buf),
		    t->attrs[C_TITLE], buf);
	}
	ph = h - 3;
	pw = w - yw - 1;
	if (ph < 2 || pw < 4)
		return;
	if (n == 0) {
		tui_put(y + 1 + ph / 2, x + 2, w - 4, A_NORMAL, t->compare ?
		    "Mark trials with Space to compare them (c: back)" :
		    "No trial to plot.");
		return;
	}
	/* The ranges. */
	have = 0;
	for (i = 0; i < n; i++) {
		tr = sv[i].t;
		for (j = s->curve.off[tr]; j < s->curve.off[tr + 1]; j++) {
			if (!yok(t, s->curve.vals[j]))
				continue;
			xv = xsecs ? t->cumsecs[j] : s->curve.steps[j];
			yv = ymap(t, s->curve.vals[j]);
			xmin = fmin(xmin, xv);
			xmax = fmax(xmax, xv);
			ymin = fmin(ymin, yv);
			ymax = fmax(ymax, yv);
			have = 1;
		}
		if (t->pred != NULL && yok(t, t->pred[tr]) && !xsecs) {
			ymin = fmin(ymin, ymap(t, t->pred[tr]));
			ymax = fmax(ymax, ymap(t, t->pred[tr]));
		}
	}
	if (!have) {
		tui_put(y + 1 + ph / 2, x + 2, w - 4, A_NORMAL, t->logy ?
		    "No positive finite value to plot on a log scale." :
		    "No finite value to plot.");
		return;
	}
	if (!xsecs) {
		xmin = fmin(xmin, 1);
		xmax = fmax(xmax, (double)t->target);
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
	for (i = 0; i < n; i++) {
		tr = sv[i].t;
		have = 0;
		for (j = s->curve.off[tr]; j < s->curve.off[tr + 1]; j++) {
			if (!yok(t, s->curve.vals[j])) {
				have = 0;
				continue;
			}
			xv = xsecs ? t->cumsecs[j] : s->curve.steps[j];
			cx = PX(xv);
			lx = PY(ymap(t, s->curve.vals[j]));
			if (have)
				tui_canvas_line(&cv, px0, py0, cx, lx,
				    sv[i].pri, sv[i].attr);
			else
				tui_canvas_dot(&cv, cx, lx, sv[i].pri,
				    sv[i].attr);
			px0 = cx;
			py0 = lx;
			have = 1;
		}
	}
	tui_canvas_draw(t, &cv, y + 1, x + yw + 1, NULL);
	/* The prefix marker, where no curve is. */
	if (!xsecs && t->prefix >= xmin && t->prefix <= xmax) {
		marker_col = PX((double)t->prefix) / cv.dx;
		for (i = 0; i < ph; i++) {
			cell = (size_t)i * pw + marker_col;
			if (cv.dots[cell] == 0)
				tui_put(y + 1 + i, x + yw + 1 + marker_col, 1,
				    t->attrs[C_MARKER], t->g->marker);
		}
		snprintf(buf, sizeof buf, "K=%d", t->prefix);
		lx = x + yw + 1 + marker_col + 1;
		if (lx + tui_width(buf) > x + w)
			lx = x + yw + 1 + marker_col - tui_width(buf);
		tui_put(y + 1, lx, tui_width(buf), t->attrs[C_MARKER] | A_BOLD,
		    buf);
	}
	/* Predicted endpoints. */
	if (t->pred != NULL && !xsecs) {
		for (i = 0; i < n; i++) {
			tr = sv[i].t;
			if (!yok(t, t->pred[tr]))
				continue;
			cx = PX((double)t->target) / cv.dx;
			lx = PY(ymap(t, t->pred[tr])) / cv.dy;
			tui_put(y + 1 + lx, x + yw + 1 + cx, 1, sv[i].attr |
			    A_BOLD, t->g->pred);
		}
	}
#undef PX
#undef PY
	tui_canvas_free(&cv);
	/* Axes. */
	tui_vline(t, y + 1, x + yw, ph, t->attrs[C_AXIS]);
	put_right(y + 1, x, yw - 1, t->attrs[C_AXIS], tui_fmt_axis(ymax,
	    t->logy, l1));
	put_right(y + ph / 2, x, yw - 1, t->attrs[C_AXIS], tui_fmt_axis(
	    (ymin + ymax) / 2, t->logy, l2));
	put_right(y + ph, x, yw - 1, t->attrs[C_AXIS], tui_fmt_axis(ymin,
	    t->logy, l3));
	draw_xticks(t, y + ph + 1, x + yw + 1, pw, t->g->braille ? 2 : 1,
	    xmin, xmax, X, !xsecs);
	/* The legend: the selected trial, the marked ones, the top k. */
	lx = x + 1;
	for (cx = 3; cx >= 1; cx--) {
		for (i = 0; i < n && lx < x + w - 4; i++) {
			if (sv[i].pri != cx)
				continue;
			if (cx == 1)
				snprintf(buf, sizeof buf, "top %u", t->ntopk);
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
	if (t->pred != NULL && !xsecs && lx < x + w - 12) {
		lx += tui_put(y + h - 1, lx, 1, t->attrs[C_PRED], t->g->pred);
		tui_put(y + h - 1, lx + 1, x + w - lx - 1, A_NORMAL,
		    "predicted");
	}
}

/* Lines of the detail of a trial, for the panel and the detail screen. */
static char **
detail_lines(struct tui *t, uint32_t tr, int points, size_t *nl)
{
	const struct rung_study *s = t->s;
	struct rung_buf	 b = { 0 };
	char		**v = NULL, num[32], n2[32], n3[32];
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
	if (t->pred != NULL) {
		if (isnan(t->pred[tr]))
			LINE("predicted -: no steps 1-%d", t->pred_prefix);
		else
			LINE("predicted %s from steps 1-%d",
			    rung_fmt_human(t->pred[tr], n3), t->pred_prefix);
	}
	LINE("%s", "");
	for (i = 0; i < s->nparams; i++)
		LINE("%s = %s", s->params[i].name, param_text(s, i, tr, num));
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
	char	**lines;
	size_t	  n, i;
	int	  row;

	if (t->sel >= t->norder)
		return;
	lines = detail_lines(t, t->order[t->sel], points, &n);
	if (t->detail_top > (int)n - 1)
		t->detail_top = n > 0 ? (int)n - 1 : 0;
	if (t->detail_top < 0)
		t->detail_top = 0;
	/* Long values (an architecture written out) wrap. */
	for (row = 0, i = (size_t)t->detail_top; row < h && i < n; i++) {
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
	int	 tw = table_width(t), rx = tw + 1, rw = t->cols - rx, ch;

	draw_table(t, y, 0, h, tw);
	tui_vline(t, y, tw, h, t->attrs[C_AXIS]);
	ch = h * 62 / 100;
	if (ch < 10)
		ch = h - 4;
	draw_curves(t, y, rx, ch, rw, 0);
	tui_hline(t, y + ch, rx, rw, t->attrs[C_AXIS]);
	if (t->focus == 2)
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

static int
row_matches(const struct rung_study *s, uint32_t tr, const char *needle)
{
	char		 buf[32];
	uint32_t	 p;

	if (rung_strcasestr_has(s->ids[tr], needle))
		return 1;
	for (p = 0; p < s->nparams; p++) {
		if (rung_strcasestr_has(param_text(s, p, tr, buf), needle))
			return 1;
	}
	return 0;
}

static void
search(struct tui *t, int dir)
{
	uint32_t	 i, r;

	if (t->search == NULL || *t->search == '\0') {
		tui_message(t, 1, "no search: / starts one");
		return;
	}
	for (i = 1; i <= t->norder; i++) {
		r = (uint32_t)(((int64_t)t->sel + dir * (int64_t)i +
		    t->norder) % t->norder);
		if (row_matches(t->s, t->order[r], t->search)) {
			t->sel = r;
			tui_message(t, 0, "/%s: row %u of %u", t->search,
			    r + 1, t->norder);
			return;
		}
	}
	tui_message(t, 1, "/%s: not found", t->search);
}

static void
move_prefix(struct tui *t, int by)
{
	int32_t	 k = t->prefix + by;

	if (t->target < 2) {
		tui_message(t, 1, "the study has no prefix to fit on");
		return;
	}
	if (k < 1)
		k = 1;
	if (k > t->target - 1)
		k = t->target - 1;
	t->prefix = k;
	tui_message(t, 0, "prefix marker at step %d of %d: r refits the SVR "
	    "on steps 1-%d", k, t->target, k);
}

static void
move_sel(struct tui *t, int64_t by)
{
	int64_t	 v = (int64_t)t->sel + by;

	if (t->norder == 0)
		return;
	if (v < 0)
		v = 0;
	if (v >= (int64_t)t->norder)
		v = t->norder - 1;
	t->sel = (uint32_t)v;
}

/* A parameter's name as one word of the command line. */
static void
add_word(struct rung_buf *b, const char *w)
{
	const char	*p;

	if (*w != '\0' && strspn(w, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,:/+-@%=") == strlen(w)) {
		rung_buf_addstr(b, w);
		return;
	}
	rung_buf_addc(b, '\'');
	for (p = w; *p != '\0'; p++) {
		if (*p == '\'')
			rung_buf_addstr(b, "'\\''");
		else
			rung_buf_addc(b, *p);
	}
	rung_buf_addc(b, '\'');
}

/* p: the command line, on :params and the columns shown, to edit. */
static void
open_params(struct tui *t)
{
	struct rung_buf	 b = { 0 };
	uint32_t	 i;

	if (t->s->nparams == 0) {
		tui_message(t, 1, "the study has no parameter");
		return;
	}
	rung_buf_addstr(&b, "params");
	for (i = 0; i < t->npshow; i++) {
		rung_buf_addc(&b, ' ');
		add_word(&b, t->s->params[t->pshow[i]].name);
	}
	rung_buf_addc(&b, ' ');
	tui_prompt_open(t, ':', rung_buf_cstr(&b));
	rung_buf_release(&b);
}

void
view_trials_params(struct tui *t, int argc, char **argv)
{
	const struct rung_study *s = t->s;
	struct rung_buf	 b = { 0 };
	uint32_t	*show, n = 0, p, i;
	int		 k;

	if (s == NULL) {
		tui_message(t, 1, "params: open a study first");
		return;
	}
	show = xcalloc(s->nparams ? s->nparams : 1, sizeof *show);
	if (argc < 2) {
		for (p = 0; p < s->nparams; p++)
			show[n++] = p;
	}
	for (k = 1; k < argc; k++) {
		for (p = 0; p < s->nparams; p++) {
			if (strcmp(s->params[p].name, argv[k]) == 0)
				break;
		}
		if (p == s->nparams) {
			for (i = 0; i < s->nparams; i++)
				rung_buf_printf(&b, "%s%s", i ? ", " : "",
				    s->params[i].name);
			tui_message(t, 1, "params: '%s' is no parameter of "
			    "'%s' (%s)", argv[k], s->name,
			    s->nparams ? rung_buf_cstr(&b) : "it has none");
			rung_buf_release(&b);
			free(show);
			return;
		}
		for (i = 0; i < n && show[i] != p; i++)
			;
		if (i == n)
			show[n++] = p;
	}
	free(t->pshow);
	t->pshow = show;
	t->npshow = n;
	t->hscroll = 0;
	tui_message(t, 0, "%u of %u parameter columns shown", n, s->nparams);
}

void
view_trials_key(struct tui *t, enum tui_action a)
{
	int	 page = t->table_h > 1 ? t->table_h - 1 : 1;
	uint32_t tr;

	if (t->s == NULL)
		return;
	if (t->focus == 2) {
		switch (a) {
		case ACT_DOWN: t->detail_top++; return;
		case ACT_UP: t->detail_top--; return;
		case ACT_PGDN: t->detail_top += 5; return;
		case ACT_PGUP: t->detail_top -= 5; return;
		case ACT_TOP: t->detail_top = 0; return;
		default: break;
		}
	}
	switch (a) {
	case ACT_DOWN:
		move_sel(t, 1);
		break;
	case ACT_UP:
		move_sel(t, -1);
		break;
	case ACT_PGDN:
		move_sel(t, page);
		t->top += (uint32_t)page;
		if (t->top > t->sel)
			t->top = t->sel;
		break;
	case ACT_PGUP:
		move_sel(t, -page);
		t->top = t->top > (uint32_t)page ? t->top - (uint32_t)page : 0;
		break;
	case ACT_TOP:
		t->sel = t->top = 0;
		break;
	case ACT_BOTTOM:
		move_sel(t, (int64_t)t->norder);
		break;
	case ACT_LEFT:
		if (t->focus == 1)
			move_prefix(t, -1);
		else if (t->hscroll > 0)
			t->hscroll--;
		break;
	case ACT_RIGHT:
		if (t->focus == 1)
			move_prefix(t, 1);
		else if (t->hscroll + 1 < (int)t->npshow)
			t->hscroll++;
		break;
	case ACT_FOCUS:
		t->focus = (t->focus + 1) % 3;
		t->detail_top = 0;
		break;
	case ACT_ENTER:
		t->detail_top = 0;
		tui_set_screen(t, SCR_DETAIL);
		break;
	case ACT_SEARCH_NEXT:
		search(t, 1);
		break;
	case ACT_SEARCH_PREV:
		search(t, -1);
		break;
	case ACT_MARK:
		if (t->sel < t->norder) {
			tr = t->order[t->sel];
			t->marked[tr] = !t->marked[tr];
			t->nmarked += t->marked[tr] ? 1 : -1;
			move_sel(t, 1);
		}
		break;
	case ACT_UNMARK_ALL:
		memset(t->marked, 0, t->s->ntrials);
		t->nmarked = 0;
		t->compare = 0;
		break;
	case ACT_COMPARE:
		t->compare = !t->compare;
		if (t->compare && t->nmarked == 0)
			tui_message(t, 1, "compare: no trial is marked (Space "
			    "marks one)");
		else if (t->compare)
			tui_message(t, 0, "comparing %u marked trials",
			    t->nmarked);
		break;
	case ACT_LOGY:
		t->logy = !t->logy;
		break;
	case ACT_XAXIS:
		if (t->s->secs == NULL || t->metric != 0) {
			t->xsecs = 0;
			tui_message(t, 1, "the study records no seconds%s",
			    t->metric != 0 ? " for this metric" : "");
		} else
			t->xsecs = !t->xsecs;
		break;
	case ACT_PREFIX_LESS:
		move_prefix(t, -1);
		break;
	case ACT_PREFIX_MORE:
		move_prefix(t, 1);
		break;
	case ACT_REFIT:
		tui_request_refit(t);
		break;
	case ACT_PARAMS:
		open_params(t);
		break;
	default:
		break;
	}
}

void
view_detail_key(struct tui *t, enum tui_action a)
{
	switch (a) {
	case ACT_DOWN:
		t->detail_top++;
		break;
	case ACT_UP:
		t->detail_top--;
		break;
	case ACT_PGDN:
		t->detail_top += t->rows - 5;
		break;
	case ACT_PGUP:
		t->detail_top -= t->rows - 5;
		break;
	case ACT_TOP:
		t->detail_top = 0;
		break;
	case ACT_BOTTOM:
		t->detail_top = 1 << 30;
		break;
	case ACT_LOGY:
	case ACT_XAXIS:
		view_trials_key(t, a);
		break;
	default:
		break;
	}
}

void
view_trials_status(struct tui *t, char *buf, size_t len)
{
	const char	*v = t->g->vline;
	size_t		 n = 0;

	if (t->s == NULL) {
		snprintf(buf, len, " no study");
		return;
	}
	n += (size_t)snprintf(buf + n, len - n, " row %u/%u", t->norder ?
	    t->sel + 1 : 0, t->norder);
	if (t->norder != t->s->ntrials && n < len)
		n += (size_t)snprintf(buf + n, len - n, " of %u",
		    t->s->ntrials);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, " %s sort %s%s", v,
		    tui_col_name(t, (uint32_t)t->sort), t->sort_rev ?
		    " reversed" : "");
	if (t->nmarked > 0 && n < len)
		n += (size_t)snprintf(buf + n, len - n, " %s %u marked", v,
		    t->nmarked);
	if (t->filter_text != NULL && n < len)
		n += (size_t)snprintf(buf + n, len - n, " %s filter: %s", v,
		    t->filter_text);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, " %s prefix %d",
		    v, t->prefix);
	if (t->pred_desc != NULL && n < len)
		snprintf(buf + n, len - n, " %s %s", v, t->pred_desc);
}
