/*
 * The trials' logs under --logs. A log is for people; a file system that
 * fills up must not end a campaign whose points go to the database, nor
 * cut a log short without anyone knowing. A write that fails for lack of
 * space is therefore noted: once on the terminal for the campaign, and per
 * trial as a "log-incomplete" event that rung show prints with the trial.
 * The trainer's stderr goes to the file directly, so rung does not see its
 * writes fail: a file system found full when a run ends counts as well.
 * Also rung's own lines in a log, its tail for messages, the directories.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "rung/launch.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "launch-int.h"

/*
 * The end of a failed trial's log kept with it: room for a Python
 * traceback under mpirun's eleven-line notice of the failure. A trainer's
 * stdout reaches the log through rung while its stderr goes there
 * directly, so lines it printed before dying may land after its last
 * words; 20 lines were too few for that (t0120 lost the error under load).
 */
#define TAIL_BYTES	8192
#define TAIL_LINES	40

/* The log of t is incomplete from now on, for want of room (err). */
static void
lg_full(struct launch *L, struct ltrial *t, int err)
{
	char	*detail;

	if (t->log_full)
		return;
	t->log_full = 1;
	detail = xprintf("%s/%s.log: %s", L->logs, t->ext, strerror(err));
	lw_event(L, t, t->last, "log-incomplete", detail);
	if (!L->logs_full) {
		L->logs_full = 1;
		rung_info("launch: the trials' logs are incomplete from here "
		    "on (%s): the campaign goes on, its points go to the "
		    "database; rung show tells which trials", detail);
	}
	free(detail);
}

static int
no_room(int err)
{
	return err == ENOSPC || err == EDQUOT || err == EFBIG;
}

int
lg_open(struct launch *L, struct ltrial *t, const char *path, char **cause)
{
	if (t->log >= 0)
		return 0;
	t->log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
	if (t->log >= 0)
		return 0;
	if (!no_room(errno)) {
		xasprintf(cause, "cannot open '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	/* No room for the file itself: the run goes on without it. */
	lg_full(L, t, errno);
	if ((t->log = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0) {
		xasprintf(cause, "cannot open /dev/null: %s", strerror(errno));
		return -1;
	}
	return 0;
}

void
lg_write(struct launch *L, struct ltrial *t, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 n;

	while (t->log >= 0 && len > 0) {
		if ((n = write(t->log, p, len)) < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0 || no_room(errno) || errno == EIO)
				lg_full(L, t, n == 0 ? ENOSPC : errno);
			return;
		}
		p += n;
		len -= (size_t)n;
	}
}

/* One write, so that it is not cut by what the trainer writes there. */
static void
lg_vwrite(struct launch *L, struct ltrial *t, int note, const char *fmt,
    va_list ap)
{
	char	*msg, *line;

	if (t->log < 0)
		return;
	xvasprintf(&msg, fmt, ap);
	if (note) {
		line = xprintf("[rung] %s\n", msg);
		free(msg);
		msg = line;
	}
	lg_write(L, t, msg, strlen(msg));
	free(msg);
}

void
lg_printf(struct launch *L, struct ltrial *t, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	lg_vwrite(L, t, 0, fmt, ap);
	va_end(ap);
}

void
lg_check(struct launch *L, struct ltrial *t)
{
	struct statvfs	 sv;

	if (t->log >= 0 && !t->log_full && fstatvfs(t->log, &sv) == 0 &&
	    sv.f_blocks > 0 && sv.f_bavail == 0)
		lg_full(L, t, ENOSPC);
}

/* A line of rung's own in the trial's log. */
void
lg_note(struct launch *L, struct ltrial *t, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	lg_vwrite(L, t, 1, fmt, ap);
	va_end(ap);
}

int
lg_mkdirs(const char *path, char **cause)
{
	char	*copy = xstrdup(path), *p;

	for (p = copy + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
			xasprintf(cause, "cannot create '%s': %s", copy,
			    strerror(errno));
			free(copy);
			return -1;
		}
		*p = '/';
	}
	free(copy);
	if (mkdir(path, 0777) != 0 && errno != EEXIST) {
		xasprintf(cause, "cannot create '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

void
lg_timestamp(char buf[32])
{
	time_t		 now = time(NULL);
	struct tm	 tm;

	gmtime_r(&now, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The last lines of the trial's log. */
char *
lg_tail(struct launch *L, struct ltrial *t)
{
	char		*path, buf[TAIL_BYTES + 1], *p;
	struct stat	 sb;
	ssize_t		 n;
	off_t		 off;
	int		 fd, lines = 0;

	path = xprintf("%s/%s.log", L->logs, t->ext);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) != 0) {
		close(fd);
		return NULL;
	}
	off = sb.st_size > TAIL_BYTES ? sb.st_size - TAIL_BYTES : 0;
	n = pread(fd, buf, TAIL_BYTES, off);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	for (p = buf + n; p > buf; p--) {
		if (p[-1] == '\n' && ++lines == TAIL_LINES)
			break;
	}
	if (p == buf && off > 0)
		p = strchr(buf, '\n') ? strchr(buf, '\n') + 1 : buf;
	return xstrdup(p);
}

/* The last non-empty line of text, for messages. */
const char *
lg_last_line(const char *text)
{
	static char	 buf[256];
	const char	*p, *e;

	if (text == NULL)
		return "nothing";
	/* Lines that say something: a rule of dashes says nothing. */
	for (e = text + strlen(text); e > text; e = p > text ? p - 1 : text) {
		for (p = e; p > text && p[-1] != '\n'; p--)
			;
		for (size_t i = 0; p + i < e; i++) {
			if (isalnum((unsigned char)p[i])) {
				snprintf(buf, sizeof buf, "%.*s", (int)(e - p),
				    p);
				return buf;
			}
		}
	}
	return "nothing";
}

/*
 * Why a run failed, from the end of its log: a launcher or a trainer that
 * fails says why in one line and then goes on (Open MPI's notice of a run
 * as root is 15 lines long and ends in a rule; a usage text follows
 * argparse's error), so the last line is rarely the cause.
 */

/* Words of lines that say what went wrong. */
static const char *const why_words[] = { "error", "fail", "not found",
    "denied", "detected", "cannot", "can't", "unable", "no such",
    "refus", "abort", "fatal", "exception", "out of memory", "killed",
    "permission", "segmentation", "invalid", "timed out", NULL };

/*
 * Launchers' notices that only say a process failed: the exit status
 * says it better, and the trainer's own words are the cause.
 */
static const char *const why_noise[] = { "non-zero exit code",
    "non-zero status", "exit code:", "process name:", "local host:",
    "BAD TERMINATION OF ONE OF YOUR APPLICATION PROCESSES", NULL };

static int
why_match(const char *s, size_t len, const char *const *words)
{
	size_t	 i, j, n;

	for (i = 0; words[i] != NULL; i++) {
		n = strlen(words[i]);
		for (j = 0; j + n <= len; j++) {
			if (strncasecmp(s + j, words[i], n) == 0)
				return 1;
		}
	}
	return 0;
}

/* A line of dashes or equals signs: a rule around a launcher's notice. */
static int
why_rule(const char *s, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '-' || s[i] == '=' || s[i] == '*')
			n++;
		else if (!isspace((unsigned char)s[i]))
			return 0;
	}
	return n >= 10;
}

static int
why_blank(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (!isspace((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

#define WHY_MAX		3	/* lines quoted */
#define WHY_LEN		300	/* bytes quoted */

struct why {
	const char	*line[WHY_MAX];	/* the last that say something */
	size_t		 len[WHY_MAX];
	size_t		 n;
};

static void
why_keep(struct why *w, const char *p, size_t len)
{
	if (why_blank(p, len) || why_match(p, len, why_noise) ||
	    !why_match(p, len, why_words))
		return;
	if (w->n == WHY_MAX) {
		memmove(w->line, w->line + 1, sizeof *w->line * (WHY_MAX - 1));
		memmove(w->len, w->len + 1, sizeof *w->len * (WHY_MAX - 1));
		w->n--;
	}
	w->line[w->n] = p;
	w->len[w->n++] = len;
}

char *
rung_log_why(const char *text)
{
	struct rung_buf	 b = { 0 };
	struct why	 w = { .n = 0 };
	const char	*p, *e, *exc = NULL, *para = NULL;
	size_t		 i, l, exc_len = 0, para_len = 0;
	int		 in_tb = 0, after_rule = 0;

	if (text == NULL)
		return NULL;
	for (p = text; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		l = (size_t)(e - p);
		if (l > 0 && p[l - 1] == '\r')
			l--;
		if (strncmp(p, "[rung]", 6) == 0)
			continue;	/* rung's own */
		/*
		 * Python: the exception is the first line after the frames
		 * (indented) of "Traceback (most recent call last):".
		 */
		if (strncmp(p, "Traceback (most recent call last)", 33) == 0) {
			in_tb = 1;
			continue;
		}
		if (in_tb) {
			if (l > 0 && !isspace((unsigned char)*p)) {
				in_tb = 0;
				exc = p;
				exc_len = l;
			}
			continue;
		}
		/*
		 * A launcher's notice between rules: its first paragraph
		 * says it, on as many lines as it takes.
		 */
		if (para != NULL && (why_blank(p, l) || why_rule(p, l))) {
			why_keep(&w, para, para_len);
			para = NULL;
		}
		if (why_rule(p, l)) {
			after_rule = 1;
			continue;
		}
		if (after_rule) {
			if (why_blank(p, l))
				continue;
			after_rule = 0;
			para = p;
		}
		if (para != NULL) {
			para_len = (size_t)(p + l - para);
			continue;
		}
		why_keep(&w, p, l);
	}
	if (para != NULL)
		why_keep(&w, para, para_len);
	if (exc != NULL) {
		w.line[0] = exc;
		w.len[0] = exc_len;
		w.n = 1;
	}
	for (i = 0; i < w.n; i++) {
		if (i > 0)
			rung_buf_add(&b, " | ", 3);
		/* A paragraph's lines as one. */
		for (p = w.line[i]; p < w.line[i] + w.len[i]; p++) {
			if (*p != '\n' && *p != '\r') {
				rung_buf_add(&b, p, 1);
				continue;
			}
			if (b.len > 0 && b.data[b.len - 1] != ' ')
				rung_buf_add(&b, " ", 1);
			while (p + 1 < w.line[i] + w.len[i] &&
			    isspace((unsigned char)p[1]))
				p++;
		}
	}
	if (b.len == 0) {
		rung_buf_release(&b);
		return NULL;
	}
	if (b.len > WHY_LEN) {
		b.len = WHY_LEN - 3;
		rung_buf_add(&b, "...", 3);
	}
	return rung_buf_cstr(&b);
}
