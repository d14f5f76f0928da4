/*
 * The explorer: terminal set-up and restoration, the key table, the main
 * loop, and the state of the trials screen (ordering, filtering, marks,
 * the prefix marker and its predictor). The screens draw themselves in
 * view-*.c.
 *
 * The terminal is restored on every way out: q, a signal (SIGINT, SIGTERM
 * and SIGHUP set a flag that the main loop reads; SIGSEGV and friends put
 * the saved terminal modes back before dying), and exit() on a fatal error
 * (an atexit handler calls endwin).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>


#include "tui-int.h"
#include "rung/model.h"
#include "rung/xmalloc.h"

struct tui	*tui_current;

#define KCTRL(c)((c) & 0x1f)

/*
 * Every key, once: the help screen, `rung tui --list-keys` and the KEYS
 * section of rung(1) come from this table (tests/t0100-tui-keys.sh checks
 * the manual against it).
 */
const struct tui_key tui_keys[] = {
	{ { '?', KEY_F(1) }, ON_ALL, ACT_HELP,
	  "show this help: every key and command" },
	{ { ':' }, ON_ALL, ACT_PROMPT,
	  "open the command line: any rung command, or one of the "
	  "explorer's own" },
	{ { 'q' }, ON_ALL, ACT_BACK,
	  "go back to the previous screen; quit from the first one" },
	{ { 'Q' }, ON_ALL, ACT_QUIT, "quit at once" },
	{ { KCTRL('l') }, ON_ALL, ACT_REDRAW, "redraw the screen" },
	{ { '1' }, ON_ALL, ACT_STUDIES, "the studies screen" },
	{ { '2' }, ON_ALL, ACT_TRIALS, "the trials and curves screen" },
	{ { '3' }, ON_ALL, ACT_FIT,
	  "the fit screen: how early the final value can be predicted" },
	{ { '4' }, ON_ALL, ACT_REPLAY,
	  "the replay screen: what each policy costs, saves and finds" },
	{ { '5', 'o' }, ON_ALL, ACT_OUTPUT,
	  "the output of the commands run from the command line" },
	{ { '6' }, ON_ALL, ACT_LAUNCH,
	  "the launch screen: a campaign's trials, decisions and logs, live" },
	{ { 'j', KEY_DOWN }, ON_LISTS, ACT_DOWN, "move down" },
	{ { 'k', KEY_UP }, ON_LISTS, ACT_UP, "move up" },
	{ { KEY_NPAGE, KCTRL('f') }, ON_LISTS, ACT_PGDN, "page down" },
	{ { KEY_PPAGE, KCTRL('b') }, ON_LISTS, ACT_PGUP, "page up" },
	{ { 'g', KEY_HOME }, ON_LISTS, ACT_TOP, "go to the first row" },
	{ { 'G', KEY_END }, ON_LISTS, ACT_BOTTOM, "go to the last row" },
	{ { '\n', KEY_ENTER }, ON(SCR_STUDIES) | ON(SCR_TRIALS) | ON(SCR_FIT) |
	  ON(SCR_REPLAY) | ON(SCR_LAUNCH), ACT_ENTER,
	  "open: a study, a trial's details, a fit row's prefix on the "
	  "curves, a policy's seeds, a campaign's events" },
	{ { 'h', KEY_LEFT }, ON(SCR_TRIALS), ACT_LEFT,
	  "scroll the parameter columns left; on the focused curves, move "
	  "the prefix marker left" },
	{ { KEY_RIGHT }, ON(SCR_TRIALS), ACT_RIGHT,
	  "scroll the parameter columns right; on the focused curves, move "
	  "the prefix marker right" },
	{ { '\t' }, ON(SCR_TRIALS), ACT_FOCUS,
	  "focus the next panel: table, curves, detail" },
	{ { '/' }, ON(SCR_TRIALS) | ON(SCR_OUTPUT) | ON(SCR_HELP), ACT_SEARCH,
	  "search for text (trial ids and parameter values; output lines)" },
	{ { 'n' }, ON(SCR_TRIALS) | ON(SCR_OUTPUT) | ON(SCR_HELP),
	  ACT_SEARCH_NEXT, "next match of the search" },
	{ { 'N' }, ON(SCR_TRIALS) | ON(SCR_OUTPUT) | ON(SCR_HELP),
	  ACT_SEARCH_PREV, "previous match of the search" },
	{ { 'f' }, ON(SCR_TRIALS), ACT_FILTER,
	  "filter the trials with an expression: lr < 0.01 and status == "
	  "complete" },
	{ { 'F' }, ON(SCR_TRIALS), ACT_FILTER_CLEAR, "clear the filter" },
	{ { 's' }, ON(SCR_TRIALS), ACT_SORT, "sort by the next column" },
	{ { 'S' }, ON(SCR_TRIALS), ACT_SORT_REVERSE, "reverse the order" },
	{ { ' ' }, ON(SCR_TRIALS), ACT_MARK,
	  "mark or unmark the trial and move down" },
	{ { 'u' }, ON(SCR_TRIALS), ACT_UNMARK_ALL, "unmark every trial" },
	{ { 'c' }, ON(SCR_TRIALS), ACT_COMPARE,
	  "compare: plot the marked trials only, each in its colour, or "
	  "back" },
	{ { 't' }, ON(SCR_TRIALS), ACT_TOPK,
	  "plot the top 5, 10 or 20 trials of the rows by best value, or "
	  "none" },
	{ { 'l' }, ON(SCR_TRIALS) | ON(SCR_DETAIL), ACT_LOGY,
	  "log scale on the y axis, or linear" },
	{ { 'x' }, ON(SCR_TRIALS) | ON(SCR_DETAIL), ACT_XAXIS,
	  "x axis in steps or in recorded seconds" },
	{ { 'm' }, ON(SCR_TRIALS), ACT_METRIC, "plot and list the next metric" },
	{ { '<' }, ON(SCR_TRIALS), ACT_PREFIX_LESS,
	  "move the prefix marker one step left" },
	{ { '>' }, ON(SCR_TRIALS), ACT_PREFIX_MORE,
	  "move the prefix marker one step right" },
	{ { 'r' }, ON(SCR_TRIALS), ACT_REFIT,
	  "refit the SVR on the prefix at the marker: predicted final "
	  "values" },
	{ { 'p' }, ON(SCR_TRIALS), ACT_PARAMS,
	  "choose the parameter columns: the command line opens on :params "
	  "and the ones shown" },
	{ { 'R' }, ON(SCR_FIT) | ON(SCR_REPLAY), ACT_RERUN,
	  "run the fit sweep or the replays again" },
	{ { 0 }, 0, ACT_NONE, NULL }
};

static const char *const sort_opts[] = { "--reverse", NULL };

const struct tui_command tui_commands[] = {
	{ "filter", "[expression]", "filter the trials (no expression: all)",
	  NULL },
	{ "sort", "[--reverse] column", "sort the trials by a column",
	  sort_opts },
	{ "search", "text", "search the trials for text", NULL },
	{ "open", "study", "open a study", NULL },
	{ "metric", "name", "plot and list another metric", NULL },
	{ "prefix", "k", "put the prefix marker at step k", NULL },
	{ "refit", "", "refit the SVR on the prefix at the marker", NULL },
	{ "top", "k", "plot the top k trials (0: none)", NULL },
	{ "params", "[name...]", "show these parameter columns, in this order "
	  "(none named: all)", NULL },
	{ "mark", "trial...", "mark trials by id", NULL },
	{ "unmark", "[trial...]", "unmark trials (none named: all)", NULL },
	{ "logy", "", "toggle the log scale of the y axis", NULL },
	{ "keys", "", "show the help screen", NULL },
	{ "quit", "", "quit the explorer", NULL },
	{ NULL, NULL, NULL, NULL }
};

static const char *const screen_names[SCR_N] = {
	"studies", "trials", "detail", "fit", "replay", "output", "launch",
	"help"
};

const char *
tui_key_name(int key, char buf[16])
{
	switch (key) {
	case KEY_DOWN: return "Down";
	case KEY_UP: return "Up";
	case KEY_LEFT: return "Left";
	case KEY_RIGHT: return "Right";
	case KEY_NPAGE: return "PgDn";
	case KEY_PPAGE: return "PgUp";
	case KEY_HOME: return "Home";
	case KEY_END: return "End";
	case KEY_ENTER: return "KEnter";
	case '\n': return "Enter";
	case '\t': return "Tab";
	case ' ': return "Space";
	case 27: return "Esc";
	}
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, 16, "F%d", key - KEY_F(0));
	else if (key > 0 && key < 32)
		snprintf(buf, 16, "C-%c", key + 'a' - 1);
	else if (key < 127)
		snprintf(buf, 16, "%c", key);
	else
		snprintf(buf, 16, "#%d", key);
	return buf;
}

void
rung_tui_list_keys(FILE *f)
{
	const struct tui_key *k;
	char		 buf[16];
	int		 i, n;

	for (k = tui_keys; k->help != NULL; k++) {
		for (i = 0; i < 3 && k->keys[i] != 0; i++) {
			if (k->keys[i] == KEY_ENTER)
				continue;
			fprintf(f, "%s%s", i ? " " : "",
			    tui_key_name(k->keys[i], buf));
		}
		fputc('\t', f);
		if (k->screens == ON_ALL)
			fputs("all", f);
		else {
			for (i = 0, n = 0; i < SCR_N; i++) {
				if (k->screens & ON(i))
					fprintf(f, "%s%s", n++ ? "," : "",
					    screen_names[i]);
			}
		}
		fprintf(f, "\t%s\n", k->help);
	}
}

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

/* Signals and restoring the terminal. */

static volatile sig_atomic_t got_int, got_term, got_hup, got_winch;
static struct termios	 saved_tio;
static int		 have_tio;
static char		 restore_seq[128];
static size_t		 restore_len;
static struct sigaction	 old_act[8];
static const int	 caught[] = { SIGINT, SIGTERM, SIGHUP, SIGWINCH };
static const int	 fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
			     SIGQUIT };
static int		 atexit_done;

static void
on_signal(int sig)
{
	switch (sig) {
	case SIGINT:
		got_int = 1;
		break;
	case SIGTERM:
		got_term = 1;
		break;
	case SIGHUP:
		got_hup = 1;
		break;
	case SIGWINCH:
		got_winch = 1;
		break;
	}
	tui_wake();
}

/* Dying: only async-signal-safe calls, then die of the signal anyway. */
static void
on_fatal(int sig)
{
	ssize_t	 n;

	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	if (restore_len > 0)
		n = write(STDOUT_FILENO, restore_seq, restore_len);
	(void)n;
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
add_restore(const char *cap)
{
	char	*s = tigetstr(cap);
	size_t	 n;

	if (s == NULL || s == (char *)-1)
		return;
	n = strlen(s);
	if (restore_len + n < sizeof restore_seq) {
		memcpy(restore_seq + restore_len, s, n);
		restore_len += n;
	}
}

static void
restore_stderr(struct tui *t)
{
	char	 buf[4096];
	ssize_t	 n, w;

	if (t->saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(t->saved_stderr, STDERR_FILENO);
	close(t->saved_stderr);
	t->saved_stderr = -1;
	/* Whatever was said last (a fatal error) is not lost. */
	if (t->err_r >= 0) {
		while ((n = read(t->err_r, buf, sizeof buf)) > 0)
			w = write(STDERR_FILENO, buf, (size_t)n);
		(void)w;
		close(t->err_r);
		t->err_r = -1;
	}
}

static void
term_restore(struct tui *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	if (!isendwin())
		endwin();
	restore_stderr(t);
	for (i = 0; i < sizeof caught / sizeof caught[0]; i++)
		sigaction(caught[i], &old_act[i], NULL);
	for (i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		signal(fatal[i], SIG_DFL);
	have_tio = 0;
}

static void
tui_atexit(void)
{
	if (tui_current != NULL) {
		term_restore(tui_current);
		tui_current = NULL;
	}
}

/*
 * stderr goes to a pseudo-terminal that the main loop reads into the
 * output screen: messages of commands (and of libraries) never scribble
 * on the screen, and progress, drawn because stderr is a terminal, shows
 * in the status line. A pipe does when no pseudo-terminal is to be had.
 */
static void
capture_stderr(struct tui *t)
{
	struct termios	 tio;
	int		 m, s = -1, p[2];
	char		*name;

	t->err_r = t->saved_stderr = -1;
	if ((m = posix_openpt(O_RDWR | O_NOCTTY)) >= 0) {
		if (grantpt(m) == 0 && unlockpt(m) == 0 &&
		    (name = ptsname(m)) != NULL)
			s = open(name, O_RDWR | O_NOCTTY);
		if (s < 0) {
			close(m);
			m = -1;
		} else if (tcgetattr(s, &tio) == 0) {
			cfmakeraw(&tio);
			tcsetattr(s, TCSANOW, &tio);
		}
	}
	if (m < 0) {
		if (pipe(p) != 0)
			return;
		m = p[0];
		s = p[1];
	}
	fflush(stderr);
	t->saved_stderr = dup(STDERR_FILENO);
	dup2(s, STDERR_FILENO);
	close(s);
	fcntl(m, F_SETFL, O_NONBLOCK);
	fcntl(m, F_SETFD, FD_CLOEXEC);
	fcntl(t->saved_stderr, F_SETFD, FD_CLOEXEC);
	t->err_r = m;
}

static void
init_colors(struct tui *t)
{
	const char	*nc = getenv("NO_COLOR");
	static const short mark[TUI_NMARKCOLORS] = { COLOR_CYAN, COLOR_MAGENTA,
		COLOR_GREEN, COLOR_BLUE, COLOR_RED, COLOR_WHITE };
	int		 i;

	t->color = has_colors() && (nc == NULL || *nc == '\0');
	if (t->color) {
		start_color();
		use_default_colors();
		init_pair(C_TITLE, COLOR_BLACK, COLOR_CYAN);
		init_pair(C_SEL, COLOR_YELLOW, -1);
		for (i = 0; i < TUI_NMARKCOLORS; i++)
			init_pair(C_MARK1 + i, mark[i], -1);
		init_pair(C_TOPK, COLORS >= 256 ? 245 : COLOR_WHITE, -1);
		init_pair(C_PRED, COLOR_MAGENTA, -1);
		init_pair(C_AXIS, COLORS >= 256 ? 244 : COLOR_WHITE, -1);
		init_pair(C_ERR, COLOR_RED, -1);
		init_pair(C_OK, COLOR_GREEN, -1);
		init_pair(C_MARKER, COLOR_CYAN, -1);
		init_pair(C_HEAD, COLOR_BLACK, COLOR_WHITE);
		t->attrs[C_TITLE] = COLOR_PAIR(C_TITLE) | A_BOLD;
		t->attrs[C_SEL] = COLOR_PAIR(C_SEL) | A_BOLD;
		for (i = 0; i < TUI_NMARKCOLORS; i++)
			t->attrs[C_MARK1 + i] = COLOR_PAIR(C_MARK1 + i);
		t->attrs[C_TOPK] = COLOR_PAIR(C_TOPK) |
		    (COLORS >= 256 ? 0 : A_DIM);
		t->attrs[C_PRED] = COLOR_PAIR(C_PRED) | A_BOLD;
		t->attrs[C_AXIS] = COLOR_PAIR(C_AXIS);
		t->attrs[C_ERR] = COLOR_PAIR(C_ERR) | A_BOLD;
		t->attrs[C_OK] = COLOR_PAIR(C_OK);
		t->attrs[C_MARKER] = COLOR_PAIR(C_MARKER);
		t->attrs[C_HEAD] = COLOR_PAIR(C_HEAD);
		return;
	}
	/* No colour: attributes only. */
	t->attrs[C_TITLE] = A_REVERSE;
	t->attrs[C_SEL] = A_BOLD;
	for (i = 0; i < TUI_NMARKCOLORS; i++)
		t->attrs[C_MARK1 + i] = A_NORMAL;
	t->attrs[C_TOPK] = A_DIM;
	t->attrs[C_PRED] = A_BOLD;
	t->attrs[C_AXIS] = A_DIM;
	t->attrs[C_ERR] = A_BOLD;
	t->attrs[C_OK] = A_NORMAL;
	t->attrs[C_MARKER] = A_DIM;
	t->attrs[C_HEAD] = A_REVERSE;
}

static int
term_setup(struct tui *t, const struct rung_tui_opts *o, char **cause)
{
	const char	*term = getenv("TERM");
	struct sigaction sa;
	FILE		*out = stdout, *in = stdin;
	SCREEN		*scr;
	char		*cup;
	int		 dumb;
	size_t		 i;

	dumb = term == NULL || *term == '\0' || strcmp(term, "dumb") == 0;
	t->headless = !isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO);
	if (t->headless && o->bench_keys <= 0) {
		xasprintf(cause, "the explorer needs a terminal (standard "
		    "input and output are not one); the other commands work "
		    "anywhere");
		return -1;
	}
	t->unicode = !o->ascii && !dumb &&
	    strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	t->g = t->unicode ? &tui_glyphs_utf8 : &tui_glyphs_ascii;

	if (!t->headless && tcgetattr(STDIN_FILENO, &saved_tio) == 0)
		have_tio = 1;
	/* Ours before ncurses looks: it leaves caught signals alone. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	for (i = 0; i < sizeof caught / sizeof caught[0]; i++)
		sigaction(caught[i], &sa, &old_act[i]);
	for (i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		signal(fatal[i], on_fatal);
	if (tui_wake_fd() < 0) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		return -1;
	}

	if (t->headless) {
		/* Benchmarks without a terminal draw into /dev/null. */
		if ((out = fopen("/dev/null", "w")) == NULL ||
		    (in = fopen("/dev/null", "r")) == NULL) {
			xasprintf(cause, "/dev/null: %s", strerror(errno));
			return -1;
		}
		if (dumb)
			term = "xterm-256color";
	}
	/*
	 * TERM=dumb promises no cursor motion: draw for a VT100, in ASCII,
	 * which every terminal emulator in use understands.
	 */
	scr = newterm(dumb ? "vt100" : term, out, in);
	if (scr == NULL) {
		xasprintf(cause, "cannot use the terminal type '%s'",
		    term ? term : "");
		return -1;
	}
	set_term(scr);
	cup = tigetstr("cup");
	if (cup == NULL || cup == (char *)-1) {
		endwin();
		delscreen(scr);
		xasprintf(cause, "the terminal type '%s' cannot move the "
		    "cursor", term);
		return -1;
	}
	restore_len = 0;
	add_restore("rmcup");
	add_restore("cnorm");
	add_restore("sgr0");
	if (!atexit_done) {
		atexit(tui_atexit);
		atexit_done = 1;
	}
	tui_current = t;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	init_colors(t);
	getmaxyx(stdscr, t->rows, t->cols);
	capture_stderr(t);
	return 0;
}

/* The studies of the database. */

static int
open_store(struct tui *t)
{
	char	*cause = NULL;

	if (t->ctx->store != NULL)
		return 0;
	if (rung_ctx_store(t->ctx, 1, &cause) != 0) {
		free(t->store_cause);
		t->store_cause = cause;
		return -1;
	}
	free(t->store_cause);
	t->store_cause = NULL;
	/* Studies are read whole: map the file rather than copy it. */
	sqlite3_exec(rung_store_db(t->ctx->store), "PRAGMA mmap_size = "
	    "4294967296", NULL, NULL, NULL);
	return 0;
}

void
tui_reload_studies(struct tui *t)
{
	size_t	 i;
	char	*cause = NULL;

	for (i = 0; i < t->nstudies; i++)
		rung_study_info_release(&t->studies[i]);
	free(t->studies);
	t->studies = NULL;
	t->nstudies = 0;
	if (open_store(t) != 0)
		return;
	if (rung_store_studies(t->ctx->store, &t->studies, &t->nstudies,
	    &cause) != 0) {
		free(t->store_cause);
		t->store_cause = cause;
	}
	if (t->st_sel >= (int)t->nstudies)
		t->st_sel = t->nstudies ? (int)t->nstudies - 1 : 0;
	t->dirty = 1;
}

/* The trials screen's state. */

static void
close_study(struct tui *t)
{
	size_t	 i;

	rung_study_free(t->s);
	t->s = NULL;
	for (i = 0; i < t->nmetrics; i++)
		free(t->metrics[i]);
	free(t->metrics);
	free(t->mdirs);
	t->mdirs = NULL;
	t->metrics = NULL;
	t->nmetrics = t->metric = 0;
	free(t->order);
	t->order = NULL;
	t->norder = 0;
	free(t->marked);
	t->marked = NULL;
	t->nmarked = 0;
	rung_filter_free(t->filter);
	t->filter = NULL;
	free(t->filter_text);
	t->filter_text = NULL;
	free(t->pred);
	t->pred = NULL;
	free(t->pred_desc);
	t->pred_desc = NULL;
	free(t->pwidth);
	t->pwidth = NULL;
	free(t->pshow);
	t->pshow = NULL;
	t->npshow = 0;
	free(t->cumsecs);
	t->cumsecs = NULL;
	t->gen++;
}

enum { COL_ID = 0, COL_STATUS, COL_STEPS, COL_BEST, COL_FINAL, COL_PRED,
	COL_PARAM0 };

uint32_t
tui_ncols(const struct tui *t)
{
	return COL_PARAM0 + (t->s != NULL ? t->s->nparams : 0);
}

const char *
tui_col_name(const struct tui *t, uint32_t c)
{
	static const char *names[] = { "id", "status", "steps", "best",
		"final", "predicted" };

	if (c < COL_PARAM0)
		return names[c];
	return t->s->params[c - COL_PARAM0].name;
}

struct skey {
	uint64_t	 k;
	uint32_t	 t;
};

/*
 * A double as an unsigned key in the same order (NaN last whatever the
 * direction), so that a radix sort orders 100,000 rows in a few
 * milliseconds, not the 15 of qsort: a keypress stays under a frame.
 */
static uint64_t
sort_bits(double d, int reverse)
{
	uint64_t	 u;

	if (isnan(d))
		return UINT64_MAX;
	if (d == 0)
		d = 0;	/* -0 and +0 tie */
	memcpy(&u, &d, sizeof u);
	u = (u >> 63) ? ~u : u | (UINT64_C(1) << 63);
	if (reverse)
		u = ~u;
	/* Keep UINT64_MAX for NaN. */
	return u == UINT64_MAX ? u - 1 : u;
}

/* Stable LSD radix sort on t, then on k: ties keep the order of t. */
static void
radix_sort(struct skey *v, uint32_t n, int reverse)
{
	struct skey	*tmp, *a = v, *b, *sw;
	size_t		 count[256], pos, c;
	uint32_t	 i;
	int		 pass, shift;
	uint64_t	 d;

	tmp = xreallocarray(NULL, n ? n : 1, sizeof *tmp);
	b = tmp;
	for (pass = 0; pass < 12; pass++) {
		memset(count, 0, sizeof count);
		for (i = 0; i < n; i++) {
			if (pass < 4) {
				d = reverse ? ~a[i].t : a[i].t;
				shift = pass * 8;
			} else {
				d = a[i].k;
				shift = (pass - 4) * 8;
			}
			count[(d >> shift) & 0xff]++;
		}
		for (c = 0; c < 256 && count[c] != n; c++)
			;
		if (c < 256)
			continue;	/* one digit for all: nothing to do */
		for (c = 0, pos = 0; c < 256; c++) {
			size_t	 k = count[c];

			count[c] = pos;
			pos += k;
		}
		for (i = 0; i < n; i++) {
			if (pass < 4) {
				d = reverse ? ~a[i].t : a[i].t;
				shift = pass * 8;
			} else {
				d = a[i].k;
				shift = (pass - 4) * 8;
			}
			b[count[(d >> shift) & 0xff]++] = a[i];
		}
		sw = a;
		a = b;
		b = sw;
	}
	if (a != v)
		memcpy(v, a, (size_t)n * sizeof *v);
	free(tmp);
}

static int
cmp_level(const void *a, const void *b)
{
	return strcmp(**(char *const *const *)a, **(char *const *const *)b);
}

static double
best_key(const struct rung_study *s, double v)
{
	if (isnan(v))
		return NAN;
	return s->direction == RUNG_MAX ? -v : v;
}

void
tui_resort(struct tui *t)
{
	const struct rung_study *s = t->s;
	struct skey	*k;
	uint32_t	 i, tr, sel_trial = UINT32_MAX, *rank = NULL;
	const struct rung_param *p = NULL;
	char		***lv;
	double		 v;

	if (s == NULL || t->norder == 0)
		return;
	if (t->sel < t->norder)
		sel_trial = t->order[t->sel];
	if (t->sort == COL_PRED && t->pred == NULL)
		t->sort = COL_ID;
	if (t->sort >= COL_PARAM0) {
		p = &s->params[t->sort - COL_PARAM0];
		if (p->type == RUNG_PCAT && p->nlevels > 0 && !p->numeric) {
			/*
			 * Categorical values sort in byte order; numbers are
			 * in order already (rung_param_order_levels).
			 */
			lv = xreallocarray(NULL, p->nlevels, sizeof *lv);
			for (i = 0; i < p->nlevels; i++)
				lv[i] = &p->levels[i];
			qsort(lv, p->nlevels, sizeof *lv, cmp_level);
			rank = xreallocarray(NULL, p->nlevels, sizeof *rank);
			for (i = 0; i < p->nlevels; i++)
				rank[lv[i] - p->levels] = i;
			free(lv);
		}
	}
	k = xreallocarray(NULL, t->norder, sizeof *k);
	for (i = 0; i < t->norder; i++) {
		tr = t->order[i];
		k[i].t = tr;
		v = NAN;
		switch (t->sort) {
		case COL_ID:
			v = tr;
			break;
		case COL_STATUS:
			v = s->status[tr];
			break;
		case COL_STEPS:
			v = rung_curve_len(s, tr) ?
			    -(double)rung_trial_last_step(s, tr) : NAN;
			break;
		case COL_BEST:
			v = best_key(s, s->curve.best[tr]);
			break;
		case COL_FINAL:
			v = best_key(s, s->curve.final[tr]);
			break;
		case COL_PRED:
			v = best_key(s, t->pred[tr]);
			break;
		default:
			if (p->type != RUNG_PCAT)
				v = p->num[tr];
			else
				v = p->cat[tr] == UINT32_MAX ? NAN :
				    rank != NULL ? rank[p->cat[tr]] :
				    p->cat[tr];
			break;
		}
		k[i].k = sort_bits(v, t->sort_rev);
	}
	radix_sort(k, t->norder, t->sort_rev);
	for (i = 0; i < t->norder; i++) {
		t->order[i] = k[i].t;
		if (k[i].t == sel_trial)
			t->sel = i;
	}
	free(k);
	free(rank);
	t->dirty = 1;
}

/* The k best rows by best value, for the curve panel. */
static void
compute_topk(struct tui *t)
{
	const struct rung_study *s = t->s;
	uint32_t	 n = 0, i, j, k = (uint32_t)t->topk, tr;
	double		 v;

	t->ntopk = 0;
	if (s == NULL || k == 0)
		return;
	if (k > 20)
		k = 20;
	for (i = 0; i < t->norder; i++) {
		tr = t->order[i];
		v = best_key(s, s->curve.best[tr]);
		if (isnan(v))
			continue;
		if (n == k && v >= best_key(s, s->curve.best[t->topk_list[n -
		    1]]))
			continue;
		j = n < k ? n++ : n - 1;
		while (j > 0 && v < best_key(s, s->curve.best[t->topk_list[j -
		    1]])) {
			t->topk_list[j] = t->topk_list[j - 1];
			j--;
		}
		t->topk_list[j] = tr;
	}
	t->ntopk = n;
}

static void
rebuild_rows(struct tui *t)
{
	uint32_t	 i, sel_trial = UINT32_MAX;

	if (t->s == NULL)
		return;
	if (t->sel < t->norder)
		sel_trial = t->order[t->sel];
	t->norder = 0;
	for (i = 0; i < t->s->ntrials; i++) {
		if (rung_filter_match(t->filter, t->s, t->pred, i))
			t->order[t->norder++] = i;
	}
	t->sel = UINT32_MAX;	/* found again below, not by tui_resort */
	tui_resort(t);
	t->sel = 0;
	for (i = 0; i < t->norder; i++) {
		if (t->order[i] == sel_trial)
			t->sel = i;
	}
	if (t->top > t->sel)
		t->top = t->sel;
	compute_topk(t);
	t->dirty = 1;
}

void
tui_apply_filter(struct tui *t, const char *text)
{
	struct rung_filter *f = NULL;
	char		*cause = NULL;

	if (t->s == NULL) {
		tui_message(t, 1, "no study is open");
		return;
	}
	while (text != NULL && (*text == ' ' || *text == '\t'))
		text++;
	if (text != NULL && *text != '\0' &&
	    (f = rung_filter_parse(text, t->s, &cause)) == NULL) {
		tui_message(t, 1, "filter: %s", cause);
		free(cause);
		return;
	}
	rung_filter_free(t->filter);
	t->filter = f;
	free(t->filter_text);
	t->filter_text = f != NULL ? xstrdup(text) : NULL;
	rebuild_rows(t);
	if (f != NULL)
		tui_message(t, 0, "%u of %u trials match '%s'", t->norder,
		    t->s->ntrials, text);
	else
		tui_message(t, 0, "no filter: %u trials", t->norder);
}

int
tui_sort_by_name(struct tui *t, const char *name, int reverse)
{
	uint32_t	 c;

	if (t->s == NULL)
		return -1;
	for (c = 0; c < tui_ncols(t); c++) {
		if (strcasecmp(tui_col_name(t, c), name) == 0 ||
		    (c == COL_PRED && strcasecmp(name, "pred") == 0))
			break;
	}
	if (c == tui_ncols(t) || (c == COL_PRED && t->pred == NULL))
		return -1;
	t->sort = (int)c;
	t->sort_rev = reverse;
	tui_resort(t);
	return 0;
}

static void
compute_widths(struct tui *t)
{
	const struct rung_study *s = t->s;
	uint32_t	 i, j, n;
	int		 w;
	char		 buf[32];

	t->idw = 3;	/* "ID" and the sort arrow */
	n = s->ntrials < 2000 ? s->ntrials : 2000;
	for (i = 0; i < s->ntrials; i++) {
		w = (int)strlen(s->ids[i]);
		if (w > t->idw)
			t->idw = w;
	}
	if (t->idw > 12)
		t->idw = 12;
	t->pwidth = xcalloc(s->nparams ? s->nparams : 1, sizeof *t->pwidth);
	t->pshow = xcalloc(s->nparams ? s->nparams : 1, sizeof *t->pshow);
	for (j = 0; j < s->nparams; j++)
		t->pshow[j] = j;
	t->npshow = s->nparams;
	for (j = 0; j < s->nparams; j++) {
		const struct rung_param *p = &s->params[j];

		t->pwidth[j] = tui_width(p->name);
		for (i = 0; i < n; i++) {
			if (p->type == RUNG_PCAT)
				w = p->cat[i] == UINT32_MAX ? 0 :
				    tui_width(p->levels[p->cat[i]]);
			else
				w = (int)strlen(tui_fmt_num(p->num[i], buf));
			if (w > t->pwidth[j])
				t->pwidth[j] = w;
		}
		if (t->pwidth[j] > 18)
			t->pwidth[j] = 18;
		if (t->pwidth[j] < 4)
			t->pwidth[j] = 4;
	}
}

static void
start_refit(struct tui *t, struct rung_model *m)
{
	struct tui_refit *r = &t->refit;
	struct rung_featspec f;
	const struct rung_featspec *fs;
	char		*cause = NULL;

	memset(&f, 0, sizeof f);
	f.kind = RUNG_FEAT_RAW;
	f.prefix = t->prefix;
	f.target = t->target;
	fs = m != NULL ? &m->feat : &f;
	memset(&r->train, 0, sizeof r->train);
	memset(&r->all, 0, sizeof r->all);
	if ((m == NULL && rung_dataset_build(t->s, fs, 1, &r->train,
	    &cause) != 0) || rung_dataset_build(t->s, fs, 0, &r->all,
	    &cause) != 0) {
		tui_message(t, 1, "refit: %s", cause);
		free(cause);
		tui_refit_release(r);
		return;
	}
	r->gen = t->gen;
	r->prefix = fs->prefix;
	r->target = fs->target;
	r->ntrials = t->s->ntrials;
	r->ntrain = m != NULL ? m->n_train : 0;
	if (m != NULL) {
		r->model = m->fitted;
		m->fitted = NULL;
	}
	tui_job_start(&r->job, tui_refit_main, r);
}

void
tui_request_refit(struct tui *t)
{
	if (t->s == NULL)
		return;
	if (t->target < 2 || t->prefix < 1 || t->prefix >= t->target) {
		tui_message(t, 1, "refit: the study has no prefix to fit on "
		    "(its last step is %d)", t->target);
		return;
	}
	if (tui_job_running(&t->refit.job)) {
		t->refit_pending = 1;
		return;
	}
	start_refit(t, NULL);
}

static void
refit_done(struct tui *t)
{
	struct tui_refit *r = &t->refit;

	if (r->gen == t->gen) {
		if (r->cause != NULL)
			tui_message(t, 1, "refit: %s", r->cause);
		else {
			free(t->pred);
			t->pred = r->pred;
			r->pred = NULL;
			t->pred_prefix = r->prefix;
			free(t->pred_desc);
			if (r->model != NULL)
				xasprintf(&t->pred_desc, "saved model, steps "
				    "1-%d to %d", r->prefix, r->target);
			else
				xasprintf(&t->pred_desc, "nu-SVR on %u trials, "
				    "steps 1-%d to %d, %.2f s", r->ntrain,
				    r->prefix, r->target, r->secs);
			tui_message(t, 0, "predicted final values: %s",
			    t->pred_desc);
			if (t->filter != NULL || t->sort == COL_PRED)
				rebuild_rows(t);
		}
	}
	tui_refit_release(r);
	if (t->refit_pending && t->s != NULL) {
		t->refit_pending = 0;
		start_refit(t, NULL);
	}
	t->dirty = 1;
}

/* The newest saved model of the study, if any: its predictions at once. */
static void
load_model(struct tui *t)
{
	struct rung_model *m = NULL;
	char		*cause = NULL;

	if (t->ctx->store == NULL || rung_model_load(t->ctx->store, NULL,
	    t->s->name, &m, &cause) != 0) {
		free(cause);
		return;
	}
	if (m->metric != NULL && strcmp(m->metric, t->s->curve.name) == 0 &&
	    m->feat.prefix >= 1 && m->feat.prefix < m->feat.target) {
		t->prefix = m->feat.prefix;
		if (!tui_job_running(&t->refit.job))
			start_refit(t, m);
	}
	rung_model_free(m);
}

static void	 switch_metric(struct tui *, size_t);

/*
 * The direction to load a metric with: --direction for the metric the
 * explorer opened with, else 0, the metric's own (NULL: of interest).
 */
static enum rung_direction
metric_dir(const struct tui *t, const char *metric)
{
	if (t->dir_override == 0)
		return 0;
	if (t->dir_metric == NULL ? metric == NULL : metric != NULL &&
	    strcmp(metric, t->dir_metric) == 0)
		return t->dir_override;
	return 0;
}

int
tui_open_study(struct tui *t, const char *name)
{
	struct rung_study *s;
	char		*cause = NULL, *cm = NULL;
	uint32_t	 i;

	if (open_store(t) != 0) {
		tui_message(t, 1, "%s", t->store_cause);
		return -1;
	}
	if (rung_store_load(t->ctx->store, name, NULL, metric_dir(t, NULL),
	    &s, &cause) != 0) {
		tui_message(t, 1, "%s", cause);
		free(cause);
		return -1;
	}
	close_study(t);
	t->s = s;
	if (rung_store_metrics(t->ctx->store, s->id, &t->metrics, &t->mdirs,
	    &t->nmetrics, &cause) != 0) {
		free(cause);
		t->metrics = NULL;
		t->mdirs = NULL;
		t->nmetrics = 0;
	}
	t->order = xreallocarray(NULL, s->ntrials ? s->ntrials : 1,
	    sizeof *t->order);
	for (i = 0; i < s->ntrials; i++)
		t->order[i] = i;
	t->norder = s->ntrials;
	t->marked = xcalloc(s->ntrials ? s->ntrials : 1, 1);
	t->sel = t->top = 0;
	t->hscroll = 0;
	t->sort = COL_ID;
	t->sort_rev = 0;
	t->compare = 0;
	t->focus = 0;
	t->detail_top = 0;
	t->target = s->max_step;
	t->prefix = t->target / 4 > 0 ? t->target / 4 : 1;
	t->pred_prefix = 0;
	compute_widths(t);
	compute_topk(t);
	for (i = 0; i < t->nstudies; i++) {
		if (strcmp(t->studies[i].name, s->name) == 0)
			t->st_sel = (int)i;
	}
	load_model(t);
	tui_set_screen(t, SCR_TRIALS);
	t->back = SCR_STUDIES;
	/* A metric of one value a trial (Optuna's): show the curves. */
	if (rung_store_curve_metric(t->ctx->store, s->name, &cm, NULL,
	    &cause) != 0)
		free(cause);
	for (i = 1; cm != NULL && i < t->nmetrics; i++) {
		if (strcmp(t->metrics[i], cm) == 0)
			switch_metric(t, i);
	}
	free(cm);
	return 0;
}

static void
switch_metric(struct tui *t, size_t m)
{
	struct rung_curves c;
	char		*cause = NULL;

	if (t->s == NULL || m >= t->nmetrics || m == t->metric)
		return;
	if (rung_store_load_curves(t->ctx->store, t->s, t->metrics[m],
	    metric_dir(t, m == 0 && t->dir_metric == NULL ? NULL :
	    t->metrics[m]), &c, &cause) != 0) {
		tui_message(t, 1, "%s", cause);
		free(cause);
		return;
	}
	rung_curves_release(&t->s->curve);
	t->s->curve = c;
	/* BEST, the top k and the sort follow the metric's own direction. */
	t->s->direction = c.direction;
	t->metric = m;
	free(t->pred);
	t->pred = NULL;
	free(t->cumsecs);
	t->cumsecs = NULL;
	t->xsecs = 0;
	t->gen++;
	rebuild_rows(t);
	tui_message(t, 0, "metric '%s' (%s%s)%s", t->metrics[m],
	    rung_direction_name(c.direction), t->mdirs != NULL &&
	    c.direction != t->mdirs[m] ? ", --direction" : "", m == 0 ?
	    ", of interest" : "");
}

void
tui_set_screen(struct tui *t, enum tui_screen scr)
{
	if (scr == t->screen)
		return;
	if (scr == SCR_TRIALS && t->s == NULL) {
		tui_message(t, 1, "no study is open: choose one on the "
		    "studies screen");
		scr = SCR_STUDIES;
	}
	if ((scr == SCR_FIT || scr == SCR_REPLAY || scr == SCR_DETAIL) &&
	    t->s == NULL) {
		tui_message(t, 1, "open a study first");
		return;
	}
	if (t->screen != SCR_HELP)
		t->back = t->screen;
	t->screen = scr;
	if (scr == SCR_FIT)
		view_fit_start(t, 0);
	if (scr == SCR_REPLAY)
		view_replay_start(t, 0);
	if (scr == SCR_LAUNCH)
		view_launch_open(t);
	t->dirty = 1;
}

/* Commands. */

/*
 * Which operand of the command's usage is the study (0 the first), -1 if
 * none is. Bracketed words are optional, a word after an option is its
 * value: "plot ... curves|... study" takes it second.
 */
static int
study_operand(const struct rung_cmd_entry *e)
{
	const char	*p = e->usage;
	int		 depth = 0, value = 0, k = 0;
	size_t		 n;

	while (p != NULL && *p != '\0') {
		if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		else if (depth == 0 && *p != ' ') {
			n = strcspn(p, " ");
			if (*p == '-')
				value = 1;
			else if (value)
				value = 0;
			else if (n == 5 && strncmp(p, "study", 5) == 0)
				return k;
			else
				k++;
			p += n;
			continue;
		}
		p++;
	}
	return -1;
}

/*
 * Operands of a shell command line, counted with the command's options:
 * a study left out is the open one.
 */
static int
count_operands(const struct rung_cmd_entry *e, int argc, char **argv,
    int *first)
{
	struct option	*longopts = rung_cmd_longopts(e);
	const struct option *o;
	char		*shortopts = rung_cmd_shortopts(e);
	const char	*w, *sc;
	int		 i, n = 0, j;
	size_t		 len;

	*first = argc;
	for (i = 1; i < argc; i++) {
		w = argv[i];
		if (strcmp(w, "--") == 0) {
			if (*first == argc)
				*first = i + 1;
			n += argc - i - 1;
			break;
		}
		if (strncmp(w, "--", 2) == 0) {
			len = strcspn(w + 2, "=");
			for (o = longopts; o->name != NULL; o++) {
				if (strncmp(o->name, w + 2, len) == 0)
					break;
			}
			if (o->name != NULL &&
			    o->has_arg == required_argument &&
			    w[2 + len] != '=')
				i++;
			continue;
		}
		if (w[0] == '-' && w[1] != '\0') {
			for (j = 1; w[j] != '\0'; j++) {
				sc = strchr(shortopts, w[j]);
				if (sc != NULL && sc[1] == ':') {
					if (w[j + 1] == '\0')
						i++;
					break;
				}
			}
			continue;
		}
		if (*first == argc)
			*first = i;
		n++;
	}
	free(longopts);
	free(shortopts);
	return n;
}

/*
 * A replay of the open study on the metric shown, kept: the replay screen
 * then shows it (the kept replay of another metric is not what it shows).
 */
static int
shows_replay(struct tui *t, int argc, char **argv)
{
	const char	*metric = NULL;
	int		 i;

	if (t->s == NULL || strcmp(argv[argc - 1], t->s->name) != 0)
		return 0;
	for (i = 1; i < argc - 1; i++) {
		if (strcmp(argv[i], "--no-save") == 0)
			return 0;
		if ((strcmp(argv[i], "--metric") == 0 ||
		    strcmp(argv[i], "-m") == 0) && i + 1 < argc - 1)
			metric = argv[i + 1];
		else if (strncmp(argv[i], "--metric=", 9) == 0)
			metric = argv[i] + 9;
	}
	return metric == NULL || strcmp(metric, t->s->curve.name) == 0;
}

static void
run_shell(struct tui *t, const char *line, int argc, char **argv)
{
	const struct rung_cmd_entry *e;
	struct tui_cmd	*c = &t->cmd;
	char		*cause = NULL, **nargv, *end;
	int		 first, n, i, p[2];
	long		 k;

	if ((e = rung_cmd_find(argv[0], &cause)) == NULL) {
		tui_message(t, 1, "%s: ':keys' or '?' lists the explorer's "
		    "commands, ':help' rung's", cause);
		free(cause);
		rung_free_argv(argv);
		return;
	}
	if (strcmp(e->name, "tui") == 0) {
		tui_message(t, 1, "this is the explorer already");
		rung_free_argv(argv);
		return;
	}
	if (tui_job_running(&c->job)) {
		tui_message(t, 1, "'%s' is still running: wait for it",
		    c->line);
		rung_free_argv(argv);
		return;
	}
	/*
	 * A study left out is the open one: ':fit --prefix 5'; one that
	 * comes after other operands goes last: ':plot curves'.
	 */
	n = count_operands(e, argc, argv, &first);
	if (t->s != NULL && n == e->minargs - 1 &&
	    (k = study_operand(e)) >= 0) {
		if (k > 0)
			first = argc;
		nargv = xcalloc((size_t)argc + 2, sizeof *nargv);
		for (i = 0; i < first; i++)
			nargv[i] = argv[i];
		nargv[first] = xstrdup(t->s->name);
		for (i = first; i < argc; i++)
			nargv[i + 1] = argv[i];
		free(argv);
		argv = nargv;
		argc++;
	}
	if (pipe(p) != 0) {
		tui_message(t, 1, "pipe: %s", strerror(errno));
		rung_free_argv(argv);
		return;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	c->db_path = t->db_path;
	c->argc = argc;
	c->argv = argv;
	free(c->line);
	c->line = xstrdup(line);
	c->out_w = p[1];
	c->status = 0;
	c->writes = (e->flags & RUNG_CMD_STORE_RO) == 0;
	c->fit_prefix = 0;
	c->saves_model = 0;
	c->shows_replay = strcmp(e->name, "replay") == 0 &&
	    shows_replay(t, argc, argv);
	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--save", 6) == 0)
			c->saves_model = 1;
	}
	t->out_r = p[0];
	/* fit --prefix K on the open study moves the marker too. */
	if (strcmp(e->name, "fit") == 0 && t->s != NULL &&
	    strcmp(argv[argc - 1], t->s->name) == 0) {
		for (i = 1; i + 1 < argc; i++) {
			if (strcmp(argv[i], "--prefix") == 0) {
				k = strtol(argv[i + 1], &end, 10);
				if (*end == '\0' && k >= 1 && k < t->target)
					c->fit_prefix = (int32_t)k;
			}
		}
	}
	{
		struct rung_buf	 hdr = { 0 };

		rung_buf_addstr(&hdr, "$ rung");
		for (i = 0; i < argc; i++)
			rung_buf_printf(&hdr, " %s", argv[i]);
		rung_buf_addc(&hdr, '\n');
		tui_output_add(t, 2, hdr.data, hdr.len);
		rung_buf_release(&hdr);
	}
	t->out.follow = 1;
	tui_job_start(&c->job, tui_cmd_main, c);
	if (c->fit_prefix > 0) {
		t->prefix = c->fit_prefix;
		tui_request_refit(t);
	}
	tui_set_screen(t, SCR_OUTPUT);
}

static void
cmd_done(struct tui *t)
{
	struct tui_cmd	*c = &t->cmd;
	char		 buf[128];
	int		 n;

	if (t->out_r >= 0) {
		tui_output_read(t, t->out_r, 0);
		close(t->out_r);
		t->out_r = -1;
	}
	if (t->err_r >= 0)
		tui_output_read(t, t->err_r, 1);
	for (n = 0; n < 2; n++) {
		if (t->out.part[n].len > 0)
			tui_output_add(t, n, "\n", 1);
	}
	free(t->out.progress);
	t->out.progress = NULL;
	n = snprintf(buf, sizeof buf, "[exit %d, %.2f s]\n", c->status,
	    rung_now() - c->job.started);
	tui_output_add(t, c->status == 0 ? 2 : 1, buf, (size_t)n);
	if (c->status == 0)
		tui_message(t, 0, "'%s' done (%.2f s)", c->line,
		    rung_now() - c->job.started);
	else
		tui_message(t, 1, "'%s' failed with status %d: see the output "
		    "(5)", c->line, c->status);
	rung_free_argv(c->argv);
	c->argv = NULL;
	if (c->writes) {
		/* Kept replays and models may be new: look again. */
		t->rep.gen = UINT64_MAX;
		if (t->screen == SCR_REPLAY)
			view_replay_start(t, 0);
		tui_reload_studies(t);
		if (t->s != NULL && c->status == 0 && c->saves_model)
			load_model(t);
	}
	/*
	 * A kept replay of the open study: its screen, unless the user has
	 * gone elsewhere meanwhile. The output stays on 5.
	 */
	if (c->status == 0 && c->shows_replay) {
		if (t->screen == SCR_OUTPUT) {
			tui_set_screen(t, SCR_REPLAY);
			tui_message(t, 0, "'%s' done (%.2f s): kept, shown "
			    "here; 5 shows its output", c->line,
			    rung_now() - c->job.started);
		} else if (t->screen != SCR_REPLAY)
			tui_message(t, 0, "'%s' done (%.2f s): 4 shows it",
			    c->line, rung_now() - c->job.started);
	}
}

static int
mark_ids(struct tui *t, int argc, char **argv, int on)
{
	int64_t		 tr;
	int		 i;

	if (t->s == NULL)
		return -1;
	if (argc == 1 && !on) {
		memset(t->marked, 0, t->s->ntrials);
		t->nmarked = 0;
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if ((tr = rung_study_find_trial(t->s, argv[i])) < 0) {
			tui_message(t, 1, "no trial '%s' in '%s'", argv[i],
			    t->s->name);
			return -1;
		}
		if (t->marked[tr] != on) {
			t->marked[tr] = (uint8_t)on;
			t->nmarked += on ? 1 : -1;
		}
	}
	return 0;
}

static long
int_arg(struct tui *t, const char *s, long lo, long hi)
{
	char	*end;
	long	 v;

	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		tui_message(t, 1, "'%s' is not a number from %ld to %ld", s,
		    lo, hi);
		return -1;
	}
	return v;
}

/* A line of the explorer's own commands; 0 if it is not one. */
static int
run_own(struct tui *t, const char *line, int argc, char **argv)
{
	const char	*rest;
	long		 v;
	size_t		 i;
	int		 rev = 0;

	rest = line + strspn(line, " \t");
	rest += strcspn(rest, " \t");
	rest += strspn(rest, " \t");
	if (strcmp(argv[0], "filter") == 0)
		tui_apply_filter(t, rest);
	else if (strcmp(argv[0], "sort") == 0) {
		for (i = 1; i < (size_t)argc; i++) {
			if (strcmp(argv[i], "--reverse") == 0 ||
			    strcmp(argv[i], "-r") == 0)
				rev = 1;
		}
		if (argc < 2 || tui_sort_by_name(t, argv[argc - 1], rev) != 0)
			tui_message(t, 1, "sort: give a column: id, status, "
			    "steps, best, final, predicted or a parameter");
	} else if (strcmp(argv[0], "search") == 0) {
		free(t->search);
		t->search = xstrdup(rest);
		view_trials_key(t, ACT_SEARCH_NEXT);
	} else if (strcmp(argv[0], "open") == 0) {
		if (argc != 2)
			tui_message(t, 1, "usage: open study");
		else
			tui_open_study(t, argv[1]);
	} else if (strcmp(argv[0], "metric") == 0) {
		for (i = 0; argc == 2 && i < t->nmetrics; i++) {
			if (strcmp(t->metrics[i], argv[1]) == 0)
				break;
		}
		if (argc != 2 || i == t->nmetrics)
			tui_message(t, 1, "metric: give one of the study's "
			    "metrics (m cycles through them)");
		else
			switch_metric(t, i);
	} else if (strcmp(argv[0], "prefix") == 0) {
		if (argc == 2 && t->s != NULL && (v = int_arg(t, argv[1], 1,
		    t->target - 1)) > 0) {
			t->prefix = (int32_t)v;
			tui_request_refit(t);
		}
	} else if (strcmp(argv[0], "refit") == 0)
		tui_request_refit(t);
	else if (strcmp(argv[0], "top") == 0) {
		if (argc == 2 && (v = int_arg(t, argv[1], 0, 20)) >= 0) {
			t->topk = (int)v;
			compute_topk(t);
		}
	} else if (strcmp(argv[0], "params") == 0)
		view_trials_params(t, argc, argv);
	else if (strcmp(argv[0], "mark") == 0)
		mark_ids(t, argc, argv, 1);
	else if (strcmp(argv[0], "unmark") == 0)
		mark_ids(t, argc, argv, 0);
	else if (strcmp(argv[0], "logy") == 0)
		t->logy = !t->logy;
	else if (strcmp(argv[0], "keys") == 0)
		tui_set_screen(t, SCR_HELP);
	else if (strcmp(argv[0], "quit") == 0 || strcmp(argv[0], "q") == 0)
		t->quit = 1;
	else
		return 0;
	t->dirty = 1;
	return 1;
}

void
tui_run_line(struct tui *t, const char *line, int kind)
{
	char	**argv, *cause = NULL;
	int	  argc;

	if (kind == '/') {
		free(t->search);
		t->search = *line ? xstrdup(line) : NULL;
		if (t->screen == SCR_OUTPUT)
			view_output_key(t, ACT_SEARCH_NEXT);
		else if (t->screen == SCR_HELP)
			view_help_key(t, ACT_SEARCH_NEXT);
		else
			view_trials_key(t, ACT_SEARCH_NEXT);
		return;
	}
	if (kind == 'f') {
		tui_apply_filter(t, line);
		return;
	}
	if ((argv = rung_split_line(line, &argc, &cause)) == NULL) {
		tui_message(t, 1, "%s", cause);
		free(cause);
		return;
	}
	if (argc == 0) {
		rung_free_argv(argv);
		return;
	}
	if (run_own(t, line, argc, argv)) {
		rung_free_argv(argv);
		return;
	}
	run_shell(t, line, argc, argv);	/* takes argv */
}

/* Drawing the frame around the screens. */

static void
draw_title(struct tui *t)
{
	static const char *tabs[] = { "1 Studies", "2 Trials", NULL, "3 Fit",
		"4 Replay", "5 Output", "6 Launch" };
	int		 x = 0, i, a = t->attrs[C_TITLE];
	char		 buf[256];

	tui_fill(0, 0, t->cols, a);
	x += tui_put(0, x, t->cols, a | A_BOLD, " rung ");
	for (i = 0; i < 7; i++) {
		if (tabs[i] == NULL)
			continue;
		x += tui_putf(0, x, t->cols - x, ((int)t->screen == i ||
		    (i == SCR_TRIALS && t->screen == SCR_DETAIL)) ?
		    (int)A_REVERSE : a, " %s ", tabs[i]);
	}
	if (t->s != NULL) {
		snprintf(buf, sizeof buf, "%s %s %s (%s) %s %u trials ",
		    t->s->name, t->g->vline, t->s->curve.name,
		    rung_direction_name(t->s->direction), t->g->vline,
		    t->s->ntrials);
		i = tui_width(buf);
		if (x + 2 + i <= t->cols)
			tui_put(0, t->cols - i, i, a, buf);
	}
}

static void
draw_status(struct tui *t)
{
	char		 left[512], right[256];
	int		 y = t->rows - 2, a = t->attrs[C_HEAD], w;
	const char	*spin = t->g->spin[(int)(rung_now() * 8) % 4];
	size_t		 n = 0;

	left[0] = right[0] = '\0';
	switch (t->screen) {
	case SCR_TRIALS:
	case SCR_DETAIL:
		view_trials_status(t, left, sizeof left);
		break;
	case SCR_STUDIES:
		snprintf(left, sizeof left, " %zu studies in %s", t->nstudies,
		    rung_store_default_path(t->db_path));
		break;
	case SCR_OUTPUT:
		snprintf(left, sizeof left, " output: %zu line%s", t->out.n,
		    t->out.n == 1 ? "" : "s");
		break;
	case SCR_HELP:
		snprintf(left, sizeof left, " help: the keys of every "
		    "screen, then the commands");
		break;
	case SCR_FIT:
		snprintf(left, sizeof left, " fit: nu-SVR (Swift-Hyperband's "
		    "defaults), prefixes 10%%-90%% of step %d", t->fit.target);
		break;
	case SCR_REPLAY:
		snprintf(left, sizeof left, " replay: %s",
		    t->rep.source ? t->rep.source : "");
		break;
	case SCR_LAUNCH:
		view_launch_status(t, left, sizeof left);
		break;
	default:
		break;
	}
	if (tui_job_running(&t->cmd.job))
		n += (size_t)snprintf(right + n, sizeof right - n, " %s %s%s%s "
		    "%.1fs ", spin, t->cmd.line, t->out.progress ? ": " : "",
		    t->out.progress ? t->out.progress : "",
		    rung_now() - t->cmd.job.started);
	if (tui_job_running(&t->refit.job) && n < sizeof right)
		n += (size_t)snprintf(right + n, sizeof right - n,
		    " %s refit %.1fs ", spin, rung_now() -
		    t->refit.job.started);
	if (tui_job_running(&t->fit.job) && n < sizeof right)
		n += (size_t)snprintf(right + n, sizeof right - n,
		    " %s fit %u/%u ", spin, atomic_load(&t->fit.job.progress),
		    atomic_load(&t->fit.job.total));
	if (tui_job_running(&t->rep.job) && n < sizeof right)
		n += (size_t)snprintf(right + n, sizeof right - n,
		    " %s replay %u/%u ", spin,
		    atomic_load(&t->rep.job.progress),
		    atomic_load(&t->rep.job.total));
	tui_fill(y, 0, t->cols, a);
	w = tui_width(right);
	if (w > t->cols / 2)
		w = t->cols / 2;
	tui_put(y, 0, t->cols - w - 1, a, left);
	if (w > 0)
		tui_put(y, t->cols - w, w, a | A_BOLD, right);
}

static void
draw_message(struct tui *t)
{
	int	 y = t->rows - 1;

	tui_fill(y, 0, t->cols, A_NORMAL);
	if (t->msg != NULL)
		tui_put(y, 0, t->cols - 1, t->msg_error ? t->attrs[C_ERR] : (int)
		    A_NORMAL, t->msg);
	else
		tui_put(y, 0, t->cols - 1, t->attrs[C_AXIS], "? help   : "
		    "command   q back   Q quit");
}

static void
draw(struct tui *t)
{
	char	 buf[160];
	int	 h;

	getmaxyx(stdscr, t->rows, t->cols);
	erase();
	if (t->cols < TUI_MIN_COLS || t->rows < TUI_MIN_ROWS) {
		snprintf(buf, sizeof buf, "rung needs %dx%d, this terminal is "
		    "%dx%d", TUI_MIN_COLS, TUI_MIN_ROWS, t->cols, t->rows);
		tui_put(t->rows / 2 > 0 ? t->rows / 2 - 1 : 0, 0, t->cols,
		    A_BOLD, buf);
		tui_put(t->rows / 2, 0, t->cols, A_NORMAL,
		    "enlarge it, or press q to quit");
		curs_set(0);
		wnoutrefresh(stdscr);
		doupdate();
		t->dirty = 0;
		return;
	}
	draw_title(t);
	h = t->rows - 3;
	switch (t->screen) {
	case SCR_STUDIES:
		view_studies_draw(t, 1, h);
		break;
	case SCR_TRIALS:
		view_trials_draw(t, 1, h);
		break;
	case SCR_DETAIL:
		view_detail_draw(t, 1, h);
		break;
	case SCR_FIT:
		view_fit_draw(t, 1, h);
		break;
	case SCR_REPLAY:
		view_replay_draw(t, 1, h);
		break;
	case SCR_OUTPUT:
		view_output_draw(t, 1, h);
		break;
	case SCR_LAUNCH:
		view_launch_draw(t, 1, h);
		break;
	case SCR_HELP:
		view_help_draw(t, 1, h);
		break;
	default:
		break;
	}
	draw_status(t);
	if (t->prompting) {
		curs_set(1);
		tui_prompt_draw(t);
	} else {
		curs_set(0);
		draw_message(t);
	}
	wnoutrefresh(stdscr);
	doupdate();
	t->dirty = 0;
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

static void
handle_key(struct tui *t, int c)
{
	enum tui_action	 a;

	if (c == KEY_RESIZE) {
		getmaxyx(stdscr, t->rows, t->cols);
		tui_prompt_resize(t);
		t->dirty = 1;
		return;
	}
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
	case ACT_HELP:
		tui_set_screen(t, SCR_HELP);
		return;
	case ACT_PROMPT:
		tui_prompt_open(t, ':', NULL);
		return;
	case ACT_QUIT:
		t->quit = 1;
		return;
	case ACT_BACK:
		/*
		 * Help goes back where it came from; the other screens to
		 * the trials; the trials to the studies when they were
		 * opened from there; the studies quit.
		 */
		if (t->screen == SCR_STUDIES || (t->screen == SCR_TRIALS &&
		    !t->from_studies))
			t->quit = 1;
		else if (t->screen == SCR_TRIALS) {
			tui_reload_studies(t);
			tui_set_screen(t, SCR_STUDIES);
		} else if (t->screen == SCR_HELP && t->back != SCR_HELP)
			tui_set_screen(t, t->back);
		else
			tui_set_screen(t, t->s != NULL ? SCR_TRIALS :
			    SCR_STUDIES);
		return;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		return;
	case ACT_STUDIES:
		tui_reload_studies(t);
		tui_set_screen(t, SCR_STUDIES);
		return;
	case ACT_TRIALS:
		tui_set_screen(t, SCR_TRIALS);
		return;
	case ACT_FIT:
		tui_set_screen(t, SCR_FIT);
		return;
	case ACT_REPLAY:
		tui_set_screen(t, SCR_REPLAY);
		return;
	case ACT_OUTPUT:
		tui_set_screen(t, SCR_OUTPUT);
		return;
	case ACT_LAUNCH:
		tui_set_screen(t, SCR_LAUNCH);
		return;
	case ACT_METRIC:
		if (t->nmetrics > 1)
			switch_metric(t, (t->metric + 1) % t->nmetrics);
		else
			tui_message(t, 0, "the study has one metric");
		return;
	case ACT_SORT:
		if (t->s == NULL)
			return;
		do {
			t->sort = (t->sort + 1) % (int)tui_ncols(t);
		} while (t->sort == COL_PRED && t->pred == NULL);
		tui_resort(t);
		tui_message(t, 0, "sorted by %s%s", tui_col_name(t,
		    (uint32_t)t->sort), t->sort_rev ? ", reversed" : "");
		return;
	case ACT_SORT_REVERSE:
		t->sort_rev = !t->sort_rev;
		tui_resort(t);
		return;
	case ACT_FILTER:
		tui_prompt_open(t, 'f', t->filter_text);
		return;
	case ACT_FILTER_CLEAR:
		tui_apply_filter(t, NULL);
		return;
	case ACT_SEARCH:
		tui_prompt_open(t, '/', NULL);
		return;
	case ACT_TOPK:
		t->topk = t->topk == 0 ? 5 : t->topk == 5 ? 10 :
		    t->topk == 10 ? 20 : 0;
		compute_topk(t);
		if (t->topk)
			tui_message(t, 0, "plotting the top %d rows by best "
			    "value", t->topk);
		else
			tui_message(t, 0, "top-k off");
		return;
	default:
		break;
	}
	switch (t->screen) {
	case SCR_STUDIES:
		view_studies_key(t, a);
		break;
	case SCR_TRIALS:
		view_trials_key(t, a);
		break;
	case SCR_DETAIL:
		view_detail_key(t, a);
		break;
	case SCR_FIT:
		view_fit_key(t, a);
		break;
	case SCR_REPLAY:
		view_replay_key(t, a);
		break;
	case SCR_OUTPUT:
		view_output_key(t, a);
		break;
	case SCR_LAUNCH:
		view_launch_key(t, a);
		break;
	case SCR_HELP:
		view_help_key(t, a);
		break;
	default:
		break;
	}
}

/* Results of the jobs, signals and resizes. */
static void
poll_work(struct tui *t)
{
	struct winsize	 ws;

	if (got_winch) {
		got_winch = 0;
		if (!t->headless && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
		    ws.ws_row > 0 && ws.ws_col > 0)
			resizeterm(ws.ws_row, ws.ws_col);
		getmaxyx(stdscr, t->rows, t->cols);
		tui_prompt_resize(t);
		t->dirty = 1;
	}
	if (got_int) {
		got_int = 0;
		if (t->prompting)
			tui_prompt_close(t);
		else {
			t->quit = 1;
			t->exit_status = 128 + SIGINT;
		}
	}
	if (got_term || got_hup) {
		t->quit = 1;
		t->exit_status = 128 + (got_term ? SIGTERM : SIGHUP);
	}
	if (t->out_r >= 0)
		tui_output_read(t, t->out_r, 0);
	if (t->err_r >= 0)
		tui_output_read(t, t->err_r, 1);
	if (tui_job_done(&t->cmd.job))
		cmd_done(t);
	if (tui_job_done(&t->refit.job))
		refit_done(t);
	view_fit_poll(t);
	view_replay_poll(t);
	view_launch_poll(t);
	if (t->line != NULL) {
		char	*line = t->line;
		int	 kind = t->line_kind;

		t->line = NULL;
		tui_run_line(t, line, kind);
		free(line);
		t->dirty = 1;
	}
}

static int
busy(struct tui *t)
{
	return tui_job_running(&t->cmd.job) ||
	    tui_job_running(&t->refit.job) || tui_job_running(&t->fit.job) ||
	    tui_job_running(&t->rep.job);
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
			draw(t);
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
		if (poll(pfd, (nfds_t)n, busy(t) ? 125 : t->screen ==
		    SCR_LAUNCH ? 250 : -1) < 0 && errno != EINTR)
			break;
		tui_drain_wake();
		if (busy(t))
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

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
bench(struct tui *t, long nkeys, double started, double loaded,
    double first)
{
	static const int cycle[] = {
		'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j',
		'k', 'k', 'k', 'k', KEY_NPAGE, KEY_NPAGE, KEY_PPAGE, ' ', 'j',
		' ', 'j', ' ', 'c', 'c', 'l', 'l', 't', 't', 't', 't', 'G',
		'g', '>', '<', '\t', KEY_LEFT, KEY_RIGHT, '\t', '\t', KEY_RIGHT,
		KEY_LEFT, 'h', 'x', 's', 'S', 'S', 's', 'j',
	};
	const int	 ncycle = (int)(sizeof cycle / sizeof cycle[0]);
	double		*ms, t0, worst = 0, sum = 0;
	int		 worst_key = 0, c;
	long		 i;
	char		 buf[16];

	ms = xreallocarray(NULL, (size_t)nkeys, sizeof *ms);
	for (i = 0; i < nkeys; i++) {
		c = cycle[i % ncycle];
		t0 = rung_now();
		handle_key(t, c);
		poll_work(t);
		draw(t);
		ms[i] = (rung_now() - t0) * 1e3;
		sum += ms[i];
		if (ms[i] > worst) {
			worst = ms[i];
			worst_key = c;
		}
	}
	qsort(ms, (size_t)nkeys, sizeof *ms, cmp_double);
	endwin();
	restore_stderr(t);
	fprintf(stderr, "screen          %dx%d%s\n", t->cols, t->rows,
	    t->headless ? " (no terminal: drawn into /dev/null)" : "");
	fprintf(stderr, "study           %s: %u trials, %u points\n",
	    t->s ? t->s->name : "-", t->s ? t->s->ntrials : 0,
	    t->s ? t->s->curve.off[t->s->ntrials] : 0);
	fprintf(stderr, "first frame     %.1f ms after exec, %.1f ms after "
	    "rung tui started (study loaded in %.1f ms)\n",
	    since_exec() * 1e3 - (rung_now() - first) * 1e3,
	    (first - started) * 1e3, (loaded - started) * 1e3);
	fprintf(stderr, "keys            %ld\n", nkeys);
	fprintf(stderr, "redraw per key  median %.3f ms, p90 %.3f ms, "
	    "p99 %.3f ms, max %.3f ms (%s), mean %.3f ms\n",
	    ms[nkeys / 2], ms[nkeys * 9 / 10], ms[nkeys * 99 / 100],
	    ms[nkeys - 1], tui_key_name(worst_key, buf), sum / nkeys);
	free(ms);
}

static void
tui_free(struct tui *t)
{
	size_t	 i;

	tui_job_wait(&t->refit.job);
	tui_refit_release(&t->refit);
	tui_job_wait(&t->fit.job);
	view_fit_free(&t->fit);
	tui_job_wait(&t->rep.job);
	view_replay_free(&t->rep);
	view_launch_free(&t->launch);
	close_study(t);
	for (i = 0; i < t->nstudies; i++)
		rung_study_info_release(&t->studies[i]);
	free(t->studies);
	free(t->store_cause);
	tui_output_free(&t->out);
	free(t->cmd.line);
	free(t->msg);
	free(t->matches);
	free(t->search);
	free(t->line);
	free(t->dir_metric);
	free(t);
}

int
rung_tui_run(struct rung_ctx *ctx, const struct rung_tui_opts *o)
{
	struct tui	*t;
	char		*cause = NULL;
	double		 started = rung_now(), loaded, first;
	int		 ret;

	t = xcalloc(1, sizeof *t);
	t->ctx = ctx;
	t->db_path = ctx->db_path;
	t->out_r = t->err_r = t->saved_stderr = -1;
	t->screen = t->back = SCR_STUDIES;
	t->logy = o->logy;
	t->dir_override = o->direction;
	t->dir_metric = o->metric != NULL ? xstrdup(o->metric) : NULL;
	if (term_setup(t, o, &cause) != 0) {
		rung_error("tui: %s", cause);
		free(cause);
		term_restore(t);
		tui_current = NULL;
		free(t);
		return RUNG_EXIT_ERROR;
	}
	tui_reload_studies(t);
	if (o->study != NULL)
		tui_open_study(t, o->study);
	else if (t->nstudies == 1)
		tui_open_study(t, t->studies[0].name);
	if (o->metric != NULL && t->s != NULL) {
		size_t	 i;

		for (i = 0; i < t->nmetrics; i++) {
			if (strcmp(t->metrics[i], o->metric) == 0)
				break;
		}
		if (i == t->nmetrics)
			tui_message(t, 1, "-m: study '%s' has no metric '%s'",
			    t->s->name, o->metric);
		else if (i == 0 && t->dir_override != 0) {
			/* Opened with the metric's own direction: again. */
			t->metric = 1;
			switch_metric(t, 0);
		} else
			switch_metric(t, i);
	}
	if (t->s == NULL && t->store_cause != NULL)
		tui_message(t, 1, "%s: ':import FILE' makes one",
		    t->store_cause);
	loaded = rung_now();
	draw(t);
	first = rung_now();
	if (o->bench_keys > 0) {
		if (o->study != NULL && t->s == NULL) {
			term_restore(t);
			tui_current = NULL;
			rung_error("tui: %s", t->msg ? t->msg : "no study");
			tui_prompt_fini();
			tui_free(t);
			return RUNG_EXIT_ERROR;
		}
		bench(t, o->bench_keys, started, loaded, first);
	} else
		main_loop(t);
	ret = t->exit_status;
	tui_prompt_fini();
	/*
	 * Work still running dies with the process rather than keep the
	 * user waiting; a command is named, for it may have been writing
	 * (a transaction it did not commit leaves the database as it was).
	 */
	if (busy(t)) {
		term_restore(t);
		tui_current = NULL;
		if (tui_job_running(&t->cmd.job))
			rung_warn("'%s' was still running and did not finish",
			    t->cmd.line);
		fflush(NULL);
		_exit(ret);
	}
	term_restore(t);
	tui_current = NULL;
	tui_free(t);
	return ret;
}
