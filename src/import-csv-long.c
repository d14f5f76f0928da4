/*
 * Long CSV: one row per trial and step. The header names the trial, step,
 * time and status columns (or options do); every other column is a metric,
 * a parameter or a candidate the batch decides at finish.
 */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "import-csv-int.h"

/* Column names that hold the trial (the others are in import-csv.c). */
static const char *trial_names[] = { "trial", "trial_id", "trial_name",
	"trial_number", "run", "run_id", "config_id", "id", NULL };

/*
 * What Ray Tune adds to every result besides the user's metrics. In a file
 * with config/ columns every other column is a metric, and these would
 * become metrics (pid, done) or fail as text (hostname, date).
 */
static const char *ray_bookkeeping[] = { "date", "hostname", "node_ip",
	"pid", "done", "experiment_id", "experiment_tag",
	"checkpoint_dir_name", "should_checkpoint", "iterations_since_restore",
	"time_since_restore", "timesteps_since_restore", "warmup_time", NULL };

static int
check_listed(const struct header *h, char *const *list, size_t n,
    const char *flag, const char *path, char **cause)
{
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < h->n; j++) {
			if (rung_strieq(h->names[j], list[i]))
				break;
		}
		if (j == h->n) {
			xasprintf(cause, "%s:%ld: no column '%s' (named by %s)",
			    path, h->line, list[i], flag);
			return -1;
		}
	}
	return 0;
}

/* Step and status cells. */
static int
parse_step(const char *s, size_t len, int32_t *out)
{
	int64_t	 v;
	size_t	 i;
	int32_t	 fast = 0;

	/* Steps are short runs of digits: skip strtoll for those. */
	if (len > 0 && len <= 9) {
		for (i = 0; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				break;
			fast = fast * 10 + (s[i] - '0');
		}
		if (i == len) {
			*out = fast;
			return 0;
		}
	}
	if (rung_parse_int64(s, len, &v) != 0 || v < INT32_MIN ||
	    v > INT32_MAX)
		return -1;
	*out = (int32_t)v;
	return 0;
}

static int
seen_test_set(struct rung_batch *b, struct seen *s, uint32_t t)
{
	uint64_t	 bit = (uint64_t)1 << (t % 64);

	if (t / 64 >= s->cap)
		s->v = rung_batch_mem_reserve(b, s->v, &s->cap,
		    (size_t)t / 64 + 1, sizeof *s->v);
	if ((s->v[t / 64] & bit) != 0)
		return 1;
	s->v[t / 64] |= bit;
	return 0;
}

static int
long_header(struct csvimp *ci)
{
	const struct rung_import_opts *o = ci->o;
	struct header	*h = &ci->h;
	uint8_t		*skip;
	int		 time_col, has_config = 0;
	size_t		 i;
	const char	*name;
	int		 ret = -1;

	if (csv_header_dups(h, ci->path, ci->cause) != 0)
		return -1;
	if (check_listed(h, o->params, o->nparams, "--params", ci->path,
	    ci->cause) != 0 || check_listed(h, o->metrics, o->nmetrics,
	    "--metrics", ci->path, ci->cause) != 0)
		return -1;

	ci->cols = xcalloc(h->n ? h->n : 1, sizeof *ci->cols);
	skip = xcalloc(h->n ? h->n : 1, sizeof *skip);
	for (i = 0; i < h->n; i++) {
		if (h->names[i][0] == '\0' ||
		    csv_in_opts_list(h->names[i], o->ignore, o->nignore))
			skip[i] = 1;
	}

	if (csv_pick_column(h, o->trial_col, "--trial-col", trial_names, 0,
	    skip, ci->path, &ci->trial_col, ci->cause) != 0)
		goto out;
	if (csv_pick_column(h, o->step_col, "--step-col", csv_step_names, 0,
	    skip, ci->path, &ci->step_col, ci->cause) != 0)
		goto out;
	if (ci->step_col < 0) {
		xasprintf(ci->cause, "%s:%ld: no step column (step, epoch, "
		    "iteration, training_iteration, iter, global_step); name "
		    "it with --step-col", ci->path, h->line);
		goto out;
	}
	if (ci->trial_col == ci->step_col)
		ci->trial_col = -1;
	if (csv_pick_column(h, o->time_col, "--time-col", csv_time_names, 1,
	    skip, ci->path, &time_col, ci->cause) != 0)
		goto out;
	if (time_col == ci->step_col || time_col == ci->trial_col)
		time_col = -1;
	/* Else the first name that says time (epoch_seconds, Keras). */
	for (i = 0; o->time_col == NULL && time_col < 0 && i < h->n; i++) {
		if (!skip[i] && (int)i != ci->step_col &&
		    (int)i != ci->trial_col && !csv_in_opts_list(h->names[i],
		    o->metrics, o->nmetrics) && !csv_in_opts_list(h->names[i],
		    o->params, o->nparams) && (o->metric == NULL ||
		    strcmp(h->names[i], o->metric) != 0) &&
		    csv_time_like(h->names[i]))
			time_col = (int)i;
	}
	if (csv_pick_column(h, o->status_col, "--status-col",
	    csv_status_names, 0, skip, ci->path, &ci->status_col,
	    ci->cause) != 0)
		goto out;

	for (i = 0; i < h->n; i++) {
		if (!skip[i] && strncmp(h->names[i], "config/", 7) == 0)
			has_config = 1;
	}

	for (i = 0; i < h->n; i++) {
		name = h->names[i];
		if ((int)i == ci->trial_col)
			ci->cols[i].role = R_TRIAL;
		else if ((int)i == ci->step_col)
			ci->cols[i].role = R_STEP;
		else if ((int)i == time_col)
			ci->cols[i].role = R_TIME;
		else if ((int)i == ci->status_col)
			ci->cols[i].role = R_STATUS;
		else if (skip[i]) {
			if (name[0] == '\0')
				csv_warn_unnamed(ci, i);
			ci->cols[i].role = R_SKIP;
		} else if (strncmp(name, "config/", 7) == 0) {
			/* Ray Tune's flattened config, and rung export. */
			if (name[7] == '\0')
				continue;
			ci->cols[i].role = R_PARAM;
			ci->cols[i].idx = rung_batch_param(ci->b, name + 7);
		} else if (csv_in_opts_list(name, o->params, o->nparams)) {
			ci->cols[i].role = R_PARAM;
			ci->cols[i].idx = rung_batch_param(ci->b, name);
		} else if (csv_in_opts_list(name, o->metrics, o->nmetrics) ||
		    (o->metric != NULL && strcmp(name, o->metric) == 0)) {
			ci->cols[i].role = R_METRIC;
			ci->cols[i].idx = rung_batch_metric(ci->b, name);
		} else if (csv_time_like(name)) {
			/*
			 * Another clock of the same steps (time_total_s
			 * beside time_this_iter_s): the time column already
			 * says it.
			 */
			ci->cols[i].role = R_SKIP;
		} else if (csv_in_list(name, csv_step_names)) {
			/*
			 * Another count of the same rows: Lightning's
			 * CSVLogger writes the batch count "step" beside
			 * "epoch". A curve of it would be a metric "step".
			 */
			ci->cols[i].role = R_SKIP;
		} else if (has_config) {
			if (csv_in_list(name, ray_bookkeeping))
				ci->cols[i].role = R_SKIP;
			else
				ci->cols[i].role = R_IMPLIED;
		} else {
			ci->cols[i].role = R_CAND;
			ci->cols[i].idx = rung_batch_candidate(ci->b, name);
		}
	}
	if (time_col >= 0)
		rung_batch_time_kind(ci->b, o->time_kind, h->names[time_col]);
	if (ci->trial_col < 0 && (ci->stem = rung_import_file_trial(o,
	    ci->path, "no trial column", ci->cause)) == NULL)
		goto out;
	ret = 0;
out:
	free(skip);
	return ret;
}

static int
long_record(struct reader *r, void *arg)
{
	struct csvimp	*ci = arg;
	struct rung_batch *b = ci->b;
	const struct field *f;
	const char	*s, *name;
	struct col	*c;
	uint32_t	 trial, row;
	int32_t		 step;
	double		 v;
	int		 first, rc;
	size_t		 i;

	if (!csv_record_begin(ci, r, long_header, &rc))
		return rc;
	ci->nrecords++;

	if (ci->trial_col >= 0) {
		if (csv_trial_cell(ci, r, &trial) != 0)
			return -1;
	} else
		trial = csv_trial_of(ci, ci->stem, strlen(ci->stem));

	f = &r->f[ci->step_col];
	s = fld(r, ci->step_col);
	if (parse_step(s, f->len, &step) != 0) {
		return csv_cell_error(ci->path, ci->cause, f, s,
		    ci->h.names[ci->step_col], "an integer step");
	}
	row = rung_batch_record(b, trial, step);

	for (i = 0; i < r->nf; i++) {
		c = &ci->cols[i];
		f = &r->f[i];
		if (f->len == 0 || c->role == R_SKIP)
			continue;
		s = fld(r, i);
		name = ci->h.names[i];
		/*
		 * Keras' CSVLogger writes NA for a value an epoch lacks
		 * (validation every other epoch), as R does: no value.
		 */
		if (f->len == 2 && s[0] == 'N' && s[1] == 'A' &&
		    c->role != R_PARAM && c->role != R_STATUS)
			continue;
		switch (c->role) {
		case R_SKIP:
		case R_TRIAL:
		case R_STEP:
		case R_CURVE:
		case R_ARRAY:
		case R_LABELS:
		case R_STEPS:
			break;
		case R_TIME:
			if (csv_parse_number(s, f->len, &v) != 0) {
				return csv_cell_error(ci->path, ci->cause, f, s,
				    name, "a number (seconds)");
			}
			rung_batch_set_time(b, row, v);
			break;
		case R_STATUS:
			if (csv_status_cell(ci, f, s, name, trial) != 0)
				return -1;
			break;
		case R_PARAM:
			if (!seen_test_set(b, &c->seen, trial))
				rung_batch_param_token(b, trial, c->idx, s,
				    f->len);
			break;
		case R_IMPLIED:
			if (csv_parse_number(s, f->len, &v) != 0) {
				if (c->made) {
					return csv_cell_error(ci->path,
					    ci->cause, f, s, name, "a number");
				}
				rung_warn("%s:%ld: column '%s' holds text "
				    "('%.*s'), not a metric: left out",
				    ci->path, f->line, name,
				    f->len > SHOW_MAX ? SHOW_MAX : (int)f->len,
				    s);
				c->role = R_SKIP;
				break;
			}
			if (!c->made) {
				c->idx = rung_batch_metric(b, name);
				c->made = 1;
			}
			rung_batch_set(b, row, c->idx, v);
			break;
		case R_METRIC:
			if (csv_parse_number(s, f->len, &v) != 0) {
				return csv_cell_error(ci->path, ci->cause, f, s,
				    name, "a number");
			}
			rung_batch_set(b, row, c->idx, v);
			break;
		case R_CAND:
			/*
			 * The batch keeps the first token of each trial and
			 * notes text; past that, a number is all a cell
			 * brings, and parsing it here is several times
			 * quicker than the batch's strtod.
			 */
			first = !seen_test_set(b, &c->seen, trial);
			if (!c->text && csv_parse_number(s, f->len, &v) != 0)
				c->text = 1;
			if (first || c->text)
				rung_batch_cell(b, row, c->idx, s, f->len);
			else
				rung_batch_cand_set(b, row, c->idx, v);
			break;
		}
	}
	return 0;
}

int
rung_import_long_csv(struct rung_batch *b, const char *path,
    const struct rung_import_opts *o, char **cause)
{
	return csv_import(b, path, o, cause, long_record, NULL);
}
