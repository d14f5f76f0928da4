/*
 * What rung launch prints: the campaign's summary at its end (a table and
 * a line, CSV, or JSON), and rung show's record of a launched trial.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "rung/jsonout.h"
#include "rung/launch.h"
#include "rung/sched.h"
#include "rung/store-launch.h"
#include "rung/study.h"
#include "rung/table.h"
#include "rung/util.h"

#include "launch-int.h"

void
launch_summary(struct launch *L, FILE *out, double secs)
{
	static const char *hdr[] = { "TRIAL", "STATUS", ">STEPS", ">VALUE",
		">RUNS", "GPU", "REASON" };
	struct rung_table *tab;
	struct ltrial	*t, *best = NULL;
	json_object	*j, *a, *o;
	const char	*row[7];
	char		 steps[16], runs[16], val[RUNG_DBL_BUFSZ];
	uint32_t	 i, mi, count[5] = { 0 };
	double		 v, bv = NAN;

	mi = lrp_metric_index(L);
	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		if (t->rowid == 0)
			continue;
		count[t->state]++;
		v = mi < t->nm && t->m[mi].n ? t->m[mi].vals[t->m[mi].n - 1] :
		    NAN;
		/* The best at the highest step reached, as replay returns. */
		if (!isnan(v) && (best == NULL || t->last > best->last ||
		    (t->last == best->last && rung_better(L->o.direction ?
		    L->o.direction : RUNG_MIN, v, bv)))) {
			best = t;
			bv = v;
		}
	}
	if (L->o.json) {
		j = json_object_new_object();
		json_object_object_add(j, "study", json_object_new_string(
		    L->o.study));
		json_object_object_add(j, "status", json_object_new_string(
		    L->status));
		json_object_object_add(j, "policy", json_object_new_string(
		    rung_policy_name(L->o.sched.policy)));
		json_object_object_add(j, "metric", L->metric ?
		    json_object_new_string(L->metric) : NULL);
		json_object_object_add(j, "steps", json_object_new_int64(
		    (int64_t)L->steps));
		json_object_object_add(j, "seconds", rung_json_double(secs, 0));
		json_object_object_add(j, "best", best ?
		    json_object_new_string(best->ext) : NULL);
		a = json_object_new_array();
		for (i = 0; i < L->nt; i++) {
			t = L->t[i];
			if (t->rowid == 0)
				continue;
			o = json_object_new_object();
			json_object_object_add(o, "id",
			    json_object_new_string(t->ext));
			json_object_object_add(o, "handle",
			    json_object_new_int64(t->handle));
			json_object_object_add(o, "status",
			    json_object_new_string(ldb_state_name(t->state)));
			json_object_object_add(o, "steps",
			    json_object_new_int64(t->last));
			json_object_object_add(o, "value", mi < t->nm &&
			    t->m[mi].n ? rung_json_double(t->m[mi].vals[
			    t->m[mi].n - 1], 0) : NULL);
			json_object_object_add(o, "runs",
			    json_object_new_int64(t->runs));
			json_object_object_add(o, "reason", t->reason ?
			    json_object_new_string(t->reason) : NULL);
			json_object_object_add(o, "params",
			    json_tokener_parse(t->params));
			json_object_array_add(a, o);
		}
		json_object_object_add(j, "trials", a);
		rung_json_print(out, j, 0);
		return;
	}
	tab = rung_table_new(hdr, 7);
	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		if (t->rowid == 0)
			continue;
		snprintf(steps, sizeof steps, "%d", t->last);
		snprintf(runs, sizeof runs, "%u", t->runs);
		row[0] = t->ext;
		row[1] = ldb_state_name(t->state);
		row[2] = steps;
		row[3] = mi < t->nm && t->m[mi].n ? rung_fmt_human(
		    t->m[mi].vals[t->m[mi].n - 1], val) : "";
		row[4] = runs;
		row[5] = t->gpus ? t->gpus : "";
		row[6] = t->reason ? t->reason : "";
		rung_table_add(tab, row);
	}
	if (L->o.csv) {
		rung_table_print_csv(tab, out);
		rung_table_free(tab);
		return;
	}
	rung_table_print(tab, out);
	rung_table_free(tab);
	fprintf(out, "%s: %u complete, %u stopped, %u failed, %u paused, %u "
	    "running; %" PRIu64 " steps in %.1f s", L->o.study,
	    count[LT_COMPLETE], count[LT_STOPPED], count[LT_FAILED],
	    count[LT_PAUSED], count[LT_RUNNING], L->steps, secs);
	if (best != NULL)
		fprintf(out, "; best %s %s (trial %s at step %d)", L->metric,
		    rung_fmt_human(bv, val), best->ext, best->last);
	fputc('\n', out);
}

/* rung show: a launched trial's record. */

static void
add_str(json_object *o, const char *k, const char *s)
{
	json_object_object_add(o, k, s != NULL ? json_object_new_string(s) :
	    NULL);
}

static void
add_int(json_object *o, const char *k, int has, int64_t v)
{
	json_object_object_add(o, k, has ? json_object_new_int64(v) : NULL);
}

static json_object *
record_json(const struct rung_launch_record *r)
{
	json_object	*o = json_object_new_object();

	add_str(o, "launch_state", r->state);
	add_int(o, "handle", 1, r->handle);
	add_int(o, "runs", 1, r->runs);
	add_int(o, "target", r->has_target, r->target);
	add_str(o, "gpus", r->gpus);
	add_str(o, "decision", r->decision);
	add_int(o, "decision_step", r->has_decision_step, r->decision_step);
	add_str(o, "reason", r->reason);
	add_int(o, "exit_code", r->has_exit_code, r->exit_code);
	add_int(o, "exit_signal", r->has_exit_signal, r->exit_signal);
	add_str(o, "log", r->log);
	add_str(o, "log_tail", r->log_tail);
	add_str(o, "params", r->params);
	add_str(o, "started", r->started);
	add_str(o, "updated", r->updated);
	add_str(o, "log_incomplete", r->log_incomplete);
	return o;
}

static void
record_print(const struct rung_launch_record *r, FILE *out)
{
	const char	*p, *nl;

	fprintf(out, "\nlaunched: %s after %lld run%s", r->state,
	    (long long)r->runs, r->runs == 1 ? "" : "s");
	if (r->decision != NULL)
		fprintf(out, ", last decision %s at step %d", r->decision,
		    (int)r->decision_step);
	fputc('\n', out);
	if (r->reason != NULL)
		fprintf(out, "  %s\n", r->reason);
	if (r->has_exit_code)
		fprintf(out, "  exit status %d\n", (int)r->exit_code);
	if (r->has_exit_signal)
		fprintf(out, "  killed by signal %d (%s)\n",
		    (int)r->exit_signal, strsignal((int)r->exit_signal));
	if (r->gpus != NULL && *r->gpus != '\0')
		fprintf(out, "  gpus %s\n", r->gpus);
	if (r->log != NULL)
		fprintf(out, "  log %s\n", r->log);
	if (r->log_incomplete != NULL)
		fprintf(out, "  the log is incomplete: writing it failed "
		    "(%s)\n", r->log_incomplete);
	if (r->log_tail != NULL) {
		fprintf(out, "  the end of its log:\n");
		for (p = r->log_tail; *p != '\0'; p = *nl ? nl + 1 : nl) {
			nl = p + strcspn(p, "\n");
			fprintf(out, "  | %.*s\n", (int)(nl - p), p);
		}
	}
}

int
rung_launch_show_trial(struct rung_store *store, int64_t trial_rowid,
    FILE *out, struct json_object *obj)
{
	struct rung_launch_record r;

	if (!rung_store_launch_record(store, trial_rowid, &r))
		return 0;
	if (obj != NULL)
		json_object_object_add(obj, "launch", record_json(&r));
	else
		record_print(&r, out);
	rung_launch_record_release(&r);
	return 1;
}
