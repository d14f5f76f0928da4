/*
 * The models table of the store (man/rung.5): one kept predictor a row,
 * its feature spec and SVR settings as JSON and its fitted model as the
 * text of rung_svr_save. model.c turns a row into a struct rung_model and
 * back; the SQL is here.
 */
#ifndef RUNG_STORE_MODEL_H
#define RUNG_STORE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "rung/predict.h"
#include "rung/study.h"

struct rung_store;

struct rung_model_row {
	char		*name;
	char		*study;		/* trained on */
	char		*metric;
	enum rung_direction direction;
	enum rung_features features;
	int32_t		 prefix;
	int32_t		 target;
	char		*spec;		/* JSON: the Baker parameter encoding */
	char		*svr;		/* JSON: the SVR settings */
	char		*model;		/* rung_svr_save; NULL in listings */
	size_t		 model_len;
	uint32_t	 n_train;
	char		*created;	/* set by the store */
};
void		 rung_model_row_release(struct rung_model_row *);

/* Keep a row; an existing name is an error unless replace. */
int		 rung_store_model_put(struct rung_store *,
		     const struct rung_model_row *, int replace, char **cause);
/*
 * The row of the model called name, or with name NULL of the newest model
 * trained on study: 0 found, 1 no such model, -1 error.
 */
int		 rung_store_model_get(struct rung_store *, const char *name,
		     const char *study, struct rung_model_row *, char **cause);
/* Every row without its model, oldest first. */
int		 rung_store_model_list(struct rung_store *,
		     struct rung_model_row **, size_t *, char **cause);

#endif
