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
	SCR_HELP,
	SCR_N
};
#define ON(s)		(1U << (s))
#define ON_ALL		((1U << SCR_N) - 1)
#define ON_LISTS	(ON(SCR_STUDIES) | ON(SCR_TRIALS) | ON(SCR_DETAIL) | \
			 ON(SCR_FIT) | ON(SCR_REPLAY) | ON(SCR_OUTPUT) | \
			 ON(SCR_LAUNCH) | ON(SCR_HELP))

enum tui_action {
	ACT_NONE = 0,
	ACT_DOWN, ACT_UP, ACT_PGDN, ACT_PGUP, ACT_TOP, ACT_BOTTOM, ACT_LEFT, ACT_RIGHT,
	ACT_SEARCH, ACT_SEARCH_NEXT, ACT_SEARCH_PREV, ACT_FILTER, ACT_FILTER_CLEAR,
	ACT_SORT, ACT_SORT_REVERSE, ACT_MARK, ACT_UNMARK_ALL, ACT_COMPARE, ACT_TOPK,
	ACT_LOGY, ACT_XAXIS, ACT_METRIC, ACT_PREFIX_LESS, ACT_PREFIX_MORE, ACT_REFIT,
	ACT_FOCUS, ACT_ENTER, ACT_HELP, ACT_PROMPT, ACT_BACK, ACT_QUIT, ACT_STUDIES,
	ACT_TRIALS, ACT_FIT, ACT_REPLAY, ACT_OUTPUT, ACT_REDRAW, ACT_RERUN,
	ACT_LAUNCH, ACT_PARAMS,
};

struct tui_key {
	int		 keys[3];	/* key codes; 0 ends */
	unsigned	 screens;	/* ON() mask */
	enum tui_action	 action;
	const char	*help;
};
extern const struct tui_key tui_keys[];

/* Commands of the prompt beside the shell's (rung_cmd_table). */
struct tui_command {
	const char	*name;
	const char	*usage;
	const char	*help;
	const char	*const *opts;
};
extern const struct tui_command tui_commands[];
/* "j", "Down", "C-l", "Space"... */
const char	*tui_key_name(int key, char buf[16]);

/* Attributes: colour pairs where colour is allowed, else attributes. */
enum tui_color {
	C_TITLE = 1, C_SEL, C_MARK1, C_MARK2, C_MARK3, C_MARK4, C_MARK5,
	C_MARK6, C_TOPK, C_PRED, C_AXIS, C_ERR, C_OK, C_MARKER, C_HEAD,
	C_N
};
#define TUI_NMARKCOLORS	6

struct tui_glyphs {
	const char	*vline;
	const char	*hline;
	const char	*mark;		/* a marked trial */
	const char	*pred;		/* a predicted endpoint */
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

struct tui_fitrow {
	struct rung_fit_row row;
	uint32_t	 n;		/* held-out points of the scatter */
	double		*actual;
	double		*predicted;
	double		 r2, kendall;	/* of the scatter's split */
};

/* The fit screen: how early, and predicted against actual. */
struct tui_fitview {
	struct tui_job	 job;
	uint64_t	 gen;		/* the study it is for */
	char		*db_path;
	char		*study;
	uint32_t	 cap;		/* training trials at most */
	int32_t		 target;
	uint32_t	 nrows;
	struct tui_fitrow *rows;
	char		*cause;
	int		 ready;
	int		 sel, top;
};

/*
 * saved: against the replay's baseline policy; saved_rs: against random
 * search training the same configurations fully (SAVED and SAVED_RS of
 * rung replay).
 */
struct tui_seedrow {
	uint64_t	 seed;
	double		 cost, seconds, saved, saved_rs, final, regret;
	uint32_t	 started;
	int		 top1, top5;
	char		*returned;
};

struct tui_policyrun {
	char		*name;
	uint32_t	 nseeds;
	struct tui_seedrow *seeds;
	double		 cost, seconds, saved, saved_rs, final, regret;
	double		 top1, top5, started;
	int		 open;		/* seeds shown */
};

/* The replay screen: cost, saved, quality per policy. */
struct tui_replayview {
	struct tui_job	 job;
	uint64_t	 gen;
	char		*db_path;
	char		*study;
	char		*metric;
	char		*baseline;	/* the policy of SAVED */
	uint32_t	 npol;
	struct tui_policyrun *pol;
	uint32_t	 npool;
	int32_t		 max_r;
	char		*source;	/* where the rows came from */
	char		*cause;
	int		 ready;
	int		 sel, top;
	int		 fresh;		/* R: replay here, not the kept one */
};

/* Lines of command output and messages. */
/* The launch screen: a campaign of rung launch, read again every second. */
struct tui_launchrow {
	char		*id;
	char		*state;
	int32_t		 step, target, dstep;
	uint32_t	 runs;
	char		*gpus;
	char		*decision;
	char		*reason;
	char		*log;
	double		 value;		/* of the metric, at its last step */
};

struct tui_launchview {
	char		*want;		/* the study asked for; NULL: newest */
	char		*study;
	char		*policy;
	char		*status;
	char		*metric;
	char		*message;
	char		*host;
	char		*updated;
	int64_t		 pid;		/* its rung */
	int64_t		 steps;
	struct tui_launchrow *rows;
	uint32_t	 nrows;
	char		**events;	/* newest first */
	uint32_t	 nevents;
	char		**tail;		/* the selected trial's log */
	uint32_t	 ntail;
	char		*tail_of;
	char		*cause;
	double		 loaded;
	int		 sel, top;
	int		 show_events;
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

	/* The studies screen. */
	struct rung_study_info *studies;
	size_t		 nstudies;
	int		 st_sel, st_top;
	char		*store_cause;

	/* The trials screen. */
	struct rung_study *s;
	uint64_t	 gen;
	char		**metrics;
	enum rung_direction *mdirs;	/* each metric's own direction */
	size_t		 nmetrics, metric;
	/* --direction: for the metric it opened with (-m), that run only. */
	enum rung_direction dir_override;
	char		*dir_metric;
	uint32_t	*order;		/* rows: filtered, sorted */
	uint32_t	 norder;
	uint8_t		*marked;
	uint32_t	 nmarked;
	uint32_t	 sel, top;
	int		 hscroll;
	int		 sort, sort_rev;
	struct rung_filter *filter;
	char		*filter_text;
	char		*search;
	int		 logy, xsecs, topk, compare, focus;
	uint32_t	 topk_list[20];
	uint32_t	 ntopk;
	int32_t		 prefix, target;
	double		*pred;
	int32_t		 pred_prefix;
	char		*pred_desc;
	int		 refit_pending;
	int		*pwidth;
	uint32_t	*pshow;		/* the parameter columns, in order */
	uint32_t	 npshow;
	int		 idw;
	float		*cumsecs;
	int		 detail_top;
	int		 table_h;
	struct tui_refit refit;

	struct tui_fitview fit;
	struct tui_replayview rep;
	struct tui_launchview launch;

	/* Commands and their output. */
	struct tui_cmd	 cmd;
	struct tui_output out;
	int		 out_r;		/* read end of the running command */
	int		 err_r;		/* our stderr, read back */
	int		 saved_stderr;
	int		 help_top;

	/* The prompt. */
	int		 prompting;	/* ':', '/' or 'f'; 0 when closed */
	char		*line;		/* accepted, to run */
	int		 line_kind;
};

extern struct tui *tui_current;

/* tui.c */
void		 tui_message(struct tui *, int is_error, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
void		 tui_set_screen(struct tui *, enum tui_screen);
int		 tui_open_study(struct tui *, const char *name);
void		 tui_reload_studies(struct tui *);
void		 tui_run_line(struct tui *, const char *line, int kind);
void		 tui_apply_filter(struct tui *, const char *text);
void		 tui_resort(struct tui *);
void		 tui_request_refit(struct tui *);
int		 tui_sort_by_name(struct tui *, const char *, int reverse);
uint32_t	 tui_ncols(const struct tui *);
const char	*tui_col_name(const struct tui *, uint32_t);

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
void		*tui_refit_main(void *);
void		 tui_refit_release(struct tui_refit *);
void		*tui_cmd_main(void *);
void		 tui_output_add(struct tui *, int kind, const char *, size_t);
void		 tui_output_read(struct tui *, int fd, int kind);
void		 tui_output_free(struct tui_output *);

/* view-*.c */
void		 view_studies_draw(struct tui *, int y, int h);
void		 view_studies_key(struct tui *, enum tui_action);
void		 view_trials_draw(struct tui *, int y, int h);
void		 view_trials_key(struct tui *, enum tui_action);
void		 view_detail_draw(struct tui *, int y, int h);
void		 view_detail_key(struct tui *, enum tui_action);
void		 view_trials_status(struct tui *, char *, size_t);
/* :params name...: the parameter columns shown; none named: all. */
void		 view_trials_params(struct tui *, int argc, char **argv);
void		 view_fit_draw(struct tui *, int y, int h);
void		 view_fit_key(struct tui *, enum tui_action);
void		 view_fit_start(struct tui *, int force);
void		 view_fit_poll(struct tui *);
void		 view_fit_free(struct tui_fitview *);
void		 view_replay_draw(struct tui *, int y, int h);
void		 view_replay_key(struct tui *, enum tui_action);
void		 view_replay_start(struct tui *, int force);
void		 view_replay_poll(struct tui *);
void		 view_replay_free(struct tui_replayview *);
void		 view_launch_draw(struct tui *, int y, int h);
void		 view_launch_key(struct tui *, enum tui_action);
void		 view_launch_open(struct tui *);
void		 view_launch_poll(struct tui *);
void		 view_launch_status(struct tui *, char *, size_t);
void		 view_launch_free(struct tui_launchview *);
void		 view_output_draw(struct tui *, int y, int h);
void		 view_output_key(struct tui *, enum tui_action);
void		 view_help_draw(struct tui *, int y, int h);
void		 view_help_key(struct tui *, enum tui_action);

#endif
