/*
 * The explorer's keys: the table of every key, the names of keys, and
 * `rung tui --list-keys`.
 */
#include "config.h"

#include <stdio.h>

#include "tui-int.h"

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
	{ { '7' }, ON_ALL, ACT_PARAMVIEW,
	  "the Params screen: which parameters matter, their slice, "
	  "parallel coordinates and contour, and brushing" },
	{ { 'j', KEY_DOWN }, ON_LISTS, ACT_DOWN, "move down" },
	{ { 'k', KEY_UP }, ON_LISTS, ACT_UP, "move up" },
	{ { KEY_NPAGE, KCTRL('f') }, ON_LISTS, ACT_PGDN, "page down" },
	{ { KEY_PPAGE, KCTRL('b') }, ON_LISTS, ACT_PGUP, "page up" },
	{ { 'g', KEY_HOME }, ON_LISTS, ACT_TOP, "go to the first row" },
	{ { 'G', KEY_END }, ON_LISTS, ACT_BOTTOM, "go to the last row" },
	{ { '\n', KEY_ENTER }, ON(SCR_STUDIES) | ON(SCR_TRIALS) | ON(SCR_FIT) |
	  ON(SCR_REPLAY) | ON(SCR_LAUNCH) | ON(SCR_PARAMS), ACT_ENTER,
	  "open: a study, a trial's details, a fit row's prefix on the "
	  "curves, a policy's seeds, a campaign's events, the trials left "
	  "by the brushes" },
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
	{ { 'F' }, ON(SCR_TRIALS) | ON(SCR_PARAMS), ACT_FILTER_CLEAR,
	  "clear the filter and the brushes (the brushes only, on the Params "
	  "screen)" },
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
	{ { 'w' }, ON(SCR_TRIALS) | ON(SCR_DETAIL), ACT_SMOOTH,
	  "smooth the curves: off, 0.6, 0.9 (TensorBoard's moving average; "
	  "the raw curves faint)" },
	{ { 'C' }, ON(SCR_TRIALS) | ON(SCR_DETAIL), ACT_COLORBY,
	  "colour the curves by the next parameter's value, or as before" },
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
	{ { 'v' }, ON(SCR_PARAMS), ACT_PV_MODE,
	  "show the slice, the parallel coordinates or the contour" },
	{ { 'c' }, ON(SCR_PARAMS), ACT_PV_OTHER,
	  "the contour against the next parameter by importance" },
	{ { '[' }, ON(SCR_PARAMS), ACT_BRUSH_LO_DOWN,
	  "brush the selected parameter's axis: its range's bottom down" },
	{ { ']' }, ON(SCR_PARAMS), ACT_BRUSH_LO_UP,
	  "its range's bottom up: only the trials in the range stay, here "
	  "and in the trials table" },
	{ { '{' }, ON(SCR_PARAMS), ACT_BRUSH_HI_DOWN,
	  "its range's top down" },
	{ { '}' }, ON(SCR_PARAMS), ACT_BRUSH_HI_UP, "its range's top up" },
	{ { 'b' }, ON(SCR_PARAMS), ACT_BRUSH_CLEAR,
	  "remove the selected parameter's brush" },
	{ { 'R' }, ON(SCR_FIT) | ON(SCR_REPLAY), ACT_RERUN,
	  "run the fit sweep or the replays again" },
	{ { 'v' }, ON(SCR_FIT), ACT_SVR_NEXT,
	  "fit again with the next SVR: nu-SVR, epsilon-SVR or the QSVR" },
	{ { 0 }, 0, ACT_NONE, NULL }
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
					    tui_views[i]->name);
			}
		}
		fprintf(f, "\t%s\n", k->help);
	}
}
