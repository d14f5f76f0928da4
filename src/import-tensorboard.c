/*
 * TensorBoard log directories: event files (TFRecord framing, see
 * tfrecord.c, of Event protocol buffers decoded with protobuf-c from
 * TensorBoard's own .proto files, src/proto/tensorboard/SOURCE).
 *
 *	LOGDIR/RUN/events.out.tfevents.TIME.HOST[.PID.N][.v2]
 *	LOGDIR/RUN/train/events...	Keras, MLPF: a split of RUN
 *	LOGDIR/RUN/validation/events...
 *	LOGDIR/RUN/hparams.yaml		Lightning; config.yaml, params.json
 *	LOGDIR/RUN/1700000000.12/events...	PyTorch's add_hparams
 *
 * A run is a directory holding event files (a name with "tfevents", as
 * TensorBoard itself asks). Runs are trials, named by the part of their
 * paths that differs between them, except that a run named like a split
 * of the data (train, valid, validation, eval, test...) belongs to the
 * trial of its parent, its metrics prefixed with its name (train/loss,
 * valid/loss), and that a run named by a number (the folder PyTorch's
 * SummaryWriter.add_hparams makes, named by time.time()) gives its
 * parameters to the trial of its parent; its scalars, logged again at
 * step 0, only count when the parent logged none.
 *
 * Several event files in one run are restarts: read in the order of the
 * time in their names, a step logged again takes the later value. A point
 * is a scalar summary: a simple_value (TF1, PyTorch, tensorboardX), or a
 * tensor of one float, double, half or bfloat16 of a tag whose plugin is
 * "scalars" (TF2; the plugin is named in the first value of the tag only).
 * Its step is the Event's step; its time the Event's wall_time, a clock.
 * Parameters come from the hparams plugin's session_start_info, its status
 * from session_end_info; without a session, from the parameter files of
 * the trial's folder and those above it, as for any run folder
 * (import-runs.c: hparams.yaml, Hydra's config, params.json...).
 */

#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <protobuf-c/protobuf-c.h>

#include "tensorboard/compat/proto/event.pb-c.h"
#include "tensorboard/plugins/hparams/plugin_data.pb-c.h"

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/jsonin.h"
#include "rung/tfrecord.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "import-tensorboard-int.h"

#define MAX_DEPTH	12		/* folders below the log directory */
#define DETECT_ENTRIES	20000		/* entries detection looks at */

static const char *const splits[] = {
	"train", "training", "valid", "validation", "val", "eval",
	"evaluation", "test", "testing", "dev"
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
is_split(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof splits / sizeof splits[0]; i++) {
		if (rung_strieq(name, splits[i]))
			return 1;
	}
	return 0;
}

/* A name that is a number: the folder add_hparams names by time.time(). */
static int
is_number_name(const char *name)
{
	double	 d;

	return name[0] >= '0' && name[0] <= '9' &&
	    rung_parse_double(name, strlen(name), &d) == 0;
}

static int
is_event_name(const char *name)
{
	return strstr(name, "tfevents") != NULL;
}

/* The time in events.out.tfevents.TIME.HOST...: restarts are in its order. */
static uint64_t
name_time(const char *name)
{
	const char	*p = strstr(name, "tfevents.");
	uint64_t	 t = 0;

	if (p == NULL)
		return 0;
	for (p += 9; *p >= '0' && *p <= '9'; p++) {
		if (t > (UINT64_MAX - 9) / 10)
			break;
		t = t * 10 + (uint64_t)(*p - '0');
	}
	return t;
}

static int
sniff_file(const char *path)
{
	uint8_t	 buf[4096];
	FILE	*f;
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	return rung_tensorboard_sniff(buf, n);
}

/* Is there an event file under dir (depth folders down)? */
static int
find_events(const char *dir, int depth, size_t *budget)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	char		*path;
	int		 found = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while (!found && *budget > 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		(*budget)--;
		path = rung_path_join(dir, de->d_name);
		if (stat(path, &sb) == 0) {
			if (S_ISREG(sb.st_mode) && is_event_name(de->d_name))
				found = sniff_file(path);
			else if (S_ISDIR(sb.st_mode) && depth < MAX_DEPTH)
				found = find_events(path, depth + 1, budget);
		}
		free(path);
	}
	closedir(d);
	return found;
}

int
rung_tensorboard_detect(const char *dir)
{
	size_t	 budget = DETECT_ENTRIES;

	return find_events(dir, 0, &budget);
}

int
rung_tensorboard_file(const char *path)
{
	const char	*base = tb_base_name(path);

	return is_event_name(base) || rung_runs_param_file(path);
}

static void
add_file(struct tbctx *c, const char *rel, const char *path)
{
	struct run	*r = NULL;
	size_t		 i;

	for (i = c->nruns; i > 0; i--) {
		if (strcmp(c->runs[i - 1].rel, rel) == 0) {
			r = &c->runs[i - 1];
			break;
		}
	}
	if (r == NULL) {
		XGROW(c->runs, c->rcap, c->nruns + 1);
		r = &c->runs[c->nruns++];
		memset(r, 0, sizeof *r);
		r->rel = xstrdup(rel);
	}
	XGROW(r->files, r->fcap, r->nfiles + 1);
	r->files[r->nfiles].path = xstrdup(path);
	r->files[r->nfiles].base = tb_base_name(r->files[r->nfiles].path);
	r->files[r->nfiles].ts = name_time(r->files[r->nfiles].base);
	r->nfiles++;
}

/* The runs under root/rel, in name order. */
static int
walk(struct tbctx *c, const char *root, const char *rel, int depth)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 sb;
	char		*dir, *path, *sub, **names = NULL;
	size_t		 n = 0, cap = 0, i;
	int		 ret = 0;

	dir = rel[0] != '\0' ? rung_path_join(root, rel) : xstrdup(root);
	if ((d = opendir(dir)) == NULL) {
		xasprintf(c->cause, "cannot open '%s': %s", dir,
		    strerror(errno));
		free(dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		XGROW(names, cap, n + 1);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, cmp_str);
	for (i = 0; i < n; i++) {
		path = rung_path_join(dir, names[i]);
		if (ret == 0 && stat(path, &sb) == 0) {
			if (S_ISREG(sb.st_mode) && is_event_name(names[i]))
				add_file(c, rel, path);
			else if (S_ISDIR(sb.st_mode) && depth < MAX_DEPTH) {
				sub = rel[0] != '\0' ?
				    rung_path_join(rel, names[i]) :
				    xstrdup(names[i]);
				ret = walk(c, root, sub, depth + 1);
				free(sub);
			}
		}
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	return ret;
}

static char *
parent_of(const char *rel)
{
	const char	*p = strrchr(rel, '/');

	return p != NULL ? xstrndup(rel, (size_t)(p - rel)) : xstrdup("");
}

static int
has_run(const struct tbctx *c, const char *rel)
{
	size_t	 i;

	for (i = 0; i < c->nruns; i++) {
		if (strcmp(c->runs[i].rel, rel) == 0)
			return 1;
	}
	return 0;
}

static size_t
trial_of(struct tbctx *c, const char *rel)
{
	size_t	 i;

	for (i = 0; i < c->ntrials; i++) {
		if (strcmp(c->trials[i].rel, rel) == 0)
			return i;
	}
	XGROW(c->trials, c->tcap, c->ntrials + 1);
	memset(&c->trials[c->ntrials], 0, sizeof c->trials[0]);
	c->trials[c->ntrials].rel = xstrdup(rel);
	return c->ntrials++;
}

/* Splits and add_hparams folders join the trial of their parent. */
static void
group_runs(struct tbctx *c)
{
	struct run	*r;
	const char	*base;
	char		*parent;
	size_t		 i;

	for (i = 0; i < c->nruns; i++) {
		r = &c->runs[i];
		base = tb_base_name(r->rel);
		parent = parent_of(r->rel);
		if (r->rel[0] != '\0' && is_split(base)) {
			r->trial = trial_of(c, parent);
			r->prefix = xprintf("%s/", base);
		} else if (r->rel[0] != '\0' && is_number_name(base)) {
			r->trial = trial_of(c, parent);
			r->prefix = xstrdup("");
			r->params_only = has_run(c, parent);
		} else {
			r->trial = trial_of(c, r->rel);
			r->prefix = xstrdup("");
			c->trials[r->trial].has_own = 1;
		}
		free(parent);
	}
}

static char **
split_path(const char *rel, size_t *n)
{
	char		**v = NULL;
	size_t		 cap = 0;
	const char	*p = rel, *q;

	*n = 0;
	while (*p != '\0') {
		if ((q = strchr(p, '/')) == NULL)
			q = p + strlen(p);
		XGROW(v, cap, *n + 1);
		v[(*n)++] = xstrndup(p, (size_t)(q - p));
		p = *q == '/' ? q + 1 : q;
	}
	return v;
}

/*
 * Trials are named by the part of their paths that differs between them
 * (run-0 and run-1 of hparam_tuning/run-0 and hparam_tuning/run-1); the
 * one trial of a log directory, or the log directory itself, by the name
 * of the log directory.
 */
static void
name_trials(struct tbctx *c, const char *rootname)
{
	char		***parts;
	size_t		 *np, i, j, minn = SIZE_MAX, pre = 0, suf = 0;
	struct rung_buf	  buf = { 0 };
	int		  dup = 0;

	parts = xcalloc(c->ntrials, sizeof *parts);
	np = xcalloc(c->ntrials, sizeof *np);
	for (i = 0; i < c->ntrials; i++) {
		parts[i] = split_path(c->trials[i].rel, &np[i]);
		if (np[i] < minn)
			minn = np[i];
	}
	if (c->ntrials > 1) {
		for (; pre + 1 < minn; pre++) {
			for (i = 1; i < c->ntrials; i++) {
				if (strcmp(parts[i][pre], parts[0][pre]) != 0)
					break;
			}
			if (i < c->ntrials)
				break;
		}
		for (; pre + suf + 1 < minn; suf++) {
			for (i = 1; i < c->ntrials; i++) {
				if (strcmp(parts[i][np[i] - 1 - suf],
				    parts[0][np[0] - 1 - suf]) != 0)
					break;
			}
			if (i < c->ntrials)
				break;
		}
	}
	for (i = 0; i < c->ntrials; i++) {
		buf.len = 0;
		for (j = pre; c->ntrials > 1 && j < np[i] - suf; j++)
			rung_buf_printf(&buf, "%s%s", j > pre ? "/" : "",
			    parts[i][j]);
		c->trials[i].name = xstrdup(buf.len > 0 ?
		    rung_buf_cstr(&buf) : rootname);
	}
	for (i = 0; i < c->ntrials && !dup; i++) {
		for (j = i + 1; j < c->ntrials && !dup; j++)
			dup = strcmp(c->trials[i].name, c->trials[j].name) == 0;
	}
	for (i = 0; dup && i < c->ntrials; i++) {
		free(c->trials[i].name);
		c->trials[i].name = xstrdup(c->trials[i].rel[0] != '\0' ?
		    c->trials[i].rel : rootname);
	}
	for (i = 0; i < c->ntrials; i++) {
		for (j = 0; j < np[i]; j++)
			free(parts[i][j]);
		free(parts[i]);
	}
	free(parts);
	free(np);
	rung_buf_release(&buf);
}

static void
ctx_init(struct tbctx *c, struct rung_batch *b,
    const struct rung_import_opts *o, int notime, char **cause)
{
	static const struct rung_import_opts none;

	memset(c, 0, sizeof *c);
	c->b = b;
	c->o = o != NULL ? o : &none;
	c->cause = cause;
	c->alloc.alloc = tb_arena_alloc;
	c->alloc.free = tb_arena_free;
	c->alloc.allocator_data = &c->arena;
	/* Ray Tune's TBXLoggerCallback names its tags ray/tune/METRIC. */
	c->strip = RAY_PREFIX;
	c->notime = notime;
	/* wall_time is a clock: a step lasts from the one before. */
	if (!notime)
		rung_batch_time_kind(b, c->o->time_kind != RUNG_TIME_AUTO ?
	    c->o->time_kind : RUNG_TIME_ABSOLUTE, "wall_time");
}

static void
ctx_free(struct tbctx *c)
{
	size_t	 i, k;

	for (i = 0; i < c->nruns; i++) {
		for (k = 0; k < c->runs[i].nfiles; k++)
			free(c->runs[i].files[k].path);
		free(c->runs[i].files);
		free(c->runs[i].rel);
		free(c->runs[i].prefix);
	}
	free(c->runs);
	for (i = 0; i < c->ntrials; i++) {
		free(c->trials[i].rel);
		free(c->trials[i].name);
	}
	free(c->trials);
	tb_tags_clear(&c->tags);
	tb_arena_reset(&c->arena, 1);
	rung_buf_release(&c->name);
}

/* The runs of trial i, read into c->trial. */
static int
read_trial(struct tbctx *c, size_t i)
{
	size_t	 k;

	c->session = c->ended = 0;
	c->events = 0;
	for (k = 0; k < c->nruns; k++) {
		if (c->runs[k].trial == i && tb_read_run(c, &c->runs[k]) != 0)
			return -1;
	}
	return 0;
}

/* The name of a directory, "." and ".." resolved. */
static char *
dir_name(const char *dir)
{
	char	*real, *name;

	name = rung_stem(dir);
	if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
	    name[0] != '\0')
		return name;
	free(name);
	if ((real = realpath(dir, NULL)) == NULL)
		return xstrdup("tensorboard");
	name = xstrdup(tb_base_name(real));
	free(real);
	return name;
}

int
rung_import_tensorboard(struct rung_batch *b, const char *path,
    const struct rung_import_opts *o, char **cause)
{
	struct tbctx	 c;
	struct stat	 sb;
	struct rung_progress pg;
	char		*root = NULL, *rootname = NULL, *dir;
	size_t		 i, k, rootlen;
	int		 ret = -1, found;

	ctx_init(&c, b, o, 0, cause);
	if (stat(path, &sb) != 0) {
		xasprintf(cause, "cannot open '%s': %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(sb.st_mode)) {
		root = xstrdup(path);
		if (walk(&c, root, "", 0) != 0)
			goto out;
	} else {
		/* One event file: the run is its folder. */
		root = parent_of(path);
		if (root[0] == '\0') {
			free(root);
			root = xstrdup(".");
		}
		add_file(&c, "", path);
	}
	if (c.nruns == 0) {
		xasprintf(cause, "%s: no TensorBoard event file found (a file "
		    "named events.out.tfevents.*)", path);
		goto out;
	}
	rootname = dir_name(root);
	group_runs(&c);
	name_trials(&c, rootname);

	/* Parameter files are looked for up to the log directory. */
	for (rootlen = strlen(root); rootlen > 1 && root[rootlen - 1] == '/';
	    rootlen--)
		;
	if (c.o->progress)
		rung_progress_start(&pg, path, c.ntrials);
	for (i = 0; i < c.ntrials; i++) {
		c.trial = rung_batch_trial(b, c.trials[i].name);
		if (read_trial(&c, i) != 0)
			break;
		/*
		 * A session started and not ended is under way: Keras'
		 * callback writes the end when training ends (TensorBoard
		 * says "unknown"); followed, it moves on to its end's status.
		 */
		if (c.ended)
			rung_batch_set_status(b, c.trial, c.status);
		else if (c.session)
			rung_batch_set_status(b, c.trial, RUNG_RUNNING);
		if (!c.session) {
			/* The trial's folder, else its runs' folders. */
			dir = c.trials[i].rel[0] != '\0' ?
			    rung_path_join(root, c.trials[i].rel) :
			    xstrdup(root);
			found = rung_runs_dir_params(b, c.trial, c.trial + 1,
			    dir, rootlen, cause);
			free(dir);
			for (k = 0; found == 0 && k < c.nruns; k++) {
				if (c.runs[k].trial != i ||
				    c.runs[k].rel[0] == '\0')
					continue;
				dir = rung_path_join(root, c.runs[k].rel);
				found = rung_runs_dir_params(b, c.trial,
				    c.trial + 1, dir, rootlen, cause);
				free(dir);
			}
			if (found < 0)
				break;
		}
		if (c.o->progress)
			rung_progress_update(&pg, i + 1);
	}
	if (c.o->progress)
		rung_progress_end(&pg);
	if (i < c.ntrials)
		goto out;
	ret = 0;
out:
	free(root);
	free(rootname);
	ctx_free(&c);
	return ret;
}

int
rung_tensorboard_trial(struct rung_batch *b, uint32_t trial, const char *dir,
    const struct rung_import_opts *o, uint64_t *nevents, int32_t *last,
    char **cause)
{
	struct tbctx	 c;
	struct run	*r;
	size_t		 i;
	int		 ret = -1;

	/*
	 * The times are Ray's (time_this_iter_s of the folders with
	 * results): an experiment has one kind of time.
	 */
	ctx_init(&c, b, o, 1, cause);
	*nevents = 0;
	if (walk(&c, dir, "", 0) != 0)
		goto out;
	c.trial = trial;
	c.last = INT32_MIN;
	for (i = 0; i < c.nruns; i++) {
		r = &c.runs[i];
		r->prefix = r->rel[0] == '\0' ? xstrdup("") :
		    xprintf("%s/", is_split(tb_base_name(r->rel)) ?
		    tb_base_name(r->rel) : r->rel);
		if (tb_read_run(&c, r) != 0)
			goto out;
	}
	*nevents = c.events;
	*last = c.last;
	ret = 0;
out:
	ctx_free(&c);
	return ret;
}
