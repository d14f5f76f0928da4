/*
 * rung's one thread pool: n independent tasks on a number of threads, for
 * the predictor's searches and fits and the multi-seed replays.
 */
#ifndef RUNG_POOL_H
#define RUNG_POOL_H

#include <stdint.h>

/*
 * Run fn(arg, 0..n-1) on up to threads threads (0 or less: one per
 * processor), the calling thread included, and return when every task is
 * done. Tasks are handed out in order, one at a time. fn can tell the
 * calling thread by pthread_self().
 */
void		 rung_pool_run(uint32_t n, int threads,
		     void (*fn)(void *, uint32_t), void *arg);
/*
 * The same, fn also told which of the threads runs the task: 0 (the
 * calling thread) to rung_pool_workers(n, threads) - 1, so that each can
 * keep what its tasks reuse in a slot of its own.
 */
void		 rung_pool_run_workers(uint32_t n, int threads,
		     void (*fn)(void *, uint32_t task, uint32_t worker),
		     void *arg);
/* The threads rung_pool_run would use for n tasks, at least 1. */
uint32_t	 rung_pool_workers(uint32_t n, int threads);

#endif
