/*
 * Ray Tune experiment directories. The input after the first byte (which
 * picks the options) is a sequence of files, each introduced by a line
 *
 *	=== RELATIVE/PATH
 *
 * and made under a scratch experiment directory, which is then imported:
 * so the fuzzer varies the names (trial folders, experiment_state-DATE
 * files) as well as result.json, params.json, progress.csv and the state.
 * Paths hold at most three names of [A-Za-z0-9._,=+-] (not "." or ".."),
 * other bytes becoming '_'.
 */
#include "config.h"

#include "fuzz.h"

static const char *const auto_detect[] = { NULL };
static const char *const forced[] = { "-f", "raytune", NULL };
static const char *const x_step[] = { "--x", "step", NULL };
static const char *const metric[] = { "-m", "loss", "--x", "epoch",
	"--direction", "min", NULL };
static const char *const *const sets[] = { auto_detect, forced, x_step,
	metric };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_tree_input(sets, sizeof sets / sizeof sets[0], "exp", 3, data,
	    size);
	return 0;
}
