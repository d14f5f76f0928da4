/*
 * The engine of rung launch: one event loop over the trials' stdout pipes,
 * SIGCHLD and the timers, driving the scheduler exactly as the replay
 * simulator does (src/replay.c): free slots ask rung_sched_next() for
 * work, each report is told to rung_sched_report() in the order it
 * arrives, a trial that ends on its own is rung_sched_lost(). Around it:
 * launch-setup.c (launcher, GPUs), launch-resume.c (settings,
 * configurations, resume), launch-proc.c (starting and ending runs),
 * launch-report.c (what trials report), launch-summary.c (what is
 * printed), launch-log.c, launch-wait.c and the store's store-launch.c.
 *
 * With one trial at a time (--workers 1) and a trainer that is a
 * function of its parameters, the decisions are those of rung replay on
 * the same configurations with the same seed and one worker: the next
 * trial starts only once the last process of the previous one is gone,
 * and nothing else happens in between.
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "rung/launch.h"
#include "rung/rng.h"
#include "rung/sched.h"
#include "rung/space.h"
#include "rung/store.h"
#include "rung/study.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "launch-int.h"

extern char **environ;

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t nsignals;
static int sig_w = -1;

static void
on_signal(int sig)
{
	int	 saved = errno;

	if (sig != SIGCHLD) {
		got_signal = sig;
		nsignals++;
	}
	if (sig_w >= 0)
		(void)write(sig_w, "", 1);
	errno = saved;
}

void
rung_launch_opts_init(struct rung_launch_opts *o)
{
	memset(o, 0, sizeof *o);
	rung_sched_params_init(&o->sched, RUNG_POLICY_ASHA);
	o->gpus_per_trial = -1;
	o->step_timeout = -1;
	o->grace = -1;
	o->launcher.ranks = 1;
}
/* Progress on stderr: starts, decisions, ends. */
void
ln_note(struct launch *L, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	(void)L;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	rung_info("launch: %s", msg);
	free(msg);
}
void
ln_fail(struct launch *L, char *cause)
{
	if (L->fatal == NULL)
		L->fatal = cause;
	else
		free(cause);
	L->stopping = 1;
}

static uint32_t
gpus_free(const struct launch *L)
{
	uint32_t	 i, n = 0;

	for (i = 0; i < L->pool.n; i++)
		n += !L->gpu_busy[i];
	return n;
}

/* Trials that hold a slot: running, ending, or waiting to run. */
static uint32_t
busy_slots(const struct launch *L)
{
	uint32_t	 i, n = 0;

	for (i = 0; i < L->nt; i++)
		n += L->t[i]->active || L->t[i]->restart;
	return n;
}

static struct ltrial *
trial_new(struct launch *L, uint32_t handle)
{
	struct ltrial	*t;

	t = xcalloc(1, sizeof *t);
	t->handle = handle;
	t->out = t->log = -1;
	XGROW(L->t, L->tcap, L->nt + 1);
	L->t[L->nt++] = t;
	return t;
}

static void
trial_free(struct ltrial *t)
{
	uint32_t	 i;

	for (i = 0; i < t->nm; i++)
		series_release(&t->m[i]);
	free(t->m);
	series_release(&t->secs);
	rung_config_release(&t->cfg);
	free(t->ext);
	free(t->params);
	free(t->reason);
	free(t->key);
	if (t->cg != NULL)
		(void)rung_cgroup_remove(t->cg);
	free(t->cg);
	free(t->gpu);
	free(t->gpus);
	free(t->step);
	lp_remove_tmpdir(t);
	lsb_release(t);
	rung_buf_release(&t->part);
	if (t->out >= 0)
		close(t->out);
	if (t->log >= 0)
		close(t->log);
	free(t);
}

/* The run of t is over, every process of it gone. */
static void
finalize(struct launch *L, struct ltrial *t)
{
	char		*cause = NULL, *tail = NULL, *why = NULL, when[32];
	char		*said = NULL;
	const char	*event;
	uint32_t	 i;
	int		 lost = 0, code = -1, sig = 0;

	for (i = 0; i < t->ngpu; i++)
		L->gpu_busy[t->gpu[i]] = 0;
	t->ngpu = 0;
	t->active = 0;
	L->nactive--;
	lp_remove_tmpdir(t);
	L->idle = 0;
	if (WIFEXITED(t->wstatus))
		code = WEXITSTATUS(t->wstatus);
	else if (WIFSIGNALED(t->wstatus))
		sig = WTERMSIG(t->wstatus);
	if (sig)
		why = xprintf("killed by signal %d (%s)", sig, strsignal(sig));
	else
		why = xprintf("exit status %d", code);

	if (t->decided)
		event = "exit";		/* the decision has its own event */
	else if (t->timed_out) {
		t->state = LT_STOPPED;
		free(t->reason);
		t->reason = xprintf("no report for %g s (--step-timeout): "
		    "killed", L->o.step_timeout);
		event = "timeout";
		lost = 1;
	} else if (L->stopping) {
		/* Interrupted: run again on resume. */
		t->state = LT_RUNNING;
		free(t->reason);
		t->reason = xstrdup("interrupted: runs again on resume");
		event = "interrupted";
	} else if (code == 0) {
		if (t->last >= (int32_t)ceil(L->o.sched.max_r))
			t->state = LT_COMPLETE;
		else {
			t->state = LT_STOPPED;
			free(t->reason);
			t->reason = xprintf("ended on its own at step %d, "
			    "before step %d", t->last, t->target);
		}
		event = "ended";
		lost = 1;
	} else {
		t->state = LT_FAILED;
		event = "failed";
		lost = 1;
		tail = lg_tail(L, t);
		/* The exit status, and the lines of the log that say why. */
		said = rung_log_why(tail);
		free(t->reason);
		t->reason = xprintf("failed at step %d: %s%s%s", t->last, why,
		    said != NULL ? ": " : "", said != NULL ? said : "");
		L->nfailed++;
	}
	if (lost)
		rung_sched_lost(L->sc, t->handle);
	lg_timestamp(when);
	lg_note(L, t, "%s: run %u %s (%s)", when, t->runs, event, why);
	lg_check(L, t);
	if (t->log >= 0) {
		close(t->log);
		t->log = -1;
	}
	t->unsaved |= U_END;
	free(t->pend_tail);
	t->pend_tail = tail != NULL ? xstrdup(tail) : NULL;
	if (lost)
		L->unsaved_state = 1;
	lw_event(L, t, t->last, event, t->reason && !t->decided ? t->reason :
	    why);
	if (lw_flush(L, &cause) < 0)
		ln_fail(L, cause);
	if (t->state == LT_FAILED)
		ln_note(L, "trial %s %s (log: %s/%s.log)", t->ext, t->reason,
		    L->logs, t->ext);
	else if (t->timed_out)
		ln_note(L, "trial %s stopped: %s", t->ext, t->reason);
	else if (!t->decided && !L->stopping)
		ln_note(L, "trial %s %s", t->ext, t->reason ? t->reason :
		    "complete");
	/* A command that cannot work at all: stop before it eats them all. */
	if (t->state == LT_FAILED && L->reports == 0 && L->nfailed >= 3 &&
	    !L->stopping)
		ln_fail(L, xprintf("the first %u runs failed before any report "
		    "(%s/%s.log says: %s): is the command right?",
		    L->nfailed, L->logs, t->ext, said != NULL ? said :
		    lg_last_line(tail)));
	free(said);
	free(why);
	free(tail);
}

/* A run whose leader is gone: over once nothing of it remains. */
static void
check_end(struct launch *L, struct ltrial *t)
{
	pid_t	*pids;
	size_t	 n, i;

	if (t->job != 0) {
		/* Slurm said the job ended; its file is read to the end. */
		lsb_release(t);
		finalize(L, t);
		return;
	}
	if (t->out >= 0)
		lrp_read_out(L, t);
	n = lp_trial_procs(L, t, &pids);
	if (n > 0) {
		if (rung_now() >= t->linger) {
			if (t->cg != NULL)
				rung_cgroup_kill(t->cg);
			for (i = 0; i < n; i++)
				kill(pids[i], SIGKILL);
			t->linger = rung_now() + 0.5;
		}
		free(pids);
		return;
	}
	if (t->out >= 0) {
		/*
		 * No process of the trial remains: what is in the pipe is all
		 * there is (a stranger holding it is not waited for).
		 */
		lrp_read_out(L, t);
		if (t->out >= 0)
			lrp_close_out(L, t);
	}
	if (t->cg != NULL) {
		(void)rung_cgroup_remove(t->cg);
		free(t->cg);
		t->cg = NULL;
	}
	finalize(L, t);
}

/* RUNG_MAX_STEPS of a resource: "no limit" is max_r. */
static int32_t
clamp_target(const struct launch *L, int32_t resource)
{
	int32_t	 max = (int32_t)ceil(L->o.sched.max_r);

	return resource == INT32_MAX || resource > max ? max : resource;
}

/* Ask the scheduler for work while a slot and GPUs are free. */
static void
fill_slots(struct launch *L)
{
	struct rung_sched_action a;
	struct ltrial	*t;
	char		*cause = NULL;
	uint32_t	 i;
	int		 rc;

	while (!L->stopping && !L->budget_spent) {
		/* Nothing starts while the study lacks what happened. */
		if (lw_hold(L))
			return;
		/* Runs owed first: restarts, and resumes waiting for a slot. */
		for (i = 0; i < L->nt; i++) {
			t = L->t[i];
			if (!t->restart || t->active)
				continue;
			if (L->nactive >= L->parallel || gpus_free(L) < L->gpt)
				return;
			if ((rc = lp_spawn(L, t, t->target, t->from, t->pending,
			    &cause)) != 0) {
				if (rc < 0)
					ln_fail(L, cause);
				return;
			}
			if (lw_hold(L))
				return;
		}
		if (L->done || L->idle || busy_slots(L) >= L->parallel ||
		    gpus_free(L) < L->gpt)
			return;
		/*
		 * The write lock before the question: the answer changes the
		 * scheduler, which must not get ahead of the study because
		 * another process writes.
		 */
		if (ldb_begin(L, &cause) != 0) {
			if (lw_refused(L, &cause) < 0)
				ln_fail(L, cause);
			return;
		}
		lw_free_again(L);
		switch (rung_sched_next(L->sc, &a)) {
		case RUNG_ACT_START:
			if (a.trial != L->nt) {
				ldb_rollback(L);
				ln_fail(L, xprintf("the scheduler started "
				    "trial %u where %u was next", a.trial,
				    L->nt));
				return;
			}
			t = trial_new(L, a.trial);
			if (lrs_config_for(L, t) != 0) {
				/* --from has no more: as the replay does. */
				t->state = LT_STOPPED;
				rung_sched_lost(L->sc, a.trial);
				L->idle = 1;
				if (!L->exhausted)
					ln_note(L, "study '%s' has no "
					    "configuration left", L->o.from);
				L->exhausted = 1;
				if (ldb_save_state(L, &cause) != 0 ||
				    ldb_commit(L, &cause) != 0) {
					ldb_rollback(L);
					ln_fail(L, cause);
				}
				return;
			}
			t->target = clamp_target(L, a.resource);
			if (ldb_trial_new(L, t, &cause) != 0 ||
			    ldb_save_state(L, &cause) != 0 ||
			    ldb_commit(L, &cause) != 0) {
				ldb_rollback(L);
				ln_fail(L, cause);
				return;
			}
			if ((rc = lp_spawn(L, t, a.resource, 0, "start",
			    &cause)) < 0) {
				ln_fail(L, cause);
				return;
			}
			if (rc > 0) {
				/* Its key could not be written: owed. */
				t->restart = 1;
				t->from = 0;
				t->pending = "start";
				return;
			}
			break;
		case RUNG_ACT_RESUME:
			if (a.trial >= L->nt || L->t[a.trial]->rowid == 0) {
				ldb_rollback(L);
				ln_fail(L, xprintf("the scheduler resumed "
				    "trial %u, which never ran", a.trial));
				return;
			}
			t = L->t[a.trial];
			t->target = clamp_target(L, a.resource);
			t->from = t->last;
			t->state = LT_RUNNING;
			t->restart = 1;	/* runs when its last run is over */
			t->pending = "resume";
			/* Resumed in the state, running in the study: both. */
			if (ldb_save_state(L, &cause) != 0 ||
			    ldb_trial_update(L, t, NULL, 0, &cause) != 0 ||
			    ldb_commit(L, &cause) != 0) {
				ldb_rollback(L);
				ln_fail(L, cause);
				return;
			}
			break;
		case RUNG_ACT_WAIT:
			ldb_rollback(L);
			L->idle = 1;
			return;
		case RUNG_ACT_DONE:
			L->done = 1;
			if (ldb_save_state(L, &cause) != 0 ||
			    ldb_commit(L, &cause) != 0) {
				ldb_rollback(L);
				ln_fail(L, cause);
			}
			return;
		}
	}
}

/* Timers: step timeouts, the next signal, leftovers. */
static double
timers(struct launch *L)
{
	struct ltrial	*t;
	double		 now = rung_now(), next = now + 3600, at;
	uint32_t	 i;

	for (i = 0; i < L->nt; i++) {
		t = L->t[i];
		if (!t->active)
			continue;
		if (L->o.step_timeout > 0 && !t->decided && !t->timed_out &&
		    !t->reaped) {
			at = t->t_report + L->o.step_timeout;
			if (now >= at) {
				t->timed_out = 1;
				lg_note(L, t, "no report for %g s "
				    "(--step-timeout): killing the run",
				    L->o.step_timeout);
				lp_end_run(L, t, lp_kill_stages);
			} else if (at < next)
				next = at;
		}
		if (t->stages != NULL && !t->reaped) {
			if (now >= t->next_signal)
				lp_next_signal(L, t);
			if (t->next_signal < next)
				next = t->next_signal;
		}
		if (t->reaped) {
			check_end(L, t);
			if (t->active && now + 0.05 < next)
				next = now + 0.05;
		}
	}
	return lw_next(L, next);
}

static int
signalled(void)
{
	return got_signal != 0;
}

/*
 * Nothing runs and another process writes: wait for it (a signal ends the
 * wait), then write what was kept.
 */
static void
settle(struct launch *L)
{
	char	*cause = NULL;
	int	 rc;

	if ((rc = lw_lock(L, signalled, &cause)) > 0)
		return;
	if (rc < 0 || lw_write(L, &cause) != 0 || ldb_commit(L, &cause) != 0) {
		if (rc == 0)
			lw_abort(L);
		ln_fail(L, cause);
		return;
	}
	lw_written(L);
}

static void
interrupt(struct launch *L)
{
	uint32_t	 i;
	int		 sig = got_signal;

	got_signal = 0;
	if (!L->stopping) {
		L->stopping = 1;
		ln_note(L, "%s: ending %u running trial%s (again to kill them "
		    "at once)", strsignal(sig), L->nactive, L->nactive == 1 ?
		    "" : "s");
		for (i = 0; i < L->nt; i++)
			lp_end_run(L, L->t[i], lp_stop_stages);
		return;
	}
	if (nsignals > 1) {
		for (i = 0; i < L->nt; i++)
			lp_end_run(L, L->t[i], lp_now_stages);
	}
}

static void
event_loop(struct launch *L, int sig_r)
{
	struct pollfd	*pfd = NULL;
	struct ltrial	**who = NULL;
	size_t		 cap = 0;
	uint32_t	 i, n;
	double		 next, now;
	char		 drain[256], *cause = NULL;
	int		 ms;

	for (;;) {
		if (got_signal)
			interrupt(L);
		/* What another process kept out: again, in time. */
		if (lw_pending(L) && lw_flush(L, &cause) < 0)
			ln_fail(L, cause);
		if (L->stopping) {
			/* Every run ends; restarts and resumes do not start. */
			for (i = 0; i < L->nt; i++) {
				L->t[i]->restart = 0;
				if (L->t[i]->active && L->t[i]->stages == NULL)
					lp_end_run(L, L->t[i], lp_stop_stages);
			}
		} else
			fill_slots(L);
		next = lsb_follow(L, timers(L));
		if (L->nactive == 0) {
			if (L->stopping || L->done || L->budget_spent)
				break;
			/* Runs that just ended freed their slots. */
			fill_slots(L);
			if (L->nactive > 0 || L->stopping)
				continue;
			if (lw_hold(L) || L->wait_since != 0) {
				settle(L);
				continue;
			}
			/* WAIT with nothing running: nothing can come. */
			if (L->idle && !L->done && !L->exhausted)
				ln_note(L, "the scheduler waits and no trial "
				    "runs: ending the campaign");
			break;
		}
		XGROW(pfd, cap, L->nt + 1);
		who = xreallocarray(who, cap, sizeof *who);
		n = 0;
		pfd[n].fd = sig_r;
		pfd[n++].events = POLLIN;
		for (i = 0; i < L->nt; i++) {
			if (L->t[i]->active && L->t[i]->out >= 0) {
				who[n] = L->t[i];
				pfd[n].fd = L->t[i]->out;
				pfd[n++].events = POLLIN;
			}
		}
		now = rung_now();
		ms = next <= now ? 0 : next - now > 3600 ? 3600000 :
		    (int)ceil((next - now) * 1000);
		if (poll(pfd, n, ms) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN) {
			while (read(sig_r, drain, sizeof drain) > 0)
				;
		}
		lp_reap(L);
		for (i = 1; i < n; i++) {
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				lrp_read_out(L, who[i]);
		}
		lp_reap(L);
	}
	free(pfd);
	free(who);
}

static void
launch_free(struct launch *L)
{
	uint32_t	 i;

	lw_release(L);
	for (i = 0; i < L->nt; i++)
		trial_free(L->t[i]);
	free(L->t);
	for (i = 0; i < L->nmetrics; i++)
		free(L->metrics[i]);
	free(L->metrics);
	free(L->metric_ids);
	for (i = 0; i < L->nparams; i++)
		free(L->pnames[i]);
	free(L->pnames);
	free(L->pids);
	for (i = 0; i < L->nfrom; i++) {
		rung_config_release(&L->from_cfg[i]);
		free(L->from_ids[i]);
	}
	free(L->from_cfg);
	free(L->from_ids);
	lrs_sampler_free(L);
	rung_sched_free(L->sc);
	rung_space_free(L->space);
	rung_gpu_pool_release(&L->pool);
	free(L->gpu_busy);
	if (L->cg != NULL)
		(void)rung_cgroup_remove(L->cg);
	free(L->cg);
	free(L->cgbase);
	ldb_finalize(L);
	free(L->metric);
	free(L->cwd);
	free(L->logs);
	free(L->space_text);
	free(L->settings);
	free(L->nonce);
	free(L->status);
	free(L->fatal);
	if (L->lockfd >= 0)
		close(L->lockfd);
}

int
rung_launch_run(struct rung_store *st, const struct rung_launch_opts *cl,
    FILE *out, char **cause)
{
	struct launch	 L;
	struct lrs_keep	 keep = { NULL, NULL };
	struct sigaction sa, old[5];
	static const int sigs[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP,
	    SIGUSR1 };
	json_object	*j;
	char		*state = NULL, *prog = NULL, *p, *unknown;
	char		 buf[PATH_MAX];
	char		*msg = NULL;
	const char	*status;
	size_t		 len;
	uint32_t	 i;
	int		 sp[2] = { -1, -1 }, ret = -1, installed = 0, rc;
	struct rung_buf	 src = { 0 };

	memset(&L, 0, sizeof L);
	L.st = st;
	ldb_open(&L);
	L.o = *cl;
	L.lockfd = -1;
	L.sig_r = -1;
	L.quiet = rung_quiet;
	if (L.o.procdir == NULL)
		L.o.procdir = "/proc";
	if (getcwd(buf, sizeof buf) == NULL) {
		xasprintf(cause, "getcwd: %s", strerror(errno));
		return -1;
	}
	L.cwd = xstrdup(buf);
	L.nonce = xprintf("%lx%lx", (unsigned long)getpid(),
	    (unsigned long)time(NULL));
	L.started = rung_now();

	if (cl->resume) {
		if (ldb_load(&L, &state, cause) != 0 ||
		    lrs_settings_read(&L, cl, &keep, cause) != 0)
			goto out;
		if (lg_mkdirs(L.logs, cause) != 0 ||
		    lsu_lock_logs(&L, cause) != 0 ||
		    ldb_fold_left(&L, cause) != 0)
			goto out;
		if (strcmp(L.status, "done") == 0) {
			rung_info("launch: the campaign of '%s' is done",
			    L.o.study);
			launch_summary(&L, out, 0);
			ret = 0;
			goto out;
		}
		if (L.space_text != NULL && rung_space_parse(L.o.space_path ?
		    L.o.space_path : "space", L.space_text,
		    strlen(L.space_text), &L.space, cause) != 0)
			goto out;
		if (state != NULL) {
			if (rung_sched_restore(state, &L.sc, cause) != 0)
				goto out;
			L.o.sched = *rung_sched_params(L.sc);
		} else {
			L.o.sched.seed = L.o.seed * RUNG_RNG_GOLDEN;
			if (rung_sched_new(&L.o.sched, &L.sc, cause) != 0)
				goto out;
		}
	} else {
		if (L.o.ncmd == 0) {
			xasprintf(cause, "no command to run: give it after "
			    "the study and --");
			goto out;
		}
		if (L.o.space_path != NULL) {
			if (rung_space_load(L.o.space_path, &L.space,
			    cause) != 0 || rung_read_file(L.o.space_path, &p,
			    &len, cause) != 0)
				goto out;
			L.space_text = p;
		}
		/* The replay's scheduler seed for the same seed. */
		L.o.sched.seed = L.o.seed * RUNG_RNG_GOLDEN;
		if (rung_sched_new(&L.o.sched, &L.sc, cause) != 0)
			goto out;
		p = xprintf("rung-logs/%s", L.o.study);
		L.logs = lsu_absolute(L.cwd, L.o.logs ? L.o.logs : p);
		free(p);
		/* --logs runs/, as a shell completes it: no runs//1.log. */
		for (p = L.logs + strlen(L.logs); p > L.logs + 1 &&
		    p[-1] == '/'; p--)
			p[-1] = '\0';
		if (L.o.metric != NULL) {
			L.metric = xstrdup(L.o.metric);
			if (L.o.direction == 0)
				L.o.direction = rung_direction_guess(L.metric);
		}
	}
	if (L.o.grace < 0)
		L.o.grace = 10;
	if (L.o.step_timeout < 0)
		L.o.step_timeout = 0;
	if (L.o.from != NULL && lrs_load_from(&L, cause) != 0)
		goto out;
	lrs_sampler_new(&L);
	for (i = 0; cl->resume && i < L.nt; i++)
		lrs_config_restore(&L, L.t[i]);
	for (i = 0; i < L.o.ncmd; i++) {
		struct rung_config	 names = { 0 };

		if (L.space != NULL) {
			rung_space_sample(L.space, 0, 0, &names);
		} else if (L.nfrom > 0)
			rung_config_copy(&names, &L.from_cfg[0]);
		if (rung_launch_subst_check(L.o.cmd[i], &names,
		    &unknown) != 0) {
			rung_warn("launch: {%s} in '%s' names no parameter: "
			    "it is passed as it is", unknown, L.o.cmd[i]);
			free(unknown);
		}
		rung_config_release(&names);
	}
	if (lsu_launcher(&L, &prog, cause) != 0 || lsu_pool(&L, cause) != 0 ||
	    lsr_slots(&L, cause) != 0)
		goto out;
	if (L.o.launcher.hostfile == NULL) {
		/* Other hosts may have it where this one does not. */
		if (strchr(L.o.cmd[0], '/') != NULL) {
			p = lsu_absolute(L.cwd, L.o.cmd[0]);
			i = access(p, X_OK) == 0;
			free(p);
			p = i ? xstrdup(L.o.cmd[0]) : NULL;
		} else
			p = lsu_find_program(L.o.cmd[0]);
		if (p == NULL) {
			xasprintf(cause, "cannot run '%s': %s", L.o.cmd[0],
			    strchr(L.o.cmd[0], '/') ? "no such executable "
			    "file" : "not found in PATH");
			goto out;
		}
		free(p);
	}
	L.strip_mpi = rung_env_under_mpi(environ);
	if (lg_mkdirs(L.logs, cause) != 0)
		goto out;

	if (!cl->resume) {
		if (lsu_lock_logs(&L, cause) != 0)
			goto out;
		j = lrs_settings_json(&L);
		L.settings = xstrdup(json_object_to_json_string_ext(j,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(j);
		rung_buf_printf(&src, "launch:");
		for (i = 0; i < L.o.ncmd; i++)
			rung_buf_printf(&src, "%s%s", i ? " " : "",
			    L.o.cmd[i]);
		if (ldb_create(&L, rung_buf_cstr(&src), cause) != 0 ||
		    ldb_save_state(&L, cause) != 0)
			goto out;
	} else {
		if (ldb_status(&L, "running", NULL, cause) != 0 ||
		    ldb_event(&L, 0, -1, "resume", NULL, cause) != 0)
			goto out;
		lsr_cancel_leftovers(&L);
		lp_kill_leftovers(&L);
		if (lrs_reconcile(&L, cause) != 0)
			goto out;
	}
	ln_note(&L, "%s on '%s': %s%s, max %g steps, %u at a time, %s%s%s; "
	    "logs in %s", cl->resume ? "resuming" : "launching", L.o.study,
	    rung_policy_name(L.o.sched.policy), L.o.sampler ==
	    RUNG_SAMPLER_TPE ? " with tpe" : "", L.o.sched.max_r, L.parallel,
	    L.pool.n ? "GPUs from " : "no GPU (", L.pool.source,
	    L.pool.n ? "" : ")", L.logs);

	/* A job's processes are Slurm's to track and end. */
	if (L.o.launcher.kind != RUNG_LAUNCHER_SBATCH)
		lp_setup_tracking(&L);
	/* rung stays a plain program: orphans of a trial come back to it. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		rung_warn("launch: cannot become a child subreaper: %s",
		    strerror(errno));
	if (pipe2(sp, O_CLOEXEC | O_NONBLOCK) != 0) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		goto out;
	}
	sig_w = sp[1];
	got_signal = 0;
	nsignals = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 5; i++)
		sigaction(sigs[i], &sa, &old[i]);
	installed = 1;

	/*
	 * While trials run, another writer is not waited for beyond a moment:
	 * what it keeps out is kept and written later (launch-wait.c).
	 */
	L.sig_r = sp[0];
	ldb_busy_timeout(&L, LW_BUSY_MS);
	event_loop(&L, sp[0]);
	lp_sweep(&L);
	lsr_sweep(&L);

	/* Paused trials never resumed end stopped. */
	if (!L.stopping) {
		for (i = 0; i < L.nt; i++) {
			struct ltrial	*t = L.t[i];

			if (t->rowid == 0 || t->state != LT_PAUSED)
				continue;
			free(t->reason);
			t->reason = xprintf("paused at step %d and never "
			    "resumed", t->last);
			t->state = LT_STOPPED;
			t->unsaved |= U_UPDATE;
		}
	}
	/* All that was kept, then the end: one transaction, once it can. */
	if (L.fatal != NULL)
		status = "failed";
	else if (L.stopping)
		status = "interrupted";
	else
		status = "done";
	got_signal = 0;
	if ((rc = lw_lock(&L, signalled, &msg)) == 0 &&
	    (lw_write(&L, &msg) != 0 || ldb_status(&L, status, L.fatal ?
	    L.fatal : L.stopping ? "interrupted by a signal" : NULL,
	    &msg) != 0 || (!L.stopping && ldb_event(&L, 0, -1, "done", NULL,
	    &msg) != 0) || ldb_commit(&L, &msg) != 0)) {
		lw_abort(&L);
		rc = -1;
	}
	if (rc == 0)
		lw_written(&L);
	else if (rc > 0) {
		free(msg);
		msg = xprintf("interrupted while another process writes: %u "
		    "report%s and the campaign's end not recorded",
		    L.nkept, L.nkept == 1 ? "" : "s");
	}
	ldb_busy_timeout(&L, 10000);	/* the store's */
	if (L.fatal != NULL) {
		if (rc != 0)
			rung_warn("launch: %s", msg);
		*cause = L.fatal;
		L.fatal = NULL;
	} else if (L.stopping) {
		if (rc != 0)
			rung_warn("launch: %s", msg);
		xasprintf(cause, "interrupted: rung launch --resume %s carries "
		    "on", L.o.study);
	} else if (rc != 0) {
		*cause = msg;
		msg = NULL;
		goto out;
	} else
		ret = 0;
	launch_summary(&L, out, rung_now() - L.started);
out:
	if (installed) {
		for (i = 0; i < 5; i++)
			sigaction(sigs[i], &old[i], NULL);
		sig_w = -1;
	}
	if (sp[0] >= 0)
		close(sp[0]);
	if (sp[1] >= 0)
		close(sp[1]);
	free(state);
	free(prog);
	free(msg);
	rung_buf_release(&src);
	if (keep.j != NULL)
		json_object_put(keep.j);
	rung_free_strv(keep.cmd);
	launch_free(&L);
	return ret;
}

