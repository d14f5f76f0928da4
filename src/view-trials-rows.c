/*
 * The rows of the trials screen: the trials the filter keeps, in the order
 * of the sort column (a radix sort, for a keypress stays under a frame),
 * and the top k by best value that the curve panel plots.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "view-trials-int.h"
#include "rung/xmalloc.h"

struct skey {
	uint64_t	 k;
	uint32_t	 t;
};

/*
 * A double as an unsigned key in the same order (NaN last whatever the
 * direction), so that a radix sort orders 100,000 rows in a few
 * milliseconds, not the 15 of qsort: a keypress stays under a frame.
 */
static uint64_t
sort_bits(double d, int reverse)
{
	uint64_t	 u;

	if (isnan(d))
		return UINT64_MAX;
	if (d == 0)
		d = 0;	/* -0 and +0 tie */
	memcpy(&u, &d, sizeof u);
	u = (u >> 63) ? ~u : u | (UINT64_C(1) << 63);
	if (reverse)
		u = ~u;
	/* Keep UINT64_MAX for NaN. */
	return u == UINT64_MAX ? u - 1 : u;
}

/* The byte of pass 0-3 (of t) or 4-11 (of k). */
static inline unsigned
digit(const struct skey *e, int pass, int reverse)
{
	uint64_t	 d;
	int		 shift;

	if (pass < 4) {
		d = reverse ? ~e->t : e->t;
		shift = pass * 8;
	} else {
		d = e->k;
		shift = (pass - 4) * 8;
	}
	return (unsigned)((d >> shift) & 0xff);
}

/* Stable LSD radix sort on t, then on k: ties keep the order of t. */
static void
radix_sort(struct skey *v, uint32_t n, int reverse)
{
	struct skey	*tmp, *a = v, *b, *sw;
	size_t		 count[256], pos, c;
	uint32_t	 i;
	int		 pass;

	tmp = xreallocarray(NULL, n ? n : 1, sizeof *tmp);
	b = tmp;
	for (pass = 0; pass < 12; pass++) {
		memset(count, 0, sizeof count);
		for (i = 0; i < n; i++) {
			count[digit(&a[i], pass, reverse)]++;
		}
		for (c = 0; c < 256 && count[c] != n; c++)
			;
		if (c < 256)
			continue;	/* one digit for all: nothing to do */
		for (c = 0, pos = 0; c < 256; c++) {
			size_t	 k = count[c];

			count[c] = pos;
			pos += k;
		}
		for (i = 0; i < n; i++) {
			b[count[digit(&a[i], pass, reverse)]++] = a[i];
		}
		sw = a;
		a = b;
		b = sw;
	}
	if (a != v)
		memcpy(v, a, (size_t)n * sizeof *v);
	free(tmp);
}

static int
cmp_level(const void *a, const void *b)
{
	return strcmp(**(char *const *const *)a, **(char *const *const *)b);
}

static double
best_key(const struct rung_study *s, double v)
{
	if (isnan(v))
		return NAN;
	return s->direction == RUNG_MAX ? -v : v;
}

void
tui_resort(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);
	const struct rung_study *s = t->s;
	struct skey	*k;
	uint32_t	 i, tr, sel_trial = UINT32_MAX, *rank = NULL;
	const struct rung_param *p = NULL;
	char		***lv;
	double		 v;

	if (s == NULL || tv->norder == 0)
		return;
	if (tv->sel < tv->norder)
		sel_trial = tv->order[tv->sel];
	if (tui_col_hidden(t, tv->sort))
		tv->sort = COL_ID;
	if (tv->sort >= COL_PARAM0) {
		p = &s->params[tv->sort - COL_PARAM0];
		if (p->type == RUNG_PCAT && p->nlevels > 0 && !p->numeric) {
			/*
			 * Categorical values sort in byte order; numbers are
			 * in order already (rung_param_order_levels).
			 */
			lv = xreallocarray(NULL, p->nlevels, sizeof *lv);
			for (i = 0; i < p->nlevels; i++)
				lv[i] = &p->levels[i];
			qsort(lv, p->nlevels, sizeof *lv, cmp_level);
			rank = xreallocarray(NULL, p->nlevels, sizeof *rank);
			for (i = 0; i < p->nlevels; i++)
				rank[lv[i] - p->levels] = i;
			free(lv);
		}
	}
	k = xreallocarray(NULL, tv->norder, sizeof *k);
	for (i = 0; i < tv->norder; i++) {
		tr = tv->order[i];
		k[i].t = tr;
		v = NAN;
		switch (tv->sort) {
		case COL_ID:
			v = tr;
			break;
		case COL_STATUS:
			v = s->status[tr];
			break;
		case COL_STEPS:
			v = rung_curve_len(s, tr) ?
			    -(double)rung_trial_last_step(s, tr) : NAN;
			break;
		case COL_BEST:
			v = best_key(s, s->curve.best[tr]);
			break;
		case COL_FINAL:
			v = best_key(s, s->curve.final[tr]);
			break;
		case COL_PRED:
			v = best_key(s, tv->pred[tr]);
			break;
		case COL_FORECAST:
		case COL_PBEST:
		case COL_VERDICT:
			v = tui_forecast_key(t, tv->sort, tr);
			break;
		default:
			if (p->type != RUNG_PCAT)
				v = p->num[tr];
			else
				v = p->cat[tr] == UINT32_MAX ? NAN :
				    rank != NULL ? rank[p->cat[tr]] :
				    p->cat[tr];
			break;
		}
		k[i].k = sort_bits(v, tv->sort_rev);
	}
	radix_sort(k, tv->norder, tv->sort_rev);
	for (i = 0; i < tv->norder; i++) {
		tv->order[i] = k[i].t;
		if (k[i].t == sel_trial)
			tv->sel = i;
	}
	free(k);
	free(rank);
	t->dirty = 1;
}

/* The k best rows by best value, for the curve panel. */
void
tui_compute_topk(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);

	tv->ntopk = 0;
	if (t->s == NULL || tv->topk <= 0)
		return;
	tv->ntopk = tui_topk(t->s, tv->order, tv->norder,
	    (uint32_t)tv->topk, tv->topk_list);
}

uint32_t
tui_topk(const struct rung_study *s, const uint32_t *order, uint32_t norder,
    uint32_t k, uint32_t *list)
{
	uint32_t	 n = 0, i, j, tr;
	double		 v;

	if (k > 20)
		k = 20;
	for (i = 0; i < norder && k > 0; i++) {
		tr = order != NULL ? order[i] : i;
		v = best_key(s, s->curve.best[tr]);
		if (isnan(v))
			continue;
		if (n == k && v >= best_key(s, s->curve.best[list[n - 1]]))
			continue;
		j = n < k ? n++ : n - 1;
		while (j > 0 && v < best_key(s, s->curve.best[list[j - 1]])) {
			list[j] = list[j - 1];
			j--;
		}
		list[j] = tr;
	}
	return n;
}

void
tui_rebuild_rows(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);
	uint32_t	 i, sel_trial = UINT32_MAX;

	if (t->s == NULL)
		return;
	if (tv->sel < tv->norder)
		sel_trial = tv->order[tv->sel];
	tv->norder = 0;
	for (i = 0; i < t->s->ntrials; i++) {
		if (rung_filter_match(tv->filter, t->s, tv->pred, i) &&
		    tui_params_keep(t, i))
			tv->order[tv->norder++] = i;
	}
	tv->sel = UINT32_MAX;	/* found again below, not by tui_resort */
	tui_resort(t);
	tv->sel = 0;
	for (i = 0; i < tv->norder; i++) {
		if (tv->order[i] == sel_trial)
			tv->sel = i;
	}
	if (tv->top > tv->sel)
		tv->top = tv->sel;
	tui_compute_topk(t);
	t->dirty = 1;
}

void
tui_apply_filter(struct tui *t, const char *text)
{
	struct tui_trials *tv = tui_trials(t);
	struct rung_filter *f = NULL;
	char		*cause = NULL;

	if (t->s == NULL) {
		tui_message(t, 1, "no study is open");
		return;
	}
	while (text != NULL && (*text == ' ' || *text == '\t'))
		text++;
	if (text != NULL && *text != '\0' &&
	    (f = rung_filter_parse(text, t->s, &cause)) == NULL) {
		tui_message(t, 1, "filter: %s", cause);
		free(cause);
		return;
	}
	rung_filter_free(tv->filter);
	tv->filter = f;
	free(tv->filter_text);
	tv->filter_text = f != NULL ? xstrdup(text) : NULL;
	tui_rebuild_rows(t);
	if (f != NULL)
		tui_message(t, 0, "%u of %u trials match '%s'", tv->norder,
		    t->s->ntrials, text);
	else
		tui_message(t, 0, "no filter: %u trials", tv->norder);
}

int
tui_sort_by_name(struct tui *t, const char *name, int reverse)
{
	struct tui_trials *tv = tui_trials(t);
	uint32_t	 c;

	if (t->s == NULL)
		return -1;
	for (c = 0; c < tui_ncols(t); c++) {
		if (strcasecmp(tui_col_name(t, c), name) == 0 ||
		    (c == COL_PRED && strcasecmp(name, "pred") == 0))
			break;
	}
	if (c == tui_ncols(t) || tui_col_hidden(t, (int)c))
		return -1;
	tv->sort = (int)c;
	tv->sort_rev = reverse;
	tui_resort(t);
	return 0;
}
