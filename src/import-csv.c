/*
 * CSV importers: long (one row per trial and step) and wide (one row per
 * trial, the curve spread over indexed columns such as loss_0 ... loss_99).
 *
 * libcsv does the quoting; zlib's gzread feeds it, so a .gz file reads like
 * a plain one. Every record is copied into one reused arena before it is
 * handled, because a row's trial and step may sit in columns after the
 * values they key, and because libcsv reuses its field buffer: nothing is
 * allocated per cell.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>
#include <zlib.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#define CSV_CHUNK	(1 << 18)

/*
 * libcsv's state inside a field (FIELD_BEGUN in libcsv.c). With the field
 * quoted, it means the closing quote never came: the parser only reports
 * that itself in strict mode, which also refuses stray quotes that Python's
 * and R's readers accept.
 */
#define LIBCSV_FIELD_BEGUN 2

/* Longest cell text quoted back in an error message. */
#define SHOW_MAX	40

/*
 * The largest record: a file that is not CSV (one 1 GB line, a million
 * empty fields) is refused before it takes gigabytes. Wide CSVs of
 * 100,000-step curves stay far below it.
 */
#define RECORD_MAX_MIB	64
#define RECORD_MAX	((size_t)RECORD_MAX_MIB << 20)
#define FIELDS_MAX	1000000

/* Column names that hold the trial, the step, the time and the status. */
static const char *trial_names[] = { "trial", "trial_id", "trial_name",
	"trial_number", "run", "run_id", "config_id", "id", NULL };
static const char *step_names[] = { "step", "epoch", "iteration",
	"training_iteration", "iter", "global_step", NULL };
static const char *time_names[] = { "time_this_iter_s", "seconds", "time",
	"time_total_s", "elapsed", "wall time", "wall_time", "timestamp",
	NULL };
/* Words that make a name a time (epoch_seconds, batch_time, time_total). */
static const char *time_words[] = { "seconds", "secs", "sec", "time",
	"duration", "elapsed", "runtime", NULL };
static const char *status_names[] = { "status", "state", NULL };
static const char *wide_trial_names[] = { "id", "trial", "trial_id",
	"config_id", "run", NULL };

/*
 * What Ray Tune adds to every result besides the user's metrics. In a file
 * with config/ columns every other column is a metric, and these would
 * become metrics (pid, done) or fail as text (hostname, date).
 */
static const char *ray_bookkeeping[] = { "date", "hostname", "node_ip",
	"pid", "done", "experiment_id", "experiment_tag",
	"checkpoint_dir_name", "should_checkpoint", "iterations_since_restore",
	"time_since_restore", "timesteps_since_restore", "warmup_time", NULL };

/* One field of the current record, in the reader's arena. */
struct field {
	size_t		 off;
	size_t		 len;
	long		 line;	/* physical line the field starts on */
};

/*
 * A record-at-a-time reader over libcsv. Line numbers are exact: libcsv
 * (with CSV_REPALL_NL) hands every unquoted CR and LF to the row callback,
 * and line ends inside quoted fields are counted in the field callback.
 */
struct reader {
	const char	*path;
	char		**cause;
	int		(*record)(struct reader *, void *);
	void		*arg;

	long		 line;		/* line of the next byte */
	int		 cr;		/* the last line end was a CR */
	long		 recline;	/* line the current record starts on */

	struct field	*f;
	size_t		 nf;
	size_t		 fcap;
	char		*text;
	size_t		 tlen;
	size_t		 tcap;

	int		 failed;	/* the handler set *cause */
	int		 done;		/* the handler wants no more records */
};

static const struct rung_import_opts *
opts_or_default(const struct rung_import_opts *o)
{
	static struct rung_import_opts	 zero;

	/* Every field of the defaults is zero: RUNG_FMT_AUTO, RUNG_TIME_AUTO. */
	return o != NULL ? o : &zero;
}

static inline const char *
fld(const struct reader *r, size_t i)
{
	return r->text + r->f[i].off;
}

static long
count_lines(const char *s, size_t len)
{
	size_t	 i;
	long	 n = 0;

	/* CRLF, LF and a lone CR each end one line. */
	for (i = 0; i < len; i++) {
		if (s[i] == '\n')
			n++;
		else if (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n'))
			n++;
	}
	return n;
}

static void
cb_field(void *s, size_t len, void *arg)
{
	struct reader		*r = arg;
	struct field		*f;
	const unsigned char	*p, *end;
	size_t			 n;
	int			 newlines = 0;

	if (r->failed || r->done)
		return;
	if (r->nf == 0)
		r->recline = r->line;
	r->cr = 0;
	if (r->nf >= FIELDS_MAX || r->tlen + len > RECORD_MAX) {
		if (r->nf >= FIELDS_MAX)
			xasprintf(r->cause, "%s:%ld: a record of more than %d "
			    "fields: not a CSV file of trials", r->path,
			    r->recline, FIELDS_MAX);
		else
			xasprintf(r->cause, "%s:%ld: a record of more than %d "
			    "MiB: not a CSV file of trials", r->path,
			    r->recline, RECORD_MAX_MIB);
		r->failed = 1;
		return;
	}

	XGROW(r->f, r->fcap, r->nf + 1);
	f = &r->f[r->nf++];
	f->off = r->tlen;
	f->len = len;
	f->line = r->line;

	XGROW(r->text, r->tcap, r->tlen + len + 1);
	if (len != 0)
		memcpy(r->text + r->tlen, s, len);
	r->text[r->tlen + len] = '\0';
	r->tlen += len + 1;

	/*
	 * Look for line ends (only a quoted field holds them), NUL bytes and
	 * text that is not UTF-8: most fields are a few ASCII bytes, and one
	 * inline pass beats calls to memchr.
	 */
	for (p = s, end = p + len; p < end; p++) {
		if (*p > '\r' && *p < 0x80)
			continue;
		if (*p >= 0x80) {
			if ((n = rung_utf8_len(p, end)) == 0) {
				/* The line of the byte, in a quoted field too. */
				xasprintf(r->cause, "%s:%ld: text that is not "
				    "UTF-8 (Latin-1? convert the file with "
				    "iconv -f LATIN1 -t UTF-8)", r->path,
				    r->line + count_lines(s, (size_t)(p -
				    (const unsigned char *)s)));
				r->failed = 1;
				return;
			}
			p += n - 1;
			continue;
		}
		if (*p == '\0') {
			/* UTF-16 or binary: fields would end at the NUL. */
			xasprintf(r->cause, "%s:%ld: a NUL byte: not a CSV text "
			    "file (UTF-16 text? convert it with iconv -f "
			    "UTF-16 -t UTF-8)", r->path, r->line +
			    count_lines(s, (size_t)(p -
			    (const unsigned char *)s)));
			r->failed = 1;
			return;
		}
		/* A line end: the rest of the field is checked all the same. */
		if (*p == '\n' || *p == '\r')
			newlines = 1;
	}
	if (newlines)
		r->line += count_lines(s, len);
}

static void
cb_row(int c, void *arg)
{
	struct reader	*r = arg;
	int		 empty = (r->nf == 0);

	if (r->failed || r->done)
		return;
	if (!empty) {
		if (r->record(r, r->arg) != 0)
			r->failed = 1;
		r->nf = 0;
		r->tlen = 0;
	}
	if (c == '\n') {
		/* The LF of a CRLF arrives as an empty row: no new line. */
		if (!(r->cr && empty))
			r->line++;
		r->cr = 0;
	} else if (c == '\r') {
		r->line++;
		r->cr = 1;
	}
}

/* Whether every field of the record is empty: ",,," is a blank line too. */
static int
record_blank(const struct reader *r)
{
	size_t	 i;

	for (i = 0; i < r->nf; i++) {
		if (r->f[i].len != 0)
			return 0;
	}
	return 1;
}

static int
read_csv(struct reader *r, int progress)
{
	struct csv_parser	 p;
	struct rung_progress	 pg;
	struct stat		 sb;
	gzFile			 gz;
	char			*buf;
	const char		*msg;
	int			 n, errnum, first = 1, ret = -1;
	size_t			 off, len;

	memset(&pg, 0, sizeof pg);
	r->line = 1;
	errno = 0;
	if ((gz = gzopen(r->path, "rb")) == NULL) {
		xasprintf(r->cause, "cannot open '%s': %s", r->path,
		    errno ? strerror(errno) : "out of memory");
		return -1;
	}
	gzbuffer(gz, 1 << 17);
	if (csv_init(&p, CSV_REPALL_NL) != 0) {
		gzclose(gz);
		xasprintf(r->cause, "%s: cannot start the CSV parser", r->path);
		return -1;
	}
	/* libcsv grows its field buffer with these: no failure to handle. */
	csv_set_realloc_func(&p, xrealloc);
	csv_set_free_func(&p, free);
	/*
	 * By a megabyte at a time, not 128 bytes: growing a long field (up
	 * to RECORD_MAX) must not copy it thousands of times where realloc
	 * copies (a sanitized build).
	 */
	csv_set_blk_size(&p, 1 << 20);

	if (progress) {
		/* The compressed size for .gz: gzoffset counts the same bytes. */
		rung_progress_start(&pg, r->path,
		    stat(r->path, &sb) == 0 ? (uint64_t)sb.st_size : 0);
	}

	buf = xmalloc(CSV_CHUNK);
	while ((n = gzread(gz, buf, CSV_CHUNK)) > 0) {
		off = 0;
		if (first) {
			/* A UTF-8 byte order mark is no part of the header. */
			if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
				off = 3;
			first = 0;
		}
		len = (size_t)n - off;
		if (csv_parse(&p, buf + off, len, cb_field, cb_row, r) != len &&
		    !r->failed) {
			xasprintf(r->cause, "%s:%ld: %s", r->path, r->line,
			    csv_strerror(csv_error(&p)));
			goto out;
		}
		if (r->failed)
			goto out;
		/* libcsv holds the field it is in: do not let it grow. */
		if (p.entry_pos > RECORD_MAX) {
			xasprintf(r->cause, "%s:%ld: a field of more than "
			    "%d MiB: not a CSV file of trials", r->path,
			    r->nf > 0 ? r->recline : r->line, RECORD_MAX_MIB);
			goto out;
		}
		if (r->done)
			break;
		if (progress)
			rung_progress_update(&pg, (uint64_t)gzoffset(gz));
	}
	/*
	 * A truncated gzip stream is no failed read: zlib leaves the error
	 * behind once the data runs out.
	 */
	msg = gzerror(gz, &errnum);
	if (n < 0 || (!r->done && errnum != Z_OK && errnum != Z_STREAM_END)) {
		if (errnum == Z_BUF_ERROR)
			xasprintf(r->cause, "cannot read '%s': the gzip data "
			    "is truncated", r->path);
		else
			xasprintf(r->cause, "cannot read '%s': %s", r->path,
			    errnum == Z_ERRNO ? strerror(errno) : msg);
		goto out;
	}
	if (!r->done) {
		if (p.quoted && p.pstate == LIBCSV_FIELD_BEGUN) {
			/*
			 * An open quote swallowed the rest of the file. Its
			 * field was never handed over, so the line counter
			 * still stands where that field began.
			 */
			xasprintf(r->cause, "%s:%ld: a quoted field never ends "
			    "(a '\"' is missing)", r->path, r->line);
			goto out;
		}
		csv_fini(&p, cb_field, cb_row, r);
		if (r->failed)
			goto out;
	}
	ret = 0;
out:
	if (progress)
		rung_progress_end(&pg);
	free(buf);
	csv_free(&p);
	gzclose(gz);
	return ret;
}

static void
reader_release(struct reader *r)
{
	free(r->f);
	free(r->text);
}

/* Quote a cell back in a message, cut short when long. */
static int
cell_error(const char *path, char **cause, const struct field *f,
    const char *text, const char *col, const char *expected)
{
	int	 show = f->len > SHOW_MAX ? SHOW_MAX : (int)f->len;

	xasprintf(cause, "%s:%ld: column '%s': expected %s, got '%.*s%s'",
	    path, f->line, col, expected, show, text,
	    f->len > SHOW_MAX ? "..." : "");
	return -1;
}

/* The header: column names, held after the reader moves on. */
struct header {
	char		**names;
	size_t		  n;
	long		  line;
};

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

static int
header_dups(const struct header *h, const char *path, char **cause)
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

static int
in_list(const char *name, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (rung_strieq(name, *list))
			return 1;
	}
	return 0;
}

static int
in_opts_list(const char *name, char *const *list, size_t n)
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
 * Does a name say time? One of time_names, or a word of time_words alone,
 * at its end (epoch_seconds, train/batch_time) or, for "time", at its start
 * (time_per_epoch). Such a column is the time of its rows, not a metric.
 */
static int
time_like(const char *name)
{
	const char	*const *w;
	size_t		 len = strlen(name), wlen;

	if (in_list(name, time_names))
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
		if (in_list(h->names[i], list))
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
static int
pick_column(const struct header *h, const char *named, const char *flag,
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

static int
check_listed(const struct header *h, char *const *list, size_t n,
    const char *flag, const char *path, char **cause)
{
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < h->n; j++) {
			if (rung_strieq(h->names[j], list[i]))
				break;
		}
		if (j == h->n) {
			xasprintf(cause, "%s:%ld: no column '%s' (named by %s)",
			    path, h->line, list[i], flag);
			return -1;
		}
	}
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

static int
split_indexed(const char *name, size_t *plen, int32_t *index)
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
static int
find_groups(const struct header *h, const char *curve_prefix,
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
		if (split_indexed(h->names[i], &ic[n].plen, &ic[n].index)) {
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

/* Layout: read the header only. */
static int
header_record(struct reader *r, void *arg)
{
	struct header	*h = arg;

	if (record_blank(r))
		return 0;
	header_take(h, r);
	r->done = 1;
	return 0;
}

static int
read_header(const char *path, struct header *h, char **cause)
{
	struct reader	 r;
	int		 ret;

	memset(&r, 0, sizeof r);
	memset(h, 0, sizeof *h);
	r.path = path;
	r.cause = cause;
	r.record = header_record;
	r.arg = h;
	ret = read_csv(&r, 0);
	reader_release(&r);
	if (ret != 0)
		return -1;
	if (h->names == NULL) {
		xasprintf(cause, "%s: the file is empty: expected a header row",
		    path);
		return -1;
	}
	return 0;
}

int
rung_csv_layout(const char *path, const struct rung_import_opts *o,
    enum rung_format *fmt, char **cause)
{
	struct header	 h;
	int		*group, ngroups;

	o = opts_or_default(o);
	if (read_header(path, &h, cause) != 0)
		return -1;
	if (o->step_col != NULL ||
	    find_header_order(&h, step_names, NULL) >= 0) {
		*fmt = RUNG_FMT_LONG_CSV;
		header_release(&h);
		return 0;
	}
	group = xcalloc(h.n ? h.n : 1, sizeof *group);
	ngroups = find_groups(&h, o->curve_prefix, NULL, group);
	free(group);
	header_release(&h);
	if (ngroups > 0 || o->curve_prefix != NULL) {
		*fmt = RUNG_FMT_WIDE_CSV;
		return 0;
	}
	xasprintf(cause, "%s: cannot tell the CSV layout: no step column "
	    "(step, epoch, ...) and no indexed curve columns (loss_0, loss_1, "
	    "...); use -f long-csv with --step-col, or -f wide-csv with "
	    "--curve-prefix", path);
	return -1;
}

/* Step and status cells. */
static int
parse_step(const char *s, size_t len, int32_t *out)
{
	int64_t	 v;
	size_t	 i;
	int32_t	 fast = 0;

	/* Steps are short runs of digits: skip strtoll for those. */
	if (len > 0 && len <= 9) {
		for (i = 0; i < len; i++) {
			if (s[i] < '0' || s[i] > '9')
				break;
			fast = fast * 10 + (s[i] - '0');
		}
		if (i == len) {
			*out = fast;
			return 0;
		}
	}
	if (rung_parse_int64(s, len, &v) != 0 || v < INT32_MIN ||
	    v > INT32_MAX)
		return -1;
	*out = (int32_t)v;
	return 0;
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

static int
parse_number(const char *s, size_t len, double *out)
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

/* The last status word and what it meant: a column repeats one word. */
struct status_cache {
	char		 word[32];
	int		 status;
};

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

/* Per-trial "seen" flags of a parameter column: first value wins. */
struct seen {
	uint8_t		*v;
	size_t		 cap;
};

static int
seen_test_set(struct seen *s, uint32_t t)
{
	size_t	 old = s->cap;

	if (t >= s->cap) {
		XGROW(s->v, s->cap, (size_t)t + 1);
		memset(s->v + old, 0, s->cap - old);
	}
	if (s->v[t])
		return 1;
	s->v[t] = 1;
	return 0;
}

/* What each column of a file is for. */
enum role {
	R_SKIP = 0,
	R_TRIAL,
	R_STEP,
	R_TIME,
	R_STATUS,
	R_PARAM,	/* first non-empty value of each trial */
	R_METRIC,	/* a number, or an error */
	R_IMPLIED,	/* a metric made on its first cell, text leaves it out */
	R_CAND,		/* decided by the batch at finish */
	R_CURVE,	/* wide: one point of a curve */
};

struct col {
	enum role	 role;
	uint32_t	 idx;		/* metric, candidate or parameter */
	int		 made;		/* R_IMPLIED: the metric exists */
	int		 text;		/* R_CAND: some cell is not a number */
	struct seen	 seen;		/* R_PARAM, R_CAND: trials seen */
	uint32_t	 slot;		/* R_CURVE: step slot */
	int32_t		 step;		/* R_CURVE */
};

struct csvimp {
	struct rung_batch *b;
	const struct rung_import_opts *o;
	const char	*path;
	char		**cause;

	struct header	 h;
	int		 have_header;
	struct col	*cols;

	int		 trial_col;	/* -1: one trial, or the row index */
	int		 step_col;
	int		 status_col;
	char		*stem;		/* long: the trial without a column */
	uint32_t	 nrecords;	/* data rows read */

	/* The trial of the previous row: rows of a trial come together. */
	char		*last_id;
	size_t		 last_len;
	size_t		 last_cap;
	uint32_t	 last_trial;
	int		 have_last;

	struct status_cache sc;

	/* Wide: the row of each step slot in the current record. */
	uint32_t	*slotrow;
	uint32_t	 nslots;
};

static void
csvimp_release(struct csvimp *ci)
{
	size_t	 i;

	if (ci->cols != NULL) {
		for (i = 0; i < ci->h.n; i++)
			free(ci->cols[i].seen.v);
	}
	free(ci->cols);
	header_release(&ci->h);
	free(ci->stem);
	free(ci->last_id);
	free(ci->slotrow);
}

static uint32_t
trial_of(struct csvimp *ci, const char *id, size_t len)
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

static void
warn_unnamed(const struct csvimp *ci, size_t i)
{
	rung_warn("%s:%ld: column %zu has no name: left out", ci->path,
	    ci->h.line, i + 1);
}

static int
long_header(struct csvimp *ci)
{
	const struct rung_import_opts *o = ci->o;
	struct header	*h = &ci->h;
	uint8_t		*skip;
	int		 time_col, has_config = 0;
	size_t		 i;
	const char	*name;
	int		 ret = -1;

	if (header_dups(h, ci->path, ci->cause) != 0)
		return -1;
	if (check_listed(h, o->params, o->nparams, "--params", ci->path,
	    ci->cause) != 0 || check_listed(h, o->metrics, o->nmetrics,
	    "--metrics", ci->path, ci->cause) != 0)
		return -1;

	ci->cols = xcalloc(h->n ? h->n : 1, sizeof *ci->cols);
	skip = xcalloc(h->n ? h->n : 1, sizeof *skip);
	for (i = 0; i < h->n; i++) {
		if (h->names[i][0] == '\0' ||
		    in_opts_list(h->names[i], o->ignore, o->nignore))
			skip[i] = 1;
	}

	if (pick_column(h, o->trial_col, "--trial-col", trial_names, 0, skip,
	    ci->path, &ci->trial_col, ci->cause) != 0)
		goto out;
	if (pick_column(h, o->step_col, "--step-col", step_names, 0, skip,
	    ci->path, &ci->step_col, ci->cause) != 0)
		goto out;
	if (ci->step_col < 0) {
		xasprintf(ci->cause, "%s:%ld: no step column (step, epoch, "
		    "iteration, training_iteration, iter, global_step); name "
		    "it with --step-col", ci->path, h->line);
		goto out;
	}
	if (ci->trial_col == ci->step_col)
		ci->trial_col = -1;
	if (pick_column(h, o->time_col, "--time-col", time_names, 1, skip,
	    ci->path, &time_col, ci->cause) != 0)
		goto out;
	if (time_col == ci->step_col || time_col == ci->trial_col)
		time_col = -1;
	/* Else the first name that says time (epoch_seconds, Keras). */
	for (i = 0; o->time_col == NULL && time_col < 0 && i < h->n; i++) {
		if (!skip[i] && (int)i != ci->step_col &&
		    (int)i != ci->trial_col && !in_opts_list(h->names[i],
		    o->metrics, o->nmetrics) && !in_opts_list(h->names[i],
		    o->params, o->nparams) && (o->metric == NULL ||
		    strcmp(h->names[i], o->metric) != 0) &&
		    time_like(h->names[i]))
			time_col = (int)i;
	}
	if (pick_column(h, o->status_col, "--status-col", status_names, 0,
	    skip, ci->path, &ci->status_col, ci->cause) != 0)
		goto out;

	for (i = 0; i < h->n; i++) {
		if (!skip[i] && strncmp(h->names[i], "config/", 7) == 0)
			has_config = 1;
	}

	for (i = 0; i < h->n; i++) {
		name = h->names[i];
		if ((int)i == ci->trial_col)
			ci->cols[i].role = R_TRIAL;
		else if ((int)i == ci->step_col)
			ci->cols[i].role = R_STEP;
		else if ((int)i == time_col)
			ci->cols[i].role = R_TIME;
		else if ((int)i == ci->status_col)
			ci->cols[i].role = R_STATUS;
		else if (skip[i]) {
			if (name[0] == '\0')
				warn_unnamed(ci, i);
			ci->cols[i].role = R_SKIP;
		} else if (strncmp(name, "config/", 7) == 0) {
			/* Ray Tune's flattened config, and rung export. */
			if (name[7] == '\0')
				continue;
			ci->cols[i].role = R_PARAM;
			ci->cols[i].idx = rung_batch_param(ci->b, name + 7);
		} else if (in_opts_list(name, o->params, o->nparams)) {
			ci->cols[i].role = R_PARAM;
			ci->cols[i].idx = rung_batch_param(ci->b, name);
		} else if (in_opts_list(name, o->metrics, o->nmetrics) ||
		    (o->metric != NULL && strcmp(name, o->metric) == 0)) {
			ci->cols[i].role = R_METRIC;
			ci->cols[i].idx = rung_batch_metric(ci->b, name);
		} else if (time_like(name)) {
			/*
			 * Another clock of the same steps (time_total_s
			 * beside time_this_iter_s): the time column already
			 * says it.
			 */
			ci->cols[i].role = R_SKIP;
		} else if (in_list(name, step_names)) {
			/*
			 * Another count of the same rows: Lightning's
			 * CSVLogger writes the batch count "step" beside
			 * "epoch". A curve of it would be a metric "step".
			 */
			ci->cols[i].role = R_SKIP;
		} else if (has_config) {
			if (in_list(name, ray_bookkeeping))
				ci->cols[i].role = R_SKIP;
			else
				ci->cols[i].role = R_IMPLIED;
		} else {
			ci->cols[i].role = R_CAND;
			ci->cols[i].idx = rung_batch_candidate(ci->b, name);
		}
	}
	if (time_col >= 0)
		rung_batch_time_kind(ci->b, o->time_kind, h->names[time_col]);
	if (ci->trial_col < 0 && (ci->stem = rung_import_file_trial(o,
	    ci->path, "no trial column", ci->cause)) == NULL)
		goto out;
	ret = 0;
out:
	free(skip);
	return ret;
}

static int
long_record(struct reader *r, void *arg)
{
	struct csvimp	*ci = arg;
	struct rung_batch *b = ci->b;
	const struct field *f;
	const char	*s, *name;
	struct col	*c;
	uint32_t	 trial, row;
	int32_t		 step;
	double		 v;
	int		 st, first;
	size_t		 i;

	if (record_blank(r))
		return 0;
	if (!ci->have_header) {
		header_take(&ci->h, r);
		ci->have_header = 1;
		return long_header(ci);
	}
	if (check_fields(ci, r) != 0)
		return -1;
	ci->nrecords++;

	if (ci->trial_col >= 0) {
		f = &r->f[ci->trial_col];
		if (f->len == 0) {
			return cell_error(ci->path, ci->cause, f, "",
			    ci->h.names[ci->trial_col], "a trial id");
		}
		trial = trial_of(ci, fld(r, ci->trial_col), f->len);
	} else
		trial = trial_of(ci, ci->stem, strlen(ci->stem));

	f = &r->f[ci->step_col];
	s = fld(r, ci->step_col);
	if (parse_step(s, f->len, &step) != 0) {
		return cell_error(ci->path, ci->cause, f, s,
		    ci->h.names[ci->step_col], "an integer step");
	}
	row = rung_batch_row(b, trial, step);

	for (i = 0; i < r->nf; i++) {
		c = &ci->cols[i];
		f = &r->f[i];
		if (f->len == 0 || c->role == R_SKIP)
			continue;
		s = fld(r, i);
		name = ci->h.names[i];
		/*
		 * Keras' CSVLogger writes NA for a value an epoch lacks
		 * (validation every other epoch), as R does: no value.
		 */
		if (f->len == 2 && s[0] == 'N' && s[1] == 'A' &&
		    c->role != R_PARAM && c->role != R_STATUS)
			continue;
		switch (c->role) {
		case R_SKIP:
		case R_TRIAL:
		case R_STEP:
		case R_CURVE:
			break;
		case R_TIME:
			if (parse_number(s, f->len, &v) != 0) {
				return cell_error(ci->path, ci->cause, f, s,
				    name, "a number (seconds)");
			}
			rung_batch_set_time(b, row, v);
			break;
		case R_STATUS:
			if ((st = parse_status(&ci->sc, s, f->len)) < 0) {
				return cell_error(ci->path, ci->cause, f, s,
				    name, rung_status_expected());
			}
			rung_batch_set_status(b, trial, (enum rung_status)st);
			break;
		case R_PARAM:
			if (!seen_test_set(&c->seen, trial))
				rung_batch_param_token(b, trial, c->idx, s,
				    f->len);
			break;
		case R_IMPLIED:
			if (parse_number(s, f->len, &v) != 0) {
				if (c->made) {
					return cell_error(ci->path, ci->cause,
					    f, s, name, "a number");
				}
				rung_warn("%s:%ld: column '%s' holds text "
				    "('%.*s'), not a metric: left out",
				    ci->path, f->line, name,
				    f->len > SHOW_MAX ? SHOW_MAX : (int)f->len,
				    s);
				c->role = R_SKIP;
				break;
			}
			if (!c->made) {
				c->idx = rung_batch_metric(b, name);
				c->made = 1;
			}
			rung_batch_set(b, row, c->idx, v);
			break;
		case R_METRIC:
			if (parse_number(s, f->len, &v) != 0) {
				return cell_error(ci->path, ci->cause, f, s,
				    name, "a number");
			}
			rung_batch_set(b, row, c->idx, v);
			break;
		case R_CAND:
			/*
			 * The batch keeps the first token of each trial and
			 * notes text; past that, a number is all a cell
			 * brings, and parsing it here is several times
			 * quicker than the batch's strtod.
			 */
			first = !seen_test_set(&c->seen, trial);
			if (!c->text && parse_number(s, f->len, &v) != 0)
				c->text = 1;
			if (first || c->text)
				rung_batch_cell(b, row, c->idx, s, f->len);
			else
				rung_batch_set(b, row, c->idx, v);
			break;
		}
	}
	return 0;
}

static int
run_import(struct csvimp *ci, int (*record)(struct reader *, void *))
{
	struct reader	 r;
	int		 ret;

	memset(&r, 0, sizeof r);
	r.path = ci->path;
	r.cause = ci->cause;
	r.record = record;
	r.arg = ci;
	ret = read_csv(&r, ci->o->progress);
	reader_release(&r);
	if (ret == 0 && !ci->have_header) {
		xasprintf(ci->cause, "%s: the file is empty: expected a header "
		    "row", ci->path);
		ret = -1;
	}
	return ret;
}

/* Both layouts: one reader, the record handler tells them apart. */
static int
import_csv(struct rung_batch *b, const char *path,
    const struct rung_import_opts *o, char **cause,
    int (*record)(struct reader *, void *))
{
	struct csvimp	 ci;
	int		 ret;

	memset(&ci, 0, sizeof ci);
	ci.b = b;
	ci.o = opts_or_default(o);
	ci.path = path;
	ci.cause = cause;
	ci.trial_col = ci.step_col = ci.status_col = -1;
	ret = run_import(&ci, record);
	csvimp_release(&ci);
	return ret;
}

int
rung_import_long_csv(struct rung_batch *b, const char *path,
    const struct rung_import_opts *o, char **cause)
{
	return import_csv(b, path, o, cause, long_record);
}

/* Wide CSV. */
static int
cmp_int32(const void *va, const void *vb)
{
	int32_t	 a = *(const int32_t *)va, b = *(const int32_t *)vb;

	return a < b ? -1 : (a > b);
}

static int
wide_header(struct csvimp *ci)
{
	const struct rung_import_opts *o = ci->o;
	struct header	*h = &ci->h;
	uint8_t		*skip;
	int		*group, ngroups, g;
	int32_t		*gmin, *steps, index;
	uint32_t	*gmetric;
	size_t		 i, plen, nsteps = 0, lo, hi, mid;
	char		*mname;
	int		 ret = -1;

	if (header_dups(h, ci->path, ci->cause) != 0)
		return -1;
	ci->cols = xcalloc(h->n ? h->n : 1, sizeof *ci->cols);
	skip = xcalloc(h->n ? h->n : 1, sizeof *skip);
	group = xcalloc(h->n ? h->n : 1, sizeof *group);
	gmin = NULL;
	gmetric = NULL;
	steps = NULL;
	/*
	 * 1: left out; 2: a parameter that looks indexed (layer_1, layer_2,
	 * layer_3 of --params), kept out of the curves.
	 */
	for (i = 0; i < h->n; i++) {
		if (h->names[i][0] == '\0' ||
		    in_opts_list(h->names[i], o->ignore, o->nignore))
			skip[i] = 1;
		else if (in_opts_list(h->names[i], o->params, o->nparams))
			skip[i] = 2;
	}

	if (pick_column(h, o->trial_col, "--trial-col", wide_trial_names, 0,
	    skip, ci->path, &ci->trial_col, ci->cause) != 0)
		goto out;
	if (pick_column(h, o->status_col, "--status-col", status_names, 0,
	    skip, ci->path, &ci->status_col, ci->cause) != 0)
		goto out;
	if (ci->trial_col >= 0)
		skip[ci->trial_col] = 1;
	if (ci->status_col >= 0)
		skip[ci->status_col] = 1;
	/* Rows numbered in several files: "name:0", as JSON lists are. */
	if (ci->trial_col < 0 && o->multi_file && (ci->stem =
	    rung_import_file_trial(o, ci->path, "no trial column",
	    ci->cause)) == NULL)
		goto out;

	ngroups = find_groups(h, o->curve_prefix, skip, group);
	if (ngroups == 0) {
		if (o->curve_prefix != NULL) {
			xasprintf(ci->cause, "%s:%ld: no curve columns "
			    "%s0, %s1, ... (named by --curve-prefix)",
			    ci->path, h->line, o->curve_prefix,
			    o->curve_prefix);
		} else {
			xasprintf(ci->cause, "%s:%ld: no indexed curve columns "
			    "(loss_0, loss_1, ...); name the prefix with "
			    "--curve-prefix", ci->path, h->line);
		}
		goto out;
	}

	/* Each group: its metric and its smallest index. */
	gmin = xcalloc((size_t)ngroups, sizeof *gmin);
	gmetric = xcalloc((size_t)ngroups, sizeof *gmetric);
	for (g = 0; g < ngroups; g++)
		gmin[g] = INT32_MAX;
	for (i = 0; i < h->n; i++) {
		if ((g = group[i]) < 0)
			continue;
		split_indexed(h->names[i], &plen, &index);
		if (gmin[g] == INT32_MAX) {
			/* loss_ names "loss", ep_ names "ep". */
			if (plen > 1 && (h->names[i][plen - 1] == '_' ||
			    h->names[i][plen - 1] == '.' ||
			    h->names[i][plen - 1] == '-'))
				mname = xstrndup(h->names[i], plen - 1);
			else
				mname = xstrndup(h->names[i], plen);
			gmetric[g] = rung_batch_metric(ci->b, mname);
			free(mname);
		}
		if (index < gmin[g])
			gmin[g] = index;
	}

	/*
	 * Steps: the index, or shifted so that the first one is
	 * --first-step. Groups share a row per step, so map every curve
	 * column to a slot of the distinct steps.
	 */
	steps = xcalloc(h->n ? h->n : 1, sizeof *steps);
	for (i = 0; i < h->n; i++) {
		if ((g = group[i]) < 0)
			continue;
		split_indexed(h->names[i], &plen, &index);
		if (o->first_step_set) {
			int64_t s = (int64_t)index - gmin[g] + o->first_step;

			if (s < INT32_MIN || s > INT32_MAX) {
				xasprintf(ci->cause, "%s:%ld: column '%s': "
				    "step out of range", ci->path, h->line,
				    h->names[i]);
				goto out;
			}
			index = (int32_t)s;
		}
		ci->cols[i].role = R_CURVE;
		ci->cols[i].idx = gmetric[g];
		ci->cols[i].step = index;
		steps[nsteps++] = index;
	}
	qsort(steps, nsteps, sizeof *steps, cmp_int32);
	ci->nslots = 0;
	for (i = 0; i < nsteps; i++) {
		if (ci->nslots == 0 || steps[i] != steps[ci->nslots - 1])
			steps[ci->nslots++] = steps[i];
	}
	for (i = 0; i < h->n; i++) {
		if (ci->cols[i].role != R_CURVE)
			continue;
		lo = 0;
		hi = ci->nslots;
		while (lo < hi) {
			mid = (lo + hi) / 2;
			if (steps[mid] < ci->cols[i].step)
				lo = mid + 1;
			else
				hi = mid;
		}
		ci->cols[i].slot = (uint32_t)lo;
	}
	ci->slotrow = xcalloc(ci->nslots ? ci->nslots : 1,
	    sizeof *ci->slotrow);

	for (i = 0; i < h->n; i++) {
		if ((int)i == ci->trial_col)
			ci->cols[i].role = R_TRIAL;
		else if ((int)i == ci->status_col)
			ci->cols[i].role = R_STATUS;
		else if (ci->cols[i].role == R_CURVE)
			continue;
		else if (skip[i] == 1) {
			if (h->names[i][0] == '\0')
				warn_unnamed(ci, i);
			ci->cols[i].role = R_SKIP;
		} else if (strncmp(h->names[i], "config/", 7) == 0 &&
		    h->names[i][7] != '\0') {
			/* rung export's parameters, as in long CSV. */
			ci->cols[i].role = R_PARAM;
			ci->cols[i].idx = rung_batch_param(ci->b,
			    h->names[i] + 7);
		} else {
			ci->cols[i].role = R_PARAM;
			ci->cols[i].idx = rung_batch_param(ci->b, h->names[i]);
		}
	}
	ret = 0;
out:
	free(steps);
	free(gmin);
	free(gmetric);
	free(group);
	free(skip);
	return ret;
}

static int
wide_record(struct reader *r, void *arg)
{
	struct csvimp	*ci = arg;
	struct rung_batch *b = ci->b;
	const struct field *f;
	const char	*s;
	struct col	*c;
	char		 idbuf[16], *id;
	uint32_t	 trial, slot;
	double		 v;
	int		 st;
	size_t		 i;

	if (record_blank(r))
		return 0;
	if (!ci->have_header) {
		header_take(&ci->h, r);
		ci->have_header = 1;
		return wide_header(ci);
	}
	if (check_fields(ci, r) != 0)
		return -1;

	if (ci->trial_col >= 0) {
		f = &r->f[ci->trial_col];
		if (f->len == 0) {
			return cell_error(ci->path, ci->cause, f, "",
			    ci->h.names[ci->trial_col], "a trial id");
		}
		trial = trial_of(ci, fld(r, ci->trial_col), f->len);
	} else if (ci->stem != NULL) {
		/* One row is one trial: an allocation per row is cheap. */
		id = xprintf("%s:%u", ci->stem, ci->nrecords);
		trial = rung_batch_trial(b, id);
		free(id);
	} else {
		snprintf(idbuf, sizeof idbuf, "%u", ci->nrecords);
		trial = rung_batch_trial(b, idbuf);
	}
	ci->nrecords++;

	for (slot = 0; slot < ci->nslots; slot++)
		ci->slotrow[slot] = UINT32_MAX;
	for (i = 0; i < r->nf; i++) {
		c = &ci->cols[i];
		f = &r->f[i];
		if (f->len == 0)
			continue;
		s = fld(r, i);
		switch (c->role) {
		case R_CURVE:
			if (parse_number(s, f->len, &v) != 0) {
				return cell_error(ci->path, ci->cause, f, s,
				    ci->h.names[i], "a number");
			}
			if (ci->slotrow[c->slot] == UINT32_MAX) {
				ci->slotrow[c->slot] = rung_batch_row(b, trial,
				    c->step);
			}
			rung_batch_set(b, ci->slotrow[c->slot], c->idx, v);
			break;
		case R_PARAM:
			rung_batch_param_token(b, trial, c->idx, s, f->len);
			break;
		case R_STATUS:
			if ((st = parse_status(&ci->sc, s, f->len)) < 0) {
				return cell_error(ci->path, ci->cause, f, s,
				    ci->h.names[i], rung_status_expected());
			}
			rung_batch_set_status(b, trial, (enum rung_status)st);
			break;
		default:
			break;
		}
	}
	return 0;
}

int
rung_import_wide_csv(struct rung_batch *b, const char *path,
    const struct rung_import_opts *o, char **cause)
{
	return import_csv(b, path, o, cause, wide_record);
}
