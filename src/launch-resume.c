/*
 * What a campaign is, kept to resume it: its settings (written as JSON
 * when it starts, read back by --resume with the command line's say over
 * how it runs), the configurations of its trials (drawn from --space, or
 * taken from --from as rung replay picks them: with --sampler tpe the
 * sampler is told every report the scheduler is, and on resume it learns
 * again from the recorded points), and on resume the points the saved
 * scheduler had not seen yet.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rung/jsonout.h"
#include "rung/launch.h"
#include "rung/replay.h"
#include "rung/sampler.h"
#include "rung/sched.h"
#include "rung/space.h"
#include "rung/store.h"
#include "rung/study.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "launch-int.h"

/* Settings: what a campaign is, kept to resume it. */

json_object *
lrs_settings_json(const struct launch *L)
{
	const struct rung_launch_opts *o = &L->o;
	const struct rung_sched_params *p = &o->sched;
	json_object	*j = json_object_new_object(), *a;
	size_t		 i;

	json_object_object_add(j, "policy", json_object_new_string(
	    rung_policy_name(p->policy)));
	json_object_object_add(j, "eta", rung_json_double(p->eta, 0));
	json_object_object_add(j, "min_r", rung_json_double(p->min_r, 0));
	json_object_object_add(j, "max_r", rung_json_double(p->max_r, 0));
	json_object_object_add(j, "variant", json_object_new_string(
	    rung_asha_variant_name(p->variant)));
	json_object_object_add(j, "rule", json_object_new_string(
	    rung_asha_rule_name(p->rule)));
	json_object_object_add(j, "max_configs", json_object_new_int64(
	    p->max_configs));
	json_object_object_add(j, "min_curves", json_object_new_int64(
	    p->min_curves));
	json_object_object_add(j, "keep_full", rung_json_double(p->keep_full,
	    0));
	json_object_object_add(j, "known_curve", rung_json_double(
	    p->known_curve, 0));
	json_object_object_add(j, "delta", rung_json_double(p->delta, 0));
	json_object_object_add(j, "svr_train", json_object_new_string(
	    rung_svr_train_name(p->svr_train)));
	json_object_object_add(j, "budget", json_object_new_int64(
	    (int64_t)o->budget));
	json_object_object_add(j, "seed", json_object_new_int64(
	    (int64_t)o->seed));
	json_object_object_add(j, "sampler", json_object_new_string(
	    o->sampler == RUNG_SAMPLER_TPE ? "tpe" : "random"));
	json_object_object_add(j, "space_path", o->space_path ?
	    json_object_new_string(o->space_path) : NULL);
	json_object_object_add(j, "space", L->space_text ?
	    json_object_new_string(L->space_text) : NULL);
	json_object_object_add(j, "from", o->from ?
	    json_object_new_string(o->from) : NULL);
	json_object_object_add(j, "metric", o->metric ?
	    json_object_new_string(o->metric) : NULL);
	json_object_object_add(j, "direction", o->direction ?
	    json_object_new_string(rung_direction_name(o->direction)) : NULL);
	a = json_object_new_array();
	for (i = 0; i < o->ncmd; i++)
		json_object_array_add(a, json_object_new_string(o->cmd[i]));
	json_object_object_add(j, "command", a);
	json_object_object_add(j, "cwd", json_object_new_string(L->cwd));
	json_object_object_add(j, "parallel", json_object_new_int64(
	    o->parallel));
	json_object_object_add(j, "launcher", json_object_new_string(
	    rung_launcher_name(o->launcher.kind)));
	json_object_object_add(j, "ranks", json_object_new_int64(
	    o->launcher.ranks));
	json_object_object_add(j, "hostfile", o->launcher.hostfile ?
	    json_object_new_string(o->launcher.hostfile) : NULL);
	if (o->launcher.sbatch_args != NULL)
		json_object_object_add(j, "sbatch_args",
		    json_object_new_string(o->launcher.sbatch_args));
	json_object_object_add(j, "gpus", json_object_new_string(o->gpus ?
	    o->gpus : "auto"));
	json_object_object_add(j, "gpus_per_trial", json_object_new_int64(
	    o->gpus_per_trial));
	json_object_object_add(j, "step_timeout", rung_json_double(
	    o->step_timeout, 0));
	json_object_object_add(j, "grace", rung_json_double(o->grace, 0));
	json_object_object_add(j, "logs", json_object_new_string(L->logs));
	return j;
}

static const char *
jstr(json_object *j, const char *k)
{
	json_object	*v;

	if (!json_object_object_get_ex(j, k, &v) || v == NULL ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static double
jnum(json_object *j, const char *k, double dflt)
{
	json_object	*v;

	if (!json_object_object_get_ex(j, k, &v) || v == NULL)
		return dflt;
	return json_object_get_double(v);
}

/*
 * Read the settings of a campaign being resumed into L->o, keeping what
 * the command line gave for how to run it.
 */
int
lrs_settings_read(struct launch *L, const struct rung_launch_opts *cl,
    struct lrs_keep *k, char **cause)
{
	struct rung_launch_opts *o = &L->o;
	json_object	*j, *a;
	const char	*s;
	size_t		 i, n;
	int		 v;

	if (L->settings == NULL ||
	    (j = json_tokener_parse(L->settings)) == NULL) {
		xasprintf(cause, "the launch of '%s' has no readable settings",
		    o->study);
		return -1;
	}
	k->j = j;
	if ((v = rung_policy_parse(jstr(j, "policy") ? jstr(j, "policy") :
	    "")) < 0) {
		xasprintf(cause, "the launch of '%s' names no known policy",
		    o->study);
		return -1;
	}
	rung_sched_params_init(&o->sched, (enum rung_policy)v);
	o->sched.eta = jnum(j, "eta", o->sched.eta);
	o->sched.min_r = jnum(j, "min_r", o->sched.min_r);
	o->sched.max_r = jnum(j, "max_r", o->sched.max_r);
	if ((s = jstr(j, "variant")) != NULL &&
	    (v = rung_asha_variant_parse(s)) >= 0)
		o->sched.variant = (enum rung_asha_variant)v;
	if ((s = jstr(j, "rule")) != NULL &&
	    (v = rung_asha_rule_parse(s)) >= 0)
		o->sched.rule = (enum rung_asha_rule)v;
	o->sched.max_configs = (uint32_t)jnum(j, "max_configs", 0);
	o->sched.min_curves = (uint32_t)jnum(j, "min_curves",
	    o->sched.min_curves);
	o->sched.keep_full = jnum(j, "keep_full", o->sched.keep_full);
	o->sched.known_curve = jnum(j, "known_curve", o->sched.known_curve);
	o->sched.delta = jnum(j, "delta", o->sched.delta);
	/* A campaign begun before the option trained on full curves. */
	if ((s = jstr(j, "svr_train")) == NULL)
		o->sched.svr_train = RUNG_SVR_TRAIN_FULL;
	else if ((v = rung_svr_train_parse(s)) >= 0)
		o->sched.svr_train = (enum rung_svr_train)v;
	o->budget = (uint64_t)jnum(j, "budget", 0);
	o->seed = (uint64_t)jnum(j, "seed", 0);
	/* A campaign begun before the option drew at random. */
	s = jstr(j, "sampler");
	o->sampler = s != NULL && strcmp(s, "tpe") == 0 ? RUNG_SAMPLER_TPE :
	    RUNG_SAMPLER_RANDOM;
	o->space_path = jstr(j, "space_path");
	if ((s = jstr(j, "space")) != NULL)
		L->space_text = xstrdup(s);
	o->from = jstr(j, "from");
	o->metric = jstr(j, "metric");
	if ((s = jstr(j, "direction")) != NULL)
		o->direction = (enum rung_direction)rung_direction_parse(s);
	if (json_object_object_get_ex(j, "command", &a) &&
	    json_object_is_type(a, json_type_array)) {
		n = json_object_array_length(a);
		k->cmd = xcalloc(n + 1, sizeof *k->cmd);
		for (i = 0; i < n; i++)
			k->cmd[i] = xstrdup(json_object_get_string(
			    json_object_array_get_idx(a, i)));
		o->cmd = k->cmd;
		o->ncmd = n;
	}
	if (o->ncmd == 0) {
		xasprintf(cause, "the launch of '%s' has no command", o->study);
		return -1;
	}
	free(L->cwd);
	L->cwd = xstrdup(jstr(j, "cwd") ? jstr(j, "cwd") : ".");

	/* How: the command line wins. */
	o->parallel = cl->parallel ? cl->parallel :
	    (uint32_t)jnum(j, "parallel", 0);
	if (cl->launcher_given)
		o->launcher = cl->launcher;
	else {
		v = rung_launcher_parse(jstr(j, "launcher") ?
		    jstr(j, "launcher") : "");
		o->launcher.kind = v < 0 ? RUNG_LAUNCHER_DIRECT :
		    (enum rung_launcher)v;
		o->launcher.ranks = (uint32_t)jnum(j, "ranks", 1);
		o->launcher.hostfile = cl->launcher.hostfile ?
		    cl->launcher.hostfile : jstr(j, "hostfile");
		o->launcher_given = 1;
	}
	o->launcher.sbatch_args = cl->launcher.sbatch_args ?
	    cl->launcher.sbatch_args : jstr(j, "sbatch_args");
	o->gpus = cl->gpus ? cl->gpus : jstr(j, "gpus");
	o->gpus_per_trial = cl->gpus_per_trial >= 0 ? cl->gpus_per_trial :
	    (int32_t)jnum(j, "gpus_per_trial", -1);
	o->step_timeout = cl->step_timeout >= 0 ? cl->step_timeout :
	    jnum(j, "step_timeout", 0);
	o->grace = cl->grace >= 0 ? cl->grace : jnum(j, "grace", 10);
	return 0;
}

/* Configurations. */

int
lrs_load_from(struct launch *L, char **cause)
{
	struct rung_study	*s = NULL;
	const struct rung_param	*p;
	struct rung_config	*c;
	uint32_t		*pool = NULL, npool, i, j, k;

	if ((L->o.metric != NULL && rung_store_check_metric(L->st, L->o.from,
	    L->o.metric, cause) != 0) || rung_store_load(L->st, L->o.from,
	    L->o.metric, L->o.direction, &s, cause) != 0)
		return -1;
	/* Its metric and direction, unless told otherwise. */
	if (L->metric == NULL && s->curve.name != NULL &&
	    *s->curve.name != '\0') {
		L->metric = xstrdup(s->curve.name);
		L->o.metric = L->metric;
		if (L->o.direction == 0)
			L->o.direction = s->direction;
	}
	npool = rung_replay_pool(s, L->o.sched.max_r, &pool);
	if (npool == 0) {
		xasprintf(cause, "--from %s: no trial reaches step %d "
		    "(--max-steps)", L->o.from, (int)ceil(L->o.sched.max_r));
		free(pool);
		rung_study_free(s);
		return -1;
	}
	/*
	 * The replay's sampler over the replay's pool with the same seed:
	 * it picks as the campaign's trials start (lrs_config_for).
	 */
	L->fsp = rung_sampler_new(s, pool, npool, L->o.sampler, L->o.seed);
	L->from_cfg = xcalloc(npool, sizeof *L->from_cfg);
	L->from_ids = xcalloc(npool, sizeof *L->from_ids);
	L->from_trial = xcalloc(npool, sizeof *L->from_trial);
	for (i = 0; i < npool; i++) {
		k = pool[i];
		L->from_trial[i] = k;
		L->from_ids[i] = xstrdup(s->ids[k]);
		c = &L->from_cfg[i];
		c->n = s->nparams;
		c->names = xcalloc(s->nparams + 1, sizeof *c->names);
		c->v = xcalloc(s->nparams + 1, sizeof *c->v);
		for (j = 0; j < s->nparams; j++) {
			p = &s->params[j];
			c->names[j] = xstrdup(p->name);
			c->v[j].type = p->type;
			c->v[j].log = p->log;
			if (p->type == RUNG_PCAT)
				c->v[j].s = p->cat[k] == UINT32_MAX ? NULL :
				    xstrdup(p->levels[p->cat[k]]);
			else if (p->type == RUNG_PINT)
				c->v[j].i = (int64_t)p->num[k];
			else
				c->v[j].d = p->num[k];
		}
		L->nfrom++;
	}
	free(pool);
	rung_study_free(s);
	return 0;
}

void
lrs_sampler_new(struct launch *L)
{
	if (L->space != NULL)
		L->ssp = rung_space_sampler_new(L->space, L->o.sampler,
		    L->o.seed);
}

void
lrs_sampler_free(struct launch *L)
{
	rung_sampler_free(L->fsp);
	rung_space_sampler_free(L->ssp);
	free(L->from_trial);
	free(L->hpick);
}

/* The pool index of a handle's configuration (--from). */
static void
set_pick(struct launch *L, uint32_t handle, uint32_t p)
{
	uint32_t	 n, i;

	if (handle >= L->nhpick) {
		n = handle + 1 < 2 * L->nhpick ? 2 * L->nhpick : handle + 1;
		L->hpick = xreallocarray(L->hpick, n, sizeof *L->hpick);
		for (i = L->nhpick; i < n; i++)
			L->hpick[i] = UINT32_MAX;
		L->nhpick = n;
	}
	L->hpick[handle] = p;
}

void
lrs_observe(struct launch *L, const struct ltrial *t, int32_t step,
    double value)
{
	if (L->ssp != NULL)
		rung_space_sampler_observe(L->ssp, t->handle, step, value);
	else if (L->fsp != NULL && t->handle < L->nhpick &&
	    L->hpick[t->handle] != UINT32_MAX)
		rung_sampler_observe(L->fsp, L->from_trial[
		    L->hpick[t->handle]], step, value);
}

/* Configuration of a new trial; -1 when --from has no more. */
int
lrs_config_for(struct launch *L, struct ltrial *t)
{
	uint32_t	 p;

	if (L->space != NULL) {
		rung_space_sampler_draw(L->ssp, t->handle, &t->cfg);
		t->ext = xprintf("%u", t->handle);
	} else {
		if ((p = rung_sampler_pick(L->fsp)) == UINT32_MAX)
			return -1;
		set_pick(L, t->handle, p);
		rung_config_copy(&t->cfg, &L->from_cfg[p]);
		t->ext = xstrdup(L->from_ids[p]);
	}
	t->params = rung_config_json(&t->cfg);
	return 0;
}

/*
 * What a resumed trial told the sampler: its last point the saved
 * scheduler saw (the rest lrs_reconcile tells both). The order the
 * reports came in does not matter to it, only each configuration's
 * highest step and the order the trials started, which is the handles'.
 */
static void
restore_observed(struct launch *L, struct ltrial *t)
{
	struct series	*s;
	uint32_t	 mi, j, last = UINT32_MAX;

	mi = lrp_metric_index(L);
	if (mi == UINT32_MAX || mi >= t->nm)
		return;
	s = &t->m[mi];
	for (j = 0; j < s->n; j++) {
		if (s->steps[j] <= t->seen)
			last = j;
	}
	if (last != UINT32_MAX)
		lrs_observe(L, t, s->steps[last], lrp_sched_value(L,
		    s->vals[last]));
}

/*
 * A resumed trial's configuration as it was drawn. The database keeps it as
 * RUNG_PARAMS, where a choice that reads as a number is that number: 1e-3
 * comes back as 0.001 and 007 as 7, and {name} would change between two
 * runs of one trial. Drawn again (the same space, seed and handle, or the
 * same --from trial), it has the words of the space; it is taken when it
 * gives the same RUNG_PARAMS, which it does unless a file changed. Called
 * in the order of the handles: the sampler learns the trials as they
 * started, and what they reported.
 */
void
lrs_config_restore(struct launch *L, struct ltrial *t)
{
	struct rung_config	 c;
	char			*json;
	uint32_t		 p;

	if (t->params == NULL)
		return;
	memset(&c, 0, sizeof c);
	if (L->space != NULL) {
		if (rung_space_sampler_take(L->ssp, t->handle, &t->cfg,
		    &c) != 0) {
			rung_config_release(&c);
			rung_space_sample(L->space, L->o.seed, t->handle, &c);
		}
	} else {
		for (p = 0; p < L->nfrom && t->ext != NULL; p++) {
			if (strcmp(L->from_ids[p], t->ext) == 0)
				break;
		}
		if (t->ext == NULL || p == L->nfrom)
			return;
		if (rung_sampler_use(L->fsp, p) == 0)
			set_pick(L, t->handle, p);
		rung_config_copy(&c, &L->from_cfg[p]);
	}
	restore_observed(L, t);
	json = rung_config_json(&c);
	if (strcmp(json, t->params) == 0) {
		rung_config_release(&t->cfg);
		t->cfg = c;
	} else
		rung_config_release(&c);
	free(json);
}

/*
 * Points the database holds beyond what the saved scheduler saw are told
 * to it now, trial by trial; runs that were going on run again.
 */
int
lrs_reconcile(struct launch *L, char **cause)
{
	struct ltrial	*t;
	struct series	*s;
	enum rung_decision d;
	uint32_t	 i, j, mi;
	double		 v;
	int		 rc;

	mi = lrp_metric_index(L);
	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		if (t->rowid == 0)
			continue;
		if (mi != UINT32_MAX && mi < t->nm && t->state == LT_RUNNING) {
			s = &t->m[mi];
			for (j = 0; j < s->n; j++) {
				if (s->steps[j] <= t->seen)
					continue;
				v = s->vals[j];
				lrs_observe(L, t, s->steps[j],
				    lrp_sched_value(L, v));
				d = rung_sched_report(L->sc, t->handle,
				    s->steps[j], lrp_sched_value(L, v));
				t->seen = s->steps[j];
				if (d == RUNG_PAUSE)
					t->state = LT_PAUSED;
				else if (d == RUNG_STOP)
					t->state = rung_sched_trial_state(L->sc,
					    t->handle) == RUNG_TRIAL_FINISHED ?
					    LT_COMPLETE : LT_STOPPED;
				if (d != RUNG_CONTINUE) {
					free(t->reason);
					t->reason = xprintf("%s at step %d "
					    "(told on resume)",
					    rung_decision_name(d), t->seen);
					break;
				}
			}
			if (ldb_begin(L, cause) != 0 ||
			    ldb_trial_update(L, t, NULL, 0, cause) != 0 ||
			    ldb_save_state(L, cause) != 0 ||
			    ldb_commit(L, cause) != 0) {
				ldb_rollback(L);
				return -1;
			}
		}
		/* A job of the killed rung's: followed again. */
		if ((rc = lsb_adopt(L, t, cause)) < 0)
			return -1;
		if (rc > 0)
			continue;
		if (t->state == LT_RUNNING) {
			t->restart = 1;
			t->pending = "restart";
			t->from = t->last;
			if (t->target <= 0)
				t->target = (int32_t)ceil(L->o.sched.max_r);
		}
		t->sid = 0;
		free(t->key);
		t->key = NULL;
	}
	return 0;
}

