/*
 * TEMPORARY (branch optuna-mo only): a stand-in for the lead's
 * rung_batch_metric_direction() until it lands in main; it records nothing.
 * Weak, so the real one in batch.c wins. Delete this file, its line in
 * Makefile.am and the prototype in import-optuna.c at the merge.
 */
#include "config.h"

#include <stdint.h>

#include "rung/batch.h"

void	rung_batch_metric_direction(struct rung_batch *, uint32_t,
	    enum rung_direction) __attribute__((weak));

void
rung_batch_metric_direction(struct rung_batch *b, uint32_t metric,
    enum rung_direction d)
{
	(void)b;
	(void)metric;
	(void)d;
}
