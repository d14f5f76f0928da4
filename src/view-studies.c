/*
 * The studies screen: the studies of the database, one a row; Enter opens
 * one on the trials screen.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tui-int.h"

void
view_studies_draw(struct tui *t, int y, int h)
{
	const struct rung_study_info *si;
	int		 i, row, namew = 5, a;

	if (t->nstudies == 0) {
		tui_put(y + 1, 2, t->cols - 4, A_BOLD, "No study yet.");
		tui_putf(y + 3, 2, t->cols - 4, A_NORMAL, "%s",
		    t->store_cause != NULL ? t->store_cause :
		    "The database has no study.");
		tui_put(y + 4, 2, t->cols - 4, A_NORMAL, "Import one from the "
		    "command line, for example:");
		tui_put(y + 5, 4, t->cols - 6, A_BOLD, ":import -s metaqnn "
		    "--direction max share/rung/metaqnn_cifar10.csv");
		return;
	}
	for (i = 0; i < (int)t->nstudies; i++) {
		int	 w = tui_width(t->studies[i].name);

		if (w > namew)
			namew = w;
	}
	if (namew > 32)
		namew = 32;
	tui_fill(y, 0, t->cols, t->attrs[C_HEAD]);
	tui_putf(y, 0, t->cols, t->attrs[C_HEAD] | A_BOLD,
	    " %-*s %8s %10s  %-14s %-4s %8s  %s", namew, "STUDY", "TRIALS",
	    "POINTS", "METRIC", "DIR", "STEPS", "SOURCE");
	if (t->st_sel < t->st_top)
		t->st_top = t->st_sel;
	if (t->st_sel >= t->st_top + h - 1)
		t->st_top = t->st_sel - (h - 2);
	for (row = 0; row < h - 1; row++) {
		i = t->st_top + row;
		if (i >= (int)t->nstudies)
			break;
		si = &t->studies[i];
		a = i == t->st_sel ? A_REVERSE : A_NORMAL;
		if (a != A_NORMAL)
			tui_fill(y + 1 + row, 0, t->cols, a);
		tui_put(y + 1 + row, 1, namew, a | A_BOLD, si->name);
		tui_putf(y + 1 + row, 1 + namew, t->cols - namew - 2, a,
		    " %8lld %10lld  %-14.14s %-4s %8d  %s",
		    (long long)si->ntrials, (long long)si->npoints, si->metric,
		    rung_direction_name(si->direction), si->max_step,
		    si->source ? si->source : "");
	}
}

void
view_studies_key(struct tui *t, enum tui_action a)
{
	int	 n = (int)t->nstudies, page = t->rows - 5;

	switch (a) {
	case ACT_DOWN:
		t->st_sel++;
		break;
	case ACT_UP:
		t->st_sel--;
		break;
	case ACT_PGDN:
		t->st_sel += page;
		break;
	case ACT_PGUP:
		t->st_sel -= page;
		break;
	case ACT_TOP:
		t->st_sel = 0;
		break;
	case ACT_BOTTOM:
		t->st_sel = n - 1;
		break;
	case ACT_ENTER:
		if (n > 0 && t->st_sel >= 0 && t->st_sel < n &&
		    tui_open_study(t, t->studies[t->st_sel].name) == 0)
			t->from_studies = 1;
		return;
	default:
		return;
	}
	if (t->st_sel >= n)
		t->st_sel = n - 1;
	if (t->st_sel < 0)
		t->st_sel = 0;
}
