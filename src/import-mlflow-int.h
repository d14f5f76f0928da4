/*
 * The insides of the MLflow importer, shared by import-mlflow.c (the
 * store: detection, experiments, runs' meta.yaml, units) and
 * import-mlflow-read.c (a run's metrics and params into the batch).
 */
#ifndef RUNG_IMPORT_MLFLOW_INT_H
#define RUNG_IMPORT_MLFLOW_INT_H

#include <stddef.h>
#include <stdint.h>

#include "rung/batch.h"
#include "rung/import.h"

/* A value of a metric file. */
struct mpoint {
	int64_t		 ts;
	double		 v;
	int32_t		 step;
	uint32_t	 col;	/* the metric, in the batch */
	uint8_t		 curve;	/* its metric was logged at several steps */
};

struct mrun {
	char		*dir;
	char		*id;		/* run_id */
	char		*name;		/* run_name or tag mlflow.runName */
	char		*parent;	/* tag mlflow.parentRunId */
	char		*trial;		/* the trial's id */
	enum rung_status status;
	int64_t		 start;
	int		 has_start;
	int		 is_parent;
};

struct mexp {
	char		*dir;
	char		*id;
	char		*name;
	struct mrun	*runs;
	size_t		 nruns;
	size_t		 cap;
	struct rung_batch *b;
	size_t		 ntrials;
};

struct mctx {
	const char	*root;
	const struct rung_import_opts *o;
	char		**cause;
	struct mexp	*exps;
	size_t		 nexps;
	size_t		 expcap;
	struct rung_batch *b;		/* of the experiment being read */
	uint32_t	 t;		/* the trial being read */
	struct mpoint	*pts;		/* the points of the run being read */
	size_t		 npts;
	size_t		 ptcap;
};

int	 ml_err(struct mctx *, const char *path, size_t line,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int	 ml_is_dir(const char *);
int	 ml_is_file(const char *);
/* The names in dir, sorted, without "." and ".." (and dot names if asked). */
char	**ml_list_dir(const char *dir, int dots, size_t *n);
void	 ml_free_list(char **, size_t);
/* A run's params and metrics into c->b, as trial r->trial. */
int	 ml_read_run(struct mctx *, const struct mrun *r);

#endif
