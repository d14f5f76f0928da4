#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "rung/cmd.h"
#include "rung/jsonout.h"
#include "rung/store.h"
#include "rung/table.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

/*
 * Export writes exact values (float64 from the store, shortest text that
 * reads back the same) so that importing the export gives the same study.
 */

enum { FMT_LONG, FMT_WIDE, FMT_JSONL };

static const struct option export_longopts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 }
};

static void
csv_param(FILE *f, const struct rung_param *p, uint32_t t)
{
	char	 buf[RUNG_DBL_BUFSZ];

	if (p->type == RUNG_PCAT) {
		if (p->cat[t] != UINT32_MAX)
			rung_csv_field(f, p->levels[p->cat[t]]);
	} else if (!isnan(p->num[t])) {
		if (p->type == RUNG_PINT)
			fprintf(f, "%lld", (long long)p->num[t]);
		else
			fputs(rung_fmt_double(p->num[t], 1, buf), f);
	}
}

/* Smallest step of any series at or after *k, or INT32_MAX when none. */
static int32_t
next_step(const struct rung_points *p, uint32_t *k, size_t n)
{
	int32_t	 best = INT32_MAX;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (k[i] < p[i].n && p[i].steps[k[i]] < best)
			best = p[i].steps[k[i]];
	}
	return best;
}

/*
 * Has any trial a point of some metric, or seconds? Most studies say so at
 * their first trial.
 */
static int
any_point(struct rung_store *st, const struct rung_study *s,
    struct rung_exact *x, int *any, char **cause)
{
	uint32_t	 t, i;

	*any = 0;
	for (t = 0; t < s->ntrials && !*any; t++) {
		if (rung_exact_read(st, x, s->trial_rowid[t], cause) != 0)
			return -1;
		*any = x->secs.n > 0;
		for (i = 0; i < x->nmetrics; i++)
			*any |= x->curves[i].n > 0;
	}
	return 0;
}

static int
export_long(FILE *f, struct rung_store *st, const struct rung_study *s,
    struct rung_exact *x, char **cause)
{
	struct rung_points *series;
	uint32_t	 t, *k, i, p, skipped = 0;
	size_t		 nseries = x->nmetrics + 1;
	int32_t		 step;
	char		 buf[RUNG_DBL_BUFSZ], *name;
	int		 any;

	/* A header alone is no file import reads back: say so instead. */
	if (any_point(st, s, x, &any, cause) != 0)
		return -1;
	if (!any && s->ntrials > 0) {
		xasprintf(cause, "study '%s' has no point: a long CSV of it "
		    "would have no row (use -f jsonl, which keeps its trials)",
		    s->name);
		return -1;
	}
	fputs("trial,status,step", f);
	for (i = 0; i < x->nmetrics; i++) {
		fputc(',', f);
		rung_csv_field(f, x->metrics[i]);
	}
	fputs(",seconds", f);
	for (p = 0; p < s->nparams; p++) {
		/* The prefix keeps a parameter a parameter on import. */
		name = xprintf("config/%s", s->params[p].name);
		fputc(',', f);
		rung_csv_field(f, name);
		free(name);
	}
	fputc('\n', f);
	series = xcalloc(nseries, sizeof *series);
	k = xcalloc(nseries, sizeof *k);
	for (t = 0; t < s->ntrials; t++) {
		if (rung_exact_read(st, x, s->trial_rowid[t], cause) != 0)
			goto fail;
		for (i = 0; i < x->nmetrics; i++)
			series[i] = x->curves[i];
		series[x->nmetrics] = x->secs;
		memset(k, 0, nseries * sizeof *k);
		any = 0;
		while ((step = next_step(series, k, nseries)) != INT32_MAX) {
			any = 1;
			rung_csv_field(f, s->ids[t]);
			fprintf(f, ",%s,%d", rung_status_name(s->status[t]),
			    step);
			for (i = 0; i < nseries; i++) {
				fputc(',', f);
				if (k[i] < series[i].n &&
				    series[i].steps[k[i]] == step) {
					fputs(rung_fmt_double(
					    series[i].vals[k[i]], 0, buf), f);
					k[i]++;
				}
			}
			for (p = 0; p < s->nparams; p++) {
				fputc(',', f);
				csv_param(f, &s->params[p], t);
			}
			fputc('\n', f);
		}
		if (!any)
			skipped++;
	}
	if (skipped > 0)
		rung_warn("%u trials without a point cannot be written as long "
		    "CSV rows: use -f jsonl or -f wide-csv to keep them",
		    skipped);
	free(series);
	free(k);
	return 0;
fail:
	free(series);
	free(k);
	return -1;
}

static int
export_wide(FILE *f, struct rung_store *st, const struct rung_study *s,
    struct rung_exact *x, char **cause)
{
	int32_t		*lo, *hi, step;
	uint32_t	 t, i, p, j;
	char		 buf[RUNG_DBL_BUFSZ], *name;

	/* One pass for the step range of each metric, one to write. */
	lo = xcalloc(x->nmetrics + 1, sizeof *lo);
	hi = xcalloc(x->nmetrics + 1, sizeof *hi);
	for (i = 0; i < x->nmetrics; i++) {
		lo[i] = INT32_MAX;
		hi[i] = INT32_MIN;
	}
	for (t = 0; t < s->ntrials; t++) {
		if (rung_exact_read(st, x, s->trial_rowid[t], cause) != 0)
			goto fail;
		for (i = 0; i < x->nmetrics; i++) {
			if (x->curves[i].n == 0)
				continue;
			if (x->curves[i].steps[0] < lo[i])
				lo[i] = x->curves[i].steps[0];
			if (x->curves[i].steps[x->curves[i].n - 1] > hi[i])
				hi[i] = x->curves[i].steps[x->curves[i].n - 1];
		}
	}
	for (i = 0; i < x->nmetrics && hi[i] == INT32_MIN; i++)
		/* nothing */;
	if (i == x->nmetrics && s->ntrials > 0) {
		/* No curve column: import could not tell the layout. */
		xasprintf(cause, "study '%s' has no point: a wide CSV of it "
		    "would have no curve column (use -f jsonl, which keeps "
		    "its trials)", s->name);
		goto fail;
	}
	for (i = 0; i < x->nmetrics; i++) {
		if (lo[i] < 0 && lo[i] != INT32_MAX) {
			xasprintf(cause, "metric '%s' has negative steps, "
			    "which wide CSV cannot name: use -f jsonl",
			    x->metrics[i]);
			goto fail;
		}
		/* config/ columns make any group a curve on import. */
		if (hi[i] != INT32_MIN && hi[i] - lo[i] < 2 && s->nparams == 0)
			rung_warn("metric '%s' spans fewer than 3 steps: "
			    "rung reads it back as parameters", x->metrics[i]);
	}
	fputs("id,status", f);
	for (p = 0; p < s->nparams; p++) {
		/* The prefix tells import the curves from the parameters. */
		name = xprintf("config/%s", s->params[p].name);
		fputc(',', f);
		rung_csv_field(f, name);
		free(name);
	}
	for (i = 0; i < x->nmetrics; i++) {
		for (step = lo[i]; hi[i] != INT32_MIN && step <= hi[i];
		    step++) {
			fputc(',', f);
			fprintf(f, "%s_%d", x->metrics[i], step);
		}
	}
	fputc('\n', f);
	for (t = 0; t < s->ntrials; t++) {
		if (rung_exact_read(st, x, s->trial_rowid[t], cause) != 0)
			goto fail;
		rung_csv_field(f, s->ids[t]);
		fprintf(f, ",%s", rung_status_name(s->status[t]));
		for (p = 0; p < s->nparams; p++) {
			fputc(',', f);
			csv_param(f, &s->params[p], t);
		}
		for (i = 0; i < x->nmetrics; i++) {
			j = 0;
			for (step = lo[i]; hi[i] != INT32_MIN && step <= hi[i];
			    step++) {
				fputc(',', f);
				if (j < x->curves[i].n &&
				    x->curves[i].steps[j] == step) {
					fputs(rung_fmt_double(
					    x->curves[i].vals[j], 0, buf), f);
					j++;
				}
			}
		}
		fputc('\n', f);
	}
	if (x->nmetrics > 0 && s->secs != NULL)
		rung_warn("wide CSV has no column for seconds per step: they "
		    "are not exported (use -f long-csv or -f jsonl)");
	free(lo);
	free(hi);
	return 0;
fail:
	free(lo);
	free(hi);
	return -1;
}

static void
free_names(char **names, enum rung_direction *dirs, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(dirs);
}

static int
export_jsonl(FILE *f, struct rung_store *st, const struct rung_study *s,
    struct rung_exact *x, char **cause)
{
	struct rung_points *series;
	json_object	*obj, *params, *steps, **arr;
	uint32_t	 t, *k, i, p;
	size_t		 nseries = x->nmetrics + 1;
	int32_t		 step;
	char		 buf[RUNG_DBL_BUFSZ];
	/* Fields of the layout, and arrays JSON import reads as times. */
	static const char *reserved[] = { "id", "status", "params", "steps",
		"seconds", "metric", "directions", "time", "times",
		"wall_times", "time_steps" };
	char		**mnames = NULL;
	enum rung_direction *mdirs = NULL;
	size_t		 nm = 0;
	json_object	*dirs;

	for (i = 0; i < x->nmetrics; i++) {
		for (p = 0; p < sizeof reserved / sizeof reserved[0]; p++) {
			if (strcmp(x->metrics[i], reserved[p]) == 0) {
				xasprintf(cause, "metric '%s' has the name of a "
				    "field of rung's JSON Lines layout: use "
				    "-f long-csv", x->metrics[i]);
				return -1;
			}
		}
	}
	/* Each metric's direction, so that import judges them alike. */
	if (rung_store_metrics(st, s->id, &mnames, &mdirs, &nm, cause) != 0)
		return -1;
	series = xcalloc(nseries, sizeof *series);
	k = xcalloc(nseries, sizeof *k);
	arr = xcalloc(nseries, sizeof *arr);
	for (t = 0; t < s->ntrials; t++) {
		if (rung_exact_read(st, x, s->trial_rowid[t], cause) != 0)
			goto fail;
		obj = json_object_new_object();
		json_object_object_add(obj, "id",
		    json_object_new_string(s->ids[t]));
		json_object_object_add(obj, "status",
		    json_object_new_string(rung_status_name(s->status[t])));
		params = json_object_new_object();
		for (p = 0; p < s->nparams; p++)
			json_object_object_add(params, s->params[p].name,
			    rung_json_param(&s->params[p], t));
		json_object_object_add(obj, "params", params);
		for (i = 0; i < x->nmetrics; i++)
			series[i] = x->curves[i];
		series[x->nmetrics] = x->secs;
		steps = json_object_new_array();
		for (i = 0; i < nseries; i++)
			arr[i] = json_object_new_array();
		memset(k, 0, nseries * sizeof *k);
		while ((step = next_step(series, k, nseries)) != INT32_MAX) {
			json_object_array_add(steps, json_object_new_int(step));
			for (i = 0; i < nseries; i++) {
				if (k[i] < series[i].n &&
				    series[i].steps[k[i]] == step) {
					double v = series[i].vals[k[i]++];

					json_object_array_add(arr[i],
					    json_object_new_double_s(v,
					    rung_fmt_double(v, 0, buf)));
				} else
					json_object_array_add(arr[i], NULL);
			}
		}
		json_object_object_add(obj, "steps", steps);
		for (i = 0; i < x->nmetrics; i++)
			json_object_object_add(obj, x->metrics[i], arr[i]);
		json_object_object_add(obj, "metric",
		    json_object_new_string(nm > 0 ? mnames[0] : s->curve.name));
		dirs = json_object_new_object();
		for (i = 0; i < nm; i++)
			json_object_object_add(dirs, mnames[i],
			    json_object_new_string(rung_direction_name(
			    mdirs[i])));
		json_object_object_add(obj, "directions", dirs);
		if (x->secs.n > 0)
			json_object_object_add(obj, "seconds", arr[nseries - 1]);
		else
			json_object_put(arr[nseries - 1]);
		fputs(json_object_to_json_string_ext(obj,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), f);
		fputc('\n', f);
		json_object_put(obj);
	}
	free(series);
	free(k);
	free(arr);
	free_names(mnames, mdirs, nm);
	return 0;
fail:
	free(series);
	free(k);
	free(arr);
	free_names(mnames, mdirs, nm);
	return -1;
}

static int
cmd_export_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	struct rung_study *s;
	struct rung_exact x;
	const char	*fmt = rung_args_get(args, 'f');
	const char	*path = rung_args_get(args, 'o');
	char		*cause = NULL, *tmp = NULL;
	FILE		*f = ctx->out;
	int		 kind, ret = RUNG_EXIT_ERROR, rc;

	if (fmt == NULL || strcmp(fmt, "long-csv") == 0)
		kind = FMT_LONG;
	else if (strcmp(fmt, "wide-csv") == 0)
		kind = FMT_WIDE;
	else if (strcmp(fmt, "jsonl") == 0)
		kind = FMT_JSONL;
	else {
		rung_error("export: format must be long-csv, wide-csv or "
		    "jsonl, not '%s'", fmt);
		return RUNG_EXIT_USAGE;
	}
	if (rung_store_load(ctx->store, args->argv[0], NULL, 0, &s, &cause) !=
	    0) {
		rung_error("%s", cause);
		free(cause);
		return RUNG_EXIT_ERROR;
	}
	if (rung_exact_open(ctx->store, s->id, &x, &cause) != 0) {
		rung_error("%s", cause);
		free(cause);
		rung_study_free(s);
		return RUNG_EXIT_ERROR;
	}
	if (path != NULL && strcmp(path, "-") != 0) {
		/* Write beside, then rename: never a half-written file. */
		tmp = xprintf("%s.tmp.%ld", path, (long)getpid());
		if ((f = fopen(tmp, "w")) == NULL) {
			rung_error("cannot open '%s': %s", tmp,
			    strerror(errno));
			goto out;
		}
	}
	if (kind == FMT_LONG)
		rc = export_long(f, ctx->store, s, &x, &cause);
	else if (kind == FMT_WIDE)
		rc = export_wide(f, ctx->store, s, &x, &cause);
	else
		rc = export_jsonl(f, ctx->store, s, &x, &cause);
	if (rc != 0) {
		rung_error("%s", cause);
		free(cause);
		goto out;
	}
	if (fflush(f) != 0 || ferror(f)) {
		rung_error("cannot write '%s': %s", path ? path : "stdout",
		    strerror(errno));
		goto out;
	}
	if (tmp != NULL) {
		if (fclose(f) != 0 || rename(tmp, path) != 0) {
			f = NULL;
			rung_error("cannot write '%s': %s", path,
			    strerror(errno));
			goto out;
		}
		f = NULL;
		free(tmp);
		tmp = NULL;
	}
	ret = RUNG_EXIT_OK;
out:
	if (tmp != NULL) {
		if (f != NULL)
			fclose(f);
		unlink(tmp);
		free(tmp);
	}
	rung_exact_release(&x);
	rung_study_free(s);
	return ret;
}

const struct rung_cmd_entry rung_cmd_export_entry = {
	.name = "export",
	.usage = "[-f format] study",
	.summary = "write a study as CSV or JSON Lines that import reads back",
	.shortopts = "f:",
	.longopts = export_longopts,
	.minargs = 1,
	.maxargs = 1,
	.flags = RUNG_CMD_STORE_RO | RUNG_CMD_OUTPUT,
	.exec = cmd_export_exec,
};
