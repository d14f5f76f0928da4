#include "config.h"

#include <errno.h>
#include <math.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rung/cmd.h"
#include "rung/model.h"
#include "rung/predict.h"
#include "rung/sched.h"
#include "rung/store.h"
#include "rung/table.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

const struct rung_cmd_entry *const rung_cmd_table[] = {
	&rung_cmd_import_entry,
	&rung_cmd_studies_entry,
	&rung_cmd_trials_entry,
	&rung_cmd_watch_entry,
	&rung_cmd_importance_entry,
	&rung_cmd_show_entry,
	&rung_cmd_export_entry,
	&rung_cmd_fit_entry,
	&rung_cmd_models_entry,
	&rung_cmd_predict_entry,
	&rung_cmd_replay_entry,
	&rung_cmd_replays_entry,
	&rung_cmd_plot_entry,
	&rung_cmd_launch_entry,
	&rung_cmd_tui_entry,
	&rung_cmd_help_entry,
	NULL
};

const struct rung_cmd_entry *
rung_cmd_find(const char *name, char **cause)
{
	const struct rung_cmd_entry *const *e, *found = NULL;
	size_t	 len = strlen(name);
	int	 ambiguous = 0;

	for (e = rung_cmd_table; *e != NULL; e++) {
		if (strcmp((*e)->name, name) == 0 ||
		    ((*e)->alias != NULL && strcmp((*e)->alias, name) == 0))
			return *e;
		/* A unique prefix is enough, as in tmux. */
		if (len > 0 && strncmp((*e)->name, name, len) == 0) {
			if (found != NULL)
				ambiguous = 1;
			found = *e;
		}
	}
	if (found != NULL && !ambiguous)
		return found;
	xasprintf(cause, "%s command: %s", ambiguous ? "ambiguous" : "unknown",
	    name);
	return NULL;
}

/*
 * The shared option groups. A command's entry takes a group by its flag;
 * the options are then parsed, shown in its usage and completed as its own.
 */
static const struct opt_group {
	int		 flag;
	const char	*shortopts;
	const char	*usage;		/* NULL: the command's places them */
	struct option	 longopts[16];
} opt_groups[] = {
	{ RUNG_CMD_METRIC, "m:", "[-m metric] [--direction min|max]", {
		{ "metric", required_argument, NULL, RUNG_OPT_METRIC },
		{ "direction", required_argument, NULL, RUNG_OPT_DIRECTION },
		{ NULL, 0, NULL, 0 } } },
	{ RUNG_CMD_TABLE, "o:", "[--json | --csv] [-o file]", {
		{ "json", no_argument, NULL, RUNG_OPT_JSON },
		{ "csv", no_argument, NULL, RUNG_OPT_CSV },
		{ "output", required_argument, NULL, RUNG_OPT_OUTPUT },
		{ NULL, 0, NULL, 0 } } },
	{ RUNG_CMD_JSON, "", "[--json]", {
		{ "json", no_argument, NULL, RUNG_OPT_JSON },
		{ NULL, 0, NULL, 0 } } },
	{ RUNG_CMD_OUTPUT, "o:", "[-o file]", {
		{ "output", required_argument, NULL, RUNG_OPT_OUTPUT },
		{ NULL, 0, NULL, 0 } } },
	{ RUNG_CMD_FIT, "j:", NULL, {
		{ "target", required_argument, NULL, RUNG_OPT_TARGET },
		{ "features", required_argument, NULL, RUNG_OPT_FEATURES },
		{ "params", required_argument, NULL, RUNG_OPT_PARAMS },
		{ "svr", required_argument, NULL, RUNG_OPT_SVR },
		{ "C", required_argument, NULL, RUNG_OPT_C },
		{ "nu", required_argument, NULL, RUNG_OPT_NU },
		{ "epsilon", required_argument, NULL, RUNG_OPT_EPSILON },
		{ "gamma", required_argument, NULL, RUNG_OPT_GAMMA },
		{ "search", required_argument, NULL, RUNG_OPT_SEARCH },
		{ "folds", required_argument, NULL, RUNG_OPT_FOLDS },
		{ "train", required_argument, NULL, RUNG_OPT_TRAIN },
		{ "test", required_argument, NULL, RUNG_OPT_TEST },
		{ "repeats", required_argument, NULL, RUNG_OPT_REPEATS },
		{ "seed", required_argument, NULL, RUNG_OPT_SEED },
		{ "jobs", required_argument, NULL, RUNG_OPT_JOBS },
		{ NULL, 0, NULL, 0 } } },
};
#define NOPT_GROUPS (sizeof opt_groups / sizeof opt_groups[0])

char *
rung_cmd_synopsis(const struct rung_cmd_entry *e)
{
	struct rung_buf	 b = { 0 };
	size_t		 i;
	char		*out;

	rung_buf_printf(&b, "%s", e->name);
	for (i = 0; i < NOPT_GROUPS; i++) {
		if ((e->flags & opt_groups[i].flag) &&
		    opt_groups[i].usage != NULL)
			rung_buf_printf(&b, " %s", opt_groups[i].usage);
	}
	if (*e->usage != '\0')
		rung_buf_printf(&b, " %s", e->usage);
	out = xstrdup(rung_buf_cstr(&b));
	rung_buf_release(&b);
	return out;
}

void
rung_cmd_usage(FILE *f, const struct rung_cmd_entry *e)
{
	char	*syn = rung_cmd_synopsis(e);

	fprintf(f, "usage: rung %s\n", syn);
	free(syn);
}

struct option *
rung_cmd_longopts(const struct rung_cmd_entry *e)
{
	struct option	*v = NULL;
	const struct option *o;
	size_t		 n = 0, cap = 0, i;

	for (i = 0; i < NOPT_GROUPS; i++) {
		if (!(e->flags & opt_groups[i].flag))
			continue;
		for (o = opt_groups[i].longopts; o->name != NULL; o++) {
			XGROW(v, cap, n + 2);
			v[n++] = *o;
		}
	}
	for (o = e->longopts; o != NULL && o->name != NULL; o++) {
		XGROW(v, cap, n + 2);
		v[n++] = *o;
	}
	XGROW(v, cap, n + 1);
	memset(&v[n], 0, sizeof v[n]);
	return v;
}

char *
rung_cmd_shortopts(const struct rung_cmd_entry *e)
{
	struct rung_buf	 b = { 0 };
	size_t		 i;
	char		*out;

	/* A leading ':' has getopt tell a missing value from an unknown option. */
	rung_buf_printf(&b, ":%s", e->shortopts);
	for (i = 0; i < NOPT_GROUPS; i++) {
		if ((e->flags & opt_groups[i].flag) &&
		    strstr(rung_buf_cstr(&b), opt_groups[i].shortopts) == NULL)
			rung_buf_printf(&b, "%s", opt_groups[i].shortopts);
	}
	out = xstrdup(rung_buf_cstr(&b));
	rung_buf_release(&b);
	return out;
}

int
rung_args_has(const struct rung_args *a, int id)
{
	size_t	 i;

	for (i = 0; i < a->nopts; i++) {
		if (a->opts[i].id == id)
			return 1;
	}
	return 0;
}

const char *
rung_args_get(const struct rung_args *a, int id)
{
	size_t		 i;
	const char	*v = NULL;

	for (i = 0; i < a->nopts; i++) {
		if (a->opts[i].id == id)
			v = a->opts[i].value;
	}
	return v;
}

char **
rung_args_list(const struct rung_args *a, int id, size_t *n)
{
	char	**v = NULL, *copy, *tok, *save;
	size_t	  i, cap = 0;

	*n = 0;
	for (i = 0; i < a->nopts; i++) {
		if (a->opts[i].id != id || a->opts[i].value == NULL)
			continue;
		copy = xstrdup(a->opts[i].value);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			XGROW(v, cap, *n + 2);
			v[(*n)++] = xstrdup(tok);
			v[*n] = NULL;
		}
		free(copy);
	}
	return v;
}

int
rung_args_int(const struct rung_args *a, int id, long lo, long hi, long *out,
    char **cause)
{
	const char	*v = rung_args_get(a, id);
	char		*end;
	long		 n;

	if (v == NULL)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < lo || n > hi) {
		xasprintf(cause, "option value '%s' is not an integer between "
		    "%ld and %ld", v, lo, hi);
		return -1;
	}
	*out = n;
	return 0;
}

int
rung_args_int_opt(const struct rung_args *a, const char *cmd, int id,
    const char *name, long lo, long hi, long *out)
{
	char	*cause = NULL;

	if (rung_args_int(a, id, lo, hi, out, &cause) != 0) {
		rung_error("%s: --%s: %s", cmd, name, cause);
		free(cause);
		return -1;
	}
	return 0;
}

int
rung_args_real_opt(const struct rung_args *a, const char *cmd, int id,
    const char *name, double lo, double hi, int lo_open, const char *expect,
    double *out)
{
	const char	*v = rung_args_get(a, id);
	double		 d;

	if (v == NULL)
		return 0;
	if (rung_parse_double(v, strlen(v), &d) != 0 || !isfinite(d)) {
		rung_error("%s: --%s must be %s, not '%s'", cmd, name, expect,
		    v);
		return -1;
	}
	if (d < lo || (lo_open && d == lo)) {
		rung_error("%s: --%s must be %s, not '%s'", cmd, name, expect,
		    v);
		return -1;
	}
	/* The words say the lower bound; the upper one is said here. */
	if (d > hi) {
		rung_error("%s: --%s must be %s, at most %.15g, not '%s'", cmd,
		    name, expect, hi, v);
		return -1;
	}
	*out = d;
	return 0;
}

int
rung_args_sched(const struct rung_args *a, const char *cmd,
    const struct rung_sched_optids *id, struct rung_sched_params *p)
{
	const char	*v;
	long		 n;
	int		 k;

	if (rung_args_real_opt(a, cmd, id->eta, "eta", 1, 1e9, 1, "a number "
	    "above 1", &p->eta) != 0 ||
	    rung_args_real_opt(a, cmd, id->min_r, "min-steps", 0, 1e9, 1, "a "
	    "positive number of steps", &p->min_r) != 0 ||
	    rung_args_real_opt(a, cmd, id->keep_full, "keep-full", 0, 1, 0,
	    "a share between 0 and 1", &p->keep_full) != 0 ||
	    rung_args_real_opt(a, cmd, id->known_curve, "known-curve", 0, 1, 1,
	    "a share in (0, 1]", &p->known_curve) != 0 ||
	    rung_args_real_opt(a, cmd, id->delta, "delta", 0, 1, 1, "a "
	    "probability in (0, 1)", &p->delta) != 0)
		return -1;
	if (p->delta == 1) {
		rung_error("%s: --delta must be a probability in (0, 1), not "
		    "'1'", cmd);
		return -1;
	}
	if (rung_args_has(a, id->min_curves)) {
		if (rung_args_int_opt(a, cmd, id->min_curves, "min-curves", 2,
		    1000000, &n) != 0)
			return -1;
		p->min_curves = (uint32_t)n;
	}
	if (id->svr != 0 && (v = rung_args_get(a, id->svr)) != NULL &&
	    rung_args_svr(cmd, v, &p->svr) != 0)
		return -1;
	if ((v = rung_args_get(a, id->svr_train)) != NULL) {
		if ((k = rung_svr_train_parse(v)) < 0) {
			rung_error("%s: --svr-train must be partial or full, "
			    "not '%s'", cmd, v);
			return -1;
		}
		p->svr_train = (enum rung_svr_train)k;
	}
	if ((v = rung_args_get(a, id->variant)) != NULL) {
		if ((k = rung_asha_variant_parse(v)) < 0) {
			rung_error("%s: --variant must be stop or promote, not "
			    "'%s'", cmd, v);
			return -1;
		}
		p->variant = (enum rung_asha_variant)k;
	}
	if ((v = rung_args_get(a, id->rule)) != NULL) {
		if ((k = rung_asha_rule_parse(v)) < 0) {
			rung_error("%s: --rule must be ray, syne, optuna or "
			    "determined, not '%s'", cmd, v);
			return -1;
		}
		p->rule = (enum rung_asha_rule)k;
	}
	return 0;
}

int
rung_args_policy(const char *cmd, const char *opt, const char *v)
{
	struct rung_buf	 b = { 0 };
	int		 i, p;

	if ((p = rung_policy_parse(v)) >= 0)
		return p;
	for (i = 0; i < rung_policy_count(); i++)
		rung_buf_printf(&b, "%s%s", i ? ", " : "",
		    rung_policy_name((enum rung_policy)i));
	rung_error("%s: %s: unknown policy '%s' (expected %s)", cmd, opt, v,
	    rung_buf_cstr(&b));
	rung_buf_release(&b);
	return -1;
}

int
rung_args_svr(const char *cmd, const char *v, struct rung_svr_params *p)
{
	int		 t;

	if ((t = rung_svr_type_parse(v)) < 0) {
		rung_error("%s: --svr must be %s, not '%s'", cmd,
		    rung_svr_type_list(), v);
		return -1;
	}
	rung_svr_params_type(p, (enum rung_svr_type)t);
	return 0;
}

int
rung_args_fit(const struct rung_args *a, const char *cmd,
    struct rung_fit_opts *fo)
{
	const char	*v;
	char		*end;
	long		 k;
	int		 f;

	rung_svr_params_init(&fo->svr);
	rung_search_init(&fo->search);
	fo->repeats = 1;
	if ((v = rung_args_get(a, RUNG_OPT_FEATURES)) != NULL) {
		if ((f = rung_features_parse(v)) < 0) {
			rung_error("%s: --features must be raw or baker, not "
			    "'%s'", cmd, v);
			return RUNG_EXIT_USAGE;
		}
		fo->feat.kind = (enum rung_features)f;
	}
	if ((v = rung_args_get(a, RUNG_OPT_SVR)) != NULL &&
	    rung_args_svr(cmd, v, &fo->svr) != 0)
		return RUNG_EXIT_USAGE;
	if (rung_svr_type_fixed(fo->svr.type) &&
	    (rung_args_has(a, RUNG_OPT_C) || rung_args_has(a, RUNG_OPT_NU) ||
	    rung_args_has(a, RUNG_OPT_EPSILON) ||
	    rung_args_has(a, RUNG_OPT_GAMMA) ||
	    ((v = rung_args_get(a, RUNG_OPT_SEARCH)) != NULL &&
	    strcmp(v, "none") != 0))) {
		rung_error("%s: --svr %s fits with its authors' fixed settings "
		    "(C %g, epsilon %g, gamma %g): --C, --nu, --epsilon, "
		    "--gamma and --search do not apply", cmd,
		    rung_svr_type_name(fo->svr.type), fo->svr.C,
		    fo->svr.epsilon, fo->svr.gamma);
		return RUNG_EXIT_USAGE;
	}
	if (rung_args_real_opt(a, cmd, RUNG_OPT_C, "C", 0, HUGE_VAL, 1,
	    "a positive number", &fo->svr.C) != 0 ||
	    rung_args_real_opt(a, cmd, RUNG_OPT_NU, "nu", 0, HUGE_VAL, 1,
	    "a number in (0, 1]", &fo->svr.nu) != 0 ||
	    rung_args_real_opt(a, cmd, RUNG_OPT_EPSILON, "epsilon", 0,
	    HUGE_VAL, 1, "a positive number", &fo->svr.epsilon) != 0 ||
	    rung_args_real_opt(a, cmd, RUNG_OPT_GAMMA, "gamma", 0, HUGE_VAL,
	    1, "a positive number", &fo->svr.gamma) != 0)
		return RUNG_EXIT_USAGE;
	if (fo->svr.nu > 1) {
		rung_error("%s: --nu must be a number in (0, 1]", cmd);
		return RUNG_EXIT_USAGE;
	}
	if ((v = rung_args_get(a, RUNG_OPT_SEARCH)) != NULL) {
		if (strcmp(v, "none") == 0)
			fo->search.kind = RUNG_SEARCH_NONE;
		else if (strcmp(v, "grid") == 0)
			fo->search.kind = RUNG_SEARCH_GRID;
		else if (strncmp(v, "random:", 7) == 0 &&
		    (k = strtol(v + 7, &end, 10)) > 0 && *end == '\0' &&
		    k <= 1000000) {
			fo->search.kind = RUNG_SEARCH_RANDOM;
			fo->search.nrandom = (uint32_t)k;
		} else {
			rung_error("%s: --search must be none, grid or "
			    "random:N with N between 1 and 1000000, not '%s'",
			    cmd, v);
			return RUNG_EXIT_USAGE;
		}
	}
	k = 3;
	if (rung_args_int_opt(a, cmd, RUNG_OPT_FOLDS, "folds", 2, 100,
	    &k) != 0)
		return RUNG_EXIT_USAGE;
	fo->search.folds = (uint32_t)k;
	k = 0;
	if (rung_args_int_opt(a, cmd, RUNG_OPT_TRAIN, "train", 2, 100000000,
	    &k) != 0)
		return RUNG_EXIT_USAGE;
	fo->train = (uint32_t)k;
	k = 0;
	if (rung_args_int_opt(a, cmd, RUNG_OPT_TEST, "test", 1, 100000000,
	    &k) != 0)
		return RUNG_EXIT_USAGE;
	fo->test = (uint32_t)k;
	k = 1;
	if (rung_args_int_opt(a, cmd, RUNG_OPT_REPEATS, "repeats", 1, 100000,
	    &k) != 0)
		return RUNG_EXIT_USAGE;
	fo->repeats = (uint32_t)k;
	k = 0;
	if (rung_args_int_opt(a, cmd, RUNG_OPT_SEED, "seed", 0, 2147483647L,
	    &k) != 0)
		return RUNG_EXIT_USAGE;
	fo->seed = fo->search.seed = (uint64_t)k;
	k = 0;
	if (rung_args_int_opt(a, cmd, RUNG_OPT_JOBS, "jobs", 0, 1024,
	    &k) != 0)
		return RUNG_EXIT_USAGE;
	fo->threads = fo->search.threads = (int)k;
	return RUNG_EXIT_OK;
}

int
rung_args_fit_target(const struct rung_args *a, const char *cmd,
    const struct rung_study *s, struct rung_fit_opts *fo, char **cause)
{
	long	 k;

	fo->feat.target = s->max_step;
	if (rung_args_has(a, RUNG_OPT_TARGET)) {
		if (rung_args_int_opt(a, cmd, RUNG_OPT_TARGET, "target", 2,
		    INT32_MAX, &k) != 0)
			return RUNG_EXIT_USAGE;
		fo->feat.target = (int32_t)k;
	}
	if (fo->feat.target < 2) {
		xasprintf(cause, "study '%s' has no step to predict (its last "
		    "step is %d)", s->name, s->max_step);
		return RUNG_EXIT_ERROR;
	}
	return RUNG_EXIT_OK;
}

/*
 * Categorical parameters with a level for nearly every trial (an
 * architecture written out, a run name) are left out: one-hot, they are
 * noise.
 */
int
rung_args_fit_params(const struct rung_args *a, const struct rung_study *s,
    struct rung_featspec *f, int verbose, char **cause)
{
	char		**names, **keep;
	size_t		 n, i, nkeep = 0;
	int		 ret;

	if (rung_args_has(a, RUNG_OPT_PARAMS)) {
		names = rung_args_list(a, RUNG_OPT_PARAMS, &n);
		ret = rung_featspec_keep(f, names, n, cause);
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return ret;
	}
	keep = xcalloc(f->nparams + 1, sizeof *keep);
	for (i = 0; i < f->nparams; i++) {
		if (f->ptypes[i] == RUNG_PCAT && f->nlevels[i] > 10 &&
		    f->nlevels[i] * 4 > s->ntrials) {
			if (verbose)
				rung_info("parameter '%s' has %u values among "
				    "%u trials: left out of the features "
				    "(--params names the ones to use)",
				    f->pnames[i], f->nlevels[i], s->ntrials);
			continue;
		}
		keep[nkeep++] = f->pnames[i];
	}
	ret = rung_featspec_keep(f, keep, nkeep, cause);
	free(keep);
	return ret;
}

int
rung_args_metric(const struct rung_args *a, const char *cmd,
    struct rung_metric_sel *sel)
{
	const char	*v;
	int		 d;

	sel->metric = rung_args_get(a, RUNG_OPT_METRIC);
	sel->direction = 0;
	if (sel->metric != NULL && *sel->metric == '\0') {
		rung_error("%s: -m: a metric's name, not ''", cmd);
		return -1;
	}
	if ((v = rung_args_get(a, RUNG_OPT_DIRECTION)) != NULL) {
		if ((d = rung_direction_parse(v)) == 0) {
			rung_error("%s: --direction must be min or max, not "
			    "'%s'", cmd, v);
			return -1;
		}
		sel->direction = (enum rung_direction)d;
	}
	return 0;
}

int
rung_ctx_load(struct rung_ctx *ctx, const char *study,
    const struct rung_args *a, int curves, struct rung_study **s,
    char **cause)
{
	struct rung_metric_sel sel;
	const char	*metric;
	char		*cm = NULL;
	int		 ret, other = 0;

	/* rung_cmd_run checked them: nothing to say here. */
	if (rung_args_metric(a, "", &sel) != 0) {
		xasprintf(cause, "-m or --direction: bad value");
		return -1;
	}
	metric = sel.metric;
	if (metric != NULL && rung_store_check_metric(ctx->store, study,
	    metric, cause) != 0)
		return -1;
	if (metric == NULL && curves &&
	    rung_store_curve_metric(ctx->store, study, &cm, &other,
	    cause) != 0)
		return -1;
	ret = rung_store_load(ctx->store, study, metric != NULL ? metric : cm,
	    sel.direction, s, cause);
	if (ret == 0 && other)
		rung_info("%s: its metric of interest has one value a trial: "
		    "reading the curves of '%s' (-m chooses)", study, cm);
	free(cm);
	return ret;
}

void
rung_ctx_table(struct rung_ctx *ctx, struct rung_table *t)
{
	if (ctx->format == RUNG_OUT_CSV)
		rung_table_print_csv(t, ctx->out);
	else
		rung_table_print(t, ctx->out);
}

void
rung_args_release(struct rung_args *a)
{
	size_t	 i;

	for (i = 0; i < a->nopts; i++)
		free(a->opts[i].value);
	free(a->opts);
	memset(a, 0, sizeof *a);
}

int
rung_ctx_store(struct rung_ctx *ctx, int readonly, char **cause)
{
	if (ctx->store != NULL) {
		if (readonly || !rung_store_readonly(ctx->store))
			return 0;
		/*
		 * A reader that runs a writer (plot replay --policy keeps the
		 * replay it runs): open again, for writing.
		 */
		rung_store_close(ctx->store);
		ctx->store = NULL;
	}
	/*
	 * Listings need an existing database and only read it, so that one on
	 * a read-only file, directory or mount can be read; the store still
	 * migrates an older schema where it can write it.
	 */
	return rung_store_open(rung_store_default_path(ctx->db_path),
	    readonly ? RUNG_STORE_READONLY | RUNG_STORE_MUSTEXIST : 0,
	    &ctx->store, cause);
}

void
rung_ctx_release(struct rung_ctx *ctx)
{
	rung_store_close(ctx->store);
	ctx->store = NULL;
}

int
rung_cmd_parse(int argc, char **argv, const struct rung_cmd_entry **ep,
    struct rung_args *out)
{
	const struct rung_cmd_entry *e;
	struct rung_args args = { 0 };
	struct option	*longopts;
	char		*cause = NULL, *shortopts;
	int		 c, idx;
	size_t		 cap = 0;

	memset(out, 0, sizeof *out);
	*ep = NULL;
	if (argc < 1 || argv[0] == NULL) {
		rung_error("no command (see 'rung help')");
		return RUNG_EXIT_USAGE;
	}
	if ((e = rung_cmd_find(argv[0], &cause)) == NULL) {
		rung_error("%s (see 'rung help')", cause);
		free(cause);
		return RUNG_EXIT_USAGE;
	}
	/* getopt keeps state: reset it for each command (the TUI runs many). */
	optind = 0;
	opterr = 0;
	shortopts = rung_cmd_shortopts(e);
	longopts = rung_cmd_longopts(e);
	for (;;) {
		idx = -1;
		c = getopt_long(argc, argv, shortopts, longopts, &idx);
		if (c == -1)
			break;
		if (c == '?' || c == ':') {
			if (optopt != 0 && optopt < 256)
				rung_error("%s: %s -%c", e->name, c == ':' ?
				    "missing value for" : "unknown option",
				    optopt);
			else
				rung_error("%s: %s '%s'", e->name, c == ':' ?
				    "missing value for" : "unknown option",
				    argv[optind - 1]);
			rung_cmd_usage(stderr, e);
			rung_args_release(&args);
			free(shortopts);
			free(longopts);
			return RUNG_EXIT_USAGE;
		}
		XGROW(args.opts, cap, args.nopts + 1);
		args.opts[args.nopts].id = c;
		args.opts[args.nopts].value = optarg ? xstrdup(optarg) : NULL;
		args.nopts++;
	}
	free(shortopts);
	free(longopts);
	if (rung_args_has(&args, RUNG_OPT_JSON) &&
	    rung_args_has(&args, RUNG_OPT_CSV)) {
		rung_error("%s: --json and --csv are alternatives: give one",
		    e->name);
		rung_cmd_usage(stderr, e);
		rung_args_release(&args);
		return RUNG_EXIT_USAGE;
	}
	args.argc = argc - optind;
	args.argv = argv + optind;
	if (args.argc < e->minargs ||
	    (e->maxargs >= 0 && args.argc > e->maxargs)) {
		rung_error("%s: %s", e->name, args.argc < e->minargs ?
		    "missing argument" : "too many arguments");
		rung_cmd_usage(stderr, e);
		rung_args_release(&args);
		return RUNG_EXIT_USAGE;
	}
	*ep = e;
	*out = args;
	return RUNG_EXIT_OK;
}

/*
 * -o FILE of a command that prints a table: it is written beside FILE and
 * renamed over it when the command succeeds, so that a failed or killed
 * command leaves FILE as it was, never half-written.
 */
static FILE *
output_open(const char *cmd, const char *path, char **tmp)
{
	FILE	*f;
	int	 fd;

	*tmp = xprintf("%s.XXXXXX", path);
	if ((fd = mkstemp(*tmp)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		rung_error("%s: -o: cannot write '%s': %s", cmd, path,
		    strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(*tmp);
		}
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	/* mkstemp makes it 0600; an output is as readable as any file. */
	{
		mode_t	 um = umask(0);

		umask(um);
		fchmod(fd, 0666 & ~um);
	}
	return f;
}

static int
output_close(const char *cmd, FILE *f, const char *tmp, const char *path,
    int ok)
{
	int	 bad = ferror(f) | (fflush(f) != 0) | (fsync(fileno(f)) != 0);

	bad |= fclose(f) != 0;
	if (ok && !bad && rename(tmp, path) == 0)
		return 0;
	if (ok)
		rung_error("%s: -o: cannot write '%s': %s", cmd, path,
		    strerror(errno));
	unlink(tmp);
	return -1;
}

int
rung_cmd_run(struct rung_ctx *ctx, int argc, char **argv)
{
	const struct rung_cmd_entry *e;
	struct rung_args args;
	char		*cause = NULL, *tmp = NULL;
	const char	*path = NULL;
	FILE		*out = NULL, *saved_out = ctx->out;
	int		 ret, saved_tty = ctx->tty;

	if ((ret = rung_cmd_parse(argc, argv, &e, &args)) != RUNG_EXIT_OK)
		return ret;
	if ((e->flags & RUNG_CMD_METRIC) && rung_args_metric(&args, e->name,
	    &(struct rung_metric_sel){ 0 }) != 0) {
		rung_args_release(&args);
		return RUNG_EXIT_USAGE;
	}
	if (e->flags & (RUNG_CMD_STORE | RUNG_CMD_STORE_RO)) {
		if (rung_ctx_store(ctx, (e->flags & RUNG_CMD_STORE_RO) != 0,
		    &cause) != 0) {
			rung_error("%s", cause);
			free(cause);
			rung_args_release(&args);
			return RUNG_EXIT_ERROR;
		}
	}
	ctx->format = rung_args_has(&args, RUNG_OPT_JSON) ? RUNG_OUT_JSON :
	    rung_args_has(&args, RUNG_OPT_CSV) ? RUNG_OUT_CSV : RUNG_OUT_TEXT;
	if ((e->flags & RUNG_CMD_TABLE) &&
	    (path = rung_args_get(&args, RUNG_OPT_OUTPUT)) != NULL) {
		if ((out = output_open(e->name, path, &tmp)) == NULL) {
			rung_args_release(&args);
			return RUNG_EXIT_ERROR;
		}
		ctx->out = out;
		ctx->tty = 0;
	}
	ret = e->exec(ctx, &args);
	if (out != NULL) {
		ctx->out = saved_out;
		ctx->tty = saved_tty;
		if (output_close(e->name, out, tmp, path,
		    ret == RUNG_EXIT_OK) != 0 && ret == RUNG_EXIT_OK)
			ret = RUNG_EXIT_ERROR;
		free(tmp);
	}
	ctx->format = RUNG_OUT_TEXT;
	rung_args_release(&args);
	return ret;
}
