/*
 * A folder per run: the log of a run (Lightning's version_N/metrics.csv,
 * Keras' training.log, any long CSV or JSON Lines) is read by its own
 * format, and its parameters come from the files the tools write beside
 * it or above it:
 *
 *	hparams.yaml			Lightning's save_hyperparameters
 *	config.yaml			many a training script
 *	.hydra/config.yaml		Hydra: the composed config of the job
 *	.hydra/overrides.yaml		Hydra: "key=value" of the sweep
 *	params.json, args.json		argparse dumps, Ray Tune's params.json
 *
 * A run of Hydra's multirun keeps .hydra/ in its job folder and the log
 * may lie deeper (0/lightning_logs/version_0/metrics.csv), so the folders
 * from the log's up to the folder given to import are searched, and a
 * nearer file wins over a farther one.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/jsonin.h"
#include "rung/util.h"
#include "rung/xmalloc.h"
#include "rung/yamlin.h"

/* The parameter files of a folder, in the order they are applied. */
static const char *param_files[] = { "config.yaml", ".hydra/config.yaml",
	".hydra/overrides.yaml", "params.json", "args.json", "hparams.yaml",
	NULL };

int
rung_runs_param_file(const char *path)
{
	const char	*base = strrchr(path, '/');
	size_t		 i;

	base = base != NULL ? base + 1 : path;
	for (i = 0; param_files[i] != NULL; i++) {
		if (strchr(param_files[i], '/') == NULL &&
		    strcmp(base, param_files[i]) == 0)
			return 1;
	}
	return 0;
}

static int
is_file(const char *path)
{
	struct stat	 sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static json_object *
load(const char *path, char **cause)
{
	struct rung_jsonin	*in;
	json_object		*v = NULL;
	size_t			 len = strlen(path);

	if (len > 5 && strcmp(path + len - 5, ".yaml") == 0)
		return rung_yaml_load(path, cause);
	if ((in = rung_jsonin_open(path, 0, cause)) == NULL)
		return NULL;
	if (rung_jsonin_next(in, &v, cause) <= 0)
		v = NULL;
	rung_jsonin_close(in);
	return v;
}

/* Does the config hold key ("model.lr": config["model"]["lr"])? */
static int
config_has(json_object *config, const char *key)
{
	json_object	*v = config;
	const char	*p = key, *dot;
	char		*part;
	int		 found;

	while (v != NULL && json_object_is_type(v, json_type_object)) {
		dot = strchr(p, '.');
		part = dot != NULL ? xstrndup(p, (size_t)(dot - p)) :
		    xstrdup(p);
		found = json_object_object_get_ex(v, part, &v);
		free(part);
		if (!found)
			return 0;
		if (dot == NULL)
			return 1;
		p = dot + 1;
	}
	return 0;
}

/*
 * Hydra's overrides: "lr=0.1", "+trainer.max_epochs=5", "~seed" (a
 * deletion, nothing to set). A key the composed config already holds has
 * its value there, typed; the others are set from their text.
 */
static int
overrides(struct rung_batch *b, uint32_t t0, uint32_t t1, json_object *list,
    json_object *config, const char *path, char **cause)
{
	json_object	*e;
	const char	*s, *eq;
	char		*key, *p;
	size_t		 i, n;
	uint32_t	 t, param;

	if (!json_object_is_type(list, json_type_array)) {
		xasprintf(cause, "%s: expected a list of overrides "
		    "(key=value), got %s", path, rung_json_type_name(list));
		return -1;
	}
	n = json_object_array_length(list);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(list, i);
		if (!json_object_is_type(e, json_type_string) ||
		    (eq = strchr(s = json_object_get_string(e), '=')) == NULL) {
			xasprintf(cause, "%s: override %zu: expected a string "
			    "key=value, got %s", path, i + 1, e != NULL &&
			    json_object_is_type(e, json_type_string) ?
			    json_object_get_string(e) :
			    rung_json_type_name(e));
			return -1;
		}
		while (*s == '+')
			s++;
		if (*s == '~' || eq == s)
			continue;
		key = xstrndup(s, (size_t)(eq - s));
		if (config == NULL || !config_has(config, key)) {
			/* Nested keys join with '/', as in the config. */
			for (p = key; *p != '\0'; p++) {
				if (*p == '.')
					*p = '/';
			}
			param = rung_batch_param(b, key);
			for (t = t0; t < t1; t++)
				rung_batch_param_token(b, t, param, eq + 1,
				    strlen(eq + 1));
		}
		free(key);
	}
	return 0;
}

/* The parameter files of one folder onto trials t0..t1. */
static int
folder_params(struct rung_batch *b, uint32_t t0, uint32_t t1,
    const char *dir, int *nread, char **cause)
{
	json_object	*v, *config = NULL;
	struct rung_buf	 name = { 0 };
	char		*path;
	size_t		 i;
	uint32_t	 t;
	int		 ret = 0;

	for (i = 0; ret == 0 && param_files[i] != NULL; i++) {
		path = rung_path_join(dir, param_files[i]);
		if (!is_file(path)) {
			free(path);
			continue;
		}
		*cause = NULL;
		v = load(path, cause);
		if (v == NULL && *cause != NULL)
			ret = -1;
		else if (strcmp(param_files[i], ".hydra/overrides.yaml") == 0)
			ret = v == NULL ? 0 : overrides(b, t0, t1, v, config,
			    path, cause);
		else if (v != NULL && !json_object_is_type(v,
		    json_type_object)) {
			xasprintf(cause, "%s: expected a mapping of parameters, "
			    "got %s", path, rung_json_type_name(v));
			ret = -1;
		} else if (v != NULL) {
			for (t = t0; t < t1; t++)
				rung_batch_params_json(b, t, &name, v, NULL);
		}
		if (ret == 0)
			(*nread)++;
		if (strcmp(param_files[i], ".hydra/config.yaml") == 0 &&
		    ret == 0) {
			config = v;
			v = NULL;
		}
		json_object_put(v);
		free(path);
	}
	json_object_put(config);
	rung_buf_release(&name);
	return ret;
}

int
rung_runs_dir_params(struct rung_batch *b, uint32_t t0, uint32_t t1,
    const char *dir, size_t rootlen, char **cause)
{
	char	**dirs = NULL, *d, *slash;
	size_t	  n = 0, cap = 0, i;
	int	  ret = 0, nread = 0;

	/* The folder, then each one above it down to the root. */
	d = xstrdup(dir);
	for (;;) {
		XGROW(dirs, cap, n + 1);
		dirs[n++] = xstrdup(d[0] != '\0' ? d : "/");
		if ((slash = strrchr(d, '/')) == NULL ||
		    (size_t)(slash - d) < rootlen)
			break;
		*slash = '\0';
	}
	free(d);
	/* Farthest first: a nearer file's values are the last read. */
	for (i = n; ret == 0 && i > 0; i--)
		ret = folder_params(b, t0, t1, dirs[i - 1], &nread, cause);
	for (i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
	return ret != 0 ? -1 : nread;
}

int
rung_runs_params(struct rung_batch *b, uint32_t t0, uint32_t t1,
    const char *log, size_t rootlen, char **cause)
{
	const char	*slash = strrchr(log, '/');
	char		*dir;
	int		 ret;

	dir = slash != NULL ? xstrndup(log, (size_t)(slash - log)) :
	    xstrdup(".");
	if (slash == log)
		strcpy(dir, "/");
	ret = rung_runs_dir_params(b, t0, t1, dir, slash != NULL ? rootlen : 0,
	    cause);
	free(dir);
	return ret < 0 ? -1 : 0;
}
