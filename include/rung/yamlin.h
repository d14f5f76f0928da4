/*
 * Reading YAML (hparams.yaml, Hydra's config.yaml and overrides.yaml,
 * MLflow's meta.yaml) through libyaml, into the JSON values the importers
 * already know how to store as parameters.
 */
#ifndef RUNG_YAMLIN_H
#define RUNG_YAMLIN_H

#include <json-c/json.h>

/*
 * The first document of a YAML file as a JSON value: mappings become
 * objects (keys as text), sequences arrays, and plain scalars are typed as
 * YAML's core schema types them (42 an integer, 0.1 and 1e-3 numbers,
 * true and false booleans, null and ~ null, anything else a string);
 * quoted scalars stay strings. Aliases are resolved; tags (PyYAML's
 * !!python/tuple) are read for their content. NULL with *cause NULL for
 * an empty document (or a null one); NULL with *cause naming the file, line
 * and column on a syntax error.
 */
struct json_object *rung_yaml_load(const char *path, char **cause);

#endif
