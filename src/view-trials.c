/*
 * The trials and curves screen and the detail screen of one trial: the
 * open study (opening it, its metrics, the saved model), the marks, the
 * prefix marker and the predictor refitted on a thread, and the keys.
 * The rows are ordered in view-trials-rows.c and drawn in
 * view-trials-draw.c.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "view-trials-int.h"
#include "rung/model.h"
#include "rung/xmalloc.h"

static void
close_study(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);
	size_t	 i;

	rung_study_free(t->s);
	t->s = NULL;
	for (i = 0; i < t->nmetrics; i++)
		free(t->metrics[i]);
	free(t->metrics);
	free(t->mdirs);
	t->mdirs = NULL;
	t->metrics = NULL;
	t->nmetrics = t->metric = 0;
	free(tv->order);
	tv->order = NULL;
	tv->norder = 0;
	free(tv->marked);
	tv->marked = NULL;
	tv->nmarked = 0;
	rung_filter_free(tv->filter);
	tv->filter = NULL;
	free(tv->filter_text);
	tv->filter_text = NULL;
	free(tv->pred);
	tv->pred = NULL;
	free(tv->pred_desc);
	tv->pred_desc = NULL;
	free(tv->pwidth);
	tv->pwidth = NULL;
	free(tv->pshow);
	tv->pshow = NULL;
	tv->npshow = 0;
	free(tv->cumsecs);
	tv->cumsecs = NULL;
	free(tv->fcast);
	tv->fcast = NULL;
	t->gen++;
}

uint32_t
tui_ncols(struct tui *t)
{
	return COL_PARAM0 + (t->s != NULL ? t->s->nparams : 0);
}

const char *
tui_col_name(struct tui *t, uint32_t c)
{
	static const char *names[] = { "id", "status", "steps", "best",
		"final", "predicted", "forecast", "p_best", "verdict" };

	if (c < COL_PARAM0)
		return names[c];
	return t->s->params[c - COL_PARAM0].name;
}

int
tui_col_hidden(struct tui *t, int c)
{
	struct tui_trials *tv = tui_trials(t);

	return (c == COL_PRED && tv->pred == NULL) || (c >= COL_FORECAST &&
	    c <= COL_VERDICT && tv->fcast == NULL);
}

/*
 * The parameter columns are as wide as the first trials' values need: the
 * trials a study read light has the parameters of (open_study).
 */
#define WIDTH_TRIALS	2000

static void
compute_widths(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);
	const struct rung_study *s = t->s;
	uint32_t	 i, j, n;
	int		 w;
	char		 buf[32];

	tv->idw = 3;	/* "ID" and the sort arrow */
	n = s->ntrials < WIDTH_TRIALS ? s->ntrials : WIDTH_TRIALS;
	for (i = 0; i < s->ntrials; i++) {
		w = (int)strlen(s->ids[i]);
		if (w > tv->idw)
			tv->idw = w;
	}
	if (tv->idw > 12)
		tv->idw = 12;
	tv->pwidth = xcalloc(s->nparams ? s->nparams : 1, sizeof *tv->pwidth);
	tv->pshow = xcalloc(s->nparams ? s->nparams : 1, sizeof *tv->pshow);
	for (j = 0; j < s->nparams; j++)
		tv->pshow[j] = j;
	tv->npshow = s->nparams;
	for (j = 0; j < s->nparams; j++) {
		const struct rung_param *p = &s->params[j];

		tv->pwidth[j] = tui_width(p->name);
		for (i = 0; i < n; i++) {
			if (p->type == RUNG_PCAT)
				w = p->cat[i] == UINT32_MAX ? 0 :
				    tui_width(p->levels[p->cat[i]]);
			else
				w = (int)strlen(tui_fmt_num(p->num[i], buf));
			if (w > tv->pwidth[j])
				tv->pwidth[j] = w;
		}
		if (tv->pwidth[j] > 18)
			tv->pwidth[j] = 18;
		if (tv->pwidth[j] < 4)
			tv->pwidth[j] = 4;
	}
}

static void
start_refit(struct tui *t, struct rung_model *m)
{
	struct tui_trials *tv = tui_trials(t);
	struct tui_refit *r = &tv->refit;
	struct rung_featspec f;
	const struct rung_featspec *fs;
	char		*cause = NULL;

	memset(&f, 0, sizeof f);
	f.kind = RUNG_FEAT_RAW;
	f.prefix = tv->prefix;
	f.target = tv->target;
	fs = m != NULL ? &m->feat : &f;
	memset(&r->train, 0, sizeof r->train);
	memset(&r->all, 0, sizeof r->all);
	if ((m == NULL && rung_dataset_build(t->s, fs, 1, &r->train,
	    &cause) != 0) || rung_dataset_build(t->s, fs, 0, &r->all,
	    &cause) != 0) {
		tui_message(t, 1, "refit: %s", cause);
		free(cause);
		tui_refit_release(r);
		return;
	}
	r->gen = t->gen;
	r->prefix = fs->prefix;
	r->target = fs->target;
	r->ntrials = t->s->ntrials;
	r->svr = tv->svr;
	r->ntrain = m != NULL ? m->n_train : 0;
	if (m != NULL) {
		r->model = m->fitted;
		m->fitted = NULL;
	}
	tui_job_start(&r->job, tui_refit_main, r);
}

void
tui_set_refit_svr(struct tui *t, enum rung_svr_type type)
{
	tui_trials(t)->svr = type;
}

void
tui_request_refit(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);

	if (t->s == NULL)
		return;
	if (tv->target < 2 || tv->prefix < 1 || tv->prefix >= tv->target) {
		tui_message(t, 1, "refit: the study has no prefix to fit on "
		    "(its last step is %d)", tv->target);
		return;
	}
	if (tui_job_running(&tv->refit.job)) {
		tv->refit_pending = 1;
		return;
	}
	start_refit(t, NULL);
}

static void
refit_done(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);
	struct tui_refit *r = &tv->refit;

	if (r->gen == t->gen) {
		if (r->cause != NULL)
			tui_message(t, 1, "refit: %s", r->cause);
		else {
			free(tv->pred);
			tv->pred = r->pred;
			r->pred = NULL;
			tv->pred_prefix = r->prefix;
			free(tv->pred_desc);
			if (r->model != NULL)
				xasprintf(&tv->pred_desc, "saved model, steps "
				    "1-%d to %d", r->prefix, r->target);
			else
				xasprintf(&tv->pred_desc, "%s on %u trials, "
				    "steps 1-%d to %d, %.2f s",
				    rung_svr_type_title(r->svr), r->ntrain,
				    r->prefix, r->target, r->secs);
			tui_message(t, 0, "predicted final values: %s",
			    tv->pred_desc);
			if (tv->filter != NULL || tv->sort == COL_PRED)
				tui_rebuild_rows(t);
		}
	}
	tui_refit_release(r);
	if (tv->refit_pending && t->s != NULL) {
		tv->refit_pending = 0;
		start_refit(t, NULL);
	}
	t->dirty = 1;
}

/* The newest saved model of the study, if any: its predictions at once. */
void
tui_load_model(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);
	struct rung_model *m = NULL;
	char		*cause = NULL;

	if (t->ctx->store == NULL || rung_model_load(t->ctx->store, NULL,
	    t->s->name, &m, &cause) != 0) {
		free(cause);
		return;
	}
	if (m->metric != NULL && strcmp(m->metric, t->s->curve.name) == 0 &&
	    m->feat.prefix >= 1 && m->feat.prefix < m->feat.target) {
		tv->prefix = m->feat.prefix;
		if (!tui_job_running(&tv->refit.job))
			start_refit(t, m);
	}
	rung_model_free(m);
}

/*
 * The direction to load a metric with: --direction for the metric the
 * explorer opened with, else 0, the metric's own (NULL: of interest).
 */
static enum rung_direction
metric_dir(struct tui *t, const char *metric)
{
	struct tui_trials *tv = tui_trials(t);

	if (tv->dir_override == 0)
		return 0;
	if (tv->dir_metric == NULL ? metric == NULL : metric != NULL &&
	    strcmp(metric, tv->dir_metric) == 0)
		return tv->dir_override;
	return 0;
}

/*
 * A study of this many trials or more is opened light (rung_store_load_light)
 * and read whole after its first frame: at a million trials the first
 * frame takes a tenth of the time that reading every curve does. Fewer
 * trials are read whole at once, in less time than a frame is seen.
 * RUNG_TUI_LIGHT sets it (0: every study light), for the tests.
 */
#define LIGHT_TRIALS	20000
/*
 * The running trials whose curves the first frame reads for their
 * forecasts, at most: with more, the study is read whole at once.
 */
#define LIGHT_RUNNING	10000

static uint32_t
light_trials(void)
{
	const char	*e = getenv("RUNG_TUI_LIGHT");
	char		*end;
	unsigned long	 n;

	if (e == NULL || *e == '\0')
		return LIGHT_TRIALS;
	n = strtoul(e, &end, 10);
	return *end == '\0' && n <= UINT32_MAX ? (uint32_t)n : LIGHT_TRIALS;
}

/*
 * Whether the study named may be opened light: shown by its metric of
 * interest (not a curve metric of Optuna's, nor -m's, which switch
 * metrics at once). Whether it is big enough is known once read light.
 */
static int
open_light(struct tui *t, const char *name, char **cm)
{
	char		*cause = NULL;
	int		 other = 0;

	*cm = NULL;
	if (rung_store_curve_metric(t->ctx->store, name, cm, &other,
	    &cause) != 0) {
		free(cause);
		*cm = NULL;
		other = 0;
	}
	return !other && tui_trials(t)->dir_metric == NULL;
}

/*
 * The curves the first frame draws, read with the summaries: the top k
 * and the first row's (the rows are in row order, unfiltered, when a
 * study opens), and the running trials' for their forecasts. Its rows
 * show the parameters of the first trials, which are read too.
 */
static void
light_want(const struct rung_study *s, uint8_t *mark, void *arg)
{
	struct tui	*t = arg;
	struct tui_trials *tv = tui_trials(t);
	uint32_t	 list[20], n, i, running = 0;

	n = tv->topk > 0 ? tui_topk(s, NULL, s->ntrials, (uint32_t)tv->topk,
	    list) : 0;
	for (i = 0; i < n; i++)
		mark[list[i]] = 1;
	if (s->ntrials > 0)
		mark[0] = 1;
	for (i = 0; i < s->ntrials; i++)
		running += s->status[i] == RUNG_RUNNING;
	tv->whole.nrunning = running;
	for (i = 0; i < s->ntrials && running <= LIGHT_RUNNING; i++) {
		if (s->status[i] == RUNG_RUNNING)
			mark[i] = 1;
	}
}

static void *
whole_main(void *arg)
{
	struct tui_whole *w = arg;
	struct rung_store *st = NULL;

	if (rung_store_open(w->path, RUNG_STORE_READONLY |
	    RUNG_STORE_MUSTEXIST, &st, &w->cause) == 0)
		rung_store_load(st, w->name, w->metric, w->dir, &w->s,
		    &w->cause);
	rung_store_close(st);
	return NULL;
}

static void
whole_release(struct tui_whole *w)
{
	tui_job_wait(&w->job);
	w->pending = 0;
	rung_study_free(w->s);
	free(w->path);
	free(w->name);
	free(w->metric);
	free(w->cause);
	w->s = NULL;
	w->path = w->name = w->metric = w->cause = NULL;
}

static int
same_trials(const struct rung_study *a, const struct rung_study *b)
{
	return a->ntrials == b->ntrials && a->nparams == b->nparams &&
	    (a->ntrials == 0 || memcmp(a->trial_rowid, b->trial_rowid,
	    a->ntrials * sizeof *a->trial_rowid) == 0);
}

static void	 install_study(struct tui *, struct rung_study *);

/*
 * The study read whole takes the light one's place once it is there
 * (wait: wait for it). The same trials in the same rows, the screen stays
 * as it is; a write that came between opens it anew.
 */
void
tui_trials_whole(struct tui *t, int wait)
{
	struct tui_trials *tv = tui_trials(t);
	struct tui_whole *w = &tv->whole;
	struct rung_study *s;

	if (w->pending) {
		/*
		 * Started once the first frame is drawn (the first poll or key
		 * after it), not to take a core from it on two.
		 */
		w->pending = 0;
		tui_job_start(&w->job, whole_main, w);
	}
	if (!tui_job_running(&w->job))
		return;
	if (wait)
		tui_job_wait(&w->job);
	else if (!tui_job_done(&w->job))
		return;
	s = w->s;
	w->s = NULL;
	if (s == NULL) {
		tui_message(t, 1, "reading '%s' whole: %s", w->name,
		    w->cause != NULL ? w->cause : "failed");
		close_study(t);
		tui_set_screen(t, SCR_STUDIES);
	} else if (t->s == NULL || !same_trials(t->s, s) ||
	    s->direction != t->s->direction) {
		install_study(t, s);
		tui_load_model(t);
	} else {
		rung_study_free(t->s);
		t->s = s;
		t->gen++;	/* what was made of the light study, made again */
		tui_load_model(t);
	}
	whole_release(w);
	t->dirty = 1;
}

/*
 * Open the study named; light (the first frame's study: rung tui STUDY)
 * lets a big one be opened light. Opened again (a live refresh that
 * cannot merge, :open), a study is read whole: what comes next may need
 * every curve at once.
 */
static int
open_study(struct tui *t, const char *name, int light)
{
	struct tui_trials *tv = tui_trials(t);
	struct rung_study *s;
	char		*cause = NULL, *cm = NULL;
	uint32_t	 i;

	if (tui_open_store(t) != 0) {
		tui_message(t, 1, "%s", t->store_cause);
		return -1;
	}
	tui_trials_whole(t, 1);
	if (!open_light(t, name, &cm))
		light = 0;
	if ((light ? rung_store_load_light(t->ctx->store, name, NULL,
	    metric_dir(t, NULL), WIDTH_TRIALS, light_want, t, &s, &cause) :
	    rung_store_load(t->ctx->store, name, NULL, metric_dir(t, NULL),
	    &s, &cause)) != 0) {
		tui_message(t, 1, "%s", cause);
		free(cause);
		free(cm);
		return -1;
	}
	if (light && (s->ntrials < light_trials() ||
	    tv->whole.nrunning > LIGHT_RUNNING)) {
		/*
		 * Small, read whole in less time than a frame is seen; or too
		 * many curves to read apart: the study whole, now.
		 */
		rung_study_free(s);
		light = 0;
		if (rung_store_load(t->ctx->store, name, NULL, metric_dir(t,
		    NULL), &s, &cause) != 0) {
			tui_message(t, 1, "%s", cause);
			free(cause);
			free(cm);
			return -1;
		}
	}
	install_study(t, s);
	tui_select_study(t, s->name);
	if (light) {
		struct tui_whole *w = &tv->whole;

		w->path = xstrdup(rung_store_path(t->ctx->store));
		w->name = xstrdup(s->name);
		w->metric = xstrdup(s->curve.name);
		w->dir = metric_dir(t, NULL);
		w->pending = 1;
	} else
		tui_load_model(t);
	tui_set_screen(t, SCR_TRIALS);
	t->back = SCR_STUDIES;
	/* A metric of one value a trial (Optuna's): show the curves. */
	for (i = 1; cm != NULL && i < t->nmetrics; i++) {
		if (strcmp(t->metrics[i], cm) == 0)
			tui_switch_metric(t, i);
	}
	free(cm);
	return 0;
}

int
tui_open_study(struct tui *t, const char *name)
{
	return open_study(t, name, 0);
}

/* s as the open study, its rows in row order and the screen at its top. */
static void
install_study(struct tui *t, struct rung_study *s)
{
	struct tui_trials *tv = tui_trials(t);
	char		*cause = NULL;
	uint32_t	 i;

	close_study(t);
	t->s = s;
	if (rung_store_metrics(t->ctx->store, s->id, &t->metrics, &t->mdirs,
	    &t->nmetrics, &cause) != 0) {
		free(cause);
		t->metrics = NULL;
		t->mdirs = NULL;
		t->nmetrics = 0;
	}
	tv->order = xreallocarray(NULL, s->ntrials ? s->ntrials : 1,
	    sizeof *tv->order);
	for (i = 0; i < s->ntrials; i++)
		tv->order[i] = i;
	tv->norder = s->ntrials;
	tv->marked = xcalloc(s->ntrials ? s->ntrials : 1, 1);
	tv->sel = tv->top = 0;
	tv->hscroll = 0;
	tv->sort = COL_ID;
	tv->sort_rev = 0;
	tv->compare = 0;
	tv->focus = 0;
	tv->detail_top = 0;
	tv->cby = -1;		/* another study's parameters */
	tv->target = s->max_step;
	tv->prefix = tv->target / 4 > 0 ? tv->target / 4 : 1;
	tv->pred_prefix = 0;
	tui_trials_forecast(t, NULL);
	compute_widths(t);
	tui_compute_topk(t);
}

void
tui_switch_metric(struct tui *t, size_t m)
{
	struct tui_trials *tv = tui_trials(t);
	struct rung_curves c;
	char		*cause = NULL;

	if (t->s == NULL || m >= t->nmetrics || m == t->metric)
		return;
	if (rung_store_load_curves(t->ctx->store, t->s, t->metrics[m],
	    metric_dir(t, m == 0 && tv->dir_metric == NULL ? NULL :
	    t->metrics[m]), &c, &cause) != 0) {
		tui_message(t, 1, "%s", cause);
		free(cause);
		return;
	}
	rung_curves_release(&t->s->curve);
	t->s->curve = c;
	/* BEST, the top k and the sort follow the metric's own direction. */
	t->s->direction = c.direction;
	t->metric = m;
	free(tv->pred);
	tv->pred = NULL;
	free(tv->cumsecs);
	tv->cumsecs = NULL;
	tv->xsecs = 0;
	t->gen++;
	tui_trials_forecast(t, NULL);
	tui_rebuild_rows(t);
	tui_message(t, 0, "metric '%s' (%s%s)%s", t->metrics[m],
	    rung_direction_name(c.direction), t->mdirs != NULL &&
	    c.direction != t->mdirs[m] ? ", --direction" : "", m == 0 ?
	    ", of interest" : "");
}
int
tui_mark_ids(struct tui *t, int argc, char **argv, int on)
{
	struct tui_trials *tv = tui_trials(t);
	int64_t		 tr;
	int		 i;

	if (t->s == NULL)
		return -1;
	if (argc == 1 && !on) {
		memset(tv->marked, 0, t->s->ntrials);
		tv->nmarked = 0;
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if ((tr = rung_study_find_trial(t->s, argv[i])) < 0) {
			tui_message(t, 1, "no trial '%s' in '%s'", argv[i],
			    t->s->name);
			return -1;
		}
		if (tv->marked[tr] != on) {
			tv->marked[tr] = (uint8_t)on;
			tv->nmarked += on ? 1 : -1;
		}
	}
	return 0;
}

static int
row_matches(const struct rung_study *s, uint32_t tr, const char *needle)
{
	char		 buf[32];
	uint32_t	 p;

	if (rung_strcasestr_has(s->ids[tr], needle))
		return 1;
	for (p = 0; p < s->nparams; p++) {
		if (rung_strcasestr_has(tui_param_text(s, p, tr, buf), needle))
			return 1;
	}
	return 0;
}

static void
search(struct tui *t, int dir)
{
	struct tui_trials *tv = tui_trials(t);
	uint32_t	 i, r;

	if (t->search == NULL || *t->search == '\0') {
		tui_message(t, 1, "no search: / starts one");
		return;
	}
	for (i = 1; i <= tv->norder; i++) {
		r = (uint32_t)(((int64_t)tv->sel + dir * (int64_t)i +
		    tv->norder) % tv->norder);
		if (row_matches(t->s, tv->order[r], t->search)) {
			tv->sel = r;
			tui_message(t, 0, "/%s: row %u of %u", t->search,
			    r + 1, tv->norder);
			return;
		}
	}
	tui_message(t, 1, "/%s: not found", t->search);
}

static void
move_prefix(struct tui *t, int by)
{
	struct tui_trials *tv = tui_trials(t);
	int32_t	 k = tv->prefix + by;

	if (tv->target < 2) {
		tui_message(t, 1, "the study has no prefix to fit on");
		return;
	}
	if (k < 1)
		k = 1;
	if (k > tv->target - 1)
		k = tv->target - 1;
	tv->prefix = k;
	tui_message(t, 0, "prefix marker at step %d of %d: r refits the SVR "
	    "on steps 1-%d", k, tv->target, k);
}

static void
move_sel(struct tui *t, int64_t by)
{
	struct tui_trials *tv = tui_trials(t);
	int64_t	 v = (int64_t)tv->sel + by;

	if (tv->norder == 0)
		return;
	if (v < 0)
		v = 0;
	if (v >= (int64_t)tv->norder)
		v = tv->norder - 1;
	tv->sel = (uint32_t)v;
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
	struct tui_trials *tv = tui_trials(t);
	struct rung_buf	 b = { 0 };
	uint32_t	 i;

	if (t->s->nparams == 0) {
		tui_message(t, 1, "the study has no parameter");
		return;
	}
	rung_buf_addstr(&b, "params");
	for (i = 0; i < tv->npshow; i++) {
		rung_buf_addc(&b, ' ');
		add_word(&b, t->s->params[tv->pshow[i]].name);
	}
	rung_buf_addc(&b, ' ');
	tui_prompt_open(t, ':', rung_buf_cstr(&b));
	rung_buf_release(&b);
}

void
tui_show_params(struct tui *t, int argc, char **argv)
{
	struct tui_trials *tv = tui_trials(t);
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
	free(tv->pshow);
	tv->pshow = show;
	tv->npshow = n;
	tv->hscroll = 0;
	tui_message(t, 0, "%u of %u parameter columns shown", n, s->nparams);
}

static void
view_trials_key(struct tui *t, enum tui_action a)
{
	struct tui_trials *tv = tui_trials(t);
	int	 page = tv->table_h > 1 ? tv->table_h - 1 : 1;
	uint32_t tr;

	switch (a) {
	case ACT_METRIC:
		if (t->nmetrics > 1)
			tui_switch_metric(t, (t->metric + 1) % t->nmetrics);
		else
			tui_message(t, 0, "the study has one metric");
		return;
	case ACT_SORT:
		if (t->s == NULL)
			return;
		do {
			tv->sort = (tv->sort + 1) % (int)tui_ncols(t);
		} while (tui_col_hidden(t, tv->sort));
		tui_resort(t);
		tui_message(t, 0, "sorted by %s%s", tui_col_name(t,
		    (uint32_t)tv->sort), tv->sort_rev ? ", reversed" : "");
		return;
	case ACT_SORT_REVERSE:
		tv->sort_rev = !tv->sort_rev;
		tui_resort(t);
		return;
	case ACT_FILTER:
		tui_prompt_open(t, 'f', tv->filter_text);
		return;
	case ACT_FILTER_CLEAR:
		/* The brushes of the Params screen filter too: both go. */
		tui_params_clear_brushes(t);
		tui_apply_filter(t, NULL);
		return;
	case ACT_TOPK:
		tv->topk = tv->topk == 0 ? 5 : tv->topk == 5 ? 10 :
		    tv->topk == 10 ? 20 : 0;
		tui_compute_topk(t);
		if (tv->topk)
			tui_message(t, 0, "plotting the top %d rows by best "
			    "value", tv->topk);
		else
			tui_message(t, 0, "top-k off");
		return;
	default:
		break;
	}
	if (t->s == NULL)
		return;
	if (tv->focus == 2) {
		switch (a) {
		case ACT_DOWN: tv->detail_top++; return;
		case ACT_UP: tv->detail_top--; return;
		case ACT_PGDN: tv->detail_top += 5; return;
		case ACT_PGUP: tv->detail_top -= 5; return;
		case ACT_TOP: tv->detail_top = 0; return;
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
		tv->top += (uint32_t)page;
		if (tv->top > tv->sel)
			tv->top = tv->sel;
		break;
	case ACT_PGUP:
		move_sel(t, -page);
		tv->top = tv->top > (uint32_t)page ? tv->top - (uint32_t)page : 0;
		break;
	case ACT_TOP:
		tv->sel = tv->top = 0;
		break;
	case ACT_BOTTOM:
		move_sel(t, (int64_t)tv->norder);
		break;
	case ACT_LEFT:
		if (tv->focus == 1)
			move_prefix(t, -1);
		else if (tv->hscroll > 0)
			tv->hscroll--;
		break;
	case ACT_RIGHT:
		if (tv->focus == 1)
			move_prefix(t, 1);
		else if (tv->hscroll + 1 < (int)tv->npshow)
			tv->hscroll++;
		break;
	case ACT_FOCUS:
		tv->focus = (tv->focus + 1) % 3;
		tv->detail_top = 0;
		break;
	case ACT_ENTER:
		tv->detail_top = 0;
		tui_set_screen(t, SCR_DETAIL);
		break;
	case ACT_SEARCH_NEXT:
		search(t, 1);
		break;
	case ACT_SEARCH_PREV:
		search(t, -1);
		break;
	case ACT_MARK:
		if (tv->sel < tv->norder) {
			tr = tv->order[tv->sel];
			tv->marked[tr] = !tv->marked[tr];
			tv->nmarked += tv->marked[tr] ? 1 : -1;
			move_sel(t, 1);
		}
		break;
	case ACT_UNMARK_ALL:
		memset(tv->marked, 0, t->s->ntrials);
		tv->nmarked = 0;
		tv->compare = 0;
		break;
	case ACT_COMPARE:
		tv->compare = !tv->compare;
		if (tv->compare && tv->nmarked == 0)
			tui_message(t, 1, "compare: no trial is marked (Space "
			    "marks one)");
		else if (tv->compare)
			tui_message(t, 0, "comparing %u marked trials",
			    tv->nmarked);
		break;
	case ACT_LOGY:
		tv->logy = !tv->logy;
		break;
	case ACT_SMOOTH:
		tui_smooth_cycle(t);
		break;
	case ACT_COLORBY:
		tui_colorby_cycle(t);
		break;
	case ACT_XAXIS:
		if (t->s->secs == NULL || t->metric != 0) {
			tv->xsecs = 0;
			tui_message(t, 1, "the study records no seconds%s",
			    t->metric != 0 ? " for this metric" : "");
		} else
			tv->xsecs = !tv->xsecs;
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

static void
view_detail_key(struct tui *t, enum tui_action a)
{
	struct tui_trials *tv = tui_trials(t);

	switch (a) {
	case ACT_DOWN:
		tv->detail_top++;
		break;
	case ACT_UP:
		tv->detail_top--;
		break;
	case ACT_PGDN:
		tv->detail_top += t->rows - 5;
		break;
	case ACT_PGUP:
		tv->detail_top -= t->rows - 5;
		break;
	case ACT_TOP:
		tv->detail_top = 0;
		break;
	case ACT_BOTTOM:
		tv->detail_top = 1 << 30;
		break;
	case ACT_LOGY:
	case ACT_XAXIS:
	case ACT_SMOOTH:
	case ACT_COLORBY:
		view_trials_key(t, a);
		break;
	default:
		break;
	}
}

static void
view_trials_status(struct tui *t, char *buf, size_t len)
{
	struct tui_trials *tv = tui_trials(t);
	const char	*v = t->g->vline;
	size_t		 n = 0;

	if (t->s == NULL) {
		snprintf(buf, len, " no study");
		return;
	}
	n += (size_t)snprintf(buf + n, len - n, " row %u/%u", tv->norder ?
	    tv->sel + 1 : 0, tv->norder);
	if (tv->norder != t->s->ntrials && n < len)
		n += (size_t)snprintf(buf + n, len - n, " of %u",
		    t->s->ntrials);
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, " %s sort %s%s", v,
		    tui_col_name(t, (uint32_t)tv->sort), tv->sort_rev ?
		    " reversed" : "");
	if (tv->nmarked > 0 && n < len)
		n += (size_t)snprintf(buf + n, len - n, " %s %u marked", v,
		    tv->nmarked);
	if (tv->filter_text != NULL && n < len)
		n += (size_t)snprintf(buf + n, len - n, " %s filter: %s", v,
		    tv->filter_text);
	if (tui_params_brushed(t) != NULL && n < len)
		n += (size_t)snprintf(buf + n, len - n, " %s brushed: %s", v,
		    tui_params_brushed(t));
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, " %s prefix %d",
		    v, tv->prefix);
	if (tv->pred_desc != NULL && n < len)
		snprintf(buf + n, len - n, " %s %s", v, tv->pred_desc);
}

/* The prefix marker at step k, and the predictor refitted there. */
void
tui_set_prefix(struct tui *t, int32_t k)
{
	tui_trials(t)->prefix = k;
	tui_request_refit(t);
}

/* The step predicted: the open study's last. */
int32_t
tui_target(struct tui *t)
{
	return tui_trials(t)->target;
}

void
tui_set_topk(struct tui *t, int k)
{
	tui_trials(t)->topk = k;
	tui_compute_topk(t);
}

void
tui_toggle_logy(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);

	tv->logy = !tv->logy;
}

static void
trials_init(struct tui *t, const struct rung_tui_opts *o)
{
	struct tui_trials *tv = tui_trials(t);
	size_t		 n, i;
	const struct rung_study_info *si = tui_studies(t, &n);

	tui_style_init(tv);
	tv->logy = o->logy;
	tv->dir_override = o->direction;
	tv->dir_metric = o->metric != NULL ? xstrdup(o->metric) : NULL;
	if (o->study != NULL)
		open_study(t, o->study, 1);
	else if (n == 1)
		open_study(t, si[0].name, 1);
	if (o->metric != NULL && t->s != NULL) {
		for (i = 0; i < t->nmetrics; i++) {
			if (strcmp(t->metrics[i], o->metric) == 0)
				break;
		}
		if (i == t->nmetrics)
			tui_message(t, 1, "-m: study '%s' has no metric '%s'",
			    t->s->name, o->metric);
		else if (i == 0 && tv->dir_override != 0) {
			/* Opened with the metric's own direction: again. */
			t->metric = 1;
			tui_switch_metric(t, 0);
		} else
			tui_switch_metric(t, i);
	}
}

static void
trials_release(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);

	whole_release(&tv->whole);
	tui_job_wait(&tv->refit.job);
	tui_refit_release(&tv->refit);
	tui_lce_release(tv);
	close_study(t);
	free(tv->dir_metric);
}

static void
trials_poll(struct tui *t)
{
	tui_trials_whole(t, 0);
	if (tui_job_done(&tui_trials(t)->refit.job))
		refit_done(t);
}

static int
trials_busy(struct tui *t)
{
	return tui_job_running(&tui_trials(t)->refit.job) ||
	    tui_job_running(&tui_trials(t)->whole.job) ||
	    tui_trials(t)->whole.pending;
}

static size_t
trials_progress(struct tui *t, const char *spin, char *buf, size_t len)
{
	struct tui_job	*job = &tui_trials(t)->refit.job;

	if (tui_job_running(&tui_trials(t)->whole.job) ||
	    tui_trials(t)->whole.pending) {
		job = &tui_trials(t)->whole.job;
		return (size_t)snprintf(buf, len, " %s reading the study %.1fs ",
		    spin, tui_trials(t)->whole.pending ? 0.0 : rung_now() -
		    job->started);
	}
	if (!tui_job_running(job))
		return 0;
	return (size_t)snprintf(buf, len, " %s refit %.1fs ", spin,
	    rung_now() - job->started);
}

/*
 * The open study read again, another process having changed the database
 * (an import, a follower, a campaign): the same screen, metric, sort,
 * filter, marks, selected trial (by its id), scroll and prefix marker.
 * Not while a refit runs on the study's arrays. The study is opened anew
 * (t->gen moves on), so the fit and replay screens let go of what they
 * held of it; a command of the explorer that writes does not come here.
 */
void
tui_trials_reload(struct tui *t)
{
	struct tui_trials *tv = tui_trials(t);
	struct rung_filter *f;
	enum tui_screen	 screen = t->screen, back = t->back;
	char		*name, *metric = NULL, *filter = NULL, *sel = NULL;
	char		**marks = NULL, *cause = NULL;
	uint32_t	 i, k, nmarks = 0, top = tv->top, row;
	int		 sort = tv->sort, sort_rev = tv->sort_rev;
	int		 hscroll = tv->hscroll, compare = tv->compare;
	int		 focus = tv->focus, logy = tv->logy, xsecs = tv->xsecs;
	int		 topk = tv->topk, from = t->from_studies;
	int32_t		 prefix = tv->prefix;

	if (t->s == NULL || tui_busy(t))
		return;
	name = xstrdup(t->s->name);
	if (t->metric > 0)
		metric = xstrdup(t->metrics[t->metric]);
	if (tv->filter_text != NULL)
		filter = xstrdup(tv->filter_text);
	if (tv->sel < tv->norder)
		sel = xstrdup(t->s->ids[tv->order[tv->sel]]);
	marks = xcalloc(tv->nmarked + 1, sizeof *marks);
	for (i = 0; i < t->s->ntrials && nmarks < tv->nmarked; i++) {
		if (tv->marked[i])
			marks[nmarks++] = xstrdup(t->s->ids[i]);
	}
	if (tui_open_study(t, name) != 0)
		goto out;
	t->screen = screen;
	t->back = back;
	t->from_studies = from;
	for (k = 1; metric != NULL && k < t->nmetrics; k++) {
		if (strcmp(t->metrics[k], metric) == 0)
			tui_switch_metric(t, k);
	}
	if (filter != NULL) {
		if ((f = rung_filter_parse(filter, t->s, &cause)) != NULL) {
			tv->filter = f;
			tv->filter_text = xstrdup(filter);
		}
		free(cause);
	}
	for (k = 0; k < nmarks; k++) {
		int64_t tr = rung_study_find_trial(t->s, marks[k]);

		if (tr >= 0 && !tv->marked[tr]) {
			tv->marked[tr] = 1;
			tv->nmarked++;
		}
	}
	if (sort < (int)tui_ncols(t)) {
		tv->sort = sort;
		tv->sort_rev = sort_rev;
	}
	tv->hscroll = hscroll;
	tv->compare = compare;
	tv->focus = focus;
	tv->logy = logy;
	tv->xsecs = xsecs;
	tv->topk = topk;
	if (prefix >= 1 && prefix <= tv->target)
		tv->prefix = prefix;
	tui_rebuild_rows(t);
	tui_resort(t);
	for (row = 0; sel != NULL && row < tv->norder; row++) {
		if (strcmp(t->s->ids[tv->order[row]], sel) == 0) {
			tv->sel = row;
			break;
		}
	}
	tv->top = top <= tv->sel ? top : tv->sel;
	tui_compute_topk(t);
	t->dirty = 1;
out:
	for (k = 0; k < nmarks; k++)
		free(marks[k]);
	free(marks);
	free(name);
	free(metric);
	free(filter);
	free(sel);
}

/*
 * q: to the studies when the study was opened from there (read again),
 * else out.
 */
static int
trials_back(struct tui *t)
{
	if (!t->from_studies)
		return -1;
	tui_reload_studies(t);
	return SCR_STUDIES;
}

const struct rung_view_ops tui_view_trials = {
	.name = "trials",
	.tab = "2 Trials",
	.heading = "The trials and curves screen",
	.show = ACT_TRIALS,
	.flags = VIEW_STUDY | VIEW_SEARCH,
	.size = sizeof (struct tui_trials),
	.init = trials_init,
	.draw = view_trials_draw,
	.key = view_trials_key,
	.status = view_trials_status,
	.progress = trials_progress,
	.busy = trials_busy,
	.poll = trials_poll,
	.back = trials_back,
	.release = trials_release,
};

const struct rung_view_ops tui_view_detail = {
	.name = "detail",
	.tab_of = "trials",
	.heading = "The detail screen (Enter)",
	.flags = VIEW_STUDY,
	.draw = view_detail_draw,
	.key = view_detail_key,
	.status = view_trials_status,
};
