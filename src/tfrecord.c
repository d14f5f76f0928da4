/*
 * TFRecord reading (include/rung/tfrecord.h): CRC-32C and the framing.
 *
 * CRC-32C is the Castagnoli polynomial (reflected 0x82f63b78), not zlib's
 * crc32; it is computed eight bytes at a time from eight tables (slicing by
 * 8), since an event file is checksummed whole. The check value of
 * "123456789" is 0xe3069283. TFRecord stores a checksum masked, rotated
 * right by 15 bits plus 0xa282ead8, because a CRC of data that holds CRCs
 * is weak.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rung/tfrecord.h"
#include "rung/xmalloc.h"

#define CRC32C_POLY	0x82f63b78u
#define MASK_DELTA	0xa282ead8u
#define HEADER		12		/* length and its checksum */
#define FOOTER		4		/* the data's checksum */
#define CHUNK		(256 * 1024)

static uint32_t	crc_table[8][256];
static int	crc_ready;

static void
crc_init(void)
{
	uint32_t	 c;
	int		 i, j, k;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ ((c & 1) ? CRC32C_POLY : 0);
		crc_table[0][i] = c;
	}
	for (i = 0; i < 256; i++) {
		c = crc_table[0][i];
		for (k = 1; k < 8; k++) {
			c = crc_table[0][c & 0xff] ^ (c >> 8);
			crc_table[k][i] = c;
		}
	}
	crc_ready = 1;
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

uint32_t
rung_crc32c(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t	*p = buf;
	uint32_t	 lo, hi;

	if (!crc_ready)
		crc_init();
	crc = ~crc;
	while (len >= 8) {
		lo = le32(p) ^ crc;
		hi = le32(p + 4);
		crc = crc_table[7][lo & 0xff] ^ crc_table[6][(lo >> 8) & 0xff] ^
		    crc_table[5][(lo >> 16) & 0xff] ^ crc_table[4][lo >> 24] ^
		    crc_table[3][hi & 0xff] ^ crc_table[2][(hi >> 8) & 0xff] ^
		    crc_table[1][(hi >> 16) & 0xff] ^ crc_table[0][hi >> 24];
		p += 8;
		len -= 8;
	}
	while (len-- > 0)
		crc = crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

uint32_t
rung_crc32c_mask(uint32_t crc)
{
	return ((crc >> 15) | (crc << 17)) + MASK_DELTA;
}

int
rung_tfrecord_parse(const uint8_t *buf, size_t avail, const uint8_t **data,
    size_t *len, size_t *used, const char **why)
{
	uint64_t	 n;

	if (avail < HEADER)
		return 0;
	if (rung_crc32c_mask(rung_crc32c(0, buf, 8)) != le32(buf + 8)) {
		*why = "the checksum of the record's length is wrong";
		return -1;
	}
	n = le64(buf);
	if (n > avail - HEADER || avail - HEADER - n < FOOTER)
		return 0;
	if (rung_crc32c_mask(rung_crc32c(0, buf + HEADER, (size_t)n)) !=
	    le32(buf + HEADER + n)) {
		*why = "the checksum of the record's data is wrong";
		return -1;
	}
	*data = buf + HEADER;
	*len = (size_t)n;
	*used = HEADER + (size_t)n + FOOTER;
	return 1;
}

struct rung_tfrecord {
	char		*path;
	int		 fd;
	int		 eof;
	uint8_t		*buf;
	size_t		 cap;
	size_t		 start;		/* the next record in buf */
	size_t		 end;		/* bytes read into buf */
	uint64_t	 base;		/* file offset of buf[0] */
	uint64_t	 last;		/* offset of the record returned */
};

struct rung_tfrecord *
rung_tfrecord_open(const char *path, char **cause)
{
	struct rung_tfrecord	*r;
	int			 fd;

	if ((fd = open(path, O_RDONLY)) == -1) {
		xasprintf(cause, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	r->path = xstrdup(path);
	r->fd = fd;
	r->cap = CHUNK;
	r->buf = xmalloc(r->cap);
	return r;
}

/*
 * Have at least want bytes from start in the buffer, unless the file ends
 * first. The unread bytes move to the front; the buffer grows only for a
 * record larger than it, and only as far as the file has bytes, so that a
 * length that lies costs nothing.
 */
static int
fill(struct rung_tfrecord *r, uint64_t want, char **cause)
{
	struct stat	 sb;
	ssize_t		 n;
	size_t		 have;

	if (r->end - r->start >= want || r->eof)
		return 0;
	if (want > r->cap) {
		/* Written to not overflow: a length can be anything. */
		if (want > SIZE_MAX || fstat(r->fd, &sb) != 0 ||
		    (uint64_t)sb.st_size < r->base + r->start ||
		    want > (uint64_t)sb.st_size - (r->base + r->start)) {
			r->eof = 1;	/* it cannot all be there */
			return 0;
		}
	}
	have = r->end - r->start;
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, have);
		r->base += r->start;
		r->start = 0;
		r->end = have;
	}
	if (want > r->cap) {
		r->cap = (size_t)want;
		r->buf = xrealloc(r->buf, r->cap);
	}
	while (r->end < want) {
		n = read(r->fd, r->buf + r->end, r->cap - r->end);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			xasprintf(cause, "%s: offset %llu: cannot read: %s",
			    r->path, (unsigned long long)(r->base + r->end),
			    strerror(errno));
			return -1;
		}
		if (n == 0) {
			r->eof = 1;
			break;
		}
		r->end += (size_t)n;
	}
	return 0;
}

int
rung_tfrecord_next(struct rung_tfrecord *r, const uint8_t **data,
    size_t *len, uint64_t *torn, char **cause)
{
	const char	*why = NULL;
	size_t		 used;
	uint64_t	 n;
	int		 rc;

	*torn = 0;
	r->last = r->base + r->start;
	if (fill(r, HEADER, cause) != 0)
		return -1;
	if (r->end - r->start >= HEADER) {
		rc = rung_tfrecord_parse(r->buf + r->start, HEADER, data, len,
		    &used, &why);
		if (rc < 0)
			goto bad;
		n = le64(r->buf + r->start);
		if (n > UINT64_MAX - HEADER - FOOTER) {
			r->eof = 1;	/* no file is that long */
			n = 0;
		} else if (fill(r, HEADER + n + FOOTER, cause) != 0)
			return -1;
		rc = rung_tfrecord_parse(r->buf + r->start, r->end - r->start,
		    data, len, &used, &why);
		if (rc < 0)
			goto bad;
		if (rc > 0) {
			r->start += used;
			return 1;
		}
	}
	if (r->end > r->start)
		*torn = r->last + 1;
	return 0;
bad:
	xasprintf(cause, "%s: offset %llu: %s (a damaged file)", r->path,
	    (unsigned long long)r->last, why);
	return -1;
}

uint64_t
rung_tfrecord_offset(const struct rung_tfrecord *r)
{
	return r->last;
}

void
rung_tfrecord_close(struct rung_tfrecord *r)
{
	if (r == NULL)
		return;
	close(r->fd);
	free(r->buf);
	free(r->path);
	free(r);
}
