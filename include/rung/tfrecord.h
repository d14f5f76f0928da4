/*
 * TFRecord files, the framing of TensorBoard's event files: records one
 * after the other, each
 *
 *	uint64	length			(little-endian)
 *	uint32	masked CRC-32C of length
 *	byte	data[length]
 *	uint32	masked CRC-32C of data
 *
 * read a buffer at a time, with both checksums checked. A record cut short
 * at the end of the file is where a writer that is still running (or that
 * died) stopped: it ends the file, it is no error.
 */
#ifndef RUNG_TFRECORD_H
#define RUNG_TFRECORD_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32C (Castagnoli), continued from crc (0 to start). */
uint32_t	 rung_crc32c(uint32_t crc, const void *, size_t);
/* The masked form TFRecord stores: rotated, plus a constant. */
uint32_t	 rung_crc32c_mask(uint32_t crc);

/*
 * One record at the start of buf: 1 with *data, *len and *used (the bytes
 * the record takes), 0 when buf ends before the record does (a torn tail,
 * or more is to be read), -1 with *why (a static string) when a checksum
 * is wrong.
 */
int		 rung_tfrecord_parse(const uint8_t *buf, size_t avail,
		     const uint8_t **data, size_t *len, size_t *used,
		     const char **why);

struct rung_tfrecord;

/* NULL with *cause when the file cannot be opened. */
struct rung_tfrecord *rung_tfrecord_open(const char *path, char **cause);
/*
 * The next record: 1 with *data and *len (valid until the next call), 0 at
 * the end of the file (clean, or a torn last record: *torn set to its
 * offset + 1, 0 when clean), -1 with *cause naming the file, the byte
 * offset of the record and what is wrong.
 */
int		 rung_tfrecord_next(struct rung_tfrecord *,
		     const uint8_t **data, size_t *len, uint64_t *torn,
		     char **cause);
/* The offset of the record next returned last. */
uint64_t	 rung_tfrecord_offset(const struct rung_tfrecord *);
void		 rung_tfrecord_close(struct rung_tfrecord *);

#endif
