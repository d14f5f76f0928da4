/*
 * Following sources as they grow: an import repeated whenever the files
 * under the paths change, each increment one transaction that replaces the
 * trials of the sources that changed (import.h's follow), so that a
 * follower killed at any moment and started again ends as a one-shot
 * import of the finished sources would.
 */
#ifndef RUNG_FOLLOW_H
#define RUNG_FOLLOW_H

#include <signal.h>
#include <stddef.h>

#include "rung/import.h"

struct rung_store;

enum rung_follow_how {
	RUNG_FOLLOW_AUTO = 0,	/* inotify, polling on network file systems */
	RUNG_FOLLOW_NOTIFY,
	RUNG_FOLLOW_POLL,
};

struct rung_follow_opts {
	double		 interval;	/* seconds between looks (polling) */
	enum rung_follow_how how;
	/* Set (by a signal) to stop after the increment under way. */
	volatile sig_atomic_t *stop;
	/* Each increment that added or changed something, and each error. */
	void		(*report)(const struct rung_import_report *, void *);
	void		*arg;
};

/*
 * Import paths, then again each time a file under them changes (size or
 * modification time), until *stop. An increment that fails (a file caught
 * half written, a database busy) is said once and tried again at each
 * look. Returns 0, or -1 with *cause when the first import fails
 * for a reason that waiting will not mend (no such path).
 */
int	 rung_follow(struct rung_store *, const char *const *paths,
	     size_t npaths, const struct rung_import_opts *,
	     const struct rung_follow_opts *, char **cause);

/* Does path lie on a network file system (NFS, Lustre, GPFS...)? */
const char *rung_follow_netfs(const char *path);

#endif
