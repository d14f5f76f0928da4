/*
 * --bench-keys' live refresh: what another process's write costs the
 * explorer. The write is a real one, through a second connection to the
 * database, as rung import --follow makes it: half of the trials grow by
 * a point (the last ones short of the last step, as running trials do),
 * half are new (copies of others' curves, running).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/store.h"
#include "rung/xmalloc.h"

#include "tui-int.h"

/* Trial tr of s into the batch as trial bt, one more point when grow. */
static void
copy_trial(struct rung_batch *b, const struct rung_study *s, uint32_t tr,
    uint32_t bt, uint32_t m, const uint32_t *pid, int grow)
{
	const struct rung_curves *c = &s->curve;
	const struct rung_param *p;
	uint32_t	 k, i;

	rung_batch_set_status(b, bt, (enum rung_status)s->status[tr]);
	for (k = c->off[tr]; k < c->off[tr + 1]; k++)
		rung_batch_set(b, rung_batch_row(b, bt, c->steps[k]), m,
		    c->vals[k]);
	if (grow && c->off[tr + 1] > c->off[tr])
		rung_batch_set(b, rung_batch_row(b, bt,
		    c->steps[c->off[tr + 1] - 1] + 1), m,
		    c->vals[c->off[tr + 1] - 1]);
	for (i = 0; i < s->nparams; i++) {
		p = &s->params[i];
		if (p->type == RUNG_PCAT) {
			if (p->cat[tr] != UINT32_MAX)
				rung_batch_param_text(b, bt, pid[i],
				    p->levels[p->cat[tr]]);
		} else if (!isnan(p->num[tr])) {
			if (p->type == RUNG_PINT)
				rung_batch_param_int(b, bt, pid[i],
				    (int64_t)p->num[tr]);
			else
				rung_batch_param_real(b, bt, pid[i],
				    p->num[tr]);
		}
	}
}

int
tui_bench_write(struct tui *t, uint32_t n, unsigned round, char **cause)
{
	const struct rung_study *s = t->s;
	struct rung_import_opts o;
	struct rung_study_report rep;
	struct rung_store *st = NULL;
	struct rung_batch *b;
	uint32_t	*pid, m, i, tr, bt;
	char		 id[64];
	int		 ret = -1;

	if (s == NULL || s->ntrials < n) {
		xasprintf(cause, "the live refresh needs a study of %u trials",
		    n);
		return -1;
	}
	b = rung_batch_new();
	m = rung_batch_metric(b, s->curve.name);
	pid = xcalloc(s->nparams ? s->nparams : 1, sizeof *pid);
	for (i = 0; i < s->nparams; i++) {
		pid[i] = rung_batch_param(b, s->params[i].name);
		rung_batch_param_decl(b, pid[i], s->params[i].type,
		    s->params[i].log);
	}
	/* The last trials that have not reached the last step, else last. */
	for (i = 0, tr = s->ntrials; i < n / 2 && tr-- > 0;) {
		if (rung_curve_len(s, tr) == 0 ||
		    rung_trial_last_step(s, tr) >= s->max_step)
			continue;
		bt = rung_batch_trial(b, s->ids[tr]);
		copy_trial(b, s, tr, bt, m, pid, 1);
		i++;
	}
	for (tr = s->ntrials; i < n / 2 && tr-- > 0;) {
		if (rung_curve_len(s, tr) > 0 &&
		    rung_trial_last_step(s, tr) < s->max_step)
			continue;	/* grown above */
		bt = rung_batch_trial(b, s->ids[tr]);
		copy_trial(b, s, tr, bt, m, pid, 1);
		i++;
	}
	for (; i < n; i++) {
		snprintf(id, sizeof id, "live-%u-%u", round, i);
		bt = rung_batch_trial(b, id);
		copy_trial(b, s, i, bt, m, pid, 0);
		rung_batch_set_status(b, bt, RUNG_RUNNING);
	}
	memset(&o, 0, sizeof o);
	memset(&rep, 0, sizeof rep);
	o.study = s->name;
	o.metric = s->curve.name;
	o.direction = s->direction;
	o.follow = 1;
	rep.study = xstrdup(s->name);
	if (rung_batch_finish(b, &o, cause) != 0 ||
	    rung_store_open(rung_store_path(t->ctx->store), 0, &st,
	    cause) != 0 || rung_store_import(st, b, &o, &rep, cause) != 0)
		goto out;
	ret = 0;
out:
	rung_store_close(st);
	rung_study_report_release(&rep);
	rung_batch_free(b);
	free(pid);
	return ret;
}
