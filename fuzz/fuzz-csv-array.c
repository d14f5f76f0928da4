/*
 * Lists in CSV cells (LCDB): a row per trial, its curves Python or JSON
 * lists, through the literal parser (src/pylit.c) and the wide layout's
 * list columns (src/import-csv-array.c). The first byte picks the options.
 */
#include "config.h"

#include "fuzz.h"

static const char *const auto_detect[] = { NULL };
static const char *const plain[] = { "-f", "wide-csv", NULL };
static const char *const steps[] = { "-f", "wide-csv", "--steps-col",
	"steps", NULL };
static const char *const first[] = { "--first-step", "1", "--params",
	"layers", NULL };
static const char *const *const sets[] = { auto_detect, plain, steps,
	first };

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
