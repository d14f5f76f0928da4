/*
 * The in-memory study: what replays, fits and views read, thousands of times
 * over. It is columnar and compact: all points of a metric live in one float
 * array and one step array, a trial is a range [off[t], off[t + 1]) of them,
 * and no point is allocated on its own.
 */
#ifndef RUNG_STUDY_H
#define RUNG_STUDY_H

#include <stdint.h>
#include <stddef.h>

enum rung_direction {
	RUNG_MIN = 1,
	RUNG_MAX = 2,
};

enum rung_status {
	RUNG_COMPLETE = 0,
	RUNG_STOPPED,
	RUNG_FAILED,
	RUNG_RUNNING,
	RUNG_NSTATUS
};

enum rung_ptype {
	RUNG_PREAL = 0,
	RUNG_PINT,
	RUNG_PCAT,
};

const char	*rung_status_name(enum rung_status);
/* Map a status word of any tool (COMPLETE, done, PRUNED, error...); -1 if unknown. */
int		 rung_status_parse(const char *);
/* "a status (complete, completed, ...; stopped, ...)": for messages. */
const char	*rung_status_expected(void);
const char	*rung_direction_name(enum rung_direction);
int		 rung_direction_parse(const char *);	/* min/max/minimize...; 0 if not */
/*
 * Whether lower or higher is better, from the word parts of a metric's name
 * (val_acc, trainLoss): 1 with *out (and *word, the word that told), or 0
 * when no word tells.
 */
int		 rung_direction_infer(const char *metric,
		     enum rung_direction *out, const char **word);
/* The same, min when no word tells. */
enum rung_direction rung_direction_guess(const char *metric);
/* The words that tell d, for messages and the manual: "acc, accuracy, ...". */
const char	*rung_direction_words(enum rung_direction d);
const char	*rung_ptype_name(enum rung_ptype);

/* One hyperparameter across all trials. */
struct rung_param {
	char		*name;
	enum rung_ptype	 type;
	int		 log;
	double		*num;		/* real and int: value per trial, NaN if unset */
	uint32_t	*cat;		/* categorical: level per trial, UINT32_MAX if unset */
	/*
	 * categorical: distinct values in first-seen order, or in numeric
	 * order when every one is a number (numeric set): 16 before 128.
	 */
	char		**levels;
	uint32_t	 nlevels;
	int		 numeric;
};

/* One metric across all trials. */
struct rung_curves {
	char		*name;
	uint32_t	*off;		/* ntrials + 1 offsets */
	int32_t		*steps;		/* off[ntrials] steps */
	float		*vals;		/* off[ntrials] values; NaN/inf kept */
	/*
	 * Exact (float64) value at the last step and best finite value of
	 * each trial, NaN when none: listings show what the file said, not
	 * its float32 copy.
	 */
	double		*final;
	double		*best;
	/*
	 * A study read light (rung_store_load_light): the last step of each
	 * trial, from its curve's summary, for its points are read only for
	 * the trials asked for; NULL in a study read whole.
	 */
	int32_t		*last;
	enum rung_direction direction;	/* of this metric: what best means */
};

struct rung_study {
	int64_t		 id;		/* in the store */
	int64_t		 rev;		/* the store's studies.rev when read */
	char		*name;
	char		*source;
	enum rung_direction direction;

	uint32_t	 ntrials;
	char		**ids;		/* external trial ids */
	int64_t		*trial_rowid;	/* trial id in the store */
	uint8_t		*status;	/* enum rung_status */

	struct rung_curves curve;	/* the metric of interest */
	float		*secs;		/* seconds per point of curve, NaN unknown; NULL if none */

	uint32_t	 nparams;
	struct rung_param *params;

	int32_t		 max_step;
};

void		 rung_study_free(struct rung_study *);
/*
 * Merge p, the trials that changed since s was read (rung_store_load_changed,
 * same metric), into s: a trial of p takes the place of s's trial of the
 * same row id, or its place in row id order when new. map, when not NULL,
 * gets s's old ntrials entries: the new index of each old trial. 0, or 1
 * when p has a parameter s lacks or a type differs (then s is unchanged:
 * read the study whole).
 */
int		 rung_study_patch(struct rung_study *s, struct rung_study *p,
		     uint32_t **map);

static inline uint32_t
rung_curve_len(const struct rung_study *s, uint32_t t)
{
	return s->curve.off[t + 1] - s->curve.off[t];
}

/* Last step reached by trial t (0 if it has no point). */
int32_t		 rung_trial_last_step(const struct rung_study *, uint32_t t);
/* Value at the last step; NaN if none. */
double		 rung_trial_final(const struct rung_study *, uint32_t t);
/* Best finite value by the study's direction; NaN if none. */
double		 rung_trial_best(const struct rung_study *, uint32_t t);
/* Trial index by external id, or -1. */
int64_t		 rung_study_find_trial(const struct rung_study *, const char *id);
/* Parameter index by name, or -1. */
int		 rung_study_find_param(const struct rung_study *, const char *name);
/*
 * Put the levels of a categorical parameter in numeric order when every
 * one is a number, renumbering its ntrials values; sets p->numeric.
 */
void		 rung_param_order_levels(struct rung_param *, uint32_t ntrials);
/* Order of two levels: numeric when p->numeric, else byte order. */
int		 rung_level_cmp(const struct rung_param *, uint32_t a,
		     uint32_t b);
/* 1 if a is better than b under the direction (NaN is worst). */
int		 rung_better(enum rung_direction, double a, double b);

#endif
