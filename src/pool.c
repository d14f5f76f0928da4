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
	void		*arg;
};

static void *
pool_main(void *arg)
{
	struct pool	*p = arg;
	uint32_t	 i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->n)
		p->fn(p->arg, i);
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

/* A thread that cannot be started only means fewer of them. */
void
rung_pool_run(uint32_t n, int threads, void (*fn)(void *, uint32_t),
    void *arg)
{
	struct pool	 p;
	pthread_t	*tid = NULL;
	int		 t, i, started = 0;

	atomic_init(&p.next, 0);
	p.n = n;
	p.fn = fn;
	p.arg = arg;
	t = thread_count(threads);
	if ((uint32_t)t > n)
		t = (int)n;
	if (t > 1) {
		tid = xcalloc((size_t)t - 1, sizeof *tid);
		for (i = 0; i < t - 1; i++) {
			if (pthread_create(&tid[i], NULL, pool_main, &p) != 0)
				break;
			started++;
		}
	}
	pool_main(&p);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
}
