/*
 * MLflow file stores: a run's params/ and metrics/ folders into the batch
 * (see import-mlflow.c for the layout and the mapping).
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "import-mlflow-int.h"

#define MAX_DEPTH	32	/* folders of one key: val/loss is one */

/*
 * A metric line as MLflow reads it (_get_metric_from_line): stripped, then
 * split at single spaces into 2 or 3 fields.
 */
static int
parse_line(struct mctx *c, const char *path, size_t lineno, const char *s,
    size_t len, struct mpoint *p)
{
	const char	*f[4], *end = s + len, *q;
	size_t		 fl[4], nf = 0;
	int64_t		 step = 0;
	char		*shown, *text;

	/* str.strip(): blanks at both ends go. */
	while (len > 0 && strchr(" \t\r\n\v\f", *s) != NULL && *s != '\0') {
		s++;
		len--;
	}
	while (len > 0 && strchr(" \t\r\n\v\f", s[len - 1]) != NULL &&
	    s[len - 1] != '\0')
		len--;
	end = s + len;
	for (q = s; nf < 4; q++) {
		f[nf] = q;
		q = memchr(q, ' ', (size_t)(end - q));
		if (q == NULL)
			q = end;
		fl[nf] = (size_t)(q - f[nf]);
		nf++;
		if (q == end)
			break;
	}
	if (nf < 2 || nf > 3 || fl[0] == 0 || fl[1] == 0 ||
	    (nf == 3 && fl[2] == 0)) {
		text = xstrndup(s, len > 60 ? 60 : len);
		shown = rung_esc(text);
		ml_err(c, path, lineno, "expected 'TIMESTAMP VALUE STEP', "
		    "three numbers separated by single spaces, got '%s%s'",
		    shown, len > 60 ? "..." : "");
		free(text);
		free(shown);
		return -1;
	}
	if (rung_parse_int64(f[0], fl[0], &p->ts) != 0)
		return ml_err(c, path, lineno, "the timestamp '%.*s' is not "
		    "a whole number of milliseconds", (int)(fl[0] > 40 ? 40 :
		    fl[0]), f[0]);
	if (rung_parse_double(f[1], fl[1], &p->v) != 0)
		return ml_err(c, path, lineno, "the value '%.*s' is not a "
		    "number", (int)(fl[1] > 40 ? 40 : fl[1]), f[1]);
	if (nf == 3 && rung_parse_int64(f[2], fl[2], &step) != 0)
		return ml_err(c, path, lineno, "the step '%.*s' is not a "
		    "whole number", (int)(fl[2] > 40 ? 40 : fl[2]), f[2]);
	if (step < INT32_MIN || step > INT32_MAX)
		return ml_err(c, path, lineno, "the step %" PRId64 " is out "
		    "of range (rung keeps steps from %d to %d)", step,
		    INT32_MIN, INT32_MAX);
	p->step = (int32_t)step;
	return 0;
}

/* One metric file: its lines into c->pts. */
static int
read_metric(struct mctx *c, const char *path, const char *key)
{
	char		*data, *shown;
	const char	*p, *nl, *end;
	size_t		 len, lineno = 0, first = c->npts, i;
	uint32_t	 col;
	int		 curve = 0;

	if (rung_read_file(path, &data, &len, c->cause) != 0)
		return -1;
	if (rung_name_check("metric", key, &shown) != 0) {
		ml_err(c, path, 0, "%s", shown);
		free(shown);
		free(data);
		return -1;
	}
	col = rung_batch_metric(c->b, key);
	end = data + len;
	for (p = data; p < end; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		XGROW(c->pts, c->ptcap, c->npts + 1);
		if (parse_line(c, path, lineno, p, (size_t)(nl - p),
		    &c->pts[c->npts]) != 0) {
			free(data);
			return -1;
		}
		c->pts[c->npts].col = col;
		c->npts++;
	}
	free(data);
	for (i = first + 1; i < c->npts && !curve; i++)
		curve = c->pts[i].step != c->pts[first].step;
	for (i = first; i < c->npts; i++)
		c->pts[i].curve = (uint8_t)curve;
	return 0;
}

/* One parameter file: its whole text is the value. */
static int
read_param(struct mctx *c, const char *path, const char *key)
{
	char	*data, *why;
	size_t	 len;

	if (rung_name_check("parameter", key, &why) != 0) {
		ml_err(c, path, 0, "%s", why);
		free(why);
		return -1;
	}
	if (rung_read_file(path, &data, &len, c->cause) != 0)
		return -1;
	rung_batch_param_token(c->b, c->t, rung_batch_param(c->b, key), data,
	    len);
	free(data);
	return 0;
}

/*
 * Every file under dir, its key the path below the top folder (val/loss).
 * MLflow reads them all, dot names too, in any order: here in name order.
 */
static int
walk(struct mctx *c, const char *dir, struct rung_buf *key, int depth,
    int (*fn)(struct mctx *, const char *, const char *))
{
	char		**names, *path;
	size_t		 n, i, len = key->len;
	int		 ret = 0;

	if (depth > MAX_DEPTH)
		return ml_err(c, dir, 0, "folders nested more than %d deep",
		    MAX_DEPTH);
	names = ml_list_dir(dir, 1, &n);
	for (i = 0; i < n && ret == 0; i++) {
		path = rung_path_join(dir, names[i]);
		key->len = len;
		if (len > 0)
			rung_buf_addc(key, '/');
		rung_buf_addstr(key, names[i]);
		if (ml_is_dir(path))
			ret = walk(c, path, key, depth + 1, fn);
		else if (ml_is_file(path))
			ret = fn(c, path, rung_buf_cstr(key));
		free(path);
	}
	key->len = len;
	ml_free_list(names, n);
	return ret;
}

static int
cmp_point(const void *va, const void *vb)
{
	const struct mpoint	*a = va, *b = vb;

	if (a->step != b->step)
		return a->step < b->step ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	/* The greatest value last, as max() in MLflow; NaN first. */
	if (isnan(a->v) || isnan(b->v))
		return isnan(b->v) - isnan(a->v);
	return (a->v > b->v) - (a->v < b->v);
}

/* The points read into rows, and each step's time. */
static void
put_points(struct mctx *c, const struct mrun *r)
{
	struct mpoint	*p;
	size_t		 i, j, k;
	uint32_t	 row;
	int64_t		 origin, last;
	int		 curves = 0, have;

	if (c->npts == 0)
		return;
	qsort(c->pts, c->npts, sizeof *c->pts, cmp_point);
	origin = c->pts[0].ts;
	for (i = 0; i < c->npts; i++) {
		curves |= c->pts[i].curve;
		if (c->pts[i].ts < origin)
			origin = c->pts[i].ts;
	}
	if (r->has_start)
		origin = r->start;
	for (i = 0; i < c->npts; i = j) {
		have = 0;
		last = 0;
		for (j = i; j < c->npts && c->pts[j].step == c->pts[i].step;
		    j++)
			;
		for (k = i; k < j; k++) {
			/* Each value an arrival: the batch counts repeats. */
			p = &c->pts[k];
			row = rung_batch_record(c->b, c->t, p->step);
			rung_batch_set(c->b, row, p->col, p->v);
			if ((p->curve || !curves) && (!have || p->ts > last)) {
				last = p->ts;
				have = 1;
			}
		}
		if (have)
			rung_batch_set_time(c->b, row,
			    (double)(last - origin) / 1000.0);
	}
}

/* A run into the batch of its experiment, as a trial. */
int
ml_read_run(struct mctx *c, const struct mrun *r)
{
	struct rung_buf	 key = { 0 };
	char		*dir;
	int		 ret = -1;

	c->t = rung_batch_trial(c->b, r->trial);
	rung_batch_set_status(c->b, c->t, r->status);
	c->npts = 0;
	dir = rung_path_join(r->dir, "params");
	if (ml_is_dir(dir) && walk(c, dir, &key, 0, read_param) != 0)
		goto out;
	free(dir);
	dir = rung_path_join(r->dir, "metrics");
	if (ml_is_dir(dir) && walk(c, dir, &key, 0, read_metric) != 0)
		goto out;
	put_points(c, r);
	ret = 0;
out:
	free(dir);
	rung_buf_release(&key);
	return ret;
}
