/*
 * Reading JSON values into a batch, shared by the importers that parse JSON
 * (JSON files, Ray Tune experiments).
 */
#ifndef RUNG_JSONIN_H
#define RUNG_JSONIN_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

struct rung_batch;

/*
 * Set parameter name of trial t from a JSON value, typed as written: an
 * integer is int (real beyond int64), a double real, a string or a boolean
 * ("true", "false") categorical, a list or object its compact JSON text;
 * null leaves it unset.
 */
void		 rung_batch_param_json(struct rung_batch *, uint32_t t,
		     const char *name, struct json_object *v);

/* "a number", "a string", "an array"...: for messages. */
const char	*rung_json_type_name(struct json_object *);
/* An int or a double. */
int		 rung_json_is_number(struct json_object *);
/*
 * Find path in obj: a key as it is, else keys joined by sep ("valid.loss",
 * "model/lr") through nested objects. 1 if found.
 */
int		 rung_json_find(struct json_object *obj, const char *path,
		     char sep, struct json_object **out);
/* A JSON blank: space, tab, carriage return, line feed. */
int		 rung_json_blank(char);
/* Line and column (1-based, in characters) of byte off of s. */
void		 rung_json_line_col(const char *s, size_t off, size_t *line,
		     size_t *col);
/*
 * Parse the one JSON value of s[0..len): json-c reads the NaN, Infinity and
 * -Infinity that Python writes. On a syntax error returns -1 with *off where
 * it was found and *msg what it is.
 */
int		 rung_json_parse(struct json_tokener *, const char *s,
		     size_t len, struct json_object **out, size_t *off,
		     const char **msg);

#endif
