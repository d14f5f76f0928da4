/*
 * Python literals, as pandas and Python's str() write lists into CSV cells
 * (LCDB's "[16, 23, 32]", "['accuracy', 'loss']", "[[0.5, nan]]"), and JSON
 * written the same way: read as json-c values so that the code that stores
 * JSON values takes them as they are.
 */
#ifndef RUNG_PYLIT_H
#define RUNG_PYLIT_H

#include <stddef.h>

#include <json-c/json.h>

/* Nesting deeper than any learning curve's cell. */
#define RUNG_PYLIT_MAX_DEPTH	32

/*
 * Parse the one value of s[0..len): lists [..] and tuples (..) as arrays,
 * dicts {..} as objects (string keys), numbers as Python writes them
 * (nan, inf, -inf included, ints as ints), strings in single or double
 * quotes with Python's escapes, None and null as null, True, False, true
 * and false as booleans. Blanks around tokens are allowed. 0 with *out
 * (the caller's to put), or -1 with *off the byte where parsing failed and
 * *msg what was expected there.
 */
int	 rung_pylit_parse(const char *s, size_t len, json_object **out,
	     size_t *off, const char **msg);

#endif
