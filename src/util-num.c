/*
 * Numbers as text and back: parsing that accepts what Python and R write
 * for non-finite values, and printing with the fewest digits that read
 * back as the same double (util.h).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/util.h"
#include "rung/xmalloc.h"

static int
token_eq(const char *s, size_t len, const char *word)
{
	size_t	 i;

	if (strlen(word) != len)
		return 0;
	for (i = 0; i < len; i++) {
		if (tolower((unsigned char)s[i]) != word[i])
			return 0;
	}
	return 1;
}

int
rung_parse_double(const char *s, size_t len, double *out)
{
	char	 buf[64], *end, *heap = NULL;
	const char *p;
	int	 neg = 0;

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\r'))
		len--;
	if (len == 0)
		return -1;

	/* Non-finite tokens of Python, R, numpy and JavaScript. */
	p = s;
	if (*p == '-' || *p == '+') {
		neg = (*p == '-');
		p++;
	}
	if (token_eq(p, len - (p - s), "nan")) {
		*out = neg ? -NAN : NAN;
		return 0;
	}
	if (token_eq(p, len - (p - s), "inf") ||
	    token_eq(p, len - (p - s), "infinity")) {
		*out = neg ? -INFINITY : INFINITY;
		return 0;
	}
	/* strtod would take hex floats and "nan(...)": refuse the oddities. */
	if (!(isdigit((unsigned char)*p) || *p == '.'))
		return -1;
	if (len >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		return -1;

	if (len < sizeof buf) {
		memcpy(buf, s, len);
		buf[len] = '\0';
		p = buf;
	} else {
		heap = xstrndup(s, len);
		p = heap;
	}
	errno = 0;
	*out = strtod(p, &end);
	if (end != p + len) {
		free(heap);
		return -1;
	}
	/* Overflow gives +-HUGE_VAL = inf, which is what the text says. */
	free(heap);
	return 0;
}

int
rung_is_int_text(const char *s, size_t len)
{
	size_t	 i = 0;

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\r'))
		len--;
	while (i < len && s[i] == ' ')
		i++;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	if (i == len)
		return 0;
	for (; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

int
rung_parse_int64(const char *s, size_t len, int64_t *out)
{
	char	 buf[32], *end;
	long long v;

	if (!rung_is_int_text(s, len) || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno == ERANGE)
		return -1;
	while (*end == ' ' || *end == '\r')
		end++;
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

/*
 * The search for the shortest digits below costs a few snprintf and
 * strtod calls (some 20,000 instructions), and a replay's report prints
 * the same values many times over its seeds (the configuration returned,
 * its regret, its saving against the baseline: a few hundred distinct
 * values each over a thousand seeds): the texts last made, per thread, by
 * the value's bits. 2048 of them (96 KiB), so that a report's values
 * mostly stay rather than evict each other.
 */
#define FMT_CACHE_BITS	11

struct fmt_cached {
	uint64_t	 bits;
	int		 real;
	int		 used;
	char		 text[RUNG_DBL_BUFSZ];
};
static _Thread_local struct fmt_cached fmt_cache[1 << FMT_CACHE_BITS];

/* v, a whole number below 1e15, as printf's "%.0f" writes it. */
static void
fmt_whole(double v, char buf[RUNG_DBL_BUFSZ])
{
	char		 tmp[24];
	uint64_t	 n;
	size_t		 k = 0, i = 0;

	if (signbit(v))		/* "-0" too, as printf has it */
		buf[i++] = '-';
	n = (uint64_t)fabs(v);
	do {
		tmp[k++] = (char)('0' + n % 10);
		n /= 10;
	} while (n != 0);
	while (k > 0)
		buf[i++] = tmp[--k];
	buf[i] = '\0';
}

/* Does v written with prec significant digits (into buf) read back as v? */
static int
reads_back(double v, int prec, char buf[RUNG_DBL_BUFSZ])
{
	snprintf(buf, RUNG_DBL_BUFSZ, "%.*e", prec - 1, v);
	return strtod(buf, NULL) == v;
}

/*
 * The fewest digits in [lo, hi] that read back as v, hi known to: by
 * bisection, since where v is not a power of two a count that reads back
 * means every larger one does (the reason the search may start at 10).
 * buf holds that count's text, as the search one by one left it.
 */
static int
shortest_in(double v, int lo, int hi, char buf[RUNG_DBL_BUFSZ])
{
	int	 mid, inbuf = 0;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (reads_back(v, mid, buf))
			hi = inbuf = mid;
		else {
			lo = mid + 1;
			inbuf = 0;	/* buf holds the failed text */
		}
	}
	if (inbuf != lo)
		snprintf(buf, RUNG_DBL_BUFSZ, "%.*e", lo - 1, v);
	return lo;
}

char *
rung_fmt_double(double v, int always_real, char buf[RUNG_DBL_BUFSZ])
{
	struct fmt_cached	*c;
	uint64_t		 bits;
	int			 prec, exp10, decimals;
	char			*e, *m;

	if (isnan(v)) {
		strcpy(buf, "NaN");
		return buf;
	}
	if (isinf(v)) {
		strcpy(buf, v < 0 ? "-Infinity" : "Infinity");
		return buf;
	}
	/*
	 * A whole number below 1e15 is its digits: what the search below
	 * ends with for it (positional, no decimals), without up to 16
	 * rounds of snprintf and strtod (a replay's report has thousands).
	 */
	if (fabs(v) < 1e15 && v == trunc(v)) {
		fmt_whole(v, buf);
		if (always_real)
			strcat(buf, ".0");
		return buf;
	}
	memcpy(&bits, &v, sizeof bits);
	c = &fmt_cache[(bits * 0x9e3779b97f4a7c15ULL) >> (64 - FMT_CACHE_BITS)];
	if (c->used && c->bits == bits && c->real == (always_real != 0)) {
		memcpy(buf, c->text, sizeof c->text);
		return buf;
	}
	/*
	 * The fewest significant digits that read back as v. Where v is
	 * not a power of two the doubles that read as v lie as far below it
	 * as above, and the nearest decimal of more digits is never farther
	 * than one of fewer (their points are among its), so if 16 or 9
	 * digits do not read back no fewer do: the search starts above, as
	 * the whole search would have ended (at 17, with 16's text in buf).
	 */
	if (frexp(fabs(v), &exp10) == 0.5) {
		/* A power of two: its interval is lopsided, search them all. */
		for (prec = 1; prec < 17; prec++) {
			if (reads_back(v, prec, buf))
				break;
		}
	} else if (!reads_back(v, 16, buf))
		prec = 17;	/* with 16's text in buf, as the search had */
	else if (!reads_back(v, 9, buf))
		prec = shortest_in(v, 10, 16, buf);
	else
		prec = shortest_in(v, 1, 9, buf);
	exp10 = atoi(strchr(buf, 'e') + 1);
	/*
	 * Positional notation where Python's repr uses it (1e-4 <= |v| <
	 * 1e16), so that 20 prints as 20 and not 2e+01.
	 */
	if (exp10 >= -4 && exp10 < 16) {
		decimals = prec - 1 - exp10;
		snprintf(buf, RUNG_DBL_BUFSZ, "%.*f", decimals > 0 ? decimals : 0,
		    v);
	} else {
		snprintf(buf, RUNG_DBL_BUFSZ, "%.*e", prec - 1, v);
		/* 1.5e+20 rather than 1.5e+020-like padding: trim zeros. */
		e = strchr(buf, 'e');
		m = e - 1;
		while (m > buf && *m == '0')
			m--;
		if (*m == '.')
			m--;
		memmove(m + 1, e, strlen(e) + 1);
	}
	if (always_real && strpbrk(buf, ".eEn") == NULL)
		strcat(buf, ".0");
	c->used = 1;
	c->bits = bits;
	c->real = always_real != 0;
	memcpy(c->text, buf, sizeof c->text);
	return buf;
}

char *
rung_fmt_human(double v, char buf[RUNG_DBL_BUFSZ])
{
	if (isnan(v))
		strcpy(buf, "nan");
	else if (isinf(v))
		strcpy(buf, v < 0 ? "-inf" : "inf");
	else
		snprintf(buf, RUNG_DBL_BUFSZ, "%.6g", v);
	return buf;
}
