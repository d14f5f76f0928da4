/*
 * Reading JSON, shared by the importers that parse it (JSON files, Ray Tune
 * experiments, Optuna journals): a streaming reader that checks what json-c
 * lets through, and JSON values into a batch.
 */
#ifndef RUNG_JSONIN_H
#define RUNG_JSONIN_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

struct rung_batch;
struct rung_buf;

/*
 * Set parameter name of trial t from a JSON value, typed as written: an
 * integer is int (real beyond int64), a double real, a string or a boolean
 * ("true", "false") categorical, a list or object its compact JSON text;
 * null leaves it unset.
 */
void		 rung_batch_param_json(struct rung_batch *, uint32_t t,
		     const char *name, struct json_object *v);
/*
 * Set the members of a JSON object as parameters of trial t, each by
 * rung_batch_param_json, named after what *name holds, nested objects
 * joining their names with '/'; *name is left as it was. A nested object
 * skip (when not NULL) says yes to is left out.
 */
void		 rung_batch_params_json(struct rung_batch *, uint32_t t,
		     struct rung_buf *name, struct json_object *obj,
		     int (*skip)(struct json_object *));

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
 * Parse the one JSON value of s[0..len), with the checks of a file read by
 * rung_jsonin_next (UTF-8, NUL, tokens of 64 MiB at most): json-c reads the
 * NaN, Infinity and -Infinity that Python writes. On an error returns -1
 * with *off where it was found and *msg what it is.
 */
int		 rung_json_parse(struct json_tokener *, const char *s,
		     size_t len, struct json_object **out, size_t *off,
		     const char **msg);

/*
 * No trial takes a quarter of a gigabyte, nor one string, number or comment
 * 64 MiB (the limit of a CSV field): past these a file is no file of
 * trials, and is refused before it takes gigabytes. A document is at most
 * 2 GiB: json-c counts in ints.
 */
#define RUNG_JSON_TOKEN_MAX_MIB	64
#define RUNG_JSON_LINE_MAX_MIB	256

/*
 * A JSON file read as a stream, a chunk at a time, gzip-compressed or not:
 * one document, or JSON Lines (a value a line). Nothing is held but the
 * value being built.
 */
struct rung_jsonin;

#define RUNG_JSONIN_LINES	0x1	/* JSON Lines */
#define RUNG_JSONIN_NOBLANK	0x2	/* a blank line is an error */
#define RUNG_JSONIN_PROGRESS	0x4	/* draw progress (a terminal) */

/* What is wrong with the text, and where. */
struct rung_jsonin_fault {
	size_t		 line;
	size_t		 col;		/* 0: the line as a whole */
	int		 syntax;	/* json-c's verdict, or not UTF-8 */
	int		 limit;		/* past a limit */
	const char	*msg;
};

struct rung_jsonin *rung_jsonin_open(const char *path, int flags,
		     char **cause);
/*
 * The next value: 1 with *out (the caller's to put), 0 at the end, -1 with
 * *cause ("FILE:LINE:COL: invalid JSON: ...").
 */
int		 rung_jsonin_next(struct rung_jsonin *,
		     struct json_object **out, char **cause);
/* The line the last value read began on. */
size_t		 rung_jsonin_line(const struct rung_jsonin *);
/*
 * After rung_jsonin_next failed: the fault of the text, for a caller that
 * words it otherwise; NULL when the file could not be read.
 */
const struct rung_jsonin_fault *rung_jsonin_fault(const struct rung_jsonin *);
/*
 * After rung_jsonin_next failed on the text of a line: 1 if that line is
 * the last of the file (nothing follows its line end), read to see.
 */
int		 rung_jsonin_last_line(struct rung_jsonin *);
void		 rung_jsonin_close(struct rung_jsonin *);

#endif
