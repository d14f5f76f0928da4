/*
 * Merging the trials that changed into a study held in memory: what lets
 * the live explorer follow a study of 100,000 trials at the cost of the
 * hundred that changed rather than of reading every curve again.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/study.h"
#include "rung/xmalloc.h"

/* Where an output trial comes from: s's trial i, or p's trial j. */
struct from {
	uint32_t	 i, j;
	int		 fresh;		/* from p */
};

/* Output trials [k, a) come from one block of s's or p's pool. */
struct run {
	uint32_t	 k, a;
};

/* The point pools: the study's, grown in place or made anew. */
struct pools {
	int32_t		*steps;
	float		*vals, *secs;
};

/* Run r's points to their place (memmove: in place, blocks overlap). */
static void
copy_run(struct pools *d, const uint32_t *off, const struct from *from,
    const struct run *r, const struct rung_study *s,
    const struct pools *old, const struct rung_study *p)
{
	const struct rung_curves *c = from[r->k].fresh ? &p->curve : &s->curve;
	const int32_t *steps = from[r->k].fresh ? p->curve.steps : old->steps;
	const float *vals = from[r->k].fresh ? p->curve.vals : old->vals;
	const float *secs = from[r->k].fresh ? p->secs : old->secs;
	uint32_t	 first = from[r->k].fresh ? from[r->k].j : from[r->k].i;
	uint32_t	 at = c->off[first], b;
	uint64_t	 len = off[r->a] - off[r->k];

	memmove(d->steps + off[r->k], steps + at, len * sizeof *d->steps);
	memmove(d->vals + off[r->k], vals + at, len * sizeof *d->vals);
	if (d->secs != NULL && secs != NULL)
		memmove(d->secs + off[r->k], secs + at, len * sizeof *d->secs);
	else if (d->secs != NULL)
		for (b = 0; b < len; b++)
			d->secs[off[r->k] + b] = NAN;
}

/*
 * p's parameters mapped onto s's by name; 1 when one is missing or of
 * another type (a new parameter changes the columns: read it all again).
 */
static int
map_params(const struct rung_study *s, const struct rung_study *p,
    uint32_t *pm)
{
	uint32_t	 a, b;

	for (b = 0; b < p->nparams; b++) {
		for (a = 0; a < s->nparams; a++) {
			if (strcmp(s->params[a].name, p->params[b].name) == 0)
				break;
		}
		if (a == s->nparams || s->params[a].type != p->params[b].type)
			return 1;
		pm[b] = a;
	}
	return 0;
}

/* p's levels of parameter b as s's parameter's, adding those s lacks. */
static uint32_t *
map_levels(struct rung_param *sp, const struct rung_param *pp, int *added)
{
	uint32_t	*lm, l, k;

	lm = xreallocarray(NULL, pp->nlevels ? pp->nlevels : 1, sizeof *lm);
	for (l = 0; l < pp->nlevels; l++) {
		for (k = 0; k < sp->nlevels; k++) {
			if (strcmp(sp->levels[k], pp->levels[l]) == 0)
				break;
		}
		if (k == sp->nlevels) {
			sp->levels = xreallocarray(sp->levels, sp->nlevels + 1,
			    sizeof *sp->levels);
			sp->levels[sp->nlevels++] = xstrdup(pp->levels[l]);
			*added = 1;
		}
		lm[l] = k;
	}
	return lm;
}

int
rung_study_patch(struct rung_study *s, struct rung_study *p, uint32_t **mapp)
{
	struct from	*from;
	struct run	*runs;
	struct pools	 old, d;
	struct rung_curves *oc = &s->curve, *pc = &p->curve, nc = { 0 };
	uint32_t	*pm, *map, i, j, n, k, a, b, **lm, nruns, oldtotal;
	uint64_t	 total = 0;
	uint32_t	*off;
	char		**ids;
	int64_t		*rowid;
	uint8_t		*status;
	int		*added, inplace = 1;

	pm = xcalloc(p->nparams ? p->nparams : 1, sizeof *pm);
	if (map_params(s, p, pm) != 0) {
		free(pm);
		return 1;
	}

	/* Both are in row id order: walk them together. */
	from = xreallocarray(NULL, (size_t)s->ntrials + p->ntrials + 1,
	    sizeof *from);
	map = xreallocarray(NULL, s->ntrials ? s->ntrials : 1, sizeof *map);
	/*
	 * Growing the pool in place and moving its blocks from the last is
	 * safe while no trial's points move left of where s's trials still
	 * to be moved end: nearly always, as curves grow and new trials come
	 * last. Else a new pool.
	 */
	off = xreallocarray(NULL, (size_t)s->ntrials + p->ntrials + 1,
	    sizeof *off);
	for (n = i = j = 0; i < s->ntrials || j < p->ntrials; n++) {
		off[n] = total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
		if (total < oc->off[i])
			inplace = 0;
		if (j == p->ntrials || (i < s->ntrials &&
		    s->trial_rowid[i] < p->trial_rowid[j])) {
			from[n] = (struct from){ .i = i };
			map[i++] = n;
			total += rung_curve_len(s, from[n].i);
			continue;
		}
		from[n] = (struct from){ .j = j, .fresh = 1 };
		if (i < s->ntrials && s->trial_rowid[i] == p->trial_rowid[j])
			map[i++] = n;	/* changed in place */
		total += pc->off[j + 1] - pc->off[j];
		j++;
	}
	if (total > UINT32_MAX) {
		free(off);
		free(from);
		free(map);
		free(pm);
		return 1;
	}
	off[n] = (uint32_t)total;

	/*
	 * The points: a run of s's trials is one block of s's pool, moved
	 * at once; nearly all of the study is a handful of such runs.
	 */
	runs = xreallocarray(NULL, n ? n : 1, sizeof *runs);
	for (nruns = 0, k = 0; k < n; k = a) {
		uint32_t first = from[k].fresh ? from[k].j : from[k].i;

		for (a = k + 1; a < n && from[a].fresh == from[k].fresh &&
		    (from[a].fresh ? from[a].j : from[a].i) == first + (a - k);
		    a++)
			;
		runs[nruns++] = (struct run){ k, a };
	}
	oldtotal = oc->off[s->ntrials];
	old = (struct pools){ oc->steps, oc->vals, s->secs };
	if (old.secs == NULL && p->secs != NULL && inplace) {
		/* s had no seconds: unknown (NaN) for its points. */
		old.secs = xreallocarray(NULL, oldtotal ? oldtotal : 1,
		    sizeof *old.secs);
		for (b = 0; b < oldtotal; b++)
			old.secs[b] = NAN;
	}
	if (inplace) {
		size_t	 cap = total > oldtotal ? total : oldtotal;

		d.steps = xreallocarray(old.steps, cap ? cap : 1,
		    sizeof *d.steps);
		d.vals = xreallocarray(old.vals, cap ? cap : 1,
		    sizeof *d.vals);
		d.secs = old.secs != NULL ? xreallocarray(old.secs,
		    cap ? cap : 1, sizeof *d.secs) : NULL;
		old = d;
		for (k = nruns; k-- > 0;)
			copy_run(&d, off, from, &runs[k], s, &old, p);
	} else {
		d.steps = xreallocarray(NULL, total ? total : 1,
		    sizeof *d.steps);
		d.vals = xreallocarray(NULL, total ? total : 1,
		    sizeof *d.vals);
		d.secs = old.secs != NULL || p->secs != NULL ?
		    xreallocarray(NULL, total ? total : 1, sizeof *d.secs) :
		    NULL;
		for (k = 0; k < nruns; k++)
			copy_run(&d, off, from, &runs[k], s, &old, p);
		free(old.steps);
		free(old.vals);
		free(old.secs);
	}
	free(runs);
	nc.steps = d.steps;
	nc.vals = d.vals;
	ids = xreallocarray(NULL, n ? n : 1, sizeof *ids);
	rowid = xreallocarray(NULL, n ? n : 1, sizeof *rowid);
	status = xreallocarray(NULL, n ? n : 1, 1);
	nc.final = xreallocarray(NULL, n ? n : 1, sizeof *nc.final);
	nc.best = xreallocarray(NULL, n ? n : 1, sizeof *nc.best);

	for (k = 0; k < n; k++) {
		if (from[k].fresh) {
			j = from[k].j;
			ids[k] = p->ids[j];
			p->ids[j] = NULL;
			rowid[k] = p->trial_rowid[j];
			status[k] = p->status[j];
			nc.final[k] = pc->final[j];
			nc.best[k] = pc->best[j];
		} else {
			i = from[k].i;
			ids[k] = s->ids[i];
			s->ids[i] = NULL;
			rowid[k] = s->trial_rowid[i];
			status[k] = s->status[i];
			nc.final[k] = oc->final[i];
			nc.best[k] = oc->best[i];
		}
	}

	/* The parameters: s's values, p's where p has the trial. */
	lm = xcalloc(p->nparams ? p->nparams : 1, sizeof *lm);
	added = xcalloc(s->nparams ? s->nparams : 1, sizeof *added);
	for (b = 0; b < p->nparams; b++) {
		if (p->params[b].type == RUNG_PCAT)
			lm[b] = map_levels(&s->params[pm[b]], &p->params[b],
			    &added[pm[b]]);
	}
	for (a = 0; a < s->nparams; a++) {
		struct rung_param *sp = &s->params[a];
		const struct rung_param *pp = NULL;
		double	*num = NULL;
		uint32_t *cat = NULL, *plm = NULL;

		for (b = 0; b < p->nparams; b++) {
			if (pm[b] == a) {
				pp = &p->params[b];
				plm = lm[b];
			}
		}
		if (sp->type == RUNG_PCAT)
			cat = xreallocarray(NULL, n ? n : 1, sizeof *cat);
		else
			num = xreallocarray(NULL, n ? n : 1, sizeof *num);
		for (k = 0; k < n; k++) {
			j = from[k].j;
			if (!from[k].fresh) {
				if (cat != NULL)
					cat[k] = sp->cat[from[k].i];
				else
					num[k] = sp->num[from[k].i];
			} else if (cat != NULL)
				cat[k] = pp == NULL || pp->cat[j] == UINT32_MAX ?
				    UINT32_MAX : plm[pp->cat[j]];
			else
				num[k] = pp == NULL ? NAN : pp->num[j];
		}
		free(sp->cat);
		free(sp->num);
		sp->cat = cat;
		sp->num = num;
		/* A new level of a numeric set goes to its place. */
		if (added[a])
			rung_param_order_levels(sp, n);
	}

	for (i = 0; i < s->ntrials; i++)
		free(s->ids[i]);	/* those p replaced */
	free(s->ids);
	free(s->trial_rowid);
	free(s->status);
	free(oc->off);
	free(oc->final);
	free(oc->best);
	s->ids = ids;
	s->trial_rowid = rowid;
	s->status = status;
	oc->off = off;
	oc->steps = nc.steps;
	oc->vals = nc.vals;
	oc->final = nc.final;
	oc->best = nc.best;
	s->secs = d.secs;
	s->ntrials = n;
	s->rev = p->rev;
	s->max_step = 0;
	for (k = 0; k < n; k++) {
		if (off[k + 1] > off[k] && oc->steps[off[k + 1] - 1] >
		    s->max_step)
			s->max_step = oc->steps[off[k + 1] - 1];
	}

	for (b = 0; b < p->nparams; b++)
		free(lm[b]);
	free(lm);
	free(added);
	free(from);
	free(pm);
	if (mapp != NULL)
		*mapp = map;
	else
		free(map);
	return 0;
}
