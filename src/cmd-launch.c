/*
 * launch: start new trials of a command as child processes (through
 * mpirun, mpiexec, srun or directly), one GPU set each, stopped early by
 * a policy as rung replay names it; --resume carries a campaign on.
 * src/launch.c is the engine.
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/cmd.h"
#include "rung/launch.h"
#include "rung/sched.h"
#include "rung/store.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

enum {
	OPT_SPACE = 256, OPT_FROM, OPT_POLICY, OPT_MAX_STEPS, OPT_ETA,
	OPT_MIN_R, OPT_VARIANT, OPT_RULE, OPT_MIN_CURVES, OPT_KEEP_FULL,
	OPT_KNOWN_CURVE, OPT_DELTA, OPT_CONFIGS, OPT_BUDGET, OPT_WORKERS,
	OPT_SEED, OPT_LAUNCHER, OPT_RANKS,
	OPT_HOSTFILE, OPT_GPUS, OPT_GPUS_PER_TRIAL, OPT_LOGS, OPT_STEP_TIMEOUT,
	OPT_GRACE, OPT_RESUME, OPT_SVR_TRAIN, OPT_SAMPLER, OPT_SBATCH_ARGS,
};

static const struct option launch_longopts[] = {
	{ "space", required_argument, NULL, OPT_SPACE },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "max-steps", required_argument, NULL, OPT_MAX_STEPS },
	{ "eta", required_argument, NULL, OPT_ETA },
	{ "min-steps", required_argument, NULL, OPT_MIN_R },
	{ "variant", required_argument, NULL, OPT_VARIANT },
	{ "rule", required_argument, NULL, OPT_RULE },
	{ "min-curves", required_argument, NULL, OPT_MIN_CURVES },
	{ "keep-full", required_argument, NULL, OPT_KEEP_FULL },
	{ "known-curve", required_argument, NULL, OPT_KNOWN_CURVE },
	{ "delta", required_argument, NULL, OPT_DELTA },
	{ "svr-train", required_argument, NULL, OPT_SVR_TRAIN },
	{ "svr", required_argument, NULL, RUNG_OPT_SVR },
	{ "configs", required_argument, NULL, OPT_CONFIGS },
	{ "budget", required_argument, NULL, OPT_BUDGET },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "sampler", required_argument, NULL, OPT_SAMPLER },
	{ "launcher", required_argument, NULL, OPT_LAUNCHER },
	{ "ranks", required_argument, NULL, OPT_RANKS },
	{ "hostfile", required_argument, NULL, OPT_HOSTFILE },
	{ "sbatch-args", required_argument, NULL, OPT_SBATCH_ARGS },
	{ "gpus", required_argument, NULL, OPT_GPUS },
	{ "gpus-per-trial", required_argument, NULL, OPT_GPUS_PER_TRIAL },
	{ "logs", required_argument, NULL, OPT_LOGS },
	{ "step-timeout", required_argument, NULL, OPT_STEP_TIMEOUT },
	{ "grace", required_argument, NULL, OPT_GRACE },
	{ "resume", no_argument, NULL, OPT_RESUME },
	{ NULL, 0, NULL, 0 }
};

static const struct rung_sched_optids sched_optids = {
	.eta = OPT_ETA, .min_r = OPT_MIN_R, .variant = OPT_VARIANT,
	.rule = OPT_RULE, .min_curves = OPT_MIN_CURVES,
	.keep_full = OPT_KEEP_FULL, .known_curve = OPT_KNOWN_CURVE,
	.delta = OPT_DELTA, .svr_train = OPT_SVR_TRAIN,
	.svr = RUNG_OPT_SVR,
};

/* What a campaign is: fixed once it started. */
static const int campaign_opts[] = { OPT_SPACE, OPT_FROM, OPT_POLICY,
    OPT_MAX_STEPS, OPT_ETA, OPT_MIN_R, OPT_VARIANT, OPT_RULE, OPT_MIN_CURVES,
    OPT_KEEP_FULL, OPT_KNOWN_CURVE, OPT_DELTA, OPT_SVR_TRAIN, RUNG_OPT_SVR,
    OPT_CONFIGS,
    OPT_BUDGET,
    OPT_SEED, OPT_SAMPLER, RUNG_OPT_METRIC, RUNG_OPT_DIRECTION, OPT_LOGS, 0 };

static const char *
opt_name(int id)
{
	struct option	*v, *o;
	const char	*name = "?";

	v = rung_cmd_longopts(&rung_cmd_launch_entry);
	for (o = v; o->name != NULL; o++) {
		if (o->val == id) {
			name = o->name;
			break;
		}
	}
	free(v);
	return name;
}

/* The campaign's scheduler from the options; 0 or RUNG_EXIT_USAGE. */
static int
parse_campaign(const struct rung_args *args, struct rung_launch_opts *o)
{
	struct rung_metric_sel	 sel;
	struct rung_sched_params *p = &o->sched;
	struct rung_sched	*sc;
	const char		*v;
	char			*cause = NULL, *names;
	double			 steps = 0;
	long			 n;
	int			 k;

	if ((v = rung_args_get(args, OPT_POLICY)) == NULL) {
		names = rung_policy_names();
		rung_error("launch: give --policy (%s)", names);
		free(names);
		return RUNG_EXIT_USAGE;
	}
	if ((k = rung_args_policy("launch", "--policy", v)) < 0)
		return RUNG_EXIT_USAGE;
	rung_sched_params_init(p, (enum rung_policy)k);
	if (!rung_args_has(args, OPT_MAX_STEPS)) {
		rung_error("launch: give --max-steps, the steps a trial trains "
		    "to at most");
		return RUNG_EXIT_USAGE;
	}
	if (rung_args_real_opt(args, "launch", OPT_MAX_STEPS, "max-steps", 1,
	    INT32_MAX - 1, 0, "a number of steps of at least 1", &steps) != 0)
		return RUNG_EXIT_USAGE;
	if (steps != rint(steps)) {
		rung_error("launch: --max-steps must be a whole number of "
		    "steps, not '%s'", rung_args_get(args, OPT_MAX_STEPS));
		return RUNG_EXIT_USAGE;
	}
	p->max_r = steps;
	if (rung_args_sched(args, "launch", &sched_optids, p) != 0)
		return RUNG_EXIT_USAGE;
	if (p->max_r < p->min_r) {
		rung_error("launch: --max-steps (%g) must be at least --min-steps "
		    "(%g)", p->max_r, p->min_r);
		return RUNG_EXIT_USAGE;
	}
	n = 0;
	if (rung_args_int_opt(args, "launch", OPT_BUDGET, "budget", 0,
	    LONG_MAX, &n) != 0)
		return RUNG_EXIT_USAGE;
	o->budget = (uint64_t)n;
	n = 0;
	if (rung_args_int_opt(args, "launch", OPT_SEED, "seed", 0,
	    2147483647L, &n) != 0)
		return RUNG_EXIT_USAGE;
	o->seed = (uint64_t)n;
	/* As rung replay spells it: the same sampler, picking live. */
	if ((v = rung_args_get(args, OPT_SAMPLER)) != NULL) {
		if (strcmp(v, "random") == 0)
			o->sampler = RUNG_SAMPLER_RANDOM;
		else if (strcmp(v, "tpe") == 0)
			o->sampler = RUNG_SAMPLER_TPE;
		else {
			rung_error("launch: --sampler must be random or tpe, "
			    "not '%s'", v);
			return RUNG_EXIT_USAGE;
		}
	}

	/* Configurations: --trials, else as rung replay's --configs. */
	if (rung_args_has(args, OPT_CONFIGS)) {
		if (rung_args_int_opt(args, "launch", OPT_CONFIGS, "configs", 1,
		    100000000, &n) != 0)
			return RUNG_EXIT_USAGE;
		if (!rung_policy_takes_configs(p->policy))
			rung_warn("launch: %s runs one iteration of all its "
			    "brackets: --configs is ignored",
			    rung_policy_name(p->policy));
		else
			p->max_configs = (uint32_t)n;
	} else if ((rung_policy_flags(p->policy) & (RUNG_PF_CONFIGS |
	    RUNG_PF_SIZED)) == RUNG_PF_CONFIGS && !(o->budget != 0 &&
	    p->policy != RUNG_POLICY_RANDOM &&
	    !(p->policy == RUNG_POLICY_ASHA &&
	    p->variant == RUNG_ASHA_PROMOTE))) {
		if ((p->max_configs = rung_hb_default_configs(p)) == 0) {
			rung_error("launch: %s needs --configs: the default, as "
			    "many configurations as Hyperband starts, needs an "
			    "integer --eta and --max-steps a multiple of "
			    "--min-steps", rung_policy_name(p->policy));
			return RUNG_EXIT_USAGE;
		}
	}
	if (rung_sched_new(p, &sc, &cause) != 0) {
		rung_error("launch: %s", cause);
		free(cause);
		return RUNG_EXIT_USAGE;
	}
	rung_sched_free(sc);

	o->space_path = rung_args_get(args, OPT_SPACE);
	o->from = rung_args_get(args, OPT_FROM);
	if ((o->space_path == NULL) == (o->from == NULL)) {
		rung_error("launch: give the configurations with --space FILE "
		    "or --from STUDY (one of them)");
		return RUNG_EXIT_USAGE;
	}
	if (rung_args_metric(args, "launch", &sel) != 0)
		return RUNG_EXIT_USAGE;
	o->metric = sel.metric;
	o->direction = sel.direction;
	o->logs = rung_args_get(args, OPT_LOGS);
	return 0;
}

/* How to run it: may change on resume. */
static int
parse_how(const struct rung_args *args, struct rung_launch_opts *o)
{
	struct rung_gpu_pool pool;
	const char	*v;
	char		*cause = NULL;
	long		 n;
	int		 k;

	if (rung_args_has(args, OPT_WORKERS)) {
		if (rung_args_int_opt(args, "launch", OPT_WORKERS, "workers",
		    1, 100000, &n) != 0)
			return RUNG_EXIT_USAGE;
		o->parallel = (uint32_t)n;
	}
	if ((v = rung_args_get(args, OPT_LAUNCHER)) != NULL) {
		if ((k = rung_launcher_parse(v)) < 0) {
			rung_error("launch: --launcher must be mpirun, "
			    "mpiexec, srun, sbatch or direct, not '%s'", v);
			return RUNG_EXIT_USAGE;
		}
		o->launcher.kind = (enum rung_launcher)k;
		o->launcher_given = 1;
	}
	if (rung_args_has(args, OPT_RANKS)) {
		if (rung_args_int_opt(args, "launch", OPT_RANKS, "ranks", 1,
		    1000000, &n) != 0)
			return RUNG_EXIT_USAGE;
		o->launcher.ranks = (uint32_t)n;
		if (!o->launcher_given && n > 1)
			o->launcher.kind = RUNG_LAUNCHER_MPIRUN;
		o->launcher_given |= n > 1;
	}
	o->launcher.hostfile = rung_args_get(args, OPT_HOSTFILE);
	o->launcher.sbatch_args = rung_args_get(args, OPT_SBATCH_ARGS);
	if (o->launcher.sbatch_args != NULL && (!o->launcher_given ||
	    o->launcher.kind != RUNG_LAUNCHER_SBATCH) && !rung_args_has(args,
	    OPT_RESUME)) {
		rung_error("launch: --sbatch-args goes with --launcher sbatch");
		return RUNG_EXIT_USAGE;
	}
	if (o->launcher.hostfile != NULL && o->launcher_given &&
	    (o->launcher.kind == RUNG_LAUNCHER_DIRECT ||
	    o->launcher.kind == RUNG_LAUNCHER_SRUN ||
	    o->launcher.kind == RUNG_LAUNCHER_SBATCH)) {
		rung_error("launch: --hostfile goes with --launcher mpirun or "
		    "mpiexec");
		return RUNG_EXIT_USAGE;
	}
	o->gpus = rung_args_get(args, OPT_GPUS);
	if (o->gpus != NULL && strcmp(o->gpus, "auto") != 0 &&
	    strcmp(o->gpus, "none") != 0) {
		/* A list is the command line's: wrong is a usage error. */
		if (rung_gpu_pool_init(o->gpus, NULL, &pool, &cause) != 0) {
			rung_error("launch: %s", cause);
			free(cause);
			return RUNG_EXIT_USAGE;
		}
		rung_gpu_pool_release(&pool);
	}
	if (rung_args_has(args, OPT_GPUS_PER_TRIAL)) {
		if (rung_args_int_opt(args, "launch", OPT_GPUS_PER_TRIAL,
		    "gpus-per-trial", 1, 1024, &n) != 0)
			return RUNG_EXIT_USAGE;
		o->gpus_per_trial = (int32_t)n;
	}
	if (rung_args_real_opt(args, "launch", OPT_STEP_TIMEOUT,
	    "step-timeout", 0, 1e9, 1, "a positive number of seconds",
	    &o->step_timeout) != 0 ||
	    rung_args_real_opt(args, "launch", OPT_GRACE, "grace", 0, 1e6, 0,
	    "a number of seconds, 0 or more", &o->grace) != 0)
		return RUNG_EXIT_USAGE;
	o->json = rung_args_has(args, RUNG_OPT_JSON);
	o->csv = rung_args_has(args, RUNG_OPT_CSV);
	return 0;
}

static int
cmd_launch_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	struct rung_launch_opts o;
	char		*cause = NULL;
	int		 ret, i;

	if (ctx->in_tui) {
		rung_error("launch: campaigns run from the shell (rung launch "
		    "...); the launch screen (6) watches them");
		return RUNG_EXIT_ERROR;
	}
	rung_launch_opts_init(&o);
	o.study = args->argv[0];
	o.resume = rung_args_has(args, OPT_RESUME);
	if (o.resume) {
		for (i = 0; campaign_opts[i] != 0; i++) {
			if (rung_args_has(args, campaign_opts[i])) {
				rung_error("launch: --resume carries on the "
				    "campaign as it was started: --%s cannot "
				    "change it", opt_name(campaign_opts[i]));
				return RUNG_EXIT_USAGE;
			}
		}
		if (args->argc > 1) {
			rung_error("launch: --resume runs the command the "
			    "campaign was started with: give only the study");
			return RUNG_EXIT_USAGE;
		}
	} else {
		if ((ret = parse_campaign(args, &o)) != 0)
			return ret;
		if (args->argc < 2) {
			rung_error("launch: give the command to run after the "
			    "study and --: rung launch STUDY [options] -- "
			    "COMMAND [ARG...]");
			rung_cmd_usage(stderr, &rung_cmd_launch_entry);
			return RUNG_EXIT_USAGE;
		}
		o.cmd = args->argv + 1;
		o.ncmd = (size_t)args->argc - 1;
		/* A new campaign names a study: as import, a clean name. */
		if (rung_name_check("study", o.study, &cause) != 0 ||
		    (o.metric != NULL &&
		    rung_name_check("metric", o.metric, &cause) != 0)) {
			rung_error("launch: %s", cause);
			free(cause);
			return RUNG_EXIT_ERROR;
		}
	}
	if ((ret = parse_how(args, &o)) != 0)
		return ret;
	if (rung_launch_run(ctx->store, &o, ctx->out, &cause) != 0) {
		rung_error("launch: %s", cause);
		free(cause);
		return RUNG_EXIT_ERROR;
	}
	return RUNG_EXIT_OK;
}

const struct rung_cmd_entry rung_cmd_launch_entry = {
	.name = "launch",
	.usage = "[--space file | --from study] --policy name "
	    "--max-steps steps [--eta n] [--min-steps steps] "
	    "[--variant stop|promote] [--rule ray|syne|optuna|determined] "
	    "[--min-curves n] [--keep-full k] [--known-curve f] [--delta d] "
	    "[--svr-train partial|full] [--svr nu-svr|eps-svr|qsvr] "
	    "[--configs n] [--budget steps] [--workers n] [--seed n] "
	    "[--sampler random|tpe] [--launcher mpirun|mpiexec|srun|sbatch|direct] [--ranks k] "
	    "[--hostfile file] [--sbatch-args options] "
	    "[--gpus auto|none|list] [--gpus-per-trial g] "
	    "[--logs dir] [--step-timeout seconds] [--grace seconds] "
	    "study -- command [arg ...] | --resume [options] study",
	.summary = "run new trials of a command, stopped early by a policy",
	.shortopts = "",
	.longopts = launch_longopts,
	.minargs = 1,
	.maxargs = -1,
	.flags = RUNG_CMD_STORE | RUNG_CMD_METRIC | RUNG_CMD_TABLE,
	.exec = cmd_launch_exec,
};
