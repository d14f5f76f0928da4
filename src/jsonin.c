#include "config.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

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

/*
 * Parse the one JSON value of s[0..len). json-c reads the NaN, Infinity
 * and -Infinity that Python writes. On a syntax error returns -1 with *off
 * where it was found and *msg what it is.
 */
int
rung_json_parse(struct json_tokener *tok, const char *s, size_t len,
    struct json_object **out, size_t *off, const char **msg)
{
	struct json_object	*v;
	enum json_tokener_error	 e;
	size_t			 end;

	if (len > INT_MAX) {
		*off = 0;
		*msg = "too large for one JSON value (more than 2 GiB)";
		return -1;
	}
	/*
	 * Text that is not UTF-8 would reach the database and our JSON.
	 * json-c's own check lets overlong forms (C0 AF), encoded surrogates
	 * and code points past U+10FFFF through: ours comes first.
	 */
	if (!rung_utf8_valid(s, len, off)) {
		*msg = "text that is not UTF-8";
		return -1;
	}
	json_tokener_reset(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_VALIDATE_UTF8);
	v = json_tokener_parse_ex(tok, s, (int)len);
	e = json_tokener_get_error(tok);
	if (e == json_tokener_continue) {
		/* A number at the very end is complete only after a blank. */
		v = json_tokener_parse_ex(tok, " ", 1);
		e = json_tokener_get_error(tok);
		if (e != json_tokener_success) {
			*off = len;
			*msg = e == json_tokener_continue ?
			    "unexpected end of input" :
			    json_tokener_error_desc(e);
			return -1;
		}
		end = len;
	} else if (e != json_tokener_success) {
		*off = json_tokener_get_parse_end(tok);
		*msg = json_tokener_error_desc(e);
		return -1;
	} else
		end = json_tokener_get_parse_end(tok);
	while (end < len && rung_json_blank(s[end]))
		end++;
	if (end < len) {
		json_object_put(v);
		*off = end;
		*msg = "unexpected text after the value";
		return -1;
	}
	*out = v;
	return 0;
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
