/*
 * rung replay's work (replay-run.c), shared by the replay command and by
 * plot replay --policy, which runs and keeps a replay before it draws it.
 */
#ifndef REPLAY_RUN_INT_H
#define REPLAY_RUN_INT_H

#include <stdint.h>

#include <json-c/json.h>

#include "rung/cmd.h"

/*
 * The options of a replay by their ids in the caller's table; -1 for one
 * it does not take. -m and --direction are the shared RUNG_OPT_METRIC and
 * RUNG_OPT_DIRECTION.
 */
struct replay_optids {
	struct rung_sched_optids sched;
	int	 policy, baseline, max_r, workers, seeds, seed, jobs, budget,
		 sampler, configs, no_resume, no_equal_cost;
};

/*
 * Replay the policies of args over the study as rung replay does, and keep
 * the run unless save is 0 (*kept: its id, else 0). The report, what
 * replay --json prints less its id, goes to *rep when rep is not NULL.
 * Errors are said as rung replay says them; returns an exit status.
 */
int	 replay_run(struct rung_ctx *, const char *study,
	     const struct rung_args *, const struct replay_optids *, int save,
	     json_object **rep, int64_t *kept);

#endif
