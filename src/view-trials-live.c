/*
 * The trials screen following its study as another process writes it
 * (rung import --follow, a campaign, a second import): the trials that
 * changed since the study was read are read alone and merged into it
 * (rung_store_load_changed, rung_study_patch), and the screen keeps its
 * rows, sort, filter, marks, selection, scroll and predictions. Reading
 * 100 changed trials of a 100,000-trial study costs what those 100 do,
 * not a reading of every curve again. The study is read whole, as
 * tui_trials_reload does, when that cannot be: a trial was deleted, a
 * parameter or a metric appeared.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/store.h"
#include "rung/xmalloc.h"

#include "view-trials-int.h"

/* Index of row id r in s, or UINT32_MAX. */
static uint32_t
find_rowid(const struct rung_study *s, int64_t r)
{
	uint32_t	 lo = 0, hi = s->ntrials, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->trial_rowid[mid] < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->ntrials && s->trial_rowid[lo] == r ? lo : UINT32_MAX;
}

/* The metrics of the study as the store has them now: any new one? */
static int
metrics_changed(struct tui *t)
{
	char		**names = NULL, *cause = NULL;
	size_t		 n = 0, i;
	int		 changed;

	if (rung_store_metrics(t->ctx->store, t->s->id, &names, NULL, &n,
	    &cause) != 0) {
		free(cause);
		return 1;
	}
	changed = n != t->nmetrics;
	for (i = 0; i < n; i++) {
		if (!changed && strcmp(names[i], t->metrics[i]) != 0)
			changed = 1;
		free(names[i]);
	}
	free(names);
	return changed;
}

/*
 * The screen's per-trial state moved to the trials' new places; changed[k]
 * marks a trial p brought (new or written again).
 */
static void
remap(struct tui *t, const uint32_t *map, uint32_t oldn,
    const uint8_t *changed)
{
	struct tui_trials *tv = tui_trials(t);
	const struct rung_study *s = t->s;
	uint32_t	 i, k, n = s->ntrials;
	uint8_t		*marked;
	double		*pred;
	int		 w;

	marked = xcalloc(n ? n : 1, 1);
	for (i = 0; i < oldn; i++)
		marked[map[i]] = tv->marked[i];
	free(tv->marked);
	tv->marked = marked;
	/*
	 * A prediction is of a prefix the trial had then: a trial written
	 * again waits for the next refit (p) rather than show a stale one.
	 */
	if (tv->pred != NULL) {
		pred = xreallocarray(NULL, n ? n : 1, sizeof *pred);
		for (k = 0; k < n; k++)
			pred[k] = NAN;
		for (i = 0; i < oldn; i++) {
			if (!changed[map[i]])
				pred[map[i]] = tv->pred[i];
		}
		free(tv->pred);
		tv->pred = pred;
	}
	for (i = 0; i < tv->norder; i++)
		tv->order[i] = map[tv->order[i]];
	tv->order = xreallocarray(tv->order, n ? n : 1, sizeof *tv->order);
	for (k = 0; k < n; k++) {
		if (changed[k] && (w = (int)strlen(s->ids[k])) > tv->idw)
			tv->idw = w > 12 ? 12 : w;
	}
	free(tv->cumsecs);	/* made again when drawn */
	tv->cumsecs = NULL;
}

/*
 * A parsed filter may hold a categorical level by its number, which a new
 * level of a numeric set renumbers: parse it again against the study.
 */
static void
refilter(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);
	struct rung_filter *f;
	char		*cause = NULL;

	if (tv->filter_text == NULL)
		return;
	if ((f = rung_filter_parse(tv->filter_text, t->s, &cause)) == NULL) {
		free(cause);
		return;
	}
	rung_filter_free(tv->filter);
	tv->filter = f;
}

int
tui_trials_refresh(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);
	struct rung_study *s = t->s, *p = NULL;
	uint32_t	 nstore, fresh = 0, j, k, oldn, *map = NULL, line;
	uint8_t		*changed;
	int64_t		 rev;
	char		*cause = NULL;
	int		 rc;

	if (s == NULL || tui_busy(t))
		return 0;
	if ((rc = rung_store_study_rev(t->ctx->store, s->id, &rev,
	    &cause)) != 0) {
		free(cause);
		goto whole;	/* gone, or no rev: reading it says which */
	}
	if (rev == s->rev)
		return 0;	/* another study changed */
	if (metrics_changed(t))
		goto whole;
	if (rung_store_load_changed(t->ctx->store, s, &p, &nstore,
	    &cause) != 0) {
		tui_message(t, 1, "live: %s", cause);
		free(cause);
		return -1;
	}
	for (j = 0; j < p->ntrials; j++) {
		if (find_rowid(s, p->trial_rowid[j]) == UINT32_MAX)
			fresh++;
	}
	/* A trial the store no longer has: the rows are read anew. */
	if ((uint64_t)s->ntrials + fresh != nstore)
		goto whole;
	/*
	 * The seconds per step are of the metric the study was opened with;
	 * on another they are not aligned with the curves: let them go.
	 */
	if (t->metric != 0) {
		free(s->secs);
		free(p->secs);
		s->secs = p->secs = NULL;
	}
	oldn = s->ntrials;
	line = tv->sel < tv->norder && tv->sel >= tv->top ? tv->sel - tv->top :
	    0;
	if (rung_study_patch(s, p, &map) != 0)
		goto whole;
	changed = xcalloc(s->ntrials ? s->ntrials : 1, 1);
	for (j = 0; j < p->ntrials; j++) {
		if ((k = find_rowid(s, p->trial_rowid[j])) != UINT32_MAX)
			changed[k] = 1;
	}
	remap(t, map, oldn, changed);
	/* A longer curve moves the target; the prefix stays where it was. */
	if (s->max_step > tv->target)
		tv->target = s->max_step;
	tui_trials_forecast_follow(t, map, oldn, changed);
	free(changed);
	free(map);
	rung_study_free(p);
	refilter(t);
	t->gen++;	/* a refit in flight holds the old places */
	tui_rebuild_rows(t);
	/* The selected trial stays on its line of the screen. */
	tv->top = tv->sel >= line ? tv->sel - line : 0;
	t->dirty = 1;
	return 0;
whole:
	rung_study_free(p);
	tui_trials_reload(t);
	return 0;
}
