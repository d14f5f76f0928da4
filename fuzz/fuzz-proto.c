/*
 * The protocol lines of rung launch (src/launch-proto.c): the input is what
 * a trainer writes on its standard output, cut into lines at each newline
 * as rung launch reads it (the last line may lack one), and also taken
 * whole as one line. Each line goes to rung_report_parse, which must say
 * 0 (not a report) without a cause, 1 with a report as man 5 rung
 * describes it, or -1 with a cause, and leave nothing allocated but the
 * report. A report must read back from the line a trainer would write for
 * it, and blanks before the line or a CR after it change nothing but the
 * character a cause points at.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rung/launch.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "fuzz.h"

/* What a cause that points at a character starts with. */
#define AT	"not JSON at character "

static void
fail(const char *what, const char *line, size_t len)
{
	fprintf(stderr, "fuzz-proto: %s: '%.*s'\n", what,
	    len > 200 ? 200 : (int)len, line);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return 0;
}

/* Characters (UTF-8 sequences, other bytes one each) of s[0..len). */
static size_t
nchars(const char *s, size_t len)
{
	size_t	 n = 0, i;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

/*
 * The character a cause points at, or 0. Only the start is looked at: a
 * cause may quote a member's name, which may say anything.
 */
static size_t
cause_at(const char *cause)
{
	if (strncmp(cause, AT, strlen(AT)) != 0)
		return 0;
	return (size_t)strtoul(cause + strlen(AT), NULL, 10);
}

static int
same_report(const struct rung_report *a, const struct rung_report *b)
{
	size_t	 i;

	if (a->step != b->step || a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		if (strcmp(a->keys[i], b->keys[i]) != 0)
			return 0;
		if (isnan(a->vals[i]) ? !isnan(b->vals[i]) :
		    a->vals[i] != b->vals[i])
			return 0;
	}
	return 1;
}

/* Parse a copy of exactly len bytes: ASan sees a read past the end. */
static int
parse(const char *line, size_t len, struct rung_report *r, char **cause)
{
	char	*copy;
	int	 rc;

	copy = xmalloc(len ? len : 1);
	memcpy(copy, line, len);
	*cause = NULL;
	rc = rung_report_parse(copy, len, r, cause);
	free(copy);
	return rc;
}

/* The line a trainer would write for the report, as Python writes it. */
static char *
unparse(const struct rung_report *r)
{
	json_object	*o;
	char		*s;
	size_t		 i;

	o = json_object_new_object();
	json_object_object_add(o, "step", json_object_new_int(r->step));
	for (i = 0; i < r->n; i++)
		json_object_object_add(o, r->keys[i],
		    json_object_new_double(r->vals[i]));
	s = xprintf("rung: %s", json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_SPACED));
	json_object_put(o);
	return s;
}

static void
check_report(const struct rung_report *r, const char *line, size_t len)
{
	struct rung_report back;
	char		*s, *m = NULL, *cause = NULL;
	size_t		 i, j, bad;

	if (r->step < 0 || r->step == INT32_MAX)
		fail("a report's step out of range", line, len);
	if (r->n > 0 && (r->keys == NULL || r->vals == NULL))
		fail("a report without its members", line, len);
	for (i = 0; i < r->n; i++) {
		if (r->keys[i] == NULL || strcmp(r->keys[i], "step") == 0)
			fail("a report with a bad member", line, len);
		if (!rung_utf8_valid(r->keys[i], strlen(r->keys[i]), &bad))
			fail("a metric named by text that is not UTF-8", line,
			    len);
		for (j = 0; j < i; j++) {
			if (strcmp(r->keys[i], r->keys[j]) == 0)
				fail("a metric twice in a report", line, len);
		}
		if (rung_report_find(r, r->keys[i]) != (int)i)
			fail("a metric not found where it is", line, len);
	}
	if (rung_report_find(r, "step") != -1)
		fail("step found as a metric", line, len);

	/* The metric when none is named: the only number, else a cause. */
	if (rung_report_metric(r, &m, &cause) == 0) {
		if (r->n != 1 || m == NULL || strcmp(m, r->keys[0]) != 0)
			fail("a metric chosen among several or none", line,
			    len);
		free(m);
	} else {
		if (r->n == 1 || cause == NULL || *cause == '\0')
			fail("no metric chosen, or no cause", line, len);
		free(cause);
	}

	s = unparse(r);
	if (parse(s, strlen(s), &back, &cause) != 1)
		fail("a report written back is not one", s, strlen(s));
	if (!same_report(r, &back))
		fail("a report written back reads as another", s, strlen(s));
	rung_report_release(&back);
	free(s);
}

/* rc and cause of a line, and what blanks before and a CR after change. */
static void
check_line(const char *line, size_t len)
{
	struct rung_report r, r2;
	const char	*p;
	char		*cause = NULL, *cause2 = NULL, *v;
	size_t		 at, at2, plen = strlen(RUNG_REPORT_PREFIX), bad, vlen;
	int		 rc, rc2, k;

	rc = parse(line, len, &r, &cause);
	switch (rc) {
	case 0:
		if (cause != NULL)
			fail("a line that is no report has a cause", line, len);
		if (r.n != 0 || r.keys != NULL || r.vals != NULL)
			fail("a line that is no report has members", line, len);
		for (p = line; p < line + len && (*p == ' ' || *p == '\t');
		    p++)
			;
		if ((size_t)(line + len - p) >= plen &&
		    memcmp(p, RUNG_REPORT_PREFIX, plen) == 0)
			fail("a line with the prefix is taken for no report",
			    line, len);
		break;
	case -1:
		if (cause == NULL || *cause == '\0')
			fail("a malformed report without a cause", line, len);
		if (!rung_utf8_valid(cause, strlen(cause), &bad))
			fail("a cause that is not UTF-8", line, len);
		if (r.n != 0 || r.keys != NULL || r.vals != NULL)
			fail("a malformed report keeps members", line, len);
		if (strncmp(cause, AT, strlen(AT)) == 0 &&
		    ((at = cause_at(cause)) < 1 || at > nchars(line, len) + 1))
			fail("a cause points past the line", cause,
			    strlen(cause));
		break;
	case 1:
		check_report(&r, line, len);
		break;
	default:
		fail("rung_report_parse returns neither 0, 1 nor -1", line,
		    len);
	}

	/*
	 * Blanks before, then a CR after (unless it has one: only one is
	 * taken off): the same, but for where a cause points.
	 */
	for (k = 0; k < 2; k++) {
		if (k == 1 && len > 0 && line[len - 1] == '\r')
			break;
		vlen = len + (k == 0 ? 2 : 1);
		v = xmalloc(vlen);
		if (k == 0) {
			memcpy(v, " \t", 2);
			memcpy(v + 2, line, len);
		} else {
			memcpy(v, line, len);
			v[len] = '\r';
		}
		rc2 = parse(v, vlen, &r2, &cause2);
		if (rc2 != rc)
			fail(k == 0 ? "blanks before a line change it" :
			    "a CR after a line changes it", line, len);
		if (rc == 1 && !same_report(&r, &r2))
			fail(k == 0 ? "blanks before a report change it" :
			    "a CR after a report changes it", line, len);
		if (rc == -1) {
			at = cause_at(cause);
			at2 = cause_at(cause2);
			if ((at == 0) != (at2 == 0) ||
			    (at != 0 && at2 != at + (k == 0 ? 2 : 0)))
				fail(k == 0 ? "blanks before a line move the "
				    "character a cause points at" : "a CR "
				    "after a line moves the character a cause "
				    "points at", cause2, strlen(cause2));
		}
		if (rc2 == 1)
			rung_report_release(&r2);
		free(cause2);
		cause2 = NULL;
		free(v);
	}
	if (rc == 1)
		rung_report_release(&r);
	free(cause);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data, *end = p + size, *nl;

	/* As rung launch reads a trainer's output: a line at each newline. */
	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		check_line(p, (size_t)(nl - p));
		p = nl + 1;
	}
	if (p < end)
		check_line(p, (size_t)(end - p));
	/* The whole input as one line: newlines are JSON blanks. */
	if (memchr(data, '\n', size) != NULL)
		check_line((const char *)data, size);
	return 0;
}
