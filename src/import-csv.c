/*
 * CSV importers: long (one row per trial and step) and wide (one row per
 * trial, the curve spread over indexed columns such as loss_0 ... loss_99).
 *
 * libcsv does the quoting; zlib's gzread feeds it, so a .gz file reads like
 * a plain one. Every record is copied into one reused arena before it is
 * handled, because a row's trial and step may sit in columns after the
 * values they key, and because libcsv reuses its field buffer: nothing is
 * allocated per cell.
 *
 * This file reads the header, tells the layouts apart (rung_csv_layout),
 * parses cells, and runs an import of either layout; the reader is in
 * import-csv-read.c, the layouts in import-csv-long.c and
 * import-csv-wide.c.
 */

#include "config.h"

#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "import-csv-int.h"

/* Column names that hold the step, the time and the status. */
const char *csv_step_names[] = { "step", "epoch", "iteration",
	"training_iteration", "iter", "global_step", NULL };
const char *csv_time_names[] = { "time_this_iter_s", "seconds", "time",
	"time_total_s", "elapsed", "wall time", "wall_time", "timestamp",
	NULL };
/* Words that make a name a time (epoch_seconds, batch_time, time_total). */
static const char *time_words[] = { "seconds", "secs", "sec", "time",
	"duration", "elapsed", "runtime", NULL };
const char *csv_status_names[] = { "status", "state", NULL };

static const struct rung_import_opts *
opts_or_default(const struct rung_import_opts *o)
{
	static struct rung_import_opts	 zero;

	/* Every field of the defaults is zero: RUNG_FMT_AUTO, RUNG_TIME_AUTO. */
	return o != NULL ? o : &zero;
}

static void
header_take(struct header *h, struct reader *r)
{
	size_t	 i;

	h->n = r->nf;
	h->line = r->recline;
	h->names = xcalloc(h->n ? h->n : 1, sizeof *h->names);
	for (i = 0; i < h->n; i++)
		h->names[i] = xstrdup(fld(r, i));
}

static void
header_release(struct header *h)
{
	size_t	 i;

	for (i = 0; i < h->n; i++)
		free(h->names[i]);
	free(h->names);
	h->names = NULL;
	h->n = 0;
}

int
csv_header_dups(const struct header *h, const char *path, char **cause)
{
	size_t	 i, j;

	/* Headers are short; a quadratic scan is cheaper than a table. */
	for (i = 0; i < h->n; i++) {
		if (h->names[i][0] == '\0')
			continue;
		for (j = i + 1; j < h->n; j++) {
			if (strcmp(h->names[i], h->names[j]) == 0) {
				xasprintf(cause, "%s:%ld: column '%s' appears "
				    "twice (fields %zu and %zu)", path, h->line,
				    h->names[i], i + 1, j + 1);
				return -1;
			}
		}
	}
	return 0;
}

/* A column named want: exactly, else ignoring case. -1 if none. */
static int
find_named(const struct header *h, const char *want)
{
	size_t	 i;

	for (i = 0; i < h->n; i++) {
		if (strcmp(h->names[i], want) == 0)
			return (int)i;
	}
	for (i = 0; i < h->n; i++) {
		if (rung_strieq(h->names[i], want))
			return (int)i;
	}
	return -1;
}

int
csv_in_list(const char *name, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (rung_strieq(name, *list))
			return 1;
	}
	return 0;
}

int
csv_in_opts_list(const char *name, char *const *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (rung_strieq(name, list[i]))
			return 1;
	}
	return 0;
}

static int
name_sep(char c)
{
	return c == '_' || c == '-' || c == '.' || c == '/' || c == ' ';
}

/*
 * Does a name say time? One of csv_time_names, or a word of time_words alone,
 * at its end (epoch_seconds, train/batch_time) or, for "time", at its start
 * (time_per_epoch). Such a column is the time of its rows, not a metric.
 */
int
csv_time_like(const char *name)
{
	const char	*const *w;
	size_t		 len = strlen(name), wlen;

	if (csv_in_list(name, csv_time_names))
		return 1;
	for (w = time_words; *w != NULL; w++) {
		wlen = strlen(*w);
		if (len < wlen)
			continue;
		if (strcasecmp(name + len - wlen, *w) == 0 && (len == wlen ||
		    name_sep(name[len - wlen - 1])))
			return 1;
	}
	return len > 5 && strncasecmp(name, "time", 4) == 0 &&
	    name_sep(name[4]);
}

/*
 * The first column, in header order, whose name is in list; skip marks
 * columns taken out of the guessing (--ignore). -1 if none.
 */
static int
find_header_order(const struct header *h, const char *const *list,
    const uint8_t *skip)
{
	size_t	 i;

	for (i = 0; i < h->n; i++) {
		if (skip != NULL && skip[i])
			continue;
		if (csv_in_list(h->names[i], list))
			return (int)i;
	}
	return -1;
}

/* The column of the first name of list that is in the header. */
static int
find_list_order(const struct header *h, const char *const *list,
    const uint8_t *skip)
{
	size_t	 i;

	for (; *list != NULL; list++) {
		for (i = 0; i < h->n; i++) {
			if (skip != NULL && skip[i])
				continue;
			if (rung_strieq(h->names[i], *list))
				return (int)i;
		}
	}
	return -1;
}

/*
 * A named column (--trial-col and the like) or the guess. Returns 0 with
 * *col (-1 when neither), or -1 when the named column is not there.
 */
int
csv_pick_column(const struct header *h, const char *named, const char *flag,
    const char *const *list, int list_order, const uint8_t *skip,
    const char *path, int *col, char **cause)
{
	if (named != NULL) {
		if ((*col = find_named(h, named)) < 0) {
			xasprintf(cause, "%s:%ld: no column '%s' (named by %s)",
			    path, h->line, named, flag);
			return -1;
		}
		return 0;
	}
	if (list_order)
		*col = find_list_order(h, list, skip);
	else
		*col = find_header_order(h, list, skip);
	return 0;
}

/*
 * Indexed curve columns: a name is PREFIX followed by decimal digits. A
 * prefix with at least three such columns, or the one --curve-prefix
 * names, is a curve.
 */
struct icol {
	size_t		 col;
	size_t		 plen;		/* prefix length */
	int32_t		 index;
};

int
csv_split_indexed(const char *name, size_t *plen, int32_t *index)
{
	size_t	 len = strlen(name), d = len, i;
	int32_t	 v = 0;

	while (d > 0 && name[d - 1] >= '0' && name[d - 1] <= '9')
		d--;
	/* A prefix is needed, and nine digits keep the step an int32. */
	if (d == 0 || d == len || len - d > 9)
		return 0;
	for (i = d; i < len; i++)
		v = v * 10 + (name[i] - '0');
	*plen = d;
	*index = v;
	return 1;
}

/* Does a prefix match --curve-prefix, written with or without its '_'? */
static int
prefix_is(const char *name, size_t plen, const char *want)
{
	size_t	 wlen;

	if (want == NULL)
		return 0;
	wlen = strlen(want);
	if (plen == wlen && strncmp(name, want, plen) == 0)
		return 1;
	if (plen == wlen + 1 && strncmp(name, want, wlen) == 0 &&
	    (name[wlen] == '_' || name[wlen] == '.' || name[wlen] == '-'))
		return 1;
	return 0;
}

static const struct header *sort_header;

static int
cmp_icol(const void *va, const void *vb)
{
	const struct icol	*a = va, *b = vb;
	const char		*na = sort_header->names[a->col];
	const char		*nb = sort_header->names[b->col];
	size_t			 n = a->plen < b->plen ? a->plen : b->plen;
	int			 c;

	if ((c = memcmp(na, nb, n)) != 0)
		return c;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	return a->col < b->col ? -1 : (a->col > b->col);
}

/*
 * Does a wide header mark its parameters config/NAME, as rung export does?
 * Then every indexed column that is no parameter is a curve, however few
 * share its prefix: the objectives of an Optuna study are one column each
 * (value_0_0, value_1_0), and would read back as parameters otherwise.
 */
static int
wide_has_config(const struct header *h)
{
	size_t	 i;

	for (i = 0; i < h->n; i++) {
		if (strncmp(h->names[i], "config/", 7) == 0 &&
		    h->names[i][7] != '\0')
			return 1;
	}
	return 0;
}

/*
 * Find the curve groups of a header. group[i] is the group number of
 * column i, or -1; returns the number of groups. Columns marked in skip are
 * left out, and config/ ones; with config/ columns (wide_has_config), a
 * group of any size is a curve.
 */
int
csv_find_groups(const struct header *h, const char *curve_prefix,
    const uint8_t *skip, int *group)
{
	struct icol	*ic;
	size_t		 i, j, k, n = 0;
	int		 ngroups = 0, any = wide_has_config(h);

	ic = xcalloc(h->n ? h->n : 1, sizeof *ic);
	for (i = 0; i < h->n; i++) {
		group[i] = -1;
		if (skip != NULL && skip[i])
			continue;
		if (any && strncmp(h->names[i], "config/", 7) == 0)
			continue;
		if (csv_split_indexed(h->names[i], &ic[n].plen, &ic[n].index)) {
			ic[n].col = i;
			n++;
		}
	}
	sort_header = h;
	qsort(ic, n, sizeof *ic, cmp_icol);
	sort_header = NULL;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && ic[j].plen == ic[i].plen &&
		    memcmp(h->names[ic[j].col], h->names[ic[i].col],
		    ic[i].plen) == 0; j++)
			;
		if (j - i < 3 && !any && !prefix_is(h->names[ic[i].col],
		    ic[i].plen, curve_prefix))
			continue;
		for (k = i; k < j; k++)
			group[ic[k].col] = ngroups;
		ngroups++;
	}
	free(ic);
	return ngroups;
}

/*
 * Layout: read the header, and the first row of data when the header
 * cannot tell (lists in its cells).
 */
struct peek {
	struct header	*h;
	int		 lists;		/* the first row has a list cell */
};

static int
header_record(struct reader *r, void *arg)
{
	struct peek	*pk = arg;
	const char	*s;
	size_t		 i, len;

	if (record_blank(r))
		return 0;
	if (pk->h->names == NULL) {
		header_take(pk->h, r);
		return 0;
	}
	for (i = 0; i < r->nf; i++) {
		s = fld(r, i);
		for (len = r->f[i].len; len > 0 && (*s == ' ' || *s == '\t');
		    len--)
			s++;
		if (len > 0 && (*s == '[' || *s == '('))
			pk->lists = 1;
	}
	r->done = 1;
	return 0;
}

static int
read_header(const char *path, struct header *h, int *lists, char **cause)
{
	struct reader	 r;
	struct peek	 pk;
	int		 ret;

	memset(&r, 0, sizeof r);
	memset(h, 0, sizeof *h);
	memset(&pk, 0, sizeof pk);
	pk.h = h;
	r.path = path;
	r.cause = cause;
	r.record = header_record;
	r.arg = &pk;
	ret = csv_read(&r, 0);
	csv_reader_release(&r);
	if (ret != 0) {
		header_release(h);
		return -1;
	}
	if (h->names == NULL) {
		xasprintf(cause, "%s: the file is empty: expected a header row",
		    path);
		return -1;
	}
	*lists = pk.lists;
	return 0;
}

int
rung_csv_layout(const char *path, const struct rung_import_opts *o,
    enum rung_format *fmt, char **cause)
{
	struct header	 h;
	int		*group, ngroups, lists = 0;

	o = opts_or_default(o);
	if (read_header(path, &h, &lists, cause) != 0)
		return -1;
	if (o->step_col != NULL ||
	    find_header_order(&h, csv_step_names, NULL) >= 0) {
		*fmt = RUNG_FMT_LONG_CSV;
		header_release(&h);
		return 0;
	}
	group = xcalloc(h.n ? h.n : 1, sizeof *group);
	ngroups = csv_find_groups(&h, o->curve_prefix, NULL, group);
	free(group);
	header_release(&h);
	/* LCDB's results: a row per trial, its curves lists in cells. */
	if (ngroups > 0 || o->curve_prefix != NULL || lists ||
	    o->steps_col != NULL) {
		*fmt = RUNG_FMT_WIDE_CSV;
		return 0;
	}
	xasprintf(cause, "%s: cannot tell the CSV layout: no step column "
	    "(step, epoch, ...), no indexed curve columns (loss_0, loss_1, "
	    "...) and no lists in the cells of the first row; use -f long-csv "
	    "with --step-col, or -f wide-csv with --curve-prefix", path);
	return RUNG_DETECT_UNKNOWN;
}

/*
 * Numbers. strtod is half the time of a long import, and most cells are
 * short decimals: those are exact with one IEEE multiply or divide (both
 * operands are exact doubles when the digits fit in 2^53 and the power of
 * ten is at most 1e22), which gives the correctly rounded value strtod
 * gives. Anything else goes to rung_parse_double.
 */
#if FLT_EVAL_METHOD == 0
static const double exact_pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
	1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};
#endif

int
csv_parse_number(const char *s, size_t len, double *out)
{
#if FLT_EVAL_METHOD == 0
	const char	*p = s, *end = s + len;
	uint64_t	 m = 0;
	int		 neg = 0, digits = 0, sig = 0, frac = 0, exp = 0;
	int		 eneg = 0, edigits = 0, e10;
	double		 v;

	if (p < end && (*p == '-' || *p == '+'))
		neg = (*p++ == '-');
	for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
		if (m != 0 || *p != '0')
			sig++;
		m = m * 10 + (uint64_t)(*p - '0');
		if (sig > 15)
			goto slow;
	}
	if (p < end && *p == '.') {
		for (p++; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
			if (m != 0 || *p != '0')
				sig++;
			m = m * 10 + (uint64_t)(*p - '0');
			frac++;
			if (sig > 15)
				goto slow;
		}
	}
	if (digits == 0)
		goto slow;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '-' || *p == '+'))
			eneg = (*p++ == '-');
		for (; p < end && *p >= '0' && *p <= '9'; p++) {
			if (++edigits > 4)
				goto slow;
			exp = exp * 10 + (*p - '0');
		}
		if (edigits == 0)
			goto slow;
	}
	if (p != end)
		goto slow;
	e10 = (eneg ? -exp : exp) - frac;
	if (m == 0)
		v = 0.0;
	else if (e10 >= 0 && e10 <= 22)
		v = (double)m * exact_pow10[e10];
	else if (e10 < 0 && e10 >= -22)
		v = (double)m / exact_pow10[-e10];
	else
		goto slow;
	*out = neg ? -v : v;
	return 0;
slow:
#endif
	return rung_parse_double(s, len, out);
}

static int
parse_status(struct status_cache *sc, const char *s, size_t len)
{
	int	 st;

	if (len < sizeof sc->word && sc->word[0] != '\0' &&
	    memcmp(sc->word, s, len) == 0 && sc->word[len] == '\0')
		return sc->status;
	if ((st = rung_status_parse(s)) < 0)
		return -1;
	if (len < sizeof sc->word) {
		memcpy(sc->word, s, len + 1);
		sc->status = st;
	}
	return st;
}

static void
csvimp_release(struct csvimp *ci)
{
	size_t	 i;

	if (ci->cols != NULL) {
		for (i = 0; i < ci->h.n; i++)
			rung_batch_mem_free(ci->b, ci->cols[i].seen.v);
	}
	free(ci->cols);
	header_release(&ci->h);
	free(ci->stem);
	free(ci->last_id);
	free(ci->slotrow);
	free(ci->skip);
	csv_array_release(ci);
}

uint32_t
csv_trial_of(struct csvimp *ci, const char *id, size_t len)
{
	if (ci->have_last && len == ci->last_len &&
	    memcmp(id, ci->last_id, len) == 0)
		return ci->last_trial;
	ci->last_trial = rung_batch_trial(ci->b, id);
	XGROW(ci->last_id, ci->last_cap, len + 1);
	memcpy(ci->last_id, id, len + 1);
	ci->last_len = len;
	ci->have_last = 1;
	return ci->last_trial;
}

static int
check_fields(struct csvimp *ci, struct reader *r)
{
	if (r->nf != ci->h.n) {
		xasprintf(ci->cause, "%s:%ld: expected %zu fields, found %zu",
		    ci->path, r->recline, ci->h.n, r->nf);
		return -1;
	}
	return 0;
}

/*
 * The start of a record of either layout: a blank one is passed over, the
 * first is the header (the layout's handler reads it), any other must have
 * the header's fields. 1: a record of data to read; 0: done, with what the
 * record handler returns in *ret.
 */
int
csv_record_begin(struct csvimp *ci, struct reader *r,
    int (*header)(struct csvimp *), int *ret)
{
	*ret = 0;
	if (record_blank(r))
		return 0;
	if (!ci->have_header) {
		header_take(&ci->h, r);
		ci->have_header = 1;
		*ret = header(ci);
		return 0;
	}
	if (check_fields(ci, r) != 0) {
		*ret = -1;
		return 0;
	}
	return 1;
}

/* The trial of a record's trial column, which must not be empty. */
int
csv_trial_cell(struct csvimp *ci, struct reader *r, uint32_t *trial)
{
	const struct field *f = &r->f[ci->trial_col];

	if (f->len == 0) {
		return csv_cell_error(ci->path, ci->cause, f, "",
		    ci->h.names[ci->trial_col], "a trial id");
	}
	*trial = csv_trial_of(ci, fld(r, ci->trial_col), f->len);
	return 0;
}

/* A status cell of column name: the trial's status, or an error. */
int
csv_status_cell(struct csvimp *ci, const struct field *f, const char *s,
    const char *name, uint32_t trial)
{
	int	 st;

	if ((st = parse_status(&ci->sc, s, f->len)) < 0) {
		return csv_cell_error(ci->path, ci->cause, f, s, name,
		    rung_status_expected());
	}
	rung_batch_set_status(ci->b, trial, (enum rung_status)st);
	return 0;
}

void
csv_warn_unnamed(const struct csvimp *ci, size_t i)
{
	rung_warn("%s:%ld: column %zu has no name: left out", ci->path,
	    ci->h.line, i + 1);
}

static int
run_import(struct csvimp *ci, int (*record)(struct reader *, void *))
{
	struct reader	 r;
	struct rung_digest d;
	char		*text;
	int		 ret;

	memset(&r, 0, sizeof r);
	r.path = ci->path;
	r.cause = ci->cause;
	r.record = record;
	r.arg = ci;
	r.threaded = 1;
	/* The source's digest, left to this read: no second one for it. */
	if (rung_batch_source_pending(ci->b)) {
		rung_digest_init(&d);
		r.digest = &d;
	}
	ret = csv_read(&r, ci->o->progress);
	if (ret == 0 && r.digest != NULL && r.whole) {
		text = rung_digest_text(&d);
		rung_batch_source_digest(ci->b, text, d.total);
		free(text);
	}
	csv_reader_release(&r);
	if (ret == 0 && !ci->have_header) {
		xasprintf(ci->cause, "%s: the file is empty: expected a header "
		    "row", ci->path);
		ret = -1;
	}
	return ret;
}

/* Both layouts: one reader, the record handler tells them apart. */
int
csv_import(struct rung_batch *b, const char *path,
    const struct rung_import_opts *o, char **cause,
    int (*record)(struct reader *, void *), int (*finish)(struct csvimp *))
{
	struct csvimp	 ci;
	int		 ret;

	memset(&ci, 0, sizeof ci);
	ci.b = b;
	ci.o = opts_or_default(o);
	ci.path = path;
	ci.cause = cause;
	ci.trial_col = ci.step_col = ci.status_col = -1;
	ci.arr.steps_col = ci.arr.join_col = -1;
	ret = run_import(&ci, record);
	if (ret == 0 && finish != NULL)
		ret = finish(&ci);
	csvimp_release(&ci);
	return ret;
}
