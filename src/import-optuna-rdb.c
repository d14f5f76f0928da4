/*
 * Optuna's RDB storage in an SQLite file. This reads Optuna's own database,
 * not rung's store: the tables, columns and schema revisions are Optuna's
 * (alembic), so the reader holds the SQL it needs itself, and store.c
 * never sees the file.
 *
 * The SQLite file is opened read-only through a URI (mode=ro), in one read
 * transaction, and each table is read with one query ordered by trial_id:
 * the trials are sorted by trial_id once and every later query walks that
 * list with a cursor, so a trial is found without a lookup of any kind.
 * The schema revision (alembic_version) says which tables and columns there
 * are; values written before value types existed are decoded the way
 * Optuna's own migrations decode them.
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "import-optuna-int.h"

static int
trial_state(const char *s, enum rung_status *st)
{
	if (strcmp(s, "COMPLETE") == 0)
		*st = RUNG_COMPLETE;
	else if (strcmp(s, "PRUNED") == 0)
		*st = RUNG_STOPPED;
	else if (strcmp(s, "FAIL") == 0)
		*st = RUNG_FAILED;
	else if (strcmp(s, "RUNNING") == 0 || strcmp(s, "WAITING") == 0)
		*st = RUNG_RUNNING;
	else
		return -1;
	return 0;
}

static int
study_direction(const char *s, enum rung_direction *d)
{
	if (strcmp(s, "MINIMIZE") == 0)
		*d = RUNG_MIN;
	else if (strcmp(s, "MAXIMIZE") == 0)
		*d = RUNG_MAX;
	else if (strcmp(s, "NOT_SET") == 0)
		*d = 0;
	else
		return -1;
	return 0;
}

/* What each schema revision holds, from the alembic migrations. */
struct oschema {
	const char	*rev;
	/*
	 * Up to v1.3.0.a: studies.direction, trials.value, and the
	 * intermediate values in trial_values(trial_id, step, value).
	 */
	int		 old;
	int		 number;	/* trials.number (v1.3.0.a) */
	int		 value_type;	/* trial_values (v3.0.0.d) */
	int		 inter_type;	/* intermediates (v3.0.0.c) */
};

static const struct oschema schemas[] = {
	{ "v0.9.0.a", 1, 0, 0, 0 },
	{ "v1.2.0.a", 1, 0, 0, 0 },	/* adds the WAITING state */
	{ "v1.3.0.a", 1, 1, 0, 0 },
	{ "v2.4.0.a", 0, 1, 0, 0 },	/* study_directions, objectives */
	{ "v2.6.0.a", 0, 1, 0, 0 },	/* TEXT for long JSON */
	{ "v3.0.0.a", 0, 1, 0, 0 },	/* Float/IntDistribution */
	{ "v3.0.0.b", 0, 1, 0, 0 },	/* float64; NULL intermediate */
	{ "v3.0.0.c", 0, 1, 0, 1 },
	{ "v3.0.0.d", 0, 1, 1, 1 },
	{ "v3.2.0.a", 0, 1, 1, 1 },	/* an index on trials.study_id */
};

/* A trial of a selected study, in the list sorted by trial_id. */
struct otrial {
	int64_t		 id;
	int64_t		 number;
	uint32_t	 study;
	uint32_t	 t;		/* in the study's batch */
	uint32_t	 voff;		/* its objective values */
};

struct rdb {
	struct octx	*c;
	sqlite3		*db;
	const struct oschema *schema;
	struct otrial	*trials;
	uint32_t	 ntrials;
	size_t		 trialcap;
	double		*vals;
	uint8_t		*vset;
	uint32_t	 nvals;
	size_t		 valcap;
};

static int
rdb_err(struct rdb *r)
{
	return opt_err(r->c, "%s", sqlite3_errmsg(r->db));
}

static int
rdb_prepare(struct rdb *r, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(r->db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return rdb_err(r);
	}
	return 0;
}

/* "file:" URI of a path: %, ? and # and odd bytes escaped. */
static char *
file_uri(const char *path)
{
	struct rung_buf	 u = { 0 };
	const unsigned char *p;

	/* An empty authority, so that a path starting "//" stays a path. */
	rung_buf_addstr(&u, path[0] == '/' ? "file://" : "file:");
	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p <= 0x20 ||
		    *p >= 0x7f)
			rung_buf_printf(&u, "%%%02X", *p);
		else
			rung_buf_addc(&u, (char)*p);
	}
	rung_buf_addstr(&u, "?mode=ro");
	return rung_buf_cstr(&u);
}

/* np.isclose(a, b) with its default tolerances. */
static int
isclose(double a, double b)
{
	return fabs(a - b) <= 1e-8 + 1e-5 * fabs(b);
}

/*
 * A value stored before its type column existed: NULL is NaN, and the
 * float32 limits that Optuna 2 wrote for infinities are infinities again,
 * as migrations v3.0.0.c and v3.0.0.d turn them.
 */
static double
legacy_value(double v)
{
	const double	 max32 = 3.4028234663852886e38;

	if (v > 1e16 && isclose(v, max32))
		return INFINITY;
	if (v < -1e16 && isclose(v, -max32))
		return -INFINITY;
	return v;
}

/* No step: the value of a trial, a parameter. */
#define NO_STEP	INT64_MIN

/*
 * A column that holds what its type does not say, such as text in a REAL
 * column: SQLite keeps any value in a column of any type (a table made by
 * hand, a file written by another tool), and sqlite3_column_double() and
 * sqlite3_column_int64() read text as 0. Optuna gives no number for it
 * either. Say where it is.
 */
/* What a column holds, for a message. */
static void
rdb_got(sqlite3_stmt *st, int col, char *got, size_t size)
{
	const char	*text;
	size_t		 len, n, bad;

	switch (sqlite3_column_type(st, col)) {
	case SQLITE_TEXT:
		text = (const char *)sqlite3_column_text(st, col);
		len = text != NULL ? strlen(text) : 0;
		if (text == NULL || !rung_utf8_valid(text, len, &bad)) {
			snprintf(got, size, "text that is not UTF-8");
			break;
		}
		/* Cut long text short, between two characters. */
		for (n = len > 40 ? 40 : len; n < len &&
		    ((unsigned char)text[n] & 0xc0) == 0x80; n--)
			/* nothing */;
		snprintf(got, size, "the text '%.*s%s'", (int)n, text,
		    n < len ? "..." : "");
		break;
	case SQLITE_BLOB:
		snprintf(got, size, "a BLOB of %d byte%s",
		    sqlite3_column_bytes(st, col),
		    sqlite3_column_bytes(st, col) == 1 ? "" : "s");
		break;
	case SQLITE_FLOAT:
		snprintf(got, size, "%.17g", sqlite3_column_double(st, col));
		break;
	case SQLITE_INTEGER:
		snprintf(got, size, "%lld", sqlite3_column_int64(st, col));
		break;
	default:
		snprintf(got, size, "NULL");
		break;
	}
}

/*
 * A column that holds what its type does not say, such as text in a REAL
 * column: SQLite keeps any value in a column of any type (a table made by
 * hand, a file written by another tool), and sqlite3_column_double() and
 * sqlite3_column_int64() read text as 0. Optuna gives no number for it
 * either. Say where it is.
 */
static int
rdb_bad_type(struct rdb *r, sqlite3_stmt *st, int col,
    const struct otrial *ot, int64_t step, const char *param,
    const char *column, const char *want)
{
	char		 got[128], at[64] = "", pname[96] = "";

	rdb_got(st, col, got, sizeof got);
	if (step != NO_STEP)
		snprintf(at, sizeof at, ", step %" PRId64, step);
	if (param != NULL)
		snprintf(pname, sizeof pname, " parameter '%.64s':", param);
	return opt_err(r->c, "study '%s', trial %" PRId64 "%s:%s %s: "
	    "expected %s, got %s", r->c->studies[ot->study].name, ot->number,
	    at, pname, column, want, got);
}

/* Is the value of a REAL column a number, or NULL? */
static int
rdb_is_real(sqlite3_stmt *st, int col)
{
	int	 type = sqlite3_column_type(st, col);

	return type == SQLITE_FLOAT || type == SQLITE_INTEGER ||
	    type == SQLITE_NULL;
}

/*
 * A value and its type column (NULL: no type column) as Optuna reads it.
 * column names the value's column, for messages.
 */
static int
rdb_value(struct rdb *r, sqlite3_stmt *st, int col, int typed,
    const struct otrial *ot, int64_t step, const char *column, double *v,
    int *set)
{
	const char	*type;

	*set = 1;
	if (!rdb_is_real(st, col))
		return rdb_bad_type(r, st, col, ot, step, NULL, column,
		    "a number");
	if (!typed) {
		if (sqlite3_column_type(st, col) == SQLITE_NULL) {
			*v = NAN;
			*set = 0;
		} else
			*v = legacy_value(sqlite3_column_double(st, col));
		return 0;
	}
	type = (const char *)sqlite3_column_text(st, col + 1);
	if (type == NULL || strcmp(type, "FINITE") == 0) {
		*v = sqlite3_column_type(st, col) == SQLITE_NULL ? NAN :
		    sqlite3_column_double(st, col);
	} else if (strcmp(type, "INF_POS") == 0)
		*v = INFINITY;
	else if (strcmp(type, "INF_NEG") == 0)
		*v = -INFINITY;
	else if (strcmp(type, "NAN") == 0)
		*v = NAN;
	else {
		return opt_err(r->c, "study '%s', trial %" PRId64 ": %s: "
		    "unknown value type '%s'", r->c->studies[ot->study].name,
		    ot->number, column, type);
	}
	return 0;
}

static int
rdb_revision(struct rdb *r)
{
	sqlite3_stmt	*st;
	const char	*rev;
	size_t		 i;
	int		 rc, n;

	/* A damaged or foreign file fails here, with SQLite's words. */
	if (rdb_prepare(r, "SELECT count(*) FROM sqlite_master WHERE "
	    "type = 'table' AND name = 'alembic_version'", &st) != 0)
		return -1;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		rc = rdb_err(r);	/* the statement's message, before it goes */
		sqlite3_finalize(st);
		return rc;
	}
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (n == 0) {
		return opt_err(r->c, "an SQLite database, but not an Optuna "
		    "storage (it has no alembic_version table)");
	}
	if (rdb_prepare(r, "SELECT version_num FROM alembic_version", &st) != 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return rdb_err(r);
		return opt_err(r->c, "not an Optuna storage (its "
		    "alembic_version table is empty)");
	}
	rev = (const char *)sqlite3_column_text(st, 0);
	for (i = 0; i < sizeof schemas / sizeof schemas[0]; i++) {
		if (rev != NULL && strcmp(rev, schemas[i].rev) == 0) {
			r->schema = &schemas[i];
			break;
		}
	}
	if (r->schema == NULL) {
		opt_err(r->c, "an Optuna storage of schema revision '%s', "
		    "which rung does not know (it reads %s to %s)",
		    rev != NULL ? rev : "NULL", schemas[0].rev,
		    schemas[sizeof schemas / sizeof schemas[0] - 1].rev);
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static int
rdb_studies(struct rdb *r)
{
	struct octx	*c = r->c;
	struct ostudy	*s;
	sqlite3_stmt	*st;
	const char	*name, *dir;
	enum rung_direction d;
	size_t		 bad;
	int		 rc, old = r->schema->old;

	if (rdb_prepare(r, old ? "SELECT study_id, study_name, direction "
	    "FROM studies ORDER BY study_id" : "SELECT study_id, study_name "
	    "FROM studies ORDER BY study_id", &st) != 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		name = (const char *)sqlite3_column_text(st, 1);
		if (name != NULL && !rung_utf8_valid(name, strlen(name),
		    &bad)) {
			opt_err(c, "study %lld: a name that is not UTF-8 text",
			    (long long)sqlite3_column_int64(st, 0));
			sqlite3_finalize(st);
			return -1;
		}
		s = opt_study_add(c, sqlite3_column_int64(st, 0),
		    name != NULL ? name : "");
		if (old) {
			dir = (const char *)sqlite3_column_text(st, 2);
			if (dir == NULL || study_direction(dir, &d) != 0) {
				/* dir is the statement's: say it first. */
				opt_err(c, "study '%s': unknown direction '%s'",
				    s->name, dir != NULL ? dir : "");
				sqlite3_finalize(st);
				return -1;
			}
			opt_study_add_dir(s, 0, d);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rdb_err(r);
	/* No study to give directions to (c->studies is NULL then). */
	if (old || c->nstudies == 0)
		return 0;

	if (rdb_prepare(r, "SELECT d.study_id, d.objective, d.direction FROM "
	    "study_directions d ORDER BY d.study_id, d.objective", &st) != 0)
		return -1;
	s = c->studies;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		while (s < c->studies + c->nstudies &&
		    s->id < sqlite3_column_int64(st, 0))
			s++;
		if (s == c->studies + c->nstudies ||
		    s->id != sqlite3_column_int64(st, 0))
			continue;
		dir = (const char *)sqlite3_column_text(st, 2);
		if (dir == NULL || study_direction(dir, &d) != 0) {
			opt_err(c, "study '%s': unknown direction '%s'",
			    s->name, dir != NULL ? dir : "");
			sqlite3_finalize(st);
			return -1;
		}
		if (sqlite3_column_int64(st, 1) < 0 ||
		    sqlite3_column_int64(st, 1) > 1000000) {
			opt_err(c, "study '%s': objective %lld", s->name,
			    (long long)sqlite3_column_int64(st, 1));
			sqlite3_finalize(st);
			return -1;
		}
		opt_study_add_dir(s, (uint32_t)sqlite3_column_int64(st, 1), d);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rdb_err(r);
	return 0;
}

static int
cmp_otrial(const void *va, const void *vb)
{
	const struct otrial *a = va, *b = vb;

	return a->id < b->id ? -1 : a->id > b->id;
}

/*
 * The trials of the selected studies, in number order per study (the order
 * rung lists them), then sorted by trial_id for the other tables.
 */
static int
rdb_trials(struct rdb *r, const char *digest, uint64_t size)
{
	struct octx	*c = r->c;
	struct ostudy	*s;
	struct otrial	*ot;
	sqlite3_stmt	*st;
	const char	*sql, *state;
	enum rung_status rs;
	int64_t		 sid, number, last = -1;
	uint32_t	 si = 0, pos = 0, k;
	double		 v;
	char		 got[128];
	int		 rc, set;

	if (r->schema->old && !r->schema->number) {
		/* Before v1.3.0.a the number was a system attribute. */
		sql = "SELECT t.trial_id, t.study_id, (SELECT "
		    "CAST(a.value_json AS INTEGER) FROM "
		    "trial_system_attributes a WHERE "
		    "a.trial_id = t.trial_id AND a.key = '_number') AS n, "
		    "t.state, t.value FROM trials t ORDER BY t.study_id, n, "
		    "t.trial_id";
	} else if (r->schema->old) {
		sql = "SELECT trial_id, study_id, number, state, value FROM "
		    "trials ORDER BY study_id, number, trial_id";
	} else {
		sql = "SELECT trial_id, study_id, number, state FROM trials "
		    "ORDER BY study_id, number, trial_id";
	}
	if (rdb_prepare(r, sql, &st) != 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sid = sqlite3_column_int64(st, 1);
		while (si < c->nstudies && c->studies[si].id < sid)
			si++;
		if (si == c->nstudies || c->studies[si].id != sid ||
		    !c->studies[si].selected)
			continue;
		s = &c->studies[si];
		if (s->b == NULL && opt_study_begin(c, s, digest, size, 0) != 0)
			goto fail;
		if (sid != last) {
			last = sid;
			pos = 0;
		}
		/* A trial without a number takes its place in the study. */
		number = sqlite3_column_type(st, 2) == SQLITE_NULL ? pos :
		    sqlite3_column_int64(st, 2);
		pos++;
		if (sqlite3_column_type(st, 2) != SQLITE_NULL &&
		    sqlite3_column_type(st, 2) != SQLITE_INTEGER) {
			/* No number to name the trial by: its trial_id. */
			rdb_got(st, 2, got, sizeof got);
			opt_err(c, "study '%s', trial_id %lld: trials.number: "
			    "expected an integer, got %s", s->name,
			    (long long)sqlite3_column_int64(st, 0), got);
			goto fail;
		}
		state = (const char *)sqlite3_column_text(st, 3);
		if (state == NULL || trial_state(state, &rs) != 0) {
			opt_err(c, "study '%s', trial %" PRId64 ": unknown "
			    "state '%s'", s->name, number, state != NULL ?
			    state : "");
			goto fail;
		}
		XGROW(r->trials, r->trialcap, (size_t)r->ntrials + 1);
		ot = &r->trials[r->ntrials++];
		ot->id = sqlite3_column_int64(st, 0);
		ot->number = number;
		ot->study = si;
		ot->t = opt_study_trial(s, number, rs);
		ot->voff = r->nvals;
		r->nvals += s->ndirs;
		if (r->nvals > r->valcap) {
			XGROW(r->vals, r->valcap, r->nvals);
			r->vset = xreallocarray(r->vset, r->valcap, 1);
		}
		memset(r->vset + ot->voff, 0, s->ndirs);
		if (r->schema->old) {
			if (rdb_value(r, st, 4, 0, ot, NO_STEP, "trials.value",
			    &v, &set) != 0)
				goto fail;
			r->vals[ot->voff] = v;
			r->vset[ot->voff] = (uint8_t)set;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rdb_err(r);
	if (r->ntrials > 1)
		qsort(r->trials, r->ntrials, sizeof *r->trials, cmp_otrial);
	for (k = 1; k < r->ntrials; k++) {
		if (r->trials[k].id == r->trials[k - 1].id)
			return opt_err(c, "trial_id %" PRId64 " twice",
			    r->trials[k].id);
	}
	return 0;
fail:
	sqlite3_finalize(st);
	return -1;
}

/* Walk the sorted trials to the one with this trial_id; NULL if none. */
static struct otrial *
rdb_find(struct rdb *r, uint32_t *cur, int64_t id)
{
	while (*cur < r->ntrials && r->trials[*cur].id < id)
		(*cur)++;
	if (*cur < r->ntrials && r->trials[*cur].id == id)
		return &r->trials[*cur];
	return NULL;
}

static int
rdb_values(struct rdb *r)
{
	struct otrial	*ot;
	sqlite3_stmt	*st;
	int64_t		 obj;
	uint32_t	 cur = 0;
	double		 v;
	int		 rc, set;

	if (r->schema->old)
		return 0;	/* read with the trials */
	if (rdb_prepare(r, r->schema->value_type ? "SELECT trial_id, "
	    "objective, value, value_type FROM trial_values ORDER BY "
	    "trial_id, objective" : "SELECT trial_id, objective, value FROM "
	    "trial_values ORDER BY trial_id, objective", &st) != 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((ot = rdb_find(r, &cur, sqlite3_column_int64(st, 0))) ==
		    NULL)
			continue;
		if (sqlite3_column_type(st, 1) != SQLITE_INTEGER) {
			rdb_bad_type(r, st, 1, ot, NO_STEP, NULL,
			    "trial_values.objective", "an integer");
			sqlite3_finalize(st);
			return -1;
		}
		obj = sqlite3_column_int64(st, 1);
		if (obj < 0 || obj >= r->c->studies[ot->study].ndirs)
			continue;	/* not an objective of the study */
		if (rdb_value(r, st, 2, r->schema->value_type, ot, NO_STEP,
		    "trial_values.value", &v, &set) != 0) {
			sqlite3_finalize(st);
			return -1;
		}
		r->vals[ot->voff + obj] = v;
		r->vset[ot->voff + obj] = (uint8_t)set;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rdb_err(r);
	return 0;
}

static int
rdb_params(struct rdb *r)
{
	struct octx	*c = r->c;
	struct otrial	*ot;
	sqlite3_stmt	*st;
	const char	*name, *dj;
	char		*err = NULL;
	uint32_t	 cur = 0, di;
	size_t		 bad;
	int		 rc;

	if (rdb_prepare(r, "SELECT trial_id, param_name, param_value, "
	    "distribution_json FROM trial_params ORDER BY trial_id, param_id",
	    &st) != 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((ot = rdb_find(r, &cur, sqlite3_column_int64(st, 0))) ==
		    NULL)
			continue;
		name = (const char *)sqlite3_column_text(st, 1);
		dj = (const char *)sqlite3_column_text(st, 3);
		if (name == NULL || sqlite3_column_type(st, 2) == SQLITE_NULL)
			continue;
		if (!rung_utf8_valid(name, strlen(name), &bad)) {
			opt_err(c, "study '%s', trial %" PRId64 ": a parameter "
			    "name that is not UTF-8 text",
			    c->studies[ot->study].name, ot->number);
			goto fail;
		}
		if (!rdb_is_real(st, 2)) {
			rdb_bad_type(r, st, 2, ot, NO_STEP, name,
			    "trial_params.param_value", "a number");
			goto fail;
		}
		if (opt_dist_get(c, dj != NULL ? dj : "", &di, &err) != 0) {
			opt_err(c, "study '%s', trial %" PRId64 ": parameter "
			    "'%s': %s", c->studies[ot->study].name, ot->number,
			    name, err);
			free(err);
			goto fail;
		}
		if (opt_put_param(c, &c->studies[ot->study], ot->t, ot->number,
		    opt_intern(&c->names, name), sqlite3_column_double(st, 2),
		    di) != 0)
			goto fail;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rdb_err(r);
	return 0;
fail:
	sqlite3_finalize(st);
	return -1;
}

static void
rdb_put(struct rdb *r, struct otrial *ot, uint32_t n)
{
	opt_put_points(&r->c->studies[ot->study], ot->t, r->c->steps,
	    r->c->ivals, n, r->vals + ot->voff, r->vset + ot->voff);
}

/*
 * The intermediate values, in trial_id and step order, each trial's
 * points put as soon as the next trial begins.
 */
static int
rdb_points(struct rdb *r)
{
	struct octx	*c = r->c;
	struct otrial	*ot;
	sqlite3_stmt	*st;
	const char	*sql;
	int64_t		 id, step;
	uint32_t	 cur = 0, n = 0;
	double		 v;
	int		 rc, set;

	if (r->schema->old)
		sql = "SELECT trial_id, step, value FROM trial_values ORDER BY "
		    "trial_id, step";
	else if (r->schema->inter_type)
		sql = "SELECT trial_id, step, intermediate_value, "
		    "intermediate_value_type FROM trial_intermediate_values "
		    "ORDER BY trial_id, step";
	else
		sql = "SELECT trial_id, step, intermediate_value FROM "
		    "trial_intermediate_values ORDER BY trial_id, step";
	if (rdb_prepare(r, sql, &st) != 0)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		while (cur < r->ntrials && r->trials[cur].id < id) {
			rdb_put(r, &r->trials[cur++], n);
			n = 0;
		}
		if (cur == r->ntrials || r->trials[cur].id != id)
			continue;
		ot = &r->trials[cur];
		if (sqlite3_column_type(st, 1) != SQLITE_INTEGER) {
			rdb_bad_type(r, st, 1, ot, NO_STEP, NULL, r->schema->old ?
			    "trial_values.step" : "trial_intermediate_values.step",
			    "an integer");
			goto fail;
		}
		step = sqlite3_column_int64(st, 1);
		if (step < INT32_MIN || step > INT32_MAX) {
			opt_err(c, "study '%s', trial %" PRId64 ": step %"
			    PRId64 " is out of range",
			    c->studies[ot->study].name, ot->number, step);
			goto fail;
		}
		if (rdb_value(r, st, 2, r->schema->inter_type, ot, step,
		    r->schema->old ? "trial_values.value" :
		    "trial_intermediate_values.intermediate_value", &v,
		    &set) != 0)
			goto fail;
		opt_scratch_grow(c, (size_t)n + 1);
		c->steps[n] = (int32_t)step;
		c->ivals[n] = set ? v : NAN;
		n++;
	}
	if (rc != SQLITE_DONE) {
		rdb_err(r);
		goto fail;
	}
	sqlite3_finalize(st);
	while (cur < r->ntrials) {
		rdb_put(r, &r->trials[cur++], n);
		n = 0;
	}
	return 0;
fail:
	sqlite3_finalize(st);
	return -1;
}

int
opt_read_rdb(struct octx *c, const char *digest, uint64_t size)
{
	struct rdb	 r;
	FILE		*f;
	unsigned char	 magic[2];
	size_t		 n;
	char		*uri;
	int		 rc, ret = -1, intx = 0;

	memset(&r, 0, sizeof r);
	r.c = c;
	/* SQLite reads the file itself, so it cannot be compressed. */
	if ((f = fopen(c->path, "rb")) != NULL) {
		n = fread(magic, 1, sizeof magic, f);
		fclose(f);
		if (n == sizeof magic && magic[0] == 0x1f && magic[1] == 0x8b)
			return opt_err(c, "a compressed SQLite file: SQLite "
			    "reads it only uncompressed (gunzip it first)");
	}
	uri = file_uri(c->path);
	rc = sqlite3_open_v2(uri, &r.db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		if (r.db != NULL)
			rdb_err(&r);
		else
			opt_err(c, "cannot open: %s", sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_busy_timeout(r.db, 5000);
	/* One snapshot for every query, even while Optuna writes. */
	if (sqlite3_exec(r.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		rdb_err(&r);
		goto out;
	}
	intx = 1;
	if (rdb_revision(&r) != 0 || rdb_studies(&r) != 0 ||
	    opt_select_studies(c) != 0 || rdb_trials(&r, digest, size) != 0 ||
	    rdb_values(&r) != 0 || rdb_params(&r) != 0 ||
	    rdb_points(&r) != 0)
		goto out;
	ret = 0;
out:
	if (intx)
		sqlite3_exec(r.db, "COMMIT", NULL, NULL, NULL);
	if (r.db != NULL)
		sqlite3_close(r.db);
	free(r.trials);
	free(r.vals);
	free(r.vset);
	return ret;
}
