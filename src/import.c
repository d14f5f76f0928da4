#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>
#include <zlib.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/store.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

static const struct {
	const char	*name;
	enum rung_format fmt;
} formats[] = {
	{ "auto", RUNG_FMT_AUTO },
	{ "long-csv", RUNG_FMT_LONG_CSV },
	{ "wide-csv", RUNG_FMT_WIDE_CSV },
	{ "json", RUNG_FMT_JSON },
	{ "jsonl", RUNG_FMT_JSONL },
};

const char *
rung_format_name(enum rung_format f)
{
	size_t	 i;

	for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		if (formats[i].fmt == f)
			return formats[i].name;
	}
	return "unknown";
}

int
rung_format_parse(const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		if (strcmp(formats[i].name, s) == 0)
			return (int)formats[i].fmt;
	}
	return -1;
}

void
rung_import_opts_init(struct rung_import_opts *o)
{
	memset(o, 0, sizeof *o);
	o->format = RUNG_FMT_AUTO;
	o->time_kind = RUNG_TIME_AUTO;
}

void
rung_import_report_release(struct rung_import_report *r)
{
	free(r->study);
	memset(r, 0, sizeof *r);
}

/* Is the first line of buf a complete JSON value followed by more? */
static int
looks_like_jsonl(const char *buf, size_t len)
{
	const char	*nl;
	json_tokener	*tok;
	json_object	*obj;
	size_t		 i;
	int		 ret = 0;

	if ((nl = memchr(buf, '\n', len)) == NULL)
		return 0;
	for (i = (size_t)(nl - buf); i < len; i++) {
		if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r' &&
		    buf[i] != '\t')
			break;
	}
	if (i == len)
		return 0;
	tok = json_tokener_new();
	obj = json_tokener_parse_ex(tok, buf, (int)(nl - buf));
	if (obj != NULL && json_tokener_get_error(tok) == json_tokener_success)
		ret = 1;
	json_object_put(obj);
	json_tokener_free(tok);
	return ret;
}

int
rung_detect_format(const char *path, const struct rung_import_opts *o,
    enum rung_format *fmt, char **cause)
{
	gzFile		 gz;
	char		 buf[65536];
	int		 n;
	size_t		 i, len;
	struct stat	 sb;

	if (stat(path, &sb) != 0) {
		xasprintf(cause, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(sb.st_mode)) {
		xasprintf(cause, "'%s' is a directory", path);
		return -1;
	}
	if ((gz = gzopen(path, "rb")) == NULL) {
		xasprintf(cause, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	n = gzread(gz, buf, sizeof buf - 1);
	gzclose(gz);
	if (n < 0) {
		xasprintf(cause, "cannot read '%s'", path);
		return -1;
	}
	len = (size_t)n;
	buf[len] = '\0';
	i = 0;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
	    buf[i] == '\n'))
		i++;
	if (i == len) {
		xasprintf(cause, "%s: the file is empty", path);
		return -1;
	}
	if (len >= 16 && memcmp(buf, "SQLite format 3", 16) == 0) {
		xasprintf(cause, "%s: an SQLite database, not a trial history "
		    "rung reads", path);
		return -1;
	}
	if (len >= 2 && (((unsigned char)buf[0] == 0xff &&
	    (unsigned char)buf[1] == 0xfe) || ((unsigned char)buf[0] == 0xfe &&
	    (unsigned char)buf[1] == 0xff))) {
		xasprintf(cause, "%s: UTF-16 text; rung reads UTF-8 (convert "
		    "it with iconv -f UTF-16 -t UTF-8)", path);
		return -1;
	}
	if (memchr(buf, '\0', len) != NULL) {
		xasprintf(cause, "%s: a binary file (it holds NUL bytes), not "
		    "CSV or JSON", path);
		return -1;
	}
	if (buf[i] == '[') {
		*fmt = RUNG_FMT_JSON;
		return 0;
	}
	if (buf[i] == '{') {
		*fmt = looks_like_jsonl(buf + i, len - i) ? RUNG_FMT_JSONL :
		    RUNG_FMT_JSON;
		return 0;
	}
	return rung_csv_layout(path, o, fmt, cause);
}

struct pathlist {
	char		**v;
	size_t		  n;
	size_t		  cap;
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory stands for the files under it, in name order. */
static int
expand(struct pathlist *pl, const char *path, char **cause)
{
	struct stat	 sb;
	DIR		*d;
	struct dirent	*de;
	struct pathlist	 sub = { 0 };
	size_t		 i;
	int		 ret = 0;

	if (stat(path, &sb) != 0) {
		xasprintf(cause, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		XGROW(pl->v, pl->cap, pl->n + 1);
		pl->v[pl->n++] = xstrdup(path);
		return 0;
	}
	if ((d = opendir(path)) == NULL) {
		xasprintf(cause, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		XGROW(sub.v, sub.cap, sub.n + 1);
		sub.v[sub.n++] = xprintf("%s/%s", path, de->d_name);
	}
	closedir(d);
	qsort(sub.v, sub.n, sizeof *sub.v, cmp_str);
	for (i = 0; i < sub.n; i++) {
		if (ret == 0 && expand(pl, sub.v[i], cause) != 0)
			ret = -1;
		free(sub.v[i]);
	}
	free(sub.v);
	return ret;
}

static int
read_one(struct rung_batch *b, const char *path, enum rung_format fmt,
    const struct rung_import_opts *o, char **cause)
{
	switch (fmt) {
	case RUNG_FMT_LONG_CSV:
		return rung_import_long_csv(b, path, o, cause);
	case RUNG_FMT_WIDE_CSV:
		return rung_import_wide_csv(b, path, o, cause);
	case RUNG_FMT_JSON:
		return rung_import_json(b, path, 0, o, cause);
	case RUNG_FMT_JSONL:
		return rung_import_json(b, path, 1, o, cause);
	default:
		break;
	}
	xasprintf(cause, "%s: format '%s' cannot be read here", path,
	    rung_format_name(fmt));
	return -1;
}

int
rung_import(struct rung_store *s, const char *const *paths, size_t npaths,
    const struct rung_import_opts *opts, struct rung_import_report *rep,
    char **cause)
{
	struct rung_import_opts oo = *opts, *o = &oo;
	struct pathlist	 pl = { 0 };
	struct rung_batch *b = NULL;
	enum rung_format fmt;
	char		*digest = NULL, *seen = NULL, *err = NULL;
	char		**digests = NULL;
	uint64_t	 size;
	size_t		 i, k;
	int		 ret = -1, known, nread = 0;

	memset(rep, 0, sizeof *rep);
	if (npaths == 0) {
		xasprintf(cause, "no file to import");
		return -1;
	}
	rep->study = xstrdup(o->study != NULL ? o->study :
	    (seen = rung_stem(paths[0])));
	free(seen);
	seen = NULL;
	for (i = 0; i < npaths; i++) {
		if (expand(&pl, paths[i], cause) != 0)
			goto out;
	}
	if (pl.n == 0) {
		xasprintf(cause, "no file to import in '%s'", paths[0]);
		goto out;
	}
	o->multi_file = pl.n > 1;

	b = rung_batch_new();
	digests = xcalloc(pl.n, sizeof *digests);
	for (i = 0; i < pl.n; i++) {
		if (rung_file_digest(pl.v[i], &digest, &size, cause) != 0)
			goto out;
		rep->files++;
		/* The same content named twice in one import is read once. */
		for (k = 0; k < i && (digests[k] == NULL ||
		    strcmp(digests[k], digest) != 0); k++)
			;
		if (k < i) {
			rung_info("%s: the same content as '%s': read once",
			    pl.v[i], pl.v[k]);
			rep->skipped_files++;
			free(digest);
			digest = NULL;
			continue;
		}
		digests[i] = xstrdup(digest);
		known = rung_store_has_source(s, rep->study, digest, &seen,
		    cause);
		if (known < 0)
			goto out;
		if (known && !o->replace) {
			rung_info("%s: imported into '%s' before (as '%s'): "
			    "nothing added; --replace imports it again",
			    pl.v[i], rep->study, seen);
			rep->skipped_files++;
			free(seen);
			seen = NULL;
			free(digest);
			digest = NULL;
			continue;
		}
		free(seen);
		seen = NULL;
		fmt = o->format;
		if (fmt == RUNG_FMT_AUTO &&
		    rung_detect_format(pl.v[i], o, &fmt, cause) != 0)
			goto out;
		rung_batch_source(b, pl.v[i], rung_format_name(fmt), digest,
		    size);
		free(digest);
		digest = NULL;
		if (read_one(b, pl.v[i], fmt, o, cause) != 0)
			goto out;
		nread++;
	}
	if (nread == 0) {
		ret = 0;
		goto out;
	}
	if (rung_batch_finish(b, o, &err) != 0) {
		xasprintf(cause, "%s%s: %s", pl.v[0], pl.n > 1 ? " ..." : "",
		    err);
		free(err);
		goto out;
	}
	ret = rung_store_import(s, b, o, rep, cause);
out:
	free(digest);
	free(seen);
	rung_batch_free(b);
	for (i = 0; i < pl.n; i++) {
		if (digests != NULL)
			free(digests[i]);
		free(pl.v[i]);
	}
	free(digests);
	free(pl.v);
	return ret;
}
