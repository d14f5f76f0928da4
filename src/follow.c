/*
 * The follower (rung/follow.h). A look at the sources is a walk of the
 * paths that records each file's size and modification time: cheap beside
 * an import, so that a look that finds nothing new costs a few stat calls
 * a file. Only a look that finds a change runs an import, and the import
 * itself reads again only the sources whose content digest changed.
 *
 * On a local file system inotify wakes the follower as soon as a file is
 * written; on NFS, Lustre, GPFS and the like, where inotify sees only the
 * writes of this machine, it looks every interval instead. A file that
 * grew shorter was rewritten in place (a CSV truncated and restarted): it
 * is said, and its trials are read anew like any changed source's.
 */
#include "config.h"

#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rung/follow.h"
#include "rung/import.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

/* What a look saw of one file. */
struct seen {
	char		*path;
	int64_t		 size;
	int64_t		 mtime_ns;
};

struct look {
	struct seen	*v;
	size_t		 n;
	size_t		 cap;
	char		**dirs;		/* the folders, for inotify */
	size_t		 ndirs;
	size_t		 dircap;
};

static void
look_release(struct look *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].path);
	for (i = 0; i < l->ndirs; i++)
		free(l->dirs[i]);
	free(l->v);
	free(l->dirs);
	memset(l, 0, sizeof *l);
}

/* Deeper than any layout of runs; a guard against a loop of links. */
#define FOLLOW_MAX_DEPTH	16

static void
walk(struct look *l, const char *path, int depth)
{
	struct stat	 sb;
	struct dirent	*de;
	DIR		*d;
	char		*sub;

	if (stat(path, &sb) != 0)
		return;
	if (!S_ISDIR(sb.st_mode)) {
		XGROW(l->v, l->cap, l->n + 1);
		l->v[l->n].path = xstrdup(path);
		l->v[l->n].size = (int64_t)sb.st_size;
		l->v[l->n++].mtime_ns = (int64_t)sb.st_mtim.tv_sec *
		    1000000000 + sb.st_mtim.tv_nsec;
		return;
	}
	if (depth >= FOLLOW_MAX_DEPTH || (d = opendir(path)) == NULL)
		return;
	XGROW(l->dirs, l->dircap, l->ndirs + 1);
	l->dirs[l->ndirs++] = xstrdup(path);
	while ((de = readdir(d)) != NULL) {
		/* Hydra's .hydra and MLflow's .trash are read: only . and .. */
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		sub = rung_path_join(path, de->d_name);
		walk(l, sub, depth + 1);
		free(sub);
	}
	closedir(d);
}

static int
cmp_seen(const void *a, const void *b)
{
	return strcmp(((const struct seen *)a)->path,
	    ((const struct seen *)b)->path);
}

static void
look_at(struct look *l, const char *const *paths, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		walk(l, paths[i], 0);
	if (l->n > 1)
		qsort(l->v, l->n, sizeof *l->v, cmp_seen);
}

/*
 * Did anything change between two looks? Says which files were rewritten
 * shorter.
 */
static int
changed(const struct look *a, const struct look *b)
{
	size_t	 i = 0, j = 0;
	int	 c, any = a->n != b->n;

	while (i < a->n && j < b->n) {
		c = strcmp(a->v[i].path, b->v[j].path);
		if (c < 0) {
			any = 1;
			i++;
			continue;
		}
		if (c > 0) {
			any = 1;
			j++;
			continue;
		}
		if (b->v[j].size < a->v[i].size)
			rung_warn("%s was rewritten (%lld bytes, %lld before): "
			    "its trials are read anew", b->v[j].path,
			    (long long)b->v[j].size, (long long)a->v[i].size);
		if (a->v[i].size != b->v[j].size ||
		    a->v[i].mtime_ns != b->v[j].mtime_ns)
			any = 1;
		i++;
		j++;
	}
	return any || i < a->n || j < b->n;
}

/* The file systems where inotify does not see other machines' writes. */
static const struct {
	long		 magic;
	const char	*name;
} netfs[] = {
	{ 0x6969, "NFS" },
	{ 0x0bd00bd0, "Lustre" },
	{ 0x47504653, "GPFS" },
	{ 0x19830326, "BeeGFS" },
	{ 0x00c36400, "CephFS" },
	{ 0x517b, "SMB" },
	{ (long)0xff534d42, "CIFS" },
	{ (long)0xfe534d42, "SMB2" },
	{ 0x5346414f, "AFS" },
	{ 0x01021997, "9P" },
	{ 0x65735546, "FUSE" },
};

const char *
rung_follow_netfs(const char *path)
{
	struct statfs	 sf;
	size_t		 i;

	if (statfs(path, &sf) != 0)
		return NULL;
	for (i = 0; i < sizeof netfs / sizeof netfs[0]; i++) {
		if ((long)(uint32_t)sf.f_type == (long)(uint32_t)netfs[i].magic)
			return netfs[i].name;
	}
	return NULL;
}

/* Watch every folder of the look (inotify keeps one watch a folder). */
static void
watch_dirs(int fd, const struct look *l, int *ok)
{
	size_t	 i;

	for (i = 0; *ok && i < l->ndirs; i++) {
		if (inotify_add_watch(fd, l->dirs[i], IN_MODIFY |
		    IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_DELETE) < 0 &&
		    errno == ENOSPC) {
			rung_warn("inotify: no watch left for %s "
			    "(fs.inotify.max_user_watches): looking every "
			    "interval instead", l->dirs[i]);
			*ok = 0;
		}
	}
}

/* Wait for a change (inotify), or the interval; 1 when told to stop. */
static int
wait_change(int fd, double interval, volatile sig_atomic_t *stop)
{
	struct pollfd	 p;
	char		 buf[4096];
	double		 until = rung_now() + interval;
	int		 ms;

	while (stop == NULL || !*stop) {
		ms = (int)((until - rung_now()) * 1000);
		if (ms <= 0)
			return 0;
		if (ms > 200)
			ms = 200;	/* look at *stop now and then */
		if (fd < 0) {
			poll(NULL, 0, ms);
			continue;
		}
		p.fd = fd;
		p.events = POLLIN;
		if (poll(&p, 1, ms) > 0) {
			/* A writer writes in bursts: let it finish one. */
			poll(NULL, 0, 100);
			while (read(fd, buf, sizeof buf) > 0)
				;
			return 0;
		}
	}
	return 1;
}

int
rung_follow(struct rung_store *s, const char *const *paths, size_t npaths,
    const struct rung_import_opts *opts, const struct rung_follow_opts *fo,
    char **cause)
{
	struct rung_import_opts o = *opts;
	struct rung_import_report rep;
	struct look	 prev = { 0 }, now = { 0 };
	struct stat	 sb;
	const char	*net = NULL;
	char		*err = NULL, *said = NULL;
	size_t		 i;
	int		 fd = -1, notify, first = 1, again = 0, ret = -1;

	for (i = 0; i < npaths; i++) {
		if (stat(paths[i], &sb) != 0) {
			xasprintf(cause, "cannot open '%s': %s", paths[i],
			    strerror(errno));
			return -1;
		}
		if (net == NULL)
			net = rung_follow_netfs(paths[i]);
	}
	notify = fo->how == RUNG_FOLLOW_NOTIFY ||
	    (fo->how == RUNG_FOLLOW_AUTO && net == NULL);
	if (notify && (fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
		rung_warn("inotify: %s: looking every %g s instead",
		    strerror(errno), fo->interval);
		notify = 0;
	}
	if (fo->how == RUNG_FOLLOW_AUTO && net != NULL)
		rung_info("%s is on %s, where inotify sees only this machine's "
		    "writes: looking every %g s", paths[0], net, fo->interval);
	o.follow = 1;

	while (fo->stop == NULL || !*fo->stop) {
		look_at(&now, paths, npaths);
		if (notify)
			watch_dirs(fd, &now, &notify);
		if (first || again || changed(&prev, &now)) {
			again = 0;
			if (rung_import(s, paths, npaths, &o, &rep,
			    &err) == 0) {
				if (fo->report != NULL)
					fo->report(&rep, fo->arg);
				rung_import_report_release(&rep);
				free(said);
				said = NULL;
			} else if (first && stat(paths[0], &sb) != 0) {
				*cause = err;
				err = NULL;
				goto out;
			} else {
				/* Said once, tried again at each look. */
				if (said == NULL || strcmp(said, err) != 0)
					rung_warn("%s (tried again)", err);
				again = 1;
				free(said);
				said = err;
				err = NULL;
			}
			first = 0;
		}
		look_release(&prev);
		prev = now;
		memset(&now, 0, sizeof now);
		if (wait_change(notify ? fd : -1, fo->interval, fo->stop))
			break;
	}
	ret = 0;
out:
	rung_import_follow_end();
	if (fd >= 0)
		close(fd);
	look_release(&prev);
	look_release(&now);
	free(err);
	free(said);
	return ret;
}
