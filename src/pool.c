/*
 * The thread pool: n tasks handed out one at a time by an atomic counter to
 * threads started for the call and joined before it returns. The callers'
 * tasks write only their own results, so what comes out does not depend on
 * how many threads ran or in which order they took the tasks.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "rung/pool.h"
#include "rung/xmalloc.h"

struct pool {
	atomic_uint	 next;
	uint32_t	 n;
	void		(*fn)(void *, uint32_t);
	void		(*wfn)(void *, uint32_t, uint32_t);
	void		*arg;
};

/* A thread of the pool and its number, 0 for the calling thread. */
struct pool_thread {
	struct pool	*p;
	uint32_t	 worker;
};

static void *
pool_main(void *arg)
{
	struct pool_thread	*pt = arg;
	struct pool		*p = pt->p;
	uint32_t		 i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->n) {
		if (p->wfn != NULL)
			p->wfn(p->arg, i, pt->worker);
		else
			p->fn(p->arg, i);
	}
	return NULL;
}

/* The threads asked for, else one per processor; never over 1024. */
static int
thread_count(int threads)
{
	long	 n = threads;

	if (n <= 0) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		if (n < 1)
			return 1;
	}
	return n > 1024 ? 1024 : (int)n;
}

uint32_t
rung_pool_workers(uint32_t n, int threads)
{
	uint32_t	 t = (uint32_t)thread_count(threads);

	if (t > n)
		t = n;
	return t > 0 ? t : 1;
}

/* A thread that cannot be started only means fewer of them. */
static void
pool_run(struct pool *p, int threads)
{
	struct pool_thread	*pt;
	pthread_t		*tid = NULL;
	uint32_t		 t, i, started = 0;

	t = rung_pool_workers(p->n, threads);
	pt = xcalloc(t, sizeof *pt);
	for (i = 0; i < t; i++) {
		pt[i].p = p;
		pt[i].worker = i;
	}
	if (t > 1) {
		tid = xcalloc((size_t)t - 1, sizeof *tid);
		for (i = 0; i < t - 1; i++) {
			if (pthread_create(&tid[i], NULL, pool_main,
			    &pt[i + 1]) != 0)
				break;
			started++;
		}
	}
	pool_main(&pt[0]);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
	free(pt);
}

void
rung_pool_run(uint32_t n, int threads, void (*fn)(void *, uint32_t),
    void *arg)
{
	struct pool	 p;

	atomic_init(&p.next, 0);
	p.n = n;
	p.fn = fn;
	p.wfn = NULL;
	p.arg = arg;
	pool_run(&p, threads);
}

void
rung_pool_run_workers(uint32_t n, int threads,
    void (*fn)(void *, uint32_t, uint32_t), void *arg)
{
	struct pool	 p;

	atomic_init(&p.next, 0);
	p.n = n;
	p.fn = NULL;
	p.wfn = fn;
	p.arg = arg;
	pool_run(&p, threads);
}
