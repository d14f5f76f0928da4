/*
 * The explorer's terminal: setting it up (ncurses, colours, stderr read
 * back into the output screen) and restoring it on every way out: q, a
 * signal (SIGINT, SIGTERM and SIGHUP set a flag that the main loop reads
 * through tui_term_poll; SIGSEGV and friends put the saved terminal modes
 * back before dying), and exit() on a fatal error (an atexit handler calls
 * endwin).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "tui-int.h"
#include "rung/xmalloc.h"

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

void
tui_restore_stderr(struct tui *t)
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

void
tui_term_restore(struct tui *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	if (!isendwin())
		endwin();
	tui_restore_stderr(t);
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
		tui_term_restore(tui_current);
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
	static const short ramp[TUI_NRAMP] = { COLOR_BLUE, COLOR_CYAN,
		COLOR_GREEN, COLOR_YELLOW, COLOR_RED };
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
		for (i = 0; i < TUI_NRAMP; i++)
			init_pair(C_RAMP1 + i, ramp[i], -1);
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
		for (i = 0; i < TUI_NRAMP; i++)
			t->attrs[C_RAMP1 + i] = COLOR_PAIR(C_RAMP1 + i);
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
	/* Without colour, low values dim and high ones bold. */
	t->attrs[C_RAMP1] = t->attrs[C_RAMP2] = A_DIM;
	t->attrs[C_RAMP3] = A_NORMAL;
	t->attrs[C_RAMP4] = t->attrs[C_RAMP5] = A_BOLD;
}

int
tui_term_setup(struct tui *t, const struct rung_tui_opts *o, char **cause)
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

/* Resizes and signals since the last time. */
void
tui_term_poll(struct tui *t)
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
}
