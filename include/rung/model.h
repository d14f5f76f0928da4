/*
 * Trained predictors kept in the store by name (the models table): the
 * feature specification, the SVR settings and libsvm's model with its
 * scalers, so that a model trained on one study predicts another.
 */
#ifndef RUNG_MODEL_H
#define RUNG_MODEL_H

#include <stdint.h>

#include "rung/predict.h"
#include "rung/study.h"

struct rung_store;

struct rung_model {
	char		*name;
	char		*study;		/* trained on */
	char		*metric;
	enum rung_direction direction;
	struct rung_featspec feat;
	struct rung_svr_params svr;	/* gamma resolved */
	struct rung_svr	*fitted;	/* NULL in listings */
	uint32_t	 n_train;
	char		*created;
};

void		 rung_model_free(struct rung_model *);
/* Keep a model; an existing name is an error unless replace. */
int		 rung_model_save(struct rung_store *, const struct rung_model *,
		     int replace, char **cause);
/*
 * Load the model called name, or with name NULL the newest model trained
 * on study.
 */
int		 rung_model_load(struct rung_store *, const char *name,
		     const char *study, struct rung_model **, char **cause);
/* Every model, without its fitted part, newest last. */
int		 rung_model_list(struct rung_store *, struct rung_model ***,
		     size_t *, char **cause);

const char	*rung_features_name(enum rung_features);
int		 rung_features_parse(const char *);	/* -1 if unknown */

#endif
