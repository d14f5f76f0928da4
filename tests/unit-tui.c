/*
 * The explorer's pieces that need no terminal: filter expressions (parsed
 * by hand, never turned into SQL) and the splitting of command lines.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/tui.h"
#include "rung/util.h"
#include "rung/xmalloc.h"
#include "tap.h"

/* Four trials: lr (real), depth (int), opt (categorical). */
static struct rung_study *
make_study(void)
{
	static const char *ids[] = { "a1", "7", "12", "b" };
	static const double lr[] = { 0.001, 0.1, 0.005, NAN };
	static const double depth[] = { 3, 8, 9, 2 };
	static const uint32_t opt[] = { 0, 1, 0, UINT32_MAX };
	static const double best[] = { 0.5, 0.9, 0.7, NAN };
	static const uint8_t st[] = { RUNG_COMPLETE, RUNG_STOPPED,
		RUNG_COMPLETE, RUNG_FAILED };
	struct rung_study *s = xcalloc(1, sizeof *s);
	uint32_t	 t;

	s->name = xstrdup("s");
	s->direction = RUNG_MAX;
	s->ntrials = 4;
	s->ids = xcalloc(4, sizeof *s->ids);
	s->status = xcalloc(4, 1);
	s->curve.name = xstrdup("acc");
	s->curve.off = xcalloc(5, sizeof *s->curve.off);
	s->curve.steps = xcalloc(1, sizeof *s->curve.steps);
	s->curve.vals = xcalloc(1, sizeof *s->curve.vals);
	s->curve.final = xcalloc(4, sizeof *s->curve.final);
	s->curve.best = xcalloc(4, sizeof *s->curve.best);
	s->nparams = 3;
	s->params = xcalloc(3, sizeof *s->params);
	s->params[0].name = xstrdup("lr");
	s->params[0].type = RUNG_PREAL;
	s->params[0].num = xcalloc(4, sizeof(double));
	s->params[1].name = xstrdup("depth");
	s->params[1].type = RUNG_PINT;
	s->params[1].num = xcalloc(4, sizeof(double));
	s->params[2].name = xstrdup("opt");
	s->params[2].type = RUNG_PCAT;
	s->params[2].cat = xcalloc(4, sizeof(uint32_t));
	s->params[2].levels = xcalloc(2, sizeof(char *));
	s->params[2].levels[0] = xstrdup("adam");
	s->params[2].levels[1] = xstrdup("SGD");
	s->params[2].nlevels = 2;
	for (t = 0; t < 4; t++) {
		s->ids[t] = xstrdup(ids[t]);
		s->status[t] = st[t];
		s->params[0].num[t] = lr[t];
		s->params[1].num[t] = depth[t];
		s->params[2].cat[t] = opt[t];
		s->curve.best[t] = s->curve.final[t] = best[t];
	}
	return s;
}

/* The trials matching text, as "0 2"; "error: cause" if it does not parse. */
static char *
matching(const struct rung_study *s, const double *pred, const char *text)
{
	struct rung_filter *f;
	char		 buf[64] = "", *cause = NULL, *r;
	uint32_t	 t;

	if ((f = rung_filter_parse(text, s, &cause)) == NULL) {
		xasprintf(&r, "error: %s", cause);
		free(cause);
		return r;
	}
	for (t = 0; t < s->ntrials; t++) {
		if (rung_filter_match(f, s, pred, t))
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
			    "%s%u", *buf ? " " : "", t);
	}
	rung_filter_free(f);
	return xstrdup(buf);
}

static void
check(const struct rung_study *s, const double *pred, const char *text,
    const char *want)
{
	char	*got = matching(s, pred, text);

	if (strncmp(want, "error: ", 7) == 0)
		ok(strncmp(got, want, strlen(want)) == 0, "%s: %s", text, want);
	else
		is_str(got, want, "%s matches %s", text, want);
	if (strncmp(want, "error: ", 7) == 0 && strncmp(got, want,
	    strlen(want)) != 0)
		printf("#   got '%s'\n", got);
	free(got);
}

/* Like check, but the test is named by what rather than the text. */
static void
check_named(const struct rung_study *s, const char *text, const char *what,
    const char *want)
{
	char	*got = matching(s, NULL, text);

	if (!ok(strncmp(got, want, strlen(want)) == 0, "%s: %s", what, want))
		printf("#   got '%.200s'\n", got);
	free(got);
}

/*
 * A pasted filter of thousands of parentheses, nots or comparisons is
 * refused with a message; it overflowed the stack before.
 */
static void
check_long(const struct rung_study *s)
{
	struct rung_buf	 b = { 0 };
	int		 i;

	for (i = 0; i < 100000; i++)
		rung_buf_addc(&b, '(');
	rung_buf_addstr(&b, "lr < 1");
	for (i = 0; i < 100000; i++)
		rung_buf_addc(&b, ')');
	check_named(s, rung_buf_cstr(&b), "100000 parentheses",
	    "error: nested more than 64 deep at column 65");
	b.len = 0;
	for (i = 0; i < 100000; i++)
		rung_buf_addstr(&b, "not ");
	rung_buf_addstr(&b, "lr < 1");
	check_named(s, rung_buf_cstr(&b), "100000 nots",
	    "error: nested more than 64 deep");
	b.len = 0;
	for (i = 0; i < 100000; i++)
		rung_buf_addstr(&b, i ? " or lr < 1" : "lr < 1");
	check_named(s, rung_buf_cstr(&b), "100000 comparisons",
	    "error: more than 256 comparisons");
	b.len = 0;
	for (i = 0; i < 31; i++)
		rung_buf_addstr(&b, "!(");
	rung_buf_addstr(&b, "lr < 0.01");
	for (i = 0; i < 31; i++)
		rung_buf_addc(&b, ')');
	check_named(s, rung_buf_cstr(&b), "31 nots and parentheses", "1 3");
	b.len = 0;
	for (i = 0; i < 256; i++)
		rung_buf_addstr(&b, i ? " or lr < 0.01" : "lr < 0.01");
	check_named(s, rung_buf_cstr(&b), "256 comparisons", "0 2");
	rung_buf_release(&b);
}

static void
check_split(const char *line, const char *want)
{
	struct rung_buf	 b = { 0 };
	char		**argv, *cause = NULL;
	int		 argc, i;

	if ((argv = rung_split_line(line, &argc, &cause)) == NULL) {
		rung_buf_printf(&b, "error: %s", cause);
		free(cause);
	} else {
		for (i = 0; i < argc; i++)
			rung_buf_printf(&b, "[%s]", argv[i]);
		rung_free_argv(argv);
	}
	is_str(rung_buf_cstr(&b), want, "split <%s>", line);
	rung_buf_release(&b);
}

static void
check_ticks(double lo, double hi, int integer, int max, const char *want)
{
	struct rung_buf	 b = { 0 };
	double		 tk[16];
	int		 i, n;

	n = rung_tui_ticks(lo, hi, integer, max, tk);
	for (i = 0; i < n; i++)
		rung_buf_printf(&b, "%s%.6g", i ? " " : "", tk[i]);
	is_str(rung_buf_cstr(&b), want, "ticks of [%g, %g]%s, %d at most", lo,
	    hi, integer ? " in steps" : "", max);
	rung_buf_release(&b);
}

int
main(void)
{
	struct rung_study *s = make_study();
	double		 pred[4] = { 0.55, NAN, 0.8, NAN };

	check(s, NULL, "lr < 0.01", "0 2");
	check(s, NULL, "lr < 0.01 and status == complete", "0 2");
	check(s, NULL, "LR < 0.01 AND depth > 5", "2");
	check(s, NULL, "lr >= 0.01 or depth <= 2", "1 3");
	check(s, NULL, "not (lr < 0.01)", "1 3");
	check(s, NULL, "!(depth == 3) && best > 0.6", "1 2");
	check(s, NULL, "0.01 > lr", "0 2");
	check(s, NULL, "status == pruned", "1");
	check(s, NULL, "status != complete", "1 3");
	check(s, NULL, "opt == adam", "0 2");
	check(s, NULL, "opt ~ sg", "1");
	check(s, NULL, "opt !~ sg", "0 2 3");
	check(s, NULL, "opt == 'SGD' or id == b", "1 3");
	check(s, NULL, "id < 10", "1");
	check(s, NULL, "id ~ \"1\"", "0 2");
	check(s, NULL, "best == nan", "");
	check(s, NULL, "best != best", "3");
	check(s, NULL, "lr != 0.1", "0 2 3");
	check(s, pred, "predicted > 0.6", "2");
	check(s, NULL, "pred > 0", "");
	check(s, NULL, "final >= 0.7 and (opt == adam or depth == 8)", "1 2");
	check(s, NULL, "nope < 1", "error: 'nope' is not a field (id, status");
	check(s, NULL, "dpeth > 2", "error: 'dpeth' is not a field; did you mean 'depth'?");
	check(s, NULL, "lr < fast", "error: 'fast' is not a number");
	check(s, NULL, "status == bogus", "error: 'bogus' is not a status");
	check(s, NULL, "lr <", "error: expected a field or a value at the end");
	check(s, NULL, "lr 0.1", "error: expected a comparison");
	check(s, NULL, "(lr < 1", "error: expected ')' at the end");
	check(s, NULL, "lr < 1 depth > 2", "error: expected 'and', 'or'");
	check(s, NULL, "opt == 'adam", "error: unterminated string");
	check(s, NULL, "lr < 1; drop table trials", "error: expected 'and'");
	check_long(s);

	/* Steps are whole: 1 to 100 gave 50.5 in the middle. */
	check_ticks(1, 100, 1, 3, "50 100");
	check_ticks(1, 100, 1, 6, "20 40 60 80 100");
	check_ticks(1, 20, 1, 6, "5 10 15 20");
	check_ticks(1, 3, 1, 6, "1 2 3");
	check_ticks(1, 2, 1, 8, "1 2");
	check_ticks(3, 3.5, 1, 4, "3");
	check_ticks(3.2, 3.8, 1, 4, "");
	check_ticks(7, 7, 1, 4, "7");
	/* Seconds: round numbers, fractions where the span is small. */
	check_ticks(0, 1234.5, 0, 4, "0 500 1000");
	check_ticks(0, 0.37, 0, 5, "0 0.1 0.2 0.3");
	check_ticks(12.5, 13.1, 0, 4, "12.6 12.8 13");
	check_ticks(-3, 3, 0, 4, "-2 0 2");
	check_ticks(5, 1, 1, 3, "2 4");
	check_ticks(NAN, 1, 0, 3, "");

	check_split("fit --prefix 5", "[fit][--prefix][5]");
	check_split("  trials   --sort best  ", "[trials][--sort][best]");
	check_split("filter 'lr < 0.01'", "[filter][lr < 0.01]");
	check_split("a \"b \\\"c\\\"\" d\\ e", "[a][b \"c\"][d e]");
	check_split("x ''", "[x][]");
	check_split("", "");
	check_split("oops 'x", "error: unterminated ' quote");

	rung_study_free(s);
	return done_testing();
}
