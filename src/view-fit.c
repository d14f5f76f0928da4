/*
 * The fit screen: how early the final value can be predicted. A thread
 * loads its own copy of the study and, for prefixes of 10% to 90% of the
 * last step, scores nu-SVR with Swift-Hyperband's defaults (or, by v,
 * epsilon-SVR or the QSVR, as `rung fit --svr` chooses) on held-out
 * trials (rung_fit_evaluate, as `rung fit --sweep`), and keeps one split's
 * predictions for a scatter of predicted against actual. Where the table
 * has room it shows LCE's R2 and tau beside the SVR's: each held-out
 * trial's own extrapolation, which needs no training set.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui-int.h"
#include "rung/xmalloc.h"

struct tui_fitrow {
	struct rung_fit_row row;
	uint32_t	 n;		/* held-out points of the scatter */
	double		*actual;
	double		*predicted;
	double		 r2, kendall;	/* of the scatter's split */
};

/* The fit screen: how early, and predicted against actual. */
struct tui_fitview {
	struct tui_job	 job;
	uint64_t	 gen;		/* the study it is for */
	char		*db_path;
	char		*study;
	uint32_t	 cap;		/* training trials at most */
	int32_t		 target;
	uint32_t	 nrows;
	struct tui_fitrow *rows;
	char		*cause;
	int		 ready;
	int		 sel, top;
	enum rung_svr_type svr;		/* v cycles it */
};

static struct tui_fitview *
fit_of(struct tui *t)
{
	return t->view[SCR_FIT];
}

/*
 * Smaller than rung fit's defaults (RUNG_FIT_TRAIN_MAX, _TEST_MAX): nine
 * prefixes are scored while the user waits.
 */
#define FIT_CAP		2000	/* training trials at most */
#define FIT_TEST_CAP	10000	/* test trials at most */
#define SCATTER_MAX	2000	/* held-out points drawn */

static void
scatter(const struct rung_study *s, int32_t prefix, int32_t target,
    enum rung_svr_type type, struct tui_fitrow *fr)
{
	struct rung_featspec f;
	struct rung_dataset ds = { 0 };
	struct rung_svr_params p;
	struct rung_svr	*svr = NULL;
	struct rung_rng	 rng;
	struct rung_scores sc;
	uint32_t	*idx = NULL, i, ntrain, ntest;
	double		*x = NULL, *y = NULL;
	char		*cause = NULL;

	memset(&f, 0, sizeof f);
	f.kind = RUNG_FEAT_RAW;
	f.prefix = prefix;
	f.target = target;
	if (rung_dataset_build(s, &f, 1, &ds, &cause) != 0 || ds.n < 5)
		goto out;
	idx = xreallocarray(NULL, ds.n, sizeof *idx);
	for (i = 0; i < ds.n; i++)
		idx[i] = i;
	rung_rng_seed(&rng, 0);
	rung_rng_shuffle(&rng, idx, ds.n);
	ntrain = ds.n * 8 / 10;
	if (ntrain > FIT_CAP)
		ntrain = FIT_CAP;
	ntest = ds.n - ntrain;
	if (ntest > SCATTER_MAX)
		ntest = SCATTER_MAX;
	x = xreallocarray(NULL, (size_t)ntrain * ds.d, sizeof *x);
	y = xreallocarray(NULL, ntrain, sizeof *y);
	for (i = 0; i < ntrain; i++) {
		memcpy(x + (size_t)i * ds.d, ds.x + (size_t)idx[i] * ds.d,
		    ds.d * sizeof *x);
		y[i] = ds.y[idx[i]];
	}
	rung_svr_params_init(&p);
	rung_svr_params_type(&p, type);
	if (rung_svr_fit(&p, x, y, ntrain, ds.d, &svr, &cause) != 0)
		goto out;
	fr->actual = xreallocarray(NULL, ntest, sizeof *fr->actual);
	fr->predicted = xreallocarray(NULL, ntest, sizeof *fr->predicted);
	for (i = 0; i < ntest; i++) {
		uint32_t r = idx[ntrain + i];

		fr->actual[i] = ds.y[r];
		fr->predicted[i] = rung_svr_predict(svr, ds.x +
		    (size_t)r * ds.d);
	}
	fr->n = ntest;
	rung_scores_compute(fr->actual, fr->predicted, ntest, &sc);
	fr->r2 = sc.r2;
	fr->kendall = sc.kendall;
out:
	free(cause);
	rung_svr_free(svr);
	free(x);
	free(y);
	free(idx);
	rung_dataset_release(&ds);
}

static void *
fit_main(void *arg)
{
	struct tui_fitview *fv = arg;
	struct rung_store *st = NULL;
	struct rung_study *s = NULL;
	struct rung_fit_opts fo;
	struct rung_featspec f;
	struct rung_dataset ds = { 0 };
	int32_t		 k, ks[9];
	uint32_t	 nk = 0, i;
	int		 frac;

	if (rung_store_open(rung_store_default_path(fv->db_path),
	    RUNG_STORE_READONLY | RUNG_STORE_MUSTEXIST, &st, &fv->cause) != 0 ||
	    rung_store_load(st, fv->study, NULL, 0, &s, &fv->cause) != 0)
		goto out;
	fv->target = s->max_step;
	if (fv->target < 2) {
		xasprintf(&fv->cause, "the study's last step is %d: nothing "
		    "to predict", fv->target);
		goto out;
	}
	for (frac = 1; frac <= 9; frac++) {
		k = (int32_t)((int64_t)fv->target * frac / 10);
		if (k < 1 || (nk > 0 && ks[nk - 1] == k))
			continue;
		ks[nk++] = k;
	}
	memset(&fo, 0, sizeof fo);
	rung_svr_params_init(&fo.svr);
	rung_svr_params_type(&fo.svr, fv->svr);
	rung_search_init(&fo.search);
	fo.feat.kind = RUNG_FEAT_RAW;
	fo.feat.target = fv->target;
	fo.threads = 1;
	/* Big studies: a capped training set, one repeat. */
	memset(&f, 0, sizeof f);
	f.kind = RUNG_FEAT_RAW;
	f.prefix = 1;
	f.target = fv->target;
	if (rung_dataset_build(s, &f, 1, &ds, &fv->cause) != 0)
		goto out;
	fo.repeats = ds.n > 5000 ? 1 : 3;
	if (ds.n * 8 / 10 > FIT_CAP)
		fo.train = FIT_CAP;
	fo.test = FIT_TEST_CAP;
	rung_dataset_release(&ds);
	fv->rows = xcalloc(nk, sizeof *fv->rows);
	atomic_store(&fv->job.total, nk);
	for (i = 0; i < nk; i++) {
		atomic_store(&fv->job.progress, i);
		if (rung_fit_evaluate(s, &fo, ks[i], &fv->rows[i].row,
		    &fv->cause) != 0)
			break;
		scatter(s, ks[i], fv->target, fv->svr, &fv->rows[i]);
		fv->nrows = i + 1;
	}
	atomic_store(&fv->job.progress, nk);
out:
	rung_study_free(s);
	rung_store_close(st);
	return NULL;
}

static void
fit_clear(struct tui_fitview *fv)
{
	uint32_t	 i;

	for (i = 0; i < fv->nrows; i++) {
		free(fv->rows[i].actual);
		free(fv->rows[i].predicted);
	}
	free(fv->rows);
	fv->rows = NULL;
	fv->nrows = 0;
	free(fv->cause);
	fv->cause = NULL;
	free(fv->study);
	fv->study = NULL;
	fv->ready = 0;
}

static void
view_fit_free(struct tui_fitview *fv)
{
	fit_clear(fv);
}

static void
view_fit_start(struct tui *t, int force)
{
	struct tui_fitview *fv = fit_of(t);

	if (t->s == NULL || tui_job_running(&fv->job))
		return;
	if (!force && fv->study != NULL && fv->gen == t->gen)
		return;
	fit_clear(fv);
	fv->gen = t->gen;
	fv->db_path = (char *)t->db_path;
	fv->study = xstrdup(t->s->name);
	fv->target = t->s->max_step;
	fv->sel = fv->top = 0;
	tui_job_start(&fv->job, fit_main, fv);
}

static void
view_fit_poll(struct tui *t)
{
	struct tui_fitview *fv = fit_of(t);

	if (!tui_job_done(&fv->job))
		return;
	fv->ready = 1;
	if (fv->cause != NULL)
		tui_message(t, 1, "fit: %s", fv->cause);
	/* The study changed meanwhile: again, for the new one. */
	if (t->screen == SCR_FIT && t->s != NULL && fv->gen != t->gen)
		view_fit_start(t, 1);
	t->dirty = 1;
}

static void
draw_scatter(struct tui *t, const struct tui_fitrow *fr, int y, int x, int h,
    int w)
{
	struct tui_canvas cv;
	const int	 yw = 9;
	double		 lo = INFINITY, hi = -INFINITY;
	char		 buf[128], l[32];
	int		 pw = w - yw - 1, ph = h - 3, X, Y, i;
	uint32_t	 k;

	snprintf(buf, sizeof buf, " predicted against actual, K=%d: R2 %.3f, "
	    "tau %.3f, %u held out ", fr->row.prefix, fr->r2, fr->kendall,
	    fr->n);
	tui_put(y, x, w, A_BOLD, buf);
	if (fr->n == 0 || ph < 3 || pw < 6) {
		tui_put(y + 2, x + 2, w - 2, A_NORMAL, "no held-out trial");
		return;
	}
	for (k = 0; k < fr->n; k++) {
		if (isfinite(fr->actual[k])) {
			lo = fmin(lo, fr->actual[k]);
			hi = fmax(hi, fr->actual[k]);
		}
		if (isfinite(fr->predicted[k])) {
			lo = fmin(lo, fr->predicted[k]);
			hi = fmax(hi, fr->predicted[k]);
		}
	}
	if (!(hi > lo))
		hi = lo + 1;
	tui_canvas_init(&cv, pw, ph, t->g->braille ? 2 : 1,
	    t->g->braille ? 4 : 1);
	X = pw * cv.dx - 1;
	Y = ph * cv.dy - 1;
	/* The diagonal: a perfect prediction. */
	tui_canvas_line(&cv, 0, Y, X, 0, 1, t->attrs[C_AXIS]);
	for (k = 0; k < fr->n; k++) {
		if (!isfinite(fr->actual[k]) || !isfinite(fr->predicted[k]))
			continue;
		tui_canvas_dot(&cv, (int)lround((fr->actual[k] - lo) /
		    (hi - lo) * X), (int)lround((1 - (fr->predicted[k] - lo) /
		    (hi - lo)) * Y), 2, t->attrs[C_SEL]);
	}
	tui_canvas_draw(t, &cv, y + 1, x + yw + 1, t->g->dot);
	tui_canvas_free(&cv);
	tui_vline(t, y + 1, x + yw, ph, t->attrs[C_AXIS]);
	tui_putf(y + 1, x, yw - 1, t->attrs[C_AXIS], "%8s",
	    tui_fmt_axis(hi, 0, l));
	tui_putf(y + ph, x, yw - 1, t->attrs[C_AXIS], "%8s",
	    tui_fmt_axis(lo, 0, l));
	tui_put(y + 1 + ph / 2, x, yw - 1, t->attrs[C_AXIS], "  pred.");
	tui_put(y + ph + 1, x + yw + 1, pw, t->attrs[C_AXIS],
	    tui_fmt_axis(lo, 0, l));
	tui_fmt_axis(hi, 0, l);
	i = tui_width(l);
	tui_put(y + ph + 1, x + yw + 1 + pw - i, i, t->attrs[C_AXIS], l);
	tui_put(y + ph + 1, x + yw + 1 + pw / 2 - 3, 6, t->attrs[C_AXIS],
	    "actual");
}

#define LCE_TW		82	/* the table with LCE's columns */

/*
 * LCE's R2 and tau after the SVR's columns; "-" where no held-out trial
 * has three points to step K. An R2 far below 0 (an early prefix
 * extrapolated far) loses digits to fit the column.
 */
static void
lce_cells(int y, int tw, int a, const struct rung_fit_row *r)
{
	char	 r2[16], tau[16];

	if (isnan(r->lce_mean.r2))
		snprintf(r2, sizeof r2, "-");
	else if (r->lce_mean.r2 > -10)
		snprintf(r2, sizeof r2, "%.4f", r->lce_mean.r2);
	else if (r->lce_mean.r2 > -1000)
		snprintf(r2, sizeof r2, "%.2f", r->lce_mean.r2);
	else
		snprintf(r2, sizeof r2, "< -999");
	if (isnan(r->lce_mean.kendall))
		snprintf(tau, sizeof tau, "-");
	else
		snprintf(tau, sizeof tau, "%.3f", r->lce_mean.kendall);
	tui_putf(y, 65, tw - 65, a, " %7s %7s", r2, tau);
}

static void
view_fit_draw(struct tui *t, int y, int h)
{
	struct tui_fitview *fv = fit_of(t);
	const struct rung_fit_row *r;
	int		 tw, row, a, th, lce;
	uint32_t	 i;
	char		 tau[32];
	const char	*enough = NULL;

	if (!fv->ready) {
		tui_putf(y + 1, 2, t->cols - 4, A_BOLD, "Fitting nu-SVR on the "
		    "prefixes of '%s' (%u of %u)...", fv->study ? fv->study :
		    "", atomic_load(&fv->job.progress),
		    atomic_load(&fv->job.total));
		return;
	}
	if (fv->nrows == 0) {
		tui_putf(y + 1, 2, t->cols - 4, t->attrs[C_ERR], "fit: %s",
		    fv->cause ? fv->cause : "no prefix to fit on");
		return;
	}
	/* Beside the scatter, the table widens for LCE only if it can spare. */
	if (t->cols >= 120)
		tw = t->cols >= 150 ? LCE_TW : 66;
	else
		tw = t->cols;
	lce = tw >= LCE_TW;
	th = t->cols >= 120 ? h : (int)fv->nrows + 4;
	tui_put(y, 1, tw - 2, A_BOLD, "How early: nu-SVR from steps 1-K to "
	    "the last, held-out trials");
	tui_fill(y + 1, 0, tw, t->attrs[C_HEAD]);
	tui_putf(y + 1, 0, tw, t->attrs[C_HEAD] | A_BOLD,
	    " %6s %5s %7s %6s %6s %6s %9s %6s %5s%s", "PREFIX", "FRAC", "R2",
	    "R2_SD", "TAU", "RHO", "RMSE", "TRAIN", "TEST",
	    lce ? "  LCE_R2 LCE_TAU" : "");
	if (fv->sel >= (int)fv->nrows)
		fv->sel = (int)fv->nrows - 1;
	for (i = 0; i < fv->nrows; i++) {
		if (enough == NULL && fv->rows[i].row.mean.kendall >= 0.8) {
			snprintf(tau, sizeof tau, "%d", fv->rows[i].row.prefix);
			enough = tau;
		}
	}
	for (row = 0; row < th - 3 && row < (int)fv->nrows; row++) {
		r = &fv->rows[row].row;
		a = row == fv->sel ? A_REVERSE : A_NORMAL;
		if (a != A_NORMAL)
			tui_fill(y + 2 + row, 0, tw, a);
		tui_putf(y + 2 + row, 0, tw, a,
		    " %6d %5.2f %7.4f %6.4f %6.3f %6.3f %9.4g %6u %5u",
		    r->prefix, (double)r->prefix / fv->target, r->mean.r2,
		    r->sd.r2, r->mean.kendall, r->mean.spearman, r->mean.rmse,
		    r->n_train, r->n_test);
		if (lce)
			lce_cells(y + 2 + row, tw, a, r);
	}
	row = y + 3 + (int)fv->nrows;
	if (row < y + th) {
		if (enough != NULL)
			tui_putf(row, 1, tw - 2, A_NORMAL, "Kendall's tau "
			    "reaches 0.8 at a prefix of %s of %d steps.",
			    enough, fv->target);
		else
			tui_putf(row, 1, tw - 2, A_NORMAL, "Kendall's tau stays "
			    "under 0.8 up to 90%% of the %d steps.",
			    fv->target);
		if (row + 1 < y + th)
			tui_put(row + 1, 1, tw - 2, t->attrs[C_AXIS], "Enter: "
			    "this prefix on the curves   R: again");
	}
	if (fv->sel >= 0 && fv->sel < (int)fv->nrows) {
		if (t->cols >= 120)
			draw_scatter(t, &fv->rows[fv->sel], y, tw + 1, h,
			    t->cols - tw - 1);
		else if (h - th > 8)
			draw_scatter(t, &fv->rows[fv->sel], y + th, 0, h - th,
			    t->cols);
	}
}

static void
view_fit_key(struct tui *t, enum tui_action a)
{
	struct tui_fitview *fv = fit_of(t);
	int		 n = (int)fv->nrows;

	switch (a) {
	case ACT_DOWN:
		fv->sel++;
		break;
	case ACT_UP:
		fv->sel--;
		break;
	case ACT_PGDN:
	case ACT_BOTTOM:
		fv->sel = n - 1;
		break;
	case ACT_PGUP:
	case ACT_TOP:
		fv->sel = 0;
		break;
	case ACT_RERUN:
		view_fit_start(t, 1);
		return;
	case ACT_SVR_NEXT:
		if (tui_job_running(&fv->job))
			return;
		fv->svr = fv->svr == RUNG_NU_SVR ? RUNG_EPS_SVR :
		    fv->svr == RUNG_EPS_SVR ? RUNG_QSVR : RUNG_NU_SVR;
		view_fit_start(t, 1);
		return;
	case ACT_ENTER:
		if (fv->sel >= 0 && fv->sel < n && t->s != NULL &&
		    fv->gen == t->gen) {
			tui_set_prefix(t, fv->rows[fv->sel].row.prefix);
			tui_set_screen(t, SCR_TRIALS);
		}
		return;
	default:
		return;
	}
	if (fv->sel >= n)
		fv->sel = n - 1;
	if (fv->sel < 0)
		fv->sel = 0;
}

static void
fit_release(struct tui *t)
{
	tui_job_wait(&fit_of(t)->job);
	view_fit_free(fit_of(t));
}

static void
fit_open(struct tui *t)
{
	view_fit_start(t, 0);
}

static void
fit_status(struct tui *t, char *buf, size_t len)
{
	struct tui_fitview *fv = fit_of(t);

	snprintf(buf, len, " fit: %s (%s), prefixes 10%%-90%% of step %d",
	    rung_svr_type_title(fv->svr), fv->svr == RUNG_NU_SVR ?
	    "Swift-Hyperband's defaults" : fv->svr == RUNG_QSVR ?
	    "the authors' fixed settings" : "its defaults",
	    fv->target);
}

static size_t
fit_progress(struct tui *t, const char *spin, char *buf, size_t len)
{
	return tui_job_progress(&fit_of(t)->job, spin, "fit", buf, len);
}

static int
fit_busy(struct tui *t)
{
	return tui_job_running(&fit_of(t)->job);
}

const struct rung_view_ops tui_view_fit = {
	.name = "fit",
	.tab = "3 Fit",
	.heading = "The fit screen (3)",
	.show = ACT_FIT,
	.flags = VIEW_STUDY,
	.size = sizeof (struct tui_fitview),
	.open = fit_open,
	.draw = view_fit_draw,
	.key = view_fit_key,
	.status = fit_status,
	.progress = fit_progress,
	.busy = fit_busy,
	.poll = view_fit_poll,
	.release = fit_release,
};
