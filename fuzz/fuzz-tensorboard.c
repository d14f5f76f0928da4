/*
 * TensorBoard log directories: TFRecord framing and Event protocol buffers
 * (import-tensorboard.c, import-tensorboard-events.c, tfrecord.c). After
 * the first byte (the options), the second picks a layout:
 *
 *	0	the rest is one event file, as it is: mutations reach the
 *		checksums and the framing
 *	1	the rest is read as records whose lengths are kept and whose
 *		checksums are made right, so that mutations reach protobuf-c
 *		and the Events; a last record longer than what is left is
 *		written torn, as a writer that died leaves it
 *	2	the same records dealt out to a/train, a/valid, b and c/1.5
 *		(a split, a run, an add_hparams folder), two files each (a
 *		restart), with a params.json in a
 *
 * and the log directory is imported.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/tfrecord.h"
#include "rung/xmalloc.h"

#include "fuzz.h"

#define NFILES	8

static const char *const auto_detect[] = { NULL };
static const char *const forced[] = { "-f", "tensorboard", NULL };
static const char *const metric[] = { "-f", "tensorboard", "-m", "loss",
	"--direction", "min", NULL };
static const char *const step_time[] = { "--time-kind", "step", NULL };
static const char *const *const sets[] = { auto_detect, forced, metric,
	step_time };

static const char *const names[NFILES] = {
	"a/train/events.out.tfevents.1.h", "a/valid/events.out.tfevents.1.h",
	"b/events.out.tfevents.1.h", "c/1.5/events.out.tfevents.1.h",
	"a/train/events.out.tfevents.2.h", "a/valid/events.out.tfevents.2.h",
	"b/events.out.tfevents.2.h", "c/1.5/events.out.tfevents.2.h",
};

static uint64_t
le64(const uint8_t *p)
{
	uint64_t	 v = 0;
	int		 i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

static FILE *
open_in(const char *dir, const char *name)
{
	char	*path, *p;
	FILE	*f;

	path = xprintf("%s/%s", dir, name);
	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "wb");
	free(path);
	return f;
}

/* Records with their checksums made right, dealt out to nfiles files. */
static void
write_fixed(const char *dir, const uint8_t *data, size_t size, int nfiles)
{
	FILE		*f[NFILES] = { NULL };
	uint8_t		 head[12], foot[4];
	uint64_t	 n;
	size_t		 i = 0, k = 0, take;

	for (k = 0; k < (size_t)nfiles; k++)
		f[k] = open_in(dir, nfiles == 1 ? "run/events.out.tfevents.1.h" :
		    names[k]);
	for (k = 0; size - i >= 12; k++) {
		n = le64(data + i);
		memcpy(head, data + i, 8);
		put32(head + 8, rung_crc32c_mask(rung_crc32c(0, head, 8)));
		i += 12;
		take = n > size - i ? size - i : (size_t)n;
		if (f[k % nfiles] == NULL)
			continue;
		fwrite(head, 1, 12, f[k % nfiles]);
		fwrite(data + i, 1, take, f[k % nfiles]);
		if (take == n) {
			put32(foot, rung_crc32c_mask(rung_crc32c(0, data + i,
			    take)));
			fwrite(foot, 1, 4, f[k % nfiles]);
			/* The input's own checksum, whatever it was. */
			i += size - i - take >= 4 ? 4 : size - i - take;
		}
		i += take;
	}
	for (k = 0; k < (size_t)nfiles; k++) {
		if (f[k] != NULL)
			fclose(f[k]);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const *opts;
	char		*dir;
	FILE		*f;
	int		 layout = 0;

	opts = fuzz_pick(sets, sizeof sets / sizeof sets[0], &data, &size);
	if (size > 0) {
		layout = data[0] % 3;
		data++;
		size--;
	}
	dir = xprintf("%s/logs", fuzz_dir());
	mkdir(dir, 0755);
	switch (layout) {
	case 0:
		if ((f = open_in(dir, "run/events.out.tfevents.1.h")) != NULL) {
			fwrite(data, 1, size, f);
			fclose(f);
		}
		break;
	case 1:
		write_fixed(dir, data, size, 1);
		break;
	default:
		write_fixed(dir, data, size, NFILES);
		if ((f = open_in(dir, "a/params.json")) != NULL) {
			fputs("{\"lr\": 0.1, \"net\": {\"depth\": 3}}\n", f);
			fclose(f);
		}
		break;
	}
	fuzz_import(opts, dir);
	free(dir);
	fuzz_clean();
	return 0;
}
