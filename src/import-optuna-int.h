/*
 * The insides of the Optuna importer, shared by import-optuna.c (the entry
 * and the assembly of studies and trials into batches),
 * import-optuna-values.c (Python's value rules and the distributions),
 * import-optuna-rdb.c (the RDB storage) and import-optuna-journal.c (the
 * JournalStorage file).
 */
#ifndef RUNG_IMPORT_OPTUNA_INT_H
#define RUNG_IMPORT_OPTUNA_INT_H

#include <stdint.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"

/* Distributions. */
enum odkind {
	OD_FLOAT,
	OD_INT,
	OD_CAT,
};

/* A categorical choice, typed as Python compares them. */
enum ochtype {
	CH_NONE,
	CH_BOOL,
	CH_INT,
	CH_FLOAT,
	CH_STR,
};

struct ochoice {
	enum ochtype	 type;
	double		 d;		/* bool, int and float */
	char		*text;		/* Python's str() */
};

struct odist {
	char		*cls;		/* its class name */
	enum odkind	 kind;
	int		 log;
	struct ochoice	*choices;
	uint32_t	 nchoices;
};

/* Strings interned to small integers: parameter names, distributions. */
struct intern {
	char		**s;
	uint32_t	 n;
	size_t		 cap;
	uint32_t	*hash;		/* index + 1, 0 free */
	size_t		 hsize;
};

/* One Optuna study being read. */
struct ostudy {
	int64_t		 id;		/* study_id */
	char		*name;
	int		 deleted;	/* journal */
	enum rung_direction *dirs;	/* per objective, 0 for NOT_SET */
	uint32_t	 ndirs;
	int		 selected;

	struct rung_batch *b;
	uint32_t	*vcol;		/* metric of each objective */
	uint32_t	 icol;		/* "intermediate" (has_inter) */
	int		 has_inter;
	uint32_t	 ntrials;
	uint32_t	*pcol;		/* per interned name: param + 1 */
	size_t		 npcol;

	/* Journal: per interned name, the first trial holding it, + 1. */
	uint32_t	*pfirst;
	size_t		 npfirst;
	uint32_t	*jtrials;	/* trial ids, in number order */
	uint32_t	 njtrials;
	size_t		 jtrialcap;
};

struct octx {
	const char	*path;
	const struct rung_import_opts *o;
	char		**cause;

	struct ostudy	*studies;
	size_t		 nstudies;
	size_t		 studycap;

	struct intern	 names;		/* parameter names */
	struct intern	 dtext;		/* distribution texts */
	struct odist	*dists;		/* parallel to dtext */
	size_t		 distcap;

	/* Scratch for one trial's intermediate values. */
	int32_t		*steps;
	double		*ivals;
	size_t		 icap;

	/*
	 * A followed journal's replay, to keep once its batches are made
	 * (opt_journal_keep); NULL when there is none to keep.
	 */
	struct jkeep	*keep;
};

/* import-optuna.c */
int		 opt_err(struct octx *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
struct ostudy	*opt_study_add(struct octx *, int64_t id, const char *name);
void		 opt_study_add_dir(struct ostudy *, uint32_t objective,
		     enum rung_direction);
int		 opt_select_studies(struct octx *);
int		 opt_study_begin(struct octx *, struct ostudy *,
		     const char *digest, uint64_t size, int journal);
uint32_t	 opt_study_trial(struct ostudy *, int64_t number,
		     enum rung_status);
int		 opt_put_param(struct octx *, struct ostudy *, uint32_t t,
		     int64_t number, uint32_t name, double internal,
		     uint32_t di);
void		 opt_put_points(struct ostudy *, uint32_t t,
		     const int32_t *steps, const double *ivals, uint32_t n,
		     const double *vals, const uint8_t *vset);
void		 opt_scratch_grow(struct octx *, size_t n);
void		 opt_study_release(struct ostudy *);
/*
 * What a reading replayed (the studies, parameter names, distributions):
 * let go, or moved from one context to another (a followed journal's keep).
 */
void		 opt_replay_release(struct octx *);
void		 opt_replay_move(struct octx *to, struct octx *from);

/* import-optuna-values.c */
uint32_t	 opt_intern(struct intern *, const char *);
void		 opt_intern_free(struct intern *);
void		 opt_dist_free(struct odist *);
int		 opt_dist_get(struct octx *, const char *text, uint32_t *out,
		     char **err);
int		 opt_dist_compatible(const struct odist *,
		     const struct odist *);

/* import-optuna-rdb.c */
int		 opt_read_rdb(struct octx *, const char *digest, uint64_t size);

/* import-optuna-journal.c */
int		 opt_read_journal(struct octx *, const char *digest,
		     uint64_t size);
/*
 * After the batches of a followed journal are made (ok) or failed: what
 * was replayed is kept for the next increment, or let go.
 */
void		 opt_journal_keep(struct octx *, int ok);

#endif /* RUNG_IMPORT_OPTUNA_INT_H */
