/*
 * Support vector regression through libsvm: nu-SVR and epsilon-SVR with an
 * RBF kernel, set up as scikit-learn's NuSVR and SVR set it up (gamma
 * 'scale' included), fitted on rows scaled by MinMaxScaler, so that a model
 * trained here and one trained by scikit-learn's Pipeline(MinMaxScaler,
 * NuSVR) on the same rows predict the same values. The QSVR (qsvr.h) is a
 * third kind behind the same functions: the same scaling, its own fit.
 */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rung/predict.h"
#include "rung/qsvr.h"
#include "rung/xmalloc.h"

#include "predict-int.h"

/*
 * libsvm prints progress through one global function pointer; setting it
 * is the only thing in libsvm that is not reentrant, so it is set once,
 * before any thread of ours can be training.
 */
static pthread_once_t svm_quiet_once = PTHREAD_ONCE_INIT;

static void
svm_discard(const char *s)
{
	(void)s;
}

static void
svm_quiet_init(void)
{
	svm_set_print_string_function(svm_discard);
}

void
rung_svm_quiet(void)
{
	pthread_once(&svm_quiet_once, svm_quiet_init);
}

/*
 * gamma 'scale' of scikit-learn's SVR: 1 / (d * X.var()) over every entry
 * of the (scaled) matrix; 1 when the variance is 0.
 */
double
rung_gamma_scale(const double *x, uint32_t n, uint32_t d)
{
	double	*tmp, var;
	size_t	 nd = (size_t)n * d;

	if (nd == 0)
		return 1.;
	tmp = xreallocarray(NULL, nd, sizeof *tmp);
	var = rung_np_var(x, nd, tmp);
	free(tmp);
	return var != 0 ? 1. / ((double)d * var) : 1.;
}

/* The kinds of SVR, by enum rung_svr_type. */
struct svr_kind {
	const char	*name;
	const char	*title;
	int		 fixed;
	/* Train on n scaled rows (the scalers are set in m). */
	int		(*fit)(const struct rung_svr_params *,
			    struct rung_svr *m, double *sx, const double *y,
			    uint32_t n, uint32_t d, char **cause);
};

static int	 libsvm_fit(const struct rung_svr_params *, struct rung_svr *,
		     double *, const double *, uint32_t, uint32_t, char **);
static int	 qsvr_fit(const struct rung_svr_params *, struct rung_svr *,
		     double *, const double *, uint32_t, uint32_t, char **);

static const struct svr_kind svr_kinds[] = {
	[RUNG_NU_SVR] = { "nu-svr", "nu-SVR", 0, libsvm_fit },
	[RUNG_EPS_SVR] = { "eps-svr", "epsilon-SVR", 0, libsvm_fit },
	[RUNG_QSVR] = { "qsvr", "QSVR", 1, qsvr_fit },
};
#define NSVR_KINDS (sizeof svr_kinds / sizeof svr_kinds[0])

static const struct svr_kind *
svr_kind(enum rung_svr_type t)
{
	return (size_t)t < NSVR_KINDS ? &svr_kinds[t] : &svr_kinds[0];
}

const char *
rung_svr_type_name(enum rung_svr_type t)
{
	return svr_kind(t)->name;
}

const char *
rung_svr_type_title(enum rung_svr_type t)
{
	return svr_kind(t)->title;
}

int
rung_svr_type_fixed(enum rung_svr_type t)
{
	return svr_kind(t)->fixed;
}

int
rung_svr_type_parse(const char *s)
{
	size_t	 i;

	for (i = 0; i < NSVR_KINDS; i++) {
		if (strcmp(s, svr_kinds[i].name) == 0)
			return (int)i;
	}
	return -1;
}

const char *
rung_svr_type_list(void)
{
	return "nu-svr, eps-svr or qsvr";
}

void
rung_svr_params_init(struct rung_svr_params *p)
{
	memset(p, 0, sizeof *p);
	p->type = RUNG_NU_SVR;
	p->C = 1;
	p->nu = 0.5;
	p->epsilon = 0.1;
	p->gamma = 0;
	p->tol = 1e-3;
}

void
rung_svr_params_type(struct rung_svr_params *p, enum rung_svr_type t)
{
	struct rung_qsvr_params qp;

	p->type = t;
	if (t == RUNG_QSVR) {
		/* Its fixed settings, so that tables and models show them. */
		rung_qsvr_params_init(&qp);
		p->C = qp.C;
		p->epsilon = qp.epsilon;
		p->gamma = qp.gamma;
	}
}

int
rung_svr_check_params(const struct rung_svr_params *p, char **cause)
{
	if (!(p->C > 0) || !isfinite(p->C)) {
		xasprintf(cause, "C must be positive, not %g", p->C);
		return -1;
	}
	if (p->type == RUNG_NU_SVR && !(p->nu > 0 && p->nu <= 1)) {
		xasprintf(cause, "nu must be in (0, 1], not %g", p->nu);
		return -1;
	}
	if (p->type == RUNG_EPS_SVR && !(p->epsilon >= 0 &&
	    isfinite(p->epsilon))) {
		xasprintf(cause, "epsilon must be 0 or more, not %g",
		    p->epsilon);
		return -1;
	}
	if (!(p->tol > 0) || !isfinite(p->tol)) {
		xasprintf(cause, "tol must be positive, not %g", p->tol);
		return -1;
	}
	if (isnan(p->gamma) || isinf(p->gamma)) {
		xasprintf(cause, "gamma must be a number, not %g", p->gamma);
		return -1;
	}
	return 0;
}

/* scikit-learn's settings of libsvm for NuSVR and SVR. */
void
rung_svr_libsvm_params(const struct rung_svr_params *p, double gamma,
    struct svm_parameter *lp)
{
	memset(lp, 0, sizeof *lp);
	lp->svm_type = p->type == RUNG_EPS_SVR ? EPSILON_SVR : NU_SVR;
	lp->kernel_type = RBF;
	lp->degree = 3;
	lp->gamma = gamma;
	lp->coef0 = 0;
	lp->cache_size = 200;
	lp->eps = p->tol;
	lp->C = p->C;
	lp->nr_weight = 0;
	lp->weight_label = NULL;
	lp->weight = NULL;
	lp->nu = p->nu;
	lp->p = p->epsilon >= 0 ? p->epsilon : 0;
	lp->shrinking = 1;
	lp->probability = 0;
}

/*
 * A row as libsvm nodes, zeros left out: libsvm's sparse kernels then skip
 * them (one-hot columns are mostly zeros), and since a left-out term adds
 * an exact 0 to its sum, the kernel values are those of scikit-learn's
 * dense libsvm, in the same order. Fills at most d + 1 nodes.
 */
void
rung_svr_fill_nodes(struct svm_node *nodes, const double *row, uint32_t d)
{
	uint32_t	 j, k = 0;

	for (j = 0; j < d; j++) {
		if (row[j] == 0)
			continue;
		nodes[k].index = (int)j + 1;
		nodes[k++].value = row[j];
	}
	nodes[k].index = -1;
	nodes[k].value = 0;
}

/* libsvm needs numbers: NaN and infinity would train garbage silently. */
int
rung_svr_check_rows(const double *x, const double *y, uint32_t n,
    uint32_t d, char **cause)
{
	size_t	 i;

	if (n > INT32_MAX / 2 || d > INT32_MAX - 1) {
		xasprintf(cause, "too many rows for libsvm: %u", n);
		return -1;
	}
	for (i = 0; i < (size_t)n * d; i++) {
		if (!isfinite(x[i])) {
			xasprintf(cause, "feature %zu of row %zu is %g",
			    i % d + 1, i / d + 1, x[i]);
			return -1;
		}
	}
	for (i = 0; i < n; i++) {
		if (!isfinite(y[i])) {
			xasprintf(cause, "the target of row %zu is %g", i + 1,
			    y[i]);
			return -1;
		}
	}
	return 0;
}

void
rung_svr_free(struct rung_svr *m)
{
	if (m == NULL)
		return;
	/* The model first: its support vectors point into the nodes. */
	if (m->model != NULL)
		svm_free_and_destroy_model(&m->model);
	free(m->prob.x);
	free(m->prob.y);
	free(m->nodes);
	rung_qsvr_free(m->q);
	rung_scaler_release(&m->xs);
	rung_scaler_release(&m->ys);
	free(m);
}

int
rung_svr_fit(const struct rung_svr_params *p, const double *x,
    const double *y, uint32_t n, uint32_t d, struct rung_svr **out,
    char **cause)
{
	const struct svr_kind *k = svr_kind(p->type);
	struct rung_svr	*m;
	double		*sx;
	uint32_t	 i;

	*out = NULL;
	if (!k->fixed && rung_svr_check_params(p, cause) != 0)
		return -1;
	if (n == 0 || d == 0) {
		xasprintf(cause, "nothing to train on: %u rows of %u features",
		    n, d);
		return -1;
	}
	if (rung_svr_check_rows(x, y, n, d, cause) != 0)
		return -1;

	m = xcalloc(1, sizeof *m);
	m->type = p->type;
	m->d = d;
	rung_scaler_fit(&m->xs, x, n, d, d);
	rung_scaler_fit(&m->ys, y, n, 1, 1);

	sx = xreallocarray(NULL, (size_t)n * d, sizeof *sx);
	memcpy(sx, x, (size_t)n * d * sizeof *sx);
	for (i = 0; i < n; i++)
		rung_scaler_apply(&m->xs, sx + (size_t)i * d);
	if (k->fit(p, m, sx, y, n, d, cause) != 0) {
		free(sx);
		rung_svr_free(m);
		return -1;
	}
	free(sx);
	*out = m;
	return 0;
}

static int
libsvm_fit(const struct rung_svr_params *p, struct rung_svr *m, double *sx,
    const double *y, uint32_t n, uint32_t d, char **cause)
{
	struct svm_parameter lp;
	const char	*err;
	double		*row, gamma;
	uint32_t	 i;

	rung_svm_quiet();
	gamma = p->gamma > 0 ? p->gamma : rung_gamma_scale(sx, n, d);
	m->nodes = xreallocarray(NULL, (size_t)n * (d + 1), sizeof *m->nodes);
	m->prob.l = (int)n;
	m->prob.x = xreallocarray(NULL, n, sizeof *m->prob.x);
	m->prob.y = xreallocarray(NULL, n, sizeof *m->prob.y);
	for (i = 0; i < n; i++) {
		row = sx + (size_t)i * d;
		rung_svr_fill_nodes(m->nodes + (size_t)i * (d + 1), row, d);
		m->prob.x[i] = m->nodes + (size_t)i * (d + 1);
		m->prob.y[i] = y[i];
		rung_scaler_apply(&m->ys, &m->prob.y[i]);
	}

	rung_svr_libsvm_params(p, gamma, &lp);
	if ((err = svm_check_parameter(&m->prob, &lp)) != NULL) {
		xasprintf(cause, "libsvm: %s", err);
		return -1;
	}
	m->model = svm_train(&m->prob, &lp);
	if (m->model == NULL) {
		xasprintf(cause, "libsvm failed to train");
		return -1;
	}
	return 0;
}

/*
 * The authors scale every row, then take their 20 (qpredictor.py): the
 * scalers here are those of every row too.
 */
static int
qsvr_fit(const struct rung_svr_params *p, struct rung_svr *m, double *sx,
    const double *y, uint32_t n, uint32_t d, char **cause)
{
	struct rung_qsvr_params qp;
	double		*sy;
	uint32_t	 i;
	int		 ret;

	rung_qsvr_params_init(&qp);
	qp.anneal.seed = p->seed;
	qp.anneal.threads = p->threads > 0 ? p->threads : 1;
	qp.qubo_out = p->qubo_out;
	qp.samples_in = p->samples_in;
	qp.tag = p->tag != NULL ? p->tag : "qsvr";
	sy = xreallocarray(NULL, n, sizeof *sy);
	for (i = 0; i < n; i++) {
		sy[i] = y[i];
		rung_scaler_apply(&m->ys, &sy[i]);
	}
	ret = rung_qsvr_fit(&qp, sx, sy, n, d, &m->q, cause);
	free(sy);
	return ret;
}

double
rung_svr_predict(const struct rung_svr *m, const double *row)
{
	struct svm_node	 stackbuf[65], *nodes = stackbuf;
	uint32_t	 j, k;
	double		 v, *srow;

	if (m->q != NULL) {
		srow = xreallocarray(NULL, m->d, sizeof *srow);
		memcpy(srow, row, m->d * sizeof *srow);
		rung_scaler_apply(&m->xs, srow);
		v = rung_qsvr_predict(m->q, srow);
		free(srow);
		return rung_scaler_inverse1(&m->ys, v);
	}
	if (m->d + 1 > sizeof stackbuf / sizeof stackbuf[0])
		nodes = xreallocarray(NULL, m->d + 1, sizeof *nodes);
	for (j = 0, k = 0; j < m->d; j++) {
		v = row[j] * m->xs.scale[j];
		v += m->xs.min[j];
		if (v == 0)
			continue;
		nodes[k].index = (int)j + 1;
		nodes[k++].value = v;
	}
	nodes[k].index = -1;
	v = svm_predict(m->model, nodes);
	if (nodes != stackbuf)
		free(nodes);
	return rung_scaler_inverse1(&m->ys, v);
}

double
rung_svr_gamma(const struct rung_svr *m)
{
	if (m->q != NULL)
		return m->q->gamma;
	return m->model->param.gamma;
}
