/*
 * The explorer's insides, shared by tui.c (terminal, keys, main loop),
 * tui-draw.c (text and braille), tui-prompt.c (readline), tui-job.c
 * (threads) and the view-*.c screens. Everything runs on the main thread
 * except the jobs, which own their inputs and hand results back through
 * tui_job_done().
 */
#ifndef RUNG_TUI_INT_H
#define RUNG_TUI_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include <curses.h>

#include "rung/cmd.h"
#include "rung/predict.h"
#include "rung/replay.h"
#include "rung/store.h"
#include "rung/study.h"
#include "rung/tui.h"
#include "rung/util.h"

#define TUI_MIN_COLS	80
#define TUI_MIN_ROWS	24

enum tui_screen {
	SCR_STUDIES = 0,
	SCR_TRIALS,
	SCR_DETAIL,
	SCR_FIT,
	SCR_REPLAY,
	SCR_OUTPUT,
	SCR_LAUNCH,
	SCR_PARAMS,
	SCR_HELP,
	SCR_N
};
#define ON(s)		(1U << (s))
#define ON_ALL		((1U << SCR_N) - 1)
#define ON_LISTS	(ON(SCR_STUDIES) | ON(SCR_TRIALS) | ON(SCR_DETAIL) | \
			 ON(SCR_FIT) | ON(SCR_REPLAY) | ON(SCR_OUTPUT) | \
			 ON(SCR_LAUNCH) | ON(SCR_PARAMS) | ON(SCR_HELP))

enum tui_action {
	ACT_NONE = 0,
	ACT_DOWN, ACT_UP, ACT_PGDN, ACT_PGUP, ACT_TOP, ACT_BOTTOM, ACT_LEFT, ACT_RIGHT,
	ACT_SEARCH, ACT_SEARCH_NEXT, ACT_SEARCH_PREV, ACT_FILTER, ACT_FILTER_CLEAR,
	ACT_SORT, ACT_SORT_REVERSE, ACT_MARK, ACT_UNMARK_ALL, ACT_COMPARE, ACT_TOPK,
	ACT_LOGY, ACT_XAXIS, ACT_METRIC, ACT_PREFIX_LESS, ACT_PREFIX_MORE, ACT_REFIT,
	ACT_FOCUS, ACT_ENTER, ACT_HELP, ACT_PROMPT, ACT_BACK, ACT_QUIT, ACT_STUDIES,
	ACT_TRIALS, ACT_FIT, ACT_REPLAY, ACT_OUTPUT, ACT_REDRAW, ACT_RERUN,
	ACT_LAUNCH, ACT_PARAMS, ACT_SMOOTH, ACT_COLORBY, ACT_PARAMVIEW,
	ACT_PV_MODE, ACT_PV_OTHER, ACT_BRUSH_LO_DOWN, ACT_BRUSH_LO_UP,
	ACT_BRUSH_HI_DOWN, ACT_BRUSH_HI_UP, ACT_BRUSH_CLEAR, ACT_SVR_NEXT,
};

struct tui_key {
	int		 keys[3];	/* key codes; 0 ends */
	unsigned	 screens;	/* ON() mask */
	enum tui_action	 action;
	const char	*help;
};
extern const struct tui_key tui_keys[];

/* What Tab offers for the operands of a command of the prompt. */
enum tui_operand {
	OPD_ANY = 0,		/* studies and parameters */
	OPD_METRIC,		/* the open study's metrics */
	OPD_STUDY,		/* studies */
	OPD_COLUMN,		/* columns of the trials and parameters */
};

struct tui;

/*
 * Commands of the prompt beside the shell's (rung_cmd_table), each run by
 * its handler: argv[0] is the command's name, rest the line after it.
 */
struct tui_command {
	const char	*name;
	const char	*usage;
	const char	*help;
	const char	*const *opts;
	enum tui_operand operand;
	void		 (*run)(struct tui *, int argc, char **argv,
			     const char *rest);
	const char	*alias;		/* another name, not listed */
};
extern const struct tui_command tui_commands[];
/* "j", "Down", "C-l", "Space"... */
const char	*tui_key_name(int key, char buf[16]);

/* Attributes: colour pairs where colour is allowed, else attributes. */
enum tui_color {
	C_TITLE = 1, C_SEL, C_MARK1, C_MARK2, C_MARK3, C_MARK4, C_MARK5,
	C_MARK6, C_TOPK, C_PRED, C_AXIS, C_ERR, C_OK, C_MARKER, C_HEAD,
	C_RAMP1, C_RAMP2, C_RAMP3, C_RAMP4, C_RAMP5,
	C_N
};
#define TUI_NMARKCOLORS	6
/* Colour by a parameter: cold to hot, low values to high. */
#define TUI_NRAMP	5

struct tui_glyphs {
	const char	*vline;
	const char	*hline;
	const char	*mark;		/* a marked trial */
	const char	*pred;		/* a predicted endpoint */
	const char	*forecast;	/* a running trial's forecast */
	const char	*up;
	const char	*down;
	const char	*ellipsis;
	const char	*marker;	/* the prefix marker */
	const char	*dot;		/* a scatter point in ASCII */
	const char	*spin[4];
	int		 braille;
};

/* A plot surface of w x h cells, each dx x dy dots (braille: 2 x 4). */
struct tui_canvas {
	int		 w, h, dx, dy;
	uint8_t		*dots;
	uint8_t		*pri;
	int		*attr;
};

/* Threads: a job owns its inputs until it is done. */
enum { JOB_IDLE = 0, JOB_RUNNING, JOB_DONE };
struct tui_job {
	pthread_t	 thread;
	atomic_int	 state;
	atomic_uint	 progress;
	atomic_uint	 total;
	double		 started;
	void		*(*fn)(void *);
	void		*arg;
};

/* The predictor of the trials screen, refitted on a thread. */
struct tui_refit {
	struct tui_job	 job;
	uint64_t	 gen;
	int32_t		 prefix;
	int32_t		 target;
	struct rung_dataset train;
	struct rung_dataset all;
	struct rung_svr	*model;		/* a saved model to predict with */
	enum rung_svr_type svr;		/* else the type to fit */
	uint32_t	 ntrials;
	double		*pred;		/* out: per trial, NaN if none */
	uint32_t	 ntrain;
	double		 secs;
	char		*cause;
};

/* A command of the prompt, run on a thread with its output in a pipe. */
struct tui_cmd {
	struct tui_job	 job;
	const char	*db_path;
	int		 argc;
	char		**argv;
	char		*line;
	int		 out_w;		/* the thread's end of the pipe */
	int		 status;
	int		 writes;	/* may change the database */
	int32_t		 fit_prefix;	/* fit --prefix K: move the marker */
	int		 saves_model;	/* fit --save: predict with it */
	int		 shows_replay;	/* replay kept for the open study
					   and metric: its screen follows */
};

struct tui_output {
	char		**lines;
	uint8_t		*kind;		/* 0 out, 1 err, 2 a command */
	size_t		 n, cap;
	size_t		 top;
	int		 follow;
	struct rung_buf	 part[2];	/* unfinished lines: out, err */
	char		*progress;	/* a line drawn with \r */
};

/*
 * A screen of the explorer, as tig's views are: tui.c keeps the table
 * (tui_views, in the order of enum tui_screen) and reaches a screen only
 * through it; each view-*.c defines its screen's. A screen keeps its state
 * in t->view[its screen], size bytes zeroed at start. Hooks but draw and
 * key may be NULL.
 */
#define VIEW_STUDY	0x1	/* shown only with a study open */
#define VIEW_SEARCH	0x2	/* / searches its own lines */
#define VIEW_ASIDE	0x4	/* q goes back to where it was opened from,
				   and it is never where q goes back to */
#define VIEW_RELOAD	0x8	/* its key reads the database again */
#define VIEW_PICK	0x10	/* without a study, the studies to pick one */

struct rung_view_ops {
	const char	*name;		/* in rung tui --list-keys */
	const char	*tab;		/* in the title bar; NULL: none */
	const char	*tab_of;	/* the view whose tab is lit instead */
	const char	*heading;	/* of its keys on the help screen */
	enum tui_action	 show;		/* the key action that shows it */
	int		 flags;
	int		 refresh_ms;	/* woken this often while shown */
	size_t		 size;		/* of its state */
	void		 (*init)(struct tui *, const struct rung_tui_opts *);
	void		 (*open)(struct tui *);	/* it is now shown */
	void		 (*draw)(struct tui *, int y, int h);
	void		 (*key)(struct tui *, enum tui_action);
	/* The left of the status line while shown. */
	void		 (*status)(struct tui *, char *, size_t);
	/* Its running job in the right of the status line: length written. */
	size_t		 (*progress)(struct tui *, const char *spin, char *,
			     size_t);
	int		 (*busy)(struct tui *);
	void		 (*poll)(struct tui *);	/* results of its jobs */
	void		 (*reload)(struct tui *);	/* the database changed */
	/* q: the screen to show, -1 to quit. */
	int		 (*back)(struct tui *);
	void		 (*release)(struct tui *);	/* frees its state's insides */
};
extern const struct rung_view_ops *const tui_views[SCR_N];

struct tui {
	struct rung_ctx	*ctx;
	const char	*db_path;
	int		 headless;	/* bench without a terminal */
	int		 rows, cols;
	int		 color;
	int		 unicode;
	const struct tui_glyphs *g;
	enum tui_screen	 screen;
	enum tui_screen	 back;		/* where q goes from help */
	int		 from_studies;	/* the study was chosen there */
	int		 quit;
	int		 exit_status;
	int		 dirty;
	char		*msg;
	int		 msg_error;
	char		*matches;	/* completions shown once */
	int		 attrs[C_N];
	char		*store_cause;	/* why the database did not open */
	char		*search;	/* of /, for the screen it is on */

	/*
	 * The open study, of the trials screen (view-trials.c opens it) and
	 * what the others show of it; gen counts the studies and metrics
	 * opened, for the jobs of the fit and replay screens.
	 */
	struct rung_study *s;
	uint64_t	 gen;
	/*
	 * Live: the database's data_version when last read, when it was last
	 * looked at, and when another process last changed it (0: never
	 * since the explorer opened it).
	 */
	int64_t		 live_ver;
	double		 live_looked;
	time_t		 live_changed;
	char		**metrics;
	enum rung_direction *mdirs;	/* each metric's own direction */
	size_t		 nmetrics, metric;

	void		*view[SCR_N];	/* each screen's state */

	/* Commands and their output. */
	struct tui_cmd	 cmd;
	struct tui_output out;
	int		 out_r;		/* read end of the running command */
	int		 err_r;		/* our stderr, read back */
	int		 saved_stderr;

	/* The prompt. */
	int		 prompting;	/* ':', '/' or 'f'; 0 when closed */
	char		*line;		/* accepted, to run */
	int		 line_kind;
};
extern struct tui *tui_current;

/* tui.c: the table of screens, switching, the main loop. */
void		 tui_message(struct tui *, int is_error, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
void		 tui_set_screen(struct tui *, enum tui_screen);
int		 tui_open_store(struct tui *);
/* Every screen reads the database again (a command may have written). */
void		 tui_reload(struct tui *);
/* The open study read again, the trials screen kept (view-trials.c). */
void		 tui_trials_reload(struct tui *);
/*
 * The forecasts of running trials made so far, and (running, when not
 * NULL) how many trials run now (view-trials-forecast.c).
 */
uint64_t	 tui_trials_forecasts(struct tui *, uint64_t *running);
/* Merge what another process wrote into the open study (view-trials-live.c). */
int		 tui_trials_refresh(struct tui *);
/*
 * A study opened light: the study read whole in its place once read (wait:
 * wait for it). What needs every curve calls it first.
 */
void		 tui_trials_whole(struct tui *, int wait);
/* --bench-keys: n trials written through a second connection (tui-bench.c). */
int		 tui_bench_write(struct tui *, uint32_t n, unsigned round,
		     char **cause);
int		 tui_busy(struct tui *);

/* tui-term.c */
int		 tui_term_setup(struct tui *, const struct rung_tui_opts *,
		     char **);
void		 tui_term_restore(struct tui *);
void		 tui_restore_stderr(struct tui *);
/* Signals and resizes since last time. */
void		 tui_term_poll(struct tui *);

/* tui-frame.c */
void		 tui_draw(struct tui *);

/* tui-cmd.c */
void		 tui_run_line(struct tui *, const char *line, int kind);
void		 tui_cmd_done(struct tui *);

/* tui-draw.c */
extern const struct tui_glyphs tui_glyphs_utf8, tui_glyphs_ascii;
int		 tui_width(const char *);
int		 tui_put(int y, int x, int maxw, int attr, const char *);
int		 tui_putf(int y, int x, int maxw, int attr, const char *, ...)
		     __attribute__((format(printf, 5, 6)));
void		 tui_fill(int y, int x, int w, int attr);
void		 tui_hline(struct tui *, int y, int x, int w, int attr);
void		 tui_vline(struct tui *, int y, int x, int h, int attr);
void		 tui_canvas_init(struct tui_canvas *, int w, int h, int dx,
		     int dy);
void		 tui_canvas_free(struct tui_canvas *);
void		 tui_canvas_dot(struct tui_canvas *, int x, int y, int pri,
		     int attr);
void		 tui_canvas_line(struct tui_canvas *, int x0, int y0, int x1,
		     int y1, int pri, int attr);
/* ascii_dot NULL: a glyph per priority (. + *) without braille. */
void		 tui_canvas_draw(struct tui *, const struct tui_canvas *,
		     int y, int x, const char *ascii_dot);
/* Axis label of a value: %.4g, or 10^x on a log axis. */
char		*tui_fmt_axis(double v, int logscale, char buf[32]);
char		*tui_fmt_num(double v, char buf[32]);

/* tui-prompt.c */
void		 tui_prompt_init(void);
void		 tui_prompt_fini(void);
void		 tui_prompt_open(struct tui *, int kind, const char *text);
void		 tui_prompt_close(struct tui *);
void		 tui_prompt_key(struct tui *, int c);
void		 tui_prompt_draw(struct tui *);
void		 tui_prompt_resize(struct tui *);

/* tui-job.c */
int		 tui_wake_fd(void);
void		 tui_wake(void);
void		 tui_drain_wake(void);
void		 tui_job_start(struct tui_job *, void *(*)(void *), void *);
int		 tui_job_running(struct tui_job *);
/* 1 once when the job has finished (joined). */
int		 tui_job_done(struct tui_job *);
void		 tui_job_wait(struct tui_job *);
size_t		 tui_job_progress(struct tui_job *, const char *spin,
		     const char *what, char *, size_t);
void		*tui_refit_main(void *);
void		 tui_refit_release(struct tui_refit *);
void		*tui_cmd_main(void *);
void		 tui_output_add(struct tui *, int kind, const char *, size_t);
void		 tui_output_read(struct tui *, int fd, int kind);
void		 tui_output_free(struct tui_output *);

/*
 * What the screens offer one another and the commands of the prompt.
 * view-studies.c: the studies of the database.
 */
void		 tui_reload_studies(struct tui *);
const struct rung_study_info *tui_studies(struct tui *, size_t *);
void		 tui_select_study(struct tui *, const char *);

/* view-trials.c: the open study, its rows, marks and predictor. */
int		 tui_open_study(struct tui *, const char *name);
void		 tui_switch_metric(struct tui *, size_t);
void		 tui_apply_filter(struct tui *, const char *text);
int		 tui_sort_by_name(struct tui *, const char *, int reverse);
void		 tui_request_refit(struct tui *);
void		 tui_set_refit_svr(struct tui *, enum rung_svr_type);
void		 tui_set_prefix(struct tui *, int32_t);
int32_t		 tui_target(struct tui *);
void		 tui_set_topk(struct tui *, int);
void		 tui_toggle_logy(struct tui *);
/* view-trials-style.c: :smooth W, :color-by [PARAM], :yrange [LO:HI]. */
void		 tui_set_smooth(struct tui *, const char *);
void		 tui_set_colorby(struct tui *, const char *);
void		 tui_set_yrange(struct tui *, const char *);
int		 tui_mark_ids(struct tui *, int argc, char **argv, int on);
/*
 * view-params.c: whether trial u lies in every range brushed on the
 * Params screen's axes (1 when none is), what the brushes are in words
 * (NULL: none), and clearing them.
 */
int		 tui_params_keep(struct tui *, uint32_t u);
const char	*tui_params_brushed(struct tui *);
void		 tui_params_clear_brushes(struct tui *);
/* :params name...: the parameter columns shown; none named: all. */
void		 tui_show_params(struct tui *, int argc, char **argv);
void		 tui_load_model(struct tui *);

#endif
