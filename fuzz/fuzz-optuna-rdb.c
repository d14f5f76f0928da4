/*
 * Optuna's RDB storage: the input is the SQLite file itself, written to a
 * scratch file and imported (SQLite opens it read-only). The first byte
 * picks the options.
 */
#include "config.h"


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
	fuzz_import_input(sets, sizeof sets / sizeof sets[0], "input.db", data,
	    size);
	return 0;
}
