/*
 * What the paths given to import stand for: files, directories that a
 * format reads whole, the files under a directory (chosen by --include and
 * --exclude), and the name each file gives the trials it holds without an
 * id.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rung/import.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "import-int.h"

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
pathlist_add(struct pathlist *pl, const char *path, int isdir,
    size_t rootlen, int found)
{
	size_t		 cap = pl->cap;
	const char	*slash;

	XGROW(pl->v, cap, pl->n + 1);
	pl->isdir = xreallocarray(pl->isdir, cap, 1);
	pl->found = xreallocarray(pl->found, cap, 1);
	pl->rootlen = xreallocarray(pl->rootlen, cap, sizeof *pl->rootlen);
	pl->cap = cap;
	pl->isdir[pl->n] = (uint8_t)isdir;
	pl->found[pl->n] = (uint8_t)found;
	if (!found)
		rootlen = (slash = strrchr(path, '/')) != NULL ?
		    (size_t)(slash - path) : 0;
	pl->rootlen[pl->n] = rootlen;
	pl->v[pl->n++] = xstrdup(path);
}

void
import_paths_release(struct pathlist *pl)
{
	size_t	 i;

	for (i = 0; i < pl->n; i++)
		free(pl->v[i]);
	free(pl->v);
	free(pl->isdir);
	free(pl->found);
	free(pl->rootlen);
	memset(pl, 0, sizeof *pl);
}

/* Does a glob of --include or --exclude match rel, or its last name? */
static int
glob_match(char *const *globs, size_t n, const char *rel)
{
	const char	*base = strrchr(rel, '/');
	size_t		 i;

	base = base != NULL ? base + 1 : rel;
	for (i = 0; i < n; i++) {
		if (fnmatch(globs[i], rel, FNM_PATHNAME) == 0 ||
		    (strchr(globs[i], '/') == NULL &&
		    fnmatch(globs[i], base, 0) == 0))
			return 1;
	}
	return 0;
}

/*
 * A directory stands for the files under it, in name order, unless a
 * directory format claims it (a Ray Tune experiment): that is read whole.
 * Below a directory named on the command line (root, rootlen its length),
 * --exclude leaves out files and folders, --include chooses files, and the
 * parameter files of run folders (hparams.yaml) are not logs.
 */
static int
expand_under(struct pathlist *pl, const char *path, size_t rootlen,
    const struct rung_import_opts *o, int filter, char **cause)
{
	struct stat	 sb;
	DIR		*d;
	struct dirent	*de;
	struct pathlist	 sub = { 0 };
	enum rung_format fmt;
	const char	*rel;
	size_t		 i;
	int		 ret = 0, found = rootlen != SIZE_MAX;

	if (stat(path, &sb) != 0) {
		xasprintf(cause, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (found && filter) {
		rel = path + rootlen;
		while (*rel == '/')
			rel++;
		if (glob_match(o->exclude, o->nexclude, rel))
			return 0;
		if (!S_ISDIR(sb.st_mode) && ((o->ninclude > 0 &&
		    !glob_match(o->include, o->ninclude, rel)) ||
		    rung_runs_param_file(path)))
			return 0;
	}
	if (!S_ISDIR(sb.st_mode)) {
		pathlist_add(pl, path, 0, rootlen, found);
		return 0;
	}
	if ((fmt = import_dir_format(path, o->format)) != RUNG_FMT_AUTO) {
		pathlist_add(pl, path, (int)fmt, rootlen, found);
		return 0;
	}
	if (!found) {
		/* The folder named: its path, less a final slash. */
		rootlen = strlen(path);
		while (rootlen > 1 && path[rootlen - 1] == '/')
			rootlen--;
	}
	if ((d = opendir(path)) == NULL) {
		xasprintf(cause, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		XGROW(sub.v, sub.cap, sub.n + 1);
		sub.v[sub.n++] = rung_path_join(path, de->d_name);
	}
	closedir(d);
	if (sub.n > 0)
		qsort(sub.v, sub.n, sizeof *sub.v, cmp_str);
	for (i = 0; i < sub.n; i++) {
		if (ret == 0 && expand_under(pl, sub.v[i], rootlen, o, filter,
		    cause) != 0)
			ret = -1;
		free(sub.v[i]);
	}
	free(sub.v);
	return ret;
}

int
import_expand(struct pathlist *pl, const char *path,
    const struct rung_import_opts *o, int filter, char **cause)
{
	return expand_under(pl, path, SIZE_MAX, o, filter, cause);
}

/*
 * Trials that a file holds without an id are named after the file (a long
 * CSV without a trial column is one trial; a JSON list without ids is
 * numbered "name:0", "name:1", ...). The stem tells the files of one import
 * apart unless several share it, as the metrics.csv in each version_N
 * folder of Lightning's CSVLogger do: then the part of the paths that
 * differs between the files names them (version_3 and version_4; a and b
 * for a/run1.csv and b/run1.csv). Two files that still get one name are
 * twins, refused by the importer when it needs the name, since their
 * trials would merge into one.
 */
struct fileref {
	const char	*key;
	size_t		 i;
};

static int
cmp_fileref(const void *va, const void *vb)
{
	const struct fileref	*a = va, *b = vb;
	int			 c;

	if ((c = strcmp(a->key, b->key)) != 0)
		return c;
	return a->i < b->i ? -1 : (a->i > b->i);
}

/* The components of a path, the last one as its stem: a, b, run. */
static char **
path_parts(const char *path, size_t *n)
{
	char		**v = NULL, *stem;
	size_t		 cap = 0;
	const char	*p = path, *q;

	*n = 0;
	while (*p != '\0') {
		if ((q = strchr(p, '/')) == NULL)
			q = p + strlen(p);
		if (q > p && !(q == p + 1 && *p == '.')) {
			XGROW(v, cap, *n + 1);
			v[(*n)++] = xstrndup(p, (size_t)(q - p));
		}
		p = *q == '/' ? q + 1 : q;
	}
	if (*n == 0) {
		XGROW(v, cap, 1);
		v[(*n)++] = xstrdup(path);
	}
	stem = rung_stem(v[*n - 1]);
	free(v[*n - 1]);
	v[*n - 1] = stem;
	return v;
}

/* The parts of n paths (NULL for none) and their counts. */
static void
parts_free(char ***parts, size_t *np, size_t n)
{
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; parts[i] != NULL && j < np[i]; j++)
			free(parts[i][j]);
		free(parts[i]);
	}
	free(parts);
	free(np);
}

/* Mark the files whose names another file has too. */
static int
find_twins(char **names, const uint8_t *skip, size_t n, size_t *twin)
{
	struct fileref	*r;
	size_t		 i, k = 0;
	int		 any = 0;

	r = xcalloc(n ? n : 1, sizeof *r);
	for (i = 0; i < n; i++) {
		twin[i] = SIZE_MAX;
		if (!skip[i]) {
			r[k].key = names[i];
			r[k++].i = i;
		}
	}
	qsort(r, k, sizeof *r, cmp_fileref);
	for (i = 1; i < k; i++) {
		if (strcmp(r[i - 1].key, r[i].key) != 0)
			continue;
		twin[r[i].i] = r[i - 1].i;
		if (twin[r[i - 1].i] == SIZE_MAX)
			twin[r[i - 1].i] = r[i].i;
		any = 1;
	}
	free(r);
	return any;
}

/*
 * The names of the files found under a folder named on the command line:
 * their path below it, without the extensions of the last name, or without
 * the last name when the file is the only one of its folder (a run folder:
 * version_0/metrics.csv is version_0). A name made so does not change as
 * other runs appear beside it, as a followed folder grows.
 */
static void
found_names(const struct pathlist *pl, char **names)
{
	char		***parts;
	size_t		 *np, i, k, j;
	int		  alone;
	const char	 *rel;
	struct rung_buf	  buf = { 0 };

	parts = xcalloc(pl->n ? pl->n : 1, sizeof *parts);
	np = xcalloc(pl->n ? pl->n : 1, sizeof *np);
	for (i = 0; i < pl->n; i++) {
		if (pl->isdir[i] || !pl->found[i])
			continue;
		for (rel = pl->v[i] + pl->rootlen[i]; *rel == '/'; rel++)
			;
		parts[i] = path_parts(rel, &np[i]);
	}
	for (i = 0; i < pl->n; i++) {
		if (parts[i] == NULL)
			continue;
		alone = np[i] >= 2;
		for (k = 0; alone && k < pl->n; k++) {
			if (k == i || parts[k] == NULL || np[k] != np[i] ||
			    pl->rootlen[k] != pl->rootlen[i] ||
			    strncmp(pl->v[k], pl->v[i], pl->rootlen[i]) != 0)
				continue;
			for (j = 0; j + 1 < np[i] &&
			    strcmp(parts[i][j], parts[k][j]) == 0; j++)
				;
			if (j + 1 == np[i])
				alone = 0;	/* the same folder */
		}
		buf.len = 0;
		for (j = 0; j < np[i] - (size_t)alone; j++)
			rung_buf_printf(&buf, "%s%s", j ? "/" : "", parts[i][j]);
		names[i] = xstrdup(rung_buf_cstr(&buf));
	}
	parts_free(parts, np, pl->n);
	rung_buf_release(&buf);
}

/*
 * Name the files of pl (folders, read whole, have their own ids): those
 * found under a folder by found_names, those named on the command line by
 * what tells them apart. *common is the last folder the named files share
 * when their stems alone do not tell them apart (lightning_logs), or NULL.
 */
void
import_name_files(const struct pathlist *pl, char **names, size_t *twin,
    char **common)
{
	char		***parts;
	size_t		 *np, i, j, k, minn = SIZE_MAX, pre, suf, first = SIZE_MAX;
	struct rung_buf	  buf = { 0 };

	*common = NULL;
	found_names(pl, names);
	parts = xcalloc(pl->n ? pl->n : 1, sizeof *parts);
	np = xcalloc(pl->n ? pl->n : 1, sizeof *np);
	for (i = 0; i < pl->n; i++) {
		if (pl->isdir[i] || pl->found[i])
			continue;
		parts[i] = path_parts(pl->v[i], &np[i]);
		names[i] = xstrdup(parts[i][np[i] - 1]);
		if (np[i] < minn)
			minn = np[i];
		if (first == SIZE_MAX)
			first = i;
	}
	/* Every file has its twin (or SIZE_MAX) even when none is named. */
	if (!find_twins(names, pl->isdir, pl->n, twin) || first == SIZE_MAX)
		goto out;

	/* The folders all share, and the trailing parts (the stem). */
	for (pre = 0; pre + 1 < minn; pre++) {
		for (i = first + 1; i < pl->n; i++) {
			if (parts[i] != NULL &&
			    strcmp(parts[i][pre], parts[first][pre]) != 0)
				break;
		}
		if (i < pl->n)
			break;
	}
	for (suf = 0; pre + suf + 1 < minn; suf++) {
		for (i = first + 1; i < pl->n; i++) {
			if (parts[i] != NULL && strcmp(parts[i][np[i] - 1 -
			    suf], parts[first][np[first] - 1 - suf]) != 0)
				break;
		}
		if (i < pl->n)
			break;
	}
	for (i = 0; i < pl->n; i++) {
		if (parts[i] == NULL)
			continue;
		buf.len = 0;
		for (j = pre, k = 0; j < np[i] - suf; j++, k++)
			rung_buf_printf(&buf, "%s%s", k ? "/" : "", parts[i][j]);
		free(names[i]);
		names[i] = xstrdup(rung_buf_cstr(&buf));
	}
	find_twins(names, pl->isdir, pl->n, twin);
	if (pre > 0)
		*common = xstrdup(parts[first][pre - 1]);
out:
	parts_free(parts, np, pl->n);
	rung_buf_release(&buf);
}

