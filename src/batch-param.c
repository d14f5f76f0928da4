/*
 * A batch's parameters: declared or seen, set per trial (a value given
 * again differently is a conflict, told at finish), and resolved at finish
 * to one type each.
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "batch-int.h"

uint32_t
rung_batch_param(struct rung_batch *b, const char *name)
{
	uint32_t	 i;
	struct bparam	*p;

	for (i = 0; i < b->nparams; i++) {
		if (strcmp(b->params[i].name, name) == 0)
			return i;
	}
	batch_check_name(b, "parameter", name);
	b->params = xreallocarray(b->params, b->nparams + 1,
	    sizeof *b->params);
	p = &b->params[b->nparams];
	memset(p, 0, sizeof *p);
	p->name = xstrdup(name);
	return b->nparams++;
}

void
rung_batch_param_decl(struct rung_batch *b, uint32_t param,
    enum rung_ptype type, int log)
{
	struct bparam	*p = &b->params[param];

	p->declared = 1;
	p->type = type;
	p->log = log;
}

static void
param_slot(struct rung_batch *b, struct bparam *p, uint32_t t)
{
	size_t	 n;

	if (t < p->cap)
		return;
	n = p->cap ? p->cap : 64;
	while (n <= t)
		n *= 2;
	p->kind = rung_batch_mem_grow(b, p->kind, n * sizeof *p->kind);
	p->val = rung_batch_mem_grow(b, p->val, n * sizeof *p->val);
	p->cap = n;
}

/* Trial t's value of p, which it has (kind not PV_UNSET). */
void
batch_param_get(const struct bparam *p, uint32_t t, struct pvalue *v)
{
	uint64_t u = p->val[t];

	v->kind = p->kind[t];
	v->i = 0;
	v->d = 0;
	v->text = NULL;
	switch (v->kind) {
	case PV_INT:
		v->i = (int64_t)u;
		v->d = (double)v->i;
		break;
	case PV_REAL:
		memcpy(&v->d, &u, sizeof v->d);
		break;
	default:
		v->text = p->text + u;
		break;
	}
}

/* Set trial t's value of p, its text copied to the buffer. */
static void
param_put(struct rung_batch *b, struct bparam *p, uint32_t t, int kind,
    int64_t i, double d, const char *text, size_t len)
{
	uint64_t u;

	param_slot(b, p, t);
	p->kind[t] = (uint8_t)kind;
	switch (kind) {
	case PV_INT:
		u = (uint64_t)i;
		break;
	case PV_REAL:
		memcpy(&u, &d, sizeof u);
		break;
	default:
		BGROW(b, p->text, p->tcap, p->tlen + len + 1);
		memcpy(p->text + p->tlen, text, len);
		p->text[p->tlen + len] = '\0';
		u = p->tlen;
		p->tlen += len + 1;
		break;
	}
	p->val[t] = u;
}

/* A number, if the value is one (a token is when it reads as one). */
static int
pvalue_number(const struct pvalue *v, double *d)
{
	switch (v->kind) {
	case PV_INT:
	case PV_REAL:
		*d = v->d;
		return 1;
	case PV_TOKEN:
		return rung_parse_double(v->text, strlen(v->text), d) == 0;
	default:
		return 0;
	}
}

/*
 * Are two values of a parameter the same? Numbers by value (1 and 1.0 are
 * the same, and so are two NaNs), whether read as numbers or as tokens;
 * text by its characters.
 */
static int
pvalue_same(const struct pvalue *a, const struct pvalue *b)
{
	double	 x, y;

	if (a->kind == PV_INT && b->kind == PV_INT)
		return a->i == b->i;
	if (pvalue_number(a, &x) && pvalue_number(b, &y))
		return same_value(x, y);
	if ((a->kind == PV_TEXT || a->kind == PV_TOKEN) &&
	    (b->kind == PV_TEXT || b->kind == PV_TOKEN))
		return strcmp(a->text, b->text) == 0;
	return 0;
}

/*
 * The value as a message shows it: numbers as written, text quoted, at
 * most 40 bytes of it.
 */
static char *
pvalue_show(const struct pvalue *v)
{
	char	 buf[RUNG_DBL_BUFSZ];
	size_t	 n;
	double	 d;

	switch (v->kind) {
	case PV_INT:
		return xprintf("%lld", (long long)v->i);
	case PV_REAL:
		return xstrdup(rung_fmt_double(v->d, 0, buf));
	default:
		if (v->kind == PV_TOKEN && strlen(v->text) <= 40 &&
		    pvalue_number(v, &d))
			return xstrdup(v->text);
		if ((n = strlen(v->text)) <= 40)
			return xprintf("'%s'", v->text);
		/* Cut between two characters of UTF-8. */
		for (n = 40; n > 0 && ((unsigned char)v->text[n] & 0xc0) ==
		    0x80; n--)
			/* nothing */;
		return xprintf("'%.*s...'", (int)n, v->text);
	}
}

/*
 * Set parameter param of trial t to v, whose text (of len bytes) is
 * copied. When the trial has a value already (a trial given twice, whose
 * rows are merged) and it is another, count it. The last one read is kept,
 * as for a metric.
 */
static void
param_set(struct rung_batch *b, uint32_t t, uint32_t param,
    const struct pvalue *v, size_t len)
{
	struct bparam	*p = &b->params[param];
	struct pvalue	 old;

	param_slot(b, p, t);
	if (p->kind[t] != PV_UNSET) {
		batch_param_get(p, t, &old);
		if (!pvalue_same(&old, v) && b->nconflicts++ == 0) {
			b->conflict_trial = t;
			b->conflict_param = param;
			b->conflict_source = b->nsources > 0 ?
			    b->nsources - 1 : 0;
			b->conflict_was = pvalue_show(&old);
			b->conflict_now = pvalue_show(v);
		}
	}
	param_put(b, p, t, v->kind, v->i, v->d, v->text, len);
}

void
rung_batch_param_int(struct rung_batch *b, uint32_t t, uint32_t param,
    int64_t v)
{
	struct pvalue	 pv = { PV_INT, v, (double)v, NULL };

	param_set(b, t, param, &pv, 0);
}

void
rung_batch_param_real(struct rung_batch *b, uint32_t t, uint32_t param,
    double v)
{
	struct pvalue	 pv = { PV_REAL, 0, v, NULL };

	param_set(b, t, param, &pv, 0);
}

void
rung_batch_param_text(struct rung_batch *b, uint32_t t, uint32_t param,
    const char *v)
{
	struct pvalue	 pv = { PV_TEXT, 0, 0, v };

	param_set(b, t, param, &pv, strlen(v));
}

void
rung_batch_param_token(struct rung_batch *b, uint32_t t, uint32_t param,
    const char *tok, size_t len)
{
	struct pvalue	 pv = { PV_TOKEN, 0, 0, NULL };
	struct bparam	*p = &b->params[param];
	char		*text;

	/*
	 * An empty cell: no value, which leaves the one a trial given
	 * twice had (as a missing point leaves a metric's).
	 */
	if (len == 0) {
		param_slot(b, &b->params[param], t);
		return;
	}
	param_slot(b, p, t);
	if (p->kind[t] == PV_UNSET) {
		/* The usual token, the trial's first: no copy but its own. */
		param_put(b, p, t, PV_TOKEN, 0, 0, tok, len);
		return;
	}
	/* Compared with the value it had, as a string. */
	pv.text = text = xstrndup(tok, len);
	param_set(b, t, param, &pv, len);
	free(text);
}

void
batch_resolve_params(struct rung_batch *b)
{
	struct bparam	*p;
	struct pvalue	 v;
	uint32_t	 i, t;
	int		 any_real, any_text, any;
	char		 buf[RUNG_DBL_BUFSZ];
	double		 d;
	int64_t		 iv;
	size_t		 len;

	for (i = 0; i < b->nparams; i++) {
		p = &b->params[i];
		param_slot(b, p, b->ntrials ? b->ntrials - 1 : 0);
		any_real = any_text = any = 0;
		for (t = 0; t < b->ntrials; t++) {
			batch_mem_tick(b);
			switch (p->kind[t]) {
			case PV_REAL:
				any_real = 1;
				break;
			case PV_TEXT:
				any_text = 1;
				break;
			case PV_TOKEN:
				v.text = p->text + p->val[t];
				len = strlen(v.text);
				if (rung_parse_double(v.text, len, &d) != 0)
					any_text = 1;
				else if (!rung_is_int_text(v.text, len) ||
				    rung_parse_int64(v.text, len, &iv) != 0)
					any_real = 1;
				break;
			}
			if (p->kind[t] != PV_UNSET)
				any = 1;
		}
		if (!p->declared)
			p->type = any_text ? RUNG_PCAT : any_real ? RUNG_PREAL :
			    RUNG_PINT;
		(void)any;
		/* Bring every value to the column's type. */
		for (t = 0; t < b->ntrials; t++) {
			batch_mem_tick(b);
			if (p->kind[t] == PV_UNSET)
				continue;
			batch_param_get(p, t, &v);
			switch (v.kind) {
			case PV_TOKEN:
				if (p->type == RUNG_PCAT) {
					p->kind[t] = PV_TEXT;
					break;
				}
				len = strlen(v.text);
				if (p->type == RUNG_PINT &&
				    rung_parse_int64(v.text, len, &iv) == 0)
					param_put(b, p, t, PV_INT, iv, 0,
					    NULL, 0);
				else {
					rung_parse_double(v.text, len, &d);
					param_put(b, p, t, PV_REAL, 0, d,
					    NULL, 0);
				}
				break;
			case PV_INT:
				if (p->type == RUNG_PCAT) {
					snprintf(buf, sizeof buf, "%lld",
					    (long long)v.i);
					param_put(b, p, t, PV_TEXT, 0, 0, buf,
					    strlen(buf));
				} else if (p->type == RUNG_PREAL)
					param_put(b, p, t, PV_REAL, 0,
					    v.d, NULL, 0);
				break;
			case PV_REAL:
				if (p->type == RUNG_PCAT) {
					rung_fmt_double(v.d, 0, buf);
					param_put(b, p, t, PV_TEXT, 0, 0, buf,
					    strlen(buf));
				}
				break;
			}
		}
		/* Numbers now, every one: their texts are no more needed. */
		for (t = 0; t < b->ntrials; t++) {
			batch_mem_tick(b);
			if (p->kind[t] == PV_TEXT || p->kind[t] == PV_TOKEN)
				break;
		}
		if (t == b->ntrials) {
			rung_batch_mem_free(b, p->text);
			p->text = NULL;
			p->tlen = p->tcap = 0;
		}
	}
}
