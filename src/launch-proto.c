/*
 * The pieces of rung launch that are plain functions of their input: the
 * protocol line, {name} in the command, the launcher's argv and the
 * environment of a trial.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rung/jsonin.h"
#include "rung/launch.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

/* The protocol line. */

void
rung_report_release(struct rung_report *r)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		free(r->keys[i]);
	free(r->keys);
	free(r->vals);
	memset(r, 0, sizeof *r);
}

int
rung_report_find(const struct rung_report *r, const char *key)
{
	size_t	 i;

	for (i = 0; i < r->n; i++) {
		if (strcmp(r->keys[i], key) == 0)
			return (int)i;
	}
	return -1;
}

/*
 * json-c reads an integer beyond 64 bits as the bound it passed (INT64_MIN
 * or UINT64_MAX) and says nothing: 99999999999999999999 would be recorded
 * as 18446744073709551615. Those two values are taken for such integers.
 */
static int
beyond_int64(json_object *v)
{
	return json_object_is_type(v, json_type_int) &&
	    (json_object_get_int64(v) == INT64_MIN ||
	    json_object_get_uint64(v) == UINT64_MAX);
}

/* The step: a whole number from 0 (3.0 is 3) below INT32_MAX. */
static int
report_step(json_object *v, int32_t *step, char **cause)
{
	char	 buf[RUNG_DBL_BUFSZ];
	int64_t	 i;
	double	 d;

	if (json_object_is_type(v, json_type_int)) {
		i = json_object_get_int64(v);
		if (beyond_int64(v)) {
			xasprintf(cause, "step is out of range");
			return -1;
		}
		if (i < 0 || i >= INT32_MAX) {
			xasprintf(cause, "step %lld is out of range",
			    (long long)i);
			return -1;
		}
		*step = (int32_t)i;
		return 0;
	}
	if (!json_object_is_type(v, json_type_double)) {
		xasprintf(cause, "step is %s, not a whole number",
		    rung_json_type_name(v));
		return -1;
	}
	d = json_object_get_double(v);
	if (!isfinite(d) || d != rint(d)) {
		/* NaN and Infinity are no fraction. */
		xasprintf(cause, "step is %s, not a whole number", isfinite(d) ?
		    "a fraction" : rung_fmt_double(d, 0, buf));
		return -1;
	}
	if (d < 0 || d >= INT32_MAX) {
		/* -1.0 and 1e10 are whole: out of range, as -1 is. */
		xasprintf(cause, "step %s is out of range",
		    rung_fmt_double(d, 0, buf));
		return -1;
	}
	*step = (int32_t)d;
	return 0;
}

/* The character (from 1, not the byte) at s + off, for messages. */
static size_t
char_at(const char *s, size_t off)
{
	size_t	 i, n = 1;

	for (i = 0; i < off; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

int
rung_report_parse(const char *line, size_t len, struct rung_report *r,
    char **cause)
{
	struct json_tokener	*tok;
	json_object		*o = NULL;
	const char		*msg, *start = line;
	size_t			 plen = strlen(RUNG_REPORT_PREFIX);
	size_t			 off, cap = 0;
	int			 have_step = 0;

	memset(r, 0, sizeof *r);
	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len < plen || memcmp(line, RUNG_REPORT_PREFIX, plen) != 0)
		return 0;
	line += plen;
	len -= plen;
	while (len > 0 && rung_json_blank(*line)) {
		line++;
		len--;
	}
	if (len == 0 || *line != '{') {
		xasprintf(cause, "a report is a JSON object after 'rung:'");
		return -1;
	}
	tok = json_tokener_new();
	if (rung_json_parse(tok, line, len, &o, &off, &msg) != 0) {
		json_tokener_free(tok);
		/*
		 * Counted from the start of the line as the trainer wrote
		 * it: the blanks before and after "rung:" are characters
		 * too, and so is each UTF-8 sequence.
		 */
		xasprintf(cause, "not JSON at character %zu: %s",
		    char_at(start, (size_t)(line - start) + off), msg);
		return -1;
	}
	json_tokener_free(tok);
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		xasprintf(cause, "a report is a JSON object after 'rung:'");
		return -1;
	}
	json_object_object_foreach(o, key, val) {
		if (strcmp(key, "step") == 0) {
			if (report_step(val, &r->step, cause) != 0)
				goto fail;
			have_step = 1;
			continue;
		}
		if (!rung_json_is_number(val))
			continue;
		if (beyond_int64(val)) {
			xasprintf(cause, "\"%s\" is an integer beyond 64 bits, "
			    "which would be read as another: write it as a "
			    "real", key);
			goto fail;
		}
		/* A metric's name is shown everywhere: no control character. */
		if (rung_name_check("metric", key, cause) != 0)
			goto fail;
		XGROW(r->keys, cap, r->n + 1);
		r->vals = xreallocarray(r->vals, cap, sizeof *r->vals);
		r->keys[r->n] = xstrdup(key);
		r->vals[r->n++] = json_object_get_double(val);
	}
	if (!have_step) {
		xasprintf(cause, "the report has no \"step\"");
		goto fail;
	}
	json_object_put(o);
	return 1;
fail:
	json_object_put(o);
	rung_report_release(r);
	return -1;
}

int
rung_report_metric(const struct rung_report *r, char **metric, char **cause)
{
	struct rung_buf	 b = { 0 };
	size_t		 i;

	if (r->n == 1) {
		*metric = xstrdup(r->keys[0]);
		return 0;
	}
	if (r->n == 0) {
		xasprintf(cause, "the first report has no number besides "
		    "\"step\"");
		return -1;
	}
	for (i = 0; i < r->n; i++)
		rung_buf_printf(&b, "%s%s", i ? ", " : "", r->keys[i]);
	xasprintf(cause, "the first report has several numbers (%s): choose "
	    "the metric with --metric", rung_buf_cstr(&b));
	rung_buf_release(&b);
	return -1;
}

/* {name} in the command. */

/* Length of a {name} at s (a '{'), 0 if there is none. */
static size_t
brace_name(const char *s)
{
	size_t	 n;

	if (*s != '{' || !(isalpha((unsigned char)s[1]) || s[1] == '_'))
		return 0;
	for (n = 2; s[n] != '\0' && s[n] != '}'; n++) {
		if (!isalnum((unsigned char)s[n]) && s[n] != '_' &&
		    s[n] != '-' && s[n] != '.')
			return 0;
	}
	return s[n] == '}' ? n + 1 : 0;
}

static int
config_find(const struct rung_config *c, const char *name, size_t len)
{
	uint32_t	 i;

	for (i = 0; c != NULL && i < c->n; i++) {
		if (strlen(c->names[i]) == len &&
		    strncmp(c->names[i], name, len) == 0)
			return (int)i;
	}
	return -1;
}

char *
rung_launch_subst(const char *arg, const struct rung_config *c,
    const char *trial)
{
	struct rung_buf	 b = { 0 };
	const char	*p;
	char		*v;
	size_t		 n;
	int		 k;

	for (p = arg; *p != '\0'; p++) {
		if ((n = brace_name(p)) == 0) {
			rung_buf_addc(&b, *p);
			continue;
		}
		if (n - 2 == 5 && strncmp(p + 1, "trial", 5) == 0 &&
		    trial != NULL) {
			rung_buf_addstr(&b, trial);
			p += n - 1;
			continue;
		}
		if ((k = config_find(c, p + 1, n - 2)) < 0) {
			rung_buf_addc(&b, *p);
			continue;
		}
		v = rung_pvalue_text(&c->v[k]);
		rung_buf_addstr(&b, v);
		free(v);
		p += n - 1;
	}
	rung_buf_addc(&b, '\0');
	return b.data;
}

int
rung_launch_subst_check(const char *arg, const struct rung_config *c,
    char **unknown)
{
	const char	*p;
	size_t		 n;

	for (p = arg; *p != '\0'; p++) {
		if ((n = brace_name(p)) == 0)
			continue;
		if ((n - 2 == 5 && strncmp(p + 1, "trial", 5) == 0) ||
		    config_find(c, p + 1, n - 2) >= 0) {
			p += n - 1;
			continue;
		}
		*unknown = xstrndup(p + 1, n - 2);
		return -1;
	}
	return 0;
}

/* Launchers. */

static const char *launcher_names[] = { "direct", "mpirun", "mpiexec",
    "srun", "sbatch" };

const char *
rung_launcher_name(enum rung_launcher l)
{
	return (size_t)l < sizeof launcher_names / sizeof *launcher_names ?
	    launcher_names[l] : "?";
}

int
rung_launcher_parse(const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof launcher_names / sizeof *launcher_names; i++) {
		if (strcmp(s, launcher_names[i]) == 0)
			return (int)i;
	}
	return -1;
}

void
rung_free_strv(char **v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

struct strv {
	char	**v;
	size_t	  n, cap;
};

static void
strv_add(struct strv *s, char *take)
{
	XGROW(s->v, s->cap, s->n + 2);
	s->v[s->n++] = take;
	s->v[s->n] = NULL;
}

char **
rung_launch_argv(const struct rung_launcher_opts *o, const char *const *vars,
    size_t nvars, char *const *cmd, size_t ncmd)
{
	struct strv	 a = { 0 };
	uint32_t	 ranks = o->ranks ? o->ranks : 1;
	size_t		 i;

	switch (o->kind) {
	case RUNG_LAUNCHER_DIRECT:
		break;
	case RUNG_LAUNCHER_MPIRUN:
		strv_add(&a, xstrdup(o->program ? o->program : "mpirun"));
		strv_add(&a, xstrdup("--bind-to"));
		strv_add(&a, xstrdup("none"));
		strv_add(&a, xstrdup("-np"));
		strv_add(&a, xprintf("%u", ranks));
		if (o->hostfile != NULL) {
			strv_add(&a, xstrdup("--hostfile"));
			strv_add(&a, xstrdup(o->hostfile));
		}
		for (i = 0; i < nvars; i++) {
			strv_add(&a, xstrdup("-x"));
			strv_add(&a, xstrdup(vars[i]));
		}
		break;
	case RUNG_LAUNCHER_MPIEXEC:
		/* Hydra forwards the whole environment by itself. */
		strv_add(&a, xstrdup(o->program ? o->program : "mpiexec"));
		strv_add(&a, xstrdup("-n"));
		strv_add(&a, xprintf("%u", ranks));
		if (o->hostfile != NULL) {
			strv_add(&a, xstrdup("-f"));
			strv_add(&a, xstrdup(o->hostfile));
		}
		break;
	case RUNG_LAUNCHER_SRUN:
		strv_add(&a, xstrdup(o->program ? o->program : "srun"));
		strv_add(&a, xstrdup("-n"));
		strv_add(&a, xprintf("%u", ranks));
		strv_add(&a, xstrdup("--exact"));
		if (o->gpus_per_task > 0)
			strv_add(&a, xprintf("--gpus-per-task=%u",
			    o->gpus_per_task));
		break;
	case RUNG_LAUNCHER_SBATCH:
		/* Inside the job: its ranks are a step of their own. */
		if (ranks > 1) {
			strv_add(&a, xstrdup("srun"));
			strv_add(&a, xstrdup("-n"));
			strv_add(&a, xprintf("%u", ranks));
		}
		break;
	}
	for (i = 0; i < ncmd; i++)
		strv_add(&a, xstrdup(cmd[i]));
	return a.v;
}

/* The environment. */

static const char *const mpi_prefixes[] = { "OMPI_", "PMIX_", "PMI_",
    "HYDRA_", "HYDI_", "MPIR_", "OPAL_", "ORTE_", "PRTE_", NULL };

int
rung_env_is_mpi(const char *var)
{
	size_t	 i;

	if (strncmp(var, "OMPI_ALLOW_RUN_AS_ROOT", 22) == 0)
		return 0;
	for (i = 0; mpi_prefixes[i] != NULL; i++) {
		if (strncmp(var, mpi_prefixes[i], strlen(mpi_prefixes[i])) ==
		    0)
			return 1;
	}
	return 0;
}

int
rung_env_under_mpi(char *const *envp)
{
	static const char *const marks[] = { "OMPI_COMM_WORLD_SIZE=",
	    "OMPI_COMM_WORLD_RANK=", "PMIX_RANK=", "PMI_RANK=", "PMI_SIZE=",
	    "PMI_FD=", "HYDI_CONTROL_FD=", "MPI_LOCALRANKID=", NULL };
	size_t	 i, j;

	for (i = 0; envp != NULL && envp[i] != NULL; i++) {
		for (j = 0; marks[j] != NULL; j++) {
			if (strncmp(envp[i], marks[j], strlen(marks[j])) == 0)
				return 1;
		}
	}
	return 0;
}

/* Does NAME=VALUE e set the variable named by NAME=... s? */
static int
same_var(const char *e, const char *s)
{
	size_t	 n = strcspn(s, "=");

	return strncmp(e, s, n) == 0 && e[n] == '=';
}

char **
rung_env_build(char *const *envp, int strip_mpi, char *const *set,
    size_t nset)
{
	struct strv	 a = { 0 };
	size_t		 i, j;
	int		 drop;

	for (i = 0; envp != NULL && envp[i] != NULL; i++) {
		drop = strip_mpi && rung_env_is_mpi(envp[i]);
		for (j = 0; j < nset && !drop; j++)
			drop = same_var(envp[i], set[j]);
		if (!drop)
			strv_add(&a, xstrdup(envp[i]));
	}
	for (j = 0; j < nset; j++) {
		if (strchr(set[j], '=') != NULL)
			strv_add(&a, xstrdup(set[j]));
	}
	if (a.v == NULL)
		a.v = xcalloc(1, sizeof *a.v);
	return a.v;
}
