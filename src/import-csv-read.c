/*
 * The CSV record reader: libcsv does the quoting, zlib's gzread feeds it
 * (a .gz file reads like a plain one), and each record is copied into one
 * reused arena before its handler sees it, with exact line numbers and
 * limits on a record's size.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <pthread.h>
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

#include "import-csv-int.h"

#define CSV_CHUNK	(1 << 18)

/*
 * libcsv's state inside a field (FIELD_BEGUN in libcsv.c). With the field
 * quoted, it means the closing quote never came: the parser only reports
 * that itself in strict mode, which also refuses stray quotes that Python's
 * and R's readers accept.
 */
#define LIBCSV_FIELD_BEGUN 2

static void	 pipe_record(struct reader *);

/*
 * The largest record: a file that is not CSV (one 1 GB line, a million
 * empty fields) is refused before it takes gigabytes. Wide CSVs of
 * 100,000-step curves stay far below it.
 */
#define RECORD_MAX_MIB	64
#define RECORD_MAX	((size_t)RECORD_MAX_MIB << 20)
#define FIELDS_MAX	1000000

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

/*
 * A field to the record's arena; with check, its bytes are looked over
 * (fast_line knows its lines' are plain ASCII without a line end or NUL).
 */
static void
field_add(struct reader *r, const void *s, size_t len, int check)
{
	struct field		*f;
	const unsigned char	*p, *end;
	size_t			 n;
	int			 newlines = 0;

	if (r->failed || r->done)
		return;
	if (r->nf == r->f0)
		r->recline = r->line;
	r->cr = 0;
	if (r->nf - r->f0 >= FIELDS_MAX || r->tlen - r->t0 + len > RECORD_MAX) {
		if (r->nf - r->f0 >= FIELDS_MAX)
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
	if (!check)
		return;

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
cb_field(void *s, size_t len, void *arg)
{
	field_add(arg, s, len, 1);
}

static void
cb_row(int c, void *arg)
{
	struct reader	*r = arg;
	int		 empty = (r->nf == r->f0);

	if (r->failed || r->done)
		return;
	if (!empty && r->threaded)
		pipe_record(r);
	else if (!empty) {
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

/*
 * libcsv between records: nothing of a record begun, the byte last given
 * it a line feed (the LF of a CRLF would otherwise come as a line).
 */
static int
libcsv_idle(const struct csv_parser *p)
{
	return p->pstate == 0 && !p->quoted && p->entry_pos == 0;
}

static int
csv_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* What a byte is to fast_line, or-ed over a line. */
#define FL_TEXT		0x01	/* not a space or a tab */
#define FL_STOP		0x02	/* a quote, a CR or a NUL: libcsv's line */
#define FL_HIGH		0x04	/* UTF-8 (or not): checked field by field */

static unsigned char fl_class[256];

static void
fl_init(void)
{
	int	 c;

	for (c = 0; c < 256; c++) {
		fl_class[c] = csv_blank((unsigned char)c) ? 0 : FL_TEXT;
		if (c == '"' || c == '\r' || c == '\0')
			fl_class[c] |= FL_STOP;
		if (c >= 0x80)
			fl_class[c] |= FL_HIGH;
	}
}

/*
 * The common line, read without libcsv: whole, ended by LF, without a
 * quote or a CR, not blank. Its fields are cut at commas and lose the
 * spaces and tabs around them, as libcsv's are, and go to the same
 * callbacks: libcsv's byte-by-byte state machine and its copy of every
 * field took a third of a long CSV's import. Returns the bytes read (the
 * line and its LF), or 0 for a line libcsv is to read.
 */
static size_t
fast_line(struct reader *r, char *s, size_t avail)
{
	const unsigned char *u;
	char		*nl, *p, *f, *e;
	unsigned	 acc = 0;

	if ((nl = memchr(s, '\n', avail)) == NULL)
		return 0;
	if (fl_class['a'] == 0)
		fl_init();
	for (u = (const unsigned char *)s; u < (const unsigned char *)nl; u++)
		acc |= fl_class[*u];
	if ((acc & FL_STOP) || !(acc & FL_TEXT))
		return 0;
	if (r->nf == r->f0)
		r->recline = r->line;
	for (f = s;; f = p + 1) {
		for (p = f; p < nl && *p != ','; p++)
			/* nothing */;
		for (e = p; f < e && csv_blank((unsigned char)*f); f++)
			/* nothing */;
		while (e > f && csv_blank((unsigned char)e[-1]))
			e--;
		field_add(r, f, (size_t)(e - f), (acc & FL_HIGH) != 0);
		if (p == nl)
			break;
	}
	cb_row('\n', r);
	return (size_t)(nl - s) + 1;
}

/*
 * A chunk read: the common lines by fast_line, the others by libcsv, to
 * the end of each (a quoted field may hold line ends: libcsv reads on
 * until it is idle after a LF).
 */
static int
parse_chunk(struct csv_parser *p, struct reader *r, char *buf, size_t len,
    int *lf)
{
	size_t	 off = 0, n;
	char	*nl;

	while (off < len && !r->failed && !r->done) {
		if (*lf && libcsv_idle(p) &&
		    (n = fast_line(r, buf + off, len - off)) != 0) {
			off += n;
			continue;
		}
		if ((nl = memchr(buf + off, '\n', len - off)) != NULL)
			n = (size_t)(nl - (buf + off)) + 1;
		else
			n = len - off;
		if (csv_parse(p, buf + off, n, cb_field, cb_row, r) != n &&
		    !r->failed)
			return -1;
		off += n;
		*lf = buf[off - 1] == '\n';
	}
	return 0;
}

static int
read_file(struct reader *r, int progress)
{
	struct csv_parser	 p;
	struct rung_progress	 pg;
	struct stat		 sb;
	gzFile			 gz;
	char			*buf;
	const char		*msg;
	int			 n, errnum, first = 1, ret = -1, lf = 1;
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
		if (r->digest != NULL)
			rung_digest_add(r->digest, buf, (size_t)n);
		off = 0;
		if (first) {
			/* A UTF-8 byte order mark is no part of the header. */
			if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
				off = 3;
			first = 0;
		}
		len = (size_t)n - off;
		if (parse_chunk(&p, r, buf + off, len, &lf) != 0) {
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
			    r->nf > r->f0 ? r->recline : r->line, RECORD_MAX_MIB);
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
		r->whole = !r->done;
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

/*
 * Threaded reading. Parsing a long CSV (reading, cutting fields, checking
 * their bytes) takes about as long as what the handler makes of them
 * (numbers, trials, rows), so the two run side by side: a thread parses
 * into blocks of whole records, and the caller's thread hands each record
 * of a full block to the handler, as read_file would have, in order. An
 * error stops both where it would have stopped one: the parser's only
 * after every record before it was handled without one.
 */
#define NBLOCKS		3
#define BLOCK_TEXT	(256 << 10)	/* bytes of fields a block holds */
#define BLOCK_RECORDS	8192

struct span {
	size_t		 f0;		/* its first field in the block */
	size_t		 nf;
	long		 line;
};

struct block {
	struct field	*f;
	size_t		 nf, fcap;
	char		*text;
	size_t		 tlen, tcap;
	struct span	*span;
	size_t		 nspan, spancap;
	int		 full;		/* parsed, not yet handled */
};

struct csvpipe {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct block	 b[NBLOCKS];
	unsigned	 fill;		/* the block the parser fills */
	int		 stop;		/* the handler failed or is done */
	int		 eof;		/* the parser returned ... */
	int		 ret;		/* ... this */
	struct reader	 r;		/* the parser's reader */
	char		*cause;		/* the parser's error */
	int		 progress;
};

/* The parser's arena back to its block, or the block's to the parser. */
static void
arena_put(struct reader *r, struct block *b)
{
	b->f = r->f;
	b->fcap = r->fcap;
	b->nf = r->nf;
	b->text = r->text;
	b->tcap = r->tcap;
	b->tlen = r->tlen;
}

static void
arena_take(struct reader *r, struct block *b)
{
	r->f = b->f;
	r->fcap = b->fcap;
	r->text = b->text;
	r->tcap = b->tcap;
	r->nf = r->f0 = 0;
	r->tlen = r->t0 = 0;
	b->nspan = 0;
}

/*
 * The parser's block to the handler; the parser then waits for the next
 * block to be free. Returns -1 once the handler wants no more.
 */
static int
pipe_pass(struct csvpipe *cp)
{
	struct block	*b = &cp->b[cp->fill % NBLOCKS];
	int		 stop;

	pthread_mutex_lock(&cp->mu);
	arena_put(&cp->r, b);
	b->full = 1;
	cp->fill++;
	pthread_cond_broadcast(&cp->cv);
	b = &cp->b[cp->fill % NBLOCKS];
	while (b->full && !cp->stop)
		pthread_cond_wait(&cp->cv, &cp->mu);
	stop = cp->stop;
	pthread_mutex_unlock(&cp->mu);
	if (stop) {
		/* The arena is the block's now; the parser reads on idle. */
		cp->r.f = NULL;
		cp->r.text = NULL;
		cp->r.fcap = cp->r.tcap = 0;
		cp->r.nf = cp->r.f0 = cp->r.tlen = cp->r.t0 = 0;
		return -1;
	}
	arena_take(&cp->r, b);
	return 0;
}

/* The parser ended a record: it stays in the arena, spanned. */
static void
pipe_record(struct reader *r)
{
	struct csvpipe	*cp = r->pipe;
	struct block	*b = &cp->b[cp->fill % NBLOCKS];
	struct span	*sp;

	XGROW(b->span, b->spancap, b->nspan + 1);
	sp = &b->span[b->nspan++];
	sp->f0 = r->f0;
	sp->nf = r->nf - r->f0;
	sp->line = r->recline;
	r->f0 = r->nf;
	r->t0 = r->tlen;
	if ((r->tlen >= BLOCK_TEXT || b->nspan >= BLOCK_RECORDS) &&
	    pipe_pass(cp) != 0)
		r->done = 1;
}

static void *
pipe_parse(void *arg)
{
	struct csvpipe	*cp = arg;
	int		 ret;

	ret = read_file(&cp->r, cp->progress);
	pthread_mutex_lock(&cp->mu);
	/* done: stopped in pipe_pass, the arena given back already. */
	if (!cp->r.done) {
		arena_put(&cp->r, &cp->b[cp->fill % NBLOCKS]);
		cp->b[cp->fill % NBLOCKS].full = 1;
	}
	cp->eof = 1;
	cp->ret = ret;
	pthread_cond_broadcast(&cp->cv);
	pthread_mutex_unlock(&cp->mu);
	return NULL;
}

/* The handler over one block's records, as read_file calls it. */
static int
pipe_handle(struct reader *r, struct block *b)
{
	struct reader	 v = *r;
	size_t		 i;

	v.text = b->text;
	for (i = 0; i < b->nspan && !r->done; i++) {
		v.f = b->f + b->span[i].f0;
		v.nf = b->span[i].nf;
		v.recline = b->span[i].line;
		if (r->record(&v, r->arg) != 0)
			return -1;
		r->done = v.done;
	}
	return 0;
}

static int
read_threaded(struct reader *r, int progress)
{
	struct csvpipe	*cp;
	struct block	*b;
	pthread_t	 th;
	unsigned	 next = 0, i;
	int		 ret = 0, eof = 0, err;

	cp = xcalloc(1, sizeof *cp);
	pthread_mutex_init(&cp->mu, NULL);
	pthread_cond_init(&cp->cv, NULL);
	cp->r.path = r->path;
	cp->r.cause = &cp->cause;
	cp->r.threaded = 1;
	cp->r.pipe = cp;
	cp->r.digest = r->digest;
	cp->progress = progress;
	if ((err = rung_thread_start(&th, pipe_parse, cp)) != 0) {
		xasprintf(r->cause, "%s: cannot start a thread: %s", r->path,
		    strerror(err));
		ret = -1;
		goto out;
	}
	for (;;) {
		b = &cp->b[next % NBLOCKS];
		pthread_mutex_lock(&cp->mu);
		while (!b->full && !cp->eof)
			pthread_cond_wait(&cp->cv, &cp->mu);
		eof = cp->eof && !b->full;
		pthread_mutex_unlock(&cp->mu);
		if (eof)
			break;
		if (pipe_handle(r, b) != 0) {
			ret = -1;
			r->failed = 1;
		}
		pthread_mutex_lock(&cp->mu);
		b->full = 0;
		next++;
		if (ret != 0 || r->done)
			cp->stop = 1;
		pthread_cond_broadcast(&cp->cv);
		pthread_mutex_unlock(&cp->mu);
		if (ret != 0 || r->done)
			break;
	}
	pthread_join(th, NULL);
	r->whole = cp->r.whole && !r->done;
	/* The parser's error, every record before it handled. */
	if (ret == 0 && !r->done && cp->ret != 0) {
		*r->cause = cp->cause;
		cp->cause = NULL;
		ret = -1;
	}
out:
	for (i = 0; i < NBLOCKS; i++) {
		free(cp->b[i].f);
		free(cp->b[i].text);
		free(cp->b[i].span);
	}
	free(cp->cause);
	pthread_cond_destroy(&cp->cv);
	pthread_mutex_destroy(&cp->mu);
	free(cp);
	return ret;
}

int
csv_read(struct reader *r, int progress)
{
	if (r->threaded)
		return read_threaded(r, progress);
	return read_file(r, progress);
}

void
csv_reader_release(struct reader *r)
{
	free(r->f);
	free(r->text);
}

/* Quote a cell back in a message, cut short when long. */
int
csv_cell_error(const char *path, char **cause, const struct field *f,
    const char *text, const char *col, const char *expected)
{
	int	 show = f->len > SHOW_MAX ? SHOW_MAX : (int)f->len;

	xasprintf(cause, "%s:%ld: column '%s': expected %s, got '%.*s%s'",
	    path, f->line, col, expected, show, text,
	    f->len > SHOW_MAX ? "..." : "");
	return -1;
}
