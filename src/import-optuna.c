/*
 * Optuna storages: the RDB storage in an SQLite file, and the JournalStorage
 * file (JournalFileStorage). Either holds any number of studies; each study
 * read becomes a unit of its own, with its own batch.
 *
 * Mapping, the same for both:
 *  - a trial's id is its number within the study ("0", "1", ...);
 *  - COMPLETE is complete, PRUNED stopped, FAIL failed, RUNNING and WAITING
 *    running;
 *  - a parameter keeps the type its distribution declares: Float (and the
 *    legacy Uniform, LogUniform, DiscreteUniform) is real, Int (and
 *    IntUniform, IntLogUniform) is int, both with their log scale;
 *    Categorical is categorical and holds the choice itself, spelled as
 *    Python's str() spells it: strings as they are, None, True, False,
 *    integers in decimal and floats as repr() writes them (0.001, 1e-05,
 *    2.0, nan, inf), so that rung shows what print() printed of the
 *    value;
 *  - the intermediate values (trial.report) are the metric "intermediate"
 *    at their steps, NaN and infinities kept;
 *  - the objective values are the metric "value" (one objective) or
 *    "value_0", "value_1", ... (several), one point each at the trial's
 *    last intermediate step, or at step 0 when it reported none;
 *  - the metric of interest is the objective (--objective picks one of
 *    several), as Optuna's best_trial ranks trials by it, never by an
 *    intermediate value; every objective keeps its own direction, and
 *    "intermediate" the direction of the study's one objective.
 *
 * This file holds the entry and what both storages share: the studies
 * read, their batches, a trial's parameters and points. Python's value
 * rules and the distributions are in import-optuna-values.c, the readers
 * in import-optuna-rdb.c and import-optuna-journal.c.
 */

#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "import-optuna-int.h"


/* Set *cause to "FILE: message" and return -1. */
int
opt_err(struct octx *c, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	xasprintf(c->cause, "%s: %s", c->path, msg);
	free(msg);
	return -1;
}

struct ostudy *
opt_study_add(struct octx *c, int64_t id, const char *name)
{
	struct ostudy	*s;

	XGROW(c->studies, c->studycap, c->nstudies + 1);
	s = &c->studies[c->nstudies++];
	memset(s, 0, sizeof *s);
	s->id = id;
	s->name = xstrdup(name);
	return s;
}

void
opt_study_release(struct ostudy *s)
{
	free(s->name);
	free(s->dirs);
	rung_batch_free(s->b);
	free(s->vcol);
	free(s->pcol);
	free(s->pfirst);
	free(s->jtrials);
}

void
opt_replay_release(struct octx *c)
{
	size_t	 i;

	for (i = 0; i < c->nstudies; i++)
		opt_study_release(&c->studies[i]);
	free(c->studies);
	opt_intern_free(&c->names);
	for (i = 0; i < c->dtext.n; i++)
		opt_dist_free(&c->dists[i]);
	free(c->dists);
	opt_intern_free(&c->dtext);
	c->studies = NULL;
	c->nstudies = c->studycap = c->distcap = 0;
	c->dists = NULL;
	memset(&c->names, 0, sizeof c->names);
	memset(&c->dtext, 0, sizeof c->dtext);
}

void
opt_replay_move(struct octx *to, struct octx *from)
{
	to->studies = from->studies;
	to->nstudies = from->nstudies;
	to->studycap = from->studycap;
	to->names = from->names;
	to->dtext = from->dtext;
	to->dists = from->dists;
	to->distcap = from->distcap;
	from->studies = NULL;
	from->nstudies = from->studycap = from->distcap = 0;
	from->dists = NULL;
	memset(&from->names, 0, sizeof from->names);
	memset(&from->dtext, 0, sizeof from->dtext);
}

void
opt_study_add_dir(struct ostudy *s, uint32_t objective, enum rung_direction d)
{
	uint32_t	 i;

	if (objective >= s->ndirs) {
		s->dirs = xreallocarray(s->dirs, objective + 1,
		    sizeof *s->dirs);
		for (i = s->ndirs; i <= objective; i++)
			s->dirs[i] = 0;
		s->ndirs = objective + 1;
	}
	s->dirs[objective] = d;
}

/*
 * Choose the studies --study names (all without it), and fail when it names
 * none of them.
 */
int
opt_select_studies(struct octx *c)
{
	struct rung_buf	 names = { 0 };
	size_t		 i, n = 0;

	for (i = 0; i < c->nstudies; i++) {
		if (c->studies[i].deleted)
			continue;
		n++;
		if (c->o->optuna_study == NULL ||
		    strcmp(c->o->optuna_study, c->studies[i].name) == 0)
			c->studies[i].selected = 1;
	}
	if (n == 0)
		return opt_err(c, "the Optuna storage holds no study");
	for (i = 0; i < c->nstudies; i++) {
		if (c->studies[i].selected)
			return 0;
	}
	for (i = 0; i < c->nstudies; i++) {
		if (!c->studies[i].deleted)
			rung_buf_printf(&names, "%s'%s'", names.len ? ", " : "",
			    c->studies[i].name);
	}
	opt_err(c, "no study '%s' in the storage; it holds %s",
	    c->o->optuna_study, rung_buf_cstr(&names));
	rung_buf_release(&names);
	return -1;
}

/*
 * Give a selected study its batch and its objective columns, and check
 * --objective against its number of objectives.
 */
int
opt_study_begin(struct octx *c, struct ostudy *s, const char *digest,
    uint64_t size, int journal)
{
	uint32_t	 k, want;
	char		*name;

	want = c->o->objective_set ? (uint32_t)c->o->objective : 0;
	if (s->ndirs == 0)
		opt_study_add_dir(s, 0, 0);
	if (c->o->objective_set && (c->o->objective < 0 || want >= s->ndirs)) {
		return opt_err(c, "study '%s' has %u objective%s: --objective "
		    "%d is not one of them (0 to %u)", s->name, s->ndirs,
		    s->ndirs == 1 ? "" : "s", c->o->objective, s->ndirs - 1);
	}
	s->b = rung_batch_new();
	rung_batch_source(s->b, c->path, journal ? "optuna-journal" : "optuna",
	    digest, size);
	s->vcol = xcalloc(s->ndirs, sizeof *s->vcol);
	if (s->ndirs == 1)
		s->vcol[0] = rung_batch_metric(s->b, "value");
	else {
		for (k = 0; k < s->ndirs; k++) {
			name = xprintf("value_%u", k);
			s->vcol[k] = rung_batch_metric(s->b, name);
			free(name);
		}
		rung_info("%s: study '%s' has %u objectives: importing "
		    "objective %u as the metric of interest%s", c->path,
		    s->name, s->ndirs, want, c->o->objective_set ? "" :
		    "; --objective chooses another");
	}
	return 0;
}

/*
 * The metric of interest and the directions, once every trial is read. The
 * objective is the metric of interest even where trials reported
 * intermediate values: they are the curve, but Optuna ranks trials by the
 * objective (a pruned trial's is its last report), and so must rung.
 */
static void
study_end(struct octx *c, struct ostudy *s)
{
	uint32_t	 want, k;
	char		*name;

	want = c->o->objective_set ? (uint32_t)c->o->objective : 0;
	for (k = 0; k < s->ndirs; k++) {
		if (s->dirs[k] != 0)
			rung_batch_metric_direction(s->b, s->vcol[k],
			    s->dirs[k]);
	}
	/* Optuna refuses trial.report() in a study of several objectives. */
	if (s->has_inter && s->ndirs == 1 && s->dirs[0] != 0)
		rung_batch_metric_direction(s->b, s->icol, s->dirs[0]);
	if (s->ndirs == 1)
		rung_batch_interest(s->b, "value", s->dirs[0]);
	else {
		name = xprintf("value_%u", want);
		rung_batch_interest(s->b, name, s->dirs[want]);
		free(name);
	}
}

uint32_t
opt_study_trial(struct ostudy *s, int64_t number, enum rung_status st)
{
	char		 id[32];
	uint32_t	 t;

	snprintf(id, sizeof id, "%" PRId64, number);
	t = rung_batch_trial(s->b, id);
	rung_batch_set_status(s->b, t, st);
	s->ntrials++;
	return t;
}

/* Set a parameter from Optuna's internal representation. */
int
opt_put_param(struct octx *c, struct ostudy *s, uint32_t t, int64_t number,
    uint32_t name, double internal, uint32_t di)
{
	const struct odist *d = &c->dists[di];
	uint32_t	 p;
	size_t		 old = s->npcol;
	int64_t		 idx;

	if (name >= s->npcol) {
		s->npcol = c->names.n;
		s->pcol = xreallocarray(s->pcol, s->npcol, sizeof *s->pcol);
		memset(s->pcol + old, 0, (s->npcol - old) * sizeof *s->pcol);
	}
	if (s->pcol[name] == 0) {
		p = rung_batch_param(s->b, c->names.s[name]);
		rung_batch_param_decl(s->b, p, d->kind == OD_FLOAT ?
		    RUNG_PREAL : d->kind == OD_INT ? RUNG_PINT : RUNG_PCAT,
		    d->log);
		s->pcol[name] = p + 1;
	}
	p = s->pcol[name] - 1;
	switch (d->kind) {
	case OD_FLOAT:
		rung_batch_param_real(s->b, t, p, internal);
		break;
	case OD_INT:
		/* int(), as IntDistribution.to_external_repr(). */
		if (!(internal > -9.2e18 && internal < 9.2e18)) {
			return opt_err(c, "study '%s', trial %" PRId64 ": "
			    "parameter '%s': %g is not an integer", s->name,
			    number, c->names.s[name], internal);
		}
		rung_batch_param_int(s->b, t, p, (int64_t)internal);
		break;
	case OD_CAT:
		/* choices[int(v)], negative indexes counting from the end. */
		idx = internal > -1e9 && internal < 1e9 ? (int64_t)internal :
		    INT64_MAX;
		if (idx < 0)
			idx += d->nchoices;
		if (idx < 0 || idx >= (int64_t)d->nchoices) {
			return opt_err(c, "study '%s', trial %" PRId64 ": "
			    "parameter '%s': choice %g of %u", s->name,
			    number, c->names.s[name], internal, d->nchoices);
		}
		rung_batch_param_text(s->b, t, p, d->choices[idx].text);
		break;
	}
	return 0;
}

/*
 * A trial's points: its intermediate values (sorted by step) and, at the
 * last of their steps or at 0, its objective values.
 */
void
opt_put_points(struct ostudy *s, uint32_t t, const int32_t *steps,
    const double *ivals, uint32_t n, const double *vals,
    const uint8_t *vset)
{
	uint32_t	 i, k, r = 0;
	int		 any = 0;

	if (n > 0 && !s->has_inter) {
		s->icol = rung_batch_metric(s->b, "intermediate");
		s->has_inter = 1;
	}
	for (i = 0; i < n; i++) {
		r = rung_batch_record(s->b, t, steps[i]);
		rung_batch_set(s->b, r, s->icol, ivals[i]);
	}
	for (k = 0; k < s->ndirs; k++)
		any |= vset[k];
	if (!any)
		return;
	if (n == 0)
		r = rung_batch_record(s->b, t, 0);
	for (k = 0; k < s->ndirs; k++) {
		if (vset[k])
			rung_batch_set(s->b, r, s->vcol[k], vals[k]);
	}
}

void
opt_scratch_grow(struct octx *c, size_t n)
{
	size_t	 cap = c->icap;

	if (n <= cap)
		return;
	XGROW(c->steps, cap, n);
	c->ivals = xreallocarray(c->ivals, cap, sizeof *c->ivals);
	c->icap = cap;
}

/*
 * Hand the studies that hold trials over as units. A study without a trial
 * makes no study in rung: it is skipped, unless it is all there is.
 */
static int
make_units(struct octx *c, struct rung_import_unit **units, size_t *nunits)
{
	struct ostudy	*s;
	size_t		 i, n = 0;

	for (i = 0; i < c->nstudies; i++) {
		s = &c->studies[i];
		if (!s->selected)
			continue;
		if (s->ntrials == 0) {
			rung_info("%s: study '%s' has no trial: skipped",
			    c->path, s->name);
			continue;
		}
		n++;
	}
	if (n == 0) {
		if (c->o->optuna_study != NULL)
			return opt_err(c, "study '%s' has no trial",
			    c->o->optuna_study);
		return opt_err(c, "no study in the storage has a trial");
	}
	*units = xcalloc(n, sizeof **units);
	*nunits = 0;
	for (i = 0; i < c->nstudies; i++) {
		s = &c->studies[i];
		if (s->b == NULL || s->ntrials == 0)
			continue;
		study_end(c, s);
		(*units)[*nunits].study = xstrdup(s->name);
		(*units)[*nunits].batch = s->b;
		(*nunits)++;
		s->b = NULL;
	}
	return 0;
}

int
rung_import_optuna(const char *path, int journal, const char *digest,
    uint64_t size, const struct rung_import_opts *o,
    struct rung_import_unit **units, size_t *nunits, char **cause)
{
	struct octx	 c;
	int		 ret;

	*units = NULL;
	*nunits = 0;
	memset(&c, 0, sizeof c);
	c.path = path;
	c.o = o;
	c.cause = cause;
	if (journal)
		ret = opt_read_journal(&c, digest, size);
	else
		ret = opt_read_rdb(&c, digest, size);
	if (ret == 0)
		ret = make_units(&c, units, nunits);
	if (journal)
		opt_journal_keep(&c, ret == 0);

	opt_replay_release(&c);
	free(c.steps);
	free(c.ivals);
	return ret;
}

