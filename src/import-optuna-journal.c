/*
 * Optuna's JournalStorage file (JournalFileStorage), one JSON operation a
 * line.
 *
 * The journal is replayed as JournalStorageReplayResult.apply_logs() does,
 * seen from a worker that issued none of the operations: an operation on a
 * study or trial that does not exist, on a finished trial, or a parameter
 * whose distribution conflicts with the one the study recorded first, is
 * skipped, never an error.
 */

#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <zlib.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/jsonin.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "import-optuna-int.h"

/* Optuna's JournalOperation. */
enum {
	OP_CREATE_STUDY = 0,
	OP_DELETE_STUDY,
	OP_SET_STUDY_USER_ATTR,
	OP_SET_STUDY_SYSTEM_ATTR,
	OP_CREATE_TRIAL,
	OP_SET_TRIAL_PARAM,
	OP_SET_TRIAL_STATE_VALUES,
	OP_SET_TRIAL_INTERMEDIATE_VALUE,
	OP_SET_TRIAL_USER_ATTR,
	OP_SET_TRIAL_SYSTEM_ATTR,
};

/* Optuna's TrialState, as the journal writes it. */
enum {
	TS_RUNNING = 0,
	TS_COMPLETE,
	TS_PRUNED,
	TS_FAIL,
	TS_WAITING,
};

struct jparam {
	uint32_t	 name;
	uint32_t	 dist;
	double		 internal;
};

struct jtrial {
	uint32_t	 study;
	uint32_t	 number;
	int		 state;
	double		*values;	/* NULL: None */
	uint8_t		*vset;
	uint32_t	 nvalues;
	struct jparam	*params;
	uint32_t	 nparams;
	size_t		 pcap;
	int32_t		*steps;		/* as reported */
	double		*ivals;
	uint32_t	 ninter;
	size_t		 icap;
	int32_t		 maxstep;
};

struct journal {
	struct octx	*c;
	size_t		 line;
	struct jtrial	*trials;
	uint32_t	 ntrials;
	size_t		 trialcap;
};

static int	 jerr(struct journal *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));

/* "FILE:LINE: message". */
static int
jerr(struct journal *j, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	xasprintf(j->c->cause, "%s:%zu: %s", j->c->path, j->line, msg);
	free(msg);
	return -1;
}

static void
jtrial_release(struct jtrial *t)
{
	free(t->values);
	free(t->vset);
	free(t->params);
	free(t->steps);
	free(t->ivals);
}

static int
is_num(struct json_object *v)
{
	return json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double);
}

/* A field that must be there. */
static int
jget(struct journal *j, struct json_object *log, const char *key,
    struct json_object **v)
{
	if (!json_object_object_get_ex(log, key, v))
		return jerr(j, "no \"%s\"", key);
	return 0;
}

/* An integer field (an integral float too, as Python would take it). */
static int
jint(struct journal *j, struct json_object *log, const char *key,
    int64_t *out)
{
	struct json_object	*v;
	double			 d;

	if (jget(j, log, key, &v) != 0)
		return -1;
	if (json_object_is_type(v, json_type_int)) {
		*out = json_object_get_int64(v);
		return 0;
	}
	if (json_object_is_type(v, json_type_double)) {
		d = json_object_get_double(v);
		if (d == floor(d) && d > -9e18 && d < 9e18) {
			*out = (int64_t)d;
			return 0;
		}
	}
	return jerr(j, "\"%s\" is not an integer", key);
}

/* The trial a log names, if it exists and is not finished. */
static struct jtrial *
jupdatable(struct journal *j, int64_t id)
{
	struct jtrial	*t;

	if (id < 0 || id >= j->ntrials)
		return NULL;
	t = &j->trials[id];
	if (t->state == TS_COMPLETE || t->state == TS_PRUNED ||
	    t->state == TS_FAIL)
		return NULL;
	return t;
}

static int
jstate(struct journal *j, struct json_object *v, int *state)
{
	int64_t	 s;

	if (!json_object_is_type(v, json_type_int) ||
	    (s = json_object_get_int64(v)) < TS_RUNNING || s > TS_WAITING)
		return jerr(j, "\"state\" is not a TrialState");
	*state = (int)s;
	return 0;
}

/* Values: a list of numbers, or null. */
static int
jvalues(struct journal *j, struct jtrial *t, struct json_object *v)
{
	struct json_object	*x;
	size_t			 i, n;

	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return jerr(j, "\"values\" is not a list");
	n = json_object_array_length(v);
	free(t->values);
	free(t->vset);
	t->values = xcalloc(n ? n : 1, sizeof *t->values);
	t->vset = xcalloc(n ? n : 1, 1);
	t->nvalues = (uint32_t)n;
	for (i = 0; i < n; i++) {
		x = json_object_array_get_idx(v, i);
		if (x == NULL)
			continue;
		if (!is_num(x))
			return jerr(j, "value %zu is not a number", i);
		t->values[i] = json_object_get_double(x);
		t->vset[i] = 1;
	}
	return 0;
}

static void
jset_inter(struct jtrial *t, int64_t step, double v)
{
	uint32_t	 i;
	size_t		 cap;

	/* The usual report comes at a new, higher step: no search. */
	if (t->ninter > 0 && step <= t->maxstep) {
		for (i = 0; i < t->ninter; i++) {
			if (t->steps[i] == step) {
				t->ivals[i] = v;
				return;
			}
		}
	}
	if (t->ninter + 1 > t->icap) {
		cap = t->icap;
		XGROW(t->steps, cap, (size_t)t->ninter + 1);
		t->ivals = xreallocarray(t->ivals, cap, sizeof *t->ivals);
		t->icap = cap;
	}
	t->steps[t->ninter] = (int32_t)step;
	t->ivals[t->ninter++] = v;
	if (t->ninter == 1 || step > t->maxstep)
		t->maxstep = (int32_t)step;
}

static int
jstep(struct journal *j, int64_t step)
{
	if (step < INT32_MIN || step > INT32_MAX)
		return jerr(j, "step %" PRId64 " is out of range", step);
	return 0;
}

/* Set (or replace) a parameter of a trial. */
static void
jset_param(struct journal *j, uint32_t tid, uint32_t name, uint32_t dist,
    double internal)
{
	struct jtrial	*t = &j->trials[tid];
	struct ostudy	*s = &j->c->studies[t->study];
	uint32_t	 i, holder;
	size_t		 old;

	for (i = 0; i < t->nparams; i++) {
		if (t->params[i].name == name)
			break;
	}
	if (i == t->nparams) {
		XGROW(t->params, t->pcap, (size_t)t->nparams + 1);
		t->nparams++;
	}
	t->params[i].name = name;
	t->params[i].dist = dist;
	t->params[i].internal = internal;

	/* Remember the study's first trial with it, for later checks. */
	if (name >= s->npfirst) {
		old = s->npfirst;
		s->npfirst = j->c->names.n;
		s->pfirst = xreallocarray(s->pfirst, s->npfirst,
		    sizeof *s->pfirst);
		memset(s->pfirst + old, 0, (s->npfirst - old) *
		    sizeof *s->pfirst);
	}
	holder = s->pfirst[name];
	if (holder == 0 || j->trials[holder - 1].number > t->number)
		s->pfirst[name] = tid + 1;
}

static int
jdist(struct journal *j, struct json_object *v, uint32_t *di)
{
	char	*err = NULL;

	if (!json_object_is_type(v, json_type_string))
		return jerr(j, "a distribution is not a JSON string");
	if (opt_dist_get(j->c, json_object_get_string(v), di, &err) != 0) {
		jerr(j, "%s", err);
		free(err);
		return -1;
	}
	return 0;
}

static int
op_create_study(struct journal *j, struct json_object *log)
{
	struct octx		*c = j->c;
	struct json_object	*v, *dirs, *x;
	struct ostudy		*s;
	const char		*name;
	enum rung_direction	 d;
	size_t			 i, n;
	int64_t			 dv;

	if (jget(j, log, "study_name", &v) != 0)
		return -1;
	if (!json_object_is_type(v, json_type_string))
		return jerr(j, "\"study_name\" is not a string");
	name = json_object_get_string(v);
	if (jget(j, log, "directions", &dirs) != 0)
		return -1;
	if (!json_object_is_type(dirs, json_type_array))
		return jerr(j, "\"directions\" is not a list");
	n = json_object_array_length(dirs);
	for (i = 0; i < n; i++) {
		x = json_object_array_get_idx(dirs, i);
		if (!json_object_is_type(x, json_type_int) ||
		    (dv = json_object_get_int64(x)) < 0 || dv > 2)
			return jerr(j, "direction %zu is not a StudyDirection",
			    i);
	}
	/* A name already taken: another worker lost the race. */
	for (i = 0; i < c->nstudies; i++) {
		if (!c->studies[i].deleted &&
		    strcmp(c->studies[i].name, name) == 0)
			return 0;
	}
	s = opt_study_add(c, (int64_t)c->nstudies, name);
	for (i = 0; i < n; i++) {
		dv = json_object_get_int64(json_object_array_get_idx(dirs, i));
		d = dv == 1 ? RUNG_MIN : dv == 2 ? RUNG_MAX : 0;
		opt_study_add_dir(s, (uint32_t)i, d);
	}
	return 0;
}

static int
op_create_trial(struct journal *j, struct json_object *log)
{
	struct octx		*c = j->c;
	struct json_object	*v, *value, *values, *dists = NULL, *params;
	struct json_object	*x;
	struct ostudy		*s;
	struct jtrial		*t;
	uint32_t		 tid, name, di;
	int64_t			 sid, step;
	double			 one;
	int			 state = TS_RUNNING;

	if (jint(j, log, "study_id", &sid) != 0)
		return -1;
	if (sid < 0 || (size_t)sid >= c->nstudies || c->studies[sid].deleted)
		return 0;
	s = &c->studies[sid];
	if (json_object_object_get_ex(log, "state", &v) &&
	    jstate(j, v, &state) != 0)
		return -1;

	XGROW(j->trials, j->trialcap, (size_t)j->ntrials + 1);
	tid = j->ntrials++;
	t = &j->trials[tid];
	memset(t, 0, sizeof *t);
	t->study = (uint32_t)sid;
	t->number = s->njtrials;
	t->state = state;
	XGROW(s->jtrials, s->jtrialcap, (size_t)s->njtrials + 1);
	s->jtrials[s->njtrials++] = tid;

	if (!json_object_object_get_ex(log, "value", &value))
		value = NULL;
	if (!json_object_object_get_ex(log, "values", &values))
		values = NULL;
	if (value != NULL && values != NULL)
		return jerr(j, "both \"value\" and \"values\"");
	if (value != NULL) {
		if (!is_num(value))
			return jerr(j, "\"value\" is not a number");
		one = json_object_get_double(value);
		t->values = xcalloc(1, sizeof *t->values);
		t->vset = xcalloc(1, 1);
		t->values[0] = one;
		t->vset[0] = 1;
		t->nvalues = 1;
	} else if (jvalues(j, t, values) != 0)
		return -1;

	if (json_object_object_get_ex(log, "distributions", &dists) &&
	    dists != NULL && !json_object_is_type(dists, json_type_object))
		return jerr(j, "\"distributions\" is not an object");
	if (json_object_object_get_ex(log, "params", &params) &&
	    params != NULL) {
		if (!json_object_is_type(params, json_type_object))
			return jerr(j, "\"params\" is not an object");
		json_object_object_foreach(params, pkey, pv) {
			if (dists == NULL ||
			    !json_object_object_get_ex(dists, pkey, &x))
				return jerr(j, "parameter '%s' has no "
				    "distribution", pkey);
			if (jdist(j, x, &di) != 0)
				return -1;
			if (!is_num(pv))
				return jerr(j, "parameter '%s' is not a "
				    "number", pkey);
			name = opt_intern(&c->names, pkey);
			jset_param(j, tid, name, di,
			    json_object_get_double(pv));
		}
	}
	if (json_object_object_get_ex(log, "intermediate_values", &v) &&
	    v != NULL) {
		if (!json_object_is_type(v, json_type_object))
			return jerr(j, "\"intermediate_values\" is not an "
			    "object");
		json_object_object_foreach(v, skey, iv) {
			if (rung_parse_int64(skey, strlen(skey), &step) != 0)
				return jerr(j, "intermediate step '%s' is not "
				    "an integer", skey);
			if (jstep(j, step) != 0)
				return -1;
			if (!is_num(iv))
				return jerr(j, "intermediate value at step "
				    "%" PRId64 " is not a number", step);
			jset_inter(t, step, json_object_get_double(iv));
		}
	}
	return 0;
}

static int
op_set_param(struct journal *j, struct json_object *log)
{
	struct octx		*c = j->c;
	struct json_object	*v, *dv;
	struct jtrial		*t, *h;
	struct ostudy		*s;
	const char		*pname;
	int64_t			 tid;
	uint32_t		 name, di, i, holder;

	if (jint(j, log, "trial_id", &tid) != 0 ||
	    jget(j, log, "param_name", &v) != 0)
		return -1;
	if (!json_object_is_type(v, json_type_string))
		return jerr(j, "\"param_name\" is not a string");
	pname = json_object_get_string(v);
	if (jget(j, log, "param_value_internal", &v) != 0 ||
	    jget(j, log, "distribution", &dv) != 0)
		return -1;
	if (!is_num(v))
		return jerr(j, "\"param_value_internal\" is not a number");
	if ((t = jupdatable(j, tid)) == NULL)
		return 0;
	if (jdist(j, dv, &di) != 0)
		return -1;
	name = opt_intern(&c->names, pname);
	s = &c->studies[t->study];
	holder = name < s->npfirst ? s->pfirst[name] : 0;
	if (holder != 0) {
		/* Incompatible with what the study has: another worker's. */
		h = &j->trials[holder - 1];
		for (i = 0; i < h->nparams; i++) {
			if (h->params[i].name == name)
				break;
		}
		if (i < h->nparams && opt_dist_compatible(&c->dists[
		    h->params[i].dist], &c->dists[di]) != 0)
			return 0;
	}
	jset_param(j, (uint32_t)tid, name, di, json_object_get_double(v));
	return 0;
}

static int
op_set_state_values(struct journal *j, struct json_object *log)
{
	struct json_object	*v, *values;
	struct jtrial		*t;
	int64_t			 tid;
	int			 state = TS_RUNNING;

	if (jint(j, log, "trial_id", &tid) != 0 ||
	    jget(j, log, "state", &v) != 0 || jstate(j, v, &state) != 0 ||
	    jget(j, log, "values", &values) != 0)
		return -1;
	if ((t = jupdatable(j, tid)) == NULL)
		return 0;
	if (state == TS_RUNNING && t->state == TS_RUNNING)
		return 0;
	t->state = state;
	return jvalues(j, t, values);
}

static int
op_set_intermediate(struct journal *j, struct json_object *log)
{
	struct json_object	*v;
	struct jtrial		*t;
	int64_t			 tid, step;

	if (jint(j, log, "trial_id", &tid) != 0 ||
	    jint(j, log, "step", &step) != 0 ||
	    jget(j, log, "intermediate_value", &v) != 0)
		return -1;
	if (!is_num(v))
		return jerr(j, "\"intermediate_value\" is not a number");
	if (jstep(j, step) != 0)
		return -1;
	if ((t = jupdatable(j, tid)) == NULL)
		return 0;
	jset_inter(t, step, json_object_get_double(v));
	return 0;
}

static int
apply_log(struct journal *j, struct json_object *log)
{
	struct octx	*c = j->c;
	int64_t		 op, sid;

	if (!json_object_is_type(log, json_type_object))
		return jerr(j, "not a JSON object");
	if (jint(j, log, "op_code", &op) != 0)
		return -1;
	switch (op) {
	case OP_CREATE_STUDY:
		return op_create_study(j, log);
	case OP_DELETE_STUDY:
		if (jint(j, log, "study_id", &sid) != 0)
			return -1;
		if (sid >= 0 && (size_t)sid < c->nstudies)
			c->studies[sid].deleted = 1;
		return 0;
	case OP_SET_STUDY_USER_ATTR:
	case OP_SET_STUDY_SYSTEM_ATTR:
	case OP_SET_TRIAL_USER_ATTR:
	case OP_SET_TRIAL_SYSTEM_ATTR:
		return 0;
	case OP_CREATE_TRIAL:
		return op_create_trial(j, log);
	case OP_SET_TRIAL_PARAM:
		return op_set_param(j, log);
	case OP_SET_TRIAL_STATE_VALUES:
		return op_set_state_values(j, log);
	case OP_SET_TRIAL_INTERMEDIATE_VALUE:
		return op_set_intermediate(j, log);
	}
	return jerr(j, "unknown op_code %" PRId64, op);
}

/* An intermediate value's place, to sort a trial's reports by step. */
struct jpos {
	int32_t		 step;
	uint32_t	 i;
};

static int
cmp_jpos(const void *va, const void *vb)
{
	const struct jpos *a = va, *b = vb;

	return a->step < b->step ? -1 : a->step > b->step;
}

/* Put a replayed trial into its study's batch. */
static int
jput(struct journal *j, struct ostudy *s, struct jtrial *t)
{
	struct octx	*c = j->c;
	static const enum rung_status states[] = { RUNG_RUNNING,
		RUNG_COMPLETE, RUNG_STOPPED, RUNG_FAILED, RUNG_RUNNING };
	struct jpos	*order;
	uint32_t	 bt, i, k;
	double		*vals;
	uint8_t		*vset;
	int		 sorted = 1;

	bt = opt_study_trial(s, t->number, states[t->state]);
	for (i = 0; i < t->nparams; i++) {
		if (opt_put_param(c, s, bt, t->number, t->params[i].name,
		    t->params[i].internal, t->params[i].dist) != 0)
			return -1;
	}
	opt_scratch_grow(c, (size_t)t->ninter + 1);
	for (i = 1; i < t->ninter; i++) {
		if (t->steps[i] < t->steps[i - 1])
			sorted = 0;
	}
	if (sorted && t->ninter > 0) {
		memcpy(c->steps, t->steps, t->ninter * sizeof *c->steps);
		memcpy(c->ivals, t->ivals, t->ninter * sizeof *c->ivals);
	} else if (!sorted) {
		/* Steps are unique (a report replaces), so no tie to break. */
		order = xcalloc(t->ninter, sizeof *order);
		for (i = 0; i < t->ninter; i++) {
			order[i].step = t->steps[i];
			order[i].i = i;
		}
		qsort(order, t->ninter, sizeof *order, cmp_jpos);
		for (i = 0; i < t->ninter; i++) {
			c->steps[i] = order[i].step;
			c->ivals[i] = t->ivals[order[i].i];
		}
		free(order);
	}
	vals = xcalloc(s->ndirs, sizeof *vals);
	vset = xcalloc(s->ndirs, 1);
	for (k = 0; k < s->ndirs && k < t->nvalues; k++) {
		vals[k] = t->values[k];
		vset[k] = t->vset[k];
	}
	opt_put_points(s, bt, c->steps, c->ivals, t->ninter, vals, vset);
	free(vals);
	free(vset);
	return 0;
}

/*
 * A followed journal (rung import --follow reads it again at each
 * increment): what was replayed of it is kept, by path, and the next
 * increment replays only the lines written since, as Optuna's own
 * JournalStorage does; the batches are still made of every trial (the
 * store writes only those that changed). The replay starts again from the
 * first line when the file is another one (another inode), shorter than
 * what was replayed, changed before that point (a CRC-32 of the last 4 KiB
 * replayed tells), or compressed; and the whole file is read as a one-shot
 * import reads it, keeping nothing, when the new bytes end in a line cut
 * short or hold a line that is no JSON object: that reading says what.
 */
#define JKEEP_TAIL	4096
#define JKEEP_CHUNK	(1024 * 1024)

struct jkeep {
	struct jkeep	*next;
	char		*path;
	dev_t		 dev;
	ino_t		 ino;
	uint64_t	 offset;	/* bytes of whole lines replayed */
	size_t		 line;
	uLong		 tail;		/* CRC-32 of the bytes before offset */
	struct journal	 j;
	struct octx	 saved;		/* the octx's part of the replay */
};

static struct jkeep *jkeeps;
static pthread_mutex_t jkeeps_lock = PTHREAD_MUTEX_INITIALIZER;

static void
jkeep_free(struct jkeep *k)
{
	size_t	 i;

	if (k == NULL)
		return;
	for (i = 0; i < k->j.ntrials; i++)
		jtrial_release(&k->j.trials[i]);
	free(k->j.trials);
	opt_replay_release(&k->saved);
	free(k->path);
	free(k);
}

/* The keep of path, taken off the list (NULL: none). */
static struct jkeep *
jkeep_take(const char *path)
{
	struct jkeep	**p, *k = NULL;

	pthread_mutex_lock(&jkeeps_lock);
	for (p = &jkeeps; *p != NULL; p = &(*p)->next) {
		if (strcmp((*p)->path, path) == 0) {
			k = *p;
			*p = k->next;
			k->next = NULL;
			break;
		}
	}
	pthread_mutex_unlock(&jkeeps_lock);
	return k;
}

void
rung_import_follow_end(void)
{
	struct jkeep	*k;

	pthread_mutex_lock(&jkeeps_lock);
	while ((k = jkeeps) != NULL) {
		jkeeps = k->next;
		jkeep_free(k);
	}
	pthread_mutex_unlock(&jkeeps_lock);
}

/* CRC-32 of the (up to) JKEEP_TAIL bytes of fd before off; 0 on an error. */
static uLong
tail_crc(int fd, uint64_t off, int *ok)
{
	unsigned char	 buf[JKEEP_TAIL];
	size_t		 n = off < JKEEP_TAIL ? (size_t)off : JKEEP_TAIL;
	ssize_t		 r;

	r = pread(fd, buf, n, (off_t)(off - n));
	*ok = r >= 0 && (size_t)r == n;
	return crc32(crc32(0L, Z_NULL, 0), buf, (uInt)n);
}

/*
 * Replay the lines of fd from k->offset to its end into j, advancing k:
 * 1 done, 0 when a one-shot reading must say what is wrong (a line cut
 * short, not JSON, blank, too long), -1 on an error of the replay.
 */
static int
jkeep_replay(struct jkeep *k, struct journal *j, int fd)
{
	struct json_tokener *tok;
	struct json_object *log;
	char		*buf = NULL, *nl;
	size_t		 cap = JKEEP_CHUNK, have = 0, start, len, off;
	const char	*msg;
	ssize_t		 r;
	uint64_t	 at = k->offset;
	int		 ret = 0, rc;

	if ((tok = json_tokener_new()) == NULL)
		return 0;
	buf = xmalloc(cap);
	for (;;) {
		if (have == cap) {
			if (cap >= (size_t)RUNG_JSON_LINE_MAX_MIB << 20)
				goto out;	/* a line too long: said there */
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		r = pread(fd, buf + have, cap - have, (off_t)(at + have));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto out;
		if (r == 0)
			break;
		have += (size_t)r;
		/* Each whole line of the chunk. */
		for (start = 0; (nl = memchr(buf + start, '\n', have -
		    start)) != NULL; start += len + 1) {
			len = (size_t)(nl - (buf + start));
			for (off = 0; off < len &&
			    rung_json_blank(buf[start + off]); off++)
				;
			if (off == len)
				goto out;	/* blank: an error there */
			if (rung_json_parse(tok, buf + start, len, &log, &off,
			    &msg) != 0)
				goto out;
			j->line = ++k->line;
			rc = apply_log(j, log);
			json_object_put(log);
			if (rc != 0) {
				ret = -1;
				goto out;
			}
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		at += start;
		k->offset = at;
	}
	/* What follows the last line feed: a line being written. */
	ret = have == 0 ? 1 : 0;
out:
	json_tokener_free(tok);
	free(buf);
	return ret;
}

/*
 * Read a followed journal from where its keep stopped: 1 with c and j
 * holding the replay of the whole file, 0 when it is to be read as a
 * one-shot import reads it (c and j then empty), -1 on an error.
 */
static int
jkeep_read(struct octx *c, struct journal *j)
{
	struct jkeep	*k;
	struct stat	 sb;
	unsigned char	 magic[2];
	int		 fd, ok, rc;

	if ((fd = open(c->path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f &&
	    magic[1] == 0x8b)) {
		close(fd);
		return 0;	/* compressed: no offset to resume at */
	}
	k = jkeep_take(c->path);
	if (k != NULL && (k->dev != sb.st_dev || k->ino != sb.st_ino ||
	    (uint64_t)sb.st_size < k->offset || tail_crc(fd, k->offset,
	    &ok) != k->tail || !ok)) {
		jkeep_free(k);	/* another file, or rewritten */
		k = NULL;
	}
	if (k == NULL) {
		k = xcalloc(1, sizeof *k);
		k->path = xstrdup(c->path);
		k->dev = sb.st_dev;
		k->ino = sb.st_ino;
	}
	/* The replay so far, into c and j. */
	opt_replay_move(c, &k->saved);
	*j = k->j;
	memset(&k->j, 0, sizeof k->j);
	j->c = c;

	rc = jkeep_replay(k, j, fd);
	if (rc == 1)
		k->tail = tail_crc(fd, k->offset, &ok);
	close(fd);
	if (rc == 1 && ok) {
		c->keep = k;
		return 1;
	}
	jkeep_free(k);
	return rc < 0 ? -1 : 0;
}

void
opt_journal_keep(struct octx *c, int ok)
{
	struct jkeep	*k = c->keep;
	struct ostudy	*s;
	size_t		 i;

	if (k == NULL)
		return;
	c->keep = NULL;
	if (!ok) {
		jkeep_free(k);
		return;
	}
	/* What belongs to this increment's batches is let go. */
	for (i = 0; i < c->nstudies; i++) {
		s = &c->studies[i];
		rung_batch_free(s->b);
		free(s->vcol);
		free(s->pcol);
		s->b = NULL;
		s->vcol = NULL;
		s->pcol = NULL;
		s->npcol = 0;
		s->icol = 0;
		s->has_inter = 0;
		s->ntrials = 0;
		s->selected = 0;
	}
	opt_replay_move(&k->saved, c);
	pthread_mutex_lock(&jkeeps_lock);
	k->next = jkeeps;
	jkeeps = k;
	pthread_mutex_unlock(&jkeeps_lock);
}

/* Let go of what a failed replay left in c and j: it is read anew. */
static void
jkeep_reset(struct octx *c, struct journal *j)
{
	size_t	 i;

	for (i = 0; i < j->ntrials; i++)
		jtrial_release(&j->trials[i]);
	free(j->trials);
	memset(j, 0, sizeof *j);
	j->c = c;
	opt_replay_release(c);
}

/*
 * The journal is read a line at a time (jsonin.c), with the checks of every
 * JSON rung reads: RFC 3629 UTF-8, no NUL byte nor \u0000 (a study or
 * parameter name would end there), tokens of at most 64 MiB.
 */
int
opt_read_journal(struct octx *c, const char *digest, uint64_t size)
{
	const struct rung_jsonin_fault *f;
	struct journal	 j;
	struct ostudy	*s;
	struct rung_jsonin *in = NULL;
	struct json_object *log;
	size_t		 i, k;
	int		 ret = -1, rc;

	memset(&j, 0, sizeof j);
	j.c = c;
	if (c->o != NULL && c->o->follow) {
		if ((rc = jkeep_read(c, &j)) < 0)
			goto out;
		if (rc == 1)
			goto replayed;
		jkeep_reset(c, &j);
	}
	if ((in = rung_jsonin_open(c->path, RUNG_JSONIN_LINES |
	    RUNG_JSONIN_NOBLANK | (c->o != NULL && c->o->progress ?
	    RUNG_JSONIN_PROGRESS : 0), c->cause)) == NULL)
		return -1;
	while ((rc = rung_jsonin_next(in, &log, c->cause)) > 0) {
		j.line = rung_jsonin_line(in);
		rc = apply_log(&j, log);
		json_object_put(log);
		if (rc != 0)
			goto out;
	}
	if (rc < 0) {
		if ((f = rung_jsonin_fault(in)) == NULL)
			goto out;	/* the file could not be read */
		/*
		 * Optuna reads past a bad last line: a writer may be in the
		 * middle of it.
		 */
		if (rung_jsonin_last_line(in)) {
			rung_warn("%s:%zu: an incomplete last line (a write in "
			    "progress?): left out", c->path, f->line);
			free(*c->cause);
			*c->cause = NULL;
		} else if (f->syntax) {
			free(*c->cause);
			j.line = f->line;
			if (f->col != 0)
				jerr(&j, "not a JSON object: %s (column %zu)",
				    f->msg, f->col);
			else
				jerr(&j, "not a JSON object: %s", f->msg);
			goto out;
		} else
			goto out;
	}

replayed:
	if (opt_select_studies(c) != 0)
		goto out;
	for (i = 0; i < c->nstudies; i++) {
		s = &c->studies[i];
		if (!s->selected)
			continue;
		if (opt_study_begin(c, s, digest, size, 1) != 0)
			goto out;
		for (k = 0; k < s->njtrials; k++) {
			if (jput(&j, s, &j.trials[s->jtrials[k]]) != 0)
				goto out;
		}
	}
	ret = 0;
out:
	rung_jsonin_close(in);
	if (c->keep != NULL && ret == 0) {
		c->keep->j = j;		/* kept with the rest of the replay */
		return 0;
	}
	for (i = 0; i < j.ntrials; i++)
		jtrial_release(&j.trials[i]);
	free(j.trials);
	return ret;
}
