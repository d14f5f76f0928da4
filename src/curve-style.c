/*
 * How learning curves are drawn, for `rung plot curves` (plot-curves.c)
 * and the explorer's curve panel (view-trials-draw.c, view-trials-
 * style.c) alike: the robust y range, TensorBoard's smoothing and the
 * colour of a trial by a parameter.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/curvestyle.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

/*
 * Two cores and their fences: the 5th to the 95th percentile of the values
 * drawn, twenty of its widths; the quartiles, two hundred of theirs. A
 * value beyond either fence is an outlier. On the curves of ../shared's
 * studies (Baker et al.'s, NMTLC's) a tame value lies at most 4.4 widths of
 * the first beyond it and 29 of the second (an LSTM's first epochs), a
 * diverged one 1e9 and more of both; drawn alone, one tame curve in 2400
 * passes a fence (a steep first step), and 48 diverged ones of 50 do. The
 * first core stands one wild value in twenty; the second, for a diverged
 * curve drawn with few others, one in four.
 */
static const struct {
	double	 p;
	double	 fence;
} cores[] = {
	{ 0.05, 20 },
	{ 0.25, 200 },
};
#define NCORES	(sizeof cores / sizeof cores[0])
/* A clipped side stops this much of the range beyond the last value kept. */
#define MARGIN		0.05

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
rung_quantile_sorted(const double *v, size_t n, double p)
{
	double	 h;
	size_t	 i;

	if (n == 0)
		return NAN;
	h = p * (double)(n - 1);
	i = (size_t)floor(h);
	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (h - (double)i) * (v[i + 1] - v[i]);
}

int
rung_yrange_robust(double *v, size_t n, double best, double *lo, double *hi)
{
	size_t	 i, c, m = 0, first, last, f, l;
	double	 a, b, w, span;
	int	 clip = 0, round;

	/* The finite values first, sorted. */
	for (i = 0; i < n; i++) {
		if (isfinite(v[i]))
			v[m++] = v[i];
	}
	if (m == 0) {
		if (!isfinite(best))
			return -1;
		*lo = *hi = best;
		return 0;
	}
	qsort(v, m, sizeof *v, cmp_double);
	/*
	 * Again on the values kept while that leaves some out (32 times at
	 * most): where few curves are drawn, one diverged among them can hold
	 * more than a twentieth of the points, and the core is found anew
	 * without its wildest ones.
	 */
	first = 0;
	last = m - 1;
	for (round = 0; round < 32; round++) {
		f = first;
		l = last;
		for (c = 0; c < NCORES; c++) {
			a = rung_quantile_sorted(v + f, l - f + 1, cores[c].p);
			b = rung_quantile_sorted(v + f, l - f + 1,
			    1 - cores[c].p);
			/*
			 * A core of one value (a plateau and a few others)
			 * has no width to judge by: its magnitude stands in,
			 * so that a curve stuck at 0.1 with one point at 1e14
			 * is still shown at 0.1.
			 */
			w = b - a;
			if (w <= 0)
				w = fabs(a) > 0 ? fabs(a) : 1;
			while (v[f] < a - cores[c].fence * w)
				f++;
			while (v[l] > b + cores[c].fence * w)
				l--;
		}
		if (f == first && l == last)
			break;
		first = f;
		last = l;
	}
	*lo = v[first];
	*hi = v[last];
	/* The best value is never clipped. */
	if (isfinite(best)) {
		*lo = fmin(*lo, best);
		*hi = fmax(*hi, best);
	}
	span = *hi - *lo > 0 ? *hi - *lo : fabs(*hi) > 0 ? fabs(*hi) : 1;
	if (v[0] < *lo) {
		clip |= RUNG_CLIP_LO;
		*lo -= MARGIN * span;
	}
	if (v[m - 1] > *hi) {
		clip |= RUNG_CLIP_HI;
		*hi += MARGIN * span;
	}
	return clip;
}

/* One side of LO:HI: empty is automatic (NaN). */
static int
parse_side(const char *s, size_t len, double *out)
{
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0) {
		*out = NAN;
		return 0;
	}
	return rung_parse_double(s, len, out) != 0 || !isfinite(*out) ? -1 :
	    0;
}

int
rung_yrange_parse(const char *s, double *lo, double *hi, char **cause)
{
	const char	*colon = strchr(s, ':');

	if (colon == NULL || strchr(colon + 1, ':') != NULL ||
	    parse_side(s, (size_t)(colon - s), lo) != 0 ||
	    parse_side(colon + 1, strlen(colon + 1), hi) != 0) {
		xasprintf(cause, "must be LO:HI, two numbers either of which "
		    "may be left out (:1.5, 0.2:), not '%s'", s);
		return -1;
	}
	if (!isnan(*lo) && !isnan(*hi) && *lo >= *hi) {
		xasprintf(cause, "LO must be below HI, not '%s'", s);
		return -1;
	}
	return 0;
}

void
rung_yrange_merge(double ulo, double uhi, double *lo, double *hi)
{
	if (!isnan(ulo))
		*lo = ulo;
	if (!isnan(uhi))
		*hi = uhi;
	if (*lo < *hi)
		return;
	if (!isnan(ulo) && isnan(uhi))
		*hi = *lo + (*lo != 0 ? fabs(*lo) / 10 : 1);
	else if (!isnan(uhi) && isnan(ulo))
		*lo = *hi - (*hi != 0 ? fabs(*hi) / 10 : 1);
	else {
		*lo -= *lo != 0 ? fabs(*lo) / 10 : 1;
		*hi += *hi != 0 ? fabs(*hi) / 10 : 1;
	}
}

void
rung_smooth_ema(const double *in, double *out, size_t n, double w)
{
	double	 last = 0, debias;
	size_t	 i, k = 0;
	int	 constant = 1;

	/* TensorBoard compares with ==: NaNs make a series not constant. */
	for (i = 1; i < n && constant; i++)
		constant = in[i] == in[0];
	for (i = 0; i < n; i++) {
		if (constant || !isfinite(in[i])) {
			out[i] = in[i];
			continue;
		}
		last = last * w + (1 - w) * in[i];
		k++;
		debias = 1 - pow(w, (double)k);
		out[i] = last / debias;
	}
}

int
rung_smooth_parse(const char *s, double *w, char **cause)
{
	if (rung_parse_double(s, strlen(s), w) != 0 || !(*w >= 0 && *w < 1)) {
		xasprintf(cause, "must be a number in [0, 1): 0 for none, 0.6 "
		    "or 0.9 for more, not '%s'", s);
		return -1;
	}
	return 0;
}

int
rung_colorby_find(const struct rung_study *s, const char *name, char **cause)
{
	struct rung_buf	 b = { 0 };
	char		**all;
	uint32_t	 j;
	int		 p;

	if ((p = rung_study_find_param(s, name)) >= 0)
		return p;
	if (s->nparams == 0) {
		xasprintf(cause, "no parameter '%s': study '%s' has no "
		    "parameters", name, s->name);
		return -1;
	}
	all = xcalloc(s->nparams + 1, sizeof *all);
	for (j = 0; j < s->nparams; j++) {
		all[j] = s->params[j].name;
		rung_buf_printf(&b, "%s%s", j == 0 ? "" : j + 1 == s->nparams ?
		    " or " : ", ", s->params[j].name);
	}
	rung_buf_printf(&b, ")");
	rung_buf_did_you_mean(&b, name, all, s->nparams);
	xasprintf(cause, "no parameter '%s' in study '%s' (it has %s", name,
	    s->name, rung_buf_cstr(&b));
	rung_buf_release(&b);
	free(all);
	return -1;
}

void
rung_colorby_init(struct rung_colorby *c, const struct rung_study *s, int pi,
    const uint32_t *t, uint32_t n)
{
	const struct rung_param *p = &s->params[pi];
	uint32_t	 i, tr;
	double		 v;

	memset(c, 0, sizeof *c);
	c->p = p;
	c->cat = p->type == RUNG_PCAT;
	c->lo = INFINITY;
	c->hi = -INFINITY;
	if (c->cat)
		return;
	if (t == NULL)
		n = s->ntrials;
	c->log = p->log;
	for (i = 0; i < n; i++) {
		tr = t != NULL ? t[i] : i;
		v = p->num[tr];
		if (!isfinite(v))
			continue;
		if (v <= 0)
			c->log = 0;
		c->lo = fmin(c->lo, v);
		c->hi = fmax(c->hi, v);
	}
}

double
rung_colorby_pos(const struct rung_colorby *c, uint32_t tr)
{
	double	 v;

	if (c->cat)
		return c->p->cat[tr] == UINT32_MAX ? NAN :
		    (double)c->p->cat[tr];
	v = c->p->num[tr];
	if (!isfinite(v) || !(c->hi >= c->lo))
		return NAN;
	if (c->hi == c->lo)
		return 0.5;
	if (c->log)
		return (log10(v) - log10(c->lo)) / (log10(c->hi) -
		    log10(c->lo));
	return (v - c->lo) / (c->hi - c->lo);
}

const char *
rung_colorby_label(const struct rung_colorby *c, uint32_t tr, char buf[32])
{
	const struct rung_param *p = c->p;

	if (p->type == RUNG_PCAT)
		return p->cat[tr] == UINT32_MAX ? "" : p->levels[p->cat[tr]];
	if (isnan(p->num[tr]))
		return "";
	if (p->type == RUNG_PINT)
		snprintf(buf, 32, "%.0f", p->num[tr]);
	else
		snprintf(buf, 32, "%.4g", p->num[tr]);
	return buf;
}
