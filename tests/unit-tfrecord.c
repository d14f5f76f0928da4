/*
 * TFRecord framing: CRC-32C against its check value and against a
 * byte-at-a-time computation at every length and alignment, the mask, and
 * a record parsed whole, cut short and damaged.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "rung/import.h"
#include "rung/tfrecord.h"
#include "tap.h"

/* The CRC bit by bit, the definition the tables must agree with. */
static uint32_t
crc_bitwise(const uint8_t *p, size_t n)
{
	uint32_t	 c = 0xffffffffu;
	int		 k;

	while (n-- > 0) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ ((c & 1) ? 0x82f63b78u : 0);
	}
	return ~c;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

int
main(void)
{
	/* An Event {wall_time: 1.5, step: 3, file_version: "brain.Event:2"}. */
	static const uint8_t ev[] = "\x09\x00\x00\x00\x00\x00\x00\xf8\x3f"
	    "\x10\x03\x1a\x0d" "brain.Event:2";
	uint8_t		 buf[256], rec[64];
	const uint8_t	*data;
	const char	*why;
	size_t		 i, n, len, used, reclen, evlen = sizeof ev - 1;
	uint32_t	 got, want;
	int		 rc, bad = 0;

	got = rung_crc32c(0, "123456789", 9);
	ok(got == 0xe3069283u, "CRC-32C of 123456789 is e3069283 (%08x)", got);
	got = rung_crc32c(rung_crc32c(0, "1234", 4), "56789", 5);
	ok(got == 0xe3069283u, "CRC-32C continues from a part");
	for (i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)(i * 37 + 11);
	for (i = 0; i < 40; i++) {
		for (n = 0; n + i <= sizeof buf; n += 7) {
			if (rung_crc32c(0, buf + i, n) != crc_bitwise(buf + i, n))
				bad++;
		}
	}
	ok(bad == 0, "slicing by 8 agrees with the bitwise CRC everywhere");
	want = ((0x12345678u >> 15) | (0x12345678u << 17)) + 0xa282ead8u;
	ok(rung_crc32c_mask(0x12345678u) == want, "the mask");

	/* Frame the Event as a TFRecord writer does. */
	memset(rec, 0, sizeof rec);
	rec[0] = (uint8_t)evlen;
	put32(rec + 8, rung_crc32c_mask(rung_crc32c(0, rec, 8)));
	memcpy(rec + 12, ev, evlen);
	put32(rec + 12 + evlen, rung_crc32c_mask(rung_crc32c(0, ev, evlen)));
	reclen = 12 + evlen + 4;
	rc = rung_tfrecord_parse(rec, reclen, &data, &len, &used, &why);
	ok(rc == 1 && len == evlen && used == reclen &&
	    memcmp(data, ev, evlen) == 0, "a whole record");
	ok(rung_tensorboard_sniff(rec, reclen), "its Event names the version");
	for (n = 0, bad = 0; n < reclen; n++) {
		if (rung_tfrecord_parse(rec, n, &data, &len, &used, &why) != 0)
			bad++;
	}
	ok(bad == 0, "a record cut anywhere is not there yet");
	rec[20] ^= 1;
	rc = rung_tfrecord_parse(rec, reclen, &data, &len, &used, &why);
	ok(rc == -1 && strstr(why, "data") != NULL, "damaged data: %s",
	    rc == -1 ? why : "accepted");
	ok(!rung_tensorboard_sniff(rec, reclen), "and it is no event file");
	rec[20] ^= 1;
	rec[1] = 1;
	rc = rung_tfrecord_parse(rec, reclen, &data, &len, &used, &why);
	ok(rc == -1 && strstr(why, "length") != NULL, "a damaged length: %s",
	    rc == -1 ? why : "accepted");
	return done_testing();
}
