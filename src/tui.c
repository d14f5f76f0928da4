/*
 * The explorer: the table of its screens and the dispatch through it, the
 * main loop (keys, the results of jobs, signals), --bench-keys, and the
 * start and end of a session. The terminal is tui-term.c's, the frame
 * tui-frame.c's, the command line's commands tui-cmd.c's; each screen is
 * a view-*.c, reached only through tui_views.
 */
#include "config.h"

#include <sys/resource.h>

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui-int.h"
#include "rung/xmalloc.h"

extern const struct rung_view_ops tui_view_studies, tui_view_trials,
    tui_view_detail, tui_view_fit, tui_view_replay, tui_view_output,
    tui_view_launch, tui_view_params, tui_view_help;

/* The screens, in the order of enum tui_screen. */
const struct rung_view_ops *const tui_views[SCR_N] = {
	&tui_view_studies,
	&tui_view_trials,
	&tui_view_detail,
	&tui_view_fit,
	&tui_view_replay,
	&tui_view_output,
	&tui_view_launch,
	&tui_view_params,
	&tui_view_help,
};

struct tui	*tui_current;


void
tui_message(struct tui *t, int is_error, const char *fmt, ...)
{
	va_list	 ap;

	free(t->msg);
	va_start(ap, fmt);
	xvasprintf(&t->msg, fmt, ap);
	va_end(ap);
	t->msg_error = is_error;
	t->dirty = 1;
}

/* The database, opened once. */
int
tui_open_store(struct tui *t)
{
	char	*cause = NULL;

	if (t->ctx->store != NULL) {
		if (t->live_ver < 0)
			t->live_ver = rung_store_data_version(t->ctx->store);
		return 0;
	}
	if (rung_ctx_store(t->ctx, 1, &cause) != 0) {
		free(t->store_cause);
		t->store_cause = cause;
		return -1;
	}
	free(t->store_cause);
	t->store_cause = NULL;
	/*
	 * Not memory-mapped (it was once): each mapped page read stays in
	 * the process's resident memory while the map lives, a gigabyte
	 * more at a million trials for pages read once by the load, and the
	 * page cache serves the reads as fast.
	 */
	/* Before anything is read: a commit from now on is a change. */
	t->live_ver = rung_store_data_version(t->ctx->store);
	return 0;
}

void
tui_reload(struct tui *t)
{
	int	 i;

	for (i = 0; i < SCR_N; i++) {
		if (tui_views[i]->reload != NULL)
			tui_views[i]->reload(t);
	}
}

void
tui_set_screen(struct tui *t, enum tui_screen scr)
{
	const struct rung_view_ops *v = tui_views[scr];

	if (scr == t->screen)
		return;
	if ((v->flags & VIEW_PICK) && t->s == NULL) {
		tui_message(t, 1, "no study is open: choose one on the "
		    "studies screen");
		scr = SCR_STUDIES;
		v = tui_views[scr];
	}
	if ((v->flags & VIEW_STUDY) && t->s == NULL) {
		tui_message(t, 1, "open a study first");
		return;
	}
	if ((tui_views[t->screen]->flags & VIEW_ASIDE) == 0)
		t->back = t->screen;
	t->screen = scr;
	if (v->open != NULL)
		v->open(t);
	t->dirty = 1;
}

/* Keys. */

static enum tui_action
find_action(struct tui *t, int c)
{
	const struct tui_key *k;
	int		 i;

	if (c == '\r')
		c = '\n';
	for (k = tui_keys; k->help != NULL; k++) {
		if ((k->screens & ON(t->screen)) == 0)
			continue;
		for (i = 0; i < 3 && k->keys[i] != 0; i++) {
			if (k->keys[i] == c)
				return k->action;
		}
	}
	return ACT_NONE;
}

/*
 * q: where the screen says (help back where it came from, the trials to
 * the studies when opened from there), else the trials, or the studies
 * without a study.
 */
static void
back(struct tui *t)
{
	const struct rung_view_ops *v = tui_views[t->screen];
	int		 scr;

	if (v->back != NULL)
		scr = v->back(t);
	else
		scr = t->s != NULL ? SCR_TRIALS : SCR_STUDIES;
	if (scr < 0)
		t->quit = 1;
	else
		tui_set_screen(t, (enum tui_screen)scr);
}

static void
handle_key(struct tui *t, int c)
{
	const struct rung_view_ops *v;
	enum tui_action	 a;
	int		 i;

	if (c == KEY_RESIZE) {
		getmaxyx(stdscr, t->rows, t->cols);
		tui_prompt_resize(t);
		t->dirty = 1;
		return;
	}
	/* Keys act on the study whole: one opened light waits for it. */
	tui_trials_whole(t, 1);
	if (t->prompting) {
		tui_prompt_key(t, c);
		return;
	}
	free(t->matches);
	t->matches = NULL;
	if (t->cols < TUI_MIN_COLS || t->rows < TUI_MIN_ROWS) {
		if (c == 'q' || c == 'Q')
			t->quit = 1;
		return;
	}
	a = find_action(t, c);
	if (a != ACT_NONE && a != ACT_REDRAW && t->msg != NULL) {
		free(t->msg);
		t->msg = NULL;
	}
	t->dirty = 1;
	switch (a) {
	case ACT_NONE:
		if (c == 27)
			return;
		if (c < 256 && c >= ' ') {
			char	 buf[16];

			tui_message(t, 1, "'%s' does nothing here: ? lists the "
			    "keys", tui_key_name(c, buf));
		}
		return;
	case ACT_PROMPT:
		tui_prompt_open(t, ':', NULL);
		return;
	case ACT_QUIT:
		t->quit = 1;
		return;
	case ACT_BACK:
		back(t);
		return;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		return;
	case ACT_SEARCH:
		tui_prompt_open(t, '/', NULL);
		return;
	default:
		break;
	}
	for (i = 0; i < SCR_N; i++) {
		v = tui_views[i];
		if (v->show != a)
			continue;
		if (v->flags & VIEW_RELOAD)
			v->reload(t);
		tui_set_screen(t, (enum tui_screen)i);
		return;
	}
	tui_views[t->screen]->key(t, a);
}

/*
 * Another process changed the database (an import, a follower, a
 * campaign): every screen reads it again, keeping where the user is. A
 * look is SQLite's data_version, a pragma that reads no table, once a
 * second at most; not while a job works on the study.
 */
#define LIVE_MS	1000

/* Another process wrote the database: every screen follows. */
static void
live_apply(struct tui *t)
{
	tui_reload(t);
	tui_trials_refresh(t);
	t->live_changed = time(NULL);
	t->dirty = 1;
}

static void
live_look(struct tui *t)
{
	int64_t	 v;

	if (t->ctx->store == NULL || rung_now() - t->live_looked <
	    LIVE_MS / 1000.0 || tui_busy(t))
		return;
	t->live_looked = rung_now();
	if ((v = rung_store_data_version(t->ctx->store)) < 0)
		return;
	if (t->live_ver >= 0 && v != t->live_ver)
		live_apply(t);
	t->live_ver = v;
}

/* Results of the jobs, signals and resizes. */
static void
poll_work(struct tui *t)
{
	int	 i;

	tui_term_poll(t);
	if (t->out_r >= 0)
		tui_output_read(t, t->out_r, 0);
	if (t->err_r >= 0)
		tui_output_read(t, t->err_r, 1);
	if (tui_job_done(&t->cmd.job))
		tui_cmd_done(t);
	for (i = 0; i < SCR_N; i++) {
		if (tui_views[i]->poll != NULL)
			tui_views[i]->poll(t);
	}
	if (t->line != NULL) {
		char	*line = t->line;
		int	 kind = t->line_kind;

		t->line = NULL;
		tui_run_line(t, line, kind);
		free(line);
		t->dirty = 1;
	}
}

/* A job running: the command's or a screen's. */
int
tui_busy(struct tui *t)
{
	int	 i;

	if (tui_job_running(&t->cmd.job))
		return 1;
	for (i = 0; i < SCR_N; i++) {
		if (tui_views[i]->busy != NULL && tui_views[i]->busy(t))
			return 1;
	}
	return 0;
}

static void
main_loop(struct tui *t)
{
	struct pollfd	 pfd[3];
	int		 n, c, keys;

	while (!t->quit) {
		poll_work(t);
		if (t->quit)
			break;
		if (t->dirty)
			tui_draw(t);
		n = 0;
		pfd[n].fd = STDIN_FILENO;
		pfd[n++].events = POLLIN;
		pfd[n].fd = tui_wake_fd();
		pfd[n++].events = POLLIN;
		if (t->err_r >= 0) {
			pfd[n].fd = t->err_r;
			pfd[n++].events = POLLIN;
		}
		/*
		 * Busy: wake up for the spinner and the clock; the launch
		 * screen reads its campaign again every second.
		 */
		if (poll(pfd, (nfds_t)n, tui_busy(t) ? 125 :
		    tui_views[t->screen]->refresh_ms > 0 ?
		    tui_views[t->screen]->refresh_ms : LIVE_MS) < 0 &&
		    errno != EINTR)
			break;
		live_look(t);
		tui_drain_wake();
		if (tui_busy(t))
			t->dirty = 1;
		for (keys = 0; keys < 512 && (c = getch()) != ERR; keys++) {
			handle_key(t, c);
			if (t->quit)
				break;
			poll_work(t);
		}
	}
}

/* --bench-keys: time the first frame and the redraw after each key. */
#define LIVE_BENCH_TRIALS 100

static double
since_exec(void)
{
	FILE		*f;
	char		 buf[1024], *p;
	unsigned long long start;
	struct timespec	 ts;
	int		 i;

	if ((f = fopen("/proc/self/stat", "r")) == NULL)
		return NAN;
	p = fgets(buf, sizeof buf, f);
	fclose(f);
	if (p == NULL || (p = strrchr(buf, ')')) == NULL)
		return NAN;
	/* Field 22, starttime, in clock ticks since boot. */
	for (i = 2; i < 22 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p, "%llu", &start) != 1)
		return NAN;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9 - (double)start /
	    (double)sysconf(_SC_CLK_TCK);
}

static void
bench(struct tui *t, long nkeys, double started, double loaded,
    double first, long first_kib)
{
	static const int cycle[] = {
		'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j',
		'k', 'k', 'k', 'k', KEY_NPAGE, KEY_NPAGE, KEY_PPAGE, ' ', 'j',
		' ', 'j', ' ', 'c', 'c', 'l', 'l', 't', 't', 't', 't', 'G',
		'g', '>', '<', '\t', KEY_LEFT, KEY_RIGHT, '\t', '\t', KEY_RIGHT,
		KEY_LEFT, 'h', 'x', 's', 'S', 'S', 's', 'j',
	};
	const int	 ncycle = (int)(sizeof cycle / sizeof cycle[0]);
	struct rusage	 ru;
	long		 whole_kib = 0;
	double		*ms, t0, worst = 0, sum = 0, reload = 0, live = 0, whole;
	uint64_t	 made = 0, running = 0, m0;
	char		*cause = NULL;
	int		 worst_key = 0, c;
	long		 i;
	char		 buf[16];

	/* A study opened light: the keys are timed on the study whole. */
	t0 = rung_now();
	tui_trials_whole(t, 1);
	whole = (rung_now() - t0) * 1e3;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		whole_kib = ru.ru_maxrss;
	ms = xreallocarray(NULL, (size_t)nkeys, sizeof *ms);
	for (i = 0; i < nkeys; i++) {
		c = cycle[i % ncycle];
		t0 = rung_now();
		handle_key(t, c);
		poll_work(t);
		tui_draw(t);
		ms[i] = (rung_now() - t0) * 1e3;
		sum += ms[i];
		if (ms[i] > worst) {
			worst = ms[i];
			worst_key = c;
		}
	}
	qsort(ms, (size_t)nkeys, sizeof *ms, rung_cmp_double);
	/*
	 * A live refresh: what another connection's write of 100 trials
	 * costs the explorer (the changed trials read and merged, the rows
	 * rebuilt, a frame), against reading the study whole; best of 3.
	 */
	for (i = 0; i < 3 && cause == NULL; i++) {
		if (tui_bench_write(t, LIVE_BENCH_TRIALS, (unsigned)i,
		    &cause) != 0)
			break;
		t0 = rung_now();
		m0 = tui_trials_forecasts(t, NULL);
		live_apply(t);
		tui_draw(t);
		t0 = (rung_now() - t0) * 1e3;
		if (i == 0 || t0 < live)
			live = t0;
		made = tui_trials_forecasts(t, &running) - m0;
		t0 = rung_now();
		tui_reload(t);
		tui_trials_reload(t);
		tui_draw(t);
		t0 = (rung_now() - t0) * 1e3;
		if (i == 0 || t0 < reload)
			reload = t0;
	}
	endwin();
	tui_restore_stderr(t);
	fprintf(stderr, "screen          %dx%d%s\n", t->cols, t->rows,
	    t->headless ? " (no terminal: drawn into /dev/null)" : "");
	fprintf(stderr, "study           %s: %u trials, %u points\n",
	    t->s ? t->s->name : "-", t->s ? t->s->ntrials : 0,
	    t->s ? t->s->curve.off[t->s->ntrials] : 0);
	fprintf(stderr, "first frame     %.1f ms after exec, %.1f ms after "
	    "rung tui started (study loaded in %.1f ms)\n",
	    since_exec() * 1e3 - (rung_now() - first) * 1e3,
	    (first - started) * 1e3, (loaded - started) * 1e3);
	fprintf(stderr, "peak memory     %ld MiB at the first frame\n",
	    first_kib / 1024);
	fprintf(stderr, "read whole      %.1f ms after the first frame "
	    "(0: read whole before it); peak memory %ld MiB then\n", whole,
	    whole_kib / 1024);
	fprintf(stderr, "keys            %ld\n", nkeys);
	fprintf(stderr, "redraw per key  median %.3f ms, p90 %.3f ms, "
	    "p99 %.3f ms, max %.3f ms (%s), mean %.3f ms\n",
	    ms[nkeys / 2], ms[nkeys * 9 / 10], ms[nkeys * 99 / 100],
	    ms[nkeys - 1], tui_key_name(worst_key, buf), sum / nkeys);
	if (cause != NULL) {
		fprintf(stderr, "live refresh    -: %s\n", cause);
		free(cause);
	} else
		fprintf(stderr, "live refresh    %.1f ms (%d trials written by "
		    "another connection, half grown by a point, half new; "
		    "the study read whole: %.1f ms); forecasts made again: "
		    "%llu of %llu running\n", live, LIVE_BENCH_TRIALS, reload,
		    (unsigned long long)made, (unsigned long long)running);
	free(ms);
}

static void
tui_free(struct tui *t)
{
	int	 i;

	for (i = 0; i < SCR_N; i++) {
		if (tui_views[i]->release != NULL)
			tui_views[i]->release(t);
		free(t->view[i]);
	}
	free(t->store_cause);
	tui_output_free(&t->out);
	free(t->cmd.line);
	free(t->msg);
	free(t->matches);
	free(t->search);
	free(t->line);
	free(t);
}

int
rung_tui_run(struct rung_ctx *ctx, const struct rung_tui_opts *o)
{
	struct tui	*t;
	char		*cause = NULL;
	double		 started = rung_now(), loaded, first;
	struct rusage	 ru;
	long		 first_kib = 0;
	int		 ret, i;

	t = xcalloc(1, sizeof *t);
	t->live_ver = -1;	/* no database yet: the first look only reads */
	t->ctx = ctx;
	t->db_path = ctx->db_path;
	t->out_r = t->err_r = t->saved_stderr = -1;
	t->screen = t->back = SCR_STUDIES;
	for (i = 0; i < SCR_N; i++) {
		if (tui_views[i]->size > 0)
			t->view[i] = xcalloc(1, tui_views[i]->size);
	}
	if (tui_term_setup(t, o, &cause) != 0) {
		rung_error("tui: %s", cause);
		free(cause);
		tui_term_restore(t);
		tui_current = NULL;
		for (i = 0; i < SCR_N; i++)
			free(t->view[i]);
		free(t);
		return RUNG_EXIT_ERROR;
	}
	/* The studies read, then the study asked for or the only one. */
	for (i = 0; i < SCR_N; i++) {
		if (tui_views[i]->init != NULL)
			tui_views[i]->init(t, o);
	}
	if (t->s == NULL && t->store_cause != NULL)
		tui_message(t, 1, "%s: ':import FILE' makes one",
		    t->store_cause);
	loaded = rung_now();
	tui_draw(t);
	first = rung_now();
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		first_kib = ru.ru_maxrss;
	if (o->bench_keys > 0) {
		if (o->study != NULL && t->s == NULL) {
			tui_term_restore(t);
			tui_current = NULL;
			rung_error("tui: %s", t->msg ? t->msg : "no study");
			tui_prompt_fini();
			tui_free(t);
			return RUNG_EXIT_ERROR;
		}
		bench(t, o->bench_keys, started, loaded, first, first_kib);
	} else
		main_loop(t);
	ret = t->exit_status;
	tui_prompt_fini();
	/*
	 * Work still running dies with the process rather than keep the
	 * user waiting; a command is named, for it may have been writing
	 * (a transaction it did not commit leaves the database as it was).
	 */
	if (tui_busy(t)) {
		tui_term_restore(t);
		tui_current = NULL;
		if (tui_job_running(&t->cmd.job))
			rung_warn("'%s' was still running and did not finish",
			    t->cmd.line);
		fflush(NULL);
		_exit(ret);
	}
	tui_term_restore(t);
	tui_current = NULL;
	tui_free(t);
	return ret;
}
