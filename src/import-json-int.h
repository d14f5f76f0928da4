/*
 * The insides of the JSON importer shared by import-json.c (a trial per
 * object) and import-json-long.c (a step per line).
 */
#ifndef RUNG_IMPORT_JSON_INT_H
#define RUNG_IMPORT_JSON_INT_H

#include <stddef.h>

#include <json-c/json.h>

struct rung_batch;
struct rung_import_opts;
struct jlong;

int		 json_long_detect(struct json_object *first,
		     const struct rung_import_opts *);
struct jlong	*json_long_new(struct rung_batch *, const char *path,
		     const struct rung_import_opts *, char **cause);
int		 json_long_line(struct jlong *, struct json_object *,
		     size_t line);
void		 json_long_free(struct jlong *);

#endif
