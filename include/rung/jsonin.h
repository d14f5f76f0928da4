/*
 * Reading JSON values into a batch, shared by the importers that parse JSON
 * (JSON files, Ray Tune experiments).
 */
#ifndef RUNG_JSONIN_H
#define RUNG_JSONIN_H

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

#endif
