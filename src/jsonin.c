/*
 * Reading JSON for the importers. A file is read a chunk at a time and
 * handed to json-c as it comes (json-c's tokener parses incrementally), so
 * that it is never held whole: a 1 GB string is refused once it passes the
 * limit, not after it was read. json-c checks the syntax; a scanner running
 * ahead of it checks what json-c lets through:
 *  - UTF-8 as RFC 3629 has it: json-c takes overlong forms (C0 AF), encoded
 *    surrogates and code points past U+10FFFF, and its own check forgets
 *    where it was between two calls, failing on a character split across
 *    two chunks;
 *  - NUL bytes, and \u0000 in a string: json-c keeps them, and every C
 *    string made of the value ends there (two ids would become one);
 *  - the length of a token: json-c buffers a string, a number or a comment
 *    whole, in an int-sized buffer.
 * The scanner follows json-c's lexical rules (it also reads single-quoted
 * strings and comments) only as far as knowing where tokens begin and end.
 * JSON text held in memory (a JSON string holding JSON, as Ray Tune's
 * experiment state and Optuna's distributions have) goes through the same
 * scanner: one set of rules for every JSON rung reads.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <zlib.h>

#include "rung/batch.h"
#include "rung/jsonin.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

void
rung_batch_param_json(struct rung_batch *b, uint32_t t, const char *name,
    struct json_object *v)
{
	uint32_t	 p;
	int64_t		 iv;

	if (v == NULL)
		return;		/* null: unset */
	p = rung_batch_param(b, name);
	switch (json_object_get_type(v)) {
	case json_type_int:
		iv = json_object_get_int64(v);
		/* json-c clamps what int64 cannot hold: keep it as real. */
		if (iv == INT64_MAX && json_object_get_uint64(v) > INT64_MAX)
			rung_batch_param_real(b, t, p,
			    (double)json_object_get_uint64(v));
		else
			rung_batch_param_int(b, t, p, iv);
		break;
	case json_type_double:
		rung_batch_param_real(b, t, p, json_object_get_double(v));
		break;
	case json_type_string:
		rung_batch_param_text(b, t, p, json_object_get_string(v));
		break;
	case json_type_boolean:
		rung_batch_param_text(b, t, p,
		    json_object_get_boolean(v) ? "true" : "false");
		break;
	default:
		/* A list (layer sizes, say): its compact JSON, as text. */
		rung_batch_param_text(b, t, p, json_object_to_json_string_ext(v,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		break;
	}
}

/* Cut a name back to its first len bytes. */
static void
name_cut(struct rung_buf *name, size_t len)
{
	rung_buf_cstr(name);
	name->len = len;
	name->data[len] = '\0';
}

void
rung_batch_params_json(struct rung_batch *b, uint32_t t,
    struct rung_buf *name, struct json_object *obj,
    int (*skip)(struct json_object *))
{
	struct lh_entry		*e;
	struct json_object	*v;
	size_t			 len = name->len;

	for (e = lh_table_head(json_object_get_object(obj)); e != NULL;
	    e = lh_entry_next(e)) {
		v = lh_entry_v(e);
		name_cut(name, len);
		rung_buf_addstr(name, lh_entry_k(e));
		if (json_object_is_type(v, json_type_object)) {
			if (skip != NULL && skip(v))
				continue;
			rung_buf_addc(name, '/');
			rung_batch_params_json(b, t, name, v, skip);
		} else
			rung_batch_param_json(b, t, name->data, v);
	}
	name_cut(name, len);
}

int
rung_json_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Line and column (1-based, in characters) of byte off of s. */
void
rung_json_line_col(const char *s, size_t off, size_t *line, size_t *col)
{
	size_t	 i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)s[i] & 0xc0) != 0x80)
			(*col)++;
	}
}

const char *
rung_json_type_name(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
	case json_type_int:
		return "a number";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "an unknown value";
}

int
rung_json_is_number(struct json_object *v)
{
	return json_object_is_type(v, json_type_double) ||
	    json_object_is_type(v, json_type_int);
}

int
rung_json_find(struct json_object *obj, const char *path, char sep,
    struct json_object **out)
{
	struct json_object	*v;
	const char		*p;
	char			*key;
	int			 found;

	if (!json_object_is_type(obj, json_type_object))
		return 0;
	/* A key holding the separator itself wins over a path. */
	if (json_object_object_get_ex(obj, path, out))
		return 1;
	for (p = strchr(path, sep); p != NULL; p = strchr(p + 1, sep)) {
		key = xstrndup(path, (size_t)(p - path));
		found = json_object_object_get_ex(obj, key, &v);
		free(key);
		if (found && rung_json_find(v, p + 1, sep, out))
			return 1;
	}
	return 0;
}

#define TOKEN_MAX	((size_t)RUNG_JSON_TOKEN_MAX_MIB << 20)
#define LINE_MAX_BYTES	((size_t)RUNG_JSON_LINE_MAX_MIB << 20)
#define DOC_MAX		((uint64_t)INT_MAX)
#define STR_(x)		#x
#define STR(x)		STR_(x)
#define TOO_LONG(what)	what " of more than " STR(RUNG_JSON_TOKEN_MAX_MIB) " MiB"

/* Read at a time. */
#define CHUNK		(1 << 17)

enum jlex {
	LX_OUT,		/* between tokens */
	LX_WORD,	/* a number or a bare word (true, NaN) */
	LX_STR,		/* in a string */
	LX_ESC,		/* after a backslash in a string */
	LX_HEX,		/* in the digits of \uXXXX */
	LX_SLASH,	/* after a slash: a comment begins */
	LX_LINECOM,	/* in a // comment */
	LX_COM,		/* in a block comment */
	LX_COMSTAR,	/* after a star in a block comment */
};

/*
 * Offsets ending in abs count bytes from the start of the text, for
 * rung_json_parse; lines and columns are what a file's messages give. The
 * column and the length of a token are worked out from offsets when they
 * are needed, so that the common bytes cost a table lookup each.
 */
struct jscan {
	enum jlex	 lx;
	char		 quote;		/* of the string */
	int		 nhex;		/* \u digits read */
	int		 zero;		/* and all of them 0 */
	const char	*toolong;	/* "a string of more than 64 MiB" */
	size_t		 tokabs, tokline, tokcol;
	size_t		 escabs, escline, esccol;

	unsigned	 need;		/* UTF-8 continuation bytes to come */
	unsigned	 seqlen;
	uint32_t	 cp;
	size_t		 seqoff;	/* where its first byte is in p */
	size_t		 seqabs, seqline, seqcol;

	size_t		 abs;		/* of p[0] */
	size_t		 line;		/* of the next byte */
	size_t		 linestart;	/* where the line begins */
	size_t		 ncont;		/* UTF-8 continuation bytes in it */
};

/* A value being read: json-c, and the scanner ahead of it. */
struct jval {
	struct json_tokener	*tok;
	struct jscan		 sc;
	int			 begun;	/* a byte other than a blank */
	int			 done;	/* the value is complete */
	struct json_object	*value;

	struct rung_jsonin_fault f;	/* when feed or finish fail */
	size_t			 abs;	/* where */
};

/*
 * What ends a number or a bare word: 1 for a blank or a structural
 * character, which is no token itself; 2 for what begins another token.
 */
static const unsigned char ends_word[256] = {
	[' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1,
	['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1, [','] = 1, [':'] = 1,
	['"'] = 2, ['\''] = 2, ['/'] = 2,
};

static void
jval_init(struct jval *v, struct json_tokener *tok)
{
	memset(v, 0, sizeof *v);
	v->tok = tok;
	v->sc.line = 1;
	json_tokener_reset(tok);
}

/* The column (in characters) of the byte at abs, on the current line. */
static size_t
jscan_col(const struct jscan *s, size_t abs)
{
	return abs - s->linestart - s->ncont + 1;
}

static int
fault(struct jval *v, size_t abs, size_t line, size_t col, int syntax,
    const char *msg)
{
	v->abs = abs;
	v->f.line = line;
	v->f.col = col;
	v->f.syntax = syntax;
	v->f.limit = 0;
	v->f.msg = msg;
	return -1;
}

static void
token_begin(struct jscan *s, enum jlex lx, size_t abs, const char *toolong)
{
	s->lx = lx;
	s->toolong = toolong;
	s->tokabs = abs;
	s->tokline = s->line;
	s->tokcol = jscan_col(s, abs);
}

/*
 * Is the UTF-8 sequence just completed one? The lead byte ruled out C0, C1
 * and F5 to FF; what is left is the overlong three- and four-byte forms,
 * surrogates and what lies past U+10FFFF.
 */
static int
utf8_ok(const struct jscan *s)
{
	if (s->seqlen == 3)
		return s->cp >= 0x800 && (s->cp < 0xd800 || s->cp > 0xdfff);
	if (s->seqlen == 4)
		return s->cp >= 0x10000 && s->cp <= 0x10ffff;
	return 1;
}

/*
 * Does the token being read hold more than TOKEN_MAX bytes before abs
 * (its closing quote, say, not counted)? Then *bad is where, in p.
 */
static int
too_long(const struct jscan *s, size_t abs, size_t *bad)
{
	if (s->lx == LX_OUT || abs - s->tokabs <= TOKEN_MAX)
		return 0;
	*bad = s->tokabs + TOKEN_MAX - s->abs;
	return 1;
}

/*
 * Scan p[0..n) of the value v is reading. Returns n, or the offset of the
 * first byte json-c must not be given, with v's fault set.
 */
static size_t
jscan(struct jval *v, const char *p, size_t n)
{
	struct jscan		*s = &v->sc;
	const unsigned char	*u = (const unsigned char *)p;
	unsigned char		 b;
	size_t			 i, bad;

	s->seqoff = 0;		/* a sequence begun before p */
	for (i = 0; i < n; i++) {
		/*
		 * Most bytes change nothing in the state they are in: between
		 * tokens, blanks and structural characters but a line end; in
		 * a string, printable ASCII but a backslash and the quote; in
		 * a number or a word, printable ASCII that does not end it.
		 */
		if (s->need == 0) {
			switch (s->lx) {
			case LX_OUT:
				while (i < n && ends_word[u[i]] == 1 &&
				    u[i] != '\n')
					i++;
				break;
			case LX_STR:
				while (i < n && u[i] >= 0x20 && u[i] < 0x7f &&
				    u[i] != '\\' && p[i] != s->quote)
					i++;
				break;
			case LX_WORD:
				while (i < n && u[i] > 0x20 && u[i] < 0x7f &&
				    !ends_word[u[i]])
					i++;
				break;
			default:
				break;
			}
			if (i == n)
				break;
		}
		b = u[i];
		/* Every token ends, or goes on, here. */
		if (too_long(s, s->abs + i, &bad))
			goto too_long;

		/* UTF-8. */
		if (s->need > 0) {
			if ((b & 0xc0) != 0x80)
				goto bad_utf8;
			s->cp = (s->cp << 6) | (b & 0x3f);
			if (--s->need == 0 && !utf8_ok(s))
				goto bad_utf8;
			s->ncont++;
		} else if (b >= 0x80) {
			s->seqoff = i;
			s->seqabs = s->abs + i;
			s->seqline = s->line;
			s->seqcol = jscan_col(s, s->seqabs);
			if (b >= 0xc2 && b <= 0xdf) {
				s->seqlen = 2;
				s->cp = b & 0x1f;
			} else if (b >= 0xe0 && b <= 0xef) {
				s->seqlen = 3;
				s->cp = b & 0x0f;
			} else if (b >= 0xf0 && b <= 0xf4) {
				s->seqlen = 4;
				s->cp = b & 0x07;
			} else
				goto bad_utf8;
			s->need = s->seqlen - 1;
		} else if (b == '\0') {
			fault(v, s->abs + i, s->line, jscan_col(s, s->abs + i),
			    0, "a NUL byte: not a JSON text file (UTF-16 text? "
			    "convert it with iconv -f UTF-16 -t UTF-8)");
			return i;
		}

		/* Tokens. */
	again:
		switch (s->lx) {
		case LX_OUT:
			if (b == '"' || b == '\'') {
				token_begin(s, LX_STR, s->abs + i,
				    TOO_LONG("a string"));
				s->quote = (char)b;
			} else if (b == '/')
				token_begin(s, LX_SLASH, s->abs + i,
				    TOO_LONG("a comment"));
			else if (!ends_word[b])
				token_begin(s, LX_WORD, s->abs + i,
				    TOO_LONG("a number"));
			break;
		case LX_WORD:
			if (ends_word[b]) {
				s->lx = LX_OUT;
				goto again;
			}
			break;
		case LX_STR:
			if (b == '\\') {
				s->lx = LX_ESC;
				s->escabs = s->abs + i;
				s->escline = s->line;
				s->esccol = jscan_col(s, s->escabs);
			} else if (b == (unsigned char)s->quote)
				s->lx = LX_OUT;
			break;
		case LX_ESC:
			if (b == 'u') {
				s->lx = LX_HEX;
				s->nhex = 0;
				s->zero = 1;
			} else
				s->lx = LX_STR;
			break;
		case LX_HEX:
			if (b != '0')
				s->zero = 0;
			if (++s->nhex == 4) {
				s->lx = LX_STR;
				if (s->zero) {
					fault(v, s->escabs, s->escline,
					    s->esccol, 0, "a string holding "
					    "\\u0000 (a NUL character), which "
					    "rung cannot store");
					return i;
				}
			}
			break;
		case LX_SLASH:
			if (b == '*')
				s->lx = LX_COM;
			else if (b == '/')
				s->lx = LX_LINECOM;
			else {
				/* No comment: json-c says what it is. */
				s->lx = LX_OUT;
				goto again;
			}
			break;
		case LX_LINECOM:
			if (b == '\n')
				s->lx = LX_OUT;
			break;
		case LX_COM:
			if (b == '*')
				s->lx = LX_COMSTAR;
			break;
		case LX_COMSTAR:
			if (b == '/')
				s->lx = LX_OUT;
			else if (b != '*')
				s->lx = LX_COM;
			break;
		}
		if (b == '\n') {
			s->line++;
			s->linestart = s->abs + i + 1;
			s->ncont = 0;
		}
	}
	if (too_long(s, s->abs + n, &bad))
		goto too_long;
	s->abs += n;
	return n;

too_long:
	fault(v, s->tokabs, s->tokline, s->tokcol, 0, s->toolong);
	v->f.limit = 1;
	return bad;

bad_utf8:
	/* Where the sequence began: at i for a byte that begins none. */
	fault(v, s->seqabs, s->seqline, s->seqcol, 1, "text that is not UTF-8");
	return s->seqoff;
}

/* Line and column of p[off], p starting at line, col. */
static void
advance(const char *p, size_t off, size_t *line, size_t *col)
{
	size_t	 i;

	for (i = 0; i < off; i++) {
		if (p[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)p[i] & 0xc0) != 0x80)
			(*col)++;
	}
}

/* Only blanks may follow a value: the first that is not, or n. */
static size_t
skip_blanks(const char *p, size_t k, size_t n)
{
	while (k < n && rung_json_blank(p[k]))
		k++;
	return k;
}

/*
 * Hand p[0..n) of the value being read to the scanner, then what the
 * scanner let through to json-c: of two errors, the first in the text is
 * told.
 */
static int
feed(struct jval *v, const char *p, size_t n)
{
	struct json_object	*o;
	enum json_tokener_error	 te;
	size_t			 line = v->sc.line, abs = v->sc.abs;
	size_t			 col = jscan_col(&v->sc, abs), good, k;

	/* json-c's error, if any, comes before the scanner's: it wins. */
	good = jscan(v, p, n);
	if (v->done) {
		if ((k = skip_blanks(p, 0, good)) < good)
			goto trailing;
	} else if (good > 0) {
		if (!v->begun && skip_blanks(p, 0, good) < good)
			v->begun = 1;
		o = json_tokener_parse_ex(v->tok, p, (int)good);
		te = json_tokener_get_error(v->tok);
		if (te == json_tokener_success) {
			v->done = 1;
			v->value = o;
			k = skip_blanks(p, json_tokener_get_parse_end(v->tok),
			    good);
			if (k < good)
				goto trailing;
		} else if (te != json_tokener_continue) {
			k = json_tokener_get_parse_end(v->tok);
			advance(p, k, &line, &col);
			return fault(v, abs + k, line, col, 1,
			    json_tokener_error_desc(te));
		}
	}
	if (good < n)
		return -1;	/* the scanner's fault */
	return 0;

trailing:
	advance(p, k, &line, &col);
	return fault(v, abs + k, line, col, 1,
	    "unexpected text after the value");
}

/*
 * The text of the value ends (the end of its line, or of the file):
 * complete it. With blank_ok, 0 and v->done unset for a blank line.
 */
static int
finish(struct jval *v, int blank_ok)
{
	struct json_object	*o;
	enum json_tokener_error	 te;

	if (v->sc.need > 0) {
		/* The text ends inside a UTF-8 sequence. */
		return fault(v, v->sc.seqabs, v->sc.seqline, v->sc.seqcol, 1,
		    "text that is not UTF-8");
	}
	if (v->done || (blank_ok && !v->begun))
		return 0;
	/* A number at the very end is complete only after a blank. */
	o = json_tokener_parse_ex(v->tok, " ", 1);
	te = json_tokener_get_error(v->tok);
	if (te == json_tokener_success) {
		v->done = 1;
		v->value = o;
		return 0;
	}
	return fault(v, v->sc.abs, v->sc.line, jscan_col(&v->sc, v->sc.abs), 1,
	    te == json_tokener_continue ? "unexpected end of input" :
	    json_tokener_error_desc(te));
}

int
rung_json_parse(struct json_tokener *tok, const char *s, size_t len,
    struct json_object **out, size_t *off, const char **msg)
{
	struct jval	 v;

	if (len > INT_MAX) {
		*off = 0;
		*msg = "too large for one JSON value (more than 2 GiB)";
		return -1;
	}
	jval_init(&v, tok);
	if (feed(&v, s, len) != 0 || finish(&v, 0) != 0) {
		json_object_put(v.value);
		*off = v.abs;
		*msg = v.f.msg;
		return -1;
	}
	*out = v.value;
	return 0;
}

struct rung_jsonin {
	char			*path;
	int			 flags;
	gzFile			 gz;
	struct json_tokener	*tok;
	struct jval		 v;

	char			*buf;
	size_t			 pos;		/* unread: buf[pos..len) */
	size_t			 len;
	int			 started;	/* a first chunk was read */
	int			 eof;
	int			 ended;		/* every value was returned */
	uint64_t		 total;

	size_t			 lineno;	/* of the line being read */
	size_t			 linelen;
	int			 lineend;	/* its line end was read */
	size_t			 vline;		/* of the value returned */
	int			 failed;	/* 1: the text, 2: the file */

	struct rung_progress	 pg;
};

struct rung_jsonin *
rung_jsonin_open(const char *path, int flags, char **cause)
{
	struct rung_jsonin	*r;
	struct json_tokener	*tok;
	struct stat		 sb;
	gzFile			 gz;

	errno = 0;
	if ((gz = gzopen(path, "rb")) == NULL) {
		xasprintf(cause, "cannot open '%s': %s", path,
		    errno ? strerror(errno) : "out of memory");
		return NULL;
	}
	if ((tok = json_tokener_new()) == NULL) {
		gzclose(gz);
		xasprintf(cause, "%s: out of memory", path);
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	r->path = xstrdup(path);
	r->flags = flags;
	r->gz = gz;
	r->tok = tok;
	r->buf = xmalloc(CHUNK);
	r->lineno = 1;
	jval_init(&r->v, tok);
	if (flags & RUNG_JSONIN_PROGRESS) {
		/* The compressed size for .gz: gzoffset counts the same bytes. */
		rung_progress_start(&r->pg, r->path,
		    stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0);
	}
	return r;
}

void
rung_jsonin_close(struct rung_jsonin *r)
{
	if (r == NULL)
		return;
	if (r->flags & RUNG_JSONIN_PROGRESS)
		rung_progress_end(&r->pg);
	json_object_put(r->v.value);
	json_tokener_free(r->tok);
	gzclose(r->gz);
	free(r->buf);
	free(r->path);
	free(r);
}

/* A truncated gzip stream is no failed read: zlib says so once at the end. */
static int
read_failed(struct rung_jsonin *r, int n, char **cause)
{
	const char	*msg;
	int		 errnum;

	msg = gzerror(r->gz, &errnum);
	if (n >= 0 && (errnum == Z_OK || errnum == Z_STREAM_END))
		return 0;
	if (errnum == Z_BUF_ERROR)
		xasprintf(cause, "cannot read '%s': the gzip data is "
		    "truncated", r->path);
	else
		xasprintf(cause, "cannot read '%s': %s", r->path,
		    errnum == Z_ERRNO ? strerror(errno) : msg);
	return 1;
}

/* Text to read in buf[pos..len): 1, or 0 at the end, or -1 with *cause. */
static int
fill(struct rung_jsonin *r, char **cause)
{
	int	 n;

	while (r->pos == r->len) {
		if (r->eof)
			return 0;
		if ((n = gzread(r->gz, r->buf, CHUNK)) <= 0) {
			if (read_failed(r, n, cause))
				return -1;
			r->eof = 1;
			return 0;
		}
		r->pos = 0;
		r->len = (size_t)n;
		/* A byte-order mark, as some Windows tools write. */
		if (!r->started && r->len >= 3 &&
		    memcmp(r->buf, "\xef\xbb\xbf", 3) == 0)
			r->pos = 3;
		r->started = 1;
		r->total += r->len - r->pos;
		if (r->flags & RUNG_JSONIN_PROGRESS)
			rung_progress_update(&r->pg, (uint64_t)gzoffset(r->gz));
		if (!(r->flags & RUNG_JSONIN_LINES) && r->total > DOC_MAX) {
			xasprintf(cause, "%s: too large for one JSON document "
			    "(more than 2 GiB); write JSON Lines", r->path);
			return -1;
		}
	}
	return 1;
}

/* The text failed: "FILE:LINE:COL: what". */
static int
text_failed(struct rung_jsonin *r, char **cause)
{
	const struct rung_jsonin_fault *f = &r->v.f;
	char		 col[32] = "";

	r->failed = 1;
	if (f->col != 0)
		snprintf(col, sizeof col, ":%zu", f->col);
	xasprintf(cause, "%s:%zu%s: %s%s%s", r->path, f->line, col,
	    f->syntax ? "invalid JSON: " : "", f->msg,
	    f->limit ? ": not a file of trials" : "");
	return -1;
}

static int
next_document(struct rung_jsonin *r, struct json_object **out, char **cause)
{
	int	 rc;

	while ((rc = fill(r, cause)) > 0) {
		if (feed(&r->v, r->buf + r->pos, r->len - r->pos) != 0)
			return text_failed(r, cause);
		r->pos = r->len;
	}
	if (rc < 0) {
		r->failed = 2;
		return -1;
	}
	r->ended = 1;
	if (finish(&r->v, 0) != 0)
		return text_failed(r, cause);
	*out = r->v.value;
	r->v.value = NULL;
	r->vline = 1;
	return 1;
}

/* On to the next line: json-c and the scanner start afresh. */
static void
next_line(struct rung_jsonin *r)
{
	struct jval	*v = &r->v;

	json_object_put(v->value);
	v->value = NULL;
	v->done = v->begun = 0;
	json_tokener_reset(v->tok);
	/* The line end itself: a string never spans two lines. */
	v->sc.lx = LX_OUT;
	v->sc.abs++;
	v->sc.line++;
	v->sc.linestart = v->sc.abs;
	v->sc.ncont = 0;
	r->lineno++;
	r->linelen = 0;
	r->lineend = 0;
}

/*
 * The line being read ended, at a line end or at the end of the file: 1
 * with its value, 0 for a blank line, -1 with *cause.
 */
static int
line_done(struct rung_jsonin *r, struct json_object **out, char **cause)
{
	if (finish(&r->v, 1) != 0)
		return text_failed(r, cause);
	if (!r->v.done) {
		/* The end of the file after a line end is no line. */
		if ((r->flags & RUNG_JSONIN_NOBLANK) &&
		    !(r->eof && r->linelen == 0)) {
			fault(&r->v, r->v.sc.abs, r->lineno, 0, 1,
			    r->linelen == 0 ? "an empty line" : "a blank line");
			return text_failed(r, cause);
		}
		next_line(r);
		return 0;
	}
	*out = r->v.value;
	r->v.value = NULL;
	r->vline = r->lineno;
	next_line(r);
	return 1;
}

static int
next_jsonl(struct rung_jsonin *r, struct json_object **out, char **cause)
{
	const char	*p, *nl;
	size_t		 n;
	int		 rc;

	for (;;) {
		if ((rc = fill(r, cause)) < 0) {
			r->failed = 2;
			return -1;
		}
		if (rc == 0) {
			r->ended = 1;
			r->lineend = 1;
			return line_done(r, out, cause);
		}
		p = r->buf + r->pos;
		n = r->len - r->pos;
		if ((nl = memchr(p, '\n', n)) != NULL)
			n = (size_t)(nl - p);
		if (n > LINE_MAX_BYTES - r->linelen) {
			fault(&r->v, r->v.sc.abs, r->lineno, 0, 0,
			    "a line of more than " STR(RUNG_JSON_LINE_MAX_MIB)
			    " MiB");
			r->v.f.limit = 1;
			return text_failed(r, cause);
		}
		r->linelen += n;
		if (n > 0 && feed(&r->v, p, n) != 0)
			return text_failed(r, cause);
		r->pos += n;
		if (nl == NULL)
			continue;
		r->pos++;
		r->lineend = 1;
		if ((rc = line_done(r, out, cause)) != 0)
			return rc;
	}
}

int
rung_jsonin_next(struct rung_jsonin *r, struct json_object **out,
    char **cause)
{
	*out = NULL;
	if (r->failed) {
		xasprintf(cause, "%s: read after an error", r->path);
		return -1;
	}
	if (r->ended)
		return 0;
	if (r->flags & RUNG_JSONIN_LINES)
		return next_jsonl(r, out, cause);
	return next_document(r, out, cause);
}

size_t
rung_jsonin_line(const struct rung_jsonin *r)
{
	return r->vline;
}

const struct rung_jsonin_fault *
rung_jsonin_fault(const struct rung_jsonin *r)
{
	return r->failed == 1 ? &r->v.f : NULL;
}

int
rung_jsonin_last_line(struct rung_jsonin *r)
{
	const char	*nl;
	char		*cause = NULL;
	int		 rc;

	if (r->failed != 1 || !(r->flags & RUNG_JSONIN_LINES))
		return 0;
	while (!r->lineend) {
		if ((rc = fill(r, &cause)) <= 0) {
			free(cause);
			return rc == 0;	/* the end of the file ends it */
		}
		nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
		if (nl == NULL)
			r->pos = r->len;
		else {
			r->pos = (size_t)(nl - r->buf) + 1;
			r->lineend = 1;
		}
	}
	rc = fill(r, &cause);
	free(cause);
	return rc == 0;
}
