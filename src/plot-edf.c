/*
 * plot edf: the empirical distribution of the trials' values, one step line
 * per study, so that searches of one problem compare at a glance: the share
 * of the trials at or below each value (optuna-dashboard's EDF). Each
 * operand after the kind is a study.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/pview.h"
#include "rung/xmalloc.h"

#include "plot-int.h"

static int
plot_edf(struct plot *pl, const struct rung_study *unused, char **cause)
{
	struct rung_plot *p = pl->p;
	struct rung_study *s = NULL;
	char		*what = NULL, *first = NULL, *l1 = NULL, name[32];
	char		**lab = NULL;
	double		*y = NULL, *v = NULL;
	uint32_t	 m, i;
	int		 k, j, ret = RUNG_EXIT_ERROR, same = 1;

	(void)unused;
	lab = xcalloc((size_t)pl->nstudies + 1, sizeof *lab);
	for (k = 0; k < pl->nstudies; k++) {
		for (j = 0; j < k; j++) {
			if (strcmp(pl->studies[j], pl->studies[k]) == 0) {
				xasprintf(cause, "study '%s' is given twice",
				    pl->studies[k]);
				goto out;
			}
		}
		if (rung_ctx_load(pl->ctx, pl->studies[k], pl->args,
		    rung_args_has(pl->args, OPT_PREFIX), &s, cause) != 0)
			goto out;
		if ((ret = plot_pv_values(pl, s, &y, &what)) != 0)
			goto out;
		ret = RUNG_EXIT_ERROR;
		v = xcalloc(s->ntrials + 1, sizeof *v);
		if ((m = rung_pview_edf(y, s->ntrials, v)) == 0) {
			xasprintf(cause, "study '%s' has no trial with a %s",
			    s->name, what);
			goto out;
		}
		/*
		 * (value, share at or below it), from (the first, 0): drawn
		 * as steps, the line rises at each value.
		 */
		snprintf(name, sizeof name, "edf%d", k);
		rung_plot_data(p, name);
		rung_plot_row(p, 2, v[0], 0.0);
		for (i = 0; i < m; i++)
			rung_plot_row(p, 2, v[i], (double)(i + 1) / m);
		lab[k] = xprintf("%s: %s (%u trials)", s->name, what, m);
		if (first == NULL)
			first = xstrdup(what);
		else if (strcmp(first, what) != 0)
			same = 0;
		free(what);
		what = NULL;
		free(y);
		y = NULL;
		free(v);
		v = NULL;
		rung_study_free(s);
		s = NULL;
	}

	plot_preamble(pl);
	l1 = xprintf("empirical distribution of the %s%s", same ? first :
	    "value", pl->nstudies > 1 ? ", by study" : "");
	plot_title(pl, "set title", l1, pl->nstudies == 1 ? lab[0] :
	    NULL);
	plot_label(pl, "set xlabel", same ? first : "value");
	plot_label(pl, "set ylabel", "share of the trials at or below");
	rung_plot_cmd(p, "set yrange [0:1.02]\n");
	if (pl->nstudies > 1)
		rung_plot_cmd(p, "set key outside below center horizontal\n");
	else
		rung_plot_cmd(p, "unset key\n");
	rung_plot_cmd(p, "plot ");
	for (k = 0; k < pl->nstudies; k++) {
		snprintf(name, sizeof name, "edf%d", k);
		rung_plot_cmd(p, "%s", k > 0 ? ", \\\n     " : "");
		rung_plot_ref(p, name);
		rung_plot_cmd(p, " using 1:2 with steps lw 2 lc rgb '%s' "
		    "title ", plot_colours[k % NCOLOURS]);
		rung_plot_quote(p, lab[k]);
	}
	rung_plot_cmd(p, "\n");
	ret = 0;
out:
	if (lab != NULL) {
		for (k = 0; k < pl->nstudies; k++)
			free(lab[k]);
	}
	free(lab);
	free(first);
	free(what);
	free(y);
	free(v);
	free(l1);
	rung_study_free(s);
	return ret;
}

static const int edf_opts[] = { OPT_PREFIX, 0 };

const struct plot_kind plot_edf_kind = {
	.name = "edf",
	.opts = edf_opts,
	.loads_study = 0,
	.studies = 1,
	.run = plot_edf,
};
