/*
 * The launch screen: a campaign of rung launch as it runs, read again
 * from the database every second (another process, rung launch, writes
 * it): the campaign's state, each trial's state, step, GPUs and last
 * decision, and below the selected trial's log tail or, on Enter, the
 * newest events. It shows the open study's campaign, or the newest one.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui-int.h"
#include "rung/store-launch.h"
#include "rung/xmalloc.h"

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

static struct tui_launchview *
launch_of(struct tui *t)
{
	return t->view[SCR_LAUNCH];
}

#define REFRESH		1.0	/* seconds between reads */
#define TAIL_BYTES	16384
#define NEVENTS		200

static void
free_lines(char **v, uint32_t n)
{
	uint32_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
release_rows(struct tui_launchview *lv)
{
	uint32_t	 i;
	struct tui_launchrow *r;

	for (i = 0; i < lv->nrows; i++) {
		r = &lv->rows[i];
		free(r->id);
		free(r->state);
		free(r->gpus);
		free(r->decision);
		free(r->reason);
		free(r->log);
	}
	free(lv->rows);
	lv->rows = NULL;
	lv->nrows = 0;
	free_lines(lv->events, lv->nevents);
	lv->events = NULL;
	lv->nevents = 0;
	free(lv->study);
	free(lv->policy);
	free(lv->status);
	free(lv->metric);
	free(lv->message);
	free(lv->host);
	free(lv->updated);
	lv->study = lv->policy = lv->status = lv->metric = lv->message =
	    lv->host = lv->updated = NULL;
}

static void
view_launch_free(struct tui_launchview *lv)
{
	release_rows(lv);
	free_lines(lv->tail, lv->ntail);
	lv->tail = NULL;
	lv->ntail = 0;
	free(lv->tail_of);
	free(lv->cause);
	free(lv->want);
	memset(lv, 0, sizeof *lv);
}

/* The last lines of a file, without reading all of it. */
static void
read_tail(struct tui_launchview *lv, const char *path)
{
	char		*buf, *p, *nl;
	struct stat	 sb;
	ssize_t		 n;
	off_t		 off;
	int		 fd;

	free_lines(lv->tail, lv->ntail);
	lv->tail = NULL;
	lv->ntail = 0;
	if (path == NULL || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		lv->tail = xcalloc(1, sizeof *lv->tail);
		lv->tail[lv->ntail++] = xprintf("(no log: %s)", path == NULL ?
		    "not started" : strerror(errno));
		return;
	}
	if (fstat(fd, &sb) != 0) {
		close(fd);
		return;
	}
	off = sb.st_size > TAIL_BYTES ? sb.st_size - TAIL_BYTES : 0;
	buf = xmalloc(TAIL_BYTES + 1);
	n = pread(fd, buf, TAIL_BYTES, off);
	close(fd);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	p = buf;
	if (off > 0 && (nl = strchr(p, '\n')) != NULL)
		p = nl + 1;	/* a line cut in two */
	while (*p != '\0') {
		nl = p + strcspn(p, "\n");
		lv->tail = xreallocarray(lv->tail, lv->ntail + 1,
		    sizeof *lv->tail);
		lv->tail[lv->ntail++] = xstrndup(p, (size_t)(nl - p));
		p = *nl != '\0' ? nl + 1 : nl;
	}
	free(buf);
}

/* Read the campaign again; 0, or -1 with lv->cause. */
static int
load(struct tui *t, struct tui_launchview *lv)
{
	struct rung_launch_campaign c;
	struct rung_launch_row *rows;
	struct rung_launch_event *ev;
	struct tui_launchrow *r;
	char		*cause = NULL, step[32];
	uint32_t	 i, n;
	int		 rc;

	release_rows(lv);
	free(lv->cause);
	lv->cause = NULL;
	lv->loaded = rung_now();
	if (rung_ctx_store(t->ctx, 1, &cause) != 0) {
		lv->cause = cause;
		return -1;
	}
	if ((rc = rung_store_launch_campaign(t->ctx->store, lv->want, &c,
	    &cause)) != 0) {
		lv->cause = rc < 0 ? cause : lv->want != NULL ?
		    xprintf("study '%s' was not made by rung launch: rung "
		    "launch STUDY ... starts a campaign", lv->want) :
		    xstrdup("no campaign yet: rung launch STUDY ... starts "
		    "one");
		return -1;
	}
	lv->study = c.study;
	lv->policy = c.policy;
	lv->status = c.status;
	lv->pid = c.pid;
	lv->host = c.host;
	lv->steps = c.steps;
	lv->updated = c.updated;
	lv->message = c.message;
	lv->metric = c.metric;

	if (rung_store_launch_rows(t->ctx->store, c.id, &rows, &n,
	    &cause) != 0)
		goto fail;
	if (n > 0)
		lv->rows = xcalloc(n, sizeof *lv->rows);
	for (i = 0; i < n; i++) {
		r = &lv->rows[lv->nrows++];
		r->id = rows[i].id;
		r->state = rows[i].state;
		r->step = rows[i].step;
		r->target = rows[i].target;
		r->runs = rows[i].runs;
		r->gpus = rows[i].gpus;
		r->decision = rows[i].decision;
		r->dstep = rows[i].dstep;
		r->reason = rows[i].reason;
		r->log = rows[i].log;
		r->value = rows[i].value;
	}
	free(rows);		/* the strings are the view's now */

	if (rung_store_launch_events(t->ctx->store, c.id, NEVENTS, &ev, &n,
	    &cause) != 0)
		goto fail;
	if (n > 0)
		lv->events = xcalloc(n, sizeof *lv->events);
	for (i = 0; i < n; i++) {
		*step = '\0';
		if (ev[i].has_step)
			snprintf(step, sizeof step, "%lld",
			    (long long)ev[i].step);
		lv->events[lv->nevents++] = xprintf("%s  %-11s %s%s%s%s  %s",
		    ev[i].at, ev[i].event, *ev[i].trial ? "trial " : "",
		    ev[i].trial, ev[i].has_step ? " step " : "", step,
		    ev[i].detail);
	}
	rung_launch_events_free(ev, n);
	if (lv->sel >= (int)lv->nrows)
		lv->sel = lv->nrows ? (int)lv->nrows - 1 : 0;
	free(lv->tail_of);
	lv->tail_of = NULL;
	if (lv->nrows > 0) {
		lv->tail_of = xstrdup(lv->rows[lv->sel].id);
		read_tail(lv, lv->rows[lv->sel].log);
	}
	return 0;
fail:
	lv->cause = xprintf("reading the campaign: %s", cause);
	free(cause);
	return -1;
}

static void
view_launch_open(struct tui *t)
{
	struct tui_launchview *lv = launch_of(t);

	free(lv->want);
	lv->want = t->s != NULL ? xstrdup(t->s->name) : NULL;
	/* The open study may have no campaign: then the newest one. */
	if (load(t, lv) != 0 && lv->want != NULL) {
		free(lv->want);
		lv->want = NULL;
		load(t, lv);
	}
	t->dirty = 1;
}

static void
view_launch_poll(struct tui *t)
{
	struct tui_launchview *lv = launch_of(t);

	if (t->screen != SCR_LAUNCH || rung_now() - lv->loaded < REFRESH)
		return;
	load(t, lv);
	t->dirty = 1;
}

/* Is the campaign's rung still there? */
static const char *
alive(const struct tui_launchview *lv)
{
	char	 host[256];

	if (lv->pid <= 0)
		return NULL;
	if (lv->host != NULL && gethostname(host, sizeof host) == 0 &&
	    strncmp(host, lv->host, sizeof host) != 0)
		return "on another host";
	if (kill((pid_t)lv->pid, 0) == 0 || errno == EPERM)
		return "running";
	return "gone";
}

static int
state_attr(struct tui *t, const char *state)
{
	if (state == NULL)
		return A_NORMAL;
	if (strcmp(state, "running") == 0)
		return t->attrs[C_OK] | A_BOLD;
	if (strcmp(state, "failed") == 0)
		return t->attrs[C_ERR];
	if (strcmp(state, "complete") == 0)
		return A_BOLD;
	return A_NORMAL;
}

static void
view_launch_draw(struct tui *t, int y, int h)
{
	struct tui_launchview *lv = launch_of(t);
	struct tui_launchrow *r;
	const char	*who;
	char		 v[32], step[32], what[256];
	uint32_t	 i, count[6] = { 0 };
	int		 th, lh, row, k, a, x;
	static const char *states[] = { "running", "paused", "stopped",
		"complete", "failed" };

	if (lv->study == NULL) {
		tui_put(y + 1, 2, t->cols - 4, A_BOLD, "No campaign to show.");
		tui_putf(y + 3, 2, t->cols - 4, A_NORMAL, "%s",
		    lv->cause ? lv->cause : "");
		tui_put(y + 4, 2, t->cols - 4, A_NORMAL, "Start one from a "
		    "shell, for example:");
		tui_put(y + 5, 4, t->cols - 6, A_BOLD, "rung launch digits "
		    "--space share/rung/examples/digits.space --policy asha "
		    "--max-steps 27 --metric val_loss -- "
		    "share/rung/examples/digits.py");
		return;
	}
	for (i = 0; i < lv->nrows; i++) {
		for (k = 0; k < 5; k++) {
			if (lv->rows[i].state != NULL &&
			    strcmp(lv->rows[i].state, states[k]) == 0)
				count[k]++;
		}
	}
	who = alive(lv);
	tui_putf(y, 1, t->cols - 2, A_BOLD, "campaign %s: %s, %s, %lld steps"
	    "%s%s", lv->study, lv->policy, lv->status, (long long)lv->steps,
	    who ? "; its rung " : "", who ? who : "");
	x = tui_putf(y + 1, 1, t->cols - 2, A_NORMAL, "%u trials: %u running, "
	    "%u paused, %u complete, %u stopped, %u failed; updated %s",
	    lv->nrows, count[0], count[1], count[3], count[2], count[4],
	    lv->updated ? lv->updated : "-");
	if (lv->message != NULL)
		tui_putf(y + 1, 1 + x, t->cols - 2 - x, t->attrs[C_ERR],
		    "  %s", lv->message);

	th = (h - 3) * 3 / 5;
	if (th < 3)
		th = 3;
	lh = h - 3 - th - 1;
	tui_fill(y + 2, 0, t->cols, t->attrs[C_HEAD]);
	tui_putf(y + 2, 0, t->cols, t->attrs[C_HEAD] | A_BOLD,
	    " %-10s %-9s %11s %4s %-8s %11s  %s", "TRIAL", "STATE",
	    "STEP/TARGET", "RUNS", "GPU", lv->metric && *lv->metric ?
	    lv->metric : "VALUE", "DECISION");
	if (lv->sel < lv->top)
		lv->top = lv->sel;
	if (lv->sel >= lv->top + th - 1)
		lv->top = lv->sel - (th - 2);
	if (lv->top < 0)
		lv->top = 0;
	for (row = 0; row < th - 1; row++) {
		k = lv->top + row;
		if (k >= (int)lv->nrows)
			break;
		r = &lv->rows[k];
		a = k == lv->sel ? A_REVERSE : A_NORMAL;
		if (a != A_NORMAL)
			tui_fill(y + 3 + row, 0, t->cols, a);
		snprintf(step, sizeof step, "%d/%d", r->step, r->target);
		if (r->reason != NULL)
			snprintf(what, sizeof what, "%s", r->reason);
		else if (r->decision != NULL)
			snprintf(what, sizeof what, "%s at step %d",
			    r->state != NULL && strcmp(r->state, "complete") ==
			    0 ? "complete" : r->decision, r->dstep);
		else
			what[0] = '\0';
		tui_putf(y + 3 + row, 0, t->cols, a, " %-10.10s", r->id);
		tui_putf(y + 3 + row, 12, 9, a | (a != A_NORMAL ? 0 :
		    state_attr(t, r->state)), "%-9s", r->state);
		tui_putf(y + 3 + row, 22, t->cols - 23, a, "%11s %4u %-8.8s "
		    "%11s  %s", step, r->runs, r->gpus && *r->gpus ? r->gpus :
		    "-", tui_fmt_num(r->value, v), what);
	}

	/* Below: the selected trial's log, or the events. */
	if (lh < 1)
		return;
	tui_hline(t, y + 2 + th, 0, t->cols, t->attrs[C_AXIS]);
	if (lv->show_events)
		tui_putf(y + 2 + th, 2, t->cols - 4, t->attrs[C_AXIS] | A_BOLD,
		    " events, newest first (Enter: the log) ");
	else
		tui_putf(y + 2 + th, 2, t->cols - 4, t->attrs[C_AXIS] | A_BOLD,
		    " log of trial %s%s%s (Enter: the events) ",
		    lv->tail_of ? lv->tail_of : "-", lv->nrows &&
		    lv->rows[lv->sel].log ? ": " : "", lv->nrows &&
		    lv->rows[lv->sel].log ? lv->rows[lv->sel].log : "");
	for (row = 0; row < lh; row++) {
		if (lv->show_events) {
			if (row >= (int)lv->nevents)
				break;
			tui_put(y + 3 + th + row, 1, t->cols - 2, A_NORMAL,
			    lv->events[row]);
		} else {
			k = (int)lv->ntail - lh + row;
			if (k < 0)
				continue;
			tui_put(y + 3 + th + row, 1, t->cols - 2,
			    strncmp(lv->tail[k], "[rung]", 6) == 0 ?
			    t->attrs[C_AXIS] : (int)A_NORMAL, lv->tail[k]);
		}
	}
}

static void
view_launch_key(struct tui *t, enum tui_action a)
{
	struct tui_launchview *lv = launch_of(t);
	int		 n = (int)lv->nrows, old = lv->sel;

	switch (a) {
	case ACT_DOWN:
		lv->sel++;
		break;
	case ACT_UP:
		lv->sel--;
		break;
	case ACT_PGDN:
		lv->sel += (t->rows - 6) / 2;
		break;
	case ACT_PGUP:
		lv->sel -= (t->rows - 6) / 2;
		break;
	case ACT_TOP:
		lv->sel = 0;
		break;
	case ACT_BOTTOM:
		lv->sel = n - 1;
		break;
	case ACT_ENTER:
		lv->show_events = !lv->show_events;
		break;
	default:
		return;
	}
	if (lv->sel >= n)
		lv->sel = n - 1;
	if (lv->sel < 0)
		lv->sel = 0;
	if (lv->sel != old && n > 0) {
		free(lv->tail_of);
		lv->tail_of = xstrdup(lv->rows[lv->sel].id);
		read_tail(lv, lv->rows[lv->sel].log);
	}
	t->dirty = 1;
}

static void
view_launch_status(struct tui *t, char *buf, size_t len)
{
	struct tui_launchview *lv = launch_of(t);

	if (lv->study == NULL)
		snprintf(buf, len, " launch: no campaign");
	else
		snprintf(buf, len, " launch: %s, read every %.0f s from %s",
		    lv->study, REFRESH, rung_store_default_path(t->db_path));
}

static void
launch_release(struct tui *t)
{
	view_launch_free(launch_of(t));
}

const struct rung_view_ops tui_view_launch = {
	.name = "launch",
	.tab = "6 Launch",
	.heading = "The launch screen (6)",
	.show = ACT_LAUNCH,
	.refresh_ms = 250,
	.size = sizeof (struct tui_launchview),
	.open = view_launch_open,
	.draw = view_launch_draw,
	.key = view_launch_key,
	.status = view_launch_status,
	.poll = view_launch_poll,
	.release = launch_release,
};
