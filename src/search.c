/*
 * The hyperparameter search of the SVR: k-fold cross-validation of a grid
 * or of random candidates, scored by R^2 and chosen as scikit-learn's
 * GridSearchCV and RandomizedSearchCV choose, its (candidate, fold) jobs on
 * the thread pool, with the RBF kernels of small searches computed once
 * per gamma.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rung/pool.h"
#include "rung/predict.h"
#include "rung/rng.h"
#include "rung/xmalloc.h"

#include "predict-int.h"

/* The default search grid (rung(1)). */
static const double default_c[] = { 0.01, 0.1, 1, 10, 100 };
static const double default_nu[] = { 0.1, 0.3, 0.5, 0.7, 0.9 };
static const double default_eps[] = { 0.01, 0.03, 0.1, 0.3, 1 };
static const double default_gamma[] = { 0.01, 0.1, 1, 10, 100 };
#define NDEFAULT 5

void
rung_search_init(struct rung_search *s)
{
	memset(s, 0, sizeof *s);
	s->kind = RUNG_SEARCH_NONE;
	s->nrandom = 100;
	s->folds = 3;
	s->threads = 0;
	s->seed = 0;
}

/* One fold of KFold: the test rows [lo, hi) and the rest to train on. */
struct fold {
	uint32_t	 lo;
	uint32_t	 hi;
	struct svm_problem prob;
};

/*
 * Work that the first thread to need it starts and any thread that needs it
 * before it is done joins, row by row, so that no thread sits idle while
 * another builds a matrix they both need.
 */
struct coop {
	int		 state;		/* 0 not started, 1 started, 2 done */
	atomic_uint	 next;		/* next row to take */
	atomic_uint	 done;		/* rows finished */
};

/*
 * The RBF kernel of one gamma over every row of a search, in the layout of
 * libsvm's precomputed kernel: row i is node 0 = (0, i + 1), then (j + 1,
 * K(i, j)) for every j, then the terminator. The training rows of every
 * fold point into it, so one matrix serves every (C, nu) and every fold of
 * that gamma.
 */
struct kgroup {
	double		 gamma;
	uint32_t	 users;		/* jobs still to finish with it */
	struct coop	 build;
	struct svm_node	*nodes;		/* n rows of n + 2 nodes */
};

/* One search: its rows as libsvm nodes, its folds, candidates and scores. */
struct search_ctx {
	const double	*x;
	const double	*y;
	uint32_t	 n;
	uint32_t	 d;
	uint32_t	 nfolds;
	uint32_t	 ncand;
	struct svm_node	*nodes;		/* every row, d + 1 nodes each */
	struct fold	*folds;
	struct rung_svr_params *params;	/* the candidates */
	struct svm_parameter *cand;	/* the same for libsvm */
	double		*scores;	/* candidate * nfolds + fold */

	/*
	 * Precomputed kernels (when the matrices are small enough): the
	 * squared distances as libsvm's training computes them, |xi|^2 +
	 * |xj|^2 - 2 xi.xj, and as its prediction does, sum (xi - xj)^2;
	 * one kernel matrix per distinct gamma, built when a job first
	 * needs it and freed when its last job is done.
	 */
	int		 pre;
	struct coop	 dist;
	double		*xsq;
	double		*da;
	double		*db;
	struct kgroup	*groups;
	uint32_t	 ngroups;
	uint32_t	*cgroup;	/* candidate -> group */
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	double		 best;		/* best mean score so far, NaN: none */
	int		 locked;	/* lock and cond initialised */
};

/* A (search, candidate) to run. */
struct search_job {
	struct search_ctx *ctx;
	uint32_t	 cand;
};

/*
 * The largest search whose kernel matrices are precomputed: one matrix of
 * n (n + 2) nodes is 64 MiB at this size, and a search holds the two
 * distance matrices and a matrix for each gamma its threads are on.
 */
#define PRE_MAX_ROWS 2046

/*
 * Run c's share of a coop: take rows until none is left, then wait for
 * the rows other threads took. The first caller runs init (allocation)
 * before anyone takes a row.
 */
static void
coop_run(struct search_ctx *c, struct coop *w, uint32_t nrows,
    void (*init)(struct search_ctx *, void *),
    void (*row)(struct search_ctx *, void *, uint32_t), void *arg)
{
	uint32_t	 i;
	int		 state;

	pthread_mutex_lock(&c->lock);
	if (w->state == 0) {
		init(c, arg);
		w->state = 1;
	}
	state = w->state;
	pthread_mutex_unlock(&c->lock);
	if (state == 1) {
		while ((i = atomic_fetch_add(&w->next, 1)) < nrows) {
			row(c, arg, i);
			if (atomic_fetch_add(&w->done, 1) + 1 == nrows) {
				pthread_mutex_lock(&c->lock);
				w->state = 2;
				pthread_cond_broadcast(&c->cond);
				pthread_mutex_unlock(&c->lock);
			}
		}
	}
	pthread_mutex_lock(&c->lock);
	while (w->state != 2)
		pthread_cond_wait(&c->cond, &c->lock);
	pthread_mutex_unlock(&c->lock);
}

static void
dist_init(struct search_ctx *c, void *arg)
{
	size_t	 nn = (size_t)c->n * c->n;
	uint32_t i, k;

	(void)arg;
	c->da = xreallocarray(NULL, nn, sizeof *c->da);
	c->db = xreallocarray(NULL, nn, sizeof *c->db);
	c->xsq = xreallocarray(NULL, c->n, sizeof *c->xsq);
	for (i = 0; i < c->n; i++) {
		const double *a = c->x + (size_t)i * c->d;
		double	 s = 0;

		for (k = 0; k < c->d; k++)
			s += a[k] * a[k];
		c->xsq[i] = s;
	}
}

/*
 * Row i of both distance matrices, j >= i, mirrored: both are symmetric
 * bit for bit (the sums run over the features in the same order either
 * way). A dense sum equals libsvm's sparse one: a left-out zero adds an
 * exact 0 there, and 0 * y or (x - 0)^2 = x * x here.
 */
static void
dist_row(struct search_ctx *c, void *arg, uint32_t i)
{
	const double	*a = c->x + (size_t)i * c->d, *b;
	double		 dot, sq, t;
	uint32_t	 j, k, n = c->n;

	(void)arg;
	for (j = i; j < n; j++) {
		b = c->x + (size_t)j * c->d;
		dot = 0;
		sq = 0;
		for (k = 0; k < c->d; k++) {
			dot += a[k] * b[k];
			t = a[k] - b[k];
			sq += t * t;
		}
		/* As libsvm's kernel_rbf and k_function, to the last bit. */
		c->da[(size_t)i * n + j] = c->da[(size_t)j * n + i] =
		    c->xsq[i] + c->xsq[j] - 2 * dot;
		c->db[(size_t)i * n + j] = c->db[(size_t)j * n + i] = sq;
	}
}

static void
group_init(struct search_ctx *c, void *arg)
{
	struct kgroup	*g = arg;

	g->nodes = xreallocarray(NULL, (size_t)c->n * (c->n + 2),
	    sizeof *g->nodes);
}

static void
group_row(struct search_ctx *c, void *arg, uint32_t i)
{
	struct kgroup	*g = arg;
	struct svm_node	*r = g->nodes + (size_t)i * (c->n + 2);
	const double	*da = c->da + (size_t)i * c->n;
	uint32_t	 j;

	r[0].index = 0;
	r[0].value = i + 1;
	for (j = 0; j < c->n; j++) {
		r[j + 1].index = (int)j + 1;
		r[j + 1].value = exp(-g->gamma * da[j]);
	}
	r[c->n + 1].index = -1;
	r[c->n + 1].value = 0;
}

/*
 * libsvm's svm_predict for a row i of the search from a model trained on
 * precomputed kernel rows: its k_function's RBF distance, the sum over the
 * support vectors in their order, minus rho.
 */
static double
pre_predict(const struct search_ctx *c, const struct svm_model *m,
    double gamma, uint32_t i)
{
	const double	*db = c->db + (size_t)i * c->n;
	double		 sum = 0;
	int		 k;

	for (k = 0; k < m->l; k++) {
		sum += m->sv_coef[0][k] *
		    exp(-gamma * db[(int)m->SV[k][0].value - 1]);
	}
	return sum - m->rho[0];
}

/* Train candidate on the other folds; its R^2 on this one. */
static double
search_fold(struct search_ctx *c, uint32_t cand, uint32_t f,
    struct kgroup *g)
{
	struct fold	*fo = &c->folds[f];
	struct svm_parameter lp = c->cand[cand];
	struct svm_problem prob = fo->prob;
	struct svm_model *m;
	uint32_t	 i, k, nt = fo->hi - fo->lo;
	double		*yhat, score;

	if (g != NULL) {
		prob.x = xreallocarray(NULL, (size_t)prob.l, sizeof *prob.x);
		for (i = 0, k = 0; i < c->n; i++) {
			if (i < fo->lo || i >= fo->hi)
				prob.x[k++] = g->nodes + (size_t)i * (c->n + 2);
		}
		lp.kernel_type = PRECOMPUTED;
	}
	m = svm_train(&prob, &lp);
	yhat = xreallocarray(NULL, (size_t)nt * 2, sizeof *yhat);
	for (i = 0; i < nt; i++) {
		yhat[i] = g != NULL ? pre_predict(c, m, lp.gamma, fo->lo + i) :
		    svm_predict(m, c->nodes + (size_t)(fo->lo + i) *
		    (c->d + 1));
	}
	svm_free_and_destroy_model(&m);
	if (g != NULL)
		free(prob.x);
	/* One test row has no R^2: NaN, ranked last as GridSearchCV does. */
	score = nt < 2 ? NAN : rung_r2_score(c->y + fo->lo, yhat, nt,
	    yhat + nt);
	free(yhat);
	return score;
}

/*
 * Could a candidate with these fold scores still reach best? R^2 is at
 * most 1, so the folds not yet run add at most one each; the margin keeps
 * rounding from ever cutting a candidate that could tie.
 */
static int
search_hopeless(const double *scores, uint32_t done, uint32_t nfolds,
    double best)
{
	double	 bound;

	if (isnan(best))
		return 0;
	bound = (rung_np_sum(scores, done) + (nfolds - done)) / nfolds;
	return bound < best - 1e-9 * (fabs(best) + 1);
}

/*
 * One candidate, fold after fold. Once another candidate has a mean score
 * that this one can no longer reach, its remaining folds are not run: their
 * scores stay NaN, so it cannot be chosen, and the choice is the one a full
 * search makes, whichever thread finished what first.
 */
static void
search_run(void *arg, uint32_t j)
{
	struct search_job *job = (struct search_job *)arg + j;
	struct search_ctx *c = job->ctx;
	struct kgroup	*g = NULL;
	double		*sc = c->scores + (size_t)job->cand * c->nfolds;
	double		 best, mean;
	uint32_t	 f;

	if (c->pre) {
		g = &c->groups[c->cgroup[job->cand]];
		coop_run(c, &c->dist, c->n, dist_init, dist_row, NULL);
		coop_run(c, &g->build, c->n, group_init, group_row, g);
	}
	for (f = 0; f < c->nfolds; f++)
		sc[f] = NAN;
	for (f = 0; f < c->nfolds; f++) {
		pthread_mutex_lock(&c->lock);
		best = c->best;
		pthread_mutex_unlock(&c->lock);
		if (search_hopeless(sc, f, c->nfolds, best))
			break;
		sc[f] = search_fold(c, job->cand, f, g);
		if (isnan(sc[f]))
			break;
	}
	pthread_mutex_lock(&c->lock);
	if (f == c->nfolds) {
		mean = rung_np_sum(sc, c->nfolds) / c->nfolds;
		if (isnan(c->best) || mean > c->best)
			c->best = mean;
	}
	if (g != NULL && --g->users == 0) {
		free(g->nodes);
		g->nodes = NULL;
	}
	pthread_mutex_unlock(&c->lock);
}

/*
 * Candidates with the smallest C first: their fits are the quickest, and
 * the best mean they set lets the slow ones with large C stop after a fold
 * or two. Then by gamma, so that a matrix is done with early.
 */
static int
cmp_job(const void *a, const void *b)
{
	const struct search_job *p = a, *q = b;
	double		 cp = p->ctx->cand[p->cand].C;
	double		 cq = q->ctx->cand[q->cand].C;
	uint32_t	 gp, gq;

	if (cp != cq)
		return cp < cq ? -1 : 1;
	if (p->ctx != q->ctx)
		return p->ctx < q->ctx ? -1 : 1;
	if (p->ctx->pre) {
		gp = p->ctx->cgroup[p->cand];
		gq = q->ctx->cgroup[q->cand];
		if (gp != gq)
			return gp < gq ? -1 : 1;
	}
	return (p->cand > q->cand) - (p->cand < q->cand);
}

/* Run every candidate of the searches on threads. */
static void
search_run_all(struct search_ctx *ctx, uint32_t nctx, int threads)
{
	struct search_job *jobs;
	size_t		 njobs = 0, k = 0;
	uint32_t	 i, a;

	for (i = 0; i < nctx; i++)
		njobs += ctx[i].ncand;
	jobs = xcalloc(njobs ? njobs : 1, sizeof *jobs);
	for (i = 0; i < nctx; i++) {
		for (a = 0; a < ctx[i].ncand; a++) {
			jobs[k].ctx = &ctx[i];
			jobs[k++].cand = a;
		}
	}
	qsort(jobs, njobs, sizeof *jobs, cmp_job);
	rung_pool_run((uint32_t)njobs, threads, search_run, jobs);
	free(jobs);
}

/* The candidates, in ParameterGrid order or as drawn. */
static struct rung_svr_params *
candidates(const struct rung_svr_params *base, const struct rung_search *s,
    double gs, uint32_t *ncand, char **cause)
{
	struct rung_svr_params *v, *p;
	struct rung_rng	 rng;
	const double	*cg = default_c, *ng, *gg = default_gamma;
	uint32_t	 nc = NDEFAULT, nn = NDEFAULT, ngm = NDEFAULT, i, a, b, k;
	int		 eps = base->type == RUNG_EPS_SVR;

	ng = eps ? default_eps : default_nu;
	if (s->kind == RUNG_SEARCH_RANDOM) {
		if (s->nrandom == 0) {
			xasprintf(cause, "a random search needs at least one "
			    "candidate");
			return NULL;
		}
		/*
		 * As the reimplementation of Baker et al.: C and gamma
		 * loguniform on [1e-5, 10], nu uniform on (0, 1], epsilon
		 * loguniform on [1e-3, 1]; drawn in that order per
		 * candidate.
		 */
		v = xcalloc(s->nrandom, sizeof *v);
		rung_rng_seed(&rng, s->seed);
		for (i = 0; i < s->nrandom; i++) {
			v[i] = *base;
			v[i].C = rung_rng_loguniform(&rng, 1e-5, 10);
			v[i].gamma = rung_rng_loguniform(&rng, 1e-5, 10);
			if (eps)
				v[i].epsilon = rung_rng_loguniform(&rng, 1e-3,
				    1);
			else
				v[i].nu = 1 - rung_rng_uniform(&rng);
		}
		*ncand = s->nrandom;
		return v;
	}

	if (s->c_grid != NULL) {
		cg = s->c_grid;
		nc = s->nc;
	}
	if (s->nu_grid != NULL) {
		ng = s->nu_grid;
		nn = s->nnu;
	}
	if (s->gamma_grid != NULL) {
		gg = s->gamma_grid;
		ngm = s->ngamma;
	}
	if (nc == 0 || nn == 0 || ngm == 0) {
		xasprintf(cause, "an empty search grid");
		return NULL;
	}
	*ncand = nc * nn * ngm;
	v = xcalloc(*ncand, sizeof *v);
	/*
	 * ParameterGrid's order, the last key varying fastest, with the keys
	 * sorted by name: C, gamma, nu for NuSVR but C, epsilon, gamma for
	 * SVR. Ties go to the first candidate, so the order matters.
	 */
	p = v;
	for (a = 0; a < nc; a++) {
		for (b = 0; b < (eps ? nn : ngm); b++) {
			for (k = 0; k < (eps ? ngm : nn); k++) {
				*p = *base;
				p->C = cg[a];
				if (eps) {
					p->epsilon = ng[b];
					p->gamma = gg[k] * gs;
				} else {
					p->gamma = gg[b] * gs;
					p->nu = ng[k];
				}
				p++;
			}
		}
	}
	return v;
}

static void
search_release(struct search_ctx *c)
{
	uint32_t	 f;

	if (c->folds != NULL) {
		for (f = 0; f < c->nfolds; f++) {
			free(c->folds[f].prob.x);
			free(c->folds[f].prob.y);
		}
	}
	free(c->folds);
	free(c->scores);
	free(c->cand);
	free(c->params);
	free(c->nodes);
	if (c->groups != NULL) {
		for (f = 0; f < c->ngroups; f++)
			free(c->groups[f].nodes);
	}
	if (c->locked) {
		pthread_mutex_destroy(&c->lock);
		pthread_cond_destroy(&c->cond);
	}
	free(c->groups);
	free(c->cgroup);
	free(c->xsq);
	free(c->da);
	free(c->db);
	memset(c, 0, sizeof *c);
}

/*
 * Precomputed kernels: one group per distinct gamma, in the order the
 * candidates first use them, each with the number of jobs that need it.
 */
static void
search_groups(struct search_ctx *c)
{
	uint32_t	 i, g;

	c->pre = 1;
	c->cgroup = xcalloc(c->ncand, sizeof *c->cgroup);
	c->groups = xcalloc(c->ncand, sizeof *c->groups);
	for (i = 0; i < c->ncand; i++) {
		for (g = 0; g < c->ngroups; g++) {
			if (c->groups[g].gamma == c->cand[i].gamma)
				break;
		}
		if (g == c->ngroups) {
			c->groups[g].gamma = c->cand[i].gamma;
			atomic_init(&c->groups[g].build.next, 0);
			atomic_init(&c->groups[g].build.done, 0);
			c->ngroups++;
		}
		c->groups[g].users++;
		c->cgroup[i] = g;
	}
	atomic_init(&c->dist.next, 0);
	atomic_init(&c->dist.done, 0);
}

/* Candidates, folds and libsvm's view of the rows of one search. */
static int
search_prepare(const struct rung_svr_params *base,
    const struct rung_search *s, const double *x, const double *y,
    uint32_t n, uint32_t d, struct search_ctx *c, char **cause)
{
	struct fold	*fo;
	uint32_t	 F, f, i, k, at, size;

	memset(c, 0, sizeof *c);
	F = s->folds ? s->folds : 3;
	if (F < 2 || F > n) {
		xasprintf(cause, "cannot split %u rows into %u folds", n, F);
		return -1;
	}
	if (d == 0) {
		xasprintf(cause, "no feature to search on");
		return -1;
	}
	if (rung_svr_check_rows(x, y, n, d, cause) != 0)
		return -1;
	c->params = candidates(base, s, rung_gamma_scale(x, n, d), &c->ncand,
	    cause);
	if (c->params == NULL)
		return -1;
	for (i = 0; i < c->ncand; i++) {
		if (rung_svr_check_params(&c->params[i], cause) != 0) {
			search_release(c);
			return -1;
		}
	}
	c->cand = xcalloc(c->ncand, sizeof *c->cand);
	for (i = 0; i < c->ncand; i++)
		rung_svr_libsvm_params(&c->params[i], c->params[i].gamma,
		    &c->cand[i]);

	c->y = y;
	c->n = n;
	c->d = d;
	c->nfolds = F;
	c->nodes = xreallocarray(NULL, (size_t)n * (d + 1), sizeof *c->nodes);
	for (i = 0; i < n; i++)
		rung_svr_fill_nodes(c->nodes + (size_t)i * (d + 1),
		    x + (size_t)i * d, d);

	/*
	 * KFold(F) without shuffling: contiguous test blocks, the first
	 * n % F one row longer; the training rows keep their order, which
	 * libsvm's result depends on.
	 */
	c->folds = xcalloc(F, sizeof *c->folds);
	for (f = 0, at = 0; f < F; f++) {
		fo = &c->folds[f];
		size = n / F + (f < n % F);
		fo->lo = at;
		fo->hi = at + size;
		at += size;
		fo->prob.l = (int)(n - size);
		fo->prob.x = xreallocarray(NULL, n - size, sizeof *fo->prob.x);
		fo->prob.y = xreallocarray(NULL, n - size, sizeof *fo->prob.y);
		for (i = 0, k = 0; i < n; i++) {
			if (i >= fo->lo && i < fo->hi)
				continue;
			fo->prob.x[k] = c->nodes + (size_t)i * (d + 1);
			fo->prob.y[k++] = y[i];
		}
	}
	c->scores = xcalloc((size_t)c->ncand * F, sizeof *c->scores);
	c->x = x;
	c->best = NAN;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	c->locked = 1;
	if (s->plain_kernel == 0 && n <= PRE_MAX_ROWS)
		search_groups(c);
	return 0;
}

/*
 * The first best mean in candidate order, as GridSearchCV's best_index_
 * (rank_test_score by method 'min'); a NaN mean ranks below every number.
 * The mean is numpy's, over the folds in order.
 */
static void
search_choose(const struct search_ctx *c, struct rung_svr_params *best,
    double *score)
{
	uint32_t	 i, bi = 0;
	double		 mean, bs = NAN;

	for (i = 0; i < c->ncand; i++) {
		mean = rung_np_sum(c->scores + (size_t)i * c->nfolds,
		    c->nfolds) / c->nfolds;
		if (!isnan(mean) && (isnan(bs) || mean > bs)) {
			bs = mean;
			bi = i;
		}
	}
	*best = c->params[bi];
	*score = bs;
}

int
rung_svr_search_each(const struct rung_svr_params *base,
    const struct rung_search *s, const double *const *x,
    const double *const *y, uint32_t nsearch, uint32_t n, uint32_t d,
    int threads, struct rung_svr_params *best, double *score, char **cause)
{
	struct search_ctx *c;
	uint32_t	 i, prepared;
	int		 ret = -1;

	/* Nothing to search: its settings are its authors', fixed. */
	if (rung_svr_type_fixed(base->type)) {
		xasprintf(cause, "%s has fixed settings: no search",
		    rung_svr_type_title(base->type));
		return -1;
	}
	c = xcalloc(nsearch ? nsearch : 1, sizeof *c);
	for (prepared = 0; prepared < nsearch; prepared++) {
		if (search_prepare(base, s, x[prepared], y[prepared], n, d,
		    &c[prepared], cause) != 0)
			goto out;
	}
	rung_svm_quiet();
	search_run_all(c, nsearch, threads);
	for (i = 0; i < nsearch; i++)
		search_choose(&c[i], &best[i], &score[i]);
	ret = 0;
out:
	for (i = 0; i < prepared; i++)
		search_release(&c[i]);
	free(c);
	return ret;
}

int
rung_svr_search(const struct rung_svr_params *base,
    const struct rung_search *s, const double *x, const double *y,
    uint32_t n, uint32_t d, struct rung_svr_params *best, double *score,
    char **cause)
{
	*score = NAN;
	if (rung_svr_check_params(base, cause) != 0)
		return -1;
	if (s->kind == RUNG_SEARCH_NONE) {
		*best = *base;
		if (best->gamma <= 0)
			best->gamma = rung_gamma_scale(x, n, d);
		return 0;
	}
	return rung_svr_search_each(base, s, &x, &y, 1, n, d, s->threads,
	    best, score, cause);
}
