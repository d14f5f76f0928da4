/*
 * A trained SVR as text and back: its scalers, the exact values of its
 * support vectors and libsvm's own model file, for the models kept in the
 * store.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rung/predict.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "predict-int.h"

/*
 * Saving. libsvm writes and reads models only through a file name, so its
 * part goes through a temporary file. svm_save_model prints support vector
 * values with "%.8g", which would make a loaded model predict differently:
 * the exact values follow in a section of our own and replace them on
 * loading. Numbers are printed in the C locale whatever the program's.
 */

static locale_t	 c_loc;
static pthread_once_t c_loc_once = PTHREAD_ONCE_INIT;

static void
c_loc_init(void)
{
	c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* Switch this thread to the C locale; returns what to switch back to. */
static locale_t
c_locale_enter(void)
{
	pthread_once(&c_loc_once, c_loc_init);
	if (c_loc == (locale_t)0)
		return (locale_t)0;
	return uselocale(c_loc);
}

static void
c_locale_leave(locale_t old)
{
	if (old != (locale_t)0)
		uselocale(old);
}

static void
buf_doubles(struct rung_buf *b, const char *key, const double *v, uint32_t n)
{
	uint32_t	 i;

	rung_buf_addstr(b, key);
	for (i = 0; i < n; i++)
		rung_buf_printf(b, " %.17g", v[i]);
	rung_buf_addc(b, '\n');
}

int
rung_svr_save(const struct rung_svr *m, char **text, size_t *len,
    char **cause)
{
	struct rung_buf	 b = { 0 };
	const struct svm_node *sv;
	locale_t	 old;
	char		*path, *lib = NULL;
	size_t		 liblen, total;
	int		 fd, i, r;

	*text = NULL;
	*len = 0;
	if (m->q != NULL)
		return rung_qsvr_save_text(m, text, len);
	/* Through a temporary file: libsvm reads and writes by name. */
	if (rung_temp_file("rung-svr", &path, &fd, cause) != 0)
		return -1;
	old = c_locale_enter();
	r = svm_save_model(path, m->model);
	c_locale_leave(old);
	if (r != 0) {
		xasprintf(cause, "libsvm cannot write the model to '%s'", path);
		goto fail;
	}
	if (rung_read_file(path, &lib, &liblen, cause) != 0)
		goto fail;
	unlink(path);
	close(fd);
	free(path);

	old = c_locale_enter();
	rung_buf_printf(&b, "rung-svr 1\nfeatures %u\n", m->d);
	buf_doubles(&b, "x_scale", m->xs.scale, m->d);
	buf_doubles(&b, "x_min", m->xs.min, m->d);
	buf_doubles(&b, "y_scale", m->ys.scale, 1);
	buf_doubles(&b, "y_min", m->ys.min, 1);
	for (i = 0, total = 0; i < m->model->l; i++) {
		for (sv = m->model->SV[i]; sv->index != -1; sv++)
			total++;
	}
	rung_buf_printf(&b, "sv_values %d %zu\n", m->model->l, total);
	for (i = 0; i < m->model->l; i++) {
		for (sv = m->model->SV[i]; sv->index != -1; sv++) {
			rung_buf_printf(&b, "%s%.17g",
			    sv == m->model->SV[i] ? "" : " ", sv->value);
		}
		rung_buf_addc(&b, '\n');
	}
	rung_buf_printf(&b, "libsvm %zu\n", liblen);
	c_locale_leave(old);
	rung_buf_add(&b, lib, liblen);
	free(lib);
	*len = b.len;
	*text = rung_buf_cstr(&b);
	return 0;

fail:
	unlink(path);
	close(fd);
	free(path);
	free(lib);
	return -1;
}

/* A cursor over the saved text (NUL-terminated, so strtod stops). */
struct cursor {
	const char	*p;
	const char	*end;
};

/* A cursor over a NUL-ended copy of text, which is returned to free. */
static char *
cur_init(struct cursor *c, const char *text, size_t len)
{
	char	*buf = xmalloc(len + 1);

	memcpy(buf, text, len);
	buf[len] = '\0';
	c->p = buf;
	c->end = buf + len;
	return buf;
}

static void
cur_blank(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
	    *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int
cur_word(struct cursor *c, const char *w)
{
	size_t	 n = strlen(w);

	cur_blank(c);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
		return -1;
	if (c->p + n < c->end && c->p[n] != ' ' && c->p[n] != '\n')
		return -1;
	c->p += n;
	return 0;
}

static int
cur_double(struct cursor *c, double *v)
{
	char	*e;

	cur_blank(c);
	if (c->p >= c->end)
		return -1;
	*v = strtod(c->p, &e);
	if (e == c->p || e > c->end)
		return -1;
	c->p = e;
	return 0;
}

static int
cur_doubles(struct cursor *c, const char *key, double *v, uint32_t n)
{
	uint32_t	 i;

	if (key != NULL && cur_word(c, key) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (cur_double(c, &v[i]) != 0)
			return -1;
	}
	return 0;
}

static int
cur_uint(struct cursor *c, uint64_t *v)
{
	char	*e;

	cur_blank(c);
	if (c->p >= c->end || *c->p < '0' || *c->p > '9')
		return -1;
	errno = 0;
	*v = strtoull(c->p, &e, 10);
	if (errno != 0 || e > c->end)
		return -1;
	c->p = e;
	return 0;
}

/*
 * svm_load_model complains on stderr about what it does not know; look at
 * the header first so that a damaged text is our error, not its message.
 */
/*
 * A saved model's head, of either type: its magic word and version 1, its
 * features and the scalers of X and y, allocated into m. len bounds the
 * counts to what the text could hold.
 */
static int
cur_head(struct cursor *c, const char *magic, struct rung_svr *m,
    size_t len, uint64_t *d)
{
	uint64_t	 v;

	if (cur_word(c, magic) != 0 || cur_uint(c, &v) != 0 || v != 1)
		return -1;
	if (cur_word(c, "features") != 0 || cur_uint(c, d) != 0 ||
	    *d == 0 || *d > len)
		return -1;
	m->d = (uint32_t)*d;
	m->xs.d = m->d;
	m->xs.scale = xcalloc(*d, sizeof *m->xs.scale);
	m->xs.min = xcalloc(*d, sizeof *m->xs.min);
	m->ys.d = 1;
	m->ys.scale = xcalloc(1, sizeof *m->ys.scale);
	m->ys.min = xcalloc(1, sizeof *m->ys.min);
	if (cur_doubles(c, "x_scale", m->xs.scale, m->d) != 0 ||
	    cur_doubles(c, "x_min", m->xs.min, m->d) != 0 ||
	    cur_doubles(c, "y_scale", m->ys.scale, 1) != 0 ||
	    cur_doubles(c, "y_min", m->ys.min, 1) != 0)
		return -1;
	return 0;
}

/*
 * How many whole numbers [p, end) holds, between blanks (integers only
 * where ints), or -1 where it holds anything else.
 */
static int
numbers(const char *p, const char *end, int ints)
{
	char	*e;
	int	 n = 0;

	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			return n;
		if (ints)
			(void)strtol(p, &e, 10);
		else
			(void)strtod(p, &e);
		if (e == p || e > end || (e < end && *e != ' ' && *e != '\t'))
			return -1;
		p = e;
		n++;
	}
}

/* Whether [p, end) is a support vector: its coefficient, then INDEX:VALUE. */
static int
sv_line(const char *p, const char *end)
{
	char	*e;

	(void)strtod(p, &e);
	if (e == p || e > end)
		return 0;
	for (p = e; p < end; p = e) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end)
			break;
		(void)strtol(p, &e, 10);
		if (e == p || e >= end || *e != ':')
			return 0;
		p = e + 1;
		(void)strtod(p, &e);
		if (e == p || e > end || (e < end && *e != ' ' && *e != '\t'))
			return 0;
	}
	return 1;
}

/*
 * libsvm's text model as rung saves it (a nu or epsilon SVR with the RBF
 * kernel, two "classes", nsv support vectors), checked line by line before
 * libsvm reads it: libsvm's own reader trusts what it reads, a token at a
 * time ("rho 1rho 2" is two rho lines to it, each allocating and losing
 * the last), and sizes its arrays from the header's counts.
 */
static int
check_libsvm_text(const char *p, const char *end, uint64_t nsv)
{
	/* Each once; the counts of numbers each line holds (2 classes). */
	static const struct {
		const char	*key;
		int		 n, ints;
	} keys[] = {
		{ "degree", 1, 1 }, { "gamma", 1, 0 }, { "coef0", 1, 0 },
		{ "nr_class", 1, 1 }, { "total_sv", 1, 1 }, { "rho", 1, 0 },
		{ "label", 2, 1 }, { "probA", 1, 0 }, { "probB", 1, 0 },
		{ "nr_sv", 2, 1 },
	};
	const unsigned	 need = 1U << 1 | 1U << 3 | 1U << 4 | 1U << 5;
	const char	*eol;
	size_t		 i, n;
	uint64_t	 lines = 0;
	unsigned	 seen = 0;
	int		 type = 0, kernel = 0, sv = 0;

	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', end - p)) == NULL)
			return -1;
		if (sv) {
			if (!sv_line(p, eol))
				return -1;
			lines++;
			continue;
		}
		n = strcspn(p, " \n");
		if (n == 2 && p + 2 == eol && memcmp(p, "SV", 2) == 0) {
			if (!type || !kernel || (seen & need) != need)
				return -1;
			sv = 1;
		} else if (n == 8 && memcmp(p, "svm_type", 8) == 0) {
			if (type || (strncmp(p + 8, " nu_svr\n", 8) != 0 &&
			    strncmp(p + 8, " epsilon_svr\n", 13) != 0))
				return -1;
			type = 1;
		} else if (n == 11 && memcmp(p, "kernel_type", 11) == 0) {
			if (kernel || strncmp(p + 11, " rbf\n", 5) != 0)
				return -1;
			kernel = 1;
		} else {
			for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
				if (strlen(keys[i].key) == n &&
				    memcmp(p, keys[i].key, n) == 0)
					break;
			}
			if (i == sizeof keys / sizeof keys[0] ||
			    (seen & 1U << i) ||
			    numbers(p + n, eol, keys[i].ints) != keys[i].n)
				return -1;
			/* Its counts: read before what they size. */
			if (i == 3 && strtol(p + n, NULL, 10) != 2)
				return -1;
			if (i == 4 && strtoull(p + n, NULL, 10) != nsv)
				return -1;
			if (i >= 5 && !(seen & 1U << 3))
				return -1;
			seen |= 1U << i;
		}
	}
	return sv && lines == nsv ? 0 : -1;
}

int
rung_svr_load(const char *text, size_t len, struct rung_svr **out,
    char **cause)
{
	struct rung_svr	*m = NULL;
	struct cursor	 c;
	struct svm_node	*sv;
	locale_t	 old;
	char		*buf, *path = NULL;
	double		*exact = NULL;
	uint64_t	 nsv = 0, total = 0, d = 0, liblen, i, k;
	int		 fd = -1, bad = 1;

	*out = NULL;
	if (len >= 10 && memcmp(text, "rung-qsvr ", 10) == 0)
		return rung_qsvr_load_text(text, len, out, cause);
	rung_svm_quiet();
	buf = cur_init(&c, text, len);

	old = c_locale_enter();
	m = xcalloc(1, sizeof *m);
	if (cur_head(&c, "rung-svr", m, len, &d) != 0)
		goto parsed;
	if (cur_word(&c, "sv_values") != 0 || cur_uint(&c, &nsv) != 0 ||
	    cur_uint(&c, &total) != 0 || nsv > len || total > len ||
	    total > nsv * d)
		goto parsed;
	exact = xreallocarray(NULL, total + 1, sizeof *exact);
	if (cur_doubles(&c, NULL, exact, (uint32_t)total) != 0)
		goto parsed;
	if (cur_word(&c, "libsvm") != 0 || cur_uint(&c, &liblen) != 0 ||
	    c.p >= c.end || *c.p != '\n' ||
	    liblen != (uint64_t)(c.end - c.p - 1))
		goto parsed;
	c.p++;
	if (check_libsvm_text(c.p, c.end, nsv) != 0)
		goto parsed;
	bad = 0;
parsed:
	if (bad) {
		c_locale_leave(old);
		xasprintf(cause, "not a saved model (at byte %zu)",
		    (size_t)(c.p - buf));
		goto fail;
	}

	if (rung_temp_file("rung-svr", &path, &fd, cause) != 0) {
		c_locale_leave(old);
		goto fail;
	}
	if (write(fd, c.p, c.end - c.p) != c.end - c.p) {
		c_locale_leave(old);
		xasprintf(cause, "cannot write '%s': %s", path,
		    strerror(errno));
		goto fail;
	}
	m->model = svm_load_model(path);
	c_locale_leave(old);
	if (m->model == NULL) {
		xasprintf(cause, "libsvm cannot read the saved model");
		goto fail;
	}
	if ((m->model->param.svm_type != NU_SVR &&
	    m->model->param.svm_type != EPSILON_SVR) ||
	    m->model->param.kernel_type != RBF || m->model->nr_class != 2 ||
	    m->model->l < 0 || (uint64_t)m->model->l != nsv) {
		xasprintf(cause, "the saved model is not a regression model "
		    "with %" PRIu64 " support vectors", nsv);
		goto fail;
	}
	/* Put back the exact support vector values that libsvm rounded. */
	for (i = 0, k = 0; i < nsv; i++) {
		for (sv = m->model->SV[i]; sv->index != -1; sv++) {
			if (k == total || sv->index < 1 ||
			    (uint64_t)sv->index > d)
				break;
			sv->value = exact[k++];
		}
		if (sv->index != -1)
			break;
	}
	if (i < nsv || k != total) {
		xasprintf(cause, "the support vectors of the saved model do "
		    "not match its exact values");
		goto fail;
	}
	unlink(path);
	close(fd);
	free(path);
	free(exact);
	free(buf);
	*out = m;
	return 0;

fail:
	if (path != NULL) {
		unlink(path);
		close(fd);
		free(path);
	}
	free(exact);
	free(buf);
	rung_svr_free(m);
	return -1;
}

/*
 * A QSVR as text: the scalers, its training points (scaled) and its seven
 * coefficient sets with their biases, every number exact; nothing of
 * libsvm's.
 */
int
rung_qsvr_save_text(const struct rung_svr *m, char **text, size_t *len)
{
	const struct rung_qsvr *q = m->q;
	struct rung_buf	 b = { 0 };
	locale_t	 old;
	uint32_t	 i;

	old = c_locale_enter();
	rung_buf_printf(&b, "rung-qsvr 1\nfeatures %u\n", m->d);
	buf_doubles(&b, "x_scale", m->xs.scale, m->d);
	buf_doubles(&b, "x_min", m->xs.min, m->d);
	buf_doubles(&b, "y_scale", m->ys.scale, 1);
	buf_doubles(&b, "y_min", m->ys.min, 1);
	rung_buf_printf(&b, "points %u\n", q->n);
	buf_doubles(&b, "gamma", &q->gamma, 1);
	for (i = 0; i < q->n; i++)
		buf_doubles(&b, "x", q->x + (size_t)i * q->d, q->d);
	for (i = 0; i < RUNG_QSVR_SETS; i++) {
		buf_doubles(&b, "b", &q->b[i], 1);
		buf_doubles(&b, "coef", q->coef + (size_t)i * q->n, q->n);
	}
	c_locale_leave(old);
	*len = b.len;
	*text = rung_buf_cstr(&b);
	return 0;
}

int
rung_qsvr_load_text(const char *text, size_t len, struct rung_svr **out,
    char **cause)
{
	struct rung_svr	*m;
	struct rung_qsvr *q;
	struct cursor	 c;
	locale_t	 old;
	char		*buf;
	uint64_t	 d = 0, n = 0;
	uint32_t	 i;
	int		 bad = 1;

	*out = NULL;
	buf = cur_init(&c, text, len);
	old = c_locale_enter();
	m = xcalloc(1, sizeof *m);
	m->type = RUNG_QSVR;
	m->q = q = xcalloc(1, sizeof *q);
	if (cur_head(&c, "rung-qsvr", m, len, &d) != 0)
		goto parsed;
	q->d = m->d;
	if (cur_word(&c, "points") != 0 || cur_uint(&c, &n) != 0 || n == 0 ||
	    n > len || n * d > len)
		goto parsed;
	q->n = (uint32_t)n;
	q->x = xcalloc(n * d, sizeof *q->x);
	q->coef = xcalloc(n * RUNG_QSVR_SETS, sizeof *q->coef);
	if (cur_doubles(&c, "gamma", &q->gamma, 1) != 0)
		goto parsed;
	for (i = 0; i < q->n; i++) {
		if (cur_doubles(&c, "x", q->x + (size_t)i * d, q->d) != 0)
			goto parsed;
	}
	for (i = 0; i < RUNG_QSVR_SETS; i++) {
		if (cur_doubles(&c, "b", &q->b[i], 1) != 0 ||
		    cur_doubles(&c, "coef", q->coef + (size_t)i * n,
		    q->n) != 0)
			goto parsed;
	}
	cur_blank(&c);
	if (c.p == c.end)
		bad = 0;
parsed:
	c_locale_leave(old);
	if (bad) {
		xasprintf(cause, "not a saved QSVR model (at byte %zu)",
		    (size_t)(c.p - buf));
		free(buf);
		rung_svr_free(m);
		return -1;
	}
	free(buf);
	*out = m;
	return 0;
}
