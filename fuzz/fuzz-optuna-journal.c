/*
 * Optuna's JournalStorage file: a log of operations, one JSON object a
 * line. The first byte picks the options.
 */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"

static const char *const auto_detect[] = { NULL };
static const char *const forced[] = { "-f", "optuna-journal", NULL };
static const char *const study[] = { "-f", "optuna-journal", "--study",
	"pruned", NULL };
static const char *const objective[] = { "-f", "optuna-journal",
	"--objective", "1", NULL };
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
	path = fuzz_write("input.journal", data, size);
	fuzz_import(opts, path);
	free(path);
	fuzz_clean();
	return 0;
}
