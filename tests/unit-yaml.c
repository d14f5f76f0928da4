/* YAML to JSON values: what hparams.yaml, Hydra and MLflow files hold. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rung/yamlin.h"
#include "tap.h"

static char path[] = "/tmp/rung-unit-yaml-XXXXXX";

static json_object *
load(const char *text, char **cause)
{
	FILE	*f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
	return rung_yaml_load(path, cause);
}

static const char *
js(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

int
main(void)
{
	json_object	*o, *v;
	char		*cause = NULL;
	int		 fd;

	fd = mkstemp(path);
	close(fd);

	o = load("lr: 0.001\nlayers: 3\nname: resnet\nq: '42'\n"
	    "wd: 1e-4\nflag: true\nnone: ~\ninf: .inf\n"
	    "opt:\n  name: adam\n  betas: [0.5, 0.25]\n", &cause);
	ok(o != NULL && cause == NULL, "a mapping loads");
	ok(json_object_object_get_ex(o, "lr", &v) &&
	    json_object_is_type(v, json_type_double) &&
	    json_object_get_double(v) == 0.001, "0.001 is a number");
	ok(json_object_object_get_ex(o, "layers", &v) &&
	    json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) == 3, "3 is an integer");
	ok(json_object_object_get_ex(o, "q", &v) &&
	    json_object_is_type(v, json_type_string), "'42' stays a string");
	ok(json_object_object_get_ex(o, "wd", &v) &&
	    json_object_get_double(v) == 1e-4, "1e-4 is a number");
	ok(json_object_object_get_ex(o, "flag", &v) &&
	    json_object_is_type(v, json_type_boolean), "true is a boolean");
	ok(json_object_object_get_ex(o, "none", &v) && v == NULL,
	    "~ is null");
	ok(json_object_object_get_ex(o, "inf", &v) &&
	    isinf(json_object_get_double(v)), ".inf is infinite");
	v = NULL;
	json_object_object_get_ex(o, "opt", &v);
	ok(v != NULL && strcmp(js(v),
	    "{\"name\":\"adam\",\"betas\":[0.5,0.25]}") == 0,
	    "nested mapping and flow sequence: %s", js(v));
	json_object_put(o);

	o = load("base: &b {lr: 0.5, bs: 32}\nrun: *b\n", &cause);
	v = NULL;
	json_object_object_get_ex(o, "run", &v);
	ok(v != NULL && strcmp(js(v), "{\"lr\":0.5,\"bs\":32}") == 0,
	    "an alias is resolved");
	json_object_put(o);

	o = load("- a=1\n- b=two\n", &cause);
	ok(o != NULL && strcmp(js(o), "[\"a=1\",\"b=two\"]") == 0,
	    "Hydra's overrides.yaml is a list of strings");
	json_object_put(o);

	o = load("t: !!python/tuple [1, 2]\n", &cause);
	ok(o != NULL && strcmp(js(o), "{\"t\":[1,2]}") == 0,
	    "a tag is read for its content: %s", o ? js(o) : cause);
	json_object_put(o);

	o = load("", &cause);
	ok(o == NULL && cause == NULL, "an empty file is null, no error");

	o = load("a: 1\nb: [1, 2\nc: 3\n", &cause);
	ok(o == NULL && cause != NULL && strstr(cause, path) != NULL &&
	    strstr(cause, ":3:") != NULL,
	    "a syntax error names the file and line: %s", cause);
	free(cause);
	cause = NULL;

	o = load("a: *nowhere\n", &cause);
	ok(o == NULL && cause != NULL, "an alias of no anchor is an error");
	free(cause);

	unlink(path);
	return done_testing();
}
