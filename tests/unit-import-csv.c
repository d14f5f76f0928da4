/*
 * The CSV importers against small fixtures: every value must come back
 * exactly as strtod reads the source text, and every error must name the
 * file, the physical line and the column.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "tap.h"

static const char *datadir;

static char *
fixture(const char *name)
{
	return xprintf("%s/csv/%s", datadir, name);
}

/* Import one fixture and finish the batch; NULL (and a failed test) if not. */
static struct rung_batch *
load(const char *name, int wide, const struct rung_import_opts *o)
{
	struct rung_batch *b;
	char		*path, *cause = NULL;
	int		 r;

	path = fixture(name);
	b = rung_batch_new();
	rung_batch_source(b, path, wide ? "wide-csv" : "long-csv", "x", 0);
	if (wide)
		r = rung_import_wide_csv(b, path, o, &cause);
	else
		r = rung_import_long_csv(b, path, o, &cause);
	if (r == 0)
		r = rung_batch_finish(b, o, &cause);
	if (!ok(r == 0, "%s imports", name)) {
		printf("#   %s\n", cause != NULL ? cause : "(no cause)");
		free(cause);
		rung_batch_free(b);
		b = NULL;
	}
	free(path);
	return b;
}

static void
load_free(struct rung_batch *b)
{
	rung_batch_free(b);
}

/* Import a fixture that must fail; check the message holds every want. */
static void
fails(const char *name, int wide, const struct rung_import_opts *o, ...)
{
	struct rung_batch *b;
	va_list		 ap;
	const char	*want;
	char		*path, *cause = NULL;
	int		 r;

	path = fixture(name);
	b = rung_batch_new();
	rung_batch_source(b, path, wide ? "wide-csv" : "long-csv", "x", 0);
	if (wide)
		r = rung_import_wide_csv(b, path, o, &cause);
	else
		r = rung_import_long_csv(b, path, o, &cause);
	if (ok(r == -1 && cause != NULL, "%s is refused", name)) {
		printf("#   %s\n", cause);
		va_start(ap, o);
		while ((want = va_arg(ap, const char *)) != NULL) {
			ok(strstr(cause, want) != NULL, "%s: message says '%s'",
			    name, want);
		}
		va_end(ap);
	}
	free(cause);
	free(path);
	rung_batch_free(b);
}

static int
trial_index(const struct rung_batch *b, const char *id)
{
	uint32_t	 t;

	for (t = 0; t < rung_batch_ntrials(b); t++) {
		if (strcmp(rung_batch_trial_id(b, t), id) == 0)
			return (int)t;
	}
	return -1;
}

static int
metric_index(const struct rung_batch *b, const char *name)
{
	struct rung_batch_view v;
	uint32_t	 m;

	rung_batch_view(b, &v);
	for (m = 0; m < v.nmetrics; m++) {
		if (strcmp(rung_batch_metric_name(b, m), name) == 0)
			return (int)m;
	}
	return -1;
}

static int
param_index(const struct rung_batch *b, const char *name)
{
	struct rung_batch_view v;
	uint32_t	 p;

	rung_batch_view(b, &v);
	for (p = 0; p < v.nparams; p++) {
		if (strcmp(rung_batch_param_name(b, p), name) == 0)
			return (int)p;
	}
	return -1;
}

/*
 * A curve against "step:text step:text ...": the values must be what
 * strtod makes of the text.
 */
static void
check_curve(struct rung_batch *b, const char *trial, const char *metric,
    const char *spec)
{
	const int32_t	*steps;
	const double	*vals;
	const char	*c;
	char		*copy, *tok, *colon, *save = NULL;
	int		 t, m;
	uint32_t	 n, want = 0, i = 0;

	t = trial_index(b, trial);
	m = metric_index(b, metric);
	if (!ok(t >= 0 && m >= 0, "trial '%s' has metric '%s'", trial,
	    metric))
		return;
	for (c = spec; *c != '\0'; c++)
		want += (*c == ':');
	n = rung_batch_curve(b, (uint32_t)t, (uint32_t)m, &steps, &vals);
	is_int(n, want, "%s %s has %u points", trial, metric, want);
	copy = xstrdup(spec);
	for (tok = strtok_r(copy, " ", &save); tok != NULL && i < n;
	    tok = strtok_r(NULL, " ", &save), i++) {
		colon = strchr(tok, ':');
		*colon = '\0';
		is_int(steps[i], atoi(tok), "%s %s point %u: step", trial,
		    metric, i);
		is_dbl(vals[i], strtod(colon + 1, NULL), "%s %s step %s: %s",
		    trial, metric, tok, colon + 1);
	}
	free(copy);
}

static void
check_param_real(const struct rung_batch *b, const char *trial,
    const char *param, const char *text)
{
	struct rung_batch_value v;
	int		 t = trial_index(b, trial), p = param_index(b, param);

	if (!ok(t >= 0 && p >= 0, "trial '%s' and parameter '%s' exist",
	    trial, param))
		return;
	rung_batch_trial_param(b, (uint32_t)t, (uint32_t)p, &v);
	ok(v.set && v.type == RUNG_PREAL, "%s %s is a real", trial, param);
	is_dbl(v.d, strtod(text, NULL), "%s %s = %s", trial, param, text);
}

static void
check_param_int(const struct rung_batch *b, const char *trial,
    const char *param, long long want)
{
	struct rung_batch_value v;
	int		 t = trial_index(b, trial), p = param_index(b, param);

	if (!ok(t >= 0 && p >= 0, "trial '%s' and parameter '%s' exist",
	    trial, param))
		return;
	rung_batch_trial_param(b, (uint32_t)t, (uint32_t)p, &v);
	ok(v.set && v.type == RUNG_PINT, "%s %s is an int", trial, param);
	is_int(v.i, want, "%s %s = %lld", trial, param, want);
}

static void
check_param_text(const struct rung_batch *b, const char *trial,
    const char *param, const char *want)
{
	struct rung_batch_value v;
	int		 t = trial_index(b, trial), p = param_index(b, param);

	if (!ok(t >= 0 && p >= 0, "trial '%s' and parameter '%s' exist",
	    trial, param))
		return;
	rung_batch_trial_param(b, (uint32_t)t, (uint32_t)p, &v);
	ok(v.set && v.type == RUNG_PCAT, "%s %s is text", trial, param);
	is_str(v.text, want, "%s %s text", trial, param);
}

static void
check_param_unset(const struct rung_batch *b, const char *trial,
    const char *param)
{
	struct rung_batch_value v;
	int		 t = trial_index(b, trial), p = param_index(b, param);

	if (!ok(t >= 0 && p >= 0, "trial '%s' and parameter '%s' exist",
	    trial, param))
		return;
	rung_batch_trial_param(b, (uint32_t)t, (uint32_t)p, &v);
	ok(!v.set, "%s %s is unset", trial, param);
}

static void
check_status(const struct rung_batch *b, const char *trial,
    enum rung_status want)
{
	int	 t = trial_index(b, trial);

	if (!ok(t >= 0, "trial '%s' exists", trial))
		return;
	is_int(rung_batch_trial_status(b, (uint32_t)t), want,
	    "%s status is %s", trial, rung_status_name(want));
}

static void
test_long_basic(const char *name)
{
	struct rung_import_opts o;
	struct rung_batch *b;
	struct rung_batch_view v;

	rung_import_opts_init(&o);
	if ((b = load(name, 0, &o)) == NULL)
		return;
	rung_batch_view(b, &v);
	is_int(v.ntrials, 3, "%s: 3 trials", name);
	is_str(rung_batch_trial_id(b, 0), "a", "first trial is a");
	is_str(rung_batch_trial_id(b, 1), "b", "second trial is b");
	is_str(rung_batch_trial_id(b, 2), "c", "third trial is c");
	is_int(v.nmetrics, 2, "%s: loss and acc are metrics", name);
	is_str(v.metric, "loss", "metric of interest is loss");
	is_int(v.direction, RUNG_MIN, "loss goes down");
	is_int(v.npoints, 16, "%s: 16 points", name);
	/*
	 * The loss of (a, 2) is overwritten; the repeated cells of lr and
	 * seed, which end up parameters, are no duplicates.
	 */
	is_int(v.nduplicates, 1, "%s: one value overwritten", name);
	ok(!v.has_time, "%s: no time column", name);

	check_curve(b, "a", "loss", "0:2.5 1:1.75 2:1.125");
	check_curve(b, "a", "acc", "0:0.1 1:0.3 2:0.45");
	check_curve(b, "b", "loss", "0:2.7 1:NaN 2:inf");
	check_curve(b, "b", "acc", "0:0.12 1:0.2 2:-Infinity");
	check_curve(b, "c", "loss", "3:1.1 5:0.9");
	check_curve(b, "c", "acc", "3:0.4 5:0.5");

	is_int(v.nparams, 3, "%s: lr, optimizer and seed are parameters",
	    name);
	check_param_real(b, "a", "lr", "0.01");
	check_param_real(b, "b", "lr", "0.1");
	check_param_real(b, "c", "lr", "1e-3");
	check_param_text(b, "a", "optimizer", "adam");
	check_param_text(b, "b", "optimizer", "sgd");
	check_param_int(b, "c", "seed", 3);

	check_status(b, "a", RUNG_COMPLETE);
	check_status(b, "b", RUNG_FAILED);
	check_status(b, "c", RUNG_STOPPED);
	rung_batch_free(b);
}

static void
test_long_time(void)
{
	struct rung_import_opts o;
	struct rung_batch *b;
	struct rung_batch_view v;
	const int32_t	*steps;
	const double	*secs;
	uint32_t	 n;

	rung_import_opts_init(&o);
	if ((b = load("long-time.csv", 0, &o)) == NULL)
		return;
	rung_batch_view(b, &v);
	is_int(v.ntrials, 2, "long-time: 2 trials from run_id");
	is_int(v.nmetrics, 2, "long-time: time_total_s is no metric");
	is_str(v.metric, "val_loss", "val_loss is the metric of interest");
	ok(v.has_time, "long-time: has time");
	check_curve(b, "r1", "val_loss", "1:0.91 2:0.72 3:0.65");
	check_curve(b, "r2", "train_loss", "1:1.3 2:1.0");

	n = rung_batch_times(b, (uint32_t)trial_index(b, "r1"), &steps,
	    &secs);
	is_int(n, 2, "r1: two steps have a time");
	if (n == 2) {
		is_int(steps[0], 1, "r1 time step 1");
		is_dbl(secs[0], strtod("10.5", NULL), "r1 step 1 took 10.5 s");
		is_int(steps[1], 2, "r1 time step 2");
		is_dbl(secs[1], strtod("9.25", NULL), "r1 step 2 took 9.25 s");
	}
	rung_batch_free(b);
}

static void
test_long_config(void)
{
	struct rung_import_opts o;
	struct rung_batch *b;
	struct rung_batch_view v;
	const int32_t	*steps;
	const double	*secs;
	uint32_t	 n;

	rung_import_opts_init(&o);
	if ((b = load("long-config.csv", 0, &o)) == NULL)
		return;
	rung_batch_view(b, &v);
	is_int(v.ntrials, 3, "long-config: 3 trials");
	is_int(v.nmetrics, 2, "long-config: loss and mean_accuracy only");
	is_int(v.nparams, 3, "long-config: lr, layers, act");
	ok(metric_index(b, "hostname") < 0 && metric_index(b, "pid") < 0 &&
	    metric_index(b, "timestamp") < 0 && metric_index(b, "done") < 0,
	    "Ray Tune bookkeeping left out");
	/* Constant within a trial, but config/ makes every other a metric. */
	check_curve(b, "t_00001", "mean_accuracy", "1:0.4 2:0.4");
	check_curve(b, "t_00002", "loss", "1:0.7");
	check_param_real(b, "t_00000", "lr", "0.001");
	check_param_real(b, "t_00001", "lr", "0.01");
	check_param_int(b, "t_00001", "layers", 3);
	check_param_text(b, "t_00002", "act", "relu");

	ok(v.has_time, "long-config: time_total_s is the time");
	n = rung_batch_times(b, (uint32_t)trial_index(b, "t_00000"), &steps,
	    &secs);
	is_int(n, 2, "t_00000: two times");
	if (n == 2) {
		is_dbl(secs[0], strtod("1.5", NULL), "cumulative: first step");
		is_dbl(secs[1], strtod("3.0", NULL) - strtod("1.5", NULL),
		    "cumulative: second step");
	}
	rung_batch_free(b);
}

static void
test_tensorboard(void)
{
	struct rung_import_opts o;
	struct rung_batch *b;
	struct rung_batch_view v;
	const int32_t	*steps;
	const double	*secs;
	uint32_t	 n;

	rung_import_opts_init(&o);
	if ((b = load("tensorboard.csv", 0, &o)) == NULL)
		return;
	rung_batch_view(b, &v);
	is_int(v.ntrials, 1, "tensorboard: one trial");
	is_str(rung_batch_trial_id(b, 0), "tensorboard", "named by the file");
	check_curve(b, "tensorboard", "Value",
	    "0:2.302585 100:1.5 200:0.875 300:0.6931471805599453");
	n = rung_batch_times(b, 0, &steps, &secs);
	is_int(n, 4, "tensorboard: four times");
	if (n == 4) {
		ok(isnan(secs[0]), "wall clock: first step unknown");
		is_dbl(secs[1], strtod("1690000010.5", NULL) -
		    strtod("1690000000.123456", NULL), "wall clock: difference");
	}
	rung_batch_free(b);
}

static void
test_long_crlf(void)
{
	struct rung_import_opts o;
	struct rung_batch *b;
	struct rung_batch_view v;

	rung_import_opts_init(&o);
	if ((b = load("long-crlf.csv", 0, &o)) == NULL)
		return;
	rung_batch_view(b, &v);
	is_int(v.ntrials, 2, "long-crlf: the BOM hides no trial column");
	check_curve(b, "x", "loss", "0:1.5 1:0.75");
	check_curve(b, "y", "loss", "0:2.25 1:1.0 2:0.5");
	check_param_text(b, "x", "note", "first line\r\nsecond line");
	check_param_text(b, "y", "note",
	    "a \"quoted\" word\nand a comma, too");
	rung_batch_free(b);
}

/* Split one CSV line (quotes, no line ends inside) into fields in place. */
static size_t
split_line(char *s, char **fields, size_t max)
{
	size_t	 n = 0;
	char	*w;

	s[strcspn(s, "\r\n")] = '\0';
	while (n < max) {
		fields[n++] = w = s;
		if (*s == '"') {
			for (s++; *s != '\0'; s++) {
				if (*s == '"' && s[1] == '"')
					*w++ = *s++;
				else if (*s == '"') {
					s++;
					break;
				} else
					*w++ = *s;
			}
		} else {
			while (*s != '\0' && *s != ',')
				*w++ = *s++;
		}
		if (*s == '\0') {
			*w = '\0';
			break;
		}
		*w = '\0';	/* s points at the comma */
		s++;
	}
	return n;
}

/*
 * A Baker subset against its own text: every curve cell and every
 * parameter cell, the step of acc_K being K (or shifted by --first-step).
 */
static void
test_baker(const char *name, const char *prefix, const char *metric,
    int first_step_set, int first_step)
{
	struct rung_import_opts o;
	struct rung_batch *b;
	struct rung_batch_view v;
	struct rung_batch_value pv;
	FILE		*f;
	char		*path, *line = NULL, *hdr = NULL, *head[256], *cell[256];
	char		 id[16];
	const int32_t	*steps;
	const double	*vals;
	size_t		 cap = 0, nh, nc, i, plen = strlen(prefix);
	uint32_t	 n, k, row = 0, bad = 0, checked = 0, minidx = 0;
	int		 t, m, p, first = 1;

	rung_import_opts_init(&o);
	o.first_step_set = first_step_set;
	o.first_step = first_step;
	if ((b = load(name, 1, &o)) == NULL)
		return;
	rung_batch_view(b, &v);
	is_int(v.ntrials, 30, "%s: 30 trials", name);
	is_str(v.metric, metric, "%s: the curve is '%s'", name, metric);
	m = metric_index(b, metric);

	path = fixture(name);
	if ((f = fopen(path, "r")) == NULL) {
		ok(0, "open %s", path);
		free(path);
		rung_batch_free(b);
		return;
	}
	getline(&hdr, &cap, f);
	cap = 0;
	nh = split_line(hdr, head, 256);
	for (i = 0; i < nh; i++) {
		if (strncmp(head[i], prefix, plen) == 0 && first) {
			minidx = (uint32_t)atoi(head[i] + plen);
			first = 0;
		}
	}
	while (getline(&line, &cap, f) > 0) {
		nc = split_line(line, cell, 256);
		snprintf(id, sizeof id, "%u", row++);
		t = trial_index(b, id);
		if (t < 0 || nc != nh || m < 0) {
			bad++;
			continue;
		}
		n = rung_batch_curve(b, (uint32_t)t, (uint32_t)m, &steps,
		    &vals);
		k = 0;
		for (i = 0; i < nh; i++) {
			if (strncmp(head[i], prefix, plen) == 0) {
				int32_t want = atoi(head[i] + plen);

				if (first_step_set)
					want = want - (int32_t)minidx +
					    first_step;
				if (k >= n || steps[k] != want ||
				    vals[k] != strtod(cell[i], NULL))
					bad++;
				k++;
				checked++;
				continue;
			}
			/* A parameter: exact text, int or real. */
			if ((p = param_index(b, head[i])) < 0) {
				bad++;
				continue;
			}
			rung_batch_trial_param(b, (uint32_t)t, (uint32_t)p,
			    &pv);
			if (!pv.set)
				bad++;
			else if (pv.type == RUNG_PCAT)
				bad += strcmp(pv.text, cell[i]) != 0;
			else if (pv.type == RUNG_PINT)
				bad += pv.i != strtoll(cell[i], NULL, 10);
			else
				bad += pv.d != strtod(cell[i], NULL);
			checked++;
		}
		if (k != n)
			bad++;
	}
	fclose(f);
	free(line);
	free(hdr);
	free(path);
	is_int(row, 30, "%s: read 30 rows back", name);
	ok(checked > 30 * 20, "%s: checked %u cells", name, checked);
	is_int(bad, 0, "%s: every cell equals the source text", name);
	rung_batch_free(b);
}

static void
test_wide_short(void)
{
	struct rung_import_opts o;
	struct rung_batch *b;
	struct rung_batch_view v;
	const int32_t	*steps;
	const double	*vals;

	rung_import_opts_init(&o);
	if ((b = load("wide-short.csv", 1, &o)) == NULL)
		return;
	rung_batch_view(b, &v);
	is_int(v.ntrials, 4, "wide-short: 4 trials");
	is_int(v.nmetrics, 2, "wide-short: acc and loss");
	is_int(v.nparams, 2, "wide-short: net and lr");
	check_curve(b, "m0", "acc", "1:0.31 2:0.4 3:0.44 4:0.47");
	check_curve(b, "m0", "loss", "1:2.1 2:1.9 3:1.7");
	check_curve(b, "m1", "acc", "1:0.2 2:0.25");
	check_curve(b, "m1", "loss", "1:2.3 2:2.2");
	check_curve(b, "m3", "acc", "1:0.1 2:NaN 3:0.15 4:inf");
	is_int(rung_batch_curve(b, (uint32_t)trial_index(b, "m2"),
	    (uint32_t)metric_index(b, "acc"), &steps, &vals), 0,
	    "m2: a trial with no points");
	check_param_text(b, "m0", "net",
	    "[C(64,1,1), C(128,1,1), GAP(10), SM(10)]");
	check_param_real(b, "m3", "lr", "1e-4");
	check_param_unset(b, "m2", "lr");
	check_status(b, "m1", RUNG_STOPPED);
	check_status(b, "m2", RUNG_FAILED);
	rung_batch_free(b);
}

/* Two indexed columns are no curve unless --curve-prefix says so. */
static void
test_curve_prefix(void)
{
	struct rung_import_opts o;
	struct rung_batch *b;
	enum rung_format fmt;
	char		*path, *cause = NULL, *params[] = { "acc_1" };

	rung_import_opts_init(&o);
	path = fixture("wide-two.csv");
	ok(rung_csv_layout(path, &o, &fmt, &cause) == RUNG_DETECT_UNKNOWN,
	    "layout: two indexed columns are not enough");
	free(cause);
	cause = NULL;
	o.curve_prefix = "x";
	ok(rung_csv_layout(path, &o, &fmt, &cause) == 0 &&
	    fmt == RUNG_FMT_WIDE_CSV, "layout: --curve-prefix x makes it wide");
	free(path);

	if ((b = load("wide-two.csv", 1, &o)) == NULL)
		return;
	check_curve(b, "A", "x", "1:0.5 2:0.25");
	check_curve(b, "B", "x", "1:0.75");
	check_param_int(b, "B", "width", 128);
	rung_batch_free(b);

	o.curve_prefix = "x_";
	if ((b = load("wide-two.csv", 1, &o)) == NULL)
		return;
	check_curve(b, "A", "x", "1:0.5 2:0.25");
	rung_batch_free(b);

	/* --params keeps an indexed-looking column out of the curve. */
	rung_import_opts_init(&o);
	o.params = params;
	o.nparams = 1;
	if ((b = load("wide-short.csv", 1, &o)) == NULL)
		return;
	check_curve(b, "m0", "acc", "2:0.4 3:0.44 4:0.47");
	check_param_real(b, "m0", "acc_1", "0.31");
	rung_batch_free(b);
}

static void
test_layout(void)
{
	struct rung_import_opts o;
	enum rung_format fmt;
	char		*path, *cause = NULL;

	rung_import_opts_init(&o);
	path = fixture("long-basic.csv");
	fmt = RUNG_FMT_AUTO;
	ok(rung_csv_layout(path, NULL, &fmt, &cause) == 0 &&
	    fmt == RUNG_FMT_LONG_CSV, "layout: long-basic is long");
	free(path);

	path = fixture("long-basic.csv.gz");
	fmt = RUNG_FMT_AUTO;
	ok(rung_csv_layout(path, &o, &fmt, &cause) == 0 &&
	    fmt == RUNG_FMT_LONG_CSV, "layout: gzip is read through");
	free(path);

	path = fixture("tensorboard.csv");
	fmt = RUNG_FMT_AUTO;
	ok(rung_csv_layout(path, &o, &fmt, &cause) == 0 &&
	    fmt == RUNG_FMT_LONG_CSV, "layout: TensorBoard export is long");
	free(path);

	path = fixture("metaqnn_cifar10_head.csv");
	fmt = RUNG_FMT_AUTO;
	ok(rung_csv_layout(path, &o, &fmt, &cause) == 0 &&
	    fmt == RUNG_FMT_WIDE_CSV, "layout: Baker is wide");
	free(path);

	path = fixture("no-layout.csv");
	ok(rung_csv_layout(path, &o, &fmt, &cause) == RUNG_DETECT_UNKNOWN && cause != NULL &&
	    strstr(cause, "no-layout.csv") != NULL &&
	    strstr(cause, "cannot tell the CSV layout") != NULL,
	    "layout: neither long nor wide is refused");
	free(cause);
	cause = NULL;

	o.step_col = "a";
	ok(rung_csv_layout(path, &o, &fmt, &cause) == 0 &&
	    fmt == RUNG_FMT_LONG_CSV, "layout: --step-col makes it long");
	free(path);
}

static void
test_errors(void)
{
	struct rung_import_opts o;
	char		*metrics[] = { "optimizer" };

	rung_import_opts_init(&o);
	fails("bad-fields.csv", 0, &o, "bad-fields.csv:3:",
	    "expected 3 fields, found 4", NULL);
	fails("bad-step.csv", 0, &o, "bad-step.csv:5:", "column 'step'",
	    "integer step", "'two'", NULL);
	fails("bad-number.csv", 0, &o, "bad-number.csv:5:", "column 'loss'",
	    "expected a number", "'oops'", NULL);
	fails("bad-status.csv", 0, &o, "bad-status.csv:3:",
	    "column 'status'", "expected a status", "pruned", NULL);
	fails("bad-quote.csv", 0, &o, "bad-quote.csv:3:", "never ends", NULL);
	fails("bad-dup.csv", 0, &o, "bad-dup.csv:1:", "'loss'", "twice",
	    NULL);
	fails("bad-curve.csv", 1, &o, "bad-curve.csv:4:", "column 'loss_1'",
	    "expected a number", "'n/a'", NULL);
	fails("no-such-file.csv", 0, &o, "no-such-file.csv", "cannot open",
	    NULL);
	fails("no-layout.csv", 1, &o, "no-layout.csv:1:",
	    "no indexed curve columns", NULL);

	fails("bad-nul.csv", 0, &o, "bad-nul.csv:1:", "NUL byte", NULL);
	fails("bad-truncated.csv.gz", 0, &o, "bad-truncated.csv.gz",
	    "truncated", NULL);

	o.metrics = metrics;
	o.nmetrics = 1;
	fails("long-basic.csv", 0, &o, "long-basic.csv:2:",
	    "column 'optimizer'", "expected a number", "'adam'", NULL);
	o.metrics = NULL;
	o.nmetrics = 0;

	o.trial_col = "nope";
	fails("long-basic.csv", 0, &o, "long-basic.csv:1:", "no column 'nope'",
	    "--trial-col", NULL);
}

/*
 * Lightning's CSVLogger: epoch is the step, its batch count "step" is left
 * out (it was a metric "step"), and the blanks of the rows of the other
 * stage are no values.
 */
static void
test_runs_lightning(void)
{
	struct rung_batch *b;
	struct rung_batch_view v;

	if ((b = load("runs/lightning_logs/version_2/metrics.csv", 0,
	    NULL)) == NULL)
		return;
	rung_batch_view(b, &v);
	is_int(v.ntrials, 1, "lightning: one trial");
	ok(trial_index(b, "metrics") == 0, "lightning: named after the file "
	    "when read alone");
	ok(metric_index(b, "step") < 0 && param_index(b, "step") < 0,
	    "lightning: step is neither a metric nor a parameter");
	is_int(v.nmetrics, 4, "lightning: four metrics");
	is_int(v.nduplicates, 0, "lightning: no value given twice");
	check_curve(b, "metrics", "val_loss", "0:1.0130329132080078 "
	    "1:0.4063869118690491 2:0.5186558961868286 3:0.29085925221443176 "
	    "4:0.24626842141151428 5:0.23386983573436737 6:0.2460930496454239 "
	    "7:0.2185913473367691 8:0.22042475640773773 9:0.22862553596496582");
	check_curve(b, "metrics", "train_loss_step", "4:0.09840396046638489 "
	    "9:0.07865960896015167");
	rung_batch_free(b);
}

/*
 * Keras' CSVLogger, validation every other epoch: NA is no value, and
 * epoch_seconds (and the val_epoch_seconds Keras adds) are time.
 */
static void
test_runs_keras(void)
{
	struct rung_batch *b;
	struct rung_batch_view v;
	const int32_t	*steps;
	const double	*secs;
	uint32_t	 n;

	if ((b = load("runs/keras/lr0.05-h8-every2/training.log", 0,
	    NULL)) == NULL)
		return;
	rung_batch_view(b, &v);
	ok(metric_index(b, "epoch_seconds") < 0 &&
	    metric_index(b, "val_epoch_seconds") < 0 &&
	    param_index(b, "epoch_seconds") < 0 &&
	    param_index(b, "val_epoch_seconds") < 0,
	    "keras: the time columns are no metric or parameter");
	is_int(v.nmetrics, 4, "keras: accuracy, loss, val_accuracy, val_loss");
	ok(v.has_time, "keras: the batch has time");
	check_curve(b, "training", "val_loss", "1:1.6999685812623622 "
	    "3:0.9290873028375995 5:0.6490301536377395 7:0.512591009068469 "
	    "9:0.4241883944314841");
	n = rung_batch_times(b, 0, &steps, &secs);
	is_int(n, 10, "keras: ten epochs timed");
	if (n == 10) {
		is_int(steps[0], 0, "keras: the first epoch is 0");
		is_dbl(secs[0], 0.009710037999866472, "keras: epoch 0 seconds");
		is_dbl(secs[2], 0.007993275999979232, "keras: epoch 2 seconds");
	}
	rung_batch_free(b);
}

/* The name of a file's trials, as rung_import hands it to the importers. */
static void
test_file_trial(void)
{
	struct rung_import_opts o;
	char		*name, *cause = NULL;

	rung_import_opts_init(&o);
	name = rung_import_file_trial(&o, "a/b/run.csv.gz", "no trial column",
	    &cause);
	is_str(name, "run", "no name given: the stem");
	free(name);
	o.file_name = "version_3";
	name = rung_import_file_trial(&o, "l/version_3/metrics.csv",
	    "no trial column", &cause);
	is_str(name, "version_3", "the name given");
	free(name);
	o.file_name = "run";
	o.file_twin = "x/run.csv.gz";
	name = rung_import_file_trial(&o, "x/run.csv", "no trial column",
	    &cause);
	if (ok(name == NULL && cause != NULL, "a twin: refused")) {
		ok(strstr(cause, "x/run.csv: ") == cause &&
		    strstr(cause, "x/run.csv.gz") != NULL &&
		    strstr(cause, "'run'") != NULL &&
		    strstr(cause, "no trial column") != NULL,
		    "the message names both files, the name and why");
		printf("#   %s\n", cause);
	}
	free(name);
	free(cause);

	/* The importers ask only when a file has no trial column. */
	fails("runs/keras/lr0.3-h16/training.log", 0, &o, "training.log: "
	    "its trials have no id (no trial column)", "x/run.csv.gz", NULL);
	load_free(load("long-basic.csv", 0, &o));
	o.multi_file = 1;
	fails("metaqnn_cifar10_head.csv", 1, &o,
	    "metaqnn_cifar10_head.csv: its trials have no id",
	    NULL);
	load_free(load("wide-short.csv", 1, &o));
}

int
main(void)
{
	if ((datadir = getenv("RUNG_TESTDATA")) == NULL)
		datadir = "tests/data";

	test_long_basic("long-basic.csv");
	test_long_basic("long-basic.csv.gz");
	test_long_time();
	test_long_config();
	test_tensorboard();
	test_long_crlf();
	test_baker("metaqnn_cifar10_head.csv", "acc_", "acc", 0, 0);
	test_baker("lstm_ptb_head.csv", "ep_", "ep", 1, 1);
	test_wide_short();
	test_layout();
	test_curve_prefix();
	test_errors();
	test_runs_lightning();
	test_runs_keras();
	test_file_trial();
	return done_testing();
}
