#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/cmd.h"
#include "rung/jsonout.h"
#include "rung/launch.h"
#include "rung/store.h"
#include "rung/table.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

static json_object *
points_json(const struct rung_points *p)
{
	json_object	*obj, *steps, *vals;
	uint32_t	 i;

	obj = json_object_new_object();
	steps = json_object_new_array_ext((int)p->n);
	vals = json_object_new_array_ext((int)p->n);
	for (i = 0; i < p->n; i++) {
		json_object_array_add(steps, json_object_new_int(p->steps[i]));
		json_object_array_add(vals, rung_json_double(p->vals[i], 0));
	}
	json_object_object_add(obj, "steps", steps);
	json_object_object_add(obj, "values", vals);
	return obj;
}

/* Value of p at step, or NULL when p has no point there; *k walks p. */
static const double *
at_step(const struct rung_points *p, uint32_t *k, int32_t step)
{
	while (*k < p->n && p->steps[*k] < step)
		(*k)++;
	if (*k < p->n && p->steps[*k] == step)
		return &p->vals[*k];
	return NULL;
}

static void
show_text(struct rung_ctx *ctx, const struct rung_study *s, uint32_t t,
    struct rung_exact *x)
{
	struct rung_table *tab;
	const char	**hdr, **row;
	char		**cells, num[RUNG_DBL_BUFSZ], *e[2];
	uint32_t	 i, *k, ncols, c;
	int32_t		 step, next;
	const double	*v;
	const struct rung_param *p;
	/* CSV is the points alone, exact, for a program to read. */
	int		 csv = ctx->format == RUNG_OUT_CSV;

	if (csv)
		goto points;
	/* Names, the id and values come from data: shown escaped. */
	e[0] = rung_esc(s->ids[t]);
	e[1] = rung_esc(s->name);
	fprintf(ctx->out, "trial %s of study %s: %s\n", e[0], e[1],
	    rung_status_name(s->status[t]));
	free(e[0]);
	free(e[1]);
	e[0] = rung_esc(s->curve.name);
	fprintf(ctx->out, "metric %s (%s), %u points, last step %d\n",
	    e[0], rung_direction_name(s->direction),
	    rung_curve_len(s, t), rung_trial_last_step(s, t));
	free(e[0]);
	fprintf(ctx->out, "final %s", rung_fmt_human(rung_trial_final(s, t),
	    num));
	fprintf(ctx->out, ", best %s\n", rung_fmt_human(rung_trial_best(s, t),
	    num));
	for (i = 0; i < s->nparams; i++) {
		p = &s->params[i];
		if (i == 0)
			fprintf(ctx->out, "parameters:\n");
		e[0] = rung_esc(p->name);
		if (p->type == RUNG_PCAT) {
			e[1] = rung_esc(p->cat[t] == UINT32_MAX ? "(unset)" :
			    p->levels[p->cat[t]]);
			fprintf(ctx->out, "  %s = %s\n", e[0], e[1]);
			free(e[1]);
		} else
			fprintf(ctx->out, "  %s = %s%s\n", e[0],
			    isnan(p->num[t]) ? "(unset)" :
			    rung_fmt_double(p->num[t], 0, num),
			    p->log ? " (log scale)" : "");
		free(e[0]);
	}
	fputc('\n', ctx->out);

points:
	ncols = (uint32_t)x->nmetrics + 1 + (x->secs.n > 0);
	hdr = xcalloc(ncols, sizeof *hdr);
	row = xcalloc(ncols, sizeof *row);
	cells = xcalloc(ncols, sizeof *cells);
	k = xcalloc(ncols, sizeof *k);
	hdr[0] = ">STEP";
	for (i = 0; i < x->nmetrics; i++)
		hdr[i + 1] = xprintf(">%s", x->metrics[i]);
	if (x->secs.n > 0)
		hdr[ncols - 1] = ">SECONDS";
	tab = rung_table_new(hdr, (int)ncols);
	/* Walk the union of steps of every metric. */
	for (step = INT32_MIN;;) {
		next = INT32_MAX;
		c = 0;
		for (i = 0; i < x->nmetrics; i++) {
			uint32_t j = k[i];

			while (j < x->curves[i].n &&
			    x->curves[i].steps[j] < step)
				j++;
			if (j < x->curves[i].n) {
				c = 1;
				if (x->curves[i].steps[j] < next)
					next = x->curves[i].steps[j];
			}
		}
		if (!c)
			break;
		step = next;
		cells[0] = xprintf("%d", step);
		for (i = 0; i < x->nmetrics; i++) {
			v = at_step(&x->curves[i], &k[i], step);
			cells[i + 1] = xstrdup(v == NULL ? "" : csv ?
			    rung_fmt_double(*v, 0, num) :
			    rung_fmt_human(*v, num));
		}
		if (x->secs.n > 0) {
			v = at_step(&x->secs, &k[ncols - 1], step);
			cells[ncols - 1] = xstrdup(v == NULL ? "" : csv ?
			    rung_fmt_double(*v, 0, num) :
			    rung_fmt_human(*v, num));
		}
		for (i = 0; i < ncols; i++)
			row[i] = cells[i];
		rung_table_add(tab, row);
		for (i = 0; i < ncols; i++) {
			free(cells[i]);
			cells[i] = NULL;
		}
		if (step == INT32_MAX)
			break;
		step++;
	}
	rung_ctx_table(ctx, tab);
	rung_table_free(tab);
	for (i = 0; i < x->nmetrics; i++)
		free((char *)hdr[i + 1]);
	free(hdr);
	free(row);
	free(cells);
	free(k);
}

/*
 * A launched trial: how it ran and ended, and the end of its log, which
 * holds whatever the trainer wrote (colours, progress bars drawn with \r):
 * shown escaped line by line, as the rest of show.
 */
static void
show_launch(struct rung_ctx *ctx, int64_t rowid)
{
	struct rung_buf	 b = { 0 };
	char		*text = NULL, *p, *nl;
	size_t		 len = 0;
	FILE		*f;

	if ((f = open_memstream(&text, &len)) == NULL) {
		rung_error("show: %s", strerror(errno));
		return;
	}
	rung_launch_show_trial(ctx->store, rowid, f, NULL);
	fclose(f);
	for (p = text; p < text + len; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(text + len - p))) == NULL)
			nl = text + len;
		rung_buf_add_esc(&b, p, (size_t)(nl - p));
		if (nl < text + len)
			rung_buf_addc(&b, '\n');
	}
	fwrite(rung_buf_cstr(&b), 1, b.len, ctx->out);
	rung_buf_release(&b);
	free(text);
}

static int
cmd_show_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	struct rung_study *s;
	struct rung_exact x;
	char		*cause = NULL;
	int64_t		 t;
	json_object	*obj, *curves;
	size_t		 i;
	int		 ret = RUNG_EXIT_ERROR;

	if (rung_ctx_load(ctx, args->argv[0], args, 0, &s, &cause) != 0) {
		rung_error("%s", cause);
		free(cause);
		return RUNG_EXIT_ERROR;
	}
	if ((t = rung_study_find_trial(s, args->argv[1])) < 0) {
		rung_error("no trial '%s' in study '%s'", args->argv[1],
		    s->name);
		rung_study_free(s);
		return RUNG_EXIT_ERROR;
	}
	if (rung_exact_open(ctx->store, s->id, &x, &cause) != 0 ||
	    rung_exact_read(ctx->store, &x, s->trial_rowid[t], &cause) != 0) {
		rung_error("%s", cause);
		free(cause);
		goto out;
	}
	if ((ctx->format == RUNG_OUT_JSON)) {
		obj = rung_trial_json(s, (uint32_t)t);
		json_object_object_add(obj, "metric",
		    json_object_new_string(s->curve.name));
		json_object_object_add(obj, "direction",
		    json_object_new_string(rung_direction_name(s->direction)));
		curves = json_object_new_object();
		for (i = 0; i < x.nmetrics; i++)
			json_object_object_add(curves, x.metrics[i],
			    points_json(&x.curves[i]));
		json_object_object_add(obj, "curves", curves);
		json_object_object_add(obj, "seconds", x.secs.n ?
		    points_json(&x.secs) : NULL);
		rung_launch_show_trial(ctx->store, s->trial_rowid[t], NULL,
		    obj);
		rung_json_print(ctx->out, obj, ctx->tty);
	} else if (ctx->format == RUNG_OUT_CSV)
		show_text(ctx, s, (uint32_t)t, &x);
	else {
		show_text(ctx, s, (uint32_t)t, &x);
		show_launch(ctx, s->trial_rowid[t]);
	}
	ret = RUNG_EXIT_OK;
out:
	rung_exact_release(&x);
	rung_study_free(s);
	return ret;
}

const struct rung_cmd_entry rung_cmd_show_entry = {
	.name = "show",
	.usage = "study trial",
	.summary = "show one trial: parameters, statistics and every point",
	.shortopts = "",
	.longopts = NULL,
	.minargs = 2,
	.maxargs = 2,
	.flags = RUNG_CMD_STORE_RO | RUNG_CMD_METRIC | RUNG_CMD_TABLE,
	.exec = cmd_show_exec,
};
