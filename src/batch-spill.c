/*
 * A batch's spill file: the rows past its byte budget, so that a streaming
 * import holds a bounded amount whatever the size of its file, and still
 * writes it in one transaction.
 *
 * The rows held are written out as a run, sorted by trial and step (each
 * (trial, step) is one row within a run: the batch merged it as it came),
 * and the batch goes on with none. A trial's rows may lie in several runs
 * (a file that interleaves trials, or a trial across a run's end), so at
 * finish the runs are read side by side, a trial at a time, as a merge: a
 * trial's rows from every run, sorted by step, a step read in several runs
 * merged as rung_batch_row merges it in memory (the last value read wins,
 * and overwriting one counts as a duplicate). Trials come in the order of
 * their numbers, which is the order the store writes them in.
 */

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "batch-int.h"

#define SPILL_BUDGET	(64 * 1024 * 1024)
#define SPILL_WBUF	(1024 * 1024)

/*
 * A record: trial (4 bytes), step (4), time (8), then one value per column
 * the batch had when the run was written (columns made later are missing
 * in it).
 */
struct brun {
	off_t		 off;
	uint64_t	 nrec;
	uint32_t	 ncols;
	size_t		 recsize;

	uint64_t	 next;		/* records read */
	unsigned char	*buf;
	size_t		 bufcap;	/* records */
	size_t		 bufn, bufpos;
};

struct srow {
	uint32_t	 trial;
	int32_t		 step;
	uint32_t	 row;
};

struct bspill {
	int		 fd;
	off_t		 size;
	char		*error;		/* the first failure, told at finish */
	struct brun	*runs;
	uint32_t	 nruns;
	size_t		 runcap;
	uint32_t	 loaded;	/* trial held after finish, + 1 */

	unsigned char	*wbuf;
	size_t		 wlen;

	struct srow	*order;		/* sorting a run, a trial */
	size_t		 ordercap;
	double		*tmp;
	size_t		 tmpcap;
};

void
rung_batch_budget(struct rung_batch *b, size_t bytes)
{
	b->budget = bytes;
}

size_t
batch_budget(struct rung_batch *b)
{
	const char		*s;
	unsigned long long	 n;
	char			*end;

	if (b->budget != 0)
		return b->budget;
	b->budget = SPILL_BUDGET;
	if ((s = getenv("RUNG_BATCH_BUDGET")) != NULL && *s != '\0') {
		errno = 0;
		n = strtoull(s, &end, 10);
		if (errno == 0 && end != s) {
			switch (*end) {
			case 'k': case 'K': n <<= 10; end++; break;
			case 'm': case 'M': n <<= 20; end++; break;
			case 'g': case 'G': n <<= 30; end++; break;
			}
		}
		if (errno != 0 || end == s || *end != '\0' || n == 0)
			rung_warn("RUNG_BATCH_BUDGET '%s' is not a size in "
			    "bytes (such as 67108864 or 64M): 64M kept", s);
		else
			b->budget = (size_t)n;
	}
	return b->budget;
}

/*
 * What a row held costs: trial, step and time, a value a column, and the
 * table of rows a file out of order makes.
 */
size_t
batch_row_bytes(const struct rung_batch *b)
{
	return 24 + 8 * (size_t)b->ncols;
}

void
rung_batch_checkpoint(struct rung_batch *b)
{
	/* The spans' table follows the rows held: within the budget too. */
	if ((size_t)b->nrows * batch_row_bytes(b) +
	    b->spansize * sizeof *b->spans >= batch_budget(b))
		batch_spill(b);
}

uint32_t
rung_batch_record(struct rung_batch *b, uint32_t trial, int32_t step)
{
	rung_batch_checkpoint(b);
	return rung_batch_row(b, trial, step);
}

void
batch_spill_free(struct bspill *sp)
{
	uint32_t	 i;

	if (sp == NULL)
		return;
	if (sp->fd != -1)
		close(sp->fd);
	free(sp->error);
	for (i = 0; i < sp->nruns; i++)
		free(sp->runs[i].buf);
	free(sp->runs);
	free(sp->wbuf);
	free(sp->order);
	free(sp->tmp);
	free(sp);
}

static void
spill_fail(struct bspill *sp, const char *what)
{
	if (sp->error == NULL)
		xasprintf(&sp->error, "spill file: %s: %s", what,
		    strerror(errno));
}

static struct bspill *
spill_open(struct rung_batch *b)
{
	struct bspill	*sp;
	char		*path, *cause = NULL;

	if (b->spill != NULL)
		return b->spill;
	sp = b->spill = xcalloc(1, sizeof *sp);
	/* Unlinked at once: nothing is left behind, however rung ends. */
	if (rung_temp_file("rung-import", &path, &sp->fd, &cause) != 0) {
		xasprintf(&sp->error, "spill file: %s", cause);
		free(cause);
	} else {
		unlink(path);
		free(path);
	}
	sp->wbuf = xmalloc(SPILL_WBUF);
	return sp;
}

static void
spill_flush(struct bspill *sp)
{
	size_t	 done = 0;
	ssize_t	 n;

	while (sp->error == NULL && done < sp->wlen) {
		n = pwrite(sp->fd, sp->wbuf + done, sp->wlen - done,
		    sp->size);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			spill_fail(sp, "write");
			break;
		}
		done += (size_t)n;
		sp->size += n;
	}
	sp->wlen = 0;
}

static int
cmp_srow(const void *va, const void *vb)
{
	const struct srow *a = va, *b = vb;

	if (a->trial != b->trial)
		return a->trial < b->trial ? -1 : 1;
	if (a->step != b->step)
		return a->step < b->step ? -1 : 1;
	return a->row < b->row ? -1 : (a->row > b->row);
}

/* The rows held, in order of trial and step: NULL when they are already. */
static struct srow *
run_order(struct rung_batch *b, struct bspill *sp)
{
	uint32_t	 r;

	for (r = 1; r < b->nrows; r++) {
		if (b->rtrial[r] < b->rtrial[r - 1] ||
		    (b->rtrial[r] == b->rtrial[r - 1] &&
		    b->rstep[r] <= b->rstep[r - 1]))
			break;
	}
	if (r >= b->nrows)
		return NULL;	/* the usual file: nothing to sort */
	XGROW(sp->order, sp->ordercap, b->nrows);
	for (r = 0; r < b->nrows; r++) {
		sp->order[r].trial = b->rtrial[r];
		sp->order[r].step = b->rstep[r];
		sp->order[r].row = r;
	}
	qsort(sp->order, b->nrows, sizeof *sp->order, cmp_srow);
	return sp->order;
}

/*
 * Write the rows held as a run and hold none: the arrays keep their room
 * for the next rows.
 */
void
batch_spill(struct rung_batch *b)
{
	struct bspill	*sp = spill_open(b);
	struct brun	*run;
	struct srow	*order;
	unsigned char	*p;
	uint32_t	 i, r, c;
	double		 t;

	if (b->nrows == 0)
		return;
	if (sp->error == NULL) {
		XGROW(sp->runs, sp->runcap, sp->nruns + 1);
		run = &sp->runs[sp->nruns++];
		memset(run, 0, sizeof *run);
		run->off = sp->size;
		run->nrec = b->nrows;
		run->ncols = b->ncols;
		run->recsize = 16 + 8 * (size_t)b->ncols;
		order = run_order(b, sp);
		for (i = 0; i < b->nrows && sp->error == NULL; i++) {
			r = order != NULL ? order[i].row : i;
			if (sp->wlen + run->recsize > SPILL_WBUF)
				spill_flush(sp);
			p = sp->wbuf + sp->wlen;
			memcpy(p, &b->rtrial[r], 4);
			memcpy(p + 4, &b->rstep[r], 4);
			t = b->rtime != NULL ? b->rtime[r] : missing();
			memcpy(p + 8, &t, 8);
			for (c = 0; c < b->ncols; c++)
				memcpy(p + 16 + 8 * (size_t)c,
				    &b->cols[c].v[r], 8);
			sp->wlen += run->recsize;
		}
		spill_flush(sp);
	}
	/* A failed spill is told at finish: the rows are let go anyway. */
	if (b->rtime != NULL)
		b->any_time = 1;
	b->nrows = 0;
	free(b->rhash);
	b->rhash = NULL;
	for (c = 0; c < b->ncols; c++) {
		free(b->cols[c].stale);
		b->cols[c].stale = NULL;
	}
	b->reopened = 0;
	/* No row is held: no step of a trial needs looking up. */
	batch_spans_clear(b);
}

/*
 * Finishing a batch that spilled: the last rows go out as a run too, the
 * arrays are let go (they come back a trial's size), and the runs are set
 * to be read.
 */
int
batch_spill_finish(struct rung_batch *b, char **cause)
{
	struct bspill	*sp;
	struct brun	*run;
	size_t		 per;
	uint32_t	 i, c;

	batch_spill(b);
	sp = b->spill;
	free(sp->wbuf);
	sp->wbuf = NULL;
	if (sp->error != NULL) {
		*cause = xstrdup(sp->error);
		return -1;
	}
	free(b->rtrial);
	b->rtrial = NULL;
	free(b->rstep);
	b->rstep = NULL;
	free(b->rtime);
	b->rtime = NULL;
	for (c = 0; c < b->ncols; c++) {
		free(b->cols[c].v);
		b->cols[c].v = NULL;
	}
	b->rowcap = 0;
	batch_spans_clear(b);
	free(sp->order);
	sp->order = NULL;
	sp->ordercap = 0;

	/* The runs' buffers share the budget, a record each at least. */
	per = batch_budget(b) / 2 / (sp->nruns ? sp->nruns : 1);
	if (per > SPILL_WBUF)
		per = SPILL_WBUF;
	for (i = 0; i < sp->nruns; i++) {
		run = &sp->runs[i];
		run->bufcap = per / run->recsize;
		if (run->bufcap == 0)
			run->bufcap = 1;
		run->buf = xreallocarray(NULL, run->bufcap, run->recsize);
	}
	return 0;
}

/* The run's next record, NULL at its end or on a failure. */
static const unsigned char *
run_head(struct bspill *sp, struct brun *run)
{
	size_t	 want, got = 0;
	ssize_t	 n;
	off_t	 at;

	if (run->bufpos < run->bufn)
		return run->buf + run->bufpos * run->recsize;
	if (run->next >= run->nrec || sp->error != NULL)
		return NULL;
	want = run->nrec - run->next;
	if (want > run->bufcap)
		want = run->bufcap;
	at = run->off + (off_t)(run->next * run->recsize);
	while (got < want * run->recsize) {
		n = pread(sp->fd, run->buf + got, want * run->recsize - got,
		    at + (off_t)got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			spill_fail(sp, "read");
			return NULL;
		}
		got += (size_t)n;
	}
	run->next += want;
	run->bufn = want;
	run->bufpos = 0;
	return run->buf;
}

static void
rewind_runs(struct bspill *sp)
{
	uint32_t	 i;

	for (i = 0; i < sp->nruns; i++) {
		sp->runs[i].next = 0;
		sp->runs[i].bufn = sp->runs[i].bufpos = 0;
	}
}

static void
room(struct rung_batch *b, size_t n)
{
	size_t	 cap = b->rowcap;
	uint32_t c;

	if (n <= b->rowcap)
		return;
	XGROW(b->rstep, cap, n);
	b->rtime = xreallocarray(b->rtime, cap, sizeof *b->rtime);
	if (b->any_time)
		b->secs = xreallocarray(b->secs, cap, sizeof *b->secs);
	for (c = 0; c < b->ncols; c++)
		b->cols[c].v = xreallocarray(b->cols[c].v, cap,
		    sizeof *b->cols[c].v);
	b->rowcap = cap;
}

static int
cmp_step(const void *va, const void *vb)
{
	const struct srow *a = va, *b = vb;

	if (a->step != b->step)
		return a->step < b->step ? -1 : 1;
	return a->row < b->row ? -1 : (a->row > b->row);
}

/*
 * One array of a trial's rows put in step order, each group of rows of
 * one step made one: its last value read (and with count, each value it
 * overwrites a duplicate).
 */
static void
merge_array(struct bspill *sp, double *v, uint32_t n, uint64_t *count)
{
	uint32_t	 i, u = 0;

	for (i = 0; i < n; i++) {
		if (i > 0 && sp->order[i].step == sp->order[i - 1].step) {
			if (is_missing(v[sp->order[i].row]))
				continue;
			if (count != NULL && !is_missing(sp->tmp[u - 1]))
				(*count)++;
			sp->tmp[u - 1] = v[sp->order[i].row];
			continue;
		}
		sp->tmp[u++] = v[sp->order[i].row];
	}
	memcpy(v, sp->tmp, u * sizeof *v);
}

/*
 * Read trial t's rows, from offset 0 of the batch's arrays, merged and in
 * step order; their count. Trials are read in rising order (the runs are
 * read again from their start otherwise). With count, duplicates across
 * runs are counted: once, at finish.
 */
uint32_t
batch_spill_load(struct rung_batch *b, uint32_t t, int count)
{
	struct bspill		*sp = b->spill;
	struct brun		*run;
	const unsigned char	*p;
	uint32_t		 i, c, n = 0, tr, from, u;
	int32_t			 step;
	int			 runs = 0;

	if (sp->loaded == t + 1)
		return b->nrows;
	if (sp->loaded > t + 1)
		rewind_runs(sp);
	for (i = 0; i < sp->nruns; i++) {
		run = &sp->runs[i];
		from = n;
		while ((p = run_head(sp, run)) != NULL) {
			memcpy(&tr, p, 4);
			if (tr > t)
				break;
			run->bufpos++;
			if (tr < t)
				continue;	/* a trial not asked for */
			room(b, (size_t)n + 1);
			memcpy(&step, p + 4, 4);
			b->rstep[n] = step;
			memcpy(&b->rtime[n], p + 8, 8);
			for (c = 0; c < b->ncols; c++) {
				if (c < run->ncols)
					memcpy(&b->cols[c].v[n],
					    p + 16 + 8 * (size_t)c, 8);
				else
					b->cols[c].v[n] = missing();
			}
			n++;
		}
		if (n > from)
			runs++;
	}
	/* Rows of one run are in order and one a step: of several, merge. */
	if (runs > 1) {
		XGROW(sp->order, sp->ordercap, n);
		for (i = 0; i < n; i++) {
			sp->order[i].step = b->rstep[i];
			sp->order[i].row = i;
		}
		qsort(sp->order, n, sizeof *sp->order, cmp_step);
		XGROW(sp->tmp, sp->tmpcap, n);
		for (c = 0; c < b->ncols; c++)
			merge_array(sp, b->cols[c].v, n, count ?
			    &b->cols[c].ndup : NULL);
		merge_array(sp, b->rtime, n, NULL);
		for (i = 0, u = 0; i < n; i++) {
			if (i == 0 || sp->order[i].step !=
			    sp->order[i - 1].step)
				b->rstep[u++] = sp->order[i].step;
		}
		n = u;
	}
	b->nrows = n;
	sp->loaded = t + 1;
	/* Seconds once finish decided how the times count. */
	if (b->any_time && b->tkind != RUNG_TIME_AUTO)
		batch_trial_secs(b, 0, n);
	return n;
}

const char *
rung_batch_failed(const struct rung_batch *b)
{
	return b->spill != NULL ? b->spill->error : NULL;
}

/* After finish's pass: the runs are read again from their start. */
void
batch_spill_reset(struct rung_batch *b)
{
	rewind_runs(b->spill);
	b->spill->loaded = 0;
}
