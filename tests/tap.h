/*
 * Minimal TAP for the C unit tests: ok(), is_int(), is_dbl(), is_str(),
 * then done_testing() prints the plan and returns the exit status.
 */
#ifndef RUNG_TAP_H
#define RUNG_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list	 ap;

	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) do {					\
	long long tap_g = (long long)(got), tap_w = (long long)(want);	\
	if (!ok(tap_g == tap_w, __VA_ARGS__))				\
		printf("#   got %lld, want %lld\n", tap_g, tap_w);	\
} while (0)
/* Exact comparison; NaN equals NaN. */
#define is_dbl(got, want, ...) do {					\
	double tap_g = (got), tap_w = (want);				\
	if (!ok(tap_g == tap_w || (isnan(tap_g) && isnan(tap_w)),	\
	    __VA_ARGS__))						\
		printf("#   got %.17g, want %.17g\n", tap_g, tap_w);	\
} while (0)
#define is_str(got, want, ...) do {					\
	const char *tap_g = (got), *tap_w = (want);			\
	if (!ok(tap_g != NULL && tap_w != NULL &&			\
	    strcmp(tap_g, tap_w) == 0, __VA_ARGS__))			\
		printf("#   got '%s', want '%s'\n",			\
		    tap_g ? tap_g : "(null)", tap_w ? tap_w : "(null)");\
} while (0)

static inline int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
