/*
 * The frame around the screens: the title bar with a tab per screen, the
 * status line (the screen's, then the jobs running) and the message line
 * or the prompt; the screen shown draws between them.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tui-int.h"

static void
draw_title(struct tui *t)
{
	const struct rung_view_ops *cur = tui_views[t->screen], *v;
	int		 x = 0, i, a = t->attrs[C_TITLE], lit;
	char		 buf[256];

	tui_fill(0, 0, t->cols, a);
	x += tui_put(0, x, t->cols, a | A_BOLD, " rung ");
	for (i = 0; i < SCR_N; i++) {
		v = tui_views[i];
		if (v->tab == NULL)
			continue;
		lit = v == cur || (cur->tab_of != NULL &&
		    strcmp(cur->tab_of, v->name) == 0);
		x += tui_putf(0, x, t->cols - x, lit ? (int)A_REVERSE : a,
		    " %s ", v->tab);
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
	char		 left[512], right[256], when[16];
	int		 y = t->rows - 2, a = t->attrs[C_HEAD], w;
	const char	*spin = t->g->spin[(int)(rung_now() * 8) % 4];
	size_t		 n = 0;
	int		 i;

	left[0] = right[0] = '\0';
	if (tui_views[t->screen]->status != NULL)
		tui_views[t->screen]->status(t, left, sizeof left);
	if (tui_job_running(&t->cmd.job))
		n += (size_t)snprintf(right + n, sizeof right - n, " %s %s%s%s "
		    "%.1fs ", spin, t->cmd.line, t->out.progress ? ": " : "",
		    t->out.progress ? t->out.progress : "",
		    rung_now() - t->cmd.job.started);
	for (i = 0; i < SCR_N; i++) {
		if (tui_views[i]->progress != NULL && n < sizeof right)
			n += tui_views[i]->progress(t, spin, right + n,
			    sizeof right - n);
	}
	/* Live: when another process last changed the database. */
	if (t->live_changed != 0 && n < sizeof right) {
		strftime(when, sizeof when, "%H:%M:%S",
		    localtime(&t->live_changed));
		n += (size_t)snprintf(right + n, sizeof right - n, " live, "
		    "changed %s ", when);
	}
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

void
tui_draw(struct tui *t)
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
	tui_views[t->screen]->draw(t, 1, h);
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
