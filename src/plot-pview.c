/*
 * What the parameter views of rung plot share (slice, parallel, contour,
 * history, edf, pareto): the value of each trial, the parameters chosen
 * and their axes, and tics that show what the parameter took: level names
 * for a categorical one, real values for a log-scaled one.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/importance.h"
#include "rung/pview.h"
#include "rung/xmalloc.h"

#include "plot-int.h"

/* Level names longer than this are cut on the tics. */
#define LEVEL_CHARS	16

int
plot_pv_values(struct plot *pl, const struct rung_study *s, double **y,
    char **what)
{
	struct rung_imp_col *cols = NULL;
	size_t		 n = 0;
	uint32_t	 t;
	int		 ret;

	*y = NULL;
	*what = NULL;
	if ((ret = rung_args_columns(pl->args, "plot", OPT_PREFIX,
	    s->max_step, &cols, &n)) != 0)
		return ret;
	if (n != 1) {
		rung_error("plot %s: --prefix takes one step (or 'final'), not "
		    "%zu", pl->kname, n);
		free(cols);
		return RUNG_EXIT_USAGE;
	}
	*y = xcalloc(s->ntrials + 1, sizeof **y);
	for (t = 0; t < s->ntrials; t++)
		(*y)[t] = cols[0].step > 0 ? rung_trial_value_at(s, t,
		    cols[0].step) : rung_trial_final(s, t);
	if (cols[0].step > 0)
		*what = xprintf("%s at step %d", s->curve.name, cols[0].step);
	else
		*what = xprintf("final %s", s->curve.name);
	free(cols);
	return 0;
}

/* Whether some two trials set the parameter to different values. */
static int
varies(const struct rung_study *s, int k)
{
	const struct rung_param	*p = &s->params[k];
	double			 first = NAN;
	uint32_t		 t, lv = UINT32_MAX;

	for (t = 0; t < s->ntrials; t++) {
		if (p->type == RUNG_PCAT) {
			if (p->cat[t] >= p->nlevels)
				continue;
			if (lv != UINT32_MAX && p->cat[t] != lv)
				return 1;
			lv = p->cat[t];
		} else if (isfinite(p->num[t])) {
			if (!isnan(first) && p->num[t] != first)
				return 1;
			first = p->num[t];
		}
	}
	return 0;
}

int
plot_pv_axes(struct plot *pl, const struct rung_study *s,
    struct rung_pview_axis **axes, size_t *n, char **cause)
{
	int		*order = NULL;
	size_t		 norder = 0, i, nskip = 0;
	int		 ret, named = rung_args_has(pl->args, RUNG_OPT_PARAMS);

	*axes = NULL;
	*n = 0;
	if ((ret = rung_args_params(pl->args, "plot", s, &order,
	    &norder)) != 0)
		return ret;
	*axes = xcalloc(norder + 1, sizeof **axes);
	for (i = 0; i < norder; i++) {
		if (rung_pview_axis(s, order[i], &(*axes)[*n]) != 0) {
			if (named) {
				xasprintf(cause, "no trial of '%s' sets '%s'%s",
				    s->name, s->params[order[i]].name,
				    s->params[order[i]].log ? " to a positive "
				    "value (it is log-scaled)" : "");
				free(order);
				free(*axes);
				*axes = NULL;
				return RUNG_EXIT_ERROR;
			}
			nskip++;
			continue;
		}
		/* One value tells nothing, unless asked for by name. */
		if (!named && !varies(s, order[i])) {
			nskip++;
			continue;
		}
		(*n)++;
	}
	free(order);
	if (nskip > 0 && !named)
		rung_info("%s: %zu parameter%s left out: no trial sets %s, or "
		    "all set %s to one value", s->name, nskip, nskip == 1 ?
		    "" : "s", nskip == 1 ? "it" : "them", nskip == 1 ? "it" :
		    "them");
	if (*n == 0) {
		xasprintf(cause, "study '%s' has no parameter that trials set "
		    "to different values", s->name);
		free(*axes);
		*axes = NULL;
		return RUNG_EXIT_ERROR;
	}
	return 0;
}

char *
plot_pv_short(const char *s, size_t max)
{
	size_t	 i, n = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (n++ == max)
			return xprintf("%.*s...", (int)i, s);
	}
	return xstrdup(s);
}

/* The characters the levels' names take, cut to cut, a gap of 2 each. */
static size_t
names_width(const struct rung_param *p, size_t cut)
{
	size_t		 w = 0, len;
	uint32_t	 l;

	for (l = 0; l < p->nlevels; l++) {
		len = strlen(p->levels[l]);
		w += (len > cut ? cut + 3 : len) + 2;
	}
	return w;
}

int
plot_pv_tics(struct plot *pl, const char *axis, const struct rung_study *s,
    const struct rung_pview_axis *ax, double across)
{
	const struct rung_param	*p = &s->params[ax->param];
	char			*lab;
	size_t			 w, cut = LEVEL_CHARS;
	uint32_t		 l;
	int			 named = 1;

	if (ax->cat) {
		/*
		 * Every level's name where they fit, cut shorter where they
		 * would not; a study of a thousand architectures has no room
		 * for them: the levels' numbers then.
		 */
		if ((double)(w = names_width(p, cut)) > across) {
			cut = 6;
			named = (double)names_width(p, cut) <= across;
		}
		if (named) {
			rung_plot_cmd(pl->p, "set %stics (", axis);
			for (l = 0; l < p->nlevels; l++) {
				lab = plot_pv_short(p->levels[l], cut);
				rung_plot_cmd(pl->p, "%s", l > 0 ? ", " : "");
				rung_plot_quote(pl->p, lab);
				rung_plot_cmd(pl->p, " %u", l);
				free(lab);
			}
			rung_plot_cmd(pl->p, ")\n");
		}
		rung_plot_cmd(pl->p, "set %srange [", axis);
		rung_plot_num(pl->p, ax->lo - 0.5);
		rung_plot_cmd(pl->p, ":");
		rung_plot_num(pl->p, ax->hi + 0.5);
		rung_plot_cmd(pl->p, "]\n");
		return named;
	}
	if (ax->log)
		rung_plot_cmd(pl->p, "set logscale %s\n", axis);
	/* 0.001, not 0.00100: short labels, further apart. */
	rung_plot_cmd(pl->p, "set format %s '%%g'\n", axis);
	return 1;
}

/* The axis' label: the name, and the levels' count when not named. */
void
plot_pv_label(struct plot *pl, const char *cmd, const struct rung_study *s,
    const struct rung_pview_axis *ax, int named)
{
	const struct rung_param	*p = &s->params[ax->param];
	char			*lab;

	if (named)
		lab = xstrdup(p->name);
	else
		lab = xprintf("%s (%u levels, numbered as first seen)", p->name,
		    p->nlevels);
	plot_label(pl, cmd, lab);
	free(lab);
}
