/*
 * Importance as the commands ask for it: rung importance prints it as a
 * table, rung plot importance draws it, and both read --method,
 * --quantile, --seed, --params and --prefix here, so that the same words
 * give the same shares and the same errors.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/cmd.h"
#include "rung/importance.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

int
rung_imp_args(const struct rung_args *args, const char *cmd,
    struct rung_imp_opts *o)
{
	long	 seed = 0;

	memset(o, 0, sizeof *o);
	o->quantile = RUNG_PED_QUANTILE;
	if ((o->method = rung_args_get(args, RUNG_OPT_METHOD)) == NULL)
		o->method = "ped-anova";
	if (strcmp(o->method, "ped-anova") == 0)
		o->fanova = 0;
	else if (strcmp(o->method, "fanova") == 0)
		o->fanova = 1;
	else {
		rung_error("%s: --method must be ped-anova or fanova, not '%s'",
		    cmd, o->method);
		return RUNG_EXIT_USAGE;
	}
	if (rung_args_has(args, RUNG_OPT_QUANTILE) && rung_args_real_opt(args,
	    cmd, RUNG_OPT_QUANTILE, "quantile", 0, 1, 1,
	    "a share of the trials above 0 and at most 1", &o->quantile) != 0)
		return RUNG_EXIT_USAGE;
	if (rung_args_has(args, RUNG_OPT_QUANTILE) && o->fanova) {
		rung_error("%s: --quantile is PED-ANOVA's: not with --method "
		    "fanova", cmd);
		return RUNG_EXIT_USAGE;
	}
	if (rung_args_has(args, RUNG_OPT_SEED)) {
		if (rung_args_int_opt(args, cmd, RUNG_OPT_SEED, "seed", 0,
		    LONG_MAX, &seed) != 0)
			return RUNG_EXIT_USAGE;
		if (!o->fanova) {
			rung_error("%s: --seed seeds fANOVA's forest: give it "
			    "with --method fanova", cmd);
			return RUNG_EXIT_USAGE;
		}
	}
	o->seed = (uint64_t)seed;
	return 0;
}

int
rung_args_params(const struct rung_args *args, const char *cmd,
    const struct rung_study *s, int **order, size_t *n)
{
	struct rung_buf	 b = { 0 };
	char		**names, **all;
	size_t		 nn = 0, i, j;
	uint32_t	 k;
	int		 p, ret = 0;

	*order = xcalloc(s->nparams + 1, sizeof **order);
	*n = 0;
	if (!rung_args_has(args, RUNG_OPT_PARAMS)) {
		for (k = 0; k < s->nparams; k++)
			(*order)[(*n)++] = (int)k;
		return 0;
	}
	names = rung_args_list(args, RUNG_OPT_PARAMS, &nn);
	for (i = 0; i < nn; i++) {
		if ((p = rung_study_find_param(s, names[i])) < 0) {
			all = xcalloc(s->nparams + 1, sizeof *all);
			for (k = 0; k < s->nparams; k++)
				all[k] = s->params[k].name;
			rung_buf_did_you_mean(&b, names[i], all, s->nparams);
			rung_error("%s: --params: '%s' is no parameter of "
			    "'%s'%s", cmd, names[i], s->name,
			    rung_buf_cstr(&b));
			rung_buf_release(&b);
			free(all);
			ret = RUNG_EXIT_USAGE;
			break;
		}
		for (j = 0; j < *n && (*order)[j] != p; j++)
			;
		if (j == *n)
			(*order)[(*n)++] = p;
	}
	for (i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	if (ret != 0) {
		free(*order);
		*order = NULL;
		*n = 0;
	}
	return ret;
}

/*
 * The columns --prefix names: steps, percentages of the study's last step,
 * and "final", separated by commas; the final values alone without it.
 */
int
rung_args_columns(const struct rung_args *args, const char *cmd,
    int prefix_id, int32_t max_step, struct rung_imp_col **cols, size_t *n)
{
	struct rung_imp_opts ob, *o = &ob;
	struct rung_imp_col *c;
	char		**items, *end;
	size_t		 nitems = 0, i, len;
	double		 v;
	int		 pct, ret = RUNG_EXIT_USAGE;

	memset(o, 0, sizeof *o);
	if (!rung_args_has(args, prefix_id)) {
		o->cols = xcalloc(1, sizeof *o->cols);
		snprintf(o->cols[0].label, sizeof o->cols[0].label, "final");
		o->ncols = 1;
		goto done;
	}
	items = rung_args_list(args, prefix_id, &nitems);
	o->cols = c = xcalloc(nitems ? nitems : 1, sizeof *c);
	for (i = 0; i < nitems; i++) {
		if (strcmp(items[i], "final") == 0) {
			snprintf(c[o->ncols].label, sizeof c[o->ncols].label,
			    "final");
			o->ncols++;
			continue;
		}
		len = strlen(items[i]);
		pct = len > 0 && items[i][len - 1] == '%';
		errno = 0;
		v = strtod(items[i], &end);
		if (end == items[i] || *end != (pct ? '%' : '\0') ||
		    (pct && end[1] != '\0') || errno != 0 || !(v > 0) ||
		    (pct ? v > 100 : v > INT32_MAX || v != floor(v))) {
			rung_error("%s: --prefix: '%s' is no step (1 to %d), "
			    "percentage of the last step (above 0%% to 100%%) "
			    "or 'final'", cmd, items[i], INT32_MAX);
			goto out;
		}
		c[o->ncols].step = pct ? (int32_t)ceil(v / 100 * max_step) :
		    (int32_t)v;
		if (c[o->ncols].step < 1)
			c[o->ncols].step = 1;
		snprintf(c[o->ncols].label, sizeof c[o->ncols].label, "%s",
		    items[i]);
		o->ncols++;
	}
	ret = 0;
out:
	for (i = 0; i < nitems; i++)
		free(items[i]);
	free(items);
	if (ret != 0) {
		free(o->cols);
		return ret;
	}
done:
	*cols = o->cols;
	*n = o->ncols;
	return 0;
}

int
rung_imp_setup(const struct rung_args *args, const char *cmd, int prefix_id,
    const struct rung_study *s, struct rung_imp_opts *o)
{
	size_t	 i;
	int	 ret;

	if ((ret = rung_args_params(args, cmd, s, &o->order,
	    &o->norder)) != 0)
		return ret;
	o->use = xcalloc(s->nparams + 1, 1);
	for (i = 0; i < o->norder; i++)
		o->use[o->order[i]] = 1;
	return rung_args_columns(args, cmd, prefix_id, s->max_step, &o->cols,
	    &o->ncols);
}

int
rung_imp_compute(const char *cmd, const struct rung_study *s,
    struct rung_imp_opts *o)
{
	struct rung_imp_col *c;
	double		*y;
	char		*cause = NULL;
	uint32_t	 t;
	size_t		 k;
	int		 ret = RUNG_EXIT_ERROR;

	y = xreallocarray(NULL, s->ntrials ? s->ntrials : 1, sizeof *y);
	for (k = 0; k < o->ncols; k++) {
		c = &o->cols[k];
		for (t = 0; t < s->ntrials; t++)
			y[t] = c->step > 0 ? rung_trial_value_at(s, t,
			    c->step) : rung_trial_final(s, t);
		if ((o->fanova ? rung_fanova(s, y, o->seed, o->use, &c->im,
		    &cause) : rung_ped_anova(s, y, s->direction, o->quantile,
		    o->use, &c->im, &cause)) != 0) {
			rung_error("%s: %s: %s%s: %s", cmd, s->name, c->step >
			    0 ? "at step " : "at the end", c->step > 0 ?
			    c->label : "", cause);
			free(cause);
			goto out;
		}
		if (c->im.note != NULL)
			rung_warn("%s", c->im.note);
		if (o->fanova)
			rung_info("%s: %u trials set every parameter and have "
			    "a value", c->step > 0 ? c->label : "final values",
			    c->im.ntrials);
		else if (c->step > 0)
			rung_info("%s at step %d: %u trials, the best %u make "
			    "the top", c->label, c->step, c->im.ntrials,
			    c->im.ntop);
		else
			rung_info("final values: %u trials, the best %u make "
			    "the top", c->im.ntrials, c->im.ntop);
	}
	ret = 0;
out:
	free(y);
	return ret;
}

static const double *sort_share;

static int
cmp_share(const void *va, const void *vb)
{
	int	 a = *(const int *)va, b = *(const int *)vb;
	double	 x = sort_share[a], y = sort_share[b];

	if (isnan(x) || isnan(y))
		return isnan(x) - isnan(y);
	return x > y ? -1 : x < y ? 1 : (a > b) - (a < b);
}

void
rung_imp_sort(const double *share, int *params, size_t n)
{
	sort_share = share;
	qsort(params, n, sizeof *params, cmp_share);
}

void
rung_imp_release(struct rung_imp_opts *o)
{
	size_t	 k;

	for (k = 0; k < o->ncols; k++)
		rung_importance_release(&o->cols[k].im);
	free(o->cols);
	free(o->use);
	free(o->order);
	o->cols = NULL;
	o->use = NULL;
	o->order = NULL;
	o->ncols = o->norder = 0;
}
