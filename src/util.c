#include "config.h"

#include <ctype.h>
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "rung/util.h"
#include "rung/xmalloc.h"

const char	*rung_progname = "rung";
void		(*rung_msg_hook)(int, const char *);
int		 rung_quiet;

/* A message escaped as rung_buf_add_esc does: it quotes data. */
static char *
msg_esc(char *msg)
{
	char	*esc;

	if (!rung_esc_needed(msg, strlen(msg)))
		return msg;
	esc = rung_esc(msg);
	free(msg);
	return esc;
}

static void
vmsg(int is_error, const char *prefix, const char *fmt, va_list ap)
{
	char	*msg;

	xvasprintf(&msg, fmt, ap);
	msg = msg_esc(msg);
	if (rung_msg_hook != NULL)
		rung_msg_hook(is_error, msg);
	else
		fprintf(stderr, "%s: %s%s\n", rung_progname, prefix, msg);
	free(msg);
}

void
rung_warn(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vmsg(0, "warning: ", fmt, ap);
	va_end(ap);
}

void
rung_error(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vmsg(1, "", fmt, ap);
	va_end(ap);
}

void
rung_info(const char *fmt, ...)
{
	va_list	 ap;

	if (rung_quiet)
		return;
	va_start(ap, fmt);
	vmsg(0, "", fmt, ap);
	va_end(ap);
}

int
rung_thread_start(pthread_t *th, void *(*fn)(void *), void *arg)
{
	pthread_attr_t	 attr;
	int		 err;

#if defined(__GLIBC__) && defined(M_ARENA_MAX)
	/*
	 * Threads then share the main arena. They allocate little once
	 * started (grown buffers), so its lock is rarely contended.
	 */
	mallopt(M_ARENA_MAX, 1);
#endif
	if ((err = pthread_attr_init(&attr)) != 0)
		return err;
	if ((err = pthread_attr_setstacksize(&attr, 1 << 20)) == 0)
		err = pthread_create(th, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	return err;
}

double
rung_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void
rung_progress_start(struct rung_progress *p, const char *label,
    uint64_t total)
{
	p->label = label;
	p->total = total;
	p->done = 0;
	p->enabled = isatty(STDERR_FILENO) && !rung_quiet &&
	    rung_msg_hook == NULL;
	p->last = 0;
}

void
rung_progress_update(struct rung_progress *p, uint64_t done)
{
	double	 now;

	p->done = done;
	if (!p->enabled)
		return;
	now = rung_now();
	if (now - p->last < 0.1)
		return;
	p->last = now;
	if (p->total > 0)
		fprintf(stderr, "\r%s: %3d%%", p->label,
		    (int)(100.0 * (double)done / (double)p->total));
	else
		fprintf(stderr, "\r%s: %llu", p->label,
		    (unsigned long long)done);
	fflush(stderr);
}

void
rung_progress_end(struct rung_progress *p)
{
	if (p->enabled && p->last != 0) {
		/* Erase the line so that what follows starts clean. */
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
	}
}

void
rung_buf_add(struct rung_buf *b, const void *p, size_t len)
{
	XGROW(b->data, b->cap, b->len + len + 1);
	memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
rung_buf_addc(struct rung_buf *b, char c)
{
	rung_buf_add(b, &c, 1);
}

void
rung_buf_addstr(struct rung_buf *b, const char *s)
{
	rung_buf_add(b, s, strlen(s));
}

void
rung_buf_printf(struct rung_buf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(&s, fmt, ap);
	va_end(ap);
	rung_buf_add(b, s, (size_t)n);
	free(s);
}

char *
rung_buf_cstr(struct rung_buf *b)
{
	if (b->data == NULL)
		rung_buf_add(b, "", 0);
	return b->data;
}

void
rung_buf_release(struct rung_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/*
 * zlib reports a truncated gzip stream not as a failed read but as an error
 * left behind once the data runs out: look at both.
 */
static int
gz_failed(gzFile gz, int n, const char *path, char **cause)
{
	const char	*msg;
	int		 errnum;

	msg = gzerror(gz, &errnum);
	if (n >= 0 && (errnum == Z_OK || errnum == Z_STREAM_END))
		return 0;
	if (errnum == Z_BUF_ERROR)
		xasprintf(cause, "cannot read '%s': the gzip data is truncated",
		    path);
	else
		xasprintf(cause, "cannot read '%s': %s", path,
		    errnum == Z_ERRNO ? strerror(errno) : msg);
	return 1;
}

int
rung_read_file(const char *path, char **data, size_t *len, char **cause)
{
	gzFile		 gz;
	struct rung_buf	 b = { 0 };
	char		 chunk[65536];
	int		 n;

	if ((gz = gzopen(path, "rb")) == NULL) {
		xasprintf(cause, "cannot open '%s': %s", path,
		    errno ? strerror(errno) : "out of memory");
		return -1;
	}
	gzbuffer(gz, 1 << 17);
	while ((n = gzread(gz, chunk, sizeof chunk)) > 0)
		rung_buf_add(&b, chunk, (size_t)n);
	if (gz_failed(gz, n, path, cause)) {
		gzclose(gz);
		rung_buf_release(&b);
		return -1;
	}
	gzclose(gz);
	*data = rung_buf_cstr(&b);
	*len = b.len;
	return 0;
}

int
rung_write_file(const char *path, const char *data, size_t len, char **cause)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL) {
		xasprintf(cause, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if ((len > 0 && fwrite(data, 1, len, f) != len) || fflush(f) != 0 ||
	    ferror(f)) {
		xasprintf(cause, "cannot write '%s': %s", path,
		    strerror(errno));
		fclose(f);
		return -1;
	}
	if (fclose(f) != 0) {
		xasprintf(cause, "cannot write '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

void
rung_digest_init(struct rung_digest *d)
{
	d->crc = crc32(0, Z_NULL, 0);
	d->adl = adler32(0, Z_NULL, 0);
	d->total = 0;
}

void
rung_digest_add(struct rung_digest *d, const void *p, size_t n)
{
	const Bytef	*b = p;
	uInt		 k;

	d->total += n;
	while (n > 0) {
		k = n > (1U << 30) ? 1U << 30 : (uInt)n;
		d->crc = crc32(d->crc, b, k);
		d->adl = adler32(d->adl, b, k);
		b += k;
		n -= k;
	}
}

char *
rung_digest_text(const struct rung_digest *d)
{
	return xprintf("%08lx-%08lx-%llx", d->crc & 0xffffffffUL,
	    d->adl & 0xffffffffUL, (unsigned long long)d->total);
}

int
rung_file_digest(const char *path, char **digest, uint64_t *size,
    char **cause)
{
	gzFile		 gz;
	static char	 chunk[1 << 17];
	int		 n;
	struct rung_digest d;

	if ((gz = gzopen(path, "rb")) == NULL) {
		xasprintf(cause, "cannot open '%s': %s", path,
		    errno ? strerror(errno) : "out of memory");
		return -1;
	}
	rung_digest_init(&d);
	while ((n = gzread(gz, chunk, sizeof chunk)) > 0)
		rung_digest_add(&d, chunk, (size_t)n);
	if (gz_failed(gz, n, path, cause)) {
		gzclose(gz);
		return -1;
	}
	gzclose(gz);
	*digest = rung_digest_text(&d);
	*size = d.total;
	return 0;
}

char *
rung_stem(const char *path)
{
	const char	*base, *end;
	char		*s, *dot;
	size_t		 len;

	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	end = path + len;
	for (base = end; base > path && base[-1] != '/'; base--)
		;
	s = xstrndup(base, (size_t)(end - base));
	len = strlen(s);
	if (len > 3 && strcmp(s + len - 3, ".gz") == 0)
		s[len - 3] = '\0';
	if ((dot = strrchr(s, '.')) != NULL && dot != s)
		*dot = '\0';
	return s;
}

/*
 * dir/name with one slash between them: a directory given as "runs/" (as
 * shells complete it) would otherwise print as "runs//name".
 */
char *
rung_path_join(const char *dir, const char *name)
{
	size_t	 n = strlen(dir);

	if (n == 0)
		return xstrdup(name);
	while (*name == '/' && dir[n - 1] == '/')
		name++;
	if (dir[n - 1] == '/' || *name == '/')
		return xprintf("%s%s", dir, name);
	return xprintf("%s/%s", dir, name);
}

int
rung_temp_file(const char *stem, char **path, int *fd, char **cause)
{
	const char	*dir;
	char		*name;

	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	name = xprintf("%s.XXXXXX", stem);
	*path = rung_path_join(dir, name);
	free(name);
	if ((*fd = mkstemp(*path)) == -1) {
		xasprintf(cause, "cannot create a temporary file in '%s': %s",
		    dir, strerror(errno));
		free(*path);
		*path = NULL;
		return -1;
	}
	return 0;
}

uint64_t
rung_hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

int
rung_strieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

int
rung_strcasestr_has(const char *hay, const char *needle)
{
	return strcasestr(hay, needle) != NULL;
}

/*
 * Optimal string alignment distance: insertions, deletions, substitutions
 * and swaps of neighbours (mlfp for mlpf is one slip, not two), with ASCII
 * case folded, so that Loss finds loss.
 */
size_t
rung_edit_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j, c, best, *d;
	size_t	 w = lb + 1;

	d = xreallocarray(NULL, (la + 1) * w, sizeof *d);
	for (i = 0; i <= la; i++)
		d[i * w] = i;
	for (j = 0; j <= lb; j++)
		d[j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			c = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			best = d[(i - 1) * w + j - 1] + c;
			if (d[(i - 1) * w + j] + 1 < best)
				best = d[(i - 1) * w + j] + 1;
			if (d[i * w + j - 1] + 1 < best)
				best = d[i * w + j - 1] + 1;
			if (i > 1 && j > 1 && tolower((unsigned char)a[i - 1]) ==
			    tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) ==
			    tolower((unsigned char)b[j - 1]) &&
			    d[(i - 2) * w + j - 2] + 1 < best)
				best = d[(i - 2) * w + j - 2] + 1;
			d[i * w + j] = best;
		}
	}
	best = d[la * w + lb];
	free(d);
	return best;
}

size_t
rung_nearest_names(const char *name, char *const *names, size_t n,
    size_t *out, size_t max)
{
	size_t	 i, j, k = 0, *dist, limit, dd;

	/* A slip of the keyboard: one edit in three characters, at least 1. */
	limit = (strlen(name) + 1) / 3;
	if (limit < 1)
		limit = 1;
	if (max == 0 || n == 0)
		return 0;
	dist = xreallocarray(NULL, max, sizeof *dist);
	for (i = 0; i < n; i++) {
		if (names[i] == NULL || strcmp(names[i], name) == 0)
			continue;
		if ((dd = rung_edit_distance(name, names[i])) > limit)
			continue;
		/* Insert by distance; the first of equals stays first. */
		for (j = k; j > 0 && dist[j - 1] > dd; j--) {
			if (j < max) {
				dist[j] = dist[j - 1];
				out[j] = out[j - 1];
			}
		}
		if (j < max) {
			dist[j] = dd;
			out[j] = i;
			if (k < max)
				k++;
		}
	}
	free(dist);
	return k;
}

int
rung_buf_did_you_mean(struct rung_buf *b, const char *name,
    char *const *names, size_t n)
{
	size_t	 near[3], k, i;

	if ((k = rung_nearest_names(name, names, n, near, 3)) == 0)
		return 0;
	rung_buf_addstr(b, "; did you mean ");
	for (i = 0; i < k; i++) {
		rung_buf_printf(b, "%s'%s'", i == 0 ? "" : i + 1 == k ?
		    " or " : ", ", names[near[i]]);
	}
	rung_buf_addc(b, '?');
	return 1;
}

size_t
rung_utf8_len(const unsigned char *p, const unsigned char *end)
{
	size_t	 n, i;
	uint32_t cp;

	if (*p >= 0xc2 && *p <= 0xdf) {
		n = 2;
		cp = *p & 0x1f;
	} else if (*p >= 0xe0 && *p <= 0xef) {
		n = 3;
		cp = *p & 0x0f;
	} else if (*p >= 0xf0 && *p <= 0xf4) {
		n = 4;
		cp = *p & 0x07;
	} else
		return 0;
	if ((size_t)(end - p) < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

int
rung_utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char	*p = (const unsigned char *)s, *end = p + len;
	size_t			 n;

	while (p < end) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((n = rung_utf8_len(p, end)) == 0) {
			*bad = (size_t)(p - (const unsigned char *)s);
			return 0;
		}
		p += n;
	}
	return 1;
}

size_t
rung_esc_next(const char *s, size_t avail, char esc[RUNG_ESC_MAX])
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;

	esc[0] = '\0';
	if (*p >= 0x20 && *p < 0x7f)
		return 1;
	if (*p == '\t' || *p == '\n' || *p == '\r') {
		esc[0] = '\\';
		esc[1] = *p == '\t' ? 't' : *p == '\n' ? 'n' : 'r';
		esc[2] = '\0';
		return 1;
	}
	if (*p < 0x80 || (n = rung_utf8_len(p, p + avail)) == 0) {
		/* C0, DEL, or a byte that is not UTF-8. */
		snprintf(esc, RUNG_ESC_MAX, "\\x%02x", *p);
		return 1;
	}
	/* C1 controls, U+0080 to U+009F: 0xc2 0x80 to 0xc2 0x9f. */
	if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
		snprintf(esc, RUNG_ESC_MAX, "\\x%02x\\x%02x", p[0], p[1]);
	return n;
}

int
rung_esc_needed(const char *s, size_t len)
{
	char	 esc[RUNG_ESC_MAX];
	size_t	 n;

	while (len > 0) {
		/* Printable ASCII, the common case, without a call. */
		if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f) {
			s++;
			len--;
			continue;
		}
		n = rung_esc_next(s, len, esc);
		if (esc[0] != '\0')
			return 1;
		s += n;
		len -= n;
	}
	return 0;
}

void
rung_buf_add_esc(struct rung_buf *b, const char *s, size_t len)
{
	char	 esc[RUNG_ESC_MAX];
	size_t	 n;

	while (len > 0) {
		n = rung_esc_next(s, len, esc);
		if (esc[0] != '\0')
			rung_buf_addstr(b, esc);
		else
			rung_buf_add(b, s, n);
		s += n;
		len -= n;
	}
	rung_buf_cstr(b);
}

char *
rung_esc(const char *s)
{
	struct rung_buf	 b = { 0 };
	size_t		 len = strlen(s);

	if (!rung_esc_needed(s, len))
		return xstrdup(s);
	rung_buf_add_esc(&b, s, len);
	return b.data;
}

int
rung_name_check(const char *what, const char *name, char **cause)
{
	char		 esc[RUNG_ESC_MAX], *shown;
	const char	*p = name;
	size_t		 len = strlen(name), n;

	if (len == 0) {
		xasprintf(cause, "%s name is empty", what);
		return -1;
	}
	while (len > 0) {
		n = rung_esc_next(p, len, esc);
		if (esc[0] != '\0')
			break;
		p += n;
		len -= n;
	}
	if (len == 0)
		return 0;
	shown = rung_esc(name);
	/* A 4-character escape of a byte of 0x80 or more: not UTF-8. */
	xasprintf(cause, "%s name '%s' holds %s (%s)", what, shown,
	    (unsigned char)*p >= 0x80 && esc[4] == '\0' ?
	    "a byte that is not UTF-8" : "a control character", esc);
	free(shown);
	return -1;
}

int
rung_cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
rung_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}
