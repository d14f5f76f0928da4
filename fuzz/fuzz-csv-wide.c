/*
 * Wide CSV: one row per trial, the curve in indexed columns. The first
 * byte picks the options.
 */
#include "config.h"


#include "fuzz.h"

static const char *const auto_detect[] = { NULL };
static const char *const plain[] = { "-f", "wide-csv", NULL };
static const char *const first[] = { "-f", "wide-csv", "--first-step", "1",
	NULL };
static const char *const prefix[] = { "-f", "wide-csv", "--curve-prefix",
	"loss_", "--direction", "max", NULL };
static const char *const told[] = { "-f", "wide-csv", "--params",
	"lr,depth", "--ignore", "note", "--status-col", "status", NULL };
static const char *const *const sets[] = { auto_detect, plain, first,
	prefix, told };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_import_input(sets, sizeof sets / sizeof sets[0], "input.csv", data,
	    size);
	return 0;
}
