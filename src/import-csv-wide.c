/*
 * Wide CSV: one row per trial, its curve spread over indexed columns such
 * as loss_0 ... loss_99; the other columns are parameters.
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

/* Column names that hold the trial. */
static const char *wide_trial_names[] = { "id", "trial", "trial_id",
	"config_id", "run", NULL };

static int
cmp_int32(const void *va, const void *vb)
{
	int32_t	 a = *(const int32_t *)va, b = *(const int32_t *)vb;

	return a < b ? -1 : (a > b);
}

static int
wide_header(struct csvimp *ci)
{
	const struct rung_import_opts *o = ci->o;
	struct header	*h = &ci->h;
	uint8_t		*skip;
	int		*group, ngroups, g;
	int32_t		*gmin, *steps, index;
	uint32_t	*gmetric;
	size_t		 i, plen, nsteps = 0, lo, hi, mid;
	char		*mname;
	int		 ret = -1;

	if (csv_header_dups(h, ci->path, ci->cause) != 0)
		return -1;
	ci->cols = xcalloc(h->n ? h->n : 1, sizeof *ci->cols);
	skip = xcalloc(h->n ? h->n : 1, sizeof *skip);
	group = xcalloc(h->n ? h->n : 1, sizeof *group);
	gmin = NULL;
	gmetric = NULL;
	steps = NULL;
	/*
	 * 1: left out; 2: a parameter that looks indexed (layer_1, layer_2,
	 * layer_3 of --params), kept out of the curves.
	 */
	for (i = 0; i < h->n; i++) {
		if (h->names[i][0] == '\0' ||
		    csv_in_opts_list(h->names[i], o->ignore, o->nignore))
			skip[i] = 1;
		else if (csv_in_opts_list(h->names[i], o->params, o->nparams))
			skip[i] = 2;
	}

	if (csv_pick_column(h, o->trial_col, "--trial-col", wide_trial_names, 0,
	    skip, ci->path, &ci->trial_col, ci->cause) != 0)
		goto out;
	if (csv_pick_column(h, o->status_col, "--status-col",
	    csv_status_names, 0, skip, ci->path, &ci->status_col,
	    ci->cause) != 0)
		goto out;
	if (ci->trial_col >= 0)
		skip[ci->trial_col] = 1;
	if (ci->status_col >= 0)
		skip[ci->status_col] = 1;
	/* Rows numbered in several files: "name:0", as JSON lists are. */
	if (ci->trial_col < 0 && o->multi_file && (ci->stem =
	    rung_import_file_trial(o, ci->path, "no trial column",
	    ci->cause)) == NULL)
		goto out;

	/*
	 * Without indexed columns, the curves may be lists in cells (LCDB's
	 * "[16, 23, 32]"): the first row of data tells (wide_roles).
	 */
	ngroups = csv_find_groups(h, o->curve_prefix, skip, group);
	ci->ngroups = ngroups;
	if (ngroups == 0 && o->curve_prefix != NULL) {
		xasprintf(ci->cause, "%s:%ld: no curve columns %s0, %s1, ... "
		    "(named by --curve-prefix)", ci->path, h->line,
		    o->curve_prefix, o->curve_prefix);
		goto out;
	}

	/* Each group: its metric and its smallest index. */
	gmin = xcalloc((size_t)ngroups, sizeof *gmin);
	gmetric = xcalloc((size_t)ngroups, sizeof *gmetric);
	for (g = 0; g < ngroups; g++)
		gmin[g] = INT32_MAX;
	for (i = 0; i < h->n; i++) {
		if ((g = group[i]) < 0)
			continue;
		csv_split_indexed(h->names[i], &plen, &index);
		if (gmin[g] == INT32_MAX) {
			/* loss_ names "loss", ep_ names "ep". */
			if (plen > 1 && (h->names[i][plen - 1] == '_' ||
			    h->names[i][plen - 1] == '.' ||
			    h->names[i][plen - 1] == '-'))
				mname = xstrndup(h->names[i], plen - 1);
			else
				mname = xstrndup(h->names[i], plen);
			gmetric[g] = rung_batch_metric(ci->b, mname);
			free(mname);
		}
		if (index < gmin[g])
			gmin[g] = index;
	}

	/*
	 * Steps: the index, or shifted so that the first one is
	 * --first-step. Groups share a row per step, so map every curve
	 * column to a slot of the distinct steps.
	 */
	steps = xcalloc(h->n ? h->n : 1, sizeof *steps);
	for (i = 0; i < h->n; i++) {
		if ((g = group[i]) < 0)
			continue;
		csv_split_indexed(h->names[i], &plen, &index);
		if (o->first_step_set) {
			int64_t s = (int64_t)index - gmin[g] + o->first_step;

			if (s < INT32_MIN || s > INT32_MAX) {
				xasprintf(ci->cause, "%s:%ld: column '%s': "
				    "step out of range", ci->path, h->line,
				    h->names[i]);
				goto out;
			}
			index = (int32_t)s;
		}
		ci->cols[i].role = R_CURVE;
		ci->cols[i].idx = gmetric[g];
		ci->cols[i].step = index;
		steps[nsteps++] = index;
	}
	qsort(steps, nsteps, sizeof *steps, cmp_int32);
	ci->nslots = 0;
	for (i = 0; i < nsteps; i++) {
		if (ci->nslots == 0 || steps[i] != steps[ci->nslots - 1])
			steps[ci->nslots++] = steps[i];
	}
	for (i = 0; i < h->n; i++) {
		if (ci->cols[i].role != R_CURVE)
			continue;
		lo = 0;
		hi = ci->nslots;
		while (lo < hi) {
			mid = (lo + hi) / 2;
			if (steps[mid] < ci->cols[i].step)
				lo = mid + 1;
			else
				hi = mid;
		}
		ci->cols[i].slot = (uint32_t)lo;
	}
	ci->slotrow = xcalloc(ci->nslots ? ci->nslots : 1,
	    sizeof *ci->slotrow);

	/* The other columns wait for the first row: lists, or parameters. */
	ci->skip = skip;
	skip = NULL;
	ret = 0;
out:
	free(steps);
	free(gmin);
	free(gmetric);
	free(group);
	free(skip);
	return ret;
}

/*
 * The roles of the columns that are not indexed curves, decided on the
 * first row of data: lists in cells (import-csv-array.c), else
 * parameters.
 */
static int
wide_roles(struct csvimp *ci, struct reader *r)
{
	struct header	*h = &ci->h;
	size_t		 i;
	int		 narrays;

	if ((narrays = csv_array_roles(ci, r)) < 0)
		return -1;
	if (ci->ngroups == 0 && narrays == 0) {
		xasprintf(ci->cause, "%s:%ld: no indexed curve columns (loss_0, "
		    "loss_1, ...) and no lists in the cells of the first row; "
		    "name the prefix with --curve-prefix", ci->path, h->line);
		return -1;
	}
	for (i = 0; i < h->n; i++) {
		if ((int)i == ci->trial_col)
			ci->cols[i].role = R_TRIAL;
		else if ((int)i == ci->status_col)
			ci->cols[i].role = R_STATUS;
		else if (ci->cols[i].role != R_SKIP)
			continue;	/* a curve, a list, its labels */
		else if (ci->skip[i] == 1) {
			if (h->names[i][0] == '\0')
				csv_warn_unnamed(ci, i);
			ci->cols[i].role = R_SKIP;
		} else if (strncmp(h->names[i], "config/", 7) == 0 &&
		    h->names[i][7] != '\0') {
			/* rung export's parameters, as in long CSV. */
			ci->cols[i].role = R_PARAM;
			ci->cols[i].idx = rung_batch_param(ci->b,
			    h->names[i] + 7);
		} else if (strncmp(h->names[i], "p:", 2) == 0 &&
		    h->names[i][2] != '\0') {
			/* DeepHyper's and LCDB's parameters: p:lr. */
			ci->cols[i].role = R_PARAM;
			ci->cols[i].idx = rung_batch_param(ci->b,
			    h->names[i] + 2);
		} else {
			ci->cols[i].role = R_PARAM;
			ci->cols[i].idx = rung_batch_param(ci->b, h->names[i]);
		}
	}
	ci->roles_done = 1;
	return 0;
}

static int
wide_record(struct reader *r, void *arg)
{
	struct csvimp	*ci = arg;
	struct rung_batch *b = ci->b;
	const struct field *f;
	const char	*s;
	struct col	*c;
	char		 idbuf[16], *id;
	uint32_t	 trial, slot;
	double		 v;
	int		 rc;
	size_t		 i;

	if (!csv_record_begin(ci, r, wide_header, &rc))
		return rc;
	if (!ci->roles_done && wide_roles(ci, r) != 0)
		return -1;

	if (ci->trial_col >= 0) {
		if (csv_trial_cell(ci, r, &trial) != 0)
			return -1;
	} else if (ci->stem != NULL) {
		/* One row is one trial: an allocation per row is cheap. */
		id = xprintf("%s:%u", ci->stem, ci->nrecords);
		trial = rung_batch_trial(b, id);
		free(id);
	} else {
		snprintf(idbuf, sizeof idbuf, "%u", ci->nrecords);
		trial = rung_batch_trial(b, idbuf);
	}
	ci->nrecords++;
	/* No row of an earlier line is held: this line's may spill them. */
	rung_batch_checkpoint(b);
	if ((ci->arr.any || ci->arr.join_col >= 0) &&
	    csv_array_record(ci, r, trial) != 0)
		return -1;

	for (slot = 0; slot < ci->nslots; slot++)
		ci->slotrow[slot] = UINT32_MAX;
	for (i = 0; i < r->nf; i++) {
		c = &ci->cols[i];
		f = &r->f[i];
		if (f->len == 0)
			continue;
		s = fld(r, i);
		switch (c->role) {
		case R_CURVE:
			if (csv_parse_number(s, f->len, &v) != 0) {
				return csv_cell_error(ci->path, ci->cause, f, s,
				    ci->h.names[i], "a number");
			}
			if (ci->slotrow[c->slot] == UINT32_MAX) {
				ci->slotrow[c->slot] = rung_batch_row(b, trial,
				    c->step);
			}
			rung_batch_set(b, ci->slotrow[c->slot], c->idx, v);
			break;
		case R_PARAM:
			rung_batch_param_token(b, trial, c->idx, s, f->len);
			break;
		case R_STATUS:
			if (csv_status_cell(ci, f, s, ci->h.names[i],
			    trial) != 0)
				return -1;
			break;
		default:
			break;
		}
	}
	return 0;
}

int
rung_import_wide_csv(struct rung_batch *b, const char *path,
    const struct rung_import_opts *o, char **cause)
{
	return csv_import(b, path, o, cause, wide_record, csv_join_configs);
}
