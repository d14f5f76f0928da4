/*
 * Python literals into json-c values; see rung/pylit.h. A recursive
 * descent over the few forms that repr() writes for numbers, strings,
 * lists, tuples and dicts. Python's ast.literal_eval is the reference: the
 * tests parse the same cells with it.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rung/pylit.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

struct lit {
	const char	*s;
	size_t		 len;
	size_t		 pos;
	const char	*msg;
	size_t		 off;
	int		 depth;
};

static int	value(struct lit *, json_object **);

static void
blanks(struct lit *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' ||
	    p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
	    p->s[p->pos] == '\r'))
		p->pos++;
}

static int
fail(struct lit *p, const char *msg)
{
	if (p->msg == NULL) {
		p->msg = msg;
		p->off = p->pos;
	}
	return -1;
}

static int
is_word(const struct lit *p, const char *w)
{
	size_t	 n = strlen(w);
	char	 c;

	if (p->len - p->pos < n || memcmp(p->s + p->pos, w, n) != 0)
		return 0;
	if (p->pos + n == p->len)
		return 1;
	c = p->s[p->pos + n];
	return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_');
}

static int
number(struct lit *p, json_object **out)
{
	size_t	 start = p->pos, end;
	int	 neg = 0;
	int64_t	 iv;
	double	 d;

	if (p->s[p->pos] == '-' || p->s[p->pos] == '+') {
		neg = p->s[p->pos] == '-';
		p->pos++;
	}
	if (is_word(p, "nan")) {
		p->pos += 3;
		*out = json_object_new_double(NAN);
		return 0;
	}
	if (is_word(p, "inf") || is_word(p, "Infinity")) {
		p->pos += p->s[p->pos] == 'I' ? 8 : 3;
		*out = json_object_new_double(neg ? -INFINITY : INFINITY);
		return 0;
	}
	for (end = p->pos; end < p->len && ((p->s[end] >= '0' &&
	    p->s[end] <= '9') || p->s[end] == '.' || p->s[end] == 'e' ||
	    p->s[end] == 'E' || p->s[end] == '_' ||
	    ((p->s[end] == '-' || p->s[end] == '+') && end > p->pos &&
	    (p->s[end - 1] == 'e' || p->s[end - 1] == 'E'))); end++)
		;
	if (end == p->pos)
		return fail(p, "a value");
	/* Python allows 1_000; no file of curves writes it. */
	if (memchr(p->s + p->pos, '_', end - p->pos) != NULL)
		return fail(p, "a number without underscores");
	if (rung_is_int_text(p->s + start, end - start) &&
	    rung_parse_int64(p->s + start, end - start, &iv) == 0)
		*out = json_object_new_int64(iv);
	else if (rung_parse_double(p->s + start, end - start, &d) == 0 &&
	    isfinite(d))
		*out = json_object_new_double(d);
	else
		return fail(p, "a number");
	p->pos = end;
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A code point as UTF-8 into b. */
static void
add_utf8(struct rung_buf *b, uint32_t cp)
{
	if (cp < 0x80)
		rung_buf_addc(b, (char)cp);
	else if (cp < 0x800) {
		rung_buf_addc(b, (char)(0xc0 | cp >> 6));
		rung_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		rung_buf_addc(b, (char)(0xe0 | cp >> 12));
		rung_buf_addc(b, (char)(0x80 | (cp >> 6 & 0x3f)));
		rung_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		rung_buf_addc(b, (char)(0xf0 | cp >> 18));
		rung_buf_addc(b, (char)(0x80 | (cp >> 12 & 0x3f)));
		rung_buf_addc(b, (char)(0x80 | (cp >> 6 & 0x3f)));
		rung_buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

static int
escape(struct lit *p, struct rung_buf *b)
{
	static const char from[] = "\\'\"abfnrtv", to[] = "\\'\"\a\b\f\n\r\t\v";
	const char	*k;
	uint32_t	 cp = 0;
	int		 n, h;

	if (p->pos >= p->len)
		return fail(p, "an escape");
	if ((k = strchr(from, p->s[p->pos])) != NULL && *k != '\0') {
		rung_buf_addc(b, to[k - from]);
		p->pos++;
		return 0;
	}
	switch (p->s[p->pos]) {
	case 'x':
		n = 2;
		break;
	case 'u':
		n = 4;
		break;
	case 'U':
		n = 8;
		break;
	default:
		return fail(p, "an escape Python knows (\\n, \\x41, \\u00e9, "
		    "...)");
	}
	p->pos++;
	while (n-- > 0) {
		if (p->pos >= p->len || (h = hexval(p->s[p->pos])) < 0)
			return fail(p, "a hexadecimal digit");
		cp = cp << 4 | (uint32_t)h;
		p->pos++;
	}
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return fail(p, "a Unicode code point");
	add_utf8(b, cp);
	return 0;
}

static int
string(struct lit *p, json_object **out)
{
	struct rung_buf	 b = { 0 };
	char		 q = p->s[p->pos++];

	for (;;) {
		if (p->pos >= p->len || p->s[p->pos] == '\n') {
			rung_buf_release(&b);
			return fail(p, "the end of the string");
		}
		if (p->s[p->pos] == q)
			break;
		if (p->s[p->pos] == '\\') {
			p->pos++;
			if (escape(p, &b) != 0) {
				rung_buf_release(&b);
				return -1;
			}
			continue;
		}
		rung_buf_addc(&b, p->s[p->pos++]);
	}
	p->pos++;
	*out = json_object_new_string_len(b.data != NULL ? b.data : "",
	    (int)b.len);
	rung_buf_release(&b);
	return 0;
}

/* A list, tuple or dict: its items up to close, a trailing comma allowed. */
static int
items(struct lit *p, char close, json_object *into)
{
	json_object	*k, *v;

	for (;;) {
		blanks(p);
		if (p->pos < p->len && p->s[p->pos] == close) {
			p->pos++;
			return 0;
		}
		if (close != '}') {
			if (value(p, &v) != 0)
				return -1;
			json_object_array_add(into, v);
		} else {
			if (p->pos >= p->len || (p->s[p->pos] != '\'' &&
			    p->s[p->pos] != '"'))
				return fail(p, "a string key");
			if (string(p, &k) != 0)
				return -1;
			blanks(p);
			if (p->pos >= p->len || p->s[p->pos] != ':') {
				json_object_put(k);
				return fail(p, "':'");
			}
			p->pos++;
			if (value(p, &v) != 0) {
				json_object_put(k);
				return -1;
			}
			json_object_object_add(into, json_object_get_string(k),
			    v);
			json_object_put(k);
		}
		blanks(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == close) {
			p->pos++;
			return 0;
		}
		return fail(p, close == ']' ? "',' or ']'" : close == ')' ?
		    "',' or ')'" : "',' or '}'");
	}
}

static int
value(struct lit *p, json_object **out)
{
	json_object	*c;
	char		 ch;

	*out = NULL;
	blanks(p);
	if (p->pos >= p->len)
		return fail(p, "a value");
	ch = p->s[p->pos];
	if (ch == '[' || ch == '(' || ch == '{') {
		if (++p->depth > RUNG_PYLIT_MAX_DEPTH)
			return fail(p, "less nesting");
		p->pos++;
		c = ch == '{' ? json_object_new_object() :
		    json_object_new_array();
		if (items(p, ch == '[' ? ']' : ch == '(' ? ')' : '}', c) != 0) {
			json_object_put(c);
			return -1;
		}
		p->depth--;
		*out = c;
		return 0;
	}
	if (ch == '\'' || ch == '"')
		return string(p, out);
	if (is_word(p, "None") || is_word(p, "null")) {
		p->pos += 4;
		return 0;
	}
	if (is_word(p, "True") || is_word(p, "true")) {
		p->pos += 4;
		*out = json_object_new_boolean(1);
		return 0;
	}
	if (is_word(p, "False") || is_word(p, "false")) {
		p->pos += 5;
		*out = json_object_new_boolean(0);
		return 0;
	}
	if (is_word(p, "NaN")) {
		p->pos += 3;
		*out = json_object_new_double(NAN);
		return 0;
	}
	return number(p, out);
}

int
rung_pylit_parse(const char *s, size_t len, json_object **out, size_t *off,
    const char **msg)
{
	struct lit	 p;

	memset(&p, 0, sizeof p);
	p.s = s;
	p.len = len;
	*out = NULL;
	if (value(&p, out) == 0) {
		blanks(&p);
		if (p.pos == p.len)
			return 0;
		fail(&p, "the end of the value");
	}
	json_object_put(*out);
	*out = NULL;
	*off = p.off;
	*msg = p.msg != NULL ? p.msg : "a value";
	return -1;
}
