/*
 * Optuna's JournalStorage file: a log of operations, one JSON object a
 * line. The first byte picks the options.
 */
#include "config.h"


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
	fuzz_import_input(sets, sizeof sets / sizeof sets[0], "input.journal", data,
	    size);
	return 0;
}
