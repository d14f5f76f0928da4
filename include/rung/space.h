/*
 * Search spaces of rung launch: a text file, one parameter a line,
 *
 *	name uniform LOW HIGH		a real in [LOW, HIGH)
 *	name loguniform LOW HIGH	a real, uniform in log, 0 < LOW
 *	name int LOW HIGH		an integer in [LOW, HIGH]
 *	name logint LOW HIGH		an integer, uniform in log, 1 <= LOW
 *	name choice A B C ...		one of the words
 *
 * with # comments (man 5 rung). Configurations are drawn from it by index:
 * configuration k of a seed is the same whatever came before it, so a
 * campaign resumed after a crash draws what it would have drawn.
 */
#ifndef RUNG_SPACE_H
#define RUNG_SPACE_H

#include <stdint.h>
#include <stddef.h>

#include <json-c/json.h>

#include "rung/study.h"

enum rung_space_kind {
	RUNG_SPACE_UNIFORM = 0,
	RUNG_SPACE_LOGUNIFORM,
	RUNG_SPACE_INT,
	RUNG_SPACE_LOGINT,
	RUNG_SPACE_CHOICE,
};

struct rung_space_param {
	char		*name;
	enum rung_space_kind kind;
	double		 low;		/* uniform, loguniform */
	double		 high;
	int64_t		 ilow;		/* int, logint */
	int64_t		 ihigh;
	char		**choices;	/* choice */
	uint32_t	 nchoices;
	uint32_t	 line;		/* where it was defined */
};

struct rung_space {
	char		*path;
	struct rung_space_param *params;
	uint32_t	 nparams;
};

/*
 * Parse the text of a space file (path names it in messages). -1 with
 * *cause "PATH:LINE: field N ('word'): reason" on an error.
 */
int		 rung_space_parse(const char *path, const char *text,
		     size_t len, struct rung_space **, char **cause);
/* Read and parse a file. */
int		 rung_space_load(const char *path, struct rung_space **,
		     char **cause);
void		 rung_space_free(struct rung_space *);
const char	*rung_space_kind_name(enum rung_space_kind);
/* Index of a parameter by name, or -1. */
int		 rung_space_find(const struct rung_space *, const char *name);

/* One value of a configuration, typed as the study stores it. */
struct rung_pvalue {
	enum rung_ptype	 type;
	int		 log;		/* drawn on a log scale */
	double		 d;		/* real */
	int64_t		 i;		/* int */
	char		*s;		/* categorical */
};

/* A configuration: a value per named parameter. */
struct rung_config {
	uint32_t	 n;
	char		**names;
	struct rung_pvalue *v;
};

/* Draw configuration index of seed; release it with rung_config_release. */
void		 rung_space_sample(const struct rung_space *, uint64_t seed,
		     uint64_t index, struct rung_config *);
void		 rung_config_release(struct rung_config *);
void		 rung_config_copy(struct rung_config *dst,
		     const struct rung_config *src);
/* A value as text, as {name} in the command's arguments is replaced. */
char		*rung_pvalue_text(const struct rung_pvalue *);
/*
 * A value as JSON: numbers as numbers, a choice that reads as a number as
 * that number, other words as strings.
 */
json_object	*rung_pvalue_json(const struct rung_pvalue *);
/* {"name": value, ...} in order, as RUNG_PARAMS holds it (allocated). */
char		*rung_config_json(const struct rung_config *);
/* The configuration from RUNG_PARAMS-style JSON; -1 with *cause. */
int		 rung_config_from_json(const char *, struct rung_config *,
		     char **cause);

#endif
