/*
 * The search spaces of rung launch --space (src/space.c): the input is the
 * text of a space file. A failed parse must leave nothing allocated and
 * give a cause that names the file and, for a parameter's error, a line of
 * the input. A space that parses must hold what man 5 rung promises, print
 * back to a text that parses to the same space, and draw configurations,
 * for a seed taken from the input, that are the same each time, lie within
 * their bounds, spread over them, read back from their RUNG_PARAMS JSON
 * (as a resumed campaign reads them) and replace {name} in the command.
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rung/launch.h"
#include "rung/space.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "fuzz.h"

#define PATH		"fuzz.space"
/* Draws of a space: enough that a fair coin never lands one side. */
#define DRAWS		128
/* Fewer for a space of many parameters, and no look at the spread. */
#define FEW_DRAWS	8

static void
fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz-space: %s%s%s\n", what, detail ? ": " : "",
	    detail ? detail : "");
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return 0;
}

/* As man 5 rung says a name is. */
static int
name_ok(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (s++; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' &&
		    *s != '.')
			return 0;
	}
	return 1;
}

/* A choice: a word that is not empty, holds no blank, no # and is UTF-8. */
static int
word_ok(const char *s)
{
	size_t	 bad;

	return *s != '\0' && strpbrk(s, " \t\r\n#") == NULL &&
	    rung_utf8_valid(s, strlen(s), &bad);
}

/* The place of a double among all doubles, in order. */
static int64_t
ordered(double x)
{
	int64_t	 i;

	memcpy(&i, &x, sizeof i);
	return i < 0 ? INT64_MIN - i : i;
}

/* Are there many doubles in [lo, hi]: enough that rounding is no bias? */
static int
wide(double lo, double hi)
{
	return (uint64_t)ordered(hi) - (uint64_t)ordered(lo) >= 1U << 20;
}

/* What the parse of a failed input said: "PATH: ..." or "PATH:LINE: ...". */
static void
check_cause(const char *cause, const uint8_t *data, size_t size)
{
	const char	*p;
	char		*end;
	unsigned long	 line;
	size_t		 nlines = 1, i;

	if (cause == NULL || *cause == '\0')
		fail("a failed parse gives no cause", NULL);
	if (strncmp(cause, PATH ":", strlen(PATH ":")) != 0)
		fail("the cause does not name the file", cause);
	p = cause + strlen(PATH ":");
	if (*p == ' ')
		return;		/* the whole file: a NUL, no parameter */
	line = strtoul(p, &end, 10);
	if (end == p || *end != ':')
		fail("the cause names no line", cause);
	for (i = 0; i < size; i++)
		nlines += data[i] == '\n';
	if (line < 1 || line > nlines)
		fail("the cause names a line the input does not have", cause);
}

/* The space holds what its lines declared, as man 5 rung says. */
static void
check_space(const struct rung_space *sp, const uint8_t *data, size_t size)
{
	const struct rung_space_param *p;
	size_t		 nlines = 1, i;
	uint32_t	 k, j, last = 0;

	for (i = 0; i < size; i++)
		nlines += data[i] == '\n';
	if (sp->nparams == 0 || sp->params == NULL)
		fail("a space parsed without a parameter", NULL);
	if (strcmp(sp->path, PATH) != 0)
		fail("the space lost its path", sp->path);
	for (k = 0; k < sp->nparams; k++) {
		p = &sp->params[k];
		if (p->name == NULL || !name_ok(p->name) ||
		    strcmp(p->name, "trial") == 0)
			fail("a parameter with a bad name", p->name);
		if (rung_space_find(sp, p->name) != (int)k)
			fail("a name defined twice", p->name);
		if (p->line <= last || p->line > nlines)
			fail("a parameter's line is not one of the input", p->name);
		last = p->line;
		switch (p->kind) {
		case RUNG_SPACE_LOGUNIFORM:
			if (!(p->low > 0))
				fail("loguniform with LOW <= 0", p->name);
			/* FALLTHROUGH */
		case RUNG_SPACE_UNIFORM:
			if (!isfinite(p->low) || !isfinite(p->high) ||
			    !(p->low < p->high))
				fail("real bounds not finite or not rising",
				    p->name);
			break;
		case RUNG_SPACE_LOGINT:
			if (p->ilow < 1)
				fail("logint with LOW < 1", p->name);
			/* FALLTHROUGH */
		case RUNG_SPACE_INT:
			if (p->ilow > p->ihigh ||
			    p->ilow <= -(INT64_C(1) << 53) ||
			    p->ihigh >= INT64_C(1) << 53)
				fail("integer bounds out of order or range",
				    p->name);
			break;
		case RUNG_SPACE_CHOICE:
			if (p->nchoices == 0 || p->choices == NULL)
				fail("a choice of nothing", p->name);
			for (j = 0; j < p->nchoices; j++) {
				if (!word_ok(p->choices[j]))
					fail("a choice that is no word",
					    p->name);
				for (i = 0; i < j; i++) {
					if (strcmp(p->choices[i],
					    p->choices[j]) == 0)
						fail("a word listed twice",
						    p->choices[j]);
				}
			}
			break;
		default:
			fail("a parameter of no kind", p->name);
		}
		if (p->kind != RUNG_SPACE_CHOICE && (p->nchoices != 0 ||
		    p->choices != NULL))
			fail("words for a parameter that is no choice", p->name);
	}
}

/* The space as a file again. */
static char *
render(const struct rung_space *sp)
{
	const struct rung_space_param *p;
	struct rung_buf	 b = { 0 };
	char		 lo[RUNG_DBL_BUFSZ], hi[RUNG_DBL_BUFSZ];
	uint32_t	 k, j;

	for (k = 0; k < sp->nparams; k++) {
		p = &sp->params[k];
		rung_buf_printf(&b, "%s %s", p->name,
		    rung_space_kind_name(p->kind));
		switch (p->kind) {
		case RUNG_SPACE_UNIFORM:
		case RUNG_SPACE_LOGUNIFORM:
			rung_buf_printf(&b, " %s %s",
			    rung_fmt_double(p->low, 0, lo),
			    rung_fmt_double(p->high, 0, hi));
			break;
		case RUNG_SPACE_INT:
		case RUNG_SPACE_LOGINT:
			rung_buf_printf(&b, " %" PRId64 " %" PRId64, p->ilow,
			    p->ihigh);
			break;
		case RUNG_SPACE_CHOICE:
			for (j = 0; j < p->nchoices; j++)
				rung_buf_printf(&b, " %s", p->choices[j]);
			break;
		}
		rung_buf_addc(&b, '\n');
	}
	rung_buf_addc(&b, '\0');
	return b.data;
}

static int
same_space(const struct rung_space *a, const struct rung_space *b)
{
	const struct rung_space_param *p, *q;
	uint32_t	 k, j;

	if (a->nparams != b->nparams)
		return 0;
	for (k = 0; k < a->nparams; k++) {
		p = &a->params[k];
		q = &b->params[k];
		if (strcmp(p->name, q->name) != 0 || p->kind != q->kind ||
		    p->low != q->low || p->high != q->high ||
		    p->ilow != q->ilow || p->ihigh != q->ihigh ||
		    p->nchoices != q->nchoices)
			return 0;
		for (j = 0; j < p->nchoices; j++) {
			if (strcmp(p->choices[j], q->choices[j]) != 0)
				return 0;
		}
	}
	return 1;
}

static int
same_value(const struct rung_pvalue *a, const struct rung_pvalue *b)
{
	if (a->type != b->type || a->log != b->log)
		return 0;
	switch (a->type) {
	case RUNG_PREAL:
		return memcmp(&a->d, &b->d, sizeof a->d) == 0;
	case RUNG_PINT:
		return a->i == b->i;
	case RUNG_PCAT:
		break;
	}
	return a->s != NULL && b->s != NULL && strcmp(a->s, b->s) == 0;
}

static int
same_config(const struct rung_config *a, const struct rung_config *b)
{
	uint32_t	 k;

	if (a->n != b->n)
		return 0;
	for (k = 0; k < a->n; k++) {
		if (strcmp(a->names[k], b->names[k]) != 0 ||
		    !same_value(&a->v[k], &b->v[k]))
			return 0;
	}
	return 1;
}

/* Each value is of its parameter's type and within its bounds. */
static void
check_config(const struct rung_space *sp, const struct rung_config *c)
{
	const struct rung_space_param *p;
	const struct rung_pvalue *v;
	uint32_t	 k, j;

	if (c->n != sp->nparams)
		fail("a configuration without every parameter", NULL);
	for (k = 0; k < c->n; k++) {
		p = &sp->params[k];
		v = &c->v[k];
		if (strcmp(c->names[k], p->name) != 0)
			fail("a configuration's names out of order", p->name);
		switch (p->kind) {
		case RUNG_SPACE_UNIFORM:
		case RUNG_SPACE_LOGUNIFORM:
			if (v->type != RUNG_PREAL || v->log !=
			    (p->kind == RUNG_SPACE_LOGUNIFORM))
				fail("a real drawn of another type", p->name);
			if (!(v->d >= p->low && v->d < p->high))
				fail("a real drawn out of [LOW, HIGH)", p->name);
			break;
		case RUNG_SPACE_INT:
		case RUNG_SPACE_LOGINT:
			if (v->type != RUNG_PINT || v->log !=
			    (p->kind == RUNG_SPACE_LOGINT))
				fail("an integer drawn of another type",
				    p->name);
			if (v->i < p->ilow || v->i > p->ihigh)
				fail("an integer drawn out of [LOW, HIGH]",
				    p->name);
			break;
		case RUNG_SPACE_CHOICE:
			if (v->type != RUNG_PCAT || v->log || v->s == NULL)
				fail("a choice drawn of another type", p->name);
			for (j = 0; j < p->nchoices; j++) {
				if (strcmp(v->s, p->choices[j]) == 0)
					break;
			}
			if (j == p->nchoices)
				fail("a choice drawn that is not a word of it",
				    p->name);
			break;
		}
	}
}

/* Where draws fell, per parameter: below and above the middle. */
struct spread {
	uint32_t	 below, above;
	int		 first;		/* a choice: the word first drawn + 1 */
	int		 other;		/* and another one since */
};

static void
count(const struct rung_space *sp, const struct rung_config *c,
    struct spread *s)
{
	const struct rung_space_param *p;
	const struct rung_pvalue *v;
	double		 mid;
	uint32_t	 k, j;

	for (k = 0; k < c->n; k++) {
		p = &sp->params[k];
		v = &c->v[k];
		switch (p->kind) {
		case RUNG_SPACE_UNIFORM:
			mid = p->low / 2 + p->high / 2;
			s[k].below += v->d < mid;
			s[k].above += v->d > mid;
			break;
		case RUNG_SPACE_LOGUNIFORM:
			mid = exp(log(p->low) / 2 + log(p->high) / 2);
			s[k].below += v->d < mid;
			s[k].above += v->d > mid;
			break;
		case RUNG_SPACE_INT:
			mid = (double)p->ilow / 2 + (double)p->ihigh / 2;
			s[k].below += (double)v->i < mid;
			s[k].above += (double)v->i > mid;
			break;
		case RUNG_SPACE_LOGINT:
			mid = sqrt(((double)p->ilow - 0.5) *
			    ((double)p->ihigh + 0.5));
			s[k].below += (double)v->i < mid;
			s[k].above += (double)v->i > mid;
			break;
		case RUNG_SPACE_CHOICE:
			/* check_config found it among the words. */
			for (j = 0; strcmp(v->s, p->choices[j]) != 0; j++)
				;
			if (s[k].first == 0)
				s[k].first = (int)j + 1;
			else if (s[k].first != (int)j + 1)
				s[k].other = 1;
			break;
		}
	}
}

/*
 * DRAWS draws of a parameter land on both sides of its middle (the
 * geometric one on a log scale) when its range is wide enough that each
 * side holds a fair share: a miss is a draw stuck at one end.
 */
static void
check_spread(const struct rung_space *sp, const struct spread *s)
{
	const struct rung_space_param *p;
	uint32_t	 k;
	int		 want;

	for (k = 0; k < sp->nparams; k++) {
		p = &sp->params[k];
		switch (p->kind) {
		case RUNG_SPACE_UNIFORM:
		case RUNG_SPACE_LOGUNIFORM:
			want = wide(p->low, p->high);
			break;
		case RUNG_SPACE_INT:
			want = p->ihigh - p->ilow >= 3;
			break;
		case RUNG_SPACE_LOGINT:
			want = p->ihigh >= 4 * p->ilow + 4;
			break;
		case RUNG_SPACE_CHOICE:
			if (p->nchoices > 1 && !s[k].other)
				fail("every draw is the same word", p->name);
			continue;
		default:
			continue;
		}
		if (want && (s[k].below == 0 || s[k].above == 0))
			fail("every draw falls on one side of the middle",
			    p->name);
	}
}

/*
 * RUNG_PARAMS: JSON that reads back as a resumed campaign reads it, with
 * the same names in order and the same values; a word that reads as a
 * number comes back as that number. Not its text: "1e-3" comes back as
 * 0.001 and "007" as 7, which is what {name} then gives a trial restarted
 * after rung launch --resume (src/store-launch-read.c reads the
 * configuration from this JSON); that is not checked here.
 */
static void
check_json(const struct rung_config *c)
{
	struct rung_config d;
	const struct rung_pvalue *v, *w;
	json_object	*j;
	char		*s, *cause = NULL;
	double		 x;
	int64_t		 i;
	size_t		 bad;
	uint32_t	 k;

	s = rung_config_json(c);
	if (!rung_utf8_valid(s, strlen(s), &bad))
		fail("RUNG_PARAMS is not UTF-8", s);
	if (rung_config_from_json(s, &d, &cause) != 0)
		fail("RUNG_PARAMS does not read back", cause);
	if (d.n != c->n)
		fail("RUNG_PARAMS reads back with another count", s);
	for (k = 0; k < c->n; k++) {
		v = &c->v[k];
		w = &d.v[k];
		if (strcmp(c->names[k], d.names[k]) != 0)
			fail("RUNG_PARAMS reads back with other names", s);
		switch (v->type) {
		case RUNG_PREAL:
			if (w->type != RUNG_PREAL || w->d != v->d)
				fail("a real of RUNG_PARAMS reads back changed",
				    s);
			continue;
		case RUNG_PINT:
			if (w->type != RUNG_PINT || w->i != v->i)
				fail("an integer of RUNG_PARAMS reads back "
				    "changed", s);
			continue;
		case RUNG_PCAT:
			break;
		}
		j = rung_pvalue_json(v);
		switch (json_object_get_type(j)) {
		case json_type_string:
			if (w->type != RUNG_PCAT || w->s == NULL ||
			    strcmp(w->s, v->s) != 0)
				fail("a word of RUNG_PARAMS reads back changed",
				    s);
			break;
		case json_type_int:
			if (w->type != RUNG_PINT ||
			    rung_parse_double(v->s, strlen(v->s), &x) != 0 ||
			    (double)w->i != x ||
			    (rung_parse_int64(v->s, strlen(v->s), &i) == 0 &&
			    w->i != i))
				fail("a numeric word reads back as another "
				    "integer", s);
			break;
		case json_type_double:
			if (rung_parse_double(v->s, strlen(v->s), &x) != 0 ||
			    !((w->type == RUNG_PREAL && w->d == x) ||
			    (w->type == RUNG_PINT && (double)w->i == x)))
				fail("a numeric word reads back as another "
				    "number", s);
			break;
		default:
			fail("a word is neither a string nor a number in "
			    "RUNG_PARAMS", s);
		}
		json_object_put(j);
	}
	rung_config_release(&d);
	free(s);
}

/* {name} and {trial} in the command's arguments. */
static void
check_subst(const struct rung_space *sp, const struct rung_config *c)
{
	struct rung_buf	 arg = { 0 }, want = { 0 };
	char		*s, *t, *name, *unknown = NULL;
	uint32_t	 k;

	for (k = 0; k < c->n; k++) {
		s = rung_pvalue_text(&c->v[k]);
		rung_buf_printf(&arg, "--%s={%s}:", sp->params[k].name,
		    sp->params[k].name);
		rung_buf_printf(&want, "--%s=%s:", sp->params[k].name, s);
		free(s);
	}
	rung_buf_addstr(&arg, "{trial}{}{trial");
	rung_buf_addstr(&want, "17{}{trial");
	s = rung_launch_subst(rung_buf_cstr(&arg), c, "17");
	if (strcmp(s, rung_buf_cstr(&want)) != 0)
		fail("{name} is not replaced by the value's text", s);
	free(s);
	if (rung_launch_subst_check(rung_buf_cstr(&arg), c, &unknown) != 0)
		fail("a parameter's {name} is taken for no parameter",
		    unknown);
	/* A name no parameter has is left as it is, and named. */
	name = xprintf("%s_", sp->params[0].name);
	if (rung_space_find(sp, name) < 0) {
		t = xprintf("{%s}", name);
		s = rung_launch_subst(t, c, "17");
		if (strcmp(s, t) != 0)
			fail("an unknown {name} is replaced", s);
		free(s);
		if (rung_launch_subst_check(t, c, &unknown) != -1 ||
		    unknown == NULL || strcmp(unknown, name) != 0)
			fail("an unknown {name} is not named", t);
		free(unknown);
		free(t);
	}
	free(name);
	rung_buf_release(&arg);
	rung_buf_release(&want);
}

/* A seed for the draws, from the input: FNV-1a. */
static uint64_t
hash(const uint8_t *data, size_t size)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;
	size_t		 i;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ULL;
	return h;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rung_space *sp = NULL, *again = NULL;
	struct rung_config c, d;
	struct spread	*s;
	char		*text, *cause = NULL;
	uint64_t	 seed, k, n;

	/* An allocation of exactly size: ASan sees a read past the end. */
	text = xmalloc(size ? size : 1);
	memcpy(text, data, size);
	if (rung_space_parse(PATH, text, size, &sp, &cause) != 0) {
		if (sp != NULL)
			fail("a failed parse returned a space", cause);
		check_cause(cause, data, size);
		free(cause);
		free(text);
		return 0;
	}
	if (cause != NULL)
		fail("a parse that succeeded set a cause", cause);
	check_space(sp, data, size);

	/* What it holds, written as a space file, parses to the same. */
	free(text);
	text = render(sp);
	if (rung_space_parse(PATH, text, strlen(text), &again, &cause) != 0)
		fail("the space printed back does not parse", cause);
	if (!same_space(sp, again))
		fail("the space printed back parses to another", text);
	rung_space_free(again);
	free(text);

	seed = hash(data, size);
	n = sp->nparams <= 32 ? DRAWS : FEW_DRAWS;
	s = xcalloc(sp->nparams, sizeof *s);
	for (k = 0; k < n; k++) {
		rung_space_sample(sp, seed, k, &c);
		check_config(sp, &c);
		count(sp, &c, s);
		if (k < 4) {
			/* Configuration k of a seed is the same each time. */
			rung_space_sample(sp, seed, k, &d);
			if (!same_config(&c, &d))
				fail("a configuration drawn twice differs",
				    NULL);
			rung_config_release(&d);
			rung_config_copy(&d, &c);
			if (!same_config(&c, &d))
				fail("a copy differs", NULL);
			rung_config_release(&d);
			check_json(&c);
			if (k == 0)
				check_subst(sp, &c);
		}
		rung_config_release(&c);
	}
	if (n == DRAWS)
		check_spread(sp, s);
	free(s);
	rung_space_free(sp);
	return 0;
}
