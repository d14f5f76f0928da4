/*
 * Search spaces: every type parsed, every error naming the file, the line
 * and the field, configurations drawn within bounds, reproducibly by index,
 * and their text and JSON forms.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/space.h"
#include "rung/util.h"
#include "rung/xmalloc.h"
#include "tap.h"

/* Parse text; the error (NULL when it parsed) is returned, allocated. */
static char *
parse(const char *text, struct rung_space **sp)
{
	char	*cause = NULL;

	*sp = NULL;
	if (rung_space_parse("s.space", text, strlen(text), sp, &cause) == 0)
		return NULL;
	return cause;
}

static void
error_is(const char *text, const char *want, const char *what)
{
	struct rung_space *sp;
	char		*cause;

	cause = parse(text, &sp);
	is_str(cause, want, "%s", what);
	free(cause);
	rung_space_free(sp);
}

int
main(void)
{
	static const char *text =
	    "# a space\n"
	    "\n"
	    "lr      loguniform 1e-4 1e-1   # Adam's\n"
	    "drop\tuniform 0 0.5\n"
	    "  units int 8 128\n"
	    "batch logint 16 256\r\n"
	    "opt choice adam sgd rmsprop\n"
	    "act choice relu";
	struct rung_space *sp;
	struct rung_config c, d, e;
	struct rung_buf	 b;
	const struct rung_space_param *p;
	char		*cause, *s;
	uint64_t	 k;
	int		 inside = 1, seen[3] = { 0 }, diff = 0, logs = 1;
	int		 lo_hit = 0, hi_hit = 0;
	uint32_t	 i;

	cause = parse(text, &sp);
	ok(cause == NULL, "a space with every type parses");
	free(cause);
	is_int(sp->nparams, 6, "six parameters");
	p = &sp->params[0];
	ok(strcmp(p->name, "lr") == 0 && p->kind == RUNG_SPACE_LOGUNIFORM &&
	    p->low == 1e-4 && p->high == 1e-1 && p->line == 3,
	    "loguniform: bounds, line; the comment is left out");
	p = &sp->params[1];
	ok(p->kind == RUNG_SPACE_UNIFORM && p->low == 0 && p->high == 0.5,
	    "uniform with a tab");
	p = &sp->params[2];
	ok(p->kind == RUNG_SPACE_INT && p->ilow == 8 && p->ihigh == 128 &&
	    p->line == 5, "int after blanks");
	p = &sp->params[3];
	ok(p->kind == RUNG_SPACE_LOGINT && p->ilow == 16 && p->ihigh == 256,
	    "logint with CRLF");
	p = &sp->params[4];
	ok(p->kind == RUNG_SPACE_CHOICE && p->nchoices == 3 &&
	    strcmp(p->choices[2], "rmsprop") == 0, "choice of three");
	p = &sp->params[5];
	ok(p->kind == RUNG_SPACE_CHOICE && p->nchoices == 1 && p->line == 8,
	    "choice of one, last line without a newline");
	is_int(rung_space_find(sp, "batch"), 3, "find by name");
	is_int(rung_space_find(sp, "nope"), -1, "find an unknown name");
	is_str(rung_space_kind_name(RUNG_SPACE_LOGINT), "logint", "kind names");

	/* Draws. */
	for (k = 0; k < 2000; k++) {
		rung_space_sample(sp, 42, k, &c);
		inside &= c.v[0].type == RUNG_PREAL && c.v[0].d >= 1e-4 &&
		    c.v[0].d < 1e-1;
		inside &= c.v[1].d >= 0 && c.v[1].d < 0.5;
		inside &= c.v[2].type == RUNG_PINT && c.v[2].i >= 8 &&
		    c.v[2].i <= 128;
		inside &= c.v[3].i >= 16 && c.v[3].i <= 256;
		lo_hit |= c.v[2].i == 8;
		hi_hit |= c.v[2].i == 128;
		inside &= c.v[4].type == RUNG_PCAT;
		for (i = 0; i < 3; i++)
			seen[i] |= strcmp(c.v[4].s, sp->params[4].choices[i]) ==
			    0;
		logs &= c.v[0].log && !c.v[1].log && !c.v[2].log &&
		    c.v[3].log;
		rung_config_release(&c);
	}
	ok(inside, "2000 draws stay within their bounds");
	ok(lo_hit && hi_hit, "int draws reach both ends");
	ok(seen[0] && seen[1] && seen[2], "every choice is drawn");
	ok(logs, "log scales are marked");
	rung_space_sample(sp, 42, 7, &c);
	rung_space_sample(sp, 42, 7, &d);
	rung_space_sample(sp, 43, 7, &e);
	ok(c.v[0].d == d.v[0].d && c.v[2].i == d.v[2].i &&
	    strcmp(c.v[4].s, d.v[4].s) == 0,
	    "configuration 7 of a seed is the same every time");
	diff = c.v[0].d != e.v[0].d;
	ok(diff, "another seed draws another configuration");
	rung_config_release(&d);
	rung_config_release(&e);

	/* Text and JSON. */
	s = rung_config_json(&c);
	ok(strncmp(s, "{\"lr\":", 6) == 0 && strstr(s, "\"opt\":\"") != NULL,
	    "RUNG_PARAMS: names in order, a choice as a string: %s", s);
	ok(rung_config_from_json(s, &d, &cause) == 0 && d.n == c.n &&
	    d.v[0].type == RUNG_PREAL && d.v[0].d == c.v[0].d &&
	    d.v[2].type == RUNG_PINT && d.v[2].i == c.v[2].i &&
	    d.v[4].type == RUNG_PCAT && strcmp(d.v[4].s, c.v[4].s) == 0,
	    "the JSON reads back to the same values and types");
	free(s);
	rung_config_release(&d);
	rung_config_release(&c);
	rung_space_free(sp);

	c.n = 4;
	c.names = xcalloc(4, sizeof *c.names);
	c.v = xcalloc(4, sizeof *c.v);
	c.names[0] = xstrdup("a");
	c.v[0].type = RUNG_PREAL;
	c.v[0].d = 3;
	c.names[1] = xstrdup("b");
	c.v[1].type = RUNG_PCAT;
	c.v[1].s = xstrdup("64");
	c.names[2] = xstrdup("c");
	c.v[2].type = RUNG_PCAT;
	c.v[2].s = xstrdup("1e-3");
	c.names[3] = xstrdup("d");
	c.v[3].type = RUNG_PREAL;
	c.v[3].d = 0.1;
	s = rung_config_json(&c);
	is_str(s, "{\"a\":3.0,\"b\":64,\"c\":0.001,\"d\":0.1}",
	    "a real stays real, a numeric choice is a number, shortest text");
	free(s);
	s = rung_pvalue_text(&c.v[3]);
	is_str(s, "0.1", "{d} is replaced by the shortest text");
	free(s);
	s = rung_pvalue_text(&c.v[1]);
	is_str(s, "64", "{b} by the word as written");
	free(s);
	rung_config_release(&c);

	/* Errors: the file, the line, the field. */
	error_is("lr loguniform 0 1\n",
	    "s.space:1: field 3 ('0'): loguniform needs LOW > 0",
	    "loguniform LOW 0");
	error_is("\n# x\nlr uniform 1 x1\n",
	    "s.space:3: field 4 ('x1'): HIGH is not a finite number",
	    "a HIGH that is not a number, on line 3");
	error_is("a uniform 2 1\n",
	    "s.space:1: field 4 ('1'): HIGH must be greater than LOW (2)",
	    "uniform HIGH below LOW");
	error_is("a uniform 1 1\n",
	    "s.space:1: field 4 ('1'): HIGH must be greater than LOW (1)",
	    "uniform with an empty range");
	error_is("a uniform 0 inf\n",
	    "s.space:1: field 4 ('inf'): HIGH is not a finite number",
	    "uniform to infinity");
	error_is("n int 1.5 4\n",
	    "s.space:1: field 3 ('1.5'): LOW is not an integer",
	    "int with a fraction");
	error_is("n int 5 4\n",
	    "s.space:1: field 4 ('4'): HIGH must be at least LOW (5)",
	    "int HIGH below LOW");
	error_is("n logint 0 4\n",
	    "s.space:1: field 3 ('0'): logint needs LOW >= 1", "logint 0");
	error_is("n normal 0 4\n",
	    "s.space:1: field 2 ('normal'): unknown type (expected uniform, "
	    "loguniform, int, logint or choice)", "an unknown type");
	error_is("n\n",
	    "s.space:1: field 2: missing type (uniform, loguniform, int, "
	    "logint or choice)", "a name alone");
	error_is("n uniform 0\n",
	    "s.space:1: field 4: uniform needs LOW and HIGH", "HIGH missing");
	error_is("n int 0 1 2\n",
	    "s.space:1: field 5 ('2'): int takes LOW and HIGH only",
	    "a field too many");
	error_is("o choice\n",
	    "s.space:1: field 3: choice needs at least one value",
	    "an empty choice");
	error_is("o choice a b a\n",
	    "s.space:1: field 5 ('a'): value listed twice (also field 3)",
	    "a choice listed twice");
	error_is("a uniform 0 1\nb int 0 1\na int 1 2\n",
	    "s.space:3: field 1 ('a'): parameter defined twice (first on "
	    "line 1)", "a name defined twice");
	error_is("1x uniform 0 1\n",
	    "s.space:1: field 1 ('1x'): a parameter name starts with a letter "
	    "or _ and holds letters, digits, _, - and .", "a bad name");
	error_is("trial int 0 1\n",
	    "s.space:1: field 1 ('trial'): 'trial' is reserved: {trial} in "
	    "the command is the trial's id", "trial is reserved");
	error_is("# nothing\n\n",
	    "s.space: no parameter (one a line: name uniform|loguniform|int|"
	    "logint LOW HIGH, or name choice A B...)", "an empty space");
	/* What fuzz/fuzz-space.c found. */
	error_is("x uniform 0 1\nopt choice adam \xe9t\xe9\n",
	    "s.space:2: text that is not UTF-8 (byte 17 of the line)",
	    "a word that is not UTF-8 (Latin-1)");
	error_is("x uniform 0 1 # \xff\n",
	    "s.space:1: text that is not UTF-8 (byte 17 of the line)",
	    "a comment that is not UTF-8");
	/* HIGH - LOW overflowed: every draw was -1e308. */
	cause = parse("x uniform -1e308 1e308\n", &sp);
	ok(cause == NULL, "bounds whose difference overflows parse");
	free(cause);
	lo_hit = hi_hit = 0;
	inside = 1;
	for (k = 0; k < 200; k++) {
		rung_space_sample(sp, 7, k, &c);
		inside &= c.v[0].d >= -1e308 && c.v[0].d < 1e308;
		lo_hit |= c.v[0].d < 0;
		hi_hit |= c.v[0].d > 0;
		rung_config_release(&c);
	}
	ok(inside && lo_hit && hi_hit, "their draws spread from -1e308 to "
	    "1e308");
	rung_space_free(sp);

	/*
	 * Names and words listed twice are found without comparing each
	 * with every other: 100,000 words took 8 s, a million 13 minutes.
	 */
	b = (struct rung_buf){ 0 };
	rung_buf_addstr(&b, "c choice");
	for (k = 0; k < 100000; k++)
		rung_buf_printf(&b, " w%u", (unsigned)k);
	rung_buf_addstr(&b, " w5\n");
	error_is(rung_buf_cstr(&b), "s.space:1: field 100003 ('w5'): value "
	    "listed twice (also field 8)", "a word listed twice among 100,000");
	b.len = 0;
	for (k = 0; k < 50000; k++)
		rung_buf_printf(&b, "p%u int 0 %u\n", (unsigned)k, (unsigned)k);
	cause = parse(rung_buf_cstr(&b), &sp);
	ok(cause == NULL && sp->nparams == 50000 &&
	    rung_space_find(sp, "p49999") == 49999, "50,000 parameters");
	free(cause);
	rung_space_free(sp);
	rung_buf_addstr(&b, "p123 uniform 0 1\n");
	error_is(rung_buf_cstr(&b), "s.space:50001: field 1 ('p123'): "
	    "parameter defined twice (first on line 124)",
	    "a name defined twice among 50,000");
	rung_buf_release(&b);

	cause = NULL;
	ok(rung_space_load("/nonexistent/s.space", &sp, &cause) != 0 &&
	    cause != NULL && strstr(cause, "cannot open '/nonexistent/"
	    "s.space'") != NULL, "a missing file: %s", cause);
	free(cause);
	return done_testing();
}
