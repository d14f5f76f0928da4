#include "config.h"

#include <errno.h>
#include <stdint.h>
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

#include "import-int.h"

static int	read_json(struct rung_batch *, const char *,
		    const struct rung_import_opts *, char **);
static int	read_jsonl(struct rung_batch *, const char *,
		    const struct rung_import_opts *, char **);
static int	read_optuna_rdb(const char *, const char *, uint64_t,
		    const struct rung_import_opts *, struct rung_import_unit **,
		    size_t *, char **);
static int	read_optuna_journal(const char *, const char *, uint64_t,
		    const struct rung_import_opts *, struct rung_import_unit **,
		    size_t *, char **);

/*
 * The importers, a line each: the name -f takes, and how its sources are
 * read. A source is a file, or a directory that a format reads whole (a Ray
 * Tune experiment): is_dir says whether a directory is one of its own, and
 * dir_file which files under it the digest covers, so that more rows make
 * a new source while checkpoints weigh nothing. read adds the source to the
 * batch of the study being imported; a format that holds studies of its own
 * (Optuna's storages) has read_units instead, which gives a batch for each.
 * Adding an importer is its file, a line here and its enum rung_format
 * value; rung_detect_format learns to recognise a file format by its first
 * bytes. Directory formats are tried in the order of this table.
 */
static const struct {
	const char	*name;
	enum rung_format fmt;
	int		(*read)(struct rung_batch *, const char *,
			    const struct rung_import_opts *, char **);
	int		(*read_units)(const char *, const char *, uint64_t,
			    const struct rung_import_opts *,
			    struct rung_import_unit **, size_t *, char **);
	int		(*is_dir)(const char *);
	int		(*dir_file)(const char *);
} formats[] = {
	{ "auto", RUNG_FMT_AUTO, NULL, NULL, NULL, NULL },
	{ "long-csv", RUNG_FMT_LONG_CSV, rung_import_long_csv, NULL, NULL,
	    NULL },
	{ "wide-csv", RUNG_FMT_WIDE_CSV, rung_import_wide_csv, NULL, NULL,
	    NULL },
	{ "json", RUNG_FMT_JSON, read_json, NULL, NULL, NULL },
	{ "jsonl", RUNG_FMT_JSONL, read_jsonl, NULL, NULL, NULL },
	{ "optuna", RUNG_FMT_OPTUNA, NULL, read_optuna_rdb, NULL, NULL },
	{ "optuna-journal", RUNG_FMT_OPTUNA_JOURNAL, NULL, read_optuna_journal,
	    NULL, NULL },
	{ "raytune", RUNG_FMT_RAYTUNE, rung_import_raytune, NULL,
	    rung_raytune_detect, rung_raytune_file },
	{ "runs", RUNG_FMT_RUNS, NULL, NULL, NULL, NULL },
	{ "hpbandster", RUNG_FMT_HPBANDSTER, rung_import_hpbandster, NULL,
	    rung_hpbandster_detect, rung_hpbandster_file },
	{ "mlflow", RUNG_FMT_MLFLOW, NULL, rung_import_mlflow,
	    rung_mlflow_detect, rung_mlflow_file },
	{ "tensorboard", RUNG_FMT_TENSORBOARD, rung_import_tensorboard, NULL,
	    rung_tensorboard_detect, rung_tensorboard_file },
};

#define NFORMATS (sizeof formats / sizeof formats[0])

static int
read_json(struct rung_batch *b, const char *path,
    const struct rung_import_opts *o, char **cause)
{
	return rung_import_json(b, path, 0, o, cause);
}

static int
read_jsonl(struct rung_batch *b, const char *path,
    const struct rung_import_opts *o, char **cause)
{
	return rung_import_json(b, path, 1, o, cause);
}

static int
read_optuna_rdb(const char *path, const char *digest, uint64_t size,
    const struct rung_import_opts *o, struct rung_import_unit **units,
    size_t *n, char **cause)
{
	return rung_import_optuna(path, 0, digest, size, o, units, n, cause);
}

static int
read_optuna_journal(const char *path, const char *digest, uint64_t size,
    const struct rung_import_opts *o, struct rung_import_unit **units,
    size_t *n, char **cause)
{
	return rung_import_optuna(path, 1, digest, size, o, units, n, cause);
}

/* The format of the table whose directories dir is one of, or AUTO. */
enum rung_format
import_dir_format(const char *dir, enum rung_format forced)
{
	size_t	 i;

	for (i = 0; i < NFORMATS; i++) {
		if (formats[i].is_dir == NULL)
			continue;
		if (forced == formats[i].fmt ||
		    (forced == RUNG_FMT_AUTO && formats[i].is_dir(dir)))
			return formats[i].fmt;
	}
	return RUNG_FMT_AUTO;
}

static int
format_index(enum rung_format f)
{
	size_t	 i;

	for (i = 0; i < NFORMATS; i++) {
		if (formats[i].fmt == f)
			return (int)i;
	}
	return -1;
}

const char *
rung_format_name(enum rung_format f)
{
	int	 i = format_index(f);

	return i >= 0 ? formats[i].name : "unknown";
}

const char *
rung_format_names(void)
{
	static char	 buf[256];
	size_t		 i, len = 0;

	if (buf[0] != '\0')
		return buf;
	for (i = 0; i < NFORMATS && len < sizeof buf; i++) {
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
		    i > 0 ? ", " : "", formats[i].name);
	}
	return buf;
}

int
rung_format_parse(const char *s)
{
	size_t	 i;

	for (i = 0; i < NFORMATS; i++) {
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
rung_study_report_release(struct rung_study_report *r)
{
	size_t	 i;

	for (i = 0; i < r->nmetrics; i++)
		free(r->metrics[i].name);
	free(r->metrics);
	free(r->study);
	memset(r, 0, sizeof *r);
}

void
rung_import_report_release(struct rung_import_report *r)
{
	size_t	 i;

	for (i = 0; i < r->nstudies; i++)
		rung_study_report_release(&r->studies[i]);
	free(r->studies);
	memset(r, 0, sizeof *r);
}

/*
 * Is the first line of buf a complete JSON value followed by more? 2 when
 * it is an object whose "op_code" is an integer: an operation of Optuna's
 * JournalStorage (a trial's field or parameter of that name, nested or not
 * a number, is no such thing).
 */
static int
looks_like_jsonl(const char *buf, size_t len)
{
	const char	*nl;
	json_tokener	*tok;
	json_object	*obj, *op;
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
	if (obj != NULL && json_tokener_get_error(tok) == json_tokener_success) {
		ret = 1;
		if (json_object_is_type(obj, json_type_object) &&
		    json_object_object_get_ex(obj, "op_code", &op) &&
		    json_object_is_type(op, json_type_int))
			ret = 2;
	}
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
	const char	*msg;
	int		 n, errnum;
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
	if (n < 0) {
		msg = gzerror(gz, &errnum);
		xasprintf(cause, "cannot read '%s': %s", path,
		    errnum == Z_ERRNO ? strerror(errno) : msg);
		gzclose(gz);
		return -1;
	}
	gzclose(gz);
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
		/* The only SQLite files people bring are Optuna storages. */
		*fmt = RUNG_FMT_OPTUNA;
		return 0;
	}
	if (len >= 2 && (((unsigned char)buf[0] == 0xff &&
	    (unsigned char)buf[1] == 0xfe) || ((unsigned char)buf[0] == 0xfe &&
	    (unsigned char)buf[1] == 0xff))) {
		xasprintf(cause, "%s: UTF-16 text; rung reads UTF-8 (convert "
		    "it with iconv -f UTF-16 -t UTF-8)", path);
		return -1;
	}
	if (rung_tensorboard_sniff(buf, len)) {
		*fmt = RUNG_FMT_TENSORBOARD;
		return 0;
	}
	if (memchr(buf, '\0', len) != NULL) {
		xasprintf(cause, "%s: a binary file (it holds NUL bytes), not "
		    "CSV or JSON", path);
		return RUNG_DETECT_UNKNOWN;
	}
	if (buf[i] == '[') {
		*fmt = RUNG_FMT_JSON;
		return 0;
	}
	if (buf[i] == '{') {
		/* Optuna's JournalStorage: a log of operations, one a line. */
		switch (looks_like_jsonl(buf + i, len - i)) {
		case 2:
			*fmt = RUNG_FMT_OPTUNA_JOURNAL;
			break;
		case 1:
			*fmt = RUNG_FMT_JSONL;
			break;
		default:
			*fmt = RUNG_FMT_JSON;
			break;
		}
		return 0;
	}
	return rung_csv_layout(path, o, fmt, cause);
}

char *
rung_import_file_trial(const struct rung_import_opts *o, const char *path,
    const char *why, char **cause)
{
	if (o != NULL && o->file_twin != NULL) {
		xasprintf(cause, "%s: its trials have no id (%s), so they are "
		    "named after the file, and %s, read with it, would give "
		    "the same name ('%s'): their trials would merge; import "
		    "the two into separate studies (-s), or rename one",
		    path, why, o->file_twin, o->file_name);
		return NULL;
	}
	if (o != NULL && o->file_name != NULL)
		return xstrdup(o->file_name);
	return rung_stem(path);
}

/*
 * The digest of a directory: of the names and digests of the files rung
 * reads under it, so that a resumed experiment (more rows) is a new source.
 */
static int
dir_digest(const char *dir, enum rung_format fmt, char **digest,
    uint64_t *size, char **cause)
{
	int		(*keep)(const char *) = formats[format_index(fmt)].dir_file;
	struct rung_import_opts o;
	struct pathlist	 pl = { 0 };
	struct rung_buf	 all = { 0 };
	char		*d = NULL;
	uint64_t	 sz, total = 0;
	size_t		 i;
	int		 ret = -1;
	struct rung_digest dg;

	rung_import_opts_init(&o);
	o.format = RUNG_FMT_JSON;	/* expand every directory */
	if (import_expand(&pl, dir, &o, 0, cause) != 0)
		goto out;
	for (i = 0; i < pl.n; i++) {
		if (keep != NULL && !keep(pl.v[i]))
			continue;
		if (rung_file_digest(pl.v[i], &d, &sz, cause) != 0)
			goto out;
		rung_buf_printf(&all, "%s %s\n", pl.v[i] + strlen(dir), d);
		total += sz;
		free(d);
		d = NULL;
	}
	rung_buf_cstr(&all);
	rung_digest_init(&dg);
	rung_digest_add(&dg, all.data, all.len);
	/* The size is the files', not that of their names and digests. */
	xasprintf(digest, "dir-%08lx-%08lx-%llx", dg.crc, dg.adl,
	    (unsigned long long)total);
	*size = total;
	ret = 0;
out:
	import_paths_release(&pl);
	rung_buf_release(&all);
	return ret;
}

static int
read_one(struct rung_batch *b, const char *path, enum rung_format fmt,
    const struct rung_import_opts *o, char **cause)
{
	int	 i = format_index(fmt);

	if (i >= 0 && formats[i].read != NULL)
		return formats[i].read(b, path, o, cause);
	xasprintf(cause, "%s: format '%s' cannot be read here", path,
	    rung_format_name(fmt));
	return -1;
}

struct units {
	struct rung_import_unit	*v;
	size_t			 n;
	size_t			 cap;
};

static struct rung_import_unit *
unit_add(struct units *u, const char *study, struct rung_batch *b)
{
	XGROW(u->v, u->cap, u->n + 1);
	u->v[u->n].study = xstrdup(study);
	u->v[u->n].batch = b;
	return &u->v[u->n++];
}

/*
 * Whether the one file of this import may be read before its digest is
 * made: the digest only looks for the file among those imported before,
 * and a study without any source has none. The reader then makes it as it
 * reads (a CSV's thread does), else rung_import after it: for a file of
 * gigabytes, one read of it rather than two.
 */
static int
defer_digest(struct rung_store *s, const struct pathlist *pl,
    const enum rung_format *fmts, const char *study, char **cause)
{
	char	**paths, **formats_of;
	size_t	 n, i;
	int	 fi;

	if (pl->n != 1 || pl->isdir[0])
		return 0;
	fi = format_index(fmts[0]);
	if (fi < 0 || formats[fi].read_units != NULL)
		return 0;
	if (rung_store_source_paths(s, study, &paths, &formats_of, &n,
	    cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		free(paths[i]);
		free(formats_of[i]);
	}
	free(paths);
	free(formats_of);
	return n == 0;
}

/* Has this study had this source before? Reports a skip when it has. */
static int
known_source(struct rung_store *s, const char *study, const char *path,
    const char *digest, const struct rung_import_opts *o, char **cause)
{
	char	*seen = NULL;
	int	 known;

	if ((known = rung_store_has_source(s, study, digest, &seen,
	    cause)) <= 0)
		return known;
	if (o->replace) {
		free(seen);
		return 0;
	}
	if (o->follow) {
		free(seen);
		return 1;	/* unchanged since it was read: said by no one */
	}
	rung_info("%s: imported into '%s' before (as '%s'): nothing added; "
	    "--replace imports it again", path, study, seen);
	free(seen);
	return 1;
}

/* The metrics of the study a batch goes into, if it exists. */
static int
known_metrics(struct rung_store *s, const char *study, struct rung_batch *b,
    char **cause)
{
	struct rung_study_info	 info;
	char			**names = NULL;
	size_t			 n = 0, i;
	int			 rc;

	memset(&info, 0, sizeof info);
	if ((rc = rung_store_study(s, study, &info, cause)) != 0)
		return rc > 0 ? 0 : -1;
	rc = rung_store_metrics(s, info.id, &names, NULL, &n, cause);
	rung_study_info_release(&info);
	if (rc != 0)
		return -1;
	rung_batch_known(b, names, n);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return 0;
}

/*
 * Read a source that holds studies of its own (an Optuna storage) into
 * units, one per study.
 */
static int
read_units(struct rung_store *s, struct units *u, const char *path,
    enum rung_format fmt, const char *digest, uint64_t size,
    const struct rung_import_opts *o, struct rung_import_report *rep,
    char **cause)
{
	struct rung_import_unit *got = NULL;
	size_t		 n = 0, i;
	int		 known, ret = -1;
	char		*err;

	if (formats[format_index(fmt)].read_units(path, digest, size, o, &got,
	    &n, cause) != 0)
		return -1;
	if (o->study != NULL && n > 1) {
		/* Several studies under one name would mix their trials. */
		xasprintf(cause, "%s holds %zu studies ('%s', '%s'%s): -s names "
		    "one study; choose which with --study", path, n,
		    got[0].study, got[1].study, n > 2 ? ", ..." : "");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (o->study != NULL) {
			/* -s names the study in rung's database. */
			free(got[i].study);
			got[i].study = xstrdup(o->study);
		} else if (rung_name_check("study", got[i].study, &err) != 0) {
			xasprintf(cause, "%s: %s: import it with -s NAME "
			    "(and --study to choose it)", path, err);
			free(err);
			goto out;
		}
		known = known_source(s, got[i].study, path, digest, o, cause);
		if (known < 0)
			goto out;
		if (known) {
			rep->skipped_files++;
			rung_batch_free(got[i].batch);
		} else
			unit_add(u, got[i].study, got[i].batch);
		got[i].batch = NULL;
	}
	ret = 0;
out:
	for (i = 0; i < n; i++) {
		free(got[i].study);
		rung_batch_free(got[i].batch);
	}
	free(got);
	return ret;
}

/*
 * The format of each file, detected unless -f tells. A file found under a
 * folder that no importer reads (a LICENSE, a README beside the logs) is
 * no reason to refuse the folder: it leaves the list, to be named in one
 * warning, before the files are named after what tells them apart.
 */
static int
drop_unknown(struct pathlist *pl, const struct rung_import_opts *o,
    enum rung_format **fmts, size_t *nunknown, struct rung_buf *unknown,
    char **cause)
{
	enum rung_format fmt;
	char		*err = NULL;
	size_t		 i, k = 0;
	int		 rc, ret = 0;

	*fmts = xcalloc(pl->n ? pl->n : 1, sizeof **fmts);
	for (i = 0; i < pl->n; i++) {
		fmt = pl->isdir[i] ? (enum rung_format)pl->isdir[i] :
		    o->format;
		if (fmt == RUNG_FMT_RUNS)
			fmt = RUNG_FMT_AUTO;	/* each log by its own format */
		if (ret == 0 && fmt == RUNG_FMT_AUTO &&
		    (rc = rung_detect_format(pl->v[i], o, &fmt, &err)) != 0) {
			if (!pl->found[i] || rc != RUNG_DETECT_UNKNOWN) {
				*cause = err;
				err = NULL;
				ret = -1;	/* the rest kept, to be freed */
			} else {
				(*nunknown)++;
				if (unknown->len < 400)
					rung_buf_printf(unknown, "%s'%s'",
					    unknown->len ? ", " : "", pl->v[i]);
				free(err);
				err = NULL;
				free(pl->v[i]);
				continue;
			}
		}
		pl->v[k] = pl->v[i];
		pl->isdir[k] = pl->isdir[i];
		pl->found[k] = pl->found[i];
		pl->rootlen[k] = pl->rootlen[i];
		(*fmts)[k++] = fmt;
	}
	pl->n = k;
	return ret;
}

int
rung_import(struct rung_store *s, const char *const *paths, size_t npaths,
    const struct rung_import_opts *opts, struct rung_import_report *rep,
    char **cause)
{
	struct rung_import_opts oo = *opts, *o = &oo;
	struct pathlist	 pl = { 0 };
	struct units	 u = { 0 };
	struct rung_batch *main_batch = NULL;
	struct rung_buf	 unknown = { 0 };
	uint32_t	 ntrials;
	enum rung_format *fmts = NULL;
	size_t		 nunknown = 0;
	struct rung_study_report *sr;
	struct rung_batch_view view;
	enum rung_format fmt;
	char		*digest = NULL, *err = NULL, *study = NULL;
	char		**digests = NULL, **names = NULL, *common = NULL;
	size_t		*twins = NULL;
	uint64_t	 size;
	size_t		 i, k;
	int		 ret = -1, known, intx = 0, bulk = 0, defer;

	memset(rep, 0, sizeof *rep);
	if (npaths == 0) {
		xasprintf(cause, "no file to import");
		return -1;
	}
	for (i = 0; i < npaths; i++) {
		if (import_expand(&pl, paths[i], o, 1, cause) != 0)
			goto out;
	}
	if (drop_unknown(&pl, o, &fmts, &nunknown, &unknown, cause) != 0)
		goto out;
	if (pl.n == 0) {
		xasprintf(cause, "no file to import in '%s'%s", paths[0],
		    nunknown > 0 ? ": none of a layout rung knows" : "");
		goto out;
	}
	o->multi_file = pl.n > 1;
	names = xcalloc(pl.n, sizeof *names);
	twins = xcalloc(pl.n, sizeof *twins);
	import_name_files(&pl, names, twins, &common);
	/* The version_N/metrics.csv of lightning_logs: study lightning_logs. */
	if (o->study != NULL)
		study = xstrdup(o->study);
	else if (npaths > 1 && common != NULL)
		study = xstrdup(common);
	else
		study = rung_stem(paths[0]);
	/* Refused before anything is read: a name is shown everywhere. */
	if (rung_name_check("study", study, &err) != 0) {
		if (o->study != NULL)
			xasprintf(cause, "-s: %s", err);
		else {
			xasprintf(cause, "%s: the study would be named after "
			    "the file, and %s: name it with -s", paths[0], err);
		}
		free(err);
		err = NULL;
		goto out;
	}

	digests = xcalloc(pl.n, sizeof *digests);
	if ((defer = defer_digest(s, &pl, fmts, study, cause)) < 0)
		goto out;
	for (i = 0; i < pl.n; i++) {
		if (defer) {
			rep->files++;
			fmt = fmts[i];
			size = 0;
			goto read;
		}
		if ((pl.isdir[i] ? dir_digest(pl.v[i], pl.isdir[i], &digest,
		    &size, cause) :
		    rung_file_digest(pl.v[i], &digest, &size, cause)) != 0)
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
		digests[i] = digest;
		digest = NULL;

		fmt = fmts[i];
		if (format_index(fmt) >= 0 &&
		    formats[format_index(fmt)].read_units != NULL) {
			if (read_units(s, &u, pl.v[i], fmt, digests[i], size, o,
			    rep, cause) != 0)
				goto out;
			continue;
		}
		known = known_source(s, study, pl.v[i], digests[i], o, cause);
		if (known < 0)
			goto out;
		if (known) {
			rep->skipped_files++;
			continue;
		}
read:
		if (main_batch == NULL) {
			main_batch = rung_batch_new();
			unit_add(&u, study, main_batch);
		}
		rung_batch_source(main_batch, pl.v[i], rung_format_name(fmt),
		    digests[i], size);
		o->file_name = names[i];
		o->file_twin = twins[i] != SIZE_MAX ? pl.v[twins[i]] : NULL;
		ntrials = rung_batch_ntrials(main_batch);
		if (read_one(main_batch, pl.v[i], fmt, o, cause) != 0)
			goto out;
		/* A reader that made no digest as it read: one pass more. */
		if (rung_batch_source_pending(main_batch)) {
			if (rung_file_digest(pl.v[i], &digest, &size,
			    cause) != 0)
				goto out;
			rung_batch_source_digest(main_batch, digest, size);
			free(digest);
			digest = NULL;
		}
		/* A run's log: its parameters from its folder (hparams.yaml). */
		if (rung_batch_ntrials(main_batch) == ntrials + 1 &&
		    rung_runs_params(main_batch, ntrials, ntrials + 1, pl.v[i],
		    pl.rootlen[i], cause) != 0)
			goto out;
	}
	if (nunknown > 0)
		rung_warn("%zu file%s of no layout rung knows, left out: %s%s",
		    nunknown, nunknown == 1 ? "" : "s", rung_buf_cstr(&unknown),
		    unknown.len >= 400 ? ", ..." : "");

	for (i = 0; i < u.n; i++) {
		if (known_metrics(s, u.v[i].study, u.v[i].batch, cause) != 0)
			goto out;
		if (rung_batch_finish(u.v[i].batch, o, &err) != 0) {
			if (u.v[i].batch == main_batch)
				xasprintf(cause, "%s%s: %s", pl.v[0],
				    pl.n > 1 ? " ..." : "", err);
			else {
				/* An Optuna storage: its file and study. */
				rung_batch_view(u.v[i].batch, &view);
				xasprintf(cause, "%s%sstudy '%s': %s",
				    view.nsources ? view.sources[0].path : "",
				    view.nsources ? ": " : "", u.v[i].study,
				    err);
			}
			free(err);
			err = NULL;
			goto out;
		}
	}
	if (u.n == 0) {
		ret = 0;
		goto out;
	}
	if (rung_store_begin_import(s, &bulk, cause) != 0)
		goto out;
	intx = 1;
	rep->studies = xcalloc(u.n, sizeof *rep->studies);
	for (i = 0; i < u.n; i++) {
		sr = &rep->studies[rep->nstudies++];
		sr->study = xstrdup(u.v[i].study);
		if (rung_store_write(s, u.v[i].batch, o, sr, cause) != 0)
			goto out;
	}
	intx = 0;
	if (rung_store_commit(s, cause) != 0)
		goto out;
	ret = 0;
out:
	if (intx)
		rung_store_rollback(s);
	rung_store_end_import(s, bulk);
	free(digest);
	free(study);
	for (i = 0; i < u.n; i++) {
		free(u.v[i].study);
		rung_batch_free(u.v[i].batch);
	}
	free(u.v);
	for (i = 0; i < pl.n; i++) {
		if (digests != NULL)
			free(digests[i]);
		if (names != NULL)
			free(names[i]);
	}
	import_paths_release(&pl);
	free(digests);
	free(names);
	free(twins);
	free(common);
	rung_buf_release(&unknown);
	free(err);
	free(fmts);
	return ret;
}
