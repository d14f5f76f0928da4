/*
 * rung tui --follow: the follower of rung import --follow (follow.c)
 * on a thread of the explorer, with a connection of its own, so that the
 * study the explorer shows grows while the user looks; the explorer sees
 * each increment as another process's change (tui.c, live_look). Its
 * messages go to the standard error output, which the explorer shows on
 * its output screen.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "rung/follow.h"
#include "rung/import.h"
#include "rung/store.h"
#include "rung/tui.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

static struct {
	pthread_t		 thread;
	int			 running;
	volatile sig_atomic_t	 stop;
	char			*db;
	char			**paths;
	size_t			 npaths;
	char			*study;
	struct rung_import_opts	 o;
} fw;

static void
say_increment(const struct rung_import_report *rep, void *arg)
{
	size_t	 i;

	(void)arg;
	for (i = 0; i < rep->nstudies; i++)
		rung_info("follow: %s: %u new trials, %u updated, %u "
		    "unchanged, %llu values", rep->studies[i].study,
		    rep->studies[i].trials - rep->studies[i].replaced_trials,
		    rep->studies[i].replaced_trials,
		    rep->studies[i].unchanged_trials,
		    (unsigned long long)rep->studies[i].points);
}

static void *
follow_main(void *arg)
{
	struct rung_follow_opts	 fo;
	struct rung_store	*s;
	char			*cause = NULL;

	(void)arg;
	if (rung_store_open(fw.db, 0, &s, &cause) != 0) {
		rung_error("follow: %s", cause);
		free(cause);
		return NULL;
	}
	memset(&fo, 0, sizeof fo);
	fo.interval = 2;
	fo.stop = &fw.stop;
	fo.report = say_increment;
	if (rung_follow(s, (const char *const *)fw.paths, fw.npaths, &fw.o,
	    &fo, &cause) != 0) {
		rung_error("follow: %s", cause);
		free(cause);
	}
	rung_store_close(s);
	return NULL;
}

int
rung_tui_follow_start(const char *db, char *const *paths, size_t n,
    const char *study, enum rung_format fmt, char **cause)
{
	size_t	 i;

	if (fw.running) {
		xasprintf(cause, "a follower runs already");
		return -1;
	}
	fw.db = xstrdup(db);
	fw.paths = xcalloc(n + 1, sizeof *fw.paths);
	for (i = 0; i < n; i++)
		fw.paths[i] = xstrdup(paths[i]);
	fw.npaths = n;
	rung_import_opts_init(&fw.o);
	fw.study = xstrdup(study);
	fw.o.study = fw.study;
	fw.o.format = fmt;
	fw.stop = 0;
	if (pthread_create(&fw.thread, NULL, follow_main, NULL) != 0) {
		xasprintf(cause, "cannot start the follower's thread");
		return -1;
	}
	fw.running = 1;
	return 0;
}

void
rung_tui_follow_stop(void)
{
	size_t	 i;

	if (!fw.running)
		return;
	fw.stop = 1;
	pthread_join(fw.thread, NULL);
	fw.running = 0;
	for (i = 0; i < fw.npaths; i++)
		free(fw.paths[i]);
	free(fw.paths);
	free(fw.db);
	free(fw.study);
	memset(&fw, 0, sizeof fw);
}
