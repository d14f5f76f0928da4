/*
 * rung launch: new trials as child processes (through mpirun, mpiexec,
 * srun or directly), one GPU set each, stopped early by the same scheduler
 * the replays run (include/rung/sched.h).
 *
 * rung stays a plain program: it fork/execs one launcher command per trial
 * in a session of its own, is a child subreaper so that the orphans of a
 * killed launcher come back to it, reads the trial's stdout for protocol
 * lines (rung: {"step": 3, "val_loss": 0.41}), writes every point, status
 * and scheduler decision to the study as it happens, and returns a GPU to
 * the pool only when no process of the trial remains. A campaign killed
 * with rung carries on with rung launch --resume.
 *
 * The pieces below the engine are apart for tests: the protocol line, the
 * {name} substitution, the launcher's argv, the environment, the GPU pool
 * and the scan of /proc.
 */
#ifndef RUNG_LAUNCH_H
#define RUNG_LAUNCH_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "rung/replay.h"	/* enum rung_sampler */
#include "rung/sched.h"
#include "rung/space.h"
#include "rung/study.h"

struct rung_store;

/* The protocol. */

/*
 * One report: "rung:" at the start of a line, then a JSON object with an
 * integer "step" and numbers (NaN and Infinity as Python writes them);
 * other members are ignored.
 */
struct rung_report {
	int32_t		 step;
	size_t		 n;
	char		**keys;		/* numeric members but step, in order */
	double		*vals;
};

#define RUNG_REPORT_PREFIX "rung:"

/*
 * Parse a line (without its newline; a trailing \r is ignored). Returns 1
 * for a report, 0 for a line that is not one (no prefix), -1 for a line
 * with the prefix that is malformed, with *cause saying why.
 */
int		 rung_report_parse(const char *line, size_t len,
		     struct rung_report *, char **cause);
void		 rung_report_release(struct rung_report *);
/* Index of key in the report, or -1. */
int		 rung_report_find(const struct rung_report *, const char *key);
/*
 * The metric when none was named: the only numeric member besides step.
 * -1 with *cause naming them when there are none or several.
 */
int		 rung_report_metric(const struct rung_report *, char **metric,
		     char **cause);

/* Commands. */

enum rung_launcher {
	RUNG_LAUNCHER_DIRECT = 0,	/* the command itself */
	RUNG_LAUNCHER_MPIRUN,		/* Open MPI */
	RUNG_LAUNCHER_MPIEXEC,		/* MPICH (hydra) */
	RUNG_LAUNCHER_SRUN,		/* Slurm, inside an allocation */
	RUNG_LAUNCHER_SBATCH,		/* Slurm, a batch job a run */
};

const char	*rung_launcher_name(enum rung_launcher);
int		 rung_launcher_parse(const char *);	/* -1 if unknown */

struct rung_launcher_opts {
	enum rung_launcher kind;
	const char	*program;	/* NULL: mpirun, mpiexec, srun */
	uint32_t	 ranks;		/* per trial; 0 means 1 */
	const char	*hostfile;	/* mpirun --hostfile, mpiexec -f */
	uint32_t	 gpus_per_task;	/* srun --gpus-per-task */
	const char	*sbatch_args;	/* --sbatch-args: more of sbatch's */
};

/*
 * {name} in arg replaced by the value of parameter name, {trial} by the
 * trial's id; other braces are left as they are.
 */
char		*rung_launch_subst(const char *arg, const struct rung_config *,
		     const char *trial);
/* Names in {braces} of arg that are neither a parameter nor trial. */
int		 rung_launch_subst_check(const char *arg,
		     const struct rung_config *, char **unknown);
/*
 * The argv of a trial (NULL-terminated, allocated, rung_free_strv):
 * mpirun --bind-to none -np K [--hostfile F] -x VAR... CMD...; mpiexec -n
 * K [-f F] CMD...; srun -n K --exact [--gpus-per-task=G] CMD...; or CMD
 * (sbatch: what the job runs, srun -n K CMD... for several ranks).
 * vars are the names the launcher must carry to other hosts.
 */
char		**rung_launch_argv(const struct rung_launcher_opts *,
		     const char *const *vars, size_t nvars,
		     char *const *cmd, size_t ncmd);
void		 rung_free_strv(char **);

/*
 * The environment. rung_env_under_mpi: envp shows that rung itself runs
 * under an MPI launcher. rung_env_build: a copy of envp without the
 * variables named in set and, when strip_mpi, without OMPI_*, PMIX_*,
 * PMI_*, HYDRA_*, HYDI_*, MPIR_*, OPAL_*, ORTE_*, PRTE_* (but
 * OMPI_ALLOW_RUN_AS_ROOT*), then set (NAME=VALUE strings) appended; a
 * NAME alone in set only removes it.
 */
int		 rung_env_under_mpi(char *const *envp);
int		 rung_env_is_mpi(const char *var);
char		**rung_env_build(char *const *envp, int strip_mpi,
		     char *const *set, size_t nset);

/* The GPU pool. */
struct rung_gpu_pool {
	char		*var;		/* CUDA_VISIBLE_DEVICES, ... */
	char		**tokens;	/* passed literally */
	uint32_t	 n;
	int		 pci_order;	/* set CUDA_DEVICE_ORDER=PCI_BUS_ID */
	char		*source;	/* where the pool came from */
	const char *const *unset;	/* not inherited by a trial; NULL */
};

/* Visibility variables, in the order auto looks at them. */
extern const char *const rung_gpu_vars[];

/*
 * spec: "auto" (an inherited visibility variable's tokens, else nvidia-smi
 * -L, else /dev/nvidia[0-9]*, else rocm-smi --showid --csv, else AMD kfd
 * nodes, else hl-smi -Q module_id, else none), "none", or a list "0,1,3"
 * with an optional kind "cuda:", "rocr:", "hip:", "ze:" or "habana:".
 * envp is the environment to inherit from. No GPU: n is 0 (CPU mode). A
 * pool of ROCR_VISIBLE_DEVICES unsets HIP_VISIBLE_DEVICES,
 * CUDA_VISIBLE_DEVICES and GPU_DEVICE_ORDINAL in its trials: HIP indexes
 * them into what ROCR leaves.
 */
int		 rung_gpu_pool_init(const char *spec, char *const *envp,
		     struct rung_gpu_pool *, char **cause);
void		 rung_gpu_pool_release(struct rung_gpu_pool *);
/* The pieces of auto, apart for tests: tools' outputs, /dev, /sys. */
uint32_t	 rung_gpu_parse_smi(const char *text, char ***tokens);
uint32_t	 rung_gpu_parse_rocm_smi(const char *text, char ***tokens);
uint32_t	 rung_gpu_parse_hl_smi(const char *text, char ***tokens);
uint32_t	 rung_gpu_scan_dev(const char *dir, char ***tokens);
uint32_t	 rung_gpu_scan_kfd(const char *dir, char ***tokens);
/* Prefixed to /dev and /sys by auto ("": the system's; tests: a tree). */
extern const char *rung_gpu_sysroot;

/*
 * The lines of a failed run's log (its end) that say why: the exception
 * of a Python traceback, else the last few lines that name an error (a
 * launcher's notice by its first paragraph), joined by " | "; NULL when
 * none does.
 */
char		*rung_log_why(const char *text);

/* Processes. */

/*
 * Run argv (argv[0] looked up in PATH) with /dev/null for its input and
 * capture its standard output, and its standard error too with
 * RUNG_CAPTURE_STDERR (else thrown away): at most max bytes (0: all),
 * added to *out. *status is its wait status (127: it could not be run).
 * 0, or -1 when no process could be started.
 */
struct rung_buf;
#define RUNG_CAPTURE_STDERR 0x1
int		 rung_capture(char *const *argv, int flags, size_t max,
		     struct rung_buf *out, int *status);

/*
 * The processes that belong to a trial: those of session sid (0: none)
 * and those whose environment holds RUNG_TRIAL_KEY=key (NULL: none), but
 * never one whose RUNG_TRIAL_KEY is another's. procdir is /proc. Returns
 * their number; *pids allocated (may be NULL when pids is).
 */
size_t		 rung_proc_find(const char *procdir, pid_t sid,
		     const char *key, pid_t **pids);
/* Session of a process, or -1. */
pid_t		 rung_proc_sid(const char *procdir, pid_t pid);

/* The live processes of procdir (zombies left out), to follow parents. */
struct rung_proc {
	pid_t		 pid;
	pid_t		 ppid;
};
size_t		 rung_proc_snapshot(const char *procdir, struct rung_proc **);
/*
 * The processes whose parent chain in the snapshot (sorted by it) reaches
 * top, not through any of skip: a subreaper's descendants, its orphans
 * among them. *pids allocated.
 */
size_t		 rung_proc_below(struct rung_proc *, size_t n, pid_t top,
		     const pid_t *skip, size_t nskip, pid_t **pids);

/*
 * cgroup v2. rung_cgroup_base: the directory of rung's own cgroup, or NULL
 * with *why. rung_cgroup_make: a cgroup at dir (made, or there already)
 * that rung may move processes into; -1 with *cause, nothing left behind.
 * rung_cgroup_open: its cgroup.procs for writing ("0" moves the writer).
 * rung_cgroup_procs: the processes in it. rung_cgroup_kill: SIGKILL to
 * every one (cgroup.kill where the kernel has it). rung_cgroup_remove: 0
 * once it is gone.
 */
char		*rung_cgroup_base(char **why);
int		 rung_cgroup_make(const char *dir, char **cause);
int		 rung_cgroup_open(const char *dir);
size_t		 rung_cgroup_procs(const char *dir, pid_t **pids);
void		 rung_cgroup_kill(const char *dir);
int		 rung_cgroup_remove(const char *dir);

/* The engine. */

struct rung_launch_opts {
	const char	*study;
	int		 resume;

	/* The campaign (kept in the launches table; fixed on resume). */
	struct rung_sched_params sched;	/* max_r is --max-steps */
	uint64_t	 budget;	/* steps; 0: none */
	uint64_t	 seed;
	enum rung_sampler sampler;	/* new configurations: --sampler */
	const char	*space_path;	/* --space */
	const char	*from;		/* --from: configurations of a study */
	const char	*metric;	/* NULL: the only one reported */
	enum rung_direction direction;	/* 0: guessed from the metric */
	char		**cmd;		/* the trainer and its arguments */
	size_t		 ncmd;

	/* How (may change on resume). */
	uint32_t	 parallel;	/* 0: the GPU slots, or 1 */
	struct rung_launcher_opts launcher;
	int		 launcher_given;
	const char	*gpus;		/* NULL: auto */
	int32_t		 gpus_per_trial;	/* -1: 1 with GPUs */
	const char	*logs;		/* NULL: ./rung-logs/STUDY */
	double		 step_timeout;	/* seconds; 0: none */
	double		 grace;		/* seconds between signals */
	int		 json;		/* the summary as JSON */
	int		 csv;		/* ... as CSV, the table alone */
	const char	*procdir;	/* NULL: /proc (tests) */
};

void		 rung_launch_opts_init(struct rung_launch_opts *);
/*
 * Run (or resume) a campaign to its end; the summary goes to out. 0, or
 * -1 with *cause. A campaign interrupted by SIGINT, SIGTERM or SIGHUP
 * stops its trials, is marked interrupted and returns -1 ("interrupted:
 * rung launch --resume STUDY carries on").
 */
int		 rung_launch_run(struct rung_store *,
		     const struct rung_launch_opts *, FILE *out, char **cause);

/* The trial's launch record for rung show: text, or into a JSON object. */
struct json_object;
int		 rung_launch_show_trial(struct rung_store *,
		     int64_t trial_rowid, FILE *out, struct json_object *obj);

#endif
