/*
 * The gnuplot script builder: label quoting, terminals and sizes, and the
 * same commands written for the pipe and for plot.gp; and how curves are
 * drawn (curve-style.c): the robust y range, --yrange and smoothing.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/curvestyle.h"
#include "rung/plot.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "tap.h"

static char *
quoted(const char *s)
{
	struct rung_buf	 b = { 0 };

	rung_plot_quote_buf(&b, s);
	return rung_buf_cstr(&b);
}

static void
test_quote(void)
{
	char	*q, *long_s;
	size_t	 i, len;
	int	 valid = 1;

	q = quoted("plain label");
	is_str(q, "'plain label'", "a plain label is single-quoted");
	free(q);
	q = quoted("it's");
	is_str(q, "'it''s'", "a quote is doubled");
	free(q);
	q = quoted("a\nb\rc\td\001e\177f\033]0;x\007g\302\233h\377");
	is_str(q, "'a\\nb\\rc\\td\\x01e\\x7ff\\x1b]0;x\\x07g\\xc2\\x9bh\\xff'",
	    "control characters, DEL, C1 and bytes not UTF-8 are escaped");
	free(q);
	q = quoted("`touch pwned`");
	is_str(q, "'touch pwned'", "backquotes are left out");
	free(q);
	q = quoted("x'; system('touch pwned'); '");
	is_str(q, "'x''; system(''touch pwned''); '''", "an escape attempt stays "
	    "inside the string");
	free(q);
	q = quoted("x\"; @m \\");
	is_str(q, "'x\"; @m \\'", "double quotes, @ and \\ are plain text "
	    "inside single quotes");
	free(q);
	q = quoted("");
	is_str(q, "''", "an empty label");
	free(q);

	/* 200 two-byte characters: cut at a character, marked. */
	long_s = xmalloc(401);
	for (i = 0; i < 200; i++)
		memcpy(long_s + 2 * i, "\303\251", 2);
	long_s[400] = '\0';
	q = quoted(long_s);
	len = strlen(q);
	ok(len < 200 && strcmp(q + len - 4, "...'") == 0,
	    "a long label is cut and ends in ...: %zu bytes", len);
	for (i = 1; i + 4 < len; i += 2) {
		if ((unsigned char)q[i] != 0303 ||
		    (unsigned char)q[i + 1] != 0251)
			valid = 0;
	}
	ok(valid, "and is cut between characters");
	free(q);
	free(long_s);
}

static void
test_terms(void)
{
	char	*cause = NULL;
	int	 w = 0, h = 0;

	is_int(rung_plot_term_of("a.png"), RUNG_PLOT_PNG, ".png");
	is_int(rung_plot_term_of("dir.x/A.PNG"), RUNG_PLOT_PNG, ".PNG");
	is_int(rung_plot_term_of("a.svg"), RUNG_PLOT_SVG, ".svg");
	is_int(rung_plot_term_of("a.pdf"), RUNG_PLOT_PDF, ".pdf");
	is_int(rung_plot_term_of("a.txt"), RUNG_PLOT_DUMB, ".txt");
	is_int(rung_plot_term_of("a.gif"), -1, ".gif is none");
	is_int(rung_plot_term_of(".png"), -1, "a bare .png is none");

	ok(rung_plot_size_parse("640x480", RUNG_PLOT_PNG, &w, &h,
	    &cause) == 0 && w == 640 && h == 480, "640x480");
	ok(rung_plot_size_parse("90X25", RUNG_PLOT_DUMB, &w, &h,
	    &cause) == 0 && w == 90 && h == 25, "90X25 characters");
	ok(rung_plot_size_parse("800", RUNG_PLOT_PNG, &w, &h, &cause) != 0 &&
	    strstr(cause, "WIDTHxHEIGHT") != NULL, "800 is not a size");
	free(cause);
	cause = NULL;
	ok(rung_plot_size_parse("800x500x2", RUNG_PLOT_PNG, &w, &h,
	    &cause) != 0, "800x500x2 is not a size");
	free(cause);
	cause = NULL;
	ok(rung_plot_size_parse("50x50", RUNG_PLOT_PNG, &w, &h, &cause) != 0 &&
	    strstr(cause, "out of range") != NULL, "50x50 pixels is too small");
	free(cause);
	cause = NULL;
	ok(rung_plot_size_parse("5000x20", RUNG_PLOT_DUMB, &w, &h,
	    &cause) != 0, "5000 columns is too wide");
	free(cause);
	rung_plot_default_size(RUNG_PLOT_PDF, &w, &h);
	ok(w == 768 && h == 480, "PDF: 8 by 5 inches");
}

static void
test_script(void)
{
	struct rung_plot *p = rung_plot_new();
	struct rung_plot_target tg;
	char		*s, *name;

	memset(&tg, 0, sizeof tg);
	tg.term = RUNG_PLOT_PNG;
	tg.path = "/tmp/some dir/out.png";
	tg.width = 640;
	tg.height = 400;

	rung_plot_data(p, "pts");
	rung_plot_row(p, 2, 1.0, 2.5);
	rung_plot_row(p, 2, NAN, INFINITY);
	rung_plot_gap(p, 1);
	rung_plot_row(p, 2, 3.0, 0.1);
	is_int(rung_plot_rows(p), 3, "three rows");
	rung_plot_cmd(p, "set xrange [0:");
	rung_plot_num(p, 3);
	rung_plot_cmd(p, "]\nplot ");
	rung_plot_ref(p, "pts");
	rung_plot_cmd(p, " using 1:2 title ");
	rung_plot_quote(p, "it's `x`\n");
	rung_plot_cmd(p, "\n");

	s = rung_plot_script(p, &tg, 0);
	ok(strstr(s, "set terminal pngcairo size 640,400 noenhanced") != NULL,
	    "the pipe's script sets the terminal");
	ok(strstr(s, "set output") == NULL, "and writes to stdout");
	ok(strstr(s, "$pts << EOD\n1 2.5\nNaN NaN\n\n3 0.1\nEOD\n") != NULL,
	    "the data inline, non-finite values as NaN");
	ok(strstr(s, "set xrange [0:3.0]\nplot $pts using 1:2 title "
	    "'it''s x\\n'\n") != NULL, "numbers real, the data by name, the "
	    "label quoted, its newline escaped");
	free(s);

	s = rung_plot_script(p, &tg, 1);
	ok(strncmp(s, "# ", 2) == 0, "plot.gp starts with a comment");
	ok(strstr(s, "set output 'out.png'\n") != NULL,
	    "plot.gp writes the base name");
	ok(strstr(s, "EOD") == NULL && strstr(s, "plot 'pts.dat' using 1:2") !=
	    NULL, "plot.gp reads the .dat file");
	free(s);

	name = rung_plot_export_name(&tg);
	is_str(name, "out.png", "a safe base name is kept");
	free(name);
	tg.path = "x/it's.png";
	name = rung_plot_export_name(&tg);
	is_str(name, "plot.png", "an unsafe one becomes plot.png");
	free(name);
	tg.term = RUNG_PLOT_DUMB;
	tg.path = NULL;
	ok(rung_plot_export_name(&tg) == NULL, "no file, no name");
	s = rung_plot_script(p, &tg, 1);
	ok(strstr(s, "set output") == NULL && strstr(s, "set terminal dumb "
	    "size 640,400") != NULL, "text goes to stdout");
	free(s);
	rung_plot_free(p);
}

static void
test_labels(void)
{
	double	 pos[5] = { 1, 3, 9, 27, 81 }, w[5] = { 1, 1, 1, 2, 2 }, sc;
	double	 p[5];
	int	 row[5], i;

	/* Compute per replay from 70 to 160, or from 0 to 340: few tics. */
	is_int((int)rung_plot_tic_step(90, 4, 0), 50, "90 in 4 tics: 50");
	is_int((int)rung_plot_tic_step(340, 5, 0), 100, "340 in 5 tics: 100");
	is_int((int)rung_plot_tic_step(340, 12, 0), 50, "340 in 12: 50");
	ok(rung_plot_tic_step(0.37, 5, 0) == 0.1, "0.37 in 5 tics: 0.1");
	is_int((int)rung_plot_tic_step(3, 20, 1), 1, "steps: 1 at least");
	/* Milestones 1 3 9 27 81 of eta 3 on 30 columns: 1 and 3 collide. */
	sc = 30.0 / 84;
	for (i = 0; i < 5; i++)
		p[i] = pos[i] * sc;
	is_int(rung_plot_stagger(p, w, 5, row), 2, "two rows on 30 columns");
	is_int(row[0], 0, "1 on the first row");
	is_int(row[1], 1, "3 on the second");
	is_int(row[2], 0, "9 back on the first");
	is_int(row[3], 0, "27 on the first");
	is_int(row[4], 0, "81 on the first");
	/* On 300 columns, one row. */
	for (i = 0; i < 5; i++)
		p[i] = pos[i] * 300 / 84;
	is_int(rung_plot_stagger(p, w, 5, row), 1, "one row on 300 columns");
	/* Three at one place: the third is left out. */
	p[0] = p[1] = p[2] = 10;
	rung_plot_stagger(p, w, 3, row);
	is_int(row[2], -1, "a third label at the same place is left out");
}

static void
test_yrange(void)
{
	double	 v[200], lo, hi;
	char	*cause = NULL;
	int	 i, n;

	/* Tame: a curve falling from 10 to 0.1, its full range. */
	for (i = 0; i < 100; i++)
		v[i] = 0.1 + 9.9 / (1 + i);
	is_int(rung_yrange_robust(v, 100, NAN, &lo, &hi), 0,
	    "a tame curve clips nothing");
	ok(lo == 0.1 + 9.9 / 100 && hi == 10, "and keeps its range, "
	    "%g to %g", lo, hi);
	/* Three points of 200 diverged: clipped above, the rest kept. */
	for (i = 0; i < 200; i++)
		v[i] = 1 + (i % 20) / 20.0;
	v[17] = 1e5;
	v[18] = 1e14;
	v[19] = INFINITY;
	v[20] = NAN;
	v[21] = 1e9;
	is_int(rung_yrange_robust(v, 200, NAN, &lo, &hi), RUNG_CLIP_HI,
	    "a diverged trial's points are clipped above");
	ok(lo == 1 && hi > 1.95 && hi < 2.1, "the range is the tame one: %g "
	    "to %g", lo, hi);
	/* Down too, and the best value always in. */
	for (i = 0; i < 200; i++)
		v[i] = 1 + (i % 20) / 20.0;
	v[5] = -1e12;
	is_int(rung_yrange_robust(v, 200, NAN, &lo, &hi), RUNG_CLIP_LO,
	    "clipped below");
	for (i = 0; i < 200; i++)
		v[i] = 1 + (i % 20) / 20.0;
	v[5] = -1e12;
	is_int(rung_yrange_robust(v, 200, -1e12, &lo, &hi), 0,
	    "the best value is never clipped");
	ok(lo == -1e12, "the range reaches it");
	/* A diverged curve alone: a fifth of its points wild. */
	for (n = 0; n < 16; n++)
		v[n] = 0.9 + 2.0 / (n + 1);
	v[n++] = 1e5;
	v[n++] = 1e8;
	v[n++] = 1e11;
	v[n++] = 1e14;
	is_int(rung_yrange_robust(v, (size_t)n, NAN, &lo, &hi), RUNG_CLIP_HI,
	    "one diverged curve alone is clipped too");
	ok(hi < 3.5, "to its tame part: %g", hi);
	v[0] = NAN;
	is_int(rung_yrange_robust(v, 1, NAN, &lo, &hi), -1, "nothing finite");

	/* --yrange. */
	is_int(rung_yrange_parse("0.2:1.5", &lo, &hi, &cause), 0, "LO:HI");
	ok(lo == 0.2 && hi == 1.5, "both sides");
	is_int(rung_yrange_parse(":1.5", &lo, &hi, &cause), 0, ":HI");
	ok(isnan(lo) && hi == 1.5, "LO automatic");
	is_int(rung_yrange_parse("-3:", &lo, &hi, &cause), 0, "LO:");
	ok(lo == -3 && isnan(hi), "HI automatic");
	is_int(rung_yrange_parse("2:1", &lo, &hi, &cause), -1, "LO >= HI");
	free(cause);
	cause = NULL;
	is_int(rung_yrange_parse("1", &lo, &hi, &cause), -1, "no colon");
	free(cause);
	cause = NULL;
	is_int(rung_yrange_parse("1:inf", &lo, &hi, &cause), -1, "inf");
	free(cause);
	cause = NULL;
	lo = 0;
	hi = 1;
	rung_yrange_merge(2, NAN, &lo, &hi);
	ok(lo == 2 && hi > 2, "a LO above the automatic HI moves HI: %g", hi);
}

static void
test_smooth(void)
{
	double	 in[6] = { 1, NAN, 0.5, 0.7, INFINITY, 0.2 }, out[6];
	double	 c[3] = { 0.3, 0.3, 0.3 }, w = 0.6, last = 0, want;
	char	*cause = NULL;
	int	 i, k = 0;

	rung_smooth_ema(in, out, 6, w);
	for (i = 0; i < 6; i++) {
		if (!isfinite(in[i])) {
			ok(!isfinite(out[i]), "a value not finite is kept");
			continue;
		}
		last = last * w + (1 - w) * in[i];
		want = last / (1 - pow(w, ++k));
		ok(fabs(out[i] - want) < 1e-12, "point %d: %g, not %g", i,
		    out[i], want);
	}
	is_dbl(out[0], 1.0, "the first value is itself");
	ok(fabs(out[2] - 0.6875) < 1e-12, "TensorBoard's 0.6875");
	rung_smooth_ema(c, c, 3, 0.9);
	ok(c[0] == 0.3 && c[1] == 0.3 && c[2] == 0.3, "a constant curve as "
	    "it is");
	is_int(rung_smooth_parse("0.6", &w, &cause), 0, "0.6");
	is_int(rung_smooth_parse("1", &w, &cause), -1, "1 is refused");
	free(cause);
	cause = NULL;
	is_int(rung_smooth_parse("-0.1", &w, &cause), -1, "below 0 too");
	free(cause);
}

int
main(void)
{
	test_yrange();
	test_smooth();
	test_labels();
	test_quote();
	test_terms();
	test_script();
	return done_testing();
}
