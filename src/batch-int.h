/*
 * The insides of a batch (what one import reads, before the store holds
 * it), shared by batch.c (trials, columns, rows and cells, and reading a
 * finished batch), batch-cell.c (the cells of candidate columns),
 * batch-param.c (parameters: set, compared, resolved) and batch-finish.c
 * (rows merged and ordered, candidates, times, statuses and directions
 * decided).
 */
#ifndef RUNG_BATCH_INT_H
#define RUNG_BATCH_INT_H

#include <sys/types.h>

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "rung/batch.h"
#include "rung/import.h"

/*
 * A missing cell is a NaN with a payload no parser produces, so that a NaN
 * read from a file (divergence) and "no value here" stay distinct without
 * a bitmap beside every column.
 */
static const uint64_t MISSING_BITS = 0x7ff4dead0000beefULL;

static inline double
missing(void)
{
	double	 d;

	memcpy(&d, &MISSING_BITS, sizeof d);
	return d;
}

static inline int
is_missing(double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof u);
	return u == MISSING_BITS;
}

static inline int
same_value(double a, double b)
{
	return a == b || (isnan(a) && isnan(b));
}

struct bcolumn {
	char		*name;
	int		 candidate;
	int		 dropped;	/* candidate that became a parameter */
	int		 text;		/* candidate that saw text */
	int		 varies;	/* differs within some trial */
	int		 varied;	/* two numbers read in one trial
					   differ: no first tokens kept */
	int		 varies_text;
	int		 nonint;	/* some token not written as an int */
	uint64_t	 ndup;		/* values overwritten by a later one */
	enum rung_direction dir;	/* declared, else decided at finish */
	enum rung_dir_how how;
	const char	*word;		/* RUNG_DIR_NAME: the word that told */
	double		*v;		/* per row */
	uint64_t	*stale;		/* per row, a bit: v read before the
					   row came again (see reopen_row) */
	/*
	 * A candidate's first token of each trial, once it saw text (before,
	 * its numbers are in the rows, as text only where the number's
	 * shortest decimals would not give it back: odd): offset in ftext
	 * + 1.
	 */
	uint64_t	*first;
	size_t		 firstcap;
	char		*ftext;
	size_t		 ftlen, ftcap;
	uint64_t	*fseen;		/* a bit a trial: its first number */
	size_t		 fseencap;	/* (words) */
	uint32_t	*oddtrial;	/* numbers written otherwise: trial, */
	uint64_t	*oddoff;	/* and offset in ftext */
	size_t		 nodd, oddcap;
	uint64_t	*fval;		/* finish: each trial's first value in
					   its merged rows, a double's bits */
	uint32_t	 ftrial;	/* the trial of the last first number, */
	double		 fnum;		/* and the number */
};

enum { PV_UNSET = 0, PV_INT, PV_REAL, PV_TEXT, PV_TOKEN };

/*
 * A parameter's values, a kind and 8 bytes a trial: the int, the double's
 * bits, or where its text starts in one buffer of the parameter's texts
 * end to end. The three arrays and a string allocated for each text cost
 * 25 bytes a trial more, and the allocator's share of each string besides,
 * which a million trials feel. A text replaced stays in the buffer.
 */
struct bspan {
	uint32_t	 trial;		/* + 1, 0 free */
	int32_t		 lo, hi;
};

struct bparam {
	char		*name;
	int		 declared;
	enum rung_ptype	 type;
	int		 log;
	uint8_t		*kind;		/* per trial */
	uint64_t	*val;		/* per trial */
	size_t		 cap;
	char		*text;
	size_t		 tlen, tcap;
};

/*
 * Where the arrays a batch keeps a trial (ids, statuses, parameters, what
 * candidates keep) live: on the heap within half the budget, past it in a
 * file mapped into memory, whose pages the batch lets go as it goes
 * (batch-mem.c).
 */
struct bhdr;
struct bmem {
	int		 fd;		/* -1 until a block is mapped */
	off_t		 size;
	int		 failed;	/* no file: the heap serves */
	long		 pagesize;
	int		 statm;		/* /proc/self/statm, or -1 */
	size_t		 base;		/* resident file pages after the last
					   let go, bytes */
	size_t		 heap;		/* bytes of blocks on the heap */
	struct bhdr	**maps;
	size_t		 nmaps, mapcap;
	uint32_t	 ticks;
};

struct rung_batch {
	/* Metrics of the study the batch goes into (rung_batch_known). */
	char		**known;
	size_t		 nknown;

	struct rung_batch_source *sources;
	uint32_t	*sfirst;	/* per source: the trials before it */
	uint32_t	 nsources;
	size_t		 sourcecap;

	/*
	 * Trial ids end to end in one buffer, found by offset: a string
	 * allocated for each cost its allocator's header and rounding
	 * besides, about 30 bytes a trial that a million trials feel.
	 */
	size_t		*idoff;
	char		*idtext;
	size_t		 idlen, idcap;
	uint8_t		*status;
	uint32_t	 ntrials;
	size_t		 trialcap;
	uint32_t	*hash;		/* open addressing, trial + 1, 0 free */
	size_t		 hashsize;

	/*
	 * Rows, one per (trial, step): a step read again merges into the
	 * row it has as it arrives, so that what an import holds follows
	 * the points it keeps, not the rows it reads (a file of one row
	 * repeated a billion times is one point). A step outside the span
	 * a trial has seen is new without looking: the usual file, in
	 * order or reversed, never looks a row up. The first step inside
	 * it makes a table of every row by (trial, step), kept from then on.
	 */
	uint32_t	*rtrial;
	int32_t		*rstep;
	double		*rtime;
	uint32_t	 nrows;
	size_t		 rowcap;
	/*
	 * The lowest and highest step of each trial with rows held, in a
	 * table by trial: emptied when the rows spill, so that its size
	 * follows the rows held, not the trials read. The last trial's is
	 * found without looking.
	 */
	struct bspan	*spans;
	size_t		 spansize;	/* a power of 2, or 0 */
	uint32_t	 nspans;
	uint32_t	 spantrial;	/* the last trial's, UINT32_MAX: none */
	size_t		 spanat;
	uint32_t	*rhash;		/* row + 1, 0 free; NULL until needed */
	size_t		 rhashsize;
	int		 reopened;	/* some row came again: stale bits */

	struct bcolumn	*cols;
	uint32_t	 ncols;

	struct bparam	*params;
	uint32_t	 nparams;

	enum rung_time_kind time_kind;
	char		*time_name;
	int		 status_given;	/* some source says a status */

	char		*declared_metric;
	enum rung_direction declared_dir;

	/* The first name refused (rung_name_check), told at finish. */
	char		*bad_name;

	/*
	 * Parameter values given again for a trial, and differently: the
	 * first, told with their count at finish.
	 */
	uint64_t	 nconflicts;
	uint32_t	 conflict_trial;
	uint32_t	 conflict_param;
	uint32_t	 conflict_source;
	char		*conflict_was;
	char		*conflict_now;

	/* After finish. */
	int		 finished;
	uint32_t	*toff;		/* ntrials + 1 into unique rows */
	double		*secs;		/* per unique row, converted */
	uint32_t	*metric_idx;	/* kept columns */
	uint32_t	 nmetrics;
	uint32_t	 interest;
	enum rung_direction direction;
	enum rung_dir_how interest_how;
	uint64_t	 npoints;
	uint64_t	 ndup;
	int32_t		*scratch_steps;
	double		*scratch_vals;
	size_t		 scratchcap;

	/*
	 * Rows past the byte budget go to a spill file (batch-spill.c);
	 * NULL while every row is in memory. After finish a spilled batch
	 * holds one trial's rows at a time, from offset 0.
	 */
	struct bspill	*spill;
	size_t		 budget;	/* bytes of rows held in memory */
	int		 any_time;	/* some row, spilled or not, has one */
	enum rung_time_kind tkind;	/* decided at finish */

	struct bmem	 mem;
};

/*
 * Set a cell of row r; the first value an arrival sets where the row held
 * one (a stale value) is counted as a duplicate.
 */
static inline void
batch_put(struct bcolumn *c, uint32_t r, double v)
{
	uint64_t	 bit = (uint64_t)1 << (r % 64);

	if (c->stale != NULL && (c->stale[r / 64] & bit) != 0) {
		c->stale[r / 64] &= ~bit;
		c->ndup++;
	}
	c->v[r] = v;
}

/* batch-mem.c */
void		 batch_mem_init(struct bmem *);
void		 batch_mem_trim(struct rung_batch *);
void		 batch_mem_release(struct bmem *);

/*
 * Where the batch touches a trial's arrays, as it goes: every 32 touches
 * it lets their mapped pages go once they pass a bound. A touch may map
 * 16 pages (the kernel maps the cached pages around a read fault), so 32
 * touches hold 2 MiB at most between two looks.
 */
static inline void
batch_mem_tick(struct rung_batch *b)
{
	if (b->mem.nmaps != 0 && (++b->mem.ticks & 31) == 0)
		batch_mem_trim(b);
}

/*
 * XGROW for a batch's trial arrays: new elements zero. The test is here,
 * so that the usual touch, which needs no room, costs no call.
 */
#define BGROW(b, ptr, cap, need) do {					\
	if ((size_t)(need) > (cap))					\
		(ptr) = rung_batch_mem_reserve((b), (ptr), &(cap),	\
		    (need), sizeof *(ptr));				\
} while (0)

/* batch.c */
void		 batch_spans_clear(struct rung_batch *);
void		 batch_check_name(struct rung_batch *, const char *what,
		     const char *name);

/* batch-cell.c */
const char	*batch_first(const struct bcolumn *, uint32_t);
void		 batch_first_release(struct rung_batch *, struct bcolumn *);
void		 batch_shortest(double, char *, size_t);

/* batch-spill.c */
size_t		 batch_budget(struct rung_batch *);
size_t		 batch_row_bytes(const struct rung_batch *);
void		 batch_spill(struct rung_batch *);
int		 batch_spill_finish(struct rung_batch *, char **);
uint32_t	 batch_spill_load(struct rung_batch *, uint32_t, int);
void		 batch_spill_free(struct bspill *);
void		 batch_spill_reset(struct rung_batch *);

/* batch-finish.c */
void		 batch_trial_secs(struct rung_batch *, uint32_t, uint32_t);

/* batch-param.c */
/* A parameter value, for comparing two and for messages. */
struct pvalue {
	int		 kind;
	int64_t		 i;
	double		 d;
	const char	*text;
};

void		 batch_param_get(const struct bparam *, uint32_t,
		     struct pvalue *);
void		 batch_resolve_params(struct rung_batch *);

#endif /* RUNG_BATCH_INT_H */
