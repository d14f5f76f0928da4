#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rung/cmd.h"
#include "rung/jsonout.h"
#include "rung/model.h"
#include "rung/predict.h"
#include "rung/rng.h"
#include "rung/store.h"
#include "rung/table.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

/* The options of the fit itself are the fit group's (RUNG_CMD_FIT). */
enum {
	OPT_PREFIX = 256, OPT_SWEEP, OPT_SAVE, OPT_REPLACE, OPT_DUMP,
	OPT_QUBO_OUT, OPT_SAMPLES_IN,
};

static const struct option fit_longopts[] = {
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ "sweep", no_argument, NULL, OPT_SWEEP },
	{ "save", required_argument, NULL, OPT_SAVE },
	{ "replace", no_argument, NULL, OPT_REPLACE },
	{ "dump", required_argument, NULL, OPT_DUMP },
	{ "qubo-out", required_argument, NULL, OPT_QUBO_OUT },
	{ "samples-in", required_argument, NULL, OPT_SAMPLES_IN },
	{ NULL, 0, NULL, 0 }
};

/* The prefixes to evaluate: --prefix K,K... or --sweep (10% ... 90%). */
static int32_t *
prefixes(const struct rung_args *args, int32_t target, uint32_t *n)
{
	int32_t		*v = NULL, k;
	size_t		 cap = 0, i, nlist;
	char		**list, *end;
	long		 x;
	int		 f;

	*n = 0;
	if (rung_args_has(args, OPT_SWEEP)) {
		for (f = 1; f <= 9; f++) {
			k = (int32_t)((int64_t)target * f / 10);
			if (k < 1 || (*n > 0 && v[*n - 1] == k))
				continue;
			XGROW(v, cap, *n + 1);
			v[(*n)++] = k;
		}
	}
	list = rung_args_list(args, OPT_PREFIX, &nlist);
	for (i = 0; i < nlist; i++) {
		errno = 0;
		x = strtol(list[i], &end, 10);
		if (*list[i] == '\0' || *end != '\0' || errno != 0 || x < 1 ||
		    x >= target) {
			rung_error("fit: --prefix: a prefix must be a step "
			    "between 1 and %d (the target), not '%s'",
			    target - 1, list[i]);
			free(v);
			v = NULL;
			*n = 0;
			break;
		}
		XGROW(v, cap, *n + 1);
		v[(*n)++] = (int32_t)x;
	}
	for (i = 0; i < nlist; i++)
		free(list[i]);
	free(list);
	return v;
}

static json_object *
params_json(const struct rung_svr_params *p)
{
	json_object	*obj = json_object_new_object();

	json_object_object_add(obj, "C", rung_json_double(p->C, 0));
	if (p->type != RUNG_NU_SVR)
		json_object_object_add(obj, "epsilon",
		    rung_json_double(p->epsilon, 0));
	else
		json_object_object_add(obj, "nu", rung_json_double(p->nu, 0));
	json_object_object_add(obj, "gamma", rung_json_double(p->gamma, 0));
	return obj;
}

/* A spread of one repeat is not 0 but unknown: null. */
static json_object *
sd_json(double v, uint32_t repeats)
{
	return repeats > 1 ? rung_json_double(v, 0) : NULL;
}

/* The scores and their spreads, into o: the SVR's and LCE's alike. */
static void
scores_json(json_object *o, const struct rung_scores *mean,
    const struct rung_scores *sd, uint32_t repeats)
{
	json_object_object_add(o, "r2", rung_json_double(mean->r2, 0));
	json_object_object_add(o, "r2_sd", sd_json(sd->r2, repeats));
	json_object_object_add(o, "rmse", rung_json_double(mean->rmse, 0));
	json_object_object_add(o, "rmse_sd", sd_json(sd->rmse, repeats));
	json_object_object_add(o, "mae", rung_json_double(mean->mae, 0));
	json_object_object_add(o, "mae_sd", sd_json(sd->mae, repeats));
	json_object_object_add(o, "spearman",
	    rung_json_double(mean->spearman, 0));
	json_object_object_add(o, "spearman_sd",
	    sd_json(sd->spearman, repeats));
	json_object_object_add(o, "kendall",
	    rung_json_double(mean->kendall, 0));
	json_object_object_add(o, "kendall_sd", sd_json(sd->kendall, repeats));
}

static json_object *
row_json(const struct rung_fit_row *r, int32_t target, uint32_t repeats)
{
	json_object	*o = json_object_new_object(), *l;

	json_object_object_add(o, "prefix", json_object_new_int(r->prefix));
	json_object_object_add(o, "fraction",
	    rung_json_double((double)r->prefix / target, 0));
	scores_json(o, &r->mean, &r->sd, repeats);
	json_object_object_add(o, "n_train", json_object_new_int64(r->n_train));
	json_object_object_add(o, "n_test", json_object_new_int64(r->n_test));
	json_object_object_add(o, "n_skipped",
	    json_object_new_int64(r->n_skipped));
	json_object_object_add(o, "params", params_json(&r->chosen));
	l = json_object_new_object();
	scores_json(l, &r->lce_mean, &r->lce_sd, repeats);
	json_object_object_add(l, "n_skipped",
	    json_object_new_int64(r->n_lce_skipped));
	json_object_object_add(o, "lce", l);
	return o;
}

/*
 * Keep a random n of the dataset's rows (seeded), in place: the rows a kept
 * model trains on when a study has more than --train qualifying trials.
 */
static void
take_subset(struct rung_dataset *ds, uint32_t n, uint64_t seed)
{
	struct rung_rng	 rng;
	uint32_t	*idx, i;

	idx = xreallocarray(NULL, ds->n, sizeof *idx);
	for (i = 0; i < ds->n; i++)
		idx[i] = i;
	rung_rng_seed(&rng, seed);
	rung_rng_shuffle(&rng, idx, ds->n);
	/* Sorted, each row moves down or stays: copying in order is safe. */
	qsort(idx, n, sizeof *idx, rung_cmp_u32);
	for (i = 0; i < n; i++) {
		memmove(ds->x + (size_t)i * ds->d, ds->x + (size_t)idx[i] *
		    ds->d, ds->d * sizeof *ds->x);
		ds->y[i] = ds->y[idx[i]];
		ds->trial[i] = ds->trial[idx[i]];
	}
	ds->n = n;
	free(idx);
}

/* Train on every eligible trial and keep the model under a name. */
static int
save_model(struct rung_ctx *ctx, const struct rung_study *s,
    struct rung_fit_opts *fo, int32_t prefix, const char *name, int replace)
{
	struct rung_dataset ds = { 0 };
	struct rung_scaler sx = { 0 }, sy = { 0 };
	struct rung_svr_params chosen = fo->svr;
	struct rung_model m;
	double		*x = NULL, *y = NULL, score;
	char		*cause = NULL, *tag = NULL;
	uint32_t	 i, n, all;
	int		 ret = -1;

	memset(&m, 0, sizeof m);
	fo->feat.prefix = prefix;
	if (rung_dataset_build(s, &fo->feat, 1, &ds, &cause) != 0)
		goto out;
	if (ds.n < 2) {
		xasprintf(&cause, "only %u trials reach step %d with steps 1 "
		    "to %d: too few to train on", ds.n, fo->feat.target,
		    prefix);
		goto out;
	}
	/* Every trial that qualifies, up to --train or the default's most. */
	n = fo->train != 0 ? fo->train : rung_fit_train_cap(&fo->search);
	all = ds.n;
	if (n < ds.n)
		take_subset(&ds, n, fo->seed);
	if (fo->search.kind != RUNG_SEARCH_NONE) {
		/* Search on scaled data, as the evaluation does. */
		x = xreallocarray(NULL, (size_t)ds.n * ds.d, sizeof *x);
		y = xreallocarray(NULL, ds.n, sizeof *y);
		memcpy(x, ds.x, (size_t)ds.n * ds.d * sizeof *x);
		memcpy(y, ds.y, ds.n * sizeof *y);
		rung_scaler_fit(&sx, x, ds.n, ds.d, ds.d);
		rung_scaler_fit(&sy, y, ds.n, 1, 1);
		for (i = 0; i < ds.n; i++) {
			rung_scaler_apply(&sx, x + (size_t)i * ds.d);
			rung_scaler_apply(&sy, y + i);
		}
		if (rung_svr_search(&fo->svr, &fo->search, x, y, ds.n, ds.d,
		    &chosen, &score, &cause) != 0)
			goto out;
	}
	/* The QSVR's seed and files: KPREFIX-model. */
	chosen.seed = fo->seed;
	tag = xprintf("K%d-model", (int)prefix);
	chosen.tag = tag;
	if (rung_svr_fit(&chosen, ds.x, ds.y, ds.n, ds.d, &m.fitted,
	    &cause) != 0)
		goto out;
	chosen.gamma = rung_svr_gamma(m.fitted);
	m.name = (char *)name;
	m.study = s->name;
	m.metric = s->curve.name;
	m.direction = s->direction;
	m.feat = fo->feat;
	m.svr = chosen;
	m.n_train = ds.n;
	if (rung_model_save(ctx->store, &m, replace, &cause) != 0)
		goto out;
	if (ds.n < all)
		rung_info("the model trains on a random %u of the %u trials "
		    "that qualify (--train)", ds.n, all);
	rung_info("saved model '%s': %s on %u trials of '%s', steps 1-%d "
	    "to step %d", name, rung_svr_type_name(chosen.type), ds.n,
	    s->name, prefix, fo->feat.target);
	ret = 0;
out:
	if (cause != NULL) {
		rung_error("fit: %s", cause);
		free(cause);
	}
	rung_svr_free(m.fitted);
	free(tag);
	rung_scaler_release(&sx);
	rung_scaler_release(&sy);
	free(x);
	free(y);
	rung_dataset_release(&ds);
	return ret;
}

/*
 * LCE has no score where no test trial has three points up to K (a short
 * prefix): "-", not "nan".
 */
static void
score_cell(char *buf, size_t len, const char *fmt, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, fmt, v);
}

static void
print_table(struct rung_ctx *ctx, const struct rung_fit_row *rows, uint32_t n,
    int32_t target, enum rung_svr_type type, uint32_t repeats)
{
	static const char *hdr[] = { ">PREFIX", ">FRAC", ">R2", ">R2_SD",
		">RMSE", ">MAE", ">RHO", ">TAU", ">LCE_R2", ">LCE_TAU",
		">TRAIN", ">TEST", ">C", ">NU", ">GAMMA" };
	struct rung_table *tab;
	char		 c[15][RUNG_DBL_BUFSZ];
	const char	*row[15];
	uint32_t	 i;
	int		 k;

	hdr[13] = type != RUNG_NU_SVR ? ">EPSILON" : ">NU";
	tab = rung_table_new(hdr, 15);
	for (i = 0; i < n; i++) {
		const struct rung_fit_row *r = &rows[i];

		snprintf(c[0], sizeof c[0], "%d", r->prefix);
		snprintf(c[1], sizeof c[1], "%.2f", (double)r->prefix / target);
		snprintf(c[2], sizeof c[2], "%.4f", r->mean.r2);
		if (repeats > 1)
			snprintf(c[3], sizeof c[3], "%.4f", r->sd.r2);
		else
			snprintf(c[3], sizeof c[3], "-");
		rung_fmt_human(r->mean.rmse, c[4]);
		rung_fmt_human(r->mean.mae, c[5]);
		snprintf(c[6], sizeof c[6], "%.3f", r->mean.spearman);
		snprintf(c[7], sizeof c[7], "%.3f", r->mean.kendall);
		score_cell(c[8], sizeof c[8], "%.4f", r->lce_mean.r2);
		score_cell(c[9], sizeof c[9], "%.3f", r->lce_mean.kendall);
		snprintf(c[10], sizeof c[10], "%u", r->n_train);
		snprintf(c[11], sizeof c[11], "%u", r->n_test);
		rung_fmt_human(r->chosen.C, c[12]);
		rung_fmt_human(type != RUNG_NU_SVR ? r->chosen.epsilon :
		    r->chosen.nu, c[13]);
		rung_fmt_human(r->chosen.gamma, c[14]);
		for (k = 0; k < 15; k++)
			row[k] = c[k];
		rung_table_add(tab, row);
	}
	rung_ctx_table(ctx, tab);
	rung_table_free(tab);
}

/*
 * Scores on a handful of test trials swing with the split; say so, with
 * the ways to more of them, rather than let an R2 on 3 trials pass as a
 * finding.
 */
static void
few_tests_warn(const struct rung_fit_row *rows, uint32_t n)
{
	uint32_t	 i, min = 0;

	for (i = 1; i < n; i++) {
		if (rows[i].n_test < rows[min].n_test)
			min = i;
	}
	if (n == 0 || rows[min].n_test >= 10)
		return;
	rung_warn("prefix %d: only %u trial%s to test on, too few for steady "
	    "scores; a smaller --train (now %u of %u) or a study with more "
	    "trials leaves more to test", rows[min].prefix, rows[min].n_test,
	    rows[min].n_test == 1 ? "" : "s", rows[min].n_train,
	    rows[min].n_rows);
}

/* Say so when the default sizes took subsets of a big study. */
static void
subset_note(const struct rung_fit_opts *fo, const struct rung_fit_row *rows,
    uint32_t n)
{
	uint32_t	 i;

	for (i = 0; i < n; i++) {
		if (rows[i].n_train + rows[i].n_test < rows[i].n_rows)
			break;
	}
	if (i == n)
		return;
	rung_info("prefix %d: %u trials qualify: trained on a random %u%s "
	    "and scored on %u of the rest%s; --train and --test choose",
	    rows[i].prefix, rows[i].n_rows, rows[i].n_train,
	    fo->train == 0 && rows[i].n_train < rows[i].n_rows * 4 / 5 ?
	    " (the most by default with this search)" : "", rows[i].n_test,
	    fo->test == 0 && rows[i].n_test == RUNG_FIT_TEST_MAX ?
	    " (the most by default)" : "");
}

static int
cmd_fit_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	struct rung_study *s = NULL;
	struct rung_fit_opts fo;
	struct rung_fit_row *rows = NULL;
	struct rung_progress prog;
	const char	*save = rung_args_get(args, OPT_SAVE);
	char		*cause = NULL;
	int32_t		*ks = NULL;
	uint32_t	 nk = 0, i;
	int		 ret = RUNG_EXIT_USAGE;
	json_object	*obj, *arr;

	memset(&fo, 0, sizeof fo);
	if ((ret = rung_args_fit(args, "fit", &fo)) != RUNG_EXIT_OK)
		goto out;
	ret = RUNG_EXIT_USAGE;
	fo.dump_dir = rung_args_get(args, OPT_DUMP);
	fo.svr.qubo_out = rung_args_get(args, OPT_QUBO_OUT);
	fo.svr.samples_in = rung_args_get(args, OPT_SAMPLES_IN);
	if ((fo.svr.qubo_out != NULL || fo.svr.samples_in != NULL) &&
	    fo.svr.type != RUNG_QSVR) {
		rung_error("fit: --qubo-out and --samples-in are the QSVR's "
		    "files: give --svr qsvr");
		goto out;
	}
	if (fo.svr.qubo_out != NULL && mkdir(fo.svr.qubo_out, 0777) != 0 &&
	    errno != EEXIST) {
		rung_error("fit: --qubo-out: cannot make '%s': %s",
		    fo.svr.qubo_out, strerror(errno));
		ret = RUNG_EXIT_ERROR;
		goto out;
	}
	if (!rung_args_has(args, OPT_PREFIX) && !rung_args_has(args,
	    OPT_SWEEP)) {
		rung_error("fit: give --prefix K or --sweep");
		rung_cmd_usage(stderr, &rung_cmd_fit_entry);
		goto out;
	}

	ret = RUNG_EXIT_ERROR;
	if (rung_ctx_load(ctx, args->argv[0], args, 1, &s, &cause) != 0)
		goto out;
	if ((ret = rung_args_fit_target(args, "fit", s, &fo,
	    &cause)) != RUNG_EXIT_OK)
		goto out;
	ret = RUNG_EXIT_ERROR;
	if ((ks = prefixes(args, fo.feat.target, &nk)) == NULL) {
		ret = RUNG_EXIT_USAGE;
		goto out;
	}
	if (save != NULL && nk != 1) {
		rung_error("fit: --save keeps the model of one prefix: give "
		    "one --prefix");
		ret = RUNG_EXIT_USAGE;
		goto out;
	}
	if (fo.feat.kind == RUNG_FEAT_BAKER) {
		rung_featspec_params(&fo.feat, s);
		if (rung_args_fit_params(args, s, &fo.feat, 1, &cause) != 0)
			goto out;
	}

	rows = xcalloc(nk, sizeof *rows);
	rung_progress_start(&prog, "fitting", nk);
	for (i = 0; i < nk; i++) {
		rung_progress_update(&prog, i);
		if (rung_fit_evaluate(s, &fo, ks[i], &rows[i], &cause) != 0)
			break;
	}
	rung_progress_end(&prog);
	if (i < nk)
		goto out;
	few_tests_warn(rows, nk);
	subset_note(&fo, rows, nk);
	for (i = 0; i < nk; i++) {
		if (rows[i].n_skipped > 0) {
			rung_warn("prefix %d: %u trials with a NaN or infinite "
			    "value in steps 1-%d were left out", rows[i].prefix,
			    rows[i].n_skipped, rows[i].prefix);
		}
	}
	if ((ctx->format == RUNG_OUT_JSON)) {
		obj = json_object_new_object();
		json_object_object_add(obj, "study",
		    json_object_new_string(s->name));
		json_object_object_add(obj, "metric",
		    json_object_new_string(s->curve.name));
		json_object_object_add(obj, "direction", json_object_new_string(
		    rung_direction_name(s->direction)));
		json_object_object_add(obj, "target",
		    json_object_new_int(fo.feat.target));
		json_object_object_add(obj, "features", json_object_new_string(
		    rung_features_name(fo.feat.kind)));
		json_object_object_add(obj, "svr", json_object_new_string(
		    rung_svr_type_name(fo.svr.type)));
		json_object_object_add(obj, "repeats",
		    json_object_new_int64(fo.repeats));
		arr = json_object_new_array();
		for (i = 0; i < nk; i++)
			json_object_array_add(arr, row_json(&rows[i],
			    fo.feat.target, fo.repeats));
		json_object_object_add(obj, "rows", arr);
		rung_json_print(ctx->out, obj, ctx->tty);
	} else
		print_table(ctx, rows, nk, fo.feat.target, fo.svr.type,
		    fo.repeats);
	if (save != NULL && save_model(ctx, s, &fo, ks[0], save,
	    rung_args_has(args, OPT_REPLACE)) != 0)
		goto out;
	ret = RUNG_EXIT_OK;
out:
	if (cause != NULL) {
		rung_error("fit: %s", cause);
		free(cause);
	}
	free(rows);
	free(ks);
	rung_featspec_release(&fo.feat);
	rung_study_free(s);
	return ret;
}

const struct rung_cmd_entry rung_cmd_fit_entry = {
	.name = "fit",
	.usage = "[--prefix steps] [--sweep] [--target step] "
	    "[--features raw|baker] [--params list] "
	    "[--svr nu-svr|eps-svr|qsvr] [--C c] [--nu nu] "
	    "[--epsilon epsilon] [--gamma gamma] [--search none|grid|random:n] "
	    "[--folds n] [--train n] [--test n] [--repeats n] [--seed n] "
	    "[-j jobs] [--save name] [--replace] [--dump dir] "
	    "[--qubo-out dir] [--samples-in dir] study",
	.summary = "fit SVR on curve prefixes: how early can the final value "
	    "be predicted",
	.shortopts = "j:",
	.longopts = fit_longopts,
	.minargs = 1,
	.maxargs = 1,
	.flags = RUNG_CMD_STORE | RUNG_CMD_METRIC | RUNG_CMD_TABLE |
	    RUNG_CMD_FIT,
	.exec = cmd_fit_exec,
};
