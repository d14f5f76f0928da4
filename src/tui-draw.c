/*
 * Drawing for the explorer: text clipped to a width in terminal columns
 * (wcwidth, so that CJK and combining characters line up), lines, and a
 * canvas of braille dots (2 x 4 per cell) or, in ASCII, of one dot per
 * cell.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui-int.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

const struct tui_glyphs tui_glyphs_utf8 = {
	.vline = "\xe2\x94\x82",	/* │ */
	.hline = "\xe2\x94\x80",	/* ─ */
	.mark = "\xe2\x97\x8f",		/* ● */
	.pred = "\xe2\x97\x86",		/* ◆ */
	.forecast = "\xe2\x97\x87",	/* ◇ */
	.up = "\xe2\x96\xb2",		/* ▲ */
	.down = "\xe2\x96\xbc",		/* ▼ */
	.ellipsis = "\xe2\x80\xa6",	/* … */
	.marker = "\xe2\x94\x8a",	/* ┊ */
	.dot = "\xe2\x80\xa2",		/* • */
	.spin = { "\xe2\xa0\x8b", "\xe2\xa0\x99", "\xe2\xa0\xb8",
	    "\xe2\xa0\xb4" },
	.braille = 1,
};

const struct tui_glyphs tui_glyphs_ascii = {
	.vline = "|",
	.hline = "-",
	.mark = "*",
	.pred = "x",
	.forecast = "o",
	.up = "^",
	.down = "v",
	.ellipsis = "~",
	.marker = ":",
	.dot = "o",
	.spin = { "|", "/", "-", "\\" },
	.braille = 0,
};

/*
 * Columns of one character starting at s and its length in bytes. Data may
 * hold anything: a control character or a byte that is not UTF-8 is drawn
 * as its escape (rung_esc_next, as tables and messages show it), put in
 * shown; a character that the locale cannot show is a '?'. shown is empty
 * when the character is drawn as it is.
 */
static int
char_width(const char *s, size_t avail, int *len, char shown[RUNG_ESC_MAX])
{
	mbstate_t	 mbs;
	wchar_t		 wc;
	size_t		 n, m;
	int		 w;

	shown[0] = '\0';
	if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f) {
		*len = 1;
		return 1;
	}
	n = rung_esc_next(s, avail, shown);
	*len = (int)n;
	if (shown[0] != '\0')
		return (int)strlen(shown);
	memset(&mbs, 0, sizeof mbs);
	m = mbrtowc(&wc, s, n, &mbs);
	if (m != n || (w = wcwidth(wc)) < 0) {
		shown[0] = '?';
		shown[1] = '\0';
		return 1;
	}
	return w;
}

int
tui_width(const char *s)
{
	char	 shown[RUNG_ESC_MAX];
	size_t	 avail = strlen(s);
	int	 total = 0, len;

	while (avail > 0) {
		total += char_width(s, avail, &len, shown);
		s += len;
		avail -= (size_t)len;
	}
	return total;
}

/*
 * Draw s at (y, x), at most maxw columns, control characters escaped (see
 * char_width). Returns the columns used.
 */
int
tui_put(int y, int x, int maxw, int attr, const char *s)
{
	char		 buf[1024], shown[RUNG_ESC_MAX];
	size_t		 avail = strlen(s), o = 0;
	int		 used = 0, w, len;

	if (maxw <= 0)
		return 0;
	while (avail > 0 && o + RUNG_ESC_MAX < sizeof buf) {
		w = char_width(s, avail, &len, shown);
		if (used + w > maxw)
			break;
		if (shown[0] != '\0') {
			memcpy(buf + o, shown, strlen(shown));
			o += strlen(shown);
		} else {
			memcpy(buf + o, s, (size_t)len);
			o += (size_t)len;
		}
		used += w;
		s += len;
		avail -= (size_t)len;
	}
	buf[o] = '\0';
	attrset(attr);
	mvaddnstr(y, x, buf, (int)o);
	attrset(A_NORMAL);
	return used;
}

int
tui_putf(int y, int x, int maxw, int attr, const char *fmt, ...)
{
	char	 buf[1024];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return tui_put(y, x, maxw, attr, buf);
}

void
tui_fill(int y, int x, int w, int attr)
{
	attrset(attr);
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

void
tui_hline(struct tui *t, int y, int x, int w, int attr)
{
	int	 i;

	for (i = 0; i < w; i++)
		tui_put(y, x + i, 1, attr, t->g->hline);
}

void
tui_vline(struct tui *t, int y, int x, int h, int attr)
{
	int	 i;

	for (i = 0; i < h; i++)
		tui_put(y + i, x, 1, attr, t->g->vline);
}

void
tui_canvas_init(struct tui_canvas *c, int w, int h, int dx, int dy)
{
	size_t	 n;

	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	n = (size_t)w * h;
	c->w = w;
	c->h = h;
	c->dx = dx;
	c->dy = dy;
	c->dots = xcalloc(n, 1);
	c->pri = xcalloc(n, 1);
	c->attr = xcalloc(n, sizeof *c->attr);
}

void
tui_canvas_free(struct tui_canvas *c)
{
	free(c->dots);
	free(c->pri);
	free(c->attr);
	memset(c, 0, sizeof *c);
}

/* Dot (x, y), y growing downwards, in dots. */
void
tui_canvas_dot(struct tui_canvas *c, int x, int y, int pri, int attr)
{
	static const uint8_t bit[4][2] = {
		{ 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 }
	};
	int	 cx, cy;
	size_t	 i;

	if (x < 0 || y < 0 || x >= c->w * c->dx || y >= c->h * c->dy)
		return;
	cx = x / c->dx;
	cy = y / c->dy;
	i = (size_t)cy * c->w + cx;
	if (c->dx == 2 && c->dy == 4)
		c->dots[i] |= bit[y % 4][x % 2];
	else
		c->dots[i] = 1;
	if (pri >= c->pri[i]) {
		c->pri[i] = (uint8_t)pri;
		c->attr[i] = attr;
	}
}

void
tui_canvas_line(struct tui_canvas *c, int x0, int y0, int x1, int y1, int pri,
    int attr)
{
	int	 dx = abs(x1 - x0), dy = -abs(y1 - y0), err = dx + dy, e2;
	int	 sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, n = 0;

	for (;;) {
		tui_canvas_dot(c, x0, y0, pri, attr);
		if ((x0 == x1 && y0 == y1) || ++n > 100000)
			break;
		e2 = 2 * err;
		if (e2 >= dy) {
			err += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			err += dx;
			y0 += sy;
		}
	}
}

void
tui_canvas_draw(struct tui *t, const struct tui_canvas *c, int y, int x,
    const char *ascii_dot)
{
	char	 cell[4];
	int	 cx, cy;
	size_t	 i;

	for (cy = 0; cy < c->h; cy++) {
		for (cx = 0; cx < c->w; cx++) {
			i = (size_t)cy * c->w + cx;
			if (c->dots[i] == 0)
				continue;
			if (c->dx == 2 && c->dy == 4) {
				/* U+2800 + the dot bits, in UTF-8. */
				cell[0] = (char)0xe2;
				cell[1] = (char)(0xa0 | (c->dots[i] >> 6));
				cell[2] = (char)(0x80 | (c->dots[i] & 0x3f));
				cell[3] = '\0';
				tui_put(y + cy, x + cx, 1, c->attr[i], cell);
			} else {
				/*
				 * ASCII: a glyph per layer, so that the
				 * curves part without colour too.
				 */
				static const char *layer[] = { "o", ".", "+",
					"*" };

				tui_put(y + cy, x + cx, 1, c->attr[i],
				    c->pri[i] < 4 && ascii_dot == NULL ?
				    layer[c->pri[i]] : ascii_dot != NULL ?
				    ascii_dot : "o");
			}
		}
	}
	(void)t;
}

char *
tui_fmt_axis(double v, int logscale, char buf[32])
{
	if (logscale)
		v = pow(10, v);
	if (!isfinite(v))
		snprintf(buf, 32, "%s", isnan(v) ? "nan" : v < 0 ? "-inf" :
		    "inf");
	else
		snprintf(buf, 32, "%.4g", v);
	return buf;
}

char *
tui_fmt_num(double v, char buf[32])
{
	if (isnan(v))
		buf[0] = '\0';
	else if (isinf(v))
		snprintf(buf, 32, "%s", v < 0 ? "-inf" : "inf");
	else
		snprintf(buf, 32, "%.5g", v);
	return buf;
}

int
rung_tui_ticks(double lo, double hi, int integer, int max, double *ticks)
{
	static const double mult[] = { 1, 2, 5 };
	double		 step, mag, first, last, eps, v;
	int		 i, k, n;

	if (!isfinite(lo) || !isfinite(hi) || max < 1)
		return 0;
	if (hi < lo) {
		v = lo;
		lo = hi;
		hi = v;
	}
	eps = 1e-9 * fmax(fabs(lo), fabs(hi));
	if (hi - lo <= eps) {
		if (integer && fabs(lo - round(lo)) > eps)
			return 0;
		ticks[0] = integer ? round(lo) : lo;
		return 1;
	}
	/* From a step too fine, coarser until max ticks are enough. */
	mag = pow(10, floor(log10((hi - lo) / (max + 1))));
	if (integer && mag < 1)
		mag = 1;
	for (k = 0; k < 60; k++) {
		step = mult[k % 3] * mag * pow(10, k / 3);
		first = ceil((lo - eps) / step);
		last = floor((hi + eps) / step);
		if (last - first + 1 <= max)
			break;
	}
	n = 0;
	for (i = 0; first + i <= last && n < max; i++) {
		v = (first + i) * step;
		if (fabs(v) < eps)
			v = 0;	/* not -0 */
		ticks[n++] = integer ? round(v) : v;
	}
	return n;
}
