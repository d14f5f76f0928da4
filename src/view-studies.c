/*
 * The studies screen: the studies of the database, one a row; Enter opens
 * one on the trials screen.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui-int.h"
#include "rung/xmalloc.h"

struct tui_studies {
	struct rung_study_info *studies;
	size_t		 nstudies;
	int		 sel, top;
	/*
	 * Another process wrote the database while the screen was not
	 * shown: read again when it is, or when its list is asked for. The
	 * counts read every curve of every study, 50 ms on 100,000 trials:
	 * too much for each live change of a screen nobody looks at.
	 */
	int		 stale;
	/* The study to select once the list is read (stale meanwhile). */
	char		*pending;
};

static struct tui_studies *
studies_of(struct tui *t)
{
	return t->view[SCR_STUDIES];
}

void
tui_reload_studies(struct tui *t)
{
	struct tui_studies *sv = studies_of(t);
	size_t	 i;
	char	*cause = NULL;

	sv->stale = 0;
	for (i = 0; i < sv->nstudies; i++)
		rung_study_info_release(&sv->studies[i]);
	free(sv->studies);
	sv->studies = NULL;
	sv->nstudies = 0;
	if (tui_open_store(t) != 0)
		return;
	if (rung_store_studies(t->ctx->store, &sv->studies, &sv->nstudies,
	    &cause) != 0) {
		free(t->store_cause);
		t->store_cause = cause;
	}
	if (sv->sel >= (int)sv->nstudies)
		sv->sel = sv->nstudies ? (int)sv->nstudies - 1 : 0;
	if (sv->pending != NULL) {
		for (i = 0; i < sv->nstudies; i++) {
			if (strcmp(sv->studies[i].name, sv->pending) == 0)
				sv->sel = (int)i;
		}
		free(sv->pending);
		sv->pending = NULL;
	}
	t->dirty = 1;
}

/* The live change: read now if shown, else when shown. */
static void
studies_reload(struct tui *t)
{
	if (t->screen == SCR_STUDIES)
		tui_reload_studies(t);
	else
		studies_of(t)->stale = 1;
}

static void
studies_open(struct tui *t)
{
	if (studies_of(t)->stale)
		tui_reload_studies(t);
}

const struct rung_study_info *
tui_studies(struct tui *t, size_t *n)
{
	studies_open(t);
	*n = studies_of(t)->nstudies;
	return studies_of(t)->studies;
}

/* The row of the study opened. */
void
tui_select_study(struct tui *t, const char *name)
{
	struct tui_studies *sv = studies_of(t);
	size_t	 i;

	if (sv->stale) {
		/* Selected when read: not read for a study's first frame. */
		free(sv->pending);
		sv->pending = xstrdup(name);
		return;
	}
	for (i = 0; i < sv->nstudies; i++) {
		if (strcmp(sv->studies[i].name, name) == 0)
			sv->sel = (int)i;
	}
}

static void
view_studies_draw(struct tui *t, int y, int h)
{
	struct tui_studies *sv = studies_of(t);
	const struct rung_study_info *si;
	int		 i, row, namew = 5, a;

	if (sv->nstudies == 0) {
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
	for (i = 0; i < (int)sv->nstudies; i++) {
		int	 w = tui_width(sv->studies[i].name);

		if (w > namew)
			namew = w;
	}
	if (namew > 32)
		namew = 32;
	tui_fill(y, 0, t->cols, t->attrs[C_HEAD]);
	tui_putf(y, 0, t->cols, t->attrs[C_HEAD] | A_BOLD,
	    " %-*s %8s %10s  %-14s %-4s %8s  %s", namew, "STUDY", "TRIALS",
	    "POINTS", "METRIC", "DIR", "STEPS", "SOURCE");
	if (sv->sel < sv->top)
		sv->top = sv->sel;
	if (sv->sel >= sv->top + h - 1)
		sv->top = sv->sel - (h - 2);
	for (row = 0; row < h - 1; row++) {
		i = sv->top + row;
		if (i >= (int)sv->nstudies)
			break;
		si = &sv->studies[i];
		a = i == sv->sel ? A_REVERSE : A_NORMAL;
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

static void
view_studies_key(struct tui *t, enum tui_action a)
{
	struct tui_studies *sv = studies_of(t);
	int	 n = (int)sv->nstudies, page = t->rows - 5;

	switch (a) {
	case ACT_DOWN:
		sv->sel++;
		break;
	case ACT_UP:
		sv->sel--;
		break;
	case ACT_PGDN:
		sv->sel += page;
		break;
	case ACT_PGUP:
		sv->sel -= page;
		break;
	case ACT_TOP:
		sv->sel = 0;
		break;
	case ACT_BOTTOM:
		sv->sel = n - 1;
		break;
	case ACT_ENTER:
		if (n > 0 && sv->sel >= 0 && sv->sel < n &&
		    tui_open_study(t, sv->studies[sv->sel].name) == 0)
			t->from_studies = 1;
		return;
	default:
		return;
	}
	if (sv->sel >= n)
		sv->sel = n - 1;
	if (sv->sel < 0)
		sv->sel = 0;
}

/*
 * rung tui STUDY reads the list when it is first shown or asked for: its
 * counts walk every curve's size, a third of a second at a million trials,
 * that the study's first frame does not show.
 */
static void
studies_init(struct tui *t, const struct rung_tui_opts *o)
{
	if (o->study != NULL)
		studies_of(t)->stale = 1;
	else
		tui_reload_studies(t);
}

static void
studies_status(struct tui *t, char *buf, size_t len)
{
	snprintf(buf, len, " %zu studies in %s", studies_of(t)->nstudies,
	    rung_store_default_path(t->db_path));
}

/* q: out. */
static int
studies_back(struct tui *t)
{
	(void)t;
	return -1;
}

static void
studies_release(struct tui *t)
{
	struct tui_studies *sv = studies_of(t);
	size_t	 i;

	for (i = 0; i < sv->nstudies; i++)
		rung_study_info_release(&sv->studies[i]);
	free(sv->studies);
	free(sv->pending);
}

const struct rung_view_ops tui_view_studies = {
	.name = "studies",
	.tab = "1 Studies",
	.heading = "The studies screen",
	.show = ACT_STUDIES,
	.flags = VIEW_RELOAD,
	.size = sizeof (struct tui_studies),
	.init = studies_init,
	.draw = view_studies_draw,
	.key = view_studies_key,
	.status = studies_status,
	.open = studies_open,
	.reload = studies_reload,
	.back = studies_back,
	.release = studies_release,
};
