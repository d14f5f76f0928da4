/*
 * MLflow file stores (mlruns folders). The input after the first byte
 * (which picks the options) is a sequence of files, each introduced by a
 * line
 *
 *	=== RELATIVE/PATH
 *
 * and made under a scratch mlruns folder, which is then imported: so the
 * fuzzer varies the layout (experiment and run folders, keys of metrics,
 * params and tags with '/', .trash) as well as meta.yaml and the metric
 * lines. Paths hold at most six names of [A-Za-z0-9._,=+-] (not "." or
 * ".."), other bytes becoming '_'.
 */
#include "config.h"

#include "fuzz.h"

static const char *const auto_detect[] = { NULL };
static const char *const forced[] = { "-f", "mlflow", NULL };
static const char *const by_name[] = { "--experiment", "Default", "-s",
	"one", NULL };
static const char *const by_id[] = { "-f", "mlflow", "--experiment", "0",
	"-m", "val_loss", "--direction", "min", NULL };
static const char *const *const sets[] = { auto_detect, forced, by_name,
	by_id };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_tree_input(sets, sizeof sets / sizeof sets[0], "mlruns", 6, data,
	    size);
	return 0;
}
