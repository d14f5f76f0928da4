/*
 * Optuna's RDB storage: the input is the SQLite file itself, written to a
 * scratch file and imported (SQLite opens it read-only). The first byte
 * picks the options.
 */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"

static const char *const auto_detect[] = { NULL };
static const char *const forced[] = { "-f", "optuna", NULL };
static const char *const study[] = { "-s", "one", "--study", "pruned",
	NULL };
static const char *const objective[] = { "--objective", "1", NULL };
static const char *const *const sets[] = { auto_detect, forced, study,
	objective };

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
	char		*path;

	opts = fuzz_pick(sets, sizeof sets / sizeof sets[0], &data, &size);
	path = fuzz_write("input.db", data, size);
	fuzz_import(opts, path);
	free(path);
	fuzz_clean();
	return 0;
}
