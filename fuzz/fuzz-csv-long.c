/*
 * Long CSV: one row per (trial, step). The first byte picks the options.
 */
#include "config.h"


#include "fuzz.h"

static const char *const auto_detect[] = { NULL };
static const char *const plain[] = { "-f", "long-csv", NULL };
static const char *const told[] = { "-f", "long-csv", "--metrics",
	"loss,acc", "--params", "lr,optimizer", NULL };
static const char *const columns[] = { "-f", "long-csv", "--trial-col",
	"trial", "--step-col", "step", "--time-col", "time", "--time-kind",
	"cumulative", "--status-col", "status", NULL };
static const char *const ignore[] = { "-f", "long-csv", "--ignore",
	"time_this_iter_s", "-m", "loss", "--direction", "max", NULL };
static const char *const absolute[] = { "--time-kind", "absolute", "-m",
	"val_loss", NULL };
static const char *const *const sets[] = { auto_detect, plain, told,
	columns, ignore, absolute };

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
