/*
 * The insides of the CSV importers, shared by import-csv-read.c (the
 * record reader over libcsv and zlib), import-csv.c (the header, layout
 * detection, cells, what both layouts share), import-csv-long.c and
 * import-csv-wide.c (one layout each).
 */
#ifndef RUNG_IMPORT_CSV_INT_H
#define RUNG_IMPORT_CSV_INT_H

#include <stddef.h>
#include <stdint.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"

/* Longest cell text quoted back in an error message. */
#define SHOW_MAX	40

/* One field of the current record, in the reader's arena. */
struct field {
	size_t		 off;
	size_t		 len;
	long		 line;	/* physical line the field starts on */
};

struct csvpipe;

/*
 * A record-at-a-time reader over libcsv. Line numbers are exact: libcsv
 * (with CSV_REPALL_NL) hands every unquoted CR and LF to the row callback,
 * and line ends inside quoted fields are counted in the field callback.
 */
struct reader {
	const char	*path;
	char		**cause;
	int		(*record)(struct reader *, void *);
	void		*arg;

	long		 line;		/* line of the next byte */
	int		 cr;		/* the last line end was a CR */
	long		 recline;	/* line the current record starts on */

	struct field	*f;
	size_t		 nf;
	size_t		 fcap;
	char		*text;
	size_t		 tlen;
	size_t		 tcap;

	int		 failed;	/* the handler set *cause */
	int		 done;		/* the handler wants no more records */

	/*
	 * threaded: the file is parsed on a thread of its own while this
	 * one runs the handler on what it parsed (import-csv-read.c). The
	 * parser then keeps many records in its arena, the current one
	 * from field f0 and byte t0; else f0 and t0 stay 0.
	 */
	int		 threaded;
	size_t		 f0;
	size_t		 t0;
	struct csvpipe	*pipe;

	/* Where set, the digest of every byte, whole once all were read. */
	struct rung_digest *digest;
	int		 whole;
};

static inline const char *
fld(const struct reader *r, size_t i)
{
	return r->text + r->f[i].off;
}

/* Whether every field of the record is empty: ",,," is a blank line too. */
static inline int
record_blank(const struct reader *r)
{
	size_t	 i;

	for (i = 0; i < r->nf; i++) {
		if (r->f[i].len != 0)
			return 0;
	}
	return 1;
}

/* The header: column names, held after the reader moves on. */
struct header {
	char		**names;
	size_t		  n;
	long		  line;
};

/* The last status word and what it meant: a column repeats one word. */
struct status_cache {
	char		 word[32];
	int		 status;
};

/*
 * Per-trial "seen" flags of a parameter column, first value wins: a bit a
 * trial, in the batch's memory for trials.
 */
struct seen {
	uint64_t	*v;
	size_t		 cap;		/* words */
};

/* What each column of a file is for. */
enum role {
	R_SKIP = 0,
	R_TRIAL,
	R_STEP,
	R_TIME,
	R_STATUS,
	R_PARAM,	/* first non-empty value of each trial */
	R_METRIC,	/* a number, or an error */
	R_IMPLIED,	/* a metric made on its first cell, text leaves it out */
	R_CAND,		/* decided by the batch at finish */
	R_CURVE,	/* wide: one point of a curve */
	R_ARRAY,	/* wide: a list in each cell, curves of its own */
	R_LABELS,	/* wide: names of the innermost values of a list */
	R_STEPS,	/* wide: the list of steps of the row's lists */
};

struct col {
	enum role	 role;
	uint32_t	 idx;		/* metric, candidate or parameter */
	int		 made;		/* R_IMPLIED: the metric exists */
	int		 text;		/* R_CAND: some cell is not a number */
	struct seen	 seen;		/* R_PARAM, R_CAND: trials seen */
	uint32_t	 slot;		/* R_CURVE: step slot; R_ARRAY: its
					   R_LABELS column, or UINT32_MAX */
	int32_t		 step;		/* R_CURVE */
};

struct csvimp {
	struct rung_batch *b;
	const struct rung_import_opts *o;
	const char	*path;
	char		**cause;

	struct header	 h;
	int		 have_header;
	struct col	*cols;

	int		 trial_col;	/* -1: one trial, or the row index */
	int		 step_col;
	int		 status_col;
	char		*stem;		/* long: the trial without a column */
	uint32_t	 nrecords;	/* data rows read */

	/* The trial of the previous row: rows of a trial come together. */
	char		*last_id;
	size_t		 last_len;
	size_t		 last_cap;
	uint32_t	 last_trial;
	int		 have_last;

	struct status_cache sc;

	/* Wide: the row of each step slot in the current record. */
	uint32_t	*slotrow;
	uint32_t	 nslots;
	int		 ngroups;	/* groups of indexed columns */
	uint8_t		*skip;		/* wide: 1 left out, 2 --params */
	int		 roles_done;	/* wide: the first row decided */

	/* Wide: lists in cells, and parameters joined from --configs. */
	struct {
		int		 any;		/* some column is R_ARRAY */
		int		 steps_col;	/* R_STEPS, or -1 */
		int		 join_col;	/* --join here, or -1 */
		int32_t		*steps;		/* of the current row */
		size_t		 nsteps;
		size_t		 stepcap;
		struct csvkey {
			uint32_t trial;
			char	*key;
		}		*keys;		/* each trial's --join value */
		size_t		 nkeys;
		size_t		 keycap;
		struct rung_buf	 name;		/* scratch: a metric's name */
	} arr;
};

/* import-csv-read.c */
int		 csv_read(struct reader *, int progress);
void		 csv_reader_release(struct reader *);
int		 csv_cell_error(const char *path, char **cause,
		     const struct field *, const char *text, const char *col,
		     const char *expected);

/* import-csv.c */
extern const char *csv_step_names[];
extern const char *csv_time_names[];
extern const char *csv_status_names[];
int		 csv_header_dups(const struct header *, const char *path,
		     char **cause);
int		 csv_in_list(const char *name, const char *const *list);
int		 csv_in_opts_list(const char *name, char *const *list,
		     size_t n);
int		 csv_time_like(const char *name);
int		 csv_pick_column(const struct header *, const char *named,
		     const char *flag, const char *const *list,
		     int list_order, const uint8_t *skip, const char *path,
		     int *col, char **cause);
int		 csv_split_indexed(const char *name, size_t *plen,
		     int32_t *index);
int		 csv_find_groups(const struct header *,
		     const char *curve_prefix, const uint8_t *skip,
		     int *group);
int		 csv_parse_number(const char *s, size_t len, double *out);
uint32_t	 csv_trial_of(struct csvimp *, const char *id, size_t len);
void		 csv_warn_unnamed(const struct csvimp *, size_t i);
int		 csv_record_begin(struct csvimp *, struct reader *,
		     int (*header)(struct csvimp *), int *ret);
int		 csv_trial_cell(struct csvimp *, struct reader *,
		     uint32_t *trial);
int		 csv_status_cell(struct csvimp *, const struct field *,
		     const char *s, const char *name, uint32_t trial);
int		 csv_import(struct rung_batch *, const char *path,
		     const struct rung_import_opts *, char **cause,
		     int (*record)(struct reader *, void *),
		     int (*finish)(struct csvimp *));

/* import-csv-array.c */
int		 csv_array_roles(struct csvimp *, struct reader *);
int		 csv_array_record(struct csvimp *, struct reader *,
		     uint32_t trial);
int		 csv_join_configs(struct csvimp *);
void		 csv_array_release(struct csvimp *);

#endif /* RUNG_IMPORT_CSV_INT_H */
