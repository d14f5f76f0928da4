/*
 * The kept replays' SQL: saving a run of rung replay into replays,
 * replay_policies and replay_seeds, and reading runs back as the typed rows
 * of rung/store-replay.h. No other file speaks to these tables.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "rung/store.h"
#include "rung/store-replay.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "store-int.h"

static void
bind_num(sqlite3_stmt *st, int i, double v)
{
	if (isfinite(v))
		sqlite3_bind_double(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static double
col_num(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN :
	    sqlite3_column_double(st, i);
}

/* The trace column: [[steps,time,final],...], final null when unknown. */
static char *
trace_text(const struct rung_kept_seed *r)
{
	struct rung_buf	 b = { 0 };
	char		 t[RUNG_DBL_BUFSZ], f[RUNG_DBL_BUFSZ];
	size_t		 i;

	rung_buf_addc(&b, '[');
	for (i = 0; i < r->ntrace; i++) {
		if (isfinite(r->trace_final[i]))
			rung_fmt_double(r->trace_final[i], 0, f);
		else
			strcpy(f, "null");
		rung_buf_printf(&b, "%s[%" PRIu64 ",%s,%s]", i ? "," : "",
		    r->trace_steps[i], rung_fmt_double(r->trace_time[i], 0, t),
		    f);
	}
	rung_buf_addc(&b, ']');
	return rung_buf_cstr(&b);
}

/* The same read back; entries that are not such triples are left out. */
static void
trace_parse(const char *text, struct rung_kept_seed *r)
{
	json_object	*tr, *e, *f;
	size_t		 i, n;

	if (text == NULL || (tr = json_tokener_parse(text)) == NULL)
		return;
	n = json_object_is_type(tr, json_type_array) ?
	    json_object_array_length(tr) : 0;
	r->trace_steps = xcalloc(n + 1, sizeof *r->trace_steps);
	r->trace_time = xcalloc(n + 1, sizeof *r->trace_time);
	r->trace_final = xcalloc(n + 1, sizeof *r->trace_final);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(tr, i);
		if (e == NULL || !json_object_is_type(e, json_type_array) ||
		    json_object_array_length(e) < 3)
			continue;
		r->trace_steps[r->ntrace] = (uint64_t)json_object_get_int64(
		    json_object_array_get_idx(e, 0));
		r->trace_time[r->ntrace] = json_object_get_double(
		    json_object_array_get_idx(e, 1));
		f = json_object_array_get_idx(e, 2);
		r->trace_final[r->ntrace] = f == NULL ||
		    json_object_is_type(f, json_type_null) ? NAN :
		    json_object_get_double(f);
		r->ntrace++;
	}
	json_object_put(tr);
}

/* Saving. */

static int
save_rows(struct rung_store *st, const struct rung_kept_replay *kr,
    char **cause)
{
	sqlite3		*db = rung_store_db(st);
	sqlite3_stmt	*pp = NULL, *sp = NULL;
	char		*text;
	size_t		 k, i;
	int		 ret = -1;

	if (sqlite3_prepare_v2(db, "INSERT INTO replay_policies (replay_id,"
	    " idx, policy, seeds, resume, cost_steps_mean, cost_steps_sd,"
	    " cost_seconds_mean, cost_seconds_sd, saved_vs_baseline,"
	    " saved_vs_baseline_seconds, saved_vs_random,"
	    " saved_vs_random_seconds, best_final_mean, best_final_worst,"
	    " regret_mean, p_top1, p_top5, time_to_best_mean, anytime,"
	    " equal_budget_steps, equal_cost_steps_mean, equal_started_mean,"
	    " equal_regret_mean, equal_regret_worst, equal_p_top1,"
	    " equal_p_top5)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?, ?, ?)", -1, &pp, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO replay_seeds (replay_id,"
	    " policy_idx, seed, cost_steps, cost_seconds, end_time, started,"
	    " returned, returned_final, regret, top1, top5, time_to_best,"
	    " steps_to_best, saved_vs_baseline, saved_vs_random, trace)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1,
	    &sp, NULL) != SQLITE_OK) {
		rung_store_error(st, cause);
		goto out;
	}
	for (k = 0; k < kr->npol; k++) {
		const struct rung_kept_policy *a = &kr->pol[k];

		sqlite3_reset(pp);
		sqlite3_bind_int64(pp, 1, kr->id);
		sqlite3_bind_int(pp, 2, (int)k);
		sqlite3_bind_text(pp, 3, a->policy, -1, SQLITE_STATIC);
		sqlite3_bind_int64(pp, 4, a->seeds);
		sqlite3_bind_int(pp, 5, a->resume);
		bind_num(pp, 6, a->cost_steps_mean);
		bind_num(pp, 7, a->cost_steps_sd);
		bind_num(pp, 8, a->cost_seconds_mean);
		bind_num(pp, 9, a->cost_seconds_sd);
		bind_num(pp, 10, a->saved_vs_baseline);
		bind_num(pp, 11, a->saved_vs_baseline_seconds);
		bind_num(pp, 12, a->saved_vs_random);
		bind_num(pp, 13, a->saved_vs_random_seconds);
		bind_num(pp, 14, a->best_final_mean);
		bind_num(pp, 15, a->best_final_worst);
		bind_num(pp, 16, a->regret_mean);
		bind_num(pp, 17, a->p_top1);
		bind_num(pp, 18, a->p_top5);
		bind_num(pp, 19, a->time_to_best_mean);
		sqlite3_bind_text(pp, 20, a->anytime, -1, SQLITE_STATIC);
		if (a->equal_budget_steps > 0)
			sqlite3_bind_int64(pp, 21, a->equal_budget_steps);
		else
			sqlite3_bind_null(pp, 21);
		bind_num(pp, 22, a->equal_cost_steps_mean);
		bind_num(pp, 23, a->equal_started_mean);
		bind_num(pp, 24, a->equal_regret_mean);
		bind_num(pp, 25, a->equal_regret_worst);
		bind_num(pp, 26, a->equal_p_top1);
		bind_num(pp, 27, a->equal_p_top5);
		if (sqlite3_step(pp) != SQLITE_DONE) {
			rung_store_error(st, cause);
			goto out;
		}
		for (i = 0; i < a->nseed; i++) {
			const struct rung_kept_seed *r = &a->seed[i];

			sqlite3_reset(sp);
			sqlite3_bind_int64(sp, 1, kr->id);
			sqlite3_bind_int(sp, 2, (int)k);
			sqlite3_bind_int64(sp, 3, (int64_t)r->seed);
			sqlite3_bind_int64(sp, 4, r->cost_steps);
			bind_num(sp, 5, r->cost_seconds);
			bind_num(sp, 6, r->end_time);
			sqlite3_bind_int64(sp, 7, r->started);
			if (r->returned != NULL)
				sqlite3_bind_text(sp, 8, r->returned, -1,
				    SQLITE_STATIC);
			else
				sqlite3_bind_null(sp, 8);
			bind_num(sp, 9, r->returned_final);
			bind_num(sp, 10, r->regret);
			sqlite3_bind_int(sp, 11, r->top1);
			sqlite3_bind_int(sp, 12, r->top5);
			bind_num(sp, 13, r->time_to_best);
			if (r->steps_to_best >= 0)
				sqlite3_bind_int64(sp, 14, r->steps_to_best);
			else
				sqlite3_bind_null(sp, 14);
			bind_num(sp, 15, r->saved_vs_baseline);
			bind_num(sp, 16, r->saved_vs_random);
			text = trace_text(r);
			sqlite3_bind_text(sp, 17, text, -1, SQLITE_TRANSIENT);
			free(text);
			if (sqlite3_step(sp) != SQLITE_DONE) {
				rung_store_error(st, cause);
				goto out;
			}
		}
	}
	ret = 0;
out:
	sqlite3_finalize(pp);
	sqlite3_finalize(sp);
	return ret;
}

int
rung_store_replay_save(struct rung_store *st, struct rung_kept_replay *kr,
    char **cause)
{
	sqlite3		*db = rung_store_db(st);
	sqlite3_stmt	*q = NULL;
	struct rung_buf	 names = { 0 };
	size_t		 k;
	int		 ret = -1;

	for (k = 0; k < kr->npol; k++) {
		if (k > 0)
			rung_buf_addc(&names, ',');
		rung_buf_addstr(&names, kr->pol[k].policy);
	}
	if (rung_store_begin(st, cause) != 0)
		goto out;
	if (sqlite3_prepare_v2(db, "INSERT INTO replays (study_id, study,"
	    " metric, direction, policies, baseline, seeds, seed, resume,"
	    " params, report) VALUES ((SELECT id FROM studies WHERE"
	    " name = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &q,
	    NULL) != SQLITE_OK) {
		rung_store_error(st, cause);
		goto fail;
	}
	sqlite3_bind_text(q, 1, kr->study, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, kr->study, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, kr->metric, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, kr->direction, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, rung_buf_cstr(&names), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, kr->baseline, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 7, kr->seeds);
	sqlite3_bind_int64(q, 8, kr->seed);
	sqlite3_bind_int(q, 9, kr->resume);
	sqlite3_bind_text(q, 10, kr->params, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 11, kr->report, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE) {
		rung_store_error(st, cause);
		goto fail;
	}
	kr->id = sqlite3_last_insert_rowid(db);
	if (save_rows(st, kr, cause) != 0)
		goto fail;
	if (rung_store_commit(st, cause) != 0)
		goto out;
	ret = 0;
	goto out;
fail:
	rung_store_rollback(st);
out:
	sqlite3_finalize(q);
	rung_buf_release(&names);
	return ret;
}

/* Reading. */

#define REPLAY_COLUMNS	"SELECT id, study, metric, direction, policies," \
	" baseline, seeds, seed, resume, params, report, created FROM replays"

static void
read_replay(sqlite3_stmt *q, int flags, struct rung_kept_replay *kr)
{
	memset(kr, 0, sizeof *kr);
	kr->id = sqlite3_column_int64(q, 0);
	kr->study = store_col_text(q, 1);
	kr->metric = store_col_text(q, 2);
	kr->direction = store_col_text(q, 3);
	kr->policies = store_col_text(q, 4);
	kr->baseline = store_col_text(q, 5);
	kr->seeds = sqlite3_column_int64(q, 6);
	kr->seed = sqlite3_column_int64(q, 7);
	kr->resume = sqlite3_column_int(q, 8);
	kr->params = store_col_text(q, 9);
	if (flags & RUNG_KEPT_REPORT)
		kr->report = store_col_text(q, 10);
	kr->created = store_col_text(q, 11);
}

static int
read_policies(struct rung_store *st, struct rung_kept_replay *kr,
    char **cause)
{
	sqlite3_stmt	*q = NULL;
	struct rung_kept_policy *p;
	size_t		 cap = 0;
	int		 rc;

	if (sqlite3_prepare_v2(rung_store_db(st), "SELECT policy, seeds,"
	    " resume, cost_steps_mean, cost_steps_sd, cost_seconds_mean,"
	    " cost_seconds_sd, saved_vs_baseline, saved_vs_baseline_seconds,"
	    " saved_vs_random, saved_vs_random_seconds, best_final_mean,"
	    " best_final_worst, regret_mean, p_top1, p_top5,"
	    " time_to_best_mean, anytime, equal_budget_steps,"
	    " equal_cost_steps_mean, equal_started_mean, equal_regret_mean,"
	    " equal_regret_worst, equal_p_top1, equal_p_top5"
	    " FROM replay_policies"
	    " WHERE replay_id = ? ORDER BY idx", -1, &q, NULL) != SQLITE_OK)
		return rung_store_error(st, cause);
	sqlite3_bind_int64(q, 1, kr->id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		XGROW(kr->pol, cap, kr->npol + 1);
		p = &kr->pol[kr->npol++];
		memset(p, 0, sizeof *p);
		p->policy = store_col_text(q, 0);
		p->seeds = sqlite3_column_int64(q, 1);
		p->resume = sqlite3_column_int(q, 2);
		p->cost_steps_mean = col_num(q, 3);
		p->cost_steps_sd = col_num(q, 4);
		p->cost_seconds_mean = col_num(q, 5);
		p->cost_seconds_sd = col_num(q, 6);
		p->saved_vs_baseline = col_num(q, 7);
		p->saved_vs_baseline_seconds = col_num(q, 8);
		p->saved_vs_random = col_num(q, 9);
		p->saved_vs_random_seconds = col_num(q, 10);
		p->best_final_mean = col_num(q, 11);
		p->best_final_worst = col_num(q, 12);
		p->regret_mean = col_num(q, 13);
		p->p_top1 = col_num(q, 14);
		p->p_top5 = col_num(q, 15);
		p->time_to_best_mean = col_num(q, 16);
		p->anytime = store_col_text(q, 17);
		p->equal_budget_steps = sqlite3_column_int64(q, 18);
		p->equal_cost_steps_mean = col_num(q, 19);
		p->equal_started_mean = col_num(q, 20);
		p->equal_regret_mean = col_num(q, 21);
		p->equal_regret_worst = col_num(q, 22);
		p->equal_p_top1 = col_num(q, 23);
		p->equal_p_top5 = col_num(q, 24);
	}
	if (rc != SQLITE_DONE)
		rung_store_error(st, cause);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Each seed's row goes to the policy of its index, in the rows' order. */
static int
read_seeds(struct rung_store *st, struct rung_kept_replay *kr, int flags,
    char **cause)
{
	sqlite3_stmt	*q = NULL;
	struct rung_kept_policy *p;
	struct rung_kept_seed *r;
	size_t		 i;
	int		 rc;

	if (sqlite3_prepare_v2(rung_store_db(st), "SELECT policy_idx, seed,"
	    " cost_steps, cost_seconds, end_time, started, returned,"
	    " returned_final, regret, top1, top5, time_to_best, steps_to_best,"
	    " saved_vs_baseline, saved_vs_random, trace FROM replay_seeds"
	    " WHERE replay_id = ? ORDER BY policy_idx, seed", -1, &q,
	    NULL) != SQLITE_OK)
		return rung_store_error(st, cause);
	sqlite3_bind_int64(q, 1, kr->id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		i = (size_t)sqlite3_column_int64(q, 0);
		if (i >= kr->npol)
			continue;
		p = &kr->pol[i];
		p->seed = xreallocarray(p->seed, p->nseed + 1,
		    sizeof *p->seed);
		r = &p->seed[p->nseed++];
		memset(r, 0, sizeof *r);
		r->seed = (uint64_t)sqlite3_column_int64(q, 1);
		r->cost_steps = sqlite3_column_int64(q, 2);
		r->cost_seconds = col_num(q, 3);
		r->end_time = col_num(q, 4);
		r->started = sqlite3_column_int64(q, 5);
		r->returned = store_col_text(q, 6);
		r->returned_final = col_num(q, 7);
		r->regret = col_num(q, 8);
		r->top1 = sqlite3_column_int(q, 9);
		r->top5 = sqlite3_column_int(q, 10);
		r->time_to_best = col_num(q, 11);
		r->steps_to_best = sqlite3_column_type(q, 12) == SQLITE_NULL ?
		    -1 : sqlite3_column_int64(q, 12);
		r->saved_vs_baseline = col_num(q, 13);
		r->saved_vs_random = col_num(q, 14);
		if ((flags & RUNG_KEPT_TRACES) == RUNG_KEPT_TRACES)
			trace_parse((const char *)sqlite3_column_text(q, 15),
			    r);
	}
	if (rc != SQLITE_DONE)
		rung_store_error(st, cause);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
read_rows(struct rung_store *st, struct rung_kept_replay *kr, int flags,
    char **cause)
{
	if ((flags & RUNG_KEPT_POLICIES) &&
	    read_policies(st, kr, cause) != 0)
		return -1;
	if ((flags & RUNG_KEPT_SEEDS) == RUNG_KEPT_SEEDS &&
	    read_seeds(st, kr, flags, cause) != 0)
		return -1;
	return 0;
}

int
rung_store_replay_load(struct rung_store *st, int64_t id, const char *study,
    const char *metric, int flags, struct rung_kept_replay **out,
    char **cause)
{
	sqlite3_stmt	*q = NULL;
	struct rung_kept_replay *kr;
	int		 rc;

	*out = NULL;
	if (sqlite3_prepare_v2(rung_store_db(st), id > 0 ? REPLAY_COLUMNS
	    " WHERE id = ?1" : REPLAY_COLUMNS " WHERE study = ?2 AND"
	    " (?3 IS NULL OR metric = ?3) ORDER BY id DESC LIMIT 1", -1, &q,
	    NULL) != SQLITE_OK) {
		if (flags & RUNG_KEPT_OLD_OK)
			return 0;
		return rung_store_error(st, cause);
	}
	if (id > 0)
		sqlite3_bind_int64(q, 1, id);
	else {
		sqlite3_bind_text(q, 2, study, -1, SQLITE_STATIC);
		if (metric != NULL)
			sqlite3_bind_text(q, 3, metric, -1, SQLITE_STATIC);
	}
	if ((rc = sqlite3_step(q)) != SQLITE_ROW) {
		if (rc != SQLITE_DONE)
			rung_store_error(st, cause);
		sqlite3_finalize(q);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	kr = xmalloc(sizeof *kr);
	read_replay(q, flags, kr);
	sqlite3_finalize(q);
	if (read_rows(st, kr, flags, cause) != 0) {
		rung_kept_replay_free(kr);
		return -1;
	}
	*out = kr;
	return 1;
}

int
rung_store_replay_list(struct rung_store *st, const char *study, int flags,
    struct rung_kept_replay **v, size_t *n, char **cause)
{
	sqlite3_stmt	*q = NULL;
	size_t		 cap = 0;
	int		 rc;

	*v = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(rung_store_db(st), REPLAY_COLUMNS
	    " WHERE ?1 IS NULL OR study = ?1 ORDER BY id", -1, &q,
	    NULL) != SQLITE_OK)
		return rung_store_error(st, cause);
	if (study != NULL)
		sqlite3_bind_text(q, 1, study, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		XGROW(*v, cap, *n + 1);
		read_replay(q, flags, &(*v)[(*n)++]);
		if (read_rows(st, &(*v)[*n - 1], flags, cause) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		rung_store_error(st, cause);
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		return 0;
	rung_kept_replay_list_free(*v, *n);
	*v = NULL;
	*n = 0;
	return -1;
}

void
rung_kept_seed_release(struct rung_kept_seed *r)
{
	free(r->returned);
	free(r->trace_steps);
	free(r->trace_time);
	free(r->trace_final);
	memset(r, 0, sizeof *r);
}

void
rung_kept_policy_release(struct rung_kept_policy *p)
{
	size_t	 i;

	for (i = 0; i < p->nseed; i++)
		rung_kept_seed_release(&p->seed[i]);
	free(p->seed);
	free(p->policy);
	free(p->anytime);
	memset(p, 0, sizeof *p);
}

void
rung_kept_replay_release(struct rung_kept_replay *kr)
{
	size_t	 i;

	for (i = 0; i < kr->npol; i++)
		rung_kept_policy_release(&kr->pol[i]);
	free(kr->pol);
	free(kr->study);
	free(kr->metric);
	free(kr->direction);
	free(kr->policies);
	free(kr->baseline);
	free(kr->params);
	free(kr->report);
	free(kr->created);
	memset(kr, 0, sizeof *kr);
}

void
rung_kept_replay_free(struct rung_kept_replay *kr)
{
	if (kr == NULL)
		return;
	rung_kept_replay_release(kr);
	free(kr);
}

void
rung_kept_replay_list_free(struct rung_kept_replay *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		rung_kept_replay_release(&v[i]);
	free(v);
}
