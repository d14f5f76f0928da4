/*
 * The Params screen: which hyperparameters matter for the open study, and
 * how its trials spread over them. On the left the parameters ranked by
 * PED-ANOVA's share (the method optuna-dashboard shows, fast enough to run
 * on the main thread at every study change); on the right the selected
 * parameter's slice (final value against it), the parallel coordinates of
 * the parameters with the value as the last axis, or the contour of the
 * selected parameter against another. Where each trial goes and the
 * interpolated surface are the core's (rung/pview.h), as rung plot draws
 * them.
 *
 * Brushing: a range set on the selected parameter's axis ([ ] move its
 * bottom, { } its top) keeps only the trials inside it, here and in the
 * trials table (tui_params_keep, which the table's filter consults). A
 * range is kept in the parameter's coordinates, not in positions across
 * the axis, so that trials arriving live with wider values do not move it.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/curvestyle.h"
#include "rung/importance.h"
#include "rung/pview.h"
#include "rung/xmalloc.h"

#include "view-trials-int.h"

enum { PV_SLICE = 0, PV_PARALLEL, PV_CONTOUR, PV_NMODES };

static const char *const pv_mode_names[PV_NMODES] = {
	"slice", "parallel coordinates", "contour",
};

/* Trials drawn at most as polylines: more would only repaint the same. */
#define PARALLEL_MAX	20000
/*
 * A brush moves by this part of its axis (a level on a categorical one, a
 * whole number at least on an integer one).
 */
#define BRUSH_STEPS	20

struct pv_brush {
	int		 on;
	struct rung_pview_axis ax;	/* the axis it was set on */
	double		 lo, hi;	/* in the axis' coordinates */
};

struct tui_params {
	uint64_t	 gen;		/* the study and metric it is for */
	int64_t		 rev;
	uint32_t	 ntrials;
	int		 ready;
	double		*y;		/* final value per trial */
	struct rung_importance im;
	char		*cause;		/* why no share */
	int		*order;		/* parameters, the most important first */
	int		 norder;
	struct rung_pview_axis *ax;	/* per parameter */
	uint8_t		*axok;
	double		 top_cut;	/* the value that makes the top */
	uint32_t	 nvalued;
	struct pv_brush	*brush;		/* per parameter */
	uint32_t	 nbrush;
	uint64_t	 brush_gen;
	char		*brushed;	/* the brushes in words */
	int		 sel, top;
	int		 mode;
	int		 other;		/* the contour's second, -1: the next */
};

static struct tui_params *
pv_of(struct tui *t)
{
	return t->view[SCR_PARAMS];
}

static void
pv_clear(struct tui_params *pv)
{
	free(pv->y);
	rung_importance_release(&pv->im);
	free(pv->cause);
	free(pv->order);
	free(pv->ax);
	free(pv->axok);
	pv->y = NULL;
	pv->cause = NULL;
	pv->order = NULL;
	pv->ax = NULL;
	pv->axok = NULL;
	pv->norder = 0;
	pv->ready = 0;
}

static void
pv_brushes_free(struct tui_params *pv)
{
	free(pv->brush);
	free(pv->brushed);
	pv->brush = NULL;
	pv->brushed = NULL;
	pv->nbrush = 0;
}

/* Descending share; parameters without one last, in the study's order. */
static const struct tui_params *sort_pv;

static int
share_cmp(const void *a, const void *b)
{
	int		 i = *(const int *)a, j = *(const int *)b;
	double		 si = sort_pv->im.share[i], sj = sort_pv->im.share[j];

	if (isnan(si) != isnan(sj))
		return isnan(si) ? 1 : -1;
	if (!isnan(si) && si != sj)
		return si > sj ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* The value that the best RUNG_PED_QUANTILE of the trials reach. */
static double
top_cut(const double *y, uint32_t n, enum rung_direction dir, uint32_t *nv)
{
	double		*v = xreallocarray(NULL, n + 1, sizeof *v), cut;
	uint32_t	 m, k;

	m = rung_pview_edf(y, n, v);
	*nv = m;
	if (m == 0) {
		free(v);
		return NAN;
	}
	k = (uint32_t)ceil(m * RUNG_PED_QUANTILE);
	if (k < 1)
		k = 1;
	cut = dir == RUNG_MAX ? v[m - k] : v[k - 1];
	free(v);
	return cut;
}

/* Computed again when the study, its metric or (live) its trials change. */
static void
pv_compute(struct tui *t)
{
	struct tui_params *pv = pv_of(t);
	const struct rung_study *s = t->s;
	uint32_t	 u;
	int		 i;

	if (s == NULL)
		return;
	if (pv->ready && pv->gen == t->gen && pv->rev == s->rev &&
	    pv->ntrials == s->ntrials)
		return;
	if (pv->gen != t->gen || pv->nbrush != s->nparams) {
		pv_brushes_free(pv);
		pv->sel = pv->top = 0;
		pv->other = -1;
	}
	pv_clear(pv);
	pv->gen = t->gen;
	pv->rev = s->rev;
	pv->ntrials = s->ntrials;
	pv->y = xreallocarray(NULL, s->ntrials + 1, sizeof *pv->y);
	for (u = 0; u < s->ntrials; u++)
		pv->y[u] = rung_trial_final(s, u);
	if (s->nparams == 0)
		xasprintf(&pv->cause, "study '%s' has no parameter", s->name);
	else if (rung_ped_anova(s, pv->y, s->direction, RUNG_PED_QUANTILE,
	    NULL, &pv->im, &pv->cause) != 0)
		memset(&pv->im, 0, sizeof pv->im);
	pv->order = xcalloc(s->nparams + 1, sizeof *pv->order);
	pv->ax = xcalloc(s->nparams + 1, sizeof *pv->ax);
	pv->axok = xcalloc(s->nparams + 1, 1);
	for (i = 0; i < (int)s->nparams; i++) {
		pv->order[i] = i;
		pv->axok[i] = rung_pview_axis(s, i, &pv->ax[i]) == 0;
	}
	pv->norder = (int)s->nparams;
	if (pv->im.share != NULL) {
		sort_pv = pv;
		qsort(pv->order, (size_t)pv->norder, sizeof *pv->order,
		    share_cmp);
		sort_pv = NULL;
	}
	pv->top_cut = top_cut(pv->y, s->ntrials, s->direction, &pv->nvalued);
	if (pv->brush == NULL) {
		pv->brush = xcalloc(s->nparams + 1, sizeof *pv->brush);
		pv->nbrush = s->nparams;
		pv->brush_gen = t->gen;
	}
	if (pv->sel >= pv->norder)
		pv->sel = pv->norder > 0 ? pv->norder - 1 : 0;
	pv->ready = 1;
}

/* Brushing. */

int
tui_params_keep(struct tui *t, uint32_t u)
{
	struct tui_params *pv = pv_of(t);
	const struct pv_brush *b;
	double		 c, eps;
	uint32_t	 i;

	if (pv == NULL || pv->brushed == NULL || pv->brush_gen != t->gen ||
	    t->s == NULL || pv->nbrush != t->s->nparams)
		return 1;
	for (i = 0; i < pv->nbrush; i++) {
		b = &pv->brush[i];
		if (!b->on)
			continue;
		c = rung_pview_coord(t->s, &b->ax, u, 0);
		eps = 1e-9 * fmax(1, fabs(b->hi - b->lo));
		if (!(c >= b->lo - eps && c <= b->hi + eps))
			return 0;
	}
	return 1;
}

const char *
tui_params_brushed(struct tui *t)
{
	struct tui_params *pv = pv_of(t);

	if (pv == NULL || pv->brush_gen != t->gen)
		return NULL;
	return pv->brushed;
}

/* A coordinate of an axis as the parameter's value, for words and labels. */
static void
coord_text(const struct rung_study *s, const struct rung_pview_axis *ax,
    double c, char *buf, size_t len)
{
	const struct rung_param *p = &s->params[ax->param];
	long		 l;

	if (ax->cat) {
		l = lround(c);
		if (l < 0)
			l = 0;
		if (p->nlevels > 0 && l >= (long)p->nlevels)
			l = (long)p->nlevels - 1;
		snprintf(buf, len, "%s", p->nlevels > 0 ? p->levels[l] : "?");
		return;
	}
	if (ax->log)
		c = pow(10, c);
	if (p->type == RUNG_PINT)
		snprintf(buf, len, "%.0f", c);
	else
		snprintf(buf, len, "%.4g", c);
}

static void
brushes_changed(struct tui *t)
{
	struct tui_params *pv = pv_of(t);
	struct rung_buf	 b = { 0 };
	const struct pv_brush *br;
	char		 lo[64], hi[64];
	uint32_t	 i;

	free(pv->brushed);
	pv->brushed = NULL;
	for (i = 0; i < pv->nbrush; i++) {
		br = &pv->brush[i];
		if (!br->on)
			continue;
		coord_text(t->s, &br->ax, br->lo, lo, sizeof lo);
		coord_text(t->s, &br->ax, br->hi, hi, sizeof hi);
		rung_buf_printf(&b, "%s%s %s..%s", b.len ? ", " : "",
		    t->s->params[i].name, lo, hi);
	}
	if (b.len > 0)
		pv->brushed = rung_buf_cstr(&b);
	else
		rung_buf_release(&b);
	tui_rebuild_rows(t);
	if (pv->brushed != NULL)
		tui_message(t, 0, "%u of %u trials in the brushed ranges",
		    tui_trials(t)->norder, t->s->ntrials);
	else
		tui_message(t, 0, "no brush: %u trials", tui_trials(t)->norder);
}

void
tui_params_clear_brushes(struct tui *t)
{
	struct tui_params *pv = pv_of(t);
	uint32_t	 i;

	if (pv == NULL || pv->brushed == NULL)
		return;
	for (i = 0; i < pv->nbrush; i++)
		pv->brush[i].on = 0;
	free(pv->brushed);
	pv->brushed = NULL;
}

static void
brush_move(struct tui *t, enum tui_action a)
{
	struct tui_params *pv = pv_of(t);
	struct pv_brush	*b;
	struct rung_pview_axis *ax;
	double		 step, eps;
	int		 p;

	if (pv->norder == 0)
		return;
	p = pv->order[pv->sel];
	if (!pv->axok[p]) {
		tui_message(t, 1, "'%s' has no value to brush",
		    t->s->params[p].name);
		return;
	}
	ax = &pv->ax[p];
	b = &pv->brush[p];
	if (a == ACT_BRUSH_CLEAR) {
		if (!b->on) {
			tui_message(t, 0, "no brush on '%s'",
			    t->s->params[p].name);
			return;
		}
		b->on = 0;
		brushes_changed(t);
		return;
	}
	if (!b->on) {
		b->on = 1;
		b->ax = *ax;
		b->lo = ax->cat ? 0 : ax->lo;
		b->hi = ax->cat ? (double)t->s->params[p].nlevels - 1 : ax->hi;
	}
	step = ax->cat ? 1 : (ax->hi - ax->lo) / BRUSH_STEPS;
	/* An integer's range moves by whole values. */
	if (!ax->cat && !ax->log && t->s->params[p].type == RUNG_PINT)
		step = fmax(1, ceil(step));
	eps = step * 1e-6;
	switch (a) {
	case ACT_BRUSH_LO_DOWN:
		b->lo = fmax(b->lo - step, ax->cat ? 0 : ax->lo);
		break;
	case ACT_BRUSH_LO_UP:
		/* A categorical range may narrow to one level. */
		if (b->lo + step <= b->hi + (ax->cat ? eps : -eps))
			b->lo += step;
		break;
	case ACT_BRUSH_HI_DOWN:
		if (b->hi - step >= b->lo - (ax->cat ? eps : -eps))
			b->hi -= step;
		break;
	case ACT_BRUSH_HI_UP:
		b->hi = fmin(b->hi + step, ax->cat ?
		    (double)t->s->params[p].nlevels - 1 : ax->hi);
		break;
	default:
		break;
	}
	/* The whole axis is no brush. */
	if (b->lo <= (ax->cat ? 0 : ax->lo) + eps && b->hi >= (ax->cat ?
	    (double)t->s->params[p].nlevels - 1 : ax->hi) - eps)
		b->on = 0;
	brushes_changed(t);
}

/* Drawing. */

/* How a trial is drawn: out of the brushes, among the others, the top. */
static int
trial_class(struct tui *t, const struct tui_params *pv, uint32_t u)
{
	if (!tui_params_keep(t, u))
		return 1;
	if (isfinite(pv->y[u]) && !isnan(pv->top_cut) &&
	    (t->s->direction == RUNG_MAX ? pv->y[u] >= pv->top_cut :
	    pv->y[u] <= pv->top_cut))
		return 3;
	return 2;
}

static int
class_attr(struct tui *t, int cls)
{
	return cls == 3 ? t->attrs[C_OK] | (int)A_BOLD : cls == 2 ?
	    t->attrs[C_SEL] : t->attrs[C_AXIS] | (int)A_DIM;
}

/*
 * The value axis: the curves' robust range (rung/curvestyle.h), so that a
 * diverged trial does not flatten the rest; values beyond it are drawn at
 * its edge.
 */
static int
value_range(const struct tui_params *pv, enum rung_direction dir, double *lo,
    double *hi)
{
	double		*v = xreallocarray(NULL, pv->ntrials + 1, sizeof *v);
	double		 best = NAN;
	uint32_t	 u;
	int		 rc;

	for (u = 0; u < pv->ntrials; u++) {
		v[u] = pv->y[u];
		if (isfinite(v[u]) && (isnan(best) || rung_better(dir, v[u],
		    best)))
			best = v[u];
	}
	rc = rung_yrange_robust(v, pv->ntrials, best, lo, hi);
	free(v);
	if (rc < 0)
		return -1;
	if (!(*hi > *lo)) {
		*lo -= 0.5;
		*hi += 0.5;
	}
	return 0;
}

/* A value's place on the value axis, 0 to 1, clipped to it. */
static double
value_pos(double y, double lo, double hi)
{
	double	 f = (y - lo) / (hi - lo);

	return f < 0 ? 0 : f > 1 ? 1 : f;
}

static void
put_right(int y, int x, int w, int attr, const char *s)
{
	int	 n = tui_width(s);

	tui_put(y, n < w ? x + w - n : x, w, attr, s);
}

static void
draw_table(struct tui *t, int y, int x, int h, int w)
{
	struct tui_params *pv = pv_of(t);
	static const char *const eighth[] = { "", "\xe2\x96\x8f",
		"\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c", "\xe2\x96\x8b",
		"\xe2\x96\x8a", "\xe2\x96\x89" };
	const struct rung_param *p;
	int		 row, i, k, a, bw, cells, nw = 16;
	double		 sh;

	if (pv->im.share != NULL)
		tui_putf(y, x + 1, w - 2, A_BOLD, "PED-ANOVA: the best %u of "
		    "%u against all", pv->im.ntop, pv->im.ntrials);
	else
		tui_putf(y, x + 1, w - 2, t->attrs[C_ERR], "importance: %s",
		    pv->cause != NULL ? pv->cause : "none");
	tui_fill(y + 1, x, w, t->attrs[C_HEAD]);
	tui_putf(y + 1, x, w, t->attrs[C_HEAD] | A_BOLD, " %-*s %-4s %6s",
	    nw, "PARAMETER", "TYPE", "SHARE");
	bw = w - nw - 15;
	if (pv->sel < pv->top)
		pv->top = pv->sel;
	if (pv->sel >= pv->top + h - 2)
		pv->top = pv->sel - (h - 3);
	for (row = 0; row < h - 2 && pv->top + row < pv->norder; row++) {
		i = pv->order[pv->top + row];
		p = &t->s->params[i];
		a = pv->top + row == pv->sel ? A_REVERSE : A_NORMAL;
		if (a != A_NORMAL)
			tui_fill(y + 2 + row, x, w, a);
		tui_put(y + 2 + row, x + 1, nw, a, p->name);
		if (pv->brush != NULL && pv->brush[i].on)
			tui_put(y + 2 + row, x + nw, 1, a | t->attrs[C_MARKER],
			    "*");
		tui_put(y + 2 + row, x + nw + 2, 5, a, p->type == RUNG_PCAT ?
		    "cat" : p->log ? "log" : rung_ptype_name(p->type));
		sh = pv->im.share != NULL ? pv->im.share[i] : NAN;
		if (isnan(sh)) {
			tui_put(y + 2 + row, x + nw + 7, 6, a, "     -");
			continue;
		}
		tui_putf(y + 2 + row, x + nw + 7, 6, a, "%6.3f", sh);
		if (bw < 2)
			continue;
		cells = (int)lround(sh * bw * 8);
		for (k = 0; k < cells / 8; k++)
			tui_put(y + 2 + row, x + nw + 14 + k, 1, a |
			    t->attrs[C_OK], t->g->braille ? "\xe2\x96\x88" :
			    "#");
		if (cells % 8 != 0 && t->g->braille)
			tui_put(y + 2 + row, x + nw + 14 + k, 1, a |
			    t->attrs[C_OK], eighth[cells % 8]);
	}
	if (pv->norder == 0)
		tui_put(y + 2, x + 2, w - 2, A_NORMAL, "no parameter");
}

static void
draw_slice(struct tui *t, int p, int y, int x, int h, int w)
{
	struct tui_params *pv = pv_of(t);
	const struct rung_pview_axis *ax = &pv->ax[p];
	const struct rung_param *pp = &t->s->params[p];
	const struct pv_brush *b = &pv->brush[p];
	struct tui_canvas cv;
	const int	 yw = 9;
	int		 pw = w - yw - 1, ph = h - 3, X, Y, cls, k, cx;
	double		 lo, hi, xlo, xhi, c;
	char		 l[64];
	uint32_t	 u;

	tui_putf(y, x + 1, w - 2, A_BOLD, "slice: final %s against %s%s",
	    t->s->curve.name, pp->name, ax->log ? " (log)" : "");
	if (ph < 3 || pw < 10 ||
	    value_range(pv, t->s->direction, &lo, &hi) != 0) {
		tui_put(y + 2, x + 2, w - 2, A_NORMAL, "no value to draw");
		return;
	}
	xlo = ax->cat ? -0.5 : ax->lo;
	xhi = ax->cat ? ax->hi + 0.5 : ax->hi;
	tui_canvas_init(&cv, pw, ph, t->g->braille ? 2 : 1,
	    t->g->braille ? 4 : 1);
	X = pw * cv.dx - 1;
	Y = ph * cv.dy - 1;
	for (cls = 1; cls <= 3; cls++) {
		for (u = 0; u < t->s->ntrials; u++) {
			if (!isfinite(pv->y[u]) || trial_class(t, pv, u) != cls)
				continue;
			c = rung_pview_coord(t->s, ax, u, 1);
			if (!isfinite(c))
				continue;
			tui_canvas_dot(&cv, (int)lround((c - xlo) / (xhi - xlo) *
			    X), (int)lround((1 - value_pos(pv->y[u], lo, hi)) *
			    Y), cls, class_attr(t, cls));
		}
	}
	tui_canvas_draw(t, &cv, y + 1, x + yw + 1, t->g->dot);
	tui_canvas_free(&cv);
	tui_vline(t, y + 1, x + yw, ph, t->attrs[C_AXIS]);
	put_right(y + 1, x, yw - 1, t->attrs[C_AXIS], tui_fmt_axis(hi, 0, l));
	put_right(y + ph, x, yw - 1, t->attrs[C_AXIS], tui_fmt_axis(lo, 0, l));
	tui_hline(t, y + ph + 1, x + yw + 1, pw, t->attrs[C_AXIS]);
	/* The brushed range under the axis. */
	if (b->on) {
		for (cx = 0; cx < pw; cx++) {
			c = xlo + (xhi - xlo) * (cx + 0.5) / pw;
			if (c >= b->lo - 1e-9 && c <= b->hi + 1e-9)
				tui_put(y + ph + 1, x + yw + 1 + cx, 1,
				    t->attrs[C_MARKER] | A_BOLD, t->g->braille ?
				    "\xe2\x94\x81" : "=");
		}
	}
	if (ax->cat) {
		/* A level's name under it where the previous one left room. */
		for (k = 0, cx = -1; k < (int)pp->nlevels; k++) {
			int	 at = (int)lround((k - xlo) / (xhi - xlo) *
			    (pw - 1)), n = tui_width(pp->levels[k]);

			at -= n / 2;
			if (at < 0)
				at = 0;
			if (at <= cx || at + n > pw)
				continue;
			tui_put(y + ph + 2, x + yw + 1 + at, n,
			    t->attrs[C_AXIS], pp->levels[k]);
			cx = at + n;
		}
		return;
	}
	coord_text(t->s, ax, ax->lo, l, sizeof l);
	tui_put(y + ph + 2, x + yw + 1, pw / 2, t->attrs[C_AXIS], l);
	coord_text(t->s, ax, ax->hi, l, sizeof l);
	put_right(y + ph + 2, x + yw + 1 + pw / 2, pw - pw / 2,
	    t->attrs[C_AXIS], l);
}

/* The parameters the parallel view shows: n from the selected one's page. */
static int
parallel_axes(struct tui_params *pv, int room, int *axes)
{
	int	 i, n = 0, first;

	first = pv->sel - pv->sel % room;
	for (i = first; i < pv->norder && n < room; i++) {
		if (pv->axok[pv->order[i]])
			axes[n++] = pv->order[i];
	}
	for (i = first - 1; i >= 0 && n < room && n < pv->norder; i--) {
		if (pv->axok[pv->order[i]]) {
			memmove(axes + 1, axes, (size_t)n * sizeof *axes);
			axes[0] = pv->order[i];
			n++;
		}
	}
	return n;
}

static void
draw_parallel(struct tui *t, int y, int x, int h, int w)
{
	struct tui_params *pv = pv_of(t);
	struct tui_canvas cv;
	const struct rung_pview_axis *ax;
	const struct pv_brush *b;
	int		*axes, na, room, i, cls, pw, ph, X, Y, ry, gap, cx;
	int		 x0, y0, x1, y1, selp;
	double		 lo, hi, pos, prev, vpos, span;
	char		 l[64];
	uint32_t	 u, stride;

	room = (w - 2) / 10;
	if (room < 2 || h < 8 ||
	    value_range(pv, t->s->direction, &lo, &hi) != 0) {
		tui_put(y + 2, x + 2, w - 2, A_NORMAL, "no room or no value");
		return;
	}
	room--;		/* the value's axis */
	axes = xcalloc((size_t)room + 1, sizeof *axes);
	na = parallel_axes(pv, room, axes);
	selp = pv->norder > 0 ? pv->order[pv->sel] : -1;
	stride = t->s->ntrials > PARALLEL_MAX ? (t->s->ntrials +
	    PARALLEL_MAX - 1) / PARALLEL_MAX : 1;
	tui_putf(y, x + 1, w - 2, A_BOLD, "parallel coordinates: %d of %d "
	    "parameters and final %s%s", na, pv->norder, t->s->curve.name,
	    stride > 1 ? " (a sample of the trials)" : "");
	pw = w - 2;
	ph = h - 4;
	/* Room right of the value's axis for its labels and name. */
	gap = na > 0 ? (pw - 10) / na : pw - 10;
	tui_canvas_init(&cv, pw, ph, t->g->braille ? 2 : 1,
	    t->g->braille ? 4 : 1);
	X = cv.dx;
	Y = ph * cv.dy - 1;
	for (cls = 1; cls <= 3; cls++) {
		for (u = 0; u < t->s->ntrials; u += stride) {
			if (!isfinite(pv->y[u]) || trial_class(t, pv, u) != cls)
				continue;
			prev = NAN;
			for (i = 0; i <= na; i++) {
				if (i < na)
					pos = rung_pview_pos(t->s,
					    &pv->ax[axes[i]], u);
				else {
					vpos = value_pos(pv->y[u], lo, hi);
					/* Better at the top either way. */
					pos = t->s->direction == RUNG_MAX ?
					    vpos : 1 - vpos;
				}
				if (i > 0 && isfinite(prev) && isfinite(pos)) {
					x0 = (i - 1) * gap * X;
					x1 = i * gap * X;
					y0 = (int)lround((1 - prev) * Y);
					y1 = (int)lround((1 - pos) * Y);
					tui_canvas_line(&cv, x0, y0, x1, y1, cls,
					    class_attr(t, cls));
				}
				prev = pos;
			}
		}
	}
	tui_canvas_draw(t, &cv, y + 2, x + 1, t->g->dot);
	tui_canvas_free(&cv);
	/* The axes over the lines, their ends' values and their names. */
	for (i = 0; i <= na; i++) {
		cx = x + 1 + i * gap;
		tui_vline(t, y + 2, cx, ph, i < na && axes[i] == selp ?
		    t->attrs[C_MARKER] | (int)A_BOLD : t->attrs[C_AXIS]);
		span = i == na ? (double)x + 1 + pw - cx : gap - 1;
		if (span > 12)
			span = 12;
		if (i == na) {
			tui_put(y + 1, cx, (int)span, t->attrs[C_AXIS],
			    tui_fmt_axis(t->s->direction == RUNG_MAX ? hi : lo,
			    0, l));
			tui_put(y + 2 + ph, cx, (int)span, t->attrs[C_AXIS],
			    tui_fmt_axis(t->s->direction == RUNG_MAX ? lo : hi,
			    0, l));
			tui_put(y + 3 + ph, cx, (int)span, A_BOLD,
			    t->s->curve.name);
			continue;
		}
		ax = &pv->ax[axes[i]];
		coord_text(t->s, ax, ax->hi, l, sizeof l);
		tui_put(y + 1, cx, (int)span, t->attrs[C_AXIS], l);
		coord_text(t->s, ax, ax->cat ? 0 : ax->lo, l, sizeof l);
		tui_put(y + 2 + ph, cx, (int)span, t->attrs[C_AXIS], l);
		tui_put(y + 3 + ph, cx, (int)span, axes[i] == selp ? A_BOLD |
		    A_UNDERLINE : A_BOLD, t->s->params[axes[i]].name);
		b = &pv->brush[axes[i]];
		if (!b->on)
			continue;
		/* The brushed range, thick on its axis. */
		for (ry = 0; ry < ph; ry++) {
			pos = 1 - (ry + 0.5) / ph;
			pos = rung_pview_value(ax, pos);
			pos = ax->log ? log10(pos) : pos;
			if (pos >= b->lo - (ax->cat ? 0.5 : 1e-9) &&
			    pos <= b->hi + (ax->cat ? 0.5 : 1e-9))
				tui_put(y + 2 + ry, cx, 1, t->attrs[C_MARKER] |
				    A_BOLD, t->g->braille ? "\xe2\x94\x83" : "#");
		}
	}
	free(axes);
}

static int
contour_other(struct tui_params *pv, int p)
{
	int	 i, q;

	if (pv->other >= 0 && pv->other != p && pv->axok[pv->other])
		return pv->other;
	for (i = 0; i < pv->norder; i++) {
		q = pv->order[i];
		if (q != p && pv->axok[q])
			return q;
	}
	return -1;
}

static void
draw_contour(struct tui *t, int p, int y, int x, int h, int w)
{
	struct tui_params *pv = pv_of(t);
	static const char *const shade_utf8[] = { " ", "\xe2\x96\x91",
		"\xe2\x96\x92", "\xe2\x96\x93", "\xe2\x96\x88" };
	static const char *const shade_ascii[] = { " ", ".", ":", "+", "#" };
	const char *const *shade = t->g->braille ? shade_utf8 : shade_ascii;
	const struct rung_pview_axis *ax, *ay;
	const int	 yw = 9;
	int		 q, pw = w - yw - 1, ph = h - 4, i, j, k, cls;
	double		*z, *sorted, cut[4], c1, c2;
	char		*cause = NULL, l[64];
	uint32_t	 u, n;

	q = contour_other(pv, p);
	if (q < 0 || !pv->axok[p]) {
		tui_put(y, x + 1, w - 2, A_BOLD, "contour: needs two parameters "
		    "with values");
		return;
	}
	ax = &pv->ax[p];
	ay = &pv->ax[q];
	tui_putf(y, x + 1, w - 2, A_BOLD, "contour: final %s over %s and %s "
	    "(c: another); dark is better", t->s->curve.name,
	    t->s->params[p].name, t->s->params[q].name);
	if (pw < 10 || ph < 4)
		return;
	z = xreallocarray(NULL, (size_t)pw * ph, sizeof *z);
	if (rung_pview_contour(t->s, pv->y, ax, ay, pw, ph, z, &cause) != 0) {
		tui_putf(y + 2, x + 2, w - 2, t->attrs[C_ERR], "contour: %s",
		    cause);
		free(cause);
		free(z);
		return;
	}
	/* Five shades by the surface's quintiles: a diverged corner cannot
	   wash the rest out. */
	sorted = xreallocarray(NULL, (size_t)pw * ph, sizeof *sorted);
	n = rung_pview_edf(z, (uint32_t)pw * ph, sorted);
	for (k = 0; k < 4; k++)
		cut[k] = n > 0 ? sorted[(size_t)n * (k + 1) / 5] : NAN;
	for (j = 0; j < ph; j++) {
		for (i = 0; i < pw; i++) {
			c1 = z[(size_t)(ph - 1 - j) * pw + i];
			if (!isfinite(c1))
				continue;
			for (k = 0; k < 4 && c1 >= cut[k]; k++)
				;
			/* k: 0 lowest fifth ... 4 highest. */
			if (t->s->direction == RUNG_MIN)
				k = 4 - k;
			tui_put(y + 1 + j, x + yw + 1 + i, 1, t->attrs[C_SEL],
			    shade[k]);
		}
	}
	/* The trials on it. */
	for (cls = 1; cls <= 3; cls++) {
		for (u = 0; u < t->s->ntrials; u++) {
			if (!isfinite(pv->y[u]) || trial_class(t, pv, u) != cls)
				continue;
			c1 = rung_pview_pos(t->s, ax, u);
			c2 = rung_pview_pos(t->s, ay, u);
			if (!isfinite(c1) || !isfinite(c2))
				continue;
			i = (int)lround(c1 * (pw - 1));
			j = (int)lround((1 - c2) * (ph - 1));
			tui_put(y + 1 + j, x + yw + 1 + i, 1, cls == 1 ?
			    t->attrs[C_AXIS] : cls == 3 ? t->attrs[C_OK] |
			    (int)A_BOLD : t->attrs[C_MARKER], cls == 1 ? "." :
			    t->g->braille ? "\xe2\x80\xa2" : "o");
		}
	}
	free(sorted);
	free(z);
	tui_vline(t, y + 1, x + yw, ph, t->attrs[C_AXIS]);
	coord_text(t->s, ay, ay->hi, l, sizeof l);
	put_right(y + 1, x, yw - 1, t->attrs[C_AXIS], l);
	coord_text(t->s, ay, ay->cat ? 0 : ay->lo, l, sizeof l);
	put_right(y + ph, x, yw - 1, t->attrs[C_AXIS], l);
	tui_put(y + 1 + ph / 2, x, yw - 1, A_BOLD, t->s->params[q].name);
	tui_hline(t, y + ph + 1, x + yw + 1, pw, t->attrs[C_AXIS]);
	coord_text(t->s, ax, ax->cat ? 0 : ax->lo, l, sizeof l);
	tui_put(y + ph + 2, x + yw + 1, pw / 3, t->attrs[C_AXIS], l);
	tui_put(y + ph + 2, x + yw + 1 + pw / 2 - tui_width(
	    t->s->params[p].name) / 2, pw / 3, A_BOLD, t->s->params[p].name);
	coord_text(t->s, ax, ax->hi, l, sizeof l);
	put_right(y + ph + 2, x + yw + 1 + 2 * pw / 3, pw - 2 * pw / 3,
	    t->attrs[C_AXIS], l);
}

static void
view_params_draw(struct tui *t, int y, int h)
{
	struct tui_params *pv = pv_of(t);
	int		 tw, th, vy, vx, vh, vw, p;

	pv_compute(t);
	if (t->cols >= 120) {
		tw = 46;
		th = h;
		vy = y;
		vx = tw + 1;
		vh = h;
		vw = t->cols - tw - 1;
	} else {
		tw = t->cols;
		th = pv->norder + 3 < h / 3 ? pv->norder + 3 : h / 3;
		if (th < 4)
			th = 4;
		vy = y + th;
		vx = 0;
		vh = h - th;
		vw = t->cols;
	}
	draw_table(t, y, 0, th, tw);
	if (pv->norder == 0 || vh < 8)
		return;
	p = pv->order[pv->sel];
	switch (pv->mode) {
	case PV_SLICE:
		if (pv->axok[p])
			draw_slice(t, p, vy, vx, vh, vw);
		else
			tui_putf(vy, vx + 1, vw - 2, A_BOLD, "slice: '%s' has "
			    "no value", t->s->params[p].name);
		break;
	case PV_PARALLEL:
		draw_parallel(t, vy, vx, vh, vw);
		break;
	case PV_CONTOUR:
		draw_contour(t, p, vy, vx, vh, vw);
		break;
	}
}

static void
view_params_key(struct tui *t, enum tui_action a)
{
	struct tui_params *pv = pv_of(t);
	int		 i, p, q;

	pv_compute(t);
	switch (a) {
	case ACT_DOWN:
		pv->sel++;
		break;
	case ACT_UP:
		pv->sel--;
		break;
	case ACT_PGDN:
		pv->sel += 10;
		break;
	case ACT_PGUP:
		pv->sel -= 10;
		break;
	case ACT_TOP:
		pv->sel = 0;
		break;
	case ACT_BOTTOM:
		pv->sel = pv->norder - 1;
		break;
	case ACT_PV_MODE:
		pv->mode = (pv->mode + 1) % PV_NMODES;
		tui_message(t, 0, "%s", pv_mode_names[pv->mode]);
		return;
	case ACT_PV_OTHER:
		if (pv->norder == 0)
			return;
		p = pv->order[pv->sel];
		q = contour_other(pv, p);
		/* The next parameter after q in the ranking, with values. */
		for (i = 0; i < pv->norder && pv->order[i] != q; i++)
			;
		for (i++; ; i++) {
			if (i >= pv->norder)
				i = 0;
			if (pv->order[i] == q)
				break;
			if (pv->order[i] != p && pv->axok[pv->order[i]])
				break;
		}
		pv->other = pv->order[i];
		pv->mode = PV_CONTOUR;
		tui_message(t, 0, "contour of %s against %s",
		    t->s->params[p].name, t->s->params[pv->other].name);
		return;
	case ACT_BRUSH_LO_DOWN:
	case ACT_BRUSH_LO_UP:
	case ACT_BRUSH_HI_DOWN:
	case ACT_BRUSH_HI_UP:
	case ACT_BRUSH_CLEAR:
		brush_move(t, a);
		return;
	case ACT_FILTER_CLEAR:
		if (pv->brushed == NULL) {
			tui_message(t, 0, "no brush");
			return;
		}
		tui_params_clear_brushes(t);
		brushes_changed(t);
		return;
	case ACT_ENTER:
		tui_set_screen(t, SCR_TRIALS);
		return;
	default:
		return;
	}
	if (pv->sel >= pv->norder)
		pv->sel = pv->norder - 1;
	if (pv->sel < 0)
		pv->sel = 0;
}

static void
params_status(struct tui *t, char *buf, size_t len)
{
	struct tui_params *pv = pv_of(t);
	const char	*v = t->g->vline;

	if (t->s == NULL) {
		snprintf(buf, len, " no study");
		return;
	}
	snprintf(buf, len, " params: final values of %s %s %s %s %s%s",
	    t->s->curve.name, v, pv_mode_names[pv->mode], v,
	    pv->brushed != NULL ? "brushed: " : "no brush",
	    pv->brushed != NULL ? pv->brushed : "");
}

static void
params_release(struct tui *t)
{
	struct tui_params *pv = pv_of(t);

	pv_clear(pv);
	pv_brushes_free(pv);
}

const struct rung_view_ops tui_view_params = {
	.name = "params",
	.tab = "7 Params",
	.heading = "The Params screen (7)",
	.show = ACT_PARAMVIEW,
	.flags = VIEW_STUDY,
	.size = sizeof (struct tui_params),
	.draw = view_params_draw,
	.key = view_params_key,
	.status = params_status,
	.release = params_release,
};
