/*
 * Filter expressions of the explorer (grammar in rung/tui.h) and the
 * splitting of command lines typed at its prompt. A filter is parsed once
 * into a tree whose fields are resolved against the study, then evaluated
 * per trial without allocating.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/tui.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

enum fnode_kind { N_OR, N_AND, N_NOT, N_CMP };

enum field_kind {
	F_NONE = 0,	/* a literal */
	F_ID,
	F_STATUS,
	F_STEPS,
	F_POINTS,
	F_BEST,
	F_FINAL,
	F_PRED,
	F_PARAM,
};

enum cmp_op { OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE, OP_HAS, OP_HASNT };

struct operand {
	enum field_kind	 field;
	int		 param;		/* F_PARAM */
	char		*text;		/* literal */
	double		 num;		/* literal as a number, NaN if not one */
	int		 isnum;
};

struct fnode {
	enum fnode_kind	 kind;
	struct fnode	*a, *b;
	enum cmp_op	 op;
	struct operand	 l, r;
};

struct rung_filter {
	struct fnode	*root;
};

struct parser {
	const char	*text;
	const char	*p;
	const struct rung_study *s;
	char		*cause;
	int		 depth;		/* of ( and not */
	int		 ncmp;
};

/*
 * Parsing, evaluating and freeing recurse as deep as the tree: bound it, so
 * that a pasted "((((..." or a chain of thousands of "or" cannot overflow
 * the stack.
 */
#define FILTER_MAX_DEPTH	64
#define FILTER_MAX_CMP		256

static struct fnode *parse_or(struct parser *);

static void
fnode_free(struct fnode *n)
{
	if (n == NULL)
		return;
	fnode_free(n->a);
	fnode_free(n->b);
	free(n->l.text);
	free(n->r.text);
	free(n);
}

void
rung_filter_free(struct rung_filter *f)
{
	if (f == NULL)
		return;
	fnode_free(f->root);
	free(f);
}

static void
skip_space(struct parser *ps)
{
	while (isspace((unsigned char)*ps->p))
		ps->p++;
}

static int
fail(struct parser *ps, const char *what)
{
	if (ps->cause == NULL) {
		if (*ps->p == '\0')
			xasprintf(&ps->cause, "%s at the end", what);
		else
			xasprintf(&ps->cause, "%s at column %d ('%.12s')",
			    what, (int)(ps->p - ps->text) + 1, ps->p);
	}
	return -1;
}

static int
word_char(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '/' || c == ':' ||
	    c == '-' || c == '+' || c == '[' || c == ']' || c >= 0x80;
}

/* A keyword (and, or, not) as a whole word, case-insensitively. */
static int
keyword(struct parser *ps, const char *kw)
{
	size_t	 n = strlen(kw);

	skip_space(ps);
	if (strncasecmp(ps->p, kw, n) == 0 &&
	    !word_char((unsigned char)ps->p[n])) {
		ps->p += n;
		return 1;
	}
	return 0;
}

static int
symbol(struct parser *ps, const char *sym)
{
	size_t	 n = strlen(sym);

	skip_space(ps);
	if (strncmp(ps->p, sym, n) == 0) {
		ps->p += n;
		return 1;
	}
	return 0;
}

static enum field_kind
field_named(const struct rung_study *s, const char *name, int *param)
{
	static const struct {
		const char	*name;
		enum field_kind	 kind;
	} builtin[] = {
		{ "id", F_ID }, { "trial", F_ID }, { "status", F_STATUS },
		{ "steps", F_STEPS }, { "points", F_POINTS },
		{ "best", F_BEST }, { "final", F_FINAL },
		{ "predicted", F_PRED }, { "pred", F_PRED },
	};
	size_t	 i;
	int	 p;
	uint32_t j;

	/* A parameter of the study wins over a built-in of the same name. */
	if ((p = rung_study_find_param(s, name)) >= 0) {
		*param = p;
		return F_PARAM;
	}
	for (j = 0; j < s->nparams; j++) {
		if (strcasecmp(s->params[j].name, name) == 0) {
			*param = (int)j;
			return F_PARAM;
		}
	}
	for (i = 0; i < sizeof builtin / sizeof builtin[0]; i++) {
		if (strcasecmp(builtin[i].name, name) == 0)
			return builtin[i].kind;
	}
	return F_NONE;
}

/* A mistyped field gets the nearest names, else the kinds of field. */
static void
not_a_field(struct parser *ps, const char *text)
{
	static const char *fixed[] = { "id", "status", "steps", "points",
		"best", "final", "predicted" };
	struct rung_buf	 b = { 0 };
	char		**names;
	size_t		 n = 0, i;

	names = xcalloc(ps->s->nparams + 7, sizeof *names);
	for (i = 0; i < ps->s->nparams; i++)
		names[n++] = ps->s->params[i].name;
	for (i = 0; i < 7; i++)
		names[n++] = (char *)fixed[i];
	rung_buf_printf(&b, "'%s' is not a field", text);
	if (!rung_buf_did_you_mean(&b, text, names, n))
		rung_buf_addstr(&b, " (id, status, steps, points, best, final, "
		    "predicted or a parameter)");
	ps->cause = xstrdup(rung_buf_cstr(&b));
	rung_buf_release(&b);
	free(names);
}

/* An operand: a quoted string, a number or a word (a field or a literal). */
static int
parse_operand(struct parser *ps, struct operand *o)
{
	const char	*start;
	struct rung_buf	 b = { 0 };
	char		 q;

	memset(o, 0, sizeof *o);
	o->num = NAN;
	skip_space(ps);
	if (*ps->p == '\'' || *ps->p == '"') {
		q = *ps->p++;
		while (*ps->p != q) {
			if (*ps->p == '\0') {
				rung_buf_release(&b);
				return fail(ps, "unterminated string");
			}
			if (*ps->p == '\\' && ps->p[1] != '\0')
				ps->p++;
			rung_buf_addc(&b, *ps->p++);
		}
		ps->p++;
		o->text = xstrdup(rung_buf_cstr(&b));
		rung_buf_release(&b);
		return 0;
	}
	start = ps->p;
	while (word_char((unsigned char)*ps->p))
		ps->p++;
	if (ps->p == start)
		return fail(ps, "expected a field or a value");
	o->text = xstrndup(start, (size_t)(ps->p - start));
	if (rung_parse_double(o->text, strlen(o->text), &o->num) == 0)
		o->isnum = 1;
	else {
		o->num = NAN;
		o->field = field_named(ps->s, o->text, &o->param);
	}
	if (o->field != F_NONE) {
		free(o->text);
		o->text = NULL;
	}
	return 0;
}

static int
numeric_field(enum field_kind f, const struct rung_study *s, int param)
{
	switch (f) {
	case F_STEPS:
	case F_POINTS:
	case F_BEST:
	case F_FINAL:
	case F_PRED:
		return 1;
	case F_PARAM:
		return s->params[param].type != RUNG_PCAT;
	default:
		return 0;
	}
}

static struct fnode *
parse_cmp(struct parser *ps)
{
	struct fnode	*n = xcalloc(1, sizeof *n);
	static const struct {
		const char	*sym;
		enum cmp_op	 op;
	} ops[] = {
		{ "<=", OP_LE }, { ">=", OP_GE }, { "==", OP_EQ },
		{ "!=", OP_NE }, { "!~", OP_HASNT }, { "<>", OP_NE },
		{ "<", OP_LT }, { ">", OP_GT }, { "=", OP_EQ }, { "~", OP_HAS },
	};
	struct operand	 tmp;
	size_t		 i;
	const char	*at;

	n->kind = N_CMP;
	if (++ps->ncmp > FILTER_MAX_CMP) {
		xasprintf(&ps->cause, "more than %d comparisons",
		    FILTER_MAX_CMP);
		goto bad;
	}
	if (parse_operand(ps, &n->l) != 0)
		goto bad;
	skip_space(ps);
	at = ps->p;
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (symbol(ps, ops[i].sym))
			break;
	}
	if (i == sizeof ops / sizeof ops[0]) {
		fail(ps, "expected a comparison (< <= > >= == != ~)");
		goto bad;
	}
	n->op = ops[i].op;
	if (parse_operand(ps, &n->r) != 0)
		goto bad;
	/* Keep the field on the left: 0.01 > lr is lr < 0.01. */
	if (n->l.field == F_NONE && n->r.field != F_NONE) {
		tmp = n->l;
		n->l = n->r;
		n->r = tmp;
		switch (n->op) {
		case OP_LT: n->op = OP_GT; break;
		case OP_LE: n->op = OP_GE; break;
		case OP_GT: n->op = OP_LT; break;
		case OP_GE: n->op = OP_LE; break;
		default: break;
		}
	}
	if (n->l.field == F_NONE) {
		ps->p = at;
		while (at > ps->text && isspace((unsigned char)at[-1]))
			at--;
		not_a_field(ps, n->l.text);
		goto bad;
	}
	if (n->r.field == F_NONE && !n->r.isnum &&
	    numeric_field(n->l.field, ps->s, n->l.param) &&
	    (n->op != OP_HAS && n->op != OP_HASNT)) {
		xasprintf(&ps->cause, "'%s' is not a number", n->r.text);
		goto bad;
	}
	if (n->l.field == F_STATUS && n->r.field == F_NONE &&
	    (n->op == OP_EQ || n->op == OP_NE) &&
	    rung_status_parse(n->r.text) < 0) {
		xasprintf(&ps->cause, "'%s' is not a status (%s)", n->r.text,
		    rung_status_expected());
		goto bad;
	}
	return n;
bad:
	fnode_free(n);
	return NULL;
}

static struct fnode *
parse_fact(struct parser *ps)
{
	struct fnode	*n, *inner;
	char		 what[64];

	if (ps->depth >= FILTER_MAX_DEPTH) {
		snprintf(what, sizeof what, "nested more than %d deep",
		    FILTER_MAX_DEPTH);
		fail(ps, what);
		return NULL;
	}
	if (keyword(ps, "not") || (symbol(ps, "!") && *ps->p != '=' &&
	    *ps->p != '~')) {
		ps->depth++;
		inner = parse_fact(ps);
		ps->depth--;
		if (inner == NULL)
			return NULL;
		n = xcalloc(1, sizeof *n);
		n->kind = N_NOT;
		n->a = inner;
		return n;
	}
	if (symbol(ps, "(")) {
		ps->depth++;
		n = parse_or(ps);
		ps->depth--;
		if (n == NULL)
			return NULL;
		if (!symbol(ps, ")")) {
			fail(ps, "expected ')'");
			fnode_free(n);
			return NULL;
		}
		return n;
	}
	return parse_cmp(ps);
}

static struct fnode *
parse_and(struct parser *ps)
{
	struct fnode	*n, *r, *j;

	if ((n = parse_fact(ps)) == NULL)
		return NULL;
	while (keyword(ps, "and") || symbol(ps, "&&")) {
		if ((r = parse_fact(ps)) == NULL) {
			fnode_free(n);
			return NULL;
		}
		j = xcalloc(1, sizeof *j);
		j->kind = N_AND;
		j->a = n;
		j->b = r;
		n = j;
	}
	return n;
}

static struct fnode *
parse_or(struct parser *ps)
{
	struct fnode	*n, *r, *j;

	if ((n = parse_and(ps)) == NULL)
		return NULL;
	while (keyword(ps, "or") || symbol(ps, "||")) {
		if ((r = parse_and(ps)) == NULL) {
			fnode_free(n);
			return NULL;
		}
		j = xcalloc(1, sizeof *j);
		j->kind = N_OR;
		j->a = n;
		j->b = r;
		n = j;
	}
	return n;
}

struct rung_filter *
rung_filter_parse(const char *text, const struct rung_study *s, char **cause)
{
	struct parser	 ps = { text, text, s, NULL, 0, 0 };
	struct fnode	*root;
	struct rung_filter *f;

	root = parse_or(&ps);
	if (root != NULL) {
		skip_space(&ps);
		if (*ps.p != '\0') {
			fail(&ps, "expected 'and', 'or' or the end");
			fnode_free(root);
			root = NULL;
		}
	}
	if (root == NULL) {
		if (ps.cause == NULL)
			fail(&ps, "bad expression");
		*cause = ps.cause;
		return NULL;
	}
	f = xcalloc(1, sizeof *f);
	f->root = root;
	return f;
}

/* A field's value for a trial: a number, or text (NULL when unset). */
static void
field_value(const struct operand *o, const struct rung_study *s,
    const double *pred, uint32_t t, double *num, const char **text)
{
	const struct rung_param *p;

	*num = NAN;
	*text = NULL;
	switch (o->field) {
	case F_NONE:
		*num = o->num;
		*text = o->text;
		break;
	case F_ID:
		*text = s->ids[t];
		if (rung_parse_double(*text, strlen(*text), num) != 0)
			*num = NAN;
		break;
	case F_STATUS:
		*text = rung_status_name(s->status[t]);
		break;
	case F_STEPS:
		*num = rung_curve_len(s, t) ? rung_trial_last_step(s, t) : NAN;
		break;
	case F_POINTS:
		*num = rung_curve_len(s, t);
		break;
	case F_BEST:
		*num = s->curve.best[t];
		break;
	case F_FINAL:
		*num = s->curve.final[t];
		break;
	case F_PRED:
		*num = pred != NULL ? pred[t] : NAN;
		break;
	case F_PARAM:
		p = &s->params[o->param];
		if (p->type == RUNG_PCAT) {
			if (p->cat[t] != UINT32_MAX) {
				*text = p->levels[p->cat[t]];
				if (rung_parse_double(*text, strlen(*text),
				    num) != 0)
					*num = NAN;
			}
		} else
			*num = p->num[t];
		break;
	}
}

static int
cmp_result(enum cmp_op op, int c)
{
	switch (op) {
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	case OP_GE: return c >= 0;
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	default: return 0;
	}
}

static int
eval_cmp(const struct fnode *n, const struct rung_study *s, const double *pred,
    uint32_t t)
{
	double		 a, b;
	const char	*ta, *tb;
	char		 buf[RUNG_DBL_BUFSZ];
	int		 st;

	field_value(&n->l, s, pred, t, &a, &ta);
	field_value(&n->r, s, pred, t, &b, &tb);
	if (n->op == OP_HAS || n->op == OP_HASNT) {
		if (ta == NULL)
			ta = isnan(a) ? "" : rung_fmt_human(a, buf);
		return (tb != NULL && rung_strcasestr_has(ta, tb)) ==
		    (n->op == OP_HAS);
	}
	/* A status compares with any word of any tool: pruned == stopped. */
	if (n->l.field == F_STATUS && tb != NULL &&
	    (st = rung_status_parse(tb)) >= 0) {
		a = s->status[t];
		b = st;
		return cmp_result(n->op, a < b ? -1 : a > b);
	}
	if (!isnan(a) && !isnan(b))
		return cmp_result(n->op, a < b ? -1 : a > b);
	if (ta != NULL && tb != NULL)
		return cmp_result(n->op, strcmp(ta, tb));
	/* An unset value is only ever different. */
	return n->op == OP_NE;
}

static int
eval(const struct fnode *n, const struct rung_study *s, const double *pred,
    uint32_t t)
{
	switch (n->kind) {
	case N_OR:
		return eval(n->a, s, pred, t) || eval(n->b, s, pred, t);
	case N_AND:
		return eval(n->a, s, pred, t) && eval(n->b, s, pred, t);
	case N_NOT:
		return !eval(n->a, s, pred, t);
	case N_CMP:
		return eval_cmp(n, s, pred, t);
	}
	return 0;
}

int
rung_filter_match(const struct rung_filter *f, const struct rung_study *s,
    const double *pred, uint32_t t)
{
	return f == NULL || eval(f->root, s, pred, t);
}

void
rung_free_argv(char **argv)
{
	char	**p;

	if (argv == NULL)
		return;
	for (p = argv; *p != NULL; p++)
		free(*p);
	free(argv);
}

char **
rung_split_line(const char *line, int *argc, char **cause)
{
	char		**argv = NULL;
	size_t		  cap = 0, n = 0;
	struct rung_buf	  b = { 0 };
	const char	 *p = line;
	char		  q;
	int		  inword;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		inword = 0;
		b.len = 0;
		while (*p != '\0' && *p != ' ' && *p != '\t') {
			inword = 1;
			if (*p == '\'' || *p == '"') {
				q = *p++;
				while (*p != q) {
					if (*p == '\0') {
						xasprintf(cause, "unterminated "
						    "%c quote", q);
						goto fail;
					}
					if (q == '"' && *p == '\\' &&
					    (p[1] == '"' || p[1] == '\\'))
						p++;
					rung_buf_addc(&b, *p++);
				}
				p++;
				continue;
			}
			if (*p == '\\' && p[1] != '\0')
				p++;
			rung_buf_addc(&b, *p++);
		}
		if (inword) {
			XGROW(argv, cap, n + 2);
			argv[n++] = xstrndup(b.data != NULL ? b.data : "",
			    b.len);
			argv[n] = NULL;
		}
	}
	rung_buf_release(&b);
	if (argv == NULL)
		argv = xcalloc(1, sizeof *argv);
	*argc = (int)n;
	return argv;
fail:
	rung_buf_release(&b);
	if (argv != NULL)
		argv[n] = NULL;
	rung_free_argv(argv);
	return NULL;
}
