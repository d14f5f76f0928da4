/*
 * A batch's candidate columns, cell by cell: a column that may be a metric
 * or a parameter keeps its numbers in its rows, and what it needs beside
 * them to make a parameter of the exact first token of each trial (the
 * tokens its numbers would not give back, every token once it holds text)
 * until its numbers differ within a trial. Finishing (batch-finish.c)
 * makes the parameters.
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "batch-int.h"

/*
 * A candidate's first token of trial t once it saw text, or NULL. The
 * tokens lie end to end in one buffer, found by offset: a string allocated
 * for each trial and column took about 40 bytes more, which a million
 * trials feel.
 */
const char *
batch_first(const struct bcolumn *c, uint32_t t)
{
	if (t >= c->firstcap || c->first[t] == 0)
		return NULL;
	return c->ftext + c->first[t] - 1;
}

/* Copy a token to the column's buffer: its offset. */
static size_t
ftext_put(struct rung_batch *b, struct bcolumn *c, const char *tok,
    size_t len)
{
	size_t	 off = c->ftlen;

	BGROW(b, c->ftext, c->ftcap, c->ftlen + len + 1);
	memcpy(c->ftext + off, tok, len);
	c->ftext[off + len] = '\0';
	c->ftlen += len + 1;
	return off;
}

static void
first_put(struct rung_batch *b, struct bcolumn *c, uint32_t t,
    const char *tok, size_t len)
{
	BGROW(b, c->first, c->firstcap, (size_t)t + 1);
	c->first[t] = ftext_put(b, c, tok, len) + 1;
}

void
batch_first_release(struct rung_batch *b, struct bcolumn *c)
{
	rung_batch_mem_free(b, c->first);
	c->first = NULL;
	c->firstcap = 0;
	rung_batch_mem_free(b, c->oddtrial);
	c->oddtrial = NULL;
	rung_batch_mem_free(b, c->oddoff);
	c->oddoff = NULL;
	c->nodd = c->oddcap = 0;
	rung_batch_mem_free(b, c->fseen);
	c->fseen = NULL;
	c->fseencap = 0;
	rung_batch_mem_free(b, c->ftext);
	c->ftext = NULL;
	c->ftlen = c->ftcap = 0;
}

/*
 * Do the shortest decimals of v, the number token s reads as
 * (batch_shortest), give the token back? Where it is written as such a
 * number: no sign but a minus, no leading zero, no exponent, a fraction
 * (if any) that ends in a digit other than 0. With 15 significant digits
 * or fewer it is: no other decimal of 15 digits reads as the same double.
 * With 16 or 17 in a fraction (Python writes a random float so) it is when
 * they are v's correctly rounded decimals and one decimal fewer does not
 * read back as v. An integer of more than 15 digits is kept as written, as
 * a double may not hold it.
 */
static int
plain_decimal(const char *s, size_t len, double v)
{
	char	 buf[64];
	size_t	 i = 0, sig = 0, k = 0;
	int	 lead = 1, dot = 0;

	if (i < len && s[i] == '-')
		i++;
	if (i >= len || s[i] < '0' || s[i] > '9' ||
	    (s[i] == '0' && i + 1 < len && s[i + 1] != '.'))
		return 0;
	for (; i < len; i++) {
		if (s[i] == '.') {
			if (dot || i + 1 >= len)
				return 0;
			dot = 1;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (s[i] != '0')
			lead = 0;
		if (!lead)
			sig++;
		k += dot;
	}
	if (dot && s[len - 1] == '0')
		return 0;
	if (sig <= 15)
		return 1;
	if (!dot || sig > 17 || len >= sizeof buf)
		return 0;
	snprintf(buf, sizeof buf, "%.*f", (int)k, v);
	if (strlen(buf) != len || memcmp(buf, s, len) != 0)
		return 0;
	snprintf(buf, sizeof buf, "%.*f", (int)k - 1, v);
	return strtod(buf, NULL) != v;
}

/*
 * The fewest decimals, without exponent, that read back as v: a plain
 * decimal token's text (plain_decimal).
 */
void
batch_shortest(double v, char *buf, size_t size)
{
	int	 k;

	for (k = 0; k < 17; k++) {
		snprintf(buf, size, "%.*f", k, v);
		if (strtod(buf, NULL) == v)
			return;
	}
	rung_fmt_double(v, 0, buf);
}

/*
 * A cell of a column whose numbers already differed within a trial: it is
 * a metric, unless its text makes it one that changes within a trial.
 */
static void
cell_varied(struct bcolumn *c, uint32_t row, const char *tok, size_t len)
{
	double	 v;

	if (c->text)
		return;
	if (rung_parse_double(tok, len, &v) != 0) {
		c->text = 1;
		c->varies_text = 1;
		return;
	}
	if (!rung_is_int_text(tok, len))
		c->nonint = 1;
	batch_put(c, row, v);
}

/* The column varied: what it kept to make a parameter is let go. */
static void
varied(struct rung_batch *b, struct bcolumn *c)
{
	c->varied = 1;
	batch_first_release(b, c);
}

/*
 * A candidate's cells. While every one is a number, the numbers are in
 * the rows, from which finish takes each trial's value when the column is
 * a parameter, and each trial's first token is kept only where its number
 * would not give it back (1e-3, 0.50); once numbers differ within a trial
 * (the usual loss column does at its second row), none, as it is a
 * metric. Finish checks that again on the merged rows (a step read again
 * may have replaced what differed). A column that sees text keeps each
 * trial's first token from then on.
 */
void
rung_batch_cell(struct rung_batch *b, uint32_t row, uint32_t m,
    const char *tok, size_t len)
{
	struct bcolumn	*c = &b->cols[m];
	const char	*first;
	double		 v;
	uint32_t	 t = b->rtrial[row];
	size_t		 cap;

	if (c->varied) {
		cell_varied(c, row, tok, len);
		return;
	}
	if (c->text) {
		if ((first = batch_first(c, t)) == NULL)
			first_put(b, c, t, tok, len);
		else if (strlen(first) != len || memcmp(first, tok, len) != 0)
			c->varies_text = 1;
		return;
	}
	if (rung_parse_double(tok, len, &v) != 0) {
		/* Text after a number of the same trial: it changes. */
		c->text = 1;
		if (c->ftrial == t)
			c->varies_text = 1;
		first_put(b, c, t, tok, len);
		return;
	}
	if (!rung_is_int_text(tok, len))
		c->nonint = 1;
	batch_put(c, row, v);
	if (c->ftrial == t) {
		if (!same_value(v, c->fnum))
			varied(b, c);
		return;
	}
	if (t / 64 < c->fseencap && (c->fseen[t / 64] >> (t % 64) & 1) != 0)
		return;		/* a trial read before, another between */
	/* The trial's first number. */
	BGROW(b, c->fseen, c->fseencap, (size_t)t / 64 + 1);
	c->fseen[t / 64] |= (uint64_t)1 << (t % 64);
	c->ftrial = t;
	c->fnum = v;
	if (!plain_decimal(tok, len, v)) {
		if (c->nodd + 1 > c->oddcap) {
			cap = c->oddcap;
			BGROW(b, c->oddtrial, cap, c->nodd + 1);
			c->oddoff = rung_batch_mem_grow(b, c->oddoff,
			    cap * sizeof *c->oddoff);
			c->oddcap = cap;
		}
		c->oddtrial[c->nodd] = t;
		c->oddoff[c->nodd++] = ftext_put(b, c, tok, len);
	}
}

/*
 * A number of a candidate column past the trial's first token (an importer
 * that parses them, long CSV). Within the trial of the last first number,
 * which in the usual file is the trial being read, a number other than
 * that one makes the column one that varied.
 */
void
rung_batch_cand_set(struct rung_batch *b, uint32_t row, uint32_t m, double v)
{
	struct bcolumn	*c = &b->cols[m];

	batch_put(c, row, v);
	if (!c->varied && b->rtrial[row] == c->ftrial &&
	    !same_value(v, c->fnum))
		varied(b, c);
}
