/* Number parsing and printing: the exactness every import relies on. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/util.h"
#include "rung/study.h"
#include "tap.h"

static double
parse(const char *s, int *rc)
{
	double	 d = -12345;

	*rc = rung_parse_double(s, strlen(s), &d);
	return d;
}

int
main(void)
{
	static const char *round[] = { "0.1", "442.538879", "1e-300",
		"2.2250738585072014e-308", "0.30000000000000004", "123456789",
		"-0.0008696040132105586", "1.7976931348623157e+308", "5e-324" };
	char	 buf[RUNG_DBL_BUFSZ];
	double	 d, back;
	int	 rc;
	int64_t	 i64;
	size_t	 i;
	char	*s;

	for (i = 0; i < sizeof round / sizeof round[0]; i++) {
		d = strtod(round[i], NULL);
		rung_fmt_double(d, 0, buf);
		back = strtod(buf, NULL);
		ok(back == d, "%s prints as %s and reads back exactly",
		    round[i], buf);
	}
	is_str(rung_fmt_double(0.1, 0, buf), "0.1", "shortest form of 0.1");
	is_str(rung_fmt_double(3.0, 1, buf), "3.0", "real 3 keeps its point");
	is_str(rung_fmt_double(3.0, 0, buf), "3", "3 without always_real");
	is_str(rung_fmt_double(20, 0, buf), "20", "20, not 2e+01");
	is_str(rung_fmt_double(2549440, 0, buf), "2549440", "an integer stays positional");
	is_str(rung_fmt_double(1e-5, 0, buf), "1e-05", "small values as Python writes them");
	is_str(rung_fmt_double(0.0001, 0, buf), "0.0001", "1e-4 is positional, as in Python");
	is_str(rung_fmt_double(1e16, 0, buf), "1e+16", "1e16 in exponent form");
	is_str(rung_fmt_double(1.5e300, 1, buf), "1.5e+300", "exponent form is real");
	is_str(rung_fmt_double(-0.5, 0, buf), "-0.5", "negative");
	is_str(rung_fmt_double(NAN, 0, buf), "NaN", "NaN token");
	is_str(rung_fmt_double(-INFINITY, 0, buf), "-Infinity", "-Infinity");

	d = parse("NaN", &rc);
	ok(rc == 0 && isnan(d), "NaN parses");
	d = parse("nan", &rc);
	ok(rc == 0 && isnan(d), "nan parses");
	d = parse("-Infinity", &rc);
	ok(rc == 0 && isinf(d) && d < 0, "-Infinity parses");
	d = parse("inf", &rc);
	ok(rc == 0 && isinf(d) && d > 0, "inf parses");
	d = parse(" 2.5 ", &rc);
	ok(rc == 0 && d == 2.5, "blanks around a number are allowed");
	parse("", &rc);
	ok(rc != 0, "empty text is not a number");
	parse("abc", &rc);
	ok(rc != 0, "abc is not a number");
	parse("1.5x", &rc);
	ok(rc != 0, "trailing garbage is refused");
	parse("0x10", &rc);
	ok(rc != 0, "hex floats are refused");
	parse("nan(123)", &rc);
	ok(rc != 0, "nan(...) is refused");
	d = parse("1e999", &rc);
	ok(rc == 0 && isinf(d), "overflow reads as infinity");

	ok(rung_is_int_text("42", 2), "42 is written as an int");
	ok(rung_is_int_text("-7", 2), "-7 is written as an int");
	ok(!rung_is_int_text("4.0", 3), "4.0 is not written as an int");
	ok(!rung_is_int_text("1e3", 3), "1e3 is not written as an int");
	ok(rung_parse_int64("9223372036854775807", 19, &i64) == 0 &&
	    i64 == INT64_MAX, "int64 max parses");
	ok(rung_parse_int64("9223372036854775808", 19, &i64) != 0,
	    "int64 overflow is refused");

	s = rung_stem("/a/b/metaqnn_cifar10.csv.gz");
	is_str(s, "metaqnn_cifar10", "stem drops directories, .gz and .csv");
	free(s);
	s = rung_stem("logs/");
	is_str(s, "logs", "stem of a directory");
	free(s);

	is_int(rung_direction_guess("val_loss"), RUNG_MIN,
	    "rung_direction_guess('val_loss') is RUNG_MIN");
	is_int(rung_direction_guess("acc"), RUNG_MAX,
	    "rung_direction_guess('acc') is RUNG_MAX");
	is_int(rung_direction_guess("perplexity_curve"), RUNG_MIN,
	    "rung_direction_guess('perplexity_curve') is RUNG_MIN");
	is_int(rung_status_parse("PRUNED"), RUNG_STOPPED,
	    "rung_status_parse('PRUNED') is RUNG_STOPPED");
	is_int(rung_status_parse("COMPLETE"), RUNG_COMPLETE,
	    "rung_status_parse('COMPLETE') is RUNG_COMPLETE");
	is_int(rung_status_parse("FAIL"), RUNG_FAILED,
	    "rung_status_parse('FAIL') is RUNG_FAILED");
	is_int(rung_status_parse("bogus"), -1,
	    "rung_status_parse('bogus') is -1");
	is_int((int)rung_edit_distance("mlfp", "mlpf"), 1,
	    "a swap of neighbours is one edit");
	is_int((int)rung_edit_distance("Loss", "loss"), 0,
	    "case is folded");
	is_int((int)rung_edit_distance("", "abc"), 3, "from empty: insertions");
	is_int((int)rung_edit_distance("kitten", "sitting"), 3,
	    "kitten to sitting is 3");
	{
		char	*names[] = { "mlpf", "resnet", "mlp", "mlfpx", "cnn",
			    "mlpfs" };
		char	*few[] = { "lr", "wd", "depth" };
		size_t	 near[3], k;
		struct rung_buf b = { 0 };

		k = rung_nearest_names("mlfp", names, 6, near, 3);
		ok(k == 3 && near[0] == 0 && near[1] == 2 && near[2] == 3,
		    "nearest to mlfp: mlpf, then mlp and mlfpx (first of equals first)");
		k = rung_nearest_names("mlfp", names, 6, near, 1);
		ok(k == 1 && near[0] == 0, "max 1 keeps the nearest");
		k = rung_nearest_names("lr", few, 3, near, 3);
		ok(k == 0, "a name itself is not suggested");
		k = rung_nearest_names("xyz", few, 3, near, 3);
		ok(k == 0, "nothing within a slip: no suggestion");
		ok(rung_buf_did_you_mean(&b, "mlfp", names, 6) == 1, "suggests");
		is_str(rung_buf_cstr(&b), "; did you mean 'mlpf', 'mlp' or 'mlfpx'?",
		    "up to 3, joined with or");
		rung_buf_release(&b);
		ok(rung_buf_did_you_mean(&b, "dept", few, 3) == 1 &&
		    strcmp(rung_buf_cstr(&b), "; did you mean 'depth'?") == 0,
		    "one name alone");
		rung_buf_release(&b);
		ok(rung_buf_did_you_mean(&b, "zzz", few, 3) == 0 && b.len == 0,
		    "nothing appended when nothing is near");
		rung_buf_release(&b);
	}
	s = rung_path_join("runs/", "a.log");
	is_str(s, "runs/a.log", "a directory ending in / joins with one slash");
	free(s);
	s = rung_path_join("runs", "a.log");
	is_str(s, "runs/a.log", "and one without gets one");
	free(s);
	s = rung_path_join("/", "tmp");
	is_str(s, "/tmp", "the root");
	free(s);
	s = rung_path_join("", "a.log");
	is_str(s, "a.log", "no directory: the name alone");
	free(s);
	/* Text from data as a terminal shows it. */
	{
		static const struct {
			const char	*in, *out, *what;
		} esc[] = {
			{ "plain text", "plain text", "printable ASCII is kept" },
			{ "", "", "empty" },
			{ "a\tb\nc\rd", "a\\tb\\nc\\rd", "tab, newline, CR" },
			{ "\033]0;pwned\007", "\\x1b]0;pwned\\x07",
			    "ESC and BEL as \\xNN" },
			{ "\001\037\177", "\\x01\\x1f\\x7f", "C0 and DEL" },
			{ "a\302\233b\302\237", "a\\xc2\\x9bb\\xc2\\x9f",
			    "C1 (U+009B, U+009F), byte by byte" },
			{ "\302\240\303\251\344\270\255\360\237\230\200",
			    "\302\240\303\251\344\270\255\360\237\230\200",
			    "U+00A0 and other UTF-8 is kept" },
			{ "a\377b\233c", "a\\xffb\\x9bc", "bytes not UTF-8" },
			{ "\303", "\\xc3", "a sequence cut short" },
			{ "\300\257", "\\xc0\\xaf", "an overlong form" },
			{ "\355\240\200", "\\xed\\xa0\\x80", "a surrogate" },
			{ "C:\\dir\\x1b", "C:\\dir\\x1b",
			    "a backslash is kept: escaping twice changes nothing" },
		};
		char	*e, *e2, *cause;

		for (i = 0; i < sizeof esc / sizeof esc[0]; i++) {
			e = rung_esc(esc[i].in);
			is_str(e, esc[i].out, "escape: %s", esc[i].what);
			ok(rung_esc_needed(esc[i].in, strlen(esc[i].in)) ==
			    (strcmp(esc[i].in, esc[i].out) != 0),
			    "rung_esc_needed agrees: %s", esc[i].what);
			e2 = rung_esc(e);
			is_str(e2, e, "and the escaped form is clean: %s",
			    esc[i].what);
			free(e);
			free(e2);
		}
		ok(rung_name_check("study", "val_acc é 1", &cause) == 0,
		    "a name of printable UTF-8 is fine");
		ok(rung_name_check("study", "", &cause) == -1, "empty: refused");
		is_str(cause, "study name is empty", "and said so");
		free(cause);
		ok(rung_name_check("metric", "lo\033[2Jss", &cause) == -1,
		    "ESC: refused");
		is_str(cause, "metric name 'lo\\x1b[2Jss' holds a control "
		    "character (\\x1b)", "the name escaped in the message");
		free(cause);
		ok(rung_name_check("parameter", "a\302\205", &cause) == -1 &&
		    strstr(cause, "(\\xc2\\x85)") != NULL, "C1: refused");
		free(cause);
		ok(rung_name_check("study", "a\377", &cause) == -1 &&
		    strstr(cause, "a byte that is not UTF-8 (\\xff)") != NULL,
		    "a byte not UTF-8: refused, and said so");
		free(cause);
		ok(rung_name_check("study", "a\nb", &cause) == -1 &&
		    strstr(cause, "'a\\nb'") != NULL, "a newline: refused");
		free(cause);
	}
	return done_testing();
}
