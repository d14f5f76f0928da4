/* The batch: grouping, ordering, merging, candidates, time, metric choice. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"
#include "tap.h"

static void
cell(struct rung_batch *b, uint32_t row, uint32_t col, const char *text)
{
	rung_batch_cell(b, row, col, text, strlen(text));
}

static void
test_merge(void)
{
	struct rung_batch *b = rung_batch_new();
	struct rung_import_opts o;
	struct rung_batch_view v;
	uint32_t	 ta, tb, m, r, n;
	const int32_t	*steps;
	const double	*vals;
	char		*cause = NULL;

	rung_import_opts_init(&o);
	rung_batch_source(b, "mem", "test", "d", 0);
	m = rung_batch_metric(b, "loss");
	ta = rung_batch_trial(b, "a");
	tb = rung_batch_trial(b, "b");
	/* Interleaved, out of order, one step twice. */
	r = rung_batch_row(b, ta, 3); rung_batch_set(b, r, m, 0.3);
	r = rung_batch_row(b, tb, 1); rung_batch_set(b, r, m, 1.1);
	r = rung_batch_row(b, ta, 1); rung_batch_set(b, r, m, 0.1);
	r = rung_batch_row(b, ta, 2); rung_batch_set(b, r, m, NAN);
	r = rung_batch_row(b, ta, 3); rung_batch_set(b, r, m, 0.33);
	r = rung_batch_row(b, tb, 2);	/* a row with no value: missing */
	is_int(rung_batch_trial(b, "a"), ta, "a trial is found again by id");
	ok(rung_batch_finish(b, &o, &cause) == 0, "finish");
	rung_batch_view(b, &v);
	is_int(v.ntrials, 2, "two trials");
	is_int(v.npoints, 4, "four points after merging, missing left out");
	is_int(v.nduplicates, 1, "one duplicate counted");
	n = rung_batch_curve(b, ta, 0, &steps, &vals);
	is_int(n, 3, "trial a has three steps");
	ok(steps[0] == 1 && steps[1] == 2 && steps[2] == 3, "sorted by step");
	is_dbl(vals[0], 0.1, "step 1 value");
	ok(isnan(vals[1]), "NaN kept as a value, not dropped");
	is_dbl(vals[2], 0.33, "the last value of a duplicate step wins");
	n = rung_batch_curve(b, tb, 0, &steps, &vals);
	is_int(n, 1, "trial b: the empty row adds no point");
	is_str(v.metric, "loss", "the only metric is the metric of interest");
	is_int(v.direction, RUNG_MIN, "loss is minimized");
	rung_batch_free(b);
}

static void
test_candidates(void)
{
	struct rung_batch *b = rung_batch_new();
	struct rung_import_opts o;
	struct rung_batch_view v;
	struct rung_batch_value pv;
	uint32_t	 t0, t1, acc, lr, bs, opt, host, r;
	uint32_t	 i;
	char		*cause = NULL;

	rung_import_opts_init(&o);
	rung_batch_source(b, "mem", "test", "d", 0);
	acc = rung_batch_candidate(b, "val_acc");
	lr = rung_batch_candidate(b, "lr");
	bs = rung_batch_candidate(b, "batch");
	opt = rung_batch_candidate(b, "optimizer");
	host = rung_batch_candidate(b, "host");
	t0 = rung_batch_trial(b, "0");
	t1 = rung_batch_trial(b, "1");
	for (i = 1; i <= 3; i++) {
		r = rung_batch_row(b, t0, (int32_t)i);
		cell(b, r, acc, i == 1 ? "0.5" : i == 2 ? "0.6" : "0.7");
		cell(b, r, lr, "0.001");
		cell(b, r, bs, "64");
		cell(b, r, opt, "adam");
		cell(b, r, host, i == 2 ? "node2" : "node1");
		r = rung_batch_row(b, t1, (int32_t)i);
		cell(b, r, acc, "0.4");
		cell(b, r, lr, "1e-2");
		cell(b, r, bs, "128");
		cell(b, r, opt, "sgd");
		cell(b, r, host, "node1");
	}
	ok(rung_batch_finish(b, &o, &cause) == 0, "finish");
	rung_batch_view(b, &v);
	is_int(v.nmetrics, 1, "only val_acc varies within a trial");
	is_str(v.metric, "val_acc", "val_acc is the metric of interest");
	is_int(v.direction, RUNG_MAX, "accuracy is maximized");
	is_int(v.nparams, 3, "lr, batch and optimizer are parameters; host "
	    "(text varying within a trial) is left out");
	for (i = 0; i < v.nparams; i++) {
		const char *name = rung_batch_param_name(b, i);

		if (strcmp(name, "lr") == 0) {
			is_int(rung_batch_param_type(b, i), RUNG_PREAL,
			    "lr is real");
			rung_batch_trial_param(b, t1, i, &pv);
			is_dbl(pv.d, 1e-2, "lr of trial 1 read from '1e-2'");
		} else if (strcmp(name, "batch") == 0) {
			is_int(rung_batch_param_type(b, i), RUNG_PINT,
			    "batch is int");
			rung_batch_trial_param(b, t1, i, &pv);
			is_int(pv.i, 128, "batch of trial 1");
		} else if (strcmp(name, "optimizer") == 0) {
			is_int(rung_batch_param_type(b, i), RUNG_PCAT,
			    "optimizer is categorical");
			rung_batch_trial_param(b, t0, i, &pv);
			is_str(pv.text, "adam", "optimizer of trial 0");
		} else
			ok(0, "unexpected parameter %s", name);
	}
	rung_batch_free(b);

	/* Asking for a metric that is not there names the ones that are. */
	b = rung_batch_new();
	rung_batch_source(b, "mem", "test", "d", 0);
	acc = rung_batch_metric(b, "acc");
	r = rung_batch_row(b, rung_batch_trial(b, "x"), 1);
	rung_batch_set(b, r, acc, 1);
	o.metric = "loss";
	ok(rung_batch_finish(b, &o, &cause) != 0, "missing -m metric fails");
	ok(cause != NULL && strstr(cause, "'loss'") && strstr(cause, "'acc'"),
	    "the message names the wanted and the found metrics: %s", cause);
	free(cause);
	rung_batch_free(b);
}

/*
 * Rows of a step read again merge as they arrive: the last value read
 * wins, every overwritten value is counted once, and a field set twice in
 * one arrival is no duplicate. Interleaved (several rows open at once, as
 * a wide CSV record opens one a step) and shuffled, through the growth of
 * the table of rows.
 */
static void
test_merge_on_arrival(void)
{
	struct rung_batch *b = rung_batch_new();
	struct rung_import_opts o;
	struct rung_batch_view v;
	uint32_t	 ta, tb, loss, acc, r, r1, r2, n, i, k, s;
	uint64_t	 dup;
	const int32_t	*steps;
	const double	*vals;
	char		*cause = NULL;
	int		 good;

	rung_import_opts_init(&o);
	rung_batch_source(b, "mem", "test", "d", 0);
	loss = rung_batch_metric(b, "loss");
	acc = rung_batch_metric(b, "acc");
	ta = rung_batch_trial(b, "a");
	tb = rung_batch_trial(b, "b");
	r = rung_batch_row(b, ta, 1);
	rung_batch_set(b, r, loss, 0.9);
	rung_batch_set(b, r, loss, 0.8);	/* same arrival: no duplicate */
	rung_batch_set(b, r, acc, 0.1);
	rung_batch_set_time(b, r, 5);
	r = rung_batch_row(b, ta, 2);
	rung_batch_set(b, r, loss, 0.7);
	/* A million rows of step 1 again: one row, each value counted. */
	for (i = 0; i < 1000000; i++) {
		r = rung_batch_row(b, ta, 1);
		rung_batch_set(b, r, loss, 0.5);
	}
	r1 = rung_batch_row(b, ta, 1);
	r2 = rung_batch_row(b, ta, 2);
	rung_batch_set(b, r1, loss, 0.25);
	rung_batch_set(b, r2, loss, 0.125);
	rung_batch_set(b, r1, loss, 0.3);	/* r1's arrival again: not */
	rung_batch_set(b, r2, acc, 0.4);	/* was missing: not */
	ok(r1 != r2, "two steps of one trial open at once are two rows");
	r = rung_batch_row(b, ta, 2);	/* comes again, sets nothing */
	r = rung_batch_row(b, ta, 1);
	rung_batch_set_time(b, r, 6);
	/* Trial b: 3000 steps shuffled, each read twice. */
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 3000; i++) {
			s = (i * 1237) % 3000;
			r = rung_batch_row(b, tb, (int32_t)s);
			rung_batch_set(b, r, loss, k == 0 ? -1.0 : (double)s);
		}
	}
	ok(rung_batch_finish(b, &o, &cause) == 0, "finish");
	rung_batch_view(b, &v);
	/* 1000000 + 1 for step 1, 1 for step 2, 3000 for b. */
	dup = 1000000 + 1 + 1 + 3000;
	is_int(v.nduplicates, dup, "every overwritten value counted once");
	is_int(v.npoints, 2 + 2 + 3000, "points of distinct steps");
	n = rung_batch_curve(b, ta, 0, &steps, &vals);
	is_int(n, 2, "trial a keeps two steps");
	is_dbl(vals[0], 0.3, "step 1: the last value read");
	is_dbl(vals[1], 0.125, "step 2: a later row with no value leaves it");
	n = rung_batch_curve(b, ta, 1, &steps, &vals);
	is_int(n, 2, "acc at both steps");
	is_dbl(vals[1], 0.4, "acc of step 2, first given late");
	n = rung_batch_times(b, ta, &steps, &vals);
	is_dbl(vals[0], 6, "the last time read");
	n = rung_batch_curve(b, tb, 0, &steps, &vals);
	is_int(n, 3000, "trial b keeps 3000 steps");
	good = 1;
	for (i = 0; i < n; i++)
		if (steps[i] != (int32_t)i || vals[i] != (double)i)
			good = 0;
	ok(good, "each in order with its last value");
	rung_batch_free(b);

	/*
	 * A candidate repeated with another value at the same step varies
	 * only if the values kept do: as when rows merged at the end.
	 */
	b = rung_batch_new();
	rung_batch_source(b, "mem", "test", "d", 0);
	loss = rung_batch_candidate(b, "loss");
	acc = rung_batch_candidate(b, "wd");
	ta = rung_batch_trial(b, "a");
	for (i = 0; i < 3; i++) {
		r = rung_batch_row(b, ta, 1);
		cell(b, r, loss, i == 2 ? "0.5" : "0.6");
		cell(b, r, acc, "0.01");
		r = rung_batch_row(b, ta, 2);
		cell(b, r, loss, "0.4");
		cell(b, r, acc, "0.01");
	}
	ok(rung_batch_finish(b, &o, &cause) == 0, "finish");
	rung_batch_view(b, &v);
	is_int(v.nmetrics, 1, "loss varies, wd does not");
	is_str(v.metric, "loss", "loss is the metric");
	is_int(v.nparams, 1, "wd is a parameter");
	is_int(v.nduplicates, 4, "loss's overwritten values counted, not wd's");
	n = rung_batch_curve(b, ta, 0, &steps, &vals);
	is_dbl(vals[0], 0.5, "the last loss of step 1");
	rung_batch_free(b);

	/* The same step over and over, one constant column: no metric. */
	b = rung_batch_new();
	rung_batch_source(b, "mem", "test", "d", 0);
	loss = rung_batch_candidate(b, "loss");
	ta = rung_batch_trial(b, "a");
	for (i = 0; i < 100000; i++) {
		r = rung_batch_row(b, ta, 1);
		cell(b, r, loss, "0.5");
	}
	ok(rung_batch_finish(b, &o, &cause) != 0, "constant: no study");
	ok(cause != NULL && strstr(cause, "no metric found: every column is "
	    "constant within each trial") != NULL, "and why: %s", cause);
	free(cause);
	rung_batch_free(b);
}

static void
test_time(enum rung_time_kind kind, const char *name, const double *raw,
    const double *want, const char *what)
{
	struct rung_batch *b = rung_batch_new();
	struct rung_import_opts o;
	uint32_t	 t, m, r, i, n;
	const int32_t	*steps;
	const double	*secs;
	char		*cause = NULL;
	int		 same = 1;

	rung_import_opts_init(&o);
	rung_batch_source(b, "mem", "test", "d", 0);
	m = rung_batch_metric(b, "loss");
	rung_batch_time_kind(b, kind, name);
	t = rung_batch_trial(b, "t");
	for (i = 0; i < 4; i++) {
		r = rung_batch_row(b, t, (int32_t)i + 1);
		rung_batch_set(b, r, m, 1.0 / (i + 1));
		rung_batch_set_time(b, r, raw[i]);
	}
	rung_batch_finish(b, &o, &cause);
	n = rung_batch_times(b, t, &steps, &secs);
	for (i = 0; i < 4 && n == 4; i++) {
		if (!(secs[i] == want[i] || (isnan(secs[i]) && isnan(want[i]))))
			same = 0;
	}
	ok(n == 4 && same, "%s", what);
	rung_batch_free(b);
}

static char	*warned;

static void
keep_warning(int is_error, const char *msg)
{
	free(warned);
	warned = strdup(msg);
}

/*
 * A trial given twice (JSON Lines appended to by a resumed run) is one,
 * its rows merged; a parameter it is given again keeps the last value,
 * and a value that differs from the one before is counted and told.
 */
static void
test_param_conflicts(void)
{
	struct rung_batch *b = rung_batch_new();
	struct rung_import_opts o;
	struct rung_batch_view v;
	struct rung_batch_value pv;
	uint32_t	 ta, tb, m, lr, opt, bs, wd, r;
	char		*cause = NULL;

	rung_import_opts_init(&o);
	rung_batch_source(b, "one.jsonl", "test", "d", 0);
	m = rung_batch_metric(b, "loss");
	ta = rung_batch_trial(b, "a");
	tb = rung_batch_trial(b, "b");
	r = rung_batch_row(b, ta, 1);
	rung_batch_set(b, r, m, 0.5);
	lr = rung_batch_param(b, "lr");
	opt = rung_batch_param(b, "opt");
	bs = rung_batch_param(b, "bs");
	wd = rung_batch_param(b, "wd");
	rung_batch_param_real(b, ta, lr, 0.1);
	rung_batch_param_text(b, ta, opt, "adam");
	rung_batch_param_int(b, ta, bs, 32);
	rung_batch_param_token(b, ta, wd, "0.010", 5);
	rung_batch_param_real(b, tb, lr, NAN);

	/* The same values, written otherwise: no conflict. */
	rung_batch_source(b, "two.jsonl", "test", "d", 0);
	rung_batch_param_real(b, ta, lr, 0.1);
	rung_batch_param_text(b, ta, opt, "adam");
	rung_batch_param_real(b, ta, bs, 32.0);
	rung_batch_param_token(b, ta, wd, "1e-2", 4);
	rung_batch_param_real(b, tb, lr, NAN);
	/* An empty cell is no value: it leaves the one before. */
	rung_batch_param_token(b, ta, opt, "", 0);
	/* Another value: counted, the last kept. */
	rung_batch_param_text(b, ta, opt, "sgd");
	rung_batch_param_int(b, ta, bs, 64);
	rung_batch_param_real(b, tb, lr, 0.2);

	rung_msg_hook = keep_warning;
	ok(rung_batch_finish(b, &o, &cause) == 0, "finish");
	rung_msg_hook = NULL;
	rung_batch_view(b, &v);
	is_int(v.nparam_conflicts, 3, "three parameter values given anew");
	is_int(v.nduplicates, 0, "no metric value given twice");
	rung_batch_trial_param(b, ta, opt, &pv);
	ok(pv.set && strcmp(pv.text, "sgd") == 0, "the last value is kept");
	rung_batch_trial_param(b, ta, bs, &pv);
	ok(pv.set && pv.i == 64, "an int is kept as the last one read");
	rung_batch_trial_param(b, ta, wd, &pv);
	ok(pv.set && pv.d == 0.01, "a token read again keeps its value");
	is_str(warned, "two.jsonl: 3 parameter values were given more than "
	    "once for the same trial, and differently: the last one read was "
	    "kept (the first: trial 'a', parameter 'opt': 'adam', then "
	    "'sgd')", "the warning names the first trial and parameter");
	rung_batch_free(b);
	free(warned);
	warned = NULL;

	/* One value: "was"; text cut at 40 bytes, between two characters. */
	b = rung_batch_new();
	rung_batch_source(b, "x", "test", "d", 0);
	m = rung_batch_metric(b, "loss");
	ta = rung_batch_trial(b, "a");
	rung_batch_set(b, rung_batch_row(b, ta, 1), m, 1);
	lr = rung_batch_param(b, "note");
	rung_batch_param_text(b, ta, lr, "a very long note that goes on and on "
	    "\303\251\303\251\303\251 past forty bytes");
	rung_batch_param_real(b, ta, lr, 1.5);
	rung_msg_hook = keep_warning;
	ok(rung_batch_finish(b, &o, &cause) == 0, "finish");
	rung_msg_hook = NULL;
	is_str(warned, "x: 1 parameter value was given more than once for "
	    "the same trial, and differently: the last one read was kept "
	    "(the first: trial 'a', parameter 'note': 'a very long note that "
	    "goes on and on \303\251...', then 1.5)",
	    "long text is cut between two characters");
	rung_batch_free(b);
	free(warned);
	warned = NULL;
}

/*
 * The same records read into a batch that holds them all and into one
 * whose budget spills before every record: trials interleaved and out of
 * order, steps read again (duplicates, some across runs), a metric that
 * starts midway, a candidate that varies and one that does not, a text
 * candidate, times. Both must finish to the same batch.
 */
static struct rung_batch *
spill_feed(size_t budget, char **cause)
{
	struct rung_batch *b = rung_batch_new();
	struct rung_import_opts o;
	uint32_t	 t, r, loss, acc = 0, lr, noise, opt, i;
	uint64_t	 x = 88172645463325252ULL;
	char		 id[16], tok[32];
	int32_t		 step;

	rung_import_opts_init(&o);
	if (budget != 0)
		rung_batch_budget(b, budget);
	rung_batch_source(b, "mem", "test", "d", 0);
	rung_batch_time_kind(b, RUNG_TIME_AUTO, "elapsed");
	loss = rung_batch_metric(b, "loss");
	lr = rung_batch_candidate(b, "lr");
	noise = rung_batch_candidate(b, "noise");
	opt = rung_batch_candidate(b, "opt");
	for (i = 0; i < 3000; i++) {
		/* xorshift64: the same records each time. */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		snprintf(id, sizeof id, "t%u", (unsigned)(x % 37));
		t = rung_batch_trial(b, id);
		step = (int32_t)(x >> 20) % 60;
		r = rung_batch_record(b, t, step);
		if (x % 11 != 0)
			rung_batch_set(b, r, loss, (double)(x % 1000) / 7);
		if (i == 1000)
			acc = rung_batch_metric(b, "acc");
		if (i >= 1000 && x % 3 == 0)
			rung_batch_set(b, r, acc, (double)(x % 97));
		snprintf(tok, sizeof tok, "%g", 0.001 * (t + 1));
		rung_batch_cell(b, r, lr, tok, strlen(tok));
		snprintf(tok, sizeof tok, "%u", (unsigned)(x % 5));
		rung_batch_cell(b, r, noise, tok, strlen(tok));
		rung_batch_cell(b, r, opt, t % 2 ? "adam" : "sgd", t % 2 ? 4 :
		    3);
		rung_batch_set_time(b, r, 1000.0 * step + (double)t);
	}
	if (rung_batch_finish(b, &o, cause) != 0) {
		rung_batch_free(b);
		return NULL;
	}
	return b;
}

static void
test_spill(void)
{
	struct rung_batch *a, *b;
	struct rung_batch_view va, vb;
	struct rung_batch_value pa, pb;
	const int32_t	*sa, *sb;
	const double	*xa, *xb;
	uint32_t	 t, m, p, na, nb;
	char		*cause = NULL;
	int		 same = 1, nonempty = 0;

	a = spill_feed(0, &cause);
	b = spill_feed(1, &cause);
	ok(a != NULL && b != NULL, "both finish");
	if (a == NULL || b == NULL)
		return;
	ok(rung_batch_failed(b) == NULL, "the spill file read back");
	rung_batch_view(a, &va);
	rung_batch_view(b, &vb);
	is_int(vb.ntrials, va.ntrials, "spilled: the same trials");
	is_int(vb.npoints, va.npoints, "spilled: the same points");
	ok(va.nduplicates > 0, "some values were read twice");
	is_int(vb.nduplicates, va.nduplicates, "spilled: the same duplicates");
	is_int(vb.nmetrics, va.nmetrics, "spilled: the same metrics");
	is_int(vb.nparams, va.nparams, "spilled: the same parameters");
	ok(va.has_time && vb.has_time, "both have times");
	for (m = 0; m < va.nmetrics && m < vb.nmetrics; m++)
		if (strcmp(rung_batch_metric_name(a, m),
		    rung_batch_metric_name(b, m)) != 0)
			same = 0;
	for (t = 0; t < va.ntrials && t < vb.ntrials; t++) {
		if (strcmp(rung_batch_trial_id(a, t),
		    rung_batch_trial_id(b, t)) != 0)
			same = 0;
		for (m = 0; m < va.nmetrics && m < vb.nmetrics; m++) {
			na = rung_batch_curve(a, t, m, &sa, &xa);
			/* a's scratch is its own: b's curve leaves it. */
			nb = rung_batch_curve(b, t, m, &sb, &xb);
			nonempty += na > 0;
			if (na != nb || memcmp(sa, sb, na * sizeof *sa) != 0 ||
			    memcmp(xa, xb, na * sizeof *xa) != 0)
				same = 0;
		}
		na = rung_batch_times(a, t, &sa, &xa);
		nb = rung_batch_times(b, t, &sb, &xb);
		if (na != nb || memcmp(sa, sb, na * sizeof *sa) != 0 ||
		    memcmp(xa, xb, na * sizeof *xa) != 0)
			same = 0;
		for (p = 0; p < va.nparams && p < vb.nparams; p++) {
			rung_batch_trial_param(a, t, p, &pa);
			rung_batch_trial_param(b, t, p, &pb);
			if (pa.set != pb.set || pa.type != pb.type ||
			    pa.i != pb.i || !(pa.d == pb.d ||
			    (isnan(pa.d) && isnan(pb.d))) ||
			    (pa.text == NULL) != (pb.text == NULL) ||
			    (pa.text != NULL && strcmp(pa.text, pb.text) != 0))
				same = 0;
		}
	}
	ok(nonempty > 0, "curves were compared");
	ok(same, "spilled: every curve, time and parameter the same");
	/* Read out of order, a spilled batch reads its runs again. */
	na = rung_batch_curve(a, 3, 0, &sa, &xa);
	nb = rung_batch_curve(b, 3, 0, &sb, &xb);
	ok(na == nb && na > 0 && memcmp(xa, xb, na * sizeof *xa) == 0,
	    "spilled: a trial read again, after later ones");
	rung_batch_free(a);
	rung_batch_free(b);
}

/* Is a block of the batch's trial memory mapped from its file? */
static int
mapped_file(void)
{
	char	 line[512];
	FILE	*f = fopen("/proc/self/maps", "r");
	int	 found = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL)
		found |= strstr(line, "rung-trials") != NULL;
	fclose(f);
	return found;
}

/*
 * Trial memory: on the heap within half the budget, past it mapped from a
 * file whose pages the batch lets go as it goes (a quarter of a 16 KiB
 * budget: at every look). What was written reads back, through growing
 * blocks and pages let go; new bytes are zero. The batch's table of ids
 * takes 4 KiB of the heap's 8 from the start.
 */
static void
test_mem(void)
{
	struct rung_batch *b = rung_batch_new();
	uint64_t	*a, *c;
	size_t		 n, i, was;
	int		 zero = 1, kept = 1;

	rung_batch_budget(b, 16384);
	c = rung_batch_mem_grow(b, NULL, 64 * sizeof *c);
	for (i = 0; i < 64; i++)
		c[i] = i + 1;
	ok(mapped_file() == 0, "a block within half the budget: the heap");
	a = rung_batch_mem_grow(b, NULL, 16 * sizeof *a);
	for (was = 0, n = 16; n <= (size_t)1 << 20; was = n, n *= 4) {
		a = rung_batch_mem_grow(b, a, n * sizeof *a);
		for (i = was; i < n; i++) {
			zero &= a[i] == 0;
			a[i] = i * 2654435761u;
		}
	}
	ok(mapped_file() == 1, "past it: mapped from the file");
	c = rung_batch_mem_grow(b, c, 1024 * sizeof *c);
	for (i = 0; i < was; i++)
		kept &= a[i] == i * 2654435761u;
	for (i = 0; i < 1024; i++)
		kept &= c[i] == (i < 64 ? i + 1 : 0);
	ok(zero, "new bytes are zero");
	ok(kept, "every byte written reads back, grown and let go");
	rung_batch_mem_free(b, a);
	rung_batch_mem_free(b, c);
	ok(mapped_file() == 0, "freed: unmapped");
	rung_batch_free(b);
}

int
main(void)
{
	static const double cumul[] = { 10, 21, 33, 44 };
	static const double per[] = { 10, 11, 12, 11 };
	static const double stamps[] = { 1000, 1010, 1021, 1033 };
	static const double abs_want[] = { NAN, 10, 11, 12 };
	static const double flat[] = { 10, 10, 10, 10 };

	test_merge();
	test_merge_on_arrival();
	test_candidates();
	test_param_conflicts();
	test_spill();
	test_mem();
	test_time(RUNG_TIME_AUTO, "t", cumul, per,
	    "an increasing clock is read as cumulative seconds");
	test_time(RUNG_TIME_AUTO, "t", per, per,
	    "wobbling times are read as seconds per step");
	test_time(RUNG_TIME_AUTO, "t", flat, flat,
	    "constant times are seconds per step, not a clock");
	test_time(RUNG_TIME_AUTO, "timestamp", stamps, abs_want,
	    "a timestamp column is a clock: the first step is unknown");
	test_time(RUNG_TIME_STEP, "t", cumul, cumul,
	    "--time-kind step is taken as said");
	test_time(RUNG_TIME_AUTO, "time_this_iter_s", cumul, cumul,
	    "Ray Tune's time_this_iter_s is per step, by name");
	return done_testing();
}
