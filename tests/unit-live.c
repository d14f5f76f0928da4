/*
 * A study followed as another connection writes it: the trials read since
 * its rev (rung_store_load_changed) merged into it (rung_study_patch) give
 * what reading it whole gives, field by field, whether the points grow in
 * place, shrink (a new pool), or a categorical level renumbers a numeric
 * set; and what cannot be merged (a new parameter, a deleted trial) is
 * told.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/store.h"
#include "rung/study.h"

#include "../src/store-int.h"
#include "tap.h"

static const char *dbpath = "unit-live.db";

static void
cleanup(void)
{
	unlink(dbpath);
	unlink("unit-live.db-wal");
	unlink("unit-live.db-shm");
}

/* One trial: n points of a curve, seconds, and its parameters. */
struct spec {
	const char	*id;
	int		 n;
	const char	*opt;		/* a numeric set: "16", "32", "8" */
	enum rung_status status;
	int		 newparam;	/* a parameter the study lacks */
};

/* Write the trials through a connection of their own, as a follower. */
static uint32_t unchanged;	/* of the last write */

static int
write_trials(const struct spec *sp, size_t n, int with_secs)
{
	struct rung_store *st = NULL;
	struct rung_batch *b = rung_batch_new();
	struct rung_import_opts o;
	struct rung_study_report rep;
	uint32_t	 m, lr, opt, extra = 0, t, r;
	size_t		 i;
	int		 k, rc;
	char		*cause = NULL;

	m = rung_batch_metric(b, "loss");
	lr = rung_batch_param(b, "lr");
	opt = rung_batch_param(b, "width");
	rung_batch_param_decl(b, opt, RUNG_PCAT, 0);
	if (with_secs)
		rung_batch_time_kind(b, RUNG_TIME_STEP, "seconds");
	for (i = 0; i < n; i++) {
		t = rung_batch_trial(b, sp[i].id);
		rung_batch_set_status(b, t, sp[i].status);
		rung_batch_param_real(b, t, lr, 0.01 * (double)(i + 1));
		rung_batch_param_text(b, t, opt, sp[i].opt);
		if (sp[i].newparam) {
			extra = rung_batch_param(b, "momentum");
			rung_batch_param_real(b, t, extra, 0.9);
		}
		for (k = 1; k <= sp[i].n; k++) {
			/* A gap after step 3: steps stored as a blob. */
			r = rung_batch_row(b, t, k + (k > 3 && i % 2 ? 5 : 0));
			rung_batch_set(b, r, m, 1.0 / k + 0.001 * (double)i);
			if (with_secs)
				rung_batch_set_time(b, r, 1.5 * k);
		}
	}
	memset(&o, 0, sizeof o);
	memset(&rep, 0, sizeof rep);
	o.study = "s";
	o.metric = "loss";
	o.follow = 1;
	rep.study = strdup("s");
	rc = rung_batch_finish(b, &o, &cause) == 0 &&
	    rung_store_open(dbpath, 0, &st, &cause) == 0 &&
	    rung_store_import(st, b, &o, &rep, &cause) == 0 ? 0 : -1;
	if (rc != 0)
		printf("# write: %s\n", cause ? cause : "?");
	unchanged = rep.unchanged_trials;
	free(cause);
	rung_store_close(st);
	rung_study_report_release(&rep);
	rung_batch_free(b);
	return rc;
}

static int
same_f(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

/* Whether a (patched) and b (read whole) hold the same study; why not. */
static const char *
differ(const struct rung_study *a, const struct rung_study *b)
{
	uint32_t	 t, k, i;

	if (a->ntrials != b->ntrials)
		return "ntrials";
	if (a->rev != b->rev)
		return "rev";
	if (a->max_step != b->max_step)
		return "max_step";
	if ((a->secs == NULL) != (b->secs == NULL))
		return "secs present";
	for (t = 0; t < a->ntrials; t++) {
		if (strcmp(a->ids[t], b->ids[t]) != 0)
			return "ids";
		if (a->trial_rowid[t] != b->trial_rowid[t])
			return "rowids";
		if (a->status[t] != b->status[t])
			return "status";
		if (a->curve.off[t + 1] != b->curve.off[t + 1])
			return "offsets";
		if (!same_f(a->curve.final[t], b->curve.final[t]) ||
		    !same_f(a->curve.best[t], b->curve.best[t]))
			return "final or best";
	}
	for (k = 0; k < a->curve.off[a->ntrials]; k++) {
		if (a->curve.steps[k] != b->curve.steps[k])
			return "steps";
		if (!same_f(a->curve.vals[k], b->curve.vals[k]))
			return "values";
		if (a->secs != NULL && !same_f(a->secs[k], b->secs[k]))
			return "seconds";
	}
	if (a->nparams != b->nparams)
		return "nparams";
	for (i = 0; i < a->nparams; i++) {
		const struct rung_param *p = &a->params[i], *q = &b->params[i];

		if (strcmp(p->name, q->name) != 0 || p->type != q->type ||
		    p->nlevels != q->nlevels || p->numeric != q->numeric)
			return "parameter";
		for (k = 0; k < p->nlevels; k++) {
			if (strcmp(p->levels[k], q->levels[k]) != 0)
				return "levels";
		}
		for (t = 0; t < a->ntrials; t++) {
			if (p->type == RUNG_PCAT ? p->cat[t] != q->cat[t] :
			    !same_f(p->num[t], q->num[t]))
				return "parameter values";
		}
	}
	return NULL;
}

/*
 * Merge what changed into held and compare with a reading of the whole;
 * the number of trials read as changed, or -1.
 */
static long
follow(struct rung_store *st, struct rung_study *held, const char *what)
{
	struct rung_study *p = NULL, *whole = NULL;
	uint32_t	 nstore = 0, *map = NULL;
	const char	*why;
	char		*cause = NULL;
	long		 n = -1;

	if (rung_store_load_changed(st, held, &p, &nstore, &cause) != 0) {
		ok(0, "%s: read the changes (%s)", what, cause);
		free(cause);
		return -1;
	}
	n = (long)p->ntrials;
	ok(rung_study_patch(held, p, &map) == 0, "%s: merged", what);
	ok(rung_store_load(st, "s", NULL, 0, &whole, &cause) == 0,
	    "%s: read whole", what);
	why = whole != NULL ? differ(held, whole) : "not read";
	ok(why == NULL, "%s: as read whole (%s)", what, why ? why : "same");
	is_int(nstore, held->ntrials, "%s: the store's count", what);
	rung_study_free(whole);
	rung_study_free(p);
	free(map);
	return n;
}

static uint32_t
trial_of(const struct rung_study *s, const char *id)
{
	uint32_t	 t;

	for (t = 0; t < s->ntrials && strcmp(s->ids[t], id) != 0; t++)
		;
	return t;
}

static void
want_all(const struct rung_study *s, uint8_t *mark, void *arg)
{
	memset(mark, *(int *)arg, s->ntrials);
}

/*
 * The study read light (schema 10's summaries, the tails added) gives
 * what reading it whole gives, trial by trial, in either direction: the
 * points, last step, final and best; and the points themselves of the
 * trials asked for.
 */
static void
light_same(struct rung_store *st, enum rung_direction dir, int all,
    const char *what)
{
	struct rung_study *w = NULL, *l = NULL;
	uint32_t	 t, k, bad = 0, badpts = 0;
	char		*cause = NULL;

	ok(rung_store_load(st, "s", NULL, dir, &w, &cause) == 0 &&
	    rung_store_load_light(st, "s", NULL, dir, 2, want_all, &all, &l,
	    &cause) == 0, "%s: read whole and light", what);
	if (w == NULL || l == NULL)
		goto out;
	is_int(l->ntrials, w->ntrials, "%s: the trials", what);
	is_int(l->curve.off[l->ntrials], w->curve.off[w->ntrials],
	    "%s: the points", what);
	is_int(l->max_step, w->max_step, "%s: the last step", what);
	for (t = 0; t < w->ntrials && t < l->ntrials; t++) {
		if (rung_curve_len(l, t) != rung_curve_len(w, t) ||
		    rung_trial_last_step(l, t) != rung_trial_last_step(w, t) ||
		    !same_f(l->curve.final[t], w->curve.final[t]) ||
		    !same_f(l->curve.best[t], w->curve.best[t]))
			bad++;
		for (k = 0; all && k < rung_curve_len(w, t) &&
		    rung_curve_len(l, t) == rung_curve_len(w, t); k++) {
			if (l->curve.steps[l->curve.off[t] + k] !=
			    w->curve.steps[w->curve.off[t] + k] ||
			    !same_f(l->curve.vals[l->curve.off[t] + k],
			    w->curve.vals[w->curve.off[t] + k]))
				badpts++;
		}
	}
	is_int(bad, 0, "%s: each trial's summary", what);
	/* The parameters of the first 2 trials, the others' unset. */
	for (t = 0, bad = 0; t < w->ntrials && t < l->ntrials; t++) {
		const struct rung_param *pw = &w->params[0], *pl = &l->params[0];

		if (t < 2 ? !same_f(pl->num[t], pw->num[t]) : !isnan(pl->num[t]))
			bad++;
	}
	is_int(l->nparams, w->nparams, "%s: the parameters", what);
	is_int(bad, 0, "%s: the first trials' parameters", what);
	is_int(badpts, 0, "%s: the points of the trials asked for", what);
out:
	rung_study_free(w);
	rung_study_free(l);
	free(cause);
}

/*
 * A running campaign's points after a trial's first are rows of curve_tail
 * (schema 9), metric 0 its seconds, until its run ends: every reader takes
 * them after the curve's own. a is in the middle of the pool (its curve is
 * moved aside), e last; the others read as before.
 */
static void
tails(struct rung_store *st, struct rung_study *held)
{
	struct rung_study *before = NULL, *after = NULL;
	struct rung_study_info info;
	struct rung_exact x;
	uint32_t	 t, k, a, e, n;
	int64_t		 points;
	char		*cause = NULL;

	ok(rung_store_load(st, "s", NULL, 0, &before, &cause) == 0,
	    "tails: read whole before");
	ok(rung_store_study(st, "s", &info, &cause) == 0, "tails: counts");
	points = info.npoints;
	rung_study_info_release(&info);
	ok(sqlite3_exec(rung_store_db(st),
	    "INSERT INTO curve_tail (trial_id, step, metric_id, value)"
	    " SELECT t.id, v.column1, m.id, v.column2 FROM trials t, metrics m,"
	    " (VALUES (3, 0.3), (4, 0.4)) v WHERE t.ext_id = 'a'"
	    " AND m.name = 'loss';"
	    "INSERT INTO curve_tail (trial_id, step, metric_id, value)"
	    " SELECT t.id, v.column1, m.id, v.column2 FROM trials t, metrics m,"
	    " (VALUES (4, 0.25), (5, 0.2), (6, NULL)) v WHERE t.ext_id = 'e'"
	    " AND m.name = 'loss';"
	    "INSERT INTO curve_tail (trial_id, step, metric_id, value)"
	    " SELECT t.id, v.column1, 0, v.column2 FROM trials t,"
	    " (VALUES (4, 6.0), (5, 7.5)) v WHERE t.ext_id = 'e';"
	    "UPDATE studies SET rev = rev + 1;"
	    "UPDATE trials SET rev = (SELECT rev FROM studies)"
	    " WHERE ext_id IN ('a', 'e')", NULL, NULL, NULL) == SQLITE_OK,
	    "tails: a and e report on");
	is_int(follow(st, held, "tails"), 2, "tails: 2 trials read");
	ok(rung_store_load(st, "s", NULL, 0, &after, &cause) == 0,
	    "tails: read whole after");
	if (before == NULL || after == NULL)
		goto out;
	a = trial_of(after, "a");
	e = trial_of(after, "e");
	ok(a < after->ntrials && e < after->ntrials, "tails: a and e");
	if (a >= after->ntrials || e >= after->ntrials)
		goto out;
	for (t = 0; t < after->ntrials; t++) {
		n = before->curve.off[t + 1] - before->curve.off[t];
		is_int(after->curve.off[t + 1] - after->curve.off[t],
		    n + (t == a ? 2 : t == e ? 3 : 0), "tails: %s's points",
		    after->ids[t]);
		for (k = 0; k < n; k++) {
			if (after->curve.steps[after->curve.off[t] + k] !=
			    before->curve.steps[before->curve.off[t] + k] ||
			    !same_f(after->curve.vals[after->curve.off[t] + k],
			    before->curve.vals[before->curve.off[t] + k]))
				break;
		}
		ok(k == n, "tails: %s's curve comes first", after->ids[t]);
	}
	k = after->curve.off[a + 1] - 2;
	ok(after->curve.steps[k] == 3 && after->curve.steps[k + 1] == 4 &&
	    after->curve.vals[k] == (float)0.3 &&
	    after->curve.vals[k + 1] == (float)0.4, "tails: a's tail last");
	ok(after->curve.final[a] == 0.4, "tails: a's final value its tail's");
	k = after->curve.off[e + 1] - 3;
	ok(after->curve.steps[k] == 4 && after->curve.steps[k + 2] == 6 &&
	    after->curve.vals[k + 1] == (float)0.2 &&
	    isnan(after->curve.vals[k + 2]), "tails: e's, NULL a NaN");
	ok(after->curve.best[e] == 0.2, "tails: e's best is in its tail");
	light_same(st, 0, 1, "tails, light");
	light_same(st, RUNG_MAX, 0, "tails, light, max");
	ok(after->secs != NULL && after->secs[k] == 6.0f &&
	    after->secs[k + 1] == 7.5f && isnan(after->secs[k + 2]),
	    "tails: e's seconds, aligned");

	/* One trial's exact read, and the study's counts. */
	ok(rung_exact_open(st, after->id, &x, &cause) == 0 &&
	    rung_exact_read(st, &x, after->trial_rowid[e], &cause) == 0,
	    "tails: e read exactly");
	ok(x.nmetrics == 1 && x.curves[0].n == 6 &&
	    x.curves[0].steps[5] == 6 && isnan(x.curves[0].vals[5]) &&
	    x.curves[0].vals[3] == 0.25, "tails: e's 6 points, exactly");
	ok(x.secs.n == 5 && x.secs.steps[4] == 5 && x.secs.vals[4] == 7.5,
	    "tails: e's seconds, exactly");
	is_int(x.ntail, 5, "tails: 5 of them from the tail");
	rung_exact_release(&x);
	ok(rung_store_study(st, "s", &info, &cause) == 0 &&
	    info.npoints == points + 5, "tails: the study counts them");
	rung_study_info_release(&info);
out:
	rung_study_free(before);
	rung_study_free(after);
	free(cause);
}

int
main(void)
{
	static const struct spec first[] = {
		{ "a", 6, "16", RUNG_COMPLETE, 0 },
		{ "b", 4, "32", RUNG_RUNNING, 0 },
		{ "c", 5, "16", RUNG_RUNNING, 0 },
		{ "d", 0, "32", RUNG_FAILED, 0 },
	};
	/* c grows, d gets points, e is new with a width before the others. */
	static const struct spec grow[] = {
		{ "c", 9, "16", RUNG_COMPLETE, 0 },
		{ "d", 2, "32", RUNG_RUNNING, 0 },
		{ "e", 3, "8", RUNG_RUNNING, 0 },
	};
	/*
	 * a and c written again shorter: the points of b, between them,
	 * would be overwritten by d's moved left in place: a new pool.
	 */
	static const struct spec shrink[] = {
		{ "a", 2, "16", RUNG_STOPPED, 0 },
		{ "c", 1, "16", RUNG_COMPLETE, 0 },
	};
	static const struct spec newparam[] = {
		{ "f", 2, "16", RUNG_RUNNING, 1 },
	};
	struct rung_store *st = NULL;
	struct rung_study *held = NULL, *p = NULL, *whole = NULL;
	uint32_t	 nstore = 0, oldn;
	uint32_t	*map = NULL;
	int64_t		 rev = -1;
	char		*cause = NULL;

	cleanup();
	ok(write_trials(first, 4, 1) == 0, "a study of 4 trials");
	ok(rung_store_open(dbpath, 0, &st, &cause) == 0, "the reader's open");
	ok(rung_store_load(st, "s", NULL, 0, &held, &cause) == 0,
	    "read whole");
	is_int(held->rev, 1, "its rev is 1: one write");

	/* Nothing written: nothing read, nothing changed. */
	is_int(follow(st, held, "no write"), 0, "no write: no trial read");
	/* The same read again by a follower: not written, not read. */
	ok(write_trials(first, 4, 1) == 0, "the same 4 trials again");
	is_int(unchanged, 4, "all 4 unchanged");
	is_int(follow(st, held, "the same again"), 0,
	    "the same again: no trial read");

	ok(write_trials(grow, 3, 1) == 0, "c and d grow, e is new");
	ok(rung_store_study_rev(st, held->id, &rev, &cause) == 0 && rev == 2,
	    "the study's rev is 2");
	is_int(follow(st, held, "grown"), 3, "grown: 3 trials read");
	is_str(held->ids[4], "e", "e comes last");
	is_str(held->params[1].levels[0], "8",
	    "the new level 8 goes before 16 and 32 (a numeric set)");

	ok(write_trials(shrink, 2, 0) == 0, "a and c written again, shorter, "
	    "without seconds");
	is_int(follow(st, held, "shrunk"), 2, "shrunk: 2 trials read");
	is_int(held->status[0], RUNG_STOPPED, "a is stopped now");

	tails(st, held);

	/* A new parameter: refused, the study left as it was. */
	ok(write_trials(newparam, 1, 1) == 0, "f brings a parameter");
	ok(rung_store_load_changed(st, held, &p, &nstore, &cause) == 0,
	    "read f");
	oldn = held->ntrials;
	ok(rung_study_patch(held, p, &map) == 1 && map == NULL,
	    "a new parameter cannot be merged");
	is_int(held->ntrials, oldn, "the study is as it was");
	rung_study_free(p);
	p = NULL;

	/* Read whole again; then a deleted trial shows in the count. */
	rung_study_free(held);
	held = NULL;
	ok(rung_store_load(st, "s", NULL, 0, &held, &cause) == 0,
	    "read whole again");
	ok(sqlite3_exec(rung_store_db(st), "DELETE FROM trials WHERE"
	    " ext_id = 'b'", NULL, NULL, NULL) == SQLITE_OK, "b deleted");
	ok(rung_store_load_changed(st, held, &p, &nstore, &cause) == 0,
	    "read the changes");
	ok(p->ntrials == 0 && nstore + 1 == held->ntrials,
	    "no trial changed, and the store has one trial fewer: a deletion");
	rung_study_free(p);
	p = NULL;

	/* A study gone: its rev says so. */
	ok(sqlite3_exec(rung_store_db(st), "DELETE FROM studies", NULL, NULL,
	    NULL) == SQLITE_OK, "the study deleted");
	is_int(rung_store_study_rev(st, held->id, &rev, &cause), 1,
	    "its rev: no such study");

	rung_study_free(whole);
	rung_study_free(held);
	rung_store_close(st);
	free(cause);
	cleanup();
	return done_testing();
}
