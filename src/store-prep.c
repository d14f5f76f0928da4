/*
 * What writing a batch needs of each trial before SQLite sees it: its
 * digest, and its curves and seconds packed as blobs with their summaries.
 * For a long import that is as much work as the inserts (reading spilled
 * rows back, CRC-32 and Adler-32 over every point, packing), so a thread
 * does it a block of trials ahead of the writer, which only binds.
 *
 * The writer asks for its trials in order (store_prep_trial). Only this
 * thread reads rows of the batch (rung_batch_curve and rung_batch_times
 * share its scratch and its spill file); what the writer reads of it
 * (ids, statuses, sources, parameters) is not changed after finish.
 */

#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rung/batch.h"
#include "rung/store.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "store-int.h"

#define NSLOTS		3
#define SLOT_TRIALS	1024
#define SLOT_BYTES	(4 << 20)	/* of blobs, past one trial's */

struct slot {
	uint32_t	 t0;		/* its first trial */
	uint32_t	 nt;
	struct store_prep_trial *tr;
	struct store_prep_curve *c;
	size_t		 nc, ccap;
	unsigned char	*blob;
	size_t		 blen, bcap;
	int		 full;		/* prepared, not yet written */
};

struct store_prep {
	struct rung_batch *b;
	uint32_t	 ntrials;
	uint32_t	 nmetrics;
	uint32_t	 nparams;

	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	pthread_t	 th;
	int		 threaded;	/* else prepared on demand */
	int		 stop;		/* the writer gave up */
	struct slot	 s[NSLOTS];
	uint32_t	 fill;		/* slots prepared, in all */
	uint32_t	 take;		/* the slot the writer reads */
	int		 have;		/* the writer holds that slot */
};

static int
contiguous(const int32_t *steps, uint32_t n)
{
	uint32_t	 i;

	for (i = 1; i < n; i++) {
		if (steps[i] != steps[0] + (int32_t)i)
			return 0;
	}
	return 1;
}

/* Points packed at the end of the slot's blob: steps unless contiguous. */
static void
pack(struct slot *sl, const int32_t *steps, const double *vals, uint32_t n,
    size_t *soff, size_t *voff)
{
	XGROW(sl->blob, sl->bcap, sl->blen + (size_t)n * 12 + 1);
	if (contiguous(steps, n))
		*soff = SIZE_MAX;
	else {
		*soff = sl->blen;
		rung_pack_i32(steps, n, sl->blob + sl->blen);
		sl->blen += 4 * (size_t)n;
	}
	*voff = sl->blen;
	rung_pack_f64(vals, n, sl->blob + sl->blen);
	sl->blen += 8 * (size_t)n;
}

/*
 * Trial t into the slot. The digest hashes what the trial holds (status,
 * parameters, points of every metric, seconds) in that order: a follower
 * that reads a source again writes only the trials whose digest changed.
 */
static void
prep_trial(struct store_prep *p, struct slot *sl, uint32_t t)
{
	struct rung_digest h;
	struct store_prep_trial *tr = &sl->tr[sl->nt++];
	struct store_prep_curve *c;
	struct rung_batch_value pv;
	const int32_t	*steps;
	const double	*vals;
	const char	*name;
	uint32_t	 i, n;
	uint8_t		 st = (uint8_t)rung_batch_trial_status(p->b, t);

	/*
	 * A trial's digest is made as a source's (rung_digest: CRC-32 and
	 * Adler-32 of its bytes, zlib's); the two make 64 bits.
	 */
	memset(tr, 0, sizeof *tr);
	rung_digest_init(&h);
	rung_digest_add(&h, &st, 1);
	for (i = 0; i < p->nparams; i++) {
		rung_batch_trial_param(p->b, t, i, &pv);
		if (!pv.set)
			continue;
		name = rung_batch_param_name(p->b, i);
		rung_digest_add(&h, name, strlen(name) + 1);
		rung_digest_add(&h, &pv.type, sizeof pv.type);
		if (pv.type == RUNG_PCAT)
			rung_digest_add(&h, pv.text, strlen(pv.text) + 1);
		else if (pv.type == RUNG_PINT)
			rung_digest_add(&h, &pv.i, sizeof pv.i);
		else
			rung_digest_add(&h, &pv.d, sizeof pv.d);
	}
	tr->c0 = sl->nc;
	for (i = 0; i < p->nmetrics; i++) {
		if ((n = rung_batch_curve(p->b, t, i, &steps, &vals)) == 0)
			continue;
		name = rung_batch_metric_name(p->b, i);
		rung_digest_add(&h, name, strlen(name) + 1);
		rung_digest_add(&h, &n, sizeof n);
		rung_digest_add(&h, steps, n * sizeof *steps);
		rung_digest_add(&h, vals, n * sizeof *vals);
		tr->npoints += n;

		XGROW(sl->c, sl->ccap, sl->nc + 1);
		c = &sl->c[sl->nc++];
		c->metric = i;
		c->n = n;
		c->first = steps[0];
		c->last = steps[n - 1];
		store_curve_summary(vals, NULL, n, &c->sum[0], &c->sum[1],
		    &c->sum[2]);
		pack(sl, steps, vals, n, &c->soff, &c->voff);
	}
	tr->nc = sl->nc - tr->c0;
	if ((n = rung_batch_times(p->b, t, &steps, &vals)) > 0) {
		rung_digest_add(&h, "\0secs", 6);
		rung_digest_add(&h, steps, n * sizeof *steps);
		rung_digest_add(&h, vals, n * sizeof *vals);
		tr->secs.n = n;
		tr->secs.first = steps[0];
		pack(sl, steps, vals, n, &tr->secs.soff, &tr->secs.voff);
	}
	tr->digest = (uint64_t)(h.crc & 0xffffffffUL) << 32 |
	    (uint64_t)(h.adl & 0xffffffffUL);
}

/* The slot for trials from t0 on: a block of them, or fewer bytes' worth. */
static void
prep_slot(struct store_prep *p, struct slot *sl, uint32_t t0)
{
	uint32_t	 t;

	sl->t0 = t0;
	sl->nt = 0;
	sl->nc = 0;
	sl->blen = 0;
	if (sl->tr == NULL)
		sl->tr = xcalloc(SLOT_TRIALS, sizeof *sl->tr);
	for (t = t0; t < p->ntrials && sl->nt < SLOT_TRIALS &&
	    sl->blen < SLOT_BYTES; t++)
		prep_trial(p, sl, t);
}

static void *
prep_main(void *arg)
{
	struct store_prep *p = arg;
	struct slot	*sl;
	uint32_t	 t = 0;

	while (t < p->ntrials) {
		sl = &p->s[p->fill % NSLOTS];
		pthread_mutex_lock(&p->mu);
		while (sl->full && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		pthread_mutex_unlock(&p->mu);
		prep_slot(p, sl, t);
		t += sl->nt;
		pthread_mutex_lock(&p->mu);
		sl->full = 1;
		p->fill++;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

struct store_prep *
store_prep_start(struct rung_batch *b)
{
	struct store_prep *p = xcalloc(1, sizeof *p);
	struct rung_batch_view v;

	rung_batch_view(b, &v);
	p->b = b;
	p->ntrials = v.ntrials;
	p->nmetrics = v.nmetrics;
	p->nparams = v.nparams;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	/* A few trials are not worth a thread; nor is one that will not start. */
	p->threaded = v.ntrials > SLOT_TRIALS &&
	    rung_thread_start(&p->th, prep_main, p) == 0;
	return p;
}

/*
 * Trial t, prepared; the trials are asked for in order, from 0. What it
 * points into stays until trial t + 1 is asked for.
 */
const struct store_prep_trial *
store_prep_trial(struct store_prep *p, uint32_t t, const unsigned char **blob,
    const struct store_prep_curve **c)
{
	struct slot	*sl = &p->s[p->take % NSLOTS];

	if (p->have && t >= sl->t0 + sl->nt) {
		/* Done with this slot: the thread may fill it again. */
		pthread_mutex_lock(&p->mu);
		sl->full = 0;
		p->take++;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		p->have = 0;
		sl = &p->s[p->take % NSLOTS];
	}
	if (!p->have) {
		if (p->threaded) {
			pthread_mutex_lock(&p->mu);
			while (!sl->full)
				pthread_cond_wait(&p->cv, &p->mu);
			pthread_mutex_unlock(&p->mu);
		} else {
			prep_slot(p, sl, t);
			sl->full = 1;
		}
		p->have = 1;
	}
	*blob = sl->blob;
	*c = sl->c;
	return &sl->tr[t - sl->t0];
}

/* Stop the thread, wherever it is, and free what it prepared. */
void
store_prep_free(struct store_prep *p)
{
	uint32_t	 i;

	if (p == NULL)
		return;
	if (p->threaded) {
		pthread_mutex_lock(&p->mu);
		p->stop = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->th, NULL);
	}
	for (i = 0; i < NSLOTS; i++) {
		free(p->s[i].tr);
		free(p->s[i].c);
		free(p->s[i].blob);
	}
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
