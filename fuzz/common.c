/*
 * Shared by the fuzz targets: see fuzz.h.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "rung/cmd.h"
#include "rung/import.h"
#include "rung/store.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

/* rung_store_db: what the store wrote, checked behind its back. */
#include "../src/store-int.h"

#include "fuzz.h"

static char	*scratch;
static FILE	*devnull;
static struct rung_store *the_store;

static void
quiet_hook(int is_error, const char *msg)
{
	(void)is_error;
	(void)msg;
}

static void
remove_tree(const char *path, int keep_top)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	char		*sub;

	if (lstat(path, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode) && (d = opendir(path)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			sub = xprintf("%s/%s", path, de->d_name);
			remove_tree(sub, 0);
			free(sub);
		}
		closedir(d);
		if (!keep_top)
			rmdir(path);
	} else if (!keep_top)
		unlink(path);
}

static void
fuzz_exit(void)
{
	if (scratch != NULL) {
		remove_tree(scratch, 0);
		free(scratch);
		scratch = NULL;
	}
	if (devnull != NULL)
		fclose(devnull);
	devnull = NULL;
	rung_store_close(the_store);
	the_store = NULL;
}

void
fuzz_init(void)
{
	const char	*tmp;
	char		*tmpl;

	if (scratch != NULL)
		return;
	/* FUZZ_VERBOSE=1 shows rung's messages when replaying an input. */
	if (getenv("FUZZ_VERBOSE") == NULL) {
		rung_quiet = 1;
		rung_msg_hook = quiet_hook;
	}
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	tmpl = xprintf("%s/rung-fuzz.XXXXXX", tmp);
	if (mkdtemp(tmpl) == NULL) {
		fprintf(stderr, "fuzz: mkdtemp %s: %s\n", tmpl,
		    strerror(errno));
		abort();
	}
	scratch = tmpl;
	if ((devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	atexit(fuzz_exit);
}

const char *
fuzz_dir(void)
{
	return scratch;
}

char *
fuzz_write(const char *name, const void *data, size_t len)
{
	char	*path;
	FILE	*f;

	path = xprintf("%s/%s", scratch, name);
	if ((f = fopen(path, "wb")) == NULL) {
		fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
		abort();
	}
	if (len > 0 && fwrite(data, 1, len, f) != len)
		abort();
	if (fclose(f) != 0)
		abort();
	return path;
}

void
fuzz_clean(void)
{
	remove_tree(scratch, 1);
}

const char *const *
fuzz_pick(const char *const *const *sets, size_t n, const uint8_t **data,
    size_t *size)
{
	size_t	 i = 0;

	if (*size > 0) {
		i = (*data)[0] % n;
		(*data)++;
		(*size)--;
	}
	return sets[i];
}

void
fuzz_import_input(const char *const *const *sets, size_t n, const char *name,
    const uint8_t *data, size_t size)
{
	const char *const *opts;
	char		*path;

	opts = fuzz_pick(sets, n, &data, &size);
	path = fuzz_write(name, data, size);
	fuzz_import(opts, path);
	free(path);
	fuzz_clean();
}

/* Run a command: words, then last when not NULL. */
static int
run(struct rung_ctx *ctx, const char *const *words, const char *last)
{
	char	*argv[72], *copy[72];
	int	 argc = 0, ret, i;

	for (; *words != NULL && argc < 70; words++)
		argv[argc++] = xstrdup(*words);
	if (last != NULL)
		argv[argc++] = xstrdup(last);
	argv[argc] = NULL;
	/* getopt permutes argv: free what was allocated, in any order. */
	memcpy(copy, argv, sizeof copy);
	ret = rung_cmd_run(ctx, argc, argv);
	for (i = 0; i < argc; i++)
		free(copy[i]);
	return ret;
}

static int64_t
count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The store every input is imported into, emptied after each. */
static struct rung_store *
store(void)
{
	char	*cause = NULL;

	if (the_store == NULL && rung_store_open("memory", RUNG_STORE_MEMORY,
	    &the_store, &cause) != 0) {
		fprintf(stderr, "fuzz: %s\n", cause);
		abort();
	}
	return the_store;
}

static void
empty(sqlite3 *db)
{
	if (sqlite3_exec(db, "DELETE FROM replays; DELETE FROM models; "
	    "DELETE FROM studies", NULL, NULL, NULL) != SQLITE_OK ||
	    count(db, "SELECT (SELECT count(*) FROM studies) + "
	    "(SELECT count(*) FROM trials) + (SELECT count(*) FROM curves) + "
	    "(SELECT count(*) FROM sources) + (SELECT count(*) FROM params) + "
	    "(SELECT count(*) FROM trial_params) + "
	    "(SELECT count(*) FROM step_seconds)") != 0) {
		fprintf(stderr, "fuzz: cannot empty the store: %s\n",
		    sqlite3_errmsg(db));
		abort();
	}
}

/* Is name one of the studies? */
static int
taken(const struct rung_study_info *v, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].name, name) == 0)
			return 1;
	}
	return 0;
}

int
fuzz_import(const char *const *opts, const char *path)
{
	static const char *const import[] = { "import", NULL };
	struct rung_ctx	 ctx;
	struct rung_study_info *v = NULL;
	size_t		 n = 0, i;
	char		*cause = NULL, *words[72];
	const char	*show[] = { "trials", "--json", NULL, NULL };
	const char	*exp[] = { "export", "-f", "jsonl", "-o", NULL, NULL,
			    NULL };
	const char	*again[] = { "import", "-s", NULL, NULL };
	char		 name[32];
	char		*out;
	int		 ret, argc = 0, k;
	sqlite3		*db;

	memset(&ctx, 0, sizeof ctx);
	ctx.db_path = ":memory:";
	ctx.out = devnull;
	ctx.store = store();
	db = rung_store_db(ctx.store);

	for (k = 0; import[k] != NULL; k++)
		words[argc++] = (char *)import[k];
	for (k = 0; opts[k] != NULL && argc < 70; k++)
		words[argc++] = (char *)opts[k];
	words[argc] = NULL;
	ret = run(&ctx, (const char *const *)words, path);

	if (ret != RUNG_EXIT_OK) {
		/* One transaction: a failed import leaves nothing behind. */
		if (count(db, "SELECT (SELECT count(*) FROM studies) + "
		    "(SELECT count(*) FROM trials) + "
		    "(SELECT count(*) FROM curves) + "
		    "(SELECT count(*) FROM sources)") != 0) {
			fprintf(stderr, "fuzz: a failed import left rows in "
			    "the database\n");
			abort();
		}
		goto out;
	}

	/* Read back what was written, as the listings and exports do. */
	if (rung_store_studies(ctx.store, &v, &n, &cause) != 0) {
		fprintf(stderr, "fuzz: studies: %s\n", cause);
		abort();
	}
	out = xprintf("%s/roundtrip.jsonl", scratch);
	for (i = 0; i < n; i++) {
		show[2] = v[i].name;
		if (run(&ctx, show, NULL) != RUNG_EXIT_OK) {
			fprintf(stderr, "fuzz: study '%s' was imported but "
			    "does not list\n", v[i].name);
			abort();
		}
		exp[4] = out;
		exp[5] = v[i].name;
		/*
		 * Export refuses a metric named as a field of its layout
		 * (steps, id...), and a study without a point exports empty
		 * arrays, which import takes for no metric.
		 */
		if (run(&ctx, exp, NULL) != RUNG_EXIT_OK)
			continue;
		/* What export wrote, import reads back (as a new study). */
		snprintf(name, sizeof name, "fuzz-roundtrip-%zu", i);
		again[2] = name;
		if (v[i].npoints > 0 && !taken(v, n, name) &&
		    run(&ctx, again, out) != RUNG_EXIT_OK) {
			fprintf(stderr, "fuzz: study '%s' exported to %s does "
			    "not import back\n", v[i].name, out);
			abort();
		}
	}
	unlink(out);
	free(out);
	for (i = 0; i < n; i++)
		rung_study_info_release(&v[i]);
	free(v);
out:
	free(cause);
	empty(db);
	return ret;
}

/* The path of NAME under dir, its folders made; NULL to skip it. */
static char *
make_path(const char *dir, const char *name, size_t len, size_t maxdepth)
{
	char	*rel, *path, *p, *slash;
	size_t	 i, depth = 0;

	if (len == 0 || len > 200)
		return NULL;
	rel = xstrndup(name, len);
	for (i = 0; i < len; i++) {
		if (rel[i] == '/') {
			if (++depth >= maxdepth)
				goto fail;
			continue;
		}
		if (strchr("._,=+-", rel[i]) == NULL &&
		    !((rel[i] >= 'a' && rel[i] <= 'z') ||
		    (rel[i] >= 'A' && rel[i] <= 'Z') ||
		    (rel[i] >= '0' && rel[i] <= '9')))
			rel[i] = '_';
	}
	/* No empty, "." or ".." name. */
	for (p = rel;; p = slash + 1) {
		slash = strchr(p, '/');
		i = slash != NULL ? (size_t)(slash - p) : strlen(p);
		if (i == 0 || (i == 1 && p[0] == '.') ||
		    (i == 2 && p[0] == '.' && p[1] == '.'))
			goto fail;
		if (slash == NULL)
			break;
	}
	path = xprintf("%s/%s", dir, rel);
	/* The folders on the way. */
	for (p = path + strlen(dir) + 1; (slash = strchr(p, '/')) != NULL;
	    p = slash + 1) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	free(rel);
	return path;
fail:
	free(rel);
	return NULL;
}

void
fuzz_tree(const char *dir, const uint8_t *data, size_t size, size_t maxdepth)
{
	const char	*p, *end, *nl, *next, *body;
	char		*path;
	FILE		*f;

	mkdir(dir, 0755);
	p = (const char *)data;
	end = p + size;
	/* Find the first header. */
	while (p < end && !(end - p >= 4 && memcmp(p, "=== ", 4) == 0)) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			p = end;
		else
			p = nl + 1;
	}
	while (p < end) {
		p += 4;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		body = nl < end ? nl + 1 : end;
		/* The body runs to the next header line. */
		for (next = body; next < end; next++) {
			if ((next == body || next[-1] == '\n') &&
			    end - next >= 4 && memcmp(next, "=== ", 4) == 0)
				break;
		}
		path = make_path(dir, p, (size_t)(nl - p), maxdepth);
		if (path != NULL && (f = fopen(path, "wb")) != NULL) {
			fwrite(body, 1, (size_t)(next - body), f);
			fclose(f);
		}
		free(path);
		p = next;
	}
}

void
fuzz_tree_input(const char *const *const *sets, size_t n, const char *name,
    size_t maxdepth, const uint8_t *data, size_t size)
{
	const char *const *opts;
	char		*dir;

	opts = fuzz_pick(sets, n, &data, &size);
	dir = xprintf("%s/%s", fuzz_dir(), name);
	fuzz_tree(dir, data, size, maxdepth);
	fuzz_import(opts, dir);
	free(dir);
	fuzz_clean();
}
