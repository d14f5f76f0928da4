/*
 * MLflow's file store: the mlruns directory that MLflow writes when its
 * tracking URI is a folder (the default, ./mlruns), laid out as
 * mlflow/store/tracking/file_store.py writes it:
 *
 *	mlruns/EXP/meta.yaml		an experiment: experiment_id, name,
 *					lifecycle_stage (active or deleted)
 *	mlruns/EXP/RUN/meta.yaml	a run: run_id, run_name, status (a
 *					number), start_time and end_time (ms
 *					since 1970), lifecycle_stage
 *	mlruns/EXP/RUN/metrics/KEY	one line a value: "TIMESTAMP VALUE STEP"
 *	mlruns/EXP/RUN/params/KEY	the value, as text
 *	mlruns/EXP/RUN/tags/KEY		the value, as text
 *	mlruns/.trash/			deleted experiments
 *
 * A key holding '/' is a path of folders (metrics/val/loss is "val/loss").
 * EXP/tags, EXP/datasets and EXP/traces are the experiment's own folders,
 * not runs.
 *
 * Mapping:
 *  - an experiment is a study of its name (--experiment picks one, by name
 *    or id); deleted experiments and runs (lifecycle_stage deleted, or
 *    under .trash) are left out;
 *  - a run is a trial named after its run_name (else its mlflow.runName
 *    tag, else its run_id); runs of one experiment that share a name are
 *    told apart by the first 8 characters of their run_id ("name:1a2b3c4d");
 *  - a run that other runs name in their mlflow.parentRunId tag is the
 *    parent of a sweep (Optuna's, Hyperopt's, a hand-written loop's): its
 *    children are the trials, and the parent, which logs the sweep's
 *    summary, is not one;
 *  - status RUNNING (1) and SCHEDULED (2) are running, FINISHED (3)
 *    complete, FAILED (4) failed, KILLED (5) stopped; a run without a
 *    status is RUNNING, as MLflow reads it;
 *  - every metric line is a point at its step; of the values logged at one
 *    step the one MLflow calls the latest wins (greatest timestamp, then
 *    greatest value), the others counted as duplicates; a line of two
 *    fields, as MLflow before 1.0 wrote them, is at step 0;
 *  - the time of a step is the latest timestamp of its points, less the
 *    run's start_time: seconds since the trial started. Only metrics
 *    logged at more than one step count when the run has any, so that a
 *    summary logged at step 0 at the end of training does not make the
 *    first step last the whole run;
 *  - parameters are typed over the study as CSV cells are (numbers become
 *    numbers); tags other than mlflow.runName and mlflow.parentRunId are not
 *    kept.
 *
 * This file finds the experiments and runs and reads their meta.yaml;
 * import-mlflow-read.c reads a run's metrics and params.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/jsonin.h"
#include "rung/util.h"
#include "rung/xmalloc.h"
#include "rung/yamlin.h"

#include "import-mlflow-int.h"

#define META		"meta.yaml"

/* Set *cause to "PATH: message" (PATH:LINE: when line > 0); return -1. */
int
ml_err(struct mctx *c, const char *path, size_t line, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		xasprintf(c->cause, "%s:%zu: %s", path, line, msg);
	else
		xasprintf(c->cause, "%s: %s", path, msg);
	free(msg);
	return -1;
}

/*
 * The line of a meta.yaml where a top-level key is written, to point at a
 * bad field; 0 when it is not found. The YAML was parsed by libyaml: this
 * only finds where to point.
 */
static size_t
key_line(const char *path, const char *key)
{
	char	*data, *cause = NULL, *p;
	size_t	 len, line = 1, klen = strlen(key), found = 0;

	if (rung_read_file(path, &data, &len, &cause) != 0) {
		free(cause);
		return 0;
	}
	for (p = data; p < data + len; line++) {
		if ((size_t)(data + len - p) > klen &&
		    strncmp(p, key, klen) == 0 && p[klen] == ':') {
			found = line;
			break;
		}
		if ((p = memchr(p, '\n', (size_t)(data + len - p))) == NULL)
			break;
		p++;
	}
	free(data);
	return found;
}

static int
field_err(struct mctx *c, const char *path, const char *key,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	int	 rc;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	rc = ml_err(c, path, key_line(path, key), "%s: %s", key, msg);
	free(msg);
	return rc;
}

int
ml_is_dir(const char *path)
{
	struct stat	 sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

int
ml_is_file(const char *path)
{
	struct stat	 sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir, sorted, without "." and ".." (and dot names if asked). */
char **
ml_list_dir(const char *dir, int dots, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	char		**v = NULL;
	size_t		 cap = 0;

	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    (!dots && de->d_name[0] == '.'))
			continue;
		XGROW(v, cap, *n + 1);
		v[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof *v, cmp_str);
	return v;
}

void
ml_free_list(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A scalar as text (experiment ids were integers before MLflow 1.0). */
static char *
scalar_text(struct json_object *v)
{
	if (json_object_is_type(v, json_type_string))
		return xstrdup(json_object_get_string(v));
	if (json_object_is_type(v, json_type_int))
		return xprintf("%" PRId64, json_object_get_int64(v));
	return NULL;
}

static int
has_key(struct json_object *m, const char *key)
{
	return json_object_object_get_ex(m, key, NULL);
}

/* An experiment's meta.yaml, not a run's. */
static int
is_exp_meta(struct json_object *m)
{
	return json_object_is_type(m, json_type_object) &&
	    has_key(m, "experiment_id") && has_key(m, "lifecycle_stage") &&
	    !has_key(m, "run_id") && !has_key(m, "run_uuid");
}

/* Does dir hold an experiment's meta.yaml? Quietly no on any error. */
static int
exp_dir(const char *dir)
{
	struct json_object	*m;
	char			*path, *cause = NULL;
	int			 yes;

	path = rung_path_join(dir, META);
	if (!ml_is_file(path)) {
		free(path);
		return 0;
	}
	m = rung_yaml_load(path, &cause);
	yes = m != NULL && is_exp_meta(m);
	json_object_put(m);
	free(cause);
	free(path);
	return yes;
}

/*
 * An mlruns directory: one holding an experiment folder (a meta.yaml with
 * experiment_id and lifecycle_stage), or an experiment folder itself.
 */
int
rung_mlflow_detect(const char *dir)
{
	char	**names, *sub;
	size_t	 n, i;
	int	 found;

	if (exp_dir(dir))
		return 1;
	names = ml_list_dir(dir, 0, &n);
	for (i = 0, found = 0; i < n && !found; i++) {
		sub = rung_path_join(dir, names[i]);
		found = ml_is_dir(sub) && exp_dir(sub);
		free(sub);
	}
	ml_free_list(names, n);
	return found;
}

/* Has path a folder of that name on its way? */
static int
path_has(const char *path, const char *folder)
{
	const char	*p = path;
	size_t		 n = strlen(folder);

	while ((p = strstr(p, folder)) != NULL) {
		if ((p == path || p[-1] == '/') && p[n] == '/')
			return 1;
		p += n;
	}
	return 0;
}

/*
 * The files rung reads: the meta.yaml files and what is under metrics/,
 * params/ and tags/; artifacts (models, images) are left out of the digest.
 */
int
rung_mlflow_file(const char *path)
{
	const char	*base = strrchr(path, '/');

	base = base != NULL ? base + 1 : path;
	if (path_has(path, "artifacts"))
		return 0;
	return strcmp(base, META) == 0 || path_has(path, "metrics") ||
	    path_has(path, "params") || path_has(path, "tags");
}

/* A meta.yaml as a mapping, or -1 with *cause. */
static int
load_meta(struct mctx *c, const char *path, struct json_object **out)
{
	char	*cause = NULL;

	*out = rung_yaml_load(path, &cause);
	if (*out == NULL) {
		if (cause != NULL) {
			*c->cause = cause;
			return -1;
		}
		return ml_err(c, path, 0, "the file is empty: expected the "
		    "fields of an MLflow experiment or run");
	}
	if (!json_object_is_type(*out, json_type_object)) {
		ml_err(c, path, 0, "expected a mapping of fields, got %s",
		    rung_json_type_name(*out));
		json_object_put(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* A field that must be text (a string, or an integer id). */
static int
text_field(struct mctx *c, const char *path, struct json_object *m,
    const char *key, int required, char **out)
{
	struct json_object	*v = NULL;

	*out = NULL;
	if (!json_object_object_get_ex(m, key, &v) || v == NULL) {
		if (!required)
			return 0;
		return ml_err(c, path, 0, "no field '%s'", key);
	}
	if ((*out = scalar_text(v)) == NULL)
		return field_err(c, path, key, "expected text, got %s",
		    rung_json_type_name(v));
	return 0;
}

/* Milliseconds since 1970 (start_time); null or missing: none. */
static int
ms_field(struct mctx *c, const char *path, struct json_object *m,
    const char *key, int64_t *out, int *has)
{
	struct json_object	*v = NULL;
	double			 d;

	*has = 0;
	if (!json_object_object_get_ex(m, key, &v) || v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_int)) {
		*out = json_object_get_int64(v);
		*has = 1;
		return 0;
	}
	d = json_object_is_type(v, json_type_double) ?
	    json_object_get_double(v) : NAN;
	if (d == floor(d) && fabs(d) < 9e15) {
		*out = (int64_t)d;
		*has = 1;
		return 0;
	}
	return field_err(c, path, key, "expected milliseconds since 1970 (a "
	    "whole number), got %s", rung_json_type_name(v));
}

/* MLflow's RunStatus: RUNNING 1, SCHEDULED 2, FINISHED 3, FAILED 4, KILLED 5. */
static int
status_field(struct mctx *c, const char *path, struct json_object *m,
    enum rung_status *st)
{
	static const enum rung_status map[] = { RUNG_RUNNING, RUNG_RUNNING,
		RUNG_COMPLETE, RUNG_FAILED, RUNG_STOPPED };
	struct json_object	*v = NULL;
	int64_t			 n;
	char			*shown;

	*st = RUNG_RUNNING;
	if (!json_object_object_get_ex(m, "status", &v) || v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_int) &&
	    (n = json_object_get_int64(v)) >= 1 && n <= 5) {
		*st = map[n - 1];
		return 0;
	}
	if (json_object_is_type(v, json_type_int))
		shown = xstrdup(json_object_get_string(v));
	else if (json_object_is_type(v, json_type_string))
		shown = xprintf("'%s'", json_object_get_string(v));
	else
		shown = xstrdup(rung_json_type_name(v));
	field_err(c, path, "status", "expected MLflow's RunStatus, a number "
	    "from 1 to 5 (RUNNING, SCHEDULED, FINISHED, FAILED, KILLED), got "
	    "%s", shown);
	free(shown);
	return -1;
}

static int
is_deleted(struct json_object *m)
{
	struct json_object	*v;

	return json_object_object_get_ex(m, "lifecycle_stage", &v) &&
	    json_object_is_type(v, json_type_string) &&
	    strcmp(json_object_get_string(v), "deleted") == 0;
}

/* A tag's value, or NULL when the run has no such tag. */
static int
read_tag(struct mctx *c, const char *run, const char *key, char **out)
{
	char	*path, *data;
	size_t	 len;
	int	 rc = 0;

	*out = NULL;
	path = xprintf("%s/tags/%s", run, key);
	if (ml_is_file(path)) {
		if ((rc = rung_read_file(path, &data, &len, c->cause)) == 0) {
			if (len > 0 && memchr(data, '\0', len) == NULL)
				*out = data;
			else
				free(data);
		}
	}
	free(path);
	return rc;
}

static void
run_release(struct mrun *r)
{
	free(r->dir);
	free(r->id);
	free(r->name);
	free(r->parent);
	free(r->trial);
}

static void
exp_release(struct mexp *e)
{
	size_t	 i;

	for (i = 0; i < e->nruns; i++)
		run_release(&e->runs[i]);
	free(e->runs);
	free(e->dir);
	free(e->id);
	free(e->name);
	rung_batch_free(e->b);
}

/*
 * A run folder's meta.yaml and the two tags that matter. *skip is set for
 * a run that is deleted or belongs to another experiment.
 */
static int
read_run_meta(struct mctx *c, struct mexp *e, const char *dir,
    struct mrun *r, int *skip, size_t *ndeleted)
{
	struct json_object	*m = NULL;
	char			*path, *exp = NULL;
	int			 ret = -1;

	memset(r, 0, sizeof *r);
	*skip = 0;
	path = rung_path_join(dir, META);
	if (load_meta(c, path, &m) != 0)
		goto out;
	if (is_deleted(m)) {
		(*ndeleted)++;
		*skip = 1;
		ret = 0;
		goto out;
	}
	if (text_field(c, path, m, "run_id", 0, &r->id) != 0)
		goto out;
	if (r->id == NULL && text_field(c, path, m, "run_uuid", 1,
	    &r->id) != 0)
		goto out;
	if (text_field(c, path, m, "experiment_id", 0, &exp) != 0)
		goto out;
	if (exp != NULL && strcmp(exp, e->id) != 0) {
		/* MLflow ignores such a run, and says so. */
		rung_warn("%s: experiment_id '%s' is not its experiment's "
		    "('%s'): the run is skipped, as MLflow skips it", path,
		    exp, e->id);
		*skip = 1;
		ret = 0;
		goto out;
	}
	if (text_field(c, path, m, "run_name", 0, &r->name) != 0 ||
	    status_field(c, path, m, &r->status) != 0 ||
	    ms_field(c, path, m, "start_time", &r->start, &r->has_start) != 0)
		goto out;
	if (r->name != NULL && r->name[0] == '\0') {
		free(r->name);
		r->name = NULL;
	}
	if (r->name == NULL &&
	    read_tag(c, dir, "mlflow.runName", &r->name) != 0)
		goto out;
	if (read_tag(c, dir, "mlflow.parentRunId", &r->parent) != 0)
		goto out;
	r->dir = xstrdup(dir);
	ret = 0;
out:
	if (ret != 0 || *skip)
		run_release(r);
	json_object_put(m);
	free(exp);
	free(path);
	return ret;
}

/* The experiment's own folders, which are not runs. */
static int
reserved(const char *name)
{
	return strcmp(name, "tags") == 0 || strcmp(name, "datasets") == 0 ||
	    strcmp(name, "traces") == 0;
}

static int
cmp_run_id(const void *a, const void *b)
{
	return strcmp((*(struct mrun *const *)a)->id,
	    (*(struct mrun *const *)b)->id);
}

static int
cmp_run_trial(const void *a, const void *b)
{
	return strcmp((*(struct mrun *const *)a)->trial,
	    (*(struct mrun *const *)b)->trial);
}

/* Mark the runs that others name as their parent. */
static void
mark_parents(struct mexp *e)
{
	struct mrun	**by, key, *kp = &key, **hit;
	size_t		 i;

	if (e->nruns == 0)
		return;
	by = xcalloc(e->nruns, sizeof *by);
	for (i = 0; i < e->nruns; i++)
		by[i] = &e->runs[i];
	qsort(by, e->nruns, sizeof *by, cmp_run_id);
	for (i = 0; i < e->nruns; i++) {
		if ((key.id = e->runs[i].parent) == NULL)
			continue;
		hit = bsearch(&kp, by, e->nruns, sizeof *by, cmp_run_id);
		if (hit != NULL && *hit != &e->runs[i])
			(*hit)->is_parent = 1;
	}
	free(by);
}

/*
 * Trial ids: the run's name, unless another trial of the experiment has it
 * too; then "name:" and the first 8 characters of the run_id, else the
 * run_id.
 */
static int
name_trials(struct mctx *c, struct mexp *e)
{
	struct mrun	**v;
	size_t		 i, j, n = 0, pass;
	int		 ret = 0;

	v = xcalloc(e->nruns ? e->nruns : 1, sizeof *v);
	for (i = 0; i < e->nruns; i++) {
		if (e->runs[i].is_parent)
			continue;
		e->runs[i].trial = xstrdup(e->runs[i].name != NULL ?
		    e->runs[i].name : e->runs[i].id);
		v[n++] = &e->runs[i];
	}
	for (pass = 0; pass < 3; pass++) {
		qsort(v, n, sizeof *v, cmp_run_trial);
		for (i = 0; i < n; i = j) {
			for (j = i + 1; j < n && strcmp(v[i]->trial,
			    v[j]->trial) == 0; j++)
				;
			if (j == i + 1)
				continue;
			if (pass == 2) {
				ret = ml_err(c, v[i]->dir, 0, "runs '%s' and "
				    "'%s' of experiment '%s' would both be "
				    "trial '%s'", v[i]->id, v[i + 1]->id,
				    e->name, v[i]->trial);
				goto out;
			}
			for (; i < j; i++) {
				free(v[i]->trial);
				if (pass == 0 && v[i]->name != NULL)
					v[i]->trial = xprintf("%s:%.8s",
					    v[i]->name, v[i]->id);
				else
					v[i]->trial = xstrdup(v[i]->id);
			}
		}
	}
out:
	free(v);
	return ret;
}

/* The runs of an experiment folder. */
static int
read_runs(struct mctx *c, struct mexp *e)
{
	char		**names, *sub, *meta;
	size_t		 n, i, ndeleted = 0, nparents = 0;
	int		 skip, ret = -1;

	names = ml_list_dir(e->dir, 0, &n);
	for (i = 0; i < n; i++) {
		if (reserved(names[i]))
			continue;
		sub = rung_path_join(e->dir, names[i]);
		meta = rung_path_join(sub, META);
		/* A folder without meta.yaml is no run (MLflow skips it). */
		if (ml_is_dir(sub) && ml_is_file(meta)) {
			XGROW(e->runs, e->cap, e->nruns + 1);
			if (read_run_meta(c, e, sub, &e->runs[e->nruns], &skip,
			    &ndeleted) != 0) {
				free(sub);
				free(meta);
				goto out;
			}
			if (!skip)
				e->nruns++;
		}
		free(sub);
		free(meta);
	}
	mark_parents(e);
	for (i = 0; i < e->nruns; i++)
		nparents += e->runs[i].is_parent;
	if (ndeleted > 0)
		rung_info("%s: experiment '%s': %zu deleted run%s left out",
		    c->root, e->name, ndeleted, ndeleted == 1 ? "" : "s");
	if (nparents > 0)
		rung_info("%s: experiment '%s': %zu parent run%s (named by "
		    "the mlflow.parentRunId of others): the children are the "
		    "trials, not the parent%s", c->root, e->name, nparents,
		    nparents == 1 ? "" : "s", nparents == 1 ? "" : "s");
	ret = name_trials(c, e);
out:
	ml_free_list(names, n);
	return ret;
}

/* An experiment folder: its meta.yaml, and whether to read it. */
static int
add_experiment(struct mctx *c, const char *dir, int *added)
{
	struct json_object	*m = NULL;
	struct mexp		*e;
	char			*path, *id = NULL, *name = NULL;
	int			 ret = -1;

	*added = 0;
	path = rung_path_join(dir, META);
	if (load_meta(c, path, &m) != 0)
		goto out;
	if (!is_exp_meta(m)) {
		/* Not an experiment (a run folder, say): not ours. */
		ret = 0;
		goto out;
	}
	if (text_field(c, path, m, "experiment_id", 1, &id) != 0 ||
	    text_field(c, path, m, "name", 1, &name) != 0)
		goto out;
	if (is_deleted(m)) {
		rung_info("%s: experiment '%s' is deleted: left out", path,
		    name);
		ret = 0;
		goto out;
	}
	XGROW(c->exps, c->expcap, c->nexps + 1);
	e = &c->exps[c->nexps++];
	memset(e, 0, sizeof *e);
	e->dir = xstrdup(dir);
	e->id = id;
	e->name = name;
	id = name = NULL;
	*added = 1;
	ret = 0;
out:
	json_object_put(m);
	free(path);
	free(id);
	free(name);
	return ret;
}

/* The experiments under the root (or the root itself, one experiment). */
static int
find_experiments(struct mctx *c)
{
	char		**names, *sub, *meta;
	size_t		 n, i;
	int		 added, ret = 0;

	meta = rung_path_join(c->root, META);
	if (ml_is_file(meta) && exp_dir(c->root)) {
		free(meta);
		return add_experiment(c, c->root, &added);
	}
	free(meta);
	/* .trash holds the deleted experiments: dot names are left out. */
	names = ml_list_dir(c->root, 0, &n);
	for (i = 0; i < n && ret == 0; i++) {
		sub = rung_path_join(c->root, names[i]);
		meta = rung_path_join(sub, META);
		if (ml_is_dir(sub) && ml_is_file(meta))
			ret = add_experiment(c, sub, &added);
		free(meta);
		free(sub);
	}
	ml_free_list(names, n);
	return ret;
}

/* --experiment: keep the one named, by name or id. */
static int
select_experiment(struct mctx *c)
{
	struct rung_buf	 names = { 0 };
	const char	*want = c->o->experiment;
	size_t		 i, k = SIZE_MAX;

	if (want == NULL)
		return 0;
	for (i = 0; i < c->nexps && k == SIZE_MAX; i++) {
		if (strcmp(c->exps[i].name, want) == 0)
			k = i;
	}
	for (i = 0; i < c->nexps && k == SIZE_MAX; i++) {
		if (strcmp(c->exps[i].id, want) == 0)
			k = i;
	}
	if (k == SIZE_MAX) {
		for (i = 0; i < c->nexps; i++)
			rung_buf_printf(&names, "%s'%s' (id %s)", i ? ", " :
			    "", c->exps[i].name, c->exps[i].id);
		ml_err(c, c->root, 0, "no experiment '%s' (by name or id); "
		    "it holds %s", want, c->nexps ? rung_buf_cstr(&names) :
		    "none");
		rung_buf_release(&names);
		return -1;
	}
	for (i = 0; i < c->nexps; i++) {
		if (i != k)
			exp_release(&c->exps[i]);
	}
	if (k != 0)
		c->exps[0] = c->exps[k];
	c->nexps = 1;
	return 0;
}

/* Hand the experiments that have trials over as units. */
static int
make_units(struct mctx *c, struct rung_import_unit **units, size_t *nunits)
{
	struct mexp	*e;
	size_t		 i, n = 0;
	char		*why;

	for (i = 0; i < c->nexps; i++) {
		e = &c->exps[i];
		if (e->ntrials == 0) {
			if (c->o->experiment == NULL)
				rung_info("%s: experiment '%s' has no run: "
				    "skipped", c->root, e->name);
			continue;
		}
		if (c->o->study == NULL &&
		    rung_name_check("study", e->name, &why) != 0) {
			ml_err(c, e->dir, 0, "experiment %s: import it with "
			    "--experiment %s -s NAME", why, e->id);
			free(why);
			return -1;
		}
		n++;
	}
	if (n == 0) {
		if (c->o->experiment != NULL)
			return ml_err(c, c->root, 0, "experiment '%s' has no "
			    "run", c->o->experiment);
		return ml_err(c, c->root, 0, "no experiment with a run (an "
		    "mlruns folder holds EXPERIMENT/RUN/meta.yaml)");
	}
	if (c->o->study != NULL && n > 1)
		return ml_err(c, c->root, 0, "%zu experiments have runs: -s "
		    "names one study; choose the experiment with --experiment "
		    "(a name or an id)", n);
	*units = xcalloc(n, sizeof **units);
	*nunits = 0;
	for (i = 0; i < c->nexps; i++) {
		e = &c->exps[i];
		if (e->ntrials == 0)
			continue;
		(*units)[*nunits].study = xstrdup(e->name);
		(*units)[*nunits].batch = e->b;
		e->b = NULL;
		(*nunits)++;
	}
	return 0;
}

int
rung_import_mlflow(const char *path, const char *digest, uint64_t size,
    const struct rung_import_opts *o, struct rung_import_unit **units,
    size_t *nunits, char **cause)
{
	static const struct rung_import_opts none;
	struct mctx	 c;
	struct mexp	*e;
	struct rung_progress pg;
	size_t		 i, k, total = 0, done = 0;
	int		 ret = -1;

	*units = NULL;
	*nunits = 0;
	memset(&c, 0, sizeof c);
	c.root = path;
	c.o = o != NULL ? o : &none;
	c.cause = cause;
	if (find_experiments(&c) != 0 || select_experiment(&c) != 0)
		goto out;
	for (i = 0; i < c.nexps; i++) {
		if (read_runs(&c, &c.exps[i]) != 0)
			goto out;
		total += c.exps[i].nruns;
	}
	if (c.o->progress)
		rung_progress_start(&pg, path, total);
	for (i = 0; i < c.nexps; i++) {
		e = &c.exps[i];
		e->b = c.b = rung_batch_new();
		rung_batch_source(c.b, path, "mlflow", digest, size);
		rung_batch_time_kind(c.b, RUNG_TIME_CUMULATIVE, "timestamp");
		for (k = 0; k < e->nruns; k++) {
			if (!e->runs[k].is_parent) {
				if (ml_read_run(&c, &e->runs[k]) != 0)
					break;
				e->ntrials++;
			}
			if (c.o->progress)
				rung_progress_update(&pg, ++done);
		}
		if (k < e->nruns)
			break;
	}
	if (c.o->progress)
		rung_progress_end(&pg);
	if (i < c.nexps)
		goto out;
	ret = make_units(&c, units, nunits);
out:
	for (i = 0; i < c.nexps; i++)
		exp_release(&c.exps[i]);
	free(c.exps);
	free(c.pts);
	return ret;
}
