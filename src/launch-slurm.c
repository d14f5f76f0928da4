/*
 * The Slurm clients (squeue, scancel, scontrol, sbatch) as --launcher srun
 * and --launcher sbatch run them: synchronously, their output captured,
 * and the signal names scancel --signal takes.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "rung/launch.h"
#include "rung/util.h"

#include "launch-int.h"

extern char **environ;

char *
lsl_run(char **argv, char **env, int flags, int *status)
{
	struct rung_buf	 b = { 0 };
	char		**saved = environ;
	int		 rc, st = 0;

	/* rung_capture's child inherits environ: the trial's, for sbatch. */
	if (env != NULL)
		environ = env;
	rc = rung_capture(argv, flags, 1 << 20, &b, &st);
	environ = saved;
	if (status != NULL)
		*status = rc != 0 ? 127 << 8 : st;
	if (rc != 0) {
		rung_buf_release(&b);
		return NULL;
	}
	return rung_buf_cstr(&b);
}

const char *
lsl_sig_name(int sig, char buf[16])
{
	switch (sig) {
	case SIGUSR1:
		return "USR1";
	case SIGUSR2:
		return "USR2";
	case SIGTERM:
		return "TERM";
	case SIGKILL:
		return "KILL";
	case SIGINT:
		return "INT";
	}
	snprintf(buf, 16, "%d", sig);
	return buf;
}
