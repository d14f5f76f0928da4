/*
 * Ray Tune's progress.csv: the results of a trial flattened into columns,
 * read only when its result.json is missing or empty. Its header was fixed
 * by the first result, and a resumed run appends rows without one, so
 * columns are found by name.
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include <zlib.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "import-raytune-int.h"

/*
 * progress.csv, through libcsv: a record at a time, with the limits of the
 * CSV importer (import-csv-read.c).
 */
#define PC_CHUNK		(1 << 17)
#define PC_RECORD_MAX_MIB	64
#define PC_RECORD_MAX		((size_t)PC_RECORD_MAX_MIB << 20)
#define PC_FIELDS_MAX		1000000

enum pcrole { PC_METRIC, PC_X, PC_TIME, PC_DONE, PC_ID, PC_SKIP };

struct pcsv {
	struct rctx	*c;
	long		 line;		/* line of the next byte */
	int		 cr;		/* the last line end was a CR */
	long		 recline;	/* line the record starts on */
	size_t		*off;		/* fields of the record */
	size_t		*len;
	size_t		 nf;
	size_t		 fcap;
	char		*text;
	size_t		 tlen;
	size_t		 tcap;
	int		 failed;

	char		**names;	/* the header */
	enum pcrole	*role;
	size_t		 ncols;
	int		 xcol;
};

static void
pc_field(void *s, size_t len, void *arg)
{
	struct pcsv	*p = arg;
	const char	*q;
	size_t		 cap, bad;

	if (p->failed)
		return;
	if (p->nf == 0)
		p->recline = p->line;
	p->cr = 0;
	if (p->nf >= PC_FIELDS_MAX || p->tlen + len > PC_RECORD_MAX) {
		if (p->nf >= PC_FIELDS_MAX)
			xasprintf(p->c->cause, "%s:%ld: a record of more than "
			    "%d fields: not a CSV file of trials", p->c->path,
			    p->recline, PC_FIELDS_MAX);
		else
			xasprintf(p->c->cause, "%s:%ld: a record of more than "
			    "%d MiB: not a CSV file of trials", p->c->path,
			    p->recline, PC_RECORD_MAX_MIB);
		p->failed = 1;
		return;
	}
	cap = p->fcap;
	XGROW(p->off, cap, p->nf + 1);
	p->len = xreallocarray(p->len, cap, sizeof *p->len);
	p->fcap = cap;
	XGROW(p->text, p->tcap, p->tlen + len + 1);
	if (len != 0)
		memcpy(p->text + p->tlen, s, len);
	p->text[p->tlen + len] = '\0';
	p->off[p->nf] = p->tlen;
	p->len[p->nf++] = len;
	p->tlen += len + 1;
	/* Only a quoted field holds line ends. */
	for (q = s; q < (const char *)s + len; q++) {
		if (*q == '\n' || (*q == '\r' && (q + 1 ==
		    (const char *)s + len || q[1] != '\n')))
			p->line++;
	}
	/* Names and ids go to the database and into JSON: UTF-8 only. */
	if (!rung_utf8_valid(s, len, &bad)) {
		xasprintf(p->c->cause, "%s:%ld: text that is not UTF-8",
		    p->c->path, p->recline);
		p->failed = 1;
	}
}

static const char *
pc_cell(const struct pcsv *p, size_t i)
{
	return p->text + p->off[i];
}

static int
pc_header(struct pcsv *p)
{
	struct rctx	*c = p->c;
	const char	*name;
	size_t		 i;

	p->ncols = p->nf;
	p->names = xcalloc(p->ncols, sizeof *p->names);
	p->role = xcalloc(p->ncols, sizeof *p->role);
	p->xcol = -1;
	for (i = 0; i < p->ncols; i++) {
		name = p->names[i] = xstrdup(pc_cell(p, i));
		if (strcmp(name, c->xkey) == 0) {
			p->role[i] = PC_X;
			p->xcol = (int)i;
		} else if (strcmp(name, "time_this_iter_s") == 0)
			p->role[i] = PC_TIME;
		else if (strcmp(name, "done") == 0)
			p->role[i] = PC_DONE;
		else if (strcmp(name, "trial_id") == 0)
			p->role[i] = PC_ID;
		else if (rt_is_bookkeeping(name) || name[0] == '\0' ||
		    strncmp(name, "config/", 7) == 0)
			p->role[i] = PC_SKIP;
		else
			p->role[i] = PC_METRIC;
	}
	if (p->xcol < 0) {
		xasprintf(c->cause, "%s:%ld: no column '%s': it is the x axis "
		    "(name another key with --x)", c->path, p->recline,
		    c->xkey);
		return -1;
	}
	return 0;
}

static int
pc_record(struct pcsv *p)
{
	struct rctx	*c = p->c;
	const char	*cell;
	size_t		 i, n;
	int64_t		 iv;
	double		 d;
	int		 done = -1;

	if (p->names == NULL)
		return pc_header(p);
	if (p->nf > p->ncols) {
		xasprintf(c->cause, "%s:%ld: %zu fields, but the header has "
		    "%zu", c->path, p->recline, p->nf, p->ncols);
		return -1;
	}
	if ((size_t)p->xcol >= p->nf || p->len[p->xcol] == 0) {
		xasprintf(c->cause, "%s:%ld: no '%s' in this result: it is "
		    "the x axis (name another key with --x)", c->path,
		    p->recline, c->xkey);
		return -1;
	}
	cell = pc_cell(p, (size_t)p->xcol);
	n = p->len[p->xcol];
	if (rung_parse_int64(cell, n, &iv) == 0) {
		if (iv < INT32_MIN || iv > INT32_MAX)
			goto notstep;
		c->x = (int32_t)iv;
	} else if (rung_parse_double(cell, n, &d) == 0 && d >= INT32_MIN &&
	    d <= INT32_MAX && d == floor(d))
		c->x = (int32_t)d;
	else
		goto notstep;

	for (i = 0; i < p->nf && c->cur == NULL; i++) {
		if (p->role[i] == PC_ID && p->len[i] > 0)
			rt_need_trial(c, pc_cell(p, i));
	}
	rt_need_trial(c, NULL);
	c->haverow = 0;
	for (i = 0; i < p->nf; i++) {
		if (p->len[i] == 0)
			continue;	/* an empty cell: no value */
		cell = pc_cell(p, i);
		switch (p->role[i]) {
		case PC_METRIC:
			/* Text (True, a name) is no point of a curve. */
			if (rung_parse_double(cell, p->len[i], &d) == 0)
				rung_batch_set(c->b, rt_need_row(c),
				    rt_metric_col(c, p->names[i]), d);
			break;
		case PC_TIME:
			if (rung_parse_double(cell, p->len[i], &d) == 0)
				rt_set_time(c, d);
			break;
		case PC_DONE:
			/* Python's csv writes str(bool). */
			if (rung_strieq(cell, "true") || strcmp(cell, "1") == 0)
				done = 1;
			else if (rung_strieq(cell, "false") ||
			    strcmp(cell, "0") == 0)
				done = 0;
			break;
		default:
			break;
		}
	}
	rt_result_done(c, done);
	return 0;

notstep:
	xasprintf(c->cause, "%s:%ld: column '%s': expected a whole number, "
	    "got '%.*s'", c->path, p->recline, c->xkey, n > 40 ? 40 : (int)n,
	    cell);
	return -1;
}

static void
pc_row(int ch, void *arg)
{
	struct pcsv	*p = arg;
	int		 empty = p->nf == 0;
	size_t		 i;

	if (p->failed)
		return;
	if (!empty) {
		for (i = 0; i < p->nf && p->len[i] == 0; i++)
			/* nothing */;
		/* ",,," is a blank line too. */
		if (i < p->nf && pc_record(p) != 0)
			p->failed = 1;
		p->nf = 0;
		p->tlen = 0;
	}
	if (ch == '\n') {
		/* The LF of a CRLF arrives as an empty row: no new line. */
		if (!(p->cr && empty))
			p->line++;
		p->cr = 0;
	} else if (ch == '\r') {
		p->line++;
		p->cr = 1;
	}
}

/*
 * Sets *nresults to the results read. The file is handed to libcsv a chunk
 * at a time, with the limits of a CSV file: a record holds at most 64 MiB
 * and 1,000,000 fields.
 */
int
rt_read_progress(struct rctx *c, size_t *nresults)
{
	struct csv_parser	 parser;
	struct pcsv		 p;
	gzFile			 gz;
	char			*buf = NULL;
	const char		*msg;
	size_t			 len, off, i, before;
	int			 n, errnum, first = 1, ret = -1;

	*nresults = 0;
	memset(&p, 0, sizeof p);
	p.c = c;
	p.line = 1;
	errno = 0;
	if ((gz = gzopen(c->path, "rb")) == NULL) {
		xasprintf(c->cause, "cannot open '%s': %s", c->path,
		    errno ? strerror(errno) : "out of memory");
		return -1;
	}
	if (csv_init(&parser, CSV_REPALL_NL) != 0) {
		xasprintf(c->cause, "%s: cannot start the CSV parser",
		    c->path);
		gzclose(gz);
		return -1;
	}
	csv_set_realloc_func(&parser, xrealloc);
	csv_set_free_func(&parser, free);
	/* A long field grows by a megabyte, not 128 bytes, at a time. */
	csv_set_blk_size(&parser, 1 << 20);
	before = c->cur != NULL ? c->cur->nrows : 0;
	buf = xmalloc(PC_CHUNK);
	while ((n = gzread(gz, buf, PC_CHUNK)) > 0) {
		off = 0;
		if (first && n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
			off = 3;
		first = 0;
		len = (size_t)n - off;
		if (csv_parse(&parser, buf + off, len, pc_field, pc_row, &p) !=
		    len && !p.failed) {
			xasprintf(c->cause, "%s:%ld: %s", c->path, p.line,
			    csv_strerror(csv_error(&parser)));
			goto out;
		}
		if (p.failed)
			goto out;
		/* libcsv holds the field it is in: do not let it grow. */
		if (parser.entry_pos > PC_RECORD_MAX) {
			xasprintf(c->cause, "%s:%ld: a field of more than %d "
			    "MiB: not a CSV file of trials", c->path,
			    p.nf > 0 ? p.recline : p.line, PC_RECORD_MAX_MIB);
			goto out;
		}
	}
	/*
	 * A truncated gzip stream is no failed read: zlib leaves the error
	 * behind once the data runs out.
	 */
	msg = gzerror(gz, &errnum);
	if (n < 0 || (errnum != Z_OK && errnum != Z_STREAM_END)) {
		if (errnum == Z_BUF_ERROR)
			xasprintf(c->cause, "cannot read '%s': the gzip data "
			    "is truncated", c->path);
		else
			xasprintf(c->cause, "cannot read '%s': %s", c->path,
			    errnum == Z_ERRNO ? strerror(errno) : msg);
		goto out;
	}
	csv_fini(&parser, pc_field, pc_row, &p);
	if (p.failed)
		goto out;
	*nresults = c->cur != NULL ? c->cur->nrows - before : 0;
	ret = 0;
out:
	csv_free(&parser);
	gzclose(gz);
	free(buf);
	for (i = 0; i < p.ncols; i++)
		free(p.names[i]);
	free(p.names);
	free(p.role);
	free(p.off);
	free(p.len);
	free(p.text);
	return ret;
}
