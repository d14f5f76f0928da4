/*
 * The insides of rung launch, shared by its files: launch.c (the loop),
 * launch-setup.c, launch-resume.c, launch-proc.c, launch-slurm.c,
 * launch-srun.c, launch-sbatch.c, launch-report.c, launch-summary.c, launch-log.c,
 * launch-wait.c, and the store's store-launch.c and store-launch-read.c
 * (what it writes to the study, and reads back on resume).
 */
#ifndef RUNG_LAUNCH_INT_H
#define RUNG_LAUNCH_INT_H

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>

#include "rung/launch.h"
#include "rung/space.h"
#include "rung/util.h"

/* What became of a trial (launch_trials.state). */
enum ltstate {
	LT_RUNNING = 0,		/* running, or to run again on resume */
	LT_PAUSED,		/* at its rung; the scheduler may resume it */
	LT_STOPPED,		/* stopped early, timed out, or ended early */
	LT_COMPLETE,		/* reached max_r */
	LT_FAILED,		/* crashed */
};

struct series {
	int32_t		*steps;
	double		*vals;
	uint32_t	 n, cap;
	uint32_t	 saved;		/* points the study holds */
};

/* What of a trial the study does not hold yet (launch-wait.c). */
#define U_RUN		0x1	/* the run's row */
#define U_POINTS	0x2
#define U_UPDATE	0x4	/* state, decision */
#define U_END		0x8	/* the run's end, its log's tail */

/* An event to write, in order. */
struct lev {
	int64_t		 trial;		/* 0: of the campaign */
	int32_t		 step;
	char		*event;
	char		*detail;
};

struct ltrial {
	uint32_t	 handle;	/* the scheduler's */
	int64_t		 rowid;		/* trials.id */
	char		*ext;		/* trials.ext_id */
	struct rung_config cfg;
	char		*params;	/* RUNG_PARAMS */
	struct series	*m;		/* per metric of the launch */
	uint32_t	 nm;
	struct series	 secs;
	int32_t		 last;		/* last recorded step */
	int32_t		 seen;		/* last step told to the scheduler */
	enum ltstate	 state;
	char		*reason;
	uint32_t	 runs;
	int		 restart;	/* a run is owed: from, to target */
	const char	*pending;	/* its event: resume or restart */

	/* The current run. */
	int		 active;
	pid_t		 pid;		/* session leader */
	pid_t		 sid;
	char		*key;		/* RUNG_TRIAL_KEY */
	char		*cg;		/* its cgroup; NULL: none */
	int		 out;		/* its stdout, -1 at end of file */
	int		 log;
	struct rung_buf	 part;		/* an unfinished line */
	int32_t		 target;	/* RUNG_MAX_STEPS */
	int32_t		 from;		/* RUNG_RESUME_STEP */
	double		 t_start;
	double		 t_report;
	uint32_t	*gpu;		/* pool indices */
	uint32_t	 ngpu;
	char		*gpus;		/* their tokens, joined */
	char		*tmpdir;	/* Open MPI's session directory */
	char		*step;		/* srun: its Slurm steps, "J.S J.S" */
	int		 decided;	/* told to pause or stop */
	enum rung_decision decision;
	int		 finished;	/* the stop was at max_r */
	int		 timed_out;
	int		 reaped;
	int		 wstatus;
	int		 stage;		/* signals sent so far */
	const int	*stages;	/* the signals to send, 0 ends */
	double		 next_signal;
	double		 linger;	/* leader gone: leftovers killed at */
	uint32_t	 nmalformed;

	int		 tail;		/* points in curve_tail (schema 9) */
	int		 folding;	/* folded by the write not committed */

	unsigned	 unsaved;	/* U_* */
	const char	*pend_dname;	/* the last decision not written */
	int32_t		 pend_dstep;
	char		*pend_tail;
	int		 log_full;	/* a write to the log failed */

	/* --launcher sbatch (launch-sbatch.c): the run is a Slurm job. */
	int64_t		 job;		/* its id; 0: not a job */
	struct lsb_run	*sb;		/* its output file, its state */
};

struct ldb;

struct launch {
	struct rung_store *st;
	struct ldb	*db;		/* the store's (store-launch-int.h) */
	struct rung_launch_opts o;	/* effective */
	char		*cwd;
	char		*logs;
	char		*space_text;
	char		*settings;	/* JSON */
	int64_t		 study_id;
	int64_t		 launch_id;
	char		*metric;	/* of interest; NULL until known */
	int		 dir_guess;	/* direction from the metric's name */
	char		**metrics;
	int64_t		*metric_ids;
	uint32_t	 nmetrics;
	char		**pnames;	/* params rows */
	int64_t		*pids;
	uint32_t	 nparams;

	struct rung_sched *sc;
	struct rung_space *space;
	struct rung_config *from_cfg;	/* --from: the replay's pool */
	char		**from_ids;
	uint32_t	*from_trial;	/* study trial of each */
	uint32_t	 nfrom;
	struct rung_sampler_state *fsp;	/* picks from the pool (--from) */
	uint32_t	*hpick;		/* by handle: pool index, UINT32_MAX */
	uint32_t	 nhpick;
	struct rung_space_sampler *ssp;	/* draws from the space */

	struct ltrial	**t;		/* by handle */
	uint32_t	 nt;
	size_t		 tcap;
	uint32_t	 nactive;

	struct rung_gpu_pool pool;
	uint8_t		*gpu_busy;
	uint32_t	 gpt;		/* GPUs per trial */
	uint32_t	 parallel;
	char		*nonce;
	char		*cgbase;	/* rung's own cgroup; NULL: none */
	char		*cg;		/* the campaign's; NULL: none */
	int		 strip_mpi;
	char		*status;	/* launches.status */

	uint64_t	 steps;		/* trained, all trials */
	uint64_t	 reports;	/* told to the scheduler by this rung */
	uint32_t	 nfailed;	/* runs that failed */
	int		 done;		/* the scheduler said DONE */
	int		 idle;		/* nothing to start until an event */
	int		 exhausted;	/* --from has no configuration left */
	int		 budget_spent;
	int		 stopping;	/* interrupted or failed: end all */
	char		*fatal;		/* why it failed */
	double		 started;
	int		 lockfd;
	int		 quiet;
	int		 sig_r;		/* the signal pipe */

	/* Writes another process keeps out (launch-wait.c). */
	int		 busy;		/* the last error was SQLITE_BUSY */
	int		 unsaved_state;	/* the scheduler's state */
	int		 unsaved_metric; /* the study's metric */
	struct lev	*ev;
	size_t		 nev, evcap;
	uint32_t	 nkept;		/* reports not written yet */
	uint32_t	 mwritten;	/* metrics[] the study has for sure */
	double		 wait_since;	/* 0: not waiting */
	double		 retry_at;
	double		 noted_at;	/* when the wait was last told */
	int		 logs_full;	/* told once */
};

/* store-launch.c, store-launch-read.c: the campaign in the study. */
void		 ldb_open(struct launch *);
void		 ldb_busy_timeout(struct launch *, int ms);
void		 ldb_finalize(struct launch *);
int		 ldb_begin(struct launch *, char **cause);
int		 ldb_commit(struct launch *, char **cause);
void		 ldb_rollback(struct launch *);
/* New study and launch row; the study must not exist. */
int		 ldb_create(struct launch *, const char *source, char **cause);
/* The launch of an existing study: settings, state, trials and points. */
int		 ldb_load(struct launch *, char **sched_state, char **cause);
int		 ldb_set_metric(struct launch *, const char *metric,
		     enum rung_direction, char **cause);
/* The index of a metric; a new one is written by ldb_metric_rows. */
uint32_t	 ldb_metric(struct launch *, const char *name);
int		 ldb_metric_rows(struct launch *, char **cause);
int		 ldb_trial_new(struct launch *, struct ltrial *, char **cause);
int		 ldb_trial_key(struct launch *, struct ltrial *, char **cause);
int		 ldb_trial_run(struct launch *, struct ltrial *, char **cause);
int		 ldb_points(struct launch *, struct ltrial *, char **cause);
int		 ldb_trial_update(struct launch *, struct ltrial *,
		     const char *decision, int32_t decision_step,
		     char **cause);
int		 ldb_trial_end(struct launch *, struct ltrial *,
		     const char *tail, char **cause);
/* A trial's tail rows into its curves: at a run's end, and on resume. */
int		 ldb_fold(struct launch *, struct ltrial *, char **cause);
int		 ldb_fold_left(struct launch *, char **cause);
int		 ldb_save_state(struct launch *, char **cause);
int		 ldb_event(struct launch *, int64_t trial, int32_t step,
		     const char *event, const char *detail, char **cause);
int		 ldb_status(struct launch *, const char *status,
		     const char *message, char **cause);
const char	*ldb_state_name(enum ltstate);
int		 ldb_state_parse(const char *);

/* launch-log.c: the trials' logs, whose file system may fill up. */
void		 lg_note(struct launch *, struct ltrial *, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
int		 lg_mkdirs(const char *path, char **cause);
void		 lg_timestamp(char buf[32]);
char		*lg_tail(struct launch *, struct ltrial *);
const char	*lg_last_line(const char *text);
int		 lg_open(struct launch *, struct ltrial *, const char *path,
		     char **cause);
void		 lg_write(struct launch *, struct ltrial *, const void *,
		     size_t);
void		 lg_printf(struct launch *, struct ltrial *, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
void		 lg_check(struct launch *, struct ltrial *);

/* launch-wait.c: writes kept while another process holds the database. */
#define LW_BUSY_MS	200	/* the busy timeout while trials run */
void		 lw_event(struct launch *, const struct ltrial *, int32_t step,
		     const char *event, const char *detail);
int		 lw_flush(struct launch *, char **cause);
int		 lw_pending(const struct launch *);
/* The write lock: 0 held, 1 another writes (till stop() if given). */
int		 lw_lock(struct launch *, int (*stop)(void), char **cause);
int		 lw_write(struct launch *, char **cause);
void		 lw_written(struct launch *);
void		 lw_abort(struct launch *);
int		 lw_refused(struct launch *, char **cause);
int		 lw_hold(const struct launch *);
void		 lw_free_again(struct launch *);
double		 lw_next(const struct launch *, double next);
void		 lw_release(struct launch *);

/* launch.c: the loop. */
void		 ln_note(struct launch *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
/* The campaign fails: cause (taken) is said, every run ends. */
void		 ln_fail(struct launch *, char *cause);

/* launch-setup.c */
/* Is prog runnable (a path, or found in PATH)? The full path, or NULL. */
char		*lsu_find_program(const char *);
int		 lsu_launcher(struct launch *, char **prog, char **cause);
int		 lsu_pool(struct launch *, char **cause);
int		 lsu_lock_logs(struct launch *, char **cause);
char		*lsu_absolute(const char *cwd, const char *path);

/* launch-resume.c */
struct json_object;
/* Strings of the settings live as long as the launch: kept here. */
struct lrs_keep {
	struct json_object *j;
	char		**cmd;
};
struct json_object *lrs_settings_json(const struct launch *);
int		 lrs_settings_read(struct launch *,
		     const struct rung_launch_opts *, struct lrs_keep *,
		     char **cause);
int		 lrs_load_from(struct launch *, char **cause);
int		 lrs_config_for(struct launch *, struct ltrial *);
void		 lrs_config_restore(struct launch *, struct ltrial *);
/* The space's sampler; --from's was made by lrs_load_from. */
void		 lrs_sampler_new(struct launch *);
void		 lrs_sampler_free(struct launch *);
/* A report the scheduler is told now (its value lower is better). */
void		 lrs_observe(struct launch *, const struct ltrial *, int32_t step,
		     double value);
int		 lrs_reconcile(struct launch *, char **cause);

/* launch-proc.c: the runs' processes. */
extern const int lp_stop_stages[];	/* cooperative first */
extern const int lp_kill_stages[];
extern const int lp_now_stages[];
/* 0 started, 1 owed (another process writes), -1 with *cause. */
int		 lp_ompi_root(char **set, size_t *nset);
int		 lp_spawn(struct launch *, struct ltrial *, int32_t target,
		     int32_t from, const char *event, char **cause);
void		 lp_end_run(struct launch *, struct ltrial *, const int *);
void		 lp_end_run_later(struct launch *, struct ltrial *);
void		 lp_next_signal(struct launch *, struct ltrial *);
size_t		 lp_trial_procs(struct launch *, struct ltrial *, pid_t **);
void		 lp_remove_tmpdir(struct ltrial *);
void		 lp_setup_tracking(struct launch *);
void		 lp_reap(struct launch *);
void		 lp_sweep(struct launch *);
void		 lp_kill_leftovers(struct launch *);
/* The event and note of what resume killed of a previous run. */
void		 lp_killed(struct launch *, struct ltrial *, const char *detail);

/* launch-slurm.c: the Slurm clients, for srun and sbatch. */
/*
 * Run a Slurm client with env (NULL: rung's) for its environment; its
 * stdout (and stderr with RUNG_CAPTURE_STDERR in flags) up to 1 MiB, or
 * NULL when it could not run. *status (may be NULL): its wait status.
 */
char		*lsl_run(char **argv, char **env, int flags, int *status);
/* What scancel --signal= takes for sig. */
const char	*lsl_sig_name(int sig, char buf[16]);

/* launch-srun.c: runs as Slurm job steps (--launcher srun). */
int		 lsr_active(const struct launch *);
int		 lsr_binds(const struct launch *);
int		 lsr_check(struct launch *, char **cause);
int		 lsr_pool(struct launch *, char **cause);
int		 lsr_slots(struct launch *, char **cause);
char		**lsr_argv(struct launch *, struct ltrial *, char **argv,
		     size_t ncmd);
void		 lsr_line(struct launch *, struct ltrial *, const char *line,
		     size_t len);
int		 lsr_signal(struct launch *, struct ltrial *, int sig);
void		 lsr_cancel_leftovers(struct launch *);
void		 lsr_sweep(struct launch *);
/* Slurm's GPU indices: "0-1,3"; scontrol -d show job's GRES=...(IDX:). */
void		 lsr_add_range(const char *, char ***tokens, uint32_t *n);
uint32_t	 lsr_parse_gpus(const char *text, char ***tokens);

/* launch-report.c: what the trials say. */
void		 series_add(struct series *, int32_t step, double v);
void		 series_release(struct series *);
uint32_t	 lrp_metric_index(const struct launch *);
double		 lrp_sched_value(const struct launch *, double);
void		 lrp_read_out(struct launch *, struct ltrial *);
void		 lrp_close_out(struct launch *, struct ltrial *);
/* Output read elsewhere (a job's file): its lines, its unfinished one. */
void		 lrp_feed(struct launch *, struct ltrial *, const char *,
		     size_t);
void		 lrp_end_lines(struct launch *, struct ltrial *);

/* launch-sbatch.c: --launcher sbatch, each run a Slurm job. */
struct lsb_run;
char		*lsb_job_name(const struct launch *, const struct ltrial *);
int		 lsb_pool(struct launch *, char **cause);
int		 lsb_submit(struct launch *, struct ltrial *, char **inner,
		     char **envp, char **cause);
double		 lsb_follow(struct launch *, double next);
void		 lsb_signal(struct launch *, struct ltrial *, int sig);
int		 lsb_adopt(struct launch *, struct ltrial *, char **cause);
void		 lsb_release(struct ltrial *);

/* launch-summary.c */
void		 launch_summary(struct launch *, FILE *, double secs);

#endif
