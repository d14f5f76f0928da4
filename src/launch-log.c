/*
 * The trials' logs under --logs. A log is for people; a file system that
 * fills up must not end a campaign whose points go to the database, nor
 * cut a log short without anyone knowing. A write that fails for lack of
 * space is therefore noted: once on the terminal for the campaign, and per
 * trial as a "log-incomplete" event that rung show prints with the trial.
 * The trainer's stderr goes to the file directly, so rung does not see its
 * writes fail: a file system found full when a run ends counts as well.
 */
#include "config.h"

#include <sys/statvfs.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rung/util.h"
#include "rung/xmalloc.h"

#include "launch-int.h"

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

void
lg_printf(struct launch *L, struct ltrial *t, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (t->log < 0)
		return;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	lg_write(L, t, msg, strlen(msg));
	free(msg);
}

void
lg_check(struct launch *L, struct ltrial *t)
{
	struct statvfs	 sv;

	if (t->log >= 0 && !t->log_full && fstatvfs(t->log, &sv) == 0 &&
	    sv.f_blocks > 0 && sv.f_bavail == 0)
		lg_full(L, t, ENOSPC);
}
