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
param_slot(struct bparam *p, uint32_t t)
{
	size_t	 old = p->cap, n;

	if (t < p->cap)
		return;
	n = old ? old : 64;
	while (n <= t)
		n *= 2;
	p->kind = xreallocarray(p->kind, n, sizeof *p->kind);
	p->i = xreallocarray(p->i, n, sizeof *p->i);
	p->d = xreallocarray(p->d, n, sizeof *p->d);
	p->text = xreallocarray(p->text, n, sizeof *p->text);
	memset(p->kind + old, 0, (n - old) * sizeof *p->kind);
	memset(p->text + old, 0, (n - old) * sizeof *p->text);
	p->cap = n;
}

static void
param_clear(struct bparam *p, uint32_t t)
{
	param_slot(p, t);
	free(p->text[t]);
	p->text[t] = NULL;
}

/* A parameter value, for comparing two and for messages. */
struct pvalue {
	int		 kind;
	int64_t		 i;
	double		 d;
	const char	*text;
};

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
 * Set parameter param of trial t to v, whose text is copied, or taken when
 * it is owned. When the trial has a value already (a trial given twice,
 * whose rows are merged) and it is another, count it. The last one read is
 * kept, as for a metric.
 */
static void
param_set(struct rung_batch *b, uint32_t t, uint32_t param,
    const struct pvalue *v, char *owned)
{
	struct bparam	*p = &b->params[param];
	struct pvalue	 old;

	param_slot(p, t);
	if (p->kind[t] != PV_UNSET) {
		old.kind = p->kind[t];
		old.i = p->i[t];
		old.d = p->d[t];
		old.text = p->text[t];
		if (!pvalue_same(&old, v) && b->nconflicts++ == 0) {
			b->conflict_trial = t;
			b->conflict_param = param;
			b->conflict_source = b->nsources > 0 ?
			    b->nsources - 1 : 0;
			b->conflict_was = pvalue_show(&old);
			b->conflict_now = pvalue_show(v);
		}
	}
	param_clear(p, t);
	p->kind[t] = (uint8_t)v->kind;
	p->i[t] = v->i;
	p->d[t] = v->d;
	if (owned != NULL)
		p->text[t] = owned;
	else if (v->text != NULL)
		p->text[t] = xstrdup(v->text);
}

void
rung_batch_param_int(struct rung_batch *b, uint32_t t, uint32_t param,
    int64_t v)
{
	struct pvalue	 pv = { PV_INT, v, (double)v, NULL };

	param_set(b, t, param, &pv, NULL);
}

void
rung_batch_param_real(struct rung_batch *b, uint32_t t, uint32_t param,
    double v)
{
	struct pvalue	 pv = { PV_REAL, 0, v, NULL };

	param_set(b, t, param, &pv, NULL);
}

void
rung_batch_param_text(struct rung_batch *b, uint32_t t, uint32_t param,
    const char *v)
{
	struct pvalue	 pv = { PV_TEXT, 0, 0, v };

	param_set(b, t, param, &pv, NULL);
}

void
rung_batch_param_token(struct rung_batch *b, uint32_t t, uint32_t param,
    const char *tok, size_t len)
{
	struct pvalue	 pv = { PV_TOKEN, 0, 0, NULL };
	char		*text;

	/*
	 * An empty cell: no value, which leaves the one a trial given
	 * twice had (as a missing point leaves a metric's).
	 */
	if (len == 0) {
		param_slot(&b->params[param], t);
		return;
	}
	pv.text = text = xstrndup(tok, len);
	param_set(b, t, param, &pv, text);
}

/*
 * Candidate column c, whose every token is a number (it saw no text), made
 * the new parameter param: its first token of each trial typed as
 * batch_resolve_params types the tokens of a column (int where every token
 * is written as one and fits, else real), to the same values, without a
 * copy of each token, which at a million trials was tens of MiB at the
 * import's peak. Returns -1, having set nothing, where a token is no number
 * after all.
 */
int
batch_param_numbers(struct rung_batch *b, uint32_t param,
    const struct bcolumn *c)
{
	struct bparam	*p = &b->params[param];
	const char	*tok;
	uint32_t	 t;
	size_t		 len;
	double		 d;
	int64_t		 iv;
	int		 real = 0;

	for (t = 0; t < b->ntrials && t < c->firstcap; t++) {
		if ((tok = batch_first(c, t)) == NULL || *tok == '\0')
			continue;
		len = strlen(tok);
		if (rung_parse_double(tok, len, &d) != 0)
			return -1;
		if (!rung_is_int_text(tok, len) ||
		    rung_parse_int64(tok, len, &iv) != 0)
			real = 1;
	}
	for (t = 0; t < b->ntrials && t < c->firstcap; t++) {
		if ((tok = batch_first(c, t)) == NULL)
			continue;
		param_slot(p, t);
		if ((len = strlen(tok)) == 0)
			continue;	/* an empty cell: no value */
		if (real) {
			rung_parse_double(tok, len, &d);
			p->kind[t] = PV_REAL;
			p->i[t] = 0;
			p->d[t] = d;
		} else {
			rung_parse_int64(tok, len, &iv);
			p->kind[t] = PV_INT;
			p->i[t] = iv;
			p->d[t] = (double)iv;
		}
	}
	return 0;
}

void
batch_resolve_params(struct rung_batch *b)
{
	struct bparam	*p;
	uint32_t	 i, t;
	int		 any_real, any_text, any;
	char		 buf[RUNG_DBL_BUFSZ];
	double		 d;
	int64_t		 iv;

	for (i = 0; i < b->nparams; i++) {
		p = &b->params[i];
		param_slot(p, b->ntrials ? b->ntrials - 1 : 0);
		any_real = any_text = any = 0;
		for (t = 0; t < b->ntrials; t++) {
			switch (p->kind[t]) {
			case PV_REAL:
				any_real = 1;
				break;
			case PV_TEXT:
				any_text = 1;
				break;
			case PV_TOKEN:
				if (rung_parse_double(p->text[t],
				    strlen(p->text[t]), &d) != 0)
					any_text = 1;
				else if (!rung_is_int_text(p->text[t],
				    strlen(p->text[t])) ||
				    rung_parse_int64(p->text[t],
				    strlen(p->text[t]), &iv) != 0)
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
			switch (p->kind[t]) {
			case PV_TOKEN:
				if (p->type == RUNG_PCAT) {
					p->kind[t] = PV_TEXT;
					break;
				}
				if (p->type == RUNG_PINT && rung_parse_int64(
				    p->text[t], strlen(p->text[t]), &iv) == 0) {
					p->kind[t] = PV_INT;
					p->i[t] = iv;
					p->d[t] = (double)iv;
				} else {
					rung_parse_double(p->text[t],
					    strlen(p->text[t]), &d);
					p->kind[t] = PV_REAL;
					p->d[t] = d;
				}
				free(p->text[t]);
				p->text[t] = NULL;
				break;
			case PV_INT:
				if (p->type == RUNG_PCAT) {
					p->text[t] = xprintf("%lld",
					    (long long)p->i[t]);
					p->kind[t] = PV_TEXT;
				} else if (p->type == RUNG_PREAL)
					p->kind[t] = PV_REAL;
				break;
			case PV_REAL:
				if (p->type == RUNG_PCAT) {
					p->text[t] = xstrdup(rung_fmt_double(
					    p->d[t], 0, buf));
					p->kind[t] = PV_TEXT;
				}
				break;
			}
		}
	}
}
