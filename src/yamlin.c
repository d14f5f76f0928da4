/*
 * YAML through libyaml's event parser. The documents rung reads are small
 * (a run's parameters, a run's metadata), so the whole first document is
 * built as a json-c tree and handed to the code that stores JSON
 * parameters; nothing here knows what the keys mean.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "rung/util.h"
#include "rung/xmalloc.h"
#include "rung/yamlin.h"

struct anchor {
	char		*name;
	json_object	*value;
};

struct yload {
	const char	*path;
	yaml_parser_t	 parser;
	struct anchor	*anchors;
	size_t		 nanchors;
	size_t		 cap;
	int		 depth;
};

/* Deeper than any configuration; a guard against a hostile file. */
#define YAML_MAX_DEPTH 64

static void
anchor_add(struct yload *y, const yaml_char_t *name, json_object *v)
{
	if (name == NULL)
		return;
	XGROW(y->anchors, y->cap, y->nanchors + 1);
	y->anchors[y->nanchors].name = xstrdup((const char *)name);
	y->anchors[y->nanchors++].value = json_object_get(v);
}

static json_object *
anchor_find(struct yload *y, const yaml_char_t *name)
{
	size_t	 i;

	/* The latest of a name wins: YAML lets an anchor be redefined. */
	for (i = y->nanchors; i-- > 0;) {
		if (strcmp(y->anchors[i].name, (const char *)name) == 0)
			return y->anchors[i].value;
	}
	return NULL;
}

/* A plain scalar as YAML 1.2's core schema types it. */
static json_object *
plain_scalar(const char *s, size_t len)
{
	char		*end;
	long long	 ll;
	double		 d;

	if (len == 0 || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0)
		return NULL;
	if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 ||
	    strcmp(s, "TRUE") == 0)
		return json_object_new_boolean(1);
	if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 ||
	    strcmp(s, "FALSE") == 0)
		return json_object_new_boolean(0);
	if (strcmp(s, ".inf") == 0 || strcmp(s, "+.inf") == 0 ||
	    strcmp(s, ".Inf") == 0 || strcmp(s, ".INF") == 0)
		return json_object_new_double(INFINITY);
	if (strcmp(s, "-.inf") == 0 || strcmp(s, "-.Inf") == 0 ||
	    strcmp(s, "-.INF") == 0)
		return json_object_new_double(-INFINITY);
	if (strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 ||
	    strcmp(s, ".NAN") == 0)
		return json_object_new_double(NAN);
	/* Digits only, with a sign: strtod would also take "0x1p3", "inf". */
	if (strspn(s + (*s == '-' || *s == '+'), "0123456789") ==
	    len - (*s == '-' || *s == '+') && len > (size_t)(*s == '-' ||
	    *s == '+')) {
		errno = 0;
		ll = strtoll(s, &end, 10);
		if (errno == 0 && *end == '\0')
			return json_object_new_int64(ll);
	}
	if (strspn(s, "0123456789+-.eE") == len &&
	    strpbrk(s, "0123456789") != NULL) {
		errno = 0;
		d = strtod(s, &end);
		if (*end == '\0' && errno == 0)
			return json_object_new_double(d);
	}
	return json_object_new_string_len(s, (int)len);
}

static int	node(struct yload *, yaml_event_t *, json_object **, char **);

static int
next_event(struct yload *y, yaml_event_t *ev, char **cause)
{
	if (yaml_parser_parse(&y->parser, ev))
		return 0;
	xasprintf(cause, "%s:%zu:%zu: %s%s%s", y->path,
	    y->parser.problem_mark.line + 1,
	    y->parser.problem_mark.column + 1,
	    y->parser.problem != NULL ? y->parser.problem : "not YAML",
	    y->parser.context != NULL ? " " : "",
	    y->parser.context != NULL ? y->parser.context : "");
	return -1;
}

/* The node that ev starts, read to its end into *out (NULL: a null). */
static int
node(struct yload *y, yaml_event_t *ev, json_object **out, char **cause)
{
	yaml_event_t	 sub;
	json_object	*v = NULL, *key = NULL, *item;
	const yaml_char_t *anchor = NULL;
	int		 ret = -1, end;

	*out = NULL;
	if (++y->depth > YAML_MAX_DEPTH) {
		xasprintf(cause, "%s:%zu: nested deeper than %d levels",
		    y->path, ev->start_mark.line + 1, YAML_MAX_DEPTH);
		goto out;
	}
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		if ((item = anchor_find(y, ev->data.alias.anchor)) == NULL) {
			xasprintf(cause, "%s:%zu: alias *%s of no anchor",
			    y->path, ev->start_mark.line + 1,
			    (const char *)ev->data.alias.anchor);
			goto out;
		}
		*out = json_object_get(item);
		ret = 0;
		goto out;
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			v = plain_scalar((const char *)ev->data.scalar.value,
			    ev->data.scalar.length);
		else
			v = json_object_new_string_len(
			    (const char *)ev->data.scalar.value,
			    (int)ev->data.scalar.length);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		end = ev->type == YAML_SEQUENCE_START_EVENT ?
		    YAML_SEQUENCE_END_EVENT : YAML_MAPPING_END_EVENT;
		anchor = ev->type == YAML_SEQUENCE_START_EVENT ?
		    ev->data.sequence_start.anchor :
		    ev->data.mapping_start.anchor;
		v = end == YAML_SEQUENCE_END_EVENT ? json_object_new_array() :
		    json_object_new_object();
		for (;;) {
			if (next_event(y, &sub, cause) != 0)
				goto out;
			if ((int)sub.type == end) {
				yaml_event_delete(&sub);
				break;
			}
			if (node(y, &sub, &item, cause) != 0) {
				yaml_event_delete(&sub);
				goto out;
			}
			yaml_event_delete(&sub);
			if (end == YAML_SEQUENCE_END_EVENT) {
				json_object_array_add(v, item);
				continue;
			}
			if (key == NULL) {
				/* A key: its text, whatever type it reads as. */
				key = item != NULL ? item :
				    json_object_new_string("null");
				continue;
			}
			json_object_object_add(v,
			    json_object_get_type(key) == json_type_string ?
			    json_object_get_string(key) :
			    json_object_to_json_string_ext(key,
			    JSON_C_TO_STRING_PLAIN), item);
			json_object_put(key);
			key = NULL;
		}
		break;
	default:
		xasprintf(cause, "%s:%zu: unexpected YAML event", y->path,
		    ev->start_mark.line + 1);
		goto out;
	}
	anchor_add(y, anchor, v);
	*out = v;
	v = NULL;
	ret = 0;
out:
	json_object_put(key);
	json_object_put(v);
	y->depth--;
	return ret;
}

json_object *
rung_yaml_load(const char *path, char **cause)
{
	struct yload	 y = { .path = path };
	yaml_event_t	 ev;
	json_object	*doc = NULL;
	FILE		*f;
	size_t		 i;
	int		 done = 0, ok = 0;

	*cause = NULL;
	if ((f = fopen(path, "rb")) == NULL) {
		xasprintf(cause, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	yaml_parser_initialize(&y.parser);
	yaml_parser_set_input_file(&y.parser, f);
	/* Stream start, then a document, or the stream's end (empty file). */
	while (!done) {
		if (next_event(&y, &ev, cause) != 0)
			goto out;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_START_EVENT:
			break;
		case YAML_STREAM_END_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			done = 1;
			break;
		default:
			if (node(&y, &ev, &doc, cause) != 0) {
				yaml_event_delete(&ev);
				goto out;
			}
			break;
		}
		yaml_event_delete(&ev);
	}
	ok = 1;
out:
	yaml_parser_delete(&y.parser);
	fclose(f);
	for (i = 0; i < y.nanchors; i++) {
		free(y.anchors[i].name);
		json_object_put(y.anchors[i].value);
	}
	free(y.anchors);
	if (!ok) {
		json_object_put(doc);
		return NULL;
	}
	return doc;
}
