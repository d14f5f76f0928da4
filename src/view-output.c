/*
 * The output screen (what the commands of the prompt printed, and what was
 * written to stderr meanwhile) and the help screen (the key table and the
 * explorer's commands).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui-int.h"
#include "rung/xmalloc.h"

static void
scroll_by(size_t *top, size_t n, int page, enum tui_action a)
{
	size_t	 max = n > (size_t)page ? n - (size_t)page : 0;

	switch (a) {
	case ACT_DOWN:
		(*top)++;
		break;
	case ACT_UP:
		if (*top > 0)
			(*top)--;
		break;
	case ACT_PGDN:
		*top += (size_t)page;
		break;
	case ACT_PGUP:
		*top = *top > (size_t)page ? *top - (size_t)page : 0;
		break;
	case ACT_TOP:
		*top = 0;
		break;
	case ACT_BOTTOM:
		*top = max;
		break;
	default:
		break;
	}
	if (*top > max)
		*top = max;
}

static void
view_output_draw(struct tui *t, int y, int h)
{
	struct tui_output *o = &t->out;
	size_t		 i;
	int		 row, a;

	if (o->follow)
		o->top = o->n > (size_t)h ? o->n - (size_t)h : 0;
	if (o->n == 0) {
		tui_put(y + 1, 2, t->cols - 4, A_NORMAL, "Nothing yet: ':' runs "
		    "a command, such as ':fit --sweep' or ':trials --sort "
		    "best --top 10'.");
		return;
	}
	for (row = 0; row < h; row++) {
		i = o->top + (size_t)row;
		if (i >= o->n)
			break;
		a = o->kind[i] == 1 ? t->attrs[C_ERR] : o->kind[i] == 2 ?
		    (int)A_BOLD : (int)A_NORMAL;
		if (t->search != NULL && *t->search != '\0' &&
		    rung_strcasestr_has(o->lines[i], t->search))
			a |= A_UNDERLINE;
		tui_put(y + row, 0, t->cols, a, o->lines[i]);
	}
}

static void
search_lines(struct tui *t, char **lines, size_t n, size_t *top, int dir)
{
	size_t	 i, k;

	if (t->search == NULL || *t->search == '\0' || n == 0)
		return;
	for (i = 1; i <= n; i++) {
		k = dir > 0 ? (*top + i) % n : (*top + n - i % n) % n;
		if (rung_strcasestr_has(lines[k], t->search)) {
			*top = k;
			return;
		}
	}
	tui_message(t, 1, "/%s: not found", t->search);
}

static void
view_output_key(struct tui *t, enum tui_action a)
{
	struct tui_output *o = &t->out;
	int		 page = t->rows - 3;

	if (o->follow)
		o->top = o->n > (size_t)page ? o->n - (size_t)page : 0;
	switch (a) {
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		o->follow = 0;
		search_lines(t, o->lines, o->n, &o->top, a == ACT_SEARCH_NEXT ?
		    1 : -1);
		return;
	default:
		break;
	}
	scroll_by(&o->top, o->n, page, a);
	o->follow = o->top + (size_t)page >= o->n;
}

/* The help text: the key table by screen, then the commands. */
static char **
help_lines(size_t *np)
{
	const struct tui_key *k;
	const struct tui_command *c;
	struct rung_buf	 b = { 0 };
	char		**v = NULL, name[16];
	size_t		 n = 0, cap = 0;
	int		 i, g;

#define LINE(...) do {							\
	b.len = 0;							\
	rung_buf_printf(&b, __VA_ARGS__);				\
	XGROW(v, cap, n + 1);						\
	v[n++] = xstrdup(rung_buf_cstr(&b));				\
} while (0)
	for (g = -1; g < SCR_N; g++) {
		if (g < 0)
			LINE("%s", "Everywhere (moving: in every list and text)");
		else
			LINE("%s", tui_views[g]->heading);
		for (k = tui_keys; k->help != NULL; k++) {
			if (g < 0 ? (k->screens != ON_ALL && k->screens !=
			    ON_LISTS) : (k->screens == ON_ALL || k->screens ==
			    ON_LISTS || (k->screens & ON(g)) == 0))
				continue;
			b.len = 0;
			rung_buf_addstr(&b, "  ");
			for (i = 0; i < 3 && k->keys[i] != 0; i++) {
				if (k->keys[i] == KEY_ENTER)
					continue;
				rung_buf_printf(&b, "%s%s", i ? ", " : "",
				    tui_key_name(k->keys[i], name));
			}
			while (b.len < 16)
				rung_buf_addc(&b, ' ');
			rung_buf_printf(&b, " %s", k->help);
			XGROW(v, cap, n + 1);
			v[n++] = xstrdup(rung_buf_cstr(&b));
		}
		if (n > 0 && v[n - 1][0] != ' ')
			free(v[--n]);	/* a screen without keys of its own */
		else
			LINE("%s", "");
	}
	LINE("%s", "Commands of the command line (:), beside every rung command "
	    "(:help lists them)");
	for (c = tui_commands; c->name != NULL; c++)
		LINE("  :%s %-16s %s", c->name, c->usage, c->help);
	LINE("%s", "");
	LINE("%s", "A rung command that needs a study and is given none gets the "
	    "open one: ':fit --prefix 5', ':show 17'.");
	LINE("%s", "Filters: fields id, status, steps, points, best, final, "
	    "predicted and the parameters;");
	LINE("%s", "  < <= > >= == != ~ (contains), and, or, not, parentheses: "
	    "lr < 0.01 and status == complete");
	LINE("%s", "In the command line: Tab completes, Up and Down walk the "
	    "history, Esc or C-c leaves.");
#undef LINE
	rung_buf_release(&b);
	*np = n;
	return v;
}

static void
view_help_draw(struct tui *t, int y, int h)
{
	int	 *help_top = t->view[SCR_HELP];
	char	**lines;
	size_t	  n, i;
	int	  row, a;

	lines = help_lines(&n);
	if ((size_t)*help_top + (size_t)h > n)
		*help_top = n > (size_t)h ? (int)(n - (size_t)h) : 0;
	for (row = 0; row < h; row++) {
		i = (size_t)*help_top + (size_t)row;
		if (i >= n)
			break;
		a = lines[i][0] != ' ' ? A_BOLD : A_NORMAL;
		if (t->search != NULL && *t->search != '\0' &&
		    rung_strcasestr_has(lines[i], t->search))
			a |= A_UNDERLINE;
		tui_put(y + row, 1, t->cols - 2, a, lines[i]);
	}
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static void
view_help_key(struct tui *t, enum tui_action a)
{
	int	 *help_top = t->view[SCR_HELP];
	char	**lines;
	size_t	  n, i, top = (size_t)*help_top;

	lines = help_lines(&n);
	if (a == ACT_SEARCH_NEXT || a == ACT_SEARCH_PREV)
		search_lines(t, lines, n, &top, a == ACT_SEARCH_NEXT ? 1 : -1);
	else
		scroll_by(&top, n, t->rows - 3, a);
	*help_top = (int)top;
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static void
output_status(struct tui *t, char *buf, size_t len)
{
	snprintf(buf, len, " output: %zu line%s", t->out.n,
	    t->out.n == 1 ? "" : "s");
}

const struct rung_view_ops tui_view_output = {
	.name = "output",
	.tab = "5 Output",
	.heading = "The output screen (5)",
	.show = ACT_OUTPUT,
	.flags = VIEW_SEARCH,
	.draw = view_output_draw,
	.key = view_output_key,
	.status = output_status,
};

static void
help_status(struct tui *t, char *buf, size_t len)
{
	(void)t;
	snprintf(buf, len, " help: the keys of every screen, then the "
	    "commands");
}

/* q: back where it was opened from. */
static int
help_back(struct tui *t)
{
	if (t->back != SCR_HELP)
		return (int)t->back;
	return t->s != NULL ? SCR_TRIALS : SCR_STUDIES;
}

const struct rung_view_ops tui_view_help = {
	.name = "help",
	.heading = "This help",
	.show = ACT_HELP,
	.flags = VIEW_SEARCH | VIEW_ASIDE,
	.size = sizeof (int),	/* the first line shown */
	.draw = view_help_draw,
	.key = view_help_key,
	.status = help_status,
	.back = help_back,
};
