/*
 * How the trials screen draws its curves (curve-style.c's rules, as
 * `rung plot curves` draws them): smoothed with TensorBoard's moving
 * average (w cycles it), coloured by a parameter (C cycles them), in a y
 * range that a diverged trial cannot flatten, set by hand with :yrange;
 * and the prompt commands :smooth, :color-by and :yrange.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "view-trials-int.h"
#include "rung/curvestyle.h"
#include "rung/xmalloc.h"

/* What w steps through: off, then TensorBoard's default, then strong. */
static const double smooth_steps[] = { 0, 0.6, 0.9 };
#define NSMOOTH	(sizeof smooth_steps / sizeof smooth_steps[0])

void
tui_style_init(struct tui_trials *tv)
{
	tv->smooth = 0;
	tv->cby = -1;
	tv->ylo = tv->yhi = NAN;
	tv->nclipped = 0;
}

void
tui_smooth_cycle(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);
	size_t		 i;

	for (i = 0; i < NSMOOTH && smooth_steps[i] <= tv->smooth; i++)
		;
	tv->smooth = i < NSMOOTH ? smooth_steps[i] : 0;
}

void
tui_set_smooth(struct tui *t, const char *arg)
{
	struct tui_trials *tv = tui_trials(t);
	char		*cause = NULL;
	double		 w;

	if (rung_smooth_parse(arg, &w, &cause) != 0) {
		tui_message(t, 1, "smooth: %s", cause);
		free(cause);
		return;
	}
	tv->smooth = w;
}

/* The parameters in turn, then none. */
void
tui_colorby_cycle(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);

	if (t->s == NULL || t->s->nparams == 0) {
		tui_message(t, 1, "colour: the study has no parameters");
		return;
	}
	tv->cby = tv->cby + 1 < (int)t->s->nparams ? tv->cby + 1 : -1;
}

void
tui_set_colorby(struct tui *t, const char *name)
{
	struct tui_trials *tv = tui_trials(t);
	char		*cause = NULL;
	int		 p;

	if (name == NULL || *name == '\0') {
		tv->cby = -1;
		return;
	}
	if (t->s == NULL)
		return;
	if ((p = rung_colorby_find(t->s, name, &cause)) < 0) {
		tui_message(t, 1, "color-by: %s", cause);
		free(cause);
		return;
	}
	tv->cby = p;
}

void
tui_set_yrange(struct tui *t, const char *arg)
{
	struct tui_trials *tv = tui_trials(t);
	char		*cause = NULL;
	double		 lo, hi;

	if (arg == NULL || *arg == '\0') {
		tv->ylo = tv->yhi = NAN;
		return;
	}
	if (rung_yrange_parse(arg, &lo, &hi, &cause) != 0) {
		tui_message(t, 1, "yrange: %s", cause);
		free(cause);
		return;
	}
	tv->ylo = lo;
	tv->yhi = hi;
}

/*
 * The colour of trial tr under colour-by: five colours from cold to hot
 * along the parameter's range (log-scaled where it is log), the marks'
 * colours for levels, dim where it has no value; dflt without colour-by.
 */
int
tui_curve_attr(struct tui *t, const struct rung_colorby *cb, uint32_t tr,
    int dflt)
{
	double	 f;
	int	 k;

	if (cb == NULL)
		return dflt;
	f = rung_colorby_pos(cb, tr);
	if (isnan(f))
		return t->attrs[C_TOPK] | A_DIM;
	if (cb->cat)
		return t->attrs[C_MARK1 + (size_t)f % TUI_NMARKCOLORS];
	k = (int)floor(f * TUI_NRAMP);
	return t->attrs[C_RAMP1 + (k < 0 ? 0 : k >= TUI_NRAMP ? TUI_NRAMP - 1 :
	    k)];
}

/*
 * The values drawn at trial tr's points (out: as many as it has):
 * smoothed when asked, NaN where a point is not drawn (not finite, or not
 * above 0 on a log scale).
 */
void
tui_curve_values(struct tui *t, uint32_t tr, double *out)
{
	struct tui_trials *tv = tui_trials(t);
	const struct rung_study *s = t->s;
	uint32_t	 i, o = s->curve.off[tr], n = s->curve.off[tr + 1] - o;

	for (i = 0; i < n; i++) {
		out[i] = s->curve.vals[o + i];
		if (tv->logy && !(out[i] > 0))
			out[i] = NAN;
	}
	if (tv->smooth > 0)
		rung_smooth_ema(out, out, n, tv->smooth);
}

/*
 * The y range of the values v[0..n) (on the axis' scale: log10 on a log
 * one), the best among them (NaN: none) kept in: the robust range, then
 * :yrange's sides. 0, or -1 when no value is finite.
 */
int
tui_curve_yrange(struct tui *t, double *v, size_t n, double best,
    double *lo, double *hi)
{
	struct tui_trials *tv = tui_trials(t);
	double		 ulo = tv->ylo, uhi = tv->yhi;

	if (rung_yrange_robust(v, n, best, lo, hi) < 0)
		return -1;
	if (tv->logy) {
		/* The user's sides are values; the axis holds their logs. */
		ulo = ulo > 0 ? log10(ulo) : NAN;
		uhi = uhi > 0 ? log10(uhi) : NAN;
	}
	rung_yrange_merge(ulo, uhi, lo, hi);
	return 0;
}

/* "  smooth 0.6  colour: lr  :yrange 0.2:1.5" for the panel's title. */
void
tui_style_title(struct tui *t, char *buf, size_t len)
{
	struct tui_trials *tv = tui_trials(t);
	char		 a[RUNG_DBL_BUFSZ], b[RUNG_DBL_BUFSZ];
	size_t		 n = 0;

	buf[0] = '\0';
	if (tv->smooth > 0)
		n += (size_t)snprintf(buf + n, len - n, "  smooth %s",
		    rung_fmt_double(tv->smooth, 0, a));
	if (tv->cby >= 0 && t->s != NULL && (uint32_t)tv->cby <
	    t->s->nparams && n < len)
		n += (size_t)snprintf(buf + n, len - n, "  colour: %s",
		    t->s->params[tv->cby].name);
	if ((!isnan(tv->ylo) || !isnan(tv->yhi)) && n < len)
		n += (size_t)snprintf(buf + n, len - n, "  y %s:%s",
		    isnan(tv->ylo) ? "" : rung_fmt_double(tv->ylo, 0, a),
		    isnan(tv->yhi) ? "" : rung_fmt_double(tv->yhi, 0, b));
	if (tv->nclipped > 0 && n < len)
		snprintf(buf + n, len - n, "  %u clipped", tv->nclipped);
}

/*
 * The legend of colour-by at (y, x), w columns: "lr 0.001 █████ 2.05",
 * the five colours low to high, or the levels each in its colour; the
 * columns used.
 */
int
tui_colour_legend(struct tui *t, const struct rung_colorby *cb, int y, int x,
    int w)
{
	char		 l[32], h[32];
	const char	*blk = t->unicode ? "\xe2\x96\x88" : "#";
	uint32_t	 i;
	int		 n = 0;

	n += tui_put(y, x, w, A_BOLD, cb->p->name) + 1;
	if (cb->cat) {
		for (i = 0; i < cb->p->nlevels && n < w - 4; i++) {
			n += tui_put(y, x + n, w - n, t->attrs[C_MARK1 + i %
			    TUI_NMARKCOLORS], blk) + 1;
			n += tui_put(y, x + n, w - n, A_NORMAL,
			    cb->p->levels[i]) + 1;
		}
		return n;
	}
	if (!(cb->hi >= cb->lo))
		return n;
	snprintf(l, sizeof l, "%.3g", cb->lo);
	snprintf(h, sizeof h, "%.3g", cb->hi);
	if (n + tui_width(l) + tui_width(h) + TUI_NRAMP + 2 > w)
		return n;
	n += tui_put(y, x + n, w - n, A_NORMAL, l) + 1;
	for (i = 0; i < TUI_NRAMP; i++)
		n += tui_put(y, x + n, w - n, t->attrs[C_RAMP1 + i], blk);
	n += 1 + tui_put(y, x + n + 1, w - n - 1, A_NORMAL, h);
	if (cb->log && n < w - 4)
		n += 1 + tui_put(y, x + n + 1, w - n - 1, A_DIM, "log");
	return n;
}

/* Whether v is drawn: finite, and above 0 on a log scale. */
int
tui_yok(struct tui *t, double v)
{
	struct tui_trials *tv = tui_trials(t);

	return isfinite(v) && (!tv->logy || v > 0);
}

/* v on the y axis' scale. */
double
tui_ymap(struct tui *t, double v)
{
	struct tui_trials *tv = tui_trials(t);

	return tv->logy ? log10(v) : v;
}

/*
 * One curve of trial tr: the values v at its points (NaN: a gap) in the
 * canvas's dots. Values beyond [ymin, ymax] are drawn on the edge they
 * passed and their columns marked in clipcol, when given: 1 above, 2
 * below.
 */
void
tui_draw_series(struct tui *t, struct tui_canvas *cv, uint32_t tr,
    const double *v, double xmin, double xmax, double ymin, double ymax,
    int pri, int attr, uint8_t *clipcol)
{
	struct tui_trials *tv = tui_trials(t);
	const struct rung_study *s = t->s;
	uint32_t	 j, o = s->curve.off[tr];
	int		 X = cv->w * cv->dx - 1, Y = cv->h * cv->dy - 1;
	int		 have = 0, px = 0, py = 0, cx, cy, xsecs;
	double		 xv, yv;

	xsecs = tv->xsecs && tv->cumsecs != NULL;
	for (j = o; j < s->curve.off[tr + 1]; j++) {
		if (!tui_yok(t, v[j - o])) {
			have = 0;
			continue;
		}
		xv = xsecs ? tv->cumsecs[j] : s->curve.steps[j];
		yv = tui_ymap(t, v[j - o]);
		cx = (int)lround((xv - xmin) / (xmax - xmin) * X);
		if (yv > ymax || yv < ymin) {
			cy = yv > ymax ? 0 : Y;
			if (clipcol != NULL && cx >= 0 && cx / cv->dx < cv->w)
				clipcol[cx / cv->dx] |= yv > ymax ? 1 : 2;
		} else
			cy = (int)lround((1 - (yv - ymin) / (ymax - ymin)) *
			    Y);
		if (have)
			tui_canvas_line(cv, px, py, cx, cy, pri, attr);
		else
			tui_canvas_dot(cv, cx, cy, pri, attr);
		px = cx;
		py = cy;
		have = 1;
	}
}

/* Where values lie beyond the range: an arrow on its edge, by column. */
void
tui_clip_arrows(struct tui *t, const uint8_t *clipcol, int y, int x, int pw,
    int ph)
{
	int	 i;

	for (i = 0; i < pw; i++) {
		if (clipcol[i] & 1)
			tui_put(y, x + i, 1, t->attrs[C_ERR], t->g->up);
		if (clipcol[i] & 2)
			tui_put(y + ph - 1, x + i, 1, t->attrs[C_ERR],
			    t->g->down);
	}
}
