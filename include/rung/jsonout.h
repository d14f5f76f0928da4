/*
 * JSON for listings (--json) and exports, through json-c. Numbers are written
 * with the fewest digits that read back exactly. In listings a non-finite
 * value is null (strict JSON, what jq reads); in exports it is the NaN,
 * Infinity or -Infinity token Python writes, which rung reads back.
 */
#ifndef RUNG_JSONOUT_H
#define RUNG_JSONOUT_H

#include <stdio.h>
#include <json-c/json.h>

#include "rung/study.h"

json_object	*rung_json_double(double, int allow_nonfinite);
/* A parameter's value of trial t as JSON (number or string), NULL if unset. */
json_object	*rung_json_param(const struct rung_param *, uint32_t t);
/* A trial in listings: id, status, steps, points, final, best, params. */
json_object	*rung_trial_json(const struct rung_study *, uint32_t t);
/* Print and release: pretty when out is a terminal, one line otherwise. */
void		 rung_json_print(FILE *, json_object *, int pretty);

/*
 * A JSON array printed as its items come, for listings of a million rows:
 * plain, each item is printed and freed as it is added, so that the
 * output is the same bytes as rung_json_print of the whole array and
 * memory stays that of one item; pretty (a terminal), the array is built
 * and printed at the end, as json-c indents it.
 */
struct rung_json_array {
	FILE		*out;
	int		 pretty;
	size_t		 n;
	json_object	*arr;
};
void		 rung_json_array_open(struct rung_json_array *, FILE *,
		     int pretty);
void		 rung_json_array_add(struct rung_json_array *, json_object *);
void		 rung_json_array_close(struct rung_json_array *);

#endif
