/*
 * The insides of the Ray Tune importer, shared by import-raytune.c (the
 * experiment: folders, state files, result.json, statuses) and
 * import-raytune-progress.c (progress.csv, read when result.json is
 * missing or empty).
 */
#ifndef RUNG_IMPORT_RAYTUNE_INT_H
#define RUNG_IMPORT_RAYTUNE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "rung/batch.h"
#include "rung/import.h"

/* A trial of the experiment state file. */
struct rstate {
	char			*id;
	char			*status;	/* TERMINATED, ERROR, ... */
	char			*folder;	/* relative_logdir, or NULL */
	struct json_object	*config;	/* a reference we hold */
	int			 used;		/* a folder was matched to it */
};

/* What the status rule needs to know of a trial once all are read. */
struct rtrial {
	uint32_t	 t;		/* in the batch */
	int		 state;		/* index into the state, -1 if none */
	int		 has_error;	/* error.txt */
	uint32_t	 nrows;
	int		 done;		/* the last result's "done" */
	int32_t		 last;		/* largest x */
};

struct rctx {
	struct rung_batch	*b;
	const struct rung_import_opts *o;
	const char		*dir;
	char			**cause;
	const char		*xkey;
	struct json_tokener	*tok;

	char			*statepath;
	struct rstate		*st;
	size_t			 nst;

	struct rtrial		*tr;
	size_t			 ntr;
	size_t			 trcap;

	char			**mname;	/* metric columns met so far */
	uint32_t		*mcol;
	size_t			 nm;
	size_t			 mcap;

	struct rung_buf		 name;		/* flattened name being built */
	int			 time_told;

	/* The folder being read. */
	const char		*folder;
	const char		*path;		/* the file being read */
	int			 curstate;	/* its state entry, or -1 */
	struct rtrial		*cur;		/* NULL before its first result */
	int			 haverow;
	uint32_t		 row;
	int32_t			 x;
	struct json_object	*rowconfig;	/* config of the first result */
};

/* import-raytune.c */
uint32_t	 rt_metric_col(struct rctx *, const char *name);
void		 rt_need_trial(struct rctx *, const char *rowid);
uint32_t	 rt_need_row(struct rctx *);
void		 rt_set_time(struct rctx *, double secs);
void		 rt_result_done(struct rctx *, int done);
int		 rt_is_bookkeeping(const char *key);

/* import-raytune-progress.c */
int		 rt_read_progress(struct rctx *, size_t *nresults);

#endif /* RUNG_IMPORT_RAYTUNE_INT_H */
