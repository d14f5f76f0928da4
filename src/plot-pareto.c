/*
 * plot pareto: a study of two objectives (an Optuna study of several: its
 * metrics value_0, value_1, ...), every trial by its two final values, the
 * non-dominated ones (rung_pareto_rank, each objective in its own
 * direction) picked out and joined as the staircase that bounds what they
 * dominate. The front is also listed, trial by trial, as a table (or
 * --json): on the standard output when the plot goes to a file or a
 * window, on the standard error when the text plot takes the output.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/jsonout.h"
#include "rung/pview.h"
#include "rung/store.h"
#include "rung/table.h"
#include "rung/xmalloc.h"

#include "plot-int.h"

/* Whether name is value_N, as Optuna's objectives are imported. */
static int
is_objective(const char *name)
{
	const char	*c;

	if (strncmp(name, "value_", 6) != 0 || name[6] == '\0')
		return 0;
	for (c = name + 6; *c >= '0' && *c <= '9'; c++)
		;
	return *c == '\0';
}

/* The two objectives: --objectives's, or the first two value_N. */
static int
objectives(struct plot *pl, const char *study, char **names, size_t n,
    char *obj[2], char **cause)
{
	struct rung_buf	 b = { 0 };
	char		**given;
	size_t		 ng = 0, i, k;
	int		 found = 0, ret = RUNG_EXIT_USAGE;

	for (i = 0; i < n; i++)
		rung_buf_printf(&b, "%s%s", i > 0 ? ", " : "", names[i]);
	if (!rung_args_has(pl->args, OPT_OBJECTIVES)) {
		for (i = 0; i < n && found < 2; i++) {
			if (is_objective(names[i]))
				obj[found++] = names[i];
		}
		if (found == 2) {
			rung_buf_release(&b);
			return 0;
		}
		xasprintf(cause, "study '%s' has %s objective%s (value_0, "
		    "value_1, ... as Optuna's are imported): name two of its "
		    "metrics with --objectives: %s", study, found == 0 ? "no" :
		    "one", found == 1 ? " only" : "s", rung_buf_cstr(&b));
		rung_buf_release(&b);
		return RUNG_EXIT_ERROR;
	}
	given = rung_args_list(pl->args, OPT_OBJECTIVES, &ng);
	if (ng != 2) {
		xasprintf(cause, "--objectives names two metrics, not %zu", ng);
		goto out;
	}
	if (strcmp(given[0], given[1]) == 0) {
		xasprintf(cause, "--objectives names '%s' twice", given[0]);
		goto out;
	}
	for (k = 0; k < 2; k++) {
		for (i = 0; i < n && strcmp(names[i], given[k]) != 0; i++)
			;
		if (i == n) {
			xasprintf(cause, "--objectives: study '%s' has no "
			    "metric '%s'; it has %s", study, given[k],
			    rung_buf_cstr(&b));
			goto out;
		}
		obj[k] = names[i];
	}
	ret = 0;
out:
	for (i = 0; i < ng; i++)
		free(given[i]);
	free(given);
	rung_buf_release(&b);
	return ret;
}

static const double *sort_f;
static enum rung_direction sort_d;

/* The front by the first objective, the better first. */
static int
cmp_first(const void *va, const void *vb)
{
	uint32_t	 a = *(const uint32_t *)va, b = *(const uint32_t *)vb;

	if (rung_better(sort_d, sort_f[a], sort_f[b]))
		return -1;
	if (rung_better(sort_d, sort_f[b], sort_f[a]))
		return 1;
	return (a > b) - (a < b);
}

/* The front as a table or JSON, to f. */
static void
list_front(struct plot *pl, FILE *f, const struct rung_study *s,
    char *obj[2], const double *f1, const double *f2, const uint32_t *front,
    uint32_t nf)
{
	struct rung_table *tab;
	const char	*hdr[3], *row[3];
	char		 b1[RUNG_DBL_BUFSZ], b2[RUNG_DBL_BUFSZ];
	json_object	*o, *arr, *e;
	uint32_t	 i, t;

	if (pl->ctx->format == RUNG_OUT_JSON) {
		o = json_object_new_object();
		json_object_object_add(o, "study",
		    json_object_new_string(s->name));
		arr = json_object_new_array();
		for (i = 0; i < 2; i++)
			json_object_array_add(arr,
			    json_object_new_string(obj[i]));
		json_object_object_add(o, "objectives", arr);
		arr = json_object_new_array();
		for (i = 0; i < nf; i++) {
			t = front[i];
			e = json_object_new_object();
			json_object_object_add(e, "id",
			    json_object_new_string(s->ids[t]));
			json_object_object_add(e, obj[0],
			    rung_json_double(f1[t], 0));
			json_object_object_add(e, obj[1],
			    rung_json_double(f2[t], 0));
			json_object_array_add(arr, e);
		}
		json_object_object_add(o, "front", arr);
		rung_json_print(f, o, pl->ctx->tty && f == pl->ctx->out);
		return;
	}
	hdr[0] = "ID";
	hdr[1] = obj[0];
	hdr[2] = obj[1];
	tab = rung_table_new(hdr, 3);
	for (i = 0; i < nf; i++) {
		t = front[i];
		row[0] = s->ids[t];
		row[1] = rung_fmt_double(f1[t], 0, b1);
		row[2] = rung_fmt_double(f2[t], 0, b2);
		rung_table_add(tab, row);
	}
	rung_table_print(tab, f);
	rung_table_free(tab);
}

static int
plot_pareto(struct plot *pl, const struct rung_study *unused, char **cause)
{
	struct rung_plot *p = pl->p;
	struct rung_study *s[2] = { NULL, NULL };
	char		**names = NULL, *obj[2], *l1 = NULL, *l2 = NULL;
	double		*f[2] = { NULL, NULL };
	uint32_t	*rank = NULL, *front = NULL, nf, t, i, nother = 0;
	size_t		 n = 0, k;
	int64_t		 u;
	FILE		*list;
	int		 ret = RUNG_EXIT_USAGE, to_stdout;

	(void)unused;
	to_stdout = pl->tg.term == RUNG_PLOT_DUMB && pl->tg.path == NULL;
	if (rung_args_has(pl->args, RUNG_OPT_METRIC) ||
	    rung_args_has(pl->args, RUNG_OPT_DIRECTION)) {
		rung_error("plot pareto: the objectives are --objectives's, "
		    "each in its own direction: not -m or --direction");
		return RUNG_EXIT_USAGE;
	}
	if (to_stdout && pl->ctx->format == RUNG_OUT_JSON) {
		rung_error("plot pareto: --json lists the front on the standard "
		    "output: give the plot a file with -o");
		return RUNG_EXIT_USAGE;
	}
	ret = RUNG_EXIT_ERROR;
	if (rung_store_load(pl->ctx->store, pl->study, NULL, 0, &s[0],
	    cause) != 0)
		goto out;
	if (rung_store_metrics(pl->ctx->store, s[0]->id, &names, NULL, &n,
	    cause) != 0)
		goto out;
	if ((ret = objectives(pl, pl->study, names, n, obj, cause)) != 0)
		goto out;
	ret = RUNG_EXIT_ERROR;
	rung_study_free(s[0]);
	s[0] = NULL;
	for (k = 0; k < 2; k++) {
		if (rung_store_load(pl->ctx->store, pl->study, obj[k], 0, &s[k],
		    cause) != 0)
			goto out;
	}
	/* Both read in the store's order; by id all the same. */
	for (k = 0; k < 2; k++)
		f[k] = xcalloc(s[0]->ntrials + 1, sizeof *f[k]);
	for (t = 0; t < s[0]->ntrials; t++) {
		f[0][t] = s[0]->curve.final[t];
		u = t < s[1]->ntrials && strcmp(s[1]->ids[t], s[0]->ids[t]) ==
		    0 ? (int64_t)t : rung_study_find_trial(s[1], s[0]->ids[t]);
		f[1][t] = u >= 0 ? s[1]->curve.final[u] : NAN;
	}
	rank = xcalloc(s[0]->ntrials + 1, sizeof *rank);
	nf = rung_pareto_rank(f[0], s[0]->direction, f[1], s[1]->direction,
	    s[0]->ntrials, rank);
	if (nf == 0) {
		xasprintf(cause, "study '%s' has no trial with both %s and %s",
		    pl->study, obj[0], obj[1]);
		goto out;
	}
	front = xcalloc(nf + 1, sizeof *front);
	for (t = i = 0; t < s[0]->ntrials; t++) {
		if (rank[t] == 0)
			front[i++] = t;
	}
	sort_f = f[0];
	sort_d = s[0]->direction;
	qsort(front, nf, sizeof *front, cmp_first);

	/* (first objective, second, trial number) */
	rung_plot_data(p, "trials");
	for (t = 0; t < s[0]->ntrials; t++) {
		if (rank[t] == 0 || rank[t] == UINT32_MAX)
			continue;
		rung_plot_row(p, 3, f[0][t], f[1][t], (double)t);
		nother++;
	}
	if (nother == 0)
		rung_plot_row(p, 3, NAN, NAN, NAN);
	rung_plot_data(p, "front");
	for (i = 0; i < nf; i++)
		rung_plot_row(p, 3, f[0][front[i]], f[1][front[i]],
		    (double)front[i]);

	plot_preamble(pl);
	l1 = xprintf("%s: the Pareto front of %s (%s) and %s (%s)", pl->study,
	    obj[0], rung_direction_name(s[0]->direction), obj[1],
	    rung_direction_name(s[1]->direction));
	l2 = xprintf("%u trial%s on the front of %u with both values", nf,
	    nf == 1 ? "" : "s", nf + nother);
	plot_title(pl, "set title", l1, l2);
	plot_label(pl, "set xlabel", obj[0]);
	plot_label(pl, "set ylabel", obj[1]);
	rung_plot_cmd(p, "set key outside below center horizontal\n");
	/* Points on the border hide: a margin around them. */
	rung_plot_cmd(p, "set autoscale fix\nset offsets graph 0.03, graph "
	    "0.03, graph 0.05, graph 0.05\n");
	rung_plot_cmd(p, "plot ");
	if (nother > 0) {
		plot_series(p, "trials", pl->dumb ? "using 1:2 with points pt '.'" :
		    "using 1:2 with points pt 7 ps 0.6 lc rgb '#b0b0b0'",
		    "other trials (%u)", nother);
		rung_plot_cmd(p, ", \\\n     ");
	}
	rung_plot_ref(p, "front");
	rung_plot_cmd(p, " using 1:2 with steps lw 1.5 lc rgb '#d62728' "
	    "notitle, \\\n     ");
	plot_series(p, "front", pl->dumb ? "using 1:2 with points pt 'O'" :
	    "using 1:2 with points pt 7 ps 1.1 lc rgb '#d62728'",
	    "the front (%u)", nf);
	rung_plot_cmd(p, "\n");

	list = to_stdout ? stderr : pl->ctx->out;
	if (to_stdout)
		rung_info("%s: the Pareto front (on the standard output with "
		    "-o FILE):", pl->study);
	list_front(pl, list, s[0], obj, f[0], f[1], front, nf);
	ret = 0;
out:
	if (names != NULL) {
		for (k = 0; k < n; k++)
			free(names[k]);
	}
	free(names);
	for (k = 0; k < 2; k++) {
		rung_study_free(s[k]);
		free(f[k]);
	}
	free(rank);
	free(front);
	free(l1);
	free(l2);
	return ret;
}

static const int pareto_opts[] = { OPT_OBJECTIVES, RUNG_OPT_JSON, 0 };

const struct plot_kind plot_pareto_kind = {
	.name = "pareto",
	.opts = pareto_opts,
	.loads_study = 0,
	.run = plot_pareto,
};
