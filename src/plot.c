/*
 * The gnuplot driver: a script built from commands and numeric data sets,
 * run through a pipe by the real gnuplot or written out as plot.gp.
 *
 * A reference to a data set is kept in the command text as \001 INDEX
 * \002: labels cannot hold control characters (rung_plot_quote escapes
 * them), so the marker is never ambiguous, and the same commands become
 * $NAME for the pipe and 'NAME.dat' for plot.gp.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rung/plot.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

extern char **environ;

/* Longest label kept, in bytes; a longer one ends in "...". */
#define LABEL_MAX	160

struct plot_data {
	char		*name;
	struct rung_buf	 text;
	size_t		 rows;
};

struct rung_plot {
	struct rung_buf	 cmd;
	struct plot_data *data;
	size_t		 ndata;
	size_t		 cap;
	size_t		 cur;		/* current data set */
};

static const struct {
	const char	*ext;
	enum rung_plot_term term;
} plot_exts[] = {
	{ ".png", RUNG_PLOT_PNG },
	{ ".svg", RUNG_PLOT_SVG },
	{ ".pdf", RUNG_PLOT_PDF },
	{ ".txt", RUNG_PLOT_DUMB },
};

int
rung_plot_term_of(const char *path)
{
	size_t	 len = strlen(path), n, i;

	for (i = 0; i < sizeof plot_exts / sizeof plot_exts[0]; i++) {
		n = strlen(plot_exts[i].ext);
		if (len > n && rung_strieq(path + len - n, plot_exts[i].ext))
			return (int)plot_exts[i].term;
	}
	return -1;
}

const char *
rung_plot_term_name(enum rung_plot_term t)
{
	switch (t) {
	case RUNG_PLOT_DUMB:
		return "dumb";
	case RUNG_PLOT_PNG:
		return "pngcairo";
	case RUNG_PLOT_SVG:
		return "svg";
	case RUNG_PLOT_PDF:
		return "pdfcairo";
	case RUNG_PLOT_WINDOW:
		return "window";
	}
	return "?";
}

void
rung_plot_default_size(enum rung_plot_term t, int *w, int *h)
{
	if (t == RUNG_PLOT_DUMB) {
		*w = 100;
		*h = 32;
	} else if (t == RUNG_PLOT_PDF) {
		/* 8 x 5 inches. */
		*w = 768;
		*h = 480;
	} else {
		*w = 800;
		*h = 500;
	}
}

int
rung_plot_size_parse(const char *s, enum rung_plot_term t, int *w, int *h,
    char **cause)
{
	const char	*unit = t == RUNG_PLOT_DUMB ? "characters" : "pixels";
	char		*end;
	long		 x, y;
	int		 lo_w = 100, lo_h = 100, hi = 10000;

	if (t == RUNG_PLOT_DUMB) {
		lo_w = 30;
		lo_h = 10;
		hi = 1000;
	}
	errno = 0;
	x = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X') || errno != 0)
		goto bad;
	s = end + 1;
	y = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0)
		goto bad;
	if (x < lo_w || x > hi || y < lo_h || y > hi) {
		xasprintf(cause, "--size: %ldx%ld is out of range: the %s "
		    "terminal takes %dx%d to %dx%d %s", x, y,
		    rung_plot_term_name(t), lo_w, lo_h, hi, hi, unit);
		return -1;
	}
	*w = (int)x;
	*h = (int)y;
	return 0;
bad:
	xasprintf(cause, "--size must be WIDTHxHEIGHT in %s, %dx%d to %dx%d "
	    "(800x500), not '%s'", unit, lo_w, lo_h, hi, hi, s);
	return -1;
}

const char *
rung_plot_program(void)
{
	const char	*p = getenv("RUNG_GNUPLOT");

	return p != NULL && *p != '\0' ? p : "gnuplot";
}

/* Building. */

struct rung_plot *
rung_plot_new(void)
{
	struct rung_plot *p = xcalloc(1, sizeof *p);

	p->cur = SIZE_MAX;
	return p;
}

void
rung_plot_free(struct rung_plot *p)
{
	size_t	 i;

	if (p == NULL)
		return;
	for (i = 0; i < p->ndata; i++) {
		free(p->data[i].name);
		rung_buf_release(&p->data[i].text);
	}
	free(p->data);
	rung_buf_release(&p->cmd);
	free(p);
}

void
rung_plot_cmd(struct rung_plot *p, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	rung_buf_addstr(&p->cmd, s);
	free(s);
}

void
rung_plot_quote_buf(struct rung_buf *b, const char *s)
{
	char		 esc[RUNG_ESC_MAX];
	size_t		 n = 0, avail = strlen(s), k;

	rung_buf_addc(b, '\'');
	for (; avail > 0; s += k, avail -= k) {
		/*
		 * Control characters (newlines too, which would end the
		 * string and the command), DEL, C1 and bytes that are not
		 * UTF-8 are shown escaped (rung_esc_next), in plain text
		 * inside single quotes (noenhanced): a label shows what a
		 * table shows and holds no control character.
		 */
		k = rung_esc_next(s, avail, esc);
		/* Backquotes run commands, even inside single quotes. */
		if (*s == '`')
			continue;
		/* Cut long labels, not inside a character or an escape. */
		if (n >= LABEL_MAX) {
			rung_buf_addstr(b, "...");
			break;
		}
		if (esc[0] != '\0') {
			rung_buf_addstr(b, esc);
			n += strlen(esc);
			continue;
		}
		if (*s == '\'')
			rung_buf_addc(b, '\'');
		rung_buf_add(b, s, k);
		n += k;
	}
	rung_buf_addc(b, '\'');
}

void
rung_plot_quote(struct rung_plot *p, const char *s)
{
	rung_plot_quote_buf(&p->cmd, s);
}

void
rung_plot_num(struct rung_plot *p, double v)
{
	char	 buf[RUNG_DBL_BUFSZ];

	/* Always real: 3 / 2 is 1 in gnuplot, 3.0 / 2 is 1.5. */
	if (isfinite(v))
		rung_buf_addstr(&p->cmd, rung_fmt_double(v, 1, buf));
	else
		rung_buf_addstr(&p->cmd, "NaN");
}

static size_t
find_data(const struct rung_plot *p, const char *name)
{
	size_t	 i;

	for (i = 0; i < p->ndata; i++) {
		if (strcmp(p->data[i].name, name) == 0)
			return i;
	}
	return SIZE_MAX;
}

/* Data set names become file names and gnuplot variables. */
static void
check_name(const char *name)
{
	const char	*c;

	for (c = name; *c != '\0'; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '_'))
			break;
	}
	if (*name == '\0' || *c != '\0' || (*name >= '0' && *name <= '9')) {
		fprintf(stderr, "rung: bad plot data set name '%s'\n", name);
		abort();
	}
}

void
rung_plot_data(struct rung_plot *p, const char *name)
{
	size_t	 i;

	if ((i = find_data(p, name)) == SIZE_MAX) {
		check_name(name);
		XGROW(p->data, p->cap, p->ndata + 1);
		i = p->ndata++;
		memset(&p->data[i], 0, sizeof p->data[i]);
		p->data[i].name = xstrdup(name);
	}
	p->cur = i;
}

void
rung_plot_ref(struct rung_plot *p, const char *name)
{
	size_t	 i;

	if ((i = find_data(p, name)) == SIZE_MAX) {
		rung_plot_data(p, name);
		i = p->cur;
	}
	rung_buf_printf(&p->cmd, "\001%zu\002", i);
}

void
rung_plot_row(struct rung_plot *p, int n, ...)
{
	struct plot_data *d;
	char		 buf[RUNG_DBL_BUFSZ];
	va_list		 ap;
	double		 v;
	int		 i;

	if (p->cur == SIZE_MAX)
		rung_plot_data(p, "data");
	d = &p->data[p->cur];
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		v = va_arg(ap, double);
		if (i > 0)
			rung_buf_addc(&d->text, ' ');
		rung_buf_addstr(&d->text, isfinite(v) ?
		    rung_fmt_double(v, 0, buf) : "NaN");
	}
	va_end(ap);
	rung_buf_addc(&d->text, '\n');
	d->rows++;
}

void
rung_plot_gap(struct rung_plot *p, int blank_lines)
{
	struct plot_data *d;

	if (p->cur == SIZE_MAX)
		return;
	d = &p->data[p->cur];
	while (blank_lines-- > 0)
		rung_buf_addc(&d->text, '\n');
}

size_t
rung_plot_rows(const struct rung_plot *p)
{
	return p->cur == SIZE_MAX ? 0 : p->data[p->cur].rows;
}

/* The script. */

static const char *
term_ext(enum rung_plot_term t)
{
	size_t	 i;

	for (i = 0; i < sizeof plot_exts / sizeof plot_exts[0]; i++) {
		if (plot_exts[i].term == t)
			return plot_exts[i].ext;
	}
	return ".txt";
}

char *
rung_plot_export_name(const struct rung_plot_target *tg)
{
	const char	*base, *c;

	if (tg->path == NULL)
		return NULL;
	base = strrchr(tg->path, '/');
	base = base != NULL ? base + 1 : tg->path;
	for (c = base; *c != '\0'; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' ||
		    *c == '-' || *c == '+'))
			break;
	}
	if (*base == '\0' || *base == '.' || *c != '\0')
		return xprintf("plot%s", term_ext(tg->term));
	return xstrdup(base);
}

static void
term_line(struct rung_buf *b, const struct rung_plot_target *tg)
{
	switch (tg->term) {
	case RUNG_PLOT_DUMB:
		rung_buf_printf(b, "set terminal dumb size %d,%d noenhanced\n",
		    tg->width, tg->height);
		break;
	case RUNG_PLOT_PNG:
		rung_buf_printf(b, "set terminal pngcairo size %d,%d "
		    "noenhanced font 'Sans,10'\n", tg->width, tg->height);
		break;
	case RUNG_PLOT_SVG:
		rung_buf_printf(b, "set terminal svg size %d,%d fixed "
		    "noenhanced font 'Sans,10' background '#ffffff'\n",
		    tg->width, tg->height);
		break;
	case RUNG_PLOT_PDF:
		rung_buf_printf(b, "set terminal pdfcairo size %.4gin,%.4gin "
		    "noenhanced font 'Sans,9'\n", tg->width / 96.0,
		    tg->height / 96.0);
		break;
	case RUNG_PLOT_WINDOW:
		if (tg->window != NULL && strcmp(tg->window, "x11") == 0)
			rung_buf_printf(b, "set terminal x11 size %d,%d "
			    "noenhanced persist title 'rung plot'\n",
			    tg->width, tg->height);
		else
			rung_buf_printf(b, "set terminal %s size %d,%d "
			    "noenhanced persist font 'Sans,10' title "
			    "'rung plot'\n", tg->window != NULL ? tg->window :
			    "qt", tg->width, tg->height);
		break;
	}
}

char *
rung_plot_script(const struct rung_plot *p, const struct rung_plot_target *tg,
    int files)
{
	struct rung_buf	 b = { 0 };
	const char	*c, *end;
	char		*name;
	size_t		 i;

	if (files)
		rung_buf_addstr(&b, "# Drawn by rung plot; 'gnuplot plot.gp' "
		    "in this directory draws it again.\n");
	rung_buf_addstr(&b, "set encoding utf8\n");
	term_line(&b, tg);
	if (files && (name = rung_plot_export_name(tg)) != NULL) {
		rung_buf_addstr(&b, "set output ");
		rung_plot_quote_buf(&b, name);
		rung_buf_addc(&b, '\n');
		free(name);
	}
	if (!files) {
		for (i = 0; i < p->ndata; i++) {
			rung_buf_printf(&b, "$%s << EOD\n", p->data[i].name);
			if (p->data[i].text.len > 0)
				rung_buf_add(&b, p->data[i].text.data,
				    p->data[i].text.len);
			rung_buf_addstr(&b, "EOD\n");
		}
	}
	c = p->cmd.len > 0 ? p->cmd.data : "";
	end = c + p->cmd.len;
	while (c < end) {
		if (*c != '\001') {
			rung_buf_addc(&b, *c++);
			continue;
		}
		i = (size_t)strtoul(c + 1, (char **)&c, 10);
		c++;	/* \002 */
		if (files)
			rung_buf_printf(&b, "'%s.dat'", p->data[i].name);
		else
			rung_buf_printf(&b, "$%s", p->data[i].name);
	}
	if (b.len > 0 && b.data[b.len - 1] != '\n')
		rung_buf_addc(&b, '\n');
	return rung_buf_cstr(&b);
}

/* Running gnuplot. */

static int
set_nonblock(int fd)
{
	int	 fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/*
 * Keep a pipe's end off descriptors 0 to 2 (rung started with one of
 * them closed): dup2 onto the same number would leave it close-on-exec.
 */
static int
high_fd(int *fd)
{
	int	 nfd;

	if (*fd > STDERR_FILENO)
		return 0;
	if ((nfd = fcntl(*fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1)) < 0)
		return -1;
	close(*fd);
	*fd = nfd;
	return 0;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Take the form feeds out of buf[0..n); the new length. */
static size_t
strip_ff(char *buf, size_t n)
{
	size_t	 i, j;

	for (i = j = 0; i < n; i++) {
		if (buf[i] != '\f')
			buf[j++] = buf[i];
	}
	return j;
}

static char *
spawn_error(const char *prog, int err)
{
	if (err == ENOENT && strchr(prog, '/') == NULL)
		return xprintf("cannot run '%s': not found on PATH; plots need "
		    "gnuplot: install the Debian package gnuplot-nox", prog);
	return xprintf("cannot run '%s': %s%s", prog, strerror(err),
	    err == ENOENT ? " (plots need gnuplot: install the Debian "
	    "package gnuplot-nox)" : "");
}

/*
 * Run gnuplot with in on its standard input; its standard output goes to
 * dest (or capture, or nowhere), without form feeds with drop_ff (the
 * dumb terminal starts each page with one), its standard error to err.
 * *status is its exit status, or 128 + the signal that ended it.
 */
static int
gp_run(int persist, int drop_ff, const char *in, size_t inlen, FILE *dest,
    struct rung_buf *capture, struct rung_buf *err, int *status,
    char **cause)
{
	const char	*prog = rung_plot_program();
	char		*argv[3], buf[8192];
	posix_spawn_file_actions_t fa;
	struct pollfd	 pfd[3];
	sigset_t	 pipe_set, old_set, pending;
	struct timespec	 zero = { 0, 0 };
	pid_t		 pid;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fin[2] = { -1, -1 }, fout[2] = { -1, -1 };
	int		 ferr[2] = { -1, -1 }, rc, st = 0, exited = 0;
	int		 nfd, i, werr = 0, ready;

	argv[0] = (char *)prog;
	argv[1] = persist ? "-persist" : NULL;
	argv[2] = NULL;
	if (pipe2(fin, O_CLOEXEC) != 0 || pipe2(fout, O_CLOEXEC) != 0 ||
	    pipe2(ferr, O_CLOEXEC) != 0 || high_fd(&fin[0]) != 0 ||
	    high_fd(&fout[1]) != 0 || high_fd(&ferr[1]) != 0) {
		xasprintf(cause, "pipe: %s", strerror(errno));
		goto fail;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fin[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, fout[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, ferr[1], STDERR_FILENO);
	rc = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close_fd(&fin[0]);
	close_fd(&fout[1]);
	close_fd(&ferr[1]);
	if (rc != 0) {
		*cause = spawn_error(prog, rc);
		goto fail;
	}
	set_nonblock(fin[1]);
	set_nonblock(fout[0]);
	set_nonblock(ferr[0]);

	/*
	 * gnuplot stops reading at its first error: writing on then must
	 * fail with EPIPE, not kill rung (or the explorer running us on a
	 * thread), so SIGPIPE is blocked here and any pending one taken.
	 */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
	if (inlen == 0)
		close_fd(&fin[1]);
	for (;;) {
		nfd = 0;
		if (fin[1] >= 0) {
			pfd[nfd].fd = fin[1];
			pfd[nfd++].events = POLLOUT;
		}
		if (fout[0] >= 0) {
			pfd[nfd].fd = fout[0];
			pfd[nfd++].events = POLLIN;
		}
		if (ferr[0] >= 0) {
			pfd[nfd].fd = ferr[0];
			pfd[nfd++].events = POLLIN;
		}
		if (nfd == 0)
			break;
		/*
		 * Once gnuplot is gone, drain what it left and stop: a
		 * window it left open may hold the pipes for a long time.
		 */
		ready = poll(pfd, (nfds_t)nfd, exited ? 0 : 100);
		if (ready < 0 && errno != EINTR)
			break;
		if (ready == 0 && exited)
			break;
		for (i = 0; ready > 0 && i < nfd; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (pfd[i].fd == fin[1]) {
				n = write(fin[1], in + off, inlen - off);
				if (n > 0 && (off += (size_t)n) == inlen)
					close_fd(&fin[1]);
				else if (n < 0 && errno != EAGAIN &&
				    errno != EINTR)
					close_fd(&fin[1]);
				continue;
			}
			n = read(pfd[i].fd, buf, sizeof buf);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n <= 0) {
				if (pfd[i].fd == fout[0])
					close_fd(&fout[0]);
				else
					close_fd(&ferr[0]);
				continue;
			}
			if (drop_ff && pfd[i].fd == fout[0])
				n = (ssize_t)strip_ff(buf, (size_t)n);
			if (pfd[i].fd == ferr[0])
				rung_buf_add(err, buf, (size_t)n);
			else if (capture != NULL)
				rung_buf_add(capture, buf, (size_t)n);
			else if (dest != NULL && !werr &&
			    fwrite(buf, 1, (size_t)n, dest) != (size_t)n)
				werr = errno ? errno : EIO;
		}
		if (!exited && waitpid(pid, &st, WNOHANG) == pid)
			exited = 1;
	}
	close_fd(&fin[1]);
	close_fd(&fout[0]);
	close_fd(&ferr[0]);
	while (!exited && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	sigpending(&pending);
	if (sigismember(&pending, SIGPIPE))
		sigtimedwait(&pipe_set, NULL, &zero);
	pthread_sigmask(SIG_SETMASK, &old_set, NULL);

	if (WIFEXITED(st))
		*status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		*status = 128 + WTERMSIG(st);
	else
		*status = 1;
	if (werr != 0) {
		xasprintf(cause, "cannot write the plot: %s", strerror(werr));
		return -1;
	}
	return 0;
fail:
	for (i = 0; i < 2; i++) {
		close_fd(&fin[i]);
		close_fd(&fout[i]);
		close_fd(&ferr[i]);
	}
	return -1;
}

/* gnuplot's stderr without its leading and trailing blank lines. */
static char *
trimmed(struct rung_buf *err)
{
	char	*s = rung_buf_cstr(err), *e;

	while (*s == '\n' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

/*
 * A message is one line (rung_error escapes a newline): gnuplot's lines are
 * joined with "; ", each without its indent, its caret lines left out.
 */
static char *
failure(int status, struct rung_buf *err)
{
	struct rung_buf	 b = { 0 };
	char		*text = trimmed(err), *line, *save, *msg;

	for (line = strtok_r(text, "\r\n", &save); line != NULL;
	    line = strtok_r(NULL, "\r\n", &save)) {
		line += strspn(line, " \t");
		if (line[strspn(line, " \t^")] == '\0')
			continue;
		rung_buf_printf(&b, "%s%s", b.len ? "; " : ": ", line);
	}
	if (status > 128)
		msg = xprintf("gnuplot was killed by signal %d%s", status - 128,
		    rung_buf_cstr(&b));
	else
		msg = xprintf("gnuplot failed (exit status %d)%s", status,
		    rung_buf_cstr(&b));
	rung_buf_release(&b);
	free(text);
	return msg;
}

/* What gnuplot said although it succeeded: warnings, line by line. */
static void
pass_warnings(struct rung_buf *err)
{
	char	*text = trimmed(err), *line, *save;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (*line != '\0')
			rung_warn("gnuplot: %s", line);
	}
	free(text);
}

int
rung_plot_window(const char **name, char **cause)
{
	static const char *const wanted[] = { "qt", "wxt", "x11" };
	static const char script[] = "set print '-'\nprint GPVAL_TERMINALS\n";
	struct rung_buf	 out = { 0 }, err = { 0 };
	char		*words, *w, *save;
	size_t		 i;
	int		 status, best = -1, ret = -1;

	*name = NULL;
	if (gp_run(0, 0, script, sizeof script - 1, NULL, &out, &err, &status,
	    cause) != 0)
		goto out;
	if (status != 0) {
		*cause = failure(status, &err);
		goto out;
	}
	words = rung_buf_cstr(&out);
	for (w = strtok_r(words, " \t\n", &save); w != NULL;
	    w = strtok_r(NULL, " \t\n", &save)) {
		for (i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
			if (strcmp(w, wanted[i]) == 0 &&
			    (best < 0 || (int)i < best))
				best = (int)i;
		}
	}
	if (best >= 0)
		*name = wanted[best];
	ret = 0;
out:
	rung_buf_release(&out);
	rung_buf_release(&err);
	return ret;
}

int
rung_plot_render(const struct rung_plot *p, const struct rung_plot_target *tg,
    FILE *out, char **cause)
{
	struct rung_buf	 err = { 0 };
	FILE		*dest = NULL;
	char		*script, *tmp = NULL;
	int		 status, ret = -1;

	script = rung_plot_script(p, tg, 0);
	if (tg->path != NULL) {
		/* Write beside, then rename: never a half-written image. */
		tmp = xprintf("%s.tmp.%ld", tg->path, (long)getpid());
		if ((dest = fopen(tmp, "w")) == NULL) {
			xasprintf(cause, "cannot open '%s': %s", tg->path,
			    strerror(errno));
			goto out;
		}
	} else if (tg->term != RUNG_PLOT_WINDOW) {
		fflush(out);
		dest = out;
	}
	if (gp_run(tg->term == RUNG_PLOT_WINDOW, tg->term == RUNG_PLOT_DUMB,
	    script, strlen(script), dest, NULL, &err, &status, cause) != 0)
		goto out;
	if (status != 0) {
		*cause = failure(status, &err);
		goto out;
	}
	pass_warnings(&err);
	if (tmp != NULL) {
		if (fflush(dest) != 0 || ferror(dest)) {
			xasprintf(cause, "cannot write '%s': %s", tg->path,
			    strerror(errno));
			goto out;
		}
		if (fclose(dest) != 0 || rename(tmp, tg->path) != 0) {
			dest = NULL;
			xasprintf(cause, "cannot write '%s': %s", tg->path,
			    strerror(errno));
			goto out;
		}
		dest = NULL;
		free(tmp);
		tmp = NULL;
	} else if (dest != NULL)
		fflush(dest);
	ret = 0;
out:
	if (tmp != NULL) {
		if (dest != NULL)
			fclose(dest);
		unlink(tmp);
		free(tmp);
	}
	rung_buf_release(&err);
	free(script);
	return ret;
}

int
rung_plot_export(const struct rung_plot *p, const struct rung_plot_target *tg,
    const char *dir, char **cause)
{
	struct stat	 sb;
	char		*path, *script, *name;
	size_t		 i;
	int		 ret;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		xasprintf(cause, "cannot make directory '%s': %s", dir,
		    strerror(errno));
		return -1;
	}
	if (stat(dir, &sb) != 0) {
		xasprintf(cause, "cannot write into '%s': %s", dir,
		    strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		xasprintf(cause, "cannot write into '%s': not a directory",
		    dir);
		return -1;
	}
	for (i = 0; i < p->ndata; i++) {
		name = xprintf("%s.dat", p->data[i].name);
		path = rung_path_join(dir, name);
		free(name);
		ret = rung_write_file(path, p->data[i].text.data,
		    p->data[i].text.len, cause);
		free(path);
		if (ret != 0)
			return -1;
	}
	script = rung_plot_script(p, tg, 1);
	path = rung_path_join(dir, "plot.gp");
	ret = rung_write_file(path, script, strlen(script), cause);
	free(path);
	free(script);
	return ret;
}

double
rung_plot_tic_step(double span, int maxtics, int integer)
{
	static const double mult[] = { 1, 2, 5 };
	double		 mag, step;
	int		 k;

	if (!(span > 0) || !isfinite(span))
		return 1;
	if (maxtics < 2)
		maxtics = 2;
	mag = pow(10, floor(log10(span / maxtics)));
	if (integer && mag < 1)
		mag = 1;
	for (k = 0;; k++) {
		step = mult[k % 3] * mag * pow(10, k / 3);
		if (span / step <= maxtics - 1 + 1e-9)
			return step;
	}
}

int
rung_plot_stagger(const double *pos, const double *w, int n, int *row)
{
	double		 end[2] = { -INFINITY, -INFINITY };
	int		 i, r, rows = n > 0 ? 1 : 0;

	for (i = 0; i < n; i++) {
		row[i] = -1;
		for (r = 0; r < 2; r++) {
			if (pos[i] - w[i] / 2 >= end[r] + 1) {
				row[i] = r;
				end[r] = pos[i] + w[i] / 2;
				if (r + 1 > rows)
					rows = r + 1;
				break;
			}
		}
	}
	return rows;
}
