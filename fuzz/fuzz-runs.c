/*
 * Run folders: logs (long CSV, JSON Lines of steps, Keras' training.log)
 * beside the parameter files of their folders (hparams.yaml, Hydra's
 * .hydra/config.yaml and overrides.yaml, args.json, params.json, read
 * through libyaml and json-c), and files of no known layout. The input
 * after the first byte (which picks the options) is a sequence of files,
 * each introduced by a line
 *
 *	=== RELATIVE/PATH
 *
 * made under a scratch folder, which is then imported. Paths hold at most
 * five names of [A-Za-z0-9._,=+-] (not "." or ".."), other bytes becoming
 * '_'.
 */
#include "config.h"

#include "fuzz.h"

static const char *const auto_detect[] = { NULL };
static const char *const forced[] = { "-f", "runs", NULL };
static const char *const chosen[] = { "--include", "*.csv,*.jsonl",
	"--exclude", "skip", NULL };
static const char *const by_step[] = { "--step-col", "step", "-m",
	"val_loss", "--direction", "min", NULL };
static const char *const *const sets[] = { auto_detect, forced, chosen,
	by_step };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_tree_input(sets, sizeof sets / sizeof sets[0], "runs", 5, data,
	    size);
	return 0;
}
